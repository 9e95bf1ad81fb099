/* src/server/server_api_calc.c — the computing endpoints: GET /api/index (the composite
 * index), /api/inequality, /api/trends and /api/sensitivity (a small uncertainty
 * analysis of the index's ranks).
 *
 * Each makes what the matching CLI command makes (cli/cmd_index.c, cmd_inequality.c,
 * cmd_trends.c) from the worker's store, registry and framework, through the same
 * library calls (src/results.c for the index's defaults, qala_panel_build and the
 * qala_*_report_compute of dynamics.h), and writes the result struct as JSON.
 * Sensitivity is bounded for a server: at most 500 runs, one thread.
 * Workload: one computation per distinct URL until the data change (cached).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "results_internal.h"
#include "server/server_internal.h"

#define MAX_SENS_RUNS 500

static const char *node_name(const qala_index_node *n, qala_lang lang)
{
    int l = lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)lang;
    return n->name[l] && *n->name[l] ? n->name[l] : n->name[QALA_LANG_EN] ? n->name[QALA_LANG_EN] : n->code;
}

/* Reads spec, period/from/to, weights, kind, group, region into opt; -1 on error. */
static int index_options(srv_ctx *c, srv_reply *r, qala_results_index_options *opt)
{
    memset(opt, 0, sizeof *opt);
    qala_period period;
    opt->spec = srv_param(c, "spec");
    opt->weights = srv_param(c, "weights");
    opt->group = srv_param(c, "group");
    const char *k = srv_param(c, "kind");
    if (srv_period_param(c, r, "period", &period) || srv_period_param(c, r, "from", &opt->from) ||
        srv_period_param(c, r, "to", &opt->to) || srv_unit_param(c, r, "region", &opt->region))
        return -1;
    if (period && (opt->from || opt->to))
        return srv_error(r, 400, "period and from/to do not go together"), -1;
    if (period)
        opt->from = opt->to = period;
    if (k) {
        if (qala_unit_kind_parse(&opt->kind, k) != QALA_OK)
            return srv_error(r, 400, "kind '%s': expected country, region or city", k), -1;
        opt->has_kind = 1;
    }
    return 0;
}

static json_t *nodes_json(const qala_index_tree *tree, const double *eff, qala_lang lang)
{
    json_t *nodes = json_array();
    for (size_t i = 0; i < tree->nnodes; i++) {
        const qala_index_node *n = &tree->nodes[i];
        json_array_append_new(nodes, json_pack("{s:s, s:s, s:i, s:s?, s:o, s:o}", "code", n->code, "name",
                                               node_name(n, lang), "level", n->level, "parent",
                                               n->parent < tree->nnodes ? tree->nodes[n->parent].code : NULL,
                                               "weight", srv_num(n->weight), "effective_weight",
                                               eff ? srv_num(eff[i]) : json_null()));
    }
    return nodes;
}

int srv_api_index(srv_ctx *c, srv_reply *r)
{
    qala_results_index_options opt;
    qala_results_index ix;
    qala_lang lang;
    size_t level;
    if (srv_lang(c, r, &lang) || index_options(c, r, &opt) || srv_uint_param(c, r, "level", 1, 100, 0, &level))
        return 0;
    qala_status st = qala_results__index(&ix, c->m->store, c->m->reg, &opt);
    if (st != QALA_OK)
        return srv_fail(r, st, NULL);
    const qala_index_tree *tree = ix.tree;
    r->json = json_pack("{s:s, s:s, s:s?, s:o, s:o}", "spec", qala_index_spec_code(ix.spec), "name",
                        qala_index_spec_name(ix.spec, lang), "weights", opt.weights, "from", srv_period(ix.from),
                        "to", srv_period(ix.to));
    json_object_set_new(r->json, "nodes",
                        nodes_json(tree, ix.res ? qala_index_result_effective_weights(ix.res) : NULL, lang));
    if (!ix.res) {
        json_object_set_new(r->json, "no_data", json_true());
        json_object_set_new(r->json, "periods", json_array());
        qala_results__index_free(&ix);
        return 0;
    }
    const qala_index_result *res = ix.res;
    size_t nkept = qala_index_result_units(res), np = qala_index_result_periods(res), root = tree->nnodes - 1;
    json_t *dropped = json_array();
    for (size_t i = 0; i < tree->nindicators; i++) {
        const qala_index_indicator_report *rep = qala_index_result_report(res, i);
        if (rep->screen != QALA_INDEX_KEPT)
            json_array_append_new(dropped, json_pack("{s:s, s:s, s:o}", "indicator", tree->nodes[i].code, "reason",
                                                     rep->screen == QALA_INDEX_NO_COLUMN      ? "no_data"
                                                     : rep->screen == QALA_INDEX_TOO_MANY_ZEROS ? "too_many_zeros"
                                                                                                : "low_availability",
                                                     "availability", srv_num(rep->availability)));
    }
    const qala_index_input *in = qala_index_data_input(ix.data);
    json_t *screened = json_array();
    for (size_t u = 0; u < in->nunits; u++)
        if (!qala_index_result_unit_kept(res, u))
            json_array_append_new(screened, json_pack("{s:s, s:s, s:o}", "unit", in->unit_codes[u], "name",
                                                      srv_unit_name(c->m, in->unit_codes[u], lang,
                                                                    qala_results__last_day(ix.to)),
                                                      "availability",
                                                      srv_num(qala_index_result_unit_availability(res, u))));
    json_t *periods = json_array();
    for (size_t p = 0; p < np; p++) {
        json_t *units = json_array();
        const double *score = qala_index_result_column(res, QALA_INDEX_STAGE_AGGREGATED, root);
        const double *rank = qala_index_result_column(res, QALA_INDEX_STAGE_RANKED, root);
        for (size_t k = 0; k < nkept; k++) {
            const char *code = in->unit_codes[qala_index_result_unit(res, k)];
            json_t *scores = json_object(), *ranks = json_object();
            for (size_t n = 0; n < tree->nnodes; n++) {
                if ((int)level ? tree->nodes[n].level != (int)level : n < tree->nindicators)
                    continue;
                const double *sc = qala_index_result_column(res, QALA_INDEX_STAGE_AGGREGATED, n);
                const double *rk = qala_index_result_column(res, QALA_INDEX_STAGE_RANKED, n);
                json_object_set_new(scores, tree->nodes[n].code, srv_num(sc ? sc[p * nkept + k] : NAN));
                json_object_set_new(ranks, tree->nodes[n].code, srv_num(rk ? rk[p * nkept + k] : NAN));
            }
            json_array_append_new(units, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "unit", code, "name",
                                                   srv_unit_name(c->m, code, lang, qala_results__last_day(ix.to)),
                                                   "rank", srv_num(rank ? rank[p * nkept + k] : NAN), "score",
                                                   srv_num(score ? score[p * nkept + k] : NAN), "scores", scores,
                                                   "ranks", ranks));
        }
        json_array_append_new(periods, json_pack("{s:o, s:o}", "period", srv_period(qala_index_result_period(res, p)),
                                                 "units", units));
    }
    json_object_set_new(r->json, "dropped", dropped);
    json_object_set_new(r->json, "screened_units", screened);
    json_object_set_new(r->json, "periods", periods);
    qala_results__index_free(&ix);
    return 0;
}

/* ---- panels: inequality and trends ---- */

/* Builds the panel of the indicator parameter; -1 on error. */
static int panel_of(srv_ctx *c, srv_reply *r, const char *weights, int cross_section, qala_panel **out,
                    size_t *ind_index)
{
    *out = NULL;
    const char *ind = srv_param(c, "indicator"), *units = srv_param(c, "units"), *g = srv_param(c, "group"),
               *region = srv_param(c, "region");
    if (!ind)
        return srv_error(r, 400, "indicator is required (see /api/indicators)"), -1;
    if (qala_framework_find(c->m->fw, ind, ind_index) != QALA_OK)
        return srv_error(r, 400, "indicator '%s': no indicator with that code (see /api/indicators)", ind), -1;
    qala_panel_options opt = {1, ind, weights, 0, 0, QALA_PANEL_FIRST_LEVEL, NULL, 0, NULL, 0};
    if (units && qala_panel_units_parse(&opt.units, units) != QALA_OK)
        return srv_error(r, 400, "units '%s': %s", units, qala_error_last()->message), -1;
    char gbuf[1024];
    const char *groups[16];
    if (g) {
        opt.ngroups = srv_split(g, gbuf, sizeof gbuf, groups, 16);
        opt.groups = groups;
    }
    size_t ru = SIZE_MAX;
    if (srv_unit_param(c, r, "region", &ru))
        return -1;
    if (region)
        opt.region = qala_registry_unit(c->m->reg, ru)->code;
    if (cross_section) {
        qala_period p;
        if (srv_period_param(c, r, "period", &p))
            return -1;
        opt.from = opt.to = p;
    } else if (srv_period_param(c, r, "from", &opt.from) || srv_period_param(c, r, "to", &opt.to)) {
        return -1;
    } else if (!opt.from != !opt.to) {
        return srv_error(r, 400, "from and to go together"), -1;
    }
    const char *codes[2] = {ind, weights};
    qala_dataset *ds = NULL;
    qala_status st = srv_load_observations(c->m, codes, weights ? 2 : 1, &ds);
    if (st == QALA_OK)
        st = qala_panel_build(out, ds, c->m->reg, &opt);
    qala_dataset_free(ds);
    if (st != QALA_OK)
        return srv_fail(r, st, NULL), -1;
    return 0;
}

static json_t *summary_json(const qala_ineq_summary *s)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "n_used", (json_int_t)s->n_used, "n_missing",
                          (json_int_t)s->n_missing, "n_nonpositive", (json_int_t)s->n_nonpositive, "weight",
                          srv_num(s->weight), "mean", srv_num(s->mean), "sd", srv_num(s->sd), "min", srv_num(s->min),
                          "max", srv_num(s->max));
    for (int m = 0; m < QALA_INEQ_MEASURE_COUNT; m++)
        json_object_set_new(o, qala_ineq_measure_code((qala_ineq_measure)m),
                            srv_num(qala_ineq_summary_get(s, (qala_ineq_measure)m)));
    return o;
}

int srv_api_inequality(srv_ctx *c, srv_reply *r)
{
    qala_lang lang;
    int unweighted;
    const char *weights = srv_param(c, "weights"), *by = srv_param(c, "by");
    if (srv_lang(c, r, &lang) || srv_flag_param(c, r, "unweighted", &unweighted))
        return 0;
    if (weights && unweighted)
        return srv_error(r, 400, "weights and unweighted do not go together");
    if (!weights && !unweighted)
        weights = "population";
    const char *ind = srv_param(c, "indicator");
    if (weights && ind && strcmp(weights, ind) == 0)
        weights = NULL; /* the weight's own inequality: unweighted */
    size_t wi;
    if (weights && qala_framework_find(c->m->fw, weights, &wi) != QALA_OK)
        return srv_error(r, 400, "weights '%s': no indicator with that code", weights);
    qala_panel *panel = NULL;
    qala_panel_grouping *grouping = NULL;
    qala_ineq_report *rep = NULL;
    size_t ii;
    if (panel_of(c, r, weights, 1, &panel, &ii))
        return 0;
    size_t p = panel->nperiods == 1 && srv_param(c, "period") ? 0 : qala_panel_default_period(panel);
    if (p == SIZE_MAX || panel->nperiods == 0) {
        qala_panel_free(panel);
        return srv_error(r, 404, "no values of '%s' for these units", ind);
    }
    qala_status st = by ? qala_panel_grouping_make(&grouping, panel, c->m->reg, by) : QALA_OK;
    qala_ineq_report_options opt = QALA_INEQ_REPORT_OPTIONS_INIT;
    opt.period = p;
    opt.weighted = weights != NULL;
    opt.by = grouping;
    if (st == QALA_OK)
        st = qala_ineq_report_compute(&rep, panel, &opt);
    if (st != QALA_OK) {
        srv_fail(r, st, NULL);
    } else {
        r->json = json_pack("{s:s, s:o, s:s?, s:I, s:I, s:I, s:o, s:o}", "indicator", ind, "period",
                            srv_period(rep->period), "weights", opt.weighted ? weights : NULL, "n_units",
                            (json_int_t)rep->n_units, "n_no_value", (json_int_t)rep->n_no_value, "n_no_weight",
                            (json_int_t)rep->n_no_weight, "summary", summary_json(&rep->summary), "unweighted",
                            summary_json(&rep->unweighted));
        json_t *values = json_array();
        for (size_t u = 0; u < panel->nunits; u++)
            if (panel->alive[p * panel->nunits + u])
                json_array_append_new(values, json_pack("{s:s, s:s, s:o, s:o}", "unit", panel->unit_codes[u], "name",
                                                        qala_registry_name_at(c->m->reg, panel->reg_units[u], lang,
                                                                              panel->at),
                                                        "value", srv_num(panel->values[p * panel->nunits + u]),
                                                        "weight",
                                                        panel->weights ? srv_num(panel->weights[p * panel->nunits + u])
                                                                       : json_null()));
        json_object_set_new(r->json, "units", values);
        if (rep->has_decomp) {
            json_t *groups = json_array();
            for (size_t g = 0; g < rep->ngroups; g++) {
                const qala_ineq_group *gr = &rep->groups[g];
                json_array_append_new(groups, json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "group",
                                                        rep->group_codes[g], "n", (json_int_t)gr->n, "mean",
                                                        srv_num(gr->mean), "pop_share", srv_num(gr->pop_share),
                                                        "income_share", srv_num(gr->income_share), "theil_t",
                                                        srv_num(gr->theil_t), "theil_l", srv_num(gr->theil_l),
                                                        "weight", srv_num(gr->weight)));
            }
            json_object_set_new(r->json, "decomposition",
                                json_pack("{s:s, s:{s:o, s:o, s:o}, s:{s:o, s:o, s:o}, s:o}", "by", by, "theil_t",
                                          "total", srv_num(rep->decomp.t.total), "within",
                                          srv_num(rep->decomp.t.within), "between", srv_num(rep->decomp.t.between),
                                          "theil_l", "total", srv_num(rep->decomp.l.total), "within",
                                          srv_num(rep->decomp.l.within), "between", srv_num(rep->decomp.l.between),
                                          "groups", groups));
        }
    }
    qala_ineq_report_free(rep);
    qala_panel_grouping_free(grouping);
    qala_panel_free(panel);
    return 0;
}

int srv_api_trends(srv_ctx *c, srv_reply *r)
{
    qala_lang lang;
    if (srv_lang(c, r, &lang))
        return 0;
    qala_panel *panel = NULL;
    size_t ii;
    if (panel_of(c, r, NULL, 0, &panel, &ii))
        return 0;
    const qala_indicator *ind = qala_framework_get(c->m->fw, ii);
    qala_trends_report *rep = NULL;
    qala_status st = qala_trends_report_compute(&rep, panel, ind->direction, NULL, ii, c->m->reg);
    if (st != QALA_OK) {
        qala_panel_free(panel);
        return srv_fail(r, st, NULL);
    }
    json_t *rows = json_array(), *counts = json_object();
    for (size_t k = 0; k < rep->nrows; k++) {
        const qala_trend_row *row = &rep->rows[k];
        const qala_trend_summary *t = &row->trend;
        json_array_append_new(rows, json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
                                              "unit", panel->unit_codes[row->unit], "name",
                                              qala_registry_name_at(c->m->reg, panel->reg_units[row->unit], lang,
                                                                    panel->at),
                                              "n_obs", (json_int_t)t->n_obs, "first_period", srv_period(t->first_period),
                                              "first", srv_num(t->first), "last_period", srv_period(t->last_period),
                                              "last", srv_num(t->last), "cagr_pct", srv_num(t->cagr_pct), "slope",
                                              srv_num(t->slope), "slope_pct", srv_num(t->slope_pct), "last_change",
                                              srv_num(t->last_change), "last_change_pct",
                                              srv_num(t->last_change_pct), "class",
                                              qala_progress_class_code(row->cls)));
    }
    for (int k = 0; k < QALA_PROGRESS_CLASS_COUNT; k++)
        json_object_set_new(counts, qala_progress_class_code((qala_progress_class)k),
                            json_integer((json_int_t)rep->counts[k]));
    r->json = json_pack("{s:s, s:i, s:o, s:o, s:I, s:o, s:o}", "indicator", ind->code, "direction", ind->direction,
                        "from", srv_period(panel->nperiods ? panel->periods[0] : 0), "to",
                        srv_period(panel->nperiods ? panel->periods[panel->nperiods - 1] : 0), "n_no_data",
                        (json_int_t)rep->n_no_data, "counts", counts, "units", rows);
    qala_trends_report_free(rep);
    qala_panel_free(panel);
    return 0;
}

/* ---- sensitivity: noisy weights and leaving out each indicator ---- */

int srv_api_sensitivity(srv_ctx *c, srv_reply *r)
{
    qala_results_index_options opt;
    qala_lang lang;
    size_t n, seed, fraction_pct;
    if (srv_lang(c, r, &lang) || index_options(c, r, &opt) ||
        srv_uint_param(c, r, "n", 1, MAX_SENS_RUNS, 100, &n) || srv_uint_param(c, r, "seed", 0, 4294967295u, 1, &seed) ||
        srv_uint_param(c, r, "fraction", 1, 99, 25, &fraction_pct))
        return 0;
    if (opt.from != opt.to)
        return srv_error(r, 400, "sensitivity takes one period, not from/to");
    qala_results_index ix;
    qala_status st = qala_results__index(&ix, c->m->store, c->m->reg, &opt);
    if (st != QALA_OK)
        return srv_fail(r, st, NULL);
    if (!ix.res) {
        qala_results__index_free(&ix);
        return srv_error(r, 404, "no data for the index in that period");
    }
    qala_sens_factors *f = NULL;
    qala_sens_result *sr = NULL;
    int levels[1] = {1};
    double fractions[1] = {(double)fraction_pct / 100.0};
    if ((st = qala_sens_factors_new(&f)) == QALA_OK &&
        (st = qala_sens_add_weights(f, "weights", levels, fractions, 1, 100)) == QALA_OK &&
        (st = qala_sens_add_exclude(f, "exclude", NULL, 0)) == QALA_OK) {
        qala_sens_options so = QALA_SENS_OPTIONS_INIT;
        so.n = n;
        so.seed = seed;
        so.threads = 1;
        st = qala_sens_run(&sr, ix.tree, qala_index_data_input(ix.data), f, &so);
    }
    if (st != QALA_OK) {
        srv_fail(r, st, "sensitivity");
    } else {
        size_t nodes = qala_sens_result_nodes(sr), root = nodes - 1, nu = qala_sens_result_units(sr);
        const qala_sens_rank_summary *s = qala_sens_result_summary(sr, root);
        json_t *units = json_array();
        for (size_t u = 0; u < nu; u++) {
            const char *code = qala_sens_result_unit_code(sr, u);
            json_array_append_new(units, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "unit", code,
                                                   "name", srv_unit_name(c->m, code, lang, qala_results__last_day(ix.to)),
                                                   "nominal", srv_num(s[u].nominal), "median", srv_num(s[u].median),
                                                   "q05", srv_num(s[u].q05), "q95", srv_num(s[u].q95),
                                                   "mean_abs_shift", srv_num(s[u].mean_abs_shift), "p_top",
                                                   srv_num(s[u].p_top), "p_bottom", srv_num(s[u].p_bottom), "nruns",
                                                   (json_int_t)s[u].nruns));
        }
        r->json = json_pack("{s:s, s:o, s:s, s:I, s:I, s:I, s:[s, s], s:o}", "spec", qala_index_spec_code(ix.spec),
                            "period", srv_period(ix.to), "design", "uncertainty", "n", (json_int_t)n, "seed",
                            (json_int_t)seed, "runs", (json_int_t)qala_sens_result_runs_done(sr), "factors",
                            "weights", "exclude", "units", units);
        json_object_set_new(r->json, "fraction", srv_num((double)fraction_pct / 100.0));
    }
    qala_sens_result_free(sr);
    qala_sens_factors_free(f);
    qala_results__index_free(&ix);
    return 0;
}
