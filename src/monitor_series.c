/* src/monitor_series.c — one unit's series under one threshold: the transform, then for
 * each period the zone, distance, trend, status over time and projected breach.
 *
 * Place in the pipeline: called by src/monitor.c for each (unit, threshold) after the
 * period columns and the national and group-median tables (src/monitor_tables.c) exist.
 * A series is laid out densely over the ordinals of one frequency (position 0 = the
 * span's first ordinal; NAN where the unit has no value), so that t - k is position
 * pos - k and a value before the span is missing. Definitions: docs/monitoring.md.
 * Invariants: the scratch arrays c->sx/sd/st[f] hold at least the span's length (the
 * span lies within the dataset's period columns). Workload: the inner loop of the
 * monitor, about 20 positions per call, 10^7–10^8 rows per evaluation; no allocation.
 */
#include <math.h>
#include <string.h>

#include "monitor_internal.h"

int qala_monitor__period_valid(qala_period p)
{
    if (p < 0)
        return 0;
    int y = p / 100, sub = p % 100;
    return y >= 1900 && y <= 2100 && (sub == 0 || (sub >= 1 && sub <= 12) || (sub >= 21 && sub <= 24));
}

qala_period qala_monitor__period_of(qala_frequency f, int32_t o)
{
    switch (f) {
    case QALA_FREQ_QUARTER:
        return (o / 4) * 100 + 21 + o % 4;
    case QALA_FREQ_MONTH:
        return (o / 12) * 100 + 1 + o % 12;
    default:
        return o * 100;
    }
}

qala_period qala_monitor__period_add(qala_period t, int k)
{
    return qala_monitor__period_of((qala_frequency)qala_monitor__freq(t), qala_monitor__ordinal(t) + k);
}

/* Lays the values of the run [rs, re) that have frequency f over dst[0..len); when
 * breaks is not NULL, marks there the positions flagged as a break in series. */
static void place(double *dst, uint8_t *breaks, const qala_monitor__ctx *c, size_t rs, size_t re,
                  int f, int32_t lo, size_t len)
{
    for (size_t i = 0; i < len; i++)
        dst[i] = NAN;
    if (breaks)
        memset(breaks, 0, len);
    for (size_t j = rs; j < re; j++) {
        qala_period p = c->per[j];
        if (qala_monitor__freq(p) != f)
            continue;
        int64_t pos = (int64_t)qala_monitor__ordinal(p) - lo;
        if (pos >= 0 && (size_t)pos < len) {
            dst[pos] = c->val[j];
            if (breaks)
                breaks[pos] = c->flag[j] == QALA_FLAG_BREAK;
        }
    }
}

/* A k-period window ending at i spans a break in series when a period after its first
 * one (i-k+1 .. i for a change from i-k; i-k+2 .. i for an average of i-k+1 .. i) is
 * flagged: the figures before and after measure different things (a new territory, a
 * census rebasing), so the transform is "no data" there rather than a false alarm. */
static void blank_across_breaks(double *y, const uint8_t *breaks, size_t len, size_t first_after)
{
    size_t last_break = SIZE_MAX; /* the latest flagged position seen */
    for (size_t i = 0; i < len; i++) {
        if (breaks[i])
            last_break = i;
        if (last_break != SIZE_MAX && i - last_break < first_after)
            y[i] = NAN;
    }
}

/* The median pair that applies to the unit at position pos (NONE: no median). */
static uint32_t median_pair(const qala_monitor__ctx *c, const qala_monitor__th *t,
                            const qala_monitor__span *sp, size_t pos, size_t ureg)
{
    const qala_threshold *th = t->th;
    if (th->group_basis && th->group_basis[0])
        return t->pairs[0];
    if (ureg == QALA_MON_NOREG)
        return QALA_MON_NONE;
    qala_date at = qala_period_start(qala_monitor__period_of((qala_frequency)sp->f, sp->lo + (int32_t)pos));
    for (size_t g = 0; g < th->ngroups; g++)
        if (t->groups[g] != QALA_MON_NOREG && qala_registry_in_group_at(c->reg, t->groups[g], ureg, at))
            return t->pairs[g];
    return QALA_MON_NONE;
}

void qala_monitor__transform(qala_monitor__ctx *c, const qala_monitor__th *t,
                             const qala_monitor__span *sp, size_t ureg)
{
    const qala_threshold *th = t->th;
    int f = sp->f;
    size_t len = sp->len;
    double *x = c->sx[f], *y = c->st[f];
    size_t rs = 0, re = 0;
    if (t->ind != QALA_MON_NONE)
        rs = c->run_start[t->ind], re = c->run_end[t->ind];
    uint8_t *brk = c->sb[f];
    place(x, brk, c, rs, re, f, sp->lo, len);
    size_t k = th->k > 0 ? (size_t)th->k : 1;

    switch (th->transform) {
    case QALA_TRANSFORM_LEVEL:
        memcpy(y, x, len * sizeof *y);
        break;
    case QALA_TRANSFORM_PER_DENOMINATOR: {
        double *d = c->sd[f];
        if (t->den == QALA_MON_NONE)
            place(d, NULL, c, 0, 0, f, sp->lo, len);
        else
            place(d, NULL, c, c->run_start[t->den], c->run_end[t->den], f, sp->lo, len);
        for (size_t i = 0; i < len; i++)
            y[i] = d[i] != 0 ? x[i] / d[i] * th->scale : NAN; /* NAN d gives NAN */
        break;
    }
    case QALA_TRANSFORM_AVERAGE:
        for (size_t i = 0; i < len; i++) {
            if (i + 1 < k) {
                y[i] = NAN;
                continue;
            }
            double s = 0; /* a missing value (NAN) makes the sum NAN */
            for (size_t j = i + 1 - k; j <= i; j++)
                s += x[j];
            y[i] = s / (double)k;
        }
        if (k > 1)
            blank_across_breaks(y, brk, len, k - 1);
        break;
    case QALA_TRANSFORM_CHANGE_POINTS:
        for (size_t i = 0; i < len; i++)
            y[i] = i >= k ? x[i] - x[i - k] : NAN;
        blank_across_breaks(y, brk, len, k);
        break;
    case QALA_TRANSFORM_CHANGE_PERCENT:
        for (size_t i = 0; i < len; i++) {
            double b = i >= k ? x[i - k] : NAN;
            y[i] = b != 0 ? (x[i] / b - 1) * 100 : NAN;
        }
        blank_across_breaks(y, brk, len, k);
        break;
    case QALA_TRANSFORM_RATIO_NATIONAL: {
        if (t->nat_slot == QALA_MON_NONE) {
            for (size_t i = 0; i < len; i++)
                y[i] = NAN;
            break;
        }
        const double *nat = c->nat + (size_t)t->nat_slot * c->ncols + qala_monitor__col(c, f, sp->lo);
        for (size_t i = 0; i < len; i++)
            y[i] = nat[i] != 0 ? x[i] / nat[i] : NAN;
        break;
    }
    case QALA_TRANSFORM_RATIO_GROUP_MEDIAN: {
        size_t col0 = qala_monitor__col(c, f, sp->lo);
        for (size_t i = 0; i < len; i++) {
            uint32_t pair = isnan(x[i]) ? QALA_MON_NONE : median_pair(c, t, sp, i, ureg);
            double m = pair == QALA_MON_NONE ? NAN : c->med[(size_t)pair * c->ncols + col0 + i];
            y[i] = m != 0 ? x[i] / m : NAN;
        }
        break;
    }
    }
    uint8_t *z = c->sz[f];
    for (size_t i = 0; i < len; i++)
        z[i] = (uint8_t)qala_threshold_zone(th, y[i]);
}

/* Improving, stable or worsening for slope b, the mean of the window's points and the
 * last point present (which side of a band's middle the series is on). */
static inline qala_trend classify(const qala_threshold *th, double b, double mean, double last,
                           double tol)
{
    if (fabs(b) <= tol * (mean == 0 ? 1 : fabs(mean)))
        return QALA_TREND_STABLE;
    int up = b > 0;
    switch (th->side) {
    case QALA_BAD_HIGH:
        return up ? QALA_TREND_WORSENING : QALA_TREND_IMPROVING;
    case QALA_BAD_LOW:
        return up ? QALA_TREND_IMPROVING : QALA_TREND_WORSENING;
    default: {
        double mid = (th->warning + th->warning_high) / 2;
        int toward = (last > mid && !up) || (last < mid && up);
        return toward ? QALA_TREND_IMPROVING : QALA_TREND_WORSENING;
    }
    }
}

/* Whole periods until v + h*b enters the warning zone, for a normal v and a slope b
 * toward the warning boundary; -1 when b points away or the answer exceeds int32. */
static int32_t project(const qala_threshold *th, double v, double b)
{
    double w;
    if (th->side == QALA_BAD_HIGH)
        w = b > 0 ? th->warning : NAN;
    else if (th->side == QALA_BAD_LOW)
        w = b < 0 ? th->warning : NAN;
    else
        w = b > 0 ? th->warning_high : b < 0 ? th->warning : NAN;
    if (isnan(w) || b == 0)
        return -1;
    double q = fabs(w - v) / fabs(b);
    if (!(q < 2e9))
        return -1;
    /* q is the real number of periods; rounding may put the whole answer one off, so
     * step from just below it with the zone function itself (at most a few steps). */
    long h = (long)floor(q) - 1;
    if (h < 1)
        h = 1;
    while (h < INT32_MAX && qala_threshold_zone(th, v + (double)h * b) == QALA_ZONE_NORMAL)
        h++;
    return h < INT32_MAX ? (int32_t)h : -1;
}

void qala_monitor__full_window(qala_monitor__ctx *c)
{
    /* a full window (all trend_k points present) has the same n, x sum and sxx at every
     * position: computed once, in the order the general path adds them, so that both
     * paths give the same bits */
    size_t tk = (size_t)c->opt->trend_k;
    double mx = 0, sxx = 0;
    for (size_t j = 0; j < tk; j++)
        mx += (double)j;
    mx /= (double)tk;
    for (size_t j = 0; j < tk; j++) {
        double dx = (double)j - mx;
        sxx += dx * dx;
    }
    c->full_mx = mx;
    c->full_sxx = sxx;
}

/* Row `row` of r: position pos of the span just transformed (period `period`). */
static inline void row_at(const qala_monitor__ctx *c, const qala_monitor__th *t,
                          const qala_monitor__span *sp, size_t pos, uint32_t unit,
                          qala_period period, qala_monitor_result *r, size_t row)
{
    const qala_threshold *th = t->th;
    int f = sp->f;
    const double *y = c->st[f];
    const uint8_t *zone = c->sz[f];
    size_t tk = (size_t)c->opt->trend_k;
    double v = y[pos], pct = NAN;

    /* trend: OLS slope over positions pos - trend_k + 1 .. pos (points present), with
     * x = 0 .. trend_k - 1 within the window (small numbers, exact sums) */
    size_t lo = pos + 1 >= tk ? pos + 1 - tk : 0;
    int full = pos + 1 >= tk;
    for (size_t i = lo; full && i <= pos; i++)
        full = !isnan(y[i]);
    double n = 0, b = NAN, my = 0, last = NAN;
    qala_trend tr = QALA_TREND_NONE;
    if (full) {
        double sy = 0, sxy = 0;
        for (size_t j = 0; j < tk; j++)
            sy += y[lo + j];
        n = (double)tk;
        my = sy / n;
        for (size_t j = 0; j < tk; j++)
            sxy += ((double)j - c->full_mx) * (y[lo + j] - my);
        b = sxy / c->full_sxx;
        tr = classify(th, b, my, y[pos], c->opt->stable_tolerance);
    } else {
        double x0 = (double)(pos + 1) - (double)tk; /* x of position i is i - x0 */
        double sx = 0, sy = 0;
        for (size_t i = lo; i <= pos; i++)
            if (!isnan(y[i])) {
                n++;
                sx += (double)i - x0;
                sy += y[i];
                last = y[i];
            }
        if (n >= 2) {
            double mx = sx / n, sxy = 0, sxx = 0;
            my = sy / n;
            for (size_t i = lo; i <= pos; i++)
                if (!isnan(y[i])) {
                    double dx = ((double)i - x0) - mx;
                    sxy += dx * (y[i] - my);
                    sxx += dx * dx;
                }
            b = sxy / sxx;
            tr = classify(th, b, my, last, c->opt->stable_tolerance);
        }
    }

    /* status against the previous period's zone under the same threshold */
    qala_zone z = (qala_zone)zone[pos];
    qala_breach_status st = QALA_BREACH_NONE;
    int32_t q = -1;
    if (z == QALA_ZONE_WARNING || z == QALA_ZONE_CRISIS) {
        qala_zone zp = pos > 0 ? (qala_zone)zone[pos - 1] : QALA_ZONE_NO_DATA;
        if (zp == QALA_ZONE_NO_DATA || zp == QALA_ZONE_NORMAL)
            st = QALA_BREACH_NEW;
        else if (z > zp || (z == zp && tr == QALA_TREND_WORSENING))
            st = QALA_BREACH_AGGRAVATING;
        else if (z < zp || (z == zp && tr == QALA_TREND_IMPROVING))
            st = QALA_BREACH_UNWINDING;
        else
            st = QALA_BREACH_PERSISTENT;
    } else if (z == QALA_ZONE_NORMAL && tk >= 3 && n >= 3) {
        q = project(th, v, b);
    }

    r->unit[row] = unit;
    r->threshold[row] = t->index;
    r->period[row] = period;
    if (r->value) {
        r->value[row] = c->sx[f][pos];
        r->transformed[row] = v;
    }
    r->zone[row] = (uint8_t)z;
    if (r->distance) {
        r->distance[row] = qala_threshold_distance(th, v, &pct);
        r->distance_pct[row] = pct;
    }
    if (r->slope)
        r->slope[row] = b;
    r->trend[row] = (uint8_t)tr;
    r->status[row] = (uint8_t)st;
    r->periods_to_breach[row] = q;
}

void qala_monitor__row(const qala_monitor__ctx *c, const qala_monitor__th *t,
                       const qala_monitor__span *sp, size_t pos, uint32_t unit,
                       qala_period period, qala_monitor_result *r, size_t row)
{
    row_at(c, t, sp, pos, unit, period, r, row);
}

size_t qala_monitor__rows(const qala_monitor__ctx *c, const qala_monitor__th *t,
                          const qala_monitor__span *sp, size_t rs, size_t re, uint32_t unit,
                          qala_monitor_result *r, size_t row)
{
    for (size_t j = rs; j < re; j++, row++) {
        qala_period p = c->per[j];
        row_at(c, t, sp, (size_t)(qala_monitor__ordinal(p) - sp->lo), unit, p, r, row);
    }
    return row;
}
