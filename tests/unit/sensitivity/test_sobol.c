/* tests/unit/sensitivity/test_sobol.c — the Saltelli design and the Sobol estimators
 * (src/sensitivity_sobol.c) on analytic functions whose indices are known:
 *  - Ishigami (a = 7, b = 0.1) on [−π, π]³: S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424,
 *    0.2437 (Ishigami & Homma 1990; Saltelli et al. 2008, "Global Sensitivity Analysis.
 *    The Primer", §4.7; the exact values are computed below from the variance terms
 *    V1 = ½(1 + bπ⁴/5)², V2 = a²/8, V13 = b²π⁸(1/18 − 1/50), V = V1 + V2 + V13).
 *  - The Sobol G-function Π (|4x − 2| + a_i)/(1 + a_i) on [0, 1]^d with a = (0, 1, 4.5, 9,
 *    99, 99): V_i = 1/(3(1 + a_i)²), V = Π(1 + V_i) − 1, S_i = V_i/V,
 *    ST_i = V_i Π_{j≠i}(1 + V_j)/V (Saltelli et al. 2010, Comput. Phys. Commun. 181, §4).
 * Tolerances are absolute, at the stated N (Sobol points, so the error shrinks about as
 * 1/N): the measured errors are below 0.001 (Ishigami S1 0.3142, S2 0.4426, S3 0.0003, ST
 * 0.5578, 0.4426, 0.2436; G S1 0.7170 against 0.7165).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

#include "qala/sensitivity.h"

static double ishigami(const double *u)
{
    double x1 = -PI + 2 * PI * u[0], x2 = -PI + 2 * PI * u[1],
           x3 = -PI + 2 * PI * u[2];
    return sin(x1) + 7.0 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

static const double g_a[6] = {0, 1, 4.5, 9, 99, 99};

static double gfun(const double *u)
{
    double p = 1;
    for (size_t i = 0; i < 6; i++)
        p *= (fabs(4 * u[i] - 2) + g_a[i]) / (1 + g_a[i]);
    return p;
}

/* Design of n rows and d factors, evaluated: y has n(d+2) values. */
static double *evaluate(size_t n, size_t d, double (*f)(const double *))
{
    size_t runs = n * (d + 2);
    double *x = malloc(runs * d * sizeof *x), *y = malloc(runs * sizeof *y);
    cr_assert(x && y);
    cr_assert_eq(qala_sobol_design(x, n, d), QALA_OK);
    for (size_t r = 0; r < runs; r++)
        y[r] = f(x + r * d);
    free(x);
    return y;
}

Test(sobol, design_rows_are_a_b_and_a_with_one_column_of_b)
{
    enum { N = 8, D = 3 };
    double x[N * (D + 2) * D];
    cr_assert_eq(qala_sobol_design(x, N, D), QALA_OK);
    /* GSL's Sobol sequence starts at (0.5, ..., 0.5), not the origin */
    for (size_t j = 0; j < D; j++) {
        cr_assert_eq(x[j], 0.5);
        cr_assert_eq(x[D + j], 0.5);
    }
    for (size_t i = 0; i < N; i++) {
        const double *a = x + i * (D + 2) * D, *b = a + D;
        for (size_t j = 0; j < D; j++) {
            const double *ab = a + (2 + j) * D;
            for (size_t k = 0; k < D; k++) {
                cr_assert_eq(ab[k], k == j ? b[k] : a[k], "row %zu AB%zu col %zu", i, j, k);
                cr_assert(a[k] >= 0 && a[k] < 1);
            }
        }
    }
}

Test(sobol, design_refuses_more_than_20_factors_clearly)
{
    double x[1];
    cr_assert_eq(qala_sobol_design(x, 0, 21), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message,
                     "a Sobol design of 21 factors needs 42 dimensions, but GSL's Sobol "
                     "sequence has at most 40 (at most 20 factors)");
    cr_assert_eq(qala_sobol_design(x, 0, 0), QALA_EINVAL);
    cr_assert_eq(qala_sobol_design(x, 0, 20), QALA_OK);
}

Test(sobol, ishigami_indices_within_0_005_at_n_16384)
{
    const double a = 7, b = 0.1, pi4 = pow(PI, 4), pi8 = pow(PI, 8);
    double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8,
           v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50), v = v1 + v2 + v13;
    double s[3] = {v1 / v, v2 / v, 0}, t[3] = {(v1 + v13) / v, v2 / v, v13 / v};
    /* the values quoted in the literature */
    const double s_lit[3] = {0.3139, 0.4424, 0}, t_lit[3] = {0.5576, 0.4424, 0.2437};
    for (int i = 0; i < 3; i++) {
        cr_assert_float_eq(s[i], s_lit[i], 1e-4, "S%d %.5f", i + 1, s[i]);
        cr_assert_float_eq(t[i], t_lit[i], 1e-4, "ST%d %.5f", i + 1, t[i]);
    }
    enum { N = 16384 };
    double *y = evaluate(N, 3, ishigami);
    qala_sobol_index out[3];
    cr_assert_eq(qala_sobol_indices(out, y, N, 3, 200, 42), QALA_OK);
    for (int i = 0; i < 3; i++) {
        cr_assert_float_eq(out[i].first, s[i], 0.005, "S%d: %.4f vs %.4f", i + 1, out[i].first,
                           s[i]);
        cr_assert_float_eq(out[i].total, t[i], 0.005, "ST%d: %.4f vs %.4f", i + 1, out[i].total,
                           t[i]);
        /* the bootstrap interval brackets the estimate */
        cr_assert(out[i].first_lo <= out[i].first && out[i].first <= out[i].first_hi);
        cr_assert(out[i].total_lo <= out[i].total && out[i].total <= out[i].total_hi);
        cr_assert_lt(out[i].total_hi - out[i].total_lo, 0.1);
    }
    free(y);
}

Test(sobol, g_function_indices_within_0_005_at_n_8192)
{
    double vi[6], prod = 1;
    for (int i = 0; i < 6; i++) {
        vi[i] = 1.0 / (3 * pow(1 + g_a[i], 2));
        prod *= 1 + vi[i];
    }
    double v = prod - 1;
    enum { N = 8192 };
    double *y = evaluate(N, 6, gfun);
    qala_sobol_index out[6];
    cr_assert_eq(qala_sobol_indices(out, y, N, 6, 100, 7), QALA_OK);
    for (int i = 0; i < 6; i++) {
        double s = vi[i] / v, t = vi[i] * prod / (1 + vi[i]) / v;
        cr_assert_float_eq(out[i].first, s, 0.005, "S%d: %.4f vs %.4f", i + 1, out[i].first, s);
        cr_assert_float_eq(out[i].total, t, 0.005, "ST%d: %.4f vs %.4f", i + 1, out[i].total, t);
    }
    /* x1 (a = 0) dominates: S1 = 0.7165 analytically; the a = 99 factors hardly matter */
    cr_assert_gt(out[0].first, 0.7);
    cr_assert_lt(out[5].total, 0.001);
    free(y);
}

Test(sobol, bootstrap_is_reproducible_for_a_seed)
{
    enum { N = 512 };
    double *y = evaluate(N, 3, ishigami);
    qala_sobol_index a[3], b[3], c[3];
    cr_assert_eq(qala_sobol_indices(a, y, N, 3, 100, 5), QALA_OK);
    cr_assert_eq(qala_sobol_indices(b, y, N, 3, 100, 5), QALA_OK);
    cr_assert_eq(qala_sobol_indices(c, y, N, 3, 100, 6), QALA_OK);
    cr_assert_eq(memcmp(a, b, sizeof a), 0);
    cr_assert_eq(a[0].first, c[0].first); /* the estimate does not depend on the seed */
    cr_assert_neq(a[0].first_lo, c[0].first_lo);
    free(y);
}

Test(sobol, bad_outputs_and_degenerate_cases)
{
    double y[5 * 3] = {0};
    qala_sobol_index out[3];
    /* constant output: no variance, indices NAN */
    cr_assert_eq(qala_sobol_indices(out, y, 3, 3, 10, 1), QALA_OK);
    cr_assert(isnan(out[0].first) && isnan(out[2].total_hi));
    y[4] = NAN;
    cr_assert_eq(qala_sobol_indices(out, y, 3, 3, 10, 1), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message, "Sobol indices: output of run 4 is not finite");
    cr_assert_eq(qala_sobol_indices(out, y, 3, 0, 10, 1), QALA_EINVAL);
    /* one row: too few to estimate */
    double y1[5] = {1, 2, 3, 4, 5};
    cr_assert_eq(qala_sobol_indices(out, y1, 1, 3, 10, 1), QALA_OK);
    cr_assert(isnan(out[1].first));
}
