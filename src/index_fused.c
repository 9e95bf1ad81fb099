/* src/index_fused.c — the fused path of the composite-index pipeline: when a run keeps
 * only the aggregates' scores (settings.scores_only) and nothing needs a whole column at
 * once, normalisation and aggregation go without the tables of the intermediate stages.
 *
 * Place: chosen by qala_index_run instead of screen .. rank (index.c). Applies when no
 * indicator has a denominator, no imputation or treatment runs, no normalisation is a
 * rank method or dist2ref, every aggregation is row-wise (arithmetic, geometric,
 * harmonic, power, mean-min: not Copeland or MPI, which compare units), and no unit
 * screen is asked (unit_availability = 0). The results are those of the staged path
 * (the same operations on the same values, in the same order per cell); the tests
 * compare both paths cell for cell (tests/unit/index/test_fused*.c).
 *
 * Phases, on settings.threads threads (0: one per CPU) started once and meeting at a
 * barrier between phases: (1) the normalisation parameters and screen of each indicator
 * not under a direct aggregate, a column per thread, last column first; (2) each direct
 * aggregate (an arithmetic mean of min-max indicators: index_fused_direct.c) in turn,
 * from the input columns; (3) thread 0 plans: the living nodes and children; (4) per
 * block of FUSED_BLOCK rows, every other aggregate in tree order (children before
 * parents), from its children normalised into a small buffer or from their score
 * columns; (5) the ranks of the ranked nodes, one column per thread, or, for fewer long
 * columns than threads, each split between the threads (rank_internal.h). Every column,
 * row range or block is computed by one thread, so the results do not depend on the
 * number of threads; when a thread cannot start, the others share its work. Memory: the
 * aggregates' scores and ranks (in huge pages where the kernel offers them:
 * qala_mem__malloc_big), 24 bytes a unit for the ranks, plus FUSED_BLOCK × (indicators +
 * widest node) doubles per thread that only the general path of phase 4 touches.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "index_fused_internal.h"
#include "util/internal.h"

int qala_index__fused_applies(const qala_index_result *res)
{
    const qala_index_tree *t = res->tree;
    const qala_index_settings *s = &t->settings;
    if (!s->scores_only || s->unit_availability > 0 || s->impute != QALA_IMPUTE_NONE ||
        s->panel_impute != QALA_IMPUTE_NONE)
        return 0;
    size_t nm = 0;
    const qala_normalise_method_info *methods = qala_normalise_methods(&nm);
    for (size_t i = 0; i < res->nind; i++) {
        const qala_index_node *n = &t->nodes[i];
        if (n->denominator || n->treat || (size_t)n->normalise.method >= nm ||
            (methods[n->normalise.method].flags & (QALA_NORM_USES_RANKS | QALA_NORM_USES_REF)))
            return 0;
    }
    for (size_t a = res->nind; a < res->nnodes; a++) {
        qala_agg_method m = t->nodes[a].aggregate.method;
        if (m == QALA_AGG_COPELAND || m == QALA_AGG_MPI)
            return 0;
    }
    return 1;
}

void qala_index__fused_fail(fused *f, size_t item, qala_status st)
{
    pthread_mutex_lock(&f->lock);
    if (item < f->err_item) {
        f->err_item = item;
        f->err = st;
        snprintf(f->err_message, sizeof f->err_message, "%s", qala_error_last()->message);
    }
    pthread_mutex_unlock(&f->lock);
}

void qala_index__fused_sync(fused *f)
{
    if (f->nthreads > 1)
        pthread_barrier_wait(&f->barrier);
}

void qala_index__fused_rows(const fused *f, size_t t, size_t *lo, size_t *hi)
{
    *lo = f->nr * t / f->nthreads;
    *hi = f->nr * (t + 1) / f->nthreads;
}

static double *agg_col(const fused *f, size_t a)
{
    return qala_index__col(f->res, QALA_INDEX_STAGE_AGGREGATED, a);
}

/* ---- phase 1: screen counts and normalisation parameters, one indicator at a time ---- */

void qala_index__fused_params_column(fused *f, size_t t, size_t i)
{
    qala_index_result *res = f->res;
    const qala_index_settings *set = &res->tree->settings;
    qala_index_indicator_report *rep = qala_index__fused_report(f, i);
    const double *x = f->src[i];
    if (!x) {
        rep->screen = QALA_INDEX_NO_COLUMN;
        return;
    }
    const qala_index_node *n = &res->tree->nodes[i];
    size_t len = f->npar == 1 ? f->nr : f->nk, present = 0, zeros = 0;
    int infinite = 0, counted = 0;
    for (size_t p = 0; p < f->npar; p++) {
        qala_normalise_params *par = &f->par[i * f->npar + p];
        qala_normalise_params_init(par);
        qala_status st = qala_normalise_params_add(par, x + p * len, 1, len, n->direction,
                                                   &n->normalise);
        if (st != QALA_OK) {
            qala_index__fused_fail(f, i, st);
            return;
        }
        f->flags[t * res->nind + i] |= par->flags;
        present += par->count;
        infinite |= par->count > 0 && (isinf(par->min) || isinf(par->max));
    }
    if (infinite || n->normalise.transform != QALA_NORM_TF_NONE || set->max_zero_share < 1) {
        /* count on the raw values (the parameters count transformed ones) */
        present = 0;
        counted = 1;
        for (size_t r = 0; r < f->nr; r++) {
            present += !isnan(x[r]);
            zeros += x[r] == 0;
            if (isinf(x[r])) {
                char per[16];
                qala_index__period_text(res, r / f->nk, per);
                qala_index__fused_fail(
                    f, i,
                    qala_err__set(QALA_EINVAL, "index input: column '%s', unit '%s'%s%s%s: %g "
                                  "is not a number (use NAN for a missing value)", n->code,
                                  res->unit_codes[r % f->nk], per[0] ? " (" : "", per,
                                  per[0] ? ")" : "", x[r]));
                return;
            }
        }
    }
    rep->availability = (double)present / (double)f->nr;
    /* without a limit on zeros the fused path does not count them */
    rep->zero_share = !counted ? NAN : present ? (double)zeros / (double)present : 0;
    rep->screen = rep->availability < set->indicator_availability ? QALA_INDEX_LOW_AVAILABILITY
                  : counted && rep->zero_share > set->max_zero_share ? QALA_INDEX_TOO_MANY_ZEROS
                                                                     : QALA_INDEX_KEPT;
}

static void pass_params(fused *f, size_t t)
{
    /* last column first: phase 4 then finds the first columns in the cache; every column
     * is done even after an error, so that the lowest one's is reported */
    size_t ni = f->res->nind;
    for (size_t k = t; k < ni; k += f->nthreads)
        if (!f->under_direct[ni - 1 - k])
            qala_index__fused_params_column(f, t, ni - 1 - k);
}

/* ---- phase 4: blocks of rows ---------------------------------------------------------- */

/* Normalises indicator i of the block into the worker's buffer, once per block. */
static qala_status normalise_kid(fused *f, size_t t, size_t i, size_t r0, size_t p,
                                 size_t len, double *buf, uint8_t *normed)
{
    if (normed[i])
        return QALA_OK;
    const qala_index_node *n = &f->res->tree->nodes[i];
    unsigned fl = 0;
    const qala_normalise_params *par = &f->par[i * f->npar + (f->npar == 1 ? 0 : p)];
    qala_status st = qala_normalise_apply(buf + i * FUSED_LD, 1, f->src[i] + r0, 1, len,
                                          n->direction, &n->normalise, par, &fl);
    if (st != QALA_OK)
        return st;
    f->flags[t * f->res->nind + i] |= fl;
    normed[i] = 1;
    return QALA_OK;
}

static qala_status one_block(fused *f, size_t t, size_t b, double *buf, double *gather,
                             uint8_t *normed)
{
    qala_index_result *res = f->res;
    const qala_index_node *nodes = res->tree->nodes;
    size_t ni = res->nind, per_period = (f->nk + FUSED_BLOCK - 1) / FUSED_BLOCK;
    size_t p = b / per_period, r0 = p * f->nk + (b % per_period) * FUSED_BLOCK;
    size_t len = f->nk - (b % per_period) * FUSED_BLOCK;
    if (len > FUSED_BLOCK)
        len = FUSED_BLOCK;
    memset(normed, 0, ni);
    /* aggregates in tree order: children before parents; every living indicator is a
     * child of a living aggregate, normalised here when that aggregate needs it (those
     * under a direct aggregate only when it falls back) */
    for (size_t a = ni; a < res->nnodes; a++) {
        double *out = agg_col(f, a) + r0;
        size_t j0 = f->kid_start[a - ni], m = f->kid_start[a - ni + 1] - j0;
        if (m == 0) {
            for (size_t r = 0; r < len; r++)
                out[r] = NAN;
            continue;
        }
        if (qala_index__fused_direct_block(f, t, a, r0, p, len, out))
            continue;
        const size_t *kid = f->kid + j0;
        for (size_t j = 0; j < m; j++) {
            if (kid[j] >= ni)
                continue;
            qala_status st = normalise_kid(f, t, kid[j], r0, p, len, buf, normed);
            if (st != QALA_OK)
                return st;
        }
        int consecutive = 1, indicators = kid[0] < ni;
        for (size_t j = 1; j < m && consecutive; j++)
            consecutive = kid[j] == kid[0] + j && (kid[j] < ni) == (kid[0] < ni);
        const double *x;
        size_t cs;
        if (consecutive && indicators) {
            x = buf + kid[0] * FUSED_LD;
            cs = FUSED_LD;
        } else if (consecutive) {
            x = agg_col(f, kid[0]) + r0;
            cs = f->nr;
        } else {
            for (size_t j = 0; j < m; j++)
                memcpy(gather + j * FUSED_LD,
                       kid[j] < ni ? buf + kid[j] * FUSED_LD : agg_col(f, kid[j]) + r0,
                       len * sizeof *gather);
            x = gather;
            cs = FUSED_LD;
        }
        qala_agg_report rep;
        qala_status st = qala_agg_node(out, NULL, &rep, x, len, m, 1, cs, f->kw + j0,
                                       &nodes[a].aggregate);
        if (st == QALA_EDATA && rep.unit < len && rep.child < m)
            return qala_index__refused(res, a, kid[rep.child], r0 - p * f->nk + rep.unit, p,
                                       x[rep.unit + rep.child * cs]);
        if (st != QALA_OK)
            return st;
    }
    return QALA_OK;
}

typedef struct worker {
    fused *f;
    size_t t;
    double *buf, *gather;
    uint8_t *normed;                 /* nind: normalised into buf in this block */
    qala_rank_item *items;
    pthread_t tid;
} worker;

static void pass_blocks(worker *w)
{
    fused *f = w->f;
    for (size_t b = w->t; b < f->nblocks; b += f->nthreads) {
        qala_status st = one_block(f, w->t, b, w->buf, w->gather, w->normed);
        if (st != QALA_OK) {
            qala_index__fused_fail(f, b, st);
            return;
        }
    }
}

/* ---- phase 3: the plan (thread 0) ------------------------------------------------------ */

static void plan(fused *f)
{
    qala_index_result *res = f->res;
    const qala_index_tree *tree = res->tree;
    size_t ni = res->nind, nn = res->nnodes;
    /* the screen: a node lives when a kept indicator is under it */
    for (size_t i = 0; i < nn; i++)
        res->alive[i] = i < ni && res->report[i].screen == QALA_INDEX_KEPT;
    for (size_t i = 0; i + 1 < nn; i++)
        if (res->alive[i])
            res->alive[tree->nodes[i].parent] = 1;
    if (!res->alive[nn - 1]) {
        qala_index__fused_fail(f, SIZE_MAX - 1,
                               qala_err__set(QALA_EDATA, "index screen: every indicator was "
                                             "screened out (no column, low availability or "
                                             "too many zeros)"));
        return;
    }
    /* living children of each aggregate, with their weights */
    size_t k = 0;
    for (size_t a = ni; a < nn; a++) {
        f->kid_start[a - ni] = k;
        for (size_t j = res->child_start[a]; j < res->child_start[a + 1]; j++)
            if (res->alive[res->child[j]]) {
                f->kid[k] = res->child[j];
                f->kw[k++] = tree->nodes[res->child[j]].weight;
            }
    }
    f->kid_start[nn - ni] = k;
}

/* ---- phase 5: ranks --------------------------------------------------------------------- */

/* A column is split between the threads from this many units, when there are fewer
 * ranked columns (and periods) than threads. */
enum { SPLIT_MIN = 16384 };

static void pass_ranks(worker *w)
{
    fused *f = w->f;
    qala_index_result *res = f->res;
    if (!f->split) {
        for (size_t i = w->t; i < res->nnodes; i += f->nthreads) {
            double *r = qala_index__col(res, QALA_INDEX_STAGE_RANKED, i);
            if (!r)
                continue;
            const double *x = agg_col(f, i);
            for (size_t p = 0; p < f->np; p++) {
                qala_status st = qala_rank_min(r + p * f->nk, 1, x + p * f->nk, 1, f->nk,
                                               QALA_RANK_DESC, w->items);
                if (st != QALA_OK) {
                    qala_index__fused_fail(f, i, st);
                    return;
                }
            }
        }
        return;
    }
    /* each thread sorts its slice; then ranks its scores against every sorted slice */
    size_t lo = f->nk * w->t / f->nthreads, hi = f->nk * (w->t + 1) / f->nthreads;
    for (size_t i = 0; i < res->nnodes; i++) {
        double *r = qala_index__col(res, QALA_INDEX_STAGE_RANKED, i);
        if (!r)
            continue;
        const double *x = agg_col(f, i);
        for (size_t p = 0; p < f->np; p++) {
            qala_status st = qala_rank__sort_part(&f->parts[w->t], r + p * f->nk,
                                                  x + p * f->nk, lo, hi, QALA_RANK_DESC,
                                                  w->items);
            if (st != QALA_OK)
                qala_index__fused_fail(f, i, st);
            qala_index__fused_sync(f);
            if (f->err != QALA_OK)
                return; /* every thread: the error was recorded before the barrier */
            qala_rank__rank_part(r + p * f->nk, f->parts, f->nthreads, w->t);
            qala_index__fused_sync(f);
        }
    }
}

/* ---- the threads ------------------------------------------------------------------------ */

/* Every phase on worker w; the threads meet at the barrier between phases (and all take
 * the same branches: what they test was written before the last barrier). */
static void run_worker(worker *w)
{
    fused *f = w->f;
    qala_index_result *res = f->res;
    size_t t = w->t;
    pass_params(f, t);
    for (size_t a = res->nind; a < res->nnodes; a++)
        if (f->direct[a - res->nind])
            qala_index__fused_direct(f, t, a);
    qala_index__fused_sync(f);
    if (f->err != QALA_OK)
        return;
    if (t == 0)
        plan(f);
    qala_index__fused_sync(f);
    if (f->err != QALA_OK)
        return;
    pass_blocks(w);
    qala_index__fused_sync(f);
    if (f->err != QALA_OK)
        return;
    pass_ranks(w);
}

/* The start gate: threads wait until the number that started is known. */
typedef struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cv;
    int open;     /* 1: run, -1: leave (the scratch could not be had) */
} gate;

typedef struct thread_arg {
    worker *w;
    gate *g;
} thread_arg;

static void *thread_main(void *arg)
{
    thread_arg *ta = arg;
    pthread_mutex_lock(&ta->g->lock);
    while (ta->g->open == 0)
        pthread_cond_wait(&ta->g->cv, &ta->g->lock);
    int go = ta->g->open > 0;
    pthread_mutex_unlock(&ta->g->lock);
    if (go)
        run_worker(ta->w);
    return NULL;
}

/* Opens the gate with "leave" and waits for the threads (nothing was run). */
static void send_away(gate *g, worker *ws, size_t nt)
{
    pthread_mutex_lock(&g->lock);
    g->open = -1;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->lock);
    for (size_t t = 1; t < nt; t++)
        pthread_join(ws[t].tid, NULL);
}

qala_status qala_index__run_fused(qala_index_result *res)
{
    const qala_index_tree *tree = res->tree;
    const qala_index_settings *set = &tree->settings;
    size_t ni = res->nind, nn = res->nnodes, na = nn - ni;
    fused f = {.res = res, .np = res->nperiods, .nk = res->nkept, .nr = res->nrows};
    f.npar = set->pooled || f.np == 1 ? 1 : f.np;
    size_t want = set->threads ? set->threads : (size_t)sysconf(_SC_NPROCESSORS_ONLN);
    if (want < 1)
        want = 1;
    if (want > 64)
        want = 64;
    f.nblocks = f.np * ((f.nk + FUSED_BLOCK - 1) / FUSED_BLOCK);
    f.err_item = SIZE_MAX;
    f.err = QALA_OK;

    /* the threads first (waiting at the gate): the work is shared by those that start */
    worker ws[64];
    thread_arg args[64];
    gate g = {.open = 0};
    pthread_mutex_init(&g.lock, NULL);
    pthread_cond_init(&g.cv, NULL);
    size_t nt = 1;
    for (size_t t = 1; t < want; t++) {
        ws[t] = (worker){.f = &f, .t = t};
        args[t] = (thread_arg){&ws[t], &g};
        if (pthread_create(&ws[t].tid, NULL, thread_main, &args[t]) != 0)
            break;
        nt++;
    }
    f.nthreads = nt;

    /* ranked columns: one per thread, or each split between the threads */
    size_t nranked = 0;
    for (size_t i = 0; i < nn; i++)
        nranked += qala_index__col(res, QALA_INDEX_STAGE_RANKED, i) != NULL;
    f.split = nt > 1 && nranked * f.np < nt && f.nk >= SPLIT_MIN;
    size_t nitems = f.split ? f.nk / nt + 1 : f.nk;

    /* one scratch block: plan, parameters, per-thread buffers */
    size_t maxc = res->max_children ? res->max_children : 1;
    size_t bytes = ni * sizeof *f.src + ni * f.npar * sizeof *f.par +
                   nt * ni * f.npar * sizeof *f.partial + (na + 1) * sizeof *f.kid_start +
                   nn * sizeof *f.kid + nn * sizeof *f.kw + 2 * na + ni +
                   nt * ni * sizeof *f.flags + nt * sizeof(qala_rank__part) +
                   nt * (ni + nitems * sizeof(qala_rank_item)) + 16 * (12 + 3 * nt);
    /* the blocks' buffers apart: only the general path touches them */
    size_t buf_bytes = nt * (ni + maxc) * FUSED_LD * sizeof(double);
    char *blk = qala_mem__malloc_big(bytes);
    double *bufs = qala_mem__malloc(buf_bytes);
    qala_status st = QALA_OK;
    if (!blk || !bufs) {
        st = qala_err__set(QALA_ENOMEM, "index: out of memory (fused run scratch)");
        send_away(&g, ws, nt);
        goto out;
    }
    char *at = blk;
#define TAKE(ptr, count)                                                                     \
    do {                                                                                     \
        at = (char *)(((uintptr_t)at + 15) & ~(uintptr_t)15);                                \
        (ptr) = (void *)at;                                                                  \
        at += (count) * sizeof *(ptr);                                                       \
    } while (0)
    TAKE(f.src, ni);
    TAKE(f.par, ni * f.npar);
    TAKE(f.partial, nt * ni * f.npar);
    TAKE(f.kid_start, na + 1);
    TAKE(f.kid, nn);
    TAKE(f.kw, nn);
    TAKE(f.direct, na);
    TAKE(f.under_direct, ni);
    TAKE(f.by_column, na);
    TAKE(f.flags, nt * ni);
    TAKE(f.parts, nt);
    ws[0] = (worker){.f = &f, .t = 0};
    for (size_t t = 0; t < nt; t++) {
        ws[t].buf = bufs + t * (ni + maxc) * FUSED_LD;
        ws[t].gather = ws[t].buf + ni * FUSED_LD;
        TAKE(ws[t].normed, ni);
        TAKE(ws[t].items, nitems);
    }
#undef TAKE
    memset(f.flags, 0, nt * ni * sizeof *f.flags);
    for (size_t i = 0; i < ni; i++)
        f.src[i] = res->in_col[i] == SIZE_MAX ? NULL : res->input->columns[res->in_col[i]];
    /* direct aggregates: an arithmetic mean of min-max indicators without transform, no
     * limit on zeros (which the direct path does not count) */
    memset(f.under_direct, 0, ni);
    memset(f.by_column, 0, na);
    for (size_t a = ni; a < nn; a++) {
        int direct = tree->nodes[a].aggregate.method == QALA_AGG_ARITHMETIC &&
                     set->max_zero_share >= 1;
        size_t with_column = 0;
        for (size_t j = res->child_start[a]; j < res->child_start[a + 1] && direct; j++) {
            size_t i = res->child[j];
            const qala_index_node *n = &tree->nodes[i];
            direct = i < ni && n->normalise.method == QALA_NORM_MINMAX &&
                     n->normalise.transform == QALA_NORM_TF_NONE;
            with_column += direct && f.src[i];
        }
        f.direct[a - ni] = (uint8_t)(direct && with_column > 0);
        for (size_t j = res->child_start[a]; j < res->child_start[a + 1] && f.direct[a - ni]; j++)
            f.under_direct[res->child[j]] = 1;
    }
    pthread_mutex_init(&f.lock, NULL);
    if (nt > 1 && pthread_barrier_init(&f.barrier, NULL, (unsigned)nt) != 0) {
        st = qala_err__set(QALA_ENOMEM, "index: cannot set up the threads' barrier");
        pthread_mutex_destroy(&f.lock);
        send_away(&g, ws, nt);
        goto out;
    }
    pthread_mutex_lock(&g.lock);
    g.open = 1;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.lock);
    run_worker(&ws[0]);
    for (size_t t = 1; t < nt; t++)
        pthread_join(ws[t].tid, NULL);
    if (nt > 1)
        pthread_barrier_destroy(&f.barrier);
    pthread_mutex_destroy(&f.lock);
    if (f.err != QALA_OK) {
        st = qala_err__set(f.err, "%s", f.err_message);
        goto out;
    }
    /* no unit screen: the units' availability is not counted (one more pass over the
     * data, a tenth of the run) */
    for (size_t u = 0; u < f.nk; u++)
        res->unit_avail[u] = NAN;
    for (size_t i = 0; i < ni; i++)
        for (size_t t = 0; t < nt; t++)
            res->report[i].normalise_flags |= f.flags[t * ni + i];
out:
    pthread_mutex_destroy(&g.lock);
    pthread_cond_destroy(&g.cv);
    qala_mem__free_big(blk, bytes);
    qala_mem__free(bufs);
    return st;
}
