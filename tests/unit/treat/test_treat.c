/* Outlier treatment by hand: type-2 skew and kurtosis, winsorising (one step, ties, the
 * low side, several steps), the transforms when winsorising fails, columns that cannot
 * be judged, missing cells, the transform table, bad arguments and allocation failures.
 * The skew and kurtosis quoted in comments were worked out with exact fractions from
 * G1 = g1·√(n(n−1))/(n−2), G2 = ((n+1)g2 + 6)(n−1)/((n−2)(n−3)) (qala/treat.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/treat.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static qala_treat_spec spec_default(void)
{
    return QALA_TREAT_SPEC_DEFAULT;
}

static const char *describe(const qala_treat_report *r, const qala_treat_spec *s)
{
    static char buf[128];
    qala_treat_describe(buf, sizeof buf, r, s);
    return buf;
}

Test(treat, skew_and_kurtosis_are_type_2)
{
    /* {1×9, 10}: mean 1.9, m2 = 7.29, m3 = 52.488, m4 = 431.0577; g1 = 8/3, g2 = 46/9;
     * G1 = (8/3)·√90/8 = √10, G2 = (11·46/9 + 6)·9/56 = 10 (Excel: SKEW 3.16227766,
     * KURT 10). */
    double x[] = {1, 1, 1, 1, 1, NAN, 1, 1, 1, 1, 10};
    double s, k;
    cr_assert_eq(qala_treat_skew_kurt(&s, &k, x, 1, LEN(x)), QALA_OK);
    cr_expect_float_eq(s, sqrt(10), 1e-13);
    cr_expect_float_eq(k, 10, 1e-12);
    /* mirrored: skew −√10, the same kurtosis */
    for (size_t i = 0; i < LEN(x); i++)
        x[i] = -x[i];
    cr_assert_eq(qala_treat_skew_kurt(&s, NULL, x, 1, LEN(x)), QALA_OK);
    cr_expect_float_eq(s, -sqrt(10), 1e-13);
}

Test(treat, statistics_of_too_few_or_equal_values_are_nan)
{
    double three[] = {1, 2, 10}, s, k;
    cr_assert_eq(qala_treat_skew_kurt(&s, &k, three, 1, 3), QALA_OK);
    /* n = 3: skew defined (g1 = 0.6520236646... · √6) but kurtosis needs n >= 4 */
    cr_expect_not(isnan(s));
    cr_expect(isnan(k));
    double flat[] = {4, 4, 4, 4, 4};
    cr_assert_eq(qala_treat_skew_kurt(&s, &k, flat, 1, 5), QALA_OK);
    cr_expect(isnan(s) && isnan(k));
    uint8_t f[5] = {9, 9, 9, 9, 9};
    qala_treat_report r;
    qala_treat_spec sp = spec_default();
    cr_assert_eq(qala_treat(f, &r, flat, 1, 5, &sp), QALA_OK);
    cr_expect_eq(r.outcome, QALA_TREAT_UNTREATED);
    cr_expect_eq(f[0], QALA_TREAT_FLAG_NONE);
    cr_expect_eq(flat[4], 4);
}

Test(treat, column_that_passes_is_untouched)
{
    /* {1..9, 100, 100}: skew 1.904 < 2 */
    double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 100};
    uint8_t f[LEN(x)];
    memset(f, 7, sizeof f);
    qala_treat_report r;
    qala_treat_spec s = spec_default();
    cr_assert_eq(qala_treat(f, &r, x, 1, LEN(x), &s), QALA_OK);
    cr_expect_eq(r.outcome, QALA_TREAT_UNTREATED);
    cr_expect_eq(r.steps, 0);
    cr_expect_float_eq(r.skew0, 1.9044048999173424, 1e-12);
    cr_expect_eq(r.skew, r.skew0);
    cr_expect_eq(x[9], 100);
    for (size_t i = 0; i < LEN(x); i++)
        cr_expect_eq(f[i], QALA_TREAT_FLAG_NONE);
    cr_expect_str_eq(describe(&r, &s), "None");
}

Test(treat, one_high_step)
{
    /* {1..9, 100}: skew 3.1189, kurt 9.7992 (58319274/5951405) fail; 100 -> 9 gives
     * {1..9, 9}: skew −0.1515, which passes. */
    double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
    uint8_t f[LEN(x)];
    qala_treat_report r;
    qala_treat_spec s = spec_default();
    cr_assert_eq(qala_treat(f, &r, x, 1, LEN(x), &s), QALA_OK);
    cr_expect_eq(r.outcome, QALA_TREAT_WINSORISED);
    cr_expect_eq(r.steps, 1);
    cr_expect_eq(r.n_high, 1);
    cr_expect_eq(r.n_low, 0);
    cr_expect_float_eq(r.skew0, 3.1188957452390875, 1e-12);
    cr_expect_float_eq(r.kurt0, 58319274.0 / 5951405.0, 1e-12);
    cr_expect_float_eq(r.skew, -0.15146310708295818, 1e-12);
    cr_expect_eq(x[9], 9);
    cr_expect_eq(f[9], QALA_TREAT_FLAG_WIN_HIGH);
    for (size_t i = 0; i < 9; i++) {
        cr_expect_eq(x[i], (double)(i + 1));
        cr_expect_eq(f[i], QALA_TREAT_FLAG_NONE);
    }
    cr_expect_str_eq(describe(&r, &s), "Winsorised 1 points");
}

Test(treat, one_low_step_on_the_mirrored_column)
{
    double x[] = {-1, -2, -3, -4, -5, -6, -7, -8, -9, -100};
    uint8_t f[LEN(x)];
    qala_treat_report r;
    qala_treat_spec s = spec_default();
    cr_assert_eq(qala_treat(f, &r, x, 1, LEN(x), &s), QALA_OK);
    cr_expect_eq(r.steps, 1);
    cr_expect_eq(r.n_low, 1);
    cr_expect_eq(r.n_high, 0);
    cr_expect_eq(x[9], -9);
    cr_expect_eq(f[9], QALA_TREAT_FLAG_WIN_LOW);
}

Test(treat, tied_maxima_move_together_in_one_step)
{
    /* {0×16, 1, 2, 3, 10, 10}: skew 2.663, kurt 6.165 fail; both 10s -> 3 in one step:
     * {0×16, 1, 2, 3, 3, 3}: skew 1.685 passes. COINr counts the step ("Winsorised 1
     * points") and flags both cells (High = 2). */
    double x[21] = {0};
    x[16] = 1, x[17] = 2, x[18] = 3, x[19] = 10, x[20] = 10;
    uint8_t f[21];
    qala_treat_report r;
    qala_treat_spec s = spec_default();
    cr_assert_eq(qala_treat(f, &r, x, 1, 21, &s), QALA_OK);
    cr_expect_eq(r.steps, 1);
    cr_expect_eq(r.n_high, 2);
    cr_expect(x[19] == 3 && x[20] == 3);
    cr_expect(f[19] == QALA_TREAT_FLAG_WIN_HIGH && f[20] == QALA_TREAT_FLAG_WIN_HIGH);
    cr_expect_eq(f[18], QALA_TREAT_FLAG_NONE); /* already 3: not changed, not flagged */
    cr_expect_str_eq(describe(&r, &s), "Winsorised 1 points");
}

/* {0×20, 1, 5, 20} with the missing cells between: step 1 (20 -> 5) leaves skew 3.037,
 * kurt 8.114; step 2 (5, 5 -> 1) leaves 2.351, 3.855: still failing. */
static double multi[] = {0, 0, 0, 0, 0, NAN, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                         0, 0, 0, 0, 0, 0, 1, 5, NAN, 20};
#define NMULTI LEN(multi)

Test(treat, winmax_reached_transforms_the_original_values)
{
    double x[NMULTI];
    memcpy(x, multi, sizeof x);
    uint8_t f[NMULTI];
    qala_treat_report r;
    qala_treat_spec s = spec_default();
    s.winmax = 2;
    cr_assert_eq(qala_treat(f, &r, x, 1, NMULTI, &s), QALA_OK);
    cr_expect_eq(r.outcome, QALA_TREAT_TRANSFORMED);
    cr_expect_eq(r.steps, 2);
    cr_expect_eq(r.n_high + r.n_low, 0);
    cr_expect_eq(r.n_transformed, 23);
    /* log_ct: min 0, max 20, a = 0.01·20 = 0.2: ln(x + 0.2) of the original x */
    cr_expect_float_eq(x[0], log(0.2), 1e-15);
    cr_expect_float_eq(x[21], log(1.2), 1e-15);
    cr_expect_float_eq(x[22], log(5.2), 1e-15);
    cr_expect_float_eq(x[24], log(20.2), 1e-15);
    cr_expect(isnan(x[5]) && isnan(x[23]));
    cr_expect_eq(f[0], QALA_TREAT_FLAG_TRANSFORM);
    cr_expect_eq(f[24], QALA_TREAT_FLAG_TRANSFORM);
    cr_expect_eq(f[5], QALA_TREAT_FLAG_NONE);
    cr_expect_str_eq(describe(&r, &s), "CTLog (exceeded winmax)");
}

Test(treat, a_step_to_a_single_value_is_refused)
{
    /* step 3 would set 1, 1, 1 -> 0: one value left (COINr stops with an error too) */
    double x[NMULTI];
    memcpy(x, multi, sizeof x);
    uint8_t f[NMULTI];
    memset(f, 7, sizeof f);
    qala_treat_spec s = spec_default();
    s.winmax = 6;
    cr_expect_eq(qala_treat(f, NULL, x, 1, NMULTI, &s), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "treat: winsorising further would leave fewer than two distinct values "
                     "(use a lower winmax or a transform)");
    cr_expect_eq(x[24], 20);
    cr_expect_eq(f[24], 7);
}

/* {1×9, 10} fails (skew √10, kurt 10); with winmax 0 it goes straight to the transform. */
static void transform_case(double *x, qala_treat_transform t, double lambda, double low)
{
    for (size_t i = 0; i < 9; i++)
        x[i] = low;
    x[9] = 10;
    qala_treat_spec s = spec_default();
    s.winmax = 0;
    s.transform = t;
    s.lambda = lambda;
    qala_treat_report r;
    cr_assert_eq(qala_treat(NULL, &r, x, 1, 10, &s), QALA_OK);
}

Test(treat, transforms)
{
    double x[10];
    transform_case(x, QALA_TREAT_LOG_PLUS1, 0, 1);
    /* ln(x − 1 + 1) */
    cr_expect_eq(x[0], 0);
    cr_expect_float_eq(x[9], log(10), 1e-15);
    transform_case(x, QALA_TREAT_BOXCOX, 0.5, 1);
    /* ((x − 1 + 1)^0.5 − 1)/0.5 */
    cr_expect_eq(x[0], 0);
    cr_expect_float_eq(x[9], (sqrt(10) - 1) * 2, 1e-15);
    transform_case(x, QALA_TREAT_BOXCOX, 0, 1);
    cr_expect_float_eq(x[9], log(10), 1e-15);
    transform_case(x, QALA_TREAT_LOG, 0, 1);
    cr_expect_eq(x[0], 0);
    cr_expect_float_eq(x[9], log(10), 1e-15);
    transform_case(x, QALA_TREAT_LOG_CT, 0, 1);
    /* a = 0.01·9 = 0.09 */
    cr_expect_float_eq(x[0], log(0.09), 1e-15);
    cr_expect_float_eq(x[9], log(9.09), 1e-15);
}

Test(treat, log_of_a_zero_leaves_the_column_and_says_so)
{
    double x[10];
    transform_case(x, QALA_TREAT_LOG, 0, 0);
    cr_expect_eq(x[0], 0);
    cr_expect_eq(x[9], 10);
    qala_treat_spec s = spec_default();
    s.winmax = 0;
    s.transform = QALA_TREAT_LOG;
    uint8_t f[10];
    qala_treat_report r;
    cr_assert_eq(qala_treat(f, &r, x, 1, 10, &s), QALA_OK);
    cr_expect_eq(r.outcome, QALA_TREAT_FAILED);
    cr_expect_eq(f[9], QALA_TREAT_FLAG_NONE);
    cr_expect_str_eq(describe(&r, &s), "None: exceeded winmax but log error");
    s.transform = QALA_TREAT_TRANSFORM_NONE;
    cr_assert_eq(qala_treat(f, &r, x, 1, 10, &s), QALA_OK);
    cr_expect_eq(r.outcome, QALA_TREAT_FAILED);
    cr_expect_str_eq(describe(&r, &s), "None (exceeded winmax)");
}

Test(treat, describe_box_cox_and_truncation)
{
    qala_treat_report r = {.outcome = QALA_TREAT_TRANSFORMED};
    qala_treat_spec s = spec_default();
    s.transform = QALA_TREAT_BOXCOX;
    s.lambda = 0.5;
    cr_expect_str_eq(describe(&r, &s), "Box Cox with lambda = 0.5 (exceeded winmax)");
    char small[5];
    size_t need = qala_treat_describe(small, sizeof small, &r, &s);
    cr_expect_eq(need, strlen("Box Cox with lambda = 0.5 (exceeded winmax)"));
    cr_expect_str_eq(small, "Box ");
}

Test(treat, fixed_direction_keeps_the_first_side)
{
    /* {1..9, 100} skews high: the single step is high either way */
    double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
    qala_treat_report r;
    qala_treat_spec s = spec_default();
    s.fixed_direction = 1;
    cr_assert_eq(qala_treat(NULL, &r, x, 1, LEN(x), &s), QALA_OK);
    cr_expect_eq(r.n_high, 1);
    cr_expect_eq(x[9], 9);
}

Test(treat, strided_column)
{
    double x[20];
    for (size_t i = 0; i < 10; i++) {
        x[2 * i] = (double)(i + 1);
        x[2 * i + 1] = -1;
    }
    x[18] = 100;
    uint8_t f[10];
    qala_treat_report r;
    qala_treat_spec s = spec_default();
    cr_assert_eq(qala_treat(f, &r, x, 2, 10, &s), QALA_OK);
    cr_expect_eq(x[18], 9);
    cr_expect_eq(f[9], QALA_TREAT_FLAG_WIN_HIGH);
    cr_expect_eq(x[19], -1);
}

Test(treat, transform_table_codes_and_parse)
{
    size_t count;
    const qala_treat_transform_info *t = qala_treat_transforms(&count);
    cr_assert_eq(count, QALA_TREAT_TRANSFORM_COUNT);
    for (size_t i = 0; i < count; i++) {
        qala_treat_transform v;
        cr_expect_eq(t[i].transform, (qala_treat_transform)i);
        cr_expect_eq(qala_treat_transform_parse(&v, t[i].name), QALA_OK);
        cr_expect_eq(v, t[i].transform);
        cr_expect_str_eq(qala_treat_transform_code(v), t[i].name);
    }
    cr_expect_null(t[QALA_TREAT_TRANSFORM_NONE].fn);
    cr_expect(t[QALA_TREAT_BOXCOX].flags & QALA_TREAT_PARAMS);
    qala_treat_transform v;
    cr_expect_eq(qala_treat_transform_parse(&v, "CTlog"), QALA_OK);
    cr_expect_eq(v, QALA_TREAT_LOG_CT);
    cr_expect_eq(qala_treat_transform_parse(&v, "GIIlog"), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "treat: unknown transform 'GIIlog' (expected log_ct, log_plus1, boxcox, log "
                     "or none)");
    cr_expect_str_eq(qala_treat_transform_code((qala_treat_transform)9), "?");
}

Test(treat, bad_arguments_leave_x_and_flags_unchanged)
{
    double x[] = {1, 2, 3, 4, 100};
    uint8_t f[5] = {7, 7, 7, 7, 7};
    qala_treat_spec s = spec_default();
    cr_expect_eq(qala_treat(f, NULL, x, 1, 5, NULL), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "treat: spec must not be NULL");
    cr_expect_eq(qala_treat(f, NULL, NULL, 1, 5, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "treat: x must not be NULL when n > 0");
    cr_expect_eq(qala_treat(f, NULL, x, 0, 5, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "treat: stride must be at least 1");
    s.skew_limit = NAN;
    cr_expect_eq(qala_treat(f, NULL, x, 1, 5, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "treat: skew_limit must be finite and >= 0 and kurt_limit >= 0 (got nan and 3.5)");
    s = spec_default();
    s.kurt_limit = -1;
    cr_expect_eq(qala_treat(f, NULL, x, 1, 5, &s), QALA_EINVAL);
    s = spec_default();
    s.transform = (qala_treat_transform)7;
    cr_expect_eq(qala_treat(f, NULL, x, 1, 5, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "treat: transform 7 is not a qala_treat_transform");
    s = spec_default();
    s.transform = QALA_TREAT_BOXCOX;
    s.lambda = INFINITY;
    cr_expect_eq(qala_treat(f, NULL, x, 1, 5, &s), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "treat: Box-Cox lambda must be finite");
    cr_expect_eq(qala_treat_skew_kurt(NULL, NULL, x, 0, 5), QALA_EINVAL);
    cr_expect_eq(x[4], 100);
    cr_expect_eq(f[4], 7);
}

Test(treat, allocation_failure_leaves_x_unchanged)
{
    qala_treat_spec s = spec_default();
    qala_status st = QALA_ENOMEM;
    long n_fail = 0;
    for (fail_at = 0; st == QALA_ENOMEM; fail_at++) {
        double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
        calls = 0;
        qala_allocator_set(&failing_allocator);
        st = qala_treat(NULL, NULL, x, 1, 10, &s);
        qala_allocator_set(NULL);
        if (st == QALA_ENOMEM) {
            n_fail++;
            cr_expect_eq(x[9], 100);
            cr_expect_str_eq(qala_error_last()->message, "treat: out of memory (10 values)");
        } else {
            cr_expect_eq(st, QALA_OK);
            cr_expect_eq(x[9], 9);
        }
    }
    cr_expect_eq(n_fail, 1);
}
