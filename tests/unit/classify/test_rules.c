/* Typology rule files (docs/classify.md) and their evaluation (src/classify_rules.c,
 * src/classify.c). A small fictional world (every name made up): country TL, region RG,
 * cities TV (in group "mono" since 2015), SP (in "agglo"), FB and MT (in no group);
 * framework CFE (employment at the city-forming enterprise, %), POP, NET (internet use,
 * %), EGV (online services, %). Yearly periods. The shipped typology.csv is checked
 * against the real embedded framework and registry. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/classify.h"

#define Y(y) ((qala_period)((y) * 100))
#define HEADER "rule,group,indicator,operator,value,upper,description,source,confidence\n"

static qala_framework *fw;
static qala_registry *reg;
static qala_dataset *ds;
static qala_classify_rules *rules;
static qala_findings *found;
static qala_classify_result *res;

static void unit(const char *code, qala_unit_kind kind)
{
    qala_unit u = {.code = code, .kind = kind, .kato = "", .lat = NAN, .lon = NAN,
                   .valid_from = QALA_DATE_MIN, .valid_to = QALA_DATE_MAX, .source = "test"};
    size_t idx;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &idx), QALA_OK);
}

static void member(const char *group, const char *code, qala_date from)
{
    size_t g, u;
    cr_assert_eq(qala_registry_find_group(reg, group, &g), QALA_OK);
    cr_assert_eq(qala_registry_find(reg, code, &u), QALA_OK);
    qala_membership m = {.group = g, .unit = u, .valid_from = from, .valid_to = QALA_DATE_MAX,
                         .source = "test"};
    cr_assert_eq(qala_registry_add_membership(reg, &m), QALA_OK);
}

static void indicator(const char *code)
{
    qala_indicator ind = {.code = code, .domain = QALA_DOMAIN_INCOMES, .direction = 1, .unit = "",
                          .decimals = 1, .min = -INFINITY, .max = INFINITY,
                          .name = {code, code, code}, .description = "", .source = "test"};
    size_t idx;
    cr_assert_eq(qala_framework_add(fw, &ind, &idx), QALA_OK);
}

static void setup(void)
{
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    indicator("CFE");
    indicator("POP");
    indicator("NET");
    indicator("EGV");
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    unit("TL", QALA_UNIT_COUNTRY);
    unit("RG", QALA_UNIT_REGION);
    unit("TV", QALA_UNIT_CITY);
    unit("SP", QALA_UNIT_CITY);
    unit("FB", QALA_UNIT_CITY);
    unit("MT", QALA_UNIT_CITY);
    size_t g;
    qala_group mono = {.code = "mono", .name = {"a", "b", "Monocities"}, .source = "test"};
    qala_group agglo = {.code = "agglo", .name = {"a", "b", "Agglomerations"}, .source = "test"};
    qala_group smart = {.code = "smart", .name = {"a", "b", "Smart"}, .source = "test"};
    cr_assert_eq(qala_registry_add_group(reg, &mono, &g), QALA_OK);
    cr_assert_eq(qala_registry_add_group(reg, &agglo, &g), QALA_OK);
    cr_assert_eq(qala_registry_add_group(reg, &smart, &g), QALA_OK);
    member("mono", "TV", 20150101);
    member("agglo", "SP", 20150101);
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    cr_assert_eq(qala_classify_rules_new(&rules), QALA_OK);
    cr_assert_eq(qala_findings_new(&found), QALA_OK);
}

static void teardown(void)
{
    qala_classify_result_free(res);
    res = NULL;
    qala_findings_free(found);
    qala_classify_rules_free(rules);
    qala_dataset_free(ds);
    qala_registry_free(reg);
    qala_framework_free(fw);
}

TestSuite(classify_rules, .init = setup, .fini = teardown);

static qala_status load(const char *rows)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", HEADER, rows);
    return qala_classify_rules_load_csv(rules, buf, strlen(buf), "rules.csv", fw, reg, found);
}

static void load_ok(const char *rows)
{
    qala_status st = load(rows);
    const qala_finding *f = qala_findings_get(found, 0);
    cr_assert_eq(st, QALA_OK, "%s (%s)", qala_error_last()->message, f ? f->message : "");
    cr_assert_eq(qala_findings_count(found), 0, "%s", f ? f->message : "");
}

/* One row that gives exactly one error at line 2, column col, and adds nothing. */
static void expect_error(const char *row, long col, const char *rule, const char *message)
{
    cr_expect_eq(load(row), QALA_EDATA);
    cr_assert_eq(qala_findings_errors(found), 1, "errors: %zu (first: %s)",
                 qala_findings_errors(found),
                 qala_findings_count(found) ? qala_findings_get(found, 0)->message : "");
    const qala_finding *f = qala_findings_get(found, 0);
    cr_expect_str_eq(f->file, "rules.csv");
    cr_expect_eq(f->line, 2);
    cr_expect_eq(f->column, col, "column %ld (%s)", f->column, f->message);
    cr_expect_str_eq(f->rule, rule);
    cr_expect_str_eq(f->message, message);
    cr_expect_eq(qala_classify_rules_count(rules), 0);
    qala_findings_clear(found);
}

static void obs(const char *u, const char *ind, int year, double v)
{
    uint32_t ui, ii;
    cr_assert_eq(qala_dataset_intern_unit(ds, u, &ui), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(ds, ind, &ii), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, ui, ii, Y(year), v, QALA_FLAG_NONE, 0), QALA_OK);
}

static size_t row_of(const char *code)
{
    size_t u;
    cr_assert_eq(qala_registry_find(reg, code, &u), QALA_OK);
    for (size_t i = 0; i < res->nunits; i++)
        if (res->unit[i] == u)
            return i;
    cr_assert_fail("no row for %s", code);
    return 0;
}

static int data_of(const char *code, size_t col)
{
    return res->data[row_of(code) * res->ngroups + col];
}

static void evaluate(int year)
{
    qala_classify_result_free(res);
    res = NULL;
    cr_assert_eq(qala_dataset_sort(ds), QALA_OK);
    qala_status st = qala_classify_evaluate(&res, ds, rules, fw, reg, Y(year), 0);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
}

Test(classify_rules, rows_become_conditions)
{
    load_ok("m,mono,CFE,>=,20,,Big employer,A law,rule\n"
            "s,smart,NET,between,80,100,Online,Survey,literature\n"
            "s,smart,EGV,>,50,,Services,Guess,assumption\n"
            "a,agglo,POP,<,1e6,,Not big,Guess,assumption\n"
            "b,agglo,POP,<=,-2.5,,d,s,assumption\n");
    cr_assert_eq(qala_classify_rules_count(rules), 5);
    const qala_classify_condition *c = qala_classify_rules_get(rules, 0);
    cr_expect_str_eq(c->rule, "m");
    cr_expect_str_eq(c->group, "mono");
    cr_expect_eq(c->indicator, 0);
    cr_expect_eq(c->op, QALA_CLASSIFY_GE);
    cr_expect_eq(c->value, 20);
    cr_expect(isnan(c->upper));
    cr_expect_str_eq(c->description, "Big employer");
    cr_expect_str_eq(c->source, "A law");
    cr_expect_eq(c->confidence, QALA_CONFIDENCE_RULE);
    cr_expect_eq(c->line, 2);
    c = qala_classify_rules_get(rules, 1);
    cr_expect_eq(c->op, QALA_CLASSIFY_BETWEEN);
    cr_expect_eq(c->value, 80);
    cr_expect_eq(c->upper, 100);
    cr_expect_eq(c->confidence, QALA_CONFIDENCE_LITERATURE);
    cr_expect_eq(qala_classify_rules_get(rules, 2)->op, QALA_CLASSIFY_GT);
    cr_expect_eq(qala_classify_rules_get(rules, 3)->value, 1e6);
    cr_expect_eq(qala_classify_rules_get(rules, 3)->op, QALA_CLASSIFY_LT);
    cr_expect_eq(qala_classify_rules_get(rules, 4)->op, QALA_CLASSIFY_LE);
    cr_expect_str_eq(qala_classify_op_code(QALA_CLASSIFY_BETWEEN), "between");
    cr_expect_null(qala_classify_rules_get(rules, 5));
}

Test(classify_rules, each_bad_field_is_one_finding)
{
    expect_error(",mono,CFE,>=,20,,d,s,rule\n", 1, "empty-value", "rule is empty");
    expect_error("m,mnoo,CFE,>=,20,,d,s,rule\n", 2, "unknown-group",
                 "unknown group \"mnoo\": the registry's groups are mono, agglo, smart");
    expect_error("m,mono,CEF,>=,20,,d,s,rule\n", 3, "unknown-indicator",
                 "unknown indicator \"CEF\": did you mean \"CFE\" or \"NET\"?");
    expect_error("m,mono,CFE,=>,20,,d,s,rule\n", 4, "bad-operator",
                 "operator \"=>\" is not >=, >, <=, < or between");
    expect_error("m,mono,CFE,>=,,,d,s,rule\n", 5, "empty-value",
                 "value is empty: a condition needs the number to compare with");
    expect_error("m,mono,CFE,between,20,,d,s,rule\n", 6, "empty-value",
                 "upper is empty: operator between needs the upper bound (value <= x <= upper)");
    expect_error("m,mono,CFE,between,20,10,d,s,rule\n", 6, "bad-range",
                 "upper 10 is below value 20: between needs value <= upper");
    expect_error("m,mono,CFE,>=,20,,,s,rule\n", 7, "empty-value", "description is empty");
    expect_error("m,mono,CFE,>=,20,,d,s,Rule\n", 9, "bad-confidence",
                 "confidence \"Rule\" is not rule, literature or assumption");
}

Test(classify_rules, value_must_be_a_plain_number)
{
    cr_expect_eq(load("m,mono,CFE,>=,\"2,5\",,d,s,rule\n"), QALA_EDATA);
    const qala_finding *f = qala_findings_get(found, 0);
    cr_assert_not_null(f);
    cr_expect_eq(f->column, 5);
    cr_expect_eq(qala_classify_rules_count(rules), 0);
}

Test(classify_rules, upper_without_between_is_a_warning)
{
    cr_assert_eq(load("m,mono,CFE,>=,20,30,d,s,rule\n"), QALA_OK);
    cr_assert_eq(qala_findings_count(found), 1);
    const qala_finding *f = qala_findings_get(found, 0);
    cr_expect_eq(f->severity, QALA_SEVERITY_WARNING);
    cr_expect_eq(f->column, 6);
    cr_expect_str_eq(f->message, "upper is only used by operator between; ignored for >=");
    cr_expect_eq(qala_classify_rules_count(rules), 1);
}

Test(classify_rules, rule_rows_together_and_of_one_group)
{
    cr_expect_eq(load("a,mono,CFE,>=,20,,d,s,rule\n"
                      "b,agglo,POP,>=,1,,d,s,rule\n"
                      "a,mono,POP,>=,1,,d,s,rule\n"),
                 QALA_EDATA);
    cr_assert_eq(qala_findings_errors(found), 1);
    const qala_finding *f = qala_findings_get(found, 0);
    cr_expect_eq(f->line, 4);
    cr_expect_str_eq(f->rule, "split-rule");
    cr_expect_str_eq(f->message, "rule \"a\" was begun on line 2 and other rules came between: keep "
                                 "the rows of a rule together");
    qala_findings_clear(found);
    cr_expect_eq(load("a,mono,CFE,>=,20,,d,s,rule\n"
                      "a,agglo,POP,>=,1,,d,s,rule\n"), QALA_EDATA);
    f = qala_findings_get(found, 0);
    cr_expect_eq(f->column, 2);
    cr_expect_str_eq(f->message, "rule \"a\" assigns group mono on line 2, not agglo: one rule, one group");
    cr_expect_eq(qala_classify_rules_count(rules), 0);
}

Test(classify_rules, a_rule_id_is_not_reused_across_files)
{
    load_ok("a,mono,CFE,>=,20,,d,s,rule\n");
    cr_expect_eq(load("a,mono,CFE,>=,30,,d,s,rule\n"), QALA_EDATA);
    cr_expect_str_eq(qala_findings_get(found, 0)->message,
                     "rule \"a\" is already loaded from line 2 of rules.csv");
    cr_expect_eq(qala_classify_rules_count(rules), 1);
}

Test(classify_rules, missing_column_is_an_error)
{
    const char *text = "rule,group,indicator,operator,value,description,source\n";
    cr_expect_eq(qala_classify_rules_load_csv(rules, text, strlen(text), "rules.csv", fw, reg, found),
                 QALA_EDATA);
    cr_expect_gt(qala_findings_errors(found), 0);
}

Test(classify_rules, three_valued_and_within_a_rule_or_across_rules)
{
    load_ok("m,mono,CFE,>=,20,,d,s,rule\n"
            "s,smart,NET,>=,90,,d,s,assumption\n"
            "s,smart,EGV,>=,90,,d,s,assumption\n"
            "a,agglo,POP,>=,1000,,d,s,assumption\n"
            "a2,agglo,POP,between,500,600,d,s,assumption\n");
    obs("TV", "CFE", 2020, 25);  /* mono yes */
    obs("SP", "CFE", 2020, 20);  /* inclusive: yes */
    obs("FB", "CFE", 2020, 19.9);
    obs("TV", "NET", 2020, 95);  /* EGV missing: smart no data */
    obs("SP", "NET", 2020, 80);  /* a false condition decides the AND: no */
    obs("FB", "NET", 2020, 91);
    obs("FB", "EGV", 2020, 90);  /* both hold: yes */
    obs("SP", "POP", 2020, 2000);
    obs("FB", "POP", 2020, 550); /* the second agglo rule */
    obs("TV", "POP", 2020, 100);
    obs("TV", "CFE", 2019, 5);   /* another period: ignored */
    obs("RG", "POP", 2020, 5000); /* a region: not a row */
    evaluate(2020);
    cr_assert_eq(res->nunits, 4, "the four cities");
    cr_assert_eq(res->ngroups, 3);
    size_t mono, agglo, smart;
    cr_assert_eq(qala_registry_find_group(reg, "mono", &mono), QALA_OK);
    cr_assert_eq(qala_registry_find_group(reg, "agglo", &agglo), QALA_OK);
    cr_assert_eq(qala_registry_find_group(reg, "smart", &smart), QALA_OK);
    cr_expect_eq(res->group[0], mono, "columns in order of first use");
    cr_expect_eq(res->group[1], smart);
    cr_expect_eq(res->group[2], agglo);
    cr_expect_eq(data_of("TV", 0), QALA_CLASSIFY_YES);
    cr_expect_eq(data_of("SP", 0), QALA_CLASSIFY_YES);
    cr_expect_eq(data_of("FB", 0), QALA_CLASSIFY_NO);
    cr_expect_eq(data_of("MT", 0), QALA_CLASSIFY_NO_DATA, "no figures: no data, not 'no'");
    cr_expect_eq(data_of("TV", 1), QALA_CLASSIFY_NO_DATA);
    cr_expect_eq(data_of("SP", 1), QALA_CLASSIFY_NO);
    cr_expect_eq(data_of("FB", 1), QALA_CLASSIFY_YES);
    cr_expect_eq(data_of("SP", 2), QALA_CLASSIFY_YES);
    cr_expect_eq(data_of("FB", 2), QALA_CLASSIFY_YES);
    cr_expect_eq(data_of("TV", 2), QALA_CLASSIFY_NO);
    size_t tv = row_of("TV"), sp = row_of("SP"), fb = row_of("FB");
    cr_expect_eq(res->official[tv * 3 + 0], 1, "TV is an official monocity");
    cr_expect_eq(res->official[sp * 3 + 2], 1, "SP an official agglomeration");
    cr_expect_eq(res->official[fb * 3 + 2], 0);
    /* the conditions of the rules that fired, in file order */
    cr_expect_eq(res->held_start[fb + 1] - res->held_start[fb], 3, "FB: s (2 rows) and a2");
    cr_expect_eq(res->held[res->held_start[fb]], 1);
    cr_expect_eq(res->held[res->held_start[fb] + 1], 2);
    cr_expect_eq(res->held[res->held_start[fb] + 2], 4);
    cr_expect_eq(res->held_start[tv + 1] - res->held_start[tv], 1, "TV: m");
}

Test(classify_rules, a_suppressed_value_is_no_data)
{
    load_ok("m,mono,CFE,>=,20,,d,s,rule\n");
    obs("TV", "CFE", 2020, NAN);
    evaluate(2020);
    cr_expect_eq(data_of("TV", 0), QALA_CLASSIFY_NO_DATA);
}

Test(classify_rules, membership_is_read_at_the_date)
{
    load_ok("m,mono,CFE,>=,20,,d,s,rule\n");
    cr_assert_eq(qala_dataset_sort(ds), QALA_OK);
    cr_assert_eq(qala_classify_evaluate(&res, ds, rules, fw, reg, Y(2020), 20100101), QALA_OK);
    cr_expect_eq(res->official[row_of("TV") * res->ngroups], 0, "not yet a member in 2010");
}

Test(classify_rules, default_period_is_the_latest_well_covered_one)
{
    load_ok("a,agglo,POP,>=,1000,,d,s,assumption\n");
    obs("TV", "POP", 2019, 1);
    obs("SP", "POP", 2019, 1);
    obs("FB", "POP", 2019, 1);
    obs("MT", "POP", 2019, 1);
    obs("TV", "POP", 2020, 1);
    obs("SP", "POP", 2020, 1);
    obs("TV", "POP", 2021, 1);
    obs("TV", "CFE", 2022, 1); /* not a rule indicator */
    qala_period p = 0;
    cr_assert_eq(qala_classify_rules_default_period(&p, ds, rules, fw), QALA_OK);
    cr_expect_eq(p, Y(2020), "2020 has half of 2019's four units; 2021 fewer");
    qala_dataset_clear(ds);
    cr_expect_eq(qala_classify_rules_default_period(&p, ds, rules, fw), QALA_ENOTFOUND);
}

Test(classify_rules, bad_arguments)
{
    load_ok("m,mono,CFE,>=,20,,d,s,rule\n");
    res = (qala_classify_result *)rules;
    cr_expect_eq(qala_classify_evaluate(&res, ds, rules, fw, reg, 12345, 0), QALA_EINVAL);
    cr_expect_null(res);
    cr_expect_eq(qala_classify_evaluate(&res, NULL, rules, fw, reg, Y(2020), 0), QALA_EINVAL);
    qala_framework *empty;
    cr_assert_eq(qala_framework_new(&empty), QALA_OK);
    cr_expect_eq(qala_classify_evaluate(&res, ds, rules, empty, reg, Y(2020), 0), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "rule \"m\": indicator 0 is not in the framework "
                                                 "(rules loaded against another framework?)");
    qala_framework_free(empty);
}

/* ---- the shipped rules ---- */

Test(classify_default, typology_csv_loads_against_the_embedded_framework_and_registry)
{
    qala_framework *rfw;
    qala_registry *rreg;
    qala_classify_rules *r;
    qala_findings *f;
    cr_assert_eq(qala_framework_new(&rfw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(rfw, NULL), QALA_OK);
    cr_assert_eq(qala_registry_new(&rreg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(rreg, NULL), QALA_OK);
    cr_assert_eq(qala_classify_rules_new(&r), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    qala_status st = qala_classify_rules_load_default(r, rfw, rreg, f);
    const qala_finding *first = qala_findings_get(f, 0);
    cr_assert_eq(st, QALA_OK, "%s", first ? first->message : qala_error_last()->message);
    cr_expect_eq(qala_findings_count(f), 0);
    cr_assert_eq(qala_classify_rules_count(r), 6);
    /* the monotown line of data/categories/SOURCES.md */
    const qala_classify_condition *c = qala_classify_rules_get(r, 0);
    cr_expect_str_eq(c->group, "monocity");
    cr_expect_str_eq(qala_framework_get(rfw, c->indicator)->code, "cfe_employment_share_pct");
    cr_expect_eq(c->op, QALA_CLASSIFY_GE);
    cr_expect_eq(c->value, 20);
    c = qala_classify_rules_get(r, 2);
    cr_expect_str_eq(c->group, "agglomeration");
    cr_expect_eq(c->value, 1e6);
    cr_expect_eq(c->confidence, QALA_CONFIDENCE_ASSUMPTION, "no verified source: an assumption");
    for (size_t i = 3; i < 6; i++)
        cr_expect_str_eq(qala_classify_rules_get(r, i)->group, "smart_city");
    qala_findings_free(f);
    qala_classify_rules_free(r);
    qala_registry_free(rreg);
    qala_framework_free(rfw);
}
