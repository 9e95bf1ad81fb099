/* src/framework_internal.h — what framework_load.c needs of framework.c (internal). */
#ifndef QALA_FRAMEWORK_INTERNAL_H
#define QALA_FRAMEWORK_INTERNAL_H

#include "qala/framework.h"

/* Drops the indicators from `keep` on and rebuilds the indices (no allocation): the
 * undo of a load that failed half-way. */
void qala_framework__truncate(qala_framework *fw, size_t keep);
/* Replaces the domain names given (non-NULL entries, which the framework takes over;
 * they are set to NULL in names). Cannot fail. */
void qala_framework__swap_domain_names(qala_framework *fw, char *names[QALA_DOMAIN_COUNT][3]);

#endif
