/* qala/server.h — `qala serve`: an HTTP server (libmicrohttpd) with a JSON API over a
 * qala database and the web front end, and the bearer tokens that allow its writes.
 *
 * The API (docs/api.md) is read-only except for two writes — an upload of a statistics
 * table (validated like `qala import`; nothing stored when it has errors) and an
 * annotation — which need `Authorization: Bearer <token>`. A token is 64 hexadecimal
 * digits from getrandom(); the database keeps only its SHA-256 (schema version 3), so a
 * token is shown once, when it is created.
 *
 * The server answers from a pool of threads, each with its own read-only connection
 * and its own copy of the registry, framework and threshold sets (nothing is shared
 * between threads but the response cache and one write connection, both behind
 * mutexes). GET answers of the API are cached until the database file changes (an
 * upload here, or `qala import` from another process). The library never prints: the
 * access log is a callback that receives one line per request.
 */
#ifndef QALA_SERVER_H
#define QALA_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"
#include "qala/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- tokens ------------------------------------------------------------------------ */

/* A token's text: 64 lowercase hexadecimal digits and the NUL. */
#define QALA_TOKEN_SIZE 65

typedef struct qala_token_info {
    int64_t id;
    char name[128];
    char created_at[24]; /* "YYYY-MM-DDTHH:MM:SSZ" */
    char revoked_at[24]; /* "" while the token is valid */
    char hint[9];        /* the first 8 hex digits of the token's SHA-256, to tell tokens apart */
} qala_token_info;

/* Creates a token named name (1–127 bytes, NULL: "token") from 32 random bytes
 * (getrandom) and stores its SHA-256; the token is written to token (shown once: it
 * can't be read back). id may be NULL. QALA_EINVAL (name), QALA_EIO (no randomness),
 * QALA_EDB (e.g. a read-only store). */
qala_status qala_token_create(qala_store *store, const char *name, char token[static QALA_TOKEN_SIZE],
                              int64_t *id);
/* Whether token is a valid (known, not revoked) token: QALA_OK with info filled (info
 * may be NULL), QALA_ENOTFOUND otherwise (also for text that is not a token). */
qala_status qala_token_verify(qala_store *store, const char *token, qala_token_info *info);
/* Revokes the token whose id (decimal) or name is `which`. QALA_ENOTFOUND (no valid
 * token of that id or name), QALA_EAMBIGUOUS (the name of more than one valid token:
 * revoke by id). */
qala_status qala_token_revoke(qala_store *store, const char *which);
/* Calls fn for each token (revoked ones too), oldest first; fn returns nonzero to stop. */
qala_status qala_token_each(qala_store *store, int (*fn)(void *ctx, const qala_token_info *t),
                            void *ctx);

/* ---- the server --------------------------------------------------------------------- */

typedef struct qala_server qala_server;

/* One request, for the access log. */
typedef struct qala_access_entry {
    const char *time;    /* "YYYY-MM-DDTHH:MM:SSZ" when the request arrived */
    const char *client;  /* the peer's address */
    const char *method;
    const char *path;    /* without the query string */
    unsigned status;
    size_t bytes;        /* body bytes sent */
    double ms;           /* from the request's arrival to the response queued */
} qala_access_entry;

typedef struct qala_server_options {
    unsigned version;      /* QALA_SERVER_OPTIONS_VERSION */
    const char *listen;    /* "HOST:PORT" (IPv4 address or "localhost"); port 0: any free
                              port (qala_server_port says which). Default "127.0.0.1:8080" */
    const char *db_path;   /* required: an initialised database (upgraded when older) */
    const char *web_root;  /* directory served at /, or NULL: the embedded page */
    size_t max_body;       /* bytes of a request body; larger: 413 (default 16 MiB) */
    unsigned timeout;      /* seconds a connection may stay idle or a request take to
                              arrive (default 30) */
    unsigned threads;      /* worker threads (default 4) */
    size_t cache_bytes;    /* response cache (default 64 MiB; 0 keeps the default) */
    void (*access_log)(void *ctx, const qala_access_entry *entry); /* may be NULL; called
                              from the worker threads, one call at a time */
    void *access_ctx;
} qala_server_options;

#define QALA_SERVER_OPTIONS_VERSION 1
#define QALA_SERVER_OPTIONS_INIT {QALA_SERVER_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL}

/* Opens the database (upgrading its schema when older), loads what the threads need and
 * starts listening. QALA_EINVAL (options, listen address), QALA_EIO (can't listen, the
 * web root is not a directory), QALA_EDB (no database, not initialised), QALA_ENOMEM.
 * *out is NULL on error. */
qala_status qala_server_start(qala_server **out, const qala_server_options *opt);
/* The port listened on. */
unsigned qala_server_port(const qala_server *server);
/* Stops accepting connections, waits up to `grace_ms` for the requests in flight to be
 * answered, then closes every connection and the database and frees the server. Safe
 * with NULL. */
void qala_server_stop(qala_server *server, unsigned grace_ms);
/* Formats an access-log line: time client "METHOD path" status bytes ms (no newline). */
void qala_access_format(char *buf, size_t cap, const qala_access_entry *entry);

#ifdef __cplusplus
}
#endif
#endif
