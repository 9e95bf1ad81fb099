/* qala/check.h — data-quality checks over stored observations (`qala check`).
 *
 * Rules run on a dataset sorted by (unit, indicator, period) (qala_dataset_sort) and
 * report findings: unit, indicator, period, rule, severity, a statistic and a one-line
 * message. The rules (definitions and defaults in docs/check.md):
 *   range           a value outside the framework's declared [min, max]        (error)
 *   identity        an accounting identity of a rules file does not hold        (its severity)
 *   jump            a period-on-period change far from the unit's own changes
 *                   and from its peers' changes that period (robust z-scores)   (warning)
 *   peer-outlier    a value far from its peers' values that period (median/MAD of
 *                   the logarithms when every value is positive)               (warning)
 *   repeated        the same value in k or more consecutive periods             (warning)
 *   benford         first digits of a count indicator across units in a period
 *                   depart from Benford's law (chi-square, 8 df)                (warning)
 *   missing-series  a unit that has most of its peers' indicators for a period
 *                   lacks one that its peers have                               (warning)
 * Peers: the units of the same tier at the period's start — first-level units
 * (regions and cities of republican significance, the children of the country), the
 * other cities, and units unknown to the registry; the country has no peers.
 * Everything is deterministic; findings come sorted by unit, indicator, period, rule.
 */
#ifndef QALA_CHECK_H
#define QALA_CHECK_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/dataset.h"
#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_check_rule {
    QALA_CHECK_RANGE = 0,
    QALA_CHECK_IDENTITY,
    QALA_CHECK_JUMP,
    QALA_CHECK_PEER_OUTLIER,
    QALA_CHECK_REPEATED,
    QALA_CHECK_BENFORD,
    QALA_CHECK_MISSING_SERIES
} qala_check_rule;
#define QALA_CHECK_RULE_COUNT 7

/* "range", "identity", "jump", "peer-outlier", "repeated", "benford", "missing-series". */
const char *qala_check_rule_code(qala_check_rule rule);
/* QALA_EINVAL (the message lists the codes) for an unknown name. */
qala_status qala_check_rule_parse(qala_check_rule *out, const char *text);

/* ---- accounting identities: left = Σ coefficient × term, within a tolerance ---- */
typedef struct qala_identity {
    const char *name;
    const char *left;              /* indicator code */
    size_t nterms;
    const char *const *terms;      /* indicator codes */
    const double *coefficients;    /* +1, -1, or the number written before '*' */
    double tolerance;              /* relative (a fraction of |left|) or absolute */
    int relative;                  /* 1: tolerance is a fraction of |left| ("0.5%") */
    qala_severity severity;
    long line;                     /* line of the rules file */
} qala_identity;

typedef struct qala_identities qala_identities;

qala_status qala_identities_new(qala_identities **out);
void qala_identities_free(qala_identities *ids);
/* Reads a rules file (docs/check.md: name,left,right,tolerance[,severity]); indicator
 * codes are checked against fw. Problems go to findings (may be NULL) with label as the
 * file; QALA_EDATA when any error was found (then nothing was added), QALA_ENOMEM. */
qala_status qala_identities_load_csv(qala_identities *ids, const char *text, size_t len,
                                     const char *label, const qala_framework *fw,
                                     qala_findings *findings);
/* The identities embedded in the library (data/check/identities.csv). */
qala_status qala_identities_load_default(qala_identities *ids, const qala_framework *fw,
                                         qala_findings *findings);
size_t qala_identities_count(const qala_identities *ids);
/* Borrowed, valid until the collection is changed or freed. */
const qala_identity *qala_identities_get(const qala_identities *ids, size_t i);

/* ---- options ---- */
typedef struct qala_check_options {
    unsigned version;          /* QALA_CHECK_OPTIONS_VERSION */
    unsigned rules;            /* bit mask of (1u << qala_check_rule); 0: every rule */
    const char *unit;          /* report only findings about this unit code (NULL: all); the
                                  statistics still use every unit */
    const char *indicator;     /* report only findings about this indicator code (NULL: all) */
    double jump_z;             /* |robust z| above which a change is a jump (5) */
    size_t jump_min_changes;   /* changes a series needs for its own-history z (5) */
    double jump_min_change;    /* and a change of a positive series must differ from the
                                  unit's median change by at least this log ratio (0.02,
                                  about 2%), so that smooth series do not flag tiny wiggles */
    double peer_z;             /* |robust z| above which a value is a peer outlier (3.5) */
    size_t peer_min_units;     /* peers (with a value) needed for a peer statistic (5) */
    size_t repeat_periods;     /* consecutive equal values that make a finding (3) */
    size_t benford_min_n;      /* positive values needed for the Benford test (50) */
    double benford_min_span;   /* orders of magnitude the values must span (2) */
    double benford_alpha;      /* p-value below which the test is a finding (0.01) */
    const char *benford_indicators; /* "a,b": the count indicators; NULL: those of the
                                  framework with 0 decimals, min >= 0 and a unit that is
                                  not a ratio (no '%', no "per") */
    double missing_peer_share; /* an indicator is expected when at least this share of the
                                  peers with data that period have it (0.75) */
    double missing_unit_share; /* and the unit has at least this share of the expected
                                  indicators (0.5) */
} qala_check_options;

#define QALA_CHECK_OPTIONS_VERSION 1
#define QALA_CHECK_OPTIONS_INIT \
    {QALA_CHECK_OPTIONS_VERSION, 0, NULL, NULL, 5.0, 5, 0.02, 3.5, 5, 3, 50, 2.0, 0.01, NULL, 0.75, 0.5}

/* ---- results ---- */
typedef struct qala_check_finding {
    qala_check_rule rule;
    qala_severity severity;
    const char *unit;       /* unit code; "" for a finding about every unit (benford) */
    const char *indicator;  /* indicator code (identity: the left side) */
    qala_period period;     /* 0 when about no single period (benford) */
    double value;           /* the value concerned; NAN when none */
    double statistic;       /* per rule (docs/check.md): the robust z, the relative gap of an
                               identity, the run length, chi-square; NAN when none */
    double p_value;         /* benford; NAN otherwise */
    const char *name;       /* the identity's name; "" for other rules */
    const char *message;    /* one line, no trailing newline */
} qala_check_finding;

/* What the Benford test found for one count indicator in one period (tested), or for
 * an indicator none of whose periods could be tested (period 0, tested 0, the largest
 * period's counts, and why). */
typedef struct qala_check_benford {
    const char *indicator;
    qala_period period;
    size_t n;               /* positive finite values */
    double span;            /* log10(max / min) of those values; NAN when n == 0 */
    int tested;             /* n >= benford_min_n and span >= benford_min_span */
    size_t observed[9];     /* counts of first digits 1..9 */
    double chi2, p_value;   /* NAN when not tested */
    const char *message;    /* the result, or why there was no test */
} qala_check_benford;

typedef struct qala_check_result qala_check_result;

/* Runs the rules. ids may be NULL (no identity rule). QALA_EINVAL for an unsorted
 * dataset or bad options (the message says which), QALA_ENOMEM. On failure *out is NULL. */
qala_status qala_check_run(qala_check_result **out, const qala_dataset *ds,
                           const qala_framework *fw, const qala_registry *reg,
                           const qala_identities *ids, const qala_check_options *options);
void qala_check_result_free(qala_check_result *r);

size_t qala_check_count(const qala_check_result *r);
/* Borrowed, valid until the result is freed. */
const qala_check_finding *qala_check_get(const qala_check_result *r, size_t i);
size_t qala_check_errors(const qala_check_result *r);
size_t qala_check_warnings(const qala_check_result *r);
/* How many cases a rule looked at (observations, identity instances, changes, values
 * with peers, series, indicators, unit-periods), so that no finding means something. */
size_t qala_check_evaluated(const qala_check_result *r, qala_check_rule rule);
size_t qala_check_benford_count(const qala_check_result *r);
const qala_check_benford *qala_check_benford_get(const qala_check_result *r, size_t i);

/* ---- the statistics, exposed for tests and reuse ---- */
/* Median of x[0..n) (n > 0; x is reordered). */
double qala_check_median(double *x, size_t n);
/* The robust z-score of v against x[0..n) (x is reordered): 0.6745 (v - median) / MAD;
 * when the MAD is 0, (v - median) / (1.253314 × mean absolute deviation from the median)
 * (Iglewicz & Hoaglin 1993); when that is 0 too (the others are all equal), 0 if v
 * equals them, else ±INFINITY. NAN when n is 0. */
double qala_check_robust_z(double v, double *x, size_t n);
/* The first significant digit (1..9) of a positive finite x; 0 otherwise. */
int qala_check_first_digit(double x);
/* Pearson's chi-square of first-digit counts against Benford's proportions
 * log10(1 + 1/d), and its p-value with 8 degrees of freedom (GSL's gsl_cdf_chisq_Q). */
void qala_check_benford_chi2(const size_t counts[9], double *chi2, double *p_value);

#ifdef __cplusplus
}
#endif
#endif
