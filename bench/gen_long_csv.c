/* bench/gen_long_csv.c — a seeded generator of synthetic long-format panels for the
 * benchmarks: N units × K indicators × T years as "unit,indicator,period,value" rows.
 * Synthetic data with fictional unit names (U000001…) and indicator codes (I001…):
 * for benchmarks only. Usage: gen_long_csv N K T SEED > file.csv
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static uint64_t next(void) /* xorshift64* */
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: gen_long_csv N K T SEED\n");
        return 2;
    }
    long n = atol(argv[1]), k = atol(argv[2]), t = atol(argv[3]);
    state = strtoull(argv[4], NULL, 10) | 1;
    static char buf[1 << 20];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    fputs("unit,indicator,period,value\n", stdout);
    for (long u = 1; u <= n; u++)
        for (long i = 1; i <= k; i++)
            for (long y = 0; y < t; y++) {
                uint64_t r = next();
                printf("U%06ld,I%03ld,%ld,%" PRIu64 ".%03" PRIu64 "\n", u, i, 2000 + y, (r >> 20) % 100000,
                       (r >> 8) % 1000);
            }
    return 0;
}
