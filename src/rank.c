/* src/rank.c — ranks with ties getting the minimum rank, over all units or within groups.
 *
 * Place in the pipeline: the last stage of the composite index (ranks of the index and
 * of any aggregate, 1 = best), and the kernel behind the rank, borda and prank
 * normalisations (src/normalise.c, ascending order).
 * Method: copy the non-missing scores with their positions (and groups) into the scratch
 * array, sort it by (group, score) with qsort, then walk it: an item's rank is its
 * position inside its group plus one, unless it ties with the previous item, whose rank
 * it takes. That is exactly "1 + the number of strictly better scores in the group".
 * Invariants: every score is read into the scratch array before any out cell is written,
 * so out may alias x; missing scores and units of no group get NAN and are not counted.
 * Workload: one call per aggregate column (tens of columns of up to ~10^5 units), or
 * per indicator in the rank normalisations; O(n log n), one allocation at most per call.
 */
#include <math.h>
#include <stdlib.h>

#include "qala/rank.h"
#include "util/internal.h"

static int cmp_asc(const void *pa, const void *pb)
{
    const qala_rank_item *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static int cmp_desc(const void *pa, const void *pb)
{
    const qala_rank_item *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->value != b->value)
        return a->value > b->value ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static qala_status rank_impl(double *out, size_t ostride, const double *x, size_t stride,
                             const size_t *group, size_t n, qala_rank_order order,
                             qala_rank_item *scratch, const char *who)
{
    if (stride == 0 || ostride == 0)
        return qala_err__set(QALA_EINVAL, "%s: stride and ostride must be at least 1", who);
    if (order != QALA_RANK_DESC && order != QALA_RANK_ASC)
        return qala_err__set(QALA_EINVAL, "%s: order must be QALA_RANK_DESC or QALA_RANK_ASC, not %d",
                             who, (int)order);
    if (n == 0)
        return QALA_OK;
    qala_rank_item *items = scratch;
    if (!items) {
        items = qala_mem__malloc(n * sizeof *items);
        if (!items)
            return qala_err__set(QALA_ENOMEM, "%s: out of memory for %zu scores", who, n);
    }

    /* 1: read every score (out may alias x). */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        size_t g = group ? group[i] : 0;
        if (isnan(v) || g == QALA_RANK_NO_GROUP)
            continue;
        items[m].value = v;
        items[m].index = i;
        items[m].group = g;
        m++;
    }
    /* 2: cells without a rank. */
    for (size_t i = 0; i < n; i++)
        if (isnan(x[i * stride]) || (group && group[i] == QALA_RANK_NO_GROUP))
            out[i * ostride] = NAN;

    /* 3: sort and walk. */
    qsort(items, m, sizeof *items, order == QALA_RANK_DESC ? cmp_desc : cmp_asc);
    size_t start = 0;
    double rank = 0;
    for (size_t k = 0; k < m; k++) {
        if (k == 0 || items[k].group != items[k - 1].group) {
            start = k;
            rank = 1;
        } else if (items[k].value != items[k - 1].value) {
            rank = (double)(k - start + 1);
        }
        out[items[k].index * ostride] = rank;
    }

    if (items != scratch)
        qala_mem__free(items);
    return QALA_OK;
}

qala_status qala_rank_min(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                          qala_rank_order order, qala_rank_item *scratch)
{
    return rank_impl(out, ostride, x, stride, NULL, n, order, scratch, "qala_rank_min");
}

qala_status qala_rank_min_groups(double *out, size_t ostride, const double *x, size_t stride,
                                 const size_t *group, size_t n, qala_rank_order order,
                                 qala_rank_item *scratch)
{
    if (n > 0 && !group)
        return qala_err__set(QALA_EINVAL, "qala_rank_min_groups: group ids are missing (NULL)");
    return rank_impl(out, ostride, x, stride, group, n, order, scratch, "qala_rank_min_groups");
}
