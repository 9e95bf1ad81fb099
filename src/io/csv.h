/* src/io/csv.h — the streaming CSV reader behind every import (internal).
 *
 * RFC 4180 with the looseness of real statistics tables: delimiter , ; or tab detected
 * from the first record outside quotes; UTF-8 with or without BOM, or Windows-1251
 * (detected when the start of the file is not valid UTF-8, or named, converted with
 * iconv while streaming); CRLF, LF or CR line ends; quoted fields with "" escapes and
 * embedded newlines. Reads in blocks (64 KiB): memory is bounded by the longest record,
 * itself capped (max_field, max_fields). Never crashes on any byte sequence: NUL bytes,
 * invalid UTF-8, an unterminated quote or text after a closing quote are errors with
 * line and column (the column is the 1-based field number). docs/csv-reading.md lists
 * what is accepted and every error message.
 *
 * A quote opens a quoted field only as the first byte of a field; elsewhere it is text.
 * Fields are not trimmed. Line ends inside quotes are kept as they are in the file.
 */
#ifndef QALA_IO_CSV_H
#define QALA_IO_CSV_H

#include <stddef.h>

#include "qala/common.h"

typedef struct qala_csv qala_csv;

typedef struct qala_csv_options {
    char delimiter;       /* 0: detect among , ; \t (default ',' for a one-column file) */
    const char *encoding; /* NULL or "auto": detect; else an iconv name ("WINDOWS-1251") */
    size_t max_field;     /* bytes; 0: 1 MiB */
    size_t max_fields;    /* per record; 0: 4096 */
} qala_csv_options;

/* label names the file in errors (NULL: path; "<buffer>" for a buffer). options may be
 * NULL (all defaults). Errors: QALA_EIO "cannot open 'PATH': REASON", QALA_EINVAL
 * "unknown encoding 'X'" or a delimiter that is a quote, a line end or not ASCII,
 * QALA_ENOMEM. On failure *out is NULL. */
qala_status qala_csv__open_file(qala_csv **out, const char *path, const char *label,
                                const qala_csv_options *options);
/* data must outlive the reader. */
qala_status qala_csv__open_buffer(qala_csv **out, const char *data, size_t len,
                                  const char *label, const qala_csv_options *options);
void qala_csv__close(qala_csv *csv);

/* Reads the next record: 1 when one was read, 0 at the end, or a negative qala_status
 * (qala_error_last() has the file, line and column). Empty lines are skipped (they still
 * count for line numbers). QALA_EPARSE and QALA_ELIMIT concern one record, which has
 * been consumed whole (quote-aware): calling again continues with the next record, so
 * an importer can report every bad record of a file. QALA_EIO (a read error) and
 * QALA_ENOMEM end the reading. After an error qala_csv__nfields() is 0.
 * Messages (EPARSE unless said):
 *   "unterminated quoted field (opened on line N)"   (line: N)
 *   "text after closing quote: expected \",\" or end of line"   (";" or TAB likewise)
 *   "NUL byte: binary data, not a text table"
 *   "invalid UTF-8 byte 0xNN: the file is not UTF-8 (use --encoding)"
 *   "byte 0xNN is not valid WINDOWS-1251"   (any converted encoding, by its name)
 *   "field longer than N bytes", "more than N fields"   (ELIMIT) */
int qala_csv__next(qala_csv *csv);

size_t qala_csv__nfields(const qala_csv *csv);
/* Field i of the current record: UTF-8, NUL-terminated, borrowed until the next call. */
const char *qala_csv__field(const qala_csv *csv, size_t i, size_t *len);
/* Line (1-based) on which the current record starts. */
long qala_csv__line(const qala_csv *csv);

char qala_csv__delimiter(const qala_csv *csv);
/* "UTF-8", "UTF-8 (BOM)" or the iconv name in use. */
const char *qala_csv__encoding(const qala_csv *csv);
const char *qala_csv__label(const qala_csv *csv);

#endif
