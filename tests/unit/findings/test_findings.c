/* Unit tests of qala/findings.h: adding, copying, interning, the cap, stable sorting. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qala/findings.h"

#include "failing_alloc.h"

static qala_findings *make(void)
{
    qala_findings *f = NULL;
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_not_null(f);
    return f;
}

Test(findings, a_new_list_is_empty)
{
    qala_findings *f = make();
    cr_expect_eq(qala_findings_count(f), 0);
    cr_expect_eq(qala_findings_errors(f), 0);
    cr_expect_eq(qala_findings_warnings(f), 0);
    cr_expect_null(qala_findings_get(f, 0));
    qala_findings_free(f);
    qala_findings_free(NULL);
}

Test(findings, add_formats_and_copies_every_field)
{
    qala_findings *f = make();
    char file[] = "units.csv", rule[] = "bad-date";
    cr_assert_eq(qala_findings_add(f, QALA_SEVERITY_ERROR, file, 3, 6, rule,
                                   "valid_from \"%s\" is not a date (%d)", "2019-13-01", 7),
                 QALA_OK);
    /* The caller's buffers may change afterwards. */
    strcpy(file, "XXXXX.csv");
    strcpy(rule, "XXX-XXXX");
    const qala_finding *x = qala_findings_get(f, 0);
    cr_assert_not_null(x);
    cr_expect_eq(x->severity, QALA_SEVERITY_ERROR);
    cr_expect_str_eq(x->file, "units.csv");
    cr_expect_eq(x->line, 3);
    cr_expect_eq(x->column, 6);
    cr_expect_str_eq(x->rule, "bad-date");
    cr_expect_str_eq(x->message, "valid_from \"2019-13-01\" is not a date (7)");
    cr_expect_eq(qala_findings_errors(f), 1);
    cr_expect_eq(qala_findings_warnings(f), 0);
    qala_findings_free(f);
}

Test(findings, null_file_becomes_empty_and_messages_stay_on_one_line)
{
    qala_findings *f = make();
    cr_assert_eq(qala_findings_add(f, QALA_SEVERITY_WARNING, NULL, 0, 0, "x", "two\nlines\r"),
                 QALA_OK);
    const qala_finding *x = qala_findings_get(f, 0);
    cr_expect_str_eq(x->file, "");
    cr_expect_str_eq(x->message, "two lines ");
    cr_expect_eq(qala_findings_warnings(f), 1);
    qala_findings_free(f);
}

Test(findings, equal_labels_share_one_copy)
{
    qala_findings *f = make();
    char a[] = "data.csv", b[] = "data.csv";
    qala_findings_add(f, QALA_SEVERITY_ERROR, a, 1, 1, "r", "m");
    qala_findings_add(f, QALA_SEVERITY_ERROR, b, 2, 1, "r", "m");
    qala_findings_add(f, QALA_SEVERITY_ERROR, "other.csv", 2, 1, "r", "m");
    cr_expect_eq(qala_findings_get(f, 0)->file, qala_findings_get(f, 1)->file);
    cr_expect_neq(qala_findings_get(f, 0)->file, qala_findings_get(f, 2)->file);
    cr_expect_eq(qala_findings_get(f, 0)->rule, qala_findings_get(f, 2)->rule);
    qala_findings_free(f);
}

Test(findings, beyond_the_cap_findings_are_counted_not_stored)
{
    qala_findings *f = make();
    qala_findings_set_cap(f, 5);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(qala_findings_add(f, i % 2 ? QALA_SEVERITY_WARNING : QALA_SEVERITY_ERROR,
                                       "f.csv", i + 1, 0, "r", "finding %d", i),
                     QALA_OK);
    cr_expect_eq(qala_findings_count(f), 5);
    cr_expect_eq(qala_findings_errors(f), 4);
    cr_expect_eq(qala_findings_warnings(f), 4);
    cr_expect_str_eq(qala_findings_get(f, 4)->message, "finding 4");
    cr_expect_null(qala_findings_get(f, 5));
    qala_findings_free(f);
}

Test(findings, the_default_cap_is_ten_thousand)
{
    qala_findings *f = make();
    for (int i = 0; i < 10005; i++)
        qala_findings_add(f, QALA_SEVERITY_ERROR, "big.csv", i + 1, 1, "r", "row %d", i);
    cr_expect_eq(qala_findings_count(f), 10000);
    cr_expect_eq(qala_findings_errors(f), 10005);
    qala_findings_free(f);
}

Test(findings, lowering_the_cap_drops_stored_findings)
{
    qala_findings *f = make();
    for (int i = 0; i < 4; i++)
        qala_findings_add(f, QALA_SEVERITY_ERROR, "f.csv", i + 1, 0, "r", "m%d", i);
    qala_findings_set_cap(f, 2);
    cr_expect_eq(qala_findings_count(f), 2);
    cr_expect_eq(qala_findings_errors(f), 4);
    qala_findings_free(f);
}

Test(findings, clear_empties_the_list_and_the_totals)
{
    qala_findings *f = make();
    qala_findings_add(f, QALA_SEVERITY_ERROR, "f.csv", 1, 0, "r", "m");
    qala_findings_clear(f);
    cr_expect_eq(qala_findings_count(f), 0);
    cr_expect_eq(qala_findings_errors(f), 0);
    qala_findings_add(f, QALA_SEVERITY_WARNING, "g.csv", 1, 0, "r", "again");
    cr_expect_str_eq(qala_findings_get(f, 0)->file, "g.csv");
    qala_findings_free(f);
}

Test(findings, sort_orders_by_file_line_column_and_keeps_ties_in_order)
{
    qala_findings *f = make();
    qala_findings_add(f, QALA_SEVERITY_ERROR, "b.csv", 1, 1, "r", "b1");
    qala_findings_add(f, QALA_SEVERITY_ERROR, "a.csv", 10, 2, "r", "a10c2");
    qala_findings_add(f, QALA_SEVERITY_ERROR, "a.csv", 2, 5, "r", "a2c5-first");
    qala_findings_add(f, QALA_SEVERITY_ERROR, "a.csv", 2, 1, "r", "a2c1");
    qala_findings_add(f, QALA_SEVERITY_WARNING, "a.csv", 2, 5, "r", "a2c5-second");
    qala_findings_add(f, QALA_SEVERITY_ERROR, "a.csv", 10, 0, "r", "a10c0");
    qala_findings_sort(f);
    const char *want[] = {"a2c1", "a2c5-first", "a2c5-second", "a10c0", "a10c2", "b1"};
    for (size_t i = 0; i < 6; i++)
        cr_expect_str_eq(qala_findings_get(f, i)->message, want[i], "position %zu", i);
    qala_findings_free(f);
}

Test(findings, sort_is_stable_for_many_equal_keys)
{
    qala_findings *f = make();
    for (int i = 0; i < 2000; i++)
        qala_findings_add(f, QALA_SEVERITY_ERROR, i % 2 ? "x.csv" : "y.csv", 7, 3, "r", "%d", i);
    qala_findings_sort(f);
    int last_x = -1, last_y = -1;
    for (size_t i = 0; i < 2000; i++) {
        const qala_finding *x = qala_findings_get(f, i);
        int v = atoi(x->message);
        if (i < 1000) {
            cr_assert_str_eq(x->file, "x.csv");
            cr_assert_gt(v, last_x);
            last_x = v;
        } else {
            cr_assert_str_eq(x->file, "y.csv");
            cr_assert_gt(v, last_y);
            last_y = v;
        }
    }
    qala_findings_free(f);
}


Test(findings, a_failed_allocation_reports_enomem_and_keeps_totals_consistent)
{
    const qala_allocator a = failing_allocator;
    qala_allocator_set(&a);
    int succeeded = 0;
    for (fail_at = 0; fail_at < 12 && !succeeded; fail_at++) {
        calls = 0;
        qala_findings *f = NULL;
        qala_status st = qala_findings_new(&f);
        if (st != QALA_OK) {
            cr_assert_eq(st, QALA_ENOMEM);
            cr_assert_null(f);
            continue;
        }
        st = qala_findings_add(f, QALA_SEVERITY_ERROR, "f.csv", 1, 1, "rule", "message %d", 1);
        if (st == QALA_OK) {
            succeeded = 1;
            cr_expect_eq(qala_findings_count(f), 1);
        } else {
            cr_expect_eq(st, QALA_ENOMEM);
            cr_expect_eq(qala_findings_count(f), 0);
            cr_expect_eq(qala_findings_errors(f), 0);
        }
        qala_findings_free(f);
    }
    qala_allocator_set(NULL);
    cr_expect(succeeded);
}
