/* COINr's ASEM example: Denominated → Imputed by group mean within Group_EurAsia
 * (expected/ASEM_COIN_Imputed.csv), every cell to 1e-9 relative, and the cells imputed
 * exactly the missing cells of expected/ASEM_COIN_Denominated.csv. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "coinr_table.h"
#include "qala/impute.h"

static int rel_close(double a, double b, double rel)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= rel * fabs(b);
}

Test(impute_coinr, asem_group_mean_by_eurasia_every_cell)
{
    coinr_table den, imp, meta;
    coinr_load(&den, "expected/ASEM_COIN_Denominated.csv");
    coinr_load(&imp, "expected/ASEM_COIN_Imputed.csv");
    coinr_load(&meta, "expected/ASEM_COIN_IndMeta.csv");
    size_t n = den.nrows;
    cr_assert_eq(n, 51);
    cr_assert_eq(imp.nrows, n);
    uint32_t group[51];
    size_t gcol = coinr_col(&den, "Group_EurAsia");
    for (size_t i = 0; i < n; i++) {
        const char *g = den.text[i * den.ncols + gcol];
        cr_assert(strcmp(g, "Asia") == 0 || strcmp(g, "Europe") == 0, "group %s", g);
        group[i] = strcmp(g, "Europe") == 0;
        cr_assert_str_eq(den.text[i * den.ncols], imp.text[i * imp.ncols]);
    }
    qala_impute_spec s = {.method = QALA_IMPUTE_GROUP_MEAN, .group = group, .ngroups = 2};
    size_t missing = 0, filled = 0, icol = coinr_col(&meta, "IndCode");
    for (size_t r = 0; r < meta.nrows; r++) {
        const char *code = meta.text[r * meta.ncols + icol];
        double x[51], orig[51];
        uint8_t f[51] = {0};
        coinr_column(&den, code, x);
        memcpy(orig, x, sizeof x);
        qala_impute_report rep;
        cr_assert_eq(qala_impute(f, &rep, x, 1, n, &s), QALA_OK);
        cr_expect_eq(rep.n_left, 0, "%s: %zu left missing", code, rep.n_left);
        missing += rep.n_missing;
        filled += rep.n_filled;
        for (size_t i = 0; i < n; i++) {
            const char *unit = den.text[i * den.ncols];
            double want = coinr_get(&imp, unit, code);
            cr_expect(rel_close(x[i], want, 1e-9), "%s/%s: %.17g, COINr %.17g", unit, code,
                      x[i], want);
            /* flagged exactly where Denominated is missing; observed cells bit-identical */
            cr_expect_eq(f[i], isnan(orig[i]) ? QALA_IMPUTE_GROUP_MEAN : 0, "%s/%s flag", unit,
                         code);
            if (!isnan(orig[i]))
                cr_expect(memcmp(&x[i], &orig[i], sizeof x[i]) == 0);
        }
    }
    /* 65 NA cells in ASEM_COIN_Denominated.csv, all filled */
    cr_expect_eq(missing, 65);
    cr_expect_eq(filled, 65);
    coinr_free(&den);
    coinr_free(&imp);
    coinr_free(&meta);
}
