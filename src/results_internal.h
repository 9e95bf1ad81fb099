/* src/results_internal.h — the analyses that the server's API and the XLSX export make
 * from a store with the same defaults as the CLI (`qala monitor`, `qala index`): the
 * default period, the units of an index, the index run and the monitor evaluation.
 * Never installed; the CLI has its own copies of these choices in cli/cmd_index.c and
 * cli/cmd_monitor.c (the tool uses only the public API).
 */
#ifndef QALA_RESULTS_INTERNAL_H
#define QALA_RESULTS_INTERNAL_H

#include "qala/qala.h"
#include "qala/index_data.h"

/* Whether registry unit u existed at some time during period p. */
int qala_results__alive_during(const qala_registry *reg, size_t u, qala_period p);
/* The last day of period p. */
qala_date qala_results__last_day(qala_period p);

/* The default period of monitoring: the latest one with at least half as many
 * observations of thresholded indicators as the best-covered one; 0 when none. */
qala_period qala_results__monitor_period(const qala_dataset *ds, const qala_thresholds *th,
                                         const qala_framework *fw);

typedef struct qala_results_index_options {
    const char *spec;       /* an embedded spec's name (default city-development) */
    const char *weights;    /* a weight set, or NULL */
    qala_period from, to;   /* both 0: the default period; from only: from .. the default */
    int has_kind;           /* else regions and cities */
    qala_unit_kind kind;
    const char *group;      /* registry group code, or NULL */
    size_t region;          /* registry unit, or SIZE_MAX */
} qala_results_index_options;

typedef struct qala_results_index {
    qala_index_spec *spec;
    const qala_index_tree *tree;
    qala_dataset *ds;
    qala_index_data *data;
    qala_index_result *res; /* NULL when there is no data to compute from (no_data set) */
    qala_period from, to;
    int no_data;
} qala_results_index;

/* Loads the spec and the stored observations of its columns, chooses the units and
 * periods as `qala index` does and runs the pipeline. No data at all is not an error
 * (no_data = 1, res NULL). QALA_ENOTFOUND (unknown spec, weight set or group: the
 * message lists the known ones), QALA_EINVAL (periods), QALA_EDATA (the spec has
 * errors), the pipeline's errors, QALA_ENOMEM. *out is zeroed first and on error. */
qala_status qala_results__index(qala_results_index *out, qala_store *store, const qala_registry *reg,
                                const qala_results_index_options *opt);
void qala_results__index_free(qala_results_index *ix);

/* Every stored observation, sorted, into a new dataset. */
qala_status qala_results__observations(qala_dataset **out, qala_store *store);

#endif
