/* Bad input and edge cases: NULL arguments, strides 0, n = 0, every unit missing, negative
 * and zero weights, group ids out of range, allocation failures (each allocation failed
 * in turn: tests/unit/failing_alloc.h), and the measure table. Values are synthetic. */
#include <string.h>

#include "failing_alloc.h"
#include "ineq_test.h"
#include "qala/inequality.h"

static const double Y[] = {3, 1, 4, 1, 5, 9, 2, 6};
static const double W[] = {10, 20, 30, 40, 50, 60, 70, 80};
static const uint32_t G[] = {0, 1, 0, 1, 2, 2, 0, 1};
static const uint32_t OUTER_OF[] = {0, 0, 1};

Test(bad_input, null_arguments_are_einval)
{
    qala_ineq_summary s;
    cr_expect_eq(qala_ineq_summarise(NULL, Y, 1, W, 1, 8, NULL), QALA_EINVAL);
    cr_expect_eq(qala_ineq_summarise(&s, NULL, 1, W, 1, 8, NULL), QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "must not be NULL"), "%s", qala_error_last()->message);
    qala_theil_decomp d;
    cr_expect_eq(qala_theil_decompose(NULL, NULL, Y, 1, W, 1, G, 8, 3), QALA_EINVAL);
    cr_expect_eq(qala_theil_decompose(&d, NULL, Y, 1, W, 1, NULL, 8, 3), QALA_EINVAL);
    qala_theil_nested r;
    cr_expect_eq(qala_theil_nested_decompose(&r, NULL, NULL, Y, 1, W, 1, G, 8, NULL, 3, 2), QALA_EINVAL);
    cr_expect_eq(qala_theil_nested_decompose(&r, NULL, NULL, NULL, 1, W, 1, G, 8, OUTER_OF, 3, 2),
                 QALA_EINVAL);
    cr_expect_eq(qala_ineq_measure_parse(NULL, "gini"), QALA_EINVAL);
}

Test(bad_input, zero_strides_are_einval)
{
    qala_ineq_summary s;
    cr_expect_eq(qala_ineq_summarise(&s, Y, 0, W, 1, 8, NULL), QALA_EINVAL);
    cr_expect_eq(qala_ineq_summarise(&s, Y, 1, W, 0, 8, NULL), QALA_EINVAL);
    cr_expect_eq(qala_ineq_summarise(&s, Y, 1, NULL, 0, 8, NULL), QALA_OK, "no weights: wstride unused");
    qala_theil_decomp d;
    cr_expect_eq(qala_theil_decompose(&d, NULL, Y, 0, W, 1, G, 8, 3), QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "strides"), "%s", qala_error_last()->message);
}

Test(bad_input, no_units_is_a_result_not_an_error)
{
    qala_ineq_summary s;
    cr_assert_eq(qala_ineq_summarise(&s, NULL, 1, NULL, 1, 0, NULL), QALA_OK);
    cr_expect_eq(s.n_used, 0);
    cr_expect_eq(s.n_missing, 0);
    cr_expect(isnan(s.gini) && isnan(s.theil_t) && isnan(s.mean) && isnan(s.top_bottom_20));
    qala_theil_decomp d;
    qala_ineq_group g[3];
    cr_assert_eq(qala_theil_decompose(&d, g, NULL, 1, NULL, 1, NULL, 0, 3), QALA_OK);
    cr_expect_eq(d.n_used, 0);
    cr_expect(isnan(d.t.total) && isnan(d.l.within) && isnan(d.t.between));
    cr_expect(g[2].n == 0 && isnan(g[2].mean) && g[2].pop_share == 0);
}

Test(bad_input, all_missing_counts_every_unit)
{
    const double y[] = {NAN, 2, 3, NAN};
    const double w[] = {1, 0, -4, 7}; /* 0 and negative weights: left out, counted */
    qala_ineq_summary s;
    cr_assert_eq(qala_ineq_summarise(&s, y, 1, w, 1, 4, NULL), QALA_OK);
    cr_expect_eq(s.n_used, 0);
    cr_expect_eq(s.n_missing, 4);
    cr_expect(isnan(s.gini) && isnan(s.cv) && isnan(s.maxmin) && isnan(s.sd_log));
    qala_theil_decomp d;
    const uint32_t g[] = {0, 0, 1, 1};
    cr_assert_eq(qala_theil_decompose(&d, NULL, y, 1, w, 1, g, 4, 2), QALA_OK);
    cr_expect_eq(d.n_missing, 4);
    cr_expect_eq(d.n_groups, 0);
    cr_expect(isnan(d.t.total) && isnan(d.mean));
}

Test(bad_input, negative_weights_are_left_out_and_counted)
{
    double w[8];
    memcpy(w, W, sizeof w);
    w[5] = -60; /* the unit 9 */
    qala_ineq_summary a, b;
    cr_assert_eq(qala_ineq_summarise(&a, Y, 1, w, 1, 8, NULL), QALA_OK);
    cr_expect_eq(a.n_missing, 1);
    cr_expect_eq(a.max, 6.0, "the unit 9 is not used");
    double y7[] = {3, 1, 4, 1, 5, 2, 6}, w7[] = {10, 20, 30, 40, 50, 70, 80};
    cr_assert_eq(qala_ineq_summarise(&b, y7, 1, w7, 1, 7, NULL), QALA_OK);
    expect_rel(a.gini, b.gini, 1e-15, "gini without the unit");
}

Test(bad_input, nonpositive_mean_gives_nan_not_an_error)
{
    const double y[] = {-3, 1, 2};
    qala_ineq_summary s;
    cr_assert_eq(qala_ineq_summarise(&s, y, 1, NULL, 1, 3, NULL), QALA_OK);
    cr_expect_eq(s.mean, 0.0);
    cr_expect(isnan(s.gini) && isnan(s.cv), "mean 0: gini %g cv %g", s.gini, s.cv);
    cr_expect_eq(s.n_nonpositive, 1);
    expect_rel(s.theil_l, log(1.5) - 0.5 * log(2.0), 1e-15, "theil L over {1, 2}");
}

Test(bad_input, group_out_of_range_is_einval_naming_the_unit)
{
    uint32_t g[8];
    memcpy(g, G, sizeof g);
    g[6] = 3;
    qala_theil_decomp d;
    cr_assert_eq(qala_theil_decompose(&d, NULL, Y, 1, W, 1, g, 8, 3), QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "unit 6 has group 3"), "%s", qala_error_last()->message);
    qala_theil_nested r;
    cr_assert_eq(qala_theil_nested_decompose(&r, NULL, NULL, Y, 1, W, 1, g, 8, OUTER_OF, 3, 2),
                 QALA_EINVAL);
    const uint32_t bad_outer[] = {0, 2, 1};
    cr_assert_eq(qala_theil_nested_decompose(&r, NULL, NULL, Y, 1, W, 1, G, 8, bad_outer, 3, 2),
                 QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "inner group 1 is in outer group 2"), "%s",
              qala_error_last()->message);
}

Test(bad_input, allocation_failures_leak_nothing)
{
    /* Fail each allocation in turn until the call succeeds; ASan checks the leaks. */
    for (fail_at = 0;; fail_at++) {
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_ineq_summary s;
        qala_status st = qala_ineq_summarise(&s, Y, 1, W, 1, 8, NULL);
        qala_allocator_set(NULL);
        if (st == QALA_OK)
            break;
        cr_assert_eq(st, QALA_ENOMEM);
    }
    cr_expect_eq(fail_at, 1, "one allocation (the scratch)");
    for (fail_at = 0;; fail_at++) {
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_theil_nested r;
        qala_status st = qala_theil_nested_decompose(&r, NULL, NULL, Y, 1, W, 1, G, 8, OUTER_OF, 3, 2);
        qala_allocator_set(NULL);
        if (st == QALA_OK)
            break;
        cr_assert_eq(st, QALA_ENOMEM);
    }
    cr_expect_eq(fail_at, 1);
    for (fail_at = 0;; fail_at++) {
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_theil_decomp d;
        qala_status st = qala_theil_decompose(&d, NULL, Y, 1, W, 1, G, 8, 3);
        qala_allocator_set(NULL);
        if (st == QALA_OK)
            break;
        cr_assert_eq(st, QALA_ENOMEM);
        cr_expect(strstr(qala_error_last()->message, "out of memory"));
    }
    cr_expect_eq(fail_at, 1);
    /* With caller buffers nothing is allocated. */
    fail_at = 0;
    calls = 0;
    qala_allocator_set(&failing_allocator);
    qala_ineq_item items[8];
    qala_ineq_group g[3];
    qala_ineq_summary s;
    qala_theil_decomp d;
    cr_expect_eq(qala_ineq_summarise(&s, Y, 1, W, 1, 8, items), QALA_OK);
    cr_expect_eq(qala_theil_decompose(&d, g, Y, 1, W, 1, G, 8, 3), QALA_OK);
    qala_allocator_set(NULL);
    cr_expect_eq(calls, 0);
}

Test(measure_table, names_parse_and_round_trip)
{
    size_t count = 0;
    const qala_ineq_measure_info *t = qala_ineq_measures(&count);
    cr_assert_eq(count, QALA_INEQ_MEASURE_COUNT);
    for (size_t i = 0; i < count; i++) {
        cr_expect_eq((size_t)t[i].measure, i, "table in enum order");
        qala_ineq_measure m;
        cr_assert_eq(qala_ineq_measure_parse(&m, t[i].name), QALA_OK);
        cr_expect_eq(m, t[i].measure);
        cr_expect_str_eq(qala_ineq_measure_code(m), t[i].name);
    }
    qala_ineq_measure m;
    cr_assert_eq(qala_ineq_measure_parse(&m, "mld"), QALA_OK);
    cr_expect_eq(m, QALA_INEQ_THEIL_L);
    cr_assert_eq(qala_ineq_measure_parse(&m, "ge1"), QALA_OK);
    cr_expect_eq(m, QALA_INEQ_THEIL_T);
    cr_expect_eq(qala_ineq_measure_parse(&m, "atkinson"), QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "'atkinson'"));
    cr_expect_str_eq(qala_ineq_measure_code((qala_ineq_measure)99), "?");
    cr_expect(t[QALA_INEQ_THEIL_T].flags & QALA_INEQ_DECOMPOSABLE);
    cr_expect(!(t[QALA_INEQ_GINI].flags & QALA_INEQ_DECOMPOSABLE));
    qala_ineq_summary s = {.gini = 0.5};
    cr_expect(isnan(qala_ineq_summary_get(&s, (qala_ineq_measure)99)));
    cr_expect_eq(qala_ineq_summary_get(&s, QALA_INEQ_GINI), 0.5);
}
