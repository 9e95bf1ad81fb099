/* src/report_quality.c — the report's data-quality section ("quality"): the checks of
 * `qala check` (qala_check_run: ranges, the embedded accounting identities, jumps, peer
 * outliers, repeats, Benford, missing series; docs/check.md) over every observation the
 * report reads, with the library's default options.
 *
 * Place: report.c calls qala_report__quality when QALA_REPORT_QUALITY is asked (it is in
 * QALA_REPORT_ALL); the front end (web/app.js) shows the counts per rule, the findings
 * with their messages and a CSV of them. Invariants: the section is there even when
 * nothing was found (the counts say what was looked at); at most QUALITY_MAX_FINDINGS
 * findings are listed (errors first, then in the checks' order: unit, indicator, period,
 * rule), "total" gives how many there were. Format: docs/report-data.md.
 */
#include "qala/check.h"
#include "report_internal.h"
#include "util/internal.h"

enum { QUALITY_MAX_FINDINGS = 2000 };

static const char *severity_code(qala_severity s)
{
    return s == QALA_SEVERITY_ERROR ? "error" : "warning";
}

static json_t *finding_json(qala_report__ctx *c, const qala_check_finding *f)
{
    json_t *o = json_object();
    qala_report__set(c, o, "rule", json_string(qala_check_rule_code(f->rule)));
    qala_report__set(c, o, "severity", json_string(severity_code(f->severity)));
    qala_report__set(c, o, "unit", json_string(f->unit));
    qala_report__set(c, o, "indicator", json_string(f->indicator));
    qala_report__set(c, o, "period", qala_report__period(f->period));
    qala_report__set(c, o, "value", qala_report__num(f->value));
    qala_report__set(c, o, "statistic", qala_report__num(f->statistic));
    qala_report__set(c, o, "p_value", qala_report__num(f->p_value));
    qala_report__set(c, o, "identity", json_string(f->name));
    qala_report__set(c, o, "message", json_string(f->message));
    return o;
}

static void write_rules(qala_report__ctx *c, json_t *q, const qala_check_result *r)
{
    size_t errors[QALA_CHECK_RULE_COUNT] = {0}, warnings[QALA_CHECK_RULE_COUNT] = {0};
    for (size_t i = 0; i < qala_check_count(r); i++) {
        const qala_check_finding *f = qala_check_get(r, i);
        if (f->severity == QALA_SEVERITY_ERROR)
            errors[f->rule]++;
        else
            warnings[f->rule]++;
    }
    json_t *rules = json_array();
    for (int k = 0; k < QALA_CHECK_RULE_COUNT; k++) {
        json_t *o = json_object();
        qala_report__set(c, o, "rule", json_string(qala_check_rule_code((qala_check_rule)k)));
        qala_report__set(c, o, "evaluated",
                         json_integer((json_int_t)qala_check_evaluated(r, (qala_check_rule)k)));
        qala_report__set(c, o, "errors", json_integer((json_int_t)errors[k]));
        qala_report__set(c, o, "warnings", json_integer((json_int_t)warnings[k]));
        qala_report__push(c, rules, o);
    }
    qala_report__set(c, q, "rules", rules);
}

static void write_benford(qala_report__ctx *c, json_t *q, const qala_check_result *r)
{
    json_t *tests = json_array();
    for (size_t i = 0; i < qala_check_benford_count(r); i++) {
        const qala_check_benford *b = qala_check_benford_get(r, i);
        json_t *o = json_object();
        qala_report__set(c, o, "indicator", json_string(b->indicator));
        qala_report__set(c, o, "period", qala_report__period(b->period));
        qala_report__set(c, o, "n", json_integer((json_int_t)b->n));
        qala_report__set(c, o, "span", qala_report__num(b->span));
        qala_report__set(c, o, "tested", json_boolean(b->tested));
        qala_report__set(c, o, "chi2", qala_report__num(b->chi2));
        qala_report__set(c, o, "p_value", qala_report__num(b->p_value));
        qala_report__set(c, o, "message", json_string(b->message));
        qala_report__push(c, tests, o);
    }
    qala_report__set(c, q, "benford", tests);
}

qala_status qala_report__quality(qala_report__ctx *c)
{
    qala_identities *ids = NULL;
    qala_check_result *r = NULL;
    qala_status st = qala_identities_new(&ids);
    if (st == QALA_OK)
        st = qala_identities_load_default(ids, c->fw, NULL);
    qala_check_options opt = QALA_CHECK_OPTIONS_INIT;
    if (st == QALA_OK)
        st = qala_check_run(&r, c->ds, c->fw, c->reg, ids, &opt);
    if (st != QALA_OK) {
        qala_identities_free(ids);
        return st;
    }
    json_t *q = json_object();
    qala_report__set(c, c->root, "quality", q);
    size_t n = qala_check_count(r);
    qala_report__set(c, q, "total", json_integer((json_int_t)n));
    qala_report__set(c, q, "errors", json_integer((json_int_t)qala_check_errors(r)));
    qala_report__set(c, q, "warnings", json_integer((json_int_t)qala_check_warnings(r)));
    qala_report__set(c, q, "identities", json_integer((json_int_t)qala_identities_count(ids)));
    write_rules(c, q, r);
    /* the findings listed: every error first, then the warnings, up to the cap */
    json_t *list = json_array();
    size_t shown = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n && shown < QUALITY_MAX_FINDINGS; i++) {
            const qala_check_finding *f = qala_check_get(r, i);
            if ((f->severity == QALA_SEVERITY_ERROR) != (pass == 0))
                continue;
            qala_report__push(c, list, finding_json(c, f));
            shown++;
        }
    qala_report__set(c, q, "shown", json_integer((json_int_t)shown));
    qala_report__set(c, q, "findings", list);
    write_benford(c, q, r);
    qala_check_result_free(r);
    qala_identities_free(ids);
    return QALA_OK;
}
