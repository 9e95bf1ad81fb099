/* The fused path (settings.scores_only, src/index_fused.c) against the staged path on
 * COINr's ASEM panel (51 units × 5 years, with missing values): with the stages that need
 * whole columns turned off (no denominator, imputation or treatment), both paths must give
 * the same aggregate scores and ranks to the bit, pooled and per period, with one thread
 * and with three; and the fused path keeps no indicator stage. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "asem.h"

static asem A;

static void setup(void)
{
    asem_load(&A, "COINr_ASEM_iData_p.csv");
    A.tree.settings.impute = QALA_IMPUTE_NONE;
    A.tree.settings.impute_group[0] = '\0';
    for (size_t i = 0; i < A.tree.nindicators; i++) {
        A.nodes[i].denominator = NULL;
        A.nodes[i].treat = 0;
    }
}

static void teardown(void)
{
    asem_free(&A);
}

TestSuite(index_fused, .init = setup, .fini = teardown);

static qala_index_result *run(int scores_only, unsigned threads, int pooled, int rank_from)
{
    A.tree.settings.scores_only = scores_only;
    A.tree.settings.threads = threads;
    A.tree.settings.pooled = pooled;
    A.tree.settings.rank_from = rank_from;
    qala_index_result *r = NULL;
    qala_status st = qala_index_run(&r, &A.tree, &A.input);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    return r;
}

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static void compare(int pooled, unsigned threads)
{
    qala_index_result *staged = run(0, 1, pooled, 1), *fused = run(1, threads, pooled, 1);
    size_t nr = qala_index_result_units(staged) * qala_index_result_periods(staged);
    cr_assert_eq(qala_index_result_units(fused), qala_index_result_units(staged));
    size_t compared = 0;
    for (size_t a = A.tree.nindicators; a < A.tree.nnodes; a++) {
        const double *s = qala_index_result_column(staged, QALA_INDEX_STAGE_AGGREGATED, a);
        const double *f = qala_index_result_column(fused, QALA_INDEX_STAGE_AGGREGATED, a);
        const double *sr = qala_index_result_column(staged, QALA_INDEX_STAGE_RANKED, a);
        const double *fr = qala_index_result_column(fused, QALA_INDEX_STAGE_RANKED, a);
        cr_assert(s && f && sr && fr);
        for (size_t r = 0; r < nr; r++) {
            cr_assert(same(s[r], f[r]), "%s row %zu: staged %.17g, fused %.17g",
                      A.nodes[a].code, r, s[r], f[r]);
            cr_assert(same(sr[r], fr[r]), "%s row %zu: rank %g vs %g", A.nodes[a].code, r,
                      sr[r], fr[r]);
            compared += !isnan(s[r]);
        }
    }
    cr_assert_gt(compared, 2000, "most cells have scores (%zu)", compared);
    for (size_t i = 0; i < A.tree.nindicators; i++) {
        const qala_index_indicator_report *rs = qala_index_result_report(staged, i),
                                          *rf = qala_index_result_report(fused, i);
        cr_assert_eq(rs->screen, rf->screen, "%s screen", A.nodes[i].code);
        cr_assert_eq(rs->availability, rf->availability, "%s availability", A.nodes[i].code);
        cr_assert_eq(rs->normalise_flags, rf->normalise_flags, "%s flags", A.nodes[i].code);
        cr_assert_null(qala_index_result_column(fused, QALA_INDEX_STAGE_NORMALISED, i));
        cr_assert_null(qala_index_result_column(fused, QALA_INDEX_STAGE_RAW, i));
        cr_assert_null(qala_index_result_flags(fused, QALA_INDEX_STAGE_IMPUTED, i));
    }
    for (size_t u = 0; u < A.nunits; u++)
        cr_assert(isnan(qala_index_result_unit_availability(fused, u)),
                  "the fused path does not count the units' availability (unit %zu)", u);
    const double *ws = qala_index_result_effective_weights(staged),
                 *wf = qala_index_result_effective_weights(fused);
    for (size_t i = 0; i < A.tree.nnodes; i++)
        cr_assert_eq(ws[i], wf[i], "effective weight of %s", A.nodes[i].code);
    qala_index_result_free(staged);
    qala_index_result_free(fused);
}

Test(index_fused, pooled_one_thread_equals_the_staged_path)
{
    compare(1, 1);
}

Test(index_fused, per_period_three_threads_equals_the_staged_path)
{
    compare(0, 3);
}

Test(index_fused, rank_from_ranks_only_the_upper_levels)
{
    qala_index_result *r = run(1, 2, 1, A.tree.nlevels);
    size_t root = A.tree.nnodes - 1;
    cr_assert_not_null(qala_index_result_column(r, QALA_INDEX_STAGE_RANKED, root));
    cr_assert_null(qala_index_result_column(r, QALA_INDEX_STAGE_RANKED, root - 1),
                   "a sub-index below rank_from has no ranks");
    cr_assert_not_null(qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, root - 1),
                       "but it has its scores");
    qala_index_result_free(r);
    /* the staged path honours rank_from as well */
    r = run(0, 1, 1, 2);
    cr_assert_null(qala_index_result_column(r, QALA_INDEX_STAGE_RANKED, 0));
    cr_assert_not_null(qala_index_result_column(r, QALA_INDEX_STAGE_RANKED, root));
    qala_index_result_free(r);
}

Test(index_fused, a_stage_that_needs_whole_columns_takes_the_staged_path)
{
    A.nodes[0].treat = 1; /* treatment needs the whole column */
    qala_index_result *r = run(1, 2, 1, 1);
    /* scores_only still hides the indicator stages, and the scores are there */
    cr_assert_null(qala_index_result_column(r, QALA_INDEX_STAGE_NORMALISED, 0));
    const double *idx = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED,
                                                 A.tree.nnodes - 1);
    cr_assert_not_null(idx);
    cr_assert(!isnan(idx[0]));
    qala_index_result_free(r);
}

Test(index_fused, an_infinite_value_is_refused_as_on_the_staged_path)
{
    double *col = A.cols[asem_column(&A, A.nodes[0].code)];
    double keep = col[3];
    col[3] = INFINITY;
    A.tree.settings.scores_only = 1;
    qala_index_result *r = NULL;
    cr_assert_eq(qala_index_run(&r, &A.tree, &A.input), QALA_EINVAL);
    cr_assert_null(r);
    cr_assert(strstr(qala_error_last()->message, "is not a number"), "%s",
              qala_error_last()->message);
    col[3] = keep;
}
