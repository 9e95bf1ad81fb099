/* tests/fuzz/fuzz_xlsx.c — libFuzzer target for the XLSX path: bytes → zip (libzip) →
 * workbook, relationships, shared strings, styles (expat) → the sheet streamed row by
 * row → the table layer (title block, multi-row header, merged cells, notes) → the
 * importer, against the real Kazakhstan registry and framework, with a preview.
 *
 * The first input byte chooses the options: bits 0-1 the header rows (1-3, or 1), bits
 * 2-3 the title block (detected, or 0, 1, 2 rows skipped), bit 4 the second sheet, bit
 * 5 a fixed indicator; the rest is the workbook. Seeds: `make_xlsx.py DIR` writes
 * DIR/fuzz/ (the seed workbooks with option bytes in front):
 *   /usr/bin/python3 tests/data/xlsx/make_xlsx.py /tmp/x && build-fuzz/tests/fuzz/fuzz_xlsx corpus_xlsx/ /tmp/x/fuzz
 * Checked: no crash or sanitizer report; the result is QALA_OK or QALA_EDATA (a broken
 * workbook is a finding, never another error; QALA_EINVAL only for XLSX options on
 * bytes that are not a zip); QALA_EDATA exactly when there are
 * errors; the dataset holds exactly stats.observations rows with no repeated key and
 * periods in range.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_import_common.h"


static size_t preview_bytes;

static void on_preview(void *ctx, const char *line)
{
    (void)ctx;
    while (*line++)
        preview_bytes++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!reg)
        load_registry_and_framework();
    if (size == 0)
        return 0;
    unsigned o = data[0];
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.header_rows = (o & 3) ? (o & 3) : 1;
    opt.skip_rows = ((o >> 2) & 3) ? (long)((o >> 2) & 3) - 1 : -1;
    if (o & 16)
        opt.sheet = "2";
    if (o & 32)
        opt.indicator = "population";
    opt.on_preview = on_preview;
    qala_dataset *ds;
    qala_findings *f;
    qala_import_stats stats;
    if (qala_dataset_new(&ds) || qala_findings_new(&f))
        abort();
    qala_status st = qala_import_buffer(ds, f, &stats, (const char *)data + 1, size - 1, "fuzz.xlsx", reg, fw, &opt);
    int xlsx_options = opt.sheet || opt.skip_rows >= 0 || opt.header_rows > 1;
    int zip = size >= 5 && data[1] == 'P' && data[2] == 'K' && data[3] == 3 && data[4] == 4;
    if (st == QALA_EINVAL && xlsx_options && !zip) /* --sheet etc. for CSV bytes: refused */
        goto done;
    check_import(st, f, ds, &stats, &opt, 0);
done:
    qala_findings_free(f);
    qala_dataset_free(ds);
    return 0;
}
