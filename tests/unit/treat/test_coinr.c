/* COINr's ASEM example: Imputed → Treated with the default treatment as the old COINr
 * that made expected/ ran it (winmax = ceil(0.1 · 51 units) = 6, CTlog fallback), every
 * cell of expected/ASEM_COIN_Treated.csv to 1e-9 relative, and per indicator the Low and
 * High counts and the Treatment text of expected/ASEM_COIN_TreatSummary.csv. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "coinr_table.h"
#include <gsl/gsl_statistics_double.h>

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

/* qala's two-pass moments against GSL's long-double ones (gsl_stats_skew and
 * gsl_stats_kurtosis divide by the n − 1 standard deviation; converted to type 2 as in
 * docs/methods-treat.md) on every column of COINr's Imputed table: 1e-12 relative. */
Test(treat_coinr, skew_and_kurtosis_agree_with_gsl_on_every_asem_column)
{
    coinr_table t;
    coinr_load(&t, "expected/ASEM_COIN_Imputed.csv");
    double *col = malloc(t.nrows * sizeof *col), *obs = malloc(t.nrows * sizeof *obs);
    size_t checked = 0;
    for (size_t j = 0; j < t.ncols; j++) {
        if (strncmp(t.header[j], "Group_", 6) == 0 || strcmp(t.header[j], "Year") == 0)
            continue;
        coinr_column(&t, t.header[j], col);
        size_t m = 0;
        for (size_t i = 0; i < t.nrows; i++)
            if (!isnan(col[i]))
                obs[m++] = col[i];
        if (m < 4)
            continue;
        double sk, ku;
        cr_assert_eq(qala_treat_skew_kurt(&sk, &ku, col, 1, t.nrows), QALA_OK);
        double dm = (double)m, f = dm / (dm - 1);
        double g1 = gsl_stats_skew(obs, 1, m) * pow(f, 1.5);
        double gskew = g1 * sqrt(dm * (dm - 1)) / (dm - 2);
        double g2 = (gsl_stats_kurtosis(obs, 1, m) + 3) * f * f - 3;
        double gkurt = ((dm + 1) * g2 + 6) * (dm - 1) / ((dm - 2) * (dm - 3));
        cr_assert(fabs(sk - gskew) <= 1e-12 * fabs(gskew), "%s: skew %.17g, GSL %.17g",
                  t.header[j], sk, gskew);
        cr_assert(fabs(ku - gkurt) <= 1e-12 * fabs(gkurt), "%s: kurt %.17g, GSL %.17g",
                  t.header[j], ku, gkurt);
        checked++;
    }
    cr_assert_eq(checked, 49, "every indicator column");
    free(col);
    free(obs);
    coinr_free(&t);
}
