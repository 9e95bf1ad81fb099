/* qala/sdmx.h — SDMX-CSV 1.0 and 2.0: import into a dataset, export of observations.
 *
 * SDMX-CSV is the CSV form of SDMX data messages. Version 1.0 starts with a DATAFLOW
 * column (AGENCY:ID(VERSION)); version 2.0 with STRUCTURE, STRUCTURE_ID and an optional
 * ACTION. Then come the dimensions, OBS_VALUE and the attributes. qala reads:
 *   REF_AREA     the unit (a registry code, or through the mapping file)
 *   INDICATOR    the indicator (a framework code, or through the mapping file; another
 *                column with the import option map "indicator=COLUMN")
 *   TIME_PERIOD  2022, 2022-Q3, 2022-07 (also 2022-A1, 2022-M07, and the
 *                2022-07-01/P1M, 2022-07-01/P3M, 2022-01-01/P1Y interval forms)
 *   FREQ         optional: A, Q or M, and it must agree with TIME_PERIOD
 *   OBS_VALUE    a number with a decimal point; empty or NaN is missing
 *   OBS_STATUS   optional: A normal, P provisional, E estimated, B break, C confidential
 *                (value dropped), I imputed, M/L/O missing (no observation)
 *   ACTION       (2.0) I, A, R or M are read; D (delete) is refused
 * Headers and codes may carry labels ("REF_AREA: Reference area", "KZ-KAR: Karaganda").
 * Other columns are ignored with one warning. Problems are findings as for the CSV
 * import (qala/import.h): a row with an error adds nothing, repeated keys are errors.
 *
 * The mapping file (docs/data-format.md) is a CSV table dimension,sdmx_code,qala_code
 * translating code lists both ways, e.g. REF_AREA,KZ351,KZ-KAR.
 */
#ifndef QALA_SDMX_H
#define QALA_SDMX_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/dataset.h"
#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/import.h"
#include "qala/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- code-list mapping ---- */
typedef struct qala_sdmx_map qala_sdmx_map;

qala_status qala_sdmx_map_new(qala_sdmx_map **out);
void qala_sdmx_map_free(qala_sdmx_map *map);
/* Reads dimension,sdmx_code,qala_code rows; problems go to findings (may be NULL) with
 * label as the file. QALA_EDATA when any error was found (then nothing was added). */
qala_status qala_sdmx_map_load_csv(qala_sdmx_map *map, const char *text, size_t len,
                                   const char *label, qala_findings *findings);
size_t qala_sdmx_map_count(const qala_sdmx_map *map);
/* The qala code of an SDMX code of a dimension (column id), or NULL; and back. Borrowed. */
const char *qala_sdmx_map_to_qala(const qala_sdmx_map *map, const char *dimension, const char *code);
const char *qala_sdmx_map_to_sdmx(const qala_sdmx_map *map, const char *dimension, const char *code);

/* ---- import ---- */
/* 1 or 2 when the bytes start (after a UTF-8 BOM) with an SDMX-CSV 1.0 or 2.0 header
 * (first column DATAFLOW or STRUCTURE), else 0. */
int qala_sdmx_detect(const char *data, size_t len);

/* Reads an SDMX-CSV file into ds, as qala_import_file does for plain tables (same
 * statuses; stats->layout is QALA_LAYOUT_LONG). map may be NULL. From options, read:
 * encoding, delimiter, map (roles unit, indicator, period, value, flag to column ids),
 * period_min/max, on_reject and on_progress. */
qala_status qala_sdmx_import_file(qala_dataset *ds, qala_findings *findings,
                                  qala_import_stats *stats, const char *path, const char *label,
                                  const qala_registry *reg, const qala_framework *fw,
                                  const qala_sdmx_map *map, const qala_import_options *options);
qala_status qala_sdmx_import_buffer(qala_dataset *ds, qala_findings *findings,
                                    qala_import_stats *stats, const char *data, size_t len,
                                    const char *label, const qala_registry *reg,
                                    const qala_framework *fw, const qala_sdmx_map *map,
                                    const qala_import_options *options);

/* ---- export ---- */
typedef struct qala_sdmx_export_options {
    unsigned version;         /* QALA_SDMX_EXPORT_OPTIONS_VERSION */
    int sdmx_version;         /* 1 or 2 */
    const char *dataflow;     /* AGENCY:ID(VERSION) */
    const qala_sdmx_map *map; /* qala codes back to SDMX codes; NULL: qala's codes */
} qala_sdmx_export_options;

#define QALA_SDMX_EXPORT_OPTIONS_VERSION 1
#define QALA_SDMX_EXPORT_OPTIONS_INIT {QALA_SDMX_EXPORT_OPTIONS_VERSION, 1, "QALA:DF_QALA(1.0)", NULL}

/* QALA_EINVAL with a message unless text is AGENCY:ID(VERSION): agency and id of
 * letters, digits, '_', '-' and '.' (the id without '.'), the version digits and dots. */
qala_status qala_sdmx_check_dataflow(const char *text);
/* The header line, and one observation's line (each ending in "\n"), written into buf
 * like snprintf: the return value is the length the line needs (without the NUL). */
size_t qala_sdmx_format_header(char *buf, size_t size, const qala_sdmx_export_options *options);
size_t qala_sdmx_format_row(char *buf, size_t size, const qala_sdmx_export_options *options,
                            const char *unit, const char *indicator, qala_period period,
                            double value, qala_flag flag);

#ifdef __cplusplus
}
#endif
#endif
