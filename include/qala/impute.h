/* qala/impute.h — imputation kernels of the composite-index engine: missing values of
 * one indicator column (or of one unit's series over periods) filled from the observed
 * ones, every filled cell marked with the method that filled it.
 *
 * Definitions (docs/methods-treat.md, from ../shared/design/METHODS.md §1). Only missing
 * cells (NAN) are written; an observed value is never changed.
 *   mean           the mean of the observed cells of the column            (COINr ind_mean)
 *   median         their median (mean of the two middle values for an even count;
 *                  R's median)                                             (COINr ind_median)
 *   group_mean     the mean of the observed cells of the same group   (COINr indgroup_mean)
 *   group_median   their median                                     (COINr indgroup_median)
 * Panel methods: x is one unit's series, one cell per period in period order (a period
 * with no observation is a NAN cell). Distances are counted in periods.
 *   latest         latest value carried forward: the last observed value at most max_gap
 *                  periods earlier                       (COINr impute_panel, max_time)
 *   nearest        constant: the value of the nearest observed cell at most max_gap
 *                  periods away, the earlier one on a tie
 *   linear         linear interpolation between the observed cells around a run of
 *                  missing cells, for runs of at most max_gap cells; the ends stay missing
 *   linear_constant  linear inside as above, and the runs before the first and after the
 *                  last observation (at most max_gap cells) get that observation's value
 * max_gap = 0 means no limit. A cell with nothing to fill it from (an empty group, a
 * series with no observation, a gap longer than max_gap, a leading run for latest) stays
 * missing and is counted in the report.
 *
 * Layout: cell i is x[i * stride], i in [0, n); flags[i] (stride 1) and group[i] (stride
 * 1) belong to cell i.
 */
#ifndef QALA_IMPUTE_H
#define QALA_IMPUTE_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A method, and the mark it leaves in the flags of the cells it filled (0 = not
 * imputed: QALA_IMPUTE_NONE fills nothing). */
typedef enum qala_impute_method {
    QALA_IMPUTE_NONE = 0,
    QALA_IMPUTE_MEAN = 1,
    QALA_IMPUTE_MEDIAN = 2,
    QALA_IMPUTE_GROUP_MEAN = 3,
    QALA_IMPUTE_GROUP_MEDIAN = 4,
    QALA_IMPUTE_LATEST = 5,
    QALA_IMPUTE_NEAREST = 6,
    QALA_IMPUTE_LINEAR = 7,
    QALA_IMPUTE_LINEAR_CONSTANT = 8
} qala_impute_method;
#define QALA_IMPUTE_METHOD_COUNT 9

/* group[i] of a unit in no group: its cell is neither used nor filled by group methods. */
#define QALA_IMPUTE_NO_GROUP UINT32_MAX

/* How a column is imputed. A zeroed struct is QALA_IMPUTE_NONE. */
typedef struct qala_impute_spec {
    qala_impute_method method;
    const uint32_t *group; /* group methods: group[i] < ngroups or QALA_IMPUTE_NO_GROUP */
    uint32_t ngroups;      /* group methods: number of groups (>= 1) */
    size_t max_gap;        /* panel methods: longest distance or run filled; 0 = no limit */
} qala_impute_spec;

/* What happened in one call. */
typedef struct qala_impute_report {
    size_t n_missing; /* missing cells before the call */
    size_t n_filled;  /* cells filled (flagged) */
    size_t n_left;    /* missing cells left missing: n_missing - n_filled */
} qala_impute_report;

/* Imputes the column x (layout above) by spec. flags (n bytes, may be NULL): flags[i]
 * is set to spec->method for each filled cell and left as it is for every other cell,
 * so that a second pass with another method (say group_mean after latest) keeps the
 * first pass's marks: zero the array before the first pass. report may be NULL.
 * Errors (x and flags unchanged): QALA_EINVAL for a method out of range, a NULL x with
 * n > 0, a zero stride, a group method without group or with ngroups = 0, or a group
 * value >= ngroups other than QALA_IMPUTE_NO_GROUP; QALA_ENOMEM (median and the group
 * methods allocate one scratch block per call; the others none). Work: O(n) for mean,
 * latest, nearest and linear; O(n log n) for the medians. */
qala_status qala_impute(uint8_t *flags, qala_impute_report *report, double *x, size_t stride,
                        size_t n, const qala_impute_spec *spec);

/* One row of the method table. */
typedef qala_status (*qala_impute_fn)(uint8_t *flags, qala_impute_report *report, double *x,
                                      size_t stride, size_t n, const qala_impute_spec *spec);

enum {
    QALA_IMPUTE_GROUPED = 1u << 0, /* reads spec->group and spec->ngroups */
    QALA_IMPUTE_PANEL = 1u << 1    /* x is a series over periods; reads spec->max_gap */
};

typedef struct qala_impute_method_info {
    const char *name;   /* "mean", ... (qala_impute_method_code) */
    qala_impute_method method;
    qala_impute_fn fn;  /* called by qala_impute after the common checks */
    unsigned flags;     /* QALA_IMPUTE_GROUPED | QALA_IMPUTE_PANEL */
    const char *coinr;  /* COINr's name of the same method, or NULL */
} qala_impute_method_info;

/* The method table, in enum order (static storage). *count gets QALA_IMPUTE_METHOD_COUNT. */
const qala_impute_method_info *qala_impute_methods(size_t *count);

/* "none", "mean", "median", "group_mean", "group_median", "latest", "nearest", "linear",
 * "linear_constant"; "?" for a value outside the enum. */
const char *qala_impute_method_code(qala_impute_method method);
/* Accepts the codes above and COINr's names (ind_mean, ind_median, indgroup_mean,
 * indgroup_median, latest_year); QALA_EINVAL (listing the codes) otherwise. */
qala_status qala_impute_method_parse(qala_impute_method *out, const char *text);

#ifdef __cplusplus
}
#endif

#endif
