/* src/inequality.c — the inequality summary of one indicator and period (Gini, CV,
 * max/min, top/bottom 20%, Theil T and L, SD of logs) and the table of measures.
 *
 * Place in the pipeline: called once per (indicator, period, grouping) by the reports on
 * differentiation between units, and once per period by σ-convergence (src/convergence.c).
 * Method: pass 1 copies the used units (finite value, finite weight > 0) into the scratch
 * array and sums W and Σwy; the array is sorted by value (qsort); pass 2 walks it once
 * in ascending order and accumulates every measure: the Gini in the sorted cumulative
 * form Σ wᵢyᵢ(2Cᵢ₋₁ + wᵢ − W) (exact with ties: tied values contribute 0 whichever their
 * order), the population variance around the known mean, the overlap of each unit's
 * weight interval [Cᵢ₋₁, Cᵢ] with [0, 0.2W] and [0.8W, W] (the straddling unit split
 * by weight), and, for values > 0, one logarithm per unit for both Theils and the SD of
 * logs, as deviations from ln μ (no cancellation of large sums).
 * Invariants: the definitions and exclusion rules are those of qala/inequality.h; the
 * scratch array holds only used units; a measure that cannot be computed is NAN.
 * Workload: regions and cities (tens to thousands of units) per call, many calls;
 * up to ~10^6 units in the benchmark. O(n log n), one allocation at most per call.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "inequality_internal.h"
#include "qala/inequality.h"
#include "util/internal.h"

static int cmp_item(const void *pa, const void *pb)
{
    const qala_ineq_item *a = pa, *b = pb;
    return (a->y > b->y) - (a->y < b->y);
}

int qala_ineq__weight_ok(double w)
{
    return isfinite(w) && w > 0;
}

static void summary_empty(qala_ineq_summary *s, size_t n_used, size_t n_missing)
{
    s->n_used = n_used;
    s->n_missing = n_missing;
    s->n_nonpositive = 0;
    s->weight = 0;
    s->mean = s->sd = s->min = s->max = NAN;
    s->cv = s->sd_log = s->gini = s->theil_t = s->theil_l = s->maxmin = s->top_bottom_20 = NAN;
}

void qala_ineq__summarise_items(qala_ineq_summary *s, qala_ineq_item *it, size_t m,
                                size_t n_missing)
{
    summary_empty(s, m, n_missing);
    if (m == 0)
        return;
    double W = 0, Y = 0, Wpos = 0, Ypos = 0;
    size_t npos = 0;
    for (size_t i = 0; i < m; i++) {
        W += it[i].w;
        Y += it[i].w * it[i].y;
        if (it[i].y > 0) {
            Wpos += it[i].w;
            Ypos += it[i].w * it[i].y;
            npos++;
        }
    }
    qsort(it, m, sizeof *it, cmp_item);

    const double mu = Y / W;
    const double mu_pos = npos ? Ypos / Wpos : NAN;
    const double lmu_pos = npos ? log(mu_pos) : NAN;
    const double cut_lo = 0.2 * W, cut_hi = W - 0.2 * W;
    double gsum = 0, var = 0, bottom = 0, top = 0;
    double tt = 0, tl = 0, dsum = 0, d2sum = 0;
    double cum = 0; /* C_{i-1}: weight of the units before i */
    for (size_t i = 0; i < m; i++) {
        const double y = it[i].y, w = it[i].w, next = cum + w;
        gsum += w * y * (2 * cum + w - W);
        var += w * (y - mu) * (y - mu);
        double lo = (next < cut_lo ? next : cut_lo) - cum;
        if (lo > 0)
            bottom += lo * y;
        double hi = next - (cum > cut_hi ? cum : cut_hi);
        if (hi > 0)
            top += hi * y;
        if (y > 0) {
            double d = log(y) - lmu_pos; /* ln(yᵢ/μ) */
            tt += w * y * d;
            tl -= w * d;
            dsum += w * d;
            d2sum += w * d * d;
        }
        cum = next;
    }

    s->n_nonpositive = m - npos;
    s->weight = W;
    s->mean = mu;
    s->sd = sqrt(var / W);
    s->min = it[0].y;
    s->max = it[m - 1].y;
    if (mu > 0) {
        s->cv = s->sd / mu;
        s->gini = gsum / (W * Y);
    }
    if (s->min > 0)
        s->maxmin = s->max / s->min;
    if (bottom > 0)
        s->top_bottom_20 = top / bottom;
    if (npos) {
        s->theil_t = tt / Ypos;
        s->theil_l = tl / Wpos;
        double md = dsum / Wpos, v = d2sum / Wpos - md * md;
        s->sd_log = sqrt(v > 0 ? v : 0);
    }
}

qala_status qala_ineq_summarise(qala_ineq_summary *out, const double *y, size_t ystride,
                                const double *w, size_t wstride, size_t n,
                                qala_ineq_item *scratch)
{
    if (!out || (!y && n > 0))
        return qala_err__set(QALA_EINVAL, "qala_ineq_summarise: out and y must not be NULL");
    if (ystride == 0 || (w && wstride == 0))
        return qala_err__set(QALA_EINVAL, "qala_ineq_summarise: strides must be at least 1");
    if (n == 0) {
        summary_empty(out, 0, 0);
        return QALA_OK;
    }
    qala_ineq_item *it = scratch;
    if (!it) {
        it = qala_mem__malloc(n * sizeof *it);
        if (!it)
            return qala_err__set(QALA_ENOMEM, "qala_ineq_summarise: out of memory for %zu units", n);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = y[i * ystride], wi = w ? w[i * wstride] : 1.0;
        if (!isfinite(v) || !qala_ineq__weight_ok(wi))
            continue;
        it[m].y = v;
        it[m].w = wi;
        m++;
    }
    qala_ineq__summarise_items(out, it, m, n - m);
    if (!scratch)
        qala_mem__free(it);
    return QALA_OK;
}

double qala_ineq_summary_get(const qala_ineq_summary *s, qala_ineq_measure measure)
{
    switch (measure) {
    case QALA_INEQ_CV: return s->cv;
    case QALA_INEQ_SD_LOG: return s->sd_log;
    case QALA_INEQ_GINI: return s->gini;
    case QALA_INEQ_THEIL_T: return s->theil_t;
    case QALA_INEQ_THEIL_L: return s->theil_l;
    case QALA_INEQ_MAXMIN: return s->maxmin;
    case QALA_INEQ_TOP_BOTTOM_20: return s->top_bottom_20;
    }
    return NAN;
}

/* ---- The measure table --------------------------------------------------------------- */

static const qala_ineq_measure_info measures[QALA_INEQ_MEASURE_COUNT] = {
    {"cv", QALA_INEQ_CV, 0, "coefficient of variation"},
    {"sd_log", QALA_INEQ_SD_LOG, QALA_INEQ_LOG, "standard deviation of logs"},
    {"gini", QALA_INEQ_GINI, QALA_INEQ_SORTED, "Gini coefficient"},
    {"theil_t", QALA_INEQ_THEIL_T, QALA_INEQ_LOG | QALA_INEQ_DECOMPOSABLE, "Theil T index, GE(1)"},
    {"theil_l", QALA_INEQ_THEIL_L, QALA_INEQ_LOG | QALA_INEQ_DECOMPOSABLE,
     "Theil L index, GE(0), mean log deviation"},
    {"maxmin", QALA_INEQ_MAXMIN, 0, "ratio of the maximum to the minimum"},
    {"top_bottom_20", QALA_INEQ_TOP_BOTTOM_20, QALA_INEQ_SORTED,
     "ratio of the top 20% to the bottom 20% (by weight)"},
};

const qala_ineq_measure_info *qala_ineq_measures(size_t *count)
{
    if (count)
        *count = QALA_INEQ_MEASURE_COUNT;
    return measures;
}

const char *qala_ineq_measure_code(qala_ineq_measure measure)
{
    if ((unsigned)measure >= QALA_INEQ_MEASURE_COUNT)
        return "?";
    return measures[measure].name;
}

qala_status qala_ineq_measure_parse(qala_ineq_measure *out, const char *text)
{
    if (!out || !text)
        return qala_err__set(QALA_EINVAL, "qala_ineq_measure_parse: out and text must not be NULL");
    for (size_t i = 0; i < QALA_INEQ_MEASURE_COUNT; i++)
        if (strcmp(text, measures[i].name) == 0) {
            *out = measures[i].measure;
            return QALA_OK;
        }
    if (strcmp(text, "ge1") == 0) {
        *out = QALA_INEQ_THEIL_T;
        return QALA_OK;
    }
    if (strcmp(text, "ge0") == 0 || strcmp(text, "mld") == 0) {
        *out = QALA_INEQ_THEIL_L;
        return QALA_OK;
    }
    return qala_err__set(QALA_EINVAL,
                         "unknown inequality measure '%s': expected cv, sd_log, gini, theil_t "
                         "(ge1), theil_l (ge0, mld), maxmin or top_bottom_20", text);
}
