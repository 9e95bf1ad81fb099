/* The pipeline on COINr's 5-year ASEM panel (../shared/data/coinr-asem/COINr_ASEM_iData_p.csv,
 * 51 units × 2018..2022): the shape of every stage, normalisation pooled over the periods
 * (one min and max for all years, so that scores compare across years) against per period,
 * checked by hand on one indicator, and panel imputation (latest value carried forward)
 * before the cross-section group mean. */
#include <criterion/criterion.h>
#include <math.h>

#include "asem.h"

static asem A;

static void setup(void)
{
    asem_load(&A, "COINr_ASEM_iData_p.csv");
}

static void teardown(void)
{
    asem_free(&A);
}

TestSuite(index_panel, .init = setup, .fini = teardown);

static qala_index_result *run(void)
{
    qala_index_result *r = NULL;
    qala_status st = qala_index_run(&r, &A.tree, &A.input);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    return r;
}

Test(index_panel, shape_of_every_stage)
{
    cr_assert_eq(A.nunits, 51);
    cr_assert_eq(A.nperiods, 5);
    qala_index_result *r = run();
    cr_expect_eq(qala_index_result_units(r), 51);
    cr_expect_eq(qala_index_result_periods(r), 5);
    for (size_t p = 0; p < 5; p++)
        cr_expect_eq(qala_index_result_period(r, p), (qala_period)((2018 + p) * 100));
    size_t root = A.tree.nnodes - 1;
    cr_expect_null(qala_index_result_column(r, QALA_INDEX_STAGE_RAW, root));
    cr_expect_null(qala_index_result_column(r, QALA_INDEX_STAGE_NORMALISED, root));
    cr_expect_null(qala_index_result_flags(r, QALA_INDEX_STAGE_IMPUTED, root));
    cr_expect_null(qala_index_result_report(r, root));
    const double *idx = qala_index_result_column(r, QALA_INDEX_STAGE_AGGREGATED, root);
    const double *rank = qala_index_result_column(r, QALA_INDEX_STAGE_RANKED, root);
    cr_assert_not_null(idx);
    /* every period has its own ranking 1..51 of the index (no ties, no missing) */
    for (size_t p = 0; p < 5; p++) {
        double sum = 0;
        for (size_t k = 0; k < 51; k++) {
            cr_expect(!isnan(idx[p * 51 + k]));
            sum += rank[p * 51 + k];
        }
        cr_expect_eq(sum, 51.0 * 52 / 2, "period %zu", p);
    }
    /* the raw column is the input as given: row p * 51 + u */
    size_t lpi = asem_node(&A, "LPI"), c = asem_column(&A, "LPI");
    const double *raw = qala_index_result_column(r, QALA_INDEX_STAGE_RAW, lpi);
    for (size_t i = 0; i < 255; i++)
        cr_expect(raw[i] == A.cols[c][i] || (isnan(raw[i]) && isnan(A.cols[c][i])));
    qala_index_result_free(r);
}

/* min and max of the treated column over rows [from, to) */
static void range(const double *x, size_t from, size_t to, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = from; i < to; i++)
        if (!isnan(x[i])) {
            *lo = fmin(*lo, x[i]);
            *hi = fmax(*hi, x[i]);
        }
}

Test(index_panel, pooled_normalisation_uses_one_min_and_max_over_all_periods)
{
    qala_index_result *pooled = run();
    A.tree.settings.pooled = 0;
    qala_index_result *per = run();
    /* CO2 (direction -1): score = (x - min)/(max - min)·100 on x' = -x */
    size_t co2 = asem_node(&A, "CO2");
    cr_assert_eq(A.nodes[co2].direction, -1);
    const double *t = qala_index_result_column(pooled, QALA_INDEX_STAGE_TREATED, co2);
    const double *sp = qala_index_result_column(pooled, QALA_INDEX_STAGE_NORMALISED, co2);
    const double *sq = qala_index_result_column(per, QALA_INDEX_STAGE_NORMALISED, co2);
    double lo, hi, plo, phi;
    range(t, 0, 255, &lo, &hi);
    size_t differ = 0;
    for (size_t p = 0; p < 5; p++) {
        range(t, p * 51, p * 51 + 51, &plo, &phi);
        for (size_t k = 0; k < 51; k++) {
            double x = t[p * 51 + k];
            double want_pooled = (-x - -hi) / (-lo - -hi) * 100;
            double want_per = (-x - -phi) / (-plo - -phi) * 100;
            cr_expect(fabs(sp[p * 51 + k] - want_pooled) <= 1e-12 * 100, "pooled %zu/%zu", p, k);
            cr_expect(fabs(sq[p * 51 + k] - want_per) <= 1e-12 * 100, "per period %zu/%zu", p, k);
            differ += fabs(sp[p * 51 + k] - sq[p * 51 + k]) > 1e-9;
        }
    }
    cr_expect_gt(differ, 0, "the panel's years have different ranges: the two must differ");
    /* pooled: the best value over all years scores 100 once; per period: once a year */
    size_t hundreds_pooled = 0, hundreds_per = 0;
    for (size_t i = 0; i < 255; i++) {
        hundreds_pooled += sp[i] == 100;
        hundreds_per += sq[i] == 100;
    }
    cr_expect_geq(hundreds_per, 5);
    cr_expect_lt(hundreds_pooled, hundreds_per);
    qala_index_result_free(pooled);
    qala_index_result_free(per);
}

Test(index_panel, latest_value_is_carried_forward_before_the_group_mean)
{
    A.tree.settings.panel_impute = QALA_IMPUTE_LATEST;
    /* LPI (no denominator) of the first unit made missing in 2020 and 2021: latest fills
     * both from 2019; of the second unit in 2018: nothing earlier, so the group mean of
     * its period fills it */
    size_t lpi = asem_node(&A, "LPI"), c = asem_column(&A, "LPI");
    double v2019 = A.cols[c][1 * 51 + 0];
    cr_assert(!isnan(v2019));
    A.cols[c][2 * 51 + 0] = NAN;
    A.cols[c][3 * 51 + 0] = NAN;
    A.cols[c][0 * 51 + 1] = NAN;
    qala_index_result *r = run();
    const double *imp = qala_index_result_column(r, QALA_INDEX_STAGE_IMPUTED, lpi);
    const uint8_t *f = qala_index_result_flags(r, QALA_INDEX_STAGE_IMPUTED, lpi);
    cr_expect_eq(imp[2 * 51 + 0], v2019);
    cr_expect_eq(imp[3 * 51 + 0], v2019);
    cr_expect_eq(f[2 * 51 + 0], QALA_IMPUTE_LATEST);
    cr_expect_eq(f[3 * 51 + 0], QALA_IMPUTE_LATEST);
    cr_expect_eq(f[1 * 51 + 0], 0);
    cr_expect_eq(f[0 * 51 + 1], QALA_IMPUTE_GROUP_MEAN);
    /* the group mean of unit 1's group in 2018 (EurAsia_group of asem.h) */
    const uint32_t *g = A.gdata[3].ids;
    double sum = 0;
    size_t n = 0;
    for (size_t u = 0; u < 51; u++)
        if (g[u] == g[1] && !isnan(A.cols[c][u])) {
            sum += A.cols[c][u];
            n++;
        }
    cr_expect_float_eq(imp[1], sum / (double)n, 1e-12);
    const qala_index_indicator_report *rep = qala_index_result_report(r, lpi);
    cr_expect_eq(rep->n_imputed, 3);
    cr_expect_eq(rep->n_left_missing, 0);
    qala_index_result_free(r);
}

Test(index_panel, treatment_runs_per_period_and_reports_the_last)
{
    qala_index_result *r = run();
    size_t n_changed = 0;
    for (size_t i = 0; i < A.tree.nindicators; i++) {
        const uint8_t *f = qala_index_result_flags(r, QALA_INDEX_STAGE_TREATED, i);
        const double *before = qala_index_result_column(r, QALA_INDEX_STAGE_IMPUTED, i);
        const double *after = qala_index_result_column(r, QALA_INDEX_STAGE_TREATED, i);
        size_t flagged = 0;
        for (size_t j = 0; j < 255; j++) {
            flagged += f[j] != 0;
            /* an unflagged cell is unchanged */
            if (!f[j])
                cr_expect(before[j] == after[j] || (isnan(before[j]) && isnan(after[j])));
        }
        cr_expect_eq(qala_index_result_report(r, i)->n_treated, flagged);
        n_changed += flagged;
    }
    cr_expect_gt(n_changed, 0);
    qala_index_result_free(r);
}
