/* tests/fuzz/fuzz_import_common.h — what the import fuzz targets (fuzz_import.c,
 * fuzz_sdmx.c, fuzz_xlsx.c, fuzz_thresholds.c) share: the embedded registry and
 * framework, loaded once, and the postconditions every import must meet on any bytes —
 * QALA_OK or QALA_EDATA, QALA_EDATA exactly when there are error findings, the dataset
 * holds exactly stats.observations rows, no key repeated (the dataset is sorted, so a
 * repeated key would be adjacent), every period in the allowed range, no infinite value,
 * and (check_confidential) a missing value exactly where the cell is confidential. Any
 * breach aborts, which libFuzzer reports as a crash.
 */
#ifndef QALA_FUZZ_IMPORT_COMMON_H
#define QALA_FUZZ_IMPORT_COMMON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "qala/qala.h"

static qala_registry *reg;
static qala_framework *fw;

/* The embedded registry and framework into reg and fw (aborts when they do not load). */
static inline void load_registry_and_framework(void)
{
    if (qala_registry_new(&reg) || qala_registry_load_default(reg, NULL) ||
        qala_framework_new(&fw) || qala_framework_load_default(fw, NULL))
        abort();
}

static inline void check_import(qala_status st, const qala_findings *f, const qala_dataset *ds,
                                const qala_import_stats *stats, const qala_import_options *opt,
                                int check_confidential)
{
    if (st != QALA_OK && st != QALA_EDATA) {
        fprintf(stderr, "status %d: %s\n", (int)st, qala_error_last()->message);
        abort();
    }
    if ((st == QALA_EDATA) != (qala_findings_errors(f) > 0))
        abort();
    size_t n = qala_dataset_size(ds);
    if (n != stats->observations)
        abort();
    const uint32_t *u = qala_dataset_units(ds), *ind = qala_dataset_indicators(ds);
    const qala_period *p = qala_dataset_periods(ds);
    const double *v = qala_dataset_values(ds);
    const uint8_t *fl = qala_dataset_flags(ds);
    for (size_t i = 0; i < n; i++) {
        if (p[i] < opt->period_min || p[i] > opt->period_max || isinf(v[i]))
            abort();
        if (check_confidential && isnan(v[i]) != (fl[i] == QALA_FLAG_CONFIDENTIAL))
            abort();
        if (i && u[i] == u[i - 1] && ind[i] == ind[i - 1] && p[i] == p[i - 1])
            abort();
    }
}

#endif
