/* tests/unit/csv/test_csv_encoding.c — BOM, encoding detection, iconv conversion, and
 * files larger than one 64 KiB block with fields, UTF-8 sequences, Windows-1251 text,
 * CRLF pairs and surrogate pairs cut by the block boundary. */
#include <criterion/criterion.h>

#include "csv_helpers.h"

#define BLOCK 65536

/* "Алматы" in Windows-1251 and in UTF-8 */
#define ALMATY_1251 "\xC0\xEB\xEC\xE0\xF2\xFB"
#define ALMATY_UTF8 "\xD0\x90\xD0\xBB\xD0\xBC\xD0\xB0\xD1\x82\xD1\x8B"
/* "город" in Windows-1251 and in UTF-8 */
#define GOROD_1251 "\xE3\xEE\xF0\xEE\xE4"
#define GOROD_UTF8 "\xD0\xB3\xD0\xBE\xD1\x80\xD0\xBE\xD0\xB4"

static const char *encoding_of(const char *data, size_t len, const char *encoding)
{
    static char name[64];
    qala_csv *csv;
    qala_csv_options opt = {.encoding = encoding};
    if (qala_csv__open_buffer(&csv, data, len, "t", &opt) != QALA_OK)
        return "(error)";
    snprintf(name, sizeof name, "%s", qala_csv__encoding(csv));
    qala_csv__close(csv);
    return name;
}

Test(csv_encoding, plain_utf8_detected)
{
    cr_expect_str_eq(encoding_of("a,b\n", 4, NULL), "UTF-8");
    cr_expect_str_eq(encoding_of(ALMATY_UTF8 "\n", 13, "auto"), "UTF-8");
    cr_expect_str_eq(encoding_of("", 0, NULL), "UTF-8");
}

Test(csv_encoding, bom_is_stripped_and_reported)
{
    const char *in = "\xEF\xBB\xBFname,value\n\xEF\xBB\xBFx,1\n";
    cr_expect_str_eq(encoding_of(in, strlen(in), NULL), "UTF-8 (BOM)");
    cr_expect_str_eq(encoding_of(in, strlen(in), "UTF-8"), "UTF-8 (BOM)");
    char *got = dump(in);
    /* only the mark at the very start is a BOM; a later U+FEFF is text */
    cr_expect_str_eq(got, "1: name|value\n2: \xEF\xBB\xBFx|1\n");
    free(got);
    got = dump("\xEF\xBB\xBF");
    cr_expect_str_eq(got, "");
    free(got);
}

Test(csv_encoding, windows_1251_detected_and_converted)
{
    const char *in = GOROD_1251 ";n\n" ALMATY_1251 ";1\n";
    cr_expect_str_eq(encoding_of(in, strlen(in), NULL), "WINDOWS-1251");
    char *got = dump(in);
    cr_expect_str_eq(got, "1: " GOROD_UTF8 "|n\n2: " ALMATY_UTF8 "|1\n");
    free(got);
}

Test(csv_encoding, named_encoding_used_as_given)
{
    const char *in = ALMATY_1251 ",1\n";
    qala_csv_options opt = {.encoding = "CP1251"};
    cr_expect_str_eq(encoding_of(in, strlen(in), "CP1251"), "CP1251");
    char *got = dump_opt(in, strlen(in), &opt);
    cr_expect_str_eq(got, "1: " ALMATY_UTF8 "|1\n");
    free(got);
}

Test(csv_encoding, named_encoding_overrides_valid_utf8)
{
    /* the UTF-8 bytes of "Ж" (D0 96) read as Windows-1251 are "Р–" */
    qala_csv_options opt = {.encoding = "WINDOWS-1251"};
    char *got = dump_opt("\xD0\x96\n", 3, &opt);
    cr_expect_str_eq(got, "1: \xD0\xA0\xE2\x80\x93\n");
    free(got);
}

Test(csv_encoding, undefined_windows_1251_byte_is_an_error_then_resume)
{
    /* 0x98 has no character in Windows-1251 (glibc iconv refuses it) */
    const char *in = ALMATY_1251 ",1\nx,a\x98" "b\n" GOROD_1251 ",3\n";
    char *got = dump(in);
    cr_expect_str_eq(got, "1: " ALMATY_UTF8 "|1\n2:2: E5 byte 0x98 is not valid WINDOWS-1251\n"
                          "3: " GOROD_UTF8 "|3\n");
    free(got);
}

Test(csv_encoding, utf16_with_bom_through_iconv)
{
    /* "a,Ж\n" in UTF-16LE with its byte order mark */
    const char in[] = "\xFF\xFE" "a\0,\0\x16\x04\n\0";
    qala_csv_options opt = {.encoding = "UTF-16"};
    char *got = dump_opt(in, sizeof in - 1, &opt);
    cr_expect_str_eq(got, "1: a|\xD0\x96\n");
    free(got);
}

/* ---- files larger than one block ----------------------------------------------------
 * Each test builds a file whose interesting bytes sit at the 64 KiB block boundary, and
 * checks the records around it (and that the file gives the same records as the same
 * bytes read from memory). */

typedef struct filebuf {
    char *data;
    size_t len;
} filebuf;

/* Lines "r<i>,<pad>\n" up to exactly `upto` bytes (the last line's padding adjusts). */
static void fill_lines(filebuf *f, size_t upto)
{
    size_t i = 0;
    while (f->len < upto) {
        size_t room = upto - f->len;
        if (room < 16) {
            memset(f->data + f->len, 'z', room - 1);
            f->data[upto - 1] = '\n';
            f->len = upto;
            break;
        }
        f->len += (size_t)sprintf(f->data + f->len, "r%zu,v%zu\n", i, i % 97);
        if (f->len > upto - 16 && f->len < upto) {
            size_t pad = upto - f->len;
            memset(f->data + f->len, 'p', pad - 1);
            f->data[upto - 1] = '\n';
            f->len = upto;
        }
        i++;
    }
}

static void append(filebuf *f, const char *s, size_t n)
{
    memcpy(f->data + f->len, s, n);
    f->len += n;
}

static size_t count_lines(const filebuf *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->len; i++)
        n += f->data[i] == '\n';
    return n;
}

/* The last `tail` lines of a dump. */
static const char *tail_of(const char *dumped, int tail)
{
    const char *p = dumped + strlen(dumped);
    int seen = 0;
    while (p > dumped) {
        p--;
        if (*p == '\n' && ++seen == tail + 1)
            return p + 1;
    }
    return dumped;
}

static void expect_file_same_as_buffer(const filebuf *f, const qala_csv_options *opt)
{
    char *from_file = dump_file(f->data, f->len, opt);
    char *from_mem = dump_opt(f->data, f->len, opt);
    cr_expect(strcmp(from_file, from_mem) == 0, "file and memory readings differ");
    free(from_file);
    free(from_mem);
}

Test(csv_encoding, field_straddles_block_boundary)
{
    filebuf f = {malloc(3 * BLOCK), 0};
    fill_lines(&f, BLOCK - 3);
    append(&f, "abcdef,\"q\nq\"\n", 13); /* "abcdef" covers bytes 65533..65538 */
    append(&f, "end,1\n", 6);
    size_t lines_before = count_lines(&f) - 3;
    char *got = dump_file(f.data, f.len, NULL);
    char want[128];
    snprintf(want, sizeof want, "%zu: abcdef|q\nq\n%zu: end|1\n", lines_before + 1,
             lines_before + 3);
    cr_expect_str_eq(tail_of(got, 3), want);
    free(got);
    expect_file_same_as_buffer(&f, NULL);
    free(f.data);
}

Test(csv_encoding, utf8_sequence_straddles_block_boundary)
{
    filebuf f = {malloc(3 * BLOCK), 0};
    fill_lines(&f, BLOCK - 3);
    append(&f, "x,\xD0\x96\n", 5); /* D0 is byte 65535, 96 byte 65536 */
    fill_lines(&f, 2 * BLOCK);
    char *path = write_temp(f.data, f.len);
    qala_csv *csv;
    cr_assert_eq(qala_csv__open_file(&csv, path, NULL, NULL), QALA_OK);
    cr_expect_str_eq(qala_csv__encoding(csv), "UTF-8", "a cut sequence is not evidence");
    cr_expect_str_eq(qala_csv__label(csv), path, "label defaults to the path");
    int r, found = 0;
    while ((r = qala_csv__next(csv)) != 0) {
        cr_assert_eq(r, 1, "%s", qala_error_last()->message);
        if (strcmp(qala_csv__field(csv, 0, NULL), "x") == 0)
            found = strcmp(qala_csv__field(csv, 1, NULL), "\xD0\x96") == 0;
    }
    cr_expect(found);
    qala_csv__close(csv);
    remove_temp(path);
    free(f.data);
}

Test(csv_encoding, windows_1251_text_straddles_block_boundary)
{
    filebuf f = {malloc(3 * BLOCK), 0};
    append(&f, GOROD_1251 ",n\n", 8); /* not UTF-8: Windows-1251 is detected */
    fill_lines(&f, BLOCK - 3);
    append(&f, ALMATY_1251 "," GOROD_1251 "\n", 13);
    fill_lines(&f, 2 * BLOCK + 100);
    char *got = dump_file(f.data, f.len, NULL);
    cr_expect(strstr(got, "1: " GOROD_UTF8 "|n\n") == got);
    cr_expect(strstr(got, ": " ALMATY_UTF8 "|" GOROD_UTF8 "\n") != NULL);
    cr_expect(strstr(got, ": E") == NULL, "no errors expected");
    free(got);
    expect_file_same_as_buffer(&f, NULL);
    free(f.data);
}

Test(csv_encoding, crlf_split_by_block_boundary)
{
    filebuf f = {malloc(3 * BLOCK), 0};
    fill_lines(&f, BLOCK - 4);
    append(&f, "a,b\r\n", 5); /* CR is byte 65535, LF byte 65536 */
    append(&f, "c,d\r\n", 5);
    size_t lines = count_lines(&f);
    char *got = dump_file(f.data, f.len, NULL);
    char want[128];
    snprintf(want, sizeof want, "%zu: a|b\n%zu: c|d\n", lines - 1, lines);
    cr_expect_str_eq(tail_of(got, 2), want);
    free(got);
    free(f.data);
}

Test(csv_encoding, invalid_utf8_after_first_block)
{
    /* the first block is valid UTF-8, so the file is read as UTF-8 and the Windows-1251
     * line further on is an error on its own line */
    filebuf f = {malloc(3 * BLOCK), 0};
    fill_lines(&f, BLOCK + 1000);
    size_t bad_line = count_lines(&f) + 1;
    append(&f, "x," ALMATY_1251 "\n", 9);
    append(&f, "after,1\n", 8);
    char *got = dump_file(f.data, f.len, NULL);
    char want[200];
    snprintf(want, sizeof want,
             "%zu:2: E5 invalid UTF-8 byte 0xC0: the file is not UTF-8 (use --encoding)\n"
             "%zu: after|1\n", bad_line, bad_line + 1);
    cr_expect_str_eq(tail_of(got, 2), want);
    free(got);
    free(f.data);
}

Test(csv_encoding, multibyte_source_sequence_straddles_block_boundary)
{
    /* UTF-16LE: a BOM, 16383 lines "x\n" (4 bytes each), then U+1F600 as a surrogate
     * pair at bytes 65534..65537, so the raw block ends inside it */
    filebuf f = {malloc(3 * BLOCK), 0};
    append(&f, "\xFF\xFE", 2);
    for (int i = 0; i < 16383; i++)
        append(&f, "x\0\n\0", 4);
    append(&f, "\x3D\xD8\x00\xDE,\0y\0\n\0", 10);
    qala_csv_options opt = {.encoding = "UTF-16"};
    char *got = dump_file(f.data, f.len, &opt);
    cr_expect_str_eq(tail_of(got, 2), "16383: x\n16384: \xF0\x9F\x98\x80|y\n");
    free(got);
    free(f.data);
}

Test(csv_encoding, large_file_same_as_memory)
{
    /* many blocks, quoted fields everywhere: block edges fall at arbitrary places */
    filebuf f = {malloc(6 * BLOCK), 0};
    for (int i = 0; f.len < 5 * BLOCK; i++)
        f.len += (size_t)sprintf(f.data + f.len, "%d,\"q%d\"\"x\r\ny\",%s\r\n", i, i,
                                 i % 3 ? "plain" : "\xD0\x96\xD0\x96");
    expect_file_same_as_buffer(&f, NULL);
    char *got = dump_file(f.data, f.len, NULL);
    cr_expect(strstr(got, ": E") == NULL);
    free(got);
    free(f.data);
}
