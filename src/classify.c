/* src/classify.c — rule-based typology: which registry groups the data puts each city in,
 * beside the groups it officially belongs to (include/qala/classify.h, docs/classify.md).
 *
 * Place in the pipeline: rule files are read by src/classify_rules.c; this file evaluates
 * them on a sorted dataset for one period and reads official memberships from the
 * registry; the CLI (`qala classify`) prints both and the disagreements. The clustering
 * kernels are in src/classify_cluster.c.
 * Logic: a condition is yes, no, or no data (no observation of its indicator in the
 * period, or a suppressed one). A rule (its consecutive rows) is the AND of its
 * conditions in three-valued logic: no when any condition is no, yes when all are yes,
 * else no data. A group is the OR of its rules: yes when any rule is yes, no when all
 * are no, else no data. So a city without figures is never declared outside a group.
 * Invariants: rows are the registry's units of kind city in registry order; columns the
 * groups named by the rules in order of first use. Workload: tens of conditions × a few
 * hundred cities, one binary search of the dataset per (city, condition).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qala/classify.h"
#include "util/internal.h"

#define NO_ID UINT32_MAX

void qala_classify_result_free(qala_classify_result *r)
{
    if (!r)
        return;
    qala_mem__free(r->unit);
    qala_mem__free(r->group);
    qala_mem__free(r->official);
    qala_mem__free(r->data);
    qala_mem__free(r->held_start);
    qala_mem__free(r->held);
    qala_mem__free(r);
}

/* A period with a year in 1900..2100 whose text form reads back. */
static int period_valid(qala_period p)
{
    char buf[12];
    qala_period back;
    qala_period_format(buf, p);
    return qala_period_parse(&back, buf, strlen(buf)) == QALA_OK && back == p;
}

/* The dataset's indicator id of framework indicator i, or NO_ID. */
static uint32_t ds_indicator(const qala_dataset *ds, const qala_framework *fw, size_t i)
{
    const char *code = qala_framework_get(fw, i)->code;
    size_t n = qala_dataset_indicator_count(ds);
    for (size_t j = 0; j < n; j++)
        if (strcmp(qala_dataset_indicator_code(ds, (uint32_t)j), code) == 0)
            return (uint32_t)j;
    return NO_ID;
}

static qala_classify_state condition_state(const qala_dataset *ds, uint32_t unit, uint32_t ind,
                                           qala_period p, const qala_classify_condition *c)
{
    size_t at;
    if (unit == NO_ID || ind == NO_ID || qala_dataset_find(ds, unit, ind, p, &at) != QALA_OK)
        return QALA_CLASSIFY_NO_DATA;
    double x = qala_dataset_values(ds)[at];
    if (isnan(x))
        return QALA_CLASSIFY_NO_DATA;
    int yes = 0;
    switch (c->op) {
    case QALA_CLASSIFY_GE: yes = x >= c->value; break;
    case QALA_CLASSIFY_GT: yes = x > c->value; break;
    case QALA_CLASSIFY_LE: yes = x <= c->value; break;
    case QALA_CLASSIFY_LT: yes = x < c->value; break;
    case QALA_CLASSIFY_BETWEEN: yes = x >= c->value && x <= c->upper; break;
    }
    return yes ? QALA_CLASSIFY_YES : QALA_CLASSIFY_NO;
}

typedef struct work {
    uint32_t *ind;     /* per condition: dataset indicator id */
    size_t *gcol;      /* per condition: result column */
    uint32_t *dsunit;  /* per result row: dataset unit id */
    uint8_t *cstate;   /* per condition, for the current row */
} work;

static void free_work(work *w)
{
    qala_mem__free(w->ind);
    qala_mem__free(w->gcol);
    qala_mem__free(w->dsunit);
    qala_mem__free(w->cstate);
}

static qala_status check_args(const qala_classify_rules *rules, const qala_framework *fw,
                              const qala_registry *reg, qala_period p)
{
    if (!period_valid(p))
        return qala_err__set(QALA_EINVAL, "period %d: expected a period of years 1900..2100", (int)p);
    size_t nc = qala_classify_rules_count(rules), g;
    for (size_t i = 0; i < nc; i++) {
        const qala_classify_condition *c = qala_classify_rules_get(rules, i);
        if (c->indicator >= qala_framework_count(fw) || (unsigned)c->op > QALA_CLASSIFY_BETWEEN)
            return qala_err__set(QALA_EINVAL, "rule \"%s\": indicator %zu is not in the framework "
                                 "(rules loaded against another framework?)", c->rule, c->indicator);
        if (qala_registry_find_group(reg, c->group, &g) != QALA_OK)
            return qala_err__set(QALA_EINVAL, "rule \"%s\": group \"%s\" is not in the registry",
                                 c->rule, c->group);
    }
    return QALA_OK;
}

/* Rows, columns and lookups. */
static qala_status prepare(qala_classify_result *r, work *w, const qala_dataset *ds,
                           const qala_classify_rules *rules, const qala_framework *fw,
                           const qala_registry *reg)
{
    size_t nc = qala_classify_rules_count(rules), nreg = qala_registry_unit_count(reg);
    w->ind = qala_mem__malloc((nc + 1) * sizeof *w->ind);
    w->gcol = qala_mem__malloc((nc + 1) * sizeof *w->gcol);
    w->cstate = qala_mem__malloc(nc + 1);
    r->group = qala_mem__malloc((nc + 1) * sizeof *r->group);
    r->unit = qala_mem__malloc((nreg + 1) * sizeof *r->unit);
    w->dsunit = qala_mem__malloc((nreg + 1) * sizeof *w->dsunit);
    if (!w->ind || !w->gcol || !w->cstate || !r->group || !r->unit || !w->dsunit)
        return qala_err__set(QALA_ENOMEM, "out of memory evaluating typology rules");
    for (size_t i = 0; i < nc; i++) {
        const qala_classify_condition *c = qala_classify_rules_get(rules, i);
        size_t g = 0;
        qala_registry_find_group(reg, c->group, &g); /* checked in check_args */
        size_t col = 0;
        while (col < r->ngroups && r->group[col] != g)
            col++;
        if (col == r->ngroups)
            r->group[r->ngroups++] = g;
        w->gcol[i] = col;
        w->ind[i] = ds_indicator(ds, fw, c->indicator);
    }
    for (size_t u = 0; u < nreg; u++)
        if (qala_registry_unit(reg, u)->kind == QALA_UNIT_CITY) {
            w->dsunit[r->nunits] = NO_ID;
            r->unit[r->nunits++] = u;
        }
    size_t nds = qala_dataset_unit_count(ds);
    for (size_t j = 0; j < nds; j++) {
        size_t u;
        if (qala_registry_find(reg, qala_dataset_unit_code(ds, (uint32_t)j), &u) != QALA_OK)
            continue;
        for (size_t row = 0; row < r->nunits; row++) /* O(cities²) at worst: small */
            if (r->unit[row] == u && w->dsunit[row] == NO_ID)
                w->dsunit[row] = (uint32_t)j;
    }
    size_t cells = r->nunits * (r->ngroups ? r->ngroups : 1);
    r->official = qala_mem__calloc(cells + 1, 1);
    r->data = qala_mem__calloc(cells + 1, 1);
    r->held_start = qala_mem__malloc((r->nunits + 1) * sizeof *r->held_start);
    r->held = qala_mem__malloc((r->nunits * nc + 1) * sizeof *r->held);
    if (!r->official || !r->data || !r->held_start || !r->held)
        return qala_err__set(QALA_ENOMEM, "out of memory for the typology of %zu cities", r->nunits);
    return QALA_OK;
}

/* Three-valued AND over a rule's conditions [a, b). */
static qala_classify_state rule_state(const uint8_t *cstate, size_t a, size_t b)
{
    int unknown = 0;
    for (size_t i = a; i < b; i++) {
        if (cstate[i] == QALA_CLASSIFY_NO)
            return QALA_CLASSIFY_NO;
        unknown |= cstate[i] == QALA_CLASSIFY_NO_DATA;
    }
    return unknown ? QALA_CLASSIFY_NO_DATA : QALA_CLASSIFY_YES;
}

qala_status qala_classify_evaluate(qala_classify_result **out, const qala_dataset *ds,
                                   const qala_classify_rules *rules, const qala_framework *fw,
                                   const qala_registry *reg, qala_period p, qala_date at)
{
    if (out)
        *out = NULL;
    if (!out || !ds || !rules || !fw || !reg)
        return qala_err__set(QALA_EINVAL, "typology: expected a result pointer, a dataset, rules, a "
                             "framework and a registry (got NULL)");
    qala_status st = check_args(rules, fw, reg, p);
    if (st != QALA_OK)
        return st;
    if (qala_dataset_unit_count(ds) >= NO_ID)
        return qala_err__set(QALA_EINVAL, "typology: too many units in the dataset");
    if (!at)
        at = qala_period_start(p);
    qala_classify_result *r = qala_mem__calloc(1, sizeof *r);
    work w = {0};
    if (!r)
        return qala_err__set(QALA_ENOMEM, "out of memory for the typology result");
    if ((st = prepare(r, &w, ds, rules, fw, reg)) != QALA_OK)
        goto done;
    size_t nc = qala_classify_rules_count(rules), ng = r->ngroups, nh = 0;
    for (size_t row = 0; row < r->nunits; row++) {
        uint8_t *data = r->data + row * ng;
        for (size_t c = 0; c < ng; c++) {
            r->official[row * ng + c] =
                (uint8_t)qala_registry_in_group_at(reg, r->group[c], r->unit[row], at);
            data[c] = QALA_CLASSIFY_NO; /* an OR of no rules yet; any rule changes it below */
        }
        for (size_t i = 0; i < nc; i++)
            w.cstate[i] = (uint8_t)condition_state(ds, w.dsunit[row], w.ind[i], p,
                                                   qala_classify_rules_get(rules, i));
        /* per rule: AND; then OR into its group's column (yes beats no data beats no) */
        r->held_start[row] = nh;
        for (size_t a = 0; a < nc;) {
            const char *id = qala_classify_rules_get(rules, a)->rule;
            size_t b = a + 1;
            while (b < nc && strcmp(qala_classify_rules_get(rules, b)->rule, id) == 0)
                b++;
            qala_classify_state s = rule_state(w.cstate, a, b);
            uint8_t *cell = &data[w.gcol[a]];
            if (s == QALA_CLASSIFY_YES) {
                *cell = QALA_CLASSIFY_YES;
                for (size_t i = a; i < b; i++)
                    r->held[nh++] = (uint32_t)i;
            } else if (s == QALA_CLASSIFY_NO_DATA && *cell == QALA_CLASSIFY_NO) {
                *cell = QALA_CLASSIFY_NO_DATA;
            }
            a = b;
        }
    }
    r->held_start[r->nunits] = nh;
done:
    free_work(&w);
    if (st != QALA_OK) {
        qala_classify_result_free(r);
        return st;
    }
    *out = r;
    return QALA_OK;
}

/* ---- the default period ---------------------------------------------------------- */

typedef struct pu {
    qala_period p;
    uint32_t unit;
} pu;

static int cmp_pu(const void *a, const void *b)
{
    const pu *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

qala_status qala_classify_rules_default_period(qala_period *out, const qala_dataset *ds,
                                               const qala_classify_rules *rules,
                                               const qala_framework *fw)
{
    assert(out && ds && rules && fw);
    *out = 0;
    size_t nind = qala_dataset_indicator_count(ds), nobs = qala_dataset_size(ds);
    uint8_t *used = qala_mem__calloc(nind + 1, 1);
    pu *v = qala_mem__malloc((nobs + 1) * sizeof *v);
    if (!used || !v) {
        qala_mem__free(used);
        qala_mem__free(v);
        return qala_err__set(QALA_ENOMEM, "out of memory choosing the period");
    }
    for (size_t i = 0; i < qala_classify_rules_count(rules); i++) {
        const qala_classify_condition *c = qala_classify_rules_get(rules, i);
        if (c->indicator >= qala_framework_count(fw))
            continue;
        uint32_t id = ds_indicator(ds, fw, c->indicator);
        if (id != NO_ID)
            used[id] = 1;
    }
    size_t m = 0;
    const uint32_t *units = qala_dataset_units(ds), *inds = qala_dataset_indicators(ds);
    const qala_period *periods = qala_dataset_periods(ds);
    const double *values = qala_dataset_values(ds);
    for (size_t i = 0; i < nobs; i++)
        if (used[inds[i]] && !isnan(values[i]))
            v[m++] = (pu){periods[i], units[i]};
    qsort(v, m, sizeof *v, cmp_pu);
    size_t best = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m;) {
            size_t j = i, count = 0;
            while (j < m && v[j].p == v[i].p) {
                count += j == i || v[j].unit != v[j - 1].unit;
                j++;
            }
            if (pass == 0 && count > best)
                best = count;
            if (pass == 1 && 2 * count >= best)
                *out = v[i].p; /* ascending: the last one kept is the latest */
            i = j;
        }
    }
    qala_mem__free(used);
    qala_mem__free(v);
    if (!*out)
        return qala_err__set(QALA_ENOTFOUND, "no observation of the rules' indicators");
    return QALA_OK;
}
