/* Diagnostics kernels on bad and degenerate input: NULL pointers, n = 0, ld < n, unknown
 * method or unit, constant and all-missing columns, too few rows or columns, and every
 * allocation failing in turn (failing_alloc.h; ASan's leak check proves the cleanup). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "failing_alloc.h"
#include "fixture.h"
#include "qala/diagnose.h"

static void expect_error(qala_status got, qala_status want, const char *fragment)
{
    cr_expect_eq(got, want, "status %d, want %d", got, want);
    cr_expect(strstr(qala_error_last()->message, fragment) != NULL, "message \"%s\" lacks \"%s\"",
              qala_error_last()->message, fragment);
}

Test(diag_bad_input, null_pointers_are_einval)
{
    qala_diag_stats s;
    double r[16], alpha = 0;
    qala_diag_pca info;
    size_t count = 7, best[2];
    expect_error(qala_diag_stats_column(NULL, fix_x, 1, FIX_N), QALA_EINVAL, "out must not");
    expect_error(qala_diag_stats_column(&s, NULL, 1, 3), QALA_EINVAL, "x must not");
    expect_error(qala_diag_stats_column(&s, fix_x, 0, FIX_N), QALA_EINVAL, "stride");
    expect_error(qala_diag_correlation(NULL, fix_x, FIX_N, FIX_M, FIX_N, QALA_DIAG_PEARSON),
                 QALA_EINVAL, "out must not");
    expect_error(qala_diag_correlation(r, NULL, FIX_N, FIX_M, FIX_N, QALA_DIAG_PEARSON),
                 QALA_EINVAL, "x must not");
    expect_error(qala_diag_cronbach(NULL, NULL, fix_x, FIX_N, FIX_M, FIX_N), QALA_EINVAL,
                 "alpha must not");
    expect_error(qala_diag_cronbach(&alpha, NULL, NULL, FIX_N, FIX_M, FIX_N), QALA_EINVAL,
                 "x must not");
    cr_expect(isnan(alpha), "alpha is NAN after an error");
    expect_error(qala_diag_pca_weights(NULL, NULL, NULL, fix_x, FIX_N, FIX_M, FIX_N),
                 QALA_EINVAL, "info must not");
    expect_error(qala_diag_pca_weights(&info, NULL, NULL, NULL, FIX_N, FIX_M, FIX_N),
                 QALA_EINVAL, "x must not");
    expect_error(qala_diag_strengths(best, NULL, NULL, fix_x, FIX_N, FIX_M, FIX_N, 0, 2),
                 QALA_EINVAL, "count must not");
    expect_error(qala_diag_strengths(best, NULL, &count, NULL, FIX_N, FIX_M, FIX_N, 0, 2),
                 QALA_EINVAL, "x must not");
    cr_expect_eq(count, 0);
}

Test(diag_bad_input, leading_dimension_below_rows_is_einval)
{
    double r[16] = {0}, alpha;
    qala_diag_pca info;
    size_t count;
    expect_error(qala_diag_correlation(r, fix_x, FIX_N, FIX_M, FIX_N - 1, QALA_DIAG_SPEARMAN),
                 QALA_EINVAL, "leading dimension 9 is less than the 10 rows");
    cr_expect_eq(r[0], 0, "out untouched");
    expect_error(qala_diag_cronbach(&alpha, NULL, fix_x, FIX_N, FIX_M, 3), QALA_EINVAL,
                 "leading dimension");
    expect_error(qala_diag_pca_weights(&info, NULL, NULL, fix_x, FIX_N, FIX_M, 0), QALA_EINVAL,
                 "leading dimension");
    expect_error(qala_diag_strengths(NULL, NULL, &count, fix_x, FIX_N, FIX_M, 5, 0, 1),
                 QALA_EINVAL, "leading dimension");
}

Test(diag_bad_input, unknown_method_and_unit_out_of_range_are_einval)
{
    double r[16];
    size_t count;
    expect_error(qala_diag_correlation(r, fix_x, FIX_N, FIX_M, FIX_N, (qala_diag_corr_method)7),
                 QALA_EINVAL, "unknown method 7");
    expect_error(qala_diag_strengths(NULL, NULL, &count, fix_x, FIX_N, FIX_M, FIX_N, FIX_N, 1),
                 QALA_EINVAL, "unit 10 is not among the 10 rows");
}

Test(diag_bad_input, zero_rows_give_nan_results)
{
    qala_diag_stats s;
    cr_assert_eq(qala_diag_stats_column(&s, NULL, 1, 0), QALA_OK);
    cr_expect_eq(s.n, 0);
    cr_expect_eq(s.n_present, 0);
    cr_expect(isnan(s.availability) && isnan(s.mean) && isnan(s.median) && isnan(s.sd));
    double r[4];
    cr_assert_eq(qala_diag_correlation(r, NULL, 0, 2, 0, QALA_DIAG_PEARSON), QALA_OK);
    for (size_t k = 0; k < 4; k++)
        cr_expect(isnan(r[k]), "r[%zu] = %g", k, r[k]);
    double alpha;
    size_t used = 9;
    cr_assert_eq(qala_diag_cronbach(&alpha, &used, NULL, 0, 2, 0), QALA_OK);
    cr_expect(isnan(alpha));
    cr_expect_eq(used, 0);
    qala_diag_pca info;
    double l[2] = {0, 0};
    cr_assert_eq(qala_diag_pca_weights(&info, l, NULL, NULL, 0, 2, 0), QALA_OK);
    cr_expect_eq(info.n_used, 0);
    cr_expect(isnan(l[0]) && isnan(l[1]) && isnan(info.variance_share));
}

Test(diag_bad_input, zero_columns_write_nothing)
{
    double r[1] = {42};
    cr_assert_eq(qala_diag_correlation(r, fix_x, FIX_N, 0, FIX_N, QALA_DIAG_PEARSON), QALA_OK);
    cr_expect_eq(r[0], 42);
    size_t count = 5;
    cr_assert_eq(qala_diag_strengths(NULL, NULL, &count, fix_x, FIX_N, 0, FIX_N, 0, 3), QALA_OK);
    cr_expect_eq(count, 0);
}

/* fixture A, then a constant column, then an all-missing column */
static void degenerate(double *x)
{
    memcpy(x, fix_x, FIX_N * sizeof *x);
    for (size_t i = 0; i < FIX_N; i++) {
        x[FIX_N + i] = 5.0;
        x[2 * FIX_N + i] = NAN;
    }
}

Test(diag_bad_input, constant_column_has_nan_correlations_and_statistics)
{
    double x[3 * FIX_N], r[9];
    degenerate(x);
    for (int method = 0; method < 2; method++) {
        cr_assert_eq(qala_diag_correlation(r, x, FIX_N, 3, FIX_N, (qala_diag_corr_method)method),
                     QALA_OK);
        cr_expect_eq(r[0], 1.0);
        /* reference.py "constant column E": pandas gives NaN on its whole row, diagonal too */
        for (size_t k = 0; k < 3; k++)
            cr_expect(isnan(r[1 + k * 3]), "method %d r[1,%zu] = %g", method, k, r[1 + k * 3]);
    }
    qala_diag_stats s;
    cr_assert_eq(qala_diag_stats_column(&s, x + FIX_N, 1, FIX_N), QALA_OK);
    cr_expect_eq(s.n_unique, 1);
    cr_expect_eq(s.sd, 0.0);
    cr_expect_eq(s.median, 5.0);
    cr_expect(isnan(s.skew) && isnan(s.kurt));
    cr_expect_eq(s.outlier_flag, 0);
    /* PCA refuses a constant column (prcomp(scale = TRUE) would stop): NAN outputs */
    qala_diag_pca info;
    double l[2], w[2];
    cr_assert_eq(qala_diag_pca_weights(&info, l, w, x, FIX_N, 2, FIX_N), QALA_OK);
    cr_expect_eq(info.n_used, 9);
    cr_expect(isnan(l[0]) && isnan(w[1]) && isnan(info.variance_share));
    /* two constant columns: zero total variance */
    double alpha;
    cr_assert_eq(qala_diag_cronbach(&alpha, NULL, x + FIX_N, FIX_N, 1, FIX_N), QALA_OK);
    cr_expect(isnan(alpha), "one column");
    double cc[2 * FIX_N];
    for (size_t i = 0; i < 2 * FIX_N; i++)
        cc[i] = 3.0;
    cr_assert_eq(qala_diag_cronbach(&alpha, NULL, cc, FIX_N, 2, FIX_N), QALA_OK);
    cr_expect(isnan(alpha), "zero total variance");
}

Test(diag_bad_input, all_missing_column_has_no_statistics_or_complete_rows)
{
    double x[3 * FIX_N], r[9];
    degenerate(x);
    qala_diag_stats s;
    cr_assert_eq(qala_diag_stats_column(&s, x + 2 * FIX_N, 1, FIX_N), QALA_OK);
    cr_expect_eq(s.n_present, 0);
    cr_expect_eq(s.availability, 0.0);
    cr_expect_eq(s.n_unique, 0);
    cr_expect(isnan(s.zero_share) && isnan(s.min) && isnan(s.max) && isnan(s.mean));
    cr_assert_eq(qala_diag_correlation(r, x, FIX_N, 3, FIX_N, QALA_DIAG_SPEARMAN), QALA_OK);
    for (size_t k = 0; k < 3; k++)
        cr_expect(isnan(r[2 + k * 3]), "r[2,%zu] = %g", k, r[2 + k * 3]);
    double alpha;
    size_t used = 99;
    cr_assert_eq(qala_diag_cronbach(&alpha, &used, x, FIX_N, 3, FIX_N), QALA_OK);
    cr_expect_eq(used, 0);
    cr_expect(isnan(alpha));
    qala_diag_pca info;
    double w[3];
    cr_assert_eq(qala_diag_pca_weights(&info, NULL, w, x, FIX_N, 3, FIX_N), QALA_OK);
    cr_expect_eq(info.n_used, 0);
    cr_expect(isnan(w[0]) && isnan(w[2]));
    /* a unit with no score anywhere has no strengths */
    size_t count = 9;
    cr_assert_eq(qala_diag_strengths(NULL, NULL, &count, x + 2 * FIX_N, FIX_N, 1, FIX_N, 4, 3),
                 QALA_OK);
    cr_expect_eq(count, 0);
}

Test(diag_bad_input, too_few_rows_for_pca_or_alpha_are_nan)
{
    /* two complete rows: alpha is defined (n − 1 = 1), PCA needs 3 */
    const double x[4] = {1, 2, 3, 5};
    double alpha, l[2];
    size_t used;
    cr_assert_eq(qala_diag_cronbach(&alpha, &used, x, 2, 2, 2), QALA_OK);
    cr_expect_eq(used, 2);
    cr_expect(!isnan(alpha));
    qala_diag_pca info;
    cr_assert_eq(qala_diag_pca_weights(&info, l, NULL, x, 2, 2, 2), QALA_OK);
    cr_expect_eq(info.n_used, 2);
    cr_expect(isnan(l[0]) && isnan(l[1]));
    /* one column: neither */
    cr_assert_eq(qala_diag_cronbach(&alpha, NULL, fix_x, FIX_N, 1, FIX_N), QALA_OK);
    cr_expect(isnan(alpha));
    cr_assert_eq(qala_diag_pca_weights(&info, l, NULL, fix_x, FIX_N, 1, FIX_N), QALA_OK);
    cr_expect(isnan(l[0]));
    /* a pair with one common row has no correlation */
    const double y[6] = {1, NAN, 2, NAN, 4, 5};
    double r[4];
    cr_assert_eq(qala_diag_correlation(r, y, 3, 2, 3, QALA_DIAG_PEARSON), QALA_OK);
    cr_expect(isnan(r[2]));
    cr_expect_eq(r[0], 1.0);
}

/* ---- every allocation failing in turn ---- */

#define TORTURE(call, ok_check)                                                            \
    do {                                                                                   \
        qala_allocator_set(&failing_allocator);                                            \
        qala_status st_ = QALA_ENOMEM;                                                     \
        for (fail_at = 0; fail_at < 50; fail_at++) {                                       \
            calls = 0;                                                                     \
            st_ = (call);                                                                  \
            if (st_ == QALA_OK)                                                            \
                break;                                                                     \
            cr_expect_eq(st_, QALA_ENOMEM, "fail_at %ld: status %d", fail_at, st_);        \
        }                                                                                  \
        qala_allocator_set(NULL);                                                          \
        cr_assert_eq(st_, QALA_OK, "never succeeded");                                     \
        cr_expect_gt(fail_at, 0, "at least one allocation was failed");                   \
        ok_check;                                                                          \
    } while (0)

Test(diag_bad_input, allocation_failures_are_enomem_and_leak_nothing)
{
    qala_diag_stats s;
    TORTURE(qala_diag_stats_column(&s, fix_x, 1, FIX_N), cr_expect_eq(s.n_present, 9));

    double r[FIX_M * FIX_M];
    for (int method = 0; method < 2; method++)
        TORTURE(qala_diag_correlation(r, fix_x, FIX_N, FIX_M, FIX_N, (qala_diag_corr_method)method),
                cr_expect_eq(r[5], 1.0));

    double alpha;
    TORTURE(qala_diag_cronbach(&alpha, NULL, fix_x, FIX_N, FIX_M, FIX_N),
            expect_rel(alpha, -0.4365079365079364, 1e-12));

    qala_diag_pca info;
    double l[FIX_M], w[FIX_M];
    TORTURE(qala_diag_pca_weights(&info, l, w, fix_x, FIX_N, FIX_M, FIX_N),
            expect_rel(l[0], 0.51528213203847428, 1e-10));
    cr_expect_geq(fail_at, 4, "keep, z, isuppz and the LAPACK workspace all fail in turn");

    size_t best[2], count;
    TORTURE(qala_diag_strengths(best, NULL, &count, fix_x, FIX_N, FIX_M, FIX_N, 0, 2),
            cr_expect_eq(count, 2));
}

Test(diag_bad_input, failed_correlation_leaves_out_untouched)
{
    double r[FIX_M * FIX_M];
    for (size_t k = 0; k < FIX_M * FIX_M; k++)
        r[k] = -7;
    qala_allocator_set(&failing_allocator);
    calls = 0;
    fail_at = 0;
    qala_status st = qala_diag_correlation(r, fix_x, FIX_N, FIX_M, FIX_N, QALA_DIAG_SPEARMAN);
    qala_allocator_set(NULL);
    expect_error(st, QALA_ENOMEM, "out of memory");
    for (size_t k = 0; k < FIX_M * FIX_M; k++)
        cr_expect_eq(r[k], -7);
}
