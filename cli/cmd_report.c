/* cli/cmd_report.c — `qala report`: the self-contained HTML report (qala/report.h) of the
 * database, or of the embedded demo statistics when there is none, written to a file
 * (report.html by default, "-" for the standard output); with --format json, the data
 * object the page renders (docs/report-data.md) instead. --sensitivity N adds the rank
 * intervals of N uncertainty runs of the index (--seed S, default 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int write_all(cli_ctx *ctx, const char *path, const char *bytes, size_t len)
{
    FILE *f = strcmp(path, "-") == 0 ? ctx->out : fopen(path, "wb");
    if (!f) {
        fprintf(ctx->err, "qala report: cannot write '%s': ", path);
        perror(NULL);
        return EXIT_IO;
    }
    int ok = fwrite(bytes, 1, len, f) == len;
    if (f != ctx->out)
        ok &= fclose(f) == 0;
    if (!ok) {
        fprintf(ctx->err, "qala report: writing '%s' failed\n", path);
        return EXIT_IO;
    }
    return EXIT_OK;
}

/* A whole number from 0 to max into *out; prints the error and returns 1 when it is not. */
static int parse_whole(cli_ctx *ctx, const char *opt, const char *text, unsigned long max,
                       unsigned long long *out)
{
    char *end;
    *out = strtoull(text, &end, 10);
    if (!*text || *end || text[0] == '-' || *out > max) {
        fprintf(ctx->err, "qala report: --%s '%s': expected a whole number from 0 to %lu\n", opt, text, max);
        return 1;
    }
    return 0;
}

int cmd_report(cli_ctx *ctx, int argc, char **argv)
{
    const char *period = NULL, *spec = NULL, *out = NULL, *unit = NULL, *sens = NULL, *seed = NULL;
    const cli_option options[] = {{"period", 1, &period}, {"spec", 1, &spec}, {"out", 1, &out},
                                  {"unit", 1, &unit}, {"sensitivity", 1, &sens}, {"seed", 1, &seed},
                                  {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "report");
    if (rc)
        return rc;
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    unsigned long long runs = 0, s = 1;
    if ((sens && parse_whole(ctx, "sensitivity", sens, QALA_REPORT_MAX_SENSITIVITY_RUNS, &runs)) ||
        (seed && parse_whole(ctx, "seed", seed, 4294967295u, &s)))
        return EXIT_USAGE;
    opt.sensitivity_runs = (size_t)runs;
    opt.sensitivity_seed = (unsigned long)s;
    opt.lang = ctx->lang;
    opt.at = ctx->at;
    if (period && qala_period_parse(&opt.period, period, strlen(period)) != QALA_OK) {
        fprintf(ctx->err, "qala report: --period: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    int exists = access(ctx->db_path, F_OK) == 0;
    if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | (exists ? LOAD_STORE : 0))) != EXIT_OK)
        return rc;
    size_t u;
    if (unit) {
        if ((rc = cli_resolve_unit(ctx, unit, &u)) != EXIT_OK)
            return rc;
        opt.unit = qala_registry_unit(ctx->reg, u)->code;
    }
    cli_index ix = {0};
    ix.spec_name = spec;
    if (spec && (rc = cli_index_load_spec(ctx, &ix, "report")) != EXIT_OK) {
        cli_index_free(&ix);
        return rc;
    }
    opt.index_spec = ix.spec;
    char *bytes = NULL;
    size_t len = 0;
    int json = ctx->format == FORMAT_JSON;
    qala_status st = json ? qala_report_data(&bytes, &len, exists ? ctx->store : NULL, &opt)
                          : qala_report_html(&bytes, &len, exists ? ctx->store : NULL, &opt);
    if (st != QALA_OK)
        rc = cli_fail(ctx, st, "report");
    const char *path = out ? out : json ? "-" : "report.html";
    if (rc == EXIT_OK)
        rc = write_all(ctx, path, bytes, len);
    if (rc == EXIT_OK && strcmp(path, "-") != 0) {
        char at[11];
        qala_date_format(at, ctx->at);
        fprintf(ctx->out, "qala report: wrote %s (%zu KB; %s; typology as of %s)\n", path, (len + 1023) / 1024,
                exists ? ctx->db_path : "embedded demo data, no database", at);
    }
    qala_free(bytes);
    cli_index_free(&ix);
    return rc;
}
