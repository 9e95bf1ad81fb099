/* tests/unit/csv/csv_helpers.h — helpers shared by the CSV reader tests.
 *
 * dump_* read a whole input and render every record as one line
 * "<line>: <field>|<field>|..." and every error as "<line>:<column>: E<code> <message>",
 * so that a test states the expected reading of a file as one string.
 */
#ifndef TEST_CSV_HELPERS_H
#define TEST_CSV_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/csv.h"

/* Renders the records of an open reader (closes it). Caller frees. */
static inline char *dump_reader(qala_csv *csv)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    int r;
    int guard = 0;
    while ((r = qala_csv__next(csv)) != 0 && guard++ < 100000) {
        if (r < 0) {
            const qala_error *e = qala_error_last();
            fprintf(f, "%ld:%ld: E%d %s\n", e->line, e->column, -r, e->message);
            continue;
        }
        fprintf(f, "%ld: ", qala_csv__line(csv));
        for (size_t i = 0; i < qala_csv__nfields(csv); i++) {
            size_t len;
            const char *s = qala_csv__field(csv, i, &len);
            if (strlen(s) != len)
                fprintf(f, "<len mismatch>");
            fprintf(f, "%s%s", i ? "|" : "", s);
        }
        fprintf(f, "\n");
    }
    qala_csv__close(csv);
    fclose(f);
    return text;
}

static inline char *dump_opt(const char *data, size_t len, const qala_csv_options *opt)
{
    qala_csv *csv = NULL;
    qala_status st = qala_csv__open_buffer(&csv, data, len, "t.csv", opt);
    if (st) {
        char *text = malloc(600);
        snprintf(text, 600, "open: E%d %s", -st, qala_error_last()->message);
        return text;
    }
    return dump_reader(csv);
}

static inline char *dump(const char *data)
{
    return dump_opt(data, strlen(data), NULL);
}

/* Writes data to a new file in a fresh temporary directory; returns its path (free it
 * with remove_temp). */
static inline char *write_temp(const void *data, size_t len)
{
    char dir[] = "/tmp/qala-csv-XXXXXX";
    if (!mkdtemp(dir))
        return NULL;
    char *path = malloc(strlen(dir) + 16);
    sprintf(path, "%s/in.csv", dir);
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    return path;
}

static inline void remove_temp(char *path)
{
    unlink(path);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    rmdir(path);
    free(path);
}

static inline char *dump_file(const void *data, size_t len, const qala_csv_options *opt)
{
    char *path = write_temp(data, len);
    qala_csv *csv = NULL;
    qala_status st = qala_csv__open_file(&csv, path, "t.csv", opt);
    remove_temp(path);
    if (st) {
        char *text = malloc(600);
        snprintf(text, 600, "open: E%d %s", -st, qala_error_last()->message);
        return text;
    }
    return dump_reader(csv);
}

#endif
