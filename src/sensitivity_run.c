/* src/sensitivity_run.c — the uncertainty and sensitivity analysis itself: the sample of
 * factor choices, the runs of the index pipeline in parallel, the rank summaries and the
 * Sobol indices (qala/sensitivity.h, docs/sensitivity.md).
 *
 * Place: after a tree is resolved and its input laid out (as for qala_index_run); the
 * command `qala sensitivity` and the report read the result through the getters.
 * Invariants: every run's choices are fixed before any run starts (the Monte Carlo
 * sample from one mt19937 seeded with the seed, or the Saltelli design), and a run writes
 * only its own slot of the rank table, so the result is the same whatever the number of
 * threads and whichever thread ran what. Runs are taken in order from a shared counter,
 * a batch at a time (qala_sens__cache_batch; one run without the re-aggregating path);
 * after a cancellation the runs done are exactly the first `done` ones (the batches in
 * flight finish), so a cancelled Monte Carlo analysis is a smaller one, and a cancelled
 * Saltelli design keeps its complete rows. The first error is the one of the lowest run.
 * Workload: N·(d+2) or N runs, each on its own copy of the tree and of the input's column
 * codes (sensitivity.c): a re-aggregation of its configuration's normalised indicators
 * (sensitivity_fast.c) or a whole pipeline run (scores only); then O(runs · units) for
 * the summaries (a radix sort of each unit's ranks, blocks of units in parallel) and
 * O(B·N·d) per Sobol output.
 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sensitivity_internal.h"
#include "util/internal.h"

struct qala_sens_result {
    qala_sens_design design;
    unsigned long seed;
    size_t d, n, runs, done;
    int cancelled;
    size_t nconfigs;          /* configurations re-aggregated (0: full runs) */
    size_t nunits;
    char *code_block;
    const char **unit_codes;
    size_t nsum;              /* summarised nodes */
    size_t *nodes;            /* nsum tree indices */
    double *sample;           /* runs × d */
    uint32_t *choice;         /* runs × d */
    uint32_t *nominal;        /* nsum × nunits */
    uint32_t *ranks;          /* runs × nsum × nunits */
    uint32_t *nranked;        /* runs × nsum: units ranked in the run */
    qala_sens_rank_summary *summary; /* nsum × nunits */
    double *shift;            /* runs */
    size_t noutputs;
    qala_sobol_index *sobol;  /* noutputs × d */
};

void qala_sens_result_free(qala_sens_result *res)
{
    if (!res)
        return;
    qala_mem__free(res->code_block);
    qala_mem__free(res->unit_codes);
    qala_mem__free(res->nodes);
    qala_mem__free(res->sample);
    qala_mem__free(res->choice);
    qala_mem__free(res->nominal);
    qala_mem__free(res->ranks);
    qala_mem__free(res->nranked);
    qala_mem__free(res->summary);
    qala_mem__free(res->shift);
    qala_mem__free(res->sobol);
    qala_mem__free(res);
}

/* ---- one run ---------------------------------------------------------------------------- */

typedef struct job {
    const qala_index_tree *tree;
    const qala_index_input *input;
    const qala_sens_factors *fs;
    qala_sens_result *res;
    const size_t *columns;    /* per indicator: its input column or SIZE_MAX */
    const qala_sens_cache *cache; /* the re-aggregating path, or NULL */
    int rank_from;
    atomic_size_t next, done;
    atomic_int stop;
    pthread_mutex_t lock;
    pthread_cond_t cv;
    size_t running;
    size_t err_run;
    qala_status err;
    char err_message[sizeof qala_error_last()->message];
} job;

/* Copies the last-period ranks of the summarised nodes of one run into out (nsum ×
 * nunits) and the ranked counts into nranked (nsum). */
static void keep_ranks(const qala_sens_result *res, const qala_index_result *ir, uint32_t *out,
                       uint32_t *nranked)
{
    size_t nk = qala_index_result_units(ir), np = qala_index_result_periods(ir);
    memset(out, 0, res->nsum * res->nunits * sizeof *out);
    for (size_t j = 0; j < res->nsum; j++) {
        const double *col = qala_index_result_column(ir, QALA_INDEX_STAGE_RANKED, res->nodes[j]);
        uint32_t count = 0;
        for (size_t k = 0; col && k < nk; k++) {
            double v = col[(np - 1) * nk + k];
            if (!isnan(v)) {
                out[j * res->nunits + qala_index_result_unit(ir, k)] = (uint32_t)v;
                count++;
            }
        }
        nranked[j] = count;
    }
}

static void record_error(job *jb, size_t r, qala_status st, const qala_sens_work *w)
{
    char choices[512] = "";
    size_t len = 0;
    if (w) {
        for (size_t i = 0; i < jb->res->d && len + 1 < sizeof choices; i++) {
            char alt[160];
            qala_sens_alternative_text(jb->fs, i, jb->res->choice[r * jb->res->d + i], jb->tree,
                                       alt, sizeof alt);
            int n = snprintf(choices + len, sizeof choices - len, "%s%s=%s", i ? ", " : "",
                             qala_sens_factor_name(jb->fs, i), alt);
            len = n < 0 ? len : len + (size_t)n;
        }
    }
    pthread_mutex_lock(&jb->lock);
    if (jb->err == QALA_OK || r < jb->err_run) {
        jb->err = st;
        jb->err_run = r;
        size_t cap = sizeof jb->err_message, at = 0;
        if (w) {
            int n = snprintf(jb->err_message, cap, "run %zu (%.300s): ", r, choices);
            at = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
        }
        const char *msg = qala_error_last()->message;
        size_t mlen = strlen(msg);
        if (mlen > cap - 1 - at)
            mlen = cap - 1 - at;
        memcpy(jb->err_message + at, msg, mlen);
        jb->err_message[at + mlen] = '\0';
    }
    pthread_mutex_unlock(&jb->lock);
    atomic_store(&jb->stop, 1);
}

/* Run r, its tree already applied in w; slot: its place in the scratch's batch. */
static void run_applied(job *jb, qala_sens_work *w, qala_sens_scratch *sc, size_t r,
                        size_t slot)
{
    qala_sens_result *res = jb->res;
    if (jb->cache &&
        qala_sens__cache_run(jb->cache, sc, w, r, slot, res->nodes, res->nsum,
                             res->ranks + r * res->nsum * res->nunits,
                             res->nranked + r * res->nsum) == QALA_OK)
        return;
    w->tree.settings.scores_only = 1;
    w->tree.settings.rank_from = jb->rank_from;
    w->tree.settings.threads = 1;
    qala_index_result *ir = NULL;
    qala_status st = qala_index_run(&ir, &w->tree, &w->input);
    if (st != QALA_OK) {
        record_error(jb, r, st, w);
        return;
    }
    keep_ranks(res, ir, res->ranks + r * res->nsum * res->nunits, res->nranked + r * res->nsum);
    qala_index_result_free(ir);
}

typedef struct worker {
    job *jb;
    qala_sens_work work[QALA_SENS_BATCH]; /* one per run of a batch */
    qala_sens_scratch scratch;
    pthread_t thread;
} worker;

/* The batch of runs from r0 (at most the scratch's batch; one without the cache): each
 * run's tree applied, their indicators aggregated together where they can, then each run
 * finished on its own. Returns the runs done. */
static size_t run_batch(job *jb, worker *wk, size_t r0)
{
    qala_sens_result *res = jb->res;
    size_t nb = jb->cache ? wk->scratch.batch : 1;
    if (nb > res->runs - r0)
        nb = res->runs - r0;
    qala_sens_work *w[QALA_SENS_BATCH] = {NULL};
    for (size_t b = 0; b < nb; b++) {
        w[b] = &wk->work[b];
        qala_sens__apply(w[b], jb->fs, res->choice + (r0 + b) * res->d, jb->tree, jb->input,
                         jb->columns, res->seed);
    }
    if (jb->cache)
        qala_sens__cache_batch(jb->cache, &wk->scratch, w, r0, nb);
    for (size_t b = 0; b < nb; b++)
        run_applied(jb, w[b], &wk->scratch, r0 + b, b);
    return nb;
}

static void work_loop(job *jb, worker *wk)
{
    size_t step = jb->cache ? wk->scratch.batch : 1;
    for (;;) {
        if (atomic_load(&jb->stop))
            break;
        size_t r = atomic_fetch_add(&jb->next, step);
        if (r >= jb->res->runs)
            break;
        atomic_fetch_add(&jb->done, run_batch(jb, wk, r));
    }
}

static void *worker_main(void *arg)
{
    worker *wk = arg;
    work_loop(wk->jb, wk);
    pthread_mutex_lock(&wk->jb->lock);
    wk->jb->running--;
    pthread_cond_signal(&wk->jb->cv);
    pthread_mutex_unlock(&wk->jb->lock);
    return NULL;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Calls the progress callback; a nonzero answer cancels. */
static void report_progress(job *jb, const qala_sens_options *opt)
{
    if (opt->progress && opt->progress(opt->progress_ctx, atomic_load(&jb->done), jb->res->runs))
        atomic_store(&jb->stop, 1);
}

/* Runs every run on nthreads threads (the calling thread reports progress). */
static qala_status run_all(job *jb, worker *wk, size_t nthreads, const qala_sens_options *opt)
{
    if (nthreads <= 1) {
        double last = now_seconds();
        for (;;) {
            if (atomic_load(&jb->stop))
                break;
            size_t r = atomic_fetch_add(&jb->next, jb->cache ? wk[0].scratch.batch : 1);
            if (r >= jb->res->runs)
                break;
            atomic_fetch_add(&jb->done, run_batch(jb, &wk[0], r));
            double t = now_seconds();
            if (opt->progress && t - last >= 0.1) {
                last = t;
                report_progress(jb, opt);
            }
        }
        report_progress(jb, opt);
        return QALA_OK;
    }
    size_t started = 0;
    pthread_mutex_lock(&jb->lock);
    for (size_t t = 0; t < nthreads; t++) {
        wk[t].jb = jb;
        if (pthread_create(&wk[t].thread, NULL, worker_main, &wk[t]) != 0)
            break;
        started++;
        jb->running++;
    }
    pthread_mutex_unlock(&jb->lock);
    if (started == 0) {
        work_loop(jb, &wk[0]);
        report_progress(jb, opt);
        return QALA_OK;
    }
    pthread_mutex_lock(&jb->lock);
    while (jb->running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&jb->cv, &jb->lock, &ts);
        if (jb->running > 0 && opt->progress) {
            pthread_mutex_unlock(&jb->lock);
            report_progress(jb, opt);
            pthread_mutex_lock(&jb->lock);
        }
    }
    pthread_mutex_unlock(&jb->lock);
    for (size_t t = 0; t < started; t++)
        pthread_join(wk[t].thread, NULL);
    report_progress(jb, opt);
    return QALA_OK;
}

/* ---- setup ------------------------------------------------------------------------------ */

static qala_status check_options(const qala_sens_options *opt, const qala_index_tree *tree,
                                 size_t d)
{
    if (opt->version != 1)
        return qala_err__set(QALA_EINVAL, "sensitivity options version %u; this qala knows 1",
                             opt->version);
    if (opt->design != QALA_SENS_UNCERTAINTY && opt->design != QALA_SENS_SOBOL)
        return qala_err__set(QALA_EINVAL, "unknown sensitivity design %d", (int)opt->design);
    if (opt->n == 0 || opt->n > 100000000)
        return qala_err__set(QALA_EINVAL, "the number of runs must be 1 to 100000000, got %zu",
                             opt->n);
    if (opt->level == 1 || opt->level < 0 || opt->level > tree->nlevels)
        return qala_err__set(QALA_EINVAL, "level must be 0 (the index) or 2 to %d (aggregates), "
                             "got %d", tree->nlevels, opt->level);
    if (opt->design == QALA_SENS_SOBOL && d > QALA_SOBOL_MAX_DIM / 2)
        return qala_err__set(QALA_EINVAL, "a Sobol design of %zu factors needs %zu dimensions, "
                             "but GSL's Sobol sequence has at most %d (at most %d factors)",
                             d, 2 * d, QALA_SOBOL_MAX_DIM, QALA_SOBOL_MAX_DIM / 2);
    return QALA_OK;
}

/* The sample (runs × d in [0, 1)) and the choices it gives. */
static qala_status make_sample(qala_sens_result *res, const qala_sens_factors *fs,
                               const qala_index_tree *tree)
{
    size_t d = res->d;
    if (res->design == QALA_SENS_SOBOL) {
        qala_status st = qala_sobol_design(res->sample, res->n, d);
        if (st != QALA_OK)
            return st;
    } else {
        const gsl_rng_type *type = gsl_rng_mt19937;
        void *state = qala_mem__malloc(type->size);
        if (!state)
            return qala_err__set(QALA_ENOMEM, "out of memory (random generator)");
        gsl_rng rng = {type, state};
        gsl_rng_set(&rng, res->seed);
        for (size_t i = 0; i < res->runs * d; i++)
            res->sample[i] = gsl_rng_uniform(&rng);
        qala_mem__free(state);
    }
    for (size_t i = 0; i < d; i++) {
        size_t k = qala_sens_factor_alternatives(fs, i, tree);
        for (size_t r = 0; r < res->runs; r++) {
            double u = res->sample[r * d + i];
            size_t a = (size_t)(u * (double)k);
            res->choice[r * d + i] = (uint32_t)(a < k ? a : k - 1);
        }
    }
    return QALA_OK;
}

static qala_status alloc_result(qala_sens_result **out, const qala_index_tree *tree,
                                const qala_index_input *input, size_t d,
                                const qala_sens_options *opt)
{
    qala_sens_result *res = qala_mem__calloc(1, sizeof *res);
    if (!res)
        return qala_err__set(QALA_ENOMEM, "out of memory (sensitivity result)");
    *out = res;
    res->design = opt->design;
    res->seed = opt->seed;
    res->d = d;
    res->n = opt->n;
    res->runs = opt->design == QALA_SENS_SOBOL ? opt->n * (d + 2) : opt->n;
    res->nunits = input->nunits;
    int from = opt->level ? opt->level : tree->nlevels;
    for (size_t i = tree->nindicators; i < tree->nnodes; i++)
        res->nsum += tree->nodes[i].level >= from;
    size_t cells = res->nsum * res->nunits;
    if (cells && res->runs > SIZE_MAX / sizeof(uint32_t) / cells)
        return qala_err__set(QALA_ENOMEM, "%zu runs of %zu ranks do not fit in memory",
                             res->runs, cells);
    res->unit_codes = qala_mem__calloc(res->nunits + 1, sizeof *res->unit_codes);
    res->nodes = qala_mem__calloc(res->nsum + 1, sizeof *res->nodes);
    res->sample = qala_mem__calloc(res->runs * d, sizeof *res->sample);
    res->choice = qala_mem__calloc(res->runs * d, sizeof *res->choice);
    res->nominal = qala_mem__calloc(cells + 1, sizeof *res->nominal);
    res->ranks = qala_mem__calloc(res->runs * cells + 1, sizeof *res->ranks);
    res->nranked = qala_mem__calloc(res->runs * res->nsum + 1, sizeof *res->nranked);
    res->summary = qala_mem__calloc(cells + 1, sizeof *res->summary);
    res->shift = qala_mem__calloc(res->runs, sizeof *res->shift);
    if (!res->unit_codes || !res->nodes || !res->sample || !res->choice || !res->nominal ||
        !res->ranks || !res->nranked || !res->summary || !res->shift)
        return qala_err__set(QALA_ENOMEM, "out of memory (sensitivity result of %zu runs)",
                             res->runs);
    res->code_block = qala_mem__pack_strings(0, input->unit_codes, res->nunits,
                                             res->unit_codes);
    if (!res->code_block)
        return qala_err__set(QALA_ENOMEM, "out of memory (unit codes)");
    size_t j = 0;
    for (size_t i = tree->nindicators; i < tree->nnodes; i++)
        if (tree->nodes[i].level >= from)
            res->nodes[j++] = i;
    return QALA_OK;
}

/* The nominal run: the tree as given, scores only. */
static qala_status run_nominal(qala_sens_result *res, const qala_index_tree *tree,
                               const qala_index_input *input, int rank_from)
{
    qala_index_tree t = *tree;
    t.settings.scores_only = 1;
    t.settings.rank_from = rank_from;
    t.settings.threads = 1;
    qala_index_result *ir = NULL;
    qala_status st = qala_index_run(&ir, &t, input);
    if (st != QALA_OK)
        return qala_sens__wrap(st, NULL, "nominal run");
    uint32_t *tmp = qala_mem__malloc((res->nsum + 1) * sizeof *tmp);
    if (!tmp) {
        qala_index_result_free(ir);
        return qala_err__set(QALA_ENOMEM, "out of memory (nominal ranks)");
    }
    keep_ranks(res, ir, res->nominal, tmp);
    qala_mem__free(tmp);
    qala_index_result_free(ir);
    return QALA_OK;
}

/* ---- summaries -------------------------------------------------------------------------- */

/* Sorts the m ranks of v ascending (each at most maxv): an LSD radix sort of 8-bit
 * digits through tmp (m), two passes for up to 65,535 units. A unit's 1,000 ranks sort
 * in a few microseconds, without the mispredicted branches of a selection. */
static void sort_ranks(uint32_t *v, uint32_t *tmp, size_t m, uint32_t maxv)
{
    uint32_t *a = v, *b = tmp;
    for (unsigned shift = 0; shift < 32 && (maxv >> shift) != 0; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < m; i++)
            count[((a[i] >> shift) & 255u) + 1]++;
        for (size_t d = 1; d < 257; d++)
            count[d] += count[d - 1];
        for (size_t i = 0; i < m; i++)
            b[count[(a[i] >> shift) & 255u]++] = a[i];
        uint32_t *t = a;
        a = b;
        b = t;
    }
    if (a != v)
        memcpy(v, a, m * sizeof *v);
}

/* Quantiles type 7 (as gsl_stats_quantile_from_sorted_data, which R's quantile() and COINr
 * use) of the m sorted values of v at the probabilities p[0..np). */
static void quantiles(const uint32_t *v, size_t m, const double *p, size_t np, double *out)
{
    for (size_t q = 0; q < np; q++) {
        double index = p[q] * (double)(m - 1);
        size_t lhs = (size_t)index;
        double delta = index - (double)lhs;
        out[q] = lhs == m - 1 ? (double)v[lhs]
                              : (1 - delta) * (double)v[lhs] + delta * (double)v[lhs + 1];
    }
}

enum { UNIT_BLOCK = 64 };

typedef struct summ {
    qala_sens_result *res;
    size_t top_k;
    atomic_size_t next;
    size_t items;           /* summarised nodes × unit blocks */
} summ;

/* One block of units of one summarised node: their ranks over the runs gathered run by
 * run (contiguous reads), then the counts and quantiles of each unit. */
static void summarise_block(summ *sm, size_t item, uint32_t *buf, uint32_t *tmp)
{
    qala_sens_result *res = sm->res;
    size_t R = res->done, nu = res->nunits, ns = res->nsum, top_k = sm->top_k;
    size_t nblocks = (nu + UNIT_BLOCK - 1) / UNIT_BLOCK;
    size_t j = item / nblocks, u0 = (item % nblocks) * UNIT_BLOCK;
    size_t len = nu - u0 < UNIT_BLOCK ? nu - u0 : UNIT_BLOCK;
    size_t m[UNIT_BLOCK], top[UNIT_BLOCK], bottom[UNIT_BLOCK];
    double shift[UNIT_BLOCK], nominal[UNIT_BLOCK];
    for (size_t b = 0; b < len; b++) {
        uint32_t nom = res->nominal[j * nu + u0 + b];
        nominal[b] = nom ? (double)nom : NAN;
        m[b] = top[b] = bottom[b] = 0;
        shift[b] = 0;
    }
    for (size_t r = 0; r < R; r++) {
        const uint32_t *row = res->ranks + (r * ns + j) * nu + u0;
        uint32_t ranked = res->nranked[r * ns + j];
        for (size_t b = 0; b < len; b++) {
            uint32_t k = row[b];
            if (!k)
                continue;
            buf[b * R + m[b]++] = k;
            top[b] += k <= top_k;
            bottom[b] += (size_t)k + top_k > ranked;
            shift[b] += fabs((double)k - nominal[b]);
        }
    }
    static const double probs[3] = {0.05, 0.5, 0.95};
    for (size_t b = 0; b < len; b++) {
        qala_sens_rank_summary *s = &res->summary[j * nu + u0 + b];
        s->nominal = nominal[b];
        s->nruns = m[b];
        if (m[b] == 0) {
            s->median = s->q05 = s->q95 = s->mean_abs_shift = s->p_top = s->p_bottom = NAN;
            continue;
        }
        double q[3];
        sort_ranks(buf + b * R, tmp, m[b], (uint32_t)(nu < UINT32_MAX ? nu : UINT32_MAX));
        quantiles(buf + b * R, m[b], probs, 3, q);
        s->q05 = q[0];
        s->median = q[1];
        s->q95 = q[2];
        s->mean_abs_shift = shift[b] / (double)m[b];
        s->p_top = (double)top[b] / (double)m[b];
        s->p_bottom = (double)bottom[b] / (double)m[b];
    }
}

typedef struct summ_worker {
    summ *sm;
    uint32_t *buf;
    pthread_t thread;
} summ_worker;

static void *summ_main(void *arg)
{
    summ_worker *w = arg;
    for (;;) {
        size_t item = atomic_fetch_add(&w->sm->next, 1);
        if (item >= w->sm->items)
            break;
        summarise_block(w->sm, item, w->buf, w->buf + UNIT_BLOCK * w->sm->res->done);
    }
    return NULL;
}

/* The summaries of every unit and summarised node (blocks of units on nthreads
 * threads: each block is computed by one thread, so nothing depends on their number),
 * then the mean absolute rank shift of each run. */
static qala_status summarise(qala_sens_result *res, size_t top_k, size_t nthreads)
{
    size_t R = res->done, nu = res->nunits, ns = res->nsum;
    summ sm = {.res = res, .top_k = top_k};
    sm.items = ns * ((nu + UNIT_BLOCK - 1) / UNIT_BLOCK);
    atomic_init(&sm.next, 0);
    if (nthreads > 64)
        nthreads = 64;
    if (nthreads > sm.items)
        nthreads = sm.items ? sm.items : 1;
    uint32_t *bufs = qala_mem__malloc((nthreads * (UNIT_BLOCK + 1) * R + 1) * sizeof *bufs);
    if (!bufs)
        return qala_err__set(QALA_ENOMEM, "out of memory (rank summaries)");
    summ_worker w[64];
    size_t started = 0;
    for (size_t t = 1; t < nthreads; t++) {
        w[t] = (summ_worker){.sm = &sm, .buf = bufs + t * (UNIT_BLOCK + 1) * R};
        if (pthread_create(&w[t].thread, NULL, summ_main, &w[t]) != 0)
            break;
        started = t;
    }
    w[0] = (summ_worker){.sm = &sm, .buf = bufs};
    summ_main(&w[0]);
    for (size_t t = 1; t <= started; t++)
        pthread_join(w[t].thread, NULL);
    qala_mem__free(bufs);
    /* the mean absolute rank shift of the index per run */
    size_t j = ns - 1;
    for (size_t r = 0; r < R; r++) {
        double sum = 0;
        size_t m = 0;
        for (size_t u = 0; u < nu; u++) {
            uint32_t k = res->ranks[(r * ns + j) * nu + u], nom = res->nominal[j * nu + u];
            if (k && nom) {
                sum += fabs((double)k - (double)nom);
                m++;
            }
        }
        res->shift[r] = m ? sum / (double)m : NAN;
    }
    return QALA_OK;
}

static qala_status sobol_outputs(qala_sens_result *res, const size_t *units, size_t nout_units,
                                 const qala_sens_options *opt)
{
    size_t d = res->d, rows = res->done / (d + 2), runs = rows * (d + 2);
    res->noutputs = 1 + nout_units;
    res->sobol = qala_mem__calloc(res->noutputs * d, sizeof *res->sobol);
    double *y = qala_mem__malloc((runs + 1) * sizeof *y);
    qala_status st = QALA_OK;
    if (!res->sobol || !y) {
        st = qala_err__set(QALA_ENOMEM, "out of memory (Sobol indices)");
        goto done;
    }
    size_t ns = res->nsum, nu = res->nunits;
    for (size_t o = 0; o < res->noutputs; o++) {
        for (size_t r = 0; r < runs; r++) {
            if (o == 0) {
                y[r] = res->shift[r];
            } else {
                uint32_t k = res->ranks[(r * ns + ns - 1) * nu + units[o - 1]];
                y[r] = k ? (double)k : NAN;
            }
        }
        st = qala_sobol_indices(res->sobol + o * d, y, rows, d, opt->bootstrap,
                                (unsigned long)qala_sens__mix((uint64_t)res->seed + o));
        if (st != QALA_OK) {
            char pre[200];
            snprintf(pre, sizeof pre, "%s%.150s", o == 0 ? "mean rank shift" : "rank of ",
                     o == 0 ? "" : res->unit_codes[units[o - 1]]);
            st = qala_sens__wrap(st, NULL, pre);
            goto done;
        }
    }
done:
    qala_mem__free(y);
    return st;
}

qala_status qala_sens_run(qala_sens_result **out, const qala_index_tree *tree,
                          const qala_index_input *input, const qala_sens_factors *factors,
                          const qala_sens_options *opt)
{
    assert(out && tree && input && factors && opt);
    *out = NULL;
    size_t d = qala_sens_factors_count(factors);
    qala_status st = qala_index_tree_check(tree);
    if (st != QALA_OK || (st = qala_sens__check(factors, tree)) != QALA_OK ||
        (st = check_options(opt, tree, d)) != QALA_OK)
        return st;
    size_t *units = NULL, *columns = NULL;
    worker *wk = NULL;
    qala_sens_cache *cache = NULL;
    size_t nthreads = opt->threads ? opt->threads : (size_t)sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > 1024)
        nthreads = 1024;
    qala_sens_result *res = NULL;
    if ((st = alloc_result(&res, tree, input, d, opt)) != QALA_OK)
        goto fail;
    if (nthreads > res->runs)
        nthreads = res->runs;
    units = qala_mem__calloc(opt->nunits + 1, sizeof *units);
    columns = qala_mem__calloc(tree->nindicators, sizeof *columns);
    wk = qala_mem__calloc(nthreads, sizeof *wk);
    if (!units || !columns || !wk) {
        st = qala_err__set(QALA_ENOMEM, "out of memory (sensitivity analysis)");
        goto fail;
    }
    for (size_t i = 0; i < opt->nunits; i++) {
        units[i] = SIZE_MAX;
        for (size_t u = 0; u < input->nunits && units[i] == SIZE_MAX; u++)
            if (strcmp(input->unit_codes[u], opt->units[i]) == 0)
                units[i] = u;
        if (units[i] == SIZE_MAX) {
            st = qala_err__set(QALA_ENOTFOUND, "unit '%s' is not in the data", opt->units[i]);
            goto fail;
        }
    }
    for (size_t i = 0; i < tree->nindicators; i++) {
        columns[i] = SIZE_MAX;
        for (size_t c = 0; c < input->ncolumns && columns[i] == SIZE_MAX; c++)
            if (strcmp(input->column_codes[c], tree->nodes[i].code) == 0)
                columns[i] = c;
    }
    for (size_t t = 0; t < nthreads; t++)
        for (size_t b = 0; b < QALA_SENS_BATCH; b++)
            if ((st = qala_sens__work_init(&wk[t].work[b], tree, input)) != QALA_OK)
                goto fail;
    int rank_from = opt->level ? opt->level : tree->nlevels;
    if ((st = make_sample(res, factors, tree)) != QALA_OK ||
        (st = run_nominal(res, tree, input, rank_from)) != QALA_OK)
        goto fail;
    if (!opt->full_runs) {
        qala_sens_work *works[64];
        size_t nw = nthreads < 64 ? nthreads : 64;
        for (size_t t = 0; t < nw; t++)
            works[t] = &wk[t].work[0];
        if ((st = qala_sens__cache_new(&cache, tree, input, factors, res->choice, res->runs,
                                       columns, res->seed, works, nw)) != QALA_OK)
            goto fail;
        res->nconfigs = qala_sens__cache_configs(cache);
        for (size_t t = 0; cache && t < nthreads; t++)
            if ((st = qala_sens__scratch_init(&wk[t].scratch, cache)) != QALA_OK)
                goto fail;
    }
    job jb = {.tree = tree, .input = input, .fs = factors, .res = res, .columns = columns,
              .cache = cache, .rank_from = rank_from};
    atomic_init(&jb.next, 0);
    atomic_init(&jb.done, 0);
    atomic_init(&jb.stop, 0);
    pthread_mutex_init(&jb.lock, NULL);
    pthread_cond_init(&jb.cv, NULL);
    run_all(&jb, wk, nthreads, opt);
    pthread_mutex_destroy(&jb.lock);
    pthread_cond_destroy(&jb.cv);
    if (jb.err != QALA_OK) {
        st = qala_err__set(jb.err, "%s", jb.err_message);
        goto fail;
    }
    res->done = atomic_load(&jb.next);
    if (res->done > res->runs)
        res->done = res->runs;
    res->cancelled = res->done < res->runs;
    if ((st = summarise(res, opt->top_k, nthreads)) != QALA_OK)
        goto fail;
    if (opt->design == QALA_SENS_SOBOL &&
        (st = sobol_outputs(res, units, opt->nunits, opt)) != QALA_OK)
        goto fail;
    for (size_t t = 0; t < nthreads; t++) {
        for (size_t b = 0; b < QALA_SENS_BATCH; b++)
            qala_sens__work_free(&wk[t].work[b]);
        qala_sens__scratch_free(&wk[t].scratch);
    }
    qala_sens__cache_free(cache);
    qala_mem__free(wk);
    qala_mem__free(units);
    qala_mem__free(columns);
    *out = res;
    return QALA_OK;
fail:
    for (size_t t = 0; wk && t < nthreads; t++) {
        for (size_t b = 0; b < QALA_SENS_BATCH; b++)
            qala_sens__work_free(&wk[t].work[b]);
        qala_sens__scratch_free(&wk[t].scratch);
    }
    qala_sens__cache_free(cache);
    qala_mem__free(wk);
    qala_mem__free(units);
    qala_mem__free(columns);
    qala_sens_result_free(res);
    return st;
}

/* ---- getters ---------------------------------------------------------------------------- */

qala_sens_design qala_sens_result_design(const qala_sens_result *res) { return res->design; }
unsigned long qala_sens_result_seed(const qala_sens_result *res) { return res->seed; }
size_t qala_sens_result_factors(const qala_sens_result *res) { return res->d; }
size_t qala_sens_result_n(const qala_sens_result *res) { return res->n; }
size_t qala_sens_result_runs(const qala_sens_result *res) { return res->runs; }
size_t qala_sens_result_runs_done(const qala_sens_result *res) { return res->done; }
int qala_sens_result_cancelled(const qala_sens_result *res) { return res->cancelled; }
size_t qala_sens_result_configs(const qala_sens_result *res) { return res->nconfigs; }
size_t qala_sens_result_units(const qala_sens_result *res) { return res->nunits; }
size_t qala_sens_result_nodes(const qala_sens_result *res) { return res->nsum; }
size_t qala_sens_result_outputs(const qala_sens_result *res) { return res->noutputs; }
const double *qala_sens_result_shift(const qala_sens_result *res) { return res->shift; }

const char *qala_sens_result_unit_code(const qala_sens_result *res, size_t u)
{
    return u < res->nunits ? res->unit_codes[u] : NULL;
}

const double *qala_sens_result_sample(const qala_sens_result *res, size_t r)
{
    return r < res->runs ? res->sample + r * res->d : NULL;
}

const uint32_t *qala_sens_result_choices(const qala_sens_result *res, size_t r)
{
    return r < res->runs ? res->choice + r * res->d : NULL;
}

size_t qala_sens_result_node(const qala_sens_result *res, size_t j)
{
    return j < res->nsum ? res->nodes[j] : QALA_INDEX_NONE;
}

const uint32_t *qala_sens_result_ranks(const qala_sens_result *res, size_t r, size_t j)
{
    if (j >= res->nsum)
        return NULL;
    if (r == SIZE_MAX)
        return res->nominal + j * res->nunits;
    return r < res->done ? res->ranks + (r * res->nsum + j) * res->nunits : NULL;
}

const qala_sens_rank_summary *qala_sens_result_summary(const qala_sens_result *res, size_t j)
{
    return j < res->nsum ? res->summary + j * res->nunits : NULL;
}

const qala_sobol_index *qala_sens_result_sobol(const qala_sens_result *res, size_t output)
{
    return res->sobol && output < res->noutputs ? res->sobol + output * res->d : NULL;
}
