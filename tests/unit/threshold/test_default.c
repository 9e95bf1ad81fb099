/* The default threshold set (data/thresholds/default.csv) against the real framework
 * and registry, and allocation failures while loading. */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "failing_alloc.h"
#include "qala/defaults.h"

TestSuite(threshold_default, .init = fx_setup, .fini = fx_teardown);

/* Data rows of the embedded file: its lines minus the header (no quoted newlines). */
static size_t data_rows(void)
{
    size_t len, lines = 0;
    const char *text = qala_default_data("thresholds/default.csv", &len);
    cr_assert_not_null(text);
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    return lines - 1;
}

Test(threshold_default, loads_without_findings_one_threshold_per_row)
{
    cr_assert_eq(qala_thresholds_load_default(ths, fw, reg, found), QALA_OK, "%s",
                 qala_error_last()->message);
    for (size_t i = 0; i < qala_findings_count(found); i++) {
        const qala_finding *x = qala_findings_get(found, i);
        cr_log_error("%s:%ld:%ld: %s", x->file, x->line, x->column, x->message);
    }
    cr_expect_eq(qala_findings_count(found), 0);
    cr_expect_eq(qala_thresholds_count(ths), data_rows());
    cr_expect_eq(data_rows(), 40);
}
