/* src/io/decode.h — the byte source under the CSV reader: file or memory, UTF-8 out.
 *
 * A decoder hands out the input as a sequence of windows of UTF-8 bytes. A file is read
 * in blocks of QALA_DECODE_BLOCK bytes (never loaded whole); a memory buffer in UTF-8 is
 * one window without copying. Other encodings (named, or Windows-1251 detected when the
 * first block is not valid UTF-8) are converted with iconv(3) block by block, keeping an
 * incomplete multibyte sequence for the next block. A leading UTF-8 byte order mark is
 * removed.
 *
 * A source byte that the encoding does not define (0x98 in Windows-1251) becomes the three
 * bytes 0xFF 'H' 'L' in the output (H, L: the byte's upper-case hex digits), which can
 * never appear in converted UTF-8; the CSV reader turns it into an error for the record.
 * In UTF-8 mode the bytes are passed through unchecked: the reader validates them.
 */
#ifndef QALA_IO_DECODE_H
#define QALA_IO_DECODE_H

#include <stddef.h>

#include "qala/common.h"

#define QALA_DECODE_BLOCK ((size_t)65536)
/* Marker byte for an undefined source byte in converted output (see above). */
#define QALA_DECODE_BAD_BYTE 0xFF

typedef struct qala_decoder {
    int fd;                /* -1: memory source */
    const char *src;       /* memory source */
    size_t src_len;
    size_t src_pos;        /* next unread byte of src (memory source) */
    int src_eof;           /* no more raw input after what is in raw / in */
    char *raw;             /* file mode: raw block (plus room for a carried tail) */
    size_t raw_len;
    const char *in;        /* iconv mode: unconverted input */
    size_t in_left;
    void *cd;              /* iconv_t, NULL in UTF-8 mode */
    char *out;             /* iconv mode: converted window */
    size_t out_cap;
    int utf8;              /* pass-through (UTF-8) */
    int first_pending;     /* the first window was prepared by open, not yet handed out */
    const char *first;     /* that window */
    size_t first_len;
    char encoding[64];     /* "UTF-8", "UTF-8 (BOM)" or the iconv name */
    const char *label;     /* for error messages (borrowed) */
    size_t bytes_read;     /* raw input bytes read so far (progress) */
} qala_decoder;

/* Opens a decoder over the file descriptor fd (>= 0, owned by the caller, read with
 * read(2)) or, when fd < 0, over data[0..len) (which must outlive the decoder).
 * encoding: NULL or "auto" to detect, "UTF-8", or any iconv name. Errors: QALA_EINVAL
 * (unknown encoding), QALA_EIO (read error), QALA_ENOMEM. On failure nothing is held. */
qala_status qala_decode__open(qala_decoder *d, int fd, const char *data, size_t len,
                              const char *encoding, const char *label);
/* Gives the next window of UTF-8 bytes (valid until the next call): 1, or 0 at the end,
 * or QALA_EIO. Windows are never empty. */
int qala_decode__next(qala_decoder *d, const char **win, size_t *win_len);
/* Peeks at the first window without consuming it (for delimiter detection). */
void qala_decode__first(const qala_decoder *d, const char **win, size_t *win_len);
void qala_decode__close(qala_decoder *d);

/* Length (1-4) of the valid UTF-8 sequence at s[0..n), n >= 1; 0 when it is invalid;
 * -1 when it is only cut by the end (n too short). No overlong forms, surrogates or
 * values above U+10FFFF. */
static inline int qala_decode__utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    int need;
    unsigned lo = 0x80, hi = 0xBF; /* range of the first continuation byte */
    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c == 0xE0)
        need = 2, lo = 0xA0;
    else if (c == 0xED)
        need = 2, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF)
        need = 2;
    else if (c == 0xF0)
        need = 3, lo = 0x90;
    else if (c == 0xF4)
        need = 3, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3)
        need = 3;
    else
        return 0;
    for (int k = 1; k <= need; k++) {
        if ((size_t)k >= n)
            return -1;
        unsigned d = s[k];
        if (d < lo || d > hi)
            return 0;
        lo = 0x80, hi = 0xBF;
    }
    return need + 1;
}

/* Offset of the first byte of s[0..n) that does not start a valid UTF-8 sequence (no
 * overlong forms, surrogates or values above U+10FFFF), or n when all is valid. When the
 * offending sequence is only cut by the end of s, *cut is set to 1 (cut may be NULL). */
size_t qala_decode__utf8_check(const unsigned char *s, size_t n, int *cut);

#endif
