/* cli/cmd_sens_monitor.c — `qala sensitivity --thresholds F`: the monitoring factor of the
 * uncertainty analysis (issue 7 §1–2, docs/sensitivity.md "Monitoring thresholds").
 *
 * The scoreboard of one period is evaluated as `qala monitor` evaluates it (the database,
 * or the embedded demo statistics when there is none; the threshold sets kept in the
 * database or the default set), with the transformed values kept; qala_sens_monitor then
 * moves every threshold's boundaries by a factor 1 + F·U(−1, 1) per run and counts, per
 * row, the runs in the crisis zone and in the warning zone or worse. The rows shown pass
 * the filters of `qala monitor` (--group, --region, --kind, --unit, --domain, --set).
 * Order: rows whose crisis share is strictly between 0 and 1 first (their zone depends on
 * where the boundaries are), then those whose warning-or-worse share is, then the rest;
 * within each, the higher crisis share first, then the higher warning-or-worse share,
 * then the scoreboard's order. The table shows the rows with data; --format csv|json
 * every row (no data: empty shares), with the threshold's provenance, runs, fraction and
 * seed on each. Workload: one monitor evaluation and runs × rows zone tests (a few
 * milliseconds for the demo's 1,000 runs).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct sm_view {
    cli_ctx *ctx;
    const cli_sens_monitor_args *a;
    qala_dataset *ds;
    qala_monitor_result *board;
    qala_sens_monitor_result *res;
    qala_period period;
    int embedded;
    int has_group, has_region, has_unit, has_kind, has_domain;
    size_t group, region, unit;
    qala_unit_kind kind;
    qala_domain domain;
    size_t *ds_to_reg;  /* dataset unit id -> registry index, SIZE_MAX when not in it */
} sm_view;

/* Whether registry unit u existed at some time during period p (as `qala monitor`). */
static int alive_during(const qala_registry *reg, size_t u, qala_period p)
{
    int y = qala_period_year(p), sub = p % 100;
    qala_date start = qala_period_start(p), end;
    if (sub == 0)
        end = (y + 1) * 10000 + 101;
    else {
        int month = sub > 20 ? (sub - 21) * 3 + 4 : sub + 1;
        end = month > 12 ? (y + 1) * 10000 + 101 : y * 10000 + month * 100 + 1;
    }
    const qala_unit *unit = qala_registry_unit(reg, u);
    return unit->valid_from < end && unit->valid_to > start;
}

static const qala_threshold *threshold_of(const sm_view *v, size_t i)
{
    return qala_thresholds_get(v->ctx->thresholds, v->board->threshold[i]);
}

/* Whether scoreboard row i passes the filters (the rules of `qala monitor`). */
static int wanted(const sm_view *v, size_t i)
{
    const qala_registry *reg = v->ctx->reg;
    size_t u = v->ds_to_reg[v->board->unit[i]];
    qala_date at = qala_period_start(v->board->period[i]);
    if (v->has_unit && u != v->unit)
        return 0;
    if (u != SIZE_MAX && !alive_during(reg, u, v->board->period[i]))
        return 0;
    if (v->has_kind && (u == SIZE_MAX || qala_registry_unit(reg, u)->kind != v->kind))
        return 0;
    if (v->has_group && (u == SIZE_MAX || !qala_registry_in_group_at(reg, v->group, u, at)))
        return 0;
    size_t r;
    if (v->has_region &&
        (u == SIZE_MAX || qala_registry_region_at(reg, u, at, &r) != QALA_OK || r != v->region || u == r))
        return 0;
    if (v->has_domain && qala_framework_get(v->ctx->fw, threshold_of(v, i)->indicator)->domain != v->domain)
        return 0;
    return 1;
}

/* ---- order ---------------------------------------------------------------------------- */

static const qala_sens_monitor_result *sort_res;

static int tier(size_t i)
{
    double c = sort_res->crisis_share[i], b = sort_res->breach_share[i];
    if (isnan(c))
        return 3;
    return c > 0 && c < 1 ? 0 : b > 0 && b < 1 ? 1 : 2;
}

static int by_share(const void *pa, const void *pb)
{
    size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
    int tx = tier(x), ty = tier(y);
    if (tx != ty)
        return tx < ty ? -1 : 1;
    if (tx < 3) {
        double cx = sort_res->crisis_share[x], cy = sort_res->crisis_share[y];
        if (cx != cy)
            return cx > cy ? -1 : 1;
        double bx = sort_res->breach_share[x], by = sort_res->breach_share[y];
        if (bx != by)
            return bx > by ? -1 : 1;
    }
    return x < y ? -1 : x > y;
}

/* ---- loading ------------------------------------------------------------------------- */

/* The observations: the database when it exists, else the embedded demo statistics. */
static int load(sm_view *v)
{
    cli_ctx *ctx = v->ctx;
    int exists = access(ctx->db_path, F_OK) == 0;
    int rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | (exists ? LOAD_STORE : 0));
    if (rc != EXIT_OK || (rc = cli_load_thresholds(ctx)) != EXIT_OK)
        return rc;
    qala_status st = qala_dataset_new(&v->ds);
    if (st == QALA_OK && exists) {
        st = qala_store_query_observations(ctx->store, NULL, v->ds);
    } else if (st == QALA_OK) {
        v->embedded = 1;
        qala_findings *f = NULL;
        st = qala_findings_new(&f);
        if (st == QALA_OK)
            st = qala_import_demo(v->ds, f, ctx->reg, ctx->fw);
        if (st != QALA_OK)
            cli_print_findings(ctx, f);
        qala_findings_free(f);
    }
    if (st == QALA_OK)
        st = qala_dataset_sort(v->ds);
    return st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, "loading the observations");
}

/* The filters, checked as `qala monitor` checks them. */
static int filters(sm_view *v)
{
    cli_ctx *ctx = v->ctx;
    const cli_sens_monitor_args *a = v->a;
    int rc;
    if (a->group) {
        if (qala_registry_find_group(ctx->reg, a->group, &v->group) != QALA_OK) {
            fprintf(ctx->err, "qala sensitivity: unknown group '%s' (see 'qala groups')\n", a->group);
            return EXIT_USAGE;
        }
        v->has_group = 1;
    }
    if (a->domain) {
        if (qala_domain_parse(&v->domain, a->domain) != QALA_OK) {
            fprintf(ctx->err, "qala sensitivity: unknown domain '%s' (see 'qala indicators')\n", a->domain);
            return EXIT_USAGE;
        }
        v->has_domain = 1;
    }
    if (a->kind) {
        if (qala_unit_kind_parse(&v->kind, a->kind) != QALA_OK) {
            fprintf(ctx->err, "qala sensitivity: --kind '%s': expected country, region or city\n", a->kind);
            return EXIT_USAGE;
        }
        v->has_kind = 1;
    }
    if (a->region && (rc = cli_resolve_unit(ctx, a->region, &v->region)) != EXIT_OK)
        return rc;
    v->has_region = a->region != NULL;
    if (a->unit && (rc = cli_resolve_unit(ctx, a->unit, &v->unit)) != EXIT_OK)
        return rc;
    v->has_unit = a->unit != NULL;
    return EXIT_OK;
}

/* ---- output --------------------------------------------------------------------------- */

static void fmt_num(char *buf, size_t n, double x, const char *f)
{
    if (isnan(x))
        buf[0] = '\0';
    else
        snprintf(buf, n, f, x);
}

static const char *unit_name(const sm_view *v, size_t i)
{
    size_t u = v->ds_to_reg[v->board->unit[i]];
    return u == SIZE_MAX ? qala_dataset_unit_code(v->ds, v->board->unit[i])
                         : qala_registry_name_at(v->ctx->reg, u, v->ctx->lang, v->ctx->at);
}

/* The indicator's name, with the transform when it is not the level. */
static void indicator_name(const sm_view *v, size_t i, char *buf, size_t n)
{
    const qala_threshold *th = threshold_of(v, i);
    int lang = v->ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)v->ctx->lang;
    const char *name = qala_framework_get(v->ctx->fw, th->indicator)->name[lang];
    if (th->transform == QALA_TRANSFORM_LEVEL)
        snprintf(buf, n, "%s", name);
    else if (th->k > 1)
        snprintf(buf, n, "%s (%s, k=%d)", name, qala_transform_code(th->transform), th->k);
    else
        snprintf(buf, n, "%s (%s)", name, qala_transform_code(th->transform));
}

static void print_table(const sm_view *v, const size_t *order, size_t n)
{
    cli_ctx *ctx = v->ctx;
    char per[12];
    qala_period_format(per, v->period);
    fprintf(ctx->out, "%s ± %g %%, %zu %s, %s %llu — %s %s%s%s\n", cli_msg(ctx, MSG_SENS_THR_TITLE),
            v->res->fraction * 100, v->res->runs, cli_msg(ctx, MSG_SENS_RUNS), cli_msg(ctx, MSG_SENS_SEED),
            (unsigned long long)v->res->seed, cli_msg(ctx, MSG_PERIOD), per, v->embedded ? " — " : "",
            v->embedded ? cli_msg(ctx, MSG_INDEX_EMBEDDED) : "");
    const char *keys[] = {"unit", "indicator", "transformed", "warning", "crisis", "zone", "crisis_share",
                          "breach_share"};
    const char *heads[] = {cli_msg(ctx, MSG_TERRITORY), cli_msg(ctx, MSG_INDICATOR), cli_msg(ctx, MSG_VALUE),
                           cli_msg(ctx, MSG_WARNING), cli_msg(ctx, MSG_CRISIS), cli_msg(ctx, MSG_ZONE),
                           cli_msg(ctx, MSG_SENS_P_CRISIS), cli_msg(ctx, MSG_SENS_P_BREACH)};
    cli_table *t = cli_table_new(8, keys, heads);
    if (!t)
        return;
    for (size_t c = 2; c < 8; c++)
        if (c != 5)
            cli_table_numeric(t, c);
    size_t depends = 0, shown = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        if (isnan(v->res->crisis_share[i]))
            continue;
        const qala_threshold *th = threshold_of(v, i);
        char ind[256], x[32], w[32], c[32], pc[16], pb[16];
        indicator_name(v, i, ind, sizeof ind);
        fmt_num(x, sizeof x, v->board->transformed[i], "%.6g");
        fmt_num(w, sizeof w, th->warning, "%g");
        fmt_num(c, sizeof c, th->crisis, "%g");
        fmt_num(pc, sizeof pc, v->res->crisis_share[i], "%.3f");
        fmt_num(pb, sizeof pb, v->res->breach_share[i], "%.3f");
        const char *cells[] = {unit_name(v, i), ind, x, w, c,
                               cli_msg(ctx, (msg_id)(MSG_ZONE_NO_DATA + v->board->zone[i])), pc, pb};
        cli_table_add(t, cells);
        shown++;
        depends += tier(i) < 2;
    }
    if (shown)
        cli_table_print(ctx, t);
    cli_table_free(t);
    if (shown)
        fprintf(ctx->out, "%zu / %zu %s\n", depends, shown, cli_msg(ctx, MSG_SENS_THR_DEPENDS));
    else
        fprintf(ctx->out, "%s\n", cli_msg(ctx, MSG_NO_DATA));
}

static void print_detail(const sm_view *v, const size_t *order, size_t n)
{
    cli_ctx *ctx = v->ctx;
    static const char *const keys[] = {"unit", "indicator", "period", "set", "transform", "k", "transformed",
                                       "warning", "crisis", "zone", "crisis_share", "breach_share", "runs",
                                       "fraction", "seed", "source", "threshold_file", "threshold_line"};
    cli_table *t = cli_table_new(18, keys, NULL);
    if (!t)
        return;
    static const size_t numeric[] = {5, 6, 7, 8, 10, 11, 12, 13, 14, 17};
    for (size_t c = 0; c < sizeof numeric / sizeof *numeric; c++)
        cli_table_numeric(t, numeric[c]);
    char runs[24], frac[32], seed[24];
    snprintf(runs, sizeof runs, "%zu", v->res->runs);
    snprintf(frac, sizeof frac, "%.15g", v->res->fraction);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)v->res->seed);
    for (size_t r = 0; r < n; r++) {
        size_t i = order[r];
        const qala_threshold *th = threshold_of(v, i);
        char per[12], k[12], x[32], w[32], c[32], pc[32], pb[32], line[24];
        qala_period_format(per, v->board->period[i]);
        snprintf(k, sizeof k, "%d", th->k);
        fmt_num(x, sizeof x, v->board->transformed[i], "%.15g");
        fmt_num(w, sizeof w, th->warning, "%.15g");
        fmt_num(c, sizeof c, th->crisis, "%.15g");
        fmt_num(pc, sizeof pc, v->res->crisis_share[i], "%.15g");
        fmt_num(pb, sizeof pb, v->res->breach_share[i], "%.15g");
        snprintf(line, sizeof line, "%ld", th->line);
        const char *cells[] = {qala_dataset_unit_code(v->ds, v->board->unit[i]),
                               qala_framework_get(ctx->fw, th->indicator)->code, per, th->set,
                               qala_transform_code(th->transform), k, x, w, c,
                               qala_zone_code((qala_zone)v->board->zone[i]), pc, pb, runs, frac, seed, th->source,
                               qala_thresholds_file(ctx->thresholds, v->board->threshold[i]), line};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
}

/* ---- the command ---------------------------------------------------------------------- */

int cli_sens_monitor(cli_ctx *ctx, const cli_sens_monitor_args *a)
{
    qala_sens_monitor_options mo = {1000, 0, 1};
    char *end;
    mo.fraction = strtod(a->fraction, &end);
    if (!*a->fraction || *end || !(mo.fraction > 0 && mo.fraction < 1)) {
        fprintf(ctx->err, "qala sensitivity: --thresholds '%s': expected a fraction in (0, 1), e.g. 0.1 "
                "for boundaries ± 10 %%\n", a->fraction);
        return EXIT_USAGE;
    }
    mo.runs = a->runs;
    mo.seed = a->seed;
    sm_view v = {0};
    v.ctx = ctx;
    v.a = a;
    int rc;
    if (a->period && qala_period_parse(&v.period, a->period, strlen(a->period)) != QALA_OK) {
        fprintf(ctx->err, "qala sensitivity: --period: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    if ((rc = load(&v)) != EXIT_OK || (rc = filters(&v)) != EXIT_OK)
        goto done;
    if (!v.period)
        v.period = cli_default_period(ctx, v.ds);
    if (!v.period) {
        fprintf(ctx->err, "qala sensitivity: %s: no observations of indicators with thresholds (import "
                "some, or run 'qala demo')\n", v.embedded ? "the embedded demo data" : ctx->db_path);
        rc = EXIT_DATA;
        goto done;
    }
    qala_monitor_options opt = QALA_MONITOR_OPTIONS_INIT;
    opt.period = v.period;
    opt.set = a->set;
    opt.columns = QALA_MONITOR_VALUES;
    qala_status st = qala_monitor_evaluate(&v.board, v.ds, ctx->thresholds, ctx->fw, ctx->reg, &opt);
    if (st == QALA_OK)
        st = qala_sens_monitor(&v.res, v.board, ctx->thresholds, &mo);
    size_t nunits = qala_dataset_unit_count(v.ds);
    if (st == QALA_OK && !(v.ds_to_reg = calloc(nunits + 1, sizeof *v.ds_to_reg)))
        st = QALA_ENOMEM;
    for (size_t u = 0; st == QALA_OK && u < nunits; u++)
        if (qala_registry_find(ctx->reg, qala_dataset_unit_code(v.ds, (uint32_t)u), &v.ds_to_reg[u]) != QALA_OK)
            v.ds_to_reg[u] = SIZE_MAX;
    size_t *order = st == QALA_OK ? malloc((v.board->n + 1) * sizeof *order) : NULL;
    if (st == QALA_OK && !order)
        st = QALA_ENOMEM;
    if (st != QALA_OK) {
        rc = cli_fail(ctx, st, "sensitivity");
        goto done;
    }
    size_t n = 0;
    for (size_t i = 0; i < v.board->n; i++)
        if (wanted(&v, i))
            order[n++] = i;
    sort_res = v.res;
    qsort(order, n, sizeof *order, by_share);
    if (ctx->format == FORMAT_CSV || ctx->format == FORMAT_JSON)
        print_detail(&v, order, n);
    else
        print_table(&v, order, n);
    free(order);
done:
    free(v.ds_to_reg);
    qala_sens_monitor_free(v.res);
    qala_monitor_result_free(v.board);
    qala_dataset_free(v.ds);
    return rc;
}
