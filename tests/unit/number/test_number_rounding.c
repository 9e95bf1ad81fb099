/* tests/unit/number/test_number_rounding.c — values are correctly rounded: every result
 * is compared bit for bit with glibc's strtod (correctly rounded, C locale here) on the
 * same digits, over random inputs from a seeded generator. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/number.h"

static uint64_t next_random(uint64_t *s) /* xorshift64* */
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

static void expect_same_as_strtod(const char *ours, char decimal, const char *c_form)
{
    double want = strtod(c_form, NULL);
    double got = -1;
    unsigned notes;
    qala_number_kind k = qala_number__parse(ours, strlen(ours), decimal, &got, &notes);
    cr_assert_eq(k, QALA_NUMBER_OK, "'%s' not parsed", ours);
    cr_assert(memcmp(&got, &want, sizeof got) == 0 || (got == 0 && want == 0),
              "'%s': %a, strtod('%s') = %a", ours, got, c_form, want);
}

Test(number_rounding, random_decimals_match_strtod)
{
    uint64_t seed = 20240917; /* fixed seed: failures replay */
    char digits[64], ours[128], c_form[128];
    for (int t = 0; t < 200000; t++) {
        int nd = 1 + (int)(next_random(&seed) % 25);
        for (int i = 0; i < nd; i++)
            digits[i] = (char)('0' + next_random(&seed) % 10);
        digits[nd] = '\0';
        int point = (int)(next_random(&seed) % (unsigned)(nd + 1)); /* digits before the mark */
        int exp = (int)(next_random(&seed) % 81) - 40;
        int use_exp = next_random(&seed) % 3 == 0;
        int comma = next_random(&seed) % 2;
        int neg = next_random(&seed) % 2;
        char expbuf[16] = "";
        if (use_exp)
            snprintf(expbuf, sizeof expbuf, "e%d", exp);
        if (point == 0 || point == nd) { /* no mark: an integer */
            snprintf(ours, sizeof ours, "%s%s%s", neg ? "-" : "", digits, expbuf);
            snprintf(c_form, sizeof c_form, "%s", ours);
        } else {
            snprintf(ours, sizeof ours, "%s%.*s%c%s%s", neg ? "-" : "", point, digits,
                     comma ? ',' : '.', digits + point, expbuf);
            snprintf(c_form, sizeof c_form, "%s%.*s.%s%s", neg ? "-" : "", point, digits,
                     digits + point, expbuf);
        }
        expect_same_as_strtod(ours, comma ? ',' : '.', c_form);
    }
}

Test(number_rounding, grouped_values_match_strtod)
{
    uint64_t seed = 77;
    char ours[128], c_form[128];
    for (int t = 0; t < 20000; t++) {
        uint64_t ip = next_random(&seed) % UINT64_C(1000000000000);
        unsigned frac = (unsigned)(next_random(&seed) % 100000);
        snprintf(c_form, sizeof c_form, "%llu.%05u", (unsigned long long)ip, frac);
        /* the same with spaces as group marks and a decimal comma */
        char intpart[32];
        int n = snprintf(intpart, sizeof intpart, "%llu", (unsigned long long)ip);
        size_t o = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0)
                ours[o++] = ' ';
            ours[o++] = intpart[i];
        }
        snprintf(ours + o, sizeof ours - o, ",%05u", frac);
        expect_same_as_strtod(ours, 0, c_form);
    }
}

Test(number_rounding, hard_cases_match_strtod)
{
    /* halfway and near-halfway cases that need more than the fast path */
    const char *cases[] = {
        "9007199254740993",            /* 2^53 + 1: halfway between two doubles */
        "9007199254740993.0000000001", /* just above halfway */
        "2.2250738585072011e-308",     /* near the smallest normal */
        "4.9406564584124654e-324",     /* the smallest subnormal */
        "1.7976931348623157e308",      /* the largest double */
        "0.1000000000000000055511151231257827021181583404541015625",
        "123456789012345678901234567890",
        "1e23",
        "8.5e37",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_same_as_strtod(cases[i], '.', cases[i]);
}

Test(number_rounding, very_long_digit_strings_match_strtod)
{
    /* 1 followed by 900 digits: beyond the 780 digits kept, the sticky digit decides */
    static char ours[1024];
    for (int variant = 0; variant < 3; variant++) {
        size_t n = 0;
        n += (size_t)sprintf(ours + n, "0.");
        /* the double nearest to 2^-1 + 2^-54 (a halfway case) written exactly: start
         * with 5000000000000000277555756156289135105907917022705078125 */
        n += (size_t)sprintf(ours + n, "5000000000000000277555756156289135105907917022705078125");
        while (n < 950)
            ours[n++] = '0';
        ours[n++] = variant == 0 ? '0' : '1'; /* a 1 far below tips the rounding up */
        if (variant == 2)
            n += (size_t)sprintf(ours + n, "e-3");
        ours[n] = '\0';
        expect_same_as_strtod(ours, '.', ours);
    }
}
