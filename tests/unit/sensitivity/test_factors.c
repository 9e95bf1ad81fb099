/* tests/unit/sensitivity/test_factors.c — factor files and the C API (src/sensitivity.c,
 * src/sensitivity_json.c): what a good file gives, one exact message per bad file, the
 * checks against a tree and of the options, what each kind of factor does to a run
 * (checked against qala_index_run on a hand-made tree), and allocation failure at every
 * allocation of a load and of an analysis.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/sensitivity.h"

/* ---- a small index: a, b, c under P; d under Q; P and Q under I; 6 units ------------ */

static qala_index_node N[7];
static qala_index_tree T;
static const char *units[6] = {"u1", "u2", "u3", "u4", "u5", "u6"};
static double ca[6] = {1, 2, 3, 4, 5, 6}, cb[6] = {6, 1, 5, 2, 4, 3}, cc[6] = {2, 2, 9, 1, 3, 4},
              cd[6] = {5, 4, 3, 2, 1, 7};
static const char *col_codes[4] = {"a", "b", "c", "d"};
static const double *cols[4] = {ca, cb, cc, cd};
static qala_index_input IN = {6, units, 1, NULL, 4, col_codes, cols, 0, NULL};

static void small_tree(void)
{
    const char *codes[7] = {"a", "b", "c", "d", "P", "Q", "I"};
    size_t parent[7] = {4, 4, 4, 5, 6, 6, QALA_INDEX_NONE};
    int level[7] = {1, 1, 1, 1, 2, 2, 3};
    for (size_t i = 0; i < 7; i++) {
        qala_index_node_init(&N[i], i < 4 ? QALA_INDEX_INDICATOR : QALA_INDEX_AGGREGATE, codes[i]);
        N[i].parent = parent[i];
        N[i].level = level[i];
        N[i].treat = 0;
    }
    T.nodes = N;
    T.nnodes = 7;
    T.nindicators = 4;
    T.nlevels = 3;
    qala_index_settings_init(&T.settings);
}

TestSuite(sens_factors, .init = small_tree);

static qala_status load(qala_sens_factors *f, const char *json)
{
    return qala_sens_factors_load_json(f, json, strlen(json), "f.json");
}

Test(sens_factors, a_file_with_every_kind_loads)
{
    qala_sens_factors *f;
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    cr_assert_eq(load(f, "{\"qala_sensitivity\": 1, \"description\": \"x\", \"factors\": ["
                         "{\"type\": \"weights\", \"noise\": [{\"level\": 1, \"fraction\": 0.5}]},"
                         "{\"type\": \"normalise\", \"methods\": [\"minmax\", {\"method\": "
                         "\"goalposts\", \"lower\": 0, \"upper\": 10, \"trunc\": false}]},"
                         "{\"type\": \"aggregate\", \"level\": 2, \"methods\": [\"arithmetic\", "
                         "{\"method\": \"power\", \"p\": 2}]},"
                         "{\"type\": \"impute\", \"methods\": [\"none\", \"mean\"]},"
                         "{\"type\": \"treat\", \"winmax\": [0, 3]},"
                         "{\"name\": \"loo\", \"type\": \"exclude\", \"indicators\": \"all\"},"
                         "{\"type\": \"threshold\", \"fraction\": 0.1}]}"),
                 QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_sens_factors_count(f), 7);
    const char *names[7] = {"weights", "normalise", "aggregate", "impute", "treat", "loo",
                            "threshold"};
    size_t nalt[7] = {100, 2, 2, 2, 2, 5, 1};
    for (size_t i = 0; i < 7; i++) {
        cr_assert_str_eq(qala_sens_factor_name(f, i), names[i]);
        cr_assert_eq(qala_sens_factor_kind(f, i), (qala_sens_kind)(i == 6 ? 6 : i));
        cr_assert_eq(qala_sens_factor_alternatives(f, i, &T), nalt[i], "factor %zu", i);
    }
    char buf[64];
    qala_sens_alternative_text(f, 1, 1, &T, buf, sizeof buf);
    cr_assert_str_eq(buf, "goalposts");
    qala_sens_alternative_text(f, 2, 1, &T, buf, sizeof buf);
    cr_assert_str_eq(buf, "power");
    qala_sens_alternative_text(f, 4, 0, &T, buf, sizeof buf);
    cr_assert_str_eq(buf, "off");
    qala_sens_alternative_text(f, 4, 1, &T, buf, sizeof buf);
    cr_assert_str_eq(buf, "winmax 3");
    qala_sens_alternative_text(f, 5, 0, &T, buf, sizeof buf);
    cr_assert_str_eq(buf, "none");
    qala_sens_alternative_text(f, 5, 3, &T, buf, sizeof buf);
    cr_assert_str_eq(buf, "-c");
    qala_sens_alternative_text(f, 0, 17, &T, buf, sizeof buf);
    cr_assert_str_eq(buf, "replication 17");
    /* the threshold factor is declared but not run */
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    qala_sens_result *r = (void *)1;
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_EINVAL);
    cr_assert_null(r);
    cr_assert_str_eq(qala_error_last()->message, "factor 'threshold': threshold factors are "
                     "declared in the format but not implemented yet");
    qala_sens_factors_free(f);
}

/* One bad file, its status and exact message (qala_error_last()->file is the file). */
static void bad(const char *json, qala_status code, const char *message)
{
    qala_sens_factors *f;
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    cr_assert_eq(qala_sens_add_treat(f, "kept", (size_t[]){1}, 1), QALA_OK);
    cr_assert_eq(load(f, json), code, "%s", json);
    cr_assert_str_eq(qala_error_last()->message, message);
    cr_assert_str_eq(qala_error_last()->file, "f.json");
    /* the factors added before stay; none of the bad file's */
    cr_assert_eq(qala_sens_factors_count(f), 1);
    qala_sens_factors_free(f);
}

Test(sens_factors, bad_files_have_exact_messages)
{
    bad("{\"qala_sensitivity\": 1, \"factors\": [", QALA_EPARSE,
        "']' expected near end of file");
    bad("[]", QALA_EINVAL, "a factor file must be a JSON object, got an array");
    bad("{\"factors\": []}", QALA_EINVAL,
        "missing key \"qala_sensitivity\" (the format version, 1)");
    bad("{\"qala_sensitivity\": 2, \"factors\": []}", QALA_EINVAL,
        "qala_sensitivity must be 1, the format this version of qala reads");
    bad("{\"qala_sensitivity\": 1, \"factor\": []}", QALA_EINVAL,
        "factor file: unknown key \"factor\"");
    bad("{\"qala_sensitivity\": 1, \"factors\": []}", QALA_EINVAL,
        "factor file: factors must be a non-empty array, got an empty array");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"weight\"}]}", QALA_EINVAL,
        "factors[0]: unknown type 'weight' (expected weights, normalise, aggregate, impute, "
        "treat, exclude or threshold)");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"name\": \"w\"}]}", QALA_EINVAL,
        "factors[0] 'w': missing key \"type\" (weights, normalise, aggregate, impute, treat, "
        "exclude or threshold)");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"weights\", \"noise\": [{\"level\": "
        "2, \"fraction\": 1.5}]}]}", QALA_EINVAL,
        "factors[0]: noise[0].fraction must be a number in (0, 1)");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"weights\", \"noise\": [{\"level\": "
        "2, \"fraction\": 0.1}, {\"level\": 2, \"fraction\": 0.2}]}]}", QALA_EINVAL,
        "factors[0]: noise[1]: level 2 is given twice");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"weights\", \"noise\": [], "
        "\"replications\": 5}]}", QALA_EINVAL,
        "factors[0]: noise must be a non-empty array, got an empty array");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"name\": \"n\", \"type\": \"normalise\", "
        "\"methods\": [\"minimax\"]}]}", QALA_EINVAL,
        "factors[0] 'n': methods[0]: unknown normalisation method 'minimax' (expected one of "
        "minmax, zscore, scaled, goalposts, dist2targ, dist2max, dist2ref, fracmax, rank, "
        "borda, prank, none)");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"normalise\", \"methods\": "
        "[{\"method\": \"zscore\", \"sdd\": 2}]}]}", QALA_EINVAL,
        "factors[0]: unknown key \"methods.sdd\"");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"normalise\", \"methods\": "
        "[\"dist2ref\"]}]}", QALA_EINVAL,
        "factors[0]: normalisation method dist2ref needs a reference unit and cannot be an "
        "alternative");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"aggregate\", \"level\": 1, "
        "\"methods\": [\"arithmetic\"]}]}", QALA_EINVAL,
        "factors[0]: level must be 0 (every aggregate) or a whole number >= 2");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"impute\", \"methods\": "
        "[\"latest\"]}]}", QALA_EINVAL,
        "factors[0]: methods[0]: latest is a panel method; the alternatives are cross-section "
        "methods (none, mean, median, group_mean, group_median)");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"treat\", \"winmax\": [-1]}]}",
        QALA_EINVAL, "factors[0]: winmax[0] must be a whole number from 0 (no treatment) to 1000000");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"treat\", \"winmax\": 3}]}",
        QALA_EINVAL, "factors[0]: winmax must be a non-empty array, got an integer");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"exclude\", \"indicators\": [1]}]}",
        QALA_EINVAL, "factors[0]: indicators[0] must be an indicator code");
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"threshold\", \"fraction\": 0}]}",
        QALA_EINVAL, "factors[0]: fraction must be a number in (0, 1)");
    /* a name used twice, here with the factor added before the file */
    bad("{\"qala_sensitivity\": 1, \"factors\": [{\"type\": \"treat\", \"winmax\": [2]}, "
        "{\"name\": \"kept\", \"type\": \"treat\", \"winmax\": [2]}]}", QALA_EINVAL,
        "factors[1] 'kept': the name 'kept' is used by another factor");
}

Test(sens_factors, factors_and_options_are_checked_against_the_tree)
{
    qala_sens_factors *f;
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    qala_sens_result *r = NULL;
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message, "no uncertain factors given");
    cr_assert_eq(qala_sens_add_weights(f, NULL, (int[]){4}, (double[]){0.2}, 1, 10), QALA_OK);
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message,
                     "factor 'weights': the index has no level 4 (its levels are 1 to 3)");
    qala_sens_factors_free(f);
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    cr_assert_eq(qala_sens_add_exclude(f, NULL, (const char *[]){"a", "P"}, 2), QALA_OK);
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message,
                     "factor 'exclude': 'P' is not an indicator of the index");
    qala_sens_factors_free(f);
    /* 21 factors in a Sobol design */
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    for (int i = 0; i < 21; i++) {
        char name[16];
        snprintf(name, sizeof name, "t%d", i);
        cr_assert_eq(qala_sens_add_treat(f, name, (size_t[]){0, 1}, 2), QALA_OK);
    }
    opt.design = QALA_SENS_SOBOL;
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message,
                     "a Sobol design of 21 factors needs 42 dimensions, but GSL's Sobol "
                     "sequence has at most 40 (at most 20 factors)");
    opt.design = QALA_SENS_UNCERTAINTY;
    opt.level = 1;
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message,
                     "level must be 0 (the index) or 2 to 3 (aggregates), got 1");
    opt.level = 0;
    opt.n = 0;
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_EINVAL);
    opt.n = 5;
    const char *who[] = {"u9"};
    opt.units = who;
    opt.nunits = 1;
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_ENOTFOUND);
    cr_assert_str_eq(qala_error_last()->message, "unit 'u9' is not in the data");
    cr_assert_null(r);
    qala_sens_factors_free(f);
    /* the builders' own checks */
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    cr_assert_eq(qala_sens_add_weights(f, NULL, (int[]){2}, (double[]){1.0}, 1, 10), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message,
                     "factor 'weights': noise fraction must be in (0, 1), got 1");
    cr_assert_eq(qala_sens_add_treat(f, "", (size_t[]){1}, 1), QALA_EINVAL);
    cr_assert_eq(qala_sens_add_impute(f, NULL, (qala_impute_method[]){QALA_IMPUTE_LINEAR}, 1,
                                      NULL), QALA_EINVAL);
    cr_assert_eq(qala_sens_factors_count(f), 0);
    qala_sens_factors_free(f);
}

/* Index ranks of one pipeline run of tree t (units in input order). */
static void ranks_of(const qala_index_tree *t, const qala_index_input *in, uint32_t *out)
{
    qala_index_result *res;
    cr_assert_eq(qala_index_run(&res, t, in), QALA_OK, "%s", qala_error_last()->message);
    const double *rk = qala_index_result_column(res, QALA_INDEX_STAGE_RANKED, t->nnodes - 1);
    for (size_t u = 0; u < 6; u++)
        out[u] = isnan(rk[u]) ? 0 : (uint32_t)rk[u];
    qala_index_result_free(res);
}

Test(sens_factors, each_run_is_the_pipeline_on_the_changed_tree)
{
    qala_sens_factors *f;
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    cr_assert_eq(qala_sens_add_exclude(f, "loo", NULL, 0), QALA_OK);
    qala_agg_spec alts[2] = {{.method = QALA_AGG_ARITHMETIC}, {.method = QALA_AGG_GEOMETRIC}};
    cr_assert_eq(qala_sens_add_aggregate(f, "agg", 2, alts, 2), QALA_OK);
    qala_normalise_spec ns[2];
    qala_normalise_spec_init(&ns[0], QALA_NORM_MINMAX);
    ns[0].lower = 1;
    qala_normalise_spec_init(&ns[1], QALA_NORM_RANK);
    cr_assert_eq(qala_sens_add_normalise(f, "norm", ns, 2), QALA_OK);
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.n = 40;
    opt.threads = 2;
    qala_sens_result *r;
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_OK, "%s", qala_error_last()->message);
    uint32_t want[6];
    ranks_of(&T, &IN, want);
    cr_assert_eq(memcmp(qala_sens_result_ranks(r, SIZE_MAX, 0), want, sizeof want), 0);
    size_t seen_exclude = 0;
    for (size_t run = 0; run < 40; run++) {
        const uint32_t *c = qala_sens_result_choices(r, run);
        qala_index_node nodes[7];
        memcpy(nodes, N, sizeof nodes);
        qala_index_tree t = T;
        t.nodes = nodes;
        const char *codes[4] = {"a", "b", "c", "d"};
        qala_index_input in = IN;
        in.column_codes = codes;
        if (c[0] > 0) {
            codes[c[0] - 1] = "gone"; /* leave indicator c[0] - 1 out */
            seen_exclude++;
        }
        nodes[4].aggregate.method = nodes[5].aggregate.method = alts[c[1]].method;
        for (size_t i = 0; i < 4; i++)
            nodes[i].normalise = ns[c[2]];
        ranks_of(&t, &in, want);
        cr_assert_eq(memcmp(qala_sens_result_ranks(r, run, 0), want, sizeof want), 0,
                     "run %zu (%u, %u, %u)", run, c[0], c[1], c[2]);
    }
    cr_assert_gt(seen_exclude, 20);
    qala_sens_result_free(r);
    qala_sens_factors_free(f);
}

Test(sens_factors, a_failing_run_names_the_run_and_its_choices)
{
    qala_sens_factors *f;
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    qala_normalise_spec ns;
    qala_normalise_spec_init(&ns, QALA_NORM_ZSCORE); /* negative scores */
    cr_assert_eq(qala_sens_add_normalise(f, "norm", &ns, 1), QALA_OK);
    qala_agg_spec g = {.method = QALA_AGG_GEOMETRIC};
    cr_assert_eq(qala_sens_add_aggregate(f, "agg", 0, &g, 1), QALA_OK);
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.n = 10;
    qala_sens_result *r = (void *)1;
    cr_assert_eq(qala_sens_run(&r, &T, &IN, f, &opt), QALA_EDATA);
    cr_assert_null(r);
    const char *m = qala_error_last()->message;
    cr_assert(strncmp(m, "run 0 (norm=zscore, agg=geometric): geometric mean of 'P' for unit "
                         "'u1'", 66) == 0, "%s", m);
    qala_sens_factors_free(f);
}

Test(sens_factors, weights_replications_depend_on_the_seed_only)
{
    qala_sens_factors *f;
    cr_assert_eq(qala_sens_factors_new(&f), QALA_OK);
    cr_assert_eq(qala_sens_add_weights(f, NULL, (int[]){1, 2}, (double[]){0.9, 0.9}, 2, 7),
                 QALA_OK);
    qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
    opt.n = 30;
    opt.level = 2;
    qala_sens_result *a, *b, *c;
    cr_assert_eq(qala_sens_run(&a, &T, &IN, f, &opt), QALA_OK);
    opt.threads = 3;
    cr_assert_eq(qala_sens_run(&b, &T, &IN, f, &opt), QALA_OK);
    opt.seed = 2;
    cr_assert_eq(qala_sens_run(&c, &T, &IN, f, &opt), QALA_OK);
    cr_assert_eq(qala_sens_result_nodes(a), 3);
    size_t differ = 0;
    for (size_t run = 0; run < 30; run++)
        for (size_t j = 0; j < 3; j++) {
            cr_assert_eq(memcmp(qala_sens_result_ranks(a, run, j), qala_sens_result_ranks(b, run, j),
                                6 * sizeof(uint32_t)), 0);
            differ += memcmp(qala_sens_result_ranks(a, run, j), qala_sens_result_ranks(c, run, j),
                             6 * sizeof(uint32_t)) != 0;
        }
    cr_assert_gt(differ, 0);
    qala_sens_result_free(a);
    qala_sens_result_free(b);
    qala_sens_result_free(c);
    qala_sens_factors_free(f);
}

Test(sens_factors, every_allocation_failure_is_clean)
{
    const char *json = "{\"qala_sensitivity\": 1, \"factors\": ["
                       "{\"type\": \"weights\", \"noise\": [{\"level\": 2, \"fraction\": 0.3}],"
                       " \"replications\": 4},"
                       "{\"type\": \"normalise\", \"methods\": [\"minmax\", \"zscore\"]},"
                       "{\"type\": \"exclude\", \"indicators\": [\"a\", \"d\"]}]}";
    for (int design = 0; design < 2; design++) {
        int ok = 0;
        for (fail_at = 0; !ok && fail_at < 5000; fail_at++) {
            calls = 0;
            qala_allocator_set(&failing_allocator);
            qala_sens_factors *f = NULL;
            qala_sens_result *r = NULL;
            qala_status st = qala_sens_factors_new(&f);
            if (st == QALA_OK)
                st = load(f, json);
            if (st == QALA_OK) {
                qala_sens_options opt = QALA_SENS_OPTIONS_INIT;
                opt.design = (qala_sens_design)design;
                opt.n = 3;
                opt.threads = 1;
                opt.bootstrap = 5;
                st = qala_sens_run(&r, &T, &IN, f, &opt);
            }
            qala_allocator_set(NULL);
            if (st == QALA_OK) {
                ok = 1;
                cr_assert_eq(qala_sens_result_runs_done(r), design ? 15 : 3);
            } else {
                cr_assert_eq(st, QALA_ENOMEM, "fail_at %ld: %s", fail_at,
                             qala_error_last()->message);
                cr_assert_null(r);
            }
            qala_sens_result_free(r);
            qala_sens_factors_free(f);
        }
        cr_assert(ok);
        cr_assert_gt(fail_at, 20);
    }
}
