/* qala/treat.h — outlier treatment kernels of the composite-index engine: one indicator
 * column checked for skew and kurtosis, winsorised when it fails, transformed when
 * winsorising does not help, every changed cell marked.
 *
 * Definitions (docs/methods-treat.md, from ../shared/design/METHODS.md §1 and COINr's
 * treat(); the statistics ignore missing cells):
 *   skew   Excel SKEW, e1071 type 2: G1 = g1·√(n(n−1))/(n−2), g1 = m3/m2^(3/2)
 *   kurt   Excel KURT, e1071 type 2 (excess): G2 = ((n+1)g2 + 6)(n−1)/((n−2)(n−3)),
 *          g2 = m4/m2² − 3, with m_k = Σ(x−x̄)^k / n
 * A column fails when |skew| >= skew_limit AND kurt >= kurt_limit (defaults 2 and 3.5).
 * Winsorising: while it fails and fewer than winmax steps were made, one step sets every
 * cell equal to the maximum (when skew >= 0; else the minimum) to the next value inward.
 * If it still fails after winmax steps, the winsorised values are dropped and the
 * original column is transformed (spec->transform):
 *   log_ct    ln(x − min + 0.01·(max − min))   (COINr "CTlog", the default)
 *   log_plus1 ln(x − min + 1)
 *   boxcox    ((x − min + 1)^λ − 1)/λ, ln(x − min + 1) for λ = 0 (COINr BoxCox, makepos)
 *   log       ln(x), only when every x > 0 (else the column is left as it is)
 *   none      the column is left as it is
 * Statistics of fewer than 4 observed values, or of a constant column, are NAN; such a
 * column never fails.
 *
 * Layout: cell i is x[i * stride], i in [0, n); flags[i] (stride 1) belongs to cell i.
 */
#ifndef QALA_TREAT_H
#define QALA_TREAT_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What is done to a column that winsorising could not fix. */
typedef enum qala_treat_transform {
    QALA_TREAT_LOG_CT = 0,
    QALA_TREAT_LOG_PLUS1 = 1,
    QALA_TREAT_BOXCOX = 2,
    QALA_TREAT_LOG = 3,
    QALA_TREAT_TRANSFORM_NONE = 4
} qala_treat_transform;
#define QALA_TREAT_TRANSFORM_COUNT 5

/* The mark of a cell (flags[i]). */
typedef enum qala_treat_flag {
    QALA_TREAT_FLAG_NONE = 0,      /* unchanged */
    QALA_TREAT_FLAG_WIN_HIGH = 1,  /* winsorised down from the top */
    QALA_TREAT_FLAG_WIN_LOW = 2,   /* winsorised up from the bottom */
    QALA_TREAT_FLAG_TRANSFORM = 3  /* transformed (every observed cell of the column) */
} qala_treat_flag;

/* How a column is treated. Start from QALA_TREAT_SPEC_DEFAULT: a zeroed struct means
 * winmax 0 and limits 0, which fails every column with a defined skew and kurtosis. */
typedef struct qala_treat_spec {
    size_t winmax;           /* most winsorising steps (COINr: 5; the old COINr that
                                made the ASEM outputs: ceil(0.1·units) = 6) */
    double skew_limit;       /* |skew| at or above it ... (2) */
    double kurt_limit;       /* ... and kurtosis at or above it fail (3.5) */
    qala_treat_transform transform; /* when winsorising fails (log_ct) */
    double lambda;           /* Box-Cox λ */
    int fixed_direction;     /* 1: every step on the side of the first skew (> 0: high,
                                else low), COINr winchange = FALSE; 0: the side of the
                                current skew at each step (>= 0: high), the default */
} qala_treat_spec;

#define QALA_TREAT_SPEC_DEFAULT ((qala_treat_spec){5, 2.0, 3.5, QALA_TREAT_LOG_CT, 0.0, 0})

/* What happened to one column. */
typedef enum qala_treat_outcome {
    QALA_TREAT_UNTREATED = 0,   /* passed at once (or too few values to judge) */
    QALA_TREAT_WINSORISED = 1,  /* passed after 1..winmax steps */
    QALA_TREAT_TRANSFORMED = 2, /* still failed after winmax steps: transformed */
    QALA_TREAT_FAILED = 3       /* still failed, and the transform was none, or log with
                                   a value <= 0: left as it was */
} qala_treat_outcome;

typedef struct qala_treat_report {
    qala_treat_outcome outcome;
    size_t steps;             /* winsorising steps made (COINr's "Winsorised <steps> points") */
    size_t n_high, n_low;     /* cells flagged WIN_HIGH / WIN_LOW (COINr's High, Low) */
    size_t n_transformed;     /* cells flagged TRANSFORM */
    double skew0, kurt0;      /* of the column as given */
    double skew, kurt;        /* of the result */
} qala_treat_report;

/* Treats the column x (layout above) by spec. flags (n bytes) and report may be NULL;
 * every flags[i] is written (QALA_TREAT_FLAG_NONE for cells left as they were). Missing
 * cells (NAN) stay missing and unflagged. Errors (x and flags unchanged): QALA_EINVAL for
 * a NULL spec, a NULL x with n > 0, a zero stride, limits that are NAN or negative, a
 * transform out of range, or a non-finite λ; QALA_EDATA when a step would leave fewer
 * than two distinct values (COINr stops there too: treat such an indicator with a lower
 * winmax or a transform); QALA_ENOMEM (one scratch block of the observed values per
 * call). Work: O(n) per step, so O(n·winmax) for a column. */
qala_status qala_treat(uint8_t *flags, qala_treat_report *report, double *x, size_t stride,
                       size_t n, const qala_treat_spec *spec);

/* Skew and excess kurtosis (type 2, above) of the observed cells of x, through GSL.
 * Either output may be NULL; NAN when undefined. QALA_EINVAL for a NULL x with n > 0 or
 * a zero stride; QALA_ENOMEM when there are missing cells and no room to set them aside. */
qala_status qala_treat_skew_kurt(double *skew, double *kurt, const double *x, size_t stride,
                                 size_t n);

/* COINr's words for a report, as in its TreatSummary "Treatment" column: "None",
 * "Winsorised 4 points", "CTLog (exceeded winmax)", "Log (exceeded winmax)",
 * "Box Cox with lambda = 0.5 (exceeded winmax)", "None: exceeded winmax but log error";
 * qala's "Log+1 (exceeded winmax)". Writes at most cap bytes with the NUL; returns the
 * length the whole text needs, as snprintf. */
size_t qala_treat_describe(char *buf, size_t cap, const qala_treat_report *report,
                           const qala_treat_spec *spec);

/* One row of the transform table: fn transforms the observed cells of x in place given
 * the observed minimum and maximum; QALA_EDATA when it cannot (log of a value <= 0). */
typedef qala_status (*qala_treat_fn)(double *x, size_t stride, size_t n, double min,
                                     double max, const qala_treat_spec *spec);

typedef struct qala_treat_transform_info {
    const char *name;  /* "log_ct", ... (qala_treat_transform_code) */
    qala_treat_transform transform;
    qala_treat_fn fn;  /* NULL for none */
    unsigned flags;    /* QALA_TREAT_PARAMS when it reads spec->lambda */
    const char *coinr; /* COINr's deflog of the same definition, or NULL */
} qala_treat_transform_info;

enum { QALA_TREAT_PARAMS = 1u << 0 };

/* The transform table, in enum order (static storage). */
const qala_treat_transform_info *qala_treat_transforms(size_t *count);
/* "log_ct", "log_plus1", "boxcox", "log", "none"; "?" outside the enum. */
const char *qala_treat_transform_code(qala_treat_transform t);
/* Accepts the codes above and COINr's names (CTlog, log, boxcox, None); QALA_EINVAL
 * (listing the codes) otherwise. */
qala_status qala_treat_transform_parse(qala_treat_transform *out, const char *text);

#ifdef __cplusplus
}
#endif

#endif
