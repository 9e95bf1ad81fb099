/* src/dynamics_inequality.c — inequality of one period and convergence over the periods
 * of a panel (qala/dynamics.h): gathers the alive units' values, weights and groups and
 * hands them to the kernels of src/inequality*.c and src/convergence.c.
 *
 * Place in the pipeline: qala_panel_build → here → a renderer (`qala inequality`,
 * `qala convergence`, reports). Invariants: a report owns every array and string it
 * points to; counts add up (n_units = n_no_value + n_no_weight + the kernel's n_used, in
 * the weighted summary). Work: one pass per period over the units, then the kernels
 * (O(n log n) for a summary); a handful of allocations per call.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qala/dynamics.h"
#include "util/internal.h"

/* ---- inequality ------------------------------------------------------------------- */

void qala_ineq_report_free(qala_ineq_report *r)
{
    if (!r)
        return;
    qala_mem__free(r->group_codes); /* each codes array is one packed block */
    qala_mem__free(r->groups);
    qala_mem__free(r->inner_codes);
    qala_mem__free(r->outer_codes);
    qala_mem__free(r->inner_outer);
    qala_mem__free(r->inner_groups);
    qala_mem__free(r->outer_groups);
    qala_mem__free(r);
}

/* An array of n string pointers followed by the strings, in one block. */
static const char **copy_codes(const char *const *codes, size_t n)
{
    size_t prefix = (n + 1) * sizeof(const char *);
    const char **copies = qala_mem__malloc(prefix);
    if (!copies)
        return NULL;
    char *block = qala_mem__pack_strings(prefix, codes, n, copies);
    if (block) {
        memcpy(block, copies, n * sizeof *copies);
        ((const char **)(void *)block)[n] = NULL;
    }
    qala_mem__free(copies);
    return (const char **)(void *)block;
}

/* The alive units of period k: their values, weights (or NULL) and groups. */
typedef struct gathered {
    size_t n;
    double *y, *w;
    size_t *unit;
} gathered;

static void gathered_free(gathered *g)
{
    qala_mem__free(g->y);
    qala_mem__free(g->w);
    qala_mem__free(g->unit);
}

static qala_status gather(gathered *g, const qala_panel *p, size_t k, int weighted)
{
    memset(g, 0, sizeof *g);
    g->y = qala_mem__malloc((p->nunits + 1) * sizeof *g->y);
    g->w = weighted ? qala_mem__malloc((p->nunits + 1) * sizeof *g->w) : NULL;
    g->unit = qala_mem__malloc((p->nunits + 1) * sizeof *g->unit);
    if (!g->y || (weighted && !g->w) || !g->unit) {
        gathered_free(g);
        return qala_err__set(QALA_ENOMEM, "inequality: out of memory");
    }
    for (size_t u = 0; u < p->nunits; u++) {
        size_t c = k * p->nunits + u;
        if (!p->alive[c])
            continue;
        g->y[g->n] = p->values[c];
        if (weighted)
            g->w[g->n] = p->weights[c];
        g->unit[g->n++] = u;
    }
    return QALA_OK;
}

static qala_status decompose(qala_ineq_report *r, const gathered *g, const qala_panel_grouping *by)
{
    uint32_t *ids = qala_mem__malloc((g->n + 1) * sizeof *ids);
    r->groups = qala_mem__calloc(by->ngroups + 1, sizeof *r->groups);
    r->group_codes = copy_codes(by->codes, by->ngroups);
    qala_status st = QALA_OK;
    if (!ids || !r->groups || !r->group_codes)
        st = qala_err__set(QALA_ENOMEM, "inequality: out of memory");
    for (size_t i = 0; st == QALA_OK && i < g->n; i++)
        ids[i] = by->group[g->unit[i]];
    if (st == QALA_OK)
        st = qala_theil_decompose(&r->decomp, r->groups, g->y, 1, g->w, 1, ids, g->n, by->ngroups);
    r->ngroups = by->ngroups;
    r->has_decomp = st == QALA_OK;
    qala_mem__free(ids);
    return st;
}

static qala_status decompose_nested(qala_ineq_report *r, const gathered *g, const qala_panel_grouping *by,
                                    const qala_panel_grouping *within)
{
    qala_panel_grouping *nest = NULL;
    qala_status st = qala_panel_grouping_nest(&nest, by, within);
    if (st != QALA_OK)
        return st;
    size_t ni = nest->ngroups, no = within->ngroups;
    uint32_t *ids = qala_mem__malloc((g->n + 1) * sizeof *ids);
    r->inner_groups = qala_mem__calloc(ni + 1, sizeof *r->inner_groups);
    r->outer_groups = qala_mem__calloc(no + 1, sizeof *r->outer_groups);
    r->inner_outer = qala_mem__malloc((ni + 1) * sizeof *r->inner_outer);
    r->inner_codes = copy_codes(nest->codes, ni);
    r->outer_codes = copy_codes(within->codes, no);
    if (!ids || !r->inner_groups || !r->outer_groups || !r->inner_outer || !r->inner_codes || !r->outer_codes)
        st = qala_err__set(QALA_ENOMEM, "inequality: out of memory");
    if (st == QALA_OK) {
        memcpy(r->inner_outer, nest->outer_of, ni * sizeof *r->inner_outer);
        for (size_t i = 0; i < g->n; i++)
            ids[i] = nest->group[g->unit[i]];
        st = qala_theil_nested_decompose(&r->nested, r->inner_groups, r->outer_groups, g->y, 1, g->w, 1, ids,
                                         g->n, nest->outer_of, ni, no);
    }
    r->ninner = ni;
    r->nouter = no;
    r->has_nested = st == QALA_OK;
    qala_mem__free(ids);
    qala_panel_grouping_free(nest);
    return st;
}

qala_status qala_ineq_report_compute(qala_ineq_report **out, const qala_panel *p,
                                     const qala_ineq_report_options *opt)
{
    assert(out && p && opt);
    *out = NULL;
    if (opt->period >= p->nperiods)
        return qala_err__set(QALA_EINVAL, "inequality: period index %zu of %zu", opt->period, p->nperiods);
    if (opt->weighted && !p->weights)
        return qala_err__set(QALA_EINVAL, "inequality: weighted, but the panel has no weights");
    if ((opt->by && opt->by->nunits != p->nunits) || (opt->within && opt->within->nunits != p->nunits))
        return qala_err__set(QALA_EINVAL, "inequality: a grouping of another panel");
    qala_ineq_report *r = qala_mem__calloc(1, sizeof *r);
    if (!r)
        return qala_err__set(QALA_ENOMEM, "inequality: out of memory");
    r->period = p->periods[opt->period];
    r->weighted = opt->weighted != 0;
    gathered g;
    qala_status st = gather(&g, p, opt->period, r->weighted);
    if (st != QALA_OK) {
        qala_mem__free(r);
        return st;
    }
    r->n_units = g.n;
    for (size_t i = 0; i < g.n; i++) {
        if (!isfinite(g.y[i]))
            r->n_no_value++;
        else if (g.w && !(isfinite(g.w[i]) && g.w[i] > 0))
            r->n_no_weight++;
    }
    st = qala_ineq_summarise(&r->unweighted, g.y, 1, NULL, 1, g.n, NULL);
    if (st == QALA_OK)
        st = r->weighted ? qala_ineq_summarise(&r->summary, g.y, 1, g.w, 1, g.n, NULL) : QALA_OK;
    if (st == QALA_OK && !r->weighted)
        r->summary = r->unweighted;
    if (st == QALA_OK && opt->by)
        st = decompose(r, &g, opt->by);
    if (st == QALA_OK && opt->by && opt->within)
        st = decompose_nested(r, &g, opt->by, opt->within);
    gathered_free(&g);
    if (st != QALA_OK) {
        qala_ineq_report_free(r);
        return st;
    }
    *out = r;
    return QALA_OK;
}

/* ---- convergence ------------------------------------------------------------------ */

void qala_convergence_report_free(qala_convergence_report *r)
{
    if (!r)
        return;
    qala_mem__free(r->periods);
    qala_mem__free(r->dispersion);
    qala_mem__free(r->n_used);
    qala_mem__free(r);
}

/* β from the first to the last period in which some alive unit has a value. */
static qala_status beta_of(qala_convergence_report *r, const qala_panel *p)
{
    size_t first = SIZE_MAX, last = SIZE_MAX;
    for (size_t k = 0; k < p->nperiods; k++)
        if (qala_panel_observed(p, k)) {
            if (first == SIZE_MAX)
                first = k;
            last = k;
        }
    if (first == SIZE_MAX || first == last) {
        qala_beta_result nan = {0, 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
        nan.n_missing = p->nunits;
        r->beta = nan;
        r->years = NAN;
        return QALA_OK;
    }
    r->beta_from = p->periods[first];
    r->beta_to = p->periods[last];
    r->years = qala_trend_time(r->beta_to) - qala_trend_time(r->beta_from);
    /* units alive at both ends only (the others are neither used nor missing) */
    double *y = qala_mem__malloc((2 * p->nunits + 1) * sizeof *y);
    if (!y)
        return qala_err__set(QALA_ENOMEM, "convergence: out of memory");
    size_t n = 0;
    for (size_t u = 0; u < p->nunits; u++) {
        size_t a = first * p->nunits + u, b = last * p->nunits + u;
        if (!p->alive[a] || !p->alive[b])
            continue;
        y[n] = p->values[a];
        y[p->nunits + n] = p->values[b];
        n++;
    }
    qala_status st = qala_beta_convergence(&r->beta, y, y + p->nunits, n, r->years);
    qala_mem__free(y);
    return st;
}

qala_status qala_convergence_report_compute(qala_convergence_report **out, const qala_panel *p,
                                            const qala_convergence_options *opt)
{
    assert(out && p && opt);
    *out = NULL;
    if (opt->weighted && !p->weights)
        return qala_err__set(QALA_EINVAL, "convergence: weighted, but the panel has no weights");
    qala_convergence_report *r = qala_mem__calloc(1, sizeof *r);
    if (!r)
        return qala_err__set(QALA_ENOMEM, "convergence: out of memory");
    size_t np = p->nperiods;
    r->weighted = opt->weighted != 0;
    r->sigma_spec = opt->sigma;
    r->nperiods = np;
    r->periods = qala_mem__malloc((np + 1) * sizeof *r->periods);
    r->dispersion = qala_mem__malloc((np + 1) * sizeof *r->dispersion);
    r->n_used = qala_mem__malloc((np + 1) * sizeof *r->n_used);
    double *time = qala_mem__malloc((np + 1) * sizeof *time);
    qala_status st = QALA_OK;
    if (!r->periods || !r->dispersion || !r->n_used || !time)
        st = qala_err__set(QALA_ENOMEM, "convergence: out of memory");
    for (size_t k = 0; st == QALA_OK && k < np; k++) {
        r->periods[k] = p->periods[k];
        time[k] = qala_trend_time(p->periods[k]);
    }
    if (st == QALA_OK && np) {
        st = qala_sigma_convergence(&r->sigma, r->dispersion, r->n_used, p->values,
                                    r->weighted ? p->weights : NULL, p->nunits, np, time, &opt->sigma);
    } else if (st == QALA_OK) {
        qala_sigma_result none = {0, 0, NAN, NAN, NAN, NAN, NAN, NAN};
        if ((unsigned)opt->sigma.measure >= QALA_INEQ_MEASURE_COUNT || (unsigned)opt->sigma.units > 1)
            st = qala_err__set(QALA_EINVAL, "convergence: a sigma spec outside the enums");
        r->sigma = none;
    }
    if (st == QALA_OK)
        st = beta_of(r, p);
    qala_mem__free(time);
    if (st != QALA_OK) {
        qala_convergence_report_free(r);
        return st;
    }
    *out = r;
    return QALA_OK;
}
