/* cli/cmd_units.c — `qala units`, `qala groups`, `qala indicators`: the registry and
 * the framework as tables, filtered, in the layout in force on --at.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void format_coord(char *buf, size_t n, double v)
{
    if (v != v)
        buf[0] = '\0';
    else
        snprintf(buf, n, "%.4f", v);
}

/* Group codes of unit at date, joined with ';'. */
static void groups_of(const cli_ctx *ctx, size_t unit, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t g = 0; g < qala_registry_group_count(ctx->reg); g++) {
        if (!qala_registry_in_group_at(ctx->reg, g, unit, ctx->at))
            continue;
        len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", len ? ";" : "",
                                qala_registry_group(ctx->reg, g)->code);
        if (len >= n)
            break;
    }
}

int cmd_units(cli_ctx *ctx, int argc, char **argv)
{
    const char *group = NULL, *region = NULL, *kind = NULL;
    const cli_option options[] = {{"group", 1, &group}, {"region", 1, &region}, {"kind", 1, &kind}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "units");
    if (rc)
        return rc;
    if ((rc = cli_load(ctx, LOAD_REGISTRY)) != EXIT_OK)
        return rc;
    size_t g = 0, r = 0;
    qala_unit_kind k = QALA_UNIT_CITY;
    if (group && qala_registry_find_group(ctx->reg, group, &g) != QALA_OK) {
        fprintf(ctx->err, "qala units: unknown group '%s': expected one of", group);
        for (size_t i = 0; i < qala_registry_group_count(ctx->reg); i++)
            fprintf(ctx->err, " %s", qala_registry_group(ctx->reg, i)->code);
        fputc('\n', ctx->err);
        return EXIT_USAGE;
    }
    if (region && (rc = cli_resolve_unit(ctx, region, &r)) != EXIT_OK)
        return rc;
    if (kind && qala_unit_kind_parse(&k, kind) != QALA_OK) {
        fprintf(ctx->err, "qala units: --kind '%s': expected country, region or city\n", kind);
        return EXIT_USAGE;
    }
    static const char *const keys[] = {"code", "name", "kind", "region", "groups", "lat", "lon"};
    const char *headings[] = {cli_msg(ctx, MSG_CODE), cli_msg(ctx, MSG_NAME), cli_msg(ctx, MSG_KIND),
                              cli_msg(ctx, MSG_REGION), cli_msg(ctx, MSG_GROUPS), cli_msg(ctx, MSG_LAT),
                              cli_msg(ctx, MSG_LON)};
    cli_table *t = cli_table_new(7, keys, headings);
    if (!t)
        return EXIT_IO;
    cli_table_numeric(t, 5);
    cli_table_numeric(t, 6);
    for (size_t u = 0; u < qala_registry_unit_count(ctx->reg); u++) {
        const qala_unit *unit = qala_registry_unit(ctx->reg, u);
        if (!qala_registry_alive_at(ctx->reg, u, ctx->at))
            continue;
        if (group && !qala_registry_in_group_at(ctx->reg, g, u, ctx->at))
            continue;
        if (kind && unit->kind != k)
            continue;
        size_t reg_of = (size_t)-1;
        int has_region = qala_registry_region_at(ctx->reg, u, ctx->at, &reg_of) == QALA_OK;
        if (region && (!has_region || reg_of != r || u == r))
            continue;
        char groups[256], lat[32], lon[32];
        groups_of(ctx, u, groups, sizeof groups);
        format_coord(lat, sizeof lat, unit->lat);
        format_coord(lon, sizeof lon, unit->lon);
        const char *region_name = has_region && reg_of != u
                                      ? (ctx->format == FORMAT_TABLE ? qala_registry_name_at(ctx->reg, reg_of, ctx->lang, ctx->at)
                                                                    : qala_registry_unit(ctx->reg, reg_of)->code)
                                      : "";
        const char *cells[] = {unit->code, qala_registry_name_at(ctx->reg, u, ctx->lang, ctx->at),
                               ctx->format == FORMAT_TABLE ? cli_kind_name(ctx, unit->kind) : qala_unit_kind_code(unit->kind),
                               region_name, groups, lat, lon};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    return EXIT_OK;
}

int cmd_groups(cli_ctx *ctx, int argc, char **argv)
{
    int npos, rc = cli_parse(ctx, argc, argv, NULL, NULL, 0, &npos, "groups");
    if (rc)
        return rc;
    if ((rc = cli_load(ctx, LOAD_REGISTRY)) != EXIT_OK)
        return rc;
    static const char *const keys[] = {"code", "name", "members", "source"};
    const char *headings[] = {cli_msg(ctx, MSG_CODE), cli_msg(ctx, MSG_NAME), cli_msg(ctx, MSG_MEMBERS),
                              cli_msg(ctx, MSG_SOURCE)};
    cli_table *t = cli_table_new(4, keys, headings);
    if (!t)
        return EXIT_IO;
    cli_table_numeric(t, 2);
    int lang = ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)ctx->lang;
    for (size_t g = 0; g < qala_registry_group_count(ctx->reg); g++) {
        const qala_group *grp = qala_registry_group(ctx->reg, g);
        size_t members = 0;
        for (size_t u = 0; u < qala_registry_unit_count(ctx->reg); u++)
            members += qala_registry_in_group_at(ctx->reg, g, u, ctx->at) != 0;
        char count[32];
        snprintf(count, sizeof count, "%zu", members);
        const char *cells[] = {grp->code, grp->name[lang], count, grp->source};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    return EXIT_OK;
}

int cmd_indicators(cli_ctx *ctx, int argc, char **argv)
{
    const char *domain = NULL;
    const cli_option options[] = {{"domain", 1, &domain}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "indicators");
    if (rc)
        return rc;
    qala_domain d = QALA_DOMAIN_INCOMES;
    if (domain && qala_domain_parse(&d, domain) != QALA_OK) {
        fprintf(ctx->err, "qala indicators: unknown domain '%s': expected one of", domain);
        for (int i = 0; i < QALA_DOMAIN_COUNT; i++)
            fprintf(ctx->err, " %s", qala_domain_code((qala_domain)i));
        fputc('\n', ctx->err);
        return EXIT_USAGE;
    }
    if ((rc = cli_load(ctx, LOAD_FRAMEWORK)) != EXIT_OK)
        return rc;
    static const char *const keys[] = {"code", "name", "domain", "unit", "direction", "source"};
    const char *headings[] = {cli_msg(ctx, MSG_CODE), cli_msg(ctx, MSG_NAME), cli_msg(ctx, MSG_DOMAIN),
                              cli_msg(ctx, MSG_UNIT), cli_msg(ctx, MSG_DIRECTION), cli_msg(ctx, MSG_SOURCE)};
    cli_table *t = cli_table_new(6, keys, headings);
    if (!t)
        return EXIT_IO;
    cli_table_numeric(t, 4);
    int lang = ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)ctx->lang;
    for (size_t i = 0; i < qala_framework_count(ctx->fw); i++) {
        const qala_indicator *ind = qala_framework_get(ctx->fw, i);
        if (domain && ind->domain != d)
            continue;
        const char *cells[] = {ind->code, ind->name[lang],
                               ctx->format == FORMAT_TABLE ? qala_framework_domain_name(ctx->fw, ind->domain, ctx->lang)
                                                           : qala_domain_code(ind->domain),
                               ind->unit, ind->direction > 0 ? "1" : "-1", ind->source};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    return EXIT_OK;
}
