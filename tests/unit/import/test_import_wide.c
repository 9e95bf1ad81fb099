/* Wide layouts (a column per period; a column per indicator), --indicator, --period,
 * --map and the layout detection. Fictional names and figures (import_fixture.h). */
#include "import_fixture.h"

TestSuite(import_wide, .init = fx_build, .fini = fx_free);

Test(import_wide, by_period_with_an_empty_first_header_and_an_indicator_column)
{
    const char *csv =
        ",indicator,2021,2022,2023\n"
        "Testville,population,1000,1010,-\n"
        "Sampleton,Численность населения,700,x,\"1 710\"\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_PERIODS);
    cr_expect_eq(stats.rows, 2);
    cr_expect_eq(stats.observations, 5);
    cr_expect_eq(stats.missing, 1);
    cr_expect_eq(qala_dataset_size(ds), 5);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202200, 1010, QALA_FLAG_NONE);
    cr_expect_eq(fx_find("TL-TV", "population", 202300), -1);
    fx_expect_obs("TL-SP", "population", 202100, 700, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "population", 202200, NAN, QALA_FLAG_CONFIDENTIAL);
    fx_expect_obs("TL-SP", "population", 202300, 1710, QALA_FLAG_NONE);
    cr_expect_eq(fx_line_of("TL-SP", "population", 202300), 3);
}

Test(import_wide, by_period_takes_the_indicator_from_the_options)
{
    const char *csv =
        ",2021,2022-Q1,2022-07\n"
        "Testville,\"4,5\",\"4,7\",\"4,9\"\n";
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.indicator = "Уровень безработицы";
    cr_assert_eq(fx_import(csv, &opt), QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_PERIODS);
    fx_expect_obs("TL-TV", "unemployment_pct", 202100, 4.5, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "unemployment_pct", 202221, 4.7, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "unemployment_pct", 202207, 4.9, QALA_FLAG_NONE);
}

Test(import_wide, by_period_without_indicator_column_or_option_is_an_error)
{
    const char *csv = ",2021,2022\nTestville,1,2\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no indicator column: expected a header named \"indicator\" "
              "(or --map indicator=HEADER, or --indicator CODE)");
    cr_expect_eq(qala_dataset_size(ds), 0);
    cr_expect_eq(stats.rows, 0);
}

Test(import_wide, by_period_warns_about_columns_that_are_not_periods)
{
    const char *csv =
        "region,indicator,2021,2022,population,Notes\n"
        "Testville,population,1000,-,5,hello\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_PERIODS);
    fx_expect_count(2);
    fx_expect(0, QALA_SEVERITY_WARNING, 1, 5, "column-ignored",
              "column \"population\" ignored: it is not a period");
    fx_expect(1, QALA_SEVERITY_WARNING, 1, 6, "column-ignored",
              "column \"Notes\" ignored: it is not a period");
    cr_expect_eq(qala_dataset_size(ds), 1);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
}

Test(import_wide, by_period_a_year_header_outside_the_allowed_range_is_an_error)
{
    const char *csv = ",indicator,1850,2021\nTestville,population,1,2\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 3, "period-out-of-range",
              "period 1850 is outside the allowed range 1900 to 2100");
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_wide, by_indicator_with_a_period_column)
{
    const char *csv =
        "city,year,Халық саны,Unemployment rate,Изменение цен\n"
        "Testville,2021,1000,\"4,5\",\"-1,5\"\n"
        "Sampleton,2022,700,-,\"2,5\"\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_INDICATORS);
    fx_expect_count(0);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "unemployment_pct", 202100, 4.5, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "price_change", 202100, -1.5, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "population", 202200, 700, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "price_change", 202200, 2.5, QALA_FLAG_NONE);
    cr_expect_eq(fx_find("TL-SP", "unemployment_pct", 202200), -1);
    cr_expect_eq(stats.rows, 2);
    cr_expect_eq(stats.missing, 1);
    cr_expect_eq(stats.observations, 5);
    cr_expect_eq(qala_dataset_size(ds), 5);
}

Test(import_wide, by_indicator_takes_the_period_from_the_options)
{
    const char *csv =
        "Регион,population,unemployment_pct,Notes\n"
        "Testville,1000,5,remark\n"
        "Северная область,50000,6,\n";
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.period = "2022-Q2";
    cr_assert_eq(fx_import(csv, &opt), QALA_OK);
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_INDICATORS);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_WARNING, 1, 4, "column-ignored",
              "column \"Notes\" ignored: it is not an indicator of the framework");
    cr_expect_eq(qala_dataset_size(ds), 4);
    fx_expect_obs("TL-TV", "population", 202222, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "unemployment_pct", 202222, 5, QALA_FLAG_NONE);
    fx_expect_obs("TL-N", "population", 202222, 50000, QALA_FLAG_NONE);
    fx_expect_obs("TL-N", "unemployment_pct", 202222, 6, QALA_FLAG_NONE);
}

Test(import_wide, by_indicator_without_period_column_or_option_is_an_error)
{
    cr_assert_eq(fx_import("unit,population\nTestville,1\n", NULL), QALA_EDATA);
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_INDICATORS);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no period column: expected a header named \"period\" (or --map period=HEADER, or --period YYYY)");
}

Test(import_wide, a_bad_period_option_is_einval)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.period = "last year";
    cr_assert_eq(fx_import("unit,population\nTestville,1\n", &opt), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "--period: 'last year' is not a period: expected YYYY, YYYY-Qn or YYYY-MM");
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_wide, an_unknown_indicator_option_is_einval_and_not_a_finding_in_the_file)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.indicator = "populaton";
    cr_assert_eq(fx_import(",2021\nTestville,1\n", &opt), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "--indicator: unknown indicator \"populaton\": did you mean \"population\"?");
    cr_expect_eq(qala_dataset_size(ds), 0);
    /* An option is not a line of the file: the problem is the error, not a finding on
     * line 1 (the CLI would print it twice). */
    fx_expect_count(0);
}

Test(import_wide, a_period_option_outside_the_allowed_range_adds_nothing)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.period = "2030";
    opt.period_min = 201500;
    opt.period_max = 202399;
    qala_status st = fx_import("unit,population\nTestville,1\n", &opt);
    cr_expect_neq(st, QALA_OK, "--period 2030 accepted although periods must be 2015 to 2023");
    cr_expect_eq(qala_dataset_size(ds), 0, "an observation for 2030 was added");
}

Test(import_wide, detection_prefers_periods_when_more_headers_are_periods)
{
    /* 2 period headers against 1 indicator header: wide by period */
    const char *csv = ",indicator,2021,2022,population\nTestville,price_change,1,2,3\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_PERIODS);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_WARNING, 1, 5, "column-ignored",
              "column \"population\" ignored: it is not a period");
    fx_expect_obs("TL-TV", "price_change", 202100, 1, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "price_change", 202200, 2, QALA_FLAG_NONE);
    cr_expect_eq(qala_dataset_size(ds), 2);
}

Test(import_wide, an_explicit_layout_overrides_the_detection)
{
    const char *csv = ",indicator,2021,2022,population\nTestville,price_change,1,2,3\n";
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.layout = QALA_LAYOUT_WIDE_INDICATORS;
    opt.period = "2020";
    cr_assert_eq(fx_import(csv, &opt), QALA_OK);
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_INDICATORS);
    cr_expect_eq(qala_dataset_size(ds), 1);
    fx_expect_obs("TL-TV", "population", 202000, 3, QALA_FLAG_NONE);
}

Test(import_wide, a_value_column_makes_the_layout_long)
{
    const char *csv = "unit,indicator,period,value,2021\nTestville,population,2020,5,6\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    cr_expect_eq(stats.layout, QALA_LAYOUT_LONG);
    cr_expect_eq(qala_dataset_size(ds), 1);
    fx_expect_obs("TL-TV", "population", 202000, 5, QALA_FLAG_NONE);
}

Test(import_wide, an_explicit_long_layout_needs_a_value_column)
{
    const char *csv = "unit,indicator,period,2021\nTestville,population,2020,6\n";
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.layout = QALA_LAYOUT_LONG;
    cr_assert_eq(fx_import(csv, &opt), QALA_EDATA);
    cr_expect_eq(stats.layout, QALA_LAYOUT_LONG);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no value column: expected a header named \"value\" (or --map value=HEADER)");
}

Test(import_wide, map_names_the_unit_and_value_columns)
{
    const char *csv =
        "Регион,Показатель,Год,Всего\n"
        "Testville,population,2021,1000\n";
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.map = "unit=Регион,value=Всего";
    cr_assert_eq(fx_import(csv, &opt), QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(stats.layout, QALA_LAYOUT_LONG);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
}

Test(import_wide, map_headers_are_matched_folded_and_override_synonyms)
{
    /* "name" would be the unit column; the map points the unit at "Code" instead */
    const char *csv =
        "name,Code,indicator,period,value,Quality\n"
        "Whatever,TL-SP,population,2021,700,p\n";
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.map = "unit=CODE,flag=quality";
    cr_assert_eq(fx_import(csv, &opt), QALA_OK);
    fx_expect_count(0);
    fx_expect_obs("TL-SP", "population", 202100, 700, QALA_FLAG_PROVISIONAL);
}

Test(import_wide, map_with_an_unknown_role_is_einval)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.map = "unit=Регион,town=Всего";
    cr_assert_eq(fx_import("Регион,Всего\nTestville,1\n", &opt), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "--map: unknown role \"town\": expected unit, indicator, period, value or flag");
    fx_expect_count(0);
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_wide, map_with_a_header_not_in_the_file_is_einval)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.map = "value=Итого";
    cr_assert_eq(fx_import("Регион,Всего\nTestville,1\n", &opt), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "--map: t.csv has no column \"Итого\"");
    fx_expect_count(0);
}

Test(import_wide, map_item_without_equals_sign_is_einval)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.map = "value";
    cr_assert_eq(fx_import("Регион,Всего\nTestville,1\n", &opt), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "--map: \"value\" is not role=HEADER");
}
