/* qala/report.h — what an analyst opens: the data of the report as one JSON object, and
 * the self-contained HTML report that renders it.
 *
 *   store (or the embedded defaults) ─► qala_report_data ─► JSON text ─► the front end
 *                                                           (web/: HTML + JS + CSS)
 *   qala_report_html = the front end, ECharts and the JSON inlined into one HTML file
 *
 * The JSON object (schema "qala-report/1", docs/report-data.md) holds what every section
 * of the page shows: the typology (groups, Table 1, the map's points and outlines), the
 * threshold scoreboard of one period with the alerts and the monotown categories, the
 * composite index (ranking and sub-indices), differentiation over time (Gini/Theil with
 * the between/within split, σ-convergence), a passport per city and the methodology
 * (framework, thresholds with their sources, index spec, data sources and import
 * batches). Every name is given in kk, ru and en, so the page can switch language
 * without asking again; numbers are plain JSON numbers, a missing figure is null, and a
 * section without any data says so ("no_data": true) instead of being left out. The
 * server (`qala serve`) returns the same object from its API.
 *
 * The data come from a store, or when store is NULL from the data embedded in the
 * library: the registry, framework, default thresholds and the demo statistics (as
 * `qala demo` would store them; the object then says "data": "embedded").
 */
#ifndef QALA_REPORT_H
#define QALA_REPORT_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/index_spec.h"
#include "qala/registry.h"
#include "qala/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The sections of the object (options.sections; 0 means all). */
enum {
    QALA_REPORT_TYPOLOGY = 1u << 0,    /* units, groups (Figure 1), Table 1 */
    QALA_REPORT_MAP = 1u << 1,         /* region outlines (GeoJSON, pre-2018 layout) */
    QALA_REPORT_MONITOR = 1u << 2,     /* thresholds, scoreboard, alerts */
    QALA_REPORT_CATEGORIES = 1u << 3,  /* monotown categories with the rules that fired */
    QALA_REPORT_INDEX = 1u << 4,       /* composite index: ranking and sub-indices */
    QALA_REPORT_INEQUALITY = 1u << 5,  /* Gini/Theil over time, σ-convergence */
    QALA_REPORT_PASSPORTS = 1u << 6,   /* one passport per city (needs MONITOR's data) */
    QALA_REPORT_METHODOLOGY = 1u << 7, /* framework, sources, batches */
    QALA_REPORT_QUALITY = 1u << 8,     /* data-quality checks (qala check): counts, findings */
    QALA_REPORT_ALL = 0x1ffu
};

typedef struct qala_report_options {
    unsigned version;            /* QALA_REPORT_OPTIONS_VERSION */
    qala_lang lang;              /* the page's language at opening (kk, ru, en; kk-latn: kk) */
    qala_period period;          /* the period of the scoreboard, categories and index; 0: the
                                    latest one well covered by data with thresholds */
    qala_date at;                /* the date of the typology (groups, Table 1, the map); 0: today */
    const char *spec;            /* an embedded index spec's name; NULL: "city-development" */
    const qala_index_spec *index_spec; /* a finished spec to use instead (a file), or NULL */
    const char *unit;            /* a unit code: only its passport; NULL: every city */
    unsigned sections;           /* QALA_REPORT_* bits; 0: all */
    size_t sensitivity_runs;     /* > 0: an uncertainty analysis of the index of that many
                                    runs with the default factors (docs/report-data.md:
                                    weights ±25 % below the index, min-max vs z-score), its
                                    rank intervals in index.sensitivity; 0: none (null) */
    unsigned long sensitivity_seed; /* its seed (1), recorded in the object */
} qala_report_options;

#define QALA_REPORT_OPTIONS_VERSION 1
/* At most this many sensitivity runs (QALA_EINVAL beyond). */
#define QALA_REPORT_MAX_SENSITIVITY_RUNS 100000
#define QALA_REPORT_OPTIONS_INIT {QALA_REPORT_OPTIONS_VERSION, QALA_LANG_EN, 0, 0, NULL, NULL, NULL, 0, 0, 1}

/* The report's data as JSON text (UTF-8, NUL-terminated, *len bytes without the NUL),
 * owned by the caller: release with qala_free. store may be NULL (the embedded data).
 * Errors: QALA_EINVAL (bad options, more sensitivity runs than the maximum), QALA_ENOTFOUND (options.unit or options.spec is not
 * known: the message names it), QALA_EDB (the store), QALA_ENOMEM. *out is NULL on error.
 * Work: one monitor evaluation of the period, one index run, one panel per inequality
 * indicator; a few MB for the embedded data; with sensitivity_runs, that many index runs
 * (re-aggregations of two normalisations, in parallel) and 4 bytes per run and unit. A
 * failed sensitivity run fails the report with its error (the message names the run). */
qala_status qala_report_data(char **out, size_t *len, qala_store *store, const qala_report_options *opt);

/* The whole report as one HTML file (UTF-8): web/index.html with web/style.css,
 * ECharts, web/app.js and the data of qala_report_data inlined, so that the page makes
 * no request. Errors and ownership as for qala_report_data. */
qala_status qala_report_html(char **out, size_t *len, qala_store *store, const qala_report_options *opt);

/* Assembles the HTML page around JSON text already built (json, json_len bytes): what
 * qala_report_html does after qala_report_data. QALA_ENOMEM. */
qala_status qala_report_html_from_json(char **out, size_t *len, const char *json, size_t json_len);

#ifdef __cplusplus
}
#endif
#endif
