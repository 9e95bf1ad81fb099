/* Unit tests of the registry: building through the API, reading, names and parents at a
 * date, the 2022 split of the fixture's Northland, groups. */
#include "fixture.h"

#include <math.h>

#define D(y, m, d) ((qala_date)((y) * 10000 + (m) * 100 + (d)))

Test(registry_enums, languages_and_kinds_round_trip)
{
    qala_lang l;
    cr_expect_eq(qala_lang_parse(&l, "KK-Latn"), QALA_OK);
    cr_expect_eq(l, QALA_LANG_KK_LATN);
    cr_expect_str_eq(qala_lang_code(QALA_LANG_RU), "ru");
    cr_expect_eq(qala_lang_parse(&l, "de"), QALA_EINVAL);
    qala_unit_kind k;
    cr_expect_eq(qala_unit_kind_parse(&k, "City"), QALA_OK);
    cr_expect_eq(k, QALA_UNIT_CITY);
    cr_expect_str_eq(qala_unit_kind_code(QALA_UNIT_REGION), "region");
    cr_expect_eq(qala_unit_kind_parse(&k, "village"), QALA_EINVAL);
}

Test(registry_build, add_unit_copies_strings_and_rejects_duplicates)
{
    qala_registry *reg;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    char code[] = "X-ONE";
    qala_unit u = {code, QALA_UNIT_CITY, "123", 1.5, 2.5, QALA_DATE_MIN, QALA_DATE_MAX, "src"};
    size_t i = 99;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &i), QALA_OK);
    cr_expect_eq(i, 0);
    code[0] = 'Y';
    cr_expect_str_eq(qala_registry_unit(reg, 0)->code, "X-ONE");
    cr_expect_eq(qala_registry_unit(reg, 0)->lat, 1.5);
    u.code = "x-one"; /* codes are case-insensitive */
    cr_expect_eq(qala_registry_add_unit(reg, &u, NULL), QALA_EEXISTS);
    u.code = "";
    cr_expect_eq(qala_registry_add_unit(reg, &u, NULL), QALA_EINVAL);
    u.code = "X-TWO";
    u.valid_from = D(2020, 1, 1);
    u.valid_to = D(2020, 1, 1);
    cr_expect_eq(qala_registry_add_unit(reg, &u, NULL), QALA_EINVAL);
    u.kato = NULL;
    u.source = NULL;
    u.valid_to = QALA_DATE_MAX;
    cr_assert_eq(qala_registry_add_unit(reg, &u, NULL), QALA_OK);
    cr_expect_str_eq(qala_registry_unit(reg, 1)->kato, "");
    cr_expect_eq(qala_registry_unit_count(reg), 2);
    cr_expect_null(qala_registry_unit(reg, 2));
    qala_registry_free(reg);
}

Test(registry_build, a_kazakh_name_brings_its_latin_form_with_the_same_period_and_flag)
{
    qala_registry *reg;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    qala_unit u = {"T-KRG", QALA_UNIT_CITY, "", NAN, NAN, QALA_DATE_MIN, QALA_DATE_MAX, ""};
    cr_assert_eq(qala_registry_add_unit(reg, &u, NULL), QALA_OK);
    qala_unit_name n = {0, QALA_LANG_KK, "Қарағанды", D(1934, 2, 10), QALA_DATE_MAX, 1};
    cr_assert_eq(qala_registry_add_name(reg, &n), QALA_OK);
    cr_assert_eq(qala_registry_name_count(reg), 2);
    const qala_unit_name *latin = qala_registry_name(reg, 1);
    cr_expect_eq(latin->lang, QALA_LANG_KK_LATN);
    cr_expect_str_eq(latin->name, "Qarağandy");
    cr_expect_eq(latin->valid_from, D(1934, 2, 10));
    cr_expect_eq(latin->valid_to, QALA_DATE_MAX);
    cr_expect_eq(latin->official, 1);
    /* Russian names come alone; aliases keep official = 0 in both forms. */
    n = (qala_unit_name){0, QALA_LANG_RU, "Караганда", QALA_DATE_MIN, QALA_DATE_MAX, 1};
    cr_assert_eq(qala_registry_add_name(reg, &n), QALA_OK);
    cr_expect_eq(qala_registry_name_count(reg), 3);
    n = (qala_unit_name){0, QALA_LANG_KK, "Қарағанды қаласы", QALA_DATE_MIN, QALA_DATE_MAX, 0};
    cr_assert_eq(qala_registry_add_name(reg, &n), QALA_OK);
    cr_expect_eq(qala_registry_name(reg, 4)->official, 0);
    cr_expect_str_eq(qala_registry_name(reg, 4)->name, "Qarağandy qalasy");
    qala_registry_free(reg);
}

Test(registry_build, bad_names_and_links_are_rejected)
{
    qala_registry *reg;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    qala_unit u = {"A", QALA_UNIT_REGION, "", NAN, NAN, QALA_DATE_MIN, QALA_DATE_MAX, ""};
    cr_assert_eq(qala_registry_add_unit(reg, &u, NULL), QALA_OK);
    qala_unit_name n = {5, QALA_LANG_RU, "Имя", QALA_DATE_MIN, QALA_DATE_MAX, 1};
    cr_expect_eq(qala_registry_add_name(reg, &n), QALA_EINVAL); /* no unit 5 */
    n.unit = 0;
    n.name = "---";
    cr_expect_eq(qala_registry_add_name(reg, &n), QALA_EINVAL); /* nothing to match on */
    n.name = "bad\xff";
    cr_expect_eq(qala_registry_add_name(reg, &n), QALA_EINVAL);
    n.name = "Имя";
    n.valid_from = D(2020, 1, 1);
    n.valid_to = D(2019, 1, 1);
    cr_expect_eq(qala_registry_add_name(reg, &n), QALA_EINVAL);
    cr_expect_eq(qala_registry_name_count(reg), 0);
    qala_unit_parent p = {0, 0, QALA_DATE_MIN, QALA_DATE_MAX, ""};
    cr_expect_eq(qala_registry_add_parent(reg, &p), QALA_EINVAL); /* own parent */
    p.parent = 3;
    cr_expect_eq(qala_registry_add_parent(reg, &p), QALA_EINVAL);
    qala_membership m = {0, 0, QALA_DATE_MIN, QALA_DATE_MAX, ""};
    cr_expect_eq(qala_registry_add_membership(reg, &m), QALA_EINVAL); /* no group 0 */
    qala_group g = {"", {"", "", ""}, ""};
    cr_expect_eq(qala_registry_add_group(reg, &g, NULL), QALA_EINVAL);
    g.code = "G";
    cr_expect_eq(qala_registry_add_group(reg, &g, NULL), QALA_OK);
    cr_expect_eq(qala_registry_add_group(reg, &g, NULL), QALA_EEXISTS);
    qala_registry_free(reg);
}

Test(registry_read, the_fixture_loads_with_codes_found_in_any_case)
{
    qala_registry *reg = fixture_new();
    cr_expect_eq(qala_registry_unit_count(reg), 9);
    /* 35 names in the file, 11 of them Kazakh, each with its Latin form. */
    cr_expect_eq(qala_registry_name_count(reg), 35 + 11);
    cr_expect_eq(qala_registry_parent_count(reg), 9);
    size_t i;
    cr_expect_eq(qala_registry_find(reg, "t-krg", &i), QALA_OK);
    cr_expect_str_eq(qala_registry_unit(reg, i)->code, "T-KRG");
    cr_expect_eq(qala_registry_unit(reg, i)->kind, QALA_UNIT_CITY);
    cr_expect_float_eq(qala_registry_unit(reg, i)->lat, 49.8, 1e-12);
    cr_expect(isnan(qala_registry_unit(reg, unit_of(reg, "T"))->lat));
    cr_expect_eq(qala_registry_find(reg, "T-NONE", &i), QALA_ENOTFOUND);
    qala_registry_free(reg);
}

Test(registry_read, astana_names_follow_the_renamings)
{
    qala_registry *reg = fixture_new();
    size_t ast = unit_of(reg, "T-AST");
    cr_expect_str_eq(qala_registry_name_at(reg, ast, QALA_LANG_RU, D(2010, 1, 1)), "Астана");
    cr_expect_str_eq(qala_registry_name_at(reg, ast, QALA_LANG_RU, D(2019, 3, 22)), "Астана");
    cr_expect_str_eq(qala_registry_name_at(reg, ast, QALA_LANG_RU, D(2019, 3, 23)), "Нур-Султан");
    cr_expect_str_eq(qala_registry_name_at(reg, ast, QALA_LANG_EN, D(2022, 9, 16)), "Nur-Sultan");
    cr_expect_str_eq(qala_registry_name_at(reg, ast, QALA_LANG_EN, D(2022, 9, 17)), "Astana");
    cr_expect_str_eq(qala_registry_name_at(reg, ast, QALA_LANG_KK_LATN, D(2020, 1, 1)),
                     "Nūr-Sūltan");
    qala_registry_free(reg);
}

Test(registry_read, name_at_falls_back_to_latest_then_english_then_code)
{
    qala_registry *reg = fixture_new();
    size_t sth = unit_of(reg, "T-STH");
    /* Before it existed: the latest official name in that language. */
    cr_expect_str_eq(qala_registry_name_at(reg, sth, QALA_LANG_RU, D(2000, 1, 1)), "Южный край");
    qala_unit u = {"T-BARE", QALA_UNIT_CITY, "", NAN, NAN, QALA_DATE_MIN, QALA_DATE_MAX, ""};
    size_t bare;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &bare), QALA_OK);
    cr_expect_str_eq(qala_registry_name_at(reg, bare, QALA_LANG_KK, D(2020, 1, 1)), "T-BARE");
    qala_unit_name n = {bare, QALA_LANG_EN, "Bareville", QALA_DATE_MIN, QALA_DATE_MAX, 1};
    cr_assert_eq(qala_registry_add_name(reg, &n), QALA_OK);
    cr_expect_str_eq(qala_registry_name_at(reg, bare, QALA_LANG_KK, D(2020, 1, 1)), "Bareville");
    qala_registry_free(reg);
}

Test(registry_read, the_2022_split_moves_testville_to_the_new_region)
{
    qala_registry *reg = fixture_new();
    size_t vil = unit_of(reg, "T-VIL"), nth = unit_of(reg, "T-NTH"), sth = unit_of(reg, "T-STH");
    size_t r = (size_t)-1;
    cr_assert_eq(qala_registry_region_at(reg, vil, D(2021, 12, 31), &r), QALA_OK);
    cr_expect_eq(r, nth);
    cr_assert_eq(qala_registry_region_at(reg, vil, D(2022, 6, 8), &r), QALA_OK);
    cr_expect_eq(r, sth);
    size_t p;
    cr_assert_eq(qala_registry_parent_at(reg, vil, D(2022, 6, 7), &p), QALA_OK);
    cr_expect_eq(p, nth);
    cr_expect(qala_registry_alive_at(reg, sth, D(2022, 6, 8)));
    cr_expect_not(qala_registry_alive_at(reg, sth, D(2022, 6, 7)));
    /* The new region had no parent before it existed. */
    cr_expect_eq(qala_registry_region_at(reg, sth, D(2020, 1, 1), &r), QALA_ENOTFOUND);
    qala_registry_free(reg);
}

Test(registry_read, region_at_walks_up_to_the_child_of_the_country)
{
    qala_registry *reg = fixture_new();
    size_t r;
    cr_assert_eq(qala_registry_region_at(reg, unit_of(reg, "T-KRG"), D(2020, 1, 1), &r), QALA_OK);
    cr_expect_eq(r, unit_of(reg, "T-KAR"));
    cr_assert_eq(qala_registry_region_at(reg, unit_of(reg, "T-KAR"), D(2020, 1, 1), &r), QALA_OK);
    cr_expect_eq(r, unit_of(reg, "T-KAR"));
    /* A city of republican significance is its own first-level unit. */
    cr_assert_eq(qala_registry_region_at(reg, unit_of(reg, "T-AST"), D(2020, 1, 1), &r), QALA_OK);
    cr_expect_eq(r, unit_of(reg, "T-AST"));
    cr_expect_eq(qala_registry_region_at(reg, unit_of(reg, "T"), D(2020, 1, 1), &r),
                 QALA_ENOTFOUND);
    size_t p;
    cr_expect_eq(qala_registry_parent_at(reg, unit_of(reg, "T"), D(2020, 1, 1), &p),
                 QALA_ENOTFOUND);
    qala_registry_free(reg);
}

Test(registry_read, region_at_survives_a_parent_cycle)
{
    qala_registry *reg;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    qala_unit u = {"A", QALA_UNIT_CITY, "", NAN, NAN, QALA_DATE_MIN, QALA_DATE_MAX, ""};
    cr_assert_eq(qala_registry_add_unit(reg, &u, NULL), QALA_OK);
    u.code = "B";
    cr_assert_eq(qala_registry_add_unit(reg, &u, NULL), QALA_OK);
    qala_unit_parent p = {0, 1, QALA_DATE_MIN, QALA_DATE_MAX, ""};
    cr_assert_eq(qala_registry_add_parent(reg, &p), QALA_OK);
    p = (qala_unit_parent){1, 0, QALA_DATE_MIN, QALA_DATE_MAX, ""};
    cr_assert_eq(qala_registry_add_parent(reg, &p), QALA_OK);
    size_t r;
    cr_expect_eq(qala_registry_region_at(reg, 0, D(2020, 1, 1), &r), QALA_ENOTFOUND);
    qala_registry_free(reg);
}

Test(registry_read, groups_and_memberships_by_date)
{
    qala_registry *reg = fixture_new();
    size_t g;
    cr_assert_eq(qala_registry_find_group(reg, "MONO", &g), QALA_OK);
    cr_expect_str_eq(qala_registry_group(reg, g)->name[QALA_LANG_RU], "Моногорода");
    cr_expect_eq(qala_registry_group_count(reg), 1);
    cr_expect_eq(qala_registry_membership_count(reg), 1);
    size_t vil = unit_of(reg, "T-VIL");
    cr_expect(qala_registry_in_group_at(reg, g, vil, D(2015, 1, 1)));
    cr_expect_not(qala_registry_in_group_at(reg, g, vil, D(2014, 12, 31)));
    cr_expect_not(qala_registry_in_group_at(reg, g, unit_of(reg, "T-KRG"), D(2020, 1, 1)));
    cr_expect_eq(qala_registry_find_group(reg, "smart", &g), QALA_ENOTFOUND);
    qala_registry_free(reg);
}
