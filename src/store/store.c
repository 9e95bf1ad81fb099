/* src/store/store.c — opening a qala database: file checks, PRAGMAs, migrations, the
 * qala_fold() SQL function, and the small helpers the other store files share.
 *
 * A store is one SQLite file. Opening checks, before anything is written, that the file
 * is a SQLite database and either empty or a qala one (PRAGMA application_id), and that
 * its schema (PRAGMA user_version) is not newer than this library; only then does it
 * turn on WAL journalling and run the missing migrations, all in one transaction. So a
 * foreign file is never modified. Every connection has foreign keys on, synchronous =
 * NORMAL (durable at checkpoints, never corrupt), a busy timeout, and qala_fold().
 * Connections are opened without SQLite's mutexes: one store, one thread at a time.
 * Workload: opened once per command; everything else happens in the other files.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "qala/text.h"
#include "store/store_sql.h"

#define BUSY_TIMEOUT_MS 5000
#define CACHE_KIB 262144

/* ---- helpers shared by the store files ---- */

qala_status qala_store__db_error(qala_store *store, int rc, const char *what)
{
    if (rc == SQLITE_NOMEM)
        return qala_err__set(QALA_ENOMEM, "out of memory (%s)", what);
    const char *msg = store && store->db ? sqlite3_errmsg(store->db) : sqlite3_errstr(rc);
    if ((rc & 0xff) == SQLITE_READONLY && store)
        return qala_err__set(QALA_EDB, "%s: database '%s' is read-only", what, store->path);
    return qala_err__set(QALA_EDB, "%s: %s", what, msg);
}

qala_status qala_store__prepare(qala_store *store, const char *sql, sqlite3_stmt **stmt)
{
    *stmt = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*stmt);
        *stmt = NULL;
        return qala_store__db_error(store, rc, "preparing a query");
    }
    return QALA_OK;
}

qala_status qala_store__begin(qala_store *store)
{
    if (store->mode == QALA_STORE_READ_ONLY)
        return qala_err__set(QALA_EDB, "database '%s' is opened read-only", store->path);
    int rc;
    if (store->fk_off) {
        /* an earlier import could not turn foreign keys back on (out of memory after its
         * commit): do it before any other write */
        if ((rc = sqlite3_exec(store->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL)) != SQLITE_OK)
            return qala_store__db_error(store, rc, "turning foreign keys back on");
        store->fk_off = 0;
    }
    rc = sqlite3_exec(store->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return qala_store__db_error(store, rc, "starting a transaction");
    return QALA_OK;
}

qala_status qala_store__commit(qala_store *store)
{
    int rc = sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        qala_status st = qala_store__db_error(store, rc, "committing");
        qala_store__rollback(store);
        return st;
    }
    return QALA_OK;
}

void qala_store__rollback(qala_store *store)
{
    if (!sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

void qala_store__now(const qala_store *store, char buf[static 24])
{
    if (store->clock[0]) {
        memcpy(buf, store->clock, sizeof store->clock);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int qala_store__bind_text(sqlite3_stmt *stmt, int col, const char *s)
{
    return s ? sqlite3_bind_text(stmt, col, s, -1, SQLITE_STATIC) : sqlite3_bind_null(stmt, col);
}

const char *qala_store__column_text(sqlite3_stmt *stmt, int col)
{
    return (const char *)sqlite3_column_text(stmt, col);
}

/* ---- qala_fold(text) ---- */

static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    int len = sqlite3_value_bytes(argv[0]);
    if (!text) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    char *folded = NULL;
    qala_status st = qala_text_fold(&folded, text, (size_t)len);
    if (st == QALA_ENOMEM) {
        sqlite3_result_error_nomem(ctx);
    } else if (st != QALA_OK) {
        sqlite3_result_error(ctx, "qala_fold: the text is not valid UTF-8", -1);
    } else {
        sqlite3_result_text(ctx, folded, -1, qala_free);
    }
}

/* ---- opening ---- */

static qala_status pragma_int(qala_store *store, const char *sql, long long *value)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, sql, &stmt);
    if (st != QALA_OK)
        return st;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64(stmt, 0);
    else if (rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, sql);
    else
        *value = 0;
    sqlite3_finalize(stmt);
    return st;
}

/* Reads application_id, user_version and whether the file has any schema object. A
 * file that is not SQLite fails here (SQLITE_NOTADB) before anything is written. */
static qala_status read_identity(qala_store *store, long long *app_id, long long *version,
                                 long long *objects)
{
    qala_status st;
    if ((st = pragma_int(store, "SELECT count(*) FROM sqlite_schema", objects)) != QALA_OK ||
        (st = pragma_int(store, "PRAGMA application_id", app_id)) != QALA_OK ||
        (st = pragma_int(store, "PRAGMA user_version", version)) != QALA_OK) {
        if (sqlite3_errcode(store->db) == SQLITE_NOTADB)
            return qala_err__set(QALA_EDB, "'%s' is not a qala database (not SQLite)",
                                 store->path);
    }
    return st;
}

static qala_status check_identity(qala_store *store, long long app_id, long long version,
                                  long long objects)
{
    int latest = qala_store__migration_count;
    if (app_id != QALA_STORE__APPLICATION_ID && (app_id != 0 || objects > 0 || version != 0))
        return qala_err__set(QALA_EDB, "'%s' is not a qala database", store->path);
    if (version > latest)
        return qala_err__set(QALA_EDB, "database schema version %lld is newer than this qala (%d)",
                             version, latest);
    if (version < latest && store->mode == QALA_STORE_READ_ONLY) {
        if (version == 0)
            return qala_err__set(QALA_EDB, "database '%s' is empty: run 'qala init'", store->path);
        return qala_err__set(QALA_EDB,
                             "database schema version %lld is older than this qala (%d): "
                             "open it for writing to upgrade it", version, latest);
    }
    return QALA_OK;
}

static qala_status migrate(qala_store *store)
{
    qala_status st = qala_store__begin(store);
    if (st != QALA_OK)
        return st;
    /* Read again inside the write transaction: another process may have migrated. */
    long long app_id = 0, version = 0, objects = 0;
    if ((st = read_identity(store, &app_id, &version, &objects)) != QALA_OK ||
        (st = check_identity(store, app_id, version, objects)) != QALA_OK)
        goto fail;
    for (int v = (int)version + 1; v <= qala_store__migration_count; v++) {
        int rc = sqlite3_exec(store->db, qala_store__migrations[v - 1], NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            char what[64];
            snprintf(what, sizeof what, "migrating to schema version %d", v);
            st = qala_store__db_error(store, rc, what);
            goto fail;
        }
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                 QALA_STORE__APPLICATION_ID, v);
        if ((rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL)) != SQLITE_OK) {
            st = qala_store__db_error(store, rc, "setting the schema version");
            goto fail;
        }
    }
    if ((st = qala_store__commit(store)) != QALA_OK)
        return st;
    store->version = qala_store__migration_count;
    return QALA_OK;
fail:
    qala_store__rollback(store);
    return st;
}

static qala_status configure(qala_store *store)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = %d; PRAGMA cache_size = -%d;%s",
             BUSY_TIMEOUT_MS, CACHE_KIB,
             store->mode == QALA_STORE_READ_ONLY ? "" : " PRAGMA synchronous = NORMAL;");
    int rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return qala_store__db_error(store, rc, "configuring the connection");
    rc = sqlite3_create_function_v2(store->db, "qala_fold", 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                    NULL, sql_fold, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return qala_store__db_error(store, rc, "registering qala_fold");
    return QALA_OK;
}

static qala_status set_wal(qala_store *store)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, "PRAGMA journal_mode = WAL", &stmt);
    if (st != QALA_OK)
        return st;
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW)
        st = qala_store__db_error(store, rc, "turning on WAL journalling");
    else if (strcmp((const char *)sqlite3_column_text(stmt, 0), "wal") != 0)
        st = qala_err__set(QALA_EDB, "database '%s' can't use WAL journalling (mode %s)",
                           store->path, (const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return st;
}

qala_status qala_store_open(qala_store **out, const char *path, qala_store_mode mode)
{
    assert(out && path);
    *out = NULL;
    if (mode != QALA_STORE_READ_WRITE && mode != QALA_STORE_CREATE && mode != QALA_STORE_READ_ONLY)
        return qala_err__set(QALA_EINVAL, "unknown store mode %d", (int)mode);
    if (path[0] == '\0')
        return qala_err__set(QALA_EINVAL, "empty database path");
    struct stat sb;
    if (mode != QALA_STORE_CREATE && stat(path, &sb) != 0)
        return qala_err__set(QALA_EIO, "database '%s' does not exist: run 'qala init'", path);

    qala_store *store = qala_mem__calloc(1, sizeof *store);
    if (!store)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    qala_status st = QALA_ENOMEM;
    store->mode = mode;
    if (!(store->path = qala_mem__strdup(path))) {
        qala_err__set(QALA_ENOMEM, "out of memory");
        goto fail;
    }
    int flags = mode == QALA_STORE_READ_ONLY ? SQLITE_OPEN_READONLY
              : mode == QALA_STORE_CREATE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                          : SQLITE_OPEN_READWRITE;
    int rc = sqlite3_open_v2(path, &store->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        st = rc == SQLITE_NOMEM ? qala_err__set(QALA_ENOMEM, "out of memory")
                                : qala_err__set(QALA_EIO, "can't open database '%s': %s", path,
                                                store->db ? sqlite3_errmsg(store->db)
                                                          : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(store->db, 1);
    sqlite3_busy_timeout(store->db, BUSY_TIMEOUT_MS);
    long long app_id = 0, version = 0, objects = 0;
    if ((st = read_identity(store, &app_id, &version, &objects)) != QALA_OK ||
        (st = check_identity(store, app_id, version, objects)) != QALA_OK ||
        (st = configure(store)) != QALA_OK)
        goto fail;
    store->version = (int)version;
    if (mode != QALA_STORE_READ_ONLY) {
        if ((st = set_wal(store)) != QALA_OK)
            goto fail;
        if (version < qala_store__migration_count && (st = migrate(store)) != QALA_OK)
            goto fail;
    }
    *out = store;
    return QALA_OK;
fail:
    qala_store_close(store);
    return st;
}

void qala_store_close(qala_store *store)
{
    if (!store)
        return;
    sqlite3_close_v2(store->db);
    qala_mem__free(store->path);
    qala_mem__free(store);
}

int qala_store_schema_version(const qala_store *store)
{
    return store->version;
}

const char *qala_store_path(const qala_store *store)
{
    return store->path;
}

int qala_store_is_initialised(qala_store *store)
{
    long long n = 0;
    if (pragma_int(store,
                   "SELECT count(*) FROM meta WHERE key IN ('registry_saved_at', "
                   "'framework_saved_at')", &n) != QALA_OK)
        return 0;
    return n == 2;
}

/* ---- summaries ---- */

qala_status qala_store_counts_get(qala_store *store, qala_store_counts *counts)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM units", "SELECT count(*) FROM groups",
        "SELECT count(*) FROM indicators", "SELECT count(*) FROM observations",
        "SELECT count(*) FROM observation_history", "SELECT count(*) FROM batches"};
    size_t *fields[] = {&counts->units, &counts->groups, &counts->indicators,
                        &counts->observations, &counts->revisions, &counts->batches};
    memset(counts, 0, sizeof *counts);
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        long long n = 0;
        qala_status st = pragma_int(store, sql[i], &n);
        if (st != QALA_OK)
            return st;
        *fields[i] = (size_t)n;
    }
    return QALA_OK;
}

qala_status qala_store_list_batches(qala_store *store,
                                    int (*fn)(void *ctx, const qala_batch *batch), void *ctx)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store, "SELECT id, file, sha256, imported_at, inserted, revised FROM batches ORDER BY id",
        &stmt);
    if (st != QALA_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_batch b;
        memset(&b, 0, sizeof b);
        b.id = sqlite3_column_int64(stmt, 0);
        snprintf(b.file, sizeof b.file, "%s", qala_store__column_text(stmt, 1));
        snprintf(b.sha256, sizeof b.sha256, "%s", qala_store__column_text(stmt, 2));
        snprintf(b.imported_at, sizeof b.imported_at, "%s", qala_store__column_text(stmt, 3));
        b.inserted = (size_t)sqlite3_column_int64(stmt, 4);
        b.revised = (size_t)sqlite3_column_int64(stmt, 5);
        if (fn(ctx, &b))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "listing batches");
    sqlite3_finalize(stmt);
    return st;
}

/* ---- internals for tests ---- */

static int is_iso_utc(const char *s)
{
    static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";
    for (size_t i = 0; i < sizeof pattern - 1; i++) {
        if (pattern[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pattern[i])
            return 0;
    }
    return s[sizeof pattern - 1] == '\0';
}

qala_status qala_store__set_clock(qala_store *store, const char *iso)
{
    if (!iso) {
        store->clock[0] = '\0';
        return QALA_OK;
    }
    if (!is_iso_utc(iso))
        return qala_err__set(QALA_EINVAL, "'%s' is not a UTC time YYYY-MM-DDTHH:MM:SSZ", iso);
    snprintf(store->clock, sizeof store->clock, "%s", iso);
    return QALA_OK;
}

qala_status qala_store__exec(qala_store *store, const char *sql)
{
    int rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? QALA_OK : qala_store__db_error(store, rc, "executing SQL");
}

struct sqlite3 *qala_store__handle(qala_store *store)
{
    return store->db;
}
