/* Target files (docs/targets.md): a valid file, each validation error with its exact
 * message, duplicates within and across files, choosing the target of a unit, and
 * allocation failures. Indicator, unit and group codes are the real ones of the
 * embedded framework and registry (data/framework/, data/registry/); the target values
 * are made up for the tests and are not real targets. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/registry.h"
#include "qala/targets.h"

static qala_framework *fw;
static qala_registry *reg;
static qala_targets *tgs;
static qala_findings *found;

static void setup(void)
{
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, NULL), QALA_OK);
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, NULL), QALA_OK);
    cr_assert_eq(qala_targets_new(&tgs), QALA_OK);
    cr_assert_eq(qala_findings_new(&found), QALA_OK);
}

static void teardown(void)
{
    qala_findings_free(found);
    qala_targets_free(tgs);
    qala_registry_free(reg);
    qala_framework_free(fw);
}

TestSuite(targets, .init = setup, .fini = teardown);

#define HEADER "indicator,unit,group,target,target_period,baseline_period,source,note\n"
/* columns: 1 indicator, 2 unit, 3 group, 4 target, 5 target_period, 6 baseline_period,
 * 7 source, 8 note */

static qala_status load(const char *csv)
{
    return qala_targets_load_csv(tgs, csv, strlen(csv), "t.csv", fw, reg, found);
}

static void expect_one_error(const char *csv, long line, long col, const char *rule,
                             const char *message)
{
    size_t before = qala_targets_count(tgs);
    cr_expect_eq(load(csv), QALA_EDATA);
    cr_expect_eq(qala_targets_count(tgs), before, "rows were added despite an error");
    cr_assert_eq(qala_findings_errors(found), 1, "errors: %zu", qala_findings_errors(found));
    const qala_finding *f = qala_findings_get(found, 0);
    cr_expect_eq(f->severity, QALA_SEVERITY_ERROR);
    cr_expect_str_eq(f->file, "t.csv");
    cr_expect_eq(f->line, line, "line %ld", f->line);
    cr_expect_eq(f->column, col, "column %ld", f->column);
    cr_expect_str_eq(f->rule, rule);
    cr_expect_str_eq(f->message, message);
}

static size_t ind(const char *code)
{
    size_t i = 0;
    cr_assert_eq(qala_framework_find(fw, code, &i), QALA_OK);
    return i;
}

Test(targets, valid_file_with_the_three_scopes)
{
    cr_assert_eq(load(HEADER
                      "life_expectancy_years,,,75,2030,2015,Test source A,all units\n"
                      "life_expectancy_years,,monocity,74,2030,2015,Test source B,\n"
                      "life_expectancy_years,kz-akm,,76,2030-Q4,2019,Test source C,\n"),
                 QALA_OK);
    cr_expect_eq(qala_findings_count(found), 0);
    cr_assert_eq(qala_targets_count(tgs), 3);
    const qala_target *a = qala_targets_get(tgs, 0), *c = qala_targets_get(tgs, 2);
    cr_expect_eq(a->indicator, ind("life_expectancy_years"));
    cr_expect_eq(a->scope, QALA_TARGET_ALL_UNITS);
    cr_expect_str_eq(a->unit, "");
    cr_expect_eq(a->value, 75.0);
    cr_expect_eq(a->period, 203000);
    cr_expect_eq(a->baseline, 201500);
    cr_expect_str_eq(a->source, "Test source A");
    cr_expect_str_eq(a->note, "all units");
    cr_expect_eq(a->line, 2);
    cr_expect_eq(qala_targets_get(tgs, 1)->scope, QALA_TARGET_GROUP);
    cr_expect_str_eq(qala_targets_get(tgs, 1)->group, "monocity");
    cr_expect_eq(c->scope, QALA_TARGET_UNIT);
    cr_expect_str_eq(c->unit, "KZ-AKM", "the registry's spelling of the code");
    cr_expect_eq(c->period, 203024);
    cr_expect_str_eq(qala_targets_file(tgs, 2), "t.csv");
    qala_progress_target pt = qala_target_progress(c);
    cr_expect_eq(pt.value, 76.0);
    cr_expect_eq(pt.baseline, 201900);
    cr_expect_eq(pt.zero_replacement, 0.0);
}

Test(targets, find_prefers_the_unit_then_its_group_then_all_units)
{
    cr_assert_eq(load(HEADER
                      "life_expectancy_years,,,75,2030,2015,S,\n"
                      "life_expectancy_years,,monocity,74,2030,2015,S,\n"
                      "life_expectancy_years,KZ-AKM,,76,2030,2015,S,\n"),
                 QALA_OK);
    size_t li = ind("life_expectancy_years"), u, i;
    cr_assert_eq(qala_registry_find(reg, "KZ-AKM", &u), QALA_OK);
    cr_expect_eq(qala_targets_find(tgs, li, reg, u, 20230101, &i), QALA_OK);
    cr_expect_eq(i, 2);
    /* a monocity: the first member of group monocity in the embedded registry */
    size_t g;
    cr_assert_eq(qala_registry_find_group(reg, "monocity", &g), QALA_OK);
    size_t mono = SIZE_MAX;
    for (size_t k = 0; k < qala_registry_membership_count(reg) && mono == SIZE_MAX; k++) {
        const qala_membership *m = qala_registry_membership(reg, k);
        if (m->group == g && qala_registry_in_group_at(reg, g, m->unit, 20230101))
            mono = m->unit;
    }
    cr_assert_neq(mono, SIZE_MAX, "no monocity in the registry");
    cr_expect_eq(qala_targets_find(tgs, li, reg, mono, 20230101, &i), QALA_OK);
    cr_expect_eq(i, 1);
    size_t kz;
    cr_assert_eq(qala_registry_find(reg, "KZ", &kz), QALA_OK);
    cr_expect_eq(qala_targets_find(tgs, li, reg, kz, 20230101, &i), QALA_OK);
    cr_expect_eq(i, 0);
    cr_expect_eq(qala_targets_find(tgs, ind("poverty_share_pct"), reg, kz, 20230101, &i),
                 QALA_ENOTFOUND);
    cr_expect_str_eq(qala_error_last()->message, "no target applies to unit KZ for this indicator");
}

Test(targets, unknown_indicator_suggests_the_closest_code)
{
    expect_one_error(HEADER "life_expectancy_yers,,,75,2030,2015,S,\n", 2, 1, "unknown-indicator",
                     "unknown indicator \"life_expectancy_yers\": did you mean "
                     "\"life_expectancy_years\"?");
}

Test(targets, bad_number)
{
    expect_one_error(HEADER "life_expectancy_years,,,75.5.1,2030,2015,S,\n", 2, 4, "not-a-number",
                     "target \"75.5.1\" is not a number (expected e.g. -12.5)");
}

Test(targets, target_outside_the_valid_range_of_the_indicator)
{
    const qala_indicator *p = qala_framework_get(fw, ind("poverty_share_pct"));
    cr_assert(p->max == 100, "poverty_share_pct is a percentage with max 100 (max %g)", p->max);
    expect_one_error(HEADER "poverty_share_pct,,,120,2030,2015,S,\n", 2, 4, "out-of-range",
                     "target 120 is outside the valid range [0, 100] of indicator "
                     "\"poverty_share_pct\"");
}

Test(targets, target_period_before_the_baseline)
{
    expect_one_error(HEADER "life_expectancy_years,,,75,2015,2020,S,\n", 2, 5, "bad-period",
                     "target_period 2015 is not after baseline_period 2020");
}

Test(targets, target_period_equal_to_the_baseline)
{
    expect_one_error(HEADER "life_expectancy_years,,,75,2020,2020,S,\n", 2, 5, "bad-period",
                     "target_period 2020 is not after baseline_period 2020");
}

Test(targets, bad_period_text)
{
    expect_one_error(HEADER "life_expectancy_years,,,75,2030,2015-Q5,S,\n", 2, 6, "bad-period",
                     "baseline_period \"2015-Q5\" is not a period: expected YYYY, YYYY-Qn or "
                     "YYYY-MM");
}

Test(targets, duplicate_rows_in_one_file)
{
    expect_one_error(HEADER "life_expectancy_years,,monocity,75,2030,2015,S,\n"
                            "life_expectancy_years,,Monocity,76,2035,2020,T,\n",
                     3, 1, "duplicate",
                     "duplicate target: line 2 already sets the target of indicator "
                     "\"life_expectancy_years\" for group monocity");
}

Test(targets, duplicate_of_a_target_loaded_before)
{
    static const char first[] = HEADER "life_expectancy_years,KZ-AKM,,75,2030,2015,S,\n";
    cr_assert_eq(qala_targets_load_csv(tgs, first, strlen(first), "first.csv", fw, reg, found),
                 QALA_OK);
    expect_one_error(HEADER "life_expectancy_years,KZ-AKM,,76,2030,2015,S,\n", 2, 1, "duplicate",
                     "duplicate target: line 2 of first.csv already sets the target of indicator "
                     "\"life_expectancy_years\" for unit KZ-AKM");
}

Test(targets, unknown_unit_and_group_and_both_given)
{
    expect_one_error(HEADER "life_expectancy_years,KZ-XXX,,75,2030,2015,S,\n", 2, 2, "unknown-unit",
                     "unknown unit \"KZ-XXX\": expected a unit code of the registry (e.g. KZ-AKM)");
    qala_findings_clear(found);
    expect_one_error(HEADER "life_expectancy_years,,monocty,75,2030,2015,S,\n", 2, 3,
                     "unknown-group",
                     "unknown group \"monocty\": the registry's groups are monocity, "
                     "agglomeration, smart_city");
    qala_findings_clear(found);
    expect_one_error(HEADER "life_expectancy_years,KZ-AKM,monocity,75,2030,2015,S,\n", 2, 3,
                     "unit-and-group",
                     "both unit \"KZ-AKM\" and group \"monocity\" are given: a target is for one "
                     "unit, one group or (both empty) all units");
}

Test(targets, empty_required_fields)
{
    cr_expect_eq(load(HEADER ",,,,,,,\n"), QALA_EDATA);
    cr_expect_eq(qala_findings_errors(found), 5);
    const char *want[] = {"indicator is empty", "target is empty", "target_period is empty",
                          "baseline_period is empty", "source is empty"};
    for (size_t i = 0; i < 5; i++)
        cr_expect_str_eq(qala_findings_get(found, i)->message, want[i]);
}

Test(targets, missing_column)
{
    cr_expect_eq(load("indicator,target,target_period,baseline_period\n"
                      "life_expectancy_years,75,2030,2015\n"),
                 QALA_EDATA);
    cr_assert_geq(qala_findings_count(found), 1);
    cr_expect_str_eq(qala_findings_get(found, 0)->message,
                     "missing column \"source\" in the header of the targets table");
}

Test(targets, one_bad_row_adds_nothing)
{
    cr_expect_eq(load(HEADER "life_expectancy_years,,,75,2030,2015,S,\n"
                             "life_expectancy_years,,agglomeration,x,2030,2015,S,\n"),
                 QALA_EDATA);
    cr_expect_eq(qala_targets_count(tgs), 0);
}

Test(targets, allocation_failures_leave_the_collection_unchanged)
{
    static const char csv[] = HEADER "life_expectancy_years,,,75,2030,2015,S,n\n"
                                     "life_expectancy_years,KZ-AKM,,76,2030,2015,S,\n";
    qala_status st = QALA_ENOMEM;
    long n;
    for (n = 0; n < 1000 && st == QALA_ENOMEM; n++) {
        qala_targets *t = NULL;
        qala_allocator_set(&failing_allocator);
        calls = 0;
        fail_at = n;
        st = qala_targets_new(&t);
        if (st == QALA_OK) {
            st = qala_targets_load_csv(t, csv, strlen(csv), "a.csv", fw, reg, NULL);
            if (st == QALA_ENOMEM)
                cr_expect_eq(qala_targets_count(t), 0, "partial load at failure %ld", n);
        } else {
            cr_expect_null(t);
        }
        qala_allocator_set(NULL);
        fail_at = -1;
        qala_targets_free(t);
    }
    cr_expect_eq(st, QALA_OK, "never succeeded (%ld tries)", n);
    cr_expect_gt(n, 3, "some allocations were failed");
}

Test(targets, ambiguous_group_targets)
{
    /* a unit in two groups that both have a target: found by scanning memberships */
    size_t g1, g2;
    cr_assert_eq(qala_registry_find_group(reg, "monocity", &g1), QALA_OK);
    cr_assert_eq(qala_registry_find_group(reg, "smart_city", &g2), QALA_OK);
    size_t both = SIZE_MAX;
    for (size_t u = 0; u < qala_registry_unit_count(reg) && both == SIZE_MAX; u++)
        if (qala_registry_in_group_at(reg, g1, u, 20230101) &&
            qala_registry_in_group_at(reg, g2, u, 20230101))
            both = u;
    if (both == SIZE_MAX) {
        /* no such unit in the embedded registry: add a made-up membership */
        size_t u;
        cr_assert_eq(qala_registry_find(reg, "KZ-AKM", &u), QALA_OK);
        qala_membership m1 = {g1, u, QALA_DATE_MIN, QALA_DATE_MAX, "test"};
        qala_membership m2 = {g2, u, QALA_DATE_MIN, QALA_DATE_MAX, "test"};
        cr_assert_eq(qala_registry_add_membership(reg, &m1), QALA_OK);
        cr_assert_eq(qala_registry_add_membership(reg, &m2), QALA_OK);
        both = u;
    }
    cr_assert_eq(load(HEADER "life_expectancy_years,,monocity,74,2030,2015,S,\n"
                             "life_expectancy_years,,smart_city,77,2030,2015,S,\n"),
                 QALA_OK);
    size_t i;
    cr_expect_eq(qala_targets_find(tgs, ind("life_expectancy_years"), reg, both, 20230101, &i),
                 QALA_EAMBIGUOUS);
}
