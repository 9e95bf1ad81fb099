/* Worker threads and optional columns: the result must not depend on the number of
 * threads (byte for byte), and leaving out the optional columns must not change the
 * columns that remain. Synthetic data (fictional units T000000…), sized so that the
 * evaluation really splits into several ranges (more than 65,536 observations each). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"

/* 1,000 units × 3 indicators × 60 months, values from a fixed formula, every 17th
 * missing; level, change and average thresholds on each indicator. */
static void big_panel(fx *f)
{
    char code[16];
    for (int u = 0; u < 1000; u++) {
        uint32_t uid;
        snprintf(code, sizeof code, "T%06d", u);
        cr_assert_eq(qala_dataset_intern_unit(f->ds, code, &uid), QALA_OK);
        for (uint32_t i = 0; i < 3; i++) {
            uint32_t iid;
            cr_assert_eq(qala_dataset_intern_indicator(f->ds, i == 0 ? "INC" : i == 1 ? "UNEMP" : "POP", &iid), QALA_OK);
            for (int m = 0; m < 60; m++) {
                if ((u * 7 + m * 3 + (int)i) % 17 == 0)
                    continue;
                double v = 50 + 40 * sin(u * 0.37 + m * 0.21 + i) + (m % 7);
                qala_period p = (qala_period)((2015 + m / 12) * 100 + m % 12 + 1);
                cr_assert_eq(qala_dataset_append(f->ds, uid, iid, p, v, QALA_FLAG_NONE, 0), QALA_OK);
            }
        }
    }
    for (size_t i = 0; i < 3; i++) {
        qala_threshold a = fx_th(i, QALA_TRANSFORM_LEVEL, 1, QALA_BAD_HIGH, 70, 85);
        qala_threshold b = fx_th(i, QALA_TRANSFORM_CHANGE_PERCENT, 12, QALA_BAD_LOW, -5, -15);
        qala_threshold c = fx_th(i, QALA_TRANSFORM_AVERAGE, 3, QALA_BAD_LOW, 30, 20);
        fx_add(f, &a);
        fx_add(f, &b);
        fx_add(f, &c);
    }
}

#define SAME_COLUMN(a, b, col)                                                               \
    cr_assert((a)->col == NULL ? (b)->col == NULL                                            \
                               : memcmp((a)->col, (b)->col, (a)->n * sizeof *(a)->col) == 0, \
              "column " #col " differs")

Test(monitor_parallel, the_result_is_the_same_whatever_the_thread_count)
{
    fx f;
    fx_init(&f);
    big_panel(&f);
    cr_assert_gt(qala_dataset_size(f.ds), 2 * 65536, "too small to be split");
    f.opt.threads = 1;
    fx_run_ok(&f);
    qala_monitor_result *one = f.r;
    f.r = NULL;
    for (int threads = 2; threads <= 5; threads++) {
        f.opt.threads = threads;
        fx_run_ok(&f);
        cr_assert_eq(f.r->n, one->n, "%d threads: %zu rows, 1 thread: %zu", threads, f.r->n, one->n);
        SAME_COLUMN(f.r, one, unit);
        SAME_COLUMN(f.r, one, threshold);
        SAME_COLUMN(f.r, one, period);
        SAME_COLUMN(f.r, one, zone);
        SAME_COLUMN(f.r, one, trend);
        SAME_COLUMN(f.r, one, status);
        SAME_COLUMN(f.r, one, periods_to_breach);
        /* doubles compared as bytes: NAN rows too */
        SAME_COLUMN(f.r, one, value);
        SAME_COLUMN(f.r, one, transformed);
        SAME_COLUMN(f.r, one, distance);
        SAME_COLUMN(f.r, one, distance_pct);
        SAME_COLUMN(f.r, one, slope);
    }
    /* every kind of row is there, so the comparison meant something */
    size_t zones[4] = {0};
    for (size_t i = 0; i < one->n; i++)
        zones[one->zone[i]]++;
    cr_expect_gt(zones[QALA_ZONE_NORMAL], 0);
    cr_expect_gt(zones[QALA_ZONE_WARNING], 0);
    cr_expect_gt(zones[QALA_ZONE_CRISIS], 0);
    cr_expect_gt(zones[QALA_ZONE_NO_DATA], 0);
    qala_monitor_result_free(one);
    fx_free(&f);
}

Test(monitor_parallel, leaving_out_optional_columns_keeps_the_others)
{
    fx f;
    fx_init(&f);
    big_panel(&f);
    fx_run_ok(&f);
    qala_monitor_result *all = f.r;
    f.r = NULL;
    f.opt.columns = 0;
    fx_run_ok(&f);
    cr_assert_null(f.r->value);
    cr_assert_null(f.r->transformed);
    cr_assert_null(f.r->distance);
    cr_assert_null(f.r->distance_pct);
    cr_assert_null(f.r->slope);
    cr_assert_eq(f.r->n, all->n);
    cr_assert(memcmp(f.r->zone, all->zone, all->n) == 0);
    cr_assert(memcmp(f.r->status, all->status, all->n) == 0);
    cr_assert(memcmp(f.r->trend, all->trend, all->n) == 0);
    cr_assert(memcmp(f.r->periods_to_breach, all->periods_to_breach, all->n * sizeof(int32_t)) == 0);
    f.opt.columns = QALA_MONITOR_SLOPES;
    fx_run_ok(&f);
    cr_assert_null(f.r->value);
    cr_assert_not_null(f.r->slope);
    cr_assert(memcmp(f.r->slope, all->slope, all->n * sizeof(double)) == 0);
    f.opt.columns = 8;
    cr_expect_eq(fx_run(&f), QALA_EINVAL);
    qala_monitor_result_free(all);
    fx_free(&f);
}

typedef struct stream_check {
    const qala_monitor_result *all;
    size_t seen, batches, stop_after;
    int mismatch;
} stream_check;

static int compare_batch(void *ctx, const qala_monitor_result *rows)
{
    stream_check *s = ctx;
    for (size_t i = 0; i < rows->n; i++, s->seen++) {
        size_t j = s->seen;
        if (j >= s->all->n || rows->unit[i] != s->all->unit[j] || rows->threshold[i] != s->all->threshold[j] ||
            rows->period[i] != s->all->period[j] || rows->zone[i] != s->all->zone[j] ||
            rows->status[i] != s->all->status[j] || rows->trend[i] != s->all->trend[j] ||
            rows->periods_to_breach[i] != s->all->periods_to_breach[j] ||
            memcmp(&rows->transformed[i], &s->all->transformed[j], sizeof(double)) != 0)
            s->mismatch = 1;
        if (i > 0 && rows->unit[i] != rows->unit[0])
            s->mismatch = 1; /* one unit per batch */
    }
    return ++s->batches == s->stop_after;
}

Test(monitor_parallel, streaming_gives_the_rows_of_evaluate_one_unit_at_a_time)
{
    fx f;
    fx_init(&f);
    big_panel(&f);
    fx_run_ok(&f);
    stream_check s = {f.r, 0, 0, 0, 0};
    cr_assert_eq(qala_monitor_each(f.ds, f.ths, f.fw, f.reg, &f.opt, compare_batch, &s), QALA_OK);
    cr_expect_eq(s.mismatch, 0);
    cr_expect_eq(s.seen, f.r->n);
    cr_expect_eq(s.batches, 1000); /* one batch per unit */
    stream_check early = {f.r, 0, 0, 7, 0};
    cr_assert_eq(qala_monitor_each(f.ds, f.ths, f.fw, f.reg, &f.opt, compare_batch, &early), QALA_OK);
    cr_expect_eq(early.batches, 7, "fn returning nonzero stops the walk");
    cr_expect_eq(early.mismatch, 0);
    fx_free(&f);
}
