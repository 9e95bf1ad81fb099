/* bench/bench_inequality.c — speed of the inequality kernels against one sort: a seeded
 * synthetic cross-section of N units (fictional; log-normal values and populations, about
 * 1% of the values missing, 2,000 inner groups — "districts" — in 50 outer groups) is
 * summarised (qala_ineq_summarise: Gini, CV, top/bottom 20%, Theil T/L, ... in one sort)
 * and decomposed (qala_theil_decompose by the inner groups, qala_theil_nested_decompose
 * inner → outer). The reference is one qsort of a copy of the same N values with the
 * usual double comparator, measured in this program on the same data. Each step runs
 * REPS times and keeps its best wall time; caller-provided scratch and group buffers are
 * reused (allocated once, outside the timing), the copy for qsort is made outside its
 * timing. Prints key=value lines for bench/run_inequality.sh; the target is
 * (summary + both decompositions) ≤ 10 × the sort.
 * Usage: bench_inequality [N SEED REPS]   (default 1000000 42 5)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qala/qala.h"
#define BENCH_PROGRAM "bench_inequality"
#include "bench_util.h"

enum { NINNER = 2000, NOUTER = 50 };

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double unif(uint64_t *s) { return ((double)(next(s) >> 11) + 0.5) / 9007199254740992.0; }

static double lognormal(uint64_t *s, double scale, double sigma)
{
    double u1 = unif(s), u2 = unif(s);
    return scale * exp(sigma * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2));
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    if (n < 10 || reps < 1) {
        fprintf(stderr, "usage: bench_inequality [N SEED REPS]  (N >= 10)\n");
        return 2;
    }
    double *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w), *copy = malloc(n * sizeof *copy);
    uint32_t *g = malloc(n * sizeof *g), outer_of[NINNER];
    qala_ineq_item *scratch = malloc(n * sizeof *scratch);
    static qala_ineq_group inner_groups[NINNER], outer_groups[NOUTER];
    if (!y || !w || !copy || !g || !scratch) {
        fprintf(stderr, "bench_inequality: out of memory\n");
        return 1;
    }
    uint64_t s = seed;
    for (size_t j = 0; j < NINNER; j++)
        outer_of[j] = (uint32_t)(j % NOUTER);
    for (size_t i = 0; i < n; i++) {
        g[i] = (uint32_t)(next(&s) % NINNER);
        /* a district effect times a unit effect, so that both stages have something */
        y[i] = lognormal(&s, 1.0, 0.5) * (1000.0 + 40.0 * (double)(g[i] % 97) + 300.0 * (double)outer_of[g[i]] / NOUTER);
        w[i] = lognormal(&s, 20000, 1.0);
        if (next(&s) % 100 == 0)
            y[i] = NAN;
    }

    double t_sort = INFINITY, t_sum = INFINITY, t_dec = INFINITY, t_nest = INFINITY;
    qala_ineq_summary sm;
    qala_theil_decomp dec;
    qala_theil_nested nest;
    for (int r = 0; r < reps; r++) {
        memcpy(copy, y, n * sizeof *copy);
        double t0 = now();
        qsort(copy, n, sizeof *copy, cmp_double);
        double t1 = now();
        if (qala_ineq_summarise(&sm, y, 1, w, 1, n, scratch) != QALA_OK)
            die("qala_ineq_summarise");
        double t2 = now();
        if (qala_theil_decompose(&dec, inner_groups, y, 1, w, 1, g, n, NINNER) != QALA_OK)
            die("qala_theil_decompose");
        double t3 = now();
        if (qala_theil_nested_decompose(&nest, inner_groups, outer_groups, y, 1, w, 1, g, n, outer_of,
                                        NINNER, NOUTER) != QALA_OK)
            die("qala_theil_nested_decompose");
        double t4 = now();
        t_sort = fmin(t_sort, t1 - t0);
        t_sum = fmin(t_sum, t2 - t1);
        t_dec = fmin(t_dec, t3 - t2);
        t_nest = fmin(t_nest, t4 - t3);
    }
    /* NAN sorts anywhere under this comparator; that is the same work for qsort. */
    printf("units=%zu\nseed=%llu\nreps=%d\n", n, (unsigned long long)seed, reps);
    printf("n_used=%zu\nn_missing=%zu\n", sm.n_used, sm.n_missing);
    printf("gini=%.12f\ncv=%.12f\ntop_bottom_20=%.12f\ntheil_t=%.12f\ntheil_l=%.12f\n", sm.gini, sm.cv,
           sm.top_bottom_20, sm.theil_t, sm.theil_l);
    printf("theil_t_within=%.12f\ntheil_t_between=%.12f\n", dec.t.within, dec.t.between);
    printf("nested_t=%.12f,%.12f,%.12f\n", nest.t.within_inner, nest.t.between_inner, nest.t.between_outer);
    printf("decomposition_error=%.3g\n",
           fabs(nest.t.within_inner + nest.t.between_inner + nest.t.between_outer - nest.t.total) / nest.t.total);
    printf("sort_seconds=%.6f\nsummary_seconds=%.6f\ndecompose_seconds=%.6f\nnested_seconds=%.6f\n", t_sort,
           t_sum, t_dec, t_nest);
    double total = t_sum + t_dec + t_nest;
    printf("total_seconds=%.6f\nratio_to_sort=%.3f\n", total, total / t_sort);
    free(y);
    free(w);
    free(copy);
    free(g);
    free(scratch);
    return 0;
}
