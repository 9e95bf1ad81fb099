/* src/index_data.c — turns stored observations into the input of the composite-index
 * pipeline (qala/index_data.h): units × periods × data columns, NAN where nothing was
 * observed, and the groupings of the units (region, type, one per registry group) from
 * the registry at a date.
 *
 * Place in the pipeline: store → dataset → here → qala_index_run (src/index.c). The
 * commands `qala index` and `qala diagnose` call it once per run.
 *
 * Invariants: every array of the input belongs to the qala_index_data and lives until
 * qala_index_data_free; columns are ncolumns blocks of nperiods · nunits doubles in one
 * allocation, row r = p · nunits + u; strings are copied (the tree, the dataset and the
 * registry may be freed after the build).
 *
 * Workload: one build per command run. Codes are hashed once (strmap); the observations
 * are read in two passes (which units and columns have data, then the fill), each
 * O(n log periods). Groupings cost one qala_registry_in_group_at per unit and group.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qala/index_data.h"
#include "util/internal.h"
#include "util/strmap.h"

#define NONE SIZE_MAX
#define MAX_PERIODS 10000

struct qala_index_data {
    qala_index_input input;
    const char **unit_codes;     /* nunits pointers into unit_block */
    char *unit_block;
    qala_period *periods;
    const char **column_codes;   /* ncolumns pointers into column_block */
    char *column_block;
    double *cells;               /* ncolumns · nperiods · nunits */
    const double **columns;      /* ncolumns pointers into cells */
    qala_index_grouping *groupings;
    char **grouping_blocks;      /* per grouping: the name's and group codes' copies */
    const char ***grouping_ptrs; /* per grouping: the name, then the group codes */
    uint32_t *groups;            /* ngroupings · nunits */
    size_t *reg_unit;
    size_t *unit_obs;
};

/* ---- periods ---------------------------------------------------------------------- */

static qala_period next_period(qala_period p)
{
    int y = (int)(p / 100), sub = (int)(p % 100);
    if (sub == 0)
        return p + 100;
    if (sub > 20)
        return sub < 24 ? p + 1 : (y + 1) * 100 + 21;
    return sub < 12 ? p + 1 : (y + 1) * 100 + 1;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* The last day of a period: 2022 → 2022-12-31, 2022-Q1 → 2022-03-31. */
static qala_date period_last_day(qala_period p)
{
    int y = (int)(p / 100), sub = (int)(p % 100);
    int m = sub == 0 ? 12 : sub > 20 ? (sub - 20) * 3 : sub;
    return y * 10000 + m * 100 + days_in_month(y, m);
}

static qala_status make_periods(qala_index_data *d, const qala_index_data_options *opt)
{
    qala_period from = opt->from, to = opt->to;
    if (from <= 0 || to <= 0)
        return qala_err__set(QALA_EINVAL, "index data: no period given");
    if (from > to)
        return qala_err__set(QALA_EINVAL, "index data: the first period comes after the last");
    if (qala_period_frequency(from) != qala_period_frequency(to))
        return qala_err__set(QALA_EINVAL, "index data: the first and last periods are of "
                                          "different frequencies");
    size_t n = 1;
    for (qala_period p = from; p < to; p = next_period(p))
        if (++n > MAX_PERIODS)
            return qala_err__set(QALA_EINVAL, "index data: more than %d periods", MAX_PERIODS);
    d->periods = qala_mem__malloc(n * sizeof *d->periods);
    if (!d->periods)
        return qala_err__set(QALA_ENOMEM, "index data: out of memory");
    qala_period p = from;
    for (size_t i = 0; i < n; i++, p = next_period(p))
        d->periods[i] = p;
    d->input.nperiods = n;
    d->input.periods = d->periods;
    return QALA_OK;
}

/* Index of period p in the ascending array, or NONE. */
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

/* ---- strings ---------------------------------------------------------------------- */

/* Copies n strings into one block; *ptrs gets n pointers into it. */
static qala_status copy_strings(const char ***ptrs, char **block, const char *const *strs, size_t n)
{
    *ptrs = qala_mem__malloc((n ? n : 1) * sizeof **ptrs);
    if (!*ptrs)
        return qala_err__set(QALA_ENOMEM, "index data: out of memory");
    *block = qala_mem__pack_strings(0, strs, n, *ptrs);
    if (!*block)
        return qala_err__set(QALA_ENOMEM, "index data: out of memory");
    return QALA_OK;
}

/* ---- columns ---------------------------------------------------------------------- */

/* The column candidates: the tree's indicator codes, then the denominators that are not
 * already among them. is_denominator[c] says whether candidate c must stay a column. */
typedef struct candidates {
    const char **codes;
    unsigned char *is_indicator, *is_denominator;
    size_t n;
    qala_strmap map; /* code → candidate */
} candidates;

static void candidates_free(candidates *c)
{
    qala_mem__free(c->codes);
    qala_mem__free(c->is_indicator);
    qala_mem__free(c->is_denominator);
    qala_strmap__free(&c->map);
}

static qala_status candidates_add(candidates *c, const char *code, int denominator)
{
    int64_t *known = qala_strmap__get(&c->map, code, strlen(code));
    size_t i = known ? (size_t)*known : c->n;
    if (!known) {
        qala_status st = qala_strmap__put(&c->map, code, strlen(code), (int64_t)c->n);
        if (st != QALA_OK)
            return st;
        c->codes[c->n] = code;
        c->is_indicator[c->n] = 0;
        c->is_denominator[c->n] = 0;
        c->n++;
    }
    if (denominator)
        c->is_denominator[i] = 1;
    else
        c->is_indicator[i] = 1;
    return QALA_OK;
}

static qala_status candidates_make(candidates *c, const qala_index_tree *tree)
{
    memset(c, 0, sizeof *c);
    qala_strmap__init(&c->map);
    size_t max = 2 * tree->nindicators + 1;
    c->codes = qala_mem__malloc(max * sizeof *c->codes);
    c->is_indicator = qala_mem__malloc(max);
    c->is_denominator = qala_mem__malloc(max);
    if (!c->codes || !c->is_indicator || !c->is_denominator)
        return qala_err__set(QALA_ENOMEM, "index data: out of memory");
    qala_status st = QALA_OK;
    for (size_t i = 0; i < tree->nindicators && st == QALA_OK; i++)
        st = candidates_add(c, tree->nodes[i].code, 0);
    for (size_t i = 0; i < tree->nindicators && st == QALA_OK; i++)
        if (tree->nodes[i].denominator && *tree->nodes[i].denominator)
            st = candidates_add(c, tree->nodes[i].denominator, 1);
    return st;
}

/* For each dataset id, the candidate of its code (ind) or the input row of its code
 * (unit); NONE otherwise. */
static qala_status map_indicators(size_t **out, const qala_dataset *ds, const candidates *c)
{
    size_t n = qala_dataset_indicator_count(ds);
    *out = qala_mem__malloc((n ? n : 1) * sizeof **out);
    if (!*out)
        return qala_err__set(QALA_ENOMEM, "index data: out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *code = qala_dataset_indicator_code(ds, (uint32_t)i);
        int64_t *cand = qala_strmap__get(&c->map, code, strlen(code));
        (*out)[i] = cand ? (size_t)*cand : NONE;
    }
    return QALA_OK;
}

/* ---- units ------------------------------------------------------------------------ */

/* Fills unit_row (dataset unit id → input row) and the unit codes. */
static qala_status choose_units(qala_index_data *d, size_t *unit_row, const qala_dataset *ds,
                                const size_t *ind_cand, const candidates *c,
                                const qala_index_data_options *opt)
{
    size_t ndsu = qala_dataset_unit_count(ds), nobs = qala_dataset_size(ds);
    const uint32_t *units = qala_dataset_units(ds), *inds = qala_dataset_indicators(ds);
    const qala_period *pers = qala_dataset_periods(ds);
    const char **codes = NULL;
    size_t n = 0;
    qala_status st = QALA_OK;
    for (size_t u = 0; u < ndsu; u++)
        unit_row[u] = NONE;
    if (opt->units) {
        qala_strmap given;
        qala_strmap__init(&given);
        for (size_t i = 0; i < opt->nunits && st == QALA_OK; i++) {
            const char *code = opt->units[i];
            if (!code || !*code)
                st = qala_err__set(QALA_EINVAL, "index data: unit %zu has an empty code", i + 1);
            else if (qala_strmap__get(&given, code, strlen(code)))
                st = qala_err__set(QALA_EINVAL, "index data: unit '%s' is listed twice", code);
            else
                st = qala_strmap__put(&given, code, strlen(code), (int64_t)i);
        }
        for (size_t u = 0; u < ndsu && st == QALA_OK; u++) {
            const char *code = qala_dataset_unit_code(ds, (uint32_t)u);
            int64_t *row = qala_strmap__get(&given, code, strlen(code));
            if (row)
                unit_row[u] = (size_t)*row;
        }
        qala_strmap__free(&given);
        if (st != QALA_OK)
            return st;
        n = opt->nunits;
        codes = (const char **)opt->units;
    } else {
        /* every unit with an observation of an indicator in the periods, in id order */
        for (size_t i = 0; i < nobs; i++) {
            size_t cand = ind_cand[inds[i]];
            if (cand != NONE && c->is_indicator[cand] &&
                find_period(d->periods, d->input.nperiods, pers[i]) != NONE)
                unit_row[units[i]] = 0;
        }
        codes = qala_mem__malloc((ndsu ? ndsu : 1) * sizeof *codes);
        if (!codes)
            return qala_err__set(QALA_ENOMEM, "index data: out of memory");
        for (size_t u = 0; u < ndsu; u++)
            if (unit_row[u] != NONE) {
                unit_row[u] = n;
                codes[n++] = qala_dataset_unit_code(ds, (uint32_t)u);
            }
    }
    st = copy_strings(&d->unit_codes, &d->unit_block, codes, n);
    if (!opt->units)
        qala_mem__free(codes);
    d->input.nunits = n;
    d->input.unit_codes = d->unit_codes;
    return st;
}

/* ---- the cells -------------------------------------------------------------------- */

static qala_status fill_columns(qala_index_data *d, const qala_dataset *ds, const size_t *unit_row,
                                const size_t *ind_cand, const candidates *c)
{
    size_t nobs = qala_dataset_size(ds), nu = d->input.nunits, np = d->input.nperiods;
    const uint32_t *units = qala_dataset_units(ds), *inds = qala_dataset_indicators(ds);
    const qala_period *pers = qala_dataset_periods(ds);
    const double *vals = qala_dataset_values(ds);
    /* which candidates have data in the chosen units and periods */
    size_t *col_of = qala_mem__calloc(c->n + 1, sizeof *col_of);
    if (!col_of)
        return qala_err__set(QALA_ENOMEM, "index data: out of memory");
    for (size_t i = 0; i < nobs; i++) {
        size_t cand = ind_cand[inds[i]];
        if (cand != NONE && unit_row[units[i]] != NONE &&
            find_period(d->periods, np, pers[i]) != NONE)
            col_of[cand] = 1;
    }
    size_t ncols = 0;
    for (size_t k = 0; k < c->n; k++)
        col_of[k] = col_of[k] || c->is_denominator[k] ? ncols++ : NONE;
    const char **codes = qala_mem__malloc((ncols + 1) * sizeof *codes);
    qala_status st = codes ? QALA_OK : qala_err__set(QALA_ENOMEM, "index data: out of memory");
    for (size_t k = 0; st == QALA_OK && k < c->n; k++)
        if (col_of[k] != NONE)
            codes[col_of[k]] = c->codes[k];
    if (st == QALA_OK)
        st = copy_strings(&d->column_codes, &d->column_block, codes, ncols);
    qala_mem__free(codes);
    size_t cells = nu * np;
    if (st == QALA_OK && np && (cells / np != nu || (ncols && cells > SIZE_MAX / sizeof(double) / ncols)))
        st = qala_err__set(QALA_ENOMEM, "index data: %zu units × %zu periods is too large", nu, np);
    if (st == QALA_OK) {
        size_t total = ncols * cells;
        d->cells = qala_mem__malloc((total > 0 ? total : 1) * sizeof *d->cells);
        d->columns = qala_mem__malloc((ncols ? ncols : 1) * sizeof *d->columns);
        if (!d->cells || !d->columns)
            st = qala_err__set(QALA_ENOMEM, "index data: out of memory");
    }
    if (st != QALA_OK) {
        qala_mem__free(col_of);
        return st;
    }
    for (size_t i = 0; i < ncols * cells; i++)
        d->cells[i] = NAN;
    for (size_t k = 0; k < ncols; k++)
        d->columns[k] = d->cells + k * cells;
    for (size_t i = 0; i < nobs; i++) {
        size_t cand = ind_cand[inds[i]], u = unit_row[units[i]], p;
        if (cand == NONE || u == NONE || col_of[cand] == NONE ||
            (p = find_period(d->periods, np, pers[i])) == NONE)
            continue;
        d->cells[col_of[cand] * cells + p * nu + u] = vals[i];
        if (c->is_indicator[cand] && !isnan(vals[i]))
            d->unit_obs[u]++;
    }
    qala_mem__free(col_of);
    d->input.ncolumns = ncols;
    d->input.column_codes = d->column_codes;
    d->input.columns = d->columns;
    return QALA_OK;
}

/* ---- groupings -------------------------------------------------------------------- */

/* Sets grouping g (its groups in d->groups + g · nunits): name and group codes copied. */
static qala_status set_grouping(qala_index_data *d, size_t g, const char *name,
                                const char *const *codes, size_t ngroups)
{
    const char **strs = qala_mem__malloc((ngroups + 1) * sizeof *strs);
    if (!strs)
        return qala_err__set(QALA_ENOMEM, "index data: out of memory");
    strs[0] = name;
    for (size_t i = 0; i < ngroups; i++)
        strs[i + 1] = codes[i];
    qala_status st = copy_strings(&d->grouping_ptrs[g], &d->grouping_blocks[g], strs, ngroups + 1);
    qala_mem__free(strs);
    if (st != QALA_OK)
        return st;
    qala_index_grouping *x = &d->groupings[g];
    x->name = d->grouping_ptrs[g][0];
    x->ngroups = ngroups;
    x->group_codes = ngroups ? d->grouping_ptrs[g] + 1 : NULL;
    x->group = d->groups + g * d->input.nunits;
    return QALA_OK;
}

static int own_grouping_name(const char *code)
{
    return strcmp(code, "region") != 0 && strcmp(code, "type") != 0;
}

/* "region": the first-level unit at `at`, numbered in registry order. */
static qala_status group_by_region(qala_index_data *d, const qala_registry *reg, qala_date at)
{
    size_t nu = d->input.nunits, nreg = qala_registry_unit_count(reg), count = 0;
    size_t *region_id = qala_mem__malloc((nreg + 1) * sizeof *region_id);
    size_t *region_of = qala_mem__malloc((nu + 1) * sizeof *region_of);
    const char **codes = qala_mem__malloc((nreg + 1) * sizeof *codes);
    qala_status st = QALA_OK;
    if (!region_id || !region_of || !codes) {
        st = qala_err__set(QALA_ENOMEM, "index data: out of memory");
        goto done;
    }
    for (size_t x = 0; x < nreg; x++)
        region_id[x] = NONE;
    for (size_t u = 0; u < nu; u++) {
        size_t r = d->reg_unit[u], x;
        region_of[u] = NONE;
        if (r != NONE && qala_registry_region_at(reg, r, at, &x) == QALA_OK && x != r) {
            region_of[u] = x;
            region_id[x] = 0;
        }
    }
    for (size_t x = 0; x < nreg; x++)
        if (region_id[x] != NONE) {
            codes[count] = qala_registry_unit(reg, x)->code;
            region_id[x] = count++;
        }
    for (size_t u = 0; u < nu; u++)
        d->groups[u] = region_of[u] == NONE ? QALA_IMPUTE_NO_GROUP : (uint32_t)region_id[region_of[u]];
    st = set_grouping(d, 0, "region", codes, count);
done:
    qala_mem__free(region_id);
    qala_mem__free(region_of);
    qala_mem__free(codes);
    return st;
}

/* "type" (the first group of the unit in registry order) and one grouping per registry
 * group (0 no, 1 yes). */
static qala_status group_by_membership(qala_index_data *d, const qala_registry *reg, qala_date at)
{
    static const char *const no_yes[] = {"no", "yes"};
    size_t nu = d->input.nunits, ng = qala_registry_group_count(reg);
    const char **codes = qala_mem__malloc((ng + 1) * sizeof *codes);
    if (!codes)
        return qala_err__set(QALA_ENOMEM, "index data: out of memory");
    uint32_t *type = d->groups + nu;
    for (size_t u = 0; u < nu; u++)
        type[u] = QALA_IMPUTE_NO_GROUP;
    size_t k = 2;
    for (size_t g = 0; g < ng; g++) {
        const char *code = qala_registry_group(reg, g)->code;
        codes[g] = code;
        int own = own_grouping_name(code);
        uint32_t *member = own ? d->groups + k * nu : NULL;
        for (size_t u = 0; u < nu; u++) {
            size_t r = d->reg_unit[u];
            int in = r != NONE && qala_registry_in_group_at(reg, g, r, at);
            if (in && type[u] == QALA_IMPUTE_NO_GROUP)
                type[u] = (uint32_t)g;
            if (member)
                member[u] = r == NONE ? QALA_IMPUTE_NO_GROUP : (uint32_t)in;
        }
        if (own)
            k++;
    }
    qala_status st = set_grouping(d, 1, "type", codes, ng);
    k = 2;
    for (size_t g = 0; g < ng && st == QALA_OK; g++)
        if (own_grouping_name(codes[g]))
            st = set_grouping(d, k++, codes[g], no_yes, 2);
    qala_mem__free(codes);
    return st;
}

static qala_status make_groupings(qala_index_data *d, const qala_registry *reg, qala_date at)
{
    size_t ng = qala_registry_group_count(reg), total = 2, nu = d->input.nunits;
    for (size_t g = 0; g < ng; g++)
        total += own_grouping_name(qala_registry_group(reg, g)->code);
    d->groupings = qala_mem__calloc(total, sizeof *d->groupings);
    d->grouping_blocks = qala_mem__calloc(total, sizeof *d->grouping_blocks);
    d->grouping_ptrs = qala_mem__calloc(total, sizeof *d->grouping_ptrs);
    d->groups = qala_mem__malloc((total * nu + 1) * sizeof *d->groups);
    if (!d->groupings || !d->grouping_blocks || !d->grouping_ptrs || !d->groups)
        return qala_err__set(QALA_ENOMEM, "index data: out of memory");
    d->input.ngroupings = total;
    d->input.groupings = d->groupings;
    qala_status st = group_by_region(d, reg, at);
    if (st == QALA_OK)
        st = group_by_membership(d, reg, at);
    return st;
}

/* ---- the build -------------------------------------------------------------------- */

qala_status qala_index_data_build(qala_index_data **out, const qala_dataset *ds,
                                  const qala_index_tree *tree, const qala_registry *reg,
                                  const qala_index_data_options *opt)
{
    assert(out && ds && tree && opt);
    *out = NULL;
    candidates c;
    memset(&c, 0, sizeof c);
    qala_strmap__init(&c.map);
    size_t *ind_cand = NULL, *unit_row = NULL;
    qala_index_data *d = qala_mem__calloc(1, sizeof *d);
    qala_status st = d ? QALA_OK : qala_err__set(QALA_ENOMEM, "index data: out of memory");
    if (st == QALA_OK && opt->version < 1)
        st = qala_err__set(QALA_EINVAL, "index data: options without a version");
    if (st == QALA_OK)
        st = make_periods(d, opt);
    if (st == QALA_OK)
        st = candidates_make(&c, tree);
    if (st == QALA_OK)
        st = map_indicators(&ind_cand, ds, &c);
    if (st == QALA_OK) {
        unit_row = qala_mem__malloc((qala_dataset_unit_count(ds) + 1) * sizeof *unit_row);
        if (!unit_row)
            st = qala_err__set(QALA_ENOMEM, "index data: out of memory");
    }
    if (st == QALA_OK)
        st = choose_units(d, unit_row, ds, ind_cand, &c, opt);
    if (st == QALA_OK) {
        size_t nu = d->input.nunits + 1;
        d->unit_obs = qala_mem__calloc(nu, sizeof *d->unit_obs);
        d->reg_unit = qala_mem__malloc(nu * sizeof *d->reg_unit);
        if (!d->unit_obs || !d->reg_unit)
            st = qala_err__set(QALA_ENOMEM, "index data: out of memory");
    }
    if (st == QALA_OK)
        st = fill_columns(d, ds, unit_row, ind_cand, &c);
    if (st == QALA_OK) {
        for (size_t u = 0; u < d->input.nunits; u++)
            if (!reg || qala_registry_find(reg, d->unit_codes[u], &d->reg_unit[u]) != QALA_OK)
                d->reg_unit[u] = NONE;
        if (reg)
            st = make_groupings(d, reg, opt->at ? opt->at : period_last_day(opt->to));
    }
    candidates_free(&c);
    qala_mem__free(ind_cand);
    qala_mem__free(unit_row);
    if (st != QALA_OK) {
        qala_index_data_free(d);
        return st;
    }
    *out = d;
    return QALA_OK;
}

void qala_index_data_free(qala_index_data *d)
{
    if (!d)
        return;
    for (size_t g = 0; d->groupings && g < d->input.ngroupings; g++) {
        qala_mem__free(d->grouping_blocks[g]);
        qala_mem__free(d->grouping_ptrs[g]);
    }
    qala_mem__free(d->groupings);
    qala_mem__free(d->grouping_blocks);
    qala_mem__free(d->grouping_ptrs);
    qala_mem__free(d->groups);
    qala_mem__free(d->unit_codes);
    qala_mem__free(d->unit_block);
    qala_mem__free(d->periods);
    qala_mem__free(d->column_codes);
    qala_mem__free(d->column_block);
    qala_mem__free(d->cells);
    qala_mem__free(d->columns);
    qala_mem__free(d->reg_unit);
    qala_mem__free(d->unit_obs);
    qala_mem__free(d);
}

const qala_index_input *qala_index_data_input(const qala_index_data *d)
{
    assert(d);
    return &d->input;
}

size_t qala_index_data_registry_unit(const qala_index_data *d, size_t u)
{
    assert(d && u < d->input.nunits);
    return d->reg_unit[u];
}

size_t qala_index_data_unit_observations(const qala_index_data *d, size_t u)
{
    assert(d && u < d->input.nunits);
    return d->unit_obs[u];
}

/* ---- the default period ------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

qala_status qala_index_data_default_period(qala_period *out, const qala_dataset *ds,
                                           const qala_index_tree *tree)
{
    assert(out && ds && tree);
    *out = 0;
    candidates c;
    memset(&c, 0, sizeof c);
    qala_strmap__init(&c.map);
    size_t *ind_cand = NULL, nobs = qala_dataset_size(ds), n = 0;
    uint64_t *keys = NULL;
    qala_status st = candidates_make(&c, tree);
    if (st == QALA_OK)
        st = map_indicators(&ind_cand, ds, &c);
    if (st == QALA_OK && !(keys = qala_mem__malloc((nobs + 1) * sizeof *keys)))
        st = qala_err__set(QALA_ENOMEM, "index data: out of memory");
    if (st == QALA_OK) {
        const uint32_t *units = qala_dataset_units(ds), *inds = qala_dataset_indicators(ds);
        const qala_period *pers = qala_dataset_periods(ds);
        const double *vals = qala_dataset_values(ds);
        for (size_t i = 0; i < nobs; i++) {
            size_t cand = ind_cand[inds[i]];
            if (cand != NONE && c.is_indicator[cand] && !isnan(vals[i]) && pers[i] > 0)
                keys[n++] = (uint64_t)(uint32_t)pers[i] << 32 | units[i];
        }
        qsort(keys, n, sizeof *keys, cmp_u64);
        /* distinct units per period, twice: the best count, then the latest period with
         * at least half of it */
        for (int pass = 0, best = 0; pass < 2; pass++)
            for (size_t i = 0; i < n;) {
                qala_period p = (qala_period)(keys[i] >> 32);
                int count = 0;
                size_t j = i;
                for (; j < n && (qala_period)(keys[j] >> 32) == p; j++)
                    count += j == i || keys[j] != keys[j - 1];
                if (pass == 0 && count > best)
                    best = count;
                if (pass == 1 && 2 * count >= best)
                    *out = p; /* ascending: the last one that qualifies wins */
                i = j;
            }
        if (n == 0)
            st = qala_err__set(QALA_ENOTFOUND, "no observation of the index's indicators");
    }
    candidates_free(&c);
    qala_mem__free(ind_cand);
    qala_mem__free(keys);
    return st;
}
