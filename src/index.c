/* src/index.c — the composite-index pipeline (qala/index.h): the run that chains the
 * stages of index_stages.c, the checks of its input, the copies the result keeps, and the
 * getters of the result.
 *
 * Place: after a spec is resolved into a tree (index_spec.c, index_tree.c) and the data
 * is laid out as columns (the caller: the command, the sensitivity analysis, the tests);
 * before exports and diagnostics, which read the result through the getters.
 *
 * Invariants: a result is either complete or not returned (*out = NULL); every column of
 * the result lives in one block (`data`), laid out once the screen knows how many units
 * are kept; the tree is borrowed, the input is not kept (codes, periods and groupings are
 * copied). Workload: a run is O(cells) per stage plus the sorts of medians and ranks; the
 * sensitivity analysis calls it thousands of times on the same shape, so allocations are
 * a handful per run (meta, copies, data, scratch, plus the kernels' own per column) and
 * none per unit or cell.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "index_internal.h"
#include "qala/aggregate.h"
#include "qala/impute.h"
#include "qala/normalise.h"
#include "util/internal.h"

/* ---- stage names ------------------------------------------------------------------ */

static const char *const stage_codes[QALA_INDEX_STAGE_COUNT] = {
    "raw", "denominated", "imputed", "treated", "normalised", "aggregated", "ranked"};

const char *qala_index_stage_code(qala_index_stage stage)
{
    return (unsigned)stage < QALA_INDEX_STAGE_COUNT ? stage_codes[stage] : "?";
}

qala_status qala_index_stage_parse(qala_index_stage *out, const char *text)
{
    assert(out);
    for (size_t i = 0; text && i < QALA_INDEX_STAGE_COUNT; i++)
        if (strcmp(text, stage_codes[i]) == 0) {
            *out = (qala_index_stage)i;
            return QALA_OK;
        }
    return qala_err__set(QALA_EINVAL, "unknown stage '%s' (expected one of raw, denominated, "
                         "imputed, treated, normalised, aggregated, ranked)",
                         text ? text : "");
}

/* ---- blocks: sections placed in one allocation ------------------------------------ */

typedef struct layout {
    size_t size;
    int overflow;
} layout;

/* Places count elements of elem bytes, 16-byte aligned; returns the offset. */
static size_t place(layout *l, size_t count, size_t elem)
{
    size_t off = (l->size + 15) & ~(size_t)15;
    if (off < l->size || (elem && count > (SIZE_MAX - off) / elem)) {
        l->overflow = 1;
        return 0;
    }
    l->size = off + count * elem;
    return off;
}

/* A big block for a layout (the per-unit tables and columns): qala_mem__malloc_big,
 * freed with qala_mem__free_big and *bytes. */
static void *alloc_big(const layout *l, const char *what, size_t *bytes)
{
    if (l->overflow) {
        qala_err__set(QALA_ENOMEM, "index: the %s would not fit in memory", what);
        return NULL;
    }
    *bytes = l->size ? l->size : 1;
    void *p = qala_mem__malloc_big(*bytes);
    if (!p)
        qala_err__set(QALA_ENOMEM, "index: out of memory (%s)", what);
    return p;
}

static void *alloc_layout(const layout *l, const char *what)
{
    if (l->overflow) {
        qala_err__set(QALA_ENOMEM, "index: the %s would not fit in memory", what);
        return NULL;
    }
    void *p = qala_mem__malloc(l->size ? l->size : 1);
    if (!p)
        qala_err__set(QALA_ENOMEM, "index: out of memory (%s)", what);
    return p;
}

#define AT(base, off) ((void *)((char *)(base) + (off)))

/* ---- the input -------------------------------------------------------------------- */

static qala_status check_input(const qala_index_input *in)
{
    if (in->nunits == 0 || !in->unit_codes)
        return qala_err__set(QALA_EINVAL, "index input: no units");
    for (size_t u = 0; u < in->nunits; u++)
        if (!in->unit_codes[u])
            return qala_err__set(QALA_EINVAL, "index input: unit %zu has no code", u);
    if (in->nperiods == 0)
        return qala_err__set(QALA_EINVAL, "index input: no periods (nperiods must be >= 1)");
    if (!in->periods && in->nperiods > 1)
        return qala_err__set(QALA_EINVAL, "index input: %zu periods but no period values",
                             in->nperiods);
    for (size_t p = 1; in->periods && p < in->nperiods; p++)
        if (in->periods[p] <= in->periods[p - 1])
            return qala_err__set(QALA_EINVAL, "index input: periods must be ascending "
                                 "(period %zu is %d after %d)", p, (int)in->periods[p],
                                 (int)in->periods[p - 1]);
    if (in->nperiods > SIZE_MAX / sizeof(double) / in->nunits)
        return qala_err__set(QALA_EINVAL, "index input: %zu units x %zu periods is too many",
                             in->nunits, in->nperiods);
    if (in->ncolumns > 0 && (!in->column_codes || !in->columns))
        return qala_err__set(QALA_EINVAL, "index input: %zu columns but no column arrays",
                             in->ncolumns);
    for (size_t c = 0; c < in->ncolumns; c++)
        if (!in->column_codes[c] || !in->columns[c])
            return qala_err__set(QALA_EINVAL, "index input: column %zu has no %s", c,
                                 in->column_codes[c] ? "values" : "code");
    if (in->ngroupings > 0 && !in->groupings)
        return qala_err__set(QALA_EINVAL, "index input: %zu groupings but no array",
                             in->ngroupings);
    for (size_t g = 0; g < in->ngroupings; g++) {
        const qala_index_grouping *gr = &in->groupings[g];
        if (!gr->name || !gr->group)
            return qala_err__set(QALA_EINVAL, "index input: grouping %zu has no %s", g,
                                 gr->name ? "group ids" : "name");
        if (gr->ngroups >= UINT32_MAX)
            return qala_err__set(QALA_EINVAL, "index input: grouping '%s' has too many "
                                 "groups", gr->name);
        for (size_t u = 0; u < in->nunits; u++)
            if (gr->group[u] != QALA_IMPUTE_NO_GROUP && gr->group[u] >= gr->ngroups)
                return qala_err__set(QALA_EINVAL, "index input: grouping '%s': unit '%s' "
                                     "is in group %u of %zu", gr->name, in->unit_codes[u],
                                     (unsigned)gr->group[u], gr->ngroups);
    }
    return QALA_OK;
}

static size_t find_column(const qala_index_input *in, const char *code)
{
    for (size_t c = 0; c < in->ncolumns; c++)
        if (strcmp(in->column_codes[c], code) == 0)
            return c;
    return SIZE_MAX;
}

static size_t find_grouping(const qala_index_grouping *g, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(g[i].name, name) == 0)
            return i;
    return SIZE_MAX;
}

/* The meta block: per-unit, per-node and per-indicator arrays, the column tables. */
static qala_status alloc_meta(qala_index_result *res)
{
    size_t nu = res->nunits, nn = res->nnodes, ni = res->nind;
    layout l = {0, 0};
    size_t o_kept_flag = place(&l, nu, 1), o_avail = place(&l, nu, sizeof(double)),
           o_kept = place(&l, nu, sizeof(size_t)), o_alive = place(&l, nn, 1),
           o_eff = place(&l, nn, sizeof(double)), o_cstart = place(&l, nn + 1, sizeof(size_t)),
           o_child = place(&l, nn, sizeof(size_t)), o_parent = place(&l, nn, sizeof(size_t)),
           o_wtmp = place(&l, nn, sizeof(double)), o_in = place(&l, ni, sizeof(size_t)),
           o_den = place(&l, ni, sizeof(size_t)), o_ref = place(&l, ni, sizeof(size_t)),
           o_rep = place(&l, ni, sizeof(qala_index_indicator_report)),
           o_col = place(&l, (size_t)QALA_INDEX_STAGE_COUNT * nn, sizeof(double *)),
           o_flags = place(&l, (size_t)FLAGS_COUNT * ni, sizeof(uint8_t *));
    char *m = alloc_big(&l, "index tables", &res->meta_bytes);
    if (!m)
        return QALA_ENOMEM;
    res->meta = m;
    res->unit_kept = AT(m, o_kept_flag);
    res->unit_avail = AT(m, o_avail);
    res->kept = AT(m, o_kept);
    res->alive = AT(m, o_alive);
    res->eff_weight = AT(m, o_eff);
    res->child_start = AT(m, o_cstart);
    res->child = AT(m, o_child);
    res->parent = AT(m, o_parent);
    res->wtmp = AT(m, o_wtmp);
    res->in_col = AT(m, o_in);
    res->den_col = AT(m, o_den);
    res->ref_unit = AT(m, o_ref);
    res->report = AT(m, o_rep);
    res->col = AT(m, o_col);
    res->flags = AT(m, o_flags);
    memset(res->report, 0, ni * sizeof *res->report);
    memset(res->col, 0, (size_t)QALA_INDEX_STAGE_COUNT * nn * sizeof *res->col);
    memset(res->flags, 0, (size_t)FLAGS_COUNT * ni * sizeof *res->flags);
    return QALA_OK;
}

/* Children lists (counting sort by parent, so each list is in array order). */
static void build_children(qala_index_result *res)
{
    const qala_index_node *nodes = res->tree->nodes;
    size_t nn = res->nnodes;
    memset(res->child_start, 0, (nn + 1) * sizeof *res->child_start);
    for (size_t i = 0; i < nn; i++) {
        res->parent[i] = nodes[i].parent == QALA_INDEX_NONE ? QALA_AGG_ROOT : nodes[i].parent;
        if (nodes[i].parent != QALA_INDEX_NONE)
            res->child_start[nodes[i].parent + 1]++;
    }
    res->max_children = 0;
    for (size_t i = 0; i < nn; i++) {
        if (res->child_start[i + 1] > res->max_children)
            res->max_children = res->child_start[i + 1];
        res->child_start[i + 1] += res->child_start[i];
    }
    /* child_start[a] runs as a cursor through a's list, ending at the next list's start;
     * shifting the array by one then gives the starts back */
    for (size_t i = 0; i < nn; i++)
        if (nodes[i].parent != QALA_INDEX_NONE) {
            size_t a = nodes[i].parent;
            res->child[res->child_start[a]++] = i;
        }
    for (size_t i = nn; i > 0; i--)
        res->child_start[i] = res->child_start[i - 1];
    res->child_start[0] = 0;
}

/* Finds every column, denominator, grouping and reference unit the tree names. */
static qala_status resolve(qala_index_result *res)
{
    const qala_index_input *in = res->input;
    const qala_index_tree *t = res->tree;
    for (size_t i = 0; i < res->nind; i++) {
        const qala_index_node *n = &t->nodes[i];
        res->in_col[i] = find_column(in, n->code);
        res->den_col[i] = SIZE_MAX;
        res->ref_unit[i] = SIZE_MAX;
        if (n->denominator) {
            res->den_col[i] = find_column(in, n->denominator);
            if (res->den_col[i] == SIZE_MAX)
                return qala_err__set(QALA_ENOTFOUND, "index: denominator column '%s' of "
                                     "indicator '%s' is not in the input", n->denominator,
                                     n->code);
        }
        if (n->normalise.method == QALA_NORM_DIST2REF) {
            if (!n->normalise_ref)
                return qala_err__set(QALA_EINVAL, "index: indicator '%s' is normalised by "
                                     "distance to a reference unit but names none", n->code);
            for (size_t u = 0; u < in->nunits && res->ref_unit[i] == SIZE_MAX; u++)
                if (strcmp(in->unit_codes[u], n->normalise_ref) == 0)
                    res->ref_unit[i] = u;
            if (res->ref_unit[i] == SIZE_MAX)
                return qala_err__set(QALA_ENOTFOUND, "index: reference unit '%s' of "
                                     "indicator '%s' is not in the input", n->normalise_ref,
                                     n->code);
        }
    }
    res->impute_grouping = SIZE_MAX;
    size_t nm = 0;
    const qala_impute_method_info *methods = qala_impute_methods(&nm);
    if (methods[t->settings.impute].flags & QALA_IMPUTE_GROUPED) {
        res->impute_grouping = find_grouping(res->groupings, res->ngroupings,
                                             t->settings.impute_group);
        if (res->impute_grouping == SIZE_MAX)
            return qala_err__set(QALA_ENOTFOUND, "index: imputation grouping '%s' is not in "
                                 "the input (%zu groupings given)", t->settings.impute_group,
                                 res->ngroupings);
        if (res->groupings[res->impute_grouping].ngroups == 0)
            return qala_err__set(QALA_EINVAL, "index: imputation grouping '%s' has no groups",
                                 t->settings.impute_group);
    }
    return QALA_OK;
}

/* The copies: unit codes, periods and groupings, in one block. */
static qala_status copy_input(qala_index_result *res)
{
    const qala_index_input *in = res->input;
    size_t nu = in->nunits, ng = in->ngroupings;
    layout l = {0, 0};
    size_t o_codes = place(&l, nu, sizeof(char *)),
           o_periods = place(&l, in->nperiods, sizeof(qala_period)),
           o_groupings = place(&l, ng, sizeof(qala_index_grouping));
    /* per grouping: its code pointers and ids (placed again in the same order below) */
    size_t text = 0;
    for (size_t g = 0; g < ng; g++) {
        const qala_index_grouping *gr = &in->groupings[g];
        if (gr->group_codes)
            place(&l, gr->ngroups, sizeof(char *));
        place(&l, nu, sizeof(uint32_t));
        text += strlen(gr->name) + 1;
        for (size_t k = 0; gr->group_codes && k < gr->ngroups; k++)
            text += strlen(gr->group_codes[k] ? gr->group_codes[k] : "") + 1;
    }
    for (size_t u = 0; u < nu; u++)
        text += strlen(in->unit_codes[u]) + 1;
    size_t o_text = place(&l, text, 1);
    char *b = alloc_big(&l, "unit codes and groupings", &res->copies_bytes);
    if (!b)
        return QALA_ENOMEM;
    res->copies = b;
    char *at = AT(b, o_text);
    /* unit codes are short (a 100,000-unit run copies them in a tenth of its time): a
     * plain loop beats a library call per string */
#define COPY_STR(dst, src)                                                                   \
    do {                                                                                     \
        const char *s_ = (src) ? (src) : "";                                                 \
        (dst) = at;                                                                          \
        while ((*at++ = *s_++) != '\0')                                                      \
            ;                                                                                \
    } while (0)
    res->unit_codes = AT(b, o_codes);
    for (size_t u = 0; u < nu; u++)
        COPY_STR(res->unit_codes[u], in->unit_codes[u]);
    res->periods = AT(b, o_periods);
    res->has_periods = in->periods != NULL;
    for (size_t p = 0; p < in->nperiods; p++)
        res->periods[p] = in->periods ? in->periods[p] : 0;
    res->groupings = AT(b, o_groupings);
    res->ngroupings = ng;
    layout again = {0, 0};
    place(&again, nu, sizeof(char *));
    place(&again, in->nperiods, sizeof(qala_period));
    place(&again, ng, sizeof(qala_index_grouping));
    for (size_t g = 0; g < ng; g++) {
        const qala_index_grouping *gr = &in->groupings[g];
        qala_index_grouping *dst = &res->groupings[g];
        dst->ngroups = gr->ngroups;
        dst->group_codes = NULL;
        if (gr->group_codes) {
            const char **codes = AT(b, place(&again, gr->ngroups, sizeof(char *)));
            for (size_t k = 0; k < gr->ngroups; k++)
                COPY_STR(codes[k], gr->group_codes[k]);
            dst->group_codes = codes;
        }
        uint32_t *ids = AT(b, place(&again, nu, sizeof(uint32_t)));
        memcpy(ids, gr->group, nu * sizeof *ids);
        dst->group = ids;
        COPY_STR(dst->name, gr->name);
    }
#undef COPY_STR
    return QALA_OK;
}

int qala_index__ranked(const qala_index_result *res, size_t i)
{
    int from = res->tree->settings.rank_from > 0 ? res->tree->settings.rank_from : 1;
    if (res->tree->settings.scores_only && i < res->nind)
        return 0;
    return res->tree->nodes[i].level >= from;
}

/* The data block (every stage's columns and flags) and the run's scratch. The fused path
 * keeps the aggregates' scores and the ranks only. */
static qala_status alloc_data(qala_index_result *res, int fused)
{
    size_t ni = res->nind, nn = res->nnodes, nr = res->nrows;
    size_t nraw = res->nunits * res->nperiods, nrawcols = 0, nranked = 0;
    for (size_t i = 0; i < ni && !fused; i++)
        nrawcols += res->in_col[i] != SIZE_MAX;
    for (size_t i = 0; i < nn; i++)
        nranked += qala_index__ranked(res, i) != 0;
    size_t nstage = fused ? 0 : ni;
    layout l = {0, 0};
    size_t o_raw = place(&l, nrawcols, nraw * sizeof(double));
    size_t o_stage[QALA_INDEX_STAGE_COUNT] = {0};
    o_stage[QALA_INDEX_STAGE_DENOMINATED] = place(&l, nstage, nr * sizeof(double));
    o_stage[QALA_INDEX_STAGE_IMPUTED] = place(&l, nstage, nr * sizeof(double));
    o_stage[QALA_INDEX_STAGE_TREATED] = place(&l, nstage, nr * sizeof(double));
    o_stage[QALA_INDEX_STAGE_NORMALISED] = place(&l, nstage, nr * sizeof(double));
    o_stage[QALA_INDEX_STAGE_AGGREGATED] = place(&l, nn - ni, nr * sizeof(double));
    o_stage[QALA_INDEX_STAGE_RANKED] = place(&l, nranked, nr * sizeof(double));
    size_t o_flags = place(&l, fused ? 0 : (size_t)FLAGS_COUNT * ni, nr);
    char *d = alloc_big(&l, "index columns", &res->data_bytes);
    if (!d)
        return QALA_ENOMEM;
    res->data = d;
    double *raw = AT(d, o_raw);
    for (size_t i = 0; i < ni && !fused; i++) {
        if (res->in_col[i] != SIZE_MAX) {
            memcpy(raw, res->input->columns[res->in_col[i]], nraw * sizeof *raw);
            res->col[i] = raw; /* stage RAW = 0 */
            raw += nraw;
        }
        for (int s = QALA_INDEX_STAGE_DENOMINATED; s <= QALA_INDEX_STAGE_NORMALISED; s++)
            res->col[(size_t)s * nn + i] = (double *)AT(d, o_stage[s]) + i * nr;
        res->col[(size_t)QALA_INDEX_STAGE_AGGREGATED * nn + i] =
            res->col[(size_t)QALA_INDEX_STAGE_NORMALISED * nn + i];
    }
    for (size_t a = ni; a < nn; a++)
        res->col[(size_t)QALA_INDEX_STAGE_AGGREGATED * nn + a] =
            (double *)AT(d, o_stage[QALA_INDEX_STAGE_AGGREGATED]) + (a - ni) * nr;
    double *rk = AT(d, o_stage[QALA_INDEX_STAGE_RANKED]);
    for (size_t i = 0; i < nn; i++)
        if (qala_index__ranked(res, i)) {
            res->col[(size_t)QALA_INDEX_STAGE_RANKED * nn + i] = rk;
            rk += nr;
        }
    if (fused)
        return QALA_OK;
    uint8_t *f = AT(d, o_flags);
    memset(f, 0, (size_t)FLAGS_COUNT * ni * nr);
    for (size_t t = 0; t < (size_t)FLAGS_COUNT * ni; t++)
        res->flags[t] = f + t * nr;

    layout s = {0, 0};
    size_t o_block = place(&s, res->max_children, nr * sizeof(double)),
           o_dg = place(&s, nr, sizeof(double)), o_kg = place(&s, res->nkept, sizeof(uint32_t)),
           o_pf = place(&s, res->nperiods, 1),
           o_items = place(&s, res->nkept, sizeof(qala_rank_item)),
           o_cw = place(&s, res->max_children, sizeof(double)),
           o_cid = place(&s, res->max_children, sizeof(size_t));
    char *sc = alloc_layout(&s, "index scratch");
    if (!sc)
        return QALA_ENOMEM;
    res->scratch = sc;
    res->block = AT(sc, o_block);
    res->dgather = AT(sc, o_dg);
    res->kept_group = AT(sc, o_kg);
    res->pflags = AT(sc, o_pf);
    res->rank_items = AT(sc, o_items);
    res->cw = AT(sc, o_cw);
    res->cid = AT(sc, o_cid);
    return QALA_OK;
}

void qala_index__period_text(const qala_index_result *res, size_t p, char buf[static 16])
{
    buf[0] = '\0';
    if (res->has_periods)
        qala_period_format(buf, res->periods[p]);
}

/* ---- the run ---------------------------------------------------------------------- */

qala_status qala_index_run(qala_index_result **out, const qala_index_tree *tree,
                           const qala_index_input *input)
{
    assert(out && input);
    *out = NULL;
    qala_status st = qala_index_tree_check(tree);
    if (st != QALA_OK)
        return st;
    if ((st = check_input(input)) != QALA_OK)
        return st;
    qala_index_result *res = qala_mem__calloc(1, sizeof *res);
    if (!res)
        return qala_err__set(QALA_ENOMEM, "index: out of memory (result)");
    res->tree = tree;
    res->input = input;
    res->nunits = input->nunits;
    res->nperiods = input->nperiods;
    res->nind = tree->nindicators;
    res->nnodes = tree->nnodes;
    if ((st = alloc_meta(res)) != QALA_OK || (st = copy_input(res)) != QALA_OK)
        goto fail;
    build_children(res);
    if ((st = resolve(res)) != QALA_OK)
        goto fail;
    if (qala_index__fused_applies(res)) {
        /* every unit is kept (no unit screen): the fused path screens the indicators */
        res->nkept = res->nunits;
        for (size_t u = 0; u < res->nunits; u++) {
            res->kept[u] = u;
            res->unit_kept[u] = 1;
        }
        res->nrows = res->nperiods * res->nkept;
        if ((st = alloc_data(res, 1)) != QALA_OK || (st = qala_index__run_fused(res)) != QALA_OK ||
            (st = qala_index__weights(res)) != QALA_OK)
            goto fail;
        res->input = NULL;
        *out = res;
        return QALA_OK;
    }
    if ((st = qala_index__screen(res)) != QALA_OK)
        goto fail;
    res->nrows = res->nperiods * res->nkept;
    if ((st = alloc_data(res, 0)) != QALA_OK)
        goto fail;
    if (res->impute_grouping != SIZE_MAX) {
        const uint32_t *g = res->groupings[res->impute_grouping].group;
        for (size_t k = 0; k < res->nkept; k++)
            res->kept_group[k] = g[res->kept[k]];
    }
    if ((st = qala_index__denominate(res)) != QALA_OK ||
        (st = qala_index__impute(res)) != QALA_OK || (st = qala_index__treat(res)) != QALA_OK ||
        (st = qala_index__normalise(res)) != QALA_OK ||
        (st = qala_index__aggregate(res)) != QALA_OK ||
        (st = qala_index__rank(res)) != QALA_OK || (st = qala_index__weights(res)) != QALA_OK)
        goto fail;
    qala_mem__free(res->scratch);
    res->scratch = NULL;
    res->input = NULL;
    *out = res;
    return QALA_OK;
fail:
    qala_index_result_free(res);
    return st;
}

void qala_index_result_free(qala_index_result *res)
{
    if (!res)
        return;
    qala_mem__free_big(res->meta, res->meta_bytes);
    qala_mem__free_big(res->copies, res->copies_bytes);
    qala_mem__free_big(res->data, res->data_bytes);
    qala_mem__free(res->scratch);
    qala_mem__free(res);
}

/* ---- getters ---------------------------------------------------------------------- */

const qala_index_tree *qala_index_result_tree(const qala_index_result *res)
{
    assert(res);
    return res->tree;
}

size_t qala_index_result_units(const qala_index_result *res)
{
    assert(res);
    return res->nkept;
}

size_t qala_index_result_periods(const qala_index_result *res)
{
    assert(res);
    return res->nperiods;
}

const char *qala_index_result_unit_code(const qala_index_result *res, size_t u)
{
    assert(res);
    return u < res->nunits ? res->unit_codes[u] : NULL;
}

qala_period qala_index_result_period(const qala_index_result *res, size_t p)
{
    assert(res);
    return p < res->nperiods ? res->periods[p] : 0;
}

size_t qala_index_result_unit(const qala_index_result *res, size_t k)
{
    assert(res && k < res->nkept);
    return res->kept[k];
}

int qala_index_result_unit_kept(const qala_index_result *res, size_t u)
{
    assert(res);
    return u < res->nunits && res->unit_kept[u];
}

double qala_index_result_unit_availability(const qala_index_result *res, size_t u)
{
    assert(res);
    return u < res->nunits ? res->unit_avail[u] : NAN;
}

const double *qala_index_result_column(const qala_index_result *res, qala_index_stage stage,
                                       size_t node)
{
    assert(res);
    if ((unsigned)stage >= QALA_INDEX_STAGE_COUNT || node >= res->nnodes)
        return NULL;
    if (res->tree->settings.scores_only && node < res->nind)
        return NULL;
    return res->col[(size_t)stage * res->nnodes + node];
}

const uint8_t *qala_index_result_flags(const qala_index_result *res, qala_index_stage stage,
                                       size_t node)
{
    assert(res);
    if (node >= res->nind || res->tree->settings.scores_only)
        return NULL;
    switch (stage) {
    case QALA_INDEX_STAGE_DENOMINATED: return res->flags[FLAGS_DENOMINATED * res->nind + node];
    case QALA_INDEX_STAGE_IMPUTED: return res->flags[FLAGS_IMPUTED * res->nind + node];
    case QALA_INDEX_STAGE_TREATED: return res->flags[FLAGS_TREATED * res->nind + node];
    default: return NULL;
    }
}

const qala_index_indicator_report *qala_index_result_report(const qala_index_result *res,
                                                            size_t node)
{
    assert(res);
    return node < res->nind ? &res->report[node] : NULL;
}

const double *qala_index_result_effective_weights(const qala_index_result *res)
{
    assert(res);
    return res->eff_weight;
}

size_t qala_index_result_groupings(const qala_index_result *res)
{
    assert(res);
    return res->ngroupings;
}

const qala_index_grouping *qala_index_result_grouping(const qala_index_result *res, size_t i)
{
    assert(res);
    return i < res->ngroupings ? &res->groupings[i] : NULL;
}

qala_status qala_index_result_group_ranks(const qala_index_result *res, size_t node,
                                          const char *grouping, double *out)
{
    assert(res && out);
    if (node >= res->nnodes)
        return qala_err__set(QALA_EINVAL, "group ranks: node %zu of %zu", node, res->nnodes);
    size_t g = grouping ? find_grouping(res->groupings, res->ngroupings, grouping) : SIZE_MAX;
    if (g == SIZE_MAX)
        return qala_err__set(QALA_ENOTFOUND, "group ranks: no grouping '%s' in the input",
                             grouping ? grouping : "");
    const double *x = res->col[(size_t)QALA_INDEX_STAGE_AGGREGATED * res->nnodes + node];
    if (!x || (res->tree->settings.scores_only && node < res->nind))
        return qala_err__set(QALA_EINVAL, "group ranks: the run kept no scores of '%s' "
                             "(scores_only)", res->tree->nodes[node].code);
    size_t nk = res->nkept;
    layout l = {0, 0};
    size_t o_items = place(&l, nk, sizeof(qala_rank_item)), o_gid = place(&l, nk, sizeof(size_t));
    char *b = alloc_layout(&l, "group ranks");
    if (!b)
        return QALA_ENOMEM;
    qala_rank_item *items = AT(b, o_items);
    size_t *gid = AT(b, o_gid);
    const uint32_t *ids = res->groupings[g].group;
    for (size_t k = 0; k < nk; k++) {
        uint32_t id = ids[res->kept[k]];
        gid[k] = id == QALA_IMPUTE_NO_GROUP ? QALA_RANK_NO_GROUP : id;
    }
    qala_status st = QALA_OK;
    for (size_t p = 0; p < res->nperiods && st == QALA_OK; p++)
        st = qala_rank_min_groups(out + p * nk, 1, x + p * nk, 1, gid, nk, QALA_RANK_DESC,
                                  items);
    qala_mem__free(b);
    return st;
}
