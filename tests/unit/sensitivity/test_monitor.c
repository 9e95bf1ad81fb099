/* The monitoring factor (qala_sens_monitor): with boundaries moved by ± a fraction, the
 * share of runs in the crisis zone has a closed form for one threshold, so the estimate
 * is checked against it; a fraction of 0 gives the nominal zones; the same seed gives the
 * same shares; rows without data give NAN; bad arguments are refused. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "qala/sensitivity.h"
#include "threshold_internal.h"

/* One threshold: higher is worse, warning at 5, crisis at 7, inclusive. */
static qala_thresholds *one_threshold(void)
{
    qala_thresholds *t;
    cr_assert_eq(qala_thresholds_new(&t), QALA_OK);
    qala_threshold th;
    memset(&th, 0, sizeof th);
    th.set = "test";
    th.indicator = 0;
    th.transform = QALA_TRANSFORM_LEVEL;
    th.k = 1;
    th.denominator = SIZE_MAX;
    th.scale = 1;
    th.group_basis = "";
    th.side = QALA_BAD_HIGH;
    th.warning = 5;
    th.crisis = 7;
    th.warning_high = th.crisis_high = NAN;
    th.inclusive = 1;
    th.valid_from = QALA_DATE_MIN;
    th.valid_to = QALA_DATE_MAX;
    th.source = th.justification = "";
    cr_assert_eq(qala_thresholds__append(t, &th, "test.csv"), QALA_OK);
    return t;
}

/* A scoreboard of four rows under threshold 0 with these transformed values. */
static void board(qala_monitor_result *b, double *x, uint32_t *thr, uint8_t *zone, size_t n)
{
    memset(b, 0, sizeof *b);
    b->n = n;
    b->transformed = x;
    b->threshold = thr;
    b->zone = zone;
}

Test(sens_monitor, crisis_share_matches_the_closed_form)
{
    qala_thresholds *t = one_threshold();
    /* 7.35 is in crisis when 7·(1 + 0.1u) <= 7.35, i.e. u <= 0.5: probability 0.75;
     * 4.9 is a warning when 5·(1 + 0.1u) <= 4.9, i.e. u <= −0.2: probability 0.4;
     * 9 is always in crisis, 3 never above normal. */
    double x[] = {7.35, 4.9, 9, 3, NAN};
    uint32_t thr[] = {0, 0, 0, 0, 0};
    uint8_t zone[5] = {0};
    qala_monitor_result b;
    board(&b, x, thr, zone, 5);
    qala_sens_monitor_options opt = {.runs = 20000, .fraction = 0.1, .seed = 42};
    qala_sens_monitor_result *r;
    cr_assert_eq(qala_sens_monitor(&r, &b, t, &opt), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(r->n, 5);
    /* binomial SD at 20,000 runs: sqrt(0.75·0.25/20000) = 0.0031; 4 SD */
    cr_assert(fabs(r->crisis_share[0] - 0.75) < 0.0125, "%g", r->crisis_share[0]);
    cr_assert_eq(r->breach_share[0], 1.0, "7.35 is always at least a warning");
    cr_assert(fabs(r->breach_share[1] - 0.4) < 0.014, "%g", r->breach_share[1]);
    cr_assert_eq(r->crisis_share[1], 0.0);
    cr_assert_eq(r->crisis_share[2], 1.0);
    cr_assert_eq(r->breach_share[3], 0.0);
    cr_assert(isnan(r->crisis_share[4]) && isnan(r->breach_share[4]), "no data stays NAN");
    cr_assert_eq(r->seed, 42);
    /* the same seed, the same shares; another seed, a close but different estimate */
    qala_sens_monitor_result *again, *other;
    cr_assert_eq(qala_sens_monitor(&again, &b, t, &opt), QALA_OK);
    cr_assert(memcmp(again->crisis_share, r->crisis_share, 4 * sizeof(double)) == 0);
    opt.seed = 43;
    cr_assert_eq(qala_sens_monitor(&other, &b, t, &opt), QALA_OK);
    cr_assert_neq(other->crisis_share[0], r->crisis_share[0]);
    cr_assert(fabs(other->crisis_share[0] - 0.75) < 0.0125);
    qala_sens_monitor_free(r);
    qala_sens_monitor_free(again);
    qala_sens_monitor_free(other);
    qala_thresholds_free(t);
}

Test(sens_monitor, a_fraction_of_zero_gives_the_nominal_zones)
{
    qala_thresholds *t = one_threshold();
    double x[] = {7, 6.99, 5, 4.99};
    uint32_t thr[] = {0, 0, 0, 0};
    uint8_t zone[4] = {0};
    qala_monitor_result b;
    board(&b, x, thr, zone, 4);
    qala_sens_monitor_options opt = {.runs = 10, .fraction = 0, .seed = 1};
    qala_sens_monitor_result *r;
    cr_assert_eq(qala_sens_monitor(&r, &b, t, &opt), QALA_OK);
    double crisis[] = {1, 0, 0, 0}, breach[] = {1, 1, 1, 0}; /* inclusive boundaries */
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(r->crisis_share[i], crisis[i], "row %zu", i);
        cr_assert_eq(r->breach_share[i], breach[i], "row %zu", i);
    }
    qala_sens_monitor_free(r);
    qala_thresholds_free(t);
}

Test(sens_monitor, bad_arguments_are_refused)
{
    qala_thresholds *t = one_threshold();
    double x[] = {1};
    uint32_t thr[] = {3};
    uint8_t zone[1] = {0};
    qala_monitor_result b;
    board(&b, x, thr, zone, 1);
    qala_sens_monitor_options opt = {.runs = 10, .fraction = 0.1, .seed = 1};
    qala_sens_monitor_result *r = (void *)1;
    cr_assert_eq(qala_sens_monitor(&r, &b, t, &opt), QALA_EINVAL);
    cr_assert_null(r);
    cr_assert_str_eq(qala_error_last()->message,
                     "monitoring sensitivity: row 0 names threshold 3 of 1");
    thr[0] = 0;
    opt.fraction = 1;
    cr_assert_eq(qala_sens_monitor(&r, &b, t, &opt), QALA_EINVAL);
    opt.fraction = 0.1;
    opt.runs = 0;
    cr_assert_eq(qala_sens_monitor(&r, &b, t, &opt), QALA_EINVAL);
    opt.runs = 10;
    b.transformed = NULL;
    cr_assert_eq(qala_sens_monitor(&r, &b, t, &opt), QALA_EINVAL);
    cr_assert(strstr(qala_error_last()->message, "QALA_MONITOR_VALUES"));
    qala_thresholds_free(t);
}
