/* qala/index_data.h — from stored observations to the composite-index pipeline's input:
 * a table of units × periods × data columns (qala_index_input, qala/index.h) built from a
 * dataset (as the store gives it) for one resolved tree, with groupings of the units
 * taken from the registry.
 *
 *   store ─► dataset ─► qala_index_data_build ─► qala_index_input ─► qala_index_run
 *
 * Units: the given list of unit codes (a registry filter, say), in the order given, or by
 * default every unit with at least one observation of one of the tree's indicators in
 * the periods, in the dataset's unit order (the store's: registry order).
 * Periods: `from` alone (from == to) is a cross-section; a range gives every period of
 * that frequency from `from` to `to` (years, quarters or months), so that the panel
 * imputation sees a regular series.
 * Columns: one per indicator code of the tree (file order), then one per denominator
 * code not already a column. An indicator with no observation in the chosen units and
 * periods is left out of the input, so that the pipeline reports it as
 * QALA_INDEX_NO_COLUMN; a denominator is always a column (all NAN when there is no data:
 * the pipeline then makes its indicator's cells missing). A cell without an observation
 * (or a suppressed one) is NAN.
 * Groupings (when a registry is given), at the date `at` (default: the last day of the
 * last period, the layout in force at the end of it):
 *   "region": the unit's first-level unit (qala_registry_region_at); a first-level unit
 *             (a region, or a city of republican significance) and the country are in no
 *             group; group codes are the regions' codes, in registry order;
 *   "type":   the first registry group (in the registry's group order: monocity,
 *             agglomeration, smart_city in the embedded registry) the unit belongs to at
 *             `at`; a unit in none is in no group; group codes are the registry's group
 *             codes, all of them;
 *   one per registry group, named by its code ("monocity"): group 0 "no", group 1 "yes"
 *             (a member at `at`); a group whose code is "region" or "type" is skipped.
 * Units that are not in the registry are in no group of any grouping.
 *
 * Work: one pass over the observations (O(n) with hashing of the codes) and
 * O(units × groups × memberships) for the groupings; memory: one double per cell.
 */
#ifndef QALA_INDEX_DATA_H
#define QALA_INDEX_DATA_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/dataset.h"
#include "qala/index.h"
#include "qala/index_spec.h"
#include "qala/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qala_index_data_options {
    unsigned version;          /* 1 */
    qala_period from, to;      /* required; from <= to, of the same frequency */
    const char *const *units;  /* unit codes to include, or NULL: every unit with data */
    size_t nunits;
    qala_date at;              /* date of the groupings; 0: the last day of `to` */
} qala_index_data_options;

#define QALA_INDEX_DATA_OPTIONS_INIT {1, 0, 0, NULL, 0, 0}

typedef struct qala_index_data qala_index_data;

/* Builds the input of `tree` from the observations of ds (any order; one observation per
 * key, as the store gives them: of duplicates, the last one counts). reg may be NULL (no
 * groupings). Errors: QALA_EINVAL (no period, from > to, different frequencies, a range
 * of more than 10,000 periods, a unit code listed twice or empty), QALA_ENOMEM. *out is
 * NULL on error. */
qala_status qala_index_data_build(qala_index_data **out, const qala_dataset *ds,
                                  const qala_index_tree *tree, const qala_registry *reg,
                                  const qala_index_data_options *opt);
void qala_index_data_free(qala_index_data *data);

/* The input (borrowed: every array belongs to data, valid until it is freed). */
const qala_index_input *qala_index_data_input(const qala_index_data *data);
/* The registry index of input unit u, or SIZE_MAX when the unit is not in the registry
 * (or no registry was given). */
size_t qala_index_data_registry_unit(const qala_index_data *data, size_t u);
/* How many observations of the tree's indicators input unit u has in the periods. */
size_t qala_index_data_unit_observations(const qala_index_data *data, size_t u);

/* The default period of an index: the latest period in which the number of units with an
 * observation of one of the tree's indicators is at least half the best period's.
 * QALA_ENOTFOUND when ds has no observation of any of them. */
qala_status qala_index_data_default_period(qala_period *out, const qala_dataset *ds,
                                           const qala_index_tree *tree);

#ifdef __cplusplus
}
#endif
#endif
