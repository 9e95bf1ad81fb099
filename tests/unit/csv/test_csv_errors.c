/* tests/unit/csv/test_csv_errors.c — each error: its code, text, line, column, and that
 * reading resumes with the next record. Error lines render as
 * "<line>:<column>: E<-code> <message>" (E5: QALA_EPARSE, E9: QALA_ELIMIT). */
#include <criterion/criterion.h>

#include "csv_helpers.h"

static void expect_dump_opt(const char *input, size_t len, const qala_csv_options *opt,
                            const char *expected)
{
    char *got = dump_opt(input, len, opt);
    cr_expect_str_eq(got, expected);
    free(got);
}

static void expect_dump(const char *input, const char *expected)
{
    expect_dump_opt(input, strlen(input), NULL, expected);
}

Test(csv_errors, unterminated_quote_reports_opening_line)
{
    expect_dump("a,b\nc,\"open\nx\ny\n",
                "1: a|b\n2:2: E5 unterminated quoted field (opened on line 2)\n");
}

Test(csv_errors, error_record_carries_file_label)
{
    qala_csv *csv;
    cr_assert_eq(qala_csv__open_buffer(&csv, "\"x", 2, "stat.csv", NULL), QALA_OK);
    cr_expect_eq(qala_csv__next(csv), QALA_EPARSE);
    cr_expect_str_eq(qala_error_last()->file, "stat.csv");
    cr_expect_eq(qala_csv__nfields(csv), 0);
    cr_expect_eq(qala_csv__next(csv), 0);
    qala_csv__close(csv);
}

Test(csv_errors, text_after_closing_quote_then_resume)
{
    expect_dump("\"a\"b,c\nd,e\n",
                "1:1: E5 text after closing quote: expected \",\" or end of line\n2: d|e\n");
}

Test(csv_errors, text_after_closing_quote_names_the_delimiter)
{
    expect_dump("x;\"a\" ;y\n1;2;3\n",
                "1:2: E5 text after closing quote: expected \";\" or end of line\n2: 1|2|3\n");
    expect_dump("x\ty\tz\n\"a\"b\tc\n",
                "1: x|y|z\n2:1: E5 text after closing quote: expected TAB or end of line\n");
}

Test(csv_errors, nul_byte_is_an_error_then_resume)
{
    const char in[] = "a,b\nc,d\0e\nf,g\n";
    expect_dump_opt(in, sizeof in - 1, NULL,
                    "1: a|b\n2:2: E5 NUL byte: binary data, not a text table\n3: f|g\n");
}

Test(csv_errors, nul_byte_inside_quotes)
{
    const char in[] = "\"a\0\",b\nc\n";
    expect_dump_opt(in, sizeof in - 1, NULL,
                    "1:1: E5 NUL byte: binary data, not a text table\n2: c\n");
}

Test(csv_errors, invalid_utf8_later_in_file)
{
    /* "Алматы" in Windows-1251 on line 3 of a file read as UTF-8 (named here: a short
     * buffer would be detected as Windows-1251; test_csv_encoding covers detection) */
    const char *in = "city,n\n\xD0\x90,1\nx,\xC0\xEB\xEC\xE0\xF2\xFB\ny,2\n";
    expect_dump_opt(in, strlen(in), &(qala_csv_options){.encoding = "UTF-8"},
                "1: city|n\n2: \xD0\x90|1\n"
                "3:2: E5 invalid UTF-8 byte 0xC0: the file is not UTF-8 (use --encoding)\n"
                "4: y|2\n");
}

Test(csv_errors, invalid_utf8_line_inside_multiline_record)
{
    /* the bad byte is on line 4, in field 2 ("c\nd..") of the record on lines 2-4 */
    const char *in = "h\n\"a\nb\",\"c\nd\xFF\"\nz\n";
    expect_dump_opt(in, strlen(in), &(qala_csv_options){.encoding = "utf8"},
                "1: h\n4:2: E5 invalid UTF-8 byte 0xFF: the file is not UTF-8 (use --encoding)\n"
                "5: z\n");
}

Test(csv_errors, invalid_utf8_kinds)
{
    /* overlong "/", a surrogate, a cut sequence before the delimiter, beyond U+10FFFF */
    const char *cases[] = {"\xC0\xAF\n", "\xED\xA0\x80\n", "\xE2\x82,x\n", "\xF4\x90\x80\x80\n"};
    const char *bytes[] = {"0xC0", "0xED", "0xE2", "0xF4"};
    for (size_t i = 0; i < 4; i++) {
        char in[64], want[200];
        snprintf(in, sizeof in, "ok\n%s", cases[i]);
        snprintf(want, sizeof want,
                 "1: ok\n2:1: E5 invalid UTF-8 byte %s: the file is not UTF-8 (use --encoding)\n",
                 bytes[i]);
        char *got = dump_opt(in, strlen(in), &(qala_csv_options){.encoding = "UTF-8"});
        cr_expect_str_eq(got, want, "case %zu", i);
        free(got);
    }
}

Test(csv_errors, field_longer_than_cap)
{
    qala_csv_options opt = {.max_field = 4};
    const char *in = "abcd,e\nabcde,f\n\"ab\"\"cd\",g\nh\n";
    expect_dump_opt(in, strlen(in), &opt,
                    "1: abcd|e\n2:1: E9 field longer than 4 bytes\n"
                    "3:1: E9 field longer than 4 bytes\n4: h\n");
}

Test(csv_errors, long_quoted_field_skipped_to_its_end)
{
    /* the too long field spans lines 1-3; reading resumes on line 4, not inside it */
    qala_csv_options opt = {.max_field = 5};
    const char *in = "\"123456\nx,y\nz\",1\nnext\n";
    expect_dump_opt(in, strlen(in), &opt, "1:1: E9 field longer than 5 bytes\n4: next\n");
}

Test(csv_errors, too_many_fields)
{
    qala_csv_options opt = {.max_fields = 3};
    const char *in = "a,b,c\na,b,c,d\n\"a\",b,c,\"d\ne\"\nz\n";
    expect_dump_opt(in, strlen(in), &opt,
                    "1: a|b|c\n2:4: E9 more than 3 fields\n3:4: E9 more than 3 fields\n5: z\n");
}

Test(csv_errors, several_errors_in_one_file)
{
    const char in[] = "h1,h2\n\"x\"y,1\nok,2\n\"a\0\",3\nok,4\n\"open,5\n";
    expect_dump_opt(in, sizeof in - 1, NULL,
                    "1: h1|h2\n"
                    "2:1: E5 text after closing quote: expected \",\" or end of line\n"
                    "3: ok|2\n"
                    "4:1: E5 NUL byte: binary data, not a text table\n"
                    "5: ok|4\n"
                    "6:1: E5 unterminated quoted field (opened on line 6)\n");
}

Test(csv_errors, open_missing_file)
{
    qala_csv *csv = (qala_csv *)1;
    cr_expect_eq(qala_csv__open_file(&csv, "/nonexistent/dir/x.csv", NULL, NULL), QALA_EIO);
    cr_expect_null(csv);
    cr_expect_str_eq(qala_error_last()->message,
                     "cannot open '/nonexistent/dir/x.csv': No such file or directory");
}

Test(csv_errors, unknown_encoding)
{
    qala_csv *csv = (qala_csv *)1;
    qala_csv_options opt = {.encoding = "KLINGON-8"};
    cr_expect_eq(qala_csv__open_buffer(&csv, "a", 1, "t", &opt), QALA_EINVAL);
    cr_expect_null(csv);
    cr_expect_str_eq(qala_error_last()->message, "unknown encoding 'KLINGON-8'");
}
