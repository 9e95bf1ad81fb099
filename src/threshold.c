/* src/threshold.c — the threshold collection, the zone of a value and its distance to
 * the next worse boundary, and the code words of transforms, confidences and zones.
 *
 * Place in the pipeline: threshold files are read by src/threshold_load.c into a
 * qala_thresholds; the monitor (src/monitor.c) transforms each series and asks here
 * which zone a value is in and how far it is from the next boundary.
 * Invariants: every threshold owns one block with its strings and its group list (the
 * public pointers point into it and never move while the threshold exists); a loaded
 * threshold is consistent for its side (crisis <= warning for QALA_BAD_LOW, >= for
 * QALA_BAD_HIGH, crisis <= warning <= warning_high <= crisis_high for a band), which
 * zone() relies on. Workload: tens to thousands of thresholds; zone and distance are
 * O(1) and called once per evaluated value.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "qala/threshold.h"
#include "threshold_internal.h"
#include "util/internal.h"

typedef struct rec {
    qala_threshold pub;
    char *block;       /* owns the strings and the groups array of pub */
    const char *label; /* in block */
} rec;

struct qala_thresholds {
    rec *items;
    size_t n, cap;
};

/* ---- code words ------------------------------------------------------------------ */

static const char *const transform_codes[QALA_TRANSFORM_COUNT] = {
    "level", "per_denominator", "average", "change_points", "change_percent",
    "ratio_national", "ratio_group_median"};

const char *qala_transform_code(qala_transform t)
{
    return (unsigned)t < QALA_TRANSFORM_COUNT ? transform_codes[t] : "?";
}

qala_status qala_transform_parse(qala_transform *out, const char *text)
{
    assert(out && text);
    for (int i = 0; i < QALA_TRANSFORM_COUNT; i++) {
        if (strcmp(text, transform_codes[i]) == 0) {
            *out = (qala_transform)i;
            return QALA_OK;
        }
    }
    return qala_err__set(QALA_EINVAL,
                         "unknown transform \"%s\": expected level, per_denominator, average, "
                         "change_points, change_percent, ratio_national or ratio_group_median",
                         text);
}

const char *qala_confidence_code(qala_confidence c)
{
    switch (c) {
    case QALA_CONFIDENCE_RULE: return "rule";
    case QALA_CONFIDENCE_LITERATURE: return "literature";
    case QALA_CONFIDENCE_ASSUMPTION: return "assumption";
    }
    return "?";
}

const char *qala_zone_code(qala_zone z)
{
    switch (z) {
    case QALA_ZONE_NO_DATA: return "no_data";
    case QALA_ZONE_NORMAL: return "normal";
    case QALA_ZONE_WARNING: return "warning";
    case QALA_ZONE_CRISIS: return "crisis";
    }
    return "?";
}

/* ---- the collection -------------------------------------------------------------- */

qala_status qala_thresholds_new(qala_thresholds **out)
{
    assert(out);
    *out = qala_mem__calloc(1, sizeof **out);
    if (!*out)
        return qala_err__set(QALA_ENOMEM, "out of memory creating a threshold collection");
    return QALA_OK;
}

void qala_thresholds_free(qala_thresholds *t)
{
    if (!t)
        return;
    qala_thresholds__truncate(t, 0);
    qala_mem__free(t->items);
    qala_mem__free(t);
}

size_t qala_thresholds_count(const qala_thresholds *t)
{
    return t ? t->n : 0;
}

const qala_threshold *qala_thresholds_get(const qala_thresholds *t, size_t i)
{
    return t && i < t->n ? &t->items[i].pub : NULL;
}

const char *qala_thresholds__label(const qala_thresholds *t, size_t i)
{
    assert(i < t->n);
    return t->items[i].label;
}

void qala_thresholds__truncate(qala_thresholds *t, size_t n)
{
    while (t->n > n)
        qala_mem__free(t->items[--t->n].block);
}

qala_status qala_thresholds__append(qala_thresholds *t, const qala_threshold *th,
                                    const char *label)
{
    assert(t && th);
    /* the group codes follow the five strings; the pointer array comes first in the
     * block, where malloc's alignment suits it */
    size_t nstr = 5 + th->ngroups;
    const char **strs = qala_mem__malloc(2 * nstr * sizeof *strs), **copy = strs + nstr;
    if (!strs)
        return qala_err__set(QALA_ENOMEM, "out of memory adding a threshold");
    strs[0] = th->set;
    strs[1] = th->group_basis;
    strs[2] = th->source;
    strs[3] = th->justification;
    strs[4] = label;
    for (size_t g = 0; g < th->ngroups; g++)
        strs[5 + g] = th->groups[g];
    char *block = qala_mem__grow((void **)&t->items, &t->cap, t->n + 1, sizeof *t->items) == QALA_OK
                      ? qala_mem__pack_strings(th->ngroups * sizeof(const char *), strs, nstr, copy)
                      : NULL;
    if (!block) {
        qala_mem__free(strs);
        return qala_err__set(QALA_ENOMEM, "out of memory adding a threshold");
    }
    rec *r = &t->items[t->n];
    r->block = block;
    r->pub = *th;
    const char **groups = (const char **)(void *)block;
    r->pub.set = copy[0];
    r->pub.group_basis = copy[1];
    r->pub.source = copy[2];
    r->pub.justification = copy[3];
    r->label = copy[4];
    for (size_t g = 0; g < th->ngroups; g++)
        groups[g] = copy[5 + g];
    qala_mem__free(strs);
    r->pub.groups = th->ngroups ? groups : NULL;
    t->n++;
    return QALA_OK;
}

/* ---- zones and distances --------------------------------------------------------- */

/* x has reached the boundary b from above (values at or below are the worse side). */
static int reached_low(double x, double b, int inclusive)
{
    return inclusive ? x <= b : x < b;
}

static int reached_high(double x, double b, int inclusive)
{
    return inclusive ? x >= b : x > b;
}

qala_zone qala_threshold_zone(const qala_threshold *th, double x)
{
    assert(th);
    if (isnan(x))
        return QALA_ZONE_NO_DATA;
    int inc = th->inclusive;
    switch (th->side) {
    case QALA_BAD_LOW:
        if (reached_low(x, th->crisis, inc))
            return QALA_ZONE_CRISIS;
        return reached_low(x, th->warning, inc) ? QALA_ZONE_WARNING : QALA_ZONE_NORMAL;
    case QALA_BAD_HIGH:
        if (reached_high(x, th->crisis, inc))
            return QALA_ZONE_CRISIS;
        return reached_high(x, th->warning, inc) ? QALA_ZONE_WARNING : QALA_ZONE_NORMAL;
    case QALA_BAD_OUTSIDE:
        if (reached_low(x, th->crisis, inc) || reached_high(x, th->crisis_high, inc))
            return QALA_ZONE_CRISIS;
        if (reached_low(x, th->warning, inc) || reached_high(x, th->warning_high, inc))
            return QALA_ZONE_WARNING;
        return QALA_ZONE_NORMAL;
    }
    return QALA_ZONE_NO_DATA;
}

double qala_threshold_distance(const qala_threshold *th, double x, double *percent)
{
    assert(th);
    if (percent)
        *percent = NAN;
    qala_zone z = qala_threshold_zone(th, x);
    if (z == QALA_ZONE_NO_DATA)
        return NAN;
    double boundary, d;
    switch (th->side) {
    case QALA_BAD_LOW:
        boundary = z == QALA_ZONE_NORMAL ? th->warning : th->crisis;
        d = x - boundary;
        break;
    case QALA_BAD_HIGH:
        boundary = z == QALA_ZONE_NORMAL ? th->warning : th->crisis;
        d = boundary - x;
        break;
    default: { /* a band: the side of the normal interval x is on */
        double below = x - th->warning, above = th->warning_high - x;
        if (z == QALA_ZONE_NORMAL) {
            int low = below <= above;
            boundary = low ? th->warning : th->warning_high;
            d = low ? below : above;
        } else if (x < (th->warning + th->warning_high) / 2) {
            boundary = th->crisis;
            d = x - th->crisis;
        } else {
            boundary = th->crisis_high;
            d = th->crisis_high - x;
        }
        break;
    }
    }
    if (percent && boundary != 0)
        *percent = d / fabs(boundary) * 100;
    return d;
}

const char *qala_thresholds_file(const qala_thresholds *t, size_t i)
{
    return qala_thresholds__label(t, i);
}
