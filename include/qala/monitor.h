/* qala/monitor.h — threshold monitoring: for each unit, threshold and period, the value,
 * the transformed value, the zone, the distance to the next boundary, the trend, the
 * status over time and the projected number of periods until a breach.
 *
 * Input: a dataset sorted by (unit, indicator, period) (qala_dataset_sort), a threshold
 * collection, the framework (indicator codes) and the registry (groups and the national
 * unit). Definitions (docs/monitoring.md, from ../shared/design/METHODS.md §3):
 * - transforms as in qala/threshold.h; a period t-k is k periods of the same frequency
 *   back; a transform that needs a missing value is "no data";
 * - which threshold: among the thresholds of one set for the same indicator, transform
 *   and k, one that names a group the unit belongs to (at the period's start) wins over
 *   one for every unit; validity periods are matched against the period's start date;
 * - trend: the OLS slope of the transformed value over the last trend_k periods (at
 *   least 2 points present); "stable" when |slope| <= stable_tolerance * |mean of those
 *   points| (or the absolute tolerance when that mean is 0), else improving or worsening
 *   by the threshold's bad side (for a band: moving toward or away from its middle);
 * - status, for a period in the warning or crisis zone: new breach (the previous period
 *   was normal or had no data), aggravating (the zone got worse, or it stayed and the
 *   trend is worsening), unwinding (the zone got better, or it stayed and the trend is
 *   improving), persistent (otherwise);
 * - projection, for a period in the normal zone: with at least 3 points in the last
 *   trend_k (>= 3) periods and a slope toward the warning boundary, the number of whole
 *   periods until the linear extrapolation reaches it; otherwise none (-1).
 * Results are plain columns (struct of arrays), one row per evaluation, ordered by unit,
 * threshold, period.
 */
#ifndef QALA_MONITOR_H
#define QALA_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"
#include "qala/dataset.h"
#include "qala/framework.h"
#include "qala/registry.h"
#include "qala/threshold.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_trend {
    QALA_TREND_NONE = 0, /* fewer than 2 points */
    QALA_TREND_IMPROVING = 1,
    QALA_TREND_STABLE = 2,
    QALA_TREND_WORSENING = 3
} qala_trend;

typedef enum qala_breach_status {
    QALA_BREACH_NONE = 0, /* not in a breach */
    QALA_BREACH_NEW = 1,
    QALA_BREACH_PERSISTENT = 2,
    QALA_BREACH_AGGRAVATING = 3,
    QALA_BREACH_UNWINDING = 4
} qala_breach_status;

/* "none", "improving", "stable", "worsening" / "none", "new", "persistent",
 * "aggravating", "unwinding". */
const char *qala_trend_code(qala_trend t);
const char *qala_breach_status_code(qala_breach_status s);

/* Optional result columns (unit, threshold, period, zone, trend, status and
 * periods_to_breach are always filled). */
enum {
    QALA_MONITOR_VALUES = 1u << 0,   /* value, transformed */
    QALA_MONITOR_DISTANCES = 1u << 1, /* distance, distance_pct */
    QALA_MONITOR_SLOPES = 1u << 2,   /* slope */
    QALA_MONITOR_ALL_COLUMNS = 7u
};

typedef struct qala_monitor_options {
    unsigned version;         /* QALA_MONITOR_OPTIONS_VERSION */
    const char *national_unit; /* code of the unit whose values are national; NULL: the registry's country */
    qala_period period;       /* evaluate this period only (a row for every unit and applicable
                                 threshold, "no data" where missing); 0: every period observed */
    int trend_k;              /* periods for the trend and the projection (>= 2) */
    double stable_tolerance;  /* relative tolerance of a stable trend, per period */
    const char *set;          /* only thresholds of this set; NULL: all */
    unsigned columns;         /* optional columns to fill (QALA_MONITOR_*); the others are NULL.
                                 At 10^8 rows the unwanted columns cost more than the evaluation. */
    int threads;              /* worker threads; 0: one per online CPU (fewer for small data).
                                 The result is the same whatever the count. */
} qala_monitor_options;

#define QALA_MONITOR_OPTIONS_VERSION 1
#define QALA_MONITOR_OPTIONS_INIT {QALA_MONITOR_OPTIONS_VERSION, NULL, 0, 3, 0.005, NULL, QALA_MONITOR_ALL_COLUMNS, 0}

typedef struct qala_monitor_result {
    size_t n;
    uint32_t *unit;          /* dataset unit id */
    uint32_t *threshold;     /* index in the qala_thresholds */
    qala_period *period;
    double *value;           /* the level x_t (NAN when missing); QALA_MONITOR_VALUES */
    double *transformed;     /* the transformed value (NAN: no data); QALA_MONITOR_VALUES */
    uint8_t *zone;           /* qala_zone */
    double *distance;        /* see qala_threshold_distance; QALA_MONITOR_DISTANCES */
    double *distance_pct;    /* QALA_MONITOR_DISTANCES */
    double *slope;           /* trend slope per period (NAN: none); QALA_MONITOR_SLOPES */
    uint8_t *trend;          /* qala_trend */
    uint8_t *status;         /* qala_breach_status */
    int32_t *periods_to_breach; /* -1: none */
} qala_monitor_result;

/* Evaluates every applicable threshold. QALA_EINVAL for an unsorted dataset or bad
 * options (the message says which); QALA_ENOMEM. */
qala_status qala_monitor_evaluate(qala_monitor_result **out, const qala_dataset *ds,
                                  const qala_thresholds *thresholds, const qala_framework *fw,
                                  const qala_registry *reg, const qala_monitor_options *options);
void qala_monitor_result_free(qala_monitor_result *r);

/* The same evaluation, streamed: fn receives the rows of one unit at a time (rows->n of
 * them, in the order of qala_monitor_evaluate), in a batch that is reused for the next
 * unit, so memory stays bounded by the largest unit whatever the number of units. One
 * thread (options.threads is ignored). fn returns nonzero to stop early. */
qala_status qala_monitor_each(const qala_dataset *ds, const qala_thresholds *thresholds,
                              const qala_framework *fw, const qala_registry *reg,
                              const qala_monitor_options *options,
                              int (*fn)(void *ctx, const qala_monitor_result *rows), void *ctx);

#ifdef __cplusplus
}
#endif
#endif
