/* src/server/server_static.c — the front end at /: files under the web root (--web
 * DIR), or a small embedded page when there is none.
 *
 * The path (already URL-decoded by libmicrohttpd, so that %2e%2e is ".." here) is joined
 * to the web root and resolved with realpath(); the answer is a file only when the
 * resolved path lies inside the resolved root. So "..", encoded dots, symbolic links
 * that lead out and NUL bytes all end in 404, never in a file outside the root. A
 * directory answers with its index.html. Files are read whole (a front end's files are
 * small; over 32 MiB is refused).
 * Workload: a handful of files per page load.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Until the front end of web/ is served (--web DIR), this page: the API's entry points
 * and an upload form (which needs a token). */
static const char embedded_page[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>qala</title>\n<style>body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;"
    "padding:0 1rem}code{background:#eee;padding:0 .2em}pre{background:#f6f6f6;padding:.5rem;overflow:auto}"
    "</style></head>\n<body>\n<h1>qala</h1>\n"
    "<p>Monitoring the socio-economic development of Kazakhstan's cities. The JSON API is "
    "described at <a href=\"/api/\">/api/</a> (docs/api.md in the source tree).</p>\n<ul>\n"
    "<li><a href=\"/api/units\">units</a></li><li><a href=\"/api/groups\">groups</a></li>\n"
    "<li><a href=\"/api/indicators\">indicators</a></li><li><a href=\"/api/monitor\">monitor</a> "
    "(the threshold scoreboard)</li>\n<li><a href=\"/api/alerts\">alerts</a></li>"
    "<li><a href=\"/api/index\">index</a> (the composite index)</li>\n</ul>\n"
    "<h2>Upload a statistics table</h2>\n<form id=\"up\"><p><input type=\"file\" id=\"file\" "
    "accept=\".csv,text/csv\"> <input type=\"password\" id=\"token\" placeholder=\"token\" "
    "autocomplete=\"off\"> <button>Upload</button></p></form>\n<pre id=\"out\"></pre>\n<script>\n"
    "document.getElementById('up').addEventListener('submit', async e => {\n"
    "  e.preventDefault();\n  const f = document.getElementById('file').files[0];\n"
    "  if (!f) return;\n  const r = await fetch('/api/import?name=' + encodeURIComponent(f.name), {method: 'POST',\n"
    "    headers: {'Authorization': 'Bearer ' + document.getElementById('token').value,\n"
    "              'Content-Type': 'text/csv'}, body: f});\n"
    "  document.getElementById('out').textContent = r.status + '\\n' + JSON.stringify(await r.json(), null, 2);\n"
    "});\n</script>\n</body></html>\n";

static int not_found(srv_reply *r, const char *path)
{
    return srv_error(r, 404, "not found: %s", path);
}

int srv_static(qala_server *s, const char *path, srv_reply *r)
{
    if (!s->web_root) {
        if (strcmp(path, "/") != 0 && strcmp(path, "/index.html") != 0)
            return not_found(r, path);
        r->body = qala_mem__strdup(embedded_page);
        if (!r->body)
            return srv_error(r, 500, "out of memory");
        r->len = sizeof embedded_page - 1;
        r->content_type = "text/html; charset=utf-8";
        return 0;
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
