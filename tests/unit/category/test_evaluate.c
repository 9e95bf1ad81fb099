/* The category rule (include/qala/category.h, docs/categories.md) on hand-made data:
 * operators at their boundaries, transforms through the monitor, precedence, no data,
 * eligibility by group and by indicator, breach counts, the fired lists, bad arguments.
 * Every expected value is worked out in the comment beside it. */
#include "category_internal.h"
#include "fixture.h"

static cx c;

static void setup(void)
{
    cx_init(&c);
}

static void teardown(void)
{
    cx_free(&c);
}

TestSuite(category_evaluate, .init = setup, .fini = teardown);

Test(category_evaluate, every_operator_at_its_boundary)
{
    cx_rules(&c, IND("ge", "2", "UNR", ">=", "2") IND("gt", "2", "UNR", ">", "2")
                     IND("le", "2", "UNR", "<=", "2") IND("lt", "2", "UNR", "<", "2"));
    cx_obs(&c, "X1", "UNR", Y(2020), 1.9);
    cx_obs(&c, "X2", "UNR", Y(2020), 2);
    cx_obs(&c, "X3", "UNR", Y(2020), 2.1);
    cx_run_ok(&c, Y(2020));
    cr_assert_eq(c.r->n, 3);
    /* 1.9: <= 2 and < 2; 2: >= 2 and <= 2 (the strict ones do not hold); 2.1: >= and >.
     * No eligibility row: every unit is eligible; some category-2 rule fires for each. */
    expect_unit(&c, "X1", 2, 4, "le,lt");
    expect_unit(&c, "X2", 2, 4, "ge,le");
    expect_unit(&c, "X3", 2, 4, "ge,gt");
    for (size_t i = 0; i < c.r->n; i++)
        cr_expect_eq(c.r->eligible[i], 1);
}

Test(category_evaluate, negative_boundaries_and_fractions)
{
    cx_rules(&c, IND("ge", "1", "INC", ">=", "-0.5") IND("lt", "2", "INC", "<", "-0.5"));
    cx_obs(&c, "X1", "INC", Y(2020), -0.5);
    cx_obs(&c, "X2", "INC", Y(2020), -0.50001);
    cx_run_ok(&c, Y(2020));
    expect_unit(&c, "X1", 1, 2, "ge");
    expect_unit(&c, "X2", 2, 2, "lt");
}

Test(category_evaluate, transforms_are_the_monitors)
{
    cx_rules(&c, TRF("pop-down", "2", "POP", "change_percent", "2", "<", "0")
                     TRF("inc-low", "2", "INC", "ratio_national", "", "<", "0.75"));
    cx_obs(&c, "TL", "INC", Y(2020), 100);
    cx_obs(&c, "TV", "POP", Y(2018), 100);
    cx_obs(&c, "TV", "POP", Y(2020), 99);
    cx_obs(&c, "TV", "INC", Y(2020), 74);
    cx_obs(&c, "SP", "POP", Y(2018), 100);
    cx_obs(&c, "SP", "POP", Y(2020), 100);
    cx_obs(&c, "SP", "INC", Y(2020), 75);
    cx_obs(&c, "FB", "POP", Y(2020), 50);
    cx_run_ok(&c, Y(2020));
    /* TV: (99 / 100 - 1) * 100 = -1 < 0; 74 / 100 = 0.74 < 0.75: both fire.
     * SP: change 0 and ratio 0.75 exactly: evaluated, neither fires: stable.
     * FB: no population two years back and no income: nothing evaluated. */
    expect_unit(&c, "TV", 2, 2, "pop-down,inc-low");
    expect_unit(&c, "SP", 3, 2, "");
    expect_unit(&c, "FB", 0, 0, "");
    cr_expect_eq(cx_row(&c, "TL"), NO_ROW, "the national unit has no row");
}

Test(category_evaluate, category_1_beats_2_beats_3)
{
    cx_rules(&c, IND("unr-2x", "1", "UNR", ">=", "2") IND("unr-1x", "2", "UNR", ">", "1")
                     IND("layoffs", "2", "LAY", ">", "3"));
    cx_obs(&c, "X1", "UNR", Y(2020), 2.5);
    cx_obs(&c, "X1", "LAY", Y(2020), 1);
    cx_obs(&c, "X2", "UNR", Y(2020), 1.5);
    cx_obs(&c, "X3", "UNR", Y(2020), 0.5);
    cx_obs(&c, "X3", "LAY", Y(2020), 1);
    cx_obs(&c, "X4", "UNR", Y(2020), 0.5);
    cx_obs(&c, "X4", "LAY", Y(2020), 4);
    cx_run_ok(&c, Y(2020));
    expect_unit(&c, "X1", 1, 3, "unr-2x,unr-1x"); /* a category-1 trigger: 1 */
    expect_unit(&c, "X2", 2, 2, "unr-1x");        /* no layoffs figure: 2 of 3 evaluated */
    expect_unit(&c, "X3", 3, 3, "");              /* all evaluated, none fired: stable */
    expect_unit(&c, "X4", 2, 3, "layoffs");
}

Test(category_evaluate, no_data_is_category_0_not_stable)
{
    cx_rules(&c, IND("unr", "1", "UNR", ">=", "2"));
    cx_obs(&c, "X1", "INC", Y(2020), 10);  /* another indicator only */
    cx_obs(&c, "X2", "UNR", Y(2019), 3);   /* another period only */
    cx_obs(&c, "X3", "UNR", Y(2020), NAN); /* a suppressed cell */
    cx_obs(&c, "X4", "UNR", Y(2020), 1);
    uint32_t id;
    cr_assert_eq(qala_dataset_intern_unit(c.ds, "X5", &id), QALA_OK); /* no observation */
    cx_run_ok(&c, Y(2020));
    cr_assert_eq(c.r->n, 5);
    expect_unit(&c, "X1", 0, 0, "");
    expect_unit(&c, "X2", 0, 0, "");
    expect_unit(&c, "X3", 0, 0, "");
    expect_unit(&c, "X4", 3, 1, "");
    expect_unit(&c, "X5", 0, 0, "");
    cr_expect_eq(c.r->eligible[cx_row(&c, "X1")], 1, "no eligibility row: eligible, but no data");
}

Test(category_evaluate, rows_are_dataset_units_without_the_national_one)
{
    cx_rules(&c, IND("unr", "1", "UNR", ">=", "2"));
    cx_obs(&c, "X2", "UNR", Y(2020), 1);
    cx_obs(&c, "tl", "UNR", Y(2020), 3); /* the country, matched by code in any case */
    cx_obs(&c, "X1", "UNR", Y(2020), 1);
    cx_run_ok(&c, Y(2020));
    cr_assert_eq(c.r->n, 2);
    cr_expect_str_eq(qala_dataset_unit_code(c.ds, c.r->unit[0]), "X2");
    cr_expect_str_eq(qala_dataset_unit_code(c.ds, c.r->unit[1]), "X1");
    cr_expect_eq(c.r->fired_start[0], 0);
    cr_expect_eq(c.r->fired_start[2], 0);
}

Test(category_evaluate, eligibility_by_group_at_the_period_start)
{
    cx_rules(&c, GRP("mono", "mono") IND("unr", "1", "UNR", ">=", "2"));
    const char *units[] = {"TV", "SP", "FB", "X1"};
    for (int i = 0; i < 4; i++) {
        cx_obs(&c, units[i], "UNR", Y(2020), 3);
        cx_obs(&c, units[i], "UNR", Y(2021), 3);
    }
    cx_run_ok(&c, Y(2020));
    /* TV is a member since 2015, SP only from 2021-01-01; FB never; X1 is not in the
     * registry. The trigger is evaluated (and listed) for all of them. */
    expect_unit(&c, "TV", 1, 1, "mono,unr");
    expect_unit(&c, "SP", 0, 1, "unr");
    expect_unit(&c, "FB", 0, 1, "unr");
    expect_unit(&c, "X1", 0, 1, "unr");
    cr_expect_eq(c.r->eligible[cx_row(&c, "TV")], 1);
    cr_expect_eq(c.r->eligible[cx_row(&c, "SP")], 0);
    cx_run_ok(&c, Y(2021));
    expect_unit(&c, "SP", 1, 1, "mono,unr");
    cr_expect_eq(c.r->eligible[cx_row(&c, "SP")], 1);
}

Test(category_evaluate, eligibility_by_indicator)
{
    cx_rules(&c, IND("cfe-20", "eligibility", "CFE", ">=", "20") IND("unr", "2", "UNR", ">", "1"));
    cx_obs(&c, "FB", "CFE", Y(2020), 20);
    cx_obs(&c, "FB", "UNR", Y(2020), 1.5);
    cx_obs(&c, "MT", "CFE", Y(2020), 19.9);
    cx_obs(&c, "MT", "UNR", Y(2020), 1.5);
    cx_obs(&c, "X1", "UNR", Y(2020), 1.5);
    cx_obs(&c, "X2", "CFE", Y(2020), 30);
    cx_run_ok(&c, Y(2020));
    /* Eligibility rules are not triggers: FB has 1 trigger evaluated, not 2. */
    expect_unit(&c, "FB", 2, 1, "cfe-20,unr");
    expect_unit(&c, "MT", 0, 1, "unr");
    expect_unit(&c, "X1", 0, 1, "unr");
    expect_unit(&c, "X2", 0, 0, "cfe-20"); /* eligible, but no trigger could be evaluated */
    cr_expect_eq(c.r->eligible[cx_row(&c, "FB")], 1);
    cr_expect_eq(c.r->eligible[cx_row(&c, "MT")], 0);
    cr_expect_eq(c.r->eligible[cx_row(&c, "X2")], 1);
}

Test(category_evaluate, any_eligibility_rule_suffices)
{
    cx_rules(&c, GRP("mono", "mono") IND("cfe-20", "eligibility", "CFE", ">=", "20")
                     IND("unr", "2", "UNR", ">", "1"));
    cx_obs(&c, "TV", "UNR", Y(2020), 1.5); /* a member, no CFE figure */
    cx_obs(&c, "FB", "CFE", Y(2020), 25);  /* not a member, CFE >= 20 */
    cx_obs(&c, "FB", "UNR", Y(2020), 1.5);
    cx_obs(&c, "MT", "CFE", Y(2020), 5);
    cx_obs(&c, "MT", "UNR", Y(2020), 1.5);
    cx_run_ok(&c, Y(2020));
    expect_unit(&c, "TV", 2, 1, "mono,unr");
    expect_unit(&c, "FB", 2, 1, "cfe-20,unr");
    expect_unit(&c, "MT", 0, 1, "unr");
}

Test(category_evaluate, fired_rules_are_listed_in_rule_order)
{
    cx_rules(&c, IND("c2", "2", "UNR", ">", "1") GRP("mono", "mono") IND("c1", "1", "LAY", ">", "3")
                     IND("c2b", "2", "LAY", ">", "1"));
    cx_obs(&c, "TV", "UNR", Y(2020), 3);
    cx_obs(&c, "TV", "LAY", Y(2020), 5);
    cx_run_ok(&c, Y(2020));
    uint32_t want[] = {0, 1, 2, 3};
    size_t row = cx_row(&c, "TV");
    cr_assert_eq(c.r->fired_start[row + 1] - c.r->fired_start[row], 4);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(c.r->fired[c.r->fired_start[row] + (size_t)i], want[i]);
    cr_expect_eq(c.r->category[row], 1);
}

Test(category_evaluate, breach_counts_of_a_threshold_collection)
{
    /* Framework indices: CFE 0, UNR 1, LAY 2, POP 3, INC 4. */
    cx_threshold(&c, "s1", 1, QALA_BAD_HIGH, 1, 2);
    cx_threshold(&c, "s1", 2, QALA_BAD_HIGH, 1, 3);
    cx_threshold(&c, "s1", 4, QALA_BAD_LOW, 50, 30);
    cx_threshold(&c, "s2", 3, QALA_BAD_LOW, 100, 50);
    cx_rules(&c, BRE("crisis2", "1", "crisis_breaches", "s1", ">=", "2")
                     BRE("bad2", "2", "breaches", "s1", ">=", "2")
                     BRE("all3", "2", "breaches", "", ">=", "3"));
    cx_obs(&c, "X1", "UNR", Y(2020), 2);   /* s1 crisis */
    cx_obs(&c, "X1", "LAY", Y(2020), 3);   /* s1 crisis */
    cx_obs(&c, "X1", "INC", Y(2020), 60);  /* normal */
    cx_obs(&c, "X2", "UNR", Y(2020), 1);   /* s1 warning */
    cx_obs(&c, "X2", "LAY", Y(2020), 0);   /* normal */
    cx_obs(&c, "X2", "INC", Y(2020), 40);  /* s1 warning */
    cx_obs(&c, "X2", "POP", Y(2020), 40);  /* s2 crisis */
    cx_obs(&c, "X3", "UNR", Y(2020), 0.5); /* normal */
    cx_obs(&c, "X4", "POP", Y(2020), 40);  /* s2 crisis; nothing of s1 */
    cx_obs(&c, "X5", "INC", Y(2019), 10);  /* another period only */
    cx_run_ok(&c, Y(2020));
    /* X1: s1 crisis 2, breaches 2; all sets: breaches 2 (< 3). */
    expect_unit(&c, "X1", 1, 3, "crisis2,bad2");
    /* X2: s1 crisis 0, breaches 2; all: 3. */
    expect_unit(&c, "X2", 2, 3, "bad2,all3");
    /* X3: counts of 0 with data: evaluated, nothing fires. */
    expect_unit(&c, "X3", 3, 3, "");
    /* X4: no s1 threshold with data: the s1 counts are not evaluated; all: 1. */
    expect_unit(&c, "X4", 3, 1, "");
    expect_unit(&c, "X5", 0, 0, "");
}

Test(category_evaluate, breach_count_operators)
{
    cx_threshold(&c, "s1", 1, QALA_BAD_HIGH, 1, 2);
    cx_threshold(&c, "s1", 2, QALA_BAD_HIGH, 1, 3);
    cx_rules(&c, BRE("lt1", "2", "crisis_breaches", "s1", "<", "1")
                     BRE("le1", "2", "crisis_breaches", "s1", "<=", "1")
                     BRE("gt1", "2", "crisis_breaches", "s1", ">", "1"));
    cx_obs(&c, "X1", "UNR", Y(2020), 2);
    cx_obs(&c, "X1", "LAY", Y(2020), 0);
    cx_run_ok(&c, Y(2020));
    expect_unit(&c, "X1", 2, 3, "le1"); /* one crisis: <= 1 only */
}

Test(category_evaluate, no_rules_no_category)
{
    cx_obs(&c, "X1", "UNR", Y(2020), 3);
    cx_run_ok(&c, Y(2020));
    cr_assert_eq(c.r->n, 1);
    expect_unit(&c, "X1", 0, 0, "");
    cr_expect_eq(c.r->eligible[0], 1);
}

Test(category_evaluate, breach_rules_need_thresholds)
{
    cx_rules(&c, BRE("b", "2", "breaches", "", ">=", "1"));
    cx_obs(&c, "X1", "UNR", Y(2020), 3);
    cr_assert_eq(qala_dataset_sort(c.ds), QALA_OK);
    qala_category_result *r = (qala_category_result *)&c; /* must be reset to NULL */
    cr_expect_eq(qala_category_evaluate(&r, c.ds, c.rules, NULL, c.fw, c.reg, Y(2020)), QALA_EINVAL);
    cr_expect_null(r);
    cr_expect_str_eq(qala_error_last()->message,
                     "rule \"b\" counts breaches: expected a threshold collection, got NULL");
}

Test(category_evaluate, bad_arguments)
{
    cx_rules(&c, IND("unr", "1", "UNR", ">=", "2"));
    cx_obs(&c, "X1", "UNR", Y(2021), 3);
    cx_obs(&c, "X1", "UNR", Y(2020), 3); /* out of order */
    qala_category_result *r = NULL;
    cr_expect_eq(qala_category_evaluate(&r, NULL, c.rules, c.ths, c.fw, c.reg, Y(2020)), QALA_EINVAL);
    cr_expect_eq(qala_category_evaluate(&r, c.ds, c.rules, c.ths, c.fw, NULL, Y(2020)), QALA_EINVAL);
    cr_expect_eq(qala_category_evaluate(NULL, c.ds, c.rules, c.ths, c.fw, c.reg, Y(2020)), QALA_EINVAL);
    cr_expect_eq(qala_category_evaluate(&r, c.ds, c.rules, c.ths, c.fw, c.reg, 202013), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "period 202013: expected a period of years 1900..2100");
    cr_expect_eq(qala_category_evaluate(&r, c.ds, c.rules, c.ths, c.fw, c.reg, Y(1800)), QALA_EINVAL);
    cr_expect_eq(qala_category_evaluate(&r, c.ds, c.rules, c.ths, c.fw, c.reg, Y(2020)), QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "not sorted") != NULL, "%s",
              qala_error_last()->message);
    cr_expect_null(r);
}

Test(category_evaluate, rules_of_another_framework)
{
    qala_rule rule = {.id = "far", .kind = QALA_RULE_CATEGORY_1, .subject = QALA_RULE_INDICATOR,
                      .indicator = 99, .transform = QALA_TRANSFORM_LEVEL, .k = 1,
                      .denominator = SIZE_MAX, .scale = 1, .group = "", .set = "",
                      .op = QALA_OP_GE, .value = 1, .description = "d", .source = "s"};
    cr_assert_eq(qala_category_rules__append(c.rules, &rule, "test"), QALA_OK);
    cx_obs(&c, "X1", "UNR", Y(2020), 3);
    cr_expect_eq(cx_run(&c, Y(2020)), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "rule \"far\": indicator 99 is not in the framework (rules loaded against "
                     "another framework?)");
    rule = (qala_rule){.id = "g", .kind = QALA_RULE_ELIGIBILITY, .subject = QALA_RULE_GROUP,
                       .group = "nogroup", .set = "", .description = "d", .source = "s"};
    qala_category_rules__truncate(c.rules, 0);
    cr_assert_eq(qala_category_rules__append(c.rules, &rule, "test"), QALA_OK);
    cr_expect_eq(cx_run(&c, Y(2020)), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "rule \"g\": group \"nogroup\" is not in the registry");
}

Test(category_evaluate, quarterly_periods)
{
    cx_rules(&c, TRF("unr-up", "2", "UNR", "change_points", "4", ">", "0"));
    cx_obs(&c, "X1", "UNR", 201921, 1.0); /* 2019-Q1 */
    cx_obs(&c, "X1", "UNR", 202021, 1.2); /* 2020-Q1: four quarters later, +0.2 */
    cx_run_ok(&c, 202021);
    expect_unit(&c, "X1", 2, 1, "unr-up");
}
