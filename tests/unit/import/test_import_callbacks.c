/* on_reject and on_progress, imports from a file, and the name caches (one finding per
 * row however often a spelling repeats). Fictional names and figures (import_fixture.h). */
#include <unistd.h>

#include "import_fixture.h"

TestSuite(import_callbacks, .init = fx_build, .fini = fx_free);

#define MAX_REJECTS 16

typedef struct rejects {
    size_t n;
    long line[MAX_REJECTS];
    size_t nfields[MAX_REJECTS];
    char fields[MAX_REJECTS][256]; /* joined with '|'; "(null)" when fields is NULL */
    char reason[MAX_REJECTS][512];
} rejects;

static void on_reject(void *ctx, long line, const char *const *fields, const size_t *lengths,
                      size_t nfields, const char *reason)
{
    rejects *r = ctx;
    cr_assert_lt(r->n, MAX_REJECTS);
    size_t k = r->n++;
    r->line[k] = line;
    r->nfields[k] = nfields;
    if (!fields) {
        snprintf(r->fields[k], sizeof r->fields[k], "(null)");
    } else {
        size_t o = 0;
        for (size_t i = 0; i < nfields; i++)
            o += (size_t)snprintf(r->fields[k] + o, sizeof r->fields[k] - o, "%s%.*s",
                                  i ? "|" : "", (int)lengths[i], fields[i]);
    }
    snprintf(r->reason[k], sizeof r->reason[k], "%s", reason ? reason : "(null)");
}

Test(import_callbacks, on_reject_gets_line_fields_and_first_reason_of_each_rejected_row)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,population,2021,abc\n"
        "TL-SP,population,2021,700\n"
        "Nowhere,population,2021-Q9,1\n"
        "TL-SP,population\n"
        "TL-SP,population,2021,701\n";
    rejects r = {0};
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.on_reject = on_reject;
    opt.reject_ctx = &r;
    cr_assert_eq(fx_import(csv, &opt), QALA_EDATA);
    cr_assert_eq(r.n, 4);

    cr_expect_eq(r.line[0], 2);
    cr_expect_eq(r.nfields[0], 4);
    cr_expect_str_eq(r.fields[0], "TL-TV|population|2021|abc");
    cr_expect_str_eq(r.reason[0],
                     "\"abc\" is not a number: expected digits with an optional sign, decimal mark "
                     "and thousands separators, or a missing-value marker such as \"-\"");

    cr_expect_eq(r.line[1], 4);
    cr_expect_str_eq(r.fields[1], "Nowhere|population|2021-Q9|1");
    cr_expect_str_eq(r.reason[1],
                     "unknown unit \"Nowhere\": expected a unit code or name of the registry");

    cr_expect_eq(r.line[2], 5);
    cr_expect_eq(r.nfields[2], 2);
    cr_expect_str_eq(r.fields[2], "TL-SP|population");
    cr_expect_str_eq(r.reason[2], "row has 2 fields, the header has 4: expected one value per column");

    /* duplicates are found after reading: no fields */
    cr_expect_eq(r.line[3], 6);
    cr_expect_eq(r.nfields[3], 0);
    cr_expect_str_eq(r.fields[3], "(null)");
    cr_expect_str_eq(r.reason[3], "duplicate observation: TL-SP, population, 2021 is already on line 3");

    cr_expect_eq(stats.rejected_rows, 4);
    cr_expect_eq(qala_dataset_size(ds), 1);
}

Test(import_callbacks, on_reject_gets_the_reason_of_its_own_row_when_findings_are_capped)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "TL-TV,population,2021,abc\n"
        "TL-TV,population,2021-Q9,1\n";
    rejects r = {0};
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.on_reject = on_reject;
    opt.reject_ctx = &r;
    qala_findings_set_cap(fnd, 1);
    cr_assert_eq(fx_import(csv, &opt), QALA_EDATA);
    cr_expect_eq(qala_findings_errors(fnd), 2);
    cr_assert_eq(r.n, 2);
    cr_expect_eq(r.line[1], 3);
    cr_expect_str_eq(r.reason[1], "\"2021-Q9\" is not a period: expected YYYY, YYYY-Qn or YYYY-MM",
                     "line 3 rejected with the reason of another row: %s", r.reason[1]);
}

Test(import_callbacks, the_same_unknown_names_on_many_rows_give_one_finding_per_row)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "Nowhere,population,2016,1\n"
        "Nowhere,population,2017,1\n"
        "TL-TV,populaton,2018,1\n"
        "Nowhere,population,2019,1\n"
        "TL-TV,populaton,2020,1\n"
        "Nowhere,populaton,2021,1\n"
        "TL-TV,population,2022,1\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    static const char unit_msg[] =
        "unknown unit \"Nowhere\": expected a unit code or name of the registry";
    static const char ind_msg[] = "unknown indicator \"populaton\": did you mean \"population\"?";
    fx_expect_count(7);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 1, "unknown-unit", unit_msg);
    fx_expect(1, QALA_SEVERITY_ERROR, 3, 1, "unknown-unit", unit_msg);
    fx_expect(2, QALA_SEVERITY_ERROR, 4, 2, "unknown-indicator", ind_msg);
    fx_expect(3, QALA_SEVERITY_ERROR, 5, 1, "unknown-unit", unit_msg);
    fx_expect(4, QALA_SEVERITY_ERROR, 6, 2, "unknown-indicator", ind_msg);
    fx_expect(5, QALA_SEVERITY_ERROR, 7, 1, "unknown-unit", unit_msg);
    fx_expect(6, QALA_SEVERITY_ERROR, 7, 2, "unknown-indicator", ind_msg);
    cr_expect_eq(stats.rejected_rows, 6);
    cr_expect_eq(qala_dataset_size(ds), 1);
}

Test(import_callbacks, cached_names_resolve_on_every_row)
{
    const char *csv =
        "unit,indicator,period,value\n"
        "Testville,population,2020,1\n"
        "Testville,population,2021,2\n"
        "Sampleton,population,2020,3\n"
        "Testville,Population,2022,4\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    cr_expect_eq(qala_dataset_size(ds), 4);
    fx_expect_obs("TL-TV", "population", 202100, 2, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "population", 202000, 3, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202200, 4, QALA_FLAG_NONE);
}

Test(import_callbacks, consecutive_rows_switching_between_spellings_resolve_each_row)
{
    /* The importer remembers the previous row's spellings (sorted files repeat them);
     * switching between known, unknown and long (uncached) spellings must not mix
     * them up. */
    const char *csv =
        "unit,indicator,period,value\n"
        "Testville,population,2001,1\n"
        "Testville,population,2002,2\n"
        "Nowhere,population,2003,3\n"
        "Nowhere,population,2004,4\n"
        "Testville,price_change,2005,5\n"
        "\"" LONG_ALIAS "\",price_change,2006,6\n"
        "\"" LONG_ALIAS "\",price_change,2007,7\n"
        "Testville,price_change,2008,8\n"
        "\"" LONG_ALIAS "x\",price_change,2009,9\n"
        "Testvill,price_change,2010,10\n"
        "Testville,population,2011,11\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(4);
    fx_expect(0, QALA_SEVERITY_ERROR, 4, 1, "unknown-unit",
              "unknown unit \"Nowhere\": expected a unit code or name of the registry");
    fx_expect(1, QALA_SEVERITY_ERROR, 5, 1, "unknown-unit",
              "unknown unit \"Nowhere\": expected a unit code or name of the registry");
    fx_expect(2, QALA_SEVERITY_ERROR, 10, 1, "unknown-unit",
              "unknown unit \"" LONG_ALIAS "x\": did you mean \"Sampleton\" (TL-SP, city)?");
    fx_expect(3, QALA_SEVERITY_ERROR, 11, 1, "unknown-unit",
              "unknown unit \"Testvill\": did you mean \"Testville\" (TL-TV, city)?");
    cr_expect_eq(qala_dataset_size(ds), 7);
    fx_expect_obs("TL-TV", "population", 200100, 1, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 200200, 2, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "price_change", 200500, 5, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "price_change", 200600, 6, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "price_change", 200700, 7, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "price_change", 200800, 8, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 201100, 11, QALA_FLAG_NONE);
}

/* ---- files ---- */

static void temp_file(char path[static 64], const void *data, size_t len)
{
    snprintf(path, 64, "/tmp/qala-import-test-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
}

typedef struct progress {
    size_t calls, last_done, last_total;
    int went_back;
} progress;

static void on_progress(void *ctx, size_t done, size_t total)
{
    progress *p = ctx;
    if (p->calls && done < p->last_done)
        p->went_back = 1;
    p->calls++;
    p->last_done = done;
    p->last_total = total;
}

Test(import_callbacks, a_file_is_read_and_progress_ends_with_done_equal_to_total)
{
    const char csv[] =
        "unit,indicator,period,value\n"
        "TL-TV,population,2021,1000\n"
        "TL-SP,population,2021,700\n";
    char path[64];
    temp_file(path, csv, sizeof csv - 1);
    progress p = {0};
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.on_progress = on_progress;
    opt.progress_ctx = &p;
    qala_status st = qala_import_file(ds, fnd, &stats, path, "t.csv", reg, fw, &opt);
    unlink(path);
    cr_assert_eq(st, QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(p.calls, 1);
    cr_expect_eq(p.last_done, sizeof csv - 1);
    cr_expect_eq(p.last_total, sizeof csv - 1);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "population", 202100, 700, QALA_FLAG_NONE);
    cr_expect_eq(stats.rows, 2);
}

Test(import_callbacks, progress_of_a_large_file_is_reported_in_between_and_never_goes_back)
{
    /* 5 units x 4 indicators x 201 years x 17 periods (year, 4 quarters, 12 months):
     * 68,340 distinct rows, past the check at row 65,536. */
    static const char *const units[] = {"TL", "TL-N", "TL-TV", "TL-SP", "TL-NF"};
    static const char *const inds[] = {"unemployment_pct", "population", "price_change",
                                       "deficit_index"};
    static const char *const subs[] = {"", "-Q1", "-Q2", "-Q3", "-Q4", "-01", "-02", "-03",
                                       "-04", "-05", "-06", "-07", "-08", "-09", "-10", "-11", "-12"};
    size_t cap = 8u << 20;
    char *csv = malloc(cap);
    cr_assert_not_null(csv);
    size_t n = (size_t)snprintf(csv, cap, "unit,indicator,period,value\n"), rows = 0;
    for (int u = 0; u < 5; u++)
        for (int i = 0; i < 4; i++)
            for (int y = 1900; y <= 2100; y++)
                for (int s = 0; s < 17; s++, rows++)
                    n += (size_t)snprintf(csv + n, cap - n, "%s,%s,%d%s,0\n", units[u], inds[i], y,
                                          subs[s]);
    cr_assert_lt(n, cap);
    char path[64];
    temp_file(path, csv, n);
    free(csv);
    progress p = {0};
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.on_progress = on_progress;
    opt.progress_ctx = &p;
    qala_status st = qala_import_file(ds, fnd, &stats, path, "t.csv", reg, fw, &opt);
    unlink(path);
    cr_assert_eq(st, QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(stats.rows, rows);
    cr_expect_eq(rows, 68340);
    cr_expect_eq(qala_dataset_size(ds), rows);
    cr_expect_eq(p.calls, 2);
    cr_expect_not(p.went_back);
    cr_expect_eq(p.last_done, n);
    cr_expect_eq(p.last_total, n);
}

Test(import_callbacks, a_file_that_cannot_be_opened_is_eio)
{
    qala_status st = qala_import_file(ds, fnd, &stats, "/nonexistent/qala/t.csv", NULL, reg, fw, NULL);
    cr_assert_eq(st, QALA_EIO);
    cr_expect_str_eq(qala_error_last()->message,
                     "cannot open '/nonexistent/qala/t.csv': No such file or directory");
    fx_expect_count(0);
}

Test(import_callbacks, a_file_without_label_is_named_by_its_path)
{
    const char csv[] = "unit,indicator,period,value\nTL-TV,population,2021,abc\n";
    char path[64];
    temp_file(path, csv, sizeof csv - 1);
    qala_status st = qala_import_file(ds, fnd, &stats, path, NULL, reg, fw, NULL);
    unlink(path);
    cr_assert_eq(st, QALA_EDATA);
    fx_expect_count(1);
    cr_expect_str_eq(qala_findings_get(fnd, 0)->file, path);
    cr_expect_eq(qala_findings_get(fnd, 0)->line, 2);
}
