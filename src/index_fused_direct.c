/* src/index_fused_direct.c — the direct aggregates of the fused index path: an arithmetic
 * mean of min-max indicators (no transform) computed straight from the input columns,
 * without the normalised values ever stored.
 *
 * Place: index_fused.c runs qala_index__fused_direct for each direct aggregate on every
 * thread, after the other indicators' parameters and before the blocks; the blocks take a
 * direct aggregate that has a missing value through qala_index__fused_direct_block.
 * One aggregate at a time: (1) each thread adds its rows of every child column to that
 * child's parameters (count, min, max: exact, so merged in row order they are the
 * column's own: the order of a tie, -0 before +0, is kept too); (2) thread 0 merges them
 * and screens the children as pass 1 does; (3) when no living child has a missing value
 * or a degenerate range, each thread scores its rows column by column — the columns were
 * just read in (1) and are still in the cache, so the matrix comes from memory once.
 * The kernels repeat the operations of norm_minmax (normalise.c), (sign·x - lo) / range ·
 * span + l (sign·x is x or -x exactly), and of agg_arithmetic (aggregate.c), s = 0,
 * s += w_j · n_j in child order, s / wall: the same bits as the staged path (the tests
 * compare both, tests/unit/index/test_fused_direct.c). Built for wide vectors
 * (util/simd.h).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "index_fused_internal.h"
#include "util/internal.h"
#include "util/simd.h"

static double *agg_col(const fused *f, size_t a)
{
    return qala_index__col(f->res, QALA_INDEX_STAGE_AGGREGATED, a);
}

static const qala_normalise_params *params_of(const fused *f, size_t i, size_t p)
{
    return &f->par[i * f->npar + (f->npar == 1 ? 0 : p)];
}

/* ---- kernels ---------------------------------------------------------------------------- */

enum { CHUNK = 256 };

/* A block: returns 1 when every unit's sum is finite (out written), 0 when some cell is
 * missing (NAN) or overflowed. */
QALA_VECTOR_CLONES
static int minmax_mean(double *out, const double *const *x, size_t len, size_t m,
                       const double *sign, const double *lo, const double *range,
                       const double *span, const double *l, const double *w, double wall)
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

/* One child column of a thread's rows, added to the sums in out. */
QALA_VECTOR_CLONES
static void minmax_add(double *out, const double *x, size_t n, double sg, double a, double r,
                       double sp, double b, double wj)
{
    for (size_t i = 0; i < n; i++)
        out[i] += wj * ((sg * x[i] - a) / r * sp + b);
}

/* ---- one direct aggregate on every thread ------------------------------------------------- */

/* (1) the parameters of child i over rows [lo, hi) of thread t, per period */
static void partial_params(fused *f, size_t t, size_t i, size_t lo, size_t hi)
{
    const qala_index_node *n = &f->res->tree->nodes[i];
    qala_normalise_params *part = &f->partial[(t * f->res->nind + i) * f->npar];
    for (size_t p = 0; p < f->npar; p++)
        qala_normalise_params_init(&part[p]);
    for (size_t r = lo; r < hi;) {
        size_t p = r / f->nk, end = (p + 1) * f->nk < hi ? (p + 1) * f->nk : hi;
        if (f->npar == 1)
            end = hi;
        qala_status st = qala_normalise_params_add(&part[f->npar == 1 ? 0 : p], f->src[i] + r,
                                                   1, end - r, n->direction, &n->normalise);
        if (st != QALA_OK) {
            qala_index__fused_fail(f, i, st);
            return;
        }
        r = end;
    }
}

/* (2) thread 0: the threads' parameters merged in row order, the screen as in pass 1 */
static void merge_params(fused *f, size_t i)
{
    qala_index_result *res = f->res;
    const qala_index_settings *set = &res->tree->settings;
    size_t ni = res->nind, present = 0;
    int infinite = 0;
    for (size_t p = 0; p < f->npar; p++) {
        qala_normalise_params *par = &f->par[i * f->npar + p];
        qala_normalise_params_init(par);
        for (size_t t = 0; t < f->nthreads; t++) {
            const qala_normalise_params *q = &f->partial[(t * ni + i) * f->npar + p];
            if (q->count > 0) {
                if (par->count == 0) {
                    par->min = q->min;
                    par->max = q->max;
                } else {
                    par->min = q->min < par->min ? q->min : par->min;
                    par->max = q->max > par->max ? q->max : par->max;
                }
            }
            par->count += q->count;
            par->seen += q->seen;
            par->flags |= q->flags;
        }
        f->flags[i] |= par->flags;
        present += par->count;
        infinite |= par->count > 0 && (isinf(par->min) || isinf(par->max));
    }
    if (infinite) { /* pass 1 finds the cell and reports it */
        qala_index__fused_params_column(f, 0, i);
        return;
    }
    qala_index_indicator_report *rep = qala_index__fused_report(f, i);
    rep->availability = (double)present / (double)f->nr;
    rep->zero_share = NAN; /* without a limit on zeros the fused path does not count them */
    rep->screen = rep->availability < set->indicator_availability ? QALA_INDEX_LOW_AVAILABILITY
                                                                   : QALA_INDEX_KEPT;
}

static int kept(const fused *f, size_t i)
{
    return f->src[i] && f->res->report[i].screen == QALA_INDEX_KEPT;
}

/* thread 0 after (2): column by column when every living child is complete */
static void decide_by_column(fused *f, size_t a)
{
    const qala_index_result *res = f->res;
    size_t ni = res->nind, m = 0;
    int ok = 1;
    double wall = 0;
    for (size_t q = res->child_start[a]; q < res->child_start[a + 1] && ok; q++) {
        size_t i = res->child[q];
        if (!kept(f, i))
            continue;
        m++;
        wall += res->tree->nodes[i].weight;
        for (size_t p = 0; p < f->npar && ok; p++) {
            const qala_normalise_params *par = &f->par[i * f->npar + p];
            ok = par->count == (f->npar == 1 ? f->nr : f->nk) && par->min != par->max;
        }
    }
    f->by_column[a - ni] = (uint8_t)(ok && m > 0 && m <= FUSED_MAX_DIRECT && wall > 0);
}

/* (3) thread t's rows of aggregate a, column by column */
static void score_rows(fused *f, size_t a, size_t lo, size_t hi)
{
    const qala_index_result *res = f->res;
    double *out = agg_col(f, a);
    memset(out + lo, 0, (hi - lo) * sizeof *out);
    double wall = 0;
    for (size_t q = res->child_start[a]; q < res->child_start[a + 1]; q++) {
        size_t i = res->child[q];
        if (!kept(f, i))
            continue;
        const qala_index_node *n = &res->tree->nodes[i];
        double sg = n->direction < 0 ? -1.0 : 1.0, sp = n->normalise.upper - n->normalise.lower;
        wall += n->weight;
        for (size_t r = lo; r < hi;) { /* within a period (its own parameters, maybe) */
            size_t p = r / f->nk, end = (p + 1) * f->nk < hi ? (p + 1) * f->nk : hi;
            const qala_normalise_params *par = params_of(f, i, p);
            minmax_add(out + r, f->src[i] + r, end - r, sg, par->min, par->max - par->min, sp,
                       n->normalise.lower, n->weight);
            r = end;
        }
    }
    for (size_t r = lo; r < hi; r++)
        out[r] = out[r] / wall;
}

void qala_index__fused_direct(fused *f, size_t t, size_t a)
{
    const qala_index_result *res = f->res;
    size_t lo, hi;
    qala_index__fused_rows(f, t, &lo, &hi);
    for (size_t q = res->child_start[a]; q < res->child_start[a + 1]; q++)
        if (f->src[res->child[q]])
            partial_params(f, t, res->child[q], lo, hi);
    qala_index__fused_sync(f);
    if (t == 0) {
        for (size_t q = res->child_start[a]; q < res->child_start[a + 1]; q++) {
            size_t i = res->child[q];
            if (!f->src[i])
                qala_index__fused_report(f, i)->screen = QALA_INDEX_NO_COLUMN;
            else
                merge_params(f, i);
        }
        decide_by_column(f, a);
    }
    qala_index__fused_sync(f);
    if (f->by_column[a - res->nind] && lo < hi)
        score_rows(f, a, lo, hi);
}

/* ---- a direct aggregate with a missing value: block by block -------------------------------- */

int qala_index__fused_direct_block(fused *f, size_t t, size_t a, size_t r0, size_t p,
                                   size_t len, double *out)
{
    const qala_index_result *res = f->res;
    size_t j0 = f->kid_start[a - res->nind], m = f->kid_start[a - res->nind + 1] - j0;
    if (!f->direct[a - res->nind] || m > FUSED_MAX_DIRECT)
        return 0;
    if (f->by_column[a - res->nind])
        return 1; /* done column by column */
    const double *x[FUSED_MAX_DIRECT];
    double sign[FUSED_MAX_DIRECT], lo[FUSED_MAX_DIRECT], range[FUSED_MAX_DIRECT],
        span[FUSED_MAX_DIRECT], l[FUSED_MAX_DIRECT], wall = 0;
    for (size_t j = 0; j < m; j++) {
        size_t i = f->kid[j0 + j];
        const qala_index_node *n = &res->tree->nodes[i];
        const qala_normalise_params *par = params_of(f, i, p);
        if (par->count == 0 || par->min == par->max)
            return 0; /* a column of NAN or a constant one: the general path flags it */
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
    for (size_t j = 0; j < m; j++)
        f->flags[t * res->nind + f->kid[j0 + j]] |= params_of(f, f->kid[j0 + j], p)->flags;
    return 1;
}
