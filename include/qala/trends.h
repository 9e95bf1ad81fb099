/* qala/trends.h — the trend of one series (one unit, one indicator) and its progress
 * towards a target, by the method of Statistics Canada used in Open SDG.
 *
 * Definitions (docs/methods-trends.md, from ../shared/design/METHODS.md §4). Time is
 * measured in years: a period's time is its year, plus (q − 1)/4 for quarter q or
 * (m − 1)/12 for month m, so "per period" below means per year for the usual annual
 * series. Missing values are NAN; only observed (non-NAN) values count.
 *   CAGR        (y_last / y_first)^(1 / (t_last − t_first)) − 1, over the first and the
 *               last observed periods; defined when both values are non-zero and of the
 *               same sign (Open SDG: "valid only when all values are positive or all
 *               values are negative")
 *   slope_pct   b / |ȳ| × 100, b the OLS slope of y on t over the observed points and ȳ
 *               their mean: the straight-line change per year as a percentage of the
 *               mean level
 *   last change y_last − y_prev and (y_last / y_prev − 1) × 100 over the last two
 *               observed periods
 *   progress    observed CAGR from the base period to the last observed period against
 *               the CAGR required to go from the base value to the target by the target
 *               period: R = s·d·CAGR_obs / |CAGR_req| (d = the indicator's direction, s =
 *               −1 when the base value is negative), as sdg-build's ProgressMeasure.py;
 *               classes R ≥ 0.95 on track, 0.6 ≤ R < 0.95 acceleration needed, 0 ≤ R <
 *               0.6 limited progress, R < 0 deterioration; the current value at or past
 *               the target (in direction d) is "target achieved" whatever R is.
 *   no target   s·d·CAGR (in %) ≥ 1.5 on track, 0.5–1.5 acceleration needed, 0–0.5
 *               limited progress, < 0 deterioration.
 * When a measure is undefined the value is NAN and a flag says why; a class that cannot
 * be given is QALA_PROGRESS_UNASSESSED with its flags. No allocation; O(n) per series.
 */
#ifndef QALA_TRENDS_H
#define QALA_TRENDS_H

#include <stddef.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The four classes of the Open SDG / Statistics Canada method, with "target achieved"
 * and "not assessed". Open SDG's status words are substantial_progress,
 * moderate_progress, limited_progress, deterioration, target_achieved, not_available. */
typedef enum qala_progress_class {
    QALA_PROGRESS_UNASSESSED = 0,          /* too little data or CAGR undefined: see flags */
    QALA_PROGRESS_TARGET_ACHIEVED = 1,     /* with a target only */
    QALA_PROGRESS_ON_TRACK = 2,            /* R >= 0.95, or CAGR >= 1.5 % */
    QALA_PROGRESS_ACCELERATION_NEEDED = 3, /* 0.6 <= R < 0.95, or 0.5 % <= CAGR < 1.5 % */
    QALA_PROGRESS_LIMITED = 4,             /* 0 <= R < 0.6, or 0 <= CAGR < 0.5 % */
    QALA_PROGRESS_DETERIORATION = 5        /* R < 0, or CAGR < 0 */
} qala_progress_class;
#define QALA_PROGRESS_CLASS_COUNT 6

/* "unassessed", "target_achieved", "on_track", "acceleration_needed", "limited_progress",
 * "deterioration"; "?" outside the enum. */
const char *qala_progress_class_code(qala_progress_class c);

/* Why a measure is undefined or was adjusted (bits of the flags fields). */
enum {
    /* fewer than 2 observed values (progress: no base period observed before the last) */
    QALA_TREND_FLAG_TOO_FEW = 1u << 0,
    /* a CAGR end value is 0: CAGR undefined */
    QALA_TREND_FLAG_ZERO = 1u << 1,
    /* CAGR end values of opposite signs: CAGR undefined */
    QALA_TREND_FLAG_SIGN_CHANGE = 1u << 2,
    /* both CAGR end values < 0: CAGR of the ratio; the classes reverse the direction */
    QALA_TREND_FLAG_NEGATIVE = 1u << 3,
    /* mean level 0: slope_pct undefined */
    QALA_TREND_FLAG_MEAN_ZERO = 1u << 4,
    /* previous value 0: last_change_pct undefined */
    QALA_TREND_FLAG_PREV_ZERO = 1u << 5,
    /* progress: a zero base or target value was replaced by target->zero_replacement */
    QALA_TREND_FLAG_ZERO_REPLACED = 1u << 6,
    /* progress: the target period is not after the base period: required CAGR undefined */
    QALA_TREND_FLAG_TARGET_NOT_AFTER_BASE = 1u << 7,
    /* progress: target value = base value, so the required CAGR is 0 and R is ±infinity */
    QALA_TREND_FLAG_REQUIRED_ZERO = 1u << 8
};

/* The trend of a series. Periods are those of the observed values used. */
typedef struct qala_trend_summary {
    size_t n_obs;               /* observed (non-NAN) values */
    qala_period first_period, last_period, prev_period; /* 0 when there is none */
    double first, last, prev;   /* the values there; NAN when there is none */
    double cagr_pct;            /* CAGR × 100, % per year; NAN when undefined (flags) */
    double slope;               /* OLS slope, value units per year; NAN when n_obs < 2 */
    double slope_pct;           /* slope / |mean| × 100, % per year; NAN when undefined */
    double last_change;         /* last − prev; NAN when n_obs < 2 */
    double last_change_pct;     /* (last / prev − 1) × 100; NAN when undefined (flags) */
    qala_progress_class cls;    /* the class without a target, from cagr_pct and direction */
    unsigned flags;             /* QALA_TREND_FLAG_* */
} qala_trend_summary;

/* The trend of the series (periods[i], values[i]), i < n, for an indicator of the given
 * direction (+1 higher is better, −1 lower is better). Periods must be valid and strictly
 * ascending; values finite or NAN. QALA_EINVAL (direction, a period out of order or
 * invalid, an infinite value — the message gives the index). Never allocates. */
qala_status qala_trend_summarise(qala_trend_summary *out, const qala_period *periods, const double *values,
                               size_t n, int direction);

/* A target of one series. value NAN = no quantitative target: then the class is the one
 * without a target, over the CAGR from the base period to the last. */
typedef struct qala_progress_target {
    double value;             /* the target value, or NAN */
    qala_period period;       /* the period by which it should be reached (with a value) */
    qala_period baseline;     /* the base period; when it has no observation, the first
                               * observed period after it is the base (Open SDG) */
    double zero_replacement;  /* 0: a zero base or target value leaves the CAGR undefined
                               * (QALA_TREND_FLAG_ZERO); Open SDG replaces it by 0.001 — set
                               * that here to do the same (QALA_TREND_FLAG_ZERO_REPLACED) */
} qala_progress_target;

typedef struct qala_progress {
    qala_period base_period, current_period; /* 0 when there is none */
    double base, current;      /* values there (as observed, before any replacement) */
    double observed_cagr_pct;  /* CAGR from base to current, %; NAN when undefined */
    double required_cagr_pct;  /* CAGR from base to target by target period, %; NAN without
                                * a target or when undefined */
    double ratio;              /* R = s·d·observed / |required|; NAN without a target or
                                * when undefined; ±INFINITY with QALA_TREND_FLAG_REQUIRED_ZERO */
    int target_achieved;       /* 1 when current is at or past the target in direction d */
    qala_progress_class cls;
    unsigned flags;            /* QALA_TREND_FLAG_* */
} qala_progress;

/* Progress of the series towards target (definitions above), for an indicator of the
 * given direction. The current period is the last observed one. Arguments are checked
 * as by qala_trend_summarise; QALA_EINVAL also for a non-finite target field other than
 * value, a negative or non-finite zero_replacement, an invalid baseline, or an invalid
 * target period when value is given. Data that does not allow a class is not an error:
 * QALA_PROGRESS_UNASSESSED with flags. Never allocates. */
qala_status qala_progress_compute(qala_progress *out, const qala_period *periods,
                                  const double *values, size_t n, int direction,
                                  const qala_progress_target *target);

/* The class of a ratio R (with a target) or of a direction-adjusted CAGR in % (without),
 * by the thresholds above; QALA_PROGRESS_UNASSESSED for NAN. */
qala_progress_class qala_progress_class_of_ratio(double ratio);
qala_progress_class qala_progress_class_of_cagr(double adjusted_cagr_pct);

/* The time of a period in years (2022 → 2022, 2022-Q3 → 2022.5, 2022-07 → 2022.5). */
double qala_trend_time(qala_period p);

#ifdef __cplusplus
}
#endif
#endif
