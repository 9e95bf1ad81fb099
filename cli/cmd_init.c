/* cli/cmd_init.c — `qala init`: a database with the embedded Kazakhstan registry,
 * indicator framework and default threshold set; also the summary that init, import and
 * demo print.
 */
#include <string.h>

#include "cli.h"

void cli_print_summary(cli_ctx *ctx);

void cli_print_summary(cli_ctx *ctx)
{
    qala_store_counts n;
    if (qala_store_counts_get(ctx->store, &n) != QALA_OK)
        return;
    fprintf(ctx->out, "%s: %s\n  %zu %s, %zu %s, %zu %s\n  %zu %s, %zu %s\n",
            cli_msg(ctx, MSG_SUMMARY_DB), ctx->db_path, n.units, cli_msg(ctx, MSG_SUMMARY_UNITS),
            n.groups, cli_msg(ctx, MSG_SUMMARY_GROUPS), n.indicators,
            cli_msg(ctx, MSG_SUMMARY_INDICATORS), n.observations,
            cli_msg(ctx, MSG_SUMMARY_OBSERVATIONS), n.batches, cli_msg(ctx, MSG_SUMMARY_BATCHES));
}

/* Loads the embedded defaults, checks them and saves them into ctx->store. */
int cli_init_store(cli_ctx *ctx);

int cli_init_store(cli_ctx *ctx)
{
    qala_findings *f = NULL;
    qala_registry *reg = NULL;
    qala_framework *fw = NULL;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_registry_new(&reg);
    if (st == QALA_OK)
        st = qala_registry_load_default(reg, f);
    if (st == QALA_OK)
        st = qala_registry_check(reg, f);
    if (st == QALA_OK)
        st = qala_framework_new(&fw);
    if (st == QALA_OK)
        st = qala_framework_load_default(fw, f);
    if (st == QALA_OK)
        st = qala_store_save_registry(ctx->store, reg);
    if (st == QALA_OK)
        st = qala_store_save_framework(ctx->store, fw);
    /* the default threshold set, checked, kept as a threshold file of the database */
    qala_thresholds *th = NULL;
    size_t len;
    const char *text = qala_default_data("thresholds/default.csv", &len);
    if (st == QALA_OK)
        st = qala_thresholds_new(&th);
    if (st == QALA_OK && text)
        st = qala_thresholds_load_csv(th, text, len, "thresholds/default.csv", fw, reg, f);
    if (st == QALA_OK && text)
        st = qala_store_save_threshold_file(ctx->store, "thresholds/default.csv", text, len);
    qala_thresholds_free(th);
    int rc = EXIT_OK;
    if (st != QALA_OK) {
        cli_print_findings(ctx, f);
        rc = cli_fail(ctx, st, "initialising the database");
    }
    qala_registry_free(reg);
    qala_framework_free(fw);
    qala_findings_free(f);
    return rc;
}

int cmd_init(cli_ctx *ctx, int argc, char **argv)
{
    const char *force = NULL;
    const cli_option options[] = {{"force", 0, &force}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "init");
    if (rc)
        return rc;
    qala_status st = qala_store_open(&ctx->store, ctx->db_path, QALA_STORE_CREATE);
    if (st != QALA_OK)
        return cli_fail(ctx, st, NULL);
    if (qala_store_is_initialised(ctx->store) && !force) {
        fprintf(ctx->err, "qala: %s is already initialised (use --force to reload the registry and framework)\n",
                ctx->db_path);
        cli_print_summary(ctx);
        return EXIT_OK;
    }
    if ((rc = cli_init_store(ctx)) != EXIT_OK)
        return rc;
    cli_print_summary(ctx);
    return EXIT_OK;
}
