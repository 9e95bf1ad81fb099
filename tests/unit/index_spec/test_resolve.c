/* tests/unit/index_spec/test_resolve.c — resolution of a spec into a tree: the order
 * (indicators in file order, aggregates by level, the root last), levels, parents, the
 * settings merged default → level → node, weight sets, and the builder path.
 */
#include <math.h>

#include "fixture.h"

TestSuite(resolve, .init = setup, .fini = teardown);

static const qala_index_tree *load_ok(const char *json)
{
    qala_status st = load(json);
    if (st != QALA_OK)
        dump_findings();
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    const qala_index_tree *t = qala_index_spec_tree(spec);
    cr_assert_not_null(t);
    cr_assert_eq(qala_index_tree_check(t), QALA_OK, "%s", qala_error_last()->message);
    return t;
}

static const qala_index_node *node(const qala_index_tree *t, const char *code)
{
    size_t i;
    cr_assert_eq(qala_index_spec_find(spec, code, &i), QALA_OK, "no node %s", code);
    return &t->nodes[i];
}

Test(resolve, order_is_indicators_then_aggregates_by_level_root_last)
{
    /* aggregates given root first and with an uneven tree: a under P (level 2) under
     * S (level 3); b directly under S; c under Q (level 2) directly under the root */
    const qala_index_tree *t = load_ok(SPEC_HEAD
        "\"indicators\": [{\"code\": \"c\", \"parent\": \"Q\"}, {\"code\": \"a\", \"parent\": "
        "\"P\"}, {\"code\": \"b\", \"parent\": \"S\"}], \"aggregates\": [{\"code\": \"I\"}, "
        "{\"code\": \"S\", \"parent\": \"I\"}, {\"code\": \"Q\", \"parent\": \"I\"}, "
        "{\"code\": \"P\", \"parent\": \"S\"}]}");
    static const char *const order[] = {"c", "a", "b", "Q", "P", "S", "I"};
    static const int levels[] = {1, 1, 1, 2, 2, 3, 4};
    cr_assert_eq(t->nnodes, 7);
    cr_expect_eq(t->nindicators, 3);
    cr_expect_eq(t->nlevels, 4);
    for (size_t i = 0; i < 7; i++) {
        cr_expect_str_eq(t->nodes[i].code, order[i], "node %zu", i);
        cr_expect_eq(t->nodes[i].level, levels[i], "node %zu", i);
    }
    cr_expect_str_eq(t->nodes[t->nodes[2].parent].code, "S");
    cr_expect_eq(t->nodes[6].parent, QALA_INDEX_NONE);
    size_t i;
    cr_expect_eq(qala_index_spec_find(spec, "nope", &i), QALA_ENOTFOUND);
}

Test(resolve, aggregation_merges_defaults_then_level_then_node_key_by_key)
{
    const qala_index_tree *t = load_ok(SPEC_HEAD
        "\"defaults\": {\"aggregate\": {\"method\": \"geometric\", \"availability\": 0.2, "
        "\"offset\": 1}},"
        "\"levels\": [{\"level\": 2, \"aggregate\": {\"method\": \"power\", \"p\": 3, "
        "\"availability\": 0.4}}],"
        SPEC_INDICATORS ", \"aggregates\": [{\"code\": \"P\", \"parent\": \"I\", "
        "\"aggregate\": {\"availability\": 0.9}}, {\"code\": \"Q\", \"parent\": \"I\"}, "
        "{\"code\": \"I\", \"aggregate\": {\"method\": \"harmonic\"}}]}");
    const qala_index_node *p = node(t, "P"), *q = node(t, "Q"), *root = node(t, "I");
    cr_expect_eq(p->aggregate.method, QALA_AGG_POWER);          /* level */
    cr_expect_float_eq(p->aggregate.p, 3, 0);                    /* level */
    cr_expect_float_eq(p->aggregate.availability, 0.9, 0);       /* node */
    cr_expect_float_eq(p->aggregate.offset, 1, 0);               /* defaults */
    cr_expect_float_eq(q->aggregate.availability, 0.4, 0);       /* level */
    cr_expect_eq(root->aggregate.method, QALA_AGG_HARMONIC);     /* node */
    cr_expect_float_eq(root->aggregate.availability, 0.2, 0);    /* defaults: no level 3 */
}

Test(resolve, normalise_override_with_another_method_starts_from_its_defaults)
{
    const qala_index_tree *t = load_ok(SPEC_HEAD
        "\"defaults\": {\"normalise\": {\"method\": \"goalposts\", \"lower\": 0, \"upper\": 10, "
        "\"scale\": 100, \"pooled\": false}},"
        "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\"}, {\"code\": \"b\", \"parent\": "
        "\"I\", \"normalise\": {\"upper\": 20}}, {\"code\": \"c\", \"parent\": \"I\", "
        "\"normalise\": {\"method\": \"zscore\", \"sd\": 10}}, {\"code\": \"d\", \"parent\": "
        "\"I\", \"normalise\": {\"method\": \"dist2targ\", \"target\": 5, \"cap\": true}, "
        "\"transform\": {\"cap\": [null, 100]}}, {\"code\": \"e\", \"parent\": \"I\", "
        "\"normalise\": {\"method\": \"dist2ref\"}, \"ref\": \"KZ-AST\", \"transform\": "
        "\"log10\"}], \"aggregates\": [{\"code\": \"I\"}]}");
    const qala_index_node *a = node(t, "a"), *b = node(t, "b"), *c = node(t, "c"),
                          *d = node(t, "d"), *e = node(t, "e");
    cr_expect_eq(t->settings.pooled, 0);
    cr_expect_eq(a->normalise.method, QALA_NORM_GOALPOSTS);
    cr_expect_float_eq(a->normalise.upper, 10, 0);
    cr_expect_float_eq(a->normalise.factor, 100, 0); /* "scale" is goalposts' a */
    cr_expect_float_eq(b->normalise.lower, 0, 0);
    cr_expect_float_eq(b->normalise.upper, 20, 0);   /* same method: merged */
    cr_expect_float_eq(b->normalise.factor, 100, 0);
    cr_expect_eq(c->normalise.method, QALA_NORM_ZSCORE);
    cr_expect_float_eq(c->normalise.mean, 0, 0);     /* zscore's own default */
    cr_expect_float_eq(c->normalise.sd, 10, 0);
    cr_expect_float_eq(d->normalise.target, 5, 0);
    cr_expect_eq(d->normalise.cap, 1);
    cr_expect_eq(d->normalise.transform, QALA_NORM_TF_CAP);
    cr_expect(isnan(d->normalise.cap_lo));
    cr_expect_float_eq(d->normalise.cap_hi, 100, 0);
    cr_expect_str_eq(e->normalise_ref, "KZ-AST");
    cr_expect_eq(e->normalise.transform, QALA_NORM_TF_LOG10);
}

Test(resolve, treatment_defaults_and_node_overrides)
{
    const qala_index_tree *t = load_ok(SPEC_HEAD
        "\"defaults\": {\"treat\": false, \"screen\": {\"unit_availability\": 0.5, "
        "\"indicator_availability\": 0.25, \"max_zero_share\": 0.8}, \"impute\": {\"method\": "
        "\"median\", \"panel\": \"linear\", \"max_gap\": 2}},"
        "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\"}, {\"code\": \"b\", \"parent\": "
        "\"I\", \"treat\": {\"winmax\": 3, \"transform\": \"boxcox\", \"lambda\": 0.5, "
        "\"winchange\": false}}, {\"code\": \"c\", \"parent\": \"I\", \"treat\": true, "
        "\"denominator\": \"population\", \"denominator_scale\": 1000}], "
        "\"aggregates\": [{\"code\": \"I\"}]}");
    cr_expect_eq(node(t, "a")->treat, 0);
    const qala_index_node *b = node(t, "b"), *c = node(t, "c");
    cr_expect_eq(b->treat, 1);
    cr_expect_eq(b->treat_spec.winmax, 3);
    cr_expect_float_eq(b->treat_spec.skew_limit, 2, 0); /* QALA_TREAT_SPEC_DEFAULT */
    cr_expect_eq(b->treat_spec.transform, QALA_TREAT_BOXCOX);
    cr_expect_float_eq(b->treat_spec.lambda, 0.5, 0);
    cr_expect_eq(b->treat_spec.fixed_direction, 1);
    cr_expect_eq(c->treat, 1);
    cr_expect_eq(c->treat_spec.winmax, 5);
    cr_expect_str_eq(c->denominator, "population");
    cr_expect_float_eq(c->denominator_scale, 1000, 0);
    cr_expect_float_eq(t->settings.unit_availability, 0.5, 0);
    cr_expect_float_eq(t->settings.indicator_availability, 0.25, 0);
    cr_expect_float_eq(t->settings.max_zero_share, 0.8, 0);
    cr_expect_eq(t->settings.impute, QALA_IMPUTE_MEDIAN);
    cr_expect_eq(t->settings.panel_impute, QALA_IMPUTE_LINEAR);
    cr_expect_eq(t->settings.max_gap, 2);
}

Test(resolve, names_and_texts)
{
    load_ok("{\"qala_index\": 1, \"code\": \"t\", \"name\": {\"kk\": \"Индекс\", \"en\": "
            "\"Index\"}, \"source\": \"here\", \"levels\": [{\"level\": 2, \"name\": "
            "{\"ru\": \"Столп\", \"en\": \"Pillar\"}}], " SPEC_INDICATORS ", "
            SPEC_AGGREGATES "}");
    cr_expect_str_eq(qala_index_spec_name(spec, QALA_LANG_KK), "Индекс");
    cr_expect_str_eq(qala_index_spec_name(spec, QALA_LANG_RU), "Index"); /* English fallback */
    cr_expect_str_eq(qala_index_spec_source(spec), "here");
    cr_expect_str_eq(qala_index_spec_description(spec), "");
    cr_expect_str_eq(qala_index_spec_level_name(spec, 2, QALA_LANG_RU), "Столп");
    cr_expect_str_eq(qala_index_spec_level_name(spec, 2, QALA_LANG_KK), "Pillar");
    cr_expect_null(qala_index_spec_level_name(spec, 3, QALA_LANG_EN));
    load_ok(SPEC_OK);
    cr_expect_str_eq(qala_index_spec_name(spec, QALA_LANG_EN), "t"); /* the code */
}

Test(resolve, weight_sets_switch_the_tree_weights)
{
    const qala_index_tree *t = load_ok(SPEC_HEAD "\"weight_sets\": {\"policy\": {\"P\": 3, "
                                       "\"a\": 0.5}, \"flat\": {\"b\": 2}}, "
                                       SPEC_INDICATORS ", " SPEC_AGGREGATES "}");
    cr_expect_str_eq(qala_index_spec_weight_set(spec, 0), "default");
    cr_expect_str_eq(qala_index_spec_weight_set(spec, 1), "policy");
    cr_expect_str_eq(qala_index_spec_weight_set(spec, 2), "flat");
    cr_expect_null(qala_index_spec_weight_set(spec, 3));
    cr_expect_float_eq(node(t, "P")->weight, 1, 0);
    cr_assert_eq(qala_index_spec_use_weights(spec, "policy"), QALA_OK);
    cr_expect_float_eq(node(t, "P")->weight, 3, 0);
    cr_expect_float_eq(node(t, "a")->weight, 0.5, 0);
    cr_expect_float_eq(node(t, "b")->weight, 1, 0);
    cr_assert_eq(qala_index_spec_use_weights(spec, "flat"), QALA_OK);
    cr_expect_float_eq(node(t, "P")->weight, 1, 0);
    cr_expect_float_eq(node(t, "b")->weight, 2, 0);
    cr_expect_eq(qala_index_tree_check(t), QALA_OK);
    cr_assert_eq(qala_index_spec_use_weights(spec, "default"), QALA_OK);
    cr_expect_float_eq(node(t, "b")->weight, 1, 0);
    cr_expect_eq(qala_index_spec_use_weights(spec, "polcy"), QALA_ENOTFOUND);
    cr_expect_str_eq(qala_error_last()->message, "no weight set 'polcy' (the sets are default, "
                     "policy, flat)");
    cr_expect_float_eq(node(t, "b")->weight, 1, 0, "an unknown set changes nothing");
}

/* ---- the builder ----------------------------------------------------------------- */

static void add(const char *code, qala_index_node_kind kind, const char *parent, double w)
{
    qala_index_node n;
    qala_index_node_init(&n, kind, code);
    n.weight = w;
    cr_assert_eq(qala_index_spec_add_node(spec, &n, parent), QALA_OK);
}

Test(resolve, builder_resolves_a_tree_and_weight_set_chosen_before_finish)
{
    cr_assert_eq(qala_index_spec_set_code(spec, "built"), QALA_OK);
    qala_index_settings s;
    qala_index_settings_init(&s);
    s.unit_availability = 0.3;
    cr_assert_eq(qala_index_spec_set_settings(spec, &s), QALA_OK);
    add("Index", QALA_INDEX_AGGREGATE, NULL, 1);
    add("x", QALA_INDEX_INDICATOR, "Pil", 1);
    add("Pil", QALA_INDEX_AGGREGATE, "Index", 1);
    add("y", QALA_INDEX_INDICATOR, "Index", 2);
    cr_assert_eq(qala_index_spec_add_weight(spec, "alt", "y", 5), QALA_OK);
    cr_assert_eq(qala_index_spec_use_weights(spec, "alt"), QALA_OK);
    cr_assert_null(qala_index_spec_tree(spec));
    cr_assert_eq(qala_index_spec_finish(spec, found), QALA_OK, "%s", qala_error_last()->message);
    const qala_index_tree *t = qala_index_spec_tree(spec);
    cr_assert_not_null(t);
    cr_expect_str_eq(t->nodes[0].code, "x");
    cr_expect_str_eq(t->nodes[1].code, "y");
    cr_expect_str_eq(t->nodes[2].code, "Pil");
    cr_expect_str_eq(t->nodes[3].code, "Index");
    cr_expect_eq(t->nodes[3].level, 3);
    cr_expect_float_eq(t->nodes[1].weight, 5, 0);
    cr_expect_float_eq(t->settings.unit_availability, 0.3, 0);
    cr_expect_eq(qala_index_spec_set_code(spec, "Bad Code"), QALA_EINVAL);
}

Test(resolve, builder_errors_are_findings_and_empty_the_spec)
{
    cr_assert_eq(qala_index_spec_set_code(spec, "built"), QALA_OK);
    add("I", QALA_INDEX_AGGREGATE, NULL, 1);
    add("x", QALA_INDEX_INDICATOR, "I", -2);
    qala_index_node n;
    qala_index_node_init(&n, QALA_INDEX_INDICATOR, "z");
    n.direction = 3;
    n.normalise.lower = 100;
    n.normalise.upper = 0;
    cr_assert_eq(qala_index_spec_add_node(spec, &n, "I"), QALA_OK);
    cr_assert_eq(qala_index_spec_finish(spec, found), QALA_EDATA);
    EXPECT_FINDING("bad-weight", "nodes[1] 'x': weight must be > 0, got -2");
    EXPECT_FINDING("bad-direction", "nodes[2] 'z': direction must be 1 or -1, got 3");
    EXPECT_FINDING("bad-goalposts", "nodes[2] 'z': normalise minmax: lower (100) must be below "
                   "upper (0)");
    cr_expect_str_eq(qala_findings_get(found, 0)->file, "built");
    cr_expect_null(qala_index_spec_tree(spec));
    cr_expect_null(qala_index_spec_weight_set(spec, 1));
    cr_expect_str_eq(qala_index_spec_code(spec), "");
}

Test(resolve, changing_a_finished_spec_drops_its_tree)
{
    load_ok(SPEC_OK);
    add("d", QALA_INDEX_INDICATOR, "Q", 1);
    cr_expect_null(qala_index_spec_tree(spec));
    cr_assert_eq(qala_index_spec_finish(spec, found), QALA_OK);
    cr_expect_eq(qala_index_spec_tree(spec)->nindicators, 4);
}
