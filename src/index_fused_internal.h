/* src/index_fused_internal.h — what the two files of the fused index path share
 * (index_fused.c: the threads, the general passes, the ranks; index_fused_direct.c: the
 * direct aggregates). Never installed.
 *
 * A direct aggregate is an arithmetic mean whose children are all min-max indicators
 * without transform (and no limit on zeros is set): the kernels take its children
 * straight from the input columns and repeat the operations of norm_minmax and
 * agg_arithmetic in the same order, so the scores have the staged path's bits.
 */
#ifndef QALA_INDEX_FUSED_INTERNAL_H
#define QALA_INDEX_FUSED_INTERNAL_H

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "index_internal.h"
#include "rank_internal.h"

/* rows per block, and the buffers' leading dimension (padded so that the cells of one
 * row in successive columns do not fall 4 KiB apart, on the same cache set) */
enum { FUSED_BLOCK = 2048, FUSED_LD = FUSED_BLOCK + 8, FUSED_MAX_DIRECT = 64 };

/* What every thread reads, and where each writes its own. */
typedef struct fused {
    qala_index_result *res;
    size_t np, nk, nr, npar;         /* npar: parameter sets per indicator (1 or np) */
    const double **src;              /* nind: the input column, NULL when none */
    qala_normalise_params *par;      /* nind × npar */
    qala_normalise_params *partial;  /* nthreads × nind × npar: a thread's rows (direct) */
    size_t *kid_start, *kid;         /* per aggregate (a - nind): its living children */
    double *kw;                      /* their weights, aligned with kid */
    uint8_t *direct;                 /* per aggregate: a direct aggregate */
    uint8_t *under_direct;           /* per indicator: its parent is direct */
    uint8_t *by_column;              /* per aggregate: direct, no living child with a missing
                                        value or a degenerate range: done column by column */
    unsigned *flags;                 /* nthreads × nind normalisation flags */
    size_t nthreads;
    size_t nblocks;                  /* blocks of rows, never across a period */
    pthread_barrier_t barrier;
    /* ranks: a column split between the threads when there are fewer than threads */
    int split;
    qala_rank__part *parts;          /* nthreads */
    /* the first error (lowest work item), under lock */
    pthread_mutex_t lock;
    size_t err_item;
    qala_status err;
    char err_message[sizeof qala_error_last()->message];
} fused;

/* A fresh report of indicator i (nothing counted; treatment statistics NAN). */
static inline qala_index_indicator_report *qala_index__fused_report(fused *f, size_t i)
{
    qala_index_indicator_report *rep = &f->res->report[i];
    memset(rep, 0, sizeof *rep);
    rep->treat.skew0 = rep->treat.kurt0 = rep->treat.skew = rep->treat.kurt = NAN;
    return rep;
}

/* Records error st of work item `item` (the lowest item's error is kept). */
void qala_index__fused_fail(fused *f, size_t item, qala_status st);
/* Waits until every thread is here (one thread: returns at once). */
void qala_index__fused_sync(fused *f);
/* Pass 1 for indicator i on thread t: its normalisation parameters and screen. */
void qala_index__fused_params_column(fused *f, size_t t, size_t i);
/* The rows [lo, hi) of thread t out of nr. */
void qala_index__fused_rows(const fused *f, size_t t, size_t *lo, size_t *hi);

/* index_fused_direct.c: direct aggregate a on thread t, every thread in turn: the
 * parameters of its children over the thread's rows, merged by thread 0, then (when no
 * child has a gap) its scores, the thread's rows of every child column. */
void qala_index__fused_direct(fused *f, size_t t, size_t a);
/* Aggregate a over the block [r0, r0 + len) of period p by the direct kernel: 1 done
 * (or done column by column), 0 not (a missing value: the general path). */
int qala_index__fused_direct_block(fused *f, size_t t, size_t a, size_t r0, size_t p,
                                   size_t len, double *out);

#endif
