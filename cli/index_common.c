/* cli/index_common.c — what the index commands share (`qala index`, `show`, `export`,
 * `diagnose`, `sensitivity`, `report`): node and unit names in the chosen language,
 * numbers, the run's header; loading the spec (a name of data/index/ or a JSON file) and
 * the stored observations (or the embedded demo statistics); choosing the units (the
 * registry filters) and the period; preparing and running the pipeline (cli_index_*,
 * declared in cli.h). The computing is libqala's (index_data, index).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_SPEC "city-development"

/* ---- shared: names, numbers, the header -------------------------------------------- */

const char *cli_index_node_name(const cli_ctx *ctx, const qala_index_node *node)
{
    int l = ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)ctx->lang;
    if (node->name[l] && *node->name[l])
        return node->name[l];
    if (node->name[QALA_LANG_EN] && *node->name[QALA_LANG_EN])
        return node->name[QALA_LANG_EN];
    return node->code;
}

const char *cli_index_unit_name(const cli_ctx *ctx, const cli_index *ix, size_t u)
{
    size_t r = qala_index_data_registry_unit(ix->data, u);
    if (r == SIZE_MAX || !ctx->reg)
        return qala_index_data_input(ix->data)->unit_codes[u];
    return qala_registry_name_at(ctx->reg, r, ctx->lang, ctx->at);
}

void cli_index_fmt(char *buf, size_t n, double x, int digits)
{
    if (isnan(x))
        buf[0] = '\0';
    else if (digits >= 0)
        snprintf(buf, n, "%.*f", digits, x);
    else
        snprintf(buf, n, "%.15g", x);
}

static const char *screen_word(const cli_ctx *ctx, qala_index_screen s)
{
    return cli_msg(ctx, s == QALA_INDEX_NO_COLUMN ? MSG_INDEX_SCREEN_NO_COLUMN
                        : s == QALA_INDEX_TOO_MANY_ZEROS ? MSG_INDEX_SCREEN_ZEROS
                                                         : MSG_INDEX_SCREEN_LOW);
}

void cli_index_header(cli_ctx *ctx, const cli_index *ix, FILE *f)
{
    char from[12], to[12];
    qala_period_format(from, ix->p_from);
    qala_period_format(to, ix->p_to);
    const char *bold = ctx->color ? "\033[1m" : "", *reset = ctx->color ? "\033[0m" : "";
    fprintf(f, "%s%s%s (%s)", bold, qala_index_spec_name(ix->spec, ctx->lang), reset,
            qala_index_spec_code(ix->spec));
    if (ix->p_from)
        fprintf(f, " — %s %s%s%s", cli_msg(ctx, MSG_PERIOD), from, ix->p_to != ix->p_from ? "–" : "",
                ix->p_to != ix->p_from ? to : "");
    fprintf(f, " — %s: %s", cli_msg(ctx, MSG_INDEX_WEIGHTS), ix->weights ? ix->weights : "default");
    if (ix->embedded)
        fprintf(f, " — %s", cli_msg(ctx, MSG_INDEX_EMBEDDED));
    fputc('\n', f);
    if (!ix->res)
        return;
    const qala_index_input *in = qala_index_data_input(ix->data);
    size_t kept = qala_index_result_units(ix->res), used = 0, dropped = 0;
    for (size_t i = 0; i < ix->tree->nindicators; i++)
        used += qala_index_result_report(ix->res, i)->screen == QALA_INDEX_KEPT;
    dropped = ix->tree->nindicators - used;
    fprintf(f, "%zu %s", kept, cli_msg(ctx, MSG_INDEX_RANKED));
    if (in->nunits > kept)
        fprintf(f, ", %zu %s", in->nunits - kept, cli_msg(ctx, MSG_INDEX_SCREENED));
    fprintf(f, "; %zu/%zu %s", used, ix->tree->nindicators, cli_msg(ctx, MSG_INDEX_INDICATORS_USED));
    if (dropped) {
        size_t why[4] = {0};
        for (size_t i = 0; i < ix->tree->nindicators; i++)
            why[qala_index_result_report(ix->res, i)->screen & 3]++;
        fprintf(f, ", %zu %s (", dropped, cli_msg(ctx, MSG_INDEX_DROPPED));
        for (int s = 1, shown = 0; s < 4; s++)
            if (why[s])
                fprintf(f, "%s%s: %zu", shown++ ? ", " : "", screen_word(ctx, (qala_index_screen)s), why[s]);
        fputc(')', f);
    }
    fputc('\n', f);
}

/* ---- loading ----------------------------------------------------------------------- */

static int is_file(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 5 && strcmp(s + n - 5, ".json") == 0);
}

int cli_index_load_spec(cli_ctx *ctx, cli_index *ix, const char *command)
{
    const char *name = ix->spec_name ? ix->spec_name : DEFAULT_SPEC;
    qala_findings *f = NULL;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_index_spec_new(&ix->spec);
    if (st == QALA_OK)
        st = is_file(name) ? qala_index_spec_load_file(ix->spec, name, f)
                           : qala_index_spec_load_default(ix->spec, name, f);
    if (f)
        cli_print_findings(ctx, f);
    qala_findings_free(f);
    if (st == QALA_ENOTFOUND && !is_file(name)) {
        fprintf(ctx->err, "qala %s: unknown spec '%s' (known:", command, name);
        for (size_t i = 0; qala_index_spec_default_name(i); i++)
            fprintf(ctx->err, "%s %s", i ? "," : "", qala_index_spec_default_name(i));
        fputs("; or a .json file)\n", ctx->err);
        return EXIT_USAGE;
    }
    if (st == QALA_EDATA || st == QALA_EPARSE || st == QALA_ELIMIT) {
        fprintf(ctx->err, "qala %s: %s: the spec has errors (see above; 'qala index show --check %s')\n",
                command, name, name);
        return EXIT_DATA;
    }
    if (st != QALA_OK)
        return cli_fail(ctx, st, name);
    if (ix->weights && (st = qala_index_spec_use_weights(ix->spec, ix->weights)) != QALA_OK) {
        if (st != QALA_ENOTFOUND)
            return cli_fail(ctx, st, NULL);
        fprintf(ctx->err, "qala %s: unknown weight set '%s' (sets:", command, ix->weights);
        for (size_t i = 0; qala_index_spec_weight_set(ix->spec, i); i++)
            fprintf(ctx->err, "%s %s", i ? "," : "", qala_index_spec_weight_set(ix->spec, i));
        fputs(")\n", ctx->err);
        return EXIT_USAGE;
    }
    ix->tree = qala_index_spec_tree(ix->spec);
    return EXIT_OK;
}

/* The observations of the tree's columns: from the database, or when there is none, the
 * embedded demo statistics (as `qala demo` would store them). */
static int load_observations(cli_ctx *ctx, cli_index *ix)
{
    int exists = access(ctx->db_path, F_OK) == 0;
    int rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | (exists ? LOAD_STORE : 0));
    if (rc != EXIT_OK)
        return rc;
    qala_status st = qala_dataset_new(&ix->ds);
    if (st == QALA_OK && exists) {
        const char **codes = malloc((2 * ix->tree->nindicators + 1) * sizeof *codes);
        if (!codes)
            return cli_fail(ctx, QALA_ENOMEM, NULL);
        size_t n = 0;
        for (size_t i = 0; i < ix->tree->nindicators; i++) {
            codes[n++] = ix->tree->nodes[i].code;
            if (ix->tree->nodes[i].denominator)
                codes[n++] = ix->tree->nodes[i].denominator;
        }
        qala_store_query q = {0};
        q.indicators = codes;
        q.nindicators = n;
        st = qala_store_query_observations(ctx->store, &q, ix->ds);
        free(codes);
    } else if (st == QALA_OK) {
        ix->embedded = 1;
        qala_findings *f = NULL;
        st = qala_findings_new(&f);
        if (st == QALA_OK)
            st = qala_import_demo(ix->ds, f, ctx->reg, ctx->fw);
        if (st != QALA_OK)
            cli_print_findings(ctx, f);
        qala_findings_free(f);
    }
    return st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, "loading the observations");
}

/* The first day after period p. */
static qala_date day_after(qala_period p)
{
    int y = qala_period_year(p), sub = p % 100;
    int month = sub == 0 ? 13 : sub > 20 ? (sub - 20) * 3 + 1 : sub + 1;
    return month > 12 ? (y + 1) * 10000 + 101 : y * 10000 + month * 100 + 1;
}

/* The last day of period p (the layout of the registry the index uses). */
static qala_date last_day(qala_period p)
{
    qala_date d = day_after(p);
    int y = d / 10000, m = d / 100 % 100;
    static const int days[] = {31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m > 1)
        return y * 10000 + (m - 1) * 100 + (m == 3 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : days[m - 1]);
    return (y - 1) * 10000 + 1231;
}

/* The registry units of the index: alive at some time in the periods, of the kinds asked
 * (regions and cities by default), members of --group and in --region at the end of the
 * last period. */
static int choose_units(cli_ctx *ctx, cli_index *ix, const char *command, const char ***out, size_t *n)
{
    qala_unit_kind kind = QALA_UNIT_CITY;
    size_t group = 0, region = 0;
    if (ix->kind && qala_unit_kind_parse(&kind, ix->kind) != QALA_OK) {
        fprintf(ctx->err, "qala %s: --kind '%s': expected country, region or city\n", command, ix->kind);
        return EXIT_USAGE;
    }
    if (ix->group && qala_registry_find_group(ctx->reg, ix->group, &group) != QALA_OK) {
        fprintf(ctx->err, "qala %s: unknown group '%s' (see 'qala groups')\n", command, ix->group);
        return EXIT_USAGE;
    }
    int rc;
    if (ix->region && (rc = cli_resolve_unit(ctx, ix->region, &region)) != EXIT_OK)
        return rc;
    qala_date start = qala_period_start(ix->p_from), end = day_after(ix->p_to), at = last_day(ix->p_to);
    size_t nreg = qala_registry_unit_count(ctx->reg);
    *out = malloc((nreg + 1) * sizeof **out);
    if (!*out)
        return cli_fail(ctx, QALA_ENOMEM, NULL);
    *n = 0;
    for (size_t u = 0; u < nreg; u++) {
        const qala_unit *unit = qala_registry_unit(ctx->reg, u);
        size_t r;
        if (!(unit->valid_from < end && unit->valid_to > start))
            continue;
        if (ix->kind ? unit->kind != kind : unit->kind == QALA_UNIT_COUNTRY)
            continue;
        if (ix->group && !qala_registry_in_group_at(ctx->reg, group, u, at))
            continue;
        if (ix->region && (u == region || qala_registry_region_at(ctx->reg, u, at, &r) != QALA_OK || r != region))
            continue;
        (*out)[(*n)++] = unit->code;
    }
    return EXIT_OK;
}

static int parse_period(cli_ctx *ctx, const char *command, const char *opt, const char *text, qala_period *p)
{
    if (qala_period_parse(p, text, strlen(text)) == QALA_OK)
        return EXIT_OK;
    fprintf(ctx->err, "qala %s: --%s: %s\n", command, opt, qala_error_last()->message);
    return EXIT_USAGE;
}

int cli_index_prepare(cli_ctx *ctx, cli_index *ix, const char *command)
{
    int rc = cli_index_load_spec(ctx, ix, command);
    if (rc == EXIT_OK)
        rc = load_observations(ctx, ix);
    if (rc != EXIT_OK)
        return rc;
    if (ix->period && (ix->from || ix->to)) {
        fprintf(ctx->err, "qala %s: --period and --from/--to do not go together\n", command);
        return EXIT_USAGE;
    }
    if (ix->period && (rc = parse_period(ctx, command, "period", ix->period, &ix->p_from)) != EXIT_OK)
        return rc;
    if (ix->from && (rc = parse_period(ctx, command, "from", ix->from, &ix->p_from)) != EXIT_OK)
        return rc;
    if (ix->to && (rc = parse_period(ctx, command, "to", ix->to, &ix->p_to)) != EXIT_OK)
        return rc;
    if (ix->period)
        ix->p_to = ix->p_from;
    else if (ix->from && !ix->to) {
        qala_period latest;
        ix->p_to = qala_index_data_default_period(&latest, ix->ds, ix->tree) == QALA_OK ? latest : ix->p_from;
    } else if (ix->to && !ix->from)
        ix->p_from = ix->p_to;
    else if (!ix->from) {
        qala_period latest;
        if (qala_index_data_default_period(&latest, ix->ds, ix->tree) != QALA_OK) {
            cli_index_header(ctx, ix, ctx->out);
            fprintf(ctx->out, "%s (%zu %s)\n", cli_msg(ctx, MSG_INDEX_NO_DATA_AT_ALL), ix->tree->nindicators,
                    cli_msg(ctx, MSG_INDEX_INDICATORS));
            ix->no_data = 1;
            return EXIT_OK;
        }
        ix->p_from = ix->p_to = latest;
    }
    if (ix->p_from > ix->p_to || qala_period_frequency(ix->p_from) != qala_period_frequency(ix->p_to)) {
        fprintf(ctx->err, "qala %s: --from must come before --to, in the same frequency\n", command);
        return EXIT_USAGE;
    }
    const char **units = NULL;
    size_t nunits = 0;
    if ((rc = choose_units(ctx, ix, command, &units, &nunits)) != EXIT_OK)
        return rc;
    qala_index_data_options opt = QALA_INDEX_DATA_OPTIONS_INIT;
    opt.from = ix->p_from;
    opt.to = ix->p_to;
    opt.units = units;
    opt.nunits = nunits;
    qala_status st = qala_index_data_build(&ix->data, ix->ds, ix->tree, ctx->reg, &opt);
    free(units);
    if (st != QALA_OK)
        return cli_fail(ctx, st, NULL);
    const qala_index_input *in = qala_index_data_input(ix->data);
    size_t observed = 0;
    for (size_t u = 0; u < in->nunits; u++)
        observed += qala_index_data_unit_observations(ix->data, u);
    if (observed == 0) {
        cli_index_header(ctx, ix, ctx->out);
        fprintf(ctx->out, "%s (%zu %s)\n", cli_msg(ctx, in->nunits ? MSG_INDEX_NO_DATA_PERIOD : MSG_INDEX_NO_DATA_AT_ALL),
                in->nunits, cli_msg(ctx, MSG_SUMMARY_UNITS));
        ix->no_data = 1;
        return EXIT_OK;
    }
    st = qala_index_run(&ix->res, ix->tree, in);
    if (st != QALA_OK)
        return cli_fail(ctx, st, qala_index_spec_code(ix->spec));
    return EXIT_OK;
}

void cli_index_free(cli_index *ix)
{
    qala_index_result_free(ix->res);
    qala_index_data_free(ix->data);
    qala_dataset_free(ix->ds);
    qala_index_spec_free(ix->spec);
    ix->res = NULL;
    ix->data = NULL;
    ix->ds = NULL;
    ix->spec = NULL;
}
