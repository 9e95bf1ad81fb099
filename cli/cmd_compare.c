/* cli/cmd_compare.c — `qala compare`: an indicator across groups of cities in one period
 * — monocities, agglomerations, smart cities and the rest by default, or the groups of
 * --group G1,G2 — each group's count, mean, median, quartiles, IQR, min and max, and the
 * difference between groups with a seeded permutation p-value (--seed, --permutations).
 * The computing is qala_compare_report_compute's; here the choosing and the printing.
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

static json_t *cmp_json(cli_ctx *ctx, size_t indicator, const qala_compare_report *r, qala_panel_units units)
{
    char a[12];
    json_t *o = json_object(), *groups = json_array(), *pairs = json_array();
    qala_period_format(a, r->period);
    json_object_set_new(o, "indicator", json_string(qala_framework_get(ctx->fw, indicator)->code));
    json_object_set_new(o, "period", json_string(a));
    json_object_set_new(o, "units", json_string(qala_panel_units_code(units)));
    json_object_set_new(o, "n_units", json_integer((json_int_t)r->n_units));
    json_object_set_new(o, "n_no_value", json_integer((json_int_t)r->n_no_value));
    json_object_set_new(o, "seed", json_integer((json_int_t)r->seed));
    json_object_set_new(o, "permutations", json_integer((json_int_t)r->permutations));
    for (size_t g = 0; g < r->ngroups; g++) {
        const qala_group_summary *s = &r->groups[g];
        json_t *x = json_object();
        json_object_set_new(x, "group", json_string(r->codes[g]));
        json_object_set_new(x, "count", json_integer((json_int_t)s->count));
        const double f[] = {s->mean, s->median, s->q1, s->q3, s->iqr, s->min, s->max};
        static const char *const k[] = {"mean", "median", "q1", "q3", "iqr", "min", "max"};
        for (size_t i = 0; i < 7; i++)
            json_object_set_new(x, k[i], num(f[i]));
        json_array_append_new(groups, x);
    }
    for (size_t i = 0; i < r->npairs; i++) {
        const qala_permutation *p = &r->pairs[i];
        json_t *x = json_object();
        json_object_set_new(x, "a", json_string(r->codes[p->a]));
        json_object_set_new(x, "b", json_string(r->codes[p->b]));
        json_object_set_new(x, "n_a", json_integer((json_int_t)p->n_a));
        json_object_set_new(x, "n_b", json_integer((json_int_t)p->n_b));
        json_object_set_new(x, "diff_mean", num(p->diff_mean));
        json_object_set_new(x, "diff_median", num(p->diff_median));
        json_object_set_new(x, "p_mean", num(p->p_mean));
        json_object_set_new(x, "p_median", num(p->p_median));
        json_object_set_new(x, "b_used", json_integer((json_int_t)p->b_used));
        json_object_set_new(x, "seed", json_integer((json_int_t)p->seed));
        json_array_append_new(pairs, x);
    }
    json_object_set_new(o, "groups", groups);
    json_object_set_new(o, "pairs", pairs);
    return o;
}

/* CSV: indicator,period,section,group,other,measure,value. */
static void cmp_csv(cli_ctx *ctx, size_t indicator, const qala_compare_report *r)
{
    const char *ind = qala_framework_get(ctx->fw, indicator)->code;
    char period[12], v[64];
    qala_period_format(period, r->period);
    fprintf(ctx->out, "%s,%s,count,,,n_units,%zu\n%s,%s,count,,,n_no_value,%zu\n", ind, period, r->n_units, ind,
            period, r->n_no_value);
    fprintf(ctx->out, "%s,%s,test,,,seed,%lu\n%s,%s,test,,,permutations,%zu\n", ind, period, r->seed, ind, period,
            r->permutations);
    for (size_t g = 0; g < r->ngroups; g++) {
        const qala_group_summary *s = &r->groups[g];
        const double f[] = {(double)s->count, s->mean, s->median, s->q1, s->q3, s->iqr, s->min, s->max};
        static const char *const k[] = {"count", "mean", "median", "q1", "q3", "iqr", "min", "max"};
        for (size_t i = 0; i < 8; i++) {
            cli_dyn_fmt(v, sizeof v, f[i], 15);
            fprintf(ctx->out, "%s,%s,group,%s,,%s,%s\n", ind, period, r->codes[g], k[i], v);
        }
    }
    for (size_t i = 0; i < r->npairs; i++) {
        const qala_permutation *p = &r->pairs[i];
        const double f[] = {(double)p->n_a, (double)p->n_b, p->diff_mean, p->diff_median, p->p_mean, p->p_median};
        static const char *const k[] = {"n_a", "n_b", "diff_mean", "diff_median", "p_mean", "p_median"};
        for (size_t j = 0; j < 6; j++) {
            cli_dyn_fmt(v, sizeof v, f[j], 15);
            fprintf(ctx->out, "%s,%s,pair,%s,%s,%s,%s\n", ind, period, r->codes[p->a], r->codes[p->b], k[j], v);
        }
    }
}

static void cmp_table(cli_ctx *ctx, size_t indicator, const qala_compare_report *r, qala_panel_units units)
{
    const char *bold = ctx->color ? "\033[1m" : "", *reset = ctx->color ? "\033[0m" : "";
    char period[12];
    qala_period_format(period, r->period);
    fprintf(ctx->out, "%s%s%s — %s %s — %zu %s (%s), %zu %s\n", bold, cli_dyn_indicator_name(ctx, indicator), reset,
            cli_msg(ctx, MSG_PERIOD), period, r->n_units, cli_msg(ctx, MSG_DYN_UNITS),
            cli_msg(ctx, (msg_id)(MSG_DYN_SET_FIRST_LEVEL + (int)units)), r->n_units - r->n_no_value,
            cli_msg(ctx, MSG_DYN_WITH_VALUE));
    if (r->n_units == r->n_no_value) {
        fprintf(ctx->out, "%s\n", cli_msg(ctx, MSG_DYN_NO_VALUES_PERIOD));
        return;
    }
    const char *headings[] = {cli_msg(ctx, MSG_DYN_GROUP), cli_msg(ctx, MSG_COUNT), cli_msg(ctx, MSG_DYN_MEAN),
                              cli_msg(ctx, MSG_CMP_MEDIAN), cli_msg(ctx, MSG_CMP_IQR), cli_msg(ctx, MSG_CMP_MIN),
                              cli_msg(ctx, MSG_CMP_MAX)};
    static const char *const keys[] = {"group", "count", "mean", "median", "iqr", "min", "max"};
    cli_table *t = cli_table_new(7, keys, headings);
    for (size_t c = 1; c < 7; c++)
        cli_table_numeric(t, c);
    for (size_t g = 0; g < r->ngroups; g++) {
        const qala_group_summary *s = &r->groups[g];
        char c[6][32];
        snprintf(c[0], 32, "%zu", s->count);
        cli_dyn_fmt(c[1], 32, s->mean, 6);
        cli_dyn_fmt(c[2], 32, s->median, 6);
        cli_dyn_fmt(c[3], 32, s->iqr, 6);
        cli_dyn_fmt(c[4], 32, s->min, 6);
        cli_dyn_fmt(c[5], 32, s->max, 6);
        const char *cells[] = {cli_dyn_group_name(ctx, r->codes[g]), c[0], c[1], c[2], c[3], c[4], c[5]};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    fputc('\n', ctx->out);
    const char *h2[] = {cli_msg(ctx, MSG_CMP_PAIR), cli_msg(ctx, MSG_CMP_DIFF_MEAN), cli_msg(ctx, MSG_CMP_P_MEAN),
                        cli_msg(ctx, MSG_CMP_DIFF_MEDIAN), cli_msg(ctx, MSG_CMP_P_MEDIAN)};
    static const char *const k2[] = {"pair", "diff_mean", "p_mean", "diff_median", "p_median"};
    t = cli_table_new(5, k2, h2);
    for (size_t c = 1; c < 5; c++)
        cli_table_numeric(t, c);
    for (size_t i = 0; i < r->npairs; i++) {
        const qala_permutation *p = &r->pairs[i];
        char pair[256], c[4][32];
        if (!p->n_a || !p->n_b)
            continue; /* an empty side: nothing to test (CSV and JSON keep the row) */
        snprintf(pair, sizeof pair, "%s − ", cli_dyn_group_name(ctx, r->codes[p->a]));
        snprintf(pair + strlen(pair), sizeof pair - strlen(pair), "%s", cli_dyn_group_name(ctx, r->codes[p->b]));
        cli_dyn_fmt(c[0], 32, p->diff_mean, 6);
        cli_dyn_fmt(c[1], 32, p->p_mean, 3);
        cli_dyn_fmt(c[2], 32, p->diff_median, 6);
        cli_dyn_fmt(c[3], 32, p->p_median, 3);
        const char *cells[] = {pair, c[0], c[1], c[2], c[3]};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    fprintf(ctx->out, "(%s %zu, %s %lu)\n", cli_msg(ctx, MSG_CMP_PERMUTATION), r->permutations,
            cli_msg(ctx, MSG_CMP_SEED), r->seed);
}

int cmd_compare(cli_ctx *ctx, int argc, char **argv)
{
    cli_dyn d = {0};
    const char *seed = NULL, *perms = NULL;
    const cli_option options[] = {{"period", 1, &d.period}, {"kind", 1, &d.kind}, {"group", 1, &d.group},
                                  {"region", 1, &d.region}, {"seed", 1, &seed}, {"permutations", 1, &perms},
                                  {NULL, 0, NULL}};
    const char *names[MAX_INDICATORS];
    int npos, rc = cli_parse(ctx, argc, argv, options, names, MAX_INDICATORS, &npos, "compare");
    if (rc)
        return rc;
    if (npos == 0) {
        fputs("qala compare: which indicator? (e.g. qala compare population; see 'qala indicators')\n", ctx->err);
        return EXIT_USAGE;
    }
    qala_compare_report_options opt = QALA_COMPARE_REPORT_OPTIONS_INIT;
    char *end;
    if (seed) {
        opt.seed = strtoul(seed, &end, 10);
        if (!*seed || *end || *seed == '-') {
            fprintf(ctx->err, "qala compare: --seed '%s': expected a whole number >= 0\n", seed);
            return EXIT_USAGE;
        }
    }
    if (perms) {
        unsigned long long b = strtoull(perms, &end, 10);
        if (!*perms || *end || *perms == '-' || b < 1 || b > QALA_COMPARE_MAX_B) {
            fprintf(ctx->err, "qala compare: --permutations '%s': expected a whole number from 1 to %d\n", perms,
                    QALA_COMPARE_MAX_B);
            return EXIT_USAGE;
        }
        opt.permutations = (size_t)b;
    }
    if ((rc = cli_dyn_load(ctx, &d, "compare", QALA_PANEL_CITIES)) != EXIT_OK) {
        cli_dyn_free(&d);
        return rc;
    }
    /* --group: the groups compared (checked with suggestions by a grouping of the same
     * names), not a filter */
    char buf[512];
    const char *codes[CLI_DYN_MAX_GROUPS];
    if (d.group) {
        if ((rc = cli_dyn_split_groups(ctx, "compare", d.group, buf, sizeof buf, codes, &opt.ngroups)) != EXIT_OK) {
            cli_dyn_free(&d);
            return rc;
        }
        opt.groups = codes;
    }
    size_t ind[MAX_INDICATORS];
    for (int i = 0; i < npos && rc == EXIT_OK; i++)
        rc = cli_dyn_indicator(ctx, names[i], "compare", &ind[i]);
    if (rc == EXIT_OK)
        cli_dyn_note_embedded(ctx, &d);
    json_t *all = ctx->format == FORMAT_JSON ? json_array() : NULL;
    int csv_header = ctx->format == FORMAT_CSV; /* printed before the first result */
    for (int i = 0; i < npos && rc == EXIT_OK; i++) {
        qala_panel *p = NULL;
        qala_compare_report *r = NULL;
        const char *code = qala_framework_get(ctx->fw, ind[i])->code;
        if ((rc = cli_dyn_panel(ctx, &d, "compare", code, NULL, 0, &p)) != EXIT_OK)
            break;
        size_t k = cli_dyn_period(&d, p);
        if (k != SIZE_MAX) {
            opt.period = k;
            qala_status st = qala_compare_report_compute(&r, p, ctx->reg, &opt);
            if (st != QALA_OK)
                rc = cli_fail(ctx, st, code);
        }
        if (rc != EXIT_OK) {
        } else if (!r) {
            if (ctx->format == FORMAT_TABLE)
                fprintf(ctx->out, "%s%s: %s\n", i ? "\n" : "", cli_dyn_indicator_name(ctx, ind[i]),
                        cli_msg(ctx, p->n_observed ? MSG_DYN_NO_VALUES_PERIOD : MSG_DYN_NO_OBSERVATIONS));
        } else if (all) {
            json_array_append_new(all, cmp_json(ctx, ind[i], r, d.units));
        } else if (ctx->format == FORMAT_CSV) {
            if (csv_header)
                fputs("indicator,period,section,group,other,measure,value\n", ctx->out);
            csv_header = 0;
            cmp_csv(ctx, ind[i], r);
        } else {
            if (i)
                fputc('\n', ctx->out);
            cmp_table(ctx, ind[i], r, d.units);
        }
        qala_compare_report_free(r);
        qala_panel_free(p);
    }
    if (csv_header && rc == EXIT_OK)
        fputs("indicator,period,section,group,other,measure,value\n", ctx->out); /* no result: the header alone */
    if (all && rc == EXIT_OK) {
        json_dumpf(all, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        fputc('\n', ctx->out);
    }
    json_decref(all);
    cli_dyn_free(&d);
    return rc;
}
