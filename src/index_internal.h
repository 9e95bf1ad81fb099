/* src/index_internal.h — the result of the composite-index pipeline as index.c (the run,
 * the copies, the getters) and index_stages.c (the stages) share it. Never installed.
 *
 * Memory: a result owns four blocks, each one allocation: `meta` (everything sized by the
 * input and the tree: per-unit and per-node arrays, the pointer tables of the columns, the
 * reports), `copies` (unit codes, periods, groupings), `data` (every stage's columns and
 * flags, sized after the screen by the kept units) and, during the run only, `scratch`.
 */
#ifndef QALA_INDEX_INTERNAL_H
#define QALA_INDEX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "qala/index.h"
#include "qala/rank.h"

/* Flag tables kept per indicator (qala_index_result_flags). */
enum { FLAGS_DENOMINATED = 0, FLAGS_IMPUTED = 1, FLAGS_TREATED = 2, FLAGS_COUNT = 3 };

struct qala_index_result {
    const qala_index_tree *tree;
    const qala_index_input *input; /* during the run only (NULL after) */
    size_t nunits, nperiods, nkept, nrows; /* nrows = nperiods · nkept */
    size_t nind, nnodes;

    void *meta, *copies, *data, *scratch;
    size_t meta_bytes, copies_bytes, data_bytes; /* qala_mem__malloc_big: freed with these */

    /* copies */
    const char **unit_codes;      /* nunits */
    qala_period *periods;         /* nperiods */
    qala_index_grouping *groupings;
    size_t ngroupings;
    int has_periods;              /* 0 when the input gave none (one period, no text) */

    /* meta: per input unit */
    uint8_t *unit_kept;           /* nunits */
    double *unit_avail;           /* nunits */
    size_t *kept;                 /* nkept (room for nunits) input index of kept unit k */
    /* meta: per node */
    uint8_t *alive;               /* nnodes: 1 when the node has a kept indicator under it */
    double *eff_weight;           /* nnodes */
    size_t *child_start;          /* nnodes + 1: children of a are child[child_start[a] ..
                                     child_start[a + 1]) in array order */
    size_t *child;                /* nnodes */
    size_t *parent;               /* nnodes (QALA_AGG_ROOT for the root) */
    double *wtmp;                 /* nnodes: weights of kept children, effective-weight input */
    size_t max_children;
    /* meta: per indicator */
    size_t *in_col;               /* nind: input column of the indicator, or SIZE_MAX */
    size_t *den_col;              /* nind: input column of its denominator, or SIZE_MAX */
    size_t *ref_unit;             /* nind: dist2ref input unit, or SIZE_MAX */
    qala_index_indicator_report *report; /* nind */
    size_t impute_grouping;       /* index in groupings, or SIZE_MAX */
    /* meta: column tables, filled when `data` is laid out */
    double **col;                 /* QALA_INDEX_STAGE_COUNT · nnodes, NULL where none */
    uint8_t **flags;              /* FLAGS_COUNT · nind */

    /* scratch (the run only) */
    double *block;                /* max_children · nrows: an aggregate's kept children */
    double *dgather;              /* nrows: a denominator's kept rows */
    uint32_t *kept_group;         /* nkept: impute group of kept unit k */
    uint8_t *pflags;              /* nperiods: flags of one unit's series */
    qala_rank_item *rank_items;   /* nkept */
    double *cw;                   /* max_children: weights of an aggregate's kept children */
    size_t *cid;                  /* max_children: their node indices */
};

static inline double *qala_index__col(qala_index_result *res, qala_index_stage st, size_t node)
{
    return res->col[(size_t)st * res->nnodes + node];
}

static inline uint8_t *qala_index__flags(qala_index_result *res, int table, size_t ind)
{
    return res->flags[(size_t)table * res->nind + ind];
}

/* The stages (index_stages.c), in order; each records its error with the unit, period
 * and node it concerns. screen runs before `data` exists and sets nkept, kept, unit_kept,
 * unit_avail and the indicators' screen, availability and zero share. */
qala_status qala_index__screen(qala_index_result *res);
qala_status qala_index__denominate(qala_index_result *res);
qala_status qala_index__impute(qala_index_result *res);
qala_status qala_index__treat(qala_index_result *res);
qala_status qala_index__normalise(qala_index_result *res);
qala_status qala_index__aggregate(qala_index_result *res);
qala_status qala_index__rank(qala_index_result *res);
qala_status qala_index__weights(qala_index_result *res);

/* The QALA_EDATA message of a child value v an aggregation method refused: aggregate a,
 * child node `child`, kept unit k, period p. */
qala_status qala_index__refused(const qala_index_result *res, size_t a, size_t child, size_t k,
                                size_t p, double v);
/* Whether node i gets ranks (its level is at least settings.rank_from). */
int qala_index__ranked(const qala_index_result *res, size_t i);
/* The fused path (index_fused.c): whether it applies to this run, and the run itself (in
 * place of screen .. rank; `data` is laid out by the caller). */
int qala_index__fused_applies(const qala_index_result *res);
qala_status qala_index__run_fused(qala_index_result *res);

/* "2018", "2018-Q3" ... of period p, or "" when the input gave no periods. */
void qala_index__period_text(const qala_index_result *res, size_t p, char buf[static 16]);

#endif
