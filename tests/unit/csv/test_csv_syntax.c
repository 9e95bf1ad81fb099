/* tests/unit/csv/test_csv_syntax.c — records, fields, quoting, line ends, delimiters. */
#include <criterion/criterion.h>

#include "csv_helpers.h"

static void expect_dump(const char *input, const char *expected)
{
    char *got = dump(input);
    cr_expect_str_eq(got, expected, "input:\n%s", input);
    free(got);
}

Test(csv_syntax, plain_records_with_lf)
{
    expect_dump("a,b,c\n1,2,3\n", "1: a|b|c\n2: 1|2|3\n");
}

Test(csv_syntax, last_line_without_line_end)
{
    expect_dump("a,b\n1,2", "1: a|b\n2: 1|2\n");
}

Test(csv_syntax, crlf_line_ends)
{
    expect_dump("a,b\r\n1,2\r\n3,4", "1: a|b\n2: 1|2\n3: 3|4\n");
}

Test(csv_syntax, lone_cr_line_ends)
{
    expect_dump("a,b\r1,2\r3,4\r", "1: a|b\n2: 1|2\n3: 3|4\n");
}

Test(csv_syntax, mixed_line_ends_count_lines)
{
    expect_dump("a\r\nb\rc\nd", "1: a\n2: b\n3: c\n4: d\n");
}

Test(csv_syntax, empty_lines_skipped_but_counted)
{
    expect_dump("\n\na,b\n\r\n\n1,2\n\n", "3: a|b\n6: 1|2\n");
}

Test(csv_syntax, empty_input_has_no_records)
{
    expect_dump("", "");
    expect_dump("\n\r\n", "");
}

Test(csv_syntax, empty_fields_kept)
{
    expect_dump(",a,,\n", "1: |a||\n");
}

Test(csv_syntax, fields_are_not_trimmed)
{
    expect_dump(" a , b\t\n", "1:  a | b\t\n");
}

Test(csv_syntax, quoted_fields_with_escaped_quotes)
{
    expect_dump("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "1: a,b|say \"hi\"|\n");
}

Test(csv_syntax, quote_inside_unquoted_field_is_literal)
{
    expect_dump("5\" screen,x\n", "1: 5\" screen|x\n");
}

Test(csv_syntax, embedded_newlines_keep_line_numbers)
{
    /* the record on line 1 spans lines 1-3; the next record starts on line 4 */
    expect_dump("\"one\ntwo\r\nthree\",x\nnext,y\n\"a\rb\",z\nlast\n",
                "1: one\ntwo\r\nthree|x\n4: next|y\n5: a\rb|z\n7: last\n");
}

Test(csv_syntax, quoted_field_at_end_of_input)
{
    expect_dump("a,\"b\"", "1: a|b\n");
}

Test(csv_syntax, delimiter_semicolon_detected)
{
    qala_csv *csv;
    const char *in = "name;value;\"a,b,c,d\"\nx;1;2\n";
    cr_assert_eq(qala_csv__open_buffer(&csv, in, strlen(in), NULL, NULL), QALA_OK);
    cr_expect_eq(qala_csv__delimiter(csv), ';');
    cr_expect_str_eq(qala_csv__label(csv), "<buffer>");
    cr_assert_eq(qala_csv__next(csv), 1);
    cr_expect_eq(qala_csv__nfields(csv), 3);
    cr_expect_str_eq(qala_csv__field(csv, 2, NULL), "a,b,c,d");
    qala_csv__close(csv);
}

Test(csv_syntax, delimiter_tab_detected)
{
    qala_csv *csv;
    const char *in = "a\tb,c\td\n1\t2\t3\n";
    cr_assert_eq(qala_csv__open_buffer(&csv, in, strlen(in), "t", NULL), QALA_OK);
    cr_expect_eq(qala_csv__delimiter(csv), '\t');
    qala_csv__close(csv);
    expect_dump("a\tb,c\td\n", "1: a|b,c|d\n");
}

Test(csv_syntax, delimiter_detection_uses_first_record_only)
{
    /* first record: one ',' and no ';' — later lines full of ';' do not count */
    qala_csv *csv;
    const char *in = "a,b\n1;2;3;4;5\n";
    cr_assert_eq(qala_csv__open_buffer(&csv, in, strlen(in), "t", NULL), QALA_OK);
    cr_expect_eq(qala_csv__delimiter(csv), ',');
    qala_csv__close(csv);
}

Test(csv_syntax, delimiter_detection_skips_bom_and_quotes)
{
    qala_csv *csv;
    const char *in = "\xEF\xBB\xBF\"x;y;z\",a,b;c\n";
    cr_assert_eq(qala_csv__open_buffer(&csv, in, strlen(in), "t", NULL), QALA_OK);
    cr_expect_eq(qala_csv__delimiter(csv), ',');
    qala_csv__close(csv);
}

Test(csv_syntax, delimiter_defaults_to_comma)
{
    qala_csv *csv;
    const char *in = "single column\nvalue\n";
    cr_assert_eq(qala_csv__open_buffer(&csv, in, strlen(in), "t", NULL), QALA_OK);
    cr_expect_eq(qala_csv__delimiter(csv), ',');
    qala_csv__close(csv);
}

Test(csv_syntax, delimiter_tie_prefers_comma)
{
    qala_csv *csv;
    const char *in = "a,b;c\n";
    cr_assert_eq(qala_csv__open_buffer(&csv, in, strlen(in), "t", NULL), QALA_OK);
    cr_expect_eq(qala_csv__delimiter(csv), ',');
    qala_csv__close(csv);
}

Test(csv_syntax, explicit_delimiter_overrides_detection)
{
    qala_csv_options opt = {.delimiter = ';'};
    char *got = dump_opt("a,b;c\n", 6, &opt);
    cr_expect_str_eq(got, "1: a,b|c\n");
    free(got);
}

Test(csv_syntax, bad_explicit_delimiter_rejected)
{
    qala_csv_options opt = {.delimiter = '"'};
    qala_csv *csv = (qala_csv *)1;
    cr_expect_eq(qala_csv__open_buffer(&csv, "a", 1, "t", &opt), QALA_EINVAL);
    cr_expect_null(csv);
}

Test(csv_syntax, field_lengths_and_nul_termination)
{
    qala_csv *csv;
    const char *in = "abc,\"d\"\"e\",\n";
    cr_assert_eq(qala_csv__open_buffer(&csv, in, strlen(in), "t", NULL), QALA_OK);
    cr_assert_eq(qala_csv__next(csv), 1);
    size_t len;
    cr_expect_str_eq(qala_csv__field(csv, 0, &len), "abc");
    cr_expect_eq(len, 3);
    cr_expect_str_eq(qala_csv__field(csv, 1, &len), "d\"e");
    cr_expect_eq(len, 3);
    cr_expect_str_eq(qala_csv__field(csv, 2, &len), "");
    cr_expect_eq(len, 0);
    cr_expect_null(qala_csv__field(csv, 3, &len));
    cr_expect_eq(qala_csv__next(csv), 0);
    cr_expect_eq(qala_csv__next(csv), 0, "the end stays the end");
    qala_csv__close(csv);
}

Test(csv_syntax, utf8_text_passes_through)
{
    /* Kazakh and Russian city names: Алматы, Өскемен, Шымкент */
    expect_dump("\xD0\x90\xD0\xBB\xD0\xBC\xD0\xB0\xD1\x82\xD1\x8B,\xD3\xA8\xD1\x81\xD0\xBA\xD0\xB5\xD0\xBC\xD0\xB5\xD0\xBD\n"
                "\"\xD0\xA8\xD1\x8B\xD0\xBC\xD0\xBA\xD0\xB5\xD0\xBD\xD1\x82\",1\n",
                "1: \xD0\x90\xD0\xBB\xD0\xBC\xD0\xB0\xD1\x82\xD1\x8B|\xD3\xA8\xD1\x81\xD0\xBA\xD0\xB5\xD0\xBC\xD0\xB5\xD0\xBD\n"
                "2: \xD0\xA8\xD1\x8B\xD0\xBC\xD0\xBA\xD0\xB5\xD0\xBD\xD1\x82|1\n");
}

Test(csv_syntax, long_lines_over_many_words)
{
    char line[400];
    memset(line, 'x', sizeof line);
    for (size_t i = 7; i < 390; i += 13)
        line[i] = ',';
    line[398] = '\n';
    line[399] = '\0';
    qala_csv *csv;
    cr_assert_eq(qala_csv__open_buffer(&csv, line, strlen(line), "t", NULL), QALA_OK);
    cr_assert_eq(qala_csv__next(csv), 1);
    cr_expect_eq(qala_csv__nfields(csv), 31); /* 30 commas at 7, 20, ..., 384 */
    size_t len;
    qala_csv__field(csv, 1, &len);
    cr_expect_eq(len, 12);
    qala_csv__close(csv);
}
