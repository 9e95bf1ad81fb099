/* src/io/number.h — numbers as official statistics tables write them (internal).
 *
 * "1 234,5" (spaces or no-break spaces as thousands separators, decimal comma),
 * "1,234.5", "−12" (U+2212 minus), "2005.0", "12.5*" or "12.5¹" (footnote marks,
 * stripped with a note), "12%" (stripped with a note); missing-value markers "", "-",
 * "–", "—", "…", "...", "..", "x", "X", "н/д", "Н/Д", "NA", "N/A", "n/a", ":" and
 * "нет данных". The conversion does not depend on the C locale.
 *
 * Exact rules (docs/csv-reading.md has them with examples):
 * - White space (ASCII, U+00A0, U+202F, U+2009) is trimmed at both ends. Markers must
 *   match exactly after trimming; "x", "X" and Cyrillic "х", "Х" are CONFIDENTIAL.
 * - Trailing marks, in any order and with white space between: '%' (NOTE_PERCENT; the
 *   value is not divided by 100), '*', '†', '‡', superscript digits, and "N)" — one
 *   digit directly after the number ("12,51)" is 12,5) or one or two digits after white
 *   space ("12,5 12)") (NOTE_FOOTNOTE). A marker with marks ("x¹") is still a marker.
 * - Sign: one leading '-', '+' or U+2212.
 * - Group marks: space, U+00A0, U+202F, U+2009, apostrophe, and whichever of '.' ','
 *   is not the decimal mark; one kind per number, in the integer part only, each
 *   followed by exactly 3 digits, the first group of 1-3 digits.
 * - The decimal mark: `decimal` when it is '.' or ','; with 0, the later of '.' and ','
 *   when both occur, a mark that occurs more than once is a group mark, and a single
 *   mark is the decimal mark — with NOTE_AMBIGUOUS when it could be a group mark
 *   ("1,234": 1-3 digits before, other than a lone "0", exactly 3 after, no exponent).
 *   At least one digit after the decimal mark ("5." is INVALID; ".5" is 0.5).
 * - Exponent: e or E, optional sign, digits. Overflow to infinity is INVALID.
 * - The value is correctly rounded (as strtod); -0 gives +0.
 */
#ifndef QALA_IO_NUMBER_H
#define QALA_IO_NUMBER_H

#include <stddef.h>

typedef enum qala_number_kind {
    QALA_NUMBER_OK = 0,
    QALA_NUMBER_MISSING,      /* a missing-value marker */
    QALA_NUMBER_CONFIDENTIAL, /* "x" / "X": suppressed */
    QALA_NUMBER_INVALID       /* not a number */
} qala_number_kind;

/* Decimal mark: '.' or ',' when the file's convention is known, 0 to decide per value
 * (a lone ',' or '.' followed by exactly three digits, as in "1,234", is then read as a
 * thousands separator only if decimal is '.' / ','; with 0 it sets
 * QALA_NUMBER_NOTE_AMBIGUOUS and reads it as the decimal mark). */
enum {
    QALA_NUMBER_NOTE_FOOTNOTE = 1u << 0,      /* a footnote mark was stripped */
    QALA_NUMBER_NOTE_PERCENT = 1u << 1,       /* a % sign was stripped */
    QALA_NUMBER_NOTE_DECIMAL_COMMA = 1u << 2, /* a decimal comma was used */
    QALA_NUMBER_NOTE_DECIMAL_POINT = 1u << 3, /* a decimal point was used */
    QALA_NUMBER_NOTE_AMBIGUOUS = 1u << 4,     /* "1,234"-like with decimal == 0 */
    QALA_NUMBER_NOTE_GROUPED = 1u << 5        /* thousands separators were present */
};

/* Parses the len bytes of s (UTF-8, surrounding white space allowed). Sets *value for
 * QALA_NUMBER_OK and *notes (bit set above) always. Infinite or NaN results are
 * QALA_NUMBER_INVALID. */
qala_number_kind qala_number__parse(const char *s, size_t len, char decimal, double *value,
                                    unsigned *notes);

#endif
