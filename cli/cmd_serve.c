/* cli/cmd_serve.c — `qala serve`: the JSON API and the front end over HTTP
 * (qala_server_start), until SIGTERM or SIGINT.
 *
 * The signals are blocked before the server's threads start (they inherit the mask),
 * so that only this thread receives them, in sigwait(): then the server stops
 * accepting, answers what is in flight (up to the timeout) and closes the database.
 * The access log (one line per request: time, client, "METHOD path", status, bytes,
 * milliseconds) goes to --access-log FILE (appended) or standard error.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void write_log(void *ctx, const qala_access_entry *e)
{
    char line[2048];
    qala_access_format(line, sizeof line, e);
    fprintf(ctx, "%s\n", line);
    fflush(ctx);
}

static int parse_size(const char *text, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (!*text || text[0] == '-' || errno)
        return -1;
    if (*end == 'k' || *end == 'K')
        n <<= 10, end++;
    else if (*end == 'M' || *end == 'm')
        n <<= 20, end++;
    if (*end || n == 0)
        return -1;
    *out = (size_t)n;
    return 0;
}

int cmd_serve(cli_ctx *ctx, int argc, char **argv)
{
    const char *listen = NULL, *web = NULL, *max_body = NULL, *timeout = NULL, *threads = NULL, *access = NULL;
    const cli_option options[] = {{"listen", 1, &listen}, {"web", 1, &web}, {"max-body", 1, &max_body},
                                  {"timeout", 1, &timeout}, {"threads", 1, &threads}, {"access-log", 1, &access},
                                  {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "serve");
    if (rc)
        return rc;
    qala_server_options opt = QALA_SERVER_OPTIONS_INIT;
    opt.listen = listen;
    opt.db_path = ctx->db_path;
    opt.web_root = web;
    size_t n;
    if (max_body) {
        if (parse_size(max_body, &opt.max_body)) {
            fprintf(ctx->err, "qala serve: --max-body '%s': expected bytes (e.g. 16M, 512K, 100000)\n", max_body);
            return EXIT_USAGE;
        }
    }
    if (timeout) {
        if (parse_size(timeout, &n) || n > 3600) {
            fprintf(ctx->err, "qala serve: --timeout '%s': expected seconds from 1 to 3600\n", timeout);
            return EXIT_USAGE;
        }
        opt.timeout = (unsigned)n;
    }
    if (threads) {
        if (parse_size(threads, &n) || n > 256) {
            fprintf(ctx->err, "qala serve: --threads '%s': expected 1 to 256\n", threads);
            return EXIT_USAGE;
        }
        opt.threads = (unsigned)n;
    }
    FILE *log = ctx->err;
    if (access && strcmp(access, "-") != 0 && !(log = fopen(access, "a"))) {
        fprintf(ctx->err, "qala serve: --access-log '%s': %s\n", access, strerror(errno));
        return EXIT_IO;
    }
    opt.access_log = write_log;
    opt.access_ctx = log;
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    qala_server *srv = NULL;
    qala_status st = qala_server_start(&srv, &opt);
    if (st != QALA_OK) {
        rc = cli_fail(ctx, st, NULL);
    } else {
        char host[64] = "127.0.0.1";
        const char *colon = listen ? strrchr(listen, ':') : NULL;
        if (colon && colon > listen && (size_t)(colon - listen) < sizeof host) {
            memcpy(host, listen, (size_t)(colon - listen));
            host[colon - listen] = '\0';
        }
        fprintf(ctx->out, "qala serve: listening on http://%s:%u/ (database %s; Ctrl-C or SIGTERM stops)\n", host,
                qala_server_port(srv), ctx->db_path);
        fflush(ctx->out);
        int sig = 0;
        sigwait(&sigs, &sig);
        fprintf(ctx->err, "qala serve: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        qala_server_stop(srv, (opt.timeout ? opt.timeout : 30) * 1000u);
        fprintf(ctx->err, "qala serve: stopped\n");
    }
    if (log != ctx->err)
        fclose(log);
    return rc;
}
