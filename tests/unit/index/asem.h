/* tests/unit/index/asem.h — COINr's ASEM example as a qala index tree and pipeline input,
 * for the pipeline tests. The tree comes from ../shared/data/coinr-asem/COINr_ASEM_iMeta.csv
 * (Type Indicator and Aggregate rows: iCode, Parent, Direction, Weight, Denominator; the
 * level computed from the tree and checked against the file's Level), the input from
 * COINr_ASEM_iData.csv or the 5-year panel COINr_ASEM_iData_p.csv (uCode, Time, the group
 * columns GDP_group ... EurAsia_group as groupings, every numeric column after Time as a
 * data column: the denominators Area, Energy, GDP, Population and the 49 indicators).
 *
 * Settings as the old COINr that made expected/: impute group_mean over EurAsia_group,
 * treat winmax 6, skew 2, kurt 3.5, log_ct (docs/methods-treat.md), normalise minmax
 * [0,100], aggregate arithmetic with the file's weights (all 1).
 */
#ifndef QALA_TEST_INDEX_ASEM_H
#define QALA_TEST_INDEX_ASEM_H

#include <stdint.h>
#include <stdlib.h>

#include "coinr_table.h"
#include "qala/index.h"

#define ASEM_MAXN 80
#define ASEM_MAXU 64
#define ASEM_MAXP 8
#define ASEM_NGROUPINGS 4

typedef struct asem_grouping {
    const char *codes[ASEM_MAXU];
    uint32_t ids[ASEM_MAXU];
} asem_grouping;

typedef struct asem {
    coinr_table meta, data;
    qala_index_node nodes[ASEM_MAXN];
    qala_index_tree tree;
    size_t nunits, nperiods, ncols;
    const char *units[ASEM_MAXU];
    qala_period periods[ASEM_MAXP];
    const char *col_codes[ASEM_MAXN];
    double *cols[ASEM_MAXN];
    asem_grouping gdata[ASEM_NGROUPINGS];
    qala_index_grouping groupings[ASEM_NGROUPINGS];
    qala_index_input input;
} asem;

static const char *const asem_group_cols[ASEM_NGROUPINGS] = {"GDP_group", "GDPpc_group",
                                                             "Pop_group", "EurAsia_group"};

static inline const char *asem_cell(const coinr_table *t, size_t row, const char *col)
{
    size_t j = coinr_col(t, col);
    cr_assert(j != (size_t)-1, "no column %s", col);
    return t->text[row * t->ncols + j];
}

static inline size_t asem_node(const asem *a, const char *code)
{
    for (size_t i = 0; i < a->tree.nnodes; i++)
        if (strcmp(a->nodes[i].code, code) == 0)
            return i;
    return (size_t)-1;
}

static inline void asem_tree(asem *a)
{
    const coinr_table *m = &a->meta;
    size_t n = 0;
    /* indicators first, in file order; then aggregates (the file lists them by level) */
    for (int pass = 0; pass < 2; pass++)
        for (size_t r = 0; r < m->nrows; r++) {
            const char *type = asem_cell(m, r, "Type");
            if (strcmp(type, pass == 0 ? "Indicator" : "Aggregate") != 0)
                continue;
            cr_assert_lt(n, ASEM_MAXN);
            qala_index_node *nd = &a->nodes[n++];
            qala_index_node_init(nd, pass == 0 ? QALA_INDEX_INDICATOR : QALA_INDEX_AGGREGATE,
                                 asem_cell(m, r, "iCode"));
            nd->weight = atof(asem_cell(m, r, "Weight"));
            if (pass == 0) {
                nd->direction = atoi(asem_cell(m, r, "Direction"));
                const char *den = asem_cell(m, r, "Denominator");
                nd->denominator = den[0] ? den : NULL;
                nd->treat_spec.winmax = 6; /* ceil(0.1 * 51): "Default, winmax = 6" */
                nd->treat_spec.skew_limit = 2;
                nd->treat_spec.kurt_limit = 3.5;
                nd->treat_spec.transform = QALA_TREAT_LOG_CT;
            }
        }
    a->tree.nodes = a->nodes;
    a->tree.nnodes = n;
    a->tree.nindicators = 0;
    while (a->tree.nindicators < n && a->nodes[a->tree.nindicators].kind == QALA_INDEX_INDICATOR)
        a->tree.nindicators++;
    /* parents by code, then levels from the tree (children come before parents) */
    for (size_t i = 0; i < n; i++) {
        for (size_t mr = 0; mr < m->nrows; mr++)
            if (strcmp(asem_cell(m, mr, "iCode"), a->nodes[i].code) == 0) {
                const char *par = asem_cell(m, mr, "Parent");
                a->nodes[i].parent = par[0] ? asem_node(a, par) : QALA_INDEX_NONE;
                cr_assert(!par[0] || a->nodes[i].parent != (size_t)-1, "parent %s", par);
            }
        a->nodes[i].level = a->nodes[i].kind == QALA_INDEX_INDICATOR ? 1 : 0;
    }
    for (size_t i = 0; i < n; i++)
        if (a->nodes[i].parent != QALA_INDEX_NONE) {
            qala_index_node *p = &a->nodes[a->nodes[i].parent];
            if (p->level < a->nodes[i].level + 1)
                p->level = a->nodes[i].level + 1;
        }
    for (size_t i = a->tree.nindicators; i < n; i++)
        for (size_t mr = 0; mr < m->nrows; mr++)
            if (strcmp(asem_cell(m, mr, "iCode"), a->nodes[i].code) == 0)
                cr_assert_eq(a->nodes[i].level, atoi(asem_cell(m, mr, "Level")), "%s level",
                             a->nodes[i].code);
    a->tree.nlevels = a->nodes[n - 1].level;
    qala_index_settings_init(&a->tree.settings);
    a->tree.settings.impute = QALA_IMPUTE_GROUP_MEAN;
    strcpy(a->tree.settings.impute_group, "EurAsia_group");
}

/* Loads the tree and the input of `datafile` (relative to coinr-asem/). */
static inline void asem_load(asem *a, const char *datafile)
{
    memset(a, 0, sizeof *a);
    coinr_load(&a->meta, "COINr_ASEM_iMeta.csv");
    coinr_load(&a->data, datafile);
    asem_tree(a);
    const coinr_table *d = &a->data;
    /* units in order of first appearance, periods ascending */
    for (size_t r = 0; r < d->nrows; r++) {
        const char *u = asem_cell(d, r, "uCode");
        size_t k = 0;
        while (k < a->nunits && strcmp(a->units[k], u) != 0)
            k++;
        if (k == a->nunits) {
            cr_assert_lt(a->nunits, ASEM_MAXU);
            a->units[a->nunits++] = u;
        }
        qala_period per = (qala_period)(atoi(asem_cell(d, r, "Time")) * 100);
        size_t p = 0;
        while (p < a->nperiods && a->periods[p] != per)
            p++;
        if (p == a->nperiods) {
            cr_assert_lt(a->nperiods, ASEM_MAXP);
            a->periods[a->nperiods++] = per;
        }
    }
    for (size_t i = 1; i < a->nperiods; i++) /* insertion sort */
        for (size_t j = i; j > 0 && a->periods[j] < a->periods[j - 1]; j--) {
            qala_period t = a->periods[j];
            a->periods[j] = a->periods[j - 1];
            a->periods[j - 1] = t;
        }
    size_t first = coinr_col(d, "Time") + 1, nu = a->nunits, np = a->nperiods;
    a->ncols = d->ncols - first;
    for (size_t c = 0; c < a->ncols; c++) {
        a->col_codes[c] = d->header[first + c];
        a->cols[c] = malloc(nu * np * sizeof(double));
        cr_assert_not_null(a->cols[c]);
        for (size_t i = 0; i < nu * np; i++)
            a->cols[c][i] = NAN;
    }
    for (size_t r = 0; r < d->nrows; r++) {
        const char *u = asem_cell(d, r, "uCode");
        size_t k = 0, p = 0;
        while (strcmp(a->units[k], u) != 0)
            k++;
        qala_period per = (qala_period)(atoi(asem_cell(d, r, "Time")) * 100);
        while (a->periods[p] != per)
            p++;
        for (size_t c = 0; c < a->ncols; c++)
            a->cols[c][p * nu + k] = d->value[r * d->ncols + first + c];
    }
    for (size_t g = 0; g < ASEM_NGROUPINGS; g++) {
        asem_grouping *gd = &a->gdata[g];
        size_t ng = 0;
        for (size_t k = 0; k < nu; k++) {
            /* the group of the unit's first row */
            size_t r = 0;
            while (strcmp(asem_cell(d, r, "uCode"), a->units[k]) != 0)
                r++;
            const char *v = asem_cell(d, r, asem_group_cols[g]);
            size_t id = 0;
            while (id < ng && strcmp(gd->codes[id], v) != 0)
                id++;
            if (id == ng)
                gd->codes[ng++] = v;
            gd->ids[k] = (uint32_t)id;
        }
        a->groupings[g] = (qala_index_grouping){asem_group_cols[g], ng, gd->codes, gd->ids};
    }
    a->input = (qala_index_input){nu, a->units, np, a->periods, a->ncols, a->col_codes,
                                  (const double *const *)a->cols, ASEM_NGROUPINGS,
                                  a->groupings};
}

static inline void asem_free(asem *a)
{
    for (size_t c = 0; c < a->ncols; c++)
        free(a->cols[c]);
    coinr_free(&a->meta);
    coinr_free(&a->data);
}

/* Index of an input column by code, or (size_t)-1. */
static inline size_t asem_column(const asem *a, const char *code)
{
    for (size_t c = 0; c < a->ncols; c++)
        if (strcmp(a->col_codes[c], code) == 0)
            return c;
    return (size_t)-1;
}

#endif
