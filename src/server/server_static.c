/* src/server/server_static.c — the front end at /: the dashboard embedded in the
 * library (web/index.html, style.css, app.js and ECharts, the same bytes `qala report`
 * inlines), or files under the web root (--web DIR) instead.
 *
 * The path (already URL-decoded by libmicrohttpd, so that %2e%2e is ".." here) is joined
 * to the web root and resolved with realpath(); the answer is a file only when the
 * resolved path lies inside the resolved root. So "..", encoded dots, symbolic links
 * that lead out and NUL bytes all end in 404, never in a file outside the root. A
 * directory answers with its index.html. Files are read whole (a front end's files are
 * small; over 32 MiB is refused). The embedded files are copied from the library's
 * read-only data (about 1 MB, ECharts, once per page load).
 * Workload: a handful of files per page load.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_internal.h"
#include "server/server_internal.h"

#define MAX_FILE ((size_t)32 << 20)

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"}, {".geojson", "application/geo+json"},
    {".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
    {".csv", "text/csv; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"},
    {".md", "text/markdown; charset=utf-8"}, {".woff2", "font/woff2"},
};

static const char *type_of(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t e = strlen(types[i].ext);
        if (n > e && strcmp(path + n - e, types[i].ext) == 0)
            return types[i].type;
    }
    return "application/octet-stream";
}

/* The dashboard embedded in the library: the front end of web/ as `qala report` inlines
 * it (report_html.c keeps the bytes). Served as separate files, index.html has no data
 * in it, so app.js fetches api/report (relative: the page may sit under a prefix). */
static const struct {
    const char *path, *asset, *type;
} embedded[] = {
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/index.html", "index.html", "text/html; charset=utf-8"},
    {"/style.css", "style.css", "text/css; charset=utf-8"},
    {"/app.js", "app.js", "text/javascript; charset=utf-8"},
    {"/echarts.min.js", "echarts.min.js", "text/javascript; charset=utf-8"},
};

static int not_found(srv_reply *r, const char *path)
{
    return srv_error(r, 404, "not found: %s", path);
}

int srv_static(qala_server *s, const char *path, srv_reply *r)
{
    if (!s->web_root) {
        for (size_t i = 0; i < sizeof embedded / sizeof embedded[0]; i++) {
            size_t n;
            const char *bytes;
            if (strcmp(path, embedded[i].path) != 0 || !(bytes = qala_report__web_asset(embedded[i].asset, &n)))
                continue;
            if (!(r->body = qala_mem__malloc(n + 1)))
                return srv_error(r, 500, "out of memory");
            memcpy(r->body, bytes, n + 1);
            r->len = n;
            r->content_type = embedded[i].type;
            return 0;
        }
        return not_found(r, path);
    }
    size_t rootlen = strlen(s->web_root), plen = strlen(path);
    if (plen > 2048 || path[0] != '/')
        return not_found(r, path);
    char *joined = qala_mem__malloc(rootlen + plen + 16);
    if (!joined)
        return srv_error(r, 500, "out of memory");
    memcpy(joined, s->web_root, rootlen);
    memcpy(joined + rootlen, path, plen + 1);
    char *real = realpath(joined, NULL);
    qala_mem__free(joined);
    if (!real)
        return not_found(r, path);
    int inside = strncmp(real, s->web_root, rootlen) == 0 && (real[rootlen] == '/' || real[rootlen] == '\0');
    struct stat sb;
    if (inside && stat(real, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        char *index = qala_mem__malloc(strlen(real) + 16);
        if (index) {
            sprintf(index, "%s/index.html", real);
            free(real);
            real = realpath(index, NULL);
            qala_mem__free(index);
            inside = real && strncmp(real, s->web_root, rootlen) == 0 && real[rootlen] == '/';
        }
    }
    if (!real || !inside || stat(real, &sb) != 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > MAX_FILE) {
        free(real);
        return not_found(r, path);
    }
    FILE *f = fopen(real, "rb");
    const char *type = type_of(real);
    free(real);
    if (!f)
        return not_found(r, path);
    size_t n = (size_t)sb.st_size;
    r->body = qala_mem__malloc(n + 1);
    if (!r->body) {
        fclose(f);
        return srv_error(r, 500, "out of memory");
    }
    r->len = fread(r->body, 1, n, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        qala_mem__free(r->body);
        r->body = NULL;
        return srv_error(r, 500, "can't read %s", path);
    }
    r->content_type = type;
    return 0;
}
