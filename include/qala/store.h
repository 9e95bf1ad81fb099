/* qala/store.h — the SQLite store: one database file with the registry, the framework,
 * the observations, their revision history and the import batches.
 *
 * Opening applies the schema migrations (schema version in PRAGMA user_version), turns
 * foreign keys on and WAL journalling. Observations are keyed by (unit, indicator,
 * period); a changed value on re-import is a revision: the old value moves to the
 * history with its batch, so "what did we know on date D" can be answered. Every write
 * is one transaction: a failure changes nothing. Only src/store/ knows SQL.
 */
#ifndef QALA_STORE_H
#define QALA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"
#include "qala/dataset.h"
#include "qala/framework.h"
#include "qala/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qala_store qala_store;

typedef enum qala_store_mode {
    QALA_STORE_READ_WRITE = 0, /* the file must exist */
    QALA_STORE_CREATE = 1,     /* create the file when missing */
    QALA_STORE_READ_ONLY = 2
} qala_store_mode;

/* QALA_EIO when the file can't be opened, QALA_EDB when it is not a qala database or
 * its schema is newer than this library. */
qala_status qala_store_open(qala_store **out, const char *path, qala_store_mode mode);
void qala_store_close(qala_store *store);
int qala_store_schema_version(const qala_store *store);
const char *qala_store_path(const qala_store *store);

/* Whether the registry and framework have been saved (qala init). */
int qala_store_is_initialised(qala_store *store);

/* Replaces the stored registry / framework with these (one transaction each). Units
 * that observations refer to can't disappear: QALA_EDB then, nothing changed. */
qala_status qala_store_save_registry(qala_store *store, const qala_registry *reg);
qala_status qala_store_load_registry(qala_store *store, qala_registry **out);
qala_status qala_store_save_framework(qala_store *store, const qala_framework *fw);
qala_status qala_store_load_framework(qala_store *store, qala_framework **out);

typedef struct qala_batch_info {
    const char *file;     /* file name as given */
    const char *sha256;   /* 64 lowercase hex digits of the file's bytes */
    const char *note;     /* free text, may be NULL */
} qala_batch_info;

typedef struct qala_batch_result {
    int64_t batch;        /* id of the new batch; 0 when nothing changed */
    size_t inserted;      /* new keys */
    size_t revised;       /* keys whose value or flag changed */
    size_t unchanged;     /* same value and flag as stored */
} qala_batch_result;

/* Stores the observations of ds (unit and indicator codes must exist in the stored
 * registry/framework: QALA_ENOTFOUND otherwise, nothing changed). A batch that changes
 * nothing is not recorded (re-importing the same file changes nothing). */
qala_status qala_store_import(qala_store *store, const qala_dataset *ds,
                              const qala_batch_info *info, qala_batch_result *result);
/* Stores n data sets (one file each) as n batches in ONE transaction: either all of them
 * are stored or, on any error, none (results zeroed). A data set that changes nothing
 * records no batch (its result has batch 0), as for qala_store_import. */
qala_status qala_store_import_many(qala_store *store, const qala_dataset *const *ds,
                                   const qala_batch_info *info, size_t n,
                                   qala_batch_result *results);

typedef struct qala_store_query {
    const char *const *units;      /* codes; NULL for all */
    size_t nunits;
    const char *const *indicators; /* codes; NULL for all */
    size_t nindicators;
    qala_period period_min, period_max; /* 0 for open */
    const char *as_of;             /* "YYYY-MM-DD[THH:MM:SS]" UTC: values known then; NULL = now */
} qala_store_query;

/* One stored observation as a query gives it. Strings are borrowed for the call. */
typedef struct qala_store_row {
    const char *unit;      /* unit code */
    const char *indicator; /* indicator code */
    qala_period period;
    double value;          /* NAN for a suppressed (confidential) cell */
    qala_flag flag;
    int64_t batch;         /* the import batch that brought the value */
    long line;             /* the row of that batch's file it came from (0: unknown) */
} qala_store_row;

/* Calls fn for each matching observation in key order (registry, then framework order,
 * then period), streaming in constant memory; fn returns nonzero to stop early. */
qala_status qala_store_each_observation(qala_store *store, const qala_store_query *query,
                                        int (*fn)(void *ctx, const qala_store_row *row),
                                        void *ctx);

/* Appends the matching observations to ds (the `lines` column holds the batch id),
 * sorted by unit, indicator, period. */
qala_status qala_store_query_observations(qala_store *store, const qala_store_query *query,
                                          qala_dataset *ds);

typedef struct qala_batch {
    int64_t id;
    char file[256];
    char sha256[65];
    char imported_at[32]; /* ISO 8601 UTC */
    size_t inserted, revised;
} qala_batch;

/* Calls fn for each batch, oldest first; fn returns nonzero to stop. */
qala_status qala_store_list_batches(qala_store *store,
                                    int (*fn)(void *ctx, const qala_batch *batch), void *ctx);

/* ---- threshold files ---- */
/* Stores the text of a threshold file under label (the file name), replacing a file of
 * the same label; the caller checks it first (qala_thresholds_load_csv). */
qala_status qala_store_save_threshold_file(qala_store *store, const char *label, const char *text,
                                           size_t len);
/* Calls fn for each stored threshold file, in the order they were first imported. */
qala_status qala_store_each_threshold_file(qala_store *store,
                                           int (*fn)(void *ctx, const char *label, const char *text,
                                                     size_t len),
                                           void *ctx);

/* ---- an analyst's reading of a flag ---- */
typedef enum qala_verdict {
    QALA_VERDICT_CONFIRMED = 0, /* the flag is a real threat */
    QALA_VERDICT_DISMISSED = 1, /* a false alarm (e.g. a break in series) */
    QALA_VERDICT_WATCH = 2      /* not decided: keep watching */
} qala_verdict;

/* "confirmed", "dismissed", "watch". */
const char *qala_verdict_code(qala_verdict v);
qala_status qala_verdict_parse(qala_verdict *out, const char *text);

typedef struct qala_annotation {
    const char *unit;       /* unit code */
    const char *indicator;  /* indicator code */
    qala_period period;
    qala_verdict verdict;
    const char *note;       /* may be NULL or "" */
    const char *author;     /* required */
    const char *created_at; /* filled in by the store (UTC, ISO 8601) when read back */
} qala_annotation;

/* Records an annotation (a new row: earlier ones stay as history). QALA_ENOTFOUND for a
 * unit or indicator code not in the store, QALA_EINVAL without an author. */
qala_status qala_store_annotate(qala_store *store, const qala_annotation *a);

/* Calls fn for each annotation (unit NULL: of every unit), oldest first; with
 * latest_only, only the latest per unit × indicator × period. fn returns nonzero to stop. */
qala_status qala_store_each_annotation(qala_store *store, const char *unit, int latest_only,
                                       int (*fn)(void *ctx, const qala_annotation *a),
                                       void *ctx);

/* Counts for a summary. */
typedef struct qala_store_counts {
    size_t units, groups, indicators, observations, revisions, batches;
} qala_store_counts;
qala_status qala_store_counts_get(qala_store *store, qala_store_counts *counts);

#ifdef __cplusplus
}
#endif
#endif
