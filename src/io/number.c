/* src/io/number.c — numbers as official statistics tables write them.
 *
 * Called by the importer on every value cell, after the CSV reader (csv.c): tens of
 * millions of calls per import, so the common case ("12345.678", "1 234,5") is one pass
 * over the bytes, no allocation and no strtod. The rules (markers, signs, groups, the
 * decimal mark, footnotes) are listed in number.h and docs/csv-reading.md.
 *
 * How: trim; recognise missing/confidential markers; strip trailing footnote marks and
 * '%'; take the sign; cut the body into digit runs and the separators between them;
 * decide which separator is the decimal mark and check that every other one groups
 * exactly three digits; then compute the value. Up to 15 significant digits and a
 * power of ten within 10^±22 give the exact double with one multiplication or division
 * (both operands exact, so one correctly rounded operation); otherwise the digits and
 * the exponent are written as "DDDDe-N" — no decimal point, so the C locale does not
 * matter — and given to strtod, which rounds correctly. Never reads past s + len.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/number.h"

#define MAX_RUNS 64        /* digit groups in one number; more is not a number */
#define MAX_DIGITS 780     /* significant digits kept for strtod (767 decide a double) */
#define EXP_CLAMP 100000L  /* exponents beyond this are all the same to a double */

enum sep_kind { SEP_NONE, SEP_SPACE, SEP_APOS, SEP_DOT, SEP_COMMA };

typedef const unsigned char *cursor;

/* Length of the white space at p (ASCII, U+00A0, U+202F, U+2009), or 0. */
static size_t space_at(cursor p, cursor e)
{
    if (p >= e)
        return 0;
    if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        return 1;
    if (e - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if (e - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89))
        return 3;
    return 0;
}

/* Length of the white space ending at e, or 0. */
static size_t space_before(cursor b, cursor e)
{
    if (e <= b)
        return 0;
    unsigned char c = e[-1];
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return 1;
    if (e - b >= 2 && e[-2] == 0xC2 && c == 0xA0)
        return 2;
    if (e - b >= 3 && e[-3] == 0xE2 && e[-2] == 0x80 && (c == 0xAF || c == 0x89))
        return 3;
    return 0;
}

static void trim(cursor *b, cursor *e)
{
    size_t k;
    while ((k = space_at(*b, *e)) > 0)
        *b += k;
    while ((k = space_before(*b, *e)) > 0)
        *e -= k;
}

static const struct marker {
    const char *text;
    qala_number_kind kind;
} markers[] = {
    {"-", QALA_NUMBER_MISSING},
    {"\xE2\x80\x93", QALA_NUMBER_MISSING},  /* – en dash */
    {"\xE2\x80\x94", QALA_NUMBER_MISSING},  /* — em dash */
    {"\xE2\x80\xA6", QALA_NUMBER_MISSING},  /* … ellipsis */
    {"...", QALA_NUMBER_MISSING},
    {"..", QALA_NUMBER_MISSING},
    {":", QALA_NUMBER_MISSING},
    {"NA", QALA_NUMBER_MISSING},
    {"N/A", QALA_NUMBER_MISSING},
    {"n/a", QALA_NUMBER_MISSING},
    {"\xD0\xBD/\xD0\xB4", QALA_NUMBER_MISSING}, /* н/д */
    {"\xD0\x9D/\xD0\x94", QALA_NUMBER_MISSING}, /* Н/Д */
    {"\xD0\xBD\xD0\xB5\xD1\x82 \xD0\xB4\xD0\xB0\xD0\xBD\xD0\xBD\xD1\x8B\xD1\x85",
     QALA_NUMBER_MISSING}, /* нет данных */
    {"x", QALA_NUMBER_CONFIDENTIAL},
    {"X", QALA_NUMBER_CONFIDENTIAL},
    {"\xD1\x85", QALA_NUMBER_CONFIDENTIAL}, /* х Cyrillic */
    {"\xD0\xA5", QALA_NUMBER_CONFIDENTIAL}, /* Х Cyrillic */
};

/* The kind of a marker that b..e is exactly, or QALA_NUMBER_OK when it is none. */
static qala_number_kind marker_kind(cursor b, cursor e)
{
    size_t n = (size_t)(e - b);
    if (n == 0)
        return QALA_NUMBER_MISSING;
    if (n > 20 || (*b >= '0' && *b <= '9'))
        return QALA_NUMBER_OK;
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (strlen(markers[i].text) == n && memcmp(markers[i].text, b, n) == 0)
            return markers[i].kind;
    return QALA_NUMBER_OK;
}

/* Length of a footnote mark ending at e: '*', '†', '‡', a superscript digit, or "N)"
 * (one digit directly after the number, one or two after white space); 0 if none. */
static size_t footnote_before(cursor b, cursor e)
{
    size_t n = (size_t)(e - b);
    if (n == 0)
        return 0;
    unsigned char c = e[-1];
    if (c == '*')
        return 1;
    if (n >= 2 && e[-2] == 0xC2 && (c == 0xB9 || c == 0xB2 || c == 0xB3))
        return 2; /* ¹ ² ³ */
    if (n >= 3 && e[-3] == 0xE2 && e[-2] == 0x80 && (c == 0xA0 || c == 0xA1))
        return 3; /* † ‡ */
    if (n >= 3 && e[-3] == 0xE2 && e[-2] == 0x81 && (c == 0xB0 || (c >= 0xB4 && c <= 0xB9)))
        return 3; /* ⁰ ⁴ … ⁹ */
    if (c == ')') {
        size_t d = 0;
        while (d < 3 && d + 1 < n && e[-2 - (ptrdiff_t)d] >= '0' && e[-2 - (ptrdiff_t)d] <= '9')
            d++;
        if (d == 0)
            return 0;
        if (d <= 2 && space_before(b, e - 1 - d) > 0)
            return d + 1;
        return 2;
    }
    return 0;
}

static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

typedef struct body {
    size_t nruns;
    cursor run[MAX_RUNS];
    size_t run_len[MAX_RUNS];
    enum sep_kind sep[MAX_RUNS]; /* sep[k]: separator before run k (k >= 1) */
    long exp10;                  /* the e/E part */
    int has_exp;
} body;

/* Cuts b..e into digit runs, separators and an exponent. 0 when it is not that shape. */
static int split_body(cursor b, cursor e, body *y)
{
    y->nruns = 0;
    y->exp10 = 0;
    y->has_exp = 0;
    cursor p = b;
    for (;;) {
        cursor s = p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        y->run[y->nruns] = s;
        y->run_len[y->nruns] = (size_t)(p - s);
        y->nruns++;
        if (p == e)
            return 1;
        if (*p == 'e' || *p == 'E') {
            p++;
            int neg = 0;
            if (p < e && (*p == '+' || *p == '-'))
                neg = *p++ == '-';
            if (p == e)
                return 0;
            long x = 0;
            for (; p < e; p++) {
                if (*p < '0' || *p > '9')
                    return 0;
                if (x < EXP_CLAMP)
                    x = x * 10 + (*p - '0');
            }
            y->exp10 = neg ? -x : x;
            y->has_exp = 1;
            return 1;
        }
        enum sep_kind k;
        size_t w = space_at(p, e);
        if (w > 0 && *p != '\t' && (*p == ' ' || *p >= 0x80))
            k = SEP_SPACE;
        else if (*p == '\'')
            k = SEP_APOS, w = 1;
        else if (*p == '.')
            k = SEP_DOT, w = 1;
        else if (*p == ',')
            k = SEP_COMMA, w = 1;
        else
            return 0;
        if (y->nruns == MAX_RUNS)
            return 0;
        y->sep[y->nruns] = k;
        p += w;
    }
}

/* Value of the digits of runs [0, nruns) where the decimal mark is before run dec_run
 * (nruns when there is none), times 10^exp10. Correctly rounded. */
static double compute(const body *y, size_t dec_run)
{
    uint64_t m = 0;
    int nd = 0;      /* significant digits in m */
    int dropped = 0; /* digits that did not fit in m */
    long e10 = y->exp10;
    for (size_t r = 0; r < y->nruns; r++) {
        int frac = r >= dec_run;
        for (size_t i = 0; i < y->run_len[r]; i++) {
            unsigned d = (unsigned)(y->run[r][i] - '0');
            if (m == 0 && d == 0) {
                e10 -= frac;
            } else if (nd < 19) {
                m = m * 10 + d;
                nd++;
                e10 -= frac;
            } else {
                dropped = 1;
                break;
            }
        }
        if (dropped)
            break;
    }
    if (m == 0)
        return 0.0;
    if (!dropped && nd <= 15) {
        if (e10 == 0)
            return (double)m;
        if (e10 > 0 && e10 <= 22)
            return (double)m * pow10_exact[e10];
        if (e10 < 0 && e10 >= -22)
            return (double)m / pow10_exact[-e10];
        if (e10 > 22 && e10 <= 22 + 15) {
            uint64_t mm = m;
            long k = e10 - 22;
            while (k > 0 && mm < (UINT64_C(1) << 53) / 10)
                mm *= 10, k--;
            if (k == 0)
                return (double)mm * 1e22;
        }
    }

    /* General case: "<significant digits>e<exponent>" for strtod. */
    char buf[MAX_DIGITS + 32];
    size_t n = 0;
    int sticky = 0;
    e10 = y->exp10;
    for (size_t r = 0; r < y->nruns; r++) {
        int frac = r >= dec_run;
        for (size_t i = 0; i < y->run_len[r]; i++) {
            char d = (char)y->run[r][i];
            if (n == 0 && d == '0') {
                e10 -= frac;
            } else if (n < MAX_DIGITS) {
                buf[n++] = d;
                e10 -= frac;
            } else {
                e10 += !frac; /* an integer digit left out still scales the value */
                sticky |= d != '0';
            }
        }
    }
    if (sticky) { /* a nonzero digit far below: keeps the rounding direction right */
        buf[n++] = '1';
        e10--;
    }
    snprintf(buf + n, sizeof buf - n, "e%ld", e10);
    return strtod(buf, NULL);
}

/* The common cell, "-12345.678" or "2015": optional '-', digits, optionally one decimal
 * mark (the expected one) and digits, at most 15 digits, nothing else. 1 when handled. */
static int parse_plain(const unsigned char *p, size_t len, char decimal, double *value,
                       unsigned *notes)
{
    size_t i = 0;
    int neg = 0;
    if (len == 0 || len > 17)
        return 0;
    if (p[0] == '-')
        neg = 1, i = 1;
    uint64_t m = 0;
    size_t nint = 0, nfrac = 0;
    for (; i < len && p[i] >= '0' && p[i] <= '9'; i++, nint++)
        m = m * 10 + (unsigned)(p[i] - '0');
    unsigned char mark = 0;
    if (i < len && (p[i] == '.' || p[i] == ',')) {
        mark = p[i++];
        for (; i < len && p[i] >= '0' && p[i] <= '9'; i++, nfrac++)
            m = m * 10 + (unsigned)(p[i] - '0');
        if (nfrac == 0 || (decimal && mark != (unsigned char)decimal) ||
            (!decimal && nfrac == 3 && nint <= 3))
            return 0; /* "5.", a group mark, or "1,234" (ambiguous): the full rules */
    }
    if (i != len || nint == 0 || nint + nfrac > 15)
        return 0;
    double v = nfrac ? (double)m / pow10_exact[nfrac] : (double)m;
    *value = neg && m ? -v : v;
    *notes = !mark ? 0u
             : mark == '.' ? (unsigned)QALA_NUMBER_NOTE_DECIMAL_POINT
                           : (unsigned)QALA_NUMBER_NOTE_DECIMAL_COMMA;
    return 1;
}

qala_number_kind qala_number__parse(const char *s, size_t len, char decimal, double *value,
                                    unsigned *notes)
{
    if (parse_plain((const unsigned char *)s, len, decimal, value, notes))
        return QALA_NUMBER_OK;
    unsigned nt = 0;
    *notes = 0;
    cursor b = (cursor)s, e = b + len;
    trim(&b, &e);
    qala_number_kind mk = marker_kind(b, e);
    if (mk != QALA_NUMBER_OK)
        return mk;

    for (;;) { /* trailing footnote marks and '%', in any order */
        size_t k = footnote_before(b, e);
        if (k > 0) {
            nt |= QALA_NUMBER_NOTE_FOOTNOTE;
        } else if (e > b && e[-1] == '%') {
            nt |= QALA_NUMBER_NOTE_PERCENT;
            k = 1;
        } else {
            break;
        }
        e -= k;
        trim(&b, &e);
    }
    *notes = nt;
    if (nt) {
        if (e == b)
            return QALA_NUMBER_INVALID; /* a mark alone */
        mk = marker_kind(b, e);
        if (mk != QALA_NUMBER_OK)
            return mk; /* "x¹" */
    }

    int neg = 0;
    if (b < e && (*b == '-' || *b == '+')) {
        neg = *b == '-';
        b++;
    } else if (e - b >= 3 && b[0] == 0xE2 && b[1] == 0x88 && b[2] == 0x92) { /* − */
        neg = 1;
        b += 3;
    }

    body y;
    if (b == e || !split_body(b, e, &y))
        return QALA_NUMBER_INVALID;

    size_t ndot = 0, ncomma = 0, last_dot = 0, last_comma = 0;
    for (size_t k = 1; k < y.nruns; k++) {
        if (y.sep[k] == SEP_DOT)
            ndot++, last_dot = k;
        else if (y.sep[k] == SEP_COMMA)
            ncomma++, last_comma = k;
    }
    enum sep_kind dec;
    if (decimal == '.')
        dec = SEP_DOT;
    else if (decimal == ',')
        dec = SEP_COMMA;
    else if (ndot && ncomma)
        dec = last_dot > last_comma ? SEP_DOT : SEP_COMMA;
    else if (ndot == 1)
        dec = SEP_DOT;
    else if (ncomma == 1)
        dec = SEP_COMMA;
    else
        dec = SEP_NONE; /* "1,234,567": repeated marks are groups */

    size_t dec_run = y.nruns;
    enum sep_kind group = SEP_NONE;
    size_t ndigits = y.run_len[0];
    for (size_t k = 1; k < y.nruns; k++) {
        if (y.run_len[k] == 0)
            return QALA_NUMBER_INVALID; /* "5.", "1..2", "1, 2" */
        ndigits += y.run_len[k];
        if (y.sep[k] == dec) {
            if (dec_run != y.nruns)
                return QALA_NUMBER_INVALID; /* two decimal marks */
            dec_run = k;
        } else {
            if (dec_run != y.nruns || (group != SEP_NONE && group != y.sep[k]) ||
                y.run_len[k] != 3)
                return QALA_NUMBER_INVALID;
            group = y.sep[k];
        }
    }
    if (ndigits == 0)
        return QALA_NUMBER_INVALID;
    if (group != SEP_NONE) {
        if (y.run_len[0] < 1 || y.run_len[0] > 3)
            return QALA_NUMBER_INVALID;
        nt |= QALA_NUMBER_NOTE_GROUPED;
    } else if (y.run_len[0] == 0 && dec_run != 1) {
        return QALA_NUMBER_INVALID;
    }
    if (dec_run < y.nruns) {
        nt |= dec == SEP_COMMA ? QALA_NUMBER_NOTE_DECIMAL_COMMA : QALA_NUMBER_NOTE_DECIMAL_POINT;
        if (decimal == 0 && y.nruns == 2 && y.run_len[1] == 3 && y.run_len[0] >= 1 &&
            y.run_len[0] <= 3 && !(y.run_len[0] == 1 && y.run[0][0] == '0') && !y.has_exp)
            nt |= QALA_NUMBER_NOTE_AMBIGUOUS; /* "1,234": 1.234 or 1234? */
    }
    *notes = nt;

    double v = compute(&y, dec_run);
    if (!isfinite(v))
        return QALA_NUMBER_INVALID;
    *value = neg && v != 0.0 ? -v : v;
    return QALA_NUMBER_OK;
}
