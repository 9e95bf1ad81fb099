/* src/io/records.h — where the importer's records come from: a CSV file or a sheet of
 * an XLSX workbook (internal).
 *
 * The importer (src/import.c) reads a header record and then data records of text
 * fields, whatever the file format; this interface hides which reader produced them.
 * A CSV file gives its records as qala_csv reads them. An XLSX sheet goes through the
 * table layer (xlsx_table.c), which reads an official table the way a person does: it
 * skips the title block above the header (--skip-rows R, or the leading rows with
 * fewer than two filled cells), combines a header of K rows (--header-rows K) into one
 * key per column ("2022|total", merged cells filled in), gives the data rows with their
 * Excel row numbers as lines, skips heading rows without values, and ends the table at
 * the first empty row or footnote after the data. What it skips is kept as notes for
 * the preview (`qala import --dry-run`). docs/data-format.md describes it for users.
 */
#ifndef QALA_IO_RECORDS_H
#define QALA_IO_RECORDS_H

#include <stddef.h>

#include "io/csv.h"
#include "io/xlsx.h"
#include "qala/common.h"

typedef struct qala_records qala_records;

typedef struct qala_records_options {
    qala_csv_options csv;
    const char *sheet;       /* XLSX: sheet name or 1-based number; NULL: the first */
    long skip_rows;          /* XLSX: rows above the header; < 0: detect the title block */
    unsigned header_rows;    /* XLSX: rows of the header; 0: 1 */
    const qala_xlsx_limits *limits; /* NULL: the defaults of xlsx.h */
} qala_records_options;

#define QALA_RECORDS_OPTIONS_INIT {{0, NULL, 0, 0}, NULL, -1, 0, NULL}

/* Opens path as XLSX when it starts with a zip signature or is named *.xlsx / *.xlsm,
 * else as CSV. Errors: those of qala_csv__open_file and qala_xlsx__open_file,
 * qala_xlsx__find_sheet, qala_xlsx__sheet_open; QALA_EPARSE "an Excel 97-2003 (.xls)
 * file or an encrypted workbook: save it as .xlsx" for an OLE file; QALA_EINVAL when
 * sheet / skip_rows / header_rows are given for a CSV file. On failure *out is NULL. */
qala_status qala_records__open_file(qala_records **out, const char *path, const char *label,
                                    const qala_records_options *options);
/* data must outlive the reader. XLSX when data starts with a zip signature. */
qala_status qala_records__open_buffer(qala_records **out, const char *data, size_t len,
                                      const char *label, const qala_records_options *options);
void qala_records__close(qala_records *r);

/* The next record: 1, 0 at the end, or a negative status as qala_csv__next (EPARSE and
 * ELIMIT concern one record; for XLSX the next call then returns 0). The first record
 * is the header. */
int qala_records__next(qala_records *r);
size_t qala_records__nfields(const qala_records *r);
/* Field i: UTF-8, NUL-terminated, borrowed until the next call ("" past the row's end). */
const char *qala_records__field(const qala_records *r, size_t i, size_t *len);
/* CSV: the line the record starts on; XLSX: the Excel row number (for the header, its
 * first row). */
long qala_records__line(const qala_records *r);
size_t qala_records__bytes_read(const qala_records *r);
size_t qala_records__bytes_total(const qala_records *r);
/* CSV: the delimiter and the encoding; XLSX: 0 and "XLSX". */
char qala_records__delimiter(const qala_records *r);
const char *qala_records__encoding(const qala_records *r);
/* The finding rule for a record the reader could not read: "csv-syntax" or "xlsx". */
const char *qala_records__syntax_rule(const qala_records *r);

/* XLSX only (else NULL / 0): the sheet read, the rows the header took, the indent level
 * of the current data record's first cell (the format's indent, else one level per two
 * leading spaces), and the notes — one line per skipped row, at most 64 kept — with the
 * count of all skipped rows. */
const char *qala_records__sheet(const qala_records *r);
size_t qala_records__sheet_number(const qala_records *r);
void qala_records__header_rows(const qala_records *r, long *first, long *last);
unsigned qala_records__level(const qala_records *r);
size_t qala_records__nnotes(const qala_records *r);
const char *qala_records__note(const qala_records *r, size_t i);
size_t qala_records__skipped(const qala_records *r);

/* The XLSX implementation (xlsx_table.c), used by records.c. */
typedef struct qala_xlsx_table qala_xlsx_table;
qala_status qala_xlsx_table__open(qala_xlsx_table **out, qala_xlsx *x, const qala_records_options *o);
void qala_xlsx_table__close(qala_xlsx_table *t);
int qala_xlsx_table__next(qala_xlsx_table *t);
size_t qala_xlsx_table__nfields(const qala_xlsx_table *t);
const char *qala_xlsx_table__field(const qala_xlsx_table *t, size_t i, size_t *len);
long qala_xlsx_table__line(const qala_xlsx_table *t);
size_t qala_xlsx_table__bytes_read(const qala_xlsx_table *t);
size_t qala_xlsx_table__bytes_total(const qala_xlsx_table *t);
size_t qala_xlsx_table__sheet_number(const qala_xlsx_table *t);
void qala_xlsx_table__header_rows(const qala_xlsx_table *t, long *first, long *last);
unsigned qala_xlsx_table__level(const qala_xlsx_table *t);
size_t qala_xlsx_table__nnotes(const qala_xlsx_table *t);
const char *qala_xlsx_table__note(const qala_xlsx_table *t, size_t i);
size_t qala_xlsx_table__skipped(const qala_xlsx_table *t);

#endif
