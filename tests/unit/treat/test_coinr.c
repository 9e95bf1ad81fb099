/* COINr's ASEM example: Imputed → Treated with the default treatment as the old COINr
 * that made expected/ ran it (winmax = ceil(0.1 · 51 units) = 6, CTlog fallback), every
 * cell of expected/ASEM_COIN_Treated.csv to 1e-9 relative, and per indicator the Low and
 * High counts and the Treatment text of expected/ASEM_COIN_TreatSummary.csv. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "coinr_table.h"
#include "qala/treat.h"

static int rel_close(double a, double b, double rel)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= rel * fabs(b);
}

Test(treat_coinr, asem_default_treatment_every_cell_and_summary)
{
    coinr_table imp, tre, sum;
    coinr_load(&imp, "expected/ASEM_COIN_Imputed.csv");
    coinr_load(&tre, "expected/ASEM_COIN_Treated.csv");
    coinr_load(&sum, "expected/ASEM_COIN_TreatSummary.csv");
    size_t n = imp.nrows;
    cr_assert_eq(n, 51);
    cr_assert_eq(sum.nrows, 49);
    qala_treat_spec spec = QALA_TREAT_SPEC_DEFAULT;
    spec.winmax = (n + 9) / 10; /* ceil(0.1 · 51) = 6 */
    size_t code_col = coinr_col(&sum, "IndCode"), low_col = coinr_col(&sum, "Low"),
           high_col = coinr_col(&sum, "High"), spec_col = coinr_col(&sum, "TreatSpec"),
           text_col = coinr_col(&sum, "Treatment");
    size_t winsorised = 0, cells = 0;
    for (size_t r = 0; r < sum.nrows; r++) {
        const char *code = sum.text[r * sum.ncols + code_col];
        cr_expect_str_eq(sum.text[r * sum.ncols + spec_col], "Default, winmax = 6");
        double x[51];
        uint8_t f[51];
        coinr_column(&imp, code, x);
        qala_treat_report rep;
        cr_assert_eq(qala_treat(f, &rep, x, 1, n, &spec), QALA_OK, "%s: %s", code,
                     qala_error_last()->message);
        cr_expect_eq((double)rep.n_low, sum.value[r * sum.ncols + low_col], "%s Low", code);
        cr_expect_eq((double)rep.n_high, sum.value[r * sum.ncols + high_col], "%s High", code);
        char text[128];
        qala_treat_describe(text, sizeof text, &rep, &spec);
        cr_expect_str_eq(text, sum.text[r * sum.ncols + text_col], "%s", code);
        winsorised += rep.outcome == QALA_TREAT_WINSORISED;
        size_t flagged = 0;
        for (size_t i = 0; i < n; i++, cells++) {
            const char *unit = imp.text[i * imp.ncols];
            double want = coinr_get(&tre, unit, code);
            cr_expect(rel_close(x[i], want, 1e-9), "%s/%s: %.17g, COINr %.17g", unit, code,
                      x[i], want);
            flagged += f[i] != QALA_TREAT_FLAG_NONE;
        }
        cr_expect_eq(flagged, rep.n_low + rep.n_high, "%s flags", code);
    }
    /* 15 indicators winsorised, none transformed, in TreatSummary.csv */
    cr_expect_eq(winsorised, 15);
    cr_expect_eq(cells, 51 * 49);
    coinr_free(&imp);
    coinr_free(&tre);
    coinr_free(&sum);
}
