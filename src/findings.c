/* src/findings.c — the list of problems found in the user's data.
 *
 * Every reader and validator appends here (one finding per bad cell, so up to the cap,
 * 10,000 by default, per import); the CLI and the report read the list once. A finding
 * owns its message; the file label and the rule name are interned (one copy per
 * distinct value, found through a hash index), since an import repeats the same few
 * thousands of times. Beyond the cap, findings are counted by severity and dropped.
 * Sorting is stable: equal (file, line, column) keep the order in which they were added.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qala/findings.h"
#include "findings_internal.h"
#include "registry_index.h"
#include "util/internal.h"

#define DEFAULT_CAP 10000

typedef struct entry {
    qala_finding f; /* first, so that a pointer to the entry is a pointer to f */
    size_t seq;     /* order of addition, the last sort key */
} entry;

struct qala_findings {
    entry *items;
    size_t n, alloc;
    size_t cap;
    size_t errors, warnings;
    size_t seq;
    char **strings; /* interned labels and rules */
    size_t nstrings, strings_alloc;
    qala_strindex ix;
};

static const char *string_key(const void *ctx, size_t i)
{
    return ((const qala_findings *)ctx)->strings[i];
}

qala_status qala_findings_new(qala_findings **out)
{
    *out = NULL;
    qala_findings *f = qala_mem__calloc(1, sizeof *f);
    if (!f)
        return qala_err__set(QALA_ENOMEM, "out of memory creating a findings list");
    f->cap = DEFAULT_CAP;
    qala_strindex__init(&f->ix, 0, string_key, f);
    *out = f;
    return QALA_OK;
}

static void drop_entries(qala_findings *f, size_t from)
{
    for (size_t i = from; i < f->n; i++)
        qala_mem__free((char *)f->items[i].f.message);
    f->n = from;
}

void qala_findings_clear(qala_findings *f)
{
    drop_entries(f, 0);
    for (size_t i = 0; i < f->nstrings; i++)
        qala_mem__free(f->strings[i]);
    f->nstrings = 0;
    qala_strindex__clear(&f->ix);
    f->errors = f->warnings = 0;
    f->seq = 0;
}

void qala_findings_free(qala_findings *f)
{
    if (!f)
        return;
    qala_findings_clear(f);
    qala_mem__free(f->items);
    qala_mem__free(f->strings);
    qala_strindex__free(&f->ix);
    qala_mem__free(f);
}

void qala_findings_set_cap(qala_findings *f, size_t cap)
{
    f->cap = cap;
    if (f->n > cap)
        drop_entries(f, cap);
}

/* The interned copy of s (NULL when out of memory). */
static const char *intern(qala_findings *f, const char *s)
{
    size_t cursor = 0, i;
    if (qala_strindex__next(&f->ix, s, &cursor, &i))
        return f->strings[i];
    if (qala_mem__grow((void **)&f->strings, &f->strings_alloc, f->nstrings + 1,
                       sizeof *f->strings) != QALA_OK ||
        qala_strindex__reserve(&f->ix, 1) != QALA_OK)
        return NULL;
    char *copy = qala_mem__strdup(s);
    if (!copy)
        return NULL;
    f->strings[f->nstrings] = copy;
    qala_strindex__insert(&f->ix, copy, f->nstrings);
    f->nstrings++;
    return copy;
}

/* Formats the message, with any line break made a space (a finding is one line). */
static char *format_message(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *msg = qala_mem__malloc((size_t)n + 1);
    if (!msg)
        return NULL;
    if (n > 0)
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
    msg[n] = '\0';
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return msg;
}

qala_status qala_findings__vadd(qala_findings *f, qala_severity severity, const char *file,
                                long line, long column, const char *rule, const char *fmt,
                                va_list ap)
{
    assert(f && fmt);
    assert(severity == QALA_SEVERITY_WARNING || severity == QALA_SEVERITY_ERROR);
    if (severity == QALA_SEVERITY_ERROR)
        f->errors++;
    else
        f->warnings++;
    if (f->n >= f->cap)
        return QALA_OK;

    if (qala_mem__grow((void **)&f->items, &f->alloc, f->n + 1, sizeof *f->items) != QALA_OK)
        goto nomem;
    const char *ifile = intern(f, file ? file : "");
    const char *irule = ifile ? intern(f, rule ? rule : "") : NULL;
    if (!irule)
        goto nomem;
    char *msg = format_message(fmt, ap);
    if (!msg)
        goto nomem;
    entry *e = &f->items[f->n++];
    e->f = (qala_finding){severity, ifile, line, column, irule, msg};
    e->seq = f->seq++;
    return QALA_OK;
nomem:
    /* Not stored: keep the totals equal to what the list holds plus what the cap dropped. */
    if (severity == QALA_SEVERITY_ERROR)
        f->errors--;
    else
        f->warnings--;
    return qala_err__set(QALA_ENOMEM, "out of memory adding a finding");
}

qala_status qala_findings_add(qala_findings *f, qala_severity severity, const char *file,
                              long line, long column, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    qala_status st = qala_findings__vadd(f, severity, file, line, column, rule, fmt, ap);
    va_end(ap);
    return st;
}

void qala_reporter__add(qala_reporter *r, qala_severity severity, long line, long column,
                        const char *rule, const char *fmt, ...)
{
    if (severity == QALA_SEVERITY_ERROR)
        r->errors++;
    else
        r->warnings++;
    if (!r->findings)
        return;
    va_list ap;
    va_start(ap, fmt);
    qala_status st = qala_findings__vadd(r->findings, severity, r->file, line, column, rule,
                                         fmt, ap);
    va_end(ap);
    if (st != QALA_OK && r->failed == QALA_OK)
        r->failed = st;
}

size_t qala_findings_count(const qala_findings *f) { return f->n; }
size_t qala_findings_errors(const qala_findings *f) { return f->errors; }
size_t qala_findings_warnings(const qala_findings *f) { return f->warnings; }

const qala_finding *qala_findings_get(const qala_findings *f, size_t i)
{
    return i < f->n ? &f->items[i].f : NULL;
}

static int cmp_entry(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    if (a->f.file != b->f.file) { /* interned: equal text is the same pointer */
        int c = strcmp(a->f.file, b->f.file);
        if (c)
            return c;
    }
    if (a->f.line != b->f.line)
        return a->f.line < b->f.line ? -1 : 1;
    if (a->f.column != b->f.column)
        return a->f.column < b->f.column ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void qala_findings_sort(qala_findings *f)
{
    if (f->n > 1)
        qsort(f->items, f->n, sizeof *f->items, cmp_entry);
}
