/* The trend of one series: CAGR, OLS slope in % per year, last change, the class without
 * a target, the flags of undefined measures and the argument checks. Reference values
 * come from tests/unit/trends/reference.py (numpy, run with /usr/bin/python3), an
 * implementation independent of src/trends.c; the series are fictional (Testville). */
#include <criterion/criterion.h>
#include <math.h>

#include "qala/trends.h"

#define Y(y) ((qala_period)((y) * 100))
#define Q(y, q) ((qala_period)((y) * 100 + 20 + (q)))

static void expect_rel(double got, double want, double tol, const char *what)
{
    cr_expect(fabs(got - want) <= tol * fabs(want) + 1e-300, "%s: got %.17g, expected %.17g", what,
              got, want);
}

Test(trend, annual_series_with_a_gap_matches_numpy)
{
    const qala_period p[] = {Y(2015), Y(2016), Y(2017), Y(2018), Y(2019), Y(2020), Y(2021), Y(2022)};
    const double v[] = {100, 103, NAN, 108.5, 110, 112.2, 115, 118.3};
    qala_trend_summary t;
    cr_assert_eq(qala_trend_summarise(&t, p, v, 8, 1), QALA_OK);
    cr_expect_eq(t.n_obs, 7);
    cr_expect_eq(t.first_period, Y(2015));
    cr_expect_eq(t.last_period, Y(2022));
    cr_expect_eq(t.prev_period, Y(2021));
    /* reference.py "testville" */
    expect_rel(t.cagr_pct, 2.4298158862467556, 1e-13, "cagr_pct");
    expect_rel(t.slope, 2.5043478260867014, 1e-12, "slope");
    expect_rel(t.slope_pct, 2.2855847174194146, 1e-12, "slope_pct");
    expect_rel(t.last_change, 3.2999999999999972, 1e-13, "last_change");
    expect_rel(t.last_change_pct, 2.8695652173913011, 1e-13, "last_change_pct");
    cr_expect_eq(t.cls, QALA_PROGRESS_ON_TRACK, "CAGR 2.43 %% >= 1.5 %%: on track");
    cr_expect_eq(t.flags, 0);
}

Test(trend, quarterly_series_counts_time_in_years)
{
    const qala_period p[] = {Q(2020, 1), Q(2020, 2), Q(2020, 3), Q(2020, 4), Q(2021, 1), Q(2021, 2)};
    const double v[] = {50, 51, 51.5, 53, 52, 54};
    qala_trend_summary t;
    cr_assert_eq(qala_trend_summarise(&t, p, v, 6, 1), QALA_OK);
    /* reference.py "quarterly" (t = 2020, 2020.25, ...) */
    expect_rel(t.cagr_pct, 6.3503698062599812, 1e-13, "cagr_pct");
    expect_rel(t.slope, 2.7999999999995135, 1e-11, "slope");
    expect_rel(t.slope_pct, 5.3932584269653558, 1e-11, "slope_pct");
    expect_rel(t.last_change_pct, 3.8461538461538547, 1e-13, "last_change_pct");
    cr_expect_eq(qala_trend_time(Q(2022, 3)), 2022.5);
    cr_expect_eq(qala_trend_time((qala_period)202207), 2022.5);
    cr_expect_eq(qala_trend_time(Y(2022)), 2022.0);
}

Test(trend, negative_series_reverses_the_class_and_is_flagged)
{
    const qala_period p[] = {Y(2018), Y(2019), Y(2020), Y(2021)};
    const double v[] = {-20, -18, -15, -12};
    qala_trend_summary t;
    cr_assert_eq(qala_trend_summarise(&t, p, v, 4, 1), QALA_OK);
    /* reference.py "negative" */
    expect_rel(t.cagr_pct, -15.656733469825079, 1e-13, "cagr_pct");
    expect_rel(t.slope_pct, 16.615384615385722, 1e-11, "slope_pct (over |mean|)");
    cr_expect(t.flags & QALA_TREND_FLAG_NEGATIVE);
    /* rising from -20 to -12 with higher = better is progress (Open SDG's sign) */
    cr_expect_eq(t.cls, QALA_PROGRESS_ON_TRACK);
    cr_assert_eq(qala_trend_summarise(&t, p, v, 4, -1), QALA_OK);
    cr_expect_eq(t.cls, QALA_PROGRESS_DETERIORATION);
}

Test(trend, classes_without_target_follow_the_direction)
{
    const qala_period p[] = {Y(2020), Y(2021)};
    const double up[] = {100, 101}; /* +1 %: acceleration needed if higher is better */
    qala_trend_summary t;
    cr_assert_eq(qala_trend_summarise(&t, p, up, 2, 1), QALA_OK);
    cr_expect_eq(t.cls, QALA_PROGRESS_ACCELERATION_NEEDED);
    cr_assert_eq(qala_trend_summarise(&t, p, up, 2, -1), QALA_OK);
    cr_expect_eq(t.cls, QALA_PROGRESS_DETERIORATION);
    const double flat[] = {100, 100};
    cr_assert_eq(qala_trend_summarise(&t, p, flat, 2, 1), QALA_OK);
    cr_expect_eq(t.cagr_pct, 0.0);
    cr_expect_eq(t.cls, QALA_PROGRESS_LIMITED);
}

Test(trend, cagr_class_boundaries)
{
    /* Open SDG thresholds: 1.5 %, 0.5 %, 0 (ProgressMeasure.py, in fractions there) */
    cr_expect_eq(qala_progress_class_of_cagr(1.5), QALA_PROGRESS_ON_TRACK);
    cr_expect_eq(qala_progress_class_of_cagr(nextafter(1.5, 0)), QALA_PROGRESS_ACCELERATION_NEEDED);
    cr_expect_eq(qala_progress_class_of_cagr(0.5), QALA_PROGRESS_ACCELERATION_NEEDED);
    cr_expect_eq(qala_progress_class_of_cagr(nextafter(0.5, 0)), QALA_PROGRESS_LIMITED);
    cr_expect_eq(qala_progress_class_of_cagr(0.0), QALA_PROGRESS_LIMITED);
    cr_expect_eq(qala_progress_class_of_cagr(-1e-300), QALA_PROGRESS_DETERIORATION);
    cr_expect_eq(qala_progress_class_of_cagr(NAN), QALA_PROGRESS_UNASSESSED);
}

Test(trend, one_observation_is_too_few)
{
    const qala_period p[] = {Y(2020), Y(2021), Y(2022)};
    const double v[] = {NAN, 5, NAN};
    qala_trend_summary t;
    cr_assert_eq(qala_trend_summarise(&t, p, v, 3, 1), QALA_OK);
    cr_expect_eq(t.n_obs, 1);
    cr_expect(t.flags & QALA_TREND_FLAG_TOO_FEW);
    cr_expect(isnan(t.cagr_pct) && isnan(t.slope) && isnan(t.last_change));
    cr_expect_eq(t.cls, QALA_PROGRESS_UNASSESSED);
    cr_expect_eq(t.first, 5.0);
    cr_expect_eq(t.last, 5.0);
    cr_assert_eq(qala_trend_summarise(&t, NULL, NULL, 0, 1), QALA_OK);
    cr_expect_eq(t.n_obs, 0);
    cr_expect(t.flags & QALA_TREND_FLAG_TOO_FEW);
}

Test(trend, zero_first_value_flags_an_undefined_cagr)
{
    const qala_period p[] = {Y(2020), Y(2021), Y(2022)};
    const double v[] = {0, 2, 4};
    qala_trend_summary t;
    cr_assert_eq(qala_trend_summarise(&t, p, v, 3, 1), QALA_OK);
    cr_expect(isnan(t.cagr_pct));
    cr_expect(t.flags & QALA_TREND_FLAG_ZERO);
    cr_expect_eq(t.cls, QALA_PROGRESS_UNASSESSED);
    /* the slope is still defined: 2 per year over a mean of 2 = 100 % */
    cr_expect_eq(t.slope, 2.0);
    cr_expect_eq(t.slope_pct, 100.0);
    cr_expect_eq(t.last_change_pct, 100.0);
}

Test(trend, sign_change_and_zero_mean_and_zero_previous_are_flagged)
{
    const qala_period p[] = {Y(2020), Y(2021), Y(2022)};
    const double v[] = {-2, 0, 2};
    qala_trend_summary t;
    cr_assert_eq(qala_trend_summarise(&t, p, v, 3, 1), QALA_OK);
    cr_expect(t.flags & QALA_TREND_FLAG_SIGN_CHANGE);
    cr_expect(t.flags & QALA_TREND_FLAG_MEAN_ZERO);
    cr_expect(t.flags & QALA_TREND_FLAG_PREV_ZERO);
    cr_expect(isnan(t.cagr_pct) && isnan(t.slope_pct) && isnan(t.last_change_pct));
    cr_expect_eq(t.slope, 2.0);
    cr_expect_eq(t.last_change, 2.0);
}

Test(trend, bad_arguments_are_refused)
{
    const qala_period p[] = {Y(2021), Y(2020)};
    const double v[] = {1, 2};
    qala_trend_summary t;
    cr_expect_eq(qala_trend_summarise(&t, p, v, 2, 1), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "periods must be strictly ascending: index 1 (202000) follows 202100");
    const qala_period ok[] = {Y(2020), Y(2021)};
    cr_expect_eq(qala_trend_summarise(&t, ok, v, 2, 0), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "direction 0 is not +1 (higher is better) or -1");
    const double inf[] = {1, INFINITY};
    cr_expect_eq(qala_trend_summarise(&t, ok, inf, 2, 1), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "value at index 1 is infinite");
    const qala_period bad[] = {Y(2020), 202113};
    cr_expect_eq(qala_trend_summarise(&t, bad, v, 2, 1), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "period 202113 at index 1 is not a valid period");
}

Test(trend, class_codes)
{
    cr_expect_str_eq(qala_progress_class_code(QALA_PROGRESS_ON_TRACK), "on_track");
    cr_expect_str_eq(qala_progress_class_code(QALA_PROGRESS_ACCELERATION_NEEDED), "acceleration_needed");
    cr_expect_str_eq(qala_progress_class_code(QALA_PROGRESS_LIMITED), "limited_progress");
    cr_expect_str_eq(qala_progress_class_code(QALA_PROGRESS_DETERIORATION), "deterioration");
    cr_expect_str_eq(qala_progress_class_code(QALA_PROGRESS_TARGET_ACHIEVED), "target_achieved");
    cr_expect_str_eq(qala_progress_class_code(QALA_PROGRESS_UNASSESSED), "unassessed");
    cr_expect_str_eq(qala_progress_class_code((qala_progress_class)99), "?");
}
