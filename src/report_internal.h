/* src/report_internal.h — what the files of the report builder share (never installed):
 * the builder's context, loaded once by report.c, and the JSON helpers.
 *
 * Every section writer adds its members to ctx->root. Allocation failures of jansson
 * (a NULL value or a failed set) only raise ctx->oom: the writers go on (jansson frees
 * what it was given) and report.c turns the flag into QALA_ENOMEM at the end, so that
 * no writer needs its own cleanup path for JSON values.
 */
#ifndef QALA_REPORT_INTERNAL_H
#define QALA_REPORT_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "qala/category.h"
#include "qala/dataset.h"
#include "qala/framework.h"
#include "qala/index.h"
#include "qala/index_data.h"
#include "qala/index_spec.h"
#include "qala/monitor.h"
#include "qala/registry.h"
#include "qala/report.h"
#include "qala/store.h"
#include "qala/threshold.h"

typedef struct qala_report__ctx {
    qala_store *store;                /* NULL: the embedded data */
    const qala_report_options *opt;
    unsigned sections;
    qala_registry *reg;
    qala_framework *fw;
    qala_thresholds *th;
    qala_dataset *ds;                 /* every observation, sorted */
    size_t *ds_reg;                   /* dataset unit id -> registry index (SIZE_MAX: none) */
    size_t country;                   /* registry index of the country (SIZE_MAX: none) */
    qala_period period;               /* 0 when there is no observation with a threshold */
    qala_date at;
    qala_monitor_result *mon;         /* the period's evaluation, or NULL */
    /* the index, kept for the passports' strengths and weaknesses */
    qala_index_spec *own_spec;        /* loaded by name (else opt->index_spec) */
    const qala_index_spec *spec;
    qala_index_data *idata;
    qala_index_result *ires;
    json_t *root;
    int oom;
} qala_report__ctx;

/* JSON helpers: they never return an error, they raise ctx->oom. */
void qala_report__set(qala_report__ctx *c, json_t *obj, const char *key, json_t *value);
void qala_report__push(qala_report__ctx *c, json_t *arr, json_t *value);
json_t *qala_report__num(double x);   /* null for NAN or infinities */
json_t *qala_report__str(const char *s); /* null for NULL */
json_t *qala_report__period(qala_period p); /* "2022", "2022-Q3"; null for 0 */
json_t *qala_report__date(qala_date d);     /* "YYYY-MM-DD"; null for an open end */
json_t *qala_report__names(const char *const name[3]); /* {"kk","ru","en"} */
/* The unit's official names at ctx->at in kk, ru, en. */
json_t *qala_report__unit_names(qala_report__ctx *c, size_t unit);
/* The dataset code of registry unit u, or NULL. */
const char *qala_report__unit_code(const qala_report__ctx *c, uint32_t ds_unit);

/* The sections (report_monitor.c, report_index.c). */
qala_status qala_report__monitor(qala_report__ctx *c);     /* "monitor", "alerts" */
qala_status qala_report__categories(qala_report__ctx *c);  /* "categories" */
qala_status qala_report__passports(qala_report__ctx *c);   /* "passports", "directions" */
qala_status qala_report__index(qala_report__ctx *c);       /* "index" */
qala_status qala_report__inequality(qala_report__ctx *c);  /* "inequality" */
qala_status qala_report__quality(qala_report__ctx *c);     /* "quality" (report_quality.c) */

/* The embedded asset of web/ called name ("index.html", "style.css", "app.js",
 * "echarts.min.js"): its bytes (static, NUL-terminated) with *len set, or NULL. For the
 * server, which serves the same front end (report_html.c). */
const char *qala_report__web_asset(const char *name, size_t *len);

#endif
