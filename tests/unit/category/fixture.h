/* A small fictional world for the category tests (every name is made up):
 * Testland (TL, the country), the cities Testville (TV, in group "mono" since 2015),
 * Sampleton (SP, in "mono" since 2021-01-01), Fakeburg (FB) and Mocktown (MT), both in
 * no group; groups "mono" (Monocities) and "agglo" (Agglomerations, no members). Units
 * with other codes (X1, X2, ...) are not in the registry. Framework: CFE (employment at
 * the city-forming enterprise, %), UNR (registered unemployment / national), LAY (planned
 * layoffs, %), POP (population), INC (income). Yearly periods. */
#ifndef TEST_CATEGORY_FIXTURE_H
#define TEST_CATEGORY_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/category.h"
#include "threshold_internal.h" /* qala_thresholds__append */

#define Y(y) ((qala_period)((y) * 100))
#define NO_ROW ((size_t)-1)

/* Header of every rule file of the tests; columns 1 id, 2 kind, 3 subject, 4 indicator,
 * 5 transform, 6 k, 7 denominator, 8 scale, 9 group, 10 set, 11 operator, 12 value,
 * 13 description, 14 source, 15 confidence. */
#define HEADER                                                                             \
    "id,kind,subject,indicator,transform,k,denominator,scale,group,set,operator,value,"   \
    "description,source,confidence\n"

/* Rows of a rule file: an indicator condition, one with a transform and k, a group
 * (eligibility) and a breach count. Description "d", source "s". */
#define IND(id, kind, ind, op, val) id "," kind ",indicator," ind ",,,,,,," op "," val ",d,s,assumption\n"
#define TRF(id, kind, ind, tr, k, op, val) \
    id "," kind ",indicator," ind "," tr "," k ",,,,," op "," val ",d,s,assumption\n"
#define GRP(id, group) id ",eligibility,group,,,,,," group ",,,,d,s,rule\n"
#define BRE(id, kind, subject, set, op, val) \
    id "," kind "," subject ",,,,,,," set "," op "," val ",d,s,assumption\n"

typedef struct cx {
    qala_framework *fw;
    qala_registry *reg;
    qala_dataset *ds;
    qala_thresholds *ths;
    qala_category_rules *rules;
    qala_findings *found;
    qala_category_result *r;
} cx;

static inline void cx_unit(qala_registry *reg, const char *code, qala_unit_kind kind)
{
    qala_unit u = {.code = code, .kind = kind, .kato = "", .lat = NAN, .lon = NAN,
                   .valid_from = QALA_DATE_MIN, .valid_to = QALA_DATE_MAX, .source = "test"};
    size_t idx;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &idx), QALA_OK, "unit %s", code);
}

static inline void cx_member(qala_registry *reg, const char *group, const char *unit, qala_date from)
{
    size_t g, u;
    cr_assert_eq(qala_registry_find_group(reg, group, &g), QALA_OK);
    cr_assert_eq(qala_registry_find(reg, unit, &u), QALA_OK);
    qala_membership m = {.group = g, .unit = u, .valid_from = from, .valid_to = QALA_DATE_MAX,
                         .source = "test"};
    cr_assert_eq(qala_registry_add_membership(reg, &m), QALA_OK);
}

static inline void cx_indicator(qala_framework *fw, const char *code, int direction)
{
    qala_indicator ind = {.code = code, .domain = QALA_DOMAIN_INCOMES, .direction = direction,
                          .unit = "", .decimals = 1, .min = -INFINITY, .max = INFINITY,
                          .name = {code, code, code}, .description = "", .source = "test"};
    size_t idx;
    cr_assert_eq(qala_framework_add(fw, &ind, &idx), QALA_OK);
}

static inline void cx_init(cx *c)
{
    memset(c, 0, sizeof *c);
    cr_assert_eq(qala_framework_new(&c->fw), QALA_OK);
    cx_indicator(c->fw, "CFE", -1);
    cx_indicator(c->fw, "UNR", -1);
    cx_indicator(c->fw, "LAY", -1);
    cx_indicator(c->fw, "POP", 1);
    cx_indicator(c->fw, "INC", 1);
    cr_assert_eq(qala_registry_new(&c->reg), QALA_OK);
    cx_unit(c->reg, "TL", QALA_UNIT_COUNTRY);
    cx_unit(c->reg, "TV", QALA_UNIT_CITY);
    cx_unit(c->reg, "SP", QALA_UNIT_CITY);
    cx_unit(c->reg, "FB", QALA_UNIT_CITY);
    cx_unit(c->reg, "MT", QALA_UNIT_CITY);
    size_t g;
    qala_group mono = {.code = "mono", .name = {"Моноқалалар", "Моногорода", "Monocities"},
                       .source = "test"};
    qala_group agglo = {.code = "agglo", .name = {"Агломерациялар", "Агломерации", "Agglomerations"},
                        .source = "test"};
    cr_assert_eq(qala_registry_add_group(c->reg, &mono, &g), QALA_OK);
    cr_assert_eq(qala_registry_add_group(c->reg, &agglo, &g), QALA_OK);
    cx_member(c->reg, "mono", "TV", 20150101);
    cx_member(c->reg, "mono", "SP", 20210101);
    cr_assert_eq(qala_dataset_new(&c->ds), QALA_OK);
    cr_assert_eq(qala_thresholds_new(&c->ths), QALA_OK);
    cr_assert_eq(qala_category_rules_new(&c->rules), QALA_OK);
    cr_assert_eq(qala_findings_new(&c->found), QALA_OK);
}

static inline void cx_free(cx *c)
{
    qala_category_result_free(c->r);
    qala_findings_free(c->found);
    qala_category_rules_free(c->rules);
    qala_thresholds_free(c->ths);
    qala_dataset_free(c->ds);
    qala_registry_free(c->reg);
    qala_framework_free(c->fw);
}

static inline void cx_obs(cx *c, const char *unit, const char *ind, qala_period p, double v)
{
    uint32_t u, i;
    cr_assert_eq(qala_dataset_intern_unit(c->ds, unit, &u), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(c->ds, ind, &i), QALA_OK);
    cr_assert_eq(qala_dataset_append(c->ds, u, i, p, v, QALA_FLAG_NONE, 0), QALA_OK);
}

static inline qala_status cx_load(cx *c, const char *csv)
{
    return qala_category_rules_load_csv(c->rules, csv, strlen(csv), "rules.csv", c->fw, c->reg,
                                        c->found);
}

/* Loads HEADER + rows, which must be valid (no finding at all). */
static inline void cx_rules(cx *c, const char *rows)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", HEADER, rows);
    qala_status st = cx_load(c, buf);
    const qala_finding *f = qala_findings_get(c->found, 0);
    cr_assert_eq(st, QALA_OK, "load: %s (%s)", qala_error_last()->message, f ? f->message : "");
    cr_assert_eq(qala_findings_count(c->found), 0, "%s", f ? f->message : "");
}

/* A threshold of set `set` for every unit, inclusive. */
static inline void cx_threshold(cx *c, const char *set, size_t ind, qala_bad_side side,
                                double warning, double crisis)
{
    qala_threshold th = {.set = set, .indicator = ind, .transform = QALA_TRANSFORM_LEVEL, .k = 1,
                         .denominator = SIZE_MAX, .scale = 1, .group_basis = "", .side = side,
                         .warning = warning, .crisis = crisis, .warning_high = NAN,
                         .crisis_high = NAN, .inclusive = 1, .valid_from = QALA_DATE_MIN,
                         .valid_to = QALA_DATE_MAX, .source = "test", .justification = "test",
                         .confidence = QALA_CONFIDENCE_ASSUMPTION};
    cr_assert_eq(qala_thresholds__append(c->ths, &th, "test"), QALA_OK);
}

static inline qala_status cx_run(cx *c, qala_period p)
{
    qala_category_result_free(c->r);
    c->r = NULL;
    cr_assert_eq(qala_dataset_sort(c->ds), QALA_OK);
    return qala_category_evaluate(&c->r, c->ds, c->rules, c->ths, c->fw, c->reg, p);
}

static inline void cx_run_ok(cx *c, qala_period p)
{
    qala_status st = cx_run(c, p);
    cr_assert_eq(st, QALA_OK, "evaluate: %s", qala_error_last()->message);
    cr_assert_not_null(c->r);
}

/* The result row of the unit with this code, or NO_ROW. */
static inline size_t cx_row(const cx *c, const char *unit)
{
    for (size_t i = 0; i < c->r->n; i++)
        if (strcmp(qala_dataset_unit_code(c->ds, c->r->unit[i]), unit) == 0)
            return i;
    return NO_ROW;
}

/* The ids of the rules that fired for the unit, joined by ','. */
static inline const char *cx_fired(const cx *c, const char *unit, char *buf, size_t size)
{
    size_t i = cx_row(c, unit), o = 0;
    cr_assert_neq(i, NO_ROW, "no row for %s", unit);
    buf[0] = '\0';
    for (size_t j = c->r->fired_start[i]; j < c->r->fired_start[i + 1]; j++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "," : "",
                              qala_category_rules_get(c->rules, c->r->fired[j])->id);
    return buf;
}

/* Category, evaluated count and fired ids of a unit, all at once. */
#define expect_unit(c, unit, cat, nevaluated, fired_ids)                                  \
    do {                                                                                   \
        char fbuf_[512];                                                                   \
        size_t row_ = cx_row((c), (unit));                                                 \
        cr_assert_neq(row_, NO_ROW, "no row for %s", (unit));                              \
        cr_expect_eq((c)->r->category[row_], (cat), "%s: category %d, expected %d", (unit), \
                     (int)(c)->r->category[row_], (int)(cat));                             \
        cr_expect_eq((c)->r->evaluated[row_], (nevaluated), "%s: evaluated %d, expected %d", \
                     (unit), (int)(c)->r->evaluated[row_], (int)(nevaluated));             \
        cr_expect_str_eq(cx_fired((c), (unit), fbuf_, sizeof fbuf_), (fired_ids), "%s",    \
                         (unit));                                                          \
    } while (0)

#endif
