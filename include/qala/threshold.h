/* qala/threshold.h — threshold sets: the safe operating boundaries of the indicator
 * system, as data.
 *
 * A threshold says, for one indicator and one transform of its series (the level, per
 * denominator, a backward k-period average, a change over k periods, the ratio to the
 * national value or to the group median), where the warning and the crisis zones begin:
 * one-sided (values below are bad, or above) or a band (outside [low, high] is bad),
 * with the boundary itself inside or outside the bad zone. It may apply to some unit
 * groups only (a stricter value for monocities) and to a validity period, and it carries
 * its provenance: source, year, justification and a confidence mark. Several named sets
 * can be loaded into one qala_thresholds. File format: docs/thresholds.md.
 * Pointers returned are borrowed, valid until the collection is changed or freed.
 */
#ifndef QALA_THRESHOLD_H
#define QALA_THRESHOLD_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_transform {
    QALA_TRANSFORM_LEVEL = 0,          /* x_t */
    QALA_TRANSFORM_PER_DENOMINATOR,    /* x_t / d_t * scale (d: the denominator indicator) */
    QALA_TRANSFORM_AVERAGE,            /* mean of x_{t-k+1} .. x_t, all k present */
    QALA_TRANSFORM_CHANGE_POINTS,      /* x_t - x_{t-k} (percentage points for rates) */
    QALA_TRANSFORM_CHANGE_PERCENT,     /* (x_t / x_{t-k} - 1) * 100 */
    QALA_TRANSFORM_RATIO_NATIONAL,     /* x_t / national x_t */
    QALA_TRANSFORM_RATIO_GROUP_MEDIAN  /* x_t / median over the group's units of x_t */
} qala_transform;
#define QALA_TRANSFORM_COUNT 7

/* "level", "per_denominator", "average", "change_points", "change_percent",
 * "ratio_national", "ratio_group_median". */
const char *qala_transform_code(qala_transform t);
qala_status qala_transform_parse(qala_transform *out, const char *text);

typedef enum qala_bad_side {
    QALA_BAD_LOW = 0,  /* values at or below the boundary are bad (higher is better) */
    QALA_BAD_HIGH = 1, /* values at or above the boundary are bad (lower is better) */
    QALA_BAD_OUTSIDE = 2 /* a band: below low or above high is bad */
} qala_bad_side;

typedef enum qala_confidence {
    QALA_CONFIDENCE_RULE = 0,       /* a legal or official definition */
    QALA_CONFIDENCE_LITERATURE = 1, /* published */
    QALA_CONFIDENCE_ASSUMPTION = 2  /* a proposal to be calibrated by users */
} qala_confidence;

/* "rule", "literature", "assumption". */
const char *qala_confidence_code(qala_confidence c);

typedef struct qala_threshold {
    const char *set;          /* the set's name, e.g. "qala-default" */
    size_t indicator;         /* index in the framework */
    qala_transform transform;
    int k;                    /* periods for average/change (>= 1); 1 for the other transforms */
    size_t denominator;       /* framework index, for QALA_TRANSFORM_PER_DENOMINATOR;
                                 SIZE_MAX otherwise */
    double scale;             /* multiplier for per_denominator (e.g. 1000); 1 otherwise */
    const char *group_basis;  /* group code for ratio_group_median ("" = the unit's first group among `groups`) */
    qala_bad_side side;
    /* One-sided: warning and crisis on the bad side (for QALA_BAD_LOW crisis <= warning,
     * for QALA_BAD_HIGH crisis >= warning). A band: [warning, warning_high] is normal,
     * [crisis, crisis_high] is at worst warning, outside it is crisis. The high pair is
     * NAN for one-sided thresholds. Zones at the boundaries: docs/thresholds.md. */
    double warning, crisis;
    double warning_high, crisis_high;
    int inclusive;            /* 1: reaching a boundary is already the worse zone */
    const char *const *groups; /* group codes it applies to; ngroups == 0: every unit */
    size_t ngroups;
    qala_date valid_from, valid_to;
    const char *source;
    int year;                 /* year of the source; 0 unknown */
    const char *justification;
    qala_confidence confidence;
    long line;                /* the row of the file it came from */
} qala_threshold;

typedef struct qala_thresholds qala_thresholds;

qala_status qala_thresholds_new(qala_thresholds **out);
void qala_thresholds_free(qala_thresholds *t);

/* Reads a threshold file (CSV text, docs/thresholds.md) against the framework and the
 * registry's groups. Every problem is a finding with label:line:column (unknown
 * indicator or group, warning beyond crisis for the side, overlapping validity of the
 * same set, indicator, transform and groups, bad numbers); QALA_EDATA and nothing added
 * when there is any error. */
qala_status qala_thresholds_load_csv(qala_thresholds *t, const char *text, size_t len,
                                     const char *label, const qala_framework *fw,
                                     const qala_registry *reg, qala_findings *findings);
/* The default set embedded in the library (data/thresholds/default.csv). */
qala_status qala_thresholds_load_default(qala_thresholds *t, const qala_framework *fw,
                                         const qala_registry *reg, qala_findings *findings);

size_t qala_thresholds_count(const qala_thresholds *t);
const qala_threshold *qala_thresholds_get(const qala_thresholds *t, size_t i);
/* The label of the file threshold i was read from ("" when it was added otherwise):
 * with th->line, where a flag's threshold is written. Borrowed. */
const char *qala_thresholds_file(const qala_thresholds *t, size_t i);

/* The zone of a transformed value x under threshold th (no data for NAN). */
typedef enum qala_zone {
    QALA_ZONE_NO_DATA = 0,
    QALA_ZONE_NORMAL = 1,
    QALA_ZONE_WARNING = 2,
    QALA_ZONE_CRISIS = 3
} qala_zone;

/* "no_data", "normal", "warning", "crisis". */
const char *qala_zone_code(qala_zone z);

qala_zone qala_threshold_zone(const qala_threshold *th, double x);
/* The signed distance from x to the next worse boundary, in the value's unit: positive
 * is the margin left before it, negative how far x is past it (in the crisis zone: past
 * the crisis boundary). *percent: the same as a percentage of |boundary| (NAN when the
 * boundary is 0). NAN for NAN x. */
double qala_threshold_distance(const qala_threshold *th, double x, double *percent);

#ifdef __cplusplus
}
#endif
#endif
