/* Allocation failure: each allocation of qala_check_run and of the identities loader
 * fails in turn; every time the result is QALA_ENOMEM with *out NULL and no leak (ASan),
 * and the run that succeeds finds what the unhindered run finds. */
#include "fixture.h"

#include "failing_alloc.h"

static void world(fx *f)
{
    fx_init(f);
    const char *text = "name,left,right\nsex,POP,M + F\n";
    cr_assert_eq(qala_identities_load_csv(f->ids, text, strlen(text), "ids.csv", f->fw, NULL), QALA_OK);
    for (int u = 1; u <= 8; u++) {
        char code[8];
        snprintf(code, sizeof code, "R%d", u);
        for (int y = 2015; y <= 2022; y++) {
            fx_add(f, code, "POP", Y(y), 1000 * u + (u == 3 && y == 2020 ? 900 : y % 3));
            fx_add(f, code, "RATE", Y(y), u == 8 ? 150 : 5);
        }
        fx_add(f, code, "M", Y(2022), 500 * u);
        if (u != 4)
            fx_add(f, code, "F", Y(2022), 400 * u);
    }
    cr_assert_eq(qala_dataset_sort(f->ds), QALA_OK);
}

Test(check_alloc, each_failing_allocation_of_a_run_is_clean)
{
    fx f;
    world(&f);
    fx_run(&f, 0);
    size_t want = qala_check_count(f.r);
    cr_assert(want > 3);
    int succeeded = 0;
    for (fail_at = 0; !succeeded && fail_at < 100000; fail_at++) {
        calls = 0;
        qala_check_result *r = (qala_check_result *)&f;
        qala_allocator_set(&failing_allocator);
        qala_status st = qala_check_run(&r, f.ds, f.fw, f.reg, f.ids, &f.opt);
        qala_allocator_set(NULL);
        if (st == QALA_OK) {
            succeeded = 1;
            cr_assert_eq(qala_check_count(r), want);
            qala_check_result_free(r);
        } else {
            cr_assert_eq(st, QALA_ENOMEM, "fail_at %ld: %d", fail_at, st);
            cr_assert_null(r);
        }
    }
    cr_assert(succeeded);
    fx_free(&f);
}

Test(check_alloc, each_failing_allocation_of_the_identities_loader_is_clean)
{
    fx f;
    fx_init(&f);
    const char *text = "name,left,right,tolerance\nsex,POP,M + F,1%\nother,M,POP - F,2\n";
    int succeeded = 0;
    for (fail_at = 0; !succeeded && fail_at < 100000; fail_at++) {
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_status st = qala_identities_load_csv(f.ids, text, strlen(text), "ids.csv", f.fw, NULL);
        qala_allocator_set(NULL);
        if (st == QALA_OK)
            succeeded = 1;
        else
            cr_assert_eq(qala_identities_count(f.ids), 0, "fail_at %ld", fail_at);
    }
    cr_assert(succeeded);
    cr_assert_eq(qala_identities_count(f.ids), 2);
    fx_free(&f);
}
