/* Shapes of the input built from a dataset: units (by default those with indicator data,
 * or a given list), periods (a cross-section or every period of a range), one column per
 * indicator and denominator, NAN where nothing was observed, and rejected options. */
#include "fixture.h"

static fx f;

static void setup(void)
{
    fx_init(&f);
}

static void teardown(void)
{
    fx_free(&f);
}

TestSuite(index_data_shape, .init = setup, .fini = teardown);

static double cell(const qala_index_input *in, const char *column, size_t p, const char *unit)
{
    size_t c = fx_find(in->column_codes, in->ncolumns, column);
    size_t u = fx_find(in->unit_codes, in->nunits, unit);
    cr_assert_neq(c, SIZE_MAX, "column %s", column);
    cr_assert_neq(u, SIZE_MAX, "unit %s", unit);
    return in->columns[c][p * in->nunits + u];
}

Test(index_data_shape, a_cross_section_has_the_units_with_indicator_data_and_nan_elsewhere)
{
    fx_obs(&f, "TV", "INC", Y(2020), 10);
    fx_obs(&f, "TV", "POP", Y(2020), 100);
    fx_obs(&f, "TV", "INC", Y(2019), 9);  /* another period: not read */
    fx_obs(&f, "SP", "UNEMP", Y(2020), 5);
    fx_obs(&f, "FB", "POP", Y(2020), 50); /* a denominator only: not a unit of the index */
    fx_obs(&f, "NR", "OTHER", Y(2020), 1); /* not in the tree */
    f.opt.from = f.opt.to = Y(2020);
    const qala_index_input *in = fx_build(&f, 0);
    cr_assert_eq(in->nunits, 2);
    cr_expect_str_eq(in->unit_codes[0], "TV"); /* the dataset's order */
    cr_expect_str_eq(in->unit_codes[1], "SP");
    cr_assert_eq(in->nperiods, 1);
    cr_expect_eq(in->periods[0], Y(2020));
    /* indicators in tree order (SMART has no data: left out), then the denominator */
    cr_assert_eq(in->ncolumns, 3);
    cr_expect_str_eq(in->column_codes[0], "INC");
    cr_expect_str_eq(in->column_codes[1], "UNEMP");
    cr_expect_str_eq(in->column_codes[2], "POP");
    cr_expect_eq(cell(in, "INC", 0, "TV"), 10);
    cr_expect(isnan(cell(in, "INC", 0, "SP")));
    cr_expect(isnan(cell(in, "UNEMP", 0, "TV")));
    cr_expect_eq(cell(in, "UNEMP", 0, "SP"), 5);
    cr_expect_eq(cell(in, "POP", 0, "TV"), 100);
    cr_expect(isnan(cell(in, "POP", 0, "SP")));
    cr_expect_eq(qala_index_data_unit_observations(f.data, 0), 1);
    cr_expect_eq(qala_index_data_unit_observations(f.data, 1), 1);
    cr_expect_eq(in->ngroupings, 0, "no registry, no groupings");
    cr_expect_eq(qala_index_data_registry_unit(f.data, 0), SIZE_MAX);
}

Test(index_data_shape, a_range_has_every_year_and_rows_period_by_period)
{
    fx_obs(&f, "TV", "INC", Y(2018), 8);
    fx_obs(&f, "TV", "INC", Y(2020), 10);
    fx_obs(&f, "SP", "INC", Y(2019), 7);
    fx_obs(&f, "SP", "INC", Y(2021), 99); /* after the range */
    f.opt.from = Y(2018);
    f.opt.to = Y(2020);
    const qala_index_input *in = fx_build(&f, 0);
    cr_assert_eq(in->nperiods, 3);
    cr_expect_eq(in->periods[0], Y(2018));
    cr_expect_eq(in->periods[1], Y(2019));
    cr_expect_eq(in->periods[2], Y(2020));
    cr_assert_eq(in->nunits, 2);
    const double *inc = in->columns[0];
    /* row p · nunits + u; TV is unit 0, SP unit 1 */
    cr_expect_eq(inc[0], 8);
    cr_expect(isnan(inc[1]));
    cr_expect(isnan(inc[2]));
    cr_expect_eq(inc[3], 7);
    cr_expect_eq(inc[4], 10);
    cr_expect(isnan(inc[5]));
    cr_expect_eq(qala_index_data_unit_observations(f.data, 0), 2);
    /* INC has no denominator data, but POP is a column all the same (all NAN) */
    size_t pop = fx_find(in->column_codes, in->ncolumns, "POP");
    cr_assert_neq(pop, SIZE_MAX);
    for (size_t r = 0; r < 6; r++)
        cr_expect(isnan(in->columns[pop][r]));
}

Test(index_data_shape, quarter_and_month_ranges_cross_the_year)
{
    fx_obs(&f, "TV", "INC", 202124, 4);
    f.opt.from = 202123; /* 2021-Q3 */
    f.opt.to = 202222;   /* 2022-Q2 */
    const qala_index_input *in = fx_build(&f, 0);
    qala_period want[] = {202123, 202124, 202221, 202222};
    cr_assert_eq(in->nperiods, 4);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(in->periods[i], want[i]);
    cr_expect_eq(in->columns[0][1], 4);
    f.opt.from = 202111; /* 2021-11 */
    f.opt.to = 202202;
    in = fx_build(&f, 0);
    qala_period months[] = {202111, 202112, 202201, 202202};
    cr_assert_eq(in->nperiods, 4);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(in->periods[i], months[i]);
    cr_expect_eq(in->nunits, 0, "no monthly data");
    cr_expect_eq(in->ncolumns, 1, "only the denominator is a column");
}

Test(index_data_shape, a_given_unit_list_keeps_its_order_and_units_without_data)
{
    fx_obs(&f, "TV", "INC", Y(2020), 10);
    fx_obs(&f, "SP", "INC", Y(2020), 20);
    fx_obs(&f, "FB", "INC", Y(2020), 30);
    const char *units[] = {"FB", "NR", "TV"}; /* SP left out; NR has no data */
    f.opt.units = units;
    f.opt.nunits = 3;
    f.opt.from = f.opt.to = Y(2020);
    const qala_index_input *in = fx_build(&f, 0);
    cr_assert_eq(in->nunits, 3);
    for (int i = 0; i < 3; i++) {
        cr_expect_str_eq(in->unit_codes[i], units[i]);
        cr_expect_neq(in->unit_codes[i], units[i], "the codes are copies");
    }
    cr_expect_eq(in->columns[0][0], 30);
    cr_expect(isnan(in->columns[0][1]));
    cr_expect_eq(in->columns[0][2], 10);
    cr_expect_eq(qala_index_data_unit_observations(f.data, 1), 0);
}

Test(index_data_shape, an_indicator_without_data_is_no_column_but_a_denominator_always_is)
{
    fx_obs(&f, "TV", "INC", Y(2020), 10);
    fx_obs(&f, "TV", "UNEMP", Y(2015), 3); /* only outside the period */
    f.opt.from = f.opt.to = Y(2020);
    const qala_index_input *in = fx_build(&f, 0);
    cr_expect_eq(fx_find(in->column_codes, in->ncolumns, "UNEMP"), SIZE_MAX);
    cr_expect_eq(fx_find(in->column_codes, in->ncolumns, "SMART"), SIZE_MAX);
    cr_expect_neq(fx_find(in->column_codes, in->ncolumns, "POP"), SIZE_MAX);
    cr_expect_eq(in->ncolumns, 2);
}

Test(index_data_shape, a_denominator_that_is_also_an_indicator_is_one_column)
{
    f.nodes[1].denominator = "INC"; /* UNEMP per INC: INC is already a column */
    fx_obs(&f, "TV", "INC", Y(2020), 10);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 2);
    f.opt.from = f.opt.to = Y(2020);
    const qala_index_input *in = fx_build(&f, 0);
    cr_assert_eq(in->ncolumns, 3);
    cr_expect_str_eq(in->column_codes[0], "INC");
    cr_expect_str_eq(in->column_codes[1], "UNEMP");
    cr_expect_str_eq(in->column_codes[2], "POP");
}

Test(index_data_shape, a_suppressed_cell_is_nan_and_not_counted_and_the_last_duplicate_counts)
{
    uint32_t u, i;
    cr_assert_eq(qala_dataset_intern_unit(f.ds, "TV", &u), QALA_OK);
    cr_assert_eq(qala_dataset_intern_indicator(f.ds, "UNEMP", &i), QALA_OK);
    cr_assert_eq(qala_dataset_append(f.ds, u, i, Y(2020), NAN, QALA_FLAG_CONFIDENTIAL, 0), QALA_OK);
    fx_obs(&f, "TV", "INC", Y(2020), 1);
    fx_obs(&f, "TV", "INC", Y(2020), 2);
    f.opt.from = f.opt.to = Y(2020);
    const qala_index_input *in = fx_build(&f, 0);
    cr_assert_eq(in->nunits, 1);
    cr_expect(isnan(in->columns[fx_find(in->column_codes, in->ncolumns, "UNEMP")][0]));
    cr_expect_eq(in->columns[0][0], 2);
    cr_expect_eq(qala_index_data_unit_observations(f.data, 0), 2); /* the two INC rows */
}

static void expect_einval(const char *why)
{
    qala_index_data *d = (qala_index_data *)&f;
    cr_expect_eq(qala_index_data_build(&d, f.ds, &f.tree, f.reg, &f.opt), QALA_EINVAL, "%s", why);
    cr_expect_null(d, "%s", why);
    cr_expect_neq(qala_error_last()->message[0], '\0', "%s: a message", why);
}

Test(index_data_shape, bad_options_are_rejected_with_out_null)
{
    fx_obs(&f, "TV", "INC", Y(2020), 10);
    expect_einval("no period");
    f.opt.from = Y(2021);
    f.opt.to = Y(2020);
    expect_einval("from after to");
    f.opt.from = Y(2020);
    f.opt.to = 202023;
    expect_einval("a year and a quarter");
    f.opt.to = Y(2020);
    const char *twice[] = {"TV", "SP", "TV"};
    f.opt.units = twice;
    f.opt.nunits = 3;
    expect_einval("a unit twice");
    cr_expect(strstr(qala_error_last()->message, "'TV'"));
    const char *empty[] = {"TV", ""};
    f.opt.units = empty;
    f.opt.nunits = 2;
    expect_einval("an empty code");
    f.opt.units = NULL;
    f.opt.version = 0;
    expect_einval("no version");
}

Test(index_data_shape, the_default_period_is_the_latest_with_half_the_best_coverage)
{
    qala_period p = 1;
    cr_expect_eq(qala_index_data_default_period(&p, f.ds, &f.tree), QALA_ENOTFOUND);
    cr_expect_eq(p, 0);
    const char *u3[] = {"TV", "SP", "FB"};
    for (int i = 0; i < 3; i++)
        fx_obs(&f, u3[i], "INC", Y(2020), 1);
    fx_obs(&f, "TV", "UNEMP", Y(2020), 1); /* TV twice in 2020: still 3 units */
    fx_obs(&f, "TV", "INC", Y(2021), 1);
    fx_obs(&f, "TV", "POP", Y(2022), 1);   /* denominators do not count */
    fx_obs(&f, "SP", "POP", Y(2022), 1);
    cr_assert_eq(qala_index_data_default_period(&p, f.ds, &f.tree), QALA_OK);
    cr_expect_eq(p, Y(2020), "2021 has 1 unit of 3");
    fx_obs(&f, "SP", "UNEMP", Y(2021), 1);
    cr_assert_eq(qala_index_data_default_period(&p, f.ds, &f.tree), QALA_OK);
    cr_expect_eq(p, Y(2021), "2021 has 2 units of 3");
}
