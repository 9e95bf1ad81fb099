/* Conformance with COINr's ASEM example: starting from COINr's own Normalised table, the
 * weighted arithmetic mean up the tree of ASEM_COIN_Structure.csv (IndCode → Agg1 → Agg2
 * → Agg3), with the weights of ASEM_COIN_IndMeta.csv (IndWeight) and ASEM_COIN_AggMeta.csv
 * (Weight), gives every aggregate column of COINr's ASEM_COIN_Aggregated.csv to 1e-9
 * relative. Files: ../shared/data/coinr-asem/expected/ (COINr's outputs: the oracle). */
#include <stdint.h>

#include "coinr_table.h"
#include "qala/aggregate.h"

#define MAXCH 64

typedef struct asem {
    coinr_table norm, agg, structure, indmeta, aggmeta;
} asem;

static asem A;

static void load(void)
{
    coinr_load(&A.norm, "expected/ASEM_COIN_Normalised.csv");
    coinr_load(&A.agg, "expected/ASEM_COIN_Aggregated.csv");
    coinr_load(&A.structure, "expected/ASEM_COIN_Structure.csv");
    coinr_load(&A.indmeta, "expected/ASEM_COIN_IndMeta.csv");
    coinr_load(&A.aggmeta, "expected/ASEM_COIN_AggMeta.csv");
}

static void unload(void)
{
    coinr_free(&A.norm);
    coinr_free(&A.agg);
    coinr_free(&A.structure);
    coinr_free(&A.indmeta);
    coinr_free(&A.aggmeta);
}

TestSuite(aggregate_coinr, .init = load, .fini = unload);

/* Copies a code into a fixed buffer of 32 bytes (codes of the ASEM files are short). */
static void put_code(char dst[32], const char *src)
{
    size_t len = strlen(src);
    cr_assert_lt(len, 32, "code %s too long", src);
    memcpy(dst, src, len + 1);
}

static const char *cell(const coinr_table *t, size_t row, const char *col)
{
    size_t j = coinr_col(t, col);
    cr_assert(j != (size_t)-1, "no column %s", col);
    return t->text[row * t->ncols + j];
}

/* Weight of a code: IndMeta's IndWeight for an indicator, AggMeta's Weight otherwise. */
static double weight_of(const char *code)
{
    for (size_t i = 0; i < A.indmeta.nrows; i++)
        if (strcmp(cell(&A.indmeta, i, "IndCode"), code) == 0)
            return A.indmeta.value[i * A.indmeta.ncols + coinr_col(&A.indmeta, "IndWeight")];
    for (size_t i = 0; i < A.aggmeta.nrows; i++)
        if (strcmp(cell(&A.aggmeta, i, "Code"), code) == 0)
            return A.aggmeta.value[i * A.aggmeta.ncols + coinr_col(&A.aggmeta, "Weight")];
    cr_assert_fail("no weight for %s", code);
    return NAN;
}

/* The distinct children of each parent at one level of Structure.csv: child column
 * `from`, parent column `to`, in order of first appearance. */
typedef struct group {
    char parent[32];
    const char *child[MAXCH];
    size_t m;
} group;

static size_t groups_of(group *g, size_t cap, const char *from, const char *to)
{
    size_t ng = 0;
    for (size_t r = 0; r < A.structure.nrows; r++) {
        const char *c = cell(&A.structure, r, from), *p = cell(&A.structure, r, to);
        size_t k = 0;
        while (k < ng && strcmp(g[k].parent, p) != 0)
            k++;
        if (k == ng) {
            cr_assert_lt(ng, cap);
            put_code(g[ng].parent, p);
            g[ng].m = 0;
            ng++;
        }
        size_t s = 0;
        while (s < g[k].m && strcmp(g[k].child[s], c) != 0)
            s++;
        if (s == g[k].m) {
            cr_assert_lt(g[k].m, MAXCH);
            g[k].child[g[k].m++] = c;
        }
    }
    return ng;
}

/* Columns computed so far (the Normalised table, then each level's results). */
typedef struct cols {
    char name[64][32];
    double *v[64];
    size_t count;
} cols;

static const double *column(cols *c, const char *name)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->name[i], name) == 0)
            return c->v[i];
    cr_assert_fail("column %s not computed", name);
    return NULL;
}

Test(aggregate_coinr, normalised_table_has_no_missing_cells)
{
    /* Availability: COINr's a_amean drops NA children and renormalises the weights; the
     * ASEM Normalised table is complete (imputation came before), so the availability
     * path is not exercised by these files (see test_methods.c for it). */
    size_t first = coinr_col(&A.norm, "Goods"), nan = 0;
    for (size_t i = 0; i < A.norm.nrows; i++)
        for (size_t j = first; j < A.norm.ncols; j++)
            nan += isnan(A.norm.value[i * A.norm.ncols + j]) != 0;
    cr_expect_eq(nan, 0);
    cr_expect_eq(A.norm.nrows, 51);
    cr_expect_eq(A.norm.ncols - first, 49);
}

Test(aggregate_coinr, every_aggregate_column_matches_to_1e9)
{
    const size_t n = A.norm.nrows;
    cr_assert_eq(A.agg.nrows, n);
    cr_assert_leq(n, 64);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(A.norm.text[i * A.norm.ncols], A.agg.text[i * A.agg.ncols]);

    cols c = {0};
    for (size_t r = 0; r < A.structure.nrows; r++) {
        const char *code = cell(&A.structure, r, "IndCode");
        put_code(c.name[c.count], code);
        c.v[c.count] = malloc(n * sizeof(double));
        coinr_column(&A.norm, code, c.v[c.count]);
        c.count++;
    }

    static const char *levels[][2] = {{"IndCode", "Agg1"}, {"Agg1", "Agg2"}, {"Agg2", "Agg3"}};
    size_t checked = 0;
    double *block = malloc(n * MAXCH * sizeof(double));
    for (size_t l = 0; l < 3; l++) {
        group g[16];
        size_t ng = groups_of(g, 16, levels[l][0], levels[l][1]);
        for (size_t k = 0; k < ng; k++) {
            double w[MAXCH];
            for (size_t j = 0; j < g[k].m; j++) {
                memcpy(block + j * n, column(&c, g[k].child[j]), n * sizeof(double));
                w[j] = weight_of(g[k].child[j]);
            }
            double *out = malloc(n * sizeof(double));
            uint8_t flags[64];
            qala_agg_report rep;
            qala_agg_spec spec = {.method = QALA_AGG_ARITHMETIC};
            cr_assert_eq(qala_agg_node(out, flags, &rep, block, n, g[k].m, 1, n, w, &spec),
                         QALA_OK, "%s", qala_error_last()->message);
            cr_expect_eq(rep.n_missing, 0);
            for (size_t i = 0; i < n; i++) {
                double want = coinr_get(&A.agg, A.agg.text[i * A.agg.ncols], g[k].parent);
                cr_expect(coinr_close(out[i], want, 1e-9), "%s %s: %.15g, COINr %.15g",
                          A.agg.text[i * A.agg.ncols], g[k].parent, out[i], want);
                cr_expect_eq(flags[i], 0);
                checked++;
            }
            cr_assert_lt(c.count, 64);
            put_code(c.name[c.count], g[k].parent);
            c.v[c.count++] = out;
        }
    }
    /* 8 pillars + 2 sub-indices + the index, 51 units each. */
    cr_expect_eq(checked, 11 * 51);
    /* Published (README of coinr-asem): CHE 68.38, NLD 64.82, IND 39.79. */
    cr_expect(fabs(coinr_get(&A.agg, "CHE", "Index") - 68.38) < 0.005);
    free(block);
    for (size_t i = 0; i < c.count; i++)
        free(c.v[i]);
}

Test(aggregate_coinr, effective_weights_give_the_index_in_one_sum)
{
    /* The tree Index ← Conn/Sust ← 8 pillars ← 49 indicators, equal weights: each
     * indicator's effective weight is 1/(indicators in its pillar) · 1/(pillars in its
     * sub-index) · 1/2, and with no missing data Index = Σ eff_i · x_i. */
    const size_t nind = A.structure.nrows;
    size_t nnodes = 0;
    char code[80][32];
    size_t parent[80];
    double w[80];
    static const char *colname[] = {"IndCode", "Agg1", "Agg2", "Agg3"};
    size_t idx[4];
    for (size_t r = 0; r < nind; r++) {
        for (int l = 3; l >= 0; l--) {
            const char *cd = cell(&A.structure, r, colname[l]);
            size_t k = 0;
            while (k < nnodes && strcmp(code[k], cd) != 0)
                k++;
            if (k == nnodes) {
                cr_assert_lt(nnodes, 80);
                put_code(code[k], cd);
                parent[k] = l == 3 ? QALA_AGG_ROOT : idx[l + 1];
                w[k] = l == 3 ? 1 : weight_of(cd);
                nnodes++;
            }
            idx[l] = k;
        }
    }
    cr_assert_eq(nnodes, 1 + 2 + 8 + 49);
    double eff[80];
    cr_assert_eq(qala_agg_effective_weights(eff, parent, w, nnodes), QALA_OK);
    double total = 0;
    for (size_t k = 0; k < nnodes; k++)
        if (coinr_col(&A.norm, code[k]) != (size_t)-1 && strcmp(code[k], "Index") != 0)
            total += eff[k];
    cr_expect_float_eq(total, 1.0, 1e-12);
    for (size_t i = 0; i < A.norm.nrows; i++) {
        const char *unit = A.norm.text[i * A.norm.ncols];
        double s = 0;
        for (size_t r = 0; r < nind; r++) {
            const char *ind = cell(&A.structure, r, "IndCode");
            size_t k = 0;
            while (strcmp(code[k], ind) != 0)
                k++;
            s += eff[k] * coinr_get(&A.norm, unit, ind);
        }
        double want = coinr_get(&A.agg, unit, "Index");
        cr_expect(coinr_close(s, want, 1e-9), "%s: %.15g, COINr %.15g", unit, s, want);
    }
}
