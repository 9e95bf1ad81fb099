/* cli/cmd_convergence.c — `qala convergence`: do the gaps between units close over time?
 * σ-convergence (the dispersion of each period — CV by default, or SD of logs, Gini, ... —
 * and its OLS trend) and β-convergence (do units that start lower grow faster: β, its SE
 * and p-value, R², the implied speed and half-life) of an indicator over the periods with
 * data (or --from/--to). The computing is qala_convergence_report_compute's; here the
 * choosing (cmd_inequality.c's cli_dyn_*) and the printing.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_INDICATORS 16

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static void period_str(char *buf, qala_period p)
{
    if (p)
        qala_period_format(buf, p);
    else
        buf[0] = '\0';
}

static json_t *conv_json(cli_ctx *ctx, size_t indicator, const qala_convergence_report *r, const char *weights,
                         qala_panel_units units)
{
    char a[12];
    json_t *o = json_object(), *periods = json_array();
    json_object_set_new(o, "indicator", json_string(qala_framework_get(ctx->fw, indicator)->code));
    json_object_set_new(o, "units", json_string(qala_panel_units_code(units)));
    json_object_set_new(o, "measure", json_string(qala_ineq_measure_code(r->sigma_spec.measure)));
    json_object_set_new(o, "panel", json_string(r->sigma_spec.units == QALA_SIGMA_BALANCED ? "balanced" : "available"));
    json_object_set_new(o, "weights", r->weighted ? json_string(weights) : json_null());
    for (size_t k = 0; k < r->nperiods; k++) {
        json_t *x = json_object();
        period_str(a, r->periods[k]);
        json_object_set_new(x, "period", json_string(a));
        json_object_set_new(x, "n_used", json_integer((json_int_t)r->n_used[k]));
        json_object_set_new(x, "dispersion", num(r->dispersion[k]));
        json_array_append_new(periods, x);
    }
    json_object_set_new(o, "periods", periods);
    json_t *s = json_object();
    json_object_set_new(s, "n_units", json_integer((json_int_t)r->sigma.n_units));
    json_object_set_new(s, "n_periods", json_integer((json_int_t)r->sigma.n_periods));
    json_object_set_new(s, "first", num(r->sigma.first));
    json_object_set_new(s, "last", num(r->sigma.last));
    json_object_set_new(s, "slope", num(r->sigma.slope));
    json_object_set_new(s, "slope_se", num(r->sigma.slope_se));
    json_object_set_new(s, "intercept", num(r->sigma.intercept));
    json_object_set_new(s, "r2", num(r->sigma.r2));
    json_object_set_new(o, "sigma", s);
    json_t *b = json_object();
    period_str(a, r->beta_from);
    json_object_set_new(b, "from", r->beta_from ? json_string(a) : json_null());
    period_str(a, r->beta_to);
    json_object_set_new(b, "to", r->beta_to ? json_string(a) : json_null());
    json_object_set_new(b, "years", num(r->years));
    json_object_set_new(b, "n_used", json_integer((json_int_t)r->beta.n_used));
    json_object_set_new(b, "n_missing", json_integer((json_int_t)r->beta.n_missing));
    const double f[] = {r->beta.alpha, r->beta.alpha_se, r->beta.beta, r->beta.beta_se, r->beta.t_stat,
                        r->beta.p_value, r->beta.r2, r->beta.speed, r->beta.half_life};
    static const char *const k[] = {"alpha", "alpha_se", "beta", "beta_se", "t_stat", "p_value", "r2", "speed",
                                    "half_life"};
    for (size_t i = 0; i < 9; i++)
        json_object_set_new(b, k[i], num(f[i]));
    json_object_set_new(o, "beta", b);
    return o;
}

static void csv_row(cli_ctx *ctx, const char *ind, const char *section, const char *period, const char *measure,
                    double x)
{
    char buf[64];
    cli_dyn_fmt(buf, sizeof buf, x, 15);
    fprintf(ctx->out, "%s,%s,%s,%s,%s\n", ind, section, period, measure, buf);
}

static void conv_csv(cli_ctx *ctx, size_t indicator, const qala_convergence_report *r)
{
    const char *ind = qala_framework_get(ctx->fw, indicator)->code;
    char a[12], b[12];
    for (size_t k = 0; k < r->nperiods; k++) {
        period_str(a, r->periods[k]);
        csv_row(ctx, ind, "sigma", a, "n_used", (double)r->n_used[k]);
        csv_row(ctx, ind, "sigma", a, "dispersion", r->dispersion[k]);
    }
    const double s[] = {(double)r->sigma.n_units, (double)r->sigma.n_periods, r->sigma.first, r->sigma.last,
                        r->sigma.slope, r->sigma.slope_se, r->sigma.intercept, r->sigma.r2};
    static const char *const sk[] = {"n_units", "n_periods", "first", "last", "slope", "slope_se", "intercept", "r2"};
    for (size_t i = 0; i < 8; i++)
        csv_row(ctx, ind, "sigma_trend", "", sk[i], s[i]);
    period_str(a, r->beta_from);
    period_str(b, r->beta_to);
    char range[32];
    snprintf(range, sizeof range, "%s%s%s", a, *a ? "-" : "", b);
    const double f[] = {r->years, (double)r->beta.n_used, (double)r->beta.n_missing, r->beta.alpha, r->beta.alpha_se,
                        r->beta.beta, r->beta.beta_se, r->beta.t_stat, r->beta.p_value, r->beta.r2, r->beta.speed,
                        r->beta.half_life};
    static const char *const fk[] = {"years", "n_used", "n_missing", "alpha", "alpha_se", "beta", "beta_se",
                                     "t_stat", "p_value", "r2", "speed", "half_life"};
    for (size_t i = 0; i < 12; i++)
        csv_row(ctx, ind, "beta", range, fk[i], f[i]);
}

static void conv_table(cli_ctx *ctx, size_t indicator, const qala_convergence_report *r, const char *weights,
                       qala_panel_units units)
{
    const char *bold = ctx->color ? "\033[1m" : "", *reset = ctx->color ? "\033[0m" : "";
    char a[32], b[32], c[32], d[32], e[32];
    period_str(a, r->nperiods ? r->periods[0] : 0);
    period_str(b, r->nperiods ? r->periods[r->nperiods - 1] : 0);
    int range = strcmp(a, b) != 0;
    fprintf(ctx->out, "%s%s%s — %s %s%s%s — %s\n", bold, cli_dyn_indicator_name(ctx, indicator), reset,
            cli_msg(ctx, MSG_PERIOD), a, range ? "–" : "", range ? b : "",
            cli_msg(ctx, (msg_id)(MSG_DYN_SET_FIRST_LEVEL + (int)units)));
    fprintf(ctx->out, "%s%s%s: %s, %s%s%s, %s: %zu %s\n", bold, cli_msg(ctx, MSG_CONV_SIGMA), reset,
            cli_msg(ctx, (msg_id)(MSG_DYN_CV + (int)r->sigma_spec.measure)),
            cli_msg(ctx, r->weighted ? MSG_DYN_WEIGHTED : MSG_DYN_UNWEIGHTED), r->weighted ? " " : "",
            r->weighted ? weights : "",
            cli_msg(ctx, r->sigma_spec.units == QALA_SIGMA_BALANCED ? MSG_CONV_BALANCED : MSG_CONV_AVAILABLE),
            r->sigma.n_units, cli_msg(ctx, MSG_DYN_UNITS));
    const char *headings[] = {cli_msg(ctx, MSG_PERIOD), cli_msg(ctx, MSG_COUNT), cli_msg(ctx, MSG_CONV_DISPERSION)};
    static const char *const keys[] = {"period", "n_used", "dispersion"};
    cli_table *t = cli_table_new(3, keys, headings);
    cli_table_numeric(t, 1);
    cli_table_numeric(t, 2);
    for (size_t k = 0; k < r->nperiods; k++) {
        if (isnan(r->dispersion[k]))
            continue;
        period_str(a, r->periods[k]);
        snprintf(b, sizeof b, "%zu", r->n_used[k]);
        cli_dyn_fmt(c, sizeof c, r->dispersion[k], 4);
        const char *cells[] = {a, b, c};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    if (isnan(r->sigma.slope)) {
        fprintf(ctx->out, "%s: %s\n", cli_msg(ctx, MSG_CONV_TREND), cli_msg(ctx, MSG_CONV_TOO_FEW));
    } else {
        cli_dyn_fmt(a, sizeof a, r->sigma.slope, 3);
        cli_dyn_fmt(b, sizeof b, r->sigma.slope_se, 2);
        cli_dyn_fmt(c, sizeof c, r->sigma.r2, 2);
        const char *color = !ctx->color ? "" : r->sigma.slope < 0 ? "\033[32m" : "\033[31m";
        fprintf(ctx->out, "%s: %s %s (SE %s, R² %s): %s%s%s\n", cli_msg(ctx, MSG_CONV_TREND), a,
                cli_msg(ctx, MSG_CONV_PER_YEAR), *b ? b : "—", *c ? c : "—", color,
                cli_msg(ctx, r->sigma.slope < 0 ? MSG_CONV_CONVERGING : MSG_CONV_DIVERGING), ctx->color ? reset : "");
    }
    fputc('\n', ctx->out);
    period_str(a, r->beta_from);
    period_str(b, r->beta_to);
    fprintf(ctx->out, "%s%s%s", bold, cli_msg(ctx, MSG_CONV_BETA), reset);
    if (!r->beta_from || isnan(r->beta.beta)) {
        fprintf(ctx->out, ": %s (%zu %s)\n", cli_msg(ctx, MSG_CONV_TOO_FEW), r->beta.n_used, cli_msg(ctx, MSG_DYN_UNITS));
        return;
    }
    cli_dyn_fmt(c, sizeof c, r->years, 4);
    fprintf(ctx->out, " %s–%s (%s %s, %zu %s", a, b, c, cli_msg(ctx, MSG_CONV_YEARS), r->beta.n_used,
            cli_msg(ctx, MSG_DYN_UNITS));
    if (r->beta.n_missing)
        fprintf(ctx->out, ", %zu %s", r->beta.n_missing, cli_msg(ctx, MSG_DYN_NO_VALUE));
    cli_dyn_fmt(a, sizeof a, r->beta.beta, 3);
    cli_dyn_fmt(b, sizeof b, r->beta.beta_se, 2);
    cli_dyn_fmt(c, sizeof c, r->beta.p_value, 2);
    cli_dyn_fmt(d, sizeof d, r->beta.r2, 2);
    fprintf(ctx->out, "): β = %s (SE %s, p %s), R² %s", a, *b ? b : "—", *c ? c : "—", *d ? d : "—");
    if (isfinite(r->beta.speed)) {
        cli_dyn_fmt(a, sizeof a, 100 * r->beta.speed, 3);
        cli_dyn_fmt(e, sizeof e, r->beta.half_life, 3);
        fprintf(ctx->out, "; %s %s%% %s", cli_msg(ctx, MSG_CONV_SPEED), a, cli_msg(ctx, MSG_CONV_PER_YEAR));
        if (*e)
            fprintf(ctx->out, ", %s %s %s", cli_msg(ctx, MSG_CONV_HALF_LIFE), e, cli_msg(ctx, MSG_CONV_YEARS));
    }
    fputc('\n', ctx->out);
}

int cmd_convergence(cli_ctx *ctx, int argc, char **argv)
{
    cli_dyn d = {0};
    const char *measure = NULL, *available = NULL;
    const cli_option options[] = {{"from", 1, &d.from}, {"to", 1, &d.to}, {"kind", 1, &d.kind},
                                  {"group", 1, &d.group}, {"region", 1, &d.region}, {"weights", 1, &d.weights},
                                  {"measure", 1, &measure}, {"available", 0, &available}, {NULL, 0, NULL}};
    const char *names[MAX_INDICATORS];
    int npos, rc = cli_parse(ctx, argc, argv, options, names, MAX_INDICATORS, &npos, "convergence");
    if (rc)
        return rc;
    if (npos == 0) {
        fputs("qala convergence: which indicator? (e.g. qala convergence life_expectancy_years; see 'qala indicators')\n",
              ctx->err);
        return EXIT_USAGE;
    }
    qala_convergence_options opt = QALA_CONVERGENCE_OPTIONS_INIT;
    if (measure && qala_ineq_measure_parse(&opt.sigma.measure, measure) != QALA_OK) {
        fprintf(ctx->err, "qala convergence: --measure: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    opt.sigma.units = available ? QALA_SIGMA_AVAILABLE : QALA_SIGMA_BALANCED;
    opt.weighted = d.weights != NULL;
    if ((rc = cli_dyn_load(ctx, &d, "convergence", QALA_PANEL_FIRST_LEVEL)) != EXIT_OK) {
        cli_dyn_free(&d);
        return rc;
    }
    size_t ind[MAX_INDICATORS], wi;
    for (int i = 0; i < npos && rc == EXIT_OK; i++)
        rc = cli_dyn_indicator(ctx, names[i], "convergence", &ind[i]);
    if (rc == EXIT_OK)
        cli_dyn_note_embedded(ctx, &d);
    if (rc == EXIT_OK && d.weights && qala_framework_find(ctx->fw, d.weights, &wi) != QALA_OK)
        rc = cli_dyn_indicator(ctx, d.weights, "convergence", &wi);
    json_t *all = ctx->format == FORMAT_JSON ? json_array() : NULL;
    int csv_header = ctx->format == FORMAT_CSV; /* printed before the first result */
    for (int i = 0; i < npos && rc == EXIT_OK; i++) {
        qala_panel *p = NULL;
        qala_convergence_report *r = NULL;
        const char *code = qala_framework_get(ctx->fw, ind[i])->code;
        if ((rc = cli_dyn_panel(ctx, &d, "convergence", code, d.weights, 1, &p)) != EXIT_OK)
            break;
        if (p->n_observed) {
            qala_status st = qala_convergence_report_compute(&r, p, &opt);
            if (st != QALA_OK)
                rc = cli_fail(ctx, st, code);
        }
        if (rc == EXIT_OK && !r) {
            if (ctx->format == FORMAT_TABLE)
                fprintf(ctx->out, "%s%s: %s\n", i ? "\n" : "", cli_dyn_indicator_name(ctx, ind[i]),
                        cli_msg(ctx, MSG_DYN_NO_OBSERVATIONS));
            else if (all) {
                json_t *o = json_object();
                json_object_set_new(o, "indicator", json_string(code));
                json_object_set_new(o, "periods", json_array());
                json_array_append_new(all, o);
            }
        } else if (rc == EXIT_OK && all) {
            json_array_append_new(all, conv_json(ctx, ind[i], r, d.weights, d.units));
        } else if (rc == EXIT_OK && ctx->format == FORMAT_CSV) {
            if (csv_header)
                fputs("indicator,section,period,measure,value\n", ctx->out);
            csv_header = 0;
            conv_csv(ctx, ind[i], r);
        } else if (rc == EXIT_OK) {
            if (i)
                fputc('\n', ctx->out);
            conv_table(ctx, ind[i], r, d.weights, d.units);
        }
        qala_convergence_report_free(r);
        qala_panel_free(p);
    }
    if (csv_header && rc == EXIT_OK)
        fputs("indicator,section,period,measure,value\n", ctx->out); /* no result: the header alone */
    if (all && rc == EXIT_OK) {
        json_dumpf(all, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        fputc('\n', ctx->out);
    }
    json_decref(all);
    cli_dyn_free(&d);
    return rc;
}
