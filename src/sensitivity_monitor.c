/* src/sensitivity_monitor.c — the monitoring factor of the uncertainty analysis: how often
 * each scoreboard row falls in the crisis (or warning) zone when the threshold boundaries
 * move by up to ± a fraction (qala/sensitivity.h).
 *
 * Place: after qala_monitor_evaluate (which gives each row's transformed value once); a
 * run only redraws the boundaries and reclassifies, so the cost is runs × rows calls of
 * qala_threshold_zone. The draw for (run, threshold) is a counter-based uniform: the
 * SplitMix64 finaliser (Steele, Lea and Flood 2014) of a key made of the seed, the run and
 * the threshold, so a run's draws depend on nothing but those three (any order, any
 * thread), and two seeds give unrelated streams (seed + 1 is not run + 1 of seed).
 */
#include <math.h>
#include <string.h>

#include "qala/sensitivity.h"
#include "util/internal.h"

static uint64_t splitmix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform on [0, 1) for (seed, run, threshold). */
static double draw(uint64_t seed, size_t run, size_t t)
{
    uint64_t k = splitmix64(splitmix64(splitmix64(seed) ^ (uint64_t)run) ^ (uint64_t)t);
    return (double)(k >> 11) * 0x1p-53;
}

qala_status qala_sens_monitor(qala_sens_monitor_result **out, const qala_monitor_result *board,
                              const qala_thresholds *thresholds,
                              const qala_sens_monitor_options *opt)
{
    if (!out)
        return qala_err__set(QALA_EINVAL, "qala_sens_monitor: no output");
    *out = NULL;
    if (!board || !thresholds || !opt)
        return qala_err__set(QALA_EINVAL, "qala_sens_monitor: NULL argument");
    if (opt->runs == 0)
        return qala_err__set(QALA_EINVAL, "monitoring sensitivity: the number of runs must be "
                                          "at least 1");
    if (!(opt->fraction >= 0 && opt->fraction < 1))
        return qala_err__set(QALA_EINVAL, "monitoring sensitivity: the fraction must be in "
                             "[0, 1), got %g", opt->fraction);
    size_t n = board->n, nt = qala_thresholds_count(thresholds);
    if (n > 0 && !board->transformed)
        return qala_err__set(QALA_EINVAL, "monitoring sensitivity: the scoreboard has no "
                             "transformed values (evaluate with QALA_MONITOR_VALUES)");
    for (size_t i = 0; i < n; i++)
        if (board->threshold[i] >= nt)
            return qala_err__set(QALA_EINVAL, "monitoring sensitivity: row %zu names "
                                 "threshold %u of %zu", i, (unsigned)board->threshold[i], nt);

    size_t bytes = sizeof(qala_sens_monitor_result) + 2 * n * sizeof(double) +
                   (nt ? nt : 1) * sizeof(double) + 2 * (n ? n : 1) * sizeof(size_t) + 64;
    char *block = qala_mem__calloc(1, bytes);
    if (!block)
        return qala_err__set(QALA_ENOMEM, "monitoring sensitivity: out of memory for %zu rows",
                             n);
    qala_sens_monitor_result *res = (qala_sens_monitor_result *)(void *)block;
    char *at = block + sizeof *res;
    at = (char *)(((uintptr_t)at + 15) & ~(uintptr_t)15);
    res->crisis_share = (double *)(void *)at;
    res->breach_share = res->crisis_share + n;
    double *factor = res->breach_share + n;
    size_t *crisis = (size_t *)(void *)(factor + (nt ? nt : 1));
    size_t *breach = crisis + (n ? n : 1);
    res->n = n;
    res->runs = opt->runs;
    res->fraction = opt->fraction;
    res->seed = opt->seed;

    for (size_t r = 0; r < opt->runs; r++) {
        for (size_t t = 0; t < nt; t++)
            factor[t] = 1 + opt->fraction * (2 * draw(opt->seed, r, t) - 1);
        for (size_t i = 0; i < n; i++) {
            double x = board->transformed[i];
            if (isnan(x))
                continue;
            qala_threshold th = *qala_thresholds_get(thresholds, board->threshold[i]);
            double f = factor[board->threshold[i]];
            th.warning *= f;
            th.crisis *= f;
            th.warning_high *= f; /* NAN stays NAN (one-sided) */
            th.crisis_high *= f;
            qala_zone z = qala_threshold_zone(&th, x);
            crisis[i] += z == QALA_ZONE_CRISIS;
            breach[i] += z == QALA_ZONE_CRISIS || z == QALA_ZONE_WARNING;
        }
    }
    for (size_t i = 0; i < n; i++) {
        int none = isnan(board->transformed[i]);
        res->crisis_share[i] = none ? NAN : (double)crisis[i] / (double)opt->runs;
        res->breach_share[i] = none ? NAN : (double)breach[i] / (double)opt->runs;
    }
    *out = res;
    return QALA_OK;
}

void qala_sens_monitor_free(qala_sens_monitor_result *res)
{
    qala_mem__free(res);
}
