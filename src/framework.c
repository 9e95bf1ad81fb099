/* src/framework.c — the indicator framework: building, CSV loading, look-up, matching.
 *
 * About 100 indicators in ten domains, loaded once per run; read by every import
 * (indicator codes and names of a file are resolved once per distinct value), the
 * validation (ranges) and every analysis (direction, decimals). Codes are indexed
 * case-insensitively, names folded (qala_text_fold) in kk, ru and en, both in hash
 * indices (registry_index.h). CSV loading is in framework_load.c.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "framework_internal.h"
#include "qala/text.h"
#include "registry_index.h"
#include "util/internal.h"

static const char *const domain_codes[QALA_DOMAIN_COUNT] = {
    "incomes", "consumption", "labour", "social", "environment",
    "demography", "economy", "infrastructure", "digital", "innovation"};

const char *qala_domain_code(qala_domain domain)
{
    return (unsigned)domain < QALA_DOMAIN_COUNT ? domain_codes[domain] : "?";
}

qala_status qala_domain_parse(qala_domain *out, const char *text)
{
    for (int i = 0; i < QALA_DOMAIN_COUNT; i++) {
        if (strcmp(text, domain_codes[i]) == 0) {
            *out = (qala_domain)i;
            return QALA_OK;
        }
    }
    return qala_err__set(QALA_EINVAL, "unknown domain \"%s\"", text);
}

typedef struct ind_rec {
    qala_indicator pub;
    char *folded[3]; /* folded names, NULL where the name is empty */
    char *lower;     /* the code in lowercase ASCII, for suggestions */
} ind_rec;

struct qala_framework {
    ind_rec *items;
    size_t n, alloc;
    char *domain_name[QALA_DOMAIN_COUNT][3];
    qala_strindex codes; /* code (any case) -> indicator */
    qala_strindex names; /* folded name -> indicator * 3 + language */
};

static const char *code_key(const void *ctx, size_t i)
{
    return ((const qala_framework *)ctx)->items[i].pub.code;
}
static const char *name_key(const void *ctx, size_t v)
{
    return ((const qala_framework *)ctx)->items[v / 3].folded[v % 3];
}

qala_status qala_framework_new(qala_framework **out)
{
    *out = NULL;
    qala_framework *fw = qala_mem__calloc(1, sizeof *fw);
    if (!fw)
        return qala_err__set(QALA_ENOMEM, "out of memory creating a framework");
    qala_strindex__init(&fw->codes, 1, code_key, fw);
    qala_strindex__init(&fw->names, 0, name_key, fw);
    *out = fw;
    return QALA_OK;
}

static void free_rec(ind_rec *r)
{
    qala_mem__free((char *)r->pub.code);
    qala_mem__free((char *)r->pub.unit);
    for (int l = 0; l < 3; l++) {
        qala_mem__free((char *)r->pub.name[l]);
        qala_mem__free(r->folded[l]);
    }
    qala_mem__free((char *)r->pub.description);
    qala_mem__free((char *)r->pub.source);
    qala_mem__free(r->lower);
}

static void index_rec(qala_framework *fw, size_t i)
{
    qala_strindex__insert(&fw->codes, fw->items[i].pub.code, i);
    for (int l = 0; l < 3; l++)
        if (fw->items[i].folded[l])
            qala_strindex__insert(&fw->names, fw->items[i].folded[l], i * 3 + (size_t)l);
}

void qala_framework__truncate(qala_framework *fw, size_t keep)
{
    for (size_t i = keep; i < fw->n; i++)
        free_rec(&fw->items[i]);
    fw->n = keep;
    qala_strindex__clear(&fw->codes);
    qala_strindex__clear(&fw->names);
    for (size_t i = 0; i < fw->n; i++)
        index_rec(fw, i);
}

void qala_framework_free(qala_framework *fw)
{
    if (!fw)
        return;
    qala_framework__truncate(fw, 0);
    for (int d = 0; d < QALA_DOMAIN_COUNT; d++)
        for (int l = 0; l < 3; l++)
            qala_mem__free(fw->domain_name[d][l]);
    qala_mem__free(fw->items);
    qala_strindex__free(&fw->codes);
    qala_strindex__free(&fw->names);
    qala_mem__free(fw);
}

static char *dup_or_empty(const char *s) { return qala_mem__strdup(s ? s : ""); }

qala_status qala_framework_add(qala_framework *fw, const qala_indicator *ind, size_t *index)
{
    assert(fw && ind);
    if (!ind->code || !ind->code[0])
        return qala_err__set(QALA_EINVAL, "an indicator needs a code");
    if (ind->direction != 1 && ind->direction != -1)
        return qala_err__set(QALA_EINVAL, "indicator %s: direction must be +1 or -1, not %d",
                             ind->code, ind->direction);
    if (isnan(ind->min) || isnan(ind->max) || ind->min > ind->max)
        return qala_err__set(QALA_EINVAL, "indicator %s: min %g is not <= max %g", ind->code,
                             ind->min, ind->max);
    if ((unsigned)ind->domain >= QALA_DOMAIN_COUNT)
        return qala_err__set(QALA_EINVAL, "indicator %s: unknown domain %d", ind->code,
                             (int)ind->domain);
    if (ind->decimals < 0 || ind->decimals > 15)
        return qala_err__set(QALA_EINVAL, "indicator %s: decimals %d outside 0..15", ind->code,
                             ind->decimals);
    size_t found;
    if (qala_framework_find(fw, ind->code, &found) == QALA_OK)
        return qala_err__set(QALA_EEXISTS, "indicator code \"%s\" is already in the framework",
                             ind->code);
    qala_status st;
    if ((st = qala_mem__grow((void **)&fw->items, &fw->alloc, fw->n + 1, sizeof *fw->items)) !=
            QALA_OK ||
        (st = qala_strindex__reserve(&fw->codes, 1)) != QALA_OK ||
        (st = qala_strindex__reserve(&fw->names, 3)) != QALA_OK)
        return st;

    ind_rec r = {.pub = *ind};
    r.pub.code = r.pub.unit = r.pub.description = r.pub.source = NULL;
    r.pub.name[0] = r.pub.name[1] = r.pub.name[2] = NULL;
    int ok = (r.pub.code = qala_mem__strdup(ind->code)) && (r.pub.unit = dup_or_empty(ind->unit)) &&
             (r.pub.description = dup_or_empty(ind->description)) &&
             (r.pub.source = dup_or_empty(ind->source)) && (r.lower = qala_mem__strdup(ind->code));
    for (int l = 0; ok && l < 3; l++) {
        ok = (r.pub.name[l] = dup_or_empty(ind->name[l])) != NULL;
        if (ok && r.pub.name[l][0]) {
            st = qala_text_fold(&r.folded[l], r.pub.name[l], strlen(r.pub.name[l]));
            if (st != QALA_OK) {
                free_rec(&r);
                return st == QALA_EPARSE
                           ? qala_err__set(QALA_EINVAL, "indicator %s: a name is not valid UTF-8",
                                           ind->code)
                           : st;
            }
            if (!r.folded[l][0]) { /* nothing to match on */
                qala_mem__free(r.folded[l]);
                r.folded[l] = NULL;
            }
        }
    }
    if (!ok) {
        free_rec(&r);
        return qala_err__set(QALA_ENOMEM, "out of memory adding an indicator");
    }
    for (char *p = r.lower; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    size_t i = fw->n++;
    fw->items[i] = r;
    index_rec(fw, i);
    if (index)
        *index = i;
    return QALA_OK;
}

qala_status qala_framework_set_domain_name(qala_framework *fw, qala_domain domain, qala_lang lang,
                                           const char *name)
{
    assert(fw && name);
    if ((unsigned)domain >= QALA_DOMAIN_COUNT)
        return qala_err__set(QALA_EINVAL, "unknown domain %d", (int)domain);
    if ((unsigned)lang > QALA_LANG_EN)
        return qala_err__set(QALA_EINVAL, "domain names are kept in kk, ru and en only");
    char *copy = qala_mem__strdup(name);
    if (!copy)
        return qala_err__set(QALA_ENOMEM, "out of memory setting a domain name");
    qala_mem__free(fw->domain_name[domain][lang]);
    fw->domain_name[domain][lang] = copy;
    return QALA_OK;
}

void qala_framework__swap_domain_names(qala_framework *fw, char *names[QALA_DOMAIN_COUNT][3])
{
    for (int d = 0; d < QALA_DOMAIN_COUNT; d++) {
        for (int l = 0; l < 3; l++) {
            if (!names[d][l])
                continue;
            qala_mem__free(fw->domain_name[d][l]);
            fw->domain_name[d][l] = names[d][l];
            names[d][l] = NULL;
        }
    }
}

size_t qala_framework_count(const qala_framework *fw) { return fw->n; }

const qala_indicator *qala_framework_get(const qala_framework *fw, size_t index)
{
    return index < fw->n ? &fw->items[index].pub : NULL;
}

qala_status qala_framework_find(const qala_framework *fw, const char *code, size_t *index)
{
    size_t cursor = 0;
    if (qala_strindex__next(&fw->codes, code, &cursor, index))
        return QALA_OK;
    return qala_err__set(QALA_ENOTFOUND, "unknown indicator code \"%s\"", code);
}

const char *qala_framework_domain_name(const qala_framework *fw, qala_domain domain, qala_lang lang)
{
    if ((unsigned)domain >= QALA_DOMAIN_COUNT)
        return "?";
    if ((unsigned)lang <= QALA_LANG_EN && fw->domain_name[domain][lang] &&
        fw->domain_name[domain][lang][0])
        return fw->domain_name[domain][lang];
    if (fw->domain_name[domain][QALA_LANG_EN] && fw->domain_name[domain][QALA_LANG_EN][0])
        return fw->domain_name[domain][QALA_LANG_EN];
    return domain_codes[domain];
}

/* ---- matching --------------------------------------------------------------------- */

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

/* Up to 3 indicators closest to folded (by name in any language, or by code). */
static size_t suggest(const qala_framework *fw, const char *folded, size_t out[3])
{
    size_t n = code_points(folded);
    size_t limit = n / 3 > 2 ? n / 3 : 2;
    size_t dist[3], k = 0;
    for (size_t i = 0; i < fw->n; i++) {
        size_t best = limit + 1;
        for (int l = 0; l < 4; l++) {
            const char *cand = l < 3 ? fw->items[i].folded[l] : fw->items[i].lower;
            if (!cand)
                continue;
            size_t d = qala_text_distance(folded, cand, best - 1 < limit ? best - 1 : limit);
            if (d < best)
                best = d;
        }
        if (best > limit || (k == 3 && best >= dist[2]))
            continue;
        size_t j = k < 3 ? k++ : 2;
        while (j > 0 && dist[j - 1] > best) {
            dist[j] = dist[j - 1];
            out[j] = out[j - 1];
            j--;
        }
        dist[j] = best;
        out[j] = i;
    }
    return k;
}

qala_status qala_framework_match(const qala_framework *fw, const char *name, size_t len,
                                 size_t *index, size_t suggestions[3], size_t *nsuggest)
{
    assert(fw && name && index && nsuggest);
    *nsuggest = 0;
    char *text = qala_mem__strndup(name, len);
    if (!text)
        return qala_err__set(QALA_ENOMEM, "out of memory matching an indicator");
    /* The code, ignoring surrounding spaces and ASCII case. */
    char *t = text;
    while (*t == ' ' || *t == '\t')
        t++;
    size_t tl = strlen(t);
    while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\t' || t[tl - 1] == '\r' || t[tl - 1] == '\n'))
        t[--tl] = '\0';
    qala_status st;
    if (qala_framework_find(fw, t, index) == QALA_OK) {
        st = QALA_OK;
        goto done;
    }
    char *folded = NULL;
    st = qala_text_fold(&folded, t, tl);
    if (st != QALA_OK) {
        if (st == QALA_EPARSE)
            st = qala_err__set(QALA_EINVAL, "indicator name is not valid UTF-8");
        goto done;
    }
    size_t cursor = 0, v, found = 0;
    while (qala_strindex__next(&fw->names, folded, &cursor, &v)) {
        size_t ind = v / 3, j;
        for (j = 0; j < found && suggestions[j] != ind; j++)
            ;
        if (j == found && found < 3)
            suggestions[found++] = ind;
    }
    if (found == 1) {
        *index = suggestions[0];
        st = QALA_OK;
    } else if (found > 1) {
        *nsuggest = found;
        st = qala_err__set(QALA_EAMBIGUOUS, "\"%s\" names more than one indicator: %s, %s%s%s", t,
                           fw->items[suggestions[0]].pub.code, fw->items[suggestions[1]].pub.code,
                           found > 2 ? ", " : "", found > 2 ? fw->items[suggestions[2]].pub.code : "");
    } else {
        *nsuggest = folded[0] ? suggest(fw, folded, suggestions) : 0;
        if (*nsuggest == 0) {
            st = qala_err__set(QALA_ENOTFOUND, "no indicator \"%s\"", t);
        } else {
            char list[300] = "";
            size_t o = 0;
            for (size_t i = 0; i < *nsuggest && o < sizeof list; i++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                                      fw->items[suggestions[i]].pub.code);
            st = qala_err__set(QALA_ENOTFOUND, "no indicator \"%s\"; did you mean %s?", t, list);
        }
    }
    qala_mem__free(folded);
done:
    qala_mem__free(text);
    return st;
}
