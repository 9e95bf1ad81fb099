/* tests/fuzz/fuzz_thresholds.c — libFuzzer target for the threshold-file reader
 * (qala_thresholds_load_csv, docs/thresholds.md), against the real Kazakhstan registry
 * (its groups) and the default framework (its indicators).
 *
 * The input is the CSV text. Seed corpus: the shipped default set (data/thresholds/, as a
 * directory on the command line, no copy) and tests/fuzz/corpus_thresholds/.
 * Checked: no crash or sanitizer report; the status is QALA_OK, QALA_EDATA, QALA_EPARSE,
 * QALA_ELIMIT or QALA_ENOMEM; QALA_EDATA comes with at least one error finding and
 * QALA_OK with none; a failed load adds nothing; every loaded threshold is well formed:
 * an indicator (and for per_denominator a denominator) inside the framework, k >= 1,
 * boundaries ordered for its side (low: crisis <= warning; high: crisis >= warning; band:
 * crisis <= warning <= warning_high <= crisis_high, and NAN high pair when one-sided),
 * groups with codes, a validity period in order; its zone and distance can be computed
 * for ordinary and extreme values, and the boundaries fall in the zones they name.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/registry.h"
#include "qala/threshold.h"

#include "fuzz_import_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static void check_threshold(const qala_threshold *th)
{
    size_t nind = qala_framework_count(fw);
    if (!th->set || th->indicator >= nind || th->k < 1)
        abort();
    if ((unsigned)th->transform >= QALA_TRANSFORM_COUNT)
        abort();
    if (th->transform == QALA_TRANSFORM_PER_DENOMINATOR ? th->denominator >= nind
                                                        : th->denominator != SIZE_MAX)
        abort();
    if (th->ngroups && !th->groups)
        abort();
    for (size_t g = 0; g < th->ngroups; g++)
        if (!th->groups[g] || !th->groups[g][0])
            abort();
    if (th->valid_from > th->valid_to)
        abort();
    switch (th->side) {
    case QALA_BAD_LOW:
        if (!(th->crisis <= th->warning) || !isnan(th->warning_high) || !isnan(th->crisis_high))
            abort();
        break;
    case QALA_BAD_HIGH:
        if (!(th->crisis >= th->warning) || !isnan(th->warning_high) || !isnan(th->crisis_high))
            abort();
        break;
    case QALA_BAD_OUTSIDE:
        if (!(th->crisis <= th->warning && th->warning <= th->warning_high &&
              th->warning_high <= th->crisis_high))
            abort();
        break;
    default:
        abort();
    }
    const double probes[] = {0, -1, 1, th->warning, th->crisis, 1e308, -1e308, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        qala_zone z = qala_threshold_zone(th, probes[i]);
        if (z < QALA_ZONE_NORMAL || z > QALA_ZONE_CRISIS)
            abort();
        double pct;
        (void)qala_threshold_distance(th, probes[i], &pct);
    }
    if (qala_threshold_zone(th, NAN) != QALA_ZONE_NO_DATA)
        abort();
    /* the crisis boundary is never better than the warning boundary */
    if (qala_threshold_zone(th, th->crisis) < qala_threshold_zone(th, th->warning))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!reg)
        load_registry_and_framework();
    qala_thresholds *t = NULL;
    qala_findings *f = NULL;
    if (qala_thresholds_new(&t) != QALA_OK || qala_findings_new(&f) != QALA_OK)
        abort();
    qala_status st = qala_thresholds_load_csv(t, (const char *)data, size, "fuzz.csv", fw, reg, f);
    size_t n = qala_thresholds_count(t);
    if (st == QALA_OK) {
        if (qala_findings_errors(f) != 0)
            abort();
    } else if (st == QALA_EDATA || st == QALA_EPARSE || st == QALA_ELIMIT || st == QALA_ENOMEM) {
        if (n != 0)
            abort();
        if (st == QALA_EDATA && qala_findings_errors(f) == 0)
            abort();
    } else {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        const qala_threshold *th = qala_thresholds_get(t, i);
        if (!th || !qala_thresholds_file(t, i))
            abort();
        check_threshold(th);
    }
    qala_findings_free(f);
    qala_thresholds_free(t);
    return 0;
}
