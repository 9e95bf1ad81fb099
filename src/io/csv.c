/* src/io/csv.c — the streaming CSV reader: records of NUL-terminated UTF-8 fields.
 *
 * First stage of every import: decode.c hands over windows of UTF-8 bytes, this file
 * cuts them into records and fields, and the importer validates the fields (trimming
 * them, parsing numbers with number.c). Accepted syntax is in docs/csv-reading.md.
 *
 * Two paths. The fast path takes a whole line that lies inside the current window
 * (found with memchr), copies it once into the record buffer and replaces delimiters by
 * NULs, finding them eight bytes at a time; it handles the common unquoted line with LF
 * or CRLF (about 30 million short lines, 1 GB, per second on one core).
 * Anything else — a quote at the start of a field, a lone CR, a NUL, invalid UTF-8, a cap
 * reached, a line crossing the window — is re-read by the slow path, a byte-level state
 * machine that survives window changes and produces the exact error.
 *
 * Invariants: one record buffer (rec) and one field table, reused; fields are offsets
 * into rec, each followed by a NUL; memory is bounded by the longest record, and each
 * field by max_field. `line` is always the physical line of the next unread byte
 * (LF, CRLF and lone CR each end one line, inside quotes too). After a per-record error
 * the whole bad record has been consumed, so the next call starts on the next record.
 * Workload: one call per record, tens of millions per import; no allocation per record
 * once the buffers have grown.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "io/csv.h"
#include "io/decode.h"
#include "util/internal.h"

#define DEFAULT_MAX_FIELD ((size_t)1 << 20)
#define DEFAULT_MAX_FIELDS ((size_t)4096)

typedef struct field_ref {
    size_t start; /* offset in rec */
    size_t len;
} field_ref;

struct qala_csv {
    qala_decoder dec;
    int fd;
    char *label;
    const char *p, *end; /* unread part of the current window */
    const char *lf;      /* next '\n' at or after p in this window, or NULL: none */
    int lf_known;        /* lf is valid for this window */
    int at_end;          /* the decoder has no more windows */
    int skip_lf;         /* the last record ended with CR: a following LF belongs to it */
    char delim;
    size_t max_field, max_fields;
    long line;     /* physical line of *p */
    long rec_line; /* line where the current record started */
    char *rec;
    size_t rec_len, rec_cap;
    field_ref *fields;
    size_t nfields, fields_cap;
};

/* ---- windows ---------------------------------------------------------------------- */

/* Makes p < end: 1, 0 at the end of the input, or a negative status. */
static int refill(qala_csv *c)
{
    if (c->p < c->end)
        return 1;
    if (c->at_end)
        return 0;
    const char *w;
    size_t n;
    int r = qala_decode__next(&c->dec, &w, &n);
    if (r <= 0) {
        if (r == 0)
            c->at_end = 1;
        return r;
    }
    c->p = w;
    c->end = w + n;
    c->lf_known = 0;
    return 1;
}

/* ---- record buffer ---------------------------------------------------------------- */

static qala_status rec_reserve(qala_csv *c, size_t extra)
{
    if (c->rec_cap - c->rec_len >= extra)
        return QALA_OK;
    void *p = c->rec;
    qala_status st = qala_mem__grow(&p, &c->rec_cap, c->rec_len + extra, 1);
    c->rec = p;
    return st;
}

static qala_status fields_reserve(qala_csv *c, size_t need)
{
    if (need <= c->fields_cap)
        return QALA_OK;
    void *p = c->fields;
    qala_status st = qala_mem__grow(&p, &c->fields_cap, need, sizeof *c->fields);
    c->fields = p;
    return st;
}

/* ---- errors ----------------------------------------------------------------------- */

static qala_status bad_utf8(qala_csv *c, size_t field, unsigned char byte, long line)
{
    return qala_err__set_at(QALA_EPARSE, c->label, line, (long)field + 1,
                            "invalid UTF-8 byte 0x%02X: the file is not UTF-8 (use --encoding)",
                            byte);
}

/* Line of offset off in rec: the record's first line plus the line ends before it. */
static long line_of_offset(const qala_csv *c, size_t off)
{
    long line = c->rec_line;
    for (size_t i = 0; i < off; i++) {
        if (c->rec[i] == '\n' && !(i > 0 && c->rec[i - 1] == '\r'))
            line++;
        else if (c->rec[i] == '\r')
            line++;
    }
    return line;
}

static int hexval(char h)
{
    return h >= 'A' ? h - 'A' + 10 : h - '0';
}

/* Checks the text of every field of the finished record (slow path only). */
static qala_status validate_record(qala_csv *c)
{
    for (size_t i = 0; i < c->nfields; i++) {
        const unsigned char *s = (const unsigned char *)c->rec + c->fields[i].start;
        size_t n = c->fields[i].len;
        if (c->dec.utf8) {
            size_t bad = qala_decode__utf8_check(s, n, NULL);
            if (bad < n)
                return bad_utf8(c, i, s[bad], line_of_offset(c, c->fields[i].start + bad));
        } else {
            const unsigned char *m = memchr(s, QALA_DECODE_BAD_BYTE, n);
            if (m) {
                size_t off = (size_t)(m - s);
                int byte = off + 2 < n ? hexval((char)m[1]) * 16 + hexval((char)m[2]) : 0xFF;
                return qala_err__set_at(QALA_EPARSE, c->label,
                                        line_of_offset(c, c->fields[i].start + off), (long)i + 1,
                                        "byte 0x%02X is not valid %s", (unsigned)byte,
                                        c->dec.encoding);
            }
        }
    }
    return QALA_OK;
}

/* ---- fast path -------------------------------------------------------------------- */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Bit 7 set in each byte of w that is zero, exactly (no borrow between bytes). */
static inline uint64_t zero_bytes(uint64_t w)
{
    const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F);
    return ~(((w & low7) + low7) | w | low7);
}

/* Parses [p, nl] (nl: the '\n') when it is a plain line. 1: done; 0: use the slow path.
 * Word at a time: a mask of the delimiters, CRs and NULs of eight bytes, then one step per
 * set bit. Bytes >= 0x80 are checked afterwards, only in lines that have some. */
static int parse_fast(qala_csv *c, const char *nl)
{
    size_t n = (size_t)(nl - c->p) + 1;
    if (rec_reserve(c, n + 8) != QALA_OK)
        return 0;
    char *rec = c->rec;
    memcpy(rec, c->p, n);
    memset(rec + n, 0, 8); /* the word-wise scan reads up to 7 bytes past the line */
    size_t le = n - 1;     /* the '\n' */
    if (le > 0 && rec[le - 1] == '\r')
        le--;
    rec[le] = c->delim;    /* the line end is found as one more delimiter */
    const uint64_t delim_x8 = ONES * (unsigned char)c->delim;
    uint64_t high = 0;
    size_t nf = 0, fstart = 0;
    if (rec[0] == '"')
        return 0;
    for (size_t off = 0; off <= le; off += 8) {
        uint64_t w;
        memcpy(&w, rec + off, 8);
        high |= w;
        uint64_t m = zero_bytes(w ^ delim_x8) | zero_bytes(w ^ (ONES * '\r')) | zero_bytes(w);
        while (m) {
            size_t pos = off + ((size_t)__builtin_ctzll(m) >> 3);
            m &= m - 1;
            if (pos > le)
                break; /* the padding after the line */
            if (rec[pos] != c->delim || pos - fstart > c->max_field || nf >= c->max_fields)
                return 0; /* CR or NUL inside the line, or a cap: the slow path decides */
            if (nf >= c->fields_cap && fields_reserve(c, nf + 1) != QALA_OK)
                return 0;
            c->fields[nf].start = fstart;
            c->fields[nf].len = pos - fstart;
            nf++;
            rec[pos] = '\0';
            fstart = pos + 1;
            if (pos < le && rec[fstart] == '"')
                return 0;
        }
    }
    if (high & HIGHS) {
        size_t bad = c->dec.utf8 ? qala_decode__utf8_check((const unsigned char *)rec, le, NULL)
                                 : (memchr(rec, QALA_DECODE_BAD_BYTE, le) ? 0 : le);
        if (bad < le)
            return 0; /* the slow path reports it */
    }
    c->rec_len = n;
    c->nfields = nf;
    c->p = nl + 1;
    c->line++;
    return 1;
}

/* ---- slow path -------------------------------------------------------------------- */

typedef struct slow_state {
    qala_status err; /* first error of this record; once set, bytes are skipped */
    size_t fstart;   /* start of the current field in rec */
    long field_line;
} slow_state;

static void append(qala_csv *c, slow_state *ss, const char *s, size_t n)
{
    if (ss->err || n == 0)
        return;
    if (c->rec_len - ss->fstart + n > c->max_field) {
        ss->err = qala_err__set_at(QALA_ELIMIT, c->label, ss->field_line, (long)c->nfields + 1,
                                   "field longer than %zu bytes", c->max_field);
        return;
    }
    if (rec_reserve(c, n + 1) != QALA_OK) {
        ss->err = QALA_ENOMEM;
        return;
    }
    memcpy(c->rec + c->rec_len, s, n);
    c->rec_len += n;
}

static void end_field(qala_csv *c, slow_state *ss)
{
    if (ss->err)
        return;
    if (c->nfields >= c->max_fields) {
        ss->err = qala_err__set_at(QALA_ELIMIT, c->label, ss->field_line,
                                   (long)c->nfields + 1, "more than %zu fields", c->max_fields);
        return;
    }
    if (rec_reserve(c, 1) != QALA_OK || fields_reserve(c, c->nfields + 1) != QALA_OK) {
        ss->err = QALA_ENOMEM;
        return;
    }
    c->fields[c->nfields].start = ss->fstart;
    c->fields[c->nfields].len = c->rec_len - ss->fstart;
    c->nfields++;
    c->rec[c->rec_len++] = '\0';
    ss->fstart = c->rec_len;
    ss->field_line = c->line;
}

static int is_unquoted_stop(const qala_csv *c, unsigned char ch)
{
    return ch == (unsigned char)c->delim || ch == '\n' || ch == '\r' || ch == '\0';
}

static int is_quoted_stop(unsigned char ch)
{
    return ch == '"' || ch == '\n' || ch == '\r' || ch == '\0';
}

static void nul_byte(qala_csv *c, slow_state *ss)
{
    if (!ss->err)
        ss->err = qala_err__set_at(QALA_EPARSE, c->label, c->line, (long)c->nfields + 1,
                                   "NUL byte: binary data, not a text table");
}

static int parse_slow(qala_csv *c)
{
    enum { S_START, S_UNQUOTED, S_QUOTED, S_QUOTE_IN_QUOTED } st = S_START;
    slow_state ss = {QALA_OK, 0, c->line};
    long open_line = 0;
    int last_cr = 0; /* inside quotes: the previous byte was CR (CRLF is one line end) */
    c->rec_len = 0;
    c->nfields = 0;
    for (;;) {
        int r = refill(c);
        if (r < 0)
            return r;
        if (r == 0) {
            if (st == S_QUOTED) {
                if (!ss.err)
                    ss.err = qala_err__set_at(QALA_EPARSE, c->label, open_line,
                                              (long)c->nfields + 1,
                                              "unterminated quoted field (opened on line %ld)",
                                              open_line);
                return ss.err;
            }
            end_field(c, &ss);
            break;
        }
        unsigned char ch = (unsigned char)*c->p;
        if (st == S_START) {
            if (ch == '"') {
                st = S_QUOTED;
                open_line = c->line;
                last_cr = 0;
                c->p++;
                continue;
            }
            st = S_UNQUOTED;
        }
        if (st == S_UNQUOTED) {
            const char *q = c->p;
            while (q < c->end && !is_unquoted_stop(c, (unsigned char)*q))
                q++;
            append(c, &ss, c->p, (size_t)(q - c->p));
            c->p = q;
            if (q == c->end)
                continue;
            ch = (unsigned char)*c->p++;
            if (ch == (unsigned char)c->delim) {
                end_field(c, &ss);
                st = S_START;
            } else if (ch == '\n' || ch == '\r') {
                c->line++;
                c->skip_lf = ch == '\r';
                end_field(c, &ss);
                break;
            } else {
                nul_byte(c, &ss);
            }
        } else if (st == S_QUOTED) {
            const char *q = c->p;
            while (q < c->end && !is_quoted_stop((unsigned char)*q))
                q++;
            if (q > c->p)
                last_cr = 0;
            append(c, &ss, c->p, (size_t)(q - c->p));
            c->p = q;
            if (q == c->end)
                continue;
            ch = (unsigned char)*c->p++;
            if (ch == '"') {
                st = S_QUOTE_IN_QUOTED;
            } else if (ch == '\0') {
                nul_byte(c, &ss);
            } else {
                if (ch == '\r' || !last_cr)
                    c->line++;
                last_cr = ch == '\r';
                append(c, &ss, (const char *)&ch, 1);
            }
        } else { /* S_QUOTE_IN_QUOTED: a quote just closed the field, or starts "" */
            if (ch == '"') {
                append(c, &ss, "\"", 1);
                c->p++;
                last_cr = 0;
                st = S_QUOTED;
            } else {
                if (!is_unquoted_stop(c, ch)) {
                    if (!ss.err) {
                        if (c->delim == '\t')
                            ss.err = qala_err__set_at(QALA_EPARSE, c->label, c->line,
                                                      (long)c->nfields + 1,
                                                      "text after closing quote: expected TAB or end of line");
                        else
                            ss.err = qala_err__set_at(QALA_EPARSE, c->label, c->line,
                                                      (long)c->nfields + 1,
                                                      "text after closing quote: expected \"%c\" or end of line",
                                                      c->delim);
                    }
                }
                st = S_UNQUOTED; /* the terminator (or the rest, skipped) comes next */
            }
        }
    }
    if (!ss.err)
        ss.err = validate_record(c);
    return ss.err ? ss.err : 1;
}

/* ---- records ---------------------------------------------------------------------- */

int qala_csv__next(qala_csv *csv)
{
    qala_csv *c = csv;
    c->nfields = 0;
    c->rec_len = 0;
    for (;;) { /* skip line ends: empty lines, and the LF of a CRLF split by a window */
        int r = refill(c);
        if (r <= 0)
            return r;
        char ch = *c->p;
        if (c->skip_lf) {
            c->skip_lf = 0;
            if (ch == '\n') {
                c->p++;
                continue;
            }
        }
        if (ch == '\n' || ch == '\r') {
            c->p++;
            c->line++;
            c->skip_lf = ch == '\r';
            continue;
        }
        break;
    }
    c->rec_line = c->line;
    if (!c->lf_known || (c->lf && c->lf < c->p)) {
        c->lf = memchr(c->p, '\n', (size_t)(c->end - c->p));
        c->lf_known = 1;
    }
    if (c->lf && parse_fast(c, c->lf))
        return 1;
    int r = parse_slow(c);
    if (r < 0)
        c->nfields = 0;
    return r;
}

/* ---- opening ---------------------------------------------------------------------- */

/* Most frequent of , ; TAB outside quotes on the first record of the first window. */
static char detect_delimiter(const char *s, size_t n)
{
    size_t count[3] = {0, 0, 0};
    int quoted = 0, seen = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '"') {
            quoted = !quoted;
        } else if (!quoted) {
            if (ch == '\n' || ch == '\r') {
                if (seen)
                    break;
                continue;
            }
            count[0] += ch == ',';
            count[1] += ch == ';';
            count[2] += ch == '\t';
        }
        seen = 1;
    }
    if (count[1] > count[0] && count[1] >= count[2])
        return ';';
    if (count[2] > count[0] && count[2] > count[1])
        return '\t';
    return ',';
}

static qala_status open_common(qala_csv **out, int fd, const char *data, size_t len,
                               const char *label, const qala_csv_options *options)
{
    qala_csv_options opt = options ? *options : (qala_csv_options){0};
    if (opt.delimiter && (opt.delimiter == '"' || opt.delimiter == '\n' ||
                          opt.delimiter == '\r' || (unsigned char)opt.delimiter >= 0x80)) {
        if (fd >= 0)
            close(fd);
        return qala_err__set(QALA_EINVAL, "delimiter must be an ASCII character other than a quote or a line end");
    }
    qala_csv *c = qala_mem__calloc(1, sizeof *c);
    if (!c) {
        if (fd >= 0)
            close(fd);
        return qala_err__set(QALA_ENOMEM, "out of memory");
    }
    c->fd = fd;
    c->label = qala_mem__strdup(label);
    if (!c->label) {
        qala_mem__free(c);
        if (fd >= 0)
            close(fd);
        return qala_err__set(QALA_ENOMEM, "out of memory");
    }
    qala_status st = qala_decode__open(&c->dec, fd, data, len, opt.encoding, c->label);
    if (st) {
        qala_csv__close(c);
        return st;
    }
    c->max_field = opt.max_field ? opt.max_field : DEFAULT_MAX_FIELD;
    c->max_fields = opt.max_fields ? opt.max_fields : DEFAULT_MAX_FIELDS;
    c->line = 1;
    c->rec_line = 1;
    if (opt.delimiter) {
        c->delim = opt.delimiter;
    } else {
        const char *w;
        size_t n;
        qala_decode__first(&c->dec, &w, &n);
        c->delim = detect_delimiter(w, n);
    }
    *out = c;
    return QALA_OK;
}

qala_status qala_csv__open_file(qala_csv **out, const char *path, const char *label,
                                const qala_csv_options *options)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return qala_err__set(QALA_EIO, "cannot open '%s': %s", path, strerror(errno));
    return open_common(out, fd, NULL, 0, label ? label : path, options);
}

qala_status qala_csv__open_buffer(qala_csv **out, const char *data, size_t len,
                                  const char *label, const qala_csv_options *options)
{
    *out = NULL;
    return open_common(out, -1, data, len, label ? label : "<buffer>", options);
}

void qala_csv__close(qala_csv *csv)
{
    if (!csv)
        return;
    qala_decode__close(&csv->dec);
    if (csv->fd >= 0)
        close(csv->fd);
    qala_mem__free(csv->label);
    qala_mem__free(csv->rec);
    qala_mem__free(csv->fields);
    qala_mem__free(csv);
}

/* ---- accessors -------------------------------------------------------------------- */

size_t qala_csv__nfields(const qala_csv *csv)
{
    return csv->nfields;
}

const char *qala_csv__field(const qala_csv *csv, size_t i, size_t *len)
{
    if (i >= csv->nfields) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = csv->fields[i].len;
    return csv->rec + csv->fields[i].start;
}

long qala_csv__line(const qala_csv *csv)
{
    return csv->rec_line;
}

char qala_csv__delimiter(const qala_csv *csv)
{
    return csv->delim;
}

const char *qala_csv__encoding(const qala_csv *csv)
{
    return csv->dec.encoding;
}

const char *qala_csv__label(const qala_csv *csv)
{
    return csv->label;
}
