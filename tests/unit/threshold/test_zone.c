/* Zones and distances of qala/threshold.h at every boundary (docs/thresholds.md, "Zones"
 * and "Distance"), and the code words. Thresholds are built by hand here; the expected
 * distances are computed by hand in the comments. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "qala/threshold.h"

static qala_threshold one_sided(qala_bad_side side, double warning, double crisis, int inclusive)
{
    qala_threshold th = {0};
    th.side = side;
    th.warning = warning;
    th.crisis = crisis;
    th.warning_high = th.crisis_high = NAN;
    th.inclusive = inclusive;
    return th;
}

/* crisis 10 | warning 20 | normal | 30 warning | 40 crisis */
static qala_threshold band(int inclusive)
{
    qala_threshold th = one_sided(QALA_BAD_OUTSIDE, 20, 10, inclusive);
    th.warning_high = 30;
    th.crisis_high = 40;
    return th;
}

#define ZONE(th, x, z) cr_expect_eq(qala_threshold_zone(&(th), (x)), (z), "x = %.17g", (double)(x))

Test(threshold_zone, low_inclusive_reaching_a_boundary_is_the_worse_zone)
{
    qala_threshold th = one_sided(QALA_BAD_LOW, 5, 3, 1);
    ZONE(th, 6, QALA_ZONE_NORMAL);
    ZONE(th, nextafter(5, INFINITY), QALA_ZONE_NORMAL);
    ZONE(th, 5, QALA_ZONE_WARNING);
    ZONE(th, 4, QALA_ZONE_WARNING);
    ZONE(th, nextafter(3, INFINITY), QALA_ZONE_WARNING);
    ZONE(th, 3, QALA_ZONE_CRISIS);
    ZONE(th, -100, QALA_ZONE_CRISIS);
    ZONE(th, -INFINITY, QALA_ZONE_CRISIS);
    ZONE(th, INFINITY, QALA_ZONE_NORMAL);
}

Test(threshold_zone, low_exclusive_the_boundary_still_belongs_to_the_better_zone)
{
    qala_threshold th = one_sided(QALA_BAD_LOW, 5, 3, 0);
    ZONE(th, 5, QALA_ZONE_NORMAL);
    ZONE(th, nextafter(5, -INFINITY), QALA_ZONE_WARNING);
    ZONE(th, 3, QALA_ZONE_WARNING);
    ZONE(th, nextafter(3, -INFINITY), QALA_ZONE_CRISIS);
}

Test(threshold_zone, high_inclusive_mirrors_low)
{
    qala_threshold th = one_sided(QALA_BAD_HIGH, 5, 7, 1);
    ZONE(th, 4, QALA_ZONE_NORMAL);
    ZONE(th, nextafter(5, -INFINITY), QALA_ZONE_NORMAL);
    ZONE(th, 5, QALA_ZONE_WARNING);
    ZONE(th, 6, QALA_ZONE_WARNING);
    ZONE(th, 7, QALA_ZONE_CRISIS);
    ZONE(th, 1e9, QALA_ZONE_CRISIS);
    ZONE(th, -INFINITY, QALA_ZONE_NORMAL);
}

Test(threshold_zone, high_exclusive)
{
    qala_threshold th = one_sided(QALA_BAD_HIGH, 5, 7, 0);
    ZONE(th, 5, QALA_ZONE_NORMAL);
    ZONE(th, nextafter(5, INFINITY), QALA_ZONE_WARNING);
    ZONE(th, 7, QALA_ZONE_WARNING);
    ZONE(th, nextafter(7, INFINITY), QALA_ZONE_CRISIS);
}

Test(threshold_zone, warning_equal_to_crisis_leaves_no_warning_zone)
{
    qala_threshold inc = one_sided(QALA_BAD_HIGH, 5, 5, 1), exc = one_sided(QALA_BAD_HIGH, 5, 5, 0);
    ZONE(inc, 4.9, QALA_ZONE_NORMAL);
    ZONE(inc, 5, QALA_ZONE_CRISIS);
    ZONE(exc, 5, QALA_ZONE_NORMAL);
    ZONE(exc, 5.1, QALA_ZONE_CRISIS);
}

Test(threshold_zone, band_inclusive_normal_is_the_open_interval)
{
    qala_threshold th = band(1);
    ZONE(th, 25, QALA_ZONE_NORMAL);
    ZONE(th, nextafter(20, INFINITY), QALA_ZONE_NORMAL);
    ZONE(th, nextafter(30, -INFINITY), QALA_ZONE_NORMAL);
    ZONE(th, 20, QALA_ZONE_WARNING);
    ZONE(th, 30, QALA_ZONE_WARNING);
    ZONE(th, 15, QALA_ZONE_WARNING);
    ZONE(th, 35, QALA_ZONE_WARNING);
    ZONE(th, nextafter(10, INFINITY), QALA_ZONE_WARNING);
    ZONE(th, nextafter(40, -INFINITY), QALA_ZONE_WARNING);
    ZONE(th, 10, QALA_ZONE_CRISIS);
    ZONE(th, 40, QALA_ZONE_CRISIS);
    ZONE(th, 5, QALA_ZONE_CRISIS);
    ZONE(th, 45, QALA_ZONE_CRISIS);
    ZONE(th, INFINITY, QALA_ZONE_CRISIS);
    ZONE(th, -INFINITY, QALA_ZONE_CRISIS);
}

Test(threshold_zone, band_exclusive_normal_is_the_closed_interval)
{
    qala_threshold th = band(0);
    ZONE(th, 20, QALA_ZONE_NORMAL);
    ZONE(th, 30, QALA_ZONE_NORMAL);
    ZONE(th, nextafter(20, -INFINITY), QALA_ZONE_WARNING);
    ZONE(th, nextafter(30, INFINITY), QALA_ZONE_WARNING);
    ZONE(th, 10, QALA_ZONE_WARNING);
    ZONE(th, 40, QALA_ZONE_WARNING);
    ZONE(th, nextafter(10, -INFINITY), QALA_ZONE_CRISIS);
    ZONE(th, nextafter(40, INFINITY), QALA_ZONE_CRISIS);
}

Test(threshold_zone, nan_is_no_data_on_every_side)
{
    qala_threshold lo = one_sided(QALA_BAD_LOW, 5, 3, 1), hi = one_sided(QALA_BAD_HIGH, 5, 7, 0);
    qala_threshold b = band(1);
    ZONE(lo, NAN, QALA_ZONE_NO_DATA);
    ZONE(hi, NAN, QALA_ZONE_NO_DATA);
    ZONE(b, NAN, QALA_ZONE_NO_DATA);
}

/* ---- distances ---- */

#define DIST(th, x, d, pct)                                                                \
    do {                                                                                   \
        double p_ = 0, d_ = qala_threshold_distance(&(th), (x), &p_);                      \
        cr_expect_float_eq(d_, (d), 1e-12, "x = %g: distance %.17g, expected %.17g",       \
                           (double)(x), d_, (double)(d));                                  \
        cr_expect_float_eq(p_, (pct), 1e-9, "x = %g: percent %.17g, expected %.17g",       \
                           (double)(x), p_, (double)(pct));                                \
    } while (0)

Test(threshold_distance, low_side_margin_then_past_the_crisis_boundary)
{
    qala_threshold th = one_sided(QALA_BAD_LOW, 5, 3, 1);
    DIST(th, 8, 3, 60);            /* normal: 8 - 5 = 3; 3 / 5 = 60% */
    DIST(th, 4, 1, 100.0 / 3);     /* warning: 4 - 3 = 1; 1 / 3 */
    DIST(th, 5, 2, 200.0 / 3);     /* warning at its boundary: 5 - 3 = 2 */
    DIST(th, 3, 0, 0);             /* crisis at its boundary */
    DIST(th, 2, -1, -100.0 / 3);   /* crisis: 2 - 3 = -1 */
}

Test(threshold_distance, high_side_mirrors)
{
    qala_threshold th = one_sided(QALA_BAD_HIGH, 5, 7, 1);
    DIST(th, 4, 1, 20);            /* 5 - 4 = 1; 1 / 5 */
    DIST(th, 6, 1, 100.0 / 7);     /* 7 - 6 = 1; 1 / 7 */
    DIST(th, 9, -2, -200.0 / 7);   /* 7 - 9 = -2; -2 / 7 */
}

Test(threshold_distance, exclusive_boundary_value_has_zero_margin)
{
    qala_threshold th = one_sided(QALA_BAD_HIGH, 5, 7, 0);
    DIST(th, 5, 0, 0); /* still normal, 0 left before warning */
    DIST(th, 7, 0, 0); /* still warning, 0 left before crisis */
}

Test(threshold_distance, negative_boundaries_use_their_absolute_value)
{
    qala_threshold th = one_sided(QALA_BAD_LOW, -2, -5, 1);
    DIST(th, 1, 3, 150);   /* normal: 1 - (-2) = 3; 3 / |-2| */
    DIST(th, -3, 2, 40);   /* warning: -3 - (-5) = 2; 2 / 5 */
    DIST(th, -6, -1, -20); /* crisis: -6 - (-5) = -1; -1 / 5 */
}

Test(threshold_distance, band_takes_the_nearest_relevant_side)
{
    qala_threshold th = band(1);
    DIST(th, 22, 2, 10);          /* normal, nearer 20: 22 - 20 = 2; 2 / 20 */
    DIST(th, 29, 1, 100.0 / 30);  /* normal, nearer 30: 30 - 29 = 1; 1 / 30 */
    DIST(th, 25, 5, 25);          /* the middle: both 5, the low side is taken; 5 / 20 */
    DIST(th, 15, 5, 50);          /* warning below: 15 - 10 = 5; 5 / 10 */
    DIST(th, 20, 10, 100);        /* warning at the lower normal edge: 20 - 10 */
    DIST(th, 36, 4, 10);          /* warning above: 40 - 36 = 4; 4 / 40 */
    DIST(th, 5, -5, -50);         /* crisis below: 5 - 10 = -5; -5 / 10 */
    DIST(th, 44, -4, -10);        /* crisis above: 40 - 44 = -4; -4 / 40 */
}

Test(threshold_distance, a_zero_boundary_gives_no_percent)
{
    qala_threshold th = one_sided(QALA_BAD_LOW, 0, -5, 1);
    double p = 0;
    cr_expect_float_eq(qala_threshold_distance(&th, 3, &p), 3, 1e-12);
    cr_expect(isnan(p));
    DIST(th, -2, 3, 60); /* warning: -2 - (-5) = 3; 3 / 5 */
}

Test(threshold_distance, nan_gives_nan_and_percent_may_be_null)
{
    qala_threshold th = band(0);
    double p = 0;
    cr_expect(isnan(qala_threshold_distance(&th, NAN, &p)));
    cr_expect(isnan(p));
    cr_expect_float_eq(qala_threshold_distance(&th, 12, NULL), 2, 1e-12); /* 12 - 10 */
}

/* ---- code words ---- */

Test(threshold_codes, transforms_round_trip)
{
    static const char *const codes[QALA_TRANSFORM_COUNT] = {
        "level", "per_denominator", "average", "change_points", "change_percent",
        "ratio_national", "ratio_group_median"};
    for (int i = 0; i < QALA_TRANSFORM_COUNT; i++) {
        qala_transform t = QALA_TRANSFORM_COUNT;
        cr_expect_str_eq(qala_transform_code((qala_transform)i), codes[i]);
        cr_expect_eq(qala_transform_parse(&t, codes[i]), QALA_OK);
        cr_expect_eq((int)t, i);
    }
    cr_expect_str_eq(qala_transform_code((qala_transform)QALA_TRANSFORM_COUNT), "?");
}

Test(threshold_codes, unknown_transform_is_einval_with_the_allowed_words)
{
    qala_transform t = QALA_TRANSFORM_AVERAGE;
    cr_expect_eq(qala_transform_parse(&t, "Level"), QALA_EINVAL);
    cr_expect_eq(t, QALA_TRANSFORM_AVERAGE);
    cr_expect_str_eq(qala_error_last()->message,
                     "unknown transform \"Level\": expected level, per_denominator, average, "
                     "change_points, change_percent, ratio_national or ratio_group_median");
    cr_expect_eq(qala_transform_parse(&t, ""), QALA_EINVAL);
}

Test(threshold_codes, confidences_and_zones)
{
    cr_expect_str_eq(qala_confidence_code(QALA_CONFIDENCE_RULE), "rule");
    cr_expect_str_eq(qala_confidence_code(QALA_CONFIDENCE_LITERATURE), "literature");
    cr_expect_str_eq(qala_confidence_code(QALA_CONFIDENCE_ASSUMPTION), "assumption");
    cr_expect_str_eq(qala_confidence_code((qala_confidence)7), "?");
    cr_expect_str_eq(qala_zone_code(QALA_ZONE_NO_DATA), "no_data");
    cr_expect_str_eq(qala_zone_code(QALA_ZONE_NORMAL), "normal");
    cr_expect_str_eq(qala_zone_code(QALA_ZONE_WARNING), "warning");
    cr_expect_str_eq(qala_zone_code(QALA_ZONE_CRISIS), "crisis");
    cr_expect_str_eq(qala_zone_code((qala_zone)9), "?");
}

Test(threshold_codes, an_empty_collection)
{
    qala_thresholds *t = NULL;
    cr_assert_eq(qala_thresholds_new(&t), QALA_OK);
    cr_expect_eq(qala_thresholds_count(t), 0);
    cr_expect_null(qala_thresholds_get(t, 0));
    qala_thresholds_free(t);
    qala_thresholds_free(NULL);
}
