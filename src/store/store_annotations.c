/* src/store/store_annotations.c — what monitoring keeps in the store: the threshold
 * files (their text, parsed again on load) and the analysts' readings of flags: a
 * verdict (confirmed, dismissed, watch) and a note on a unit × indicator × period, with
 * author and time.
 *
 * A flag is not a verdict (the EU's in-depth reviews read the scoreboard the same way):
 * monitoring computes zones, people decide what they mean. Annotations are only ever
 * inserted; the latest per key is the reading in force and the earlier ones its history.
 * Workload: a few per flag, read back when a monitor view is shown.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "store/store_sql.h"

qala_status qala_store_save_threshold_file(qala_store *store, const char *label, const char *text,
                                           size_t len)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        store,
        "INSERT INTO threshold_files(label, sha256, content, imported_at) VALUES(?1, ?2, ?3, ?4)"
        " ON CONFLICT(label) DO UPDATE SET sha256 = excluded.sha256, content = excluded.content,"
        " imported_at = excluded.imported_at WHERE sha256 <> excluded.sha256",
        &stmt);
    if (st != QALA_OK)
        return st;
    char sha[65], now[24];
    qala_sha256_hex(sha, text, len);
    qala_store__now(store, now);
    qala_store__bind_text(stmt, 1, label);
    qala_store__bind_text(stmt, 2, sha);
    sqlite3_bind_text(stmt, 3, text, (int)len, SQLITE_STATIC);
    qala_store__bind_text(stmt, 4, now);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? QALA_OK : qala_store__db_error(store, rc, "saving a threshold file");
}

qala_status qala_store_each_threshold_file(qala_store *store,
                                           int (*fn)(void *ctx, const char *label, const char *text,
                                                     size_t len),
                                           void *ctx)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, "SELECT label, content FROM threshold_files ORDER BY id", &stmt);
    if (st != QALA_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        if (fn(ctx, qala_store__column_text(stmt, 0), qala_store__column_text(stmt, 1),
               (size_t)sqlite3_column_bytes(stmt, 1)))
            break;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading threshold files");
    sqlite3_finalize(stmt);
    return st;
}

static const char *const verdict_codes[] = {"confirmed", "dismissed", "watch"};

const char *qala_verdict_code(qala_verdict v)
{
    return (unsigned)v < 3 ? verdict_codes[v] : "";
}

qala_status qala_verdict_parse(qala_verdict *out, const char *text)
{
    for (int v = 0; v < 3; v++)
        if (strcasecmp(text, verdict_codes[v]) == 0) {
            *out = (qala_verdict)v;
            return QALA_OK;
        }
    return qala_err__set(QALA_EINVAL, "'%s' is not a verdict: expected confirmed, dismissed or watch", text);
}

/* The id of code in table (units / indicators), or QALA_ENOTFOUND naming what. */
static qala_status id_of(qala_store *store, const char *sql, const char *code, const char *what,
                         int64_t *id)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, sql, &stmt);
    if (st != QALA_OK)
        return st;
    qala_store__bind_text(stmt, 1, code);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(stmt, 0);
    else if (rc == SQLITE_DONE)
        st = qala_err__set(QALA_ENOTFOUND, "%s '%s' is not in the store", what, code);
    else
        st = qala_store__db_error(store, rc, "looking up a code");
    sqlite3_finalize(stmt);
    return st;
}

qala_status qala_store_annotate(qala_store *store, const qala_annotation *a)
{
    if (!a->author || !*a->author)
        return qala_err__set(QALA_EINVAL, "an annotation needs an author");
    if ((unsigned)a->verdict > QALA_VERDICT_WATCH)
        return qala_err__set(QALA_EINVAL, "unknown verdict %d", (int)a->verdict);
    int64_t unit, indicator;
    qala_status st = id_of(store, "SELECT id FROM units WHERE code = ?1", a->unit, "unit", &unit);
    if (st == QALA_OK)
        st = id_of(store, "SELECT id FROM indicators WHERE code = ?1", a->indicator, "indicator", &indicator);
    if (st != QALA_OK)
        return st;
    sqlite3_stmt *stmt;
    if ((st = qala_store__prepare(store,
                                  "INSERT INTO annotations(unit_id, indicator_id, period, verdict, note,"
                                  " author, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                  &stmt)) != QALA_OK)
        return st;
    char now[24];
    qala_store__now(store, now);
    sqlite3_bind_int64(stmt, 1, unit);
    sqlite3_bind_int64(stmt, 2, indicator);
    sqlite3_bind_int(stmt, 3, a->period);
    qala_store__bind_text(stmt, 4, qala_verdict_code(a->verdict));
    qala_store__bind_text(stmt, 5, a->note ? a->note : "");
    qala_store__bind_text(stmt, 6, a->author);
    qala_store__bind_text(stmt, 7, now);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? QALA_OK : qala_store__db_error(store, rc, "saving an annotation");
}

qala_status qala_store_each_annotation(qala_store *store, const char *unit, int latest_only,
                                       int (*fn)(void *ctx, const qala_annotation *a), void *ctx)
{
    static const char all[] =
        "SELECT u.code, i.code, a.period, a.verdict, a.note, a.author, a.created_at"
        " FROM annotations a JOIN units u ON u.id = a.unit_id JOIN indicators i ON i.id = a.indicator_id"
        " WHERE (?1 IS NULL OR u.code = ?1)";
    static const char latest[] =
        " AND a.id = (SELECT max(b.id) FROM annotations b WHERE b.unit_id = a.unit_id"
        " AND b.indicator_id = a.indicator_id AND b.period = a.period)";
    char sql[sizeof all + sizeof latest + 32];
    snprintf(sql, sizeof sql, "%s%s ORDER BY a.id", all, latest_only ? latest : "");
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, sql, &stmt);
    if (st != QALA_OK)
        return st;
    qala_store__bind_text(stmt, 1, unit);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_annotation a = {0};
        a.unit = qala_store__column_text(stmt, 0);
        a.indicator = qala_store__column_text(stmt, 1);
        a.period = sqlite3_column_int(stmt, 2);
        qala_verdict_parse(&a.verdict, qala_store__column_text(stmt, 3));
        a.note = qala_store__column_text(stmt, 4);
        a.author = qala_store__column_text(stmt, 5);
        a.created_at = qala_store__column_text(stmt, 6);
        if (fn(ctx, &a))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading annotations");
    sqlite3_finalize(stmt);
    return st;
}
