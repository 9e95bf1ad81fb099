/* tests/fuzz/fuzz_sdmx.c — libFuzzer target for the SDMX-CSV reader: bytes → CSV reader
 * → SDMX header roles (1.0 or 2.0) → code lists through a small mapping → TIME_PERIOD
 * forms, FREQ, ACTION, OBS_STATUS, OBS_VALUE → dataset and findings, against the real
 * Kazakhstan registry and framework.
 *
 * The first input byte chooses the delimiter and whether the mapping and an indicator
 * column override are used; the rest is the file. Checked: no crash or sanitizer report;
 * the result is QALA_OK or QALA_EDATA; QALA_EDATA exactly when there are error findings;
 * the dataset holds stats.observations rows with no repeated key, periods in the allowed
 * range, a finite value unless confidential; every exported line of an observation
 * reads back (qala_sdmx_format_row) as that observation.
 * Seed corpus: tests/fuzz/corpus_sdmx/ (build-fuzz/tests/fuzz/fuzz_sdmx corpus/ tests/fuzz/corpus_sdmx/).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_import_common.h"

static qala_sdmx_map *map;

static void load_defaults(void)
{
    static const char mapping[] = "dimension,sdmx_code,qala_code\nREF_AREA,KZ35,KZ-KAR\n"
                                  "INDICATOR,POP,population\nSERIES,UNEMP,unemployment_ilo_pct\n"
                                  "OBS_STATUS,F,estimated\nOBS_STATUS,X,missing\n";
    load_registry_and_framework();
    qala_findings *f;
    if (qala_findings_new(&f) || qala_sdmx_map_new(&map) ||
        qala_sdmx_map_load_csv(map, mapping, sizeof mapping - 1, "map.csv", f))
        abort();
    qala_findings_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!reg)
        load_defaults();
    if (size == 0)
        return 0;
    static const char delimiters[] = {0, ',', ';', '\t'};
    unsigned o = data[0];
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.delimiter = delimiters[o & 3];
    if (o & 8)
        opt.map = "indicator=SERIES";
    qala_dataset *ds;
    qala_findings *f;
    qala_import_stats stats;
    if (qala_dataset_new(&ds) || qala_findings_new(&f))
        abort();
    qala_status st = qala_sdmx_import_buffer(ds, f, &stats, (const char *)data + 1, size - 1, "fuzz.csv",
                                             reg, fw, (o & 4) ? map : NULL, &opt);
    check_import(st, f, ds, &stats, &opt, 1);
    size_t n = qala_dataset_size(ds);
    const uint32_t *u = qala_dataset_units(ds), *ind = qala_dataset_indicators(ds);
    const qala_period *p = qala_dataset_periods(ds);
    const double *v = qala_dataset_values(ds);
    const uint8_t *fl = qala_dataset_flags(ds);
    if (n) {
        /* the first observation exported and read back */
        qala_sdmx_export_options eo = QALA_SDMX_EXPORT_OPTIONS_INIT;
        eo.sdmx_version = 1 + (o >> 7);
        char text[1024];
        size_t len = qala_sdmx_format_header(text, sizeof text, &eo);
        len += qala_sdmx_format_row(text + len, sizeof text - len, &eo, qala_dataset_unit_code(ds, u[0]),
                                    qala_dataset_indicator_code(ds, ind[0]), p[0], v[0], (qala_flag)fl[0]);
        qala_dataset *back;
        qala_findings *bf;
        if (len >= sizeof text || qala_dataset_new(&back) || qala_findings_new(&bf))
            abort();
        if (qala_sdmx_import_buffer(back, bf, NULL, text, len, "back.csv", reg, fw, NULL, NULL) != QALA_OK ||
            qala_dataset_size(back) != 1 || qala_dataset_periods(back)[0] != p[0] ||
            qala_dataset_flags(back)[0] != fl[0] ||
            !(isnan(v[0]) ? isnan(qala_dataset_values(back)[0]) : qala_dataset_values(back)[0] == v[0]))
            abort();
        qala_findings_free(bf);
        qala_dataset_free(back);
    }
    qala_findings_free(f);
    qala_dataset_free(ds);
    return 0;
}
