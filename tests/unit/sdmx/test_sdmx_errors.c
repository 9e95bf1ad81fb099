/* Bad SDMX-CSV: every problem is a finding with an exact message at line:column, and a
 * row with an error adds nothing. */
#include "sdmx_fixture.h"

TestSuite(sdmx_errors, .init = fx_setup, .fini = fx_teardown);

#define HEAD "DATAFLOW,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"

Test(sdmx_errors, a_plain_csv_header_is_not_sdmx)
{
    cr_assert_eq(fx_import("unit,indicator,period,value\nKZ-KAR,population,2022,1\n", NULL), QALA_EDATA);
    cr_assert_str_eq(fx_findings(), "1:1: error: \"unit\" is not an SDMX-CSV header: the first column must be "
                                    "DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (2.0)\n");
    cr_assert_eq(qala_dataset_size(ds), 0);
}

Test(sdmx_errors, missing_columns)
{
    cr_assert_eq(fx_import("STRUCTURE,REF_AREA,TIME_PERIOD\ndataflow,KZ-KAR,2022\n", NULL), QALA_EDATA);
    cr_assert_str_eq(fx_findings(),
                     "1:0: error: no STRUCTURE_ID column: SDMX-CSV 2.0 starts with STRUCTURE,STRUCTURE_ID\n"
                     "1:0: error: no INDICATOR column (the indicator): expected it in the header (or --map indicator=COLUMN)\n"
                     "1:0: error: no OBS_VALUE column (the value): expected it in the header (or --map value=COLUMN)\n");
}

Test(sdmx_errors, unknown_codes_with_and_without_a_mapping)
{
    cr_assert_eq(fx_import(HEAD "F:X(1.0),A,KZ351,population,2022,1,A\n"
                                "F:X(1.0),A,KZ-KAR,DEM_POP,2022,1,A\n"
                                "F:X(1.0),A,,population,2022,1,A\n", NULL), QALA_EDATA);
    cr_assert_str_eq(fx_findings(),
        "2:3: error: unknown REF_AREA code \"KZ351\": not a unit code of the registry, and no mapping file was given (--sdmx-map FILE)\n"
        "3:4: error: unknown INDICATOR code \"DEM_POP\": not an indicator code of the framework, and no mapping file was given (--sdmx-map FILE)\n"
        "4:3: error: empty REF_AREA: expected a code\n");
    cr_assert_eq(qala_dataset_size(ds), 0);
    cr_assert_eq(stats.rejected_rows, 3);
}

Test(sdmx_errors, codes_mapped_to_nothing_known)
{
    fx_map("dimension,sdmx_code,qala_code\nREF_AREA,KZ351,KZ-NOWHERE\n");
    cr_assert_eq(fx_import(HEAD "F:X(1.0),A,KZ351,population,2022,1,A\n"
                                "F:X(1.0),A,KZ352,population,2022,1,A\n", NULL), QALA_EDATA);
    cr_assert_str_eq(fx_findings(),
        "2:3: error: REF_AREA code \"KZ351\" is mapped to \"KZ-NOWHERE\", which is not a unit code of the registry\n"
        "3:3: error: unknown REF_AREA code \"KZ352\": not a unit code of the registry, and the mapping file does not map it\n");
}

Test(sdmx_errors, periods_that_are_not_years_quarters_or_months)
{
    cr_assert_eq(fx_import(HEAD "F:X(1.0),,KZ-KAR,population,2022-S1,1,A\n"
                                "F:X(1.0),,KZ-KAR,population,2022-W05,1,A\n"
                                "F:X(1.0),,KZ-KAR,population,2022-07-15,1,A\n"
                                "F:X(1.0),,KZ-KAR,population,2022-04-01/P1Y,1,A\n"
                                "F:X(1.0),,KZ-KAR,population,2022-02-01/P3M,1,A\n"
                                "F:X(1.0),,KZ-KAR,population,1850,1,A\n"
                                "F:X(1.0),,KZ-KAR,population,22,1,A\n", NULL), QALA_EDATA);
    const char *tail = " is not an annual, quarterly or monthly period: expected 2022, 2022-Q3 or 2022-07 "
                       "(also 2022-M07, 2022-07-01/P1M, 2022-07-01/P3M, 2022-01-01/P1Y)\n";
    char want[2048];
    snprintf(want, sizeof want,
             "2:5: error: TIME_PERIOD \"2022-S1\"%s3:5: error: TIME_PERIOD \"2022-W05\"%s"
             "4:5: error: TIME_PERIOD \"2022-07-15\"%s5:5: error: TIME_PERIOD \"2022-04-01/P1Y\"%s"
             "6:5: error: TIME_PERIOD \"2022-02-01/P3M\"%s"
             "7:5: error: period 1850 is outside the allowed range 1900 to 2100\n"
             "8:5: error: TIME_PERIOD \"22\"%s", tail, tail, tail, tail, tail, tail);
    cr_assert_str_eq(fx_findings(), want);
    cr_assert_eq(qala_dataset_size(ds), 0);
}

Test(sdmx_errors, frequency_action_status_and_value)
{
    cr_assert_eq(fx_import("STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
                           "dataflow,F:X(1.0),I,A,KZ-KAR,population,2022-Q3,1,A\n"
                           "dataflow,F:X(1.0),I,W,KZ-KAR,population,2022,1,A\n"
                           "dataflow,F:X(1.0),D,A,KZ-KAR,population,2022,1,A\n"
                           "dataflow,F:X(1.0),X,A,KZ-KAR,population,2022,1,A\n"
                           "dataflow,F:X(1.0),I,A,KZ-KAR,population,2022,1,F\n"
                           "dataflow,F:X(1.0),I,A,KZ-KAR,population,2022,\"1134,5\",A\n"
                           "dataflow,F:X(1.0),I,A,KZ-KAR,population,2022,-5,A\n"
                           "dataflow,F:X(1.0),I,A,KZ-KAR,population,2022,12,A,extra\n"
                           "dataflow,F:X(1.0),I,A,KZ-KAR,population,2023,12,A\n", NULL), QALA_EDATA);
    cr_assert_str_eq(fx_findings(),
        "2:4: error: FREQ A does not match TIME_PERIOD \"2022-Q3\" (quarterly)\n"
        "3:4: error: FREQ \"W\" is not supported: qala keeps annual (A), quarterly (Q) and monthly (M) data\n"
        "4:3: error: ACTION D (delete) is not supported: an import adds and revises observations\n"
        "5:3: error: ACTION \"X\" is not I, A, R, M or D\n"
        "6:9: error: OBS_STATUS \"F\" is not supported: expected A (normal), P (provisional), E (estimated), "
        "B (break), C (confidential), I (imputed) or M (missing), or map it in the mapping file\n"
        "7:8: error: OBS_VALUE \"1134,5\" is not a number: SDMX-CSV writes numbers with a decimal point and "
        "no grouping (1234.5), and NaN or nothing when missing\n"
        "8:8: error: value -5 is outside the range of population (persons): expected at least 0\n"
        "9:0: error: row has 10 fields, the header has 9: expected one value per column\n");
    cr_assert_str_eq(fx_obs(), "KZ-KAR/population/2023=12");
    cr_assert_eq(stats.rejected_rows, 8);
}

Test(sdmx_errors, repeated_keys_are_errors_on_the_later_row)
{
    cr_assert_eq(fx_import(HEAD "F:X(1.0),A,KZ-KAR,population,2022,1,A\n"
                                "F:X(1.0),A,KZ-KAR,population,2022-01-01/P1Y,2,A\n", NULL), QALA_EDATA);
    cr_assert_str_eq(fx_findings(), "3:0: error: duplicate observation: KZ-KAR, population, 2022 is already on line 2\n");
    cr_assert_str_eq(fx_obs(), "KZ-KAR/population/2022=1");
}

Test(sdmx_errors, empty_and_header_only_files)
{
    cr_assert_eq(fx_import("", NULL), QALA_EDATA);
    cr_assert_str_eq(fx_findings(), "1:0: error: empty file: expected an SDMX-CSV header and data rows\n");
    qala_findings_clear(fnd);
    cr_assert_eq(fx_import(HEAD, NULL), QALA_OK);
    cr_assert_str_eq(fx_findings(), "1:0: warning: the file has a header but no data rows\n");
}

Test(sdmx_errors, mapping_file_problems)
{
    cr_assert_eq(qala_sdmx_map_new(&map), QALA_OK);
    const char *text = "dimension,sdmx_code,qala_code\nREF_AREA,A,KZ-KAR\nREF_AREA,A,KZ-ALA\n"
                       "REF_AREA,B,KZ-KAR\nINDICATOR,A,population\n,C,x\n";
    cr_assert_eq(qala_sdmx_map_load_csv(map, text, strlen(text), "map.csv", fnd), QALA_EDATA);
    cr_assert_eq(qala_sdmx_map_count(map), 0);
    cr_assert_str_eq(fx_findings(),
                     "3:2: error: REF_AREA code \"A\" is already mapped on line 2\n"
                     "4:3: error: qala code \"KZ-KAR\" of REF_AREA is already mapped on line 2\n"
                     "6:1: error: dimension is empty\n");
}
