/* Denomination: hand-computed ratios, missing and zero denominators, strides and scale,
 * bad arguments, and COINr's ASEM example (Raw → Denominated, every cell). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "coinr_table.h"
#include "qala/denominate.h"

Test(denominate, divides_unit_by_unit)
{
    double x[] = {10, 3, -4, 0};
    double d[] = {4, 2, 8, 5};
    size_t nz = 99;
    cr_assert_eq(qala_denominate(&nz, x, 1, 4, d, 1, 1), QALA_OK);
    /* 10/4 = 2.5, 3/2 = 1.5, -4/8 = -0.5, 0/5 = 0 */
    cr_expect_eq(x[0], 2.5);
    cr_expect_eq(x[1], 1.5);
    cr_expect_eq(x[2], -0.5);
    cr_expect_eq(x[3], 0);
    cr_expect_eq(nz, 0);
}

Test(denominate, zero_denominator_and_missing_values_give_nan)
{
    double x[] = {1, NAN, 5, 0, 7, 2};
    double d[] = {0, 2, NAN, 0, INFINITY, 4};
    size_t nz = 0;
    cr_assert_eq(qala_denominate(&nz, x, 1, 6, d, 1, 1), QALA_OK);
    /* R would give 1/0 = Inf and 0/0 = NaN; qala gives NAN for both. */
    cr_expect(isnan(x[0]));
    cr_expect(isnan(x[1]));
    cr_expect(isnan(x[2]));
    cr_expect(isnan(x[3]));
    cr_expect(isnan(x[4]));
    cr_expect_eq(x[5], 0.5);
    /* zero denominators with a numerator present: cells 0 and 3 */
    cr_expect_eq(nz, 2);
}

Test(denominate, strides_and_scale)
{
    /* x is column 1 of a 3 × 2 row-major block, d every third value */
    double x[] = {9, 100, 9, 50, 9, 30};
    double d[] = {4, -1, -1, 10, -1, -1, 3};
    cr_assert_eq(qala_denominate(NULL, x + 1, 2, 3, d, 3, 1000), QALA_OK);
    /* 100/4·1000 = 25000, 50/10·1000 = 5000, 30/3·1000 = 10000 */
    cr_expect_eq(x[1], 25000);
    cr_expect_eq(x[3], 5000);
    cr_expect_eq(x[5], 10000);
    cr_expect_eq(x[0], 9);
    cr_expect_eq(x[2], 9);
    cr_expect_eq(x[4], 9);
}

Test(denominate, empty_column_is_fine)
{
    size_t nz = 5;
    cr_expect_eq(qala_denominate(&nz, NULL, 1, 0, NULL, 1, 1), QALA_OK);
    cr_expect_eq(nz, 0);
}

Test(denominate, bad_arguments_are_refused_with_x_unchanged)
{
    double x[] = {1, 2}, d[] = {1, 2};
    cr_expect_eq(qala_denominate(NULL, NULL, 1, 2, d, 1, 1), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "denominate: x and d must not be NULL when n > 0");
    cr_expect_eq(qala_denominate(NULL, x, 1, 2, NULL, 1, 1), QALA_EINVAL);
    cr_expect_eq(qala_denominate(NULL, x, 0, 2, d, 1, 1), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "denominate: strides must be at least 1");
    cr_expect_eq(qala_denominate(NULL, x, 1, 2, d, 0, 1), QALA_EINVAL);
    cr_expect_eq(qala_denominate(NULL, x, 1, 2, d, 1, 0), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "denominate: scale must be finite and non-zero, not 0");
    cr_expect_eq(qala_denominate(NULL, x, 1, 2, d, 1, NAN), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "denominate: scale must be finite and non-zero, not nan");
    cr_expect(x[0] == 1 && x[1] == 2);
}

/* The old COINr's indicator metadata (expected/ASEM_COIN_IndMeta.csv) names denominators
 * "Den_GDP", ...; the input data (COINr_ASEM_iData.csv) has them as columns GDP,
 * Population, Area and Energy, and the new metadata (COINr_ASEM_iMeta.csv) names those
 * columns directly. The test checks that both metadata files agree under this map. */
static const char *const den_map[][2] = {
    {"Den_GDP", "GDP"}, {"Den_Pop", "Population"}, {"Den_Area", "Area"}, {"Den_Energy", "Energy"}};

static const char *den_column(const char *name)
{
    for (size_t k = 0; k < sizeof den_map / sizeof den_map[0]; k++)
        if (strcmp(name, den_map[k][0]) == 0)
            return den_map[k][1];
    cr_assert_fail("unknown denominator %s", name);
    return NULL;
}

/* Pure relative difference (exact at 0), both NAN counts as equal. */
static int rel_close(double a, double b, double rel)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= rel * fabs(b);
}

Test(denominate, coinr_asem_raw_to_denominated_every_cell)
{
    coinr_table raw, den, data, meta, imeta;
    coinr_load(&raw, "expected/ASEM_COIN_Raw.csv");
    coinr_load(&den, "expected/ASEM_COIN_Denominated.csv");
    coinr_load(&data, "COINr_ASEM_iData.csv");
    coinr_load(&meta, "expected/ASEM_COIN_IndMeta.csv");
    coinr_load(&imeta, "COINr_ASEM_iMeta.csv");
    size_t n = raw.nrows;
    cr_assert_eq(n, 51);
    cr_assert_eq(den.nrows, n);
    cr_assert_eq(data.nrows, n);
    /* the same units in the same order in the raw table and the input data */
    size_t ucode = coinr_col(&data, "uCode");
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(raw.text[i * raw.ncols], data.text[i * data.ncols + ucode]);

    double x[51], d[51];
    size_t cells = 0, divided = 0, ind_col = coinr_col(&meta, "IndCode"),
           den_col = coinr_col(&meta, "Denominator");
    cr_assert_eq(meta.nrows, 49);
    for (size_t r = 0; r < meta.nrows; r++) {
        const char *code = meta.text[r * meta.ncols + ind_col];
        const char *dname = meta.text[r * meta.ncols + den_col];
        coinr_column(&raw, code, x);
        if (*dname) {
            const char *col = den_column(dname);
            /* the new metadata names the same column */
            size_t ir = (size_t)-1;
            for (size_t k = 0; k < imeta.nrows; k++)
                if (strcmp(imeta.text[k * imeta.ncols + coinr_col(&imeta, "iCode")], code) == 0)
                    ir = k;
            cr_assert_neq(ir, (size_t)-1, "%s not in iMeta", code);
            cr_expect_str_eq(imeta.text[ir * imeta.ncols + coinr_col(&imeta, "Denominator")], col);
            coinr_column(&data, col, d);
            cr_assert_eq(qala_denominate(NULL, x, 1, n, d, 1, 1), QALA_OK);
            divided++;
        }
        for (size_t i = 0; i < n; i++, cells++) {
            double want = coinr_get(&den, raw.text[i * raw.ncols], code);
            /* Raw.csv keeps 10 significant digits, COINr divided the full-precision input:
             * the ratios agree to 4.2e-10 relative at worst (Research, MNG). */
            cr_expect(rel_close(x[i], want, 1e-9), "%s/%s: %.17g, COINr %.17g",
                      raw.text[i * raw.ncols], code, x[i], want);
        }
    }
    cr_expect_eq(cells, 51 * 49);
    cr_expect_eq(divided, 17); /* IndMeta rows with a Denominator */
    coinr_free(&raw);
    coinr_free(&den);
    coinr_free(&data);
    coinr_free(&meta);
    coinr_free(&imeta);
}
