/* cli/cmd_diagnose.c — `qala diagnose`: the diagnostics of a composite index for one
 * period (qala_diag_run over the result of `qala index`): per-indicator statistics
 * (availability, zeros, skew, kurtosis, the outlier flag), sibling pairs correlated above
 * 0.9, Cronbach's alpha and PCA weights of each aggregate's children (a warning when a
 * loading is negative), and each unit's strengths and weaknesses.
 *
 * Table on a terminal; --format csv gives one long table (section, node, other, unit,
 * measure, value), --format json one object with every section.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct diag_view {
    cli_ctx *ctx;
    cli_index *ix;
    qala_diag_report *rep;
    qala_diag_options opt;
    size_t only;       /* kept unit of --unit, or SIZE_MAX */
} diag_view;

static const char *code_of(const diag_view *v, size_t node)
{
    return v->ix->tree->nodes[node].code;
}

static const char *kept_name(const diag_view *v, size_t k)
{
    return cli_index_unit_name(v->ctx, v->ix, qala_index_result_unit(v->ix->res, k));
}

/* ---- csv: one long table ---- */
static void add_row(cli_table *t, const char *section, const char *node, const char *other, const char *unit,
                    const char *measure, double value)
{
    char buf[32];
    cli_index_fmt(buf, sizeof buf, value, -1);
    const char *cells[] = {section, node, other, unit, measure, buf};
    cli_table_add(t, cells);
}

static void print_long(diag_view *v)
{
    static const char *const keys[] = {"section", "node", "other", "unit", "measure", "value"};
    cli_table *t = cli_table_new(6, keys, NULL);
    if (!t)
        return;
    cli_table_numeric(t, 5);
    const qala_index_tree *tree = v->ix->tree;
    for (size_t i = 0; i < tree->nindicators; i++) {
        const qala_diag_stats *s = qala_diag_report_stats(v->rep, i);
        const char *c = code_of(v, i);
        const struct { const char *name; double x; } m[] = {
            {"n", (double)s->n}, {"availability", s->availability}, {"zeros", (double)s->n_zero},
            {"zero_share", s->zero_share}, {"unique", (double)s->n_unique}, {"min", s->min}, {"max", s->max},
            {"mean", s->mean}, {"median", s->median}, {"sd", s->sd}, {"skew", s->skew}, {"kurtosis", s->kurt},
            {"outlier_flag", s->outlier_flag}};
        for (size_t j = 0; j < sizeof m / sizeof m[0]; j++)
            add_row(t, "stats", c, "", "", m[j].name, m[j].x);
    }
    const qala_diag_pair *pairs;
    size_t np = qala_diag_report_pairs(v->rep, &pairs);
    for (size_t i = 0; i < np; i++)
        add_row(t, "collinear", code_of(v, pairs[i].a), code_of(v, pairs[i].b), "", "r", pairs[i].r);
    const qala_diag_group *groups;
    size_t ng = qala_diag_report_groups(v->rep, &groups);
    for (size_t g = 0; g < ng; g++) {
        const char *c = code_of(v, groups[g].node);
        add_row(t, "group", c, "", "", "alpha", groups[g].alpha);
        add_row(t, "group", c, "", "", "alpha_rows", (double)groups[g].alpha_rows);
        add_row(t, "group", c, "", "", "pca_rows", (double)groups[g].pca.n_used);
        add_row(t, "group", c, "", "", "pca_variance_share", groups[g].pca.variance_share);
        add_row(t, "group", c, "", "", "pca_negative_loadings", (double)groups[g].pca.n_negative);
        size_t m = 0;
        for (size_t i = 0; i < tree->nnodes; i++)
            if (tree->nodes[i].parent == groups[g].node) {
                add_row(t, "pca", c, code_of(v, i), "", "loading", groups[g].loadings[m]);
                add_row(t, "pca", c, code_of(v, i), "", "weight", groups[g].pca_weights[m]);
                m++;
            }
    }
    const qala_index_input *in = qala_index_data_input(v->ix->data);
    for (size_t k = 0; k < qala_index_result_units(v->ix->res); k++) {
        if (v->only != SIZE_MAX && k != v->only)
            continue;
        const char *unit = in->unit_codes[qala_index_result_unit(v->ix->res, k)];
        const size_t *nodes;
        size_t n = qala_diag_report_strengths(v->rep, k, &nodes);
        for (size_t i = 0; i < n; i++)
            add_row(t, "strength", code_of(v, nodes[i]), "", unit, "order", (double)(i + 1));
        n = qala_diag_report_weaknesses(v->rep, k, &nodes);
        for (size_t i = 0; i < n; i++)
            add_row(t, "weakness", code_of(v, nodes[i]), "", unit, "order", (double)(i + 1));
    }
    cli_table_print(v->ctx, t);
    cli_table_free(t);
}

/* ---- json ---- */
static json_t *num(double x)
{
    return isnan(x) || isinf(x) ? json_null() : json_real(x);
}

static void print_json(diag_view *v)
{
    const qala_index_tree *tree = v->ix->tree;
    json_t *o = json_object(), *stats = json_array(), *pairs_j = json_array(), *groups_j = json_array(),
           *units = json_array();
    char per[12];
    qala_period_format(per, qala_index_result_period(v->ix->res, v->opt.period));
    json_object_set_new(o, "spec", json_string(qala_index_spec_code(v->ix->spec)));
    json_object_set_new(o, "period", json_string(per));
    json_object_set_new(o, "stage", json_string(qala_index_stage_code(v->opt.stage)));
    json_object_set_new(o, "collinear_threshold", json_real(v->opt.collinear_threshold));
    for (size_t i = 0; i < tree->nindicators; i++) {
        const qala_diag_stats *s = qala_diag_report_stats(v->rep, i);
        json_t *x = json_object();
        json_object_set_new(x, "code", json_string(code_of(v, i)));
        json_object_set_new(x, "n", json_integer((json_int_t)s->n));
        json_object_set_new(x, "availability", num(s->availability));
        json_object_set_new(x, "zeros", json_integer((json_int_t)s->n_zero));
        json_object_set_new(x, "zero_share", num(s->zero_share));
        json_object_set_new(x, "unique", json_integer((json_int_t)s->n_unique));
        json_object_set_new(x, "min", num(s->min));
        json_object_set_new(x, "max", num(s->max));
        json_object_set_new(x, "mean", num(s->mean));
        json_object_set_new(x, "median", num(s->median));
        json_object_set_new(x, "sd", num(s->sd));
        json_object_set_new(x, "skew", num(s->skew));
        json_object_set_new(x, "kurtosis", num(s->kurt));
        json_object_set_new(x, "outlier_flag", json_boolean(s->outlier_flag));
        json_array_append_new(stats, x);
    }
    const qala_diag_pair *pairs;
    size_t np = qala_diag_report_pairs(v->rep, &pairs);
    for (size_t i = 0; i < np; i++)
        json_array_append_new(pairs_j, json_pack("{s:s, s:s, s:s, s:o}", "a", code_of(v, pairs[i].a), "b",
                                                 code_of(v, pairs[i].b), "parent", code_of(v, pairs[i].parent),
                                                 "r", num(pairs[i].r)));
    const qala_diag_group *groups;
    size_t ng = qala_diag_report_groups(v->rep, &groups);
    for (size_t g = 0; g < ng; g++) {
        json_t *x = json_object(), *children = json_array();
        json_object_set_new(x, "node", json_string(code_of(v, groups[g].node)));
        json_object_set_new(x, "alpha", num(groups[g].alpha));
        json_object_set_new(x, "alpha_rows", json_integer((json_int_t)groups[g].alpha_rows));
        json_object_set_new(x, "pca_rows", json_integer((json_int_t)groups[g].pca.n_used));
        json_object_set_new(x, "variance_share", num(groups[g].pca.variance_share));
        json_object_set_new(x, "negative_loadings", json_integer((json_int_t)groups[g].pca.n_negative));
        size_t m = 0;
        for (size_t i = 0; i < tree->nnodes; i++)
            if (tree->nodes[i].parent == groups[g].node) {
                json_array_append_new(children, json_pack("{s:s, s:o, s:o}", "code", code_of(v, i), "loading",
                                                          num(groups[g].loadings[m]), "weight",
                                                          num(groups[g].pca_weights[m])));
                m++;
            }
        json_object_set_new(x, "children", children);
        json_array_append_new(groups_j, x);
    }
    const qala_index_input *in = qala_index_data_input(v->ix->data);
    for (size_t k = 0; k < qala_index_result_units(v->ix->res); k++) {
        if (v->only != SIZE_MAX && k != v->only)
            continue;
        json_t *x = json_object(), *st = json_array(), *wk = json_array();
        const size_t *nodes;
        size_t n = qala_diag_report_strengths(v->rep, k, &nodes);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(st, json_string(code_of(v, nodes[i])));
        n = qala_diag_report_weaknesses(v->rep, k, &nodes);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(wk, json_string(code_of(v, nodes[i])));
        json_object_set_new(x, "code", json_string(in->unit_codes[qala_index_result_unit(v->ix->res, k)]));
        json_object_set_new(x, "name", json_string(kept_name(v, k)));
        json_object_set_new(x, "strengths", st);
        json_object_set_new(x, "weaknesses", wk);
        json_array_append_new(units, x);
    }
    json_object_set_new(o, "indicators", stats);
    json_object_set_new(o, "collinear", pairs_j);
    json_object_set_new(o, "groups", groups_j);
    json_object_set_new(o, "units", units);
    json_dumpf(o, v->ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    fputc('\n', v->ctx->out);
    json_decref(o);
}

/* ---- the terminal ---- */
static void fmt2(char *buf, size_t n, double x)
{
    cli_index_fmt(buf, n, x, 2);
}

static void print_tables(diag_view *v)
{
    cli_ctx *ctx = v->ctx;
    FILE *f = ctx->out;
    const qala_index_tree *tree = v->ix->tree;
    const char *bold = ctx->color ? "\033[1m" : "", *reset = ctx->color ? "\033[0m" : "";
    cli_index_header(ctx, v->ix, f);
    fprintf(f, "\n%s%s (%s)%s\n", bold, cli_msg(ctx, MSG_DIAG_STATS), qala_index_stage_code(v->opt.stage), reset);
    static const char *const keys[] = {"indicator", "availability", "zeros", "min", "max", "mean", "sd", "skew",
                                       "kurtosis", "outliers"};
    const char *headings[] = {cli_msg(ctx, MSG_INDICATOR), cli_msg(ctx, MSG_INDEX_AVAILABILITY),
                              cli_msg(ctx, MSG_DIAG_ZEROS), "Min", "Max", "Mean", "SD", cli_msg(ctx, MSG_DIAG_SKEW),
                              cli_msg(ctx, MSG_DIAG_KURT), cli_msg(ctx, MSG_DIAG_OUTLIERS)};
    cli_table *t = cli_table_new(10, keys, headings);
    if (!t)
        return;
    for (size_t c = 1; c < 9; c++)
        cli_table_numeric(t, c);
    for (size_t i = 0; i < tree->nindicators; i++) {
        const qala_diag_stats *s = qala_diag_report_stats(v->rep, i);
        if (qala_index_result_report(v->ix->res, i)->screen != QALA_INDEX_KEPT)
            continue; /* listed after the table */
        char b[8][32];
        snprintf(b[0], sizeof b[0], "%.0f%%", 100 * s->availability);
        snprintf(b[1], sizeof b[1], "%zu", s->n_zero);
        fmt2(b[2], sizeof b[2], s->min);
        fmt2(b[3], sizeof b[3], s->max);
        fmt2(b[4], sizeof b[4], s->mean);
        fmt2(b[5], sizeof b[5], s->sd);
        fmt2(b[6], sizeof b[6], s->skew);
        fmt2(b[7], sizeof b[7], s->kurt);
        const char *cells[] = {code_of(v, i), isnan(s->availability) ? "" : b[0], b[1], b[2], b[3], b[4], b[5],
                               b[6], b[7], s->outlier_flag ? "⚠" : ""};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    cli_index_dropped(ctx, v->ix);
    /* collinearity */
    const qala_diag_pair *pairs;
    size_t np = qala_diag_report_pairs(v->rep, &pairs);
    fprintf(f, "\n%s%s (r > %g)%s: ", bold, cli_msg(ctx, MSG_DIAG_COLLINEAR), v->opt.collinear_threshold, reset);
    if (!np)
        fprintf(f, "%s\n", cli_msg(ctx, MSG_DIAG_NO_COLLINEAR));
    else
        fputc('\n', f);
    for (size_t i = 0; i < np; i++)
        fprintf(f, "  %s — %s (%s): r = %.3f\n", code_of(v, pairs[i].a), code_of(v, pairs[i].b),
                code_of(v, pairs[i].parent), pairs[i].r);
    /* alpha and PCA per aggregate */
    const qala_diag_group *groups;
    size_t ng = qala_diag_report_groups(v->rep, &groups);
    fprintf(f, "\n%s%s, %s%s\n", bold, cli_msg(ctx, MSG_DIAG_ALPHA), cli_msg(ctx, MSG_DIAG_PCA), reset);
    for (size_t g = 0; g < ng; g++) {
        char alpha[32], var[32];
        fmt2(alpha, sizeof alpha, groups[g].alpha);
        cli_index_fmt(var, sizeof var, 100 * groups[g].pca.variance_share, 0);
        fprintf(f, "  %s: α = %s (%zu), %s %s%s", cli_index_node_name(ctx, &tree->nodes[groups[g].node]),
                *alpha ? alpha : "—", groups[g].alpha_rows, cli_msg(ctx, MSG_DIAG_VARIANCE), *var ? var : "—",
                *var ? "%" : "");
        size_t m = 0, shown = 0;
        for (size_t i = 0; i < tree->nnodes; i++)
            if (tree->nodes[i].parent == groups[g].node) {
                char w[32];
                fmt2(w, sizeof w, groups[g].pca_weights[m]);
                if (!isnan(groups[g].loadings[m]))
                    fprintf(f, "%s %s %s", shown++ ? "" : ":", code_of(v, i), *w ? w : "—");
                m++;
            }
        if (groups[g].pca.n_negative)
            fprintf(f, " %s⚠ %zu %s%s", ctx->color ? "\033[33m" : "", groups[g].pca.n_negative,
                    cli_msg(ctx, MSG_DIAG_NEGATIVE), reset);
        fputc('\n', f);
    }
    /* strengths and weaknesses */
    fprintf(f, "\n%s%s / %s%s\n", bold, cli_msg(ctx, MSG_DIAG_STRENGTHS), cli_msg(ctx, MSG_DIAG_WEAKNESSES), reset);
    for (size_t k = 0; k < qala_index_result_units(v->ix->res); k++) {
        if (v->only != SIZE_MAX && k != v->only)
            continue;
        const size_t *nodes;
        size_t n = qala_diag_report_strengths(v->rep, k, &nodes);
        if (!n)
            continue;
        fprintf(f, "  %s: +", kept_name(v, k));
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s %s", i ? "," : "", code_of(v, nodes[i]));
        n = qala_diag_report_weaknesses(v->rep, k, &nodes);
        fputs("; −", f);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s %s", i ? "," : "", code_of(v, nodes[i]));
        fputc('\n', f);
    }
}

int cmd_diagnose(cli_ctx *ctx, int argc, char **argv)
{
    cli_index ix = {0};
    const char *stage = NULL, *unit = NULL;
    const cli_option options[] = {{"spec", 1, &ix.spec_name}, {"weights", 1, &ix.weights},
                                  {"period", 1, &ix.period}, {"group", 1, &ix.group}, {"region", 1, &ix.region},
                                  {"kind", 1, &ix.kind}, {"stage", 1, &stage}, {"unit", 1, &unit},
                                  {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "diagnose");
    if (rc)
        return rc;
    qala_index_stage st_code = QALA_INDEX_STAGE_NORMALISED;
    if (stage && (qala_index_stage_parse(&st_code, stage) != QALA_OK || st_code < QALA_INDEX_STAGE_DENOMINATED ||
                  st_code > QALA_INDEX_STAGE_NORMALISED)) {
        fprintf(ctx->err, "qala diagnose: --stage '%s': expected denominated, imputed, treated or normalised\n", stage);
        return EXIT_USAGE;
    }
    if ((rc = cli_index_prepare(ctx, &ix, "diagnose")) != EXIT_OK || ix.no_data) {
        cli_index_free(&ix);
        return rc;
    }
    diag_view v = {ctx, &ix, NULL, {0}, SIZE_MAX};
    if (unit) {
        size_t r, k;
        if ((rc = cli_resolve_unit(ctx, unit, &r)) != EXIT_OK)
            goto done;
        for (k = 0; k < qala_index_result_units(ix.res); k++)
            if (qala_index_data_registry_unit(ix.data, qala_index_result_unit(ix.res, k)) == r)
                break;
        if (k == qala_index_result_units(ix.res)) {
            fprintf(ctx->err, "qala diagnose: %s is not among the units of the index (no data, or filtered out)\n",
                    qala_registry_name_at(ctx->reg, r, ctx->lang, ctx->at));
            rc = EXIT_DATA;
            goto done;
        }
        v.only = k;
    }
    qala_diag_options_init(&v.opt, ix.res);
    v.opt.stage = st_code;
    qala_status st = qala_diag_run(&v.rep, ix.res, &v.opt);
    if (st != QALA_OK) {
        rc = cli_fail(ctx, st, NULL);
        goto done;
    }
    if (ctx->format == FORMAT_JSON)
        print_json(&v);
    else if (ctx->format == FORMAT_CSV)
        print_long(&v);
    else
        print_tables(&v);
done:
    qala_diag_report_free(v.rep);
    cli_index_free(&ix);
    return rc;
}
