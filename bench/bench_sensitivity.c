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
 * Not done yet: the synthetic 10,000 × 50 uncertainty benchmark against numpy.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/csv.h"
#include "qala/qala.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_sensitivity: %s: %s\n", what, qala_error_last()->message);
    exit(1);
}

/* ---- ASEM -------------------------------------------------------------------------- */

typedef struct table {
    size_t nrows, ncols;
    char **header;
    char **text;    /* nrows × ncols */
} table;

static void table_load(table *t, const char *path)
{
    qala_csv *csv;
    memset(t, 0, sizeof *t);
    if (qala_csv__open_file(&csv, path, NULL, NULL) != QALA_OK || qala_csv__next(csv) != 1)
        die(path);
    t->ncols = qala_csv__nfields(csv);
    t->header = calloc(t->ncols, sizeof *t->header);
    for (size_t j = 0; j < t->ncols; j++)
        t->header[j] = strdup(qala_csv__field(csv, j, NULL));
    size_t cap = 0;
    while (qala_csv__next(csv) == 1) {
        if (t->nrows == cap) {
            cap = cap ? 2 * cap : 64;
            t->text = realloc(t->text, cap * t->ncols * sizeof *t->text);
        }
        for (size_t j = 0; j < t->ncols; j++)
            t->text[t->nrows * t->ncols + j] = strdup(qala_csv__field(csv, j, NULL));
        t->nrows++;
    }
    qala_csv__close(csv);
}

static void table_free(table *t)
{
    for (size_t j = 0; j < t->ncols; j++)
        free(t->header[j]);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->text[i]);
    free(t->header);
    free(t->text);
}

static size_t table_col(const table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->header[j], name) == 0)
            return j;
    return SIZE_MAX;
}

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

static int run_asem(const char *shared, size_t nrows, unsigned threads)
{
    qala_index_spec *spec;
    qala_findings *findings;
    if (qala_index_spec_new(&spec) != QALA_OK || qala_findings_new(&findings) != QALA_OK ||
        qala_index_spec_load_default(spec, "asem", findings) != QALA_OK)
        die("asem spec");
    const qala_index_tree *tree = qala_index_spec_tree(spec);
    char path[1024];
    snprintf(path, sizeof path, "%s/data/coinr-asem/COINr_ASEM_iData.csv", shared);
    table t;
    table_load(&t, path);
    size_t n = t.nrows, ucode = table_col(&t, "uCode"), grp = table_col(&t, "EurAsia_group");
    if (ucode == SIZE_MAX || grp == SIZE_MAX) {
        fprintf(stderr, "bench_sensitivity: %s: no uCode or EurAsia_group column\n", path);
        return 1;
    }
    const char **codes = calloc(t.ncols, sizeof *codes);
    double **cols = calloc(t.ncols, sizeof *cols);
    const char **units = calloc(n, sizeof *units);
    uint32_t *group = calloc(n, sizeof *group);
    size_t ncols = 0;
    for (size_t j = 0; j < t.ncols; j++) {
        if (j == ucode || j == grp)
            continue;
        double *c = malloc(n * sizeof *c);
        int numeric = 1;
        for (size_t i = 0; i < n && numeric; i++) {
            const char *s = t.text[i * t.ncols + j];
            char *end;
            c[i] = strtod(s, &end);
            if (!*s || strcmp(s, "NA") == 0)
                c[i] = NAN;
            else if (*end)
                numeric = 0;
        }
        if (!numeric) {
            free(c);
            continue;
        }
        codes[ncols] = t.header[j];
        cols[ncols++] = c;
    }
    for (size_t i = 0; i < n; i++) {
        units[i] = t.text[i * t.ncols + ucode];
        group[i] = strcmp(t.text[i * t.ncols + grp], "Asia") == 0 ? 0 : 1;
    }
    const char *group_codes[] = {"Asia", "Europe"};
    qala_index_grouping grouping = {"EurAsia_group", 2, group_codes, group};
    qala_index_input input = {
        .nunits = n, .unit_codes = units, .nperiods = 1, .periods = NULL,
        .ncolumns = ncols, .column_codes = codes, .columns = (const double *const *)cols,
        .ngroupings = 1, .groupings = &grouping};

    qala_sens_factors *f;
    if (qala_sens_factors_new(&f) != QALA_OK ||
        qala_sens_factors_load_json(f, factors_json, strlen(factors_json), "bench") != QALA_OK)
        die("factors");
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.design = QALA_SENS_SOBOL;
    opt.n = nrows;
    opt.threads = threads;
    qala_sens_result *r;
    double t0 = now();
    if (qala_sens_run(&r, tree, &input, f, &opt) != QALA_OK)
        die("qala_sens_run");
    double secs = now() - t0;
    printf("asem_runs=%zu\nasem_threads=%u\nasem_seconds=%.6f\n", qala_sens_result_runs_done(r),
           threads, secs);
    const qala_sobol_index *si = qala_sens_result_sobol(r, 0);
    for (size_t i = 0; i < qala_sens_factors_count(f); i++)
        printf("asem_total_%s=%.4f\n", qala_sens_factor_name(f, i), si[i].total);
    qala_sens_result_free(r);
    qala_sens_factors_free(f);
    for (size_t j = 0; j < ncols; j++)
        free(cols[j]);
    free(cols);
    free(codes);
    free(units);
    free(group);
    table_free(&t);
    qala_findings_free(findings);
    qala_index_spec_free(spec);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "asem") == 0)
        return run_asem(argv[2], (size_t)atol(argv[3]), (unsigned)atoi(argv[4]));
    fprintf(stderr, "usage: bench_sensitivity asem SHARED_DIR N THREADS\n");
    return 2;
}
