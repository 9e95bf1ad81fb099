/* Aggregation in the pipeline on a hand-made tree: a geometric mean meeting a 0 is
 * QALA_EDATA with a message naming the node, the unit, the period and the child; with an
 * offset it runs and gives exp(mean(ln(x + c))) − c; an aggregate availability threshold
 * counts the kept children only.
 *
 * Tree: A, B → Environ (arithmetic); C → Social; Environ, Social → Sust (geometric).
 * Three units AUT, BEL, CHE and two periods 2018, 2019; min-max [0, 100] pooled over both
 * periods, no treatment. AUT has the smallest A and B of all (2018), so its Environ is 0. */
#include <criterion/criterion.h>
#include <math.h>

#include "qala/index.h"

static qala_index_node nodes[6];
static qala_index_tree tree;
static const char *units[3] = {"AUT", "BEL", "CHE"};
static const qala_period periods[2] = {201800, 201900};
static const char *codes[3] = {"A", "B", "C"};
/* row p * 3 + u */
static double a[6] = {1, 5, 9, 2, 6, 10};
static double b[6] = {10, 20, 30, 11, 21, 31};
static double c[6] = {3, 2, 1, 4, 5, 6};
static const double *cols[3] = {a, b, c};
static qala_index_input input;

static void setup(void)
{
    qala_index_node_init(&nodes[0], QALA_INDEX_INDICATOR, "A");
    qala_index_node_init(&nodes[1], QALA_INDEX_INDICATOR, "B");
    qala_index_node_init(&nodes[2], QALA_INDEX_INDICATOR, "C");
    qala_index_node_init(&nodes[3], QALA_INDEX_AGGREGATE, "Environ");
    qala_index_node_init(&nodes[4], QALA_INDEX_AGGREGATE, "Social");
    qala_index_node_init(&nodes[5], QALA_INDEX_AGGREGATE, "Sust");
    nodes[0].parent = nodes[1].parent = 3;
    nodes[2].parent = 4;
    nodes[3].parent = nodes[4].parent = 5;
    nodes[5].level = 3;
    for (int i = 0; i < 3; i++)
        nodes[i].treat = 0;
    nodes[5].aggregate.method = QALA_AGG_GEOMETRIC;
    tree = (qala_index_tree){.nodes = nodes, .nnodes = 6, .nindicators = 3, .nlevels = 3};
    qala_index_settings_init(&tree.settings);
    input = (qala_index_input){3, units, 2, periods, 3, codes, cols, 0, NULL};
}

TestSuite(index_aggregate, .init = setup);

Test(index_aggregate, geometric_mean_meeting_zero_names_unit_period_and_child)
{
    qala_index_result *r = (qala_index_result *)&tree;
    cr_expect_eq(qala_index_run(&r, &tree, &input), QALA_EDATA);
    cr_expect_null(r);
    cr_expect_str_eq(qala_error_last()->message,
                     "geometric mean of 'Sust' for unit 'AUT' (2018): child 'Environ' is 0; a "
                     "geometric mean needs values > 0 (set an offset to allow it)");
}

Test(index_aggregate, geometric_mean_with_offset_runs)
{
    nodes[5].aggregate.offset = 1;
    qala_index_result *r = NULL;
    cr_assert_eq(qala_index_run(&r, &tree, &input), QALA_OK, "%s", qala_error_last()->message);
    const double *env = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, 3);
    const double *soc = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, 4);
    const double *sust = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, 5);
    /* pooled min-max: A over {1,5,9,2,6,10} -> (x-1)/9*100; B over 10..31 -> (x-10)/21*100 */
    cr_expect_eq(env[0], 0);
    cr_expect_float_eq(env[4], ((6 - 1) / 9.0 * 100 + (21 - 10) / 21.0 * 100) / 2, 1e-12);
    /* C over 1..6: BEL 2019 has 5 -> 80 */
    cr_expect_float_eq(soc[4], 80, 1e-12);
    for (size_t i = 0; i < 6; i++)
        cr_expect_float_eq(sust[i], exp((log(env[i] + 1) + log(soc[i] + 1)) / 2) - 1, 1e-12,
                           "row %zu", i);
    /* ranks of Sust per period, 1 = best */
    const double *rank = qala_index_result_column(r, QALA_INDEX_STAGE_RANKED, 5);
    for (size_t p = 0; p < 2; p++)
        for (size_t k = 0; k < 3; k++) {
            double want = 1;
            for (size_t j = 0; j < 3; j++)
                want += sust[p * 3 + j] > sust[p * 3 + k];
            cr_expect_eq(rank[p * 3 + k], want);
        }
    qala_index_result_free(r);
}

Test(index_aggregate, harmonic_mean_message_and_no_period_text_for_a_cross_section)
{
    nodes[5].aggregate.method = QALA_AGG_HARMONIC;
    input.nperiods = 1;
    input.periods = NULL;
    qala_index_result *r = NULL;
    cr_expect_eq(qala_index_run(&r, &tree, &input), QALA_EDATA);
    cr_expect_str_eq(qala_error_last()->message,
                     "harmonic mean of 'Sust' for unit 'AUT': child 'Environ' is 0; a "
                     "harmonic mean needs values > 0 (set an offset to allow it)");
}

Test(index_aggregate, availability_threshold_counts_kept_children_only)
{
    /* B has no column: Environ has one kept child; a threshold of 1 is still met */
    codes[1] = "B_absent";
    nodes[3].aggregate.availability = 1;
    nodes[5].aggregate.offset = 1;
    qala_index_result *r = NULL;
    cr_assert_eq(qala_index_run(&r, &tree, &input), QALA_OK, "%s", qala_error_last()->message);
    codes[1] = "B";
    const double *env = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, 3);
    const double *na = qala_index_result_column(r, QALA_INDEX_STAGE_NORMALISED, 0);
    for (size_t i = 0; i < 6; i++)
        cr_expect_eq(env[i], na[i]);
    const double *w = qala_index_result_effective_weights(r);
    cr_expect_float_eq(w[0], 0.5, 1e-15);
    cr_expect_eq(w[1], 0);
    cr_expect_float_eq(w[2], 0.5, 1e-15);
    cr_expect_eq(qala_index_result_report(r, 1)->screen, QALA_INDEX_NO_COLUMN);
    qala_index_result_free(r);
}

Test(index_aggregate, a_pillar_with_every_child_dropped_is_missing_and_weighs_zero)
{
    codes[2] = "C_absent"; /* Social loses its only indicator */
    qala_index_result *r = NULL;
    cr_assert_eq(qala_index_run(&r, &tree, &input), QALA_EDATA); /* Environ 0 under geometric */
    nodes[5].aggregate.method = QALA_AGG_ARITHMETIC;
    cr_assert_eq(qala_index_run(&r, &tree, &input), QALA_OK, "%s", qala_error_last()->message);
    codes[2] = "C";
    const double *soc = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, 4);
    const double *env = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, 3);
    const double *sust = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, 5);
    const double *rank = qala_index_result_column(r, QALA_INDEX_STAGE_RANKED, 4);
    for (size_t i = 0; i < 6; i++) {
        cr_expect(isnan(soc[i]));
        cr_expect(isnan(rank[i]));
        cr_expect_eq(sust[i], env[i]);
    }
    const double *w = qala_index_result_effective_weights(r);
    cr_expect_eq(w[4], 0);
    cr_expect_eq(w[2], 0);
    cr_expect_eq(w[3], 1);
    cr_expect_float_eq(w[0], 0.5, 1e-15);
    qala_index_result_free(r);
}
