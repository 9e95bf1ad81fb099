/* src/threshold_stub.c — TEMPORARY (branch monitor only): a minimal threshold collection,
 * zone and distance so that the monitor can be built and tested before src/threshold.c
 * lands from branch `threshold`. Shallow copies: the caller keeps the strings alive.
 * Deleted before the branch is merged. */
#include <math.h>

#include "threshold_stub.h"
#include "util/internal.h"

struct qala_thresholds {
    qala_threshold *items;
    size_t count, cap;
};

qala_status qala_thresholds_new(qala_thresholds **out)
{
    *out = qala_mem__calloc(1, sizeof **out);
    return *out ? QALA_OK : qala_err__set(QALA_ENOMEM, "out of memory");
}

void qala_thresholds_free(qala_thresholds *t)
{
    if (!t)
        return;
    qala_mem__free(t->items);
    qala_mem__free(t);
}

qala_status qala_thresholds__append(qala_thresholds *t, const qala_threshold *th,
                                    const char *label)
{
    (void)label;
    qala_status st = qala_mem__grow((void **)&t->items, &t->cap, t->count + 1, sizeof *t->items);
    if (st != QALA_OK)
        return st;
    t->items[t->count++] = *th;
    return QALA_OK;
}

size_t qala_thresholds_count(const qala_thresholds *t) { return t->count; }
const qala_threshold *qala_thresholds_get(const qala_thresholds *t, size_t i)
{
    return i < t->count ? &t->items[i] : NULL;
}

/* x is past boundary b on the side where larger is worse (up = 1) or smaller (up = 0). */
static int past(double x, double b, int up, int inclusive)
{
    if (up)
        return inclusive ? x >= b : x > b;
    return inclusive ? x <= b : x < b;
}

qala_zone qala_threshold_zone(const qala_threshold *th, double x)
{
    if (isnan(x))
        return QALA_ZONE_NO_DATA;
    int inc = th->inclusive;
    switch (th->side) {
    case QALA_BAD_HIGH:
        return past(x, th->crisis, 1, inc) ? QALA_ZONE_CRISIS
               : past(x, th->warning, 1, inc) ? QALA_ZONE_WARNING : QALA_ZONE_NORMAL;
    case QALA_BAD_LOW:
        return past(x, th->crisis, 0, inc) ? QALA_ZONE_CRISIS
               : past(x, th->warning, 0, inc) ? QALA_ZONE_WARNING : QALA_ZONE_NORMAL;
    default:
        if (past(x, th->crisis, 0, inc) || past(x, th->crisis_high, 1, inc))
            return QALA_ZONE_CRISIS;
        if (past(x, th->warning, 0, inc) || past(x, th->warning_high, 1, inc))
            return QALA_ZONE_WARNING;
        return QALA_ZONE_NORMAL;
    }
}

double qala_threshold_distance(const qala_threshold *th, double x, double *percent)
{
    double b, d;
    qala_zone z = qala_threshold_zone(th, x);
    if (z == QALA_ZONE_NO_DATA) {
        if (percent)
            *percent = NAN;
        return NAN;
    }
    int normal = z == QALA_ZONE_NORMAL;
    if (th->side == QALA_BAD_HIGH) {
        b = normal ? th->warning : th->crisis;
        d = b - x;
    } else if (th->side == QALA_BAD_LOW) {
        b = normal ? th->warning : th->crisis;
        d = x - b;
    } else {
        double lo = normal ? th->warning : th->crisis, hi = normal ? th->warning_high : th->crisis_high;
        if (x - lo < hi - x)
            b = lo, d = x - lo;
        else
            b = hi, d = hi - x;
    }
    if (percent)
        *percent = b == 0 ? NAN : d / fabs(b) * 100;
    return d;
}
