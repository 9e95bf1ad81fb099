/* src/text_kk_latin.c — Kazakh Cyrillic → Kazakh Latin (the alphabet as revised in
 * January 2021).
 *
 * Used when Kazakh names are added to the registry (one call per Kazakh name), so that
 * "Qarağandy" finds the unit named "Қарағанды". The table below is the whole method;
 * docs/methods-text.md gives its source and the choices made where the 2021 alphabet
 * has no letter (ё ю я ц ч щ ъ ь э). Letters outside the table are copied unchanged.
 * Case is kept: an uppercase Cyrillic letter gives an uppercase Latin one; when it gives
 * two letters (Ц → Ts) they are written "TS" inside an all-capital word and "Ts"
 * otherwise. The input is put in NFC first, so a decomposed й (и + breve) is still й.
 */
#include <string.h>

#include <utf8proc.h>

#include "text_internal.h"
#include "util/internal.h"

typedef struct kk_letter {
    int32_t cyr;       /* the lowercase Cyrillic letter */
    const char *lower; /* its Latin spelling in lowercase */
    const char *upper; /* ... in capitals ("" for the signs that are dropped) */
} kk_letter;

/* One row per letter of the Kazakh Cyrillic alphabet (42 letters), in Cyrillic order. */
static const kk_letter kk_table[] = {
    {0x0430, "a", "A"},               /* а */
    {0x04D9, "\u00e4", "\u00c4"},     /* ә → ä */
    {0x0431, "b", "B"},               /* б */
    {0x0432, "v", "V"},               /* в */
    {0x0433, "g", "G"},               /* г */
    {0x0493, "\u011f", "\u011e"},     /* ғ → ğ */
    {0x0434, "d", "D"},               /* д */
    {0x0435, "e", "E"},               /* е */
    {0x0451, "io", "\u0130O"},        /* ё → io (no letter; й + о) */
    {0x0436, "j", "J"},               /* ж */
    {0x0437, "z", "Z"},               /* з */
    {0x0438, "i", "\u0130"},          /* и → i, İ */
    {0x0439, "i", "\u0130"},          /* й → i, İ */
    {0x043A, "k", "K"},               /* к */
    {0x049B, "q", "Q"},               /* қ */
    {0x043B, "l", "L"},               /* л */
    {0x043C, "m", "M"},               /* м */
    {0x043D, "n", "N"},               /* н */
    {0x04A3, "\u00f1", "\u00d1"},     /* ң → ñ */
    {0x043E, "o", "O"},               /* о */
    {0x04E9, "\u00f6", "\u00d6"},     /* ө → ö */
    {0x043F, "p", "P"},               /* п */
    {0x0440, "r", "R"},               /* р */
    {0x0441, "s", "S"},               /* с */
    {0x0442, "t", "T"},               /* т */
    {0x0443, "u", "U"},               /* у */
    {0x04B1, "\u016b", "\u016a"},     /* ұ → ū */
    {0x04AF, "\u00fc", "\u00dc"},     /* ү → ü */
    {0x0444, "f", "F"},               /* ф */
    {0x0445, "h", "H"},               /* х */
    {0x04BB, "h", "H"},               /* һ */
    {0x0446, "ts", "TS"},             /* ц → ts (no letter) */
    {0x0447, "t\u015f", "T\u015e"},   /* ч → tş (no letter) */
    {0x0448, "\u015f", "\u015e"},     /* ш → ş */
    {0x0449, "\u015f\u015f", "\u015e\u015e"}, /* щ → şş (no letter) */
    {0x044A, "", ""},                 /* ъ dropped */
    {0x044B, "y", "Y"},               /* ы */
    {0x0456, "\u0131", "I"},          /* і → ı, I */
    {0x044C, "", ""},                 /* ь dropped */
    {0x044D, "e", "E"},               /* э */
    {0x044E, "iu", "\u0130U"},        /* ю → iu */
    {0x044F, "ia", "\u0130A"},        /* я → ia */
};

static const kk_letter *find_letter(int32_t lower)
{
    for (size_t i = 0; i < sizeof kk_table / sizeof kk_table[0]; i++)
        if (kk_table[i].cyr == lower)
            return &kk_table[i];
    return NULL;
}

static int is_upper(int32_t cp) { return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU; }
static int is_letter(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* Appends the capital form `upper` either whole ("TS") or as a title ("Ts"): the first
 * code point of upper, then the rest of lower. */
static size_t put_title(char *o, const char *upper, const char *lower)
{
    int32_t first;
    size_t k = qala_text__decode(upper, strlen(upper), &first);
    size_t n = 0;
    memcpy(o, upper, k);
    n += k;
    int32_t lfirst;
    size_t lk = qala_text__decode(lower, strlen(lower), &lfirst);
    size_t rest = strlen(lower) - lk;
    memcpy(o + n, lower + lk, rest);
    return n + rest;
}

qala_status qala_text_kk_latin(char **out, const char *cyrillic)
{
    *out = NULL;
    int32_t *cps;
    size_t n;
    qala_status st = qala_text__decompose(&cps, &n, cyrillic, strlen(cyrillic),
                                          UTF8PROC_DECOMPOSE);
    if (st != QALA_OK)
        return st;
    n = qala_text__compose(cps, n);

    /* The longest row ("ŞŞ") is 4 bytes for one code point, as is any copied one. */
    char *res = qala_mem__malloc(n * 4 + 1);
    if (!res) {
        qala_mem__free(cps);
        return qala_err__set(QALA_ENOMEM, "out of memory transliterating text");
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t cp = cps[i];
        int upper = is_upper(cp);
        const kk_letter *l = find_letter(upper ? utf8proc_tolower(cp) : cp);
        if (!l) {
            o += qala_text__encode(cp, res + o);
            continue;
        }
        if (!upper) {
            size_t k = strlen(l->lower);
            memcpy(res + o, l->lower, k);
            o += k;
            continue;
        }
        /* Two Latin letters from one capital: all capitals when the word around is. */
        int32_t lead;
        size_t k = strlen(l->upper);
        size_t lead_len = k ? qala_text__decode(l->upper, k, &lead) : 0;
        if (k == lead_len) {
            memcpy(res + o, l->upper, k);
            o += k;
            continue;
        }
        int next_letter = i + 1 < n && is_letter(cps[i + 1]);
        int all_caps = next_letter ? is_upper(cps[i + 1])
                                   : (i > 0 && is_letter(cps[i - 1]) && is_upper(cps[i - 1]));
        if (all_caps) {
            memcpy(res + o, l->upper, k);
            o += k;
        } else {
            o += put_title(res + o, l->upper, l->lower);
        }
    }
    res[o] = '\0';
    qala_mem__free(cps);
    *out = res;
    return QALA_OK;
}
