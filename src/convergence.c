/* src/convergence.c — σ-convergence (the dispersion between units per period and its OLS
 * trend) and absolute β-convergence (OLS of the average log growth on the initial log
 * level, with the implied speed and half-life).
 *
 * Place in the pipeline: the dynamics reports, after the observations of one indicator
 * have been laid out as a period-major panel (values[p·n + u]) for a chosen set of units.
 * Method: σ reuses the inequality summary (src/inequality.c) period by period on one
 * scratch array, so every measure of qala/inequality.h can be followed over time, with
 * the same exclusion rules; with QALA_SIGMA_BALANCED a first pass marks the units usable
 * in every period. Both regressions are GSL's gsl_fit_linear, whose covariance uses the
 * residual variance RSS/(n − 2); R² is computed here as 1 − RSS/TSS.
 * Invariants: one allocation per call (scratch), freed before returning; NAN for what the
 * data cannot give (too few points, no variation), never an error.
 * Workload: tens of periods × up to thousands of units; O(P · n log n) for σ (a sort per
 * period), O(n) for β.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>

#include "inequality_internal.h"
#include "qala/convergence.h"
#include "util/internal.h"

/* Σ(x − x̄)² over x[0..k). */
static double sum_squares(const double *x, size_t k)
{
    double m = 0, s = 0;
    for (size_t i = 0; i < k; i++)
        m += x[i];
    m /= (double)k;
    for (size_t i = 0; i < k; i++)
        s += (x[i] - m) * (x[i] - m);
    return s;
}

/* OLS of yv on xv (k points): slope, its SE, intercept and its SE, R². NAN where the
 * points cannot give them (k < 2 or x constant; SEs need k ≥ 3; R² needs TSS > 0). */
typedef struct ols_fit {
    double intercept, intercept_se, slope, slope_se, r2;
} ols_fit;

static ols_fit ols(const double *xv, const double *yv, size_t k)
{
    ols_fit f = {NAN, NAN, NAN, NAN, NAN};
    if (k < 2 || sum_squares(xv, k) == 0)
        return f;
    double c0, c1, cov00, cov01, cov11, rss;
    gsl_fit_linear(xv, 1, yv, 1, k, &c0, &c1, &cov00, &cov01, &cov11, &rss);
    f.intercept = c0;
    f.slope = c1;
    if (k >= 3) {
        f.intercept_se = sqrt(cov00);
        f.slope_se = sqrt(cov11);
    }
    double tss = sum_squares(yv, k);
    if (tss > 0)
        f.r2 = 1 - rss / tss;
    return f;
}

static int usable(double v, double w, int log_measure)
{
    return isfinite(v) && qala_ineq__weight_ok(w) && (!log_measure || v > 0);
}

qala_status qala_sigma_convergence(qala_sigma_result *out, double *dispersion, size_t *n_used,
                                   const double *values, const double *weights, size_t n,
                                   size_t nperiods, const double *time,
                                   const qala_sigma_spec *spec)
{
    static const char who[] = "qala_sigma_convergence";
    if (!out || !spec || (!values && n > 0 && nperiods > 0))
        return qala_err__set(QALA_EINVAL, "%s: out, values and spec must not be NULL", who);
    if ((unsigned)spec->measure >= QALA_INEQ_MEASURE_COUNT)
        return qala_err__set(QALA_EINVAL, "%s: unknown measure %d", who, (int)spec->measure);
    if (spec->units != QALA_SIGMA_BALANCED && spec->units != QALA_SIGMA_AVAILABLE)
        return qala_err__set(QALA_EINVAL, "%s: units must be QALA_SIGMA_BALANCED or QALA_SIGMA_AVAILABLE, not %d",
                             who, (int)spec->units);
    for (size_t p = 0; time && p < nperiods; p++)
        if (!isfinite(time[p]))
            return qala_err__set(QALA_EINVAL, "%s: time of period %zu is not a finite number", who, p);
    const int log_measure = (qala_ineq_measures(NULL)[spec->measure].flags & QALA_INEQ_LOG) != 0;

    /* One block: n items, 2·nperiods doubles (the trend's points), n flags. */
    size_t bytes = n * sizeof(qala_ineq_item) + 2 * nperiods * sizeof(double) + n;
    unsigned char *block = bytes ? qala_mem__malloc(bytes) : NULL;
    if (bytes && !block)
        return qala_err__set(QALA_ENOMEM, "%s: out of memory for %zu units x %zu periods", who,
                             n, nperiods);
    qala_ineq_item *items = (qala_ineq_item *)(void *)block;
    double *pt = (double *)(void *)(block + n * sizeof(qala_ineq_item)), *pd = pt + nperiods;
    unsigned char *keep = (unsigned char *)(pd + nperiods);

    /* Which units: usable everywhere (balanced) or anywhere (counted for available). */
    size_t n_units = 0;
    for (size_t u = 0; u < n; u++) {
        size_t count = 0;
        for (size_t p = 0; p < nperiods; p++)
            count += (size_t)usable(values[p * n + u], weights ? weights[p * n + u] : 1.0, log_measure);
        keep[u] = spec->units == QALA_SIGMA_BALANCED ? count == nperiods && nperiods > 0 : 1;
        n_units += spec->units == QALA_SIGMA_BALANCED ? keep[u] : count > 0;
    }

    size_t k = 0;
    for (size_t p = 0; p < nperiods; p++) {
        size_t m = 0;
        for (size_t u = 0; u < n; u++) {
            double v = values[p * n + u], w = weights ? weights[p * n + u] : 1.0;
            if (!keep[u] || !usable(v, w, log_measure))
                continue;
            items[m].y = v;
            items[m].w = w;
            m++;
        }
        qala_ineq_summary s;
        qala_ineq__summarise_items(&s, items, m, n - m);
        double d = qala_ineq_summary_get(&s, spec->measure);
        if (dispersion)
            dispersion[p] = d;
        if (n_used)
            n_used[p] = m;
        if (isfinite(d)) {
            pt[k] = time ? time[p] : (double)p;
            pd[k] = d;
            k++;
        }
    }
    ols_fit f = ols(pt, pd, k);
    *out = (qala_sigma_result){
        .n_units = n_units, .n_periods = k,
        .first = k ? pd[0] : NAN, .last = k ? pd[k - 1] : NAN,
        .slope = f.slope, .slope_se = f.slope_se, .intercept = f.intercept, .r2 = f.r2,
    };
    qala_mem__free(block);
    return QALA_OK;
}

qala_status qala_beta_convergence(qala_beta_result *out, const double *y0, const double *yT,
                                  size_t n, double years)
{
    static const char who[] = "qala_beta_convergence";
    if (!out || (n > 0 && (!y0 || !yT)))
        return qala_err__set(QALA_EINVAL, "%s: out, y0 and yT must not be NULL", who);
    if (!isfinite(years) || years <= 0)
        return qala_err__set(QALA_EINVAL, "%s: years must be a finite number > 0, not %g", who, years);
    double *x = n ? qala_mem__malloc(2 * n * sizeof *x) : NULL;
    if (n && !x)
        return qala_err__set(QALA_ENOMEM, "%s: out of memory for %zu units", who, n);
    double *g = x + n;
    size_t m = 0;
    for (size_t u = 0; u < n; u++) {
        double a = y0[u], b = yT[u];
        if (!isfinite(a) || !isfinite(b) || a <= 0 || b <= 0)
            continue;
        x[m] = log(a);
        g[m] = log(b / a) / years;
        m++;
    }
    ols_fit f = ols(x, g, m);
    qala_beta_result r = {
        .n_used = m, .n_missing = n - m,
        .alpha = f.intercept, .alpha_se = f.intercept_se,
        .beta = f.slope, .beta_se = f.slope_se, .r2 = f.r2,
        .t_stat = NAN, .p_value = NAN, .speed = NAN, .half_life = NAN,
    };
    if (isfinite(r.beta_se)) {
        r.t_stat = r.beta / r.beta_se;
        r.p_value = isnan(r.t_stat)   ? NAN
                    : isinf(r.t_stat) ? 0 /* a perfect fit */
                                      : 2 * gsl_cdf_tdist_Q(fabs(r.t_stat), (double)(m - 2));
    }
    if (isfinite(r.beta) && 1 + years * r.beta > 0) {
        r.speed = -log1p(years * r.beta) / years;
        if (r.speed > 0)
            r.half_life = log(2.0) / r.speed;
    }
    *out = r;
    qala_mem__free(x);
    return QALA_OK;
}
