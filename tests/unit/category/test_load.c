/* The rule file loader (docs/categories.md): what each row becomes, and every
 * validation finding exactly (label:line:column, rule, message). Fictional framework and
 * registry of fixture.h. */
#include "fixture.h"

static cx c;

static void setup(void)
{
    cx_init(&c);
}

static void teardown(void)
{
    cx_free(&c);
}

TestSuite(category_load, .init = setup, .fini = teardown);

static void expect_finding(size_t i, qala_severity sev, long line, long col, const char *rule,
                           const char *message)
{
    const qala_finding *f = qala_findings_get(c.found, i);
    cr_assert_not_null(f, "no finding %zu", i);
    cr_expect_eq(f->severity, sev, "finding %zu severity", i);
    cr_expect_str_eq(f->file, "rules.csv");
    cr_expect_eq(f->line, line, "finding %zu: line %ld", i, f->line);
    cr_expect_eq(f->column, col, "finding %zu: column %ld (%s)", i, f->column, f->message);
    cr_expect_str_eq(f->rule, rule);
    cr_expect_str_eq(f->message, message);
}

/* HEADER + one row that must give exactly one error (line 2) and add nothing. */
static void expect_one_error(const char *row, long col, const char *rule, const char *message)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "%s%s", HEADER, row);
    cr_expect_eq(cx_load(&c, buf), QALA_EDATA);
    cr_expect_eq(qala_findings_errors(c.found), 1, "errors: %zu (first: %s)",
                 qala_findings_errors(c.found),
                 qala_findings_count(c.found) ? qala_findings_get(c.found, 0)->message : "");
    expect_finding(0, QALA_SEVERITY_ERROR, 2, col, rule, message);
    cr_expect_eq(qala_category_rules_count(c.rules), 0);
}

Test(category_load, every_subject_with_its_fields)
{
    cx_rules(&c, GRP("in-mono", "mono")
                 "cfe,eligibility,indicator,CFE,,,,,,,>=,20,Big employer,A law,rule\n"
                 TRF("avg", "1", "UNR", "average", "", ">", "1.5")
                 "perd,2,indicator,LAY,per_denominator,,POP,1000,,,<=,-2.5,d,s,literature\n"
                 "med,2,indicator,INC,ratio_group_median,,,,mono,,<,0.9,d,s,assumption\n"
                 BRE("cb", "1", "crisis_breaches", "my set", "<", "4")
                 BRE("b", "2", "breaches", "", "<=", "0"));
    cr_assert_eq(qala_category_rules_count(c.rules), 7);
    const qala_rule *r = qala_category_rules_get(c.rules, 0);
    cr_expect_str_eq(r->id, "in-mono");
    cr_expect_eq(r->kind, QALA_RULE_ELIGIBILITY);
    cr_expect_eq(r->subject, QALA_RULE_GROUP);
    cr_expect_str_eq(r->group, "mono");
    cr_expect_str_eq(r->set, "");
    cr_expect_eq(r->confidence, QALA_CONFIDENCE_RULE);
    cr_expect_eq(r->line, 2);
    r = qala_category_rules_get(c.rules, 1);
    cr_expect_eq(r->subject, QALA_RULE_INDICATOR);
    cr_expect_eq(r->indicator, 0); /* CFE */
    cr_expect_eq(r->transform, QALA_TRANSFORM_LEVEL);
    cr_expect_eq(r->k, 1);
    cr_expect_eq(r->denominator, SIZE_MAX);
    cr_expect_eq(r->op, QALA_OP_GE);
    cr_expect_eq(r->value, 20);
    cr_expect_str_eq(r->description, "Big employer");
    cr_expect_str_eq(r->source, "A law");
    cr_expect_str_eq(r->group, "");
    r = qala_category_rules_get(c.rules, 2);
    cr_expect_eq(r->kind, QALA_RULE_CATEGORY_1);
    cr_expect_eq(r->transform, QALA_TRANSFORM_AVERAGE);
    cr_expect_eq(r->k, 3, "average defaults to k 3");
    cr_expect_eq(r->op, QALA_OP_GT);
    cr_expect_eq(r->value, 1.5);
    r = qala_category_rules_get(c.rules, 3);
    cr_expect_eq(r->kind, QALA_RULE_CATEGORY_2);
    cr_expect_eq(r->transform, QALA_TRANSFORM_PER_DENOMINATOR);
    cr_expect_eq(r->indicator, 2);   /* LAY */
    cr_expect_eq(r->denominator, 3); /* POP */
    cr_expect_eq(r->scale, 1000);
    cr_expect_eq(r->op, QALA_OP_LE);
    cr_expect_eq(r->value, -2.5);
    cr_expect_eq(r->confidence, QALA_CONFIDENCE_LITERATURE);
    r = qala_category_rules_get(c.rules, 4);
    cr_expect_eq(r->transform, QALA_TRANSFORM_RATIO_GROUP_MEDIAN);
    cr_expect_str_eq(r->group, "mono");
    cr_expect_eq(r->op, QALA_OP_LT);
    r = qala_category_rules_get(c.rules, 5);
    cr_expect_eq(r->subject, QALA_RULE_CRISIS_BREACHES);
    cr_expect_str_eq(r->set, "my set");
    cr_expect_eq(r->value, 4);
    r = qala_category_rules_get(c.rules, 6);
    cr_expect_eq(r->subject, QALA_RULE_BREACHES);
    cr_expect_str_eq(r->set, "");
    cr_expect_eq(r->op, QALA_OP_LE);
    cr_expect_eq(r->line, 8);
}

Test(category_load, indicator_by_name_and_columns_in_any_order)
{
    static const char csv[] = "confidence,source,description,value,operator,indicator,subject,kind,id\n"
                              "assumption,s,d,3,>=,LAY,indicator,1,x\n";
    cr_assert_eq(cx_load(&c, csv), QALA_OK);
    cr_expect_eq(qala_findings_count(c.found), 0);
    cr_expect_eq(qala_category_rules_get(c.rules, 0)->indicator, 2);
}

Test(category_load, missing_column)
{
    static const char csv[] = "id,kind,subject,description,source\nx,1,breaches,d,s\n";
    cr_expect_eq(cx_load(&c, csv), QALA_EDATA);
    expect_finding(0, QALA_SEVERITY_ERROR, 1, 0, "missing-column",
                   "missing column \"confidence\" in the header of the category rules table");
    cr_expect_eq(qala_category_rules_count(c.rules), 0);
}

Test(category_load, field_count)
{
    expect_one_error("x,1,breaches\n", 0, "field-count", "row has 3 fields, the header has 15");
}

Test(category_load, bad_kind)
{
    expect_one_error(IND("x", "3", "UNR", ">=", "2"), 2, "bad-kind",
                     "kind \"3\" is not eligibility, 1 or 2");
}

Test(category_load, bad_subject)
{
    expect_one_error("x,1,level,UNR,,,,,,,>=,2,d,s,rule\n", 3, "bad-subject",
                     "subject \"level\" is not indicator, group, crisis_breaches or breaches");
}

Test(category_load, group_subject_is_for_eligibility)
{
    expect_one_error("x,1,group,,,,,,mono,,,,d,s,rule\n", 3, "bad-subject",
                     "subject group is only used by eligibility rows (this row's kind is 1)");
}

Test(category_load, breach_subjects_are_triggers)
{
    expect_one_error(BRE("x", "eligibility", "breaches", "", ">=", "1"), 3, "bad-subject",
                     "subject breaches is only used by kinds 1 and 2 (this row is eligibility)");
}

Test(category_load, empty_indicator)
{
    expect_one_error(IND("x", "1", "", ">=", "2"), 4, "empty-value",
                     "indicator is empty: subject indicator needs an indicator code of the framework");
}

Test(category_load, unknown_indicator_suggests)
{
    expect_one_error(IND("x", "1", "UNRR", ">=", "2"), 4, "unknown-indicator",
                     "unknown indicator \"UNRR\": did you mean \"UNR\"?");
}

Test(category_load, bad_transform)
{
    expect_one_error(TRF("x", "1", "UNR", "avg", "", ">=", "2"), 5, "bad-transform",
                     "transform \"avg\" is not one of level, per_denominator, average, "
                     "change_points, change_percent, ratio_national, ratio_group_median");
}

Test(category_load, bad_k)
{
    expect_one_error(TRF("x", "1", "UNR", "average", "0", ">=", "2"), 6, "bad-k",
                     "k \"0\" is not a whole number of periods from 1 to 100");
}

Test(category_load, per_denominator_needs_a_denominator)
{
    expect_one_error(TRF("x", "1", "UNR", "per_denominator", "", ">=", "2"), 7, "empty-value",
                     "denominator is empty: transform per_denominator needs the indicator to "
                     "divide by");
}

Test(category_load, bad_scale)
{
    expect_one_error("x,1,indicator,LAY,per_denominator,,POP,0,,,>=,2,d,s,rule\n", 8, "bad-scale",
                     "scale 0 is not a positive number");
}

Test(category_load, ratio_group_median_needs_a_group)
{
    expect_one_error(TRF("x", "1", "INC", "ratio_group_median", "", "<", "1"), 9, "empty-value",
                     "group is empty: transform ratio_group_median (the group whose median is the "
                     "reference) needs a group code of the registry");
}

Test(category_load, unknown_group_lists_the_known_ones)
{
    expect_one_error(GRP("x", "monno"), 9, "unknown-group",
                     "unknown group \"monno\": the registry's groups are mono, agglo");
}

Test(category_load, empty_group)
{
    expect_one_error(GRP("x", ""), 9, "empty-value",
                     "group is empty: subject group needs a group code of the registry");
}

Test(category_load, a_group_row_has_no_operator_or_value)
{
    cr_expect_eq(cx_load(&c, HEADER "x,eligibility,group,,,,,,mono,,>=,1,d,s,rule\n"), QALA_EDATA);
    cr_expect_eq(qala_findings_errors(c.found), 2);
    expect_finding(0, QALA_SEVERITY_ERROR, 2, 11, "not-applicable",
                   "operator is not used by subject group (membership holds or not): leave it empty");
    expect_finding(1, QALA_SEVERITY_ERROR, 2, 12, "not-applicable",
                   "value is not used by subject group (membership holds or not): leave it empty");
}

Test(category_load, empty_operator)
{
    expect_one_error(IND("x", "1", "UNR", "", "2"), 11, "empty-value",
                     "operator is empty: subject indicator needs one of >=, >, <=, <");
}

Test(category_load, bad_operator)
{
    expect_one_error(IND("x", "1", "UNR", "=>", "2"), 11, "bad-operator",
                     "operator \"=>\" is not >=, >, <= or <");
}

Test(category_load, empty_value)
{
    expect_one_error(BRE("x", "1", "breaches", "", ">=", ""), 12, "empty-value",
                     "value is empty: subject breaches needs the number to compare with");
}

Test(category_load, value_not_a_number)
{
    expect_one_error(IND("x", "1", "UNR", ">=", "\"2,5\""), 12, "not-a-number",
                     "value \"2,5\" is not a number (expected e.g. -12.5)");
}

Test(category_load, bad_confidence)
{
    expect_one_error("x,1,indicator,UNR,,,,,,,>=,2,d,s,Rule\n", 15, "bad-confidence",
                     "confidence \"Rule\" is not rule, literature or assumption");
}

Test(category_load, empty_required_texts)
{
    cr_expect_eq(cx_load(&c, HEADER ",1,indicator,UNR,,,,,,,>=,2,,,\n"), QALA_EDATA);
    cr_expect_eq(qala_findings_errors(c.found), 4);
    expect_finding(0, QALA_SEVERITY_ERROR, 2, 1, "empty-value", "id is empty");
    expect_finding(1, QALA_SEVERITY_ERROR, 2, 13, "empty-value", "description is empty");
    expect_finding(2, QALA_SEVERITY_ERROR, 2, 14, "empty-value", "source is empty");
    expect_finding(3, QALA_SEVERITY_ERROR, 2, 15, "empty-value", "confidence is empty");
}

Test(category_load, repeated_id_in_the_file)
{
    cr_expect_eq(cx_load(&c, HEADER IND("a", "1", "UNR", ">=", "2") IND("b", "2", "UNR", ">", "1")
                                    IND("a", "2", "LAY", ">", "1")),
                 QALA_EDATA);
    cr_expect_eq(qala_findings_errors(c.found), 1);
    expect_finding(0, QALA_SEVERITY_ERROR, 4, 1, "duplicate-id",
                   "id \"a\" is already used by the rule on line 2");
    cr_expect_eq(qala_category_rules_count(c.rules), 0);
}

Test(category_load, repeated_id_across_files)
{
    static const char first[] = HEADER IND("a", "1", "UNR", ">=", "2");
    cr_assert_eq(qala_category_rules_load_csv(c.rules, first, strlen(first), "first.csv", c.fw,
                                              c.reg, c.found),
                 QALA_OK);
    cr_expect_eq(cx_load(&c, HEADER IND("b", "2", "UNR", ">", "1") IND("a", "2", "LAY", ">", "1")),
                 QALA_EDATA);
    expect_finding(0, QALA_SEVERITY_ERROR, 3, 1, "duplicate-id",
                   "id \"a\" is already used by the rule on line 2 of first.csv");
    cr_expect_eq(qala_category_rules_count(c.rules), 1, "the second file adds nothing");
    cr_expect_str_eq(qala_category_rules_get(c.rules, 0)->id, "a");
}

Test(category_load, one_bad_row_adds_nothing)
{
    cr_expect_eq(cx_load(&c, HEADER IND("a", "1", "UNR", ">=", "2") IND("b", "1", "UNR", ">=", "x")),
                 QALA_EDATA);
    cr_expect_eq(qala_category_rules_count(c.rules), 0);
    cr_expect_eq(qala_findings_errors(c.found), 1);
    expect_finding(0, QALA_SEVERITY_ERROR, 3, 12, "not-a-number",
                   "value \"x\" is not a number (expected e.g. -12.5)");
}

Test(category_load, unused_values_are_warnings)
{
    cr_expect_eq(cx_load(&c, HEADER "x,1,indicator,UNR,level,3,,,mono,my,>=,2,d,s,rule\n"
                                    "y,eligibility,group,INC,,,,,mono,,,,d,s,rule\n"
                                    "z,2,breaches,UNR,,,,,,,>=,1,d,s,rule\n"),
                 QALA_OK);
    cr_expect_eq(qala_findings_errors(c.found), 0);
    cr_assert_eq(qala_findings_warnings(c.found), 5);
    expect_finding(0, QALA_SEVERITY_WARNING, 2, 6, "unused-value",
                   "k is only used by average, change_points and change_percent; ignored for "
                   "transform level");
    expect_finding(1, QALA_SEVERITY_WARNING, 2, 9, "unused-value",
                   "group is only used by subject group and transform ratio_group_median; "
                   "ignored for transform level");
    expect_finding(2, QALA_SEVERITY_WARNING, 2, 10, "unused-value",
                   "set is only used by subjects crisis_breaches and breaches; ignored for "
                   "subject indicator");
    expect_finding(3, QALA_SEVERITY_WARNING, 3, 4, "unused-value",
                   "indicator is only used by subject indicator; ignored for subject group");
    expect_finding(4, QALA_SEVERITY_WARNING, 4, 4, "unused-value",
                   "indicator is only used by subject indicator; ignored for subject breaches");
    cr_assert_eq(qala_category_rules_count(c.rules), 3);
    cr_expect_str_eq(qala_category_rules_get(c.rules, 0)->set, "");
    cr_expect_str_eq(qala_category_rules_get(c.rules, 0)->group, "");
    cr_expect_eq(qala_category_rules_get(c.rules, 0)->k, 1);
}

Test(category_load, empty_table)
{
    cr_expect_eq(cx_load(&c, ""), QALA_EDATA);
    expect_finding(0, QALA_SEVERITY_ERROR, 1, 0, "missing-header",
                   "the category rules table is empty: a header row is required");
}

Test(category_load, header_only_is_an_empty_rule_set)
{
    cr_expect_eq(cx_load(&c, HEADER), QALA_OK);
    cr_expect_eq(qala_category_rules_count(c.rules), 0);
    cr_expect_null(qala_category_rules_get(c.rules, 0));
}
