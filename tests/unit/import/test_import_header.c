/* Header problems: missing role columns, no value columns. A header with errors stops the
 * import before any row is read. Fictional names (import_fixture.h). */
#include "import_fixture.h"

TestSuite(import_header, .init = fx_build, .fini = fx_free);

Test(import_header, missing_unit_column)
{
    cr_assert_eq(fx_import("indicator,period,value\npopulation,2021,1\n", NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no unit column: expected a header named \"unit\" (or --map unit=HEADER)");
    cr_expect_eq(stats.rows, 0);
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_header, missing_indicator_column)
{
    cr_assert_eq(fx_import("unit,period,value\nTestville,2021,1\n", NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no indicator column: expected a header named \"indicator\" "
              "(or --map indicator=HEADER, or --indicator CODE)");
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_header, missing_indicator_column_is_fine_with_the_indicator_option)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.indicator = "population";
    cr_assert_eq(fx_import("unit,period,value\nTestville,2021,1\n", &opt), QALA_OK);
    fx_expect_count(0);
    fx_expect_obs("TL-TV", "population", 202100, 1, QALA_FLAG_NONE);
}

Test(import_header, missing_period_column)
{
    cr_assert_eq(fx_import("unit,indicator,value\nTestville,population,1\n", NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no period column: expected a header named \"period\" "
              "(or --map period=HEADER, or --period YYYY)");
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_header, missing_value_column)
{
    cr_assert_eq(fx_import("unit,indicator,period,total\nTestville,population,2021,1\n", NULL),
                 QALA_EDATA);
    cr_expect_eq(stats.layout, QALA_LAYOUT_LONG);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no value column: expected a header named \"value\" (or --map value=HEADER)");
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_header, every_missing_role_is_reported_in_role_order)
{
    cr_assert_eq(fx_import("a,b\n1,2\n", NULL), QALA_EDATA);
    fx_expect_count(4);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no unit column: expected a header named \"unit\" (or --map unit=HEADER)");
    fx_expect(1, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no indicator column: expected a header named \"indicator\" "
              "(or --map indicator=HEADER, or --indicator CODE)");
    fx_expect(2, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no period column: expected a header named \"period\" "
              "(or --map period=HEADER, or --period YYYY)");
    fx_expect(3, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
              "no value column: expected a header named \"value\" (or --map value=HEADER)");
}

Test(import_header, wide_by_period_without_period_columns)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.layout = QALA_LAYOUT_WIDE_PERIODS;
    cr_assert_eq(fx_import(",indicator,notes\nTestville,population,1\n", &opt), QALA_EDATA);
    fx_expect_count(2);
    fx_expect(0, QALA_SEVERITY_WARNING, 1, 3, "column-ignored",
              "column \"notes\" ignored: it is not a period");
    fx_expect(1, QALA_SEVERITY_ERROR, 1, 0, "no-value-columns",
              "no value columns: expected columns named by period (2021, 2022-Q1, ...)");
    cr_expect_eq(stats.rows, 0);
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_header, wide_by_indicator_without_indicator_columns)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.layout = QALA_LAYOUT_WIDE_INDICATORS;
    cr_assert_eq(fx_import("unit,period,gdp\nTestville,2021,1\n", &opt), QALA_EDATA);
    fx_expect_count(2);
    fx_expect(0, QALA_SEVERITY_WARNING, 1, 3, "column-ignored",
              "column \"gdp\" ignored: it is not an indicator of the framework");
    fx_expect(1, QALA_SEVERITY_ERROR, 1, 0, "no-value-columns",
              "no value columns: expected columns named by indicator code or name");
    cr_expect_eq(qala_dataset_size(ds), 0);
}

Test(import_header, a_csv_syntax_error_in_the_header_is_a_finding)
{
    cr_assert_eq(fx_import("unit,\"indicator,period,value\n", NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 1, 2, "csv-syntax", "unterminated quoted field (opened on line 1)");
}
