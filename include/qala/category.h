/* qala/category.h — the monotown early-warning category: a transparent rule set, as
 * data, in the spirit of Russia's monotown categories (decree 709 of 2014: 1 = the most
 * difficult socio-economic situation, 2 = at risk, 3 = stable).
 *
 * A rule file (docs/categories.md) has three kinds of rows:
 * - eligibility: which units are monotowns at all — membership of a group (the source
 *   document's monocities), or a condition such as "employment at the city-forming
 *   enterprise(s) >= 20% of the town's employment" (Kazakhstan's and Russia's rule);
 * - category 1 and category 2 triggers: conditions on an indicator's transformed value
 *   (the transforms of qala/threshold.h: level, ratio to national, change over k, ...)
 *   with an operator (>=, >, <=, <) and a value, or on the number of the unit's breaches
 *   in a threshold set's crisis or warning zone;
 * each with a description, a source and a confidence mark.
 * An eligible unit is in category 1 when any category-1 trigger fires, else 2 when any
 * category-2 trigger fires, else 3 when at least one trigger could be evaluated, else
 * "no data" (0): a unit without figures is not declared stable. A rule set without any
 * eligibility row makes every unit eligible. The rules that fired are listed with each
 * result.
 * Pointers returned are borrowed, valid until the rule collection is changed or freed.
 */
#ifndef QALA_CATEGORY_H
#define QALA_CATEGORY_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"
#include "qala/dataset.h"
#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/registry.h"
#include "qala/threshold.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_rule_kind {
    QALA_RULE_ELIGIBILITY = 0,
    QALA_RULE_CATEGORY_1 = 1,
    QALA_RULE_CATEGORY_2 = 2
} qala_rule_kind;

typedef enum qala_rule_subject {
    QALA_RULE_INDICATOR = 0,      /* the transformed value of an indicator */
    QALA_RULE_GROUP = 1,          /* membership of a group (eligibility) */
    QALA_RULE_CRISIS_BREACHES = 2, /* number of thresholds of a set in the crisis zone */
    QALA_RULE_BREACHES = 3        /* number in the warning or crisis zone */
} qala_rule_subject;

typedef enum qala_rule_operator {
    QALA_OP_GE = 0, /* >= */
    QALA_OP_GT = 1, /* > */
    QALA_OP_LE = 2, /* <= */
    QALA_OP_LT = 3  /* < */
} qala_rule_operator;

typedef struct qala_rule {
    const char *id;           /* short stable name, e.g. "unemployment-2x" */
    qala_rule_kind kind;
    qala_rule_subject subject;
    size_t indicator;         /* framework index (QALA_RULE_INDICATOR) */
    qala_transform transform;
    int k;
    size_t denominator;       /* framework index for per_denominator; SIZE_MAX otherwise */
    double scale;
    const char *group;        /* group code: the group of QALA_RULE_GROUP, or the group whose
                                 median is the reference of transform ratio_group_median;
                                 "" otherwise */
    const char *set;          /* threshold set (breach counts); "" = every loaded set (and ""
                                 for the other subjects) */
    qala_rule_operator op;
    double value;
    const char *description;
    const char *source;
    qala_confidence confidence;
    long line;
} qala_rule;

typedef struct qala_category_rules qala_category_rules;

qala_status qala_category_rules_new(qala_category_rules **out);
void qala_category_rules_free(qala_category_rules *rules);
/* Reads a rule file (docs/categories.md); QALA_EDATA with findings (label:line:column) and
 * nothing added on any error. */
qala_status qala_category_rules_load_csv(qala_category_rules *rules, const char *text, size_t len,
                                         const char *label, const qala_framework *fw,
                                         const qala_registry *reg, qala_findings *findings);
/* The default rule set embedded in the library (data/categories/monotown.csv). */
qala_status qala_category_rules_load_default(qala_category_rules *rules, const qala_framework *fw,
                                             const qala_registry *reg, qala_findings *findings);
size_t qala_category_rules_count(const qala_category_rules *rules);
const qala_rule *qala_category_rules_get(const qala_category_rules *rules, size_t i);

typedef struct qala_category_result {
    size_t n;                 /* one row per unit of the dataset (the national unit excluded) */
    uint32_t *unit;           /* dataset unit id */
    uint8_t *eligible;        /* 1 when some eligibility rule fired (or the rules have none) */
    uint8_t *category;        /* 1, 2, 3, or 0: not eligible, or no trigger could be evaluated */
    uint8_t *evaluated;       /* number of triggers that could be evaluated (saturating at 255) */
    /* the rules that fired for unit row i: fired[fired_start[i] .. fired_start[i + 1]) are
     * rule indices in increasing order: every rule whose condition held, eligibility rules
     * included, also for a unit that is not eligible (its triggers are still evaluated) */
    size_t *fired_start;      /* n + 1 entries */
    uint32_t *fired;
} qala_category_result;

/* Evaluates the rules for period (a period of the dataset's frequency; group membership
 * at its start). Indicator conditions are evaluated by the monitor (qala/monitor.h) in
 * single-period mode, each as a one-sided threshold whose boundary is the rule's value;
 * breach counts evaluate `thresholds` (the rule's set, or all) for that period, and a
 * unit without any threshold with data has no count. thresholds may be NULL when no rule
 * counts breaches. The dataset must be sorted (qala_dataset_sort). Rows: every dataset
 * unit in id order except the national unit (the registry's country). QALA_EINVAL for
 * bad arguments (NULL, an invalid period, a rule whose indicator or group is not in fw or
 * reg, an unsorted dataset); QALA_ENOMEM. */
qala_status qala_category_evaluate(qala_category_result **out, const qala_dataset *ds,
                                   const qala_category_rules *rules, const qala_thresholds *thresholds,
                                   const qala_framework *fw, const qala_registry *reg,
                                   qala_period period);
void qala_category_result_free(qala_category_result *r);

#ifdef __cplusplus
}
#endif
#endif
