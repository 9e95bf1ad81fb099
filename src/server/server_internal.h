/* src/server/server_internal.h — what the files of src/server/ share: the server object,
 * the per-thread model (a read-only store connection with its registry, framework and
 * thresholds), a request as the handlers see it, and the reply they fill in.
 *
 * Only src/server/ knows HTTP (libmicrohttpd); the handlers of server_api*.c read
 * parameters through srv_param() and answer through srv_reply, so that they read like
 * the CLI commands they mirror: load, call the library, write JSON.
 */
#ifndef QALA_SERVER_INTERNAL_H
#define QALA_SERVER_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "qala/qala.h"
#include "qala/server.h"
#include "util/internal.h"

struct MHD_Connection;
struct MHD_Daemon;

/* What one worker thread works with: nothing in it is shared with another thread. */
typedef struct srv_model {
    qala_store *store;           /* read-only connection */
    qala_registry *reg;
    qala_framework *fw;
    qala_thresholds *thresholds; /* the database's threshold files, or the embedded set */
    int busy;
} srv_model;

/* A cached answer. */
typedef struct srv_cached {
    char *key;
    char *body;
    size_t len;
    const char *content_type;
} srv_cached;

/* What identifies the database's current contents: the file's and its WAL's time and
 * size. Any write (here or from another process) changes it. */
typedef struct srv_fingerprint {
    struct timespec db_mtime, wal_mtime;
    off_t db_size, wal_size;
} srv_fingerprint;

struct qala_server {
    struct MHD_Daemon *daemon;
    char *db_path;
    char *web_root;           /* realpath, or NULL: the embedded page */
    size_t max_body;
    unsigned timeout, threads, port;
    void (*access_log)(void *ctx, const qala_access_entry *entry);
    void *access_ctx;
    pthread_mutex_t log_mu;

    srv_model *models;
    size_t nmodels;
    pthread_mutex_t model_mu;
    pthread_cond_t model_cv;

    qala_store *writer;       /* the one read-write connection (uploads, annotations) */
    pthread_mutex_t write_mu;

    pthread_mutex_t cache_mu;
    srv_cached *cache;
    size_t ncache, cache_cap, cache_bytes, cache_max;
    srv_fingerprint fp;

    pthread_mutex_t flight_mu;
    pthread_cond_t flight_cv;
    size_t in_flight;
    int mutex_init;           /* how many of the mutexes above exist (for cleanup) */
};

/* One request (MHD's per-request context). */
typedef struct srv_request {
    qala_server *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    char *body;               /* the request body (POST), NUL-terminated */
    size_t len, cap;
    int too_large;            /* the body went past max_body: answered 413 */
    int answered;
    struct timespec t0;
    char time[24];
    unsigned status;
    size_t bytes;
    qala_token_info token;    /* the caller's token, when one was checked */
    int has_token;
} srv_request;

/* What a handler answers: JSON (owned, freed by the caller) or bytes. */
typedef struct srv_reply {
    unsigned status;          /* 0: 200 */
    json_t *json;
    char *body;               /* qala_mem__ allocated, or NULL */
    size_t len;
    const char *content_type; /* with body; static */
    const char *allow;        /* the Allow header of a 405 */
    int cacheable;            /* a GET whose answer depends only on the URL and the data */
} srv_reply;

/* The handlers' view of a request: the request, the worker's model. */
typedef struct srv_ctx {
    srv_request *req;
    srv_model *m;
    qala_server *srv;
} srv_ctx;

/* ---- server.c ---- */
/* A query-string parameter (decoded), or NULL. */
const char *srv_param(const srv_ctx *c, const char *name);
/* The value of a request header, or NULL. */
const char *srv_header(const srv_ctx *c, const char *name);
/* Sets a JSON error answer {"error": {"status": s, "message": ...}}; returns 0. */
__attribute__((format(printf, 3, 4)))
int srv_error(srv_reply *r, unsigned status, const char *fmt, ...);
/* The error answer for a failed library call: 400 for QALA_EINVAL/EPARSE/ENOTFOUND/
 * EAMBIGUOUS (the user's parameters), 500 otherwise, with the library's message. */
int srv_fail(srv_reply *r, qala_status st, const char *what);

/* ---- server_json.c: numbers, names, parameters ---- */
json_t *srv_num(double x);            /* null for NAN and infinities */
json_t *srv_period(qala_period p);    /* "2022", "2022-Q3"; null for 0 */
json_t *srv_names3(const char *const name[3]); /* {"kk":..,"ru":..,"en":..} */
/* The language asked (?lang=, default en); 0 or an error answer. */
int srv_lang(const srv_ctx *c, srv_reply *r, qala_lang *lang);
/* A period parameter: 0 when absent; -1 (400 set) when not a period. */
int srv_period_param(const srv_ctx *c, srv_reply *r, const char *name, qala_period *out);
/* A registry unit parameter (code or name): SIZE_MAX when absent; -1 on error. */
int srv_unit_param(const srv_ctx *c, srv_reply *r, const char *name, size_t *out);
/* A non-negative integer parameter in [lo, hi], def when absent; -1 on error. */
int srv_uint_param(const srv_ctx *c, srv_reply *r, const char *name, size_t lo, size_t hi, size_t def,
                   size_t *out);
/* A 0/1 flag parameter ("1", "true", "yes"; "0", "false", "no"); -1 on error. */
int srv_flag_param(const srv_ctx *c, srv_reply *r, const char *name, int *out);
/* Splits "a,b,c" (at most max) into out, pointing into buf (of bufsize bytes). */
size_t srv_split(const char *text, char *buf, size_t bufsize, const char **out, size_t max);
/* Every stored observation (sorted), or those of the codes given. */
qala_status srv_load_observations(srv_model *m, const char *const *codes, size_t n, qala_dataset **out);
/* A unit's name in lang at date at, or its code when not in the registry. */
const char *srv_unit_name(const srv_model *m, const char *code, qala_lang lang, qala_date at);

/* ---- the handlers ---- */
typedef int (*srv_handler)(srv_ctx *c, srv_reply *r);
int srv_api_root(srv_ctx *c, srv_reply *r);
int srv_api_units(srv_ctx *c, srv_reply *r);
int srv_api_unit(srv_ctx *c, srv_reply *r);     /* /api/units/CODE */
int srv_api_groups(srv_ctx *c, srv_reply *r);
int srv_api_indicators(srv_ctx *c, srv_reply *r);
int srv_api_observations(srv_ctx *c, srv_reply *r);
int srv_api_annotations(srv_ctx *c, srv_reply *r);  /* GET and POST */
int srv_api_import(srv_ctx *c, srv_reply *r);       /* POST */
int srv_api_batches(srv_ctx *c, srv_reply *r);
int srv_api_monitor(srv_ctx *c, srv_reply *r);
int srv_api_alerts(srv_ctx *c, srv_reply *r);
int srv_api_index(srv_ctx *c, srv_reply *r);
int srv_api_inequality(srv_ctx *c, srv_reply *r);
int srv_api_trends(srv_ctx *c, srv_reply *r);
int srv_api_sensitivity(srv_ctx *c, srv_reply *r);
int srv_api_report(srv_ctx *c, srv_reply *r);      /* the dashboard's data object */

/* ---- server_cache.c ---- */
void srv_fingerprint_get(const qala_server *s, srv_fingerprint *fp);
/* A copy of the cached answer for key (qala_mem__ allocated) or NULL; clears the cache
 * first when the database changed. */
char *srv_cache_get(qala_server *s, const char *key, size_t *len, const char **content_type);
/* Keeps an answer computed while the database was at fp (dropped if it changed since). */
void srv_cache_put(qala_server *s, const srv_fingerprint *fp, const char *key, const char *body,
                   size_t len, const char *content_type);
void srv_cache_clear(qala_server *s);

/* ---- server_static.c ---- */
/* Answers GET/HEAD of a path outside /api/: a file under the web root (404 outside it
 * or missing), or without a web root the dashboard embedded in the library (web/: /,
 * /index.html, /style.css, /app.js, /echarts.min.js; 404 otherwise). */
int srv_static(qala_server *s, const char *path, srv_reply *r);

#endif
