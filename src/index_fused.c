/* src/index_fused.c — the fused path of the composite-index pipeline: when a run keeps
 * only the aggregates' scores (settings.scores_only) and nothing needs a whole column at
 * once, normalisation and aggregation go block by block of rows without the tables of
 * the intermediate stages.
 *
 * Place: chosen by qala_index_run instead of screen .. rank (index.c). Applies when no
 * indicator has a denominator, no imputation or treatment runs, no normalisation is a
 * rank method or dist2ref, every aggregation is row-wise (arithmetic, geometric,
 * harmonic, power, mean-min: not Copeland or MPI, which compare units), and no unit
 * screen is asked (unit_availability = 0). The results are those of the staged path
 * (the same kernels on the same values, in the same order per cell); the tests compare
 * both paths cell for cell.
 *
 * Passes: (1) per indicator, the normalisation parameters (pooled or per period) and the
 * screen counts (present cells from the parameters; zeros only when a limit on them is
 * set); (2) per block of BLOCK rows: every kept indicator normalised into a small buffer,
 * then each aggregate in tree order (children before parents) from the buffer or from its
 * children's score columns; (3) the ranks of the ranked nodes. Each pass is split between
 * settings.threads threads (0: one per CPU); every column or block is computed by one
 * thread, so the results do not depend on the number of threads. Memory: the aggregates'
 * scores and ranks, plus BLOCK × (indicators + widest node) doubles per thread.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "index_internal.h"
#include "util/internal.h"

/* rows per block, and the buffers' leading dimension (padded so that the cells of one
 * row in successive columns do not fall 4 KiB apart, on the same cache set) */
enum { BLOCK = 2048, LD = BLOCK + 8 };

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

/* What every thread reads, and where each writes its own. */
typedef struct fused {
    qala_index_result *res;
    size_t np, nk, nr, npar;         /* npar: parameter sets per indicator (1 or np) */
    const double **src;              /* nind: the input column, NULL when none */
    qala_normalise_params *par;      /* nind × npar */
    size_t *kid_start, *kid;         /* per aggregate (a - nind): its living children */
    double *kw;                      /* their weights, aligned with kid */
    unsigned *flags;                 /* nthreads × nind normalisation flags */
    size_t nthreads;
    size_t nblocks;                  /* blocks of rows, never across a period */
    /* the first error (lowest work item), under lock */
    pthread_mutex_t lock;
    size_t err_item;
    qala_status err;
    char err_message[sizeof qala_error_last()->message];
} fused;

static void fail(fused *f, size_t item, qala_status st)
{
    pthread_mutex_lock(&f->lock);
    if (item < f->err_item) {
        f->err_item = item;
        f->err = st;
        snprintf(f->err_message, sizeof f->err_message, "%s", qala_error_last()->message);
    }
    pthread_mutex_unlock(&f->lock);
}

static double *agg_col(const fused *f, size_t a)
{
    return qala_index__col(f->res, QALA_INDEX_STAGE_AGGREGATED, a);
}

/* ---- pass 1: screen counts and normalisation parameters, one indicator at a time ---- */

static void pass_params(fused *f, size_t t)
{
    qala_index_result *res = f->res;
    const qala_index_settings *set = &res->tree->settings;
    for (size_t i = t; i < res->nind; i += f->nthreads) {
        qala_index_indicator_report *rep = &res->report[i];
        memset(rep, 0, sizeof *rep);
        rep->treat.skew0 = rep->treat.kurt0 = rep->treat.skew = rep->treat.kurt = NAN;
        const double *x = f->src[i];
        if (!x) {
            rep->screen = QALA_INDEX_NO_COLUMN;
            continue;
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
                fail(f, i, st);
                return;
            }
            f->flags[t * res->nind + i] |= par->flags;
            present += par->count;
            infinite |= par->count > 0 && (isinf(par->min) || isinf(par->max));
        }
        if (infinite || n->normalise.transform != QALA_NORM_TF_NONE ||
            set->max_zero_share < 1) {
            /* count on the raw values (the parameters count transformed ones) */
            present = 0;
            counted = 1;
            for (size_t r = 0; r < f->nr; r++) {
                present += !isnan(x[r]);
                zeros += x[r] == 0;
                if (isinf(x[r])) {
                    char per[16];
                    qala_index__period_text(res, r / f->nk, per);
                    fail(f, i, qala_err__set(QALA_EINVAL, "index input: column '%s', unit "
                                             "'%s'%s%s%s: %g is not a number (use NAN for a "
                                             "missing value)", n->code,
                                             res->unit_codes[r % f->nk], per[0] ? " (" : "",
                                             per, per[0] ? ")" : "", x[r]));
                    return;
                }
            }
        }
        rep->availability = (double)present / (double)f->nr;
        /* without a limit on zeros the fused path does not count them */
        rep->zero_share = !counted ? NAN : present ? (double)zeros / (double)present : 0;
        rep->screen = rep->availability < set->indicator_availability ? QALA_INDEX_LOW_AVAILABILITY
                      : counted && rep->zero_share > set->max_zero_share       ? QALA_INDEX_TOO_MANY_ZEROS
                                                                      : QALA_INDEX_KEPT;
    }
}

/* ---- pass 2: blocks of rows --------------------------------------------------------- */

static qala_status one_block(fused *f, size_t t, size_t b, double *buf, double *gather)
{
    qala_index_result *res = f->res;
    const qala_index_node *nodes = res->tree->nodes;
    size_t ni = res->nind, per_period = (f->nk + BLOCK - 1) / BLOCK;
    size_t p = b / per_period, r0 = p * f->nk + (b % per_period) * BLOCK;
    size_t len = f->nk - (b % per_period) * BLOCK;
    if (len > BLOCK)
        len = BLOCK;
    /* normalise every living indicator */
    for (size_t i = 0; i < ni; i++) {
        const double *x = f->src[i];
        if (!x || !res->alive[i])
            continue;
        unsigned fl = 0;
        const qala_normalise_params *par = &f->par[i * f->npar + (f->npar == 1 ? 0 : p)];
        qala_status st = qala_normalise_apply(buf + i * LD, 1, x + r0, 1, len,
                                              nodes[i].direction, &nodes[i].normalise, par, &fl);
        if (st != QALA_OK)
            return st;
        f->flags[t * ni + i] |= fl;
    }
    /* aggregates in tree order: children before parents */
    for (size_t a = ni; a < res->nnodes; a++) {
        double *out = agg_col(f, a) + r0;
        size_t j0 = f->kid_start[a - ni], m = f->kid_start[a - ni + 1] - j0;
        if (m == 0) {
            for (size_t r = 0; r < len; r++)
                out[r] = NAN;
            continue;
        }
        const size_t *kid = f->kid + j0;
        int consecutive = 1, indicators = kid[0] < ni;
        for (size_t j = 1; j < m && consecutive; j++)
            consecutive = kid[j] == kid[0] + j && (kid[j] < ni) == (kid[0] < ni);
        const double *x;
        size_t cs;
        if (consecutive && indicators) {
            x = buf + kid[0] * LD;
            cs = LD;
        } else if (consecutive) {
            x = agg_col(f, kid[0]) + r0;
            cs = f->nr;
        } else {
            for (size_t j = 0; j < m; j++)
                memcpy(gather + j * LD,
                       kid[j] < ni ? buf + kid[j] * LD : agg_col(f, kid[j]) + r0,
                       len * sizeof *gather);
            x = gather;
            cs = LD;
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
    int pass;
    double *buf, *gather;
    qala_rank_item *items;
} worker;

static void pass_blocks(worker *w)
{
    fused *f = w->f;
    for (size_t b = w->t; b < f->nblocks; b += f->nthreads) {
        qala_status st = one_block(f, w->t, b, w->buf, w->gather);
        if (st != QALA_OK) {
            fail(f, b, st);
            return;
        }
    }
}

/* ---- pass 3: ranks ------------------------------------------------------------------ */

static void pass_ranks(worker *w)
{
    fused *f = w->f;
    qala_index_result *res = f->res;
    for (size_t i = w->t; i < res->nnodes; i += f->nthreads) {
        double *r = qala_index__col(res, QALA_INDEX_STAGE_RANKED, i);
        if (!r)
            continue;
        const double *x = agg_col(f, i);
        for (size_t p = 0; p < f->np; p++) {
            qala_status st = qala_rank_min(r + p * f->nk, 1, x + p * f->nk, 1, f->nk,
                                           QALA_RANK_DESC, w->items);
            if (st != QALA_OK) {
                fail(f, i, st);
                return;
            }
        }
    }
}

static void *work(void *arg)
{
    worker *w = arg;
    if (w->pass == 1)
        pass_params(w->f, w->t);
    else if (w->pass == 2)
        pass_blocks(w);
    else
        pass_ranks(w);
    return NULL;
}

/* Runs one pass on every worker: threads 1.. on their own, worker 0 here. A thread that
 * cannot start has its share done here afterwards. */
static void run_pass(worker *ws, size_t n, int pass)
{
    pthread_t tid[64];
    int started[64] = {0};
    for (size_t t = 0; t < n; t++)
        ws[t].pass = pass;
    for (size_t t = 1; t < n; t++)
        started[t] = pthread_create(&tid[t], NULL, work, &ws[t]) == 0;
    work(&ws[0]);
    for (size_t t = 1; t < n; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            work(&ws[t]);
    }
}

qala_status qala_index__run_fused(qala_index_result *res)
{
    const qala_index_tree *tree = res->tree;
    const qala_index_settings *set = &tree->settings;
    size_t ni = res->nind, nn = res->nnodes, na = nn - ni;
    fused f = {.res = res, .np = res->nperiods, .nk = res->nkept, .nr = res->nrows};
    f.npar = set->pooled || f.np == 1 ? 1 : f.np;
    size_t nt = set->threads ? set->threads : (size_t)sysconf(_SC_NPROCESSORS_ONLN);
    if (nt < 1)
        nt = 1;
    if (nt > 64)
        nt = 64;
    f.nblocks = f.np * ((f.nk + BLOCK - 1) / BLOCK);
    f.nthreads = nt;
    f.err_item = SIZE_MAX;
    f.err = QALA_OK;

    /* one scratch block: plan, per-thread buffers */
    size_t maxc = res->max_children ? res->max_children : 1;
    size_t bytes = ni * sizeof *f.src + ni * f.npar * sizeof *f.par +
                   (na + 1) * sizeof *f.kid_start + nn * sizeof *f.kid + nn * sizeof *f.kw +
                   nt * ni * sizeof *f.flags + nt * sizeof(worker) +
                   nt * (ni + maxc) * LD * sizeof(double) + nt * f.nk * sizeof(qala_rank_item) +
                   16 * 12;
    char *blk = qala_mem__malloc(bytes);
    if (!blk)
        return qala_err__set(QALA_ENOMEM, "index: out of memory (fused run scratch)");
    char *at = blk;
#define TAKE(ptr, count)                                                                     \
    do {                                                                                     \
        at = (char *)(((uintptr_t)at + 15) & ~(uintptr_t)15);                                \
        (ptr) = (void *)at;                                                                  \
        at += (count) * sizeof *(ptr);                                                       \
    } while (0)
    worker *ws;
    TAKE(f.src, ni);
    TAKE(f.par, ni * f.npar);
    TAKE(f.kid_start, na + 1);
    TAKE(f.kid, nn);
    TAKE(f.kw, nn);
    TAKE(f.flags, nt * ni);
    TAKE(ws, nt);
    for (size_t t = 0; t < nt; t++) {
        ws[t] = (worker){.f = &f, .t = t};
        TAKE(ws[t].buf, ni * LD);
        TAKE(ws[t].gather, maxc * LD);
        TAKE(ws[t].items, f.nk);
    }
#undef TAKE
    memset(f.flags, 0, nt * ni * sizeof *f.flags);
    for (size_t i = 0; i < ni; i++)
        f.src[i] = res->in_col[i] == SIZE_MAX ? NULL : res->input->columns[res->in_col[i]];
    pthread_mutex_init(&f.lock, NULL);

    qala_status st = QALA_OK;
    run_pass(ws, nt, 1);
    if (f.err != QALA_OK)
        goto done;
    /* the screen: a node lives when a kept indicator is under it */
    for (size_t i = 0; i < nn; i++)
        res->alive[i] = i < ni && res->report[i].screen == QALA_INDEX_KEPT;
    for (size_t i = 0; i + 1 < nn; i++)
        if (res->alive[i])
            res->alive[tree->nodes[i].parent] = 1;
    if (!res->alive[nn - 1]) {
        st = qala_err__set(QALA_EDATA, "index screen: every indicator was screened out "
                           "(no column, low availability or too many zeros)");
        goto done;
    }
    /* living children of each aggregate, with their weights */
    size_t k = 0;
    for (size_t a = ni; a < nn; a++) {
        f.kid_start[a - ni] = k;
        for (size_t j = res->child_start[a]; j < res->child_start[a + 1]; j++)
            if (res->alive[res->child[j]]) {
                f.kid[k] = res->child[j];
                f.kw[k++] = tree->nodes[res->child[j]].weight;
            }
    }
    f.kid_start[na] = k;
    run_pass(ws, nt, 2);
    if (f.err != QALA_OK)
        goto done;
    run_pass(ws, nt, 3);
    if (f.err != QALA_OK)
        goto done;
    /* no unit screen: the units' availability is not counted (one more pass over the
     * data, a tenth of the run) */
    for (size_t u = 0; u < f.nk; u++)
        res->unit_avail[u] = NAN;
    for (size_t i = 0; i < ni; i++)
        for (size_t t = 0; t < nt; t++)
            res->report[i].normalise_flags |= f.flags[t * ni + i];
done:
    if (f.err != QALA_OK)
        st = qala_err__set(f.err, "%s", f.err_message);
    pthread_mutex_destroy(&f.lock);
    qala_mem__free(blk);
    return st;
}
