/* tests/unit/import/import_fixture.h — a small fictional registry and framework built in
 * code, and helpers to run an import and check its findings and observations.
 *
 * Everything here is synthetic (fictional places and indicators, made-up figures):
 *   TL     country  Testland / Тестландия / Тестленд
 *   TL-N   region   North Province / Северная область / Солтүстік облысы
 *                   (+ en alias "Northfield", shared with the city TL-NF: ambiguous)
 *   TL-TV  city     Testville / Тествиль / Тестқала (+ ru alias "Тестовка")
 *   TL-SP  city     Sampleton / Сэмплтон / Сэмплтон (+ a 70-byte en alias, LONG_ALIAS)
 *   TL-NF  city     Northfield / Нортфилд / Нортфилд
 * Indicators:
 *   unemployment_pct  %        0 .. 100       Unemployment rate / Уровень безработицы
 *   population        persons  >= 0           Population / Численность населения
 *   price_change      %        unbounded      Price change / Изменение цен
 *   deficit_index     points   <= 0           Deficit index / Индекс дефицита
 */
#ifndef QALA_TEST_IMPORT_FIXTURE_H
#define QALA_TEST_IMPORT_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qala/dataset.h"
#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/import.h"
#include "qala/registry.h"

/* Longer than the importer's previous-row cache slot (63 bytes). */
#define LONG_ALIAS "Sampleton Urban Settlement of the North Province of Testland, fictional"

/* The objects of one test (each Criterion test runs in its own process). */
static qala_registry *reg;
static qala_framework *fw;
static qala_dataset *ds;
static qala_findings *fnd;
static qala_import_stats stats;

static inline size_t fx_unit(const char *code, qala_unit_kind kind)
{
    qala_unit u = {code, kind, "", NAN, NAN, QALA_DATE_MIN, QALA_DATE_MAX, "test fixture"};
    size_t i;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &i), QALA_OK, "add unit %s", code);
    return i;
}

static inline void fx_name(size_t unit, qala_lang lang, const char *name, int official)
{
    qala_unit_name n = {unit, lang, name, QALA_DATE_MIN, QALA_DATE_MAX, official};
    cr_assert_eq(qala_registry_add_name(reg, &n), QALA_OK, "add name %s", name);
}

static inline void fx_parent(size_t unit, size_t parent)
{
    qala_unit_parent p = {unit, parent, QALA_DATE_MIN, QALA_DATE_MAX, "test fixture"};
    cr_assert_eq(qala_registry_add_parent(reg, &p), QALA_OK);
}

static inline void fx_indicator(const char *code, const char *unit, double min, double max,
                                const char *kk, const char *ru, const char *en)
{
    qala_indicator ind = {code, QALA_DOMAIN_LABOUR, 1, unit, 1, min, max, {kk, ru, en},
                          "fictional test indicator", "test fixture"};
    cr_assert_eq(qala_framework_add(fw, &ind, NULL), QALA_OK, "add indicator %s", code);
}

static inline void fx_build(void)
{
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    size_t tl = fx_unit("TL", QALA_UNIT_COUNTRY);
    fx_name(tl, QALA_LANG_EN, "Testland", 1);
    fx_name(tl, QALA_LANG_RU, "Тестландия", 1);
    fx_name(tl, QALA_LANG_KK, "Тестленд", 1);
    size_t n = fx_unit("TL-N", QALA_UNIT_REGION);
    fx_name(n, QALA_LANG_EN, "North Province", 1);
    fx_name(n, QALA_LANG_RU, "Северная область", 1);
    fx_name(n, QALA_LANG_KK, "Солтүстік облысы", 1);
    fx_name(n, QALA_LANG_EN, "Northfield", 0);
    size_t tv = fx_unit("TL-TV", QALA_UNIT_CITY);
    fx_name(tv, QALA_LANG_EN, "Testville", 1);
    fx_name(tv, QALA_LANG_RU, "Тествиль", 1);
    fx_name(tv, QALA_LANG_KK, "Тестқала", 1);
    fx_name(tv, QALA_LANG_RU, "Тестовка", 0);
    size_t sp = fx_unit("TL-SP", QALA_UNIT_CITY);
    fx_name(sp, QALA_LANG_EN, "Sampleton", 1);
    fx_name(sp, QALA_LANG_RU, "Сэмплтон", 1);
    fx_name(sp, QALA_LANG_KK, "Сэмплтон", 1);
    fx_name(sp, QALA_LANG_EN, LONG_ALIAS, 0);
    size_t nf = fx_unit("TL-NF", QALA_UNIT_CITY);
    fx_name(nf, QALA_LANG_EN, "Northfield", 1);
    fx_name(nf, QALA_LANG_RU, "Нортфилд", 1);
    fx_name(nf, QALA_LANG_KK, "Нортфилд", 1);
    fx_parent(n, tl);
    fx_parent(tv, n);
    fx_parent(sp, n);
    fx_parent(nf, n);

    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    fx_indicator("unemployment_pct", "%", 0, 100, "Жұмыссыздық деңгейі", "Уровень безработицы",
                 "Unemployment rate");
    fx_indicator("population", "persons", 0, INFINITY, "Халық саны", "Численность населения",
                 "Population");
    fx_indicator("price_change", "%", -INFINITY, INFINITY, "Бағаның өзгеруі", "Изменение цен",
                 "Price change");
    fx_indicator("deficit_index", "points", -INFINITY, 0, "Тапшылық индексі", "Индекс дефицита",
                 "Deficit index");

    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    cr_assert_eq(qala_findings_new(&fnd), QALA_OK);
    memset(&stats, 0, sizeof stats);
}

static inline void fx_free(void)
{
    qala_dataset_free(ds);
    qala_findings_free(fnd);
    qala_framework_free(fw);
    qala_registry_free(reg);
    ds = NULL;
    fnd = NULL;
    fw = NULL;
    reg = NULL;
}

/* Imports the NUL-terminated CSV text with the given options (NULL: defaults). */
static inline qala_status fx_import(const char *csv, const qala_import_options *opt)
{
    return qala_import_buffer(ds, fnd, &stats, csv, strlen(csv), "t.csv", reg, fw, opt);
}

/* Asserts finding i: severity, line, column, rule and the exact message. */
#define fx_expect(i, sev, ln, col, rul, msg)                                                   \
    do {                                                                                       \
        cr_assert_lt((size_t)(i), qala_findings_count(fnd), "finding %d: only %zu findings",   \
                     (int)(i), qala_findings_count(fnd));                                      \
        const qala_finding *f_ = qala_findings_get(fnd, (size_t)(i));                          \
        cr_expect_eq(f_->severity, (sev), "finding %d severity", (int)(i));                    \
        cr_expect_str_eq(f_->file, "t.csv");                                                   \
        cr_expect_eq(f_->line, (long)(ln), "finding %d line %ld, expected %ld", (int)(i),      \
                     f_->line, (long)(ln));                                                    \
        cr_expect_eq(f_->column, (long)(col), "finding %d column %ld, expected %ld", (int)(i), \
                     f_->column, (long)(col));                                                 \
        cr_expect_str_eq(f_->rule, (rul), "finding %d rule", (int)(i));                        \
        cr_expect_str_eq(f_->message, (msg), "finding %d message", (int)(i));                  \
    } while (0)

#define fx_expect_count(n)                                                                   \
    cr_assert_eq(qala_findings_count(fnd), (size_t)(n), "%zu findings, expected %zu%s%s",    \
                 qala_findings_count(fnd), (size_t)(n),                                      \
                 qala_findings_count(fnd) ? "; first: " : "",                                \
                 qala_findings_count(fnd) ? qala_findings_get(fnd, 0)->message : "")

/* Index of the observation (unit code, indicator code, period), or -1. Linear scan, so it
 * does not depend on the dataset being sorted. */
static inline long fx_find(const char *unit, const char *indicator, qala_period period)
{
    size_t n = qala_dataset_size(ds);
    const uint32_t *u = qala_dataset_units(ds), *ind = qala_dataset_indicators(ds);
    const qala_period *p = qala_dataset_periods(ds);
    for (size_t i = 0; i < n; i++)
        if (p[i] == period && strcmp(qala_dataset_unit_code(ds, u[i]), unit) == 0 &&
            strcmp(qala_dataset_indicator_code(ds, ind[i]), indicator) == 0)
            return (long)i;
    return -1;
}

/* Asserts that the observation exists with exactly this value (or NAN) and flag. */
#define fx_expect_obs(unit, ind, period, value, flag)                                          \
    do {                                                                                       \
        long i_ = fx_find((unit), (ind), (period));                                            \
        cr_assert_geq(i_, 0, "no observation %s, %s, %d", (unit), (ind), (int)(period));       \
        double v_ = qala_dataset_values(ds)[i_], want_ = (value);                              \
        if (isnan(want_))                                                                      \
            cr_expect(isnan(v_), "%s, %s, %d: %.17g, expected NAN", (unit), (ind),             \
                      (int)(period), v_);                                                      \
        else                                                                                   \
            cr_expect(v_ == want_, "%s, %s, %d: %.17g, expected %.17g", (unit), (ind),         \
                      (int)(period), v_, want_);                                               \
        cr_expect_eq(qala_dataset_flags(ds)[i_], (uint8_t)(flag), "%s, %s, %d: flag %d",       \
                     (unit), (ind), (int)(period), (int)qala_dataset_flags(ds)[i_]);           \
    } while (0)

/* The source line of an observation. */
static inline uint32_t fx_line_of(const char *unit, const char *ind, qala_period period)
{
    long i = fx_find(unit, ind, period);
    cr_assert_geq(i, 0, "no observation %s, %s, %d", unit, ind, (int)period);
    return qala_dataset_lines(ds)[i];
}

#endif
