/* qala_diag_run over a small computed index (src/diagnose_index.c): the tree is two
 * pillars P (indicators A, B, C) and Q (D, E) under the index I; five units. B is A
 * doubled (r = 1: a collinear pair), C is A reversed (a negative loading), E has no data
 * (a screened-out child: NAN loading). Expected values are worked out by hand below. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/diagnose.h"
#include "qala/index.h"

#define NU 5

typedef struct fx {
    qala_index_node nodes[8];
    qala_index_tree tree;
    qala_index_result *res;
} fx;

static fx f;
static const double A[NU] = {1, 2, 3, 4, 5}, B[NU] = {2, 4, 6, 8, 10}, C[NU] = {5, 4, 3, 2, 1},
                    D[NU] = {3, 1, 4, 1, 5};

static void setup(void)
{
    memset(&f, 0, sizeof f);
    const char *codes[] = {"A", "B", "C", "D", "E", "P", "Q", "I"};
    size_t parents[] = {5, 5, 5, 6, 6, 7, 7, QALA_INDEX_NONE};
    for (int i = 0; i < 8; i++) {
        qala_index_node_init(&f.nodes[i], i < 5 ? QALA_INDEX_INDICATOR : QALA_INDEX_AGGREGATE, codes[i]);
        f.nodes[i].parent = parents[i];
        f.nodes[i].level = i < 5 ? 1 : i < 7 ? 2 : 3;
        f.nodes[i].treat = 0;
    }
    qala_index_settings_init(&f.tree.settings);
    f.tree.nodes = f.nodes;
    f.tree.nnodes = 8;
    f.tree.nindicators = 5;
    f.tree.nlevels = 3;
    static const char *units[NU] = {"u1", "u2", "u3", "u4", "u5"};
    static const char *cols[] = {"A", "B", "C", "D"};
    static const double *data[] = {A, B, C, D};
    qala_index_input in = {.nunits = NU, .unit_codes = units, .nperiods = 1, .ncolumns = 4,
                           .column_codes = cols, .columns = data};
    cr_assert_eq(qala_index_run(&f.res, &f.tree, &in), QALA_OK, "%s", qala_error_last()->message);
}

static void teardown(void)
{
    qala_allocator_set(NULL);
    qala_index_result_free(f.res);
}

TestSuite(diag_run, .init = setup, .fini = teardown);

Test(diag_run, options_default_to_normalised_last_period_pearson_09_top3)
{
    qala_diag_options opt;
    qala_diag_options_init(&opt, f.res);
    cr_expect_eq(opt.stage, QALA_INDEX_STAGE_NORMALISED);
    cr_expect_eq(opt.period, 0);
    cr_expect_eq(opt.method, QALA_DIAG_PEARSON);
    cr_expect_eq(opt.collinear_threshold, 0.9);
    cr_expect_eq(opt.top_k, 3);
}

Test(diag_run, statistics_pairs_groups_and_strengths)
{
    qala_diag_options opt;
    qala_diag_options_init(&opt, f.res);
    qala_diag_report *rep = NULL;
    cr_assert_eq(qala_diag_run(&rep, f.res, &opt), QALA_OK, "%s", qala_error_last()->message);
    /* A normalised by min-max: 0, 25, 50, 75, 100 */
    const qala_diag_stats *s = qala_diag_report_stats(rep, 0);
    cr_expect_eq(s->n, NU);
    cr_expect_eq(s->n_present, NU);
    cr_expect_eq(s->n_zero, 1);
    cr_expect_float_eq(s->mean, 50, 1e-9);
    cr_expect_eq(qala_diag_report_stats(rep, 4)->n_present, 0, "E has no data");
    cr_expect_null(qala_diag_report_stats(rep, 5), "aggregates have no statistics");
    /* A and B are the same after min-max (r = 1); A, C are opposite (r = -1): one pair */
    const qala_diag_pair *pairs;
    cr_assert_eq(qala_diag_report_pairs(rep, &pairs), 1);
    cr_expect_eq(pairs[0].a, 0);
    cr_expect_eq(pairs[0].b, 1);
    cr_expect_eq(pairs[0].parent, 5);
    cr_expect_float_eq(pairs[0].r, 1, 1e-12);
    const double *r = qala_diag_report_correlation(rep, QALA_DIAG_SPEARMAN);
    cr_expect_float_eq(r[0 + 2 * 8], -1, 1e-12, "Spearman of A and C");
    /* groups: P (A, B, C) with a negative loading, Q (D; E without data), I (P, Q) */
    const qala_diag_group *groups;
    cr_assert_eq(qala_diag_report_groups(rep, &groups), 3);
    cr_expect_eq(groups[0].node, 5);
    cr_expect_eq(groups[0].pca.n_negative, 1, "C points the other way");
    cr_expect_eq(groups[0].alpha_rows, NU);
    cr_expect_eq(groups[1].node, 6);
    cr_expect(isnan(groups[1].alpha), "one child with data: no alpha");
    cr_expect(isnan(groups[1].loadings[1]), "E: no loading");
    cr_expect_eq(groups[2].node, 7);
    /* u5 is best on A and B (100) and worst on C */
    const size_t *nodes;
    cr_assert_eq(qala_diag_report_strengths(rep, 4, &nodes), 3);
    cr_expect_eq(nodes[0], 0);
    cr_expect_eq(nodes[1], 1);
    cr_assert_eq(qala_diag_report_weaknesses(rep, 4, &nodes), 3);
    cr_expect_eq(nodes[0], 2);
    cr_expect_eq(qala_diag_report_strengths(rep, NU, &nodes), 0, "out of range");
    qala_diag_report_free(rep);
}

Test(diag_run, a_stage_or_period_out_of_range_is_einval)
{
    qala_diag_options opt;
    qala_diag_options_init(&opt, f.res);
    qala_diag_report *rep = (qala_diag_report *)&f;
    opt.stage = QALA_INDEX_STAGE_RANKED;
    cr_expect_eq(qala_diag_run(&rep, f.res, &opt), QALA_EINVAL);
    cr_expect_null(rep);
    opt.stage = QALA_INDEX_STAGE_RAW;
    cr_expect_eq(qala_diag_run(&rep, f.res, &opt), QALA_EINVAL);
    opt.stage = QALA_INDEX_STAGE_TREATED;
    opt.period = 1;
    cr_expect_eq(qala_diag_run(&rep, f.res, &opt), QALA_EINVAL);
    cr_expect_null(rep);
}

Test(diag_run, every_allocation_failure_is_enomem_and_frees_all)
{
    qala_diag_options opt;
    qala_diag_options_init(&opt, f.res);
    qala_diag_report *rep = NULL;
    fail_at = -1, calls = 0;
    qala_allocator_set(&failing_allocator);
    cr_assert_eq(qala_diag_run(&rep, f.res, &opt), QALA_OK);
    qala_allocator_set(NULL);
    qala_diag_report_free(rep);
    long total = calls, failures = 0;
    cr_assert_gt(total, 5);
    for (fail_at = 0; fail_at < total; fail_at++) {
        calls = 0;
        rep = (qala_diag_report *)&f;
        qala_allocator_set(&failing_allocator);
        qala_status st = qala_diag_run(&rep, f.res, &opt);
        qala_allocator_set(NULL);
        if (st == QALA_OK) {
            qala_diag_report_free(rep);
            continue;
        }
        failures++;
        cr_assert_eq(st, QALA_ENOMEM, "fail_at %ld: %d", fail_at, st);
        cr_assert_null(rep, "fail_at %ld", fail_at);
    }
    cr_expect_gt(failures, total / 2);
}
