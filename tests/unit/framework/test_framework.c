/* Unit tests of qala/framework.h: adding, CSV loading with findings, domain names,
 * matching by code or name with suggestions, the embedded default framework. The
 * indicators here are fictional fixtures, except the default framework's. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qala/framework.h"

#include "failing_alloc.h"

static const char indicators_csv[] =
    "code,domain,direction,unit,decimals,min,max,name_kk,name_ru,name_en,description,source\n"
    "wage_idx,incomes,1,%,1,0,,Жалақы индексі,Индекс зарплаты,Wage index,Test wage.,test\n"
    "poverty,incomes,-1,%,2,0,100,Кедейлік,Бедность,Poverty share,Test poverty.,test\n"
    "pm25,environment,-1,µg/m³,0,,,Ауа сапасы,Качество воздуха,Air quality,,test\n";

static const char domains_csv[] =
    "code,name_kk,name_ru,name_en\n"
    "incomes,Кірістер,Доходы,Incomes\n"
    "environment,,Окружающая среда,Environment\n";

static qala_framework *fixture(void)
{
    qala_framework *fw;
    qala_findings *f;
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_framework_load_csv(fw, indicators_csv, strlen(indicators_csv), "ind.csv", f),
                 QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_framework_load_domains_csv(fw, domains_csv, strlen(domains_csv), "dom.csv", f),
                 QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_findings_count(f), 0);
    qala_findings_free(f);
    return fw;
}

static int has(const qala_findings *f, long line, long column, const char *rule, const char *text)
{
    for (size_t i = 0; i < qala_findings_count(f); i++) {
        const qala_finding *x = qala_findings_get(f, i);
        if (x->line == line && x->column == column && strcmp(x->rule, rule) == 0 &&
            strstr(x->message, text))
            return 1;
    }
    for (size_t i = 0; i < qala_findings_count(f); i++) {
        const qala_finding *x = qala_findings_get(f, i);
        cr_log_error("have %s:%ld:%ld [%s] %s", x->file, x->line, x->column, x->rule, x->message);
    }
    return 0;
}

Test(framework_domains, codes_round_trip)
{
    qala_domain d;
    cr_expect_eq(qala_domain_parse(&d, "labour"), QALA_OK);
    cr_expect_eq(d, QALA_DOMAIN_LABOUR);
    cr_expect_str_eq(qala_domain_code(QALA_DOMAIN_INNOVATION), "innovation");
    cr_expect_eq(qala_domain_parse(&d, "sport"), QALA_EINVAL);
}

Test(framework_load, the_fixture_loads_with_every_field)
{
    qala_framework *fw = fixture();
    cr_assert_eq(qala_framework_count(fw), 3);
    const qala_indicator *p = qala_framework_get(fw, 1);
    cr_expect_str_eq(p->code, "poverty");
    cr_expect_eq(p->domain, QALA_DOMAIN_INCOMES);
    cr_expect_eq(p->direction, -1);
    cr_expect_str_eq(p->unit, "%");
    cr_expect_eq(p->decimals, 2);
    cr_expect_eq(p->min, 0);
    cr_expect_eq(p->max, 100);
    cr_expect_str_eq(p->name[QALA_LANG_RU], "Бедность");
    cr_expect_str_eq(p->description, "Test poverty.");
    const qala_indicator *w = qala_framework_get(fw, 0);
    cr_expect(isinf(w->max) && w->max > 0, "empty max is unbounded");
    const qala_indicator *a = qala_framework_get(fw, 2);
    cr_expect(isinf(a->min) && a->min < 0, "empty min is unbounded");
    cr_expect_null(qala_framework_get(fw, 3));
    qala_framework_free(fw);
}

Test(framework_load, domain_names_fall_back_to_english_then_the_code)
{
    qala_framework *fw = fixture();
    cr_expect_str_eq(qala_framework_domain_name(fw, QALA_DOMAIN_INCOMES, QALA_LANG_KK), "Кірістер");
    cr_expect_str_eq(qala_framework_domain_name(fw, QALA_DOMAIN_ENVIRONMENT, QALA_LANG_KK),
                     "Environment");
    cr_expect_str_eq(qala_framework_domain_name(fw, QALA_DOMAIN_LABOUR, QALA_LANG_RU), "labour");
    cr_expect_eq(qala_framework_set_domain_name(fw, QALA_DOMAIN_LABOUR, QALA_LANG_RU, "Труд"),
                 QALA_OK);
    cr_expect_str_eq(qala_framework_domain_name(fw, QALA_DOMAIN_LABOUR, QALA_LANG_RU), "Труд");
    cr_expect_eq(qala_framework_set_domain_name(fw, QALA_DOMAIN_LABOUR, QALA_LANG_KK_LATN, "x"),
                 QALA_EINVAL);
    qala_framework_free(fw);
}

Test(framework_load, every_bad_value_is_a_finding_and_nothing_is_added)
{
    qala_framework *fw = fixture();
    qala_findings *f;
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    const char *bad =
        "code,domain,direction,decimals,min,max,name_en\n"
        "new_ok,labour,1,1,,,Fine\n"           /* 2: fine, but not added */
        "x1,sports,1,1,,,X\n"                  /* 3: domain */
        "x2,labour,0,1,,,X\n"                  /* 4: direction */
        "x3,labour,1,two,,,X\n"                /* 5: decimals */
        "x4,labour,1,1,10,5,X\n"               /* 6: min > max */
        "x5,labour,1,1,abc,,X\n"               /* 7: not a number */
        "POVERTY,labour,1,1,,,X\n"             /* 8: code taken (any case) */
        "new_ok,labour,1,1,,,Again\n"          /* 9: duplicate in the file */
        "x6,labour,1,1,,,\n";                  /* 10: no English name */
    cr_expect_eq(qala_framework_load_csv(fw, bad, strlen(bad), "bad.csv", f), QALA_EDATA);
    cr_expect(has(f, 3, 2, "bad-domain", "unknown domain \"sports\""));
    cr_expect(has(f, 4, 3, "bad-direction", "\"0\""));
    cr_expect(has(f, 5, 4, "bad-decimals", "\"two\""));
    cr_expect(has(f, 6, 6, "bad-range", "min 10 is greater than max 5"));
    cr_expect(has(f, 7, 5, "not-a-number", "min \"abc\""));
    cr_expect(has(f, 8, 1, "duplicate-code", "already in the framework"));
    cr_expect(has(f, 9, 1, "duplicate-code", "duplicate indicator code \"new_ok\""));
    cr_expect(has(f, 10, 7, "empty-value", "name_en is empty"));
    cr_expect_eq(qala_findings_errors(f), 8);
    cr_expect_eq(qala_framework_count(fw), 3);
    qala_findings_free(f);
    qala_framework_free(fw);
}

Test(framework_load, missing_columns_and_unknown_domains_file_rows)
{
    qala_framework *fw = fixture();
    qala_findings *f;
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    const char *bad = "code,name_en\nz,Z\n";
    cr_expect_eq(qala_framework_load_csv(fw, bad, strlen(bad), "bad.csv", f), QALA_EDATA);
    cr_expect(has(f, 1, 0, "missing-column", "missing column \"domain\""));
    cr_expect(has(f, 1, 0, "missing-column", "missing column \"direction\""));
    qala_findings_clear(f);
    const char *dom = "code,name_en,extra\nsports,Sports,1\nincomes,New incomes,1\n";
    cr_expect_eq(qala_framework_load_domains_csv(fw, dom, strlen(dom), "dom.csv", f), QALA_EDATA);
    cr_expect(has(f, 1, 3, "unknown-column", "\"extra\""));
    cr_expect(has(f, 2, 1, "bad-domain", "unknown domain \"sports\""));
    /* Nothing was changed by the failing file. */
    cr_expect_str_eq(qala_framework_domain_name(fw, QALA_DOMAIN_INCOMES, QALA_LANG_EN), "Incomes");
    qala_findings_free(f);
    qala_framework_free(fw);
}

Test(framework_add, rejects_bad_indicators)
{
    qala_framework *fw;
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    qala_indicator ind = {"a", QALA_DOMAIN_SOCIAL, 1, "", 1, 0, 1, {"", "", "A"}, "", ""};
    cr_expect_eq(qala_framework_add(fw, &ind, NULL), QALA_OK);
    cr_expect_eq(qala_framework_add(fw, &ind, NULL), QALA_EEXISTS);
    ind.code = "b";
    ind.direction = 2;
    cr_expect_eq(qala_framework_add(fw, &ind, NULL), QALA_EINVAL);
    ind.direction = -1;
    ind.min = 5;
    cr_expect_eq(qala_framework_add(fw, &ind, NULL), QALA_EINVAL);
    ind.min = NAN;
    cr_expect_eq(qala_framework_add(fw, &ind, NULL), QALA_EINVAL);
    ind.min = 0;
    ind.code = "";
    cr_expect_eq(qala_framework_add(fw, &ind, NULL), QALA_EINVAL);
    ind.code = "b";
    ind.name[0] = NULL; /* missing names are stored as "" */
    size_t i;
    cr_expect_eq(qala_framework_add(fw, &ind, &i), QALA_OK);
    cr_expect_str_eq(qala_framework_get(fw, i)->name[0], "");
    cr_expect_eq(qala_framework_count(fw), 2);
    qala_framework_free(fw);
}

Test(framework_match, by_code_in_any_case_or_by_name_in_any_language)
{
    qala_framework *fw = fixture();
    size_t i, s[3], ns;
    cr_assert_eq(qala_framework_match(fw, "POVERTY", 7, &i, s, &ns), QALA_OK);
    cr_expect_str_eq(qala_framework_get(fw, i)->code, "poverty");
    const char *names[] = {"Бедность", "КЕДЕЙЛІК", "poverty share", " Poverty-Share "};
    for (size_t k = 0; k < 4; k++) {
        cr_assert_eq(qala_framework_match(fw, names[k], strlen(names[k]), &i, s, &ns), QALA_OK,
                     "\"%s\"", names[k]);
        cr_expect_str_eq(qala_framework_get(fw, i)->code, "poverty");
    }
    size_t f;
    cr_expect_eq(qala_framework_find(fw, "Wage_Idx", &f), QALA_OK);
    cr_expect_eq(f, 0);
    qala_framework_free(fw);
}

Test(framework_match, a_near_miss_suggests_closest_first)
{
    qala_framework *fw = fixture();
    size_t i, s[3], ns = 99;
    cr_assert_eq(qala_framework_match(fw, "Povrty share", 12, &i, s, &ns), QALA_ENOTFOUND);
    cr_assert_geq(ns, 1);
    cr_expect_str_eq(qala_framework_get(fw, s[0])->code, "poverty");
    cr_expect(strstr(qala_error_last()->message, "did you mean poverty") != NULL, "%s",
              qala_error_last()->message);
    cr_assert_eq(qala_framework_match(fw, "wage_idz", 8, &i, s, &ns), QALA_ENOTFOUND);
    cr_assert_geq(ns, 1);
    cr_expect_str_eq(qala_framework_get(fw, s[0])->code, "wage_idx"); /* by its code */
    cr_expect_eq(qala_framework_match(fw, "Completely different", 20, &i, s, &ns), QALA_ENOTFOUND);
    cr_expect_eq(ns, 0);
    qala_framework_free(fw);
}

Test(framework_match, a_name_shared_by_two_indicators_is_ambiguous)
{
    qala_framework *fw = fixture();
    qala_indicator ind = {"air2", QALA_DOMAIN_ENVIRONMENT, -1, "", 0, -INFINITY, INFINITY,
                          {"", "", "Air quality"}, "", ""};
    cr_assert_eq(qala_framework_add(fw, &ind, NULL), QALA_OK);
    size_t i, s[3], ns;
    cr_expect_eq(qala_framework_match(fw, "air quality", 11, &i, s, &ns), QALA_EAMBIGUOUS);
    cr_expect_eq(ns, 2);
    qala_framework_free(fw);
}

Test(framework_default, the_embedded_framework_loads_cleanly)
{
    qala_framework *fw;
    qala_findings *f;
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    qala_status st = qala_framework_load_default(fw, f);
    for (size_t k = 0; k < qala_findings_count(f); k++) {
        const qala_finding *x = qala_findings_get(f, k);
        cr_log_error("%s:%ld:%ld: %s", x->file, x->line, x->column, x->message);
    }
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_findings_errors(f), 0);
    cr_expect_gt(qala_framework_count(fw), 10);
    /* Every domain has its names in the three languages (data/framework/domains.csv). */
    for (int d = 0; d < QALA_DOMAIN_COUNT; d++)
        for (int l = 0; l < 3; l++)
            cr_expect_str_neq(qala_framework_domain_name(fw, (qala_domain)d, (qala_lang)l),
                              qala_domain_code((qala_domain)d));
    size_t i;
    cr_expect_eq(qala_framework_find(fw, "poverty_share_pct", &i), QALA_OK);
    cr_expect_eq(qala_framework_get(fw, i)->direction, -1);
    qala_findings_free(f);
    qala_framework_free(fw);
}


Test(framework_alloc, each_failed_allocation_while_loading_adds_nothing)
{
    const qala_allocator a = failing_allocator;
    int loaded = 0;
    for (fail_at = 0; fail_at < 5000 && !loaded; fail_at++) {
        qala_allocator_set(&a);
        calls = 0;
        qala_framework *fw = NULL;
        qala_status st = qala_framework_new(&fw);
        if (st == QALA_OK) {
            st = qala_framework_load_csv(fw, indicators_csv, strlen(indicators_csv), "x", NULL);
            if (st != QALA_OK)
                cr_assert_eq(qala_framework_count(fw), 0);
        }
        if (st == QALA_OK)
            st = qala_framework_load_domains_csv(fw, domains_csv, strlen(domains_csv), "x", NULL);
        qala_allocator_set(NULL);
        if (st == QALA_OK)
            loaded = 1;
        else
            cr_assert_eq(st, QALA_ENOMEM, "%s", qala_error_last()->message);
        qala_framework_free(fw);
    }
    cr_expect(loaded);
}
