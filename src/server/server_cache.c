/* src/server/server_cache.c — the answers of GET requests of the API, kept until the
 * database changes.
 *
 * A key is the path with the query parameters as given; the value is the JSON text.
 * Whether the database changed is read from the file system (the time and size of the
 * database file and of its write-ahead log), so that an import by another process
 * (`qala import` while the server runs) is seen as well as an upload here. An answer is
 * kept only if the database did not change while it was computed (the fingerprint
 * taken before computing must still hold). When the cache is over its byte budget it
 * is emptied (the answers are cheap to compute again compared with tracking use).
 * Invariants: every access under cache_mu; entries own their key and body.
 * Workload: one lookup per GET of the API (two stat() calls and a linear scan of at
 * most a few hundred keys); a store per computed answer.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "server/server_internal.h"

#define MAX_ENTRIES 512

void srv_fingerprint_get(const qala_server *s, srv_fingerprint *fp)
{
    memset(fp, 0, sizeof *fp);
    struct stat sb;
    if (stat(s->db_path, &sb) == 0) {
        fp->db_mtime = sb.st_mtim;
        fp->db_size = sb.st_size;
    }
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", s->db_path);
    if (stat(wal, &sb) == 0) {
        fp->wal_mtime = sb.st_mtim;
        fp->wal_size = sb.st_size;
    }
}

static int same(const srv_fingerprint *a, const srv_fingerprint *b)
{
    return a->db_size == b->db_size && a->wal_size == b->wal_size && a->db_mtime.tv_sec == b->db_mtime.tv_sec &&
           a->db_mtime.tv_nsec == b->db_mtime.tv_nsec && a->wal_mtime.tv_sec == b->wal_mtime.tv_sec &&
           a->wal_mtime.tv_nsec == b->wal_mtime.tv_nsec;
}

static void clear_locked(qala_server *s)
{
    for (size_t i = 0; i < s->ncache; i++) {
        qala_mem__free(s->cache[i].key);
        qala_mem__free(s->cache[i].body);
    }
    s->ncache = 0;
    s->cache_bytes = 0;
}

void srv_cache_clear(qala_server *s)
{
    if (!s->mutex_init) {
        clear_locked(s);
        return;
    }
    pthread_mutex_lock(&s->cache_mu);
    clear_locked(s);
    pthread_mutex_unlock(&s->cache_mu);
}

char *srv_cache_get(qala_server *s, const char *key, size_t *len, const char **content_type)
{
    srv_fingerprint now;
    srv_fingerprint_get(s, &now);
    char *copy = NULL;
    pthread_mutex_lock(&s->cache_mu);
    if (!same(&now, &s->fp)) {
        clear_locked(s);
        s->fp = now;
    }
    for (size_t i = 0; i < s->ncache; i++) {
        if (strcmp(s->cache[i].key, key) != 0)
            continue;
        if ((copy = qala_mem__malloc(s->cache[i].len + 1)) != NULL) {
            memcpy(copy, s->cache[i].body, s->cache[i].len + 1);
            *len = s->cache[i].len;
            *content_type = s->cache[i].content_type;
        }
        break;
    }
    pthread_mutex_unlock(&s->cache_mu);
    return copy;
}

void srv_cache_put(qala_server *s, const srv_fingerprint *fp, const char *key, const char *body, size_t len,
                   const char *content_type)
{
    if (len + strlen(key) > s->cache_max / 4)
        return; /* one answer may not take the whole budget */
    srv_fingerprint now;
    srv_fingerprint_get(s, &now);
    if (!same(&now, fp))
        return; /* the data changed while this was computed */
    char *k = qala_mem__strdup(key), *b = qala_mem__malloc(len + 1);
    if (!k || !b) {
        qala_mem__free(k);
        qala_mem__free(b);
        return;
    }
    memcpy(b, body, len);
    b[len] = '\0';
    pthread_mutex_lock(&s->cache_mu);
    if (!same(&now, &s->fp)) {
        clear_locked(s);
        s->fp = now;
    }
    for (size_t i = 0; i < s->ncache; i++)
        if (strcmp(s->cache[i].key, key) == 0) { /* computed twice at once: keep the first */
            pthread_mutex_unlock(&s->cache_mu);
            qala_mem__free(k);
            qala_mem__free(b);
            return;
        }
    if (s->ncache >= MAX_ENTRIES || s->cache_bytes + len + strlen(key) > s->cache_max)
        clear_locked(s);
    if (qala_mem__grow((void **)&s->cache, &s->cache_cap, s->ncache + 1, sizeof *s->cache) != QALA_OK) {
        pthread_mutex_unlock(&s->cache_mu);
        qala_mem__free(k);
        qala_mem__free(b);
        return;
    }
    s->cache[s->ncache++] = (srv_cached){k, b, len, content_type};
    s->cache_bytes += len + strlen(key);
    pthread_mutex_unlock(&s->cache_mu);
}
