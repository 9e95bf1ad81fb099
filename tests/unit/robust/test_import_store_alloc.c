/* Allocation failure on the whole import path into the store (issue 6, §4): reading a
 * demo-size file (qala_import_file: CSV, and an XLSX workbook), opening the database
 * (qala_store_open), storing the observations (qala_store_import) and closing it, with
 * allocation n failing for every n until the path makes no more than n allocations
 * (curl's torture tests; tests/unit/import/test_import_alloc.c does the same for the
 * import into memory). Each run must end in QALA_ENOMEM with the database file
 * byte-for-byte as it was (and no WAL file left), or — where the failure was absorbed —
 * in the very database an undisturbed run makes. The hook counts the blocks alive, so a
 * leak fails the test in the plain build too; ASan (build-asan) checks the rest.
 *
 * The database: the Kazakhstan registry and framework (as `qala init` stores them) with
 * data/demo/wages_2022.csv already imported. The imports: data/demo/population_regions.csv
 * (the demo's real figures, 420 rows) and a BNS-style workbook of region populations
 * (built here with xlsx_build.h: a title, years over total / men / women, a note; the
 * figures are made up). The clock is fixed (qala_store__set_clock) so that the batch
 * timestamps, and so the files, of two successful runs are the same.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "counting_alloc.h"
#include "qala/qala.h"
#include "store/store_internal.h"
#include "xlsx/xlsx_build.h"

static const char sha[] = "0000000000000000000000000000000000000000000000000000000000000000";
static const char clock_iso[] = "2024-05-01T00:00:00Z";

static qala_registry *reg;
static qala_framework *fw;
static char dir[64], db[128];

/* ---- files ---- */

static unsigned char *read_all(const char *path, size_t *len)
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

static void write_all(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "can't write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void no_wal_left(void)
{
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", db);
    struct stat st;
    cr_assert(!exists(wal) || (stat(wal, &st) == 0 && st.st_size == 0),
              "a WAL file with content was left next to the database");
}

/* Removes the WAL and shared-memory files (before the database file is put back). */
static void remove_wal(void)
{
    char side[160];
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
}

/* When a failure left a WAL file with content (SQLite could not checkpoint on close),
 * what the database holds is the file and its WAL: an undisturbed open and close
 * recovers it (committed frames into the file, the rest dropped), so the comparison of
 * the file's bytes that follows is of the whole state. Returns 1 when there was one. */
static int settle_wal(void)
{
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", db);
    struct stat st;
    if (stat(wal, &st) != 0 || st.st_size == 0)
        return 0;
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, db, QALA_STORE_READ_WRITE), QALA_OK, "reopening after a failure: %s",
                 qala_error_last()->message);
    qala_store_close(s);
    no_wal_left();
    return 1;
}

/* Imports path into the store with the default allocator (the setup). */
static void plain_import(const char *path)
{
    qala_dataset *ds;
    qala_findings *f;
    qala_import_stats stats;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_import_file(ds, f, &stats, path, NULL, reg, fw, NULL), QALA_OK, "%s: %s", path,
                 qala_error_last()->message);
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, db, QALA_STORE_READ_WRITE), QALA_OK);
    cr_assert_eq(qala_store__set_clock(s, "2024-04-01T00:00:00Z"), QALA_OK);
    qala_batch_info info = {path, sha, NULL};
    qala_batch_result r;
    cr_assert_eq(qala_store_import(s, ds, &info, &r), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_gt(r.inserted, 0);
    qala_store_close(s);
    qala_findings_free(f);
    qala_dataset_free(ds);
}

/* The registry and framework, and the database as described at the top. */
static void setup(void)
{
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, NULL), QALA_OK);
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, NULL), QALA_OK);
    snprintf(dir, sizeof dir, "/tmp/qala-robust-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/qala.db", dir);
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, db, QALA_STORE_CREATE), QALA_OK);
    cr_assert_eq(qala_store_save_registry(s, reg), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_store_save_framework(s, fw), QALA_OK, "%s", qala_error_last()->message);
    qala_store_close(s);
    plain_import(QALA_SOURCE_DIR "/data/demo/wages_2022.csv");
}

static void teardown(void)
{
    qala_framework_free(fw);
    qala_registry_free(reg);
}

TestSuite(import_store_alloc, .init = setup, .fini = teardown);

/* ---- one run, and the torture loop ---- */

typedef struct outcome {
    qala_status st;
    int stage; /* 0 import_file, 1 store_open, 2 set_clock, 3 store_import, 4 done */
    qala_batch_result r;
} outcome;

/* The whole path with allocation n failing (0: none); asserts that every block
 * allocated through the hook was freed. */
static outcome run_once(const char *path, const qala_import_options *opt, size_t n, size_t *allocations)
{
    outcome o = {QALA_OK, 0, {0, 0, 0, 0}};
    live = 0;
    qala_allocator_set(&failing);
    alloc_count = 0;
    fail_at = n;
    armed = 1;
    qala_dataset *ds = NULL;
    qala_findings *f = NULL;
    qala_store *s = NULL;
    qala_import_stats stats;
    if ((o.st = qala_dataset_new(&ds)) != QALA_OK || (o.st = qala_findings_new(&f)) != QALA_OK)
        goto done;
    if ((o.st = qala_import_file(ds, f, &stats, path, "import", reg, fw, opt)) != QALA_OK)
        goto done;
    o.stage = 1;
    if ((o.st = qala_store_open(&s, db, QALA_STORE_READ_WRITE)) != QALA_OK) {
        cr_assert_null(s, "a failed qala_store_open must leave *out NULL");
        goto done;
    }
    o.stage = 2;
    if ((o.st = qala_store__set_clock(s, clock_iso)) != QALA_OK)
        goto done;
    o.stage = 3;
    qala_batch_info info = {"import", sha, "allocation-failure test"};
    if ((o.st = qala_store_import(s, ds, &info, &o.r)) != QALA_OK)
        goto done;
    o.stage = 4;
done:
    qala_store_close(s);
    qala_findings_free(f);
    qala_dataset_free(ds);
    armed = 0;
    *allocations = alloc_count;
    qala_allocator_set(NULL);
    cr_assert_eq(live, 0, "allocation %zu failed (status %d at stage %d): %ld blocks not freed", n,
                 (int)o.st, o.stage, live);
    return o;
}

static void torture(const char *path, const qala_import_options *opt, size_t min_inserted)
{
    size_t before_len, ref_len;
    unsigned char *before = read_all(db, &before_len);
    no_wal_left();

    size_t total;
    outcome ref = run_once(path, opt, 0, &total);
    cr_assert_eq(ref.st, QALA_OK, "undisturbed run: %d at stage %d: %s", (int)ref.st, ref.stage,
                 qala_error_last()->message);
    cr_assert_geq(ref.r.inserted, min_inserted, "the import adds observations: %zu", ref.r.inserted);
    cr_assert_gt(total, 100, "only %zu allocations: is the hook in place?", total);
    unsigned char *after_ref = read_all(db, &ref_len);
    cr_assert(ref_len != before_len || memcmp(before, after_ref, ref_len) != 0,
              "the undisturbed import changed the database");
    no_wal_left();

    size_t nomem = 0, stages[5] = {0};
    for (size_t n = 1; n <= total + 1; n++) {
        remove_wal();
        write_all(db, before, before_len);
        size_t made, len;
        outcome o = run_once(path, opt, n, &made);
        unsigned char *now = read_all(db, &len);
        no_wal_left();
        if (o.st == QALA_OK) {
            /* absorbed: then the same result as the undisturbed run, to the byte */
            cr_assert_eq(o.r.inserted, ref.r.inserted, "allocation %zu", n);
            cr_assert_eq(o.r.revised, ref.r.revised, "allocation %zu", n);
            cr_assert(len == ref_len && memcmp(now, after_ref, len) == 0,
                      "allocation %zu failed, the run succeeded, but the database differs from an "
                      "undisturbed run's", n);
        } else {
            cr_assert_eq(o.st, QALA_ENOMEM, "allocation %zu of %zu failed at stage %d: status %d (%s)", n,
                         total, o.stage, (int)o.st, qala_error_last()->message);
            cr_assert(len == before_len && memcmp(now, before, len) == 0,
                      "allocation %zu failed at stage %d: the database file changed", n, o.stage);
            nomem++;
            stages[o.stage]++;
        }
        free(now);
    }
    cr_assert_gt(nomem, 0, "no allocation failure was reported as QALA_ENOMEM");
    cr_assert_gt(stages[0], 0, "no failure while reading the file");
    cr_assert_gt(stages[1] + stages[3], 0, "no failure in the store");
    cr_log_info("%s: %zu allocations, %zu failures reported as ENOMEM (read %zu, open %zu, store %zu)",
                path, total, nomem, stages[0], stages[1], stages[3]);
    free(before);
    free(after_ref);
}

Test(import_store_alloc, the_demo_population_csv_fails_cleanly_at_every_allocation)
{
    torture(QALA_SOURCE_DIR "/data/demo/population_regions.csv", NULL, 300);
}

Test(import_store_alloc, an_official_xlsx_table_fails_cleanly_at_every_allocation)
{
    /* A BNS-style table: title, years 2021 and 2022 each over "Всего / мужчины / женщины"
     * (merged year cells), the regions by their Russian names, a footnote. Made-up figures. */
    static const char *const regions[] = {"Акмолинская область", "Актюбинская область",
                                          "Алматинская область", "Атырауская область",
                                          "Западно-Казахстанская область", "Жамбылская область",
                                          "Карагандинская область", "Костанайская область",
                                          "Кызылординская область", "Мангистауская область",
                                          "Павлодарская область", "Северо-Казахстанская область",
                                          "Восточно-Казахстанская область"};
    enum { NREG = sizeof regions / sizeof regions[0] };
    char rows[16384], sst[4096];
    size_t o = (size_t)snprintf(rows, sizeof rows,
                                "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                                "<row r=\"3\"><c r=\"B3\"><v>2021</v></c><c r=\"E3\"><v>2022</v></c></row>"
                                "<row r=\"4\"><c r=\"B4\" t=\"s\"><v>1</v></c><c r=\"C4\" t=\"s\"><v>2</v></c>"
                                "<c r=\"D4\" t=\"s\"><v>3</v></c><c r=\"E4\" t=\"s\"><v>1</v></c>"
                                "<c r=\"F4\" t=\"s\"><v>2</v></c><c r=\"G4\" t=\"s\"><v>3</v></c></row>");
    size_t so = (size_t)snprintf(sst, sizeof sst,
                                 "<si><t>Численность населения по областям, человек</t></si>"
                                 "<si><t>Всего</t></si><si><t>мужчины</t></si><si><t>женщины</t></si>"
                                 "<si><t>* оценка</t></si>");
    for (int i = 0; i < NREG; i++) {
        so += (size_t)snprintf(sst + so, sizeof sst - so, "<si><t>%s</t></si>", regions[i]);
        int r = 5 + i;
        long m = 400000 + 10000L * i, w = 410000 + 10000L * i;
        o += (size_t)snprintf(rows + o, sizeof rows - o,
                              "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>%d</v></c><c r=\"B%d\"><v>%ld</v></c>"
                              "<c r=\"C%d\"><v>%ld</v></c><c r=\"D%d\"><v>%ld</v></c><c r=\"E%d\"><v>%ld</v></c>"
                              "<c r=\"F%d\"><v>%ld</v></c><c r=\"G%d\"><v>%ld</v></c></row>",
                              r, r, 5 + i, r, m + w, r, m, r, w, r, m + w + 900, r, m + 400, r, w + 500);
    }
    snprintf(rows + o, sizeof rows - o, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>4</v></c></row>", 7 + NREG,
             7 + NREG);
    size_t len;
    char *z = book1(rows, "<mergeCells><mergeCell ref=\"A1:G1\"/><mergeCell ref=\"B3:D3\"/>"
                          "<mergeCell ref=\"E3:G3\"/></mergeCells>", sst, NULL, &len);
    char path[160];
    snprintf(path, sizeof path, "%s/regions.xlsx", dir);
    write_all(path, z, len);
    free(z);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.header_rows = 2;
    opt.indicator = "population";
    torture(path, &opt, 2 * NREG); /* the totals of 2021 and 2022; men and women are ignored */
}

/* ---- SQLite's own allocations ----
 *
 * SQLite does not allocate through qala_mem__*, so the hook above never fails its
 * memory. Here SQLite's allocator (sqlite3_config(SQLITE_CONFIG_MALLOC)) is wrapped the
 * same way: the file is read first (undisturbed), then allocation n of SQLite fails
 * while the store is opened, the observations stored and the store closed. SQLite
 * reports SQLITE_NOMEM, which must come out as QALA_ENOMEM with the file unchanged (or
 * be absorbed, with the undisturbed result), and every block SQLite took while armed
 * must be given back when the store is closed. */

static sqlite3_mem_methods sqlite_orig;
static long sqlite_live;

static void *sqlite_failing_malloc(int n)
{
    if (armed && ++alloc_count == fail_at)
        return NULL;
    void *p = sqlite_orig.xMalloc(n);
    sqlite_live += p != NULL;
    return p;
}

static void sqlite_counting_free(void *p)
{
    sqlite_live -= p != NULL;
    sqlite_orig.xFree(p);
}

static void *sqlite_failing_realloc(void *p, int n)
{
    if (armed && ++alloc_count == fail_at)
        return NULL;
    return sqlite_orig.xRealloc(p, n);
}

static void install_sqlite_hook(void)
{
    cr_assert_eq(sqlite3_shutdown(), SQLITE_OK);
    cr_assert_eq(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_orig), SQLITE_OK);
    sqlite3_mem_methods m = sqlite_orig;
    m.xMalloc = sqlite_failing_malloc;
    m.xFree = sqlite_counting_free;
    m.xRealloc = sqlite_failing_realloc;
    cr_assert_eq(sqlite3_config(SQLITE_CONFIG_MALLOC, &m), SQLITE_OK);
    /* no lookaside: every small allocation of a statement goes through the hook */
    cr_assert_eq(sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0), SQLITE_OK);
    cr_assert_eq(sqlite3_initialize(), SQLITE_OK);
}

/* Open, store ds, close, with SQLite's allocation n failing (0: none). */
static outcome sqlite_run_once(const qala_dataset *ds, size_t n, size_t *allocations)
{
    outcome o = {QALA_OK, 1, {0, 0, 0, 0}};
    qala_store *s = NULL;
    sqlite_live = 0;
    alloc_count = 0;
    fail_at = n;
    armed = 1;
    if ((o.st = qala_store_open(&s, db, QALA_STORE_READ_WRITE)) != QALA_OK) {
        cr_assert_null(s, "a failed qala_store_open must leave *out NULL");
        goto done;
    }
    o.stage = 2;
    if ((o.st = qala_store__set_clock(s, clock_iso)) != QALA_OK)
        goto done;
    o.stage = 3;
    qala_batch_info info = {"import", sha, "allocation-failure test"};
    if ((o.st = qala_store_import(s, ds, &info, &o.r)) != QALA_OK)
        goto done;
    o.stage = 4;
done:
    qala_store_close(s);
    armed = 0;
    *allocations = alloc_count;
    cr_assert_eq(sqlite_live, 0, "SQLite allocation %zu failed (status %d at stage %d): %ld blocks "
                 "still held after close", n, (int)o.st, o.stage, sqlite_live);
    return o;
}

Test(import_store_alloc, sqlite_allocation_failures_leave_the_database_unchanged)
{
    install_sqlite_hook();
    qala_dataset *ds;
    qala_findings *f;
    qala_import_stats stats;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_import_file(ds, f, &stats, QALA_SOURCE_DIR "/data/demo/unemployment_2022.csv",
                                  "import", reg, fw, NULL), QALA_OK);
    size_t before_len, ref_len, total;
    unsigned char *before = read_all(db, &before_len);
    outcome ref = sqlite_run_once(ds, 0, &total);
    cr_assert_eq(ref.st, QALA_OK, "undisturbed run: %s", qala_error_last()->message);
    cr_assert_gt(ref.r.inserted, 10);
    cr_assert_gt(total, 50, "only %zu SQLite allocations: is the hook in place?", total);
    unsigned char *after_ref = read_all(db, &ref_len);
    size_t nomem = 0, wal_left = 0;
    for (size_t n = 1; n <= total + 1; n++) {
        remove_wal();
        write_all(db, before, before_len);
        size_t made, len;
        outcome o = sqlite_run_once(ds, n, &made);
        wal_left += settle_wal();
        unsigned char *now = read_all(db, &len);
        if (o.st == QALA_OK) {
            cr_assert(len == ref_len && memcmp(now, after_ref, len) == 0,
                      "SQLite allocation %zu failed, the run succeeded, but the database differs "
                      "from an undisturbed run's", n);
        } else {
            cr_assert_eq(o.st, QALA_ENOMEM, "SQLite allocation %zu of %zu failed at stage %d: status %d (%s)",
                         n, total, o.stage, (int)o.st, qala_error_last()->message);
            int unchanged = len == before_len && memcmp(now, before, len) == 0;
            cr_assert(unchanged, "SQLite allocation %zu failed at stage %d: the call says %s "
                      "but the database file changed", n, o.stage, qala_error_last()->message);
            nomem++;
        }
        free(now);
    }
    cr_assert_gt(nomem, 0);
    cr_log_info("SQLite: %zu allocations, %zu failures reported as ENOMEM, %zu left a WAL to recover",
                total, nomem, wal_left);
    free(before);
    free(after_ref);
    qala_findings_free(f);
    qala_dataset_free(ds);
}
