/* Allocation failure injection (curl's torture tests): the n-th allocation made during an
 * import fails, for every n until an import makes no more allocations than n. Each run
 * must end in QALA_ENOMEM, or in the very result of an undisturbed run; ASan (the
 * sanitizer build) checks that nothing leaks and nothing is touched after free.
 * Fictional names and figures (import_fixture.h). */
#include <unistd.h>

#include "import_fixture.h"
#include "counting_alloc.h"

TestSuite(import_alloc, .init = fx_build, .fini = fx_free);

typedef struct outcome {
    qala_status st;
    size_t size, findings, errors, warnings, rows, observations, missing, rejected;
} outcome;

/* One import of csv (a buffer, or a file when path is set) with allocation n failing
 * (0: none), into a fresh dataset and findings list, freed afterwards; asserts that
 * every block allocated through the hook was freed. */
static outcome run_once(const char *csv, const char *path, const qala_import_options *opt,
                        size_t n, size_t *allocations)
{
    qala_dataset_free(ds); /* the fixture's, made with the default allocator */
    qala_findings_free(fnd);
    live = 0;
    qala_allocator_set(&failing);
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    cr_assert_eq(qala_findings_new(&fnd), QALA_OK);
    alloc_count = 0;
    fail_at = n;
    armed = 1;
    qala_status st = path ? qala_import_file(ds, fnd, &stats, path, "t.csv", reg, fw, opt)
                          : qala_import_buffer(ds, fnd, &stats, csv, strlen(csv), "t.csv", reg, fw, opt);
    armed = 0;
    *allocations = alloc_count;
    outcome o = {st, qala_dataset_size(ds), qala_findings_count(fnd), qala_findings_errors(fnd),
                 qala_findings_warnings(fnd), stats.rows, stats.observations, stats.missing,
                 stats.rejected_rows};
    qala_dataset_free(ds);
    qala_findings_free(fnd);
    ds = NULL;
    fnd = NULL;
    qala_allocator_set(NULL);
    cr_assert_eq(live, 0, "allocation %zu failed (status %d): %ld blocks not freed", n, (int)st, live);
    return o;
}

/* Runs the import undisturbed, then with each allocation failing in turn. */
static void torture(const char *csv, const char *path, const qala_import_options *opt,
                    qala_status expected)
{
    size_t total;
    outcome ref = run_once(csv, path, opt, 0, &total);
    cr_assert_eq(ref.st, expected, "undisturbed run: %d", (int)ref.st);
    cr_assert_gt(total, 10, "only %zu allocations: is the hook in place?", total);
    size_t nomem = 0;
    for (size_t n = 1; n <= total + 1; n++) {
        size_t made;
        outcome o = run_once(csv, path, opt, n, &made);
        if (o.st == QALA_ENOMEM) {
            nomem++;
            continue;
        }
        cr_assert_eq(o.st, expected, "allocation %zu of %zu failed: status %d", n, total, (int)o.st);
        /* not ENOMEM: then the failure must not have changed anything */
        cr_assert_eq(o.size, ref.size, "allocation %zu failed, status %d: %zu observations, expected %zu",
                     n, (int)o.st, o.size, ref.size);
        cr_assert_eq(o.findings, ref.findings,
                     "allocation %zu failed, status %d: %zu findings, expected %zu", n, (int)o.st,
                     o.findings, ref.findings);
        cr_assert_eq(o.errors, ref.errors, "allocation %zu: %zu errors, expected %zu", n, o.errors,
                     ref.errors);
        cr_assert_eq(o.warnings, ref.warnings);
        cr_assert_eq(o.rows, ref.rows);
        cr_assert_eq(o.observations, ref.observations);
        cr_assert_eq(o.missing, ref.missing);
        cr_assert_eq(o.rejected, ref.rejected);
    }
    cr_expect_gt(nomem, 0, "no allocation failure was reported as QALA_ENOMEM");
}

Test(import_alloc, a_valid_long_file_fails_cleanly_at_every_allocation)
{
    const char *csv =
        "unit,indicator,period,value,flag\n"
        "TL-TV,population,2021,1000,\n"
        "Testville,population,2022,1 010,p\n"
        "Тествиль,Численность населения,2023,x,\n"
        "Soltüstık oblysy,unemployment_pct,2021,\"4,5\",\n"
        "Sampleton,price_change,2021,-,\n";
    torture(csv, NULL, NULL, QALA_OK);
}

Test(import_alloc, a_valid_wide_file_fails_cleanly_at_every_allocation)
{
    const char *csv =
        ",indicator,2021,2022,2023\n"
        "Testville,population,1000,1010,-\n"
        "Sampleton,Численность населения,700,x,710\n";
    torture(csv, NULL, NULL, QALA_OK);
}

Test(import_alloc, a_valid_file_on_disk_fails_cleanly_at_every_allocation)
{
    const char csv[] =
        "city;year;population;Unemployment rate\n"
        "Testville;2021;1 000;4,5\n"
        "North Province;2021;50 000;5,5\n";
    char path[] = "/tmp/qala-import-alloc-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, csv, sizeof csv - 1), (ssize_t)(sizeof csv - 1));
    close(fd);
    torture(NULL, path, NULL, QALA_OK);
    unlink(path);
}

Test(import_alloc, a_file_with_findings_fails_cleanly_at_every_allocation)
{
    /* Errors of every kind of path: each finding's allocation may fail too, and must then
     * give QALA_ENOMEM, never a shorter findings list or a silently dropped row. */
    const char *csv =
        "unit,indicator,period,value,flag\n"
        "TL-TV,population,2021,1000,\n"
        "Nowhere,population,2021,1,\n"
        "Northfield,populaton,2021,1,\n"
        "TL-TV,population,1850,1,\n"
        "TL-TV,population,2021-Q5,1,\n"
        "TL-TV,unemployment_pct,2021,104,\n"
        "TL-TV,price_change,2021,abc,\n"
        "TL-TV,price_change,2022,\"12,5*\",\n"
        "TL-TV,price_change,2023,1.5,\n"
        "TL-SP,population,2021,1,zz\n"
        "TL-SP,population\n"
        "Testville,population,2021,1001,\n";
    torture(csv, NULL, NULL, QALA_EDATA);
}

Test(import_alloc, a_header_with_findings_fails_cleanly_at_every_allocation)
{
    torture("a,b\n1,2\n", NULL, NULL, QALA_EDATA);
}

Test(import_alloc, a_bad_flag_finding_that_cannot_be_stored_does_not_make_the_import_ok)
{
    /* the flag's finding is the only error: if it is lost, the row must not vanish
     * silently under QALA_OK */
    torture("unit,indicator,period,value,flag\nTL-TV,population,2021,1000,\nTL-SP,population,2021,1,zz\n",
            NULL, NULL, QALA_EDATA);
}

Test(import_alloc, a_duplicate_finding_that_cannot_be_stored_does_not_make_the_import_ok)
{
    torture("unit,indicator,period,value\nTL-TV,population,2021,1\nTL-TV,population,2021,2\n",
            NULL, NULL, QALA_EDATA);
}
