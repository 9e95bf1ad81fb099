/* src/trends.c — the trend of one series (CAGR, linear slope in % per year, last change)
 * and its progress to a target by the Statistics Canada / Open SDG method.
 *
 * Place in the pipeline: after import, a series of one unit and one indicator (periods
 * ascending, NAN for the gaps) is read from the store or a data set; these kernels give
 * its trend and, with a target from a targets file (src/targets.c) or none, its progress
 * class. The definitions are in include/qala/trends.h and docs/methods-trends.md; the
 * progress ratio follows sdg-build's ProgressMeasure.py (methodology_2: R = sign ·
 * direction · CAGR_obs / |CAGR_req|), which the tests check on worked examples.
 * Invariants: every undefined measure is NAN *and* has a flag saying why; time is in
 * years (qala_trend_time). Workload: one call per unit and indicator, O(n) with n the
 * periods of the series (tens); no allocation.
 */
#include <assert.h>
#include <math.h>

#include "qala/trends.h"
#include "util/internal.h"

/* Open SDG's default thresholds (ProgressMeasure.py get_progress_thresholds): with a
 * target, on R; without, on the CAGR (here in %). */
#define R_HIGH 0.95
#define R_MED 0.6
#define CAGR_HIGH_PCT 1.5
#define CAGR_MED_PCT 0.5

const char *qala_progress_class_code(qala_progress_class c)
{
    switch (c) {
    case QALA_PROGRESS_UNASSESSED: return "unassessed";
    case QALA_PROGRESS_TARGET_ACHIEVED: return "target_achieved";
    case QALA_PROGRESS_ON_TRACK: return "on_track";
    case QALA_PROGRESS_ACCELERATION_NEEDED: return "acceleration_needed";
    case QALA_PROGRESS_LIMITED: return "limited_progress";
    case QALA_PROGRESS_DETERIORATION: return "deterioration";
    }
    return "?";
}

qala_progress_class qala_progress_class_of_ratio(double ratio)
{
    if (isnan(ratio))
        return QALA_PROGRESS_UNASSESSED;
    if (ratio >= R_HIGH)
        return QALA_PROGRESS_ON_TRACK;
    if (ratio >= R_MED)
        return QALA_PROGRESS_ACCELERATION_NEEDED;
    if (ratio >= 0)
        return QALA_PROGRESS_LIMITED;
    return QALA_PROGRESS_DETERIORATION;
}

qala_progress_class qala_progress_class_of_cagr(double adjusted_cagr_pct)
{
    if (isnan(adjusted_cagr_pct))
        return QALA_PROGRESS_UNASSESSED;
    if (adjusted_cagr_pct >= CAGR_HIGH_PCT)
        return QALA_PROGRESS_ON_TRACK;
    if (adjusted_cagr_pct >= CAGR_MED_PCT)
        return QALA_PROGRESS_ACCELERATION_NEEDED;
    if (adjusted_cagr_pct >= 0)
        return QALA_PROGRESS_LIMITED;
    return QALA_PROGRESS_DETERIORATION;
}

double qala_trend_time(qala_period p)
{
    int year = (int)(p / 100), sub = (int)(p % 100);
    if (sub > 20)
        return year + (sub - 21) / 4.0;
    if (sub > 0)
        return year + (sub - 1) / 12.0;
    return year;
}

static int period_valid(qala_period p)
{
    int year = (int)(p / 100), sub = (int)(p % 100);
    return year >= 1900 && year <= 2100 && (sub <= 12 || (sub >= 21 && sub <= 24)) && sub >= 0;
}

/* The common argument checks of both entry points. */
static qala_status check_series(const qala_period *periods, const double *values, size_t n,
                                int direction)
{
    if (direction != 1 && direction != -1)
        return qala_err__set(QALA_EINVAL, "direction %d is not +1 (higher is better) or -1",
                             direction);
    for (size_t i = 0; i < n; i++) {
        if (!period_valid(periods[i]))
            return qala_err__set(QALA_EINVAL, "period %ld at index %zu is not a valid period",
                                 (long)periods[i], i);
        if (i > 0 && periods[i] <= periods[i - 1])
            return qala_err__set(QALA_EINVAL,
                                 "periods must be strictly ascending: index %zu (%ld) follows "
                                 "%ld", i, (long)periods[i], (long)periods[i - 1]);
        if (isinf(values[i]))
            return qala_err__set(QALA_EINVAL, "value at index %zu is infinite", i);
    }
    return QALA_OK;
}

/* (b / a)^(1 / years) − 1 in %, with the flags of an undefined CAGR. */
static double cagr_pct(double a, double b, double years, unsigned *flags)
{
    if (a == 0 || b == 0) {
        *flags |= QALA_TREND_FLAG_ZERO;
        return NAN;
    }
    if ((a < 0) != (b < 0)) {
        *flags |= QALA_TREND_FLAG_SIGN_CHANGE;
        return NAN;
    }
    if (a < 0)
        *flags |= QALA_TREND_FLAG_NEGATIVE;
    return (pow(b / a, 1.0 / years) - 1.0) * 100.0;
}

qala_status qala_trend_summarise(qala_trend_summary *out, const qala_period *periods, const double *values,
                               size_t n, int direction)
{
    assert(out && (n == 0 || (periods && values)));
    qala_status st = check_series(periods, values, n, direction);
    if (st != QALA_OK)
        return st;
    qala_trend_summary t = {.first = NAN, .last = NAN, .prev = NAN, .cagr_pct = NAN, .slope = NAN,
                    .slope_pct = NAN, .last_change = NAN, .last_change_pct = NAN,
                    .cls = QALA_PROGRESS_UNASSESSED};
    /* means first, then the centred sums (two passes: no cancellation for long series
     * of large values such as populations) */
    double st_sum = 0, sy_sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(values[i]))
            continue;
        if (t.n_obs == 0) {
            t.first_period = periods[i];
            t.first = values[i];
        }
        t.prev_period = t.last_period;
        t.prev = t.last;
        t.last_period = periods[i];
        t.last = values[i];
        t.n_obs++;
        st_sum += qala_trend_time(periods[i]);
        sy_sum += values[i];
    }
    if (t.n_obs < 2) {
        t.flags |= QALA_TREND_FLAG_TOO_FEW;
        t.prev_period = 0;
        t.prev = NAN;
        *out = t;
        return QALA_OK;
    }
    double tm = st_sum / (double)t.n_obs, ym = sy_sum / (double)t.n_obs, sxy = 0, sxx = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(values[i]))
            continue;
        double dt = qala_trend_time(periods[i]) - tm;
        sxy += dt * (values[i] - ym);
        sxx += dt * dt;
    }
    t.slope = sxy / sxx; /* sxx > 0: two distinct times at least */
    if (ym == 0)
        t.flags |= QALA_TREND_FLAG_MEAN_ZERO;
    else
        t.slope_pct = t.slope / fabs(ym) * 100.0;
    t.last_change = t.last - t.prev;
    if (t.prev == 0)
        t.flags |= QALA_TREND_FLAG_PREV_ZERO;
    else
        t.last_change_pct = (t.last / t.prev - 1.0) * 100.0;
    double years = qala_trend_time(t.last_period) - qala_trend_time(t.first_period);
    t.cagr_pct = cagr_pct(t.first, t.last, years, &t.flags);
    double sign = t.first < 0 ? -1.0 : 1.0;
    t.cls = qala_progress_class_of_cagr(sign * direction * t.cagr_pct);
    *out = t;
    return QALA_OK;
}

/* The base value, or its replacement; 0 when zero and not replaced. */
static double replaced(double v, double zero_replacement, unsigned *flags)
{
    if (v == 0 && zero_replacement > 0) {
        *flags |= QALA_TREND_FLAG_ZERO_REPLACED;
        return zero_replacement;
    }
    return v;
}

qala_status qala_progress_compute(qala_progress *out, const qala_period *periods,
                                  const double *values, size_t n, int direction,
                                  const qala_progress_target *target)
{
    assert(out && target && (n == 0 || (periods && values)));
    qala_status st = check_series(periods, values, n, direction);
    if (st != QALA_OK)
        return st;
    int has_target = !isnan(target->value);
    if (isinf(target->value))
        return qala_err__set(QALA_EINVAL, "target value is infinite");
    if (!(target->zero_replacement >= 0) || isinf(target->zero_replacement))
        return qala_err__set(QALA_EINVAL, "zero_replacement %g is not a finite number >= 0",
                             target->zero_replacement);
    if (!period_valid(target->baseline))
        return qala_err__set(QALA_EINVAL, "baseline %ld is not a valid period",
                             (long)target->baseline);
    if (has_target && !period_valid(target->period))
        return qala_err__set(QALA_EINVAL, "target period %ld is not a valid period",
                             (long)target->period);
    qala_progress p = {.base = NAN, .current = NAN, .observed_cagr_pct = NAN,
                       .required_cagr_pct = NAN, .ratio = NAN,
                       .cls = QALA_PROGRESS_UNASSESSED};
    size_t ib = n, ic = n;
    for (size_t i = 0; i < n; i++) {
        if (isnan(values[i]))
            continue;
        if (ib == n && periods[i] >= target->baseline)
            ib = i;
        ic = i;
    }
    if (ic < n) {
        p.current_period = periods[ic];
        p.current = values[ic];
    }
    if (ib < n) {
        p.base_period = periods[ib];
        p.base = values[ib];
    }
    if (has_target && ic < n)
        p.target_achieved = direction > 0 ? p.current >= target->value
                                          : p.current <= target->value;
    if (ib >= ic || ic == n) {
        /* no base, or the base is the last observation: nothing to grow over */
        p.flags |= QALA_TREND_FLAG_TOO_FEW;
        if (p.target_achieved)
            p.cls = QALA_PROGRESS_TARGET_ACHIEVED;
        *out = p;
        return QALA_OK;
    }
    double t0 = qala_trend_time(p.base_period);
    double base = replaced(p.base, target->zero_replacement, &p.flags);
    p.observed_cagr_pct = cagr_pct(base, p.current, qala_trend_time(p.current_period) - t0,
                                   &p.flags);
    double sign = base < 0 ? -1.0 : 1.0;
    if (!has_target) {
        p.cls = qala_progress_class_of_cagr(sign * direction * p.observed_cagr_pct);
        *out = p;
        return QALA_OK;
    }
    double tt = qala_trend_time(target->period);
    if (!(tt > t0)) {
        p.flags |= QALA_TREND_FLAG_TARGET_NOT_AFTER_BASE;
    } else {
        double goal = replaced(target->value, target->zero_replacement, &p.flags);
        unsigned rflags = 0;
        p.required_cagr_pct = cagr_pct(base, goal, tt - t0, &rflags);
        p.flags |= rflags & (QALA_TREND_FLAG_ZERO | QALA_TREND_FLAG_SIGN_CHANGE);
        if (p.required_cagr_pct == 0) {
            p.flags |= QALA_TREND_FLAG_REQUIRED_ZERO;
            if (!isnan(p.observed_cagr_pct))
                p.ratio = sign * direction * p.observed_cagr_pct > 0 ? INFINITY
                          : sign * direction * p.observed_cagr_pct < 0 ? -INFINITY
                                                                       : NAN;
        } else {
            p.ratio = sign * direction * p.observed_cagr_pct / fabs(p.required_cagr_pct);
        }
    }
    p.cls = p.target_achieved ? QALA_PROGRESS_TARGET_ACHIEVED
                              : qala_progress_class_of_ratio(p.ratio);
    *out = p;
    return QALA_OK;
}
