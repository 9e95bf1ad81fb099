/* src/store/store_tokens.c — the bearer tokens that allow `qala serve`'s writes (table
 * tokens, schema version 3).
 *
 * A token is 32 bytes from getrandom() written as 64 lowercase hex digits; the store
 * keeps only their SHA-256 (hex), so the token is shown once, at creation, and reading
 * the database does not give a usable token. Verifying hashes the presented text and
 * looks the hash up (an index lookup: no comparison loop whose timing depends on how
 * much of a secret matches). Revoking sets revoked_at; rows are never deleted, so the
 * list says when a token stopped working.
 * Workload: a token is verified once per write request; created and revoked by hand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "qala/server.h"
#include "store/store_sql.h"

static int is_token_text(const char *t)
{
    size_t n = 0;
    for (; t[n]; n++)
        if (!((t[n] >= '0' && t[n] <= '9') || (t[n] >= 'a' && t[n] <= 'f')))
            return 0;
    return n == QALA_TOKEN_SIZE - 1;
}

static qala_status random_bytes(unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return qala_err__set(QALA_EIO, "no random bytes for a token: %s", strerror(errno));
        }
        got += (size_t)r;
    }
    return QALA_OK;
}

qala_status qala_token_create(qala_store *store, const char *name, char token[static QALA_TOKEN_SIZE],
                              int64_t *id)
{
    token[0] = '\0';
    if (!name)
        name = "token";
    size_t len = strlen(name);
    if (len == 0 || len >= sizeof ((qala_token_info *)0)->name)
        return qala_err__set(QALA_EINVAL, "a token name has 1 to 127 bytes");
    unsigned char raw[32];
    qala_status st = random_bytes(raw, sizeof raw);
    if (st != QALA_OK)
        return st;
    static const char hex[] = "0123456789abcdef";
    char text[QALA_TOKEN_SIZE];
    for (size_t i = 0; i < sizeof raw; i++) {
        text[2 * i] = hex[raw[i] >> 4];
        text[2 * i + 1] = hex[raw[i] & 15];
    }
    text[QALA_TOKEN_SIZE - 1] = '\0';
    char sha[65], now[24];
    qala_sha256_hex(sha, text, QALA_TOKEN_SIZE - 1);
    qala_store__now(store, now);
    if (store->mode == QALA_STORE_READ_ONLY)
        return qala_err__set(QALA_EDB, "database '%s' is opened read-only", store->path);
    sqlite3_stmt *stmt;
    if ((st = qala_store__prepare(store, "INSERT INTO tokens(name, sha256, created_at) VALUES(?1, ?2, ?3)",
                                  &stmt)) != QALA_OK)
        return st;
    qala_store__bind_text(stmt, 1, name);
    qala_store__bind_text(stmt, 2, sha);
    qala_store__bind_text(stmt, 3, now);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return qala_store__db_error(store, rc, "saving a token");
    if (id)
        *id = sqlite3_last_insert_rowid(store->db);
    memcpy(token, text, QALA_TOKEN_SIZE);
    return QALA_OK;
}

static void row_info(sqlite3_stmt *stmt, qala_token_info *info)
{
    memset(info, 0, sizeof *info);
    info->id = sqlite3_column_int64(stmt, 0);
    const char *name = qala_store__column_text(stmt, 1), *sha = qala_store__column_text(stmt, 2),
               *created = qala_store__column_text(stmt, 3), *revoked = qala_store__column_text(stmt, 4);
    snprintf(info->name, sizeof info->name, "%s", name ? name : "");
    snprintf(info->hint, sizeof info->hint, "%.8s", sha ? sha : "");
    snprintf(info->created_at, sizeof info->created_at, "%s", created ? created : "");
    snprintf(info->revoked_at, sizeof info->revoked_at, "%s", revoked ? revoked : "");
}

static const char select_cols[] = "SELECT id, name, sha256, created_at, revoked_at FROM tokens";

qala_status qala_token_verify(qala_store *store, const char *token, qala_token_info *info)
{
    if (!token || !is_token_text(token))
        return qala_err__set(QALA_ENOTFOUND, "not a valid token");
    char sha[65], sql[128];
    qala_sha256_hex(sha, token, QALA_TOKEN_SIZE - 1);
    snprintf(sql, sizeof sql, "%s WHERE sha256 = ?1 AND revoked_at IS NULL", select_cols);
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, sql, &stmt);
    if (st != QALA_OK)
        return st;
    qala_store__bind_text(stmt, 1, sha);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        if (info)
            row_info(stmt, info);
    } else if (rc == SQLITE_DONE) {
        st = qala_err__set(QALA_ENOTFOUND, "not a valid token");
    } else {
        st = qala_store__db_error(store, rc, "checking a token");
    }
    sqlite3_finalize(stmt);
    return st;
}

qala_status qala_token_revoke(qala_store *store, const char *which)
{
    char *end;
    errno = 0;
    long long id = strtoll(which, &end, 10);
    int by_id = *which && !*end && errno == 0 && id > 0;
    sqlite3_stmt *stmt;
    qala_status st = qala_store__begin(store);
    if (st != QALA_OK)
        return st;
    if ((st = qala_store__prepare(store,
                                  by_id ? "SELECT count(*) FROM tokens WHERE id = ?1 AND revoked_at IS NULL"
                                        : "SELECT count(*) FROM tokens WHERE name = ?1 AND revoked_at IS NULL",
                                  &stmt)) != QALA_OK)
        goto fail;
    if (by_id)
        sqlite3_bind_int64(stmt, 1, id);
    else
        qala_store__bind_text(stmt, 1, which);
    int rc = sqlite3_step(stmt);
    long long n = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    if (n < 0) {
        st = qala_store__db_error(store, rc, "finding a token");
        goto fail;
    }
    if (n == 0) {
        st = qala_err__set(QALA_ENOTFOUND, "no valid token %s '%s'", by_id ? "with id" : "named", which);
        goto fail;
    }
    if (n > 1) {
        st = qala_err__set(QALA_EAMBIGUOUS, "%lld valid tokens are named '%s': revoke one by its id", n, which);
        goto fail;
    }
    if ((st = qala_store__prepare(store,
                                  by_id ? "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL"
                                        : "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
                                  &stmt)) != QALA_OK)
        goto fail;
    char now[24];
    qala_store__now(store, now);
    if (by_id)
        sqlite3_bind_int64(stmt, 1, id);
    else
        qala_store__bind_text(stmt, 1, which);
    qala_store__bind_text(stmt, 2, now);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        st = qala_store__db_error(store, rc, "revoking a token");
        goto fail;
    }
    return qala_store__commit(store);
fail:
    qala_store__rollback(store);
    return st;
}

qala_status qala_token_each(qala_store *store, int (*fn)(void *ctx, const qala_token_info *t), void *ctx)
{
    char sql[128];
    snprintf(sql, sizeof sql, "%s ORDER BY id", select_cols);
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, sql, &stmt);
    if (st != QALA_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        qala_token_info info;
        row_info(stmt, &info);
        if (fn(ctx, &info))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "listing tokens");
    sqlite3_finalize(stmt);
    return st;
}
