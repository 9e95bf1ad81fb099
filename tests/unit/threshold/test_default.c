/* The default threshold set (data/thresholds/default.csv) against the real framework
 * and registry, and allocation failures while loading. */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "failing_alloc.h"
#include "qala/defaults.h"
#include "threshold_internal.h"

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

Test(threshold_default, table_rows_keep_the_values_of_indicators_md)
{
    /* Spot checks against ../shared/design/INDICATORS.md. */
    cr_assert_eq(qala_thresholds_load_default(ths, fw, reg, found), QALA_OK);
    int seen = 0;
    for (size_t i = 0; i < qala_thresholds_count(ths); i++) {
        const qala_threshold *th = qala_thresholds_get(ths, i);
        const char *code = qala_framework_get(fw, th->indicator)->code;
        cr_expect_str_eq(th->set, "qala-default");
        cr_expect_neq(th->source[0], '\0', "line %ld has no source", th->line);
        cr_expect_neq(th->justification[0], '\0', "line %ld has no justification", th->line);
        if (strcmp(code, "pm25_annual_ugm3") == 0) { /* WHO 2021 interim targets 15 / 35 */
            cr_expect_float_eq(th->warning, 15, 0);
            cr_expect_float_eq(th->crisis, 35, 0);
            cr_expect_eq(th->side, QALA_BAD_HIGH);
            cr_expect_eq(th->year, 2021);
            cr_expect_eq(th->confidence, QALA_CONFIDENCE_LITERATURE);
            seen |= 1;
        } else if (strcmp(code, "doctors_per_10k") == 0) { /* national / 0.75 x national */
            cr_expect_eq(th->transform, QALA_TRANSFORM_RATIO_NATIONAL);
            cr_expect_eq(th->side, QALA_BAD_LOW);
            cr_expect_float_eq(th->warning, 1, 0);
            cr_expect_float_eq(th->crisis, 0.75, 0);
            seen |= 2;
        } else if (strcmp(code, "population") == 0) { /* change over 5 years, 0 / -5 */
            cr_expect_eq(th->transform, QALA_TRANSFORM_CHANGE_PERCENT);
            cr_expect_eq(th->k, 5);
            cr_expect_float_eq(th->crisis, -5, 0);
            seen |= 4;
        } else if (strcmp(code, "unemployment_ilo_pct") == 0 &&
                   th->transform == QALA_TRANSFORM_AVERAGE) { /* 3-year average, 8 / 10 */
            cr_expect_eq(th->k, 3);
            cr_expect_float_eq(th->warning, 8, 0);
            cr_expect_float_eq(th->crisis, 10, 0);
            seen |= 8;
        } else if (strcmp(code, "cfe_employment_share_pct") == 0) { /* monotown rule, 20 / 40 */
            cr_expect_eq(th->confidence, QALA_CONFIDENCE_RULE);
            cr_assert_eq(th->ngroups, 1);
            cr_expect_str_eq(th->groups[0], "monocity");
            seen |= 16;
        }
    }
    cr_expect_eq(seen, 31);
}

Test(threshold_default, group_examples_are_marked_as_examples)
{
    cr_assert_eq(qala_thresholds_load_default(ths, fw, reg, found), QALA_OK);
    int examples = 0;
    for (size_t i = 0; i < qala_thresholds_count(ths); i++) {
        const qala_threshold *th = qala_thresholds_get(ths, i);
        if (strstr(th->justification, "Example of a group-specific threshold")) {
            examples++;
            cr_expect_gt(th->ngroups, 0);
            cr_expect_eq(th->confidence, QALA_CONFIDENCE_ASSUMPTION);
        }
    }
    cr_expect_eq(examples, 3);
}

/* Allocations of one run of op() without failures. */
static long count_allocations(qala_status (*op)(void))
{
    fail_at = -1;
    calls = 0;
    qala_allocator_set(&failing_allocator);
    qala_status st = op();
    qala_allocator_set(NULL);
    cr_assert(st == QALA_OK || st == QALA_EDATA, "status %d", st);
    return calls;
}

static qala_status load_default(void)
{
    return qala_thresholds_load_default(ths, fw, reg, found);
}

/* Each allocation of a load fails in turn: the load either fails with QALA_ENOMEM and adds
 * nothing, or recovers (the CSV reader retries a smaller buffer) and adds everything. */
Test(threshold_default, every_allocation_failure_is_clean)
{
    size_t expected = data_rows();
    long n = count_allocations(load_default);
    cr_assert_eq(qala_thresholds_count(ths), expected);
    qala_thresholds__truncate(ths, 0);
    cr_assert_gt(n, expected); /* one block per threshold at least */
    long failures = 0;
    for (fail_at = 0; fail_at < n; fail_at++) {
        calls = 0;
        qala_findings_clear(found);
        qala_allocator_set(&failing_allocator);
        qala_status st = load_default();
        qala_allocator_set(NULL);
        if (st == QALA_ENOMEM) {
            failures++;
            cr_assert_eq(qala_thresholds_count(ths), 0, "fail_at %ld left rows", fail_at);
        } else {
            cr_assert_eq(st, QALA_OK, "fail_at %ld: status %d", fail_at, st);
            cr_assert_eq(qala_thresholds_count(ths), expected);
            qala_thresholds__truncate(ths, 0);
        }
        cr_expect_eq(qala_findings_count(found), 0);
    }
    cr_expect_gt(failures, expected, "only %ld of %ld failures were reported", failures, n);
}

static const char bad_file[] = MIN_COLS ",groups\n"
                               "a,poverty_share_pct,5,7,s,rule,monocity\n"
                               "a,poverty_shar_pct,7,5,s,rule,nogroup\n"
                               "b,population,0,-5,s,rule,monocity;agglomeration\n";

static qala_status load_bad(void)
{
    return load(bad_file);
}

Test(threshold_default, allocation_failures_on_a_bad_file_keep_earlier_loads)
{
    cr_assert_eq(load(MIN_HEADER "a,poverty_share_pct,5,7,s,rule\n"), QALA_OK);
    long n = count_allocations(load_bad);
    for (fail_at = 0; fail_at < n; fail_at++) {
        calls = 0;
        qala_findings_clear(found);
        qala_allocator_set(&failing_allocator);
        qala_status st = load_bad();
        qala_allocator_set(NULL);
        cr_assert(st == QALA_ENOMEM || st == QALA_EDATA, "fail_at %ld: status %d", fail_at, st);
        cr_assert_eq(qala_thresholds_count(ths), 1, "fail_at %ld changed the collection", fail_at);
        if (st == QALA_EDATA) /* both errors of line 3 were recorded */
            cr_expect_eq(qala_findings_errors(found), 2);
    }
    cr_expect_str_eq(qala_thresholds_get(ths, 0)->set, "a");
}

Test(threshold_default, a_failed_constructor_leaves_null)
{
    qala_thresholds *t = (qala_thresholds *)&t;
    fail_at = 0;
    calls = 0;
    qala_allocator_set(&failing_allocator);
    cr_expect_eq(qala_thresholds_new(&t), QALA_ENOMEM);
    qala_allocator_set(NULL);
    cr_expect_null(t);
}

/* Each threshold remembers the file it came from (results name file and line). */
Test(threshold_default, each_threshold_names_its_file)
{
    qala_framework *fw;
    qala_registry *reg;
    qala_thresholds *t;
    qala_findings *f;
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, f), QALA_OK);
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, f), QALA_OK);
    cr_assert_eq(qala_thresholds_new(&t), QALA_OK);
    cr_assert_eq(qala_thresholds_load_default(t, fw, reg, f), QALA_OK);
    cr_assert_gt(qala_thresholds_count(t), 0);
    cr_expect_str_eq(qala_thresholds_file(t, 0), "thresholds/default.csv");
    cr_expect_eq(qala_thresholds_get(t, 0)->line, 2);
    qala_thresholds_free(t);
    qala_registry_free(reg);
    qala_framework_free(fw);
    qala_findings_free(f);
}
