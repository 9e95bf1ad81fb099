/* The methods over all units at once (Copeland, Mazziotta–Pareto), the method table and
 * its names, effective weights on a small tree, allocation failures. Worked values in the
 * comments; data synthetic. Layout: column-major, child j of unit i at x[i + j*n]. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/aggregate.h"

static void run(double *out, uint8_t *flags, const double *x, size_t n, size_t m,
                const double *w, const qala_agg_spec *spec)
{
    cr_assert_eq(qala_agg_node(out, flags, NULL, x, n, m, 1, n, w, spec), QALA_OK, "%s",
                 qala_error_last()->message);
}

/* ---- Copeland ------------------------------------------------------------------- */

/* U0 = (1, 5), U1 = (2, 4), U2 = (1, 5), U3 = (NA, 6); weights (2, 1). */
static const double cop[] = {1, 2, 1, NAN, 5, 4, 5, 6};
static const double cop_w[] = {2, 1};

Test(copeland, weighted_with_ties_between_units)
{
    /* Over U0..U2 (n = 3):
     * U0 vs U1: U0 lower on child 0 (w 2), higher on child 1 (w 1): o = 1/3 < ½ → −1 / +1
     * U0 vs U2: equal on both: o = ½ → 0 / 0
     * U1 vs U2: higher on child 0 (2), lower on child 1 (1): o = 2/3 → +1 / −1
     * scores U0 = −1, U1 = 2, U2 = −1 (U0 and U2 tie). */
    const double x[] = {1, 2, 1, 5, 4, 5};
    double out[3];
    qala_agg_spec spec = {.method = QALA_AGG_COPELAND};
    run(out, NULL, x, 3, 2, cop_w, &spec);
    cr_expect_float_eq(out[0], -1.0, 0);
    cr_expect_float_eq(out[1], 2.0, 0);
    cr_expect_float_eq(out[2], -1.0, 0);
    /* equal weights: every pair of U0..U2 is a tie (one child each way, or all equal) */
    run(out, NULL, x, 3, 2, NULL, &spec);
    for (int i = 0; i < 3; i++)
        cr_expect_float_eq(out[i], 0.0, 0);
}

Test(copeland, missing_child_compares_on_the_common_children)
{
    /* U3 has only child 1 (6), above everyone's child 1 (5, 4, 5): it wins its three
     * pairs. Scores: U0 = −1 − 1 = −2, U1 = 2 − 1 = 1, U2 = −2, U3 = 3. */
    double out[4];
    qala_agg_spec spec = {.method = QALA_AGG_COPELAND};
    run(out, NULL, cop, 4, 2, cop_w, &spec);
    cr_expect_float_eq(out[0], -2.0, 0);
    cr_expect_float_eq(out[1], 1.0, 0);
    cr_expect_float_eq(out[2], -2.0, 0);
    cr_expect_float_eq(out[3], 3.0, 0);
}

Test(copeland, units_below_availability_are_left_out_of_every_pair)
{
    /* threshold 0.6: U3 (1 of 2) is NAN and not compared: back to −1, 2, −1. */
    double out[4];
    uint8_t fl[4];
    qala_agg_spec spec = {.method = QALA_AGG_COPELAND, .availability = 0.6};
    run(out, fl, cop, 4, 2, cop_w, &spec);
    cr_expect_float_eq(out[0], -1.0, 0);
    cr_expect_float_eq(out[1], 2.0, 0);
    cr_expect_float_eq(out[2], -1.0, 0);
    cr_expect(isnan(out[3]));
    cr_expect_eq(fl[3], QALA_AGG_FLAG_LOW_AVAILABILITY);
}

Test(copeland, thirds_do_not_round_into_a_win)
{
    /* Three equal weights, one child above, one below, one equal: o = 1/3 + ½·1/3 = ½
     * exactly in arithmetic, but 1/3 + 1/6 in doubles need not be: the kernel compares
     * weight sums (1 vs 1), so the pair is a tie. */
    const double x[] = {1, 0, 0, 1, 7, 7};
    double out[2];
    qala_agg_spec spec = {.method = QALA_AGG_COPELAND};
    run(out, NULL, x, 2, 3, NULL, &spec);
    cr_expect_float_eq(out[0], 0.0, 0);
    cr_expect_float_eq(out[1], 0.0, 0);
}

/* ---- Mazziotta–Pareto --------------------------------------------------------------- */

/* Child 0 = (1, 2, 3), child 1 = (3, 2, 1) over three units. */
static const double mp[] = {1, 2, 3, 3, 2, 1};

Test(mpi, population_sd_equal_weights)
{
    /* Population SD of each child: √(2/3); d = 10/√(2/3) = √150 = 12.247…
     * unit 0: z = (100 − d, 100 + d): M_z = 100, S_z = d, MPI = 100 − d²/100 = 98.5
     * unit 1: z = (100, 100): 100;  unit 2: as unit 0, 98.5 */
    double out[3];
    qala_agg_spec spec = {.method = QALA_AGG_MPI};
    run(out, NULL, mp, 3, 2, NULL, &spec);
    cr_expect_float_eq(out[0], 98.5, 1e-12);
    cr_expect_float_eq(out[1], 100.0, 1e-12);
    cr_expect_float_eq(out[2], 98.5, 1e-12);
}

Test(mpi, sample_sd_equal_weights)
{
    /* Sample SD of each child: 1, so z = (90, 110) for unit 0; sample S_z of two values:
     * √((10² + 10²)/1) = √200; MPI = 100 − 200/100 = 98. */
    double out[3];
    qala_agg_spec spec = {.method = QALA_AGG_MPI, .mpi_sd = QALA_AGG_SD_SAMPLE};
    run(out, NULL, mp, 3, 2, NULL, &spec);
    cr_expect_float_eq(out[0], 98.0, 1e-12);
    cr_expect_float_eq(out[1], 100.0, 1e-12);
    cr_expect_float_eq(out[2], 98.0, 1e-12);
}

Test(mpi, weighted_population)
{
    /* w (3, 1) → (¾, ¼), d = √150. unit 0: z = (100 − d, 100 + d):
     * M_z = ¾(100 − d) + ¼(100 + d) = 100 − d/2; z0 − M_z = −d/2, z1 − M_z = 3d/2;
     * S_z² = ¾·d²/4 + ¼·9d²/4 = ¾·d² = 112.5; MPI = M_z − S_z²/M_z. */
    double out[3];
    const double w[] = {3, 1};
    qala_agg_spec spec = {.method = QALA_AGG_MPI};
    run(out, NULL, mp, 3, 2, w, &spec);
    double d = sqrt(150), mz = 100 - d / 2;
    cr_expect_float_eq(out[0], mz - 112.5 / mz, 1e-12);
    cr_expect_float_eq(out[1], 100.0, 1e-12);
}

Test(mpi, missing_child_leaves_one_z_and_no_penalty)
{
    /* Child 0 = (1, NA, 3): mean 2, population SD 1 → z = 90, ·, 110.
     * Child 1 = (3, 2, 1): √(2/3) → z = 100 + d, 100, 100 − d (d = √150).
     * unit 1 has only child 1: z = 100, S_z = 0 → 100.
     * unit 0: z = (90, 100 + d): M = 95 + d/2, S_z² = ((10 + d)/2)², MPI = M − S_z²/M. */
    const double x[] = {1, NAN, 3, 3, 2, 1};
    double out[3];
    qala_agg_spec spec = {.method = QALA_AGG_MPI};
    run(out, NULL, x, 3, 2, NULL, &spec);
    double d = sqrt(150), m = 95 + d / 2, s2 = (10 + d) * (10 + d) / 4;
    cr_expect_float_eq(out[0], m - s2 / m, 1e-12);
    cr_expect_float_eq(out[1], 100.0, 1e-12);
}

Test(mpi, constant_child_contributes_z_100)
{
    /* Child 1 constant (5, 5): S = 0, z = 100 for both units. Child 0 (0, 2): z = 90,
     * 110. unit 0: z = (90, 100): M = 95, S_z = 5, MPI = 95 − 25/95. */
    const double x[] = {0, 2, 5, 5};
    double out[2];
    qala_agg_spec spec = {.method = QALA_AGG_MPI};
    run(out, NULL, x, 2, 2, NULL, &spec);
    cr_expect_float_eq(out[0], 95 - 25.0 / 95, 1e-12);
    cr_expect_float_eq(out[1], 105 - 25.0 / 105, 1e-12);
}

Test(mpi, allocation_failure_is_reported_and_frees_nothing_twice)
{
    double out[3];
    qala_agg_spec spec = {.method = QALA_AGG_MPI};
    qala_allocator_set(&failing_allocator);
    calls = 0;
    fail_at = 0;
    qala_status st = qala_agg_node(out, NULL, NULL, mp, 3, 2, 1, 3, NULL, &spec);
    qala_allocator_set(NULL);
    cr_expect_eq(st, QALA_ENOMEM);
    calls = 0;
    fail_at = -1;
    run(out, NULL, mp, 3, 2, NULL, &spec);
    cr_expect_float_eq(out[1], 100.0, 1e-12);
}

/* ---- the table ------------------------------------------------------------------ */

Test(table, rows_in_enum_order_and_names_round_trip)
{
    size_t count;
    const qala_agg_method_info *t = qala_agg_methods(&count);
    cr_assert_eq(count, QALA_AGG_METHOD_COUNT);
    static const char *names[] = {"arithmetic", "geometric", "harmonic", "power",
                                  "copeland", "mpi", "meanmin"};
    for (size_t i = 0; i < count; i++) {
        cr_expect_eq((size_t)t[i].method, i);
        cr_expect_not_null(t[i].fn);
        cr_expect_str_eq(t[i].name, names[i]);
        cr_expect_str_eq(qala_agg_method_code(t[i].method), names[i]);
        qala_agg_method m;
        cr_assert_eq(qala_agg_method_parse(&m, names[i]), QALA_OK);
        cr_expect_eq(m, t[i].method);
    }
    cr_expect(t[QALA_AGG_COPELAND].flags & QALA_AGG_WHOLE);
    cr_expect(t[QALA_AGG_MPI].flags & QALA_AGG_WHOLE);
    cr_expect(!(t[QALA_AGG_ARITHMETIC].flags & QALA_AGG_WHOLE));
    cr_expect(t[QALA_AGG_GEOMETRIC].flags & QALA_AGG_POSITIVE);
    cr_expect_str_eq(qala_agg_method_code((qala_agg_method)99), "?");
}

Test(table, coinr_names_parse_and_unknown_names_fail)
{
    qala_agg_method m;
    cr_assert_eq(qala_agg_method_parse(&m, "a_amean"), QALA_OK);
    cr_expect_eq(m, QALA_AGG_ARITHMETIC);
    cr_assert_eq(qala_agg_method_parse(&m, "a_genmean"), QALA_OK);
    cr_expect_eq(m, QALA_AGG_POWER);
    cr_assert_eq(qala_agg_method_parse(&m, "a_copeland"), QALA_OK);
    cr_expect_eq(m, QALA_AGG_COPELAND);
    cr_assert_eq(qala_agg_method_parse(&m, "median"), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "unknown aggregation method 'median' (expected arithmetic, geometric, "
                     "harmonic, power, copeland, mpi or meanmin)");
    cr_expect_eq(qala_agg_method_parse(&m, "Arithmetic"), QALA_EINVAL);
    cr_expect_eq(qala_agg_method_parse(&m, ""), QALA_EINVAL);
}

Test(table, calling_a_row_directly_matches_the_entry_point)
{
    const double x[] = {1, 2, 4, 8};
    double a[2], b[2];
    qala_agg_report rep = {0, 0, SIZE_MAX, SIZE_MAX};
    qala_agg_spec spec = {.method = QALA_AGG_GEOMETRIC};
    const qala_agg_method_info *t = qala_agg_methods(NULL);
    cr_assert_eq(t[QALA_AGG_GEOMETRIC].fn(a, NULL, &rep, x, 2, 2, 1, 2, NULL, &spec), QALA_OK);
    run(b, NULL, x, 2, 2, NULL, &spec);
    cr_expect_float_eq(a[0], b[0], 0);
    cr_expect_float_eq(a[1], 4.0, 1e-12); /* √(2 · 8) */
}

/* ---- effective weights ---------------------------------------------------------- */

Test(effective_weights, small_tree)
{
    /*        0 (root)
     *      /        \
     *   1 (w 2)    2 (w 1)
     *   /    \        \
     * 3 (w 1) 4 (w 3)  5 (w 5)
     * 1: 2/3, 2: 1/3, 3: 2/3 · 1/4 = 1/6, 4: 2/3 · 3/4 = 1/2, 5: 1/3 · 5/5 = 1/3 */
    const size_t parent[] = {QALA_AGG_ROOT, 0, 0, 1, 1, 2};
    const double w[] = {7, 2, 1, 1, 3, 5};
    double e[6];
    cr_assert_eq(qala_agg_effective_weights(e, parent, w, 6), QALA_OK);
    cr_expect_float_eq(e[0], 1.0, 0);
    cr_expect_float_eq(e[1], 2.0 / 3, 1e-15);
    cr_expect_float_eq(e[2], 1.0 / 3, 1e-15);
    cr_expect_float_eq(e[3], 1.0 / 6, 1e-15);
    cr_expect_float_eq(e[4], 0.5, 1e-15);
    cr_expect_float_eq(e[5], 1.0 / 3, 1e-15);
    cr_expect_float_eq(e[3] + e[4] + e[5], 1.0, 1e-15);
}

Test(effective_weights, bad_trees)
{
    double e[3];
    const double w[] = {1, 1, 1};
    const size_t cycle[] = {QALA_AGG_ROOT, 2, 1};
    cr_assert_eq(qala_agg_effective_weights(e, cycle, w, 3), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "effective weights: node 1 is on a cycle of parents");
    const size_t range[] = {QALA_AGG_ROOT, 0, 3};
    cr_assert_eq(qala_agg_effective_weights(e, range, w, 3), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "effective weights: parent 3 of node 2 is out of range (3 nodes)");
    const size_t tree[] = {QALA_AGG_ROOT, 0, 0};
    const double zero[] = {1, 0, 0};
    cr_assert_eq(qala_agg_effective_weights(e, tree, zero, 3), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "effective weights: the weights of the children of node 0 sum to 0");
    const double neg[] = {1, -1, 2};
    cr_expect_eq(qala_agg_effective_weights(e, tree, neg, 3), QALA_EINVAL);
    cr_expect_eq(qala_agg_effective_weights(e, tree, w, 0), QALA_OK);
}

Test(effective_weights, allocation_failure)
{
    const size_t tree[] = {QALA_AGG_ROOT, 0, 0};
    const double w[] = {1, 1, 3};
    double e[3];
    qala_allocator_set(&failing_allocator);
    calls = 0;
    fail_at = 0;
    qala_status st = qala_agg_effective_weights(e, tree, w, 3);
    qala_allocator_set(NULL);
    fail_at = -1;
    cr_expect_eq(st, QALA_ENOMEM);
    cr_assert_eq(qala_agg_effective_weights(e, tree, w, 3), QALA_OK);
    cr_expect_float_eq(e[2], 0.75, 1e-15);
}
