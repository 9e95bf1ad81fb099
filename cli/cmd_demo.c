/* cli/cmd_demo.c — `qala demo`: a database with the embedded registry, framework and
 * the demo statistics of Kazakhstan (data/demo/, curated from BNS RK figures), then a
 * summary and the source document's Table 1 (monocities by region) as the registry
 * gives it for 2021 and for today.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_print_summary(cli_ctx *ctx);
int cli_init_store(cli_ctx *ctx);

static int import_embedded(cli_ctx *ctx, const char *name)
{
    size_t len;
    const char *bytes = qala_default_data(name, &len);
    qala_findings *f = NULL;
    qala_dataset *ds = NULL;
    qala_import_stats stats;
    qala_batch_result res = {0};
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_dataset_new(&ds);
    if (st == QALA_OK)
        st = qala_import_buffer(ds, f, &stats, bytes, len, name, ctx->reg, ctx->fw, NULL);
    cli_print_findings(ctx, f);
    if (st == QALA_OK) {
        char sha[65], file[300];
        qala_sha256_hex(sha, bytes, len);
        snprintf(file, sizeof file, "embedded:%s", name);
        qala_batch_info info = {file, sha, "qala demo"};
        st = qala_store_import(ctx->store, ds, &info, &res);
    }
    int rc = st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, name);
    if (rc == EXIT_OK)
        fprintf(ctx->out, "  %-40s %6zu %s\n", name, stats.observations, cli_msg(ctx, MSG_SUMMARY_OBSERVATIONS));
    qala_dataset_free(ds);
    qala_findings_free(f);
    return rc;
}

/* Table 1 of the source document: monocities per region at a date. */
static void monocities_by_region(cli_ctx *ctx, qala_date at)
{
    size_t g;
    if (qala_registry_find_group(ctx->reg, "monocity", &g) != QALA_OK)
        return;
    char date[11];
    qala_date_format(date, at);
    fprintf(ctx->out, "\n%s — %s\n", qala_registry_group(ctx->reg, g)->name[ctx->lang == QALA_LANG_KK_LATN ? 0 : ctx->lang], date);
    size_t n = qala_registry_unit_count(ctx->reg);
    for (size_t r = 0; r < n; r++) {
        char line[1024];
        size_t len = 0, count = 0;
        for (size_t u = 0; u < n; u++) {
            size_t reg;
            if (!qala_registry_in_group_at(ctx->reg, g, u, at) ||
                qala_registry_region_at(ctx->reg, u, at, &reg) != QALA_OK || reg != r)
                continue;
            len += (size_t)snprintf(line + len, len < sizeof line ? sizeof line - len : 0, "%s%s",
                                    count ? ", " : "", qala_registry_name_at(ctx->reg, u, ctx->lang, at));
            count++;
        }
        if (count)
            fprintf(ctx->out, "  %-28s %zu  %s\n", qala_registry_name_at(ctx->reg, r, ctx->lang, at), count, line);
    }
}

int cmd_demo(cli_ctx *ctx, int argc, char **argv)
{
    const char *force = NULL;
    const cli_option options[] = {{"force", 0, &force}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "demo");
    if (rc)
        return rc;
    if (force) {
        char aux[4096];
        unlink(ctx->db_path);
        snprintf(aux, sizeof aux, "%s-wal", ctx->db_path);
        unlink(aux);
        snprintf(aux, sizeof aux, "%s-shm", ctx->db_path);
        unlink(aux);
    }
    qala_status st = qala_store_open(&ctx->store, ctx->db_path, QALA_STORE_CREATE);
    if (st != QALA_OK)
        return cli_fail(ctx, st, NULL);
    if (!qala_store_is_initialised(ctx->store) && (rc = cli_init_store(ctx)) != EXIT_OK)
        return rc;
    if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | LOAD_STORE_WRITE)) != EXIT_OK)
        return rc;
    fprintf(ctx->out, "qala %s — demo\n", qala_version());
    for (size_t i = 0; qala_default_data_name(i) && rc == EXIT_OK; i++) {
        const char *name = qala_default_data_name(i);
        size_t n = strlen(name);
        if (strncmp(name, "demo/", 5) == 0 && n > 4 && strcmp(name + n - 4, ".csv") == 0)
            rc = import_embedded(ctx, name);
    }
    if (rc != EXIT_OK)
        return rc;
    cli_print_summary(ctx);
    monocities_by_region(ctx, 20210101);
    monocities_by_region(ctx, ctx->at);
    fprintf(ctx->out, "\nNext: qala units --db %s --group monocity; qala show Temirtau --db %s; "
                      "qala export --db %s --indicator unemployment_ilo_pct\n",
            ctx->db_path, ctx->db_path, ctx->db_path);
    return EXIT_OK;
}
