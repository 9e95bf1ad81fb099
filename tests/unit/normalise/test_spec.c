/* Tests of the normalisation specs (bad specs refused with exact messages, out untouched),
 * the method table and names, pooled parameters over several columns (panel data), and
 * allocation failure in the rank methods. Synthetic data. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/normalise.h"

#define N(a) (sizeof(a) / sizeof *(a))

static const double X[] = {2, 4, 6, NAN, 10};

/* qala_normalise must fail with QALA_EINVAL and message msg, and leave out untouched. */
static void refused(const qala_normalise_spec *s, int dir, size_t n, const char *msg)
{
    double out[5] = {-7, -7, -7, -7, -7};
    cr_expect_eq(qala_normalise(out, 1, X, 1, n, dir, s, NULL), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, msg);
    for (size_t i = 0; i < 5; i++)
        cr_expect_eq(out[i], -7);
}

Test(spec, goalposts_lower_not_below_upper)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_GOALPOSTS);
    s.lower = 8, s.upper = 3;
    refused(&s, 1, 5, "normalise goalposts: lower (8) must be below upper (3)");
    s.lower = 3;
    refused(&s, -1, 5, "normalise goalposts: lower (3) must be below upper (3)");
    s.upper = 8, s.factor = INFINITY;
    refused(&s, 1, 5, "normalise goalposts: scale must be a finite number");
}

Test(spec, minmax_and_scaled_bounds)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    s.lower = NAN;
    refused(&s, 1, 5, "normalise minmax: lower and upper must be finite numbers");
    s.lower = 100, s.upper = 0;
    refused(&s, 1, 5, "normalise minmax: lower (100) must be below upper (0)");
    qala_normalise_spec_init(&s, QALA_NORM_SCALED);
    s.factor = NAN;
    refused(&s, 1, 5, "normalise scaled: factor must be a finite number");
}

Test(spec, zscore_sd_and_mean)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_ZSCORE);
    s.sd = 0;
    refused(&s, 1, 5, "normalise zscore: sd must be a positive number, not 0");
    s.sd = -2;
    refused(&s, 1, 5, "normalise zscore: sd must be a positive number, not -2");
    s.sd = 1, s.mean = NAN;
    refused(&s, 1, 5, "normalise zscore: mean must be a finite number");
}

Test(spec, dist2targ_needs_a_target_and_dist2ref_a_unit)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_DIST2TARG); /* target NAN by default */
    refused(&s, 1, 5, "normalise dist2targ: target must be a finite number");
    qala_normalise_spec_init(&s, QALA_NORM_DIST2REF);
    s.ref = 5;
    refused(&s, 1, 5, "normalise dist2ref: reference index 5 is outside the 5 values");
}

Test(spec, direction_method_transform_and_stride)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    refused(&s, 0, 5, "normalise: direction must be 1 or -1, not 0");
    refused(&s, 2, 5, "normalise: direction must be 1 or -1, not 2");
    s.transform = (qala_normalise_transform)9;
    refused(&s, 1, 5, "normalise minmax: unknown transform 9");
    s.transform = QALA_NORM_TF_CAP;
    refused(&s, 1, 5, "normalise minmax: the cap transform needs cap_lo or cap_hi");
    s.cap_lo = 5, s.cap_hi = 4;
    refused(&s, 1, 5, "normalise minmax: cap_lo (5) must not be above cap_hi (4)");
    s.transform = QALA_NORM_TF_NONE;
    s.method = (qala_normalise_method)99;
    refused(&s, 1, 5, "normalise: unknown method 99");
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    double out[5];
    cr_expect_eq(qala_normalise(out, 1, X, 0, 5, 1, &s, NULL), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "normalise: stride and ostride must be at least 1");
}

/* ---- names and the table ------------------------------------------------------------- */

Test(table, rows_in_enum_order_and_names_round_trip)
{
    size_t n;
    const qala_normalise_method_info *t = qala_normalise_methods(&n);
    cr_assert_eq(n, 12);
    const char *names[] = {"minmax", "zscore", "scaled", "goalposts", "dist2targ", "dist2max",
                           "dist2ref", "fracmax", "rank", "borda", "prank", "none"};
    for (size_t i = 0; i < n; i++) {
        cr_expect_eq(t[i].method, (qala_normalise_method)i);
        cr_expect_str_eq(t[i].name, names[i]);
        cr_expect_str_eq(qala_normalise_method_name((qala_normalise_method)i), names[i]);
        qala_normalise_method m = QALA_NORM_METHOD_COUNT;
        cr_expect_eq(qala_normalise_method_parse(&m, names[i]), QALA_OK);
        cr_expect_eq(m, (qala_normalise_method)i);
    }
    cr_expect(t[QALA_NORM_PRANK].flags & QALA_NORM_USES_RANKS);
    cr_expect(t[QALA_NORM_DIST2REF].flags & QALA_NORM_USES_REF);
    cr_expect(t[QALA_NORM_ZSCORE].flags & QALA_NORM_USES_MOMENTS);
    cr_expect(t[QALA_NORM_GOALPOSTS].flags & QALA_NORM_FIXED);
    cr_expect_str_eq(qala_normalise_method_name((qala_normalise_method)40), "?");
}

Test(table, unknown_names_are_refused)
{
    qala_normalise_method m;
    cr_expect_eq(qala_normalise_method_parse(&m, "MinMax"), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "unknown normalisation method 'MinMax' (expected one of minmax, zscore, scaled, goalposts, "
                     "dist2targ, dist2max, dist2ref, fracmax, rank, borda, prank, none)");
    qala_normalise_transform tf;
    cr_expect_eq(qala_normalise_transform_parse(&tf, "log10"), QALA_OK);
    cr_expect_eq(tf, QALA_NORM_TF_LOG10);
    cr_expect_str_eq(qala_normalise_transform_name(QALA_NORM_TF_CAP), "cap");
    cr_expect_eq(qala_normalise_transform_parse(&tf, "ln"), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "unknown normalisation transform 'ln' (expected one of none, log, log10, cap)");
}

/* ---- pooled parameters (panel) ------------------------------------------------------- */

/* Two periods: A = {0, 10}, B = {20, NAN, 40}. Pooled: 0, 10, 20, 40; min 0, max 40,
 * mean 17.5, squared deviations 306.25 + 56.25 + 6.25 + 506.25 = 875, sd = sqrt(875/3). */
static const double A[] = {0, 10}, B[] = {20, NAN, 40};

static void pool(qala_normalise_params *p, const qala_normalise_spec *s, int dir)
{
    qala_normalise_params_init(p);
    cr_assert_eq(qala_normalise_params_add(p, A, 1, 2, dir, s), QALA_OK);
    cr_assert_eq(qala_normalise_params_add(p, B, 1, 3, dir, s), QALA_OK);
}

Test(panel, parameters_pool_over_periods)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    qala_normalise_params p;
    pool(&p, &s, 1);
    cr_expect_eq(p.count, 4);
    cr_expect_eq(p.seen, 5);
    cr_expect_eq(p.min, 0);
    cr_expect_eq(p.max, 40);
    cr_expect_eq(p.mean, 0, "minmax needs no moments: mean and M2 stay 0");
    cr_expect_eq(p.m2, 0);
    /* zscore pools the mean and the M2 too, merged over the two blocks */
    qala_normalise_spec z;
    qala_normalise_spec_init(&z, QALA_NORM_ZSCORE);
    qala_normalise_params pz;
    pool(&pz, &z, 1);
    cr_expect(fabs(pz.mean - 17.5) < 1e-12);
    cr_expect(fabs(qala_normalise_params_sd(&pz) - sqrt(875.0 / 3)) < 1e-12);
    double out[3];
    unsigned fl = 9;
    /* minmax over the pool: A -> 0, 25; B -> 50, NAN, 100 */
    cr_assert_eq(qala_normalise_apply(out, 1, A, 1, 2, 1, &s, &p, &fl), QALA_OK);
    cr_expect(out[0] == 0 && out[1] == 25);
    cr_expect_eq(fl, 0);
    cr_assert_eq(qala_normalise_apply(out, 1, B, 1, 3, 1, &s, &p, &fl), QALA_OK);
    cr_expect(out[0] == 50 && isnan(out[1]) && out[2] == 100);
}

Test(panel, zscore_and_reference_over_the_pool)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_ZSCORE);
    qala_normalise_params p;
    pool(&p, &s, 1);
    double out[3], sd = sqrt(875.0 / 3);
    cr_assert_eq(qala_normalise_apply(out, 1, B, 1, 3, 1, &s, &p, NULL), QALA_OK);
    /* (20-17.5)/sd, NAN, (40-17.5)/sd */
    cr_expect(fabs(out[0] - 2.5 / sd) < 1e-12 && isnan(out[1]) && fabs(out[2] - 22.5 / sd) < 1e-12);

    qala_normalise_spec_init(&s, QALA_NORM_DIST2REF);
    s.ref = 2; /* position 2 of the pool: B[0] = 20 */
    pool(&p, &s, 1);
    cr_expect_eq(p.ref, 20);
    /* 1-(20-x)/(20-0): A -> 0, 0.5 */
    cr_assert_eq(qala_normalise_apply(out, 1, A, 1, 2, 1, &s, &p, NULL), QALA_OK);
    cr_expect(out[0] == 0 && out[1] == 0.5);
    s.ref = 3; /* B[1] is missing */
    pool(&p, &s, 1);
    unsigned fl = 0;
    cr_assert_eq(qala_normalise_apply(out, 1, A, 1, 2, 1, &s, &p, &fl), QALA_OK);
    cr_expect_eq(fl, QALA_NORM_REF_MISSING);
    cr_expect(isnan(out[0]) && isnan(out[1]));
}

Test(panel, refusals)
{
    qala_normalise_spec s;
    qala_normalise_params p;
    double out[3];
    qala_normalise_spec_init(&s, QALA_NORM_PRANK);
    pool(&p, &s, 1);
    cr_expect_eq(qala_normalise_apply(out, 1, A, 1, 2, 1, &s, &p, NULL), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message,
                     "normalise prank: a rank method needs every value at once; pass the pooled column to qala_normalise");
    qala_normalise_spec_init(&s, QALA_NORM_DIST2REF);
    s.ref = 5;
    pool(&p, &s, 1);
    cr_expect_eq(qala_normalise_apply(out, 1, A, 1, 2, 1, &s, &p, NULL), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "normalise dist2ref: reference index 5 was not among the 5 values added");
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    qala_normalise_params_init(&p);
    cr_expect_eq(qala_normalise_params_add(&p, A, 1, 2, -3, &s), QALA_EINVAL);
    cr_expect_eq(p.seen, 0, "a refused add changes nothing");
}

Test(panel, log_domain_flag_is_kept_in_the_parameters)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    s.transform = QALA_NORM_TF_LOG;
    qala_normalise_params p;
    pool(&p, &s, 1); /* A[0] = 0: outside the log's domain */
    cr_expect_eq(p.flags, QALA_NORM_DOMAIN);
    cr_expect_eq(p.count, 3);
    double out[3];
    unsigned fl = 0;
    /* log 20, log 40 over min log 10, max log 40: (log 20 - log 10)/(log 40 - log 10)*100 = 50 */
    cr_assert_eq(qala_normalise_apply(out, 1, B, 1, 3, 1, &s, &p, &fl), QALA_OK);
    cr_expect(fabs(out[0] - 50) < 1e-12 && isnan(out[1]) && fabs(out[2] - 100) < 1e-12);
    cr_expect_eq(fl, QALA_NORM_DOMAIN);
}

/* ---- allocation ---------------------------------------------------------------------- */

Test(alloc, rank_methods_fail_cleanly)
{
    qala_normalise_spec s;
    qala_normalise_spec_init(&s, QALA_NORM_RANK);
    double out[5] = {-7, -7, -7, -7, -7};
    fail_at = 0;
    calls = 0;
    qala_allocator_set(&failing_allocator);
    qala_status st = qala_normalise(out, 1, X, 1, 5, 1, &s, NULL);
    qala_allocator_set(NULL);
    fail_at = -1;
    cr_expect_eq(st, QALA_ENOMEM);
    for (size_t i = 0; i < N(out); i++)
        cr_expect_eq(out[i], -7);
    /* and the other methods allocate nothing */
    qala_normalise_spec_init(&s, QALA_NORM_MINMAX);
    fail_at = 0;
    calls = 0;
    qala_allocator_set(&failing_allocator);
    st = qala_normalise(out, 1, X, 1, 5, 1, &s, NULL);
    qala_allocator_set(NULL);
    fail_at = -1;
    cr_expect_eq(st, QALA_OK);
    cr_expect_eq(calls, 0);
}
