/* src/normalise.c — the normalisation kernels of the composite index: twelve methods
 * (minmax, zscore, scaled, goalposts, dist2targ, dist2max, dist2ref, fracmax, rank,
 * borda, prank, none), an optional transform before them, the indicator's direction,
 * and parameters pooled over several columns for panel data.
 *
 * Place in the pipeline: after outlier treatment, before aggregation; the pipeline calls
 * qala_normalise once per indicator (or params_add per period, then apply per period).
 * Formulas, their sources (../shared/design/METHODS.md §1, COINr's n_* functions) and
 * where COINr's code and documentation differ: docs/methods-normalise.md. Operations are
 * written in COINr's order so that results agree with its outputs to rounding.
 * Invariants: a value goes through prep() (transform, then direction) before anything
 * else; statistics ignore missing values; a score that cannot be computed is NAN with a
 * qala_norm_flag bit, never an error; specs are checked before any write to out.
 * Workload: columns of tens to ~10^5 units; two passes (statistics, scores), O(n), no
 * allocation, except the rank methods: one scratch array and an O(n log n) sort.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "qala/normalise.h"
#include "qala/rank.h"
#include "util/internal.h"
#include "util/simd.h"

typedef void (*norm_fn)(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                        int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                        unsigned *flags);

/* ---- the value before the method: transform, then direction ----------------------- */

static inline double prep(double v, int dir, const qala_normalise_spec *s, unsigned *flags)
{
    switch (s->transform) {
    case QALA_NORM_TF_NONE:
        break;
    case QALA_NORM_TF_LOG:
        if (v <= 0) {
            *flags |= QALA_NORM_DOMAIN;
            return NAN;
        }
        v = log(v);
        break;
    case QALA_NORM_TF_LOG10:
        if (v <= 0) {
            *flags |= QALA_NORM_DOMAIN;
            return NAN;
        }
        v = log10(v);
        break;
    case QALA_NORM_TF_CAP:
        if (!isnan(s->cap_lo) && v < s->cap_lo)
            v = s->cap_lo;
        if (!isnan(s->cap_hi) && v > s->cap_hi)
            v = s->cap_hi;
        break;
    default:
        break;
    }
    return dir < 0 ? -v : v;
}

static void fill_nan(double *out, size_t ostride, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i * ostride] = NAN;
}

/* ---- methods (each one loop; degenerate statistics give NAN and a flag) ------------- */

QALA_VECTOR_CLONES
static void norm_minmax(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                        int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                        unsigned *flags)
{
    double lo = p->min, hi = p->max, l = s->lower, u = s->upper;
    if (lo == hi) {
        *flags |= QALA_NORM_ZERO_RANGE;
        return fill_nan(out, ostride, n);
    }
    if (s->transform == QALA_NORM_TF_NONE && stride == 1 && ostride == 1) {
        /* the hot case, the same arithmetic without the per-value transform switch */
        double range = hi - lo, span = u - l;
        if (dir < 0)
            for (size_t i = 0; i < n; i++)
                out[i] = (-x[i] - lo) / range * span + l;
        else
            for (size_t i = 0; i < n; i++)
                out[i] = (x[i] - lo) / range * span + l; /* vectorised (CMakeLists.txt) */
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i * ostride] = (prep(x[i * stride], dir, s, flags) - lo) / (hi - lo) * (u - l) + l;
}

static void norm_zscore(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                        int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                        unsigned *flags)
{
    if (p->count < 2) {
        *flags |= QALA_NORM_TOO_FEW;
        return fill_nan(out, ostride, n);
    }
    double mean = p->mean, sd = qala_normalise_params_sd(p);
    if (sd == 0) {
        *flags |= QALA_NORM_ZERO_RANGE;
        return fill_nan(out, ostride, n);
    }
    for (size_t i = 0; i < n; i++)
        out[i * ostride] = (prep(x[i * stride], dir, s, flags) - mean) / sd * s->sd + s->mean;
}

static void norm_scaled(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                        int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                        unsigned *flags)
{
    (void)p;
    for (size_t i = 0; i < n; i++)
        out[i * ostride] = (prep(x[i * stride], dir, s, flags) - s->lower) / (s->upper - s->lower) * s->factor;
}

static void norm_goalposts(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                           int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                           unsigned *flags)
{
    (void)p;
    /* x arrives multiplied by dir, so the goalposts are too; for dir -1 the formula runs
     * from the (flipped) upper post: (x' - u')/(l' - u') = (u - x)/(u - l). */
    double l = dir * s->lower, u = dir * s->upper;
    for (size_t i = 0; i < n; i++) {
        double v = prep(x[i * stride], dir, s, flags);
        double y = dir > 0 ? (v - l) / (u - l) : (v - u) / (l - u);
        if (s->trunc) {
            if (y > 1)
                y = 1;
            if (y < 0)
                y = 0;
        }
        out[i * ostride] = y * s->factor;
    }
}

static void norm_dist2targ(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                           int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                           unsigned *flags)
{
    double lo = p->min, t = dir * s->target;
    if (t == lo) {
        *flags |= QALA_NORM_ZERO_RANGE;
        return fill_nan(out, ostride, n);
    }
    if (t < lo)
        *flags |= QALA_NORM_TARGET_OUTSIDE;
    for (size_t i = 0; i < n; i++) {
        double y = (prep(x[i * stride], dir, s, flags) - lo) / (t - lo);
        out[i * ostride] = s->cap && y > 1 ? 1 : y;
    }
}

static void norm_dist2max(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                          int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                          unsigned *flags)
{
    double lo = p->min, hi = p->max;
    if (lo == hi) {
        *flags |= QALA_NORM_ZERO_RANGE;
        return fill_nan(out, ostride, n);
    }
    for (size_t i = 0; i < n; i++)
        out[i * ostride] = 1 - (hi - prep(x[i * stride], dir, s, flags)) / (hi - lo);
}

static void norm_dist2ref(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                          int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                          unsigned *flags)
{
    double lo = p->min, ref = p->ref;
    if (isnan(ref)) {
        *flags |= QALA_NORM_REF_MISSING;
        return fill_nan(out, ostride, n);
    }
    if (ref == lo) {
        *flags |= QALA_NORM_ZERO_RANGE;
        return fill_nan(out, ostride, n);
    }
    for (size_t i = 0; i < n; i++) {
        double y = 1 - (ref - prep(x[i * stride], dir, s, flags)) / (ref - lo);
        out[i * ostride] = s->cap && y > 1 ? 1 : y;
    }
}

static void norm_fracmax(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                         int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                         unsigned *flags)
{
    double hi = p->max;
    if (hi == 0) {
        *flags |= QALA_NORM_ZERO_RANGE;
        return fill_nan(out, ostride, n);
    }
    for (size_t i = 0; i < n; i++)
        out[i * ostride] = prep(x[i * stride], dir, s, flags) / hi;
}

static void norm_none(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                      int dir, const qala_normalise_spec *s, const qala_normalise_params *p,
                      unsigned *flags)
{
    (void)p;
    for (size_t i = 0; i < n; i++)
        out[i * ostride] = prep(x[i * stride], dir, s, flags);
}

/* ---- the table ---------------------------------------------------------------------- */

#define MM QALA_NORM_USES_MINMAX
static const qala_normalise_method_info method_info[QALA_NORM_METHOD_COUNT] = {
    {"minmax", QALA_NORM_MINMAX, MM},
    {"zscore", QALA_NORM_ZSCORE, QALA_NORM_USES_MOMENTS},
    {"scaled", QALA_NORM_SCALED, QALA_NORM_FIXED},
    {"goalposts", QALA_NORM_GOALPOSTS, QALA_NORM_FIXED},
    {"dist2targ", QALA_NORM_DIST2TARG, MM},
    {"dist2max", QALA_NORM_DIST2MAX, MM},
    {"dist2ref", QALA_NORM_DIST2REF, MM | QALA_NORM_USES_REF},
    {"fracmax", QALA_NORM_FRACMAX, MM},
    {"rank", QALA_NORM_RANK, QALA_NORM_USES_RANKS},
    {"borda", QALA_NORM_BORDA, QALA_NORM_USES_RANKS},
    {"prank", QALA_NORM_PRANK, QALA_NORM_USES_RANKS},
    {"none", QALA_NORM_NONE, QALA_NORM_FIXED},
};
#undef MM

/* Kernels in enum order; NULL for the rank methods (qala_normalise handles them). */
static const norm_fn method_fn[QALA_NORM_METHOD_COUNT] = {
    norm_minmax, norm_zscore, norm_scaled, norm_goalposts, norm_dist2targ, norm_dist2max,
    norm_dist2ref, norm_fracmax, NULL, NULL, NULL, norm_none,
};

static const char *const transform_names[QALA_NORM_TF_COUNT] = {"none", "log", "log10", "cap"};

const qala_normalise_method_info *qala_normalise_methods(size_t *count)
{
    if (count)
        *count = QALA_NORM_METHOD_COUNT;
    return method_info;
}

const char *qala_normalise_method_name(qala_normalise_method method)
{
    return (unsigned)method < QALA_NORM_METHOD_COUNT ? method_info[method].name : "?";
}

qala_status qala_normalise_method_parse(qala_normalise_method *out, const char *name)
{
    for (size_t i = 0; i < QALA_NORM_METHOD_COUNT; i++)
        if (strcmp(name, method_info[i].name) == 0) {
            *out = method_info[i].method;
            return QALA_OK;
        }
    return qala_err__set(QALA_EINVAL,
                         "unknown normalisation method '%s' (expected one of minmax, zscore, scaled, "
                         "goalposts, dist2targ, dist2max, dist2ref, fracmax, rank, borda, prank, none)",
                         name);
}

const char *qala_normalise_transform_name(qala_normalise_transform transform)
{
    return (unsigned)transform < QALA_NORM_TF_COUNT ? transform_names[transform] : "?";
}

qala_status qala_normalise_transform_parse(qala_normalise_transform *out, const char *name)
{
    for (size_t i = 0; i < QALA_NORM_TF_COUNT; i++)
        if (strcmp(name, transform_names[i]) == 0) {
            *out = (qala_normalise_transform)i;
            return QALA_OK;
        }
    return qala_err__set(QALA_EINVAL,
                         "unknown normalisation transform '%s' (expected one of none, log, log10, cap)", name);
}

/* ---- specs -------------------------------------------------------------------------- */

void qala_normalise_spec_init(qala_normalise_spec *spec, qala_normalise_method method)
{
    memset(spec, 0, sizeof *spec);
    spec->method = method;
    spec->lower = 0;
    spec->upper = 100;
    spec->mean = 0;
    spec->sd = 1;
    spec->factor = 100;
    spec->target = NAN;
    spec->ref = 0;
    spec->trunc = 1;
    spec->cap = 0;
    spec->transform = QALA_NORM_TF_NONE;
    spec->cap_lo = NAN;
    spec->cap_hi = NAN;
    if (method == QALA_NORM_GOALPOSTS) {
        spec->upper = 1;
        spec->factor = 1;
    }
}

static qala_status check_bounds(const char *name, double l, double u)
{
    if (!isfinite(l) || !isfinite(u))
        return qala_err__set(QALA_EINVAL, "normalise %s: lower and upper must be finite numbers", name);
    if (l >= u)
        return qala_err__set(QALA_EINVAL, "normalise %s: lower (%g) must be below upper (%g)", name, l, u);
    return QALA_OK;
}

qala_status qala_normalise_spec_check(const qala_normalise_spec *spec, int direction)
{
    if (direction != 1 && direction != -1)
        return qala_err__set(QALA_EINVAL, "normalise: direction must be 1 or -1, not %d", direction);
    if ((unsigned)spec->method >= QALA_NORM_METHOD_COUNT)
        return qala_err__set(QALA_EINVAL, "normalise: unknown method %d", (int)spec->method);
    const char *name = method_info[spec->method].name;
    switch (spec->transform) {
    case QALA_NORM_TF_NONE:
    case QALA_NORM_TF_LOG:
    case QALA_NORM_TF_LOG10:
        break;
    case QALA_NORM_TF_CAP:
        if (isnan(spec->cap_lo) && isnan(spec->cap_hi))
            return qala_err__set(QALA_EINVAL, "normalise %s: the cap transform needs cap_lo or cap_hi", name);
        if (spec->cap_lo > spec->cap_hi)
            return qala_err__set(QALA_EINVAL, "normalise %s: cap_lo (%g) must not be above cap_hi (%g)",
                                 name, spec->cap_lo, spec->cap_hi);
        break;
    default:
        return qala_err__set(QALA_EINVAL, "normalise %s: unknown transform %d", name, (int)spec->transform);
    }
    switch (spec->method) {
    case QALA_NORM_MINMAX:
        return check_bounds(name, spec->lower, spec->upper);
    case QALA_NORM_ZSCORE:
        if (!isfinite(spec->mean))
            return qala_err__set(QALA_EINVAL, "normalise zscore: mean must be a finite number");
        if (!(spec->sd > 0) || !isfinite(spec->sd))
            return qala_err__set(QALA_EINVAL, "normalise zscore: sd must be a positive number, not %g", spec->sd);
        return QALA_OK;
    case QALA_NORM_SCALED:
    case QALA_NORM_GOALPOSTS: {
        qala_status st = check_bounds(name, spec->lower, spec->upper);
        if (st != QALA_OK)
            return st;
        if (!isfinite(spec->factor))
            return qala_err__set(QALA_EINVAL, "normalise %s: %s must be a finite number", name,
                                 spec->method == QALA_NORM_SCALED ? "factor" : "scale");
        return QALA_OK;
    }
    case QALA_NORM_DIST2TARG:
        if (!isfinite(spec->target))
            return qala_err__set(QALA_EINVAL, "normalise dist2targ: target must be a finite number");
        return QALA_OK;
    default:
        return QALA_OK;
    }
}

/* ---- parameters --------------------------------------------------------------------- */

void qala_normalise_params_init(qala_normalise_params *params)
{
    params->count = 0;
    params->seen = 0;
    params->min = NAN;
    params->max = NAN;
    params->mean = 0;
    params->m2 = 0;
    params->ref = NAN;
    params->flags = 0;
}

double qala_normalise_params_sd(const qala_normalise_params *params)
{
    return params->count < 2 ? NAN : sqrt(params->m2 / (double)(params->count - 1));
}

static qala_status check_call(const qala_normalise_spec *spec, int direction, size_t stride,
                              size_t ostride)
{
    if (stride == 0 || ostride == 0)
        return qala_err__set(QALA_EINVAL, "normalise: stride and ostride must be at least 1");
    return qala_normalise_spec_check(spec, direction);
}

QALA_VECTOR_CLONES
qala_status qala_normalise_params_add(qala_normalise_params *params, const double *x, size_t stride,
                                      size_t n, int direction, const qala_normalise_spec *spec)
{
    qala_status st = check_call(spec, direction, stride, 1);
    if (st != QALA_OK)
        return st;
    int want_ref = spec->method == QALA_NORM_DIST2REF;
    int moments = (method_info[spec->method].flags & QALA_NORM_USES_MOMENTS) != 0;
    unsigned flags = 0;
    size_t nb = 0;
    double mn = params->min, mx = params->max;
    size_t first = 0; /* where the general loop starts */
    if (params->count == 0) {
        /* min and max start at the first present value */
        unsigned f0 = 0;
        for (; first < n; first++) {
            double v = prep(x[first * stride], direction, spec, &f0);
            if (!isnan(v)) {
                mn = mx = v;
                break;
            }
        }
        first = 0;
    }
    if (spec->transform == QALA_NORM_TF_NONE && !want_ref) {
        /* the hot case: no transform, no reference; branch-free so that it vectorises
         * (a NAN fails both comparisons and is not counted) */
        double sign = direction < 0 ? -1.0 : 1.0;
        for (size_t i = 0; i < n; i++) {
            double v = sign * x[i * stride];
            nb += v == v;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        first = n;
    }
    for (size_t i = first; i < n; i++) {
        double v = prep(x[i * stride], direction, spec, &flags);
        if (want_ref && params->seen + i == spec->ref)
            params->ref = v;
        if (isnan(v))
            continue;
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
        nb++;
    }
    if (nb > 0 && moments) {
        /* two passes: R's corrected mean, then the squared deviations */
        double sum = 0, resid = 0, m2_b = 0;
        unsigned f2 = 0;
        for (size_t i = 0; i < n; i++) {
            double v = prep(x[i * stride], direction, spec, &f2);
            if (!isnan(v))
                sum += v;
        }
        double mean_b = sum / (double)nb;
        for (size_t i = 0; i < n; i++) {
            double v = prep(x[i * stride], direction, spec, &f2);
            if (!isnan(v))
                resid += v - mean_b;
        }
        mean_b += resid / (double)nb;
        for (size_t i = 0; i < n; i++) {
            double v = prep(x[i * stride], direction, spec, &f2);
            if (!isnan(v))
                m2_b += (v - mean_b) * (v - mean_b);
        }
        /* merge with what was added before (Chan, Golub and LeVeque 1979) */
        double na = (double)params->count, nt = na + (double)nb, delta = mean_b - params->mean;
        if (params->count == 0) {
            params->mean = mean_b;
            params->m2 = m2_b;
        } else {
            params->mean += delta * (double)nb / nt;
            params->m2 += m2_b + delta * delta * na * (double)nb / nt;
        }
    }
    if (nb > 0) {
        params->count += nb;
        params->min = mn;
        params->max = mx;
    }
    params->seen += n;
    params->flags |= flags;
    return QALA_OK;
}

qala_status qala_normalise_apply(double *out, size_t ostride, const double *x, size_t stride,
                                 size_t n, int direction, const qala_normalise_spec *spec,
                                 const qala_normalise_params *params, unsigned *flags)
{
    qala_status st = check_call(spec, direction, stride, ostride);
    if (st != QALA_OK)
        return st;
    const char *name = method_info[spec->method].name;
    if (method_info[spec->method].flags & QALA_NORM_USES_RANKS)
        return qala_err__set(QALA_EINVAL,
                             "normalise %s: a rank method needs every value at once; pass the pooled "
                             "column to qala_normalise",
                             name);
    if (spec->method == QALA_NORM_DIST2REF && spec->ref >= params->seen)
        return qala_err__set(QALA_EINVAL, "normalise dist2ref: reference index %zu was not among the %zu values added",
                             spec->ref, params->seen);
    unsigned fl = params->flags;
    unsigned need = method_info[spec->method].flags;
    if ((need & (QALA_NORM_USES_MINMAX | QALA_NORM_USES_MOMENTS)) && params->count == 0) {
        fl |= QALA_NORM_TOO_FEW;
        fill_nan(out, ostride, n);
    } else {
        method_fn[spec->method](out, ostride, x, stride, n, direction, spec, params, &fl);
    }
    if (flags)
        *flags = fl;
    return QALA_OK;
}

/* rank, borda, prank: ascending ranks (ties min) of the prepared values, in place in out. */
static qala_status normalise_ranks(double *out, size_t ostride, const double *x, size_t stride,
                                   size_t n, int direction, const qala_normalise_spec *spec,
                                   unsigned *fl)
{
    qala_rank_item *scratch = NULL;
    if (n > 0) {
        scratch = qala_mem__malloc(n * sizeof *scratch);
        if (!scratch)
            return qala_err__set(QALA_ENOMEM, "normalise %s: out of memory for %zu values",
                                 method_info[spec->method].name, n);
    }
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        double v = prep(x[i * stride], direction, spec, fl);
        out[i * ostride] = v;
        count += !isnan(v);
    }
    qala_status st = qala_rank_min(out, ostride, out, ostride, n, QALA_RANK_ASC, scratch);
    qala_mem__free(scratch);
    if (st != QALA_OK)
        return st;
    if (count == 0 || (spec->method == QALA_NORM_PRANK && count < 2)) {
        *fl |= QALA_NORM_TOO_FEW;
        fill_nan(out, ostride, n);
        return QALA_OK;
    }
    if (spec->method == QALA_NORM_BORDA)
        for (size_t i = 0; i < n; i++)
            out[i * ostride] -= 1;
    else if (spec->method == QALA_NORM_PRANK)
        for (size_t i = 0; i < n; i++)
            out[i * ostride] = (out[i * ostride] - 1) / (double)(count - 1);
    return QALA_OK;
}

qala_status qala_normalise(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                           int direction, const qala_normalise_spec *spec, unsigned *flags)
{
    assert(spec && (n == 0 || (out && x)));
    qala_status st = check_call(spec, direction, stride, ostride);
    if (st != QALA_OK)
        return st;
    if (spec->method == QALA_NORM_DIST2REF && spec->ref >= n)
        return qala_err__set(QALA_EINVAL, "normalise dist2ref: reference index %zu is outside the %zu values",
                             spec->ref, n);
    if (method_info[spec->method].flags & QALA_NORM_USES_RANKS) {
        unsigned fl = 0;
        st = normalise_ranks(out, ostride, x, stride, n, direction, spec, &fl);
        if (st == QALA_OK && flags)
            *flags = fl;
        return st;
    }
    qala_normalise_params p;
    qala_normalise_params_init(&p);
    st = qala_normalise_params_add(&p, x, stride, n, direction, spec);
    if (st != QALA_OK)
        return st;
    return qala_normalise_apply(out, ostride, x, stride, n, direction, spec, &p, flags);
}
