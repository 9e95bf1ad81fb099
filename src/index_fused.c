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
 * Passes: (1) per indicator, last column first, the normalisation parameters (pooled or
 * per period) and the screen counts (present cells from the parameters; zeros only when
 * a limit on them is set); (2a) the direct aggregates — an arithmetic mean of min-max
 * indicators without transform — whose children have no missing value: column by column
 * straight from the input (first column first: those pass 1 read last are still in the
 * cache), each thread a range of rows; (2) per block of BLOCK rows, every other
 * aggregate in tree order (children before parents): a direct one from the input columns
 * when the block has no missing value, else from its children normalised into a small
 * buffer (the general path), or from its children's score columns; (3) the ranks of the
 * ranked nodes, one column per thread, or, for fewer long columns than threads, each
 * split between the threads (rank_internal.h). The direct kernels repeat the operations
 * of norm_minmax and agg_arithmetic in the same order, built for wide vectors
 * (util/simd.h). Each pass is split between settings.threads threads (0: one per CPU);
 * every column, row or block is computed by one thread, so the results do not depend on
 * the number of threads. Memory: the aggregates' scores and ranks (in huge pages where
 * the kernel offers them: qala_mem__malloc_big), 24 bytes a unit for the ranks, plus
 * BLOCK × (indicators + widest node) doubles per thread that only the general path
 * touches.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "index_internal.h"
#include "util/internal.h"
#include "rank_internal.h"
#include "util/simd.h"

/* rows per block, and the buffers' leading dimension (padded so that the cells of one
 * row in successive columns do not fall 4 KiB apart, on the same cache set) */
enum { BLOCK = 2048, LD = BLOCK + 8, MAX_DIRECT = 64 };

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
    uint8_t *direct;                 /* per aggregate: the direct kernel may apply (every
                                        living child a min-max indicator, arithmetic mean) */
    uint8_t *under_direct;           /* per indicator: its parent is direct */
    uint8_t *by_column;              /* per aggregate: direct, no child has a missing value
                                        or a degenerate range: done column by column */
    unsigned *flags;                 /* nthreads × nind normalisation flags */
    size_t nthreads;
    size_t nblocks;                  /* blocks of rows, never across a period */
    /* a column ranked on every thread (passes 4 and 5) */
    qala_rank__part *parts;          /* nthreads */
    const double *split_x;
    double *split_out;
    size_t split_period;
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
    /* last column first: pass 2 then reads the first columns from the cache */
    for (size_t k = t; k < res->nind; k += f->nthreads) {
        size_t i = res->nind - 1 - k;
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

/* The direct kernel: the weighted arithmetic mean of min-max scaled indicators (no
 * transform) from the input columns, without the normalised values ever stored. Each cell
 * goes through the operations of norm_minmax (normalise.c), (sign·x - lo) / range · span
 * + l (sign·x is x or -x exactly), and each unit's sum through those of agg_arithmetic
 * (aggregate.c), s = 0, s += w_j · n_j in child order, s / wall: the same bits as the
 * staged path. Returns 1 when every unit's sum is finite (out written), 0 when some cell
 * is missing (NAN) or overflowed: the caller then takes the general path for the block. */
enum { CHUNK = 256 };

QALA_VECTOR_CLONES static int minmax_mean(double *out, const double *const *x, size_t len,
                                          size_t m, const double *sign, const double *lo,
                                          const double *range, const double *span,
                                          const double *l, const double *w, double wall)
{
    double s[CHUNK];
    for (size_t i0 = 0; i0 < len; i0 += CHUNK) {
        size_t n = len - i0 < CHUNK ? len - i0 : CHUNK;
        for (size_t i = 0; i < n; i++)
            s[i] = 0;
        for (size_t j = 0; j < m; j++) {
            const double *xj = x[j] + i0;
            double sg = sign[j], a = lo[j], r = range[j], sp = span[j], b = l[j], wj = w[j];
            for (size_t i = 0; i < n; i++)
                s[i] += wj * ((sg * xj[i] - a) / r * sp + b);
        }
        int bad = 0;
        for (size_t i = 0; i < n; i++)
            bad |= !(fabs(s[i]) <= DBL_MAX);
        if (bad)
            return 0;
        for (size_t i = 0; i < n; i++)
            out[i0 + i] = s[i] / wall;
    }
    return 1;
}

/* The direct kernel column by column (pass 2a), for a direct aggregate whose children
 * have no missing value: out[r] = 0, then out[r] += w_j · n_j(x_j[r]) for each child in
 * order, then out[r] / wall — agg_arithmetic's operations again. Each thread takes a
 * range of rows of every column, so the sum in out stays in its cache while the columns
 * stream by (columns 0, 1, ...: the ones pass 1 read last). */
QALA_VECTOR_CLONES static void minmax_add(double *out, const double *x, size_t n, double sg,
                                          double a, double r, double sp, double b, double wj)
{
    for (size_t i = 0; i < n; i++)
        out[i] += wj * ((sg * x[i] - a) / r * sp + b);
}

static void pass_columns(fused *f, size_t t)
{
    const qala_index_result *res = f->res;
    size_t ni = res->nind, lo = f->nr * t / f->nthreads, hi = f->nr * (t + 1) / f->nthreads;
    for (size_t a = ni; a < res->nnodes && lo < hi; a++) {
        if (!f->by_column[a - ni])
            continue;
        double *out = agg_col(f, a);
        size_t j0 = f->kid_start[a - ni], m = f->kid_start[a - ni + 1] - j0;
        memset(out + lo, 0, (hi - lo) * sizeof *out);
        double wall = 0;
        for (size_t j = 0; j < m; j++) {
            size_t i = f->kid[j0 + j];
            const qala_index_node *n = &res->tree->nodes[i];
            double sg = n->direction < 0 ? -1.0 : 1.0, sp = n->normalise.upper - n->normalise.lower;
            wall += f->kw[j0 + j];
            /* row by row within a period (the parameters may be the period's own) */
            for (size_t r = lo; r < hi;) {
                size_t p = r / f->nk, end = (p + 1) * f->nk < hi ? (p + 1) * f->nk : hi;
                const qala_normalise_params *par = &f->par[i * f->npar + (f->npar == 1 ? 0 : p)];
                minmax_add(out + r, f->src[i] + r, end - r, sg, par->min, par->max - par->min,
                           sp, n->normalise.lower, f->kw[j0 + j]);
                r = end;
            }
        }
        for (size_t r = lo; r < hi; r++)
            out[r] = out[r] / wall;
    }
}

/* Normalises indicator i of the block into the worker's buffer, once per block. */
static qala_status normalise_kid(fused *f, size_t t, size_t i, size_t r0, size_t p,
                                 size_t len, double *buf, uint8_t *normed)
{
    if (normed[i])
        return QALA_OK;
    const qala_index_node *n = &f->res->tree->nodes[i];
    unsigned fl = 0;
    const qala_normalise_params *par = &f->par[i * f->npar + (f->npar == 1 ? 0 : p)];
    qala_status st = qala_normalise_apply(buf + i * LD, 1, f->src[i] + r0, 1, len,
                                          n->direction, &n->normalise, par, &fl);
    if (st != QALA_OK)
        return st;
    f->flags[t * f->res->nind + i] |= fl;
    normed[i] = 1;
    return QALA_OK;
}

/* Aggregate a of the block through the direct kernel, when it applies: 1 done, 0 not. */
static int direct_block(fused *f, size_t t, size_t a, size_t r0, size_t p, size_t len,
                        double *out)
{
    const qala_index_result *res = f->res;
    size_t j0 = f->kid_start[a - res->nind], m = f->kid_start[a - res->nind + 1] - j0;
    if (!f->direct[a - res->nind] || m > MAX_DIRECT)
        return 0;
    if (f->by_column[a - res->nind])
        return 1; /* done in pass 2a */
    const double *x[MAX_DIRECT];
    double sign[MAX_DIRECT], lo[MAX_DIRECT], range[MAX_DIRECT], span[MAX_DIRECT],
        l[MAX_DIRECT], wall = 0;
    for (size_t j = 0; j < m; j++) {
        size_t i = f->kid[j0 + j];
        const qala_index_node *n = &res->tree->nodes[i];
        const qala_normalise_params *par = &f->par[i * f->npar + (f->npar == 1 ? 0 : p)];
        if (par->count == 0 || par->min == par->max)
            return 0; /* a column of NAN: the general path flags it */
        x[j] = f->src[i] + r0;
        sign[j] = n->direction < 0 ? -1.0 : 1.0;
        lo[j] = par->min;
        range[j] = par->max - par->min;
        span[j] = n->normalise.upper - n->normalise.lower;
        l[j] = n->normalise.lower;
        wall += f->kw[j0 + j];
    }
    if (!(wall > 0) ||
        !minmax_mean(out, x, len, m, sign, lo, range, span, l, f->kw + j0, wall))
        return 0;
    /* the flags norm_minmax would have reported: the parameters' own */
    for (size_t j = 0; j < m; j++) {
        size_t i = f->kid[j0 + j];
        f->flags[t * res->nind + i] |= f->par[i * f->npar + (f->npar == 1 ? 0 : p)].flags;
    }
    return 1;
}

static qala_status one_block(fused *f, size_t t, size_t b, double *buf, double *gather,
                             uint8_t *normed)
{
    qala_index_result *res = f->res;
    const qala_index_node *nodes = res->tree->nodes;
    size_t ni = res->nind, per_period = (f->nk + BLOCK - 1) / BLOCK;
    size_t p = b / per_period, r0 = p * f->nk + (b % per_period) * BLOCK;
    size_t len = f->nk - (b % per_period) * BLOCK;
    if (len > BLOCK)
        len = BLOCK;
    memset(normed, 0, ni);
    /* every living indicator is normalised (its flags count) even when no aggregate
     * takes it; those under a direct aggregate only when that falls back */
    for (size_t i = 0; i < ni; i++) {
        if (!f->src[i] || !res->alive[i] || f->under_direct[i])
            continue;
        qala_status st = normalise_kid(f, t, i, r0, p, len, buf, normed);
        if (st != QALA_OK)
            return st;
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
        if (direct_block(f, t, a, r0, p, len, out))
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
    uint8_t *normed;                 /* nind: normalised into buf in this block */
    qala_rank_item *items;
} worker;

static void pass_blocks(worker *w)
{
    fused *f = w->f;
    for (size_t b = w->t; b < f->nblocks; b += f->nthreads) {
        qala_status st = one_block(f, w->t, b, w->buf, w->gather, w->normed);
        if (st != QALA_OK) {
            fail(f, b, st);
            return;
        }
    }
}

/* ---- pass 3: ranks ------------------------------------------------------------------ */

/* Columns (and periods) to rank: one per thread at a time; or, when there are fewer
 * of them than threads and they are long, each split between every thread (pass 4: each
 * thread sorts its slice; pass 5: ranks it against every sorted slice). */
enum { SPLIT_MIN = 16384 };

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

/* the slice [lo, hi) of the split column that thread t ranks */
static void split_slice(const fused *f, size_t t, size_t *lo, size_t *hi)
{
    *lo = f->nk * t / f->nthreads;
    *hi = f->nk * (t + 1) / f->nthreads;
}

static void pass_sort_slice(worker *w)
{
    fused *f = w->f;
    size_t lo, hi, off = f->split_period * f->nk;
    split_slice(f, w->t, &lo, &hi);
    qala_rank__sort_part(&f->parts[w->t], f->split_out + off, f->split_x + off, lo, hi,
                         QALA_RANK_DESC, w->items);
}

static void pass_rank_slice(worker *w)
{
    fused *f = w->f;
    qala_rank__rank_part(f->split_out + f->split_period * f->nk, f->parts, f->nthreads, w->t);
}

static void *work(void *arg)
{
    worker *w = arg;
    switch (w->pass) {
    case 1:
        pass_params(w->f, w->t);
        break;
    case 2:
        pass_blocks(w);
        break;
    case 3:
        pass_ranks(w);
        break;
    case 4:
        pass_sort_slice(w);
        break;
    case 6:
        pass_columns(w->f, w->t);
        break;
    default:
        pass_rank_slice(w);
        break;
    }
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

    /* ranked columns: one per thread, or each split between the threads */
    size_t nranked = 0;
    for (size_t i = 0; i < nn; i++)
        nranked += qala_index__col(res, QALA_INDEX_STAGE_RANKED, i) != NULL;
    int split = nt > 1 && nranked * f.np < nt && f.nk >= SPLIT_MIN;
    size_t nitems = split ? f.nk / nt + 1 : f.nk;

    /* one scratch block: plan, per-thread buffers */
    size_t maxc = res->max_children ? res->max_children : 1;
    size_t bytes = ni * sizeof *f.src + ni * f.npar * sizeof *f.par +
                   (na + 1) * sizeof *f.kid_start + nn * sizeof *f.kid + nn * sizeof *f.kw +
                   2 * na + ni + nt * ni * sizeof *f.flags + nt * sizeof(worker) +
                   nt * sizeof(qala_rank__part) +
                   nt * (ni + nitems * sizeof(qala_rank_item)) +
                   16 * (12 + 3 * nt);
    /* the blocks' buffers apart: only the general path touches them */
    size_t buf_bytes = nt * (ni + maxc) * LD * sizeof(double);
    char *blk = qala_mem__malloc_big(bytes);
    double *bufs = qala_mem__malloc(buf_bytes);
    if (!blk || !bufs) {
        qala_mem__free_big(blk, bytes);
        qala_mem__free(bufs);
        return qala_err__set(QALA_ENOMEM, "index: out of memory (fused run scratch)");
    }
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
    TAKE(f.direct, na);
    TAKE(f.under_direct, ni);
    TAKE(f.by_column, na);
    TAKE(f.flags, nt * ni);
    TAKE(f.parts, nt);
    TAKE(ws, nt);
    for (size_t t = 0; t < nt; t++) {
        ws[t] = (worker){.f = &f, .t = t};
        ws[t].buf = bufs + t * (ni + maxc) * LD;
        ws[t].gather = ws[t].buf + ni * LD;
        TAKE(ws[t].normed, ni);
        TAKE(ws[t].items, nitems);
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
    /* the direct kernel: every living child a min-max indicator without transform, under
     * an arithmetic mean */
    memset(f.under_direct, 0, ni);
    for (size_t a = ni; a < nn; a++) {
        int direct = tree->nodes[a].aggregate.method == QALA_AGG_ARITHMETIC;
        for (size_t j = f.kid_start[a - ni]; j < f.kid_start[a - ni + 1] && direct; j++) {
            const qala_index_node *n = &tree->nodes[f.kid[j]];
            direct = f.kid[j] < ni && f.src[f.kid[j]] && n->normalise.method == QALA_NORM_MINMAX &&
                     n->normalise.transform == QALA_NORM_TF_NONE;
        }
        f.direct[a - ni] = (uint8_t)direct;
        for (size_t j = f.kid_start[a - ni]; j < f.kid_start[a - ni + 1] && direct; j++)
            f.under_direct[f.kid[j]] = 1;
        /* column by column when no child has a gap or a degenerate range in any period */
        double wall = 0;
        for (size_t j = f.kid_start[a - ni]; j < f.kid_start[a - ni + 1] && direct; j++) {
            wall += f.kw[j];
            for (size_t p = 0; p < f.npar && direct; p++) {
                const qala_normalise_params *par = &f.par[f.kid[j] * f.npar + p];
                direct = par->count == (f.npar == 1 ? f.nr : f.nk) && par->min != par->max;
            }
        }
        f.by_column[a - ni] = (uint8_t)(direct && wall > 0 &&
                                        f.kid_start[a - ni + 1] > f.kid_start[a - ni]);
        for (size_t j = f.kid_start[a - ni]; j < f.kid_start[a - ni + 1] && f.by_column[a - ni]; j++)
            for (size_t p = 0; p < f.npar; p++)
                f.flags[f.kid[j]] |= f.par[f.kid[j] * f.npar + p].flags;
    }
    run_pass(ws, nt, 6);
    run_pass(ws, nt, 2);
    if (f.err != QALA_OK)
        goto done;
    if (!split) {
        run_pass(ws, nt, 3);
    } else {
        for (size_t i = 0; i < nn; i++) {
            f.split_out = qala_index__col(res, QALA_INDEX_STAGE_RANKED, i);
            if (!f.split_out)
                continue;
            f.split_x = agg_col(&f, i);
            for (f.split_period = 0; f.split_period < f.np; f.split_period++) {
                run_pass(ws, nt, 4);
                run_pass(ws, nt, 5);
            }
        }
    }
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
    qala_mem__free_big(blk, bytes);
    qala_mem__free(bufs);
    return st;
}
