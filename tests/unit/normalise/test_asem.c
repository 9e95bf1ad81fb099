/* Conformance: COINr's own Treated table (../shared/data/coinr-asem/expected), normalised
 * here with minmax [0,100] and each indicator's Direction from ASEM_COIN_IndMeta.csv, must
 * give COINr's Normalised table cell by cell to 1e-9 relative; and the same through the
 * pooled-parameter path (params_add over two halves, apply to each half). */
#include <criterion/criterion.h>
#include <math.h>

#include "coinr_table.h"
#include "qala/normalise.h"

static size_t check_all(int pooled)
{
    coinr_table tr, no, meta;
    coinr_load(&tr, "expected/ASEM_COIN_Treated.csv");
    coinr_load(&no, "expected/ASEM_COIN_Normalised.csv");
    coinr_load(&meta, "expected/ASEM_COIN_IndMeta.csv");
    cr_assert_eq(tr.nrows, no.nrows);
    size_t n = tr.nrows, code = coinr_col(&meta, "IndCode"), dir = coinr_col(&meta, "Direction");
    double *x = malloc(n * sizeof *x), *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
    qala_normalise_spec spec;
    qala_normalise_spec_init(&spec, QALA_NORM_MINMAX); /* [0,100], COINr's default */
    size_t cells = 0, reversed = 0;
    for (size_t k = 0; k < meta.nrows; k++) {
        const char *ind = meta.text[k * meta.ncols + code];
        int d = (int)meta.value[k * meta.ncols + dir];
        cr_assert(d == 1 || d == -1, "%s: direction %d", ind, d);
        reversed += d == -1;
        coinr_column(&tr, ind, x);
        coinr_column(&no, ind, want);
        unsigned flags = 99;
        if (!pooled) {
            cr_assert_eq(qala_normalise(got, 1, x, 1, n, d, &spec, &flags), QALA_OK, "%s", ind);
        } else {
            size_t h = n / 2;
            qala_normalise_params p;
            qala_normalise_params_init(&p);
            cr_assert_eq(qala_normalise_params_add(&p, x, 1, h, d, &spec), QALA_OK);
            cr_assert_eq(qala_normalise_params_add(&p, x + h, 1, n - h, d, &spec), QALA_OK);
            cr_assert_eq(qala_normalise_apply(got, 1, x, 1, h, d, &spec, &p, &flags), QALA_OK);
            cr_assert_eq(qala_normalise_apply(got + h, 1, x + h, 1, n - h, d, &spec, &p, &flags), QALA_OK);
        }
        cr_expect_eq(flags, 0, "%s: flags %u", ind, flags);
        for (size_t i = 0; i < n; i++) {
            cr_expect(coinr_close(got[i], want[i], 1e-9), "%s %s: got %.17g, COINr %.17g", ind,
                      tr.text[i * tr.ncols], got[i], want[i]);
            cells++;
        }
    }
    cr_expect_gt(reversed, 0, "some ASEM indicators have direction -1");
    free(x);
    free(want);
    free(got);
    coinr_free(&tr);
    coinr_free(&no);
    coinr_free(&meta);
    return cells;
}

Test(normalise_asem, treated_to_normalised_every_cell)
{
    /* 49 indicators x 51 countries. */
    cr_expect_eq(check_all(0), 49 * 51);
}

Test(normalise_asem, pooled_parameters_give_the_same_cells)
{
    cr_expect_eq(check_all(1), 49 * 51);
}
