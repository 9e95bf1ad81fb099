/* src/category_internal.h — the rule collection's internals shared by src/category.c
 * (the collection and the evaluation) and src/category_load.c (the CSV loader).
 *
 * Each rule owns one allocation holding its strings (id, group, set, description,
 * source, the file label), so the public pointers stay put when the array grows.
 */
#ifndef QALA_CATEGORY_INTERNAL_H
#define QALA_CATEGORY_INTERNAL_H

#include <stddef.h>

#include "qala/category.h"

/* Appends a copy of rule (every string) remembering the label of the file it came from.
 * QALA_ENOMEM leaves the collection as it was. */
qala_status qala_category_rules__append(qala_category_rules *rules, const qala_rule *rule,
                                        const char *label);
/* Drops the rules from index n on (undoing appends of a failed load). */
void qala_category_rules__truncate(qala_category_rules *rules, size_t n);
/* The label of the file rule i came from ("" when none was given). */
const char *qala_category_rules__label(const qala_category_rules *rules, size_t i);

#endif
