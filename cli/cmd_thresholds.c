/* cli/cmd_thresholds.c — `qala thresholds`: the loaded threshold sets with every
 * threshold's provenance; `--load FILE` checks a threshold file against the framework
 * and registry and keeps it in the database. Also the loading of thresholds that
 * `monitor` and `alerts` share: the files kept in the database, or the embedded
 * default set when there are none.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct load_ctx {
    cli_ctx *cli;
    qala_findings *findings;
    qala_status st;
    size_t files;
} load_ctx;

static int load_one(void *ctx, const char *label, const char *text, size_t len)
{
    load_ctx *l = ctx;
    l->files++;
    l->st = qala_thresholds_load_csv(l->cli->thresholds, text, len, label, l->cli->fw, l->cli->reg, l->findings);
    return l->st != QALA_OK;
}

int cli_load_thresholds(cli_ctx *ctx)
{
    if (ctx->thresholds)
        return EXIT_OK;
    int rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK);
    if (rc != EXIT_OK)
        return rc;
    qala_findings *f = NULL;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_thresholds_new(&ctx->thresholds);
    load_ctx l = {ctx, f, QALA_OK, 0};
    if (st == QALA_OK && ctx->store && (st = qala_store_each_threshold_file(ctx->store, load_one, &l)) == QALA_OK)
        st = l.st;
    if (st == QALA_OK && l.files == 0)
        st = qala_thresholds_load_default(ctx->thresholds, ctx->fw, ctx->reg, f);
    if (st != QALA_OK) {
        cli_print_findings(ctx, f);
        rc = cli_fail(ctx, st, "loading the threshold sets");
    }
    qala_findings_free(f);
    return rc;
}

/* Reads a whole file (threshold files are small) into a malloc'ed buffer. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *p = cap < ((size_t)64 << 20) ? realloc(buf, cap *= 2) : NULL;
            if (!p) {
                free(buf);
                buf = NULL;
            } else {
                buf = p;
            }
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static int load_files(cli_ctx *ctx, const char **files, int n)
{
    int rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | LOAD_STORE_WRITE);
    if (rc != EXIT_OK)
        return rc;
    for (int i = 0; i < n && rc == EXIT_OK; i++) {
        size_t len;
        char *text = read_file(files[i], &len);
        if (!text) {
            fprintf(ctx->err, "qala: cannot read '%s': %s\n", files[i], strerror(errno ? errno : ENOMEM));
            return EXIT_IO;
        }
        qala_thresholds *check = NULL;
        qala_findings *f = NULL;
        qala_status st = qala_findings_new(&f);
        if (st == QALA_OK)
            st = qala_thresholds_new(&check);
        if (st == QALA_OK)
            st = qala_thresholds_load_csv(check, text, len, files[i], ctx->fw, ctx->reg, f);
        cli_print_findings(ctx, f);
        if (st == QALA_OK)
            st = qala_store_save_threshold_file(ctx->store, files[i], text, len);
        if (st == QALA_OK)
            fprintf(ctx->out, "%s: %zu threshold%s kept in %s\n", files[i], qala_thresholds_count(check),
                    qala_thresholds_count(check) == 1 ? "" : "s", ctx->db_path);
        else
            rc = cli_fail(ctx, st, files[i]);
        qala_thresholds_free(check);
        qala_findings_free(f);
        free(text);
    }
    return rc;
}

static void fmt_number(char *buf, size_t n, double v)
{
    if (isnan(v))
        buf[0] = '\0';
    else
        snprintf(buf, n, "%.10g", v);
}

static const char *side_code(qala_bad_side s)
{
    return s == QALA_BAD_LOW ? "low" : s == QALA_BAD_HIGH ? "high" : "band";
}

int cmd_thresholds(cli_ctx *ctx, int argc, char **argv)
{
    const char *set = NULL, *indicator = NULL, *load = NULL;
    const cli_option options[] = {{"set", 1, &set}, {"indicator", 1, &indicator}, {"load", 0, &load}, {NULL, 0, NULL}};
    const char *files[64];
    int nfiles, rc = cli_parse(ctx, argc, argv, options, files, 64, &nfiles, "thresholds");
    if (rc)
        return rc;
    if (load)
        return nfiles ? load_files(ctx, files, nfiles) : (fprintf(ctx->err, "qala thresholds: --load needs FILE...\n"), EXIT_USAGE);
    if (nfiles) {
        fprintf(ctx->err, "qala thresholds: unexpected argument '%s' (use --load FILE)\n", files[0]);
        return EXIT_USAGE;
    }
    if ((rc = cli_load_thresholds(ctx)) != EXIT_OK)
        return rc;
    static const char *const keys[] = {"set", "indicator", "transform", "k", "side", "warning", "crisis",
                                       "warning_high", "crisis_high", "inclusive", "groups", "valid_from",
                                       "valid_to", "confidence", "source", "year", "justification"};
    const char *headings[17];
    for (int i = 0; i < 17; i++)
        headings[i] = keys[i];
    headings[1] = cli_msg(ctx, MSG_INDICATOR);
    headings[14] = cli_msg(ctx, MSG_SOURCE);
    cli_table *t = cli_table_new(17, keys, headings);
    for (int c = 5; c <= 8; c++)
        cli_table_numeric(t, (size_t)c);
    int lang = ctx->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)ctx->lang;
    for (size_t i = 0; i < qala_thresholds_count(ctx->thresholds); i++) {
        const qala_threshold *th = qala_thresholds_get(ctx->thresholds, i);
        const qala_indicator *ind = qala_framework_get(ctx->fw, th->indicator);
        if ((set && strcmp(set, th->set) != 0) || (indicator && strcmp(indicator, ind->code) != 0))
            continue;
        char k[16], w[32], c[32], wh[32], ch[32], groups[256] = "", from[11], to[11], year[16] = "";
        snprintf(k, sizeof k, "%d", th->k);
        fmt_number(w, sizeof w, th->warning);
        fmt_number(c, sizeof c, th->crisis);
        fmt_number(wh, sizeof wh, th->side == QALA_BAD_OUTSIDE ? th->warning_high : NAN);
        fmt_number(ch, sizeof ch, th->side == QALA_BAD_OUTSIDE ? th->crisis_high : NAN);
        for (size_t g = 0, len = 0; g < th->ngroups && len < sizeof groups; g++)
            len += (size_t)snprintf(groups + len, sizeof groups - len, "%s%s", g ? ";" : "", th->groups[g]);
        qala_date_format(from, th->valid_from);
        qala_date_format(to, th->valid_to);
        if (th->year)
            snprintf(year, sizeof year, "%d", th->year);
        const char *cells[] = {th->set, ctx->format == FORMAT_TABLE ? ind->name[lang] : ind->code,
                               qala_transform_code(th->transform), k, side_code(th->side), w, c, wh, ch,
                               th->inclusive ? "1" : "0", groups, from, to,
                               qala_confidence_code(th->confidence), th->source, year, th->justification};
        cli_table_add(t, cells);
    }
    cli_table_print(ctx, t);
    cli_table_free(t);
    return EXIT_OK;
}
