/* A small registry for the tests. Karaganda and Astana carry their real names (kk, ru,
 * en) and their real renamings (Astana → Nur-Sultan on 2019-03-23, back to Astana on
 * 2022-09-17, per the decrees of those days); everything else is fictional:
 * Testland, Northland split in 2022 into Northland and Southland, Testville moving from
 * the one to the other, two towns that share the name "Central". */
#ifndef TEST_REGISTRY_FIXTURE_H
#define TEST_REGISTRY_FIXTURE_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "qala/registry.h"

static const char fixture_units[] =
    "code,kind,kato,lat,lon,valid_from,valid_to,source\n"
    "T,country,,,,,,test\n"
    "T-KAR,region,350000000,,,,,test\n"
    "T-KRG,city,351010000,49.8,73.1,,,test\n"
    "T-AST,city,710000000,51.17,71.45,,,test\n"
    "T-NTH,region,,,,,,test\n"
    "T-STH,region,,,,2022-06-08,,test: created by the split\n"
    "T-VIL,city,,,,,,test\n"
    "T-CEN1,city,,,,,,test\n"
    "T-CEN2,city,,,,,,test\n";

static const char fixture_names[] =
    "unit_code,lang,name,valid_from,valid_to,status\n"
    "T,kk,Тестстан,,,official\n"
    "T,ru,Тестстан,,,official\n"
    "T,en,Testland,,,official\n"
    "T-KAR,kk,Қарағанды облысы,,,official\n"
    "T-KAR,ru,Карагандинская область,,,official\n"
    "T-KAR,en,Karaganda Region,,,official\n"
    "T-KRG,kk,Қарағанды,,,official\n"
    "T-KRG,ru,Караганда,,,official\n"
    "T-KRG,en,Karaganda,,,official\n"
    "T-AST,kk,Астана,,2019-03-23,official\n"
    "T-AST,kk,Нұр-Сұлтан,2019-03-23,2022-09-17,official\n"
    "T-AST,kk,Астана,2022-09-17,,official\n"
    "T-AST,ru,Астана,,2019-03-23,official\n"
    "T-AST,ru,Нур-Султан,2019-03-23,2022-09-17,official\n"
    "T-AST,ru,Астана,2022-09-17,,official\n"
    "T-AST,en,Astana,,2019-03-23,official\n"
    "T-AST,en,Nur-Sultan,2019-03-23,2022-09-17,official\n"
    "T-AST,en,Astana,2022-09-17,,official\n"
    "T-AST,ru,Акмола,,1998-05-06,alias\n"
    "T-NTH,kk,Солтүстік өлке,,,official\n"
    "T-NTH,ru,Северный край,,,official\n"
    "T-NTH,en,Northland,,,official\n"
    "T-STH,kk,Оңтүстік өлке,2022-06-08,,official\n"
    "T-STH,ru,Южный край,2022-06-08,,official\n"
    "T-STH,en,Southland,2022-06-08,,official\n"
    "T-VIL,kk,Тестауыл,,,official\n"
    "T-VIL,ru,Тестовка,,,official\n"
    "T-VIL,en,Testville,,,official\n"
    "T-CEN1,kk,Орталық,,,official\n"
    "T-CEN1,ru,Центральный,,,official\n"
    "T-CEN1,en,Central,,,official\n"
    "T-CEN2,kk,Орталық қала,,,official\n"
    "T-CEN2,ru,Центральный город,,,official\n"
    "T-CEN2,en,Central Town,,,official\n"
    "T-CEN2,en,Central,,,alias\n";

static const char fixture_parents[] =
    "unit_code,parent_code,valid_from,valid_to,source\n"
    "T-KAR,T,,,test\n"
    "T-KRG,T-KAR,,,test\n"
    "T-AST,T,,,test\n"
    "T-NTH,T,,,test\n"
    "T-STH,T,2022-06-08,,test\n"
    "T-VIL,T-NTH,,2022-06-08,test\n"
    "T-VIL,T-STH,2022-06-08,,test\n"
    "T-CEN1,T-NTH,,,test\n"
    "T-CEN2,T-KAR,,,test\n";

static const char fixture_groups[] =
    "code,name_kk,name_ru,name_en,source\n"
    "mono,Моноқалалар,Моногорода,Monocities,test\n";

static const char fixture_memberships[] =
    "group_code,unit_code,valid_from,valid_to,source\n"
    "mono,T-VIL,2015-01-01,,test\n";

/* Loads the five tables; returns the first status that is not QALA_OK. */
static inline qala_status fixture_load(qala_registry *reg, qala_findings *f)
{
    struct {
        qala_registry_table table;
        const char *text, *label;
    } t[] = {{QALA_REGISTRY_UNITS, fixture_units, "units.csv"},
             {QALA_REGISTRY_NAMES, fixture_names, "names.csv"},
             {QALA_REGISTRY_PARENTS, fixture_parents, "parents.csv"},
             {QALA_REGISTRY_GROUPS, fixture_groups, "groups.csv"},
             {QALA_REGISTRY_MEMBERSHIPS, fixture_memberships, "memberships.csv"}};
    for (size_t i = 0; i < 5; i++) {
        qala_status st =
            qala_registry_load_csv(reg, t[i].table, t[i].text, strlen(t[i].text), t[i].label, f);
        if (st != QALA_OK)
            return st;
    }
    return QALA_OK;
}

static inline qala_registry *fixture_new(void)
{
    qala_registry *reg = NULL;
    qala_findings *f = NULL;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    qala_status st = fixture_load(reg, f);
    for (size_t i = 0; i < qala_findings_count(f); i++) {
        const qala_finding *x = qala_findings_get(f, i);
        cr_log_error("%s:%ld:%ld: %s", x->file, x->line, x->column, x->message);
    }
    cr_assert_eq(st, QALA_OK, "fixture did not load: %s", qala_error_last()->message);
    cr_assert_eq(qala_findings_count(f), 0);
    qala_findings_free(f);
    return reg;
}

static inline size_t unit_of(const qala_registry *reg, const char *code)
{
    size_t i = (size_t)-1;
    cr_assert_eq(qala_registry_find(reg, code, &i), QALA_OK, "no unit %s", code);
    return i;
}

#endif
