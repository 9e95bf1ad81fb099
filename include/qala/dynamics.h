/* qala/dynamics.h — the analyses of differences between units and their change over
 * time, on a panel (qala/panel.h): inequality with its decompositions, σ- and
 * β-convergence, trends with progress to targets, and comparisons of groups. Each is one
 * call that returns a plain struct (owned by the caller, freed by its _free) which the
 * command line, reports and a server render as they like; the computing is the kernels'
 * (qala/inequality.h, convergence.h, trends.h, compare.h).
 *
 * Which units count: the panel's units alive in the period(s); a unit alive without a
 * value (or, weighted, without a usable weight) is counted, never silently dropped.
 */
#ifndef QALA_DYNAMICS_H
#define QALA_DYNAMICS_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"
#include "qala/compare.h"
#include "qala/convergence.h"
#include "qala/inequality.h"
#include "qala/panel.h"
#include "qala/registry.h"
#include "qala/targets.h"
#include "qala/trends.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- inequality in one period ------------------------------------------------------- */

typedef struct qala_ineq_report_options {
    unsigned version;                  /* 1 */
    size_t period;                     /* index into panel->periods */
    int weighted;                      /* 1: weights from panel->weights (required then) */
    const qala_panel_grouping *by;     /* decompose the Theils by these groups, or NULL */
    const qala_panel_grouping *within; /* with `by`: also Akita's nested decomposition,
                                        * `by` groups inside these outer groups; or NULL */
} qala_ineq_report_options;

#define QALA_INEQ_REPORT_OPTIONS_INIT {1, 0, 1, NULL, NULL}

typedef struct qala_ineq_report {
    qala_period period;
    int weighted;
    size_t n_units;       /* panel units alive in the period */
    size_t n_no_value;    /* of them, without a value */
    size_t n_no_weight;   /* with a value but no finite weight > 0 (weighted only) */
    qala_ineq_summary summary;    /* population-weighted when weighted, else unweighted */
    qala_ineq_summary unweighted; /* always: every alive unit with a value */
    /* one-stage decomposition by `by` */
    int has_decomp;
    qala_theil_decomp decomp;
    size_t ngroups;
    const char **group_codes;     /* ngroups */
    qala_ineq_group *groups;      /* ngroups, in `by`'s order */
    /* two-stage nested decomposition: inner groups are the (within, by) pairs */
    int has_nested;
    qala_theil_nested nested;
    size_t ninner, nouter;
    const char **inner_codes;     /* ninner, "OUTER/INNER" */
    const char **outer_codes;     /* nouter */
    uint32_t *inner_outer;        /* ninner: each inner group's outer group */
    qala_ineq_group *inner_groups, *outer_groups;
} qala_ineq_report;

/* The summary (weighted and unweighted) of the period and, when asked, the
 * decompositions (weighted like the summary). QALA_EINVAL (period out of range,
 * weighted without panel weights, a grouping of another panel), QALA_ENOMEM. No value
 * in the period is a result: counts set, measures NAN. */
qala_status qala_ineq_report_compute(qala_ineq_report **out, const qala_panel *panel,
                                     const qala_ineq_report_options *opt);
void qala_ineq_report_free(qala_ineq_report *r);

/* ---- convergence over the panel's periods ------------------------------------------- */

typedef struct qala_convergence_options {
    unsigned version;       /* 1 */
    qala_sigma_spec sigma;  /* the dispersion measure and which units (balanced panel) */
    int weighted;           /* σ with panel->weights (required then); β is unweighted */
} qala_convergence_options;

#define QALA_CONVERGENCE_OPTIONS_INIT {1, {QALA_INEQ_CV, QALA_SIGMA_BALANCED}, 0}

typedef struct qala_convergence_report {
    int weighted;
    qala_sigma_spec sigma_spec;
    size_t nperiods;
    qala_period *periods;   /* the panel's */
    double *dispersion;     /* nperiods: D_p, NAN where it cannot be computed */
    size_t *n_used;         /* nperiods: the units of each D_p */
    qala_sigma_result sigma;
    /* β between the first and the last period with any value */
    qala_period beta_from, beta_to;
    double years;           /* time between them, in years */
    qala_beta_result beta;
} qala_convergence_report;

/* σ over every period of the panel (time = qala_trend_time of each period) and β from
 * the first to the last period in which some unit has a value. QALA_EINVAL (weighted
 * without weights, a spec outside the enums), QALA_ENOMEM. Too few data is a result
 * (NAN fields; beta_from = beta_to = 0 when fewer than two periods have values). */
qala_status qala_convergence_report_compute(qala_convergence_report **out, const qala_panel *panel,
                                            const qala_convergence_options *opt);
void qala_convergence_report_free(qala_convergence_report *r);

/* ---- trends per unit ----------------------------------------------------------------- */

typedef struct qala_trend_row {
    size_t unit;                /* panel unit */
    qala_trend_summary trend;   /* over the panel's periods */
    int has_target;
    size_t target;              /* index in the targets, with has_target */
    qala_progress progress;     /* towards the target, with has_target */
    qala_progress_class cls;    /* progress.cls with a target, else trend.cls (CAGR classes) */
} qala_trend_row;

typedef struct qala_trends_report {
    int direction;              /* of the indicator */
    size_t nrows;
    qala_trend_row *rows;       /* one per panel unit with at least one value, panel order */
    size_t n_no_data;           /* panel units without any value */
    size_t counts[QALA_PROGRESS_CLASS_COUNT]; /* rows per class */
} qala_trends_report;

/* The trend of every unit of the panel, for an indicator of the given direction (±1)
 * and, when targets is given, the progress towards the target that applies to each unit
 * (qala_targets_find at panel->at: the unit's, its group's or the all-units one) of
 * framework indicator `indicator`. QALA_EINVAL (direction), QALA_EAMBIGUOUS (two group
 * targets apply to a unit: the message names it), QALA_ENOMEM. */
qala_status qala_trends_report_compute(qala_trends_report **out, const qala_panel *panel, int direction,
                                       const qala_targets *targets, size_t indicator,
                                       const qala_registry *reg);
void qala_trends_report_free(qala_trends_report *r);

/* ---- comparing groups in one period -------------------------------------------------- */

typedef struct qala_compare_report_options {
    unsigned version;            /* 1 */
    size_t period;               /* index into panel->periods */
    const char *const *groups;   /* registry group codes; ngroups 0: every registry group */
    size_t ngroups;
    unsigned long seed;          /* of the permutation tests */
    size_t permutations;         /* B; 0: QALA_COMPARE_DEFAULT_B */
} qala_compare_report_options;

#define QALA_COMPARE_REPORT_OPTIONS_INIT {1, 0, NULL, 0, 1, 0}

typedef struct qala_compare_report {
    qala_period period;
    size_t n_units, n_no_value;  /* panel units alive in the period; of them without value */
    size_t ngroups;              /* the listed groups, then "rest" (in none of them) */
    const char **codes;          /* ngroups */
    qala_group_summary *groups;  /* ngroups; a unit in several groups counts in each */
    size_t npairs;
    qala_permutation *pairs;     /* every two listed groups (i < j, in list order), then each
                                  * listed group against "rest". A pair with an empty side
                                  * has NAN differences and p-values. Two overlapping groups
                                  * share their common members (the test then compares the
                                  * groups as listed, not independent samples) */
    unsigned long seed;
    size_t permutations;
} qala_compare_report;

/* Group summaries and permutation tests (qala/compare.h) of the period. QALA_EINVAL
 * (period out of range, B too large), QALA_ENOTFOUND (an unknown group code, named),
 * QALA_ENOMEM. */
qala_status qala_compare_report_compute(qala_compare_report **out, const qala_panel *panel,
                                        const qala_registry *reg,
                                        const qala_compare_report_options *opt);
void qala_compare_report_free(qala_compare_report *r);

#ifdef __cplusplus
}
#endif
#endif
