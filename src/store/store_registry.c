/* src/store/store_registry.c — saving the registry into the store and loading it back.
 *
 * Saving replaces the stored registry in one transaction. Units and groups keep their
 * row ids across saves (they are upserted by code), because observations refer to unit
 * ids; a stored unit that the new registry lacks is deleted only when no observation
 * (current or historical) refers to it, otherwise the save fails with QALA_EDB and
 * nothing changes. Names, parents and memberships are simply rewritten. The generated
 * Kazakh Latin names are not stored: loading rebuilds the registry through its public
 * add functions, which generate them again. Loading follows the stored order (units by
 * id, the rest by insertion), so save → load gives back the same indices for a registry
 * saved into an empty store. Workload: a few hundred units, a few thousand names; run
 * by `qala init` and at the start of most commands.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qala/registry.h"
#include "store/store_sql.h"

/* ---- ids of rows, in ascending order, with the registry index of each ---- */

typedef struct idmap {
    int64_t *ids;
    size_t *index;
    size_t n, cap_ids, cap_index;
} idmap;

static void idmap_free(idmap *m)
{
    qala_mem__free(m->ids);
    qala_mem__free(m->index);
    memset(m, 0, sizeof *m);
}

static qala_status idmap_push(idmap *m, int64_t id, size_t index)
{
    qala_status st;
    if ((st = qala_mem__grow((void **)&m->ids, &m->cap_ids, m->n + 1, sizeof *m->ids)) != QALA_OK ||
        (st = qala_mem__grow((void **)&m->index, &m->cap_index, m->n + 1, sizeof *m->index)) != QALA_OK)
        return st;
    m->ids[m->n] = id;
    m->index[m->n++] = index;
    return QALA_OK;
}

/* The map must be in ascending id order (rows read with ORDER BY id). */
static int idmap_find(const idmap *m, int64_t id, size_t *index)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->n && m->ids[lo] == id) {
        *index = m->index[lo];
        return 1;
    }
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int has_i64(const int64_t *sorted, size_t n, int64_t id)
{
    return bsearch(&id, sorted, n, sizeof *sorted, cmp_i64) != NULL;
}

/* Steps an INSERT ... RETURNING id to its end. */
static qala_status step_returning(qala_store *store, sqlite3_stmt *stmt, int64_t *id,
                                  const char *what)
{
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(stmt, 0);
        rc = sqlite3_step(stmt);
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE)
        return qala_store__db_error(store, rc, what);
    return QALA_OK;
}

static qala_status step_done(qala_store *store, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? QALA_OK : qala_store__db_error(store, rc, what);
}

/* Ids of the rows of `table` (units or groups) that are not in keep (sorted). */
static qala_status ids_missing(qala_store *store, const char *sql, const int64_t *keep,
                               size_t nkeep, int64_t **out, size_t *nout)
{
    sqlite3_stmt *stmt;
    size_t cap = 0;
    *out = NULL;
    *nout = 0;
    qala_status st = qala_store__prepare(store, sql, &stmt);
    int rc = SQLITE_DONE;
    while (st == QALA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(stmt, 0);
        if (!has_i64(keep, nkeep, id) &&
            (st = qala_mem__grow((void **)out, &cap, *nout + 1, sizeof **out)) == QALA_OK)
            (*out)[(*nout)++] = id;
    }
    if (st == QALA_OK && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading stored ids");
    sqlite3_finalize(stmt);
    return st;
}

/* ---- saving ---- */

typedef struct saver {
    qala_store *store;
    const qala_registry *reg;
    int64_t *unit_ids;  /* by registry index */
    int64_t *group_ids; /* by registry index */
    int64_t *sorted;    /* scratch */
    int64_t *gone;
    size_t ngone;
} saver;

static qala_status save_units(saver *s)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        s->store,
        "INSERT INTO units(code, kind, kato, lat, lon, valid_from, valid_to, source)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(code) DO UPDATE SET"
        " code = excluded.code, kind = excluded.kind, kato = excluded.kato,"
        " lat = excluded.lat, lon = excluded.lon, valid_from = excluded.valid_from,"
        " valid_to = excluded.valid_to, source = excluded.source RETURNING id",
        &stmt);
    size_t n = qala_registry_unit_count(s->reg);
    for (size_t i = 0; st == QALA_OK && i < n; i++) {
        const qala_unit *u = qala_registry_unit(s->reg, i);
        qala_store__bind_text(stmt, 1, u->code);
        qala_store__bind_text(stmt, 2, qala_unit_kind_code(u->kind));
        qala_store__bind_text(stmt, 3, u->kato);
        isnan(u->lat) ? sqlite3_bind_null(stmt, 4) : sqlite3_bind_double(stmt, 4, u->lat);
        isnan(u->lon) ? sqlite3_bind_null(stmt, 5) : sqlite3_bind_double(stmt, 5, u->lon);
        sqlite3_bind_int64(stmt, 6, u->valid_from);
        sqlite3_bind_int64(stmt, 7, u->valid_to);
        qala_store__bind_text(stmt, 8, u->source);
        st = step_returning(s->store, stmt, &s->unit_ids[i], u->code);
    }
    sqlite3_finalize(stmt);
    return st;
}

/* Deletes the stored units the registry no longer has; QALA_EDB for one in use. */
static qala_status remove_gone_units(saver *s)
{
    size_t n = qala_registry_unit_count(s->reg);
    memcpy(s->sorted, s->unit_ids, n * sizeof *s->sorted);
    qsort(s->sorted, n, sizeof *s->sorted, cmp_i64);
    qala_status st = ids_missing(s->store, "SELECT id FROM units ORDER BY id", s->sorted, n,
                                 &s->gone, &s->ngone);
    sqlite3_stmt *used = NULL, *del = NULL;
    if (st == QALA_OK)
        st = qala_store__prepare(s->store,
                                 "SELECT code, EXISTS(SELECT 1 FROM observations WHERE unit_id = ?1)"
                                 " OR EXISTS(SELECT 1 FROM observation_history WHERE unit_id = ?1)"
                                 " FROM units WHERE id = ?1", &used);
    if (st == QALA_OK)
        st = qala_store__prepare(s->store, "DELETE FROM units WHERE id = ?1", &del);
    for (size_t i = 0; st == QALA_OK && i < s->ngone; i++) {
        sqlite3_bind_int64(used, 1, s->gone[i]);
        int rc = sqlite3_step(used);
        if (rc != SQLITE_ROW) {
            st = qala_store__db_error(s->store, rc, "checking a removed unit");
        } else if (sqlite3_column_int(used, 1)) {
            st = qala_err__set(QALA_EDB,
                               "unit '%s' has observations: it can't be removed from the registry",
                               qala_store__column_text(used, 0));
        }
        sqlite3_reset(used);
        if (st == QALA_OK) {
            sqlite3_bind_int64(del, 1, s->gone[i]);
            st = step_done(s->store, del, "removing a unit");
        }
    }
    sqlite3_finalize(used);
    sqlite3_finalize(del);
    return st;
}

static qala_status save_names(saver *s)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        s->store,
        "INSERT INTO unit_names(unit_id, lang, name, folded, valid_from, valid_to, official)"
        " VALUES(?1, ?2, ?3, qala_fold(?3), ?4, ?5, ?6)", &stmt);
    size_t n = qala_registry_name_count(s->reg);
    for (size_t i = 0; st == QALA_OK && i < n; i++) {
        const qala_unit_name *nm = qala_registry_name(s->reg, i);
        if (nm->lang == QALA_LANG_KK_LATN)
            continue; /* generated again on load */
        sqlite3_bind_int64(stmt, 1, s->unit_ids[nm->unit]);
        qala_store__bind_text(stmt, 2, qala_lang_code(nm->lang));
        qala_store__bind_text(stmt, 3, nm->name);
        sqlite3_bind_int64(stmt, 4, nm->valid_from);
        sqlite3_bind_int64(stmt, 5, nm->valid_to);
        sqlite3_bind_int(stmt, 6, nm->official ? 1 : 0);
        st = step_done(s->store, stmt, "saving a unit name");
    }
    sqlite3_finalize(stmt);
    return st;
}

static qala_status save_parents(saver *s)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        s->store,
        "INSERT INTO unit_parents(unit_id, parent_id, valid_from, valid_to, source)"
        " VALUES(?1, ?2, ?3, ?4, ?5)", &stmt);
    size_t n = qala_registry_parent_count(s->reg);
    for (size_t i = 0; st == QALA_OK && i < n; i++) {
        const qala_unit_parent *p = qala_registry_parent(s->reg, i);
        sqlite3_bind_int64(stmt, 1, s->unit_ids[p->unit]);
        sqlite3_bind_int64(stmt, 2, s->unit_ids[p->parent]);
        sqlite3_bind_int64(stmt, 3, p->valid_from);
        sqlite3_bind_int64(stmt, 4, p->valid_to);
        qala_store__bind_text(stmt, 5, p->source);
        st = step_done(s->store, stmt, "saving a unit's parent");
    }
    sqlite3_finalize(stmt);
    return st;
}

static qala_status save_groups(saver *s)
{
    sqlite3_stmt *stmt = NULL, *del = NULL;
    qala_status st = qala_store__prepare(
        s->store,
        "INSERT INTO groups(code, name_kk, name_ru, name_en, source) VALUES(?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT(code) DO UPDATE SET code = excluded.code, name_kk = excluded.name_kk,"
        " name_ru = excluded.name_ru, name_en = excluded.name_en, source = excluded.source"
        " RETURNING id", &stmt);
    size_t n = qala_registry_group_count(s->reg);
    for (size_t i = 0; st == QALA_OK && i < n; i++) {
        const qala_group *g = qala_registry_group(s->reg, i);
        qala_store__bind_text(stmt, 1, g->code);
        for (int l = 0; l < 3; l++)
            qala_store__bind_text(stmt, 2 + l, g->name[l]);
        qala_store__bind_text(stmt, 5, g->source);
        st = step_returning(s->store, stmt, &s->group_ids[i], g->code);
    }
    sqlite3_finalize(stmt);
    /* Groups no longer in the registry go, with their memberships (cascade). */
    int64_t *gone = NULL;
    size_t ngone = 0;
    if (st == QALA_OK) {
        memcpy(s->sorted, s->group_ids, n * sizeof *s->sorted);
        qsort(s->sorted, n, sizeof *s->sorted, cmp_i64);
        st = ids_missing(s->store, "SELECT id FROM groups ORDER BY id", s->sorted, n, &gone, &ngone);
    }
    if (st == QALA_OK)
        st = qala_store__prepare(s->store, "DELETE FROM groups WHERE id = ?1", &del);
    for (size_t i = 0; st == QALA_OK && i < ngone; i++) {
        sqlite3_bind_int64(del, 1, gone[i]);
        st = step_done(s->store, del, "removing a group");
    }
    sqlite3_finalize(del);
    qala_mem__free(gone);
    return st;
}

static qala_status save_memberships(saver *s)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        s->store,
        "INSERT INTO group_members(group_id, unit_id, valid_from, valid_to, source)"
        " VALUES(?1, ?2, ?3, ?4, ?5)", &stmt);
    size_t n = qala_registry_membership_count(s->reg);
    for (size_t i = 0; st == QALA_OK && i < n; i++) {
        const qala_membership *m = qala_registry_membership(s->reg, i);
        sqlite3_bind_int64(stmt, 1, s->group_ids[m->group]);
        sqlite3_bind_int64(stmt, 2, s->unit_ids[m->unit]);
        sqlite3_bind_int64(stmt, 3, m->valid_from);
        sqlite3_bind_int64(stmt, 4, m->valid_to);
        qala_store__bind_text(stmt, 5, m->source);
        st = step_done(s->store, stmt, "saving a group membership");
    }
    sqlite3_finalize(stmt);
    return st;
}

qala_status qala_store__mark_saved(qala_store *store, const char *key)
{
    char now[24];
    qala_store__now(store, now);
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store, "INSERT INTO meta(key, value) VALUES(?1, ?2)"
               " ON CONFLICT(key) DO UPDATE SET value = excluded.value", &stmt);
    if (st != QALA_OK)
        return st;
    qala_store__bind_text(stmt, 1, key);
    qala_store__bind_text(stmt, 2, now);
    st = step_done(store, stmt, "recording the save");
    sqlite3_finalize(stmt);
    return st;
}

qala_status qala_store_save_registry(qala_store *store, const qala_registry *reg)
{
    size_t nu = qala_registry_unit_count(reg), ng = qala_registry_group_count(reg);
    size_t nmax = nu > ng ? nu : ng;
    saver s = {.store = store, .reg = reg};
    qala_status st = QALA_ENOMEM;
    s.unit_ids = qala_mem__calloc(nu ? nu : 1, sizeof *s.unit_ids);
    s.group_ids = qala_mem__calloc(ng ? ng : 1, sizeof *s.group_ids);
    s.sorted = qala_mem__calloc(nmax ? nmax : 1, sizeof *s.sorted);
    if (!s.unit_ids || !s.group_ids || !s.sorted) {
        qala_err__set(QALA_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = qala_store__begin(store)) != QALA_OK)
        goto done;
    if ((st = qala_store__exec(store, "DELETE FROM unit_names; DELETE FROM unit_parents;"
                                      " DELETE FROM group_members")) != QALA_OK ||
        (st = save_units(&s)) != QALA_OK || (st = remove_gone_units(&s)) != QALA_OK ||
        (st = save_names(&s)) != QALA_OK || (st = save_parents(&s)) != QALA_OK ||
        (st = save_groups(&s)) != QALA_OK || (st = save_memberships(&s)) != QALA_OK ||
        (st = qala_store__mark_saved(store, "registry_saved_at")) != QALA_OK) {
        qala_store__rollback(store);
        goto done;
    }
    st = qala_store__commit(store);
done:
    qala_mem__free(s.unit_ids);
    qala_mem__free(s.group_ids);
    qala_mem__free(s.sorted);
    qala_mem__free(s.gone);
    return st;
}

/* ---- loading ---- */

static qala_status load_units(qala_store *store, qala_registry *reg, idmap *units)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store, "SELECT id, code, kind, kato, lat, lon, valid_from, valid_to, source"
               " FROM units ORDER BY id", &stmt);
    int rc = SQLITE_DONE;
    while (st == QALA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_unit u = {
            .code = qala_store__column_text(stmt, 1),
            .kato = qala_store__column_text(stmt, 3),
            .lat = sqlite3_column_type(stmt, 4) == SQLITE_NULL ? NAN : sqlite3_column_double(stmt, 4),
            .lon = sqlite3_column_type(stmt, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(stmt, 5),
            .valid_from = (qala_date)sqlite3_column_int64(stmt, 6),
            .valid_to = (qala_date)sqlite3_column_int64(stmt, 7),
            .source = qala_store__column_text(stmt, 8),
        };
        size_t index;
        if ((st = qala_unit_kind_parse(&u.kind, qala_store__column_text(stmt, 2))) == QALA_OK &&
            (st = qala_registry_add_unit(reg, &u, &index)) == QALA_OK)
            st = idmap_push(units, sqlite3_column_int64(stmt, 0), index);
    }
    if (st == QALA_OK && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading units");
    sqlite3_finalize(stmt);
    return st;
}

static qala_status unit_index(const idmap *units, int64_t id, size_t *index)
{
    if (!idmap_find(units, id, index))
        return qala_err__set(QALA_EDB, "the store refers to a missing unit %lld", (long long)id);
    return QALA_OK;
}

static qala_status load_names(qala_store *store, qala_registry *reg, const idmap *units)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store, "SELECT unit_id, lang, name, valid_from, valid_to, official"
               " FROM unit_names ORDER BY rowid", &stmt);
    int rc = SQLITE_DONE;
    while (st == QALA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_unit_name nm = {
            .name = qala_store__column_text(stmt, 2),
            .valid_from = (qala_date)sqlite3_column_int64(stmt, 3),
            .valid_to = (qala_date)sqlite3_column_int64(stmt, 4),
            .official = sqlite3_column_int(stmt, 5),
        };
        if ((st = unit_index(units, sqlite3_column_int64(stmt, 0), &nm.unit)) == QALA_OK &&
            (st = qala_lang_parse(&nm.lang, qala_store__column_text(stmt, 1))) == QALA_OK)
            st = qala_registry_add_name(reg, &nm);
    }
    if (st == QALA_OK && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading unit names");
    sqlite3_finalize(stmt);
    return st;
}

static qala_status load_parents(qala_store *store, qala_registry *reg, const idmap *units)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store, "SELECT unit_id, parent_id, valid_from, valid_to, source"
               " FROM unit_parents ORDER BY rowid", &stmt);
    int rc = SQLITE_DONE;
    while (st == QALA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_unit_parent p = {
            .valid_from = (qala_date)sqlite3_column_int64(stmt, 2),
            .valid_to = (qala_date)sqlite3_column_int64(stmt, 3),
            .source = qala_store__column_text(stmt, 4),
        };
        if ((st = unit_index(units, sqlite3_column_int64(stmt, 0), &p.unit)) == QALA_OK &&
            (st = unit_index(units, sqlite3_column_int64(stmt, 1), &p.parent)) == QALA_OK)
            st = qala_registry_add_parent(reg, &p);
    }
    if (st == QALA_OK && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading unit parents");
    sqlite3_finalize(stmt);
    return st;
}

static qala_status load_groups(qala_store *store, qala_registry *reg, const idmap *units)
{
    idmap groups = {0};
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store, "SELECT id, code, name_kk, name_ru, name_en, source FROM groups ORDER BY id", &stmt);
    int rc = SQLITE_DONE;
    while (st == QALA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_group g = {
            .code = qala_store__column_text(stmt, 1),
            .name = {qala_store__column_text(stmt, 2), qala_store__column_text(stmt, 3),
                     qala_store__column_text(stmt, 4)},
            .source = qala_store__column_text(stmt, 5),
        };
        size_t index;
        if ((st = qala_registry_add_group(reg, &g, &index)) == QALA_OK)
            st = idmap_push(&groups, sqlite3_column_int64(stmt, 0), index);
    }
    if (st == QALA_OK && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading groups");
    sqlite3_finalize(stmt);
    stmt = NULL;
    if (st == QALA_OK)
        st = qala_store__prepare(
            store, "SELECT group_id, unit_id, valid_from, valid_to, source"
                   " FROM group_members ORDER BY rowid", &stmt);
    rc = SQLITE_DONE;
    while (st == QALA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_membership m = {
            .valid_from = (qala_date)sqlite3_column_int64(stmt, 2),
            .valid_to = (qala_date)sqlite3_column_int64(stmt, 3),
            .source = qala_store__column_text(stmt, 4),
        };
        if (!idmap_find(&groups, sqlite3_column_int64(stmt, 0), &m.group))
            st = qala_err__set(QALA_EDB, "the store refers to a missing group");
        else if ((st = unit_index(units, sqlite3_column_int64(stmt, 1), &m.unit)) == QALA_OK)
            st = qala_registry_add_membership(reg, &m);
    }
    if (st == QALA_OK && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading group memberships");
    sqlite3_finalize(stmt);
    idmap_free(&groups);
    return st;
}

qala_status qala_store_load_registry(qala_store *store, qala_registry **out)
{
    *out = NULL;
    qala_registry *reg = NULL;
    idmap units = {0};
    qala_status st = qala_registry_new(&reg);
    if (st != QALA_OK)
        return st;
    /* One read transaction, so that a concurrent save is seen entirely or not at all. */
    int rc = sqlite3_exec(store->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        st = qala_store__db_error(store, rc, "starting a read");
        goto done;
    }
    if ((st = load_units(store, reg, &units)) == QALA_OK &&
        (st = load_names(store, reg, &units)) == QALA_OK &&
        (st = load_parents(store, reg, &units)) == QALA_OK)
        st = load_groups(store, reg, &units);
    qala_store__rollback(store);
done:
    idmap_free(&units);
    if (st != QALA_OK) {
        qala_registry_free(reg);
        return st;
    }
    *out = reg;
    return QALA_OK;
}
