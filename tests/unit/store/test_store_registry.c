/* tests/unit/store/test_store_registry.c — saving and loading the registry and the
 * framework: round trips, stable ids, refusing to drop what observations use.
 * The registry and framework here are small and fictional (codes C0, R1, R2, K1, K2;
 * indicators X1, X2), built with the public add functions.
 */
#include <math.h>

#include "qala/framework.h"
#include "qala/registry.h"
#include "qala/text.h"
#include "store_test.h"

static void add_unit(qala_registry *reg, const char *code, qala_unit_kind kind, const char *kato,
                     double lat, double lon, qala_date from, qala_date to)
{
    qala_unit u = {.code = code, .kind = kind, .kato = kato, .lat = lat, .lon = lon,
                   .valid_from = from, .valid_to = to, .source = "test"};
    size_t index;
    cr_assert_eq(qala_registry_add_unit(reg, &u, &index), QALA_OK, "%s: %s", code,
                 qala_error_last()->message);
}

static size_t find(const qala_registry *reg, const char *code)
{
    size_t i;
    cr_assert_eq(qala_registry_find(reg, code, &i), QALA_OK, "%s", code);
    return i;
}

static void add_name(qala_registry *reg, const char *code, qala_lang lang, const char *name,
                     qala_date from, qala_date to, int official)
{
    qala_unit_name n = {.unit = find(reg, code), .lang = lang, .name = name,
                        .valid_from = from, .valid_to = to, .official = official};
    cr_assert_eq(qala_registry_add_name(reg, &n), QALA_OK, "%s: %s", name,
                 qala_error_last()->message);
}

static void add_parent(qala_registry *reg, const char *unit, const char *parent,
                       qala_date from, qala_date to)
{
    qala_unit_parent p = {.unit = find(reg, unit), .parent = find(reg, parent),
                          .valid_from = from, .valid_to = to, .source = "decree"};
    cr_assert_eq(qala_registry_add_parent(reg, &p), QALA_OK, "%s", qala_error_last()->message);
}

/* with_k1 / with_r2: whether those units (and what refers to them) are included. */
static qala_registry *make_registry(int with_k1, int with_r2)
{
    qala_registry *reg;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    add_unit(reg, "C0", QALA_UNIT_COUNTRY, "000000000", 48.0, 68.0, QALA_DATE_MIN, QALA_DATE_MAX);
    add_unit(reg, "R1", QALA_UNIT_REGION, "100000000", NAN, NAN, QALA_DATE_MIN, QALA_DATE_MAX);
    if (with_r2)
        add_unit(reg, "R2", QALA_UNIT_REGION, "", 43.5, 77.25, 20180619, QALA_DATE_MAX);
    if (with_k1)
        add_unit(reg, "K1", QALA_UNIT_CITY, "101010000", 50.125, 72.5, QALA_DATE_MIN, QALA_DATE_MAX);
    add_unit(reg, "K2", QALA_UNIT_CITY, "", NAN, NAN, 19970101, QALA_DATE_MAX);

    add_name(reg, "C0", QALA_LANG_EN, "Testland", QALA_DATE_MIN, QALA_DATE_MAX, 1);
    add_name(reg, "R1", QALA_LANG_KK, "Бірінші облысы", QALA_DATE_MIN, QALA_DATE_MAX, 1);
    add_name(reg, "R1", QALA_LANG_RU, "Первая область", QALA_DATE_MIN, QALA_DATE_MAX, 1);
    if (with_k1) {
        add_name(reg, "K1", QALA_LANG_KK, "Қаракөл", QALA_DATE_MIN, 20190323, 1);
        add_name(reg, "K1", QALA_LANG_KK, "Жаңақала", 20190323, QALA_DATE_MAX, 1);
        add_name(reg, "K1", QALA_LANG_RU, "Каракол", QALA_DATE_MIN, 20190323, 1);
        add_name(reg, "K1", QALA_LANG_RU, "Каракуль", QALA_DATE_MIN, QALA_DATE_MAX, 0); /* alias */
        add_name(reg, "K1", QALA_LANG_EN, "Zhanakala", 20190323, QALA_DATE_MAX, 1);
        add_parent(reg, "K1", "R1", QALA_DATE_MIN, with_r2 ? 20180619 : QALA_DATE_MAX);
        if (with_r2)
            add_parent(reg, "K1", "R2", 20180619, QALA_DATE_MAX);
    }
    add_parent(reg, "R1", "C0", QALA_DATE_MIN, QALA_DATE_MAX);
    if (with_r2)
        add_parent(reg, "R2", "C0", 20180619, QALA_DATE_MAX);
    add_parent(reg, "K2", "R1", 19970101, QALA_DATE_MAX);

    qala_group g = {.code = "MONO", .name = {"Моноқалалар", "Моногорода", "Monotowns"},
                    .source = "gov"};
    qala_group a = {.code = "AGGL", .name = {"Агломерациялар", "Агломерации", "Agglomerations"},
                    .source = "gov"};
    size_t gi, ai;
    cr_assert_eq(qala_registry_add_group(reg, &g, &gi), QALA_OK);
    cr_assert_eq(qala_registry_add_group(reg, &a, &ai), QALA_OK);
    qala_membership m = {.group = gi, .unit = find(reg, "K2"), .valid_from = 20120101,
                         .valid_to = QALA_DATE_MAX, .source = "list 2012"};
    cr_assert_eq(qala_registry_add_membership(reg, &m), QALA_OK);
    if (with_k1) {
        qala_membership m2 = {.group = ai, .unit = find(reg, "K1"), .valid_from = QALA_DATE_MIN,
                              .valid_to = 20200101, .source = NULL};
        cr_assert_eq(qala_registry_add_membership(reg, &m2), QALA_OK);
    }
    return reg;
}

static void assert_str_same(const char *a, const char *b, const char *what)
{
    if (!a || !b) {
        /* NULL and "" are the same "unknown" */
        cr_assert_str_eq(a ? a : "", b ? b : "", "%s", what);
        return;
    }
    cr_assert_str_eq(a, b, "%s", what);
}

static void assert_double_same(double a, double b, const char *what)
{
    if (isnan(a))
        cr_assert(isnan(b), "%s", what);
    else
        cr_assert_eq(a, b, "%s: %g vs %g", what, a, b);
}

static void assert_same_registry(const qala_registry *a, const qala_registry *b)
{
    cr_assert_eq(qala_registry_unit_count(a), qala_registry_unit_count(b));
    for (size_t i = 0; i < qala_registry_unit_count(a); i++) {
        const qala_unit *x = qala_registry_unit(a, i), *y = qala_registry_unit(b, i);
        cr_assert_str_eq(x->code, y->code);
        cr_assert_eq(x->kind, y->kind, "%s", x->code);
        assert_str_same(x->kato, y->kato, x->code);
        assert_double_same(x->lat, y->lat, x->code);
        assert_double_same(x->lon, y->lon, x->code);
        cr_assert_eq(x->valid_from, y->valid_from, "%s", x->code);
        cr_assert_eq(x->valid_to, y->valid_to, "%s", x->code);
        assert_str_same(x->source, y->source, x->code);
    }
    /* All names, the generated Kazakh Latin ones included (regenerated on load). */
    cr_assert_eq(qala_registry_name_count(a), qala_registry_name_count(b));
    for (size_t i = 0; i < qala_registry_name_count(a); i++) {
        const qala_unit_name *x = qala_registry_name(a, i), *y = qala_registry_name(b, i);
        cr_assert_eq(x->unit, y->unit, "name %zu", i);
        cr_assert_eq(x->lang, y->lang, "name %zu", i);
        cr_assert_str_eq(x->name, y->name);
        cr_assert_eq(x->valid_from, y->valid_from, "%s", x->name);
        cr_assert_eq(x->valid_to, y->valid_to, "%s", x->name);
        cr_assert_eq(x->official, y->official, "%s", x->name);
    }
    cr_assert_eq(qala_registry_parent_count(a), qala_registry_parent_count(b));
    for (size_t i = 0; i < qala_registry_parent_count(a); i++) {
        const qala_unit_parent *x = qala_registry_parent(a, i), *y = qala_registry_parent(b, i);
        cr_assert_eq(x->unit, y->unit);
        cr_assert_eq(x->parent, y->parent);
        cr_assert_eq(x->valid_from, y->valid_from);
        cr_assert_eq(x->valid_to, y->valid_to);
        assert_str_same(x->source, y->source, "parent source");
    }
    cr_assert_eq(qala_registry_group_count(a), qala_registry_group_count(b));
    for (size_t i = 0; i < qala_registry_group_count(a); i++) {
        const qala_group *x = qala_registry_group(a, i), *y = qala_registry_group(b, i);
        cr_assert_str_eq(x->code, y->code);
        for (int l = 0; l < 3; l++)
            assert_str_same(x->name[l], y->name[l], x->code);
        assert_str_same(x->source, y->source, x->code);
    }
    cr_assert_eq(qala_registry_membership_count(a), qala_registry_membership_count(b));
    for (size_t i = 0; i < qala_registry_membership_count(a); i++) {
        const qala_membership *x = qala_registry_membership(a, i),
                              *y = qala_registry_membership(b, i);
        cr_assert_eq(x->group, y->group);
        cr_assert_eq(x->unit, y->unit);
        cr_assert_eq(x->valid_from, y->valid_from);
        cr_assert_eq(x->valid_to, y->valid_to);
        assert_str_same(x->source, y->source, "membership source");
    }
}

static qala_store *open_new(char path[static 256])
{
    test_db_path(path, "reg.db");
    qala_store *s;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_CREATE), QALA_OK);
    return s;
}

Test(store_registry, save_then_load_gives_the_same_registry)
{
    char path[256];
    qala_store *s = open_new(path);
    qala_registry *reg = make_registry(1, 1);
    cr_assert_eq(qala_store_save_registry(s, reg), QALA_OK, "%s", qala_error_last()->message);
    qala_registry *back = (qala_registry *)&back;
    cr_assert_eq(qala_store_load_registry(s, &back), QALA_OK, "%s", qala_error_last()->message);
    assert_same_registry(reg, back);
    /* The Kazakh Latin form is generated, not stored. */
    char *latin;
    cr_assert_eq(qala_text_kk_latin(&latin, "Жаңақала"), QALA_OK);
    cr_assert_str_eq(qala_registry_name_at(back, find(back, "K1"), QALA_LANG_KK_LATN, 20240101),
                     latin);
    qala_free(latin);
    qala_store_counts c;
    cr_assert_eq(qala_store_counts_get(s, &c), QALA_OK);
    cr_assert_eq(c.units, 5);
    cr_assert_eq(c.groups, 2);
    qala_registry_free(back);

    /* Saving the same registry again changes nothing that loading shows. */
    cr_assert_eq(qala_store_save_registry(s, reg), QALA_OK);
    cr_assert_eq(qala_store_load_registry(s, &back), QALA_OK);
    assert_same_registry(reg, back);
    qala_registry_free(back);
    qala_registry_free(reg);
    qala_store_close(s);
}

Test(store_registry, names_are_stored_folded_for_lookups)
{
    char path[256];
    qala_store *s = open_new(path);
    qala_registry *reg = make_registry(1, 1);
    cr_assert_eq(qala_store_save_registry(s, reg), QALA_OK);
    /* Only kk/ru/en rows: 1 + 2 + 5 names in make_registry. */
    cr_assert_eq(test_sql_int(s, "SELECT count(*) FROM unit_names"), 8);
    cr_assert_eq(test_sql_int(s, "SELECT count(*) FROM unit_names WHERE lang NOT IN ('kk', 'ru', 'en')"), 0);
    cr_assert_eq(test_sql_int(s, "SELECT count(*) FROM unit_names n JOIN units u ON u.id = n.unit_id"
                                 " WHERE n.folded = qala_fold('ЖАҢАҚАЛА') AND u.code = 'K1'"), 1);
    qala_registry_free(reg);
    qala_store_close(s);
}

static qala_dataset *one_obs(const char *unit, const char *ind)
{
    qala_dataset *ds;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    test_add(ds, unit, ind, 202200, 1.5, QALA_FLAG_NONE);
    return ds;
}

static void seed_framework(qala_store *s)
{
    test_exec(s, "INSERT INTO indicators(code, domain, direction, decimals) VALUES"
                 " ('X1', 'incomes', 1, 1)");
}

Test(store_registry, units_keep_their_ids_and_used_units_cannot_be_removed)
{
    char path[256];
    qala_store *s = open_new(path);
    seed_framework(s);
    qala_registry *full = make_registry(1, 1);
    cr_assert_eq(qala_store_save_registry(s, full), QALA_OK);
    qala_dataset *ds = one_obs("K1", "X1");
    test_import(s, ds, "2024-01-01T00:00:00Z");

    /* K1 has an observation: a registry without it is refused, nothing changes. */
    qala_registry *no_k1 = make_registry(0, 1);
    cr_assert_eq(qala_store_save_registry(s, no_k1), QALA_EDB);
    cr_assert_str_eq(qala_error_last()->message,
                     "unit 'K1' has observations: it can't be removed from the registry");
    qala_registry *back;
    cr_assert_eq(qala_store_load_registry(s, &back), QALA_OK);
    assert_same_registry(full, back);
    qala_registry_free(back);

    /* R2 has none: it goes, and K1 keeps its id, so its observation is still there. */
    qala_registry *no_r2 = make_registry(1, 0);
    cr_assert_eq(qala_store_save_registry(s, no_r2), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_store_load_registry(s, &back), QALA_OK);
    assert_same_registry(no_r2, back);
    qala_registry_free(back);
    qala_dataset *out;
    cr_assert_eq(qala_dataset_new(&out), QALA_OK);
    cr_assert_eq(qala_store_query_observations(s, NULL, out), QALA_OK);
    cr_assert_eq(qala_dataset_size(out), 1);
    cr_assert_str_eq(qala_dataset_unit_code(out, qala_dataset_units(out)[0]), "K1");
    qala_dataset_free(out);
    qala_dataset_free(ds);
    qala_registry_free(no_r2);
    qala_registry_free(no_k1);
    qala_registry_free(full);
    qala_store_close(s);
}

/* ---- framework ---- */

static qala_framework *make_framework(int with_x2)
{
    qala_framework *fw;
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    qala_indicator x1 = {.code = "X1", .domain = QALA_DOMAIN_INCOMES, .direction = 1,
                         .unit = "tenge", .decimals = 0, .min = 0, .max = 1e7,
                         .name = {"Табыс", "Доход", "Income"}, .description = "Mean income",
                         .source = "stat"};
    qala_indicator x2 = {.code = "X2", .domain = QALA_DOMAIN_ENVIRONMENT, .direction = -1,
                         .unit = "µg/m³", .decimals = 2, .min = -INFINITY, .max = INFINITY,
                         .name = {"Ластану", "Загрязнение", "Pollution"}, .description = "",
                         .source = "eco"};
    size_t i;
    cr_assert_eq(qala_framework_add(fw, &x1, &i), QALA_OK, "%s", qala_error_last()->message);
    if (with_x2)
        cr_assert_eq(qala_framework_add(fw, &x2, &i), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_framework_set_domain_name(fw, QALA_DOMAIN_INCOMES, QALA_LANG_EN, "Incomes"),
                 QALA_OK);
    cr_assert_eq(qala_framework_set_domain_name(fw, QALA_DOMAIN_INCOMES, QALA_LANG_RU, "Доходы"),
                 QALA_OK);
    cr_assert_eq(qala_framework_set_domain_name(fw, QALA_DOMAIN_INCOMES, QALA_LANG_KK, "Табыстар"),
                 QALA_OK);
    cr_assert_eq(qala_framework_set_domain_name(fw, QALA_DOMAIN_LABOUR, QALA_LANG_EN, "Labour"),
                 QALA_OK);
    return fw;
}

static void assert_same_framework(const qala_framework *a, const qala_framework *b)
{
    cr_assert_eq(qala_framework_count(a), qala_framework_count(b));
    for (size_t i = 0; i < qala_framework_count(a); i++) {
        const qala_indicator *x = qala_framework_get(a, i), *y = qala_framework_get(b, i);
        cr_assert_str_eq(x->code, y->code);
        cr_assert_eq(x->domain, y->domain);
        cr_assert_eq(x->direction, y->direction);
        assert_str_same(x->unit, y->unit, x->code);
        cr_assert_eq(x->decimals, y->decimals);
        cr_assert_eq(x->min, y->min, "%s: %g vs %g", x->code, x->min, y->min);
        cr_assert_eq(x->max, y->max, "%s: %g vs %g", x->code, x->max, y->max);
        for (int l = 0; l < 3; l++)
            assert_str_same(x->name[l], y->name[l], x->code);
        assert_str_same(x->description, y->description, x->code);
        assert_str_same(x->source, y->source, x->code);
    }
    for (int d = 0; d < QALA_DOMAIN_COUNT; d++)
        for (int l = 0; l < 3; l++)
            cr_assert_str_eq(qala_framework_domain_name(a, (qala_domain)d, (qala_lang)l),
                             qala_framework_domain_name(b, (qala_domain)d, (qala_lang)l),
                             "domain %d lang %d", d, l);
}

Test(store_framework, save_then_load_gives_the_same_framework)
{
    char path[256];
    qala_store *s = open_new(path);
    qala_framework *fw = make_framework(1);
    cr_assert_eq(qala_store_save_framework(s, fw), QALA_OK, "%s", qala_error_last()->message);
    qala_framework *back = (qala_framework *)&back;
    cr_assert_eq(qala_store_load_framework(s, &back), QALA_OK, "%s", qala_error_last()->message);
    assert_same_framework(fw, back);
    cr_assert(isinf(qala_framework_get(back, 1)->min) && qala_framework_get(back, 1)->min < 0);
    qala_framework_free(back);
    cr_assert_eq(qala_store_is_initialised(s), 0, "the registry has not been saved");
    qala_registry *reg = make_registry(1, 1);
    cr_assert_eq(qala_store_save_registry(s, reg), QALA_OK);
    cr_assert_eq(qala_store_is_initialised(s), 1);
    qala_registry_free(reg);
    qala_framework_free(fw);
    qala_store_close(s);
}

Test(store_framework, indicators_in_use_cannot_be_removed)
{
    char path[256];
    qala_store *s = open_new(path);
    qala_framework *fw = make_framework(1);
    cr_assert_eq(qala_store_save_framework(s, fw), QALA_OK);
    qala_registry *reg = make_registry(1, 1);
    cr_assert_eq(qala_store_save_registry(s, reg), QALA_OK);
    qala_dataset *ds = one_obs("K2", "X2");
    test_import(s, ds, "2024-01-01T00:00:00Z");

    qala_framework *less = make_framework(0);
    cr_assert_eq(qala_store_save_framework(s, less), QALA_EDB);
    cr_assert_str_eq(qala_error_last()->message,
                     "indicator 'X2' has observations: it can't be removed from the framework");
    qala_framework *back;
    cr_assert_eq(qala_store_load_framework(s, &back), QALA_OK);
    assert_same_framework(fw, back);
    qala_framework_free(back);

    /* Without the observation's indicator in use, removal works. */
    qala_dataset *ds1 = one_obs("K2", "X1");
    test_import(s, ds1, "2024-01-02T00:00:00Z");
    qala_framework *only_x2;
    cr_assert_eq(qala_framework_new(&only_x2), QALA_OK);
    size_t i;
    cr_assert_eq(qala_framework_add(only_x2, qala_framework_get(fw, 1), &i), QALA_OK);
    cr_assert_eq(qala_store_save_framework(s, only_x2), QALA_EDB, "X1 is in use now");
    qala_framework_free(only_x2);
    qala_dataset_free(ds1);
    qala_dataset_free(ds);
    qala_framework_free(less);
    qala_registry_free(reg);
    qala_framework_free(fw);
    qala_store_close(s);
}
