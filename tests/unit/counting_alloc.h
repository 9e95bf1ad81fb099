/* tests/unit/counting_alloc.h — an allocator hook for the allocation-failure tests of the
 * import paths (curl's torture tests): while `armed`, it counts allocations and fails the
 * fail_at-th (from 1); it always counts the blocks alive in `live`, so that a leak shows
 * as a non-zero balance even where the leak checker's report would not fail the test.
 * Install with qala_allocator_set(&failing), remove with qala_allocator_set(NULL).
 * (tests/unit/failing_alloc.h is the simpler hook, without the balance.)
 */
#ifndef QALA_TEST_COUNTING_ALLOC_H
#define QALA_TEST_COUNTING_ALLOC_H

#include <stdlib.h>

#include "qala/common.h"

static size_t alloc_count, fail_at;
static int armed;
static long live;

static void *failing_malloc(size_t size, void *ctx)
{
    (void)ctx;
    if (armed && ++alloc_count == fail_at)
        return NULL;
    void *p = malloc(size);
    live += p != NULL;
    return p;
}

static void *failing_realloc(void *p, size_t size, void *ctx)
{
    (void)ctx;
    if (armed && ++alloc_count == fail_at)
        return NULL;
    void *q = realloc(p, size);
    live += q && !p;
    return q;
}

static void counting_free(void *p, void *ctx)
{
    (void)ctx;
    live -= p != NULL;
    free(p);
}

static const qala_allocator failing = {failing_malloc, failing_realloc, counting_free, NULL};

#endif
