/* qala/panel.h — one indicator's observations as a panel of units × periods, with the
 * population weights and the registry's groupings of the units: the input of the
 * inequality, convergence, trends and comparison analyses (qala/dynamics.h).
 *
 *   store ─► dataset ─► qala_panel_build ─► qala_panel ─► qala_*_report_compute
 *
 * Units: the registry units of the chosen set (opt->units: by default the first-level
 * units, i.e. the regions and the cities of republican significance, the country's
 * partition) that were alive at some time in the periods, members of one of opt->groups
 * at `at` (when given) and inside opt->region at `at` (when given), in registry order.
 * A unit is "alive in period p" when its validity overlaps p (the 2022 regions, created
 * on 8 June 2022, are alive in 2022); a cell of a unit not alive in p is absent: it is
 * not counted as missing anywhere.
 * Periods: from..to, every period of that frequency (a regular series), or when both are
 * 0 the range from the first to the last period in which a chosen unit has an
 * observation of the indicator (of the frequency of the latest such observation).
 * Values: NAN where nothing (or a suppressed cell) was observed. Weights: the values of
 * the weight indicator in the same cells, NAN where missing; NULL without one.
 * Groupings (qala_panel_grouping_make) at `at` (default: the last day of `to`).
 *
 * Work: one pass over the dataset's observations, O(units · groups) for the filters.
 * Memory: 2 doubles and one byte per cell.
 */
#ifndef QALA_PANEL_H
#define QALA_PANEL_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"
#include "qala/dataset.h"
#include "qala/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which registry units form the panel. */
typedef enum qala_panel_units {
    QALA_PANEL_FIRST_LEVEL = 0, /* children of the country: regions and the cities of
                                 * republican significance (Astana, Almaty, Shymkent) */
    QALA_PANEL_REGIONS = 1,     /* units of kind region */
    QALA_PANEL_CITIES = 2,      /* units of kind city (republican ones included) */
    QALA_PANEL_ALL = 3          /* regions and cities */
} qala_panel_units;

/* "first-level", "region", "city", "all"; "?" outside the enum. */
const char *qala_panel_units_code(qala_panel_units units);
/* Accepts the codes above; QALA_EINVAL listing them otherwise. */
qala_status qala_panel_units_parse(qala_panel_units *out, const char *text);

typedef struct qala_panel_options {
    unsigned version;             /* 1 */
    const char *indicator;        /* required: the indicator's code */
    const char *weights;          /* the weight indicator's code (population), or NULL */
    qala_period from, to;         /* both 0: every period with data (see above) */
    qala_panel_units units;
    const char *const *groups;    /* keep members (at `at`) of any of these registry group */
    size_t ngroups;               /*   codes; ngroups 0: no group filter */
    const char *region;           /* keep units inside this first-level unit's code (not the
                                   * unit itself), or NULL */
    qala_date at;                 /* date of the filters and groupings; 0: last day of `to` */
} qala_panel_options;

#define QALA_PANEL_OPTIONS_INIT {1, NULL, NULL, 0, 0, QALA_PANEL_FIRST_LEVEL, NULL, 0, NULL, 0}

/* The panel: plain arrays owned by the panel (free with qala_panel_free). */
typedef struct qala_panel {
    size_t nunits, nperiods;
    const char **unit_codes;  /* nunits registry codes */
    size_t *reg_units;        /* nunits registry indices */
    qala_period *periods;     /* nperiods, ascending, regular */
    double *values;           /* nperiods · nunits, period-major: values[p·nunits + u] */
    double *weights;          /* the same layout, or NULL without a weight indicator */
    unsigned char *alive;     /* the same layout: 1 when unit u existed during period p */
    size_t n_observed;        /* cells of alive units with a value */
    qala_date at;             /* the date of the filters and groupings */
} qala_panel;

/* Builds the panel of opt->indicator from ds (one observation per key, as the store
 * gives them; of duplicates the last counts) and the registry. Errors: QALA_EINVAL (no
 * indicator; from > to, only one of them 0, different frequencies, more than 10,000
 * periods; a units value outside the enum), QALA_ENOTFOUND (an unknown group or region
 * code: the message names it), QALA_ENOMEM. No observation at all with from = to = 0 is
 * a result: a panel with 0 periods. *out is NULL on error. */
qala_status qala_panel_build(qala_panel **out, const qala_dataset *ds, const qala_registry *reg,
                             const qala_panel_options *opt);
void qala_panel_free(qala_panel *panel);

/* The period index of p in the panel, or SIZE_MAX. */
size_t qala_panel_period_index(const qala_panel *panel, qala_period p);
/* How many alive units have a value in period index p. */
size_t qala_panel_observed(const qala_panel *panel, size_t p);
/* The default period of a cross-section: the latest period in which at least half as
 * many units have a value as in the best-covered period. SIZE_MAX when none has. */
size_t qala_panel_default_period(const qala_panel *panel);

/* A partition of the panel's units into groups. group[u] is the unit's group id (<
 * ngroups) or QALA_PANEL_NO_GROUP (a unit in none: left out of a decomposition). */
#define QALA_PANEL_NO_GROUP UINT32_MAX
typedef struct qala_panel_grouping {
    size_t nunits;       /* the panel's */
    size_t ngroups;
    const char **codes;  /* ngroups: registry unit codes (region), group codes, or
                          * "region", "city", "other", or "OUTER/INNER" for a nested one */
    uint32_t *group;     /* nunits */
    uint32_t *outer_of;  /* nested groupings only (else NULL): each group's outer group */
    size_t nouter;       /* nested only: the number of outer groups */
} qala_panel_grouping;

/* The grouping named spec, at panel->at:
 *   "region"  the first-level unit the unit lies in (a first-level unit is its own);
 *   "kind"    "region" or "city" (for first-level units: oblystar against the cities
 *             of republican significance);
 *   "type"    the first registry group (registry order: monocity, agglomeration,
 *             smart_city) the unit belongs to, "other" for a unit in none;
 *   G         a registry group code: "G" for members, "other" for the rest;
 *   G1,G2,... the first of these groups the unit belongs to, "other" for the rest.
 * Every group of the list is present (ids in that order); groups without any panel
 * unit are kept, so that ids are stable. QALA_ENOTFOUND for an unknown name (the
 * message lists the names and suggests close ones), QALA_ENOMEM. */
qala_status qala_panel_grouping_make(qala_panel_grouping **out, const qala_panel *panel,
                                     const qala_registry *reg, const char *spec);
/* Two-stage nesting of `inner` inside `outer`: the groups of the result are the
 * (outer, inner) pairs that hold at least one unit, coded "OUTER/INNER" and ordered by
 * outer then inner group; outer_of gives each pair's outer group (nouter = outer's
 * ngroups). A unit in no group of either is in no group. QALA_EINVAL when the two are
 * not of the same panel (unit counts differ), QALA_ENOMEM. */
qala_status qala_panel_grouping_nest(qala_panel_grouping **out, const qala_panel_grouping *inner,
                                     const qala_panel_grouping *outer);
void qala_panel_grouping_free(qala_panel_grouping *g);

#ifdef __cplusplus
}
#endif
#endif
