/* cli/table.c — one table, three renderings: aligned (and coloured on a terminal),
 * CSV (RFC 4180, stable English column keys) and JSON (an array of objects, numbers
 * as numbers, empty cells as null). Every listing of the tool goes through here.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_table {
    size_t ncols, nrows, cap;
    const char *const *keys;
    const char *const *headings;
    unsigned char *numeric;
    char **cells; /* nrows * ncols */
};

cli_table *cli_table_new(size_t ncols, const char *const *keys, const char *const *headings)
{
    cli_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols;
    t->keys = keys;
    t->headings = headings ? headings : keys;
    t->numeric = calloc(ncols, 1);
    if (!t->numeric) {
        free(t);
        return NULL;
    }
    return t;
}

void cli_table_free(cli_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->numeric);
    free(t);
}

void cli_table_numeric(cli_table *t, size_t c)
{
    t->numeric[c] = 1;
}

int cli_table_add(cli_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        char **p = realloc(t->cells, ncap * t->ncols * sizeof *p);
        if (!p)
            return -1;
        t->cells = p;
        t->cap = ncap;
    }
    for (size_t c = 0; c < t->ncols; c++)
        t->cells[t->nrows * t->ncols + c] = cells[c] ? strdup(cells[c]) : NULL;
    t->nrows++;
    return 0;
}

void cli_csv_field(FILE *f, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
        fwrite(s, 1, n, f);
        return;
    }
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

static void print_csv_field(FILE *f, const char *s)
{
    if (s)
        cli_csv_field(f, s, strlen(s));
}

static void print_csv(FILE *f, const cli_table *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            fputc(',', f);
        print_csv_field(f, t->keys[c]);
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                fputc(',', f);
            print_csv_field(f, t->cells[r * t->ncols + c]);
        }
        fputc('\n', f);
    }
}

static void print_json(FILE *f, const cli_table *t)
{
    json_t *arr = json_array();
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *obj = json_object();
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            json_t *v;
            if (!s || !*s)
                v = json_null();
            else if (t->numeric[c]) {
                char *end;
                double d = strtod(s, &end);
                v = *end ? json_string(s) : json_real(d);
                if (!*end && d == (double)(long long)d && strchr(s, '.') == NULL)
                    v = (json_decref(v), json_integer((json_int_t)d));
            } else
                v = json_string(s);
            json_object_set_new(obj, t->keys[c], v);
        }
        json_array_append_new(arr, obj);
    }
    json_dumpf(arr, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    fputc('\n', f);
    json_decref(arr);
}

static void pad(FILE *f, size_t n)
{
    while (n--)
        fputc(' ', f);
}

static void print_aligned(cli_ctx *ctx, const cli_table *t)
{
    FILE *f = ctx->out;
    size_t *width = calloc(t->ncols, sizeof *width);
    if (!width)
        return;
    for (size_t c = 0; c < t->ncols; c++) {
        width[c] = qala_text_width(t->headings[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t w = s ? qala_text_width(s) : 0;
            if (w > width[c])
                width[c] = w;
        }
    }
    const char *bold = ctx->color ? "\033[1m" : "", *dim = ctx->color ? "\033[2m" : "",
               *reset = ctx->color ? "\033[0m" : "";
    fputs(bold, f);
    for (size_t c = 0; c < t->ncols; c++) {
        size_t w = qala_text_width(t->headings[c]);
        if (t->numeric[c])
            pad(f, width[c] - w);
        fputs(t->headings[c], f);
        if (c + 1 < t->ncols)
            pad(f, (t->numeric[c] ? 0 : width[c] - w) + 2);
    }
    fprintf(f, "%s\n", reset);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            const char *shown = s && *s ? s : "—";
            size_t w = qala_text_width(shown);
            int faint = !(s && *s);
            if (t->numeric[c])
                pad(f, width[c] - w);
            if (faint)
                fputs(dim, f);
            else if (c == 0)
                fputs(ctx->color ? "\033[36m" : "", f);
            fputs(shown, f);
            if (faint || c == 0)
                fputs(reset, f);
            if (c + 1 < t->ncols)
                pad(f, (t->numeric[c] ? 0 : width[c] - w) + 2);
        }
        fputc('\n', f);
    }
    free(width);
}

void cli_table_print(cli_ctx *ctx, const cli_table *t)
{
    switch (ctx->format) {
    case FORMAT_CSV: print_csv(ctx->out, t); break;
    case FORMAT_JSON: print_json(ctx->out, t); break;
    default: print_aligned(ctx, t); break;
    }
}
