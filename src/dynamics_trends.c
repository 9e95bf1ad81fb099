/* src/dynamics_trends.c — trends per unit with progress to targets, and comparisons of
 * groups of units, over a panel (qala/dynamics.h). The arithmetic is the kernels'
 * (src/trends.c, src/targets.c, src/compare.c); here the units' series and group
 * entries are gathered and the results collected into plain structs.
 *
 * Place in the pipeline: qala_panel_build → here → `qala trends`, `qala compare`,
 * reports. Invariants: a report owns its arrays; a trend row exists for every panel unit
 * with at least one value (the others are counted); in a comparison a unit belongs to
 * every listed group it is a member of at the panel's date, and to "rest" when it is in
 * none. Work: O(units · periods) for the trends; O(B · n log n) for each permutation test.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qala/dynamics.h"
#include "util/internal.h"

/* ---- trends ----------------------------------------------------------------------- */

void qala_trends_report_free(qala_trends_report *r)
{
    if (!r)
        return;
    qala_mem__free(r->rows);
    qala_mem__free(r);
}

/* The progress of one unit towards the target that applies to it, if any. */
static qala_status unit_progress(qala_trend_row *row, const qala_panel *p, const qala_period *periods,
                                 const double *series, size_t n, int direction, const qala_targets *targets,
                                 size_t indicator, const qala_registry *reg)
{
    size_t t;
    qala_status st = qala_targets_find(targets, indicator, reg, p->reg_units[row->unit], p->at, &t);
    if (st == QALA_ENOTFOUND)
        return QALA_OK;
    if (st != QALA_OK)
        return st;
    qala_progress_target target = qala_target_progress(qala_targets_get(targets, t));
    st = qala_progress_compute(&row->progress, periods, series, n, direction, &target);
    if (st != QALA_OK)
        return st;
    row->has_target = 1;
    row->target = t;
    row->cls = row->progress.cls;
    return QALA_OK;
}

qala_status qala_trends_report_compute(qala_trends_report **out, const qala_panel *p, int direction,
                                       const qala_targets *targets, size_t indicator,
                                       const qala_registry *reg)
{
    assert(out && p && (!targets || reg));
    *out = NULL;
    if (direction != 1 && direction != -1)
        return qala_err__set(QALA_EINVAL, "trends: direction %d (expected +1 or -1)", direction);
    qala_trends_report *r = qala_mem__calloc(1, sizeof *r);
    double *series = qala_mem__malloc((p->nperiods + 1) * sizeof *series);
    qala_status st = QALA_OK;
    if (r)
        r->rows = qala_mem__calloc(p->nunits + 1, sizeof *r->rows);
    if (!r || !series || !r->rows)
        st = qala_err__set(QALA_ENOMEM, "trends: out of memory");
    if (r)
        r->direction = direction;
    for (size_t u = 0; st == QALA_OK && u < p->nunits; u++) {
        size_t observed = 0;
        for (size_t k = 0; k < p->nperiods; k++) {
            double v = p->values[k * p->nunits + u];
            series[k] = p->alive[k * p->nunits + u] && isfinite(v) ? v : NAN;
            observed += !isnan(series[k]);
        }
        if (!observed) {
            r->n_no_data++;
            continue;
        }
        qala_trend_row *row = &r->rows[r->nrows];
        row->unit = u;
        st = qala_trend_summarise(&row->trend, p->periods, series, p->nperiods, direction);
        row->cls = row->trend.cls;
        if (st == QALA_OK && targets)
            st = unit_progress(row, p, p->periods, series, p->nperiods, direction, targets, indicator, reg);
        if (st == QALA_OK)
            r->counts[row->cls]++;
        r->nrows++;
    }
    qala_mem__free(series);
    if (st != QALA_OK) {
        qala_trends_report_free(r);
        return st;
    }
    *out = r;
    return QALA_OK;
}

/* ---- comparing groups ------------------------------------------------------------- */

void qala_compare_report_free(qala_compare_report *r)
{
    if (!r)
        return;
    qala_mem__free(r->codes);
    qala_mem__free(r->groups);
    qala_mem__free(r->pairs);
    qala_mem__free(r);
}

/* The listed registry groups (all when none is listed), resolved. */
static qala_status resolve_groups(size_t **out, size_t *n, const qala_registry *reg,
                                  const qala_compare_report_options *opt)
{
    size_t count = opt->ngroups ? opt->ngroups : qala_registry_group_count(reg);
    size_t *g = qala_mem__malloc((count + 1) * sizeof *g);
    if (!g)
        return qala_err__set(QALA_ENOMEM, "compare: out of memory");
    for (size_t i = 0; i < count; i++) {
        if (!opt->ngroups)
            g[i] = i;
        else if (qala_registry_find_group(reg, opt->groups[i], &g[i]) != QALA_OK) {
            qala_mem__free(g);
            return qala_err__set(QALA_ENOTFOUND, "unknown group '%s'", opt->groups[i]);
        }
    }
    *out = g;
    *n = count;
    return QALA_OK;
}

/* The codes of the listed groups and "rest", as one block. */
static const char **group_codes(const qala_registry *reg, const size_t *g, size_t n)
{
    const char **names = qala_mem__malloc((n + 2) * sizeof *names);
    if (!names)
        return NULL;
    for (size_t i = 0; i < n; i++)
        names[i] = qala_registry_group(reg, g[i])->code;
    names[n] = "rest";
    size_t prefix = (n + 2) * sizeof(const char *);
    const char **copies = qala_mem__malloc(prefix);
    char *block = copies ? qala_mem__pack_strings(prefix, names, n + 1, copies) : NULL;
    if (block)
        memcpy(block, copies, (n + 1) * sizeof *copies);
    qala_mem__free(copies);
    qala_mem__free(names);
    return (const char **)(void *)block;
}

/* One permutation test; an empty side gives NAN instead of an error. */
static qala_status test_pair(qala_permutation *out, const qala_compare_report *r, const double *x,
                             const uint32_t *ids, size_t n, uint32_t a, uint32_t b)
{
    if (r->groups[a].count == 0 || r->groups[b].count == 0) {
        qala_permutation none = {a, b, r->groups[a].count, r->groups[b].count, NAN, NAN, NAN, NAN,
                                 r->permutations, r->seed};
        *out = none;
        return QALA_OK;
    }
    return qala_compare_permutation(out, x, ids, n, a, b, r->seed, r->permutations);
}

qala_status qala_compare_report_compute(qala_compare_report **out, const qala_panel *p,
                                        const qala_registry *reg,
                                        const qala_compare_report_options *opt)
{
    assert(out && p && reg && opt);
    *out = NULL;
    if (opt->period >= p->nperiods)
        return qala_err__set(QALA_EINVAL, "compare: period index %zu of %zu", opt->period, p->nperiods);
    if (opt->permutations > QALA_COMPARE_MAX_B)
        return qala_err__set(QALA_EINVAL, "compare: %zu permutations (at most %d)", opt->permutations,
                             QALA_COMPARE_MAX_B);
    size_t *g = NULL, ng = 0;
    qala_status st = resolve_groups(&g, &ng, reg, opt);
    if (st != QALA_OK)
        return st;
    qala_compare_report *r = qala_mem__calloc(1, sizeof *r);
    size_t cap = p->nunits * (ng + 1) + 1;
    double *x = qala_mem__malloc(cap * sizeof *x);
    uint32_t *ids = qala_mem__malloc(cap * sizeof *ids);
    if (r) {
        r->codes = group_codes(reg, g, ng);
        r->groups = qala_mem__calloc(ng + 2, sizeof *r->groups);
        r->pairs = qala_mem__calloc(ng * (ng + 1) / 2 + 1, sizeof *r->pairs);
    }
    if (!r || !x || !ids || !r->codes || !r->groups || !r->pairs)
        st = qala_err__set(QALA_ENOMEM, "compare: out of memory");
    size_t n = 0, k = opt->period;
    if (st == QALA_OK) {
        r->period = p->periods[k];
        r->ngroups = ng + 1;
        r->seed = opt->seed;
        r->permutations = opt->permutations ? opt->permutations : QALA_COMPARE_DEFAULT_B;
        for (size_t u = 0; u < p->nunits; u++) {
            size_t c = k * p->nunits + u;
            if (!p->alive[c])
                continue;
            r->n_units++;
            double v = p->values[c];
            if (!isfinite(v)) {
                r->n_no_value++;
                continue;
            }
            int any = 0;
            for (size_t i = 0; i < ng; i++)
                if (qala_registry_in_group_at(reg, g[i], p->reg_units[u], p->at)) {
                    x[n] = v;
                    ids[n++] = (uint32_t)i;
                    any = 1;
                }
            if (!any) {
                x[n] = v;
                ids[n++] = (uint32_t)ng;
            }
        }
        st = qala_compare_summarise(r->groups, ng + 1, x, ids, n);
    }
    for (size_t i = 0; st == QALA_OK && i < ng; i++)
        for (size_t j = i + 1; st == QALA_OK && j < ng; j++)
            st = test_pair(&r->pairs[r->npairs++], r, x, ids, n, (uint32_t)i, (uint32_t)j);
    for (size_t i = 0; st == QALA_OK && i < ng; i++)
        st = test_pair(&r->pairs[r->npairs++], r, x, ids, n, (uint32_t)i, (uint32_t)ng);
    qala_mem__free(g);
    qala_mem__free(x);
    qala_mem__free(ids);
    if (st != QALA_OK) {
        qala_compare_report_free(r);
        return st;
    }
    *out = r;
    return QALA_OK;
}
