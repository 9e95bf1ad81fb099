/* Row problems: each becomes a finding with line, column, rule and the exact message; a
 * row with an error adds nothing (also in wide layouts), the valid rows are kept and
 * the import returns QALA_EDATA. Fictional names and figures (import_fixture.h). */
#include "import_fixture.h"

TestSuite(import_rows, .init = fx_build, .fini = fx_free);

#define HEADER "unit,indicator,period,value\n"
#define GOOD "TL-SP,population,2020,700\n"

/* Imports HEADER + row + GOOD: expects QALA_EDATA, the GOOD row alone in the dataset and
 * the bad row (line 2) rejected. */
static void import_one_bad_row(const char *row, const qala_import_options *opt)
{
    char csv[1024];
    snprintf(csv, sizeof csv, HEADER "%s" GOOD, row);
    cr_assert_eq(fx_import(csv, opt), QALA_EDATA);
    cr_expect_eq(stats.rows, 2);
    cr_expect_eq(stats.rejected_rows, 1);
    cr_expect_eq(stats.observations, 1);
    cr_expect_eq(qala_dataset_size(ds), 1);
    fx_expect_obs("TL-SP", "population", 202000, 700, QALA_FLAG_NONE);
}

Test(import_rows, wrong_field_count)
{
    import_one_bad_row("TL-TV,population,2021\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 0, "field-count",
              "row has 3 fields, the header has 4: expected one value per column");
}

Test(import_rows, wrong_field_count_with_one_field)
{
    import_one_bad_row("TL-TV\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 0, "field-count",
              "row has 1 field, the header has 4: expected one value per column");
}

Test(import_rows, too_many_fields)
{
    import_one_bad_row("TL-TV,population,2021,1,2\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 0, "field-count",
              "row has 5 fields, the header has 4: expected one value per column");
}

Test(import_rows, empty_unit)
{
    import_one_bad_row("  ,population,2021,1\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 1, "empty-unit", "empty unit: expected a unit code or name");
}

Test(import_rows, unknown_unit_without_suggestion)
{
    import_one_bad_row("Qwertyuiop,population,2021,1\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 1, "unknown-unit",
              "unknown unit \"Qwertyuiop\": expected a unit code or name of the registry");
}

Test(import_rows, unknown_unit_with_a_suggestion)
{
    import_one_bad_row("Testvile,population,2021,1\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 1, "unknown-unit",
              "unknown unit \"Testvile\": did you mean \"Testville\" (TL-TV, city)?");
}

Test(import_rows, unknown_unit_with_two_suggestions_lists_both_in_registry_order)
{
    /* "northfeld" is one edit from the region's alias and the city's name */
    import_one_bad_row("Northfeld,population,2021,1\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 1, "unknown-unit",
              "unknown unit \"Northfeld\": did you mean \"North Province\" (TL-N, region) or "
              "\"Northfield\" (TL-NF, city)?");
}

Test(import_rows, ambiguous_unit_lists_the_candidates)
{
    import_one_bad_row("Northfield,population,2021,1\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 1, "unknown-unit",
              "ambiguous unit \"Northfield\": could be \"North Province\" (TL-N, region) or "
              "\"Northfield\" (TL-NF, city); use the unit code");
}

Test(import_rows, the_codes_of_an_ambiguous_pair_resolve)
{
    const char *csv = HEADER "TL-N,population,2021,1\nTL-NF,population,2021,2\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    fx_expect_obs("TL-N", "population", 202100, 1, QALA_FLAG_NONE);
    fx_expect_obs("TL-NF", "population", 202100, 2, QALA_FLAG_NONE);
}

Test(import_rows, unknown_indicator_with_a_suggestion)
{
    import_one_bad_row("TL-TV,populaton,2021,1\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 2, "unknown-indicator",
              "unknown indicator \"populaton\": did you mean \"population\"?");
}

Test(import_rows, unknown_indicator_without_suggestion)
{
    import_one_bad_row("TL-TV,gross regional product,2021,1\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 2, "unknown-indicator",
              "unknown indicator \"gross regional product\": expected an indicator code or "
              "name of the framework (qala indicators)");
}

Test(import_rows, bad_period)
{
    import_one_bad_row("TL-TV,population,2021-Q5,1\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 3, "bad-period",
              "\"2021-Q5\" is not a period: expected YYYY, YYYY-Qn or YYYY-MM");
}

Test(import_rows, a_year_outside_1900_to_2100_is_out_of_range_not_malformed)
{
    import_one_bad_row("TL-TV,population,1850,1\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 3, "period-out-of-range",
              "period 1850 is outside the allowed range 1900 to 2100");
}

Test(import_rows, years_1900_and_2100_are_the_default_bounds)
{
    const char *csv = HEADER
        "TL-TV,population,1900,1\n"
        "TL-TV,population,2100,2\n"
        "TL-TV,population,1899,3\n"
        "TL-TV,population,2101,4\n"
        "TL-TV,population,2100-Q4,5\n"
        "TL-TV,population,1900-01,6\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(2);
    fx_expect(0, QALA_SEVERITY_ERROR, 4, 3, "period-out-of-range",
              "period 1899 is outside the allowed range 1900 to 2100");
    fx_expect(1, QALA_SEVERITY_ERROR, 5, 3, "period-out-of-range",
              "period 2101 is outside the allowed range 1900 to 2100");
    cr_expect_eq(qala_dataset_size(ds), 4);
    fx_expect_obs("TL-TV", "population", 190000, 1, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 210000, 2, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 210024, 5, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 190001, 6, QALA_FLAG_NONE);
}

Test(import_rows, period_outside_the_range_of_the_options)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.period_min = 201500;
    opt.period_max = 202399;
    const char *csv = HEADER
        "TL-TV,population,2024,1\n"
        "TL-TV,population,2014-Q4,2\n"
        "TL-TV,population,2015,3\n"
        "TL-TV,population,2023-12,4\n"
        "TL-TV,population,2150,5\n";
    cr_assert_eq(fx_import(csv, &opt), QALA_EDATA);
    fx_expect_count(3);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 3, "period-out-of-range",
              "period 2024 is outside the allowed range 2015 to 2023");
    fx_expect(1, QALA_SEVERITY_ERROR, 3, 3, "period-out-of-range",
              "period 2014-Q4 is outside the allowed range 2015 to 2023");
    fx_expect(2, QALA_SEVERITY_ERROR, 6, 3, "period-out-of-range",
              "period 2150 is outside the allowed range 2015 to 2023");
    cr_expect_eq(qala_dataset_size(ds), 2);
    fx_expect_obs("TL-TV", "population", 201500, 3, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202312, 4, QALA_FLAG_NONE);
    cr_expect_eq(stats.rejected_rows, 3);
}

Test(import_rows, not_a_number)
{
    import_one_bad_row("TL-TV,population,2021, 12abc \n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 4, "not-a-number",
              "\"12abc\" is not a number: expected digits with an optional sign, decimal mark and "
              "thousands separators, or a missing-value marker such as \"-\"");
}

Test(import_rows, value_above_a_two_sided_range)
{
    import_one_bad_row("TL-TV,unemployment_pct,2021,104.5\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 4, "out-of-range",
              "value 104.5 is outside the range of unemployment_pct (%): expected between 0 and 100");
}

Test(import_rows, value_below_a_two_sided_range)
{
    import_one_bad_row("TL-TV,unemployment_pct,2021,-0.5\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 4, "out-of-range",
              "value -0.5 is outside the range of unemployment_pct (%): expected between 0 and 100");
}

Test(import_rows, the_bounds_of_a_range_are_inside_it)
{
    const char *csv = HEADER
        "TL-TV,unemployment_pct,2021,0\n"
        "TL-TV,unemployment_pct,2022,100\n"
        "TL-TV,population,2021,0\n"
        "TL-TV,deficit_index,2021,0\n"
        "TL-TV,price_change,2021,-1e300\n"
        "TL-TV,price_change,2022,1e300\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(qala_dataset_size(ds), 6);
    fx_expect_obs("TL-TV", "price_change", 202100, -1e300, QALA_FLAG_NONE);
}

Test(import_rows, value_below_a_lower_bound_only)
{
    import_one_bad_row("TL-TV,population,2021,-5\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 4, "out-of-range",
              "value -5 is outside the range of population (persons): expected at least 0");
}

Test(import_rows, value_above_an_upper_bound_only)
{
    import_one_bad_row("TL-TV,deficit_index,2021,\"3,5\"\n", NULL);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 4, "out-of-range",
              "value 3.5 is outside the range of deficit_index (points): expected at most 0");
}

Test(import_rows, out_of_range_messages_show_the_value_in_full_precision)
{
    /* With %g, 100.0000001 printed as "100" and the message contradicted itself
     * ("value 100 is outside ... between 0 and 100"); -1234567 printed as -1.23457e+06. */
    const char *csv = HEADER
        "TL-TV,unemployment_pct,2021,100.0000001\n"
        "TL-TV,population,2021,-1234567\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(2);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 4, "out-of-range",
              "value 100.0000001 is outside the range of unemployment_pct (%): expected between 0 and 100");
    fx_expect(1, QALA_SEVERITY_ERROR, 3, 4, "out-of-range",
              "value -1234567 is outside the range of population (persons): expected at least 0");
}

Test(import_rows, mixed_decimal_marks)
{
    const char *csv = HEADER
        "TL-TV,unemployment_pct,2021,\"4,5\"\n"
        "TL-TV,unemployment_pct,2022,4.7\n"
        "TL-SP,unemployment_pct,2021,\"4,9\"\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 3, 4, "mixed-decimal-marks",
              "\"4.7\" uses '.' as decimal mark, but this file uses ',' since line 2");
    cr_expect_eq(qala_dataset_size(ds), 2);
    fx_expect_obs("TL-TV", "unemployment_pct", 202100, 4.5, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "unemployment_pct", 202100, 4.9, QALA_FLAG_NONE);
    cr_expect_eq(stats.rejected_rows, 1);
}

Test(import_rows, mixed_decimal_marks_the_other_way)
{
    const char *csv = HEADER
        "TL-TV,unemployment_pct,2021,4.5\n"
        "TL-TV,unemployment_pct,2022,\"4,75\"\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 3, 4, "mixed-decimal-marks",
              "\"4,75\" uses ',' as decimal mark, but this file uses '.' since line 2");
    cr_expect_eq(qala_dataset_size(ds), 1);
}

Test(import_rows, bad_flag)
{
    char csv[256];
    snprintf(csv, sizeof csv, "unit,indicator,period,value,flag\nTL-TV,population,2021,1,zz\n%s",
             "TL-SP,population,2020,700,\n");
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 5, "bad-flag",
              "'zz' is not a flag: expected provisional, estimated, break, confidential or "
              "imputed (or p, e, b, c, i)");
    cr_expect_eq(qala_dataset_size(ds), 1);
    cr_expect_eq(stats.rejected_rows, 1);
    fx_expect_obs("TL-SP", "population", 202000, 700, QALA_FLAG_NONE);
}

Test(import_rows, every_bad_cell_of_a_row_is_reported_and_the_row_counted_once)
{
    import_one_bad_row("Nowhere,populaton,21,1\n", NULL);
    fx_expect_count(3);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 1, "unknown-unit",
              "unknown unit \"Nowhere\": expected a unit code or name of the registry");
    fx_expect(1, QALA_SEVERITY_ERROR, 2, 2, "unknown-indicator",
              "unknown indicator \"populaton\": did you mean \"population\"?");
    fx_expect(2, QALA_SEVERITY_ERROR, 2, 3, "bad-period",
              "\"21\" is not a period: expected YYYY, YYYY-Qn or YYYY-MM");
}

Test(import_rows, wide_by_period_a_row_with_one_bad_cell_adds_nothing)
{
    const char *csv =
        ",indicator,2021,2022,2023\n"
        "Testville,population,1000,abc,1020\n"
        "Sampleton,population,700,710,720\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 4, "not-a-number",
              "\"abc\" is not a number: expected digits with an optional sign, decimal mark and "
              "thousands separators, or a missing-value marker such as \"-\"");
    cr_expect_eq(stats.rows, 2);
    cr_expect_eq(stats.rejected_rows, 1);
    cr_expect_eq(stats.observations, 3);
    cr_expect_eq(qala_dataset_size(ds), 3);
    cr_expect_eq(fx_find("TL-TV", "population", 202100), -1);
    cr_expect_eq(fx_find("TL-TV", "population", 202300), -1);
    fx_expect_obs("TL-SP", "population", 202100, 700, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "population", 202300, 720, QALA_FLAG_NONE);
}

Test(import_rows, wide_by_indicator_a_row_with_a_value_out_of_range_adds_nothing)
{
    const char *csv =
        "unit,period,population,unemployment_pct\n"
        "Testville,2021,1000,104\n"
        "Sampleton,2021,700,5\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 4, "out-of-range",
              "value 104 is outside the range of unemployment_pct (%): expected between 0 and 100");
    cr_expect_eq(qala_dataset_size(ds), 2);
    cr_expect_eq(fx_find("TL-TV", "population", 202100), -1);
    fx_expect_obs("TL-SP", "population", 202100, 700, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "unemployment_pct", 202100, 5, QALA_FLAG_NONE);
    cr_expect_eq(stats.observations, 2);
    cr_expect_eq(stats.rejected_rows, 1);
}

Test(import_rows, a_csv_syntax_error_in_a_row_rejects_that_row_only)
{
    const char *csv = HEADER "TL-TV,population,\"2021\"x,1\n" GOOD;
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 3, "csv-syntax",
              "text after closing quote: expected \",\" or end of line");
    cr_expect_eq(stats.rows, 2);
    cr_expect_eq(stats.rejected_rows, 1);
    cr_expect_eq(qala_dataset_size(ds), 1);
}
