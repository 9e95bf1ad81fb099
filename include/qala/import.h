/* qala/import.h — reading statistics tables (CSV) into a dataset, with validation.
 *
 * Accepts the long layout (unit, indicator, period, value[, flag]) and two wide ones
 * (a column per indicator; a column per period), detects the delimiter (, ; tab), the
 * encoding (UTF-8 with or without BOM, Windows-1251) and the decimal mark, and reads
 * numbers as official tables write them (thousands separators, decimal comma,
 * missing-value markers, footnote marks). Units and indicators are resolved by code,
 * name or alias through the registry and the framework.
 *
 * Every problem becomes a finding (file, line, column = 1-based CSV column, rule,
 * message). Rows with errors are not added to the dataset; the caller decides whether a
 * file with errors is stored at all (the CLI stores nothing unless --keep-valid).
 * Streaming: memory is bounded by the dataset, not by the file.
 */
#ifndef QALA_IMPORT_H
#define QALA_IMPORT_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/dataset.h"
#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_layout {
    QALA_LAYOUT_AUTO = 0,
    QALA_LAYOUT_LONG,            /* unit, indicator, period, value[, flag] */
    QALA_LAYOUT_WIDE_INDICATORS, /* unit[, period], then one column per indicator */
    QALA_LAYOUT_WIDE_PERIODS     /* unit[, indicator], then one column per period */
} qala_layout;

/* Called for each row rejected with errors: the row's fields as read, and the reason
 * (the first error's message). */
typedef void (*qala_reject_fn)(void *ctx, long line, const char *const *fields,
                               const size_t *lengths, size_t nfields, const char *reason);

typedef struct qala_import_options {
    unsigned version;        /* QALA_IMPORT_OPTIONS_VERSION */
    qala_layout layout;
    const char *encoding;    /* NULL or "auto": detect UTF-8 / Windows-1251; else iconv's name */
    char delimiter;          /* 0: detect */
    const char *map;         /* "role=Header,role=Header": unit, indicator, period, value, flag */
    const char *indicator;   /* the indicator of a table that has no indicator column */
    const char *period;      /* the period of a table that has no period column */
    qala_period period_min;  /* allowed periods, inclusive (default: years 1900 to 2100) */
    qala_period period_max;
    qala_reject_fn on_reject;
    void *reject_ctx;
} qala_import_options;

#define QALA_IMPORT_OPTIONS_VERSION 1
#define QALA_IMPORT_OPTIONS_INIT \
    {QALA_IMPORT_OPTIONS_VERSION, QALA_LAYOUT_AUTO, NULL, 0, NULL, NULL, NULL, 190000, 210099, NULL, NULL}

typedef struct qala_import_stats {
    size_t rows;          /* data rows read */
    size_t observations;  /* added to the dataset */
    size_t missing;       /* cells with a missing-value marker */
    size_t rejected_rows; /* rows with at least one error */
    char encoding[32];    /* "UTF-8", "UTF-8 (BOM)", "WINDOWS-1251", ... */
    char delimiter;
    qala_layout layout;
} qala_import_stats;

/* Reads path into ds. QALA_OK: no errors (warnings may be there). QALA_EDATA: errors in
 * findings; ds holds the valid rows. QALA_EIO when the file can't be read,
 * QALA_ENOMEM. `label` names the file in findings (NULL: path). */
qala_status qala_import_file(qala_dataset *ds, qala_findings *findings, qala_import_stats *stats,
                             const char *path, const char *label, const qala_registry *reg,
                             const qala_framework *fw, const qala_import_options *options);
/* The same for bytes in memory. */
qala_status qala_import_buffer(qala_dataset *ds, qala_findings *findings,
                               qala_import_stats *stats, const char *data, size_t len,
                               const char *label, const qala_registry *reg,
                               const qala_framework *fw, const qala_import_options *options);

#ifdef __cplusplus
}
#endif
#endif
