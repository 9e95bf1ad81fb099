/* src/util/alloc.c — the allocation hook and the capped growable buffer.
 *
 * Every allocation of libqala passes through qala_mem__*, which call the functions set
 * with qala_allocator_set (malloc/realloc/free by default). Tests install a hook that
 * fails the n-th allocation to prove that each failure path cleans up.
 *
 * Large blocks (qala_mem__malloc_big, from 1 MiB: the index engine's columns) take
 * whole 2 MiB pages, start on a 2 MiB boundary and are offered to the kernel's
 * transparent huge pages (madvise), as numpy does for its arrays: their first touch then
 * costs one page fault per 2 MiB instead of one per 4 KiB (a third of a 100,000-unit
 * index run went to page faults before).
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "util/internal.h"

static void *default_malloc(size_t size, void *ctx) { (void)ctx; return malloc(size); }
static void *default_realloc(void *p, size_t size, void *ctx) { (void)ctx; return realloc(p, size); }
static void default_free(void *p, void *ctx) { (void)ctx; free(p); }

static qala_allocator hooks = {default_malloc, default_realloc, default_free, NULL};

void qala_allocator_set(const qala_allocator *allocator)
{
    if (allocator)
        hooks = *allocator;
    else
        hooks = (qala_allocator){default_malloc, default_realloc, default_free, NULL};
}

void *qala_mem__malloc(size_t size)
{
    return hooks.malloc_fn(size ? size : 1, hooks.ctx);
}

void *qala_mem__calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    size_t total = count * size;
    void *p = qala_mem__malloc(total);
    if (p && total)
        memset(p, 0, total);
    return p;
}

void *qala_mem__realloc(void *ptr, size_t size)
{
    return hooks.realloc_fn(ptr, size ? size : 1, hooks.ctx);
}

void qala_mem__free(void *ptr)
{
    if (ptr)
        hooks.free_fn(ptr, hooks.ctx);
}

enum { BIG_BYTES = 1 << 20, HUGE_PAGE = 2 << 20 };

/* the bytes a big block of size takes: whole huge pages, one more to align, the link */
static size_t big_total(size_t size)
{
    if (size > SIZE_MAX - 2 * HUGE_PAGE - sizeof(void *))
        return 0;
    return ((size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1)) + HUGE_PAGE + sizeof(void *);
}

void *qala_mem__malloc_big(size_t size)
{
    if (size < BIG_BYTES)
        return qala_mem__malloc(size);
    size_t total = big_total(size);
    char *raw = total ? qala_mem__malloc(total) : NULL;
    if (!raw)
        return NULL;
    uintptr_t at = ((uintptr_t)raw + sizeof(void *) + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    void **p = (void **)at;
    p[-1] = raw;
#ifdef MADV_HUGEPAGE
    /* a hint (whole huge pages, inside the block): its failure changes nothing */
    (void)madvise(p, (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1), MADV_HUGEPAGE);
#endif
    return p;
}

void qala_mem__free_big(void *ptr, size_t size)
{
    if (!ptr)
        return;
    if (size < BIG_BYTES)
        qala_mem__free(ptr);
    else
        qala_mem__free(((void **)ptr)[-1]);
}

void qala_free(void *ptr)
{
    qala_mem__free(ptr);
}

char *qala_mem__strndup(const char *s, size_t len)
{
    char *p = qala_mem__malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *qala_mem__strdup(const char *s)
{
    return qala_mem__strndup(s, strlen(s));
}

char *qala_mem__pack_strings(size_t prefix, const char *const *strs, size_t n, const char **copies)
{
    size_t size = prefix;
    for (size_t i = 0; i < n; i++)
        size += strlen(strs[i] ? strs[i] : "") + 1;
    char *block = qala_mem__malloc(size);
    if (!block)
        return NULL;
    char *at = block + prefix;
    for (size_t i = 0; i < n; i++) {
        const char *s = strs[i] ? strs[i] : "";
        size_t len = strlen(s) + 1;
        memcpy(at, s, len);
        copies[i] = at;
        at += len;
    }
    return block;
}

qala_status qala_mem__grow(void **ptr, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return QALA_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem_size)
            return qala_err__set(QALA_ENOMEM, "cannot grow an array to %zu elements", need);
        ncap *= 2;
    }
    void *p = qala_mem__realloc(*ptr, ncap * elem_size);
    if (!p)
        return qala_err__set(QALA_ENOMEM, "out of memory growing an array to %zu elements", ncap);
    *ptr = p;
    *cap = ncap;
    return QALA_OK;
}

void qala_buf__init(qala_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void qala_buf__free(qala_buf *b)
{
    qala_mem__free(b->data);
    qala_buf__init(b, b->max);
}

qala_status qala_buf__append(qala_buf *b, const char *s, size_t n)
{
    if (b->max && b->len + n > b->max)
        return qala_err__set(QALA_ELIMIT, "text longer than the limit of %zu bytes", b->max);
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *p = qala_mem__realloc(b->data, ncap);
        if (!p)
            return qala_err__set(QALA_ENOMEM, "out of memory");
        b->data = p;
        b->cap = ncap;
    }
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return QALA_OK;
}

qala_status qala_buf__putc(qala_buf *b, char c)
{
    return qala_buf__append(b, &c, 1);
}

qala_status qala_buf__printf(qala_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return qala_err__set(QALA_EINVAL, "bad format");
    if ((size_t)n < sizeof small)
        return qala_buf__append(b, small, (size_t)n);
    char *big = qala_mem__malloc((size_t)n + 1);
    if (!big)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    qala_status st = qala_buf__append(b, big, (size_t)n);
    qala_mem__free(big);
    return st;
}
