/* Ratio to the national value and to a group's median, with the fictional registry of
 * fixture.h (Testland TL is the country; monocities: Testville since 2015, Sampleton
 * since 2019-01-01, Fakeburg always; Mocktown in no group). */
#include "fixture.h"

Test(monitor_ratio, national_ratio_uses_the_country_and_skips_it)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TL", "UNEMP", Y(2020), 5);
    fx_obs(&f, "TL", "UNEMP", Y(2018), 0);
    fx_obs(&f, "TV", "UNEMP", Y(2018), 4);
    fx_obs(&f, "TV", "UNEMP", Y(2019), 6); /* Testland 2019 missing */
    fx_obs(&f, "TV", "UNEMP", Y(2020), 7.5);
    fx_obs(&f, "MT", "UNEMP", Y(2020), 2.5);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_RATIO_NATIONAL, 1, QALA_BAD_HIGH, 1.2, 2);
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    cr_assert_eq(f.r->n, 4); /* TV 2018..2020, MT 2020; Testland itself is not evaluated */
    size_t i = fx_row_ok(&f, "TV", t, Y(2020));
    assert_near(f.r->transformed[i], 1.5); /* 7.5 / 5 */
    cr_assert_eq(f.r->zone[i], QALA_ZONE_WARNING); /* 1.5 >= 1.2 */
    assert_near(f.r->value[i], 7.5);
    assert_near(f.r->transformed[fx_row_ok(&f, "MT", t, Y(2020))], 0.5); /* 2.5 / 5 */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2019))])); /* no national value */
    cr_assert(isnan(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2018))])); /* national value 0 */
    cr_assert_eq(fx_row(&f, "TL", t, Y(2020)), NONE_ROW);
    fx_free(&f);
}

Test(monitor_ratio, national_unit_option_names_another_unit)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TL", "UNEMP", Y(2020), 5);
    fx_obs(&f, "NP", "UNEMP", Y(2020), 10);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 7.5);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_RATIO_NATIONAL, 1, QALA_BAD_HIGH, 1.2, 2);
    uint32_t t = fx_add(&f, &th);
    f.opt.national_unit = "np"; /* codes match case-insensitively, as in the registry */
    fx_run_ok(&f);
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2020))], 0.75); /* 7.5 / 10 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TL", t, Y(2020))], 0.5);  /* 5 / 10 */
    cr_assert_eq(fx_row(&f, "NP", t, Y(2020)), NONE_ROW);
    f.opt.national_unit = "XX";
    cr_assert_eq(fx_run(&f), QALA_EINVAL);
    cr_assert_null(f.r);
    cr_assert(strstr(qala_error_last()->message, "XX"));
    fx_free(&f);
}

Test(monitor_ratio, without_a_registry_the_national_unit_is_found_in_the_dataset)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "A0", "UNEMP", Y(2020), 4);
    fx_obs(&f, "A1", "UNEMP", Y(2020), 6);
    qala_threshold th = fx_th(I_UNEMP, QALA_TRANSFORM_RATIO_NATIONAL, 1, QALA_BAD_HIGH, 1.2, 2);
    uint32_t t = fx_add(&f, &th);
    f.opt.national_unit = "A0";
    cr_assert_eq(qala_dataset_sort(f.ds), QALA_OK);
    cr_assert_eq(qala_monitor_evaluate(&f.r, f.ds, f.ths, f.fw, NULL, &f.opt), QALA_OK);
    cr_assert_eq(f.r->n, 1);
    assert_near(f.r->transformed[fx_row_ok(&f, "A1", t, Y(2020))], 1.5); /* 6 / 4 */
    /* no registry and no national unit: no data */
    qala_monitor_result_free(f.r);
    f.r = NULL;
    f.opt.national_unit = NULL;
    cr_assert_eq(qala_monitor_evaluate(&f.r, f.ds, f.ths, f.fw, NULL, &f.opt), QALA_OK);
    cr_assert_eq(f.r->n, 2);
    cr_assert_eq(f.r->zone[fx_row_ok(&f, "A1", t, Y(2020))], QALA_ZONE_NO_DATA);
    fx_free(&f);
}

/* Incomes: 2018 TV 10, FB 40, SP 1000, MT 100; 2020 TV 10, SP 30, FB 20, MT 100. */
static void incomes(fx *f)
{
    fx_obs(f, "TV", "INC", Y(2018), 10);
    fx_obs(f, "FB", "INC", Y(2018), 40);
    fx_obs(f, "SP", "INC", Y(2018), 1000);
    fx_obs(f, "MT", "INC", Y(2018), 100);
    fx_obs(f, "TV", "INC", Y(2020), 10);
    fx_obs(f, "SP", "INC", Y(2020), 30);
    fx_obs(f, "FB", "INC", Y(2020), 20);
    fx_obs(f, "MT", "INC", Y(2020), 100);
}

Test(monitor_ratio, group_median_of_the_units_own_group)
{
    fx f;
    fx_init(&f);
    incomes(&f);
    qala_threshold th = fx_th(I_INC, QALA_TRANSFORM_RATIO_GROUP_MEDIAN, 1, QALA_BAD_LOW, 0.8, 0.5);
    th.groups = fx_mono; /* applies to monocities, each compared with the monocities */
    th.ngroups = 1;
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    /* 2020: members TV, SP, FB: median of {10, 20, 30} = 20 */
    size_t i = fx_row_ok(&f, "TV", t, Y(2020));
    assert_near(f.r->transformed[i], 0.5); /* 10 / 20 */
    cr_assert_eq(f.r->zone[i], QALA_ZONE_CRISIS); /* 0.5 <= 0.5 */
    assert_near(f.r->transformed[fx_row_ok(&f, "SP", t, Y(2020))], 1.5); /* 30 / 20 */
    assert_near(f.r->transformed[fx_row_ok(&f, "FB", t, Y(2020))], 1);   /* 20 / 20 */
    /* 2018: members TV, FB (Sampleton joins in 2019): median (10 + 40) / 2 = 25 */
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2018))], 0.4); /* 10 / 25 */
    assert_near(f.r->transformed[fx_row_ok(&f, "FB", t, Y(2018))], 1.6); /* 40 / 25 */
    cr_assert_eq(fx_row(&f, "SP", t, Y(2018)), NONE_ROW); /* not a monocity yet */
    cr_assert_eq(fx_row(&f, "MT", t, Y(2020)), NONE_ROW); /* never a monocity */
    cr_assert_eq(f.r->n, 5);
    fx_free(&f);
}

Test(monitor_ratio, group_median_with_an_explicit_basis_applies_to_everyone)
{
    fx f;
    fx_init(&f);
    incomes(&f);
    qala_threshold th = fx_th(I_INC, QALA_TRANSFORM_RATIO_GROUP_MEDIAN, 1, QALA_BAD_LOW, 0.8, 0.5);
    th.group_basis = "mono";
    uint32_t t = fx_add(&f, &th);
    qala_threshold empty = th;
    empty.group_basis = "agglo"; /* no members: no median */
    empty.set = "agglo";
    uint32_t te = fx_add(&f, &empty);
    fx_run_ok(&f);
    assert_near(f.r->transformed[fx_row_ok(&f, "MT", t, Y(2020))], 5);  /* 100 / 20 */
    assert_near(f.r->transformed[fx_row_ok(&f, "MT", t, Y(2018))], 4);  /* 100 / 25 */
    assert_near(f.r->transformed[fx_row_ok(&f, "SP", t, Y(2018))], 40); /* 1000 / 25 */
    cr_assert_eq(f.r->zone[fx_row_ok(&f, "MT", te, Y(2020))], QALA_ZONE_NO_DATA);
    fx_free(&f);
}

Test(monitor_ratio, the_group_median_skips_missing_values)
{
    fx f;
    fx_init(&f);
    fx_obs(&f, "TV", "INC", Y(2020), 10);
    fx_obs(&f, "SP", "INC", Y(2020), NAN); /* suppressed cell */
    fx_obs(&f, "FB", "INC", Y(2020), 30);
    qala_threshold th = fx_th(I_INC, QALA_TRANSFORM_RATIO_GROUP_MEDIAN, 1, QALA_BAD_LOW, 0.8, 0.5);
    th.group_basis = "mono";
    uint32_t t = fx_add(&f, &th);
    fx_run_ok(&f);
    assert_near(f.r->transformed[fx_row_ok(&f, "TV", t, Y(2020))], 0.5); /* 10 / ((10+30)/2) */
    cr_assert_eq(f.r->zone[fx_row_ok(&f, "SP", t, Y(2020))], QALA_ZONE_NO_DATA);
    fx_free(&f);
}
