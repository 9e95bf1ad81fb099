/* σ- and β-convergence against tests/unit/inequality/reference.py (data set C: six
 * fictional towns, 2010–2018; the regressions there are scipy.stats.linregress, the CVs
 * numpy's weighted averages, written independently of src/convergence.c), closed forms,
 * the balanced/available panels, and bad input. */
#include <string.h>

#include "failing_alloc.h"
#include "inequality/ineq_test.h"
#include "qala/convergence.h"

enum { NU = 6, NP = 5 };
static const double C_t[NP] = {2010, 2012, 2014, 2016, 2018};
static const double C_y[NP * NU] = {
    100, 150, 220, 80,  300, 120,
    115, 160, 230, 98,  310, 138,
    131, 171, 243, 117, 318, 159,
    150, 180, 251, 139, 330, 180,
    168, 192, 262, 160, 341, 205,
};
static const double C_w[NP * NU] = {
    50, 20, 10, 70, 5, 30,
    51, 21, 10, 71, 5, 31,
    52, 21, 11, 72, 6, 31,
    53, 22, 11, 73, 6, 32,
    54, 22, 12, 74, 6, 33,
};

Test(sigma, weighted_cv_matches_reference)
{
    qala_sigma_result r;
    double disp[NP];
    size_t used[NP];
    qala_sigma_spec spec = {0}; /* CV, balanced */
    cr_assert_eq(qala_sigma_convergence(&r, disp, used, C_y, C_w, NU, NP, C_t, &spec), QALA_OK);
    /* reference.py: C.cv[k] */
    const double cv[NP] = {0.41306583393486429, 0.34244301719973147, 0.29881141572155245,
                           0.24314609072282389, 0.20699101212526796};
    for (size_t p = 0; p < NP; p++) {
        expect_rel(disp[p], cv[p], 1e-13, "C.cv[p]");
        cr_expect_eq(used[p], NU);
    }
    /* reference.py: C.sigma_cv.* (scipy.stats.linregress) */
    expect_rel(r.slope, -0.025572328504805009, 1e-11, "C.sigma_cv.slope");
    expect_rel(r.slope_se, 0.001602110678986838, 1e-9, "C.sigma_cv.slope_se");
    expect_rel(r.intercept, 51.803561082618138, 1e-9, "C.sigma_cv.intercept");
    expect_rel(r.r2, 0.98836190935736723, 1e-12, "C.sigma_cv.r2");
    cr_expect_eq(r.n_periods, NP);
    cr_expect_eq(r.n_units, NU);
    expect_rel(r.first, cv[0], 1e-13, "first");
    expect_rel(r.last, cv[NP - 1], 1e-13, "last");
}

Test(sigma, unweighted_sd_of_logs_matches_reference)
{
    qala_sigma_result r;
    qala_sigma_spec spec = {.measure = QALA_INEQ_SD_LOG};
    cr_assert_eq(qala_sigma_convergence(&r, NULL, NULL, C_y, NULL, NU, NP, C_t, &spec), QALA_OK);
    /* reference.py: C.sigma_sdlog_unweighted.* */
    expect_rel(r.slope, -0.023839679378545454, 1e-11, "slope");
    expect_rel(r.slope_se, 0.0011100631841534001, 1e-9, "slope_se");
    expect_rel(r.r2, 0.99353750679475772, 1e-12, "r2");
}

Test(sigma, default_time_is_the_period_index)
{
    /* Times 0..4 instead of 2010..2018 (step 2): the slope doubles, R² is unchanged. */
    qala_sigma_result a, b;
    qala_sigma_spec spec = {0};
    cr_assert_eq(qala_sigma_convergence(&a, NULL, NULL, C_y, C_w, NU, NP, C_t, &spec), QALA_OK);
    cr_assert_eq(qala_sigma_convergence(&b, NULL, NULL, C_y, C_w, NU, NP, NULL, &spec), QALA_OK);
    expect_rel(b.slope, 2 * a.slope, 1e-12, "slope per period");
    expect_rel(b.r2, a.r2, 1e-12, "r2");
}

Test(sigma, balanced_panel_drops_units_with_a_gap_available_keeps_them)
{
    double y[NP * NU];
    memcpy(y, C_y, sizeof y);
    y[2 * NU + 4] = NAN; /* unit 4 has no value in period 2 */
    qala_sigma_result r;
    double disp[NP];
    size_t used[NP];
    qala_sigma_spec spec = {.measure = QALA_INEQ_GINI};
    cr_assert_eq(qala_sigma_convergence(&r, disp, used, y, C_w, NU, NP, C_t, &spec), QALA_OK);
    cr_expect_eq(r.n_units, NU - 1);
    for (size_t p = 0; p < NP; p++)
        cr_expect_eq(used[p], NU - 1, "period %zu", p);
    /* Period 0 without unit 4 equals the summary of the five others. */
    double y5[NU - 1], w5[NU - 1];
    for (size_t u = 0, k = 0; u < NU; u++)
        if (u != 4)
            y5[k] = C_y[u], w5[k] = C_w[u], k++;
    qala_ineq_summary s;
    cr_assert_eq(qala_ineq_summarise(&s, y5, 1, w5, 1, NU - 1, NULL), QALA_OK);
    expect_rel(disp[0], s.gini, 1e-14, "period 0, balanced");

    spec.units = QALA_SIGMA_AVAILABLE;
    cr_assert_eq(qala_sigma_convergence(&r, disp, used, y, C_w, NU, NP, C_t, &spec), QALA_OK);
    cr_expect_eq(r.n_units, NU);
    cr_expect_eq(used[0], NU);
    cr_expect_eq(used[2], NU - 1);
    cr_assert_eq(qala_ineq_summarise(&s, C_y, 1, C_w, 1, NU, NULL), QALA_OK);
    expect_rel(disp[0], s.gini, 1e-14, "period 0, available");
}

Test(sigma, log_measures_drop_nonpositive_values_from_the_balanced_panel)
{
    double y[NP * NU];
    memcpy(y, C_y, sizeof y);
    y[3 * NU + 1] = 0; /* unit 1, period 3 */
    qala_sigma_result r;
    qala_sigma_spec spec = {.measure = QALA_INEQ_THEIL_L};
    cr_assert_eq(qala_sigma_convergence(&r, NULL, NULL, y, C_w, NU, NP, C_t, &spec), QALA_OK);
    cr_expect_eq(r.n_units, NU - 1);
    spec.measure = QALA_INEQ_CV; /* 0 is a value for the CV */
    cr_assert_eq(qala_sigma_convergence(&r, NULL, NULL, y, C_w, NU, NP, C_t, &spec), QALA_OK);
    cr_expect_eq(r.n_units, NU);
}

Test(sigma, too_few_periods_give_nan_trend)
{
    qala_sigma_result r;
    double disp[2];
    qala_sigma_spec spec = {0};
    cr_assert_eq(qala_sigma_convergence(&r, disp, NULL, C_y, C_w, NU, 2, C_t, &spec), QALA_OK);
    cr_expect(isfinite(r.slope), "two points give a slope");
    expect_rel(r.slope, (disp[1] - disp[0]) / 2, 1e-12, "slope of two points");
    cr_expect(isnan(r.slope_se), "but no standard error");
    cr_assert_eq(qala_sigma_convergence(&r, disp, NULL, C_y, C_w, NU, 1, C_t, &spec), QALA_OK);
    cr_expect(isnan(r.slope) && isnan(r.r2));
    cr_expect_eq(r.n_periods, 1);
    cr_assert_eq(qala_sigma_convergence(&r, NULL, NULL, NULL, NULL, 0, 0, NULL, &spec), QALA_OK);
    cr_expect_eq(r.n_periods, 0);
    cr_expect(isnan(r.first));
}

Test(beta, matches_reference)
{
    qala_beta_result r;
    cr_assert_eq(qala_beta_convergence(&r, C_y, C_y + 4 * NU, NU, 8.0), QALA_OK);
    /* reference.py: C.beta.* (scipy.stats.linregress; speed and half-life from its slope) */
    expect_rel(r.beta, -0.054887060473826958, 1e-12, "C.beta.beta");
    expect_rel(r.beta_se, 0.0093305958717474404, 1e-11, "C.beta.beta_se");
    expect_rel(r.alpha, 0.32121957542542817, 1e-12, "C.beta.alpha");
    expect_rel(r.alpha_se, 0.046662409419525673, 1e-11, "C.beta.alpha_se");
    expect_rel(r.r2, 0.89638269990543662, 1e-12, "C.beta.r2");
    expect_rel(r.p_value, 0.0041739768450207333, 1e-9, "C.beta.p_value");
    expect_rel(r.speed, 0.072275796702142028, 1e-12, "C.beta.speed");
    expect_rel(r.half_life, 9.5903084045755325, 1e-12, "C.beta.half_life");
    expect_rel(r.t_stat, r.beta / r.beta_se, 1e-15, "t");
    cr_expect_eq(r.n_used, NU);
    cr_expect_eq(r.n_missing, 0);
}

Test(beta, exact_convergence_line_recovers_speed_and_half_life)
{
    /* g = a + β ln y0 exactly with β = −(1 − e^{−λT})/T (Barro & Sala-i-Martin): λ = 0.02,
     * T = 10 gives back λ and the half-life ln 2 / 0.02 = 34.657...; a perfect fit. */
    const double lambda = 0.02, T = 10, beta = -(1 - exp(-lambda * T)) / T;
    double y0[5], yT[5];
    for (size_t u = 0; u < 5; u++) {
        y0[u] = 100.0 * (double)(u + 1);
        yT[u] = y0[u] * exp(T * (0.1 + beta * log(y0[u])));
    }
    qala_beta_result r;
    cr_assert_eq(qala_beta_convergence(&r, y0, yT, 5, T), QALA_OK);
    expect_rel(r.beta, beta, 1e-10, "beta");
    expect_rel(r.speed, lambda, 1e-9, "speed");
    expect_rel(r.half_life, log(2.0) / lambda, 1e-9, "half-life");
    expect_rel(r.r2, 1.0, 1e-12, "r2");
}

Test(beta, divergence_has_no_half_life_and_missing_are_counted)
{
    const double y0[] = {100, 200, NAN, 300, -5, 400};
    const double yT[] = {110, 240, 300, 380, 10, 530}; /* richer grow faster */
    qala_beta_result r;
    cr_assert_eq(qala_beta_convergence(&r, y0, yT, 6, 5), QALA_OK);
    cr_expect_eq(r.n_used, 4);
    cr_expect_eq(r.n_missing, 2);
    cr_expect(r.beta > 0, "beta %g", r.beta);
    cr_expect(r.speed < 0);
    cr_expect(isnan(r.half_life));
    /* Fewer than 2 units, or all initial levels equal: no slope (a result). */
    cr_assert_eq(qala_beta_convergence(&r, y0, yT, 1, 5), QALA_OK);
    cr_expect(isnan(r.beta) && isnan(r.speed));
    const double same[] = {50, 50, 50};
    cr_assert_eq(qala_beta_convergence(&r, same, yT, 3, 5), QALA_OK);
    cr_expect(isnan(r.beta));
}

Test(bad_input, arguments)
{
    qala_sigma_result s;
    qala_sigma_spec spec = {0};
    cr_expect_eq(qala_sigma_convergence(NULL, NULL, NULL, C_y, NULL, NU, NP, NULL, &spec), QALA_EINVAL);
    cr_expect_eq(qala_sigma_convergence(&s, NULL, NULL, NULL, NULL, NU, NP, NULL, &spec), QALA_EINVAL);
    cr_expect_eq(qala_sigma_convergence(&s, NULL, NULL, C_y, NULL, NU, NP, NULL, NULL), QALA_EINVAL);
    spec.measure = (qala_ineq_measure)42;
    cr_expect_eq(qala_sigma_convergence(&s, NULL, NULL, C_y, NULL, NU, NP, NULL, &spec), QALA_EINVAL);
    spec = (qala_sigma_spec){.units = (qala_sigma_units)7};
    cr_expect_eq(qala_sigma_convergence(&s, NULL, NULL, C_y, NULL, NU, NP, NULL, &spec), QALA_EINVAL);
    spec = (qala_sigma_spec){0};
    const double t[NP] = {2010, 2012, NAN, 2016, 2018};
    cr_expect_eq(qala_sigma_convergence(&s, NULL, NULL, C_y, NULL, NU, NP, t, &spec), QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "period 2"), "%s", qala_error_last()->message);
    qala_beta_result b;
    cr_expect_eq(qala_beta_convergence(&b, NULL, C_y, NU, 8), QALA_EINVAL);
    cr_expect_eq(qala_beta_convergence(&b, C_y, C_y, NU, 0), QALA_EINVAL);
    cr_expect_eq(qala_beta_convergence(&b, C_y, C_y, NU, NAN), QALA_EINVAL);
    cr_expect(strstr(qala_error_last()->message, "years"), "%s", qala_error_last()->message);
}

Test(bad_input, allocation_failures_leak_nothing)
{
    qala_sigma_spec spec = {0};
    for (fail_at = 0;; fail_at++) {
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_sigma_result s;
        qala_status st = qala_sigma_convergence(&s, NULL, NULL, C_y, C_w, NU, NP, C_t, &spec);
        qala_allocator_set(NULL);
        if (st == QALA_OK)
            break;
        cr_assert_eq(st, QALA_ENOMEM);
    }
    cr_expect_eq(fail_at, 1);
    for (fail_at = 0;; fail_at++) {
        calls = 0;
        qala_allocator_set(&failing_allocator);
        qala_beta_result b;
        qala_status st = qala_beta_convergence(&b, C_y, C_y + 4 * NU, NU, 8);
        qala_allocator_set(NULL);
        if (st == QALA_OK)
            break;
        cr_assert_eq(st, QALA_ENOMEM);
    }
    cr_expect_eq(fail_at, 1);
}
