/* bench/bench_util.h — what the benchmark programs share: a monotonic clock, exiting with
 * libqala's last error, the peak resident memory, a comparison for qsort of doubles, and
 * the value formula of the synthetic index tables (bench_index.c, bench_sensitivity.c;
 * index_reference.py and sensitivity_reference.py repeat it). A program defines
 * BENCH_PROGRAM (its name, for die's message) before including this. Benchmark code: it
 * exits on errors.
 */
#ifndef QALA_BENCH_UTIL_H
#define QALA_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qala/qala.h"

#ifndef BENCH_PROGRAM
#error "define BENCH_PROGRAM before including bench_util.h"
#endif

/* Seconds on the monotonic clock. */
static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Prints "PROGRAM: what: <libqala's last error>" and exits 1. */
static inline void die(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", BENCH_PROGRAM, what, qala_error_last()->message);
    exit(1);
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Peak resident memory of this process in bytes (VmHWM of /proc/self/status). */
static inline double peak_rss(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = atof(line + 6);
    if (f)
        fclose(f);
    return kb * 1024.0;
}

/* The value of unit u, indicator j (from 0) of the synthetic index tables. */
static inline double synth_value(uint64_t u, uint64_t j, uint64_t seed)
{
    uint64_t h = ((u + 1) * 73856093u) ^ ((j + 1) * 19349663u) ^ seed;
    h = (h * 2654435761u) & 0xffffffffu;
    return (double)(j % 7) * 10.0 + (double)(h % 100000) / 1000.0;
}

#endif
