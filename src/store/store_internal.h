/* src/store/store_internal.h — store internals that tests may use (never installed).
 *
 * No <sqlite3.h> here: the handle is only forward-declared, so that code outside
 * src/store/ which includes this header does not see SQL unless it asks for it.
 */
#ifndef QALA_STORE_INTERNAL_H
#define QALA_STORE_INTERNAL_H

#include "qala/store.h"

/* The schema version this library writes (the number of migrations). */
int qala_store__latest_version(void);

/* Fixes the clock used for batch timestamps to iso ("YYYY-MM-DDTHH:MM:SSZ"), for
 * tests; NULL returns to the system clock. QALA_EINVAL for another format. */
qala_status qala_store__set_clock(qala_store *store, const char *iso);

/* Runs one or more SQL statements without results (tests, maintenance).
 * QALA_EDB with SQLite's message. */
qala_status qala_store__exec(qala_store *store, const char *sql);

/* The SQLite connection, for tests that inspect the file. Borrowed. */
struct sqlite3;
struct sqlite3 *qala_store__handle(qala_store *store);

#endif
