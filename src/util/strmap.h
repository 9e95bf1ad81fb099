/* src/util/strmap.h — a hash map from byte strings to 64-bit values (internal).
 *
 * Open addressing with linear probing, power-of-two table, load factor <= 1/2. Keys are
 * copied into one growing arena so that inserting costs no allocation per key in the
 * common case. Used to intern codes (dataset) and to cache name resolution (import).
 */
#ifndef QALA_UTIL_STRMAP_H
#define QALA_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"

typedef struct qala_strmap_slot {
    uint64_t hash;
    size_t key_off; /* offset into the arena; the key is NUL-terminated there */
    uint32_t key_len;
    uint32_t used;
    int64_t value;
} qala_strmap_slot;

typedef struct qala_strmap {
    qala_strmap_slot *slots;
    size_t nslots, count;
    char *arena;
    size_t arena_len, arena_cap;
} qala_strmap;

void qala_strmap__init(qala_strmap *m);
void qala_strmap__free(qala_strmap *m);
uint64_t qala_strmap__hash(const char *key, size_t len);
/* Returns a pointer to the value of key, or NULL when absent. */
int64_t *qala_strmap__get(const qala_strmap *m, const char *key, size_t len);
/* Sets key to value (adding or replacing). QALA_ENOMEM. */
qala_status qala_strmap__put(qala_strmap *m, const char *key, size_t len, int64_t value);
/* The key stored in slot order i (for iteration over m->slots[i].used). */
static inline const char *qala_strmap__key(const qala_strmap *m, const qala_strmap_slot *s)
{
    return m->arena + s->key_off;
}

#endif
