/* Zones and distances through the monitor (one- and two-sided, inclusive and exclusive
 * boundaries), and which threshold applies: group-specific over general, by validity
 * period, the set filter. */
#include "fixture.h"

/* Unit A1 (not in the registry), indicator UNEMP, one value a year from 2001 on. */
static void a1_values(fx *f, size_t n, const double *v) { fx_years(f, "A1", "UNEMP", 2001, n, v); }

static uint8_t zone_at(const fx *f, uint32_t t, int year)
{
    return f->r->zone[fx_row_ok(f, "A1", t, Y(year))];
}

Test(monitor_zone, one_sided_high_inclusive_and_exclusive)
{
    fx f;
    fx_init(&f);
    static const double v[] = {9.9, 10, 15, 20, 20.1, 25};
    a1_values(&f, 6, v);
    qala_threshold inc = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    qala_threshold exc = inc;
    exc.inclusive = 0;
    exc.set = "exclusive"; /* same indicator, transform and k: another set, so both apply */
    uint32_t ti = fx_add(&f, &inc), te = fx_add(&f, &exc);
    fx_run_ok(&f);
    /* inclusive: reaching 10 is warning, reaching 20 is crisis */
    cr_assert_eq(zone_at(&f, ti, 2001), QALA_ZONE_NORMAL);  /* 9.9 */
    cr_assert_eq(zone_at(&f, ti, 2002), QALA_ZONE_WARNING); /* 10 */
    cr_assert_eq(zone_at(&f, ti, 2003), QALA_ZONE_WARNING); /* 15 */
    cr_assert_eq(zone_at(&f, ti, 2004), QALA_ZONE_CRISIS);  /* 20 */
    cr_assert_eq(zone_at(&f, ti, 2006), QALA_ZONE_CRISIS);  /* 25 */
    /* exclusive: 10 is still normal, 20 still warning */
    cr_assert_eq(zone_at(&f, te, 2002), QALA_ZONE_NORMAL);
    cr_assert_eq(zone_at(&f, te, 2004), QALA_ZONE_WARNING);
    cr_assert_eq(zone_at(&f, te, 2005), QALA_ZONE_CRISIS); /* 20.1 */
    /* distances (qala_threshold_distance): 9.9 is 0.1 below warning 10 (1% of 10);
     * 15 is 5 below crisis 20 (25%); 25 is 5 past crisis 20 (-25%) */
    size_t i = fx_row_ok(&f, "A1", ti, Y(2001));
    assert_near(f.r->distance[i], 0.1);
    assert_near(f.r->distance_pct[i], 1);
    i = fx_row_ok(&f, "A1", ti, Y(2003));
    assert_near(f.r->distance[i], 5);
    assert_near(f.r->distance_pct[i], 25);
    i = fx_row_ok(&f, "A1", ti, Y(2006));
    assert_near(f.r->distance[i], -5);
    assert_near(f.r->distance_pct[i], -25);
    fx_free(&f);
}

Test(monitor_zone, one_sided_low)
{
    fx f;
    fx_init(&f);
    static const double v[] = {6, 5, 3, 2, 1};
    a1_values(&f, 5, v);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_LOW, 5, 2);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert_eq(zone_at(&f, t, 2001), QALA_ZONE_NORMAL);  /* 6 > 5 */
    cr_assert_eq(zone_at(&f, t, 2002), QALA_ZONE_WARNING); /* 5, inclusive */
    cr_assert_eq(zone_at(&f, t, 2003), QALA_ZONE_WARNING); /* 3 */
    cr_assert_eq(zone_at(&f, t, 2004), QALA_ZONE_CRISIS);  /* 2, inclusive */
    cr_assert_eq(zone_at(&f, t, 2005), QALA_ZONE_CRISIS);  /* 1 */
    assert_near(f.r->distance[fx_row_ok(&f, "A1", t, Y(2001))], 1); /* 6 - 5 */
    fx_free(&f);
}

Test(monitor_zone, band_exclusive_and_inclusive)
{
    fx f;
    fx_init(&f);
    /* normal [2, 8], at worst warning [0, 10] */
    static const double v[] = {2, 8, 5, 1, 9, 0, -1, 11, 10};
    a1_values(&f, 9, v);
    qala_threshold exc = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_OUTSIDE, 2, 0);
    exc.warning_high = 8;
    exc.crisis_high = 10;
    exc.inclusive = 0;
    qala_threshold inc = exc;
    inc.inclusive = 1;
    inc.set = "inclusive";
    uint32_t te = fx_add(&f, &exc), ti = fx_add(&f, &inc);
    fx_run_ok(&f);
    cr_assert_eq(zone_at(&f, te, 2001), QALA_ZONE_NORMAL);  /* 2 */
    cr_assert_eq(zone_at(&f, te, 2002), QALA_ZONE_NORMAL);  /* 8 */
    cr_assert_eq(zone_at(&f, te, 2003), QALA_ZONE_NORMAL);  /* 5 */
    cr_assert_eq(zone_at(&f, te, 2004), QALA_ZONE_WARNING); /* 1 */
    cr_assert_eq(zone_at(&f, te, 2005), QALA_ZONE_WARNING); /* 9 */
    cr_assert_eq(zone_at(&f, te, 2006), QALA_ZONE_WARNING); /* 0 */
    cr_assert_eq(zone_at(&f, te, 2007), QALA_ZONE_CRISIS);  /* -1 */
    cr_assert_eq(zone_at(&f, te, 2008), QALA_ZONE_CRISIS);  /* 11 */
    cr_assert_eq(zone_at(&f, ti, 2001), QALA_ZONE_WARNING); /* 2 reaches the boundary */
    cr_assert_eq(zone_at(&f, ti, 2002), QALA_ZONE_WARNING); /* 8 */
    cr_assert_eq(zone_at(&f, ti, 2003), QALA_ZONE_NORMAL);  /* 5 */
    cr_assert_eq(zone_at(&f, ti, 2009), QALA_ZONE_CRISIS);  /* 10 */
    fx_free(&f);
}

Test(monitor_zone, a_group_threshold_beats_the_general_one_for_members)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 6); /* monocity since 2015 */
    fx_obs(&f, "MT", "UNEMP", Y(2020), 6); /* in no group */
    fx_obs(&f, "SP", "UNEMP", Y(2018), 6); /* monocity from 2019-01-01 */
    fx_obs(&f, "SP", "UNEMP", Y(2019), 6);
    fx_obs(&f, "A1", "UNEMP", Y(2020), 6); /* not in the registry */
    qala_threshold general = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    qala_threshold mono = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 5, 8);
    mono.groups = fx_mono;
    mono.ngroups = 1;
    qala_threshold agglo = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 1, 2);
    agglo.groups = fx_agglo;
    agglo.ngroups = 1;
    uint32_t tg = fx_add(&f, &general), tm = fx_add(&f, &mono), ta = fx_add(&f, &agglo);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 5); /* one row per observation: one threshold applies to each */
    size_t i = fx_row_ok(&f, "TV", tm, Y(2020));
    cr_assert_eq(f.r->zone[i], QALA_ZONE_WARNING); /* 6 >= 5 */
    cr_assert_eq(fx_row(&f, "TV", tg, Y(2020)), NONE_ROW);
    cr_assert_eq(f.r->zone[fx_row_ok(&f, "MT", tg, Y(2020))], QALA_ZONE_NORMAL); /* 6 < 10 */
    cr_assert_eq(f.r->zone[fx_row_ok(&f, "A1", tg, Y(2020))], QALA_ZONE_NORMAL);
    fx_row_ok(&f, "SP", tg, Y(2018)); /* not yet a monocity */
    fx_row_ok(&f, "SP", tm, Y(2019));
    for (size_t k = 0; k < f.r->n; k++)
        cr_assert_neq(f.r->threshold[k], ta); /* nobody is in "agglo" */
    fx_free(&f);
}

Test(monitor_zone, validity_periods_choose_the_threshold_of_the_period)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "MT", "UNEMP", Y(2018), 6);
    fx_obs(&f, "MT", "UNEMP", Y(2019), 6);
    fx_obs(&f, "MT", "UNEMP", 201912, 6); /* 2019-12 starts 2019-12-01 */
    qala_threshold old = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    old.valid_to = 20190101;
    qala_threshold now = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 5, 20);
    now.valid_from = 20190101;
    uint32_t to = fx_add(&f, &old), tn = fx_add(&f, &now);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 3);
    cr_assert_eq(f.r->zone[fx_row_ok(&f, "MT", to, Y(2018))], QALA_ZONE_NORMAL);
    cr_assert_eq(f.r->zone[fx_row_ok(&f, "MT", tn, Y(2019))], QALA_ZONE_WARNING);
    fx_row_ok(&f, "MT", tn, 201912);
    /* order: unit, threshold, period — the old threshold's row comes first */
    cr_assert_eq(f.r->threshold[0], to);
    cr_assert_eq(f.r->period[1], Y(2019));
    cr_assert_eq(f.r->period[2], 201912);
    fx_free(&f);
}

Test(monitor_zone, a_period_outside_every_validity_has_no_row)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "MT", "UNEMP", Y(2010), 6);
    fx_obs(&f, "MT", "UNEMP", Y(2020), 6);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    th.valid_from = 20150101;
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 1);
    fx_row_ok(&f, "MT", t, Y(2020));
    fx_free(&f);
}

Test(monitor_zone, the_set_option_keeps_one_set)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "MT", "UNEMP", Y(2020), 6);
    qala_threshold a = fx_th(I_UNEMP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    qala_threshold b = a;
    b.set = "other";
    b.warning = 5;
    fx_add(&f, &a);
    uint32_t tb = fx_add(&f, &b);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 2); /* different sets: both apply */
    f.opt.set = "other";
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 1);
    cr_assert_eq(f.r->threshold[0], tb);
    cr_assert_eq(f.r->zone[0], QALA_ZONE_WARNING);
    f.opt.set = "missing";
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 0);
    fx_free(&f);
}

Test(monitor_zone, an_indicator_not_in_the_dataset_gives_no_rows)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "MT", "UNEMP", Y(2020), 6);
    qala_threshold th = fx_th(I_POP, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 10, 20);
    fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 0);
    fx_free(&f);
}
