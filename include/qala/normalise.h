/* qala/normalise.h — normalisation of one indicator's values onto a common scale, the
 * stage between outlier treatment and aggregation of the composite index (COINr's
 * Normalise; formulas, sources and COINr differences in docs/methods-normalise.md).
 *
 * Kernels in the GSL style: the values are x[0], x[stride], ..., x[(n-1)*stride] (one
 * indicator, one value per unit, NAN = missing); the scores go to out[0], out[ostride], ...
 * out must not overlap x unless it is x itself with the same stride.
 *
 * What happens to each value, in order:
 *   1. the optional transform (spec.transform): natural log, log10 (values <= 0 become
 *      NAN and QALA_NORM_DOMAIN is raised), or capping to [cap_lo, cap_hi];
 *   2. multiplication by the indicator's direction (+1 or -1), so that higher is better;
 *      goalposts and the target are multiplied by the direction too (scaled's l and u
 *      are not, as in COINr);
 *   3. the method, with min, max, mean and sd taken over the non-missing values.
 * Missing values stay missing. Parameters of a method are on the scale of the
 * transformed x (the transform is not applied to goalposts, targets or bounds).
 *
 * Problems of the data (zero range, too few values, a missing reference...) are not
 * errors: the scores that cannot be computed are NAN and a bit of qala_norm_flag is set in
 * *flags (when flags is not NULL; it is overwritten by each call). Errors (QALA_EINVAL)
 * are for unacceptable specs and arguments; the message names the method and the rule.
 *
 * Panel data: to pool min, max, mean and sd over several periods (so that scores are
 * comparable over time), accumulate qala_normalise_params over each period's column with
 * qala_normalise_params_add, then score each column with qala_normalise_apply.
 * qala_normalise(x) is exactly params_init + params_add(x) + apply(x).
 */
#ifndef QALA_NORMALISE_H
#define QALA_NORMALISE_H

#include <stddef.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_normalise_method {
    QALA_NORM_MINMAX = 0,  /* (x-min)/(max-min)*(u-l)+l, [l,u] default [0,100] */
    QALA_NORM_ZSCORE,      /* (x-mean)/sd*s+m, sd with n-1, default m=0 s=1 */
    QALA_NORM_SCALED,      /* (x-l)/(u-l)*factor, default l=0 u=100 factor=100 */
    QALA_NORM_GOALPOSTS,   /* (x-l)/(u-l) (goalposts flipped for direction -1), clipped to [0,1] if trunc, *a */
    QALA_NORM_DIST2TARG,   /* (x-min)/(target-min), capped at 1 if cap */
    QALA_NORM_DIST2MAX,    /* 1-(max-x)/(max-min) */
    QALA_NORM_DIST2REF,    /* 1-(x_ref-x)/(x_ref-min), x_ref = x[ref]; capped at 1 if cap */
    QALA_NORM_FRACMAX,     /* x/max */
    QALA_NORM_RANK,        /* rank, ties min, 1 = lowest */
    QALA_NORM_BORDA,       /* rank-1 */
    QALA_NORM_PRANK,       /* (rank-1)/(n_nonmissing-1) */
    QALA_NORM_NONE,        /* x (direction-adjusted, transformed) */
    QALA_NORM_METHOD_COUNT
} qala_normalise_method;

typedef enum qala_normalise_transform {
    QALA_NORM_TF_NONE = 0,
    QALA_NORM_TF_LOG,   /* natural logarithm */
    QALA_NORM_TF_LOG10,
    QALA_NORM_TF_CAP,   /* min(max(x, cap_lo), cap_hi); a NAN bound is no bound */
    QALA_NORM_TF_COUNT
} qala_normalise_transform;

/* Warnings about the data (bits of *flags). */
typedef enum qala_norm_flag {
    QALA_NORM_ZERO_RANGE = 1u << 0,     /* a divisor was 0 (max = min, sd = 0, x_ref = min,
                                           target = min, max = 0): every score NAN */
    QALA_NORM_TOO_FEW = 1u << 1,        /* fewer non-missing values than the method needs
                                           (1; 2 for zscore and prank): every score NAN */
    QALA_NORM_REF_MISSING = 1u << 2,    /* dist2ref: the reference unit's value is missing: every score NAN */
    QALA_NORM_TARGET_OUTSIDE = 1u << 3, /* dist2targ: the target is below min (after direction):
                                           scores are negative (COINr warns likewise) */
    QALA_NORM_DOMAIN = 1u << 4          /* log transform of a value <= 0: that score NAN */
} qala_norm_flag;

/* What to do. Start from qala_normalise_spec_init(method), which fills the defaults,
 * then change what you need. Fields a method does not use are ignored. */
typedef struct qala_normalise_spec {
    qala_normalise_method method;
    double lower, upper;     /* minmax: target interval; scaled, goalposts: l and u */
    double mean, sd;         /* zscore: m and s (s > 0) */
    double factor;           /* scaled: factor (100); goalposts: scale a (1) */
    double target;           /* dist2targ: the target, in x's units (NAN: none given) */
    size_t ref;              /* dist2ref: index (0-based) of the reference unit among the
                                values (pooled over blocks with qala_normalise_params_add) */
    int trunc;               /* goalposts: clip to [0,1] before scaling (default 1) */
    int cap;                 /* dist2targ, dist2ref: scores above 1 become 1 (default 0) */
    qala_normalise_transform transform; /* default QALA_NORM_TF_NONE */
    double cap_lo, cap_hi;   /* QALA_NORM_TF_CAP bounds (NAN: none) */
} qala_normalise_spec;

/* Defaults of a method: minmax [0,100]; zscore m=0, s=1; scaled l=0, u=100, factor=100;
 * goalposts l=0, u=1, a=1, trunc on; dist2targ target NAN (must be set), cap off;
 * dist2ref ref 0, cap off; no transform. An unknown method gets the minmax defaults with
 * that method (qala_normalise then refuses it). */
void qala_normalise_spec_init(qala_normalise_spec *spec, qala_normalise_method method);

/* Checks a spec and direction; QALA_EINVAL with a message saying what was expected. */
qala_status qala_normalise_spec_check(const qala_normalise_spec *spec, int direction);

/* Normalises one column: transform, direction, method (see above). For the rank
 * methods it allocates one scratch array of n items (QALA_ENOMEM). dist2ref needs
 * spec->ref < n. QALA_EINVAL for a bad spec, a direction other than +-1, a zero stride. */
qala_status qala_normalise(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                           int direction, const qala_normalise_spec *spec, unsigned *flags);

/* ---- parameters pooled over several columns (panel data) ----------------------------
 * Statistics of the transformed, direction-adjusted values: count of non-missing values,
 * min, max, and for the methods that use moments (zscore) the mean and M2 (the sum of
 * squared deviations; sd = sqrt(M2/(n-1))): two passes per added column (R's corrected
 * mean, then the squared deviations), the blocks merged by the formula of Chan, Golub and
 * LeVeque (1979); for the other methods mean and M2 stay 0 (not needed, and the one
 * min/max pass vectorises),
 * and for dist2ref the reference value: spec->ref counts positions over all the values
 * added so far, in the order the blocks were added (as COINr pools a panel's periods
 * into one table before normalising). The same spec and direction must be used for
 * every add and apply. */
typedef struct qala_normalise_params {
    size_t count;   /* non-missing values */
    size_t seen;    /* all values added (positions, for ref) */
    double min, max, mean, m2;
    double ref;     /* the reference value; NAN until its position was added, or missing */
    unsigned flags; /* QALA_NORM_DOMAIN if a log transform met a value <= 0 */
} qala_normalise_params;

void qala_normalise_params_init(qala_normalise_params *params);
/* Adds one column. QALA_EINVAL as qala_normalise. */
qala_status qala_normalise_params_add(qala_normalise_params *params, const double *x, size_t stride,
                                      size_t n, int direction, const qala_normalise_spec *spec);
/* The sample standard deviation (n-1) of what was added; NAN below 2 values. */
double qala_normalise_params_sd(const qala_normalise_params *params);

/* Scores one column with pooled parameters. The rank methods (rank, borda, prank) need
 * all the values at once and are refused (QALA_EINVAL): pass the pooled column to
 * qala_normalise instead. dist2ref needs the reference position to have been added. */
qala_status qala_normalise_apply(double *out, size_t ostride, const double *x, size_t stride,
                                 size_t n, int direction, const qala_normalise_spec *spec,
                                 const qala_normalise_params *params, unsigned *flags);

/* ---- the method table ------------------------------------------------------------- */

/* Properties of a method (bits of qala_normalise_method_info.flags). */
typedef enum qala_norm_method_flag {
    QALA_NORM_USES_MINMAX = 1u << 0, /* needs min and/or max */
    QALA_NORM_USES_MOMENTS = 1u << 1, /* needs mean and sd */
    QALA_NORM_USES_RANKS = 1u << 2,   /* needs every value at once (no pooled parameters) */
    QALA_NORM_USES_REF = 1u << 3,     /* needs a reference unit */
    QALA_NORM_FIXED = 1u << 4         /* depends on its parameters only, not on other units */
} qala_norm_method_flag;

typedef struct qala_normalise_method_info {
    const char *name; /* "minmax", "zscore", ... as in COINr without the n_ prefix */
    qala_normalise_method method;
    unsigned flags;   /* qala_norm_method_flag bits */
} qala_normalise_method_info;

/* The table, one row per method in enum order; *count gets QALA_NORM_METHOD_COUNT. */
const qala_normalise_method_info *qala_normalise_methods(size_t *count);
/* "minmax", ...; "?" for an unknown value. */
const char *qala_normalise_method_name(qala_normalise_method method);
/* Parses a method name (exact, lowercase). QALA_EINVAL "unknown normalisation method
 * 'x' (expected one of minmax, zscore, ...)". */
qala_status qala_normalise_method_parse(qala_normalise_method *out, const char *name);
/* "none", "log", "log10", "cap"; "?" for an unknown value. */
const char *qala_normalise_transform_name(qala_normalise_transform transform);
qala_status qala_normalise_transform_parse(qala_normalise_transform *out, const char *name);

#ifdef __cplusplus
}
#endif
#endif
