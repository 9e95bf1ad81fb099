/* Single-period mode (a row for every unit and applicable threshold, no data where
 * missing), rejected input and options, row order, and allocation failures. */
#include "fixture.h"
#include "failing_alloc.h"

Test(monitor_single, one_row_per_unit_and_threshold_with_no_data_rows)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "UNEMP", Y(2019), 8);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 12);
    fx_obs(&f, "MT", "UNEMP", Y(2018), 3); /* nothing in 2020 */
    fx_obs(&f, "A1", "INC", Y(2020), 50);  /* no UNEMP at all */
    fx_obs(&f, "TL", "UNEMP", Y(2020), 6); /* the country: not evaluated */
    qala_threshold lvl = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    qala_threshold chg = fx_th(I_UNEMP, QALA_TRANSFORM_CHANGE_POINTS, 1, QALA_BAD_HIGH, 3, 5);
    uint32_t tl = fx_add(&f, &lvl), tc = fx_add(&f, &chg);
    f.opt.period = Y(2020);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 6); /* TV, MT, A1 × 2 thresholds */
    size_t i = fx_row_ok(&f, "TV", tl, Y(2020));
    cr_assert_eq(f.r->zone[i], QALA_ZONE_WARNING);
    cr_assert_eq(f.r->status[i], QALA_BREACH_NEW); /* 2019: 8 was normal */
    assert_near(f.r->slope[i], 4);                 /* 8 -> 12 */
    i = fx_row_ok(&f, "TV", tc, Y(2020));
    assert_near(f.r->transformed[i], 4); /* 12 - 8 */
    cr_assert_eq(f.r->zone[i], QALA_ZONE_WARNING);
    i = fx_row_ok(&f, "MT", tl, Y(2020));
    cr_assert_eq(f.r->zone[i], QALA_ZONE_NO_DATA);
    cr_assert(isnan(f.r->value[i]));
    cr_assert(isnan(f.r->transformed[i]));
    cr_assert_eq(f.r->status[i], QALA_BREACH_NONE);
    cr_assert_eq(f.r->periods_to_breach[i], -1);
    cr_assert_eq(f.r->trend[i], QALA_TREND_NONE); /* only 2018 is within 2018..2020 */
    i = fx_row_ok(&f, "A1", tc, Y(2020));
    cr_assert_eq(f.r->zone[i], QALA_ZONE_NO_DATA);
    cr_assert_eq(fx_row(&f, "TL", tl, Y(2020)), NONE_ROW);
    fx_free(&f);
}

Test(monitor_single, a_period_after_the_data_still_sees_the_trend_window)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "UNEMP", Y(2019), 8);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 9);
    qala_threshold lvl = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    uint32_t t = fx_add(&f, &lvl);
    f.opt.period = Y(2021);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 1);
    size_t i = fx_row_ok(&f, "TV", t, Y(2021));
    cr_assert_eq(f.r->zone[i], QALA_ZONE_NO_DATA);
    assert_near(f.r->slope[i], 1); /* 2019..2021: 8, 9, missing */
    fx_free(&f);
}

Test(monitor_single, group_thresholds_apply_by_membership_at_the_period)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "SP", "UNEMP", Y(2018), 6);
    fx_obs(&f, "MT", "UNEMP", Y(2018), 6);
    qala_threshold general = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    qala_threshold mono = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 5, 8);
    mono.groups = fx_mono;
    mono.ngroups = 1;
    uint32_t tg = fx_add(&f, &general), tm = fx_add(&f, &mono);
    f.opt.period = Y(2020); /* Sampleton is a monocity by then */
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 2);
    fx_row_ok(&f, "SP", tm, Y(2020));
    fx_row_ok(&f, "MT", tg, Y(2020));
    f.opt.period = Y(2018);
    fx_run_ok(&f);
    fx_row_ok(&f, "SP", tg, Y(2018));
    fx_free(&f);
}

Test(monitor_input, an_unsorted_dataset_is_rejected)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 1);
    fx_obs(&f, "TV", "UNEMP", Y(2019), 1);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    fx_add(&f, &th);
    f.r = (qala_monitor_result *)&f; /* must be set to NULL */
    cr_assert_eq(qala_monitor_evaluate(&f.r, f.ds, f.ths, f.fw, f.reg, &f.opt), QALA_EINVAL);
    cr_assert_null(f.r);
    cr_assert(strstr(qala_error_last()->message, "sorted"), "%s", qala_error_last()->message);
    fx_free(&f);
}

Test(monitor_input, a_repeated_key_is_rejected)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 1);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 2);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    fx_add(&f, &th);
    cr_assert_eq(fx_run(&f), QALA_EINVAL);
    cr_assert_null(f.r);
    fx_free(&f);
}

Test(monitor_input, a_period_outside_the_range_is_rejected)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "UNEMP", 202013, 1); /* month 13 */
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    fx_add(&f, &th);
    cr_assert_eq(fx_run(&f), QALA_EINVAL);
    fx_free(&f);
}

Test(monitor_input, bad_options_and_arguments_are_rejected)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 1);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    fx_add(&f, &th);
    f.opt.trend_k = 1;
    cr_assert_eq(fx_run(&f), QALA_EINVAL);
    cr_assert(strstr(qala_error_last()->message, "trend_k"));
    f.opt = (qala_monitor_options)QALA_MONITOR_OPTIONS_INIT;
    f.opt.version = 99;
    cr_assert_eq(fx_run(&f), QALA_EINVAL);
    f.opt = (qala_monitor_options)QALA_MONITOR_OPTIONS_INIT;
    f.opt.stable_tolerance = -1;
    cr_assert_eq(fx_run(&f), QALA_EINVAL);
    f.opt.stable_tolerance = NAN;
    cr_assert_eq(fx_run(&f), QALA_EINVAL);
    f.opt = (qala_monitor_options)QALA_MONITOR_OPTIONS_INIT;
    f.opt.period = 202025;
    cr_assert_eq(fx_run(&f), QALA_EINVAL);
    f.opt = (qala_monitor_options)QALA_MONITOR_OPTIONS_INIT;
    cr_assert_eq(qala_monitor_evaluate(NULL, f.ds, f.ths, f.fw, f.reg, &f.opt), QALA_EINVAL);
    cr_assert_eq(qala_monitor_evaluate(&f.r, f.ds, NULL, f.fw, f.reg, &f.opt), QALA_EINVAL);
    cr_assert_eq(qala_monitor_evaluate(&f.r, f.ds, f.ths, NULL, f.reg, &f.opt), QALA_EINVAL);
    /* NULL options are the defaults */
    cr_assert_eq(qala_monitor_evaluate(&f.r, f.ds, f.ths, f.fw, f.reg, NULL), QALA_OK);
    cr_assert_eq(f.r->n, 1);
    fx_free(&f);
}

Test(monitor_input, a_bad_threshold_is_rejected)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 1);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_AVERAGE, 0, QALA_BAD_HIGH, 10, 20);
    fx_add(&f, &th);
    cr_assert_eq(fx_run(&f), QALA_EINVAL); /* k 0 */
    cr_assert(strstr(qala_error_last()->message, "threshold 0"));
    fx_free(&f);
    fx_init(&f);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 1);
    th = fx_th(7, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    fx_add(&f, &th);
    cr_assert_eq(fx_run(&f), QALA_EINVAL); /* indicator 7 of 3 */
    fx_free(&f);
}

Test(monitor_order, rows_are_ordered_by_unit_threshold_period)
{
    fx f;
    fx_init(&f);
    for (int y = 2018; y <= 2020; y++) {
        fx_obs(&f, "TV", "UNEMP", Y(y), y - 2010);
        fx_obs(&f, "TV", "INC", Y(y), y - 2000);
        fx_obs(&f, "MT", "UNEMP", Y(y), y - 2015);
    }
    qala_threshold a = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    qala_threshold b = fx_th(I_INC, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_LOW, 10, 5);
    qala_threshold c = fx_th(I_UNEMP, QALA_TRANSFORM_CHANGE_POINTS, 1, QALA_BAD_HIGH, 3, 5);
    fx_add(&f, &a);
    fx_add(&f, &b);
    fx_add(&f, &c);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 15); /* TV: 3 thresholds × 3 years; MT: 2 × 3 */
    for (size_t i = 1; i < f.r->n; i++) {
        int before = f.r->unit[i - 1] < f.r->unit[i] ||
                     (f.r->unit[i - 1] == f.r->unit[i] &&
                      (f.r->threshold[i - 1] < f.r->threshold[i] ||
                       (f.r->threshold[i - 1] == f.r->threshold[i] && f.r->period[i - 1] < f.r->period[i])));
        cr_assert(before, "row %zu", i);
    }
    fx_free(&f);
}

Test(monitor_alloc, every_allocation_failure_is_clean)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TL", "UNEMP", Y(2019), 5);
    fx_obs(&f, "TL", "UNEMP", Y(2020), 5);
    for (int y = 2017; y <= 2020; y++) {
        fx_obs(&f, "TV", "UNEMP", Y(y), y - 2010);
        fx_obs(&f, "TV", "INC", Y(y), y - 2000);
        fx_obs(&f, "TV", "POP", Y(y), 10);
        fx_obs(&f, "FB", "INC", Y(y), 2 * y - 4000);
        fx_obs(&f, "MT", "UNEMP", Y(y), y - 2015);
    }
    qala_threshold ths[] = {
        fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20),
        fx_th(I_UNEMP, QALA_TRANSFORM_RATIO_NATIONAL, 1, QALA_BAD_HIGH, 1.2, 2),
        fx_th(I_INC, QALA_TRANSFORM_RATIO_GROUP_MEDIAN, 1, QALA_BAD_LOW, 0.8, 0.5),
        fx_th(I_INC, QALA_TRANSFORM_PER_DENOMINATOR, 1, QALA_BAD_LOW, 1, 0.5),
        fx_th(I_INC, QALA_TRANSFORM_AVERAGE, 3, QALA_BAD_LOW, 10, 5),
    };
    ths[2].groups = fx_mono;
    ths[2].ngroups = 1;
    ths[3].denominator = I_POP;
    for (size_t i = 0; i < sizeof ths / sizeof *ths; i++)
        fx_add(&f, &ths[i]);
    cr_assert_eq(qala_dataset_sort(f.ds), QALA_OK);
    qala_status st = QALA_ENOMEM;
    long n;
    for (n = 0; st == QALA_ENOMEM && n < 1000; n++) {
        qala_monitor_result *r = (qala_monitor_result *)&f;
        fail_at = n;
        calls = 0;
        qala_allocator_set(&failing_allocator);
        st = qala_monitor_evaluate(&r, f.ds, f.ths, f.fw, f.reg, &f.opt);
        qala_allocator_set(NULL);
        if (st == QALA_ENOMEM)
            cr_assert_null(r, "failure %ld", n);
        else
            f.r = r;
    }
    cr_assert_eq(st, QALA_OK);
    cr_assert_gt(n, 10); /* the evaluation does allocate: every failure point was met */
    size_t tv = 0;
    for (size_t i = 0; i < f.r->n; i++)
        tv += strcmp(qala_dataset_unit_code(f.ds, f.r->unit[i]), "TV") == 0;
    cr_assert_eq(tv, 20); /* TV has UNEMP, INC, POP: a monocity: all 5 thresholds × 4 years */
    fx_free(&f);
}

/* Single-period mode must agree with the full evaluation on every observed period:
 * a deterministic series with gaps, every transform but the ratios. */
Test(monitor_single, agrees_with_the_full_evaluation_row_by_row)
{
    fx f;
    fx_init(&f);
    for (int y = 2001; y <= 2020; y++) {
        unsigned h = (unsigned)y * 2654435761u;
        if (h % 7 == 3)
            continue; /* a gap */
        fx_obs(&f, "TV", "UNEMP", Y(y), (double)(h % 997) / 37.0);
        fx_obs(&f, "TV", "POP", Y(y), 1 + (double)(h % 13));
    }
    qala_threshold ths[] = {
        fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20),
        fx_th(I_UNEMP, QALA_TRANSFORM_AVERAGE, 3, QALA_BAD_HIGH, 10, 20),
        fx_th(I_UNEMP, QALA_TRANSFORM_CHANGE_POINTS, 2, QALA_BAD_HIGH, 3, 8),
        fx_th(I_UNEMP, QALA_TRANSFORM_CHANGE_PERCENT, 1, QALA_BAD_LOW, -20, -50),
        fx_th(I_UNEMP, QALA_TRANSFORM_PER_DENOMINATOR, 1, QALA_BAD_HIGH, 2, 5),
    };
    ths[4].denominator = I_POP;
    for (size_t i = 0; i < sizeof ths / sizeof *ths; i++)
        fx_add(&f, &ths[i]);
    f.opt.trend_k = 4;
    fx_run_ok(&f);
    qala_monitor_result *all = f.r;
    f.r = NULL;
    size_t compared = 0;
    for (size_t i = 0; i < all->n; i++) {
        f.opt.period = all->period[i];
        fx_run_ok(&f);
        size_t j = fx_row_ok(&f, "TV", all->threshold[i], all->period[i]);
        cr_assert(memcmp(&f.r->transformed[j], &all->transformed[i], sizeof(double)) == 0, "row %zu", i);
        cr_assert(memcmp(&f.r->slope[j], &all->slope[i], sizeof(double)) == 0, "row %zu", i);
        cr_assert_eq(f.r->zone[j], all->zone[i], "row %zu", i);
        cr_assert_eq(f.r->trend[j], all->trend[i], "row %zu", i);
        cr_assert_eq(f.r->status[j], all->status[i], "row %zu", i);
        cr_assert_eq(f.r->periods_to_breach[j], all->periods_to_breach[i], "row %zu", i);
        compared++;
    }
    cr_assert_gt(compared, 50); /* 5 thresholds × the observed years */
    qala_monitor_result_free(all);
    fx_free(&f);
}
