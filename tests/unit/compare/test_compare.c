/* Group comparison: per-group summaries (type 7 quartiles) and the seeded permutation
 * test. Reference values: tests/unit/compare/reference.py (numpy for the summaries; an
 * exact enumeration of all relabellings in rational arithmetic for the p-values). The
 * data are fictional (Testville units). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "failing_alloc.h"
#include "qala/compare.h"

#define NO QALA_COMPARE_NO_GROUP

/* reference.py: 12 units, groups 0, 1, 2 */
static const double X[] = {12.5, 9.75, NAN, 14.0, 11.25, 30.5, 28.0, 35.25, 26.0, 18.0, 21.5, 19.75};
static const uint32_t G[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2};

static void expect_summary(const qala_group_summary *s, size_t count, double mean, double median,
                           double q1, double q3, double min, double max)
{
    cr_expect_eq(s->count, count);
    cr_expect(fabs(s->mean - mean) <= 1e-14 * fabs(mean), "mean %.17g vs %.17g", s->mean, mean);
    cr_expect_eq(s->median, median, "median %.17g vs %.17g", s->median, median);
    cr_expect_eq(s->q1, q1, "q1 %.17g vs %.17g", s->q1, q1);
    cr_expect_eq(s->q3, q3, "q3 %.17g vs %.17g", s->q3, q3);
    cr_expect_eq(s->iqr, q3 - q1);
    cr_expect_eq(s->min, min);
    cr_expect_eq(s->max, max);
}

Test(compare, summaries_match_numpy_type_7_quartiles)
{
    qala_group_summary s[3];
    cr_assert_eq(qala_compare_summarise(s, 3, X, G, 12), QALA_OK);
    /* reference.py "group 0" .. "group 2" */
    expect_summary(&s[0], 4, 11.875, 11.875, 10.875, 12.875, 9.75, 14);
    expect_summary(&s[1], 4, 29.9375, 29.25, 27.5, 31.6875, 26, 35.25);
    expect_summary(&s[2], 3, 19.75, 19.75, 18.875, 20.625, 18, 21.5);
}

Test(compare, empty_group_and_entries_without_group)
{
    const double x[] = {1, 2, 3, NAN};
    const uint32_t g[] = {0, NO, 0, 1};
    qala_group_summary s[3];
    cr_assert_eq(qala_compare_summarise(s, 3, x, g, 4), QALA_OK);
    cr_expect_eq(s[0].count, 2);
    cr_expect_eq(s[0].mean, 2.0);
    cr_expect_eq(s[0].q1, 1.5, "type 7: 1 + 0.25·(3 − 1)");
    cr_expect_eq(s[1].count, 0, "only a missing value");
    cr_expect(isnan(s[1].mean) && isnan(s[1].median) && isnan(s[1].iqr) && isnan(s[1].min));
    cr_expect_eq(s[2].count, 0);
}

Test(compare, bad_group_id_and_infinite_value_are_refused)
{
    const double x[] = {1, 2};
    qala_group_summary s[2];
    cr_expect_eq(qala_compare_summarise(s, 2, x, (const uint32_t[]){0, 2}, 2), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "group id 2 at index 1 is not below the 2 groups");
    cr_expect_eq(qala_compare_summarise(s, 2, (const double[]){INFINITY, 1},
                                        (const uint32_t[]){0, 1}, 2), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "value at index 0 is infinite");
}

/* reference.py "integers": a = {1, 2, 4}, b = {5, 7, 8, 10}; 35 relabellings */
static const double XI[] = {1, 5, 2, 7, 4, 8, 10};
static const uint32_t GI[] = {3, 9, 3, 9, 3, 9, 9};

Test(compare, permutation_p_approaches_the_exact_enumeration)
{
    qala_permutation r;
    cr_assert_eq(qala_compare_permutation(&r, XI, GI, 7, 3, 9, 12345, 200000), QALA_OK);
    cr_expect_eq(r.n_a, 3);
    cr_expect_eq(r.n_b, 4);
    cr_expect(fabs(r.diff_mean - -5.166666666666667) < 1e-14, "diff %.17g", r.diff_mean);
    cr_expect_eq(r.diff_median, -5.5);
    /* exact p = 2/35 = 0.057142857142857141 for both statistics. With B = 200000 the
     * standard error of the estimate is sqrt(p(1 − p)/B) ≈ 0.00052: allow 0.003 (≈ 6 SE). */
    cr_expect(fabs(r.p_mean - 0.057142857142857141) < 0.003, "p_mean %.6f", r.p_mean);
    cr_expect(fabs(r.p_median - 0.057142857142857141) < 0.003, "p_median %.6f", r.p_median);
    cr_expect_eq(r.b_used, 200000);
    cr_expect_eq(r.seed, 12345);
}

Test(compare, ties_in_decimal_sums_count_as_extreme)
{
    /* reference.py "decimals": a = {0.1, 0.2, 0.7, 0.3}, b = {0.4, 0.6, 0.9, 0.8}; exact
     * p = 8/70 = 0.11428571428571428 in rationals. In doubles some relabellings that tie
     * exactly differ in the last bits; the relative tolerance keeps them counted. */
    const double x[] = {0.1, 0.2, 0.7, 0.3, 0.4, 0.6, 0.9, 0.8};
    const uint32_t g[] = {0, 0, 0, 0, 1, 1, 1, 1};
    qala_permutation r;
    cr_assert_eq(qala_compare_permutation(&r, x, g, 8, 0, 1, 7, 200000), QALA_OK);
    cr_expect(fabs(r.p_mean - 0.11428571428571428) < 0.004, "p_mean %.6f", r.p_mean);
    cr_expect(fabs(r.p_median - 0.11428571428571428) < 0.004, "p_median %.6f", r.p_median);
}

Test(compare, same_seed_same_p_other_seed_close_p)
{
    qala_permutation a, b, c;
    cr_assert_eq(qala_compare_permutation(&a, X, G, 12, 0, 2, 42, 0), QALA_OK);
    cr_assert_eq(qala_compare_permutation(&b, X, G, 12, 0, 2, 42, 0), QALA_OK);
    cr_assert_eq(qala_compare_permutation(&c, X, G, 12, 0, 2, 43, 0), QALA_OK);
    cr_expect_eq(a.b_used, QALA_COMPARE_DEFAULT_B);
    cr_expect_eq(a.p_mean, b.p_mean, "same seed: %.17g vs %.17g", a.p_mean, b.p_mean);
    cr_expect_eq(a.p_median, b.p_median);
    cr_expect_neq(a.p_mean, c.p_mean, "another seed draws other relabellings");
    /* both estimate the same p; with B = 9999 their difference has SD below 0.004 */
    cr_expect(fabs(a.p_mean - c.p_mean) < 0.01, "%.6f vs %.6f", a.p_mean, c.p_mean);
    /* groups 0 (9.75..14) and 2 (18..21.5) do not overlap: of the 35 relabellings of
     * 4 + 3 values only the observed one reaches |diff| (exact p = 1/35 ≈ 0.029) */
    cr_expect(fabs(a.p_mean - 1.0 / 35) < 0.01, "p %.4f", a.p_mean);
    cr_expect(a.diff_mean == 11.875 - 19.75);
}

Test(compare, p_value_is_never_zero_and_at_most_one)
{
    /* identical groups: every relabelling is as extreme (diff 0) -> p = 1 */
    const double x[] = {5, 5, 5, 5};
    const uint32_t g[] = {0, 1, 0, 1};
    qala_permutation r;
    cr_assert_eq(qala_compare_permutation(&r, x, g, 4, 0, 1, 1, 99), QALA_OK);
    cr_expect_eq(r.p_mean, 1.0);
    cr_expect_eq(r.diff_mean, 0.0);
    /* far apart: p >= 1/(B + 1) */
    const double y[] = {1, 2, 3, 100, 200, 300};
    const uint32_t h[] = {0, 0, 0, 1, 1, 1};
    cr_assert_eq(qala_compare_permutation(&r, y, h, 6, 0, 1, 1, 999), QALA_OK);
    cr_expect(r.p_mean >= 1.0 / 1000 && r.p_mean > 0);
}

Test(compare, permutation_bad_input)
{
    qala_permutation r;
    cr_expect_eq(qala_compare_permutation(&r, X, G, 12, 1, 1, 1, 10), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "the two groups compared are the same (1)");
    cr_expect_eq(qala_compare_permutation(&r, X, G, 12, 0, 5, 1, 10), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message, "group 5 has no non-missing value to compare");
    cr_expect_eq(qala_compare_permutation(&r, X, G, 12, 0, 1, 1, QALA_COMPARE_MAX_B + 1),
                 QALA_EINVAL);
    const double x[] = {1, -INFINITY};
    cr_expect_eq(qala_compare_permutation(&r, x, (const uint32_t[]){0, 1}, 2, 0, 1, 1, 10),
                 QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "value at index 1 is infinite");
}

Test(compare, allocation_failures_are_reported_and_leak_nothing)
{
    qala_group_summary s[3];
    qala_permutation r;
    calls = 0;
    fail_at = 0;
    qala_allocator_set(&failing_allocator);
    qala_status a = qala_compare_summarise(s, 3, X, G, 12);
    calls = 0;
    qala_status b = qala_compare_permutation(&r, X, G, 12, 0, 1, 1, 10);
    qala_allocator_set(NULL);
    fail_at = -1;
    cr_expect_eq(a, QALA_ENOMEM);
    cr_expect_eq(b, QALA_ENOMEM);
    cr_assert_eq(qala_compare_summarise(s, 3, X, G, 12), QALA_OK);
}
