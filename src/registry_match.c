/* src/registry_match.c — resolving what a user or a file calls a unit.
 *
 * Runs once per distinct unit label of an import (tens to thousands per file) and once
 * per name typed at the command line. Order of trials:
 *   1. the text as a unit code, ignoring ASCII case ("kz-kar");
 *   2. the folded text (qala_text_fold) against the folded names of every language and
 *      period, official names and aliases alike, Kazakh Latin forms included: one hash
 *      look-up;
 *   3. when nothing matched, the names within Levenshtein distance max(2, n/3) of the
 *      folded text (n its length in code points) give up to three suggestions, closest
 *      first. This step scans every name, but only on failure, and the banded distance
 *      stops early, so even a registry of a million names answers in milliseconds.
 * The kinds mask filters every step.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "qala/text.h"
#include "registry_internal.h"
#include "text_internal.h"
#include "util/internal.h"

static int kind_ok(const qala_registry *reg, size_t unit, unsigned kinds)
{
    return kinds == 0 || (kinds & (1u << reg->units[unit].pub.kind));
}

/* Adds unit to the candidates unless it is there; returns the number of distinct
 * units seen so far (counting beyond QALA_MATCH_MAX is not needed). */
static void add_candidate(qala_match *m, size_t unit, size_t *distinct)
{
    for (size_t i = 0; i < m->count; i++)
        if (m->units[i] == unit)
            return;
    (*distinct)++;
    if (m->count < QALA_MATCH_MAX)
        m->units[m->count++] = unit;
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

typedef struct near {
    size_t unit, name, dist;
} near;

/* Fills match with the units of up to 3 names closest to folded; returns how many. */
static size_t nearest(const qala_registry *reg, const char *folded, unsigned kinds,
                      qala_match *match, size_t names[3])
{
    size_t n = code_points(folded);
    size_t limit = n / 3 > 2 ? n / 3 : 2;
    near best[3];
    size_t nbest = 0;
    for (size_t i = 0; i < reg->nnames; i++) {
        const qala_reg_name *nm = &reg->names[i];
        if (!kind_ok(reg, nm->pub.unit, kinds))
            continue;
        /* Only a better candidate than the third is of interest. */
        size_t cut = nbest == 3 ? best[2].dist : limit;
        size_t d = qala_text_distance(folded, nm->folded, cut);
        if (d > cut || (nbest == 3 && d >= best[2].dist))
            continue;
        size_t k;
        for (k = 0; k < nbest; k++)
            if (best[k].unit == nm->pub.unit)
                break;
        if (k < nbest) { /* the unit is listed: keep its closest name */
            if (d < best[k].dist) {
                best[k].dist = d;
                best[k].name = i;
            }
        } else {
            if (nbest < 3)
                nbest++;
            best[nbest - 1] = (near){nm->pub.unit, i, d};
            k = nbest - 1;
        }
        /* Bubble the changed entry up; equal distances keep registry order. */
        while (k > 0 && best[k].dist < best[k - 1].dist) {
            near t = best[k];
            best[k] = best[k - 1];
            best[k - 1] = t;
            k--;
        }
    }
    match->count = nbest;
    for (size_t k = 0; k < nbest; k++) {
        match->units[k] = best[k].unit;
        names[k] = best[k].name;
    }
    return nbest;
}

static void trim(const char **s, size_t *len)
{
    while (*len && ((*s)[0] == ' ' || (*s)[0] == '\t'))
        (*s)++, (*len)--;
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' || (*s)[*len - 1] == '\r' ||
                    (*s)[*len - 1] == '\n'))
        (*len)--;
}

qala_status qala_registry_match(const qala_registry *reg, const char *name, size_t len,
                                unsigned kinds, qala_match *match)
{
    assert(reg && name && match);
    match->count = 0;
    trim(&name, &len);
    char *text = qala_mem__strndup(name, len);
    if (!text)
        return qala_err__set(QALA_ENOMEM, "out of memory matching a name");

    qala_status st;
    size_t cursor = 0, unit;
    if (qala_strindex__next(&reg->unit_codes, text, &cursor, &unit) && kind_ok(reg, unit, kinds)) {
        match->count = 1;
        match->units[0] = unit;
        st = QALA_OK;
        goto done;
    }

    char *folded = NULL;
    st = qala_text_fold(&folded, text, len);
    if (st == QALA_EPARSE) {
        st = qala_err__set(QALA_EINVAL, "unit name is not valid UTF-8");
        goto done;
    }
    if (st != QALA_OK)
        goto done;

    size_t distinct = 0, ni;
    cursor = 0;
    while (qala_strindex__next(&reg->folded, folded, &cursor, &ni)) {
        size_t u = reg->names[ni].pub.unit;
        if (kind_ok(reg, u, kinds))
            add_candidate(match, u, &distinct);
    }
    if (distinct == 1) {
        st = QALA_OK;
    } else if (distinct > 1) {
        char list[256] = "";
        size_t o = 0;
        for (size_t i = 0; i < match->count && o < sizeof list; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                                  reg->units[match->units[i]].pub.code);
        st = qala_err__set(QALA_EAMBIGUOUS, "\"%s\" names %zu%s units: %s", text, distinct,
                           distinct > QALA_MATCH_MAX ? " or more" : "", list);
    } else {
        size_t names[3];
        size_t k = folded[0] ? nearest(reg, folded, kinds, match, names) : 0;
        if (k == 0) {
            st = qala_err__set(QALA_ENOTFOUND, "no unit named \"%s\"", text);
        } else {
            char list[400] = "";
            size_t o = 0;
            for (size_t i = 0; i < k && o < sizeof list; i++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s\"%s\" (%s)",
                                      i ? ", " : "", reg->names[names[i]].pub.name,
                                      reg->units[match->units[i]].pub.code);
            st = qala_err__set(QALA_ENOTFOUND, "no unit named \"%s\"; did you mean %s?", text,
                               list);
        }
    }
    qala_mem__free(folded);
done:
    qala_mem__free(text);
    return st;
}
