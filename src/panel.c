/* src/panel.c — one indicator as a units × periods panel with weights and groupings
 * (qala/panel.h): the common input of `qala inequality`, `convergence`, `trends` and
 * `compare` and of their library analyses (src/dynamics.c).
 *
 * Place in the pipeline: store → dataset → here → src/dynamics.c. One build per command
 * run (per indicator).
 *
 * Invariants: every array belongs to the panel; cells are period-major (p · nunits + u),
 * NAN where nothing was observed; alive[] says which cells exist at all (a unit created
 * or abolished inside the range is absent, not missing, elsewhere). Unit codes point into
 * the registry's strings copied once into one block.
 *
 * Workload: the units are chosen in O(registry units · groups); the observations are read
 * in one pass (a period's index is found by binary search, a unit's through a table of
 * dataset unit id → panel unit built once).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qala/panel.h"
#include "util/internal.h"

#define MAX_PERIODS 10000
#define NONE SIZE_MAX

static const char *const units_codes[] = {"first-level", "region", "city", "all"};

const char *qala_panel_units_code(qala_panel_units units)
{
    return (unsigned)units < 4 ? units_codes[units] : "?";
}

qala_status qala_panel_units_parse(qala_panel_units *out, const char *text)
{
    for (int i = 0; i < 4; i++)
        if (text && strcmp(text, units_codes[i]) == 0) {
            *out = (qala_panel_units)i;
            return QALA_OK;
        }
    return qala_err__set(QALA_EINVAL, "unknown unit set '%s' (expected first-level, region, city or all)",
                         text ? text : "");
}

/* ---- dates and periods ----------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static qala_date last_day(qala_period p)
{
    int y = (int)(p / 100), sub = (int)(p % 100);
    int m = sub == 0 ? 12 : sub > 20 ? (sub - 20) * 3 : sub;
    return y * 10000 + m * 100 + days_in_month(y, m);
}

static qala_date day_before(qala_date d)
{
    int y = d / 10000, m = d / 100 % 100, day = d % 100;
    if (day > 1)
        return d - 1;
    if (m > 1)
        return y * 10000 + (m - 1) * 100 + days_in_month(y, m - 1);
    return (y - 1) * 10000 + 1231;
}

static qala_period next_period(qala_period p)
{
    int y = (int)(p / 100), sub = (int)(p % 100);
    if (sub == 0)
        return p + 100;
    if (sub > 20)
        return sub < 24 ? p + 1 : (y + 1) * 100 + 21;
    return sub < 12 ? p + 1 : (y + 1) * 100 + 1;
}

static size_t find_period(const qala_period *periods, size_t n, qala_period p)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (periods[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && periods[lo] == p ? lo : NONE;
}

size_t qala_panel_period_index(const qala_panel *panel, qala_period p)
{
    assert(panel);
    return find_period(panel->periods, panel->nperiods, p);
}

/* ---- choosing -------------------------------------------------------------------- */

static int find_code(const qala_dataset *ds, const char *code, int indicator, uint32_t *id)
{
    size_t n = indicator ? qala_dataset_indicator_count(ds) : qala_dataset_unit_count(ds);
    for (size_t i = 0; i < n; i++) {
        const char *c = indicator ? qala_dataset_indicator_code(ds, (uint32_t)i)
                                  : qala_dataset_unit_code(ds, (uint32_t)i);
        if (strcmp(c, code) == 0) {
            *id = (uint32_t)i;
            return 1;
        }
    }
    return 0;
}

/* The range of periods with an observation of the indicator for one of the registry
 * units wanted (of the frequency of the latest one). */
static void data_range(const qala_dataset *ds, uint32_t ind, const unsigned char *unit_ok,
                       qala_period *from, qala_period *to)
{
    size_t n = qala_dataset_size(ds);
    const uint32_t *di = qala_dataset_indicators(ds), *du = qala_dataset_units(ds);
    const qala_period *dp = qala_dataset_periods(ds);
    *from = *to = 0;
    for (size_t i = 0; i < n; i++)
        if (di[i] == ind && unit_ok[du[i]] && dp[i] > *to)
            *to = dp[i];
    for (size_t i = 0; i < n && *to; i++)
        if (di[i] == ind && unit_ok[du[i]] && qala_period_frequency(dp[i]) == qala_period_frequency(*to) &&
            (!*from || dp[i] < *from))
            *from = dp[i];
}

/* A date at which the unit is alive, as close to `at` as possible (for its parent). */
static qala_date probe_date(const qala_unit *unit, qala_date at)
{
    if (unit->valid_to <= at)
        return day_before(unit->valid_to);
    if (unit->valid_from > at)
        return unit->valid_from;
    return at;
}

static int of_kind(const qala_registry *reg, size_t u, qala_panel_units which, qala_date at)
{
    const qala_unit *unit = qala_registry_unit(reg, u);
    size_t r;
    switch (which) {
    case QALA_PANEL_FIRST_LEVEL:
        return unit->kind != QALA_UNIT_COUNTRY &&
               qala_registry_region_at(reg, u, probe_date(unit, at), &r) == QALA_OK && r == u;
    case QALA_PANEL_REGIONS: return unit->kind == QALA_UNIT_REGION;
    case QALA_PANEL_CITIES: return unit->kind == QALA_UNIT_CITY;
    default: return unit->kind != QALA_UNIT_COUNTRY;
    }
}

static int alive_during(const qala_unit *unit, qala_period p)
{
    qala_date start = qala_period_start(p), end = last_day(p);
    return unit->valid_from <= end && unit->valid_to > start;
}

typedef struct chooser {
    size_t *groups, ngroups, region;
    int has_region;
} chooser;

static qala_status resolve_filters(chooser *c, const qala_registry *reg, const qala_panel_options *opt)
{
    if (opt->ngroups) {
        c->groups = qala_mem__malloc(opt->ngroups * sizeof *c->groups);
        if (!c->groups)
            return qala_err__set(QALA_ENOMEM, "panel: out of memory");
        for (size_t i = 0; i < opt->ngroups; i++)
            if (qala_registry_find_group(reg, opt->groups[i], &c->groups[i]) != QALA_OK)
                return qala_err__set(QALA_ENOTFOUND, "unknown group '%s'", opt->groups[i]);
        c->ngroups = opt->ngroups;
    }
    if (opt->region) {
        if (qala_registry_find(reg, opt->region, &c->region) != QALA_OK)
            return qala_err__set(QALA_ENOTFOUND, "unknown region '%s'", opt->region);
        c->has_region = 1;
    }
    return QALA_OK;
}

static int passes_filters(const chooser *c, const qala_registry *reg, size_t u, qala_date at)
{
    if (c->ngroups) {
        int in = 0;
        for (size_t g = 0; g < c->ngroups && !in; g++)
            in = qala_registry_in_group_at(reg, c->groups[g], u, at);
        if (!in)
            return 0;
    }
    size_t r;
    if (c->has_region && (u == c->region || qala_registry_region_at(reg, u, at, &r) != QALA_OK || r != c->region))
        return 0;
    return 1;
}

/* ---- the build ------------------------------------------------------------------- */

void qala_panel_free(qala_panel *p)
{
    if (!p)
        return;
    qala_mem__free(p->unit_codes);
    qala_mem__free(p->reg_units);
    qala_mem__free(p->periods);
    qala_mem__free(p->values);
    qala_mem__free(p->weights);
    qala_mem__free(p->alive);
    qala_mem__free(p);
}

static qala_status check_periods(qala_period from, qala_period to, size_t *count)
{
    if ((from == 0) != (to == 0))
        return qala_err__set(QALA_EINVAL, "panel: give both periods of the range, or neither");
    if (from > to)
        return qala_err__set(QALA_EINVAL, "panel: the first period comes after the last");
    if (qala_period_frequency(from) != qala_period_frequency(to))
        return qala_err__set(QALA_EINVAL, "panel: the periods of the range differ in frequency");
    *count = 0;
    for (qala_period p = from; from && p <= to; p = next_period(p))
        if (++*count > MAX_PERIODS)
            return qala_err__set(QALA_EINVAL, "panel: more than %d periods", MAX_PERIODS);
    return QALA_OK;
}

/* Registry units of the chosen set that pass the filters: a flag per registry unit. */
static qala_status choose_units(unsigned char **out, const qala_registry *reg, const qala_panel_options *opt,
                                qala_date at)
{
    chooser c = {NULL, 0, 0, 0};
    size_t nreg = qala_registry_unit_count(reg);
    unsigned char *ok = qala_mem__calloc(nreg + 1, 1);
    qala_status st = ok ? resolve_filters(&c, reg, opt) : qala_err__set(QALA_ENOMEM, "panel: out of memory");
    for (size_t u = 0; st == QALA_OK && u < nreg; u++)
        ok[u] = (unsigned char)(of_kind(reg, u, opt->units, at) && passes_filters(&c, reg, u, at));
    qala_mem__free(c.groups);
    if (st != QALA_OK) {
        qala_mem__free(ok);
        ok = NULL;
    }
    *out = ok;
    return st;
}

/* Per dataset unit id: the registry unit when it is wanted, else NONE. */
static qala_status map_dataset_units(size_t **out, const qala_dataset *ds, const qala_registry *reg,
                                     const unsigned char *reg_ok, unsigned char **ds_ok)
{
    size_t n = qala_dataset_unit_count(ds);
    size_t *map = qala_mem__malloc((n + 1) * sizeof *map);
    unsigned char *ok = qala_mem__calloc(n + 1, 1);
    if (!map || !ok) {
        qala_mem__free(map);
        qala_mem__free(ok);
        return qala_err__set(QALA_ENOMEM, "panel: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        size_t r;
        map[i] = qala_registry_find(reg, qala_dataset_unit_code(ds, (uint32_t)i), &r) == QALA_OK && reg_ok[r] ? r : NONE;
        ok[i] = map[i] != NONE;
    }
    *out = map;
    *ds_ok = ok;
    return QALA_OK;
}

static qala_status allocate(qala_panel *p, size_t nreg_ok, size_t nperiods, int weights)
{
    size_t cells = nreg_ok * nperiods + 1;
    p->unit_codes = qala_mem__malloc((nreg_ok + 1) * sizeof *p->unit_codes);
    p->reg_units = qala_mem__malloc((nreg_ok + 1) * sizeof *p->reg_units);
    p->periods = qala_mem__malloc((nperiods + 1) * sizeof *p->periods);
    p->values = qala_mem__malloc(cells * sizeof *p->values);
    p->weights = weights ? qala_mem__malloc(cells * sizeof *p->weights) : NULL;
    p->alive = qala_mem__calloc(cells, 1);
    if (!p->unit_codes || !p->reg_units || !p->periods || !p->values || (weights && !p->weights) || !p->alive)
        return qala_err__set(QALA_ENOMEM, "panel: out of memory");
    for (size_t i = 0; i < cells; i++) {
        p->values[i] = NAN;
        if (p->weights)
            p->weights[i] = NAN;
    }
    return QALA_OK;
}

/* Fills values (or weights) of indicator `ind` from the observations. */
static void fill(qala_panel *p, double *cells, const qala_dataset *ds, uint32_t ind, const size_t *ds_to_panel)
{
    size_t n = qala_dataset_size(ds);
    const uint32_t *di = qala_dataset_indicators(ds), *du = qala_dataset_units(ds);
    const qala_period *dp = qala_dataset_periods(ds);
    const double *dv = qala_dataset_values(ds);
    for (size_t i = 0; i < n; i++) {
        if (di[i] != ind || ds_to_panel[du[i]] == NONE)
            continue;
        size_t k = find_period(p->periods, p->nperiods, dp[i]);
        if (k == NONE)
            continue;
        size_t cell = k * p->nunits + ds_to_panel[du[i]];
        if (p->alive[cell])
            cells[cell] = dv[i];
    }
}

qala_status qala_panel_build(qala_panel **out, const qala_dataset *ds, const qala_registry *reg,
                             const qala_panel_options *opt)
{
    assert(out && ds && reg && opt);
    *out = NULL;
    if (!opt->indicator || !*opt->indicator)
        return qala_err__set(QALA_EINVAL, "panel: no indicator given");
    if ((unsigned)opt->units > QALA_PANEL_ALL)
        return qala_err__set(QALA_EINVAL, "panel: unit set %d outside the enum", (int)opt->units);
    size_t nperiods;
    qala_status st = check_periods(opt->from, opt->to, &nperiods);
    if (st != QALA_OK)
        return st;
    qala_panel *p = qala_mem__calloc(1, sizeof *p);
    unsigned char *reg_ok = NULL, *ds_ok = NULL;
    size_t *ds_to_reg = NULL, *reg_to_panel = NULL;
    if (!p)
        return qala_err__set(QALA_ENOMEM, "panel: out of memory");
    uint32_t ind = 0, wind = 0;
    int has_ind = find_code(ds, opt->indicator, 1, &ind);
    int has_w = opt->weights && find_code(ds, opt->weights, 1, &wind);
    qala_period from = opt->from, to = opt->to;
    /* The filters' date: `at`, else the end of the range (known after the data range). */
    qala_date at = opt->at ? opt->at : to ? last_day(to) : QALA_DATE_MAX - 1;
    /* First pass without dates for the kinds (groups/region need `at`: redone below). */
    if ((st = choose_units(&reg_ok, reg, opt, at)) != QALA_OK)
        goto fail;
    if ((st = map_dataset_units(&ds_to_reg, ds, reg, reg_ok, &ds_ok)) != QALA_OK)
        goto fail;
    if (!from) {
        if (has_ind)
            data_range(ds, ind, ds_ok, &from, &to);
        if (from && (st = check_periods(from, to, &nperiods)) != QALA_OK)
            goto fail;
        if (from && !opt->at) {
            at = last_day(to);
            qala_mem__free(reg_ok);
            qala_mem__free(ds_to_reg);
            qala_mem__free(ds_ok);
            reg_ok = ds_ok = NULL;
            ds_to_reg = NULL;
            if ((st = choose_units(&reg_ok, reg, opt, at)) != QALA_OK ||
                (st = map_dataset_units(&ds_to_reg, ds, reg, reg_ok, &ds_ok)) != QALA_OK)
                goto fail;
        }
    }
    p->at = at;
    size_t nreg = qala_registry_unit_count(reg), nu = 0;
    reg_to_panel = qala_mem__malloc((nreg + 1) * sizeof *reg_to_panel);
    if (!reg_to_panel) {
        st = qala_err__set(QALA_ENOMEM, "panel: out of memory");
        goto fail;
    }
    /* Units alive at some time in the range. */
    for (size_t u = 0; u < nreg; u++) {
        const qala_unit *unit = qala_registry_unit(reg, u);
        reg_to_panel[u] = NONE;
        if (reg_ok[u] && from && unit->valid_from <= last_day(to) && unit->valid_to > qala_period_start(from))
            reg_to_panel[u] = nu++;
    }
    if ((st = allocate(p, nu, nperiods, opt->weights != NULL)) != QALA_OK)
        goto fail;
    p->nunits = nu;
    p->nperiods = nperiods;
    size_t k = 0;
    for (qala_period q = from; from && q <= to; q = next_period(q))
        p->periods[k++] = q;
    for (size_t u = 0; u < nreg; u++) {
        if (reg_to_panel[u] == NONE)
            continue;
        const qala_unit *unit = qala_registry_unit(reg, u);
        p->unit_codes[reg_to_panel[u]] = unit->code;
        p->reg_units[reg_to_panel[u]] = u;
        for (size_t q = 0; q < nperiods; q++)
            p->alive[q * nu + reg_to_panel[u]] = (unsigned char)alive_during(unit, p->periods[q]);
    }
    for (size_t i = 0; i < qala_dataset_unit_count(ds); i++)
        ds_to_reg[i] = ds_to_reg[i] == NONE ? NONE : reg_to_panel[ds_to_reg[i]];
    if (has_ind)
        fill(p, p->values, ds, ind, ds_to_reg);
    if (has_w)
        fill(p, p->weights, ds, wind, ds_to_reg);
    for (size_t c = 0; c < nu * nperiods; c++)
        p->n_observed += p->alive[c] && !isnan(p->values[c]);
fail:
    qala_mem__free(reg_ok);
    qala_mem__free(ds_ok);
    qala_mem__free(ds_to_reg);
    qala_mem__free(reg_to_panel);
    if (st != QALA_OK) {
        qala_panel_free(p);
        return st;
    }
    *out = p;
    return QALA_OK;
}

size_t qala_panel_observed(const qala_panel *p, size_t k)
{
    assert(p);
    size_t n = 0;
    for (size_t u = 0; k < p->nperiods && u < p->nunits; u++)
        n += p->alive[k * p->nunits + u] && !isnan(p->values[k * p->nunits + u]);
    return n;
}

size_t qala_panel_default_period(const qala_panel *p)
{
    assert(p);
    size_t best = 0, chosen = NONE;
    for (size_t k = 0; k < p->nperiods; k++)
        if (qala_panel_observed(p, k) > best)
            best = qala_panel_observed(p, k);
    for (size_t k = 0; best && k < p->nperiods; k++)
        if (qala_panel_observed(p, k) * 2 >= best)
            chosen = k;
    return chosen;
}
