/* tests/fuzz/fuzz_framework.c — libFuzzer target for the indicator-framework readers
 * (qala_framework_load_csv for indicators.csv, qala_framework_load_domains_csv for
 * domains.csv; docs/data-format.md).
 *
 * Each input is given to both readers, each on a fresh framework (the input is the CSV
 * text). Seed corpus: the shipped tables, passed as a directory on the command line
 * (data/framework/, no copies; tests/fuzz/README.md).
 * Checked: no crash or sanitizer report; the status is QALA_OK, QALA_EDATA, QALA_EPARSE,
 * QALA_ELIMIT or QALA_ENOMEM; QALA_EDATA comes with at least one error finding and
 * QALA_OK with none; a failed load adds nothing (the count is unchanged); after a
 * successful load every indicator is found by its code at its own index, has direction
 * ±1, min <= max, non-NULL names, and every domain has a non-empty name in each language.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qala/findings.h"
#include "qala/framework.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_framework(const qala_framework *fw)
{
    size_t n = qala_framework_count(fw);
    for (size_t i = 0; i < n; i++) {
        const qala_indicator *ind = qala_framework_get(fw, i);
        if (!ind || !ind->code || !ind->unit || !ind->description || !ind->source)
            abort();
        for (int l = 0; l < 3; l++)
            if (!ind->name[l])
                abort();
        if (ind->direction != 1 && ind->direction != -1)
            abort();
        if (!(ind->min <= ind->max))
            abort();
        if ((unsigned)ind->domain >= QALA_DOMAIN_COUNT)
            abort();
        size_t k = SIZE_MAX;
        if (qala_framework_find(fw, ind->code, &k) != QALA_OK || k != i)
            abort();
    }
    for (int d = 0; d < QALA_DOMAIN_COUNT; d++)
        for (int l = 0; l < 3; l++) {
            const char *name = qala_framework_domain_name(fw, (qala_domain)d, (qala_lang)l);
            if (!name || !name[0])
                abort();
        }
}

/* One reader on a fresh framework; the checks above. */
static void run(const char *text, size_t len, int domains)
{
    qala_framework *fw = NULL;
    qala_findings *f = NULL;
    if (qala_framework_new(&fw) != QALA_OK || qala_findings_new(&f) != QALA_OK)
        abort();
    size_t before = qala_framework_count(fw);
    qala_status st = domains ? qala_framework_load_domains_csv(fw, text, len, "fuzz.csv", f)
                             : qala_framework_load_csv(fw, text, len, "fuzz.csv", f);
    size_t after = qala_framework_count(fw);
    if (st == QALA_OK) {
        if (qala_findings_errors(f) != 0)
            abort();
        if (domains && after != before)
            abort();
    } else if (st == QALA_EDATA || st == QALA_EPARSE || st == QALA_ELIMIT || st == QALA_ENOMEM) {
        if (after != before)
            abort();
        if (st == QALA_EDATA && qala_findings_errors(f) == 0)
            abort();
    } else {
        abort();
    }
    check_framework(fw);
    qala_findings_free(f);
    qala_framework_free(fw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run((const char *)data, size, 0);
    run((const char *)data, size, 1);
    return 0;
}
