/* src/io/xlsx_table.c — an official statistics table on an XLSX sheet, as records.
 *
 * Third stage of an XLSX import: xlsx_sheet.c gives rows of cells; here they become a
 * header record and data records for the importer (through records.c), the way a
 * person reads a table published by a statistics office:
 *   title block   rows 1..R with --skip-rows R; without it, the leading rows whose only
 *                 filled cell is in column A (a title merged across the table, a
 *                 subtitle) — a lone year over the data columns starts the header;
 *   header        the next K rows (--header-rows K, default 1): the cells of each
 *                 column, merged ranges filled in, joined top to bottom with "|" after
 *                 dropping empty parts and repeats ("2022" over "total" → "2022|total",
 *                 "Region" merged down two rows → "Region");
 *   data          every following row with its Excel row number as its line; a row with
 *                 only its first cell filled is a heading ("including:") and skipped;
 *                 the first cell's indent level is kept (the format's indent, else one
 *                 level per two leading spaces);
 *   notes         the table ends at the first empty row after data, or at a row whose
 *                 first cell starts with a footnote mark (*, ¹, "1)") or "Note",
 *                 "Source", "Примечание", "Источник", "Ескерту", "Дереккөз": the rest
 *                 of the sheet is read only to list it as notes.
 * Everything skipped is noted ("row 3: title \"...\"") for the preview.
 * Invariants: the header keys are built once (one buffer); data fields are the sheet's
 * own cells, borrowed. Memory: the header rows, one data row, 64 notes.
 */
#include <stdio.h>
#include <string.h>

#include "io/records.h"
#include "util/internal.h"

#define MAX_HEADER_ROWS 20u
#define MAX_NOTES 64

enum state { BEFORE_HEADER, IN_DATA, AFTER_TABLE, FINISHED };

typedef struct hcell {
    unsigned k;   /* header row, 0-based */
    size_t col;
    size_t off, len;
} hcell;

struct qala_xlsx_table {
    qala_xlsx_sheet *sheet;
    size_t sheet_index;
    long skip_rows;
    unsigned header_rows;
    enum state state;
    int pending;           /* the sheet's current row is read but not yet used */
    int is_header;
    long header_first, header_last, prev_row;
    int data_seen;
    /* header keys: "key\0key\0..." */
    qala_buf keys;
    size_t *key_off;
    size_t nkeys;
    size_t nfields;
    unsigned level;
    char *notes[MAX_NOTES];
    size_t nnotes, skipped;
};

/* ---- notes -------------------------------------------------------------------------- */

/* The first filled cell of the current row, or "". */
static const char *first_text(const qala_xlsx_sheet *s, size_t *col)
{
    for (size_t j = 0; j < qala_xlsx__sheet_ncells(s); j++) {
        size_t len;
        const char *t = qala_xlsx__sheet_cell(s, j, &len, NULL);
        if (len) {
            if (col)
                *col = j;
            return t;
        }
    }
    return "";
}

static size_t filled_cells(const qala_xlsx_sheet *s)
{
    size_t n = 0;
    for (size_t j = 0; j < qala_xlsx__sheet_ncells(s); j++) {
        size_t len;
        qala_xlsx__sheet_cell(s, j, &len, NULL);
        n += len > 0;
    }
    return n;
}

/* Up to max bytes of text, cut at a character boundary. */
static int utf8_cut(const char *t, int max)
{
    int n = (int)strlen(t);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)t[max] & 0xC0) == 0x80)
        max--;
    return max;
}

static qala_status note(qala_xlsx_table *t, long row, const char *what, const char *text)
{
    t->skipped++;
    if (t->nnotes >= MAX_NOTES)
        return QALA_OK;
    char buf[256];
    int n = utf8_cut(text, 80);
    snprintf(buf, sizeof buf, text[0] ? "row %ld: %s \"%.*s%s\"" : "row %ld: %s", row, what, n, text,
             (size_t)n < strlen(text) ? "..." : "");
    if (!(t->notes[t->nnotes] = qala_mem__strdup(buf)))
        return qala_err__set(QALA_ENOMEM, "out of memory");
    t->nnotes++;
    return QALA_OK;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A footnote or the note block under a table. */
static int is_footnote(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == '*' || (u[0] == 0xC2 && (u[1] == 0xB9 || u[1] == 0xB2 || u[1] == 0xB3)) ||
        (u[0] == 0xE2 && u[1] == 0x81 && (u[2] == 0xB0 || (u[2] >= 0xB4 && u[2] <= 0xB9))))
        return 1;
    size_t d = strspn(s, "0123456789");
    if (d >= 1 && d <= 2 && s[d] == ')')
        return 1;
    static const char *const words[] = {"Note", "NOTE", "note", "Source", "SOURCE", "source",
                                        "Примечани", "ПРИМЕЧАНИ", "примечани", "Источник", "ИСТОЧНИК",
                                        "источник", "Ескерту", "ЕСКЕРТУ", "ескерту", "Дереккөз",
                                        "ДЕРЕККӨЗ", "дереккөз", "Сноск", "сноск"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (starts_with(s, words[i]))
            return 1;
    return 0;
}

/* ---- the header -------------------------------------------------------------------------- */

static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    for (;;) {
        if (n && (p[0] == ' ' || p[0] == '\t' || p[0] == '\n' || p[0] == '\r'))
            p++, n--;
        else if (n >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
            p += 2, n -= 2;
        else
            break;
    }
    for (;;) {
        if (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
            n--;
        else if (n >= 2 && (unsigned char)p[n - 2] == 0xC2 && (unsigned char)p[n - 1] == 0xA0)
            n -= 2;
        else
            break;
    }
    *s = p;
    *len = n;
}

/* Appends a header part with line breaks turned into spaces. */
static qala_status append_part(qala_buf *b, const char *s, size_t len)
{
    qala_status st = QALA_OK;
    for (size_t i = 0; i < len && st == QALA_OK; i++)
        st = qala_buf__putc(b, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
    return st;
}

/* Builds the keys from the header rows' cells (texts in htext). */
static qala_status build_keys(qala_xlsx_table *t, const qala_buf *htext, const hcell *cells, size_t ncells)
{
    size_t width = 0, K = t->header_rows;
    for (size_t i = 0; i < ncells; i++)
        if (cells[i].col + 1 > width)
            width = cells[i].col + 1;
    /* merged ranges whose top-left cell is in the header widen it */
    for (size_t m = 0; m < qala_xlsx__sheet_nmerged(t->sheet); m++) {
        const qala_xlsx_range *r = qala_xlsx__sheet_merged(t->sheet, m);
        if (r->row1 >= t->header_first && r->row1 <= t->header_last && r->col2 + 1 > width)
            for (size_t i = 0; i < ncells; i++)
                if (cells[i].k == (unsigned)(r->row1 - t->header_first) && cells[i].col == r->col1)
                    width = r->col2 + 1;
    }
    qala_status st = QALA_OK;
    long *grid = width ? qala_mem__malloc(width * K * sizeof *grid) : NULL;
    if (width && !grid)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    for (size_t i = 0; i < width * K; i++)
        grid[i] = -1;
    for (size_t i = 0; i < ncells; i++)
        grid[cells[i].k * width + cells[i].col] = (long)i;
    for (size_t m = 0; m < qala_xlsx__sheet_nmerged(t->sheet); m++) {
        const qala_xlsx_range *r = qala_xlsx__sheet_merged(t->sheet, m);
        if (r->row1 < t->header_first || r->row1 > t->header_last || r->col1 >= width)
            continue;
        long top = grid[(size_t)(r->row1 - t->header_first) * width + r->col1];
        for (long row = r->row1; top >= 0 && row <= r->row2 && row <= t->header_last; row++)
            for (size_t c = r->col1; c <= r->col2 && c < width; c++)
                if (grid[(size_t)(row - t->header_first) * width + c] < 0)
                    grid[(size_t)(row - t->header_first) * width + c] = top;
    }
    if (!(t->key_off = qala_mem__calloc(width ? width : 1, sizeof *t->key_off))) {
        st = qala_err__set(QALA_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < width && st == QALA_OK; c++) {
        t->key_off[c] = t->keys.len;
        const char *prev = NULL;
        size_t prev_len = 0;
        for (size_t k = 0; k < K && st == QALA_OK; k++) {
            long i = grid[k * width + c];
            if (i < 0)
                continue;
            const char *s = htext->data + cells[i].off;
            size_t len = cells[i].len;
            trim(&s, &len);
            if (len == 0 || (prev && prev_len == len && memcmp(prev, s, len) == 0))
                continue;
            if (prev)
                st = qala_buf__putc(&t->keys, '|');
            if (st == QALA_OK)
                st = append_part(&t->keys, s, len);
            prev = s;
            prev_len = len;
        }
        if (st == QALA_OK)
            st = qala_buf__putc(&t->keys, '\0');
    }
    t->nkeys = width;
done:
    qala_mem__free(grid);
    return st;
}

/* Reads the header rows, starting with the sheet's current row. */
static int read_header(qala_xlsx_table *t)
{
    qala_buf htext;
    qala_buf__init(&htext, 0);
    hcell *cells = NULL;
    size_t ncells = 0, cap = 0;
    int r = 1;
    t->header_first = qala_xlsx__sheet_row(t->sheet);
    t->header_last = t->header_first + (long)t->header_rows - 1;
    t->pending = 0;
    for (;;) {
        long row = qala_xlsx__sheet_row(t->sheet);
        if (row > t->header_last) {
            t->pending = 1;
            break;
        }
        for (size_t j = 0; j < qala_xlsx__sheet_ncells(t->sheet); j++) {
            size_t len;
            const char *s = qala_xlsx__sheet_cell(t->sheet, j, &len, NULL);
            if (len == 0)
                continue;
            qala_status st = qala_mem__grow((void **)&cells, &cap, ncells + 1, sizeof *cells);
            size_t off = htext.len;
            if (st == QALA_OK && (st = qala_buf__append(&htext, s, len)) == QALA_OK)
                st = qala_buf__putc(&htext, '\0');
            if (st != QALA_OK) {
                r = st;
                goto done;
            }
            cells[ncells++] = (hcell){(unsigned)(row - t->header_first), j, off, len};
        }
        t->prev_row = row;
        if ((r = qala_xlsx__sheet_next(t->sheet)) <= 0)
            break;
    }
    qala_status st = build_keys(t, &htext, cells, ncells);
    if (st != QALA_OK)
        r = st;
    else if (r == 0)
        r = 1; /* a header without data rows is still a header */
done:
    qala_buf__free(&htext);
    qala_mem__free(cells);
    return r;
}

/* ---- records ---------------------------------------------------------------------------- */

/* Reads the rest of the sheet as notes. */
static int drain(qala_xlsx_table *t)
{
    int r;
    while ((r = qala_xlsx__sheet_next(t->sheet)) > 0) {
        qala_status st = note(t, qala_xlsx__sheet_row(t->sheet), "note under the table",
                              first_text(t->sheet, NULL));
        if (st != QALA_OK)
            return st;
    }
    t->state = FINISHED;
    return r;
}

static unsigned level_of(const qala_xlsx_sheet *s)
{
    unsigned indent;
    size_t len;
    const char *c = qala_xlsx__sheet_cell(s, 0, &len, &indent);
    if (indent)
        return indent;
    unsigned spaces = 0;
    for (size_t i = 0; i < len; i++) {
        if (c[i] == ' ')
            spaces++;
        else if ((unsigned char)c[i] == 0xC2 && i + 1 < len && (unsigned char)c[i + 1] == 0xA0)
            spaces++, i++;
        else
            break;
    }
    return (spaces + 1) / 2;
}

int qala_xlsx_table__next(qala_xlsx_table *t)
{
    int r;
    qala_status st;
    t->is_header = 0;
    if (t->state == FINISHED)
        return 0;
    if (t->state == AFTER_TABLE)
        return drain(t);
    if (t->state == BEFORE_HEADER) {
        while ((r = qala_xlsx__sheet_next(t->sheet)) > 0) {
            long row = qala_xlsx__sheet_row(t->sheet);
            const char *first = first_text(t->sheet, NULL);
            size_t col = 0;
            first_text(t->sheet, &col);
            if (t->skip_rows >= 0 ? row <= t->skip_rows : filled_cells(t->sheet) < 2 && col == 0) {
                if ((st = note(t, row, t->skip_rows >= 0 ? "skipped (--skip-rows)" : "title", first)) != QALA_OK)
                    return st;
                continue;
            }
            break;
        }
        if (r <= 0) {
            t->state = FINISHED;
            return r;
        }
        if ((r = read_header(t)) < 0) {
            t->state = FINISHED;
            return r;
        }
        t->state = IN_DATA;
        t->is_header = 1;
        t->nfields = t->nkeys;
        return 1;
    }
    for (;;) {
        if (t->pending) {
            t->pending = 0;
        } else if ((r = qala_xlsx__sheet_next(t->sheet)) <= 0) {
            t->state = FINISHED;
            return r;
        }
        long row = qala_xlsx__sheet_row(t->sheet);
        size_t filled = filled_cells(t->sheet), col = 0;
        const char *first = first_text(t->sheet, &col);
        int gap = row > t->prev_row + 1;
        t->prev_row = row;
        if (t->data_seen && (gap || filled == 0)) {
            if ((st = note(t, row, filled ? "note under the table" : "empty: the table ends", first)) != QALA_OK)
                return st;
            t->state = AFTER_TABLE;
            return drain(t);
        }
        if (filled == 0) {
            if ((st = note(t, row, "empty", "")) != QALA_OK)
                return st;
            continue;
        }
        if (is_footnote(first)) {
            if ((st = note(t, row, "footnote: the table ends", first)) != QALA_OK)
                return st;
            t->state = AFTER_TABLE;
            return drain(t);
        }
        if (filled == 1 && col == 0 && t->nkeys > 1) {
            if ((st = note(t, row, "heading without values", first)) != QALA_OK)
                return st;
            continue;
        }
        t->data_seen = 1;
        size_t n = qala_xlsx__sheet_ncells(t->sheet);
        t->nfields = n > t->nkeys ? n : t->nkeys;
        t->level = level_of(t->sheet);
        return 1;
    }
}

qala_status qala_xlsx_table__open(qala_xlsx_table **out, qala_xlsx *x, const qala_records_options *o)
{
    *out = NULL;
    if (o->header_rows > MAX_HEADER_ROWS)
        return qala_err__set(QALA_EINVAL, "--header-rows %u: at most %u rows", o->header_rows, MAX_HEADER_ROWS);
    size_t index;
    qala_status st = qala_xlsx__find_sheet(x, o->sheet, &index);
    if (st != QALA_OK)
        return st;
    qala_xlsx_table *t = qala_mem__calloc(1, sizeof *t);
    if (!t)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    t->sheet_index = index;
    t->skip_rows = o->skip_rows;
    t->header_rows = o->header_rows ? o->header_rows : 1;
    qala_buf__init(&t->keys, 0);
    if ((st = qala_xlsx__sheet_open(&t->sheet, x, index)) != QALA_OK) {
        qala_mem__free(t);
        return st;
    }
    *out = t;
    return QALA_OK;
}

void qala_xlsx_table__close(qala_xlsx_table *t)
{
    if (!t)
        return;
    qala_xlsx__sheet_close(t->sheet);
    qala_buf__free(&t->keys);
    qala_mem__free(t->key_off);
    for (size_t i = 0; i < t->nnotes; i++)
        qala_mem__free(t->notes[i]);
    qala_mem__free(t);
}

size_t qala_xlsx_table__nfields(const qala_xlsx_table *t) { return t->nfields; }

const char *qala_xlsx_table__field(const qala_xlsx_table *t, size_t i, size_t *len)
{
    if (t->is_header) {
        const char *k = i < t->nkeys ? t->keys.data + t->key_off[i] : "";
        *len = strlen(k);
        return k;
    }
    return qala_xlsx__sheet_cell(t->sheet, i, len, NULL);
}

long qala_xlsx_table__line(const qala_xlsx_table *t)
{
    return t->is_header ? t->header_first : qala_xlsx__sheet_row(t->sheet);
}

size_t qala_xlsx_table__bytes_read(const qala_xlsx_table *t) { return qala_xlsx__sheet_bytes_read(t->sheet); }
size_t qala_xlsx_table__bytes_total(const qala_xlsx_table *t) { return qala_xlsx__sheet_bytes_total(t->sheet); }
size_t qala_xlsx_table__sheet_number(const qala_xlsx_table *t) { return t->sheet_index + 1; }
unsigned qala_xlsx_table__level(const qala_xlsx_table *t) { return t->is_header ? 0 : t->level; }
size_t qala_xlsx_table__nnotes(const qala_xlsx_table *t) { return t->nnotes; }
const char *qala_xlsx_table__note(const qala_xlsx_table *t, size_t i) { return t->notes[i]; }
size_t qala_xlsx_table__skipped(const qala_xlsx_table *t) { return t->skipped; }

void qala_xlsx_table__header_rows(const qala_xlsx_table *t, long *first, long *last)
{
    *first = t->header_first;
    *last = t->header_last;
}
