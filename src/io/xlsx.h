/* src/io/xlsx.h — the XLSX reader behind `qala import book.xlsx` (internal).
 *
 * A workbook is a zip archive (libzip) of XML parts (expat). qala_xlsx__open reads the
 * small parts whole — the workbook and its relationships (sheet names → parts), the
 * shared strings (rich-text runs concatenated, phonetic runs dropped) and the styles
 * (which cell formats are dates, and each format's indent) — and a sheet is then
 * streamed a row at a time: XML_Parse runs on chunks of zip_fread and suspends at each
 * </row>, so memory is bounded by one row, the shared strings and the merged ranges,
 * never by the sheet.
 *
 * Cells come out as UTF-8 text, the way the importer reads CSV fields: shared and inline
 * strings as written; numbers rounded to 15 significant digits with a decimal point
 * ("1.2340" where "1.234" could pass for a thousands separator); booleans TRUE/FALSE;
 * errors as Excel shows them (#N/A); numbers in a date format (built-in formats 14–22
 * and 45–47, or a custom format with d, m, y, h or s outside quotes and brackets) as
 * YYYY-MM-DD (with " HH:MM:SS" when there is a time), in the 1900 date system (serial
 * 60 is Excel's phantom 1900-02-29) or the 1904 one when the workbook says so.
 *
 * Hostile files: every size is capped (qala_xlsx_limits) and a cap reached is
 * QALA_ELIMIT with a message naming it; a zip entry that would expand more than
 * max_ratio times (beyond 1 MiB) is refused as a zip bomb before it is read. Bad XML,
 * a missing part, a reference to a string that does not exist: QALA_EPARSE with the
 * part's name. A DOCTYPE is refused (no entity expansion can happen).
 */
#ifndef QALA_IO_XLSX_H
#define QALA_IO_XLSX_H

#include <stddef.h>

#include "qala/common.h"

typedef struct qala_xlsx_limits {
    size_t max_entries;      /* entries in the archive (0: 10,000) */
    size_t max_total;        /* uncompressed bytes of all entries together (0: 2 GiB) */
    size_t max_ratio;        /* uncompressed / compressed size of an entry over 1 MiB (0: 200) */
    size_t max_cells;        /* non-empty cells of a sheet (0: 100,000,000) */
    size_t max_string;       /* bytes of one string or cell (0: 1 MiB) */
    size_t max_strings;      /* bytes of all shared strings (0: 256 MiB) */
    unsigned max_depth;      /* XML element nesting (0: 64) */
} qala_xlsx_limits;

typedef struct qala_xlsx qala_xlsx;
typedef struct qala_xlsx_sheet qala_xlsx_sheet;

/* Opens a workbook (label names it in messages; NULL: the path or "<buffer>"). limits
 * may be NULL. Errors: QALA_EIO "cannot open 'PATH': REASON"; QALA_EPARSE "not an XLSX
 * workbook: ..." (not a zip, no workbook part) or a damaged part; QALA_ELIMIT;
 * QALA_ENOMEM. On failure *out is NULL. A buffer must outlive the workbook. */
qala_status qala_xlsx__open_file(qala_xlsx **out, const char *path, const char *label,
                                 const qala_xlsx_limits *limits);
qala_status qala_xlsx__open_buffer(qala_xlsx **out, const void *data, size_t len,
                                   const char *label, const qala_xlsx_limits *limits);
void qala_xlsx__close(qala_xlsx *x);

size_t qala_xlsx__nsheets(const qala_xlsx *x);
/* The name of sheet i (0-based, workbook order), borrowed. */
const char *qala_xlsx__sheet_name(const qala_xlsx *x, size_t i);
/* Finds a sheet by its name (exact, then ignoring case) or its 1-based number ("2").
 * NULL or "": the first sheet. QALA_ENOTFOUND "no sheet \"X\" in LABEL: it has \"A\",
 * \"B\"". */
qala_status qala_xlsx__find_sheet(const qala_xlsx *x, const char *name_or_number, size_t *index);
int qala_xlsx__date1904(const qala_xlsx *x);
const char *qala_xlsx__label(const qala_xlsx *x);

/* Streams sheet `index` of x (x must outlive it). The merged ranges are read first (a
 * quick pass over the sheet). Errors as qala_xlsx__open, and QALA_EPARSE for a chart
 * sheet. */
qala_status qala_xlsx__sheet_open(qala_xlsx_sheet **out, qala_xlsx *x, size_t index);
void qala_xlsx__sheet_close(qala_xlsx_sheet *s);

/* Reads the next row that has a <row> element (rows Excel left out are not returned:
 * compare row numbers). 1: a row; 0: the end; or a negative status (QALA_EPARSE bad
 * XML with the part, line and column of the XML; QALA_ELIMIT; QALA_ENOMEM), after which
 * the next call returns 0. */
int qala_xlsx__sheet_next(qala_xlsx_sheet *s);
/* The current row's number (1-based, as Excel shows it). */
long qala_xlsx__sheet_row(const qala_xlsx_sheet *s);
/* Columns of the current row up to its last non-empty cell. */
size_t qala_xlsx__sheet_ncells(const qala_xlsx_sheet *s);
/* Cell col (0-based) of the current row: NUL-terminated text, "" when empty or beyond
 * ncells; borrowed until the next call. *indent (may be NULL): the indent level of the
 * cell's format (0 when none). */
const char *qala_xlsx__sheet_cell(const qala_xlsx_sheet *s, size_t col, size_t *len, unsigned *indent);
/* Bytes of the sheet's XML read so far and its uncompressed size. */
size_t qala_xlsx__sheet_bytes_read(const qala_xlsx_sheet *s);
size_t qala_xlsx__sheet_bytes_total(const qala_xlsx_sheet *s);

/* The merged ranges of the sheet (1-based rows, 0-based columns, inclusive). */
typedef struct qala_xlsx_range {
    long row1, row2;
    size_t col1, col2;
} qala_xlsx_range;
size_t qala_xlsx__sheet_nmerged(const qala_xlsx_sheet *s);
const qala_xlsx_range *qala_xlsx__sheet_merged(const qala_xlsx_sheet *s, size_t i);

/* "B12" → row 12, column 1 (0-based). 0 when ref is not a cell reference (columns A to
 * XFD, rows 1 to 1048576). Exposed for the tests. */
int qala_xlsx__parse_ref(const char *ref, long *row, size_t *col);
/* A serial date as text: "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (buf of 20 bytes or
 * more); 0 when the serial is outside 1900 (1904) to 9999. */
int qala_xlsx__format_date(char *buf, size_t size, double serial, int date1904);
/* Whether a number format code is a date or time format (format id for built-ins). */
int qala_xlsx__is_date_format(unsigned id, const char *code);

#endif
