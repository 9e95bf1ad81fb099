#define _POSIX_C_SOURCE 200809L
/* bench/bench_sensitivity.c — speed of the sensitivity analysis (qala_sens_run).
 *
 *   asem SHARED_DIR N THREADS   COINr's ASEM example (the embedded spec data/index/asem.json,
 *                               51 units × 49 indicators, read from
 *                               SHARED_DIR/data/coinr-asem/COINr_ASEM_iData.csv) with
 *                               COINr's four factors (winmax 1-5; minmax [1,100] vs zscore
 *                               (10, 2); weights ±25 % at levels 2 and 3; arithmetic vs
 *                               geometric), a Saltelli design of N rows: N(d+2) runs on
 *                               THREADS threads. Prints key=value lines for
 *                               bench/run_sensitivity.sh: the runs, the seconds, the
 *                               Sobol total indices of the mean rank shift.
 *   asem SHARED_DIR N THREADS full   the same with every run through the whole pipeline
 *                               (opt.full_runs: the time before the re-aggregating path)
 *   synth N RUNS THREADS SEED OUT [full]
 *                               N synthetic units (fictional U000001…) × 50 indicators in 5
 *                               pillars of 10, the values of bench/bench_index.c's formula
 *                               (bench/sensitivity_reference.py repeats it), min-max [1, 100],
 *                               weights 1 + j % 3 and 1 + p; factors: noisy weights ±25 % at
 *                               levels 1 and 2 (RUNS replications) and arithmetic vs
 *                               geometric means; RUNS uncertainty runs of the index ranks.
 *                               Writes to OUT (float64) each run's aggregation choice and 56
 *                               node weights, then per unit the nominal, median, 5 % and
 *                               95 % ranks, for the reference to redo and compare. Prints the
 *                               seconds, the configurations and the peak memory (VmHWM).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asem_input.h"
#include "qala/qala.h"
#include "sensitivity_internal.h"
#define BENCH_PROGRAM "bench_sensitivity"
#include "bench_util.h"

/* ---- ASEM -------------------------------------------------------------------------- */

static const char factors_json[] =
    "{\"qala_sensitivity\": 1, \"factors\": ["
    " {\"name\": \"winmax\", \"type\": \"treat\", \"winmax\": [1, 2, 3, 4, 5]},"
    " {\"name\": \"normalisation\", \"type\": \"normalise\", \"methods\": ["
    "   {\"method\": \"minmax\", \"lower\": 1, \"upper\": 100},"
    "   {\"method\": \"zscore\", \"mean\": 10, \"sd\": 2}]},"
    " {\"name\": \"weights\", \"type\": \"weights\", \"noise\": ["
    "   {\"level\": 2, \"fraction\": 0.25}, {\"level\": 3, \"fraction\": 0.25}]},"
    " {\"name\": \"aggregation\", \"type\": \"aggregate\", \"methods\": "
    "[\"arithmetic\", \"geometric\"]}]}";

static int run_asem(const char *shared, size_t nrows, unsigned threads, int full)
{
    qala_index_spec *spec;
    qala_findings *findings;
    if (qala_index_spec_new(&spec) != QALA_OK || qala_findings_new(&findings) != QALA_OK ||
        qala_index_spec_load_default(spec, "asem", findings) != QALA_OK)
        die("asem spec");
    const qala_index_tree *tree = qala_index_spec_tree(spec);
    asem_input A;
    asem_input_load(&A, shared, "bench_sensitivity");
    const qala_index_input *input = &A.input;

    qala_sens_factors *f;
    if (qala_sens_factors_new(&f) != QALA_OK ||
        qala_sens_factors_load_json(f, factors_json, strlen(factors_json), "bench") != QALA_OK)
        die("factors");
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.design = QALA_SENS_SOBOL;
    opt.n = nrows;
    opt.threads = threads;
    opt.full_runs = full;
    qala_sens_result *r;
    double t0 = now();
    if (qala_sens_run(&r, tree, input, f, &opt) != QALA_OK)
        die("qala_sens_run");
    double secs = now() - t0;
    printf("asem_runs=%zu\nasem_threads=%u\nasem_seconds=%.6f\nasem_configs=%zu\n",
           qala_sens_result_runs_done(r), threads, secs, qala_sens_result_configs(r));
    const qala_sobol_index *si = qala_sens_result_sobol(r, 0);
    for (size_t i = 0; i < qala_sens_factors_count(f); i++)
        printf("asem_total_%s=%.4f\n", qala_sens_factor_name(f, i), si[i].total);
    qala_sens_result_free(r);
    qala_sens_factors_free(f);
    asem_input_free(&A);
    qala_findings_free(findings);
    qala_index_spec_free(spec);
    return 0;
}

/* ---- synthetic --------------------------------------------------------------------- */

enum { SYN_INDICATORS = 50, SYN_PILLARS = 5, SYN_NODES = SYN_INDICATORS + SYN_PILLARS + 1 };

static int run_synth(size_t n, size_t runs, unsigned threads, uint64_t seed, const char *out_path,
                     int full)
{
    static char codes_buf[SYN_NODES][16];
    qala_index_node nodes[SYN_NODES];
    for (size_t j = 0; j < SYN_INDICATORS; j++) {
        snprintf(codes_buf[j], sizeof codes_buf[j], "I%02zu", j + 1);
        qala_index_node_init(&nodes[j], QALA_INDEX_INDICATOR, codes_buf[j]);
        nodes[j].parent = SYN_INDICATORS + j / (SYN_INDICATORS / SYN_PILLARS);
        nodes[j].level = 1;
        nodes[j].weight = 1.0 + (double)(j % 3);
        nodes[j].treat = 0;
        nodes[j].normalise.lower = 1;
        nodes[j].normalise.upper = 100;
    }
    for (size_t p = 0; p < SYN_PILLARS; p++) {
        size_t i = SYN_INDICATORS + p;
        snprintf(codes_buf[i], sizeof codes_buf[i], "P%zu", p + 1);
        qala_index_node_init(&nodes[i], QALA_INDEX_AGGREGATE, codes_buf[i]);
        nodes[i].parent = SYN_NODES - 1;
        nodes[i].level = 2;
        nodes[i].weight = 1.0 + (double)p;
    }
    qala_index_node_init(&nodes[SYN_NODES - 1], QALA_INDEX_AGGREGATE, "Index");
    nodes[SYN_NODES - 1].parent = QALA_INDEX_NONE;
    nodes[SYN_NODES - 1].level = 3;
    qala_index_tree tree = {.nodes = nodes, .nnodes = SYN_NODES, .nindicators = SYN_INDICATORS,
                            .nlevels = 3};
    qala_index_settings_init(&tree.settings);

    double *matrix = malloc(n * SYN_INDICATORS * sizeof *matrix);
    const double *cols[SYN_INDICATORS];
    const char *col_codes[SYN_INDICATORS];
    char (*unit_buf)[24] = malloc(n * sizeof *unit_buf);
    const char **units = malloc(n * sizeof *units);
    if (!matrix || !unit_buf || !units) {
        fprintf(stderr, "bench_sensitivity: out of memory\n");
        return 1;
    }
    for (size_t j = 0; j < SYN_INDICATORS; j++) {
        for (size_t u = 0; u < n; u++)
            matrix[j * n + u] = synth_value(u, j, seed);
        cols[j] = matrix + j * n;
        col_codes[j] = codes_buf[j];
    }
    for (size_t u = 0; u < n; u++) {
        snprintf(unit_buf[u], sizeof unit_buf[u], "U%06zu", u + 1);
        units[u] = unit_buf[u];
    }
    qala_index_input input = {.nunits = n, .unit_codes = units, .nperiods = 1,
                              .ncolumns = SYN_INDICATORS, .column_codes = col_codes,
                              .columns = cols};
    qala_sens_factors *f;
    qala_agg_spec agg[2] = {{.method = QALA_AGG_ARITHMETIC}, {.method = QALA_AGG_GEOMETRIC}};
    if (qala_sens_factors_new(&f) != QALA_OK ||
        qala_sens_add_weights(f, "weights", (int[]){1, 2}, (double[]){0.25, 0.25}, 2, runs) !=
            QALA_OK ||
        qala_sens_add_aggregate(f, "aggregation", 0, agg, 2) != QALA_OK)
        die("factors");
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.n = runs;
    opt.seed = seed;
    opt.threads = threads;
    opt.full_runs = full;
    double rss0 = peak_rss();
    qala_sens_result *r;
    double t0 = now();
    if (qala_sens_run(&r, &tree, &input, f, &opt) != QALA_OK)
        die("qala_sens_run");
    double secs = now() - t0;
    printf("synth_units=%zu\nsynth_runs=%zu\nsynth_threads=%u\nsynth_seconds=%.6f\n"
           "synth_configs=%zu\nsynth_peak_rss_mb=%.1f\nsynth_rss_added_mb=%.1f\n", n,
           qala_sens_result_runs_done(r), threads, secs, qala_sens_result_configs(r),
           peak_rss() / 1e6, (peak_rss() - rss0) / 1e6);
    if (strcmp(out_path, "-") != 0) {
        /* each run's tree as qala_sens_run made it, then the summaries */
        FILE *o = fopen(out_path, "wb");
        qala_sens_work w;
        size_t colmap[SYN_INDICATORS];
        for (size_t j = 0; j < SYN_INDICATORS; j++)
            colmap[j] = j;
        if (!o || qala_sens__work_init(&w, &tree, &input) != QALA_OK)
            die(out_path);
        for (size_t run = 0; run < runs; run++) {
            const uint32_t *c = qala_sens_result_choices(r, run);
            qala_sens__apply(&w, f, c, &tree, &input, colmap, opt.seed);
            double row[1 + SYN_NODES];
            row[0] = c[1];
            for (size_t i = 0; i < SYN_NODES; i++)
                row[1 + i] = w.nodes[i].weight;
            fwrite(row, sizeof row, 1, o);
        }
        qala_sens__work_free(&w);
        const qala_sens_rank_summary *s = qala_sens_result_summary(r, 0);
        for (size_t u = 0; u < n; u++) {
            double row[4] = {s[u].nominal, s[u].median, s[u].q05, s[u].q95};
            fwrite(row, sizeof row, 1, o);
        }
        fclose(o);
    }
    qala_sens_result_free(r);
    qala_sens_factors_free(f);
    free(matrix);
    free(unit_buf);
    free(units);
    return 0;
}

int main(int argc, char **argv)
{
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "asem") == 0)
        return run_asem(argv[2], (size_t)atol(argv[3]), (unsigned)atoi(argv[4]),
                        argc == 6 && strcmp(argv[5], "full") == 0);
    if ((argc == 7 || argc == 8) && strcmp(argv[1], "synth") == 0)
        return run_synth((size_t)atol(argv[2]), (size_t)atol(argv[3]), (unsigned)atoi(argv[4]),
                         (uint64_t)atoll(argv[5]), argv[6], argc == 8 && strcmp(argv[7], "full") == 0);
    fprintf(stderr, "usage: bench_sensitivity asem SHARED_DIR N THREADS [full]\n"
                    "       bench_sensitivity synth N RUNS THREADS SEED OUT|- [full]\n");
    return 2;
}
