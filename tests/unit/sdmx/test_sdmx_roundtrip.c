/* Export lines read back: the same observations (values, periods, flags), in both
 * versions and through a mapping; the dataflow check; allocation failure. */
#include "sdmx_fixture.h"

#include "failing_alloc.h"

TestSuite(sdmx_roundtrip, .init = fx_setup, .fini = fx_teardown);

static const struct {
    const char *unit, *ind;
    qala_period p;
    double v;
    qala_flag flag;
} obs[] = {
    {"KZ", "population", 202300, 19766807, QALA_FLAG_NONE},
    {"KZ-KAR", "population", 202200, 1134854, QALA_FLAG_PROVISIONAL},
    {"KZ-KAR", "unemployment_ilo_pct", 202223, 4.55, QALA_FLAG_ESTIMATED},
    {"KZ-KAR", "unemployment_ilo_pct", 202212, 4.125, QALA_FLAG_BREAK},
    {"KZ-ALA", "wage_nominal_kzt", 202200, 0.1 + 0.2, QALA_FLAG_IMPUTED},
    {"KZ-ALA", "population", 202200, NAN, QALA_FLAG_CONFIDENTIAL},
};

static void round_trip(int version, const qala_sdmx_map *m)
{
    qala_sdmx_export_options o = QALA_SDMX_EXPORT_OPTIONS_INIT;
    o.sdmx_version = version;
    o.map = m;
    char text[4096];
    size_t n = qala_sdmx_format_header(text, sizeof text, &o);
    for (size_t i = 0; i < sizeof obs / sizeof obs[0]; i++)
        n += qala_sdmx_format_row(text + n, sizeof text - n, &o, obs[i].unit, obs[i].ind, obs[i].p, obs[i].v,
                                  obs[i].flag);
    cr_assert_eq(qala_sdmx_detect(text, n), version);
    cr_assert_eq(fx_import(text, NULL), QALA_OK, "%s\n%s", fx_findings(), text);
    cr_assert_eq(qala_dataset_size(ds), sizeof obs / sizeof obs[0]);
    for (size_t i = 0; i < sizeof obs / sizeof obs[0]; i++) {
        uint32_t u, k;
        size_t at;
        cr_assert_eq(qala_dataset_intern_unit(ds, obs[i].unit, &u), QALA_OK);
        cr_assert_eq(qala_dataset_intern_indicator(ds, obs[i].ind, &k), QALA_OK);
        cr_assert_eq(qala_dataset_find(ds, u, k, obs[i].p, &at), QALA_OK, "observation %zu", i);
        double v = qala_dataset_values(ds)[at];
        cr_assert(isnan(obs[i].v) ? isnan(v) : v == obs[i].v, "%zu: %.17g vs %.17g", i, v, obs[i].v);
        cr_assert_eq(qala_dataset_flags(ds)[at], obs[i].flag);
    }
}

Test(sdmx_roundtrip, version_1) { round_trip(1, NULL); }
Test(sdmx_roundtrip, version_2) { round_trip(2, NULL); }

Test(sdmx_roundtrip, through_a_mapping)
{
    fx_map("dimension,sdmx_code,qala_code\nREF_AREA,KZ35,KZ-KAR\nINDICATOR,POP,population\n");
    round_trip(1, map);
}

Test(sdmx_roundtrip, export_lines)
{
    qala_sdmx_export_options o = QALA_SDMX_EXPORT_OPTIONS_INIT;
    char buf[256];
    cr_assert_eq(qala_sdmx_format_header(buf, sizeof buf, &o), 66);
    cr_assert_str_eq(buf, "DATAFLOW,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n");
    qala_sdmx_format_row(buf, sizeof buf, &o, "KZ-KAR", "unemployment_ilo_pct", 202223, 4.5, QALA_FLAG_NONE);
    cr_assert_str_eq(buf, "QALA:DF_QALA(1.0),Q,KZ-KAR,unemployment_ilo_pct,2022-Q3,4.5,A\n");
    o.sdmx_version = 2;
    o.dataflow = "BNS:DF_X(2.1.0)";
    qala_sdmx_format_row(buf, sizeof buf, &o, "A,B", "x", 202207, NAN, QALA_FLAG_CONFIDENTIAL);
    cr_assert_str_eq(buf, "dataflow,BNS:DF_X(2.1.0),I,M,\"A,B\",x,2022-07,,C\n");
    /* a short buffer: the length needed, the text cut */
    char small[8];
    size_t need = qala_sdmx_format_row(small, sizeof small, &o, "KZ", "x", 202200, 1, QALA_FLAG_NONE);
    cr_assert_eq(need, strlen("dataflow,BNS:DF_X(2.1.0),I,A,KZ,x,2022,1,A\n"));
    cr_assert_str_eq(small, "dataflo");
}

Test(sdmx_roundtrip, dataflow_check)
{
    cr_assert_eq(qala_sdmx_check_dataflow("QALA:DF_QALA(1.0)"), QALA_OK);
    cr_assert_eq(qala_sdmx_check_dataflow("ESTAT.SUB:NA_MAIN(1.6.0)"), QALA_OK);
    static const char *const bad[] = {"DF_QALA", "QALA:DF_QALA", "QALA:DF(1.)", ":DF(1.0)", "Q:(1.0)",
                                      "Q:D F(1.0)", "Q:DF(1.0)x", "Q:DF(a)"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(qala_sdmx_check_dataflow(bad[i]), QALA_EINVAL, "%s", bad[i]);
    cr_assert_str_eq(qala_error_last()->message,
                     "dataflow \"Q:DF(a)\" is not AGENCY:ID(VERSION), e.g. QALA:DF_QALA(1.0)");
}

Test(sdmx_roundtrip, each_failing_allocation_of_an_import_is_clean)
{
    const char *text = "DATAFLOW,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
                       "F:X(1.0),KZ-KAR,population,2022,1,A\nF:X(1.0),KZ-ALA,population,2022,2,P\n"
                       "F:X(1.0),KZ-ALA,population,2022,3,P\n";
    int ok = 0;
    for (fail_at = 0; !ok && fail_at < 100000; fail_at++) {
        qala_dataset *d;
        qala_findings *f;
        cr_assert_eq(qala_dataset_new(&d), QALA_OK);
        cr_assert_eq(qala_findings_new(&f), QALA_OK);
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_status st = qala_sdmx_import_buffer(d, f, NULL, text, strlen(text), "in.csv", reg, fw, NULL, NULL);
        qala_allocator_set(NULL);
        if (st == QALA_EDATA) {
            ok = 1;
            cr_assert_eq(qala_dataset_size(d), 2);
            cr_assert_eq(qala_findings_errors(f), 1);
        } else {
            cr_assert_eq(st, QALA_ENOMEM, "fail_at %ld: %d", fail_at, st);
        }
        qala_findings_free(f);
        qala_dataset_free(d);
    }
    cr_assert(ok);
}
