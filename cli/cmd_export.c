/* cli/cmd_export.c — `qala export`: stored observations as CSV or JSON with stable
 * columns unit,indicator,period,value,flag,batch,line (batch and line: where the value
 * came from), or as SDMX-CSV 1.0/2.0 (--format sdmx-csv); `--as-of` gives what was
 * known then. Streams: constant memory.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct export_ctx {
    cli_ctx *cli;
    size_t rows;
    const qala_sdmx_export_options *sdmx; /* NULL: CSV or JSON */
} export_ctx;

static int print_sdmx_row(export_ctx *ex, const qala_store_row *row)
{
    char line[1024];
    size_t n = qala_sdmx_format_row(line, sizeof line, ex->sdmx, row->unit, row->indicator, row->period,
                                    row->value, row->flag);
    if (n >= sizeof line) {
        char *big = malloc(n + 1);
        if (!big)
            return 1;
        qala_sdmx_format_row(big, n + 1, ex->sdmx, row->unit, row->indicator, row->period, row->value,
                             row->flag);
        fputs(big, ex->cli->out);
        free(big);
    } else {
        fputs(line, ex->cli->out);
    }
    ex->rows++;
    return ferror(ex->cli->out) != 0;
}

/* Writes one observation as a CSV line or a JSON object (streaming: no row is kept). */
static int print_row(void *ctx, const qala_store_row *row)
{
    export_ctx *ex = ctx;
    if (ex->sdmx)
        return print_sdmx_row(ex, row);
    FILE *f = ex->cli->out;
    char period[12], value[40];
    qala_period_format(period, row->period);
    if (isnan(row->value))
        value[0] = '\0';
    else
        snprintf(value, sizeof value, "%.15g", row->value);
    if (ex->cli->format == FORMAT_JSON) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:I}", "unit", row->unit, "indicator",
                              row->indicator, "period", period, "value",
                              isnan(row->value) ? json_null() : json_real(row->value), "flag",
                              row->flag ? json_string(qala_flag_code(row->flag)) : json_null(),
                              "batch", (json_int_t)row->batch, "line", (json_int_t)row->line);
        char *text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_COMPACT);
        fprintf(f, "%s\n  %s", ex->rows ? "," : "", text ? text : "null");
        free(text);
        json_decref(o);
    } else {
        cli_csv_field(f, row->unit, strlen(row->unit));
        fputc(',', f);
        cli_csv_field(f, row->indicator, strlen(row->indicator));
        fprintf(f, ",%s,%s,%s,%lld,%ld\n", period, value, qala_flag_code(row->flag),
                (long long)row->batch, row->line);
    }
    ex->rows++;
    return ferror(f) != 0;
}

/* Splits "a,b,c" in place into at most max pieces. */
static size_t split(char *s, const char **out, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
        out[n++] = tok;
    return n;
}

int cmd_export(cli_ctx *ctx, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) /* a workbook: cmd_export_xlsx.c */
        if (strcmp(argv[i], "--format=xlsx") == 0 || (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
                                                      strcmp(argv[i + 1], "xlsx") == 0))
            return cli_export_xlsx(ctx, argc, argv);
    const char *units = NULL, *indicators = NULL, *from = NULL, *to = NULL, *as_of = NULL;
    const char *sdmx_version = NULL, *dataflow = NULL, *sdmx_map = NULL;
    const cli_option options[] = {{"unit", 1, &units}, {"indicator", 1, &indicators}, {"from", 1, &from},
                                  {"to", 1, &to}, {"as-of", 1, &as_of}, {"sdmx-version", 1, &sdmx_version},
                                  {"dataflow", 1, &dataflow}, {"sdmx-map", 1, &sdmx_map}, {NULL, 0, NULL}};
    /* --format sdmx-csv is this command's own: taken out before the common parsing */
    int sdmx = 0, kept = 0;
    char **args = malloc(((size_t)argc + 1) * sizeof *args);
    if (!args)
        return cli_fail(ctx, QALA_ENOMEM, NULL);
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--format=sdmx-csv") == 0) {
            sdmx = 1;
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc && strcmp(argv[i + 1], "sdmx-csv") == 0) {
            sdmx = 1;
            i++;
        } else {
            args[kept++] = argv[i];
        }
    }
    int npos, rc = cli_parse(ctx, kept, args, options, NULL, 0, &npos, "export");
    free(args);
    if (rc)
        return rc;
    qala_sdmx_export_options sopt = QALA_SDMX_EXPORT_OPTIONS_INIT;
    if (!sdmx && (sdmx_version || dataflow || sdmx_map)) {
        fprintf(ctx->err, "qala export: --sdmx-version, --dataflow and --sdmx-map go with --format sdmx-csv\n");
        return EXIT_USAGE;
    }
    if (sdmx_version) {
        if (strcmp(sdmx_version, "1") != 0 && strcmp(sdmx_version, "2") != 0 &&
            strcmp(sdmx_version, "1.0") != 0 && strcmp(sdmx_version, "2.0") != 0) {
            fprintf(ctx->err, "qala export: --sdmx-version '%s': expected 1 or 2\n", sdmx_version);
            return EXIT_USAGE;
        }
        sopt.sdmx_version = sdmx_version[0] - '0';
    }
    if (dataflow) {
        if (qala_sdmx_check_dataflow(dataflow) != QALA_OK) {
            fprintf(ctx->err, "qala export: --dataflow: %s\n", qala_error_last()->message);
            return EXIT_USAGE;
        }
        sopt.dataflow = dataflow;
    }
    if (ctx->format == FORMAT_TABLE)
        ctx->format = FORMAT_CSV;
    qala_store_query q = {0};
    if ((from && qala_period_parse(&q.period_min, from, strlen(from)) != QALA_OK) ||
        (to && qala_period_parse(&q.period_max, to, strlen(to)) != QALA_OK)) {
        fprintf(ctx->err, "qala export: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    if (as_of) {
        qala_date d;
        if (strlen(as_of) <= 10 && qala_date_parse(&d, as_of, 0) != QALA_OK) {
            fprintf(ctx->err, "qala export: --as-of: %s\n", qala_error_last()->message);
            return EXIT_USAGE;
        }
        q.as_of = as_of;
    }
    if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | LOAD_STORE)) != EXIT_OK)
        return rc;
    char *ubuf = units ? strdup(units) : NULL, *ibuf = indicators ? strdup(indicators) : NULL;
    const char *ulist[256], *ilist[256];
    if (ubuf) {
        q.nunits = split(ubuf, ulist, 256);
        for (size_t i = 0; i < q.nunits && rc == EXIT_OK; i++) {
            size_t u;
            if ((rc = cli_resolve_unit(ctx, ulist[i], &u)) == EXIT_OK)
                ulist[i] = qala_registry_unit(ctx->reg, u)->code;
        }
        q.units = ulist;
    }
    if (ibuf) {
        q.nindicators = split(ibuf, ilist, 256);
        q.indicators = ilist;
    }
    qala_sdmx_map *smap = NULL;
    if (rc == EXIT_OK && sdmx)
        rc = cli_load_sdmx_map(ctx, "export", sdmx_map, &smap);
    sopt.map = smap;
    export_ctx ex = {ctx, 0, sdmx ? &sopt : NULL};
    if (rc == EXIT_OK && sdmx) {
        char head[128];
        qala_sdmx_format_header(head, sizeof head, &sopt);
        fputs(head, ctx->out);
        qala_status st = qala_store_each_observation(ctx->store, &q, print_row, &ex);
        if (st != QALA_OK)
            rc = cli_fail(ctx, st, NULL);
    } else if (rc == EXIT_OK) {
        if (ctx->format == FORMAT_JSON)
            fputs("[", ctx->out);
        else
            fputs("unit,indicator,period,value,flag,batch,line\n", ctx->out);
        qala_status st = qala_store_each_observation(ctx->store, &q, print_row, &ex);
        if (ctx->format == FORMAT_JSON)
            fputs(ex.rows ? "\n]\n" : "]\n", ctx->out);
        if (st != QALA_OK)
            rc = cli_fail(ctx, st, NULL);
    }
    free(ubuf);
    free(ibuf);
    qala_sdmx_map_free(smap);
    return rc;
}
