/* Properties on seeded random data (log-normal values and populations, fictional units):
 * the decomposition parts add up to the total (1e-12), for one grouping and for both
 * stages of the nested one; scale invariance; replicating each unit k times equals
 * multiplying its weight by k; equal values give 0; the Gini stays in [0, 1); missing
 * values are counted and change nothing else; strides. The seed is in every message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ineq_test.h"
#include "qala/inequality.h"

#define N 1200
#define NINNER 17 /* inner group 16 stays empty */
#define NOUTER 4

typedef struct sample {
    double y[N], w[N];
    uint32_t inner[N];
    uint32_t outer_of[NINNER];
    uint32_t outer[N];
} sample;

static void make(sample *s, uint64_t seed)
{
    test_rng r = {seed};
    for (size_t j = 0; j < NINNER; j++)
        s->outer_of[j] = (uint32_t)(j % NOUTER);
    for (size_t i = 0; i < N; i++) {
        s->y[i] = rng_lognormal(&r, 5000, 0.6);
        s->w[i] = rng_lognormal(&r, 20000, 1.2);
        s->inner[i] = (uint32_t)(rng_next(&r) % (NINNER - 1));
        s->outer[i] = s->outer_of[s->inner[i]];
    }
}

static const uint64_t seeds[] = {1, 42, 20221231, 0xdecafbad};
#define NSEEDS (sizeof seeds / sizeof seeds[0])

Test(properties, one_stage_within_plus_between_is_total)
{
    static sample s;
    for (size_t k = 0; k < NSEEDS; k++) {
        make(&s, seeds[k]);
        qala_theil_decomp d;
        qala_ineq_group g[NINNER];
        cr_assert_eq(qala_theil_decompose(&d, g, s.y, 1, s.w, 1, s.inner, N, NINNER), QALA_OK);
        cr_expect(fabs(d.t.within + d.t.between - d.t.total) <= 1e-12 * d.t.total,
                  "seed %llu: T %.17g + %.17g vs %.17g", (unsigned long long)seeds[k],
                  d.t.within, d.t.between, d.t.total);
        cr_expect(fabs(d.l.within + d.l.between - d.l.total) <= 1e-12 * d.l.total,
                  "seed %llu: L %.17g + %.17g vs %.17g", (unsigned long long)seeds[k],
                  d.l.within, d.l.between, d.l.total);
        cr_expect_eq(d.n_groups, NINNER - 1);
        cr_expect_eq(g[NINNER - 1].n, 0);
        cr_expect(isnan(g[NINNER - 1].mean) && isnan(g[NINNER - 1].theil_t));
        /* The total equals the summary's Theils (computed through a different path). */
        qala_ineq_summary sm;
        cr_assert_eq(qala_ineq_summarise(&sm, s.y, 1, s.w, 1, N, NULL), QALA_OK);
        expect_rel(d.t.total, sm.theil_t, 1e-12, "T total vs summary");
        expect_rel(d.l.total, sm.theil_l, 1e-12, "L total vs summary");
        /* Shares add up to 1. */
        double ps = 0, is = 0;
        for (size_t j = 0; j < NINNER; j++)
            ps += g[j].pop_share, is += g[j].income_share;
        expect_rel(ps, 1.0, 1e-13, "population shares");
        expect_rel(is, 1.0, 1e-13, "income shares");
    }
}

Test(properties, nested_stages_add_up_and_match_the_one_stage_decompositions)
{
    static sample s;
    for (size_t k = 0; k < NSEEDS; k++) {
        make(&s, seeds[k]);
        qala_theil_nested r;
        cr_assert_eq(qala_theil_nested_decompose(&r, NULL, NULL, s.y, 1, s.w, 1, s.inner, N,
                                                 s.outer_of, NINNER, NOUTER), QALA_OK);
        qala_theil_decomp by_inner, by_outer;
        cr_assert_eq(qala_theil_decompose(&by_inner, NULL, s.y, 1, s.w, 1, s.inner, N, NINNER), QALA_OK);
        cr_assert_eq(qala_theil_decompose(&by_outer, NULL, s.y, 1, s.w, 1, s.outer, N, NOUTER), QALA_OK);
        const qala_theil_nested_parts *parts[2] = {&r.t, &r.l};
        const qala_theil_parts *pi[2] = {&by_inner.t, &by_inner.l}, *po[2] = {&by_outer.t, &by_outer.l};
        for (int m = 0; m < 2; m++) {
            const qala_theil_nested_parts *p = parts[m];
            double sum = p->within_inner + p->between_inner + p->between_outer;
            cr_expect(fabs(sum - p->total) <= 1e-12 * p->total, "seed %llu, %s: %.17g vs %.17g",
                      (unsigned long long)seeds[k], m ? "L" : "T", sum, p->total);
            /* stage 1: outer groups */
            expect_rel(p->within_inner + p->between_inner, po[m]->within, 1e-12, "stage 1 within");
            expect_rel(p->between_outer, po[m]->between, 1e-11, "stage 1 between");
            /* stage 2: inner groups */
            expect_rel(p->within_inner, pi[m]->within, 1e-12, "stage 2 within");
            expect_rel(p->between_inner + p->between_outer, pi[m]->between, 1e-12, "stage 2 between");
            expect_rel(p->total, pi[m]->total, 1e-13, "total");
        }
        cr_expect_eq(r.n_inner, NINNER - 1);
        cr_expect_eq(r.n_outer, NOUTER);
    }
}

static void expect_same_summary(const qala_ineq_summary *a, const qala_ineq_summary *b, double tol,
                                const char *what)
{
    for (int m = 0; m < QALA_INEQ_MEASURE_COUNT; m++) {
        char label[96];
        snprintf(label, sizeof label, "%s: %s", what, qala_ineq_measure_code((qala_ineq_measure)m));
        expect_rel(qala_ineq_summary_get(a, (qala_ineq_measure)m),
                   qala_ineq_summary_get(b, (qala_ineq_measure)m), tol, label);
    }
}

Test(properties, measures_are_scale_invariant_in_values_and_weights)
{
    static sample s;
    static double y2[N], w2[N];
    const double scales[] = {1000.0, 3.7e-4};
    for (size_t k = 0; k < NSEEDS; k++) {
        make(&s, seeds[k]);
        qala_ineq_summary a, b;
        cr_assert_eq(qala_ineq_summarise(&a, s.y, 1, s.w, 1, N, NULL), QALA_OK);
        for (size_t c = 0; c < 2; c++) {
            for (size_t i = 0; i < N; i++)
                y2[i] = s.y[i] * scales[c], w2[i] = s.w[i] * scales[c];
            cr_assert_eq(qala_ineq_summarise(&b, y2, 1, s.w, 1, N, NULL), QALA_OK);
            expect_same_summary(&a, &b, 1e-12, "values scaled");
            expect_rel(b.mean, a.mean * scales[c], 1e-13, "the mean scales");
            cr_assert_eq(qala_ineq_summarise(&b, s.y, 1, w2, 1, N, NULL), QALA_OK);
            expect_same_summary(&a, &b, 1e-12, "weights scaled");
            qala_theil_decomp d1, d2;
            cr_assert_eq(qala_theil_decompose(&d1, NULL, s.y, 1, s.w, 1, s.inner, N, NINNER), QALA_OK);
            cr_assert_eq(qala_theil_decompose(&d2, NULL, y2, 1, s.w, 1, s.inner, N, NINNER), QALA_OK);
            expect_rel(d2.t.between, d1.t.between, 1e-12, "T between, values scaled");
            expect_rel(d2.l.within, d1.l.within, 1e-12, "L within, values scaled");
        }
    }
}

Test(properties, replicating_each_unit_k_times_equals_weights_times_k)
{
    enum { K = 3, M = 300 };
    static double y[M * K], w[M * K], wk[M];
    static uint32_t g[M * K];
    static sample s;
    for (size_t k = 0; k < NSEEDS; k++) {
        make(&s, seeds[k]);
        for (size_t i = 0; i < M; i++) {
            wk[i] = s.w[i] * K;
            for (size_t r = 0; r < K; r++) {
                y[r * M + i] = s.y[i];
                w[r * M + i] = s.w[i];
                g[r * M + i] = s.inner[i];
            }
        }
        qala_ineq_summary a, b;
        cr_assert_eq(qala_ineq_summarise(&a, y, 1, w, 1, M * K, NULL), QALA_OK);
        cr_assert_eq(qala_ineq_summarise(&b, s.y, 1, wk, 1, M, NULL), QALA_OK);
        expect_same_summary(&a, &b, 1e-12, "replicated vs weights x3");
        expect_rel(a.weight, b.weight, 1e-14, "W");
        /* And the same as the unreplicated population weights (shares unchanged). */
        cr_assert_eq(qala_ineq_summarise(&b, s.y, 1, s.w, 1, M, NULL), QALA_OK);
        expect_same_summary(&a, &b, 1e-12, "replicated vs original");
        qala_theil_nested n1, n2;
        cr_assert_eq(qala_theil_nested_decompose(&n1, NULL, NULL, y, 1, w, 1, g, M * K, s.outer_of,
                                                 NINNER, NOUTER), QALA_OK);
        cr_assert_eq(qala_theil_nested_decompose(&n2, NULL, NULL, s.y, 1, wk, 1, s.inner, M, s.outer_of,
                                                 NINNER, NOUTER), QALA_OK);
        expect_rel(n1.t.between_inner, n2.t.between_inner, 1e-12, "nested T between inner");
        expect_rel(n1.l.within_inner, n2.l.within_inner, 1e-12, "nested L within inner");
    }
}

Test(properties, equal_values_give_zero_and_gini_stays_below_one)
{
    static sample s;
    static double flat[N];
    for (size_t k = 0; k < NSEEDS; k++) {
        make(&s, seeds[k]);
        for (size_t i = 0; i < N; i++)
            flat[i] = 42.5;
        qala_ineq_summary a;
        cr_assert_eq(qala_ineq_summarise(&a, flat, 1, s.w, 1, N, NULL), QALA_OK);
        expect_abs(a.gini, 0.0, 1e-14, "gini of equal values");
        expect_abs(a.cv, 0.0, 1e-14, "cv of equal values");
        expect_abs(a.theil_t, 0.0, 1e-14, "theil T of equal values");
        expect_abs(a.theil_l, 0.0, 1e-14, "theil L of equal values");
        expect_rel(a.top_bottom_20, 1.0, 1e-14, "top/bottom of equal values");
        cr_assert_eq(qala_ineq_summarise(&a, s.y, 1, s.w, 1, N, NULL), QALA_OK);
        cr_expect(a.gini >= 0 && a.gini < 1, "seed %llu: gini %g", (unsigned long long)seeds[k], a.gini);
        /* Very unequal: one unit of weight 1 holds nearly everything among 1200. */
        for (size_t i = 0; i < N; i++)
            flat[i] = i == 7 ? 1e12 : 1e-6 * s.y[i];
        cr_assert_eq(qala_ineq_summarise(&a, flat, 1, NULL, 1, N, NULL), QALA_OK);
        cr_expect(a.gini > 0.99 && a.gini < 1, "gini %.17g", a.gini);
        cr_expect(a.gini <= (N - 1.0) / N + 1e-15, "gini %.17g above (n-1)/n", a.gini);
    }
}

Test(properties, missing_values_are_counted_and_ignored)
{
    static sample s;
    static double y[N], w[N], yc[N], wc[N], ys[N], ws[N];
    static uint32_t g[N], gc[N];
    make(&s, 7);
    memcpy(y, s.y, sizeof y);
    memcpy(w, s.w, sizeof w);
    memcpy(g, s.inner, sizeof g);
    size_t m = 0, ms = 0, missing = 0, nogroup = 0, nonpos = 0;
    for (size_t i = 0; i < N; i++) {
        switch (i % 10) {
        case 0: y[i] = NAN; missing++; continue;
        case 1: w[i] = i % 20 == 1 ? 0.0 : -5.0; missing++; continue;
        case 2: w[i] = NAN; missing++; continue;
        case 3: y[i] = INFINITY; missing++; continue;
        case 4: if (i % 20 == 4) g[i] = QALA_INEQ_NO_GROUP; break;
        case 5: if (i % 20 == 5) y[i] = -1.0; break;
        }
        /* the summary keeps units of no group; the decomposition leaves both out */
        ys[ms] = y[i], ws[ms] = w[i];
        ms++;
        if (g[i] == QALA_INEQ_NO_GROUP) {
            nogroup++;
            continue;
        }
        if (y[i] <= 0) {
            nonpos++;
            continue;
        }
        yc[m] = y[i], wc[m] = w[i], gc[m] = g[i];
        m++;
    }
    qala_ineq_summary a, b;
    cr_assert_eq(qala_ineq_summarise(&a, y, 1, w, 1, N, NULL), QALA_OK);
    cr_expect_eq(a.n_missing, missing);
    cr_expect_eq(a.n_used, N - missing);
    cr_expect_eq(a.n_nonpositive, nonpos, "one unit in 20 set to -1");
    cr_assert_eq(qala_ineq_summarise(&b, ys, 1, ws, 1, ms, NULL), QALA_OK);
    cr_expect_eq(b.n_missing, 0);
    expect_same_summary(&a, &b, 1e-12, "without the missing units");

    qala_theil_decomp d, dc;
    cr_assert_eq(qala_theil_decompose(&d, NULL, y, 1, w, 1, g, N, NINNER), QALA_OK);
    cr_expect_eq(d.n_missing, missing);
    cr_expect_eq(d.n_no_group, nogroup);
    cr_expect_eq(d.n_nonpositive, nonpos);
    cr_expect_eq(d.n_used + d.n_missing + d.n_no_group + d.n_nonpositive, N);
    cr_assert_eq(qala_theil_decompose(&dc, NULL, yc, 1, wc, 1, gc, m, NINNER), QALA_OK);
    cr_expect_eq(dc.n_used, d.n_used);
    expect_rel(d.t.total, dc.t.total, 1e-12, "T total");
    expect_rel(d.l.between, dc.l.between, 1e-12, "L between");
}

Test(properties, strides_read_every_other_cell)
{
    static sample s;
    static double yw[2 * N]; /* interleaved y, w */
    make(&s, 99);
    for (size_t i = 0; i < N; i++)
        yw[2 * i] = s.y[i], yw[2 * i + 1] = s.w[i];
    qala_ineq_summary a, b;
    cr_assert_eq(qala_ineq_summarise(&a, s.y, 1, s.w, 1, N, NULL), QALA_OK);
    cr_assert_eq(qala_ineq_summarise(&b, yw, 2, yw + 1, 2, N, NULL), QALA_OK);
    expect_same_summary(&a, &b, 0, "strided");
    qala_theil_decomp d1, d2;
    cr_assert_eq(qala_theil_decompose(&d1, NULL, s.y, 1, s.w, 1, s.inner, N, NINNER), QALA_OK);
    cr_assert_eq(qala_theil_decompose(&d2, NULL, yw, 2, yw + 1, 2, s.inner, N, NINNER), QALA_OK);
    expect_rel(d2.t.within, d1.t.within, 0, "strided T within");
}
