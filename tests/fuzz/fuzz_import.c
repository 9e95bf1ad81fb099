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

#include "qala/qala.h"

static qala_registry *reg;
static qala_framework *fw;

static void load_defaults(void)
{
    qala_findings *f;
    if (qala_findings_new(&f) || qala_registry_new(&reg) || qala_registry_load_default(reg, f) ||
        qala_framework_new(&fw) || qala_framework_load_default(fw, f))
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
    if (st != QALA_OK && st != QALA_EDATA)
        abort();
    if ((st == QALA_EDATA) != (qala_findings_errors(f) > 0))
        abort();
    size_t n = qala_dataset_size(ds);
    if (n != stats.observations)
        abort();
    const uint32_t *u = qala_dataset_units(ds), *ind = qala_dataset_indicators(ds);
    const qala_period *p = qala_dataset_periods(ds);
    const double *v = qala_dataset_values(ds);
    const uint8_t *fl = qala_dataset_flags(ds);
    for (size_t i = 0; i < n; i++) {
        if (p[i] < opt.period_min || p[i] > opt.period_max)
            abort();
        if (isnan(v[i]) != (fl[i] == QALA_FLAG_CONFIDENTIAL) || isinf(v[i]))
            abort();
        if (i && u[i] == u[i - 1] && ind[i] == ind[i - 1] && p[i] == p[i - 1])
            abort(); /* sorted, so a repeated key would be adjacent */
    }
    qala_findings_free(f);
    qala_dataset_free(ds);
    return 0;
}
