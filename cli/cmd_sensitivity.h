/* cli/cmd_sensitivity.h — what `qala sensitivity` (cmd_sensitivity.c: options, factors,
 * the runs) hands to its outputs (cmd_sensitivity_out.c: the tables, CSV, JSON and
 * --out files).
 */
#ifndef QALA_CLI_CMD_SENSITIVITY_H
#define QALA_CLI_CMD_SENSITIVITY_H

#include <stdio.h>

#include "cli.h"

typedef struct analysis {
    const char *key;           /* "uncertainty" or "sobol" */
    qala_sens_result *res;
} analysis;

typedef struct view {
    cli_ctx *ctx;
    cli_index *ix;
    const qala_sens_factors *fs;
    size_t top_k;
    const char *unit;          /* --unit's code, or NULL */
    size_t unit_index;         /* its input index */
    analysis an[2];
    size_t nan;
} view;

/* The ranks (and Sobol indices) as a table on ctx->out, coloured on a terminal. */
void sens_print_table(const view *v);
/* Everything as one JSON document: seed, factors, every run, summaries, histograms. */
void sens_print_json(const view *v, FILE *f);
/* Everything as one long CSV table (a section column). */
void sens_print_csv(const view *v, FILE *f);
/* sensitivity.json and sensitivity.csv in dir (created); 0 or an exit status. */
int sens_write_out(const view *v, const char *dir);

#endif
