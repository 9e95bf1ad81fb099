/* src/threshold_internal.h — the threshold collection's internals shared by
 * src/threshold.c (the collection, zones, distances) and src/threshold_load.c (the CSV
 * loader).
 *
 * Each threshold owns one allocation holding its strings (set, group basis, source,
 * justification, the file label) and its array of group codes, so the public pointers
 * stay put when the array of thresholds grows.
 */
#ifndef QALA_THRESHOLD_INTERNAL_H
#define QALA_THRESHOLD_INTERNAL_H

#include <stddef.h>

#include "qala/threshold.h"

/* Appends a copy of th (every string and the group list) remembering the label of the
 * file it came from. QALA_ENOMEM leaves the collection as it was. */
qala_status qala_thresholds__append(qala_thresholds *t, const qala_threshold *th,
                                    const char *label);
/* Drops the thresholds from index n on (undoing appends of a failed load). */
void qala_thresholds__truncate(qala_thresholds *t, size_t n);
/* The label of the file threshold i came from ("" when none was given). */
const char *qala_thresholds__label(const qala_thresholds *t, size_t i);

#endif
