/* src/panel_grouping.c — partitions of a panel's units (qala/panel.h): by first-level
 * region, by kind (oblystar against cities of republican significance), by city type (the
 * registry's groups), by one registry group or a list of them, and the two-stage nesting
 * of one partition inside another (for Akita's nested Theil decomposition).
 *
 * Place in the pipeline: qala_panel_build → here → the decompositions and comparisons
 * of src/dynamics.c. Invariants: ids are dense, in the order the codes are listed; a
 * group without any unit is kept (stable ids) except in a nesting, which has only the
 * pairs that hold units. Work: O(units · groups) registry look-ups, once per run.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qala/panel.h"
#include "qala/text.h"
#include "util/internal.h"

#define NONE SIZE_MAX

void qala_panel_grouping_free(qala_panel_grouping *g)
{
    if (!g)
        return;
    for (size_t i = 0; g->codes && i < g->ngroups; i++)
        qala_mem__free((char *)g->codes[i]);
    qala_mem__free(g->codes);
    qala_mem__free(g->group);
    qala_mem__free(g->outer_of);
    qala_mem__free(g);
}

static qala_status grouping_new(qala_panel_grouping **out, size_t nunits, size_t ngroups)
{
    qala_panel_grouping *g = qala_mem__calloc(1, sizeof *g);
    if (!g)
        return qala_err__set(QALA_ENOMEM, "grouping: out of memory");
    g->codes = qala_mem__calloc(ngroups + 1, sizeof *g->codes);
    g->group = qala_mem__malloc((nunits + 1) * sizeof *g->group);
    if (!g->codes || !g->group) {
        qala_panel_grouping_free(g);
        return qala_err__set(QALA_ENOMEM, "grouping: out of memory");
    }
    g->nunits = nunits;
    for (size_t u = 0; u < nunits; u++)
        g->group[u] = QALA_PANEL_NO_GROUP;
    *out = g;
    return QALA_OK;
}

static qala_status add_code(qala_panel_grouping *g, const char *code)
{
    char *copy = qala_mem__strdup(code);
    if (!copy)
        return qala_err__set(QALA_ENOMEM, "grouping: out of memory");
    g->codes[g->ngroups++] = copy;
    return QALA_OK;
}

/* "region": the first-level unit of each unit at the panel's date, in registry order. */
static qala_status by_region(qala_panel_grouping **out, const qala_panel *p, const qala_registry *reg)
{
    size_t nreg = qala_registry_unit_count(reg);
    size_t *id = qala_mem__malloc((nreg + 1) * sizeof *id), *region_of = qala_mem__malloc((p->nunits + 1) * sizeof *region_of);
    qala_panel_grouping *g = NULL;
    qala_status st = id && region_of ? grouping_new(&g, p->nunits, nreg)
                                     : qala_err__set(QALA_ENOMEM, "grouping: out of memory");
    for (size_t r = 0; st == QALA_OK && r < nreg; r++)
        id[r] = NONE;
    for (size_t u = 0; st == QALA_OK && u < p->nunits; u++) {
        size_t r, ru = p->reg_units[u];
        const qala_unit *unit = qala_registry_unit(reg, ru);
        qala_date at = p->at;
        if (!qala_registry_alive_at(reg, ru, at)) /* abolished before `at`: its last region */
            at = unit->valid_to <= at ? unit->valid_to - 1 : unit->valid_from;
        region_of[u] = qala_registry_region_at(reg, ru, at, &r) == QALA_OK ? r : NONE;
        if (region_of[u] != NONE)
            id[r] = 0;
    }
    for (size_t r = 0; st == QALA_OK && r < nreg; r++)
        if (id[r] != NONE) {
            id[r] = g->ngroups;
            st = add_code(g, qala_registry_unit(reg, r)->code);
        }
    for (size_t u = 0; st == QALA_OK && u < p->nunits; u++)
        if (region_of[u] != NONE)
            g->group[u] = (uint32_t)id[region_of[u]];
    qala_mem__free(id);
    qala_mem__free(region_of);
    if (st != QALA_OK) {
        qala_panel_grouping_free(g);
        return st;
    }
    *out = g;
    return QALA_OK;
}

static qala_status by_kind(qala_panel_grouping **out, const qala_panel *p, const qala_registry *reg)
{
    qala_panel_grouping *g = NULL;
    qala_status st = grouping_new(&g, p->nunits, 2);
    if (st == QALA_OK)
        st = add_code(g, "region");
    if (st == QALA_OK)
        st = add_code(g, "city");
    if (st != QALA_OK) {
        qala_panel_grouping_free(g);
        return st;
    }
    for (size_t u = 0; u < p->nunits; u++) {
        qala_unit_kind k = qala_registry_unit(reg, p->reg_units[u])->kind;
        g->group[u] = k == QALA_UNIT_REGION ? 0 : k == QALA_UNIT_CITY ? 1 : QALA_PANEL_NO_GROUP;
    }
    *out = g;
    return QALA_OK;
}

/* The first of the listed registry groups each unit belongs to, else "other". */
static qala_status by_groups(qala_panel_grouping **out, const qala_panel *p, const qala_registry *reg,
                             const size_t *groups, size_t n)
{
    qala_panel_grouping *g = NULL;
    qala_status st = grouping_new(&g, p->nunits, n + 1);
    for (size_t i = 0; st == QALA_OK && i < n; i++)
        st = add_code(g, qala_registry_group(reg, groups[i])->code);
    if (st == QALA_OK)
        st = add_code(g, "other");
    if (st != QALA_OK) {
        qala_panel_grouping_free(g);
        return st;
    }
    for (size_t u = 0; u < p->nunits; u++) {
        g->group[u] = (uint32_t)n;
        for (size_t i = 0; i < n; i++)
            if (qala_registry_in_group_at(reg, groups[i], p->reg_units[u], p->at)) {
                g->group[u] = (uint32_t)i;
                break;
            }
    }
    *out = g;
    return QALA_OK;
}

/* QALA_ENOTFOUND for an unknown name, with the names and the closest one. */
static qala_status unknown_name(const qala_registry *reg, const char *name)
{
    static const char *const own[] = {"region", "kind", "type"};
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < 3 + qala_registry_group_count(reg); i++) {
        const char *c = i < 3 ? own[i] : qala_registry_group(reg, i - 3)->code;
        size_t d = qala_text_distance(name, c, 3);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    char list[512] = "region, kind, type";
    for (size_t i = 0; i < qala_registry_group_count(reg); i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, ", %s", qala_registry_group(reg, i)->code);
    }
    if (best)
        return qala_err__set(QALA_ENOTFOUND, "unknown grouping '%s': did you mean '%s'? (groupings: %s, or G1,G2)",
                             name, best, list);
    return qala_err__set(QALA_ENOTFOUND, "unknown grouping '%s' (groupings: %s, or G1,G2)", name, list);
}

qala_status qala_panel_grouping_make(qala_panel_grouping **out, const qala_panel *p,
                                     const qala_registry *reg, const char *spec)
{
    assert(out && p && reg && spec);
    *out = NULL;
    if (strcmp(spec, "region") == 0)
        return by_region(out, p, reg);
    if (strcmp(spec, "kind") == 0)
        return by_kind(out, p, reg);
    size_t ng = qala_registry_group_count(reg), n = 0;
    size_t *groups = qala_mem__malloc((ng + strlen(spec) + 1) * sizeof *groups);
    if (!groups)
        return qala_err__set(QALA_ENOMEM, "grouping: out of memory");
    qala_status st = QALA_OK;
    if (strcmp(spec, "type") == 0) {
        for (size_t i = 0; i < ng; i++)
            groups[n++] = i;
    } else {
        for (const char *s = spec; st == QALA_OK;) {
            const char *comma = strchr(s, ',');
            size_t len = comma ? (size_t)(comma - s) : strlen(s);
            char name[128];
            if (len >= sizeof name)
                len = sizeof name - 1;
            memcpy(name, s, len);
            name[len] = '\0';
            if (qala_registry_find_group(reg, name, &groups[n]) != QALA_OK)
                st = unknown_name(reg, name);
            else
                n++;
            if (!comma)
                break;
            s = comma + 1;
        }
    }
    if (st == QALA_OK)
        st = by_groups(out, p, reg, groups, n);
    qala_mem__free(groups);
    return st;
}

qala_status qala_panel_grouping_nest(qala_panel_grouping **out, const qala_panel_grouping *inner,
                                     const qala_panel_grouping *outer)
{
    assert(out && inner && outer);
    *out = NULL;
    if (inner->nunits != outer->nunits)
        return qala_err__set(QALA_EINVAL, "grouping: nesting groupings of %zu and %zu units", inner->nunits,
                             outer->nunits);
    size_t ni = inner->ngroups, no = outer->ngroups, cells = ni * no, n = 0;
    size_t *pair = qala_mem__malloc((cells + 1) * sizeof *pair);
    if (!pair)
        return qala_err__set(QALA_ENOMEM, "grouping: out of memory");
    for (size_t c = 0; c < cells; c++)
        pair[c] = NONE;
    for (size_t u = 0; u < inner->nunits; u++)
        if (inner->group[u] != QALA_PANEL_NO_GROUP && outer->group[u] != QALA_PANEL_NO_GROUP)
            pair[(size_t)outer->group[u] * ni + inner->group[u]] = 0;
    for (size_t c = 0; c < cells; c++)
        if (pair[c] != NONE)
            pair[c] = n++;
    qala_panel_grouping *g = NULL;
    qala_status st = grouping_new(&g, inner->nunits, n);
    if (st == QALA_OK) {
        g->nunits = inner->nunits;
        g->nouter = no;
        g->outer_of = qala_mem__malloc((n + 1) * sizeof *g->outer_of);
        if (!g->outer_of)
            st = qala_err__set(QALA_ENOMEM, "grouping: out of memory");
    }
    for (size_t c = 0; st == QALA_OK && c < cells; c++) {
        if (pair[c] == NONE)
            continue;
        const char *oc = outer->codes[c / ni], *ic = inner->codes[c % ni];
        size_t len = strlen(oc) + strlen(ic) + 2;
        char *code = qala_mem__malloc(len);
        if (!code) {
            st = qala_err__set(QALA_ENOMEM, "grouping: out of memory");
            break;
        }
        snprintf(code, len, "%s/%s", oc, ic);
        g->outer_of[g->ngroups] = (uint32_t)(c / ni);
        g->codes[g->ngroups++] = code;
    }
    for (size_t u = 0; st == QALA_OK && u < inner->nunits; u++)
        if (inner->group[u] != QALA_PANEL_NO_GROUP && outer->group[u] != QALA_PANEL_NO_GROUP)
            g->group[u] = (uint32_t)pair[(size_t)outer->group[u] * ni + inner->group[u]];
    qala_mem__free(pair);
    if (st != QALA_OK) {
        qala_panel_grouping_free(g);
        return st;
    }
    *out = g;
    return QALA_OK;
}
