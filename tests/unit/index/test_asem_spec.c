/* The shipped spec data/index/asem.json (read by the spec loader) rebuilds COINr's ASEM
 * example: the same tree as the one this test suite builds from COINr's own metadata
 * (COINr_ASEM_iMeta.csv, asem.h), the same settings, and a run on the same input gives
 * every stage to the bit; its Index ranks are COINr's published order. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "asem.h"
#include "qala/index_spec.h"

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

Test(index_asem_spec, the_shipped_spec_gives_the_same_run_as_coinr_metadata)
{
    static asem A;
    asem_load(&A, "COINr_ASEM_iData.csv");
    qala_index_spec *spec;
    qala_findings *f;
    cr_assert_eq(qala_index_spec_new(&spec), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_index_spec_load_default(spec, "asem", f), QALA_OK, "%s",
                 qala_error_last()->message);
    const qala_index_tree *t = qala_index_spec_tree(spec);
    cr_assert_eq(t->nnodes, A.tree.nnodes);
    cr_assert_eq(t->nindicators, A.tree.nindicators);
    cr_assert_eq(t->settings.impute, A.tree.settings.impute);
    cr_assert_str_eq(t->settings.impute_group, A.tree.settings.impute_group);
    /* node order may differ (file order vs metadata order): map by code */
    size_t map[ASEM_MAXN];
    for (size_t i = 0; i < t->nnodes; i++) {
        map[i] = asem_node(&A, t->nodes[i].code);
        cr_assert_lt(map[i], A.tree.nnodes, "%s", t->nodes[i].code);
        const qala_index_node *a = &A.nodes[map[i]], *b = &t->nodes[i];
        cr_assert_eq(a->weight, b->weight, "%s weight", b->code);
        cr_assert_eq(a->level, b->level, "%s level", b->code);
        if (i < t->nindicators) {
            cr_assert_eq(a->direction, b->direction, "%s direction", b->code);
            cr_assert_eq(!a->denominator, !b->denominator, "%s denominator", b->code);
            if (a->denominator)
                cr_assert_str_eq(a->denominator, b->denominator);
        }
    }
    qala_index_result *ra, *rb;
    cr_assert_eq(qala_index_run(&ra, &A.tree, &A.input), QALA_OK);
    cr_assert_eq(qala_index_run(&rb, t, &A.input), QALA_OK, "%s", qala_error_last()->message);
    size_t n = qala_index_result_units(ra);
    cr_assert_eq(qala_index_result_units(rb), n);
    for (int s = QALA_INDEX_STAGE_DENOMINATED; s < QALA_INDEX_STAGE_COUNT; s++)
        for (size_t i = 0; i < t->nnodes; i++) {
            const double *x = qala_index_result_column(rb, (qala_index_stage)s, i);
            const double *y = qala_index_result_column(ra, (qala_index_stage)s, map[i]);
            cr_assert_eq(!x, !y, "stage %d node %s", s, t->nodes[i].code);
            for (size_t k = 0; x && k < n; k++)
                cr_assert(same(x[k], y[k]), "stage %s, %s, unit %s: %.17g vs %.17g",
                          qala_index_stage_code((qala_index_stage)s), t->nodes[i].code,
                          A.units[k], x[k], y[k]);
        }
    /* COINr's published order (../shared/data/README.md) */
    const double *rank = qala_index_result_column(rb, QALA_INDEX_STAGE_RANKED, t->nnodes - 1);
    const double *score = qala_index_result_column(rb, QALA_INDEX_STAGE_AGGREGATED, t->nnodes - 1);
    const char *order[] = {"CHE", "NLD", "DNK", "NOR", "BEL", "SWE"};
    for (size_t j = 0; j < 6; j++) {
        size_t k = 0;
        while (k < n && strcmp(A.units[k], order[j]) != 0)
            k++;
        cr_assert_lt(k, n);
        cr_assert_eq(rank[k], (double)(j + 1), "%s rank %g", order[j], rank[k]);
        if (j == 0)
            cr_assert(fabs(score[k] - 68.38) < 0.005, "CHE %g", score[k]);
    }
    qala_index_result_free(ra);
    qala_index_result_free(rb);
    qala_findings_free(f);
    qala_index_spec_free(spec);
    asem_free(&A);
}
