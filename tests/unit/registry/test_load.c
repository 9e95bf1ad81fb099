/* Unit tests of qala_registry_load_csv on bad input: every problem is a finding at
 * label:line:column, and a table with any error adds nothing. */
#include "fixture.h"

#include <stdio.h>

typedef struct loaded {
    qala_registry *reg;
    qala_findings *f;
    qala_status st;
} loaded;

/* Loads the fixture's units (and names when `with_names`), then `text` as `table`. */
static loaded load_after_fixture(qala_registry_table table, const char *text, int with_names)
{
    loaded l = {0};
    cr_assert_eq(qala_registry_new(&l.reg), QALA_OK);
    cr_assert_eq(qala_findings_new(&l.f), QALA_OK);
    cr_assert_eq(qala_registry_load_csv(l.reg, QALA_REGISTRY_UNITS, fixture_units,
                                        strlen(fixture_units), "units.csv", l.f),
                 QALA_OK);
    if (with_names)
        cr_assert_eq(qala_registry_load_csv(l.reg, QALA_REGISTRY_NAMES, fixture_names,
                                            strlen(fixture_names), "names.csv", l.f),
                     QALA_OK);
    cr_assert_eq(qala_registry_load_csv(l.reg, QALA_REGISTRY_GROUPS, fixture_groups,
                                        strlen(fixture_groups), "groups.csv", l.f),
                 QALA_OK);
    l.st = qala_registry_load_csv(l.reg, table, text, strlen(text), "bad.csv", l.f);
    return l;
}

static void done(loaded *l)
{
    qala_findings_free(l->f);
    qala_registry_free(l->reg);
}

/* Asserts that some finding has this place, rule and message text inside. */
static void expect_finding(const qala_findings *f, long line, long column, const char *rule,
                           const char *text)
{
    for (size_t i = 0; i < qala_findings_count(f); i++) {
        const qala_finding *x = qala_findings_get(f, i);
        if (x->line == line && x->column == column && strcmp(x->rule, rule) == 0 &&
            strstr(x->message, text) && strcmp(x->file, "bad.csv") == 0)
            return;
    }
    for (size_t i = 0; i < qala_findings_count(f); i++) {
        const qala_finding *x = qala_findings_get(f, i);
        cr_log_error("have %s:%ld:%ld [%s] %s", x->file, x->line, x->column, x->rule, x->message);
    }
    cr_expect_fail("no finding bad.csv:%ld:%ld [%s] containing \"%s\"", line, column, rule, text);
}

Test(registry_load, unknown_unit_code_in_names_is_an_error_and_nothing_is_added)
{
    loaded l = load_after_fixture(QALA_REGISTRY_NAMES,
                                  "unit_code,lang,name,valid_from,valid_to,status\n"
                                  "T-KRG,ru,Караганда,,,official\n"
                                  "KZ-XYZ,ru,Нигде,,,official\n",
                                  0);
    cr_expect_eq(l.st, QALA_EDATA);
    expect_finding(l.f, 3, 1, "unknown-unit", "unknown unit code \"KZ-XYZ\"");
    cr_expect_eq(qala_registry_name_count(l.reg), 0);
    cr_expect_eq(qala_findings_errors(l.f), 1);
    done(&l);
}

Test(registry_load, unknown_unit_code_in_parents_is_an_error)
{
    loaded l = load_after_fixture(QALA_REGISTRY_PARENTS,
                                  "unit_code,parent_code,valid_from,valid_to,source\n"
                                  "T-KRG,T-KAR,,,x\n"
                                  "T-KRG,KZ-XYZ,,,x\n"
                                  "T-KRG,T-KRG,,,x\n",
                                  0);
    cr_expect_eq(l.st, QALA_EDATA);
    expect_finding(l.f, 3, 2, "unknown-unit", "unknown unit code \"KZ-XYZ\"");
    expect_finding(l.f, 4, 2, "self-parent", "its own parent");
    cr_expect_eq(qala_registry_parent_count(l.reg), 0);
    done(&l);
}

Test(registry_load, bad_dates_periods_kinds_and_duplicates_in_units)
{
    loaded l = load_after_fixture(QALA_REGISTRY_UNITS,
                                  "code,kind,kato,lat,lon,valid_from,valid_to,source\n"
                                  "N-1,city,,,,2019-13-01,,x\n"
                                  "N-2,city,,,,2020-01-01,2019-01-01,x\n"
                                  "N-3,village,,,,,,x\n"
                                  "N-4,city,,,,,,x\n"
                                  "n-4,city,,,,,,x\n"
                                  "T-KRG,city,,,,,,x\n"
                                  "N-5,city,,95,10,,,x\n"
                                  "N-6,city,,4x,10,,,x\n"
                                  ",city,,,,,,x\n",
                                  0);
    cr_expect_eq(l.st, QALA_EDATA);
    expect_finding(l.f, 2, 6, "bad-date", "\"2019-13-01\" is not a date");
    expect_finding(l.f, 3, 7, "bad-period", "valid_from 2020-01-01 is not before valid_to 2019-01-01");
    expect_finding(l.f, 4, 2, "bad-kind", "unknown kind \"village\"");
    expect_finding(l.f, 6, 1, "duplicate-code", "duplicate code \"n-4\"");
    expect_finding(l.f, 7, 1, "duplicate-code", "\"T-KRG\" is already in the registry");
    expect_finding(l.f, 8, 4, "out-of-range", "lat 95 is outside");
    expect_finding(l.f, 9, 4, "not-a-number", "lat \"4x\"");
    expect_finding(l.f, 10, 1, "empty-value", "code is empty");
    cr_expect_eq(qala_registry_unit_count(l.reg), 9); /* the fixture's only */
    done(&l);
}

Test(registry_load, a_missing_required_column_is_reported_on_the_header)
{
    loaded l = load_after_fixture(QALA_REGISTRY_UNITS,
                                  "code,kato,lat\n"
                                  "N-1,,\n",
                                  0);
    cr_expect_eq(l.st, QALA_EDATA);
    expect_finding(l.f, 1, 0, "missing-column", "missing column \"kind\"");
    cr_expect_eq(qala_registry_unit_count(l.reg), 9);
    done(&l);
}

Test(registry_load, columns_in_any_order_and_extra_ones_with_a_warning)
{
    loaded l = load_after_fixture(QALA_REGISTRY_UNITS,
                                  "kind,comment,code\n"
                                  "city,whatever,N-1\n",
                                  0);
    cr_expect_eq(l.st, QALA_OK, "%s", qala_error_last()->message);
    expect_finding(l.f, 1, 2, "unknown-column", "unknown column \"comment\"");
    cr_expect_eq(qala_findings_errors(l.f), 0);
    cr_expect_eq(qala_findings_warnings(l.f), 1);
    size_t i;
    cr_assert_eq(qala_registry_find(l.reg, "N-1", &i), QALA_OK);
    cr_expect_eq(qala_registry_unit(l.reg, i)->kind, QALA_UNIT_CITY);
    cr_expect_eq(qala_registry_unit(l.reg, i)->valid_to, QALA_DATE_MAX);
    done(&l);
}

Test(registry_load, a_duplicate_column_and_a_short_row_are_errors)
{
    loaded l = load_after_fixture(QALA_REGISTRY_UNITS,
                                  "code,kind,code\n"
                                  "N-1,city,N-1\n",
                                  0);
    cr_expect_eq(l.st, QALA_EDATA);
    expect_finding(l.f, 1, 3, "duplicate-column", "\"code\" appears twice");
    done(&l);
    l = load_after_fixture(QALA_REGISTRY_UNITS,
                           "code,kind,source\n"
                           "N-1,city\n",
                           0);
    cr_expect_eq(l.st, QALA_EDATA);
    expect_finding(l.f, 2, 0, "field-count", "row has 2 fields, the header has 3");
    done(&l);
}

Test(registry_load, an_empty_table_lacks_its_header)
{
    loaded l = load_after_fixture(QALA_REGISTRY_PARENTS, "", 0);
    cr_expect_eq(l.st, QALA_EDATA);
    expect_finding(l.f, 1, 0, "missing-header", "header row is required");
    done(&l);
}

Test(registry_load, bad_language_status_and_names)
{
    loaded l = load_after_fixture(QALA_REGISTRY_NAMES,
                                  "unit_code,lang,name,valid_from,valid_to,status\n"
                                  "T-KRG,de,Karaganda,,,official\n"
                                  "T-KRG,kk-latn,Qarağandy,,,official\n"
                                  "T-KRG,ru,Караганда,,,main\n"
                                  "T-KRG,ru,,,,official\n"
                                  "T-KRG,ru,\"--\",,,alias\n",
                                  0);
    cr_expect_eq(l.st, QALA_EDATA);
    expect_finding(l.f, 2, 2, "bad-language", "unknown language \"de\"");
    expect_finding(l.f, 3, 2, "bad-language", "generated");
    expect_finding(l.f, 4, 6, "bad-status", "\"main\" is not official or alias");
    expect_finding(l.f, 5, 3, "empty-value", "name is empty");
    expect_finding(l.f, 6, 3, "bad-name", "no letters or digits");
    cr_expect_eq(qala_registry_name_count(l.reg), 0);
    done(&l);
}

Test(registry_load, unknown_group_in_memberships)
{
    loaded l = load_after_fixture(QALA_REGISTRY_MEMBERSHIPS,
                                  "group_code,unit_code,valid_from,valid_to,source\n"
                                  "smart,T-KRG,,,x\n",
                                  0);
    cr_expect_eq(l.st, QALA_EDATA);
    expect_finding(l.f, 2, 1, "unknown-group", "unknown group code \"smart\"");
    cr_expect_eq(qala_registry_membership_count(l.reg), 0);
    done(&l);
}

Test(registry_load, broken_csv_syntax_is_a_finding_with_its_place)
{
    loaded l = load_after_fixture(QALA_REGISTRY_UNITS,
                                  "code,kind\n"
                                  "N-1,\"city\n",
                                  0);
    cr_expect_eq(l.st, QALA_EDATA);
    cr_expect_geq(qala_findings_errors(l.f), 1);
    cr_expect_eq(qala_registry_unit_count(l.reg), 9);
    done(&l);
}

Test(registry_load, a_null_findings_list_still_counts_errors)
{
    qala_registry *reg;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    const char *bad = "code,kind\nN-1,village\n";
    cr_expect_eq(qala_registry_load_csv(reg, QALA_REGISTRY_UNITS, bad, strlen(bad), "x", NULL),
                 QALA_EDATA);
    cr_expect_eq(qala_registry_unit_count(reg), 0);
    qala_registry_free(reg);
}

Test(registry_load, semicolons_crlf_and_a_bom_are_read)
{
    qala_registry *reg;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    const char *text = "\xef\xbb\xbf" "code;kind;lat\r\nN-1;city;43.25\r\n";
    cr_expect_eq(qala_registry_load_csv(reg, QALA_REGISTRY_UNITS, text, strlen(text), "x", NULL),
                 QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_registry_unit_count(reg), 1);
    cr_expect_float_eq(qala_registry_unit(reg, 0)->lat, 43.25, 1e-12);
    qala_registry_free(reg);
}
