/* src/text_internal.h — UTF-8 helpers shared by text.c, text_kk_latin.c and the
 * registry/framework matchers (internal, never installed). */
#ifndef QALA_TEXT_INTERNAL_H
#define QALA_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "qala/text.h"

/* One code point from s[0..n): its byte length, or 0 for bytes that are not valid
 * UTF-8 (overlong, surrogate, > U+10FFFF, truncated). */
size_t qala_text__decode(const char *s, size_t n, int32_t *cp);
/* Writes cp (a valid scalar value) as UTF-8 into out (room for 4 bytes); returns the
 * number of bytes. */
size_t qala_text__encode(int32_t cp, char *out);
/* utf8proc decomposition of s with the given UTF8PROC_* options into a new array of
 * code points (qala_mem__free). QALA_EPARSE for invalid UTF-8, QALA_ENOMEM. */
qala_status qala_text__decompose(int32_t **out, size_t *n, const char *s, size_t len,
                                 unsigned options);
/* Canonical composition in place; returns the new length. */
size_t qala_text__compose(int32_t *cps, size_t n);

#endif
