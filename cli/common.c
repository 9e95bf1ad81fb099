/* cli/common.c — what every command needs: option parsing, opening the store and
 * loading the registry and framework, error and findings printing, unit resolution.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

int cli_exit_code(qala_status st)
{
    switch (st) {
    case QALA_OK: return EXIT_OK;
    case QALA_EDATA:
    case QALA_ENOTFOUND:
    case QALA_EAMBIGUOUS:
    case QALA_EPARSE: return EXIT_DATA;
    case QALA_EINVAL: return EXIT_USAGE;
    default: return EXIT_IO;
    }
}

int cli_fail(cli_ctx *ctx, qala_status st, const char *what)
{
    const qala_error *e = qala_error_last();
    const char *msg = e->code == st && e->message[0] ? e->message : qala_status_str(st);
    if (what)
        fprintf(ctx->err, "qala: %s: %s\n", what, msg);
    else
        fprintf(ctx->err, "qala: %s\n", msg);
    return cli_exit_code(st);
}

static int set_common(cli_ctx *ctx, const char *name, const char *value, const char *command)
{
    if (strcmp(name, "db") == 0) {
        ctx->db_path = value;
    } else if (strcmp(name, "lang") == 0) {
        if (qala_lang_parse(&ctx->lang, value) != QALA_OK) {
            fprintf(ctx->err, "qala %s: --lang '%s': expected kk, ru, en or kk-latn\n", command, value);
            return EXIT_USAGE;
        }
    } else if (strcmp(name, "format") == 0) {
        if (strcmp(value, "table") == 0)
            ctx->format = FORMAT_TABLE;
        else if (strcmp(value, "csv") == 0)
            ctx->format = FORMAT_CSV;
        else if (strcmp(value, "json") == 0)
            ctx->format = FORMAT_JSON;
        else {
            fprintf(ctx->err, "qala %s: --format '%s': expected table, csv or json\n", command, value);
            return EXIT_USAGE;
        }
    } else if (strcmp(name, "at") == 0) {
        if (qala_date_parse(&ctx->at, value, 1) != QALA_OK) {
            fprintf(ctx->err, "qala %s: --at: %s\n", command, qala_error_last()->message);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

int cli_parse(cli_ctx *ctx, int argc, char **argv, const cli_option *options,
              const char **positional, int max_positional, int *npositional, const char *command)
{
    static const char *const common_valued[] = {"db", "lang", "format", "at", NULL};
    *npositional = 0;
    int only_positional = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_positional || a[0] != '-' || strcmp(a, "-") == 0) {
            if (*npositional >= max_positional) {
                fprintf(ctx->err, "qala %s: unexpected argument '%s' (see 'qala %s --help')\n", command, a, command);
                return EXIT_USAGE;
            }
            positional[(*npositional)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_print_command_help(ctx->out, cli_find_command(command));
            return -1;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(ctx->err, "qala %s: unknown option '%s' (see 'qala %s --help')\n", command, a, command);
            return EXIT_USAGE;
        }
        char name[64];
        const char *eq = strchr(a + 2, '=');
        size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (n >= sizeof name)
            n = sizeof name - 1;
        memcpy(name, a + 2, n);
        name[n] = '\0';
        if (strcmp(name, "color") == 0 || strcmp(name, "no-color") == 0) {
            ctx->color = name[0] == 'c';
            continue;
        }
        int common = 0;
        for (int k = 0; common_valued[k]; k++)
            common |= strcmp(name, common_valued[k]) == 0;
        const cli_option *opt = NULL;
        for (const cli_option *o = options; o && o->name; o++)
            if (strcmp(o->name, name) == 0)
                opt = o;
        if (!common && !opt) {
            fprintf(ctx->err, "qala %s: unknown option '--%s' (see 'qala %s --help')\n", command, name, command);
            return EXIT_USAGE;
        }
        const char *value = "1";
        if (common || opt->takes_value) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                fprintf(ctx->err, "qala %s: option '--%s' needs a value\n", command, name);
                return EXIT_USAGE;
            }
        }
        if (common) {
            int rc = set_common(ctx, name, value, command);
            if (rc != EXIT_OK)
                return rc;
        } else {
            *opt->value = value;
        }
    }
    if (ctx->format == FORMAT_AUTO)
        ctx->format = isatty(fileno(ctx->out)) ? FORMAT_TABLE : FORMAT_CSV;
    return EXIT_OK;
}

int cli_load(cli_ctx *ctx, unsigned what)
{
    qala_status st;
    int exists = access(ctx->db_path, F_OK) == 0;
    if ((what & (LOAD_STORE | LOAD_STORE_WRITE)) || exists) {
        if (!ctx->store) {
            st = qala_store_open(&ctx->store, ctx->db_path,
                                 what & LOAD_STORE_WRITE ? QALA_STORE_READ_WRITE : QALA_STORE_READ_ONLY);
            if (st != QALA_OK)
                return cli_fail(ctx, st, NULL);
        }
        if (!qala_store_is_initialised(ctx->store)) {
            fprintf(ctx->err, "qala: database '%s' has no registry: run 'qala init --db %s'\n",
                    ctx->db_path, ctx->db_path);
            return EXIT_IO;
        }
        if ((what & LOAD_REGISTRY) && !ctx->reg && (st = qala_store_load_registry(ctx->store, &ctx->reg)) != QALA_OK)
            return cli_fail(ctx, st, "loading the registry");
        if ((what & LOAD_FRAMEWORK) && !ctx->fw && (st = qala_store_load_framework(ctx->store, &ctx->fw)) != QALA_OK)
            return cli_fail(ctx, st, "loading the framework");
        return EXIT_OK;
    }
    /* No database: the embedded defaults. */
    qala_findings *f = NULL;
    if ((st = qala_findings_new(&f)) != QALA_OK)
        return cli_fail(ctx, st, NULL);
    if ((what & LOAD_REGISTRY) && !ctx->reg) {
        if ((st = qala_registry_new(&ctx->reg)) == QALA_OK)
            st = qala_registry_load_default(ctx->reg, f);
    }
    if (st == QALA_OK && (what & LOAD_FRAMEWORK) && !ctx->fw) {
        if ((st = qala_framework_new(&ctx->fw)) == QALA_OK)
            st = qala_framework_load_default(ctx->fw, f);
    }
    if (st != QALA_OK) {
        cli_print_findings(ctx, f);
        qala_findings_free(f);
        return cli_fail(ctx, st, "loading the embedded default data");
    }
    qala_findings_free(f);
    return EXIT_OK;
}

void cli_unload(cli_ctx *ctx)
{
    qala_thresholds_free(ctx->thresholds);
    qala_registry_free(ctx->reg);
    qala_framework_free(ctx->fw);
    ctx->thresholds = NULL;
    qala_store_close(ctx->store);
    ctx->reg = NULL;
    ctx->fw = NULL;
    ctx->store = NULL;
}

void cli_print_findings(cli_ctx *ctx, const qala_findings *f)
{
    int color = isatty(fileno(ctx->err)) && !getenv("NO_COLOR");
    for (size_t i = 0; i < qala_findings_count(f); i++) {
        const qala_finding *x = qala_findings_get(f, i);
        int err = x->severity == QALA_SEVERITY_ERROR;
        fprintf(ctx->err, "%s", x->file);
        if (x->line)
            fprintf(ctx->err, ":%ld", x->line);
        if (x->line && x->column)
            fprintf(ctx->err, ":%ld", x->column);
        fprintf(ctx->err, ": %s%s%s: %s\n", color ? (err ? "\033[31m" : "\033[33m") : "",
                err ? "error" : "warning", color ? "\033[0m" : "", x->message);
    }
    size_t shown = qala_findings_count(f);
    size_t total = qala_findings_errors(f) + qala_findings_warnings(f);
    if (total > shown)
        fprintf(ctx->err, "qala: %zu more findings not shown\n", total - shown);
}

int cli_resolve_unit(cli_ctx *ctx, const char *text, size_t *unit)
{
    qala_match m;
    qala_status st = qala_registry_match(ctx->reg, text, strlen(text), 0, &m);
    if (st == QALA_OK) {
        *unit = m.units[0];
        return EXIT_OK;
    }
    if (st != QALA_ENOTFOUND && st != QALA_EAMBIGUOUS)
        return cli_fail(ctx, st, NULL);
    fprintf(ctx->err, "qala: %s unit '%s'", st == QALA_EAMBIGUOUS ? "ambiguous" : "unknown", text);
    for (size_t i = 0; i < m.count; i++) {
        const qala_unit *u = qala_registry_unit(ctx->reg, m.units[i]);
        fprintf(ctx->err, "%s%s (%s)",
                i == 0 ? (st == QALA_EAMBIGUOUS ? ": could be " : ": did you mean ") : " or ",
                u->code, qala_registry_name_at(ctx->reg, m.units[i], ctx->lang, ctx->at));
    }
    fputs(st == QALA_ENOTFOUND && m.count ? "?\n" : "\n", ctx->err);
    return EXIT_DATA;
}
