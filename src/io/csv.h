/* src/io/csv.h — the streaming CSV reader behind every import (internal).
 *
 * RFC 4180 with the looseness of real statistics tables: delimiter , ; or tab detected
 * from the first record outside quotes; UTF-8 with or without BOM, or Windows-1251
 * (detected when the start of the file is not valid UTF-8, or named, converted with
 * iconv while streaming); CRLF, LF or CR line ends; quoted fields with "" escapes and
 * embedded newlines. Reads in blocks (64 KiB): memory is bounded by the longest record,
 * itself capped (max_field, max_fields). Never crashes on any byte sequence: NUL bytes,
 * invalid UTF-8, an unterminated quote or text after a closing quote are errors with
 * line and column (the column is the 1-based field number).
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

/* label names the file in errors (NULL: path). */
qala_status qala_csv__open_file(qala_csv **out, const char *path, const char *label,
                                const qala_csv_options *options);
/* data must outlive the reader. */
qala_status qala_csv__open_buffer(qala_csv **out, const char *data, size_t len,
                                  const char *label, const qala_csv_options *options);
void qala_csv__close(qala_csv *csv);

/* Reads the next record: 1 when one was read, 0 at the end, or a negative qala_status
 * (qala_error_last() has the file, line and column). Empty lines are skipped. After an
 * error the reader may continue with the next line (qala_csv__next again) when the
 * error was QALA_EPARSE or QALA_ELIMIT in one record. */
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
