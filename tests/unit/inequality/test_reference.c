/* Reference values: textbook cases with closed forms, and figures from
 * tests/unit/inequality/reference.py (numpy/scipy, written from the definitions
 * independently of src/inequality*.c, run with /usr/bin/python3 reference.py; each block
 * names its line of output). Data sets A, B are fictional; KZ is the real 2022 regional
 * table read from ../shared/data/kz/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ineq_test.h"
#include "qala/inequality.h"

static qala_ineq_summary summ(const double *y, const double *w, size_t n)
{
    qala_ineq_summary s;
    cr_assert_eq(qala_ineq_summarise(&s, y, 1, w, 1, n, NULL), QALA_OK);
    return s;
}

Test(textbook, gini_of_one_to_five_is_four_fifteenths)
{
    /* Population Gini, n² denominator: Σ(2i − n − 1)yᵢ/(n Σy) = 20/75 = 4/15. */
    const double y[] = {3, 1, 5, 2, 4};
    qala_ineq_summary s = summ(y, NULL, 5);
    expect_rel(s.gini, 4.0 / 15.0, 1e-15, "gini(1..5)");
    expect_rel(s.mean, 3.0, 1e-15, "mean");
    expect_rel(s.maxmin, 5.0, 0, "maxmin");
    /* CV: population SD √2 over the mean 3 */
    expect_rel(s.cv, sqrt(2.0) / 3.0, 1e-15, "cv");
    /* Top 20% = the unit 5, bottom 20% = the unit 1 (exactly one unit each). */
    expect_rel(s.top_bottom_20, 5.0, 1e-15, "top/bottom 20");
    cr_expect_eq(s.n_used, 5);
    cr_expect_eq(s.n_missing, 0);
}

Test(textbook, two_equal_populations_one_and_three)
{
    /* μ = 2. Gini = ½·½·2·|1−3| / (2·1·2) = 0.25. Theil T = ½·(1/2)ln(1/2) + ½·(3/2)ln(3/2)
     * = (3 ln 3 − 4 ln 2)/4; Theil L = ½ ln 2 + ½ ln(2/3) = ½ ln(4/3). */
    const double y[] = {1, 3}, w[] = {7, 7};
    qala_ineq_summary s = summ(y, w, 2);
    expect_rel(s.gini, 0.25, 1e-15, "gini");
    expect_rel(s.theil_t, (3 * log(3.0) - 4 * log(2.0)) / 4, 1e-14, "theil T");
    expect_rel(s.theil_l, 0.5 * log(4.0 / 3.0), 1e-14, "theil L");
    expect_rel(s.sd_log, 0.5 * log(3.0), 1e-14, "sd of logs = |ln 3 − ln 1|/2");
}

Test(textbook, theil_of_two_equal_population_groups_is_all_between)
{
    /* Group 0 all at 1, group 1 all at 3, equal populations: within = 0 and between =
     * the Theil of the two-point distribution above. */
    const double y[] = {1, 1, 1, 3, 3};
    const double w[] = {2, 3, 5, 4, 6};
    const uint32_t g[] = {0, 0, 0, 1, 1};
    qala_theil_decomp d;
    qala_ineq_group grp[2];
    cr_assert_eq(qala_theil_decompose(&d, grp, y, 1, w, 1, g, 5, 2), QALA_OK);
    expect_abs(d.t.within, 0.0, 1e-16, "T within");
    expect_rel(d.t.between, (3 * log(3.0) - 4 * log(2.0)) / 4, 1e-14, "T between");
    expect_rel(d.t.total, (3 * log(3.0) - 4 * log(2.0)) / 4, 1e-14, "T total");
    expect_rel(d.l.between, 0.5 * log(4.0 / 3.0), 1e-14, "L between");
    expect_rel(grp[0].pop_share, 0.5, 1e-15, "p_0");
    expect_rel(grp[1].income_share, 0.75, 1e-15, "s_1 = 3/4");
    cr_expect_eq(d.n_groups, 2);
}

Test(textbook, one_unit_holding_everything)
{
    /* n units, one holding all: Gini = (n−1)/n. The zeros are left out of the logarithmic
     * measures (counted in n_nonpositive; with 0·ln 0 = 0 Theil T would be ln n), so both
     * Theils are over one unit: 0. */
    const double y[] = {0, 0, 0, 0, 12};
    qala_ineq_summary s = summ(y, NULL, 5);
    expect_rel(s.gini, 0.8, 1e-15, "gini");
    cr_expect_eq(s.n_nonpositive, 4);
    cr_expect(isnan(s.maxmin), "min 0: no max/min ratio");
    cr_expect(isnan(s.top_bottom_20), "bottom 20%% holds nothing");
    expect_abs(s.theil_l, 0.0, 0, "theil L over the positive unit");
    expect_abs(s.theil_t, 0.0, 0, "theil T over the positive unit");
}

Test(textbook, top_bottom_splits_the_straddling_unit)
{
    /* Weights 1, 2, 1, 1 (W = 5, 20% = 1): bottom = the unit 10 with its whole weight,
     * top = the unit 40 with its whole weight: 40/10. */
    const double y[] = {10, 20, 30, 40};
    const double w1[] = {1, 2, 1, 1}, w2[] = {0.5, 1, 1, 2.5};
    qala_ineq_summary s = summ(y, w1, 4);
    expect_rel(s.top_bottom_20, 4.0, 1e-15, "w1");
    /* W = 5, 20% = 1: bottom = 0.5·10 + 0.5·20 = 15; top = 1·40 → 40/15 */
    s = summ(y, w2, 4);
    expect_rel(s.top_bottom_20, 40.0 / 15.0, 1e-15, "w2: bottom straddles the second unit");
}

/* ---- reference.py, data set A (1..5 unweighted) --------------------------------------- */
Test(reference, data_set_a)
{
    const double y[] = {1, 2, 3, 4, 5};
    qala_ineq_summary s = summ(y, NULL, 5);
    expect_rel(s.theil_t, 0.11968759358350922, 1e-13, "A.theil_t");
    expect_rel(s.theil_l, 0.14111394011170048, 1e-13, "A.theil_l");
    expect_rel(s.sd_log, 0.56841692215178985, 1e-13, "A.sd_log");
    expect_rel(s.cv, 0.47140452079103173, 1e-14, "A.cv");
}

/* ---- reference.py, data set B: ten fictional towns (Testville-1..10) ------------------- */
static const double B_y[] = {412.5, 388.0, 1210.75, 265.2, 530.0, 298.4, 745.9, 180.3, 955.0, 602.6};
static const double B_w[] = {120000, 45500, 310250, 80000, 15400, 60800, 225000, 33300, 150700, 98100};
static const uint32_t B_inner[] = {0, 0, 1, 1, 1, 2, 2, 3, 3, 3};
static const uint32_t B_outer_of[] = {0, 0, 1, 1};

Test(reference, data_set_b_weighted)
{
    qala_ineq_summary s = summ(B_y, B_w, 10);
    expect_rel(s.mean, 761.31421579386335, 1e-14, "B.mean");
    expect_rel(s.gini, 0.25790865280633335, 1e-13, "B.gini");
    expect_rel(s.cv, 0.45482667419257511, 1e-13, "B.cv");
    expect_rel(s.maxmin, 6.7151968940654463, 1e-14, "B.maxmin");
    expect_rel(s.top_bottom_20, 4.1537214584177118, 1e-13, "B.top_bottom_20");
    expect_rel(s.theil_t, 0.11121080392244705, 1e-13, "B.theil_t");
    expect_rel(s.theil_l, 0.13037108746508499, 1e-13, "B.theil_l");
    expect_rel(s.sd_log, 0.54616303653550136, 1e-13, "B.sd_log");
}

Test(reference, data_set_b_unweighted)
{
    qala_ineq_summary s = summ(B_y, NULL, 10);
    expect_rel(s.mean, 558.86500000000001, 1e-14, "Bu.mean");
    expect_rel(s.gini, 0.30600323870702217, 1e-13, "Bu.gini");
    expect_rel(s.cv, 0.55660156979930198, 1e-13, "Bu.cv");
    expect_rel(s.top_bottom_20, 4.8613916947250271, 1e-13, "Bu.top_bottom_20");
    expect_rel(s.theil_t, 0.14754758275343338, 1e-13, "Bu.theil_t");
    expect_rel(s.theil_l, 0.15528678128365217, 1e-13, "Bu.theil_l");
    expect_rel(s.sd_log, 0.56480030897124778, 1e-13, "Bu.sd_log");
}

Test(reference, data_set_b_decomposed_by_region_and_by_macro_region)
{
    qala_theil_decomp d;
    cr_assert_eq(qala_theil_decompose(&d, NULL, B_y, 1, B_w, 1, B_inner, 10, 4), QALA_OK);
    expect_rel(d.t.within, 0.07349355267492988, 1e-13, "B.by_inner.t.within");
    expect_rel(d.t.between, 0.037717251247517236, 1e-13, "B.by_inner.t.between");
    expect_rel(d.l.within, 0.0894116344773178, 1e-13, "B.by_inner.l.within");
    expect_rel(d.l.between, 0.040959452987767209, 1e-13, "B.by_inner.l.between");
    expect_rel(d.t.total, 0.11121080392244705, 1e-13, "B.theil_t");

    uint32_t outer[10];
    for (size_t i = 0; i < 10; i++)
        outer[i] = B_outer_of[B_inner[i]];
    cr_assert_eq(qala_theil_decompose(&d, NULL, B_y, 1, B_w, 1, outer, 10, 2), QALA_OK);
    expect_rel(d.t.within, 0.10749683632742051, 1e-13, "B.by_outer.t.within");
    expect_rel(d.t.between, 0.0037139675950265821, 1e-12, "B.by_outer.t.between");
    expect_rel(d.l.within, 0.12664727912656285, 1e-13, "B.by_outer.l.within");
    expect_rel(d.l.between, 0.0037238083385221638, 1e-12, "B.by_outer.l.between");
}

Test(reference, data_set_b_nested_akita)
{
    qala_theil_nested r;
    qala_ineq_group ig[4], og[2];
    cr_assert_eq(qala_theil_nested_decompose(&r, ig, og, B_y, 1, B_w, 1, B_inner, 10, B_outer_of, 4, 2),
                 QALA_OK);
    expect_rel(r.t.within_inner, 0.07349355267492988, 1e-13, "B.nested.t.within_inner");
    expect_rel(r.t.between_inner, 0.034003283652490696, 1e-13, "B.nested.t.between_inner");
    expect_rel(r.t.between_outer, 0.003713967595026596, 1e-12, "B.nested.t.between_outer");
    expect_rel(r.l.within_inner, 0.0894116344773178, 1e-13, "B.nested.l.within_inner");
    expect_rel(r.l.between_inner, 0.037235644649245059, 1e-13, "B.nested.l.between_inner");
    expect_rel(r.l.between_outer, 0.0037238083385221707, 1e-12, "B.nested.l.between_outer");
    cr_expect_eq(r.n_inner, 4);
    cr_expect_eq(r.n_outer, 2);
    /* An outer group's Theil over its units = its within-inner part + its between part. */
    for (size_t i = 0; i < 2; i++) {
        double within = 0;
        for (size_t j = 0; j < 4; j++)
            if (B_outer_of[j] == i)
                within += ig[j].income_share / og[i].income_share * ig[j].theil_t;
        expect_rel(og[i].theil_t, within + og[i].between_t, 1e-12, "T_i = T_Wi + T_Bi");
    }
}

/* ---- Real data: the 19 regions of 2022 (BNS RK via open-data-kazakhstan, PDDL) -------- */
typedef struct kz_table {
    size_t n;
    double wage[32], grp[32], pop[32];
    uint32_t city[32];
} kz_table;

/* Reads Region, avg_salary, Population, gdp_per_capita; the file has no quoted fields. */
static void read_kz(kz_table *t)
{
    const char *path = QALA_SHARED_DIR "/data/kz/region2022_17indicators_cleaned.csv";
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    char line[2048];
    int c_region = -1, c_wage = -1, c_pop = -1, c_grp = -1;
    t->n = 0;
    for (int row = 0; fgets(line, sizeof line, f); row++) {
        line[strcspn(line, "\r\n")] = 0;
        char *save = NULL, *tok = strtok_r(line, ",", &save);
        for (int col = 0; tok; col++, tok = strtok_r(NULL, ",", &save)) {
            if (row == 0) {
                if (!strcmp(tok, "Region")) c_region = col;
                if (!strcmp(tok, "avg_salary")) c_wage = col;
                if (!strcmp(tok, "Population")) c_pop = col;
                if (!strcmp(tok, "gdp_per_capita")) c_grp = col;
                continue;
            }
            size_t len = strlen(tok);
            if (col == c_region)
                t->city[t->n] = len > 5 && !strcmp(tok + len - 5, " city");
            if (col == c_wage) t->wage[t->n] = strtod(tok, NULL);
            if (col == c_pop) t->pop[t->n] = strtod(tok, NULL);
            if (col == c_grp) t->grp[t->n] = strtod(tok, NULL);
        }
        if (row > 0)
            t->n++;
        cr_assert(t->n < 32);
    }
    fclose(f);
    cr_assert(c_region >= 0 && c_wage >= 0 && c_pop >= 0 && c_grp >= 0, "columns not found in %s", path);
}

Test(kz_2022, regional_wages_population_weighted)
{
    kz_table t;
    read_kz(&t);
    cr_assert_eq(t.n, 19, "19 regions (Shymkent is missing from the file)");
    qala_ineq_summary s = summ(t.wage, t.pop, t.n);
    /* reference.py, lines KZ.wage.* */
    expect_rel(s.mean, 299058.93789957929, 1e-14, "KZ.wage.mean");
    expect_rel(s.gini, 0.12916469755614643, 1e-13, "KZ.wage.gini");
    expect_rel(s.cv, 0.25558002666562529, 1e-13, "KZ.wage.cv");
    expect_rel(s.maxmin, 2.3046766598684703, 1e-14, "KZ.wage.maxmin");
    expect_rel(s.top_bottom_20, 1.8409956222424582, 1e-13, "KZ.wage.top_bottom_20");
    expect_rel(s.theil_t, 0.029815617663143147, 1e-12, "KZ.wage.theil_t");
    expect_rel(s.theil_l, 0.027784340924481128, 1e-12, "KZ.wage.theil_l");
    s = summ(t.wage, NULL, t.n);
    expect_rel(s.gini, 0.13687970259098714, 1e-13, "KZ.wage_unweighted.gini");
    expect_rel(s.cv, 0.27325258550227355, 1e-13, "KZ.wage_unweighted.cv");

    qala_theil_decomp d;
    cr_assert_eq(qala_theil_decompose(&d, NULL, t.wage, 1, t.pop, 1, t.city, t.n, 2), QALA_OK);
    expect_rel(d.t.within, 0.022732868298249994, 1e-12, "KZ.wage.by_city.t.within");
    expect_rel(d.t.between, 0.007082749364893115, 1e-12, "KZ.wage.by_city.t.between");
    expect_rel(d.l.within, 0.021080373958132885, 1e-12, "KZ.wage.by_city.l.within");
    expect_rel(d.l.between, 0.0067039669663481599, 1e-12, "KZ.wage.by_city.l.between");
}

Test(kz_2022, regional_grp_per_capita_population_weighted)
{
    kz_table t;
    read_kz(&t);
    qala_ineq_summary s = summ(t.grp, t.pop, t.n);
    /* reference.py, lines KZ.grp.* */
    expect_rel(s.mean, 6093.1107362718185, 1e-14, "KZ.grp.mean");
    expect_rel(s.gini, 0.25401578522267099, 1e-13, "KZ.grp.gini");
    expect_rel(s.cv, 0.55082018737207017, 1e-13, "KZ.grp.cv");
    expect_rel(s.maxmin, 9.029066088057137, 1e-14, "KZ.grp.maxmin");
    expect_rel(s.top_bottom_20, 3.9940462114933264, 1e-13, "KZ.grp.top_bottom_20");
    expect_rel(s.theil_t, 0.1221636582802689, 1e-13, "KZ.grp.theil_t");
    expect_rel(s.theil_l, 0.11471583810422975, 1e-13, "KZ.grp.theil_l");
    expect_rel(s.sd_log, 0.4673468085984927, 1e-13, "KZ.grp.sd_log");
    s = summ(t.grp, NULL, t.n);
    expect_rel(s.gini, 0.26011366759216953, 1e-13, "KZ.grp_unweighted.gini");
    expect_rel(s.top_bottom_20, 3.8798057552807603, 1e-13, "KZ.grp_unweighted.top_bottom_20");
    expect_rel(s.theil_t, 0.13497670215917532, 1e-13, "KZ.grp_unweighted.theil_t");

    qala_theil_decomp d;
    cr_assert_eq(qala_theil_decompose(&d, NULL, t.grp, 1, t.pop, 1, t.city, t.n, 2), QALA_OK);
    expect_rel(d.t.within, 0.10373487706958782, 1e-12, "KZ.grp.by_city.t.within");
    expect_rel(d.t.between, 0.018428781210681103, 1e-12, "KZ.grp.by_city.t.between");
    expect_rel(d.l.within, 0.097733160701995003, 1e-12, "KZ.grp.by_city.l.within");
    expect_rel(d.l.between, 0.016982677402234761, 1e-12, "KZ.grp.by_city.l.between");
}
