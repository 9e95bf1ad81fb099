/* Diagnostics kernels against numpy/pandas: every expected number here was printed by
 * tests/unit/diagnose/reference.py (numpy 1.24.2 / pandas 1.5.3 on Debian 12, run with
 * /usr/bin/python3) on the fixture of fixture.h and on the ASEM pillar ConEcFin of COINr's
 * normalised table (../shared/data/coinr-asem/expected/ASEM_COIN_Normalised.csv). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "coinr_table.h"
#include "fixture.h"
#include "qala/diagnose.h"

#define REL 1e-12

/* ---- the fictional fixture ---- */

Test(diag_reference, fixture_column_statistics_match_pandas)
{
    /* reference.py "stats X": pandas mean, median, std (ddof 1), skew, kurt (type 2) */
    static const double want[FIX_M][5] = {
        {3.3333333333333335, 3, 2.0916500663351889, 0.27514650435289684, 0.17142857142857082},
        {3.1111111111111112, 3, 1.8503002759312097, 0.63065879508670353, -0.27408229851358712},
        {11.111111111111111, 11, 2.1473497877875212, 0.40076619227521565, -0.045165170147027034},
        {1.2777777777777777, 1, 1.0341394704992379, 0.55256431818883267, -1.041322314049586},
    };
    /* counted by hand from fixture.h */
    static const size_t zeros[FIX_M] = {1, 0, 0, 1}, unique[FIX_M] = {7, 7, 7, 7};
    static const double mins[FIX_M] = {0, 1, 8, 0}, maxs[FIX_M] = {7, 6.5, 15, 3};
    for (size_t j = 0; j < FIX_M; j++) {
        qala_diag_stats s;
        cr_assert_eq(qala_diag_stats_column(&s, fix_x + j * FIX_N, 1, FIX_N), QALA_OK);
        cr_expect_eq(s.n, FIX_N);
        cr_expect_eq(s.n_present, 9, "column %zu", j);
        expect_rel(s.availability, 0.9, 1e-15);
        cr_expect_eq(s.n_zero, zeros[j], "column %zu zeros %zu", j, s.n_zero);
        expect_rel(s.zero_share, zeros[j] / 9.0, 1e-15);
        cr_expect_eq(s.n_unique, unique[j], "column %zu unique %zu", j, s.n_unique);
        cr_expect_eq(s.min, mins[j]);
        cr_expect_eq(s.max, maxs[j]);
        expect_rel(s.mean, want[j][0], REL);
        expect_rel(s.median, want[j][1], REL);
        expect_rel(s.sd, want[j][2], REL);
        expect_rel(s.skew, want[j][3], 1e-10);
        expect_rel(s.kurt, want[j][4], 1e-10);
        cr_expect_eq(s.outlier_flag, 0);
    }
}

Test(diag_reference, fixture_pearson_pairwise_matches_pandas)
{
    /* reference.py "pearson": DataFrame.corr(method="pearson"), pairwise complete */
    static const double want[FIX_M][FIX_M] = {
        {1, 0.90964354112093093, -0.91220140061433297, 0.86095635825207339},
        {0.90964354112093093, 1, -0.76211624628077623, 0.94657435872267948},
        {-0.91220140061433297, -0.76211624628077623, 1, -0.73098798508828755},
        {0.86095635825207339, 0.94657435872267948, -0.73098798508828755, 1},
    };
    double r[FIX_M * FIX_M];
    cr_assert_eq(qala_diag_correlation(r, fix_x, FIX_N, FIX_M, FIX_N, QALA_DIAG_PEARSON), QALA_OK);
    for (size_t i = 0; i < FIX_M; i++)
        for (size_t j = 0; j < FIX_M; j++)
            expect_rel(r[i + j * FIX_M], want[i][j], REL);
}

Test(diag_reference, fixture_spearman_reranks_each_pair_as_pandas)
{
    /* reference.py "spearman": DataFrame.corr(method="spearman"); pandas ranks the rows
     * common to each pair (average ranks), so re-ranking per pair is what is tested */
    static const double want[FIX_M][FIX_M] = {
        {1, 0.91516832280489824, -0.9030468880657605, 0.89585726595471427},
        {0.91516832280489824, 1, -0.75, 0.95721735266394126},
        {-0.9030468880657605, -0.75, 1, -0.74859305785256947},
        {0.89585726595471427, 0.95721735266394126, -0.74859305785256947, 1},
    };
    double r[FIX_M * FIX_M];
    cr_assert_eq(qala_diag_correlation(r, fix_x, FIX_N, FIX_M, FIX_N, QALA_DIAG_SPEARMAN), QALA_OK);
    for (size_t i = 0; i < FIX_M; i++)
        for (size_t j = 0; j < FIX_M; j++)
            expect_rel(r[i + j * FIX_M], want[i][j], REL);
}

Test(diag_reference, fixture_cronbach_uses_complete_rows_and_can_be_negative)
{
    /* reference.py "cronbach": numpy cov (ddof 1) of the 6 complete rows; column C runs
     * against the others, so alpha is negative */
    double alpha;
    size_t used;
    cr_assert_eq(qala_diag_cronbach(&alpha, &used, fix_x, FIX_N, FIX_M, FIX_N), QALA_OK);
    cr_expect_eq(used, 6);
    expect_rel(alpha, -0.4365079365079364, REL);
}

Test(diag_reference, fixture_pca_matches_numpy_eigh)
{
    /* reference.py "pca": numpy.linalg.eigh of corrcoef of the 6 complete rows, the last
     * (largest) eigenvector turned so that it sums to >= 0 */
    static const double load[FIX_M] = {0.51528213203847428, 0.4989399890398013,
                                       -0.47781950018043168, 0.50718018197300441};
    static const double wts[FIX_M] = {0.49376257506443844, 0.47810292356987905,
                                      -0.45786448268979923, 0.48599898405548181};
    qala_diag_pca info;
    double l[FIX_M], w[FIX_M];
    cr_assert_eq(qala_diag_pca_weights(&info, l, w, fix_x, FIX_N, FIX_M, FIX_N), QALA_OK);
    cr_expect_eq(info.n_used, 6);
    cr_expect_eq(info.n_negative, 1, "C loads negatively");
    expect_rel(info.variance_share, 0.91972559138412735, 1e-12);
    for (size_t j = 0; j < FIX_M; j++) {
        expect_rel(l[j], load[j], 1e-10);
        expect_rel(w[j], wts[j], 1e-10);
    }
}

Test(diag_reference, fixture_strengths_and_weaknesses_match_pandas_ranks)
{
    /* reference.py "strengths": DataFrame.rank(method="min", ascending=False), sorted by
     * (rank, column) for the best and (−rank, column) for the worst, k = 2 */
    static const size_t best[FIX_N][2] = {{0, 1}, {2, 3}, {1, 3}, {0, 3}, {1, 3},
                                          {2, 0}, {0, 1}, {2, 1}, {0, 1}, {2, 1}};
    static const size_t worst[FIX_N][2] = {{1, 2}, {0, 1}, {2, 3}, {2, 0}, {0, 1},
                                           {0, 1}, {2, 0}, {0, 3}, {2, 3}, {0, 3}};
    for (size_t u = 0; u < FIX_N; u++) {
        size_t b[2] = {99, 99}, w[2] = {99, 99}, count = 0;
        cr_assert_eq(qala_diag_strengths(b, w, &count, fix_x, FIX_N, FIX_M, FIX_N, u, 2), QALA_OK);
        cr_expect_eq(count, 2);
        for (size_t t = 0; t < 2; t++) {
            cr_expect_eq(b[t], best[u][t], "unit %zu best[%zu] = %zu, want %zu", u, t, b[t], best[u][t]);
            cr_expect_eq(w[t], worst[u][t], "unit %zu worst[%zu] = %zu, want %zu", u, t, w[t], worst[u][t]);
        }
    }
}

/* ---- ASEM, pillar ConEcFin, COINr's normalised table ---- */

#define ASEM_M 5
static const char *const asem_cols[ASEM_M] = {"Goods", "Services", "FDI", "PRemit", "ForPort"};

/* Loads the five columns into a column-major matrix (caller frees); *n gets the rows. */
static double *asem_matrix(size_t *n)
{
    coinr_table t;
    coinr_load(&t, "expected/ASEM_COIN_Normalised.csv");
    double *x = malloc(t.nrows * ASEM_M * sizeof *x);
    cr_assert_not_null(x);
    for (size_t j = 0; j < ASEM_M; j++)
        coinr_column(&t, asem_cols[j], x + j * t.nrows);
    *n = t.nrows;
    coinr_free(&t);
    return x;
}

Test(diag_reference, asem_statistics_match_pandas)
{
    static const double want[ASEM_M][5] = {
        {36.156447160950577, 27.886082217877199, 27.537704189139429, 0.7548462385926078, -0.5711162199009272},
        {30.582615035204618, 24.236583645042298, 26.887890319639567, 1.6247752297654108, 2.1155434562028135},
        {22.00100393393539, 11.605708752235399, 28.184994145799145, 1.9157389337656732, 2.4062482949684632},
        {25.172809989370307, 18.6630322707103, 19.671221618742404, 1.3535071994745642, 3.0350653202486781},
        {27.896827816217115, 14.0176975428882, 29.170125804234186, 1.359452428911947, 0.90110773635426922},
    };
    size_t n;
    double *x = asem_matrix(&n);
    cr_assert_eq(n, 51);
    for (size_t j = 0; j < ASEM_M; j++) {
        qala_diag_stats s;
        cr_assert_eq(qala_diag_stats_column(&s, x + j * n, 1, n), QALA_OK);
        cr_expect_eq(s.n_present, 51, "%s", asem_cols[j]);
        expect_rel(s.mean, want[j][0], REL);
        expect_rel(s.median, want[j][1], REL);
        expect_rel(s.sd, want[j][2], REL);
        expect_rel(s.skew, want[j][3], 1e-10);
        expect_rel(s.kurt, want[j][4], 1e-10);
        cr_expect_eq(s.outlier_flag, 0, "%s: no |skew| > 2", asem_cols[j]);
        cr_expect_eq(s.min, 0, "%s: normalised to 0..100", asem_cols[j]);
        cr_expect_eq(s.max, 100, "%s: normalised to 0..100", asem_cols[j]);
    }
    free(x);
}

Test(diag_reference, asem_correlations_match_pandas)
{
    static const double pearson[ASEM_M][ASEM_M] = {
        {1, 0.40300477391832218, 0.24106065595416953, 0.44779226756894674, 0.098418202112823552},
        {0.40300477391832218, 1, 0.23238129993393408, 0.25361253307656634, 0.72633043979057532},
        {0.24106065595416953, 0.23238129993393408, 1, 0.29563992627640717, 0.0095965089347962353},
        {0.44779226756894674, 0.25361253307656634, 0.29563992627640717, 1, -0.10811914460997707},
        {0.098418202112823552, 0.72633043979057532, 0.0095965089347962353, -0.10811914460997707, 1},
    };
    static const double spearman[ASEM_M][ASEM_M] = {
        {1, 0.62354012726858166, 0.38211603016489121, 0.59701357466063354, 0.099081161900869602},
        {0.62354012726858166, 1, 0.21269468979271722, 0.35282937069343145, 0.57048408804289918},
        {0.38211603016489121, 0.21269468979271722, 1, 0.32799348491652436, -0.16929971915245001},
        {0.59701357466063354, 0.35282937069343145, 0.32799348491652436, 1, -0.18757073317368828},
        {0.099081161900869602, 0.57048408804289918, -0.16929971915245001, -0.18757073317368828, 1},
    };
    size_t n;
    double *x = asem_matrix(&n);
    double r[ASEM_M * ASEM_M], s[ASEM_M * ASEM_M];
    cr_assert_eq(qala_diag_correlation(r, x, n, ASEM_M, n, QALA_DIAG_PEARSON), QALA_OK);
    cr_assert_eq(qala_diag_correlation(s, x, n, ASEM_M, n, QALA_DIAG_SPEARMAN), QALA_OK);
    for (size_t i = 0; i < ASEM_M; i++)
        for (size_t j = 0; j < ASEM_M; j++) {
            /* absolute tolerance: FDI–ForPort is near 0 */
            expect_rel(r[i + j * ASEM_M], pearson[i][j], REL);
            expect_rel(s[i + j * ASEM_M], spearman[i][j], REL);
        }
    free(x);
}

Test(diag_reference, asem_cronbach_and_pca_match_numpy)
{
    static const double load[ASEM_M] = {0.47955248884350365, 0.59458914925226758,
                                        0.33486303592367495, 0.38110775450850537,
                                        0.39889444801968615};
    static const double wts[ASEM_M] = {0.2190730846857015, 0.2716250714525007,
                                       0.15297486705560265, 0.17410075710203532,
                                       0.18222621970415964};
    size_t n, used;
    double *x = asem_matrix(&n);
    double alpha;
    cr_assert_eq(qala_diag_cronbach(&alpha, &used, x, n, ASEM_M, n), QALA_OK);
    cr_expect_eq(used, 51);
    expect_rel(alpha, 0.63204296793723835, REL);
    qala_diag_pca info;
    double l[ASEM_M], w[ASEM_M];
    cr_assert_eq(qala_diag_pca_weights(&info, l, w, x, n, ASEM_M, n), QALA_OK);
    cr_expect_eq(info.n_used, 51);
    cr_expect_eq(info.n_negative, 0);
    expect_rel(info.variance_share, 0.42114790813760755, 1e-12);
    double sum = 0;
    for (size_t j = 0; j < ASEM_M; j++) {
        expect_rel(l[j], load[j], 1e-10);
        expect_rel(w[j], wts[j], 1e-10);
        sum += w[j];
    }
    expect_rel(sum, 1.0, 1e-14);
    free(x);
}
