/* src/index_tree.c — the resolved tree of a composite index (qala/index_spec.h): the
 * defaults of settings and nodes, and the check of the invariants the pipeline relies on.
 *
 * The spec module (index_spec.c) produces trees that pass this check; programs that build
 * or change a tree by hand (tests, the sensitivity analysis) call it too, through
 * qala_index_run. The check is O(nodes) with one byte of scratch per node: a cycle cannot
 * hide, since every parent must come later in the array than its child.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/index_spec.h"
#include "util/internal.h"

void qala_index_settings_init(qala_index_settings *s)
{
    memset(s, 0, sizeof *s);
    s->unit_availability = 0.0;
    s->indicator_availability = 0.0;
    s->max_zero_share = 1.0;
    s->panel_impute = QALA_IMPUTE_NONE;
    s->max_gap = 0;
    s->impute = QALA_IMPUTE_NONE;
    s->pooled = 1;
}

void qala_index_node_init(qala_index_node *node, qala_index_node_kind kind, const char *code)
{
    memset(node, 0, sizeof *node);
    node->code = code;
    node->kind = kind;
    node->parent = QALA_INDEX_NONE;
    node->level = kind == QALA_INDEX_INDICATOR ? 1 : 2;
    node->weight = 1.0;
    node->direction = 1;
    node->denominator = NULL;
    node->denominator_scale = 1.0;
    node->treat = 1;
    node->treat_spec = QALA_TREAT_SPEC_DEFAULT;
    qala_normalise_spec_init(&node->normalise, QALA_NORM_MINMAX);
    node->normalise_ref = NULL;
    memset(&node->aggregate, 0, sizeof node->aggregate);
    node->aggregate.method = QALA_AGG_ARITHMETIC;
}

/* Re-records the last error's text with a prefix. The text is copied first: setting an
 * error clears the record it comes from. */
static qala_status rewrap(qala_status st, const char *what, const char *code)
{
    char detail[sizeof qala_error_last()->message];
    snprintf(detail, sizeof detail, "%s", qala_error_last()->message);
    return qala_err__set(st, "index tree: %s '%s': %s", what, code, detail);
}

static const char *code_of(const qala_index_node *n)
{
    return n->code ? n->code : "(no code)";
}

static qala_status check_settings(const qala_index_settings *s)
{
    if (!(s->unit_availability >= 0 && s->unit_availability <= 1) ||
        !(s->indicator_availability >= 0 && s->indicator_availability <= 1) ||
        !(s->max_zero_share >= 0 && s->max_zero_share <= 1))
        return qala_err__set(QALA_EINVAL, "index settings: availability thresholds and the "
                                          "maximum share of zeros must be between 0 and 1");
    size_t nm = 0;
    const qala_impute_method_info *methods = qala_impute_methods(&nm);
    if ((size_t)s->panel_impute >= nm || (s->panel_impute != QALA_IMPUTE_NONE &&
                                          !(methods[s->panel_impute].flags & QALA_IMPUTE_PANEL)))
        return qala_err__set(QALA_EINVAL, "index settings: the panel imputation must be one of "
                                          "none, latest, nearest, linear, linear_constant");
    if ((size_t)s->impute >= nm || (methods[s->impute].flags & QALA_IMPUTE_PANEL))
        return qala_err__set(QALA_EINVAL, "index settings: the imputation must be one of none, "
                                          "mean, median, group_mean, group_median");
    if ((methods[s->impute].flags & QALA_IMPUTE_GROUPED) && s->impute_group[0] == '\0')
        return qala_err__set(QALA_EINVAL, "index settings: imputation '%s' needs a grouping",
                             qala_impute_method_code(s->impute));
    return QALA_OK;
}

static qala_status check_node(const qala_index_tree *tree, size_t i)
{
    const qala_index_node *n = &tree->nodes[i];
    int indicator = i < tree->nindicators;
    if (!n->code || !n->code[0])
        return qala_err__set(QALA_EINVAL, "index tree: node %zu has no code", i);
    if (indicator != (n->kind == QALA_INDEX_INDICATOR))
        return qala_err__set(QALA_EINVAL, "index tree: node '%s' is %s, but indicators must "
                             "come first (nodes 0..%zu)", code_of(n),
                             indicator ? "an aggregate" : "an indicator", tree->nindicators);
    if (!(n->weight > 0) || !isfinite(n->weight))
        return qala_err__set(QALA_EINVAL, "index tree: weight of '%s' must be > 0 and finite, "
                             "got %g", code_of(n), n->weight);
    if (i + 1 == tree->nnodes) {
        if (n->parent != QALA_INDEX_NONE)
            return qala_err__set(QALA_EINVAL, "index tree: the last node '%s' must be the "
                                 "root (no parent)", code_of(n));
    } else if (n->parent == QALA_INDEX_NONE) {
        return qala_err__set(QALA_EINVAL, "index tree: node '%s' has no parent; only the "
                             "last node may be the root", code_of(n));
    } else if (n->parent <= i || n->parent >= tree->nnodes ||
               n->parent < tree->nindicators) {
        return qala_err__set(QALA_EINVAL, "index tree: parent of '%s' must be an aggregate "
                             "later in the array", code_of(n));
    } else if (tree->nodes[n->parent].level <= n->level) {
        return qala_err__set(QALA_EINVAL, "index tree: '%s' (level %d) is under '%s' of "
                             "level %d; a parent's level must be higher", code_of(n), n->level,
                             code_of(&tree->nodes[n->parent]), tree->nodes[n->parent].level);
    }
    if (i > 0 && n->level < tree->nodes[i - 1].level)
        return qala_err__set(QALA_EINVAL, "index tree: nodes must be in ascending level "
                             "order ('%s' of level %d after level %d)", code_of(n), n->level,
                             tree->nodes[i - 1].level);
    if (indicator) {
        if (n->level != 1)
            return qala_err__set(QALA_EINVAL, "index tree: indicator '%s' must be of level 1",
                                 code_of(n));
        if (n->direction != 1 && n->direction != -1)
            return qala_err__set(QALA_EINVAL, "index tree: direction of '%s' must be 1 or -1, "
                                 "got %d", code_of(n), n->direction);
        if (n->denominator && (!isfinite(n->denominator_scale) || n->denominator_scale == 0))
            return qala_err__set(QALA_EINVAL, "index tree: denominator scale of '%s' must be "
                                 "finite and non-zero", code_of(n));
        qala_status st = qala_normalise_spec_check(&n->normalise, n->direction);
        if (st != QALA_OK)
            return rewrap(st, "indicator", code_of(n));
        if (n->treat && ((unsigned)n->treat_spec.transform >= QALA_TREAT_TRANSFORM_COUNT ||
                         !(n->treat_spec.skew_limit >= 0) || !(n->treat_spec.kurt_limit >= 0)))
            return qala_err__set(QALA_EINVAL, "index tree: treatment of '%s' has a bad "
                                 "transform or limits", code_of(n));
    } else {
        if (n->level < 2)
            return qala_err__set(QALA_EINVAL, "index tree: aggregate '%s' must be of level 2 "
                                 "or more", code_of(n));
        qala_status st = qala_agg_spec_check(&n->aggregate);
        if (st != QALA_OK)
            return rewrap(st, "aggregate", code_of(n));
    }
    return QALA_OK;
}

qala_status qala_index_tree_check(const qala_index_tree *tree)
{
    if (!tree || (tree->nnodes > 0 && !tree->nodes))
        return qala_err__set(QALA_EINVAL, "index tree: no tree given");
    if (tree->nnodes < 2 || tree->nindicators == 0 || tree->nindicators >= tree->nnodes)
        return qala_err__set(QALA_EINVAL, "index tree: needs at least one indicator and one "
                             "aggregate (got %zu nodes, %zu indicators)", tree->nnodes,
                             tree->nindicators);
    qala_status st = check_settings(&tree->settings);
    if (st != QALA_OK)
        return st;
    for (size_t i = 0; i < tree->nnodes; i++)
        if ((st = check_node(tree, i)) != QALA_OK)
            return st;
    /* every aggregate has at least one child */
    unsigned char *has_child = qala_mem__calloc(tree->nnodes, 1);
    if (!has_child)
        return qala_err__set(QALA_ENOMEM, "index tree: out of memory");
    for (size_t i = 0; i + 1 < tree->nnodes; i++)
        has_child[tree->nodes[i].parent] = 1;
    for (size_t a = tree->nindicators; a < tree->nnodes; a++)
        if (!has_child[a]) {
            st = qala_err__set(QALA_EINVAL, "index tree: aggregate '%s' has no children",
                               code_of(&tree->nodes[a]));
            break;
        }
    qala_mem__free(has_child);
    if (st != QALA_OK)
        return st;
    if (tree->nodes[tree->nnodes - 1].level != tree->nlevels)
        return qala_err__set(QALA_EINVAL, "index tree: nlevels is %d but the root is of "
                             "level %d", tree->nlevels, tree->nodes[tree->nnodes - 1].level);
    return QALA_OK;
}
