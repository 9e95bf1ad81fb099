/* src/classify_cluster.c — the numeric kernels of the typology from data
 * (include/qala/classify.h, docs/classify.md): standardisation of indicator profiles,
 * k-means, Ward's hierarchical clustering, and the comparison of two labelings (cross-table,
 * adjusted Rand index, cluster-to-label map).
 *
 * Place in the pipeline: the caller lays out a units × indicators matrix (the CLI reads it
 * from stored observations for one period), standardises it, clusters the complete rows and
 * compares the clusters with the official groups of the registry.
 * Invariants: no NAN ever enters a distance (standardisation marks incomplete rows, the
 * clustering kernels refuse NAN); labels are renumbered by first appearance, so equal
 * partitions give equal label vectors; the random generator is an explicit mt19937 seeded
 * by the caller whose state lives in our own block (gsl_rng_alloc would allocate behind the
 * allocation hook, see src/compare.c), so a result depends only on data, k, seed, restarts
 * and max_iter. Workload: cities and regions, n in the tens to hundreds, d below 50:
 * k-means O(R · iter · n k d); Ward O(n³) time with an n × n matrix.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "qala/classify.h"
#include "util/internal.h"

/* ---- standardisation ------------------------------------------------------------ */

qala_status qala_classify_standardise(double *z, uint8_t *keep, size_t *excluded, size_t *constant,
                                      const double *x, size_t n, size_t d)
{
    assert(z && keep && x);
    if (n == 0 || d == 0)
        return qala_err__set(QALA_EINVAL, "standardise: no units (%zu) or no indicators (%zu)", n, d);
    size_t nex = 0, ncon = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        keep[i] = 1;
        for (size_t j = 0; j < d; j++)
            if (!isfinite(x[i * d + j]))
                keep[i] = 0;
        nex += !keep[i];
        m += keep[i];
    }
    for (size_t j = 0; j < d; j++) {
        double mean = 0, ss = 0;
        size_t c = 0;
        for (size_t i = 0; i < n; i++) /* Welford: stable for large levels (populations) */
            if (keep[i]) {
                double v = x[i * d + j], delta = v - mean;
                mean += delta / (double)++c;
                ss += delta * (v - mean);
            }
        double sd = m > 1 ? sqrt(ss / (double)(m - 1)) : 0;
        int flat = !(sd > 0) || !isfinite(sd);
        ncon += (size_t)flat;
        for (size_t i = 0; i < n; i++)
            z[i * d + j] = !keep[i] ? NAN : flat ? 0 : (x[i * d + j] - mean) / sd;
    }
    if (excluded)
        *excluded = nex;
    if (constant)
        *constant = ncon;
    return QALA_OK;
}

/* ---- shared helpers ------------------------------------------------------------- */

static double sqdist(const double *a, const double *b, size_t d)
{
    double s = 0;
    for (size_t j = 0; j < d; j++) {
        double t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

/* Renumbers labels[0..n) by first appearance; map has k entries (scratch). Returns the
 * old label of each new label in order_out (k entries) when not NULL. */
static void relabel(size_t *labels, size_t n, size_t k, size_t *map, size_t *order_out)
{
    for (size_t c = 0; c < k; c++)
        map[c] = SIZE_MAX;
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        if (map[labels[i]] == SIZE_MAX) {
            if (order_out)
                order_out[next] = labels[i];
            map[labels[i]] = next++;
        }
        labels[i] = map[labels[i]];
    }
}

static qala_status check_matrix(const double *x, size_t n, size_t d, const char *what)
{
    if (!x || n == 0 || d == 0)
        return qala_err__set(QALA_EINVAL, "%s: expected a matrix with at least one unit and one "
                             "indicator (n %zu, d %zu)", what, n, d);
    if (n > SIZE_MAX / d / sizeof(double))
        return qala_err__set(QALA_EINVAL, "%s: matrix too large", what);
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(x[i]))
            return qala_err__set(QALA_EINVAL, "%s: value of unit %zu, indicator %zu is not a finite "
                                 "number (standardise and keep the complete rows first)",
                                 what, i / d, i % d);
    return QALA_OK;
}

/* ---- k-means -------------------------------------------------------------------- */

void qala_kmeans_result_free(qala_kmeans_result *r)
{
    if (!r)
        return;
    qala_mem__free(r->label);
    qala_mem__free(r->center);
    qala_mem__free(r->size);
    qala_mem__free(r);
}

typedef struct km_work {
    const double *x;
    size_t n, d, k;
    unsigned max_iter;
    gsl_rng *rng;
    double *center; /* k × d */
    double *dist;   /* n: squared distance to the nearest chosen seed */
    size_t *label;  /* n */
    size_t *size;   /* k */
} km_work;

/* k-means++ (Arthur & Vassilvitskii 2007): the first center uniformly, each next one with
 * probability proportional to the squared distance to the nearest center chosen. */
static void kmeanspp(km_work *w)
{
    const double *x = w->x;
    size_t n = w->n, d = w->d;
    size_t first = (size_t)gsl_rng_uniform_int(w->rng, n);
    memcpy(w->center, x + first * d, d * sizeof *x);
    for (size_t i = 0; i < n; i++)
        w->dist[i] = sqdist(x + i * d, w->center, d);
    for (size_t c = 1; c < w->k; c++) {
        double total = 0;
        for (size_t i = 0; i < n; i++)
            total += w->dist[i];
        size_t pick = 0;
        if (total > 0) {
            double r = gsl_rng_uniform(w->rng) * total, acc = 0;
            pick = n - 1;
            for (size_t i = 0; i < n; i++) {
                acc += w->dist[i];
                if (r < acc && w->dist[i] > 0) {
                    pick = i;
                    break;
                }
            }
        } else { /* every point sits on a center: take any */
            pick = (size_t)gsl_rng_uniform_int(w->rng, n);
        }
        double *cc = w->center + c * d;
        memcpy(cc, x + pick * d, d * sizeof *x);
        for (size_t i = 0; i < n; i++) {
            double t = sqdist(x + i * d, cc, d);
            if (t < w->dist[i])
                w->dist[i] = t;
        }
    }
}

/* Lloyd's iterations from the seeded centers. Returns the WCSS; *iter and *converged. An
 * emptied cluster takes the point farthest from its center. */
static double lloyd(km_work *w, unsigned *iter, int *converged)
{
    const double *x = w->x;
    size_t n = w->n, d = w->d, k = w->k;
    for (size_t i = 0; i < n; i++)
        w->label[i] = SIZE_MAX;
    *converged = 0;
    unsigned it;
    for (it = 1; it <= w->max_iter; it++) {
        int changed = 0;
        for (size_t i = 0; i < n; i++) {
            size_t best = 0;
            double bd = INFINITY;
            for (size_t c = 0; c < k; c++) {
                double t = sqdist(x + i * d, w->center + c * d, d);
                if (t < bd) {
                    bd = t;
                    best = c;
                }
            }
            w->dist[i] = bd;
            if (w->label[i] != best) {
                w->label[i] = best;
                changed = 1;
            }
        }
        memset(w->size, 0, k * sizeof *w->size);
        for (size_t i = 0; i < n; i++)
            w->size[w->label[i]]++;
        for (size_t c = 0; c < k; c++) {
            if (w->size[c] > 0)
                continue;
            /* an empty cluster takes the point farthest from its center among the clusters
             * of two or more (one exists: k <= n) */
            size_t far = SIZE_MAX;
            for (size_t i = 0; i < n; i++)
                if (w->size[w->label[i]] > 1 && (far == SIZE_MAX || w->dist[i] > w->dist[far]))
                    far = i;
            w->size[w->label[far]]--;
            w->label[far] = c;
            w->size[c] = 1;
            w->dist[far] = 0;
            changed = 1;
        }
        memset(w->center, 0, k * d * sizeof *w->center);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < d; j++)
                w->center[w->label[i] * d + j] += x[i * d + j];
        for (size_t c = 0; c < k; c++)
            for (size_t j = 0; j < d; j++)
                w->center[c * d + j] /= (double)w->size[c];
        if (!changed) {
            *converged = 1;
            break;
        }
    }
    *iter = it > w->max_iter ? w->max_iter : it;
    double wcss = 0;
    for (size_t i = 0; i < n; i++)
        wcss += sqdist(x + i * d, w->center + w->label[i] * d, d);
    return wcss;
}

qala_status qala_kmeans(qala_kmeans_result **out, const double *x, size_t n, size_t d,
                        const qala_kmeans_options *opt)
{
    assert(out);
    *out = NULL;
    if (!opt || opt->version != 1)
        return qala_err__set(QALA_EINVAL, "k-means: expected options of version 1");
    qala_status st = check_matrix(x, n, d, "k-means");
    if (st != QALA_OK)
        return st;
    size_t k = opt->k;
    if (k == 0 || k > n)
        return qala_err__set(QALA_EINVAL, "k-means: k = %zu clusters for %zu units: expected 1 to %zu",
                             k, n, n);
    if (opt->restarts == 0 || opt->max_iter == 0)
        return qala_err__set(QALA_EINVAL, "k-means: restarts (%u) and max_iter (%u) must be at least 1",
                             opt->restarts, opt->max_iter);
    const gsl_rng_type *type = gsl_rng_mt19937;
    size_t nd = 2 * k * d + 2 * n, nz = 2 * n + 3 * k;
    /* one block: centers, best centers, distances, labels, best labels, sizes ×2, map, order,
     * then the generator's state (aligned: it follows whole doubles and size_ts) */
    char *block = qala_mem__malloc(nd * sizeof(double) + nz * sizeof(size_t) + type->size);
    qala_kmeans_result *r = qala_mem__calloc(1, sizeof *r);
    if (r) {
        r->label = qala_mem__malloc(n * sizeof *r->label);
        r->center = qala_mem__malloc(k * d * sizeof *r->center);
        r->size = qala_mem__malloc(k * sizeof *r->size);
    }
    if (!block || !r || !r->label || !r->center || !r->size) {
        qala_mem__free(block);
        qala_kmeans_result_free(r);
        return qala_err__set(QALA_ENOMEM, "out of memory for k-means of %zu units", n);
    }
    double *center = (double *)block, *best_center = center + k * d, *dist = best_center + k * d;
    size_t *label = (size_t *)(dist + 2 * n), *best_label = label + n, *size = best_label + n;
    size_t *best_size = size + k, *map = best_size + k;
    gsl_rng rng = {type, map + k};
    gsl_rng_set(&rng, opt->seed);
    km_work w = {x, n, d, k, opt->max_iter, &rng, center, dist, label, size};
    double best = INFINITY;
    for (unsigned run = 0; run < opt->restarts; run++) {
        unsigned iter;
        int conv;
        kmeanspp(&w);
        double wcss = lloyd(&w, &iter, &conv);
        if (wcss < best) { /* strictly lower: the earliest run wins ties */
            best = wcss;
            memcpy(best_center, center, k * d * sizeof *center);
            memcpy(best_label, label, n * sizeof *label);
            memcpy(best_size, size, k * sizeof *size);
            r->iterations = iter;
            r->converged = conv;
            r->restart = run;
        }
    }
    size_t *order = label; /* scratch now: the old label of each new label */
    memcpy(r->label, best_label, n * sizeof *label);
    relabel(r->label, n, k, map, order);
    for (size_t c = 0; c < k; c++) {
        memcpy(r->center + c * d, best_center + order[c] * d, d * sizeof *center);
        r->size[c] = best_size[order[c]];
    }
    r->n = n;
    r->d = d;
    r->k = k;
    r->wcss = best;
    qala_mem__free(block);
    *out = r;
    return QALA_OK;
}

/* ---- Ward ----------------------------------------------------------------------- */

void qala_ward_result_free(qala_ward_result *r)
{
    if (!r)
        return;
    qala_mem__free(r->merge);
    qala_mem__free(r);
}

qala_status qala_ward(qala_ward_result **out, const double *x, size_t n, size_t d)
{
    assert(out);
    *out = NULL;
    qala_status st = check_matrix(x, n, d, "Ward clustering");
    if (st != QALA_OK)
        return st;
    if (n > 46000) /* n² doubles */
        return qala_err__set(QALA_EINVAL, "Ward clustering: %zu units is more than the 46000 this "
                             "O(n²) method handles", n);
    qala_ward_result *r = qala_mem__calloc(1, sizeof *r);
    double *dm = qala_mem__malloc(n * n * sizeof *dm);
    size_t *id = qala_mem__malloc(2 * n * sizeof *id), *sz = id ? id + n : NULL;
    if (r)
        r->merge = qala_mem__malloc(n * sizeof *r->merge);
    if (!r || !r->merge || !dm || !id) {
        qala_ward_result_free(r);
        qala_mem__free(dm);
        qala_mem__free(id);
        return qala_err__set(QALA_ENOMEM, "out of memory for Ward clustering of %zu units", n);
    }
    r->n = n;
    /* dm: squared Euclidean distances between active clusters (upper triangle used);
     * slot i holds cluster id[i] of sz[i] rows, or is inactive (sz 0) */
    for (size_t i = 0; i < n; i++) {
        id[i] = i;
        sz[i] = 1;
        for (size_t j = i + 1; j < n; j++)
            dm[i * n + j] = sqdist(x + i * d, x + j * d, d);
    }
    for (size_t m = 0; m + 1 < n; m++) {
        size_t bi = 0, bj = 0;
        double best = INFINITY;
        for (size_t i = 0; i < n; i++) {
            if (!sz[i])
                continue;
            for (size_t j = i + 1; j < n; j++)
                if (sz[j] && dm[i * n + j] < best) {
                    best = dm[i * n + j];
                    bi = i;
                    bj = j;
                }
        }
        /* Lance-Williams for Ward on squared distances: d(k, i∪j) =
         * ((nk+ni) d(k,i) + (nk+nj) d(k,j) - nk d(i,j)) / (nk+ni+nj) */
        double ni = (double)sz[bi], nj = (double)sz[bj];
        for (size_t q = 0; q < n; q++) {
            if (!sz[q] || q == bi || q == bj)
                continue;
            double nk = (double)sz[q];
            double dki = q < bi ? dm[q * n + bi] : dm[bi * n + q];
            double dkj = q < bj ? dm[q * n + bj] : dm[bj * n + q];
            double v = ((nk + ni) * dki + (nk + nj) * dkj - nk * best) / (nk + ni + nj);
            *(q < bi ? &dm[q * n + bi] : &dm[bi * n + q]) = v;
        }
        qala_ward_merge *mg = &r->merge[m];
        mg->a = id[bi] < id[bj] ? id[bi] : id[bj];
        mg->b = id[bi] < id[bj] ? id[bj] : id[bi];
        mg->height = sqrt(best > 0 ? best : 0);
        mg->size = sz[bi] + sz[bj];
        id[bi] = n + m;
        sz[bi] += sz[bj];
        sz[bj] = 0;
    }
    qala_mem__free(dm);
    qala_mem__free(id);
    *out = r;
    return QALA_OK;
}

qala_status qala_ward_cut(size_t *label, const qala_ward_result *r, size_t k)
{
    assert(label && r);
    size_t n = r->n;
    if (k == 0 || k > n)
        return qala_err__set(QALA_EINVAL, "Ward cut: k = %zu clusters for %zu units: expected 1 to %zu",
                             k, n, n);
    /* replay the first n - k merges: each row carries the id of its current cluster */
    for (size_t i = 0; i < n; i++)
        label[i] = i;
    for (size_t m = 0; m + k < n; m++) {
        const qala_ward_merge *mg = &r->merge[m];
        for (size_t i = 0; i < n; i++)
            if (label[i] == mg->a || label[i] == mg->b)
                label[i] = n + m;
    }
    /* renumber by first appearance without scratch memory: O(n²), fine for Ward's sizes */
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        if (label[i] < SIZE_MAX / 2) {
            size_t old = label[i];
            for (size_t j = i; j < n; j++)
                if (label[j] == old)
                    label[j] = SIZE_MAX - next; /* mark as done, keep the new number */
            next++;
        }
    }
    for (size_t i = 0; i < n; i++)
        label[i] = SIZE_MAX - label[i];
    return QALA_OK;
}

/* ---- comparison ----------------------------------------------------------------- */

void qala_crosstab_free(qala_crosstab *t)
{
    if (!t)
        return;
    qala_mem__free(t->count);
    qala_mem__free(t);
}

qala_status qala_crosstab_new(qala_crosstab **out, const size_t *a, const size_t *b, size_t n)
{
    assert(out);
    *out = NULL;
    if (!a || !b || n == 0)
        return qala_err__set(QALA_EINVAL, "cross-table: expected two labelings of at least one unit");
    size_t ka = 0, kb = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] >= n || b[i] >= n)
            return qala_err__set(QALA_EINVAL, "cross-table: label %zu of unit %zu is not below the "
                                 "number of units (%zu)", a[i] >= n ? a[i] : b[i], i, n);
        ka = a[i] + 1 > ka ? a[i] + 1 : ka;
        kb = b[i] + 1 > kb ? b[i] + 1 : kb;
    }
    qala_crosstab *t = qala_mem__calloc(1, sizeof *t);
    if (t)
        t->count = qala_mem__calloc(ka * kb, sizeof *t->count);
    if (!t || !t->count) {
        qala_crosstab_free(t);
        return qala_err__set(QALA_ENOMEM, "out of memory for a %zu × %zu cross-table", ka, kb);
    }
    t->ka = ka;
    t->kb = kb;
    t->n = n;
    for (size_t i = 0; i < n; i++)
        t->count[a[i] * kb + b[i]]++;
    *out = t;
    return QALA_OK;
}

static double comb2(size_t m)
{
    return (double)m * ((double)m - 1) / 2;
}

double qala_crosstab_ari(const qala_crosstab *t)
{
    assert(t);
    double sij = 0, sa = 0, sb = 0;
    for (size_t i = 0; i < t->ka; i++) {
        size_t row = 0;
        for (size_t j = 0; j < t->kb; j++) {
            sij += comb2(t->count[i * t->kb + j]);
            row += t->count[i * t->kb + j];
        }
        sa += comb2(row);
    }
    for (size_t j = 0; j < t->kb; j++) {
        size_t col = 0;
        for (size_t i = 0; i < t->ka; i++)
            col += t->count[i * t->kb + j];
        sb += comb2(col);
    }
    double total = comb2(t->n);
    double expected = total > 0 ? sa * sb / total : 0;
    double maxidx = (sa + sb) / 2;
    if (maxidx - expected == 0)
        return 1.0;
    return (sij - expected) / (maxidx - expected);
}

void qala_crosstab_map(size_t *map, const qala_crosstab *t)
{
    assert(map && t);
    for (size_t i = 0; i < t->ka; i++) {
        size_t best = 0;
        for (size_t j = 1; j < t->kb; j++)
            if (t->count[i * t->kb + j] > t->count[i * t->kb + best])
                best = j;
        map[i] = best;
    }
}

qala_status qala_adjusted_rand(double *out, const size_t *a, const size_t *b, size_t n)
{
    assert(out);
    qala_crosstab *t;
    qala_status st = qala_crosstab_new(&t, a, b, n);
    if (st != QALA_OK)
        return st;
    *out = qala_crosstab_ari(t);
    qala_crosstab_free(t);
    return QALA_OK;
}
