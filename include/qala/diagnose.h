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
 * Kernels allocate their scratch once per call.
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
    int outlier_flag;     /* 1 when |skew| >= 2 and kurt >= 3.5 (COINr's rule) */
} qala_diag_stats;

/* Statistics of x[i·stride], i < n. QALA_EINVAL, QALA_ENOMEM. */
qala_status qala_diag_stats_column(qala_diag_stats *out, const double *x, size_t stride,
                                   size_t n);

typedef enum qala_diag_corr_method {
    QALA_DIAG_PEARSON = 0,
    QALA_DIAG_SPEARMAN = 1
} qala_diag_corr_method;

/* m × m correlation matrix (out[i + j·m]) of the m columns of x (n rows, leading
 * dimension ld), pairwise complete. A pair with fewer than 2 common rows, or a constant
 * column among them, gets NAN. The diagonal is 1 (NAN for a column with < 2 values). */
qala_status qala_diag_correlation(double *out, const double *x, size_t n, size_t m, size_t ld,
                                  qala_diag_corr_method method);

/* Cronbach's alpha of the m columns over the rows where all are present. NAN (QALA_OK)
 * with fewer than 2 columns or 2 complete rows, or a zero total variance. n_used (may be
 * NULL) gets the number of complete rows. */
qala_status qala_diag_cronbach(double *alpha, size_t *n_used, const double *x, size_t n,
                               size_t m, size_t ld);

typedef struct qala_diag_pca {
    size_t n_used;          /* complete rows used */
    double variance_share;  /* first eigenvalue / m (share of variance explained) */
    size_t n_negative;      /* loadings < 0 (after orientation): a warning when > 0 */
} qala_diag_pca;

/* First principal component of the m columns (standardised; complete rows only):
 * loadings[m] and weights[m] (either may be NULL). With fewer than 2 columns or fewer
 * than 3 complete rows the outputs are NAN and n_used says why. QALA_EINVAL, QALA_ENOMEM,
 * QALA_EDATA when LAPACK fails to converge. */
qala_status qala_diag_pca_weights(qala_diag_pca *info, double *loadings, double *weights,
                                  const double *x, size_t n, size_t m, size_t ld);

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
