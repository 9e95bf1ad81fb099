/* qala/defaults.h — the default data embedded in libqala at build time.
 *
 * Every file under the source tree's data/ (the Kazakhstan registry, the indicator
 * framework, the demo statistics and their SOURCES.md) is compiled into the library, so
 * that the qala command works without any data files installed.
 */
#ifndef QALA_DEFAULTS_H
#define QALA_DEFAULTS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The bytes of the embedded file `name` (relative to data/, e.g.
 * "registry/units.csv"), NUL-terminated, with *len set; NULL when there is none.
 * The pointer is static: never freed. */
const char *qala_default_data(const char *name, size_t *len);

/* Name of the i-th embedded file in sorted order, NULL past the end. */
const char *qala_default_data_name(size_t i);

#ifdef __cplusplus
}
#endif
#endif
