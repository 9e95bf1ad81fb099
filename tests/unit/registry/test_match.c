/* Unit tests of qala_registry_match: codes, names in every language and script,
 * aliases of other periods, kinds, ambiguity and "did you mean". */
#include "fixture.h"

#include <stdio.h>

static qala_status match(const qala_registry *reg, const char *name, unsigned kinds,
                         qala_match *m)
{
    return qala_registry_match(reg, name, strlen(name), kinds, m);
}

static void expect_unit(const qala_registry *reg, const char *name, const char *code)
{
    qala_match m;
    qala_status st = match(reg, name, 0, &m);
    cr_expect_eq(st, QALA_OK, "\"%s\": %s", name, qala_error_last()->message);
    if (st == QALA_OK) {
        cr_expect_eq(m.count, 1);
        cr_expect_str_eq(qala_registry_unit(reg, m.units[0])->code, code, "\"%s\"", name);
    }
}

Test(registry_match, karaganda_in_every_script_and_case_is_one_unit)
{
    qala_registry *reg = fixture_new();
    expect_unit(reg, "ҚАРАҒАНДЫ", "T-KRG");
    expect_unit(reg, "Караганда", "T-KRG");
    expect_unit(reg, "Karaganda", "T-KRG");
    expect_unit(reg, "Qarağandy", "T-KRG"); /* generated Kazakh Latin */
    expect_unit(reg, "qaragandy", "T-KRG"); /* ... typed without diacritics */
    expect_unit(reg, "  караганда ", "T-KRG");
    expect_unit(reg, "КАРАГАНДИНСКАЯ ОБЛАСТЬ", "T-KAR");
    expect_unit(reg, "Qarağandy oblysy", "T-KAR");
    qala_registry_free(reg);
}

Test(registry_match, codes_match_first_in_any_case)
{
    qala_registry *reg = fixture_new();
    expect_unit(reg, "T-KRG", "T-KRG");
    expect_unit(reg, "t-krg", "T-KRG");
    expect_unit(reg, " t-ast ", "T-AST");
    qala_registry_free(reg);
}

Test(registry_match, old_names_and_aliases_of_any_period_match)
{
    qala_registry *reg = fixture_new();
    expect_unit(reg, "Нур-Султан", "T-AST");
    expect_unit(reg, "Nur Sultan", "T-AST");
    expect_unit(reg, "NUR–SULTAN", "T-AST");
    expect_unit(reg, "Nūr-Sūltan", "T-AST");
    expect_unit(reg, "Astana", "T-AST");
    expect_unit(reg, "Акмола", "T-AST"); /* an alias until 1998 */
    qala_registry_free(reg);
}

Test(registry_match, the_kinds_mask_filters)
{
    qala_registry *reg = fixture_new();
    qala_match m;
    cr_expect_eq(match(reg, "Karaganda", 1u << QALA_UNIT_CITY, &m), QALA_OK);
    cr_expect_eq(match(reg, "Karaganda", 1u << QALA_UNIT_REGION, &m), QALA_ENOTFOUND);
    cr_expect_eq(match(reg, "T-KRG", 1u << QALA_UNIT_REGION, &m), QALA_ENOTFOUND);
    cr_expect_eq(match(reg, "Karaganda Region",
                       (1u << QALA_UNIT_REGION) | (1u << QALA_UNIT_COUNTRY), &m),
                 QALA_OK);
    qala_registry_free(reg);
}

Test(registry_match, a_shared_name_is_ambiguous_and_lists_the_candidates)
{
    qala_registry *reg = fixture_new();
    qala_match m;
    cr_assert_eq(match(reg, "Central", 0, &m), QALA_EAMBIGUOUS);
    cr_assert_eq(m.count, 2);
    size_t a = unit_of(reg, "T-CEN1"), b = unit_of(reg, "T-CEN2");
    cr_expect((m.units[0] == a && m.units[1] == b) || (m.units[0] == b && m.units[1] == a));
    cr_expect(strstr(qala_error_last()->message, "T-CEN1") != NULL);
    cr_expect(strstr(qala_error_last()->message, "T-CEN2") != NULL);
    /* The official names of each stay unique. */
    expect_unit(reg, "Central Town", "T-CEN2");
    expect_unit(reg, "Центральный", "T-CEN1");
    qala_registry_free(reg);
}

Test(registry_match, a_near_miss_suggests_the_closest_units)
{
    qala_registry *reg = fixture_new();
    qala_match m;
    cr_assert_eq(match(reg, "Karagnda", 0, &m), QALA_ENOTFOUND);
    cr_assert_geq(m.count, 1);
    cr_expect_str_eq(qala_registry_unit(reg, m.units[0])->code, "T-KRG");
    cr_expect(strstr(qala_error_last()->message, "did you mean") != NULL,
              "message: %s", qala_error_last()->message);
    cr_assert_eq(match(reg, "Тестовко", 0, &m), QALA_ENOTFOUND);
    cr_assert_geq(m.count, 1);
    cr_expect_str_eq(qala_registry_unit(reg, m.units[0])->code, "T-VIL");
    qala_registry_free(reg);
}

Test(registry_match, suggestions_are_at_most_three_distinct_units_closest_first)
{
    qala_registry *reg = fixture_new();
    qala_match m;
    /* "Centrl" is 1 from "Central" (T-CEN1 and T-CEN2) */
    cr_assert_eq(match(reg, "Centrl", 0, &m), QALA_ENOTFOUND);
    cr_assert_geq(m.count, 2);
    cr_assert_leq(m.count, 3);
    for (size_t i = 0; i < m.count; i++)
        for (size_t j = i + 1; j < m.count; j++)
            cr_expect_neq(m.units[i], m.units[j]);
    const char *c0 = qala_registry_unit(reg, m.units[0])->code;
    cr_expect(strcmp(c0, "T-CEN1") == 0 || strcmp(c0, "T-CEN2") == 0);
    qala_registry_free(reg);
}

Test(registry_match, nothing_close_gives_no_suggestion)
{
    qala_registry *reg = fixture_new();
    qala_match m;
    cr_expect_eq(match(reg, "Zzyzx Qwerty", 0, &m), QALA_ENOTFOUND);
    cr_expect_eq(m.count, 0);
    cr_expect_eq(match(reg, "", 0, &m), QALA_ENOTFOUND);
    cr_expect_eq(m.count, 0);
    cr_expect_eq(match(reg, " -- ", 0, &m), QALA_ENOTFOUND);
    qala_registry_free(reg);
}

Test(registry_match, invalid_utf8_is_rejected)
{
    qala_registry *reg = fixture_new();
    qala_match m;
    cr_expect_eq(match(reg, "Kar\xffganda", 0, &m), QALA_EINVAL);
    cr_expect_eq(m.count, 0);
    qala_registry_free(reg);
}

Test(registry_match, the_length_argument_bounds_the_name)
{
    qala_registry *reg = fixture_new();
    qala_match m;
    cr_expect_eq(qala_registry_match(reg, "Karaganda, extra", 9, 0, &m), QALA_OK);
    cr_expect_str_eq(qala_registry_unit(reg, m.units[0])->code, "T-KRG");
    qala_registry_free(reg);
}
