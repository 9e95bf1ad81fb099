/* Hand-computed tests of every normalisation method and parameter: each expected value is
 * worked out in the comment beside it from the formulas of docs/methods-normalise.md
 * (METHODS.md §1, COINr's n_* functions). Synthetic data.
 *
 * Most tests use X = {2, 4, 6, NAN, 10}: non-missing 2, 4, 6, 10; min 2, max 10,
 * mean 5.5, squared deviations 12.25 + 2.25 + 0.25 + 20.25 = 35, sd = sqrt(35/3).
 * After direction -1: -2, -4, -6, NAN, -10; min -10, max -2, mean -5.5, same sd.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "qala/normalise.h"

#define N(a) (sizeof(a) / sizeof *(a))

static const double X[] = {2, 4, 6, NAN, 10};

static void expect_vec(const double *got, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(want[i]))
            cr_expect(isnan(got[i]), "cell %zu: want NAN, got %.17g", i, got[i]);
        else
            cr_expect(fabs(got[i] - want[i]) <= 1e-12 * (fabs(want[i]) > 1 ? fabs(want[i]) : 1),
                      "cell %zu: want %.17g, got %.17g", i, want[i], got[i]);
    }
}

/* Normalises X (or x) with spec and direction; checks status OK and the flags. */
static void run(const double *x, size_t n, int dir, const qala_normalise_spec *s, const double *want,
                unsigned want_flags)
{
    double out[16];
    unsigned flags = 12345;
    cr_assert_eq(qala_normalise(out, 1, x, 1, n, dir, s, &flags), QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(flags, want_flags, "flags %u, want %u", flags, want_flags);
    expect_vec(out, want, n);
}

/* ---- minmax ------------------------------------------------------------------------ */

Test(minmax, default_interval_0_100)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    /* (x-2)/(10-2)*100: 0, 25, 50, NAN, 100 */
    run(X, 5, 1, &s, (double[]){0, 25, 50, NAN, 100}, 0);
}

Test(minmax, given_interval)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    s.lower = 1, s.upper = 5;
    /* (x-2)/8*(5-1)+1: 1, 2, 3, NAN, 5 */
    run(X, 5, 1, &s, (double[]){1, 2, 3, NAN, 5}, 0);
}

Test(minmax, direction_minus_one_reverses)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    /* (-x+10)/8*100: 2 -> 100, 4 -> 75, 6 -> 50, 10 -> 0 */
    run(X, 5, -1, &s, (double[]){100, 75, 50, NAN, 0}, 0);
}

Test(minmax, zero_range_gives_nan_and_a_flag)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    /* max = min = 3: COINr warns "The range of x is 0" and returns NaN */
    run((double[]){3, NAN, 3}, 3, 1, &s, (double[]){NAN, NAN, NAN}, QALA_NORM_ZERO_RANGE);
    run((double[]){3}, 1, 1, &s, (double[]){NAN}, QALA_NORM_ZERO_RANGE);
}

Test(minmax, all_missing_gives_nan_and_too_few)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    run((double[]){NAN, NAN}, 2, 1, &s, (double[]){NAN, NAN}, QALA_NORM_TOO_FEW);
}

Test(minmax, strides_and_in_place)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    /* x = 2, 4, 10 at stride 2; out at stride 3: 0, 25, 100 */
    double x[] = {2, -1, 4, -1, 10, -1}, out[9] = {7, 7, 7, 7, 7, 7, 7, 7, 7};
    cr_assert_eq(qala_normalise(out, 3, x, 2, 3, 1, &s, NULL), QALA_OK);
    expect_vec(out, (double[]){0, 7, 7, 25, 7, 7, 100, 7, 7}, 9);
    /* in place over x itself */
    cr_assert_eq(qala_normalise(x, 2, x, 2, 3, 1, &s, NULL), QALA_OK);
    expect_vec(x, (double[]){0, -1, 25, -1, 100, -1}, 6);
}

/* ---- zscore ------------------------------------------------------------------------- */

Test(zscore, default_mean_0_sd_1)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_ZSCORE);
    double sd = sqrt(35.0 / 3); /* sd with n-1 = 3 */
    /* (x-5.5)/sd */
    run(X, 5, 1, &s, (double[]){-3.5 / sd, -1.5 / sd, 0.5 / sd, NAN, 4.5 / sd}, 0);
}

Test(zscore, given_mean_and_sd_and_direction)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_ZSCORE);
    s.mean = 50, s.sd = 10;
    double sd = sqrt(35.0 / 3);
    /* dir -1: x' = -x, mean -5.5: (-x+5.5)/sd*10+50; 2 -> 3.5/sd*10+50 ... */
    run(X, 5, -1, &s, (double[]){3.5 / sd * 10 + 50, 1.5 / sd * 10 + 50, -0.5 / sd * 10 + 50, NAN, -4.5 / sd * 10 + 50},
        0);
}

Test(zscore, one_value_is_too_few_and_constant_is_zero_range)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_ZSCORE);
    /* R's sd() of one value is NA */
    run((double[]){4, NAN}, 2, 1, &s, (double[]){NAN, NAN}, QALA_NORM_TOO_FEW);
    /* sd 0 */
    run((double[]){4, 4}, 2, 1, &s, (double[]){NAN, NAN}, QALA_NORM_ZERO_RANGE);
}

/* ---- scaled ------------------------------------------------------------------------- */

Test(scaled, fixed_bounds_and_factor)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_SCALED);
    s.lower = 0, s.upper = 20;
    /* (x-0)/20*100 = 5x: 10, 20, 30, NAN, 50 */
    run(X, 5, 1, &s, (double[]){10, 20, 30, NAN, 50}, 0);
    s.lower = 2, s.upper = 4, s.factor = 1;
    /* (x-2)/2: 0, 1, 2, NAN, 4 (no clipping) */
    run(X, 5, 1, &s, (double[]){0, 1, 2, NAN, 4}, 0);
}

Test(scaled, direction_does_not_flip_the_bounds)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_SCALED);
    s.lower = 0, s.upper = 20;
    /* as COINr: (-x-0)/20*100 = -5x */
    run(X, 5, -1, &s, (double[]){-10, -20, -30, NAN, -50}, 0);
}

/* ---- goalposts ---------------------------------------------------------------------- */

Test(goalposts, truncated_to_the_posts)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_GOALPOSTS);
    s.lower = 3, s.upper = 8;
    /* (x-3)/5: -0.2 -> 0, 0.2, 0.6, NAN, 1.4 -> 1; scale a = 1 */
    run(X, 5, 1, &s, (double[]){0, 0.2, 0.6, NAN, 1}, 0);
    s.factor = 100;
    /* a = 100: 0, 20, 60, NAN, 100 */
    run(X, 5, 1, &s, (double[]){0, 20, 60, NAN, 100}, 0);
}

Test(goalposts, untruncated)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_GOALPOSTS);
    s.lower = 3, s.upper = 8, s.trunc = 0;
    /* (x-3)/5: -0.2, 0.2, 0.6, NAN, 1.4 */
    run(X, 5, 1, &s, (double[]){-0.2, 0.2, 0.6, NAN, 1.4}, 0);
}

Test(goalposts, reversed_for_direction_minus_one)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_GOALPOSTS);
    s.lower = 3, s.upper = 8, s.factor = 10;
    /* lower is better: x' = -x, l' = -3, u' = -8, (x'-u')/(l'-u') = (8-x)/5:
     * 2 -> 1.2 -> 1, 4 -> 0.8, 6 -> 0.4, 10 -> -0.4 -> 0; times a = 10 (positive, as
     * COINr >= 1.1; COINr 1.0 also negated a) */
    run(X, 5, -1, &s, (double[]){10, 8, 4, NAN, 0}, 0);
    s.trunc = 0;
    run(X, 5, -1, &s, (double[]){12, 8, 4, NAN, -4}, 0);
}

/* ---- dist2targ ---------------------------------------------------------------------- */

Test(dist2targ, target_above_with_and_without_cap)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_DIST2TARG);
    s.target = 8;
    /* (x-2)/(8-2): 0, 1/3, 2/3, NAN, 4/3 */
    run(X, 5, 1, &s, (double[]){0, 1.0 / 3, 2.0 / 3, NAN, 4.0 / 3}, 0);
    s.cap = 1;
    run(X, 5, 1, &s, (double[]){0, 1.0 / 3, 2.0 / 3, NAN, 1}, 0);
}

Test(dist2targ, direction_minus_one_measures_from_the_max)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_DIST2TARG);
    s.target = 3;
    /* (max-x)/(max-targ) = (10-x)/7: 8/7, 6/7, 4/7, NAN, 0 */
    run(X, 5, -1, &s, (double[]){8.0 / 7, 6.0 / 7, 4.0 / 7, NAN, 0}, 0);
    s.cap = 1;
    run(X, 5, -1, &s, (double[]){1, 6.0 / 7, 4.0 / 7, NAN, 0}, 0);
}

Test(dist2targ, target_below_min_warns_and_target_at_min_is_zero_range)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_DIST2TARG);
    s.target = 1;
    /* (x-2)/(1-2): 0, -2, -4, NAN, -8 (COINr: "targ is less than min(x)") */
    run(X, 5, 1, &s, (double[]){0, -2, -4, NAN, -8}, QALA_NORM_TARGET_OUTSIDE);
    s.target = 2;
    run(X, 5, 1, &s, (double[]){NAN, NAN, NAN, NAN, NAN}, QALA_NORM_ZERO_RANGE);
}

/* ---- dist2max, dist2ref, fracmax, none ---------------------------------------------- */

Test(dist2max, both_directions_and_zero_range)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_DIST2MAX);
    /* 1-(10-x)/8: 0, 0.25, 0.5, NAN, 1 */
    run(X, 5, 1, &s, (double[]){0, 0.25, 0.5, NAN, 1}, 0);
    /* x' = -x, max' = -2, min' = -10: 1-(-2+x)/8: 1, 0.75, 0.5, NAN, 0 */
    run(X, 5, -1, &s, (double[]){1, 0.75, 0.5, NAN, 0}, 0);
    run((double[]){5, 5}, 2, 1, &s, (double[]){NAN, NAN}, QALA_NORM_ZERO_RANGE);
}

Test(dist2ref, reference_unit_with_and_without_cap)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_DIST2REF);
    s.ref = 1; /* x_ref = 4 */
    /* 1-(4-x)/(4-2): 0, 1, 2, NAN, 4 */
    run(X, 5, 1, &s, (double[]){0, 1, 2, NAN, 4}, 0);
    s.cap = 1;
    run(X, 5, 1, &s, (double[]){0, 1, 1, NAN, 1}, 0);
}

Test(dist2ref, direction_minus_one)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_DIST2REF);
    s.ref = 1;
    /* x' = -x, ref' = -4, min' = -10: 1-(-4+x)/6: 4/3, 1, 2/3, NAN, 0 */
    run(X, 5, -1, &s, (double[]){4.0 / 3, 1, 2.0 / 3, NAN, 0}, 0);
}

Test(dist2ref, missing_reference_gives_nan)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_DIST2REF);
    s.ref = 3; /* X[3] is NAN: COINr warns and returns NAs */
    run(X, 5, 1, &s, (double[]){NAN, NAN, NAN, NAN, NAN}, QALA_NORM_REF_MISSING);
    s.ref = 0; /* x_ref = 2 = min: 0/0 */
    run(X, 5, 1, &s, (double[]){NAN, NAN, NAN, NAN, NAN}, QALA_NORM_ZERO_RANGE);
}

Test(fracmax, fraction_of_the_max)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_FRACMAX);
    /* x/10 */
    run(X, 5, 1, &s, (double[]){0.2, 0.4, 0.6, NAN, 1}, 0);
    /* as COINr: x' = -x, max' = -2: x'/max' = x/2 (not a reversed score) */
    run(X, 5, -1, &s, (double[]){1, 2, 3, NAN, 5}, 0);
    run((double[]){-1, 0}, 2, 1, &s, (double[]){NAN, NAN}, QALA_NORM_ZERO_RANGE);
}

Test(none, direction_only)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_NONE);
    run(X, 5, 1, &s, (double[]){2, 4, 6, NAN, 10}, 0);
    run(X, 5, -1, &s, (double[]){-2, -4, -6, NAN, -10}, 0);
}

/* ---- rank, borda, prank ------------------------------------------------------------- */

static const double R[] = {2, 4, 4, NAN, 1};

Test(rank_methods, rank_ties_min_higher_value_higher_rank)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_RANK);
    /* ascending: 1 -> 1, 2 -> 2, 4, 4 -> 3, 3 */
    run(R, 5, 1, &s, (double[]){2, 3, 3, NAN, 1}, 0);
    /* dir -1: -2, -4, -4, NAN, -1: -4, -4 -> 1, 1; -2 -> 3; -1 -> 4 */
    run(R, 5, -1, &s, (double[]){3, 1, 1, NAN, 4}, 0);
}

Test(rank_methods, borda_is_rank_minus_one)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_BORDA);
    run(R, 5, 1, &s, (double[]){1, 2, 2, NAN, 0}, 0);
}

Test(rank_methods, prank_over_nonmissing)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_PRANK);
    /* (rank-1)/(4-1): 1/3, 2/3, 2/3, NAN, 0 */
    run(R, 5, 1, &s, (double[]){1.0 / 3, 2.0 / 3, 2.0 / 3, NAN, 0}, 0);
    /* one value: (1-1)/0 */
    run((double[]){NAN, 3}, 2, 1, &s, (double[]){NAN, NAN}, QALA_NORM_TOO_FEW);
}

Test(rank_methods, all_missing)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_RANK);
    run((double[]){NAN, NAN}, 2, 1, &s, (double[]){NAN, NAN}, QALA_NORM_TOO_FEW);
}

/* ---- transforms --------------------------------------------------------------------- */

Test(transform, natural_log_then_minmax)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    s.transform = QALA_NORM_TF_LOG;
    double e = exp(1.0);
    /* log: 0, 1, 2, (0 and -1: outside the domain) -> minmax: 0, 50, 100, NAN, NAN */
    run((double[]){1, e, e * e, 0, -1}, 5, 1, &s, (double[]){0, 50, 100, NAN, NAN}, QALA_NORM_DOMAIN);
}

Test(transform, log10_before_direction)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_NONE);
    s.transform = QALA_NORM_TF_LOG10;
    /* log10 then times -1: -0, -1, -2, -3 */
    run((double[]){1, 10, 100, 1000}, 4, -1, &s, (double[]){0, -1, -2, -3}, 0);
}

Test(transform, cap_above_and_below)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    s.transform = QALA_NORM_TF_CAP;
    s.cap_hi = 6;
    /* 2, 4, 6, NAN, 6: (x-2)/4*100: 0, 50, 100, NAN, 100 */
    run(X, 5, 1, &s, (double[]){0, 50, 100, NAN, 100}, 0);
    s.cap_hi = NAN, s.cap_lo = 3;
    /* 3, 4, 6, NAN, 10: (x-3)/7*100: 0, 100/7, 300/7, NAN, 100 */
    run(X, 5, 1, &s, (double[]){0, 100.0 / 7, 300.0 / 7, NAN, 100}, 0);
}
