/* src/util/error.c — the per-thread last-error record and status names.
 *
 * Each thread has one qala_error; a failing call overwrites it. Messages are one line
 * without a trailing newline; longer text is cut at the buffer size.
 */
#include <stdio.h>
#include <string.h>

#include "util/internal.h"

static _Thread_local qala_error last_error;

const char *qala_version(void)
{
    return QALA_VERSION_STRING;
}

const char *qala_status_str(qala_status status)
{
    switch (status) {
    case QALA_OK: return "ok";
    case QALA_ENOMEM: return "out of memory";
    case QALA_EINVAL: return "invalid argument";
    case QALA_ENOTFOUND: return "not found";
    case QALA_EAMBIGUOUS: return "ambiguous name";
    case QALA_EPARSE: return "syntax error";
    case QALA_EIO: return "input/output error";
    case QALA_EDB: return "database error";
    case QALA_EDATA: return "data problems found";
    case QALA_ELIMIT: return "size limit reached";
    case QALA_EEXISTS: return "already exists";
    }
    return "unknown status";
}

const qala_error *qala_error_last(void)
{
    return &last_error;
}

void qala_error_clear(void)
{
    memset(&last_error, 0, sizeof last_error);
}

static void set_message(const char *fmt, va_list ap)
{
    vsnprintf(last_error.message, sizeof last_error.message, fmt, ap);
    for (char *p = last_error.message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

qala_status qala_err__set(qala_status code, const char *fmt, ...)
{
    va_list ap;
    qala_error_clear();
    last_error.code = code;
    va_start(ap, fmt);
    set_message(fmt, ap);
    va_end(ap);
    return code;
}

qala_status qala_err__set_at(qala_status code, const char *file, long line, long column,
                             const char *fmt, ...)
{
    va_list ap;
    qala_error_clear();
    last_error.code = code;
    if (file)
        snprintf(last_error.file, sizeof last_error.file, "%s", file);
    last_error.line = line;
    last_error.column = column;
    va_start(ap, fmt);
    set_message(fmt, ap);
    va_end(ap);
    return code;
}
