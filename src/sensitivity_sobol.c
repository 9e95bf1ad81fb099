/* src/sensitivity_sobol.c — the numerical kernels of the variance-based sensitivity
 * analysis: the Saltelli design from GSL's Sobol sequence, and the first-order (Saltelli
 * 2010) and total (Jansen 1999) estimators with bootstrap intervals (METHODS.md §2,
 * docs/sensitivity.md).
 *
 * Place: the analysis (sensitivity_run.c) asks for the design before its runs and for the
 * indices after them; the tests call both directly on analytic functions (Ishigami, the
 * Sobol G-function). Invariants: the design depends on n and d only (GSL's Sobol sequence
 * is deterministic); the bootstrap on the seed only; GSL's generators are built on state
 * blocks of our own (gsl_qrng_alloc and gsl_rng_alloc would call malloc behind the
 * allocation hook). GSL's Sobol generator supports at most 40 dimensions and does not
 * say so when asked for more: the design refuses 2d > 40 itself.
 * Workload: the design is O(n·d²); the indices O(B·n·d) for B resamples (B = 1000,
 * n = 1000, d = 4: a few milliseconds).
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "qala/sensitivity.h"
#include "util/internal.h"

qala_status qala_sobol_design(double *x, size_t n, size_t d)
{
    assert(x || n == 0);
    if (d == 0)
        return qala_err__set(QALA_EINVAL, "a Sobol design needs at least one factor");
    if (d > QALA_SOBOL_MAX_DIM / 2)
        return qala_err__set(QALA_EINVAL, "a Sobol design of %zu factors needs %zu dimensions, "
                             "but GSL's Sobol sequence has at most %d (at most %d factors)",
                             d, 2 * d, QALA_SOBOL_MAX_DIM, QALA_SOBOL_MAX_DIM / 2);
    const gsl_qrng_type *type = gsl_qrng_sobol;
    unsigned dim = (unsigned)(2 * d);
    size_t state = type->state_size(dim);
    double *pt = qala_mem__malloc(2 * d * sizeof *pt + state);
    if (!pt)
        return qala_err__set(QALA_ENOMEM, "out of memory (Sobol design)");
    gsl_qrng q = {type, dim, state, pt + 2 * d};
    gsl_qrng_init(&q);
    /* GSL's first point is not the origin already (it starts at 0.5, ...); nothing to
     * skip beyond what the generator does */
    size_t runs = d + 2;
    for (size_t i = 0; i < n; i++) {
        gsl_qrng_get(&q, pt);
        double *a = x + i * runs * d;
        memcpy(a, pt, d * sizeof *a);                /* A_i */
        memcpy(a + d, pt + d, d * sizeof *a);        /* B_i */
        for (size_t j = 0; j < d; j++) {              /* A_B^j: A_i with column j of B_i */
            double *r = a + (2 + j) * d;
            memcpy(r, pt, d * sizeof *r);
            r[j] = pt[d + j];
        }
    }
    qala_mem__free(pt);
    return QALA_OK;
}

/* Estimates over the rows idx[0..n) (or 0..n when idx is NULL): si and st have d values. */
static void estimate(double *si, double *st, const double *y, size_t n, size_t d,
                     const size_t *idx)
{
    size_t runs = d + 2;
    double mean = 0;
    for (size_t k = 0; k < n; k++) {
        const double *r = y + (idx ? idx[k] : k) * runs;
        mean += r[0] + r[1];
    }
    mean /= (double)(2 * n);
    double var = 0;
    for (size_t k = 0; k < n; k++) {
        const double *r = y + (idx ? idx[k] : k) * runs;
        var += (r[0] - mean) * (r[0] - mean) + (r[1] - mean) * (r[1] - mean);
    }
    var /= (double)(2 * n - 1);
    for (size_t j = 0; j < d; j++) {
        double s1 = 0, s2 = 0;
        for (size_t k = 0; k < n; k++) {
            const double *r = y + (idx ? idx[k] : k) * runs;
            double ya = r[0], yb = r[1], yab = r[2 + j];
            s1 += yb * (yab - ya);
            s2 += (ya - yab) * (ya - yab);
        }
        if (var > 0) {
            si[j] = s1 / (double)n / var;
            st[j] = s2 / (double)(2 * n) / var;
        } else {
            si[j] = st[j] = NAN;
        }
    }
}

qala_status qala_sobol_indices(qala_sobol_index *out, const double *y, size_t n, size_t d,
                               size_t bootstrap, unsigned long seed)
{
    assert(out && (y || n == 0));
    if (d == 0)
        return qala_err__set(QALA_EINVAL, "Sobol indices need at least one factor");
    for (size_t i = 0; i < n * (d + 2); i++)
        if (!isfinite(y[i]))
            return qala_err__set(QALA_EINVAL, "Sobol indices: output of run %zu is not finite",
                                 i);
    for (size_t j = 0; j < d; j++)
        out[j] = (qala_sobol_index){NAN, NAN, NAN, NAN, NAN, NAN};
    if (n < 2)
        return QALA_OK;
    const gsl_rng_type *type = gsl_rng_mt19937;
    size_t nb = bootstrap;
    size_t bytes = 4 * d * sizeof(double) + n * sizeof(size_t) + 2 * nb * d * sizeof(double) +
                   type->size + 64;
    double *si = qala_mem__malloc(bytes);
    if (!si)
        return qala_err__set(QALA_ENOMEM, "out of memory (Sobol indices)");
    double *st = si + d, *tsi = si + 2 * d, *tst = si + 3 * d;
    double *bs = si + 4 * d;      /* nb × d first-order estimates, factor-major */
    double *bt = bs + nb * d;     /* nb × d total */
    size_t *idx = (size_t *)(void *)(bt + nb * d);
    void *state = (char *)si + ((bytes - type->size - 16) & ~(size_t)15);
    estimate(si, st, y, n, d, NULL);
    for (size_t j = 0; j < d; j++) {
        out[j].first = si[j];
        out[j].total = st[j];
    }
    if (nb > 0 && isfinite(si[0])) {
        gsl_rng rng = {type, state};
        gsl_rng_set(&rng, seed);
        size_t ok = 0;
        for (size_t b = 0; b < nb; b++) {
            for (size_t k = 0; k < n; k++)
                idx[k] = (size_t)gsl_rng_uniform_int(&rng, n);
            estimate(tsi, tst, y, n, d, idx);
            if (!isfinite(tsi[0]))
                continue; /* a resample of equal outputs: no variance */
            for (size_t j = 0; j < d; j++) {
                bs[j * nb + ok] = tsi[j];
                bt[j * nb + ok] = tst[j];
            }
            ok++;
        }
        for (size_t j = 0; ok > 0 && j < d; j++) {
            gsl_sort(bs + j * nb, 1, ok);
            gsl_sort(bt + j * nb, 1, ok);
            out[j].first_lo = gsl_stats_quantile_from_sorted_data(bs + j * nb, 1, ok, 0.05);
            out[j].first_hi = gsl_stats_quantile_from_sorted_data(bs + j * nb, 1, ok, 0.95);
            out[j].total_lo = gsl_stats_quantile_from_sorted_data(bt + j * nb, 1, ok, 0.05);
            out[j].total_hi = gsl_stats_quantile_from_sorted_data(bt + j * nb, 1, ok, 0.95);
        }
    }
    qala_mem__free(si);
    return QALA_OK;
}
