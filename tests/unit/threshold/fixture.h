/* Shared set-up of the threshold tests: the real embedded framework and registry
 * (data/framework/, data/registry/: indicator codes, directions and the groups monocity,
 * agglomeration, smart_city), an empty collection and a findings list; load() reads CSV
 * text labelled "t.csv"; expect_finding() checks one finding field by field. */
#ifndef TEST_THRESHOLD_FIXTURE_H
#define TEST_THRESHOLD_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/registry.h"
#include "qala/threshold.h"

static qala_framework *fw;
static qala_registry *reg;
static qala_thresholds *ths;
static qala_findings *found;

static inline void fx_setup(void)
{
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, NULL), QALA_OK);
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, NULL), QALA_OK);
    cr_assert_eq(qala_thresholds_new(&ths), QALA_OK);
    cr_assert_eq(qala_findings_new(&found), QALA_OK);
}

static inline void fx_teardown(void)
{
    qala_findings_free(found);
    qala_thresholds_free(ths);
    qala_registry_free(reg);
    qala_framework_free(fw);
}

static inline qala_status load(const char *csv)
{
    return qala_thresholds_load_csv(ths, csv, strlen(csv), "t.csv", fw, reg, found);
}

/* The minimal header: the required columns only. */
#define MIN_COLS "set,indicator,warning,crisis,source,confidence"
#define MIN_HEADER MIN_COLS "\n"

static inline void expect_finding(size_t i, qala_severity sev, long line, long col, const char *rule,
                           const char *message)
{
    const qala_finding *x = qala_findings_get(found, i);
    cr_assert_not_null(x, "no finding %zu (there are %zu)", i, qala_findings_count(found));
    cr_expect_eq(x->severity, sev, "finding %zu: severity", i);
    cr_expect_str_eq(x->file, "t.csv");
    cr_expect_eq(x->line, line, "finding %zu: line %ld, expected %ld", i, x->line, line);
    cr_expect_eq(x->column, col, "finding %zu: column %ld, expected %ld", i, x->column, col);
    cr_expect_str_eq(x->rule, rule);
    cr_expect_str_eq(x->message, message);
}

/* Loading fails with exactly one error finding, and nothing is added. */
static inline void expect_one_error(const char *csv, long line, long col, const char *rule,
                             const char *message)
{
    size_t before = qala_thresholds_count(ths);
    cr_expect_eq(load(csv), QALA_EDATA);
    cr_expect_eq(qala_thresholds_count(ths), before, "rows were added despite an error");
    cr_expect_eq(qala_findings_errors(found), 1, "errors: %zu", qala_findings_errors(found));
    expect_finding(0, QALA_SEVERITY_ERROR, line, col, rule, message);
}

static inline size_t indicator_index(const char *code)
{
    size_t i = 0;
    cr_assert_eq(qala_framework_find(fw, code, &i), QALA_OK, "no indicator %s", code);
    return i;
}

#endif
