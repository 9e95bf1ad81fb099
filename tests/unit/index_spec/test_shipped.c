/* tests/unit/index_spec/test_shipped.c — the specs shipped in data/index/: each loads
 * without findings into a tree that passes qala_index_tree_check with effective weights
 * summing to 1; asem.json agrees row by row with COINr's iMeta; the city specs use only
 * codes of the default framework.
 */
#include <math.h>
#include <stdlib.h>

#include "coinr_table.h"
#include "fixture.h"
#include "qala/aggregate.h"
#include "qala/framework.h"

#define CELL(col) (m.text[r * m.ncols + (col)])

TestSuite(shipped, .init = setup, .fini = teardown);

static const qala_index_tree *load_shipped(const char *name)
{
    qala_findings_clear(found);
    qala_status st = qala_index_spec_load_default(spec, name, found);
    if (st != QALA_OK)
        dump_findings();
    cr_assert_eq(st, QALA_OK, "%s: %s", name, qala_error_last()->message);
    cr_assert_eq(qala_findings_count(found), 0, "%s has findings", name);
    const qala_index_tree *t = qala_index_spec_tree(spec);
    cr_assert_not_null(t);
    cr_assert_eq(qala_index_tree_check(t), QALA_OK, "%s", qala_error_last()->message);
    return t;
}

static double indicator_weight_sum(const qala_index_tree *t)
{
    size_t *parent = malloc(t->nnodes * sizeof *parent);
    double *w = malloc(t->nnodes * sizeof *w), *eff = malloc(t->nnodes * sizeof *eff);
    cr_assert(parent && w && eff);
    for (size_t i = 0; i < t->nnodes; i++) {
        parent[i] = t->nodes[i].parent == QALA_INDEX_NONE ? QALA_AGG_ROOT : t->nodes[i].parent;
        w[i] = t->nodes[i].weight;
    }
    cr_assert_eq(qala_agg_effective_weights(eff, parent, w, t->nnodes), QALA_OK);
    double sum = 0;
    for (size_t i = 0; i < t->nindicators; i++)
        sum += eff[i];
    free(parent);
    free(w);
    free(eff);
    return sum;
}

Test(shipped, every_default_name_loads_into_a_checked_tree)
{
    size_t n = 0;
    for (const char *name; (name = qala_index_spec_default_name(n)); n++) {
        const qala_index_tree *t = load_shipped(name);
        cr_expect_float_eq(indicator_weight_sum(t), 1.0, 1e-12, "%s", name);
        cr_expect_str_eq(qala_index_spec_code(spec), name);
    }
    cr_expect_eq(n, 3);
}

Test(shipped, unknown_default_name_is_not_found_and_lists_the_names)
{
    cr_assert_eq(qala_index_spec_load_default(spec, "asm", found), QALA_ENOTFOUND);
    cr_expect_str_eq(qala_error_last()->message, "no embedded index spec 'asm' (the specs "
                     "are city-development, smart-city, asem)");
}

Test(shipped, asem_has_49_indicators_11_aggregates_and_4_levels)
{
    const qala_index_tree *t = load_shipped("asem");
    cr_expect_eq(t->nindicators, 49);
    cr_expect_eq(t->nnodes - t->nindicators, 11);
    cr_expect_eq(t->nlevels, 4);
    cr_expect_str_eq(t->nodes[t->nnodes - 1].code, "Index");
    /* settings COINr used for its expected outputs (../shared/data/README.md) */
    cr_expect_eq(t->settings.impute, QALA_IMPUTE_GROUP_MEAN);
    cr_expect_str_eq(t->settings.impute_group, "EurAsia_group");
    cr_expect_eq(t->nodes[0].treat_spec.winmax, 6);
    cr_expect_eq(t->nodes[0].normalise.method, QALA_NORM_MINMAX);
    cr_expect_eq(t->nodes[t->nnodes - 1].aggregate.method, QALA_AGG_ARITHMETIC);
    cr_expect_str_eq(qala_index_spec_level_name(spec, 2, QALA_LANG_EN), "Pillar");
}

/* Every row of COINr's iMeta (../shared/data/coinr-asem/COINr_ASEM_iMeta.csv) against the
 * spec: parent, direction, weight, denominator, level. */
Test(shipped, asem_agrees_with_every_row_of_coinr_imeta)
{
    const qala_index_tree *t = load_shipped("asem");
    coinr_table m;
    coinr_load(&m, "COINr_ASEM_iMeta.csv");
    size_t c_code = coinr_col(&m, "iCode"), c_parent = coinr_col(&m, "Parent"),
           c_dir = coinr_col(&m, "Direction"), c_w = coinr_col(&m, "Weight"),
           c_den = coinr_col(&m, "Denominator"), c_level = coinr_col(&m, "Level"),
           c_type = coinr_col(&m, "Type");
    size_t checked = 0;
    for (size_t r = 0; r < m.nrows; r++) {
        if (strcmp(CELL(c_type), "Indicator") != 0 && strcmp(CELL(c_type), "Aggregate") != 0)
            continue; /* the rows of groups and denominators */
        checked++;
        const char *code = CELL(c_code);
        size_t i;
        cr_assert_eq(qala_index_spec_find(spec, code, &i), QALA_OK, "%s missing", code);
        const qala_index_node *n = &t->nodes[i];
        if (n->parent == QALA_INDEX_NONE)
            cr_expect_str_eq(CELL(c_parent), "", "%s", code);
        else
            cr_expect_str_eq(t->nodes[n->parent].code, CELL(c_parent), "%s", code);
        cr_expect_eq(n->level, atoi(CELL(c_level)), "%s", code);
        cr_expect_float_eq(n->weight, atof(CELL(c_w)), 0, "%s", code);
        if (n->kind == QALA_INDEX_INDICATOR) {
            cr_expect_eq(n->direction, atoi(CELL(c_dir)), "%s", code);
            const char *den = CELL(c_den);
            if (den[0])
                cr_expect(n->denominator && strcmp(n->denominator, den) == 0, "%s", code);
            else
                cr_expect_null(n->denominator, "%s", code);
        }
    }
    coinr_free(&m);
    cr_expect_eq(checked, t->nnodes);
}

/* Every indicator and denominator of the city specs is a code of the default framework
 * (data/framework/indicators.csv), with the framework's direction. */
Test(shipped, city_specs_use_only_framework_codes_with_their_directions)
{
    qala_framework *fw = NULL;
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, NULL), QALA_OK);
    static const char *const names[] = {"city-development", "smart-city"};
    for (int s = 0; s < 2; s++) {
        const qala_index_tree *t = load_shipped(names[s]);
        for (size_t i = 0; i < t->nindicators; i++) {
            const qala_index_node *n = &t->nodes[i];
            size_t k;
            cr_assert_eq(qala_framework_find(fw, n->code, &k), QALA_OK, "%s", n->code);
            cr_expect_eq(n->direction, qala_framework_get(fw, k)->direction, "%s", n->code);
            if (n->denominator)
                cr_expect_eq(qala_framework_find(fw, n->denominator, &k), QALA_OK, "%s",
                             n->denominator);
            cr_expect_eq(n->normalise.method, QALA_NORM_MINMAX);
            cr_expect(n->treat);
        }
        cr_expect_eq(t->settings.impute, QALA_IMPUTE_NONE);
        cr_expect_float_eq(t->settings.unit_availability, 0.5, 0);
        cr_expect_float_eq(t->settings.indicator_availability, 0.5, 0);
        cr_expect_eq(t->nlevels, 3);
        cr_expect_str_neq(qala_index_spec_name(spec, QALA_LANG_KK),
                          qala_index_spec_name(spec, QALA_LANG_EN));
    }
    qala_framework_free(fw);
}

Test(shipped, city_development_has_eight_pillars_and_the_demo_indicators)
{
    const qala_index_tree *t = load_shipped("city-development");
    cr_expect_eq(t->nnodes - t->nindicators, 9);
    const qala_index_node *root = &t->nodes[t->nnodes - 1];
    cr_expect_str_eq(root->code, "city_development");
    cr_expect_float_eq(root->aggregate.availability, 0.5, 0); /* from levels[level 3] */
    cr_expect_float_eq(t->nodes[t->nindicators].aggregate.availability, 0, 0);
    static const char *const demo[] = {"wage_nominal_kzt", "household_spending_month_kzt",
        "unemployment_ilo_pct", "life_expectancy_years", "crimes_count",
        "emissions_stationary_kt", "env_protection_spending_kzt_thousand",
        "grp_per_capita_kzt_thousand"};
    for (size_t d = 0; d < sizeof demo / sizeof demo[0]; d++) {
        size_t i;
        cr_assert_eq(qala_index_spec_find(spec, demo[d], &i), QALA_OK, "%s", demo[d]);
    }
    size_t i;
    cr_assert_eq(qala_index_spec_find(spec, "crimes_count", &i), QALA_OK);
    cr_expect_str_eq(t->nodes[i].denominator, "population");
    cr_expect_float_eq(t->nodes[i].denominator_scale, 100000, 0);
    cr_expect_eq(t->nodes[i].direction, -1);
    cr_expect_str_eq(qala_index_spec_name(spec, QALA_LANG_RU), "Индекс развития городов");
    cr_expect_str_eq(qala_index_spec_name(spec, QALA_LANG_KK_LATN), "Қалалардың даму индексі");
}
