/* src/diagnose_index.c — diagnostics of a computed composite index (qala_diag_run,
 * qala/diagnose.h): for one period of a result, the statistics of every indicator at a
 * stage, the Pearson and Spearman matrices over all nodes, the collinear sibling pairs,
 * Cronbach's alpha and PCA weights of each aggregate's children, and each kept unit's
 * strengths and weaknesses on the normalised indicators.
 *
 * Place in the pipeline: after qala_index_run, before the report (the `qala diagnose`
 * command). It reads the result through its public accessors only and calls the matrix
 * kernels of src/diagnose.c; nothing here computes a statistic itself.
 *
 * Alpha and PCA of an aggregate use its children that have a value in the period (a
 * screened-out indicator, an empty pillar would leave no complete row); the others get
 * NAN loadings and weights.
 *
 * Invariants: the report owns every array; the matrix of a period is column-major, one
 * column per node (indicators at the chosen stage, aggregates at AGGREGATED, NAN where a
 * node has no column, e.g. a screened-out indicator), one row per kept unit. Workload:
 * one call per command; memory O(units × nodes + nodes²).
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "qala/diagnose.h"
#include "util/internal.h"

struct qala_diag_report {
    size_t nnodes, nind, nkept, top_k;
    qala_diag_stats *stats;       /* nind */
    double *corr[2];              /* nnodes² each: Pearson, Spearman */
    qala_diag_pair *pairs;
    size_t npairs;
    qala_diag_group *groups;
    size_t ngroups;
    double *loadings, *weights;   /* per group, its children's (one block for all) */
    size_t *best, *worst, *count; /* nkept · top_k, nkept · top_k, nkept */
};

void qala_diag_options_init(qala_diag_options *opt, const qala_index_result *res)
{
    assert(opt);
    memset(opt, 0, sizeof *opt);
    opt->stage = QALA_INDEX_STAGE_NORMALISED;
    size_t np = res ? qala_index_result_periods(res) : 0;
    opt->period = np ? np - 1 : 0;
    opt->method = QALA_DIAG_PEARSON;
    opt->collinear_threshold = 0.9;
    opt->top_k = 3;
}

void qala_diag_report_free(qala_diag_report *rep)
{
    if (!rep)
        return;
    qala_mem__free(rep->stats);
    qala_mem__free(rep->corr[0]);
    qala_mem__free(rep->corr[1]);
    qala_mem__free(rep->pairs);
    qala_mem__free(rep->groups);
    qala_mem__free(rep->loadings);
    qala_mem__free(rep->weights);
    qala_mem__free(rep->best);
    qala_mem__free(rep->worst);
    qala_mem__free(rep->count);
    qala_mem__free(rep);
}

/* Copies the period's rows of node j's column at a stage into x (NAN when none). */
static void copy_column(double *x, const qala_index_result *res, qala_index_stage stage, size_t node,
                        size_t period, size_t nk)
{
    const double *c = qala_index_result_column(res, stage, node);
    for (size_t k = 0; k < nk; k++)
        x[k] = c ? c[period * nk + k] : NAN;
}

static qala_status collinear_pairs(qala_diag_report *rep, const qala_index_tree *tree, const double *r,
                                   double threshold)
{
    size_t n = rep->nnodes, cap = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            const qala_index_node *x = &tree->nodes[a], *y = &tree->nodes[b];
            double v = r[a + b * n];
            if (x->parent == QALA_INDEX_NONE || x->parent != y->parent || !(v > threshold))
                continue;
            qala_status st = qala_mem__grow((void **)&rep->pairs, &cap, rep->npairs + 1, sizeof *rep->pairs);
            if (st != QALA_OK)
                return st;
            rep->pairs[rep->npairs++] = (qala_diag_pair){a, b, x->parent, v};
        }
    return QALA_OK;
}

static int has_values(const double *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!isnan(x[k]))
            return 1;
    return 0;
}

/* Alpha and PCA over each aggregate's children that have a value in the period (their
 * columns copied side by side); a child without any (screened out, or an aggregate with
 * nothing below it) gets a NAN loading and weight. */
static qala_status aggregate_groups(qala_diag_report *rep, const qala_index_tree *tree, const double *x,
                                    double *scratch)
{
    size_t n = rep->nnodes, nk = rep->nkept, nagg = n - rep->nind, nchild = 0, ld = nk ? nk : 1;
    for (size_t i = 0; i < n; i++)
        nchild += tree->nodes[i].parent != QALA_INDEX_NONE;
    rep->groups = qala_mem__calloc(nagg + 1, sizeof *rep->groups);
    rep->loadings = qala_mem__malloc((nchild + 1) * sizeof *rep->loadings);
    rep->weights = qala_mem__malloc((nchild + 1) * sizeof *rep->weights);
    double *load = qala_mem__malloc((2 * n + 1) * sizeof *load), *wt = load + n;
    qala_status st = QALA_OK;
    if (!rep->groups || !rep->loadings || !rep->weights || !load)
        st = qala_err__set(QALA_ENOMEM, "diagnose: out of memory");
    size_t used = 0;
    for (size_t g = rep->nind; st == QALA_OK && g < n; g++) {
        size_t m = 0, all = 0;
        for (size_t i = 0; i < n; i++)
            if (tree->nodes[i].parent == g && has_values(x + i * ld, nk))
                memcpy(scratch + (m++) * ld, x + i * ld, nk * sizeof *x);
        qala_diag_group *grp = &rep->groups[rep->ngroups++];
        grp->node = g;
        grp->loadings = rep->loadings + used;
        grp->pca_weights = rep->weights + used;
        st = qala_diag_cronbach(&grp->alpha, &grp->alpha_rows, scratch, nk, m, ld);
        if (st == QALA_OK)
            st = qala_diag_pca_weights(&grp->pca, load, wt, scratch, nk, m, ld);
        for (size_t i = 0, j = 0; st == QALA_OK && i < n; i++) {
            if (tree->nodes[i].parent != g)
                continue;
            int active = has_values(x + i * ld, nk);
            rep->loadings[used + all] = active ? load[j] : NAN;
            rep->weights[used + all] = active ? wt[j] : NAN;
            j += active;
            all++;
        }
        used += all;
    }
    qala_mem__free(load);
    return st;
}

qala_status qala_diag_run(qala_diag_report **out, const qala_index_result *res, const qala_diag_options *opt)
{
    assert(out && res && opt);
    *out = NULL;
    const qala_index_tree *tree = qala_index_result_tree(res);
    size_t np = qala_index_result_periods(res), nk = qala_index_result_units(res);
    if (opt->stage < QALA_INDEX_STAGE_DENOMINATED || opt->stage > QALA_INDEX_STAGE_AGGREGATED)
        return qala_err__set(QALA_EINVAL, "diagnose: the stage must be one of denominated to aggregated");
    if (opt->period >= np)
        return qala_err__set(QALA_EINVAL, "diagnose: period %zu out of range (the result has %zu)", opt->period, np);
    qala_diag_report *rep = qala_mem__calloc(1, sizeof *rep);
    if (!rep)
        return qala_err__set(QALA_ENOMEM, "diagnose: out of memory");
    size_t n = tree->nnodes, ni = tree->nindicators, ld = nk ? nk : 1;
    rep->nnodes = n;
    rep->nind = ni;
    rep->nkept = nk;
    rep->top_k = opt->top_k;
    double *x = qala_mem__malloc((n * ld + 1) * sizeof *x);       /* every node */
    double *scratch = qala_mem__malloc((n * ld + 1) * sizeof *x); /* children; normalised scores */
    rep->stats = qala_mem__calloc(ni + 1, sizeof *rep->stats);
    rep->corr[0] = qala_mem__malloc((n * n + 1) * sizeof *rep->corr[0]);
    rep->corr[1] = qala_mem__malloc((n * n + 1) * sizeof *rep->corr[1]);
    rep->best = qala_mem__malloc((nk * opt->top_k + 1) * sizeof *rep->best);
    rep->worst = qala_mem__malloc((nk * opt->top_k + 1) * sizeof *rep->worst);
    rep->count = qala_mem__calloc(nk + 1, sizeof *rep->count);
    qala_status st = QALA_OK;
    if (!x || !scratch || !rep->stats || !rep->corr[0] || !rep->corr[1] || !rep->best || !rep->worst || !rep->count)
        st = qala_err__set(QALA_ENOMEM, "diagnose: out of memory");
    for (size_t j = 0; st == QALA_OK && j < n; j++)
        copy_column(x + j * ld, res, j < ni ? opt->stage : QALA_INDEX_STAGE_AGGREGATED, j, opt->period, nk);
    for (size_t j = 0; st == QALA_OK && j < ni; j++)
        st = qala_diag_stats_column(&rep->stats[j], x + j * ld, 1, nk);
    if (st == QALA_OK)
        st = qala_diag_correlation(rep->corr[0], x, nk, n, ld, QALA_DIAG_PEARSON);
    if (st == QALA_OK)
        st = qala_diag_correlation(rep->corr[1], x, nk, n, ld, QALA_DIAG_SPEARMAN);
    if (st == QALA_OK)
        st = collinear_pairs(rep, tree, rep->corr[opt->method == QALA_DIAG_SPEARMAN], opt->collinear_threshold);
    if (st == QALA_OK)
        st = aggregate_groups(rep, tree, x, scratch);
    /* strengths and weaknesses: ranks on the normalised scores, whatever the stage */
    for (size_t j = 0; st == QALA_OK && j < ni; j++)
        copy_column(scratch + j * ld, res, QALA_INDEX_STAGE_NORMALISED, j, opt->period, nk);
    for (size_t k = 0; st == QALA_OK && k < nk && opt->top_k; k++)
        st = qala_diag_strengths(rep->best + k * opt->top_k, rep->worst + k * opt->top_k, &rep->count[k], scratch,
                                 nk, ni, ld, k, opt->top_k);
    qala_mem__free(x);
    qala_mem__free(scratch);
    if (st != QALA_OK) {
        qala_diag_report_free(rep);
        return st;
    }
    *out = rep;
    return QALA_OK;
}

const qala_diag_stats *qala_diag_report_stats(const qala_diag_report *rep, size_t node)
{
    assert(rep);
    return node < rep->nind ? &rep->stats[node] : NULL;
}

const double *qala_diag_report_correlation(const qala_diag_report *rep, qala_diag_corr_method method)
{
    assert(rep);
    return rep->corr[method == QALA_DIAG_SPEARMAN];
}

size_t qala_diag_report_pairs(const qala_diag_report *rep, const qala_diag_pair **pairs)
{
    assert(rep && pairs);
    *pairs = rep->pairs;
    return rep->npairs;
}

size_t qala_diag_report_groups(const qala_diag_report *rep, const qala_diag_group **groups)
{
    assert(rep && groups);
    *groups = rep->groups;
    return rep->ngroups;
}

size_t qala_diag_report_strengths(const qala_diag_report *rep, size_t kept_unit, const size_t **nodes)
{
    assert(rep && nodes);
    if (kept_unit >= rep->nkept) {
        *nodes = NULL;
        return 0;
    }
    *nodes = rep->best + kept_unit * rep->top_k;
    return rep->count[kept_unit];
}

size_t qala_diag_report_weaknesses(const qala_diag_report *rep, size_t kept_unit, const size_t **nodes)
{
    assert(rep && nodes);
    if (kept_unit >= rep->nkept) {
        *nodes = NULL;
        return 0;
    }
    *nodes = rep->worst + kept_unit * rep->top_k;
    return rep->count[kept_unit];
}
