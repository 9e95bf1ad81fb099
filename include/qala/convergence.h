/* qala/convergence.h — σ-convergence (is the dispersion between units falling over
 * time?) and β-convergence (do units that start lower grow faster?) for one indicator
 * and one set of units (all regions, the cities of one type, ...: the caller chooses).
 *
 * Definitions (docs/methods-inequality.md, from ../shared/design/METHODS.md §4; Barro &
 * Sala-i-Martin 1992, "Convergence", J. Political Economy 100(2); Sala-i-Martin 1996):
 *   σ: the dispersion D_p of the units in each period p — any measure of
 *      qala/inequality.h, usually the CV or the SD of logs, population-weighted when
 *      weights are given — and its trend, the OLS slope of D_p on the period's time t_p
 *      (σ-convergence when the slope is negative), with its standard error and R².
 *   β: gᵤ = ln(y_Tᵤ / y_0ᵤ) / T, the average yearly log growth over T years, regressed by
 *      OLS on ln y_0ᵤ: gᵤ = α + β ln y_0ᵤ + εᵤ. β < 0 is (absolute) β-convergence; the
 *      implied speed is λ = −ln(1 + Tβ) / T and the half-life ln 2 / λ (the years in
 *      which half of the gap to the steady state closes).
 * The OLS fits are GSL's gsl_fit_linear (coefficients, their variances from the residual
 * variance with n − 2 degrees of freedom, the residual sum of squares); the p-value of β
 * is two-sided from Student's t with n − 2 degrees of freedom (gsl_cdf_tdist_Q).
 *
 * Panels are period-major: the value of unit u in period p is values[p·n + u] (n units,
 * nperiods periods); weights, when given, have the same layout (populations change).
 */
#ifndef QALA_CONVERGENCE_H
#define QALA_CONVERGENCE_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/inequality.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which units enter each period's dispersion. */
typedef enum qala_sigma_units {
    QALA_SIGMA_BALANCED = 0, /* only the units usable in every period (the default: the
                              * dispersion of one fixed set of units) */
    QALA_SIGMA_AVAILABLE = 1 /* in each period, every unit usable in that period */
} qala_sigma_units;

/* A zeroed struct is the (weighted) CV over a balanced panel. */
typedef struct qala_sigma_spec {
    qala_ineq_measure measure; /* QALA_INEQ_CV (default), QALA_INEQ_SD_LOG, ... */
    qala_sigma_units units;
} qala_sigma_spec;

typedef struct qala_sigma_result {
    size_t n_units;   /* balanced: units usable in every period; available: units usable
                       * in at least one period */
    size_t n_periods; /* periods with a dispersion value (the points of the trend) */
    double first, last; /* the dispersion of the first and last of those periods */
    double slope;     /* OLS slope of the dispersion on time (per unit of time); NAN with
                       * fewer than 2 points or all times equal */
    double slope_se;  /* its standard error; NAN with fewer than 3 points */
    double intercept;
    double r2;        /* 1 − RSS/TSS; NAN when the dispersion does not vary */
} qala_sigma_result;

/* σ-convergence of n units over nperiods periods (layout above). weights: NULL (equal)
 * or the same layout. time: NULL (0, 1, 2, ...) or nperiods finite values (years).
 * A unit is usable in a period when its value is finite, its weight finite and > 0 and,
 * for the logarithmic measures (qala_ineq_measures flag QALA_INEQ_LOG), its value > 0.
 * dispersion (nperiods, or NULL) gets D_p (NAN where it cannot be computed); n_used
 * (nperiods, or NULL) the units of each period. QALA_EINVAL (NULL out or values, a
 * measure or units outside the enums, a non-finite time), QALA_ENOMEM. */
qala_status qala_sigma_convergence(qala_sigma_result *out, double *dispersion, size_t *n_used,
                                   const double *values, const double *weights, size_t n,
                                   size_t nperiods, const double *time,
                                   const qala_sigma_spec *spec);

typedef struct qala_beta_result {
    size_t n_used;    /* units with y0 > 0 and yT > 0, both finite */
    size_t n_missing; /* the others */
    double alpha, alpha_se;
    double beta, beta_se; /* NAN with fewer than 2 units (SE: 3) or all y0 equal */
    double t_stat, p_value; /* β / SE(β); two-sided p from t(n − 2) */
    double r2;
    double speed;     /* λ = −ln(1 + Tβ)/T; NAN when 1 + Tβ ≤ 0 */
    double half_life; /* ln 2 / λ; NAN unless λ > 0 (no convergence, no half-life) */
} qala_beta_result;

/* Absolute β-convergence of n units between an initial value y0[u] and a final value
 * yT[u] that is `years` later (finite, > 0). QALA_EINVAL (NULL arguments, bad years),
 * QALA_ENOMEM (two scratch arrays of n doubles, one allocation). Fewer than 2 usable
 * units is a result (NAN fields), not an error. */
qala_status qala_beta_convergence(qala_beta_result *out, const double *y0, const double *yT,
                                  size_t n, double years);

#ifdef __cplusplus
}
#endif
#endif
