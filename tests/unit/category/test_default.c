/* The default rule set (data/categories/monotown.csv) against the real embedded framework
 * (data/framework/indicators.csv), registry (data/registry/) and threshold set
 * (data/thresholds/default.csv): it loads without any finding and says what
 * ../shared/design/METHODS.md §3 says. The evaluated units are fictional (X1.. are not
 * in the registry, so in no group). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "qala/category.h"

static qala_framework *fw;
static qala_registry *reg;
static qala_thresholds *ths;
static qala_category_rules *rules;
static qala_findings *found;

static void setup(void)
{
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, NULL), QALA_OK);
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, NULL), QALA_OK);
    cr_assert_eq(qala_thresholds_new(&ths), QALA_OK);
    cr_assert_eq(qala_thresholds_load_default(ths, fw, reg, NULL), QALA_OK);
    cr_assert_eq(qala_category_rules_new(&rules), QALA_OK);
    cr_assert_eq(qala_findings_new(&found), QALA_OK);
}

static void teardown(void)
{
    qala_findings_free(found);
    qala_category_rules_free(rules);
    qala_thresholds_free(ths);
    qala_registry_free(reg);
    qala_framework_free(fw);
}

TestSuite(category_default, .init = setup, .fini = teardown);

static const qala_rule *rule(const char *id)
{
    for (size_t i = 0; i < qala_category_rules_count(rules); i++)
        if (strcmp(qala_category_rules_get(rules, i)->id, id) == 0)
            return qala_category_rules_get(rules, i);
    cr_assert_fail("no rule %s", id);
    return NULL;
}

static const char *code(const qala_rule *r)
{
    return qala_framework_get(fw, r->indicator)->code;
}

Test(category_default, loads_without_findings)
{
    qala_status st = qala_category_rules_load_default(rules, fw, reg, found);
    const qala_finding *f = qala_findings_get(found, 0);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_findings_count(found), 0, "%s:%ld:%ld: %s", f ? f->file : "",
                 f ? f->line : 0, f ? f->column : 0, f ? f->message : "");
    cr_assert_eq(qala_category_rules_count(rules), 11);
    size_t kinds[3] = {0, 0, 0};
    for (size_t i = 0; i < 11; i++) {
        const qala_rule *r = qala_category_rules_get(rules, i);
        kinds[r->kind]++;
        cr_expect(r->description[0] && r->source[0], "rule %s has a description and a source",
                  r->id);
    }
    cr_expect_eq(kinds[QALA_RULE_ELIGIBILITY], 3);
    cr_expect_eq(kinds[QALA_RULE_CATEGORY_1], 4);
    cr_expect_eq(kinds[QALA_RULE_CATEGORY_2], 4);
}

Test(category_default, says_what_the_design_says)
{
    cr_assert_eq(qala_category_rules_load_default(rules, fw, reg, NULL), QALA_OK);
    /* METHODS.md §3: eligibility >= 20% of employment (or output) at the city-forming
     * enterprise(s); the monocity group of the source document's Figure 1. */
    const qala_rule *r = rule("monocity-list");
    cr_expect_eq(r->subject, QALA_RULE_GROUP);
    cr_expect_str_eq(r->group, "monocity");
    r = rule("cfe-employment-20");
    cr_expect_str_eq(code(r), "cfe_employment_share_pct");
    cr_expect_eq(r->op, QALA_OP_GE);
    cr_expect_eq(r->value, 20);
    cr_expect_eq(r->confidence, QALA_CONFIDENCE_RULE);
    r = rule("cfe-output-20");
    cr_expect_str_eq(code(r), "cfe_output_share_pct");
    cr_expect_eq(r->op, QALA_OP_GE);
    cr_expect_eq(r->value, 20);
    /* registered unemployment >= 2x (category 1) or > 1x (category 2) the national rate;
     * planned layoffs > 3%. */
    r = rule("unemployment-2x-national");
    cr_expect_str_eq(code(r), "unemployment_registered_rel_national_ratio");
    cr_expect_eq(r->kind, QALA_RULE_CATEGORY_1);
    cr_expect_eq(r->op, QALA_OP_GE);
    cr_expect_eq(r->value, 2);
    r = rule("unemployment-above-national");
    cr_expect_eq(r->kind, QALA_RULE_CATEGORY_2);
    cr_expect_eq(r->op, QALA_OP_GT);
    cr_expect_eq(r->value, 1);
    r = rule("cfe-layoffs-3pct");
    cr_expect_str_eq(code(r), "cfe_planned_layoffs_pct");
    cr_expect_eq(r->kind, QALA_RULE_CATEGORY_1);
    cr_expect_eq(r->op, QALA_OP_GT);
    cr_expect_eq(r->value, 3);
    r = rule("wage-arrears-2pct");
    cr_expect_str_eq(code(r), "wage_arrears_pct_wage_fund");
    cr_expect_eq(r->confidence, QALA_CONFIDENCE_ASSUMPTION);
    r = rule("population-decline-5y");
    cr_expect_str_eq(code(r), "population");
    cr_expect_eq(r->transform, QALA_TRANSFORM_CHANGE_PERCENT);
    cr_expect_eq(r->k, 5);
    cr_expect_eq(r->op, QALA_OP_LT);
    cr_expect_eq(r->value, 0);
    r = rule("net-out-migration");
    cr_expect_str_eq(code(r), "net_migration_per_1000_3y_avg");
    cr_expect_eq(r->op, QALA_OP_LT);
    r = rule("crisis-breaches-3");
    cr_expect_eq(r->subject, QALA_RULE_CRISIS_BREACHES);
    cr_expect_str_eq(r->set, "qala-default");
    cr_expect_eq(r->value, 3);
    r = rule("breaches-3");
    cr_expect_eq(r->subject, QALA_RULE_BREACHES);
    cr_expect_eq(r->kind, QALA_RULE_CATEGORY_2);
}

Test(category_default, loading_it_twice_repeats_every_id)
{
    cr_assert_eq(qala_category_rules_load_default(rules, fw, reg, NULL), QALA_OK);
    cr_expect_eq(qala_category_rules_load_default(rules, fw, reg, found), QALA_EDATA);
    cr_expect_eq(qala_findings_errors(found), 11);
    cr_expect_eq(qala_category_rules_count(rules), 11);
}

Test(category_default, evaluates_with_the_default_thresholds)
{
    cr_assert_eq(qala_category_rules_load_default(rules, fw, reg, NULL), QALA_OK);
    qala_dataset *ds;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    uint32_t x1, x2, cfe, unr, pop;
    cr_assert_eq(qala_dataset_intern_unit(ds, "X1", &x1), QALA_OK);
    cr_assert_eq(qala_dataset_intern_unit(ds, "X2", &x2), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(ds, "cfe_employment_share_pct", &cfe), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(ds, "unemployment_registered_rel_national_ratio", &unr),
                 QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(ds, "population", &pop), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, x1, cfe, 202000, 30, QALA_FLAG_NONE, 0), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, x1, unr, 202000, 2.5, QALA_FLAG_NONE, 0), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, x2, cfe, 202000, 10, QALA_FLAG_NONE, 0), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, x2, pop, 201500, 1000, QALA_FLAG_NONE, 0), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, x2, pop, 202000, 990, QALA_FLAG_NONE, 0), QALA_OK);
    cr_assert_eq(qala_dataset_sort(ds), QALA_OK);
    qala_category_result *r = NULL;
    qala_status st = qala_category_evaluate(&r, ds, rules, ths, fw, reg, 202000);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(r->n, 2);
    /* X1: CFE 30% >= 20 makes it eligible; 2.5 x national is category 1 (and > 1). The
     * monocity thresholds of qala-default do not apply to a unit in no group, so its
     * breach counts have no data: 2 triggers evaluated. */
    cr_expect_eq(r->eligible[0], 1);
    cr_expect_eq(r->category[0], 1);
    cr_expect_eq(r->evaluated[0], 2);
    cr_assert_eq(r->fired_start[1] - r->fired_start[0], 3);
    cr_expect_str_eq(qala_category_rules_get(rules, r->fired[0])->id, "cfe-employment-20");
    cr_expect_str_eq(qala_category_rules_get(rules, r->fired[1])->id, "unemployment-2x-national");
    cr_expect_str_eq(qala_category_rules_get(rules, r->fired[2])->id, "unemployment-above-national");
    /* X2: CFE 10% and in no group: not a monotown, although its population fell by 1%
     * in 5 years (a category-2 trigger, listed). */
    cr_expect_eq(r->eligible[1], 0);
    cr_expect_eq(r->category[1], 0);
    cr_assert_eq(r->fired_start[2] - r->fired_start[1], 1);
    cr_expect_str_eq(qala_category_rules_get(rules, r->fired[3])->id, "population-decline-5y");
    qala_category_result_free(r);
    qala_dataset_free(ds);
}
