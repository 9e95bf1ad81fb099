/* src/findings_internal.h — a findings sink for validators (internal).
 *
 * Wraps a qala_findings list that may be NULL: the validator still learns how many
 * errors it found (to decide on QALA_EDATA), and the first allocation failure while
 * recording is kept in `failed` instead of being lost.
 */
#ifndef QALA_FINDINGS_INTERNAL_H
#define QALA_FINDINGS_INTERNAL_H

#include <stdarg.h>

#include "qala/findings.h"

typedef struct qala_reporter {
    qala_findings *findings; /* may be NULL: count only */
    const char *file;        /* label for every finding */
    size_t errors, warnings; /* found by this reporter */
    qala_status failed;      /* QALA_OK, or QALA_ENOMEM from the list */
} qala_reporter;

qala_status qala_findings__vadd(qala_findings *f, qala_severity severity, const char *file,
                                long line, long column, const char *rule, const char *fmt,
                                va_list ap);

__attribute__((format(printf, 6, 7)))
void qala_reporter__add(qala_reporter *r, qala_severity severity, long line, long column,
                        const char *rule, const char *fmt, ...);

#endif
