/* src/threshold_stub.h — TEMPORARY (branch monitor only): the test-only way to add a
 * threshold until src/threshold.c lands from branch `threshold` (which provides the same
 * function in src/threshold_internal.h). Deleted before the branch is merged. */
#ifndef QALA_THRESHOLD_STUB_H
#define QALA_THRESHOLD_STUB_H

#include "qala/threshold.h"

qala_status qala_thresholds__append(qala_thresholds *t, const qala_threshold *th,
                                    const char *label);

#endif
