/* tests/unit/server/test_server.c — qala_server_start/stop in-process (qala/server.h):
 * refused options and databases, a free port, an answer over a plain socket, the access
 * log callback, and the access-log line format. The HTTP behaviour endpoint by endpoint
 * is tests/server/run.sh's. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qala/qala.h"
#include "store/store_test.h"

/* A database with the embedded registry and framework (what `qala init` stores). */
static void make_db(char path[static 256])
{
    test_db_path(path, "server.db");
    qala_store *s = NULL;
    qala_registry *reg = NULL;
    qala_framework *fw = NULL;
    qala_findings *f = NULL;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_CREATE), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, f), QALA_OK);
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, f), QALA_OK);
    cr_assert_eq(qala_store_save_registry(s, reg), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_store_save_framework(s, fw), QALA_OK, "%s", qala_error_last()->message);
    qala_findings_free(f);
    qala_registry_free(reg);
    qala_framework_free(fw);
    qala_store_close(s);
}

/* Sends request on a new connection to port; the whole answer in buf. */
static size_t http(unsigned port, const char *request, char *buf, size_t cap)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(fd >= 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(write(fd, request, strlen(request)), (ssize_t)strlen(request));
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    close(fd);
    return n;
}

typedef struct log_seen {
    int n;
    unsigned status;
    char path[64];
} log_seen;

static void on_log(void *ctx, const qala_access_entry *e)
{
    log_seen *l = ctx;
    l->n++;
    l->status = e->status;
    snprintf(l->path, sizeof l->path, "%s", e->path);
}

Test(server, starts_on_a_free_port_answers_and_stops)
{
    char path[256], buf[65536];
    make_db(path);
    log_seen seen = {0};
    qala_server_options opt = QALA_SERVER_OPTIONS_INIT;
    opt.listen = "127.0.0.1:0";
    opt.db_path = path;
    opt.threads = 2;
    opt.access_log = on_log;
    opt.access_ctx = &seen;
    qala_server *srv = NULL;
    cr_assert_eq(qala_server_start(&srv, &opt), QALA_OK, "%s", qala_error_last()->message);
    unsigned port = qala_server_port(srv);
    cr_assert_gt(port, 0);
    http(port, "GET /api/ HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(strncmp(buf, "HTTP/1.0 200", 12) == 0 || strncmp(buf, "HTTP/1.1 200", 12) == 0, "%.40s", buf);
    cr_expect(strstr(buf, "\"schema\":3") != NULL, "%s", buf);
    cr_expect(strstr(buf, "application/json") != NULL);
    http(port, "GET /api/units/KZ-NOWHERE HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(strstr(buf, " 404 ") != NULL && strstr(buf, "\"status\":404") != NULL, "%s", buf);
    http(port, "GET / HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(strstr(buf, "<main id=\"app\">") != NULL, "the embedded dashboard without --web");
    qala_server_stop(srv, 1000);
    cr_expect_eq(seen.n, 3, "one access-log call per request");
    cr_expect_eq(seen.status, 200);
    cr_expect_str_eq(seen.path, "/");
}

/* Without --web, / and the four files of web/ are the ones compiled into the library
 * (the same bytes `qala report` inlines), and GET /api/report answers the report's data
 * object (here a database with the registry and framework but no observation). */
Test(server, serves_the_embedded_dashboard_and_the_report_data)
{
    char path[256];
    make_db(path);
    qala_server_options opt = QALA_SERVER_OPTIONS_INIT;
    opt.listen = "127.0.0.1:0";
    opt.db_path = path;
    opt.threads = 1;
    qala_server *srv = NULL;
    cr_assert_eq(qala_server_start(&srv, &opt), QALA_OK, "%s", qala_error_last()->message);
    unsigned port = qala_server_port(srv);
    static char buf[4 << 20];
    http(port, "GET /index.html HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(strstr(buf, " 200 ") && strstr(buf, "text/html") && strstr(buf, "src=\"app.js\""), "%.300s", buf);
    http(port, "GET /app.js HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(strstr(buf, "text/javascript") && strstr(buf, "'api/report'"), "app.js fetches api/report");
    http(port, "GET /style.css HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(strstr(buf, "text/css") && strstr(buf, "@media print"), "%.200s", buf);
    size_t n = http(port, "GET /echarts.min.js HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(n > 500000 && strstr(buf, " 200 "), "ECharts: %zu bytes", n);
    http(port, "GET /echarts.js HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(strstr(buf, " 404 ") && strstr(buf, "\"status\":404"), "%.200s", buf);
    http(port, "GET /api/report?lang=kk HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(strstr(buf, " 200 ") && strstr(buf, "\"schema\":\"qala-report/1\"") && strstr(buf, "\"lang\":\"kk\""),
              "%.300s", buf);
    http(port, "GET /api/report?spec=../x HTTP/1.0\r\n\r\n", buf, sizeof buf);
    cr_expect(strstr(buf, " 400 ") && strstr(buf, "embedded index spec"), "%.300s", buf);
    qala_server_stop(srv, 1000);
}

Test(server, refuses_bad_listen_addresses)
{
    char path[256];
    make_db(path);
    const char *bad[] = {"127.0.0.1", "127.0.0.1:70000", "127.0.0.1:", "example.org:80", "127.0.0.1:8x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        qala_server_options opt = QALA_SERVER_OPTIONS_INIT;
        opt.listen = bad[i];
        opt.db_path = path;
        qala_server *srv = (qala_server *)1;
        cr_expect_eq(qala_server_start(&srv, &opt), QALA_EINVAL, "%s", bad[i]);
        cr_expect_null(srv);
    }
}

Test(server, refuses_a_missing_or_empty_database_and_a_bad_web_root)
{
    char path[256], dir[256];
    test_db_path(dir, "nothing.db");
    qala_server_options opt = QALA_SERVER_OPTIONS_INIT;
    opt.listen = "127.0.0.1:0";
    opt.db_path = dir;
    qala_server *srv = NULL;
    cr_expect_eq(qala_server_start(&srv, &opt), QALA_EDB);
    cr_expect(strstr(qala_error_last()->message, "does not exist") != NULL);
    /* a qala database without the registry */
    qala_store *s = NULL;
    cr_assert_eq(qala_store_open(&s, dir, QALA_STORE_CREATE), QALA_OK);
    qala_store_close(s);
    cr_expect_eq(qala_server_start(&srv, &opt), QALA_EDB);
    cr_expect(strstr(qala_error_last()->message, "no registry") != NULL, "%s", qala_error_last()->message);
    make_db(path);
    opt.db_path = path;
    opt.web_root = "/nonexistent/web";
    cr_expect_eq(qala_server_start(&srv, &opt), QALA_EIO);
    opt.web_root = path; /* a file, not a directory */
    cr_expect_eq(qala_server_start(&srv, &opt), QALA_EIO);
    cr_expect_null(srv);
    opt.web_root = NULL;
    opt.version = 99;
    cr_expect_eq(qala_server_start(&srv, &opt), QALA_EINVAL);
    qala_server_stop(NULL, 0); /* safe */
}

Test(server, a_version_2_database_is_upgraded_on_start)
{
    char path[256];
    make_db(path);
    qala_store *s = NULL;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_WRITE), QALA_OK);
    test_exec(s, "DROP TABLE tokens; PRAGMA user_version = 2");
    qala_store_close(s);
    qala_server_options opt = QALA_SERVER_OPTIONS_INIT;
    opt.listen = "127.0.0.1:0";
    opt.db_path = path;
    opt.threads = 1;
    qala_server *srv = NULL;
    cr_assert_eq(qala_server_start(&srv, &opt), QALA_OK, "%s", qala_error_last()->message);
    qala_server_stop(srv, 0);
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_ONLY), QALA_OK);
    cr_expect_eq(qala_store_schema_version(s), 3);
    qala_store_close(s);
}

Test(server, access_line_format)
{
    qala_access_entry e = {"2026-01-02T03:04:05Z", "127.0.0.1", "GET", "/api/units", 200, 1234, 1.5};
    char line[256];
    qala_access_format(line, sizeof line, &e);
    cr_expect_str_eq(line, "2026-01-02T03:04:05Z 127.0.0.1 \"GET /api/units\" 200 1234 1.500");
}
