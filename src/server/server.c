/* src/server/server.c — the HTTP side of `qala serve` (libmicrohttpd): starting and
 * stopping, the routes of the JSON API, limits, tokens, errors and the access log.
 *
 * A request goes: route (404 / 405 with Allow) → for a write, the bearer token (401,
 * checked before the body is read) and Content-Length (413) → the body, capped at
 * max_body (413 when a chunked body goes past it) → for a GET of the API, the cache →
 * a worker model (one per thread: a read-only store connection with its own registry,
 * framework and thresholds) → the handler, which fills a srv_reply → the response.
 * Every error is JSON: {"error": {"status": N, "message": "..."}}.
 * Stopping: the listening socket is closed first (MHD_quiesce_daemon), the requests in
 * flight are answered (up to a grace time), then the connections and the store are
 * closed. Invariants: a model is used by one thread at a time; the writer connection
 * only under write_mu; the library never prints (the access log is a callback).
 * Workload: tens of thousands of cached GETs a second; a few computing requests.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/server_internal.h"

#define DEFAULT_MAX_BODY ((size_t)16 << 20)
#define DEFAULT_TIMEOUT 30
#define DEFAULT_THREADS 4
#define DEFAULT_CACHE ((size_t)64 << 20)
#define JSON_TYPE "application/json; charset=utf-8"

enum { M_GET = 1, M_POST = 2 };

typedef struct route {
    const char *path;
    int prefix;          /* path is a prefix ("/api/units/" + code) */
    unsigned methods;    /* M_GET (with HEAD), M_POST */
    srv_handler fn;
    const char *params;  /* the query parameters it accepts, space-separated */
} route;

static const route routes[] = {
    {"/api", 0, M_GET, srv_api_root, ""},
    {"/api/", 0, M_GET, srv_api_root, ""},
    {"/api/units", 0, M_GET, srv_api_units, "kind group region at lang"},
    {"/api/units/", 1, M_GET, srv_api_unit, "at lang"},
    {"/api/groups", 0, M_GET, srv_api_groups, "at lang"},
    {"/api/indicators", 0, M_GET, srv_api_indicators, "domain lang"},
    {"/api/observations", 0, M_GET, srv_api_observations, "unit indicator from to as_of limit offset"},
    {"/api/batches", 0, M_GET, srv_api_batches, ""},
    {"/api/annotations", 0, M_GET | M_POST, srv_api_annotations, "unit all"},
    {"/api/import", 0, M_POST, srv_api_import,
     "name layout indicator period delimiter encoding map dry_run"},
    {"/api/monitor", 0, M_GET, srv_api_monitor, "period set group region kind domain unit lang"},
    {"/api/alerts", 0, M_GET, srv_api_alerts, "period all set group region kind domain unit lang"},
    {"/api/index", 0, M_GET, srv_api_index, "spec period from to weights kind group region level lang"},
    {"/api/inequality", 0, M_GET, srv_api_inequality,
     "indicator period weights unweighted units group region by lang"},
    {"/api/trends", 0, M_GET, srv_api_trends, "indicator from to units group region lang"},
    {"/api/sensitivity", 0, M_GET, srv_api_sensitivity,
     "spec period weights n seed fraction kind group region lang"},
    {"/api/report", 0, M_GET, srv_api_report, "lang period at spec unit"},
};

/* ---- small helpers for the handlers ---- */

const char *srv_param(const srv_ctx *c, const char *name)
{
    return MHD_lookup_connection_value(c->req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *srv_header(const srv_ctx *c, const char *name)
{
    return MHD_lookup_connection_value(c->req->conn, MHD_HEADER_KIND, name);
}

int srv_error(srv_reply *r, unsigned status, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_decref(r->json);
    r->status = status;
    r->cacheable = 0;
    r->json = json_pack("{s:{s:i, s:s}}", "error", "status", (int)status, "message", msg);
    return 0;
}

int srv_fail(srv_reply *r, qala_status st, const char *what)
{
    const qala_error *e = qala_error_last();
    const char *msg = e->code == st && e->message[0] ? e->message : qala_status_str(st);
    unsigned status = st == QALA_EINVAL || st == QALA_EPARSE || st == QALA_ENOTFOUND || st == QALA_EAMBIGUOUS
                          ? 400 : 500;
    if (what)
        return srv_error(r, status, "%s: %s", what, msg);
    return srv_error(r, status, "%s", msg);
}

/* ---- models: one per worker ---- */

typedef struct th_load {
    srv_model *m;
    qala_findings *f;
    qala_status st;
    size_t files;
} th_load;

static int load_threshold_file(void *ctx, const char *label, const char *text, size_t len)
{
    th_load *l = ctx;
    l->files++;
    l->st = qala_thresholds_load_csv(l->m->thresholds, text, len, label, l->m->fw, l->m->reg, l->f);
    return l->st != QALA_OK;
}

static void model_free(srv_model *m)
{
    qala_thresholds_free(m->thresholds);
    qala_registry_free(m->reg);
    qala_framework_free(m->fw);
    qala_store_close(m->store);
    memset(m, 0, sizeof *m);
}

static qala_status model_open(srv_model *m, const char *path)
{
    qala_status st = qala_store_open(&m->store, path, QALA_STORE_READ_ONLY);
    if (st != QALA_OK)
        return st;
    if (!qala_store_is_initialised(m->store))
        return qala_err__set(QALA_EDB, "database '%s' has no registry: run 'qala init'", path);
    if ((st = qala_store_load_registry(m->store, &m->reg)) != QALA_OK ||
        (st = qala_store_load_framework(m->store, &m->fw)) != QALA_OK)
        return st;
    qala_findings *f = NULL;
    if ((st = qala_findings_new(&f)) != QALA_OK)
        return st;
    if ((st = qala_thresholds_new(&m->thresholds)) == QALA_OK) {
        th_load l = {m, f, QALA_OK, 0};
        if ((st = qala_store_each_threshold_file(m->store, load_threshold_file, &l)) == QALA_OK)
            st = l.st;
        if (st == QALA_OK && l.files == 0)
            st = qala_thresholds_load_default(m->thresholds, m->fw, m->reg, f);
    }
    qala_findings_free(f);
    return st;
}

static srv_model *model_take(qala_server *s)
{
    pthread_mutex_lock(&s->model_mu);
    srv_model *m = NULL;
    for (;;) {
        for (size_t i = 0; i < s->nmodels && !m; i++)
            if (!s->models[i].busy)
                m = &s->models[i];
        if (m)
            break;
        pthread_cond_wait(&s->model_cv, &s->model_mu);
    }
    m->busy = 1;
    pthread_mutex_unlock(&s->model_mu);
    return m;
}

static void model_give(qala_server *s, srv_model *m)
{
    pthread_mutex_lock(&s->model_mu);
    m->busy = 0;
    pthread_cond_signal(&s->model_cv);
    pthread_mutex_unlock(&s->model_mu);
}

/* ---- answering ---- */

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void free_body(void *p)
{
    qala_mem__free(p);
}

/* Queues the answer. With `owned`, body is a qala_mem__ buffer that the response takes
 * over (no copy: the cached answers); else it is copied. */
static enum MHD_Result send_any(srv_request *req, unsigned status, const char *body, size_t len,
                                const char *type, const char *allow, int owned)
{
    struct MHD_Response *resp =
        owned ? MHD_create_response_from_buffer_with_free_callback(len, (void *)body, free_body)
              : MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!resp) {
        if (owned)
            qala_mem__free((void *)body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    if (allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    if (status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"qala\"");
    enum MHD_Result ret = MHD_queue_response(req->conn, status, resp);
    MHD_destroy_response(resp);
    req->answered = 1;
    req->status = status;
    req->bytes = strcasecmp(req->method, "HEAD") == 0 ? 0 : len;
    return ret;
}

static enum MHD_Result send_bytes(srv_request *req, unsigned status, const char *body, size_t len,
                                  const char *type, const char *allow)
{
    return send_any(req, status, body, len, type, allow, 0);
}

static enum MHD_Result send_reply(srv_request *req, srv_reply *r)
{
    unsigned status = r->status ? r->status : 200;
    enum MHD_Result ret;
    if (r->json) {
        char *text = json_dumps(r->json, JSON_COMPACT | JSON_REAL_PRECISION(15));
        if (!text) {
            static const char oom[] = "{\"error\":{\"status\":500,\"message\":\"out of memory\"}}";
            ret = send_bytes(req, 500, oom, sizeof oom - 1, JSON_TYPE, NULL);
        } else {
            ret = send_bytes(req, status, text, strlen(text), JSON_TYPE, r->allow);
            free(text);
        }
    } else {
        ret = send_bytes(req, status, r->body ? r->body : "", r->len, r->content_type ? r->content_type : JSON_TYPE,
                         r->allow);
    }
    json_decref(r->json);
    qala_mem__free(r->body);
    memset(r, 0, sizeof *r);
    return ret;
}

static enum MHD_Result send_error(srv_request *req, unsigned status, const char *allow, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static enum MHD_Result send_error(srv_request *req, unsigned status, const char *allow, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    srv_reply r = {0};
    srv_error(&r, status, "%s", msg);
    r.allow = allow;
    return send_reply(req, &r);
}

/* ---- routing ---- */

static const route *find_route(const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const route *rt = &routes[i];
        size_t n = strlen(rt->path);
        if (rt->prefix ? strncmp(path, rt->path, n) == 0 && path[n] : strcmp(path, rt->path) == 0)
            return rt;
    }
    return NULL;
}

static const char *allow_of(unsigned methods)
{
    return methods == (M_GET | M_POST) ? "GET, HEAD, POST" : methods == M_POST ? "POST" : "GET, HEAD";
}

typedef struct param_check {
    const char *allowed;
    char bad[96];
} param_check;

static enum MHD_Result check_param(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)value;
    param_check *pc = cls;
    size_t n = strlen(key);
    for (const char *p = pc->allowed; *p;) {
        size_t w = strcspn(p, " ");
        if (w == n && strncmp(p, key, n) == 0)
            return MHD_YES;
        p += w;
        p += *p == ' ';
    }
    snprintf(pc->bad, sizeof pc->bad, "%s", key);
    return MHD_NO;
}

/* The cache key: the path and the parameters as given. */
typedef struct key_buf {
    qala_buf b;
    qala_status st;
} key_buf;

static enum MHD_Result add_key(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    key_buf *k = cls;
    if (k->st == QALA_OK)
        k->st = qala_buf__printf(&k->b, "&%s=%s", key, value ? value : "");
    return MHD_YES;
}

static int is_method(const srv_request *req, const char *m)
{
    return strcmp(req->method, m) == 0;
}

/* The bearer token of the request: 0 ok, else the status to answer (401, 500). */
static unsigned check_token(srv_request *req)
{
    const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return 401;
    const char *tok = h + 7;
    while (*tok == ' ')
        tok++;
    qala_server *s = req->srv;
    pthread_mutex_lock(&s->write_mu);
    qala_status st = qala_token_verify(s->writer, tok, &req->token);
    pthread_mutex_unlock(&s->write_mu);
    if (st == QALA_OK) {
        req->has_token = 1;
        return 0;
    }
    return st == QALA_ENOTFOUND ? 401 : 500;
}

/* The first call of a request: answers what can be answered before a body arrives. */
static enum MHD_Result first_call(srv_request *req, const route *rt)
{
    qala_server *s = req->srv;
    int head_or_get = is_method(req, "GET") || is_method(req, "HEAD");
    if (!rt) {
        if (strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/api") == 0)
            return send_error(req, 404, NULL, "no such endpoint: %s (see /api/)", req->path);
        if (!head_or_get)
            return send_error(req, 405, "GET, HEAD", "%s is not allowed on %s", req->method, req->path);
        return MHD_YES; /* a static file, answered on the last call */
    }
    unsigned m = head_or_get ? M_GET : is_method(req, "POST") ? M_POST : 0;
    if (!(rt->methods & m))
        return send_error(req, 405, allow_of(rt->methods), "%s is not allowed on %s", req->method, req->path);
    if (m == M_POST) {
        unsigned st = check_token(req);
        if (st == 401)
            return send_error(req, 401, NULL, "writes need a valid token: Authorization: Bearer <token> "
                                              "(create one with 'qala token create')");
        if (st)
            return send_error(req, 500, NULL, "checking the token: %s", qala_error_last()->message);
        const char *cl = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || *end || n > s->max_body)
                return send_error(req, 413, NULL, "the body is larger than the limit of %zu bytes", s->max_body);
        }
    }
    return MHD_YES;
}

static enum MHD_Result last_call(srv_request *req, const route *rt)
{
    qala_server *s = req->srv;
    if (req->too_large)
        return send_error(req, 413, NULL, "the body is larger than the limit of %zu bytes", s->max_body);
    srv_reply r = {0};
    if (!rt) {
        srv_static(s, req->path, &r);
        return send_reply(req, &r);
    }
    param_check pc = {rt->params, ""};
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, check_param, &pc);
    if (pc.bad[0])
        return send_error(req, 400, NULL, "unknown parameter '%s' of %s (known: %s)", pc.bad, rt->path,
                          *rt->params ? rt->params : "none");
    int get = !is_method(req, "POST");
    key_buf key = {{0}, QALA_OK};
    srv_fingerprint fp;
    if (get) {
        qala_buf__init(&key.b, 8192);
        key.st = qala_buf__append(&key.b, req->path, strlen(req->path));
        MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_key, &key);
        srv_fingerprint_get(s, &fp);
        size_t len;
        const char *type;
        char *hit = key.st == QALA_OK ? srv_cache_get(s, key.b.data, &len, &type) : NULL;
        if (hit) {
            qala_buf__free(&key.b);
            return send_any(req, 200, hit, len, type, NULL, 1);
        }
    }
    srv_model *m = model_take(s);
    srv_ctx c = {req, m, s};
    r.cacheable = get;
    qala_error_clear();
    rt->fn(&c, &r);
    model_give(s, m);
    if (get && key.st == QALA_OK && r.cacheable && (r.status == 0 || r.status == 200)) {
        char *text = r.json ? json_dumps(r.json, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
        if (text) {
            srv_cache_put(s, &fp, key.b.data, text, strlen(text), JSON_TYPE);
            free(text);
        } else if (!r.json && r.body) { /* an answer written as text (/api/report) */
            srv_cache_put(s, &fp, key.b.data, r.body, r.len, r.content_type ? r.content_type : JSON_TYPE);
        }
    }
    qala_buf__free(&key.b);
    return send_reply(req, &r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    qala_server *s = cls;
    srv_request *req = *con_cls;
    const route *rt = find_route(url);
    if (!req) {
        req = qala_mem__calloc(1, sizeof *req);
        if (!req)
            return MHD_NO;
        req->srv = s;
        req->conn = conn;
        req->method = method;
        req->path = url;
        clock_gettime(CLOCK_MONOTONIC, &req->t0);
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(req->time, sizeof req->time, "%Y-%m-%dT%H:%M:%SZ", &tm);
        *con_cls = req;
        pthread_mutex_lock(&s->flight_mu);
        s->in_flight++;
        pthread_mutex_unlock(&s->flight_mu);
        return first_call(req, rt);
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (req->answered || req->too_large)
            return MHD_YES;
        if (n > s->max_body - req->len) {
            req->too_large = 1;
            qala_mem__free(req->body);
            req->body = NULL;
            req->len = req->cap = 0;
            return MHD_YES;
        }
        if (qala_mem__grow((void **)&req->body, &req->cap, req->len + n + 1, 1) != QALA_OK)
            return MHD_NO;
        memcpy(req->body + req->len, upload_data, n);
        req->len += n;
        req->body[req->len] = '\0';
        return MHD_YES;
    }
    if (req->answered)
        return MHD_YES;
    return last_call(req, rt);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    qala_server *s = cls;
    srv_request *req = *con_cls;
    if (!req)
        return;
    if (s->access_log) {
        char client[INET6_ADDRSTRLEN] = "-";
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, client, sizeof client);
        qala_access_entry e = {req->time, client, req->method, req->path,
                               req->answered ? req->status : 0, req->bytes, ms_since(&req->t0)};
        pthread_mutex_lock(&s->log_mu);
        s->access_log(s->access_ctx, &e);
        pthread_mutex_unlock(&s->log_mu);
    }
    qala_mem__free(req->body);
    qala_mem__free(req);
    *con_cls = NULL;
    pthread_mutex_lock(&s->flight_mu);
    s->in_flight--;
    pthread_cond_broadcast(&s->flight_cv);
    pthread_mutex_unlock(&s->flight_mu);
}

void qala_access_format(char *buf, size_t cap, const qala_access_entry *e)
{
    snprintf(buf, cap, "%s %s \"%s %s\" %u %zu %.3f", e->time, e->client, e->method, e->path, e->status,
             e->bytes, e->ms);
}

/* ---- start and stop ---- */

static qala_status parse_listen(const char *text, struct sockaddr_in *addr)
{
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    const char *colon = strrchr(text, ':');
    if (!colon)
        return qala_err__set(QALA_EINVAL, "listen address '%s': expected HOST:PORT", text);
    char host[64];
    size_t n = (size_t)(colon - text);
    if (n >= sizeof host)
        return qala_err__set(QALA_EINVAL, "listen address '%s': host too long", text);
    memcpy(host, text, n);
    host[n] = '\0';
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || port < 0 || port > 65535)
        return qala_err__set(QALA_EINVAL, "listen address '%s': the port is a number 0 to 65535", text);
    addr->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0 || host[0] == '\0')
        strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &addr->sin_addr) != 1)
        return qala_err__set(QALA_EINVAL, "listen address '%s': '%s' is not an IPv4 address", text, host);
    return QALA_OK;
}

/* Answers are written in one go: without TCP_NODELAY a keep-alive client waits for the
 * delayed ACK (about 40 ms) between requests. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)socket_context;
    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int one = 1;
    if (ci)
        setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void quiet_logger(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    (void)fmt;
    (void)ap;
}

static void server_free(qala_server *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nmodels; i++)
        model_free(&s->models[i]);
    qala_mem__free(s->models);
    qala_store_close(s->writer);
    srv_cache_clear(s);
    qala_mem__free(s->cache);
    if (s->mutex_init) {
        pthread_mutex_destroy(&s->log_mu);
        pthread_mutex_destroy(&s->model_mu);
        pthread_cond_destroy(&s->model_cv);
        pthread_mutex_destroy(&s->write_mu);
        pthread_mutex_destroy(&s->cache_mu);
        pthread_mutex_destroy(&s->flight_mu);
        pthread_cond_destroy(&s->flight_cv);
    }
    qala_mem__free(s->db_path);
    free(s->web_root); /* from realpath() */
    qala_mem__free(s);
}

qala_status qala_server_start(qala_server **out, const qala_server_options *opt)
{
    assert(out && opt);
    *out = NULL;
    if (opt->version != QALA_SERVER_OPTIONS_VERSION)
        return qala_err__set(QALA_EINVAL, "server options of version %u (expected %d)", opt->version,
                             QALA_SERVER_OPTIONS_VERSION);
    if (!opt->db_path || !*opt->db_path)
        return qala_err__set(QALA_EINVAL, "the server needs a database");
    if (opt->threads > 256)
        return qala_err__set(QALA_EINVAL, "at most 256 threads");
    struct sockaddr_in addr;
    qala_status st = parse_listen(opt->listen ? opt->listen : "127.0.0.1:8080", &addr);
    if (st != QALA_OK)
        return st;
    struct stat sb;
    if (stat(opt->db_path, &sb) != 0)
        return qala_err__set(QALA_EDB, "database '%s' does not exist: run 'qala init' or 'qala demo'", opt->db_path);

    qala_server *s = qala_mem__calloc(1, sizeof *s);
    if (!s)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    s->max_body = opt->max_body ? opt->max_body : DEFAULT_MAX_BODY;
    s->timeout = opt->timeout ? opt->timeout : DEFAULT_TIMEOUT;
    s->threads = opt->threads ? opt->threads : DEFAULT_THREADS;
    s->cache_max = opt->cache_bytes ? opt->cache_bytes : DEFAULT_CACHE;
    s->access_log = opt->access_log;
    s->access_ctx = opt->access_ctx;
    pthread_mutex_init(&s->log_mu, NULL);
    pthread_mutex_init(&s->model_mu, NULL);
    pthread_cond_init(&s->model_cv, NULL);
    pthread_mutex_init(&s->write_mu, NULL);
    pthread_mutex_init(&s->cache_mu, NULL);
    pthread_mutex_init(&s->flight_mu, NULL);
    pthread_cond_init(&s->flight_cv, NULL);
    s->mutex_init = 1;
    if (!(s->db_path = qala_mem__strdup(opt->db_path))) {
        st = qala_err__set(QALA_ENOMEM, "out of memory");
        goto fail;
    }
    if (opt->web_root) {
        s->web_root = realpath(opt->web_root, NULL);
        if (!s->web_root || stat(s->web_root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            st = qala_err__set(QALA_EIO, "web root '%s' is not a directory", opt->web_root);
            goto fail;
        }
    }
    /* The writer first: it upgrades an older schema, which read-only connections can't. */
    if ((st = qala_store_open(&s->writer, opt->db_path, QALA_STORE_READ_WRITE)) != QALA_OK)
        goto fail;
    if (!qala_store_is_initialised(s->writer)) {
        st = qala_err__set(QALA_EDB, "database '%s' has no registry: run 'qala init'", opt->db_path);
        goto fail;
    }
    if (!(s->models = qala_mem__calloc(s->threads, sizeof *s->models))) {
        st = qala_err__set(QALA_ENOMEM, "out of memory");
        goto fail;
    }
    for (; s->nmodels < s->threads; s->nmodels++)
        if ((st = model_open(&s->models[s->nmodels], opt->db_path)) != QALA_OK) {
            s->nmodels++;
            goto fail;
        }
    srv_fingerprint_get(s, &s->fp);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_THREAD_POOL_SIZE, s->threads,
                                 MHD_OPTION_CONNECTION_TIMEOUT, s->timeout,
                                 MHD_OPTION_CONNECTION_LIMIT, 1000u,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                 MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
                                 MHD_OPTION_EXTERNAL_LOGGER, quiet_logger, NULL,
                                 MHD_OPTION_END);
    if (!s->daemon) {
        char host[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
        st = qala_err__set(QALA_EIO, "can't listen on %s:%u (in use, or not an address of this host)", host,
                           ntohs(addr.sin_port));
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : ntohs(addr.sin_port);
    *out = s;
    return QALA_OK;
fail:
    server_free(s);
    return st;
}

unsigned qala_server_port(const qala_server *server)
{
    return server->port;
}

void qala_server_stop(qala_server *s, unsigned grace_ms)
{
    if (!s)
        return;
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += grace_ms / 1000;
    deadline.tv_nsec += (long)(grace_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->flight_mu);
    while (s->in_flight > 0)
        if (pthread_cond_timedwait(&s->flight_cv, &s->flight_mu, &deadline) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&s->flight_mu);
    MHD_stop_daemon(s->daemon);
    server_free(s);
}
