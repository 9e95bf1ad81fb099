/* SDMX-CSV 1.0 and 2.0 read into a dataset: periods, statuses, labels, actions and the
 * code mapping. */
#include "sdmx_fixture.h"

TestSuite(sdmx_read, .init = fx_setup, .fini = fx_teardown);

Test(sdmx_read, version_1_with_every_period_form)
{
    cr_assert_eq(fx_import("DATAFLOW,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
                           "QALA:DF_QALA(1.0),A,KZ-KAR,population,2022,1134854,A\n"
                           "QALA:DF_QALA(1.0),Q,KZ-KAR,unemployment_ilo_pct,2022-Q3,4.6,P\n"
                           "QALA:DF_QALA(1.0),M,KZ-KAR,unemployment_ilo_pct,2022-07,4.5,E\n"
                           "QALA:DF_QALA(1.0),M,KZ-KAR,unemployment_ilo_pct,2022-M08,4.4,\n"
                           "QALA:DF_QALA(1.0),M,KZ-KAR,unemployment_ilo_pct,2022-09-01/P1M,4.3,B\n"
                           "QALA:DF_QALA(1.0),Q,KZ-KAR,unemployment_ilo_pct,2022-10-01/P3M,4.2,I\n"
                           "QALA:DF_QALA(1.0),A,KZ-KAR,population,2021-01-01/P1Y,1130000,A\n"
                           "QALA:DF_QALA(1.0),A,KZ-ALA,population,2020-A1,1900000,A\n",
                           NULL), QALA_OK, "%s", fx_findings());
    cr_assert_str_eq(fx_findings(), "");
    cr_assert_str_eq(fx_obs(),
                     "KZ-KAR/population/2021=1130000 KZ-KAR/population/2022=1134854 "
                     "KZ-KAR/unemployment_ilo_pct/2022-07=4.5/estimated "
                     "KZ-KAR/unemployment_ilo_pct/2022-08=4.4 KZ-KAR/unemployment_ilo_pct/2022-09=4.3/break "
                     "KZ-KAR/unemployment_ilo_pct/2022-Q3=4.6/provisional "
                     "KZ-KAR/unemployment_ilo_pct/2022-Q4=4.2/imputed KZ-ALA/population/2020=1900000");
    cr_assert_eq(stats.rows, 8);
    cr_assert_eq(stats.observations, 8);
    cr_assert_eq(stats.layout, QALA_LAYOUT_LONG);
}

Test(sdmx_read, version_2_with_actions_labels_and_ignored_columns)
{
    cr_assert_eq(fx_import("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA: Reference area,INDICATOR,"
                           "TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n"
                           "dataflow,KZ:DF(2.0),I,KZ-KAR: Karaganda,population: Population,2022,1134854,PS,A\n"
                           "dataflow,KZ:DF(2.0),R,KZ-ALA,population,2022,2101485,PS,A: Normal\n"
                           "dataflow,KZ:DF(2.0),M,KZ-AST,population,2022,,PS,\n"
                           "dataflow,KZ:DF(2.0),A,KZ-SHY,population,2022,NaN,PS,M\n"
                           "dataflow,KZ:DF(2.0),,KZ-AKM,population,2022,123,PS,C\n",
                           NULL), QALA_OK);
    cr_assert_str_eq(fx_findings(),
                     "1:0: warning: column ignored: UNIT_MEASURE (qala reads REF_AREA, INDICATOR, "
                     "TIME_PERIOD, OBS_VALUE, OBS_STATUS, FREQ, ACTION)\n");
    /* sorted by unit id: the order in which the units were first seen */
    cr_assert_str_eq(fx_obs(), "KZ-KAR/population/2022=1134854 KZ-ALA/population/2022=2101485 "
                               "KZ-AKM/population/2022=nan/confidential");
    cr_assert_eq(stats.missing, 2);
}

Test(sdmx_read, mapping_file_translates_code_lists)
{
    fx_map("dimension,sdmx_code,qala_code\n"
           "REF_AREA,KZ351,KZ-KAR\n"
           "SERIES,DEM_POP,population\n"
           "OBS_STATUS,F,estimated\n"
           "OBS_STATUS,X,missing\n");
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.map = "indicator=SERIES";
    cr_assert_eq(fx_import("DATAFLOW;REF_AREA;SERIES;TIME_PERIOD;OBS_VALUE;OBS_STATUS\n"
                           "BNS:POP(1.0);KZ351;DEM_POP;2022;1134854;F\n"
                           "BNS:POP(1.0);KZ-ALA;population;2022;2101485;X\n",
                           &opt), QALA_OK, "%s", fx_findings());
    cr_assert_str_eq(fx_obs(), "KZ-KAR/population/2022=1134854/estimated");
    cr_assert_eq(stats.delimiter, ';');
    cr_assert_eq(stats.missing, 1);
    cr_assert_str_eq(qala_sdmx_map_to_sdmx(map, "REF_AREA", "KZ-KAR"), "KZ351");
    cr_assert_null(qala_sdmx_map_to_qala(map, "REF_AREA", "KZ-KAR"));
}

Test(sdmx_read, detection_from_the_header)
{
    cr_assert_eq(qala_sdmx_detect("DATAFLOW,REF_AREA\n", 18), 1);
    cr_assert_eq(qala_sdmx_detect("\xEF\xBB\xBF" "STRUCTURE,STRUCTURE_ID\n", 26), 2);
    cr_assert_eq(qala_sdmx_detect("\"DATAFLOW\";REF_AREA", 19), 1);
    cr_assert_eq(qala_sdmx_detect("Dataflow: Dataflow,x", 20), 1);
    cr_assert_eq(qala_sdmx_detect("unit,indicator,period,value\n", 28), 0);
    cr_assert_eq(qala_sdmx_detect("DATAFLOWS,x", 11), 0);
    cr_assert_eq(qala_sdmx_detect("", 0), 0);
}
