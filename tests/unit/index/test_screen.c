/* The screen stage and the errors of qala_index_run on the ASEM cross-section (asem.h):
 * a unit below the availability threshold is dropped, an indicator without an input
 * column is dropped with weight 0 while the rest still runs, low availability and too
 * many zeros drop indicators, a missing denominator column or grouping is named, a bad
 * tree or input is refused; ranks within groups. */
#include <criterion/criterion.h>
#include <math.h>

#include "asem.h"

static asem A;

static void setup(void)
{
    asem_load(&A, "COINr_ASEM_iData.csv");
}

static void teardown(void)
{
    asem_free(&A);
}

TestSuite(index_screen, .init = setup, .fini = teardown);

static qala_index_result *run_ok(void)
{
    qala_index_result *r = NULL;
    qala_status st = qala_index_run(&r, &A.tree, &A.input);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    return r;
}

static size_t unit_of(const char *code)
{
    for (size_t u = 0; u < A.nunits; u++)
        if (strcmp(A.units[u], code) == 0)
            return u;
    cr_assert_fail("no unit %s", code);
    return 0;
}

Test(index_screen, unit_below_availability_is_dropped_and_the_rest_runs)
{
    /* BEL keeps 9 of its 49 indicator cells */
    size_t bel = unit_of("BEL");
    for (size_t i = 9; i < 49; i++)
        A.cols[asem_column(&A, A.nodes[i].code)][bel] = NAN;
    A.tree.settings.unit_availability = 0.5;
    qala_index_result *r = run_ok();
    cr_expect_eq(qala_index_result_units(r), 50);
    cr_expect_eq(qala_index_result_unit_kept(r, bel), 0);
    cr_expect_float_eq(qala_index_result_unit_availability(r, bel), 9.0 / 49, 1e-15);
    cr_expect_eq(qala_index_result_unit_kept(r, unit_of("AUT")), 1);
    /* kept units in input order, BEL skipped; the raw stage still has all 51 */
    cr_expect_eq(qala_index_result_unit(r, 0), unit_of("AUT"));
    cr_expect_eq(qala_index_result_unit(r, 1), bel + 1);
    const double *raw = qala_index_result_column(r, QALA_INDEX_STAGE_RAW, 0);
    cr_expect(raw[bel] == A.cols[asem_column(&A, A.nodes[0].code)][bel]);
    const double *rank = qala_index_result_column(r, QALA_INDEX_STAGE_RANKED, A.tree.nnodes - 1);
    double sum = 0;
    for (size_t k = 0; k < 50; k++)
        sum += rank[k];
    cr_expect_eq(sum, 50.0 * 51 / 2);
    qala_index_result_free(r);
}

Test(index_screen, indicator_without_column_weighs_zero_and_the_pillar_averages_the_rest)
{
    size_t lpi = asem_node(&A, "LPI"), phys = asem_node(&A, "Physical");
    A.col_codes[asem_column(&A, "LPI")] = "LPI_renamed";
    qala_index_result *r = run_ok();
    const qala_index_indicator_report *rep = qala_index_result_report(r, lpi);
    cr_expect_eq(rep->screen, QALA_INDEX_NO_COLUMN);
    cr_expect_null(qala_index_result_column(r, QALA_INDEX_STAGE_RAW, lpi));
    const double *nl = qala_index_result_column(r, QALA_INDEX_STAGE_NORMALISED, lpi);
    for (size_t k = 0; k < 51; k++)
        cr_expect(isnan(nl[k]));
    const double *w = qala_index_result_effective_weights(r);
    cr_expect_eq(w[lpi], 0);
    /* Physical has 8 indicators; 7 remain: each 1/7 · 1/5 · 1/2 */
    cr_expect_float_eq(w[asem_node(&A, "Flights")], 1.0 / 70, 1e-15);
    double total = 0;
    for (size_t i = 0; i < 49; i++)
        total += w[i];
    cr_expect_float_eq(total, 1.0, 1e-12);
    /* Physical = the mean of its 7 remaining children, for every unit */
    const double *py = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, phys);
    for (size_t k = 0; k < 51; k++) {
        double s = 0;
        size_t n = 0;
        for (size_t i = 0; i < 49; i++)
            if (A.nodes[i].parent == phys && i != lpi) {
                s += qala_index_result_column(r, QALA_INDEX_STAGE_NORMALISED, i)[k];
                n++;
            }
        cr_expect_eq(n, 7);
        cr_expect_float_eq(py[k], s / 7, 1e-12, "unit %zu", k);
    }
    qala_index_result_free(r);
}

Test(index_screen, low_availability_and_too_many_zeros_drop_indicators)
{
    size_t goods = asem_node(&A, "Goods"), tariff = asem_node(&A, "Tariff");
    double *g = A.cols[asem_column(&A, "Goods")], *t = A.cols[asem_column(&A, "Tariff")];
    for (size_t u = 0; u < 30; u++) {
        g[u] = NAN; /* 21 of 51 left */
        t[u] = 0;   /* at least 30 of 51 zeros */
    }
    A.tree.settings.indicator_availability = 0.5;
    A.tree.settings.max_zero_share = 0.5;
    qala_index_result *r = run_ok();
    const qala_index_indicator_report *rg = qala_index_result_report(r, goods),
                                      *rt = qala_index_result_report(r, tariff);
    cr_expect_eq(rg->screen, QALA_INDEX_LOW_AVAILABILITY);
    cr_expect_float_eq(rg->availability, 21.0 / 51, 1e-15);
    cr_expect_eq(rt->screen, QALA_INDEX_TOO_MANY_ZEROS);
    cr_expect_geq(rt->zero_share, 30.0 / 51);
    cr_expect_eq(qala_index_result_report(r, asem_node(&A, "Services"))->screen, QALA_INDEX_KEPT);
    const double *w = qala_index_result_effective_weights(r);
    cr_expect_eq(w[goods], 0);
    cr_expect_eq(w[tariff], 0);
    /* dropped: all missing from the denominated stage on, no imputation recorded */
    const double *d = qala_index_result_column(r, QALA_INDEX_STAGE_DENOMINATED, goods);
    for (size_t k = 0; k < 51; k++)
        cr_expect(isnan(d[k]));
    cr_expect_eq(rg->n_imputed, 0);
    qala_index_result_free(r);
}

Test(index_screen, every_indicator_screened_out_is_edata)
{
    A.tree.settings.indicator_availability = 1; /* and every indicator misses unit 0 */
    for (size_t i = 0; i < 49; i++)
        A.cols[asem_column(&A, A.nodes[i].code)][0] = NAN;
    qala_index_result *r = (qala_index_result *)&A; /* must be set to NULL */
    cr_expect_eq(qala_index_run(&r, &A.tree, &A.input), QALA_EDATA);
    cr_expect_null(r);
    cr_expect(strstr(qala_error_last()->message, "every indicator was screened out"), "%s",
              qala_error_last()->message);
}

Test(index_screen, missing_denominator_column_is_enotfound_naming_it)
{
    A.col_codes[asem_column(&A, "GDP")] = "GDP_missing";
    qala_index_result *r = (qala_index_result *)&A;
    cr_expect_eq(qala_index_run(&r, &A.tree, &A.input), QALA_ENOTFOUND);
    cr_expect_null(r);
    cr_expect_str_eq(qala_error_last()->message, "index: denominator column 'GDP' of indicator "
                                                 "'Goods' is not in the input");
}

Test(index_screen, missing_impute_grouping_is_enotfound)
{
    strcpy(A.tree.settings.impute_group, "Group_EurAsia");
    qala_index_result *r = NULL;
    cr_expect_eq(qala_index_run(&r, &A.tree, &A.input), QALA_ENOTFOUND);
    cr_expect_null(r);
    cr_expect(strstr(qala_error_last()->message, "'Group_EurAsia'"));
}

Test(index_screen, bad_tree_is_einval)
{
    qala_index_result *r = NULL;
    A.nodes[3].weight = 0;
    cr_expect_eq(qala_index_run(&r, &A.tree, &A.input), QALA_EINVAL);
    cr_expect_null(r);
    cr_expect(strstr(qala_error_last()->message, "'Bord'"), "%s", qala_error_last()->message);
    A.nodes[3].weight = 1;
    A.tree.nlevels = 3; /* the root is of level 4 */
    cr_expect_eq(qala_index_run(&r, &A.tree, &A.input), QALA_EINVAL);
    cr_expect_null(r);
}

Test(index_screen, bad_input_is_einval)
{
    qala_index_result *r = NULL;
    double *lpi = A.cols[asem_column(&A, "LPI")];
    lpi[2] = INFINITY;
    cr_expect_eq(qala_index_run(&r, &A.tree, &A.input), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "index input: column 'LPI', unit 'BGR' (2018): "
                                                 "inf is not a number (use NAN for a missing "
                                                 "value)");
    lpi[2] = 3;
    A.input.nperiods = 2; /* two periods, one period value */
    qala_period two[2] = {201900, 201800};
    A.input.periods = two;
    cr_expect_eq(qala_index_run(&r, &A.tree, &A.input), QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "ascending"));
    A.input.nperiods = 1;
    A.input.periods = A.periods;
    A.gdata[3].ids[5] = 7; /* EurAsia has 2 groups */
    cr_expect_eq(qala_index_run(&r, &A.tree, &A.input), QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "EurAsia_group"));
    cr_expect_null(r);
}

Test(index_screen, ranks_within_groups)
{
    qala_index_result *r = run_ok();
    size_t root = A.tree.nnodes - 1;
    double gr[51];
    cr_assert_eq(qala_index_result_group_ranks(r, root, "EurAsia_group", gr), QALA_OK);
    const double *s = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, root);
    const uint32_t *g = A.gdata[3].ids;
    for (size_t k = 0; k < 51; k++) {
        double want = 1;
        for (size_t j = 0; j < 51; j++)
            want += g[j] == g[k] && s[j] > s[k];
        cr_expect_eq(gr[k], want, "%s", A.units[k]);
    }
    cr_expect_eq(gr[unit_of("CHE")], 1); /* first of all, so first of Europe */
    double best_asia = 0;
    for (size_t k = 0; k < 51; k++)
        if (strcmp(A.gdata[3].codes[g[k]], "Asia") == 0 && gr[k] == 1)
            best_asia++;
    cr_expect_eq(best_asia, 1);
    cr_expect_eq(qala_index_result_group_ranks(r, root, "nope", gr), QALA_ENOTFOUND);
    /* the groupings are copies */
    cr_expect_eq(qala_index_result_groupings(r), 4);
    cr_expect_str_eq(qala_index_result_grouping(r, 3)->name, "EurAsia_group");
    cr_expect_neq((const void *)qala_index_result_grouping(r, 3)->group, (const void *)g);
    qala_index_result_free(r);
}

Test(index_screen, stage_codes_round_trip)
{
    for (int s = 0; s < QALA_INDEX_STAGE_COUNT; s++) {
        qala_index_stage back;
        cr_expect_eq(qala_index_stage_parse(&back, qala_index_stage_code((qala_index_stage)s)),
                     QALA_OK);
        cr_expect_eq((int)back, s);
    }
    cr_expect_str_eq(qala_index_stage_code(QALA_INDEX_STAGE_NORMALISED), "normalised");
    qala_index_stage st;
    cr_expect_eq(qala_index_stage_parse(&st, "normalized"), QALA_EINVAL);
    cr_expect_str_eq(qala_index_stage_code((qala_index_stage)99), "?");
}

Test(index_screen, zero_denominator_flags_the_cell)
{
    size_t goods = asem_node(&A, "Goods"), bel = unit_of("BEL"), aut = unit_of("AUT");
    A.cols[asem_column(&A, "GDP")][bel] = 0;
    A.cols[asem_column(&A, "GDP")][aut] = NAN;
    qala_index_result *r = run_ok();
    const uint8_t *f = qala_index_result_flags(r, QALA_INDEX_STAGE_DENOMINATED, goods);
    cr_expect_eq(f[bel], QALA_INDEX_DEN_ZERO);
    cr_expect_eq(f[aut], QALA_INDEX_DEN_MISSING);
    cr_expect(isnan(qala_index_result_column(r, QALA_INDEX_STAGE_DENOMINATED, goods)[bel]));
    /* then imputed like any missing cell */
    cr_expect_eq(qala_index_result_flags(r, QALA_INDEX_STAGE_IMPUTED, goods)[bel],
                 QALA_IMPUTE_GROUP_MEAN);
    cr_expect_eq(qala_index_result_report(r, goods)->n_denominated_missing, 2);
    qala_index_result_free(r);
}
