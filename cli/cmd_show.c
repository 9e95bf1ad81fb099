/* cli/cmd_show.c — `qala show UNIT`: names over time, groups, region over time and the
 * latest stored value of each indicator. Text on a terminal, one JSON object with
 * --format json.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "cli.h"

static void date_range(char *buf, size_t n, qala_date from, qala_date to)
{
    char a[11], b[11];
    qala_date_format(a, from);
    qala_date_format(b, to);
    if (!*a && !*b)
        snprintf(buf, n, "—");
    else
        snprintf(buf, n, "%s – %s", *a ? a : "…", *b ? b : "…");
}

/* Latest observation per indicator of unit u from the store (NULL store: none). */
static qala_status latest_values(cli_ctx *ctx, const char *code, qala_dataset **out)
{
    *out = NULL;
    if (!ctx->store)
        return QALA_OK;
    qala_status st = qala_dataset_new(out);
    if (st != QALA_OK)
        return st;
    qala_store_query q = {0};
    q.units = &code;
    q.nunits = 1;
    return qala_store_query_observations(ctx->store, &q, *out);
}

static int show_json(cli_ctx *ctx, size_t u, const qala_dataset *ds)
{
    const qala_unit *unit = qala_registry_unit(ctx->reg, u);
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(unit->code));
    json_object_set_new(o, "kind", json_string(qala_unit_kind_code(unit->kind)));
    json_object_set_new(o, "name", json_string(qala_registry_name_at(ctx->reg, u, ctx->lang, ctx->at)));
    if (!isnan(unit->lat)) {
        json_object_set_new(o, "lat", json_real(unit->lat));
        json_object_set_new(o, "lon", json_real(unit->lon));
    }
    json_t *names = json_array();
    for (size_t i = 0; i < qala_registry_name_count(ctx->reg); i++) {
        const qala_unit_name *n = qala_registry_name(ctx->reg, i);
        if (n->unit != u)
            continue;
        char a[11], b[11];
        qala_date_format(a, n->valid_from);
        qala_date_format(b, n->valid_to);
        json_array_append_new(names, json_pack("{s:s, s:s, s:s, s:s, s:b}", "lang", qala_lang_code(n->lang),
                                               "name", n->name, "valid_from", a, "valid_to", b,
                                               "official", n->official));
    }
    json_object_set_new(o, "names", names);
    json_t *groups = json_array();
    for (size_t i = 0; i < qala_registry_membership_count(ctx->reg); i++) {
        const qala_membership *m = qala_registry_membership(ctx->reg, i);
        if (m->unit == u)
            json_array_append_new(groups, json_string(qala_registry_group(ctx->reg, m->group)->code));
    }
    json_object_set_new(o, "groups", groups);
    json_t *parents = json_array();
    for (size_t i = 0; i < qala_registry_parent_count(ctx->reg); i++) {
        const qala_unit_parent *p = qala_registry_parent(ctx->reg, i);
        if (p->unit != u)
            continue;
        char a[11], b[11];
        qala_date_format(a, p->valid_from);
        qala_date_format(b, p->valid_to);
        json_array_append_new(parents, json_pack("{s:s, s:s, s:s}", "parent",
                                                 qala_registry_unit(ctx->reg, p->parent)->code,
                                                 "valid_from", a, "valid_to", b));
    }
    json_object_set_new(o, "parents", parents);
    json_t *latest = json_array();
    for (size_t i = 0; ds && i < qala_dataset_size(ds); i++) {
        if (i + 1 < qala_dataset_size(ds) && qala_dataset_indicators(ds)[i + 1] == qala_dataset_indicators(ds)[i])
            continue; /* sorted by period: the last of each indicator is the latest */
        char period[12];
        qala_period_format(period, qala_dataset_periods(ds)[i]);
        double v = qala_dataset_values(ds)[i];
        json_array_append_new(latest, json_pack("{s:s, s:s, s:o, s:s}", "indicator",
                                                qala_dataset_indicator_code(ds, qala_dataset_indicators(ds)[i]),
                                                "period", period, "value", isnan(v) ? json_null() : json_real(v),
                                                "flag", qala_flag_code(qala_dataset_flags(ds)[i])));
    }
    json_object_set_new(o, "latest", latest);
    json_dumpf(o, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    fputc('\n', ctx->out);
    json_decref(o);
    return EXIT_OK;
}

static void heading(cli_ctx *ctx, const char *text)
{
    fprintf(ctx->out, "\n%s%s%s\n", ctx->color ? "\033[1m" : "", text, ctx->color ? "\033[0m" : "");
}

static int show_text(cli_ctx *ctx, size_t u, const qala_dataset *ds)
{
    const qala_unit *unit = qala_registry_unit(ctx->reg, u);
    ctx->format = FORMAT_TABLE;
    fprintf(ctx->out, "%s%s%s (%s, %s)\n", ctx->color ? "\033[1;36m" : "",
            qala_registry_name_at(ctx->reg, u, ctx->lang, ctx->at), ctx->color ? "\033[0m" : "",
            unit->code, cli_kind_name(ctx, unit->kind));
    if (!isnan(unit->lat))
        fprintf(ctx->out, "%.4f, %.4f\n", unit->lat, unit->lon);

    heading(ctx, cli_msg(ctx, MSG_ALIASES));
    static const char *const nkeys[] = {"lang", "name", "from_to", "status"};
    const char *nhead[] = {cli_msg(ctx, MSG_LANGUAGE), cli_msg(ctx, MSG_NAME), "", cli_msg(ctx, MSG_STATUS)};
    char range[64];
    nhead[2] = "";
    cli_table *t = cli_table_new(4, nkeys, nhead);
    for (size_t i = 0; t && i < qala_registry_name_count(ctx->reg); i++) {
        const qala_unit_name *n = qala_registry_name(ctx->reg, i);
        if (n->unit != u)
            continue;
        date_range(range, sizeof range, n->valid_from, n->valid_to);
        const char *cells[] = {qala_lang_code(n->lang), n->name, range, n->official ? "official" : "alias"};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);

    heading(ctx, cli_msg(ctx, MSG_GROUPS));
    int lang = ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)ctx->lang;
    int any = 0;
    for (size_t i = 0; i < qala_registry_membership_count(ctx->reg); i++) {
        const qala_membership *m = qala_registry_membership(ctx->reg, i);
        if (m->unit != u)
            continue;
        const qala_group *g = qala_registry_group(ctx->reg, m->group);
        date_range(range, sizeof range, m->valid_from, m->valid_to);
        fprintf(ctx->out, "  %s (%s) %s — %s\n", g->name[lang], g->code, range, m->source);
        any = 1;
    }
    if (!any)
        fprintf(ctx->out, "  —\n");

    heading(ctx, cli_msg(ctx, MSG_REGION_HISTORY));
    any = 0;
    for (size_t i = 0; i < qala_registry_parent_count(ctx->reg); i++) {
        const qala_unit_parent *p = qala_registry_parent(ctx->reg, i);
        if (p->unit != u)
            continue;
        date_range(range, sizeof range, p->valid_from, p->valid_to);
        qala_date when = p->valid_to < QALA_DATE_MAX ? p->valid_to - 1 : ctx->at;
        fprintf(ctx->out, "  %-25s %s (%s)\n", range, qala_registry_name_at(ctx->reg, p->parent, ctx->lang, when),
                qala_registry_unit(ctx->reg, p->parent)->code);
        any = 1;
    }
    if (!any)
        fprintf(ctx->out, "  —\n");

    heading(ctx, cli_msg(ctx, MSG_LATEST));
    if (!ds || qala_dataset_size(ds) == 0) {
        fprintf(ctx->out, "  %s\n", cli_msg(ctx, MSG_NO_DATA));
        return EXIT_OK;
    }
    static const char *const vkeys[] = {"indicator", "period", "value", "flag"};
    const char *vhead[] = {cli_msg(ctx, MSG_INDICATOR), cli_msg(ctx, MSG_PERIOD), cli_msg(ctx, MSG_VALUE),
                           cli_msg(ctx, MSG_FLAG)};
    t = cli_table_new(4, vkeys, vhead);
    cli_table_numeric(t, 2);
    for (size_t i = 0; i < qala_dataset_size(ds); i++) {
        if (i + 1 < qala_dataset_size(ds) && qala_dataset_indicators(ds)[i + 1] == qala_dataset_indicators(ds)[i])
            continue;
        const char *code = qala_dataset_indicator_code(ds, qala_dataset_indicators(ds)[i]);
        size_t fi;
        int dec = 2;
        const char *name = code;
        if (ctx->fw && qala_framework_find(ctx->fw, code, &fi) == QALA_OK) {
            dec = qala_framework_get(ctx->fw, fi)->decimals;
            name = qala_framework_get(ctx->fw, fi)->name[lang];
        }
        char period[12], value[64];
        qala_period_format(period, qala_dataset_periods(ds)[i]);
        double v = qala_dataset_values(ds)[i];
        if (isnan(v))
            snprintf(value, sizeof value, "x");
        else
            snprintf(value, sizeof value, "%.*f", dec, v);
        const char *cells[] = {name, period, value, qala_flag_code(qala_dataset_flags(ds)[i])};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    return EXIT_OK;
}

int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(ctx, argc, argv, NULL, pos, 1, &npos, "show");
    if (rc)
        return rc;
    if (npos != 1) {
        fprintf(ctx->err, "qala show: which unit? (e.g. 'qala show Temirtau')\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK)) != EXIT_OK)
        return rc;
    size_t u;
    if ((rc = cli_resolve_unit(ctx, pos[0], &u)) != EXIT_OK)
        return rc;
    qala_dataset *ds = NULL;
    qala_status st = latest_values(ctx, qala_registry_unit(ctx->reg, u)->code, &ds);
    if (st != QALA_OK) {
        qala_dataset_free(ds);
        return cli_fail(ctx, st, NULL);
    }
    rc = ctx->format == FORMAT_JSON ? show_json(ctx, u, ds) : show_text(ctx, u, ds);
    qala_dataset_free(ds);
    return rc;
}
