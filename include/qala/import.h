/* qala/import.h — reading statistics tables (CSV, XLSX) into a dataset, with validation.
 *
 * Accepts the long layout (unit, indicator, period, value[, flag]) and two wide ones
 * (a column per indicator; a column per period), detects the delimiter (, ; tab), the
 * encoding (UTF-8 with or without BOM, Windows-1251) and the decimal mark, and reads
 * numbers as official tables write them (thousands separators, decimal comma,
 * missing-value markers, footnote marks). Units and indicators are resolved by code,
 * name or alias through the registry and the framework.
 *
 * XLSX workbooks (recognised by their zip signature or a .xlsx name) are read a sheet at
 * a time as official tables are laid out: a title block above the header, a header over
 * several rows (its cells joined into keys such as "2022|total"), unit names with
 * indentation, notes under the table (docs/data-format.md). Their findings name the
 * Excel row as the line and the column number (A = 1) as the column.
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

/* Called now and then while a file is read (about every 4 MiB), with the bytes read so
 * far and the file's size (0 when unknown). */
typedef void (*qala_progress_fn)(void *ctx, size_t done, size_t total);

/* Called with each line of the preview of how a table is read (options.on_preview): the
 * sheet, the rows taken as title and header, each column's key and what it becomes, the
 * first data rows as unit x period x value, and every skipped row with the reason. One
 * line of text without a newline, valid during the call. */
typedef void (*qala_preview_fn)(void *ctx, const char *line);

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
    qala_progress_fn on_progress;
    void *progress_ctx;
    /* since version 2: XLSX workbooks */
    const char *sheet;       /* sheet name or 1-based number; NULL: the first sheet */
    long skip_rows;          /* rows above the header; -1: detect the title block */
    unsigned header_rows;    /* rows of the header (0: 1), joined into keys "2022|total" */
    qala_preview_fn on_preview; /* NULL: no preview */
    void *preview_ctx;
    size_t preview_rows;     /* data rows shown in the preview (0: 5) */
} qala_import_options;

#define QALA_IMPORT_OPTIONS_VERSION 2
#define QALA_IMPORT_OPTIONS_INIT \
    {QALA_IMPORT_OPTIONS_VERSION, QALA_LAYOUT_AUTO, NULL, 0, NULL, NULL, NULL, 190000, 210099, NULL, NULL, \
     NULL, NULL, NULL, -1, 0, NULL, NULL, 0}

typedef struct qala_import_stats {
    size_t rows;          /* data rows read */
    size_t observations;  /* added to the dataset */
    size_t missing;       /* cells with a missing-value marker */
    size_t rejected_rows; /* rows with at least one error */
    char encoding[32];    /* "UTF-8", "UTF-8 (BOM)", "WINDOWS-1251", ... */
    char delimiter;
    qala_layout layout;
    char sheet[128];      /* XLSX: the sheet read ("" for CSV) */
} qala_import_stats;

/* Reads path into ds. QALA_OK: no errors (warnings may be there). QALA_EDATA: errors in
 * findings; ds holds the valid rows — a workbook that cannot be read (not a zip, no
 * such sheet, bad XML, a zip bomb, a size limit) is such an error, with rule "xlsx".
 * QALA_EIO when the file can't be read, QALA_EINVAL for a bad option (--sheet for a
 * CSV file), QALA_ENOMEM. `label` names the file in findings (NULL: path). */
qala_status qala_import_file(qala_dataset *ds, qala_findings *findings, qala_import_stats *stats,
                             const char *path, const char *label, const qala_registry *reg,
                             const qala_framework *fw, const qala_import_options *options);
/* The same for bytes in memory. */
qala_status qala_import_buffer(qala_dataset *ds, qala_findings *findings,
                               qala_import_stats *stats, const char *data, size_t len,
                               const char *label, const qala_registry *reg,
                               const qala_framework *fw, const qala_import_options *options);
/* The embedded demo statistics of Kazakhstan (the tables demo/NAME.csv of
 * qala_default_data: BNS RK figures, docs/data-sources.md) imported into ds with the
 * default options, one table after another; stops at the first table that fails (its
 * findings in findings, which may be NULL). What the commands read when there is no
 * database. */
qala_status qala_import_demo(qala_dataset *ds, qala_findings *findings,
                             const qala_registry *reg, const qala_framework *fw);

#ifdef __cplusplus
}
#endif
#endif
