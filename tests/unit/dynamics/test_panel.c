/* The panel (qala/panel.h) on the demo statistics and the embedded registry: which units
 * and periods, absent versus missing cells, weights, default period, groupings and their
 * nesting, and bad input. Unit facts come from data/registry/units.csv (KZ-YUZ ended
 * 2018-06-19; KZ-ABA, KZ-ZHT, KZ-ULT began 2022-06-08) and the counts of observations
 * from the files of data/demo/. */
#include "demo.h"

static demo d;

static void setup(void)
{
    demo_load(&d);
}

static void teardown(void)
{
    demo_free(&d);
}

TestSuite(panel, .init = setup, .fini = teardown);

Test(panel, first_level_units_of_2022_are_the_twenty_regions_and_republican_cities)
{
    qala_panel *p = demo_panel(&d, "wage_nominal_kzt", "population", Y(2022), Y(2022), QALA_PANEL_FIRST_LEVEL);
    cr_expect_eq(p->nunits, 20, "17 regions + Astana, Almaty, Shymkent (not South Kazakhstan, ended 2018)");
    cr_expect_eq(p->nperiods, 1);
    cr_expect_eq(p->n_observed, 20);
    cr_assert_not_null(p->weights);
    size_t ala = demo_unit(p, "KZ-ALA");
    cr_expect_eq(p->values[ala], 354860, "data/demo/wages_2022.csv: Almaty city");
    cr_expect(p->weights[ala] > 2e6, "Almaty's population 2022");
    for (size_t u = 0; u < p->nunits; u++)
        cr_expect_neq(strcmp(p->unit_codes[u], "KZ"), 0, "the country is not a first-level unit");
    qala_panel_free(p);
}

Test(panel, units_that_did_not_exist_are_absent_not_missing)
{
    qala_panel *p = demo_panel(&d, "life_expectancy_years", NULL, Y(1999), Y(2022), QALA_PANEL_FIRST_LEVEL);
    cr_expect_eq(p->nperiods, 24);
    size_t yuz = demo_unit(p, "KZ-YUZ"), aba = demo_unit(p, "KZ-ABA"), tur = demo_unit(p, "KZ-TUR");
    size_t k2018 = qala_panel_period_index(p, Y(2018)), k2019 = qala_panel_period_index(p, Y(2019));
    size_t k2021 = qala_panel_period_index(p, Y(2021)), k2022 = qala_panel_period_index(p, Y(2022));
    cr_expect_eq(p->alive[k2018 * p->nunits + yuz], 1, "South Kazakhstan existed until 2018-06-19");
    cr_expect_eq(p->alive[k2019 * p->nunits + yuz], 0);
    cr_expect_eq(p->alive[k2018 * p->nunits + tur], 1, "Turkistan region from 2018-06-19");
    cr_expect_eq(p->alive[k2021 * p->nunits + aba], 0, "Abai region from 2022-06-08");
    cr_expect_eq(p->alive[k2022 * p->nunits + aba], 1);
    cr_expect(isnan(p->values[k2019 * p->nunits + yuz]));
    cr_expect_null(p->weights, "no weight indicator asked");
    qala_panel_free(p);
}

Test(panel, without_periods_the_range_of_the_data_and_the_default_period)
{
    qala_panel *p = demo_panel(&d, "population", NULL, 0, 0, QALA_PANEL_CITIES);
    /* data/demo/city_population.csv: 1989 ... 2025; 33 cities in 2023 (36 with the three
     * republican cities of population_regions.csv), 3 in 2025 */
    cr_expect_eq(p->periods[0], Y(1989));
    cr_expect_eq(p->periods[p->nperiods - 1], Y(2025));
    cr_expect_eq(p->nperiods, 2025 - 1989 + 1, "a regular series");
    size_t k = qala_panel_default_period(p);
    cr_assert_neq(k, SIZE_MAX);
    cr_expect_eq(p->periods[k], Y(2023), "the latest period with at least half the best coverage");
    /* 2020: Altai and Kurchatov (city_population.csv), Astana, Almaty, Shymkent
     * (population_regions.csv) */
    cr_expect_eq(qala_panel_observed(p, qala_panel_period_index(p, Y(2020))), 5);
    cr_expect_eq(qala_panel_period_index(p, Y(1900)), SIZE_MAX);
    qala_panel_free(p);
}

Test(panel, an_indicator_without_observations_gives_an_empty_panel)
{
    qala_panel *p = demo_panel(&d, "poverty_share_pct", NULL, 0, 0, QALA_PANEL_FIRST_LEVEL);
    cr_expect_eq(p->nperiods, 0);
    cr_expect_eq(p->n_observed, 0);
    cr_expect_eq(qala_panel_default_period(p), SIZE_MAX);
    qala_panel_free(p);
}

Test(panel, group_and_region_filters)
{
    qala_panel_options opt = QALA_PANEL_OPTIONS_INIT;
    const char *groups[] = {"agglomeration"};
    opt.indicator = "population";
    opt.from = opt.to = Y(2023);
    opt.units = QALA_PANEL_CITIES;
    opt.groups = groups;
    opt.ngroups = 1;
    qala_panel *p = NULL;
    cr_assert_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_OK);
    cr_expect_eq(p->nunits, 4, "data/registry/memberships.csv: 4 agglomeration cities");
    qala_panel_free(p);
    opt.groups = NULL;
    opt.ngroups = 0;
    opt.region = "KZ-KAR";
    cr_assert_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_OK);
    cr_expect_gt(p->nunits, 3, "Karaganda region's cities");
    for (size_t u = 0; u < p->nunits; u++)
        cr_expect_neq(strcmp(p->unit_codes[u], "KZ-KAR"), 0, "not the region itself");
    qala_panel_free(p);
}

Test(panel, groupings_region_kind_type_and_lists)
{
    qala_panel *p = demo_panel(&d, "population", NULL, Y(2023), Y(2023), QALA_PANEL_CITIES);
    qala_panel_grouping *g = NULL;
    cr_assert_eq(qala_panel_grouping_make(&g, p, d.reg, "type"), QALA_OK);
    cr_expect_eq(g->ngroups, 4);
    cr_expect_str_eq(g->codes[0], "monocity");
    cr_expect_str_eq(g->codes[3], "other");
    cr_expect_eq(g->group[demo_unit(p, "KZ-TEMIRTAU")], 0, "Temirtau is a monocity");
    qala_panel_grouping_free(g);
    cr_assert_eq(qala_panel_grouping_make(&g, p, d.reg, "smart_city,monocity"), QALA_OK);
    cr_expect_eq(g->ngroups, 3);
    cr_expect_str_eq(g->codes[0], "smart_city");
    cr_expect_eq(g->group[demo_unit(p, "KZ-TEMIRTAU")], 1);
    qala_panel_grouping_free(g);
    cr_assert_eq(qala_panel_grouping_make(&g, p, d.reg, "region"), QALA_OK);
    size_t tem = demo_unit(p, "KZ-TEMIRTAU");
    cr_assert_neq(g->group[tem], QALA_PANEL_NO_GROUP);
    cr_expect_str_eq(g->codes[g->group[tem]], "KZ-KAR");
    qala_panel_grouping_free(g);
    cr_assert_eq(qala_panel_grouping_make(&g, p, d.reg, "kind"), QALA_OK);
    cr_expect_eq(g->group[tem], 1, "a city");
    qala_panel_grouping_free(g);
    qala_panel_free(p);
}

Test(panel, an_unknown_grouping_suggests_the_closest_name)
{
    qala_panel *p = demo_panel(&d, "population", NULL, Y(2023), Y(2023), QALA_PANEL_CITIES);
    qala_panel_grouping *g = (qala_panel_grouping *)&d;
    cr_expect_eq(qala_panel_grouping_make(&g, p, d.reg, "monocty"), QALA_ENOTFOUND);
    cr_expect_null(g);
    cr_expect(strstr(qala_error_last()->message, "did you mean 'monocity'") != NULL, "%s",
              qala_error_last()->message);
    cr_expect_eq(qala_panel_grouping_make(&g, p, d.reg, "monocity,nowhere"), QALA_ENOTFOUND);
    qala_panel_free(p);
}

Test(panel, nesting_makes_exact_pairs_inside_outer_groups)
{
    qala_panel *p = demo_panel(&d, "population", NULL, Y(2023), Y(2023), QALA_PANEL_CITIES);
    qala_panel_grouping *type = NULL, *region = NULL, *nest = NULL;
    cr_assert_eq(qala_panel_grouping_make(&type, p, d.reg, "type"), QALA_OK);
    cr_assert_eq(qala_panel_grouping_make(&region, p, d.reg, "region"), QALA_OK);
    cr_assert_eq(qala_panel_grouping_nest(&nest, type, region), QALA_OK);
    cr_expect_eq(nest->nouter, region->ngroups);
    cr_assert_not_null(nest->outer_of);
    for (size_t u = 0; u < p->nunits; u++) {
        if (nest->group[u] == QALA_PANEL_NO_GROUP)
            continue;
        cr_expect_eq(nest->outer_of[nest->group[u]], region->group[u], "the pair's outer group is the unit's");
        char want[128];
        snprintf(want, sizeof want, "%s/%s", region->codes[region->group[u]], type->codes[type->group[u]]);
        cr_expect_str_eq(nest->codes[nest->group[u]], want);
    }
    qala_panel_grouping_free(nest);
    qala_panel *other = demo_panel(&d, "population", NULL, Y(2023), Y(2023), QALA_PANEL_FIRST_LEVEL);
    qala_panel_grouping *kind = NULL;
    cr_assert_eq(qala_panel_grouping_make(&kind, other, d.reg, "kind"), QALA_OK);
    cr_expect_eq(qala_panel_grouping_nest(&nest, type, kind), QALA_EINVAL, "groupings of two panels");
    cr_expect_null(nest);
    qala_panel_grouping_free(kind);
    qala_panel_free(other);
    qala_panel_grouping_free(type);
    qala_panel_grouping_free(region);
    qala_panel_free(p);
}

Test(panel, bad_options_are_rejected_and_leave_out_null)
{
    qala_panel_options opt = QALA_PANEL_OPTIONS_INIT;
    qala_panel *p = (qala_panel *)&d;
    cr_expect_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_EINVAL, "no indicator");
    cr_expect_null(p);
    opt.indicator = "population";
    opt.from = Y(2022);
    cr_expect_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_EINVAL, "only one end of the range");
    opt.to = Y(2021);
    cr_expect_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_EINVAL, "from after to");
    opt.to = 202203; /* March 2022: another frequency */
    cr_expect_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_EINVAL, "mixed frequencies");
    opt.from = Y(1000);
    opt.to = Y(20000);
    cr_expect_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_EINVAL, "more than 10,000 periods");
    opt.from = opt.to = Y(2022);
    opt.units = (qala_panel_units)9;
    cr_expect_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_EINVAL, "units outside the enum");
    opt.units = QALA_PANEL_CITIES;
    const char *groups[] = {"nowhere"};
    opt.groups = groups;
    opt.ngroups = 1;
    cr_expect_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_ENOTFOUND, "unknown group");
    cr_expect(strstr(qala_error_last()->message, "nowhere") != NULL);
    opt.ngroups = 0;
    opt.region = "KZ-NOWHERE";
    cr_expect_eq(qala_panel_build(&p, d.ds, d.reg, &opt), QALA_ENOTFOUND, "unknown region");
    cr_expect_null(p);
    qala_panel_units u;
    cr_expect_eq(qala_panel_units_parse(&u, "city"), QALA_OK);
    cr_expect_eq(u, QALA_PANEL_CITIES);
    cr_expect_eq(qala_panel_units_parse(&u, "town"), QALA_EINVAL);
    cr_expect_str_eq(qala_panel_units_code(QALA_PANEL_FIRST_LEVEL), "first-level");
    cr_expect_str_eq(qala_panel_units_code((qala_panel_units)7), "?");
}

Test(panel, reports_reject_bad_requests)
{
    qala_panel *p = demo_panel(&d, "population", NULL, Y(2023), Y(2023), QALA_PANEL_CITIES);
    qala_ineq_report *ir = (qala_ineq_report *)&d;
    qala_ineq_report_options io = QALA_INEQ_REPORT_OPTIONS_INIT;
    cr_expect_eq(qala_ineq_report_compute(&ir, p, &io), QALA_EINVAL, "weighted without weights");
    cr_expect_null(ir);
    io.weighted = 0;
    io.period = 1;
    cr_expect_eq(qala_ineq_report_compute(&ir, p, &io), QALA_EINVAL, "period out of range");
    qala_trends_report *tr = (qala_trends_report *)&d;
    cr_expect_eq(qala_trends_report_compute(&tr, p, 0, NULL, 0, d.reg), QALA_EINVAL, "direction 0");
    cr_expect_null(tr);
    qala_compare_report *cr = (qala_compare_report *)&d;
    qala_compare_report_options co = QALA_COMPARE_REPORT_OPTIONS_INIT;
    const char *groups[] = {"monocity", "nowhere"};
    co.groups = groups;
    co.ngroups = 2;
    cr_expect_eq(qala_compare_report_compute(&cr, p, d.reg, &co), QALA_ENOTFOUND);
    cr_expect_null(cr);
    co.ngroups = 1;
    co.permutations = (size_t)QALA_COMPARE_MAX_B + 1;
    cr_expect_eq(qala_compare_report_compute(&cr, p, d.reg, &co), QALA_EINVAL, "too many permutations");
    qala_convergence_report *vr = (qala_convergence_report *)&d;
    qala_convergence_options vo = QALA_CONVERGENCE_OPTIONS_INIT;
    vo.weighted = 1;
    cr_expect_eq(qala_convergence_report_compute(&vr, p, &vo), QALA_EINVAL, "weighted without weights");
    cr_expect_null(vr);
    qala_panel_free(p);
}

Test(panel, a_period_without_values_is_a_result_with_counts)
{
    /* 2022: one city has a population figure in data/demo/city_population.csv */
    qala_panel *p = demo_panel(&d, "wage_nominal_kzt", "population", Y(2022), Y(2022), QALA_PANEL_CITIES);
    qala_ineq_report_options io = QALA_INEQ_REPORT_OPTIONS_INIT;
    qala_ineq_report *r = NULL;
    cr_assert_eq(qala_ineq_report_compute(&r, p, &io), QALA_OK);
    cr_expect_gt(r->n_units, 40);
    cr_expect_eq(r->n_no_value, r->n_units - 3, "wages only for Astana, Almaty, Shymkent");
    cr_expect_eq(r->summary.n_used + r->n_no_value + r->n_no_weight, r->n_units);
    qala_ineq_report_free(r);
    qala_panel_free(p);
    p = demo_panel(&d, "poverty_share_pct", NULL, Y(2022), Y(2022), QALA_PANEL_FIRST_LEVEL);
    io.weighted = 0;
    cr_assert_eq(qala_ineq_report_compute(&r, p, &io), QALA_OK);
    cr_expect_eq(r->n_no_value, 20);
    cr_expect(isnan(r->summary.gini));
    qala_ineq_report_free(r);
    qala_convergence_report *v = NULL;
    qala_convergence_options vo = QALA_CONVERGENCE_OPTIONS_INIT;
    cr_assert_eq(qala_convergence_report_compute(&v, p, &vo), QALA_OK);
    cr_expect(isnan(v->sigma.slope));
    cr_expect_eq(v->beta_from, 0, "no two periods with values");
    qala_convergence_report_free(v);
    qala_panel_free(p);
}
