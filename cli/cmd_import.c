/* cli/cmd_import.c — `qala import FILE...`: validate every file (CSV, SDMX-CSV, or a sheet
 * of an XLSX workbook), print the findings, and store the observations only when no file
 * has errors (or with --keep-valid, the valid rows, writing the rejected ones with their
 * reasons to a CSV file). SDMX-CSV files are recognised by their header (or --sdmx) and
 * read with their code mapping. --dry-run stores nothing and prints a preview of how each
 * workbook's table is read.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_print_summary(cli_ctx *ctx);

typedef struct rejects {
    FILE *f;
    const char *file;
} rejects;

static void on_reject(void *ctx, long line, const char *const *fields, const size_t *lengths,
                      size_t nfields, const char *reason)
{
    rejects *r = ctx;
    if (!r->f)
        return;
    cli_csv_field(r->f, r->file, strlen(r->file));
    fprintf(r->f, ",%ld,", line);
    cli_csv_field(r->f, reason ? reason : "", reason ? strlen(reason) : 0);
    for (size_t i = 0; i < nfields; i++) {
        fputc(',', r->f);
        cli_csv_field(r->f, fields[i], lengths[i]);
    }
    fputc('\n', r->f);
}

static void on_preview(void *ctx, const char *line)
{
    fprintf((FILE *)ctx, "%s\n", line);
}

/* An XLSX workbook by its name or zip signature: --dry-run previews those (the library
 * can preview CSV files too; the CSV dry-run output is kept as it was). */
static int looks_like_xlsx(const char *path)
{
    size_t n = strlen(path);
    if (n > 5 && (strcmp(path + n - 5, ".xlsx") == 0 || strcmp(path + n - 5, ".XLSX") == 0 ||
                  strcmp(path + n - 5, ".xlsm") == 0))
        return 1;
    unsigned char head[4] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    return got == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
}

/* A non-negative whole number option; -1 when absent. */
static long parse_count(cli_ctx *ctx, const char *name, const char *value, long max)
{
    if (!value)
        return -1;
    char *end;
    long n = strtol(value, &end, 10);
    if (end == value || *end || n < 0 || n > max) {
        fprintf(ctx->err, "qala import: --%s '%s': expected a whole number from 0 to %ld\n", name, value, max);
        return -2;
    }
    return n;
}

/* A progress bar on stderr (only when stderr is a terminal). */
static void on_progress(void *ctx, size_t done, size_t total)
{
    const char *file = ctx;
    enum { WIDTH = 30 };
    if (total == 0) {
        fprintf(stderr, "\r  %s  %zu MiB", file, done >> 20);
    } else {
        size_t filled = (size_t)((double)done / (double)total * WIDTH);
        char bar[WIDTH + 1];
        for (size_t i = 0; i < WIDTH; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[WIDTH] = '\0';
        fprintf(stderr, "\r  %s  [%s] %3.0f%%  %zu/%zu MiB", file, bar, 100.0 * (double)done / (double)total,
                done >> 20, total >> 20);
    }
    if (done >= total && total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

static int parse_layout(const char *s, qala_layout *out)
{
    if (!s)
        return 0;
    if (strcmp(s, "long") == 0)
        *out = QALA_LAYOUT_LONG;
    else if (strcmp(s, "wide-indicators") == 0)
        *out = QALA_LAYOUT_WIDE_INDICATORS;
    else if (strcmp(s, "wide-periods") == 0)
        *out = QALA_LAYOUT_WIDE_PERIODS;
    else
        return -1;
    return 0;
}

#define MAX_FILES 256

/* Whether the file starts like SDMX-CSV (its first bytes). */
static int looks_sdmx(const char *path)
{
    char head[64];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return qala_sdmx_detect(head, n) != 0;
}

int cli_load_sdmx_map(cli_ctx *ctx, const char *command, const char *path, qala_sdmx_map **out)
{
    *out = NULL;
    if (!path)
        return EXIT_OK;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(ctx->err, "qala %s: cannot read the mapping file '%s'\n", command, path);
        return EXIT_IO;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *p = realloc(buf, cap *= 2);
        if (!p)
            free(buf);
        buf = p;
    }
    fclose(f);
    qala_findings *fl = NULL;
    qala_status st = buf ? qala_findings_new(&fl) : QALA_ENOMEM;
    if (st == QALA_OK)
        st = qala_sdmx_map_new(out);
    if (st == QALA_OK)
        st = qala_sdmx_map_load_csv(*out, buf, n, path, fl);
    free(buf);
    int rc = EXIT_OK;
    if (st == QALA_EDATA) {
        qala_findings_sort(fl);
        cli_print_findings(ctx, fl);
        if (strcmp(command, "import") == 0)
            fprintf(ctx->err, "qala: %s\n", cli_msg(ctx, MSG_NOTHING_STORED));
        rc = EXIT_DATA;
    } else if (st != QALA_OK) {
        rc = cli_fail(ctx, st, path);
    }
    qala_findings_free(fl);
    if (rc != EXIT_OK) {
        qala_sdmx_map_free(*out);
        *out = NULL;
    }
    return rc;
}

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
    const char *encoding = NULL, *delimiter = NULL, *layout = NULL, *map = NULL,
               *indicator = NULL, *period = NULL, *keep_valid = NULL, *rejects_path = NULL,
               *dry_run = NULL, *sdmx = NULL, *sdmx_map = NULL, *sheet = NULL,
               *header_rows = NULL, *skip_rows = NULL;
    const cli_option options[] = {
        {"encoding", 1, &encoding}, {"delimiter", 1, &delimiter}, {"layout", 1, &layout},
        {"map", 1, &map}, {"indicator", 1, &indicator}, {"period", 1, &period},
        {"keep-valid", 0, &keep_valid}, {"rejects", 1, &rejects_path}, {"dry-run", 0, &dry_run},
        {"sdmx", 0, &sdmx}, {"sdmx-map", 1, &sdmx_map},
        {"sheet", 1, &sheet}, {"header-rows", 1, &header_rows}, {"skip-rows", 1, &skip_rows},
        {NULL, 0, NULL}};
    const char *files[MAX_FILES];
    int nfiles, rc = cli_parse(ctx, argc, argv, options, files, MAX_FILES, &nfiles, "import");
    if (rc)
        return rc;
    if (nfiles == 0) {
        fprintf(ctx->err, "qala import: no file given (see 'qala import --help')\n");
        return EXIT_USAGE;
    }
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.encoding = encoding;
    opt.map = map;
    opt.indicator = indicator;
    opt.period = period;
    opt.sheet = sheet;
    long hr = parse_count(ctx, "header-rows", header_rows, 20), sr = parse_count(ctx, "skip-rows", skip_rows, 1048575);
    if (hr == -2 || sr == -2)
        return EXIT_USAGE;
    if (hr == 0) {
        fprintf(ctx->err, "qala import: --header-rows 0: a table needs at least one header row\n");
        return EXIT_USAGE;
    }
    opt.header_rows = hr < 0 ? 0 : (unsigned)hr;
    opt.skip_rows = sr;
    if (parse_layout(layout, &opt.layout) < 0) {
        fprintf(ctx->err, "qala import: --layout '%s': expected long, wide-indicators or wide-periods\n", layout);
        return EXIT_USAGE;
    }
    if (delimiter) {
        if (strcmp(delimiter, "tab") == 0 || strcmp(delimiter, "\\t") == 0)
            opt.delimiter = '\t';
        else if (strlen(delimiter) == 1 && strchr(",;\t|", delimiter[0]))
            opt.delimiter = delimiter[0];
        else {
            fprintf(ctx->err, "qala import: --delimiter '%s': expected ',', ';', '|' or tab\n", delimiter);
            return EXIT_USAGE;
        }
    }
    if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | (dry_run ? 0 : LOAD_STORE_WRITE))) != EXIT_OK)
        return rc;

    qala_sdmx_map *smap = NULL;
    if ((rc = cli_load_sdmx_map(ctx, "import", sdmx_map, &smap)) != EXIT_OK)
        return rc;
    qala_findings *f = NULL;
    qala_dataset *ds[MAX_FILES] = {0};
    qala_import_stats stats[MAX_FILES];
    rejects rej = {0};
    char *default_rejects = NULL;
    qala_status st = qala_findings_new(&f);
    int errors = 0;
    for (int i = 0; i < nfiles && st == QALA_OK; i++) {
        if (keep_valid && !dry_run) {
            if (rej.f)
                fclose(rej.f);
            const char *path = rejects_path;
            if (!path) {
                free(default_rejects);
                default_rejects = malloc(strlen(files[i]) + 16);
                sprintf(default_rejects, "%s.rejected.csv", files[i]);
                path = default_rejects;
            }
            rej.f = fopen(path, rejects_path && i > 0 ? "a" : "w");
            if (!rej.f) {
                fprintf(ctx->err, "qala import: cannot write rejected rows to '%s'\n", path);
                rc = EXIT_IO;
                break;
            }
            if (!(rejects_path && i > 0))
                fputs("file,line,reason,fields...\n", rej.f);
            rej.file = files[i];
            opt.on_reject = on_reject;
            opt.reject_ctx = &rej;
        }
        if ((st = qala_dataset_new(&ds[i])) != QALA_OK)
            break;
        if (ctx->progress) {
            opt.on_progress = on_progress;
            opt.progress_ctx = (void *)files[i];
        }
        opt.on_preview = dry_run && looks_like_xlsx(files[i]) ? on_preview : NULL;
        opt.preview_ctx = ctx->out;
        if (sdmx || looks_sdmx(files[i]))
            st = qala_sdmx_import_file(ds[i], f, &stats[i], files[i], NULL, ctx->reg, ctx->fw, smap, &opt);
        else
            st = qala_import_file(ds[i], f, &stats[i], files[i], NULL, ctx->reg, ctx->fw, &opt);
        if (st == QALA_EDATA) {
            errors = 1;
            st = QALA_OK;
        }
    }
    if (rej.f)
        fclose(rej.f);
    free(default_rejects);
    qala_findings_sort(f);
    cli_print_findings(ctx, f);
    if (st != QALA_OK && rc == EXIT_OK)
        rc = cli_fail(ctx, st, NULL);
    if (rc == EXIT_OK) {
        int store = !dry_run && (!errors || keep_valid);
        /* every file's batch in one transaction: all stored, or none */
        qala_batch_result *res = calloc((size_t)nfiles, sizeof *res);
        qala_batch_info *info = calloc((size_t)nfiles, sizeof *info);
        const qala_dataset **sets = calloc((size_t)nfiles, sizeof *sets);
        char (*sha)[65] = calloc((size_t)nfiles, sizeof *sha);
        size_t nsets = 0;
        if (!res || !info || !sets || !sha) {
            rc = cli_fail(ctx, QALA_ENOMEM, NULL);
        } else if (store) {
            for (int i = 0; i < nfiles && rc == EXIT_OK; i++) {
                if (qala_dataset_size(ds[i]) == 0)
                    continue;
                if ((st = qala_sha256_file(sha[i], files[i])) != QALA_OK) {
                    rc = cli_fail(ctx, st, files[i]);
                    break;
                }
                info[nsets] = (qala_batch_info){files[i], sha[i], NULL};
                sets[nsets++] = ds[i];
            }
            qala_batch_result *packed = calloc(nsets ? nsets : 1, sizeof *packed);
            if (rc == EXIT_OK && !packed)
                rc = cli_fail(ctx, QALA_ENOMEM, NULL);
            if (rc == EXIT_OK &&
                (st = qala_store_import_many(ctx->store, sets, info, nsets, packed)) != QALA_OK)
                rc = cli_fail(ctx, st, NULL);
            for (int i = 0, k = 0; rc == EXIT_OK && i < nfiles; i++)
                if (qala_dataset_size(ds[i]) > 0)
                    res[i] = packed[k++];
            free(packed);
        }
        for (int i = 0; i < nfiles && rc == EXIT_OK; i++) {
            fprintf(ctx->out, "%s: %zu rows, %zu observations, %zu missing, %zu rejected rows ",
                    files[i], stats[i].rows, stats[i].observations, stats[i].missing,
                    stats[i].rejected_rows);
            if (stats[i].sheet[0])
                fprintf(ctx->out, "(XLSX, sheet \"%s\")", stats[i].sheet);
            else if (!stats[i].encoding[0])
                fprintf(ctx->out, "(not read)");
            else
                fprintf(ctx->out, "(%s, '%s')", stats[i].encoding,
                        stats[i].delimiter == '\t' ? "tab" : (char[]){stats[i].delimiter, 0});
            if (store)
                fprintf(ctx->out, ": %zu new, %zu revised, %zu unchanged\n", res[i].inserted,
                        res[i].revised, res[i].unchanged);
            else
                fputc('\n', ctx->out);
        }
        free(res);
        free(info);
        free(sets);
        free(sha);
        if (errors && !keep_valid && !dry_run)
            fprintf(ctx->err, "qala: %s\n", cli_msg(ctx, MSG_NOTHING_STORED));
        if (rc == EXIT_OK && errors)
            rc = EXIT_DATA;
    }
    for (int i = 0; i < nfiles; i++)
        qala_dataset_free(ds[i]);
    qala_findings_free(f);
    qala_sdmx_map_free(smap);
    return rc;
}
