/* Status over time (new, aggravating, unwinding, persistent), the trend classes and
 * slopes, and the projected periods until a breach, on hand-computed series.
 * Threshold unless said: UNEMP level, bad high, warning 10, crisis 20, inclusive;
 * options: trend_k 3, stable_tolerance 0.005. */
#include "fixture.h"

static uint32_t high_threshold(fx *f)
{
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    return fx_add(f, &th);
}

/* Each unit's 2018..2020 values; the status of 2020 (or 2019 where said). */
Test(monitor_status, the_four_statuses)
{
    fx f;
    fx_init(&f);
    static const double newb[] = {NAN, 5, 12};      /* normal -> warning */
    static const double newgap[] = {12, NAN, 12};   /* 2019 missing: no data -> warning */
    static const double aggz[] = {NAN, 12, 25};     /* warning -> crisis */
    static const double aggt[] = {12, 13, 14};      /* warning, slope +1 > 0.005*13 */
    static const double unwz[] = {NAN, 25, 12};     /* crisis -> warning */
    static const double unwt[] = {14, 13, 12};      /* warning, slope -1 */
    static const double pers[] = {12, 12, 12};      /* warning, slope 0: stable */
    static const double normal[] = {1, 2, 3};
    fx_years(&f, "A1", "UNEMP", 2018, 3, newb);
    fx_years(&f, "A2", "UNEMP", 2018, 3, newgap);
    fx_years(&f, "A3", "UNEMP", 2018, 3, aggz);
    fx_years(&f, "A4", "UNEMP", 2018, 3, aggt);
    fx_years(&f, "A5", "UNEMP", 2018, 3, unwz);
    fx_years(&f, "A6", "UNEMP", 2018, 3, unwt);
    fx_years(&f, "A7", "UNEMP", 2018, 3, pers);
    fx_years(&f, "A8", "UNEMP", 2018, 3, normal);
    uint32_t t = high_threshold(&f);
    fx_run_ok(&f);
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A1", t, Y(2020))], QALA_BREACH_NEW);
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A2", t, Y(2020))], QALA_BREACH_NEW);
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A2", t, Y(2018))], QALA_BREACH_NEW); /* first period */
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A3", t, Y(2020))], QALA_BREACH_AGGRAVATING);
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A4", t, Y(2020))], QALA_BREACH_AGGRAVATING);
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A5", t, Y(2020))], QALA_BREACH_UNWINDING);
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A6", t, Y(2020))], QALA_BREACH_UNWINDING);
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A7", t, Y(2020))], QALA_BREACH_PERSISTENT);
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A8", t, Y(2020))], QALA_BREACH_NONE);
    /* A4 2019: warning after warning, trend over 2018..2019 = +1 (2 points): aggravating */
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A4", t, Y(2019))], QALA_BREACH_AGGRAVATING);
    /* A7 2019: 12, 12 -> persistent */
    cr_assert_eq(f.r->status[fx_row_ok(&f, "A7", t, Y(2019))], QALA_BREACH_PERSISTENT);
    fx_free(&f);
}

Test(monitor_status, a_crisis_that_stays_and_worsens_is_aggravating)
{
    fx f;
    fx_init(&f);
    static const double v[] = {21, 25, 30}; /* crisis, crisis, crisis; slope 4.5 */
    fx_years(&f, "A1", "UNEMP", 2018, 3, v);
    uint32_t t = high_threshold(&f);
    fx_run_ok(&f);
    size_t i = fx_row_ok(&f, "A1", t, Y(2020));
    assert_near(f.r->slope[i], 4.5); /* ((-1)(21-25.333) + (1)(30-25.333)) / 2 = 9/2 */
    cr_assert_eq(f.r->status[i], QALA_BREACH_AGGRAVATING);
    fx_free(&f);
}

Test(monitor_trend, slope_and_classes_by_bad_side)
{
    fx f;
    fx_init(&f);
    static const double up[] = {100, 101, 102};      /* slope 1 > 0.005 * 101 = 0.505 */
    static const double flat[] = {100, 100.4, 100.8}; /* slope 0.4 <= 0.005 * 100.4 = 0.502 */
    static const double gap[] = {100, NAN, 104};     /* points x = 0, 2: slope 2 */
    static const double one[] = {NAN, NAN, 5};
    fx_years(&f, "A1", "UNEMP", 2018, 3, up);
    fx_years(&f, "A2", "UNEMP", 2018, 3, flat);
    fx_years(&f, "A3", "UNEMP", 2018, 3, gap);
    fx_years(&f, "A4", "UNEMP", 2018, 3, one);
    qala_threshold hi = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 1000, 2000);
    qala_threshold lo = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_LOW, 10, 5);
    lo.set = "low"; /* another set, so that both apply */
    uint32_t th = fx_add(&f, &hi), tl = fx_add(&f, &lo);
    fx_run_ok(&f);
    size_t i = fx_row_ok(&f, "A1", th, Y(2020));
    assert_near(f.r->slope[i], 1);
    cr_assert_eq(f.r->trend[i], QALA_TREND_WORSENING); /* rising, high is bad */
    cr_assert_eq(f.r->trend[fx_row_ok(&f, "A1", tl, Y(2020))], QALA_TREND_IMPROVING);
    i = fx_row_ok(&f, "A2", th, Y(2020));
    assert_near(f.r->slope[i], 0.4);
    cr_assert_eq(f.r->trend[i], QALA_TREND_STABLE);
    i = fx_row_ok(&f, "A3", th, Y(2020));
    assert_near(f.r->slope[i], 2);
    cr_assert_eq(f.r->trend[i], QALA_TREND_WORSENING);
    i = fx_row_ok(&f, "A4", th, Y(2020));
    cr_assert(isnan(f.r->slope[i]));
    cr_assert_eq(f.r->trend[i], QALA_TREND_NONE);
    /* A1 2018: one point in the window (2016, 2017 missing) */
    cr_assert_eq(f.r->trend[fx_row_ok(&f, "A1", th, Y(2018))], QALA_TREND_NONE);
    fx_free(&f);
}

Test(monitor_trend, around_zero_the_tolerance_is_absolute)
{
    fx f;
    fx_init(&f);
    static const double tiny[] = {-0.001, 0, 0.001}; /* mean 0, slope 0.001 <= 0.005 */
    static const double big[] = {-1, 0, 1};          /* mean 0, slope 1 > 0.005 */
    fx_years(&f, "A1", "UNEMP", 2018, 3, tiny);
    fx_years(&f, "A2", "UNEMP", 2018, 3, big);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 1000, 2000);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert_eq(f.r->trend[fx_row_ok(&f, "A1", t, Y(2020))], QALA_TREND_STABLE);
    cr_assert_eq(f.r->trend[fx_row_ok(&f, "A2", t, Y(2020))], QALA_TREND_WORSENING);
    fx_free(&f);
}

Test(monitor_trend, a_band_improves_toward_its_middle)
{
    fx f;
    fx_init(&f);
    /* normal [2, 8], middle 5 */
    static const double above_up[] = {6, 6.5, 7};   /* above the middle, rising: away */
    static const double above_down[] = {7, 6.5, 6}; /* above, falling: toward */
    static const double below_up[] = {3, 3.5, 4};   /* below, rising: toward */
    static const double below_down[] = {4, 3.5, 3}; /* below, falling: away */
    fx_years(&f, "A1", "UNEMP", 2018, 3, above_up);
    fx_years(&f, "A2", "UNEMP", 2018, 3, above_down);
    fx_years(&f, "A3", "UNEMP", 2018, 3, below_up);
    fx_years(&f, "A4", "UNEMP", 2018, 3, below_down);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_OUTSIDE, 2, 0);
    th.warning_high = 8;
    th.crisis_high = 10;
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert_eq(f.r->trend[fx_row_ok(&f, "A1", t, Y(2020))], QALA_TREND_WORSENING);
    cr_assert_eq(f.r->trend[fx_row_ok(&f, "A2", t, Y(2020))], QALA_TREND_IMPROVING);
    cr_assert_eq(f.r->trend[fx_row_ok(&f, "A3", t, Y(2020))], QALA_TREND_IMPROVING);
    cr_assert_eq(f.r->trend[fx_row_ok(&f, "A4", t, Y(2020))], QALA_TREND_WORSENING);
    /* projections: A1 at 7 rising 0.5 a period reaches 8 in 2 periods (7 + 2*0.5 = 8,
     * inclusive); A4 at 3 falling 0.5 reaches 2 in 2 periods */
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A1", t, Y(2020))], 2);
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A4", t, Y(2020))], 2);
    /* A2 at 6 falling 0.5 also heads to a boundary: 2 in (6-2)/0.5 = 8 periods */
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A2", t, Y(2020))], 8);
    fx_free(&f);
}

Test(monitor_projection, three_points_toward_the_boundary_give_whole_periods)
{
    fx f;
    fx_init(&f);
    static const double lin[] = {4, 5, 6};     /* slope 1, at 6: 10 reached after (10-6)/1 = 4 */
    static const double frac[] = {4, 5, 6.5};  /* slope 1.25, at 6.5: 3.5/1.25 = 2.8 -> 3 */
    static const double away[] = {6, 5, 4};    /* moving away: none */
    static const double two[] = {NAN, 5, 6};   /* 2 points: none */
    static const double warn[] = {8, 9, 11};   /* in the warning zone: none */
    fx_years(&f, "A1", "UNEMP", 2018, 3, lin);
    fx_years(&f, "A2", "UNEMP", 2018, 3, frac);
    fx_years(&f, "A3", "UNEMP", 2018, 3, away);
    fx_years(&f, "A4", "UNEMP", 2018, 3, two);
    fx_years(&f, "A5", "UNEMP", 2018, 3, warn);
    uint32_t t = high_threshold(&f);
    qala_threshold exc = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    exc.inclusive = 0;
    exc.set = "exclusive";
    uint32_t te = fx_add(&f, &exc);
    fx_run_ok(&f);
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A1", t, Y(2020))], 4);
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A1", te, Y(2020))], 5); /* must pass 10 */
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A2", t, Y(2020))], 3);
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A3", t, Y(2020))], -1);
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A4", t, Y(2020))], -1);
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A5", t, Y(2020))], -1);
    /* A1 2019: only 2 points (2018, 2019) in 2017..2019 */
    cr_assert_eq(f.r->periods_to_breach[fx_row_ok(&f, "A1", t, Y(2019))], -1);
    fx_free(&f);
}

Test(monitor_projection, falling_toward_a_low_boundary)
{
    fx f;
    fx_init(&f);
    static const double v[] = {9, 8, 7}; /* slope -1, at 7: 5 reached after 2 */
    fx_years(&f, "A1", "INC", 2018, 3, v);
    qala_threshold th = fx_th(I_INC, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_LOW, 5, 2);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    size_t i = fx_row_ok(&f, "A1", t, Y(2020));
    cr_assert_eq(f.r->periods_to_breach[i], 2);
    cr_assert_eq(f.r->trend[i], QALA_TREND_WORSENING);
    fx_free(&f);
}

Test(monitor_projection, trend_k_of_two_never_projects)
{
    fx f;
    fx_init(&f);
    static const double v[] = {4, 5, 6};
    fx_years(&f, "A1", "UNEMP", 2018, 3, v);
    uint32_t t = high_threshold(&f);
    f.opt.trend_k = 2;
    fx_run_ok(&f);
    size_t i = fx_row_ok(&f, "A1", t, Y(2020));
    cr_assert_eq(f.r->periods_to_breach[i], -1);
    assert_near(f.r->slope[i], 1); /* the trend still uses 2019..2020 */
    fx_free(&f);
}

Test(monitor_projection, a_longer_window_fits_the_line_over_more_points)
{
    fx f;
    fx_init(&f);
    /* 2016..2020: 1, 2, 2, 3, 4: x 0..4, mean x 2, mean y 2.4; Sxy = (-2)(-1.4) + (-1)(-0.4)
     * + 0 + (1)(0.6) + (2)(1.6) = 2.8 + 0.4 + 0.6 + 3.2 = 7; Sxx = 10; slope 0.7.
     * From 4: (10 - 4)/0.7 = 8.57 -> 9 periods */
    static const double v[] = {1, 2, 2, 3, 4};
    fx_years(&f, "A1", "UNEMP", 2016, 5, v);
    uint32_t t = high_threshold(&f);
    f.opt.trend_k = 5;
    fx_run_ok(&f);
    size_t i = fx_row_ok(&f, "A1", t, Y(2020));
    assert_near(f.r->slope[i], 0.7);
    cr_assert_eq(f.r->periods_to_breach[i], 9);
    fx_free(&f);
}

Test(monitor_codes, trend_and_status_codes)
{
    cr_assert_str_eq(qala_trend_code(QALA_TREND_NONE), "none");
    cr_assert_str_eq(qala_trend_code(QALA_TREND_IMPROVING), "improving");
    cr_assert_str_eq(qala_trend_code(QALA_TREND_STABLE), "stable");
    cr_assert_str_eq(qala_trend_code(QALA_TREND_WORSENING), "worsening");
    cr_assert_str_eq(qala_trend_code((qala_trend)9), "none");
    cr_assert_str_eq(qala_breach_status_code(QALA_BREACH_NONE), "none");
    cr_assert_str_eq(qala_breach_status_code(QALA_BREACH_NEW), "new");
    cr_assert_str_eq(qala_breach_status_code(QALA_BREACH_PERSISTENT), "persistent");
    cr_assert_str_eq(qala_breach_status_code(QALA_BREACH_AGGRAVATING), "aggravating");
    cr_assert_str_eq(qala_breach_status_code(QALA_BREACH_UNWINDING), "unwinding");
    cr_assert_str_eq(qala_breach_status_code((qala_breach_status)-1), "none");
}
