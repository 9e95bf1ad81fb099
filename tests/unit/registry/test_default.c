/* The Kazakhstan registry embedded from data/registry/ loads cleanly and passes the
 * consistency check; a few well-known facts about it hold. */
#include <criterion/criterion.h>
#include <string.h>

#include "qala/registry.h"

static void dump(const qala_findings *f)
{
    for (size_t i = 0; i < qala_findings_count(f); i++) {
        const qala_finding *x = qala_findings_get(f, i);
        cr_log_error("%s:%ld:%ld: %s [%s]", x->file, x->line, x->column, x->message, x->rule);
    }
}

Test(registry_default, loads_and_passes_the_check)
{
    qala_registry *reg;
    qala_findings *f;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    qala_status st = qala_registry_load_default(reg, f);
    dump(f);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_findings_errors(f), 0);
    cr_expect_gt(qala_registry_unit_count(reg), 20);
    qala_findings_clear(f);
    st = qala_registry_check(reg, f);
    dump(f);
    cr_expect_eq(st, QALA_OK, "%s", qala_error_last()->message);
    qala_findings_free(f);
    qala_registry_free(reg);
}

Test(registry_default, karaganda_and_astana_resolve_in_every_language)
{
    qala_registry *reg;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, NULL), QALA_OK);
    const char *names[] = {"ҚАРАҒАНДЫ", "Караганда", "Karaganda", "Qarağandy"};
    size_t first = (size_t)-1;
    for (size_t i = 0; i < 4; i++) {
        qala_match m;
        cr_assert_eq(qala_registry_match(reg, names[i], strlen(names[i]), 1u << QALA_UNIT_CITY, &m),
                     QALA_OK, "\"%s\": %s", names[i], qala_error_last()->message);
        if (i == 0)
            first = m.units[0];
        cr_expect_eq(m.units[0], first, "\"%s\"", names[i]);
    }
    const char *astana[] = {"Астана", "Нур-Султан", "Nur-Sultan", "Astana", "Нұр-Сұлтан"};
    for (size_t i = 0; i < 5; i++) {
        qala_match m;
        cr_expect_eq(qala_registry_match(reg, astana[i], strlen(astana[i]), 1u << QALA_UNIT_CITY, &m),
                     QALA_OK, "\"%s\": %s", astana[i], qala_error_last()->message);
    }
    qala_registry_free(reg);
}
