/* src/util/strmap.c — hash map from byte strings to integers (see strmap.h). */
#include <string.h>

#include "util/internal.h"
#include "util/strmap.h"

void qala_strmap__init(qala_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void qala_strmap__free(qala_strmap *m)
{
    qala_mem__free(m->slots);
    qala_mem__free(m->arena);
    qala_strmap__init(m);
}

uint64_t qala_strmap__hash(const char *key, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a, then a final mix */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static qala_strmap_slot *find_slot(const qala_strmap *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        qala_strmap_slot *s = &m->slots[i];
        if (!s->used)
            return s;
        if (s->hash == h && s->key_len == len && memcmp(m->arena + s->key_off, key, len) == 0)
            return s;
    }
}

int64_t *qala_strmap__get(const qala_strmap *m, const char *key, size_t len)
{
    if (!m->nslots)
        return NULL;
    qala_strmap_slot *s = find_slot(m, key, len, qala_strmap__hash(key, len));
    return s->used ? &s->value : NULL;
}

static qala_status rehash(qala_strmap *m, size_t nslots)
{
    qala_strmap_slot *old = m->slots;
    size_t nold = m->nslots;
    m->slots = qala_mem__calloc(nslots, sizeof *m->slots);
    if (!m->slots) {
        m->slots = old;
        return qala_err__set(QALA_ENOMEM, "out of memory");
    }
    m->nslots = nslots;
    for (size_t i = 0; i < nold; i++) {
        if (!old[i].used)
            continue;
        size_t j = old[i].hash & (nslots - 1);
        while (m->slots[j].used)
            j = (j + 1) & (nslots - 1);
        m->slots[j] = old[i];
    }
    qala_mem__free(old);
    return QALA_OK;
}

qala_status qala_strmap__put(qala_strmap *m, const char *key, size_t len, int64_t value)
{
    qala_status st;
    if ((m->count + 1) * 2 > m->nslots && (st = rehash(m, m->nslots ? m->nslots * 2 : 64)) != QALA_OK)
        return st;
    uint64_t h = qala_strmap__hash(key, len);
    qala_strmap_slot *s = find_slot(m, key, len, h);
    if (s->used) {
        s->value = value;
        return QALA_OK;
    }
    if (len > UINT32_MAX)
        return qala_err__set(QALA_ELIMIT, "key too long");
    if ((st = qala_mem__grow((void **)&m->arena, &m->arena_cap, m->arena_len + len + 1, 1)) != QALA_OK)
        return st;
    memcpy(m->arena + m->arena_len, key, len);
    m->arena[m->arena_len + len] = '\0';
    *s = (qala_strmap_slot){h, m->arena_len, (uint32_t)len, 1, value};
    m->arena_len += len + 1;
    m->count++;
    return QALA_OK;
}
