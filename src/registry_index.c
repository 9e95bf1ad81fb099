/* src/registry_index.c — the string → index hash multimap behind unit codes, folded
 * names, indicator codes and interned finding labels.
 *
 * Linear probing over a power-of-two table kept at most half full, FNV-1a hashes (of the
 * ASCII-lowercased bytes when the index is case-insensitive). Every lookup of a code or
 * a folded name goes through here: O(1) expected, so that a registry of 100,000 units
 * and a million names loads and matches in linear time. Deletion is not supported; the
 * owners rebuild the index after a rollback (a rare failure path).
 */
#include <assert.h>
#include <string.h>

#include "registry_index.h"
#include "util/internal.h"

static unsigned char lower_ascii(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static uint64_t hash_key(const char *s, int nocase)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= nocase ? lower_ascii(*p) : *p;
        h *= 1099511628211ull;
    }
    return h;
}

static int same_key(const char *a, const char *b, int nocase)
{
    if (!nocase)
        return strcmp(a, b) == 0;
    for (;; a++, b++) {
        unsigned char x = lower_ascii((unsigned char)*a), y = lower_ascii((unsigned char)*b);
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

void qala_strindex__init(qala_strindex *ix, int nocase, qala_strindex_key_fn key,
                         const void *ctx)
{
    memset(ix, 0, sizeof *ix);
    ix->nocase = nocase;
    ix->key = key;
    ix->ctx = ctx;
}

void qala_strindex__free(qala_strindex *ix)
{
    qala_mem__free(ix->slots);
    ix->slots = NULL;
    ix->cap = ix->used = 0;
}

void qala_strindex__clear(qala_strindex *ix)
{
    if (ix->slots)
        memset(ix->slots, 0, ix->cap * sizeof *ix->slots);
    ix->used = 0;
}

static void put(qala_strindex_slot *slots, size_t cap, uint64_t hash, size_t value1)
{
    size_t mask = cap - 1;
    size_t i = (size_t)hash & mask;
    while (slots[i].value1)
        i = (i + 1) & mask;
    slots[i].hash = hash;
    slots[i].value1 = value1;
}

qala_status qala_strindex__reserve(qala_strindex *ix, size_t more)
{
    size_t need = ix->used + more;
    if (need < ix->used)
        return qala_err__set(QALA_ENOMEM, "index too large");
    if (need <= ix->cap / 2)
        return QALA_OK;
    size_t cap = ix->cap ? ix->cap : 16;
    while (cap / 2 < need) {
        if (cap > SIZE_MAX / 2 / sizeof(qala_strindex_slot))
            return qala_err__set(QALA_ENOMEM, "index too large");
        cap *= 2;
    }
    qala_strindex_slot *slots = qala_mem__calloc(cap, sizeof *slots);
    if (!slots)
        return qala_err__set(QALA_ENOMEM, "out of memory growing an index");
    for (size_t i = 0; i < ix->cap; i++)
        if (ix->slots[i].value1)
            put(slots, cap, ix->slots[i].hash, ix->slots[i].value1);
    qala_mem__free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
    return QALA_OK;
}

void qala_strindex__insert(qala_strindex *ix, const char *key, size_t value)
{
    /* Reserved room is a precondition: a full table would loop forever. */
    assert(ix->used + 1 <= ix->cap / 2);
    put(ix->slots, ix->cap, hash_key(key, ix->nocase), value + 1);
    ix->used++;
}

int qala_strindex__next(const qala_strindex *ix, const char *key, size_t *cursor,
                        size_t *value)
{
    if (!ix->cap)
        return 0;
    size_t mask = ix->cap - 1;
    uint64_t h = hash_key(key, ix->nocase);
    /* The cursor counts probe steps from the home slot, so it survives between calls. */
    for (size_t step = *cursor; step < ix->cap; step++) {
        size_t i = ((size_t)h + step) & mask;
        const qala_strindex_slot *s = &ix->slots[i];
        if (!s->value1) {
            *cursor = ix->cap;
            return 0;
        }
        if (s->hash == h && same_key(ix->key(ix->ctx, s->value1 - 1), key, ix->nocase)) {
            *cursor = step + 1;
            *value = s->value1 - 1;
            return 1;
        }
    }
    *cursor = ix->cap;
    return 0;
}
