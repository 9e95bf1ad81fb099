/* Allocation failures (tests/unit/failing_alloc.h): every allocation of the build and of
 * the default period is failed in turn; each call returns QALA_ENOMEM with *out NULL, or
 * succeeds with the same input as without the hook. ASan's leak check proves that each
 * failure path frees what it holds. */
#include "failing_alloc.h"
#include "fixture.h"

static fx f;

static void setup(void)
{
    fx_init(&f);
    fx_obs(&f, "TV", "INC", Y(2020), 10);
    fx_obs(&f, "TV", "POP", Y(2020), 100);
    fx_obs(&f, "SP", "UNEMP", Y(2021), 5);
    fx_obs(&f, "FB", "INC", Y(2021), 7);
    f.opt.from = Y(2020);
    f.opt.to = Y(2021);
}

static void teardown(void)
{
    qala_allocator_set(NULL);
    fx_free(&f);
}

TestSuite(index_data_alloc, .init = setup, .fini = teardown);

static void check_each_failure(const char *const *units, size_t nunits)
{
    f.opt.units = units;
    f.opt.nunits = nunits;
    const qala_index_input *ref = fx_build(&f, 1);
    fail_at = -1, calls = 0;
    qala_allocator_set(&failing_allocator);
    qala_index_data *d = NULL;
    cr_assert_eq(qala_index_data_build(&d, f.ds, &f.tree, f.reg, &f.opt), QALA_OK);
    qala_allocator_set(NULL);
    qala_index_data_free(d);
    long total = calls, failures = 0;
    cr_assert_gt(total, 10, "the build allocates");
    for (fail_at = 0; fail_at < total; fail_at++) {
        d = (qala_index_data *)&f;
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_status st = qala_index_data_build(&d, f.ds, &f.tree, f.reg, &f.opt);
        qala_allocator_set(NULL);
        if (st == QALA_OK) {
            const qala_index_input *in = qala_index_data_input(d);
            cr_expect_eq(in->nunits, ref->nunits);
            cr_expect_eq(in->ncolumns, ref->ncolumns);
            cr_expect_eq(in->ngroupings, ref->ngroupings);
            qala_index_data_free(d);
        } else {
            cr_assert_eq(st, QALA_ENOMEM, "fail_at %ld: status %d", fail_at, st);
            cr_assert_null(d, "fail_at %ld", fail_at);
            failures++;
        }
    }
    cr_expect_eq(failures, total, "every allocation is needed");
}

Test(index_data_alloc, build_with_the_default_units)
{
    check_each_failure(NULL, 0);
}

Test(index_data_alloc, build_with_a_unit_list)
{
    const char *units[] = {"SP", "NR", "TV", "CP"};
    check_each_failure(units, 4);
}

Test(index_data_alloc, default_period)
{
    fail_at = -1, calls = 0;
    qala_period p = 0;
    qala_allocator_set(&failing_allocator);
    cr_assert_eq(qala_index_data_default_period(&p, f.ds, &f.tree), QALA_OK);
    qala_allocator_set(NULL);
    long total = calls;
    cr_assert_gt(total, 0);
    for (fail_at = 0; fail_at < total; fail_at++) {
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_status st = qala_index_data_default_period(&p, f.ds, &f.tree);
        qala_allocator_set(NULL);
        cr_assert(st == QALA_ENOMEM || (st == QALA_OK && p == Y(2021)), "fail_at %ld: %d", fail_at, st);
    }
}
