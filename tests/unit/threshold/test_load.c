/* Reading threshold rows: defaults (side from the indicator's direction, k by
 * transform, inclusive), every optional column, groups and validity, overlaps within a
 * file and across loads, several sets in one collection. Indicator directions are those
 * of data/framework/indicators.csv. */
#include "fixture.h"

TestSuite(threshold_load, .init = fx_setup, .fini = fx_teardown);

static const qala_threshold *only(const char *csv)
{
    cr_assert_eq(load(csv), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_findings_count(found), 0);
    cr_assert_eq(qala_thresholds_count(ths), 1);
    return qala_thresholds_get(ths, 0);
}

Test(threshold_load, minimal_row_gets_every_default)
{
    const qala_threshold *th = only(MIN_HEADER "mine,poverty_share_pct,5,7,My source,literature\n");
    cr_expect_str_eq(th->set, "mine");
    cr_expect_eq(th->indicator, indicator_index("poverty_share_pct"));
    cr_expect_eq(th->transform, QALA_TRANSFORM_LEVEL);
    cr_expect_eq(th->k, 1);
    cr_expect_eq(th->denominator, SIZE_MAX);
    cr_expect_float_eq(th->scale, 1, 0);
    cr_expect_str_eq(th->group_basis, "");
    cr_expect_eq(th->side, QALA_BAD_HIGH); /* direction -1 */
    cr_expect_float_eq(th->warning, 5, 0);
    cr_expect_float_eq(th->crisis, 7, 0);
    cr_expect(isnan(th->warning_high));
    cr_expect(isnan(th->crisis_high));
    cr_expect_eq(th->inclusive, 1);
    cr_expect_eq(th->ngroups, 0);
    cr_expect_null(th->groups);
    cr_expect_eq(th->valid_from, QALA_DATE_MIN);
    cr_expect_eq(th->valid_to, QALA_DATE_MAX);
    cr_expect_str_eq(th->source, "My source");
    cr_expect_eq(th->year, 0);
    cr_expect_str_eq(th->justification, "");
    cr_expect_eq(th->confidence, QALA_CONFIDENCE_LITERATURE);
    cr_expect_eq(th->line, 2);
}

Test(threshold_load, side_follows_the_direction_unless_given)
{
    cr_assert_eq(load(MIN_COLS ",side\n"
                      "a,life_expectancy_years,72,70,s,rule,\n"   /* +1: low */
                      "a,crimes_per_100k,2500,5000,s,rule,\n"     /* -1: high */
                      "b,life_expectancy_years,72,80,s,rule,high\n"
                      "c,life_expectancy_years,60,50,s,rule,low\n"),
                 QALA_OK);
    cr_assert_eq(qala_thresholds_count(ths), 4);
    cr_expect_eq(qala_thresholds_get(ths, 0)->side, QALA_BAD_LOW);
    cr_expect_eq(qala_thresholds_get(ths, 1)->side, QALA_BAD_HIGH);
    cr_expect_eq(qala_thresholds_get(ths, 2)->side, QALA_BAD_HIGH);
    cr_expect_eq(qala_thresholds_get(ths, 3)->side, QALA_BAD_LOW);
    cr_expect_eq(qala_thresholds_get(ths, 3)->line, 5);
}

Test(threshold_load, k_defaults_by_transform)
{
    cr_assert_eq(load(MIN_COLS ",transform,k\n"
                      "a,unemployment_ilo_pct,8,10,s,rule,average,\n"
                      "a,unemployment_ilo_pct,1,2,s,rule,change_points,\n"
                      "a,population,0,-5,s,rule,change_percent,5\n"
                      "a,unemployment_ilo_pct,1,2,s,rule,change_points,4\n"
                      "a,wage_nominal_kzt,0.9,0.75,s,rule,ratio_national,\n"),
                 QALA_OK);
    cr_expect_eq(qala_findings_count(found), 0);
    cr_assert_eq(qala_thresholds_count(ths), 5);
    cr_expect_eq(qala_thresholds_get(ths, 0)->transform, QALA_TRANSFORM_AVERAGE);
    cr_expect_eq(qala_thresholds_get(ths, 0)->k, 3);
    cr_expect_eq(qala_thresholds_get(ths, 1)->transform, QALA_TRANSFORM_CHANGE_POINTS);
    cr_expect_eq(qala_thresholds_get(ths, 1)->k, 1);
    cr_expect_eq(qala_thresholds_get(ths, 2)->transform, QALA_TRANSFORM_CHANGE_PERCENT);
    cr_expect_eq(qala_thresholds_get(ths, 2)->k, 5);
    cr_expect_eq(qala_thresholds_get(ths, 2)->side, QALA_BAD_LOW);
    cr_expect_eq(qala_thresholds_get(ths, 3)->k, 4);
    cr_expect_eq(qala_thresholds_get(ths, 4)->transform, QALA_TRANSFORM_RATIO_NATIONAL);
    cr_expect_eq(qala_thresholds_get(ths, 4)->k, 1);
}

Test(threshold_load, every_column_in_any_order_with_quotes_and_spaces)
{
    const qala_threshold *th = only(
        "confidence,justification,year,source,valid_to,valid_from,groups,inclusive,crisis_high,"
        "warning_high,crisis,warning,side,group_basis,scale,denominator,k,transform,indicator,set\n"
        "assumption,\"Why, in one sentence.\", 2019 ,\"Someone, 2019\",2024-01-01,2020-07-01,"
        " smart_city ; Agglomeration ,0,45,35,5,15,band,,,,,level, pm25_annual_ugm3 ,other set\n");
    cr_expect_str_eq(th->set, "other set");
    cr_expect_eq(th->indicator, indicator_index("pm25_annual_ugm3"));
    cr_expect_eq(th->side, QALA_BAD_OUTSIDE);
    cr_expect_float_eq(th->crisis, 5, 0);
    cr_expect_float_eq(th->warning, 15, 0);
    cr_expect_float_eq(th->warning_high, 35, 0);
    cr_expect_float_eq(th->crisis_high, 45, 0);
    cr_expect_eq(th->inclusive, 0);
    cr_assert_eq(th->ngroups, 2);
    cr_expect_str_eq(th->groups[0], "smart_city");
    cr_expect_str_eq(th->groups[1], "agglomeration"); /* the registry's spelling */
    cr_expect_eq(th->valid_from, 20200701);
    cr_expect_eq(th->valid_to, 20240101);
    cr_expect_str_eq(th->source, "Someone, 2019");
    cr_expect_eq(th->year, 2019);
    cr_expect_str_eq(th->justification, "Why, in one sentence.");
    cr_expect_eq(th->confidence, QALA_CONFIDENCE_ASSUMPTION);
}

Test(threshold_load, per_denominator_and_ratio_group_median)
{
    cr_assert_eq(load(MIN_COLS ",transform,denominator,scale,group_basis,groups\n"
                      "a,crimes_count,2500,5000,s,rule,per_denominator,population,100000,,\n"
                      "a,crimes_count,2500,5000,s,rule,per_denominator,Population,,,monocity\n"
                      "a,housing_m2_per_capita,0.9,0.75,s,rule,ratio_group_median,,,smart_city,\n"
                      "a,housing_m2_per_capita,0.9,0.75,s,rule,ratio_group_median,,,,monocity\n"),
                 QALA_OK);
    cr_expect_eq(qala_findings_count(found), 0);
    cr_assert_eq(qala_thresholds_count(ths), 4);
    const qala_threshold *a = qala_thresholds_get(ths, 0), *b = qala_thresholds_get(ths, 1);
    cr_expect_eq(a->denominator, indicator_index("population"));
    cr_expect_float_eq(a->scale, 100000, 0);
    cr_expect_eq(b->denominator, indicator_index("population")); /* by its English name */
    cr_expect_float_eq(b->scale, 1, 0);
    cr_expect_str_eq(qala_thresholds_get(ths, 2)->group_basis, "smart_city");
    cr_expect_eq(qala_thresholds_get(ths, 2)->ngroups, 0);
    cr_expect_str_eq(qala_thresholds_get(ths, 3)->group_basis, "");
    cr_expect_str_eq(qala_thresholds_get(ths, 3)->groups[0], "monocity");
}

Test(threshold_load, indicator_may_be_named_in_any_language)
{
    const qala_threshold *th = only(MIN_HEADER "a,Ожидаемая продолжительность жизни при рождении,72,70,s,rule\n");
    cr_expect_eq(th->indicator, indicator_index("life_expectancy_years"));
    cr_expect_eq(th->side, QALA_BAD_LOW);
}

/* ---- overlaps ---- */

#define OV_HEADER MIN_COLS ",transform,k,groups,valid_from,valid_to\n"

Test(threshold_load, adjacent_validity_periods_do_not_overlap)
{
    cr_assert_eq(load(OV_HEADER
                      "a,poverty_share_pct,5,7,s,rule,,,,,2015-01-01\n"
                      "a,poverty_share_pct,5,8,s,rule,,,,2015-01-01,2020-01-01\n"
                      "a,poverty_share_pct,5,9,s,rule,,,,2020-01-01,\n"),
                 QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_thresholds_count(ths), 3);
}

Test(threshold_load, overlapping_validity_of_the_same_key_is_an_error)
{
    expect_one_error(OV_HEADER
                     "a,poverty_share_pct,5,7,s,rule,,,,2010-01-01,2020-01-01\n"
                     "a,poverty_share_pct,5,8,s,rule,,,,2019-12-31,\n",
                     3, 10, "overlap",
                     "overlaps the threshold on line 2: same set \"a\", indicator "
                     "\"poverty_share_pct\", transform level and all units, valid "
                     "[2010-01-01, 2020-01-01) and [2019-12-31, open)");
}

Test(threshold_load, group_lists_compare_in_any_order)
{
    expect_one_error(OV_HEADER
                     "a,unemployment_ilo_pct,8,10,s,rule,average,3,monocity;smart_city,,\n"
                     "a,unemployment_ilo_pct,7,10,s,rule,average,3,Smart_City;monocity,,\n",
                     3, 10, "overlap",
                     "overlaps the threshold on line 2: same set \"a\", indicator "
                     "\"unemployment_ilo_pct\", transform average (k 3) and groups "
                     "smart_city;monocity, valid [open, open) and [open, open)");
}

Test(threshold_load, a_different_set_transform_k_or_group_list_is_not_an_overlap)
{
    cr_assert_eq(load(OV_HEADER
                      "a,unemployment_ilo_pct,5,7,s,rule,,,,,\n"
                      "b,unemployment_ilo_pct,5,7,s,rule,,,,,\n"
                      "a,unemployment_ilo_pct,8,10,s,rule,average,3,,,\n"
                      "a,unemployment_ilo_pct,8,10,s,rule,average,5,,,\n"
                      "a,unemployment_ilo_pct,4,6,s,rule,,,monocity,,\n"
                      "a,unemployment_ilo_pct,4,6,s,rule,,,monocity;smart_city,,\n"
                      "a,unemployment_ilo_pct,4,6,s,rule,,,smart_city,,\n"),
                 QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_thresholds_count(ths), 7);
}

Test(threshold_load, each_overlap_is_reported_once_at_the_later_row)
{
    cr_expect_eq(load(OV_HEADER
                      "a,poverty_share_pct,5,7,s,rule,,,,,\n"
                      "a,poverty_share_pct,5,7,s,rule,,,,,\n"
                      "a,poverty_share_pct,5,7,s,rule,,,,2000-01-01,2001-01-01\n"),
                 QALA_EDATA);
    cr_expect_eq(qala_findings_errors(found), 2);
    cr_expect_eq(qala_findings_get(found, 0)->line, 3);
    cr_expect_eq(qala_findings_get(found, 1)->line, 4);
    cr_expect_str_eq(qala_findings_get(found, 1)->message,
                     "overlaps the threshold on line 2: same set \"a\", indicator "
                     "\"poverty_share_pct\", transform level and all units, valid "
                     "[open, open) and [2000-01-01, 2001-01-01)");
}

/* ---- several loads into one collection ---- */

Test(threshold_load, a_second_load_appends)
{
    cr_assert_eq(load(MIN_HEADER "a,poverty_share_pct,5,7,s,rule\n"), QALA_OK);
    cr_assert_eq(load(MIN_HEADER "b,poverty_share_pct,4,6,t,assumption\n"
                                 "b,crimes_per_100k,2000,4000,t,assumption\n"),
                 QALA_OK);
    cr_assert_eq(qala_thresholds_count(ths), 3);
    cr_expect_str_eq(qala_thresholds_get(ths, 0)->set, "a");
    cr_expect_str_eq(qala_thresholds_get(ths, 1)->set, "b");
    cr_expect_float_eq(qala_thresholds_get(ths, 1)->warning, 4, 0);
    cr_expect_eq(qala_thresholds_get(ths, 2)->line, 3);
}

Test(threshold_load, the_default_set_and_a_user_set_together)
{
    cr_assert_eq(qala_thresholds_load_default(ths, fw, reg, found), QALA_OK);
    size_t n = qala_thresholds_count(ths);
    cr_assert_eq(load(MIN_HEADER "strict,unemployment_ilo_pct,4,5,user,assumption\n"
                                 "strict,poverty_share_pct,3,5,user,assumption\n"),
                 QALA_OK);
    cr_expect_eq(qala_thresholds_count(ths), n + 2);
    cr_expect_str_eq(qala_thresholds_get(ths, 0)->set, "qala-default");
    cr_expect_str_eq(qala_thresholds_get(ths, n)->set, "strict");
}

Test(threshold_load, overlaps_are_checked_across_loads_of_the_same_set)
{
    const char *first = MIN_COLS ",valid_to\n" "a,poverty_share_pct,5,7,s,rule,2020-01-01\n";
    cr_assert_eq(qala_thresholds_load_csv(ths, first, strlen(first), "first.csv", fw, reg, found),
                 QALA_OK);
    expect_one_error(MIN_COLS ",valid_from\n"
                     "a,poverty_share_pct,4,7,s,rule,2019-01-01\n"
                     "b,poverty_share_pct,4,7,s,rule,2019-01-01\n",
                     2, 7, "overlap",
                     "overlaps the threshold on line 2 of first.csv: same set \"a\", indicator "
                     "\"poverty_share_pct\", transform level and all units, valid "
                     "[open, 2020-01-01) and [2019-01-01, open)");
    cr_expect_eq(qala_thresholds_count(ths), 1);
    cr_expect_str_eq(qala_thresholds_get(ths, 0)->set, "a");
}

Test(threshold_load, pointers_stay_valid_while_the_collection_grows)
{
    cr_assert_eq(load(MIN_COLS ",groups\n" "a,poverty_share_pct,5,7,s,rule,monocity\n"), QALA_OK);
    const qala_threshold *first = qala_thresholds_get(ths, 0);
    const char *set = first->set, *group = first->groups[0];
    for (int i = 0; i < 50; i++) {
        char csv[200];
        snprintf(csv, sizeof csv, MIN_HEADER "set%d,poverty_share_pct,5,7,s,rule\n", i);
        cr_assert_eq(load(csv), QALA_OK);
    }
    cr_expect_eq(qala_thresholds_count(ths), 51);
    cr_expect_str_eq(set, "a");
    cr_expect_str_eq(group, "monocity");
    cr_expect_eq(qala_thresholds_get(ths, 0)->set, set);
}
