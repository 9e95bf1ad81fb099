/* cli/cmd_inequality.c — `qala inequality`: how unequal the units are on an indicator in
 * one period (Gini, CV, max/min, top/bottom 20%, Theil T and L, SD of logs; weighted by
 * population and not), and which part lies between groups (--by) or, nested, between
 * groups inside outer groups (--by A --within B).
 *
 * This file also holds what the four "dynamics" commands share (cli_dyn_*: the options
 * choosing units and periods, loading the observations from the database or the
 * embedded demo statistics, resolving indicators and groups with suggestions, building
 * the panel). The computing is libqala's (qala/panel.h, qala/dynamics.h); here only
 * choosing, printing and the words.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_WEIGHTS "population"
#define MAX_INDICATORS 16
#define MAX_GROUPS CLI_DYN_MAX_GROUPS

/* ---- shared by inequality, convergence, trends, compare ---------------------------- */

void cli_dyn_fmt(char *buf, size_t n, double x, int digits)
{
    double lim = 1;
    for (int i = 0; i < digits && i < 15; i++)
        lim *= 10;
    if (isnan(x))
        buf[0] = '\0';
    else if (isinf(x))
        snprintf(buf, n, "%s", x > 0 ? "inf" : "-inf");
    else if (digits < 15 && (x >= lim || x <= -lim))
        snprintf(buf, n, "%.0f", x); /* 1317082, not 1.31708e+06 */
    else
        snprintf(buf, n, "%.*g", digits, x);
}

const char *cli_dyn_indicator_name(const cli_ctx *ctx, size_t indicator)
{
    static char buf[512];
    const qala_indicator *ind = qala_framework_get(ctx->fw, indicator);
    int l = ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)ctx->lang;
    snprintf(buf, sizeof buf, "%s (%s)", ind->name[l] && *ind->name[l] ? ind->name[l] : ind->code, ind->code);
    return buf;
}

const char *cli_dyn_unit_name(const cli_ctx *ctx, const qala_panel *p, size_t u)
{
    return qala_registry_name_at(ctx->reg, p->reg_units[u], ctx->lang, ctx->at);
}

const char *cli_dyn_group_name(const cli_ctx *ctx, const char *code)
{
    size_t i;
    if (strcmp(code, "other") == 0)
        return cli_msg(ctx, MSG_DYN_OTHER);
    if (strcmp(code, "rest") == 0)
        return cli_msg(ctx, MSG_CMP_REST);
    if (strcmp(code, "region") == 0)
        return cli_msg(ctx, MSG_DYN_SET_REGIONS);
    if (strcmp(code, "city") == 0)
        return cli_msg(ctx, MSG_DYN_SET_CITIES);
    if (qala_registry_find_group(ctx->reg, code, &i) == QALA_OK)
        return qala_registry_group(ctx->reg, i)->name[ctx->lang == QALA_LANG_KK_LATN ? 0 : ctx->lang];
    if (qala_registry_find(ctx->reg, code, &i) == QALA_OK)
        return qala_registry_name_at(ctx->reg, i, ctx->lang, ctx->at);
    return code;
}

static int parse_period(cli_ctx *ctx, const char *command, const char *opt, const char *text, qala_period *p)
{
    if (qala_period_parse(p, text, strlen(text)) == QALA_OK)
        return EXIT_OK;
    fprintf(ctx->err, "qala %s: --%s: %s\n", command, opt, qala_error_last()->message);
    return EXIT_USAGE;
}

/* The observations: the database's, or the embedded demo statistics without one. */
static int load_observations(cli_ctx *ctx, cli_dyn *d)
{
    int exists = access(ctx->db_path, F_OK) == 0;
    int rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | (exists ? LOAD_STORE : 0));
    if (rc != EXIT_OK)
        return rc;
    qala_status st = qala_dataset_new(&d->ds);
    if (st == QALA_OK && exists) {
        st = qala_store_query_observations(ctx->store, NULL, d->ds);
    } else if (st == QALA_OK) {
        d->embedded = 1;
        qala_findings *f = NULL;
        st = qala_findings_new(&f);
        if (st == QALA_OK)
            st = qala_import_demo(d->ds, f, ctx->reg, ctx->fw);
        if (st != QALA_OK)
            cli_print_findings(ctx, f);
        qala_findings_free(f);
    }
    return st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, "loading the observations");
}

int cli_dyn_load(cli_ctx *ctx, cli_dyn *d, const char *command, qala_panel_units default_units)
{
    int rc;
    d->units = default_units;
    if (d->kind && qala_panel_units_parse(&d->units, d->kind) != QALA_OK) {
        fprintf(ctx->err, "qala %s: --kind '%s': expected first-level, region, city or all\n", command, d->kind);
        return EXIT_USAGE;
    }
    if (d->period && (d->from || d->to)) {
        fprintf(ctx->err, "qala %s: --period and --from/--to do not go together\n", command);
        return EXIT_USAGE;
    }
    if (d->period && (rc = parse_period(ctx, command, "period", d->period, &d->p_period)) != EXIT_OK)
        return rc;
    if (d->from && (rc = parse_period(ctx, command, "from", d->from, &d->p_from)) != EXIT_OK)
        return rc;
    if (d->to && (rc = parse_period(ctx, command, "to", d->to, &d->p_to)) != EXIT_OK)
        return rc;
    if ((d->from != NULL) != (d->to != NULL)) {
        fprintf(ctx->err, "qala %s: give both --from and --to (or neither: every period with data)\n", command);
        return EXIT_USAGE;
    }
    if (d->from && (d->p_from > d->p_to || qala_period_frequency(d->p_from) != qala_period_frequency(d->p_to))) {
        fprintf(ctx->err, "qala %s: --from must come before --to, in the same frequency\n", command);
        return EXIT_USAGE;
    }
    return load_observations(ctx, d);
}

int cli_dyn_indicator(cli_ctx *ctx, const char *text, const char *command, size_t *index)
{
    size_t sugg[3], ns = 0;
    qala_status st = qala_framework_match(ctx->fw, text, strlen(text), index, sugg, &ns);
    if (st == QALA_OK)
        return EXIT_OK;
    if (st != QALA_ENOTFOUND && st != QALA_EAMBIGUOUS)
        return cli_fail(ctx, st, NULL);
    fprintf(ctx->err, "qala %s: %s indicator '%s'", command, st == QALA_EAMBIGUOUS ? "ambiguous" : "unknown", text);
    for (size_t i = 0; i < ns; i++)
        fprintf(ctx->err, "%s%s", i == 0 ? (st == QALA_EAMBIGUOUS ? ": could be " : ": did you mean ") : ", ",
                qala_framework_get(ctx->fw, sugg[i])->code);
    fprintf(ctx->err, "%s (see 'qala indicators')\n", ns && st == QALA_ENOTFOUND ? "?" : "");
    return EXIT_USAGE;
}

/* Splits "G1,G2" into codes (pointers into buf), checking each against the registry. */
int cli_dyn_split_groups(cli_ctx *ctx, const char *command, const char *text, char *buf, size_t bufsize,
                         const char **codes, size_t *n)
{
    snprintf(buf, bufsize, "%s", text);
    *n = 0;
    for (char *s = buf; s && *n < MAX_GROUPS;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        size_t g;
        if (qala_registry_find_group(ctx->reg, s, &g) != QALA_OK) {
            fprintf(ctx->err, "qala %s: unknown group '%s'", command, s);
            const char *best = NULL;
            size_t best_d = 3;
            for (size_t i = 0; i < qala_registry_group_count(ctx->reg); i++) {
                size_t dist = qala_text_distance(s, qala_registry_group(ctx->reg, i)->code, 3);
                if (dist < best_d) {
                    best_d = dist;
                    best = qala_registry_group(ctx->reg, i)->code;
                }
            }
            if (best)
                fprintf(ctx->err, ": did you mean '%s'?", best);
            fputs(" (see 'qala groups')\n", ctx->err);
            return EXIT_USAGE;
        }
        codes[(*n)++] = s;
        s = comma ? comma + 1 : NULL;
    }
    return EXIT_OK;
}

int cli_dyn_panel(cli_ctx *ctx, cli_dyn *d, const char *command, const char *code, const char *weights,
                  int group_filter, qala_panel **out)
{
    *out = NULL;
    qala_panel_options opt = QALA_PANEL_OPTIONS_INIT;
    opt.indicator = code;
    opt.weights = weights;
    opt.units = d->units;
    opt.from = d->p_period ? d->p_period : d->p_from;
    opt.to = d->p_period ? d->p_period : d->p_to;
    if (ctx->at != qala_date_today())
        opt.at = ctx->at; /* --at given: the layout then; else the end of the last period */
    char buf[512];
    const char *codes[MAX_GROUPS];
    int rc;
    if (group_filter && d->group) {
        if ((rc = cli_dyn_split_groups(ctx, command, d->group, buf, sizeof buf, codes, &opt.ngroups)) != EXIT_OK)
            return rc;
        opt.groups = codes;
    }
    size_t region;
    if (d->region) {
        if ((rc = cli_resolve_unit(ctx, d->region, &region)) != EXIT_OK)
            return rc;
        opt.region = qala_registry_unit(ctx->reg, region)->code;
    }
    qala_status st = qala_panel_build(out, d->ds, ctx->reg, &opt);
    return st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, NULL);
}

size_t cli_dyn_period(const cli_dyn *d, const qala_panel *p)
{
    if (d->p_period)
        return qala_panel_period_index(p, d->p_period);
    return qala_panel_default_period(p);
}

void cli_dyn_note_embedded(cli_ctx *ctx, const cli_dyn *d)
{
    if (d->embedded && ctx->format == FORMAT_TABLE)
        fprintf(ctx->out, "(%s)\n", cli_msg(ctx, MSG_INDEX_EMBEDDED));
}

void cli_dyn_free(cli_dyn *d)
{
    qala_dataset_free(d->ds);
    d->ds = NULL;
}

/* ---- inequality: rendering ----------------------------------------------------------- */

typedef struct ineq_view {
    cli_ctx *ctx;
    size_t indicator;
    const char *by, *within, *weights;
    const qala_panel *panel;
    const qala_ineq_report *rep;
    qala_panel_units panel_units;
} ineq_view;

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *summary_json(const qala_ineq_summary *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "n_used", json_integer((json_int_t)s->n_used));
    json_object_set_new(o, "n_missing", json_integer((json_int_t)s->n_missing));
    json_object_set_new(o, "n_nonpositive", json_integer((json_int_t)s->n_nonpositive));
    json_object_set_new(o, "weight", num(s->weight));
    json_object_set_new(o, "mean", num(s->mean));
    json_object_set_new(o, "sd", num(s->sd));
    json_object_set_new(o, "min", num(s->min));
    json_object_set_new(o, "max", num(s->max));
    for (int m = 0; m < QALA_INEQ_MEASURE_COUNT; m++)
        json_object_set_new(o, qala_ineq_measure_code((qala_ineq_measure)m),
                            num(qala_ineq_summary_get(s, (qala_ineq_measure)m)));
    return o;
}

static json_t *group_json(const char *code, const qala_ineq_group *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "group", json_string(code));
    json_object_set_new(o, "n", json_integer((json_int_t)g->n));
    json_object_set_new(o, "weight", num(g->weight));
    json_object_set_new(o, "mean", num(g->mean));
    json_object_set_new(o, "pop_share", num(g->pop_share));
    json_object_set_new(o, "income_share", num(g->income_share));
    json_object_set_new(o, "theil_t", num(g->theil_t));
    json_object_set_new(o, "theil_l", num(g->theil_l));
    json_object_set_new(o, "between_t", num(g->between_t));
    json_object_set_new(o, "between_l", num(g->between_l));
    return o;
}

static json_t *parts_json(const qala_theil_parts *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "total", num(t->total));
    json_object_set_new(o, "within", num(t->within));
    json_object_set_new(o, "between", num(t->between));
    return o;
}

static json_t *nested_parts_json(const qala_theil_nested_parts *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "total", num(t->total));
    json_object_set_new(o, "within_inner", num(t->within_inner));
    json_object_set_new(o, "between_inner", num(t->between_inner));
    json_object_set_new(o, "between_outer", num(t->between_outer));
    return o;
}

static json_t *ineq_json(const ineq_view *v)
{
    const qala_ineq_report *r = v->rep;
    char period[12];
    json_t *o = json_object();
    json_object_set_new(o, "indicator", json_string(qala_framework_get(v->ctx->fw, v->indicator)->code));
    if (!r) {
        json_object_set_new(o, "period", json_null());
        return o;
    }
    qala_period_format(period, r->period);
    json_object_set_new(o, "period", json_string(period));
    json_object_set_new(o, "units", json_string(qala_panel_units_code(v->panel_units)));
    json_object_set_new(o, "weights", r->weighted ? json_string(v->weights) : json_null());
    json_object_set_new(o, "n_units", json_integer((json_int_t)r->n_units));
    json_object_set_new(o, "n_no_value", json_integer((json_int_t)r->n_no_value));
    json_object_set_new(o, "n_no_weight", json_integer((json_int_t)r->n_no_weight));
    json_object_set_new(o, "summary", summary_json(&r->summary));
    json_object_set_new(o, "unweighted", summary_json(&r->unweighted));
    if (r->has_decomp) {
        json_t *d = json_object(), *groups = json_array();
        json_object_set_new(d, "by", json_string(v->by));
        json_object_set_new(d, "n_used", json_integer((json_int_t)r->decomp.n_used));
        json_object_set_new(d, "n_missing", json_integer((json_int_t)r->decomp.n_missing));
        json_object_set_new(d, "n_no_group", json_integer((json_int_t)r->decomp.n_no_group));
        json_object_set_new(d, "n_nonpositive", json_integer((json_int_t)r->decomp.n_nonpositive));
        json_object_set_new(d, "n_groups", json_integer((json_int_t)r->decomp.n_groups));
        json_object_set_new(d, "weight", num(r->decomp.weight));
        json_object_set_new(d, "mean", num(r->decomp.mean));
        json_object_set_new(d, "theil_t", parts_json(&r->decomp.t));
        json_object_set_new(d, "theil_l", parts_json(&r->decomp.l));
        for (size_t g = 0; g < r->ngroups; g++)
            json_array_append_new(groups, group_json(r->group_codes[g], &r->groups[g]));
        json_object_set_new(d, "groups", groups);
        json_object_set_new(o, "decomposition", d);
    }
    if (r->has_nested) {
        json_t *d = json_object(), *inner = json_array(), *outer = json_array();
        json_object_set_new(d, "by", json_string(v->by));
        json_object_set_new(d, "within", json_string(v->within));
        json_object_set_new(d, "n_used", json_integer((json_int_t)r->nested.n_used));
        json_object_set_new(d, "n_missing", json_integer((json_int_t)r->nested.n_missing));
        json_object_set_new(d, "n_no_group", json_integer((json_int_t)r->nested.n_no_group));
        json_object_set_new(d, "n_nonpositive", json_integer((json_int_t)r->nested.n_nonpositive));
        json_object_set_new(d, "n_inner", json_integer((json_int_t)r->nested.n_inner));
        json_object_set_new(d, "n_outer", json_integer((json_int_t)r->nested.n_outer));
        json_object_set_new(d, "weight", num(r->nested.weight));
        json_object_set_new(d, "mean", num(r->nested.mean));
        json_object_set_new(d, "theil_t", nested_parts_json(&r->nested.t));
        json_object_set_new(d, "theil_l", nested_parts_json(&r->nested.l));
        for (size_t g = 0; g < r->nouter; g++)
            json_array_append_new(outer, group_json(r->outer_codes[g], &r->outer_groups[g]));
        for (size_t g = 0; g < r->ninner; g++) {
            json_t *x = group_json(r->inner_codes[g], &r->inner_groups[g]);
            json_object_set_new(x, "outer", json_string(r->outer_codes[r->inner_outer[g]]));
            json_array_append_new(inner, x);
        }
        json_object_set_new(d, "outer_groups", outer);
        json_object_set_new(d, "inner_groups", inner);
        json_object_set_new(o, "nested", d);
    }
    return o;
}

/* CSV: indicator,period,section,group,measure,value (long, every field). */
static void csv_row(cli_ctx *ctx, const char *ind, const char *period, const char *section, const char *group,
                    const char *measure, double x)
{
    char buf[64];
    cli_dyn_fmt(buf, sizeof buf, x, 15);
    fprintf(ctx->out, "%s,%s,%s,", ind, period, section);
    cli_csv_field(ctx->out, group, strlen(group));
    fprintf(ctx->out, ",%s,%s\n", measure, buf);
}

static void summary_csv(cli_ctx *ctx, const char *ind, const char *period, const char *section,
                        const qala_ineq_summary *s)
{
    csv_row(ctx, ind, period, section, "", "n_used", (double)s->n_used);
    csv_row(ctx, ind, period, section, "", "n_missing", (double)s->n_missing);
    csv_row(ctx, ind, period, section, "", "n_nonpositive", (double)s->n_nonpositive);
    csv_row(ctx, ind, period, section, "", "weight", s->weight);
    csv_row(ctx, ind, period, section, "", "mean", s->mean);
    csv_row(ctx, ind, period, section, "", "sd", s->sd);
    csv_row(ctx, ind, period, section, "", "min", s->min);
    csv_row(ctx, ind, period, section, "", "max", s->max);
    for (int m = 0; m < QALA_INEQ_MEASURE_COUNT; m++)
        csv_row(ctx, ind, period, section, "", qala_ineq_measure_code((qala_ineq_measure)m),
                qala_ineq_summary_get(s, (qala_ineq_measure)m));
}

static void group_csv(cli_ctx *ctx, const char *ind, const char *period, const char *section, const char *code,
                      const qala_ineq_group *g)
{
    csv_row(ctx, ind, period, section, code, "n", (double)g->n);
    csv_row(ctx, ind, period, section, code, "weight", g->weight);
    csv_row(ctx, ind, period, section, code, "mean", g->mean);
    csv_row(ctx, ind, period, section, code, "pop_share", g->pop_share);
    csv_row(ctx, ind, period, section, code, "income_share", g->income_share);
    csv_row(ctx, ind, period, section, code, "theil_t", g->theil_t);
    csv_row(ctx, ind, period, section, code, "theil_l", g->theil_l);
    if (strcmp(section, "outer_group") == 0) {
        csv_row(ctx, ind, period, section, code, "between_t", g->between_t);
        csv_row(ctx, ind, period, section, code, "between_l", g->between_l);
    }
}

static void ineq_csv(const ineq_view *v)
{
    cli_ctx *ctx = v->ctx;
    const qala_ineq_report *r = v->rep;
    const char *ind = qala_framework_get(ctx->fw, v->indicator)->code;
    char period[12];
    if (!r)
        return;
    qala_period_format(period, r->period);
    csv_row(ctx, ind, period, "count", "", "n_units", (double)r->n_units);
    csv_row(ctx, ind, period, "count", "", "n_no_value", (double)r->n_no_value);
    csv_row(ctx, ind, period, "count", "", "n_no_weight", (double)r->n_no_weight);
    summary_csv(ctx, ind, period, r->weighted ? "weighted" : "unweighted", &r->summary);
    if (r->weighted)
        summary_csv(ctx, ind, period, "unweighted", &r->unweighted);
    if (r->has_decomp) {
        const qala_theil_decomp *d = &r->decomp;
        csv_row(ctx, ind, period, "decomposition", "", "n_used", (double)d->n_used);
        csv_row(ctx, ind, period, "decomposition", "", "n_no_group", (double)d->n_no_group);
        csv_row(ctx, ind, period, "decomposition", "", "n_nonpositive", (double)d->n_nonpositive);
        csv_row(ctx, ind, period, "decomposition", "", "n_groups", (double)d->n_groups);
        const qala_theil_parts *parts[] = {&d->t, &d->l};
        static const char *const names[][3] = {{"theil_t_total", "theil_t_within", "theil_t_between"},
                                               {"theil_l_total", "theil_l_within", "theil_l_between"}};
        for (int i = 0; i < 2; i++) {
            csv_row(ctx, ind, period, "decomposition", "", names[i][0], parts[i]->total);
            csv_row(ctx, ind, period, "decomposition", "", names[i][1], parts[i]->within);
            csv_row(ctx, ind, period, "decomposition", "", names[i][2], parts[i]->between);
        }
        for (size_t g = 0; g < r->ngroups; g++)
            group_csv(ctx, ind, period, "group", r->group_codes[g], &r->groups[g]);
    }
    if (r->has_nested) {
        const qala_theil_nested *n = &r->nested;
        const qala_theil_nested_parts *parts[] = {&n->t, &n->l};
        static const char *const names[][4] = {
            {"theil_t_total", "theil_t_within_inner", "theil_t_between_inner", "theil_t_between_outer"},
            {"theil_l_total", "theil_l_within_inner", "theil_l_between_inner", "theil_l_between_outer"}};
        csv_row(ctx, ind, period, "nested", "", "n_used", (double)n->n_used);
        csv_row(ctx, ind, period, "nested", "", "n_inner", (double)n->n_inner);
        csv_row(ctx, ind, period, "nested", "", "n_outer", (double)n->n_outer);
        for (int i = 0; i < 2; i++) {
            csv_row(ctx, ind, period, "nested", "", names[i][0], parts[i]->total);
            csv_row(ctx, ind, period, "nested", "", names[i][1], parts[i]->within_inner);
            csv_row(ctx, ind, period, "nested", "", names[i][2], parts[i]->between_inner);
            csv_row(ctx, ind, period, "nested", "", names[i][3], parts[i]->between_outer);
        }
        for (size_t g = 0; g < r->nouter; g++)
            group_csv(ctx, ind, period, "outer_group", r->outer_codes[g], &r->outer_groups[g]);
        for (size_t g = 0; g < r->ninner; g++)
            group_csv(ctx, ind, period, "inner_group", r->inner_codes[g], &r->inner_groups[g]);
    }
}

static void share_fmt(char *buf, size_t n, double part, double total)
{
    if (isfinite(part) && isfinite(total) && total > 0)
        snprintf(buf, n, "%.0f%%", 100 * part / total);
    else
        buf[0] = '\0';
}

static void ineq_table(const ineq_view *v)
{
    cli_ctx *ctx = v->ctx;
    const qala_ineq_report *r = v->rep;
    const char *bold = ctx->color ? "\033[1m" : "", *reset = ctx->color ? "\033[0m" : "";
    char period[12], a[32], b[32], c[32], d[32], e[32], f[32], g[32];
    qala_period_format(period, r->period);
    fprintf(ctx->out, "%s%s%s — %s %s — %zu %s (%s), %zu %s", bold, cli_dyn_indicator_name(ctx, v->indicator),
            reset, cli_msg(ctx, MSG_PERIOD), period, r->n_units, cli_msg(ctx, MSG_DYN_UNITS),
            cli_msg(ctx, (msg_id)(MSG_DYN_SET_FIRST_LEVEL + (int)v->panel_units)), r->n_units - r->n_no_value,
            cli_msg(ctx, MSG_DYN_WITH_VALUE));
    if (r->weighted)
        fprintf(ctx->out, ", %zu %s; %s: %s", r->n_no_weight, cli_msg(ctx, MSG_DYN_NO_WEIGHT),
                cli_msg(ctx, MSG_DYN_WEIGHTS), v->weights);
    fputc('\n', ctx->out);
    if (r->n_units == r->n_no_value) {
        fprintf(ctx->out, "%s\n", cli_msg(ctx, MSG_DYN_NO_VALUES_PERIOD));
        return;
    }
    const char *headings[] = {cli_msg(ctx, MSG_DYN_MEASURE), cli_msg(ctx, r->weighted ? MSG_DYN_WEIGHTED : MSG_DYN_UNWEIGHTED),
                              cli_msg(ctx, MSG_DYN_UNWEIGHTED)};
    static const char *const keys[] = {"measure", "value", "unweighted"};
    size_t ncols = r->weighted ? 3 : 2;
    cli_table *t = cli_table_new(ncols, keys, headings);
    cli_table_numeric(t, 1);
    if (ncols == 3)
        cli_table_numeric(t, 2);
    static const int order[] = {-1, -2, QALA_INEQ_GINI, QALA_INEQ_CV, QALA_INEQ_MAXMIN, QALA_INEQ_TOP_BOTTOM_20,
                                QALA_INEQ_THEIL_T, QALA_INEQ_THEIL_L, QALA_INEQ_SD_LOG};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        int m = order[i];
        double x = m == -1 ? r->summary.mean : m == -2 ? r->summary.sd : qala_ineq_summary_get(&r->summary, (qala_ineq_measure)m);
        double y = m == -1 ? r->unweighted.mean : m == -2 ? r->unweighted.sd
                                                          : qala_ineq_summary_get(&r->unweighted, (qala_ineq_measure)m);
        int digits = m < 0 ? 6 : 4;
        cli_dyn_fmt(a, sizeof a, x, digits);
        cli_dyn_fmt(b, sizeof b, y, digits);
        const char *cells[] = {cli_msg(ctx, m == -1 ? MSG_DYN_MEAN : m == -2 ? MSG_DYN_SD : (msg_id)(MSG_DYN_CV + m)), a, b};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    if (r->has_decomp) {
        fprintf(ctx->out, "\n%s%s %s%s (%s)\n", bold, cli_msg(ctx, MSG_DYN_DECOMP), v->by, reset,
                cli_msg(ctx, r->weighted ? MSG_DYN_WEIGHTED : MSG_DYN_UNWEIGHTED));
        const char *h2[] = {cli_msg(ctx, MSG_DYN_MEASURE), cli_msg(ctx, MSG_DYN_TOTAL), cli_msg(ctx, MSG_DYN_WITHIN),
                            cli_msg(ctx, MSG_DYN_BETWEEN), cli_msg(ctx, MSG_DYN_BETWEEN_SHARE)};
        static const char *const k2[] = {"measure", "total", "within", "between", "between_share"};
        t = cli_table_new(5, k2, h2);
        for (size_t col = 1; col < 5; col++)
            cli_table_numeric(t, col);
        const qala_theil_parts *parts[] = {&r->decomp.t, &r->decomp.l};
        for (int i = 0; i < 2; i++) {
            cli_dyn_fmt(a, sizeof a, parts[i]->total, 4);
            cli_dyn_fmt(b, sizeof b, parts[i]->within, 4);
            cli_dyn_fmt(c, sizeof c, parts[i]->between, 4);
            share_fmt(d, sizeof d, parts[i]->between, parts[i]->total);
            const char *cells[] = {cli_msg(ctx, i ? MSG_DYN_THEIL_L : MSG_DYN_THEIL_T), a, b, c, d};
            cli_table_add(t, cells);
        }
        cli_table_print(ctx, t);
        cli_table_free(t);
        fputc('\n', ctx->out);
        const char *h3[] = {cli_msg(ctx, MSG_DYN_GROUP), cli_msg(ctx, MSG_COUNT), cli_msg(ctx, MSG_DYN_MEAN),
                            cli_msg(ctx, MSG_DYN_POP_SHARE), cli_msg(ctx, MSG_DYN_INCOME_SHARE),
                            cli_msg(ctx, MSG_DYN_THEIL_T), cli_msg(ctx, MSG_DYN_THEIL_L)};
        static const char *const k3[] = {"group", "n", "mean", "pop_share", "income_share", "theil_t", "theil_l"};
        t = cli_table_new(7, k3, h3);
        for (size_t col = 1; col < 7; col++)
            cli_table_numeric(t, col);
        for (size_t gi = 0; gi < r->ngroups; gi++) {
            const qala_ineq_group *x = &r->groups[gi];
            if (!x->n)
                continue;
            snprintf(a, sizeof a, "%zu", x->n);
            cli_dyn_fmt(b, sizeof b, x->mean, 6);
            cli_dyn_fmt(c, sizeof c, x->pop_share, 3);
            cli_dyn_fmt(d, sizeof d, x->income_share, 3);
            cli_dyn_fmt(e, sizeof e, x->theil_t, 4);
            cli_dyn_fmt(f, sizeof f, x->theil_l, 4);
            const char *cells[] = {cli_dyn_group_name(ctx, r->group_codes[gi]), a, b, c, d, e, f};
            cli_table_add(t, cells);
        }
        cli_table_print(ctx, t);
        cli_table_free(t);
        if (r->decomp.n_no_group || r->decomp.n_nonpositive)
            fprintf(ctx->out, "(%zu: %s; %zu ≤ 0)\n", r->decomp.n_no_group, cli_msg(ctx, MSG_DYN_OTHER),
                    r->decomp.n_nonpositive);
    }
    if (r->has_nested) {
        fprintf(ctx->out, "\n%s%s: %s / %s%s\n", bold, cli_msg(ctx, MSG_DYN_NESTED), v->within, v->by, reset);
        const char *h4[] = {cli_msg(ctx, MSG_DYN_MEASURE), cli_msg(ctx, MSG_DYN_TOTAL), cli_msg(ctx, MSG_DYN_WITHIN_INNER),
                            cli_msg(ctx, MSG_DYN_BETWEEN_INNER), cli_msg(ctx, MSG_DYN_BETWEEN_OUTER)};
        static const char *const k4[] = {"measure", "total", "within_inner", "between_inner", "between_outer"};
        t = cli_table_new(5, k4, h4);
        for (size_t col = 1; col < 5; col++)
            cli_table_numeric(t, col);
        const qala_theil_nested_parts *parts[] = {&r->nested.t, &r->nested.l};
        for (int i = 0; i < 2; i++) {
            cli_dyn_fmt(a, sizeof a, parts[i]->total, 4);
            cli_dyn_fmt(b, sizeof b, parts[i]->within_inner, 4);
            cli_dyn_fmt(c, sizeof c, parts[i]->between_inner, 4);
            cli_dyn_fmt(g, sizeof g, parts[i]->between_outer, 4);
            const char *cells[] = {cli_msg(ctx, i ? MSG_DYN_THEIL_L : MSG_DYN_THEIL_T), a, b, c, g};
            cli_table_add(t, cells);
        }
        cli_table_print(ctx, t);
        cli_table_free(t);
    }
}

/* ---- inequality: the command --------------------------------------------------------- */

int cmd_inequality(cli_ctx *ctx, int argc, char **argv)
{
    cli_dyn d = {0};
    const char *by = NULL, *within = NULL;
    const cli_option options[] = {{"period", 1, &d.period}, {"kind", 1, &d.kind}, {"group", 1, &d.group},
                                  {"region", 1, &d.region}, {"weights", 1, &d.weights},
                                  {"unweighted", 0, &d.unweighted}, {"by", 1, &by}, {"within", 1, &within},
                                  {NULL, 0, NULL}};
    const char *names[MAX_INDICATORS];
    int npos, rc = cli_parse(ctx, argc, argv, options, names, MAX_INDICATORS, &npos, "inequality");
    if (rc)
        return rc;
    if (npos == 0) {
        fputs("qala inequality: which indicator? (e.g. qala inequality wage_nominal_kzt; see 'qala indicators')\n", ctx->err);
        return EXIT_USAGE;
    }
    if (within && !by) {
        fputs("qala inequality: --within needs --by (the inner groups)\n", ctx->err);
        return EXIT_USAGE;
    }
    if (d.weights && d.unweighted) {
        fputs("qala inequality: --weights and --unweighted do not go together\n", ctx->err);
        return EXIT_USAGE;
    }
    if ((rc = cli_dyn_load(ctx, &d, "inequality", QALA_PANEL_FIRST_LEVEL)) != EXIT_OK) {
        cli_dyn_free(&d);
        return rc;
    }
    size_t ind[MAX_INDICATORS];
    for (int i = 0; i < npos && rc == EXIT_OK; i++)
        rc = cli_dyn_indicator(ctx, names[i], "inequality", &ind[i]);
    if (rc == EXIT_OK)
        cli_dyn_note_embedded(ctx, &d);
    json_t *all = ctx->format == FORMAT_JSON ? json_array() : NULL;
    int csv_header = ctx->format == FORMAT_CSV; /* printed before the first result */
    for (int i = 0; i < npos && rc == EXIT_OK; i++) {
        const char *code = qala_framework_get(ctx->fw, ind[i])->code;
        const char *weights = d.unweighted ? NULL : d.weights ? d.weights : DEFAULT_WEIGHTS;
        if (weights && strcmp(weights, code) == 0)
            weights = NULL; /* the weight's own inequality: unweighted */
        size_t wi;
        if (weights && qala_framework_find(ctx->fw, weights, &wi) != QALA_OK) {
            rc = cli_dyn_indicator(ctx, weights, "inequality", &wi);
            break;
        }
        qala_panel *p = NULL;
        qala_panel_grouping *gby = NULL, *gwithin = NULL;
        qala_ineq_report *rep = NULL;
        if ((rc = cli_dyn_panel(ctx, &d, "inequality", code, weights, 1, &p)) != EXIT_OK)
            break;
        qala_status st = QALA_OK;
        if (by)
            st = qala_panel_grouping_make(&gby, p, ctx->reg, by);
        if (st == QALA_OK && within)
            st = qala_panel_grouping_make(&gwithin, p, ctx->reg, within);
        if (st != QALA_OK) {
            fprintf(ctx->err, "qala inequality: %s\n", qala_error_last()->message);
            rc = EXIT_USAGE;
        }
        size_t k = rc == EXIT_OK ? cli_dyn_period(&d, p) : SIZE_MAX;
        if (rc == EXIT_OK && k != SIZE_MAX) {
            qala_ineq_report_options opt = QALA_INEQ_REPORT_OPTIONS_INIT;
            opt.period = k;
            opt.weighted = weights != NULL;
            opt.by = gby;
            opt.within = gwithin;
            if ((st = qala_ineq_report_compute(&rep, p, &opt)) != QALA_OK)
                rc = cli_fail(ctx, st, code);
        }
        ineq_view v = {ctx, ind[i], by, within, weights, p, rep, d.units};
        if (rc == EXIT_OK && ctx->format == FORMAT_JSON) {
            json_array_append_new(all, ineq_json(&v));
        } else if (rc == EXIT_OK && ctx->format == FORMAT_CSV) {
            if (csv_header)
                fputs("indicator,period,section,group,measure,value\n", ctx->out);
            csv_header = 0;
            ineq_csv(&v);
        } else if (rc == EXIT_OK) {
            if (i)
                fputc('\n', ctx->out);
            if (rep)
                ineq_table(&v);
            else
                fprintf(ctx->out, "%s: %s\n", cli_dyn_indicator_name(ctx, ind[i]),
                        cli_msg(ctx, p->n_observed ? MSG_DYN_NO_VALUES_PERIOD : MSG_DYN_NO_OBSERVATIONS));
        }
        qala_ineq_report_free(rep);
        qala_panel_grouping_free(gby);
        qala_panel_grouping_free(gwithin);
        qala_panel_free(p);
    }
    if (csv_header && rc == EXIT_OK)
        fputs("indicator,period,section,group,measure,value\n", ctx->out); /* no result: the header alone */
    if (all && rc == EXIT_OK) {
        json_dumpf(all, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        fputc('\n', ctx->out);
    }
    json_decref(all);
    cli_dyn_free(&d);
    return rc;
}
