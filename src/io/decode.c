/* src/io/decode.c — reading a CSV source in blocks and converting it to UTF-8.
 *
 * Sits between the file (or memory buffer) and the CSV reader (csv.c), which only ever
 * sees windows of UTF-8 bytes. Files are read with read(2) in 64 KiB blocks; a memory
 * buffer already in UTF-8 is handed out as one window, without a copy. Encoding
 * detection looks at the first block only: a byte order mark means UTF-8; otherwise
 * valid UTF-8 (a sequence cut by the end of the block is fine) means UTF-8, anything
 * else Windows-1251, the encoding of older Kazakh and Russian statistics exports.
 *
 * Invariants: memory is two fixed blocks (raw input and converted output) whatever the
 * file size; an incomplete multibyte sequence at the end of a raw block is carried to
 * the front of the next; undefined source bytes become the 3-byte marker documented in
 * decode.h, so no input byte is lost silently. Workload: one call per 64 KiB.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "io/decode.h"
#include "util/internal.h"

/* Extra room in the raw block for an incomplete sequence carried to the next read. */
#define CARRY 32
#define OUT_CAP (4 * QALA_DECODE_BLOCK + 64)

size_t qala_decode__utf8_check(const unsigned char *s, size_t n, int *cut)
{
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & UINT64_C(0x8080808080808080))) {
                i += 8;
                continue;
            }
        }
        int k = qala_decode__utf8_seq(s + i, n - i);
        if (k <= 0) {
            if (k < 0 && cut)
                *cut = 1;
            return i;
        }
        i += (size_t)k;
    }
    return n;
}

/* Reads until buf is full or the end of the file; *got < cap means the end was reached. */
static qala_status read_full(qala_decoder *d, char *buf, size_t cap, size_t *got)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t r = read(d->fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return qala_err__set(QALA_EIO, "cannot read '%s': %s", d->label, strerror(errno));
        }
        if (r == 0)
            break;
        n += (size_t)r;
        d->bytes_read += (size_t)r;
    }
    *got = n;
    if (n < cap)
        d->src_eof = 1;
    return QALA_OK;
}

/* iconv mode, file source: moves the unconverted tail to the front and reads a block. */
static qala_status read_more(qala_decoder *d)
{
    char *base = d->raw;
    memmove(base, d->in, d->in_left);
    size_t got = 0;
    qala_status st = read_full(d, base + d->in_left, QALA_DECODE_BLOCK, &got);
    if (st)
        return st;
    d->in = base;
    d->in_left += got;
    return QALA_OK;
}

static void put_marker(char **o, size_t *ol, unsigned char byte)
{
    static const char hex[] = "0123456789ABCDEF";
    (*o)[0] = (char)QALA_DECODE_BAD_BYTE;
    (*o)[1] = hex[byte >> 4];
    (*o)[2] = hex[byte & 15];
    *o += 3;
    *ol -= 3;
}

/* iconv mode: converts into d->out until it is full or the input ends. */
static int convert(qala_decoder *d, const char **win, size_t *win_len)
{
    char *o = d->out;
    size_t ol = d->out_cap;
    for (;;) {
        if (d->in_left == 0) {
            if (!d->src_eof && d->fd >= 0) {
                if (o > d->out)
                    break;
                qala_status st = read_more(d);
                if (st)
                    return st;
                continue;
            }
            if (d->cd) { /* end of input: let a stateful encoding write its reset */
                iconv((iconv_t)d->cd, NULL, NULL, &o, &ol);
            }
            break;
        }
        char *in = (char *)d->in;
        size_t r = iconv((iconv_t)d->cd, &in, &d->in_left, &o, &ol);
        d->in = in;
        if (r != (size_t)-1)
            continue; /* all of the input converted */
        if (errno == E2BIG)
            break;
        if (errno == EINVAL && !d->src_eof && d->fd >= 0 && d->in_left <= CARRY) {
            if (o > d->out)
                break; /* hand out what we have; the tail is carried next time */
            qala_status st = read_more(d);
            if (st)
                return st;
            continue;
        }
        /* EILSEQ, or a sequence cut by the end of the file: one undefined byte */
        if (ol < 3)
            break;
        put_marker(&o, &ol, (unsigned char)*d->in);
        d->in++;
        d->in_left--;
    }
    *win = d->out;
    *win_len = (size_t)(o - d->out);
    return *win_len > 0;
}

static int next_window(qala_decoder *d, const char **win, size_t *win_len)
{
    if (!d->utf8)
        return convert(d, win, win_len);
    if (d->fd < 0 || d->src_eof)
        return 0;
    size_t got = 0;
    qala_status st = read_full(d, d->raw, QALA_DECODE_BLOCK, &got);
    if (st)
        return st;
    *win = d->raw;
    *win_len = got;
    return got > 0;
}

static int is_utf8_name(const char *name)
{
    return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

static int has_bom(const char *s, size_t n)
{
    return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

qala_status qala_decode__open(qala_decoder *d, int fd, const char *data, size_t len,
                              const char *encoding, const char *label)
{
    memset(d, 0, sizeof *d);
    d->fd = fd;
    d->label = label;
    qala_status st = QALA_OK;
    const char *sample;
    size_t sample_len;
    int sample_more;
    const char *conv_name = NULL; /* iconv source name, NULL for UTF-8 */

    if (encoding && *encoding && strcasecmp(encoding, "auto") != 0 && !is_utf8_name(encoding)) {
        iconv_t cd = iconv_open("UTF-8", encoding);
        if (cd == (iconv_t)-1) {
            if (errno == EINVAL)
                return qala_err__set(QALA_EINVAL, "unknown encoding '%s'", encoding);
            return qala_err__set(QALA_ENOMEM, "cannot open the converter for '%s': %s",
                                 encoding, strerror(errno));
        }
        d->cd = cd;
        conv_name = encoding;
    }

    if (fd >= 0) {
        d->raw = qala_mem__malloc(QALA_DECODE_BLOCK + CARRY);
        if (!d->raw) {
            st = qala_err__set(QALA_ENOMEM, "out of memory");
            goto fail;
        }
        st = read_full(d, d->raw, QALA_DECODE_BLOCK, &d->raw_len);
        if (st)
            goto fail;
        sample = d->raw;
        sample_len = d->raw_len;
        sample_more = !d->src_eof;
    } else {
        d->src = data;
        d->src_len = len;
        d->src_eof = 1;
        sample = data;
        sample_len = len < QALA_DECODE_BLOCK ? len : QALA_DECODE_BLOCK;
        sample_more = len > QALA_DECODE_BLOCK;
    }

    int bom = 0;
    if (!d->cd) {
        bom = has_bom(sample, sample_len);
        int cut = 0;
        int explicit_utf8 = encoding && is_utf8_name(encoding);
        if (bom || explicit_utf8 ||
            qala_decode__utf8_check((const unsigned char *)sample, sample_len, &cut) == sample_len ||
            (cut && sample_more)) {
            d->utf8 = 1;
        } else {
            conv_name = "WINDOWS-1251";
            iconv_t cd = iconv_open("UTF-8", conv_name);
            if (cd == (iconv_t)-1) {
                st = qala_err__set(QALA_ENOMEM, "cannot open the converter for '%s': %s",
                                   conv_name, strerror(errno));
                goto fail;
            }
            d->cd = cd;
        }
    }
    snprintf(d->encoding, sizeof d->encoding, "%s",
             d->utf8 ? (bom ? "UTF-8 (BOM)" : "UTF-8") : conv_name);

    const char *win = NULL;
    size_t win_len = 0;
    if (d->utf8) {
        win = sample + (bom ? 3 : 0);
        win_len = (fd >= 0 ? d->raw_len : len) - (bom ? 3 : 0);
    } else {
        d->out_cap = OUT_CAP;
        d->out = qala_mem__malloc(d->out_cap);
        if (!d->out) {
            st = qala_err__set(QALA_ENOMEM, "out of memory");
            goto fail;
        }
        d->in = fd >= 0 ? d->raw : data;
        d->in_left = fd >= 0 ? d->raw_len : len;
        int r;
        do {
            r = convert(d, &win, &win_len);
            if (r < 0) {
                st = r;
                goto fail;
            }
            if (r > 0 && !bom && has_bom(win, win_len)) { /* e.g. UTF-16 with a mark */
                bom = 1;
                win += 3;
                win_len -= 3;
            }
        } while (r > 0 && win_len == 0);
    }
    if (win_len > 0) {
        d->first_pending = 1;
        d->first = win;
        d->first_len = win_len;
    }
    return QALA_OK;

fail:
    qala_decode__close(d);
    return st;
}

void qala_decode__first(const qala_decoder *d, const char **win, size_t *win_len)
{
    *win = d->first_pending ? d->first : NULL;
    *win_len = d->first_pending ? d->first_len : 0;
}

int qala_decode__next(qala_decoder *d, const char **win, size_t *win_len)
{
    if (d->first_pending) {
        d->first_pending = 0;
        *win = d->first;
        *win_len = d->first_len;
        return 1;
    }
    return next_window(d, win, win_len);
}

void qala_decode__close(qala_decoder *d)
{
    if (!d)
        return;
    if (d->cd)
        iconv_close((iconv_t)d->cd);
    qala_mem__free(d->raw);
    qala_mem__free(d->out);
    d->cd = NULL;
    d->raw = NULL;
    d->out = NULL;
}
