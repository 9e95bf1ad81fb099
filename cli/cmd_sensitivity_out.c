/* cli/cmd_sensitivity_out.c — the outputs of `qala sensitivity`: the table of ranks
 * (nominal, median, 5–95 % interval with a text bar on a terminal, top-k and bottom-k
 * probabilities) and of Sobol indices; --format json (the seed, the factors, every run's
 * sample, choices and rank shift, per-unit summaries and rank histograms: the data
 * behind a rank-interval plot) or csv (one long table); --out DIR writes both.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_sensitivity.h"

static json_t *num(double x)
{
    return isnan(x) || isinf(x) ? json_null() : json_real(x);
}

static void alt_text(const view *v, size_t i, size_t a, char *buf, size_t cap)
{
    qala_sens_alternative_text(v->fs, i, a, v->ix->tree, buf, cap);
}

/* Units by nominal rank, those without one last (input order among equals). */
static const qala_sens_rank_summary *sort_sum;
static int by_nominal(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    double nx = sort_sum[x].nominal, ny = sort_sum[y].nominal;
    if (isnan(nx) != isnan(ny))
        return isnan(nx) ? 1 : -1;
    if (!isnan(nx) && nx != ny)
        return nx < ny ? -1 : 1;
    return x < y ? -1 : x > y;
}

static size_t *unit_order(const qala_sens_result *r)
{
    size_t nu = qala_sens_result_units(r);
    size_t *order = malloc((nu + 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t u = 0; u < nu; u++)
        order[u] = u;
    sort_sum = qala_sens_result_summary(r, qala_sens_result_nodes(r) - 1);
    qsort(order, nu, sizeof *order, by_nominal);
    return order;
}

static void factors_line(const view *v, FILE *f)
{
    size_t d = qala_sens_factors_count(v->fs);
    for (size_t i = 0; i < d; i++) {
        size_t k = qala_sens_factor_alternatives(v->fs, i, v->ix->tree);
        char a0[96], a1[96];
        alt_text(v, i, 0, a0, sizeof a0);
        alt_text(v, i, k - 1, a1, sizeof a1);
        fprintf(f, "%s%s (%s, %zu: %s", i ? "; " : "", qala_sens_factor_name(v->fs, i),
                qala_sens_kind_name(qala_sens_factor_kind(v->fs, i)), k, a0);
        if (k > 2) {
            alt_text(v, i, 1, a0, sizeof a0);
            fprintf(f, ", %s", a0);
        }
        fprintf(f, "%s%s)", k > 3 ? " … " : k > 1 ? ", " : "", k > 1 ? a1 : "");
    }
    fputc('\n', f);
}

/* Writes text right-aligned in width display columns. */
static void rpad(FILE *f, const char *text, size_t width)
{
    size_t w = qala_text_width(text);
    fprintf(f, "%*s%s", (int)(width > w ? width - w : 0), "", text);
}

/* The interval "q05–q95" of a summary. */
static void fmt_rank(char *buf, size_t n, double x);
static void interval(char *buf, size_t n, const qala_sens_rank_summary *x)
{
    char lo[16], hi[16];
    fmt_rank(lo, sizeof lo, x->q05);
    fmt_rank(hi, sizeof hi, x->q95);
    snprintf(buf, n, "%s–%s", lo, hi);
}

static void fmt_rank(char *buf, size_t n, double x)
{
    if (isnan(x)) {
        snprintf(buf, n, "—");
        return;
    }
    snprintf(buf, n, "%.2f", x); /* quantiles type 7 fall between ranks: two decimals at most */
    char *e = buf + strlen(buf);
    while (e > buf && e[-1] == '0')
        *--e = '\0';
    if (e > buf && e[-1] == '.')
        e[-1] = '\0';
}

/* The table of one analysis's ranks. */
static void print_ranks(const view *v, const analysis *a, int bar)
{
    cli_ctx *ctx = v->ctx;
    FILE *f = ctx->out;
    const qala_sens_result *r = a->res;
    size_t nu = qala_sens_result_units(r), ranked = 0;
    const qala_sens_rank_summary *s = qala_sens_result_summary(r, qala_sens_result_nodes(r) - 1);
    size_t *order = unit_order(r);
    if (!order)
        return;
    for (size_t u = 0; u < nu; u++)
        ranked += !isnan(s[u].nominal) || s[u].nruns > 0;
    size_t wname = qala_text_width(cli_msg(ctx, MSG_TERRITORY));
    for (size_t u = 0; u < nu; u++) {
        size_t w = qala_text_width(cli_index_unit_name(ctx, v->ix, order[u]));
        wname = w > wname ? w : wname;
    }
    char top[64], bottom[64];
    snprintf(top, sizeof top, "P(%s %zu)", cli_msg(ctx, MSG_SENS_TOP), v->top_k);
    snprintf(bottom, sizeof bottom, "P(%s %zu)", cli_msg(ctx, MSG_SENS_BOTTOM), v->top_k);
    const char *heads[6] = {cli_msg(ctx, MSG_INDEX_RANK), cli_msg(ctx, MSG_SENS_MEDIAN), "5–95 %", top,
                            bottom, cli_msg(ctx, MSG_SENS_SHIFT)};
    size_t w[6];
    for (int c = 0; c < 6; c++) {
        w[c] = qala_text_width(heads[c]);
        if (w[c] < 6)
            w[c] = 6;
    }
    for (size_t u = 0; u < nu; u++) {
        char iv[40];
        interval(iv, sizeof iv, &s[u]);
        if (qala_text_width(iv) > w[2])
            w[2] = qala_text_width(iv);
    }
    rpad(f, heads[0], w[0]);
    fprintf(f, "  %s%*s", cli_msg(ctx, MSG_TERRITORY),
            (int)(wname - qala_text_width(cli_msg(ctx, MSG_TERRITORY))), "");
    for (int c = 1; c < 6; c++) {
        fputs("  ", f);
        rpad(f, heads[c], w[c]);
    }
    fputc('\n', f);
    for (size_t i = 0; i < nu; i++) {
        size_t u = order[i];
        const qala_sens_rank_summary *x = &s[u];
        if (isnan(x->nominal) && x->nruns == 0)
            continue;
        char nom[16], med[16], iv[40], pt[16], pb[16], sh[16];
        fmt_rank(nom, sizeof nom, x->nominal);
        fmt_rank(med, sizeof med, x->median);
        interval(iv, sizeof iv, x);
        snprintf(pt, sizeof pt, "%.2f", x->p_top);
        snprintf(pb, sizeof pb, "%.2f", x->p_bottom);
        snprintf(sh, sizeof sh, "%.1f", x->mean_abs_shift);
        const char *name = cli_index_unit_name(ctx, v->ix, u);
        fprintf(f, "%*s  %s%*s", (int)w[0], nom, name, (int)(wname - qala_text_width(name)), "");
        const char *cells[5] = {med, iv, pt, pb, sh};
        for (int c = 1; c < 6; c++) {
            fputs("  ", f);
            rpad(f, cells[c - 1], w[c]);
        }
        if (bar && ranked > 1 && !isnan(x->q05)) {
            enum { BW = 24 };
            char b[BW * 3 + 1];
            size_t at = 0;
            double scale = (double)(BW - 1) / (double)(ranked - 1);
            size_t l = (size_t)((x->q05 - 1) * scale + 0.5), h = (size_t)((x->q95 - 1) * scale + 0.5),
                   m = (size_t)((x->median - 1) * scale + 0.5);
            for (size_t c = 0; c < BW; c++) {
                const char *g = c == m ? "●" : c >= l && c <= h ? "━" : "·";
                size_t gl = strlen(g);
                memcpy(b + at, g, gl);
                at += gl;
            }
            b[at] = '\0';
            fprintf(f, "  %s", b);
        }
        fputc('\n', f);
    }
    free(order);
}

static void print_sobol(const view *v, const analysis *a)
{
    cli_ctx *ctx = v->ctx;
    FILE *f = ctx->out;
    const qala_sens_result *r = a->res;
    size_t d = qala_sens_result_factors(r), wf = qala_text_width(cli_msg(ctx, MSG_SENS_FACTOR));
    for (size_t i = 0; i < d; i++) {
        size_t w = qala_text_width(qala_sens_factor_name(v->fs, i));
        wf = w > wf ? w : wf;
    }
    for (size_t o = 0; o < qala_sens_result_outputs(r); o++) {
        const qala_sobol_index *si = qala_sens_result_sobol(r, o);
        if (o == 0)
            fprintf(f, "\n%s\n", cli_msg(ctx, MSG_SENS_SOBOL_SHIFT));
        else
            fprintf(f, "\n%s %s (%s)\n", cli_msg(ctx, MSG_SENS_SOBOL_UNIT),
                    cli_index_unit_name(ctx, v->ix, v->unit_index), v->unit);
        const char *h1 = cli_msg(ctx, MSG_SENS_FIRST), *h2 = cli_msg(ctx, MSG_SENS_TOTAL);
        size_t w1 = qala_text_width(h1) > 6 ? qala_text_width(h1) : 6, w2 = qala_text_width(h2) > 6 ? qala_text_width(h2) : 6;
        const char *head = cli_msg(ctx, MSG_SENS_FACTOR);
        fprintf(f, "%s%*s  ", head, (int)(wf - qala_text_width(head)), "");
        rpad(f, h1, w1);
        rpad(f, "5–95 %", 13);
        fputs("  ", f);
        rpad(f, h2, w2);
        rpad(f, "5–95 %", 13);
        fputc('\n', f);
        for (size_t i = 0; i < d; i++) {
            const char *name = qala_sens_factor_name(v->fs, i);
            char a1[40], a2[40], x1[16], x2[16];
            snprintf(a1, sizeof a1, "%.2f–%.2f", si[i].first_lo, si[i].first_hi);
            snprintf(a2, sizeof a2, "%.2f–%.2f", si[i].total_lo, si[i].total_hi);
            snprintf(x1, sizeof x1, "%.2f", si[i].first);
            snprintf(x2, sizeof x2, "%.2f", si[i].total);
            fprintf(f, "%s%*s  ", name, (int)(wf - qala_text_width(name)), "");
            rpad(f, x1, w1);
            rpad(f, a1, 13);
            fputs("  ", f);
            rpad(f, x2, w2);
            rpad(f, a2, 13);
            fputc('\n', f);
        }
    }
}

void sens_print_table(const view *v)
{
    cli_ctx *ctx = v->ctx;
    int bar = isatty(fileno(ctx->out));
    cli_index_header(ctx, v->ix, ctx->out);
    fprintf(ctx->out, "%s: ", cli_msg(ctx, MSG_SENS_FACTORS));
    factors_line(v, ctx->out);
    for (size_t i = 0; i < v->nan; i++) {
        const qala_sens_result *r = v->an[i].res;
        int sobol = qala_sens_result_design(r) == QALA_SENS_SOBOL;
        fprintf(ctx->out, "\n%s: ", cli_msg(ctx, sobol ? MSG_SENS_SOBOL : MSG_SENS_UNCERTAINTY));
        if (sobol)
            fprintf(ctx->out, "N = %zu, ", qala_sens_result_n(r));
        fprintf(ctx->out, "%zu %s", qala_sens_result_runs_done(r), cli_msg(ctx, MSG_SENS_RUNS));
        if (qala_sens_result_cancelled(r))
            fprintf(ctx->out, " (%s %zu)", cli_msg(ctx, MSG_SENS_OF), qala_sens_result_runs(r));
        fprintf(ctx->out, ", %s %lu\n", cli_msg(ctx, MSG_SENS_SEED), qala_sens_result_seed(r));
        if (!sobol || v->nan == 1)
            print_ranks(v, &v->an[i], bar);
        if (sobol)
            print_sobol(v, &v->an[i]);
    }
}

/* Per unit of the index: rank → runs, ascending (the histogram behind a rank-interval
 * plot); counts has room for nunits + 1 ranks. */
static void histogram(const qala_sens_result *r, size_t u, size_t *counts, size_t n)
{
    memset(counts, 0, (n + 1) * sizeof *counts);
    size_t j = qala_sens_result_nodes(r) - 1;
    for (size_t run = 0; run < qala_sens_result_runs_done(r); run++) {
        uint32_t k = qala_sens_result_ranks(r, run, j)[u];
        if (k && k <= n)
            counts[k]++;
    }
}

static json_t *json_analysis(const view *v, const analysis *a)
{
    const qala_sens_result *r = a->res;
    size_t d = qala_sens_result_factors(r), nu = qala_sens_result_units(r);
    json_t *o = json_object(), *runs = json_array(), *units = json_array();
    json_object_set_new(o, "design", json_string(a->key));
    json_object_set_new(o, "n", json_integer((json_int_t)qala_sens_result_n(r)));
    json_object_set_new(o, "runs", json_integer((json_int_t)qala_sens_result_runs(r)));
    json_object_set_new(o, "runs_done", json_integer((json_int_t)qala_sens_result_runs_done(r)));
    json_object_set_new(o, "cancelled", json_boolean(qala_sens_result_cancelled(r)));
    const double *shift = qala_sens_result_shift(r);
    for (size_t run = 0; run < qala_sens_result_runs_done(r); run++) {
        json_t *x = json_object(), *sample = json_array(), *choices = json_object();
        const double *smp = qala_sens_result_sample(r, run);
        const uint32_t *ch = qala_sens_result_choices(r, run);
        for (size_t i = 0; i < d; i++) {
            char t[160];
            alt_text(v, i, ch[i], t, sizeof t);
            json_array_append_new(sample, json_real(smp[i]));
            json_object_set_new(choices, qala_sens_factor_name(v->fs, i), json_string(t));
        }
        json_object_set_new(x, "run", json_integer((json_int_t)run));
        json_object_set_new(x, "sample", sample);
        json_object_set_new(x, "choices", choices);
        json_object_set_new(x, "mean_rank_shift", num(shift[run]));
        json_array_append_new(runs, x);
    }
    json_object_set_new(o, "run_list", runs);
    const qala_sens_rank_summary *s = qala_sens_result_summary(r, qala_sens_result_nodes(r) - 1);
    size_t *counts = malloc((nu + 2) * sizeof *counts);
    size_t *order = unit_order(r);
    for (size_t i = 0; counts && order && i < nu; i++) {
        size_t u = order[i];
        json_t *x = json_object(), *h = json_array();
        json_object_set_new(x, "code", json_string(qala_sens_result_unit_code(r, u)));
        json_object_set_new(x, "name", json_string(cli_index_unit_name(v->ctx, v->ix, u)));
        json_object_set_new(x, "nominal", num(s[u].nominal));
        json_object_set_new(x, "median", num(s[u].median));
        json_object_set_new(x, "q05", num(s[u].q05));
        json_object_set_new(x, "q95", num(s[u].q95));
        json_object_set_new(x, "p_top", num(s[u].p_top));
        json_object_set_new(x, "p_bottom", num(s[u].p_bottom));
        json_object_set_new(x, "mean_abs_shift", num(s[u].mean_abs_shift));
        json_object_set_new(x, "runs", json_integer((json_int_t)s[u].nruns));
        histogram(r, u, counts, nu);
        for (size_t k = 1; k <= nu; k++)
            if (counts[k])
                json_array_append_new(h, json_pack("[I, I]", (json_int_t)k, (json_int_t)counts[k]));
        json_object_set_new(x, "histogram", h);
        json_array_append_new(units, x);
    }
    free(counts);
    free(order);
    json_object_set_new(o, "units", units);
    if (qala_sens_result_design(r) == QALA_SENS_SOBOL) {
        json_t *outs = json_array();
        for (size_t out = 0; out < qala_sens_result_outputs(r); out++) {
            const qala_sobol_index *si = qala_sens_result_sobol(r, out);
            json_t *x = json_object(), *fs = json_array();
            json_object_set_new(x, "output", json_string(out == 0 ? "mean_rank_shift" : "rank"));
            json_object_set_new(x, "unit", out == 0 ? json_null() : json_string(v->unit));
            for (size_t i = 0; i < d; i++)
                json_array_append_new(fs, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "factor",
                                      qala_sens_factor_name(v->fs, i), "first", num(si[i].first),
                                      "first_lo", num(si[i].first_lo), "first_hi", num(si[i].first_hi),
                                      "total", num(si[i].total), "total_lo", num(si[i].total_lo),
                                      "total_hi", num(si[i].total_hi)));
            json_object_set_new(x, "factors", fs);
            json_array_append_new(outs, x);
        }
        json_object_set_new(o, "sobol", outs);
    }
    return o;
}

void sens_print_json(const view *v, FILE *f)
{
    cli_ctx *ctx = v->ctx;
    cli_index *ix = v->ix;
    json_t *o = json_object(), *factors = json_array(), *analyses = json_array();
    char per[12];
    qala_period_format(per, ix->p_to);
    json_object_set_new(o, "spec", json_string(qala_index_spec_code(ix->spec)));
    json_object_set_new(o, "name", json_string(qala_index_spec_name(ix->spec, ctx->lang)));
    json_object_set_new(o, "period", json_string(per));
    json_object_set_new(o, "weights", json_string(ix->weights ? ix->weights : "default"));
    json_object_set_new(o, "data", json_string(ix->embedded ? "embedded" : "database"));
    json_object_set_new(o, "seed", json_integer((json_int_t)qala_sens_result_seed(v->an[0].res)));
    json_object_set_new(o, "top_k", json_integer((json_int_t)v->top_k));
    for (size_t i = 0; i < qala_sens_factors_count(v->fs); i++) {
        json_t *x = json_object(), *alts = json_array();
        size_t k = qala_sens_factor_alternatives(v->fs, i, ix->tree);
        json_object_set_new(x, "name", json_string(qala_sens_factor_name(v->fs, i)));
        json_object_set_new(x, "type", json_string(qala_sens_kind_name(qala_sens_factor_kind(v->fs, i))));
        for (size_t a = 0; a < k; a++) {
            char t[160];
            alt_text(v, i, a, t, sizeof t);
            json_array_append_new(alts, json_string(t));
        }
        json_object_set_new(x, "alternatives", alts);
        json_array_append_new(factors, x);
    }
    json_object_set_new(o, "factors", factors);
    for (size_t i = 0; i < v->nan; i++)
        json_array_append_new(analyses, json_analysis(v, &v->an[i]));
    json_object_set_new(o, "analyses", analyses);
    json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    fputc('\n', f);
    json_decref(o);
}

/* One long CSV: section,design,run,unit,factor,measure,value. */
static void csv_row(FILE *f, const char *section, const char *design, const char *run,
                    const char *unit, const char *factor, const char *measure, const char *value)
{
    const char *cells[7] = {section, design, run, unit, factor, measure, value};
    for (int c = 0; c < 7; c++) {
        if (c)
            fputc(',', f);
        cli_csv_field(f, cells[c] ? cells[c] : "", cells[c] ? strlen(cells[c]) : 0);
    }
    fputc('\n', f);
}

void sens_print_csv(const view *v, FILE *f)
{
    char a[64], b[64], t[160];
    fputs("section,design,run,unit,factor,measure,value\n", f);
    for (size_t i = 0; i < qala_sens_factors_count(v->fs); i++) {
        const char *name = qala_sens_factor_name(v->fs, i);
        csv_row(f, "factor", "", "", "", name, "type", qala_sens_kind_name(qala_sens_factor_kind(v->fs, i)));
        for (size_t k = 0; k < qala_sens_factor_alternatives(v->fs, i, v->ix->tree); k++) {
            snprintf(a, sizeof a, "alternative %zu", k);
            alt_text(v, i, k, t, sizeof t);
            csv_row(f, "factor", "", "", "", name, a, t);
        }
    }
    for (size_t n = 0; n < v->nan; n++) {
        const qala_sens_result *r = v->an[n].res;
        const char *ds = v->an[n].key;
        size_t d = qala_sens_result_factors(r), nu = qala_sens_result_units(r);
        snprintf(a, sizeof a, "%lu", qala_sens_result_seed(r));
        csv_row(f, "setting", ds, "", "", "", "seed", a);
        snprintf(a, sizeof a, "%zu", qala_sens_result_n(r));
        csv_row(f, "setting", ds, "", "", "", "n", a);
        snprintf(a, sizeof a, "%zu", qala_sens_result_runs_done(r));
        csv_row(f, "setting", ds, "", "", "", "runs_done", a);
        csv_row(f, "setting", ds, "", "", "", "cancelled", qala_sens_result_cancelled(r) ? "1" : "0");
        snprintf(a, sizeof a, "%zu", v->top_k);
        csv_row(f, "setting", ds, "", "", "", "top_k", a);
        const double *shift = qala_sens_result_shift(r);
        for (size_t run = 0; run < qala_sens_result_runs_done(r); run++) {
            snprintf(a, sizeof a, "%zu", run);
            for (size_t i = 0; i < d; i++) {
                const char *name = qala_sens_factor_name(v->fs, i);
                alt_text(v, i, qala_sens_result_choices(r, run)[i], t, sizeof t);
                csv_row(f, "run", ds, a, "", name, "choice", t);
                snprintf(b, sizeof b, "%.15g", qala_sens_result_sample(r, run)[i]);
                csv_row(f, "run", ds, a, "", name, "sample", b);
            }
            cli_index_fmt(b, sizeof b, shift[run], -1);
            csv_row(f, "run", ds, a, "", "", "mean_rank_shift", b);
        }
        const qala_sens_rank_summary *s = qala_sens_result_summary(r, qala_sens_result_nodes(r) - 1);
        size_t *order = unit_order(r), *counts = malloc((nu + 2) * sizeof *counts);
        for (size_t i = 0; order && counts && i < nu; i++) {
            size_t u = order[i];
            const char *code = qala_sens_result_unit_code(r, u);
            const char *m[7] = {"nominal", "median", "q05", "q95", "p_top", "p_bottom", "mean_abs_shift"};
            double x[7] = {s[u].nominal, s[u].median, s[u].q05, s[u].q95, s[u].p_top, s[u].p_bottom,
                           s[u].mean_abs_shift};
            for (int k = 0; k < 7; k++) {
                cli_index_fmt(b, sizeof b, x[k], -1);
                csv_row(f, "summary", ds, "", code, "", m[k], b);
            }
            snprintf(b, sizeof b, "%zu", s[u].nruns);
            csv_row(f, "summary", ds, "", code, "", "runs", b);
            histogram(r, u, counts, nu);
            for (size_t k = 1; k <= nu; k++)
                if (counts[k]) {
                    snprintf(a, sizeof a, "rank %zu", k);
                    snprintf(b, sizeof b, "%zu", counts[k]);
                    csv_row(f, "histogram", ds, "", code, "", a, b);
                }
        }
        free(order);
        free(counts);
        for (size_t o = 0; o < qala_sens_result_outputs(r); o++) {
            const qala_sobol_index *si = qala_sens_result_sobol(r, o);
            for (size_t i = 0; i < d; i++) {
                const char *m[6] = {"first", "first_lo", "first_hi", "total", "total_lo", "total_hi"};
                double x[6] = {si[i].first, si[i].first_lo, si[i].first_hi, si[i].total, si[i].total_lo,
                               si[i].total_hi};
                for (int k = 0; k < 6; k++) {
                    cli_index_fmt(b, sizeof b, x[k], -1);
                    csv_row(f, "sobol", ds, "", o ? v->unit : "", qala_sens_factor_name(v->fs, i), m[k], b);
                }
            }
        }
    }
}

/* --out DIR: sensitivity.csv and sensitivity.json. */
int sens_write_out(const view *v, const char *dir)
{
    if (mkdir(dir, 0777) != 0 && access(dir, W_OK) != 0) {
        fprintf(v->ctx->err, "qala sensitivity: --out %s: cannot create the folder\n", dir);
        return EXIT_IO;
    }
    char path[4096];
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/sensitivity.%s", dir, k ? "json" : "csv");
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(v->ctx->err, "qala sensitivity: cannot write %s\n", path);
            return EXIT_IO;
        }
        if (k)
            sens_print_json(v, f);
        else
            sens_print_csv(v, f);
        if (fclose(f) != 0) {
            fprintf(v->ctx->err, "qala sensitivity: cannot write %s\n", path);
            return EXIT_IO;
        }
    }
    return EXIT_OK;
}

/* ---- the command ---------------------------------------------------------------------- */
