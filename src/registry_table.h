/* src/registry_table.h — reading a CSV table whose columns are found by header name
 * (internal; the registry's five tables, the framework's two and threshold files).
 *
 * The caller describes the columns it knows ({name, required}); the header row is
 * mapped onto them (any order; unknown columns are a warning, duplicate or missing
 * required ones an error). Field readers trim spaces and tabs and report problems as
 * findings at label:line:column through a qala_reporter.
 */
#ifndef QALA_REGISTRY_TABLE_H
#define QALA_REGISTRY_TABLE_H

#include <stddef.h>

#include "findings_internal.h"
#include "io/csv.h"
#include "util/internal.h"

#define QALA_TABLE_MAX_COLS 24

typedef struct qala_table_column {
    const char *name;
    int required;
} qala_table_column;

typedef struct qala_table {
    const char *what;               /* "units", "indicators": for messages */
    const qala_table_column *cols;  /* terminated by {NULL, 0} */
    qala_csv *csv;
    qala_reporter *r;
    long line;                      /* line of the current record */
    int at[QALA_TABLE_MAX_COLS];    /* field of each column, -1 when absent */
    size_t nfields;                 /* fields of the header */
    int have_header;
} qala_table;

/* Opens the reader over text. QALA_ENOMEM. */
qala_status qala_table__open(qala_table *t, const char *what, const qala_table_column *cols,
                             const char *text, size_t len, qala_reporter *r);
void qala_table__close(qala_table *t);
/* Advances to the next data row: 1 when there is one (with the right number of fields),
 * 0 at the end or when the header is unusable, a negative status on a failure that is
 * not about the data (QALA_ENOMEM, QALA_EIO). Reads and maps the header first; bad
 * records become findings and are skipped. */
int qala_table__next(qala_table *t);

/* Field of column k, trimmed (not NUL-terminated), "" when the column is absent; *col
 * is its 1-based position (0 when absent). */
const char *qala_table__field(const qala_table *t, int k, size_t *len, long *col);
/* Reads every row of t, calling stage(ctx) for each while *failed is QALA_OK, then
 * check(ctx) (may be NULL) when nothing has failed; then the outcome: the reader's error,
 * QALA_ENOMEM when staging (*failed) or the findings list (r->failed) ran out of memory,
 * QALA_EDATA "label: N errors in the WHAT table" when r counted errors, else QALA_OK.
 * The loaders then add their staged rows only on QALA_OK. */
qala_status qala_table__stage_all(qala_table *t, qala_reporter *r, const qala_status *failed,
                                  void (*stage)(void *ctx), void (*check)(void *ctx), void *ctx,
                                  const char *label, const char *what);

/* A whole number from lo to hi in s ('+' or '-' sign, no spaces): 1 with *out set, 0
 * when s is empty, not a whole number or out of range. */
int qala_table__parse_int(const char *s, long lo, long hi, int *out);

/* Appends field k (and a NUL) to strs; returns its offset there. On failure sets
 * *failed to QALA_ENOMEM (the loaders check once at the end of the row). */
size_t qala_table__stash(const qala_table *t, int k, qala_buf *strs, qala_status *failed);
/* NUL-terminated copy of field k in buf (cut to size - 1 bytes). */
const char *qala_table__text(const qala_table *t, int k, char *buf, size_t size, long *col);
/* Finding "<column> is empty" unless value is non-empty; returns whether it is. */
int qala_table__required(qala_table *t, int k, const char *value, long col);
/* Date of column k, `open` when empty; 0 with a finding when not YYYY-MM-DD. */
int qala_table__date(qala_table *t, int k, qala_date open, qala_date *out);
/* valid_from / valid_to pair, checked to be from < to. */
int qala_table__period(qala_table *t, int kfrom, int kto, qala_date *from, qala_date *to);
/* Plain decimal number ("-12.5", "1e6"; no grouping, no decimal comma) of column k;
 * `empty` when the field is empty. 0 with a finding when not a number. */
int qala_table__number(qala_table *t, int k, double empty, double *out);

#endif
