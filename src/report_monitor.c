/* src/report_monitor.c — the report's threshold sections: the threshold sets with the
 * source of every threshold, the scoreboard of the period (one cell per unit and
 * threshold: value, transformed value, zone, trend, status), the alert list (crisis
 * first, aggravating first), the monotown categories with the rules that fired, and
 * the city passports that gather a unit's names, groups, region history, evaluations,
 * series, strengths and weaknesses, and the policy directions of the domains in breach
 * (data/report/directions.csv).
 *
 * Invariants: a unit without any figure of a thresholded indicator in the period is
 * left out of the scoreboard (it would be a row of "no data" cells) but keeps its
 * passport, which then says "no data". Workload: one monitor evaluation of one period
 * (rows = units × applicable thresholds, a few thousand for the embedded data).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qala/defaults.h"
#include "report_internal.h"
#include "util/internal.h"

static const char *side_code(qala_bad_side s)
{
    return s == QALA_BAD_LOW ? "low" : s == QALA_BAD_HIGH ? "high" : "band";
}

static json_t *threshold_json(qala_report__ctx *c, size_t i)
{
    const qala_threshold *th = qala_thresholds_get(c->th, i);
    json_t *o = json_object(), *groups = json_array();
    qala_report__set(c, o, "id", json_integer((json_int_t)i));
    qala_report__set(c, o, "set", json_string(th->set));
    qala_report__set(c, o, "indicator", json_string(qala_framework_get(c->fw, th->indicator)->code));
    qala_report__set(c, o, "transform", json_string(qala_transform_code(th->transform)));
    qala_report__set(c, o, "k", json_integer(th->k));
    qala_report__set(c, o, "denominator", th->denominator == SIZE_MAX ? json_null()
                                          : json_string(qala_framework_get(c->fw, th->denominator)->code));
    qala_report__set(c, o, "side", json_string(side_code(th->side)));
    qala_report__set(c, o, "warning", qala_report__num(th->warning));
    qala_report__set(c, o, "crisis", qala_report__num(th->crisis));
    qala_report__set(c, o, "warning_high", qala_report__num(th->warning_high));
    qala_report__set(c, o, "crisis_high", qala_report__num(th->crisis_high));
    qala_report__set(c, o, "inclusive", json_boolean(th->inclusive));
    for (size_t g = 0; g < th->ngroups; g++)
        qala_report__push(c, groups, json_string(th->groups[g]));
    qala_report__set(c, o, "groups", groups);
    qala_report__set(c, o, "valid_from", qala_report__date(th->valid_from));
    qala_report__set(c, o, "valid_to", qala_report__date(th->valid_to));
    qala_report__set(c, o, "source", qala_report__str(th->source));
    qala_report__set(c, o, "year", th->year ? json_integer(th->year) : json_null());
    qala_report__set(c, o, "justification", qala_report__str(th->justification));
    qala_report__set(c, o, "confidence", json_string(qala_confidence_code(th->confidence)));
    qala_report__set(c, o, "file", json_string(qala_thresholds_file(c->th, i)));
    qala_report__set(c, o, "line", json_integer(th->line));
    return o;
}

static json_t *row_json(qala_report__ctx *c, size_t i)
{
    const qala_monitor_result *m = c->mon;
    const qala_threshold *th = qala_thresholds_get(c->th, m->threshold[i]);
    json_t *o = json_object();
    qala_report__set(c, o, "unit", json_string(qala_report__unit_code(c, m->unit[i])));
    qala_report__set(c, o, "threshold", json_integer(m->threshold[i]));
    qala_report__set(c, o, "indicator", json_string(qala_framework_get(c->fw, th->indicator)->code));
    qala_report__set(c, o, "value", qala_report__num(m->value[i]));
    qala_report__set(c, o, "transformed", qala_report__num(m->transformed[i]));
    qala_report__set(c, o, "zone", json_string(qala_zone_code((qala_zone)m->zone[i])));
    qala_report__set(c, o, "trend", json_string(qala_trend_code((qala_trend)m->trend[i])));
    qala_report__set(c, o, "status", json_string(qala_breach_status_code((qala_breach_status)m->status[i])));
    qala_report__set(c, o, "distance_pct", qala_report__num(m->distance_pct[i]));
    qala_report__set(c, o, "periods_to_breach", m->periods_to_breach[i] < 0 ? json_null()
                                                : json_integer(m->periods_to_breach[i]));
    return o;
}

/* Whether dataset unit u has a row with data (and is not the country). */
static int unit_shown(const qala_report__ctx *c, uint32_t u, const unsigned char *has_data)
{
    return has_data[u] && c->ds_reg[u] != c->country;
}

/* Alerts: crisis before warning, then aggravating, new, persistent, unwinding, then row
 * order. The keys are in the array (no global state: the server builds reports from
 * several threads at once). */
typedef struct alert_key {
    size_t row;
    int zone, status;
} alert_key;

static int alert_order(const void *a, const void *b)
{
    const alert_key *x = a, *y = b;
    if (x->zone != y->zone)
        return y->zone - x->zone;
    if (x->status != y->status)
        return x->status - y->status;
    return x->row < y->row ? -1 : x->row > y->row;
}

qala_status qala_report__monitor(qala_report__ctx *c)
{
    json_t *mon = json_object(), *ths = json_array(), *rows = json_array(), *alerts = json_array();
    json_t *national = json_object();
    qala_report__set(c, c->root, "monitor", mon);
    qala_report__set(c, c->root, "alerts", alerts);
    qala_report__set(c, mon, "period", qala_report__period(c->period));
    for (size_t i = 0; i < qala_thresholds_count(c->th); i++)
        qala_report__push(c, ths, threshold_json(c, i));
    qala_report__set(c, mon, "thresholds", ths);
    qala_report__set(c, mon, "rows", rows);
    qala_report__set(c, mon, "national", national);
    if (!c->period) {
        qala_report__set(c, mon, "no_data", json_true());
        return QALA_OK;
    }
    qala_monitor_options opt = QALA_MONITOR_OPTIONS_INIT;
    opt.period = c->period;
    opt.threads = 1;
    qala_status st = qala_monitor_evaluate(&c->mon, c->ds, c->th, c->fw, c->reg, &opt);
    if (st != QALA_OK)
        return st;
    size_t nu = qala_dataset_unit_count(c->ds), n = c->mon->n, nalerts = 0;
    unsigned char *has_data = qala_mem__calloc(nu + 1, 1);
    alert_key *order = qala_mem__calloc(n + 1, sizeof *order);
    if (!has_data || !order) {
        qala_mem__free(has_data);
        qala_mem__free(order);
        return qala_err__set(QALA_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        if (c->mon->zone[i] != QALA_ZONE_NO_DATA)
            has_data[c->mon->unit[i]] = 1;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!unit_shown(c, c->mon->unit[i], has_data))
            continue;
        any = 1;
        qala_report__push(c, rows, row_json(c, i));
        static const int status_rank[] = {5, 1, 2, 0, 3}; /* by qala_breach_status */
        if (c->mon->zone[i] >= QALA_ZONE_WARNING)
            order[nalerts++] = (alert_key){i, c->mon->zone[i], status_rank[c->mon->status[i] % 5]};
    }
    qsort(order, nalerts, sizeof *order, alert_order);
    for (size_t a = 0; a < nalerts; a++)
        qala_report__push(c, alerts, row_json(c, order[a].row));
    qala_report__set(c, mon, "no_data", json_boolean(!any));
    /* the national value of every indicator in the period */
    const uint32_t *du = qala_dataset_units(c->ds), *di = qala_dataset_indicators(c->ds);
    const qala_period *dp = qala_dataset_periods(c->ds);
    const double *dv = qala_dataset_values(c->ds);
    for (size_t i = 0; i < qala_dataset_size(c->ds); i++)
        if (dp[i] == c->period && c->ds_reg[du[i]] == c->country && c->country != SIZE_MAX)
            qala_report__set(c, national, qala_dataset_indicator_code(c->ds, di[i]), qala_report__num(dv[i]));
    qala_mem__free(has_data);
    qala_mem__free(order);
    return QALA_OK;
}

static const char *rule_kind_code(qala_rule_kind k)
{
    return k == QALA_RULE_ELIGIBILITY ? "eligibility" : k == QALA_RULE_CATEGORY_1 ? "category_1" : "category_2";
}

qala_status qala_report__categories(qala_report__ctx *c)
{
    json_t *cat = json_object(), *rules = json_array(), *rows = json_array();
    qala_report__set(c, c->root, "categories", cat);
    qala_report__set(c, cat, "period", qala_report__period(c->period));
    qala_report__set(c, cat, "rules", rules);
    qala_report__set(c, cat, "rows", rows);
    qala_category_rules *r = NULL;
    qala_category_result *res = NULL;
    qala_findings *f = NULL;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_category_rules_new(&r);
    if (st == QALA_OK)
        st = qala_category_rules_load_default(r, c->fw, c->reg, f);
    for (size_t i = 0; st == QALA_OK && i < qala_category_rules_count(r); i++) {
        const qala_rule *rule = qala_category_rules_get(r, i);
        json_t *o = json_object();
        qala_report__set(c, o, "id", json_string(rule->id));
        qala_report__set(c, o, "kind", json_string(rule_kind_code(rule->kind)));
        qala_report__set(c, o, "description", qala_report__str(rule->description));
        qala_report__set(c, o, "source", qala_report__str(rule->source));
        qala_report__set(c, o, "confidence", json_string(qala_confidence_code(rule->confidence)));
        qala_report__push(c, rules, o);
    }
    if (st == QALA_OK && c->period)
        st = qala_category_evaluate(&res, c->ds, r, c->th, c->fw, c->reg, c->period);
    int any = 0;
    for (size_t i = 0; st == QALA_OK && res && i < res->n; i++) {
        if (!res->eligible[i])
            continue;
        json_t *o = json_object(), *fired = json_array();
        qala_report__set(c, o, "unit", json_string(qala_report__unit_code(c, res->unit[i])));
        qala_report__set(c, o, "category", res->category[i] ? json_integer(res->category[i]) : json_null());
        qala_report__set(c, o, "evaluated", json_integer(res->evaluated[i]));
        for (size_t k = res->fired_start[i]; k < res->fired_start[i + 1]; k++) {
            const qala_rule *rule = qala_category_rules_get(r, res->fired[k]);
            if (rule->kind != QALA_RULE_ELIGIBILITY)
                qala_report__push(c, fired, json_string(rule->id));
        }
        qala_report__set(c, o, "fired", fired);
        qala_report__push(c, rows, o);
        any |= res->category[i] != 0;
    }
    qala_report__set(c, cat, "no_data", json_boolean(!any));
    qala_category_result_free(res);
    qala_category_rules_free(r);
    qala_findings_free(f);
    return st;
}

/* ---- passports ------------------------------------------------------------------------ */

/* data/report/directions.csv: domain, direction, order, name_kk, name_ru, name_en, source
 * (a small file of our own: a plain split on commas outside quotes is enough). */
typedef struct direction_row {
    char domain[32], code[48];
    int order;
    json_t *json;
} direction_row;

static size_t split_csv_line(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *w = line, *r = line;
    int quoted = 0;
    fields[n++] = w;
    for (; *r && *r != '\n' && *r != '\r'; r++) {
        if (*r == '"') {
            if (quoted && r[1] == '"')
                *w++ = *r++;
            else
                quoted = !quoted;
        } else if (*r == ',' && !quoted && n < max) {
            *w++ = '\0';
            fields[n++] = w;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return n;
}

static qala_status load_directions(qala_report__ctx *c, direction_row *rows, size_t max, size_t *n)
{
    size_t len;
    const char *text = qala_default_data("report/directions.csv", &len);
    *n = 0;
    char *copy = text ? qala_mem__strndup(text, len) : NULL;
    if (text && !copy)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    char *save = NULL;
    int header = 1;
    for (char *line = copy ? strtok_r(copy, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
        char *f[8];
        if (header-- > 0 || split_csv_line(line, f, 8) != 7 || *n >= max)
            continue;
        direction_row *d = &rows[(*n)++];
        snprintf(d->domain, sizeof d->domain, "%s", f[0]);
        snprintf(d->code, sizeof d->code, "%s", f[1]);
        d->order = atoi(f[2]);
        const char *names[3] = {f[3], f[4], f[5]};
        d->json = json_object();
        qala_report__set(c, d->json, "code", json_string(d->code));
        qala_report__set(c, d->json, "order", json_integer(d->order));
        qala_report__set(c, d->json, "name", qala_report__names(names));
        qala_report__set(c, d->json, "source", json_string(f[6]));
    }
    qala_mem__free(copy);
    return QALA_OK;
}

static json_t *history(qala_report__ctx *c, size_t u)
{
    json_t *names = json_array();
    for (size_t i = 0; i < qala_registry_name_count(c->reg); i++) {
        const qala_unit_name *nm = qala_registry_name(c->reg, i);
        if (nm->unit != u || nm->lang == QALA_LANG_KK_LATN)
            continue;
        qala_report__push(c, names, json_pack("{s:s,s:s,s:o,s:o,s:b}", "lang", qala_lang_code(nm->lang), "name",
                                              nm->name, "from", qala_report__date(nm->valid_from), "to",
                                              qala_report__date(nm->valid_to), "official", nm->official));
    }
    return names;
}

static void write_passport(qala_report__ctx *c, json_t *arr, size_t u, const direction_row *dirs, size_t ndirs)
{
    const qala_unit *unit = qala_registry_unit(c->reg, u);
    json_t *p = json_object(), *groups = json_array(), *regions = json_array(), *evals = json_array();
    json_t *series = json_array(), *domains = json_array(), *directions = json_array();
    qala_report__set(c, p, "unit", json_string(unit->code));
    qala_report__set(c, p, "kind", json_string(qala_unit_kind_code(unit->kind)));
    qala_report__set(c, p, "name", qala_report__unit_names(c, u));
    qala_report__set(c, p, "names", history(c, u));
    for (size_t i = 0; i < qala_registry_membership_count(c->reg); i++) {
        const qala_membership *m = qala_registry_membership(c->reg, i);
        if (m->unit == u)
            qala_report__push(c, groups, json_pack("{s:s,s:o,s:o,s:s}", "group", qala_registry_group(c->reg, m->group)->code,
                                                   "from", qala_report__date(m->valid_from), "to",
                                                   qala_report__date(m->valid_to), "source", m->source ? m->source : ""));
    }
    for (size_t i = 0; i < qala_registry_parent_count(c->reg); i++) {
        const qala_unit_parent *pr = qala_registry_parent(c->reg, i);
        if (pr->unit == u)
            qala_report__push(c, regions, json_pack("{s:s,s:o,s:o}", "region", qala_registry_unit(c->reg, pr->parent)->code,
                                                    "from", qala_report__date(pr->valid_from), "to",
                                                    qala_report__date(pr->valid_to)));
    }
    qala_report__set(c, p, "groups", groups);
    qala_report__set(c, p, "regions", regions);
    /* the evaluations of the period and the domains in breach */
    unsigned breached = 0;
    for (size_t i = 0; c->mon && i < c->mon->n; i++) {
        if (c->ds_reg[c->mon->unit[i]] != u || c->mon->zone[i] == QALA_ZONE_NO_DATA)
            continue;
        qala_report__push(c, evals, row_json(c, i));
        if (c->mon->zone[i] >= QALA_ZONE_WARNING)
            breached |= 1u << qala_framework_get(c->fw, qala_thresholds_get(c->th, c->mon->threshold[i])->indicator)->domain;
    }
    qala_report__set(c, p, "evaluations", evals);
    /* every observed series of the unit (the dataset is sorted by unit, indicator, period) */
    const uint32_t *du = qala_dataset_units(c->ds), *di = qala_dataset_indicators(c->ds);
    const qala_period *dp = qala_dataset_periods(c->ds);
    const double *dv = qala_dataset_values(c->ds);
    json_t *points = NULL;
    for (size_t i = 0; i < qala_dataset_size(c->ds); i++) {
        if (c->ds_reg[du[i]] != u)
            continue;
        if (i == 0 || du[i - 1] != du[i] || di[i - 1] != di[i]) {
            json_t *s = json_object();
            points = json_array();
            qala_report__set(c, s, "indicator", json_string(qala_dataset_indicator_code(c->ds, di[i])));
            qala_report__set(c, s, "points", points);
            qala_report__push(c, series, s);
        }
        qala_report__push(c, points, json_pack("[o,o]", qala_report__period(dp[i]), qala_report__num(dv[i])));
    }
    qala_report__set(c, p, "series", series);
    /* policy directions of the domains in breach, each once, in the document's order */
    for (int d = 0; d < QALA_DOMAIN_COUNT; d++)
        if (breached & (1u << d))
            qala_report__push(c, domains, json_string(qala_domain_code((qala_domain)d)));
    for (int order = 1; order <= 16; order++) {
        for (size_t k = 0; k < ndirs; k++) {
            qala_domain dom;
            if (dirs[k].order != order || qala_domain_parse(&dom, dirs[k].domain) != QALA_OK || !(breached & (1u << dom)))
                continue;
            qala_report__push(c, directions, json_string(dirs[k].code));
            break;
        }
    }
    qala_report__set(c, p, "breached_domains", domains);
    qala_report__set(c, p, "directions", directions);
    qala_report__set(c, p, "no_data", json_boolean(json_array_size(evals) == 0 && json_array_size(series) == 0));
    /* strengths and weaknesses: the unit's best and worst ranks among the index's indicators */
    json_t *strengths = json_array(), *weaknesses = json_array();
    if (c->ires) {
        const qala_index_tree *tree = qala_index_result_tree(c->ires);
        size_t nk = qala_index_result_units(c->ires), np = qala_index_result_periods(c->ires), k = SIZE_MAX;
        for (size_t j = 0; j < nk; j++)
            if (qala_index_data_registry_unit(c->idata, qala_index_result_unit(c->ires, j)) == u)
                k = j;
        size_t best[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX}, worst[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
        double bestr[3] = {INFINITY, INFINITY, INFINITY}, worstr[3] = {-INFINITY, -INFINITY, -INFINITY};
        for (size_t node = 0; k != SIZE_MAX && node < tree->nindicators; node++) {
            const double *col = qala_index_result_column(c->ires, QALA_INDEX_STAGE_RANKED, node);
            double r = col ? col[(np - 1) * nk + k] : NAN;
            if (!isfinite(r))
                continue;
            for (int s = 0; s < 3; s++)
                if (r < bestr[s]) {
                    memmove(bestr + s + 1, bestr + s, (size_t)(2 - s) * sizeof *bestr);
                    memmove(best + s + 1, best + s, (size_t)(2 - s) * sizeof *best);
                    bestr[s] = r, best[s] = node;
                    break;
                }
            for (int s = 0; s < 3; s++)
                if (r > worstr[s]) {
                    memmove(worstr + s + 1, worstr + s, (size_t)(2 - s) * sizeof *worstr);
                    memmove(worst + s + 1, worst + s, (size_t)(2 - s) * sizeof *worst);
                    worstr[s] = r, worst[s] = node;
                    break;
                }
        }
        for (int s = 0; s < 3; s++) {
            if (best[s] != SIZE_MAX)
                qala_report__push(c, strengths, json_pack("{s:s,s:f}", "indicator", tree->nodes[best[s]].code, "rank", bestr[s]));
            if (worst[s] != SIZE_MAX && worstr[s] > bestr[0])
                qala_report__push(c, weaknesses, json_pack("{s:s,s:f}", "indicator", tree->nodes[worst[s]].code, "rank", worstr[s]));
        }
    }
    qala_report__set(c, p, "strengths", strengths);
    qala_report__set(c, p, "weaknesses", weaknesses);
    qala_report__push(c, arr, p);
}

qala_status qala_report__passports(qala_report__ctx *c)
{
    direction_row dirs[64];
    size_t ndirs = 0;
    qala_status st = load_directions(c, dirs, 64, &ndirs);
    if (st != QALA_OK)
        return st;
    json_t *all = json_array(), *passports = json_array();
    for (size_t k = 0; k < ndirs; k++) {
        int seen = 0;
        for (size_t j = 0; j < k; j++)
            seen |= strcmp(dirs[j].code, dirs[k].code) == 0;
        json_t *domains = json_array();
        for (size_t j = 0; j < ndirs; j++)
            if (strcmp(dirs[j].code, dirs[k].code) == 0)
                qala_report__push(c, domains, json_string(dirs[j].domain));
        qala_report__set(c, dirs[k].json, "domains", domains);
        if (seen)
            json_decref(dirs[k].json);
        else
            qala_report__push(c, all, dirs[k].json);
    }
    qala_report__set(c, c->root, "directions", all);
    size_t one = SIZE_MAX;
    if (c->opt->unit)
        (void)qala_registry_find(c->reg, c->opt->unit, &one);
    for (size_t u = 0; u < qala_registry_unit_count(c->reg); u++) {
        const qala_unit *unit = qala_registry_unit(c->reg, u);
        if (one != SIZE_MAX ? u != one : unit->kind != QALA_UNIT_CITY || !qala_registry_alive_at(c->reg, u, c->at))
            continue;
        write_passport(c, passports, u, dirs, ndirs);
    }
    qala_report__set(c, c->root, "passports", passports);
    return QALA_OK;
}
