/* src/check_rules.c — the statistical rules of `qala check`: suspicious jumps, peer
 * outliers, repeated values, Benford's first-digit test, missing series.
 *
 * Place in the pipeline: called by qala_check_run (check.c) on a sorted dataset; each
 * rule adds findings through qala_check__add. Definitions (docs/check.md):
 * - robust z of v against values x: 0.6745 (v - median x) / MAD x, with the mean
 *   absolute deviation (× 1.253314) when the MAD is 0 (Iglewicz & Hoaglin 1993); a value
 *   is always compared with the OTHER values (itself left out);
 * - a change is between adjacent periods of one frequency (2021 → 2022, 2022-Q4 →
 *   2023-Q1), never across a gap nor into a value flagged "break"; it is the log ratio
 *   when every value of the series is positive, else the difference;
 * - peers: the same tier (check_internal.h) and, for changes, the same kind of change.
 * Invariants: nothing here allocates per observation beyond a few index arrays; every
 * loop is O(n log n) except the leave-one-out statistics, O(g² log g) per peer group of
 * g units (g is at most a few hundred). Benford's p-value comes from GSL.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "check_internal.h"
#include "util/internal.h"

/* ---- kernels --------------------------------------------------------------------- */

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double qala_check_median(double *x, size_t n)
{
    qsort(x, n, sizeof *x, dbl_cmp);
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

double qala_check_robust_z(double v, double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double med = qala_check_median(x, n), mean_ad = 0;
    for (size_t i = 0; i < n; i++) {
        x[i] = fabs(x[i] - med);
        mean_ad += x[i];
    }
    mean_ad /= (double)n;
    double mad = qala_check_median(x, n);
    if (mad > 0)
        return 0.6745 * (v - med) / mad;
    if (mean_ad > 0)
        return (v - med) / (1.253314 * mean_ad);
    return v == med ? 0 : (v > med ? INFINITY : -INFINITY);
}

int qala_check_first_digit(double x)
{
    if (!(x > 0) || !isfinite(x))
        return 0;
    char buf[32];
    snprintf(buf, sizeof buf, "%.14e", x);
    return buf[0] - '0';
}

void qala_check_benford_chi2(const size_t counts[9], double *chi2, double *p_value)
{
    size_t n = 0;
    for (int d = 0; d < 9; d++)
        n += counts[d];
    double s = 0;
    for (int d = 0; d < 9; d++) {
        double e = (double)n * log10(1.0 + 1.0 / (d + 1));
        s += ((double)counts[d] - e) * ((double)counts[d] - e) / e;
    }
    *chi2 = n ? s : NAN;
    *p_value = n ? gsl_cdf_chisq_Q(s, 8.0) : NAN;
}

/* ---- shared pieces --------------------------------------------------------------- */

/* Robust z of x[self] against the other m - 1 values of x[0..m) (scratch: m doubles). */
static double z_leave_one_out(const double *x, size_t m, size_t self, double *scratch)
{
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (i != self)
            scratch[k++] = x[i];
    return qala_check_robust_z(x[self], scratch, k);
}

/* A record of one value (or change) with its peer-group key. */
typedef struct rec {
    uint32_t unit, ind;
    qala_period period;
    int tier, kind; /* kind: 1 log ratio, 0 difference (changes) */
    double x;       /* the value or change compared */
    double prev, cur;
    size_t series;  /* index of the series' first observation */
    double z_own, z_peer;
    size_t n_own, n_peer;
    double med_own; /* median of the other changes of the series (jumps) */
} rec;

static int rec_group_cmp(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->ind != y->ind)
        return x->ind < y->ind ? -1 : 1;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    if (x->tier != y->tier)
        return x->tier - y->tier;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

static int rec_series_cmp(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->series != y->series)
        return x->series < y->series ? -1 : 1;
    return (x->period > y->period) - (x->period < y->period);
}

/* End of the series that starts at i. */
static size_t series_end(const check_ctx *c, size_t i)
{
    size_t j = i + 1;
    while (j < c->n && c->unit[j] == c->unit[i] && c->ind[j] == c->ind[i])
        j++;
    return j;
}

/* The leave-one-out z of each record against the others of its group [lo, hi), where
 * the group is of at least min_others + 1 records; NAN otherwise. */
static qala_status z_in_groups(rec *r, size_t n, int (*same)(const rec *, const rec *),
                               size_t min_others, int own)
{
    double *x = NULL, *scratch = NULL;
    size_t cap = 0;
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo + 1; hi < n && same(&r[lo], &r[hi]); hi++)
            ;
        size_t m = hi - lo;
        for (size_t i = lo; i < hi; i++) {
            if (own) {
                r[i].z_own = NAN;
                r[i].n_own = m - 1;
            } else {
                r[i].z_peer = NAN;
                r[i].n_peer = m - 1;
            }
        }
        if (m - 1 < min_others)
            continue;
        if (m > cap) {
            qala_mem__free(x);
            qala_mem__free(scratch);
            x = qala_mem__malloc(m * sizeof *x);
            scratch = qala_mem__malloc(m * sizeof *scratch);
            cap = m;
            if (!x || !scratch) {
                qala_mem__free(x);
                qala_mem__free(scratch);
                return qala_err__set(QALA_ENOMEM, "out of memory checking the data");
            }
        }
        for (size_t i = 0; i < m; i++)
            x[i] = r[lo + i].x;
        for (size_t i = 0; i < m; i++) {
            double z = z_leave_one_out(x, m, i, scratch);
            if (own) {
                r[lo + i].z_own = z;
                size_t k = 0;
                for (size_t j = 0; j < m; j++)
                    if (j != i)
                        scratch[k++] = x[j];
                r[lo + i].med_own = qala_check_median(scratch, k);
            } else {
                r[lo + i].z_peer = z;
            }
        }
    }
    qala_mem__free(x);
    qala_mem__free(scratch);
    return QALA_OK;
}

static int same_series(const rec *a, const rec *b) { return a->series == b->series; }
static int same_group(const rec *a, const rec *b)
{
    return a->ind == b->ind && a->period == b->period && a->tier == b->tier && a->kind == b->kind;
}

/* ---- jumps ----------------------------------------------------------------------- */

static void describe_change(char *buf, size_t size, const rec *r)
{
    char a[40], b[40];
    qala_check__fmt(a, sizeof a, r->prev);
    qala_check__fmt(b, sizeof b, r->cur);
    if (r->kind)
        snprintf(buf, size, "%s %.1f%% (%s to %s)", r->cur >= r->prev ? "rose" : "fell",
                 fabs(r->cur / r->prev - 1) * 100, a, b);
    else
        snprintf(buf, size, "changed by %.6g (%s to %s)", r->cur - r->prev, a, b);
}

qala_status qala_check__jumps(check_ctx *c)
{
    rec *r = qala_mem__malloc((c->n ? c->n : 1) * sizeof *r);
    if (!r)
        return qala_err__set(QALA_ENOMEM, "out of memory checking the data");
    size_t m = 0;
    for (size_t s = 0, e; s < c->n; s = e) {
        e = series_end(c, s);
        int all_positive = 1;
        for (size_t i = s; i < e; i++)
            if (!(c->val[i] > 0))
                all_positive &= isnan(c->val[i]) != 0;
        for (size_t i = s + 1; i < e; i++) {
            double a = c->val[i - 1], b = c->val[i];
            if (isnan(a) || isnan(b) || c->per[i] != qala_check__next_period(c->per[i - 1]) ||
                c->flag[i] == QALA_FLAG_BREAK)
                continue;
            rec *x = &r[m++];
            memset(x, 0, sizeof *x);
            x->unit = c->unit[i];
            x->ind = c->ind[i];
            x->period = c->per[i];
            x->tier = qala_check__tier(c, c->unit[i], c->per[i]);
            x->kind = all_positive;
            x->x = all_positive ? log(b / a) : b - a;
            x->prev = a;
            x->cur = b;
            x->series = s;
        }
    }
    qala_status st = z_in_groups(r, m, same_series, c->opt->jump_min_changes, 1);
    if (st == QALA_OK) {
        /* peers: the country's changes are compared with nobody */
        qsort(r, m, sizeof *r, rec_group_cmp);
        st = z_in_groups(r, m, same_group, c->opt->peer_min_units, 0);
        for (size_t i = 0; i < m; i++)
            if (r[i].tier == TIER_NONE)
                r[i].z_peer = NAN;
    }
    if (st != QALA_OK) {
        qala_mem__free(r);
        return st;
    }
    qsort(r, m, sizeof *r, rec_series_cmp);
    size_t evaluated = 0;
    double lim = c->opt->jump_z;
    for (size_t i = 0; i < m && c->failed == QALA_OK; i++) {
        int own = !isnan(r[i].z_own), peer = !isnan(r[i].z_peer);
        if (!own && !peer)
            continue;
        evaluated++;
        if ((own && !(fabs(r[i].z_own) > lim)) || (peer && !(fabs(r[i].z_peer) > lim)))
            continue;
        if (own && r[i].kind && fabs(r[i].x - r[i].med_own) < c->opt->jump_min_change)
            continue;
        const char *unit = qala_dataset_unit_code(c->ds, r[i].unit);
        const char *ind = qala_dataset_indicator_code(c->ds, r[i].ind);
        if (!qala_check__wanted(c, unit, ind))
            continue;
        char what[160], from[12], to[12], own_s[96] = "", peer_s[128] = "";
        describe_change(what, sizeof what, &r[i]);
        qala_period_format(to, r[i].period);
        for (size_t j = r[i].series + 1; j < c->n; j++)
            if (c->per[j] == r[i].period) {
                qala_period_format(from, c->per[j - 1]);
                break;
            }
        if (own)
            snprintf(own_s, sizeof own_s, "robust z %.1f against the unit's %zu other changes",
                     r[i].z_own, r[i].n_own);
        if (peer)
            snprintf(peer_s, sizeof peer_s, "%s%.1f against the changes of %zu other %s", own ? ", " : "robust z ",
                     r[i].z_peer, r[i].n_peer, qala_check__tier_name(r[i].tier));
        qala_check__add(c, QALA_CHECK_JUMP, QALA_SEVERITY_WARNING, unit, ind, r[i].period, r[i].cur,
                        own ? r[i].z_own : r[i].z_peer, "", "%s %s from %s to %s: %s%s", ind, what,
                        from, to, own_s, peer_s);
    }
    qala_check__count(c, QALA_CHECK_JUMP, evaluated);
    qala_mem__free(r);
    return QALA_OK;
}

/* ---- peer outliers --------------------------------------------------------------- */

qala_status qala_check__peer_outliers(check_ctx *c)
{
    rec *r = qala_mem__malloc((c->n ? c->n : 1) * sizeof *r);
    if (!r)
        return qala_err__set(QALA_ENOMEM, "out of memory checking the data");
    size_t m = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (isnan(c->val[i]))
            continue;
        int tier = qala_check__tier(c, c->unit[i], c->per[i]);
        if (tier == TIER_NONE)
            continue;
        rec *x = &r[m++];
        memset(x, 0, sizeof *x);
        *x = (rec){.unit = c->unit[i], .ind = c->ind[i], .period = c->per[i], .tier = tier,
                   .x = c->val[i], .cur = c->val[i], .series = i};
    }
    qsort(r, m, sizeof *r, rec_group_cmp);
    /* groups of positive values are compared on the log scale (as ratios) */
    for (size_t lo = 0, hi; lo < m; lo = hi) {
        double mn = INFINITY;
        for (hi = lo; hi < m && same_group(&r[lo], &r[hi]); hi++)
            mn = fmin(mn, r[hi].x);
        int logscale = mn > 0;
        for (size_t i = lo; i < hi; i++) {
            r[i].kind = logscale;
            if (logscale)
                r[i].x = log(r[i].x);
        }
    }
    qala_status st = z_in_groups(r, m, same_group, c->opt->peer_min_units, 0);
    if (st != QALA_OK) {
        qala_mem__free(r);
        return st;
    }
    size_t evaluated = 0;
    double *scratch = NULL;
    for (size_t lo = 0, hi; lo < m && c->failed == QALA_OK; lo = hi) {
        for (hi = lo; hi < m && same_group(&r[lo], &r[hi]); hi++)
            ;
        if (isnan(r[lo].z_peer))
            continue;
        evaluated += hi - lo;
        for (size_t i = lo; i < hi && c->failed == QALA_OK; i++) {
            if (!(fabs(r[i].z_peer) > c->opt->peer_z))
                continue;
            const char *unit = qala_dataset_unit_code(c->ds, r[i].unit);
            const char *ind = qala_dataset_indicator_code(c->ds, r[i].ind);
            if (!qala_check__wanted(c, unit, ind))
                continue;
            if (!scratch && !(scratch = qala_mem__malloc(m * sizeof *scratch))) {
                qala_mem__free(r);
                return qala_err__set(QALA_ENOMEM, "out of memory checking the data");
            }
            size_t k = 0;
            for (size_t j = lo; j < hi; j++)
                if (j != i)
                    scratch[k++] = r[j].cur;
            double med = qala_check_median(scratch, k);
            char vb[40], mb[40], pb[12];
            qala_check__fmt(vb, sizeof vb, r[i].cur);
            qala_check__fmt(mb, sizeof mb, med);
            qala_period_format(pb, r[i].period);
            qala_check__add(c, QALA_CHECK_PEER_OUTLIER, QALA_SEVERITY_WARNING, unit, ind, r[i].period,
                            r[i].cur, r[i].z_peer, "",
                            "%s %s is far from the %zu other %s in %s (median %s): robust z %.1f%s", ind,
                            vb, k, qala_check__tier_name(r[i].tier), pb, mb, r[i].z_peer,
                            r[i].kind ? " of the logarithm" : "");
        }
    }
    qala_mem__free(scratch);
    qala_mem__free(r);
    qala_check__count(c, QALA_CHECK_PEER_OUTLIER, evaluated);
    return QALA_OK;
}

/* ---- repeated values ------------------------------------------------------------- */

static void report_run(check_ctx *c, size_t first, size_t last)
{
    size_t len = last - first + 1;
    if (len < c->opt->repeat_periods)
        return;
    const char *unit = qala_dataset_unit_code(c->ds, c->unit[last]);
    const char *ind = qala_dataset_indicator_code(c->ds, c->ind[last]);
    if (!qala_check__wanted(c, unit, ind))
        return;
    char vb[40], a[12], b[12];
    qala_check__fmt(vb, sizeof vb, c->val[last]);
    qala_period_format(a, c->per[first]);
    qala_period_format(b, c->per[last]);
    qala_check__add(c, QALA_CHECK_REPEATED, QALA_SEVERITY_WARNING, unit, ind, c->per[last],
                    c->val[last], (double)len, "", "%s is %s in each of the %zu periods %s to %s",
                    ind, vb, len, a, b);
}

qala_status qala_check__repeated(check_ctx *c)
{
    size_t evaluated = 0;
    for (size_t s = 0, e; s < c->n && c->failed == QALA_OK; s = e) {
        e = series_end(c, s);
        if (e - s >= c->opt->repeat_periods)
            evaluated++;
        size_t first = s;
        for (size_t i = s + 1; i <= e; i++) {
            int same = i < e && !isnan(c->val[i]) && c->val[i] == c->val[i - 1] &&
                       c->per[i] == qala_check__next_period(c->per[i - 1]);
            if (same)
                continue;
            if (!isnan(c->val[i - 1]))
                report_run(c, first, i - 1);
            first = i;
        }
    }
    qala_check__count(c, QALA_CHECK_REPEATED, evaluated);
    return QALA_OK;
}

/* ---- Benford ---------------------------------------------------------------------- */

/* Whether the indicator counts things: listed in benford_indicators, or (no list) a
 * framework indicator with 0 decimals, min >= 0 and a unit that is not a ratio. */
static int is_count(const check_ctx *c, const char *code, size_t fwi)
{
    const char *list = c->opt->benford_indicators;
    if (list) {
        size_t n = strlen(code);
        for (const char *p = list; *p;) {
            const char *end = strchr(p, ',');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            if (len == n && strncmp(p, code, n) == 0)
                return 1;
            p += len + (end ? 1 : 0);
        }
        return 0;
    }
    if (fwi == SIZE_MAX)
        return 0;
    const qala_indicator *ind = qala_framework_get(c->fw, fwi);
    return ind->decimals == 0 && ind->min >= 0 && !strchr(ind->unit, '%') &&
           !strstr(ind->unit, "per ");
}

typedef struct pv {
    qala_period period;
    double v;
} pv;

static int pv_cmp(const void *a, const void *b)
{
    const pv *x = a, *y = b;
    return (x->period > y->period) - (x->period < y->period);
}

/* The test of one indicator in one period over values x[0..n) (n > 0). */
static void benford_of(const check_ctx *c, const pv *x, size_t n, qala_check_benford *b)
{
    double mn = INFINITY, mx = 0;
    memset(b->observed, 0, sizeof b->observed);
    b->n = 0;
    for (size_t i = 0; i < n; i++) {
        int d = qala_check_first_digit(x[i].v);
        if (!d)
            continue;
        b->observed[d - 1]++;
        b->n++;
        mn = fmin(mn, x[i].v);
        mx = fmax(mx, x[i].v);
    }
    b->span = b->n ? log10(mx / mn) : NAN;
    b->tested = b->n >= c->opt->benford_min_n && b->span >= c->opt->benford_min_span;
    b->chi2 = b->p_value = NAN;
    if (b->tested)
        qala_check_benford_chi2(b->observed, &b->chi2, &b->p_value);
}

/* Per count indicator and period, the first digits of the units' values (the country
 * left out: it is their total). A period is tested when it has benford_min_n positive
 * values spanning benford_min_span orders of magnitude; an indicator without any such
 * period gets one untested entry saying why. */
qala_status qala_check__benford(check_ctx *c)
{
    size_t ninds = qala_dataset_indicator_count(c->ds), evaluated = 0;
    pv *x = qala_mem__malloc((c->n ? c->n : 1) * sizeof *x);
    if (!x)
        return qala_err__set(QALA_ENOMEM, "out of memory checking the data");
    qala_status st = QALA_OK;
    for (uint32_t k = 0; k < ninds && st == QALA_OK && c->failed == QALA_OK; k++) {
        const char *code = qala_dataset_indicator_code(c->ds, k);
        if (!is_count(c, code, c->ind_fw[k]) || (c->opt->indicator && strcmp(code, c->opt->indicator)))
            continue;
        size_t m = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->ind[i] == k && qala_check__tier(c, c->unit[i], c->per[i]) != TIER_NONE)
                x[m++] = (pv){c->per[i], c->val[i]};
        qsort(x, m, sizeof *x, pv_cmp);
        size_t tested = 0;
        qala_check_benford best = {.indicator = code, .span = NAN, .chi2 = NAN, .p_value = NAN};
        char msg[256], pb[12];
        for (size_t lo = 0, hi; lo < m && st == QALA_OK; lo = hi) {
            for (hi = lo + 1; hi < m && x[hi].period == x[lo].period; hi++)
                ;
            qala_check_benford b = {.indicator = code, .period = x[lo].period};
            benford_of(c, x + lo, hi - lo, &b);
            if (!b.tested) {
                if (b.n > best.n || (b.n == best.n && b.span > best.span))
                    best = b;
                continue;
            }
            tested++;
            qala_period_format(pb, b.period);
            int departs = b.p_value < c->opt->benford_alpha;
            snprintf(msg, sizeof msg, "%s: %zu values over %.1f orders of magnitude, chi-square %.2f (8 df), p = %.3g%s",
                     pb, b.n, b.span, b.chi2, b.p_value,
                     departs ? ": the first digits depart from Benford's law" : ": consistent with Benford's law");
            b.message = msg;
            if ((st = qala_check__add_benford(c, &b)) != QALA_OK)
                break;
            if (departs && !c->opt->unit) {
                qala_check__add(c, QALA_CHECK_BENFORD, QALA_SEVERITY_WARNING, "", code, b.period, NAN,
                                b.chi2, "", "first digits of %s across units in %s depart from Benford's law: "
                                "%zu values, chi-square %.2f (8 df), p = %.3g", code, pb, b.n, b.chi2,
                                b.p_value);
                qala_check__set_p(c, b.p_value);
            }
        }
        evaluated += tested;
        if (tested || st != QALA_OK)
            continue;
        best.period = 0;
        best.tested = 0;
        if (best.n < c->opt->benford_min_n) {
            snprintf(msg, sizeof msg, "not tested: at most %zu positive values in a period, the test needs %zu",
                     best.n, c->opt->benford_min_n);
        } else {
            snprintf(msg, sizeof msg, "not tested: the values of a period span at most %.2f orders of "
                     "magnitude, the test needs %g", best.span, c->opt->benford_min_span);
        }
        best.message = msg;
        st = qala_check__add_benford(c, &best);
    }
    qala_mem__free(x);
    qala_check__count(c, QALA_CHECK_BENFORD, evaluated);
    return st;
}

/* ---- missing series --------------------------------------------------------------- */

typedef struct presence {
    qala_period period;
    int tier;
    uint32_t unit, ind;
} presence;

static int presence_cmp(const void *a, const void *b)
{
    const presence *x = a, *y = b;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    if (x->tier != y->tier)
        return x->tier - y->tier;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    return (x->ind > y->ind) - (x->ind < y->ind);
}

/* One (period, tier) group [lo, hi) of presence records sorted by unit. */
static void missing_in_group(check_ctx *c, const presence *p, size_t lo, size_t hi, size_t *cnt,
                             unsigned char *has, size_t ninds, size_t *evaluated)
{
    size_t nunits = 0;
    memset(cnt, 0, ninds * sizeof *cnt);
    for (size_t i = lo; i < hi; i++) {
        cnt[p[i].ind]++;
        if (i == lo || p[i].unit != p[i - 1].unit)
            nunits++;
    }
    if (nunits < c->opt->peer_min_units + 1)
        return;
    size_t nexpected = 0;
    for (size_t k = 0; k < ninds; k++)
        nexpected += (double)cnt[k] >= c->opt->missing_peer_share * (double)nunits;
    if (nexpected == 0)
        return;
    for (size_t u0 = lo, u1; u0 < hi && c->failed == QALA_OK; u0 = u1) {
        memset(has, 0, ninds);
        for (u1 = u0; u1 < hi && p[u1].unit == p[u0].unit; u1++)
            has[p[u1].ind] = 1;
        (*evaluated)++;
        size_t got = 0;
        for (size_t k = 0; k < ninds; k++)
            got += has[k] && (double)cnt[k] >= c->opt->missing_peer_share * (double)nunits;
        if (got == nexpected || (double)got < c->opt->missing_unit_share * (double)nexpected)
            continue;
        const char *unit = qala_dataset_unit_code(c->ds, p[u0].unit);
        char pb[12];
        qala_period_format(pb, p[u0].period);
        for (size_t k = 0; k < ninds && c->failed == QALA_OK; k++) {
            if (has[k] || (double)cnt[k] < c->opt->missing_peer_share * (double)nunits)
                continue;
            const char *ind = qala_dataset_indicator_code(c->ds, (uint32_t)k);
            if (!qala_check__wanted(c, unit, ind))
                continue;
            qala_check__add(c, QALA_CHECK_MISSING_SERIES, QALA_SEVERITY_WARNING, unit, ind, p[u0].period,
                            NAN, (double)cnt[k] / (double)(nunits - 1), "",
                            "no %s for %s, which %zu of the %zu other %s with data for %s have (this "
                            "unit has %zu of the %zu indicators most of them have)",
                            ind, pb, cnt[k], nunits - 1, qala_check__tier_name(p[u0].tier), pb, got,
                            nexpected);
        }
    }
}

qala_status qala_check__missing_series(check_ctx *c)
{
    size_t ninds = qala_dataset_indicator_count(c->ds), evaluated = 0;
    presence *p = qala_mem__malloc((c->n ? c->n : 1) * sizeof *p);
    size_t *cnt = qala_mem__malloc((ninds ? ninds : 1) * sizeof *cnt);
    unsigned char *has = qala_mem__malloc(ninds ? ninds : 1);
    if (!p || !cnt || !has) {
        qala_mem__free(p);
        qala_mem__free(cnt);
        qala_mem__free(has);
        return qala_err__set(QALA_ENOMEM, "out of memory checking the data");
    }
    size_t m = 0;
    for (size_t i = 0; i < c->n; i++) {
        int tier = qala_check__tier(c, c->unit[i], c->per[i]);
        if (tier != TIER_NONE)
            p[m++] = (presence){c->per[i], tier, c->unit[i], c->ind[i]};
    }
    qsort(p, m, sizeof *p, presence_cmp);
    for (size_t lo = 0, hi; lo < m && c->failed == QALA_OK; lo = hi) {
        for (hi = lo + 1; hi < m && p[hi].period == p[lo].period && p[hi].tier == p[lo].tier; hi++)
            ;
        missing_in_group(c, p, lo, hi, cnt, has, ninds, &evaluated);
    }
    qala_check__count(c, QALA_CHECK_MISSING_SERIES, evaluated);
    qala_mem__free(p);
    qala_mem__free(cnt);
    qala_mem__free(has);
    return QALA_OK;
}
