/* tests/unit/index_spec/test_validation.c — every validation rule of docs/index-spec.md
 * with its exact message, on small JSON specs built from fixture.h's valid one. Each
 * failing load must be QALA_EDATA (or QALA_EPARSE / QALA_ELIMIT where said) and leave the
 * spec empty; warnings must not fail the load.
 */
#include "fixture.h"

TestSuite(validation, .init = setup, .fini = teardown);

static void expect_rejected(const char *json)
{
    cr_expect_eq(load(json), QALA_EDATA, "%s", qala_error_last()->message);
    cr_expect_null(qala_index_spec_tree(spec));
    cr_expect_str_eq(qala_index_spec_code(spec), "", "a rejected spec is left empty");
    cr_expect_gt(qala_findings_errors(found), 0);
}

Test(validation, the_small_spec_of_the_fixture_is_valid)
{
    cr_assert_eq(load(SPEC_OK), QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_findings_count(found), 0);
}

Test(validation, unknown_keys_are_errors_with_a_suggestion)
{
    expect_rejected(SPEC_HEAD "\"indicatrs\": [], \"nmae\": \"x\", " SPEC_AGGREGATES "}");
    EXPECT_FINDING("unknown-key", "unknown key \"indicatrs\" (did you mean \"indicators\"?)");
    EXPECT_FINDING("unknown-key", "unknown key \"nmae\" (did you mean \"name\"?)");
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\", "
                    "\"wieght\": 2, \"normalise\": {\"lowr\": 1}, \"zzzzzzzz\": 1}], "
                    "\"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("unknown-key", "indicators[0] 'a': unknown key \"wieght\" (did you mean "
                   "\"weight\"?)");
    EXPECT_FINDING("unknown-key", "indicators[0] 'a': unknown key \"normalise.lowr\" (did you "
                   "mean \"lower\"?)");
    EXPECT_FINDING("unknown-key", "indicators[0] 'a': unknown key \"zzzzzzzz\"");
}

Test(validation, wrong_types_name_the_key_and_the_type)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\", "
                    "\"weight\": \"2\"}, 7], \"aggregates\": [{\"code\": \"I\"}], "
                    "\"defaults\": {\"normalise\": {\"trunc\": 1}}}");
    EXPECT_FINDING("bad-type", "indicators[0] 'a': weight must be a number, got a string");
    EXPECT_FINDING("bad-type", "indicators[1]: a node must be an object, got a number");
    EXPECT_FINDING("bad-type", "defaults: normalise.trunc must be true or false, got a number");
    expect_rejected("[1, 2]");
    EXPECT_FINDING("bad-type", "an index spec must be a JSON object, got an array");
}

Test(validation, missing_code_of_a_node)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"parent\": \"I\"}, {\"code\": \"a\", "
                    "\"parent\": \"I\"}], \"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("missing-code", "indicators[0]: code is missing");
}

Test(validation, duplicate_codes_also_between_indicator_and_aggregate)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\"}, "
                    "{\"code\": \"a\", \"parent\": \"I\"}, {\"code\": \"I\", \"parent\": \"I\"}],"
                    " \"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("duplicate-code", "indicators[1] 'a': duplicate code: indicators[0] has it "
                   "already");
    EXPECT_FINDING("duplicate-code", "aggregates[0] 'I': duplicate code: indicators[2] has it "
                   "already");
}

Test(validation, unknown_parent_with_a_suggestion)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"Pilar\"}, "
                    "{\"code\": \"b\", \"parent\": \"Pillar\"}], \"aggregates\": [{\"code\": "
                    "\"Pillar\", \"parent\": \"Nowhere_at_all\"}, {\"code\": \"I\"}]}");
    EXPECT_FINDING("unknown-parent", "indicators[0] 'a': unknown parent 'Pilar' (did you mean "
                   "'Pillar'?)");
    EXPECT_FINDING("unknown-parent", "aggregates[0] 'Pillar': unknown parent 'Nowhere_at_all'");
}

Test(validation, parent_that_is_an_indicator)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\"}, "
                    "{\"code\": \"b\", \"parent\": \"a\"}], \"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("parent-is-indicator", "indicators[1] 'b': parent 'a' is an indicator; a "
                   "parent must be an aggregate");
}

Test(validation, orphan_indicator)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\"}, "
                    "{\"code\": \"b\"}], \"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("orphan-indicator", "indicators[1] 'b': indicator has no parent");
}

Test(validation, aggregate_without_children)
{
    expect_rejected(SPEC_HEAD SPEC_INDICATORS ", \"aggregates\": [{\"code\": \"P\", \"parent\": "
                    "\"I\"}, {\"code\": \"Q\", \"parent\": \"I\"}, {\"code\": \"E\", \"parent\": "
                    "\"I\"}, {\"code\": \"I\"}]}");
    EXPECT_FINDING("no-children", "aggregates[2] 'E': aggregate has no children");
}

Test(validation, no_root_and_several_roots)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"P\"}], "
                    "\"aggregates\": [{\"code\": \"P\", \"parent\": \"Q\"}, {\"code\": \"Q\", "
                    "\"parent\": \"P\"}]}");
    EXPECT_FINDING("no-root", "aggregates: no root; exactly one aggregate (the index) must "
                   "have no parent");
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"P\"}, "
                    "{\"code\": \"b\", \"parent\": \"Q\"}], \"aggregates\": [{\"code\": \"P\"}, "
                    "{\"code\": \"Q\"}]}");
    EXPECT_FINDING("several-roots", "aggregates: 2 roots ('P', 'Q'); exactly one aggregate "
                   "(the index) may have no parent");
}

Test(validation, cycle_among_aggregates_is_reported_with_its_path)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"A\"}, "
                    "{\"code\": \"b\", \"parent\": \"I\"}], \"aggregates\": [{\"code\": \"A\", "
                    "\"parent\": \"B\"}, {\"code\": \"B\", \"parent\": \"A\"}, {\"code\": \"I\"}]}");
    EXPECT_FINDING("cycle", "aggregates[0] 'A': cycle among aggregates: 'A' -> 'B' -> 'A'");
    cr_expect_eq(qala_findings_errors(found), 1, "the cycle is reported once");
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"S\"}, "
                    "{\"code\": \"b\", \"parent\": \"I\"}], \"aggregates\": [{\"code\": \"S\", "
                    "\"parent\": \"S\"}, {\"code\": \"I\"}]}");
    EXPECT_FINDING("cycle", "aggregates[0] 'S': cycle among aggregates: 'S' -> 'S'");
}

Test(validation, weight_must_be_positive)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\"}, "
                    "{\"code\": \"b\", \"parent\": \"I\", \"weight\": 0}, {\"code\": \"Goods\", "
                    "\"parent\": \"I\", \"weight\": -1}], \"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("bad-weight", "indicators[1] 'b': weight must be > 0, got 0");
    EXPECT_FINDING("bad-weight", "indicators[2] 'Goods': weight must be > 0, got -1");
    cr_expect_str_eq(qala_findings_get(found, 0)->file, "t.json");
}

Test(validation, direction_must_be_plus_or_minus_one)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\", "
                    "\"direction\": 0}, {\"code\": \"b\", \"parent\": \"I\", \"direction\": "
                    "0.5}], \"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("bad-direction", "indicators[0] 'a': direction must be 1 or -1, got 0");
    EXPECT_FINDING("bad-direction", "indicators[1] 'b': direction must be 1 or -1, got 0.5");
}

Test(validation, unknown_methods_list_the_accepted_ones)
{
    expect_rejected(SPEC_HEAD "\"defaults\": {\"normalise\": {\"method\": \"minimax\"}, "
                    "\"aggregate\": {\"method\": \"mean\"}, \"impute\": {\"method\": \"avg\", "
                    "\"panel\": \"mean\"}, \"treat\": {\"transform\": \"ln\"}}, "
                    SPEC_INDICATORS ", " SPEC_AGGREGATES "}");
    EXPECT_FINDING("unknown-method", "defaults: normalise.method: unknown normalisation method "
                   "'minimax' (expected one of minmax, zscore, scaled, goalposts, dist2targ, "
                   "dist2max, dist2ref, fracmax, rank, borda, prank, none)");
    EXPECT_FINDING("unknown-method", "defaults: aggregate.method: unknown aggregation method "
                   "'mean' (expected arithmetic, geometric, harmonic, power, copeland, mpi or "
                   "meanmin)");
    EXPECT_FINDING("unknown-method", "defaults: impute.panel: \"mean\" is not a panel method "
                   "(expected none, latest, nearest, linear or linear_constant)");
    cr_expect_eq(qala_findings_errors(found), 5);
}

Test(validation, coinr_method_names_are_accepted)
{
    cr_expect_eq(load(SPEC_HEAD "\"defaults\": {\"aggregate\": {\"method\": \"a_gmean\"}, "
                      "\"impute\": {\"method\": \"indgroup_mean\", \"group\": \"g\"}, "
                      "\"treat\": {\"transform\": \"CTlog\"}}, " SPEC_INDICATORS ", "
                      SPEC_AGGREGATES "}"), QALA_OK, "%s", qala_error_last()->message);
    const qala_index_tree *t = qala_index_spec_tree(spec);
    cr_expect_eq(t->nodes[t->nnodes - 1].aggregate.method, QALA_AGG_GEOMETRIC);
    cr_expect_eq(t->settings.impute, QALA_IMPUTE_GROUP_MEAN);
}

Test(validation, unknown_transform)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\", "
                    "\"transform\": \"sqrt\"}, {\"code\": \"b\", \"parent\": \"I\", "
                    "\"transform\": {\"cap\": [5, 1]}}], \"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("bad-transform", "indicators[0] 'a': transform \"sqrt\" is not log, log10, "
                   "none or {\"cap\": [lower, upper]}");
    EXPECT_FINDING("bad-transform", "indicators[1] 'b': transform.cap: lower bound 5 is above "
                   "upper bound 1");
}

Test(validation, reversed_goalposts)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\", "
                    "\"normalise\": {\"method\": \"goalposts\", \"lower\": 10, \"upper\": 5}}], "
                    "\"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("bad-goalposts", "indicators[0] 'a': normalise goalposts: lower (10) must be "
                   "below upper (5)");
}

Test(validation, dist2targ_needs_a_target_and_dist2ref_a_ref)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\", "
                    "\"normalise\": {\"method\": \"dist2targ\"}}, {\"code\": \"b\", \"parent\": "
                    "\"I\", \"normalise\": {\"method\": \"dist2ref\"}}], \"aggregates\": "
                    "[{\"code\": \"I\"}]}");
    EXPECT_FINDING("missing-target", "indicators[0] 'a': normalise dist2targ needs a \"target\" "
                   "(in the indicator's units)");
    EXPECT_FINDING("missing-ref", "indicators[1] 'b': normalise dist2ref needs \"ref\", the code "
                   "of the reference unit");
}

Test(validation, availability_outside_zero_one)
{
    expect_rejected(SPEC_HEAD "\"defaults\": {\"screen\": {\"unit_availability\": 1.5}, "
                    "\"aggregate\": {\"availability\": -0.1}}, " SPEC_INDICATORS ", "
                    SPEC_AGGREGATES "}");
    EXPECT_FINDING("bad-availability", "defaults: screen.unit_availability must be between 0 "
                   "and 1, got 1.5");
    EXPECT_FINDING("bad-availability", "defaults: aggregate.availability must be between 0 and "
                   "1, got -0.1");
}

Test(validation, aggregation_parameters)
{
    expect_rejected(SPEC_HEAD SPEC_INDICATORS ", \"aggregates\": [{\"code\": \"P\", \"parent\": "
                    "\"I\", \"aggregate\": {\"method\": \"power\", \"p\": 0}}, {\"code\": \"Q\", "
                    "\"parent\": \"I\", \"aggregate\": {\"method\": \"meanmin\", \"alpha\": 2, "
                    "\"beta\": -1, \"offset\": -3}}, {\"code\": \"I\", \"aggregate\": "
                    "{\"method\": \"power\"}}]}");
    EXPECT_FINDING("bad-parameter", "aggregates[0] 'P': aggregate.p (the power mean's exponent) "
                   "must not be 0");
    EXPECT_FINDING("bad-parameter", "aggregates[1] 'Q': aggregate.alpha must be between 0 and "
                   "1, got 2");
    EXPECT_FINDING("bad-parameter", "aggregates[1] 'Q': aggregate.beta must be >= 0, got -1");
    EXPECT_FINDING("bad-parameter", "aggregates[1] 'Q': aggregate.offset must be >= 0, got -3");
    /* p not given at all for a power mean: found on the resolved node */
    EXPECT_FINDING("bad-parameter", "aggregates[2] 'I': aggregate method power needs \"p\" (the "
                   "exponent, not 0), got 0");
}

Test(validation, a_level_that_does_not_exist_is_a_warning)
{
    cr_expect_eq(load(SPEC_HEAD "\"levels\": [{\"level\": 7, \"name\": \"Top\"}], "
                      SPEC_INDICATORS ", " SPEC_AGGREGATES "}"), QALA_OK);
    cr_expect_eq(qala_findings_warnings(found), 1);
    EXPECT_FINDING("unknown-level", "levels[0]: level 7 does not exist (the aggregates are of "
                   "levels 2 to 3); ignored");
    expect_rejected(SPEC_HEAD "\"levels\": [{\"level\": 1}, {\"level\": 2}, {\"level\": 2}], "
                    SPEC_INDICATORS ", " SPEC_AGGREGATES "}");
    EXPECT_FINDING("bad-level", "levels[0]: level must be a whole number >= 2 (level 1 is the "
                   "indicators), got 1");
    EXPECT_FINDING("bad-level", "levels[2]: level 2 is given twice (also levels[1])");
}

Test(validation, weight_sets_naming_unknown_nodes_or_default)
{
    expect_rejected(SPEC_HEAD "\"weight_sets\": {\"policy\": {\"Pp\": 2, \"Q\": -1}, "
                    "\"default\": {\"P\": 1}}, " SPEC_INDICATORS ", " SPEC_AGGREGATES "}");
    EXPECT_FINDING("unknown-weight-node", "weight_sets.policy: unknown node 'Pp' (did you mean "
                   "'P'?)");
    EXPECT_FINDING("bad-weight", "weight_sets.policy: weight of 'Q' must be > 0, got -1");
    EXPECT_FINDING("reserved-set-name", "weight_sets: a set may not be named \"default\" (it "
                   "means the nodes' own weights)");
}

Test(validation, format_version_other_than_one)
{
    expect_rejected("{\"qala_index\": 2, \"code\": \"t\", " SPEC_INDICATORS ", "
                    SPEC_AGGREGATES "}");
    EXPECT_FINDING("bad-version", "qala_index is 2, but this version of qala reads format 1");
    expect_rejected("{\"code\": \"t\", " SPEC_INDICATORS ", " SPEC_AGGREGATES "}");
    EXPECT_FINDING("missing-key", "missing key \"qala_index\" (the format version, 1)");
}

Test(validation, spec_code_is_required_and_restricted)
{
    expect_rejected("{\"qala_index\": 1, \"code\": \"My Index\", " SPEC_INDICATORS ", "
                    SPEC_AGGREGATES "}");
    EXPECT_FINDING("bad-code", "code \"My Index\" must be 1 to 64 characters of a-z, 0-9, '_' "
                   "and '-'");
    expect_rejected("{\"qala_index\": 1, " SPEC_INDICATORS ", " SPEC_AGGREGATES "}");
    EXPECT_FINDING("missing-key", "missing key \"code\" (the spec's code, e.g. "
                   "\"city-development\")");
}

Test(validation, grouped_imputation_needs_a_group)
{
    expect_rejected(SPEC_HEAD "\"defaults\": {\"impute\": {\"method\": \"group_median\"}}, "
                    SPEC_INDICATORS ", " SPEC_AGGREGATES "}");
    EXPECT_FINDING("missing-group", "defaults.impute: method group_median needs \"group\", the "
                   "name of a grouping of the units");
    expect_rejected(SPEC_HEAD "\"defaults\": {\"impute\": {\"method\": \"latest\"}}, "
                    SPEC_INDICATORS ", " SPEC_AGGREGATES "}");
    EXPECT_FINDING("unknown-method", "defaults: impute.method: \"latest\" is a panel method: "
                   "give it as impute.panel (method expects none, mean, median, group_mean or "
                   "group_median)");
}

Test(validation, a_spec_without_indicators)
{
    expect_rejected(SPEC_HEAD "\"aggregates\": [{\"code\": \"I\"}]}");
    EXPECT_FINDING("no-indicators", "indicators: the index has no indicators");
}

Test(validation, ref_without_dist2ref_is_a_warning)
{
    cr_expect_eq(load(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"I\", "
                      "\"ref\": \"KZ-AST\"}], \"aggregates\": [{\"code\": \"I\"}]}"), QALA_OK);
    EXPECT_FINDING("unused-key", "indicators[0] 'a': ref is only used by normalise method "
                   "dist2ref; ignored");
    cr_expect_null(qala_index_spec_tree(spec)->nodes[0].normalise_ref);
}

Test(validation, all_problems_are_reported_in_one_pass)
{
    expect_rejected(SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"P\", "
                    "\"weight\": -1}, {\"code\": \"b\"}, {\"code\": \"c\", \"parent\": \"X\"}], "
                    "\"aggregates\": [{\"code\": \"P\", \"parent\": \"I\", \"aggregate\": "
                    "{\"metod\": \"x\"}}, {\"code\": \"I\"}, {\"code\": \"J\"}]}");
    cr_expect_eq(qala_findings_errors(found), 6);
}
