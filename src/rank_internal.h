/* src/rank_internal.h — one column's ranks split between threads (never installed).
 *
 * The fused index path (index_fused.c) ranks a long column on every thread: each part
 * sorts its own slice of the scores (qala_rank__sort_part); once every part is sorted,
 * each part ranks its own scores against all the sorted parts (qala_rank__rank_part). A
 * score's rank is 1 + the number of strictly better scores in every part (ties min), so
 * the ranks equal qala_rank_min's, whatever the split.
 */
#ifndef QALA_RANK_INTERNAL_H
#define QALA_RANK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "qala/rank.h"

typedef struct qala_rank__part {
    const uint64_t *keys;  /* m order keys, ascending = best first */
    const uint64_t *words; /* aligned with keys: the position - base in the low 32 bits */
    size_t base;           /* the slice's first position in the column */
    size_t m;              /* scores present in the slice */
} qala_rank__part;

/* Sorts the scores x[lo..hi) (hi < 2^32) into part, using scratch (hi - lo items, which
 * the part then points into); writes NAN to out[i] for each missing x[i]. out must not
 * alias x. QALA_ENOMEM (recorded, out untouched) when many scores are too close for the
 * sort's prefix and their buffer cannot be had. */
qala_status qala_rank__sort_part(qala_rank__part *part, double *out, const double *x,
                                 size_t lo, size_t hi, qala_rank_order order,
                                 qala_rank_item *scratch);
/* Writes out[pos] for every score of parts[me], once every part is sorted. */
void qala_rank__rank_part(double *out, const qala_rank__part *parts, size_t nparts,
                          size_t me);

#endif
