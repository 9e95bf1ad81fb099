#define _POSIX_C_SOURCE 200809L
/* bench/bench_index.c — speed of the composite-index pipeline (qala_index_run).
 *
 * Two modes, each printing key=value lines for bench/run_index.sh:
 *   asem SHARED_DIR REPS   COINr's ASEM example (51 units × 49 indicators, the embedded
 *                          spec data/index/asem.json: denominate, group-mean impute,
 *                          treat, min-max, arithmetic means up four levels, ranks), read
 *                          once from SHARED_DIR/data/coinr-asem/COINr_ASEM_iData.csv and
 *                          run REPS times in this process; prints the best and the median
 *                          time per build and the Index score of CHE (68.38 published).
 *   synth N SEED REPS OUT  N synthetic units (fictional U000001…) × 50 indicators in 5
 *                          pillars of 10: min-max [0,100] + weighted arithmetic means +
 *                          ranks, nothing else; the values come from a formula of (unit,
 *                          indicator, seed) that bench/index_reference.py repeats; the
 *                          weights are 1 + j % 3 for indicator j and 1 + p for pillar p.
 *                          Writes the index scores and ranks (float64, N each) to OUT for
 *                          the reference to compare, and the peak memory (VmHWM) against
 *                          the input matrix (N × 50 doubles).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asem_input.h"
#include "qala/qala.h"
#define BENCH_PROGRAM "bench_index"
#include "bench_util.h"

/* ---- ASEM -------------------------------------------------------------------------- */

static int run_asem(const char *shared, long reps)
{
    qala_index_spec *spec;
    qala_findings *findings;
    if (qala_index_spec_new(&spec) != QALA_OK || qala_findings_new(&findings) != QALA_OK ||
        qala_index_spec_load_default(spec, "asem", findings) != QALA_OK)
        die("asem spec");
    const qala_index_tree *tree = qala_index_spec_tree(spec);

    asem_input A;
    asem_input_load(&A, shared, "bench_index");
    size_t n = A.input.nunits;
    const char **units = A.units;
    const qala_index_input *input = &A.input;

    double *times = calloc((size_t)reps, sizeof *times);
    double che = NAN;
    for (long r = 0; r < reps; r++) {
        qala_index_result *res;
        double t0 = now();
        if (qala_index_run(&res, tree, input) != QALA_OK)
            die("qala_index_run");
        times[r] = now() - t0;
        if (r == 0) {
            const double *idx = qala_index_result_column(res, QALA_INDEX_STAGE_AGGREGATED,
                                                         tree->nnodes - 1);
            for (size_t k = 0; k < qala_index_result_units(res); k++)
                if (strcmp(units[qala_index_result_unit(res, k)], "CHE") == 0)
                    che = idx[k];
        }
        qala_index_result_free(res);
    }
    qsort(times, (size_t)reps, sizeof *times, cmp_double);
    printf("asem_units=%zu\nasem_indicators=%zu\nasem_builds=%ld\n", n, tree->nindicators, reps);
    printf("asem_best_seconds=%.9f\nasem_median_seconds=%.9f\nasem_che=%.6f\n", times[0],
           times[reps / 2], che);

    free(times);
    asem_input_free(&A);
    qala_findings_free(findings);
    qala_index_spec_free(spec);
    return 0;
}

/* ---- synthetic --------------------------------------------------------------------- */

enum { SYN_INDICATORS = 50, SYN_PILLARS = 5 };

static int run_synth(size_t n, uint64_t seed, long reps, const char *out_path, unsigned threads)
{
    static char codes_buf[SYN_INDICATORS + SYN_PILLARS + 1][16];
    qala_index_node nodes[SYN_INDICATORS + SYN_PILLARS + 1];
    for (size_t j = 0; j < SYN_INDICATORS; j++) {
        snprintf(codes_buf[j], sizeof codes_buf[j], "I%02zu", j + 1);
        qala_index_node_init(&nodes[j], QALA_INDEX_INDICATOR, codes_buf[j]);
        nodes[j].parent = SYN_INDICATORS + j / (SYN_INDICATORS / SYN_PILLARS);
        nodes[j].weight = 1.0 + (double)(j % 3);
        nodes[j].treat = 0;
    }
    for (size_t p = 0; p < SYN_PILLARS; p++) {
        size_t i = SYN_INDICATORS + p;
        snprintf(codes_buf[i], sizeof codes_buf[i], "P%zu", p + 1);
        qala_index_node_init(&nodes[i], QALA_INDEX_AGGREGATE, codes_buf[i]);
        nodes[i].parent = SYN_INDICATORS + SYN_PILLARS;
        nodes[i].weight = 1.0 + (double)p;
    }
    size_t root = SYN_INDICATORS + SYN_PILLARS;
    qala_index_node_init(&nodes[root], QALA_INDEX_AGGREGATE, "Index");
    nodes[root].level = 3;
    qala_index_tree tree = {.nodes = nodes, .nnodes = root + 1, .nindicators = SYN_INDICATORS,
                            .nlevels = 3};
    qala_index_settings_init(&tree.settings);
    /* what the numpy reference computes: the index scores and the index ranks */
    tree.settings.scores_only = 1;
    tree.settings.rank_from = 3;
    tree.settings.threads = threads;

    double *matrix = malloc(n * SYN_INDICATORS * sizeof *matrix);
    const double *cols[SYN_INDICATORS];
    const char *col_codes[SYN_INDICATORS];
    char (*unit_buf)[24] = malloc(n * sizeof *unit_buf);
    const char **units = malloc(n * sizeof *units);
    if (!matrix || !unit_buf || !units) {
        fprintf(stderr, "bench_index: out of memory\n");
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
    double rss_before = peak_rss();
    double best = INFINITY;
    qala_index_result *keep = NULL;
    for (long r = 0; r < reps; r++) {
        qala_index_result *res;
        double t0 = now();
        if (qala_index_run(&res, &tree, &input) != QALA_OK)
            die("qala_index_run");
        double t = now() - t0;
        if (t < best)
            best = t;
        if (r + 1 == reps)
            keep = res;
        else
            qala_index_result_free(res);
    }
    double rss_peak = peak_rss();
    const double *score = qala_index_result_column(keep, QALA_INDEX_STAGE_AGGREGATED, root);
    const double *rank = qala_index_result_column(keep, QALA_INDEX_STAGE_RANKED, root);
    FILE *f = fopen(out_path, "wb");
    if (!f || fwrite(score, sizeof *score, n, f) != n || fwrite(rank, sizeof *rank, n, f) != n ||
        fclose(f) != 0) {
        fprintf(stderr, "bench_index: cannot write %s\n", out_path);
        return 1;
    }
    double input_bytes = (double)n * SYN_INDICATORS * sizeof(double);
    printf("synth_units=%zu\nsynth_indicators=%d\nsynth_best_seconds=%.6f\n", n,
           SYN_INDICATORS, best);
    printf("synth_input_bytes=%.0f\nsynth_peak_rss_bytes=%.0f\nsynth_rss_before_run_bytes=%.0f\n",
           input_bytes, rss_peak, rss_before);
    printf("synth_memory_ratio=%.2f\n", rss_peak / input_bytes);
    qala_index_result_free(keep);
    free(matrix);
    free(unit_buf);
    free(units);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "asem") == 0)
        return run_asem(argv[2], atol(argv[3]));
    if (argc >= 6 && strcmp(argv[1], "synth") == 0)
        return run_synth((size_t)atol(argv[2]), (uint64_t)atol(argv[3]), atol(argv[4]), argv[5],
                         argc > 6 ? (unsigned)atoi(argv[6]) : 1);
    fprintf(stderr, "usage: bench_index asem SHARED_DIR REPS | synth N SEED REPS OUT [THREADS]\n");
    return 2;
}
