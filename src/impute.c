/* impute.c — the imputation stage of the composite-index engine (denominated →
 * imputed): missing cells of one indicator column, or of one unit's series over periods,
 * filled from the observed cells, each filled cell marked with the method that filled it.
 *
 * Place in the pipeline: after denomination (denominate.c), before outlier treatment
 * (treat.c). The caller passes one column (all units, one indicator, one period) to the
 * cross-sectional methods, and one unit's series (one indicator, all periods in order)
 * to the panel methods; it may run a panel method first and a group method after it on
 * what is still missing, the flags keeping both marks.
 *
 * Invariants: an observed cell (not NAN) is never written, neither in x nor in flags;
 * every cell written in x gets flags[i] = the method; the arguments are checked before
 * anything is written, so an error leaves x and flags unchanged. Means are taken as R
 * takes them (a long double sum divided by the count, then corrected by the mean of the
 * residuals), so that group means agree with COINr's to the last bits.
 *
 * Workload: columns of tens to thousands of units; mean, latest, nearest and linear are
 * one or two passes with no allocation, the medians sort one scratch copy per call.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "qala/impute.h"
#include "util/internal.h"

#define X(i) x[(size_t)(i) * stride]

static void mark(uint8_t *flags, size_t i, qala_impute_method m)
{
    if (flags)
        flags[i] = (uint8_t)m;
}

/* ---- cross-sectional methods ---- */

static qala_status impute_none(uint8_t *flags, qala_impute_report *report, double *x,
                               size_t stride, size_t n, const qala_impute_spec *spec)
{
    (void)flags, (void)report, (void)x, (void)stride, (void)n, (void)spec;
    return QALA_OK;
}

/* Fills every missing cell with v (nothing when v is NAN). */
static void fill_all(uint8_t *flags, qala_impute_report *report, double *x, size_t stride,
                     size_t n, double v, qala_impute_method m)
{
    if (isnan(v))
        return;
    for (size_t i = 0; i < n; i++)
        if (isnan(X(i))) {
            X(i) = v;
            mark(flags, i, m);
            report->n_filled++;
        }
}

static qala_status impute_mean(uint8_t *flags, qala_impute_report *report, double *x,
                               size_t stride, size_t n, const qala_impute_spec *spec)
{
    long double sum = 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(X(i))) {
            sum += X(i);
            count++;
        }
    if (count == 0)
        return QALA_OK;
    long double mean = sum / count, resid = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(X(i)))
            resid += X(i) - mean;
    fill_all(flags, report, x, stride, n, (double)(mean + resid / count), spec->method);
    return QALA_OK;
}

static size_t count_observed(const double *x, size_t stride, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += !isnan(X(i));
    return count;
}

static qala_status impute_median(uint8_t *flags, qala_impute_report *report, double *x,
                                 size_t stride, size_t n, const qala_impute_spec *spec)
{
    size_t count = count_observed(x, stride, n);
    if (count == 0)
        return QALA_OK;
    double *v = qala_mem__calloc(count, sizeof *v);
    if (!v)
        return qala_err__set(QALA_ENOMEM, "impute: out of memory (median of %zu values)", count);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(X(i)))
            v[k++] = X(i);
    gsl_sort(v, 1, count);
    double med = gsl_stats_median_from_sorted_data(v, 1, count);
    qala_mem__free(v);
    fill_all(flags, report, x, stride, n, med, spec->method);
    return QALA_OK;
}

static qala_status impute_group_mean(uint8_t *flags, qala_impute_report *report, double *x,
                                     size_t stride, size_t n, const qala_impute_spec *spec)
{
    const uint32_t *g = spec->group;
    size_t ng = spec->ngroups;
    long double *sum = qala_mem__calloc(ng, 2 * sizeof *sum);
    size_t *count = qala_mem__calloc(ng, sizeof *count);
    if (!sum || !count) {
        qala_mem__free(sum);
        qala_mem__free(count);
        return qala_err__set(QALA_ENOMEM, "impute: out of memory (%zu groups)", ng);
    }
    long double *resid = sum + ng;
    for (size_t i = 0; i < n; i++)
        if (g[i] != QALA_IMPUTE_NO_GROUP && !isnan(X(i))) {
            sum[g[i]] += X(i);
            count[g[i]]++;
        }
    for (size_t j = 0; j < ng; j++)
        if (count[j])
            sum[j] /= count[j]; /* now the first estimate of the mean */
    for (size_t i = 0; i < n; i++)
        if (g[i] != QALA_IMPUTE_NO_GROUP && !isnan(X(i)))
            resid[g[i]] += X(i) - sum[g[i]];
    for (size_t i = 0; i < n; i++) {
        uint32_t j = g[i];
        if (j == QALA_IMPUTE_NO_GROUP || !isnan(X(i)) || count[j] == 0)
            continue;
        X(i) = (double)(sum[j] + resid[j] / count[j]);
        mark(flags, i, spec->method);
        report->n_filled++;
    }
    qala_mem__free(sum);
    qala_mem__free(count);
    return QALA_OK;
}

typedef struct group_value {
    uint32_t group;
    double value;
} group_value;

static int cmp_group_value(const void *a, const void *b)
{
    const group_value *p = a, *q = b;
    if (p->group != q->group)
        return p->group < q->group ? -1 : 1;
    return (p->value > q->value) - (p->value < q->value);
}

static qala_status impute_group_median(uint8_t *flags, qala_impute_report *report, double *x,
                                       size_t stride, size_t n, const qala_impute_spec *spec)
{
    const uint32_t *g = spec->group;
    size_t ng = spec->ngroups, count = count_observed(x, stride, n);
    group_value *gv = qala_mem__calloc(count, sizeof *gv);
    double *med = qala_mem__calloc(ng, sizeof *med);
    if (!gv || !med) {
        qala_mem__free(gv);
        qala_mem__free(med);
        return qala_err__set(QALA_ENOMEM, "impute: out of memory (medians of %zu groups)", ng);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (g[i] != QALA_IMPUTE_NO_GROUP && !isnan(X(i)))
            gv[k++] = (group_value){g[i], X(i)};
    qsort(gv, k, sizeof *gv, cmp_group_value);
    for (size_t j = 0; j < ng; j++)
        med[j] = NAN;
    for (size_t a = 0; a < k;) {
        size_t b = a;
        while (b < k && gv[b].group == gv[a].group)
            b++;
        size_t m = b - a, h = a + m / 2;
        med[gv[a].group] = m % 2 ? gv[h].value : (gv[h - 1].value + gv[h].value) / 2;
        a = b;
    }
    for (size_t i = 0; i < n; i++) {
        if (g[i] == QALA_IMPUTE_NO_GROUP || !isnan(X(i)) || isnan(med[g[i]]))
            continue;
        X(i) = med[g[i]];
        mark(flags, i, spec->method);
        report->n_filled++;
    }
    qala_mem__free(gv);
    qala_mem__free(med);
    return QALA_OK;
}

/* ---- panel methods: runs of missing cells between observations ---- */

static int within(size_t distance, size_t max_gap)
{
    return max_gap == 0 || distance <= max_gap;
}

/* Fills the run [a, b) of missing cells; p = the observation before it (SIZE_MAX: none),
 * q = the one after it (SIZE_MAX: none). */
static void fill_run(uint8_t *flags, qala_impute_report *report, double *x, size_t stride,
                     size_t a, size_t b, size_t p, size_t q, const qala_impute_spec *spec)
{
    const size_t none = SIZE_MAX, gap = spec->max_gap, len = b - a;
    qala_impute_method m = spec->method;
    for (size_t t = a; t < b; t++) {
        double v = NAN;
        switch (m) {
        case QALA_IMPUTE_LATEST:
            if (p != none && within(t - p, gap))
                v = X(p);
            break;
        case QALA_IMPUTE_NEAREST: {
            size_t dp = p != none ? t - p : SIZE_MAX, dq = q != none ? q - t : SIZE_MAX;
            if (dp <= dq && p != none && within(dp, gap))
                v = X(p);
            else if (dq < dp && within(dq, gap))
                v = X(q);
            break;
        }
        case QALA_IMPUTE_LINEAR:
        case QALA_IMPUTE_LINEAR_CONSTANT:
            if (!within(len, gap))
                break;
            if (p != none && q != none) {
                double y0 = X(p), y1 = X(q);
                v = y0 + (y1 - y0) * (double)(t - p) / (double)(q - p);
            } else if (m == QALA_IMPUTE_LINEAR_CONSTANT) {
                v = p != none ? X(p) : q != none ? X(q) : NAN;
            }
            break;
        default:
            break;
        }
        if (!isnan(v)) {
            X(t) = v;
            mark(flags, t, m);
            report->n_filled++;
        }
    }
}

static qala_status impute_panel(uint8_t *flags, qala_impute_report *report, double *x,
                                size_t stride, size_t n, const qala_impute_spec *spec)
{
    size_t last = SIZE_MAX; /* the latest observed cell */
    for (size_t t = 0; t < n;) {
        if (!isnan(X(t))) {
            last = t++;
            continue;
        }
        size_t b = t;
        while (b < n && isnan(X(b)))
            b++;
        fill_run(flags, report, x, stride, t, b, last, b < n ? b : SIZE_MAX, spec);
        t = b;
    }
    return QALA_OK;
}

/* ---- the table and the entry point ---- */

static const qala_impute_method_info methods[QALA_IMPUTE_METHOD_COUNT] = {
    {"none", QALA_IMPUTE_NONE, impute_none, 0, "none"},
    {"mean", QALA_IMPUTE_MEAN, impute_mean, 0, "ind_mean"},
    {"median", QALA_IMPUTE_MEDIAN, impute_median, 0, "ind_median"},
    {"group_mean", QALA_IMPUTE_GROUP_MEAN, impute_group_mean, QALA_IMPUTE_GROUPED, "indgroup_mean"},
    {"group_median", QALA_IMPUTE_GROUP_MEDIAN, impute_group_median, QALA_IMPUTE_GROUPED,
     "indgroup_median"},
    {"latest", QALA_IMPUTE_LATEST, impute_panel, QALA_IMPUTE_PANEL, "latest_year"},
    {"nearest", QALA_IMPUTE_NEAREST, impute_panel, QALA_IMPUTE_PANEL, NULL},
    {"linear", QALA_IMPUTE_LINEAR, impute_panel, QALA_IMPUTE_PANEL, NULL},
    {"linear_constant", QALA_IMPUTE_LINEAR_CONSTANT, impute_panel, QALA_IMPUTE_PANEL, NULL},
};

const qala_impute_method_info *qala_impute_methods(size_t *count)
{
    if (count)
        *count = QALA_IMPUTE_METHOD_COUNT;
    return methods;
}

const char *qala_impute_method_code(qala_impute_method method)
{
    return (unsigned)method < QALA_IMPUTE_METHOD_COUNT ? methods[method].name : "?";
}

qala_status qala_impute_method_parse(qala_impute_method *out, const char *text)
{
    for (size_t i = 0; text && i < QALA_IMPUTE_METHOD_COUNT; i++)
        if (strcmp(text, methods[i].name) == 0 ||
            (methods[i].coinr && strcmp(text, methods[i].coinr) == 0)) {
            *out = methods[i].method;
            return QALA_OK;
        }
    return qala_err__set(QALA_EINVAL,
                         "impute: unknown method '%s' (expected none, mean, median, group_mean, "
                         "group_median, latest, nearest, linear or linear_constant)",
                         text ? text : "(null)");
}

qala_status qala_impute(uint8_t *flags, qala_impute_report *report, double *x, size_t stride,
                        size_t n, const qala_impute_spec *spec)
{
    qala_impute_report r = {0, 0, 0};
    if (report)
        *report = r;
    if (!spec)
        return qala_err__set(QALA_EINVAL, "impute: spec must not be NULL");
    if ((unsigned)spec->method >= QALA_IMPUTE_METHOD_COUNT)
        return qala_err__set(QALA_EINVAL, "impute: method %d is not a qala_impute_method",
                             (int)spec->method);
    if (n > 0 && !x)
        return qala_err__set(QALA_EINVAL, "impute: x must not be NULL when n > 0");
    if (stride == 0)
        return qala_err__set(QALA_EINVAL, "impute: stride must be at least 1");
    const qala_impute_method_info *info = &methods[spec->method];
    if (info->flags & QALA_IMPUTE_GROUPED) {
        if (!spec->group || spec->ngroups == 0)
            return qala_err__set(QALA_EINVAL, "impute: %s needs a group per unit and ngroups >= 1",
                                 info->name);
        for (size_t i = 0; i < n; i++)
            if (spec->group[i] >= spec->ngroups && spec->group[i] != QALA_IMPUTE_NO_GROUP)
                return qala_err__set(QALA_EINVAL,
                                     "impute: group[%zu] = %u is not below ngroups = %u", i,
                                     (unsigned)spec->group[i], (unsigned)spec->ngroups);
    }
    for (size_t i = 0; i < n; i++)
        r.n_missing += isnan(X(i)) != 0;
    qala_status st = r.n_missing ? info->fn(flags, &r, x, stride, n, spec) : QALA_OK;
    if (st != QALA_OK)
        return st;
    r.n_left = r.n_missing - r.n_filled;
    if (report)
        *report = r;
    return QALA_OK;
}
