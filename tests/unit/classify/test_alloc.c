/* Allocation failures (tests/unit/failing_alloc.h): every allocation of the rule loader,
 * the rule evaluation, k-means, Ward and the cross-table is failed in turn; each call
 * returns QALA_ENOMEM with *out NULL (and a collection as it was), or succeeds with the
 * result it gives without the hook. ASan's leak check proves each failure path frees
 * what it holds. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/classify.h"
#include "reference_values.h"

static qala_framework *fw;
static qala_registry *reg;
static qala_dataset *ds;
static qala_classify_rules *rules;

static const char file[] =
    "rule,group,indicator,operator,value,upper,description,source,confidence\n"
    "m,mono,CFE,>=,20,,d,s,rule\n"
    "s,mono,POP,between,1,5,d,s,assumption\n"
    "s,mono,CFE,<,50,,d,s,assumption\n"
    "w,mono,POP,>,1,9,upper unused: a warning,s,assumption\n";

static void setup(void)
{
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    const char *codes[] = {"CFE", "POP"};
    for (int i = 0; i < 2; i++) {
        qala_indicator ind = {.code = codes[i], .domain = QALA_DOMAIN_INCOMES, .direction = 1,
                              .unit = "", .decimals = 1, .min = -INFINITY, .max = INFINITY,
                              .name = {"x", "x", "x"}, .description = "", .source = "t"};
        size_t idx;
        cr_assert_eq(qala_framework_add(fw, &ind, &idx), QALA_OK);
    }
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    const char *units[] = {"A", "B", "C"};
    for (int i = 0; i < 3; i++) {
        qala_unit u = {.code = units[i], .kind = QALA_UNIT_CITY, .kato = "", .lat = NAN, .lon = NAN,
                       .valid_from = QALA_DATE_MIN, .valid_to = QALA_DATE_MAX, .source = "t"};
        size_t idx;
        cr_assert_eq(qala_registry_add_unit(reg, &u, &idx), QALA_OK);
    }
    qala_group g = {.code = "mono", .name = {"x", "x", "x"}, .source = "t"};
    size_t gi;
    cr_assert_eq(qala_registry_add_group(reg, &g, &gi), QALA_OK);
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    for (int i = 0; i < 3; i++) {
        uint32_t u, c, p;
        cr_assert_eq(qala_dataset_intern_unit(ds, units[i], &u), QALA_OK);
        cr_assert_eq(qala_dataset_intern_indicator(ds, "CFE", &c), QALA_OK);
        cr_assert_eq(qala_dataset_intern_indicator(ds, "POP", &p), QALA_OK);
        cr_assert_eq(qala_dataset_append(ds, u, c, 202000, 10.0 * i, QALA_FLAG_NONE, 0), QALA_OK);
        cr_assert_eq(qala_dataset_append(ds, u, p, 202000, 2.0 * i, QALA_FLAG_NONE, 0), QALA_OK);
    }
    cr_assert_eq(qala_dataset_sort(ds), QALA_OK);
    cr_assert_eq(qala_classify_rules_new(&rules), QALA_OK);
}

static void teardown(void)
{
    qala_allocator_set(NULL);
    qala_classify_rules_free(rules);
    qala_dataset_free(ds);
    qala_registry_free(reg);
    qala_framework_free(fw);
}

TestSuite(classify_alloc, .init = setup, .fini = teardown);

/* Runs op with allocation fail_at failing, for every fail_at up to the number op makes
 * when none fails; check(st) inspects each outcome. Returns the number of failures. */
static long each_failure(qala_status (*op)(void), void (*check)(qala_status))
{
    fail_at = -1, calls = 0;
    qala_allocator_set(&failing_allocator);
    qala_status st = op();
    qala_allocator_set(NULL);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    check(st);
    long total = calls, failures = 0;
    cr_assert_gt(total, 0);
    for (fail_at = 0; fail_at < total; fail_at++) {
        calls = 0;
        qala_allocator_set(&failing_allocator);
        st = op();
        qala_allocator_set(NULL);
        if (st != QALA_OK) {
            failures++;
            cr_assert_eq(st, QALA_ENOMEM, "fail_at %ld: status %d (%s)", fail_at, st,
                         qala_error_last()->message);
        }
        check(st);
    }
    return failures;
}

static qala_status load(void)
{
    qala_findings *f = NULL;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_classify_rules_load_csv(rules, file, strlen(file), "r.csv", fw, reg, f);
    if (st == QALA_OK)
        cr_expect_eq(qala_findings_warnings(f), 1);
    qala_findings_free(f);
    return st;
}

static void check_load(qala_status st)
{
    cr_assert_eq(qala_classify_rules_count(rules), st == QALA_OK ? 4 : 0);
    qala_classify_rules_free(rules);
    rules = NULL;
    cr_assert_eq(qala_classify_rules_new(&rules), QALA_OK);
}

Test(classify_alloc, rules_new_and_load)
{
    qala_classify_rules *r = (qala_classify_rules *)&fw;
    fail_at = 0, calls = 0;
    qala_allocator_set(&failing_allocator);
    cr_expect_eq(qala_classify_rules_new(&r), QALA_ENOMEM);
    qala_allocator_set(NULL);
    cr_expect_null(r);
    cr_expect_gt(each_failure(load, check_load), 0);
}

static qala_classify_result *last;

static qala_status evaluate(void)
{
    qala_classify_result_free(last);
    last = (qala_classify_result *)&fw;
    qala_status st = qala_classify_evaluate(&last, ds, rules, fw, reg, 202000, 0);
    if (st != QALA_OK)
        cr_assert_null(last);
    return st;
}

static void check_evaluate(qala_status st)
{
    if (st != QALA_OK)
        return;
    cr_assert_eq(last->nunits, 3);
    /* A: CFE 0 (m no), POP 0 (s no) -> no; B: CFE 10, POP 2 -> s yes; C: CFE 20 -> m yes */
    cr_expect_eq(last->data[0], QALA_CLASSIFY_NO);
    cr_expect_eq(last->data[1], QALA_CLASSIFY_YES);
    cr_expect_eq(last->data[2], QALA_CLASSIFY_YES);
}

Test(classify_alloc, evaluate)
{
    cr_assert_eq(qala_classify_rules_load_csv(rules, file, strlen(file), "r.csv", fw, reg, NULL), QALA_OK);
    cr_expect_gt(each_failure(evaluate, check_evaluate), 0);
    qala_classify_result_free(last);
    last = NULL;
    qala_period p;
    fail_at = 0, calls = 0;
    qala_allocator_set(&failing_allocator);
    cr_expect_eq(qala_classify_rules_default_period(&p, ds, rules, fw), QALA_ENOMEM);
    qala_allocator_set(NULL);
}

static double kmeans_wcss;

static qala_status kmeans(void)
{
    qala_kmeans_options o = QALA_KMEANS_OPTIONS_INIT;
    o.k = 3;
    o.restarts = 3;
    qala_kmeans_result *r = (qala_kmeans_result *)&fw;
    qala_status st = qala_kmeans(&r, blobs, 24, 2, &o);
    if (st != QALA_OK) {
        cr_assert_null(r);
        return st;
    }
    kmeans_wcss = r->wcss;
    qala_kmeans_result_free(r);
    return st;
}

static void check_kmeans(qala_status st)
{
    if (st == QALA_OK)
        cr_expect(fabs(kmeans_wcss - blobs_wcss_k3) <= 1e-12 * blobs_wcss_k3,
                  "WCSS %.17g, reference %.17g", kmeans_wcss, blobs_wcss_k3);
}

static qala_status ward(void)
{
    qala_ward_result *w = (qala_ward_result *)&fw;
    qala_status st = qala_ward(&w, cube, 12, 3);
    if (st != QALA_OK) {
        cr_assert_null(w);
        return st;
    }
    cr_expect_eq(w->merge[10].size, 12);
    qala_ward_result_free(w);
    return st;
}

static qala_status crosstab(void)
{
    qala_crosstab *t = (qala_crosstab *)&fw;
    qala_status st = qala_crosstab_new(&t, blob_truth, ward_cut3_ref, 24);
    if (st != QALA_OK) {
        cr_assert_null(t);
        return st;
    }
    cr_expect_eq(qala_crosstab_ari(t), 1.0);
    qala_crosstab_free(t);
    return st;
}

static void check_nothing(qala_status st)
{
    (void)st;
}

Test(classify_alloc, kernels)
{
    cr_expect_gt(each_failure(kmeans, check_kmeans), 0);
    cr_expect_gt(each_failure(ward, check_nothing), 0);
    cr_expect_gt(each_failure(crosstab, check_nothing), 0);
}
