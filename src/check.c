/* src/check.c — data-quality checks over stored observations: the driver, the result,
 * and the two deterministic rules (declared ranges, accounting identities).
 *
 * Place in the pipeline: store → dataset (sorted by unit, indicator, period) → here →
 * findings for `qala check` and the report. The statistical rules (jumps, peer
 * outliers, repeated values, Benford, missing series) are in check_rules.c.
 * Invariants: the dataset is only read; every finding owns its strings (one block), so
 * the result outlives the dataset; findings come out sorted by unit, indicator, period,
 * rule and then the order in which they were found. Workload: the whole database (up to
 * millions of observations) in a few passes, each O(n log n) at most.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "util/internal.h"

static const char *const rule_codes[QALA_CHECK_RULE_COUNT] = {
    "range", "identity", "jump", "peer-outlier", "repeated", "benford", "missing-series"};

const char *qala_check_rule_code(qala_check_rule rule)
{
    return (unsigned)rule < QALA_CHECK_RULE_COUNT ? rule_codes[rule] : "";
}

qala_status qala_check_rule_parse(qala_check_rule *out, const char *text)
{
    for (int i = 0; i < QALA_CHECK_RULE_COUNT; i++)
        if (strcmp(text, rule_codes[i]) == 0) {
            *out = (qala_check_rule)i;
            return QALA_OK;
        }
    return qala_err__set(QALA_EINVAL,
                         "unknown rule \"%.40s\": expected range, identity, jump, peer-outlier, "
                         "repeated, benford or missing-series", text);
}

/* ---- the result ------------------------------------------------------------------ */

typedef struct entry {
    qala_check_finding f;
    size_t seq;
} entry;

struct qala_check_result {
    entry *items;
    size_t n, cap;
    size_t errors, warnings;
    size_t evaluated[QALA_CHECK_RULE_COUNT];
    qala_check_benford *benford; /* strings in one block each, starting at indicator */
    size_t nbenford, capbenford;
};

void qala_check_result_free(qala_check_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        qala_mem__free((void *)r->items[i].f.unit); /* the block starts with the unit */
    for (size_t i = 0; i < r->nbenford; i++)
        qala_mem__free((void *)r->benford[i].indicator);
    qala_mem__free(r->items);
    qala_mem__free(r->benford);
    qala_mem__free(r);
}

size_t qala_check_count(const qala_check_result *r) { return r->n; }
size_t qala_check_errors(const qala_check_result *r) { return r->errors; }
size_t qala_check_warnings(const qala_check_result *r) { return r->warnings; }
size_t qala_check_benford_count(const qala_check_result *r) { return r->nbenford; }

const qala_check_finding *qala_check_get(const qala_check_result *r, size_t i)
{
    assert(i < r->n);
    return &r->items[i].f;
}

size_t qala_check_evaluated(const qala_check_result *r, qala_check_rule rule)
{
    return (unsigned)rule < QALA_CHECK_RULE_COUNT ? r->evaluated[rule] : 0;
}

const qala_check_benford *qala_check_benford_get(const qala_check_result *r, size_t i)
{
    assert(i < r->nbenford);
    return &r->benford[i];
}

void qala_check__add(check_ctx *c, qala_check_rule rule, qala_severity sev, const char *unit,
                     const char *indicator, qala_period period, double value, double statistic,
                     const char *name, const char *fmt, ...)
{
    qala_check_result *r = c->res;
    if (c->failed != QALA_OK)
        return;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (qala_mem__grow((void **)&r->items, &r->cap, r->n + 1, sizeof *r->items) != QALA_OK) {
        c->failed = QALA_ENOMEM;
        return;
    }
    const char *strs[4] = {unit ? unit : "", indicator ? indicator : "", name ? name : "", msg};
    const char *copies[4];
    if (!qala_mem__pack_strings(0, strs, 4, copies)) {
        c->failed = qala_err__set(QALA_ENOMEM, "out of memory recording a finding");
        return;
    }
    entry *e = &r->items[r->n];
    e->f = (qala_check_finding){rule, sev, copies[0], copies[1], period, value, statistic, NAN,
                                copies[2], copies[3]};
    e->seq = r->n++;
    if (sev == QALA_SEVERITY_ERROR)
        r->errors++;
    else
        r->warnings++;
}

void qala_check__set_p(check_ctx *c, double p_value)
{
    if (c->failed == QALA_OK && c->res->n)
        c->res->items[c->res->n - 1].f.p_value = p_value;
}

void qala_check__count(check_ctx *c, qala_check_rule rule, size_t n)
{
    c->res->evaluated[rule] += n;
}

qala_status qala_check__add_benford(check_ctx *c, const qala_check_benford *b)
{
    qala_check_result *r = c->res;
    qala_status st = qala_mem__grow((void **)&r->benford, &r->capbenford, r->nbenford + 1,
                                    sizeof *r->benford);
    if (st != QALA_OK)
        return st;
    const char *strs[2] = {b->indicator, b->message}, *copies[2];
    if (!qala_mem__pack_strings(0, strs, 2, copies))
        return qala_err__set(QALA_ENOMEM, "out of memory recording a Benford test");
    qala_check_benford *dst = &r->benford[r->nbenford++];
    *dst = *b;
    dst->indicator = copies[0];
    dst->message = copies[1];
    return QALA_OK;
}

static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int d = strcmp(x->f.unit, y->f.unit);
    if (!d)
        d = strcmp(x->f.indicator, y->f.indicator);
    if (!d)
        d = (x->f.period > y->f.period) - (x->f.period < y->f.period);
    if (!d)
        d = (int)x->f.rule - (int)y->f.rule;
    if (!d)
        d = (x->seq > y->seq) - (x->seq < y->seq);
    return d;
}

/* ---- helpers shared with check_rules.c ------------------------------------------- */

int qala_check__tier(const check_ctx *c, uint32_t unit, qala_period p)
{
    size_t r = c->unit_reg[unit];
    if (r == SIZE_MAX)
        return TIER_OTHER;
    const qala_unit *u = qala_registry_unit(c->reg, r);
    if (u->kind == QALA_UNIT_COUNTRY)
        return TIER_NONE;
    size_t parent;
    if (qala_registry_parent_at(c->reg, r, qala_period_start(p), &parent) == QALA_OK)
        return qala_registry_unit(c->reg, parent)->kind == QALA_UNIT_COUNTRY ? TIER_FIRST_LEVEL
                                                                             : TIER_CITY;
    return u->kind == QALA_UNIT_REGION ? TIER_FIRST_LEVEL : TIER_CITY;
}

const char *qala_check__tier_name(int tier)
{
    switch (tier) {
    case TIER_FIRST_LEVEL: return "first-level units";
    case TIER_CITY: return "cities";
    case TIER_OTHER: return "units outside the registry";
    default: return "units";
    }
}

qala_period qala_check__next_period(qala_period p)
{
    int y = qala_period_year(p), rest = (int)(p % 100);
    switch (qala_period_frequency(p)) {
    case QALA_FREQ_YEAR: return p + 100;
    case QALA_FREQ_QUARTER: return rest < 24 ? p + 1 : (y + 1) * 100 + 21;
    default: return rest < 12 ? p + 1 : (y + 1) * 100 + 1;
    }
}

void qala_check__fmt(char *buf, size_t size, double x)
{
    if (isnan(x))
        snprintf(buf, size, "(suppressed)");
    else if (fabs(x) < 1e15 && x == floor(x))
        snprintf(buf, size, "%.0f", x);
    else
        snprintf(buf, size, "%.10g", x);
}

int qala_check__wanted(const check_ctx *c, const char *unit, const char *indicator)
{
    if (c->opt->unit && strcmp(unit, c->opt->unit) != 0)
        return 0;
    if (c->opt->indicator && strcmp(indicator, c->opt->indicator) != 0)
        return 0;
    return 1;
}

/* ---- declared ranges ------------------------------------------------------------- */

static void check_ranges(check_ctx *c)
{
    size_t evaluated = 0;
    for (size_t i = 0; i < c->n && c->failed == QALA_OK; i++) {
        size_t fwi = c->ind_fw[c->ind[i]];
        if (fwi == SIZE_MAX || isnan(c->val[i]))
            continue;
        evaluated++;
        const qala_indicator *ind = qala_framework_get(c->fw, fwi);
        double v = c->val[i];
        if (v >= ind->min && v <= ind->max)
            continue;
        const char *unit = qala_dataset_unit_code(c->ds, c->unit[i]);
        if (!qala_check__wanted(c, unit, ind->code))
            continue;
        char vb[40], lo[40], hi[40], range[96];
        qala_check__fmt(vb, sizeof vb, v);
        qala_check__fmt(lo, sizeof lo, ind->min);
        qala_check__fmt(hi, sizeof hi, ind->max);
        if (isinf(ind->max))
            snprintf(range, sizeof range, "at least %s", lo);
        else if (isinf(ind->min))
            snprintf(range, sizeof range, "at most %s", hi);
        else
            snprintf(range, sizeof range, "between %s and %s", lo, hi);
        double gap = v < ind->min ? v - ind->min : v - ind->max;
        qala_check__add(c, QALA_CHECK_RANGE, QALA_SEVERITY_ERROR, unit, ind->code, c->per[i], v, gap,
                        "", "value %s is outside the declared range of %s (%s): expected %s", vb,
                        ind->code, ind->unit, range);
    }
    qala_check__count(c, QALA_CHECK_RANGE, evaluated);
}

/* ---- accounting identities ------------------------------------------------------- */

/* The dataset id of an indicator code, or UINT32_MAX. */
static uint32_t indicator_id(const qala_dataset *ds, const char *code)
{
    size_t n = qala_dataset_indicator_count(ds);
    for (size_t i = 0; i < n; i++)
        if (strcmp(qala_dataset_indicator_code(ds, (uint32_t)i), code) == 0)
            return (uint32_t)i;
    return UINT32_MAX;
}

static int identity_mentions(const qala_identity *id, const char *code)
{
    if (strcmp(id->left, code) == 0)
        return 1;
    for (size_t k = 0; k < id->nterms; k++)
        if (strcmp(id->terms[k], code) == 0)
            return 1;
    return 0;
}

/* "population_male + population_female", with coefficients other than ±1. */
static void describe_right(const qala_identity *id, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < id->nterms && o < size; k++) {
        double a = id->coefficients[k];
        const char *sign = a < 0 ? (k ? " - " : "-") : (k ? " + " : "");
        char coef[40] = "";
        if (fabs(a) != 1)
            snprintf(coef, sizeof coef, "%.10g*", fabs(a));
        o += (size_t)snprintf(buf + o, size - o, "%s%s%s", sign, coef, id->terms[k]);
    }
}

static void check_identity(check_ctx *c, const qala_identity *id)
{
    uint32_t left = indicator_id(c->ds, id->left);
    uint32_t terms[32];
    if (left == UINT32_MAX || id->nterms > 32)
        return;
    for (size_t k = 0; k < id->nterms; k++)
        if ((terms[k] = indicator_id(c->ds, id->terms[k])) == UINT32_MAX)
            return;
    char right[512];
    describe_right(id, right, sizeof right);
    size_t evaluated = 0;
    for (size_t i = 0; i < c->n && c->failed == QALA_OK; i++) {
        if (c->ind[i] != left || isnan(c->val[i]))
            continue;
        double sum = 0;
        int complete = 1;
        for (size_t k = 0; k < id->nterms && complete; k++) {
            size_t j;
            if (qala_dataset_find(c->ds, c->unit[i], terms[k], c->per[i], &j) != QALA_OK ||
                isnan(c->val[j]))
                complete = 0;
            else
                sum += id->coefficients[k] * c->val[j];
        }
        if (!complete)
            continue;
        evaluated++;
        double v = c->val[i], gap = v - sum;
        double tol = id->relative ? id->tolerance * fabs(v) : id->tolerance;
        if (fabs(gap) <= tol + 1e-9 * fabs(v))
            continue;
        const char *unit = qala_dataset_unit_code(c->ds, c->unit[i]);
        if (c->opt->unit && strcmp(unit, c->opt->unit) != 0)
            continue;
        if (c->opt->indicator && !identity_mentions(id, c->opt->indicator))
            continue;
        char vb[40], sb[40], gb[40], tb[48];
        qala_check__fmt(vb, sizeof vb, v);
        qala_check__fmt(sb, sizeof sb, sum);
        qala_check__fmt(gb, sizeof gb, gap);
        if (id->relative)
            snprintf(tb, sizeof tb, "%.10g%%", id->tolerance * 100);
        else
            qala_check__fmt(tb, sizeof tb, id->tolerance);
        double rel = v != 0 ? gap / fabs(v) : NAN;
        char relb[48] = "";
        if (!isnan(rel))
            snprintf(relb, sizeof relb, ", %.3g%%", rel * 100);
        qala_check__add(c, QALA_CHECK_IDENTITY, id->severity, unit, id->left, c->per[i], v, rel,
                        id->name, "%s = %s does not hold: %s against %s (difference %s%s; tolerance %s)",
                        id->left, right, vb, sb, gb, relb, tb);
    }
    qala_check__count(c, QALA_CHECK_IDENTITY, evaluated);
}

/* ---- the driver ------------------------------------------------------------------ */

static int sorted(const qala_dataset *ds)
{
    size_t n = qala_dataset_size(ds);
    const uint32_t *u = qala_dataset_units(ds), *ind = qala_dataset_indicators(ds);
    const qala_period *p = qala_dataset_periods(ds);
    for (size_t i = 1; i < n; i++) {
        if (u[i] != u[i - 1] ? u[i] < u[i - 1]
            : ind[i] != ind[i - 1] ? ind[i] < ind[i - 1] : p[i] <= p[i - 1])
            return 0;
    }
    return 1;
}

static qala_status check_options(const qala_check_options *o)
{
    if (o->version != QALA_CHECK_OPTIONS_VERSION)
        return qala_err__set(QALA_EINVAL, "check options: version %u, expected %u", o->version,
                             QALA_CHECK_OPTIONS_VERSION);
    if (!(o->jump_z > 0) || !(o->peer_z > 0) || !(o->jump_min_change >= 0))
        return qala_err__set(QALA_EINVAL, "check options: the z thresholds must be positive, the minimum change >= 0");
    if (o->repeat_periods < 2)
        return qala_err__set(QALA_EINVAL, "check options: repeated values need at least 2 periods");
    if (o->jump_min_changes < 2 || o->peer_min_units < 2)
        return qala_err__set(QALA_EINVAL, "check options: a robust z needs at least 2 other values");
    if (!(o->benford_alpha > 0 && o->benford_alpha < 1) || !(o->benford_min_span >= 0) ||
        o->benford_min_n < 1)
        return qala_err__set(QALA_EINVAL,
                             "check options: Benford needs 0 < alpha < 1, a span >= 0 and n >= 1");
    if (!(o->missing_peer_share > 0 && o->missing_peer_share <= 1) ||
        !(o->missing_unit_share >= 0 && o->missing_unit_share <= 1))
        return qala_err__set(QALA_EINVAL, "check options: the missing-series shares must be in (0, 1]");
    return QALA_OK;
}

static const qala_check_options default_options = QALA_CHECK_OPTIONS_INIT;

qala_status qala_check_run(qala_check_result **out, const qala_dataset *ds,
                           const qala_framework *fw, const qala_registry *reg,
                           const qala_identities *ids, const qala_check_options *options)
{
    assert(out && ds && fw && reg);
    *out = NULL;
    const qala_check_options *o = options ? options : &default_options;
    qala_status st = check_options(o);
    if (st != QALA_OK)
        return st;
    if (!sorted(ds))
        return qala_err__set(QALA_EINVAL, "check: the dataset is not sorted by unit, indicator, period "
                                          "(call qala_dataset_sort)");
    check_ctx c = {.ds = ds, .fw = fw, .reg = reg, .ids = ids, .opt = o};
    c.n = qala_dataset_size(ds);
    c.unit = qala_dataset_units(ds);
    c.ind = qala_dataset_indicators(ds);
    c.per = qala_dataset_periods(ds);
    c.val = qala_dataset_values(ds);
    c.flag = qala_dataset_flags(ds);
    size_t nunits = qala_dataset_unit_count(ds), ninds = qala_dataset_indicator_count(ds);
    c.res = qala_mem__calloc(1, sizeof *c.res);
    c.ind_fw = qala_mem__malloc((ninds ? ninds : 1) * sizeof *c.ind_fw);
    c.unit_reg = qala_mem__malloc((nunits ? nunits : 1) * sizeof *c.unit_reg);
    if (!c.res || !c.ind_fw || !c.unit_reg) {
        st = qala_err__set(QALA_ENOMEM, "out of memory checking the data");
        goto done;
    }
    for (size_t i = 0; i < ninds; i++)
        if (qala_framework_find(fw, qala_dataset_indicator_code(ds, (uint32_t)i), &c.ind_fw[i]) != QALA_OK)
            c.ind_fw[i] = SIZE_MAX;
    for (size_t i = 0; i < nunits; i++)
        if (qala_registry_find(reg, qala_dataset_unit_code(ds, (uint32_t)i), &c.unit_reg[i]) != QALA_OK)
            c.unit_reg[i] = SIZE_MAX;
    unsigned rules = o->rules ? o->rules : (1u << QALA_CHECK_RULE_COUNT) - 1;
    if (rules & (1u << QALA_CHECK_RANGE))
        check_ranges(&c);
    for (size_t k = 0; (rules & (1u << QALA_CHECK_IDENTITY)) && k < qala_identities_count(ids); k++)
        check_identity(&c, qala_identities_get(ids, k));
    if (c.failed == QALA_OK && (rules & (1u << QALA_CHECK_JUMP)))
        st = qala_check__jumps(&c);
    if (st == QALA_OK && c.failed == QALA_OK && (rules & (1u << QALA_CHECK_PEER_OUTLIER)))
        st = qala_check__peer_outliers(&c);
    if (st == QALA_OK && c.failed == QALA_OK && (rules & (1u << QALA_CHECK_REPEATED)))
        st = qala_check__repeated(&c);
    if (st == QALA_OK && c.failed == QALA_OK && (rules & (1u << QALA_CHECK_BENFORD)))
        st = qala_check__benford(&c);
    if (st == QALA_OK && c.failed == QALA_OK && (rules & (1u << QALA_CHECK_MISSING_SERIES)))
        st = qala_check__missing_series(&c);
    if (st == QALA_OK && c.failed != QALA_OK)
        st = c.failed;
    if (st == QALA_OK) {
        if (c.res->n)
            qsort(c.res->items, c.res->n, sizeof *c.res->items, entry_cmp);
        *out = c.res;
        c.res = NULL;
    }
done:
    qala_check_result_free(c.res);
    qala_mem__free(c.ind_fw);
    qala_mem__free(c.unit_reg);
    return st;
}
