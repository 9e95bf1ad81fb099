/* tests/unit/failing_alloc.h — an allocator hook for the allocation-failure tests (curl's
 * torture tests): the allocation numbered fail_at (counting from 0 in `calls`) fails, the
 * others go to malloc/realloc. Tests loop fail_at = 0, 1, 2, ... until the operation
 * succeeds; ASan's leak check (a report fails the test) proves each failure path frees
 * what it holds. Install with qala_allocator_set(&failing_allocator), remove with
 * qala_allocator_set(NULL).
 */
#ifndef QALA_TEST_FAILING_ALLOC_H
#define QALA_TEST_FAILING_ALLOC_H

#include <stdlib.h>

#include "qala/common.h"

static long fail_at = -1, calls = 0;

static void *failing_malloc(size_t n, void *ctx)
{
    (void)ctx;
    return calls++ == fail_at ? NULL : malloc(n);
}

static void *failing_realloc(void *p, size_t n, void *ctx)
{
    (void)ctx;
    return calls++ == fail_at ? NULL : realloc(p, n);
}

static void plain_free(void *p, void *ctx)
{
    (void)ctx;
    free(p);
}

static const qala_allocator failing_allocator = {failing_malloc, failing_realloc, plain_free, NULL};

#endif
