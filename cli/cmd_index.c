/* cli/cmd_index.c — `qala index`: a composite index (a spec of data/index/ or a JSON file,
 * docs/index-spec.md) computed over the stored observations and shown as a ranking.
 *
 * This file holds the subcommand `run` (the default): the ranking as a table, CSV or
 * JSON. What the index commands share (cli_index_*: loading the spec and the
 * observations, choosing the units and period, running the pipeline) is in
 * index_common.c; `show` (the tree and --check), `export` (every stage, every change) and
 * `list` are in cmd_index_show.c, `qala diagnose` in cmd_diagnose.c. The computing is
 * libqala's (index_data, index); here only choosing and printing.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- run: the ranking ---------------------------------------------------------------- */

typedef struct ranking {
    cli_ctx *ctx;
    cli_index *ix;
    size_t root, nkept, nunits, nperiods;
    size_t *cols, ncols;        /* nodes shown beside the index (table) */
    size_t *order;              /* every node, root first, by descending level (csv, json) */
    const qala_index_grouping *by; /* --by, or NULL */
    double *group_ranks;        /* nperiods · nkept, with --by */
} ranking;

static double score(const ranking *v, size_t node, size_t p, size_t k)
{
    const double *c = qala_index_result_column(v->ix->res, QALA_INDEX_STAGE_AGGREGATED, node);
    return c ? c[p * v->nkept + k] : NAN;
}

static double rank_of(const ranking *v, size_t node, size_t p, size_t k)
{
    const double *c = qala_index_result_column(v->ix->res, QALA_INDEX_STAGE_RANKED, node);
    return c ? c[p * v->nkept + k] : NAN;
}

/* The name of input unit u's group in the --by grouping ("" for none). */
static const char *group_name(const ranking *v, size_t u)
{
    const qala_index_grouping *g = v->by;
    if (!g || g->group[u] == QALA_IMPUTE_NO_GROUP || !g->group_codes)
        return "";
    const char *code = g->group_codes[g->group[u]];
    cli_ctx *ctx = v->ctx;
    size_t i;
    if (strcmp(g->name, "region") == 0 && qala_registry_find(ctx->reg, code, &i) == QALA_OK)
        return qala_registry_name_at(ctx->reg, i, ctx->lang, ctx->at);
    if (strcmp(g->name, "type") == 0 && qala_registry_find_group(ctx->reg, code, &i) == QALA_OK)
        return qala_registry_group(ctx->reg, i)->name[ctx->lang == QALA_LANG_KK_LATN ? 0 : ctx->lang];
    return code;
}

static const ranking *sort_ranking;
static size_t sort_period;

static int by_rank(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double ri = rank_of(sort_ranking, sort_ranking->root, sort_period, i);
    double rj = rank_of(sort_ranking, sort_ranking->root, sort_period, j);
    if (isnan(ri) != isnan(rj))
        return isnan(ri) ? 1 : -1;
    if (!isnan(ri) && ri != rj)
        return ri < rj ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* Aggregates by name; indicators (--level 1) by code, their names being long. */
static const char *column_heading(const cli_ctx *ctx, const qala_index_tree *tree, size_t node)
{
    return node < tree->nindicators ? tree->nodes[node].code : cli_index_node_name(ctx, &tree->nodes[node]);
}

static void pad(FILE *f, size_t n)
{
    while (n--)
        fputc(' ', f);
}

/* A bar of `width` cells for x in [0, max] (eighths of a block). */
static void bar(FILE *f, double x, double max, int width)
{
    static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    int n = max > 0 && x > 0 ? (int)(x / max * width * 8 + 0.5) : 0, cells = 0;
    for (; n >= 8; n -= 8, cells++)
        fputs("█", f);
    if (n > 0) {
        fputs(eighths[n], f);
        cells++;
    }
    pad(f, (size_t)(width - cells));
}

static void print_period_table(ranking *v, size_t p)
{
    cli_ctx *ctx = v->ctx;
    FILE *f = ctx->out;
    size_t *rows = malloc((v->nkept + 1) * sizeof *rows), nscored = 0;
    if (!rows)
        return;
    for (size_t k = 0; k < v->nkept; k++)
        rows[k] = k;
    sort_ranking = v;
    sort_period = p;
    qsort(rows, v->nkept, sizeof *rows, by_rank);
    for (size_t k = 0; k < v->nkept; k++)
        nscored += !isnan(rank_of(v, v->root, p, rows[k]));
    /* widths */
    const qala_index_tree *tree = v->ix->tree;
    const char *h_rank = cli_msg(ctx, MSG_INDEX_RANK), *h_unit = cli_msg(ctx, MSG_TERRITORY),
               *h_index = cli_msg(ctx, MSG_INDEX_SCORE), *h_grank = cli_msg(ctx, MSG_INDEX_GROUP_RANK);
    const char *h_group = v->by ? (strcmp(v->by->name, "region") == 0 ? cli_msg(ctx, MSG_REGION)
                                   : strcmp(v->by->name, "type") == 0 ? cli_msg(ctx, MSG_KIND) : v->by->name) : "";
    size_t w_rank = qala_text_width(h_rank), w_unit = qala_text_width(h_unit), w_index = qala_text_width(h_index);
    size_t w_group = qala_text_width(h_group), w_grank = qala_text_width(h_grank);
    if (w_index < 5)
        w_index = 5;
    double max = 0;
    for (size_t i = 0; i < nscored; i++) {
        size_t u = qala_index_result_unit(v->ix->res, rows[i]);
        size_t w = qala_text_width(cli_index_unit_name(ctx, v->ix, u));
        w_unit = w > w_unit ? w : w_unit;
        w = qala_text_width(group_name(v, u));
        w_group = w > w_group ? w : w_group;
        double s = score(v, v->root, p, rows[i]);
        max = s > max ? s : max;
    }
    size_t *w_col = calloc(v->ncols + 1, sizeof *w_col);
    if (!w_col) {
        free(rows);
        return;
    }
    for (size_t c = 0; c < v->ncols; c++) {
        w_col[c] = qala_text_width(column_heading(ctx, tree, v->cols[c]));
        if (w_col[c] < 5)
            w_col[c] = 5;
    }
    const char *bold = ctx->color ? "\033[1m" : "", *reset = ctx->color ? "\033[0m" : "";
    if (v->nperiods > 1) {
        char per[12];
        qala_period_format(per, qala_index_result_period(v->ix->res, p));
        fprintf(f, "\n%s%s %s%s\n", bold, cli_msg(ctx, MSG_PERIOD), per, reset);
    }
    /* heading (none when no unit has a score in the period) */
    if (!nscored)
        goto unscored;
    fputs(bold, f);
    pad(f, w_rank - qala_text_width(h_rank));
    fprintf(f, "%s  %s", h_rank, h_unit);
    pad(f, w_unit - qala_text_width(h_unit) + 2 + w_index - qala_text_width(h_index));
    fputs(h_index, f);
    if (ctx->color)
        pad(f, 11);
    if (v->by) {
        fprintf(f, "  %s", h_group);
        pad(f, w_group - qala_text_width(h_group) + 2 + w_grank - qala_text_width(h_grank));
        fputs(h_grank, f);
    }
    for (size_t c = 0; c < v->ncols; c++) {
        const char *name = column_heading(ctx, tree, v->cols[c]);
        pad(f, 2 + w_col[c] - qala_text_width(name));
        fputs(name, f);
    }
    fprintf(f, "%s\n", reset);
    /* the ranked units */
    static const char *const tercile[] = {"\033[32m", "\033[33m", "\033[31m"};
    for (size_t i = 0; i < nscored; i++) {
        size_t k = rows[i], u = qala_index_result_unit(v->ix->res, k);
        char buf[64];
        double r = rank_of(v, v->root, p, k);
        snprintf(buf, sizeof buf, "%.0f", r);
        pad(f, w_rank - strlen(buf));
        const char *name = cli_index_unit_name(ctx, v->ix, u);
        fprintf(f, "%s  %s", buf, name);
        pad(f, w_unit - qala_text_width(name) + 2);
        cli_index_fmt(buf, sizeof buf, score(v, v->root, p, k), 1);
        pad(f, w_index - strlen(buf));
        if (ctx->color) {
            fprintf(f, "%s%s ", tercile[nscored ? (size_t)(3 * ((size_t)r - 1) / nscored) % 3 : 0], buf);
            bar(f, score(v, v->root, p, k), max, 10);
            fputs(reset, f);
        } else
            fputs(buf, f);
        if (v->by) {
            const char *g = *group_name(v, u) ? group_name(v, u) : "—";
            fprintf(f, "  %s", g);
            cli_index_fmt(buf, sizeof buf, v->group_ranks[p * v->nkept + k], 0);
            pad(f, w_group - qala_text_width(g) + 2 + w_grank - (*buf ? strlen(buf) : 1));
            fputs(*buf ? buf : "—", f);
        }
        for (size_t c = 0; c < v->ncols; c++) {
            cli_index_fmt(buf, sizeof buf, score(v, v->cols[c], p, k), 1);
            pad(f, 2 + w_col[c] - (*buf ? strlen(buf) : 1));
            fputs(*buf ? buf : "—", f);
        }
        fputc('\n', f);
    }
unscored:; /* a declaration follows: C17 wants a statement after a label */
    /* the units without a score: screened out, or kept with nothing to aggregate */
    const qala_index_input *in = qala_index_data_input(v->ix->data);
    char title[128];
    snprintf(title, sizeof title, "%s (%s)", cli_msg(ctx, MSG_INDEX_UNITS_NO_DATA), cli_msg(ctx, MSG_INDEX_AVAILABILITY));
    size_t col = 0;
    for (size_t u = 0; u < in->nunits; u++) {
        if (qala_index_result_unit_kept(v->ix->res, u)) {
            size_t k = 0;
            while (k < v->nkept && qala_index_result_unit(v->ix->res, k) != u)
                k++;
            if (k < v->nkept && !isnan(rank_of(v, v->root, p, k)))
                continue;
        }
        char item[256];
        snprintf(item, sizeof item, "%s %.0f%%", cli_index_unit_name(ctx, v->ix, u),
                 100 * qala_index_result_unit_availability(v->ix->res, u));
        cli_index_list_item(ctx, &col, title, item);
    }
    if (col)
        fputc('\n', f);
    free(w_col);
    free(rows);
}

/* csv: one row per unit and period, every node's score and rank. */
static void print_csv(ranking *v)
{
    cli_ctx *ctx = v->ctx;
    const qala_index_tree *tree = v->ix->tree;
    size_t fixed = 5 + (v->by ? 2 : 0), ncols = fixed + 2 * tree->nnodes;
    const char **keys = calloc(ncols, sizeof *keys);
    char **owned = calloc(tree->nnodes + 1, sizeof *owned);
    const char **cells = calloc(ncols, sizeof *cells);
    char (*buf)[32] = calloc(ncols, sizeof *buf);
    cli_table *t = NULL;
    if (!keys || !owned || !cells || !buf)
        goto done;
    static const char *const base[] = {"period", "unit", "name", "kept", "availability", "group", "group_rank"};
    for (size_t c = 0; c < fixed; c++)
        keys[c] = base[c];
    for (size_t i = 0; i < tree->nnodes; i++) {
        const char *code = tree->nodes[v->order[i]].code;
        size_t len = strlen(code);
        if (!(owned[i] = malloc(len + 6)))
            goto done;
        memcpy(owned[i], code, len);
        memcpy(owned[i] + len, "_rank", 6);
        keys[fixed + 2 * i] = code;
        keys[fixed + 2 * i + 1] = owned[i];
    }
    t = cli_table_new(ncols, keys, NULL);
    if (!t)
        goto done;
    for (size_t c = 4; c < ncols; c++)
        if (c != 5 || !v->by)
            cli_table_numeric(t, c);
    const qala_index_input *in = qala_index_data_input(v->ix->data);
    size_t *kept_of = malloc((in->nunits + 1) * sizeof *kept_of);
    if (!kept_of)
        goto done;
    for (size_t u = 0; u < in->nunits; u++)
        kept_of[u] = SIZE_MAX;
    for (size_t k = 0; k < v->nkept; k++)
        kept_of[qala_index_result_unit(v->ix->res, k)] = k;
    for (size_t p = 0; p < v->nperiods; p++)
        for (size_t u = 0; u < in->nunits; u++) {
            size_t k = kept_of[u];
            char per[12];
            qala_period_format(per, qala_index_result_period(v->ix->res, p));
            cells[0] = per;
            cells[1] = in->unit_codes[u];
            cells[2] = cli_index_unit_name(ctx, v->ix, u);
            cells[3] = k == SIZE_MAX ? "0" : "1";
            cli_index_fmt(buf[4], sizeof buf[4], qala_index_result_unit_availability(v->ix->res, u), 4);
            cells[4] = buf[4];
            if (v->by) {
                const qala_index_grouping *g = v->by;
                cells[5] = g->group[u] == QALA_IMPUTE_NO_GROUP || !g->group_codes ? "" : g->group_codes[g->group[u]];
                cli_index_fmt(buf[6], sizeof buf[6], k == SIZE_MAX ? NAN : v->group_ranks[p * v->nkept + k], 0);
                cells[6] = buf[6];
            }
            for (size_t i = 0; i < tree->nnodes; i++) {
                size_t c = fixed + 2 * i, node = v->order[i];
                cli_index_fmt(buf[c], sizeof buf[c], k == SIZE_MAX ? NAN : score(v, node, p, k), -1);
                cli_index_fmt(buf[c + 1], sizeof buf[c + 1], k == SIZE_MAX ? NAN : rank_of(v, node, p, k), 0);
                cells[c] = buf[c];
                cells[c + 1] = buf[c + 1];
            }
            cli_table_add(t, cells);
        }
    free(kept_of);
    cli_table_print(ctx, t);
done:
    cli_table_free(t);
    for (size_t i = 0; owned && i < tree->nnodes; i++)
        free(owned[i]);
    free(owned);
    free(keys);
    free(cells);
    free(buf);
}

static json_t *num(double x)
{
    return isnan(x) || isinf(x) ? json_null() : json_real(x);
}

static const char *screen_code(qala_index_screen s)
{
    static const char *const codes[] = {"kept", "low_availability", "too_many_zeros", "no_column"};
    return (size_t)s < 4 ? codes[s] : "?";
}

/* json: the spec, the periods, the nodes with their weights, what happened to each
 * indicator, and every unit's scores and ranks at every level. */
static void print_json(ranking *v)
{
    cli_ctx *ctx = v->ctx;
    cli_index *ix = v->ix;
    const qala_index_tree *tree = ix->tree;
    const qala_index_input *in = qala_index_data_input(ix->data);
    json_t *o = json_object(), *periods = json_array(), *nodes = json_array(), *inds = json_array(),
           *units = json_array();
    json_object_set_new(o, "spec", json_string(qala_index_spec_code(ix->spec)));
    json_object_set_new(o, "name", json_string(qala_index_spec_name(ix->spec, ctx->lang)));
    json_object_set_new(o, "weights", json_string(ix->weights ? ix->weights : "default"));
    json_object_set_new(o, "data", json_string(ix->embedded ? "embedded" : "database"));
    for (size_t p = 0; p < v->nperiods; p++) {
        char per[12];
        qala_period_format(per, qala_index_result_period(ix->res, p));
        json_array_append_new(periods, json_string(per));
    }
    json_object_set_new(o, "periods", periods);
    json_object_set_new(o, "units_kept", json_integer((json_int_t)v->nkept));
    json_object_set_new(o, "units_screened", json_integer((json_int_t)(in->nunits - v->nkept)));
    if (v->by)
        json_object_set_new(o, "by", json_string(v->by->name));
    const double *eff = qala_index_result_effective_weights(ix->res);
    for (size_t i = 0; i < tree->nnodes; i++) {
        const qala_index_node *n = &tree->nodes[v->order[i]];
        json_t *x = json_object();
        json_object_set_new(x, "code", json_string(n->code));
        json_object_set_new(x, "name", json_string(cli_index_node_name(ctx, n)));
        json_object_set_new(x, "kind", json_string(n->kind == QALA_INDEX_INDICATOR ? "indicator" : "aggregate"));
        json_object_set_new(x, "level", json_integer(n->level));
        json_object_set_new(x, "parent", n->parent == QALA_INDEX_NONE ? json_null() : json_string(tree->nodes[n->parent].code));
        json_object_set_new(x, "weight", num(n->weight));
        json_object_set_new(x, "effective_weight", num(eff ? eff[v->order[i]] : NAN));
        json_array_append_new(nodes, x);
    }
    json_object_set_new(o, "nodes", nodes);
    for (size_t i = 0; i < tree->nindicators; i++) {
        const qala_index_indicator_report *r = qala_index_result_report(ix->res, i);
        json_t *x = json_object();
        char treat[128];
        qala_treat_describe(treat, sizeof treat, &r->treat, &tree->nodes[i].treat_spec);
        json_object_set_new(x, "code", json_string(tree->nodes[i].code));
        json_object_set_new(x, "screen", json_string(screen_code(r->screen)));
        json_object_set_new(x, "availability", num(r->availability));
        json_object_set_new(x, "zero_share", num(r->zero_share));
        json_object_set_new(x, "denominated_missing", json_integer((json_int_t)r->n_denominated_missing));
        json_object_set_new(x, "imputed", json_integer((json_int_t)r->n_imputed));
        json_object_set_new(x, "left_missing", json_integer((json_int_t)r->n_left_missing));
        json_object_set_new(x, "treated", json_integer((json_int_t)r->n_treated));
        json_object_set_new(x, "treatment", json_string(tree->nodes[i].treat ? treat : "none"));
        json_object_set_new(x, "normalise_flags", json_integer((json_int_t)r->normalise_flags));
        json_array_append_new(inds, x);
    }
    json_object_set_new(o, "indicators", inds);
    for (size_t u = 0; u < in->nunits; u++) {
        size_t k = 0;
        int kept = qala_index_result_unit_kept(ix->res, u);
        while (kept && qala_index_result_unit(ix->res, k) != u)
            k++;
        json_t *x = json_object(), *pers = json_array();
        json_object_set_new(x, "code", json_string(in->unit_codes[u]));
        json_object_set_new(x, "name", json_string(cli_index_unit_name(ctx, ix, u)));
        json_object_set_new(x, "kept", json_boolean(kept));
        json_object_set_new(x, "availability", num(qala_index_result_unit_availability(ix->res, u)));
        if (v->by)
            json_object_set_new(x, "group", v->by->group[u] == QALA_IMPUTE_NO_GROUP || !v->by->group_codes
                                                ? json_null() : json_string(v->by->group_codes[v->by->group[u]]));
        for (size_t p = 0; kept && p < v->nperiods; p++) {
            json_t *y = json_object(), *scores = json_object(), *ranks = json_object();
            char per[12];
            qala_period_format(per, qala_index_result_period(ix->res, p));
            json_object_set_new(y, "period", json_string(per));
            for (size_t i = 0; i < tree->nnodes; i++) {
                size_t node = v->order[i];
                double r = rank_of(v, node, p, k);
                json_object_set_new(scores, tree->nodes[node].code, num(score(v, node, p, k)));
                json_object_set_new(ranks, tree->nodes[node].code, isnan(r) ? json_null() : json_integer((json_int_t)r));
            }
            json_object_set_new(y, "scores", scores);
            json_object_set_new(y, "ranks", ranks);
            if (v->by) {
                double g = v->group_ranks[p * v->nkept + k];
                json_object_set_new(y, "group_rank", isnan(g) ? json_null() : json_integer((json_int_t)g));
            }
            json_array_append_new(pers, y);
        }
        json_object_set_new(x, "periods", pers);
        json_array_append_new(units, x);
    }
    json_object_set_new(o, "units", units);
    json_dumpf(o, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    fputc('\n', ctx->out);
    json_decref(o);
}

static int by_level(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    const qala_index_node *nodes = sort_ranking->ix->tree->nodes;
    if (nodes[*x].level != nodes[*y].level)
        return nodes[*x].level > nodes[*y].level ? -1 : 1;
    return *x < *y ? -1 : *x > *y;
}

static int run_ranking(cli_ctx *ctx, int argc, char **argv)
{
    cli_index ix = {0};
    const char *level = NULL, *by = NULL;
    const cli_option options[] = {{"spec", 1, &ix.spec_name}, {"weights", 1, &ix.weights},
                                  {"period", 1, &ix.period}, {"from", 1, &ix.from}, {"to", 1, &ix.to},
                                  {"group", 1, &ix.group}, {"region", 1, &ix.region}, {"kind", 1, &ix.kind},
                                  {"level", 1, &level}, {"by", 1, &by}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "index");
    if (rc)
        return rc;
    if (by && strcmp(by, "region") != 0 && strcmp(by, "type") != 0) {
        fprintf(ctx->err, "qala index: --by '%s': expected region or type\n", by);
        return EXIT_USAGE;
    }
    if ((rc = cli_index_prepare(ctx, &ix, "index")) != EXIT_OK || ix.no_data) {
        cli_index_free(&ix);
        return rc;
    }
    const qala_index_tree *tree = ix.tree;
    ranking v = {ctx, &ix, tree->nnodes - 1, qala_index_result_units(ix.res), 0, qala_index_result_periods(ix.res),
                 NULL, 0, NULL, NULL, NULL};
    v.nunits = qala_index_data_input(ix.data)->nunits;
    int show_level = tree->nlevels - 1;
    if (level) {
        char *end;
        long l = strtol(level, &end, 10);
        if (*end || l < 1 || l > tree->nlevels) {
            fprintf(ctx->err, "qala index: --level '%s': expected 1 to %d\n", level, tree->nlevels);
            cli_index_free(&ix);
            return EXIT_USAGE;
        }
        show_level = (int)l;
    }
    v.cols = malloc((tree->nnodes + 1) * sizeof *v.cols);
    v.order = malloc((tree->nnodes + 1) * sizeof *v.order);
    if (by) {
        const qala_index_input *in = qala_index_data_input(ix.data);
        for (size_t g = 0; g < in->ngroupings; g++)
            if (strcmp(in->groupings[g].name, by) == 0)
                v.by = &in->groupings[g];
        v.group_ranks = malloc((v.nperiods * v.nkept + 1) * sizeof *v.group_ranks);
    }
    if (!v.cols || !v.order || (by && !v.group_ranks)) {
        rc = cli_fail(ctx, QALA_ENOMEM, NULL);
        goto done;
    }
    qala_status st;
    if (v.by && (st = qala_index_result_group_ranks(ix.res, v.root, by, v.group_ranks)) != QALA_OK) {
        rc = cli_fail(ctx, st, NULL);
        goto done;
    }
    for (size_t i = 0; i < tree->nnodes; i++) {
        v.order[i] = i;
        /* the level below the index: the root's children; --level N: the nodes of level N */
        int dropped = i < tree->nindicators && qala_index_result_report(ix.res, i)->screen != QALA_INDEX_KEPT;
        if (!dropped && (level ? tree->nodes[i].level == show_level && i != v.root : tree->nodes[i].parent == v.root))
            v.cols[v.ncols++] = i;
    }
    sort_ranking = &v;
    qsort(v.order, tree->nnodes, sizeof *v.order, by_level);
    if (ctx->format == FORMAT_JSON) {
        print_json(&v);
    } else if (ctx->format == FORMAT_CSV) {
        print_csv(&v);
    } else {
        cli_index_header(ctx, &ix, ctx->out);
        fputc('\n', ctx->out);
        for (size_t p = 0; p < v.nperiods; p++)
            print_period_table(&v, p);
        cli_index_dropped(ctx, &ix);
    }
done:
    free(v.cols);
    free(v.order);
    free(v.group_ranks);
    cli_index_free(&ix);
    return rc;
}

/* ---- the command ------------------------------------------------------------------------ */

int cmd_index(cli_ctx *ctx, int argc, char **argv)
{
    if (argc > 0 && strcmp(argv[0], "run") == 0)
        return run_ranking(ctx, argc - 1, argv + 1);
    if (argc > 0 && strcmp(argv[0], "list") == 0)
        return cli_index_list(ctx, argc - 1, argv + 1);
    if (argc > 0 && strcmp(argv[0], "show") == 0)
        return cli_index_show(ctx, argc - 1, argv + 1);
    if (argc > 0 && strcmp(argv[0], "export") == 0)
        return cli_index_export(ctx, argc - 1, argv + 1);
    if (argc > 0 && argv[0][0] != '-') {
        fprintf(ctx->err, "qala index: unknown subcommand '%s' (expected run, show, export or list)\n", argv[0]);
        return EXIT_USAGE;
    }
    return run_ranking(ctx, argc, argv);
}
