/* qala/classify.h — a typology of cities from data, set beside the official one.
 *
 * The source document groups Kazakhstan's cities into monocities, agglomeration cities
 * and smart cities (the registry's groups). This module lets the data speak too:
 *
 * 1. Rules: a rule file (docs/classify.md) assigns registry groups from indicator values,
 *    e.g. "monocity when cfe_employment_share_pct >= 20". Rows with the same rule id are
 *    ANDed; several rules for one group are ORed. Missing figures give "no data", never a
 *    "no": three-valued logic (a false condition decides an AND, a true rule decides an
 *    OR).
 * 2. Clustering on standardised indicator profiles: z-scores per indicator, k-means
 *    (Lloyd's algorithm, k-means++ seeding from a seeded mt19937, R restarts keeping the
 *    lowest within-cluster sum of squares) and Ward's hierarchical clustering
 *    (Lance-Williams on squared Euclidean distances, merge heights as scipy's linkage
 *    gives them), cut at k clusters.
 * 3. Comparison of two labelings: the cross-table, the adjusted Rand index (Hubert &
 *    Arabie 1985), and the map of each cluster to the label it overlaps most, from which
 *    the units where the data and the official groups disagree are read.
 *
 * Labels are size_t from 0; arrays of n units × d indicators are row-major (unit i's
 * profile is x[i*d .. i*d+d)). Pointers returned by getters are borrowed, valid until
 * their parent is changed or freed.
 */
#ifndef QALA_CLASSIFY_H
#define QALA_CLASSIFY_H

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

/* ---- rules --------------------------------------------------------------------- */

typedef enum qala_classify_op {
    QALA_CLASSIFY_GE = 0,     /* x >= value */
    QALA_CLASSIFY_GT = 1,     /* x > value */
    QALA_CLASSIFY_LE = 2,     /* x <= value */
    QALA_CLASSIFY_LT = 3,     /* x < value */
    QALA_CLASSIFY_BETWEEN = 4 /* value <= x <= upper */
} qala_classify_op;

/* One row of a rule file: a condition on an indicator's value in the period. */
typedef struct qala_classify_condition {
    const char *rule;        /* the rule id; consecutive rows with one id are ANDed */
    const char *group;       /* the registry group code the rule assigns */
    size_t indicator;        /* framework index */
    qala_classify_op op;
    double value, upper;     /* upper: BETWEEN only (NAN otherwise) */
    const char *description;
    const char *source;
    qala_confidence confidence;
    long line;
} qala_classify_condition;

typedef struct qala_classify_rules qala_classify_rules;

qala_status qala_classify_rules_new(qala_classify_rules **out);
void qala_classify_rules_free(qala_classify_rules *rules);
/* Reads a rule file (docs/classify.md). Every problem is a finding at
 * label:line:column; QALA_EDATA and nothing added when there is any error; QALA_ENOMEM. */
qala_status qala_classify_rules_load_csv(qala_classify_rules *rules, const char *text, size_t len,
                                         const char *label, const qala_framework *fw,
                                         const qala_registry *reg, qala_findings *findings);
/* The default typology rules embedded in the library (data/classify/typology.csv). */
qala_status qala_classify_rules_load_default(qala_classify_rules *rules, const qala_framework *fw,
                                             const qala_registry *reg, qala_findings *findings);
/* Conditions (rows), in file order. */
size_t qala_classify_rules_count(const qala_classify_rules *rules);
const qala_classify_condition *qala_classify_rules_get(const qala_classify_rules *rules, size_t i);
/* "<=", ">=", ..., "between". */
const char *qala_classify_op_code(qala_classify_op op);

/* The default period of a rule set: the latest period of the dataset in which the number
 * of units with a value of some rule indicator is at least half the best period's (the
 * same choice as qala_index_data_default_period). QALA_ENOTFOUND when there is none. */
qala_status qala_classify_rules_default_period(qala_period *out, const qala_dataset *ds,
                                               const qala_classify_rules *rules,
                                               const qala_framework *fw);

typedef enum qala_classify_state {
    QALA_CLASSIFY_NO_DATA = 0, /* could not be decided: a figure is missing */
    QALA_CLASSIFY_NO = 1,
    QALA_CLASSIFY_YES = 2
} qala_classify_state;

typedef struct qala_classify_result {
    size_t nunits;       /* rows: the registry's cities (kind city), registry order */
    size_t ngroups;      /* columns: the groups named by the rules, first use order */
    size_t *unit;        /* registry index of each row */
    size_t *group;       /* registry group index of each column */
    uint8_t *official;   /* nunits × ngroups: 1 when a member at the date */
    uint8_t *data;       /* nunits × ngroups: a qala_classify_state */
    /* conditions that held for row i: held[held_start[i] .. held_start[i+1]) are
     * condition indices (rows of the rule file) of the rules that fired, in file order */
    size_t *held_start;  /* nunits + 1 */
    uint32_t *held;
} qala_classify_result;

/* Evaluates the rules for every city of the registry at period p: a condition reads the
 * unit's observation of its indicator in exactly that period (matched by unit code; a
 * missing or suppressed observation is no data); official membership is read at date
 * `at` (0: the start of the period). The dataset must be sorted (qala_dataset_sort).
 * QALA_EINVAL (NULL, a period that is not valid, rules loaded against another framework
 * or registry), QALA_ENOMEM. */
qala_status qala_classify_evaluate(qala_classify_result **out, const qala_dataset *ds,
                                   const qala_classify_rules *rules, const qala_framework *fw,
                                   const qala_registry *reg, qala_period p, qala_date at);
void qala_classify_result_free(qala_classify_result *r);

/* ---- clustering ------------------------------------------------------------------ */

/* z-scores per indicator over the complete rows: a row with any NAN is left out (keep[i]
 * = 0, its z row is NAN) and counted in *excluded; z = (x - mean) / sd with the sample sd
 * (n - 1) of the kept rows; an indicator with sd 0 (or a single kept row) gets z = 0 and
 * is counted in *constant (it then plays no part in any distance). z may alias x; keep
 * has n bytes; excluded and constant may be NULL. QALA_EINVAL when n or d is 0;
 * QALA_ENOMEM. */
qala_status qala_classify_standardise(double *z, uint8_t *keep, size_t *excluded, size_t *constant,
                                      const double *x, size_t n, size_t d);

typedef struct qala_kmeans_options {
    unsigned version;     /* 1 */
    size_t k;             /* clusters, 1 <= k <= n */
    unsigned restarts;    /* runs from new k-means++ seeds; the lowest WCSS is kept; >= 1 */
    unsigned max_iter;    /* Lloyd iterations per run, >= 1 */
    unsigned long seed;   /* of the mt19937 generator (GSL's gsl_rng_mt19937) */
} qala_kmeans_options;

#define QALA_KMEANS_OPTIONS_INIT {1, 2, 10, 100, 1}

typedef struct qala_kmeans_result {
    size_t n, d, k;
    size_t *label;        /* n: cluster of each row, renumbered by first appearance */
    double *center;       /* k × d, in label order */
    size_t *size;         /* k */
    double wcss;          /* within-cluster sum of squared distances of the kept run */
    unsigned iterations;  /* of the kept run */
    int converged;        /* the kept run stopped because no label changed */
    unsigned restart;     /* which run (0-based) was kept */
} qala_kmeans_result;

/* k-means of the n rows of x (no NAN). Deterministic for a seed. QALA_EINVAL (k = 0,
 * k > n, d = 0, restarts or max_iter 0, a NAN or infinite value, version), QALA_ENOMEM. */
qala_status qala_kmeans(qala_kmeans_result **out, const double *x, size_t n, size_t d,
                        const qala_kmeans_options *opt);
void qala_kmeans_result_free(qala_kmeans_result *r);

typedef struct qala_ward_merge {
    size_t a, b;     /* clusters merged: 0..n-1 are the rows, n+i the cluster of merge i;
                        a < b, as scipy.cluster.hierarchy.linkage writes them */
    double height;   /* Ward distance (scipy's): sqrt of the Lance-Williams update of
                        squared Euclidean distances */
    size_t size;     /* rows in the new cluster */
} qala_ward_merge;

typedef struct qala_ward_result {
    size_t n;
    qala_ward_merge *merge; /* n - 1 merges in order of height */
} qala_ward_result;

/* Ward's agglomerative clustering of the n >= 1 rows of x (no NAN); O(n²) memory,
 * O(n³) time (cities: hundreds of rows). Of equal distances the pair with the smaller
 * indices merges first. QALA_EINVAL, QALA_ENOMEM. */
qala_status qala_ward(qala_ward_result **out, const double *x, size_t n, size_t d);
void qala_ward_result_free(qala_ward_result *r);
/* Cuts the tree into k clusters (1 <= k <= n) by undoing the last k - 1 merges; labels
 * (n entries) numbered by first appearance. QALA_EINVAL. */
qala_status qala_ward_cut(size_t *label, const qala_ward_result *r, size_t k);

/* ---- comparison ------------------------------------------------------------------ */

typedef struct qala_crosstab {
    size_t ka, kb;     /* number of labels of a and b (max label + 1) */
    size_t n;
    size_t *count;     /* ka × kb: rows a, columns b */
} qala_crosstab;

/* Cross-table of two labelings of n units. QALA_EINVAL (n = 0), QALA_ENOMEM. */
qala_status qala_crosstab_new(qala_crosstab **out, const size_t *a, const size_t *b, size_t n);
void qala_crosstab_free(qala_crosstab *t);
/* Adjusted Rand index (Hubert & Arabie 1985) from the cross-table:
 * (Σ C(n_ij,2) - Σ C(a_i,2) Σ C(b_j,2) / C(n,2)) /
 * (½(Σ C(a_i,2) + Σ C(b_j,2)) - Σ C(a_i,2) Σ C(b_j,2) / C(n,2));
 * 1 when the denominator is 0 (both labelings trivial alike, as scikit-learn does). */
double qala_crosstab_ari(const qala_crosstab *t);
/* For each label of a, the label of b it overlaps most (ties: the smaller b): map has ka
 * entries. */
void qala_crosstab_map(size_t *map, const qala_crosstab *t);
/* ARI of two labelings directly. QALA_EINVAL, QALA_ENOMEM. */
qala_status qala_adjusted_rand(double *out, const size_t *a, const size_t *b, size_t n);

#ifdef __cplusplus
}
#endif
#endif
