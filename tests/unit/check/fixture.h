/* A small fictional world for the check tests (every name is made up): the country TL,
 * eight regions R1..R8 (children of TL, so first-level peers) and units outside the
 * registry (A1, A2, ...). Framework: POP (persons: a whole-number count, min 0), RATE
 * (%, 0..100), M and F (persons). Each test fills a dataset with values whose findings
 * are known by construction. */
#ifndef TEST_CHECK_FIXTURE_H
#define TEST_CHECK_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/check.h"

#define Y(y) ((qala_period)((y) * 100))

typedef struct fx {
    qala_framework *fw;
    qala_registry *reg;
    qala_dataset *ds;
    qala_identities *ids;
    qala_check_result *r;
    qala_check_options opt;
} fx;

static inline void fx_indicator(qala_framework *fw, const char *code, const char *unit, int decimals,
                                double min, double max)
{
    qala_indicator ind = {.code = code, .domain = QALA_DOMAIN_DEMOGRAPHY, .direction = 1,
                          .unit = unit, .decimals = decimals, .min = min, .max = max,
                          .name = {code, code, code}, .description = "", .source = "test"};
    size_t idx;
    cr_assert_eq(qala_framework_add(fw, &ind, &idx), QALA_OK);
}

static inline void fx_unit(qala_registry *reg, const char *code, qala_unit_kind kind, const char *parent)
{
    qala_unit u = {.code = code, .kind = kind, .kato = "", .lat = NAN, .lon = NAN,
                   .valid_from = QALA_DATE_MIN, .valid_to = QALA_DATE_MAX, .source = "test"};
    size_t idx, p;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &idx), QALA_OK, "unit %s", code);
    if (parent) {
        cr_assert_eq(qala_registry_find(reg, parent, &p), QALA_OK);
        qala_unit_parent up = {.unit = idx, .parent = p, .valid_from = QALA_DATE_MIN,
                               .valid_to = QALA_DATE_MAX, .source = "test"};
        cr_assert_eq(qala_registry_add_parent(reg, &up), QALA_OK);
    }
}

static inline void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    f->opt = (qala_check_options)QALA_CHECK_OPTIONS_INIT;
    cr_assert_eq(qala_framework_new(&f->fw), QALA_OK);
    fx_indicator(f->fw, "POP", "persons", 0, 0, INFINITY);
    fx_indicator(f->fw, "RATE", "%", 1, 0, 100);
    fx_indicator(f->fw, "M", "persons", 0, 0, INFINITY);
    fx_indicator(f->fw, "F", "persons", 0, 0, INFINITY);
    cr_assert_eq(qala_registry_new(&f->reg), QALA_OK);
    fx_unit(f->reg, "TL", QALA_UNIT_COUNTRY, NULL);
    for (int i = 1; i <= 8; i++) {
        char code[8];
        snprintf(code, sizeof code, "R%d", i);
        fx_unit(f->reg, code, QALA_UNIT_REGION, "TL");
    }
    cr_assert_eq(qala_dataset_new(&f->ds), QALA_OK);
    cr_assert_eq(qala_identities_new(&f->ids), QALA_OK);
}

static inline void fx_add(fx *f, const char *unit, const char *ind, qala_period p, double v)
{
    uint32_t u, i;
    cr_assert_eq(qala_dataset_intern_unit(f->ds, unit, &u), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(f->ds, ind, &i), QALA_OK);
    cr_assert_eq(qala_dataset_append(f->ds, u, i, p, v, isnan(v) ? QALA_FLAG_CONFIDENTIAL : QALA_FLAG_NONE, 0),
                 QALA_OK);
}

static inline void fx_flag_last(fx *f, qala_flag flag)
{
    /* re-append the last observation with a flag */
    size_t n = qala_dataset_size(f->ds);
    uint32_t u = qala_dataset_units(f->ds)[n - 1], i = qala_dataset_indicators(f->ds)[n - 1];
    qala_period p = qala_dataset_periods(f->ds)[n - 1];
    double v = qala_dataset_values(f->ds)[n - 1];
    qala_dataset_truncate(f->ds, n - 1);
    cr_assert_eq(qala_dataset_append(f->ds, u, i, p, v, flag, 0), QALA_OK);
}

/* Runs the rules in mask (0: all) and keeps the result. */
static inline void fx_run(fx *f, unsigned mask)
{
    f->opt.rules = mask;
    cr_assert_eq(qala_dataset_sort(f->ds), QALA_OK);
    qala_check_result_free(f->r);
    f->r = NULL;
    qala_status st = qala_check_run(&f->r, f->ds, f->fw, f->reg, f->ids, &f->opt);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
}

/* The findings of rule `rule`, as "UNIT/IND/PERIOD" joined by spaces. */
static inline const char *fx_list(const fx *f, qala_check_rule rule)
{
    static char buf[4096];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < qala_check_count(f->r); i++) {
        const qala_check_finding *x = qala_check_get(f->r, i);
        if (x->rule != rule)
            continue;
        char p[12] = "0";
        if (x->period)
            qala_period_format(p, x->period);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s/%s/%s", o ? " " : "", x->unit, x->indicator, p);
    }
    return buf;
}

static inline const qala_check_finding *fx_first(const fx *f, qala_check_rule rule)
{
    for (size_t i = 0; i < qala_check_count(f->r); i++)
        if (qala_check_get(f->r, i)->rule == rule)
            return qala_check_get(f->r, i);
    return NULL;
}

static inline void fx_free(fx *f)
{
    qala_check_result_free(f->r);
    qala_identities_free(f->ids);
    qala_dataset_free(f->ds);
    qala_registry_free(f->reg);
    qala_framework_free(f->fw);
}

#endif
