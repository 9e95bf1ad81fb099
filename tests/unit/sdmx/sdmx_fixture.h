/* tests/unit/sdmx/sdmx_fixture.h — SDMX-CSV tests run against the real Kazakhstan
 * registry and framework embedded in the library (units KZ-KAR, KZ-ALA, ...; indicators
 * population, unemployment_ilo_pct, ...). The SDMX files are written in the tests. */
#ifndef QALA_TEST_SDMX_FIXTURE_H
#define QALA_TEST_SDMX_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/qala.h"

static qala_registry *reg;
static qala_framework *fw;
static qala_dataset *ds;
static qala_findings *fnd;
static qala_sdmx_map *map;
static qala_import_stats stats;

static void fx_setup(void)
{
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, NULL), QALA_OK);
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, NULL), QALA_OK);
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    cr_assert_eq(qala_findings_new(&fnd), QALA_OK);
    map = NULL;
}

static void fx_teardown(void)
{
    qala_sdmx_map_free(map);
    qala_findings_free(fnd);
    qala_dataset_free(ds);
    qala_framework_free(fw);
    qala_registry_free(reg);
}

static inline void fx_map(const char *text)
{
    cr_assert_eq(qala_sdmx_map_new(&map), QALA_OK);
    cr_assert_eq(qala_sdmx_map_load_csv(map, text, strlen(text), "map.csv", NULL), QALA_OK);
}

static inline qala_status fx_import(const char *text, const qala_import_options *opt)
{
    return qala_sdmx_import_buffer(ds, fnd, &stats, text, strlen(text), "in.csv", reg, fw, map, opt);
}

/* The findings as "line:column: severity: message" lines. */
static inline const char *fx_findings(void)
{
    static char buf[8192];
    size_t o = 0;
    buf[0] = '\0';
    qala_findings_sort(fnd);
    for (size_t i = 0; i < qala_findings_count(fnd); i++) {
        const qala_finding *x = qala_findings_get(fnd, i);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%ld:%ld: %s: %s\n", x->line, x->column,
                              x->severity == QALA_SEVERITY_ERROR ? "error" : "warning", x->message);
    }
    return buf;
}

/* The observations as "unit/indicator/period=value[/flag]" joined by spaces. */
static inline const char *fx_obs(void)
{
    static char buf[8192];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < qala_dataset_size(ds); i++) {
        char p[12];
        qala_period_format(p, qala_dataset_periods(ds)[i]);
        uint8_t fl = qala_dataset_flags(ds)[i];
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s/%s/%s=%.15g%s%s", o ? " " : "",
                              qala_dataset_unit_code(ds, qala_dataset_units(ds)[i]),
                              qala_dataset_indicator_code(ds, qala_dataset_indicators(ds)[i]), p,
                              qala_dataset_values(ds)[i], fl ? "/" : "", fl ? qala_flag_code(fl) : "");
    }
    return buf;
}

#endif
