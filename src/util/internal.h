/* src/util/internal.h — helpers shared by every module of libqala (never installed).
 *
 * Allocation goes through qala_mem__* (the hook of qala_allocator_set); errors are
 * recorded with qala_err__set / qala_err__set_at, which return the code so that a
 * failing path reads `return qala_err__set(QALA_EINVAL, "...")`.
 */
#ifndef QALA_UTIL_INTERNAL_H
#define QALA_UTIL_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "qala/common.h"

void *qala_mem__malloc(size_t size);
void *qala_mem__calloc(size_t count, size_t size);
void *qala_mem__realloc(void *ptr, size_t size);
void qala_mem__free(void *ptr);
char *qala_mem__strdup(const char *s);
/* A block of size bytes for large columns: from 1 MiB up, whole 2 MiB pages aligned to
 * 2 MiB and offered to transparent huge pages. Freed with qala_mem__free_big and the same size. */
void *qala_mem__malloc_big(size_t size);
void qala_mem__free_big(void *ptr, size_t size);
char *qala_mem__strndup(const char *s, size_t len);
/* One block of `prefix` bytes followed by copies of the n strings (NULL is copied as
 * ""): copies[i] points at the copy of strs[i]. The caller frees the block. NULL when out
 * of memory (nothing recorded). Collections use it so that each item owns its strings in
 * one allocation that does not move when the collection grows. */
char *qala_mem__pack_strings(size_t prefix, const char *const *strs, size_t n, const char **copies);
/* Grows *ptr (of *cap elements of elem_size) to hold at least need elements,
 * doubling. Returns QALA_ENOMEM (and records it) on failure, leaving *ptr intact. */
qala_status qala_mem__grow(void **ptr, size_t *cap, size_t need, size_t elem_size);

__attribute__((format(printf, 2, 3)))
qala_status qala_err__set(qala_status code, const char *fmt, ...);
__attribute__((format(printf, 5, 6)))
qala_status qala_err__set_at(qala_status code, const char *file, long line, long column,
                             const char *fmt, ...);

/* A growable byte buffer with a hard cap (curl's dynbuf). */
typedef struct qala_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* 0 = no cap */
} qala_buf;

void qala_buf__init(qala_buf *b, size_t max);
void qala_buf__free(qala_buf *b);
static inline void qala_buf__reset(qala_buf *b) { b->len = 0; }
/* QALA_ELIMIT when max would be exceeded, QALA_ENOMEM; keeps data NUL-terminated. */
qala_status qala_buf__append(qala_buf *b, const char *s, size_t n);
qala_status qala_buf__putc(qala_buf *b, char c);
__attribute__((format(printf, 2, 3)))
qala_status qala_buf__printf(qala_buf *b, const char *fmt, ...);

#endif
