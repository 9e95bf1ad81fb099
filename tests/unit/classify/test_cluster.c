/* The clustering kernels and the comparison of labelings (src/classify_cluster.c) against
 * values computed outside qala: tests/unit/classify/reference.py (numpy 1.24.2, scipy
 * 1.10.1) wrote reference_values.h; the ARI examples are those of scikit-learn's
 * documentation of adjusted_rand_score (values recomputed from the formula in
 * reference.py, scikit-learn is not installed here). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "qala/classify.h"
#include "reference_values.h"

#define NBLOBS (sizeof blob_truth / sizeof blob_truth[0])
#define NCUBE (sizeof cube / sizeof cube[0] / 3)

static void expect_rel(double got, double want, double tol, const char *what)
{
    double err = fabs(got - want) / (fabs(want) > 1 ? fabs(want) : 1);
    cr_expect(err <= tol, "%s: got %.17g, expected %.17g", what, got, want);
}

static double ari(const size_t *a, const size_t *b, size_t n)
{
    double r = NAN;
    cr_assert_eq(qala_adjusted_rand(&r, a, b, n), QALA_OK, "%s", qala_error_last()->message);
    return r;
}

/* ---- adjusted Rand index and cross-table ---- */

Test(classify_ari, identical_labelings_give_one)
{
    size_t a[] = {0, 0, 1, 1, 2, 2, 2};
    cr_expect_eq(ari(a, a, 7), 1.0);
}

Test(classify_ari, relabeled_partition_gives_one)
{
    size_t a[] = {0, 0, 1, 1, 2, 2, 2}, b[] = {2, 2, 0, 0, 1, 1, 1};
    cr_expect_eq(ari(a, b, 7), 1.0);
}

Test(classify_ari, scikit_learn_documentation_examples)
{
    /* adjusted_rand_score docs: ([0,0,1,2],[0,0,1,1]) = 0.57..., symmetric; all in one
     * cluster vs all apart = 0; the user guide's ([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.24... */
    size_t a1[] = {0, 0, 1, 2}, b1[] = {0, 0, 1, 1};
    expect_rel(ari(a1, b1, 4), 0.57142857142857151, 1e-15, "[0,0,1,2] vs [0,0,1,1]");
    expect_rel(ari(b1, a1, 4), 0.57142857142857151, 1e-15, "symmetric");
    size_t a2[] = {0, 0, 0, 0}, b2[] = {0, 1, 2, 3};
    expect_rel(ari(a2, b2, 4), 0, 1e-15, "one cluster vs singletons");
    size_t a3[] = {0, 0, 0, 1, 1, 1}, b3[] = {0, 0, 1, 1, 2, 2};
    expect_rel(ari(a3, b3, 6), 0.24242424242424246, 1e-15, "user guide example");
    size_t a4[] = {0, 0, 1, 1}, b4[] = {0, 1, 0, 1};
    expect_rel(ari(a4, b4, 4), -0.5, 1e-15, "worse than chance is negative");
}

Test(classify_ari, trivial_partitions_alike_give_one)
{
    size_t one[] = {0, 0, 0}, apart[] = {0, 1, 2};
    cr_expect_eq(ari(one, one, 3), 1.0, "both one cluster: denominator 0");
    cr_expect_eq(ari(apart, apart, 3), 1.0, "both singletons");
    size_t single[] = {0};
    cr_expect_eq(ari(single, single, 1), 1.0, "one unit");
}

Test(classify_ari, crosstab_counts_and_map)
{
    size_t a[] = {0, 0, 0, 1, 1, 2}, b[] = {1, 1, 0, 0, 0, 2};
    qala_crosstab *t = NULL;
    cr_assert_eq(qala_crosstab_new(&t, a, b, 6), QALA_OK);
    cr_assert_eq(t->ka, 3);
    cr_assert_eq(t->kb, 3);
    size_t want[9] = {1, 2, 0, 2, 0, 0, 0, 0, 1};
    for (size_t i = 0; i < 9; i++)
        cr_expect_eq(t->count[i], want[i], "cell %zu: %zu", i, t->count[i]);
    size_t map[3];
    qala_crosstab_map(map, t);
    cr_expect_eq(map[0], 1, "cluster 0 overlaps b=1 most (2 of 3)");
    cr_expect_eq(map[1], 0);
    cr_expect_eq(map[2], 2);
    qala_crosstab_free(t);
}

Test(classify_ari, crosstab_map_ties_go_to_the_smaller_label)
{
    size_t a[] = {0, 0}, b[] = {1, 0};
    qala_crosstab *t = NULL;
    cr_assert_eq(qala_crosstab_new(&t, a, b, 2), QALA_OK);
    size_t map[1];
    qala_crosstab_map(map, t);
    cr_expect_eq(map[0], 0);
    qala_crosstab_free(t);
}

Test(classify_ari, bad_input)
{
    size_t a[] = {0, 5}, b[] = {0, 1};
    qala_crosstab *t = (qala_crosstab *)a;
    cr_expect_eq(qala_crosstab_new(&t, a, b, 2), QALA_EINVAL, "label 5 for 2 units");
    cr_expect_null(t);
    cr_expect_str_eq(qala_error_last()->message,
                     "cross-table: label 5 of unit 1 is not below the number of units (2)");
    double r;
    cr_expect_eq(qala_adjusted_rand(&r, a, b, 0), QALA_EINVAL);
    cr_expect_eq(qala_adjusted_rand(&r, NULL, b, 2), QALA_EINVAL);
}

/* ---- standardisation ---- */

Test(classify_standardise, zscores_with_sample_sd_over_complete_rows)
{
    /* column 0: 1, 2, 3 (row 3 excluded) -> mean 2, sd 1 (n - 1); column 1 constant 7 */
    double x[] = {1, 7, 2, 7, 3, 7, 100, NAN};
    double z[8];
    uint8_t keep[4];
    size_t excluded = 99, constant = 99;
    cr_assert_eq(qala_classify_standardise(z, keep, &excluded, &constant, x, 4, 2), QALA_OK);
    cr_expect_eq(excluded, 1);
    cr_expect_eq(constant, 1);
    cr_expect(keep[0] && keep[1] && keep[2] && !keep[3]);
    cr_expect_eq(z[0], -1);
    cr_expect_eq(z[2], 0);
    cr_expect_eq(z[4], 1);
    cr_expect_eq(z[1], 0, "a constant indicator gives z = 0");
    cr_expect(isnan(z[6]) && isnan(z[7]), "an excluded row is NAN");
}

Test(classify_standardise, in_place_and_pandas_values)
{
    /* pandas: s = pd.Series([10, 20, 40, 50]); ((s - s.mean()) / s.std()).tolist()
     * = [-1.0954451150103321, -0.5477225575051661, 0.5477225575051661, 1.0954451150103321]
     * (run with /usr/bin/python3, pandas 1.5.3) */
    double x[] = {10, 20, 40, 50};
    uint8_t keep[4];
    cr_assert_eq(qala_classify_standardise(x, keep, NULL, NULL, x, 4, 1), QALA_OK);
    expect_rel(x[0], -1.0954451150103321, 1e-15, "z0");
    expect_rel(x[1], -0.5477225575051661, 1e-15, "z1");
    expect_rel(x[2], 0.5477225575051661, 1e-15, "z2");
    expect_rel(x[3], 1.0954451150103321, 1e-15, "z3");
}

Test(classify_standardise, bad_input)
{
    double x[1] = {1}, z[1];
    uint8_t keep[1];
    cr_expect_eq(qala_classify_standardise(z, keep, NULL, NULL, x, 0, 1), QALA_EINVAL);
    cr_expect_eq(qala_classify_standardise(z, keep, NULL, NULL, x, 1, 0), QALA_EINVAL);
}

/* ---- k-means ---- */

static qala_kmeans_result *kmeans(const double *x, size_t n, size_t d, size_t k, unsigned restarts,
                                  unsigned long seed)
{
    qala_kmeans_options o = QALA_KMEANS_OPTIONS_INIT;
    o.k = k;
    o.restarts = restarts;
    o.seed = seed;
    qala_kmeans_result *r = NULL;
    qala_status st = qala_kmeans(&r, x, n, d, &o);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    return r;
}

Test(classify_kmeans, recovers_well_separated_blobs)
{
    qala_kmeans_result *r = kmeans(blobs, NBLOBS, 2, 3, 10, 42);
    cr_expect_eq(ari(r->label, blob_truth, NBLOBS), 1.0, "the three blobs of reference.py");
    /* numpy Lloyd's best of 200 random starts (reference.py) */
    expect_rel(r->wcss, blobs_wcss_k3, 1e-12, "WCSS k = 3");
    cr_expect(r->converged);
    size_t total = 0;
    for (size_t c = 0; c < 3; c++)
        total += r->size[c];
    cr_expect_eq(total, NBLOBS);
    cr_expect_eq(r->label[0], 0, "labels numbered by first appearance");
    qala_kmeans_result_free(r);
}

Test(classify_kmeans, reaches_the_reference_optimum_on_uniform_points)
{
    qala_kmeans_result *r = kmeans(cube, NCUBE, 3, 4, 25, 7);
    expect_rel(r->wcss, cube_wcss_k4, 1e-12, "WCSS k = 4 on 12 uniform points");
    qala_kmeans_result_free(r);
}

Test(classify_kmeans, same_seed_same_result)
{
    qala_kmeans_result *a = kmeans(cube, NCUBE, 3, 3, 1, 123), *b = kmeans(cube, NCUBE, 3, 3, 1, 123);
    cr_expect_eq(memcmp(a->label, b->label, NCUBE * sizeof *a->label), 0);
    cr_expect_eq(a->wcss, b->wcss);
    cr_expect_eq(memcmp(a->center, b->center, 9 * sizeof(double)), 0);
    qala_kmeans_result_free(a);
    qala_kmeans_result_free(b);
}

Test(classify_kmeans, wcss_and_centers_are_consistent)
{
    qala_kmeans_result *r = kmeans(cube, NCUBE, 3, 3, 5, 1);
    double wcss = 0;
    for (size_t i = 0; i < NCUBE; i++)
        for (size_t j = 0; j < 3; j++) {
            double mean = 0;
            size_t m = 0;
            for (size_t q = 0; q < NCUBE; q++)
                if (r->label[q] == r->label[i]) {
                    mean += cube[q * 3 + j];
                    m++;
                }
            mean /= (double)m;
            expect_rel(r->center[r->label[i] * 3 + j], mean, 1e-12, "center is the mean");
            wcss += (cube[i * 3 + j] - mean) * (cube[i * 3 + j] - mean);
        }
    expect_rel(r->wcss, wcss, 1e-12, "WCSS");
    qala_kmeans_result_free(r);
}

Test(classify_kmeans, one_cluster_and_one_per_point)
{
    double x[] = {0, 2, 4, 10};
    qala_kmeans_result *r = kmeans(x, 4, 1, 1, 1, 1);
    cr_expect_eq(r->center[0], 4);
    cr_expect_eq(r->wcss, 16 + 4 + 0 + 36);
    qala_kmeans_result_free(r);
    r = kmeans(x, 4, 1, 4, 1, 1);
    cr_expect_eq(r->wcss, 0);
    cr_expect_eq(r->label[3], 3);
    qala_kmeans_result_free(r);
}

Test(classify_kmeans, duplicate_points_more_clusters_than_distinct_values)
{
    double x[] = {1, 1, 1, 5};
    qala_kmeans_result *r = kmeans(x, 4, 1, 3, 3, 9);
    for (size_t c = 0; c < 3; c++)
        cr_expect_gt(r->size[c], 0, "no empty cluster");
    cr_expect_eq(r->wcss, 0);
    qala_kmeans_result_free(r);
}

Test(classify_kmeans, bad_input)
{
    qala_kmeans_options o = QALA_KMEANS_OPTIONS_INIT;
    qala_kmeans_result *r = (qala_kmeans_result *)&o;
    double x[] = {1, 2, NAN};
    o.k = 3;
    cr_expect_eq(qala_kmeans(&r, x, 2, 1, &o), QALA_EINVAL);
    cr_expect_null(r);
    cr_expect_str_eq(qala_error_last()->message,
                     "k-means: k = 3 clusters for 2 units: expected 1 to 2");
    o.k = 0;
    cr_expect_eq(qala_kmeans(&r, x, 2, 1, &o), QALA_EINVAL);
    o.k = 1;
    cr_expect_eq(qala_kmeans(&r, x, 3, 1, &o), QALA_EINVAL, "NAN");
    cr_expect_str_eq(qala_error_last()->message,
                     "k-means: value of unit 2, indicator 0 is not a finite number (standardise "
                     "and keep the complete rows first)");
    o.restarts = 0;
    cr_expect_eq(qala_kmeans(&r, x, 2, 1, &o), QALA_EINVAL);
    o.restarts = 1;
    o.max_iter = 0;
    cr_expect_eq(qala_kmeans(&r, x, 2, 1, &o), QALA_EINVAL);
    o.max_iter = 10;
    o.version = 2;
    cr_expect_eq(qala_kmeans(&r, x, 2, 1, &o), QALA_EINVAL);
    o.version = 1;
    cr_expect_eq(qala_kmeans(&r, x, 0, 1, &o), QALA_EINVAL);
    cr_expect_eq(qala_kmeans(&r, x, 2, 1, NULL), QALA_EINVAL);
    cr_expect_null(r);
}

/* ---- Ward ---- */

static void expect_ward(const double *x, size_t n, size_t d, const double (*ref)[4])
{
    qala_ward_result *w = NULL;
    cr_assert_eq(qala_ward(&w, x, n, d), QALA_OK, "%s", qala_error_last()->message);
    for (size_t m = 0; m + 1 < n; m++) {
        cr_expect_eq(w->merge[m].a, (size_t)ref[m][0], "merge %zu: a %zu", m, w->merge[m].a);
        cr_expect_eq(w->merge[m].b, (size_t)ref[m][1], "merge %zu: b %zu", m, w->merge[m].b);
        expect_rel(w->merge[m].height, ref[m][2], 1e-12, "height");
        cr_expect_eq(w->merge[m].size, (size_t)ref[m][3], "merge %zu: size", m);
    }
    qala_ward_result_free(w);
}

Test(classify_ward, merges_and_heights_equal_scipy_on_blobs)
{
    expect_ward(blobs, NBLOBS, 2, ward_ref);
}

Test(classify_ward, merges_and_heights_equal_scipy_on_uniform_points)
{
    expect_ward(cube, NCUBE, 3, ward_cube_ref);
}

Test(classify_ward, cut_equals_scipy_fcluster_maxclust)
{
    qala_ward_result *w = NULL;
    size_t lab[NBLOBS];
    cr_assert_eq(qala_ward(&w, blobs, NBLOBS, 2), QALA_OK);
    cr_assert_eq(qala_ward_cut(lab, w, 3), QALA_OK);
    cr_expect_eq(ari(lab, ward_cut3_ref, NBLOBS), 1.0, "fcluster(Z, 3, 'maxclust')");
    cr_expect_eq(ari(lab, blob_truth, NBLOBS), 1.0, "the blobs");
    cr_expect_eq(lab[0], 0);
    qala_ward_result_free(w);
    size_t lc[NCUBE];
    cr_assert_eq(qala_ward(&w, cube, NCUBE, 3), QALA_OK);
    cr_assert_eq(qala_ward_cut(lc, w, 4), QALA_OK);
    cr_expect_eq(ari(lc, ward_cube_cut4_ref, NCUBE), 1.0, "fcluster(Z, 4, 'maxclust')");
    cr_assert_eq(qala_ward_cut(lc, w, 1), QALA_OK);
    for (size_t i = 0; i < NCUBE; i++)
        cr_expect_eq(lc[i], 0);
    cr_assert_eq(qala_ward_cut(lc, w, NCUBE), QALA_OK);
    for (size_t i = 0; i < NCUBE; i++)
        cr_expect_eq(lc[i], i, "k = n: every unit alone, numbered in order");
    qala_ward_result_free(w);
}

Test(classify_ward, one_unit)
{
    double x[] = {3};
    qala_ward_result *w = NULL;
    size_t lab[1] = {7};
    cr_assert_eq(qala_ward(&w, x, 1, 1), QALA_OK);
    cr_assert_eq(qala_ward_cut(lab, w, 1), QALA_OK);
    cr_expect_eq(lab[0], 0);
    qala_ward_result_free(w);
}

Test(classify_ward, bad_input)
{
    double x[] = {1, INFINITY};
    qala_ward_result *w = (qala_ward_result *)x;
    cr_expect_eq(qala_ward(&w, x, 2, 1), QALA_EINVAL);
    cr_expect_null(w);
    cr_expect_eq(qala_ward(&w, x, 0, 1), QALA_EINVAL);
    cr_assert_eq(qala_ward(&w, x, 1, 1), QALA_OK);
    size_t lab[2];
    cr_expect_eq(qala_ward_cut(lab, w, 0), QALA_EINVAL);
    cr_expect_eq(qala_ward_cut(lab, w, 2), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "Ward cut: k = 2 clusters for 1 units: expected 1 to 1");
    qala_ward_result_free(w);
}
