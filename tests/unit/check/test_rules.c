/* Each rule of qala check on constructed data whose findings are known by construction
 * (fixture.h): which unit, indicator and period are reported, with what message. */
#include "fixture.h"

#define BIT(r) (1u << (r))

Test(check_rules, range_reports_values_outside_the_declared_range)
{
    fx f;
    fx_init(&f);
    fx_add(&f, "R1", "RATE", Y(2022), 120);
    fx_add(&f, "R2", "RATE", Y(2022), 50);
    fx_add(&f, "R2", "POP", Y(2022), -3);
    fx_add(&f, "R3", "RATE", Y(2022), NAN); /* suppressed: not checked */
    fx_run(&f, BIT(QALA_CHECK_RANGE));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_RANGE), "R1/RATE/2022 R2/POP/2022");
    cr_assert_eq(qala_check_errors(f.r), 2);
    cr_assert_eq(qala_check_evaluated(f.r, QALA_CHECK_RANGE), 3);
    cr_assert_str_eq(qala_check_get(f.r, 0)->message,
                     "value 120 is outside the declared range of RATE (%): expected between 0 and 100");
    cr_assert_str_eq(qala_check_get(f.r, 1)->message,
                     "value -3 is outside the declared range of POP (persons): expected at least 0");
    cr_assert_eq(qala_check_get(f.r, 1)->statistic, -3);
    fx_free(&f);
}

static void load_sex_identity(fx *f, const char *tolerance)
{
    char text[256];
    snprintf(text, sizeof text, "name,left,right,tolerance\nsex,POP,M + F,%s\n", tolerance);
    cr_assert_eq(qala_identities_load_csv(f->ids, text, strlen(text), "ids.csv", f->fw, NULL), QALA_OK);
}

Test(check_rules, identity_reports_sums_outside_the_tolerance)
{
    fx f;
    fx_init(&f);
    load_sex_identity(&f, "0.5%");
    fx_add(&f, "R1", "POP", Y(2023), 1000);
    fx_add(&f, "R1", "M", Y(2023), 500);
    fx_add(&f, "R1", "F", Y(2023), 498); /* 0.2%: within */
    fx_add(&f, "R2", "POP", Y(2023), 1000);
    fx_add(&f, "R2", "M", Y(2023), 500);
    fx_add(&f, "R2", "F", Y(2023), 490); /* 1%: outside */
    fx_add(&f, "R3", "POP", Y(2023), 1000);
    fx_add(&f, "R3", "M", Y(2023), 1);   /* no F: not evaluated */
    fx_run(&f, BIT(QALA_CHECK_IDENTITY));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_IDENTITY), "R2/POP/2023");
    cr_assert_eq(qala_check_evaluated(f.r, QALA_CHECK_IDENTITY), 2);
    const qala_check_finding *x = fx_first(&f, QALA_CHECK_IDENTITY);
    cr_assert_str_eq(x->message, "POP = M + F does not hold: 1000 against 990 (difference 10, 1%; tolerance 0.5%)");
    cr_assert_str_eq(x->name, "sex");
    cr_assert_eq(x->severity, QALA_SEVERITY_ERROR);
    cr_assert_float_eq(x->statistic, 0.01, 1e-12);
    fx_free(&f);
}

Test(check_rules, identity_with_an_absolute_tolerance_and_coefficients)
{
    fx f;
    fx_init(&f);
    const char *text = "name,left,right,tolerance,severity\nhalf,POP,2*M - F,5,warning\n";
    cr_assert_eq(qala_identities_load_csv(f.ids, text, strlen(text), "ids.csv", f.fw, NULL), QALA_OK);
    fx_add(&f, "R1", "POP", Y(2023), 100);
    fx_add(&f, "R1", "M", Y(2023), 60);
    fx_add(&f, "R1", "F", Y(2023), 24); /* 2*60 - 24 = 96: within 5 */
    fx_add(&f, "R2", "POP", Y(2023), 100);
    fx_add(&f, "R2", "M", Y(2023), 60);
    fx_add(&f, "R2", "F", Y(2023), 10); /* 110: off by 10 */
    fx_run(&f, BIT(QALA_CHECK_IDENTITY));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_IDENTITY), "R2/POP/2023");
    const qala_check_finding *x = fx_first(&f, QALA_CHECK_IDENTITY);
    cr_assert_eq(x->severity, QALA_SEVERITY_WARNING);
    cr_assert_str_eq(x->message, "POP = 2*M - F does not hold: 100 against 110 (difference -10, -10%; tolerance 5)");
    cr_assert_eq(qala_check_errors(f.r), 0);
    fx_free(&f);
}

/* Eight regions growing about 1% a year (a little different each year so that the MAD is
 * not 0), 2010 to 2020; `jumper` jumps by 30% in 2016. */
static void growing(fx *f, const char *jumper)
{
    for (int u = 1; u <= 8; u++) {
        char code[8];
        snprintf(code, sizeof code, "R%d", u);
        double v = 1000 * u;
        for (int y = 2010; y <= 2020; y++) {
            if (y > 2010)
                v *= 1.01 + 0.002 * ((y + u) % 3);
            if (jumper && strcmp(code, jumper) == 0 && y == 2016)
                v *= 1.3;
            fx_add(f, code, "POP", Y(y), v);
        }
    }
}

Test(check_rules, jump_against_own_history_and_peers)
{
    fx f;
    fx_init(&f);
    growing(&f, "R3");
    fx_run(&f, BIT(QALA_CHECK_JUMP));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_JUMP), "R3/POP/2016");
    const qala_check_finding *x = fx_first(&f, QALA_CHECK_JUMP);
    cr_assert(x->statistic > 5, "z %g", x->statistic);
    cr_assert(strncmp(x->message, "POP rose 31.", 12) == 0, "%s", x->message);
    cr_assert(strstr(x->message, "from 2015 to 2016: robust z ") != NULL, "%s", x->message);
    cr_assert(strstr(x->message, "against the unit's 9 other changes, ") != NULL, "%s", x->message);
    cr_assert(strstr(x->message, "against the changes of 7 other first-level units") != NULL, "%s", x->message);
    /* 8 regions x 10 changes, each with its own history and peers */
    cr_assert_eq(qala_check_evaluated(f.r, QALA_CHECK_JUMP), 80);
    fx_free(&f);
}

Test(check_rules, jump_shared_by_every_peer_is_not_reported)
{
    fx f;
    fx_init(&f);
    /* all eight regions jump in 2016 (a change of definition): unusual for each unit,
     * ordinary among peers */
    for (int u = 1; u <= 8; u++) {
        char code[8];
        snprintf(code, sizeof code, "R%d", u);
        double v = 1000 * u;
        for (int y = 2010; y <= 2020; y++) {
            if (y > 2010)
                v *= 1.01 + 0.002 * ((y + u) % 3) + (y == 2016 ? 0.3 + 0.01 * u : 0);
            fx_add(&f, code, "POP", Y(y), v);
        }
    }
    fx_run(&f, BIT(QALA_CHECK_JUMP));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_JUMP), "");
    fx_free(&f);
}

Test(check_rules, jump_into_a_break_in_series_is_not_reported)
{
    fx f;
    fx_init(&f);
    for (int u = 1; u <= 8; u++) {
        char code[8];
        snprintf(code, sizeof code, "R%d", u);
        double v = 1000 * u;
        for (int y = 2010; y <= 2020; y++) {
            if (y > 2010)
                v *= 1.01 + 0.002 * ((y + u) % 3);
            if (u == 3 && y == 2016)
                v *= 1.3;
            fx_add(&f, code, "POP", Y(y), v);
            if (u == 3 && y == 2016)
                fx_flag_last(&f, QALA_FLAG_BREAK);
        }
    }
    fx_run(&f, BIT(QALA_CHECK_JUMP));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_JUMP), "");
    cr_assert_eq(qala_check_evaluated(f.r, QALA_CHECK_JUMP), 79);
    fx_free(&f);
}

Test(check_rules, small_wiggle_of_a_smooth_series_needs_the_minimum_change)
{
    fx f;
    fx_init(&f);
    /* the country (no peers) grows 1.3% a year, give or take 0.01%, but 0.5% in 2015:
     * a large z, a small change */
    double v = 1e6;
    for (int y = 2005; y <= 2020; y++) {
        if (y > 2005)
            v *= y == 2015 ? 1.005 : 1.013 + 0.0001 * (y % 2);
        fx_add(&f, "TL", "POP", Y(y), v);
    }
    fx_run(&f, BIT(QALA_CHECK_JUMP));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_JUMP), "");
    f.opt.jump_min_change = 0;
    fx_run(&f, BIT(QALA_CHECK_JUMP));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_JUMP), "TL/POP/2015");
    cr_assert(strstr(fx_first(&f, QALA_CHECK_JUMP)->message, "against the unit's 14 other changes") != NULL);
    cr_assert(strstr(fx_first(&f, QALA_CHECK_JUMP)->message, "first-level") == NULL);
    fx_free(&f);
}

Test(check_rules, peer_outlier_within_the_tier_and_period)
{
    fx f;
    fx_init(&f);
    static const double rate[8] = {10, 11, 12, 10.5, 11.5, 12.5, 11, 40};
    for (int u = 1; u <= 8; u++) {
        char code[8];
        snprintf(code, sizeof code, "R%d", u);
        fx_add(&f, code, "RATE", Y(2022), rate[u - 1]);
        fx_add(&f, code, "RATE", Y(2023), 11); /* equal: nothing to report */
    }
    fx_add(&f, "TL", "RATE", Y(2022), 90); /* the country has no peers */
    fx_run(&f, BIT(QALA_CHECK_PEER_OUTLIER));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_PEER_OUTLIER), "R8/RATE/2022");
    const qala_check_finding *x = fx_first(&f, QALA_CHECK_PEER_OUTLIER);
    cr_assert(strncmp(x->message, "RATE 40 is far from the 7 other first-level units in 2022 (median 11): robust z ",
                      80) == 0, "%s", x->message);
    cr_assert(strstr(x->message, " of the logarithm") != NULL);
    cr_assert(x->statistic > 3.5);
    cr_assert_eq(qala_check_evaluated(f.r, QALA_CHECK_PEER_OUTLIER), 16);
    fx_free(&f);
}

Test(check_rules, peer_outlier_needs_enough_peers)
{
    fx f;
    fx_init(&f);
    fx_add(&f, "R1", "RATE", Y(2022), 10);
    fx_add(&f, "R2", "RATE", Y(2022), 11);
    fx_add(&f, "R3", "RATE", Y(2022), 90);
    fx_run(&f, BIT(QALA_CHECK_PEER_OUTLIER));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_PEER_OUTLIER), "");
    cr_assert_eq(qala_check_evaluated(f.r, QALA_CHECK_PEER_OUTLIER), 0);
    fx_free(&f);
}

Test(check_rules, repeated_values_in_consecutive_periods)
{
    fx f;
    fx_init(&f);
    fx_add(&f, "R1", "RATE", Y(2018), 5);
    fx_add(&f, "R1", "RATE", Y(2019), 5);
    fx_add(&f, "R1", "RATE", Y(2020), 5);
    fx_add(&f, "R1", "RATE", Y(2021), 6);
    fx_add(&f, "R2", "RATE", Y(2018), 5); /* only twice */
    fx_add(&f, "R2", "RATE", Y(2019), 5);
    fx_add(&f, "R3", "RATE", Y(2018), 5); /* a gap in between */
    fx_add(&f, "R3", "RATE", Y(2020), 5);
    fx_add(&f, "R3", "RATE", Y(2021), 5);
    fx_add(&f, "R4", "RATE", 202211, 7);  /* months across a year end */
    fx_add(&f, "R4", "RATE", 202212, 7);
    fx_add(&f, "R4", "RATE", 202301, 7);
    fx_run(&f, BIT(QALA_CHECK_REPEATED));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_REPEATED), "R1/RATE/2020 R4/RATE/2023-01");
    const qala_check_finding *x = fx_first(&f, QALA_CHECK_REPEATED);
    cr_assert_str_eq(x->message, "RATE is 5 in each of the 3 periods 2018 to 2020");
    cr_assert_eq(x->statistic, 3);
    cr_assert_str_eq(qala_check_get(f.r, 1)->message, "RATE is 7 in each of the 3 periods 2022-11 to 2023-01");
    f.opt.repeat_periods = 4;
    fx_run(&f, BIT(QALA_CHECK_REPEATED));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_REPEATED), "");
    fx_free(&f);
}

Test(check_rules, missing_series_of_a_unit_that_has_most_indicators)
{
    fx f;
    fx_init(&f);
    for (int u = 1; u <= 8; u++) {
        char code[8];
        snprintf(code, sizeof code, "R%d", u);
        fx_add(&f, code, "POP", Y(2022), 1000);
        if (u != 7)
            fx_add(&f, code, "RATE", Y(2022), 10);
        if (u <= 6)
            fx_add(&f, code, "M", Y(2022), 500);
    }
    fx_run(&f, BIT(QALA_CHECK_MISSING_SERIES));
    /* R7 has only 1 of the 3 expected indicators: too little to say it misses one */
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_MISSING_SERIES), "R8/M/2022");
    cr_assert_str_eq(fx_first(&f, QALA_CHECK_MISSING_SERIES)->message,
                     "no M for 2022, which 6 of the 7 other first-level units with data for 2022 have "
                     "(this unit has 2 of the 3 indicators most of them have)");
    cr_assert_eq(qala_check_evaluated(f.r, QALA_CHECK_MISSING_SERIES), 8);
    fx_free(&f);
}

/* n units outside the registry (A001...) with values from value(i). */
static void many(fx *f, const char *ind, int n, double (*value)(int))
{
    for (int i = 0; i < n; i++) {
        char code[8];
        snprintf(code, sizeof code, "A%03d", i);
        fx_add(f, code, ind, Y(2022), value(i));
    }
}

static double log_uniform(int i) { return pow(10, 1 + 4.0 * (i + 0.5) / 200); }
static double flat_digits(int i) { return (1 + i % 9) * pow(10, 1 + i % 4); }
static double few(int i) { return 10 + 1000 * i; }
static double narrow(int i) { return 100 + 10 * i; }

Test(check_rules, benford_consistent_data_gives_no_finding)
{
    fx f;
    fx_init(&f);
    many(&f, "POP", 200, log_uniform);
    fx_run(&f, BIT(QALA_CHECK_BENFORD));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_BENFORD), "");
    cr_assert_eq(qala_check_benford_count(f.r), 1);
    const qala_check_benford *b = qala_check_benford_get(f.r, 0);
    cr_assert_str_eq(b->indicator, "POP");
    cr_assert_eq(b->period, Y(2022));
    cr_assert(b->tested);
    cr_assert_eq(b->n, 200);
    cr_assert_float_eq(b->span, 4 * 199.0 / 200, 1e-9);
    cr_assert(b->p_value > 0.5, "p %g", b->p_value);
    fx_free(&f);
}

Test(check_rules, benford_flat_digits_are_reported_with_chi_square_and_p)
{
    fx f;
    fx_init(&f);
    many(&f, "POP", 180, flat_digits);
    fx_run(&f, BIT(QALA_CHECK_BENFORD));
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_BENFORD), "/POP/2022");
    const qala_check_finding *x = fx_first(&f, QALA_CHECK_BENFORD);
    const qala_check_benford *b = qala_check_benford_get(f.r, 0);
    for (int d = 0; d < 9; d++)
        cr_assert_eq(b->observed[d], 20);
    double chi2, p;
    qala_check_benford_chi2(b->observed, &chi2, &p);
    cr_assert_eq(x->statistic, chi2);
    cr_assert_eq(x->p_value, p);
    cr_assert(p < 0.01);
    cr_assert(strncmp(x->message, "first digits of POP across units in 2022 depart from Benford's law: 180 values, chi-square ", 90) == 0,
              "%s", x->message);
    fx_free(&f);
}

Test(check_rules, benford_says_why_it_did_not_test)
{
    fx f;
    fx_init(&f);
    many(&f, "POP", 20, few);
    many(&f, "M", 60, narrow);
    fx_run(&f, BIT(QALA_CHECK_BENFORD));
    cr_assert_eq(qala_check_count(f.r), 0);
    cr_assert_eq(qala_check_benford_count(f.r), 2);
    cr_assert_str_eq(qala_check_benford_get(f.r, 0)->message,
                     "not tested: at most 20 positive values in a period, the test needs 50");
    cr_assert_str_eq(qala_check_benford_get(f.r, 1)->message,
                     "not tested: the values of a period span at most 0.84 orders of magnitude, the test needs 2");
    cr_assert_eq(qala_check_evaluated(f.r, QALA_CHECK_BENFORD), 0);
    /* RATE (a percentage) is not a count: never tested */
    fx_free(&f);
}

Test(check_rules, filters_keep_the_statistics_of_every_unit)
{
    fx f;
    fx_init(&f);
    growing(&f, "R3");
    fx_add(&f, "R5", "RATE", Y(2022), 150);
    f.opt.unit = "R3";
    fx_run(&f, 0);
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_JUMP), "R3/POP/2016");
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_RANGE), "");
    f.opt.unit = NULL;
    f.opt.indicator = "RATE";
    fx_run(&f, 0);
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_JUMP), "");
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_RANGE), "R5/RATE/2022");
    fx_free(&f);
}

Test(check_rules, findings_come_sorted_by_unit_indicator_period)
{
    fx f;
    fx_init(&f);
    fx_add(&f, "R2", "RATE", Y(2022), 120);
    fx_add(&f, "R1", "RATE", Y(2023), 130);
    fx_add(&f, "R1", "RATE", Y(2021), 140);
    fx_run(&f, 0);
    cr_assert_str_eq(fx_list(&f, QALA_CHECK_RANGE), "R1/RATE/2021 R1/RATE/2023 R2/RATE/2022");
    fx_free(&f);
}

Test(check_rules, unsorted_data_and_bad_options_are_refused)
{
    fx f;
    fx_init(&f);
    fx_add(&f, "R2", "RATE", Y(2022), 1);
    fx_add(&f, "R2", "RATE", Y(2021), 1);
    qala_check_result *r = (qala_check_result *)&f;
    cr_assert_eq(qala_check_run(&r, f.ds, f.fw, f.reg, NULL, NULL), QALA_EINVAL);
    cr_assert_null(r);
    cr_assert_str_eq(qala_error_last()->message,
                     "check: the dataset is not sorted by unit, indicator, period (call qala_dataset_sort)");
    cr_assert_eq(qala_dataset_sort(f.ds), QALA_OK);
    f.opt.repeat_periods = 1;
    cr_assert_eq(qala_check_run(&r, f.ds, f.fw, f.reg, NULL, &f.opt), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message, "check options: repeated values need at least 2 periods");
    fx_free(&f);
}
