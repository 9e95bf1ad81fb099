/* The statistics behind the check rules: median, robust z (with its MAD = 0 fallback),
 * first digits and Benford's chi-square against scipy. */
#include <criterion/criterion.h>
#include <math.h>

#include "qala/check.h"

static void near(double got, double want, double rel)
{
    cr_assert(fabs(got - want) <= rel * fabs(want) + 1e-300, "got %.15g, want %.15g", got, want);
}

Test(check_kernels, median_of_odd_and_even_counts)
{
    double a[] = {5, 1, 3};
    double b[] = {4, 1, 3, 2};
    cr_assert_eq(qala_check_median(a, 3), 3);
    cr_assert_eq(qala_check_median(b, 4), 2.5);
}

Test(check_kernels, robust_z_uses_the_mad)
{
    /* others {1,2,3,4}: median 2.5, absolute deviations {1.5,.5,.5,1.5}, MAD 1:
     * z = 0.6745 * (100 - 2.5) / 1 (by hand) */
    double x[] = {1, 2, 3, 4};
    near(qala_check_robust_z(100, x, 4), 0.6745 * 97.5, 1e-12);
}

Test(check_kernels, robust_z_falls_back_to_the_mean_deviation_when_the_mad_is_zero)
{
    /* others {5,5,5,9}: median 5, MAD 0, mean absolute deviation 1:
     * z = (7 - 5) / (1.253314 * 1) (Iglewicz & Hoaglin) */
    double x[] = {5, 5, 9, 5};
    near(qala_check_robust_z(7, x, 4), 2 / 1.253314, 1e-12);
}

Test(check_kernels, robust_z_of_equal_values)
{
    double x[] = {5, 5, 5};
    cr_assert_eq(qala_check_robust_z(5, x, 3), 0);
    double y[] = {5, 5, 5};
    cr_assert(isinf(qala_check_robust_z(6, y, 3)) && qala_check_robust_z(6, y, 3) > 0);
    cr_assert(isnan(qala_check_robust_z(6, y, 0)));
}

Test(check_kernels, first_digit)
{
    cr_assert_eq(qala_check_first_digit(1234), 1);
    cr_assert_eq(qala_check_first_digit(0.0098), 9);
    cr_assert_eq(qala_check_first_digit(9.9999999999999999), 1); /* rounds to 10 */
    cr_assert_eq(qala_check_first_digit(7e-300), 7);
    cr_assert_eq(qala_check_first_digit(0), 0);
    cr_assert_eq(qala_check_first_digit(-5), 0);
    cr_assert_eq(qala_check_first_digit(NAN), 0);
    cr_assert_eq(qala_check_first_digit(INFINITY), 0);
}

/* Reference: tests/unit/check/benford_reference.py (scipy.stats.chisquare 1.10.1). */
Test(check_kernels, benford_chi_square_and_p_value_match_scipy)
{
    static const struct {
        size_t counts[9];
        double chi2, p;
    } cases[] = {
        {{30, 20, 12, 10, 8, 6, 6, 5, 3}, 0.979468215766, 0.998374798247},
        {{20, 20, 20, 20, 20, 20, 20, 20, 20}, 72.3056927242, 1.70530910217e-12},
        {{22, 14, 12, 8, 12, 6, 4, 10, 12}, 22.6806063455, 0.00379944946593},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double chi2, p;
        qala_check_benford_chi2(cases[i].counts, &chi2, &p);
        near(chi2, cases[i].chi2, 1e-9);
        near(p, cases[i].p, 1e-8);
    }
}

Test(check_kernels, benford_of_nothing_is_nan)
{
    size_t counts[9] = {0};
    double chi2, p;
    qala_check_benford_chi2(counts, &chi2, &p);
    cr_assert(isnan(chi2) && isnan(p));
}

Test(check_kernels, rule_codes_round_trip)
{
    for (int i = 0; i < QALA_CHECK_RULE_COUNT; i++) {
        qala_check_rule r;
        cr_assert_eq(qala_check_rule_parse(&r, qala_check_rule_code((qala_check_rule)i)), QALA_OK);
        cr_assert_eq((int)r, i);
    }
    qala_check_rule r;
    cr_assert_eq(qala_check_rule_parse(&r, "jumps"), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message,
                     "unknown rule \"jumps\": expected range, identity, jump, peer-outlier, repeated, "
                     "benford or missing-series");
}
