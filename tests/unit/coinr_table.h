/* tests/unit/coinr_table.h — reads one of COINr's ASEM tables (../shared/data/coinr-asem,
 * COINr's own outputs: the oracle of the composite-index conformance tests) into memory:
 * the header, the unit codes (first column) and every cell as text and as a number (NAN
 * for "NA", empty or non-numeric cells). For tests only; uses the library's CSV reader.
 *
 *   coinr_table t;
 *   coinr_load(&t, "expected/ASEM_COIN_Normalised.csv");   // relative to coinr-asem/
 *   double v = coinr_get(&t, "AUT", "Goods");
 *   coinr_free(&t);
 */
#ifndef QALA_TEST_COINR_TABLE_H
#define QALA_TEST_COINR_TABLE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

typedef struct coinr_table {
    size_t nrows, ncols;
    char **header;  /* ncols */
    char **text;    /* nrows * ncols */
    double *value;  /* nrows * ncols */
} coinr_table;

static inline char *coinr_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    cr_assert_not_null(p);
    memcpy(p, s, n);
    return p;
}

/* Loads QALA_SHARED_DIR/data/coinr-asem/<name>. */
static inline void coinr_load(coinr_table *t, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/data/coinr-asem/%s", QALA_SHARED_DIR, name);
    memset(t, 0, sizeof *t);
    qala_csv *csv;
    cr_assert_eq(qala_csv__open_file(&csv, path, NULL, NULL), QALA_OK, "cannot open %s", path);
    cr_assert_eq(qala_csv__next(csv), 1, "%s: no header", path);
    t->ncols = qala_csv__nfields(csv);
    t->header = calloc(t->ncols, sizeof *t->header);
    for (size_t j = 0; j < t->ncols; j++)
        t->header[j] = coinr_strdup(qala_csv__field(csv, j, NULL));
    size_t cap = 0;
    int r;
    while ((r = qala_csv__next(csv)) == 1) {
        cr_assert_eq(qala_csv__nfields(csv), t->ncols, "%s:%ld: field count", path, qala_csv__line(csv));
        if (t->nrows == cap) {
            cap = cap ? cap * 2 : 64;
            t->text = realloc(t->text, cap * t->ncols * sizeof *t->text);
            t->value = realloc(t->value, cap * t->ncols * sizeof *t->value);
            cr_assert(t->text && t->value);
        }
        for (size_t j = 0; j < t->ncols; j++) {
            const char *s = qala_csv__field(csv, j, NULL);
            char *end;
            double v = strtod(s, &end);
            t->text[t->nrows * t->ncols + j] = coinr_strdup(s);
            t->value[t->nrows * t->ncols + j] = (*s && !*end && strcmp(s, "NA") != 0) ? v : NAN;
        }
        t->nrows++;
    }
    cr_assert_eq(r, 0, "%s: %s", path, qala_error_last()->message);
    qala_csv__close(csv);
}

static inline void coinr_free(coinr_table *t)
{
    for (size_t j = 0; j < t->ncols; j++)
        free(t->header[j]);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->text[i]);
    free(t->header);
    free(t->text);
    free(t->value);
    memset(t, 0, sizeof *t);
}

/* Column index of a header name, or (size_t)-1. */
static inline size_t coinr_col(const coinr_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->header[j], name) == 0)
            return j;
    return (size_t)-1;
}

/* Row index of a unit code (first column), or (size_t)-1. */
static inline size_t coinr_row(const coinr_table *t, const char *unit)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (strcmp(t->text[i * t->ncols], unit) == 0)
            return i;
    return (size_t)-1;
}

static inline double coinr_get(const coinr_table *t, const char *unit, const char *col)
{
    size_t i = coinr_row(t, unit), j = coinr_col(t, col);
    cr_assert(i != (size_t)-1 && j != (size_t)-1, "no cell %s/%s", unit, col);
    return t->value[i * t->ncols + j];
}

/* Copies column col (a numeric column) into out[0..nrows). */
static inline void coinr_column(const coinr_table *t, const char *col, double *out)
{
    size_t j = coinr_col(t, col);
    cr_assert(j != (size_t)-1, "no column %s", col);
    for (size_t i = 0; i < t->nrows; i++)
        out[i] = t->value[i * t->ncols + j];
}

/* a and b equal to rel relative (absolute near 0), or both NAN. */
static inline int coinr_close(double a, double b, double rel)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    double scale = fabs(b) > 1 ? fabs(b) : 1;
    return fabs(a - b) <= rel * scale;
}

#endif
