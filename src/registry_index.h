/* src/registry_index.h — an open-addressing hash multimap from strings to indices
 * (internal; used by the registry, the framework and the findings list).
 *
 * The index stores only (hash, value); the key of a value is read back through a
 * callback, so the strings stay where their owner keeps them. Several values may have
 * the same key: qala_strindex__next walks them. Insertion never allocates once room
 * was reserved, so that callers can reserve first and then change their tables without
 * a failure half-way.
 */
#ifndef QALA_REGISTRY_INDEX_H
#define QALA_REGISTRY_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "qala/common.h"

typedef const char *(*qala_strindex_key_fn)(const void *ctx, size_t value);

typedef struct qala_strindex_slot {
    uint64_t hash;
    size_t value1; /* value + 1; 0 = empty */
} qala_strindex_slot;

typedef struct qala_strindex {
    qala_strindex_slot *slots;
    size_t cap;  /* power of two, or 0 */
    size_t used;
    int nocase;  /* keys compare ASCII-case-insensitively */
    qala_strindex_key_fn key;
    const void *ctx;
} qala_strindex;

void qala_strindex__init(qala_strindex *ix, int nocase, qala_strindex_key_fn key,
                         const void *ctx);
void qala_strindex__free(qala_strindex *ix);
/* Empties the index, keeping its memory. */
void qala_strindex__clear(qala_strindex *ix);
/* Makes room for `more` insertions (load factor <= 1/2). QALA_ENOMEM. */
qala_status qala_strindex__reserve(qala_strindex *ix, size_t more);
/* Adds value under key; room must have been reserved. */
void qala_strindex__insert(qala_strindex *ix, const char *key, size_t value);
/* Walks the values stored under key: start with *cursor = 0; returns 1 and sets
 * *value while there are more. */
int qala_strindex__next(const qala_strindex *ix, const char *key, size_t *cursor,
                        size_t *value);

#endif
