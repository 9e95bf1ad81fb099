/* src/io/number.h — numbers as official statistics tables write them (internal).
 *
 * "1 234,5" (spaces or no-break spaces as thousands separators, decimal comma),
 * "1,234.5", "−12" (U+2212 minus), "2005.0", "12.5*" or "12.5¹" (footnote marks,
 * stripped with a note), "12%" (stripped with a note); missing-value markers "", "-",
 * "–", "—", "…", "...", "..", "x", "X", "н/д", "Н/Д", "NA", "N/A", "n/a", ":" and
 * "нет данных". The conversion does not depend on the C locale.
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
