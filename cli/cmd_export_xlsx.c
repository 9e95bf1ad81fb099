/* cli/cmd_export_xlsx.c — `qala export --format xlsx --out FILE`: the scoreboard (cells
 * filled by zone), the composite index and the observations with flags as one workbook
 * (qala_xlsx_export). cmd_export.c hands over when it sees --format xlsx.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_export_xlsx(cli_ctx *ctx, int argc, char **argv)
{
    /* --format xlsx is ours: the common parser knows only table, csv and json. */
    char **args = malloc(((size_t)argc + 1) * sizeof *args);
    if (!args)
        return cli_fail(ctx, QALA_ENOMEM, NULL);
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--format=xlsx") == 0)
            continue;
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc && strcmp(argv[i + 1], "xlsx") == 0) {
            i++;
            continue;
        }
        args[n++] = argv[i];
    }
    const char *out = NULL, *period = NULL, *spec = NULL;
    const cli_option options[] = {{"out", 1, &out}, {"period", 1, &period}, {"spec", 1, &spec}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, n, args, options, NULL, 0, &npos, "export");
    free(args);
    if (rc)
        return rc;
    if (!out) {
        fprintf(ctx->err, "qala export: --format xlsx needs --out FILE (a workbook is not written to a terminal)\n");
        return EXIT_USAGE;
    }
    qala_xlsx_options opt = QALA_XLSX_OPTIONS_INIT;
    opt.lang = ctx->lang;
    opt.spec = spec;
    if (period && qala_period_parse(&opt.period, period, strlen(period)) != QALA_OK) {
        fprintf(ctx->err, "qala export: --period: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    if ((rc = cli_load(ctx, LOAD_STORE)) != EXIT_OK)
        return rc;
    qala_status st = qala_xlsx_export(out, ctx->store, &opt);
    if (st != QALA_OK)
        return cli_fail(ctx, st, out);
    fprintf(ctx->err, "qala export: wrote %s (sheets Scoreboard, Thresholds, Index, Observations)\n", out);
    return EXIT_OK;
}
