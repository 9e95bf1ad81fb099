/* tests/fuzz/fuzz_csv.c — libFuzzer target for the CSV reader and the number parser.
 *
 * The first input byte chooses the reader's options (delimiter, encoding, small caps so
 * that the limits are reached often); the rest is the file. Every record is read to the
 * end, every field is given to qala_number__parse with each decimal convention, and the
 * whole input is parsed as one number too. Checked: no crash or sanitizer report, the
 * reader terminates (each call consumes input), fields are NUL-terminated at their
 * length and within the caps, errors carry a line and column, numbers are finite.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/number.h"

static void check_number(const char *s, size_t len)
{
    static const char decimals[] = {0, '.', ','};
    for (int i = 0; i < 3; i++) {
        double v = 0;
        unsigned notes = 0;
        qala_number_kind k = qala_number__parse(s, len, decimals[i], &v, &notes);
        if (k == QALA_NUMBER_OK && !isfinite(v))
            abort();
        if (k > QALA_NUMBER_INVALID)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const char delimiters[] = {0, ',', ';', '\t'};
    static const char *encodings[] = {NULL, "UTF-8", "WINDOWS-1251", "UTF-16"};
    unsigned sel = data[0];
    qala_csv_options opt = {.delimiter = delimiters[sel & 3],
                            .encoding = encodings[(sel >> 2) & 3],
                            .max_field = (sel & 0x10) ? 8 : 0,
                            .max_fields = (sel & 0x20) ? 4 : 0};
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    qala_csv *csv = NULL;
    if (qala_csv__open_buffer(&csv, text, len, "fuzz", &opt) == QALA_OK) {
        size_t max_field = opt.max_field ? opt.max_field : (size_t)1 << 20;
        size_t max_fields = opt.max_fields ? opt.max_fields : 4096;
        size_t calls = 0;
        int r;
        while ((r = qala_csv__next(csv)) != 0) {
            /* each call consumes at least one decoded byte; decoding makes at most 3 bytes
             * of one (an undefined byte becomes a 3-byte marker) */
            if (++calls > 3 * len + 8)
                abort();
            if (r < 0) {
                const qala_error *e = qala_error_last();
                if (r != QALA_EPARSE && r != QALA_ELIMIT)
                    abort();
                if (e->line < 1 || e->column < 1)
                    abort();
                continue;
            }
            size_t nf = qala_csv__nfields(csv);
            if (nf == 0 || nf > max_fields)
                abort();
            for (size_t i = 0; i < nf; i++) {
                size_t flen;
                const char *f = qala_csv__field(csv, i, &flen);
                if (flen > max_field || strlen(f) != flen)
                    abort();
                check_number(f, flen);
            }
        }
        qala_csv__close(csv);
    }
    check_number(text, len);
    return 0;
}
