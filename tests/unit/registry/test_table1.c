/* The source document's Table 1 (monocities by region, as of 2021) must come out of the
 * embedded registry exactly, and the same query today must show the 2022 moves.
 * Reference: ../shared/seed/SEED-EN.md, Fragment 2, Table 1 and Figure 1. */
#include <criterion/criterion.h>
#include <string.h>

#include "qala/qala.h"

static qala_registry *reg;

static void load(void)
{
    qala_findings *f;
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, f), QALA_OK);
    qala_findings_free(f);
}

static void unload(void)
{
    qala_registry_free(reg);
}

/* Number of members of group at date whose first-level unit is region_code. */
static size_t members_in(const char *group, const char *region_code, qala_date at)
{
    size_t g, r, n = 0;
    cr_assert_eq(qala_registry_find_group(reg, group, &g), QALA_OK);
    cr_assert_eq(qala_registry_find(reg, region_code, &r), QALA_OK, "%s", region_code);
    for (size_t u = 0; u < qala_registry_unit_count(reg); u++) {
        size_t in;
        if (qala_registry_in_group_at(reg, g, u, at) && qala_registry_region_at(reg, u, at, &in) == QALA_OK &&
            in == r)
            n++;
    }
    return n;
}

static size_t group_size(const char *group, qala_date at)
{
    size_t g, n = 0;
    cr_assert_eq(qala_registry_find_group(reg, group, &g), QALA_OK);
    for (size_t u = 0; u < qala_registry_unit_count(reg); u++)
        n += qala_registry_in_group_at(reg, g, u, at) != 0;
    return n;
}

TestSuite(table1, .init = load, .fini = unload);

Test(table1, monocities_by_region_in_2021_are_those_of_the_source_document)
{
    const qala_date at = 20210101;
    struct { const char *region; size_t count; } table1[] = {
        {"KZ-AKM", 1}, {"KZ-AKT", 1}, {"KZ-ALM", 1}, {"KZ-ATY", 1}, {"KZ-ZAP", 1},
        {"KZ-ZHA", 2}, {"KZ-KAR", 8}, {"KZ-KUS", 4}, {"KZ-MAN", 1}, {"KZ-PAV", 2},
        {"KZ-VOS", 4}, {"KZ-TUR", 1},
        /* "Kyzylorda and North Kazakhstan regions have none" */
        {"KZ-KZY", 0}, {"KZ-SEV", 0},
    };
    size_t total = 0;
    for (size_t i = 0; i < sizeof table1 / sizeof table1[0]; i++) {
        size_t n = members_in("monocity", table1[i].region, at);
        cr_expect_eq(n, table1[i].count, "%s: %zu monocities, the table says %zu", table1[i].region, n,
                     table1[i].count);
        total += n;
    }
    cr_expect_eq(total, 27);
    cr_expect_eq(group_size("monocity", at), 27);
}

Test(table1, today_the_2022_regions_hold_their_monocities)
{
    const qala_date at = 20260101;
    cr_expect_eq(members_in("monocity", "KZ-ULT", at), 3); /* Zhezkazgan, Satpayev, Karazhal */
    cr_expect_eq(members_in("monocity", "KZ-KAR", at), 5);
    cr_expect_eq(members_in("monocity", "KZ-ABA", at), 1); /* Kurchatov */
    cr_expect_eq(members_in("monocity", "KZ-VOS", at), 3);
    cr_expect_eq(members_in("monocity", "KZ-ZHT", at), 1); /* Tekeli */
    cr_expect_eq(members_in("monocity", "KZ-ALM", at), 0);
}

Test(table1, figure1_groups_have_27_4_and_17_cities_44_distinct)
{
    const qala_date at = 20260101;
    cr_expect_eq(group_size("monocity", at), 27);
    cr_expect_eq(group_size("agglomeration", at), 4);
    cr_expect_eq(group_size("smart_city", at), 17);
    size_t distinct = 0;
    for (size_t u = 0; u < qala_registry_unit_count(reg); u++) {
        int in_any = 0;
        for (size_t g = 0; g < qala_registry_group_count(reg); g++)
            in_any |= qala_registry_in_group_at(reg, g, u, at);
        distinct += in_any != 0;
    }
    cr_expect_eq(distinct, 44);
}

Test(table1, first_level_units_number_17_before_2022_and_20_after)
{
    size_t before = 0, after = 0, kz;
    cr_assert_eq(qala_registry_find(reg, "KZ", &kz), QALA_OK);
    for (size_t u = 0; u < qala_registry_unit_count(reg); u++) {
        size_t p;
        if (qala_registry_parent_at(reg, u, 20210101, &p) == QALA_OK && p == kz)
            before++;
        if (qala_registry_parent_at(reg, u, 20260101, &p) == QALA_OK && p == kz)
            after++;
    }
    /* 2021: 14 oblystar + Astana, Almaty, Shymkent ("17 regions and 3 big cities" in the
     * text counts differently); 2026: 17 oblystar + 3 cities. */
    cr_expect_eq(before, 17);
    cr_expect_eq(after, 20);
}
