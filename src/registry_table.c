/* src/registry_table.c — CSV tables with named columns, for the registry and framework
 * loaders.
 *
 * Wraps the streaming CSV reader (io/csv.h): maps the header row onto the columns the
 * loader knows, turns reader errors into findings and skips those records, rejects rows
 * whose field count differs from the header's, and offers field readers (trimmed text,
 * dates, plain numbers) that report each problem at label:line:column. One call per
 * field of each row; no allocation after the reader is open.
 */
#include <string.h>

#include "io/number.h"
#include "registry_internal.h"
#include "registry_table.h"
#include "util/internal.h"

#define ERR QALA_SEVERITY_ERROR
#define WARN QALA_SEVERITY_WARNING

qala_status qala_table__open(qala_table *t, const char *what, const qala_table_column *cols,
                             const char *text, size_t len, qala_reporter *r)
{
    memset(t, 0, sizeof *t);
    t->what = what;
    t->cols = cols;
    t->r = r;
    for (int k = 0; k < QALA_TABLE_MAX_COLS; k++)
        t->at[k] = -1;
    return qala_csv__open_buffer(&t->csv, text, len, r->file, NULL);
}

void qala_table__close(qala_table *t)
{
    qala_csv__close(t->csv);
    t->csv = NULL;
}

/* Maps the header; 0 when a required column is missing. */
static int map_header(qala_table *t)
{
    size_t n = qala_csv__nfields(t->csv);
    t->nfields = n;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *name = qala_csv__field(t->csv, i, &len);
        while (len && name[len - 1] == ' ')
            len--;
        while (len && name[0] == ' ')
            name++, len--;
        int k;
        for (k = 0; t->cols[k].name; k++)
            if (strlen(t->cols[k].name) == len && memcmp(t->cols[k].name, name, len) == 0)
                break;
        if (!t->cols[k].name) {
            qala_reporter__add(t->r, WARN, t->line, (long)i + 1, "unknown-column",
                               "unknown column \"%.*s\" in the %s table is ignored",
                               (int)(len > 60 ? 60 : len), name, t->what);
        } else if (t->at[k] >= 0) {
            qala_reporter__add(t->r, ERR, t->line, (long)i + 1, "duplicate-column",
                               "column \"%s\" appears twice", t->cols[k].name);
        } else {
            t->at[k] = (int)i;
        }
    }
    int ok = 1;
    for (int k = 0; t->cols[k].name; k++) {
        if (t->cols[k].required && t->at[k] < 0) {
            qala_reporter__add(t->r, ERR, t->line, 0, "missing-column",
                               "missing column \"%s\" in the header of the %s table",
                               t->cols[k].name, t->what);
            ok = 0;
        }
    }
    return ok;
}

int qala_table__next(qala_table *t)
{
    for (;;) {
        int got = qala_csv__next(t->csv);
        if (got == 0) {
            if (!t->have_header && t->r->errors == 0)
                qala_reporter__add(t->r, ERR, 1, 0, "missing-header",
                                   "the %s table is empty: a header row is required", t->what);
            return 0;
        }
        if (got < 0) {
            if (got != QALA_EPARSE && got != QALA_ELIMIT)
                return got;
            const qala_error *e = qala_error_last();
            qala_reporter__add(t->r, ERR, e->line, e->column, "bad-csv", "%s", e->message);
            if (!t->have_header) /* without a header nothing else can be read */
                return 0;
            continue;
        }
        t->line = qala_csv__line(t->csv);
        if (!t->have_header) {
            t->have_header = 1;
            if (!map_header(t))
                return 0;
            continue;
        }
        size_t n = qala_csv__nfields(t->csv);
        if (n != t->nfields) {
            qala_reporter__add(t->r, ERR, t->line, 0, "field-count",
                               "row has %zu field%s, the header has %zu", n, n == 1 ? "" : "s",
                               t->nfields);
            continue;
        }
        return 1;
    }
}

qala_status qala_table__stage_all(qala_table *t, qala_reporter *r, const qala_status *failed,
                                  void (*stage)(void *ctx), void (*check)(void *ctx), void *ctx,
                                  const char *label, const char *what)
{
    int got = 0;
    while (*failed == QALA_OK && (got = qala_table__next(t)) > 0)
        stage(ctx);
    if (*failed == QALA_OK && got < 0)
        return (qala_status)got;
    if (check && *failed == QALA_OK && r->failed == QALA_OK)
        check(ctx);
    if (*failed != QALA_OK || r->failed != QALA_OK)
        return qala_err__set(QALA_ENOMEM, "out of memory reading %s", label);
    if (r->errors)
        return qala_err__set(QALA_EDATA, "%s: %zu error%s in the %s table", label, r->errors,
                             r->errors == 1 ? "" : "s", what);
    return QALA_OK;
}

int qala_table__parse_int(const char *s, long lo, long hi, int *out)
{
    const char *p = (*s == '+' || *s == '-') ? s + 1 : s;
    long v = 0;
    if (!*p)
        return 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > 100000000)
            return 0;
        v = v * 10 + (*p - '0');
    }
    if (*s == '-')
        v = -v;
    if (v < lo || v > hi)
        return 0;
    *out = (int)v;
    return 1;
}

size_t qala_table__stash(const qala_table *t, int k, qala_buf *strs, qala_status *failed)
{
    size_t len;
    long col;
    const char *s = qala_table__field(t, k, &len, &col);
    size_t off = strs->len;
    if (qala_buf__append(strs, s, len) != QALA_OK || qala_buf__append(strs, "", 1) != QALA_OK)
        *failed = QALA_ENOMEM;
    return off;
}

const char *qala_table__field(const qala_table *t, int k, size_t *len, long *col)
{
    *len = 0;
    *col = t->at[k] >= 0 ? t->at[k] + 1 : 0;
    if (t->at[k] < 0)
        return "";
    const char *s = qala_csv__field(t->csv, (size_t)t->at[k], len);
    while (*len && (s[0] == ' ' || s[0] == '\t'))
        s++, (*len)--;
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

const char *qala_table__text(const qala_table *t, int k, char *buf, size_t size, long *col)
{
    size_t len;
    const char *s = qala_table__field(t, k, &len, col);
    if (len >= size)
        len = size - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

int qala_table__required(qala_table *t, int k, const char *value, long col)
{
    if (value[0])
        return 1;
    qala_reporter__add(t->r, ERR, t->line, col, "empty-value", "%s is empty", t->cols[k].name);
    return 0;
}

int qala_table__date(qala_table *t, int k, qala_date open, qala_date *out)
{
    char buf[64];
    long col;
    const char *s = qala_table__text(t, k, buf, sizeof buf, &col);
    if (!s[0]) {
        *out = open;
        return 1;
    }
    if (qala_date_parse(out, s, 0) != QALA_OK) {
        qala_reporter__add(t->r, ERR, t->line, col, "bad-date",
                           "%s \"%s\" is not a date: expected YYYY-MM-DD", t->cols[k].name, s);
        return 0;
    }
    return 1;
}

int qala_table__period(qala_table *t, int kfrom, int kto, qala_date *from, qala_date *to)
{
    int ok = qala_table__date(t, kfrom, QALA_DATE_MIN, from);
    ok &= qala_table__date(t, kto, QALA_DATE_MAX, to);
    if (ok && *from >= *to) {
        char a[16], b[16];
        qala_registry__date_text(a, *from);
        qala_registry__date_text(b, *to);
        size_t len;
        long col;
        qala_table__field(t, kto, &len, &col);
        qala_reporter__add(t->r, ERR, t->line, col, "bad-period",
                           "valid_from %s is not before valid_to %s", a, b);
        ok = 0;
    }
    return ok;
}

int qala_table__number(qala_table *t, int k, double empty, double *out)
{
    size_t len;
    long col;
    const char *s = qala_table__field(t, k, &len, &col);
    *out = empty;
    if (len == 0)
        return 1;
    unsigned notes = 0;
    double v;
    const unsigned bad = QALA_NUMBER_NOTE_FOOTNOTE | QALA_NUMBER_NOTE_PERCENT |
                         QALA_NUMBER_NOTE_DECIMAL_COMMA | QALA_NUMBER_NOTE_GROUPED;
    if (qala_number__parse(s, len, '.', &v, &notes) != QALA_NUMBER_OK || (notes & bad)) {
        qala_reporter__add(t->r, ERR, t->line, col, "not-a-number",
                           "%s \"%.*s\" is not a number (expected e.g. -12.5)", t->cols[k].name,
                           (int)(len > 40 ? 40 : len), s);
        return 0;
    }
    *out = v;
    return 1;
}
