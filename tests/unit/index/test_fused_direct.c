/* The fused path's direct kernels (src/index_fused.c: min-max children of an arithmetic
 * mean computed from the input columns, column by column when no child has a gap, block
 * by block otherwise, the general path for a block with a missing value) and its rank of
 * one long column split between threads, against the staged path, to the bit.
 *
 * Synthetic data, not real figures: 20,000 fictional units (U00001...) × 12 indicators in
 * three pillars — a direct one (min-max [0,100], one indicator reversed), one with a
 * different target interval [1,100] and unequal weights, and one under a geometric mean
 * (not direct) — over one or two periods, with or without missing cells and a constant
 * column. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/index.h"

enum { NU = 20000, NI = 12, NP = 3, NN = NI + NP + 1, MAXPER = 2 };

static qala_index_node nodes[NN];
static qala_index_tree tree;
static char unit_buf[NU][8];
static const char *units[NU];
static double *cols[NI];
static const char *col_codes[NI];
static char codes[NN][8];
static qala_period periods[MAXPER] = {202100, 202200}; /* year × 100: annual */

static double value(size_t u, size_t j, size_t p)
{
    unsigned long h = (unsigned long)((u + 1) * 2654435761u) ^ ((j + 1) * 40503u) ^ (p * 977u);
    h = (h * 2246822519u) & 0xffffffu;
    return (double)(j + 1) * 3.0 + (double)(h % 100003) / 997.0;
}

static void build(size_t np, int gaps, int constant)
{
    for (size_t j = 0; j < NI; j++) {
        snprintf(codes[j], sizeof codes[j], "I%02zu", j + 1);
        qala_index_node_init(&nodes[j], QALA_INDEX_INDICATOR, codes[j]);
        nodes[j].parent = NI + j / 4;
        nodes[j].weight = 1.0 + (double)(j % 3) * 0.5;
        nodes[j].treat = 0;
        if (j == 2 || j == 5)
            nodes[j].direction = -1;
        if (j / 4 >= 1) { /* [1,100]: positive, for the geometric mean of P3 */
            nodes[j].normalise.lower = 1;
            nodes[j].normalise.upper = 100;
        }
        free(cols[j]);
        cols[j] = malloc(NU * np * sizeof(double));
        cr_assert_not_null(cols[j]);
        for (size_t p = 0; p < np; p++)
            for (size_t u = 0; u < NU; u++)
                cols[j][p * NU + u] = value(u, j, p);
        col_codes[j] = codes[j];
    }
    for (size_t q = 0; q < NP; q++) {
        size_t a = NI + q;
        snprintf(codes[a], sizeof codes[a], "P%zu", q + 1);
        qala_index_node_init(&nodes[a], QALA_INDEX_AGGREGATE, codes[a]);
        nodes[a].parent = NN - 1;
        nodes[a].weight = 1.0 + (double)q;
    }
    nodes[NI + 2].aggregate.method = QALA_AGG_GEOMETRIC;
    snprintf(codes[NN - 1], sizeof codes[NN - 1], "Index");
    qala_index_node_init(&nodes[NN - 1], QALA_INDEX_AGGREGATE, codes[NN - 1]);
    nodes[NN - 1].level = 3;
    if (gaps) { /* a few missing cells in the direct pillars, one in each period */
        cols[0][17] = NAN;
        cols[5][NU * np - 3] = NAN;
        cols[6][9000] = NAN;
    }
    if (constant) /* a degenerate range: flagged, its scores missing */
        for (size_t r = 0; r < NU * np; r++)
            cols[1][r] = 7.5;
    tree = (qala_index_tree){.nodes = nodes, .nnodes = NN, .nindicators = NI, .nlevels = 3};
    qala_index_settings_init(&tree.settings);
    tree.settings.impute = QALA_IMPUTE_NONE;
    tree.settings.impute_group[0] = '\0';
    for (size_t u = 0; u < NU; u++) {
        snprintf(unit_buf[u], sizeof unit_buf[u], "U%05zu", u + 1);
        units[u] = unit_buf[u];
    }
}

static void cleanup(void)
{
    for (size_t j = 0; j < NI; j++) {
        free(cols[j]);
        cols[j] = NULL;
    }
}

TestSuite(index_fused_direct, .fini = cleanup);

static qala_index_result *run(size_t np, int scores_only, unsigned threads, int pooled,
                              int rank_from)
{
    tree.settings.scores_only = scores_only;
    tree.settings.threads = threads;
    tree.settings.pooled = pooled;
    tree.settings.rank_from = rank_from;
    qala_index_input in = {.nunits = NU, .unit_codes = units, .nperiods = np,
                           .periods = np > 1 ? periods : NULL, .ncolumns = NI,
                           .column_codes = col_codes, .columns = (const double *const *)cols};
    qala_index_result *r = NULL;
    qala_status st = qala_index_run(&r, &tree, &in);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    return r;
}

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static void compare(size_t np, int pooled, int rank_from, int gaps, int constant)
{
    build(np, gaps, constant);
    qala_index_result *staged = run(np, 0, 1, pooled, rank_from);
    size_t nr = NU * np, scored = 0;
    for (unsigned threads = 1; threads <= 3; threads++) {
        qala_index_result *fused = run(np, 1, threads, pooled, rank_from);
        for (size_t a = NI; a < NN; a++) {
            const double *s = qala_index_result_column(staged, QALA_INDEX_STAGE_AGGREGATED, a);
            const double *f = qala_index_result_column(fused, QALA_INDEX_STAGE_AGGREGATED, a);
            const double *sr = qala_index_result_column(staged, QALA_INDEX_STAGE_RANKED, a);
            const double *fr = qala_index_result_column(fused, QALA_INDEX_STAGE_RANKED, a);
            cr_assert(s && f);
            cr_assert_eq(sr == NULL, fr == NULL, "%s ranked in one path only", codes[a]);
            for (size_t r = 0; r < nr; r++) {
                cr_assert(same(s[r], f[r]), "%u threads, %s row %zu: staged %.17g, fused %.17g",
                          threads, codes[a], r, s[r], f[r]);
                cr_assert(!sr || same(sr[r], fr[r]), "%u threads, %s row %zu: rank %g vs %g",
                          threads, codes[a], r, sr[r], fr[r]);
                scored += !isnan(f[r]);
            }
        }
        for (size_t i = 0; i < NI; i++) {
            const qala_index_indicator_report *rs = qala_index_result_report(staged, i),
                                              *rf = qala_index_result_report(fused, i);
            cr_assert_eq(rs->normalise_flags, rf->normalise_flags, "%s flags", codes[i]);
            cr_assert_eq(rs->availability, rf->availability, "%s availability", codes[i]);
        }
        qala_index_result_free(fused);
    }
    cr_assert_gt(scored, 3 * nr * 3, "most rows have scores (%zu)", scored);
    qala_index_result_free(staged);
}

Test(index_fused_direct, column_by_column_one_period_split_rank)
{
    compare(1, 1, 3, 0, 0); /* one ranked column of 20,000: split between threads */
}

Test(index_fused_direct, column_by_column_every_level_ranked)
{
    compare(1, 1, 1, 0, 0); /* many ranked columns: one per thread */
}

Test(index_fused_direct, per_period_parameters)
{
    compare(2, 0, 3, 0, 0);
}

Test(index_fused_direct, missing_cells_take_the_general_path_for_their_block)
{
    compare(2, 1, 3, 1, 0);
}

Test(index_fused_direct, a_constant_column_is_flagged_as_on_the_staged_path)
{
    compare(1, 1, 3, 0, 1);
    qala_index_result *r = run(1, 1, 2, 1, 3);
    cr_assert(qala_index_result_report(r, 1)->normalise_flags & QALA_NORM_ZERO_RANGE);
    qala_index_result_free(r);
}

/* Every allocation of a fused run (two threads, the direct path, a split rank) fails in
 * turn: each time a clean QALA_ENOMEM and no result (ASan's leak check runs in the
 * sanitizer build); the threads that had started leave. */
Test(index_fused_direct, each_allocation_failure_is_clean)
{
    build(1, 0, 0);
    tree.settings.scores_only = 1;
    tree.settings.threads = 2;
    tree.settings.rank_from = 3;
    qala_index_input in = {.nunits = NU, .unit_codes = units, .nperiods = 1, .ncolumns = NI,
                           .column_codes = col_codes, .columns = (const double *const *)cols};
    long failures = 0;
    for (fail_at = 0;; fail_at++) {
        calls = 0;
        qala_index_result *r = NULL;
        qala_allocator_set(&failing_allocator);
        qala_status st = qala_index_run(&r, &tree, &in);
        qala_allocator_set(NULL);
        if (st == QALA_OK) {
            cr_assert_not_null(r);
            qala_index_result_free(r);
            break;
        }
        cr_assert_eq(st, QALA_ENOMEM, "allocation %ld: %s", fail_at, qala_error_last()->message);
        cr_assert_null(r);
        failures++;
    }
    fail_at = -1;
    cr_assert_geq(failures, 4, "the run allocates at least four blocks (%ld)", failures);
}
