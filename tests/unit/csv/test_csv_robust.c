/* tests/unit/csv/test_csv_robust.c — random input never crashes (run under ASan/UBSan),
 * caps hold, and every allocation failure is reported and cleaned up. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "csv_helpers.h"

/* xorshift64*: explicit generator with a fixed seed, so a failure can be replayed */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

/* Reads everything; checks the invariants of every record and error. */
static void read_all(qala_csv *csv, size_t max_field, size_t max_fields)
{
    int r, guard = 0;
    long last_line = 0;
    while ((r = qala_csv__next(csv)) != 0) {
        cr_assert(guard++ < 1000000, "the reader must reach the end");
        if (r < 0) {
            cr_assert(r == QALA_EPARSE || r == QALA_ELIMIT, "status %d", r);
            cr_assert(qala_error_last()->line >= 1 && qala_error_last()->column >= 1);
            continue;
        }
        cr_assert_eq(r, 1);
        cr_assert(qala_csv__line(csv) > last_line, "records come in line order");
        last_line = qala_csv__line(csv);
        size_t nf = qala_csv__nfields(csv);
        cr_assert(nf >= 1 && nf <= max_fields);
        for (size_t i = 0; i < nf; i++) {
            size_t len;
            const char *s = qala_csv__field(csv, i, &len);
            cr_assert(len <= max_field);
            cr_assert_eq(strlen(s), len, "no NUL inside a field");
        }
    }
}

Test(csv_robust, ten_thousand_random_inputs)
{
    uint64_t seed = UINT64_C(0x9E3779B97F4A7C15); /* seed: fixed, see next_random */
    /* bytes biased towards the ones the parser cares about */
    static const char alphabet[] = ",;\t\"\r\n\0a1 \xD0\x96\xC0\xFF\xEF\xBB\xBF\xE2\x82";
    char *buf = malloc(4096);
    for (int t = 0; t < 10000; t++) {
        size_t len = next_random(&seed) % 4096;
        int mode = (int)(next_random(&seed) % 3);
        for (size_t i = 0; i < len; i++) {
            uint64_t x = next_random(&seed);
            buf[i] = mode == 0 ? (char)(x & 0xFF) : alphabet[x % (sizeof alphabet - 1)];
        }
        qala_csv_options opt = {.max_field = 1 + next_random(&seed) % 64,
                                .max_fields = 1 + next_random(&seed) % 16,
                                .encoding = mode == 2 ? "UTF-8" : NULL};
        qala_csv *csv;
        cr_assert_eq(qala_csv__open_buffer(&csv, buf, len, "rnd", &opt), QALA_OK);
        read_all(csv, opt.max_field, opt.max_fields);
        qala_csv__close(csv);
    }
    free(buf);
}

Test(csv_robust, random_file_larger_than_a_block)
{
    uint64_t seed = 42;
    size_t len = 200000;
    char *buf = malloc(len);
    static const char alphabet[] = ",\"\r\nab\xD0\x96\xE3";
    for (size_t i = 0; i < len; i++)
        buf[i] = alphabet[next_random(&seed) % (sizeof alphabet - 1)];
    char *a = dump_file(buf, len, NULL);
    char *b = dump_opt(buf, len, NULL);
    cr_expect(strcmp(a, b) == 0, "file (blocks) and memory (one window) agree");
    free(a);
    free(b);
    free(buf);
}

/* ---- allocation failures ---------------------------------------------------------- */

static int alloc_countdown; /* the allocation that fails; -1: none */

static void *failing_malloc(size_t size, void *ctx)
{
    (void)ctx;
    if (alloc_countdown >= 0 && alloc_countdown-- == 0)
        return NULL;
    return malloc(size);
}

static void *failing_realloc(void *p, size_t size, void *ctx)
{
    (void)ctx;
    if (alloc_countdown >= 0 && alloc_countdown-- == 0)
        return NULL;
    return realloc(p, size);
}

static void plain_free(void *p, void *ctx)
{
    (void)ctx;
    free(p);
}

Test(csv_robust, every_allocation_failure_is_clean)
{
    /* fails allocation 0, 1, 2, ... until a whole read succeeds; ASan's leak check
     * proves that each failure path frees what it holds */
    const char *in = "\xC0,\"a\nb\",c\n" "d,e,f,g,h,i,j\n" "\"long quoted field with \"\"\",x\n";
    qala_allocator hook = {failing_malloc, failing_realloc, plain_free, NULL};
    int succeeded = 0;
    for (int k = 0; k < 100 && !succeeded; k++) {
        alloc_countdown = k;
        qala_allocator_set(&hook);
        qala_csv *csv = NULL;
        qala_status st = qala_csv__open_buffer(&csv, in, strlen(in), "t", NULL);
        int records = 0, failed = 0, r;
        if (st == QALA_OK) {
            while ((r = qala_csv__next(csv)) != 0) {
                if (r == 1)
                    records++;
                else
                    failed = 1;
            }
            qala_csv__close(csv);
        } else {
            cr_expect_eq(st, QALA_ENOMEM);
            cr_expect_null(csv);
            failed = 1;
        }
        qala_allocator_set(NULL);
        if (!failed) {
            cr_expect_eq(records, 3);
            succeeded = 1;
        }
    }
    cr_expect(succeeded, "some countdown lets everything through");
}
