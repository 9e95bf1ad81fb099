/* cli/cmd_sensitivity.c — `qala sensitivity`: how robust is each unit's rank in a
 * composite index when the modeller's choices move (docs/sensitivity.md, docs/cli.md).
 *
 * The index, its period and units are chosen as for `qala index` (cli_index_prepare:
 * the database, or the embedded demo statistics); the uncertain factors come from a file
 * (--factors) and/or the command line (each option becomes one factor of the file format,
 * read by the library's reader so that the messages are the same). Then an uncertainty
 * analysis (--runs N, the default) and/or a Sobol analysis (--sobol N rows) through
 * qala_sens_run, with a progress bar and ETA on a terminal's stderr; Ctrl-C cancels
 * through the progress callback: the runs in flight finish, the results cover the runs
 * done, and the command says so and exits 130. Outputs: a table of ranks (nominal,
 * median, 5–95 % interval, top-k and bottom-k probabilities; a text bar of the interval
 * on a terminal) and of Sobol indices; --format csv (one long table) or json with the
 * seed, the factors, every run's sample, choices and rank shift, per-unit summaries and
 * rank histograms (the data behind a rank-interval plot); --out DIR writes both files
 * (the outputs: cmd_sensitivity_out.c). With --thresholds F the command analyses the
 * monitoring instead (cmd_sens_monitor.c).
 */
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_sensitivity.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct progress {
    cli_ctx *ctx;
    const char *what;
    double start;
    int drawn;
} progress;

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The bar on stderr (a terminal only); a nonzero answer after Ctrl-C cancels. */
static int on_progress(void *arg, size_t done, size_t total)
{
    progress *p = arg;
    if (p->ctx->progress && total) {
        enum { W = 30 };
        size_t fill = done * W / total;
        char bar[W + 1];
        for (size_t i = 0; i < W; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[W] = '\0';
        double el = seconds_now() - p->start;
        fprintf(p->ctx->err, "\r%s [%s] %3zu%% %zu/%zu", p->what, bar, done * 100 / total, done, total);
        if (done > 0 && done < total)
            fprintf(p->ctx->err, " ETA %.0fs ", el * (double)(total - done) / (double)done);
        else
            fputs("         ", p->ctx->err);
        p->drawn = 1;
        fflush(p->ctx->err);
    }
    return interrupted != 0;
}

/* ---- factors from the command line -------------------------------------------------- */

/* Splits "a,b,c" into a JSON array of strings (or of integers with numbers = 1; a-b
 * ranges allowed). NULL on a bad number. */
static json_t *list(const char *text, int numbers)
{
    json_t *a = json_array();
    const char *s = text;
    while (a && *s) {
        size_t n = strcspn(s, ",");
        char item[128];
        snprintf(item, sizeof item, "%.*s", (int)(n < 127 ? n : 127), s);
        if (!numbers) {
            json_array_append_new(a, json_string(item));
        } else {
            char *end;
            long lo = strtol(item, &end, 10), hi = lo;
            if (*end == '-')
                hi = strtol(end + 1, &end, 10);
            if (*end || end == item || lo < 0 || hi < lo || hi - lo > 1000) {
                json_decref(a);
                return NULL;
            }
            for (long v = lo; v <= hi; v++)
                json_array_append_new(a, json_integer(v));
        }
        s += n + (s[n] == ',');
    }
    return a;
}

/* Adds one factor given as a JSON object, through the library's file reader; the
 * message names the option. Returns an exit code. */
static int add_factor(cli_ctx *ctx, qala_sens_factors *fs, const char *option, json_t *factor)
{
    json_t *doc = json_pack("{s:i, s:[o]}", "qala_sensitivity", 1, "factors", factor);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (!text)
        return cli_fail(ctx, QALA_ENOMEM, NULL);
    qala_status st = qala_sens_factors_load_json(fs, text, strlen(text), NULL);
    free(text);
    if (st == QALA_OK)
        return EXIT_OK;
    const char *m = qala_error_last()->message, *colon = strstr(m, ": ");
    if (strncmp(m, "factors[0]", 10) == 0 && colon)
        m = colon + 2;
    fprintf(ctx->err, "qala sensitivity: --%s: %s\n", option, m);
    return EXIT_USAGE;
}

typedef struct opts {
    const char *factors, *noise, *normalise, *aggregate, *impute, *winmax, *exclude, *reps;
    const char *runs, *sobol, *seed, *threads, *top, *unit, *out;
    const char *thresholds, *domain, *set;  /* the monitoring factor (cmd_sens_monitor.c) */
} opts;

static int parse_count(cli_ctx *ctx, const char *opt, const char *text, size_t lo, size_t hi,
                       size_t *out)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || text[0] == '-' || v < lo || v > hi) {
        fprintf(ctx->err, "qala sensitivity: --%s '%s': expected a whole number from %zu to %zu\n",
                opt, text, lo, hi);
        return EXIT_USAGE;
    }
    *out = (size_t)v;
    return EXIT_OK;
}

static int build_factors(cli_ctx *ctx, const opts *o, const qala_index_tree *tree,
                         qala_sens_factors *fs)
{
    int rc = EXIT_OK;
    if (o->factors && qala_sens_factors_load_file(fs, o->factors) != QALA_OK) {
        const qala_error *e = qala_error_last();
        if (e->line)
            fprintf(ctx->err, "qala sensitivity: %s:%ld:%ld: %s\n", o->factors, (long)e->line, (long)e->column, e->message);
        else
            fprintf(ctx->err, "qala sensitivity: %s: %s\n", o->factors, e->message);
        return e->code == QALA_EIO ? EXIT_IO : EXIT_DATA;
    }
    if (o->noise) {
        char *end;
        double f = strtod(o->noise, &end);
        size_t reps = 100;
        if (*end || !(f > 0 && f < 1)) {
            fprintf(ctx->err, "qala sensitivity: --weights-noise '%s': expected a fraction in (0, 1), e.g. 0.25\n", o->noise);
            return EXIT_USAGE;
        }
        if (o->reps && (rc = parse_count(ctx, "replications", o->reps, 1, 100000, &reps)) != EXIT_OK)
            return rc;
        json_t *noise = json_array();
        for (int l = 1; l < tree->nlevels; l++)
            json_array_append_new(noise, json_pack("{s:i, s:f}", "level", l, "fraction", f));
        rc = add_factor(ctx, fs, "weights-noise", json_pack("{s:s, s:s, s:o, s:I}", "name", "weights",
                        "type", "weights", "noise", noise, "replications", (json_int_t)reps));
    }
    struct { const char *opt, *text, *type, *key; int numbers; } lists[] = {
        {"normalise", o->normalise, "normalise", "methods", 0},
        {"aggregate", o->aggregate, "aggregate", "methods", 0},
        {"impute", o->impute, "impute", "methods", 0},
        {"winmax", o->winmax, "treat", "winmax", 1},
        {"exclude", o->exclude, "exclude", "indicators", 0},
    };
    for (size_t i = 0; rc == EXIT_OK && i < sizeof lists / sizeof *lists; i++) {
        if (!lists[i].text)
            continue;
        json_t *items = NULL;
        if (strcmp(lists[i].opt, "exclude") != 0 || strcmp(lists[i].text, "all") != 0) {
            items = list(lists[i].text, lists[i].numbers);
            if (!items) {
                fprintf(ctx->err, "qala sensitivity: --%s '%s': expected whole numbers from 0 "
                        "(no treatment), as 1,2,3 or 1-5\n", lists[i].opt, lists[i].text);
                return EXIT_USAGE;
            }
        }
        json_t *f = json_pack("{s:s, s:s}", "name", lists[i].opt, "type", lists[i].type);
        if (items)
            json_object_set_new(f, lists[i].key, items);
        rc = add_factor(ctx, fs, lists[i].opt, f);
    }
    if (rc == EXIT_OK && qala_sens_factors_count(fs) == 0) {
        fputs("qala sensitivity: no uncertain factor: give --factors FILE or some of "
              "--weights-noise, --normalise, --aggregate, --impute, --winmax, --exclude\n", ctx->err);
        return EXIT_USAGE;
    }
    return rc;
}

/* ---- output --------------------------------------------------------------------------- */

static int run_analysis(cli_ctx *ctx, cli_index *ix, const qala_sens_factors *fs,
                        qala_sens_options *opt, analysis *a)
{
    progress p = {ctx, a->key, seconds_now(), 0};
    opt->progress = on_progress;
    opt->progress_ctx = &p;
    qala_status st = qala_sens_run(&a->res, ix->tree, qala_index_data_input(ix->data), fs, opt);
    if (p.drawn)
        fputs("\r\033[K", ctx->err);
    if (st != QALA_OK) {
        fprintf(ctx->err, "qala sensitivity: %s\n", qala_error_last()->message);
        return cli_exit_code(st);
    }
    return EXIT_OK;
}

/* --thresholds F: the monitoring factor instead of the index; the index's options make no
 * sense there and are refused by name. */
static int thresholds_mode(cli_ctx *ctx, const opts *o, const cli_index *ix, size_t runs, size_t seed)
{
    const struct { const char *name, *value; } index_only[] = {
        {"spec", ix->spec_name}, {"weights", ix->weights}, {"factors", o->factors},
        {"weights-noise", o->noise}, {"replications", o->reps}, {"normalise", o->normalise},
        {"aggregate", o->aggregate}, {"impute", o->impute}, {"winmax", o->winmax},
        {"exclude", o->exclude}, {"sobol", o->sobol}, {"threads", o->threads}, {"top", o->top},
        {"out", o->out}};
    for (size_t i = 0; i < sizeof index_only / sizeof *index_only; i++)
        if (index_only[i].value) {
            fprintf(ctx->err, "qala sensitivity: --%s is an option of the index analysis, not of "
                    "--thresholds\n", index_only[i].name);
            return EXIT_USAGE;
        }
    cli_sens_monitor_args a = {o->thresholds, ix->period, ix->group, ix->region, ix->kind, o->unit,
                               o->domain, o->set, runs, (unsigned long)seed};
    return cli_sens_monitor(ctx, &a);
}

int cmd_sensitivity(cli_ctx *ctx, int argc, char **argv)
{
    cli_index ix = {0};
    opts o = {0};
    const cli_option options[] = {
        {"spec", 1, &ix.spec_name}, {"weights", 1, &ix.weights}, {"period", 1, &ix.period},
        {"group", 1, &ix.group}, {"region", 1, &ix.region}, {"kind", 1, &ix.kind},
        {"factors", 1, &o.factors}, {"weights-noise", 1, &o.noise}, {"replications", 1, &o.reps},
        {"normalise", 1, &o.normalise}, {"aggregate", 1, &o.aggregate}, {"impute", 1, &o.impute},
        {"winmax", 1, &o.winmax}, {"exclude", 1, &o.exclude}, {"runs", 1, &o.runs},
        {"sobol", 1, &o.sobol}, {"seed", 1, &o.seed}, {"threads", 1, &o.threads}, {"top", 1, &o.top},
        {"unit", 1, &o.unit}, {"out", 1, &o.out}, {"thresholds", 1, &o.thresholds},
        {"domain", 1, &o.domain}, {"set", 1, &o.set}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "sensitivity");
    if (rc)
        return rc;
    size_t runs = 1000, sobol = 0, seed = 1, threads = 0, top = 10;
    if ((o.runs && (rc = parse_count(ctx, "runs", o.runs, 1, 100000000, &runs)) != EXIT_OK) ||
        (o.sobol && (rc = parse_count(ctx, "sobol", o.sobol, 2, 10000000, &sobol)) != EXIT_OK) ||
        (o.seed && (rc = parse_count(ctx, "seed", o.seed, 0, 4294967295u, &seed)) != EXIT_OK) ||
        (o.threads && (rc = parse_count(ctx, "threads", o.threads, 0, 1024, &threads)) != EXIT_OK) ||
        (o.top && (rc = parse_count(ctx, "top", o.top, 1, 1000000, &top)) != EXIT_OK))
        return rc;
    if (o.thresholds)
        return thresholds_mode(ctx, &o, &ix, runs, seed);
    if (o.domain || o.set) {
        fprintf(ctx->err, "qala sensitivity: --%s goes with --thresholds F (the monitoring factor)\n",
                o.domain ? "domain" : "set");
        return EXIT_USAGE;
    }
    if ((rc = cli_index_prepare(ctx, &ix, "sensitivity")) != EXIT_OK || ix.no_data) {
        cli_index_free(&ix);
        return rc;
    }
    qala_sens_factors *fs = NULL;
    view v = {ctx, &ix, NULL, top, NULL, 0, {{"uncertainty", NULL}, {"sobol", NULL}}, 0};
    if (qala_sens_factors_new(&fs) != QALA_OK) {
        rc = cli_fail(ctx, QALA_ENOMEM, NULL);
        goto done;
    }
    v.fs = fs;
    if ((rc = build_factors(ctx, &o, ix.tree, fs)) != EXIT_OK)
        goto done;
    const qala_index_input *in = qala_index_data_input(ix.data);
    if (o.unit) {
        size_t reg;
        if ((rc = cli_resolve_unit(ctx, o.unit, &reg)) != EXIT_OK)
            goto done;
        const char *code = qala_registry_unit(ctx->reg, reg)->code;
        for (size_t u = 0; u < in->nunits && !v.unit; u++)
            if (strcmp(in->unit_codes[u], code) == 0) {
                v.unit = in->unit_codes[u];
                v.unit_index = u;
            }
        if (!v.unit) {
            fprintf(ctx->err, "qala sensitivity: --unit '%s': %s is not among the units of the index\n", o.unit, code);
            rc = EXIT_USAGE;
            goto done;
        }
    }
    struct sigaction sa = {0}, old;
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old);
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.seed = seed;
    opt.threads = (unsigned)threads;
    opt.top_k = top;
    opt.units = v.unit ? &v.unit : NULL;
    opt.nunits = v.unit ? 1 : 0;
    if (o.runs || !o.sobol) {
        opt.design = QALA_SENS_UNCERTAINTY;
        opt.n = runs;
        rc = run_analysis(ctx, &ix, fs, &opt, &v.an[v.nan]);
        if (rc == EXIT_OK)
            v.nan++;
    }
    if (rc == EXIT_OK && o.sobol && !interrupted) {
        opt.design = QALA_SENS_SOBOL;
        opt.n = sobol;
        v.an[v.nan].key = "sobol";
        rc = run_analysis(ctx, &ix, fs, &opt, &v.an[v.nan]);
        if (rc == EXIT_OK)
            v.nan++;
    }
    sigaction(SIGINT, &old, NULL);
    if (rc != EXIT_OK || v.nan == 0)
        goto done;
    if (ctx->format == FORMAT_JSON)
        sens_print_json(&v, ctx->out);
    else if (ctx->format == FORMAT_CSV)
        sens_print_csv(&v, ctx->out);
    else
        sens_print_table(&v);
    if (o.out)
        rc = sens_write_out(&v, o.out);
    if (rc == EXIT_OK && interrupted) {
        size_t done = 0, planned = 0;
        for (size_t i = 0; i < v.nan; i++) {
            done += qala_sens_result_runs_done(v.an[i].res);
            planned += qala_sens_result_runs(v.an[i].res);
        }
        fprintf(ctx->err, "qala sensitivity: %s: %zu / %zu %s\n", cli_msg(ctx, MSG_SENS_INTERRUPTED), done,
                planned, cli_msg(ctx, MSG_SENS_RUNS));
        rc = 130;
    }
done:
    for (size_t i = 0; i < 2; i++)
        qala_sens_result_free(v.an[i].res);
    qala_sens_factors_free(fs);
    cli_index_free(&ix);
    return rc;
}
