/* qala/rank.h — ranks of a column of scores, ties sharing the minimum rank ("sport"
 * ranking, R's rank(ties.method = "min")), over all units or within groups of units.
 *
 * The last stage of the composite-index pipeline (docs/methods-normalise.md, "Ranks"),
 * and the kernel of the rank, borda and prank normalisations (qala/normalise.h).
 *
 * Kernels in the GSL style: the column is x[0], x[stride], ..., x[(n-1)*stride]; ranks are
 * written to out[0], out[ostride], ... as doubles (whole numbers 1..n). A missing score
 * (NAN) gets no rank: its out cell is NAN, and it is not counted in anyone else's rank
 * (R's na.last = "keep"). out may be x itself (same stride): every score is read before
 * its cell is written.
 *
 * Cost: O(n log n) (one sort of the non-missing scores); no allocation per element. The
 * sort needs one scratch array of n qala_rank_item: pass one (reused over calls), or NULL
 * and the kernel allocates it once and frees it before returning.
 */
#ifndef QALA_RANK_H
#define QALA_RANK_H

#include <stddef.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_rank_order {
    QALA_RANK_DESC = 0, /* rank 1 = the highest score (index ranks: 1 = best) */
    QALA_RANK_ASC = 1   /* rank 1 = the lowest score (the rank normalisation: higher score, higher rank) */
} qala_rank_order;

/* A group id meaning "in no group": the unit gets NAN from qala_rank_min_groups. */
#define QALA_RANK_NO_GROUP ((size_t)-1)

/* One element of the scratch array (its fields are the kernel's business). */
typedef struct qala_rank_item {
    double value;
    size_t index;
    size_t group;
} qala_rank_item;

/* Ranks with ties getting the minimum rank: for QALA_RANK_DESC the rank of x[i] is
 * 1 + the number of non-missing scores strictly greater than x[i] (ASC: strictly less).
 * scratch: NULL, or n items. QALA_EINVAL (stride or ostride 0, unknown order),
 * QALA_ENOMEM (scratch NULL and its allocation failed; out untouched). */
qala_status qala_rank_min(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                          qala_rank_order order, qala_rank_item *scratch);

/* The same within groups: group[i] (contiguous, n ids, any values) is the group of unit
 * i; each unit is ranked among the units of its own group only. Units whose group is
 * QALA_RANK_NO_GROUP, or whose score is NAN, get NAN. Errors as qala_rank_min. */
qala_status qala_rank_min_groups(double *out, size_t ostride, const double *x, size_t stride,
                                 const size_t *group, size_t n, qala_rank_order order,
                                 qala_rank_item *scratch);

#ifdef __cplusplus
}
#endif
#endif
