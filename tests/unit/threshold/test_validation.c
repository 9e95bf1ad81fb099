/* Every validation finding of the threshold loader, exactly: label:line:column, rule and
 * message (docs/thresholds.md, "Validation"). The indicator and group codes are the real
 * ones of data/framework/indicators.csv and data/registry/groups.csv. */
#include "fixture.h"

TestSuite(threshold_validation, .init = fx_setup, .fini = fx_teardown);

#define FULL_HEADER                                                                        \
    "set,indicator,transform,k,denominator,scale,group_basis,side,warning,crisis,"        \
    "warning_high,crisis_high,inclusive,groups,valid_from,valid_to,source,year,"          \
    "justification,confidence\n"
/* Columns of FULL_HEADER: 1 set, 2 indicator, 3 transform, 4 k, 5 denominator, 6 scale,
 * 7 group_basis, 8 side, 9 warning, 10 crisis, 11 warning_high, 12 crisis_high,
 * 13 inclusive, 14 groups, 15 valid_from, 16 valid_to, 17 source, 18 year,
 * 19 justification, 20 confidence. */

Test(threshold_validation, unknown_indicator_suggests_the_closest_codes)
{
    expect_one_error(MIN_HEADER "s,unemploymnt_ilo_pct,5,7,src,rule\n", 2, 2,
                     "unknown-indicator",
                     "unknown indicator \"unemploymnt_ilo_pct\": did you mean \"unemployment_ilo_pct\"?");
}

Test(threshold_validation, unknown_indicator_without_a_close_code)
{
    expect_one_error(MIN_HEADER "s,qqqqqqqqqqqqqqqqqqqqqqqqqqq,5,7,src,rule\n", 2, 2,
                     "unknown-indicator",
                     "unknown indicator \"qqqqqqqqqqqqqqqqqqqqqqqqqqq\": expected an indicator "
                     "code of the framework");
}

Test(threshold_validation, empty_required_fields)
{
    cr_expect_eq(load(MIN_HEADER ",,,,,\n"), QALA_EDATA);
    cr_expect_eq(qala_findings_errors(found), 6);
    expect_finding(0, QALA_SEVERITY_ERROR, 2, 1, "empty-value", "set is empty");
    expect_finding(1, QALA_SEVERITY_ERROR, 2, 2, "empty-value", "indicator is empty");
    expect_finding(2, QALA_SEVERITY_ERROR, 2, 3, "empty-value", "warning is empty");
    expect_finding(3, QALA_SEVERITY_ERROR, 2, 4, "empty-value", "crisis is empty");
    expect_finding(4, QALA_SEVERITY_ERROR, 2, 6, "empty-value", "confidence is empty");
    expect_finding(5, QALA_SEVERITY_ERROR, 2, 5, "empty-value", "source is empty");
    cr_expect_eq(qala_thresholds_count(ths), 0);
}

Test(threshold_validation, unknown_group_lists_the_known_ones)
{
    expect_one_error(MIN_COLS ",groups\n" "s,poverty_share_pct,5,7,src,rule,monocity;monocty\n",
                     2, 7, "unknown-group",
                     "unknown group \"monocty\": the registry's groups are monocity, "
                     "agglomeration, smart_city");
}

Test(threshold_validation, ambiguous_indicator_name)
{
    /* Two indicators whose English name is the same are made up for this test. */
    static const char extra[] =
        "code,domain,direction,unit,name_en\n"
        "twin_a,social,1,%,Twin measure\n"
        "twin_b,social,1,%,Twin measure\n";
    cr_assert_eq(qala_framework_load_csv(fw, extra, strlen(extra), "extra.csv", NULL), QALA_OK);
    expect_one_error(MIN_HEADER "s,twin measure,5,7,src,rule\n", 2, 2, "unknown-indicator",
                     "ambiguous indicator \"twin measure\": could be \"twin_a\" or \"twin_b\"; use "
                     "the indicator code");
}

Test(threshold_validation, duplicate_group_in_a_list)
{
    expect_one_error(MIN_COLS ",groups\n" "s,poverty_share_pct,5,7,src,rule,monocity; MONOCITY\n",
                     2, 7, "bad-groups", "group \"monocity\" is listed twice");
}

Test(threshold_validation, empty_group_code_in_a_list)
{
    expect_one_error(MIN_COLS ",groups\n" "s,poverty_share_pct,5,7,src,rule,monocity;;smart_city\n",
                     2, 7, "bad-groups",
                     "groups \"monocity;;smart_city\" has an empty group code: expected codes "
                     "separated by ';'");
}

Test(threshold_validation, bad_transform_lists_the_allowed_words)
{
    expect_one_error(MIN_COLS ",transform\n" "s,poverty_share_pct,5,7,src,rule,avg\n", 2, 7,
                     "bad-transform",
                     "transform \"avg\" is not one of level, per_denominator, average, "
                     "change_points, change_percent, ratio_national, ratio_group_median");
}

Test(threshold_validation, bad_side_lists_the_allowed_words)
{
    expect_one_error(MIN_COLS ",side\n" "s,poverty_share_pct,5,7,src,rule,above\n", 2, 7,
                     "bad-side", "side \"above\" is not low, high or band");
}

Test(threshold_validation, bad_confidence_lists_the_allowed_words)
{
    expect_one_error(MIN_HEADER "s,poverty_share_pct,5,7,src,Literature\n", 2, 6,
                     "bad-confidence",
                     "confidence \"Literature\" is not rule, literature or assumption");
}

Test(threshold_validation, bad_inclusive)
{
    expect_one_error(MIN_COLS ",inclusive\n" "s,poverty_share_pct,5,7,src,rule,yes\n", 2, 7,
                     "bad-inclusive",
                     "inclusive \"yes\" is not 1 (reaching a boundary is the worse zone) or 0");
}

Test(threshold_validation, bad_k)
{
    expect_one_error(MIN_COLS ",transform,k\n" "s,poverty_share_pct,5,7,src,rule,average,0\n", 2,
                     8, "bad-k", "k \"0\" is not a whole number of periods from 1 to 100");
    qala_findings_clear(found);
    expect_one_error(MIN_COLS ",transform,k\n" "s,poverty_share_pct,5,7,src,rule,change_points,2.5\n",
                     2, 8, "bad-k", "k \"2.5\" is not a whole number of periods from 1 to 100");
}

Test(threshold_validation, bad_year)
{
    expect_one_error(MIN_COLS ",year\n" "s,poverty_share_pct,5,7,src,rule,2021a\n", 2, 7,
                     "bad-year", "year \"2021a\" is not a year (expected e.g. 2021)");
}

Test(threshold_validation, not_a_number)
{
    expect_one_error(MIN_HEADER "s,poverty_share_pct,five,7,src,rule\n", 2, 3, "not-a-number",
                     "warning \"five\" is not a number (expected e.g. -12.5)");
}

Test(threshold_validation, decimal_comma_and_percent_sign_are_not_numbers_here)
{
    cr_expect_eq(load(MIN_HEADER "s,poverty_share_pct,\"5,5\",7%,src,rule\n"), QALA_EDATA);
    cr_expect_eq(qala_findings_errors(found), 2);
    expect_finding(0, QALA_SEVERITY_ERROR, 2, 3, "not-a-number",
                   "warning \"5,5\" is not a number (expected e.g. -12.5)");
    expect_finding(1, QALA_SEVERITY_ERROR, 2, 4, "not-a-number",
                   "crisis \"7%\" is not a number (expected e.g. -12.5)");
}

Test(threshold_validation, low_side_crisis_above_warning)
{
    /* life_expectancy_years has direction +1: side low by default. */
    expect_one_error(MIN_HEADER "s,life_expectancy_years,70,72,src,rule\n", 2, 4, "bad-order",
                     "crisis 72 is above warning 70: with side low (low values are bad) crisis "
                     "must be <= warning");
}

Test(threshold_validation, high_side_crisis_below_warning)
{
    expect_one_error(MIN_HEADER "s,poverty_share_pct,7,5.5,src,rule\n", 2, 4, "bad-order",
                     "crisis 5.5 is below warning 7: with side high (high values are bad) crisis "
                     "must be >= warning");
}

Test(threshold_validation, explicit_side_decides_the_order_not_the_direction)
{
    expect_one_error(MIN_COLS ",side\n" "s,life_expectancy_years,72,70,src,rule,high\n", 2, 4,
                     "bad-order",
                     "crisis 70 is below warning 72: with side high (high values are bad) crisis "
                     "must be >= warning");
}

Test(threshold_validation, band_out_of_order_names_the_first_wrong_boundary)
{
    static const char *const rows[3][2] = {
        {"s,pm25_annual_ugm3,band,10,12,30,40,src,rule\n", "10"}, /* crisis > warning */
        {"s,pm25_annual_ugm3,band,20,10,15,40,src,rule\n", "11"}, /* warning > warning_high */
        {"s,pm25_annual_ugm3,band,20,10,30,25,src,rule\n", "12"}, /* warning_high > crisis_high */
    };
    static const char *const msgs[3] = {
        "band boundaries out of order: expected crisis <= warning <= warning_high <= "
        "crisis_high, got 12, 10, 30, 40",
        "band boundaries out of order: expected crisis <= warning <= warning_high <= "
        "crisis_high, got 10, 20, 15, 40",
        "band boundaries out of order: expected crisis <= warning <= warning_high <= "
        "crisis_high, got 10, 20, 30, 25"};
    for (int i = 0; i < 3; i++) {
        char csv[300];
        snprintf(csv, sizeof csv,
                 "set,indicator,side,warning,crisis,warning_high,crisis_high,source,confidence\n%s",
                 rows[i][0]);
        /* columns: side 3, warning 4, crisis 5, warning_high 6, crisis_high 7 */
        long col = i == 0 ? 4 : i == 1 ? 6 : 7; /* the later of the pair */
        qala_findings_clear(found);
        expect_one_error(csv, 2, col, "bad-order", msgs[i]);
    }
}

Test(threshold_validation, band_needs_both_high_boundaries)
{
    expect_one_error("set,indicator,side,warning,crisis,warning_high,source,confidence\n"
                     "s,pm25_annual_ugm3,band,10,5,20,src,rule\n",
                     2, 0, "empty-value",
                     "crisis_high is empty: side band needs warning_high and crisis_high");
    qala_findings_clear(found);
    expect_one_error("set,indicator,side,warning,crisis,warning_high,crisis_high,source,confidence\n"
                     "s,pm25_annual_ugm3,band,10,5,,30,src,rule\n",
                     2, 6, "empty-value",
                     "warning_high is empty: side band needs warning_high and crisis_high");
}

Test(threshold_validation, high_boundaries_are_forbidden_on_one_side)
{
    expect_one_error(MIN_COLS ",crisis_high\n" "s,poverty_share_pct,5,7,src,rule,9\n", 2, 7,
                     "band-only", "crisis_high is only used with side band (this row's side is high)");
}

Test(threshold_validation, valid_from_not_before_valid_to)
{
    expect_one_error(MIN_COLS ",valid_from,valid_to\n"
                     "s,poverty_share_pct,5,7,src,rule,2020-01-01,2020-01-01\n",
                     2, 8, "bad-period",
                     "valid_from 2020-01-01 is not before valid_to 2020-01-01");
}

Test(threshold_validation, bad_date)
{
    expect_one_error(MIN_COLS ",valid_from\n" "s,poverty_share_pct,5,7,src,rule,2020\n", 2, 7,
                     "bad-date", "valid_from \"2020\" is not a date: expected YYYY-MM-DD");
}

Test(threshold_validation, missing_required_column)
{
    expect_one_error("set,indicator,warning,crisis,source\n" "s,poverty_share_pct,5,7,src\n", 1, 0,
                     "missing-column",
                     "missing column \"confidence\" in the header of the thresholds table");
}

Test(threshold_validation, wrong_field_count)
{
    expect_one_error(MIN_HEADER "s,poverty_share_pct,5,7,src\n", 2, 0, "field-count",
                     "row has 5 fields, the header has 6");
}

Test(threshold_validation, empty_file)
{
    expect_one_error("", 1, 0, "missing-header",
                     "the thresholds table is empty: a header row is required");
}

Test(threshold_validation, per_denominator_needs_a_known_denominator_and_a_positive_scale)
{
    const char *h = MIN_COLS ",transform,denominator,scale\n";
    char csv[300];
    snprintf(csv, sizeof csv, "%ss,crimes_count,2500,5000,src,rule,per_denominator,,\n", h);
    expect_one_error(csv, 2, 8, "empty-value",
                     "denominator is empty: transform per_denominator needs the indicator to "
                     "divide by");
    qala_findings_clear(found);
    snprintf(csv, sizeof csv, "%ss,crimes_count,2500,5000,src,rule,per_denominator,populaton,\n", h);
    expect_one_error(csv, 2, 8, "unknown-indicator",
                     "unknown denominator indicator \"populaton\": did you mean \"population\"?");
    qala_findings_clear(found);
    snprintf(csv, sizeof csv, "%ss,crimes_count,2500,5000,src,rule,per_denominator,population,0\n", h);
    expect_one_error(csv, 2, 9, "bad-scale", "scale 0 is not a positive number");
}

Test(threshold_validation, ratio_group_median_needs_a_group)
{
    expect_one_error(MIN_COLS ",transform\n"
                     "s,housing_m2_per_capita,0.9,0.75,src,rule,ratio_group_median\n",
                     2, 0, "empty-value",
                     "group_basis is empty and so is groups: transform ratio_group_median needs "
                     "the group whose median to compare with");
    qala_findings_clear(found);
    expect_one_error(MIN_COLS ",transform,group_basis\n"
                     "s,housing_m2_per_capita,0.9,0.75,src,rule,ratio_group_median,monotown\n",
                     2, 8, "unknown-group",
                     "unknown group_basis \"monotown\": the registry's groups are monocity, "
                     "agglomeration, smart_city");
}

Test(threshold_validation, values_a_transform_does_not_use_are_warnings)
{
    cr_assert_eq(load(MIN_COLS ",k,denominator,scale,group_basis,remark\n"
                      "s,poverty_share_pct,5,7,src,rule,3,population,10,monocity,hello\n"),
                 QALA_OK);
    cr_expect_eq(qala_findings_errors(found), 0);
    cr_expect_eq(qala_findings_warnings(found), 5);
    expect_finding(0, QALA_SEVERITY_WARNING, 1, 11, "unknown-column",
                   "unknown column \"remark\" in the thresholds table is ignored");
    expect_finding(1, QALA_SEVERITY_WARNING, 2, 7, "unused-value",
                   "k is only used by average, change_points and change_percent; ignored for "
                   "transform level");
    expect_finding(2, QALA_SEVERITY_WARNING, 2, 8, "unused-value",
                   "denominator is only used by per_denominator; ignored for transform level");
    expect_finding(3, QALA_SEVERITY_WARNING, 2, 9, "unused-value",
                   "scale is only used by per_denominator; ignored for transform level");
    expect_finding(4, QALA_SEVERITY_WARNING, 2, 10, "unused-value",
                   "group_basis is only used by ratio_group_median; ignored for transform level");
    const qala_threshold *th = qala_thresholds_get(ths, 0);
    cr_assert_not_null(th);
    cr_expect_eq(th->k, 1);
    cr_expect_eq(th->denominator, SIZE_MAX);
    cr_expect_float_eq(th->scale, 1, 0);
    cr_expect_str_eq(th->group_basis, "");
}

Test(threshold_validation, every_problem_of_a_row_is_reported_and_nothing_is_added)
{
    cr_expect_eq(load(FULL_HEADER
                      "s,poverty_share_pct,,,,,,,5,7,,,,,,,src,,,rule\n"
                      "s,poverty_shar_pct,level,,,,,sideways,x,7,,,2,nogroup,2020-02-30,,,19x,,maybe\n"
                      "s,life_expectancy_years,,,,,,,72,70,,,,,,,src,,,rule\n"),
                 QALA_EDATA);
    cr_expect_eq(qala_thresholds_count(ths), 0);
    cr_expect_eq(qala_findings_errors(found), 9);
    expect_finding(0, QALA_SEVERITY_ERROR, 3, 2, "unknown-indicator",
                   "unknown indicator \"poverty_shar_pct\": did you mean \"poverty_share_pct\"?");
    expect_finding(1, QALA_SEVERITY_ERROR, 3, 8, "bad-side",
                   "side \"sideways\" is not low, high or band");
    expect_finding(2, QALA_SEVERITY_ERROR, 3, 9, "not-a-number",
                   "warning \"x\" is not a number (expected e.g. -12.5)");
    expect_finding(3, QALA_SEVERITY_ERROR, 3, 13, "bad-inclusive",
                   "inclusive \"2\" is not 1 (reaching a boundary is the worse zone) or 0");
    expect_finding(4, QALA_SEVERITY_ERROR, 3, 14, "unknown-group",
                   "unknown group \"nogroup\": the registry's groups are monocity, "
                   "agglomeration, smart_city");
    expect_finding(5, QALA_SEVERITY_ERROR, 3, 15, "bad-date",
                   "valid_from \"2020-02-30\" is not a date: expected YYYY-MM-DD");
    expect_finding(6, QALA_SEVERITY_ERROR, 3, 18, "bad-year",
                   "year \"19x\" is not a year (expected e.g. 2021)");
    expect_finding(7, QALA_SEVERITY_ERROR, 3, 20, "bad-confidence",
                   "confidence \"maybe\" is not rule, literature or assumption");
    expect_finding(8, QALA_SEVERITY_ERROR, 3, 17, "empty-value", "source is empty");
    cr_expect_str_eq(qala_error_last()->message, "t.csv: 9 errors in the thresholds table");
}

Test(threshold_validation, findings_may_be_null)
{
    const char *csv = MIN_HEADER "s,poverty_share_pct,7,5,src,rule\n";
    cr_expect_eq(qala_thresholds_load_csv(ths, csv, strlen(csv), NULL, fw, reg, NULL), QALA_EDATA);
    cr_expect_eq(qala_thresholds_count(ths), 0);
    cr_expect_str_eq(qala_error_last()->message, ": 1 error in the thresholds table");
}
