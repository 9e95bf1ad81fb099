/* tests/fuzz/fuzz_import.c — libFuzzer target for the whole import path: bytes → CSV
 * reader → header roles and layouts → name resolution against the real Kazakhstan
 * registry and framework → numbers, ranges, duplicates → dataset and findings.
 *
 * The first input byte chooses the layout, the delimiter and whether a fixed indicator
 * and period are given; the rest is the file. Checked: no crash or sanitizer report; the
 * result is QALA_OK or QALA_EDATA (never another error on any bytes); QALA_EDATA exactly
 * when there are error findings; the dataset holds exactly stats.observations rows with
 * no repeated key, each with a period in the allowed range and a finite value unless
 * confidential.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_import_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!reg)
        load_registry_and_framework();
    if (size == 0)
        return 0;
    static const char delimiters[] = {0, ',', ';', '\t'};
    unsigned o = data[0];
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.layout = (qala_layout)(o & 3);
    opt.delimiter = delimiters[(o >> 2) & 3];
    if (o & 16)
        opt.indicator = "population";
    if (o & 32)
        opt.period = "2022";
    qala_dataset *ds;
    qala_findings *f;
    qala_import_stats stats;
    if (qala_dataset_new(&ds) || qala_findings_new(&f))
        abort();
    qala_status st = qala_import_buffer(ds, f, &stats, (const char *)data + 1, size - 1, "fuzz.csv",
                                        reg, fw, &opt);
    check_import(st, f, ds, &stats, &opt, 1);
    qala_findings_free(f);
    qala_dataset_free(ds);
    return 0;
}
