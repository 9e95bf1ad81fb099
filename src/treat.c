/* treat.c — the outlier-treatment stage of the composite-index engine (imputed →
 * treated): COINr's default treatment of one indicator column. The column fails when
 * its skew and kurtosis (type 2, as Excel's SKEW and KURT) are both at or beyond their
 * limits; a failing column is winsorised one step at a time (the cells at the extreme on
 * the side of the skew take the next value inward) until it passes or winmax steps were
 * made; a column still failing gets a log-type transform of its original values.
 *
 * Place in the pipeline: after imputation (impute.c), before normalisation. The caller
 * treats each indicator column and keeps the flags and report (they are COINr's
 * TreatFlags and TreatSummary).
 *
 * Invariants: missing cells (NAN) are never written and never flagged; a winsorised cell
 * takes a value that another observed cell of the column had; the arguments are checked
 * and the scratch copy made before anything is written, so an error leaves x and flags
 * unchanged. Skew and kurtosis are the type-2 forms of the central moments (skew_kurt;
 * the tests check them against GSL's gsl_stats_skew and gsl_stats_kurtosis).
 *
 * Workload: columns of tens to thousands of units; one scratch copy of the observed
 * values per call, O(n) per step, at most winmax steps (5 or 6 in practice).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>


#include "qala/treat.h"
#include "util/internal.h"

#define X(i) x[(size_t)(i) * stride]

/* ---- statistics ---- */

/* Type-2 skew and excess kurtosis of y[0..m) (no NAN in it): two passes in double, the
 * mean (with R's second-pass correction) and then the central moment sums m2, m3, m4 in
 * one loop. GSL's gsl_stats_skew and gsl_stats_kurtosis give the same figures through
 * long-double running means (within ~1e-15 relative on the ASEM columns; the treat test
 * compares both) but make six passes with a division per element: 60% of a whole ASEM
 * index build. */
static void skew_kurt(double *skew, double *kurt, const double *y, size_t m)
{
    *skew = *kurt = NAN;
    if (m < 3)
        return;
    int constant = 1;
    for (size_t k = 1; k < m && constant; k++)
        constant = y[k] == y[0];
    if (constant)
        return;
    double dm = (double)m, sum = 0, resid = 0;
    for (size_t k = 0; k < m; k++)
        sum += y[k];
    double mean = sum / dm;
    for (size_t k = 0; k < m; k++)
        resid += y[k] - mean;
    mean += resid / dm;
    double s2 = 0, s3 = 0, s4 = 0;
    for (size_t k = 0; k < m; k++) {
        double d = y[k] - mean, d2 = d * d;
        s2 += d2;
        s3 += d2 * d;
        s4 += d2 * d2;
    }
    double m2 = s2 / dm, m3 = s3 / dm, m4 = s4 / dm;
    double g1 = m3 / (m2 * sqrt(m2));
    *skew = g1 * sqrt(dm * (dm - 1)) / (dm - 2);
    if (m < 4)
        return;
    double g2 = m4 / (m2 * m2) - 3;
    *kurt = ((dm + 1) * g2 + 6) * (dm - 1) / ((dm - 2) * (dm - 3));
}

static int fails(double skew, double kurt, const qala_treat_spec *spec)
{
    /* NAN compares false: an undefined statistic never fails */
    return fabs(skew) >= spec->skew_limit && kurt >= spec->kurt_limit;
}

qala_status qala_treat_skew_kurt(double *skew, double *kurt, const double *x, size_t stride,
                                 size_t n)
{
    double s = NAN, k = NAN;
    if (skew)
        *skew = s;
    if (kurt)
        *kurt = k;
    if (n > 0 && !x)
        return qala_err__set(QALA_EINVAL, "treat: x must not be NULL when n > 0");
    if (stride == 0)
        return qala_err__set(QALA_EINVAL, "treat: stride must be at least 1");
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(X(i));
    double *y = qala_mem__calloc(m, sizeof *y);
    if (!y)
        return qala_err__set(QALA_ENOMEM, "treat: out of memory (%zu values)", m);
    for (size_t i = 0, k2 = 0; i < n; i++)
        if (!isnan(X(i)))
            y[k2++] = X(i);
    skew_kurt(&s, &k, y, m);
    qala_mem__free(y);
    if (skew)
        *skew = s;
    if (kurt)
        *kurt = k;
    return QALA_OK;
}

/* ---- transforms ---- */

static qala_status tr_log_ct(double *x, size_t stride, size_t n, double min, double max,
                             const qala_treat_spec *spec)
{
    (void)spec;
    double a = 0.01 * (max - min);
    for (size_t i = 0; i < n; i++)
        if (!isnan(X(i)))
            X(i) = log(X(i) - min + a);
    return QALA_OK;
}

static qala_status tr_log_plus1(double *x, size_t stride, size_t n, double min, double max,
                                const qala_treat_spec *spec)
{
    (void)max, (void)spec;
    for (size_t i = 0; i < n; i++)
        if (!isnan(X(i)))
            X(i) = log(X(i) - min + 1);
    return QALA_OK;
}

static qala_status tr_boxcox(double *x, size_t stride, size_t n, double min, double max,
                             const qala_treat_spec *spec)
{
    (void)max;
    double lambda = spec->lambda;
    for (size_t i = 0; i < n; i++)
        if (!isnan(X(i))) {
            double v = X(i) - min + 1;
            X(i) = lambda == 0 ? log(v) : (pow(v, lambda) - 1) / lambda;
        }
    return QALA_OK;
}

static qala_status tr_log(double *x, size_t stride, size_t n, double min, double max,
                          const qala_treat_spec *spec)
{
    (void)max, (void)spec;
    if (min <= 0)
        return qala_err__set(QALA_EDATA, "treat: log of a column with a value <= 0 (%g)", min);
    for (size_t i = 0; i < n; i++)
        if (!isnan(X(i)))
            X(i) = log(X(i));
    return QALA_OK;
}

static const qala_treat_transform_info transforms[QALA_TREAT_TRANSFORM_COUNT] = {
    {"log_ct", QALA_TREAT_LOG_CT, tr_log_ct, 0, "CTlog"},
    {"log_plus1", QALA_TREAT_LOG_PLUS1, tr_log_plus1, 0, NULL},
    {"boxcox", QALA_TREAT_BOXCOX, tr_boxcox, QALA_TREAT_PARAMS, "boxcox"},
    {"log", QALA_TREAT_LOG, tr_log, 0, "log"},
    {"none", QALA_TREAT_TRANSFORM_NONE, NULL, 0, "None"},
};

const qala_treat_transform_info *qala_treat_transforms(size_t *count)
{
    if (count)
        *count = QALA_TREAT_TRANSFORM_COUNT;
    return transforms;
}

const char *qala_treat_transform_code(qala_treat_transform t)
{
    return (unsigned)t < QALA_TREAT_TRANSFORM_COUNT ? transforms[t].name : "?";
}

qala_status qala_treat_transform_parse(qala_treat_transform *out, const char *text)
{
    for (size_t i = 0; text && i < QALA_TREAT_TRANSFORM_COUNT; i++)
        if (strcmp(text, transforms[i].name) == 0 ||
            (transforms[i].coinr && strcmp(text, transforms[i].coinr) == 0)) {
            *out = transforms[i].transform;
            return QALA_OK;
        }
    return qala_err__set(QALA_EINVAL,
                         "treat: unknown transform '%s' (expected log_ct, log_plus1, boxcox, log "
                         "or none)",
                         text ? text : "(null)");
}

/* ---- winsorising ---- */

/* One step on y[0..m): every value equal to the extreme (the maximum when high, else the
 * minimum) takes the next value inward; mark[k] records the side. QALA_EDATA when that
 * would leave fewer than two distinct values. */
static qala_status win_step(double *y, uint8_t *mark, size_t m, int high)
{
    double ext = y[0];
    for (size_t k = 1; k < m; k++)
        ext = high ? fmax(ext, y[k]) : fmin(ext, y[k]);
    double next = NAN, beyond = NAN; /* the next value inward, and any value past it */
    for (size_t k = 0; k < m; k++)
        if (y[k] != ext && (isnan(next) || (high ? y[k] > next : y[k] < next)))
            next = y[k];
    for (size_t k = 0; k < m && isnan(beyond); k++)
        if (y[k] != ext && y[k] != next)
            beyond = y[k];
    if (isnan(beyond))
        return qala_err__set(QALA_EDATA, "treat: winsorising further would leave fewer than two "
                                         "distinct values (use a lower winmax or a transform)");
    for (size_t k = 0; k < m; k++)
        if (y[k] == ext) {
            y[k] = next;
            mark[k] = high ? QALA_TREAT_FLAG_WIN_HIGH : QALA_TREAT_FLAG_WIN_LOW;
        }
    return QALA_OK;
}

static qala_status check_spec(const qala_treat_spec *spec)
{
    if (!spec)
        return qala_err__set(QALA_EINVAL, "treat: spec must not be NULL");
    if (!(spec->skew_limit >= 0) || !(spec->kurt_limit >= 0) || isinf(spec->skew_limit))
        return qala_err__set(QALA_EINVAL,
                             "treat: skew_limit must be finite and >= 0 and kurt_limit >= 0 "
                             "(got %g and %g)",
                             spec->skew_limit, spec->kurt_limit);
    if ((unsigned)spec->transform >= QALA_TREAT_TRANSFORM_COUNT)
        return qala_err__set(QALA_EINVAL, "treat: transform %d is not a qala_treat_transform",
                             (int)spec->transform);
    if (spec->transform == QALA_TREAT_BOXCOX && !isfinite(spec->lambda))
        return qala_err__set(QALA_EINVAL, "treat: Box-Cox lambda must be finite");
    return QALA_OK;
}

qala_status qala_treat(uint8_t *flags, qala_treat_report *report, double *x, size_t stride,
                       size_t n, const qala_treat_spec *spec)
{
    qala_treat_report r = {QALA_TREAT_UNTREATED, 0, 0, 0, 0, NAN, NAN, NAN, NAN};
    if (report)
        *report = r;
    qala_status st = check_spec(spec);
    if (st != QALA_OK)
        return st;
    if (n > 0 && !x)
        return qala_err__set(QALA_EINVAL, "treat: x must not be NULL when n > 0");
    if (stride == 0)
        return qala_err__set(QALA_EINVAL, "treat: stride must be at least 1");

    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(X(i));
    /* y: the observed values in cell order; mark: their flags */
    double *y = qala_mem__calloc(m, sizeof *y + 1);
    if (!y)
        return qala_err__set(QALA_ENOMEM, "treat: out of memory (%zu values)", m);
    uint8_t *mark = (uint8_t *)(y + m);
    double min = INFINITY, max = -INFINITY;
    for (size_t i = 0, k = 0; i < n; i++)
        if (!isnan(X(i))) {
            y[k++] = X(i);
            min = fmin(min, X(i));
            max = fmax(max, X(i));
        }

    skew_kurt(&r.skew0, &r.kurt0, y, m);
    double sk = r.skew0, ku = r.kurt0;
    int high0 = sk > 0; /* COINr winchange = FALSE: sk > 0 high, else low */
    while (fails(sk, ku, spec) && r.steps < spec->winmax) {
        int high = spec->fixed_direction ? high0 : sk >= 0;
        if ((st = win_step(y, mark, m, high)) != QALA_OK)
            goto done;
        r.steps++;
        skew_kurt(&sk, &ku, y, m);
    }

    if (!fails(sk, ku, spec)) {
        r.outcome = r.steps ? QALA_TREAT_WINSORISED : QALA_TREAT_UNTREATED;
        for (size_t i = 0, k = 0; i < n; i++) {
            uint8_t fl = QALA_TREAT_FLAG_NONE;
            if (!isnan(X(i))) {
                fl = mark[k];
                X(i) = y[k++];
                r.n_high += fl == QALA_TREAT_FLAG_WIN_HIGH;
                r.n_low += fl == QALA_TREAT_FLAG_WIN_LOW;
            }
            if (flags)
                flags[i] = fl;
        }
        r.skew = sk;
        r.kurt = ku;
    } else {
        /* still failing after winmax steps: the original column is transformed */
        const qala_treat_transform_info *t = &transforms[spec->transform];
        if (t->fn && t->fn(x, stride, n, min, max, spec) == QALA_OK) {
            r.outcome = QALA_TREAT_TRANSFORMED;
            r.n_transformed = m;
        } else {
            r.outcome = QALA_TREAT_FAILED;
        }
        for (size_t i = 0; flags && i < n; i++)
            flags[i] = r.outcome == QALA_TREAT_TRANSFORMED && !isnan(X(i))
                           ? QALA_TREAT_FLAG_TRANSFORM
                           : QALA_TREAT_FLAG_NONE;
        for (size_t i = 0, k = 0; i < n; i++)
            if (!isnan(X(i)))
                y[k++] = X(i);
        skew_kurt(&r.skew, &r.kurt, y, m);
    }
    if (report)
        *report = r;
done:
    qala_mem__free(y);
    return st;
}

size_t qala_treat_describe(char *buf, size_t cap, const qala_treat_report *report,
                           const qala_treat_spec *spec)
{
    char tmp[96];
    const char *text = tmp;
    switch (report->outcome) {
    case QALA_TREAT_UNTREATED:
        text = "None";
        break;
    case QALA_TREAT_WINSORISED:
        snprintf(tmp, sizeof tmp, "Winsorised %zu points", report->steps);
        break;
    case QALA_TREAT_TRANSFORMED:
        switch (spec->transform) {
        case QALA_TREAT_LOG_CT:
            text = "CTLog (exceeded winmax)";
            break;
        case QALA_TREAT_LOG_PLUS1:
            text = "Log+1 (exceeded winmax)";
            break;
        case QALA_TREAT_BOXCOX:
            snprintf(tmp, sizeof tmp, "Box Cox with lambda = %.15g (exceeded winmax)",
                     spec->lambda);
            break;
        default:
            text = "Log (exceeded winmax)";
            break;
        }
        break;
    default:
        text = spec->transform == QALA_TREAT_LOG ? "None: exceeded winmax but log error"
                                                 : "None (exceeded winmax)";
        break;
    }
    return (size_t)snprintf(buf, cap, "%s", text);
}
