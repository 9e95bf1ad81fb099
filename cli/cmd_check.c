/* cli/cmd_check.c — `qala check`: data-quality rules over the stored observations (or
 * the embedded demo statistics when there is no database), findings as a table, CSV or
 * JSON, the Benford tests and how much each rule looked at. Exit status 1 when a finding
 * is an error; warnings alone leave it 0.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *p = realloc(buf, cap *= 2);
        if (!p)
            free(buf);
        buf = p;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The observations: the database's, or the embedded demo statistics. */
static int load_observations(cli_ctx *ctx, qala_dataset **out, int *embedded)
{
    int exists = access(ctx->db_path, F_OK) == 0;
    int rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | (exists ? LOAD_STORE : 0));
    if (rc != EXIT_OK)
        return rc;
    *embedded = !exists;
    qala_status st = qala_dataset_new(out);
    if (st == QALA_OK && exists) {
        st = qala_store_query_observations(ctx->store, NULL, *out);
    } else if (st == QALA_OK) {
        qala_findings *f = NULL;
        st = qala_findings_new(&f);
        if (st == QALA_OK)
            st = qala_import_demo(*out, f, ctx->reg, ctx->fw);
        if (st != QALA_OK)
            cli_print_findings(ctx, f);
        qala_findings_free(f);
    }
    if (st == QALA_OK)
        st = qala_dataset_sort(*out);
    return st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, "loading the observations");
}

static int parse_double(cli_ctx *ctx, const char *opt, const char *s, double lo, double hi, double *out)
{
    if (!s)
        return EXIT_OK;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi)) {
        fprintf(ctx->err, "qala check: --%s '%s': expected a number from %g to %g\n", opt, s, lo, hi);
        return EXIT_USAGE;
    }
    *out = v;
    return EXIT_OK;
}

static int parse_size(cli_ctx *ctx, const char *opt, const char *s, size_t lo, size_t *out)
{
    if (!s)
        return EXIT_OK;
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < (long)lo || v > 1000000) {
        fprintf(ctx->err, "qala check: --%s '%s': expected a whole number from %zu to 1000000\n", opt, s, lo);
        return EXIT_USAGE;
    }
    *out = (size_t)v;
    return EXIT_OK;
}

static int parse_rules(cli_ctx *ctx, const char *s, unsigned *mask)
{
    if (!s)
        return EXIT_OK;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    *mask = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        qala_check_rule r;
        if (qala_check_rule_parse(&r, tok) != QALA_OK) {
            fprintf(ctx->err, "qala check: --only: %s\n", qala_error_last()->message);
            return EXIT_USAGE;
        }
        *mask |= 1u << r;
    }
    return EXIT_OK;
}

static void fmt_num(char *buf, size_t n, double x)
{
    if (isnan(x))
        buf[0] = '\0';
    else if (isinf(x))
        snprintf(buf, n, "%s", x > 0 ? "inf" : "-inf");
    else
        snprintf(buf, n, "%.10g", x);
}

static json_t *json_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static void print_json(cli_ctx *ctx, const qala_check_result *r, int embedded)
{
    json_t *root = json_object(), *arr = json_array(), *ben = json_array(), *ev = json_object();
    for (size_t i = 0; i < qala_check_count(r); i++) {
        const qala_check_finding *f = qala_check_get(r, i);
        char period[12] = "";
        if (f->period)
            qala_period_format(period, f->period);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s}",
            "severity", f->severity == QALA_SEVERITY_ERROR ? "error" : "warning", "rule",
            qala_check_rule_code(f->rule), "name", f->name, "unit", f->unit, "indicator", f->indicator,
            "period", period, "value", json_num(f->value), "statistic", json_num(f->statistic),
            "p_value", json_num(f->p_value), "message", f->message));
    }
    for (size_t i = 0; i < qala_check_benford_count(r); i++) {
        const qala_check_benford *b = qala_check_benford_get(r, i);
        json_t *digits = json_array();
        for (int d = 0; d < 9; d++)
            json_array_append_new(digits, json_integer((json_int_t)b->observed[d]));
        char bp[12] = "";
        if (b->period)
            qala_period_format(bp, b->period);
        json_array_append_new(ben, json_pack("{s:s, s:s, s:I, s:o, s:b, s:o, s:o, s:o, s:s}", "indicator",
            b->indicator, "period", bp, "n", (json_int_t)b->n, "span", json_num(b->span), "tested", b->tested,
            "first_digits", digits, "chi2", json_num(b->chi2), "p_value", json_num(b->p_value),
            "message", b->message));
    }
    for (int k = 0; k < QALA_CHECK_RULE_COUNT; k++)
        json_object_set_new(ev, qala_check_rule_code((qala_check_rule)k),
                            json_integer((json_int_t)qala_check_evaluated(r, (qala_check_rule)k)));
    json_object_set_new(root, "data", json_string(embedded ? "embedded" : "database"));
    json_object_set_new(root, "errors", json_integer((json_int_t)qala_check_errors(r)));
    json_object_set_new(root, "warnings", json_integer((json_int_t)qala_check_warnings(r)));
    json_object_set_new(root, "evaluated", ev);
    json_object_set_new(root, "findings", arr);
    json_object_set_new(root, "benford", ben);
    char *text = json_dumps(root, JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fprintf(ctx->out, "%s\n", text ? text : "null");
    free(text);
    json_decref(root);
}

static int print_table(cli_ctx *ctx, const qala_check_result *r, int embedded)
{
    static const char *const keys[] = {"severity", "unit", "indicator", "period", "rule", "name",
                                       "value", "statistic", "p_value", "message"};
    const int table = ctx->format == FORMAT_TABLE;
    const char *headings[10] = {cli_msg(ctx, MSG_CHECK_SEVERITY), cli_msg(ctx, MSG_CODE),
                                cli_msg(ctx, MSG_INDICATOR), cli_msg(ctx, MSG_PERIOD),
                                cli_msg(ctx, MSG_CHECK_RULE), "", cli_msg(ctx, MSG_VALUE), "", "",
                                cli_msg(ctx, MSG_CHECK_MESSAGE)};
    /* the table shows severity, unit, indicator, period, rule, message */
    static const int shown[] = {0, 1, 2, 3, 4, 9};
    const char *tkeys[6], *theads[6];
    for (int k = 0; k < 6; k++) {
        tkeys[k] = keys[shown[k]];
        theads[k] = headings[shown[k]];
    }
    cli_table *t = table ? cli_table_new(6, tkeys, theads) : cli_table_new(10, keys, NULL);
    if (!t)
        return cli_fail(ctx, QALA_ENOMEM, NULL);
    if (!table)
        for (size_t k = 6; k < 9; k++)
            cli_table_numeric(t, k);
    for (size_t i = 0; i < qala_check_count(r); i++) {
        const qala_check_finding *f = qala_check_get(r, i);
        char period[12] = "", value[40], stat[40], p[40];
        if (f->period)
            qala_period_format(period, f->period);
        fmt_num(value, sizeof value, f->value);
        fmt_num(stat, sizeof stat, f->statistic);
        fmt_num(p, sizeof p, f->p_value);
        const char *cells[10] = {f->severity == QALA_SEVERITY_ERROR ? "error" : "warning", f->unit,
                                 f->indicator, period, qala_check_rule_code(f->rule), f->name, value,
                                 stat, p, f->message};
        const char *tcells[6];
        for (int k = 0; k < 6; k++)
            tcells[k] = cells[shown[k]];
        if (cli_table_add(t, table ? tcells : cells) != 0) {
            cli_table_free(t);
            return cli_fail(ctx, QALA_ENOMEM, NULL);
        }
    }
    if (!table || qala_check_count(r))
        cli_table_print(ctx, t);
    cli_table_free(t);
    if (!table)
        return EXIT_OK;
    FILE *o = ctx->out;
    if (qala_check_count(r) == 0)
        fprintf(o, "%s\n", cli_msg(ctx, MSG_CHECK_NONE));
    fprintf(o, "\n%zu %s: %zu %s, %zu %s%s%s\n", qala_check_count(r), cli_msg(ctx, MSG_CHECK_FINDINGS),
            qala_check_errors(r), cli_msg(ctx, MSG_CHECK_ERRORS), qala_check_warnings(r),
            cli_msg(ctx, MSG_CHECK_WARNINGS), embedded ? " — " : "",
            embedded ? cli_msg(ctx, MSG_INDEX_EMBEDDED) : "");
    fprintf(o, "%s:", cli_msg(ctx, MSG_CHECK_EVALUATED));
    for (int k = 0; k < QALA_CHECK_RULE_COUNT; k++)
        fprintf(o, " %s %zu%s", qala_check_rule_code((qala_check_rule)k),
                qala_check_evaluated(r, (qala_check_rule)k), k + 1 < QALA_CHECK_RULE_COUNT ? "," : "\n");
    for (size_t i = 0; i < qala_check_benford_count(r); i++) {
        const qala_check_benford *b = qala_check_benford_get(r, i);
        fprintf(o, "%s, %s: %s\n", cli_msg(ctx, MSG_CHECK_BENFORD), b->indicator, b->message);
    }
    return EXIT_OK;
}

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
    const char *rules_path = NULL, *unit = NULL, *indicator = NULL, *only = NULL, *jump_z = NULL,
               *min_changes = NULL, *min_change = NULL, *peer_z = NULL, *min_peers = NULL, *repeat = NULL,
               *benford_n = NULL, *benford_span = NULL, *benford_alpha = NULL,
               *benford_indicators = NULL, *missing_share = NULL;
    const cli_option options[] = {
        {"rules", 1, &rules_path}, {"unit", 1, &unit}, {"indicator", 1, &indicator},
        {"only", 1, &only}, {"jump-z", 1, &jump_z}, {"min-changes", 1, &min_changes}, {"min-change", 1, &min_change},
        {"peer-z", 1, &peer_z}, {"min-peers", 1, &min_peers}, {"repeat", 1, &repeat},
        {"benford-n", 1, &benford_n}, {"benford-span", 1, &benford_span},
        {"benford-alpha", 1, &benford_alpha}, {"benford-indicators", 1, &benford_indicators},
        {"missing-share", 1, &missing_share}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "check");
    if (rc)
        return rc;
    qala_check_options opt = QALA_CHECK_OPTIONS_INIT;
    if ((rc = parse_rules(ctx, only, &opt.rules)) ||
        (rc = parse_double(ctx, "jump-z", jump_z, 0.1, 1e6, &opt.jump_z)) ||
        (rc = parse_double(ctx, "peer-z", peer_z, 0.1, 1e6, &opt.peer_z)) ||
        (rc = parse_double(ctx, "min-change", min_change, 0, 100, &opt.jump_min_change)) ||
        (rc = parse_size(ctx, "min-changes", min_changes, 2, &opt.jump_min_changes)) ||
        (rc = parse_size(ctx, "min-peers", min_peers, 2, &opt.peer_min_units)) ||
        (rc = parse_size(ctx, "repeat", repeat, 2, &opt.repeat_periods)) ||
        (rc = parse_size(ctx, "benford-n", benford_n, 1, &opt.benford_min_n)) ||
        (rc = parse_double(ctx, "benford-span", benford_span, 0, 100, &opt.benford_min_span)) ||
        (rc = parse_double(ctx, "benford-alpha", benford_alpha, 1e-12, 0.5, &opt.benford_alpha)) ||
        (rc = parse_double(ctx, "missing-share", missing_share, 0.01, 1, &opt.missing_peer_share)))
        return rc;
    opt.benford_indicators = benford_indicators;
    qala_dataset *ds = NULL;
    qala_identities *ids = NULL;
    qala_check_result *res = NULL;
    qala_findings *f = NULL;
    int embedded = 0;
    if ((rc = load_observations(ctx, &ds, &embedded)) != EXIT_OK)
        goto done;
    if (unit) {
        size_t u;
        if ((rc = cli_resolve_unit(ctx, unit, &u)) != EXIT_OK)
            goto done;
        opt.unit = qala_registry_unit(ctx->reg, u)->code;
    }
    if (indicator) {
        size_t idx;
        if (qala_framework_find(ctx->fw, indicator, &idx) != QALA_OK) {
            fprintf(ctx->err, "qala check: --indicator: unknown indicator \"%s\" (see 'qala indicators')\n",
                    indicator);
            rc = EXIT_USAGE;
            goto done;
        }
        opt.indicator = qala_framework_get(ctx->fw, idx)->code;
    }
    qala_status st = qala_identities_new(&ids);
    if (st == QALA_OK)
        st = qala_findings_new(&f);
    if (st == QALA_OK && rules_path) {
        size_t len;
        char *text = read_file(rules_path, &len);
        if (!text) {
            fprintf(ctx->err, "qala check: cannot read '%s'\n", rules_path);
            rc = EXIT_IO;
            goto done;
        }
        st = qala_identities_load_csv(ids, text, len, rules_path, ctx->fw, f);
        free(text);
    } else if (st == QALA_OK) {
        st = qala_identities_load_default(ids, ctx->fw, f);
    }
    if (st == QALA_EDATA) {
        qala_findings_sort(f);
        cli_print_findings(ctx, f);
        fprintf(ctx->err, "qala check: %s has errors: nothing was checked\n", rules_path ? rules_path : "the rules");
        rc = EXIT_DATA;
        goto done;
    }
    if (st == QALA_OK)
        st = qala_check_run(&res, ds, ctx->fw, ctx->reg, ids, &opt);
    if (st != QALA_OK) {
        rc = cli_fail(ctx, st, NULL);
        goto done;
    }
    if (ctx->format == FORMAT_JSON)
        print_json(ctx, res, embedded);
    else
        rc = print_table(ctx, res, embedded);
    if (rc == EXIT_OK && qala_check_errors(res))
        rc = EXIT_DATA;
done:
    qala_check_result_free(res);
    qala_identities_free(ids);
    qala_findings_free(f);
    qala_dataset_free(ds);
    return rc;
}
