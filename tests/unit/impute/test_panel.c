/* Panel imputation over one unit's series (one cell per period, in order): latest
 * value carried forward, nearest, linear, linear inside + constant outside, each with
 * and without a maximum gap; flags kept across two passes. Expected values by hand. */
#include <criterion/criterion.h>
#include <math.h>

#include "qala/impute.h"

#define N 8
/* periods:        0    1    2    3    4    5    6    7 */
static const double series[N] = {NAN, 10, NAN, NAN, 16, NAN, NAN, NAN};

static void run(double *x, uint8_t *f, qala_impute_report *r, qala_impute_method m, size_t gap)
{
    for (size_t i = 0; i < N; i++) {
        x[i] = series[i];
        f[i] = 0;
    }
    qala_impute_spec s = {.method = m, .max_gap = gap};
    cr_assert_eq(qala_impute(f, r, x, 1, N, &s), QALA_OK);
}

static void expect_series(const double *x, const double *want)
{
    for (size_t i = 0; i < N; i++)
        if (isnan(want[i]))
            cr_expect(isnan(x[i]), "period %zu: %g, expected missing", i, x[i]);
        else
            cr_expect_eq(x[i], want[i], "period %zu: %g, expected %g", i, x[i], want[i]);
}

static void expect_flags(const double *x, const uint8_t *f, qala_impute_method m)
{
    for (size_t i = 0; i < N; i++) {
        uint8_t want = isnan(series[i]) && !isnan(x[i]) ? (uint8_t)m : 0;
        cr_expect_eq(f[i], want, "flag of period %zu", i);
    }
}

Test(impute_panel, latest_carries_the_last_observation_forward)
{
    double x[N];
    uint8_t f[N];
    qala_impute_report r;
    run(x, f, &r, QALA_IMPUTE_LATEST, 0);
    /* period 0 has nothing before it */
    expect_series(x, (double[N]){NAN, 10, 10, 10, 16, 16, 16, 16});
    expect_flags(x, f, QALA_IMPUTE_LATEST);
    cr_expect_eq(r.n_missing, 6);
    cr_expect_eq(r.n_filled, 5);
    cr_expect_eq(r.n_left, 1);
}

Test(impute_panel, latest_looks_back_at_most_max_gap_periods)
{
    double x[N];
    uint8_t f[N];
    qala_impute_report r;
    run(x, f, &r, QALA_IMPUTE_LATEST, 2);
    /* period 3 is 2 after 10: filled; period 7 is 3 after 16: not */
    expect_series(x, (double[N]){NAN, 10, 10, 10, 16, 16, 16, NAN});
    expect_flags(x, f, QALA_IMPUTE_LATEST);
    cr_expect_eq(r.n_left, 2);
}

Test(impute_panel, nearest_takes_the_closer_observation_earlier_on_a_tie)
{
    double x[N];
    uint8_t f[N];
    qala_impute_report r;
    run(x, f, &r, QALA_IMPUTE_NEAREST, 0);
    /* 0: next (10); 2: 1 from 10, 2 from 16 -> 10; 3: 2 from 10, 1 from 16 -> 16;
     * 5..7: only 16 */
    expect_series(x, (double[N]){10, 10, 10, 16, 16, 16, 16, 16});
    expect_flags(x, f, QALA_IMPUTE_NEAREST);
    cr_expect_eq(r.n_left, 0);
    double t[] = {1, NAN, 3};
    qala_impute_spec s = {.method = QALA_IMPUTE_NEAREST};
    cr_assert_eq(qala_impute(NULL, NULL, t, 1, 3, &s), QALA_OK);
    cr_expect_eq(t[1], 1); /* tie: the earlier period */
}

Test(impute_panel, nearest_with_max_gap)
{
    double x[N];
    uint8_t f[N];
    qala_impute_report r;
    run(x, f, &r, QALA_IMPUTE_NEAREST, 1);
    /* within 1 period of an observation: 0, 2, 3, 5 */
    expect_series(x, (double[N]){10, 10, 10, 16, 16, 16, NAN, NAN});
    expect_flags(x, f, QALA_IMPUTE_NEAREST);
    cr_expect_eq(r.n_left, 2);
}

Test(impute_panel, linear_fills_inside_only)
{
    double x[N];
    uint8_t f[N];
    qala_impute_report r;
    run(x, f, &r, QALA_IMPUTE_LINEAR, 0);
    /* 10 + (16 - 10)·(t - 1)/3: t = 2 -> 12, t = 3 -> 14; the ends stay missing */
    expect_series(x, (double[N]){NAN, 10, 12, 14, 16, NAN, NAN, NAN});
    expect_flags(x, f, QALA_IMPUTE_LINEAR);
    cr_expect_eq(r.n_filled, 2);
    cr_expect_eq(r.n_left, 4);
}

Test(impute_panel, linear_skips_runs_longer_than_max_gap)
{
    double x[N];
    uint8_t f[N];
    qala_impute_report r;
    run(x, f, &r, QALA_IMPUTE_LINEAR, 1);
    /* the inside run has 2 cells > 1: left missing */
    expect_series(x, series);
    expect_flags(x, f, QALA_IMPUTE_LINEAR);
    cr_expect_eq(r.n_filled, 0);
    run(x, f, &r, QALA_IMPUTE_LINEAR, 2);
    expect_series(x, (double[N]){NAN, 10, 12, 14, 16, NAN, NAN, NAN});
}

Test(impute_panel, linear_constant_extends_the_end_observations)
{
    double x[N];
    uint8_t f[N];
    qala_impute_report r;
    run(x, f, &r, QALA_IMPUTE_LINEAR_CONSTANT, 0);
    expect_series(x, (double[N]){10, 10, 12, 14, 16, 16, 16, 16});
    expect_flags(x, f, QALA_IMPUTE_LINEAR_CONSTANT);
    cr_expect_eq(r.n_left, 0);
    /* max_gap 2: the leading run (1 cell) and the inside run (2) are filled, the trailing
     * run (3 cells) is not */
    run(x, f, &r, QALA_IMPUTE_LINEAR_CONSTANT, 2);
    expect_series(x, (double[N]){10, 10, 12, 14, 16, NAN, NAN, NAN});
    expect_flags(x, f, QALA_IMPUTE_LINEAR_CONSTANT);
    cr_expect_eq(r.n_left, 3);
}

Test(impute_panel, series_without_observation_stays_missing)
{
    for (int m = QALA_IMPUTE_LATEST; m <= QALA_IMPUTE_LINEAR_CONSTANT; m++) {
        double x[] = {NAN, NAN, NAN};
        uint8_t f[3] = {0};
        qala_impute_report r;
        qala_impute_spec s = {.method = (qala_impute_method)m};
        cr_assert_eq(qala_impute(f, &r, x, 1, 3, &s), QALA_OK);
        cr_expect(isnan(x[0]) && isnan(x[1]) && isnan(x[2]));
        cr_expect(f[0] == 0 && f[1] == 0 && f[2] == 0);
        cr_expect_eq(r.n_left, 3);
    }
}

Test(impute_panel, second_pass_keeps_the_first_marks)
{
    /* a 3-period series of unit A stored with stride 2 (two units interleaved) */
    double x[] = {5, 0, NAN, 0, NAN, 0};
    uint8_t f[3] = {0};
    qala_impute_spec latest = {.method = QALA_IMPUTE_LATEST, .max_gap = 1};
    cr_assert_eq(qala_impute(f, NULL, x, 2, 3, &latest), QALA_OK);
    cr_expect_eq(x[2], 5);
    cr_expect(isnan(x[4]));
    /* then the mean of what is there (5 and 5) fills the rest */
    qala_impute_spec mean = {.method = QALA_IMPUTE_MEAN};
    cr_assert_eq(qala_impute(f, NULL, x, 2, 3, &mean), QALA_OK);
    cr_expect_eq(x[4], 5);
    uint8_t want[] = {0, QALA_IMPUTE_LATEST, QALA_IMPUTE_MEAN};
    cr_expect_arr_eq(f, want, 3);
    cr_expect(x[1] == 0 && x[3] == 0 && x[5] == 0);
}

Test(impute_panel, observed_values_are_never_changed)
{
    double x[N];
    uint8_t f[N];
    qala_impute_report r;
    for (int m = QALA_IMPUTE_LATEST; m <= QALA_IMPUTE_LINEAR_CONSTANT; m++) {
        run(x, f, &r, (qala_impute_method)m, 0);
        cr_expect_eq(x[1], 10);
        cr_expect_eq(x[4], 16);
        cr_expect_eq(f[1], 0);
        cr_expect_eq(f[4], 0);
    }
}
