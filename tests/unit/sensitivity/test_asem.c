/* tests/unit/sensitivity/test_asem.c — the uncertainty and sensitivity analysis of COINr's
 * ASEM example with COINr's four factors (COINr vignette "Sensitivity analysis":
 * winmax 1–5; min-max [1, 100] vs z-score (m 10, s 2); noisy weights ±25 % at levels 2
 * and 3; arithmetic vs geometric mean), on the tree and data of tests/unit/index/asem.h
 * (the nominal settings of the old COINr that made expected/: winmax 6, min-max [0, 100],
 * arithmetic means).
 * Checks: the nominal ranks are COINr's (the ranks of its Index column, ties min, and the
 * published order CHE 1 ... IND 45); the summaries are consistent and plausible; the
 * results are byte-identical with 1, 2 and 3 threads; a Sobol design gives indices of
 * the mean rank shift and of one unit's rank; a cancelled run keeps what it did.
 * Set QALA_SENS_PRINT=1 to print the table documented in docs/sensitivity.md.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/asem.h"
#include "qala/sensitivity.h"

static asem A;
static qala_sens_factors *F;

static void setup(void)
{
    asem_load(&A, "COINr_ASEM_iData.csv");
    cr_assert_eq(qala_sens_factors_new(&F), QALA_OK);
    const char *json =
        "{\"qala_sensitivity\": 1, \"factors\": ["
        " {\"name\": \"winmax\", \"type\": \"treat\", \"winmax\": [1, 2, 3, 4, 5]},"
        " {\"name\": \"normalisation\", \"type\": \"normalise\", \"methods\": ["
        "   {\"method\": \"minmax\", \"lower\": 1, \"upper\": 100},"
        "   {\"method\": \"zscore\", \"mean\": 10, \"sd\": 2}]},"
        " {\"name\": \"weights\", \"type\": \"weights\", \"replications\": 100, \"noise\": ["
        "   {\"level\": 2, \"fraction\": 0.25}, {\"level\": 3, \"fraction\": 0.25}]},"
        " {\"name\": \"aggregation\", \"type\": \"aggregate\", \"methods\": [\"arithmetic\", "
        "\"geometric\"]}]}";
    cr_assert_eq(qala_sens_factors_load_json(F, json, strlen(json), "asem-sa.json"), QALA_OK,
                 "%s", qala_error_last()->message);
    cr_assert_eq(qala_sens_factors_count(F), 4);
}

static void teardown(void)
{
    qala_sens_factors_free(F);
    asem_free(&A);
}

TestSuite(sens_asem, .init = setup, .fini = teardown, .timeout = 120);

static size_t unit_of(const qala_sens_result *r, const char *code)
{
    for (size_t u = 0; u < qala_sens_result_units(r); u++)
        if (strcmp(qala_sens_result_unit_code(r, u), code) == 0)
            return u;
    cr_assert_fail("no unit %s", code);
    return 0;
}

Test(sens_asem, nominal_ranks_are_coinrs_and_summaries_are_plausible)
{
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.n = 500;
    opt.seed = 2024;
    qala_sens_result *r = NULL;
    cr_assert_eq(qala_sens_run(&r, &A.tree, &A.input, F, &opt), QALA_OK, "%s",
                 qala_error_last()->message);
    cr_assert_eq(qala_sens_result_runs_done(r), 500);
    cr_assert_eq(qala_sens_result_seed(r), 2024);
    cr_assert_eq(qala_sens_result_nodes(r), 1);
    cr_assert_str_eq(A.nodes[qala_sens_result_node(r, 0)].code, "Index");
    const uint32_t *nom = qala_sens_result_ranks(r, SIZE_MAX, 0);
    /* COINr's Index column (expected/ASEM_COIN_Aggregated.csv), ranked with ties min */
    coinr_table agg;
    coinr_load(&agg, "expected/ASEM_COIN_Aggregated.csv");
    size_t ci = coinr_col(&agg, "Index");
    for (size_t u = 0; u < 51; u++) {
        double mine = coinr_get(&agg, A.units[u], "Index");
        uint32_t want = 1;
        for (size_t j = 0; j < agg.nrows; j++)
            want += agg.value[j * agg.ncols + ci] > mine;
        cr_expect_eq(nom[u], want, "%s: nominal %u, COINr %u", A.units[u], nom[u], want);
    }
    coinr_free(&agg);
    const char *top[] = {"CHE", "NLD", "DNK", "NOR", "BEL", "SWE"};
    for (uint32_t t = 0; t < 6; t++)
        cr_expect_eq(nom[unit_of(r, top[t])], t + 1, "%s", top[t]);
    cr_expect_eq(nom[unit_of(r, "IND")], 45);

    const qala_sens_rank_summary *s = qala_sens_result_summary(r, 0);
    int print = getenv("QALA_SENS_PRINT") != NULL;
    size_t nominal_inside = 0;
    for (size_t u = 0; u < 51; u++) {
        cr_assert_eq(s[u].nruns, 500);
        cr_assert(s[u].q05 <= s[u].median && s[u].median <= s[u].q95, "%s", A.units[u]);
        cr_assert(s[u].q05 >= 1 && s[u].q95 <= 51);
        cr_assert(s[u].p_top >= 0 && s[u].p_top <= 1 && s[u].p_bottom >= 0 && s[u].p_bottom <= 1);
        nominal_inside += s[u].nominal >= s[u].q05 && s[u].nominal <= s[u].q95;
        if (print)
            printf("%s\t%g\t%g\t%g\t%g\t%.3f\t%.3f\t%.2f\n", A.units[u], s[u].nominal,
                   s[u].median, s[u].q05, s[u].q95, s[u].p_top, s[u].p_bottom,
                   s[u].mean_abs_shift);
    }
    /* the nominal choices are inside the spread of the alternatives for most units */
    cr_expect_geq(nominal_inside, 45, "nominal inside the 5-95%% interval for %zu units",
                  nominal_inside);
    /* the leaders stay near the top and India near the bottom */
    size_t che = unit_of(r, "CHE"), ind = unit_of(r, "IND");
    cr_expect_leq(s[che].median, 3);
    cr_expect_gt(s[che].p_top, 0.9);
    cr_expect_geq(s[ind].median, 40);
    cr_expect_eq(s[ind].p_top, 0);
    /* the choices of each run are recorded, and a choice follows its sample */
    for (size_t run = 0; run < 5; run++) {
        const double *u = qala_sens_result_sample(r, run);
        const uint32_t *c = qala_sens_result_choices(r, run);
        cr_assert_eq(c[0], (uint32_t)(u[0] * 5));
        cr_assert_eq(c[1], (uint32_t)(u[1] * 2));
        cr_assert_eq(c[2], (uint32_t)(u[2] * 100));
    }
    qala_sens_result_free(r);
}

/* Runs the analysis with `threads` threads. */
static qala_sens_result *run_with(qala_sens_design design, size_t n, unsigned threads, int level)
{
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.design = design;
    opt.n = n;
    opt.seed = 99;
    opt.threads = threads;
    opt.level = level;
    opt.bootstrap = 50;
    const char *units[] = {"GBR"};
    opt.units = units;
    opt.nunits = 1;
    qala_sens_result *r = NULL;
    cr_assert_eq(qala_sens_run(&r, &A.tree, &A.input, F, &opt), QALA_OK, "%s",
                 qala_error_last()->message);
    return r;
}

static void assert_same(const qala_sens_result *a, const qala_sens_result *b)
{
    size_t nu = qala_sens_result_units(a), ns = qala_sens_result_nodes(a);
    cr_assert_eq(qala_sens_result_runs_done(a), qala_sens_result_runs_done(b));
    cr_assert_eq(ns, qala_sens_result_nodes(b));
    for (size_t run = 0; run < qala_sens_result_runs_done(a); run++)
        for (size_t j = 0; j < ns; j++)
            cr_assert_eq(memcmp(qala_sens_result_ranks(a, run, j), qala_sens_result_ranks(b, run, j),
                                nu * sizeof(uint32_t)), 0, "run %zu node %zu", run, j);
    for (size_t j = 0; j < ns; j++)
        cr_assert_eq(memcmp(qala_sens_result_summary(a, j), qala_sens_result_summary(b, j),
                            nu * sizeof(qala_sens_rank_summary)), 0);
    cr_assert_eq(memcmp(qala_sens_result_shift(a), qala_sens_result_shift(b),
                        qala_sens_result_runs_done(a) * sizeof(double)), 0);
    for (size_t o = 0; o < qala_sens_result_outputs(a); o++)
        cr_assert_eq(memcmp(qala_sens_result_sobol(a, o), qala_sens_result_sobol(b, o),
                            qala_sens_result_factors(a) * sizeof(qala_sobol_index)), 0);
}

Test(sens_asem, results_are_identical_bytes_with_1_2_and_3_threads)
{
    qala_sens_result *r1 = run_with(QALA_SENS_UNCERTAINTY, 60, 1, 2);
    qala_sens_result *r2 = run_with(QALA_SENS_UNCERTAINTY, 60, 2, 2);
    qala_sens_result *r3 = run_with(QALA_SENS_UNCERTAINTY, 60, 3, 2);
    /* level 2: the 8 pillars, the 2 sub-indices and the index */
    cr_assert_eq(qala_sens_result_nodes(r1), 11);
    assert_same(r1, r2);
    assert_same(r1, r3);
    qala_sens_result_free(r1);
    qala_sens_result_free(r2);
    qala_sens_result_free(r3);
    r1 = run_with(QALA_SENS_SOBOL, 12, 1, 0);
    r3 = run_with(QALA_SENS_SOBOL, 12, 3, 0);
    cr_assert_eq(qala_sens_result_runs(r1), 12 * 6);
    assert_same(r1, r3);
    qala_sens_result_free(r1);
    qala_sens_result_free(r3);
}

Test(sens_asem, sobol_indices_of_the_rank_shift_and_of_one_units_rank)
{
    qala_sens_result *r = run_with(QALA_SENS_SOBOL, 64, 0, 0);
    cr_assert_eq(qala_sens_result_runs_done(r), 64 * 6);
    cr_assert_eq(qala_sens_result_outputs(r), 2);
    const double *y = qala_sens_result_shift(r);
    for (size_t run = 0; run < 64 * 6; run++)
        cr_assert(isfinite(y[run]) && y[run] >= 0);
    int print = getenv("QALA_SENS_PRINT") != NULL;
    for (size_t o = 0; o < 2; o++) {
        const qala_sobol_index *si = qala_sens_result_sobol(r, o);
        double sum_total = 0;
        for (size_t i = 0; i < 4; i++) {
            cr_assert(isfinite(si[i].first) && isfinite(si[i].total));
            cr_assert(si[i].first_lo <= si[i].first_hi && si[i].total_lo <= si[i].total_hi);
            cr_assert_gt(si[i].total, -0.05, "output %zu factor %zu ST %g", o, i, si[i].total);
            sum_total += si[i].total;
            if (print)
                printf("output %zu %s: S %.3f [%.3f, %.3f] ST %.3f [%.3f, %.3f]\n", o,
                       qala_sens_factor_name(F, i), si[i].first, si[i].first_lo, si[i].first_hi,
                       si[i].total, si[i].total_lo, si[i].total_hi);
        }
        /* the total indices cover at least the explained variance */
        cr_assert_gt(sum_total, 0.5, "output %zu: sum of ST %g", o, sum_total);
    }
    qala_sens_result_free(r);
}

static int cancel_at_first(void *ctx, size_t done, size_t total)
{
    size_t *calls = ctx;
    cr_assert_leq(done, total);
    (*calls)++;
    return 1;
}

Test(sens_asem, a_cancelled_analysis_keeps_the_runs_done)
{
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.n = 100000;
    opt.threads = 2;
    size_t calls = 0;
    opt.progress = cancel_at_first;
    opt.progress_ctx = &calls;
    qala_sens_result *r = NULL;
    cr_assert_eq(qala_sens_run(&r, &A.tree, &A.input, F, &opt), QALA_OK);
    cr_assert(qala_sens_result_cancelled(r));
    size_t done = qala_sens_result_runs_done(r);
    cr_assert_lt(done, 100000);
    cr_assert_geq(calls, 1);
    const qala_sens_rank_summary *s = qala_sens_result_summary(r, 0);
    cr_assert_eq(s[0].nruns, done);
    cr_assert_null(qala_sens_result_ranks(r, done, 0));
    qala_sens_result_free(r);
}
