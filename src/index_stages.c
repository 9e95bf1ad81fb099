/* src/index_stages.c — the stages of the composite-index pipeline (qala/index.h), each a
 * loop over the tree's nodes that calls a kernel (denominate.c, impute.c, treat.c,
 * normalise.c, aggregate.c, rank.c) on column slices of the result's data block.
 *
 * Place: called in order by qala_index_run (index.c): screen → denominate → impute →
 * treat → normalise → aggregate → rank → effective weights. The docs are docs/index.md.
 *
 * Invariants: after the screen, every stage has nrows = nperiods · nkept rows per column,
 * row r = p · nkept + k; an indicator that the screen dropped has all-missing columns
 * from the denominated stage on (as COINr removes it from its data sets), weight 0, and
 * its parent aggregates over the kept children only. A kernel's error comes back with the
 * node, the unit and the period named. Workload: O(cells) per stage; no allocation here
 * (the scratch is laid out by index.c), the kernels allocate at most once per call.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "index_internal.h"
#include "qala/aggregate.h"
#include "qala/denominate.h"
#include "qala/impute.h"
#include "qala/normalise.h"
#include "qala/rank.h"
#include "qala/treat.h"
#include "util/internal.h"

static void fill_nan(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = NAN;
}

static int kept_indicator(const qala_index_result *res, size_t i)
{
    return res->report[i].screen == QALA_INDEX_KEPT;
}

/* Rewraps the last error's message with a prefix (the message is copied first: the
 * record is cleared before it is written). */
static qala_status rewrap(qala_status st, const char *node, const char *what,
                          const char *period)
{
    char detail[sizeof qala_error_last()->message];
    snprintf(detail, sizeof detail, "%s", qala_error_last()->message);
    if (period && period[0])
        return qala_err__set(st, "%s of '%s' (%s): %s", what, node, period, detail);
    return qala_err__set(st, "%s of '%s': %s", what, node, detail);
}

/* ---- screen ----------------------------------------------------------------------- */

qala_status qala_index__screen(qala_index_result *res)
{
    const qala_index_input *in = res->input;
    const qala_index_tree *t = res->tree;
    const qala_index_settings *set = &t->settings;
    size_t nu = res->nunits, np = res->nperiods, ncells = 0;
    memset(res->unit_avail, 0, nu * sizeof *res->unit_avail);
    for (size_t i = 0; i < res->nind; i++) {
        if (res->in_col[i] == SIZE_MAX)
            continue;
        const double *x = in->columns[res->in_col[i]];
        for (size_t p = 0; p < np; p++)
            for (size_t u = 0; u < nu; u++) {
                double v = x[p * nu + u];
                if (isnan(v))
                    continue;
                if (!isfinite(v)) {
                    char per[16];
                    qala_index__period_text(res, p, per);
                    return qala_err__set(QALA_EINVAL, "index input: column '%s', unit '%s'%s%s"
                                         "%s: %g is not a number (use NAN for a missing value)",
                                         t->nodes[i].code, res->unit_codes[u], per[0] ? " (" : "",
                                         per, per[0] ? ")" : "", v);
                }
                res->unit_avail[u] += 1;
            }
        ncells += np;
    }
    res->nkept = 0;
    double best = 0;
    for (size_t u = 0; u < nu; u++) {
        double a = ncells ? res->unit_avail[u] / (double)ncells : 0;
        res->unit_avail[u] = a;
        best = a > best ? a : best;
        res->unit_kept[u] = a >= set->unit_availability;
        if (res->unit_kept[u])
            res->kept[res->nkept++] = u;
    }
    if (res->nkept == 0)
        return qala_err__set(QALA_EDATA, "index screen: no unit kept (the best availability "
                             "is %g, below the threshold %g)", best, set->unit_availability);
    for (size_t i = 0; i < res->nind; i++) {
        qala_index_indicator_report *rep = &res->report[i];
        if (res->in_col[i] == SIZE_MAX) {
            rep->screen = QALA_INDEX_NO_COLUMN;
            continue;
        }
        const double *x = in->columns[res->in_col[i]];
        size_t present = 0, zeros = 0;
        for (size_t p = 0; p < np; p++)
            for (size_t k = 0; k < res->nkept; k++) {
                double v = x[p * nu + res->kept[k]];
                present += !isnan(v);
                zeros += v == 0;
            }
        rep->availability = (double)present / (double)(res->nkept * np);
        rep->zero_share = present ? (double)zeros / (double)present : 0;
        rep->screen = rep->availability < set->indicator_availability ? QALA_INDEX_LOW_AVAILABILITY
                      : rep->zero_share > set->max_zero_share         ? QALA_INDEX_TOO_MANY_ZEROS
                                                                      : QALA_INDEX_KEPT;
    }
    /* a node is alive when a kept indicator is under it; children come before parents */
    for (size_t i = 0; i < res->nnodes; i++)
        res->alive[i] = i < res->nind && kept_indicator(res, i);
    for (size_t i = 0; i + 1 < res->nnodes; i++)
        if (res->alive[i])
            res->alive[t->nodes[i].parent] = 1;
    if (!res->alive[res->nnodes - 1])
        return qala_err__set(QALA_EDATA, "index screen: every indicator was screened out "
                             "(no column, low availability or too many zeros)");
    return QALA_OK;
}

/* ---- denominate ------------------------------------------------------------------- */

/* Copies the kept units' rows of an input column (nunits per period) into y (nrows). */
static void gather(const qala_index_result *res, double *y, const double *x)
{
    size_t nu = res->nunits, nk = res->nkept;
    for (size_t p = 0; p < res->nperiods; p++)
        for (size_t k = 0; k < nk; k++)
            y[p * nk + k] = x[p * nu + res->kept[k]];
}

qala_status qala_index__denominate(qala_index_result *res)
{
    size_t nr = res->nrows;
    for (size_t i = 0; i < res->nind; i++) {
        double *y = qala_index__col(res, QALA_INDEX_STAGE_DENOMINATED, i);
        if (!kept_indicator(res, i)) {
            fill_nan(y, nr);
            continue;
        }
        gather(res, y, res->input->columns[res->in_col[i]]);
        if (res->den_col[i] == SIZE_MAX)
            continue;
        const qala_index_node *n = &res->tree->nodes[i];
        double *d = res->dgather;
        gather(res, d, res->input->columns[res->den_col[i]]);
        uint8_t *f = qala_index__flags(res, FLAGS_DENOMINATED, i);
        size_t lost = 0;
        for (size_t r = 0; r < nr; r++)
            if (!isnan(y[r]) && !(isfinite(d[r]) && d[r] != 0)) {
                f[r] = d[r] == 0 ? QALA_INDEX_DEN_ZERO : QALA_INDEX_DEN_MISSING;
                lost++;
            }
        qala_status st = qala_denominate(NULL, y, 1, nr, d, 1, n->denominator_scale);
        if (st != QALA_OK)
            return rewrap(st, n->code, "denomination", NULL);
        res->report[i].n_denominated_missing = lost;
    }
    return QALA_OK;
}

/* ---- impute ----------------------------------------------------------------------- */

qala_status qala_index__impute(qala_index_result *res)
{
    const qala_index_settings *set = &res->tree->settings;
    size_t nr = res->nrows, nk = res->nkept, np = res->nperiods;
    qala_impute_spec pspec = {.method = set->panel_impute, .max_gap = set->max_gap};
    qala_impute_spec cspec = {.method = set->impute};
    if (res->impute_grouping != SIZE_MAX) {
        cspec.group = res->kept_group;
        cspec.ngroups = (uint32_t)res->groupings[res->impute_grouping].ngroups;
    }
    for (size_t i = 0; i < res->nind; i++) {
        double *y = qala_index__col(res, QALA_INDEX_STAGE_IMPUTED, i);
        memcpy(y, qala_index__col(res, QALA_INDEX_STAGE_DENOMINATED, i), nr * sizeof *y);
        if (!kept_indicator(res, i))
            continue;
        const char *code = res->tree->nodes[i].code;
        uint8_t *f = qala_index__flags(res, FLAGS_IMPUTED, i);
        qala_index_indicator_report *rep = &res->report[i];
        qala_impute_report ir;
        if (pspec.method != QALA_IMPUTE_NONE && np > 1)
            for (size_t k = 0; k < nk; k++) {
                memset(res->pflags, 0, np);
                qala_status st = qala_impute(res->pflags, &ir, y + k, nk, np, &pspec);
                if (st != QALA_OK)
                    return rewrap(st, code, "panel imputation", res->unit_codes[res->kept[k]]);
                if (ir.n_filled)
                    for (size_t p = 0; p < np; p++)
                        f[p * nk + k] |= res->pflags[p];
                rep->n_imputed += ir.n_filled;
            }
        if (cspec.method != QALA_IMPUTE_NONE)
            for (size_t p = 0; p < np; p++) {
                qala_status st = qala_impute(f + p * nk, &ir, y + p * nk, 1, nk, &cspec);
                if (st != QALA_OK) {
                    char per[16];
                    qala_index__period_text(res, p, per);
                    return rewrap(st, code, "imputation", per);
                }
                rep->n_imputed += ir.n_filled;
            }
        size_t left = 0;
        for (size_t r = 0; r < nr; r++)
            left += isnan(y[r]) != 0;
        rep->n_left_missing = left;
    }
    return QALA_OK;
}

/* ---- treat ------------------------------------------------------------------------ */

qala_status qala_index__treat(qala_index_result *res)
{
    size_t nr = res->nrows, nk = res->nkept;
    for (size_t i = 0; i < res->nind; i++) {
        double *y = qala_index__col(res, QALA_INDEX_STAGE_TREATED, i);
        memcpy(y, qala_index__col(res, QALA_INDEX_STAGE_IMPUTED, i), nr * sizeof *y);
        qala_index_indicator_report *rep = &res->report[i];
        rep->treat.outcome = QALA_TREAT_UNTREATED;
        rep->treat.skew0 = rep->treat.kurt0 = rep->treat.skew = rep->treat.kurt = NAN;
        const qala_index_node *n = &res->tree->nodes[i];
        if (!kept_indicator(res, i) || !n->treat)
            continue;
        uint8_t *f = qala_index__flags(res, FLAGS_TREATED, i);
        for (size_t p = 0; p < res->nperiods; p++) {
            qala_status st = qala_treat(f + p * nk, &rep->treat, y + p * nk, 1, nk,
                                        &n->treat_spec);
            if (st != QALA_OK) {
                char per[16];
                qala_index__period_text(res, p, per);
                return rewrap(st, n->code, "outlier treatment", per);
            }
        }
        size_t changed = 0;
        for (size_t r = 0; r < nr; r++)
            changed += f[r] != QALA_TREAT_FLAG_NONE;
        rep->n_treated = changed;
    }
    return QALA_OK;
}

/* ---- normalise -------------------------------------------------------------------- */

qala_status qala_index__normalise(qala_index_result *res)
{
    size_t nr = res->nrows, nk = res->nkept, np = res->nperiods;
    size_t nm = 0;
    const qala_normalise_method_info *methods = qala_normalise_methods(&nm);
    for (size_t i = 0; i < res->nind; i++) {
        double *y = qala_index__col(res, QALA_INDEX_STAGE_NORMALISED, i);
        if (!kept_indicator(res, i)) {
            fill_nan(y, nr);
            continue;
        }
        const qala_index_node *n = &res->tree->nodes[i];
        const double *x = qala_index__col(res, QALA_INDEX_STAGE_TREATED, i);
        qala_normalise_spec spec = n->normalise;
        size_t kref = 0;
        if (res->ref_unit[i] != SIZE_MAX) {
            if (!res->unit_kept[res->ref_unit[i]])
                return qala_err__set(QALA_EDATA, "normalisation of '%s': the reference unit "
                                     "'%s' was screened out", n->code,
                                     res->unit_codes[res->ref_unit[i]]);
            while (res->kept[kref] != res->ref_unit[i])
                kref++;
        }
        unsigned all = 0, fl = 0;
        qala_status st = QALA_OK;
        int ranks = (size_t)spec.method < nm && (methods[spec.method].flags & QALA_NORM_USES_RANKS);
        if (res->tree->settings.pooled && !ranks && np > 1) {
            /* one pool over every period; the reference is the unit's latest row */
            qala_normalise_params par;
            spec.ref = (np - 1) * nk + kref;
            qala_normalise_params_init(&par);
            st = qala_normalise_params_add(&par, x, 1, nr, n->direction, &spec);
            if (st == QALA_OK)
                st = qala_normalise_apply(y, 1, x, 1, nr, n->direction, &spec, &par, &fl);
            all = fl | par.flags;
        } else {
            spec.ref = kref;
            for (size_t p = 0; p < np && st == QALA_OK; p++) {
                st = qala_normalise(y + p * nk, 1, x + p * nk, 1, nk, n->direction, &spec, &fl);
                all |= fl;
            }
        }
        if (st != QALA_OK)
            return rewrap(st, n->code, "normalisation", NULL);
        res->report[i].normalise_flags = all;
    }
    return QALA_OK;
}

/* ---- aggregate -------------------------------------------------------------------- */

/* The message of a value an aggregation method refused, with codes instead of indices. */
static qala_status refused(const qala_index_result *res, size_t a, size_t child, size_t k,
                           size_t p, double v)
{
    const qala_index_node *n = &res->tree->nodes[a];
    const qala_agg_spec *s = &n->aggregate;
    char what[48], need[8] = "> 0", per[16], where[40] = "";
    if (s->method == QALA_AGG_GEOMETRIC)
        snprintf(what, sizeof what, "geometric mean");
    else if (s->method == QALA_AGG_HARMONIC)
        snprintf(what, sizeof what, "harmonic mean");
    else if (s->method == QALA_AGG_POWER)
        snprintf(what, sizeof what, "power mean (p = %g)", s->p);
    else
        snprintf(what, sizeof what, "%s aggregation", qala_agg_method_code(s->method));
    if (s->method == QALA_AGG_POWER && s->p > 0)
        snprintf(need, sizeof need, ">= 0");
    qala_index__period_text(res, p, per);
    if (per[0])
        snprintf(where, sizeof where, " (%s)", per);
    const char *unit = res->unit_codes[res->kept[k]], *cc = res->tree->nodes[child].code;
    if (!isfinite(v))
        return qala_err__set(QALA_EDATA, "%s of '%s' for unit '%s'%s: child '%s' is %g, not "
                             "a finite number", what, n->code, unit, where, cc, v);
    if (s->offset > 0)
        return qala_err__set(QALA_EDATA, "%s of '%s' for unit '%s'%s: child '%s' is %g, %g "
                             "after the offset %g; a %s needs values %s", what, n->code, unit,
                             where, cc, v, v + s->offset, s->offset, what, need);
    return qala_err__set(QALA_EDATA, "%s of '%s' for unit '%s'%s: child '%s' is %g; a %s "
                         "needs values %s (set an offset to allow it)", what, n->code, unit,
                         where, cc, v, what, need);
}

qala_status qala_index__aggregate(qala_index_result *res)
{
    size_t nr = res->nrows, nk = res->nkept;
    const qala_index_node *nodes = res->tree->nodes;
    for (size_t a = res->nind; a < res->nnodes; a++) {
        double *y = qala_index__col(res, QALA_INDEX_STAGE_AGGREGATED, a);
        if (!res->alive[a]) {
            fill_nan(y, nr);
            continue;
        }
        size_t m = 0;
        for (size_t j = res->child_start[a]; j < res->child_start[a + 1]; j++) {
            size_t c = res->child[j];
            if (!res->alive[c])
                continue;
            memcpy(res->block + m * nr, qala_index__col(res, QALA_INDEX_STAGE_AGGREGATED, c),
                   nr * sizeof *res->block);
            res->cw[m] = nodes[c].weight;
            res->cid[m++] = c;
        }
        for (size_t p = 0; p < res->nperiods; p++) {
            qala_agg_report rep;
            qala_status st = qala_agg_node(y + p * nk, NULL, &rep, res->block + p * nk, nk, m,
                                           1, nr, res->cw, &nodes[a].aggregate);
            if (st == QALA_EDATA && rep.unit < nk && rep.child < m)
                return refused(res, a, res->cid[rep.child], rep.unit, p,
                               res->block[rep.child * nr + p * nk + rep.unit]);
            if (st != QALA_OK) {
                char per[16];
                qala_index__period_text(res, p, per);
                return rewrap(st, nodes[a].code, "aggregation", per);
            }
        }
    }
    return QALA_OK;
}

/* ---- rank and effective weights --------------------------------------------------- */

qala_status qala_index__rank(qala_index_result *res)
{
    size_t nk = res->nkept;
    for (size_t i = 0; i < res->nnodes; i++) {
        const double *x = qala_index__col(res, QALA_INDEX_STAGE_AGGREGATED, i);
        double *r = qala_index__col(res, QALA_INDEX_STAGE_RANKED, i);
        for (size_t p = 0; p < res->nperiods; p++) {
            qala_status st = qala_rank_min(r + p * nk, 1, x + p * nk, 1, nk, QALA_RANK_DESC,
                                           res->rank_items);
            if (st != QALA_OK)
                return rewrap(st, res->tree->nodes[i].code, "ranking", NULL);
        }
    }
    return QALA_OK;
}

qala_status qala_index__weights(qala_index_result *res)
{
    const qala_index_node *nodes = res->tree->nodes;
    size_t nn = res->nnodes;
    /* a screened-out node weighs 0 among living siblings; a node whose parent is dead as
     * well keeps its weight, so that no group of the kernel sums to 0 (it weighs 0 below) */
    for (size_t i = 0; i < nn; i++) {
        size_t up = res->parent[i];
        res->wtmp[i] = res->alive[i] || (up != QALA_AGG_ROOT && !res->alive[up])
                           ? nodes[i].weight : 0.0;
    }
    qala_status st = qala_agg_effective_weights(res->eff_weight, res->parent, res->wtmp, nn);
    if (st != QALA_OK)
        return st;
    for (size_t i = 0; i < nn; i++)
        if (!res->alive[i])
            res->eff_weight[i] = 0;
    return QALA_OK;
}
