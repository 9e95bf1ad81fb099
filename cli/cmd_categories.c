/* cli/cmd_categories.c — `qala categories`: the monotown early-warning category of each
 * eligible unit (1 most difficult, 2 at risk, 3 stable, or no data) for a period, with
 * the rules that fired. The rules are data (docs/categories.md): the embedded default
 * set, or a file given with --rules.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p) {
                free(buf);
                buf = NULL;
            } else {
                buf = p;
            }
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* "1", "2", "3", or no data: in words of the language in a table, "no_data" in CSV and
 * JSON. */
static const char *category_word(const cli_ctx *ctx, int c, int table)
{
    static const char *const words[] = {"no_data", "1", "2", "3"};
    return c == 0 && table ? cli_msg(ctx, MSG_NO_DATA) : c >= 0 && c <= 3 ? words[c] : "?";
}

int cmd_categories(cli_ctx *ctx, int argc, char **argv)
{
    const char *period = NULL, *rules_path = NULL, *all = NULL;
    const cli_option options[] = {{"period", 1, &period}, {"rules", 1, &rules_path}, {"all", 0, &all},
                                  {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "categories");
    if (rc)
        return rc;
    if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | LOAD_STORE)) != EXIT_OK ||
        (rc = cli_load_thresholds(ctx)) != EXIT_OK)
        return rc;
    qala_period p = 0;
    if (period && qala_period_parse(&p, period, strlen(period)) != QALA_OK) {
        fprintf(ctx->err, "qala categories: --period: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    qala_category_rules *rules = NULL;
    qala_findings *f = NULL;
    qala_dataset *ds = NULL;
    qala_category_result *res = NULL;
    char *text = NULL;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_category_rules_new(&rules);
    if (st == QALA_OK && rules_path) {
        size_t len;
        if (!(text = read_all(rules_path, &len))) {
            fprintf(ctx->err, "qala categories: cannot read '%s'\n", rules_path);
            rc = EXIT_IO;
            goto done;
        }
        st = qala_category_rules_load_csv(rules, text, len, rules_path, ctx->fw, ctx->reg, f);
    } else if (st == QALA_OK) {
        st = qala_category_rules_load_default(rules, ctx->fw, ctx->reg, f);
    }
    cli_print_findings(ctx, f);
    if (st == QALA_OK)
        st = qala_dataset_new(&ds);
    if (st == QALA_OK)
        st = qala_store_query_observations(ctx->store, NULL, ds);
    if (st == QALA_OK)
        st = qala_dataset_sort(ds);
    if (st == QALA_OK && !p && !(p = cli_default_period(ctx, ds))) {
        fprintf(ctx->err, "qala categories: %s: no observations (import some, or run 'qala demo')\n", ctx->db_path);
        rc = EXIT_DATA;
        goto done;
    }
    if (st == QALA_OK)
        st = qala_category_evaluate(&res, ds, rules, ctx->thresholds, ctx->fw, ctx->reg, p);
    if (st != QALA_OK) {
        rc = cli_fail(ctx, st, NULL);
        goto done;
    }
    static const char *const keys[] = {"unit", "name", "period", "category", "eligible", "evaluated", "rules"};
    const char *headings[] = {cli_msg(ctx, MSG_CODE), cli_msg(ctx, MSG_NAME), cli_msg(ctx, MSG_PERIOD),
                              cli_msg(ctx, MSG_CATEGORY), cli_msg(ctx, MSG_ELIGIBLE), cli_msg(ctx, MSG_EVALUATED),
                              cli_msg(ctx, MSG_RULES)};
    int table = ctx->format == FORMAT_TABLE;
    cli_table *t = cli_table_new(7, keys, headings);
    cli_table_numeric(t, 5);
    char pbuf[12];
    qala_period_format(pbuf, p);
    for (size_t i = 0; i < res->n; i++) {
        if (!res->eligible[i] && !all)
            continue;
        const char *code = qala_dataset_unit_code(ds, res->unit[i]);
        size_t u;
        const char *name = qala_registry_find(ctx->reg, code, &u) == QALA_OK
                               ? qala_registry_name_at(ctx->reg, u, ctx->lang, qala_period_start(p))
                               : code;
        char fired[1024] = "", evaluated[8];
        size_t len = 0;
        for (size_t k = res->fired_start[i]; k < res->fired_start[i + 1] && len < sizeof fired; k++)
            len += (size_t)snprintf(fired + len, sizeof fired - len, "%s%s", len ? "; " : "",
                                    qala_category_rules_get(rules, res->fired[k])->id);
        snprintf(evaluated, sizeof evaluated, "%u", (unsigned)res->evaluated[i]);
        const char *cells[] = {code, name, pbuf, res->eligible[i] ? category_word(ctx, res->category[i], table) : "",
                               table ? cli_msg(ctx, res->eligible[i] ? MSG_YES : MSG_NO)
                                     : res->eligible[i] ? "yes" : "no",
                               evaluated, fired};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
done:
    qala_category_result_free(res);
    qala_category_rules_free(rules);
    qala_dataset_free(ds);
    qala_findings_free(f);
    free(text);
    return rc;
}
