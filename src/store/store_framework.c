/* src/store/store_framework.c — saving the indicator framework and loading it back.
 *
 * Like the registry: one transaction; indicators are upserted by code so that their
 * row ids (which observations refer to) never change; an indicator the new framework
 * lacks is deleted only when no observation refers to it (QALA_EDB otherwise, nothing
 * changed). Unbounded ranges (±INFINITY) are stored as NULL. The domains table always
 * holds every domain code of the schema; saving writes the names the framework has set
 * (a name equal to the framework's fallback is stored as NULL, which loads back to the
 * same fallback). Workload: about a hundred indicators, once per command.
 */
#include <math.h>
#include <string.h>

#include "qala/framework.h"
#include "store/store_sql.h"

static qala_status step_done(qala_store *store, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? QALA_OK : qala_store__db_error(store, rc, what);
}

static void bind_bound(sqlite3_stmt *stmt, int col, double v)
{
    if (isinf(v) || isnan(v))
        sqlite3_bind_null(stmt, col);
    else
        sqlite3_bind_double(stmt, col, v);
}

static qala_status save_indicators(qala_store *store, const qala_framework *fw)
{
    sqlite3_stmt *stmt = NULL, *mark = NULL;
    qala_status st = qala_store__exec(store, "CREATE TEMP TABLE IF NOT EXISTS kept_indicators("
                                             "id INTEGER PRIMARY KEY); DELETE FROM kept_indicators");
    if (st == QALA_OK)
        st = qala_store__prepare(
            store,
            "INSERT INTO indicators(code, domain, direction, unit, decimals, min, max, name_kk,"
            " name_ru, name_en, description, source)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            " ON CONFLICT(code) DO UPDATE SET code = excluded.code, domain = excluded.domain,"
            " direction = excluded.direction, unit = excluded.unit, decimals = excluded.decimals,"
            " min = excluded.min, max = excluded.max, name_kk = excluded.name_kk,"
            " name_ru = excluded.name_ru, name_en = excluded.name_en,"
            " description = excluded.description, source = excluded.source RETURNING id",
            &stmt);
    if (st == QALA_OK)
        st = qala_store__prepare(store, "INSERT OR IGNORE INTO kept_indicators(id) VALUES(?1)", &mark);
    size_t n = qala_framework_count(fw);
    for (size_t i = 0; st == QALA_OK && i < n; i++) {
        const qala_indicator *ind = qala_framework_get(fw, i);
        qala_store__bind_text(stmt, 1, ind->code);
        qala_store__bind_text(stmt, 2, qala_domain_code(ind->domain));
        sqlite3_bind_int(stmt, 3, ind->direction);
        qala_store__bind_text(stmt, 4, ind->unit);
        sqlite3_bind_int(stmt, 5, ind->decimals);
        bind_bound(stmt, 6, ind->min);
        bind_bound(stmt, 7, ind->max);
        for (int l = 0; l < 3; l++)
            qala_store__bind_text(stmt, 8 + l, ind->name[l]);
        qala_store__bind_text(stmt, 11, ind->description);
        qala_store__bind_text(stmt, 12, ind->source);
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            sqlite3_bind_int64(mark, 1, sqlite3_column_int64(stmt, 0));
            rc = sqlite3_step(stmt);
        }
        sqlite3_reset(stmt);
        if (rc != SQLITE_DONE)
            st = qala_store__db_error(store, rc, ind->code);
        else
            st = step_done(store, mark, "saving an indicator");
    }
    sqlite3_finalize(stmt);
    sqlite3_finalize(mark);
    return st;
}

/* Deletes the indicators not kept, refusing (QALA_EDB) when observations use one. */
static qala_status remove_gone_indicators(qala_store *store)
{
    sqlite3_stmt *used;
    qala_status st = qala_store__prepare(
        store,
        "SELECT code FROM indicators i WHERE id NOT IN (SELECT id FROM kept_indicators)"
        " AND (EXISTS(SELECT 1 FROM observations o WHERE o.unit_id IN (SELECT id FROM units)"
        " AND o.indicator_id = i.id)"
        " OR EXISTS(SELECT 1 FROM observation_history h WHERE h.indicator_id = i.id))"
        " ORDER BY code LIMIT 1", &used);
    if (st != QALA_OK)
        return st;
    int rc = sqlite3_step(used);
    if (rc == SQLITE_ROW)
        st = qala_err__set(QALA_EDB,
                           "indicator '%s' has observations: it can't be removed from the framework",
                           qala_store__column_text(used, 0));
    else if (rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "checking removed indicators");
    sqlite3_finalize(used);
    if (st == QALA_OK)
        st = qala_store__exec(store, "DELETE FROM indicators WHERE id NOT IN"
                                     " (SELECT id FROM kept_indicators)");
    return st;
}

static qala_status save_domains(qala_store *store, const qala_framework *fw)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store, "UPDATE domains SET name_kk = ?2, name_ru = ?3, name_en = ?4 WHERE code = ?1", &stmt);
    for (int d = 0; st == QALA_OK && d < QALA_DOMAIN_COUNT; d++) {
        const char *code = qala_domain_code((qala_domain)d);
        const char *en = qala_framework_domain_name(fw, (qala_domain)d, QALA_LANG_EN);
        const char *kk = qala_framework_domain_name(fw, (qala_domain)d, QALA_LANG_KK);
        const char *ru = qala_framework_domain_name(fw, (qala_domain)d, QALA_LANG_RU);
        /* Fallbacks (kk/ru -> en -> code) are not stored: loading yields them again. */
        int en_set = strcmp(en, code) != 0;
        qala_store__bind_text(stmt, 1, code);
        qala_store__bind_text(stmt, 2, strcmp(kk, en) != 0 ? kk : NULL);
        qala_store__bind_text(stmt, 3, strcmp(ru, en) != 0 ? ru : NULL);
        qala_store__bind_text(stmt, 4, en_set ? en : NULL);
        st = step_done(store, stmt, "saving domain names");
        if (st == QALA_OK && sqlite3_changes(store->db) != 1)
            st = qala_err__set(QALA_EDB, "domain '%s' is missing from the database", code);
    }
    sqlite3_finalize(stmt);
    return st;
}

qala_status qala_store_save_framework(qala_store *store, const qala_framework *fw)
{
    qala_status st = qala_store__begin(store);
    if (st != QALA_OK)
        return st;
    if ((st = save_indicators(store, fw)) != QALA_OK ||
        (st = remove_gone_indicators(store)) != QALA_OK ||
        (st = save_domains(store, fw)) != QALA_OK ||
        (st = qala_store__exec(store, "DELETE FROM kept_indicators")) != QALA_OK ||
        (st = qala_store__mark_saved(store, "framework_saved_at")) != QALA_OK) {
        qala_store__rollback(store);
        return st;
    }
    return qala_store__commit(store);
}

static qala_status load_domain_names(qala_store *store, qala_framework *fw)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store, "SELECT code, name_kk, name_ru, name_en FROM domains ORDER BY rowid", &stmt);
    int rc = SQLITE_DONE;
    while (st == QALA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_domain d;
        if (qala_domain_parse(&d, qala_store__column_text(stmt, 0)) != QALA_OK)
            continue; /* a domain of a newer framework: nothing to attach its names to */
        static const qala_lang langs[3] = {QALA_LANG_KK, QALA_LANG_RU, QALA_LANG_EN};
        for (int l = 0; st == QALA_OK && l < 3; l++) {
            const char *name = qala_store__column_text(stmt, 1 + l);
            if (name)
                st = qala_framework_set_domain_name(fw, d, langs[l], name);
        }
    }
    if (st == QALA_OK && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading domains");
    sqlite3_finalize(stmt);
    return st;
}

static qala_status load_indicators(qala_store *store, qala_framework *fw)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store, "SELECT code, domain, direction, unit, decimals, min, max, name_kk, name_ru,"
               " name_en, description, source FROM indicators ORDER BY id", &stmt);
    int rc = SQLITE_DONE;
    while (st == QALA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_indicator ind = {
            .code = qala_store__column_text(stmt, 0),
            .direction = sqlite3_column_int(stmt, 2),
            .unit = qala_store__column_text(stmt, 3),
            .decimals = sqlite3_column_int(stmt, 4),
            .min = sqlite3_column_type(stmt, 5) == SQLITE_NULL ? -INFINITY
                                                               : sqlite3_column_double(stmt, 5),
            .max = sqlite3_column_type(stmt, 6) == SQLITE_NULL ? INFINITY
                                                               : sqlite3_column_double(stmt, 6),
            .name = {qala_store__column_text(stmt, 7), qala_store__column_text(stmt, 8),
                     qala_store__column_text(stmt, 9)},
            .description = qala_store__column_text(stmt, 10),
            .source = qala_store__column_text(stmt, 11),
        };
        size_t index;
        if ((st = qala_domain_parse(&ind.domain, qala_store__column_text(stmt, 1))) == QALA_OK)
            st = qala_framework_add(fw, &ind, &index);
    }
    if (st == QALA_OK && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading indicators");
    sqlite3_finalize(stmt);
    return st;
}

qala_status qala_store_load_framework(qala_store *store, qala_framework **out)
{
    *out = NULL;
    qala_framework *fw = NULL;
    qala_status st = qala_framework_new(&fw);
    if (st != QALA_OK)
        return st;
    int rc = sqlite3_exec(store->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        st = qala_store__db_error(store, rc, "starting a read");
    } else {
        if ((st = load_domain_names(store, fw)) == QALA_OK)
            st = load_indicators(store, fw);
        qala_store__rollback(store);
    }
    if (st != QALA_OK) {
        qala_framework_free(fw);
        return st;
    }
    *out = fw;
    return QALA_OK;
}
