/* Unit tests of qala_registry_check: official names per language and day, parent
 * periods, parents and members alive. */
#include "fixture.h"

#include <math.h>

#define D(y, m, d) ((qala_date)((y) * 10000 + (m) * 100 + (d)))

static size_t add_unit(qala_registry *reg, const char *code, qala_unit_kind kind, qala_date from,
                       qala_date to)
{
    qala_unit u = {code, kind, "", NAN, NAN, from, to, ""};
    size_t i;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &i), QALA_OK);
    return i;
}

static void add_name(qala_registry *reg, size_t unit, qala_lang lang, const char *name,
                     qala_date from, qala_date to)
{
    qala_unit_name n = {unit, lang, name, from, to, 1};
    cr_assert_eq(qala_registry_add_name(reg, &n), QALA_OK);
}

static void add_all_names(qala_registry *reg, size_t unit, const char *name)
{
    add_name(reg, unit, QALA_LANG_KK, name, QALA_DATE_MIN, QALA_DATE_MAX);
    add_name(reg, unit, QALA_LANG_RU, name, QALA_DATE_MIN, QALA_DATE_MAX);
    add_name(reg, unit, QALA_LANG_EN, name, QALA_DATE_MIN, QALA_DATE_MAX);
}

static int has(const qala_findings *f, const char *rule, const char *text)
{
    for (size_t i = 0; i < qala_findings_count(f); i++) {
        const qala_finding *x = qala_findings_get(f, i);
        if (strcmp(x->rule, rule) == 0 && strstr(x->message, text))
            return 1;
    }
    for (size_t i = 0; i < qala_findings_count(f); i++)
        cr_log_error("have [%s] %s", qala_findings_get(f, i)->rule,
                     qala_findings_get(f, i)->message);
    return 0;
}

Test(registry_check, the_fixture_is_consistent)
{
    qala_registry *reg = fixture_new();
    qala_findings *f;
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_expect_eq(qala_registry_check(reg, f), QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_findings_count(f), 0);
    qala_findings_free(f);
    qala_registry_free(reg);
}

Test(registry_check, gaps_and_overlaps_of_official_names_name_unit_language_and_dates)
{
    qala_registry *reg;
    qala_findings *f;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    size_t u = add_unit(reg, "X-GAP", QALA_UNIT_CITY, QALA_DATE_MIN, QALA_DATE_MAX);
    add_name(reg, u, QALA_LANG_KK, "Бір", QALA_DATE_MIN, D(2000, 1, 1));
    add_name(reg, u, QALA_LANG_KK, "Екі", D(2001, 1, 1), QALA_DATE_MAX);
    add_name(reg, u, QALA_LANG_RU, "Один", QALA_DATE_MIN, D(2010, 1, 1));
    add_name(reg, u, QALA_LANG_RU, "Два", D(2005, 1, 1), QALA_DATE_MAX);
    /* no English name at all */
    cr_expect_eq(qala_registry_check(reg, f), QALA_EDATA);
    cr_expect(has(f, "name-gap", "unit X-GAP has no official kk name from 2000-01-01 to 2001-01-01"));
    cr_expect(has(f, "name-overlap",
                  "unit X-GAP has more than one official ru name from 2005-01-01 to 2010-01-01"));
    cr_expect(has(f, "name-gap", "unit X-GAP has no official en name from the beginning to the open end"));
    cr_expect_eq(qala_findings_errors(f), 3);
    qala_findings_free(f);
    qala_registry_free(reg);
}

Test(registry_check, names_are_checked_only_over_the_unit_life)
{
    qala_registry *reg;
    qala_findings *f;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    size_t u = add_unit(reg, "X-NEW", QALA_UNIT_REGION, D(2022, 6, 8), QALA_DATE_MAX);
    add_all_names(reg, u, "Жаңа");
    add_name(reg, u, QALA_LANG_EN, "Oldname", D(1990, 1, 1), D(2000, 1, 1)); /* outside */
    cr_expect_eq(qala_registry_check(reg, f), QALA_OK);
    cr_expect_eq(qala_findings_errors(f), 0);
    cr_expect_eq(qala_findings_warnings(f), 1);
    cr_expect(has(f, "name-outside-life", "\"Oldname\""));
    qala_findings_free(f);
    qala_registry_free(reg);
}

Test(registry_check, overlapping_parents_and_dead_parents_and_members)
{
    qala_registry *reg;
    qala_findings *f;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    size_t a = add_unit(reg, "X-A", QALA_UNIT_REGION, QALA_DATE_MIN, QALA_DATE_MAX);
    size_t b = add_unit(reg, "X-B", QALA_UNIT_REGION, D(2022, 6, 8), QALA_DATE_MAX);
    size_t c = add_unit(reg, "X-C", QALA_UNIT_CITY, QALA_DATE_MIN, D(2020, 1, 1));
    add_all_names(reg, a, "Альфа");
    add_all_names(reg, b, "Бета");
    add_all_names(reg, c, "Гамма");
    qala_unit_parent p = {c, a, QALA_DATE_MIN, D(2015, 1, 1), ""};
    cr_assert_eq(qala_registry_add_parent(reg, &p), QALA_OK);
    p = (qala_unit_parent){c, b, D(2010, 1, 1), QALA_DATE_MAX, ""}; /* overlaps; b not alive */
    cr_assert_eq(qala_registry_add_parent(reg, &p), QALA_OK);
    qala_group g = {"G", {"", "", "Group"}, ""};
    size_t gi;
    cr_assert_eq(qala_registry_add_group(reg, &g, &gi), QALA_OK);
    qala_membership m = {gi, c, D(2018, 1, 1), QALA_DATE_MAX, ""}; /* c ends in 2020 */
    cr_assert_eq(qala_registry_add_membership(reg, &m), QALA_OK);
    cr_expect_eq(qala_registry_check(reg, f), QALA_EDATA);
    cr_expect(has(f, "parent-overlap", "unit X-C has two parents (X-A and X-B) from 2010-01-01 to 2015-01-01"));
    cr_expect(has(f, "parent-not-alive", "unit X-C: parent X-B does not exist during the whole period 2010-01-01 to 2020-01-01"));
    cr_expect(has(f, "member-not-alive", "unit X-C is a member of group G"));
    cr_expect_eq(qala_findings_errors(f), 3);
    qala_findings_free(f);
    qala_registry_free(reg);
}

Test(registry_check, kazakh_latin_names_are_not_counted_as_kazakh)
{
    /* One kk name brings one kk-latn name: neither an overlap nor a gap. */
    qala_registry *reg;
    qala_findings *f;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    size_t u = add_unit(reg, "X-K", QALA_UNIT_CITY, QALA_DATE_MIN, QALA_DATE_MAX);
    add_all_names(reg, u, "Қала");
    cr_expect_eq(qala_registry_check(reg, f), QALA_OK);
    cr_expect_eq(qala_findings_count(f), 0);
    qala_findings_free(f);
    qala_registry_free(reg);
}
