/* diagnose.c — the matrix kernels of the composite-index diagnostics: statistics of one
 * indicator column, Pearson and Spearman correlation matrices, Cronbach's alpha and the
 * PCA weights of a group of columns, and one unit's strengths and weaknesses.
 *
 * Place in the pipeline: after the index is computed, on the columns of one period of a
 * result (indicators at a chosen stage, aggregates' scores). Nothing here changes the
 * index; the result-level driver (qala_diag_run) feeds these kernels group by group.
 *
 * Conventions (docs/methods-diagnose.md): matrices are column-major, cell (i, j) is
 * x[i + j·ld] with ld >= n, NAN = missing. Correlations are pairwise complete (each pair
 * uses the rows where both are present; Spearman ranks those rows again, ties getting
 * the average rank, as R's cor and pandas' DataFrame.corr do). Alpha and PCA use the
 * complete rows only (every column present), sample (n − 1) covariances. An undefined
 * result (too few rows, a constant column) is NAN with QALA_OK: it is a finding about
 * the data, not an error.
 *
 * Invariants: every argument is checked and all scratch allocated before any output is
 * written, so an error leaves the outputs as they were (except the documented NAN
 * presets of scalar outputs); LAPACK's workspace comes from qala_mem__* too (the
 * LAPACKE_*_work interface), so the allocation-failure tests reach every path.
 *
 * Workload: groups of 2–20 columns, tens to thousands of rows; the correlation matrix of
 * every node (m up to ~100) once per diagnosis. Spearman sorts each pair's rows again:
 * O(m²·n log n), a few milliseconds for the sizes above.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <lapacke.h>

#include "qala/diagnose.h"
#include "qala/treat.h"
#include "util/internal.h"

/* ---- argument checks ---- */

/* n rows, m columns, leading dimension ld: ld >= n and the matrix addressable. */
static qala_status check_matrix(const char *fn, const double *x, size_t n, size_t m, size_t ld)
{
    if (!x && n > 0 && m > 0)
        return qala_err__set(QALA_EINVAL, "%s: x must not be NULL", fn);
    if (ld < n)
        return qala_err__set(QALA_EINVAL, "%s: leading dimension %zu is less than the %zu rows",
                             fn, ld, n);
    if (m > 0 && ld > 0 && m > SIZE_MAX / ld)
        return qala_err__set(QALA_EINVAL, "%s: %zu columns of %zu rows overflow", fn, m, ld);
    return QALA_OK;
}

/* ---- statistics of one column ---- */

qala_status qala_diag_stats_column(qala_diag_stats *out, const double *x, size_t stride,
                                   size_t n)
{
    if (!out)
        return qala_err__set(QALA_EINVAL, "diag_stats: out must not be NULL");
    if (!x && n > 0)
        return qala_err__set(QALA_EINVAL, "diag_stats: x must not be NULL when n > 0");
    if (stride == 0)
        return qala_err__set(QALA_EINVAL, "diag_stats: stride must be at least 1");
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(x[i * stride]);
    double *y = qala_mem__calloc(m, sizeof *y);
    if (!y)
        return qala_err__set(QALA_ENOMEM, "diag_stats: out of memory (%zu values)", m);
    qala_diag_stats s = {
        .n = n, .n_present = m, .availability = n ? (double)m / (double)n : NAN,
        .zero_share = NAN, .min = NAN, .max = NAN, .mean = NAN, .median = NAN, .sd = NAN,
        .skew = NAN, .kurt = NAN,
    };
    for (size_t i = 0, k = 0; i < n; i++)
        if (!isnan(x[i * stride]))
            y[k++] = x[i * stride];
    if (m > 0) {
        gsl_sort(y, 1, m);
        for (size_t k = 0; k < m; k++) {
            s.n_zero += y[k] == 0;
            s.n_unique += k == 0 || y[k] != y[k - 1];
        }
        s.zero_share = (double)s.n_zero / (double)m;
        s.min = y[0];
        s.max = y[m - 1];
        s.mean = gsl_stats_mean(y, 1, m);
        s.median = gsl_stats_median_from_sorted_data(y, 1, m);
        if (m > 1)
            s.sd = gsl_stats_sd_m(y, 1, m, s.mean);
        /* y holds no NAN: the treat kernel sets nothing aside, but it copies y once */
        qala_status st = qala_treat_skew_kurt(&s.skew, &s.kurt, y, 1, m);
        if (st != QALA_OK) {
            qala_mem__free(y);
            return st;
        }
    }
    qala_mem__free(y);
    /* COINr get_stats: Flag.SkewKurt = (abs(sk) > t_skew) & (kt > t_kurt); NAN never flags */
    s.outlier_flag = fabs(s.skew) > 2.0 && s.kurt > 3.5;
    *out = s;
    return QALA_OK;
}

/* ---- correlations ---- */

typedef struct rank_item {
    double value;
    size_t pos; /* position in the pair's row list */
} rank_item;

static int cmp_item(const void *pa, const void *pb)
{
    const rank_item *a = pa, *b = pb;
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Average ranks (1..k, ties sharing the mean of their positions) of v[0..k) into r. */
static void average_ranks(double *r, const double *v, size_t k, rank_item *items)
{
    for (size_t i = 0; i < k; i++)
        items[i] = (rank_item){v[i], i};
    qsort(items, k, sizeof *items, cmp_item);
    for (size_t i = 0; i < k;) {
        size_t j = i + 1;
        while (j < k && items[j].value == items[i].value)
            j++;
        double avg = ((double)i + (double)j + 1) / 2; /* mean of ranks i+1 .. j */
        for (size_t t = i; t < j; t++)
            r[items[t].pos] = avg;
        i = j;
    }
}

/* Pearson r of a[0..k), b[0..k) (no NAN): NAN when k < 2 or either is constant. */
static double pearson(const double *a, const double *b, size_t k)
{
    if (k < 2)
        return NAN;
    double ma = gsl_stats_mean(a, 1, k), mb = gsl_stats_mean(b, 1, k);
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < k; i++) {
        double da = a[i] - ma, db = b[i] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if (saa == 0 || sbb == 0)
        return NAN;
    double r = sab / sqrt(saa * sbb);
    return r > 1 ? 1 : r < -1 ? -1 : r;
}

qala_status qala_diag_correlation(double *out, const double *x, size_t n, size_t m, size_t ld,
                                  qala_diag_corr_method method)
{
    qala_status st = check_matrix("diag_correlation", x, n, m, ld);
    if (st != QALA_OK)
        return st;
    if (!out && m > 0)
        return qala_err__set(QALA_EINVAL, "diag_correlation: out must not be NULL");
    if (method != QALA_DIAG_PEARSON && method != QALA_DIAG_SPEARMAN)
        return qala_err__set(QALA_EINVAL, "diag_correlation: unknown method %d", (int)method);
    if (m > 0 && m > SIZE_MAX / m)
        return qala_err__set(QALA_EINVAL, "diag_correlation: %zu columns overflow", m);
    if (m == 0)
        return QALA_OK;
    /* scratch: the pair's values (a, b), their ranks (ra, rb), the sort items */
    size_t per = n ? n : 1;
    double *buf = qala_mem__calloc(4 * per, sizeof *buf);
    rank_item *items = method == QALA_DIAG_SPEARMAN ? qala_mem__calloc(per, sizeof *items) : NULL;
    if (!buf || (method == QALA_DIAG_SPEARMAN && !items)) {
        qala_mem__free(buf);
        qala_mem__free(items);
        return qala_err__set(QALA_ENOMEM, "diag_correlation: out of memory (%zu rows)", n);
    }
    double *a = buf, *b = buf + per, *ra = buf + 2 * per, *rb = buf + 3 * per;
    for (size_t j = 0; j < m; j++) {
        for (size_t l = j; l < m; l++) {
            const double *xj = x + j * ld, *xl = x + l * ld;
            size_t k = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(xj[i]) && !isnan(xl[i])) {
                    a[k] = xj[i];
                    b[k] = xl[i];
                    k++;
                }
            double r;
            if (method == QALA_DIAG_SPEARMAN && k >= 2) {
                average_ranks(ra, a, k, items);
                average_ranks(rb, b, k, items);
                r = pearson(ra, rb, k);
            } else {
                r = pearson(a, b, k);
            }
            if (j == l && !isnan(r))
                r = 1; /* exactly 1 on the diagonal of a column with spread */
            out[j + l * m] = out[l + j * m] = r;
        }
    }
    qala_mem__free(items);
    qala_mem__free(buf);
    return QALA_OK;
}

/* ---- complete rows ---- */

/* Marks in keep[0..n) the rows where all m columns are present; returns their count. */
static size_t complete_rows(unsigned char *keep, const double *x, size_t n, size_t m, size_t ld)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ok = 1;
        for (size_t j = 0; j < m && ok; j++)
            ok = !isnan(x[i + j * ld]);
        keep[i] = ok;
        count += ok;
    }
    return count;
}

/* ---- Cronbach's alpha ---- */

qala_status qala_diag_cronbach(double *alpha, size_t *n_used, const double *x, size_t n,
                               size_t m, size_t ld)
{
    if (!alpha)
        return qala_err__set(QALA_EINVAL, "diag_cronbach: alpha must not be NULL");
    *alpha = NAN;
    if (n_used)
        *n_used = 0;
    qala_status st = check_matrix("diag_cronbach", x, n, m, ld);
    if (st != QALA_OK)
        return st;
    /* scratch: the complete-row marks, then the row sums of the complete rows */
    unsigned char *keep = qala_mem__calloc(n, 1);
    double *total = qala_mem__calloc(n, sizeof *total);
    if (!keep || !total) {
        qala_mem__free(keep);
        qala_mem__free(total);
        return qala_err__set(QALA_ENOMEM, "diag_cronbach: out of memory (%zu rows)", n);
    }
    size_t k = complete_rows(keep, x, n, m, ld);
    if (n_used)
        *n_used = k;
    if (m >= 2 && k >= 2) {
        /* Σ of all covariances = var(row sums); Σ of the diagonal = Σ var(column) */
        double sum_var = 0;
        for (size_t i = 0, t = 0; i < n; i++)
            if (keep[i])
                total[t++] = 0;
        for (size_t j = 0; j < m; j++) {
            const double *xj = x + j * ld;
            double mean = 0;
            for (size_t i = 0; i < n; i++)
                if (keep[i])
                    mean += xj[i];
            mean /= (double)k;
            double ss = 0;
            for (size_t i = 0, t = 0; i < n; i++)
                if (keep[i]) {
                    ss += (xj[i] - mean) * (xj[i] - mean);
                    total[t++] += xj[i];
                }
            sum_var += ss / (double)(k - 1);
        }
        double all = gsl_stats_variance(total, 1, k);
        double dm = (double)m;
        /* k²·mean(off-diagonal) / Σ all = m²·((all − Σvar)/(m(m − 1))) / all */
        if (all != 0)
            *alpha = dm * dm * ((all - sum_var) / (dm * (dm - 1))) / all;
    }
    qala_mem__free(total);
    qala_mem__free(keep);
    return QALA_OK;
}

/* ---- PCA weights ---- */

qala_status qala_diag_pca_weights(qala_diag_pca *info, double *loadings, double *weights,
                                  const double *x, size_t n, size_t m, size_t ld)
{
    if (!info)
        return qala_err__set(QALA_EINVAL, "diag_pca: info must not be NULL");
    *info = (qala_diag_pca){0, NAN, 0};
    qala_status st = check_matrix("diag_pca", x, n, m, ld);
    if (st != QALA_OK)
        return st;
    if (m > 0 && m > SIZE_MAX / m / sizeof(double))
        return qala_err__set(QALA_EINVAL, "diag_pca: %zu columns overflow", m);
    if (m > (size_t)INT32_MAX)
        return qala_err__set(QALA_EINVAL, "diag_pca: %zu columns are more than LAPACK takes", m);
    /* scratch: complete-row marks; standardised complete rows z (k × m); the correlation
     * matrix c (m × m); eigenvalues w (m); eigenvector v (m); isuppz (2) */
    unsigned char *keep = qala_mem__calloc(n, 1);
    if (!keep)
        return qala_err__set(QALA_ENOMEM, "diag_pca: out of memory (%zu rows)", n);
    size_t k = complete_rows(keep, x, n, m, ld);
    info->n_used = k;
    for (size_t j = 0; j < m; j++) {
        if (loadings)
            loadings[j] = NAN;
        if (weights)
            weights[j] = NAN;
    }
    if (m < 2 || k < 3) {
        qala_mem__free(keep);
        return QALA_OK;
    }
    double *z = qala_mem__calloc(k * m + m * m + 2 * m, sizeof *z);
    lapack_int *isuppz = qala_mem__calloc(2, sizeof *isuppz);
    double *work = NULL;
    lapack_int *iwork = NULL;
    if (!z || !isuppz) {
        st = qala_err__set(QALA_ENOMEM, "diag_pca: out of memory (%zu × %zu)", k, m);
        goto done;
    }
    double *c = z + k * m, *w = c + m * m, *v = w + m;
    int constant = 0;
    for (size_t j = 0; j < m && !constant; j++) {
        double *zj = z + j * k;
        for (size_t i = 0, t = 0; i < n; i++)
            if (keep[i])
                zj[t++] = x[i + j * ld];
        double mean = gsl_stats_mean(zj, 1, k), sd = gsl_stats_sd_m(zj, 1, k, mean);
        constant = !(sd > 0);
        for (size_t t = 0; t < k; t++)
            zj[t] = (zj[t] - mean) / sd;
    }
    if (constant)
        goto done; /* a correlation is undefined: NAN outputs, as prcomp(scale=TRUE) refuses */
    for (size_t j = 0; j < m; j++)
        for (size_t l = j; l < m; l++) {
            double s = 0;
            for (size_t t = 0; t < k; t++)
                s += z[t + j * k] * z[t + l * k];
            c[j + l * m] = c[l + j * m] = j == l ? 1.0 : s / (double)(k - 1);
        }
    /* the largest eigenpair: dsyevr with range 'I', il = iu = m (ascending order) */
    lapack_int mi = (lapack_int)m, found = 0, lwork = -1, liwork = -1, iq = 0, info_l;
    double wq = 0;
    double abstol = LAPACKE_dlamch('S');
    info_l = LAPACKE_dsyevr_work(LAPACK_COL_MAJOR, 'V', 'I', 'U', mi, c, mi, 0, 0, mi, mi, abstol,
                                 &found, w, v, mi, isuppz, &wq, lwork, &iq, liwork);
    if (info_l != 0) {
        st = qala_err__set(QALA_EDATA, "diag_pca: LAPACK dsyevr workspace query failed (%d)",
                           (int)info_l);
        goto done;
    }
    lwork = (lapack_int)wq;
    liwork = iq;
    work = qala_mem__calloc((size_t)lwork, sizeof *work);
    iwork = qala_mem__calloc((size_t)liwork, sizeof *iwork);
    if (!work || !iwork) {
        st = qala_err__set(QALA_ENOMEM, "diag_pca: out of memory (LAPACK workspace)");
        goto done;
    }
    info_l = LAPACKE_dsyevr_work(LAPACK_COL_MAJOR, 'V', 'I', 'U', mi, c, mi, 0, 0, mi, mi, abstol,
                                 &found, w, v, mi, isuppz, work, lwork, iwork, liwork);
    if (info_l != 0 || found != 1) {
        st = qala_err__set(QALA_EDATA, "diag_pca: LAPACK dsyevr failed to converge (%d)",
                           (int)info_l);
        goto done;
    }
    /* orientation: loadings sum to >= 0. A sum within rounding of 0 (loadings that
     * cancel, as (1, −1)/√2 for two opposed columns) has no meaningful sign: the first
     * nonzero loading is made positive and the weights are NAN (not ±1e16) */
    double sum = 0, abs_sum = 0;
    for (size_t j = 0; j < m; j++) {
        sum += v[j];
        abs_sum += fabs(v[j]);
    }
    int zero_sum = fabs(sum) <= 64 * DBL_EPSILON * abs_sum;
    int flip = sum < 0;
    if (zero_sum)
        for (size_t j = 0; j < m; j++)
            if (v[j] != 0) {
                flip = v[j] < 0;
                break;
            }
    if (flip) {
        for (size_t j = 0; j < m; j++)
            v[j] = -v[j];
        sum = -sum;
    }
    info->variance_share = w[0] / (double)m;
    for (size_t j = 0; j < m; j++) {
        info->n_negative += v[j] < 0;
        if (loadings)
            loadings[j] = v[j];
        if (weights)
            weights[j] = zero_sum ? NAN : v[j] / sum;
    }
done:
    qala_mem__free(iwork);
    qala_mem__free(work);
    qala_mem__free(isuppz);
    qala_mem__free(z);
    qala_mem__free(keep);
    return st;
}

/* ---- strengths and weaknesses ---- */

typedef struct col_rank {
    size_t rank;
    size_t col;
} col_rank;

static int cmp_best(const void *pa, const void *pb)
{
    const col_rank *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

static int cmp_worst(const void *pa, const void *pb)
{
    const col_rank *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank > b->rank ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

qala_status qala_diag_strengths(size_t *best, size_t *worst, size_t *count,
                                const double *scores, size_t n, size_t m, size_t ld,
                                size_t unit, size_t k)
{
    if (!count)
        return qala_err__set(QALA_EINVAL, "diag_strengths: count must not be NULL");
    *count = 0;
    qala_status st = check_matrix("diag_strengths", scores, n, m, ld);
    if (st != QALA_OK)
        return st;
    if (unit >= n)
        return qala_err__set(QALA_EINVAL, "diag_strengths: unit %zu is not among the %zu rows",
                             unit, n);
    col_rank *cr = qala_mem__calloc(m, sizeof *cr);
    if (!cr)
        return qala_err__set(QALA_ENOMEM, "diag_strengths: out of memory (%zu columns)", m);
    size_t scored = 0;
    for (size_t j = 0; j < m; j++) {
        const double *col = scores + j * ld;
        double u = col[unit];
        if (isnan(u))
            continue;
        /* rank with ties min, 1 = highest (qala_rank_min, QALA_RANK_DESC) */
        size_t rank = 1;
        for (size_t i = 0; i < n; i++)
            rank += !isnan(col[i]) && col[i] > u;
        cr[scored++] = (col_rank){rank, j};
    }
    size_t c = scored < k ? scored : k;
    if (best) {
        qsort(cr, scored, sizeof *cr, cmp_best);
        for (size_t t = 0; t < c; t++)
            best[t] = cr[t].col;
    }
    if (worst) {
        qsort(cr, scored, sizeof *cr, cmp_worst);
        for (size_t t = 0; t < c; t++)
            worst[t] = cr[t].col;
    }
    qala_mem__free(cr);
    *count = c;
    return QALA_OK;
}
