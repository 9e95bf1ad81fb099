/* qala/common.h — status codes, the last-error record, dates, periods, allocation hook.
 *
 * Every fallible function of libqala returns a qala_status: QALA_OK (0) or a negative
 * code. The detail (one line of text, and where in the user's file when that applies)
 * is kept per thread and read with qala_error_last(). The library never prints or exits.
 */
#ifndef QALA_COMMON_H
#define QALA_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QALA_VERSION_MAJOR 0
#define QALA_VERSION_MINOR 1
#define QALA_VERSION_PATCH 0

/* Returns "MAJOR.MINOR.PATCH" of the library that is linked. */
const char *qala_version(void);

typedef enum qala_status {
    QALA_OK = 0,
    QALA_ENOMEM = -1,     /* an allocation failed */
    QALA_EINVAL = -2,     /* an argument or option is not acceptable */
    QALA_ENOTFOUND = -3,  /* a named thing does not exist */
    QALA_EAMBIGUOUS = -4, /* a name fits more than one thing */
    QALA_EPARSE = -5,     /* input text is not in the expected syntax */
    QALA_EIO = -6,        /* a file could not be read or written */
    QALA_EDB = -7,        /* the database refused or is damaged */
    QALA_EDATA = -8,      /* the data has problems; the findings list says which */
    QALA_ELIMIT = -9,     /* a size limit was reached (field, line, file) */
    QALA_EEXISTS = -10    /* the thing is already there */
} qala_status;

/* A short English name of a status, e.g. "out of memory". Never NULL. */
const char *qala_status_str(qala_status status);

/* What went wrong in the last failing call on this thread.
 * file/line/column are set (non-empty / non-zero) only when the problem has a place
 * in an input file. line and column count from 1. */
typedef struct qala_error {
    qala_status code;
    char message[512];
    char file[256];
    long line;
    long column;
} qala_error;

/* Borrowed pointer to this thread's record; valid until the next libqala call on the
 * thread. After a successful call its contents are unspecified. */
const qala_error *qala_error_last(void);
void qala_error_clear(void);

/* ---- Dates ------------------------------------------------------------------------
 * A calendar date as the integer YYYYMMDD (2022-09-17 is 20220917), so that the
 * ordinary integer order is the calendar order. Validity periods are half-open:
 * [from, to), with QALA_DATE_MIN / QALA_DATE_MAX for "since always" / "still valid". */
typedef int32_t qala_date;
#define QALA_DATE_MIN ((qala_date)0)
#define QALA_DATE_MAX ((qala_date)99991231)

/* Parses "YYYY-MM-DD" (a real calendar day), or "YYYY" meaning 1 January of that year
 * when allow_year is nonzero. QALA_EPARSE otherwise. */
qala_status qala_date_parse(qala_date *out, const char *text, int allow_year);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). Open ends are written as "". */
void qala_date_format(char buf[static 11], qala_date date);
/* Today's date in UTC. */
qala_date qala_date_today(void);

/* ---- Periods ----------------------------------------------------------------------
 * A statistical period as one sortable integer: a year Y is Y*100; a quarter q of Y is
 * Y*100 + 20 + q (21..24); a month m of Y is Y*100 + m (1..12). Text forms: "2022",
 * "2022-Q3", "2022-07". Years 1900..2100. */
typedef int32_t qala_period;

typedef enum qala_frequency {
    QALA_FREQ_YEAR = 0,
    QALA_FREQ_QUARTER = 1,
    QALA_FREQ_MONTH = 2
} qala_frequency;

qala_status qala_period_parse(qala_period *out, const char *text, size_t len);
/* Writes the text form (8 bytes with the NUL for years 1900..2100; 12 is always enough). */
void qala_period_format(char buf[static 12], qala_period period);
static inline int qala_period_year(qala_period p) { return (int)(p / 100); }
qala_frequency qala_period_frequency(qala_period p);
/* The first day of the period, e.g. 2022-Q3 -> 20220701. */
qala_date qala_period_start(qala_period p);

/* ---- Checksums --------------------------------------------------------------------
 * SHA-256 (FIPS 180-4, computed by nettle) as 64 lowercase hex digits: an import batch
 * records the checksum of the file it came from. */
void qala_sha256_hex(char out[static 65], const void *data, size_t len);
/* QALA_EIO when the file can't be read. */
qala_status qala_sha256_file(char out[static 65], const char *path);

/* ---- Allocation -------------------------------------------------------------------
 * All memory of libqala goes through these hooks, so that tests can fail allocations
 * one by one. Set once before other calls; NULL restores malloc/realloc/free. */
typedef struct qala_allocator {
    void *(*malloc_fn)(size_t size, void *ctx);
    void *(*realloc_fn)(void *ptr, size_t size, void *ctx);
    void (*free_fn)(void *ptr, void *ctx);
    void *ctx;
} qala_allocator;

void qala_allocator_set(const qala_allocator *allocator);

/* Frees memory that libqala handed to the caller as a plain buffer (strings). */
void qala_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
