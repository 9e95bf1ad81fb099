/* src/monitor_tables.c — the reference values that ratio transforms divide by: the
 * national unit's value and the median over a group's units, per indicator and period.
 *
 * Place in the pipeline: built once by qala_monitor_evaluate (src/monitor.c) before the
 * units are evaluated, then read by src/monitor_series.c. Both tables are rows of
 * c->ncols period columns (one per ordinal of each frequency between the dataset's first
 * and last period), NAN where there is no value. Only the indicators and groups that a
 * ratio threshold uses get a row. A unit belongs to a group when it is a member at the
 * period's start (qala_registry_in_group_at); units not in the registry are in no group.
 * Workload: one pass over the national unit's observations; two passes over the
 * observations of the indicators with a group-median threshold, then a sort per
 * (group, indicator, period) of its members' values.
 */
#include <math.h>
#include <stdlib.h>

#include "monitor_internal.h"
#include "util/internal.h"

void qala_monitor__columns(qala_monitor__ctx *c)
{
    qala_period p = c->opt->period;
    if (p != 0) {
        int f = qala_monitor__freq(p);
        int32_t o = qala_monitor__ordinal(p);
        if (o < c->glo[f])
            c->glo[f] = o;
        if (o > c->ghi[f])
            c->ghi[f] = o;
    }
    c->ncols = 0;
    for (int f = 0; f < QALA_MON_NFREQ; f++) {
        c->cbase[f] = c->ncols;
        if (c->glo[f] <= c->ghi[f])
            c->ncols += (size_t)(c->ghi[f] - c->glo[f] + 1);
    }
}

static size_t col_of(const qala_monitor__ctx *c, qala_period p)
{
    return qala_monitor__col(c, qala_monitor__freq(p), qala_monitor__ordinal(p));
}

static qala_status national_table(qala_monitor__ctx *c)
{
    uint32_t *slot_of = qala_mem__malloc(c->ninds * sizeof *slot_of);
    if (!slot_of)
        return qala_err__set(QALA_ENOMEM, "out of memory for the national values");
    for (size_t i = 0; i < c->ninds; i++)
        slot_of[i] = QALA_MON_NONE;
    c->nnat = 0;
    for (size_t i = 0; i < c->nths; i++) {
        qala_monitor__th *t = &c->ths[i];
        if (t->th->transform != QALA_TRANSFORM_RATIO_NATIONAL || t->ind == QALA_MON_NONE)
            continue;
        if (slot_of[t->ind] == QALA_MON_NONE)
            slot_of[t->ind] = c->nnat++;
        t->nat_slot = slot_of[t->ind];
    }
    c->nat = qala_mem__malloc(((size_t)c->nnat * c->ncols + 1) * sizeof *c->nat);
    if (!c->nat) {
        qala_mem__free(slot_of);
        return qala_err__set(QALA_ENOMEM, "out of memory for the national values");
    }
    for (size_t i = 0; i < (size_t)c->nnat * c->ncols; i++)
        c->nat[i] = NAN;
    if (c->nnat && c->national != QALA_MON_NONE) {
        /* the national unit's block: the first index with that unit (units are sorted) */
        size_t lo = 0, hi = c->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (c->unit[mid] < c->national)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t j = lo; j < c->n && c->unit[j] == c->national; j++) {
            uint32_t s = slot_of[c->ind[j]];
            if (s != QALA_MON_NONE)
                c->nat[(size_t)s * c->ncols + col_of(c, c->per[j])] = c->val[j];
        }
    }
    qala_mem__free(slot_of);
    return QALA_OK;
}

/* The index of the pair (group, indicator), added when new (the arrays are large enough:
 * at most one pair per group entry of a threshold). */
static uint32_t pair_of(qala_monitor__ctx *c, size_t group, uint32_t ind)
{
    for (size_t i = 0; i < c->npairs; i++)
        if (c->pair_group[i] == group && c->pair_ind[i] == ind)
            return (uint32_t)i;
    c->pair_group[c->npairs] = group;
    c->pair_ind[c->npairs] = ind;
    return (uint32_t)c->npairs++;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Fills c->med: npairs rows of ncols medians over each group's members. */
static qala_status median_table(qala_monitor__ctx *c)
{
    qala_status st = QALA_OK;
    size_t *count = NULL, bound = 0;
    double *vals = NULL;
    uint8_t *wanted = NULL;

    for (size_t i = 0; i < c->nths; i++)
        if (c->ths[i].th->transform == QALA_TRANSFORM_RATIO_GROUP_MEDIAN)
            bound += c->ths[i].th->ngroups + 1;
    c->pair_group = qala_mem__malloc((bound + 1) * sizeof *c->pair_group);
    c->pair_ind = qala_mem__malloc((bound + 1) * sizeof *c->pair_ind);
    if (!c->pair_group || !c->pair_ind)
        return qala_err__set(QALA_ENOMEM, "out of memory for the group medians");
    for (size_t i = 0; i < c->nths; i++) {
        qala_monitor__th *t = &c->ths[i];
        const qala_threshold *th = t->th;
        if (th->transform != QALA_TRANSFORM_RATIO_GROUP_MEDIAN || t->ind == QALA_MON_NONE)
            continue;
        if (th->group_basis && th->group_basis[0]) {
            size_t g;
            if (c->reg && qala_registry_find_group(c->reg, th->group_basis, &g) == QALA_OK)
                t->pairs[0] = pair_of(c, g, t->ind);
            continue;
        }
        for (size_t g = 0; g < th->ngroups; g++)
            if (t->groups[g] != QALA_MON_NOREG)
                t->pairs[g] = pair_of(c, t->groups[g], t->ind);
    }
    size_t cells = c->npairs * c->ncols;
    c->med = qala_mem__malloc((cells + 1) * sizeof *c->med);
    count = qala_mem__calloc(cells + 1, sizeof *count);
    wanted = qala_mem__calloc(c->ninds + 1, 1);
    if (!c->med || !count || !wanted) {
        st = qala_err__set(QALA_ENOMEM, "out of memory for the group medians");
        goto done;
    }
    for (size_t i = 0; i < cells; i++)
        c->med[i] = NAN;
    if (c->npairs == 0)
        goto done;
    for (size_t p = 0; p < c->npairs; p++)
        wanted[c->pair_ind[p]] = 1;

    /* pass 0 counts the members' values per cell; count then becomes each cell's end
     * offset, and pass 1 places the values downwards, leaving count[i] = cell i's start */
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t j = 0; j < c->n; j++) {
            uint32_t ind = c->ind[j];
            size_t ureg = c->ureg[c->unit[j]];
            if (!wanted[ind] || ureg == QALA_MON_NOREG || isnan(c->val[j]))
                continue;
            qala_date at = qala_period_start(c->per[j]);
            size_t col = col_of(c, c->per[j]);
            for (size_t p = 0; p < c->npairs; p++) {
                if (c->pair_ind[p] != ind ||
                    !qala_registry_in_group_at(c->reg, c->pair_group[p], ureg, at))
                    continue;
                size_t cell = p * c->ncols + col;
                if (pass == 0)
                    count[cell]++;
                else
                    vals[--count[cell]] = c->val[j];
            }
        }
        if (pass == 0) {
            for (size_t i = 0; i < cells; i++)
                count[i] = total += count[i];
            vals = qala_mem__malloc((total + 1) * sizeof *vals);
            if (!vals) {
                st = qala_err__set(QALA_ENOMEM, "out of memory for the group medians");
                goto done;
            }
        }
    }
    for (size_t i = 0; i < cells; i++) {
        size_t b = count[i], e = i + 1 < cells ? count[i + 1] : total, m = e - b;
        if (m == 0)
            continue;
        qsort(vals + b, m, sizeof *vals, cmp_double);
        c->med[i] = m % 2 ? vals[b + m / 2] : (vals[b + m / 2 - 1] + vals[b + m / 2]) / 2;
    }
done:
    qala_mem__free(count);
    qala_mem__free(vals);
    qala_mem__free(wanted);
    return st;
}

qala_status qala_monitor__tables(qala_monitor__ctx *c)
{
    qala_status st = national_table(c);
    if (st == QALA_OK)
        st = median_table(c);
    return st;
}
