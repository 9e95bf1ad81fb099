/* The registry at scale (100,000 units, ARCHITECTURE.md "Scale") and under allocation
 * failures: every failure leaves the registry as it was and leaks nothing. */
#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "failing_alloc.h"

Test(registry_scale, a_hundred_thousand_units_load_match_and_check_in_linear_time,
     .timeout = 120)
{
    enum { N = 100000 };
    qala_registry *reg;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    char code[32], name[64];
    qala_unit country = {"S", QALA_UNIT_COUNTRY, "", NAN, NAN, QALA_DATE_MIN, QALA_DATE_MAX, ""};
    size_t root;
    cr_assert_eq(qala_registry_add_unit(reg, &country, &root), QALA_OK);
    static const char *const lang_name[3] = {"Қала %d", "Город %d", "Town %d"};
    for (int l = 0; l < 3; l++) {
        qala_unit_name n = {root, (qala_lang)l, "Synthetica", QALA_DATE_MIN, QALA_DATE_MAX, 1};
        cr_assert_eq(qala_registry_add_name(reg, &n), QALA_OK);
    }
    for (int i = 0; i < N; i++) {
        snprintf(code, sizeof code, "S-%06d", i);
        qala_unit u = {code, QALA_UNIT_REGION, "", NAN, NAN, QALA_DATE_MIN, QALA_DATE_MAX, ""};
        size_t ui;
        cr_assert_eq(qala_registry_add_unit(reg, &u, &ui), QALA_OK);
        for (int l = 0; l < 3; l++) {
            snprintf(name, sizeof name, lang_name[l], i);
            qala_unit_name n = {ui, (qala_lang)l, name, QALA_DATE_MIN, QALA_DATE_MAX, 1};
            cr_assert_eq(qala_registry_add_name(reg, &n), QALA_OK);
        }
        qala_unit_parent p = {ui, root, QALA_DATE_MIN, QALA_DATE_MAX, ""};
        cr_assert_eq(qala_registry_add_parent(reg, &p), QALA_OK);
    }
    cr_expect_eq(qala_registry_unit_count(reg), N + 1);
    cr_expect_eq(qala_registry_name_count(reg), 4 * (size_t)N + 4);
    qala_match m;
    cr_assert_eq(qala_registry_match(reg, "ГОРОД 77777", 11 + 5, 0, &m), QALA_OK);
    cr_expect_str_eq(qala_registry_unit(reg, m.units[0])->code, "S-077777");
    cr_assert_eq(qala_registry_match(reg, "Qala 123", 8, 0, &m), QALA_OK);
    cr_expect_str_eq(qala_registry_unit(reg, m.units[0])->code, "S-000123");
    cr_assert_eq(qala_registry_match(reg, "s-099999", 8, 0, &m), QALA_OK);
    /* A miss scans every name once for suggestions. */
    cr_expect_eq(qala_registry_match(reg, "Towm 5", 6, 0, &m), QALA_ENOTFOUND);
    cr_expect_geq(m.count, 1);
    qala_findings *f;
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_expect_eq(qala_registry_check(reg, f), QALA_OK);
    qala_findings_free(f);
    qala_registry_free(reg);
}


Test(registry_alloc, each_failed_allocation_while_loading_leaves_nothing_behind, .timeout = 120)
{
    const qala_allocator a = failing_allocator;
    int loaded = 0;
    for (fail_at = 0; fail_at < 20000 && !loaded; fail_at++) {
        qala_allocator_set(&a);
        calls = 0;
        qala_registry *reg = NULL;
        qala_findings *f = NULL;
        qala_status st = qala_registry_new(&reg);
        if (st == QALA_OK)
            st = qala_findings_new(&f);
        if (st == QALA_OK) {
            /* Table by table: a failing table adds nothing. */
            qala_status tables[5];
            struct {
                qala_registry_table t;
                const char *text;
            } in[] = {{QALA_REGISTRY_UNITS, fixture_units},
                      {QALA_REGISTRY_NAMES, fixture_names},
                      {QALA_REGISTRY_PARENTS, fixture_parents},
                      {QALA_REGISTRY_GROUPS, fixture_groups},
                      {QALA_REGISTRY_MEMBERSHIPS, fixture_memberships}};
            size_t before[5] = {0};
            for (int i = 0; i < 5 && st == QALA_OK; i++) {
                before[0] = qala_registry_unit_count(reg);
                before[1] = qala_registry_name_count(reg);
                before[2] = qala_registry_parent_count(reg);
                before[3] = qala_registry_group_count(reg);
                before[4] = qala_registry_membership_count(reg);
                st = tables[i] = qala_registry_load_csv(reg, in[i].t, in[i].text,
                                                        strlen(in[i].text), "x", f);
                if (st != QALA_OK) {
                    cr_assert_eq(st, QALA_ENOMEM, "table %d: %s", i, qala_error_last()->message);
                    cr_assert_eq(qala_registry_unit_count(reg), before[0]);
                    cr_assert_eq(qala_registry_name_count(reg), before[1]);
                    cr_assert_eq(qala_registry_parent_count(reg), before[2]);
                    cr_assert_eq(qala_registry_group_count(reg), before[3]);
                    cr_assert_eq(qala_registry_membership_count(reg), before[4]);
                }
            }
            if (st == QALA_OK) {
                qala_match m;
                st = qala_registry_match(reg, "Karaganda", 9, 0, &m);
                if (st == QALA_OK)
                    loaded = 1;
            }
        }
        if (st != QALA_OK)
            cr_assert_eq(st, QALA_ENOMEM, "%s", qala_error_last()->message);
        qala_allocator_set(NULL);
        /* After a rollback the registry still answers correctly. */
        if (reg && qala_registry_unit_count(reg) == 9) {
            qala_match m;
            cr_assert_eq(qala_registry_match(reg, "t-krg", 5, 0, &m), QALA_OK);
        }
        qala_findings_free(f);
        qala_registry_free(reg);
    }
    qala_allocator_set(NULL);
    cr_expect(loaded, "never loaded within %ld allocations", fail_at);
}
