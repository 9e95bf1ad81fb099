/* cli/cmd_token.c — `qala token create|list|revoke`: the bearer tokens that allow the
 * writes of `qala serve` (uploads, annotations). A new token is printed once; the
 * database keeps only its SHA-256 (qala/server.h).
 */
#include <string.h>

#include "cli.h"

typedef struct list_ctx {
    cli_table *t;
} list_ctx;

static int add_row(void *ctx, const qala_token_info *t)
{
    list_ctx *l = ctx;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)t->id);
    const char *cells[] = {id, t->name, t->hint, t->created_at, t->revoked_at};
    return cli_table_add(l->t, cells) != 0;
}

int cmd_token(cli_ctx *ctx, int argc, char **argv)
{
    const char *name = NULL;
    const cli_option options[] = {{"name", 1, &name}, {NULL, 0, NULL}};
    const char *pos[2];
    int npos, rc = cli_parse(ctx, argc, argv, options, pos, 2, &npos, "token");
    if (rc)
        return rc;
    const char *sub = npos ? pos[0] : NULL;
    if (!sub || (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "revoke") != 0)) {
        fprintf(ctx->err, "qala token: expected create, list or revoke (see 'qala token --help')\n");
        return EXIT_USAGE;
    }
    if ((strcmp(sub, "revoke") == 0) != (npos == 2)) {
        fprintf(ctx->err, "qala token: %s\n",
                strcmp(sub, "revoke") == 0 ? "revoke needs the token's id or name" : "unexpected argument");
        return EXIT_USAGE;
    }
    int write = strcmp(sub, "list") != 0;
    if ((rc = cli_load(ctx, write ? LOAD_STORE_WRITE : LOAD_STORE)) != EXIT_OK)
        return rc;
    qala_status st;
    if (strcmp(sub, "create") == 0) {
        char token[QALA_TOKEN_SIZE];
        int64_t id;
        if ((st = qala_token_create(ctx->store, name, token, &id)) != QALA_OK)
            return cli_fail(ctx, st, NULL);
        fprintf(ctx->out, "%s\n", token);
        fprintf(ctx->err, "qala token: token %lld '%s' created; it is shown only now (the database keeps its "
                          "SHA-256). Send it as 'Authorization: Bearer <token>'.\n",
                (long long)id, name ? name : "token");
        return EXIT_OK;
    }
    if (strcmp(sub, "revoke") == 0) {
        if ((st = qala_token_revoke(ctx->store, pos[1])) != QALA_OK)
            return cli_fail(ctx, st, NULL);
        fprintf(ctx->err, "qala token: revoked '%s'\n", pos[1]);
        return EXIT_OK;
    }
    static const char *const keys[] = {"id", "name", "hint", "created_at", "revoked_at"};
    list_ctx l = {cli_table_new(5, keys, NULL)};
    if (!l.t)
        return cli_fail(ctx, QALA_ENOMEM, NULL);
    cli_table_numeric(l.t, 0);
    st = qala_token_each(ctx->store, add_row, &l);
    if (st == QALA_OK)
        cli_table_print(ctx, l.t);
    cli_table_free(l.t);
    return st == QALA_OK ? EXIT_OK : cli_fail(ctx, st, NULL);
}
