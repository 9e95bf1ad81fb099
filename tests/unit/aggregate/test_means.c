/* The weighted means (arithmetic, geometric, harmonic, power, mean-min) on small blocks
 * worked out by hand in the comments: weights renormalised over the non-missing children,
 * strides, the domain errors of the geometric and harmonic means with their messages,
 * the offset option, the availability threshold at its boundaries. Values are
 * synthetic. Layout: column-major, child j of unit i at x[i + j*n]. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "qala/aggregate.h"

#define EPS 1e-12

/* Aggregates an n × m column-major block; asserts success. */
static void run(double *out, uint8_t *flags, qala_agg_report *rep, const double *x, size_t n,
                size_t m, const double *w, const qala_agg_spec *spec)
{
    cr_assert_eq(qala_agg_node(out, flags, rep, x, n, m, 1, n, w, spec), QALA_OK, "%s",
                 qala_error_last()->message);
}

Test(means, arithmetic_renormalises_weights_over_present_children)
{
    /* unit 0: (2, 4, 6), w (1, 2, 1): (2 + 8 + 6) / 4 = 4
     * unit 1: (NA, 4, 8): (8 + 8) / 3 = 16/3
     * unit 2: all missing: NAN, no data */
    const double x[] = {2, NAN, NAN, 4, 4, NAN, 6, 8, NAN};
    const double w[] = {1, 2, 1};
    double out[3];
    uint8_t fl[3];
    qala_agg_report rep;
    qala_agg_spec spec = {0};
    run(out, fl, &rep, x, 3, 3, w, &spec);
    cr_expect_float_eq(out[0], 4.0, EPS);
    cr_expect_float_eq(out[1], 16.0 / 3, EPS);
    cr_expect(isnan(out[2]));
    cr_expect_eq(fl[0], 0);
    cr_expect_eq(fl[1], 0);
    cr_expect_eq(fl[2], QALA_AGG_FLAG_NO_DATA);
    cr_expect_eq(rep.n_missing, 1);
    cr_expect_eq(rep.n_offset, 0);
    cr_expect_eq(rep.unit, SIZE_MAX);
    cr_expect_eq(rep.child, SIZE_MAX);
}

Test(means, null_weights_are_equal_weights_and_zero_weight_sum_is_no_data)
{
    /* unit 0: (1, 2, 6) → 3; unit 1: (5, NA, NA) with w (0, 1, 1): weight sum 0 → NAN. */
    const double x[] = {1, 5, 2, NAN, 6, NAN};
    double out[2];
    uint8_t fl[2];
    qala_agg_spec spec = {0};
    run(out, fl, NULL, x, 2, 3, NULL, &spec);
    cr_expect_float_eq(out[0], 3.0, EPS);
    cr_expect_float_eq(out[1], 5.0, EPS);
    const double w[] = {0, 1, 1};
    run(out, fl, NULL, x, 2, 3, w, &spec);
    cr_expect_float_eq(out[0], 4.0, EPS); /* (2 + 6) / 2 */
    cr_expect(isnan(out[1]));
    cr_expect_eq(fl[1], QALA_AGG_FLAG_NO_DATA);
}

Test(means, row_major_strides_give_the_same_result)
{
    /* The block of arithmetic_renormalises... written unit by unit (unit stride 3, child
     * stride 1), and inside a wider table (leading dimension 5). */
    const double rows[] = {2, 4, 6, NAN, 4, 8};
    const double w[] = {1, 2, 1};
    double out[2];
    qala_agg_spec spec = {0};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, rows, 2, 3, 3, 1, w, &spec), QALA_OK);
    cr_expect_float_eq(out[0], 4.0, EPS);
    cr_expect_float_eq(out[1], 16.0 / 3, EPS);
    const double wide[] = {2, NAN, -1, -1, -1, 4, 4, -1, -1, -1, 6, 8, -1, -1, -1};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, wide, 2, 3, 1, 5, w, &spec), QALA_OK);
    cr_expect_float_eq(out[0], 4.0, EPS);
    cr_expect_float_eq(out[1], 16.0 / 3, EPS);
}

Test(means, geometric_weighted_with_missing_child)
{
    /* unit 0: (1, 4, 16), w (1, 1, 2): exp((0 + ln 4 + 2 ln 16) / 4) = 2^(10/4) = 2^2.5
     * unit 1: (NA, 4, 16): exp((ln 4 + 2 ln 16) / 3) = 2^(10/3) */
    const double x[] = {1, NAN, 4, 4, 16, 16};
    const double w[] = {1, 1, 2};
    double out[2];
    qala_agg_spec spec = {.method = QALA_AGG_GEOMETRIC};
    run(out, NULL, NULL, x, 2, 3, w, &spec);
    cr_expect_float_eq(out[0], pow(2, 2.5), EPS * 10);
    cr_expect_float_eq(out[1], pow(2, 10.0 / 3), EPS * 10);
}

Test(means, geometric_zero_child_is_an_error_naming_unit_and_child)
{
    /* unit 0 fine, unit 1 child 2 is 0. */
    const double x[] = {1, 3, 2, 5, 4, 0};
    double out[2];
    qala_agg_report rep;
    qala_agg_spec spec = {.method = QALA_AGG_GEOMETRIC};
    cr_assert_eq(qala_agg_node(out, NULL, &rep, x, 2, 3, 1, 2, NULL, &spec), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "geometric mean needs children > 0: unit index 1, child index 2 is 0 "
                     "(set an offset or choose another method)");
    cr_expect_eq(rep.unit, 1);
    cr_expect_eq(rep.child, 2);
}

Test(means, geometric_negative_child_is_an_error)
{
    const double x[] = {-3.5, 2};
    double out[1];
    qala_agg_report rep;
    qala_agg_spec spec = {.method = QALA_AGG_GEOMETRIC};
    cr_assert_eq(qala_agg_node(out, NULL, &rep, x, 1, 2, 1, 1, NULL, &spec), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "geometric mean needs children > 0: unit index 0, child index 0 is -3.5 "
                     "(set an offset or choose another method)");
    cr_expect_eq(rep.unit, 0);
    cr_expect_eq(rep.child, 0);
}

Test(means, geometric_offset_shifts_and_flags_the_units_that_needed_it)
{
    /* offset 1: unit 0 (0, 8): sqrt(1 · 9) − 1 = 2, flagged;
     *           unit 1 (1, 4): sqrt(2 · 5) − 1 = √10 − 1, not flagged. */
    const double x[] = {0, 1, 8, 4};
    double out[2];
    uint8_t fl[2];
    qala_agg_report rep;
    qala_agg_spec spec = {.method = QALA_AGG_GEOMETRIC, .offset = 1};
    run(out, fl, &rep, x, 2, 2, NULL, &spec);
    cr_expect_float_eq(out[0], 2.0, EPS);
    cr_expect_float_eq(out[1], sqrt(10) - 1, EPS);
    cr_expect_eq(fl[0], QALA_AGG_FLAG_OFFSET);
    cr_expect_eq(fl[1], 0);
    cr_expect_eq(rep.n_offset, 1);
    cr_expect_eq(rep.n_missing, 0);
}

Test(means, geometric_offset_too_small_is_still_an_error)
{
    const double x[] = {-2, 8};
    double out[1];
    qala_agg_spec spec = {.method = QALA_AGG_GEOMETRIC, .offset = 1};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, x, 1, 2, 1, 1, NULL, &spec), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "geometric mean needs children > 0: unit index 0, child index 0 is -2, "
                     "-1 after the offset 1");
}

Test(means, harmonic_weighted_with_missing_child)
{
    /* unit 0: (1, 2, 4), w (1, 1, 2): 4 / (1 + 1/2 + 2/4) = 2
     * unit 1: (NA, 2, 4): 3 / (1/2 + 2/4) = 3 */
    const double x[] = {1, NAN, 2, 2, 4, 4};
    const double w[] = {1, 1, 2};
    double out[2];
    qala_agg_spec spec = {.method = QALA_AGG_HARMONIC};
    run(out, NULL, NULL, x, 2, 3, w, &spec);
    cr_expect_float_eq(out[0], 2.0, EPS);
    cr_expect_float_eq(out[1], 3.0, EPS);
}

Test(means, harmonic_zero_child_is_an_error_and_offset_repairs_it)
{
    const double x[] = {0, 2};
    double out[1];
    uint8_t fl[1];
    qala_agg_report rep;
    qala_agg_spec spec = {.method = QALA_AGG_HARMONIC};
    cr_assert_eq(qala_agg_node(out, fl, &rep, x, 1, 2, 1, 1, NULL, &spec), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "harmonic mean needs children > 0: unit index 0, child index 0 is 0 "
                     "(set an offset or choose another method)");
    cr_expect_eq(rep.unit, 0);
    cr_expect_eq(rep.child, 0);
    /* offset 1: 2 / (1/1 + 1/3) − 1 = 1.5 − 1 = 0.5 */
    spec.offset = 1;
    cr_assert_eq(qala_agg_node(out, fl, &rep, x, 1, 2, 1, 1, NULL, &spec), QALA_OK);
    cr_expect_float_eq(out[0], 0.5, EPS);
    cr_expect_eq(fl[0], QALA_AGG_FLAG_OFFSET);
    cr_expect_eq(rep.n_offset, 1);
    cr_expect_eq(rep.unit, SIZE_MAX);
}

Test(means, harmonic_negative_child_is_an_error)
{
    /* (−1, 1): Σ w/x = 0, the "mean" would be infinite: refused, unlike COINr's a_hmean. */
    const double x[] = {-1, 1};
    double out[1];
    qala_agg_spec spec = {.method = QALA_AGG_HARMONIC};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, x, 1, 2, 1, 1, NULL, &spec), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "harmonic mean needs children > 0: unit index 0, child index 0 is -1 "
                     "(set an offset or choose another method)");
}

Test(means, power_mean_p2_weighted)
{
    /* p = 2: unit 0 (1, 3) w (1, 1): √((1 + 9)/2) = √5; unit 1 (0, 2) w (1, 1): √2
     * (zeros are fine for p > 0); unit 2 (NA, 3): 3. With w (3, 1): √((3 + 9)/4) = √3. */
    const double x[] = {1, 0, NAN, 3, 2, 3};
    double out[3];
    qala_agg_spec spec = {.method = QALA_AGG_POWER, .p = 2};
    run(out, NULL, NULL, x, 3, 2, NULL, &spec);
    cr_expect_float_eq(out[0], sqrt(5), EPS);
    cr_expect_float_eq(out[1], sqrt(2), EPS);
    cr_expect_float_eq(out[2], 3.0, EPS);
    const double w[] = {3, 1};
    run(out, NULL, NULL, x, 3, 2, w, &spec);
    cr_expect_float_eq(out[0], sqrt(3), EPS);
}

Test(means, power_mean_p1_is_arithmetic_and_pm1_is_harmonic)
{
    const double x[] = {12.5, 3, 77, NAN, 41, 0.25, 9, 60, 18, 33, NAN, 5};
    const double w[] = {1, 2, 0.5};
    double a[4], b[4];
    qala_agg_spec ar = {.method = QALA_AGG_ARITHMETIC}, pw = {.method = QALA_AGG_POWER, .p = 1};
    run(a, NULL, NULL, x, 4, 3, w, &ar);
    run(b, NULL, NULL, x, 4, 3, w, &pw);
    for (int i = 0; i < 4; i++)
        cr_expect_float_eq(a[i], b[i], 1e-12 * fabs(a[i]), "unit %d: %.17g vs %.17g", i, a[i], b[i]);
    qala_agg_spec hm = {.method = QALA_AGG_HARMONIC};
    pw.p = -1;
    run(a, NULL, NULL, x, 4, 3, w, &hm);
    run(b, NULL, NULL, x, 4, 3, w, &pw);
    for (int i = 0; i < 4; i++)
        cr_expect_float_eq(a[i], b[i], 1e-12 * fabs(a[i]), "unit %d: %.17g vs %.17g", i, a[i], b[i]);
}

Test(means, power_mean_domain_errors)
{
    const double x[] = {0, 2};
    double out[1];
    qala_agg_spec spec = {.method = QALA_AGG_POWER, .p = -1};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, x, 1, 2, 1, 1, NULL, &spec), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "power mean with p = -1 needs children > 0: unit index 0, child index 0 "
                     "is 0 (set an offset or choose another method)");
    const double y[] = {4, -1};
    spec.p = 0.5;
    cr_assert_eq(qala_agg_node(out, NULL, NULL, y, 1, 2, 1, 1, NULL, &spec), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "power mean with p = 0.5 needs children >= 0: unit index 0, child index 1 "
                     "is -1 (set an offset or choose another method)");
    spec.p = 0;
    cr_assert_eq(qala_agg_node(out, NULL, NULL, y, 1, 2, 1, 1, NULL, &spec), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "power mean: p = 0; expected a finite p != 0 (p = 0 is the geometric mean)");
}

Test(means, meanmin_small_example)
{
    /* (2, 6), equal weights: M = 4, min = 2.
     * α = 0.5, β = 0:   4 − 0.5(√4 − 0) = 3
     * α = 0.5, β = 1.5: 4 − 0.5(√(4 + 2.25) − 1.5) = 4 − 0.5 = 3.5
     * α = 1, β = 0: the minimum, 2;  α = 0: the mean, 4 */
    const double x[] = {2, 6};
    double out[1];
    qala_agg_spec spec = {.method = QALA_AGG_MEANMIN, .alpha = 0.5};
    run(out, NULL, NULL, x, 1, 2, NULL, &spec);
    cr_expect_float_eq(out[0], 3.0, EPS);
    spec.beta = 1.5;
    run(out, NULL, NULL, x, 1, 2, NULL, &spec);
    cr_expect_float_eq(out[0], 3.5, EPS);
    spec.alpha = 1;
    spec.beta = 0;
    run(out, NULL, NULL, x, 1, 2, NULL, &spec);
    cr_expect_float_eq(out[0], 2.0, EPS);
    spec.alpha = 0;
    run(out, NULL, NULL, x, 1, 2, NULL, &spec);
    cr_expect_float_eq(out[0], 4.0, EPS);
}

Test(means, meanmin_weighted_with_missing_child)
{
    /* (NA, 1, 7), w (5, 1, 2): M = (1 + 14)/3 = 5, min = 1 (the missing child is not a
     * minimum); α = 0.5, β = 3: 5 − 0.5(√(16 + 9) − 3) = 5 − 1 = 4. */
    const double x[] = {NAN, 1, 7};
    const double w[] = {5, 1, 2};
    double out[1];
    qala_agg_spec spec = {.method = QALA_AGG_MEANMIN, .alpha = 0.5, .beta = 3};
    run(out, NULL, NULL, x, 1, 3, w, &spec);
    cr_expect_float_eq(out[0], 4.0, EPS);
}

Test(means, meanmin_parameters_out_of_range)
{
    const double x[] = {1, 2};
    double out[1];
    qala_agg_spec spec = {.method = QALA_AGG_MEANMIN, .alpha = 1.5};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, x, 1, 2, 1, 1, NULL, &spec), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "mean-min: alpha = 1.5, beta = 0; expected "
                     "0 <= alpha <= 1 and a finite beta >= 0");
    spec.alpha = 0.5;
    spec.beta = -1;
    cr_expect_eq(qala_agg_node(out, NULL, NULL, x, 1, 2, 1, 1, NULL, &spec), QALA_EINVAL);
}
