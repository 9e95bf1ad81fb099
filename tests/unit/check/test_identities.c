/* Accounting-identity rules files (docs/check.md): what is read, and every problem as a
 * finding at file:line:column with nothing added. */
#include "fixture.h"

#include "qala/findings.h"

static qala_status load(fx *f, qala_findings *fl, const char *text)
{
    return qala_identities_load_csv(f->ids, text, strlen(text), "ids.csv", f->fw, fl);
}

/* The findings as "line:column: message" lines. */
static const char *messages(const qala_findings *fl)
{
    static char buf[4096];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < qala_findings_count(fl); i++) {
        const qala_finding *x = qala_findings_get(fl, i);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%ld:%ld: %s\n", x->line, x->column, x->message);
    }
    return buf;
}

Test(check_identities, reads_terms_coefficients_tolerances_and_severity)
{
    fx f;
    fx_init(&f);
    cr_assert_eq(load(&f, NULL, "name,left,right,tolerance,severity\n"
                                "sex,POP,M + F,0.5%,\n"
                                "odd,POP, -0.5 * M+F - 2*RATE ,12,warning\n"), QALA_OK);
    cr_assert_eq(qala_identities_count(f.ids), 2);
    const qala_identity *a = qala_identities_get(f.ids, 0), *b = qala_identities_get(f.ids, 1);
    cr_assert_str_eq(a->name, "sex");
    cr_assert_str_eq(a->left, "POP");
    cr_assert_eq(a->nterms, 2);
    cr_assert_str_eq(a->terms[1], "F");
    cr_assert_eq(a->coefficients[0], 1);
    cr_assert_float_eq(a->tolerance, 0.005, 1e-15);
    cr_assert(a->relative);
    cr_assert_eq(a->severity, QALA_SEVERITY_ERROR);
    cr_assert_eq(a->line, 2);
    cr_assert_eq(b->nterms, 3);
    cr_assert_eq(b->coefficients[0], -0.5);
    cr_assert_eq(b->coefficients[1], 1);
    cr_assert_eq(b->coefficients[2], -2);
    cr_assert_str_eq(b->terms[2], "RATE");
    cr_assert_eq(b->tolerance, 12);
    cr_assert(!b->relative);
    cr_assert_eq(b->severity, QALA_SEVERITY_WARNING);
    fx_free(&f);
}

Test(check_identities, empty_tolerance_is_half_a_percent)
{
    fx f;
    fx_init(&f);
    cr_assert_eq(load(&f, NULL, "name,left,right\nsex,pop,m+F\n"), QALA_OK);
    cr_assert_str_eq(qala_identities_get(f.ids, 0)->left, "POP"); /* as the framework spells it */
    cr_assert_str_eq(qala_identities_get(f.ids, 0)->terms[0], "M");
    cr_assert_float_eq(qala_identities_get(f.ids, 0)->tolerance, 0.005, 1e-15);
    fx_free(&f);
}

Test(check_identities, every_problem_is_a_finding_and_nothing_is_added)
{
    fx f;
    fx_init(&f);
    qala_findings *fl;
    cr_assert_eq(qala_findings_new(&fl), QALA_OK);
    cr_assert_eq(load(&f, fl, "name,left,right,tolerance,severity\n"
                              "ok,POP,M + F,1%,error\n"
                              "a,POPX,m + F,1%,error\n"
                              "b,POP,M F,1%,error\n"
                              "c,POP,M + ,1%,error\n"
                              "d,POP,3 M,1%,error\n"
                              "e,POP,POP + M,1%,error\n"
                              "f,POP,M + F,about 1%,error\n"
                              "g,POP,M + F,-1,error\n"
                              "h,POP,M + F,1%,fatal\n"
                              "ok,POP,F,1%,error\n"
                              ",POP,M,,\n"), QALA_EDATA);
    cr_assert_eq(qala_identities_count(f.ids), 0);
    cr_assert_str_eq(messages(fl),
        "3:2: unknown indicator \"POPX\" in left: did you mean \"POP\"?\n"
        "4:3: right \"M F\": expected + or - before \"F\"\n"
        "5:3: right \"M +\": expected an indicator code at the end\n"
        "6:3: right \"3 M\": a number must be followed by * and an indicator code\n"
        "7:3: \"POP\" is on both sides\n"
        "8:4: tolerance \"about 1%\" is not a number >= 0: expected a percentage of the left side (\"0.5%\") or an absolute amount (\"100\")\n"
        "9:4: tolerance \"-1\" is not a number >= 0: expected a percentage of the left side (\"0.5%\") or an absolute amount (\"100\")\n"
        "10:5: severity \"fatal\" is not error or warning\n"
        "11:0: name \"ok\" is already used on line 2\n"
        "12:1: name is empty\n");
    qala_findings_free(fl);
    fx_free(&f);
}

Test(check_identities, missing_columns_are_reported)
{
    fx f;
    fx_init(&f);
    qala_findings *fl;
    cr_assert_eq(qala_findings_new(&fl), QALA_OK);
    cr_assert_eq(load(&f, fl, "name,left\nsex,POP\n"), QALA_EDATA);
    cr_assert_eq(qala_findings_errors(fl), 1);
    cr_assert(strstr(qala_findings_get(fl, 0)->message, "right") != NULL, "%s", qala_findings_get(fl, 0)->message);
    qala_findings_free(fl);
    fx_free(&f);
}

Test(check_identities, the_embedded_identities_load_against_the_default_framework)
{
    qala_framework *fw;
    qala_identities *ids;
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, NULL), QALA_OK);
    cr_assert_eq(qala_identities_new(&ids), QALA_OK);
    cr_assert_eq(qala_identities_load_default(ids, fw, NULL), QALA_OK);
    cr_assert_eq(qala_identities_count(ids), 1);
    cr_assert_str_eq(qala_identities_get(ids, 0)->name, "population-by-sex");
    cr_assert_str_eq(qala_identities_get(ids, 0)->terms[1], "population_female");
    qala_identities_free(ids);
    qala_framework_free(fw);
}
