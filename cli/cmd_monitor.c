/* cli/cmd_monitor.c — `qala monitor` and `qala alerts`: the threshold evaluation of the
 * stored observations, seen four ways.
 * - scoreboard (default): units × indicators for one period, the zone of each cell
 *   coloured on a terminal, with a trend arrow; --format csv|json gives every detail of
 *   every evaluation (value, transformed value, zone, distances, trend, status,
 *   projection, the threshold and its provenance, the analyst's latest reading);
 * - --unit U: one unit's breaches per domain, its worst zone and each threat with why;
 * - --by-group: per group and indicator, how many of the group's cities are in each zone;
 * - alerts: every breach sorted by severity, aggravating and new first, newest first.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct view {
    cli_ctx *cli;
    qala_dataset *ds;
    qala_monitor_result *res;
    qala_period period;
    /* filters */
    int has_group, has_region, has_domain, has_unit, has_kind;
    qala_unit_kind kind;
    size_t group, region, unit;
    qala_domain domain;
    size_t *ds_to_reg; /* dataset unit id -> registry index, SIZE_MAX when not in the registry */
    /* the latest annotation per key, as "verdict: note" */
    char **reading;    /* per result row, NULL when none */
} view;

static const char *const zone_symbols[] = {"·", "●", "▲", "■"};
static const char *const zone_letters[] = {".", "N", "W", "C"};
static const char *const zone_colors[] = {"\033[2m", "\033[32m", "\033[33m", "\033[31m"};
static const char *const trend_arrows[] = {" ", "↗", "→", "↘"};

static const qala_threshold *threshold_of(const view *v, size_t i)
{
    return qala_thresholds_get(v->cli->thresholds, v->res->threshold[i]);
}

static const qala_indicator *indicator_of(const view *v, size_t i)
{
    return qala_framework_get(v->cli->fw, threshold_of(v, i)->indicator);
}

/* Whether the unit existed at some time during period p (the 2022 regions, created on
 * 8 June 2022, have figures for 2022). */
static int alive_during(const qala_registry *reg, size_t u, qala_period p)
{
    int y = qala_period_year(p), sub = p % 100;
    qala_date start = qala_period_start(p), end; /* end: the first day after p */
    if (sub == 0)
        end = (y + 1) * 10000 + 101;
    else {
        int month = sub > 20 ? (sub - 21) * 3 + 4 : sub + 1; /* the month after */
        end = month > 12 ? (y + 1) * 10000 + 101 : y * 10000 + month * 100 + 1;
    }
    const qala_unit *unit = qala_registry_unit(reg, u);
    return unit->valid_from < end && unit->valid_to > start;
}

/* Whether result row i passes the filters. */
static int wanted(const view *v, size_t i)
{
    size_t u = v->ds_to_reg[v->res->unit[i]];
    qala_date at = qala_period_start(v->res->period[i]);
    if (v->has_unit && u != v->unit)
        return 0;
    if (u != SIZE_MAX && !alive_during(v->cli->reg, u, v->res->period[i]))
        return 0; /* e.g. South Kazakhstan region after 2018 */
    if (v->has_kind && (u == SIZE_MAX || qala_registry_unit(v->cli->reg, u)->kind != v->kind))
        return 0;
    if (v->has_group && (u == SIZE_MAX || !qala_registry_in_group_at(v->cli->reg, v->group, u, at)))
        return 0;
    size_t r;
    if (v->has_region &&
        (u == SIZE_MAX || qala_registry_region_at(v->cli->reg, u, at, &r) != QALA_OK || r != v->region || u == r))
        return 0;
    if (v->has_domain && indicator_of(v, i)->domain != v->domain)
        return 0;
    return 1;
}

static const char *unit_code(const view *v, size_t i)
{
    return qala_dataset_unit_code(v->ds, v->res->unit[i]);
}

static const char *unit_name(const view *v, size_t i)
{
    size_t u = v->ds_to_reg[v->res->unit[i]];
    return u == SIZE_MAX ? unit_code(v, i) : qala_registry_name_at(v->cli->reg, u, v->cli->lang, v->cli->at);
}

static void fmt(char *buf, size_t n, double x)
{
    if (isnan(x))
        buf[0] = '\0';
    else
        snprintf(buf, n, "%.6g", x);
}

/* ---- the full detail (csv, json) ---- */
static void print_detail(view *v, int breaches_only)
{
    static const char *const keys[] = {
        "unit", "indicator", "period", "set", "transform", "k", "value", "transformed", "zone",
        "distance", "distance_pct", "trend", "slope", "status", "periods_to_breach", "warning",
        "crisis", "confidence", "source", "threshold_file", "threshold_line", "reading"};
    cli_table *t = cli_table_new(22, keys, NULL);
    for (size_t c = 6; c <= 7; c++)
        cli_table_numeric(t, c);
    cli_table_numeric(t, 9);
    cli_table_numeric(t, 10);
    cli_table_numeric(t, 12);
    for (size_t i = 0; i < v->res->n; i++) {
        if (!wanted(v, i) || (breaches_only && v->res->zone[i] < QALA_ZONE_WARNING))
            continue;
        const qala_threshold *th = threshold_of(v, i);
        char period[12], k[8], val[32], tr[32], dist[32], pct[32], slope[32], proj[16], w[32], c[32], line[16];
        qala_period_format(period, v->res->period[i]);
        snprintf(k, sizeof k, "%d", th->k);
        fmt(val, sizeof val, v->res->value[i]);
        fmt(tr, sizeof tr, v->res->transformed[i]);
        fmt(dist, sizeof dist, v->res->distance[i]);
        fmt(pct, sizeof pct, v->res->distance_pct[i]);
        fmt(slope, sizeof slope, v->res->slope[i]);
        if (v->res->periods_to_breach[i] >= 0)
            snprintf(proj, sizeof proj, "%d", v->res->periods_to_breach[i]);
        else
            proj[0] = '\0';
        fmt(w, sizeof w, th->warning);
        fmt(c, sizeof c, th->crisis);
        snprintf(line, sizeof line, "%ld", th->line);
        const char *cells[] = {unit_code(v, i), indicator_of(v, i)->code, period, th->set,
                               qala_transform_code(th->transform), k, val, tr,
                               qala_zone_code((qala_zone)v->res->zone[i]), dist, pct,
                               qala_trend_code((qala_trend)v->res->trend[i]), slope,
                               qala_breach_status_code((qala_breach_status)v->res->status[i]), proj, w, c,
                               qala_confidence_code(th->confidence), th->source,
                               qala_thresholds_file(v->cli->thresholds, v->res->threshold[i]), line,
                               v->reading[i] ? v->reading[i] : ""};
        cli_table_add(t, cells);
    }
    cli_table_print(v->cli, t);
    cli_table_free(t);
}

/* ---- the scoreboard: units × thresholds ---- */
static void print_scoreboard(view *v)
{
    cli_ctx *ctx = v->cli;
    size_t nth = qala_thresholds_count(ctx->thresholds);
    int *col = malloc(nth * sizeof *col); /* threshold -> column number (1-based), 0 unused */
    if (!col)
        return;
    memset(col, 0, nth * sizeof *col);
    int ncols = 0;
    /* a column for each threshold with data for at least one shown unit */
    for (size_t i = 0; i < v->res->n; i++)
        if (wanted(v, i) && v->res->zone[i] != QALA_ZONE_NO_DATA)
            col[v->res->threshold[i]] = 1;
    for (size_t t = 0; t < nth; t++)
        if (col[t])
            col[t] = ++ncols;
    char period[12];
    qala_period_format(period, v->period);
    fprintf(ctx->out, "%s%s %s%s\n", ctx->color ? "\033[1m" : "", cli_msg(ctx, MSG_PERIOD), period,
            ctx->color ? "\033[0m" : "");
    /* header: the column numbers */
    size_t name_w = 24;
    fprintf(ctx->out, "%-*s", (int)name_w, "");
    for (int c = 1; c <= ncols; c++)
        fprintf(ctx->out, "%3d", c);
    fputc('\n', ctx->out);
    for (size_t i = 0; i < v->res->n;) {
        size_t j = i;
        while (j < v->res->n && v->res->unit[j] == v->res->unit[i])
            j++;
        int any = 0;
        for (size_t r = i; r < j; r++)
            any |= wanted(v, r);
        if (any) {
            const char *name = unit_name(v, i);
            size_t w = qala_text_width(name);
            fputs(name, ctx->out);
            for (size_t p = w; p < name_w; p++)
                fputc(' ', ctx->out);
            int cursor = 1;
            for (size_t r = i; r < j; r++) {
                int c = col[v->res->threshold[r]];
                if (!wanted(v, r) || !c)
                    continue;
                for (; cursor < c; cursor++)
                    fputs("   ", ctx->out);
                int z = v->res->zone[r], tr = v->res->trend[r];
                fprintf(ctx->out, " %s%s%s%s", ctx->color ? zone_colors[z] : "",
                        ctx->color ? zone_symbols[z] : zone_letters[z], ctx->color ? "\033[0m" : "",
                        v->reading[r] ? "*" : z ? trend_arrows[tr] : " ");
                cursor = c + 1;
            }
            fputc('\n', ctx->out);
        }
        i = j;
    }
    /* the legend */
    int lang = ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)ctx->lang;
    fputc('\n', ctx->out);
    for (size_t t = 0; t < nth; t++) {
        if (!col[t])
            continue;
        const qala_threshold *th = qala_thresholds_get(ctx->thresholds, t);
        const qala_indicator *ind = qala_framework_get(ctx->fw, th->indicator);
        fprintf(ctx->out, "%3d  %s", col[t], ind->name[lang]);
        if (th->transform != QALA_TRANSFORM_LEVEL)
            fprintf(ctx->out, " (%s%s%.0d)", qala_transform_code(th->transform), th->k > 1 ? ", k=" : "",
                    th->k > 1 ? th->k : 0);
        fprintf(ctx->out, " — %s %g, %s %g%s%s\n", cli_msg(ctx, MSG_ZONE_WARNING), th->warning,
                cli_msg(ctx, MSG_ZONE_CRISIS), th->crisis, th->ngroups ? "; " : "",
                th->ngroups ? th->groups[0] : "");
    }
    fputc('\n', ctx->out);
    for (int z = QALA_ZONE_NORMAL; z <= QALA_ZONE_CRISIS + 1; z++) {
        int zz = z % 4; /* normal, warning, crisis, then no data */
        fprintf(ctx->out, "%s%s%s %s  ", ctx->color ? zone_colors[zz] : "",
                ctx->color ? zone_symbols[zz] : zone_letters[zz], ctx->color ? "\033[0m" : "",
                cli_msg(ctx, (msg_id)(MSG_ZONE_NO_DATA + zz)));
    }
    for (int tr = QALA_TREND_IMPROVING; tr <= QALA_TREND_WORSENING; tr++)
        fprintf(ctx->out, "%s %s%s", trend_arrows[tr], cli_msg(ctx, (msg_id)(MSG_TREND_NONE + tr)),
                tr < QALA_TREND_WORSENING ? "  " : "\n");
    /* the analysts' readings of the cells shown (marked * in the grid) */
    int any = 0;
    for (size_t i = 0; i < v->res->n; i++) {
        if (!v->reading[i] || !wanted(v, i) || !col[v->res->threshold[i]])
            continue;
        if (!any++)
            fputc('\n', ctx->out);
        fprintf(ctx->out, "* %s, %d: %s\n", unit_name(v, i), col[v->res->threshold[i]], v->reading[i]);
    }
    free(col);
}

/* ---- one unit: breaches per domain, the worst zone, the threats ---- */
static void print_unit(view *v)
{
    cli_ctx *ctx = v->cli;
    int lang = ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)ctx->lang;
    int worst = QALA_ZONE_NO_DATA;
    size_t per_domain[QALA_DOMAIN_COUNT] = {0}, evaluated = 0;
    for (size_t i = 0; i < v->res->n; i++) {
        if (!wanted(v, i))
            continue;
        evaluated++;
        if (v->res->zone[i] > worst)
            worst = v->res->zone[i];
        if (v->res->zone[i] >= QALA_ZONE_WARNING)
            per_domain[indicator_of(v, i)->domain]++;
    }
    char period[12];
    qala_period_format(period, v->period);
    fprintf(ctx->out, "%s — %s: %s%s%s (%zu %s)\n",
            qala_registry_name_at(ctx->reg, v->unit, ctx->lang, ctx->at), period,
            ctx->color ? zone_colors[worst] : "", cli_msg(ctx, (msg_id)(MSG_ZONE_NO_DATA + worst)),
            ctx->color ? "\033[0m" : "", evaluated, cli_msg(ctx, MSG_THRESHOLDS));
    for (int d = 0; d < QALA_DOMAIN_COUNT; d++) {
        if (!per_domain[d])
            continue;
        const char *name = qala_framework_domain_name(ctx->fw, (qala_domain)d, ctx->lang);
        fprintf(ctx->out, "  %s", name);
        for (size_t w = qala_text_width(name); w < 28; w++)
            fputc(' ', ctx->out);
        fprintf(ctx->out, "%zu\n", per_domain[d]);
    }
    for (int z = QALA_ZONE_CRISIS; z >= QALA_ZONE_WARNING; z--)
        for (size_t i = 0; i < v->res->n; i++) {
            if (!wanted(v, i) || v->res->zone[i] != z)
                continue;
            const qala_threshold *th = threshold_of(v, i);
            const char *trend = cli_msg(ctx, (msg_id)(MSG_TREND_NONE + v->res->trend[i]));
            fprintf(ctx->out, "  %s%s%s %s: %.6g (%s %g, %s %g; %s, %s) %s%s%s%s%s\n",
                    ctx->color ? zone_colors[z] : "", ctx->color ? zone_symbols[z] : zone_letters[z],
                    ctx->color ? "\033[0m" : "", indicator_of(v, i)->name[lang], v->res->transformed[i],
                    cli_msg(ctx, MSG_ZONE_WARNING), th->warning, cli_msg(ctx, MSG_ZONE_CRISIS), th->crisis,
                    qala_confidence_code(th->confidence), th->source,
                    trend, *trend ? ", " : "", cli_msg(ctx, (msg_id)(MSG_STATUS_NONE + v->res->status[i])),
                    v->reading[i] ? " — " : "", v->reading[i] ? v->reading[i] : "");
        }
}

/* ---- per group: how many members are in each zone ---- */
static void print_by_group(view *v)
{
    cli_ctx *ctx = v->cli;
    static const char *const keys[] = {"group", "indicator", "transform", "crisis", "warning", "normal", "no_data", "members"};
    cli_table *t = cli_table_new(8, keys, NULL);
    for (size_t c = 3; c < 8; c++)
        cli_table_numeric(t, c);
    size_t nth = qala_thresholds_count(ctx->thresholds);
    qala_date at = qala_period_start(v->period);
    for (size_t g = 0; g < qala_registry_group_count(ctx->reg); g++) {
        if (v->has_group && g != v->group)
            continue;
        for (size_t th = 0; th < nth; th++) {
            size_t counts[4] = {0}, members = 0;
            for (size_t i = 0; i < v->res->n; i++) {
                size_t u = v->ds_to_reg[v->res->unit[i]];
                if (v->res->threshold[i] != th || u == SIZE_MAX || !qala_registry_in_group_at(ctx->reg, g, u, at))
                    continue;
                if (v->has_domain && indicator_of(v, i)->domain != v->domain)
                    continue;
                counts[v->res->zone[i]]++;
                members++;
            }
            if (!members || counts[QALA_ZONE_NO_DATA] == members)
                continue; /* nothing to say: no member has data */
            const qala_threshold *thr = qala_thresholds_get(ctx->thresholds, th);
            char n[4][24], m[24];
            for (int z = 0; z < 4; z++)
                snprintf(n[z], sizeof n[z], "%zu", counts[z]);
            snprintf(m, sizeof m, "%zu", members);
            const char *cells[] = {qala_registry_group(ctx->reg, g)->code,
                                   qala_framework_get(ctx->fw, thr->indicator)->code,
                                   qala_transform_code(thr->transform), n[3], n[2], n[1], n[0], m};
            cli_table_add(t, cells);
        }
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
}

/* ---- alerts: every breach, the worst first ---- */
static const view *sort_view;

static int status_rank(int s)
{
    return s == QALA_BREACH_AGGRAVATING ? 0 : s == QALA_BREACH_NEW ? 1 : s == QALA_BREACH_PERSISTENT ? 2 : 3;
}

static int alert_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const qala_monitor_result *r = sort_view->res;
    if (r->zone[i] != r->zone[j])
        return r->zone[i] > r->zone[j] ? -1 : 1;
    if (status_rank(r->status[i]) != status_rank(r->status[j]))
        return status_rank(r->status[i]) - status_rank(r->status[j]);
    if (r->period[i] != r->period[j])
        return r->period[i] > r->period[j] ? -1 : 1;
    return i < j ? -1 : i > j;
}

static void print_alerts(view *v)
{
    cli_ctx *ctx = v->cli;
    size_t n = 0, *rows = malloc((v->res->n + 1) * sizeof *rows);
    if (!rows)
        return;
    for (size_t i = 0; i < v->res->n; i++)
        if (wanted(v, i) && v->res->zone[i] >= QALA_ZONE_WARNING)
            rows[n++] = i;
    sort_view = v;
    qsort(rows, n, sizeof *rows, alert_cmp);
    static const char *const keys[] = {"zone", "status", "unit", "indicator", "period", "transformed",
                                       "warning", "crisis", "trend", "reading"};
    const char *headings[] = {cli_msg(ctx, MSG_ZONE), cli_msg(ctx, MSG_STATUS), cli_msg(ctx, MSG_TERRITORY),
                              cli_msg(ctx, MSG_INDICATOR), cli_msg(ctx, MSG_PERIOD), cli_msg(ctx, MSG_TRANSFORMED),
                              cli_msg(ctx, MSG_WARNING), cli_msg(ctx, MSG_CRISIS), cli_msg(ctx, MSG_TREND),
                              cli_msg(ctx, MSG_READING)};
    cli_table *t = cli_table_new(10, keys, headings);
    for (size_t c = 5; c <= 7; c++)
        cli_table_numeric(t, c);
    int lang = ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)ctx->lang;
    for (size_t k = 0; k < n; k++) {
        size_t i = rows[k];
        const qala_threshold *th = threshold_of(v, i);
        char period[12], tr[32], w[32], c[32];
        qala_period_format(period, v->res->period[i]);
        fmt(tr, sizeof tr, v->res->transformed[i]);
        fmt(w, sizeof w, th->warning);
        fmt(c, sizeof c, th->crisis);
        int table = ctx->format == FORMAT_TABLE;
        const char *cells[] = {table ? cli_msg(ctx, (msg_id)(MSG_ZONE_NO_DATA + v->res->zone[i]))
                                     : qala_zone_code((qala_zone)v->res->zone[i]),
                               table ? cli_msg(ctx, (msg_id)(MSG_STATUS_NONE + v->res->status[i]))
                                     : qala_breach_status_code((qala_breach_status)v->res->status[i]),
                               table ? unit_name(v, i) : unit_code(v, i),
                               table ? indicator_of(v, i)->name[lang] : indicator_of(v, i)->code,
                               period, tr, w, c,
                               table ? cli_msg(ctx, (msg_id)(MSG_TREND_NONE + v->res->trend[i]))
                                     : qala_trend_code((qala_trend)v->res->trend[i]),
                               v->reading[i] ? v->reading[i] : ""};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    free(rows);
}

/* ---- the driver ---- */
typedef struct reading_ctx {
    view *v;
} reading_ctx;

/* Attaches an annotation to the result rows of its key (the latest comes last). */
static int attach_reading(void *ctx, const qala_annotation *a)
{
    view *v = ((reading_ctx *)ctx)->v;
    for (size_t i = 0; i < v->res->n; i++) {
        if (v->res->period[i] != a->period || strcmp(unit_code(v, i), a->unit) != 0 ||
            strcmp(indicator_of(v, i)->code, a->indicator) != 0)
            continue;
        size_t len = strlen(a->note) + 32;
        char *text = malloc(len);
        if (!text)
            return 1;
        snprintf(text, len, "%s%s%s", qala_verdict_code(a->verdict), *a->note ? ": " : "", a->note);
        free(v->reading[i]);
        v->reading[i] = text;
    }
    return 0;
}

/* The default period: the latest one with at least half as many observations of the
 * indicators that have thresholds as the best-covered period. */
qala_period cli_default_period(cli_ctx *ctx, const qala_dataset *ds)
{
    size_t n = qala_dataset_size(ds), nth = qala_thresholds_count(ctx->thresholds);
    const uint32_t *ind = qala_dataset_indicators(ds);
    const qala_period *per = qala_dataset_periods(ds);
    qala_period best = 0;
    size_t best_count = 0;
    qala_period periods[512];
    size_t counts[512], np = 0;
    for (size_t i = 0; i < n; i++) {
        const char *code = qala_dataset_indicator_code(ds, ind[i]);
        int has = 0;
        for (size_t t = 0; t < nth && !has; t++)
            has = strcmp(qala_framework_get(ctx->fw, qala_thresholds_get(ctx->thresholds, t)->indicator)->code, code) == 0;
        if (!has)
            continue;
        size_t k = 0;
        while (k < np && periods[k] != per[i])
            k++;
        if (k == np && np < 512) {
            periods[np] = per[i];
            counts[np++] = 0;
        }
        if (k < np)
            counts[k]++;
    }
    for (size_t k = 0; k < np; k++)
        if (counts[k] > best_count)
            best_count = counts[k];
    for (size_t k = 0; k < np; k++)
        if (counts[k] * 2 >= best_count && periods[k] > best)
            best = periods[k];
    return best;
}

static int run_monitor(cli_ctx *ctx, int argc, char **argv, const char *command)
{
    const char *period = NULL, *group = NULL, *region = NULL, *domain = NULL, *unit = NULL, *set = NULL,
               *by_group = NULL, *all = NULL, *kind = NULL;
    const cli_option options[] = {{"period", 1, &period}, {"group", 1, &group}, {"region", 1, &region},
                                  {"domain", 1, &domain}, {"unit", 1, &unit}, {"set", 1, &set},
                                  {"by-group", 0, &by_group}, {"all", 0, &all}, {"kind", 1, &kind},
                                  {NULL, 0, NULL}};
    int alerts = strcmp(command, "alerts") == 0;
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, command);
    if (rc)
        return rc;
    view v = {0};
    v.cli = ctx;
    if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | LOAD_STORE)) != EXIT_OK ||
        (rc = cli_load_thresholds(ctx)) != EXIT_OK)
        return rc;
    if (period && qala_period_parse(&v.period, period, strlen(period)) != QALA_OK) {
        fprintf(ctx->err, "qala %s: --period: %s\n", command, qala_error_last()->message);
        return EXIT_USAGE;
    }
    if (group) {
        if (qala_registry_find_group(ctx->reg, group, &v.group) != QALA_OK) {
            fprintf(ctx->err, "qala %s: unknown group '%s' (see 'qala groups')\n", command, group);
            return EXIT_USAGE;
        }
        v.has_group = 1;
    }
    if (domain) {
        if (qala_domain_parse(&v.domain, domain) != QALA_OK) {
            fprintf(ctx->err, "qala %s: unknown domain '%s' (see 'qala indicators')\n", command, domain);
            return EXIT_USAGE;
        }
        v.has_domain = 1;
    }
    if (kind) {
        if (qala_unit_kind_parse(&v.kind, kind) != QALA_OK) {
            fprintf(ctx->err, "qala %s: --kind '%s': expected country, region or city\n", command, kind);
            return EXIT_USAGE;
        }
        v.has_kind = 1;
    }
    if (region && (rc = cli_resolve_unit(ctx, region, &v.region)) != EXIT_OK)
        return rc;
    v.has_region = region != NULL;
    if (unit && (rc = cli_resolve_unit(ctx, unit, &v.unit)) != EXIT_OK)
        return rc;
    v.has_unit = unit != NULL;

    qala_status st = qala_dataset_new(&v.ds);
    if (st == QALA_OK)
        st = qala_store_query_observations(ctx->store, NULL, v.ds);
    if (st == QALA_OK)
        st = qala_dataset_sort(v.ds);
    if (st == QALA_OK && !v.period)
        v.period = cli_default_period(ctx, v.ds);
    qala_monitor_options opt = QALA_MONITOR_OPTIONS_INIT;
    opt.set = set;
    opt.period = alerts && all ? 0 : v.period;
    if (st == QALA_OK && v.period == 0) {
        fprintf(ctx->err, "qala %s: %s: no observations of indicators with thresholds (import some, or run 'qala demo')\n",
                command, ctx->db_path);
        qala_dataset_free(v.ds);
        return EXIT_DATA;
    }
    if (st == QALA_OK)
        st = qala_monitor_evaluate(&v.res, v.ds, ctx->thresholds, ctx->fw, ctx->reg, &opt);
    size_t nunits = st == QALA_OK ? qala_dataset_unit_count(v.ds) : 0;
    v.ds_to_reg = calloc(nunits + 1, sizeof *v.ds_to_reg);
    v.reading = st == QALA_OK ? calloc(v.res->n + 1, sizeof *v.reading) : NULL;
    if (st == QALA_OK && (!v.ds_to_reg || !v.reading))
        st = QALA_ENOMEM;
    for (size_t u = 0; st == QALA_OK && u < nunits; u++)
        if (qala_registry_find(ctx->reg, qala_dataset_unit_code(v.ds, (uint32_t)u), &v.ds_to_reg[u]) != QALA_OK)
            v.ds_to_reg[u] = SIZE_MAX;
    reading_ctx rctx = {&v};
    if (st == QALA_OK)
        st = qala_store_each_annotation(ctx->store, NULL, 1, attach_reading, &rctx);
    if (st != QALA_OK) {
        rc = cli_fail(ctx, st, NULL);
    } else if (ctx->format != FORMAT_TABLE && !by_group) {
        print_detail(&v, alerts);
    } else if (by_group) {
        print_by_group(&v);
    } else if (alerts) {
        print_alerts(&v);
    } else if (v.has_unit) {
        print_unit(&v);
    } else {
        print_scoreboard(&v);
    }
    for (size_t i = 0; v.res && v.reading && i < v.res->n; i++)
        free(v.reading[i]);
    free(v.reading);
    free(v.ds_to_reg);
    qala_monitor_result_free(v.res);
    qala_dataset_free(v.ds);
    return rc;
}

int cmd_monitor(cli_ctx *ctx, int argc, char **argv)
{
    return run_monitor(ctx, argc, argv, "monitor");
}

int cmd_alerts(cli_ctx *ctx, int argc, char **argv)
{
    return run_monitor(ctx, argc, argv, "alerts");
}
