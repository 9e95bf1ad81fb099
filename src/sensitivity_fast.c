/* src/sensitivity_fast.c — the re-aggregating path of the sensitivity analysis: recompute
 * only what a run's choices change.
 *
 * Place: qala_sens_run (sensitivity_run.c) plans it after the sample is drawn, before the
 * runs. The factors split in two: the *upstream* ones (impute, treat, normalise, exclude)
 * change the normalised indicators; the *aggregation* ones (weights, aggregate) change
 * only what comes after. A configuration is one choice of every upstream factor; the runs
 * of an analysis use few of them (one when every factor is weights or aggregation; 10 for
 * COINr's ASEM factors: winmax 1–5 × two normalisations). Each configuration used is run
 * once through the staged pipeline (qala_index_run, every stage kept) and its normalised
 * indicators of the last period are kept; every run then only aggregates those with its
 * own weights and methods and ranks the summarised nodes.
 *
 * Runs come in batches (qala_sens__cache_batch): those of a batch that share a
 * configuration and a kind of mean aggregate the indicators together, four runs' sums in
 * registers per value read (mean_batch), then each run finishes on its own. A geometric
 * mean of geometric means takes its children in logarithms (log_mean), never taking
 * their exp and then its log again.
 *
 * Invariants: a run's ranks are those of qala_index_run on the run's tree (the same
 * operations on the same values in the same order — qala_agg_node's, qala_rank_min —
 * but for a geometric mean of geometric means, whose scores may differ by an ulp: the
 * tests compare both paths run by run); the aggregation of a run covers the last period's
 * rows only, which is all the ranks need (aggregation and ranking are per period). A run
 * whose configuration failed, whose aggregation refuses a value or whose every indicator
 * is screened out goes back to the full pipeline (sensitivity_run.c), which gives the
 * error with its usual message. Configurations are computed in parallel, each by one
 * thread, so nothing depends on the number of threads.
 * Workload: per configuration one staged run; per run O(kept units × indicators) for the
 * aggregation plus one radix-sort ranking per summarised node. Memory: configurations ×
 * indicators × kept units doubles (planned only within CACHE_BUDGET bytes), and per
 * thread a batch's aggregate columns (within BATCH_BUDGET).
 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "qala/rank.h"
#include "sensitivity_internal.h"
#include "util/internal.h"
#include "util/simd.h"

/* At most this many bytes of normalised configurations. */
#define CACHE_BUDGET ((size_t)1 << 30)
/* At most this many bytes of aggregate columns per thread for a batch of runs. */
#define BATCH_BUDGET ((size_t)32 << 20)

typedef struct config {
    qala_status st;     /* QALA_OK when computed and usable */
    size_t nk;          /* kept units */
    size_t *kept;       /* nk input indices */
    uint8_t *ind_kept;  /* nind: 1 when the indicator passed the screen */
    double *norm;       /* nind × nk: the last period's normalised values */
    double *lognorm;    /* nind × nk: their logarithms (when a geometric mean may run) */
    uint8_t *positive;  /* nind: every non-missing value finite and > 0 */
    uint8_t *gaps;      /* nind: some value missing */
    void *block;
} config;

struct qala_sens_cache {
    const qala_index_tree *tree;
    const qala_index_input *input;
    const qala_sens_factors *fs;
    const uint32_t *choice;    /* runs × d */
    size_t d, runs, nind, nnodes, maxc;
    unsigned long seed;
    const size_t *columns;
    size_t nconf;
    config *conf;
    size_t *conf_of;           /* runs: the configuration of run r */
    size_t *first_run;         /* nconf: a run of the configuration (its representative) */
    size_t *child_start, *child; /* children of node a: child[child_start[a] .. [a + 1]) */
    int geometric;             /* some aggregate may take a geometric mean */
    atomic_size_t next;
};

static int upstream(qala_sens_kind k)
{
    return k == QALA_SENS_IMPUTE || k == QALA_SENS_TREAT || k == QALA_SENS_NORMALISE ||
           k == QALA_SENS_EXCLUDE;
}

void qala_sens__cache_free(qala_sens_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->conf && i < c->nconf; i++)
        qala_mem__free(c->conf[i].block);
    qala_mem__free(c->conf);
    qala_mem__free(c->conf_of);
    qala_mem__free(c->first_run);
    qala_mem__free(c->child_start);
    qala_mem__free(c->child);
    qala_mem__free(c);
}

typedef struct keyed {
    uint64_t key;
    size_t run;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->run < y->run ? -1 : x->run > y->run;
}

/* Computes configuration i: the staged pipeline on the tree of its first run. */
static void compute_config(qala_sens_cache *c, size_t i, qala_sens_work *w)
{
    config *cf = &c->conf[i];
    size_t r = c->first_run[i];
    qala_sens__apply(w, c->fs, c->choice + r * c->d, c->tree, c->input, c->columns, c->seed);
    w->tree.settings.scores_only = 0;
    w->tree.settings.rank_from = w->tree.nlevels;
    w->tree.settings.threads = 1;
    qala_index_result *ir = NULL;
    cf->st = qala_index_run(&ir, &w->tree, &w->input);
    if (cf->st != QALA_OK)
        return;
    size_t nk = qala_index_result_units(ir), np = qala_index_result_periods(ir), ni = c->nind;
    size_t nlog = c->geometric ? ni * nk : 0;
    cf->block = qala_mem__malloc(nk * sizeof(size_t) + 3 * ni + (ni * nk + nlog) * sizeof(double) +
                                 32);
    if (!cf->block) {
        cf->st = qala_err__set(QALA_ENOMEM, "out of memory (a normalised configuration)");
        qala_index_result_free(ir);
        return;
    }
    cf->nk = nk;
    cf->norm = cf->block;
    cf->lognorm = nlog ? cf->norm + ni * nk : NULL;
    cf->kept = (size_t *)(void *)(cf->norm + ni * nk + nlog);
    cf->ind_kept = (uint8_t *)(cf->kept + nk);
    cf->positive = cf->ind_kept + ni;
    cf->gaps = cf->positive + ni;
    for (size_t k = 0; k < nk; k++)
        cf->kept[k] = qala_index_result_unit(ir, k);
    for (size_t j = 0; j < ni; j++) {
        const double *col = qala_index_result_column(ir, QALA_INDEX_STAGE_NORMALISED, j);
        cf->ind_kept[j] = qala_index_result_report(ir, j)->screen == QALA_INDEX_KEPT && col;
        cf->positive[j] = cf->gaps[j] = 0;
        if (!cf->ind_kept[j])
            continue;
        double *x = cf->norm + j * nk;
        memcpy(x, col + (np - 1) * nk, nk * sizeof(double));
        int pos = 1, gaps = 0;
        for (size_t k = 0; k < nk; k++) {
            pos &= isnan(x[k]) || (x[k] > 0 && isfinite(x[k]));
            gaps |= isnan(x[k]);
        }
        cf->positive[j] = (uint8_t)pos;
        cf->gaps[j] = (uint8_t)gaps;
        for (size_t k = 0; nlog && pos && k < nk; k++)
            cf->lognorm[j * nk + k] = log(x[k]); /* log(NAN) is NAN */
    }
    qala_index_result_free(ir);
}

typedef struct conf_worker {
    qala_sens_cache *c;
    qala_sens_work *w;
    pthread_t thread;
} conf_worker;

static void *conf_main(void *arg)
{
    conf_worker *cw = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&cw->c->next, 1);
        if (i >= cw->c->nconf)
            break;
        compute_config(cw->c, i, cw->w);
    }
    return NULL;
}

qala_status qala_sens__cache_new(qala_sens_cache **out, const qala_index_tree *tree,
                                 const qala_index_input *input, const qala_sens_factors *fs,
                                 const uint32_t *choice, size_t runs, const size_t *columns,
                                 unsigned long seed, qala_sens_work *const *works,
                                 size_t nthreads)
{
    *out = NULL;
    size_t d = qala_sens_factors_count(fs);
    /* the key of a run: its upstream choices in mixed radix */
    uint64_t radix[QALA_SENS_MAX_FACTORS], total = 1;
    for (size_t i = 0; i < d; i++) {
        radix[i] = 0;
        if (!upstream(qala_sens_factor_kind(fs, i)))
            continue;
        uint64_t k = qala_sens_factor_alternatives(fs, i, tree);
        if (k == 0 || total > ((uint64_t)1 << 62) / k)
            return QALA_OK; /* too many configurations to key: the full path */
        radix[i] = total;
        total *= k;
    }
    keyed *keys = qala_mem__malloc((runs + 1) * sizeof *keys);
    qala_sens_cache *c = qala_mem__calloc(1, sizeof *c);
    qala_status st = QALA_OK;
    if (!keys || !c) {
        st = qala_err__set(QALA_ENOMEM, "out of memory (sensitivity configurations)");
        goto fail;
    }
    *c = (qala_sens_cache){.tree = tree, .input = input, .fs = fs, .choice = choice, .d = d,
                           .runs = runs, .nind = tree->nindicators, .nnodes = tree->nnodes,
                           .seed = seed, .columns = columns};
    for (size_t r = 0; r < runs; r++) {
        uint64_t key = 0;
        for (size_t i = 0; i < d; i++)
            key += radix[i] * choice[r * d + i];
        keys[r] = (keyed){key, r};
    }
    qsort(keys, runs, sizeof *keys, by_key);
    size_t nconf = 0;
    for (size_t r = 0; r < runs; r++)
        nconf += r == 0 || keys[r].key != keys[r - 1].key;
    /* worth it when configurations are at most half the runs and fit the budget */
    size_t per = tree->nindicators * input->nunits * sizeof(double) + input->nunits * 8;
    if (2 * nconf > runs || (per && nconf > CACHE_BUDGET / per)) {
        qala_mem__free(keys);
        qala_sens__cache_free(c);
        return QALA_OK;
    }
    c->nconf = nconf;
    c->conf = qala_mem__calloc(nconf, sizeof *c->conf);
    c->conf_of = qala_mem__malloc((runs + 1) * sizeof *c->conf_of);
    c->first_run = qala_mem__malloc((nconf + 1) * sizeof *c->first_run);
    if (!c->conf || !c->conf_of || !c->first_run) {
        st = qala_err__set(QALA_ENOMEM, "out of memory (sensitivity configurations)");
        goto fail;
    }
    for (size_t r = 0, i = SIZE_MAX; r < runs; r++) {
        if (r == 0 || keys[r].key != keys[r - 1].key)
            c->first_run[++i] = keys[r].run; /* sorted by run within a key: the lowest */
        c->conf_of[keys[r].run] = i;
    }
    qala_mem__free(keys);
    keys = NULL;
    /* children of each node in array order (as the pipeline takes them) */
    size_t nn = tree->nnodes;
    c->child_start = qala_mem__calloc(nn + 2, sizeof *c->child_start);
    c->child = qala_mem__malloc((nn + 1) * sizeof *c->child);
    if (!c->child_start || !c->child) {
        st = qala_err__set(QALA_ENOMEM, "out of memory (sensitivity configurations)");
        goto fail;
    }
    for (size_t j = 0; j + 1 < nn; j++)
        c->child_start[tree->nodes[j].parent + 2]++;
    for (size_t a = 0; a < nn; a++)
        c->child_start[a + 2] += c->child_start[a + 1];
    for (size_t j = 0; j + 1 < nn; j++)
        c->child[c->child_start[tree->nodes[j].parent + 1]++] = j;
    c->maxc = 1;
    for (size_t a = 0; a < nn; a++)
        if (c->child_start[a + 1] - c->child_start[a] > c->maxc)
            c->maxc = c->child_start[a + 1] - c->child_start[a];
    /* a geometric mean anywhere (the tree or an alternative): keep the logarithms */
    for (size_t a = tree->nindicators; a < nn; a++)
        c->geometric |= tree->nodes[a].aggregate.method == QALA_AGG_GEOMETRIC;
    for (size_t i = 0; i < d; i++)
        if (fs->f[i].kind == QALA_SENS_AGGREGATE)
            for (size_t a = 0; a < fs->f[i].nalt; a++)
                c->geometric |= fs->f[i].agg[a].method == QALA_AGG_GEOMETRIC;
    /* the configurations, in parallel */
    atomic_init(&c->next, 0);
    if (nthreads > nconf)
        nthreads = nconf;
    conf_worker cw[64];
    if (nthreads > 64)
        nthreads = 64;
    size_t started = 0;
    for (size_t t = 1; t < nthreads; t++) {
        cw[t] = (conf_worker){.c = c, .w = works[t]};
        if (pthread_create(&cw[t].thread, NULL, conf_main, &cw[t]) != 0)
            break;
        started = t;
    }
    cw[0] = (conf_worker){.c = c, .w = works[0]};
    conf_main(&cw[0]);
    for (size_t t = 1; t <= started; t++)
        pthread_join(cw[t].thread, NULL);
    for (size_t i = 0; i < nconf; i++)
        if (c->conf[i].st == QALA_ENOMEM) {
            st = qala_err__set(QALA_ENOMEM, "out of memory (a normalised configuration)");
            goto fail;
        }
    *out = c;
    return QALA_OK;
fail:
    qala_mem__free(keys);
    qala_sens__cache_free(c);
    return st;
}

size_t qala_sens__cache_configs(const qala_sens_cache *c)
{
    return c ? c->nconf : 0;
}

qala_status qala_sens__scratch_init(qala_sens_scratch *s, const qala_sens_cache *c)
{
    memset(s, 0, sizeof *s);
    size_t nu = c->input->nunits, na = c->nnodes - c->nind, nn = c->nnodes;
    /* a batch of runs aggregates the indicators together: one set of aggregate columns
     * per run of the batch, within BATCH_BUDGET bytes */
    size_t per = na * nu * sizeof(double) + 1;
    s->batch = BATCH_BUDGET / per;
    s->batch = s->batch < 1 ? 1 : s->batch > QALA_SENS_BATCH ? QALA_SENS_BATCH : s->batch;
    size_t bytes = (s->batch * na + c->maxc + 1) * nu * sizeof(double) + c->maxc * sizeof(double) +
                   c->maxc * sizeof(size_t) + c->maxc * sizeof(double *) +
                   nu * sizeof(qala_rank_item) + 2 * nn + s->batch * nn + 64;
    s->block = qala_mem__malloc(bytes);
    if (!s->block)
        return qala_err__set(QALA_ENOMEM, "out of memory (a sensitivity run's scratch)");
    s->agg = s->block;
    s->gather = s->agg + s->batch * na * nu;
    s->rk = s->gather + c->maxc * nu;
    s->cw = s->rk + nu;
    s->items = (qala_rank_item *)(void *)(s->cw + c->maxc);
    s->kid = (size_t *)(void *)(s->items + nu);
    s->lx = (const double **)(void *)(s->kid + c->maxc);
    s->alive = (uint8_t *)(s->lx + c->maxc);
    s->inlog = s->alive + nn;
    s->pre = s->inlog + nn;
    memset(s->pre, 0, s->batch * nn);
    return QALA_OK;
}

void qala_sens__scratch_free(qala_sens_scratch *s)
{
    qala_mem__free(s->block);
    s->block = NULL;
}

/* The weighted geometric mean in logarithms: y = s / ws with s = Σ w_j log x_j and ws the
 * weight sum of the non-missing children, both in child order, as aggregate.c computes
 * them (admit, then the sum) before its exp(s / ws) — so exp(y) has the same bits as
 * aggregate.c's mean. The logarithms come from the cache (indicators: log of the
 * normalised values, taken once per configuration) or from the children's own y (a
 * geometric mean of geometric means: the child's exp is never taken, and its log never
 * taken back; the result differs from the staged path's log(exp(y)) by an ulp or so,
 * which moves no rank but a tie closer than that). A unit below the availability
 * threshold, or without a weighted child, is NAN. Units side by side, a chunk at a time,
 * branch-free inner loops. */
enum { CHUNK = 256 };

#if defined(__GNUC__) && !defined(__clang__)
/* as aggregate.c is built: vectorised, the NAN tests if-converted (qala never reads the
 * floating-point exception flags) */
#define HOT __attribute__((optimize("tree-vectorize", "vect-cost-model=dynamic", "no-trapping-math")))
#else
#define HOT
#endif

QALA_VECTOR_CLONES HOT
static void log_mean(double *y, const double *const *lx, size_t nk, size_t m, int gaps,
                     const double *w, const qala_agg_spec *spec)
{
    double s[CHUNK], ws[CHUNK], cnt[CHUNK];
    for (size_t i0 = 0; i0 < nk; i0 += CHUNK) {
        size_t len = nk - i0 < CHUNK ? nk - i0 : CHUNK;
        for (size_t i = 0; i < len; i++)
            s[i] = ws[i] = cnt[i] = 0;
        if (!gaps) { /* every child present: the weight sum in child order, plain sums */
            double wall = 0;
            for (size_t j = 0; j < m; j++)
                wall += w[j];
            for (size_t i = 0; i < len; i++) {
                ws[i] = wall;
                cnt[i] = (double)m;
            }
            for (size_t j = 0; j < m; j++) {
                const double *l = lx[j] + i0;
                double wj = w[j];
                for (size_t i = 0; i < len; i++)
                    s[i] += wj * l[i];
            }
        } else {
            for (size_t j = 0; j < m; j++) {
                const double *l = lx[j] + i0;
                double wj = w[j];
                for (size_t i = 0; i < len; i++) {
                    double v = l[i];
                    int ok = v == v;
                    ws[i] += ok ? wj : 0.0;
                    cnt[i] += ok ? 1.0 : 0.0;
                    s[i] += ok ? wj * v : 0.0;
                }
            }
        }
        for (size_t i = 0; i < len; i++) {
            int ok = !((double)cnt[i] / (double)m < spec->availability) && cnt[i] > 0 &&
                     ws[i] > 0;
            y[i0 + i] = ok ? s[i] / ws[i] : NAN;
        }
    }
}

/* Every present value of a column in logarithms lies where exp neither underflows nor
 * overflows (so the staged path would take this child as a finite, positive value). */
static int log_column_safe(const double *l, size_t nk)
{
    int ok = 1;
    for (size_t k = 0; k < nk; k++)
        ok &= isnan(l[k]) || (l[k] > -700.0 && l[k] < 700.0);
    return ok;
}

/* Takes aggregate column y out of logarithms. */
static void exp_column(double *y, size_t nk)
{
    for (size_t k = 0; k < nk; k++)
        y[k] = exp(y[k]); /* exp(NAN) is NAN */
}

/* Children the geometric mean in logarithms can take: indicators whose normalised values
 * are all positive (their logarithms are cached), aggregates held in logarithms within
 * exp's range. Fills lx with their logarithm columns and *gaps. */
static int log_mean_applies(const config *cf, const qala_sens_scratch *s, const double *agg,
                            const size_t *kid, size_t m, size_t ni, const qala_agg_spec *spec,
                            const double **lx, int *gaps)
{
    if (!cf->lognorm || spec->method != QALA_AGG_GEOMETRIC || spec->offset != 0 || m == 0)
        return 0;
    size_t nk = cf->nk;
    *gaps = 0;
    for (size_t j = 0; j < m; j++) {
        if (kid[j] < ni) {
            if (!cf->positive[kid[j]])
                return 0;
            lx[j] = cf->lognorm + kid[j] * nk;
            *gaps |= cf->gaps[kid[j]];
        } else {
            if (!s->inlog[kid[j]])
                return 0;
            lx[j] = agg + (kid[j] - ni) * nk;
            *gaps = 1; /* an aggregate may be missing for some units */
        }
    }
    for (size_t j = 0; j < m; j++)
        if (kid[j] >= ni && !log_column_safe(lx[j], nk))
            return 0;
    return 1;
}

/* The weighted means of the same indicator columns (x: m columns of nk values, none
 * missing) with nb runs' weights (w: nb × m) at once, a chunk of units at a time: each
 * chunk of a column is read once for every run instead of once per run. Per run and unit
 * the operations of agg_arithmetic (or log_mean) without gaps — s = 0, s += w_j x_j in
 * child order, s / wall — so the same bits. x holds the normalised values (arithmetic
 * mean) or their logarithms (geometric mean, kept in logarithms). */
/* children of an aggregate the batch kernel takes at most (its weights on the stack) */
enum { BATCH_MAX_CHILDREN = 64 };

typedef double v8d __attribute__((vector_size(64)));

/* unaligned loads and stores of eight doubles (memcpy: no aliasing or alignment
 * assumption; GCC makes it one instruction) */
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8d))
#define STORE8(p, v) memcpy((p), &(v), sizeof(v8d))

QALA_VECTOR_CLONES HOT
static void mean_batch(double *const *y, const double *const *x, size_t nk, size_t m,
                       size_t nb, const double *w, const double *wall)
{
    size_t i0 = 0;
    /* eight units at a time, four runs' sums in registers: each value loaded once for
     * four runs, no sum stored until the last child */
    for (; i0 + 8 <= nk; i0 += 8) {
        size_t b = 0;
        for (; b + 4 <= nb; b += 4) {
            v8d s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
            const double *w0 = w + b * m, *w1 = w0 + m, *w2 = w1 + m, *w3 = w2 + m;
            for (size_t j = 0; j < m; j++) {
                v8d xv;
                LOAD8(xv, x[j] + i0);
                s0 += w0[j] * xv;
                s1 += w1[j] * xv;
                s2 += w2[j] * xv;
                s3 += w3[j] * xv;
            }
            s0 /= wall[b];
            s1 /= wall[b + 1];
            s2 /= wall[b + 2];
            s3 /= wall[b + 3];
            STORE8(y[b] + i0, s0);
            STORE8(y[b + 1] + i0, s1);
            STORE8(y[b + 2] + i0, s2);
            STORE8(y[b + 3] + i0, s3);
        }
        for (; b < nb; b++) {
            v8d s0 = {0};
            const double *w0 = w + b * m;
            for (size_t j = 0; j < m; j++) {
                v8d xv;
                LOAD8(xv, x[j] + i0);
                s0 += w0[j] * xv;
            }
            s0 /= wall[b];
            STORE8(y[b] + i0, s0);
        }
    }
    for (; i0 < nk; i0++) /* the last units, one at a time, the same operations */
        for (size_t b = 0; b < nb; b++) {
            double s0 = 0;
            for (size_t j = 0; j < m; j++)
                s0 += w[b * m + j] * x[j][i0];
            y[b][i0] = s0 / wall[b];
        }
}

void qala_sens__cache_batch(const qala_sens_cache *c, qala_sens_scratch *s,
                            qala_sens_work *const *w, size_t r0, size_t nb)
{
    size_t ni = c->nind, nn = c->nnodes, na = nn - ni;
    if (nb > s->batch)
        nb = s->batch;
    memset(s->pre, 0, nb * nn);
    if (nb < 2)
        return;
    for (size_t a = ni; a < nn; a++) {
        /* runs of the batch that can share this aggregate's pass: the same configuration
         * (so the same living children), both arithmetic or both geometric in logs, no
         * missing value among the children; taken in groups of the first run's kind */
        size_t done = 0;
        uint8_t taken[QALA_SENS_BATCH] = {0};
        while (done < nb) {
            size_t lead = SIZE_MAX;
            for (size_t b = 0; b < nb && lead == SIZE_MAX; b++)
                if (!taken[b])
                    lead = b;
            taken[lead] = 1;
            done++;
            const config *cf = &c->conf[c->conf_of[r0 + lead]];
            const qala_agg_spec *sp = &w[lead]->tree.nodes[a].aggregate;
            if (cf->st != QALA_OK)
                continue;
            int kind = sp->method == QALA_AGG_ARITHMETIC ? 1
                       : sp->method == QALA_AGG_GEOMETRIC && sp->offset == 0 && cf->lognorm ? 2
                                                                                         : 0;
            size_t m = 0;
            for (size_t q = c->child_start[a]; q < c->child_start[a + 1] && kind; q++) {
                size_t j = c->child[q];
                if (j >= ni) {
                    kind = 0; /* an aggregate's children: run by run */
                    break;
                }
                if (!cf->ind_kept[j])
                    continue;
                if (cf->gaps[j] || (kind == 2 && !cf->positive[j]))
                    kind = 0;
                s->lx[m] = (kind == 2 ? cf->lognorm : cf->norm) + j * cf->nk;
                s->kid[m++] = j;
            }
            if (!kind || m == 0)
                continue;
            size_t group[QALA_SENS_BATCH], g = 0;
            double wts[QALA_SENS_BATCH * BATCH_MAX_CHILDREN], wall[QALA_SENS_BATCH];
            double *ys[QALA_SENS_BATCH];
            if (m > BATCH_MAX_CHILDREN) /* run by run */
                continue;
            group[g++] = lead;
            for (size_t b = lead + 1; b < nb; b++) {
                const qala_agg_spec *sb = &w[b]->tree.nodes[a].aggregate;
                int kb = sb->method == QALA_AGG_ARITHMETIC                     ? 1
                         : sb->method == QALA_AGG_GEOMETRIC && sb->offset == 0 ? 2
                                                                               : 0;
                if (!taken[b] && c->conf_of[r0 + b] == c->conf_of[r0 + lead] && kb == kind) {
                    taken[b] = 1;
                    done++;
                    group[g++] = b;
                }
            }
            if (g < 2) /* alone: run by run as usual */
                continue;
            size_t ok = 0;
            for (size_t k = 0; k < g; k++) {
                size_t b = group[k];
                double sum = 0;
                for (size_t j = 0; j < m; j++) {
                    wts[ok * m + j] = w[b]->tree.nodes[s->kid[j]].weight;
                    sum += wts[ok * m + j];
                }
                if (!(sum > 0))
                    continue; /* no weight: the kernel's NAN and flag, run by run */
                wall[ok] = sum;
                ys[ok] = s->agg + (b * na + (a - ni)) * cf->nk;
                s->pre[b * nn + a] = (uint8_t)kind;
                ok++;
            }
            mean_batch(ys, s->lx, cf->nk, m, ok, wts, wall);
        }
    }
}

qala_status qala_sens__cache_run(const qala_sens_cache *c, qala_sens_scratch *s,
                                 const qala_sens_work *w, size_t r, size_t slot,
                                 const size_t *nodes, size_t nsum, uint32_t *ranks,
                                 uint32_t *nranked)
{
    const config *cf = &c->conf[c->conf_of[r]];
    if (cf->st != QALA_OK)
        return cf->st;
    size_t nk = cf->nk, ni = c->nind, nn = c->nnodes, nu = c->input->nunits;
    const qala_index_node *nd = w->tree.nodes;
    double *agg = s->agg + slot * (nn - ni) * nk;
    const uint8_t *pre = s->pre + slot * nn;
    for (size_t i = 0; i < nn; i++) {
        s->alive[i] = i < ni && cf->ind_kept[i];
        s->inlog[i] = 0;
    }
    for (size_t i = 0; i + 1 < nn; i++)
        if (s->alive[i])
            s->alive[nd[i].parent] = 1;
    if (!s->alive[nn - 1])
        return QALA_EDATA;
    for (size_t a = ni; a < nn; a++) {
        double *y = agg + (a - ni) * nk;
        if (pre[a]) { /* done with the batch (qala_sens__cache_batch) */
            s->inlog[a] = pre[a] == 2;
            continue;
        }
        if (!s->alive[a]) {
            for (size_t k = 0; k < nk; k++)
                y[k] = NAN;
            continue;
        }
        size_t m = 0;
        for (size_t q = c->child_start[a]; q < c->child_start[a + 1]; q++) {
            size_t j = c->child[q];
            if (s->alive[j]) {
                s->kid[m] = j;
                s->cw[m++] = nd[j].weight;
            }
        }
        s->inlog[a] = 0;
        int gaps = 0;
        if (log_mean_applies(cf, s, agg, s->kid, m, ni, &nd[a].aggregate, s->lx, &gaps)) {
            log_mean(y, s->lx, nk, m, gaps, s->cw, &nd[a].aggregate);
            s->inlog[a] = 1;
            continue;
        }
        for (size_t j = 0; j < m; j++) /* children held in logarithms: out of them */
            if (s->kid[j] >= ni && s->inlog[s->kid[j]]) {
                exp_column(agg + (s->kid[j] - ni) * nk, nk);
                s->inlog[s->kid[j]] = 0;
            }
        int consecutive = 1, indicators = s->kid[0] < ni;
        for (size_t j = 1; j < m && consecutive; j++)
            consecutive = s->kid[j] == s->kid[0] + j && (s->kid[j] < ni) == indicators;
        const double *x;
        if (consecutive)
            x = indicators ? cf->norm + s->kid[0] * nk : agg + (s->kid[0] - ni) * nk;
        else {
            for (size_t j = 0; j < m; j++)
                memcpy(s->gather + j * nk,
                       s->kid[j] < ni ? cf->norm + s->kid[j] * nk : agg + (s->kid[j] - ni) * nk,
                       nk * sizeof(double));
            x = s->gather;
        }
        qala_agg_report rep;
        qala_status st = qala_agg_node(y, NULL, &rep, x, nk, m, 1, nk, s->cw, &nd[a].aggregate);
        if (st != QALA_OK)
            return st;
    }
    memset(ranks, 0, nsum * nu * sizeof *ranks);
    for (size_t j = 0; j < nsum; j++) {
        const double *y = agg + (nodes[j] - ni) * nk;
        qala_status st = qala_rank_min(s->rk, 1, y, 1, nk, QALA_RANK_DESC, s->items);
        if (st != QALA_OK)
            return st;
        uint32_t count = 0;
        uint32_t *out = ranks + j * nu;
        for (size_t k = 0; k < nk; k++)
            if (!isnan(s->rk[k])) {
                out[cf->kept[k]] = (uint32_t)s->rk[k];
                count++;
            }
        nranked[j] = count;
    }
    return QALA_OK;
}
