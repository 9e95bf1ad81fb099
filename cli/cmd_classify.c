/* cli/cmd_classify.c — `qala classify`: a typology of the cities from data, set beside
 * the official groups of the registry (docs/classify.md).
 *
 * Two ways: rules (the default; data/classify/typology.csv or --rules FILE) assign groups
 * from indicator values, with the rules that fired as the reasons; or clustering
 * (--kmeans K / --ward K) of standardised indicator profiles for one period. Either way
 * the output is a table unit × (official, data) with the disagreements marked, then the
 * cross-table and the adjusted Rand index. The computing is libqala's (qala/classify.h);
 * here only choosing units, indicators and the period, and printing. Observations come
 * from the database, or when there is none from the embedded demo statistics.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_SPEC "city-development"

typedef struct run {
    cli_ctx *ctx;
    qala_dataset *ds;
    int embedded;
    int at_given;  /* --at was given; else the official groups at the start of the period */
    qala_period p;
} run;

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p)
                free(buf);
            buf = p;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Every observation: the database's, or the embedded demo statistics when there is no
 * database (as `qala demo` would store them). */
static int load_observations(run *r)
{
    cli_ctx *ctx = r->ctx;
    int exists = access(ctx->db_path, F_OK) == 0;
    int rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | (exists ? LOAD_STORE : 0));
    if (rc != EXIT_OK)
        return rc;
    qala_status st = qala_dataset_new(&r->ds);
    if (st == QALA_OK && exists) {
        st = qala_store_query_observations(ctx->store, NULL, r->ds);
    } else if (st == QALA_OK) {
        r->embedded = 1;
        qala_findings *f = NULL;
        st = qala_findings_new(&f);
        if (st == QALA_OK)
            st = qala_import_demo(r->ds, f, ctx->reg, ctx->fw);
        if (st != QALA_OK)
            cli_print_findings(ctx, f);
        qala_findings_free(f);
    }
    if (st == QALA_OK)
        st = qala_dataset_sort(r->ds);
    return st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, "loading the observations");
}

static const char *unit_name(const cli_ctx *ctx, const char *code, qala_date at)
{
    size_t u;
    return qala_registry_find(ctx->reg, code, &u) == QALA_OK ? qala_registry_name_at(ctx->reg, u, ctx->lang, at)
                                                             : code;
}

/* The registry groups unit u is in at `at`, joined by '+' ("" for none). */
static void official_label(const cli_ctx *ctx, const char *code, qala_date at, char *buf, size_t size)
{
    size_t u, o = 0;
    buf[0] = '\0';
    if (qala_registry_find(ctx->reg, code, &u) != QALA_OK)
        return;
    for (size_t g = 0; g < qala_registry_group_count(ctx->reg) && o < size; g++)
        if (qala_registry_in_group_at(ctx->reg, g, u, at))
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "+" : "", qala_registry_group(ctx->reg, g)->code);
}

static void print_title(cli_ctx *ctx, const char *text)
{
    fprintf(ctx->out, "\n%s%s%s\n", ctx->color ? "\033[1m" : "", text, ctx->color ? "\033[0m" : "");
}

/* ---- rules -------------------------------------------------------------------------- */

static int run_rules(run *r, const char *rules_path)
{
    cli_ctx *ctx = r->ctx;
    qala_classify_rules *rules = NULL;
    qala_classify_result *res = NULL;
    qala_findings *f = NULL;
    char *text = NULL;
    int rc = EXIT_OK;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_classify_rules_new(&rules);
    if (st == QALA_OK && rules_path) {
        size_t len;
        if (!(text = read_all(rules_path, &len))) {
            fprintf(ctx->err, "qala classify: cannot read '%s'\n", rules_path);
            rc = EXIT_IO;
            goto done;
        }
        st = qala_classify_rules_load_csv(rules, text, len, rules_path, ctx->fw, ctx->reg, f);
    } else if (st == QALA_OK) {
        st = qala_classify_rules_load_default(rules, ctx->fw, ctx->reg, f);
    }
    cli_print_findings(ctx, f);
    if (st == QALA_EDATA) {
        fprintf(ctx->err, "qala classify: %s: the rules have errors (see above)\n",
                rules_path ? rules_path : "classify/typology.csv");
        rc = EXIT_DATA;
        goto done;
    }
    if (st == QALA_OK && !r->p) {
        st = qala_classify_rules_default_period(&r->p, r->ds, rules, ctx->fw);
        if (st == QALA_ENOTFOUND) {
            fprintf(ctx->out, "%s: %s\n", cli_msg(ctx, MSG_NO_DATA), cli_msg(ctx, MSG_CLASSIFY_NO_RULE_DATA));
            goto done;
        }
    }
    qala_date at = r->at_given ? ctx->at : qala_period_start(r->p);
    if (st == QALA_OK)
        st = qala_classify_evaluate(&res, r->ds, rules, ctx->fw, ctx->reg, r->p, at);
    if (st != QALA_OK) {
        rc = cli_fail(ctx, st, NULL);
        goto done;
    }
    char pbuf[12];
    qala_period_format(pbuf, r->p);
    size_t ng = res->ngroups;
    int table = ctx->format == FORMAT_TABLE;
    static const char *const keys[] = {"unit", "name", "period", "official", "data", "no_data", "status", "differs", "reasons"};
    const char *headings[] = {cli_msg(ctx, MSG_CODE), cli_msg(ctx, MSG_NAME), cli_msg(ctx, MSG_PERIOD),
                              cli_msg(ctx, MSG_CLASSIFY_OFFICIAL), cli_msg(ctx, MSG_CLASSIFY_DATA),
                              cli_msg(ctx, MSG_NO_DATA), cli_msg(ctx, MSG_STATUS),
                              cli_msg(ctx, MSG_CLASSIFY_DIFFERS), cli_msg(ctx, MSG_CLASSIFY_REASONS)};
    cli_table *t = cli_table_new(9, keys, headings);
    json_t *jgroups = json_array(), *junits = json_array();
    /* per group: official yes/no × data yes/no/no data */
    size_t *cnt = calloc(ng * 6 + 1, sizeof *cnt);
    const double *values = qala_dataset_values(r->ds);
    for (size_t i = 0; i < res->nunits; i++) {
        const char *code = qala_registry_unit(ctx->reg, res->unit[i])->code;
        char off[256] = "", dat[256] = "", unk[256] = "", diff[256] = "", why[1024] = "";
        size_t oo = 0, od = 0, ou = 0, of = 0, ow = 0;
        int disagree = 0, unknown = 0;
        for (size_t g = 0; g < ng; g++) {
            const char *gc = qala_registry_group(ctx->reg, res->group[g])->code;
            int o = res->official[i * ng + g], d = res->data[i * ng + g];
            cnt[g * 6 + (size_t)o * 3 + (size_t)d]++;
            if (o)
                oo += (size_t)snprintf(off + oo, sizeof off - oo, "%s%s", oo ? ", " : "", gc);
            if (d == QALA_CLASSIFY_YES)
                od += (size_t)snprintf(dat + od, sizeof dat - od, "%s%s", od ? ", " : "", gc);
            if (d == QALA_CLASSIFY_NO_DATA) {
                ou += (size_t)snprintf(unk + ou, sizeof unk - ou, "%s%s", ou ? ", " : "", gc);
                unknown = 1;
            }
            if (d != QALA_CLASSIFY_NO_DATA && (d == QALA_CLASSIFY_YES) != o) {
                of += (size_t)snprintf(diff + of, sizeof diff - of, "%s%c%s", of ? ", " : "", o ? '-' : '+', gc);
                disagree = 1;
            }
        }
        for (size_t k = res->held_start[i]; k < res->held_start[i + 1] && ow < sizeof why; k++) {
            const qala_classify_condition *c = qala_classify_rules_get(rules, res->held[k]);
            uint32_t du, di;
            size_t at_obs;
            double x = NAN;
            const char *icode = qala_framework_get(ctx->fw, c->indicator)->code;
            if (qala_dataset_intern_unit(r->ds, code, &du) == QALA_OK &&
                qala_dataset_intern_indicator(r->ds, icode, &di) == QALA_OK &&
                qala_dataset_find(r->ds, du, di, r->p, &at_obs) == QALA_OK)
                x = values[at_obs];
            if (c->op == QALA_CLASSIFY_BETWEEN)
                ow += (size_t)snprintf(why + ow, sizeof why - ow, "%s%s: %s %.15g in [%.15g, %.15g]", ow ? "; " : "",
                                       c->rule, icode, x, c->value, c->upper);
            else
                ow += (size_t)snprintf(why + ow, sizeof why - ow, "%s%s: %s %.15g %s %.15g", ow ? "; " : "", c->rule,
                                       icode, x, qala_classify_op_code(c->op), c->value);
        }
        const char *status = disagree ? "disagree" : unknown ? "no_data" : "agree";
        const char *status_word = !table ? status
                                  : disagree ? cli_msg(ctx, MSG_CLASSIFY_DISAGREE)
                                  : unknown  ? cli_msg(ctx, MSG_NO_DATA)
                                             : cli_msg(ctx, MSG_CLASSIFY_AGREE);
        char marked[128];
        if (table && disagree)
            snprintf(marked, sizeof marked, "%s%s%s", ctx->color ? "\033[31m" : "* ", status_word, ctx->color ? "\033[0m" : "");
        const char *cells[] = {code, unit_name(ctx, code, at), pbuf, off, dat, unk,
                               table && disagree ? marked : status_word, diff, why};
        cli_table_add(t, cells);
        json_t *ju = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "unit", code, "name", cells[1],
                               "official", off, "data", dat, "no_data", unk, "status", status, "differs", diff,
                               "reasons", why);
        json_array_append_new(junits, ju);
    }
    static const char *const gkeys[] = {"group", "both", "official_only", "data_only", "neither", "official_no_data",
                                        "other_no_data", "ari"};
    const char *gheadings[] = {cli_msg(ctx, MSG_GROUPS), cli_msg(ctx, MSG_CLASSIFY_BOTH), cli_msg(ctx, MSG_CLASSIFY_OFFICIAL_ONLY),
                               cli_msg(ctx, MSG_CLASSIFY_DATA_ONLY), cli_msg(ctx, MSG_CLASSIFY_NEITHER),
                               cli_msg(ctx, MSG_CLASSIFY_OFFICIAL_NO_DATA), cli_msg(ctx, MSG_CLASSIFY_OTHER_NO_DATA), "ARI"};
    cli_table *gt = cli_table_new(8, gkeys, gheadings);
    for (size_t c = 1; c < 8; c++)
        cli_table_numeric(gt, c);
    for (size_t g = 0; g < ng; g++) {
        const size_t *k = cnt + g * 6; /* [official][data]: data 0 no data, 1 no, 2 yes */
        /* ARI of the two yes/no labelings over the units whose data is known */
        size_t n = k[1] + k[2] + k[4] + k[5];
        char nums[7][32], ari[32] = "";
        size_t vals[6] = {k[5], k[4], k[2], k[1], k[3], k[0]};
        for (int j = 0; j < 6; j++)
            snprintf(nums[j], sizeof nums[j], "%zu", vals[j]);
        if (n >= 2) {
            size_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), m = 0;
            for (size_t o = 0; o < 2 && a && b; o++)
                for (size_t d = 1; d < 3; d++)
                    for (size_t q = 0; q < k[o * 3 + d]; q++, m++) {
                        a[m] = o;
                        b[m] = d - 1;
                    }
            double v;
            if (a && b && qala_adjusted_rand(&v, a, b, n) == QALA_OK)
                snprintf(ari, sizeof ari, "%.3f", v);
            free(a);
            free(b);
        }
        const char *gc = qala_registry_group(ctx->reg, res->group[g])->code;
        const char *cells[] = {gc, nums[0], nums[1], nums[2], nums[3], nums[4], nums[5], ari};
        cli_table_add(gt, cells);
        json_array_append_new(jgroups, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "group", gc,
                                                 "both", (json_int_t)vals[0], "official_only", (json_int_t)vals[1],
                                                 "data_only", (json_int_t)vals[2], "neither", (json_int_t)vals[3],
                                                 "official_no_data", (json_int_t)vals[4],
                                                 "other_no_data", (json_int_t)vals[5],
                                                 "ari", ari[0] ? json_real(atof(ari)) : json_null()));
    }
    if (ctx->format == FORMAT_JSON) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "method", "rules", "rules",
                              rules_path ? rules_path : "classify/typology.csv", "period", pbuf, "data",
                              r->embedded ? "embedded" : "database", "units", junits, "groups", jgroups);
        json_dumpf(o, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', ctx->out);
        json_decref(o);
    } else {
        json_decref(junits);
        json_decref(jgroups);
        if (table)
            fprintf(ctx->out, "%s — %s %s — %s%s%s\n", cli_msg(ctx, MSG_CLASSIFY_TITLE_RULES), cli_msg(ctx, MSG_PERIOD), pbuf,
                    rules_path ? rules_path : "classify/typology.csv",
                    r->embedded ? " — " : "", r->embedded ? cli_msg(ctx, MSG_INDEX_EMBEDDED) : "");
        cli_table_print(ctx, t);
        if (table) {
            print_title(ctx, cli_msg(ctx, MSG_CLASSIFY_CROSSTAB));
            cli_table_print(ctx, gt);
        }
    }
    cli_table_free(t);
    cli_table_free(gt);
    free(cnt);
done:
    qala_classify_result_free(res);
    qala_classify_rules_free(rules);
    qala_findings_free(f);
    free(text);
    return rc;
}

/* ---- clustering --------------------------------------------------------------------- */

typedef struct profile {
    size_t d, n;          /* indicators, candidate units */
    const char **ind;     /* indicator codes (borrowed) */
    uint32_t *dsind;      /* dataset ids (UINT32_MAX: none) */
    uint32_t *unit;       /* dataset unit ids */
    double *x;            /* n × d */
} profile;

/* The indicators: --indicators, or those of the city-development index used as published
 * (no denominator): rates and levels comparable between units of different sizes. */
static int choose_indicators(run *r, const char *list, profile *pr, char **owned, qala_index_spec **spec)
{
    cli_ctx *ctx = r->ctx;
    size_t cap = 64;
    pr->ind = malloc(cap * sizeof *pr->ind);
    if (!pr->ind)
        return cli_fail(ctx, QALA_ENOMEM, NULL);
    if (list) {
        *owned = strdup(list);
        char *save = NULL;
        for (char *tok = *owned ? strtok_r(*owned, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save)) {
            size_t idx;
            if (!*tok)
                continue;
            if (qala_framework_find(ctx->fw, tok, &idx) != QALA_OK) {
                fprintf(ctx->err, "qala classify: --indicators: unknown indicator '%s' (see 'qala indicators')\n", tok);
                return EXIT_USAGE;
            }
            if (pr->d < cap)
                pr->ind[pr->d++] = qala_framework_get(ctx->fw, idx)->code;
        }
    } else {
        qala_status st = qala_index_spec_new(spec);
        if (st == QALA_OK)
            st = qala_index_spec_load_default(*spec, DEFAULT_SPEC, NULL);
        if (st != QALA_OK)
            return cli_fail(ctx, st, "loading the city-development spec");
        const qala_index_tree *tree = qala_index_spec_tree(*spec);
        for (size_t i = 0; i < tree->nindicators && pr->d < cap; i++)
            if (!tree->nodes[i].denominator)
                pr->ind[pr->d++] = tree->nodes[i].code;
    }
    if (pr->d == 0) {
        fprintf(ctx->err, "qala classify: --indicators: no indicator given\n");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static uint32_t ds_indicator(const qala_dataset *ds, const char *code)
{
    for (size_t j = 0; j < qala_dataset_indicator_count(ds); j++)
        if (strcmp(qala_dataset_indicator_code(ds, (uint32_t)j), code) == 0)
            return (uint32_t)j;
    return UINT32_MAX;
}

/* Units with a value of some profile indicator in period p (the country left out), of
 * the kind asked; fills pr->unit, pr->x. Returns how many have a complete profile. */
static size_t fill_profile(run *r, profile *pr, qala_period p, int kind)
{
    const qala_dataset *ds = r->ds;
    size_t nu = qala_dataset_unit_count(ds), complete = 0;
    pr->n = 0;
    for (size_t u = 0; u < nu; u++) {
        size_t ru;
        const char *code = qala_dataset_unit_code(ds, (uint32_t)u);
        int in_reg = qala_registry_find(r->ctx->reg, code, &ru) == QALA_OK;
        if (in_reg && qala_registry_unit(r->ctx->reg, ru)->kind == QALA_UNIT_COUNTRY)
            continue;
        if (kind >= 0 && (!in_reg || (int)qala_registry_unit(r->ctx->reg, ru)->kind != kind))
            continue;
        int any = 0, all = 1;
        double *row = pr->x + pr->n * pr->d;
        for (size_t j = 0; j < pr->d; j++) {
            size_t at;
            row[j] = NAN;
            if (pr->dsind[j] != UINT32_MAX && qala_dataset_find(ds, (uint32_t)u, pr->dsind[j], p, &at) == QALA_OK)
                row[j] = qala_dataset_values(ds)[at];
            any |= !isnan(row[j]);
            all &= !isnan(row[j]);
        }
        if (!any)
            continue;
        pr->unit[pr->n++] = (uint32_t)u;
        complete += (size_t)all;
    }
    return complete;
}

static int in_profile(const profile *pr, uint32_t ind)
{
    for (size_t j = 0; j < pr->d; j++)
        if (pr->dsind[j] == ind)
            return 1;
    return 0;
}

/* The period with the most complete profiles (ties: the latest). */
static qala_period best_period(run *r, profile *pr, int kind)
{
    const qala_period *ps = qala_dataset_periods(r->ds);
    const uint32_t *is = qala_dataset_indicators(r->ds);
    qala_period best = 0, tried[512];
    size_t best_n = 0, ntried = 0;
    for (size_t i = 0; i < qala_dataset_size(r->ds); i++) {
        if (!in_profile(pr, is[i]))
            continue;
        size_t t = 0;
        while (t < ntried && tried[t] != ps[i])
            t++;
        if (t < ntried || ntried == sizeof tried / sizeof tried[0])
            continue;
        tried[ntried++] = ps[i];
        size_t n = fill_profile(r, pr, ps[i], kind);
        if (n > best_n || (n == best_n && n > 0 && ps[i] > best)) {
            best_n = n;
            best = ps[i];
        }
    }
    return best;
}

/* Default indicators: keep those with a value in period p for at least half of the units
 * that have some value then (fill_profile was run for p). */
static void drop_sparse(profile *pr)
{
    size_t d = 0;
    for (size_t j = 0; j < pr->d; j++) {
        size_t have = 0;
        for (size_t i = 0; i < pr->n; i++)
            have += !isnan(pr->x[i * pr->d + j]);
        if (2 * have >= pr->n && have > 0) {
            pr->ind[d] = pr->ind[j];
            pr->dsind[d++] = pr->dsind[j];
        }
    }
    pr->d = d;
}

/* Default indicators: a period with the most units having some of them, the sparse ones
 * dropped, then the period with the most complete profiles of those left. */
static qala_period default_profile(run *r, profile *pr, int kind)
{
    size_t d = 0;
    for (size_t j = 0; j < pr->d; j++)
        if (pr->dsind[j] != UINT32_MAX) {
            pr->ind[d] = pr->ind[j];
            pr->dsind[d++] = pr->dsind[j];
        }
    pr->d = d;
    if (d == 0)
        return 0;
    qala_period p = r->p;
    if (!p) { /* the latest period with the most units having any of the indicators */
        const qala_period *ps = qala_dataset_periods(r->ds);
        const uint32_t *is = qala_dataset_indicators(r->ds);
        size_t best_n = 0;
        for (size_t i = 0; i < qala_dataset_size(r->ds); i++) {
            if (!in_profile(pr, is[i]) || ps[i] == p)
                continue;
            fill_profile(r, pr, ps[i], kind);
            if (pr->n > best_n || (pr->n == best_n && ps[i] > p)) {
                best_n = pr->n;
                p = ps[i];
            }
        }
    }
    if (p) {
        fill_profile(r, pr, p, kind);
        drop_sparse(pr);
    }
    return p;
}

static int run_cluster(run *r, int ward, const char *k_text, const char *ind_list, const char *seed_text,
                       const char *restarts_text, const char *kind_text)
{
    cli_ctx *ctx = r->ctx;
    char *end;
    unsigned long k = strtoul(k_text, &end, 10), seed = 1, restarts = 10;
    if (*end || k < 1 || k > 1000) {
        fprintf(ctx->err, "qala classify: --%s: '%s' is not a number of clusters from 1 to 1000\n", ward ? "ward" : "kmeans", k_text);
        return EXIT_USAGE;
    }
    if (seed_text && (seed = strtoul(seed_text, &end, 10), *end || !*seed_text)) {
        fprintf(ctx->err, "qala classify: --seed: '%s' is not a whole number\n", seed_text);
        return EXIT_USAGE;
    }
    if (restarts_text && (restarts = strtoul(restarts_text, &end, 10), *end || restarts < 1 || restarts > 10000)) {
        fprintf(ctx->err, "qala classify: --restarts: '%s' is not a number from 1 to 10000\n", restarts_text);
        return EXIT_USAGE;
    }
    int kind = -1;
    if (kind_text) {
        qala_unit_kind uk;
        if (qala_unit_kind_parse(&uk, kind_text) != QALA_OK) {
            fprintf(ctx->err, "qala classify: --kind: '%s' is not country, region or city\n", kind_text);
            return EXIT_USAGE;
        }
        kind = (int)uk;
    }
    profile pr = {0};
    char *owned = NULL;
    qala_index_spec *spec = NULL;
    double *z = NULL;
    uint8_t *keep = NULL;
    size_t *lab = NULL, *kept_unit = NULL;
    qala_kmeans_result *km = NULL;
    qala_ward_result *wr = NULL;
    int rc = choose_indicators(r, ind_list, &pr, &owned, &spec);
    if (rc != EXIT_OK)
        goto done;
    size_t nu = qala_dataset_unit_count(r->ds) + 1;
    pr.dsind = malloc(pr.d * sizeof *pr.dsind);
    pr.unit = malloc(nu * sizeof *pr.unit);
    pr.x = malloc(nu * pr.d * sizeof *pr.x);
    z = malloc(nu * pr.d * sizeof *z);
    keep = malloc(nu);
    lab = malloc(nu * sizeof *lab);
    kept_unit = malloc(nu * sizeof *kept_unit);
    if (!pr.dsind || !pr.unit || !pr.x || !z || !keep || !lab || !kept_unit) {
        rc = cli_fail(ctx, QALA_ENOMEM, NULL);
        goto done;
    }
    for (size_t j = 0; j < pr.d; j++)
        pr.dsind[j] = ds_indicator(r->ds, pr.ind[j]);
    if (!ind_list)
        r->p = default_profile(r, &pr, kind);
    if (!r->p && pr.d)
        r->p = best_period(r, &pr, kind);
    size_t complete = r->p ? fill_profile(r, &pr, r->p, kind) : 0;
    char pbuf[12] = "";
    if (r->p)
        qala_period_format(pbuf, r->p);
    if (complete < k || complete < 2) {
        fprintf(ctx->out, "%s: ", cli_msg(ctx, MSG_NO_DATA));
        fprintf(ctx->out, cli_msg(ctx, MSG_CLASSIFY_TOO_FEW), complete, r->p ? pbuf : "-", (size_t)k);
        fputc('\n', ctx->out);
        goto done;
    }
    size_t excluded = 0, constant = 0;
    qala_status st = qala_classify_standardise(z, keep, &excluded, &constant, pr.x, pr.n, pr.d);
    size_t m = 0;
    for (size_t i = 0; i < pr.n; i++)
        if (keep[i]) {
            memmove(z + m * pr.d, z + i * pr.d, pr.d * sizeof *z);
            kept_unit[m++] = i;
        }
    if (st == QALA_OK && !ward) {
        qala_kmeans_options o = QALA_KMEANS_OPTIONS_INIT;
        o.k = k;
        o.restarts = (unsigned)restarts;
        o.seed = seed;
        if ((st = qala_kmeans(&km, z, m, pr.d, &o)) == QALA_OK)
            memcpy(lab, km->label, m * sizeof *lab);
    } else if (st == QALA_OK) {
        if ((st = qala_ward(&wr, z, m, pr.d)) == QALA_OK)
            st = qala_ward_cut(lab, wr, k);
    }
    if (st != QALA_OK) {
        rc = cli_fail(ctx, st, NULL);
        goto done;
    }
    qala_date at = r->at_given ? ctx->at : qala_period_start(r->p);
    /* official labels: distinct combinations of groups, "" for none */
    char (*off)[256] = malloc((m + 1) * sizeof *off);
    size_t *olab = malloc((m + 1) * sizeof *olab), *clu = malloc((m + 1) * sizeof *clu), no = 0, nl = 0;
    const char **lnames = malloc((m + 1) * sizeof *lnames);
    if (!off || !olab || !clu || !lnames) {
        free(off), free(olab), free(clu), free(lnames);
        rc = cli_fail(ctx, QALA_ENOMEM, NULL);
        goto done;
    }
    for (size_t i = 0; i < m; i++) {
        official_label(ctx, qala_dataset_unit_code(r->ds, pr.unit[kept_unit[i]]), at, off[i], sizeof off[i]);
        if (!off[i][0])
            continue;
        no++;
        size_t l = 0;
        while (l < nl && strcmp(lnames[l], off[i]) != 0)
            l++;
        if (l == nl)
            lnames[nl++] = off[i];
    }
    /* every unit's official label, "none" (nl) included; labels < m as the cross-table
     * needs: nl + 1 <= m when some unit has none, else nl <= m */
    for (size_t i = 0; i < m; i++) {
        size_t l = nl;
        for (size_t q = 0; q < nl && off[i][0]; q++)
            if (strcmp(lnames[q], off[i]) == 0)
                l = q;
        olab[i] = l;
        clu[i] = lab[i];
    }
    /* map each cluster to the label (an official combination, or none) it overlaps most */
    size_t map[1001];
    int have_map = 0;
    double ari = NAN;
    if (no >= 1) {
        qala_crosstab *ct = NULL;
        if (qala_crosstab_new(&ct, clu, olab, m) == QALA_OK) {
            qala_crosstab_map(map, ct);
            have_map = 1;
            ari = qala_crosstab_ari(ct);
        }
        qala_crosstab_free(ct);
    }
    int table = ctx->format == FORMAT_TABLE;
    char method[96];
    snprintf(method, sizeof method, ward ? "ward k=%lu" : "kmeans k=%lu seed=%lu restarts=%lu", k, seed, restarts);
    static const char *const keys[] = {"unit", "name", "period", "cluster", "official", "cluster_official", "status", "method"};
    const char *headings[] = {cli_msg(ctx, MSG_CODE), cli_msg(ctx, MSG_NAME), cli_msg(ctx, MSG_PERIOD),
                              cli_msg(ctx, MSG_CLASSIFY_CLUSTER), cli_msg(ctx, MSG_CLASSIFY_OFFICIAL),
                              cli_msg(ctx, MSG_CLASSIFY_MAPPED), cli_msg(ctx, MSG_STATUS), cli_msg(ctx, MSG_INDEX_METHOD)};
    cli_table *t = cli_table_new(table ? 7 : 8, keys, headings);
    cli_table_numeric(t, 3);
    json_t *junits = json_array();
    for (size_t i = 0; i < m; i++) {
        const char *code = qala_dataset_unit_code(r->ds, pr.unit[kept_unit[i]]);
        char cbuf[16], marked[128];
        snprintf(cbuf, sizeof cbuf, "%zu", lab[i] + 1);
        const char *mapped = !have_map ? "" : map[lab[i]] < nl ? lnames[map[lab[i]]] : "none";
        int dis = off[i][0] && have_map && map[lab[i]] != olab[i];
        const char *status = !off[i][0] ? "" : dis ? "disagree" : "agree";
        const char *word = !table || !status[0] ? status : cli_msg(ctx, dis ? MSG_CLASSIFY_DISAGREE : MSG_CLASSIFY_AGREE);
        if (table && dis)
            snprintf(marked, sizeof marked, "%s%s%s", ctx->color ? "\033[31m" : "* ", word, ctx->color ? "\033[0m" : "");
        const char *cells[] = {code, unit_name(ctx, code, at), pbuf, cbuf, off[i], mapped, table && dis ? marked : word, method};
        cli_table_add(t, cells);
        json_array_append_new(junits, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "unit", code, "name", cells[1],
                                                "cluster", (json_int_t)(lab[i] + 1), "official", off[i],
                                                "cluster_official", mapped, "status", status));
    }
    /* units left out: an incomplete profile */
    json_t *jex = json_array();
    char exlist[2048] = "";
    size_t eo = 0;
    for (size_t i = 0; i < pr.n; i++)
        if (!keep[i]) {
            const char *code = qala_dataset_unit_code(r->ds, pr.unit[i]);
            json_array_append_new(jex, json_string(code));
            if (eo < sizeof exlist)
                eo += (size_t)snprintf(exlist + eo, sizeof exlist - eo, "%s%s", eo ? ", " : "", code);
        }
    if (ctx->format == FORMAT_JSON) {
        json_t *ji = json_array();
        for (size_t j = 0; j < pr.d; j++)
            json_array_append_new(ji, json_string(pr.ind[j]));
        json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:o, s:I, s:o, s:o}", "method", ward ? "ward" : "kmeans",
                              "k", (json_int_t)k, "period", pbuf, "data", r->embedded ? "embedded" : "database",
                              "indicators", ji, "units_clustered", (json_int_t)m, "excluded", jex, "units", junits);
        if (!ward) {
            json_object_set_new(o, "seed", json_integer((json_int_t)seed));
            json_object_set_new(o, "restarts", json_integer((json_int_t)restarts));
            json_object_set_new(o, "wcss", json_real(km->wcss));
        }
        json_object_set_new(o, "ari", isnan(ari) ? json_null() : json_real(ari));
        json_object_set_new(o, "units_with_official_group", json_integer((json_int_t)no));
        json_dumpf(o, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', ctx->out);
        json_decref(o);
    } else {
        json_decref(junits);
        json_decref(jex);
        if (table) {
            fprintf(ctx->out, "%s — %s — %s %s%s%s\n", ward ? cli_msg(ctx, MSG_CLASSIFY_TITLE_WARD) : cli_msg(ctx, MSG_CLASSIFY_TITLE_KMEANS),
                    method, cli_msg(ctx, MSG_PERIOD), pbuf, r->embedded ? " — " : "", r->embedded ? cli_msg(ctx, MSG_INDEX_EMBEDDED) : "");
            fprintf(ctx->out, "%s: ", cli_msg(ctx, MSG_INDEX_INDICATORS_USED));
            for (size_t j = 0; j < pr.d; j++)
                fprintf(ctx->out, "%s%s", j ? ", " : "", pr.ind[j]);
            fprintf(ctx->out, "\n%zu %s", m, cli_msg(ctx, MSG_CLASSIFY_UNITS_CLUSTERED));
            if (excluded)
                fprintf(ctx->out, "; %s (%zu): %s", cli_msg(ctx, MSG_CLASSIFY_EXCLUDED), excluded, exlist);
            if (constant)
                fprintf(ctx->out, "; %s: %zu", cli_msg(ctx, MSG_CLASSIFY_CONSTANT), constant);
            if (km)
                fprintf(ctx->out, "; WCSS %.4f", km->wcss);
            fputc('\n', ctx->out);
        }
        cli_table_print(ctx, t);
        if (table) {
            if (no == 0) {
                fprintf(ctx->out, "\n%s\n", cli_msg(ctx, MSG_CLASSIFY_NO_OFFICIAL));
            } else {
                print_title(ctx, cli_msg(ctx, MSG_CLASSIFY_CROSSTAB));
                /* rows: clusters; columns: official labels, then "none" */
                const char **ck = calloc(nl + 2, sizeof *ck);
                char (*hd)[64] = calloc(nl + 2, sizeof *hd);
                if (ck && hd) {
                    ck[0] = "cluster";
                    snprintf(hd[0], sizeof hd[0], "%s", cli_msg(ctx, MSG_CLASSIFY_CLUSTER));
                    for (size_t l = 0; l < nl; l++) {
                        ck[l + 1] = lnames[l];
                        snprintf(hd[l + 1], sizeof hd[l + 1], "%s", lnames[l]);
                    }
                    ck[nl + 1] = "none";
                    snprintf(hd[nl + 1], sizeof hd[nl + 1], "%s", cli_msg(ctx, MSG_CLASSIFY_NONE));
                    const char **hp = malloc((nl + 2) * sizeof *hp);
                    char (*cells)[16] = malloc((nl + 2) * sizeof *cells);
                    const char **cp = malloc((nl + 2) * sizeof *cp);
                    if (hp && cells && cp) {
                        for (size_t l = 0; l < nl + 2; l++)
                            hp[l] = hd[l];
                        cli_table *xt = cli_table_new(nl + 2, ck, hp);
                        for (size_t l = 0; l < nl + 2; l++)
                            cli_table_numeric(xt, l);
                        for (size_t c = 0; c < k; c++) {
                            snprintf(cells[0], sizeof cells[0], "%zu", c + 1);
                            for (size_t l = 0; l <= nl; l++) {
                                size_t cnt = 0;
                                for (size_t i = 0; i < m; i++)
                                    if (lab[i] == c) {
                                        size_t ol = nl;
                                        for (size_t q = 0; q < nl && off[i][0]; q++)
                                            if (strcmp(lnames[q], off[i]) == 0)
                                                ol = q;
                                        cnt += ol == l;
                                    }
                                snprintf(cells[l + 1], sizeof cells[l + 1], "%zu", cnt);
                            }
                            for (size_t l = 0; l < nl + 2; l++)
                                cp[l] = cells[l];
                            cli_table_add(xt, cp);
                        }
                        cli_table_print(ctx, xt);
                        cli_table_free(xt);
                    }
                    free(hp);
                    free(cells);
                    free(cp);
                }
                free(ck);
                free(hd);
                fprintf(ctx->out, "ARI %.3f (%zu %s, %zu %s; %s)\n", ari, m, cli_msg(ctx, MSG_CLASSIFY_UNITS_CLUSTERED), no,
                        cli_msg(ctx, MSG_CLASSIFY_ARI_UNITS), cli_msg(ctx, MSG_CLASSIFY_ARI_FEW));
            }
        }
    }
    cli_table_free(t);
    free(off);
    free(olab);
    free(clu);
    free(lnames);
done:
    qala_kmeans_result_free(km);
    qala_ward_result_free(wr);
    qala_index_spec_free(spec);
    free(pr.ind);
    free(pr.dsind);
    free(pr.unit);
    free(pr.x);
    free(owned);
    free(z);
    free(keep);
    free(lab);
    free(kept_unit);
    return rc;
}

int cmd_classify(cli_ctx *ctx, int argc, char **argv)
{
    const char *period = NULL, *rules_path = NULL, *kmeans = NULL, *ward = NULL, *indicators = NULL,
               *seed = NULL, *restarts = NULL, *kind = NULL;
    const cli_option options[] = {{"period", 1, &period},   {"rules", 1, &rules_path}, {"kmeans", 1, &kmeans},
                                  {"ward", 1, &ward},       {"indicators", 1, &indicators},
                                  {"seed", 1, &seed},       {"restarts", 1, &restarts}, {"kind", 1, &kind},
                                  {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "classify");
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (kmeans && ward) {
        fprintf(ctx->err, "qala classify: --kmeans and --ward: choose one\n");
        return EXIT_USAGE;
    }
    if (!kmeans && !ward && (indicators || seed || restarts || kind)) {
        fprintf(ctx->err, "qala classify: --indicators, --seed, --restarts and --kind go with --kmeans K or --ward K\n");
        return EXIT_USAGE;
    }
    if ((kmeans || ward) && rules_path) {
        fprintf(ctx->err, "qala classify: --rules goes without --kmeans and --ward\n");
        return EXIT_USAGE;
    }
    if (ward && (seed || restarts)) {
        fprintf(ctx->err, "qala classify: --seed and --restarts are for --kmeans (Ward's method is not random)\n");
        return EXIT_USAGE;
    }
    run r = {.ctx = ctx};
    for (int i = 0; i < argc; i++) /* ctx->at defaults to today: was it asked for? */
        r.at_given |= strcmp(argv[i], "--at") == 0 || strncmp(argv[i], "--at=", 5) == 0;
    if (period && qala_period_parse(&r.p, period, strlen(period)) != QALA_OK) {
        fprintf(ctx->err, "qala classify: --period: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    if ((rc = load_observations(&r)) == EXIT_OK)
        rc = kmeans || ward ? run_cluster(&r, ward != NULL, ward ? ward : kmeans, indicators, seed, restarts, kind)
                            : run_rules(&r, rules_path);
    qala_dataset_free(r.ds);
    return rc;
}
