/* src/index_spec_check.c — the check and resolution of a composite-index spec
 * (qala_index_spec_finish): the whole tree is checked at once, every problem a finding
 * naming the node by its JSON path and code, then resolved into a qala_index_tree:
 * indicators first in insertion order, then the aggregates by ascending level (insertion
 * order within a level), the root last; level 1 for indicators and 1 + the highest child
 * level for an aggregate; parents as indices; each level's aggregation override filling
 * the keys an aggregate did not set itself; weights from the weight set in use. The
 * resolved tree passes qala_index_tree_check.
 *
 * Nothing recurses (a chain of 100,000 aggregates is fine): cycles are found by walking
 * parent links with a mark per node, levels by peeling leaves. Codes are looked up in a
 * sorted index, so finish is O(n log n); "did you mean" suggestions scan every code and
 * are made for small trees only.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index_spec_internal.h"
#include "qala/text.h"
#include "util/internal.h"

#define ERR QALA_SEVERITY_ERROR
#define WARN QALA_SEVERITY_WARNING
#define SUGGEST_MAX_NODES 2000 /* "did you mean" scans every code: only for small trees */

static int cmp_named(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* ---- findings ----------------------------------------------------------------------- */

__attribute__((format(printf, 5, 6)))
static void node_finding(qala_reporter *r, qala_severity sev, const spec_node *sn,
                         const char *rule, const char *fmt, ...)
{
    char msg[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sn->n.code && sn->n.code[0])
        qala_reporter__add(r, sev, 0, 0, rule, "%s '%s': %s", sn->path, sn->n.code, msg);
    else
        qala_reporter__add(r, sev, 0, 0, rule, "%s: %s", sn->path, msg);
}

/* The node code closest to word (edit distance <= 2), or NULL; small trees only. */
static const char *suggest_code(const qala_index_spec *spec, const char *word)
{
    if (spec->nnodes > SUGGEST_MAX_NODES)
        return NULL;
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; i < spec->nnodes; i++) {
        const char *c = spec->nodes[i].n.code;
        if (!c || !c[0])
            continue;
        size_t d = qala_text_distance(word, c, 2);
        if (d < bestd) {
            bestd = d;
            best = c;
        }
    }
    return best;
}

static void did_you_mean(char *buf, size_t cap, const char *s)
{
    if (s)
        snprintf(buf, cap, " (did you mean '%s'?)", s);
    else
        buf[0] = '\0';
}

/* ---- checks of one node ------------------------------------------------------------- */

static int finite_pos(double x)
{
    return x > 0 && isfinite(x);
}

static void check_indicator(qala_reporter *r, const spec_node *sn)
{
    const qala_index_node *n = &sn->n;
    if (n->direction != 1 && n->direction != -1)
        node_finding(r, ERR, sn, "bad-direction", "direction must be 1 or -1, got %d",
                     n->direction);
    if (n->denominator && !finite_pos(n->denominator_scale))
        node_finding(r, ERR, sn, "bad-parameter", "denominator_scale must be > 0, got %g",
                     n->denominator_scale);
    const qala_normalise_spec *ns = &n->normalise;
    const char *mname = qala_normalise_method_name(ns->method);
    int bad = 0;
    if ((ns->method == QALA_NORM_MINMAX || ns->method == QALA_NORM_SCALED ||
         ns->method == QALA_NORM_GOALPOSTS) && !(ns->lower < ns->upper)) {
        node_finding(r, ERR, sn, "bad-goalposts", "normalise %s: lower (%g) must be below "
                     "upper (%g)", mname, ns->lower, ns->upper);
        bad = 1;
    }
    if (ns->method == QALA_NORM_DIST2TARG && !isfinite(ns->target)) {
        node_finding(r, ERR, sn, "missing-target", "normalise dist2targ needs a \"target\" "
                     "(in the indicator's units)");
        bad = 1;
    }
    if (ns->method == QALA_NORM_DIST2REF && !(n->normalise_ref && n->normalise_ref[0])) {
        node_finding(r, ERR, sn, "missing-ref", "normalise dist2ref needs \"ref\", the code "
                     "of the reference unit");
        bad = 1;
    }
    if (!bad && (n->direction == 1 || n->direction == -1) &&
        qala_normalise_spec_check(ns, n->direction) != QALA_OK)
        node_finding(r, ERR, sn, "bad-parameter", "%s", qala_error_last()->message);
    if (n->treat) {
        const qala_treat_spec *t = &n->treat_spec;
        if ((unsigned)t->transform >= QALA_TREAT_TRANSFORM_COUNT)
            node_finding(r, ERR, sn, "bad-transform", "treat: unknown transform %d",
                         (int)t->transform);
        if (!(t->skew_limit >= 0) || !(t->kurt_limit >= 0) || !isfinite(t->lambda))
            node_finding(r, ERR, sn, "bad-parameter", "treat: skew and kurt must be >= 0 and "
                         "lambda finite, got %g, %g, %g", t->skew_limit, t->kurt_limit,
                         t->lambda);
    }
}

static void check_aggregate(qala_reporter *r, const spec_node *sn, const qala_agg_spec *a)
{
    int bad = 0;
    if (!(a->availability >= 0 && a->availability <= 1)) {
        node_finding(r, ERR, sn, "bad-availability", "aggregate availability must be between "
                     "0 and 1, got %g", a->availability);
        bad = 1;
    }
    if (!(a->offset >= 0 && isfinite(a->offset))) {
        node_finding(r, ERR, sn, "bad-parameter", "aggregate offset must be >= 0, got %g",
                     a->offset);
        bad = 1;
    }
    if (a->method == QALA_AGG_POWER && !(a->p != 0 && isfinite(a->p))) {
        node_finding(r, ERR, sn, "bad-parameter", "aggregate method power needs \"p\" "
                     "(the exponent, not 0), got %g", a->p);
        bad = 1;
    }
    if (a->method == QALA_AGG_MEANMIN && !(a->alpha >= 0 && a->alpha <= 1)) {
        node_finding(r, ERR, sn, "bad-parameter", "aggregate method meanmin needs alpha "
                     "between 0 and 1, got %g", a->alpha);
        bad = 1;
    }
    if (a->method == QALA_AGG_MEANMIN && !(a->beta >= 0 && isfinite(a->beta))) {
        node_finding(r, ERR, sn, "bad-parameter", "aggregate method meanmin needs beta >= 0, "
                     "got %g", a->beta);
        bad = 1;
    }
    if (!bad && qala_agg_spec_check(a) != QALA_OK)
        node_finding(r, ERR, sn, "bad-parameter", "%s", qala_error_last()->message);
}

static void check_settings(qala_reporter *r, const qala_index_settings *s)
{
    const double v[3] = {s->unit_availability, s->indicator_availability, s->max_zero_share};
    static const char *const key[3] = {"unit_availability", "indicator_availability",
                                       "max_zero_share"};
    for (int i = 0; i < 3; i++)
        if (!(v[i] >= 0 && v[i] <= 1))
            qala_reporter__add(r, ERR, 0, 0, "bad-availability", "defaults.screen: %s must "
                               "be between 0 and 1, got %g", key[i], v[i]);
    size_t nm = 0;
    const qala_impute_method_info *m = qala_impute_methods(&nm);
    if ((size_t)s->impute >= nm || (m[s->impute].flags & QALA_IMPUTE_PANEL))
        qala_reporter__add(r, ERR, 0, 0, "unknown-method", "defaults.impute: method must be "
                           "one of none, mean, median, group_mean, group_median");
    else if ((m[s->impute].flags & QALA_IMPUTE_GROUPED) && !s->impute_group[0])
        qala_reporter__add(r, ERR, 0, 0, "missing-group", "defaults.impute: method %s needs "
                           "\"group\", the name of a grouping of the units",
                           qala_impute_method_code(s->impute));
    if ((size_t)s->panel_impute >= nm ||
        (s->panel_impute != QALA_IMPUTE_NONE && !(m[s->panel_impute].flags & QALA_IMPUTE_PANEL)))
        qala_reporter__add(r, ERR, 0, 0, "unknown-method", "defaults.impute: panel must be one "
                           "of none, latest, nearest, linear, linear_constant");
}

/* ---- the structure of the tree ------------------------------------------------------ */

typedef struct work {
    size_t *parent; /* per spec node: parent's spec index, QALA_INDEX_NONE */
    size_t *nchild;
    size_t *order;  /* tree position -> spec node */
    int *level;
    unsigned char *state;
} work;

static void work_free(work *w)
{
    qala_mem__free(w->parent);
    qala_mem__free(w->nchild);
    qala_mem__free(w->order);
    qala_mem__free(w->level);
    qala_mem__free(w->state);
}

static const char *code_or_path(const spec_node *sn)
{
    return sn->n.code && sn->n.code[0] ? sn->n.code : sn->path;
}

/* Codes: missing, duplicate; fills spec->byname. */
static qala_status check_codes(qala_index_spec *spec, qala_reporter *r)
{
    spec->byname = qala_mem__malloc((spec->nnodes ? spec->nnodes : 1) * sizeof *spec->byname);
    if (!spec->byname)
        return qala_err__set(QALA_ENOMEM, "out of memory checking an index spec");
    size_t nb = 0;
    for (size_t i = 0; i < spec->nnodes; i++) {
        const spec_node *sn = &spec->nodes[i];
        if (!sn->n.code || !sn->n.code[0])
            node_finding(r, ERR, sn, "missing-code", "code is missing");
        else
            spec->byname[nb++] = (named){sn->n.code, i};
    }
    qsort(spec->byname, nb, sizeof *spec->byname, cmp_named);
    spec->nbyname = nb;
    for (size_t k = 1; k < nb; k++)
        if (strcmp(spec->byname[k].code, spec->byname[k - 1].code) == 0) {
            size_t first = k - 1;
            while (first > 0 && strcmp(spec->byname[first - 1].code, spec->byname[k].code) == 0)
                first--;
            node_finding(r, ERR, &spec->nodes[spec->byname[k].idx], "duplicate-code",
                         "duplicate code: %s has it already",
                         spec->nodes[spec->byname[first].idx].path);
        }
    return QALA_OK;
}

/* Parents, roots, children. Returns the root's spec index (QALA_INDEX_NONE if not one). */
static size_t check_parents(qala_index_spec *spec, qala_reporter *r, work *w)
{
    size_t root = QALA_INDEX_NONE, nroots = 0;
    char roots[400] = "";
    size_t rl = 0;
    for (size_t i = 0; i < spec->nnodes; i++) {
        const spec_node *sn = &spec->nodes[i];
        w->parent[i] = QALA_INDEX_NONE;
        if (!sn->parent_code) {
            if (sn->n.kind == QALA_INDEX_INDICATOR) {
                node_finding(r, ERR, sn, "orphan-indicator", "indicator has no parent");
                continue;
            }
            if (nroots++ == 0)
                root = i;
            if (rl < sizeof roots - 1)
                rl += (size_t)snprintf(roots + rl, sizeof roots - rl, "%s'%.60s'",
                                       nroots > 1 ? ", " : "", code_or_path(sn));
            continue;
        }
        size_t p = qala_index_spec__lookup(spec, sn->parent_code);
        if (p == QALA_INDEX_NONE) {
            char dym[160];
            did_you_mean(dym, sizeof dym, suggest_code(spec, sn->parent_code));
            node_finding(r, ERR, sn, "unknown-parent", "unknown parent '%s'%s", sn->parent_code,
                         dym);
        } else if (spec->nodes[p].n.kind == QALA_INDEX_INDICATOR) {
            node_finding(r, ERR, sn, "parent-is-indicator", "parent '%s' is an indicator; a "
                         "parent must be an aggregate", sn->parent_code);
        } else {
            w->parent[i] = p;
            w->nchild[p]++;
        }
    }
    if (rl >= sizeof roots - 1)
        memcpy(roots + sizeof roots - 5, "...", 4);
    if (nroots == 0)
        qala_reporter__add(r, ERR, 0, 0, "no-root", "aggregates: no root; exactly one "
                           "aggregate (the index) must have no parent");
    else if (nroots > 1)
        qala_reporter__add(r, ERR, 0, 0, "several-roots", "aggregates: %zu roots (%s); exactly "
                           "one aggregate (the index) may have no parent", nroots, roots);
    for (size_t i = 0; i < spec->nnodes; i++)
        if (spec->nodes[i].n.kind == QALA_INDEX_AGGREGATE && w->nchild[i] == 0)
            node_finding(r, ERR, &spec->nodes[i], "no-children", "aggregate has no children");
    return nroots == 1 ? root : QALA_INDEX_NONE;
}

/* Cycles through parent links: each reported once, as 'A' -> 'B' -> 'A'. */
static void check_cycles(const qala_index_spec *spec, qala_reporter *r, work *w)
{
    enum { UNSEEN = 0, ON_WALK = 1, DONE = 2 };
    for (size_t i = 0; i < spec->nnodes; i++) {
        size_t j = i;
        while (j != QALA_INDEX_NONE && w->state[j] == UNSEEN) {
            w->state[j] = ON_WALK;
            j = w->parent[j];
        }
        if (j != QALA_INDEX_NONE && w->state[j] == ON_WALK) {
            char path[480];
            size_t len = 0, k = j, steps = 0;
            do {
                if (steps++ == 12) {
                    len += (size_t)snprintf(path + len, sizeof path - len, " -> ...");
                    break;
                }
                len += (size_t)snprintf(path + len, sizeof path - len, "'%.24s' -> ",
                                        code_or_path(&spec->nodes[k]));
                k = w->parent[k];
            } while (k != j && len < sizeof path);
            if (k == j && len < sizeof path)
                snprintf(path + len, sizeof path - len, "'%.24s'", code_or_path(&spec->nodes[j]));
            node_finding(r, ERR, &spec->nodes[j], "cycle", "cycle among aggregates: %s", path);
        }
        for (j = i; j != QALA_INDEX_NONE && w->state[j] == ON_WALK; j = w->parent[j])
            w->state[j] = DONE;
    }
}

/* Levels (1 + the highest child level) and the order of the tree: indicators in
 * insertion order, then aggregates by level, insertion order within a level. Needs an
 * acyclic tree where every aggregate has children. Returns the highest level. */
static int order_tree(const qala_index_spec *spec, work *w, size_t *stack)
{
    size_t n = spec->nnodes, top = 0;
    size_t *pending = w->order; /* borrowed until the order is written */
    for (size_t i = 0; i < n; i++) {
        pending[i] = w->nchild[i];
        w->level[i] = spec->nodes[i].n.kind == QALA_INDEX_INDICATOR ? 1 : 0;
        if (pending[i] == 0)
            stack[top++] = i;
    }
    int maxlevel = 1;
    while (top > 0) {
        size_t k = stack[--top];
        if (w->level[k] > maxlevel)
            maxlevel = w->level[k];
        size_t p = w->parent[k];
        if (p == QALA_INDEX_NONE)
            continue;
        if (w->level[p] < w->level[k] + 1)
            w->level[p] = w->level[k] + 1;
        if (--pending[p] == 0)
            stack[top++] = p;
    }
    size_t at = 0;
    for (size_t i = 0; i < n; i++)
        if (spec->nodes[i].n.kind == QALA_INDEX_INDICATOR)
            w->order[at++] = i;
    /* then the aggregates (gathered in stack) by a stable counting sort on the level */
    size_t first = at;
    for (size_t i = 0; i < n; i++)
        if (spec->nodes[i].n.kind == QALA_INDEX_AGGREGATE)
            stack[at++ - first] = i;
    size_t nagg = at - first;
    size_t *count = qala_mem__calloc((size_t)maxlevel + 2, sizeof *count);
    if (!count)
        return -1;
    for (size_t k = 0; k < nagg; k++)
        count[w->level[stack[k]] + 1]++;
    for (int l = 1; l <= maxlevel; l++)
        count[l + 1] += count[l];
    for (size_t k = 0; k < nagg; k++)
        w->order[first + count[w->level[stack[k]]]++] = stack[k];
    qala_mem__free(count);
    return maxlevel;
}

/* ---- finish ------------------------------------------------------------------------- */

static void check_weight_sets(const qala_index_spec *spec, qala_reporter *r)
{
    for (size_t s = 0; s < spec->nsets; s++)
        if (strcmp(spec->sets[s], "default") == 0)
            qala_reporter__add(r, ERR, 0, 0, "reserved-set-name", "weight_sets: a set may not "
                               "be named \"default\" (it means the nodes' own weights)");
    for (size_t i = 0; i < spec->nweights; i++) {
        const spec_weight *w = &spec->weights[i];
        if (qala_index_spec__lookup(spec, w->node) == QALA_INDEX_NONE) {
            char dym[160];
            did_you_mean(dym, sizeof dym, suggest_code(spec, w->node));
            qala_reporter__add(r, ERR, 0, 0, "unknown-weight-node", "%s: unknown node '%s'%s",
                               w->path, w->node, dym);
        }
        if (!finite_pos(w->weight))
            qala_reporter__add(r, ERR, 0, 0, "bad-weight", "%s: weight of '%s' must be > 0, "
                               "got %g", w->path, w->node, w->weight);
    }
}


static void apply_level(qala_agg_spec *a, unsigned own, const spec_level *lv)
{
    unsigned m = lv->mask & ~own;
    if (m & QALA_SPEC_AGG_METHOD)
        a->method = lv->agg.method;
    if (m & QALA_SPEC_AGG_AVAILABILITY)
        a->availability = lv->agg.availability;
    if (m & QALA_SPEC_AGG_OFFSET)
        a->offset = lv->agg.offset;
    if (m & QALA_SPEC_AGG_P)
        a->p = lv->agg.p;
    if (m & QALA_SPEC_AGG_ALPHA)
        a->alpha = lv->agg.alpha;
    if (m & QALA_SPEC_AGG_BETA)
        a->beta = lv->agg.beta;
    if (m & QALA_SPEC_AGG_SD)
        a->mpi_sd = lv->agg.mpi_sd;
}

qala_status qala_index_spec__finish(qala_index_spec *spec, qala_reporter *r)
{
    assert(spec && r);
    qala_index_spec__drop_resolved(spec);
    size_t n = spec->nnodes;
    qala_status st = QALA_OK;
    work w = {0};
    size_t *stack = NULL;
    size_t alloc_n = n ? n : 1;
    w.parent = qala_mem__malloc(alloc_n * sizeof *w.parent);
    w.nchild = qala_mem__calloc(alloc_n, sizeof *w.nchild);
    w.order = qala_mem__malloc(alloc_n * sizeof *w.order);
    w.level = qala_mem__malloc(alloc_n * sizeof *w.level);
    w.state = qala_mem__calloc(alloc_n, 1);
    stack = qala_mem__malloc(alloc_n * sizeof *stack);
    if (!w.parent || !w.nchild || !w.order || !w.level || !w.state || !stack) {
        st = qala_err__set(QALA_ENOMEM, "out of memory checking an index spec");
        goto done;
    }
    check_settings(r, &spec->settings);
    size_t nind = 0;
    for (size_t i = 0; i < n; i++) {
        const spec_node *sn = &spec->nodes[i];
        if (!finite_pos(sn->n.weight))
            node_finding(r, ERR, sn, "bad-weight", "weight must be > 0, got %g", sn->n.weight);
        if (sn->n.kind == QALA_INDEX_INDICATOR) {
            nind++;
            check_indicator(r, sn);
        }
    }
    if (nind == 0)
        qala_reporter__add(r, ERR, 0, 0, "no-indicators", "indicators: the index has no "
                           "indicators");
    size_t before = r->errors;
    if ((st = check_codes(spec, r)) != QALA_OK)
        goto done;
    size_t root = check_parents(spec, r, &w);
    check_cycles(spec, r, &w);
    int sound = r->errors == before && root != QALA_INDEX_NONE && nind > 0;
    check_weight_sets(spec, r);
    if (!sound) /* the levels need a sound structure; other errors still let them be found */
        goto done;

    int nlevels = order_tree(spec, &w, stack);
    if (nlevels < 0) {
        st = qala_err__set(QALA_ENOMEM, "out of memory ordering an index tree");
        goto done;
    }
    /* per-level overrides, then the aggregation checks */
    for (size_t k = 0; k < spec->nlevels; k++) {
        const spec_level *lv = &spec->levels[k];
        if (lv->level < 2 || lv->level > nlevels) {
            qala_reporter__add(r, WARN, 0, 0, "unknown-level", "%s: level %d does not exist "
                               "(the aggregates are of levels 2 to %d); ignored", lv->path,
                               lv->level, nlevels);
            continue;
        }
        for (size_t i = 0; i < n; i++)
            if (spec->nodes[i].n.kind == QALA_INDEX_AGGREGATE && w.level[i] == lv->level)
                apply_level(&spec->nodes[i].n.aggregate, spec->nodes[i].agg_mask, lv);
    }
    for (size_t i = 0; i < n; i++)
        if (spec->nodes[i].n.kind == QALA_INDEX_AGGREGATE)
            check_aggregate(r, &spec->nodes[i], &spec->nodes[i].n.aggregate);
    if (r->errors > 0)
        goto done;

    spec->tree_nodes = qala_mem__malloc(n * sizeof *spec->tree_nodes);
    spec->pos = qala_mem__malloc(n * sizeof *spec->pos);
    if (!spec->tree_nodes || !spec->pos) {
        st = qala_err__set(QALA_ENOMEM, "out of memory resolving an index tree");
        goto done;
    }
    for (size_t k = 0; k < n; k++)
        spec->pos[w.order[k]] = k;
    for (size_t k = 0; k < n; k++) {
        size_t i = w.order[k];
        qala_index_node *t = &spec->tree_nodes[k];
        *t = spec->nodes[i].n;
        t->level = w.level[i];
        t->parent = w.parent[i] == QALA_INDEX_NONE ? QALA_INDEX_NONE : spec->pos[w.parent[i]];
    }
    qala_index_spec__apply_weights(spec);
    spec->tree.settings = spec->settings;
    spec->tree.nodes = spec->tree_nodes;
    spec->tree.nnodes = n;
    spec->tree.nindicators = nind;
    spec->tree.nlevels = nlevels;
    qala_status ck = qala_index_tree_check(&spec->tree);
    if (ck == QALA_ENOMEM)
        st = ck;
    else if (ck != QALA_OK) /* a check finish missed: still a finding, never a bad tree */
        qala_reporter__add(r, ERR, 0, 0, "bad-tree", "%s", qala_error_last()->message);
    else
        spec->finished = 1;

done:
    work_free(&w);
    qala_mem__free(stack);
    if (st == QALA_OK && r->failed != QALA_OK)
        st = qala_err__set(r->failed, "out of memory recording findings");
    if (st == QALA_OK && !spec->finished)
        st = qala_err__set(QALA_EDATA, "the index spec has %zu error%s; see the findings",
                           r->errors, r->errors == 1 ? "" : "s");
    if (st != QALA_OK)
        qala_index_spec__reset(spec);
    return st;
}

qala_status qala_index_spec_finish(qala_index_spec *spec, qala_findings *findings)
{
    assert(spec);
    qala_reporter r = {findings, spec->code ? spec->code : "", 0, 0, QALA_OK};
    return qala_index_spec__finish(spec, &r);
}

