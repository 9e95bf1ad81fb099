/* src/monitor_internal.h — what the three files of threshold monitoring share:
 * src/monitor.c (options, checks, threshold selection, the count and fill passes),
 * src/monitor_tables.c (period columns, national values, group medians) and
 * src/monitor_series.c (period arithmetic, transforms, trend, status, projection).
 *
 * Periods are handled as ordinals within their frequency (a year Y is Y, a quarter q of
 * Y is 4Y + q - 1, a month m of Y is 12Y + m - 1), so that t - k is an ordinal minus k.
 * Series are laid out densely over ordinals (NAN where nothing was observed); periods
 * are bounded (years 1900..2100), so a dense series never exceeds 2412 months.
 */
#ifndef QALA_MONITOR_INTERNAL_H
#define QALA_MONITOR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "qala/monitor.h"

#define QALA_MON_NONE ((uint32_t)UINT32_MAX)
#define QALA_MON_NOREG ((size_t)SIZE_MAX)
#define QALA_MON_NFREQ 3
#define QALA_MON_MAX_THREADS 64

/* ---- periods (monitor_series.c) ---- */
/* 1 when p is a period of common.h's form with a year in 1900..2100. */
int qala_monitor__period_valid(qala_period p);
/* qala_period_frequency, inlined for the inner loops. */
static inline int qala_monitor__freq(qala_period p)
{
    int sub = p % 100;
    return sub == 0 ? QALA_FREQ_YEAR : sub > 20 ? QALA_FREQ_QUARTER : QALA_FREQ_MONTH;
}
static inline int32_t qala_monitor__ordinal(qala_period p)
{
    int32_t y = p / 100, sub = p % 100;
    return sub == 0 ? y : sub > 20 ? y * 4 + (sub - 21) : y * 12 + (sub - 1);
}
qala_period qala_monitor__period_of(qala_frequency f, int32_t ordinal);
/* t + k periods of t's frequency (k may be negative). */
qala_period qala_monitor__period_add(qala_period t, int k);

/* One threshold as the evaluation uses it. */
typedef struct qala_monitor__th {
    const qala_threshold *th;
    uint32_t index;      /* in the qala_thresholds */
    uint32_t key;        /* thresholds of one set, indicator, transform and k share a key */
    uint32_t next_in_key; /* next candidate of the key in collection order, or NONE */
    uint32_t ind, den;   /* dataset indicator ids (NONE: not in the dataset) */
    uint32_t nat_slot;   /* row of the national table (ratio_national), NONE otherwise */
    int simple;          /* alone in its key, for every unit, always valid */
    size_t *groups;      /* registry index of each th->groups entry (NOREG: unknown) */
    uint32_t *pairs;     /* ratio_group_median: median pair per th->groups entry, or
                            pairs[0] for an explicit group basis (NONE: no median) */
} qala_monitor__th;

typedef struct qala_monitor__ctx {
    const qala_registry *reg;
    const qala_monitor_options *opt;
    size_t n;
    const uint32_t *unit, *ind;
    const qala_period *per;
    const double *val;
    const uint8_t *flag;   /* qala_flag of each observation (break in series) */
    size_t nunits, ninds;
    size_t *ureg;          /* registry index of each dataset unit (NOREG) */
    uint32_t national;     /* dataset unit id of the national unit (NONE) */

    /* period columns: every ordinal of each frequency between the first and last one
     * seen (in the dataset or options.period); col = cbase[f] + ordinal - glo[f] */
    int32_t glo[QALA_MON_NFREQ], ghi[QALA_MON_NFREQ];
    size_t cbase[QALA_MON_NFREQ];
    size_t ncols;

    qala_monitor__th *ths; /* the thresholds evaluated, in collection order */
    size_t nths;
    size_t *gbuf;          /* storage of every ths[i].groups */
    uint32_t *pbuf;        /* storage of every ths[i].pairs */
    uint32_t *key_first;   /* first candidate of each key */
    size_t nkeys;

    uint32_t nnat;         /* national table: nnat rows of ncols */
    double *nat;
    size_t npairs;         /* group medians: npairs rows of ncols */
    size_t *pair_group;
    uint32_t *pair_ind;
    double *med;

    /* per unit: where each indicator's run starts and ends, its frequencies (bit f) */
    size_t *run_start, *run_end;
    uint8_t *run_freq;

    /* scratch per frequency, ghi - glo + 1 long: levels, denominators, transformed,
     * zones of the transformed values */
    double *sx[QALA_MON_NFREQ], *sd[QALA_MON_NFREQ], *st[QALA_MON_NFREQ];
    uint8_t *sz[QALA_MON_NFREQ];
    uint8_t *sb[QALA_MON_NFREQ]; /* 1 where the level is flagged as a break in series */
    double full_mx, full_sxx; /* x mean and sum of squares of a full trend window */
} qala_monitor__ctx;

/* ---- tables (monitor_tables.c) ---- */
/* Sets glo/ghi/cbase/ncols from the dataset's periods and options.period. */
void qala_monitor__columns(qala_monitor__ctx *c);
static inline size_t qala_monitor__col(const qala_monitor__ctx *c, int f, int32_t ord)
{
    return c->cbase[f] + (size_t)(ord - c->glo[f]);
}
/* Fills the national table and the group medians. QALA_ENOMEM. */
qala_status qala_monitor__tables(qala_monitor__ctx *c);

/* ---- one series (monitor_series.c) ---- */
/* The dense span of one frequency of a unit's series of one indicator. */
typedef struct qala_monitor__span {
    int f;
    int32_t lo;   /* ordinal of position 0 */
    size_t len;
} qala_monitor__span;

/* Fills c->sx[f] over the span from the unit's run of t's indicator (its periods of
 * frequency f; the runs of the current unit are in c->run_start/run_end), c->sd[f]
 * from the denominator's run when the transform needs it, then c->st[f] with the
 * transformed values. ureg: the unit's registry index (NOREG). */
void qala_monitor__transform(qala_monitor__ctx *c, const qala_monitor__th *t,
                             const qala_monitor__span *sp, size_t ureg);
/* Sets c->full_mx and c->full_sxx from options.trend_k. */
void qala_monitor__full_window(qala_monitor__ctx *c);
/* After qala_monitor__transform: writes row `row` of r for position pos (period
 * `period`) of the span: the values, zone, distance, trend, status and projection. */
void qala_monitor__row(const qala_monitor__ctx *c, const qala_monitor__th *t,
                       const qala_monitor__span *sp, size_t pos, uint32_t unit,
                       qala_period period, qala_monitor_result *r, size_t row);
/* The same for every observation of the run [rs, re) (all of the span's frequency, in
 * period order), from row `row` on; returns the next row. */
size_t qala_monitor__rows(const qala_monitor__ctx *c, const qala_monitor__th *t,
                          const qala_monitor__span *sp, size_t rs, size_t re, uint32_t unit,
                          qala_monitor_result *r, size_t row);

#endif
