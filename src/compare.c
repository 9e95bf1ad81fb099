/* src/compare.c — group comparison on one indicator: count, mean, median, quartiles,
 * min and max per group, and a seeded permutation test of the difference of means (and
 * of medians) between two groups.
 *
 * Place in the pipeline: after import and the registry's groups (monocities,
 * agglomerations, smart cities, the rest, or groups of the user), the caller lays out
 * one entry per (unit, group) and asks for the summaries or a test; the report and the
 * CLI print them. Definitions: include/qala/compare.h and docs/methods-trends.md.
 * Invariants: missing values (NAN) never enter a statistic; the permutation p-value is
 * never 0 (the observed labelling counts as one permutation); the generator is an
 * explicit mt19937 whose state lives in our own scratch block (GSL's gsl_rng_alloc would
 * call malloc behind the allocation hook), so results depend only on data, seed and B.
 * Workload: a few hundred units per indicator; summaries O(n log n); the test
 * O(B·m log m) for m pooled values (B = 9999, m ≈ 100: well under a second).
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "qala/compare.h"
#include "util/internal.h"

/* Relative tolerance under which a permuted statistic ties with the observed one: the
 * sums of a relabelling are taken in another order, so an exact tie may differ in the
 * last bits. */
#define TIE_REL 1e-9

static void summarise_sorted(qala_group_summary *s, const double *v, size_t n)
{
    s->count = n;
    if (n == 0) {
        s->mean = s->median = s->q1 = s->q3 = s->iqr = s->min = s->max = NAN;
        return;
    }
    s->mean = gsl_stats_mean(v, 1, n);
    s->median = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.5);
    s->q1 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.25);
    s->q3 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.75);
    s->iqr = s->q3 - s->q1;
    s->min = v[0];
    s->max = v[n - 1];
}

qala_status qala_compare_summarise(qala_group_summary *out, size_t ngroups, const double *x,
                                   const uint32_t *group, size_t n)
{
    assert(out && (n == 0 || (x && group)));
    for (size_t i = 0; i < n; i++) {
        if (group[i] != QALA_COMPARE_NO_GROUP && group[i] >= ngroups)
            return qala_err__set(QALA_EINVAL,
                                 "group id %lu at index %zu is not below the %zu groups",
                                 (unsigned long)group[i], i, ngroups);
        if (isinf(x[i]))
            return qala_err__set(QALA_EINVAL, "value at index %zu is infinite", i);
    }
    if (ngroups == 0)
        return QALA_OK;
    /* counting sort of the non-missing values by group: start[g] .. start[g+1] */
    if (n > SIZE_MAX / 16 || ngroups > SIZE_MAX / 16)
        return qala_err__set(QALA_ENOMEM, "too many values or groups to compare");
    void *block = qala_mem__malloc(n * sizeof(double) + (ngroups + 1) * sizeof(size_t));
    if (!block)
        return qala_err__set(QALA_ENOMEM, "out of memory comparing %zu groups", ngroups);
    size_t *start = block;
    double *v = (double *)(void *)(start + ngroups + 1);
    memset(start, 0, (ngroups + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        if (group[i] != QALA_COMPARE_NO_GROUP && !isnan(x[i]))
            start[group[i] + 1]++;
    for (size_t g = 0; g < ngroups; g++)
        start[g + 1] += start[g];
    for (size_t i = 0; i < n; i++)
        if (group[i] != QALA_COMPARE_NO_GROUP && !isnan(x[i]))
            v[start[group[i]]++] = x[i];
    /* start[g] is now the end of group g: shift back */
    for (size_t g = ngroups; g > 0; g--)
        start[g] = start[g - 1];
    start[0] = 0;
    for (size_t g = 0; g < ngroups; g++) {
        size_t m = start[g + 1] - start[g];
        gsl_sort(v + start[g], 1, m);
        summarise_sorted(&out[g], v + start[g], m);
    }
    qala_mem__free(block);
    return QALA_OK;
}

/* mean(v[0..na)) − mean(v[na..na+nb)) and the same for medians; tmp has na + nb doubles. */
static void statistics(const double *v, size_t na, size_t nb, double *tmp, double *dmean,
                       double *dmedian)
{
    double sa = 0, sb = 0;
    for (size_t i = 0; i < na; i++)
        sa += v[i];
    for (size_t i = na; i < na + nb; i++)
        sb += v[i];
    *dmean = sa / (double)na - sb / (double)nb;
    memcpy(tmp, v, (na + nb) * sizeof *tmp);
    gsl_sort(tmp, 1, na);
    gsl_sort(tmp + na, 1, nb);
    *dmedian = gsl_stats_quantile_from_sorted_data(tmp, 1, na, 0.5) -
               gsl_stats_quantile_from_sorted_data(tmp + na, 1, nb, 0.5);
}

static int as_extreme(double perm, double obs)
{
    return fabs(perm) >= fabs(obs) * (1.0 - TIE_REL);
}

qala_status qala_compare_permutation(qala_permutation *out, const double *x,
                                     const uint32_t *group, size_t n, uint32_t a, uint32_t b,
                                     unsigned long seed, size_t B)
{
    assert(out && (n == 0 || (x && group)));
    if (a == b)
        return qala_err__set(QALA_EINVAL, "the two groups compared are the same (%lu)",
                             (unsigned long)a);
    if (B == 0)
        B = QALA_COMPARE_DEFAULT_B;
    if (B > QALA_COMPARE_MAX_B)
        return qala_err__set(QALA_EINVAL, "B = %zu permutations is above the limit of %d", B,
                             QALA_COMPARE_MAX_B);
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < n; i++) {
        if (group[i] != a && group[i] != b)
            continue;
        if (isinf(x[i]))
            return qala_err__set(QALA_EINVAL, "value at index %zu is infinite", i);
        if (!isnan(x[i]))
            *(group[i] == a ? &na : &nb) += 1;
    }
    if (na == 0 || nb == 0)
        return qala_err__set(QALA_EDATA, "group %lu has no non-missing value to compare",
                             (unsigned long)(na == 0 ? a : b));
    const gsl_rng_type *type = gsl_rng_mt19937;
    size_t m = na + nb;
    double *v = qala_mem__malloc(2 * m * sizeof *v + type->size);
    if (!v)
        return qala_err__set(QALA_ENOMEM, "out of memory for a permutation test of %zu values",
                             m);
    double *tmp = v + m;
    gsl_rng rng = {type, tmp + m};
    gsl_rng_set(&rng, seed);
    size_t ia = 0, ib = na;
    for (size_t i = 0; i < n; i++)
        if ((group[i] == a || group[i] == b) && !isnan(x[i]))
            v[group[i] == a ? ia++ : ib++] = x[i];
    qala_permutation r = {.a = a, .b = b, .n_a = na, .n_b = nb, .b_used = B, .seed = seed};
    statistics(v, na, nb, tmp, &r.diff_mean, &r.diff_median);
    size_t hits_mean = 0, hits_median = 0;
    for (size_t k = 0; k < B; k++) {
        double dm, dmed;
        gsl_ran_shuffle(&rng, v, m, sizeof *v);
        statistics(v, na, nb, tmp, &dm, &dmed);
        hits_mean += (size_t)as_extreme(dm, r.diff_mean);
        hits_median += (size_t)as_extreme(dmed, r.diff_median);
    }
    r.p_mean = (1.0 + (double)hits_mean) / (1.0 + (double)B);
    r.p_median = (1.0 + (double)hits_median) / (1.0 + (double)B);
    qala_mem__free(v);
    *out = r;
    return QALA_OK;
}
