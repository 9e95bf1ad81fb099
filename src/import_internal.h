/* src/import_internal.h — what the three files of the statistics-table import share
 * (import.c: rows, names, numbers, duplicates, the entry points; import_header.c: the
 * header row and the layout; import_preview.c: the --dry-run preview). Never installed.
 */
#ifndef QALA_IMPORT_INTERNAL_H
#define QALA_IMPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "io/records.h"
#include "qala/import.h"
#include "util/strmap.h"

enum role { ROLE_NONE = -1, ROLE_UNIT, ROLE_INDICATOR, ROLE_PERIOD, ROLE_VALUE, ROLE_FLAG, ROLE_COUNT };


typedef struct col_info {
    enum role role;
    /* in wide layouts, what a value column is */
    int is_value;
    size_t fw_index;     /* indicator in the framework (wide by indicator) */
    uint32_t indicator;  /* its dataset id */
    qala_period period;  /* wide by period */
    int own_indicator;   /* a combined key ("population|2022") names both */
    int own_period;
} col_info;

/* A row rejected for repeating a key, with the index of its first message. */
typedef struct dup_line {
    uint32_t line;
    uint32_t message;
} dup_line;

/* The last spelling resolved and its cache value (names of up to 63 bytes). */
typedef struct last_name {
    char raw[64];
    size_t len; /* 0: empty */
    int64_t code;
} last_name;

/* Resolved spellings: a map keyed by the raw bytes, and the previous row's spelling
 * checked first (sorted files repeat it). */
typedef struct name_cache {
    qala_strmap map;
    last_name last;
} name_cache;

typedef struct importer {
    const qala_registry *reg;
    const qala_framework *fw;
    const qala_import_options *opt;
    qala_dataset *ds;
    qala_findings *findings;
    qala_import_stats *stats;
    qala_records *src;
    const char *label;
    col_info *cols;
    size_t ncols;
    long role_col[ROLE_COUNT];
    qala_layout layout;
    int fixed_indicator_set, fixed_period_set;
    size_t fixed_fw_index;
    uint32_t fixed_indicator;
    qala_period fixed_period;
    name_cache units;       /* raw spelling → dataset unit id, or -(message index + 1) */
    name_cache indicators;  /* raw spelling → (framework index << 32 | dataset id), or -(msg + 1) */
    char **messages;        /* resolution failures, reported once per occurrence */
    size_t nmessages, cap_messages;
    char decimal;           /* the file's decimal mark once seen, else 0 */
    long decimal_line;
    /* the current row */
    long line;
    int row_failed;
    char reason[512];       /* the first error of the current row */
    qala_status fatal;      /* a finding that could not be stored */
    dup_line *dups;         /* rows with a duplicate observation, and the first reason */
    size_t ndups, cap_dups;
    size_t nkeyed;          /* combined header keys naming a period and an indicator */
    size_t previewed;       /* data rows described to on_preview */
} importer;

/* "unit", "indicator", "period", "value", "flag" (import_header.c) */
extern const char *const qala_import__role_names[ROLE_COUNT];

/* import.c */
/* Records a finding on the current line (the first error of a row fails the row). */
__attribute__((format(printf, 5, 6)))
qala_status qala_import__finding(importer *im, qala_severity sev, long column, const char *rule,
                                 const char *fmt, ...);
/* Trims ASCII spaces/tabs and no-break spaces at both ends. */
const char *qala_import__trim(const char *s, size_t *len);
/* Resolves an indicator spelling: *fw_index and *id on success (*ok = 1); a finding
 * otherwise when report is set. */
qala_status qala_import__resolve_indicator(importer *im, const char *raw, size_t len,
                                           long column, int report, size_t *fw_index,
                                           uint32_t *id, int *ok);
/* Four digits (or "2005.0"): a year, perhaps outside the range periods can have. */
int qala_import__looks_like_year(const char *s, size_t len);
/* A period cell: *out and *ok = 1 when it is one, else a finding naming what is expected. */
qala_status qala_import__check_period(importer *im, const char *raw, size_t len, long column,
                                      qala_period *out, int *ok);
/* Field col of the current record, trimmed (qala_import__trim). */
const char *qala_import__cell(importer *im, long col, size_t *len);

/* import_header.c: reads the header row and decides the layout and the columns' roles. */
qala_status qala_import__read_header(importer *im);

/* import_preview.c: the --dry-run description (opt->on_preview) of the header and layout,
 * of a data row (the dataset's rows from `from`), and of the notes under the table. */
void qala_import__preview_header(importer *im);
void qala_import__preview_row(importer *im, size_t from);
void qala_import__preview_notes(importer *im);

#endif
