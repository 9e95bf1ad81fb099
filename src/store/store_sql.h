/* src/store/store_sql.h — what the files of src/store/ share: the store object, the
 * schema migrations, SQLite error mapping and transaction helpers. Only src/store/
 * includes this header (and thus <sqlite3.h>).
 */
#ifndef QALA_STORE_SQL_H
#define QALA_STORE_SQL_H

#include <sqlite3.h>

#include "store/store_internal.h"
#include "util/internal.h"

/* PRAGMA application_id of a qala database: the bytes 'Q' 'A' 'L' 'A'. */
#define QALA_STORE__APPLICATION_ID 0x51414C41

struct qala_store {
    sqlite3 *db;
    char *path;
    qala_store_mode mode;
    int version;        /* PRAGMA user_version after migrations */
    char clock[24];     /* fixed "YYYY-MM-DDTHH:MM:SSZ" for tests; "" = system clock */
    int fk_off;         /* foreign keys could not be turned back on after an import's
                           commit: the next transaction turns them on first */
};

/* migrations[v - 1] turns a version v - 1 database into version v. */
extern const char *const qala_store__migrations[];
extern const int qala_store__migration_count;

/* Records QALA_EDB (QALA_ENOMEM for SQLITE_NOMEM) with "what: SQLite's message". */
qala_status qala_store__db_error(qala_store *store, int rc, const char *what);

/* sqlite3_prepare_v2 with the error mapped; *stmt is NULL on failure. */
qala_status qala_store__prepare(qala_store *store, const char *sql, sqlite3_stmt **stmt);

/* BEGIN IMMEDIATE (QALA_EDB when read-only or locked), COMMIT, ROLLBACK. Rollback
 * never fails from the caller's point of view and keeps the recorded error. */
qala_status qala_store__begin(qala_store *store);
qala_status qala_store__commit(qala_store *store);
void qala_store__rollback(qala_store *store);

/* Writes the current UTC time (or the fixed test clock) as "YYYY-MM-DDTHH:MM:SSZ". */
void qala_store__now(const qala_store *store, char buf[static 24]);

/* Records in the meta table that the registry or framework was saved (now). */
qala_status qala_store__mark_saved(qala_store *store, const char *key);

/* Binds text, or NULL when s is NULL. */
int qala_store__bind_text(sqlite3_stmt *stmt, int col, const char *s);
/* Column text as a borrowed pointer, NULL for SQL NULL. */
const char *qala_store__column_text(sqlite3_stmt *stmt, int col);

#endif
