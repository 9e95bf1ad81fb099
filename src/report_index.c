/* src/report_index.c — the report's composite index and differentiation sections.
 *
 * Index: the spec (an embedded one by name, or the caller's), run on the regions and
 * cities alive in the period (the period asked, else the index's default one: the
 * latest period well covered by its indicators), as `qala index` runs it; the object
 * gives the tree with weights and methods, every unit's score and rank at each level
 * (null where the unit has no score), and why indicators were screened out. The result
 * is kept in the context for the passports' strengths and weaknesses. With
 * opt->sensitivity_runs > 0 (and the index section asked), an uncertainty analysis of
 * that many runs (qala_sens_run) with the report's default factors — noisy weights ±25 %
 * at every level below the index (100 replications) and min-max [1, 100] vs z-score
 * (mean 10, sd 2), COINr's pair, positive for geometric means — gives every ranked unit's
 * nominal and median rank and 5–95 % interval ("sensitivity"; null without it). The
 * factors are written in the factor-file format, so `qala sensitivity --factors` with
 * the same seed and runs reproduces the intervals.
 *
 * Differentiation: for a fixed list of indicators, the panel of the first-level units
 * (regions and the cities of republican significance) over every period with data,
 * weighted by population; per period Gini, Theil T and L and CV with the Theil split
 * into within and between the two kinds of first-level units (oblystar, cities), then
 * σ-convergence (CV over a balanced panel) and β-convergence from the first to the last
 * period. An indicator without data is listed with "no_data": true.
 * Workload: one index run and one panel per indicator (tens of periods × 20 units).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qala/dynamics.h"
#include "qala/panel.h"
#include "qala/sensitivity.h"
#include "report_internal.h"
#include "util/internal.h"

static const char *screen_code(qala_index_screen s)
{
    switch (s) {
    case QALA_INDEX_KEPT: return "kept";
    case QALA_INDEX_LOW_AVAILABILITY: return "low_availability";
    case QALA_INDEX_TOO_MANY_ZEROS: return "too_many_zeros";
    default: return "no_column";
    }
}

/* The first day after period p. */
static qala_date day_after(qala_period p)
{
    int y = qala_period_year(p), sub = p % 100;
    int month = sub == 0 ? 13 : sub > 20 ? (sub - 20) * 3 + 1 : sub + 1;
    return month > 12 ? (y + 1) * 10000 + 101 : y * 10000 + month * 100 + 1;
}

static void write_nodes(qala_report__ctx *c, json_t *ix, const qala_index_tree *tree, const double *eff)
{
    json_t *nodes = json_array();
    for (size_t i = 0; i < tree->nnodes; i++) {
        const qala_index_node *nd = &tree->nodes[i];
        json_t *o = json_object();
        const char *names[3] = {nd->name[0], nd->name[1], nd->name[2]};
        size_t fi;
        if (!names[2] && nd->kind == QALA_INDEX_INDICATOR && qala_framework_find(c->fw, nd->code, &fi) == QALA_OK)
            for (int l = 0; l < 3; l++)
                names[l] = qala_framework_get(c->fw, fi)->name[l];
        if (!names[2])
            names[2] = nd->code;
        qala_report__set(c, o, "code", json_string(nd->code));
        qala_report__set(c, o, "name", qala_report__names(names));
        qala_report__set(c, o, "kind", json_string(nd->kind == QALA_INDEX_INDICATOR ? "indicator" : "aggregate"));
        qala_report__set(c, o, "parent", nd->parent == QALA_INDEX_NONE ? json_null() : json_string(tree->nodes[nd->parent].code));
        qala_report__set(c, o, "level", json_integer(nd->level));
        qala_report__set(c, o, "weight", qala_report__num(nd->weight));
        qala_report__set(c, o, "effective_weight", qala_report__num(eff ? eff[i] : NAN));
        if (nd->kind == QALA_INDEX_INDICATOR) {
            qala_report__set(c, o, "direction", json_integer(nd->direction));
            qala_report__set(c, o, "denominator", qala_report__str(nd->denominator));
            qala_report__set(c, o, "normalise", json_string(qala_normalise_method_name(nd->normalise.method)));
            qala_report__set(c, o, "treat", json_boolean(nd->treat));
        } else {
            qala_report__set(c, o, "aggregate", json_string(qala_agg_method_code(nd->aggregate.method)));
        }
        qala_report__push(c, nodes, o);
    }
    qala_report__set(c, ix, "nodes", nodes);
}

static void write_results(qala_report__ctx *c, json_t *ix, const qala_index_tree *tree)
{
    const qala_index_result *res = c->ires;
    const qala_index_input *in = qala_index_data_input(c->idata);
    size_t nk = qala_index_result_units(res), np = qala_index_result_periods(res), p = np - 1;
    size_t root = tree->nnodes - 1;
    json_t *units = json_array(), *inds = json_array();
    for (size_t u = 0; u < in->nunits; u++) {
        json_t *o = json_object(), *scores = json_object(), *ranks = json_object();
        size_t k = SIZE_MAX;
        for (size_t j = 0; j < nk; j++)
            if (qala_index_result_unit(res, j) == u)
                k = j;
        qala_report__set(c, o, "unit", json_string(in->unit_codes[u]));
        qala_report__set(c, o, "kept", json_boolean(k != SIZE_MAX));
        qala_report__set(c, o, "availability", qala_report__num(qala_index_result_unit_availability(res, u)));
        qala_report__set(c, o, "observations", json_integer((json_int_t)qala_index_data_unit_observations(c->idata, u)));
        for (size_t node = tree->nindicators; node < tree->nnodes; node++) {
            const double *sc = qala_index_result_column(res, QALA_INDEX_STAGE_AGGREGATED, node);
            const double *rk = qala_index_result_column(res, QALA_INDEX_STAGE_RANKED, node);
            double s = sc && k != SIZE_MAX ? sc[p * nk + k] : NAN, r = rk && k != SIZE_MAX ? rk[p * nk + k] : NAN;
            qala_report__set(c, scores, tree->nodes[node].code, qala_report__num(s));
            qala_report__set(c, ranks, tree->nodes[node].code, qala_report__num(r));
            if (node == root) {
                qala_report__set(c, o, "score", qala_report__num(s));
                qala_report__set(c, o, "rank", qala_report__num(r));
            }
        }
        qala_report__set(c, o, "scores", scores);
        qala_report__set(c, o, "ranks", ranks);
        qala_report__push(c, units, o);
    }
    for (size_t i = 0; i < tree->nindicators; i++) {
        const qala_index_indicator_report *rep = qala_index_result_report(res, i);
        qala_report__push(c, inds, json_pack("{s:s,s:s,s:o,s:I,s:I}", "code", tree->nodes[i].code, "screen",
                                             screen_code(rep->screen), "availability",
                                             qala_report__num(rep->availability), "imputed", (json_int_t)rep->n_imputed,
                                             "treated", (json_int_t)rep->n_treated));
    }
    qala_report__set(c, ix, "units", units);
    qala_report__set(c, ix, "indicator_reports", inds);
}

/* ---- rank intervals ------------------------------------------------------------------ */

/* The default factors, as the "factors" array of a factor file (docs/sensitivity.md). */
static json_t *default_factors(const qala_index_tree *tree)
{
    json_t *noise = json_array();
    for (int l = 1; l < tree->nlevels; l++)
        json_array_append_new(noise, json_pack("{s:i, s:f}", "level", l, "fraction", 0.25));
    return json_pack("[{s:s, s:s, s:o, s:i}, {s:s, s:s, s:[{s:s, s:i, s:i}, {s:s, s:i, s:i}]}]",
                     "name", "weights", "type", "weights", "noise", noise, "replications", 100,
                     "name", "normalisation", "type", "normalise", "methods",
                     "method", "minmax", "lower", 1, "upper", 100, "method", "zscore", "mean", 10, "sd", 2);
}

/* index.sensitivity: {seed, runs, runs_done, factors, units: [{code, nominal, median, q05,
 * q95, mean_abs_shift}]} by nominal rank; the units without any rank are left out. */
static qala_status write_sensitivity(qala_report__ctx *c, json_t *ix, const qala_index_tree *tree)
{
    json_t *factors = default_factors(tree);
    json_t *file = factors ? json_pack("{s:i, s:O}", "qala_sensitivity", 1, "factors", factors) : NULL;
    char *text = file ? json_dumps(file, JSON_COMPACT) : NULL;
    json_decref(file);
    qala_sens_factors *fs = NULL;
    qala_sens_result *res = NULL;
    qala_status st = text ? qala_sens_factors_new(&fs) : qala_err__set(QALA_ENOMEM, "out of memory");
    if (st == QALA_OK)
        st = qala_sens_factors_load_json(fs, text, strlen(text), "report sensitivity factors");
    free(text);
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.n = c->opt->sensitivity_runs;
    opt.seed = c->opt->sensitivity_seed;
    if (st == QALA_OK)
        st = qala_sens_run(&res, tree, qala_index_data_input(c->idata), fs, &opt);
    if (st != QALA_OK) {
        json_decref(factors);
        qala_sens_factors_free(fs);
        return st;
    }
    json_t *o = json_object(), *units = json_array();
    qala_report__set(c, o, "seed", json_integer((json_int_t)qala_sens_result_seed(res)));
    qala_report__set(c, o, "runs", json_integer((json_int_t)qala_sens_result_runs(res)));
    qala_report__set(c, o, "runs_done", json_integer((json_int_t)qala_sens_result_runs_done(res)));
    qala_report__set(c, o, "quantiles", json_string("type 7"));
    qala_report__set(c, o, "factors", factors);
    size_t nu = qala_sens_result_units(res);
    const qala_sens_rank_summary *s = qala_sens_result_summary(res, qala_sens_result_nodes(res) - 1);
    size_t *order = qala_mem__calloc(nu + 1, sizeof *order), n = 0;
    if (!order) {
        json_decref(o);
        json_decref(units);
        qala_sens_result_free(res);
        qala_sens_factors_free(fs);
        return qala_err__set(QALA_ENOMEM, "out of memory");
    }
    for (size_t u = 0; u < nu; u++)
        if (!isnan(s[u].nominal) || s[u].nruns > 0)
            order[n++] = u;
    /* insertion sort by nominal rank (units without one last), input order among equals:
     * tens to thousands of units, once */
    for (size_t i = 1; i < n; i++) {
        size_t u = order[i], j = i;
        double key = isnan(s[u].nominal) ? INFINITY : s[u].nominal;
        while (j > 0 && (isnan(s[order[j - 1]].nominal) ? INFINITY : s[order[j - 1]].nominal) > key) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = u;
    }
    for (size_t i = 0; i < n; i++) {
        const qala_sens_rank_summary *x = &s[order[i]];
        json_t *row = json_object();
        qala_report__set(c, row, "code", json_string(qala_sens_result_unit_code(res, order[i])));
        qala_report__set(c, row, "nominal", qala_report__num(x->nominal));
        qala_report__set(c, row, "median", qala_report__num(x->median));
        qala_report__set(c, row, "q05", qala_report__num(x->q05));
        qala_report__set(c, row, "q95", qala_report__num(x->q95));
        qala_report__set(c, row, "mean_abs_shift", qala_report__num(x->mean_abs_shift));
        qala_report__push(c, units, row);
    }
    qala_report__set(c, o, "units", units);
    qala_report__set(c, ix, "sensitivity", o);
    qala_mem__free(order);
    qala_sens_result_free(res);
    qala_sens_factors_free(fs);
    return QALA_OK;
}

qala_status qala_report__index(qala_report__ctx *c)
{
    json_t *ix = json_object();
    qala_report__set(c, c->root, "index", ix);
    qala_status st = QALA_OK;
    c->spec = c->opt->index_spec;
    if (!c->spec) {
        if ((st = qala_index_spec_new(&c->own_spec)) == QALA_OK)
            st = qala_index_spec_load_default(c->own_spec, c->opt->spec ? c->opt->spec : "city-development", NULL);
        if (st != QALA_OK)
            return st;
        c->spec = c->own_spec;
    }
    const qala_index_tree *tree = qala_index_spec_tree(c->spec);
    if (!tree)
        return qala_err__set(QALA_EINVAL, "the index spec is not finished");
    const char *names[3];
    for (int l = 0; l < 3; l++)
        names[l] = qala_index_spec_name(c->spec, (qala_lang)l);
    qala_report__set(c, ix, "spec", json_string(qala_index_spec_code(c->spec)));
    qala_report__set(c, ix, "name", qala_report__names(names));
    qala_report__set(c, ix, "source", json_string(qala_index_spec_source(c->spec)));
    qala_report__set(c, ix, "description", json_string(qala_index_spec_description(c->spec)));
    qala_report__set(c, ix, "sensitivity", json_null()); /* replaced when an analysis is run */
    qala_period period = c->opt->period;
    if (!period && qala_index_data_default_period(&period, c->ds, tree) != QALA_OK)
        period = 0;
    qala_report__set(c, ix, "period", qala_report__period(period));
    if (!period) {
        write_nodes(c, ix, tree, NULL);
        qala_report__set(c, ix, "units", json_array());
        qala_report__set(c, ix, "no_data", json_true());
        return QALA_OK;
    }
    /* the regions and cities alive at some time in the period */
    size_t nreg = qala_registry_unit_count(c->reg), n = 0;
    const char **codes = qala_mem__calloc(nreg + 1, sizeof *codes);
    if (!codes)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    qala_date start = qala_period_start(period), end = day_after(period);
    for (size_t u = 0; u < nreg; u++) {
        const qala_unit *unit = qala_registry_unit(c->reg, u);
        if (unit->kind != QALA_UNIT_COUNTRY && unit->valid_from < end && unit->valid_to > start)
            codes[n++] = unit->code;
    }
    qala_index_data_options dopt = QALA_INDEX_DATA_OPTIONS_INIT;
    dopt.from = dopt.to = period;
    dopt.units = codes;
    dopt.nunits = n;
    st = qala_index_data_build(&c->idata, c->ds, tree, c->reg, &dopt);
    qala_mem__free(codes);
    if (st != QALA_OK)
        return st;
    const qala_index_input *in = qala_index_data_input(c->idata);
    size_t observed = 0;
    for (size_t u = 0; u < in->nunits; u++)
        observed += qala_index_data_unit_observations(c->idata, u);
    if (observed && (st = qala_index_run(&c->ires, tree, in)) != QALA_OK)
        return st;
    write_nodes(c, ix, tree, c->ires ? qala_index_result_effective_weights(c->ires) : NULL);
    qala_report__set(c, ix, "no_data", json_boolean(!c->ires));
    if (c->ires)
        write_results(c, ix, tree);
    else
        qala_report__set(c, ix, "units", json_array());
    if (c->ires && c->opt->sensitivity_runs && (c->sections & QALA_REPORT_INDEX))
        return write_sensitivity(c, ix, tree);
    return QALA_OK;
}

/* ---- differentiation ------------------------------------------------------------------ */

static const char *const ineq_indicators[] = {"grp_per_capita_kzt_thousand", "wage_nominal_kzt",
                                               "life_expectancy_years", "unemployment_ilo_pct",
                                               "emissions_stationary_kt"};

static qala_status ineq_periods(qala_report__ctx *c, json_t *out, const qala_panel *panel,
                                const qala_panel_grouping *by)
{
    json_t *periods = json_array();
    qala_report__set(c, out, "periods", periods);
    for (size_t p = 0; p < panel->nperiods; p++) {
        if (qala_panel_observed(panel, p) < 2)
            continue;
        qala_ineq_report_options o = QALA_INEQ_REPORT_OPTIONS_INIT;
        o.period = p;
        o.weighted = 1;
        o.by = by;
        qala_ineq_report *r = NULL;
        qala_status st = qala_ineq_report_compute(&r, panel, &o);
        if (st != QALA_OK)
            return st;
        const qala_ineq_summary *s = &r->summary;
        json_t *row = json_object();
        qala_report__set(c, row, "period", qala_report__period(r->period));
        qala_report__set(c, row, "n_units", json_integer((json_int_t)r->n_units));
        qala_report__set(c, row, "n_used", json_integer((json_int_t)s->n_used));
        qala_report__set(c, row, "gini", qala_report__num(s->gini));
        qala_report__set(c, row, "theil_t", qala_report__num(s->theil_t));
        qala_report__set(c, row, "theil_l", qala_report__num(s->theil_l));
        qala_report__set(c, row, "cv", qala_report__num(s->cv));
        qala_report__set(c, row, "gini_unweighted", qala_report__num(r->unweighted.gini));
        double tw = r->has_decomp ? r->decomp.t.within : NAN, tb = r->has_decomp ? r->decomp.t.between : NAN;
        qala_report__set(c, row, "theil_t_within", qala_report__num(tw));
        qala_report__set(c, row, "theil_t_between", qala_report__num(tb));
        qala_report__set(c, row, "theil_l_within", qala_report__num(r->has_decomp ? r->decomp.l.within : NAN));
        qala_report__set(c, row, "theil_l_between", qala_report__num(r->has_decomp ? r->decomp.l.between : NAN));
        qala_report__push(c, periods, row);
        qala_ineq_report_free(r);
    }
    return QALA_OK;
}

static qala_status convergence(qala_report__ctx *c, json_t *out, const qala_panel *panel)
{
    qala_convergence_options o = QALA_CONVERGENCE_OPTIONS_INIT;
    qala_convergence_report *r = NULL;
    qala_status st = qala_convergence_report_compute(&r, panel, &o);
    if (st != QALA_OK)
        return st;
    json_t *sigma = json_object(), *pts = json_array();
    for (size_t p = 0; p < r->nperiods; p++)
        if (isfinite(r->dispersion[p]))
            qala_report__push(c, pts, json_pack("[o,o,I]", qala_report__period(r->periods[p]),
                                                qala_report__num(r->dispersion[p]), (json_int_t)r->n_used[p]));
    qala_report__set(c, sigma, "measure", json_string(qala_ineq_measure_code(r->sigma_spec.measure)));
    qala_report__set(c, sigma, "balanced", json_boolean(r->sigma_spec.units == QALA_SIGMA_BALANCED));
    qala_report__set(c, sigma, "n_units", json_integer((json_int_t)r->sigma.n_units));
    qala_report__set(c, sigma, "points", pts);
    qala_report__set(c, sigma, "slope", qala_report__num(r->sigma.slope));
    qala_report__set(c, sigma, "slope_se", qala_report__num(r->sigma.slope_se));
    qala_report__set(c, sigma, "r2", qala_report__num(r->sigma.r2));
    qala_report__set(c, out, "sigma", sigma);
    json_t *beta = json_object();
    qala_report__set(c, beta, "from", qala_report__period(r->beta_from));
    qala_report__set(c, beta, "to", qala_report__period(r->beta_to));
    qala_report__set(c, beta, "n_used", json_integer((json_int_t)r->beta.n_used));
    qala_report__set(c, beta, "beta", qala_report__num(r->beta.beta));
    qala_report__set(c, beta, "p_value", qala_report__num(r->beta.p_value));
    qala_report__set(c, beta, "speed", qala_report__num(r->beta.speed));
    qala_report__set(c, beta, "half_life", qala_report__num(r->beta.half_life));
    qala_report__set(c, out, "beta", beta);
    qala_convergence_report_free(r);
    return QALA_OK;
}

qala_status qala_report__inequality(qala_report__ctx *c)
{
    json_t *ineq = json_object(), *list = json_array();
    qala_report__set(c, c->root, "inequality", ineq);
    qala_report__set(c, ineq, "units", json_string(qala_panel_units_code(QALA_PANEL_FIRST_LEVEL)));
    qala_report__set(c, ineq, "weights", json_string("population"));
    qala_report__set(c, ineq, "by", json_string("kind"));
    qala_report__set(c, ineq, "indicators", list);
    qala_status st = QALA_OK;
    int any = 0;
    for (size_t i = 0; st == QALA_OK && i < sizeof ineq_indicators / sizeof *ineq_indicators; i++) {
        size_t fi;
        if (qala_framework_find(c->fw, ineq_indicators[i], &fi) != QALA_OK)
            continue;
        qala_panel_options po = QALA_PANEL_OPTIONS_INIT;
        po.indicator = ineq_indicators[i];
        po.weights = "population";
        po.at = c->at;
        qala_panel *panel = NULL;
        qala_panel_grouping *by = NULL;
        json_t *o = json_object();
        qala_report__set(c, o, "indicator", json_string(ineq_indicators[i]));
        qala_report__push(c, list, o);
        st = qala_panel_build(&panel, c->ds, c->reg, &po);
        int has = st == QALA_OK && panel->n_observed > 0;
        qala_report__set(c, o, "no_data", json_boolean(!has));
        if (has && (st = qala_panel_grouping_make(&by, panel, c->reg, "kind")) == QALA_OK &&
            (st = ineq_periods(c, o, panel, by)) == QALA_OK)
            st = convergence(c, o, panel);
        any |= has;
        qala_panel_grouping_free(by);
        qala_panel_free(panel);
    }
    qala_report__set(c, ineq, "no_data", json_boolean(!any));
    return st;
}
