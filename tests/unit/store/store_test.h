/* tests/unit/store/store_test.h — helpers shared by the store tests: a fresh temporary
 * directory per test, the file's bytes for byte-for-byte comparisons, and seeding the
 * units and indicators with plain SQL (so most tests don't depend on the registry).
 */
#ifndef QALA_TEST_STORE_H
#define QALA_TEST_STORE_H

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qala/dataset.h"
#include "qala/store.h"
#include "store/store_internal.h"

/* A new directory under /tmp and "<dir>/<name>" in path. The directory is left for the
 * OS to clean (tests run in separate processes). */
static inline void test_db_path(char path[static 256], const char *name)
{
    char dir[] = "/tmp/qala-store-test-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, 256, "%s/%s", dir, name);
}

/* The whole file, malloc'ed; *len its size. */
static inline unsigned char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "can't open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static inline void test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Asserts that the file at path has exactly these bytes. */
static inline void test_assert_same_file(const char *path, const unsigned char *before,
                                         size_t len)
{
    size_t now_len;
    unsigned char *now = test_read_file(path, &now_len);
    cr_assert_eq(now_len, len, "file size changed: %zu -> %zu", len, now_len);
    cr_assert(memcmp(now, before, len) == 0, "file bytes changed");
    free(now);
}

static inline void test_exec(qala_store *s, const char *sql)
{
    qala_status st = qala_store__exec(s, sql);
    cr_assert_eq(st, QALA_OK, "%s: %s", sql, qala_error_last()->message);
}

/* The integer in the first column of the first row of sql, run on the store's handle. */
static inline long long test_sql_int(qala_store *s, const char *sql)
{
    sqlite3_stmt *stmt;
    cr_assert_eq(sqlite3_prepare_v2(qala_store__handle(s), sql, -1, &stmt, NULL), SQLITE_OK,
                 "%s: %s", sql, sqlite3_errmsg(qala_store__handle(s)));
    cr_assert_eq(sqlite3_step(stmt), SQLITE_ROW, "%s", sql);
    long long v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

/* Fictional units U1..U3 and indicators I1, I2 (not the Kazakhstan registry). */
static inline void test_seed_codes(qala_store *s)
{
    test_exec(s, "INSERT INTO units(code, kind, valid_from, valid_to) VALUES"
                 " ('U1', 'country', 0, 99991231), ('U2', 'region', 0, 99991231),"
                 " ('U3', 'city', 0, 99991231);"
                 "INSERT INTO indicators(code, domain, direction, decimals) VALUES"
                 " ('I1', 'incomes', 1, 1), ('I2', 'labour', -1, 2)");
}

static inline qala_store *test_open_seeded(char path[static 256])
{
    test_db_path(path, "qala.db");
    qala_store *s = NULL;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_CREATE), QALA_OK, "%s",
                 qala_error_last()->message);
    test_seed_codes(s);
    return s;
}

/* Appends one observation by codes. */
static inline void test_add(qala_dataset *ds, const char *unit, const char *ind,
                            qala_period period, double value, qala_flag flag)
{
    uint32_t u, i;
    cr_assert_eq(qala_dataset_intern_unit(ds, unit, &u), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(ds, ind, &i), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, u, i, period, value, flag,
                                     (uint32_t)qala_dataset_size(ds) + 2), QALA_OK);
}

static const char test_sha[] =
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

static inline qala_batch_result test_import(qala_store *s, const qala_dataset *ds,
                                            const char *clock)
{
    qala_batch_info info = {.file = "obs.csv", .sha256 = test_sha, .note = NULL};
    qala_batch_result r;
    cr_assert_eq(qala_store__set_clock(s, clock), QALA_OK);
    qala_status st = qala_store_import(s, ds, &info, &r);
    cr_assert_eq(st, QALA_OK, "import: %s", qala_error_last()->message);
    return r;
}

#endif
