/* qala/index_spec.h — the specification of a composite index, as data: the tree
 * (indicators → any number of aggregate levels → one index), weights, and every choice of
 * the pipeline (screen, denominate, impute, treat, normalise, aggregate), with global
 * defaults, per-level and per-node overrides and named weight sets.
 *
 * A spec is read from a JSON file (format: docs/index-spec.md) or built node by node,
 * then checked and resolved by qala_index_spec_finish: every node gets its own complete
 * settings (defaults, then its level's, then its own), its level and its place in the
 * tree. The result, qala_index_tree, is plain data: the pipeline (qala/index.h) reads
 * nothing else, so that a caller (the sensitivity analysis, say) may copy and change a
 * tree without going back to the file.
 *
 * Problems of the file are findings ("file: indicators[3] 'Goods': weight must be > 0,
 * got -1"), all reported in one pass: cycles, orphan indicators, an aggregate without
 * children, several roots, duplicate codes, weights <= 0, unknown methods and keys,
 * reversed goalposts, a missing target, bad parameters.
 */
#ifndef QALA_INDEX_SPEC_H
#define QALA_INDEX_SPEC_H

#include <stddef.h>

#include "qala/aggregate.h"
#include "qala/common.h"
#include "qala/findings.h"
#include "qala/impute.h"
#include "qala/normalise.h"
#include "qala/registry.h"
#include "qala/treat.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QALA_INDEX_NONE SIZE_MAX /* no parent (the root), no node */

/* Settings of the whole pipeline that are not per node. */
typedef struct qala_index_settings {
    /* screen: a unit is kept when its share of non-missing indicators (over all periods)
     * is >= unit_availability; an indicator is kept when its share of non-missing units
     * is >= indicator_availability and its share of zeros among them is <= max_zero_share.
     * Defaults 0, 0, 1 (keep everything). */
    double unit_availability;
    double indicator_availability;
    double max_zero_share;
    /* impute: panel method first (latest, nearest, linear, linear_constant, none) over each
     * unit's series, then the cross-section method (mean, median, group_mean,
     * group_median, none) on what is left, period by period. Default none / none. */
    qala_impute_method panel_impute;
    size_t max_gap;                 /* of the panel method; 0 = no limit */
    qala_impute_method impute;
    char impute_group[64];          /* grouping for group methods (an input grouping's name) */
    /* normalise: parameters pooled over all periods (1, the default) or per period (0). */
    int pooled;
} qala_index_settings;

void qala_index_settings_init(qala_index_settings *s);

typedef enum qala_index_node_kind {
    QALA_INDEX_INDICATOR = 0,
    QALA_INDEX_AGGREGATE = 1
} qala_index_node_kind;

/* One node of a resolved tree. Strings are borrowed from the spec. */
typedef struct qala_index_node {
    const char *code;         /* unique in the tree; for an indicator, the data column's code */
    const char *name[3];      /* kk, ru, en; NULL when not given */
    qala_index_node_kind kind;
    size_t parent;            /* index of the parent node, QALA_INDEX_NONE for the root */
    int level;                /* 1 for indicators; an aggregate: 1 + the highest child level */
    double weight;            /* > 0, in the weight set in use */
    /* indicators only */
    int direction;                 /* +1 or -1 */
    const char *denominator;       /* data column divided by, or NULL */
    double denominator_scale;      /* 1 = plain ratio, 1000 = per thousand ... */
    int treat;                     /* 1: outlier treatment with treat_spec; 0: none */
    qala_treat_spec treat_spec;
    qala_normalise_spec normalise; /* method, parameters and transform (log, log10, cap) */
    const char *normalise_ref;     /* dist2ref: the reference unit's code (the pipeline sets
                                      normalise.ref to its row), else NULL */
    /* aggregates only */
    qala_agg_spec aggregate;       /* method, parameters, availability threshold */
} qala_index_node;

/* A resolved tree: indicators first (in file order), then aggregates by ascending level
 * (file order within a level), the root last. children of node i are the nodes whose
 * parent is i, in array order. */
typedef struct qala_index_tree {
    qala_index_settings settings;
    const qala_index_node *nodes;
    size_t nnodes;
    size_t nindicators;       /* nodes[0 .. nindicators) are the indicators */
    int nlevels;              /* the root's level */
} qala_index_tree;

/* Checks the invariants above (order, parents, levels, weights, methods) without
 * findings: QALA_EINVAL with a message naming the first broken node. */
qala_status qala_index_tree_check(const qala_index_tree *tree);

/* ---- the spec ---------------------------------------------------------------------- */

typedef struct qala_index_spec qala_index_spec;

qala_status qala_index_spec_new(qala_index_spec **out);
void qala_index_spec_free(qala_index_spec *spec);

/* Reads a JSON spec (docs/index-spec.md) and finishes it, replacing what the spec held.
 * text need not be NUL-terminated. file names the source in findings. QALA_EPARSE (not
 * JSON: the finding has the line and column), QALA_EDATA (the findings say what is
 * wrong), QALA_ELIMIT (over 4 MiB, or over 100,000 nodes: a finding says which),
 * QALA_ENOMEM; on any error the spec is left empty. Warnings (a level that does not
 * exist, an unused "ref") do not fail the load. */
qala_status qala_index_spec_load_json(qala_index_spec *spec, const char *text, size_t len,
                                      const char *file, qala_findings *findings);
/* The same from a file; QALA_EIO when it cannot be read. */
qala_status qala_index_spec_load_file(qala_index_spec *spec, const char *path,
                                      qala_findings *findings);
/* One of the specs embedded from data/index/: "city-development", "smart-city", "asem".
 * QALA_ENOTFOUND (listing the names) for another name. */
qala_status qala_index_spec_load_default(qala_index_spec *spec, const char *name,
                                         qala_findings *findings);
/* The names of the embedded specs, in order; NULL past the end. */
const char *qala_index_spec_default_name(size_t i);

/* Building by hand (tests, programs): set the identity and settings, add nodes with every
 * field filled (start from qala_index_node_init), then finish. Strings are copied. The
 * node's parent and level are ignored by add: parents are given by code. */
qala_status qala_index_spec_set_code(qala_index_spec *spec, const char *code);
qala_status qala_index_spec_set_settings(qala_index_spec *spec, const qala_index_settings *s);
/* Fills a node with the defaults: weight 1, direction +1, no denominator (scale 1),
 * treat on with QALA_TREAT_SPEC_DEFAULT, normalise minmax [0,100], aggregate arithmetic. */
void qala_index_node_init(qala_index_node *node, qala_index_node_kind kind, const char *code);
qala_status qala_index_spec_add_node(qala_index_spec *spec, const qala_index_node *node,
                                     const char *parent_code);
/* Checks the whole tree (findings as for a file; the nodes are named "nodes[i]") and
 * resolves it. QALA_EDATA when there were errors, QALA_ENOMEM; on error the spec is
 * emptied. */
qala_status qala_index_spec_finish(qala_index_spec *spec, qala_findings *findings);

/* A named weight set: weights of the nodes it names (the others keep their default
 * weight). Added before finish, or by the file's "weight_sets". */
qala_status qala_index_spec_add_weight(qala_index_spec *spec, const char *set,
                                       const char *node_code, double weight);
/* Switches the tree's weights to a set ("default" = the nodes' own weights), now if the
 * spec is finished and at finish otherwise. QALA_ENOTFOUND (listing the sets) for an
 * unknown name. */
qala_status qala_index_spec_use_weights(qala_index_spec *spec, const char *set);
/* Names of the weight sets, "default" first; NULL past the end. */
const char *qala_index_spec_weight_set(const qala_index_spec *spec, size_t i);

/* After a successful finish: the resolved tree (borrowed, valid until the spec changes);
 * NULL before. */
const qala_index_tree *qala_index_spec_tree(const qala_index_spec *spec);
const char *qala_index_spec_code(const qala_index_spec *spec);
/* The spec's name in a language (kk, ru, en; kk-latn reads kk), falling back to English,
 * then the code. */
const char *qala_index_spec_name(const qala_index_spec *spec, qala_lang lang);
/* Free text of the spec's "source" and "description" keys; "" when absent. */
const char *qala_index_spec_source(const qala_index_spec *spec);
const char *qala_index_spec_description(const qala_index_spec *spec);
/* The name of a level of aggregates (from the file's "levels"), in a language as above
 * with English as fallback; NULL when the level has no name. */
const char *qala_index_spec_level_name(const qala_index_spec *spec, int level, qala_lang lang);
/* After a successful finish: the index in the tree of the node with this code.
 * QALA_ENOTFOUND when there is none (or the spec is not finished). */
qala_status qala_index_spec_find(const qala_index_spec *spec, const char *code, size_t *index);

#ifdef __cplusplus
}
#endif
#endif
