/* qala/xlsx_export.h — a workbook for people who paste into their own reports: the
 * threshold scoreboard with its cells filled by zone, the composite index's ranking, and
 * the stored observations with their flags (`qala export --format xlsx`).
 *
 * Sheets: "Scoreboard" (units × thresholds of one period; each cell holds the
 * transformed value as a number, filled by zone in a colour-blind-safe palette and
 * prefixed by a symbol in its number format — ● normal, ▲ warning, ■ crisis —, empty
 * grey for no data), "Thresholds" (what each scoreboard column tests, with the source),
 * "Index" (rank, unit, index score and the scores of every aggregate), "Observations"
 * (unit, indicator, period, value, flag, batch, line; flagged rows highlighted).
 * Written with libxlsxwriter in constant memory (rows are streamed to a temporary file).
 */
#ifndef QALA_XLSX_EXPORT_H
#define QALA_XLSX_EXPORT_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/registry.h"
#include "qala/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qala_xlsx_options {
    unsigned version;      /* QALA_XLSX_OPTIONS_VERSION */
    qala_lang lang;        /* of names and headings */
    qala_period period;    /* of the scoreboard and the index; 0: the monitor's default
                              (the latest period well covered by data), and the index's own */
    const char *spec;      /* an embedded index spec (default city-development) */
} qala_xlsx_options;

#define QALA_XLSX_OPTIONS_VERSION 1
#define QALA_XLSX_OPTIONS_INIT {QALA_XLSX_OPTIONS_VERSION, QALA_LANG_EN, 0, NULL}

/* Writes the workbook of the store's data to path (replacing it). QALA_EDB (a store
 * without registry), QALA_ENOTFOUND (unknown spec), QALA_EIO (the file can't be
 * written), QALA_ENOMEM. On error no file is left at path. */
qala_status qala_xlsx_export(const char *path, qala_store *store, const qala_xlsx_options *opt);

#ifdef __cplusplus
}
#endif
#endif
