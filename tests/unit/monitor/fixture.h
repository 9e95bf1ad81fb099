/* A small fictional world for the monitor tests (every name is made up):
 * Testland (TL, the country), North Province (NP, a region), the cities Testville (TV,
 * a monocity since 2015), Sampleton (SP, a monocity since 2019-01-01), Fakeburg (FB, a
 * monocity all along) and Mocktown (MT, in no group); groups "mono" (Monocities) and
 * "agglo" (Agglomerations, no members). Framework: INC (income, higher is better), UNEMP
 * (unemployment rate, lower is better), POP (population). Units with other codes (A1,
 * A2, ...) are not in the registry, so in no group. */
#ifndef TEST_MONITOR_FIXTURE_H
#define TEST_MONITOR_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "qala/monitor.h"
#include "threshold_internal.h" /* qala_thresholds__append */

enum { I_INC = 0, I_UNEMP = 1, I_POP = 2 };
#define Y(y) ((qala_period)((y) * 100))
#define NONE_ROW ((size_t)-1)

typedef struct fx {
    qala_framework *fw;
    qala_registry *reg;
    qala_dataset *ds;
    qala_thresholds *ths;
    qala_monitor_result *r;
    qala_monitor_options opt;
} fx;

static const char *const fx_mono[] = {"mono"};
static const char *const fx_agglo[] = {"agglo"};

static inline void fx_unit(qala_registry *reg, const char *code, qala_unit_kind kind)
{
    qala_unit u = {.code = code, .kind = kind, .kato = "", .lat = NAN, .lon = NAN,
                   .valid_from = QALA_DATE_MIN, .valid_to = QALA_DATE_MAX, .source = "test"};
    size_t idx;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &idx), QALA_OK, "unit %s", code);
}

static inline void fx_member(qala_registry *reg, const char *group, const char *unit, qala_date from)
{
    size_t g, u;
    cr_assert_eq(qala_registry_find_group(reg, group, &g), QALA_OK);
    cr_assert_eq(qala_registry_find(reg, unit, &u), QALA_OK);
    qala_membership m = {.group = g, .unit = u, .valid_from = from, .valid_to = QALA_DATE_MAX,
                         .source = "test"};
    cr_assert_eq(qala_registry_add_membership(reg, &m), QALA_OK);
}

static inline void fx_indicator(qala_framework *fw, const char *code, int direction)
{
    qala_indicator ind = {.code = code, .domain = QALA_DOMAIN_INCOMES, .direction = direction,
                          .unit = "", .decimals = 1, .min = -INFINITY, .max = INFINITY,
                          .name = {code, code, code}, .description = "", .source = "test"};
    size_t idx;
    cr_assert_eq(qala_framework_add(fw, &ind, &idx), QALA_OK);
}

static inline void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    f->opt = (qala_monitor_options)QALA_MONITOR_OPTIONS_INIT;
    cr_assert_eq(qala_framework_new(&f->fw), QALA_OK);
    fx_indicator(f->fw, "INC", 1);
    fx_indicator(f->fw, "UNEMP", -1);
    fx_indicator(f->fw, "POP", 1);
    cr_assert_eq(qala_registry_new(&f->reg), QALA_OK);
    fx_unit(f->reg, "TL", QALA_UNIT_COUNTRY);
    fx_unit(f->reg, "NP", QALA_UNIT_REGION);
    fx_unit(f->reg, "TV", QALA_UNIT_CITY);
    fx_unit(f->reg, "SP", QALA_UNIT_CITY);
    fx_unit(f->reg, "FB", QALA_UNIT_CITY);
    fx_unit(f->reg, "MT", QALA_UNIT_CITY);
    size_t g;
    qala_group mono = {.code = "mono", .name = {"Моноқалалар", "Моногорода", "Monocities"}, .source = "test"};
    qala_group agglo = {.code = "agglo", .name = {"Агломерациялар", "Агломерации", "Agglomerations"},
                        .source = "test"};
    cr_assert_eq(qala_registry_add_group(f->reg, &mono, &g), QALA_OK);
    cr_assert_eq(qala_registry_add_group(f->reg, &agglo, &g), QALA_OK);
    fx_member(f->reg, "mono", "TV", 20150101);
    fx_member(f->reg, "mono", "SP", 20190101);
    fx_member(f->reg, "mono", "FB", QALA_DATE_MIN);
    cr_assert_eq(qala_dataset_new(&f->ds), QALA_OK);
    cr_assert_eq(qala_thresholds_new(&f->ths), QALA_OK);
}

static inline void fx_free(fx *f)
{
    qala_monitor_result_free(f->r);
    qala_thresholds_free(f->ths);
    qala_dataset_free(f->ds);
    qala_registry_free(f->reg);
    qala_framework_free(f->fw);
}

static inline void fx_obs(fx *f, const char *unit, const char *ind, qala_period p, double v)
{
    uint32_t u, i;
    cr_assert_eq(qala_dataset_intern_unit(f->ds, unit, &u), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(f->ds, ind, &i), QALA_OK);
    cr_assert_eq(qala_dataset_append(f->ds, u, i, p, v, QALA_FLAG_NONE, 0), QALA_OK);
}

/* Yearly values from year `first` on; NAN leaves the year out (missing). */
static inline void fx_years(fx *f, const char *unit, const char *ind, int first, size_t n, const double *v)
{
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            fx_obs(f, unit, ind, Y(first + (int)i), v[i]);
}

/* A threshold for every unit and time; boundaries as given, inclusive. */
static inline qala_threshold fx_th(size_t ind, qala_transform tr, int k, qala_bad_side side,
                            double warning, double crisis)
{
    qala_threshold th = {.set = "test", .indicator = ind, .transform = tr, .k = k, .scale = 1,
                         .group_basis = "", .side = side, .warning = warning, .crisis = crisis,
                         .inclusive = 1, .valid_from = QALA_DATE_MIN, .valid_to = QALA_DATE_MAX,
                         .source = "test", .justification = "test",
                         .confidence = QALA_CONFIDENCE_ASSUMPTION};
    return th;
}

/* Boundaries far away: every value is normal (for checking transformed values). */
static inline qala_threshold fx_th_any(size_t ind, qala_transform tr, int k)
{
    return fx_th(ind, tr, k, QALA_BAD_HIGH, 1e12, 1e13);
}

static inline uint32_t fx_add(fx *f, const qala_threshold *th)
{
    uint32_t i = (uint32_t)qala_thresholds_count(f->ths);
    cr_assert_eq(qala_thresholds__append(f->ths, th, "test"), QALA_OK);
    return i;
}

static inline qala_status fx_run(fx *f)
{
    qala_monitor_result_free(f->r);
    f->r = NULL;
    cr_assert_eq(qala_dataset_sort(f->ds), QALA_OK);
    return qala_monitor_evaluate(&f->r, f->ds, f->ths, f->fw, f->reg, &f->opt);
}

static inline void fx_run_ok(fx *f)
{
    qala_status st = fx_run(f);
    cr_assert_eq(st, QALA_OK, "evaluate: %s", qala_error_last()->message);
    cr_assert_not_null(f->r);
}

/* The row of (unit code, threshold, period), or NONE_ROW. */
static inline size_t fx_row(const fx *f, const char *unit, uint32_t th, qala_period p)
{
    for (size_t i = 0; i < f->r->n; i++)
        if (f->r->threshold[i] == th && f->r->period[i] == p &&
            strcmp(qala_dataset_unit_code(f->ds, f->r->unit[i]), unit) == 0)
            return i;
    return NONE_ROW;
}

static inline size_t fx_row_ok(const fx *f, const char *unit, uint32_t th, qala_period p)
{
    size_t i = fx_row(f, unit, th, p);
    cr_assert_neq(i, NONE_ROW, "no row for %s, threshold %u, period %d", unit, th, (int)p);
    return i;
}

#define assert_near(a, b) cr_assert(fabs((a) - (b)) < 1e-9, "%.12g != %.12g", (double)(a), (double)(b))

#endif
