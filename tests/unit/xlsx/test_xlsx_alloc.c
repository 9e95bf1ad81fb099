/* Allocation failure on the XLSX path (curl's torture tests): the n-th allocation of an
 * XLSX import — the workbook's parts, expat's parsers, shared strings, styles, merged
 * ranges, rows, header keys, notes, then the importer — fails, for every n until an
 * import makes no more allocations than n. Each run ends in QALA_ENOMEM or in the very
 * result of an undisturbed run, and every block allocated through the hook is freed
 * (libzip allocates with malloc itself; ASan's leak check covers it). */
#include "import/import_fixture.h"
#include "counting_alloc.h"
#include "xlsx_build.h"

TestSuite(xlsx_alloc, .init = fx_build, .fini = fx_free);

static void noop_preview(void *ctx, const char *line)
{
    (void)ctx, (void)line;
}

/* One import with allocation n failing (0: none); returns the status, the counts in *out. */
static qala_status run_once(const char *z, size_t len, const qala_import_options *opt, size_t n,
                            size_t *allocations, size_t out[3])
{
    qala_dataset_free(ds);
    qala_findings_free(fnd);
    live = 0;
    qala_allocator_set(&failing);
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    cr_assert_eq(qala_findings_new(&fnd), QALA_OK);
    alloc_count = 0;
    fail_at = n;
    armed = 1;
    qala_status st = qala_import_buffer(ds, fnd, &stats, z, len, "t.xlsx", reg, fw, opt);
    armed = 0;
    *allocations = alloc_count;
    out[0] = qala_dataset_size(ds);
    out[1] = qala_findings_count(fnd);
    out[2] = stats.rows;
    qala_dataset_free(ds);
    qala_findings_free(fnd);
    ds = NULL;
    fnd = NULL;
    qala_allocator_set(NULL);
    cr_assert_eq(live, 0, "allocation %zu failed (status %d): %ld blocks not freed", n, (int)st, live);
    return st;
}

static void torture(const char *z, size_t len, const qala_import_options *opt, qala_status expected)
{
    size_t total, ref[3], got[3];
    cr_assert_eq(run_once(z, len, opt, 0, &total, ref), expected);
    cr_assert_gt(total, 20, "only %zu allocations: is the hook in place?", total);
    size_t nomem = 0;
    for (size_t n = 1; n <= total + 1; n++) {
        size_t made;
        qala_status st = run_once(z, len, opt, n, &made, got);
        if (st == QALA_ENOMEM) {
            nomem++;
            continue;
        }
        cr_assert_eq(st, expected, "allocation %zu of %zu failed: status %d", n, total, (int)st);
        cr_assert(got[0] == ref[0] && got[1] == ref[1] && got[2] == ref[2],
                  "allocation %zu failed, status %d: %zu/%zu/%zu, expected %zu/%zu/%zu", n, (int)st, got[0],
                  got[1], got[2], ref[0], ref[1], ref[2]);
    }
    cr_expect_gt(nomem, 0, "no allocation failure was reported as QALA_ENOMEM");
}

Test(xlsx_alloc, an_official_table_fails_cleanly_at_every_allocation)
{
    size_t len;
    char *z = book1("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>"
                    "<row r=\"3\"><c t=\"s\"><v>1</v></c><c r=\"B3\"><v>2022</v></c><c r=\"D3\"><v>2023</v></c></row>"
                    "<row r=\"4\"><c r=\"B4\" t=\"s\"><v>2</v></c><c t=\"s\"><v>3</v></c><c t=\"s\"><v>2</v></c></row>"
                    "<row r=\"5\"><c t=\"s\"><v>4</v></c><c><v>1000</v></c><c><v>1.5</v></c><c><v>1010</v></c></row>"
                    "<row r=\"6\"><c t=\"s\" s=\"1\"><v>5</v></c><c><v>44927</v></c><c><v>1</v></c><c><v>abc</v></c></row>"
                    "<row r=\"8\"><c t=\"inlineStr\"><is><t>* note</t></is></c></row>",
                    "<mergeCells><mergeCell ref=\"A1:D1\"/><mergeCell ref=\"B3:C3\"/></mergeCells>",
                    "<si><t>Title</t></si><si><t>Region</t></si><si><t>total</t></si><si><r><t>m</t></r>"
                    "<r><t>en</t></r></si><si><t>Testville</t></si><si><t>Sampleton</t></si>",
                    "<numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy\"/></numFmts><cellXfs><xf numFmtId=\"0\"/>"
                    "<xf numFmtId=\"164\"><alignment indent=\"1\"/></xf></cellXfs>",
                    &len);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.header_rows = 2;
    opt.indicator = "population";
    opt.on_preview = noop_preview;
    torture(z, len, &opt, QALA_EDATA); /* "abc" in a numeric cell: not-a-number */
    free(z);
}

Test(xlsx_alloc, a_bad_workbook_fails_cleanly_at_every_allocation)
{
    size_t len;
    char *z = book1("<row r=\"1\"><c t=\"s\"><v>0</v></c><c><v>2021</v></c></row><row><c t=\"s\"><v>9</v></c></row>",
                    NULL, "<si><t>unit</t></si>", NULL, &len);
    torture(z, len, NULL, QALA_EDATA);
    free(z);
}
