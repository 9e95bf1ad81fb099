/* src/inequality_decompose.c — Theil T and Theil L decomposed exactly into within- and
 * between-group parts: one grouping (city type, region, macro-region), or two nested
 * groupings (Akita's two-stage method: units in regions in macro-regions).
 *
 * Place in the pipeline: next to the summary (src/inequality.c) in the reports on
 * differentiation between units; called once per (indicator, period, grouping).
 * Method: one core serves both entry points; the one-stage decomposition is the nested
 * one with every inner group in a single outer group (whose between-outer part is then
 * exactly 0). Pass 1 checks the group ids, classifies each unit (missing, no group,
 * value ≤ 0, used) and sums W and Σwy per inner group; the outer groups and the whole
 * are summed from the inner ones. Pass 2 takes one logarithm per used unit and adds the
 * deviations ln y − ln μ_j, ln y − ln μ_i and ln y − ln μ to the inner group, its outer
 * group and the whole: each Theil is a sum of deviations from its own mean, so the total
 * is computed on its own and "within + between = total" is a real check, not an identity
 * of the code. The parts come from the group figures (shares and logs of mean ratios).
 * Invariants: every group array is written in full (empty groups: n = 0, NAN mean and
 * Theils, zero shares); the counts add up to n; no sort, no allocation per element.
 * Workload: O(n + ninner + nouter); up to ~10^6 units and thousands of groups.
 */
#include <math.h>
#include <string.h>

#include "inequality_internal.h"
#include "qala/inequality.h"
#include "util/internal.h"

/* The shared result of the core, copied into the public structs by the entry points. */
typedef struct core_result {
    size_t n_used, n_missing, n_no_group, n_nonpositive, n_inner, n_outer;
    double weight, mean;
    qala_theil_nested_parts t, l;
} core_result;

enum unit_class { UNIT_USED, UNIT_MISSING, UNIT_NO_GROUP, UNIT_NONPOSITIVE };

static enum unit_class classify(double v, double wi, uint32_t g)
{
    if (!isfinite(v) || !qala_ineq__weight_ok(wi))
        return UNIT_MISSING;
    if (g == QALA_INEQ_NO_GROUP)
        return UNIT_NO_GROUP;
    if (v <= 0)
        return UNIT_NONPOSITIVE;
    return UNIT_USED;
}

static void finish_group(qala_ineq_group *g, double sum_wy, double W, double Y)
{
    if (g->n == 0) {
        g->weight = 0;
        g->mean = g->theil_t = g->theil_l = NAN;
        g->pop_share = g->income_share = 0;
        return;
    }
    g->mean = sum_wy / g->weight;
    g->pop_share = g->weight / W;
    g->income_share = sum_wy / Y;
}

/* The core. outer_of NULL = every inner group in outer group 0 (nouter must be 1). The
 * group arrays are the caller's or scratch; both have room (ninner, nouter). While
 * summing, each group's theil_t holds Σwy and between_t Σ w y (ln y − ln μ_g). */
static qala_status theil_core(core_result *r, qala_ineq_group *ig, qala_ineq_group *og,
                              const double *y, size_t ystride, const double *w,
                              size_t wstride, const uint32_t *inner, size_t n,
                              const uint32_t *outer_of, size_t ninner, size_t nouter,
                              const char *who)
{
    memset(r, 0, sizeof *r);
    memset(ig, 0, ninner * sizeof *ig);
    memset(og, 0, nouter * sizeof *og);
    double W = 0, Y = 0;
    for (size_t u = 0; u < n; u++) {
        uint32_t g = inner[u];
        if (g != QALA_INEQ_NO_GROUP && g >= ninner)
            return qala_err__set(QALA_EINVAL, "%s: unit %zu has group %u, not below the %zu groups",
                                 who, u, (unsigned)g, ninner);
        double v = y[u * ystride], wi = w ? w[u * wstride] : 1.0;
        switch (classify(v, wi, g)) {
        case UNIT_MISSING: r->n_missing++; continue;
        case UNIT_NO_GROUP: r->n_no_group++; continue;
        case UNIT_NONPOSITIVE: r->n_nonpositive++; continue;
        case UNIT_USED: break;
        }
        r->n_used++;
        ig[g].n++;
        ig[g].weight += wi;
        ig[g].theil_t += wi * v; /* Σwy for now */
        W += wi;
        Y += wi * v;
    }
    /* Outer groups and the whole from the inner sums. */
    for (size_t j = 0; j < ninner; j++) {
        size_t i = outer_of ? outer_of[j] : 0;
        og[i].n += ig[j].n;
        og[i].weight += ig[j].weight;
        og[i].theil_t += ig[j].theil_t;
    }
    r->weight = W;
    const double nan = NAN;
    r->t = r->l = (qala_theil_nested_parts){nan, nan, nan, nan};
    if (r->n_used == 0) {
        r->mean = NAN;
        for (size_t j = 0; j < ninner; j++)
            finish_group(&ig[j], 0, W, Y);
        for (size_t i = 0; i < nouter; i++)
            finish_group(&og[i], 0, W, Y);
        return QALA_OK;
    }
    const double mu = Y / W, lmu = log(mu);
    r->mean = mu;
    for (size_t j = 0; j < ninner; j++) {
        double sy = ig[j].theil_t;
        finish_group(&ig[j], sy, W, Y);
        if (ig[j].n)
            ig[j].theil_t = ig[j].theil_l = 0;
        r->n_inner += ig[j].n > 0;
        ig[j].between_t = ig[j].n ? log(ig[j].mean) : 0; /* ln μ_j for pass 2 */
    }
    for (size_t i = 0; i < nouter; i++) {
        double sy = og[i].theil_t;
        finish_group(&og[i], sy, W, Y);
        if (og[i].n)
            og[i].theil_t = og[i].theil_l = 0;
        r->n_outer += og[i].n > 0;
        og[i].between_t = og[i].n ? log(og[i].mean) : 0; /* ln μ_i for pass 2 */
    }

    /* Pass 2: deviations of ln y from the three means. */
    double tt = 0, tl = 0;
    for (size_t u = 0; u < n; u++) {
        uint32_t g = inner[u];
        double v = y[u * ystride], wi = w ? w[u * wstride] : 1.0;
        if (classify(v, wi, g) != UNIT_USED)
            continue;
        qala_ineq_group *gj = &ig[g], *gi = &og[outer_of ? outer_of[g] : 0];
        double ly = log(v), wy = wi * v;
        double d = ly - lmu, dj = ly - gj->between_t, di = ly - gi->between_t;
        tt += wy * d;
        tl -= wi * d;
        gj->theil_t += wy * dj;
        gj->theil_l -= wi * dj;
        gi->theil_t += wy * di;
        gi->theil_l -= wi * di;
    }
    r->t.total = tt / Y;
    r->l.total = tl / W;

    /* Group Theils, between-inner parts per outer group, and the three parts. */
    for (size_t i = 0; i < nouter; i++) {
        qala_ineq_group *gi = &og[i];
        if (gi->n) {
            gi->theil_t /= gi->income_share * Y;
            gi->theil_l /= gi->weight;
        }
        gi->between_t = gi->between_l = 0;
    }
    double wi_t = 0, wi_l = 0;
    for (size_t j = 0; j < ninner; j++) {
        qala_ineq_group *gj = &ig[j];
        gj->between_t = gj->between_l = 0;
        if (!gj->n)
            continue;
        gj->theil_t /= gj->income_share * Y;
        gj->theil_l /= gj->weight;
        wi_t += gj->income_share * gj->theil_t;
        wi_l += gj->pop_share * gj->theil_l;
        qala_ineq_group *gi = &og[outer_of ? outer_of[j] : 0];
        double lr = log(gj->mean / gi->mean);
        gi->between_t += gj->income_share / gi->income_share * lr;
        gi->between_l -= gj->pop_share / gi->pop_share * lr;
    }
    double bi_t = 0, bi_l = 0, bo_t = 0, bo_l = 0;
    for (size_t i = 0; i < nouter; i++) {
        qala_ineq_group *gi = &og[i];
        if (!gi->n)
            continue;
        bi_t += gi->income_share * gi->between_t;
        bi_l += gi->pop_share * gi->between_l;
        double lr = log(gi->mean / mu);
        bo_t += gi->income_share * lr;
        bo_l -= gi->pop_share * lr;
    }
    r->t.within_inner = wi_t;
    r->t.between_inner = bi_t;
    r->t.between_outer = bo_t;
    r->l.within_inner = wi_l;
    r->l.between_inner = bi_l;
    r->l.between_outer = bo_l;
    return QALA_OK;
}

/* Scratch for the group arrays the caller did not pass: one block, or NULL. */
static qala_status group_scratch(qala_ineq_group **block, qala_ineq_group **ig,
                                 qala_ineq_group **og, size_t ninner, size_t nouter,
                                 const char *who)
{
    size_t need = (*ig ? 0 : ninner) + (*og ? 0 : nouter);
    *block = NULL;
    if (need == 0)
        return QALA_OK;
    *block = qala_mem__malloc(need * sizeof **block);
    if (!*block)
        return qala_err__set(QALA_ENOMEM, "%s: out of memory for %zu groups", who, need);
    qala_ineq_group *p = *block;
    if (!*ig) {
        *ig = p;
        p += ninner;
    }
    if (!*og)
        *og = p;
    return QALA_OK;
}

qala_status qala_theil_decompose(qala_theil_decomp *out, qala_ineq_group *groups,
                                 const double *y, size_t ystride, const double *w,
                                 size_t wstride, const uint32_t *group, size_t n,
                                 size_t ngroups)
{
    static const char who[] = "qala_theil_decompose";
    if (!out || (n > 0 && (!y || !group)))
        return qala_err__set(QALA_EINVAL, "%s: out, y and group must not be NULL", who);
    if (ystride == 0 || (w && wstride == 0))
        return qala_err__set(QALA_EINVAL, "%s: strides must be at least 1", who);
    qala_ineq_group whole, *og = &whole, *block;
    qala_status st = group_scratch(&block, &groups, &og, ngroups, 1, who);
    if (st != QALA_OK)
        return st;
    core_result r;
    st = theil_core(&r, groups, og, y, ystride, w, wstride, group, n, NULL, ngroups, 1, who);
    if (st == QALA_OK) {
        *out = (qala_theil_decomp){
            .n_used = r.n_used, .n_missing = r.n_missing, .n_no_group = r.n_no_group,
            .n_nonpositive = r.n_nonpositive, .n_groups = r.n_inner,
            .weight = r.weight, .mean = r.mean,
            .t = {r.t.total, r.t.within_inner, r.t.between_inner},
            .l = {r.l.total, r.l.within_inner, r.l.between_inner},
        };
    }
    qala_mem__free(block);
    return st;
}

qala_status qala_theil_nested_decompose(qala_theil_nested *out, qala_ineq_group *inner_groups,
                                        qala_ineq_group *outer_groups, const double *y,
                                        size_t ystride, const double *w, size_t wstride,
                                        const uint32_t *inner, size_t n,
                                        const uint32_t *outer_of, size_t ninner,
                                        size_t nouter)
{
    static const char who[] = "qala_theil_nested_decompose";
    if (!out || (n > 0 && (!y || !inner)) || (ninner > 0 && !outer_of))
        return qala_err__set(QALA_EINVAL, "%s: out, y, inner and outer_of must not be NULL", who);
    if (ystride == 0 || (w && wstride == 0))
        return qala_err__set(QALA_EINVAL, "%s: strides must be at least 1", who);
    for (size_t j = 0; j < ninner; j++)
        if (outer_of[j] >= nouter)
            return qala_err__set(QALA_EINVAL,
                                 "%s: inner group %zu is in outer group %u, not below the %zu outer groups",
                                 who, j, (unsigned)outer_of[j], nouter);
    qala_ineq_group *block;
    qala_status st = group_scratch(&block, &inner_groups, &outer_groups, ninner, nouter, who);
    if (st != QALA_OK)
        return st;
    core_result r;
    st = theil_core(&r, inner_groups, outer_groups, y, ystride, w, wstride, inner, n, outer_of,
                    ninner, nouter, who);
    if (st == QALA_OK) {
        *out = (qala_theil_nested){
            .n_used = r.n_used, .n_missing = r.n_missing, .n_no_group = r.n_no_group,
            .n_nonpositive = r.n_nonpositive, .n_inner = r.n_inner, .n_outer = r.n_outer,
            .weight = r.weight, .mean = r.mean, .t = r.t, .l = r.l,
        };
    }
    qala_mem__free(block);
    return st;
}
