/* cli/cmd_annotate.c — `qala annotate`: an analyst's reading of a flag. A flag is not a
 * verdict: the analyst records confirmed, dismissed or watch, with a note; monitor and
 * alerts show the latest reading beside the flag. `--list` shows them all.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct list_ctx {
    cli_table *t;
} list_ctx;

static int add_row(void *ctx, const qala_annotation *a)
{
    list_ctx *l = ctx;
    char period[12];
    qala_period_format(period, a->period);
    const char *cells[] = {a->unit, a->indicator, period, qala_verdict_code(a->verdict), a->note,
                           a->author, a->created_at};
    cli_table_add(l->t, cells);
    return 0;
}

int cmd_annotate(cli_ctx *ctx, int argc, char **argv)
{
    const char *verdict = NULL, *note = NULL, *author = NULL, *list = NULL, *unit_opt = NULL;
    const cli_option options[] = {{"verdict", 1, &verdict}, {"note", 1, &note}, {"author", 1, &author},
                                  {"list", 0, &list}, {"unit", 1, &unit_opt}, {NULL, 0, NULL}};
    const char *pos[3];
    int npos, rc = cli_parse(ctx, argc, argv, options, pos, 3, &npos, "annotate");
    if (rc)
        return rc;
    if (list) {
        if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_STORE)) != EXIT_OK)
            return rc;
        const char *code = NULL;
        size_t u;
        if (unit_opt) {
            if ((rc = cli_resolve_unit(ctx, unit_opt, &u)) != EXIT_OK)
                return rc;
            code = qala_registry_unit(ctx->reg, u)->code;
        }
        static const char *const keys[] = {"unit", "indicator", "period", "verdict", "note", "author", "created_at"};
        list_ctx l = {cli_table_new(7, keys, NULL)};
        qala_status st = qala_store_each_annotation(ctx->store, code, 0, add_row, &l);
        if (st == QALA_OK)
            cli_table_print(ctx, l.t);
        cli_table_free(l.t);
        return st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, NULL);
    }
    if (npos != 3 || !verdict) {
        fprintf(ctx->err, "qala annotate: expected UNIT INDICATOR PERIOD --verdict confirmed|dismissed|watch "
                          "(see 'qala annotate --help')\n");
        return EXIT_USAGE;
    }
    qala_annotation a = {0};
    if (qala_verdict_parse(&a.verdict, verdict) != QALA_OK) {
        fprintf(ctx->err, "qala annotate: --verdict: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    if (qala_period_parse(&a.period, pos[2], strlen(pos[2])) != QALA_OK) {
        fprintf(ctx->err, "qala annotate: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    a.author = author ? author : getenv("QALA_AUTHOR") ? getenv("QALA_AUTHOR") : getenv("USER");
    if (!a.author || !*a.author) {
        fprintf(ctx->err, "qala annotate: who is writing? give --author NAME (or set QALA_AUTHOR)\n");
        return EXIT_USAGE;
    }
    a.note = note;
    if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | LOAD_STORE_WRITE)) != EXIT_OK)
        return rc;
    size_t u, fi, sugg[3], nsugg;
    if ((rc = cli_resolve_unit(ctx, pos[0], &u)) != EXIT_OK)
        return rc;
    if (qala_framework_match(ctx->fw, pos[1], strlen(pos[1]), &fi, sugg, &nsugg) != QALA_OK) {
        fprintf(ctx->err, "qala annotate: unknown indicator '%s'%s%s%s\n", pos[1], nsugg ? ": did you mean '" : "",
                nsugg ? qala_framework_get(ctx->fw, sugg[0])->code : "", nsugg ? "'?" : "");
        return EXIT_DATA;
    }
    a.unit = qala_registry_unit(ctx->reg, u)->code;
    a.indicator = qala_framework_get(ctx->fw, fi)->code;
    qala_status st = qala_store_annotate(ctx->store, &a);
    if (st != QALA_OK)
        return cli_fail(ctx, st, NULL);
    fprintf(ctx->out, "%s, %s, %s: %s\n", a.unit, a.indicator, pos[2], qala_verdict_code(a.verdict));
    return EXIT_OK;
}
