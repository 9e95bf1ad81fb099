/* Allocation failures (tests/unit/failing_alloc.h): every allocation of the loader and of
 * the evaluation is failed in turn; each call returns QALA_ENOMEM leaving the collection
 * as it was and *out NULL, or succeeds with the same result as without the hook. ASan's
 * leak check proves that each failure path frees what it holds. */
#include "category_internal.h"
#include "failing_alloc.h"
#include "fixture.h"

static cx c;

static void setup(void)
{
    cx_init(&c);
}

static void teardown(void)
{
    qala_allocator_set(NULL);
    cx_free(&c);
}

TestSuite(category_alloc, .init = setup, .fini = teardown);

static const char file[] = HEADER GRP("mono", "mono") IND("cfe", "eligibility", "CFE", ">=", "20")
    TRF("pop", "2", "POP", "change_percent", "2", "<", "0") IND("unr", "1", "UNR", ">=", "2")
    BRE("cb", "1", "crisis_breaches", "s1", ">=", "1") BRE("b", "2", "breaches", "", ">=", "2")
    "bad,1,indicator,UNR,level,3,,,,,>=,2,d,s,assumption\n"; /* a warning: k unused */

Test(category_alloc, rules_new)
{
    qala_category_rules *r = (qala_category_rules *)&c;
    fail_at = 0, calls = 0;
    qala_allocator_set(&failing_allocator);
    cr_expect_eq(qala_category_rules_new(&r), QALA_ENOMEM);
    qala_allocator_set(NULL);
    cr_expect_null(r);
}

/* The number of allocations of op() when none fails. */
static long count_calls(qala_status (*op)(void))
{
    fail_at = -1, calls = 0;
    qala_allocator_set(&failing_allocator);
    qala_status st = op();
    qala_allocator_set(NULL);
    cr_assert_eq(st, QALA_OK);
    return calls;
}

static qala_status load_file(void)
{
    return qala_category_rules_load_csv(c.rules, file, strlen(file), "rules.csv", c.fw, c.reg,
                                        c.found);
}

/* Some failures are absorbed (the CSV reader falls back to its slow path when its fast
 * path cannot grow a buffer), so every allocation is failed in turn, not only until the
 * first success. */
Test(category_alloc, load)
{
    static const char first[] = HEADER IND("x", "2", "LAY", ">", "1");
    cr_assert_eq(cx_load(&c, first), QALA_OK);
    long total = count_calls(load_file), failures = 0;
    qala_category_rules__truncate(c.rules, 1);
    cr_assert_gt(total, 5, "the loader allocates");
    for (fail_at = 0; fail_at < total; fail_at++) {
        qala_findings_clear(c.found);
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_status st = load_file();
        qala_allocator_set(NULL);
        if (st == QALA_OK) {
            cr_expect_eq(qala_category_rules_count(c.rules), 8);
            cr_expect_eq(qala_findings_warnings(c.found), 1);
            qala_category_rules__truncate(c.rules, 1);
        } else {
            failures++;
            cr_assert_eq(st, QALA_ENOMEM, "fail_at %ld: status %d", fail_at, st);
            cr_assert_eq(qala_category_rules_count(c.rules), 1, "fail_at %ld", fail_at);
        }
    }
    cr_expect_gt(failures, 0);
}

static void data(void)
{
    cx_threshold(&c, "s1", 1, QALA_BAD_HIGH, 1, 2);
    cx_threshold(&c, "s2", 2, QALA_BAD_HIGH, 1, 3);
    cr_assert_eq(qala_category_rules_load_csv(c.rules, file, strlen(file), "rules.csv", c.fw,
                                              c.reg, NULL),
                 QALA_OK);
    const char *units[] = {"TL", "TV", "SP", "FB", "X1"};
    for (int i = 0; i < 5; i++) {
        cx_obs(&c, units[i], "UNR", Y(2020), 1 + i * 0.5);
        cx_obs(&c, units[i], "LAY", Y(2020), i);
        cx_obs(&c, units[i], "POP", Y(2018), 100);
        cx_obs(&c, units[i], "POP", Y(2020), 98 + i);
        cx_obs(&c, units[i], "CFE", Y(2020), 10 + 5 * i);
    }
    cr_assert_eq(qala_dataset_sort(c.ds), QALA_OK);
}

static qala_status evaluate_once(void)
{
    qala_category_result *r = NULL;
    qala_status st = qala_category_evaluate(&r, c.ds, c.rules, c.ths, c.fw, c.reg, Y(2020));
    qala_category_result_free(r);
    return st;
}

Test(category_alloc, evaluate)
{
    data();
    qala_category_result *ref = NULL;
    cr_assert_eq(qala_category_evaluate(&ref, c.ds, c.rules, c.ths, c.fw, c.reg, Y(2020)), QALA_OK);
    cr_assert_eq(ref->n, 4);
    long total = count_calls(evaluate_once), failures = 0;
    cr_assert_gt(total, 10, "the evaluation allocates");
    for (fail_at = 0; fail_at < total; fail_at++) {
        qala_category_result *r = (qala_category_result *)&c;
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_status st = qala_category_evaluate(&r, c.ds, c.rules, c.ths, c.fw, c.reg, Y(2020));
        qala_allocator_set(NULL);
        if (st == QALA_OK) {
            cr_assert_eq(r->n, ref->n);
            cr_expect_eq(memcmp(r->category, ref->category, r->n), 0);
            cr_expect_eq(memcmp(r->evaluated, ref->evaluated, r->n), 0);
            cr_expect_eq(memcmp(r->fired_start, ref->fired_start, (r->n + 1) * sizeof *r->fired_start), 0);
            cr_expect_eq(memcmp(r->fired, ref->fired, r->fired_start[r->n] * sizeof *r->fired), 0);
            qala_category_result_free(r);
        } else {
            failures++;
            cr_assert_eq(st, QALA_ENOMEM, "fail_at %ld: status %d (%s)", fail_at, st,
                         qala_error_last()->message);
            cr_assert_null(r, "fail_at %ld", fail_at);
        }
    }
    cr_expect_gt(failures, total / 2);
    /* the reference (rows TV, SP, FB, X1): TV is a member with population -1% and two
     * warnings (category 2); SP (CFE 20), FB and X1 have UNR >= 2 (category 1) */
    uint8_t want[4] = {2, 1, 1, 1};
    cr_expect_eq(memcmp(ref->category, want, 4), 0);
    qala_category_result_free(ref);
}
