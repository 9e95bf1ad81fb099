/* Diagnostics kernels on cases whose answer is known without a computer: a published
 * Cronbach's alpha example, equicorrelated columns (PCA and alpha in closed form),
 * perfectly linear and monotone data, hand-counted average ranks and strengths. */
#include <criterion/criterion.h>
#include <math.h>

#include "fixture.h"
#include "qala/diagnose.h"

Test(diag_textbook, cronbach_survey_example_is_0_674)
{
    /* thinkdeeply.cc/posts/survey-reliability ("Survey reliability"): 10 respondents ×
     * 4 Likert items X1..X4; average covariance 0.309, average variance 0.908,
     * alpha = 4·0.309 / (0.908 + 3·0.309) = 0.674 (also R psych::alpha there).
     * reference.py "survey cronbach" gives 0.6737266767523955 for the same table. */
    static const double x[40] = {
        3, 3, 3, 5, 2, 4, 3, 3, 4, 3, /* X1 */
        3, 3, 3, 4, 1, 4, 2, 4, 2, 3, /* X2 */
        3, 4, 3, 4, 4, 4, 3, 3, 2, 2, /* X3 */
        3, 3, 1, 5, 4, 5, 3, 3, 3, 3, /* X4 */
    };
    double alpha;
    size_t used;
    cr_assert_eq(qala_diag_cronbach(&alpha, &used, x, 10, 4, 10), QALA_OK);
    cr_expect_eq(used, 10);
    expect_rel(alpha, 0.674, 5e-4);
    expect_rel(alpha, 0.6737266767523955, 1e-12);
}

/* Sylvester's Hadamard matrix of order 8: H[i][j] = (−1)^popcount(i & j); its columns
 * 1..7 have mean 0, are mutually orthogonal and have squared norm 8. */
static double hadamard(unsigned i, unsigned j)
{
    return __builtin_popcount(i & j) % 2 ? -1.0 : 1.0;
}

/* m columns x_j = a·h_1 + b·h_(j+1): every pair has correlation a²/(a² + b²) exactly. */
static void equicorrelated(double *x, size_t m, double a, double b)
{
    for (size_t j = 0; j < m; j++)
        for (unsigned i = 0; i < 8; i++)
            x[i + j * 8] = a * hadamard(i, 1) + b * hadamard(i, (unsigned)j + 2) + 10.0 * (double)j;
}

Test(diag_textbook, pca_of_equicorrelated_columns_has_equal_loadings)
{
    /* correlation matrix (1 − ρ)I + ρ11ᵀ: first eigenvector 1/√m, eigenvalue
     * 1 + (m − 1)ρ, so the variance share is (1 + (m − 1)ρ)/m; ρ = 1/(1 + 1) = 0.5 here */
    enum { M = 5 };
    double x[8 * M], l[M], w[M];
    equicorrelated(x, M, 1.0, 1.0);
    qala_diag_pca info;
    cr_assert_eq(qala_diag_pca_weights(&info, l, w, x, 8, M, 8), QALA_OK);
    cr_expect_eq(info.n_used, 8);
    cr_expect_eq(info.n_negative, 0);
    expect_rel(info.variance_share, (1 + (M - 1) * 0.5) / M, 1e-14);
    for (size_t j = 0; j < M; j++) {
        expect_rel(l[j], 1 / sqrt((double)M), 1e-14);
        expect_rel(w[j], 1.0 / M, 1e-14);
    }
    double r[M * M];
    cr_assert_eq(qala_diag_correlation(r, x, 8, M, 8, QALA_DIAG_PEARSON), QALA_OK);
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < M; j++)
            expect_rel(r[i + j * M], i == j ? 1.0 : 0.5, 1e-15);
}

Test(diag_textbook, pca_of_equicorrelated_columns_with_rho_0_8)
{
    /* a = 2, b = 1: ρ = 4/5; variance share (1 + 3·0.8)/4 = 0.85 */
    enum { M = 4 };
    double x[8 * M], l[M];
    equicorrelated(x, M, 2.0, 1.0);
    qala_diag_pca info;
    cr_assert_eq(qala_diag_pca_weights(&info, l, NULL, x, 8, M, 8), QALA_OK);
    expect_rel(info.variance_share, 0.85, 1e-14);
    for (size_t j = 0; j < M; j++)
        expect_rel(l[j], 0.5, 1e-14);
}

Test(diag_textbook, cronbach_of_equicorrelated_equal_variances_is_spearman_brown)
{
    /* equal variances and common correlation ρ: alpha = mρ/(1 + (m − 1)ρ) (standardised
     * alpha, the Spearman–Brown formula); m = 4, ρ = 0.5 gives 0.8 */
    enum { M = 4 };
    double x[8 * M], alpha;
    equicorrelated(x, M, 1.0, 1.0);
    cr_assert_eq(qala_diag_cronbach(&alpha, NULL, x, 8, M, 8), QALA_OK);
    expect_rel(alpha, 0.8, 1e-14);
}

Test(diag_textbook, pearson_of_linear_data_is_plus_or_minus_one)
{
    double x[3 * 6];
    for (size_t i = 0; i < 6; i++) {
        double t = (double)i * 1.7 - 2;
        x[i] = t;
        x[i + 6] = 3 * t - 2;    /* increasing line */
        x[i + 12] = -0.5 * t + 9; /* decreasing line */
    }
    double r[9];
    cr_assert_eq(qala_diag_correlation(r, x, 6, 3, 6, QALA_DIAG_PEARSON), QALA_OK);
    expect_rel(r[0 + 1 * 3], 1.0, 1e-15);
    expect_rel(r[0 + 2 * 3], -1.0, 1e-15);
    expect_rel(r[1 + 2 * 3], -1.0, 1e-15);
    for (size_t k = 0; k < 9; k++)
        cr_expect(fabs(r[k]) <= 1.0, "clamped to [-1, 1]: %.17g", r[k]);
}

Test(diag_textbook, spearman_of_monotone_nonlinear_data_is_one_and_pearson_is_not)
{
    double x[2 * 7];
    for (size_t i = 0; i < 7; i++) {
        x[i] = (double)i;
        x[i + 7] = exp((double)i); /* strictly increasing, far from linear */
    }
    double s[4], p[4];
    cr_assert_eq(qala_diag_correlation(s, x, 7, 2, 7, QALA_DIAG_SPEARMAN), QALA_OK);
    cr_assert_eq(qala_diag_correlation(p, x, 7, 2, 7, QALA_DIAG_PEARSON), QALA_OK);
    cr_expect_eq(s[2], 1.0);
    cr_expect_lt(p[2], 0.95, "Pearson %.17g", p[2]);
}

Test(diag_textbook, spearman_gives_ties_their_average_rank)
{
    /* a = (1, 2, 2, 3) ranks (1, 2.5, 2.5, 4); b = (10, 20, 30, 40) ranks (1, 2, 3, 4):
     * Σda·db = 4.5, Σda² = 4.5, Σdb² = 5, so ρ = 4.5/√22.5 = 3/√10 (by hand) */
    const double x[8] = {1, 2, 2, 3, 10, 20, 30, 40};
    double s[4];
    cr_assert_eq(qala_diag_correlation(s, x, 4, 2, 4, QALA_DIAG_SPEARMAN), QALA_OK);
    expect_rel(s[2], 3 / sqrt(10.0), 1e-15);
    expect_rel(s[1], 3 / sqrt(10.0), 1e-15);
}

Test(diag_textbook, leading_dimension_skips_padding_rows)
{
    /* the same 4 × 2 matrix stored with ld = 6 (two junk rows per column) */
    const double x[12] = {1, 2, 2, 3, 99, -99, 10, 20, 30, 40, -5, 1e9};
    double s[4];
    cr_assert_eq(qala_diag_correlation(s, x, 4, 2, 6, QALA_DIAG_SPEARMAN), QALA_OK);
    expect_rel(s[2], 3 / sqrt(10.0), 1e-15);
    size_t best[2], count;
    cr_assert_eq(qala_diag_strengths(best, NULL, &count, x, 4, 2, 6, 3, 2), QALA_OK);
    cr_expect_eq(count, 2);
    cr_expect_eq(best[0], 0, "row 3 is first on both: ties broken by column order");
}

Test(diag_textbook, pca_of_an_opposed_pair_orients_by_the_first_loading)
{
    /* r = −0.6 by hand (deviations (−1.5, −0.5, 0.5, 1.5) and (0.5, 1.5, −1.5, −0.5):
     * Σda·db = −3, Σda² = Σdb² = 5). The 2 × 2 correlation matrix has eigenvalues 1 ± r;
     * the largest, 1.6, has eigenvector (1, −1)/√2: share 0.8, loadings summing to 0, so
     * the first is made positive and the weights (÷ 0) are NAN */
    const double x[8] = {1, 2, 3, 4, 3, 4, 1, 2};
    qala_diag_pca info;
    double l[2], w[2];
    cr_assert_eq(qala_diag_pca_weights(&info, l, w, x, 4, 2, 4), QALA_OK);
    expect_rel(info.variance_share, 0.8, 1e-14);
    expect_rel(l[0], 1 / sqrt(2.0), 1e-14);
    expect_rel(l[1], -1 / sqrt(2.0), 1e-14);
    cr_expect_eq(info.n_negative, 1);
    /* LAPACK returns them about 1e-16 apart: a zero sum to rounding, not 1e16 weights */
    cr_expect(isnan(w[0]) && isnan(w[1]), "weights of a zero sum are NAN: %g %g", w[0], w[1]);
}

Test(diag_textbook, strengths_count_stops_at_the_scored_columns)
{
    /* Tamar (row 3) has no B: 3 scored columns. Ranks (pandas, reference.py): A 3 (4.0
     * ties Zhaly; 7.0 and 5.5 above), C 5, D 3 → best A, D, C; worst C, A, D */
    size_t best[5], worst[5], count;
    cr_assert_eq(qala_diag_strengths(best, worst, &count, fix_x, FIX_N, FIX_M, FIX_N, 3, 5),
                 QALA_OK);
    cr_assert_eq(count, 3);
    cr_expect_eq(best[0], 0);
    cr_expect_eq(best[1], 3);
    cr_expect_eq(best[2], 2);
    cr_expect_eq(worst[0], 2);
    cr_expect_eq(worst[1], 0);
    cr_expect_eq(worst[2], 3);
    cr_assert_eq(qala_diag_strengths(best, worst, &count, fix_x, FIX_N, FIX_M, FIX_N, 3, 0),
                 QALA_OK);
    cr_expect_eq(count, 0);
}
