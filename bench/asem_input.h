/* bench/asem_input.h — COINr's ASEM example as an index input, for the benchmarks
 * (bench_index.c, bench_sensitivity.c): SHARED/data/coinr-asem/COINr_ASEM_iData.csv read
 * with the library's CSV reader, every numeric column an input column (NA and empty are
 * NAN), the units by uCode and the grouping "EurAsia_group" (Asia, Europe), as the
 * embedded spec data/index/asem.json expects. Benchmark code: it exits on a bad file.
 */
#ifndef QALA_BENCH_ASEM_INPUT_H
#define QALA_BENCH_ASEM_INPUT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "qala/qala.h"

typedef struct asem_input {
    size_t nrows, ncols;       /* of the file */
    char **header, **text;     /* ncols; nrows × ncols */
    const char **codes;        /* column codes of the numeric columns */
    double **cols;
    const char **units;
    uint32_t *group;
    const char *group_codes[2];
    qala_index_grouping grouping;
    qala_index_input input;
} asem_input;

static void asem_input_fail(const char *who, const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", who, what, qala_error_last()->message);
    exit(1);
}

static size_t asem_input_col(const asem_input *a, const char *name)
{
    for (size_t j = 0; j < a->ncols; j++)
        if (strcmp(a->header[j], name) == 0)
            return j;
    return SIZE_MAX;
}

static void asem_input_load(asem_input *a, const char *shared, const char *who)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/data/coinr-asem/COINr_ASEM_iData.csv", shared);
    memset(a, 0, sizeof *a);
    qala_csv *csv;
    if (qala_csv__open_file(&csv, path, NULL, NULL) != QALA_OK || qala_csv__next(csv) != 1)
        asem_input_fail(who, path);
    a->ncols = qala_csv__nfields(csv);
    a->header = calloc(a->ncols, sizeof *a->header);
    for (size_t j = 0; j < a->ncols; j++)
        a->header[j] = strdup(qala_csv__field(csv, j, NULL));
    size_t cap = 0;
    while (qala_csv__next(csv) == 1) {
        if (a->nrows == cap) {
            cap = cap ? 2 * cap : 64;
            a->text = realloc(a->text, cap * a->ncols * sizeof *a->text);
        }
        for (size_t j = 0; j < a->ncols; j++)
            a->text[a->nrows * a->ncols + j] = strdup(qala_csv__field(csv, j, NULL));
        a->nrows++;
    }
    qala_csv__close(csv);

    size_t n = a->nrows, ucode = asem_input_col(a, "uCode"), grp = asem_input_col(a, "EurAsia_group");
    if (ucode == SIZE_MAX || grp == SIZE_MAX) {
        fprintf(stderr, "%s: %s: no uCode or EurAsia_group column\n", who, path);
        exit(1);
    }
    a->codes = calloc(a->ncols, sizeof *a->codes);
    a->cols = calloc(a->ncols, sizeof *a->cols);
    a->units = calloc(n, sizeof *a->units);
    a->group = calloc(n, sizeof *a->group);
    size_t ncols = 0;
    for (size_t j = 0; j < a->ncols; j++) {
        if (j == ucode || j == grp)
            continue;
        double *c = malloc(n * sizeof *c);
        int numeric = 1;
        for (size_t i = 0; i < n && numeric; i++) {
            const char *s = a->text[i * a->ncols + j];
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
        a->codes[ncols] = a->header[j];
        a->cols[ncols++] = c;
    }
    for (size_t i = 0; i < n; i++) {
        a->units[i] = a->text[i * a->ncols + ucode];
        a->group[i] = strcmp(a->text[i * a->ncols + grp], "Asia") == 0 ? 0 : 1;
    }
    a->group_codes[0] = "Asia";
    a->group_codes[1] = "Europe";
    a->grouping = (qala_index_grouping){"EurAsia_group", 2, a->group_codes, a->group};
    a->input = (qala_index_input){
        .nunits = n, .unit_codes = a->units, .nperiods = 1, .periods = NULL,
        .ncolumns = ncols, .column_codes = a->codes, .columns = (const double *const *)a->cols,
        .ngroupings = 1, .groupings = &a->grouping};
}

static void asem_input_free(asem_input *a)
{
    for (size_t j = 0; j < a->input.ncolumns; j++)
        free(a->cols[j]);
    for (size_t j = 0; j < a->ncols; j++)
        free(a->header[j]);
    for (size_t i = 0; i < a->nrows * a->ncols; i++)
        free(a->text[i]);
    free(a->header);
    free(a->text);
    free(a->codes);
    free(a->cols);
    free(a->units);
    free(a->group);
}

#endif
