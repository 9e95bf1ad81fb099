/* qala/aggregate.h — aggregation kernels of the composite-index engine: one node of the
 * index tree (a pillar, a sub-index, the index) computed for every unit at once from the
 * values of its children, and the effective weights of a tree.
 *
 * Definitions (docs/methods-aggregate.md, from ../shared/design/METHODS.md §1), with the
 * weights w_i renormalised over the non-missing (non-NAN) children of each unit:
 *   arithmetic  Σwᵢxᵢ / Σwᵢ                                  (COINr a_amean; the default)
 *   geometric   exp(Σwᵢ ln xᵢ / Σwᵢ), every xᵢ > 0            (COINr a_gmean)
 *   harmonic    Σwᵢ / Σ(wᵢ/xᵢ), every xᵢ > 0                  (COINr a_hmean)
 *   power       (Σwᵢxᵢᵖ / Σwᵢ)^(1/p), p ≠ 0; xᵢ > 0 if p < 0, xᵢ ≥ 0 if p > 0
 *   copeland    score_j = Σ_{k≠j} sign(o_jk − ½) over the other aggregated units (a method
 *               over all units together), o_jk = (Σᵢ wᵢ[x_ji > x_ki] + ½Σᵢ wᵢ[x_ji = x_ki])
 *               / Σᵢ wᵢ over the children both units have (no common child: 0)
 *   mpi         Mazziotta–Pareto on z = 100 + 10·(x − M)/S per child (M, S over units):
 *               M_z − S_z·cv_z with cv_z = S_z / M_z (weighted mean and SD of z per unit)
 *   meanmin     M − α(√((M − min)² + β²) − β), M the arithmetic mean, 0 ≤ α ≤ 1, β ≥ 0
 * A unit's result is NAN when it has no non-missing child, when the weights of its
 * non-missing children sum to 0, or when the share of non-missing children (counted, not
 * weighted, as COINr's dat_thresh) is below spec->availability.
 *
 * Layout: child j of unit i is x[i * unit_stride + j * child_stride]. The stage data sets
 * are columnar, so the usual call passes an n × m column-major block: unit_stride = 1,
 * child_stride = n (or the leading dimension of a wider table). Any strides work.
 */
#ifndef QALA_AGGREGATE_H
#define QALA_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_agg_method {
    QALA_AGG_ARITHMETIC = 0,
    QALA_AGG_GEOMETRIC = 1,
    QALA_AGG_HARMONIC = 2,
    QALA_AGG_POWER = 3,
    QALA_AGG_COPELAND = 4,
    QALA_AGG_MPI = 5,
    QALA_AGG_MEANMIN = 6
} qala_agg_method;
#define QALA_AGG_METHOD_COUNT 7

/* Which standard deviation the Mazziotta–Pareto index uses (both for the standardisation
 * of each child over the units and for the spread of z within a unit). */
typedef enum qala_agg_sd {
    QALA_AGG_SD_POPULATION = 0, /* divide by n (Mazziotta & Pareto; the default) */
    QALA_AGG_SD_SAMPLE = 1      /* divide by n − 1 (as R's var(), Compind's ci_mpi) */
} qala_agg_sd;

/* How one node is aggregated. A zeroed struct is the weighted arithmetic mean with no
 * availability threshold. */
typedef struct qala_agg_spec {
    qala_agg_method method;
    double availability; /* 0..1: NAN result when (non-missing children)/m < this; 0 = none */
    double offset;       /* geometric, harmonic, power: added to every child before the mean
                          * and subtracted from the result (0 = none; must be >= 0). Units
                          * that needed it (a child <= 0) get QALA_AGG_FLAG_OFFSET. */
    double p;            /* power mean exponent, p != 0 */
    double alpha, beta;  /* mean-min: 0 <= alpha <= 1, beta >= 0 */
    qala_agg_sd mpi_sd;  /* mpi: population (default) or sample standard deviations */
} qala_agg_spec;

/* Per-unit flags (a bit set in flags[i], when flags is not NULL). */
enum {
    QALA_AGG_FLAG_NO_DATA = 1u << 0,    /* no non-missing child, or their weights sum to 0 */
    QALA_AGG_FLAG_LOW_AVAILABILITY = 1u << 1, /* share of non-missing children < threshold */
    QALA_AGG_FLAG_OFFSET = 1u << 2      /* a child <= 0 was made usable by the offset: a warning */
};

/* What happened in one call. On QALA_EDATA, unit and child say which value was refused
 * (indices from 0, the first in unit order; the caller maps them to codes); otherwise
 * both are SIZE_MAX. */
typedef struct qala_agg_report {
    size_t n_missing;   /* units whose result is NAN */
    size_t n_offset;    /* units flagged QALA_AGG_FLAG_OFFSET */
    size_t unit, child; /* the refused value on QALA_EDATA */
} qala_agg_report;

/* Aggregates one node for n units from m children (layout above) with weights w (m
 * values >= 0, finite; NULL = equal weights) into out[0..n). flags (n bytes) and report
 * may be NULL. Errors: QALA_EINVAL for a bad spec, stride or weight; QALA_EDATA for a
 * child value the method cannot take (a non-finite value, or <= 0 for geometric and
 * harmonic, see the definitions) — the message names the unit and child indices;
 * QALA_ENOMEM (mpi needs 2m doubles of scratch). On error out and flags are unspecified.
 * Work: O(n·m), copeland O(n²·m); no allocation except mpi's one scratch block. */
qala_status qala_agg_node(double *out, uint8_t *flags, qala_agg_report *report,
                          const double *x, size_t n, size_t m, size_t unit_stride,
                          size_t child_stride, const double *w, const qala_agg_spec *spec);

/* One row of the method table. */
typedef qala_status (*qala_agg_fn)(double *out, uint8_t *flags, qala_agg_report *report,
                                   const double *x, size_t n, size_t m, size_t unit_stride,
                                   size_t child_stride, const double *w,
                                   const qala_agg_spec *spec);

enum {
    QALA_AGG_WHOLE = 1u << 0,    /* a unit's result depends on the other units too */
    QALA_AGG_POSITIVE = 1u << 1, /* needs children > 0 (or an offset) */
    QALA_AGG_PARAMS = 1u << 2    /* reads parameters of the spec (p, alpha/beta, mpi_sd) */
};

typedef struct qala_agg_method_info {
    const char *name;  /* "arithmetic", ... (qala_agg_method_code) */
    qala_agg_method method;
    qala_agg_fn fn;    /* called by qala_agg_node after the common checks */
    unsigned flags;    /* QALA_AGG_WHOLE | QALA_AGG_POSITIVE | QALA_AGG_PARAMS */
    const char *coinr; /* COINr's function of the same definition, or NULL */
} qala_agg_method_info;

/* The method table, in enum order (static storage). *count gets QALA_AGG_METHOD_COUNT. */
const qala_agg_method_info *qala_agg_methods(size_t *count);

/* "arithmetic", "geometric", "harmonic", "power", "copeland", "mpi", "meanmin";
 * "?" for a value outside the enum. */
const char *qala_agg_method_code(qala_agg_method method);
/* Accepts the codes above and COINr's names (a_amean, a_gmean, a_hmean, a_genmean,
 * a_copeland); QALA_EINVAL (listing the codes) otherwise. */
qala_status qala_agg_method_parse(qala_agg_method *out, const char *text);

/* Checks a spec alone (method in range, availability in [0,1], offset >= 0 and finite,
 * p != 0 for power, alpha in [0,1] and beta >= 0 for meanmin, mpi_sd known). */
qala_status qala_agg_spec_check(const qala_agg_spec *spec);

#define QALA_AGG_ROOT SIZE_MAX

/* Effective weights of the nodes of a tree: out[i] = the product, from node i up to its
 * root, of each node's weight divided by the sum of the weights of its siblings (itself
 * included); a root gets 1. parent[i] is the index of i's parent or QALA_AGG_ROOT.
 * For indicators (leaves) this is the weight each carries in the index under the
 * arithmetic mean. QALA_EINVAL for a parent out of range, a cycle, a negative or
 * non-finite weight, or a group whose weights sum to 0; QALA_ENOMEM. */
qala_status qala_agg_effective_weights(double *out, const size_t *parent, const double *w,
                                       size_t nnodes);

#ifdef __cplusplus
}
#endif

#endif
