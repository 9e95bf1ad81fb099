/* Duplicates in one file: the first observation is kept, the later line gets the error
 * naming the earlier line. Fictional names and figures (import_fixture.h). */
#include "import_fixture.h"

TestSuite(import_duplicates, .init = fx_build, .fini = fx_free);

Test(import_duplicates, the_first_is_kept_and_the_later_line_reported)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,population,2021,1000\n"
        "TL-SP,population,2021,700\n"
        "TL-TV,population,2021,1001\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 4, 0, "duplicate",
              "duplicate observation: TL-TV, population, 2021 is already on line 2");
    cr_expect_eq(qala_dataset_size(ds), 2);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    cr_expect_eq(fx_line_of("TL-TV", "population", 202100), 2);
    cr_expect_eq(stats.rows, 3);
    cr_expect_eq(stats.observations, 2);
    cr_expect_eq(stats.rejected_rows, 1);
}

Test(import_duplicates, two_spellings_of_the_same_unit_and_indicator_are_duplicates)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "Тествиль,Численность населения,2021-Q2,1000\n"
        "Testville,population,2021-Q1,990\n"
        "Тестқала,Халық саны,2021-Q2,1001\n"
        "tl-tv,Population,2021-Q2,1002\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(2);
    fx_expect(0, QALA_SEVERITY_ERROR, 4, 0, "duplicate",
              "duplicate observation: TL-TV, population, 2021-Q2 is already on line 2");
    fx_expect(1, QALA_SEVERITY_ERROR, 5, 0, "duplicate",
              "duplicate observation: TL-TV, population, 2021-Q2 is already on line 2");
    cr_expect_eq(qala_dataset_size(ds), 2);
    fx_expect_obs("TL-TV", "population", 202122, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202121, 990, QALA_FLAG_NONE);
    cr_expect_eq(stats.observations, 2);
    cr_expect_eq(stats.rejected_rows, 2);
}

Test(import_duplicates, a_missing_cell_is_not_a_duplicate)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,population,2021,-\n"
        "TL-TV,population,2021,1000\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    cr_expect_eq(fx_line_of("TL-TV", "population", 202100), 3);
}

Test(import_duplicates, a_rejected_row_does_not_shadow_a_later_valid_one)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,unemployment_pct,2021,104\n"
        "TL-TV,unemployment_pct,2021,4\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    cr_expect_str_eq(qala_findings_get(fnd, 0)->rule, "out-of-range");
    fx_expect_obs("TL-TV", "unemployment_pct", 202100, 4, QALA_FLAG_NONE);
    cr_expect_eq(fx_line_of("TL-TV", "unemployment_pct", 202100), 3);
}

Test(import_duplicates, wide_layout_a_row_of_duplicates_counts_as_one_rejected_row)
{
    /* Line 3 repeats both cells of line 2: one row is rejected, not two. */
    const char *csv =
        ",indicator,2021,2022\n"
        "Testville,population,1000,1010\n"
        "Testville,population,1001,1011\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(2);
    fx_expect(0, QALA_SEVERITY_ERROR, 3, 0, "duplicate",
              "duplicate observation: TL-TV, population, 2021 is already on line 2");
    fx_expect(1, QALA_SEVERITY_ERROR, 3, 0, "duplicate",
              "duplicate observation: TL-TV, population, 2022 is already on line 2");
    cr_expect_eq(qala_dataset_size(ds), 2);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202200, 1010, QALA_FLAG_NONE);
    cr_expect_eq(stats.rows, 2);
    cr_expect_eq(stats.observations, 2);
    cr_expect_eq(stats.rejected_rows, 1, "rejected_rows %zu for 1 rejected row", stats.rejected_rows);
}

Test(import_duplicates, wide_layout_a_row_with_a_duplicate_cell_adds_nothing)
{
    /* Line 3 repeats line 2's 2021 cell: an error on line 3, so (as for every other
     * error) none of line 3's cells may be added — its 2022 value included. */
    const char *csv =
        ",indicator,2021,2022\n"
        "Testville,population,1000,-\n"
        "Testville,population,1001,1011\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 3, 0, "duplicate",
              "duplicate observation: TL-TV, population, 2021 is already on line 2");
    cr_expect_eq(stats.rejected_rows, 1);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    cr_expect_eq(fx_find("TL-TV", "population", 202200), -1,
                 "line 3 has an error, yet its 2022 cell was added");
    cr_expect_eq(qala_dataset_size(ds), 1);
    cr_expect_eq(stats.observations, 1);
}
