/* qala/inequality.h — inequality between units for one indicator and period: Gini, the
 * coefficient of variation, max/min, the top-20% / bottom-20% ratio, Theil T and Theil L,
 * the standard deviation of logs; and the exact decomposition of both Theil indices into
 * within- and between-group parts, for one grouping or two nested ones (Akita 2003).
 *
 * Definitions (docs/methods-inequality.md, from ../shared/design/METHODS.md §4). Unit i
 * has value yᵢ and weight wᵢ (its population; w = NULL gives every unit weight 1, the
 * "unweighted" measures); W = Σwᵢ, pᵢ = wᵢ/W, μ = Σwᵢyᵢ / W, sᵢ = wᵢyᵢ / Σwⱼyⱼ:
 *   gini          Σᵢ Σⱼ wᵢwⱼ|yᵢ − yⱼ| / (2W²μ), computed in the sorted cumulative form
 *                 Σᵢ wᵢyᵢ(2Cᵢ₋₁ + wᵢ − W) / (W Σwy), Cᵢ₋₁ = weight of the units below i
 *                 (Lerman & Yitzhaki 1989); equal weights: Σ(2i − n − 1)yᵢ / (n Σy)
 *   cv            √(Σpᵢ(yᵢ − μ)²) / μ: population variance (Williamson 1965's Vw)
 *   maxmin        max yᵢ / min yᵢ (unweighted; NAN when min ≤ 0)
 *   top_bottom_20 mean of y over the richest units holding 20% of W / the same over the
 *                 poorest 20% of W (OECD Regions at a Glance); the unit straddling a 20%
 *                 cut counts with the part of its weight that fills the 20% exactly
 *   theil_t       GE(1) = Σ sᵢ ln(yᵢ/μ)     (income shares)
 *   theil_l       GE(0) = Σ pᵢ ln(μ/yᵢ)     (population shares; the mean log deviation)
 *   sd_log        √(Σpᵢ(ln yᵢ − m)²), m = Σpᵢ ln yᵢ
 * Decomposition by groups g (W_g, μ_g, p_g = W_g/W, s_g = W_gμ_g / Wμ):
 *   T = Σ s_g T_g + Σ s_g ln(μ_g/μ)          L = Σ p_g L_g + Σ p_g ln(μ/μ_g)
 *       (within)    (between)                    (within)    (between)
 * and nested (inner groups j inside outer groups i: regions inside macro-regions),
 *   T = Σᵢ Σⱼ s_ij T_ij + Σᵢ s_i T_Bi + T_B   with T_Bi = Σⱼ (s_ij/s_i) ln(μ_ij/μ_i) the
 *   Theil between the inner groups of outer group i and T_B = Σᵢ s_i ln(μ_i/μ); L alike
 *   with population shares (Akita 2003, "Decomposing regional income inequality in China
 *   and Indonesia using two-stage nested Theil decomposition method").
 *
 * Which units count: a unit whose value is not finite (NAN = missing) or whose weight is
 * not finite or ≤ 0 is left out of everything and counted in n_missing. The logarithmic
 * measures (theil_t, theil_l, sd_log, and the decompositions) also leave out values ≤ 0
 * (ln is undefined), counted in n_nonpositive; gini, cv, maxmin and top_bottom_20 keep
 * them (gini can then exceed 1; cv, gini and top_bottom_20 are NAN when their mean is ≤ 0).
 * A measure that cannot be computed (no unit, a zero mean) is NAN; that is a result, not
 * an error.
 *
 * Kernels in the GSL style: y[0], y[ystride], ..., y[(n−1)·ystride]; w likewise with
 * wstride. Cost: the summary is one sort of the used units (O(n log n), qsort) and two
 * linear passes; the decompositions are O(n + groups) with one logarithm per unit and no
 * sort. No allocation per element: at most one scratch block per call.
 */
#ifndef QALA_INEQUALITY_H
#define QALA_INEQUALITY_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The measures of a summary (the order is the column order of qala_ineq_methods). */
typedef enum qala_ineq_measure {
    QALA_INEQ_CV = 0,
    QALA_INEQ_SD_LOG = 1,
    QALA_INEQ_GINI = 2,
    QALA_INEQ_THEIL_T = 3,
    QALA_INEQ_THEIL_L = 4,
    QALA_INEQ_MAXMIN = 5,
    QALA_INEQ_TOP_BOTTOM_20 = 6
} qala_ineq_measure;
#define QALA_INEQ_MEASURE_COUNT 7

/* A group id meaning "in no group": the unit is left out of a decomposition (counted). */
#define QALA_INEQ_NO_GROUP UINT32_MAX

/* Everything about one indicator and period. Counts: n_used + n_missing = n. */
typedef struct qala_ineq_summary {
    size_t n_used;        /* units with a finite value and a finite weight > 0 */
    size_t n_missing;     /* units left out: value not finite, or weight not finite or ≤ 0 */
    size_t n_nonpositive; /* used units with a value ≤ 0, left out of theil_t, theil_l, sd_log */
    double weight;        /* W over the used units (n_used when w is NULL) */
    double mean;          /* μ over the used units */
    double sd;            /* √(Σpᵢ(yᵢ − μ)²): population standard deviation */
    double min, max;      /* of the used values */
    double cv, sd_log, gini, theil_t, theil_l, maxmin, top_bottom_20;
} qala_ineq_summary;

/* One element of the scratch array of qala_ineq_summarise (its fields are the kernel's). */
typedef struct qala_ineq_item {
    double y, w;
} qala_ineq_item;

/* Computes the summary of n units (definitions above). scratch: NULL (the kernel
 * allocates n items once and frees them before returning) or n items, reused over calls.
 * n = 0 or no usable unit is not an error: counts are set and every measure is NAN.
 * QALA_EINVAL (out or y NULL, a stride 0), QALA_ENOMEM (out untouched). */
qala_status qala_ineq_summarise(qala_ineq_summary *out, const double *y, size_t ystride,
                                const double *w, size_t wstride, size_t n,
                                qala_ineq_item *scratch);

/* One field of a summary by measure (NAN for a measure outside the enum). */
double qala_ineq_summary_get(const qala_ineq_summary *s, qala_ineq_measure measure);

/* One group of a decomposition. For an outer group of a nested decomposition theil_t
 * and theil_l are over all its units, and between_t, between_l are T_Bi, L_Bi (between
 * its inner groups); elsewhere between_t = between_l = 0. A group with no used unit has
 * n = 0, weight 0, shares 0, and NAN mean and Theils (it contributes nothing). */
typedef struct qala_ineq_group {
    size_t n;            /* used units in the group */
    double weight;       /* W_g */
    double mean;         /* μ_g */
    double pop_share;    /* p_g = W_g / W */
    double income_share; /* s_g = W_g μ_g / (W μ) */
    double theil_t, theil_l;
    double between_t, between_l;
} qala_ineq_group;

/* total = within + between, up to rounding (the total is computed on its own, from the
 * deviations from the overall mean, not as the sum of the parts). */
typedef struct qala_theil_parts {
    double total, within, between;
} qala_theil_parts;

/* Counts: n_used + n_missing + n_no_group + n_nonpositive = n; each left-out unit is
 * counted once, in the first of these that applies: missing, no group, value ≤ 0. */
typedef struct qala_theil_decomp {
    size_t n_used, n_missing, n_no_group, n_nonpositive;
    size_t n_groups;     /* groups with at least one used unit */
    double weight, mean; /* W and μ over the used units */
    qala_theil_parts t;  /* Theil T = GE(1) */
    qala_theil_parts l;  /* Theil L = GE(0) */
} qala_theil_decomp;

/* Decomposes Theil T and L of n units by the groups group[0..n) (contiguous; ids <
 * ngroups, or QALA_INEQ_NO_GROUP). groups: NULL or ngroups entries written with each
 * group's figures. QALA_EINVAL (out, y or group NULL, a stride 0, a group id ≥ ngroups:
 * the message names the unit), QALA_ENOMEM (only when groups is NULL: the kernel then
 * allocates ngroups entries once). No usable unit is a result: NAN parts, counts set. */
qala_status qala_theil_decompose(qala_theil_decomp *out, qala_ineq_group *groups,
                                 const double *y, size_t ystride, const double *w,
                                 size_t wstride, const uint32_t *group, size_t n,
                                 size_t ngroups);

/* The three parts of a two-stage nested decomposition:
 * total = within_inner + between_inner + between_outer, where within_inner + between_inner
 * is the within part of the one-stage decomposition by the outer groups, and
 * between_inner + between_outer the between part of the one by the inner groups. */
typedef struct qala_theil_nested_parts {
    double total;
    double within_inner;  /* Σᵢ Σⱼ s_ij T_ij: inside the inner groups (regions) */
    double between_inner; /* Σᵢ s_i T_Bi: between inner groups of the same outer group */
    double between_outer; /* T_B: between the outer groups (macro-regions) */
} qala_theil_nested_parts;

typedef struct qala_theil_nested {
    size_t n_used, n_missing, n_no_group, n_nonpositive;
    size_t n_inner, n_outer; /* groups with at least one used unit */
    double weight, mean;
    qala_theil_nested_parts t, l;
} qala_theil_nested;

/* Akita's two-stage nested decomposition: unit u is in inner group inner[u] (< ninner,
 * or QALA_INEQ_NO_GROUP), and inner group j in outer group outer_of[j] (< nouter for
 * every j: the nesting is exact by construction). inner_groups (ninner) and
 * outer_groups (nouter) may each be NULL; otherwise they get each group's figures.
 * QALA_EINVAL (NULL out, y, inner or outer_of; a stride 0; an id out of range, named),
 * QALA_ENOMEM (only when a groups array is NULL). */
qala_status qala_theil_nested_decompose(qala_theil_nested *out, qala_ineq_group *inner_groups,
                                        qala_ineq_group *outer_groups, const double *y,
                                        size_t ystride, const double *w, size_t wstride,
                                        const uint32_t *inner, size_t n,
                                        const uint32_t *outer_of, size_t ninner,
                                        size_t nouter);

/* ---- The measure table --------------------------------------------------------------- */
enum {
    QALA_INEQ_LOG = 1u << 0,          /* logarithmic: values ≤ 0 are left out */
    QALA_INEQ_DECOMPOSABLE = 1u << 1, /* exactly decomposable by groups (the Theils) */
    QALA_INEQ_SORTED = 1u << 2        /* needs the values sorted */
};

typedef struct qala_ineq_measure_info {
    const char *name; /* "cv", "sd_log", "gini", "theil_t", "theil_l", "maxmin", "top_bottom_20" */
    qala_ineq_measure measure;
    unsigned flags;   /* QALA_INEQ_LOG | QALA_INEQ_DECOMPOSABLE | QALA_INEQ_SORTED */
    const char *title; /* English, for reports: "Gini coefficient", ... */
} qala_ineq_measure_info;

/* The table in enum order (static storage); *count gets QALA_INEQ_MEASURE_COUNT. */
const qala_ineq_measure_info *qala_ineq_measures(size_t *count);
/* The name above; "?" outside the enum. */
const char *qala_ineq_measure_code(qala_ineq_measure measure);
/* Accepts the names above and "ge1" (theil_t), "ge0" and "mld" (theil_l); QALA_EINVAL
 * listing the names otherwise. */
qala_status qala_ineq_measure_parse(qala_ineq_measure *out, const char *text);

#ifdef __cplusplus
}
#endif
#endif
