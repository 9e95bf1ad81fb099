/* tests/unit/sensitivity/test_fast.c — the re-aggregating path (src/sensitivity_fast.c)
 * gives the ranks of the whole pipeline, run by run: the same analysis with
 * opt.full_runs = 1 (every run a qala_index_run) is the reference. The data have gaps
 * (NAN), so both the plain and the gap-skipping sums of the cached geometric mean run;
 * filled in, the runs of a batch aggregate their indicators together (mean_batch) and
 * geometric means of geometric means stay in logarithms. The summaries (a radix sort of
 * each unit's ranks) must equal GSL's type-7 quantiles.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "qala/sensitivity.h"

enum { NU = 40, NI = 8 };

static qala_index_node N[NI + 3];
static qala_index_tree T;
static const char *units[NU];
static char unit_buf[NU][8];
static double data[NI][NU];
static const char *col_codes[NI] = {"a", "b", "c", "d", "e", "f", "g", "h"};
static const double *cols[NI];
static qala_index_input IN;

/* a, b, c, d under P (level 2); e, f, g, h under Q; P and Q under I. Values in (0, 10]
 * from a fixed formula, some missing. */
static void tree_with_gaps(void)
{
    const char *codes[NI + 3] = {"a", "b", "c", "d", "e", "f", "g", "h", "P", "Q", "I"};
    for (size_t i = 0; i < NI + 3; i++) {
        qala_index_node_init(&N[i], i < NI ? QALA_INDEX_INDICATOR : QALA_INDEX_AGGREGATE, codes[i]);
        N[i].parent = i < 4 ? NI : i < NI ? NI + 1 : i < NI + 2 ? NI + 2 : QALA_INDEX_NONE;
        N[i].level = i < NI ? 1 : i < NI + 2 ? 2 : 3;
        N[i].treat = 0;
        N[i].weight = 1.0 + (double)(i % 3);
        N[i].normalise.lower = 1;
        N[i].normalise.upper = 100;
    }
    T = (qala_index_tree){.nodes = N, .nnodes = NI + 3, .nindicators = NI, .nlevels = 3};
    qala_index_settings_init(&T.settings);
    for (size_t j = 0; j < NI; j++) {
        for (size_t u = 0; u < NU; u++)
            data[j][u] = (u * 7 + j * 13) % 11 == 3 ? NAN : 1 + (double)((u * 31 + j * 17) % 97) / 10;
        cols[j] = data[j];
    }
    for (size_t u = 0; u < NU; u++) {
        snprintf(unit_buf[u], sizeof unit_buf[u], "u%02zu", u);
        units[u] = unit_buf[u];
    }
    IN = (qala_index_input){NU, units, 1, NULL, NI, col_codes, cols, 0, NULL};
}

TestSuite(sens_fast, .init = tree_with_gaps);

static void same_runs(const char *json, size_t n, size_t want_configs)
{
    qala_sens_factors *f;
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    cr_assert_eq(qala_sens_factors_load_json(f, json, strlen(json), "t"), QALA_OK, "%s",
                 qala_error_last()->message);
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.n = n;
    opt.level = 2;
    opt.threads = 2;
    qala_sens_result *fast, *full;
    cr_assert_eq(qala_sens_run(&fast, &T, &IN, f, &opt), QALA_OK, "%s", qala_error_last()->message);
    opt.full_runs = 1;
    cr_assert_eq(qala_sens_run(&full, &T, &IN, f, &opt), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_sens_result_configs(fast), want_configs);
    cr_assert_eq(qala_sens_result_configs(full), 0);
    size_t ns = qala_sens_result_nodes(fast);
    cr_assert_eq(ns, 3);
    for (size_t r = 0; r < n; r++)
        for (size_t j = 0; j < ns; j++)
            cr_assert_eq(memcmp(qala_sens_result_ranks(fast, r, j), qala_sens_result_ranks(full, r, j),
                                NU * sizeof(uint32_t)), 0, "run %zu node %zu", r, j);
    for (size_t j = 0; j < ns; j++)
        cr_assert_eq(memcmp(qala_sens_result_summary(fast, j), qala_sens_result_summary(full, j),
                            NU * sizeof(qala_sens_rank_summary)), 0);
    qala_sens_result_free(fast);
    qala_sens_result_free(full);
    qala_sens_factors_free(f);
}

Test(sens_fast, weights_and_geometric_means_reaggregated_equal_full_runs)
{
    same_runs("{\"qala_sensitivity\": 1, \"factors\": ["
              "{\"type\": \"weights\", \"noise\": [{\"level\": 1, \"fraction\": 0.5},"
              " {\"level\": 2, \"fraction\": 0.5}], \"replications\": 50},"
              "{\"type\": \"aggregate\", \"methods\": [\"arithmetic\", \"geometric\", "
              "\"harmonic\"]}]}", 60, 1);
}

Test(sens_fast, complete_data_batches_and_logarithms_equal_full_runs)
{
    for (size_t j = 0; j < NI; j++) /* no gap: the batch kernel takes the indicators */
        for (size_t u = 0; u < NU; u++)
            if (isnan(data[j][u]))
                data[j][u] = 1 + (double)((u * 5 + j) % 89) / 9;
    same_runs("{\"qala_sensitivity\": 1, \"factors\": ["
              "{\"type\": \"weights\", \"noise\": [{\"level\": 1, \"fraction\": 0.5},"
              " {\"level\": 2, \"fraction\": 0.5}], \"replications\": 100},"
              "{\"type\": \"aggregate\", \"methods\": [\"arithmetic\", \"geometric\", "
              "\"harmonic\"]}]}", 150, 1);
}

Test(sens_fast, upstream_factors_make_one_configuration_each_and_equal_full_runs)
{
    /* winmax 2 alternatives × 2 normalisations × (1 + 2) exclusions = 12 configurations */
    same_runs("{\"qala_sensitivity\": 1, \"factors\": ["
              "{\"type\": \"treat\", \"winmax\": [0, 2]},"
              "{\"type\": \"normalise\", \"methods\": [{\"method\": \"minmax\", \"lower\": 1,"
              " \"upper\": 100}, \"rank\"]},"
              "{\"type\": \"exclude\", \"indicators\": [\"a\", \"e\"]},"
              "{\"type\": \"aggregate\", \"level\": 2, \"methods\": [\"arithmetic\", \"geometric\"]},"
              "{\"type\": \"weights\", \"noise\": [{\"level\": 2, \"fraction\": 0.3}]}]}", 200, 12);
}

Test(sens_fast, too_many_configurations_take_the_full_path)
{
    /* 1 + 8 exclusions over 10 runs: more configurations than half the runs */
    same_runs("{\"qala_sensitivity\": 1, \"factors\": ["
              "{\"type\": \"exclude\"}, {\"type\": \"normalise\", \"methods\": [\"minmax\", "
              "\"rank\"]}]}", 10, 0);
}

Test(sens_fast, summaries_are_gsls_type_7_quantiles)
{
    qala_sens_factors *f;
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    cr_assert_eq(qala_sens_add_weights(f, NULL, (int[]){1}, (double[]){0.9}, 1, 1000), QALA_OK);
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.n = 333;
    qala_sens_result *r;
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_OK);
    const qala_sens_rank_summary *s = qala_sens_result_summary(r, 0);
    double v[333];
    for (size_t u = 0; u < NU; u++) {
        size_t m = 0;
        for (size_t run = 0; run < 333; run++) {
            uint32_t k = qala_sens_result_ranks(r, run, 0)[u];
            if (k)
                v[m++] = k;
        }
        cr_assert_eq(s[u].nruns, m);
        gsl_sort(v, 1, m);
        cr_assert_eq(s[u].median, gsl_stats_quantile_from_sorted_data(v, 1, m, 0.5), "unit %zu", u);
        cr_assert_eq(s[u].q05, gsl_stats_quantile_from_sorted_data(v, 1, m, 0.05));
        cr_assert_eq(s[u].q95, gsl_stats_quantile_from_sorted_data(v, 1, m, 0.95));
    }
    qala_sens_result_free(r);
    qala_sens_factors_free(f);
}
