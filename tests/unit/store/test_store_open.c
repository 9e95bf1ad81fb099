/* tests/unit/store/test_store_open.c — opening, creating and migrating a store; refusing
 * files that are not qala databases or are newer; the connection's settings; qala_fold.
 */
#include <sys/stat.h>

#include "store_test.h"

/* Text of the first column of the first row, copied into buf ("" for NULL). */
static int sql_text(qala_store *s, const char *sql, char *buf, size_t cap)
{
    sqlite3_stmt *stmt;
    cr_assert_eq(sqlite3_prepare_v2(qala_store__handle(s), sql, -1, &stmt, NULL), SQLITE_OK,
                 "%s", sql);
    int rc = sqlite3_step(stmt);
    const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
    snprintf(buf, cap, "%s", t ? (const char *)t : "");
    sqlite3_finalize(stmt);
    return rc;
}

Test(store_open, create_makes_a_database_at_the_latest_version)
{
    char path[256];
    test_db_path(path, "new.db");
    qala_store *s = NULL;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_CREATE), QALA_OK, "%s",
                 qala_error_last()->message);
    cr_assert_eq(qala_store_schema_version(s), qala_store__latest_version());
    cr_assert_geq(qala_store__latest_version(), 1);
    cr_assert_str_eq(qala_store_path(s), path);
    /* 0x51414C41 = 'QALA', the application id documented in docs/store.md */
    cr_assert_eq(test_sql_int(s, "PRAGMA application_id"), 0x51414C41);
    cr_assert_eq(test_sql_int(s, "PRAGMA user_version"), qala_store__latest_version());
    cr_assert_eq(test_sql_int(s, "PRAGMA foreign_keys"), 1);
    cr_assert_eq(test_sql_int(s, "PRAGMA synchronous"), 1); /* NORMAL */
    cr_assert_geq(test_sql_int(s, "PRAGMA busy_timeout"), 1000);
    char mode[16];
    sql_text(s, "PRAGMA journal_mode", mode, sizeof mode);
    cr_assert_str_eq(mode, "wal");
    cr_assert_eq(qala_store_is_initialised(s), 0);
    qala_store_close(s);

    /* Reopening for writing finds the same version and migrates nothing. */
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_WRITE), QALA_OK);
    cr_assert_eq(qala_store_schema_version(s), qala_store__latest_version());
    qala_store_close(s);
}

Test(store_open, every_table_is_strict)
{
    char path[256];
    test_db_path(path, "strict.db");
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_CREATE), QALA_OK);
    cr_assert_eq(test_sql_int(s, "SELECT count(*) FROM pragma_table_list WHERE schema = 'main'"
                            " AND name NOT LIKE 'sqlite_%' AND strict = 0"), 0);
    cr_assert_geq(test_sql_int(s, "SELECT count(*) FROM pragma_table_list WHERE schema = 'main'"
                             " AND strict = 1"), 10);
    /* STRICT refuses a text in an INTEGER column. */
    cr_assert_eq(qala_store__exec(s, "INSERT INTO batches(file, sha256, imported_at, inserted)"
                                     " VALUES('f', printf('%064d', 0), '2024-01-01T00:00:00Z', 'x')"),
                 QALA_EDB);
    qala_store_close(s);
}

Test(store_open, read_write_of_a_missing_file_says_to_run_init)
{
    char path[256];
    test_db_path(path, "missing.db");
    qala_store *s = (qala_store *)&s; /* not NULL, to see that open clears it */
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_WRITE), QALA_EIO);
    cr_assert_null(s);
    char expected[400];
    snprintf(expected, sizeof expected, "database '%s' does not exist: run 'qala init'", path);
    cr_assert_str_eq(qala_error_last()->message, expected);
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_ONLY), QALA_EIO);
    struct stat sb;
    cr_assert_neq(stat(path, &sb), 0, "a failed open must not create the file");
}

Test(store_open, an_empty_existing_file_is_migrated)
{
    char path[256];
    test_db_path(path, "empty.db");
    test_write_file(path, "", 0);
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_WRITE), QALA_OK, "%s",
                 qala_error_last()->message);
    cr_assert_eq(qala_store_schema_version(s), qala_store__latest_version());
    cr_assert_eq(test_sql_int(s, "SELECT count(*) FROM domains"), 10);
    qala_store_close(s);
}

Test(store_open, refuses_a_newer_schema)
{
    char path[256];
    test_db_path(path, "newer.db");
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_CREATE), QALA_OK);
    test_exec(s, "PRAGMA user_version = 99");
    qala_store_close(s);
    for (int mode = 0; mode < 3; mode++) {
        cr_assert_eq(qala_store_open(&s, path, (qala_store_mode)mode), QALA_EDB);
        cr_assert_null(s);
        char expected[128];
        snprintf(expected, sizeof expected,
                 "database schema version 99 is newer than this qala (%d)",
                 qala_store__latest_version());
        cr_assert_str_eq(qala_error_last()->message, expected);
    }
}

Test(store_open, refuses_a_file_that_is_not_sqlite_and_leaves_it_alone)
{
    char path[256];
    test_db_path(path, "garbage.db");
    unsigned char garbage[4096];
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (unsigned char)(i * 131 + 7);
    test_write_file(path, garbage, sizeof garbage);
    for (int mode = 0; mode < 3; mode++) {
        qala_store *s;
        cr_assert_eq(qala_store_open(&s, path, (qala_store_mode)mode), QALA_EDB);
        cr_assert_null(s);
        cr_assert(strstr(qala_error_last()->message, "is not a qala database"), "%s",
                  qala_error_last()->message);
    }
    test_assert_same_file(path, garbage, sizeof garbage);
}

Test(store_open, refuses_another_applications_sqlite_database_and_leaves_it_alone)
{
    char path[256];
    test_db_path(path, "other.db");
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT);"
                                  "INSERT INTO notes(text) VALUES('hello')", NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    size_t len;
    unsigned char *before = test_read_file(path, &len);
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_WRITE), QALA_EDB);
    char expected[300];
    snprintf(expected, sizeof expected, "'%s' is not a qala database", path);
    cr_assert_str_eq(qala_error_last()->message, expected);
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_CREATE), QALA_EDB);
    test_assert_same_file(path, before, len);
    free(before);
    /* Another application id, even without tables, is not ours either. */
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "DROP TABLE notes; PRAGMA application_id = 1234", NULL, NULL,
                              NULL), SQLITE_OK);
    sqlite3_close(db);
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_WRITE), QALA_EDB);
}

Test(store_open, read_only_reads_but_refuses_writes)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_store_close(s);
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_ONLY), QALA_OK, "%s",
                 qala_error_last()->message);
    qala_store_counts c;
    cr_assert_eq(qala_store_counts_get(s, &c), QALA_OK);
    cr_assert_eq(c.units, 3);
    cr_assert_eq(c.indicators, 2);
    qala_dataset *ds;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    test_add(ds, "U1", "I1", 202200, 1.0, QALA_FLAG_NONE);
    qala_batch_info info = {.file = "x.csv", .sha256 = test_sha};
    qala_batch_result r;
    cr_assert_eq(qala_store_import(s, ds, &info, &r), QALA_EDB);
    cr_assert(strstr(qala_error_last()->message, "read-only"), "%s", qala_error_last()->message);
    qala_dataset_free(ds);
    qala_store_close(s);
}

Test(store_open, read_only_refuses_an_empty_file)
{
    char path[256];
    test_db_path(path, "empty.db");
    test_write_file(path, "", 0);
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_ONLY), QALA_EDB);
    cr_assert(strstr(qala_error_last()->message, "run 'qala init'"), "%s",
              qala_error_last()->message);
}

Test(store_open, rejects_bad_arguments)
{
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, "", QALA_STORE_CREATE), QALA_EINVAL);
    cr_assert_eq(qala_store_open(&s, "/tmp/x.db", (qala_store_mode)7), QALA_EINVAL);
    cr_assert_null(s);
}

Test(store_open, foreign_keys_are_enforced)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    /* unit 999 does not exist */
    cr_assert_eq(qala_store__exec(s, "INSERT INTO unit_names(unit_id, lang, name, folded,"
                                     " valid_from, valid_to, official)"
                                     " VALUES(999, 'en', 'X', 'x', 0, 99991231, 1)"),
                 QALA_EDB);
    cr_assert(strstr(qala_error_last()->message, "FOREIGN KEY"), "%s",
              qala_error_last()->message);
    test_exec(s, "INSERT INTO batches(file, sha256, imported_at) VALUES('f.csv',"
                 " printf('%064d', 0), '2024-01-01T00:00:00Z')");
    cr_assert_eq(qala_store__exec(s, "INSERT INTO observations(unit_id, indicator_id, period,"
                                     " value, flag, batch_id) VALUES(1, 999, 202200, 1.0, 0, 1)"),
                 QALA_EDB);
    /* A unit with names can go (cascade); with an observation it can't. */
    test_exec(s, "INSERT INTO observations(unit_id, indicator_id, period, value, flag, batch_id)"
                 " VALUES(1, 1, 202200, 1.0, 0, 1)");
    cr_assert_eq(qala_store__exec(s, "DELETE FROM units WHERE id = 1"), QALA_EDB);
    cr_assert_eq(test_sql_int(s, "SELECT count(*) FROM units"), 3);
    qala_store_close(s);
}

Test(store_open, qala_fold_folds_case_in_any_script)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    char buf[128];
    /* Expected values from the folding rules of include/qala/text.h. */
    sql_text(s, "SELECT qala_fold('ҚАРАҒАНДЫ')", buf, sizeof buf);
    cr_assert_str_eq(buf, "қарағанды");
    cr_assert_eq(test_sql_int(s, "SELECT qala_fold('ALMATY') = qala_fold('Almaty')"), 1);
    cr_assert_eq(test_sql_int(s, "SELECT qala_fold('Ақтөбе') = qala_fold('АҚТӨБЕ')"), 1);
    /* Kazakh letters stay distinct from Russian ones. */
    cr_assert_eq(test_sql_int(s, "SELECT qala_fold('Қ') = qala_fold('К')"), 0);
    cr_assert_eq(test_sql_int(s, "SELECT qala_fold(NULL) IS NULL"), 1);
    /* Not UTF-8: an SQL error, not a crash. */
    sqlite3_stmt *stmt;
    cr_assert_eq(sqlite3_prepare_v2(qala_store__handle(s), "SELECT qala_fold(CAST(X'FF41' AS TEXT))",
                                    -1, &stmt, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(stmt), SQLITE_ERROR);
    cr_assert(strstr(sqlite3_errmsg(qala_store__handle(s)), "UTF-8"));
    sqlite3_finalize(stmt);

    /* Names are looked up through the folded column and its index. */
    test_exec(s, "INSERT INTO unit_names(unit_id, lang, name, folded, valid_from, valid_to, official)"
                 " VALUES(3, 'kk', 'Қарағанды', qala_fold('Қарағанды'), 0, 99991231, 1)");
    cr_assert_eq(test_sql_int(s, "SELECT unit_id FROM unit_names WHERE folded = qala_fold('ҚАРАҒАНДЫ')"), 3);
    sqlite3_stmt *plan;
    cr_assert_eq(sqlite3_prepare_v2(qala_store__handle(s),
                                    "EXPLAIN QUERY PLAN SELECT unit_id FROM unit_names"
                                    " WHERE folded = qala_fold('X')", -1, &plan, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(plan), SQLITE_ROW);
    cr_assert(strstr((const char *)sqlite3_column_text(plan, 3), "unit_names_folded"), "plan: %s",
              sqlite3_column_text(plan, 3));
    sqlite3_finalize(plan);
    qala_store_close(s);
}

Test(store_open, set_clock_accepts_only_utc_timestamps)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    cr_assert_eq(qala_store__set_clock(s, "2024-01-01T00:00:00Z"), QALA_OK);
    cr_assert_eq(qala_store__set_clock(s, "2024-01-01 00:00:00"), QALA_EINVAL);
    cr_assert_eq(qala_store__set_clock(s, "2024-01-01T00:00:00Z "), QALA_EINVAL);
    cr_assert_eq(qala_store__set_clock(s, NULL), QALA_OK);
    qala_store_close(s);
}
