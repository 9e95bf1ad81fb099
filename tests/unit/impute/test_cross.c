/* Cross-sectional imputation: mean, median, group mean and median worked out by hand,
 * missing groups, flags, strides, the method table, bad arguments and allocation
 * failures. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/impute.h"

static qala_impute_spec spec_of(qala_impute_method m)
{
    return (qala_impute_spec){.method = m};
}

Test(impute_cross, mean_fills_every_missing_cell_with_the_observed_mean)
{
    double x[] = {1, NAN, 2, 6, NAN};
    uint8_t f[5] = {0};
    qala_impute_report r;
    qala_impute_spec s = spec_of(QALA_IMPUTE_MEAN);
    cr_assert_eq(qala_impute(f, &r, x, 1, 5, &s), QALA_OK);
    /* (1 + 2 + 6) / 3 = 3 */
    cr_expect_eq(x[1], 3);
    cr_expect_eq(x[4], 3);
    cr_expect(x[0] == 1 && x[2] == 2 && x[3] == 6);
    uint8_t want[] = {0, QALA_IMPUTE_MEAN, 0, 0, QALA_IMPUTE_MEAN};
    cr_expect_arr_eq(f, want, 5);
    cr_expect_eq(r.n_missing, 2);
    cr_expect_eq(r.n_filled, 2);
    cr_expect_eq(r.n_left, 0);
}

Test(impute_cross, median_odd_and_even_counts)
{
    double a[] = {5, NAN, 1, 100};
    qala_impute_spec s = spec_of(QALA_IMPUTE_MEDIAN);
    cr_assert_eq(qala_impute(NULL, NULL, a, 1, 4, &s), QALA_OK);
    /* sorted 1 5 100: median 5 */
    cr_expect_eq(a[1], 5);
    double b[] = {NAN, 4, 1, 10, 2};
    cr_assert_eq(qala_impute(NULL, NULL, b, 1, 5, &s), QALA_OK);
    /* sorted 1 2 4 10: (2 + 4) / 2 = 3 (R's median) */
    cr_expect_eq(b[0], 3);
}

Test(impute_cross, nothing_observed_leaves_the_column_missing)
{
    double x[] = {NAN, NAN};
    uint8_t f[2] = {0};
    qala_impute_report r;
    for (int m = QALA_IMPUTE_MEAN; m <= QALA_IMPUTE_MEDIAN; m++) {
        qala_impute_spec s = spec_of((qala_impute_method)m);
        cr_assert_eq(qala_impute(f, &r, x, 1, 2, &s), QALA_OK);
        cr_expect(isnan(x[0]) && isnan(x[1]));
        cr_expect(f[0] == 0 && f[1] == 0);
        cr_expect_eq(r.n_missing, 2);
        cr_expect_eq(r.n_filled, 0);
        cr_expect_eq(r.n_left, 2);
    }
}

Test(impute_cross, group_mean_uses_the_units_of_the_same_group)
{
    /* group 0: 1, 3, NAN -> 2; group 1: 10, NAN -> 10; group 2: NAN only -> stays
     * missing; the unit in no group stays missing and does not count. */
    double x[] = {1, 10, 3, NAN, NAN, NAN, NAN, 1000};
    uint32_t g[] = {0, 1, 0, 0, 1, 2, QALA_IMPUTE_NO_GROUP, QALA_IMPUTE_NO_GROUP};
    uint8_t f[8] = {0};
    qala_impute_report r;
    qala_impute_spec s = {.method = QALA_IMPUTE_GROUP_MEAN, .group = g, .ngroups = 3};
    cr_assert_eq(qala_impute(f, &r, x, 1, 8, &s), QALA_OK);
    cr_expect_eq(x[3], 2);
    cr_expect_eq(x[4], 10);
    cr_expect(isnan(x[5]));
    cr_expect(isnan(x[6]));
    uint8_t want[] = {0, 0, 0, QALA_IMPUTE_GROUP_MEAN, QALA_IMPUTE_GROUP_MEAN, 0, 0, 0};
    cr_expect_arr_eq(f, want, 8);
    cr_expect_eq(r.n_missing, 4);
    cr_expect_eq(r.n_filled, 2);
    cr_expect_eq(r.n_left, 2);
}

Test(impute_cross, group_median_per_group)
{
    /* group 0: 7, 1, 4 -> 4; group 1: 2, 8 -> 5; group 2 empty */
    double x[] = {7, 2, NAN, 1, 8, NAN, 4, NAN};
    uint32_t g[] = {0, 1, 0, 0, 1, 1, 0, 2};
    uint8_t f[8] = {0};
    qala_impute_spec s = {.method = QALA_IMPUTE_GROUP_MEDIAN, .group = g, .ngroups = 3};
    cr_assert_eq(qala_impute(f, NULL, x, 1, 8, &s), QALA_OK);
    cr_expect_eq(x[2], 4);
    cr_expect_eq(x[5], 5);
    cr_expect(isnan(x[7]));
    cr_expect_eq(f[2], QALA_IMPUTE_GROUP_MEDIAN);
    cr_expect_eq(f[5], QALA_IMPUTE_GROUP_MEDIAN);
    cr_expect_eq(f[7], 0);
}

Test(impute_cross, strided_column_and_flags_by_cell_index)
{
    /* column 0 of a 4 × 2 row-major block; column 1 must stay as it is */
    double x[] = {2, NAN, NAN, NAN, 4, -1, NAN, -2};
    uint8_t f[4] = {0};
    qala_impute_spec s = spec_of(QALA_IMPUTE_MEAN);
    cr_assert_eq(qala_impute(f, NULL, x, 2, 4, &s), QALA_OK);
    /* (2 + 4) / 2 = 3 into cells 1 and 3 */
    cr_expect_eq(x[2], 3);
    cr_expect_eq(x[6], 3);
    cr_expect(isnan(x[1]) && isnan(x[3]));
    cr_expect(x[5] == -1 && x[7] == -2);
    uint8_t want[] = {0, QALA_IMPUTE_MEAN, 0, QALA_IMPUTE_MEAN};
    cr_expect_arr_eq(f, want, 4);
}

Test(impute_cross, none_changes_nothing)
{
    double x[] = {NAN, 1};
    uint8_t f[2] = {0};
    qala_impute_report r;
    qala_impute_spec s = {0};
    cr_assert_eq(qala_impute(f, &r, x, 1, 2, &s), QALA_OK);
    cr_expect(isnan(x[0]));
    cr_expect_eq(f[0], 0);
    cr_expect_eq(r.n_left, 1);
}

Test(impute_cross, method_table_codes_and_parse)
{
    size_t count = 0;
    const qala_impute_method_info *t = qala_impute_methods(&count);
    cr_assert_eq(count, QALA_IMPUTE_METHOD_COUNT);
    for (size_t i = 0; i < count; i++) {
        cr_expect_eq(t[i].method, (qala_impute_method)i);
        cr_expect_not_null(t[i].fn);
        qala_impute_method m;
        cr_expect_eq(qala_impute_method_parse(&m, t[i].name), QALA_OK);
        cr_expect_eq(m, t[i].method);
        cr_expect_str_eq(qala_impute_method_code(m), t[i].name);
    }
    cr_expect(t[QALA_IMPUTE_GROUP_MEDIAN].flags & QALA_IMPUTE_GROUPED);
    cr_expect(t[QALA_IMPUTE_LINEAR].flags & QALA_IMPUTE_PANEL);
    cr_expect_eq(t[QALA_IMPUTE_MEAN].flags, 0);
    qala_impute_method m;
    cr_expect_eq(qala_impute_method_parse(&m, "indgroup_mean"), QALA_OK);
    cr_expect_eq(m, QALA_IMPUTE_GROUP_MEAN);
    cr_expect_eq(qala_impute_method_parse(&m, "latest_year"), QALA_OK);
    cr_expect_eq(m, QALA_IMPUTE_LATEST);
    cr_expect_eq(qala_impute_method_parse(&m, "EM"), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "impute: unknown method 'EM' (expected none, mean, median, group_mean, "
                     "group_median, latest, nearest, linear or linear_constant)");
    cr_expect_str_eq(qala_impute_method_code((qala_impute_method)42), "?");
}

Test(impute_cross, bad_arguments_leave_x_and_flags_unchanged)
{
    double x[] = {1, NAN};
    uint8_t f[2] = {7, 7};
    uint32_t g[] = {0, 3};
    qala_impute_spec s = spec_of(QALA_IMPUTE_MEAN);
    cr_expect_eq(qala_impute(f, NULL, x, 1, 2, NULL), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "impute: spec must not be NULL");
    cr_expect_eq(qala_impute(f, NULL, NULL, 1, 2, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "impute: x must not be NULL when n > 0");
    cr_expect_eq(qala_impute(f, NULL, x, 0, 2, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "impute: stride must be at least 1");
    s.method = (qala_impute_method)9;
    cr_expect_eq(qala_impute(f, NULL, x, 1, 2, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "impute: method 9 is not a qala_impute_method");
    s = (qala_impute_spec){.method = QALA_IMPUTE_GROUP_MEAN, .group = NULL, .ngroups = 2};
    cr_expect_eq(qala_impute(f, NULL, x, 1, 2, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "impute: group_mean needs a group per unit and ngroups >= 1");
    s = (qala_impute_spec){.method = QALA_IMPUTE_GROUP_MEDIAN, .group = g, .ngroups = 0};
    cr_expect_eq(qala_impute(f, NULL, x, 1, 2, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "impute: group_median needs a group per unit and ngroups >= 1");
    s.ngroups = 2;
    cr_expect_eq(qala_impute(f, NULL, x, 1, 2, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "impute: group[1] = 3 is not below ngroups = 2");
    cr_expect(x[0] == 1 && isnan(x[1]));
    cr_expect(f[0] == 7 && f[1] == 7);
}

Test(impute_cross, allocation_failures_leave_x_unchanged_and_leak_nothing)
{
    uint32_t g[] = {0, 1, 0, 1, 0};
    qala_impute_method ms[] = {QALA_IMPUTE_MEDIAN, QALA_IMPUTE_GROUP_MEAN, QALA_IMPUTE_GROUP_MEDIAN};
    for (size_t k = 0; k < 3; k++) {
        qala_impute_spec s = {.method = ms[k], .group = g, .ngroups = 2};
        qala_status st = QALA_ENOMEM;
        long n_fail = 0;
        for (fail_at = 0; st == QALA_ENOMEM; fail_at++) {
            double x[] = {1, 2, NAN, 4, 5};
            calls = 0;
            qala_allocator_set(&failing_allocator);
            st = qala_impute(NULL, NULL, x, 1, 5, &s);
            qala_allocator_set(NULL);
            if (st == QALA_ENOMEM) {
                n_fail++;
                cr_expect(isnan(x[2]));
                cr_expect_eq(strncmp(qala_error_last()->message, "impute: out of memory", 21), 0);
            } else {
                cr_expect_eq(st, QALA_OK);
                cr_expect_not(isnan(x[2]));
            }
        }
        cr_expect_geq(n_fail, 1, "%s: no allocation failed", qala_impute_method_code(ms[k]));
    }
}
