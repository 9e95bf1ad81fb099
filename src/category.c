/* src/category.c — the monotown early-warning category: the rule collection and its
 * evaluation for one period (include/qala/category.h, docs/categories.md).
 *
 * Place in the pipeline: rule files are read by src/category_load.c into a
 * qala_category_rules; the evaluation reads a sorted dataset and reuses the monitor
 * (src/monitor*.c) for every number it needs, so that transforms, periods, national
 * values and group medians mean exactly what they mean in monitoring. Indicator
 * conditions become one-sided thresholds in a private collection (`>= v`: side high,
 * warning = crisis = v, inclusive; `>`: exclusive; `<=` and `<` with side low), each in
 * a set of its own so that two rules on the same series never compete for it; their zone
 * says whether the condition holds (no data: not evaluated). Breach counts run the
 * monitor on the caller's thresholds, once per distinct set. Group membership is read
 * from the registry at the period's start.
 * Invariants: a rule owns one block with its strings; the state of each (unit row, rule)
 * is one byte (not evaluated / held not / fired), from which the category, the number of
 * triggers evaluated and the fired list are derived in rule order. Workload: a few tens
 * of rules over up to ~10^5 units: two or three monitor calls in single-period mode plus
 * units × rules bytes.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "category_internal.h"
#include "qala/category.h"
#include "qala/monitor.h"
#include "threshold_internal.h"
#include "util/internal.h"

typedef struct rec {
    qala_rule pub;
    char *block;       /* owns the strings of pub */
    const char *label; /* in block */
} rec;

struct qala_category_rules {
    rec *items;
    size_t n, cap;
};

/* ---- the collection -------------------------------------------------------------- */

qala_status qala_category_rules_new(qala_category_rules **out)
{
    assert(out);
    *out = qala_mem__calloc(1, sizeof **out);
    if (!*out)
        return qala_err__set(QALA_ENOMEM, "out of memory creating a rule collection");
    return QALA_OK;
}

void qala_category_rules_free(qala_category_rules *rules)
{
    if (!rules)
        return;
    qala_category_rules__truncate(rules, 0);
    qala_mem__free(rules->items);
    qala_mem__free(rules);
}

size_t qala_category_rules_count(const qala_category_rules *rules)
{
    return rules ? rules->n : 0;
}

const qala_rule *qala_category_rules_get(const qala_category_rules *rules, size_t i)
{
    return rules && i < rules->n ? &rules->items[i].pub : NULL;
}

const char *qala_category_rules__label(const qala_category_rules *rules, size_t i)
{
    assert(i < rules->n);
    return rules->items[i].label;
}

void qala_category_rules__truncate(qala_category_rules *rules, size_t n)
{
    while (rules->n > n)
        qala_mem__free(rules->items[--rules->n].block);
}

qala_status qala_category_rules__append(qala_category_rules *rules, const qala_rule *rule,
                                        const char *label)
{
    assert(rules && rule);
    const char *strs[6] = {rule->id, rule->group, rule->set, rule->description, rule->source, label};
    const char *copy[6];
    if (qala_mem__grow((void **)&rules->items, &rules->cap, rules->n + 1, sizeof *rules->items) !=
        QALA_OK)
        return QALA_ENOMEM;
    char *block = qala_mem__pack_strings(0, strs, 6, copy);
    if (!block)
        return qala_err__set(QALA_ENOMEM, "out of memory adding a rule");
    rec *r = &rules->items[rules->n];
    r->block = block;
    r->pub = *rule;
    r->pub.id = copy[0];
    r->pub.group = copy[1];
    r->pub.set = copy[2];
    r->pub.description = copy[3];
    r->pub.source = copy[4];
    r->label = copy[5];
    rules->n++;
    return QALA_OK;
}

/* ---- evaluation ------------------------------------------------------------------ */

enum { S_NONE = 0, S_HELD_NOT = 1, S_FIRED = 2 };
#define NO_ROW UINT32_MAX
#define NO_REG SIZE_MAX

typedef struct eval {
    const qala_dataset *ds;
    const qala_category_rules *rules;
    const qala_framework *fw;
    const qala_registry *reg;
    qala_period period;
    size_t nrules, nrows, nunits;
    uint32_t *row_of; /* dataset unit id -> result row (NO_ROW: the national unit) */
    uint32_t *unit;   /* result row -> dataset unit id */
    size_t *ureg;     /* result row -> registry index (NO_REG: not in the registry) */
    uint8_t *state;   /* nrows x nrules */
} eval;

static int is_breach(qala_rule_subject s)
{
    return s == QALA_RULE_CRISIS_BREACHES || s == QALA_RULE_BREACHES;
}

static int holds(qala_rule_operator op, double x, double v)
{
    switch (op) {
    case QALA_OP_GE: return x >= v;
    case QALA_OP_GT: return x > v;
    case QALA_OP_LE: return x <= v;
    case QALA_OP_LT: return x < v;
    }
    return 0;
}

/* A period of qala/common.h with a year in 1900..2100: its text form reads back. */
static int period_valid(qala_period p)
{
    char buf[12];
    qala_period back;
    qala_period_format(buf, p);
    return qala_period_parse(&back, buf, strlen(buf)) == QALA_OK && back == p;
}

static qala_status check_rules(const eval *e, const qala_thresholds *thresholds)
{
    size_t nfw = qala_framework_count(e->fw), g;
    for (size_t i = 0; i < e->nrules; i++) {
        const qala_rule *r = qala_category_rules_get(e->rules, i);
        if ((unsigned)r->kind > QALA_RULE_CATEGORY_2 || (unsigned)r->subject > QALA_RULE_BREACHES ||
            (unsigned)r->op > QALA_OP_LT)
            return qala_err__set(QALA_EINVAL, "rule \"%s\": unknown kind, subject or operator", r->id);
        if (r->subject == QALA_RULE_INDICATOR) {
            if (r->indicator >= nfw ||
                (r->transform == QALA_TRANSFORM_PER_DENOMINATOR && r->denominator >= nfw))
                return qala_err__set(QALA_EINVAL,
                                     "rule \"%s\": indicator %zu is not in the framework "
                                     "(rules loaded against another framework?)",
                                     r->id, r->transform == QALA_TRANSFORM_PER_DENOMINATOR &&
                                                    r->indicator < nfw ? r->denominator : r->indicator);
            if ((unsigned)r->transform >= QALA_TRANSFORM_COUNT)
                return qala_err__set(QALA_EINVAL, "rule \"%s\": unknown transform", r->id);
        }
        if ((r->subject == QALA_RULE_GROUP ||
             (r->subject == QALA_RULE_INDICATOR && r->transform == QALA_TRANSFORM_RATIO_GROUP_MEDIAN)) &&
            qala_registry_find_group(e->reg, r->group, &g) != QALA_OK)
            return qala_err__set(QALA_EINVAL, "rule \"%s\": group \"%s\" is not in the registry",
                                 r->id, r->group);
        if (is_breach(r->subject) && !thresholds)
            return qala_err__set(QALA_EINVAL,
                                 "rule \"%s\" counts breaches: expected a threshold collection, got NULL",
                                 r->id);
    }
    return QALA_OK;
}

/* Result rows: every dataset unit but the national one (the monitor's choice: the
 * registry's first unit of kind country, matched by registry index or by code). */
static qala_status map_rows(eval *e)
{
    size_t nat_reg = NO_REG;
    const char *nat = NULL;
    for (size_t i = 0; i < qala_registry_unit_count(e->reg); i++)
        if (qala_registry_unit(e->reg, i)->kind == QALA_UNIT_COUNTRY) {
            nat_reg = i;
            nat = qala_registry_unit(e->reg, i)->code;
            break;
        }
    e->row_of = qala_mem__malloc((e->nunits + 1) * sizeof *e->row_of);
    e->unit = qala_mem__malloc((e->nunits + 1) * sizeof *e->unit);
    e->ureg = qala_mem__malloc((e->nunits + 1) * sizeof *e->ureg);
    if (!e->row_of || !e->unit || !e->ureg)
        return qala_err__set(QALA_ENOMEM, "out of memory mapping units");
    int national_seen = 0;
    for (size_t u = 0; u < e->nunits; u++) {
        const char *code = qala_dataset_unit_code(e->ds, (uint32_t)u);
        size_t idx;
        if (qala_registry_find(e->reg, code, &idx) != QALA_OK)
            idx = NO_REG;
        if (!national_seen && nat &&
            ((nat_reg != NO_REG && idx == nat_reg) || strcasecmp(code, nat) == 0)) {
            national_seen = 1;
            e->row_of[u] = NO_ROW;
            continue;
        }
        e->row_of[u] = (uint32_t)e->nrows;
        e->unit[e->nrows] = (uint32_t)u;
        e->ureg[e->nrows] = idx;
        e->nrows++;
    }
    if (e->nrules && e->nrows > SIZE_MAX / e->nrules)
        return qala_err__set(QALA_ENOMEM, "too many units and rules (%zu x %zu)", e->nrows,
                             e->nrules);
    e->state = qala_mem__calloc(e->nrows * e->nrules + 1, 1);
    if (!e->state)
        return qala_err__set(QALA_ENOMEM, "out of memory for %zu units x %zu rules", e->nrows,
                             e->nrules);
    return QALA_OK;
}

static qala_monitor_options monitor_options(const eval *e, const char *set)
{
    qala_monitor_options o = QALA_MONITOR_OPTIONS_INIT;
    o.period = e->period;
    o.columns = 0;
    o.set = set;
    return o;
}

/* The one-sided threshold whose zone says whether rule r's condition holds. */
static qala_threshold rule_threshold(const qala_rule *r, const char *set)
{
    qala_threshold th = {
        .set = set, .indicator = r->indicator, .transform = r->transform,
        .k = r->k >= 1 ? r->k : 1, .denominator = r->denominator, .scale = r->scale,
        .group_basis = r->transform == QALA_TRANSFORM_RATIO_GROUP_MEDIAN ? r->group : "",
        .warning = r->value, .crisis = r->value, .warning_high = NAN, .crisis_high = NAN,
        .valid_from = QALA_DATE_MIN, .valid_to = QALA_DATE_MAX, .source = r->source,
        .justification = r->description, .confidence = r->confidence, .line = r->line};
    th.side = r->op == QALA_OP_GE || r->op == QALA_OP_GT ? QALA_BAD_HIGH : QALA_BAD_LOW;
    th.inclusive = r->op == QALA_OP_GE || r->op == QALA_OP_LE;
    if (r->transform != QALA_TRANSFORM_PER_DENOMINATOR) {
        th.denominator = SIZE_MAX;
        th.scale = 1;
    }
    return th;
}

/* Indicator conditions (eligibility and triggers) in one monitor call. */
static qala_status eval_indicators(eval *e)
{
    qala_status st = QALA_OK;
    qala_thresholds *ths = NULL;
    qala_monitor_result *res = NULL;
    uint32_t *rule_of = NULL;
    size_t n = 0;
    for (size_t i = 0; i < e->nrules; i++)
        n += qala_category_rules_get(e->rules, i)->subject == QALA_RULE_INDICATOR;
    if (n == 0)
        return QALA_OK;
    rule_of = qala_mem__malloc(n * sizeof *rule_of);
    if (!rule_of) {
        st = qala_err__set(QALA_ENOMEM, "out of memory evaluating rules");
        goto done;
    }
    if ((st = qala_thresholds_new(&ths)) != QALA_OK)
        goto done;
    n = 0;
    for (size_t i = 0; i < e->nrules; i++) {
        const qala_rule *r = qala_category_rules_get(e->rules, i);
        if (r->subject != QALA_RULE_INDICATOR)
            continue;
        char set[32]; /* a set per rule: no two rules share a (set, indicator, transform, k) */
        snprintf(set, sizeof set, "rule %zu", i);
        qala_threshold th = rule_threshold(r, set);
        if ((st = qala_thresholds__append(ths, &th, "")) != QALA_OK)
            goto done;
        rule_of[n++] = (uint32_t)i;
    }
    qala_monitor_options o = monitor_options(e, NULL);
    if ((st = qala_monitor_evaluate(&res, e->ds, ths, e->fw, e->reg, &o)) != QALA_OK)
        goto done;
    for (size_t j = 0; j < res->n; j++) {
        uint32_t row = res->unit[j] < e->nunits ? e->row_of[res->unit[j]] : NO_ROW;
        if (row == NO_ROW || res->zone[j] == QALA_ZONE_NO_DATA)
            continue;
        e->state[(size_t)row * e->nrules + rule_of[res->threshold[j]]] =
            res->zone[j] == QALA_ZONE_NORMAL ? S_HELD_NOT : S_FIRED;
    }
done:
    qala_monitor_result_free(res);
    qala_thresholds_free(ths);
    qala_mem__free(rule_of);
    return st;
}

/* Breach counts: one monitor call per distinct set among the breach rules. */
static qala_status eval_breaches(eval *e, const qala_thresholds *thresholds)
{
    qala_status st = QALA_OK;
    uint32_t *crisis = NULL, *bad = NULL;
    uint8_t *data = NULL;
    qala_monitor_result *res = NULL;
    for (size_t i = 0; i < e->nrules && st == QALA_OK; i++) {
        const qala_rule *r = qala_category_rules_get(e->rules, i);
        if (!is_breach(r->subject))
            continue;
        size_t first = 0;
        while (first < i) {
            const qala_rule *o = qala_category_rules_get(e->rules, first);
            if (is_breach(o->subject) && strcmp(o->set, r->set) == 0)
                break;
            first++;
        }
        if (first < i) /* this set was counted with an earlier rule */
            continue;
        if (!crisis) {
            crisis = qala_mem__malloc((e->nrows + 1) * sizeof *crisis);
            bad = qala_mem__malloc((e->nrows + 1) * sizeof *bad);
            data = qala_mem__malloc(e->nrows + 1);
            if (!crisis || !bad || !data) {
                st = qala_err__set(QALA_ENOMEM, "out of memory counting breaches");
                break;
            }
        }
        memset(crisis, 0, (e->nrows + 1) * sizeof *crisis);
        memset(bad, 0, (e->nrows + 1) * sizeof *bad);
        memset(data, 0, e->nrows + 1);
        qala_monitor_options o = monitor_options(e, r->set[0] ? r->set : NULL);
        if ((st = qala_monitor_evaluate(&res, e->ds, thresholds, e->fw, e->reg, &o)) != QALA_OK)
            break;
        for (size_t j = 0; j < res->n; j++) {
            uint32_t row = res->unit[j] < e->nunits ? e->row_of[res->unit[j]] : NO_ROW;
            if (row == NO_ROW || res->zone[j] == QALA_ZONE_NO_DATA)
                continue;
            data[row] = 1;
            crisis[row] += res->zone[j] == QALA_ZONE_CRISIS;
            bad[row] += res->zone[j] != QALA_ZONE_NORMAL;
        }
        qala_monitor_result_free(res);
        res = NULL;
        for (size_t k = i; k < e->nrules; k++) {
            const qala_rule *rk = qala_category_rules_get(e->rules, k);
            if (!is_breach(rk->subject) || strcmp(rk->set, r->set) != 0)
                continue;
            for (size_t row = 0; row < e->nrows; row++) {
                if (!data[row])
                    continue;
                double count = rk->subject == QALA_RULE_CRISIS_BREACHES ? crisis[row] : bad[row];
                e->state[row * e->nrules + k] = holds(rk->op, count, rk->value) ? S_FIRED : S_HELD_NOT;
            }
        }
    }
    qala_monitor_result_free(res);
    qala_mem__free(crisis);
    qala_mem__free(bad);
    qala_mem__free(data);
    return st;
}

/* Group membership at the period's start; a unit not in the registry is in no group. */
static void eval_groups(eval *e)
{
    qala_date at = qala_period_start(e->period);
    for (size_t i = 0; i < e->nrules; i++) {
        const qala_rule *r = qala_category_rules_get(e->rules, i);
        size_t g;
        if (r->subject != QALA_RULE_GROUP || qala_registry_find_group(e->reg, r->group, &g) != QALA_OK)
            continue;
        for (size_t row = 0; row < e->nrows; row++)
            e->state[row * e->nrules + i] =
                e->ureg[row] != NO_REG && qala_registry_in_group_at(e->reg, g, e->ureg[row], at)
                    ? S_FIRED : S_HELD_NOT;
    }
}

void qala_category_result_free(qala_category_result *r)
{
    if (!r)
        return;
    qala_mem__free(r->unit);
    qala_mem__free(r->eligible);
    qala_mem__free(r->category);
    qala_mem__free(r->evaluated);
    qala_mem__free(r->fired_start);
    qala_mem__free(r->fired);
    qala_mem__free(r);
}

/* The category of each row from the states, and the fired lists in rule order. */
static qala_status build_result(const eval *e, qala_category_result **out)
{
    size_t nfired = 0, n = e->nrows, nr = e->nrules;
    for (size_t i = 0; i < n * nr; i++)
        nfired += e->state[i] == S_FIRED;
    qala_category_result *r = qala_mem__calloc(1, sizeof *r);
    if (!r)
        return qala_err__set(QALA_ENOMEM, "out of memory for the category result");
    r->n = n;
    r->unit = qala_mem__malloc((n + 1) * sizeof *r->unit);
    r->eligible = qala_mem__malloc(n + 1);
    r->category = qala_mem__malloc(n + 1);
    r->evaluated = qala_mem__malloc(n + 1);
    r->fired_start = qala_mem__malloc((n + 1) * sizeof *r->fired_start);
    r->fired = qala_mem__malloc((nfired + 1) * sizeof *r->fired);
    if (!r->unit || !r->eligible || !r->category || !r->evaluated || !r->fired_start || !r->fired) {
        qala_category_result_free(r);
        return qala_err__set(QALA_ENOMEM, "out of memory for the category result");
    }
    int has_eligibility = 0;
    for (size_t i = 0; i < nr; i++)
        has_eligibility |= qala_category_rules_get(e->rules, i)->kind == QALA_RULE_ELIGIBILITY;
    size_t f = 0;
    for (size_t row = 0; row < n; row++) {
        const uint8_t *s = e->state + row * nr;
        int eligible = !has_eligibility, cat1 = 0, cat2 = 0;
        unsigned evaluated = 0;
        r->fired_start[row] = f;
        for (size_t i = 0; i < nr; i++) {
            qala_rule_kind kind = qala_category_rules_get(e->rules, i)->kind;
            if (s[i] == S_FIRED)
                r->fired[f++] = (uint32_t)i;
            if (kind == QALA_RULE_ELIGIBILITY) {
                eligible |= s[i] == S_FIRED;
                continue;
            }
            if (s[i] != S_NONE && evaluated < 255)
                evaluated++;
            cat1 |= kind == QALA_RULE_CATEGORY_1 && s[i] == S_FIRED;
            cat2 |= kind == QALA_RULE_CATEGORY_2 && s[i] == S_FIRED;
        }
        r->unit[row] = e->unit[row];
        r->eligible[row] = (uint8_t)eligible;
        r->evaluated[row] = (uint8_t)evaluated;
        r->category[row] = !eligible ? 0 : cat1 ? 1 : cat2 ? 2 : evaluated ? 3 : 0;
    }
    r->fired_start[n] = f;
    *out = r;
    return QALA_OK;
}

qala_status qala_category_evaluate(qala_category_result **out, const qala_dataset *ds,
                                   const qala_category_rules *rules, const qala_thresholds *thresholds,
                                   const qala_framework *fw, const qala_registry *reg,
                                   qala_period period)
{
    if (out)
        *out = NULL;
    if (!out || !ds || !rules || !fw || !reg)
        return qala_err__set(QALA_EINVAL,
                             "category evaluation: expected a result pointer, a dataset, rules, a "
                             "framework and a registry (got NULL)");
    if (!period_valid(period))
        return qala_err__set(QALA_EINVAL, "period %d: expected a period of years 1900..2100",
                             (int)period);
    eval e = {.ds = ds, .rules = rules, .fw = fw, .reg = reg, .period = period,
              .nrules = qala_category_rules_count(rules), .nunits = qala_dataset_unit_count(ds)};
    if (e.nrules >= UINT32_MAX || e.nunits >= UINT32_MAX)
        return qala_err__set(QALA_EINVAL, "too many rules (%zu) or units (%zu)", e.nrules, e.nunits);
    qala_status st = check_rules(&e, thresholds);
    if (st == QALA_OK)
        st = map_rows(&e);
    if (st == QALA_OK)
        st = eval_indicators(&e);
    if (st == QALA_OK)
        st = eval_breaches(&e, thresholds);
    if (st == QALA_OK) {
        eval_groups(&e);
        st = build_result(&e, out);
    }
    qala_mem__free(e.row_of);
    qala_mem__free(e.unit);
    qala_mem__free(e.ureg);
    qala_mem__free(e.state);
    return st;
}
