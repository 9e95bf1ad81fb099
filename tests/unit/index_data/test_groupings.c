/* Groupings from the registry: "region" (the first-level unit at the date), "type" (the
 * first registry group of the unit) and one per registry group (member or not), on the
 * fictional registry of fixture.h and on the embedded Kazakhstan registry (Table 1 of the
 * source document: monocities by region; Figure 1: the groups). */
#include "fixture.h"

static fx f;

static void setup(void)
{
    fx_init(&f);
    const char *units[] = {"TL", "NR", "SR", "TV", "SP", "FB", "CP", "X1"};
    for (int i = 0; i < 8; i++)
        fx_obs(&f, units[i], "INC", Y(2022), i);
}

static void teardown(void)
{
    fx_free(&f);
}

TestSuite(index_data_groupings, .init = setup, .fini = teardown);

Test(index_data_groupings, the_groupings_are_region_type_then_each_registry_group)
{
    f.opt.from = f.opt.to = Y(2022);
    const qala_index_input *in = fx_build(&f, 1);
    cr_assert_eq(in->ngroupings, 5);
    const char *names[] = {"region", "type", "mono", "agglo", "smart"};
    for (int g = 0; g < 5; g++)
        cr_expect_str_eq(in->groupings[g].name, names[g]);
    const qala_index_grouping *region = &in->groupings[0];
    cr_assert_eq(region->ngroups, 2);
    cr_expect_str_eq(region->group_codes[0], "NR");
    cr_expect_str_eq(region->group_codes[1], "SR");
    const qala_index_grouping *type = &in->groupings[1];
    cr_assert_eq(type->ngroups, 3, "every registry group, members or not");
    cr_expect_str_eq(type->group_codes[2], "smart");
    cr_assert_eq(in->groupings[2].ngroups, 2);
    cr_expect_str_eq(in->groupings[2].group_codes[0], "no");
    cr_expect_str_eq(in->groupings[2].group_codes[1], "yes");
    size_t tv = fx_find(in->unit_codes, in->nunits, "TV"), x1 = fx_find(in->unit_codes, in->nunits, "X1");
    cr_expect_neq(qala_index_data_registry_unit(f.data, tv), SIZE_MAX);
    cr_expect_eq(qala_index_data_registry_unit(f.data, x1), SIZE_MAX);
}

Test(index_data_groupings, region_is_the_first_level_unit_at_the_end_of_the_period)
{
    f.opt.from = f.opt.to = Y(2022);
    const qala_index_input *in = fx_build(&f, 1);
    cr_expect_str_eq(fx_group_of(in, "region", "TV"), "NR");
    cr_expect_str_eq(fx_group_of(in, "region", "SP"), "SR"); /* moved on 2021-06-01 */
    cr_expect_str_eq(fx_group_of(in, "region", "FB"), "SR");
    cr_expect_str_eq(fx_group_of(in, "region", "CP"), "-", "a first-level city");
    cr_expect_str_eq(fx_group_of(in, "region", "NR"), "-", "a region itself");
    cr_expect_str_eq(fx_group_of(in, "region", "TL"), "-", "the country");
    cr_expect_str_eq(fx_group_of(in, "region", "X1"), "-", "not in the registry");
    f.opt.at = 20210101; /* before the move */
    in = fx_build(&f, 1);
    cr_expect_str_eq(fx_group_of(in, "region", "SP"), "NR");
}

Test(index_data_groupings, the_end_of_an_earlier_period_sees_the_earlier_layout)
{
    fx_obs(&f, "SP", "INC", Y(2020), 1);
    fx_obs(&f, "FB", "INC", Y(2020), 1);
    f.opt.from = f.opt.to = Y(2020); /* at 2020-12-31 */
    const qala_index_input *in = fx_build(&f, 1);
    cr_expect_str_eq(fx_group_of(in, "region", "SP"), "NR");
    cr_expect_str_eq(fx_group_of(in, "type", "FB"), "smart"); /* since 2020-01-01 */
    f.opt.from = Y(2019);
    f.opt.to = Y(2019);
    fx_obs(&f, "FB", "INC", Y(2019), 1);
    in = fx_build(&f, 1);
    cr_expect_str_eq(fx_group_of(in, "type", "FB"), "-");
    cr_expect_str_eq(fx_group_of(in, "smart", "FB"), "no");
}

Test(index_data_groupings, type_is_the_first_group_in_registry_order)
{
    f.opt.from = f.opt.to = Y(2022);
    const qala_index_input *in = fx_build(&f, 1);
    cr_expect_str_eq(fx_group_of(in, "type", "TV"), "mono");
    cr_expect_str_eq(fx_group_of(in, "type", "SP"), "mono", "mono comes before smart");
    cr_expect_str_eq(fx_group_of(in, "type", "FB"), "smart");
    cr_expect_str_eq(fx_group_of(in, "type", "CP"), "-");
    cr_expect_str_eq(fx_group_of(in, "type", "NR"), "-");
    cr_expect_str_eq(fx_group_of(in, "smart", "SP"), "yes", "in both");
    cr_expect_str_eq(fx_group_of(in, "mono", "SP"), "yes");
    cr_expect_str_eq(fx_group_of(in, "mono", "FB"), "no");
    cr_expect_str_eq(fx_group_of(in, "agglo", "TV"), "no");
    cr_expect_str_eq(fx_group_of(in, "mono", "X1"), "-", "not in the registry");
}

Test(index_data_groupings, a_registry_group_named_like_a_builtin_grouping_is_skipped)
{
    fx_group(f.reg, "region");
    f.opt.from = f.opt.to = Y(2022);
    const qala_index_input *in = fx_build(&f, 1);
    cr_expect_eq(in->ngroupings, 5);
    cr_expect_eq(in->groupings[1].ngroups, 4, "type still lists it");
    cr_expect_str_eq(in->groupings[0].name, "region");
    cr_expect_eq(in->groupings[0].ngroups, 2, "the built-in region grouping");
}

/* The embedded registry: Table 1 lists the monocities by region (pre-2022 layout); the
 * 2022 reform moved Zhezkazgan to Ulytau and Kurchatov to Abai (data/registry/parents.csv).
 * Figure 1: 27 monocities, 4 agglomerations, 17 smart cities; Almaty is an agglomeration
 * and a smart city. */
Test(index_data_groupings, the_embedded_registry_groups_monocities_by_region)
{
    qala_registry *reg = NULL;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, NULL), QALA_OK);
    const char **cities = calloc(qala_registry_unit_count(reg), sizeof *cities);
    size_t n = 0;
    for (size_t u = 0; u < qala_registry_unit_count(reg); u++)
        if (qala_registry_unit(reg, u)->kind == QALA_UNIT_CITY)
            cities[n++] = qala_registry_unit(reg, u)->code;
    f.opt.units = cities;
    f.opt.nunits = n;
    f.opt.from = f.opt.to = Y(2022);
    qala_index_data *d = NULL;
    cr_assert_eq(qala_index_data_build(&d, f.ds, &f.tree, reg, &f.opt), QALA_OK);
    const qala_index_input *in = qala_index_data_input(d);
    cr_expect_str_eq(fx_group_of(in, "region", "KZ-TEMIRTAU"), "KZ-KAR");
    cr_expect_str_eq(fx_group_of(in, "region", "KZ-ZHEZKAZGAN"), "KZ-ULT");
    cr_expect_str_eq(fx_group_of(in, "region", "KZ-KURCHATOV"), "KZ-ABA");
    cr_expect_str_eq(fx_group_of(in, "region", "KZ-ALA"), "-");
    cr_expect_str_eq(fx_group_of(in, "type", "KZ-TEMIRTAU"), "monocity");
    cr_expect_str_eq(fx_group_of(in, "type", "KZ-ALA"), "agglomeration");
    cr_expect_str_eq(fx_group_of(in, "type", "KZ-KARAGANDA"), "smart_city");
    size_t counts[3] = {0};
    const char *groups[] = {"monocity", "agglomeration", "smart_city"};
    for (int g = 0; g < 3; g++) {
        const qala_index_grouping *x = fx_grouping(in, groups[g]);
        cr_assert_not_null(x, "%s", groups[g]);
        for (size_t u = 0; u < in->nunits; u++)
            counts[g] += x->group[u] == 1;
    }
    cr_expect_eq(counts[0], 27);
    cr_expect_eq(counts[1], 4);
    cr_expect_eq(counts[2], 17);
    qala_index_data_free(d);
    f.opt.from = f.opt.to = Y(2021); /* before the reform */
    cr_assert_eq(qala_index_data_build(&d, f.ds, &f.tree, reg, &f.opt), QALA_OK);
    in = qala_index_data_input(d);
    cr_expect_str_eq(fx_group_of(in, "region", "KZ-ZHEZKAZGAN"), "KZ-KAR");
    cr_expect_str_eq(fx_group_of(in, "region", "KZ-KURCHATOV"), "KZ-VOS");
    qala_index_data_free(d);
    free(cities);
    qala_registry_free(reg);
}
