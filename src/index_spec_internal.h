/* src/index_spec_internal.h — what the JSON reader of index specs (index_spec_json.c)
 * needs from the spec's storage (index_spec.c) beyond the public builder: nodes that
 * carry the JSON path findings name them by and a mask of the aggregation keys they set
 * themselves (so that a level's "aggregate" can fill the others at finish), per-level
 * overrides, the spec's texts, and a finish that reports into the reader's findings;
 * and the storage itself, shared by index_spec.c (building, weight sets, accessors) and
 * index_spec_check.c (checks and resolution).
 */
#ifndef QALA_INDEX_SPEC_INTERNAL_H
#define QALA_INDEX_SPEC_INTERNAL_H

#include <stddef.h>

#include "findings_internal.h"
#include "qala/index_spec.h"

/* Bits of an aggregation override: which fields of a qala_agg_spec were given. */
enum {
    QALA_SPEC_AGG_METHOD = 1u << 0,
    QALA_SPEC_AGG_AVAILABILITY = 1u << 1,
    QALA_SPEC_AGG_OFFSET = 1u << 2,
    QALA_SPEC_AGG_P = 1u << 3,
    QALA_SPEC_AGG_ALPHA = 1u << 4,
    QALA_SPEC_AGG_BETA = 1u << 5,
    QALA_SPEC_AGG_SD = 1u << 6,
    QALA_SPEC_AGG_ALL = (1u << 7) - 1
};

/* Limits of a spec (docs/index-spec.md). */
#define QALA_SPEC_MAX_BYTES ((size_t)4 << 20)  /* a JSON file */
#define QALA_SPEC_MAX_NODES ((size_t)100000)   /* indicators + aggregates */
#define QALA_SPEC_MAX_CODE 128                 /* bytes of a node or weight-set code */
#define QALA_SPEC_MAX_TEXT 65536               /* bytes of a name, source or description */

/* The storage (index_spec.c); index_spec_check.c checks and resolves it. */
typedef struct spec_node {
    qala_index_node n;       /* strings point into block; parent and level unused */
    const char *parent_code; /* NULL: no parent given */
    const char *path;        /* "indicators[3]", "nodes[0]" */
    unsigned agg_mask;       /* QALA_SPEC_AGG_* the node set itself */
    char *block;
} spec_node;

typedef struct spec_level {
    int level;
    const char *name[3];
    qala_agg_spec agg;
    unsigned mask;
    const char *path;
    char *block;
} spec_level;

typedef struct spec_weight {
    const char *set, *node, *path;
    double weight;
    char *block;
} spec_weight;

typedef struct named {
    const char *code;
    size_t idx;
} named;

struct qala_index_spec {
    char *code;
    char *texts; /* block holding name[], source, description */
    const char *name[3];
    const char *source, *description;
    qala_index_settings settings;
    spec_node *nodes;
    size_t nnodes, anodes;
    spec_level *levels;
    size_t nlevels, alevels;
    spec_weight *weights;
    size_t nweights, aweights;
    const char **sets; /* distinct set names (borrowed from weights[]), "default" excluded */
    size_t nsets, asets;
    const char *set_in_use; /* NULL = "default" */
    /* resolved by finish */
    int finished;
    qala_index_node *tree_nodes;
    size_t *pos;    /* spec node -> tree position */
    named *byname; /* nodes with a code, sorted by code (then index) */
    size_t nbyname;
    qala_index_tree tree;
};


/* Drops the resolved tree (any change to the spec does). */
void qala_index_spec__drop_resolved(qala_index_spec *spec);
/* The first node (in insertion order) with this code, through spec->byname, or
 * QALA_INDEX_NONE. */
size_t qala_index_spec__lookup(const qala_index_spec *spec, const char *code);
/* Sets the resolved tree's weights from the set in use. */
void qala_index_spec__apply_weights(qala_index_spec *spec);

/* Empties the spec (nodes, levels, weight sets, texts; settings back to defaults). */
void qala_index_spec__reset(qala_index_spec *spec);

/* Adds a node as qala_index_spec_add_node does. path ("indicators[3]") names it in
 * findings; agg_mask says which fields of node->aggregate the node set itself (the
 * others may come from its level's override). QALA_ENOMEM. */
qala_status qala_index_spec__add(qala_index_spec *spec, const qala_index_node *node,
                                 const char *parent_code, const char *path, unsigned agg_mask);

/* A per-level override: names of the level (NULL when not given) and the aggregation
 * fields in mask. path names it in findings. QALA_ENOMEM. */
qala_status qala_index_spec__add_level(qala_index_spec *spec, int level,
                                       const char *const name[3], const qala_agg_spec *agg,
                                       unsigned mask, const char *path);

/* A weight-set entry; path names it in findings. QALA_ENOMEM. */
qala_status qala_index_spec__add_weight(qala_index_spec *spec, const char *set,
                                        const char *node_code, double weight,
                                        const char *path);

/* The spec's names (NULL when not given), source and description. QALA_ENOMEM. */
qala_status qala_index_spec__set_texts(qala_index_spec *spec, const char *const name[3],
                                       const char *source, const char *description);

/* Checks and resolves as qala_index_spec_finish, reporting through r. On QALA_EDATA
 * (errors in r, including ones the caller found before) the spec is emptied. */
qala_status qala_index_spec__finish(qala_index_spec *spec, qala_reporter *r);

#endif
