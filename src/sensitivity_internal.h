/* src/sensitivity_internal.h — the uncertain factors as sensitivity.c keeps them and
 * sensitivity_json.c and sensitivity_run.c read them. Never installed.
 *
 * Memory: each factor owns one block (qala_mem__) holding its alternatives and strings;
 * the list of factors is a growable array of these.
 */
#ifndef QALA_SENSITIVITY_INTERNAL_H
#define QALA_SENSITIVITY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "qala/rank.h"
#include "qala/sensitivity.h"

typedef struct qala_sens_factor {
    qala_sens_kind kind;
    char name[65];
    size_t nalt;                    /* alternatives given (exclude: codes; 0 = every indicator) */
    void *block;                    /* owns the arrays below */
    /* weights */
    int *levels;
    double *fractions;
    size_t nlevels, replications;
    /* normalise, aggregate, impute, treat */
    qala_normalise_spec *norm;
    qala_agg_spec *agg;
    int agg_level;
    qala_impute_method *imp;
    char *imp_group;                /* NULL: the tree's */
    size_t *winmax;
    /* exclude */
    const char **codes;
    /* threshold */
    double fraction;
} qala_sens_factor;

struct qala_sens_factors {
    qala_sens_factor *f;
    size_t n, cap;
};

/* Appends a factor whose block is already filled (takes the block, even on error).
 * QALA_EINVAL (duplicate name), QALA_ELIMIT, QALA_ENOMEM. */
qala_status qala_sens__append(qala_sens_factors *fs, qala_sens_factor *f);
/* Drops the factors from index n on (a failed load). */
void qala_sens__truncate(qala_sens_factors *fs, size_t n);
/* Checks that the factors fit the tree (levels exist, indicator codes are in it, d >= 1,
 * no threshold factor). QALA_EINVAL naming the factor. */
qala_status qala_sens__check(const qala_sens_factors *fs, const qala_index_tree *tree);

/* Per-run working copy of the tree and input (one per thread). */
typedef struct qala_sens_work {
    qala_index_node *nodes;         /* nnodes */
    qala_index_tree tree;
    const char **codes;             /* ncolumns: the input's column codes, some hidden */
    qala_index_input input;
    void *rng_state;                /* an mt19937 state (noisy weights) */
} qala_sens_work;

/* Allocates the copies (one block). QALA_ENOMEM. */
qala_status qala_sens__work_init(qala_sens_work *w, const qala_index_tree *tree,
                                 const qala_index_input *input);
void qala_sens__work_free(qala_sens_work *w);
/* Resets the copies to the nominal tree and input and applies alternative choice[i] of
 * every factor; seed draws the noisy weights (replication s of factor i from its own
 * stream). columns: per indicator, its input column or SIZE_MAX (for exclude). */
void qala_sens__apply(qala_sens_work *w, const qala_sens_factors *fs, const uint32_t *choice,
                      const qala_index_tree *tree, const qala_index_input *input,
                      const size_t *columns, unsigned long seed);

/* ---- the re-aggregating path (sensitivity_fast.c) ---- */

/* The normalised indicators of every configuration (choice of the upstream factors:
 * impute, treat, normalise, exclude) that the runs use, computed once each. */
typedef struct qala_sens_cache qala_sens_cache;

/* Plans and computes the configurations of the runs (choice: runs × d) on up to nthreads
 * threads, each with its own work copy (works[t]). *out stays NULL when the path does
 * not pay (more configurations than half the runs, or over the memory budget). A
 * configuration whose pipeline fails is kept as failed (its runs take the full path).
 * QALA_ENOMEM. */
qala_status qala_sens__cache_new(qala_sens_cache **out, const qala_index_tree *tree,
                                 const qala_index_input *input, const qala_sens_factors *fs,
                                 const uint32_t *choice, size_t runs, const size_t *columns,
                                 unsigned long seed, qala_sens_work *const *works,
                                 size_t nthreads);
void qala_sens__cache_free(qala_sens_cache *c);
size_t qala_sens__cache_configs(const qala_sens_cache *c);

/* Runs aggregated together at most (qala_sens__cache_batch). */
enum { QALA_SENS_BATCH = 16 };

/* Per-thread scratch of the re-aggregating runs. */
typedef struct qala_sens_scratch {
    void *block;
    double *agg, *gather, *rk, *cw;
    qala_rank_item *items;
    size_t *kid;
    const double **lx;  /* maxc: the children's logarithm columns (geometric means) */
    uint8_t *alive;
    uint8_t *inlog;     /* nnodes: the aggregate's column holds logarithms of its scores */
    size_t batch;       /* runs aggregated together (agg holds batch × aggregates columns) */
    uint8_t *pre;       /* batch × nnodes: 1 (or 2: in logarithms) when the aggregate of
                           that run was computed by qala_sens__cache_batch */
} qala_sens_scratch;

qala_status qala_sens__scratch_init(qala_sens_scratch *s, const qala_sens_cache *c);
void qala_sens__scratch_free(qala_sens_scratch *s);
/* Run r from its configuration: w holds the run's tree (qala_sens__apply done); writes
 * the ranks of the nsum summarised nodes (nodes: their tree indices) per input unit (0:
 * none) and the ranked counts. Any non-OK status means: take the full path for this run
 * (the error is not recorded). */
qala_status qala_sens__cache_run(const qala_sens_cache *c, qala_sens_scratch *s,
                                 const qala_sens_work *w, size_t r, size_t slot,
                                 const size_t *nodes, size_t nsum, uint32_t *ranks,
                                 uint32_t *nranked);
/* Runs r0 .. r0 + nb - 1 (w[b]: run r0 + b applied; nb at most s->batch) aggregate their
 * indicators together where they can (the same configuration and kind of mean, no missing
 * value): slot b of the scratch gets run r0 + b's columns, which qala_sens__cache_run
 * (slot b) then takes as done. */
void qala_sens__cache_batch(const qala_sens_cache *c, qala_sens_scratch *s,
                            qala_sens_work *const *w, size_t r0, size_t nb);

/* Re-records the last error of this thread with "prefix: " before its message (prefix
 * NULL: none) and `file` as its file (NULL: none). Returns code. */
qala_status qala_sens__wrap(qala_status code, const char *file, const char *prefix);

/* A 64-bit mix (splitmix64's finaliser) for derived seeds. */
static inline uint64_t qala_sens__mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

#endif
