/* src/io/records.c — the importer's record source: a CSV reader or an XLSX table.
 *
 * Chooses the reader from the file's first bytes (a zip signature: XLSX; an OLE
 * signature: an old .xls, refused with advice) or its name (*.xlsx, *.xlsm), then
 * forwards each call to qala_csv or qala_xlsx_table. Invariant: exactly one of csv and
 * table is set; for XLSX the workbook lives as long as the table. Workload: one call per
 * record and field, so the dispatch is a plain branch.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "io/records.h"
#include "util/internal.h"

struct qala_records {
    qala_csv *csv;
    qala_xlsx *xlsx;
    qala_xlsx_table *table;
};

static const qala_records_options default_options = QALA_RECORDS_OPTIONS_INIT;

static int is_zip(const unsigned char *b, size_t n)
{
    return n >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
}

static int is_ole(const unsigned char *b, size_t n)
{
    static const unsigned char sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    return n >= 8 && memcmp(b, sig, 8) == 0;
}

static int has_xlsx_name(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && (strcasecmp(path + n - 5, ".xlsx") == 0 || strcasecmp(path + n - 5, ".xlsm") == 0);
}

static qala_status csv_only(const qala_records_options *o, const char *label)
{
    const char *opt = o->sheet ? "--sheet" : o->skip_rows >= 0 ? "--skip-rows" : o->header_rows > 1 ? "--header-rows" : NULL;
    if (opt)
        return qala_err__set(QALA_EINVAL, "%s is for XLSX workbooks; %s is read as CSV", opt, label);
    return QALA_OK;
}

static qala_status open_table(qala_records **out, qala_records *r, const qala_records_options *o)
{
    qala_status st = qala_xlsx_table__open(&r->table, r->xlsx, o);
    if (st != QALA_OK) {
        qala_records__close(r);
        return st;
    }
    *out = r;
    return QALA_OK;
}

qala_status qala_records__open_file(qala_records **out, const char *path, const char *label,
                                    const qala_records_options *o)
{
    *out = NULL;
    if (!o)
        o = &default_options;
    if (!label)
        label = path;
    unsigned char head[8] = {0};
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    if (is_ole(head, n))
        return qala_err__set_at(QALA_EPARSE, label, 0, 0,
                                "an Excel 97-2003 (.xls) file or an encrypted workbook: save it as .xlsx");
    qala_records *r = qala_mem__calloc(1, sizeof *r);
    if (!r)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    qala_status st;
    if (f && (is_zip(head, n) || has_xlsx_name(path))) {
        if ((st = qala_xlsx__open_file(&r->xlsx, path, label, o->limits)) != QALA_OK) {
            qala_mem__free(r);
            return st;
        }
        return open_table(out, r, o);
    }
    if ((st = csv_only(o, label)) != QALA_OK || (st = qala_csv__open_file(&r->csv, path, label, &o->csv)) != QALA_OK) {
        qala_mem__free(r);
        return st;
    }
    *out = r;
    return QALA_OK;
}

qala_status qala_records__open_buffer(qala_records **out, const char *data, size_t len,
                                      const char *label, const qala_records_options *o)
{
    *out = NULL;
    if (!o)
        o = &default_options;
    if (!label)
        label = "<buffer>";
    if (is_ole((const unsigned char *)data, len))
        return qala_err__set_at(QALA_EPARSE, label, 0, 0,
                                "an Excel 97-2003 (.xls) file or an encrypted workbook: save it as .xlsx");
    qala_records *r = qala_mem__calloc(1, sizeof *r);
    if (!r)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    qala_status st;
    if (is_zip((const unsigned char *)data, len)) {
        if ((st = qala_xlsx__open_buffer(&r->xlsx, data, len, label, o->limits)) != QALA_OK) {
            qala_mem__free(r);
            return st;
        }
        return open_table(out, r, o);
    }
    if ((st = csv_only(o, label)) != QALA_OK ||
        (st = qala_csv__open_buffer(&r->csv, data, len, label, &o->csv)) != QALA_OK) {
        qala_mem__free(r);
        return st;
    }
    *out = r;
    return QALA_OK;
}

void qala_records__close(qala_records *r)
{
    if (!r)
        return;
    qala_csv__close(r->csv);
    qala_xlsx_table__close(r->table);
    qala_xlsx__close(r->xlsx);
    qala_mem__free(r);
}

int qala_records__next(qala_records *r)
{
    return r->csv ? qala_csv__next(r->csv) : qala_xlsx_table__next(r->table);
}

size_t qala_records__nfields(const qala_records *r)
{
    return r->csv ? qala_csv__nfields(r->csv) : qala_xlsx_table__nfields(r->table);
}

const char *qala_records__field(const qala_records *r, size_t i, size_t *len)
{
    return r->csv ? qala_csv__field(r->csv, i, len) : qala_xlsx_table__field(r->table, i, len);
}

long qala_records__line(const qala_records *r)
{
    return r->csv ? qala_csv__line(r->csv) : qala_xlsx_table__line(r->table);
}

size_t qala_records__bytes_read(const qala_records *r)
{
    return r->csv ? qala_csv__bytes_read(r->csv) : qala_xlsx_table__bytes_read(r->table);
}

size_t qala_records__bytes_total(const qala_records *r)
{
    return r->csv ? qala_csv__bytes_total(r->csv) : qala_xlsx_table__bytes_total(r->table);
}

char qala_records__delimiter(const qala_records *r)
{
    return r->csv ? qala_csv__delimiter(r->csv) : 0;
}

const char *qala_records__encoding(const qala_records *r)
{
    return r->csv ? qala_csv__encoding(r->csv) : "XLSX";
}

const char *qala_records__syntax_rule(const qala_records *r)
{
    return r->csv ? "csv-syntax" : "xlsx";
}

const char *qala_records__sheet(const qala_records *r)
{
    return r->table ? qala_xlsx__sheet_name(r->xlsx, qala_xlsx_table__sheet_number(r->table) - 1) : NULL;
}

size_t qala_records__sheet_number(const qala_records *r)
{
    return r->table ? qala_xlsx_table__sheet_number(r->table) : 0;
}

void qala_records__header_rows(const qala_records *r, long *first, long *last)
{
    *first = *last = 0;
    if (r->table)
        qala_xlsx_table__header_rows(r->table, first, last);
}

unsigned qala_records__level(const qala_records *r)
{
    return r->table ? qala_xlsx_table__level(r->table) : 0;
}

size_t qala_records__nnotes(const qala_records *r)
{
    return r->table ? qala_xlsx_table__nnotes(r->table) : 0;
}

const char *qala_records__note(const qala_records *r, size_t i)
{
    return qala_xlsx_table__note(r->table, i);
}

size_t qala_records__skipped(const qala_records *r)
{
    return r->table ? qala_xlsx_table__skipped(r->table) : 0;
}
