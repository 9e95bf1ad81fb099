/* Allocation failures (tests/unit/failing_alloc.h): every allocation of the panel build,
 * the groupings and each report is failed in turn; each call returns QALA_ENOMEM with
 * *out NULL, or succeeds. ASan's leak check proves each failure path frees what it holds. */
#include "demo.h"
#include "failing_alloc.h"

static demo d;
static qala_panel *panel;
static qala_panel_grouping *by, *within;

static void setup(void)
{
    demo_load(&d);
    panel = demo_panel(&d, "population", "population", Y(2021), Y(2023), QALA_PANEL_CITIES);
    cr_assert_eq(qala_panel_grouping_make(&by, panel, d.reg, "type"), QALA_OK);
    cr_assert_eq(qala_panel_grouping_make(&within, panel, d.reg, "region"), QALA_OK);
}

static void teardown(void)
{
    qala_allocator_set(NULL);
    qala_panel_grouping_free(by);
    qala_panel_grouping_free(within);
    qala_panel_free(panel);
    demo_free(&d);
}

TestSuite(alloc, .init = setup, .fini = teardown);

typedef qala_status (*op_fn)(void **out);

static qala_status op_panel(void **out)
{
    qala_panel_options opt = QALA_PANEL_OPTIONS_INIT;
    const char *groups[] = {"monocity", "smart_city"};
    opt.indicator = "population";
    opt.weights = "population";
    opt.units = QALA_PANEL_CITIES;
    opt.groups = groups;
    opt.ngroups = 2;
    return qala_panel_build((qala_panel **)out, d.ds, d.reg, &opt);
}

static qala_status op_grouping(void **out)
{
    return qala_panel_grouping_make((qala_panel_grouping **)out, panel, d.reg, "monocity,agglomeration");
}

static qala_status op_nest(void **out)
{
    return qala_panel_grouping_nest((qala_panel_grouping **)out, by, within);
}

static qala_status op_ineq(void **out)
{
    qala_ineq_report_options opt = QALA_INEQ_REPORT_OPTIONS_INIT;
    opt.period = 2;
    opt.by = by;
    opt.within = within;
    return qala_ineq_report_compute((qala_ineq_report **)out, panel, &opt);
}

static qala_status op_conv(void **out)
{
    qala_convergence_options opt = QALA_CONVERGENCE_OPTIONS_INIT;
    opt.weighted = 1;
    return qala_convergence_report_compute((qala_convergence_report **)out, panel, &opt);
}

static qala_status op_trends(void **out)
{
    return qala_trends_report_compute((qala_trends_report **)out, panel, 1, NULL, 0, d.reg);
}

static qala_status op_compare(void **out)
{
    qala_compare_report_options opt = QALA_COMPARE_REPORT_OPTIONS_INIT;
    opt.period = 2;
    opt.permutations = 99;
    return qala_compare_report_compute((qala_compare_report **)out, panel, d.reg, &opt);
}

static void free_any(int kind, void *x)
{
    switch (kind) {
    case 0: qala_panel_free(x); break;
    case 1:
    case 2: qala_panel_grouping_free(x); break;
    case 3: qala_ineq_report_free(x); break;
    case 4: qala_convergence_report_free(x); break;
    case 5: qala_trends_report_free(x); break;
    default: qala_compare_report_free(x); break;
    }
}

static void check_each_failure(int kind, op_fn op)
{
    void *x = NULL;
    fail_at = -1, calls = 0;
    qala_allocator_set(&failing_allocator);
    cr_assert_eq(op(&x), QALA_OK);
    qala_allocator_set(NULL);
    free_any(kind, x);
    long total = calls;
    cr_assert_gt(total, 0, "the operation allocates");
    for (fail_at = 0; fail_at < total; fail_at++) {
        x = &d;
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_status st = op(&x);
        qala_allocator_set(NULL);
        if (st == QALA_OK) {
            free_any(kind, x);
            continue;
        }
        cr_assert_eq(st, QALA_ENOMEM, "kind %d, fail_at %ld: status %d", kind, fail_at, st);
        cr_assert_null(x, "kind %d, fail_at %ld", kind, fail_at);
    }
}

Test(alloc, panel_build_fails_cleanly) { check_each_failure(0, op_panel); }
Test(alloc, grouping_fails_cleanly) { check_each_failure(1, op_grouping); }
Test(alloc, nesting_fails_cleanly) { check_each_failure(2, op_nest); }
Test(alloc, inequality_report_fails_cleanly) { check_each_failure(3, op_ineq); }
Test(alloc, convergence_report_fails_cleanly) { check_each_failure(4, op_conv); }
Test(alloc, trends_report_fails_cleanly) { check_each_failure(5, op_trends); }
Test(alloc, compare_report_fails_cleanly) { check_each_failure(6, op_compare); }
