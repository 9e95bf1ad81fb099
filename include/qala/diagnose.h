/* qala/diagnose.h — diagnostics of a composite index: statistics of each indicator,
 * correlations (Pearson, Spearman) with collinear pairs flagged inside a group, Cronbach's
 * alpha and PCA weights per group of children, and each unit's strengths and weaknesses.
 *
 * Definitions (docs/methods-diagnose.md, from ../shared/design/METHODS.md §1 and COINr's
 * get_stats, get_corr, get_cronbach, get_PCA, get_str_weak):
 *   Pearson r over the rows where both columns are present (pairwise complete);
 *   Spearman ρ = Pearson r of the ranks (ties: average rank) over the same rows;
 *   Cronbach α = k²·mean(off-diagonal covariances) / Σ(all covariances), complete rows;
 *   PCA: eigen-decomposition (LAPACKE_dsyevr) of the correlation matrix of the complete
 *   rows; loadings = the first eigenvector, its sign chosen so that the loadings sum to
 *   >= 0; weights = loadings / Σ loadings; a negative loading is a warning.
 *
 * Matrices are column-major: column j, row i is x[i + j·ld] (ld >= n), NAN = missing.
 * Kernels allocate their scratch (a few blocks) once per call and never per element.
 */
#ifndef QALA_DIAGNOSE_H
#define QALA_DIAGNOSE_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"
#include "qala/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- kernels on matrices ----------------------------------------------------------- */

typedef struct qala_diag_stats {
    size_t n;             /* rows */
    size_t n_present;     /* non-missing */
    double availability;  /* n_present / n */
    size_t n_zero;        /* present and == 0 */
    double zero_share;    /* n_zero / n_present (NAN when none present) */
    size_t n_unique;      /* distinct present values */
    double min, max, mean, median, sd;   /* sd with n − 1 */
    double skew, kurt;    /* type 2 (Excel SKEW and KURT), as the treat kernel */
    int outlier_flag;     /* 1 when |skew| > 2 and kurt > 3.5 (COINr get_stats's
                             Flag.SkewKurt; strict, unlike the treat kernel's >=) */
} qala_diag_stats;

/* Statistics of the present cells of x[i·stride], i < n (NAN = missing). Statistics
 * without enough values are NAN: all with none present (availability too when n = 0), sd
 * with fewer than 2, skew with fewer than 3 and kurt with fewer than 4 values (both for a
 * constant column). QALA_EINVAL (out NULL, x NULL with n > 0, stride 0), QALA_ENOMEM (one copy of
 * the present values). */
qala_status qala_diag_stats_column(qala_diag_stats *out, const double *x, size_t stride,
                                   size_t n);

typedef enum qala_diag_corr_method {
    QALA_DIAG_PEARSON = 0,
    QALA_DIAG_SPEARMAN = 1
} qala_diag_corr_method;

/* m × m correlation matrix (out[i + j·m]) of the m columns of x (n rows, leading
 * dimension ld), pairwise complete: each pair uses the rows where both are present
 * (Spearman ranks those rows afresh, ties getting their average rank, as R's cor and
 * pandas' DataFrame.corr). A pair with fewer than 2 common rows, or constant over them,
 * gets NAN. The diagonal is 1, or NAN for a column with < 2 values or no spread (as
 * pandas). QALA_EINVAL (x or out NULL with n, m > 0, ld < n, unknown method),
 * QALA_ENOMEM (out untouched). n = 0 gives an all-NAN matrix; m = 0 writes nothing. */
qala_status qala_diag_correlation(double *out, const double *x, size_t n, size_t m, size_t ld,
                                  qala_diag_corr_method method);

/* Cronbach's alpha of the m columns over the rows where all are present (sample
 * covariances). NAN (QALA_OK) with fewer than 2 columns or 2 complete rows, or a zero
 * total variance; it can be negative (columns pointing in opposite directions). n_used
 * (may be NULL) gets the number of complete rows. QALA_EINVAL (alpha NULL, x NULL with
 * n, m > 0, ld < n), QALA_ENOMEM; *alpha is NAN after any error. */
qala_status qala_diag_cronbach(double *alpha, size_t *n_used, const double *x, size_t n,
                               size_t m, size_t ld);

typedef struct qala_diag_pca {
    size_t n_used;          /* complete rows used */
    double variance_share;  /* first eigenvalue / m (share of variance explained) */
    size_t n_negative;      /* loadings < 0 (after orientation): a warning when > 0 */
} qala_diag_pca;

/* First principal component of the m columns (standardised; complete rows only):
 * loadings[m] (unit length, as prcomp's rotation) and weights[m] (loadings / Σ loadings;
 * either may be NULL). Orientation: Σ loadings >= 0; when the sum is 0 to rounding
 * (|Σ| <= 64·ε·Σ|loading|) the first nonzero loading is made positive and the weights
 * are NAN. With fewer than 2 columns, fewer than 3
 * complete rows, or a column constant over them, the outputs are NAN (QALA_OK) and n_used
 * says how many rows were complete. QALA_EINVAL (info NULL, x NULL with n, m > 0, ld < n),
 * QALA_ENOMEM, QALA_EDATA when LAPACK fails to converge. */
qala_status qala_diag_pca_weights(qala_diag_pca *info, double *loadings, double *weights,
                                  const double *x, size_t n, size_t m, size_t ld);

/* Strengths and weaknesses of unit `unit` (a row, < n) among the n rows of scores (m
 * columns, leading dimension ld, higher score better, NAN = missing): in each column
 * where the unit has a score, its rank among the present scores with ties getting the
 * minimum rank (1 + the number of strictly higher scores, qala_rank_min DESC); best[]
 * gets the columns of the k smallest ranks (best first), worst[] those of the k largest
 * (worst first), ties between columns broken by column order (lower index first) in
 * both. *count = min(k, columns where the unit has a score); best and worst (room for k
 * each) may be NULL. COINr's get_str_weak ranks the same way but by default also drops
 * the columns where the unit has the lowest score (min_discard); that filter is the
 * caller's. QALA_EINVAL (count NULL, scores NULL with n, m > 0, ld < n, unit >= n),
 * QALA_ENOMEM (one array of m). */
qala_status qala_diag_strengths(size_t *best, size_t *worst, size_t *count,
                                const double *scores, size_t n, size_t m, size_t ld,
                                size_t unit, size_t k);

/* ---- on an index result ------------------------------------------------------------- */

/* A pair of sibling indicators (or sibling aggregates) whose correlation is above the
 * threshold. */
typedef struct qala_diag_pair {
    size_t a, b;       /* node indices, a < b */
    size_t parent;     /* their common parent */
    double r;          /* the correlation */
} qala_diag_pair;

/* Per aggregate node (over its children's columns at the stage used). */
typedef struct qala_diag_group {
    size_t node;              /* the aggregate */
    double alpha;             /* Cronbach's alpha; NAN if undefined */
    size_t alpha_rows;
    qala_diag_pca pca;
    const double *loadings;   /* one per child, children in tree order (borrowed) */
    const double *pca_weights;
} qala_diag_group;

typedef struct qala_diag_report qala_diag_report;

typedef struct qala_diag_options {
    qala_index_stage stage;   /* columns to diagnose: indicators at this stage (default
                                 NORMALISED), aggregates at AGGREGATED */
    size_t period;            /* period index of the result (default: the last) */
    qala_diag_corr_method method;     /* for the collinearity flags (default Pearson) */
    double collinear_threshold;       /* default 0.9 (flag r > threshold) */
    size_t top_k;             /* strengths and weaknesses per unit (default 3) */
} qala_diag_options;

void qala_diag_options_init(qala_diag_options *opt, const qala_index_result *res);

/* Computes everything for one period of a result: statistics of every indicator's column
 * at opt->stage (any stage from DENOMINATED to AGGREGATED; kept units), both correlation
 * matrices over all nodes, the collinear sibling pairs, alpha and PCA per aggregate (over
 * its children), strengths and weaknesses of every kept unit (by the unit's rank among
 * the units on each indicator's normalised score, ties min; missing scores skipped).
 * QALA_EINVAL for a stage or period out of range; QALA_ENOMEM. */
qala_status qala_diag_run(qala_diag_report **out, const qala_index_result *res,
                          const qala_diag_options *opt);
void qala_diag_report_free(qala_diag_report *rep);

/* Statistics of indicator node i (i < nindicators) at the chosen stage. */
const qala_diag_stats *qala_diag_report_stats(const qala_diag_report *rep, size_t node);
/* nnodes × nnodes correlation matrix over every node's column (indicators at the stage,
 * aggregates' scores), out[i + j·nnodes]. */
const double *qala_diag_report_correlation(const qala_diag_report *rep,
                                           qala_diag_corr_method method);
size_t qala_diag_report_pairs(const qala_diag_report *rep, const qala_diag_pair **pairs);
size_t qala_diag_report_groups(const qala_diag_report *rep, const qala_diag_group **groups);
/* Strengths (the top_k indicators where the kept unit ranks best among the units) and
 * weaknesses (worst), as indicator node indices, best first / worst first. Returns how
 * many (fewer than top_k when the unit has fewer scored indicators). */
size_t qala_diag_report_strengths(const qala_diag_report *rep, size_t kept_unit,
                                  const size_t **nodes);
size_t qala_diag_report_weaknesses(const qala_diag_report *rep, size_t kept_unit,
                                   const size_t **nodes);

#ifdef __cplusplus
}
#endif
#endif
