/* src/text.c — Unicode text: folding for name matching, UTF-8 checks, edit distance,
 * terminal width. The Kazakh Cyrillic → Latin transliteration is in text_kk_latin.c.
 *
 * Every name that enters the registry or the framework is folded once when it is
 * added (so ~10 folds per unit, 10^6 for a registry of 100,000 units), and every name a
 * user types or an import file carries is folded once per distinct value. The fold is
 * (docs/methods-text.md):
 *   1. utf8proc: compatibility decomposition (NFKD), full Unicode case folding, removal
 *      of default-ignorable code points (soft hyphen, zero-width joiners);
 *   2. removal of combining marks (Mn, Mc, Me), except the breve of Cyrillic й, which
 *      is a letter of its own in Russian and Kazakh and not a decorated и;
 *   3. canonical composition (NFC of what is left), so й becomes one code point again;
 *   4. the dotless ı (Kazakh Latin for і) becomes i, since people type one for the other;
 *   5. runs of white space, control characters, dashes, brackets, quotes, apostrophes,
 *      dots and commas become one ASCII space; leading and trailing ones are dropped.
 * Kazakh letters (қ ғ ң ө ұ ү і ә һ) have no decomposition in Unicode and stay distinct
 * from their Russian look-alikes.
 *
 * All memory comes from qala_mem__* (utf8proc is only asked to write into our
 * buffers), so that the allocation-failure tests cover this file too.
 */
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "text_internal.h"
#include "util/internal.h"

/* ---- UTF-8 ----------------------------------------------------------------------- */

/* Decodes one code point at s[0..n); returns its length, or 0 when the bytes there are
 * not valid UTF-8 (overlong, surrogate, above U+10FFFF, truncated, stray continuation). */
size_t qala_text__decode(const char *s, size_t n, int32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    unsigned char c = u[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    int32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (u[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

int qala_text_valid_utf8(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        size_t k = qala_text__decode(s + i, len - i, &cp);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

size_t qala_text__encode(int32_t cp, char *out)
{
    unsigned char *u = (unsigned char *)out;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- normalisation into our own buffer ------------------------------------------- */

qala_status qala_text__decompose(int32_t **out, size_t *n, const char *s, size_t len,
                                 unsigned options)
{
    *out = NULL;
    *n = 0;
    if (!qala_text_valid_utf8(s, len))
        return qala_err__set(QALA_EPARSE, "text is not valid UTF-8");
    if (len > (size_t)PTRDIFF_MAX / 16)
        return qala_err__set(QALA_ELIMIT, "text too long to normalise");
    utf8proc_option_t opt = (utf8proc_option_t)options;
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t need = utf8proc_decompose_custom(u, (utf8proc_ssize_t)len, NULL, 0, opt,
                                                      NULL, NULL);
    if (need < 0)
        return qala_err__set(QALA_EPARSE, "text cannot be normalised: %s", utf8proc_errmsg(need));
    /* One spare entry so that an empty result still gets a buffer. */
    int32_t *buf = qala_mem__malloc(((size_t)need + 1) * sizeof *buf);
    if (!buf)
        return qala_err__set(QALA_ENOMEM, "out of memory normalising text");
    utf8proc_ssize_t got = utf8proc_decompose_custom(u, (utf8proc_ssize_t)len, buf, need, opt,
                                                     NULL, NULL);
    if (got < 0 || got > need) {
        qala_mem__free(buf);
        return qala_err__set(QALA_EPARSE, "text cannot be normalised");
    }
    *out = buf;
    *n = (size_t)got;
    return QALA_OK;
}

size_t qala_text__compose(int32_t *cps, size_t n)
{
    if (n == 0)
        return 0;
    utf8proc_ssize_t k = utf8proc_normalize_utf32(cps, (utf8proc_ssize_t)n, UTF8PROC_COMPOSE);
    return k < 0 ? n : (size_t)k;
}

/* ---- folding ---------------------------------------------------------------------- */

static int is_mark(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* The code points that separate words for matching (step 5 of the fold). */
static int is_separator(int32_t cp)
{
    switch (cp) {
    case '.': case ',': case '\'': case '"': case '`':
    case 0x00B4: /* ´ acute accent used as an apostrophe */
    case 0x02B9: case 0x02BA: case 0x02BB: case 0x02BC: /* modifier-letter primes, apostrophes */
    case 0x2032: case 0x2033: /* primes */
    case 0x2212: /* minus sign */
    case 0x2E17: /* double oblique hyphen */
        return 1;
    default:
        break;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_PD: /* - ‐ ‑ ‒ – — ― */
    case UTF8PROC_CATEGORY_PS: /* ( [ { „ ‚ */
    case UTF8PROC_CATEGORY_PE: /* ) ] } */
    case UTF8PROC_CATEGORY_PI: /* « ‘ “ */
    case UTF8PROC_CATEGORY_PF: /* » ’ ” */
        return 1;
    default:
        return 0;
    }
}

#define CYR_SMALL_I 0x0438
#define COMBINING_BREVE 0x0306
#define LATIN_SMALL_DOTLESS_I 0x0131

qala_status qala_text_fold(char **out, const char *s, size_t len)
{
    *out = NULL;
    int32_t *cps;
    size_t n;
    qala_status st = qala_text__decompose(
        &cps, &n, s, len,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    if (st != QALA_OK)
        return st;

    /* Step 2: drop combining marks, keeping the breve of й. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t cp = cps[i];
        if (is_mark(cp) && !(cp == COMBINING_BREVE && k > 0 && cps[k - 1] == CYR_SMALL_I))
            continue;
        cps[k++] = cp;
    }
    /* Step 3: compose again. */
    n = qala_text__compose(cps, k);

    /* Steps 4 and 5, encoding as we go: at most 4 bytes per code point. */
    char *res = qala_mem__malloc(n * 4 + 1);
    if (!res) {
        qala_mem__free(cps);
        return qala_err__set(QALA_ENOMEM, "out of memory folding text");
    }
    size_t o = 0;
    int pending_space = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t cp = cps[i];
        if (is_separator(cp)) {
            pending_space = o > 0;
            continue;
        }
        if (cp == LATIN_SMALL_DOTLESS_I)
            cp = 'i';
        if (pending_space) {
            res[o++] = ' ';
            pending_space = 0;
        }
        o += qala_text__encode(cp, res + o);
    }
    res[o] = '\0';
    qala_mem__free(cps);
    *out = res;
    return QALA_OK;
}

/* ---- edit distance ----------------------------------------------------------------- */

/* Decodes s into code points (invalid bytes count as one U+FFFD each). */
static size_t to_code_points(const char *s, int32_t *out)
{
    size_t n = 0, len = strlen(s), i = 0;
    while (i < len) {
        int32_t cp;
        size_t k = qala_text__decode(s + i, len - i, &cp);
        if (k == 0) {
            cp = 0xFFFD;
            k = 1;
        }
        if (out)
            out[n] = cp;
        n++;
        i += k;
    }
    return n;
}

#define DIST_STACK 64

/* Banded Levenshtein (unit costs): only the cells within `limit` of the diagonal can
 * hold a distance <= limit, and a row whose minimum exceeds limit ends the search.
 * O(min(la, lb) * limit) time. On an allocation failure the strings are reported as
 * farther apart than limit. */
size_t qala_text_distance(const char *a, const char *b, size_t limit)
{
    size_t la = to_code_points(a, NULL), lb = to_code_points(b, NULL);
    size_t big = limit + 1;
    if ((la > lb ? la - lb : lb - la) > limit)
        return big;

    int32_t sa[DIST_STACK], sb[DIST_STACK];
    size_t r0[DIST_STACK + 1], r1[DIST_STACK + 1];
    int32_t *ca = sa, *cb = sb;
    size_t *prev = r0, *cur = r1;
    void *heap = NULL;
    if (la > DIST_STACK || lb > DIST_STACK) {
        size_t bytes = (la + lb) * sizeof(int32_t) + 2 * (lb + 1) * sizeof(size_t);
        heap = qala_mem__malloc(bytes);
        if (!heap)
            return big;
        prev = heap;
        cur = prev + lb + 1;
        ca = (int32_t *)(cur + lb + 1);
        cb = ca + la;
    }
    to_code_points(a, ca);
    to_code_points(b, cb);

    size_t result = big;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j <= limit ? j : big;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > limit ? i - limit : 1;
        size_t hi = lb < i + limit ? lb : i + limit;
        cur[0] = i <= limit ? i : big;
        if (lo > 1)
            cur[lo - 1] = big;
        size_t rowmin = cur[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            size_t v = prev[j - 1] + (ca[i - 1] != cb[j - 1]);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (v > big)
                v = big;
            cur[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (hi < lb)
            cur[hi + 1] = big;
        if (rowmin > limit)
            goto done;
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    result = prev[lb] <= limit ? prev[lb] : big;
done:
    qala_mem__free(heap);
    return result;
}

/* ---- terminal width --------------------------------------------------------------- */

size_t qala_text_width(const char *s)
{
    size_t w = 0, len = strlen(s), i = 0;
    while (i < len) {
        int32_t cp;
        size_t k = qala_text__decode(s + i, len - i, &cp);
        if (k == 0) { /* a stray byte is shown as one replacement character */
            w += 1;
            i += 1;
            continue;
        }
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? (size_t)cw : 0;
        i += k;
    }
    return w;
}
