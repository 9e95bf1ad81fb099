/* src/io/sdmx_map.c — SDMX code-list mapping files and SDMX-CSV export lines.
 *
 * Place in the pipeline: the mapping (dimension, SDMX code, qala code) is read once per
 * import or export and looked up for every row, both ways, through two hash maps keyed
 * by "DIMENSION\x1fCODE"; export formats one line per stored observation (the CLI
 * streams them, constant memory). Invariants: a mapping file with any error adds
 * nothing; an SDMX code maps to one qala code per dimension and back (a repeat is an
 * error). Workload: up to thousands of mapping rows, millions of exported lines.
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qala/sdmx.h"
#include "registry_table.h"
#include "util/internal.h"
#include "util/strmap.h"

struct qala_sdmx_map {
    qala_strmap to_qala, to_sdmx; /* key → index into pairs */
    char **strs;                  /* dimension, sdmx, qala for each row: 3 per row */
    size_t n, cap;                /* rows */
};

qala_status qala_sdmx_map_new(qala_sdmx_map **out)
{
    *out = qala_mem__calloc(1, sizeof **out);
    if (!*out)
        return qala_err__set(QALA_ENOMEM, "out of memory creating an SDMX mapping");
    qala_strmap__init(&(*out)->to_qala);
    qala_strmap__init(&(*out)->to_sdmx);
    return QALA_OK;
}

void qala_sdmx_map_free(qala_sdmx_map *map)
{
    if (!map)
        return;
    qala_strmap__free(&map->to_qala);
    qala_strmap__free(&map->to_sdmx);
    for (size_t i = 0; i < 3 * map->n; i++)
        qala_mem__free(map->strs[i]);
    qala_mem__free(map->strs);
    qala_mem__free(map);
}

size_t qala_sdmx_map_count(const qala_sdmx_map *map)
{
    return map ? map->n : 0;
}

/* "DIM\x1fCODE" into buf; 0 when it does not fit. */
static size_t key_of(char *buf, size_t size, const char *dim, const char *code)
{
    int n = snprintf(buf, size, "%s\x1f%s", dim, code);
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

static const char *lookup(const qala_sdmx_map *map, const qala_strmap *m, int want,
                          const char *dim, const char *code)
{
    char key[512];
    size_t len;
    if (!map || !(len = key_of(key, sizeof key, dim, code)))
        return NULL;
    int64_t *v = qala_strmap__get(m, key, len);
    return v ? map->strs[3 * (size_t)*v + (size_t)want] : NULL;
}

const char *qala_sdmx_map_to_qala(const qala_sdmx_map *map, const char *dimension, const char *code)
{
    return map ? lookup(map, &map->to_qala, 2, dimension, code) : NULL;
}

const char *qala_sdmx_map_to_sdmx(const qala_sdmx_map *map, const char *dimension, const char *code)
{
    return map ? lookup(map, &map->to_sdmx, 1, dimension, code) : NULL;
}

enum { C_DIM, C_SDMX, C_QALA };
static const qala_table_column columns[] = {
    {"dimension", 1}, {"sdmx_code", 1}, {"qala_code", 1}, {NULL, 0}};

typedef struct row {
    char dim[64], sdmx[160], qala[160];
    long line;
} row;

typedef struct loader {
    qala_table tab;
    qala_reporter r;
    row *rows;
    size_t nrows, cap;
    qala_status failed;
    const qala_sdmx_map *map;
} loader;

static void stage(void *ctx)
{
    loader *ld = ctx;
    if (qala_mem__grow((void **)&ld->rows, &ld->cap, ld->nrows + 1, sizeof *ld->rows) != QALA_OK) {
        ld->failed = QALA_ENOMEM;
        return;
    }
    row *w = &ld->rows[ld->nrows];
    long c0, c1, c2;
    qala_table__text(&ld->tab, C_DIM, w->dim, sizeof w->dim, &c0);
    qala_table__text(&ld->tab, C_SDMX, w->sdmx, sizeof w->sdmx, &c1);
    qala_table__text(&ld->tab, C_QALA, w->qala, sizeof w->qala, &c2);
    int ok = qala_table__required(&ld->tab, C_DIM, w->dim, c0);
    ok &= qala_table__required(&ld->tab, C_SDMX, w->sdmx, c1);
    ok &= qala_table__required(&ld->tab, C_QALA, w->qala, c2);
    w->line = ld->tab.line;
    for (size_t i = 0; ok && i < ld->nrows; i++) {
        const row *o = &ld->rows[i];
        if (strcmp(o->dim, w->dim) != 0)
            continue;
        if (strcmp(o->sdmx, w->sdmx) == 0) {
            qala_reporter__add(&ld->r, QALA_SEVERITY_ERROR, w->line, c1, "duplicate-code",
                               "%s code \"%s\" is already mapped on line %ld", w->dim, w->sdmx, o->line);
            ok = 0;
        } else if (strcmp(o->qala, w->qala) == 0) {
            qala_reporter__add(&ld->r, QALA_SEVERITY_ERROR, w->line, c2, "duplicate-code",
                               "qala code \"%s\" of %s is already mapped on line %ld", w->qala, w->dim,
                               o->line);
            ok = 0;
        }
    }
    if (ok && qala_sdmx_map_to_qala(ld->map, w->dim, w->sdmx)) {
        qala_reporter__add(&ld->r, QALA_SEVERITY_ERROR, w->line, c1, "duplicate-code",
                           "%s code \"%s\" is already mapped by a file read before", w->dim, w->sdmx);
        ok = 0;
    }
    if (ok)
        ld->nrows++;
}

static qala_status add_row(qala_sdmx_map *map, const row *w)
{
    qala_status st = qala_mem__grow((void **)&map->strs, &map->cap, 3 * (map->n + 1), sizeof *map->strs);
    if (st != QALA_OK)
        return st;
    char **s = map->strs + 3 * map->n;
    s[0] = qala_mem__strdup(w->dim);
    s[1] = qala_mem__strdup(w->sdmx);
    s[2] = qala_mem__strdup(w->qala);
    char key[512];
    size_t k1 = key_of(key, sizeof key, w->dim, w->sdmx);
    if (!s[0] || !s[1] || !s[2] ||
        (st = qala_strmap__put(&map->to_qala, key, k1, (int64_t)map->n)) != QALA_OK ||
        (st = qala_strmap__put(&map->to_sdmx, key, key_of(key, sizeof key, w->dim, w->qala),
                               (int64_t)map->n)) != QALA_OK) {
        for (int i = 0; i < 3; i++) {
            qala_mem__free(s[i]);
            s[i] = NULL;
        }
        return st != QALA_OK ? st : qala_err__set(QALA_ENOMEM, "out of memory reading a mapping");
    }
    map->n++;
    return QALA_OK;
}

qala_status qala_sdmx_map_load_csv(qala_sdmx_map *map, const char *text, size_t len,
                                   const char *label, qala_findings *findings)
{
    assert(map && text);
    label = label ? label : "";
    loader ld = {.map = map};
    size_t keep = map->n;
    ld.r = (qala_reporter){findings, label, 0, 0, QALA_OK};
    qala_status st = qala_table__open(&ld.tab, "SDMX mapping", columns, text, len, &ld.r);
    if (st == QALA_OK)
        st = qala_table__stage_all(&ld.tab, &ld.r, &ld.failed, stage, NULL, &ld, label, "SDMX mapping");
    for (size_t i = 0; st == QALA_OK && i < ld.nrows; i++)
        st = add_row(map, &ld.rows[i]);
    if (st != QALA_OK && map->n > keep) {
        /* out of memory half-way: take the rows of this file out again (the hash maps
         * are rebuilt from the rows kept) */
        for (size_t i = 3 * keep; i < 3 * map->n; i++)
            qala_mem__free(map->strs[i]);
        map->n = keep;
        qala_strmap__free(&map->to_qala);
        qala_strmap__free(&map->to_sdmx);
        qala_strmap__init(&map->to_qala);
        qala_strmap__init(&map->to_sdmx);
        for (size_t i = 0; i < keep; i++) {
            char key[512];
            char **w = map->strs + 3 * i;
            /* with rows of earlier files (keep > 0) this rebuild may itself run out of
             * memory; the mapping then lacks rows, and the caller's status is ENOMEM */
            (void)qala_strmap__put(&map->to_qala, key, key_of(key, sizeof key, w[0], w[1]), (int64_t)i);
            (void)qala_strmap__put(&map->to_sdmx, key, key_of(key, sizeof key, w[0], w[2]), (int64_t)i);
        }
    }
    qala_table__close(&ld.tab);
    qala_mem__free(ld.rows);
    return st;
}

/* ---- export ---------------------------------------------------------------------- */

static int id_char(int c, int dot)
{
    return isalnum(c) || c == '_' || c == '-' || (dot && c == '.');
}

qala_status qala_sdmx_check_dataflow(const char *text)
{
    const char *p = text;
    size_t a = 0, i = 0, v = 0;
    while (id_char((unsigned char)p[a], 1))
        a++;
    if (a && p[a] == ':') {
        p += a + 1;
        while (id_char((unsigned char)p[i], 0))
            i++;
        if (i && p[i] == '(') {
            p += i + 1;
            while (isdigit((unsigned char)p[v]) || (v && p[v] == '.'))
                v++;
            if (v && p[v] == ')' && p[v + 1] == '\0' && p[v - 1] != '.')
                return QALA_OK;
        }
    }
    return qala_err__set(QALA_EINVAL,
                         "dataflow \"%.80s\" is not AGENCY:ID(VERSION), e.g. QALA:DF_QALA(1.0)", text);
}

size_t qala_sdmx_format_header(char *buf, size_t size, const qala_sdmx_export_options *o)
{
    int n = snprintf(buf, size, "%sFREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n",
                     o->sdmx_version == 2 ? "STRUCTURE,STRUCTURE_ID,ACTION," : "DATAFLOW,");
    return n < 0 ? 0 : (size_t)n;
}

static const char status_letter[QALA_FLAG_COUNT] = {'A', 'P', 'E', 'B', 'C', 'I'};

/* A code as a CSV field: quoted when it holds a comma, a quote or a line end. */
static size_t put_field(char *buf, size_t size, size_t at, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    size_t n = at;
    if (quote) {
        if (n < size)
            buf[n] = '"';
        n++;
    }
    for (const char *c = s; *c; c++) {
        if (*c == '"' && quote) {
            if (n < size)
                buf[n] = '"';
            n++;
        }
        if (n < size)
            buf[n] = *c;
        n++;
    }
    if (quote) {
        if (n < size)
            buf[n] = '"';
        n++;
    }
    return n;
}

size_t qala_sdmx_format_row(char *buf, size_t size, const qala_sdmx_export_options *o,
                            const char *unit, const char *indicator, qala_period period,
                            double value, qala_flag flag)
{
    const char *u = qala_sdmx_map_to_sdmx(o->map, "REF_AREA", unit);
    const char *ind = qala_sdmx_map_to_sdmx(o->map, "INDICATOR", indicator);
    char per[12], val[40];
    qala_period_format(per, period);
    static const char freq[] = {'A', 'Q', 'M'};
    if (isnan(value)) {
        val[0] = '\0';
    } else {
        /* 15 digits, or 17 when 15 do not read back as the same double */
        snprintf(val, sizeof val, "%.15g", value);
        if (strtod(val, NULL) != value)
            snprintf(val, sizeof val, "%.17g", value);
    }
    size_t n = 0;
    char head[256];
    if (o->sdmx_version == 2)
        snprintf(head, sizeof head, "dataflow,%s,I,%c,", o->dataflow, freq[qala_period_frequency(period)]);
    else
        snprintf(head, sizeof head, "%s,%c,", o->dataflow, freq[qala_period_frequency(period)]);
    for (const char *c = head; *c; c++, n++)
        if (n < size)
            buf[n] = *c;
    n = put_field(buf, size, n, u ? u : unit);
    if (n < size)
        buf[n] = ',';
    n++;
    n = put_field(buf, size, n, ind ? ind : indicator);
    char tail[96];
    snprintf(tail, sizeof tail, ",%s,%s,%c\n", per, val,
             (unsigned)flag < QALA_FLAG_COUNT ? status_letter[flag] : 'A');
    for (const char *c = tail; *c; c++, n++)
        if (n < size)
            buf[n] = *c;
    if (size)
        buf[n < size ? n : size - 1] = '\0';
    return n;
}
