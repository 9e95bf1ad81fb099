/* qala/dataset.h — observations in memory: the hub every reader fills and every
 * analysis reads.
 *
 * Columnar: parallel arrays of unit id, indicator id, period, value, flag and source
 * line, one element per observation, with no allocation per observation. Units and
 * indicators are interned codes (ids are dense, from 0) so that a dataset does not
 * depend on a particular registry or framework. Memory: 25 bytes per observation plus
 * the dictionaries. A missing value is not an observation, except for suppressed cells,
 * kept as NAN with QALA_FLAG_CONFIDENTIAL.
 */
#ifndef QALA_DATASET_H
#define QALA_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_flag {
    QALA_FLAG_NONE = 0,
    QALA_FLAG_PROVISIONAL = 1,
    QALA_FLAG_ESTIMATED = 2,
    QALA_FLAG_BREAK = 3,       /* break in series */
    QALA_FLAG_CONFIDENTIAL = 4, /* suppressed: the value is NAN */
    QALA_FLAG_IMPUTED = 5
} qala_flag;
#define QALA_FLAG_COUNT 6

/* "", "provisional", "estimated", "break", "confidential", "imputed". */
const char *qala_flag_code(qala_flag flag);
/* Accepts the codes above, and the letters p, e, b, c, i (case-insensitive). */
qala_status qala_flag_parse(qala_flag *out, const char *text, size_t len);

typedef struct qala_dataset qala_dataset;

qala_status qala_dataset_new(qala_dataset **out);
void qala_dataset_free(qala_dataset *ds);
/* Removes every observation, keeps the dictionaries. */
void qala_dataset_clear(qala_dataset *ds);
qala_status qala_dataset_reserve(qala_dataset *ds, size_t observations);

/* Returns the id of code, adding it when new. */
qala_status qala_dataset_intern_unit(qala_dataset *ds, const char *code, uint32_t *id);
qala_status qala_dataset_intern_indicator(qala_dataset *ds, const char *code, uint32_t *id);
size_t qala_dataset_unit_count(const qala_dataset *ds);
size_t qala_dataset_indicator_count(const qala_dataset *ds);
const char *qala_dataset_unit_code(const qala_dataset *ds, uint32_t id);
const char *qala_dataset_indicator_code(const qala_dataset *ds, uint32_t id);

qala_status qala_dataset_append(qala_dataset *ds, uint32_t unit, uint32_t indicator,
                                qala_period period, double value, qala_flag flag,
                                uint32_t line);
/* Removes observation i by moving the last one into its place (order changes). */
void qala_dataset_remove_swap(qala_dataset *ds, size_t i);

/* Drops the observations from index size on (size <= qala_dataset_size). */
void qala_dataset_truncate(qala_dataset *ds, size_t size);
/* After qala_dataset_sort: keeps the first observation of each key and removes the
 * others, calling on_duplicate(ctx, kept, dropped) (indices before removal) for each
 * one removed (on_duplicate may be NULL). Returns the number removed. O(n). */
size_t qala_dataset_remove_duplicates(qala_dataset *ds,
                                      void (*on_duplicate)(void *ctx, size_t kept, size_t dropped),
                                      void *ctx);

/* Removes the observations for which drop(ctx, i) is nonzero (i: the index before
 * removal), keeping the order of the others. Returns the number removed. O(n). */
size_t qala_dataset_remove_if(qala_dataset *ds, int (*drop)(void *ctx, size_t i), void *ctx);

size_t qala_dataset_size(const qala_dataset *ds);
/* Borrowed column pointers, valid until the dataset is changed or freed. */
const uint32_t *qala_dataset_units(const qala_dataset *ds);
const uint32_t *qala_dataset_indicators(const qala_dataset *ds);
const qala_period *qala_dataset_periods(const qala_dataset *ds);
const double *qala_dataset_values(const qala_dataset *ds);
const uint8_t *qala_dataset_flags(const qala_dataset *ds);
const uint32_t *qala_dataset_lines(const qala_dataset *ds);

/* Sorts by (unit, indicator, period), keeping the input order of equal keys.
 * O(n log n) time, one temporary permutation of n elements. */
qala_status qala_dataset_sort(qala_dataset *ds);
/* After qala_dataset_sort: index of the observation with this key, or QALA_ENOTFOUND. */
qala_status qala_dataset_find(const qala_dataset *ds, uint32_t unit, uint32_t indicator,
                              qala_period period, size_t *index);

#ifdef __cplusplus
}
#endif
#endif
