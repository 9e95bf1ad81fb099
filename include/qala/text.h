/* qala/text.h — Unicode text for Kazakh, Russian and English names.
 *
 * Names are matched after folding: NFKC normalisation, Unicode case folding and removal
 * of combining marks (utf8proc; the breve of й is kept, so й stays distinct from и), the
 * dotless ı made i, with runs of spaces, hyphens and punctuation made one space and the
 * ends trimmed; so "ҚАРАҒАНДЫ " and "қарағанды", "Усть-Каменогорск" and
 * "усть каменогорск", "Ё" and "е", "Qarağandy" and "qaragandy" fold alike. Kazakh
 * letters such as қ ғ ң ө ұ ү і ә stay distinct from Russian ones (they are letters, not
 * marks). The full rule: docs/methods-text.md.
 */
#ifndef QALA_TEXT_H
#define QALA_TEXT_H

#include <stddef.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Folds the len bytes of s (UTF-8) into a new NUL-terminated string *out, released
 * with qala_free(). QALA_EPARSE when s is not valid UTF-8; QALA_ENOMEM. */
qala_status qala_text_fold(char **out, const char *s, size_t len);

/* Returns nonzero when the len bytes of s are valid UTF-8 (no overlongs, no surrogates). */
int qala_text_valid_utf8(const char *s, size_t len);

/* The Kazakh Latin spelling (the Latin alphabet as revised in 2021; the table is in
 * docs/methods-text.md) of a Kazakh Cyrillic text: "Қарағанды" -> "Qarağandy". Letters
 * outside the Kazakh Cyrillic alphabet are copied. *out is released with qala_free().
 * QALA_EPARSE when the text is not valid UTF-8; QALA_ENOMEM. */
qala_status qala_text_kk_latin(char **out, const char *cyrillic);

/* Levenshtein distance between two UTF-8 strings counted in code points, stopping early
 * at limit (returns limit + 1 when the distance exceeds limit, and also if memory for
 * strings longer than 64 code points cannot be had). */
size_t qala_text_distance(const char *a, const char *b, size_t limit);

/* Number of terminal columns the UTF-8 string takes (wide East Asian characters count 2,
 * combining marks 0). */
size_t qala_text_width(const char *s);

#ifdef __cplusplus
}
#endif
#endif
