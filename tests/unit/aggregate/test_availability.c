/* The availability threshold at its boundaries (COINr's dat_thresh: NA when the share of
 * non-missing children is strictly below the threshold), its order with the domain
 * checks, and bad arguments. Values are synthetic. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "qala/aggregate.h"

/* Four units of four children, column-major: unit i has 4 − i children present
 * (4, 3, 2, 1), each present value 10·(j + 1). */
static void block(double x[16])
{
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++)
            x[i + 4 * j] = j < 4 - i ? 10.0 * (double)(j + 1) : NAN;
}

Test(availability, half_threshold_keeps_two_of_four_and_drops_one_of_four)
{
    /* Means over the present children: 25, 20, 15, 10. Threshold 0.5: 2/4 = 0.5 is not
     * below it (kept); 1/4 is (NAN). */
    double x[16], out[4];
    uint8_t fl[4];
    qala_agg_report rep;
    block(x);
    qala_agg_spec spec = {.availability = 0.5};
    cr_assert_eq(qala_agg_node(out, fl, &rep, x, 4, 4, 1, 4, NULL, &spec), QALA_OK);
    cr_expect_float_eq(out[0], 25.0, 1e-12);
    cr_expect_float_eq(out[1], 20.0, 1e-12);
    cr_expect_float_eq(out[2], 15.0, 1e-12);
    cr_expect(isnan(out[3]));
    cr_expect_eq(fl[2], 0);
    cr_expect_eq(fl[3], QALA_AGG_FLAG_LOW_AVAILABILITY);
    cr_expect_eq(rep.n_missing, 1);
}

Test(availability, three_quarters_and_one)
{
    double x[16], out[4];
    uint8_t fl[4];
    block(x);
    qala_agg_spec spec = {.availability = 0.75};
    cr_assert_eq(qala_agg_node(out, fl, NULL, x, 4, 4, 1, 4, NULL, &spec), QALA_OK);
    cr_expect(!isnan(out[1])); /* 3/4 = 0.75: kept */
    cr_expect(isnan(out[2]));  /* 2/4 < 0.75 */
    cr_expect_eq(fl[2], QALA_AGG_FLAG_LOW_AVAILABILITY);
    spec.availability = 1;
    cr_assert_eq(qala_agg_node(out, fl, NULL, x, 4, 4, 1, 4, NULL, &spec), QALA_OK);
    cr_expect_float_eq(out[0], 25.0, 1e-12);
    cr_expect(isnan(out[1]));
    /* just above 3/4 drops unit 1 too */
    spec.availability = nextafter(0.75, 1);
    cr_assert_eq(qala_agg_node(out, fl, NULL, x, 4, 4, 1, 4, NULL, &spec), QALA_OK);
    cr_expect(isnan(out[1]));
}

Test(availability, two_thirds_threshold_keeps_two_of_three)
{
    /* (double)2/3 < 2.0/3 is false: the same division as COINr's sum/length. */
    const double x[] = {3, NAN, 6};
    double out[1];
    qala_agg_spec spec = {.availability = 2.0 / 3};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, x, 1, 3, 1, 1, NULL, &spec), QALA_OK);
    cr_expect_float_eq(out[0], 4.5, 1e-12);
}

Test(availability, zero_threshold_still_needs_one_child)
{
    const double x[] = {NAN, NAN};
    double out[1];
    uint8_t fl[1];
    qala_agg_spec spec = {0};
    cr_assert_eq(qala_agg_node(out, fl, NULL, x, 1, 2, 1, 1, NULL, &spec), QALA_OK);
    cr_expect(isnan(out[0]));
    cr_expect_eq(fl[0], QALA_AGG_FLAG_NO_DATA);
    /* with a threshold both reasons are flagged */
    spec.availability = 0.5;
    cr_assert_eq(qala_agg_node(out, fl, NULL, x, 1, 2, 1, 1, NULL, &spec), QALA_OK);
    cr_expect_eq(fl[0], QALA_AGG_FLAG_NO_DATA | QALA_AGG_FLAG_LOW_AVAILABILITY);
}

Test(availability, a_unit_below_threshold_is_not_checked_for_zeros)
{
    /* As COINr: a row under dat_thresh is NA before f_ag sees it, so its zero is no
     * error. Unit 0: (0, NA, NA) with threshold 0.5 → NAN; unit 1: (4, 1, 2) → 2. */
    const double x[] = {0, 4, NAN, 1, NAN, 2};
    double out[2];
    qala_agg_spec spec = {.method = QALA_AGG_GEOMETRIC, .availability = 0.5};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, x, 2, 3, 1, 2, NULL, &spec), QALA_OK, "%s",
                 qala_error_last()->message);
    cr_expect(isnan(out[0]));
    cr_expect_float_eq(out[1], 2.0, 1e-12);
}

Test(availability, bad_thresholds_are_refused)
{
    const double x[] = {1};
    double out[1];
    qala_agg_spec spec = {.availability = 1.5};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, x, 1, 1, 1, 1, NULL, &spec), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "aggregation: availability threshold 1.5 is not in [0, 1]");
    spec.availability = -0.1;
    cr_expect_eq(qala_agg_node(out, NULL, NULL, x, 1, 1, 1, 1, NULL, &spec), QALA_EINVAL);
    spec.availability = NAN;
    cr_expect_eq(qala_agg_node(out, NULL, NULL, x, 1, 1, 1, 1, NULL, &spec), QALA_EINVAL);
}

Test(arguments, bad_weights_strides_spec_and_values)
{
    const double x[] = {1, 2, 3, 4};
    double out[2];
    qala_agg_spec spec = {0};
    const double neg[] = {1, -1};
    cr_assert_eq(qala_agg_node(out, NULL, NULL, x, 2, 2, 1, 2, neg, &spec), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "aggregation: weight of child index 1 is -1; expected a finite number >= 0");
    const double nanw[] = {NAN, 1};
    cr_expect_eq(qala_agg_node(out, NULL, NULL, x, 2, 2, 1, 2, nanw, &spec), QALA_EINVAL);
    cr_expect_eq(qala_agg_node(out, NULL, NULL, x, 2, 2, 0, 2, NULL, &spec), QALA_EINVAL);
    cr_expect_eq(qala_agg_node(out, NULL, NULL, x, 2, 2, 1, 2, NULL, NULL), QALA_EINVAL);
    spec.method = (qala_agg_method)7;
    cr_expect_eq(qala_agg_node(out, NULL, NULL, x, 2, 2, 1, 2, NULL, &spec), QALA_EINVAL);
    spec.method = QALA_AGG_GEOMETRIC;
    spec.offset = -1;
    cr_expect_eq(qala_agg_node(out, NULL, NULL, x, 2, 2, 1, 2, NULL, &spec), QALA_EINVAL);
    spec.offset = 0;
    spec.mpi_sd = (qala_agg_sd)9;
    cr_expect_eq(qala_agg_node(out, NULL, NULL, x, 2, 2, 1, 2, NULL, &spec), QALA_EINVAL);
}

Test(arguments, infinite_child_is_a_data_error)
{
    const double x[] = {1, 2, 3, INFINITY};
    double out[2];
    qala_agg_report rep;
    qala_agg_spec spec = {0};
    cr_assert_eq(qala_agg_node(out, NULL, &rep, x, 2, 2, 1, 2, NULL, &spec), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "aggregation: unit index 1, child index 1 is inf, not a finite number");
    cr_expect_eq(rep.unit, 1);
    cr_expect_eq(rep.child, 1);
}

Test(arguments, empty_inputs)
{
    /* No unit: nothing to do. No child: every unit has no data. */
    qala_agg_spec spec = {0};
    qala_agg_report rep;
    cr_expect_eq(qala_agg_node(NULL, NULL, &rep, NULL, 0, 3, 1, 0, NULL, &spec), QALA_OK);
    cr_expect_eq(rep.n_missing, 0);
    double out[2];
    cr_assert_eq(qala_agg_node(out, NULL, &rep, NULL, 2, 0, 1, 2, NULL, &spec), QALA_OK);
    cr_expect(isnan(out[0]) && isnan(out[1]));
    cr_expect_eq(rep.n_missing, 2);
}

/* The arithmetic mean over a columnar block (unit_stride 1: chunks of units, children in
 * the outer loop, a second sum only for units with a gap) gives the same bits as over the
 * transposed block (unit_stride m: one unit at a time), on 1,000 units × 7 children with
 * weights, about 10% missing cells, units with every child missing, and an availability
 * threshold; an infinite child is refused the same way in both layouts. */
Test(aggregate, columnar_and_row_layouts_give_the_same_bits)
{
    enum { N = 1000, M = 7 };
    static double col[N * M], row[N * M], a[N], b[N];
    static uint8_t fa[N], fb[N];
    double w[M] = {1, 2, 0.5, 3, 1, 1.5, 0.25};
    unsigned s = 777u;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < M; j++) {
            s = s * 1103515245u + 12345u;
            unsigned r = (s >> 16) % 1000;
            double v = (double)r / 7.0 - 40.0;
            if (r % 10 == 3 || (i % 97 == 5))
                v = NAN;
            col[i + j * N] = v;
            row[i * M + j] = v;
        }
    qala_agg_spec spec = {.method = QALA_AGG_ARITHMETIC, .availability = 0.6};
    qala_agg_report ra, rb;
    cr_assert_eq(qala_agg_node(a, fa, &ra, col, N, M, 1, N, w, &spec), QALA_OK);
    cr_assert_eq(qala_agg_node(b, fb, &rb, row, N, M, M, 1, w, &spec), QALA_OK);
    size_t scored = 0;
    for (size_t i = 0; i < N; i++) {
        cr_assert(isnan(a[i]) ? isnan(b[i]) : memcmp(&a[i], &b[i], sizeof a[i]) == 0,
                  "unit %zu: %.17g vs %.17g", i, a[i], b[i]);
        cr_assert_eq(fa[i], fb[i], "flags of unit %zu", i);
        scored += !isnan(a[i]);
    }
    cr_assert_eq(ra.n_missing, rb.n_missing);
    cr_assert_gt(scored, 500);
    cr_assert_lt(scored, N, "some units fall below the availability threshold");
    col[300 + 4 * N] = INFINITY;
    row[300 * M + 4] = INFINITY;
    cr_assert_eq(qala_agg_node(a, NULL, &ra, col, N, M, 1, N, w, &spec), QALA_EDATA);
    cr_assert_eq(qala_agg_node(b, NULL, &rb, row, N, M, M, 1, w, &spec), QALA_EDATA);
    cr_assert_eq(ra.unit, 300);
    cr_assert_eq(ra.child, 4);
    cr_assert_eq(rb.unit, 300);
}
