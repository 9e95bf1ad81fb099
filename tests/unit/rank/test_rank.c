/* Tests of qala_rank_min / qala_rank_min_groups: hand-checked ranks with ties, missing
 * values, strides, in-place use, groups, bad arguments, allocation failure; the ASEM
 * index ranks against the published ones (../shared/data/README.md) and every column of
 * COINr's Aggregated table against the definition (1 + number of strictly higher scores). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "coinr_table.h"
#include "failing_alloc.h"
#include "qala/rank.h"

#define N(a) (sizeof(a) / sizeof *(a))

static void expect_ranks(const double *got, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(want[i]))
            cr_expect(isnan(got[i]), "cell %zu: want NAN, got %g", i, got[i]);
        else
            cr_expect_eq(got[i], want[i], "cell %zu: want %g, got %g", i, want[i], got[i]);
    }
}

Test(rank, descending_ties_share_the_minimum_rank)
{
    /* 5 and 5 are best (1, 1); 4 has two strictly higher -> 3; 3 -> 4; 1 -> 5; NAN -> none. */
    double x[] = {3, 5, 5, 1, NAN, 4}, out[N(x)];
    double want[] = {4, 1, 1, 5, NAN, 3};
    cr_assert_eq(qala_rank_min(out, 1, x, 1, N(x), QALA_RANK_DESC, NULL), QALA_OK);
    expect_ranks(out, want, N(x));
}

Test(rank, ascending_ranks_lowest_first)
{
    /* 1 -> 1; 3 -> 2; 4 -> 3; 5, 5 -> 4, 4 (two strictly lower than... three lower: 1, 3, 4). */
    double x[] = {3, 5, 5, 1, NAN, 4}, out[N(x)];
    double want[] = {2, 4, 4, 1, NAN, 3};
    cr_assert_eq(qala_rank_min(out, 1, x, 1, N(x), QALA_RANK_ASC, NULL), QALA_OK);
    expect_ranks(out, want, N(x));
}

Test(rank, three_way_tie_and_negative_zero)
{
    /* -0.0 == 0.0: three tied at the top (rank 1), -1 has three above -> 4. */
    double x[] = {0.0, -1, -0.0, 0.0}, out[N(x)];
    double want[] = {1, 4, 1, 1};
    cr_assert_eq(qala_rank_min(out, 1, x, 1, N(x), QALA_RANK_DESC, NULL), QALA_OK);
    expect_ranks(out, want, N(x));
}

Test(rank, strided_in_place_with_caller_scratch)
{
    /* Column 1 of a 4x2 row-major table: 7, 9, 7, 2 -> 2, 1, 2, 4; written over itself. */
    double t[] = {0, 7, 0, 9, 0, 7, 0, 2};
    qala_rank_item scratch[4];
    cr_assert_eq(qala_rank_min(t + 1, 2, t + 1, 2, 4, QALA_RANK_DESC, scratch), QALA_OK);
    double want[] = {0, 2, 0, 1, 0, 2, 0, 4};
    expect_ranks(t, want, N(t));
}

Test(rank, all_missing_and_empty)
{
    double x[] = {NAN, NAN}, out[] = {5, 5};
    cr_assert_eq(qala_rank_min(out, 1, x, 1, 2, QALA_RANK_DESC, NULL), QALA_OK);
    cr_expect(isnan(out[0]) && isnan(out[1]));
    cr_expect_eq(qala_rank_min(out, 1, x, 1, 0, QALA_RANK_DESC, NULL), QALA_OK);
}

Test(rank, within_groups)
{
    /* Group 0: 10, 5, 7 -> 1, 3, 2. Group 1: 20, 20, NAN -> 1, 1, NAN. Group 9: 1 -> 1.
     * A unit of no group -> NAN, and it does not count anywhere. */
    double x[] = {10, 20, 20, 5, 7, NAN, 1, 100}, out[N(x)];
    size_t g[] = {0, 1, 1, 0, 0, 1, 9, QALA_RANK_NO_GROUP};
    double want[] = {1, 1, 1, 3, 2, NAN, 1, NAN};
    cr_assert_eq(qala_rank_min_groups(out, 1, x, 1, g, N(x), QALA_RANK_DESC, NULL), QALA_OK);
    expect_ranks(out, want, N(x));
    /* Ascending in groups: group 0: 5 -> 1, 7 -> 2, 10 -> 3. */
    double want_asc[] = {3, 1, 1, 1, 2, NAN, 1, NAN};
    cr_assert_eq(qala_rank_min_groups(out, 1, x, 1, g, N(x), QALA_RANK_ASC, NULL), QALA_OK);
    expect_ranks(out, want_asc, N(x));
}

Test(rank, bad_arguments_are_refused)
{
    double x[] = {1, 2}, out[2];
    cr_expect_eq(qala_rank_min(out, 1, x, 0, 2, QALA_RANK_DESC, NULL), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "qala_rank_min: stride and ostride must be at least 1");
    cr_expect_eq(qala_rank_min(out, 0, x, 1, 2, QALA_RANK_DESC, NULL), QALA_EINVAL);
    cr_expect_eq(qala_rank_min(out, 1, x, 1, 2, (qala_rank_order)7, NULL), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "qala_rank_min: order must be QALA_RANK_DESC or QALA_RANK_ASC, not 7");
    cr_expect_eq(qala_rank_min_groups(out, 1, x, 1, NULL, 2, QALA_RANK_DESC, NULL), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "qala_rank_min_groups: group ids are missing (NULL)");
}

Test(rank, allocation_failure_leaves_out_untouched)
{
    double x[] = {1, 2, 3}, out[] = {-1, -1, -1};
    fail_at = 0;
    calls = 0;
    qala_allocator_set(&failing_allocator);
    qala_status st = qala_rank_min(out, 1, x, 1, 3, QALA_RANK_DESC, NULL);
    qala_allocator_set(NULL);
    cr_expect_eq(st, QALA_ENOMEM);
    cr_expect(out[0] == -1 && out[1] == -1 && out[2] == -1);
    fail_at = -1;
}

/* Published ASEM ranks (../shared/data/README.md): CHE 1, NLD 2, DNK 3, NOR 4, BEL 5,
 * SWE 6, IND 45, from COINr's Index column. */
Test(rank, asem_index_ranks_are_the_published_ones)
{
    coinr_table t;
    coinr_load(&t, "expected/ASEM_COIN_Aggregated.csv");
    double *idx = malloc(t.nrows * sizeof *idx), *r = malloc(t.nrows * sizeof *r);
    coinr_column(&t, "Index", idx);
    cr_assert_eq(qala_rank_min(r, 1, idx, 1, t.nrows, QALA_RANK_DESC, NULL), QALA_OK);
    const char *code[] = {"CHE", "NLD", "DNK", "NOR", "BEL", "SWE", "IND"};
    double want[] = {1, 2, 3, 4, 5, 6, 45};
    for (size_t k = 0; k < N(code); k++)
        cr_expect_eq(r[coinr_row(&t, code[k])], want[k], "%s: rank %g, published %g", code[k],
                     r[coinr_row(&t, code[k])], want[k]);
    free(idx);
    free(r);
    coinr_free(&t);
}

/* Every numeric column of COINr's Aggregated table (indicators with many tied values,
 * e.g. CostImpEx and TIRcon at 100, and the aggregates), ranked both ways, in groups of
 * Group_EurAsia too, against the definition counted pair by pair. */
Test(rank, asem_columns_match_the_definition)
{
    coinr_table t;
    coinr_load(&t, "expected/ASEM_COIN_Aggregated.csv");
    size_t n = t.nrows, gcol = coinr_col(&t, "Group_EurAsia");
    double *x = malloc(n * sizeof *x), *r = malloc(n * sizeof *r);
    size_t *g = malloc(n * sizeof *g);
    for (size_t i = 0; i < n; i++)
        g[i] = strcmp(t.text[i * t.ncols + gcol], "Europe") == 0 ? 1 : 2;
    size_t columns = 0, tied = 0;
    for (size_t j = coinr_col(&t, "Goods"); j < t.ncols; j++) {
        coinr_column(&t, t.header[j], x);
        for (int grouped = 0; grouped < 2; grouped++)
            for (int asc = 0; asc < 2; asc++) {
                qala_rank_order o = asc ? QALA_RANK_ASC : QALA_RANK_DESC;
                if (grouped)
                    cr_assert_eq(qala_rank_min_groups(r, 1, x, 1, g, n, o, NULL), QALA_OK);
                else
                    cr_assert_eq(qala_rank_min(r, 1, x, 1, n, o, NULL), QALA_OK);
                for (size_t i = 0; i < n; i++) {
                    double better = 0;
                    for (size_t k = 0; k < n; k++)
                        if ((!grouped || g[k] == g[i]) && (asc ? x[k] < x[i] : x[k] > x[i]))
                            better++;
                    if (isnan(x[i]))
                        cr_expect(isnan(r[i]));
                    else
                        cr_expect_eq(r[i], better + 1, "%s row %zu", t.header[j], i);
                }
            }
        for (size_t i = 0; i < n; i++)
            for (size_t k = i + 1; k < n; k++)
                tied += x[i] == x[k];
        columns++;
    }
    /* 49 indicators + 8 pillars + 2 sub-indices + the index (ASEM_COIN_Structure.csv). */
    cr_expect_eq(columns, 60, "indicator and aggregate columns");
    cr_expect_gt(tied, 100, "the table has many ties to check (%zu pairs)", tied);
    free(x);
    free(r);
    free(g);
    coinr_free(&t);
}

/* The radix path (64 scores or more): ranks equal the definition "1 + the number of
 * strictly better scores" counted by brute force, on 5,000 scores with many ties,
 * negatives, -0 and +0, infinities and missing values, both orders, strided, in place. */
Test(rank, radix_path_matches_the_definition_on_many_ties)
{
    enum { N = 5000 };
    static double x[2 * N], out[2 * N], expect[N];
    unsigned s = 12345u;
    for (size_t i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        unsigned r = (s >> 16) % 1000;
        /* 200 distinct values with full mantissas (ties between units) */
        double v = ((double)((int)(r % 200) - 100) + 1.0 / 3.0) * 1.0000001;
        if (r % 7 == 0) /* values that differ only in their lowest bits */
            v = 1.0 / 3.0 + (double)(r % 50) * 0x1p-52;
        if (r % 97 == 0)
            v = NAN;
        else if (r % 89 == 0)
            v = (r & 1) ? -0.0 : 0.0;
        else if (r == 500)
            v = INFINITY;
        else if (r == 501)
            v = -INFINITY;
        else if (r % 83 == 0)
            v = v * 1e300; /* huge magnitudes */
        x[2 * i] = v;
    }
    for (int order = 0; order < 2; order++) {
        for (size_t i = 0; i < N; i++) {
            double v = x[2 * i];
            if (isnan(v)) {
                expect[i] = NAN;
                continue;
            }
            size_t better = 0;
            for (size_t j = 0; j < N; j++) {
                double w = x[2 * j];
                better += order == QALA_RANK_DESC ? w > v : w < v;
            }
            expect[i] = (double)(better + 1);
        }
        cr_assert_eq(qala_rank_min(out, 2, x, 2, N, (qala_rank_order)order, NULL), QALA_OK);
        for (size_t i = 0; i < N; i++) {
            if (isnan(expect[i]))
                cr_assert(isnan(out[2 * i]), "unit %zu: missing score ranked", i);
            else
                cr_assert_eq(out[2 * i], expect[i], "order %d unit %zu (%g): rank %g, expected %g",
                             order, i, x[2 * i], out[2 * i], expect[i]);
        }
    }
    /* in place (out = x) gives the same descending ranks */
    static double y[N];
    for (size_t i = 0; i < N; i++)
        y[i] = x[2 * i];
    cr_assert_eq(qala_rank_min(y, 1, y, 1, N, QALA_RANK_DESC, NULL), QALA_OK);
    cr_assert_eq(qala_rank_min(out, 1, x, 2, N, QALA_RANK_DESC, NULL), QALA_OK);
    for (size_t i = 0; i < N; i++)
        cr_assert(isnan(out[i]) ? isnan(y[i]) : y[i] == out[i], "in place, unit %zu", i);
}

/* Scores closer than 2^-32 of their range share a sort prefix (rank.c): 3,000 values a few
 * ulps apart beside one far outlier must still be ranked by their whole values, in the
 * short runs (insertion) and in a long run (its own buffer); when that buffer cannot be
 * had, the call fails cleanly and out is untouched. */
Test(rank, scores_closer_than_the_prefix_are_ordered_exactly)
{
    enum { N = 3001 };
    static double x[N], out[N];
    unsigned s = 777u;
    for (size_t i = 0; i + 1 < N; i++) {
        s = s * 1103515245u + 12345u;
        x[i] = 1.0 + (double)((s >> 16) % 2000) * 0x1p-52; /* ties and 1-ulp steps */
    }
    x[N - 1] = -1e300; /* the range: the others share one prefix */
    for (int order = 0; order < 2; order++) {
        cr_assert_eq(qala_rank_min(out, 1, x, 1, N, (qala_rank_order)order, NULL), QALA_OK);
        for (size_t i = 0; i < N; i++) {
            size_t better = 0;
            for (size_t j = 0; j < N; j++)
                better += order == QALA_RANK_DESC ? x[j] > x[i] : x[j] < x[i];
            cr_assert_eq(out[i], (double)(better + 1), "order %d unit %zu", order, i);
        }
    }
    /* a short run (insertion): 20 distinct values within 20 ulps, in scrambled order, among
     * 100 spread ones */
    static double y[121], yo[121];
    for (size_t i = 0; i < 20; i++)
        y[i] = 1.0 + (double)((i * 7) % 20) * 0x1p-52;
    for (size_t i = 20; i < 120; i++)
        y[i] = (double)i * 1e10;
    y[120] = -1e300;
    cr_assert_eq(qala_rank_min(yo, 1, y, 1, 121, QALA_RANK_DESC, NULL), QALA_OK);
    for (size_t i = 0; i < 121; i++) {
        size_t better = 0;
        for (size_t j = 0; j < 121; j++)
            better += y[j] > y[i];
        cr_assert_eq(yo[i], (double)(better + 1), "short run: unit %zu", i);
    }
    /* the scratch, then the long run's buffer: each failure leaves out untouched */
    for (long k = 0; k < 2; k++) {
        for (size_t i = 0; i < N; i++)
            out[i] = -1;
        fail_at = k;
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_status st = qala_rank_min(out, 1, x, 1, N, QALA_RANK_DESC, NULL);
        qala_allocator_set(NULL);
        fail_at = -1;
        cr_assert_eq(st, QALA_ENOMEM, "allocation %ld failed", k);
        for (size_t i = 0; i < N; i++)
            cr_assert_eq(out[i], -1, "allocation %ld failed: cell %zu written", k, i);
    }
}
