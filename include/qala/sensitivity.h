/* qala/sensitivity.h — uncertainty and sensitivity analysis of a composite index: how
 * the ranks move when the modeller's choices move (METHODS.md §2, docs/sensitivity.md).
 *
 * Uncertain factors are data (a JSON file or the C calls below). Each factor has a finite
 * list of alternatives: normalisation methods, aggregation methods, imputation methods,
 * treatment off / winmax values, an indicator left out (or none), or one of R
 * replications of noisy weights (w' = w · (1 + f · U(−1, 1)) for the nodes of the given
 * levels, each replication drawn from its own seeded stream). A run is one choice per
 * factor: a sample u in [0, 1)^d gives alternative floor(u_i · k_i) of factor i. The run
 * is a modified copy of the nominal tree (settings and nodes) through qala_index_run with
 * scores_only and rank_from, and its ranks are kept.
 *
 * Uncertainty analysis: N runs with u drawn from an mt19937 seeded with `seed`; per unit
 * and per summarised node: nominal rank, median, 5–95 % interval, probability of top-k
 * and bottom-k. Sensitivity analysis: the Saltelli design (A, B and A_B^i from GSL's Sobol
 * sequence in 2d dimensions, so d ≤ 20: GSL's Sobol generator has at most 40 dimensions),
 * N(d+2) runs, first-order (Saltelli 2010) and total (Jansen) indices with bootstrap
 * 5–95 % intervals, of the mean absolute rank shift of the index (as COINr) and of the
 * rank of chosen units. Runs go in parallel; every run depends on its index alone, so
 * results are identical whatever the number of threads.
 */
#ifndef QALA_SENSITIVITY_H
#define QALA_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "qala/aggregate.h"
#include "qala/common.h"
#include "qala/impute.h"
#include "qala/index.h"
#include "qala/monitor.h"
#include "qala/threshold.h"
#include "qala/index_spec.h"
#include "qala/normalise.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- factors ------------------------------------------------------------------------ */

typedef enum qala_sens_kind {
    QALA_SENS_WEIGHTS = 0,   /* noisy weights: replications */
    QALA_SENS_NORMALISE = 1, /* normalisation method of every indicator */
    QALA_SENS_AGGREGATE = 2, /* aggregation method of the aggregates of a level (or all) */
    QALA_SENS_IMPUTE = 3,    /* cross-section imputation method */
    QALA_SENS_TREAT = 4,     /* outlier treatment: off (winmax 0) or winmax values */
    QALA_SENS_EXCLUDE = 5,   /* none, or one indicator left out */
    QALA_SENS_THRESHOLD = 6  /* monitoring thresholds ± a fraction: declared, not run yet */
} qala_sens_kind;
#define QALA_SENS_KIND_COUNT 7

/* "weights", "normalise", "aggregate", "impute", "treat", "exclude", "threshold". */
const char *qala_sens_kind_name(qala_sens_kind kind);

/* Most factors, alternatives per factor, noisy-weight replications, and levels of noise. */
#define QALA_SENS_MAX_FACTORS 100
#define QALA_SENS_MAX_ALTERNATIVES 100000
#define QALA_SENS_MAX_LEVELS 1000
/* GSL's Sobol sequence has at most 40 dimensions: a design of d factors needs 2d. */
#define QALA_SOBOL_MAX_DIM 40

typedef struct qala_sens_factors qala_sens_factors;

qala_status qala_sens_factors_new(qala_sens_factors **out);
void qala_sens_factors_free(qala_sens_factors *f);

/* Reads a factor file (docs/sensitivity.md), appending its factors. text need not be
 * NUL-terminated; file names the source in the error (qala_error_last()->file).
 * QALA_EPARSE (not JSON: line and column in the error), QALA_EINVAL (the message names
 * the factor by its JSON path and says what is wrong), QALA_ELIMIT (over 1 MiB or over a
 * limit above), QALA_ENOMEM. On error no factor of the file is kept. */
qala_status qala_sens_factors_load_json(qala_sens_factors *f, const char *text, size_t len,
                                        const char *file);
/* The same from a file; QALA_EIO when it cannot be read. */
qala_status qala_sens_factors_load_file(qala_sens_factors *f, const char *path);

/* Building by hand. name: unique, 1–64 bytes, or NULL for the kind's name. Every call
 * copies what it is given. QALA_EINVAL (bad argument, duplicate name), QALA_ELIMIT,
 * QALA_ENOMEM. */
/* Noisy weights of the nodes of levels[i] (1 = indicators) by ± fractions[i] (in (0, 1)),
 * in `replications` draws (>= 1; COINr's Nrep; 100 in files by default). */
qala_status qala_sens_add_weights(qala_sens_factors *f, const char *name, const int *levels,
                                  const double *fractions, size_t nlevels, size_t replications);
/* Alternatives replace the method and its parameters of every indicator (the node's own
 * transform is kept). Methods that need a reference unit (dist2ref) are refused. */
qala_status qala_sens_add_normalise(qala_sens_factors *f, const char *name,
                                    const qala_normalise_spec *alts, size_t n);
/* Alternatives replace the method and parameters (not the availability) of the
 * aggregates of `level` (0: every aggregate). */
qala_status qala_sens_add_aggregate(qala_sens_factors *f, const char *name, int level,
                                    const qala_agg_spec *alts, size_t n);
/* Cross-section methods (none, mean, median, group_mean, group_median); group: the
 * grouping of the group methods, or NULL for the tree's settings.impute_group. */
qala_status qala_sens_add_impute(qala_sens_factors *f, const char *name,
                                 const qala_impute_method *alts, size_t n, const char *group);
/* winmax values of the treatment of every indicator; 0 is treatment off. */
qala_status qala_sens_add_treat(qala_sens_factors *f, const char *name, const size_t *winmax,
                                size_t n);
/* Alternatives: none, then each indicator code of `codes` left out (its column hidden: the
 * pipeline screens it out with weight 0). codes NULL (n 0): every indicator of the tree. */
qala_status qala_sens_add_exclude(qala_sens_factors *f, const char *name,
                                  const char *const *codes, size_t n);
/* Monitoring thresholds ± fraction: accepted in files and here, refused by qala_sens_run
 * (not implemented yet). */
qala_status qala_sens_add_threshold(qala_sens_factors *f, const char *name, double fraction);

size_t qala_sens_factors_count(const qala_sens_factors *f);
const char *qala_sens_factor_name(const qala_sens_factors *f, size_t i);
qala_sens_kind qala_sens_factor_kind(const qala_sens_factors *f, size_t i);
/* Number of alternatives of factor i against a tree (exclude with every indicator: 1 +
 * the tree's indicators). */
size_t qala_sens_factor_alternatives(const qala_sens_factors *f, size_t i,
                                     const qala_index_tree *tree);
/* Text of alternative a of factor i ("zscore", "geometric", "winmax 3", "off", "none",
 * "-Goods", "replication 17"): written to buf (always NUL-terminated when cap > 0);
 * returns the length it needed. */
size_t qala_sens_alternative_text(const qala_sens_factors *f, size_t i, size_t a,
                                  const qala_index_tree *tree, char *buf, size_t cap);

/* ---- Sobol kernels ------------------------------------------------------------------ */

/* The Saltelli design in run order: row i (0 ≤ i < n) gives runs i·(d+2) + 0 = A_i,
 * + 1 = B_i, + 2 + j = A_i with column j taken from B_i. A_i and B_i are the first d and
 * the last d coordinates of point i of GSL's Sobol sequence in 2d dimensions (which
 * starts at (0.5, ..., 0.5), not at the origin). x has n·(d+2)·d values, run-major. QALA_EINVAL when 2d > 40 (saying so) or
 * d = 0; QALA_ENOMEM. */
qala_status qala_sobol_design(double *x, size_t n, size_t d);

/* Sobol indices of one factor, with bootstrap percentiles (type 7) of the estimates. */
typedef struct qala_sobol_index {
    double first, first_lo, first_hi;  /* Si (Saltelli 2010), 5 % and 95 % */
    double total, total_lo, total_hi;  /* STi (Jansen 1999) */
} qala_sobol_index;

/* From y in the design's run order (n·(d+2) values): Var = the sample variance of y_A ∪
 * y_B; Si = mean(y_B · (y_ABi − y_A)) / Var; STi = Σ (y_A − y_ABi)² / (2n · Var). bootstrap:
 * resamples of the n rows (0: the intervals are NAN), drawn by an mt19937 seeded with
 * seed. out has d entries; all NAN when n < 2 or Var = 0. QALA_EINVAL for d = 0 or a
 * non-finite y; QALA_ENOMEM. */
qala_status qala_sobol_indices(qala_sobol_index *out, const double *y, size_t n, size_t d,
                               size_t bootstrap, unsigned long seed);

/* ---- the analysis ------------------------------------------------------------------- */

typedef enum qala_sens_design {
    QALA_SENS_UNCERTAINTY = 0, /* n Monte Carlo runs */
    QALA_SENS_SOBOL = 1        /* the Saltelli design: n·(d+2) runs, plus the indices */
} qala_sens_design;

/* Called from the calling thread about ten times a second and once at the end, with the
 * runs done and the runs planned. A nonzero return cancels: runs in flight finish, no
 * new run starts, and the result covers the runs done (qala_sens_result_cancelled). */
typedef int (*qala_sens_progress_fn)(void *ctx, size_t done, size_t total);

typedef struct qala_sens_options {
    unsigned version;          /* 1 */
    qala_sens_design design;
    size_t n;                  /* N: runs, or rows of the Saltelli design (>= 1; 1000) */
    unsigned long seed;        /* 1 */
    unsigned threads;          /* 0: one per CPU (default 0) */
    int level;                 /* ranks of the aggregates of this level and above are kept
                                  and summarised; 0: the index only */
    size_t top_k;              /* top-k and bottom-k probabilities (10) */
    size_t bootstrap;          /* bootstrap resamples of the Sobol indices (1000) */
    const char *const *units;  /* units whose index rank also gets Sobol indices */
    size_t nunits;
    qala_sens_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    int full_runs;             /* 1: every run through the whole pipeline, never the
                                  re-aggregating path (checks, measurements); default 0 */
} qala_sens_options;

#define QALA_SENS_OPTIONS_INIT {1, QALA_SENS_UNCERTAINTY, 1000, 1, 0, 0, 10, 1000, NULL, 0, NULL, NULL, 0}

typedef struct qala_sens_result qala_sens_result;

/* Runs the analysis: the nominal run (the tree as given), then the runs. Only what a
 * run's choices change is recomputed: the normalised indicators of each configuration of
 * the upstream factors (impute, treat, normalise, exclude) that the runs use are
 * computed once, and each run re-aggregates them with its weights and methods (when the
 * configurations are at most half the runs and fit 1 GiB; else every run is a whole
 * pipeline run). The ranks are the same either way. The tree and
 * input are as for qala_index_run (borrowed during the call only). Errors: QALA_EINVAL
 * (bad options, a factor that does not fit the tree — an unknown indicator or level —,
 * a threshold factor, more than 20 factors in a Sobol design), QALA_ENOTFOUND (a unit of
 * opt->units is not in the input), the error of a failed run (QALA_EDATA ..., the
 * message says which run and its choices), QALA_ENOMEM. *out is NULL on error.
 * Memory: 4 bytes per run × summarised node × unit for the ranks. */
qala_status qala_sens_run(qala_sens_result **out, const qala_index_tree *tree,
                          const qala_index_input *input, const qala_sens_factors *factors,
                          const qala_sens_options *opt);
void qala_sens_result_free(qala_sens_result *res);

/* Shape and provenance. */
qala_sens_design qala_sens_result_design(const qala_sens_result *res);
unsigned long qala_sens_result_seed(const qala_sens_result *res);
size_t qala_sens_result_factors(const qala_sens_result *res);  /* d */
size_t qala_sens_result_n(const qala_sens_result *res);        /* N asked */
size_t qala_sens_result_runs(const qala_sens_result *res);     /* runs planned */
size_t qala_sens_result_runs_done(const qala_sens_result *res);/* runs in the summaries */
int qala_sens_result_cancelled(const qala_sens_result *res);
/* Configurations of the upstream factors computed once and re-aggregated (0: every run
 * went through the whole pipeline). */
size_t qala_sens_result_configs(const qala_sens_result *res);
size_t qala_sens_result_units(const qala_sens_result *res);    /* input units */
const char *qala_sens_result_unit_code(const qala_sens_result *res, size_t u);

/* Run r's sample (d values in [0, 1)) and its alternatives (d indices), borrowed. */
const double *qala_sens_result_sample(const qala_sens_result *res, size_t r);
const uint32_t *qala_sens_result_choices(const qala_sens_result *res, size_t r);

/* The summarised nodes: count and the tree index of node j (ascending: the index last). */
size_t qala_sens_result_nodes(const qala_sens_result *res);
size_t qala_sens_result_node(const qala_sens_result *res, size_t j);
/* Ranks of summarised node j in run r, one per input unit (0: no rank: screened out or
 * missing), borrowed; the nominal ranks with r = SIZE_MAX. */
const uint32_t *qala_sens_result_ranks(const qala_sens_result *res, size_t r, size_t j);

/* Per unit and summarised node, over the runs done (ranks of the units that have one;
 * quantiles type 7 as R's quantile()). */
typedef struct qala_sens_rank_summary {
    double nominal;     /* NAN when the nominal run gave no rank */
    double median, q05, q95;
    double mean_abs_shift; /* mean |rank − nominal| */
    double p_top;       /* share of runs with rank ≤ top_k */
    double p_bottom;    /* share of runs with rank > (units ranked in the run) − top_k */
    size_t nruns;       /* runs that ranked the unit */
} qala_sens_rank_summary;

/* nunits summaries of summarised node j, borrowed. */
const qala_sens_rank_summary *qala_sens_result_summary(const qala_sens_result *res, size_t j);

/* Per run output of the Sobol analysis: the mean absolute rank shift of the index from
 * the nominal ranks (over the units ranked in both), one per run. */
const double *qala_sens_result_shift(const qala_sens_result *res);

/* Sobol indices (design QALA_SENS_SOBOL, else NULL): output 0 is the mean absolute rank
 * shift, output 1 + i the index rank of opt->units[i]; d entries each, borrowed. */
size_t qala_sens_result_outputs(const qala_sens_result *res);
const qala_sobol_index *qala_sens_result_sobol(const qala_sens_result *res, size_t output);

/* ---- the monitoring factor: threshold boundaries ± a fraction ---------------------------
 * For an evaluated scoreboard (qala_monitor_evaluate with QALA_MONITOR_VALUES, so that
 * the transformed values are there), each run draws one factor 1 + fraction·u per
 * threshold, u uniform on [−1, 1] (a counter-based draw of seed, run and threshold:
 * the result depends on nothing but the seed), multiplies all the threshold's boundaries by
 * it and reclassifies every row with qala_threshold_zone. Per row: the share of runs in
 * the crisis zone, and in the warning zone or worse (NAN for a row without data). */
typedef struct qala_sens_monitor_options {
    size_t runs;      /* >= 1 */
    double fraction;  /* 0 <= fraction < 1 */
    uint64_t seed;
} qala_sens_monitor_options;

typedef struct qala_sens_monitor_result {
    size_t n;              /* rows, as the scoreboard's */
    double *crisis_share;  /* n */
    double *breach_share;  /* n: warning or crisis */
    size_t runs;
    double fraction;
    uint64_t seed;
} qala_sens_monitor_result;

/* QALA_EINVAL for a scoreboard without transformed values, a threshold index out of
 * range, runs = 0 or a fraction outside [0, 1); QALA_ENOMEM. Work: runs × rows zone
 * evaluations, one allocation. */
qala_status qala_sens_monitor(qala_sens_monitor_result **out, const qala_monitor_result *board,
                              const qala_thresholds *thresholds,
                              const qala_sens_monitor_options *opt);
void qala_sens_monitor_free(qala_sens_monitor_result *res);

#ifdef __cplusplus
}
#endif
#endif
