/* src/registry_load.c — reading the registry's five CSV tables.
 *
 * Each table (docs/data-format.md) has a header row; columns are found by name in any
 * order, unknown ones are ignored with a warning, missing required ones are an error.
 * Every row is parsed and validated into a staging area first, with a finding
 * (label:line:column) for each problem; only when the whole table is clean are the rows
 * added, and an allocation failure half-way is undone (qala_registry__rollback), so
 * that the registry either gets the whole table or nothing. Tables are read in the
 * order units, names, parents, groups, memberships, since later ones refer to codes of
 * earlier ones. Workload: ~100 rows per table for Kazakhstan, 10^5–10^6 at scale; one
 * pass, hash look-ups only.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "qala/defaults.h"
#include "qala/text.h"
#include "registry_internal.h"
#include "registry_table.h"
#include "util/internal.h"

/* Column positions in each spec, used as column numbers k below. */
enum { U_CODE, U_KIND, U_KATO, U_LAT, U_LON, U_FROM, U_TO, U_SOURCE };
enum { N_UNIT, N_LANG, N_NAME, N_FROM, N_TO, N_STATUS };
enum { P_UNIT, P_PARENT, P_FROM, P_TO, P_SOURCE };
enum { G_CODE, G_KK, G_RU, G_EN, G_SOURCE };
enum { M_GROUP, M_UNIT, M_FROM, M_TO, M_SOURCE };

static const qala_table_column unit_cols[] = {
    {"code", 1}, {"kind", 1}, {"kato", 0}, {"lat", 0}, {"lon", 0},
    {"valid_from", 0}, {"valid_to", 0}, {"source", 0}, {NULL, 0}};
static const qala_table_column name_cols[] = {
    {"unit_code", 1}, {"lang", 1}, {"name", 1}, {"valid_from", 0}, {"valid_to", 0},
    {"status", 1}, {NULL, 0}};
static const qala_table_column parent_cols[] = {
    {"unit_code", 1}, {"parent_code", 1}, {"valid_from", 0}, {"valid_to", 0}, {"source", 0},
    {NULL, 0}};
static const qala_table_column group_cols[] = {
    {"code", 1}, {"name_kk", 0}, {"name_ru", 0}, {"name_en", 1}, {"source", 0}, {NULL, 0}};
static const qala_table_column member_cols[] = {
    {"group_code", 1}, {"unit_code", 1}, {"valid_from", 0}, {"valid_to", 0}, {"source", 0},
    {NULL, 0}};

static const struct {
    const char *what;
    const qala_table_column *cols;
} specs[] = {
    [QALA_REGISTRY_UNITS] = {"units", unit_cols},
    [QALA_REGISTRY_NAMES] = {"names", name_cols},
    [QALA_REGISTRY_PARENTS] = {"parents", parent_cols},
    [QALA_REGISTRY_GROUPS] = {"groups", group_cols},
    [QALA_REGISTRY_MEMBERSHIPS] = {"memberships", member_cols},
};

/* One validated row of any table; strings are offsets into loader.strs. */
typedef struct staged {
    size_t str[5];
    size_t a, b; /* unit / parent / group indices */
    int kind, lang, official;
    double lat, lon;
    qala_date from, to;
} staged;

typedef struct loader {
    qala_registry *reg;
    qala_registry_table table;
    qala_table t;
    qala_reporter r;
    qala_buf strs;
    staged *rows;
    size_t nrows, arows;
    qala_strindex codes; /* codes staged in this file (units, groups) */
    qala_status failed;  /* allocation failure while staging */
} loader;

#define ERR QALA_SEVERITY_ERROR

static const char *staged_code(const void *ctx, size_t i)
{
    const loader *ld = ctx;
    return ld->strs.data + ld->rows[i].str[0];
}

/* Copies field k into the staging strings; returns its offset. */
static size_t stash(loader *ld, int k)
{
    return qala_table__stash(&ld->t, k, &ld->strs, &ld->failed);
}

static const char *text(loader *ld, int k, char *buf, size_t size, long *col)
{
    return qala_table__text(&ld->t, k, buf, size, col);
}

static int coordinate(loader *ld, int k, double limit, double *out)
{
    if (!qala_table__number(&ld->t, k, NAN, out))
        return 0;
    if (*out < -limit || *out > limit) {
        size_t len;
        long col;
        qala_table__field(&ld->t, k, &len, &col);
        qala_reporter__add(&ld->r, ERR, ld->t.line, col, "out-of-range",
                           "%s %g is outside [-%g, %g]", ld->t.cols[k].name, *out, limit, limit);
        return 0;
    }
    return 1;
}

/* Looks up a unit code of column k; a finding when unknown. */
static int unit_ref(loader *ld, int k, size_t *unit)
{
    char buf[128];
    long col;
    const char *code = text(ld, k, buf, sizeof buf, &col);
    if (!qala_table__required(&ld->t, k, code, col))
        return 0;
    size_t cursor = 0;
    if (qala_strindex__next(&ld->reg->unit_codes, code, &cursor, unit))
        return 1;
    qala_reporter__add(&ld->r, ERR, ld->t.line, col, "unknown-unit", "unknown unit code \"%s\"",
                       code);
    return 0;
}

/* A new code (units, groups; column 0): not empty, not in the registry, not earlier in
 * the file. */
static int new_code(loader *ld, const qala_strindex *existing, const char *code, long col)
{
    if (!qala_table__required(&ld->t, 0, code, col))
        return 0;
    size_t cursor = 0, i;
    if (qala_strindex__next(existing, code, &cursor, &i)) {
        qala_reporter__add(&ld->r, ERR, ld->t.line, col, "duplicate-code",
                           "code \"%s\" is already in the registry", code);
        return 0;
    }
    cursor = 0;
    if (qala_strindex__next(&ld->codes, code, &cursor, &i)) {
        qala_reporter__add(&ld->r, ERR, ld->t.line, col, "duplicate-code",
                           "duplicate code \"%s\" (first on an earlier row)", code);
        return 0;
    }
    return 1;
}

static int stage_unit(loader *ld, staged *row)
{
    char buf[128];
    long col;
    const char *code = text(ld, U_CODE, buf, sizeof buf, &col);
    int ok = new_code(ld, &ld->reg->unit_codes, code, col);
    const char *kind = text(ld, U_KIND, buf, sizeof buf, &col);
    qala_unit_kind kv;
    if (qala_table__required(&ld->t, U_KIND, kind, col)) {
        if (qala_unit_kind_parse(&kv, kind) == QALA_OK) {
            row->kind = (int)kv;
        } else {
            qala_reporter__add(&ld->r, ERR, ld->t.line, col, "bad-kind",
                               "unknown kind \"%s\": expected country, region or city", kind);
            ok = 0;
        }
    } else {
        ok = 0;
    }
    ok &= coordinate(ld, U_LAT, 90, &row->lat);
    ok &= coordinate(ld, U_LON, 180, &row->lon);
    ok &= qala_table__period(&ld->t, U_FROM, U_TO, &row->from, &row->to);
    row->str[0] = stash(ld, U_CODE);
    row->str[1] = stash(ld, U_KATO);
    row->str[2] = stash(ld, U_SOURCE);
    return ok;
}

static int stage_name(loader *ld, staged *row)
{
    char buf[128];
    long col;
    int ok = unit_ref(ld, N_UNIT, &row->a);
    const char *lang = text(ld, N_LANG, buf, sizeof buf, &col);
    qala_lang lv;
    if (!qala_table__required(&ld->t, N_LANG, lang, col)) {
        ok = 0;
    } else if (qala_lang_parse(&lv, lang) != QALA_OK || lv == QALA_LANG_KK_LATN) {
        qala_reporter__add(&ld->r, ERR, ld->t.line, col, "bad-language",
                           "unknown language \"%s\": expected kk, ru or en (kk-latn forms are "
                           "generated)", lang);
        ok = 0;
    } else {
        row->lang = (int)lv;
    }
    size_t len;
    const char *name = qala_table__field(&ld->t, N_NAME, &len, &col);
    if (len == 0) {
        qala_table__required(&ld->t, N_NAME, "", col);
        ok = 0;
    } else {
        char *folded = NULL;
        qala_status st = qala_text_fold(&folded, name, len);
        if (st == QALA_ENOMEM) {
            ld->failed = st;
        } else if (st != QALA_OK || !folded[0]) {
            qala_reporter__add(&ld->r, ERR, ld->t.line, col, "bad-name",
                               "name \"%.*s\" has no letters or digits", (int)(len > 60 ? 60 : len),
                               name);
            ok = 0;
        }
        qala_mem__free(folded);
    }
    const char *status = text(ld, N_STATUS, buf, sizeof buf, &col);
    if (strcmp(status, "official") == 0) {
        row->official = 1;
    } else if (strcmp(status, "alias") == 0) {
        row->official = 0;
    } else {
        qala_reporter__add(&ld->r, ERR, ld->t.line, col, "bad-status",
                           "status \"%s\" is not official or alias", status);
        ok = 0;
    }
    ok &= qala_table__period(&ld->t, N_FROM, N_TO, &row->from, &row->to);
    row->str[0] = stash(ld, N_NAME);
    return ok;
}

static int stage_parent(loader *ld, staged *row)
{
    int ok = unit_ref(ld, P_UNIT, &row->a);
    ok &= unit_ref(ld, P_PARENT, &row->b);
    if (ok && row->a == row->b) {
        size_t len;
        long col;
        qala_table__field(&ld->t, P_PARENT, &len, &col);
        qala_reporter__add(&ld->r, ERR, ld->t.line, col, "self-parent",
                           "unit %s cannot be its own parent", ld->reg->units[row->a].pub.code);
        ok = 0;
    }
    ok &= qala_table__period(&ld->t, P_FROM, P_TO, &row->from, &row->to);
    row->str[0] = stash(ld, P_SOURCE);
    return ok;
}

static int stage_group(loader *ld, staged *row)
{
    char buf[128];
    long col;
    const char *code = text(ld, G_CODE, buf, sizeof buf, &col);
    int ok = new_code(ld, &ld->reg->group_codes, code, col);
    size_t len;
    qala_table__field(&ld->t, G_EN, &len, &col);
    if (len == 0) {
        qala_table__required(&ld->t, G_EN, "", col);
        ok = 0;
    }
    row->str[0] = stash(ld, G_CODE);
    row->str[1] = stash(ld, G_KK);
    row->str[2] = stash(ld, G_RU);
    row->str[3] = stash(ld, G_EN);
    row->str[4] = stash(ld, G_SOURCE);
    return ok;
}

static int stage_membership(loader *ld, staged *row)
{
    char buf[128];
    long col;
    const char *group = text(ld, M_GROUP, buf, sizeof buf, &col);
    int ok = qala_table__required(&ld->t, M_GROUP, group, col);
    size_t cursor = 0;
    if (ok && !qala_strindex__next(&ld->reg->group_codes, group, &cursor, &row->b)) {
        qala_reporter__add(&ld->r, ERR, ld->t.line, col, "unknown-group",
                           "unknown group code \"%s\"", group);
        ok = 0;
    }
    ok &= unit_ref(ld, M_UNIT, &row->a);
    ok &= qala_table__period(&ld->t, M_FROM, M_TO, &row->from, &row->to);
    row->str[0] = stash(ld, M_SOURCE);
    return ok;
}

static void stage_row(void *ctx)
{
    loader *ld = ctx;
    if (qala_mem__grow((void **)&ld->rows, &ld->arows, ld->nrows + 1, sizeof *ld->rows) != QALA_OK) {
        ld->failed = QALA_ENOMEM;
        return;
    }
    staged *row = &ld->rows[ld->nrows];
    memset(row, 0, sizeof *row);
    int ok = 0;
    switch (ld->table) {
    case QALA_REGISTRY_UNITS: ok = stage_unit(ld, row); break;
    case QALA_REGISTRY_NAMES: ok = stage_name(ld, row); break;
    case QALA_REGISTRY_PARENTS: ok = stage_parent(ld, row); break;
    case QALA_REGISTRY_GROUPS: ok = stage_group(ld, row); break;
    case QALA_REGISTRY_MEMBERSHIPS: ok = stage_membership(ld, row); break;
    }
    if (!ok || ld->failed != QALA_OK)
        return;
    ld->nrows++;
    if (ld->table == QALA_REGISTRY_UNITS || ld->table == QALA_REGISTRY_GROUPS) {
        if (qala_strindex__reserve(&ld->codes, 1) != QALA_OK) {
            ld->failed = QALA_ENOMEM;
            return;
        }
        qala_strindex__insert(&ld->codes, ld->strs.data + row->str[0], ld->nrows - 1);
    }
}

/* Adds every staged row; the registry is rolled back by the caller on failure. */
static qala_status commit(loader *ld)
{
    qala_registry *reg = ld->reg;
    qala_status st = QALA_OK;
    for (size_t i = 0; i < ld->nrows && st == QALA_OK; i++) {
        const staged *row = &ld->rows[i];
        const char *s0 = ld->strs.data + row->str[0];
        switch (ld->table) {
        case QALA_REGISTRY_UNITS: {
            qala_unit u = {s0, (qala_unit_kind)row->kind, ld->strs.data + row->str[1], row->lat,
                           row->lon, row->from, row->to, ld->strs.data + row->str[2]};
            st = qala_registry_add_unit(reg, &u, NULL);
            break;
        }
        case QALA_REGISTRY_NAMES: {
            qala_unit_name n = {row->a, (qala_lang)row->lang, s0, row->from, row->to, row->official};
            st = qala_registry_add_name(reg, &n);
            break;
        }
        case QALA_REGISTRY_PARENTS: {
            qala_unit_parent p = {row->a, row->b, row->from, row->to, s0};
            st = qala_registry_add_parent(reg, &p);
            break;
        }
        case QALA_REGISTRY_GROUPS: {
            qala_group g = {s0,
                            {ld->strs.data + row->str[1], ld->strs.data + row->str[2],
                             ld->strs.data + row->str[3]},
                            ld->strs.data + row->str[4]};
            st = qala_registry_add_group(reg, &g, NULL);
            break;
        }
        case QALA_REGISTRY_MEMBERSHIPS: {
            qala_membership m = {row->b, row->a, row->from, row->to, s0};
            st = qala_registry_add_membership(reg, &m);
            break;
        }
        }
    }
    return st;
}

qala_status qala_registry_load_csv(qala_registry *reg, qala_registry_table table,
                                   const char *text_in, size_t len, const char *label,
                                   qala_findings *findings)
{
    assert(reg && text_in);
    if ((unsigned)table > QALA_REGISTRY_MEMBERSHIPS)
        return qala_err__set(QALA_EINVAL, "unknown registry table %d", (int)table);
    label = label ? label : "";
    loader ld = {.reg = reg, .table = table};
    ld.r = (qala_reporter){findings, label, 0, 0, QALA_OK};
    qala_buf__init(&ld.strs, 0);
    qala_strindex__init(&ld.codes, 1, staged_code, &ld);

    qala_status st = qala_table__open(&ld.t, specs[table].what, specs[table].cols, text_in, len,
                                      &ld.r);
    if (st != QALA_OK)
        goto done;
    if ((st = qala_table__stage_all(&ld.t, &ld.r, &ld.failed, stage_row, NULL, &ld, label,
                                    specs[table].what)) != QALA_OK)
        goto done;
    qala_reg_mark mark = qala_registry__mark(reg);
    st = commit(&ld);
    if (st != QALA_OK)
        qala_registry__rollback(reg, mark);
done:
    qala_table__close(&ld.t);
    qala_strindex__free(&ld.codes);
    qala_buf__free(&ld.strs);
    qala_mem__free(ld.rows);
    return st;
}

qala_status qala_registry_load_default(qala_registry *reg, qala_findings *findings)
{
    static const char *const files[] = {"registry/units.csv", "registry/names.csv",
                                        "registry/parents.csv", "registry/groups.csv",
                                        "registry/memberships.csv"};
    static const qala_registry_table tables[] = {QALA_REGISTRY_UNITS, QALA_REGISTRY_NAMES,
                                                 QALA_REGISTRY_PARENTS, QALA_REGISTRY_GROUPS,
                                                 QALA_REGISTRY_MEMBERSHIPS};
    qala_reg_mark mark = qala_registry__mark(reg);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        const char *data = qala_default_data(files[i], &len);
        if (!data) {
            qala_registry__rollback(reg, mark);
            return qala_err__set(QALA_ENOTFOUND, "no embedded file %s in this build", files[i]);
        }
        qala_status st = qala_registry_load_csv(reg, tables[i], data, len, files[i], findings);
        if (st != QALA_OK) {
            qala_registry__rollback(reg, mark);
            return st;
        }
    }
    return QALA_OK;
}
