#define _POSIX_C_SOURCE 200809L
/* bench/bench_monitor.c — threshold monitoring speed: a seeded synthetic panel of N
 * units × K indicators × T years (fictional U000001…, I001…, years from 2001) and three
 * thresholds per indicator (level, change_percent k=1, average k=3), evaluated by
 * qala_monitor_evaluate on one thread. Prints key=value lines for bench/run_monitor.sh:
 * the evaluations (result rows), seconds, rate, and checksums (zone, status and trend
 * counts, projections) that bench/monitor_reference.py must reproduce.
 * The values come from a formula of (unit, indicator, year, seed) that the reference
 * repeats, so no data file is needed; about 2% of the cells are left out (missing).
 * The evaluation runs REPS times (each allocating its result afresh); the best time
 * counts, and each run's wall, user and system time is printed (system time is mostly
 * the kernel zeroing the result's fresh pages: 59 bytes a row).
 * Usage: bench_monitor [N K T SEED REPS]   (default 10000 100 20 42 3)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "qala/qala.h"
#include "threshold_internal.h" /* qala_thresholds__append */
#define BENCH_PROGRAM "bench_monitor"
#include "bench_util.h"

static double cpu(const struct timeval *tv) { return (double)tv->tv_sec + (double)tv->tv_usec * 1e-6; }

/* The synthetic value of unit u, indicator i, year index t (all from 0); the same
 * formula is in bench/monitor_reference.py. *missing: the cell is left out. */
static double synth(uint64_t u, uint64_t i, uint64_t t, uint64_t seed, int *missing)
{
    uint64_t h = ((u + 1) * 73856093u) ^ ((i + 1) * 19349663u) ^ ((t + 1) * 83492791u) ^ seed;
    h = (h * 2654435761u) & 0xffffffffu;
    *missing = h % 50 == 0;
    return 50.0 + (double)(i % 10) * 5.0 + (double)t * 0.5 * (double)((int)(u % 3) - 1) +
           (double)(h % 1000) / 100.0;
}

/* Zone, status, trend and projection counts of the rows (the numbers compared with the
 * numpy reference). */
typedef struct counts {
    size_t n, zones[4], status[5], trend[4], projected;
    long long ptb_sum;
} counts;

static int count_batch(void *ctx, const qala_monitor_result *r)
{
    counts *c = ctx;
    for (size_t i = 0; i < r->n; i++) {
        c->zones[r->zone[i]]++;
        c->status[r->status[i]]++;
        c->trend[r->trend[i]]++;
        if (r->periods_to_breach[i] >= 0)
            c->projected++, c->ptb_sum += r->periods_to_breach[i];
    }
    c->n += r->n;
    return 0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000, k = argc > 2 ? atol(argv[2]) : 100;
    long years = argc > 3 ? atol(argv[3]) : 20, seed = argc > 4 ? atol(argv[4]) : 42;
    long reps = argc > 5 ? atol(argv[5]) : 3;
    /* "all": every result column; "zones": zone, trend, status and projection only */
    int zones_only = argc > 6 && strcmp(argv[6], "zones") == 0;
    /* "stream": qala_monitor_each, the counts taken batch by batch, nothing kept */
    int stream = argc > 6 && strcmp(argv[6], "stream") == 0;
    int threads = argc > 7 ? atoi(argv[7]) : 1; /* 0: one per CPU */
    if (n < 1 || k < 1 || k > 999 || years < 1 || years > 100 || reps < 1) {
        fprintf(stderr, "usage: bench_monitor [N K T SEED REPS] (K <= 999, T <= 100)\n");
        return 2;
    }
    qala_framework *fw;
    qala_dataset *ds;
    qala_thresholds *ths;
    if (qala_framework_new(&fw) || qala_dataset_new(&ds) || qala_thresholds_new(&ths))
        die("setup");
    char code[32];
    uint32_t id;
    for (long i = 0; i < k; i++) {
        snprintf(code, sizeof code, "I%03ld", i + 1);
        qala_indicator ind = {.code = code, .domain = QALA_DOMAIN_ECONOMY, .direction = 1, .unit = "",
                              .min = -INFINITY, .max = INFINITY, .name = {code, code, code},
                              .description = "synthetic", .source = "synthetic"};
        size_t idx;
        if (qala_framework_add(fw, &ind, &idx) || qala_dataset_intern_indicator(ds, code, &id))
            die("indicator");
        /* base level of the indicator: 50 + (i % 10) * 5, as in synth() */
        double base = 50.0 + (double)(i % 10) * 5.0;
        qala_threshold th = {.set = "bench", .indicator = (size_t)i, .k = 1, .scale = 1,
                             .group_basis = "", .inclusive = 1, .valid_from = QALA_DATE_MIN,
                             .valid_to = QALA_DATE_MAX, .source = "synthetic", .justification = "",
                             .confidence = QALA_CONFIDENCE_ASSUMPTION};
        th.transform = QALA_TRANSFORM_LEVEL, th.side = QALA_BAD_HIGH;
        th.warning = base + 8, th.crisis = base + 12;
        if (qala_thresholds__append(ths, &th, "bench"))
            die("threshold");
        th.transform = QALA_TRANSFORM_CHANGE_PERCENT, th.k = 1, th.side = QALA_BAD_HIGH;
        th.warning = 8, th.crisis = 15;
        if (qala_thresholds__append(ths, &th, "bench"))
            die("threshold");
        th.transform = QALA_TRANSFORM_AVERAGE, th.k = 3, th.side = QALA_BAD_LOW;
        th.warning = base + 2, th.crisis = base - 2;
        if (qala_thresholds__append(ths, &th, "bench"))
            die("threshold");
    }
    if (qala_dataset_reserve(ds, (size_t)(n * k * years)))
        die("reserve");
    for (long u = 0; u < n; u++) {
        snprintf(code, sizeof code, "U%06ld", u + 1);
        if (qala_dataset_intern_unit(ds, code, &id))
            die("unit");
        for (long i = 0; i < k; i++)
            for (long t = 0; t < years; t++) {
                int missing;
                double v = synth((uint64_t)u, (uint64_t)i, (uint64_t)t, (uint64_t)seed, &missing);
                if (!missing &&
                    qala_dataset_append(ds, id, (uint32_t)i, (qala_period)((2001 + t) * 100), v,
                                        QALA_FLAG_NONE, 0))
                    die("append");
            }
    }
    qala_monitor_options opt = QALA_MONITOR_OPTIONS_INIT;
    if (zones_only || stream)
        opt.columns = 0;
    opt.threads = threads;
    qala_monitor_result *r = NULL;
    double secs = INFINITY, user = 0, sys = 0; /* best run */
    counts cnt = {0};
    for (long rep = 0; rep < reps; rep++) {
        qala_monitor_result_free(r);
        r = NULL;
        struct rusage a, b;
        getrusage(RUSAGE_SELF, &a);
        double t0 = now();
        memset(&cnt, 0, sizeof cnt);
        if (stream ? qala_monitor_each(ds, ths, fw, NULL, &opt, count_batch, &cnt)
                   : qala_monitor_evaluate(&r, ds, ths, fw, NULL, &opt))
            die("evaluate");
        double s = now() - t0;
        getrusage(RUSAGE_SELF, &b);
        double us = cpu(&b.ru_utime) - cpu(&a.ru_utime), ss = cpu(&b.ru_stime) - cpu(&a.ru_stime);
        printf("run%ld_seconds=%.3f (user %.3f, system %.3f)\n", rep + 1, s, us, ss);
        if (s < secs)
            secs = s, user = us, sys = ss;
    }

    if (!stream) {
        memset(&cnt, 0, sizeof cnt);
        count_batch(&cnt, r);
    }
    size_t *zones = cnt.zones, *status = cnt.status, *trend = cnt.trend, projected = cnt.projected;
    long long ptb_sum = cnt.ptb_sum;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("observations=%zu\n", qala_dataset_size(ds));
    printf("evaluations=%zu\n", cnt.n);
    printf("threads=%d\n", threads);
    printf("qala_seconds=%.3f\n", secs);
    printf("qala_evaluations_per_second=%.0f\n", (double)cnt.n / secs);
    printf("qala_user_seconds=%.3f\n", user);
    printf("qala_system_seconds=%.3f\n", sys);
    printf("zones=%zu,%zu,%zu,%zu\n", zones[0], zones[1], zones[2], zones[3]);
    printf("status=%zu,%zu,%zu,%zu,%zu\n", status[0], status[1], status[2], status[3], status[4]);
    printf("trend=%zu,%zu,%zu,%zu\n", trend[0], trend[1], trend[2], trend[3]);
    printf("projected=%zu,%lld\n", projected, ptb_sum);
    printf("qala_peak_kib=%ld\n", ru.ru_maxrss);
    qala_monitor_result_free(r);
    qala_thresholds_free(ths);
    qala_dataset_free(ds);
    qala_framework_free(fw);
    return 0;
}
