/* qala/targets.h — targets of indicators, as data: what value an indicator should reach
 * by when, from which base period, for all units, one group of units or one unit, and
 * according to whom (the source).
 *
 * A target file is CSV (docs/targets.md), one row per indicator and scope. Rows are
 * checked against the indicator framework and the registry; every problem is a finding
 * at label:line:column. The progress kernel (qala/trends.h) takes one target at a time
 * (qala_target_progress gives its qala_progress_target); qala_targets_find chooses the
 * target that applies to a unit: its own, else its group's, else the all-units one.
 * No default file is shipped: real targets need a documented source.
 * Pointers returned are borrowed, valid until the collection is changed or freed.
 */
#ifndef QALA_TARGETS_H
#define QALA_TARGETS_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/registry.h"
#include "qala/trends.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_target_scope {
    QALA_TARGET_ALL_UNITS = 0, /* neither unit nor group given */
    QALA_TARGET_GROUP = 1,     /* the units of one registry group */
    QALA_TARGET_UNIT = 2       /* one registry unit */
} qala_target_scope;

typedef struct qala_target {
    size_t indicator;         /* index in the framework */
    qala_target_scope scope;
    const char *unit;         /* the registry's unit code for QALA_TARGET_UNIT, else "" */
    const char *group;        /* the registry's group code for QALA_TARGET_GROUP, else "" */
    double value;             /* the target value, finite */
    qala_period period;       /* the period by which it should be reached */
    qala_period baseline;     /* the base period; baseline < period */
    const char *source;       /* who set it (a programme, a law, a strategy), non-empty */
    const char *note;         /* free text, may be "" */
    long line;                /* the row of the file it came from */
} qala_target;

typedef struct qala_targets qala_targets;

qala_status qala_targets_new(qala_targets **out);
void qala_targets_free(qala_targets *t);

/* Reads a target file (CSV text, docs/targets.md) against the framework and the
 * registry. Every problem is a finding with label:line:column (unknown indicator, unit
 * or group, both unit and group, a bad number or period, a target outside the
 * indicator's valid range, a target period not after the baseline, a second row for the
 * same indicator and scope in this file or in one loaded before); QALA_EDATA and nothing
 * added when there is any error; QALA_ENOMEM leaves the collection as it was.
 * findings may be NULL (then problems are only counted). */
qala_status qala_targets_load_csv(qala_targets *t, const char *text, size_t len,
                                  const char *label, const qala_framework *fw,
                                  const qala_registry *reg, qala_findings *findings);

size_t qala_targets_count(const qala_targets *t);
const qala_target *qala_targets_get(const qala_targets *t, size_t i);
/* The label of the file target i was read from. Borrowed. */
const char *qala_targets_file(const qala_targets *t, size_t i);

/* The index of the target of indicator for the registry's unit (index `unit` in reg) at
 * date `at` (group memberships are dated): the unit's own target, else the target of a
 * group the unit belongs to at that date, else the all-units target. QALA_ENOTFOUND
 * when none applies; QALA_EAMBIGUOUS when the unit is in two groups that both have a
 * target for the indicator (the message names both lines; give the unit its own row). */
qala_status qala_targets_find(const qala_targets *t, size_t indicator, const qala_registry *reg,
                              size_t unit, qala_date at, size_t *index);

/* The progress kernel's view of a target (zero_replacement 0). */
qala_progress_target qala_target_progress(const qala_target *target);

#ifdef __cplusplus
}
#endif
#endif
