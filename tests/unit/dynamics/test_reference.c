/* The dynamics reports on the demo statistics against reference.py (this folder: numpy
 * from the definitions, run with /usr/bin/python3 tests/unit/dynamics/reference.py from
 * the repository root; each figure names its output line). The figures are real: BNS
 * RK regional tables and census counts (data/demo/SOURCES.md). */
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

TestSuite(reference, .init = setup, .fini = teardown);

Test(reference, wage_inequality_2022_across_first_level_units_weighted_by_population)
{
    qala_panel *p = demo_panel(&d, "wage_nominal_kzt", "population", Y(2022), Y(2022), QALA_PANEL_FIRST_LEVEL);
    qala_panel_grouping *kind = NULL;
    cr_assert_eq(qala_panel_grouping_make(&kind, p, d.reg, "kind"), QALA_OK);
    qala_ineq_report_options opt = QALA_INEQ_REPORT_OPTIONS_INIT;
    opt.by = kind;
    qala_ineq_report *r = NULL;
    cr_assert_eq(qala_ineq_report_compute(&r, p, &opt), QALA_OK);
    /* reference.py: "# wages 2022: 20 first-level units" */
    cr_expect_eq(r->n_units, 20);
    cr_expect_eq(r->n_no_value, 0);
    cr_expect_eq(r->n_no_weight, 0);
    cr_expect_eq(r->summary.n_used, 20);
    expect_rel(r->summary.gini, 0.12739728149230614, 1e-12, "wage_gini_w");
    expect_rel(r->unweighted.gini, 0.13598807848953487, 1e-12, "wage_gini_u");
    expect_rel(r->summary.cv, 0.25577514495807646, 1e-12, "wage_cv_w");
    expect_rel(r->summary.theil_t, 0.029659585614728534, 1e-12, "wage_theil_t_w");
    expect_rel(r->summary.theil_l, 0.027465618165705454, 1e-12, "wage_theil_l_w");
    cr_assert(r->has_decomp);
    expect_rel(r->decomp.t.between, 0.00335799661381668, 1e-10, "wage_theil_t_between_kind");
    expect_rel(r->decomp.t.within + r->decomp.t.between, r->decomp.t.total, 1e-12, "within + between");
    cr_expect_eq(r->ngroups, 2);
    cr_expect_str_eq(r->group_codes[0], "region");
    cr_expect_eq(r->groups[0].n, 17, "17 oblystar");
    cr_expect_eq(r->groups[1].n, 3, "Astana, Almaty, Shymkent");
    qala_ineq_report_free(r);
    qala_panel_grouping_free(kind);
    qala_panel_free(p);
}

Test(reference, grp_2022_missing_values_are_counted_not_dropped)
{
    qala_panel *p = demo_panel(&d, "grp_per_capita_kzt_thousand", "population", Y(2022), Y(2022),
                               QALA_PANEL_FIRST_LEVEL);
    qala_ineq_report_options opt = QALA_INEQ_REPORT_OPTIONS_INIT;
    qala_ineq_report *r = NULL;
    cr_assert_eq(qala_ineq_report_compute(&r, p, &opt), QALA_OK);
    /* reference.py: "# grp 2022: 15 of 20 first-level units alive in 2022 have a value" */
    cr_expect_eq(r->n_units, 20);
    cr_expect_eq(r->n_no_value, 5);
    cr_expect_eq(r->summary.n_used, 15);
    cr_expect_eq(r->summary.n_missing, 5);
    qala_ineq_report_free(r);
    qala_panel_free(p);
}

Test(reference, life_expectancy_sigma_and_beta_convergence_1999_2022)
{
    qala_panel *p = demo_panel(&d, "life_expectancy_years", NULL, Y(1999), Y(2022), QALA_PANEL_FIRST_LEVEL);
    qala_convergence_options opt = QALA_CONVERGENCE_OPTIONS_INIT;
    qala_convergence_report *r = NULL;
    cr_assert_eq(qala_convergence_report_compute(&r, p, &opt), QALA_OK);
    /* reference.py: "# life expectancy: 15 units in every year 1999-2022" */
    cr_expect_eq(r->sigma.n_units, 15);
    cr_expect_eq(r->sigma.n_periods, 24);
    expect_rel(r->dispersion[0], 0.018456564997954047, 1e-12, "le_cv_1999");
    expect_rel(r->dispersion[23], 0.021620860265001315, 1e-12, "le_cv_2022");
    expect_rel(r->sigma.slope, -0.00031740717334030442, 1e-9, "le_sigma_slope");
    cr_expect_eq(r->beta_from, Y(1999));
    cr_expect_eq(r->beta_to, Y(2022));
    expect_rel(r->years, 23.0, 0, "years");
    /* reference.py: "# beta: 15 units"; Shymkent exists at both ends but has no 1999 value */
    cr_expect_eq(r->beta.n_used, 15);
    cr_expect_eq(r->beta.n_missing, 1);
    expect_rel(r->beta.beta, -0.011138009764026067, 1e-9, "le_beta");
    qala_convergence_report_free(r);
    qala_panel_free(p);
}

Test(reference, life_expectancy_trend_of_akmola_region)
{
    qala_panel *p = demo_panel(&d, "life_expectancy_years", NULL, 0, 0, QALA_PANEL_FIRST_LEVEL);
    qala_trends_report *r = NULL;
    cr_assert_eq(qala_trends_report_compute(&r, p, 1, NULL, 0, d.reg), QALA_OK);
    size_t akm = demo_unit(p, "KZ-AKM");
    const qala_trend_row *row = NULL;
    for (size_t i = 0; i < r->nrows; i++)
        if (r->rows[i].unit == akm)
            row = &r->rows[i];
    cr_assert_not_null(row);
    expect_rel(row->trend.cagr_pct, 0.57648240761665193, 1e-12, "akm_cagr_pct");
    /* 0.5 <= CAGR < 1.5 % a year, higher is better: acceleration needed (methods-trends.md) */
    cr_expect_eq(row->cls, QALA_PROGRESS_ACCELERATION_NEEDED);
    cr_expect_eq(row->has_target, 0);
    size_t total = 0;
    for (int c = 0; c < QALA_PROGRESS_CLASS_COUNT; c++)
        total += r->counts[c];
    cr_expect_eq(total, r->nrows, "each row counted once");
    qala_trends_report_free(r);
    qala_panel_free(p);
}

Test(reference, population_2023_monocities_against_the_other_cities)
{
    qala_panel *p = demo_panel(&d, "population", NULL, Y(2023), Y(2023), QALA_PANEL_CITIES);
    const char *groups[] = {"monocity"};
    qala_compare_report_options opt = QALA_COMPARE_REPORT_OPTIONS_INIT;
    opt.groups = groups;
    opt.ngroups = 1;
    opt.permutations = 999;
    qala_compare_report *r = NULL;
    cr_assert_eq(qala_compare_report_compute(&r, p, d.reg, &opt), QALA_OK);
    cr_assert_eq(r->ngroups, 2);
    cr_expect_str_eq(r->codes[1], "rest");
    /* reference.py: "# population 2023: 19 monocities, 17 other cities" */
    cr_expect_eq(r->groups[0].count, 19);
    cr_expect_eq(r->groups[1].count, 17);
    expect_rel(r->groups[0].mean, 56637.57894736842, 1e-12, "mono_mean");
    expect_rel(r->groups[0].median, 39185, 1e-12, "mono_median");
    expect_rel(r->groups[0].iqr, 42155.5, 1e-12, "mono_iqr");
    expect_rel(r->groups[1].mean, 533001.82352941181, 1e-12, "other_mean");
    cr_assert_eq(r->npairs, 1);
    expect_rel(r->pairs[0].diff_mean, 56637.57894736842 - 533001.82352941181, 1e-12, "diff");
    /* the smallest p of 999 relabellings: no relabelling as extreme as the monotowns */
    expect_rel(r->pairs[0].p_mean, 1.0 / 1000, 1e-12, "p_mean");
    cr_expect_eq(r->seed, 1);
    qala_compare_report_free(r);
    qala_panel_free(p);
}
