/* src/registry_check.c — whole-registry consistency, run after loading.
 *
 * Rules (each a stable finding rule name):
 *   name-gap / name-overlap   every day of a unit's life has exactly one official name
 *                             in each of kk, ru and en (kk-latn is generated, not checked);
 *   name-outside-life         (warning) an official name valid only outside the unit's life;
 *   parent-overlap            a unit's parent periods do not overlap;
 *   parent-not-alive          the parent exists during the whole (clipped) parent period;
 *   member-not-alive          a group member exists during its whole membership.
 * Each unit's periods are sorted and swept once: O(n log n) for the whole registry.
 * Findings carry no file (the registry is checked as a whole) and name unit, language
 * and dates instead.
 */
#include <assert.h>
#include <stdlib.h>

#include "findings_internal.h"
#include "registry_internal.h"
#include "util/internal.h"

typedef struct span {
    qala_date from, to;
    size_t who; /* the parent unit, for parent spans */
} span;

static int cmp_span(const void *pa, const void *pb)
{
    const span *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return (a->to > b->to) - (a->to < b->to);
}

#define ERR QALA_SEVERITY_ERROR
#define WARN QALA_SEVERITY_WARNING

static void check_names(const qala_registry *reg, size_t ui, qala_lang lang, span *s,
                        qala_reporter *r)
{
    const qala_unit *u = &reg->units[ui].pub;
    const char *lc = qala_lang_code(lang);
    char a[16], b[16];
    size_t n = 0;
    for (size_t i = reg->units[ui].name_head; i != QALA_REG_NONE; i = reg->names[i].next) {
        const qala_unit_name *nm = &reg->names[i].pub;
        if (!nm->official || nm->lang != lang)
            continue;
        qala_date from = nm->valid_from > u->valid_from ? nm->valid_from : u->valid_from;
        qala_date to = nm->valid_to < u->valid_to ? nm->valid_to : u->valid_to;
        if (from >= to) {
            qala_registry__date_text(a, nm->valid_from);
            qala_registry__date_text(b, nm->valid_to);
            qala_reporter__add(r, WARN, 0, 0, "name-outside-life",
                               "unit %s: official %s name \"%s\" (%s to %s) lies outside the "
                               "unit's life", u->code, lc, nm->name, a, b);
            continue;
        }
        s[n++] = (span){from, to, 0};
    }
    qsort(s, n, sizeof *s, cmp_span);
    qala_date cursor = u->valid_from;
    for (size_t i = 0; i < n; i++) {
        if (s[i].from > cursor) {
            qala_registry__date_text(a, cursor);
            qala_registry__date_text(b, s[i].from);
            qala_reporter__add(r, ERR, 0, 0, "name-gap",
                               "unit %s has no official %s name from %s to %s", u->code, lc, a,
                               b);
        } else if (s[i].from < cursor) {
            qala_registry__date_text(a, s[i].from);
            qala_registry__date_text(b, s[i].to < cursor ? s[i].to : cursor);
            qala_reporter__add(r, ERR, 0, 0, "name-overlap",
                               "unit %s has more than one official %s name from %s to %s",
                               u->code, lc, a, b);
        }
        if (s[i].to > cursor)
            cursor = s[i].to;
    }
    if (cursor < u->valid_to) {
        qala_registry__date_text(a, cursor);
        qala_registry__date_text(b, u->valid_to);
        qala_reporter__add(r, ERR, 0, 0, "name-gap",
                           "unit %s has no official %s name from %s to %s", u->code, lc, a, b);
    }
}

static void check_parents(const qala_registry *reg, size_t ui, span *s, qala_reporter *r)
{
    const qala_unit *u = &reg->units[ui].pub;
    char a[16], b[16];
    size_t n = 0;
    for (size_t i = reg->units[ui].parent_head; i != QALA_REG_NONE; i = reg->parents[i].next) {
        const qala_unit_parent *p = &reg->parents[i].pub;
        s[n++] = (span){p->valid_from, p->valid_to, p->parent};
        /* The parent must exist while it is the parent and the child exists. */
        qala_date from = p->valid_from > u->valid_from ? p->valid_from : u->valid_from;
        qala_date to = p->valid_to < u->valid_to ? p->valid_to : u->valid_to;
        const qala_unit *pu = &reg->units[p->parent].pub;
        if (from < to && (pu->valid_from > from || pu->valid_to < to)) {
            qala_registry__date_text(a, from);
            qala_registry__date_text(b, to);
            qala_reporter__add(r, ERR, 0, 0, "parent-not-alive",
                               "unit %s: parent %s does not exist during the whole period %s "
                               "to %s", u->code, pu->code, a, b);
        }
    }
    qsort(s, n, sizeof *s, cmp_span);
    qala_date end = QALA_DATE_MIN;
    size_t end_who = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && s[i].from < end) {
            qala_registry__date_text(a, s[i].from);
            qala_registry__date_text(b, s[i].to < end ? s[i].to : end);
            qala_reporter__add(r, ERR, 0, 0, "parent-overlap",
                               "unit %s has two parents (%s and %s) from %s to %s", u->code,
                               reg->units[end_who].pub.code, reg->units[s[i].who].pub.code, a,
                               b);
        }
        if (i == 0 || s[i].to > end) {
            end = s[i].to;
            end_who = s[i].who;
        }
    }
}

static void check_members(const qala_registry *reg, size_t ui, qala_reporter *r)
{
    const qala_unit *u = &reg->units[ui].pub;
    char a[16], b[16];
    for (size_t i = reg->units[ui].member_head; i != QALA_REG_NONE; i = reg->members[i].next) {
        const qala_membership *m = &reg->members[i].pub;
        if (m->valid_from < u->valid_from || m->valid_to > u->valid_to) {
            qala_registry__date_text(a, m->valid_from);
            qala_registry__date_text(b, m->valid_to);
            qala_reporter__add(r, ERR, 0, 0, "member-not-alive",
                               "unit %s is a member of group %s from %s to %s but does not "
                               "exist all that time", u->code, reg->groups[m->group].code, a, b);
        }
    }
}

qala_status qala_registry_check(const qala_registry *reg, qala_findings *findings)
{
    assert(reg);
    qala_reporter r = {findings, "", 0, 0, QALA_OK};
    /* One scratch array as long as the longest per-unit list. */
    size_t longest = 1;
    for (size_t ui = 0; ui < reg->nunits; ui++) {
        size_t nn = 0, np = 0;
        for (size_t i = reg->units[ui].name_head; i != QALA_REG_NONE; i = reg->names[i].next)
            nn++;
        for (size_t i = reg->units[ui].parent_head; i != QALA_REG_NONE; i = reg->parents[i].next)
            np++;
        if (nn > longest)
            longest = nn;
        if (np > longest)
            longest = np;
    }
    span *s = qala_mem__malloc(longest * sizeof *s);
    if (!s)
        return qala_err__set(QALA_ENOMEM, "out of memory checking the registry");
    for (size_t ui = 0; ui < reg->nunits; ui++) {
        for (int lang = QALA_LANG_KK; lang <= QALA_LANG_EN; lang++)
            check_names(reg, ui, (qala_lang)lang, s, &r);
        check_parents(reg, ui, s, &r);
        check_members(reg, ui, &r);
    }
    qala_mem__free(s);
    if (r.failed != QALA_OK)
        return qala_err__set(r.failed, "out of memory recording findings");
    if (r.errors)
        return qala_err__set(QALA_EDATA, "the registry has %zu consistency error%s", r.errors,
                             r.errors == 1 ? "" : "s");
    return QALA_OK;
}
