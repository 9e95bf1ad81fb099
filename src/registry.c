/* src/registry.c — the registry of territorial units: building it and reading it.
 *
 * The registry is loaded once per run (~100 units for Kazakhstan, up to 100,000 in the
 * scale tests) and then read many times: every imported row resolves a unit code or a
 * name, every analysis asks for names and parents at a date. Adding is O(1) amortised
 * (arrays that double, hash indices reserved before anything changes, so that a failed
 * add leaves the registry as it was); the per-unit queries walk only that unit's lists.
 * CSV loading is in registry_load.c, the consistency check in registry_check.c, name
 * matching in registry_match.c.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/text.h"
#include "registry_internal.h"
#include "util/internal.h"

/* ---- enums ------------------------------------------------------------------------ */

static const char *const lang_codes[QALA_LANG_COUNT] = {"kk", "ru", "en", "kk-latn"};
static const char *const kind_codes[QALA_UNIT_KIND_COUNT] = {"country", "region", "city"};

static int equal_nocase(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

qala_status qala_lang_parse(qala_lang *out, const char *text)
{
    for (int i = 0; i < QALA_LANG_COUNT; i++) {
        if (equal_nocase(text, lang_codes[i])) {
            *out = (qala_lang)i;
            return QALA_OK;
        }
    }
    return qala_err__set(QALA_EINVAL, "unknown language \"%s\": expected kk, ru, en or kk-latn",
                         text);
}

const char *qala_lang_code(qala_lang lang)
{
    return (unsigned)lang < QALA_LANG_COUNT ? lang_codes[lang] : "?";
}

const char *qala_unit_kind_code(qala_unit_kind kind)
{
    return (unsigned)kind < QALA_UNIT_KIND_COUNT ? kind_codes[kind] : "?";
}

qala_status qala_unit_kind_parse(qala_unit_kind *out, const char *text)
{
    for (int i = 0; i < QALA_UNIT_KIND_COUNT; i++) {
        if (equal_nocase(text, kind_codes[i])) {
            *out = (qala_unit_kind)i;
            return QALA_OK;
        }
    }
    return qala_err__set(QALA_EINVAL, "unknown unit kind \"%s\": expected country, region or city",
                         text);
}

void qala_registry__date_text(char buf[static 16], qala_date d)
{
    if (d <= QALA_DATE_MIN)
        snprintf(buf, 16, "the beginning");
    else if (d >= QALA_DATE_MAX)
        snprintf(buf, 16, "the open end");
    else
        qala_date_format(buf, d);
}

/* ---- life cycle ------------------------------------------------------------------- */

static const char *unit_code_key(const void *ctx, size_t i)
{
    return ((const qala_registry *)ctx)->units[i].pub.code;
}
static const char *group_code_key(const void *ctx, size_t i)
{
    return ((const qala_registry *)ctx)->groups[i].code;
}
static const char *folded_key(const void *ctx, size_t i)
{
    return ((const qala_registry *)ctx)->names[i].folded;
}

qala_status qala_registry_new(qala_registry **out)
{
    *out = NULL;
    qala_registry *reg = qala_mem__calloc(1, sizeof *reg);
    if (!reg)
        return qala_err__set(QALA_ENOMEM, "out of memory creating a registry");
    qala_strindex__init(&reg->unit_codes, 1, unit_code_key, reg);
    qala_strindex__init(&reg->group_codes, 1, group_code_key, reg);
    qala_strindex__init(&reg->folded, 0, folded_key, reg);
    *out = reg;
    return QALA_OK;
}

static void free_unit(qala_reg_unit *u)
{
    qala_mem__free((char *)u->pub.code);
    qala_mem__free((char *)u->pub.kato);
    qala_mem__free((char *)u->pub.source);
}
static void free_name(qala_reg_name *n)
{
    qala_mem__free((char *)n->pub.name);
    qala_mem__free(n->folded);
}
static void free_group(qala_group *g)
{
    qala_mem__free((char *)g->code);
    for (int l = 0; l < 3; l++)
        qala_mem__free((char *)g->name[l]);
    qala_mem__free((char *)g->source);
}

void qala_registry_free(qala_registry *reg)
{
    if (!reg)
        return;
    qala_registry__rollback(reg, (qala_reg_mark){0, 0, 0, 0, 0});
    qala_mem__free(reg->units);
    qala_mem__free(reg->names);
    qala_mem__free(reg->parents);
    qala_mem__free(reg->groups);
    qala_mem__free(reg->members);
    qala_strindex__free(&reg->unit_codes);
    qala_strindex__free(&reg->group_codes);
    qala_strindex__free(&reg->folded);
    qala_mem__free(reg);
}

qala_reg_mark qala_registry__mark(const qala_registry *reg)
{
    return (qala_reg_mark){reg->nunits, reg->nnames, reg->nparents, reg->ngroups,
                           reg->nmembers};
}

/* Appends item i to the list (head, tail) threaded through next. */
#define LINK(head, tail, next_of_tail, i) \
    do {                                   \
        if ((head) == QALA_REG_NONE)       \
            (head) = (i);                  \
        else                               \
            (next_of_tail) = (i);          \
        (tail) = (i);                      \
    } while (0)

void qala_registry__rollback(qala_registry *reg, qala_reg_mark m)
{
    for (size_t i = m.units; i < reg->nunits; i++)
        free_unit(&reg->units[i]);
    for (size_t i = m.names; i < reg->nnames; i++)
        free_name(&reg->names[i]);
    for (size_t i = m.parents; i < reg->nparents; i++)
        qala_mem__free((char *)reg->parents[i].pub.source);
    for (size_t i = m.groups; i < reg->ngroups; i++)
        free_group(&reg->groups[i]);
    for (size_t i = m.members; i < reg->nmembers; i++)
        qala_mem__free((char *)reg->members[i].pub.source);
    reg->nunits = m.units;
    reg->nnames = m.names;
    reg->nparents = m.parents;
    reg->ngroups = m.groups;
    reg->nmembers = m.members;

    /* Rebuild the indices and the per-unit lists: their memory is already there. */
    qala_strindex__clear(&reg->unit_codes);
    qala_strindex__clear(&reg->group_codes);
    qala_strindex__clear(&reg->folded);
    for (size_t i = 0; i < reg->nunits; i++) {
        qala_reg_unit *u = &reg->units[i];
        u->name_head = u->name_tail = QALA_REG_NONE;
        u->parent_head = u->parent_tail = QALA_REG_NONE;
        u->member_head = u->member_tail = QALA_REG_NONE;
        qala_strindex__insert(&reg->unit_codes, u->pub.code, i);
    }
    for (size_t i = 0; i < reg->ngroups; i++)
        qala_strindex__insert(&reg->group_codes, reg->groups[i].code, i);
    for (size_t i = 0; i < reg->nnames; i++) {
        qala_reg_name *n = &reg->names[i];
        qala_reg_unit *u = &reg->units[n->pub.unit];
        n->next = QALA_REG_NONE;
        LINK(u->name_head, u->name_tail, reg->names[u->name_tail].next, i);
        qala_strindex__insert(&reg->folded, n->folded, i);
    }
    for (size_t i = 0; i < reg->nparents; i++) {
        qala_reg_parent *p = &reg->parents[i];
        qala_reg_unit *u = &reg->units[p->pub.unit];
        p->next = QALA_REG_NONE;
        LINK(u->parent_head, u->parent_tail, reg->parents[u->parent_tail].next, i);
    }
    for (size_t i = 0; i < reg->nmembers; i++) {
        qala_reg_member *mb = &reg->members[i];
        qala_reg_unit *u = &reg->units[mb->pub.unit];
        mb->next = QALA_REG_NONE;
        LINK(u->member_head, u->member_tail, reg->members[u->member_tail].next, i);
    }
}

/* ---- building --------------------------------------------------------------------- */

static qala_status check_period(qala_date from, qala_date to, const char *what)
{
    if (from >= to) {
        char a[16], b[16];
        qala_registry__date_text(a, from);
        qala_registry__date_text(b, to);
        return qala_err__set(QALA_EINVAL, "%s: valid_from (%s) is not before valid_to (%s)",
                             what, a, b);
    }
    return QALA_OK;
}

static char *dup_or_empty(const char *s) { return qala_mem__strdup(s ? s : ""); }

qala_status qala_registry_add_unit(qala_registry *reg, const qala_unit *unit, size_t *index)
{
    assert(reg && unit);
    if (!unit->code || !unit->code[0])
        return qala_err__set(QALA_EINVAL, "a unit needs a code");
    if ((unsigned)unit->kind >= QALA_UNIT_KIND_COUNT)
        return qala_err__set(QALA_EINVAL, "unit %s: unknown kind %d", unit->code, (int)unit->kind);
    qala_status st = check_period(unit->valid_from, unit->valid_to, unit->code);
    if (st != QALA_OK)
        return st;
    size_t found;
    if (qala_registry_find(reg, unit->code, &found) == QALA_OK)
        return qala_err__set(QALA_EEXISTS, "unit code \"%s\" is already in the registry",
                             unit->code);
    if ((st = qala_mem__grow((void **)&reg->units, &reg->aunits, reg->nunits + 1,
                             sizeof *reg->units)) != QALA_OK ||
        (st = qala_strindex__reserve(&reg->unit_codes, 1)) != QALA_OK)
        return st;
    qala_reg_unit u = {.pub = *unit};
    u.pub.code = qala_mem__strdup(unit->code);
    u.pub.kato = dup_or_empty(unit->kato);
    u.pub.source = dup_or_empty(unit->source);
    if (!u.pub.code || !u.pub.kato || !u.pub.source) {
        free_unit(&u);
        return qala_err__set(QALA_ENOMEM, "out of memory adding a unit");
    }
    u.name_head = u.name_tail = QALA_REG_NONE;
    u.parent_head = u.parent_tail = QALA_REG_NONE;
    u.member_head = u.member_tail = QALA_REG_NONE;
    size_t i = reg->nunits++;
    reg->units[i] = u;
    qala_strindex__insert(&reg->unit_codes, u.pub.code, i);
    if (index)
        *index = i;
    return QALA_OK;
}

/* Fills a name record (strings owned) without touching the registry. */
static qala_status make_name(qala_reg_name *rec, const qala_unit_name *name, const char *text,
                             qala_lang lang)
{
    memset(rec, 0, sizeof *rec);
    rec->pub = *name;
    rec->pub.name = NULL; /* set below to our own copy */
    rec->pub.lang = lang;
    rec->next = QALA_REG_NONE;
    qala_status st = qala_text_fold(&rec->folded, text, strlen(text));
    if (st == QALA_EPARSE)
        return qala_err__set(QALA_EINVAL, "unit name is not valid UTF-8");
    if (st != QALA_OK)
        return st;
    if (!rec->folded[0]) {
        free_name(rec);
        return qala_err__set(QALA_EINVAL, "unit name \"%s\" has no letters or digits", text);
    }
    rec->pub.name = qala_mem__strdup(text);
    if (!rec->pub.name) {
        free_name(rec);
        return qala_err__set(QALA_ENOMEM, "out of memory adding a name");
    }
    return QALA_OK;
}

static void push_name(qala_registry *reg, const qala_reg_name *rec)
{
    size_t i = reg->nnames++;
    reg->names[i] = *rec;
    qala_reg_unit *u = &reg->units[rec->pub.unit];
    LINK(u->name_head, u->name_tail, reg->names[u->name_tail].next, i);
    qala_strindex__insert(&reg->folded, rec->folded, i);
}

qala_status qala_registry_add_name(qala_registry *reg, const qala_unit_name *name)
{
    assert(reg && name);
    if (name->unit >= reg->nunits)
        return qala_err__set(QALA_EINVAL, "name for unit %zu: no such unit", name->unit);
    if ((unsigned)name->lang >= QALA_LANG_COUNT)
        return qala_err__set(QALA_EINVAL, "unknown language %d", (int)name->lang);
    if (!name->name || !name->name[0])
        return qala_err__set(QALA_EINVAL, "unit %s: empty name", reg->units[name->unit].pub.code);
    qala_status st = check_period(name->valid_from, name->valid_to, name->name);
    if (st != QALA_OK)
        return st;
    size_t count = name->lang == QALA_LANG_KK ? 2 : 1;
    if ((st = qala_mem__grow((void **)&reg->names, &reg->anames, reg->nnames + count,
                             sizeof *reg->names)) != QALA_OK ||
        (st = qala_strindex__reserve(&reg->folded, count)) != QALA_OK)
        return st;

    qala_reg_name main_rec, latin_rec;
    if ((st = make_name(&main_rec, name, name->name, name->lang)) != QALA_OK)
        return st;
    if (count == 2) {
        char *latin = NULL;
        st = qala_text_kk_latin(&latin, name->name);
        if (st == QALA_OK)
            st = make_name(&latin_rec, name, latin, QALA_LANG_KK_LATN);
        qala_mem__free(latin);
        if (st != QALA_OK) {
            free_name(&main_rec);
            return st;
        }
    }
    push_name(reg, &main_rec);
    if (count == 2)
        push_name(reg, &latin_rec);
    return QALA_OK;
}

qala_status qala_registry_add_parent(qala_registry *reg, const qala_unit_parent *parent)
{
    assert(reg && parent);
    if (parent->unit >= reg->nunits || parent->parent >= reg->nunits)
        return qala_err__set(QALA_EINVAL, "parent link %zu -> %zu: no such unit", parent->unit,
                             parent->parent);
    if (parent->unit == parent->parent)
        return qala_err__set(QALA_EINVAL, "unit %s cannot be its own parent",
                             reg->units[parent->unit].pub.code);
    qala_status st = check_period(parent->valid_from, parent->valid_to,
                                  reg->units[parent->unit].pub.code);
    if (st != QALA_OK)
        return st;
    if ((st = qala_mem__grow((void **)&reg->parents, &reg->aparents, reg->nparents + 1,
                             sizeof *reg->parents)) != QALA_OK)
        return st;
    qala_reg_parent p = {.pub = *parent, .next = QALA_REG_NONE};
    if (!(p.pub.source = dup_or_empty(parent->source)))
        return qala_err__set(QALA_ENOMEM, "out of memory adding a parent");
    size_t i = reg->nparents++;
    reg->parents[i] = p;
    qala_reg_unit *u = &reg->units[p.pub.unit];
    LINK(u->parent_head, u->parent_tail, reg->parents[u->parent_tail].next, i);
    return QALA_OK;
}

qala_status qala_registry_add_group(qala_registry *reg, const qala_group *group, size_t *index)
{
    assert(reg && group);
    if (!group->code || !group->code[0])
        return qala_err__set(QALA_EINVAL, "a group needs a code");
    size_t found;
    if (qala_registry_find_group(reg, group->code, &found) == QALA_OK)
        return qala_err__set(QALA_EEXISTS, "group code \"%s\" is already in the registry",
                             group->code);
    qala_status st;
    if ((st = qala_mem__grow((void **)&reg->groups, &reg->agroups, reg->ngroups + 1,
                             sizeof *reg->groups)) != QALA_OK ||
        (st = qala_strindex__reserve(&reg->group_codes, 1)) != QALA_OK)
        return st;
    qala_group g = {0};
    g.code = qala_mem__strdup(group->code);
    int ok = g.code != NULL;
    for (int l = 0; l < 3; l++)
        ok &= (g.name[l] = dup_or_empty(group->name[l])) != NULL;
    ok &= (g.source = dup_or_empty(group->source)) != NULL;
    if (!ok) {
        free_group(&g);
        return qala_err__set(QALA_ENOMEM, "out of memory adding a group");
    }
    size_t i = reg->ngroups++;
    reg->groups[i] = g;
    qala_strindex__insert(&reg->group_codes, g.code, i);
    if (index)
        *index = i;
    return QALA_OK;
}

qala_status qala_registry_add_membership(qala_registry *reg, const qala_membership *m)
{
    assert(reg && m);
    if (m->group >= reg->ngroups || m->unit >= reg->nunits)
        return qala_err__set(QALA_EINVAL, "membership of unit %zu in group %zu: no such unit or group",
                             m->unit, m->group);
    qala_status st = check_period(m->valid_from, m->valid_to, reg->groups[m->group].code);
    if (st != QALA_OK)
        return st;
    if ((st = qala_mem__grow((void **)&reg->members, &reg->amembers, reg->nmembers + 1,
                             sizeof *reg->members)) != QALA_OK)
        return st;
    qala_reg_member rec = {.pub = *m, .next = QALA_REG_NONE};
    if (!(rec.pub.source = dup_or_empty(m->source)))
        return qala_err__set(QALA_ENOMEM, "out of memory adding a membership");
    size_t i = reg->nmembers++;
    reg->members[i] = rec;
    qala_reg_unit *u = &reg->units[m->unit];
    LINK(u->member_head, u->member_tail, reg->members[u->member_tail].next, i);
    return QALA_OK;
}

/* ---- reading ---------------------------------------------------------------------- */

size_t qala_registry_unit_count(const qala_registry *reg) { return reg->nunits; }

const qala_unit *qala_registry_unit(const qala_registry *reg, size_t index)
{
    return index < reg->nunits ? &reg->units[index].pub : NULL;
}

qala_status qala_registry_find(const qala_registry *reg, const char *code, size_t *index)
{
    size_t cursor = 0;
    if (qala_strindex__next(&reg->unit_codes, code, &cursor, index))
        return QALA_OK;
    return qala_err__set(QALA_ENOTFOUND, "unknown unit code \"%s\"", code);
}

int qala_registry_alive_at(const qala_registry *reg, size_t unit, qala_date at)
{
    if (unit >= reg->nunits)
        return 0;
    const qala_unit *u = &reg->units[unit].pub;
    return u->valid_from <= at && at < u->valid_to;
}

size_t qala_registry_name_count(const qala_registry *reg) { return reg->nnames; }

const qala_unit_name *qala_registry_name(const qala_registry *reg, size_t index)
{
    return index < reg->nnames ? &reg->names[index].pub : NULL;
}

/* The official name of unit in lang at `at`, else the one that started last; NULL. */
static const char *official_name(const qala_registry *reg, size_t unit, qala_lang lang,
                                 qala_date at)
{
    const qala_reg_name *latest = NULL;
    for (size_t i = reg->units[unit].name_head; i != QALA_REG_NONE; i = reg->names[i].next) {
        const qala_reg_name *n = &reg->names[i];
        if (!n->pub.official || n->pub.lang != lang)
            continue;
        if (n->pub.valid_from <= at && at < n->pub.valid_to)
            return n->pub.name;
        if (!latest || n->pub.valid_from > latest->pub.valid_from)
            latest = n;
    }
    return latest ? latest->pub.name : NULL;
}

const char *qala_registry_name_at(const qala_registry *reg, size_t unit, qala_lang lang,
                                  qala_date at)
{
    assert(unit < reg->nunits);
    const char *name = official_name(reg, unit, lang, at);
    if (!name && lang != QALA_LANG_EN)
        name = official_name(reg, unit, QALA_LANG_EN, at);
    return name ? name : reg->units[unit].pub.code;
}

size_t qala_registry_parent_count(const qala_registry *reg) { return reg->nparents; }

const qala_unit_parent *qala_registry_parent(const qala_registry *reg, size_t index)
{
    return index < reg->nparents ? &reg->parents[index].pub : NULL;
}

qala_status qala_registry_parent_at(const qala_registry *reg, size_t unit, qala_date at,
                                    size_t *parent)
{
    if (unit < reg->nunits) {
        for (size_t i = reg->units[unit].parent_head; i != QALA_REG_NONE;
             i = reg->parents[i].next) {
            const qala_unit_parent *p = &reg->parents[i].pub;
            if (p->valid_from <= at && at < p->valid_to) {
                *parent = p->parent;
                return QALA_OK;
            }
        }
    }
    return qala_err__set(QALA_ENOTFOUND, "unit has no parent at that date");
}

/* Deeper chains than this are cycles (country > region > district > city is 4). */
#define MAX_DEPTH 64

qala_status qala_registry_region_at(const qala_registry *reg, size_t unit, qala_date at,
                                    size_t *region)
{
    size_t u = unit;
    for (int depth = 0; depth < MAX_DEPTH && u < reg->nunits; depth++) {
        if (reg->units[u].pub.kind == QALA_UNIT_COUNTRY)
            break;
        size_t p;
        if (qala_registry_parent_at(reg, u, at, &p) != QALA_OK)
            break;
        if (reg->units[p].pub.kind == QALA_UNIT_COUNTRY) {
            *region = u;
            return QALA_OK;
        }
        u = p;
    }
    return qala_err__set(QALA_ENOTFOUND, "unit is not inside a first-level unit at that date");
}

size_t qala_registry_group_count(const qala_registry *reg) { return reg->ngroups; }

const qala_group *qala_registry_group(const qala_registry *reg, size_t index)
{
    return index < reg->ngroups ? &reg->groups[index] : NULL;
}

qala_status qala_registry_find_group(const qala_registry *reg, const char *code, size_t *index)
{
    size_t cursor = 0;
    if (qala_strindex__next(&reg->group_codes, code, &cursor, index))
        return QALA_OK;
    return qala_err__set(QALA_ENOTFOUND, "unknown group code \"%s\"", code);
}

size_t qala_registry_membership_count(const qala_registry *reg) { return reg->nmembers; }

const qala_membership *qala_registry_membership(const qala_registry *reg, size_t index)
{
    return index < reg->nmembers ? &reg->members[index].pub : NULL;
}

int qala_registry_in_group_at(const qala_registry *reg, size_t group, size_t unit, qala_date at)
{
    if (unit >= reg->nunits)
        return 0;
    for (size_t i = reg->units[unit].member_head; i != QALA_REG_NONE; i = reg->members[i].next) {
        const qala_membership *m = &reg->members[i].pub;
        if (m->group == group && m->valid_from <= at && at < m->valid_to)
            return 1;
    }
    return 0;
}
