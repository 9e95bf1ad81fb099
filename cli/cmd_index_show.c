/* cli/cmd_index_show.c — `qala index show` (the tree of a spec: each node's level,
 * weight, effective weight and methods; --check FILE validates a spec file), `qala index
 * list` (the embedded specs), the wrapped lists of the index views, and `qala index
 * export` (one stage of the pipeline as a wide table, or every imputed, treated and
 * denominated cell with its reason). Loading and running are cmd_index.c's
 * (cli_index_prepare); the tables go through cli/table.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *screen_word(const cli_ctx *ctx, qala_index_screen s)
{
    return cli_msg(ctx, s == QALA_INDEX_NO_COLUMN ? MSG_INDEX_SCREEN_NO_COLUMN
                        : s == QALA_INDEX_TOO_MANY_ZEROS ? MSG_INDEX_SCREEN_ZEROS
                                                         : MSG_INDEX_SCREEN_LOW);
}

/* Wraps items at about 96 columns: "\nTITLE: a, b, c,\n  d, e". */
void cli_index_list_item(cli_ctx *ctx, size_t *col, const char *title, const char *item)
{
    FILE *f = ctx->out;
    size_t w = qala_text_width(item);
    if (*col == 0) {
        fprintf(f, "\n%s%s%s:", ctx->color ? "\033[1m" : "", title, ctx->color ? "\033[0m" : "");
        *col = qala_text_width(title) + 1;
    } else {
        fputc(',', f);
        (*col)++;
    }
    if (*col + w + 1 > 96) {
        fputs("\n ", f);
        *col = 1;
    }
    fprintf(f, " %s", item);
    *col += w + 1;
}

void cli_index_dropped(cli_ctx *ctx, const cli_index *ix)
{
    size_t col = 0;
    for (size_t i = 0; ix->res && i < ix->tree->nindicators; i++) {
        const qala_index_indicator_report *r = qala_index_result_report(ix->res, i);
        if (r->screen == QALA_INDEX_KEPT)
            continue;
        char item[256];
        if (r->screen == QALA_INDEX_NO_COLUMN)
            snprintf(item, sizeof item, "%s (%s)", ix->tree->nodes[i].code, screen_word(ctx, r->screen));
        else
            snprintf(item, sizeof item, "%s (%s %.0f%%)", ix->tree->nodes[i].code, screen_word(ctx, r->screen),
                     100 * (r->screen == QALA_INDEX_TOO_MANY_ZEROS ? r->zero_share : r->availability));
        cli_index_list_item(ctx, &col, cli_msg(ctx, MSG_INDEX_DROPPED_TITLE), item);
    }
    if (col)
        fputc('\n', ctx->out);
}

/* ---- show ------------------------------------------------------------------------------ */

/* "minmax [0, 100]", "zscore (0, 1)", ... : the normalisation with its parameters. */
static void describe_normalise(char *buf, size_t n, const qala_index_node *node)
{
    const qala_normalise_spec *s = &node->normalise;
    const char *name = qala_normalise_method_name(s->method);
    switch (s->method) {
    case QALA_NORM_MINMAX:
    case QALA_NORM_GOALPOSTS:
        snprintf(buf, n, "%s [%g, %g]", name, s->lower, s->upper);
        break;
    case QALA_NORM_SCALED:
        snprintf(buf, n, "%s [%g, %g] ×%g", name, s->lower, s->upper, s->factor);
        break;
    case QALA_NORM_ZSCORE:
        snprintf(buf, n, "%s (%g, %g)", name, s->mean, s->sd);
        break;
    case QALA_NORM_DIST2TARG:
        snprintf(buf, n, "%s %g%s", name, s->target, s->cap ? " (cap)" : "");
        break;
    case QALA_NORM_DIST2REF:
        snprintf(buf, n, "%s %s%s", name, node->normalise_ref ? node->normalise_ref : "?", s->cap ? " (cap)" : "");
        break;
    default:
        snprintf(buf, n, "%s", name);
    }
}

/* Prints the nodes below `node` (and itself) depth first, indented by depth. */
static void add_subtree(cli_ctx *ctx, cli_table *t, const qala_index_tree *tree, const double *eff,
                        size_t node, int depth)
{
    const qala_index_node *n = &tree->nodes[node];
    char name[512], level[16], weight[32], effective[32], method[128], den[128] = "", transform[64] = "";
    int table = ctx->format == FORMAT_TABLE;
    if (table)
        snprintf(name, sizeof name, "%*s%s", 2 * depth, "", cli_index_node_name(ctx, n));
    else
        snprintf(name, sizeof name, "%s", cli_index_node_name(ctx, n));
    snprintf(level, sizeof level, "%d", n->level);
    snprintf(weight, sizeof weight, "%g", n->weight);
    cli_index_fmt(effective, sizeof effective, eff ? eff[node] : NAN, table ? 3 : -1);
    int ind = n->kind == QALA_INDEX_INDICATOR;
    if (ind) {
        describe_normalise(method, sizeof method, n);
        if (n->denominator)
            snprintf(den, sizeof den, n->denominator_scale != 1 ? "%s ×%g" : "%s", n->denominator, n->denominator_scale);
        if (n->normalise.transform != QALA_NORM_TF_NONE)
            snprintf(transform, sizeof transform, "%s", qala_normalise_transform_name(n->normalise.transform));
    } else
        snprintf(method, sizeof method, "%s", qala_agg_method_code(n->aggregate.method));
    char treat[64] = "";
    if (ind)
        snprintf(treat, sizeof treat, "%s", n->treat ? qala_treat_transform_code(n->treat_spec.transform) : "none");
    const char *cells[] = {n->code, name, ind ? "indicator" : "aggregate", level,
                           n->parent == QALA_INDEX_NONE ? "" : tree->nodes[n->parent].code, weight, effective,
                           method, ind ? (n->direction > 0 ? "+" : "-") : "", transform, den, treat};
    if (table) {
        const char *row[] = {name, n->code, level, weight, effective, method, cells[8], transform, den};
        cli_table_add(t, row);
    } else
        cli_table_add(t, cells);
    for (size_t i = 0; i < tree->nnodes; i++)
        if (tree->nodes[i].parent == node)
            add_subtree(ctx, t, tree, eff, i, depth + 1);
}

static int check_file(cli_ctx *ctx, const char *path)
{
    qala_index_spec *spec = NULL;
    qala_findings *f = NULL;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_index_spec_new(&spec);
    if (st == QALA_OK)
        st = qala_index_spec_load_file(spec, path, f);
    cli_ctx out = *ctx; /* the findings are the output of a check */
    out.err = ctx->out;
    if (f)
        cli_print_findings(&out, f);
    int rc = EXIT_OK;
    if (st == QALA_OK) {
        const qala_index_tree *tree = qala_index_spec_tree(spec);
        fprintf(ctx->out, "%s: %s (%zu %s, %zu %s, %d %s)\n", path, cli_msg(ctx, MSG_INDEX_SPEC_OK),
                tree->nindicators, cli_msg(ctx, MSG_INDEX_INDICATORS), tree->nnodes, cli_msg(ctx, MSG_INDEX_NODES),
                tree->nlevels, cli_msg(ctx, MSG_INDEX_LEVELS));
    } else if (st == QALA_EDATA || st == QALA_EPARSE || st == QALA_ELIMIT) {
        fprintf(ctx->out, "%s: %zu errors, %zu warnings\n", path, qala_findings_errors(f), qala_findings_warnings(f));
        rc = EXIT_DATA;
    } else {
        rc = cli_fail(ctx, st, path);
    }
    qala_index_spec_free(spec);
    qala_findings_free(f);
    return rc;
}

int cli_index_show(cli_ctx *ctx, int argc, char **argv)
{
    cli_index ix = {0};
    const char *check = NULL;
    const cli_option options[] = {{"spec", 1, &ix.spec_name}, {"weights", 1, &ix.weights},
                                  {"check", 1, &check}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "index");
    if (rc)
        return rc;
    if (check)
        return check_file(ctx, check);
    if ((rc = cli_index_load_spec(ctx, &ix, "index")) != EXIT_OK) {
        cli_index_free(&ix);
        return rc;
    }
    const qala_index_tree *tree = ix.tree;
    double *eff = malloc((tree->nnodes + 1) * sizeof *eff);
    size_t *parent = malloc((tree->nnodes + 1) * sizeof *parent);
    double *w = malloc((tree->nnodes + 1) * sizeof *w);
    qala_status st = eff && parent && w ? QALA_OK : QALA_ENOMEM;
    for (size_t i = 0; st == QALA_OK && i < tree->nnodes; i++) {
        parent[i] = tree->nodes[i].parent;
        w[i] = tree->nodes[i].weight;
    }
    if (st == QALA_OK)
        st = qala_agg_effective_weights(eff, parent, w, tree->nnodes);
    if (st != QALA_OK) {
        rc = cli_fail(ctx, st, NULL);
        goto done;
    }
    static const char *const keys[] = {"code", "name", "kind", "level", "parent", "weight", "effective_weight",
                                       "method", "direction", "transform", "denominator", "treat"};
    static const char *const tkeys[] = {"name", "code", "level", "weight", "effective", "method", "direction",
                                        "transform", "denominator"};
    int table = ctx->format == FORMAT_TABLE;
    const char *headings[] = {cli_msg(ctx, MSG_NAME), cli_msg(ctx, MSG_CODE), cli_msg(ctx, MSG_INDEX_LEVEL),
                              cli_msg(ctx, MSG_INDEX_WEIGHT), cli_msg(ctx, MSG_INDEX_EFFECTIVE),
                              cli_msg(ctx, MSG_INDEX_METHOD), cli_msg(ctx, MSG_DIRECTION), cli_msg(ctx, MSG_INDEX_TRANSFORM),
                              cli_msg(ctx, MSG_INDEX_DENOMINATOR)};
    cli_table *t = table ? cli_table_new(9, tkeys, headings) : cli_table_new(12, keys, NULL);
    if (!t) {
        rc = cli_fail(ctx, QALA_ENOMEM, NULL);
        goto done;
    }
    for (size_t c = table ? 2 : 3; c <= (table ? 4u : 6u); c++)
        if (table || c != 4)
            cli_table_numeric(t, c);
    add_subtree(ctx, t, tree, eff, tree->nnodes - 1, 0);
    if (table) {
        cli_index_header(ctx, &ix, ctx->out);
        if (*qala_index_spec_source(ix.spec))
            fprintf(ctx->out, "%s: %s\n", cli_msg(ctx, MSG_SOURCE), qala_index_spec_source(ix.spec));
        fputc('\n', ctx->out);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
done:
    free(eff);
    free(parent);
    free(w);
    cli_index_free(&ix);
    return rc;
}

/* ---- export ---------------------------------------------------------------------------- */

static void fmt_cell(char *buf, size_t n, const double *col, size_t row)
{
    cli_index_fmt(buf, n, col ? col[row] : NAN, -1);
}

/* One stage as a wide table: unit, name, period, a column per node that has one. */
static int export_stage(cli_ctx *ctx, cli_index *ix, qala_index_stage stage)
{
    const qala_index_tree *tree = ix->tree;
    const qala_index_input *in = qala_index_data_input(ix->data);
    int raw = stage == QALA_INDEX_STAGE_RAW;
    size_t nrows = raw ? in->nunits : qala_index_result_units(ix->res), np = qala_index_result_periods(ix->res);
    size_t nnodes = stage >= QALA_INDEX_STAGE_AGGREGATED ? tree->nnodes : tree->nindicators;
    const char **keys = calloc(nnodes + 3, sizeof *keys), **cells = calloc(nnodes + 3, sizeof *cells);
    char (*buf)[32] = calloc(nnodes + 1, sizeof *buf);
    cli_table *t = NULL;
    int rc = EXIT_OK;
    if (!keys || !cells || !buf || !(t = cli_table_new(nnodes + 3, keys, NULL))) {
        rc = cli_fail(ctx, QALA_ENOMEM, NULL);
        goto done;
    }
    keys[0] = "unit";
    keys[1] = "name";
    keys[2] = "period";
    for (size_t i = 0; i < nnodes; i++) {
        keys[3 + i] = tree->nodes[i].code;
        cli_table_numeric(t, 3 + i);
    }
    for (size_t p = 0; p < np; p++) {
        char per[12];
        qala_period_format(per, qala_index_result_period(ix->res, p));
        for (size_t r = 0; r < nrows; r++) {
            size_t u = raw ? r : qala_index_result_unit(ix->res, r);
            cells[0] = in->unit_codes[u];
            cells[1] = cli_index_unit_name(ctx, ix, u);
            cells[2] = per;
            for (size_t i = 0; i < nnodes; i++) {
                fmt_cell(buf[i], sizeof buf[i], qala_index_result_column(ix->res, stage, i), p * nrows + r);
                cells[3 + i] = buf[i];
            }
            cli_table_add(t, cells);
        }
    }
    cli_table_print(ctx, t);
done:
    cli_table_free(t);
    free(keys);
    free(cells);
    free(buf);
    return rc;
}

static const char *treat_flag_code(int flag)
{
    return flag == QALA_TREAT_FLAG_WIN_HIGH ? "winsorised_high"
           : flag == QALA_TREAT_FLAG_WIN_LOW ? "winsorised_low"
           : flag == QALA_TREAT_FLAG_TRANSFORM ? "transformed" : "";
}

/* Every changed cell: made missing by its denominator, imputed, treated. */
static int export_changes(cli_ctx *ctx, cli_index *ix)
{
    static const char *const keys[] = {"unit", "name", "period", "indicator", "stage", "method", "before", "after"};
    cli_table *t = cli_table_new(8, keys, NULL);
    if (!t)
        return cli_fail(ctx, QALA_ENOMEM, NULL);
    cli_table_numeric(t, 6);
    cli_table_numeric(t, 7);
    const qala_index_tree *tree = ix->tree;
    const qala_index_input *in = qala_index_data_input(ix->data);
    size_t nk = qala_index_result_units(ix->res), np = qala_index_result_periods(ix->res);
    for (size_t i = 0; i < tree->nindicators; i++) {
        const double *raw = qala_index_result_column(ix->res, QALA_INDEX_STAGE_RAW, i);
        const double *den = qala_index_result_column(ix->res, QALA_INDEX_STAGE_DENOMINATED, i);
        const double *imp = qala_index_result_column(ix->res, QALA_INDEX_STAGE_IMPUTED, i);
        const double *tre = qala_index_result_column(ix->res, QALA_INDEX_STAGE_TREATED, i);
        const uint8_t *fd = qala_index_result_flags(ix->res, QALA_INDEX_STAGE_DENOMINATED, i);
        const uint8_t *fi = qala_index_result_flags(ix->res, QALA_INDEX_STAGE_IMPUTED, i);
        const uint8_t *ft = qala_index_result_flags(ix->res, QALA_INDEX_STAGE_TREATED, i);
        for (size_t p = 0; p < np; p++) {
            char per[12];
            qala_period_format(per, qala_index_result_period(ix->res, p));
            for (size_t k = 0; k < nk; k++) {
                size_t u = qala_index_result_unit(ix->res, k), r = p * nk + k;
                char before[32], after[32];
                const char *unit = in->unit_codes[u], *name = cli_index_unit_name(ctx, ix, u);
                if (fd && fd[r]) {
                    fmt_cell(before, sizeof before, raw, p * in->nunits + u);
                    const char *cells[] = {unit, name, per, tree->nodes[i].code, "denominated",
                                           fd[r] == 1 ? "zero_denominator" : "missing_denominator", before, ""};
                    cli_table_add(t, cells);
                }
                if (fi && fi[r]) {
                    fmt_cell(before, sizeof before, den, r);
                    fmt_cell(after, sizeof after, imp, r);
                    const char *cells[] = {unit, name, per, tree->nodes[i].code, "imputed",
                                           qala_impute_method_code((qala_impute_method)fi[r]), before, after};
                    cli_table_add(t, cells);
                }
                if (ft && ft[r]) {
                    fmt_cell(before, sizeof before, imp, r);
                    fmt_cell(after, sizeof after, tre, r);
                    const char *cells[] = {unit, name, per, tree->nodes[i].code, "treated", treat_flag_code(ft[r]),
                                           before, after};
                    cli_table_add(t, cells);
                }
            }
        }
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    return EXIT_OK;
}

int cli_index_export(cli_ctx *ctx, int argc, char **argv)
{
    cli_index ix = {0};
    const char *stage = NULL, *changes = NULL, *out = NULL;
    const cli_option options[] = {{"spec", 1, &ix.spec_name}, {"weights", 1, &ix.weights},
                                  {"period", 1, &ix.period}, {"from", 1, &ix.from}, {"to", 1, &ix.to},
                                  {"group", 1, &ix.group}, {"region", 1, &ix.region}, {"kind", 1, &ix.kind},
                                  {"stage", 1, &stage}, {"changes", 0, &changes}, {"out", 1, &out},
                                  {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "index");
    if (rc)
        return rc;
    if (ctx->format == FORMAT_TABLE)
        ctx->format = FORMAT_CSV; /* an export is CSV unless JSON is asked */
    qala_index_stage st_code = QALA_INDEX_STAGE_RANKED;
    if (stage && strcmp(stage, "changes") == 0)
        changes = "1";
    else if (stage && qala_index_stage_parse(&st_code, stage) != QALA_OK) {
        fprintf(ctx->err, "qala index: --stage '%s': expected raw, denominated, imputed, treated, normalised, "
                          "aggregated, ranked or changes\n", stage);
        return EXIT_USAGE;
    } else if (!stage && !changes) {
        fprintf(ctx->err, "qala index export: --stage S or --changes is needed (see 'qala index --help')\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_index_prepare(ctx, &ix, "index")) != EXIT_OK || ix.no_data) {
        cli_index_free(&ix);
        return rc;
    }
    FILE *saved = ctx->out, *f = NULL;
    if (out && !(f = fopen(out, "w"))) {
        fprintf(ctx->err, "qala index: --out %s: cannot write the file\n", out);
        cli_index_free(&ix);
        return EXIT_IO;
    }
    if (f)
        ctx->out = f;
    rc = changes ? export_changes(ctx, &ix) : export_stage(ctx, &ix, st_code);
    if (f) {
        ctx->out = saved;
        if (fclose(f) != 0 && rc == EXIT_OK) {
            fprintf(ctx->err, "qala index: --out %s: writing failed\n", out);
            rc = EXIT_IO;
        }
    }
    cli_index_free(&ix);
    return rc;
}

/* ---- list ------------------------------------------------------------------------------ */

int cli_index_list(cli_ctx *ctx, int argc, char **argv)
{
    int npos, rc = cli_parse(ctx, argc, argv, NULL, NULL, 0, &npos, "index");
    if (rc)
        return rc;
    static const char *const keys[] = {"code", "name", "indicators", "nodes", "levels", "weight_sets", "source"};
    const char *headings[] = {cli_msg(ctx, MSG_CODE), cli_msg(ctx, MSG_NAME), cli_msg(ctx, MSG_INDEX_INDICATORS),
                              cli_msg(ctx, MSG_INDEX_NODES), cli_msg(ctx, MSG_INDEX_LEVELS),
                              cli_msg(ctx, MSG_INDEX_WEIGHTS), cli_msg(ctx, MSG_SOURCE)};
    cli_table *t = cli_table_new(7, keys, headings);
    if (!t)
        return cli_fail(ctx, QALA_ENOMEM, NULL);
    for (size_t c = 2; c <= 4; c++)
        cli_table_numeric(t, c);
    for (size_t i = 0; qala_index_spec_default_name(i) && rc == EXIT_OK; i++) {
        cli_index ix = {0};
        ix.spec_name = qala_index_spec_default_name(i);
        if ((rc = cli_index_load_spec(ctx, &ix, "index")) != EXIT_OK)
            break;
        char ni[24], nn[24], nl[24], sets[256] = "";
        snprintf(ni, sizeof ni, "%zu", ix.tree->nindicators);
        snprintf(nn, sizeof nn, "%zu", ix.tree->nnodes);
        snprintf(nl, sizeof nl, "%d", ix.tree->nlevels);
        for (size_t s = 0, len = 0; qala_index_spec_weight_set(ix.spec, s) && len < sizeof sets; s++)
            len += (size_t)snprintf(sets + len, sizeof sets - len, "%s%s", s ? ";" : "",
                                    qala_index_spec_weight_set(ix.spec, s));
        const char *cells[] = {qala_index_spec_code(ix.spec), qala_index_spec_name(ix.spec, ctx->lang), ni, nn, nl,
                               sets, qala_index_spec_source(ix.spec)};
        cli_table_add(t, cells);
        cli_index_free(&ix);
    }
    if (rc == EXIT_OK)
        cli_table_print(ctx, t);
    cli_table_free(t);
    return rc;
}
