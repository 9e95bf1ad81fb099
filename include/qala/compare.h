/* qala/compare.h — comparing groups of units on one indicator: summary statistics per
 * group and a permutation test of the difference between two groups.
 *
 * Input: n entries (x[i], group[i]): a value (NAN = missing, skipped) and the id of its
 * group, from 0 to ngroups − 1, or QALA_COMPARE_NO_GROUP to leave it out. A unit that
 * belongs to several groups (a monocity that is also a smart city) appears once per
 * group; "the rest" is a group like any other, whose id the caller gives.
 *
 * Definitions (docs/methods-trends.md):
 *   quartiles   R's quantile type 7 (Hyndman & Fan 1996, definition 7; numpy's
 *               method="linear"; GSL's gsl_stats_quantile_from_sorted_data): for sorted
 *               x₁..xₙ and p in [0,1], h = (n − 1)p, Q = x⌊h⌋₊₁ + (h − ⌊h⌋)(x⌊h⌋₊₂ − x⌊h⌋₊₁)
 *   median      Q(0.5); iqr = Q(0.75) − Q(0.25)
 *   permutation the pooled non-missing values of groups a and b are relabelled at random
 *               B times (gsl_rng mt19937 seeded with `seed`, gsl_ran_shuffle); statistic
 *               T = mean_a − mean_b (and median_a − median_b); two-sided
 *               p = (1 + #{|T*| ≥ |T_obs|}) / (1 + B) (Phipson & Smyth 2010), where a
 *               permuted |T*| within a relative 1e-9 of |T_obs| counts as a tie.
 * Same data, seed and B give the same p on every platform (mt19937 and the shuffle are
 * defined by GSL, not by the C library).
 */
#ifndef QALA_COMPARE_H
#define QALA_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QALA_COMPARE_NO_GROUP UINT32_MAX
#define QALA_COMPARE_DEFAULT_B 9999
#define QALA_COMPARE_MAX_B 100000000

/* Summary of one group's non-missing values. An empty group has count 0 and NAN
 * elsewhere. */
typedef struct qala_group_summary {
    size_t count;
    double mean;
    double median;
    double q1, q3, iqr; /* type 7 quartiles, iqr = q3 − q1 */
    double min, max;
} qala_group_summary;

/* Fills out[0..ngroups) from the n entries. QALA_EINVAL for a group id that is neither
 * < ngroups nor QALA_COMPARE_NO_GROUP, or an infinite value (the message gives the
 * index); QALA_ENOMEM (one scratch block of n doubles and ngroups + 1 counters). On error
 * out is unspecified. O(n log n). */
qala_status qala_compare_summarise(qala_group_summary *out, size_t ngroups, const double *x,
                                   const uint32_t *group, size_t n);

/* Result of a permutation test between groups a and b. */
typedef struct qala_permutation {
    uint32_t a, b;        /* the groups compared */
    size_t n_a, n_b;      /* their non-missing values */
    double diff_mean;     /* mean_a − mean_b */
    double diff_median;   /* median_a − median_b */
    double p_mean;        /* two-sided permutation p of diff_mean */
    double p_median;      /* two-sided permutation p of diff_median */
    size_t b_used;        /* B, the number of random relabellings */
    unsigned long seed;   /* the seed of the generator */
} qala_permutation;

/* The permutation test (definitions above) of group a against group b with B random
 * relabellings (0 = QALA_COMPARE_DEFAULT_B) from a generator seeded with seed (GSL's
 * mt19937: seed 0 means its default seed 4357). Entries of other groups are ignored.
 * QALA_EINVAL for a == b, an infinite value in group a or b, or B >
 * QALA_COMPARE_MAX_B; QALA_EDATA when a or b has no non-missing value;
 * QALA_ENOMEM (one scratch block: 2(n_a + n_b) doubles and the generator's state).
 * O(B·(n_a + n_b)·log(n_a + n_b)). */
qala_status qala_compare_permutation(qala_permutation *out, const double *x,
                                     const uint32_t *group, size_t n, uint32_t a, uint32_t b,
                                     unsigned long seed, size_t B);

#ifdef __cplusplus
}
#endif
#endif
