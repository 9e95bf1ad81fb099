/* src/server/server_api_monitor.c — GET /api/monitor and GET /api/alerts: the threshold
 * evaluation of the stored observations (qala_monitor_evaluate), as `qala monitor
 * --format json` and `qala alerts` give it.
 *
 * /api/monitor: one period (default: the latest one well covered by data), every cell
 * (unit × threshold) that passes the filters, with the thresholds used and the units
 * named; the front end draws the heatmap from it. /api/alerts: the cells in warning or
 * crisis, the worst first (crisis before warning; aggravating, new, persistent,
 * unwinding; the latest period first), of one period or of every period (all=1).
 * Each cell carries the analyst's latest reading (annotation) of its key, if any.
 * Workload: one evaluation per request (cached afterwards until the data change).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "results_internal.h"
#include "server/server_internal.h"

typedef struct mview {
    srv_model *m;
    qala_dataset *ds;
    qala_monitor_result *res;
    size_t *to_reg;        /* dataset unit -> registry unit or SIZE_MAX */
    json_t **notes;        /* per row: the latest annotation, or NULL */
    int has_kind, has_group, has_domain;
    qala_unit_kind kind;
    size_t group, region, unit;
    qala_domain domain;
    qala_lang lang;
} mview;

static const qala_threshold *th_of(const mview *v, size_t i)
{
    return qala_thresholds_get(v->m->thresholds, v->res->threshold[i]);
}

static const qala_indicator *ind_of(const mview *v, size_t i)
{
    return qala_framework_get(v->m->fw, th_of(v, i)->indicator);
}

static int wanted(const mview *v, size_t i)
{
    size_t u = v->to_reg[v->res->unit[i]];
    const qala_registry *reg = v->m->reg;
    qala_date at = qala_period_start(v->res->period[i]);
    size_t r;
    if (v->unit != SIZE_MAX && u != v->unit)
        return 0;
    if (u != SIZE_MAX && !qala_results__alive_during(reg, u, v->res->period[i]))
        return 0;
    if (v->has_kind && (u == SIZE_MAX || qala_registry_unit(reg, u)->kind != v->kind))
        return 0;
    if (v->has_group && (u == SIZE_MAX || !qala_registry_in_group_at(reg, v->group, u, at)))
        return 0;
    if (v->region != SIZE_MAX &&
        (u == SIZE_MAX || qala_registry_region_at(reg, u, at, &r) != QALA_OK || r != v->region || u == v->region))
        return 0;
    if (v->has_domain && ind_of(v, i)->domain != v->domain)
        return 0;
    return 1;
}

static int attach(void *ctx, const qala_annotation *a)
{
    mview *v = ctx;
    for (size_t i = 0; i < v->res->n; i++) {
        if (v->res->period[i] != a->period || strcmp(qala_dataset_unit_code(v->ds, v->res->unit[i]), a->unit) != 0 ||
            strcmp(ind_of(v, i)->code, a->indicator) != 0)
            continue;
        json_decref(v->notes[i]);
        v->notes[i] = json_pack("{s:s, s:s, s:s, s:s?}", "verdict", qala_verdict_code(a->verdict), "note",
                                a->note ? a->note : "", "author", a->author, "created_at", a->created_at);
    }
    return 0;
}

static void mview_free(mview *v)
{
    for (size_t i = 0; v->notes && v->res && i < v->res->n; i++)
        json_decref(v->notes[i]);
    qala_mem__free(v->notes);
    qala_mem__free(v->to_reg);
    qala_monitor_result_free(v->res);
    qala_dataset_free(v->ds);
}

/* Reads the filters, evaluates; 0 ok (v filled), -1 with the error answer set. */
static int evaluate(srv_ctx *c, srv_reply *r, mview *v, int every_period, qala_period *period)
{
    memset(v, 0, sizeof *v);
    v->m = c->m;
    const char *g = srv_param(c, "group"), *k = srv_param(c, "kind"), *d = srv_param(c, "domain"),
               *set = srv_param(c, "set");
    if (srv_lang(c, r, &v->lang) || srv_period_param(c, r, "period", period) ||
        srv_unit_param(c, r, "region", &v->region) || srv_unit_param(c, r, "unit", &v->unit))
        return -1;
    if (g && qala_registry_find_group(c->m->reg, g, &v->group) != QALA_OK)
        return srv_error(r, 400, "group '%s': no such group (see /api/groups)", g), -1;
    if (k && qala_unit_kind_parse(&v->kind, k) != QALA_OK)
        return srv_error(r, 400, "kind '%s': expected country, region or city", k), -1;
    if (d && qala_domain_parse(&v->domain, d) != QALA_OK)
        return srv_error(r, 400, "domain '%s': no such domain", d), -1;
    if (set) {
        int known = 0;
        for (size_t t = 0; t < qala_thresholds_count(c->m->thresholds) && !known; t++)
            known = strcmp(qala_thresholds_get(c->m->thresholds, t)->set, set) == 0;
        if (!known)
            return srv_error(r, 400, "set '%s': no threshold set of that name", set), -1;
    }
    v->has_group = g != NULL;
    v->has_kind = k != NULL;
    v->has_domain = d != NULL;
    qala_status st = srv_load_observations(c->m, NULL, 0, &v->ds);
    if (st != QALA_OK)
        return srv_fail(r, st, "loading the observations"), -1;
    if (!*period)
        *period = qala_results__monitor_period(v->ds, c->m->thresholds, c->m->fw);
    if (!*period && !every_period)
        return srv_error(r, 404, "no observations of indicators with thresholds (import some, or run 'qala demo')"), -1;
    qala_monitor_options opt = QALA_MONITOR_OPTIONS_INIT;
    opt.set = set;
    opt.period = every_period ? 0 : *period;
    opt.threads = 1; /* the server's threads are the parallelism */
    if ((st = qala_monitor_evaluate(&v->res, v->ds, c->m->thresholds, c->m->fw, c->m->reg, &opt)) != QALA_OK)
        return srv_fail(r, st, "evaluating the thresholds"), -1;
    size_t nunits = qala_dataset_unit_count(v->ds);
    v->to_reg = qala_mem__calloc(nunits + 1, sizeof *v->to_reg);
    v->notes = qala_mem__calloc(v->res->n + 1, sizeof *v->notes);
    if (!v->to_reg || !v->notes)
        return srv_error(r, 500, "out of memory"), -1;
    for (size_t u = 0; u < nunits; u++)
        if (qala_registry_find(c->m->reg, qala_dataset_unit_code(v->ds, (uint32_t)u), &v->to_reg[u]) != QALA_OK)
            v->to_reg[u] = SIZE_MAX;
    if ((st = qala_store_each_annotation(c->m->store, NULL, 1, attach, v)) != QALA_OK)
        return srv_fail(r, st, "reading the annotations"), -1;
    return 0;
}

static json_t *threshold_json(const mview *v, size_t t)
{
    const qala_threshold *th = qala_thresholds_get(v->m->thresholds, t);
    const qala_indicator *ind = qala_framework_get(v->m->fw, th->indicator);
    int l = v->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)v->lang;
    json_t *groups = json_array();
    for (size_t g = 0; g < th->ngroups; g++)
        json_array_append_new(groups, json_string(th->groups[g]));
    return json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:s, s:s?, s:s, s:I}", "id",
                     (json_int_t)t, "indicator", ind->code, "indicator_name", ind->name[l], "domain",
                     qala_domain_code(ind->domain), "set", th->set, "transform", qala_transform_code(th->transform),
                     "k", th->k, "direction", ind->direction, "warning", srv_num(th->warning), "crisis",
                     srv_num(th->crisis), "warning_high", srv_num(th->warning_high), "crisis_high",
                     srv_num(th->crisis_high), "groups", groups, "confidence", qala_confidence_code(th->confidence),
                     "source", th->source, "file", qala_thresholds_file(v->m->thresholds, t), "line",
                     (json_int_t)th->line);
}

static json_t *cell_json(const mview *v, size_t i)
{
    const qala_monitor_result *res = v->res;
    json_t *note = v->notes[i] ? json_incref(v->notes[i]) : json_null();
    return json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:s, s:o, s:o, s:s, s:o, s:s, s:o, s:o}", "unit",
                     qala_dataset_unit_code(v->ds, res->unit[i]), "indicator", ind_of(v, i)->code, "threshold",
                     (json_int_t)res->threshold[i], "period", srv_period(res->period[i]), "value",
                     srv_num(res->value[i]), "transformed", srv_num(res->transformed[i]), "zone",
                     qala_zone_code((qala_zone)res->zone[i]), "distance", srv_num(res->distance[i]), "distance_pct",
                     srv_num(res->distance_pct[i]), "trend", qala_trend_code((qala_trend)res->trend[i]), "slope",
                     srv_num(res->slope[i]), "status", qala_breach_status_code((qala_breach_status)res->status[i]),
                     "periods_to_breach",
                     res->periods_to_breach[i] >= 0 ? json_integer(res->periods_to_breach[i]) : json_null(),
                     "reading", note);
}

/* The thresholds and units that the chosen rows use. */
static void add_legend(const mview *v, json_t *o, const size_t *rows, size_t n)
{
    size_t nth = qala_thresholds_count(v->m->thresholds), nunits = qala_dataset_unit_count(v->ds);
    unsigned char *used_th = qala_mem__calloc(nth + 1, 1), *used_u = qala_mem__calloc(nunits + 1, 1);
    json_t *ths = json_array(), *units = json_array();
    for (size_t k = 0; used_th && used_u && k < n; k++) {
        used_th[v->res->threshold[rows[k]]] = 1;
        used_u[v->res->unit[rows[k]]] = 1;
    }
    for (size_t t = 0; used_th && t < nth; t++)
        if (used_th[t])
            json_array_append_new(ths, threshold_json(v, t));
    for (size_t u = 0; used_u && u < nunits; u++) {
        if (!used_u[u])
            continue;
        const char *code = qala_dataset_unit_code(v->ds, (uint32_t)u);
        size_t ru = v->to_reg[u];
        json_array_append_new(units, json_pack("{s:s, s:s, s:s?}", "code", code, "name",
                                               srv_unit_name(v->m, code, v->lang, qala_date_today()), "kind",
                                               ru == SIZE_MAX ? NULL
                                                              : qala_unit_kind_code(qala_registry_unit(v->m->reg, ru)->kind)));
    }
    qala_mem__free(used_th);
    qala_mem__free(used_u);
    json_object_set_new(o, "thresholds", ths);
    json_object_set_new(o, "units", units);
}

int srv_api_monitor(srv_ctx *c, srv_reply *r)
{
    mview v;
    qala_period period;
    if (evaluate(c, r, &v, 0, &period) == 0) {
        size_t *rows = qala_mem__malloc((v.res->n + 1) * sizeof *rows), n = 0;
        json_t *cells = json_array();
        for (size_t i = 0; rows && i < v.res->n; i++)
            if (wanted(&v, i)) {
                rows[n++] = i;
                json_array_append_new(cells, cell_json(&v, i));
            }
        size_t counts[4] = {0};
        for (size_t k = 0; rows && k < n; k++)
            counts[v.res->zone[rows[k]] & 3]++;
        r->json = json_pack("{s:o, s:{s:I, s:I, s:I, s:I}}", "period", srv_period(period), "counts", "no_data",
                            (json_int_t)counts[0], "normal", (json_int_t)counts[1], "warning", (json_int_t)counts[2],
                            "crisis", (json_int_t)counts[3]);
        add_legend(&v, r->json, rows, n);
        json_object_set_new(r->json, "rows", cells);
        qala_mem__free(rows);
        if (!rows)
            srv_error(r, 500, "out of memory");
    }
    mview_free(&v);
    return 0;
}

static _Thread_local const mview *tl_view;

static int status_rank(int s)
{
    return s == QALA_BREACH_AGGRAVATING ? 0 : s == QALA_BREACH_NEW ? 1 : s == QALA_BREACH_PERSISTENT ? 2 : 3;
}

static int alert_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const qala_monitor_result *res = tl_view->res;
    if (res->zone[i] != res->zone[j])
        return res->zone[i] > res->zone[j] ? -1 : 1;
    if (status_rank(res->status[i]) != status_rank(res->status[j]))
        return status_rank(res->status[i]) - status_rank(res->status[j]);
    if (res->period[i] != res->period[j])
        return res->period[i] > res->period[j] ? -1 : 1;
    return i < j ? -1 : i > j;
}

int srv_api_alerts(srv_ctx *c, srv_reply *r)
{
    mview v;
    qala_period period;
    int all;
    if (srv_flag_param(c, r, "all", &all))
        return 0;
    if (evaluate(c, r, &v, all, &period) == 0) {
        size_t *rows = qala_mem__malloc((v.res->n + 1) * sizeof *rows), n = 0;
        if (!rows) {
            mview_free(&v);
            return srv_error(r, 500, "out of memory");
        }
        for (size_t i = 0; i < v.res->n; i++)
            if (v.res->zone[i] >= QALA_ZONE_WARNING && wanted(&v, i))
                rows[n++] = i;
        tl_view = &v;
        qsort(rows, n, sizeof *rows, alert_cmp);
        tl_view = NULL;
        json_t *list = json_array();
        for (size_t k = 0; k < n; k++)
            json_array_append_new(list, cell_json(&v, rows[k]));
        r->json = json_pack("{s:o, s:b, s:I}", "period", all ? json_null() : srv_period(period), "all", all, "count",
                            (json_int_t)n);
        add_legend(&v, r->json, rows, n);
        json_object_set_new(r->json, "alerts", list);
        qala_mem__free(rows);
    }
    mview_free(&v);
    return 0;
}
