/* A small fictional world for the index_data tests (every name is made up): Testland (TL,
 * the country), the regions North (NR) and South (SR), the cities Testville (TV, in NR, a
 * monocity), Sampleton (SP, in NR until 2021-06-01, then in SR; a monocity and a smart
 * city), Fakeburg (FB, a smart city in SR since 2020) and Capital (CP, a first-level city
 * like Almaty). Groups in registry order: "mono", "agglo" (no members), "smart".
 * The tree: indicators INC (denominated by POP), UNEMP and SMART (no data anywhere), one
 * aggregate IDX. */
#ifndef TEST_INDEX_DATA_FIXTURE_H
#define TEST_INDEX_DATA_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "qala/index_data.h"

#define Y(y) ((qala_period)((y) * 100))

typedef struct fx {
    qala_registry *reg;
    qala_dataset *ds;
    qala_index_node nodes[4];
    qala_index_tree tree;
    qala_index_data_options opt;
    qala_index_data *data;
} fx;

static inline void fx_unit(qala_registry *reg, const char *code, qala_unit_kind kind)
{
    qala_unit u = {.code = code, .kind = kind, .kato = "", .lat = NAN, .lon = NAN,
                   .valid_from = QALA_DATE_MIN, .valid_to = QALA_DATE_MAX, .source = "test"};
    size_t idx;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &idx), QALA_OK, "unit %s", code);
}

static inline void fx_parent(qala_registry *reg, const char *unit, const char *parent,
                             qala_date from, qala_date to)
{
    size_t u, p;
    cr_assert_eq(qala_registry_find(reg, unit, &u), QALA_OK);
    cr_assert_eq(qala_registry_find(reg, parent, &p), QALA_OK);
    qala_unit_parent x = {.unit = u, .parent = p, .valid_from = from, .valid_to = to, .source = "test"};
    cr_assert_eq(qala_registry_add_parent(reg, &x), QALA_OK);
}

static inline void fx_group(qala_registry *reg, const char *code)
{
    qala_group g = {.code = code, .name = {code, code, code}, .source = "test"};
    size_t idx;
    cr_assert_eq(qala_registry_add_group(reg, &g, &idx), QALA_OK);
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

static inline void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    cr_assert_eq(qala_registry_new(&f->reg), QALA_OK);
    fx_unit(f->reg, "TL", QALA_UNIT_COUNTRY);
    fx_unit(f->reg, "NR", QALA_UNIT_REGION);
    fx_unit(f->reg, "SR", QALA_UNIT_REGION);
    fx_unit(f->reg, "TV", QALA_UNIT_CITY);
    fx_unit(f->reg, "SP", QALA_UNIT_CITY);
    fx_unit(f->reg, "FB", QALA_UNIT_CITY);
    fx_unit(f->reg, "CP", QALA_UNIT_CITY);
    fx_parent(f->reg, "NR", "TL", QALA_DATE_MIN, QALA_DATE_MAX);
    fx_parent(f->reg, "SR", "TL", QALA_DATE_MIN, QALA_DATE_MAX);
    fx_parent(f->reg, "CP", "TL", QALA_DATE_MIN, QALA_DATE_MAX);
    fx_parent(f->reg, "TV", "NR", QALA_DATE_MIN, QALA_DATE_MAX);
    fx_parent(f->reg, "SP", "NR", QALA_DATE_MIN, 20210601);
    fx_parent(f->reg, "SP", "SR", 20210601, QALA_DATE_MAX);
    fx_parent(f->reg, "FB", "SR", QALA_DATE_MIN, QALA_DATE_MAX);
    fx_group(f->reg, "mono");
    fx_group(f->reg, "agglo");
    fx_group(f->reg, "smart");
    fx_member(f->reg, "mono", "TV", QALA_DATE_MIN);
    fx_member(f->reg, "mono", "SP", QALA_DATE_MIN);
    fx_member(f->reg, "smart", "SP", QALA_DATE_MIN);
    fx_member(f->reg, "smart", "FB", 20200101);
    cr_assert_eq(qala_dataset_new(&f->ds), QALA_OK);

    qala_index_node_init(&f->nodes[0], QALA_INDEX_INDICATOR, "INC");
    f->nodes[0].denominator = "POP";
    qala_index_node_init(&f->nodes[1], QALA_INDEX_INDICATOR, "UNEMP");
    qala_index_node_init(&f->nodes[2], QALA_INDEX_INDICATOR, "SMART");
    qala_index_node_init(&f->nodes[3], QALA_INDEX_AGGREGATE, "IDX");
    for (int i = 0; i < 3; i++)
        f->nodes[i].parent = 3;
    qala_index_settings_init(&f->tree.settings);
    f->tree.nodes = f->nodes;
    f->tree.nnodes = 4;
    f->tree.nindicators = 3;
    f->tree.nlevels = 2;
    f->opt = (qala_index_data_options)QALA_INDEX_DATA_OPTIONS_INIT;
}

static inline void fx_free(fx *f)
{
    qala_index_data_free(f->data);
    qala_dataset_free(f->ds);
    qala_registry_free(f->reg);
}

static inline void fx_obs(fx *f, const char *unit, const char *ind, qala_period p, double v)
{
    uint32_t u, i;
    cr_assert_eq(qala_dataset_intern_unit(f->ds, unit, &u), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(f->ds, ind, &i), QALA_OK);
    cr_assert_eq(qala_dataset_append(f->ds, u, i, p, v, QALA_FLAG_NONE, 0), QALA_OK);
}

/* Builds with f->opt (and the registry when with_reg); asserts success. */
static inline const qala_index_input *fx_build(fx *f, int with_reg)
{
    qala_index_data_free(f->data);
    f->data = NULL;
    qala_status st = qala_index_data_build(&f->data, f->ds, &f->tree, with_reg ? f->reg : NULL, &f->opt);
    cr_assert_eq(st, QALA_OK, "build: %s", qala_error_last()->message);
    return qala_index_data_input(f->data);
}

/* Index of a code in an array, or SIZE_MAX. */
static inline size_t fx_find(const char *const *codes, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(codes[i], code) == 0)
            return i;
    return SIZE_MAX;
}

static inline const qala_index_grouping *fx_grouping(const qala_index_input *in, const char *name)
{
    for (size_t g = 0; g < in->ngroupings; g++)
        if (strcmp(in->groupings[g].name, name) == 0)
            return &in->groupings[g];
    return NULL;
}

/* The code of unit u's group in a grouping, or "-" for none. */
static inline const char *fx_group_of(const qala_index_input *in, const char *grouping, const char *unit)
{
    const qala_index_grouping *g = fx_grouping(in, grouping);
    cr_assert_not_null(g, "grouping %s", grouping);
    size_t u = fx_find(in->unit_codes, in->nunits, unit);
    cr_assert_neq(u, SIZE_MAX, "unit %s", unit);
    if (g->group[u] == QALA_IMPUTE_NO_GROUP)
        return "-";
    cr_assert_lt(g->group[u], g->ngroups);
    return g->group_codes[g->group[u]];
}

#endif
