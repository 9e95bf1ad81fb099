/* Progress to a target by the Statistics Canada / Open SDG method: worked examples for
 * each class, the boundaries, lower-is-better indicators, a target already met, too few
 * points, zero and negative values. Ratios come from tests/unit/trends/reference.py,
 * which applies sdg-build's ProgressMeasure.py formula (R = sign·d·CAGR_obs/|CAGR_req|)
 * independently; the series are fictional (Testville). */
#include <criterion/criterion.h>
#include <math.h>

#include "qala/trends.h"

#define Y(y) ((qala_period)((y) * 100))

static void expect_rel(double got, double want, double tol, const char *what)
{
    cr_expect(fabs(got - want) <= tol * fabs(want), "%s: got %.17g, expected %.17g", what, got,
              want);
}

/* base 2015 = 100, then `cur` in 2022 (2016–2021 missing); target 200 by 2030 */
static qala_progress run(double cur, double target, int direction, double base)
{
    const qala_period p[] = {Y(2015), Y(2016), Y(2022)};
    const double v[] = {base, NAN, cur};
    qala_progress_target tg = {target, Y(2030), Y(2015), 0};
    qala_progress r;
    cr_assert_eq(qala_progress_compute(&r, p, v, 3, direction, &tg), QALA_OK);
    return r;
}

Test(progress, worked_examples_of_the_four_classes)
{
    /* reference.py "on_track", "acceleration", "limited", "deterioration" */
    qala_progress r = run(160, 200, 1, 100);
    expect_rel(r.observed_cagr_pct, 6.9448800053393267, 1e-13, "observed");
    expect_rel(r.required_cagr_pct, 4.7294122820626727, 1e-13, "required");
    expect_rel(r.ratio, 1.4684446166132097, 1e-13, "R on track");
    cr_expect_eq(r.cls, QALA_PROGRESS_ON_TRACK);
    cr_expect_eq(r.base_period, Y(2015));
    cr_expect_eq(r.current_period, Y(2022));
    r = run(130, 200, 1, 100);
    expect_rel(r.ratio, 0.80753935685998368, 1e-13, "R acceleration");
    cr_expect_eq(r.cls, QALA_PROGRESS_ACCELERATION_NEEDED);
    r = run(110, 200, 1, 100);
    expect_rel(r.ratio, 0.2898638451856263, 1e-13, "R limited");
    cr_expect_eq(r.cls, QALA_PROGRESS_LIMITED);
    r = run(90, 200, 1, 100);
    expect_rel(r.ratio, -0.3158699996518195, 1e-13, "R deterioration");
    cr_expect_eq(r.cls, QALA_PROGRESS_DETERIORATION);
    cr_expect_eq(r.flags, 0);
}

Test(progress, ratio_class_boundaries)
{
    /* Open SDG: R >= 0.95 on track, 0.6 <= R < 0.95, 0 <= R < 0.6, R < 0 */
    cr_expect_eq(qala_progress_class_of_ratio(0.95), QALA_PROGRESS_ON_TRACK);
    cr_expect_eq(qala_progress_class_of_ratio(nextafter(0.95, 0)), QALA_PROGRESS_ACCELERATION_NEEDED);
    cr_expect_eq(qala_progress_class_of_ratio(0.6), QALA_PROGRESS_ACCELERATION_NEEDED);
    cr_expect_eq(qala_progress_class_of_ratio(nextafter(0.6, 0)), QALA_PROGRESS_LIMITED);
    cr_expect_eq(qala_progress_class_of_ratio(0.0), QALA_PROGRESS_LIMITED);
    cr_expect_eq(qala_progress_class_of_ratio(nextafter(0.0, -1)), QALA_PROGRESS_DETERIORATION);
    cr_expect_eq(qala_progress_class_of_ratio(NAN), QALA_PROGRESS_UNASSESSED);
}

Test(progress, worked_examples_at_the_boundaries)
{
    /* base 100 (2020), target 400 by 2022: required CAGR exactly 100 %. */
    const qala_period p[] = {Y(2020), Y(2021)};
    qala_progress_target tg = {400, Y(2022), Y(2020), 0};
    qala_progress r;
    /* 195 in 2021: observed 95 %, R = 0.95 exactly -> on track */
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){100, 195}, 2, 1, &tg), QALA_OK);
    cr_expect_eq(r.ratio, 0.95, "R = %.17g", r.ratio);
    cr_expect_eq(r.cls, QALA_PROGRESS_ON_TRACK);
    /* 160: observed 60 % (1.6 − 1 rounds a hair above 0.6) -> acceleration needed */
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){100, 160}, 2, 1, &tg), QALA_OK);
    expect_rel(r.ratio, 0.6, 1e-14, "R at 0.6");
    cr_expect_eq(r.cls, QALA_PROGRESS_ACCELERATION_NEEDED);
    /* unchanged: R = 0 exactly -> limited progress */
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){100, 100}, 2, 1, &tg), QALA_OK);
    cr_expect_eq(r.ratio, 0.0);
    cr_expect_eq(r.cls, QALA_PROGRESS_LIMITED);
    /* a fall: R = -0.5 -> deterioration */
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){100, 50}, 2, 1, &tg), QALA_OK);
    cr_expect_eq(r.ratio, -0.5);
    cr_expect_eq(r.cls, QALA_PROGRESS_DETERIORATION);
}

Test(progress, lower_is_better_inverts_the_ratio)
{
    /* poverty 20 % (2015) to 10 % by 2030; reference.py "lower_better", "lower_worse" */
    qala_progress r = run(17, 10, -1, 20);
    expect_rel(r.observed_cagr_pct, -2.2949549337605069, 1e-13, "observed");
    expect_rel(r.required_cagr_pct, -4.5158396089583501, 1e-13, "required");
    expect_rel(r.ratio, 0.50820116135388493, 1e-13, "R falling towards the target");
    cr_expect_eq(r.cls, QALA_PROGRESS_LIMITED);
    r = run(22, 10, -1, 20);
    expect_rel(r.ratio, -0.30357270148109416, 1e-13, "R rising away from the target");
    cr_expect_eq(r.cls, QALA_PROGRESS_DETERIORATION);
}

Test(progress, target_already_met_wins_over_the_ratio)
{
    qala_progress r = run(210, 200, 1, 100);
    cr_expect(r.target_achieved);
    cr_expect_eq(r.cls, QALA_PROGRESS_TARGET_ACHIEVED);
    cr_expect(r.ratio > 0.95, "R is still computed: %g", r.ratio);
    /* lower is better: 9 % against a target of 10 % is met */
    r = run(9, 10, -1, 20);
    cr_expect_eq(r.cls, QALA_PROGRESS_TARGET_ACHIEVED);
    /* a single observation already at the target is achieved, though too few to grow */
    const qala_period p[] = {Y(2023)};
    qala_progress_target tg = {200, Y(2030), Y(2015), 0};
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){250}, 1, 1, &tg), QALA_OK);
    cr_expect_eq(r.cls, QALA_PROGRESS_TARGET_ACHIEVED);
    cr_expect(r.flags & QALA_TREND_FLAG_TOO_FEW);
}

Test(progress, base_is_the_first_observation_at_or_after_the_baseline)
{
    const qala_period p[] = {Y(2013), Y(2014), Y(2016), Y(2018)};
    const double v[] = {50, NAN, 100, 121};
    qala_progress_target tg = {NAN, 0, Y(2015), 0};
    qala_progress r;
    cr_assert_eq(qala_progress_compute(&r, p, v, 4, 1, &tg), QALA_OK);
    cr_expect_eq(r.base_period, Y(2016));
    cr_expect_eq(r.base, 100.0);
    /* 100 -> 121 over 2 years: 10 % a year; no target: on track */
    expect_rel(r.observed_cagr_pct, 10.0, 1e-13, "observed");
    cr_expect(isnan(r.ratio) && isnan(r.required_cagr_pct));
    cr_expect_eq(r.cls, QALA_PROGRESS_ON_TRACK);
}

Test(progress, too_few_points_is_unassessed)
{
    const qala_period p[] = {Y(2010), Y(2020)};
    qala_progress_target tg = {200, Y(2030), Y(2015), 0};
    qala_progress r;
    /* only 2020 is at or after the baseline: base = current */
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){50, 100}, 2, 1, &tg), QALA_OK);
    cr_expect(r.flags & QALA_TREND_FLAG_TOO_FEW);
    cr_expect_eq(r.cls, QALA_PROGRESS_UNASSESSED);
    cr_expect(isnan(r.ratio));
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){NAN, NAN}, 2, 1, &tg), QALA_OK);
    cr_expect(r.flags & QALA_TREND_FLAG_TOO_FEW);
    cr_expect_eq(r.cls, QALA_PROGRESS_UNASSESSED);
}

Test(progress, zero_base_is_flagged_or_replaced_as_open_sdg_does)
{
    const qala_period p[] = {Y(2015), Y(2020)};
    const double v[] = {0, 5};
    qala_progress_target tg = {10, Y(2030), Y(2015), 0};
    qala_progress r;
    cr_assert_eq(qala_progress_compute(&r, p, v, 2, 1, &tg), QALA_OK);
    cr_expect(r.flags & QALA_TREND_FLAG_ZERO);
    cr_expect(isnan(r.observed_cagr_pct) && isnan(r.ratio));
    cr_expect_eq(r.cls, QALA_PROGRESS_UNASSESSED);
    /* with Open SDG's replacement 0.001: (5/0.001)^(1/5) − 1 and (10/0.001)^(1/15) − 1 */
    tg.zero_replacement = 0.001;
    cr_assert_eq(qala_progress_compute(&r, p, v, 2, 1, &tg), QALA_OK);
    cr_expect(r.flags & QALA_TREND_FLAG_ZERO_REPLACED);
    double obs = pow(5 / 0.001, 1 / 5.0) - 1, req = pow(10 / 0.001, 1 / 15.0) - 1;
    expect_rel(r.ratio, obs / req, 1e-13, "R with replacement");
    cr_expect_eq(r.cls, QALA_PROGRESS_ON_TRACK);
    cr_expect_eq(r.base, 0.0, "the reported base is the observed one");
    /* a zero target: the required CAGR is undefined without a replacement */
    tg = (qala_progress_target){0, Y(2030), Y(2015), 0};
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){8, 5}, 2, -1, &tg), QALA_OK);
    cr_expect(r.flags & QALA_TREND_FLAG_ZERO);
    cr_expect(!isnan(r.observed_cagr_pct));
    cr_expect(isnan(r.required_cagr_pct));
    cr_expect_eq(r.cls, QALA_PROGRESS_UNASSESSED);
}

Test(progress, negative_and_sign_changing_values)
{
    const qala_period p[] = {Y(2015), Y(2020)};
    qala_progress_target tg = {-5, Y(2025), Y(2015), 0};
    qala_progress r;
    /* a deficit of -20 to be brought to -5 by 2025 (higher is better), now -10:
     * observed (0.5)^(1/5) − 1, required (0.25)^(1/10) − 1 = the same, sign −1 flips:
     * R = −1·(+1)·obs / |req| = +1 */
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){-20, -10}, 2, 1, &tg), QALA_OK);
    cr_expect(r.flags & QALA_TREND_FLAG_NEGATIVE);
    expect_rel(r.ratio, 1.0, 1e-13, "R of a negative series");
    cr_expect_eq(r.cls, QALA_PROGRESS_ON_TRACK);
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){-20, 10}, 2, 1, &tg), QALA_OK);
    cr_expect_eq(r.cls, QALA_PROGRESS_TARGET_ACHIEVED, "10 >= -5 is achieved");
    tg.value = 50;
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){-20, 10}, 2, 1, &tg), QALA_OK);
    cr_expect(r.flags & QALA_TREND_FLAG_SIGN_CHANGE);
    cr_expect_eq(r.cls, QALA_PROGRESS_UNASSESSED);
}

Test(progress, target_equal_to_base_makes_the_ratio_infinite)
{
    const qala_period p[] = {Y(2015), Y(2020)};
    qala_progress_target tg = {100, Y(2030), Y(2015), 0};
    qala_progress r;
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){100, 90}, 2, 1, &tg), QALA_OK);
    cr_expect(r.flags & QALA_TREND_FLAG_REQUIRED_ZERO);
    cr_expect(isinf(r.ratio) && r.ratio < 0);
    cr_expect_eq(r.cls, QALA_PROGRESS_DETERIORATION);
}

Test(progress, base_after_the_target_period_is_flagged)
{
    const qala_period p[] = {Y(2031), Y(2033)};
    qala_progress_target tg = {200, Y(2030), Y(2015), 0};
    qala_progress r;
    cr_assert_eq(qala_progress_compute(&r, p, (const double[]){100, 110}, 2, 1, &tg), QALA_OK);
    cr_expect(r.flags & QALA_TREND_FLAG_TARGET_NOT_AFTER_BASE);
    cr_expect_eq(r.cls, QALA_PROGRESS_UNASSESSED);
}

Test(progress, bad_target_arguments)
{
    const qala_period p[] = {Y(2015), Y(2020)};
    const double v[] = {1, 2};
    qala_progress r;
    qala_progress_target tg = {INFINITY, Y(2030), Y(2015), 0};
    cr_expect_eq(qala_progress_compute(&r, p, v, 2, 1, &tg), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "target value is infinite");
    tg = (qala_progress_target){5, Y(2030), 201513, 0};
    cr_expect_eq(qala_progress_compute(&r, p, v, 2, 1, &tg), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "baseline 201513 is not a valid period");
    tg = (qala_progress_target){5, Y(2030), Y(2015), -1};
    cr_expect_eq(qala_progress_compute(&r, p, v, 2, 1, &tg), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "zero_replacement -1 is not a finite number >= 0");
}
