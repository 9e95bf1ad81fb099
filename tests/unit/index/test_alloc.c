/* Allocation failure on every allocation of a run in turn (tests/unit/failing_alloc.h):
 * each failing run returns QALA_ENOMEM with *out NULL and leaks nothing (ASan's leak check
 * fails the test otherwise), and the run succeeds once the failure point is past the last
 * allocation. The ASEM panel with panel and group imputation goes through every stage. */
#include <criterion/criterion.h>

#include "asem.h"
#include "failing_alloc.h"

Test(index_alloc, every_allocation_failure_is_clean)
{
    asem a;
    asem_load(&a, "COINr_ASEM_iData_p.csv");
    a.tree.settings.panel_impute = QALA_IMPUTE_LATEST;
    qala_index_result *r = NULL;
    size_t failures = 0;
    qala_allocator_set(&failing_allocator);
    for (fail_at = 0;; fail_at++) {
        calls = 0;
        r = (qala_index_result *)&a;
        qala_status st = qala_index_run(&r, &a.tree, &a.input);
        if (st == QALA_OK)
            break;
        cr_assert_eq(st, QALA_ENOMEM, "allocation %ld: %s", fail_at, qala_error_last()->message);
        cr_assert_null(r);
        failures++;
        cr_assert_lt(fail_at, 100000);
    }
    /* and the group ranks of the result */
    size_t root = a.tree.nnodes - 1;
    double *gr = malloc(255 * sizeof *gr);
    cr_assert_not_null(gr);
    fail_at = calls;
    qala_status st = qala_index_result_group_ranks(r, root, "EurAsia_group", gr);
    cr_expect_eq(st, QALA_ENOMEM);
    fail_at = -1;
    cr_expect_eq(qala_index_result_group_ranks(r, root, "EurAsia_group", gr), QALA_OK);
    qala_allocator_set(NULL);
    cr_expect_geq(failures, 4); /* meta, copies, data, scratch at least */
    free(gr);
    qala_index_result_free(r);
    asem_free(&a);
}
