/* qala/findings.h — problems found in the user's data, as results rather than errors.
 *
 * Validation of an import, a registry file or a framework file appends findings here:
 * severity, file, line, column, a stable rule name and a one-line message that says what
 * was wrong and what was expected. The CLI prints them as
 *   file:line:column: error|warning: message
 * A list keeps at most `cap` findings (default 10,000) and counts the rest.
 */
#ifndef QALA_FINDINGS_H
#define QALA_FINDINGS_H

#include <stddef.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_severity {
    QALA_SEVERITY_WARNING = 1,
    QALA_SEVERITY_ERROR = 2
} qala_severity;

typedef struct qala_finding {
    qala_severity severity;
    const char *file;    /* as given to the reader; may be "" */
    long line;           /* 1-based; 0 when the finding is about the whole file */
    long column;         /* 1-based; 0 when about the whole row */
    const char *rule;    /* stable name, e.g. "unknown-unit", "not-a-number" */
    const char *message; /* one line, no trailing newline */
} qala_finding;

typedef struct qala_findings qala_findings;

qala_status qala_findings_new(qala_findings **out);
void qala_findings_free(qala_findings *f);
void qala_findings_clear(qala_findings *f);
/* Stored findings beyond cap are counted but dropped. */
void qala_findings_set_cap(qala_findings *f, size_t cap);

__attribute__((format(printf, 7, 8)))
qala_status qala_findings_add(qala_findings *f, qala_severity severity, const char *file,
                              long line, long column, const char *rule, const char *fmt, ...);

/* Number stored (<= cap), and totals by severity including the dropped ones. */
size_t qala_findings_count(const qala_findings *f);
size_t qala_findings_errors(const qala_findings *f);
size_t qala_findings_warnings(const qala_findings *f);
/* Borrowed, valid until the list is changed or freed. */
const qala_finding *qala_findings_get(const qala_findings *f, size_t i);
/* Sorts by file, line, column, keeping the order of equal keys. */
void qala_findings_sort(qala_findings *f);

#ifdef __cplusplus
}
#endif
#endif
