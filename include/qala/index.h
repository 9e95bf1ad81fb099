/* qala/index.h — the composite-index pipeline: a resolved tree (qala/index_spec.h) run
 * over a table of units × periods × data columns, stage by stage as COINr does:
 *   raw → screen → denominate → impute → treat → normalise → aggregate → rank
 * Every stage is kept as a table of its own that can be read back and exported, and every
 * imputed and treated cell keeps a flag saying how (docs/index.md).
 *
 * Layout. A column holds one value per row; row r = p · nunits + u is unit u in period p
 * (periods ascending). A cross-section is one period. The screen stage may drop units:
 * every stage after raw has the kept units only, in input order (qala_index_result_unit
 * maps them back), with rows r = p · nkept + k.
 *
 * Per period: treat, aggregate and rank work on each period's rows alone; panel
 * imputation on each unit's series over the periods; normalisation pools its parameters
 * over all periods unless settings.pooled is 0.
 */
#ifndef QALA_INDEX_H
#define QALA_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"
#include "qala/index_spec.h"
#include "qala/treat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A partition of the units (group_mean imputation, ranks within groups): group[u] is the
 * group of input unit u, < ngroups, or QALA_IMPUTE_NO_GROUP. */
typedef struct qala_index_grouping {
    const char *name;                /* "Group_EurAsia", "region", "type" ... */
    size_t ngroups;
    const char *const *group_codes;  /* ngroups codes (may be NULL: groups are numbered) */
    const uint32_t *group;           /* nunits ids */
} qala_index_grouping;

/* What the pipeline reads. Nothing is changed; the result keeps its own copies of the
 * unit codes, periods and groupings, so the input may be freed after the run. */
typedef struct qala_index_input {
    size_t nunits;
    const char *const *unit_codes;   /* nunits codes, for messages and exports */
    size_t nperiods;                 /* >= 1 */
    const qala_period *periods;      /* nperiods, ascending (may be NULL when nperiods = 1) */
    size_t ncolumns;
    const char *const *column_codes; /* indicator and denominator codes */
    const double *const *columns;    /* ncolumns arrays of nperiods · nunits values, NAN = missing */
    size_t ngroupings;
    const qala_index_grouping *groupings;
} qala_index_input;

typedef enum qala_index_stage {
    QALA_INDEX_STAGE_RAW = 0,     /* as given (all input units) */
    QALA_INDEX_STAGE_DENOMINATED, /* kept units from here on */
    QALA_INDEX_STAGE_IMPUTED,
    QALA_INDEX_STAGE_TREATED,
    QALA_INDEX_STAGE_NORMALISED,
    QALA_INDEX_STAGE_AGGREGATED,  /* normalised indicators and every aggregate's scores */
    QALA_INDEX_STAGE_RANKED       /* ranks (1 = best, ties min) of every node, per period */
} qala_index_stage;
#define QALA_INDEX_STAGE_COUNT 7

/* "raw", "denominated", "imputed", "treated", "normalised", "aggregated", "ranked". */
const char *qala_index_stage_code(qala_index_stage stage);
qala_status qala_index_stage_parse(qala_index_stage *out, const char *text);

/* Why an indicator was screened out (QALA_INDEX_KEPT when it was not). */
typedef enum qala_index_screen {
    QALA_INDEX_KEPT = 0,
    QALA_INDEX_LOW_AVAILABILITY = 1, /* share of non-missing units below the threshold */
    QALA_INDEX_TOO_MANY_ZEROS = 2,   /* share of zeros above the maximum */
    QALA_INDEX_NO_COLUMN = 3         /* the input has no column of this code: all missing */
} qala_index_screen;

/* What happened to one indicator, over all periods. */
typedef struct qala_index_indicator_report {
    qala_index_screen screen;
    double availability;      /* share of non-missing raw cells of the kept units */
    double zero_share;        /* share of zeros among them (NAN when a scores_only run
                                 took the fused path with no limit on zeros: not counted) */
    size_t n_denominated_missing; /* cells made missing by a zero or missing denominator */
    size_t n_imputed;         /* cells filled (all periods, both passes) */
    size_t n_left_missing;    /* cells still missing after imputation */
    qala_treat_report treat;  /* the last period's (the only one of a cross-section) */
    size_t n_treated;         /* cells changed by treatment over all periods */
    unsigned normalise_flags; /* qala_norm_flag bits of any period */
} qala_index_indicator_report;

typedef struct qala_index_result qala_index_result;

/* Runs the pipeline. The tree is checked first (qala_index_tree_check). Columns named by
 * an indicator but absent from the input count as all missing (QALA_INDEX_NO_COLUMN); a
 * missing denominator column is an error. Errors: QALA_EINVAL (bad tree or input: the
 * message names it), QALA_EDATA (the data cannot go through a method: the message names
 * the unit, period and node, e.g. a value <= 0 under a geometric mean without an offset),
 * QALA_ENOTFOUND (the impute grouping or a denominator column is not in the input),
 * QALA_ENOMEM. *out is NULL on error. Work: O(cells) per stage plus the sorts of medians
 * and ranks; the scratch is allocated once per run, never per unit or cell. */
qala_status qala_index_run(qala_index_result **out, const qala_index_tree *tree,
                           const qala_index_input *input);
void qala_index_result_free(qala_index_result *res);

/* Shape. The tree is the one given to the run (borrowed: keep it alive). */
const qala_index_tree *qala_index_result_tree(const qala_index_result *res);
size_t qala_index_result_units(const qala_index_result *res);   /* kept units */
size_t qala_index_result_periods(const qala_index_result *res);
/* Code of input unit u (a copy owned by the result); period p's value. */
const char *qala_index_result_unit_code(const qala_index_result *res, size_t u);
qala_period qala_index_result_period(const qala_index_result *res, size_t p);
/* Input index of kept unit k. */
size_t qala_index_result_unit(const qala_index_result *res, size_t k);
/* 1 if input unit u was kept, 0 if screened out. */
int qala_index_result_unit_kept(const qala_index_result *res, size_t u);
/* Share of non-missing indicator cells of input unit u (what the screen judged); NAN
 * after a scores_only run that took the fused path (no unit screen: not counted). */
double qala_index_result_unit_availability(const qala_index_result *res, size_t u);

/* The column of node `node` at a stage: nperiods · nkept values (nunits at the raw
 * stage), NULL when the node has none at that stage (aggregates before AGGREGATED, an
 * indicator without an input column at RAW). Borrowed, valid until the result is freed. */
const double *qala_index_result_column(const qala_index_result *res, qala_index_stage stage,
                                       size_t node);
/* Cell flags of an indicator, same shape as its kept-unit columns, NULL for aggregates:
 * IMPUTED: the qala_impute_method that filled the cell (0: observed or left missing);
 * TREATED: the qala_treat_flag; DENOMINATED: QALA_INDEX_DEN_ZERO where a zero denominator
 * made the cell missing, QALA_INDEX_DEN_MISSING where a missing (or non-finite) one did.
 * NULL for other stages. */
enum { QALA_INDEX_DEN_ZERO = 1, QALA_INDEX_DEN_MISSING = 2 };
const uint8_t *qala_index_result_flags(const qala_index_result *res, qala_index_stage stage,
                                       size_t node);
/* Per-indicator report (node < nindicators), NULL otherwise. */
const qala_index_indicator_report *qala_index_result_report(const qala_index_result *res,
                                                            size_t node);
/* Effective weight of every node in the index (qala_agg_effective_weights over the kept
 * tree: screened-out indicators weigh 0). nnodes values. */
const double *qala_index_result_effective_weights(const qala_index_result *res);

/* The groupings of the input, copied (borrowed from the result): count and grouping i
 * (NULL past the end). */
size_t qala_index_result_groupings(const qala_index_result *res);
const qala_index_grouping *qala_index_result_grouping(const qala_index_result *res, size_t i);

/* Ranks of a node within the groups of an input grouping, per period (1 = best, ties min;
 * NAN for no score or no group): out has nperiods · nkept values. QALA_ENOTFOUND for an
 * unknown grouping. */
qala_status qala_index_result_group_ranks(const qala_index_result *res, size_t node,
                                          const char *grouping, double *out);

#ifdef __cplusplus
}
#endif
#endif
