/* src/monitor.c — threshold monitoring (qala/monitor.h): for each unit, applicable
 * threshold and period, the transformed value, its zone, distance, trend, status and
 * projected breach, as columns.
 *
 * Place in the pipeline: reads a sorted dataset, a threshold collection, the framework
 * (to match threshold indicators to dataset codes) and the registry (groups, the
 * national unit); never files or SQL. Steps: check the options and that the dataset is
 * sorted by (unit, indicator, period) with valid periods (one O(n) pass); prepare the
 * thresholds (indicator ids, keys of competing thresholds, group indices); build the
 * national and group-median tables (src/monitor_tables.c); then walk the units twice:
 * a count pass that sizes the result, which is allocated once (59 bytes a row), and a
 * fill pass that evaluates each (unit, threshold) series (src/monitor_series.c).
 * Rows are ordered by unit, threshold (collection order), period. The national unit is
 * not evaluated. Definitions and formulas: docs/monitoring.md.
 * Workload: 10^5 units × 10^2 indicators × 20 periods × a few thresholds; the count pass
 * is O(units × thresholds) when every key has one threshold for all units.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include <sys/mman.h>

#include "monitor_internal.h"
#include "util/internal.h"

const char *qala_trend_code(qala_trend t)
{
    static const char *const codes[] = {"none", "improving", "stable", "worsening"};
    return (unsigned)t < 4 ? codes[t] : "none";
}

const char *qala_breach_status_code(qala_breach_status s)
{
    static const char *const codes[] = {"none", "new", "persistent", "aggravating", "unwinding"};
    return (unsigned)s < 5 ? codes[s] : "none";
}

void qala_monitor_result_free(qala_monitor_result *r)
{
    qala_mem__free(r); /* the columns live in the same block */
}

/* Asks for transparent huge pages on a large result block (Linux, THP "madvise"
 * mode): a 4 KiB page fault per 70 rows otherwise costs as much as the evaluation. */
static void huge_pages(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t from = ((uintptr_t)p + huge - 1) & ~(huge - 1), to = ((uintptr_t)p + len) & ~(huge - 1);
    if (len >= 8 * huge && to > from)
        (void)madvise((void *)from, to - from, MADV_HUGEPAGE); /* advice only: failure is fine */
#else
    (void)p, (void)len;
#endif
}

/* One block: the struct, then the 8-, 4- and 1-byte columns (the optional ones only
 * when asked for). NULL when too large. */
static qala_monitor_result *result_alloc(size_t n, unsigned columns)
{
    size_t doubles = (columns & QALA_MONITOR_VALUES ? 2 : 0) + (columns & QALA_MONITOR_DISTANCES ? 2 : 0) +
                     (columns & QALA_MONITOR_SLOPES ? 1 : 0);
    const size_t row = doubles * sizeof(double) + 4 * sizeof(uint32_t) + 3;
    const size_t head = (sizeof(qala_monitor_result) + 7) & ~(size_t)7;
    if (n > (SIZE_MAX - head - 8) / row)
        return NULL;
    char *b = qala_mem__malloc(head + n * row);
    if (!b)
        return NULL;
    huge_pages(b, head + n * row);
    qala_monitor_result *r = (qala_monitor_result *)b;
    memset(r, 0, sizeof *r);
    char *p = b + head;
    r->n = n;
    if (columns & QALA_MONITOR_VALUES) {
        r->value = (double *)p, p += n * sizeof(double);
        r->transformed = (double *)p, p += n * sizeof(double);
    }
    if (columns & QALA_MONITOR_DISTANCES) {
        r->distance = (double *)p, p += n * sizeof(double);
        r->distance_pct = (double *)p, p += n * sizeof(double);
    }
    if (columns & QALA_MONITOR_SLOPES)
        r->slope = (double *)p, p += n * sizeof(double);
    r->unit = (uint32_t *)p, p += n * sizeof(uint32_t);
    r->threshold = (uint32_t *)p, p += n * sizeof(uint32_t);
    r->period = (qala_period *)p, p += n * sizeof(qala_period);
    r->periods_to_breach = (int32_t *)p, p += n * sizeof(int32_t);
    r->zone = (uint8_t *)p, p += n;
    r->trend = (uint8_t *)p, p += n;
    r->status = (uint8_t *)p;
    return r;
}

static qala_status check_options(const qala_monitor_options *o)
{
    if (o->version != QALA_MONITOR_OPTIONS_VERSION)
        return qala_err__set(QALA_EINVAL, "monitor options version %u: expected %d",
                             o->version, QALA_MONITOR_OPTIONS_VERSION);
    if (o->columns & ~(unsigned)QALA_MONITOR_ALL_COLUMNS)
        return qala_err__set(QALA_EINVAL, "columns %#x: expected QALA_MONITOR_* flags", o->columns);
    if (o->trend_k < 2)
        return qala_err__set(QALA_EINVAL, "trend_k %d: expected at least 2 periods", o->trend_k);
    if (!(o->stable_tolerance >= 0) || isinf(o->stable_tolerance))
        return qala_err__set(QALA_EINVAL, "stable_tolerance %g: expected a finite number >= 0",
                             o->stable_tolerance);
    if (o->period != 0 && !qala_monitor__period_valid(o->period))
        return qala_err__set(QALA_EINVAL, "period %d: expected a period of years 1900..2100",
                             (int)o->period);
    return QALA_OK;
}

/* Sorted by (unit, indicator, period), no repeated key, valid periods; sets glo/ghi. */
static qala_status check_sorted(qala_monitor__ctx *c)
{
    for (int f = 0; f < QALA_MON_NFREQ; f++)
        c->glo[f] = INT32_MAX, c->ghi[f] = INT32_MIN;
    for (size_t i = 0; i < c->n; i++) {
        qala_period p = c->per[i];
        if (!qala_monitor__period_valid(p))
            return qala_err__set(QALA_EINVAL, "observation %zu: period %d is not a period of years 1900..2100",
                                 i, (int)p);
        int f = qala_monitor__freq(p);
        int32_t o = qala_monitor__ordinal(p);
        if (o < c->glo[f])
            c->glo[f] = o;
        if (o > c->ghi[f])
            c->ghi[f] = o;
        if (i > 0) {
            uint32_t u0 = c->unit[i - 1], u1 = c->unit[i], k0 = c->ind[i - 1], k1 = c->ind[i];
            if (u0 > u1 || (u0 == u1 && (k0 > k1 || (k0 == k1 && c->per[i - 1] >= p))))
                return qala_err__set(QALA_EINVAL,
                                     "the dataset is not sorted by (unit, indicator, period) without "
                                     "repeated keys at observation %zu (use qala_dataset_sort)", i);
        }
    }
    return QALA_OK;
}

/* Registry index of each dataset unit, and the national unit's dataset id. */
static qala_status map_units(qala_monitor__ctx *c, const qala_dataset *ds)
{
    const char *nat = c->opt->national_unit;
    size_t nat_reg = QALA_MON_NOREG;
    c->ureg = qala_mem__malloc((c->nunits + 1) * sizeof *c->ureg);
    if (!c->ureg)
        return qala_err__set(QALA_ENOMEM, "out of memory mapping units");
    if (c->reg) {
        if (nat)
            qala_registry_find(c->reg, nat, &nat_reg);
        else
            for (size_t i = 0; i < qala_registry_unit_count(c->reg); i++)
                if (qala_registry_unit(c->reg, i)->kind == QALA_UNIT_COUNTRY) {
                    nat_reg = i;
                    nat = qala_registry_unit(c->reg, i)->code;
                    break;
                }
    }
    c->national = QALA_MON_NONE;
    for (size_t u = 0; u < c->nunits; u++) {
        const char *code = qala_dataset_unit_code(ds, (uint32_t)u);
        size_t idx = QALA_MON_NOREG;
        if (c->reg && qala_registry_find(c->reg, code, &idx) != QALA_OK)
            idx = QALA_MON_NOREG;
        c->ureg[u] = idx;
        if (c->national == QALA_MON_NONE && nat &&
            ((nat_reg != QALA_MON_NOREG && idx == nat_reg) || strcasecmp(code, nat) == 0))
            c->national = (uint32_t)u;
    }
    if (c->opt->national_unit && nat_reg == QALA_MON_NOREG && c->national == QALA_MON_NONE)
        return qala_err__set(QALA_EINVAL, "national unit \"%s\" is neither in the registry nor in the dataset",
                             c->opt->national_unit);
    return QALA_OK;
}

static int same_key(const qala_threshold *a, const qala_threshold *b)
{
    return a->indicator == b->indicator && a->transform == b->transform && a->k == b->k &&
           strcmp(a->set ? a->set : "", b->set ? b->set : "") == 0;
}

static int always(const qala_threshold *th)
{
    return th->ngroups == 0 && th->valid_from <= 19000101 && th->valid_to > 21001231;
}

/* The thresholds to evaluate (options.set), checked, with dataset ids, keys and groups. */
static qala_status prepare_thresholds(qala_monitor__ctx *c, const qala_dataset *ds,
                                      const qala_thresholds *ths, const qala_framework *fw)
{
    qala_status st = QALA_OK;
    size_t total = qala_thresholds_count(ths), nfw = qala_framework_count(fw);
    size_t ngroups = 0, npairs = 0;
    uint32_t *fw2ds = NULL, *key_last = NULL;
    if (total >= QALA_MON_NONE)
        return qala_err__set(QALA_EINVAL, "too many thresholds (%zu)", total);
    for (size_t i = 0; i < total; i++) {
        const qala_threshold *th = qala_thresholds_get(ths, i);
        if (c->opt->set && strcmp(th->set ? th->set : "", c->opt->set) != 0)
            continue;
        if (th->indicator >= nfw)
            return qala_err__set(QALA_EINVAL, "threshold %zu: indicator %zu is not in the framework", i,
                                 th->indicator);
        if ((unsigned)th->transform >= QALA_TRANSFORM_COUNT || (unsigned)th->side > QALA_BAD_OUTSIDE)
            return qala_err__set(QALA_EINVAL, "threshold %zu: unknown transform or side", i);
        if (th->transform == QALA_TRANSFORM_PER_DENOMINATOR && th->denominator >= nfw)
            return qala_err__set(QALA_EINVAL, "threshold %zu: denominator %zu is not in the framework", i,
                                 th->denominator);
        if ((th->transform == QALA_TRANSFORM_AVERAGE || th->transform == QALA_TRANSFORM_CHANGE_POINTS ||
             th->transform == QALA_TRANSFORM_CHANGE_PERCENT) && th->k < 1)
            return qala_err__set(QALA_EINVAL, "threshold %zu: k %d: expected at least 1 period", i, th->k);
        c->nths++;
        ngroups += th->ngroups;
        npairs += th->ngroups + 1;
    }
    c->ths = qala_mem__calloc(c->nths + 1, sizeof *c->ths);
    c->gbuf = qala_mem__malloc((ngroups + 1) * sizeof *c->gbuf);
    c->pbuf = qala_mem__malloc((npairs + 1) * sizeof *c->pbuf);
    c->key_first = qala_mem__malloc((c->nths + 1) * sizeof *c->key_first);
    key_last = qala_mem__malloc((c->nths + 1) * sizeof *key_last);
    fw2ds = qala_mem__malloc((nfw + 1) * sizeof *fw2ds);
    if (!c->ths || !c->gbuf || !c->pbuf || !c->key_first || !key_last || !fw2ds) {
        st = qala_err__set(QALA_ENOMEM, "out of memory preparing thresholds");
        goto done;
    }
    for (size_t i = 0; i < nfw; i++)
        fw2ds[i] = QALA_MON_NONE;
    for (size_t i = 0; i < c->ninds; i++) {
        size_t idx;
        if (qala_framework_find(fw, qala_dataset_indicator_code(ds, (uint32_t)i), &idx) == QALA_OK &&
            fw2ds[idx] == QALA_MON_NONE)
            fw2ds[idx] = (uint32_t)i;
    }
    size_t n = 0, *g = c->gbuf;
    uint32_t *p = c->pbuf;
    for (size_t i = 0; i < total; i++) {
        const qala_threshold *th = qala_thresholds_get(ths, i);
        if (c->opt->set && strcmp(th->set ? th->set : "", c->opt->set) != 0)
            continue;
        qala_monitor__th *t = &c->ths[n];
        t->th = th;
        t->index = (uint32_t)i;
        t->ind = fw2ds[th->indicator];
        t->den = th->transform == QALA_TRANSFORM_PER_DENOMINATOR ? fw2ds[th->denominator] : QALA_MON_NONE;
        t->nat_slot = QALA_MON_NONE;
        t->next_in_key = QALA_MON_NONE;
        t->groups = g;
        for (size_t j = 0; j < th->ngroups; j++) {
            size_t idx;
            *g++ = c->reg && qala_registry_find_group(c->reg, th->groups[j], &idx) == QALA_OK
                       ? idx : QALA_MON_NOREG;
        }
        t->pairs = p;
        for (size_t j = 0; j <= th->ngroups; j++)
            *p++ = QALA_MON_NONE;
        t->key = QALA_MON_NONE;
        for (size_t k = 0; k < c->nkeys; k++)
            if (same_key(c->ths[c->key_first[k]].th, th)) {
                t->key = (uint32_t)k;
                c->ths[key_last[k]].next_in_key = (uint32_t)n;
                key_last[k] = (uint32_t)n;
                break;
            }
        if (t->key == QALA_MON_NONE) {
            t->key = (uint32_t)c->nkeys;
            c->key_first[c->nkeys] = key_last[c->nkeys] = (uint32_t)n;
            c->nkeys++;
        }
        n++;
    }
    for (size_t i = 0; i < c->nths; i++) {
        qala_monitor__th *t = &c->ths[i];
        t->simple = always(t->th) && c->key_first[t->key] == i && t->next_in_key == QALA_MON_NONE;
    }
done:
    qala_mem__free(fw2ds);
    qala_mem__free(key_last);
    return st;
}

/* The threshold of key that applies to the unit at date: a group-specific one naming a
 * group the unit is in beats one for every unit; the first in collection order wins. */
static const qala_monitor__th *winner(const qala_monitor__ctx *c, uint32_t key, size_t ureg,
                                      qala_date at)
{
    const qala_monitor__th *general = NULL;
    for (uint32_t i = c->key_first[key]; i != QALA_MON_NONE; i = c->ths[i].next_in_key) {
        const qala_monitor__th *t = &c->ths[i];
        const qala_threshold *th = t->th;
        if (!(th->valid_from <= at && at < th->valid_to))
            continue;
        if (th->ngroups == 0) {
            if (!general)
                general = t;
            continue;
        }
        if (ureg == QALA_MON_NOREG)
            continue;
        for (size_t g = 0; g < th->ngroups; g++)
            if (t->groups[g] != QALA_MON_NOREG && qala_registry_in_group_at(c->reg, t->groups[g], ureg, at))
                return t;
    }
    return general;
}

static int applies(const qala_monitor__ctx *c, const qala_monitor__th *t, size_t ureg, qala_period p)
{
    return t->simple || winner(c, t->key, ureg, qala_period_start(p)) == t;
}

/* Rows of one unit: counted (r == NULL) or written from *row on. */
static void unit_rows(qala_monitor__ctx *c, uint32_t u, qala_monitor_result *r, size_t *row)
{
    size_t ureg = c->ureg[u];
    qala_period P = c->opt->period;
    for (size_t i = 0; i < c->nths; i++) {
        const qala_monitor__th *t = &c->ths[i];
        size_t rs = 0, re = 0;
        if (t->ind != QALA_MON_NONE)
            rs = c->run_start[t->ind], re = c->run_end[t->ind];
        if (P != 0) {
            if (!applies(c, t, ureg, P))
                continue;
            if (!r) {
                (*row)++;
                continue;
            }
            /* the span ends at P and reaches back as far as the trend window and the
             * transform's k need (not before the first column: nothing is there) */
            int f = qala_monitor__freq(P);
            int32_t hi = qala_monitor__ordinal(P);
            int64_t back = (int64_t)c->opt->trend_k - 1 + (t->th->k > 1 ? t->th->k : 1);
            int32_t lo = (int64_t)hi - back < c->glo[f] ? c->glo[f] : (int32_t)(hi - back);
            qala_monitor__span sp = {f, lo, (size_t)(hi - lo + 1)};
            qala_monitor__transform(c, t, &sp, ureg);
            qala_monitor__row(c, t, &sp, sp.len - 1, u, P, r, (*row)++);
            continue;
        }
        if (rs == re)
            continue;
        if (!r && t->simple) {
            *row += re - rs;
            continue;
        }
        if (!r) {
            for (size_t j = rs; j < re; j++)
                *row += (size_t)applies(c, t, ureg, c->per[j]);
            continue;
        }
        /* one dense span per frequency of the run (the first and last of each frequency,
         * as periods of one frequency sort chronologically) */
        qala_monitor__span sp[QALA_MON_NFREQ];
        uint8_t mask = c->run_freq[t->ind];
        for (int f = 0; f < QALA_MON_NFREQ; f++) {
            if (!(mask & (1u << f)))
                continue;
            int32_t lo = INT32_MAX, hi = INT32_MIN;
            if (mask == (1u << f)) {
                lo = qala_monitor__ordinal(c->per[rs]);
                hi = qala_monitor__ordinal(c->per[re - 1]);
            } else {
                for (size_t j = rs; j < re; j++)
                    if (qala_monitor__freq(c->per[j]) == f) {
                        int32_t o = qala_monitor__ordinal(c->per[j]);
                        lo = o < lo ? o : lo;
                        hi = o > hi ? o : hi;
                    }
            }
            sp[f] = (qala_monitor__span){f, lo, (size_t)(hi - lo + 1)};
            qala_monitor__transform(c, t, &sp[f], ureg);
        }
        if (t->simple && (mask & (mask - 1)) == 0) { /* every observation, one frequency */
            *row = qala_monitor__rows(c, t, &sp[qala_monitor__freq(c->per[rs])], rs, re, u, r, *row);
            continue;
        }
        for (size_t j = rs; j < re; j++) {
            qala_period p = c->per[j];
            if (!t->simple && !applies(c, t, ureg, p))
                continue;
            int f = qala_monitor__freq(p);
            qala_monitor__row(c, t, &sp[f], (size_t)(qala_monitor__ordinal(p) - sp[f].lo), u, p, r,
                              (*row)++);
        }
    }
}

/* Both passes over the units of observations [b, end) (whole units): the runs of each
 * unit's block are indexed, its rows counted or written, and the index cleared again. */
static void walk(qala_monitor__ctx *c, size_t b, size_t end, qala_monitor_result *r, size_t *row)
{
    while (b < end) {
        uint32_t u = c->unit[b];
        size_t e = b;
        while (e < end && c->unit[e] == u) {
            uint32_t k = c->ind[e];
            size_t s = e;
            uint8_t mask = 0;
            for (; e < end && c->unit[e] == u && c->ind[e] == k; e++)
                mask |= (uint8_t)(1u << qala_monitor__freq(c->per[e]));
            c->run_start[k] = s;
            c->run_end[k] = e;
            c->run_freq[k] = mask;
        }
        if (u != c->national)
            unit_rows(c, u, r, row);
        for (size_t j = b; j < e; j++)
            c->run_start[c->ind[j]] = c->run_end[c->ind[j]] = 0;
        b = e;
    }
}

/* The per-worker part of a context: the run index and the series scratch. */
static qala_status scratch_alloc(qala_monitor__ctx *c)
{
    c->run_start = qala_mem__calloc(c->ninds + 1, sizeof *c->run_start);
    c->run_end = qala_mem__calloc(c->ninds + 1, sizeof *c->run_end);
    c->run_freq = qala_mem__calloc(c->ninds + 1, 1);
    if (!c->run_start || !c->run_end || !c->run_freq)
        return qala_err__set(QALA_ENOMEM, "out of memory for the monitor's index");
    for (int f = 0; f < QALA_MON_NFREQ; f++) {
        size_t len = c->glo[f] <= c->ghi[f] ? (size_t)(c->ghi[f] - c->glo[f] + 1) : 1;
        c->sx[f] = qala_mem__malloc(len * sizeof(double));
        c->sd[f] = qala_mem__malloc(len * sizeof(double));
        c->st[f] = qala_mem__malloc(len * sizeof(double));
        c->sz[f] = qala_mem__malloc(len);
        c->sb[f] = qala_mem__malloc(len);
        if (!c->sx[f] || !c->sd[f] || !c->st[f] || !c->sz[f] || !c->sb[f])
            return qala_err__set(QALA_ENOMEM, "out of memory for the monitor's series");
    }
    return QALA_OK;
}

static void scratch_free(qala_monitor__ctx *c)
{
    qala_mem__free(c->run_start);
    qala_mem__free(c->run_end);
    qala_mem__free(c->run_freq);
    c->run_start = c->run_end = NULL;
    c->run_freq = NULL;
    for (int f = 0; f < QALA_MON_NFREQ; f++) {
        qala_mem__free(c->sx[f]);
        qala_mem__free(c->sd[f]);
        qala_mem__free(c->st[f]);
        qala_mem__free(c->sz[f]);
        qala_mem__free(c->sb[f]);
        c->sx[f] = c->sd[f] = c->st[f] = NULL;
        c->sz[f] = c->sb[f] = NULL;
    }
}

/* ---- workers: the units split into contiguous ranges, one thread each ----
 * The count pass gives each range its number of rows, so each worker writes its rows
 * at a known offset: the result is the same, byte for byte, whatever the thread count.
 * Workers only read shared state and write their own rows; all allocation happens on
 * the calling thread. */
typedef struct worker {
    qala_monitor__ctx c; /* a copy sharing the read-only tables, with its own scratch */
    size_t b, e;         /* observations [b, e): whole units */
    size_t rows, first;  /* rows counted; where its rows start */
    qala_monitor_result *r;
} worker;

static void *count_rows(void *arg)
{
    worker *w = arg;
    w->rows = 0;
    walk(&w->c, w->b, w->e, NULL, &w->rows);
    return NULL;
}

static void *fill_rows(void *arg)
{
    worker *w = arg;
    size_t row = w->first;
    walk(&w->c, w->b, w->e, w->r, &row);
    assert(row == w->first + w->rows); /* both passes go through unit_rows */
    return NULL;
}

/* Runs fn on every worker, workers 1.. on threads of their own and worker 0 here. A
 * thread that can't be started runs here too, after the others. */
static void run_workers(worker *w, size_t n, void *(*fn)(void *))
{
    pthread_t tid[QALA_MON_MAX_THREADS];
    int started[QALA_MON_MAX_THREADS] = {0};
    for (size_t i = 1; i < n; i++)
        started[i] = pthread_create(&tid[i], NULL, fn, &w[i]) == 0;
    fn(&w[0]);
    for (size_t i = 1; i < n; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            fn(&w[i]);
    }
}

/* How many workers for n observations: the option, or one per online CPU; no more than
 * one per 65,536 observations (threads cost more than they bring below that). */
static size_t worker_count(const qala_monitor__ctx *c)
{
    long want = c->opt->threads > 0 ? c->opt->threads : sysconf(_SC_NPROCESSORS_ONLN);
    size_t by_size = c->n / 65536 + 1;
    size_t k = want > 0 ? (size_t)want : 1;
    if (k > by_size)
        k = by_size;
    return k > QALA_MON_MAX_THREADS ? QALA_MON_MAX_THREADS : k;
}

static void ctx_free(qala_monitor__ctx *c)
{
    qala_mem__free(c->ureg);
    qala_mem__free(c->ths);
    qala_mem__free(c->gbuf);
    qala_mem__free(c->pbuf);
    qala_mem__free(c->key_first);
    qala_mem__free(c->nat);
    qala_mem__free(c->pair_group);
    qala_mem__free(c->pair_ind);
    qala_mem__free(c->med);
    scratch_free(c);
}

/* Everything both entry points need before the walk over the units: checks, the unit
 * and threshold maps, the national and group-median tables, the scratch of worker 0. */
static qala_status setup(qala_monitor__ctx *c, const qala_dataset *ds, const qala_thresholds *thresholds,
                         const qala_framework *fw, const qala_registry *reg,
                         const qala_monitor_options *options, const char *who)
{
    static const qala_monitor_options defaults = QALA_MONITOR_OPTIONS_INIT;
    qala_status st;
    if (!ds || !thresholds || !fw)
        return qala_err__set(QALA_EINVAL, "%s: the dataset, thresholds and framework are required", who);
    c->opt = options ? options : &defaults;
    if ((st = check_options(c->opt)) != QALA_OK)
        return st;
    c->reg = reg;
    c->n = qala_dataset_size(ds);
    c->unit = qala_dataset_units(ds);
    c->ind = qala_dataset_indicators(ds);
    c->per = qala_dataset_periods(ds);
    c->val = qala_dataset_values(ds);
    c->flag = qala_dataset_flags(ds);
    c->nunits = qala_dataset_unit_count(ds);
    c->ninds = qala_dataset_indicator_count(ds);
    if ((st = check_sorted(c)) != QALA_OK || (st = map_units(c, ds)) != QALA_OK ||
        (st = prepare_thresholds(c, ds, thresholds, fw)) != QALA_OK)
        return st;
    qala_monitor__columns(c);
    if ((st = qala_monitor__tables(c)) != QALA_OK || (st = scratch_alloc(c)) != QALA_OK)
        return st;
    qala_monitor__full_window(c);
    return QALA_OK;
}

qala_status qala_monitor_each(const qala_dataset *ds, const qala_thresholds *thresholds,
                              const qala_framework *fw, const qala_registry *reg,
                              const qala_monitor_options *options,
                              int (*fn)(void *ctx, const qala_monitor_result *rows), void *ctx)
{
    qala_monitor__ctx c = {0};
    qala_monitor_result *batch = NULL;
    size_t cap = 0;
    if (!fn)
        return qala_err__set(QALA_EINVAL, "qala_monitor_each: fn is NULL");
    qala_status st = setup(&c, ds, thresholds, fw, reg, options, "qala_monitor_each");
    /* one unit at a time: its rows counted, written into the reused batch, handed over */
    for (size_t b = 0; st == QALA_OK && b < c.n;) {
        size_t e = b;
        while (e < c.n && c.unit[e] == c.unit[b])
            e++;
        size_t rows = 0;
        walk(&c, b, e, NULL, &rows);
        if (rows > cap) {
            qala_monitor_result_free(batch);
            cap = rows > 2 * cap ? rows : 2 * cap;
            if (!(batch = result_alloc(cap, c.opt->columns))) {
                st = qala_err__set(QALA_ENOMEM, "out of memory for %zu monitoring rows", cap);
                break;
            }
        }
        if (rows) {
            size_t row = 0;
            walk(&c, b, e, batch, &row);
            batch->n = rows;
            if (fn(ctx, batch))
                break;
        }
        b = e;
    }
    qala_monitor_result_free(batch);
    ctx_free(&c);
    return st;
}

qala_status qala_monitor_evaluate(qala_monitor_result **out, const qala_dataset *ds,
                                  const qala_thresholds *thresholds, const qala_framework *fw,
                                  const qala_registry *reg, const qala_monitor_options *options)
{
    qala_monitor__ctx c = {0};
    qala_monitor_result *r = NULL;
    worker *w = NULL;
    size_t nw = 0;
    qala_status st;
    if (!out)
        return qala_err__set(QALA_EINVAL, "qala_monitor_evaluate: out is NULL");
    *out = NULL;
    if ((st = setup(&c, ds, thresholds, fw, reg, options, "qala_monitor_evaluate")) != QALA_OK)
        goto done;

    /* split the observations into nw ranges of whole units */
    nw = worker_count(&c);
    w = qala_mem__calloc(nw, sizeof *w);
    if (!w) {
        st = qala_err__set(QALA_ENOMEM, "out of memory for the monitor's workers");
        goto done;
    }
    for (size_t i = 0; i < nw; i++) {
        w[i].c = c;
        if (i > 0) {
            w[i].c.run_start = w[i].c.run_end = NULL;
            w[i].c.run_freq = NULL;
            for (int f = 0; f < QALA_MON_NFREQ; f++) {
                w[i].c.sx[f] = w[i].c.sd[f] = w[i].c.st[f] = NULL;
                w[i].c.sz[f] = w[i].c.sb[f] = NULL;
            }
            if ((st = scratch_alloc(&w[i].c)) != QALA_OK)
                goto done;
        }
        size_t b = i == 0 ? 0 : w[i - 1].e, e = i + 1 == nw ? c.n : c.n / nw * (i + 1);
        if (e < b)
            e = b;
        while (e > 0 && e < c.n && c.unit[e] == c.unit[e - 1])
            e++; /* to the end of the unit */
        w[i].b = b;
        w[i].e = e;
    }
    run_workers(w, nw, count_rows);
    size_t rows = 0;
    for (size_t i = 0; i < nw; i++) {
        w[i].first = rows;
        rows += w[i].rows;
    }
    if (!(r = result_alloc(rows, c.opt->columns))) {
        st = qala_err__set(QALA_ENOMEM, "out of memory for %zu monitoring rows", rows);
        goto done;
    }
    for (size_t i = 0; i < nw; i++)
        w[i].r = r;
    run_workers(w, nw, fill_rows);
    *out = r;
    r = NULL;
    st = QALA_OK;
done:
    qala_monitor_result_free(r);
    for (size_t i = 1; w && i < nw; i++)
        scratch_free(&w[i].c);
    qala_mem__free(w);
    ctx_free(&c);
    return st;
}
