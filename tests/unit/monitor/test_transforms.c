/* The transforms of qala/threshold.h as the monitor computes them, on hand-computed
 * series with a missing period (a transform that needs a missing value is "no data"),
 * and period arithmetic across year ends. */
#include "fixture.h"
#include "monitor_internal.h"

/* Testville's income: 2015 100, 2016 110, 2017 missing, 2018 120, 2019 150, 2020 135. */
static const double inc[] = {100, 110, NAN, 120, 150, 135};

static void tv_income(fx *f) { fx_years(f, "TV", "INC", 2015, 6, inc); }

Test(monitor_transform, level_is_the_value_and_rows_exist_only_for_observed_periods)
{
    fx f;
    fx_init(&f);
    tv_income(&f);
    qala_threshold th = fx_th_any(I_INC, QALA_TRANSFORM_LEVEL, 1);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 5); /* 2015, 2016, 2018, 2019, 2020: 2017 has no observation */
    cr_assert_eq(fx_row(&f, "TV", t, Y(2017)), NONE_ROW);
    size_t i = fx_row_ok(&f, "TV", t, Y(2019));
    assert_near(f.r->value[i], 150);
    assert_near(f.r->transformed[i], 150);
    cr_assert_eq(f.r->zone[i], QALA_ZONE_NORMAL);
    fx_free(&f);
}

Test(monitor_transform, average_needs_all_k_periods)
{
    fx f;
    fx_init(&f);
    tv_income(&f);
    qala_threshold th = fx_th_any(I_INC, QALA_TRANSFORM_AVERAGE, 2);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2015))])); /* 2014 missing */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2016))], 105); /* (100+110)/2 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2018))])); /* 2017 missing */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2019))], 135); /* (120+150)/2 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2020))], 142.5); /* (150+135)/2 */
    size_t i = fx_row_ok(&f, "TV", t, Y(2018));
    cr_assert_eq(f.r->zone[i], QALA_ZONE_NO_DATA);
    assert_near(f.r->value[i], 120); /* the level is still reported */
    cr_assert(isnan(f.r->distance[i]));
    fx_free(&f);
}

Test(monitor_transform, average_of_three)
{
    fx f;
    fx_init(&f);
    tv_income(&f);
    qala_threshold th = fx_th_any(I_INC, QALA_TRANSFORM_AVERAGE, 3);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2020))], 135); /* (120+150+135)/3 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2019))])); /* 2017 in the window */
    fx_free(&f);
}

Test(monitor_transform, change_in_points_over_k)
{
    fx f;
    fx_init(&f);
    tv_income(&f);
    qala_threshold th1 = fx_th_any(I_INC, QALA_TRANSFORM_CHANGE_POINTS, 1);
    qala_threshold th3 = fx_th_any(I_INC, QALA_TRANSFORM_CHANGE_POINTS, 3);
    uint32_t t1 = fx_add(&f, &th1), t3 = fx_add(&f, &th3);
    fx_run_ok(&f);
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t1, Y(2015))]));
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t1, Y(2016))], 10);  /* 110-100 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t1, Y(2018))])); /* 2017 missing */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t1, Y(2019))], 30);  /* 150-120 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t1, Y(2020))], -15); /* 135-150 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t3, Y(2018))], 20);  /* 120-100 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t3, Y(2019))], 40);  /* 150-110 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t3, Y(2020))])); /* 2017 missing */
    fx_free(&f);
}

Test(monitor_transform, change_in_percent_over_k)
{
    fx f;
    fx_init(&f);
    tv_income(&f);
    qala_threshold th = fx_th_any(I_INC, QALA_TRANSFORM_CHANGE_PERCENT, 2);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2016))]));         /* 2014 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2018))], 100.0 / 11); /* (120/110-1)*100 = 9.0909 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2019))]));         /* 2017 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2020))], 12.5);       /* (135/120-1)*100 */
    fx_free(&f);
}

Test(monitor_transform, change_in_percent_from_zero_is_no_data)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "INC", Y(2019), 0);
    fx_obs(&f, "TV", "INC", Y(2020), 5);
    qala_threshold th = fx_th_any(I_INC, QALA_TRANSFORM_CHANGE_PERCENT, 1);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    size_t i = fx_row_ok(&f, "TV", t, Y(2020));
    cr_assert(isnan(f.r->transformed[i]));
    cr_assert_eq(f.r->zone[i], QALA_ZONE_NO_DATA);
    fx_free(&f);
}

Test(monitor_transform, per_denominator_scales_and_a_zero_or_missing_denominator_is_no_data)
{
    fx f;
    fx_init(&f);
    tv_income(&f);
    /* population: 2015 50, 2016 55, 2018 0, 2019 60, 2020 missing */
    static const double pop[] = {50, 55, NAN, 0, 60};
    fx_years(&f, "TV", "POP", 2015, 5, pop);
    qala_threshold th = fx_th_any(I_INC, QALA_TRANSFORM_PER_DENOMINATOR, 1);
    th.denominator = I_POP;
    th.scale = 1000;
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2015))], 2000); /* 100/50*1000 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2016))], 2000); /* 110/55*1000 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2018))]));  /* 120/0 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2019))], 2500); /* 150/60*1000 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2020))]));  /* no population */
    fx_free(&f);
}

Test(monitor_transform, quarters_look_back_across_the_year_end)
{
    fx f;
    fx_init(&f);
    /* 2019-Q1..2020-Q2: 10, 11, 12, 13, 14, 15 */
    static const qala_period q[] = {201921, 201922, 201923, 201924, 202021, 202022};
    for (int i = 0; i < 6; i++)
        fx_obs(&f, "TV", "INC", q[i], 10 + i);
    qala_threshold th4 = fx_th_any(I_INC, QALA_TRANSFORM_CHANGE_POINTS, 4);
    qala_threshold th1 = fx_th_any(I_INC, QALA_TRANSFORM_CHANGE_POINTS, 1);
    uint32_t t4 = fx_add(&f, &th4), t1 = fx_add(&f, &th1);
    fx_run_ok(&f);
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t4, 202021)], 4); /* 14 - 10 (2019-Q1) */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t4, 202022)], 4); /* 15 - 11 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t4, 201924)]));
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t1, 202021)], 1); /* 14 - 13 (2019-Q4) */
    fx_free(&f);
}

Test(monitor_transform, months_look_back_across_the_year_end)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "INC", 201911, 1);
    fx_obs(&f, "TV", "INC", 201912, 2);
    fx_obs(&f, "TV", "INC", 202001, 5);
    qala_threshold th = fx_th_any(I_INC, QALA_TRANSFORM_CHANGE_POINTS, 2);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, 202001)], 4); /* 5 - 1 (2019-11) */
    fx_free(&f);
}

Test(monitor_transform, a_series_mixing_frequencies_keeps_each_frequency_apart)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "INC", Y(2019), 100);
    fx_obs(&f, "TV", "INC", 201924, 30);
    fx_obs(&f, "TV", "INC", Y(2020), 120);
    fx_obs(&f, "TV", "INC", 202021, 33);
    qala_threshold th = fx_th_any(I_INC, QALA_TRANSFORM_CHANGE_POINTS, 1);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 4);
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2020))], 20); /* 120 - 100 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, 202021)], 3);  /* 33 - 30 */
    /* rows in period order: 2019, 2019-Q4, 2020, 2020-Q1 */
    cr_assert_eq(f.r->period[0], Y(2019));
    cr_assert_eq(f.r->period[1], 201924);
    cr_assert_eq(f.r->period[2], Y(2020));
    cr_assert_eq(f.r->period[3], 202021);
    fx_free(&f);
}

Test(monitor_transform, period_arithmetic_wraps_years)
{
    cr_assert_eq(qala_monitor__period_add(202001, -1), 201912);
    cr_assert_eq(qala_monitor__period_add(201912, 1), 202001);
    cr_assert_eq(qala_monitor__period_add(202021, -1), 201924);
    cr_assert_eq(qala_monitor__period_add(202024, 5), 202221); /* 2020-Q4 + 4 = 2021-Q4, + 1 = 2022-Q1 */
    cr_assert_eq(qala_monitor__period_add(Y(2020), -3), Y(2017));
    cr_assert_eq(qala_monitor__period_add(202003, -15), 201812);
    cr_assert(qala_monitor__period_valid(202024));
    cr_assert(!qala_monitor__period_valid(202013));
    cr_assert(!qala_monitor__period_valid(202025));
    cr_assert(!qala_monitor__period_valid(Y(1899)));
    cr_assert(!qala_monitor__period_valid(Y(2101)));
}

/* A break in series (flag "break" on the first period measured the new way, e.g. after
 * a region was split) makes every change or average whose window spans it "no data":
 * comparing figures of different territories would raise false alarms. */
Test(monitor_transform, changes_and_averages_across_a_break_in_series_are_no_data)
{
    fx f;
    fx_init(&f);
    uint32_t u, ind;
    cr_assert_eq(qala_dataset_intern_unit(f.ds, "NP", &u), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(f.ds, "POP", &ind), QALA_OK);
    /* 2018..2024: 100 101 102 60(break) 61 62 63 */
    const double v[] = {100, 101, 102, 60, 61, 62, 63};
    for (int i = 0; i < 7; i++)
        cr_assert_eq(qala_dataset_append(f.ds, u, ind, Y(2018 + i), v[i], i == 3 ? QALA_FLAG_BREAK : QALA_FLAG_NONE, 0),
                     QALA_OK);
    qala_threshold c1 = fx_th_any(I_POP, QALA_TRANSFORM_CHANGE_POINTS, 1);
    qala_threshold c2 = fx_th_any(I_POP, QALA_TRANSFORM_CHANGE_PERCENT, 2);
    qala_threshold a3 = fx_th_any(I_POP, QALA_TRANSFORM_AVERAGE, 3);
    qala_threshold lv = fx_th_any(I_POP, QALA_TRANSFORM_LEVEL, 1);
    uint32_t t1 = fx_add(&f, &c1), t2 = fx_add(&f, &c2), t3 = fx_add(&f, &a3), tl = fx_add(&f, &lv);
    fx_run_ok(&f);
    assert_near(f.r->transformed[fx_row_ok(&f, "NP", t1, Y(2020))], 1);       /* 102-101 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "NP", t1, Y(2021))]));     /* 60-102 spans the break */
    assert_near(f.r->transformed[fx_row_ok(&f, "NP", t1, Y(2022))], 1);       /* 61-60, both after */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "NP", t2, Y(2021))]));     /* from 2019 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "NP", t2, Y(2022))]));     /* from 2020 */
    assert_near(f.r->transformed[fx_row_ok(&f, "NP", t2, Y(2023))], 100.0 * (62.0 / 60.0 - 1)); /* 3.3333 */
    assert_near(f.r->transformed[fx_row_ok(&f, "NP", t3, Y(2020))], 101);     /* (100+101+102)/3 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "NP", t3, Y(2021))]));     /* 2019..2021 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "NP", t3, Y(2022))]));     /* 2020..2022 */
    assert_near(f.r->transformed[fx_row_ok(&f, "NP", t3, Y(2023))], 61);      /* (60+61+62)/3: starts at the break */
    assert_near(f.r->transformed[fx_row_ok(&f, "NP", tl, Y(2021))], 60);      /* the level itself is kept */
    fx_free(&f);
}
