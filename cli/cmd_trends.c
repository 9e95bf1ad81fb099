/* cli/cmd_trends.c — `qala trends`: the trend of an indicator in every unit (CAGR, the
 * straight-line slope in % of the mean level per year, the last change) and its class:
 * progress towards a target from a targets file (--targets FILE, docs/targets.md; the
 * Open SDG classes), or without a target the CAGR classes (docs/methods-trends.md).
 * On a terminal the class is coloured. The computing is qala_trends_report_compute's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_INDICATORS 16
#define MAX_TARGET_FILE (16u << 20)

static const char *const class_colors[] = {"\033[2m", "\033[1;32m", "\033[32m", "\033[33m", "\033[35m", "\033[31m"};

/* Reads a targets file into t (findings printed). Returns an exit code. */
static int load_targets(cli_ctx *ctx, const char *path, qala_targets **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(ctx->err, "qala trends: --targets %s: cannot open the file\n", path);
        return EXIT_IO;
    }
    char *text = malloc(MAX_TARGET_FILE + 1);
    size_t len = text ? fread(text, 1, MAX_TARGET_FILE + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!text || bad || len > MAX_TARGET_FILE) {
        free(text);
        fprintf(ctx->err, "qala trends: --targets %s: %s\n", path,
                !text ? "out of memory" : bad ? "cannot read the file" : "larger than 16 MiB");
        return EXIT_IO;
    }
    qala_findings *fi = NULL;
    qala_status st = qala_findings_new(&fi);
    if (st == QALA_OK)
        st = qala_targets_new(out);
    if (st == QALA_OK)
        st = qala_targets_load_csv(*out, text, len, path, ctx->fw, ctx->reg, fi);
    if (fi)
        cli_print_findings(ctx, fi);
    qala_findings_free(fi);
    free(text);
    if (st == QALA_EDATA) {
        fprintf(ctx->err, "qala trends: %s: the targets file has errors (see above; docs/targets.md)\n", path);
        return EXIT_DATA;
    }
    return st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, path);
}

static void period_str(char *buf, qala_period p)
{
    if (p)
        qala_period_format(buf, p);
    else
        buf[0] = '\0';
}

/* CSV and JSON: every field of each row. */
static void trends_detail(cli_ctx *ctx, cli_table *t, size_t indicator, const qala_panel *p,
                          const qala_trends_report *r, const qala_targets *targets)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const qala_trend_row *row = &r->rows[i];
        const qala_trend_summary *s = &row->trend;
        const qala_progress *g = &row->progress;
        const qala_target *tg = row->has_target ? qala_targets_get(targets, row->target) : NULL;
        char c[24][40];
        size_t k = 0;
        snprintf(c[k++], 40, "%zu", s->n_obs);
        period_str(c[k++], s->first_period);
        cli_dyn_fmt(c[k++], 40, s->first, 15);
        period_str(c[k++], s->prev_period);
        cli_dyn_fmt(c[k++], 40, s->prev, 15);
        period_str(c[k++], s->last_period);
        cli_dyn_fmt(c[k++], 40, s->last, 15);
        cli_dyn_fmt(c[k++], 40, s->cagr_pct, 15);
        cli_dyn_fmt(c[k++], 40, s->slope, 15);
        cli_dyn_fmt(c[k++], 40, s->slope_pct, 15);
        cli_dyn_fmt(c[k++], 40, s->last_change, 15);
        cli_dyn_fmt(c[k++], 40, s->last_change_pct, 15);
        snprintf(c[k++], 40, "%u", s->flags);
        cli_dyn_fmt(c[k++], 40, tg ? tg->value : NAN, 15);                 /* 13 */
        period_str(c[k++], tg ? tg->period : 0);
        period_str(c[k++], tg ? g->base_period : 0);
        cli_dyn_fmt(c[k++], 40, tg ? g->base : NAN, 15);
        cli_dyn_fmt(c[k++], 40, tg ? g->observed_cagr_pct : NAN, 15);
        cli_dyn_fmt(c[k++], 40, tg ? g->required_cagr_pct : NAN, 15);
        cli_dyn_fmt(c[k++], 40, tg ? g->ratio : NAN, 15);
        snprintf(c[k++], 40, "%s", tg ? (g->target_achieved ? "1" : "0") : "");
        snprintf(c[k++], 40, "%s", tg ? qala_progress_class_code(g->cls) : "");
        snprintf(c[k++], 40, "%s", tg ? (snprintf(c[23], 40, "%u", g->flags), c[23]) : "");
        const char *cells[] = {qala_framework_get(ctx->fw, indicator)->code, p->unit_codes[row->unit],
                               cli_dyn_unit_name(ctx, p, row->unit), c[0], c[1], c[2], c[3], c[4], c[5], c[6],
                               c[7], c[8], c[9], c[10], c[11], qala_progress_class_code(s->cls), c[12], c[13],
                               c[14], c[15], c[16], c[17], c[18], c[19], c[20], c[21], c[22],
                               tg ? tg->source : "", qala_progress_class_code(row->cls)};
        cli_table_add(t, cells);
    }
}

static cli_table *detail_table(void)
{
    static const char *const keys[] = {
        "indicator", "unit", "name", "n_obs", "first_period", "first", "prev_period", "prev", "last_period",
        "last", "cagr_pct", "slope", "slope_pct", "last_change", "last_change_pct", "trend_class", "trend_flags",
        "target", "target_period", "base_period", "base", "observed_cagr_pct", "required_cagr_pct", "ratio",
        "target_achieved", "progress_class", "progress_flags", "target_source", "class"};
    cli_table *t = cli_table_new(29, keys, NULL);
    static const size_t numeric[] = {3, 5, 7, 9, 10, 11, 12, 13, 14, 16, 17, 20, 21, 22, 23, 24, 26};
    for (size_t i = 0; t && i < sizeof numeric / sizeof *numeric; i++)
        cli_table_numeric(t, numeric[i]);
    return t;
}

static void trends_table(cli_ctx *ctx, size_t indicator, const qala_panel *p, const qala_trends_report *r,
                         const qala_targets *targets, qala_panel_units units)
{
    const char *bold = ctx->color ? "\033[1m" : "", *reset = ctx->color ? "\033[0m" : "";
    char a[12], b[12];
    period_str(a, p->nperiods ? p->periods[0] : 0);
    period_str(b, p->nperiods ? p->periods[p->nperiods - 1] : 0);
    fprintf(ctx->out, "%s%s%s — %s %s–%s — %zu %s (%s)", bold, cli_dyn_indicator_name(ctx, indicator), reset,
            cli_msg(ctx, MSG_PERIOD), a, b, r->nrows, cli_msg(ctx, MSG_DYN_UNITS),
            cli_msg(ctx, (msg_id)(MSG_DYN_SET_FIRST_LEVEL + (int)units)));
    if (r->n_no_data)
        fprintf(ctx->out, ", %zu %s", r->n_no_data, cli_msg(ctx, MSG_TRENDS_NO_DATA_UNITS));
    fputc('\n', ctx->out);
    int with_targets = 0;
    for (size_t i = 0; i < r->nrows; i++)
        with_targets |= r->rows[i].has_target;
    const char *headings[] = {cli_msg(ctx, MSG_TERRITORY), cli_msg(ctx, MSG_TRENDS_FIRST), cli_msg(ctx, MSG_TRENDS_LAST),
                              cli_msg(ctx, MSG_TRENDS_CAGR), cli_msg(ctx, MSG_TRENDS_SLOPE),
                              cli_msg(ctx, MSG_TRENDS_LAST_CHANGE), cli_msg(ctx, MSG_TRENDS_TARGET),
                              cli_msg(ctx, MSG_TRENDS_REQUIRED), cli_msg(ctx, MSG_TRENDS_RATIO),
                              cli_msg(ctx, MSG_TRENDS_CLASS)};
    static const char *const keys[] = {"unit", "first", "last", "cagr_pct", "slope_pct", "last_change_pct",
                                       "target", "required_cagr_pct", "ratio", "class"};
    const char *h[10], *k[10];
    size_t n = 0;
    for (size_t c = 0; c < 10; c++)
        if (with_targets || c < 6 || c == 9) {
            h[n] = headings[c];
            k[n++] = keys[c];
        }
    cli_table *t = cli_table_new(n, k, h);
    for (size_t c = 1; c + 1 < n; c++)
        cli_table_numeric(t, c);
    for (size_t i = 0; i < r->nrows; i++) {
        const qala_trend_row *row = &r->rows[i];
        const qala_trend_summary *s = &row->trend;
        char cell[9][64], v[32];
        int dec = qala_framework_get(ctx->fw, indicator)->decimals;
        period_str(a, s->first_period);
        snprintf(cell[0], 64, "%s %.*f", a, dec, s->first);
        period_str(a, s->last_period);
        snprintf(cell[1], 64, "%s %.*f", a, dec, s->last);
        cli_dyn_fmt(cell[2], 64, s->cagr_pct, 3);
        cli_dyn_fmt(cell[3], 64, s->slope_pct, 3);
        cli_dyn_fmt(cell[4], 64, s->last_change_pct, 3);
        cell[5][0] = cell[6][0] = cell[7][0] = '\0';
        if (row->has_target) {
            const qala_target *tg = qala_targets_get(targets, row->target);
            period_str(a, tg->period);
            cli_dyn_fmt(v, sizeof v, tg->value, 6);
            snprintf(cell[5], 64, "%s %s", v, a);
            cli_dyn_fmt(cell[6], 64, row->progress.required_cagr_pct, 3);
            cli_dyn_fmt(cell[7], 64, row->progress.ratio, 3);
        }
        snprintf(cell[8], 64, "%s%s%s", ctx->color ? class_colors[row->cls] : "",
                 cli_msg(ctx, (msg_id)(MSG_PROGRESS_UNASSESSED + (int)row->cls)), ctx->color ? reset : "");
        const char *all[] = {cli_dyn_unit_name(ctx, p, row->unit), cell[0], cell[1], cell[2], cell[3], cell[4],
                             cell[5], cell[6], cell[7], cell[8]};
        const char *cells[10];
        size_t m = 0;
        for (size_t c = 0; c < 10; c++)
            if (with_targets || c < 6 || c == 9)
                cells[m++] = all[c];
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    /* the classes, counted */
    fputc('\n', ctx->out);
    for (int c = QALA_PROGRESS_TARGET_ACHIEVED, shown = 0; c <= QALA_PROGRESS_CLASS_COUNT; c++) {
        int cls = c % QALA_PROGRESS_CLASS_COUNT; /* unassessed last */
        if (!r->counts[cls])
            continue;
        fprintf(ctx->out, "%s%s%s%s: %zu", shown++ ? ", " : "", ctx->color ? class_colors[cls] : "",
                cli_msg(ctx, (msg_id)(MSG_PROGRESS_UNASSESSED + cls)), ctx->color ? reset : "", r->counts[cls]);
    }
    fputc('\n', ctx->out);
}

int cmd_trends(cli_ctx *ctx, int argc, char **argv)
{
    cli_dyn d = {0};
    const char *targets_path = NULL;
    const cli_option options[] = {{"from", 1, &d.from}, {"to", 1, &d.to}, {"kind", 1, &d.kind},
                                  {"group", 1, &d.group}, {"region", 1, &d.region}, {"targets", 1, &targets_path},
                                  {NULL, 0, NULL}};
    const char *names[MAX_INDICATORS];
    int npos, rc = cli_parse(ctx, argc, argv, options, names, MAX_INDICATORS, &npos, "trends");
    if (rc)
        return rc;
    if (npos == 0) {
        fputs("qala trends: which indicator? (e.g. qala trends life_expectancy_years; see 'qala indicators')\n", ctx->err);
        return EXIT_USAGE;
    }
    qala_targets *targets = NULL;
    if ((rc = cli_dyn_load(ctx, &d, "trends", QALA_PANEL_FIRST_LEVEL)) == EXIT_OK && targets_path)
        rc = load_targets(ctx, targets_path, &targets);
    size_t ind[MAX_INDICATORS];
    for (int i = 0; i < npos && rc == EXIT_OK; i++)
        rc = cli_dyn_indicator(ctx, names[i], "trends", &ind[i]);
    if (rc == EXIT_OK)
        cli_dyn_note_embedded(ctx, &d);
    cli_table *detail = rc == EXIT_OK && ctx->format != FORMAT_TABLE ? detail_table() : NULL;
    for (int i = 0; i < npos && rc == EXIT_OK; i++) {
        qala_panel *p = NULL;
        qala_trends_report *r = NULL;
        const qala_indicator *indic = qala_framework_get(ctx->fw, ind[i]);
        if ((rc = cli_dyn_panel(ctx, &d, "trends", indic->code, NULL, 1, &p)) != EXIT_OK)
            break;
        qala_status st = qala_trends_report_compute(&r, p, indic->direction, targets, ind[i], ctx->reg);
        if (st != QALA_OK)
            rc = cli_fail(ctx, st, indic->code);
        else if (detail)
            trends_detail(ctx, detail, ind[i], p, r, targets);
        else if (!p->n_observed)
            fprintf(ctx->out, "%s%s: %s\n", i ? "\n" : "", cli_dyn_indicator_name(ctx, ind[i]),
                    cli_msg(ctx, MSG_DYN_NO_OBSERVATIONS));
        else {
            if (i)
                fputc('\n', ctx->out);
            trends_table(ctx, ind[i], p, r, targets, d.units);
        }
        qala_trends_report_free(r);
        qala_panel_free(p);
    }
    if (detail && rc == EXIT_OK)
        cli_table_print(ctx, detail);
    cli_table_free(detail);
    qala_targets_free(targets);
    cli_dyn_free(&d);
    return rc;
}
