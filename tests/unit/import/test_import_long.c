/* Long layout (unit, indicator, period, value[, flag]): names in three scripts, flags,
 * missing markers, confidential cells, number formats, warnings and the stats. All
 * names and figures are fictional (see import_fixture.h). */
#include "import_fixture.h"

TestSuite(import_long, .init = fx_build, .fini = fx_free);

Test(import_long, units_and_indicators_resolve_by_code_and_by_name_in_three_scripts)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,population,2021,1000\n"
        "Testville,population,2022,1010\n"
        "Тествиль,Численность населения,2023,1020\n"
        "Тестқала,Халық саны,2020,990\n"
        "Soltüstık oblysy,Population,2021,50000\n"      /* generated Kazakh Latin of kk name */
        "SOLTÜSTIK OBLYSY,population,2022,50100\n"      /* folded: case */
        "Северная область,Уровень безработицы,2021,4\n"
        " north province ,unemployment rate,2022,5\n"  /* trimmed, folded */
        "Тестовка,unemployment_pct,2021,6\n"            /* a ru alias */
        "tl-sp,POPULATION,2021,700\n";                  /* code in lower case */
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(qala_dataset_size(ds), 10);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202200, 1010, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202300, 1020, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202000, 990, QALA_FLAG_NONE);
    fx_expect_obs("TL-N", "population", 202100, 50000, QALA_FLAG_NONE);
    fx_expect_obs("TL-N", "population", 202200, 50100, QALA_FLAG_NONE);
    fx_expect_obs("TL-N", "unemployment_pct", 202100, 4, QALA_FLAG_NONE);
    fx_expect_obs("TL-N", "unemployment_pct", 202200, 5, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "unemployment_pct", 202100, 6, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "population", 202100, 700, QALA_FLAG_NONE);
    cr_expect_eq(fx_line_of("TL-N", "population", 202100), 6);
    cr_expect_eq(fx_line_of("TL-SP", "population", 202100), 11);
}

Test(import_long, stats_count_rows_observations_missing_and_rejected_rows)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,population,2021,1000\n"
        "TL-TV,population,2022,-\n"
        "TL-SP,population,2021,abc\n"
        "TL-SP,population,2022,710\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    cr_expect_eq(stats.rows, 4);
    cr_expect_eq(stats.observations, 2);
    cr_expect_eq(stats.missing, 1);
    cr_expect_eq(stats.rejected_rows, 1);
    cr_expect_str_eq(stats.encoding, "UTF-8");
    cr_expect_eq(stats.delimiter, ',');
    cr_expect_eq(stats.layout, QALA_LAYOUT_LONG);
    cr_expect_eq(qala_dataset_size(ds), 2);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "population", 202200, 710, QALA_FLAG_NONE);
}

Test(import_long, flags_column_accepts_codes_and_letters)
{
    const char *csv =
        "unit,indicator,period,value,flag\n"
        "TL-TV,population,2016,1,\n"
        "TL-TV,population,2017,2,p\n"
        "TL-TV,population,2018,3,E\n"
        "TL-TV,population,2019,4,break\n"
        "TL-TV,population,2020,5,Imputed\n"
        "TL-TV,population,2021,6, provisional \n"
        "TL-TV,population,2022,7,estimated\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    fx_expect_obs("TL-TV", "population", 201600, 1, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 201700, 2, QALA_FLAG_PROVISIONAL);
    fx_expect_obs("TL-TV", "population", 201800, 3, QALA_FLAG_ESTIMATED);
    fx_expect_obs("TL-TV", "population", 201900, 4, QALA_FLAG_BREAK);
    fx_expect_obs("TL-TV", "population", 202000, 5, QALA_FLAG_IMPUTED);
    fx_expect_obs("TL-TV", "population", 202100, 6, QALA_FLAG_PROVISIONAL);
    fx_expect_obs("TL-TV", "population", 202200, 7, QALA_FLAG_ESTIMATED);
}

Test(import_long, missing_markers_add_nothing_and_are_counted)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,population,2014,-\n"
        "TL-TV,population,2015,\n"
        "TL-TV,population,2016,..\n"
        "TL-TV,population,2017,…\n"
        "TL-TV,population,2018,н/д\n"
        "TL-TV,population,2019,N/A\n"
        "TL-TV,population,2020,—\n"
        "TL-TV,population,2021,нет данных\n"
        "TL-TV,population,2022,1000\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(stats.rows, 9);
    cr_expect_eq(stats.missing, 8);
    cr_expect_eq(stats.observations, 1);
    cr_expect_eq(stats.rejected_rows, 0);
    cr_expect_eq(qala_dataset_size(ds), 1);
    fx_expect_obs("TL-TV", "population", 202200, 1000, QALA_FLAG_NONE);
}

Test(import_long, x_is_a_confidential_cell_without_value_whatever_the_flag_column_says)
{
    const char *csv =
        "unit,indicator,period,value,flag\n"
        "TL-TV,population,2021,x,\n"
        "TL-TV,population,2022,X,p\n"
        "TL-SP,population,2021,х,\n"; /* Cyrillic х */
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(stats.observations, 3);
    cr_expect_eq(stats.missing, 0);
    fx_expect_obs("TL-TV", "population", 202100, NAN, QALA_FLAG_CONFIDENTIAL);
    fx_expect_obs("TL-TV", "population", 202200, NAN, QALA_FLAG_CONFIDENTIAL);
    fx_expect_obs("TL-SP", "population", 202100, NAN, QALA_FLAG_CONFIDENTIAL);
}

Test(import_long, thousands_separators_and_decimal_comma)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,population,2019,1 234 567\n"
        "TL-TV,population,2020,1\xC2\xA0" "234\xC2\xA0" "568\n" /* no-break spaces */
        "TL-TV,population,2021,\"1 234,5\"\n"
        "TL-TV,population,2022,2.345.678\n" /* '.' groups once ',' is the decimal mark */
        "TL-TV,unemployment_pct,2021,\"12,25\"\n"
        "TL-TV,price_change,2021,−3\n"; /* U+2212 minus */
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    fx_expect_obs("TL-TV", "population", 201900, 1234567, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202000, 1234568, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202100, 1234.5, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202200, 2345678, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "unemployment_pct", 202100, 12.25, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "price_change", 202100, -3, QALA_FLAG_NONE);
}

Test(import_long, decimal_point_with_comma_thousands)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,population,2020,\"1,234.5\"\n"
        "TL-TV,population,2021,\"2,000,000\"\n"
        "TL-TV,population,2022,\"3,000\"\n" /* the file's mark is '.': ',' groups, no warning */
        "TL-TV,unemployment_pct,2021,0.5\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    fx_expect_obs("TL-TV", "population", 202000, 1234.5, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202100, 2000000, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202200, 3000, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "unemployment_pct", 202100, 0.5, QALA_FLAG_NONE);
}

Test(import_long, footnote_mark_is_removed_with_a_warning_and_the_value_kept)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,unemployment_pct,2021,\"12,5*\"\n"
        "TL-TV,population,2021,1 128 600¹\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(2);
    cr_expect_eq(qala_findings_errors(fnd), 0);
    cr_expect_eq(qala_findings_warnings(fnd), 2);
    fx_expect(0, QALA_SEVERITY_WARNING, 2, 4, "footnote-stripped",
              "footnote mark after the number \"12,5*\" was removed: read as 12.5");
    fx_expect(1, QALA_SEVERITY_WARNING, 3, 4, "footnote-stripped",
              "footnote mark after the number \"1 128 600¹\" was removed: read as 1128600");
    fx_expect_obs("TL-TV", "unemployment_pct", 202100, 12.5, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202100, 1128600, QALA_FLAG_NONE);
    cr_expect_eq(stats.observations, 2);
    cr_expect_eq(stats.rejected_rows, 0);
}

Test(import_long, a_lone_comma_before_three_digits_is_ambiguous_and_warned_about)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,price_change,2021,\"1,234\"\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_WARNING, 2, 4, "ambiguous-number",
              "\"1,234\" could be a decimal or a thousands separator: read as 1.234");
    fx_expect_obs("TL-TV", "price_change", 202100, 1.234, QALA_FLAG_NONE);
}

Test(import_long, quarters_months_and_spreadsheet_years_are_periods)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,price_change,2021-Q3,1\n"
        "TL-TV,price_change,2021-07,2\n"
        "TL-TV,price_change,2005.0,3\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    fx_expect_obs("TL-TV", "price_change", 202123, 1, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "price_change", 202107, 2, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "price_change", 200500, 3, QALA_FLAG_NONE);
}

Test(import_long, header_synonyms_in_russian_and_kazakh_name_the_roles)
{
    const char *csv =
        "Показатель,Год,Регион,Значение,Признак\n"
        "population,2021,Testville,1000,p\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(stats.layout, QALA_LAYOUT_LONG);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_PROVISIONAL);
}

Test(import_long, a_byte_order_mark_is_reported_in_the_stats)
{
    const char *csv =
        "\xEF\xBB\xBFunit,indicator,period,value\n"
        "TL-TV,population,2021,1000\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    cr_expect_str_eq(stats.encoding, "UTF-8 (BOM)");
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
}

Test(import_long, a_header_without_data_rows_is_a_warning)
{
    cr_assert_eq(fx_import("unit,indicator,period,value\n", NULL), QALA_OK);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_WARNING, 1, 0, "no-data", "the file has a header but no data rows");
    cr_expect_eq(stats.rows, 0);
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_long, an_empty_file_is_an_error)
{
    cr_assert_eq(fx_import("", NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 0, "empty-file", "empty file: expected a header row and data rows");
}

Test(import_long, a_null_label_names_the_buffer)
{
    const char *csv = "unit,indicator,period,value\nTL-TV,population,2021,abc\n";
    cr_assert_eq(qala_import_buffer(ds, fnd, NULL, csv, strlen(csv), NULL, reg, fw, NULL), QALA_EDATA);
    fx_expect_count(1);
    cr_expect_str_eq(qala_findings_get(fnd, 0)->file, "<buffer>");
}
