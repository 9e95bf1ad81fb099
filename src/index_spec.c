/* src/index_spec.c — storage of a composite-index spec (qala/index_spec.h): the builder,
 * weight sets, accessors, and the entry points that read a file or an embedded spec.
 *
 * A spec holds its nodes as the caller gave them (parents by code, each node's own
 * settings, already merged with the file's defaults by the JSON reader,
 * index_spec_json.c), the per-level aggregation overrides and the named weight sets;
 * index_spec_check.c checks the whole and resolves it into the qala_index_tree the
 * pipeline reads. Each node owns its strings in one packed block, so the node array can
 * grow without moving them; the tree borrows them. Any change to the spec drops the
 * resolved tree. Workload: tens to a few hundred nodes in practice, up to 100,000 from a
 * file; every operation here is O(1) amortised or O(n), a lookup O(log n).
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "index_spec_internal.h"
#include "qala/defaults.h"
#include "util/internal.h"

/* ---- storage ------------------------------------------------------------------------ */

void qala_index_spec__drop_resolved(qala_index_spec *spec)
{
    qala_mem__free(spec->tree_nodes);
    qala_mem__free(spec->pos);
    qala_mem__free(spec->byname);
    spec->tree_nodes = NULL;
    spec->pos = NULL;
    spec->byname = NULL;
    spec->nbyname = 0;
    memset(&spec->tree, 0, sizeof spec->tree);
    spec->finished = 0;
}

void qala_index_spec__reset(qala_index_spec *spec)
{
    qala_index_spec__drop_resolved(spec);
    for (size_t i = 0; i < spec->nnodes; i++)
        qala_mem__free(spec->nodes[i].block);
    for (size_t i = 0; i < spec->nlevels; i++)
        qala_mem__free(spec->levels[i].block);
    for (size_t i = 0; i < spec->nweights; i++)
        qala_mem__free(spec->weights[i].block);
    qala_mem__free(spec->nodes);
    qala_mem__free(spec->levels);
    qala_mem__free(spec->weights);
    qala_mem__free(spec->sets);
    qala_mem__free(spec->code);
    qala_mem__free(spec->texts);
    memset(spec, 0, sizeof *spec);
    qala_index_settings_init(&spec->settings);
}

qala_status qala_index_spec_new(qala_index_spec **out)
{
    assert(out);
    *out = qala_mem__calloc(1, sizeof **out);
    if (!*out)
        return qala_err__set(QALA_ENOMEM, "out of memory creating an index spec");
    qala_index_settings_init(&(*out)->settings);
    return QALA_OK;
}

void qala_index_spec_free(qala_index_spec *spec)
{
    if (!spec)
        return;
    qala_index_spec__reset(spec);
    qala_mem__free(spec);
}

static int valid_spec_code(const char *code)
{
    size_t n = strlen(code);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

qala_status qala_index_spec_set_code(qala_index_spec *spec, const char *code)
{
    assert(spec && code);
    if (!valid_spec_code(code))
        return qala_err__set(QALA_EINVAL, "index spec code '%s' must be 1 to 64 characters of "
                             "a-z, 0-9, '_' and '-'", code);
    char *copy = qala_mem__strdup(code);
    if (!copy)
        return qala_err__set(QALA_ENOMEM, "out of memory setting the spec's code");
    qala_mem__free(spec->code);
    spec->code = copy;
    return QALA_OK;
}

qala_status qala_index_spec_set_settings(qala_index_spec *spec, const qala_index_settings *s)
{
    assert(spec && s);
    spec->settings = *s;
    spec->settings.impute_group[sizeof spec->settings.impute_group - 1] = '\0';
    qala_index_spec__drop_resolved(spec);
    return QALA_OK;
}

qala_status qala_index_spec__set_texts(qala_index_spec *spec, const char *const name[3],
                                       const char *source, const char *description)
{
    const char *strs[5] = {name[0], name[1], name[2], source, description};
    const char *copies[5];
    char *block = qala_mem__pack_strings(0, strs, 5, copies);
    if (!block)
        return qala_err__set(QALA_ENOMEM, "out of memory storing the spec's names");
    qala_mem__free(spec->texts);
    spec->texts = block;
    for (int l = 0; l < 3; l++)
        spec->name[l] = name[l] ? copies[l] : NULL;
    spec->source = copies[3];
    spec->description = copies[4];
    return QALA_OK;
}

qala_status qala_index_spec__add(qala_index_spec *spec, const qala_index_node *node,
                                 const char *parent_code, const char *path, unsigned agg_mask)
{
    assert(spec && node && path);
    if (qala_mem__grow((void **)&spec->nodes, &spec->anodes, spec->nnodes + 1,
                       sizeof *spec->nodes) != QALA_OK)
        return QALA_ENOMEM;
    enum { S_CODE, S_KK, S_RU, S_EN, S_DEN, S_REF, S_PARENT, S_PATH, S_N };
    const char *strs[S_N] = {node->code, node->name[0], node->name[1], node->name[2],
                             node->denominator, node->normalise_ref, parent_code, path};
    const char *copies[S_N];
    char *block = qala_mem__pack_strings(0, strs, S_N, copies);
    if (!block)
        return qala_err__set(QALA_ENOMEM, "out of memory adding index node '%s'",
                             node->code ? node->code : "");
    spec_node *sn = &spec->nodes[spec->nnodes++];
    sn->n = *node;
    sn->block = block;
    sn->n.code = node->code ? copies[S_CODE] : NULL;
    for (int l = 0; l < 3; l++)
        sn->n.name[l] = node->name[l] ? copies[S_KK + l] : NULL;
    sn->n.denominator = node->denominator ? copies[S_DEN] : NULL;
    sn->n.normalise_ref = node->normalise_ref ? copies[S_REF] : NULL;
    sn->n.parent = QALA_INDEX_NONE;
    sn->parent_code = parent_code ? copies[S_PARENT] : NULL;
    sn->path = copies[S_PATH];
    sn->agg_mask = agg_mask;
    qala_index_spec__drop_resolved(spec);
    return QALA_OK;
}

qala_status qala_index_spec_add_node(qala_index_spec *spec, const qala_index_node *node,
                                     const char *parent_code)
{
    char path[32];
    snprintf(path, sizeof path, "nodes[%zu]", spec->nnodes);
    return qala_index_spec__add(spec, node, parent_code, path, QALA_SPEC_AGG_ALL);
}

qala_status qala_index_spec__add_level(qala_index_spec *spec, int level,
                                       const char *const name[3], const qala_agg_spec *agg,
                                       unsigned mask, const char *path)
{
    if (qala_mem__grow((void **)&spec->levels, &spec->alevels, spec->nlevels + 1,
                       sizeof *spec->levels) != QALA_OK)
        return QALA_ENOMEM;
    const char *strs[4] = {name[0], name[1], name[2], path};
    const char *copies[4];
    char *block = qala_mem__pack_strings(0, strs, 4, copies);
    if (!block)
        return qala_err__set(QALA_ENOMEM, "out of memory adding a level");
    spec_level *lv = &spec->levels[spec->nlevels++];
    lv->level = level;
    for (int l = 0; l < 3; l++)
        lv->name[l] = name[l] ? copies[l] : NULL;
    lv->agg = *agg;
    lv->mask = mask;
    lv->path = copies[3];
    lv->block = block;
    qala_index_spec__drop_resolved(spec);
    return QALA_OK;
}

qala_status qala_index_spec__add_weight(qala_index_spec *spec, const char *set,
                                        const char *node_code, double weight,
                                        const char *path)
{
    assert(spec && set && node_code && path);
    if (qala_mem__grow((void **)&spec->weights, &spec->aweights, spec->nweights + 1,
                       sizeof *spec->weights) != QALA_OK)
        return QALA_ENOMEM;
    /* a file gives the entries of a set together: try the last set first */
    size_t s = spec->nsets && strcmp(spec->sets[spec->nsets - 1], set) == 0 ? spec->nsets - 1 : 0;
    while (s < spec->nsets && strcmp(spec->sets[s], set) != 0)
        s++;
    if (s == spec->nsets && qala_mem__grow((void **)&spec->sets, &spec->asets, spec->nsets + 1,
                                           sizeof *spec->sets) != QALA_OK)
        return QALA_ENOMEM;
    const char *strs[3] = {set, node_code, path};
    const char *copies[3];
    char *block = qala_mem__pack_strings(0, strs, 3, copies);
    if (!block)
        return qala_err__set(QALA_ENOMEM, "out of memory adding a weight");
    spec_weight *w = &spec->weights[spec->nweights++];
    w->set = copies[0];
    w->node = copies[1];
    w->path = copies[2];
    w->weight = weight;
    w->block = block;
    if (s == spec->nsets)
        spec->sets[spec->nsets++] = w->set;
    qala_index_spec__drop_resolved(spec);
    return QALA_OK;
}

qala_status qala_index_spec_add_weight(qala_index_spec *spec, const char *set,
                                       const char *node_code, double weight)
{
    char path[160];
    snprintf(path, sizeof path, "weight set '%.100s'", set);
    return qala_index_spec__add_weight(spec, set, node_code, weight, path);
}

/* ---- lookup, weight sets and accessors ---------------------------------------------- */

size_t qala_index_spec__lookup(const qala_index_spec *spec, const char *code)
{
    const named *byname = spec->byname;
    size_t lo = 0, hi = spec->nbyname, nb = spec->nbyname;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(byname[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nb && strcmp(byname[lo].code, code) == 0 ? byname[lo].idx : QALA_INDEX_NONE;
}

/* The tree's weights from the set in use (NULL = the nodes' own). */
void qala_index_spec__apply_weights(qala_index_spec *spec)
{
    for (size_t i = 0; i < spec->nnodes; i++)
        spec->tree_nodes[spec->pos[i]].weight = spec->nodes[i].n.weight;
    if (!spec->set_in_use)
        return;
    for (size_t i = 0; i < spec->nweights; i++) {
        const spec_weight *w = &spec->weights[i];
        if (strcmp(w->set, spec->set_in_use) != 0)
            continue;
        size_t k = qala_index_spec__lookup(spec, w->node);
        if (k != QALA_INDEX_NONE)
            spec->tree_nodes[spec->pos[k]].weight = w->weight;
    }
}

qala_status qala_index_spec_use_weights(qala_index_spec *spec, const char *set)
{
    assert(spec && set);
    const char *found = NULL;
    if (strcmp(set, "default") != 0) {
        for (size_t s = 0; s < spec->nsets && !found; s++)
            if (strcmp(spec->sets[s], set) == 0)
                found = spec->sets[s];
        if (!found) {
            char list[400];
            size_t len = (size_t)snprintf(list, sizeof list, "default");
            for (size_t s = 0; s < spec->nsets && len < sizeof list; s++)
                len += (size_t)snprintf(list + len, sizeof list - len, ", %s", spec->sets[s]);
            return qala_err__set(QALA_ENOTFOUND, "no weight set '%s' (the sets are %s)", set,
                                 list);
        }
    }
    spec->set_in_use = found;
    if (spec->finished)
        qala_index_spec__apply_weights(spec);
    return QALA_OK;
}

const char *qala_index_spec_weight_set(const qala_index_spec *spec, size_t i)
{
    assert(spec);
    if (i == 0)
        return "default";
    return i - 1 < spec->nsets ? spec->sets[i - 1] : NULL;
}

const qala_index_tree *qala_index_spec_tree(const qala_index_spec *spec)
{
    assert(spec);
    return spec->finished ? &spec->tree : NULL;
}

const char *qala_index_spec_code(const qala_index_spec *spec)
{
    assert(spec);
    return spec->code ? spec->code : "";
}

const char *qala_index_spec_name(const qala_index_spec *spec, qala_lang lang)
{
    assert(spec);
    int l = lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)lang;
    if (l >= 0 && l < 3 && spec->name[l] && spec->name[l][0])
        return spec->name[l];
    if (spec->name[QALA_LANG_EN] && spec->name[QALA_LANG_EN][0])
        return spec->name[QALA_LANG_EN];
    return qala_index_spec_code(spec);
}

const char *qala_index_spec_level_name(const qala_index_spec *spec, int level, qala_lang lang)
{
    assert(spec);
    int l = lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)lang;
    for (size_t k = 0; k < spec->nlevels; k++) {
        const spec_level *lv = &spec->levels[k];
        if (lv->level != level)
            continue;
        if (l >= 0 && l < 3 && lv->name[l] && lv->name[l][0])
            return lv->name[l];
        return lv->name[QALA_LANG_EN] && lv->name[QALA_LANG_EN][0] ? lv->name[QALA_LANG_EN]
                                                                    : NULL;
    }
    return NULL;
}

const char *qala_index_spec_source(const qala_index_spec *spec)
{
    assert(spec);
    return spec->source ? spec->source : "";
}

const char *qala_index_spec_description(const qala_index_spec *spec)
{
    assert(spec);
    return spec->description ? spec->description : "";
}

qala_status qala_index_spec_find(const qala_index_spec *spec, const char *code, size_t *index)
{
    assert(spec && code);
    if (spec->finished) {
        size_t k = qala_index_spec__lookup(spec, code);
        if (k != QALA_INDEX_NONE) {
            if (index)
                *index = spec->pos[k];
            return QALA_OK;
        }
    }
    return qala_err__set(QALA_ENOTFOUND, "no node '%s' in index spec '%s'", code,
                         qala_index_spec_code(spec));
}


/* ---- files and embedded specs ------------------------------------------------------- */

qala_status qala_index_spec_load_file(qala_index_spec *spec, const char *path,
                                      qala_findings *findings)
{
    assert(spec && path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        qala_index_spec__reset(spec);
        return qala_err__set(QALA_EIO, "cannot open index spec '%s'", path);
    }
    qala_buf b;
    qala_buf__init(&b, QALA_SPEC_MAX_BYTES + 1);
    char chunk[8192];
    size_t got;
    qala_status st = QALA_OK;
    while (st == QALA_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = qala_buf__append(&b, chunk, got);
    int err = ferror(f);
    fclose(f);
    if (st == QALA_ELIMIT) /* let the reader report the size as a finding */
        st = qala_index_spec_load_json(spec, NULL, QALA_SPEC_MAX_BYTES + 1, path, findings);
    else if (st == QALA_OK && err)
        st = qala_err__set(QALA_EIO, "cannot read index spec '%s'", path);
    else if (st == QALA_OK)
        st = qala_index_spec_load_json(spec, b.data, b.len, path, findings);
    if (st == QALA_ENOMEM || st == QALA_EIO)
        qala_index_spec__reset(spec);
    qala_buf__free(&b);
    return st;
}

static const char *const default_names[] = {"city-development", "smart-city", "asem"};
#define NDEFAULTS (sizeof default_names / sizeof default_names[0])

const char *qala_index_spec_default_name(size_t i)
{
    return i < NDEFAULTS ? default_names[i] : NULL;
}

qala_status qala_index_spec_load_default(qala_index_spec *spec, const char *name,
                                         qala_findings *findings)
{
    assert(spec && name);
    for (size_t i = 0; i < NDEFAULTS; i++) {
        if (strcmp(name, default_names[i]) != 0)
            continue;
        char path[64], label[64];
        snprintf(path, sizeof path, "index/%s.json", name);
        snprintf(label, sizeof label, "%s.json", name);
        size_t len = 0;
        const char *text = qala_default_data(path, &len);
        if (!text) {
            qala_index_spec__reset(spec);
            return qala_err__set(QALA_ENOTFOUND, "the embedded index spec %s is missing", path);
        }
        return qala_index_spec_load_json(spec, text, len, label, findings);
    }
    qala_index_spec__reset(spec);
    return qala_err__set(QALA_ENOTFOUND, "no embedded index spec '%s' (the specs are "
                         "city-development, smart-city, asem)", name);
}
