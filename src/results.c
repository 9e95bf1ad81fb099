/* src/results.c — the monitor's and the index's defaults applied to a store, for the
 * server's API (src/server/) and the XLSX export (src/xlsx_export.c).
 *
 * The choices are those of the CLI (cli/cmd_monitor.c, cli/cmd_index.c), which keeps
 * its own copy because the tool may use only the public API: the monitor's period is
 * the latest one well covered by observations of thresholded indicators; an index
 * covers the regions and cities alive in its periods (or those of a kind, a group, a
 * region at the end of the last period) over the latest period well covered by its
 * indicators. Workload: one index run per call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results_internal.h"
#include "util/internal.h"

#define DEFAULT_SPEC "city-development"

static qala_date day_after(qala_period p)
{
    int y = qala_period_year(p), sub = p % 100;
    int month = sub == 0 ? 13 : sub > 20 ? (sub - 20) * 3 + 1 : sub + 1;
    return month > 12 ? (y + 1) * 10000 + 101 : y * 10000 + month * 100 + 1;
}

qala_date qala_results__last_day(qala_period p)
{
    qala_date d = day_after(p);
    int y = d / 10000, m = d / 100 % 100;
    static const int days[] = {31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m > 1) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        return y * 10000 + (m - 1) * 100 + (m == 3 && leap ? 29 : days[m - 1]);
    }
    return (y - 1) * 10000 + 1231;
}

int qala_results__alive_during(const qala_registry *reg, size_t u, qala_period p)
{
    const qala_unit *unit = qala_registry_unit(reg, u);
    return unit->valid_from < day_after(p) && unit->valid_to > qala_period_start(p);
}

qala_period qala_results__monitor_period(const qala_dataset *ds, const qala_thresholds *th,
                                         const qala_framework *fw)
{
    size_t n = qala_dataset_size(ds), nth = qala_thresholds_count(th), nind = qala_dataset_indicator_count(ds);
    const uint32_t *ind = qala_dataset_indicators(ds);
    const qala_period *per = qala_dataset_periods(ds);
    unsigned char *has = qala_mem__calloc(nind + 1, 1);
    if (!has)
        return 0;
    for (size_t i = 0; i < nind; i++)
        for (size_t t = 0; t < nth && !has[i]; t++)
            has[i] = strcmp(qala_framework_get(fw, qala_thresholds_get(th, t)->indicator)->code,
                            qala_dataset_indicator_code(ds, (uint32_t)i)) == 0;
    qala_period periods[512], best = 0;
    size_t counts[512], np = 0, best_count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!has[ind[i]])
            continue;
        size_t k = 0;
        while (k < np && periods[k] != per[i])
            k++;
        if (k == np && np < 512) {
            periods[np] = per[i];
            counts[np++] = 0;
        }
        if (k < np)
            counts[k]++;
    }
    qala_mem__free(has);
    for (size_t k = 0; k < np; k++)
        if (counts[k] > best_count)
            best_count = counts[k];
    for (size_t k = 0; k < np; k++)
        if (counts[k] * 2 >= best_count && periods[k] > best)
            best = periods[k];
    return best;
}

qala_status qala_results__observations(qala_dataset **out, qala_store *store)
{
    *out = NULL;
    qala_dataset *ds = NULL;
    qala_status st = qala_dataset_new(&ds);
    if (st == QALA_OK && (st = qala_store_query_observations(store, NULL, ds)) == QALA_OK &&
        (st = qala_dataset_sort(ds)) == QALA_OK) {
        *out = ds;
        return QALA_OK;
    }
    qala_dataset_free(ds);
    return st;
}

void qala_results__index_free(qala_results_index *ix)
{
    qala_index_result_free(ix->res);
    qala_index_data_free(ix->data);
    qala_dataset_free(ix->ds);
    qala_index_spec_free(ix->spec);
    memset(ix, 0, sizeof *ix);
}

static qala_status load_spec(qala_results_index *ix, const qala_results_index_options *opt)
{
    const char *name = opt->spec ? opt->spec : DEFAULT_SPEC;
    qala_findings *f = NULL;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_index_spec_new(&ix->spec);
    if (st == QALA_OK)
        st = qala_index_spec_load_default(ix->spec, name, f);
    qala_findings_free(f);
    if (st == QALA_ENOTFOUND) {
        char known[512] = "";
        for (size_t i = 0; qala_index_spec_default_name(i); i++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
                     qala_index_spec_default_name(i));
        return qala_err__set(QALA_ENOTFOUND, "unknown spec '%s' (known: %s)", name, known);
    }
    if (st != QALA_OK)
        return st;
    if (opt->weights && (st = qala_index_spec_use_weights(ix->spec, opt->weights)) != QALA_OK) {
        if (st != QALA_ENOTFOUND)
            return st;
        char known[512] = "";
        for (size_t i = 0; qala_index_spec_weight_set(ix->spec, i); i++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
                     qala_index_spec_weight_set(ix->spec, i));
        return qala_err__set(QALA_ENOTFOUND, "unknown weight set '%s' (sets: %s)", opt->weights,
                             *known ? known : "none");
    }
    ix->tree = qala_index_spec_tree(ix->spec);
    return QALA_OK;
}

static qala_status load_data(qala_results_index *ix, qala_store *store)
{
    const char **codes = qala_mem__malloc((2 * ix->tree->nindicators + 1) * sizeof *codes);
    if (!codes)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < ix->tree->nindicators; i++) {
        codes[n++] = ix->tree->nodes[i].code;
        if (ix->tree->nodes[i].denominator)
            codes[n++] = ix->tree->nodes[i].denominator;
    }
    qala_store_query q = {0};
    q.indicators = codes;
    q.nindicators = n;
    qala_status st = qala_dataset_new(&ix->ds);
    if (st == QALA_OK)
        st = qala_store_query_observations(store, &q, ix->ds);
    qala_mem__free(codes);
    return st;
}

qala_status qala_results__index(qala_results_index *ix, qala_store *store, const qala_registry *reg,
                                const qala_results_index_options *opt)
{
    memset(ix, 0, sizeof *ix);
    const char **units = NULL;
    size_t group = 0;
    if (opt->group && qala_registry_find_group(reg, opt->group, &group) != QALA_OK)
        return qala_err__set(QALA_ENOTFOUND, "unknown group '%s'", opt->group);
    qala_status st = load_spec(ix, opt);
    if (st == QALA_OK)
        st = load_data(ix, store);
    if (st != QALA_OK)
        goto fail;
    ix->from = opt->from;
    ix->to = opt->to;
    if (!ix->from || !ix->to) {
        qala_period latest;
        if (qala_index_data_default_period(&latest, ix->ds, ix->tree) != QALA_OK) {
            if (!ix->from && !ix->to) {
                ix->no_data = 1;
                return QALA_OK;
            }
            latest = ix->from ? ix->from : ix->to;
        }
        if (!ix->from && !ix->to)
            ix->from = ix->to = latest;
        else if (!ix->to)
            ix->to = latest > ix->from ? latest : ix->from;
        else
            ix->from = ix->to;
    }
    if (ix->from > ix->to || qala_period_frequency(ix->from) != qala_period_frequency(ix->to)) {
        st = qala_err__set(QALA_EINVAL, "from must come before to, in the same frequency");
        goto fail;
    }
    qala_date start = qala_period_start(ix->from), end = day_after(ix->to), at = qala_results__last_day(ix->to);
    size_t nreg = qala_registry_unit_count(reg), n = 0;
    if (!(units = qala_mem__malloc((nreg + 1) * sizeof *units))) {
        st = qala_err__set(QALA_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t u = 0; u < nreg; u++) {
        const qala_unit *unit = qala_registry_unit(reg, u);
        size_t r;
        if (!(unit->valid_from < end && unit->valid_to > start))
            continue;
        if (opt->has_kind ? unit->kind != opt->kind : unit->kind == QALA_UNIT_COUNTRY)
            continue;
        if (opt->group && !qala_registry_in_group_at(reg, group, u, at))
            continue;
        if (opt->region != SIZE_MAX &&
            (u == opt->region || qala_registry_region_at(reg, u, at, &r) != QALA_OK || r != opt->region))
            continue;
        units[n++] = unit->code;
    }
    qala_index_data_options dopt = QALA_INDEX_DATA_OPTIONS_INIT;
    dopt.from = ix->from;
    dopt.to = ix->to;
    dopt.units = units;
    dopt.nunits = n;
    if ((st = qala_index_data_build(&ix->data, ix->ds, ix->tree, reg, &dopt)) != QALA_OK)
        goto fail;
    qala_mem__free(units);
    units = NULL;
    const qala_index_input *in = qala_index_data_input(ix->data);
    size_t observed = 0;
    for (size_t u = 0; u < in->nunits; u++)
        observed += qala_index_data_unit_observations(ix->data, u);
    if (observed == 0) {
        ix->no_data = 1;
        return QALA_OK;
    }
    if ((st = qala_index_run(&ix->res, ix->tree, in)) != QALA_OK)
        goto fail;
    return QALA_OK;
fail:
    qala_mem__free(units);
    qala_results__index_free(ix);
    return st;
}
