/* aggregate.c — the aggregation kernels of the composite-index engine (qala/aggregate.h).
 *
 * Place in the pipeline: after normalisation, the index tree is aggregated level by level
 * (indicators → pillars → sub-indices → index); the pipeline calls qala_agg_node once per
 * node of the tree with the columns of that node's children, and writes the result as a
 * new column of the next level. These kernels know nothing of codes, data sets or files:
 * they see an n × m block of doubles (NAN = missing), m weights and a method spec.
 *
 * Invariants: weights are renormalised over the non-missing children of each unit; a
 * unit whose share of non-missing children is below the availability threshold, or that
 * has no usable child, gets NAN and a flag; a value a method cannot take (<= 0 for the
 * geometric and harmonic means) is an error that names the unit and child indices, never
 * a silent NAN. Formulas and their sources: docs/methods-aggregate.md.
 *
 * Workload: n up to millions of units, m up to tens of children, called once per node of
 * the tree and again for every run of an uncertainty analysis: O(n·m) per call with no
 * allocation (mpi allocates one block of 2m doubles; copeland is O(n²·m)).
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "qala/aggregate.h"
#include "util/internal.h"
#include "util/simd.h"

static inline double weight(const double *w, size_t j) { return w ? w[j] : 1.0; }

static inline void mark(uint8_t *flags, size_t i, unsigned bit)
{
    if (flags)
        flags[i] |= (uint8_t)bit;
}

/* Decides whether unit i (children at xi, stride cs) is aggregated: 1 yes; 0 no (out[i]
 * is NAN and flagged); a negative status for a non-finite child (recorded). *wsum and *k
 * get the weight sum and count of its non-missing children. */
static int admit(double *out, uint8_t *flags, qala_agg_report *rep, size_t i,
                 const double *xi, size_t m, size_t cs, const double *w,
                 const qala_agg_spec *spec, double *wsum, size_t *k)
{
    size_t count = 0;
    double ws = 0;
    for (size_t j = 0; j < m; j++) {
        double v = xi[j * cs];
        if (isnan(v))
            continue;
        if (isinf(v)) {
            rep->unit = i;
            rep->child = j;
            return qala_err__set(QALA_EDATA,
                                 "aggregation: unit index %zu, child index %zu is %g, "
                                 "not a finite number", i, j, v);
        }
        count++;
        ws += weight(w, j);
    }
    *wsum = ws;
    *k = count;
    int ok = 1;
    /* COINr (Aggregate.data.frame): NA when sum(!is.na(x_row))/length(x_row) < dat_thresh. */
    if (m > 0 && (double)count / (double)m < spec->availability) {
        mark(flags, i, QALA_AGG_FLAG_LOW_AVAILABILITY);
        ok = 0;
    }
    if (count == 0 || !(ws > 0)) {
        mark(flags, i, QALA_AGG_FLAG_NO_DATA);
        ok = 0;
    }
    if (!ok)
        out[i] = NAN;
    return ok;
}

/* Records a child value the method refuses. */
static qala_status refuse(qala_agg_report *rep, size_t i, size_t j, double v,
                          const char *what, const qala_agg_spec *spec)
{
    rep->unit = i;
    rep->child = j;
    if (spec->offset > 0)
        return qala_err__set(QALA_EDATA,
                             "%s: unit index %zu, child index %zu is %g, %g after the "
                             "offset %g", what, i, j, v, v + spec->offset, spec->offset);
    return qala_err__set(QALA_EDATA,
                         "%s: unit index %zu, child index %zu is %g (set an offset or "
                         "choose another method)", what, i, j, v);
}

/* ---- the means: one pass to admit the unit, one to compute ---------------------- */

/* The per-unit loop of the arithmetic mean (any strides). */
static qala_status arithmetic_units(double *out, uint8_t *flags, qala_agg_report *rep,
                                    const double *x, size_t i0, size_t i1, size_t m, size_t us,
                                    size_t cs, const double *w, const qala_agg_spec *spec)
{
    for (size_t i = i0; i < i1; i++) {
        const double *xi = x + i * us;
        double ws = 0;
        size_t k = 0;
        int r = admit(out, flags, rep, i, xi, m, cs, w, spec, &ws, &k);
        if (r < 0)
            return r;
        if (r == 0)
            continue;
        double s = 0;
        for (size_t j = 0; j < m; j++)
            if (!isnan(xi[j * cs]))
                s += weight(w, j) * xi[j * cs];
        out[i] = s / ws;
    }
    return QALA_OK;
}

enum { CHUNK = 256 };

/* Units side by side (unit_stride 1, the columnar layout): a chunk of units at a time,
 * children in the outer loop, so that the inner loop runs along a column. Each unit's
 * sums are made in the same order (children ascending) as the per-unit loop, so the
 * results are the same to the bit; a chunk with a non-finite child goes through the
 * per-unit loop, which reports the first such value in unit order. */
QALA_VECTOR_CLONES
static qala_status agg_arithmetic(double *out, uint8_t *flags, qala_agg_report *rep,
                                  const double *x, size_t n, size_t m, size_t us, size_t cs,
                                  const double *w, const qala_agg_spec *spec)
{
    if (us != 1)
        return arithmetic_units(out, flags, rep, x, 0, n, m, us, cs, w, spec);
    double s[CHUNK], ws[CHUNK], cnt[CHUNK]; /* counts as doubles: exact below 2^53 */
    double redo[CHUNK];                      /* 1: the unit is summed again, skipping gaps */
    double wall = 0; /* the weights' sum in child order: ws of a unit with every child */
    for (size_t j = 0; j < m; j++)
        wall += weight(w, j);
    for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
        size_t len = n - i0 < CHUNK ? n - i0 : CHUNK;
        /* first the plain weighted sums: a unit with a missing (or infinite) child gets
         * NAN or ±inf here and is redone below with the missing children skipped */
        for (size_t i = 0; i < len; i++)
            s[i] = 0;
        for (size_t j = 0; j < m; j++) {
            const double *col = x + i0 + j * cs;
            double wj = weight(w, j);
            for (size_t i = 0; i < len; i++)
                s[i] += wj * col[i];
        }
        int gaps = 0;
        for (size_t i = 0; i < len; i++) {
            ws[i] = wall;
            cnt[i] = (double)m;
            gaps |= !isfinite(s[i]);
        }
        if (gaps) {
            for (size_t i = 0; i < len; i++) {
                redo[i] = isfinite(s[i]) ? 0.0 : 1.0;
                if (redo[i] != 0)
                    s[i] = ws[i] = cnt[i] = 0;
            }
            for (size_t j = 0; j < m; j++) {
                const double *col = x + i0 + j * cs;
                double wj = weight(w, j);
                for (size_t i = 0; i < len; i++) { /* branch-free, so that it vectorises */
                    double v = col[i];
                    int ok = redo[i] != 0 && v == v; /* adding 0.0 leaves a sum as it was */
                    s[i] += ok ? wj * v : 0.0;
                    ws[i] += ok ? wj : 0.0;
                    cnt[i] += ok ? 1.0 : 0.0;
                }
            }
        }
        /* an infinite child makes its unit's sum infinite or NAN */
        int bad = 0;
        for (size_t i = 0; i < len; i++)
            bad |= !isfinite(s[i]);
        if (bad) {
            qala_status st = arithmetic_units(out, flags, rep, x, i0, i0 + len, m, us, cs, w, spec);
            if (st != QALA_OK)
                return st;
            continue;
        }
        for (size_t i = 0; i < len; i++) {
            int ok = 1;
            if (m > 0 && (double)cnt[i] / (double)m < spec->availability) {
                mark(flags, i0 + i, QALA_AGG_FLAG_LOW_AVAILABILITY);
                ok = 0;
            }
            if (cnt[i] == 0 || !(ws[i] > 0)) {
                mark(flags, i0 + i, QALA_AGG_FLAG_NO_DATA);
                ok = 0;
            }
            out[i0 + i] = ok ? s[i] / ws[i] : NAN;
        }
    }
    return QALA_OK;
}

/* Geometric, harmonic and power means share the domain check and the offset. */
typedef enum mean_kind { MEAN_GEOMETRIC, MEAN_HARMONIC, MEAN_POWER } mean_kind;

QALA_VECTOR_CLONES
static qala_status agg_positive(double *out, uint8_t *flags, qala_agg_report *rep,
                                const double *x, size_t n, size_t m, size_t us, size_t cs,
                                const double *w, const qala_agg_spec *spec, mean_kind kind)
{
    const double c = spec->offset, p = spec->p;
    /* The power mean with p > 0 takes zeros (0^p = 0); every other case needs x > 0. */
    const int zero_ok = kind == MEAN_POWER && p > 0;
    char what[64];
    if (kind == MEAN_GEOMETRIC)
        strcpy(what, "geometric mean needs children > 0");
    else if (kind == MEAN_HARMONIC)
        strcpy(what, "harmonic mean needs children > 0");
    else
        snprintf(what, sizeof what, "power mean with p = %g needs children %s", p,
                 zero_ok ? ">= 0" : "> 0");
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * us;
        double ws = 0;
        size_t k = 0;
        int r = admit(out, flags, rep, i, xi, m, cs, w, spec, &ws, &k);
        if (r < 0)
            return r;
        if (r == 0)
            continue;
        double s = 0;
        int shifted = 0;
        for (size_t j = 0; j < m; j++) {
            double v = xi[j * cs];
            if (isnan(v))
                continue;
            double y = v + c;
            if (zero_ok ? !(y >= 0) : !(y > 0))
                return refuse(rep, i, j, v, what, spec);
            if (zero_ok ? v < 0 : v <= 0)
                shifted = 1;
            double wj = weight(w, j);
            if (kind == MEAN_GEOMETRIC)
                s += wj * log(y);
            else if (kind == MEAN_HARMONIC)
                s += wj / y;
            else
                s += wj * pow(y, p);
        }
        double mean;
        if (kind == MEAN_GEOMETRIC)
            mean = exp(s / ws);
        else if (kind == MEAN_HARMONIC)
            mean = ws / s;
        else
            mean = pow(s / ws, 1.0 / p);
        out[i] = mean - c;
        if (shifted) {
            mark(flags, i, QALA_AGG_FLAG_OFFSET);
            rep->n_offset++;
        }
    }
    return QALA_OK;
}

static qala_status agg_geometric(double *out, uint8_t *flags, qala_agg_report *rep,
                                 const double *x, size_t n, size_t m, size_t us, size_t cs,
                                 const double *w, const qala_agg_spec *spec)
{
    return agg_positive(out, flags, rep, x, n, m, us, cs, w, spec, MEAN_GEOMETRIC);
}

static qala_status agg_harmonic(double *out, uint8_t *flags, qala_agg_report *rep,
                                const double *x, size_t n, size_t m, size_t us, size_t cs,
                                const double *w, const qala_agg_spec *spec)
{
    return agg_positive(out, flags, rep, x, n, m, us, cs, w, spec, MEAN_HARMONIC);
}

static qala_status agg_power(double *out, uint8_t *flags, qala_agg_report *rep,
                             const double *x, size_t n, size_t m, size_t us, size_t cs,
                             const double *w, const qala_agg_spec *spec)
{
    return agg_positive(out, flags, rep, x, n, m, us, cs, w, spec, MEAN_POWER);
}

static qala_status agg_meanmin(double *out, uint8_t *flags, qala_agg_report *rep,
                               const double *x, size_t n, size_t m, size_t us, size_t cs,
                               const double *w, const qala_agg_spec *spec)
{
    const double a = spec->alpha, b = spec->beta;
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * us;
        double ws = 0;
        size_t k = 0;
        int r = admit(out, flags, rep, i, xi, m, cs, w, spec, &ws, &k);
        if (r < 0)
            return r;
        if (r == 0)
            continue;
        double s = 0, mn = INFINITY;
        for (size_t j = 0; j < m; j++) {
            double v = xi[j * cs];
            if (isnan(v))
                continue;
            s += weight(w, j) * v;
            if (v < mn)
                mn = v;
        }
        double mean = s / ws, d = mean - mn;
        out[i] = mean - a * (sqrt(d * d + b * b) - b);
    }
    return QALA_OK;
}

/* ---- methods over all units at once ---------------------------------------------- */

/* Copeland: sign(o_jk − ½) = sign(W> − W<), with W> (W<) the weight of the children
 * where j is above (below) k, over the children both units have: exact for integer
 * weights, free of the rounding of o_jk itself. */
static qala_status agg_copeland(double *out, uint8_t *flags, qala_agg_report *rep,
                                const double *x, size_t n, size_t m, size_t us, size_t cs,
                                const double *w, const qala_agg_spec *spec)
{
    for (size_t i = 0; i < n; i++) {
        double ws = 0;
        size_t k = 0;
        int r = admit(out, flags, rep, i, x + i * us, m, cs, w, spec, &ws, &k);
        if (r < 0)
            return r;
        if (r == 1)
            out[i] = 0;
    }
    for (size_t a = 0; a < n; a++) {
        if (isnan(out[a]))
            continue;
        const double *xa = x + a * us;
        for (size_t b = a + 1; b < n; b++) {
            if (isnan(out[b]))
                continue;
            const double *xb = x + b * us;
            double gt = 0, lt = 0;
            for (size_t j = 0; j < m; j++) {
                double va = xa[j * cs], vb = xb[j * cs];
                if (va > vb)
                    gt += weight(w, j);
                else if (va < vb)
                    lt += weight(w, j);
            }
            double s = (gt > lt) - (gt < lt);
            out[a] += s;
            out[b] -= s;
        }
    }
    return QALA_OK;
}

/* Mazziotta–Pareto: z = 100 + 10·(x − M_j)/S_j per child over the units that have it,
 * then per unit the weighted mean M_z and SD S_z of its z, and M_z − S_z·(S_z/M_z). */
static qala_status agg_mpi(double *out, uint8_t *flags, qala_agg_report *rep,
                           const double *x, size_t n, size_t m, size_t us, size_t cs,
                           const double *w, const qala_agg_spec *spec)
{
    const int sample = spec->mpi_sd == QALA_AGG_SD_SAMPLE;
    double *stat = m ? qala_mem__malloc(2 * m * sizeof *stat) : NULL;
    if (m && !stat)
        return qala_err__set(QALA_ENOMEM, "out of memory (Mazziotta-Pareto scratch)");
    double *colm = stat, *cols = stat + m;
    for (size_t j = 0; j < m; j++) {
        const double *xj = x + j * cs;
        double s = 0;
        size_t c = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(xj[i * us])) {
                s += xj[i * us];
                c++;
            }
        double mean = c ? s / (double)c : 0, ss = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(xj[i * us])) {
                double d = xj[i * us] - mean;
                ss += d * d;
            }
        size_t den = sample ? c - 1 : c;
        colm[j] = mean;
        cols[j] = (c > (size_t)sample) ? sqrt(ss / (double)den) : 0; /* 0: z = 100 */
    }
    qala_status st = QALA_OK;
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * us;
        double ws = 0;
        size_t k = 0;
        int r = admit(out, flags, rep, i, xi, m, cs, w, spec, &ws, &k);
        if (r < 0) {
            st = r;
            goto done;
        }
        if (r == 0)
            continue;
        double sz = 0;
        for (size_t j = 0; j < m; j++) {
            double v = xi[j * cs];
            if (!isnan(v))
                sz += weight(w, j) * (cols[j] > 0 ? 100 + 10 * (v - colm[j]) / cols[j] : 100);
        }
        double mz = sz / ws, vz = 0;
        for (size_t j = 0; j < m; j++) {
            double v = xi[j * cs];
            if (isnan(v))
                continue;
            double z = cols[j] > 0 ? 100 + 10 * (v - colm[j]) / cols[j] : 100;
            vz += weight(w, j) * (z - mz) * (z - mz);
        }
        vz /= ws;
        if (sample)
            vz = k > 1 ? vz * (double)k / (double)(k - 1) : 0;
        double sdz = sqrt(vz), cv = sdz / mz;
        out[i] = mz - sdz * cv;
    }
done:
    qala_mem__free(stat);
    return st;
}

/* ---- the table and the entry point ---------------------------------------------- */

static const qala_agg_method_info methods[QALA_AGG_METHOD_COUNT] = {
    {"arithmetic", QALA_AGG_ARITHMETIC, agg_arithmetic, 0, "a_amean"},
    {"geometric", QALA_AGG_GEOMETRIC, agg_geometric, QALA_AGG_POSITIVE, "a_gmean"},
    {"harmonic", QALA_AGG_HARMONIC, agg_harmonic, QALA_AGG_POSITIVE, "a_hmean"},
    {"power", QALA_AGG_POWER, agg_power, QALA_AGG_POSITIVE | QALA_AGG_PARAMS, "a_genmean"},
    {"copeland", QALA_AGG_COPELAND, agg_copeland, QALA_AGG_WHOLE, "a_copeland"},
    {"mpi", QALA_AGG_MPI, agg_mpi, QALA_AGG_WHOLE | QALA_AGG_PARAMS, NULL},
    {"meanmin", QALA_AGG_MEANMIN, agg_meanmin, QALA_AGG_PARAMS, NULL},
};

const qala_agg_method_info *qala_agg_methods(size_t *count)
{
    if (count)
        *count = QALA_AGG_METHOD_COUNT;
    return methods;
}

const char *qala_agg_method_code(qala_agg_method method)
{
    if ((unsigned)method >= QALA_AGG_METHOD_COUNT)
        return "?";
    return methods[method].name;
}

qala_status qala_agg_method_parse(qala_agg_method *out, const char *text)
{
    if (!out || !text)
        return qala_err__set(QALA_EINVAL, "aggregation method: no text");
    for (size_t i = 0; i < QALA_AGG_METHOD_COUNT; i++)
        if (strcmp(text, methods[i].name) == 0 ||
            (methods[i].coinr && strcmp(text, methods[i].coinr) == 0)) {
            *out = methods[i].method;
            return QALA_OK;
        }
    return qala_err__set(QALA_EINVAL,
                         "unknown aggregation method '%s' (expected arithmetic, geometric, "
                         "harmonic, power, copeland, mpi or meanmin)", text);
}

qala_status qala_agg_spec_check(const qala_agg_spec *spec)
{
    if (!spec)
        return qala_err__set(QALA_EINVAL, "aggregation: no method spec");
    if ((unsigned)spec->method >= QALA_AGG_METHOD_COUNT)
        return qala_err__set(QALA_EINVAL, "aggregation: method %d is not a known method",
                             (int)spec->method);
    if (!(spec->availability >= 0 && spec->availability <= 1))
        return qala_err__set(QALA_EINVAL, "aggregation: availability threshold %g is not "
                             "in [0, 1]", spec->availability);
    if (!(spec->offset >= 0 && isfinite(spec->offset)))
        return qala_err__set(QALA_EINVAL, "aggregation: offset %g is not a finite number "
                             ">= 0", spec->offset);
    if (spec->method == QALA_AGG_POWER && (!isfinite(spec->p) || spec->p == 0))
        return qala_err__set(QALA_EINVAL, "power mean: p = %g; expected a finite p != 0 "
                             "(p = 0 is the geometric mean)", spec->p);
    if (spec->method == QALA_AGG_MEANMIN &&
        !(spec->alpha >= 0 && spec->alpha <= 1 && spec->beta >= 0 && isfinite(spec->beta)))
        return qala_err__set(QALA_EINVAL, "mean-min: alpha = %g, beta = %g; expected "
                             "0 <= alpha <= 1 and a finite beta >= 0", spec->alpha, spec->beta);
    if ((unsigned)spec->mpi_sd > QALA_AGG_SD_SAMPLE)
        return qala_err__set(QALA_EINVAL, "Mazziotta-Pareto: unknown standard deviation "
                             "kind %d", (int)spec->mpi_sd);
    return QALA_OK;
}

qala_status qala_agg_node(double *out, uint8_t *flags, qala_agg_report *report,
                          const double *x, size_t n, size_t m, size_t unit_stride,
                          size_t child_stride, const double *w, const qala_agg_spec *spec)
{
    qala_agg_report local;
    qala_agg_report *rep = report ? report : &local;
    rep->n_missing = rep->n_offset = 0;
    rep->unit = rep->child = SIZE_MAX;
    qala_status st = qala_agg_spec_check(spec);
    if (st != QALA_OK)
        return st;
    if (n > 0 && !out)
        return qala_err__set(QALA_EINVAL, "aggregation: no output array");
    if (n > 0 && m > 0 && !x)
        return qala_err__set(QALA_EINVAL, "aggregation: no input values");
    if (n > 0 && m > 0 && ((n > 1 && unit_stride == 0) || (m > 1 && child_stride == 0)))
        return qala_err__set(QALA_EINVAL, "aggregation: a stride of 0 (unit stride %zu, "
                             "child stride %zu)", unit_stride, child_stride);
    for (size_t j = 0; w && j < m; j++)
        if (!(w[j] >= 0 && isfinite(w[j])))
            return qala_err__set(QALA_EINVAL, "aggregation: weight of child index %zu is "
                                 "%g; expected a finite number >= 0", j, w[j]);
    if (flags && n > 0)
        memset(flags, 0, n);
    st = methods[spec->method].fn(out, flags, rep, x, n, m, unit_stride, child_stride, w,
                                  spec);
    if (st != QALA_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        rep->n_missing += isnan(out[i]) != 0;
    return QALA_OK;
}

qala_status qala_agg_effective_weights(double *out, const size_t *parent, const double *w,
                                       size_t nnodes)
{
    if (nnodes == 0)
        return QALA_OK;
    if (!out || !parent || !w)
        return qala_err__set(QALA_EINVAL, "effective weights: missing array");
    for (size_t i = 0; i < nnodes; i++) {
        if (parent[i] != QALA_AGG_ROOT && parent[i] >= nnodes)
            return qala_err__set(QALA_EINVAL, "effective weights: parent %zu of node %zu "
                                 "is out of range (%zu nodes)", parent[i], i, nnodes);
        if (!(w[i] >= 0 && isfinite(w[i])))
            return qala_err__set(QALA_EINVAL, "effective weights: weight of node %zu is %g; "
                                 "expected a finite number >= 0", i, w[i]);
    }
    double *sum = qala_mem__calloc(nnodes, sizeof *sum);
    if (!sum)
        return qala_err__set(QALA_ENOMEM, "out of memory (effective weights)");
    qala_status st = QALA_OK;
    for (size_t i = 0; i < nnodes; i++)
        if (parent[i] != QALA_AGG_ROOT)
            sum[parent[i]] += w[i];
    for (size_t i = 0; i < nnodes; i++) {
        double e = 1;
        size_t node = i, steps = 0;
        while (parent[node] != QALA_AGG_ROOT) {
            if (++steps > nnodes) {
                st = qala_err__set(QALA_EINVAL, "effective weights: node %zu is on a cycle "
                                   "of parents", i);
                goto done;
            }
            size_t up = parent[node];
            if (!(sum[up] > 0)) {
                st = qala_err__set(QALA_EINVAL, "effective weights: the weights of the "
                                   "children of node %zu sum to 0", up);
                goto done;
            }
            e *= w[node] / sum[up];
            node = up;
        }
        out[i] = e;
    }
done:
    qala_mem__free(sum);
    return st;
}
