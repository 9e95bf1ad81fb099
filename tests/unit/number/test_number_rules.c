/* tests/unit/number/test_number_rules.c — every rule of qala_number__parse (number.h):
 * trimming, markers, signs, groups, the decimal mark, exponents, footnotes, percent. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "io/number.h"

#define N_FOOT QALA_NUMBER_NOTE_FOOTNOTE
#define N_PCT QALA_NUMBER_NOTE_PERCENT
#define N_COMMA QALA_NUMBER_NOTE_DECIMAL_COMMA
#define N_POINT QALA_NUMBER_NOTE_DECIMAL_POINT
#define N_AMBIG QALA_NUMBER_NOTE_AMBIGUOUS
#define N_GROUP QALA_NUMBER_NOTE_GROUPED

static void expect_ok(const char *text, char decimal, double want, unsigned want_notes)
{
    double v = -12345.0;
    unsigned notes = 999;
    qala_number_kind k = qala_number__parse(text, strlen(text), decimal, &v, &notes);
    cr_expect_eq(k, QALA_NUMBER_OK, "'%s' (decimal '%c'): kind %d", text, decimal ? decimal : '0',
                 (int)k);
    cr_expect_eq(v, want, "'%s' (decimal '%c'): %.17g, want %.17g", text,
                 decimal ? decimal : '0', v, want);
    cr_expect_eq(notes, want_notes, "'%s' (decimal '%c'): notes %#x, want %#x", text,
                 decimal ? decimal : '0', notes, want_notes);
}

static void expect_kind(const char *text, char decimal, qala_number_kind want)
{
    double v = 0;
    unsigned notes = 999;
    qala_number_kind k = qala_number__parse(text, strlen(text), decimal, &v, &notes);
    cr_expect_eq(k, want, "'%s' (decimal '%c'): kind %d, want %d", text,
                 decimal ? decimal : '0', (int)k, (int)want);
    cr_expect_neq(notes, 999u, "notes always set");
}

Test(number_rules, plain_numbers)
{
    expect_ok("12345.678", 0, 12345.678, N_POINT);
    expect_ok("2015", 0, 2015, 0);
    expect_ok("-12", 0, -12, 0);
    expect_ok("+5", 0, 5, 0);
    expect_ok("0", 0, 0, 0);
    expect_ok("007", 0, 7, 0);
    expect_ok("2005.0", 0, 2005, N_POINT);
    expect_ok("2005.0", '.', 2005, N_POINT);
    expect_ok("12,5", 0, 12.5, N_COMMA);
    expect_ok(".5", 0, 0.5, N_POINT);
    expect_ok(",25", ',', 0.25, N_COMMA);
}

Test(number_rules, minus_zero_is_zero)
{
    double v = 1;
    unsigned notes;
    cr_assert_eq(qala_number__parse("-0", 2, 0, &v, &notes), QALA_NUMBER_OK);
    cr_expect(v == 0.0 && !signbit(v), "no negative zero");
    cr_assert_eq(qala_number__parse("-0,000", 6, 0, &v, &notes), QALA_NUMBER_OK);
    cr_expect(v == 0.0 && !signbit(v));
}

Test(number_rules, unicode_minus)
{
    expect_ok("\xE2\x88\x92" "12", 0, -12, 0);
    expect_ok("\xE2\x88\x92" "1 234,5", ',', -1234.5, N_COMMA | N_GROUP);
}

Test(number_rules, trimming)
{
    expect_ok("  12 \t", 0, 12, 0);
    expect_ok("\xC2\xA0" "12\xC2\xA0", 0, 12, 0);             /* U+00A0 */
    expect_ok("\xE2\x80\xAF" "12\xE2\x80\x89\r\n", 0, 12, 0); /* U+202F, U+2009 */
    expect_kind(" \xC2\xA0 ", 0, QALA_NUMBER_MISSING);
}

Test(number_rules, missing_markers)
{
    const char *markers[] = {"", "-", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\xA6", "...",
                             "..", ":", "NA", "N/A", "n/a", "\xD0\xBD/\xD0\xB4",
                             "\xD0\x9D/\xD0\x94",
                             "\xD0\xBD\xD0\xB5\xD1\x82 \xD0\xB4\xD0\xB0\xD0\xBD\xD0\xBD\xD1\x8B\xD1\x85",
                             " - ", "\xC2\xA0\xE2\x80\x94"};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        expect_kind(markers[i], 0, QALA_NUMBER_MISSING);
}

Test(number_rules, confidential_markers)
{
    expect_kind("x", 0, QALA_NUMBER_CONFIDENTIAL);
    expect_kind("X", ',', QALA_NUMBER_CONFIDENTIAL);
    expect_kind("\xD1\x85", 0, QALA_NUMBER_CONFIDENTIAL); /* Cyrillic х */
    expect_kind("\xD0\xA5", 0, QALA_NUMBER_CONFIDENTIAL); /* Cyrillic Х */
    expect_kind(" x ", 0, QALA_NUMBER_CONFIDENTIAL);
    double v;
    unsigned notes;
    cr_expect_eq(qala_number__parse("x\xC2\xB9", 3, 0, &v, &notes), QALA_NUMBER_CONFIDENTIAL);
    cr_expect_eq(notes, N_FOOT, "x¹: confidential, with a footnote");
}

Test(number_rules, markers_are_exact)
{
    expect_kind("na", 0, QALA_NUMBER_INVALID);
    expect_kind("xx", 0, QALA_NUMBER_INVALID);
    expect_kind("....", 0, QALA_NUMBER_INVALID);
    expect_kind("--", 0, QALA_NUMBER_INVALID);
    expect_kind("\xD0\xBD\xD0\xB5\xD1\x82", 0, QALA_NUMBER_INVALID); /* "нет" alone */
}

Test(number_rules, space_groups)
{
    expect_ok("1 234 567", 0, 1234567, N_GROUP);
    expect_ok("1\xC2\xA0" "234,5", 0, 1234.5, N_GROUP | N_COMMA);
    expect_ok("12\xE2\x80\xAF" "345", 0, 12345, N_GROUP);
    expect_ok("123\xE2\x80\x89" "456.25", 0, 123456.25, N_GROUP | N_POINT);
    expect_ok("-1 000", 0, -1000, N_GROUP);
}

Test(number_rules, apostrophe_groups)
{
    expect_ok("1'234'567.5", 0, 1234567.5, N_GROUP | N_POINT);
}

Test(number_rules, bad_groups_are_invalid)
{
    expect_kind("1 23", 0, QALA_NUMBER_INVALID);        /* group of 2 */
    expect_kind("12 3456", 0, QALA_NUMBER_INVALID);     /* group of 4 */
    expect_kind("1234 567", 0, QALA_NUMBER_INVALID);    /* leading group of 4 */
    expect_kind("1 234'567", 0, QALA_NUMBER_INVALID);   /* two kinds of group mark */
    expect_kind("1,23,456", 0, QALA_NUMBER_INVALID);    /* not groups of 3 */
    expect_kind("1,234 567", 0, QALA_NUMBER_INVALID);   /* a group after the decimal */
    expect_kind("1  234", 0, QALA_NUMBER_INVALID);      /* two spaces */
    expect_kind(" 1 234 ", 0, QALA_NUMBER_OK);          /* outer spaces are trimmed */
    expect_kind("1\t234", 0, QALA_NUMBER_INVALID);      /* a tab is no group mark */
}

Test(number_rules, decimal_comma_convention)
{
    expect_ok("1.234,5", ',', 1234.5, N_GROUP | N_COMMA);
    expect_ok("1.234", ',', 1234, N_GROUP);
    expect_ok("1,5", ',', 1.5, N_COMMA);
    expect_ok("1,234", ',', 1.234, N_COMMA);
    expect_kind("1.5", ',', QALA_NUMBER_INVALID);       /* a '.' here can only group */
    expect_kind("1,234,567", ',', QALA_NUMBER_INVALID); /* two decimal commas */
}

Test(number_rules, decimal_point_convention)
{
    expect_ok("1,234.5", '.', 1234.5, N_GROUP | N_POINT);
    expect_ok("1,234", '.', 1234, N_GROUP);
    expect_ok("1.234", '.', 1.234, N_POINT);
    expect_ok("1,234,567", '.', 1234567, N_GROUP);
    expect_kind("1,5", '.', QALA_NUMBER_INVALID);
}

Test(number_rules, decimal_decided_per_value)
{
    expect_ok("1,234", 0, 1.234, N_COMMA | N_AMBIG);
    expect_ok("1.234", 0, 1.234, N_POINT | N_AMBIG);
    expect_ok("-123.456", 0, -123.456, N_POINT | N_AMBIG);
    expect_ok("1,234,567", 0, 1234567, N_GROUP);
    expect_ok("1.234.567", 0, 1234567, N_GROUP);
    expect_ok("1.234,5", 0, 1234.5, N_GROUP | N_COMMA);
    expect_ok("1,234.5", 0, 1234.5, N_GROUP | N_POINT);
    expect_ok("1.234.567,25", 0, 1234567.25, N_GROUP | N_COMMA);
    expect_ok("0,123", 0, 0.123, N_COMMA);                    /* "0" never leads a group */
    expect_ok("1234,567", 0, 1234.567, N_COMMA);              /* 4 digits: no grouping sense */
    expect_ok("1,2345", 0, 1.2345, N_COMMA);
    expect_ok("1 234,567", 0, 1234.567, N_GROUP | N_COMMA);   /* spaces group, ',' decimal */
    expect_ok("1,234e2", 0, 123.4, N_COMMA);                  /* an exponent: not grouping */
    expect_kind("1.2.3", 0, QALA_NUMBER_INVALID);
    expect_kind("1,2,3", 0, QALA_NUMBER_INVALID);
    expect_kind("1.234.5", 0, QALA_NUMBER_INVALID);
    expect_kind("1,234.567.8", 0, QALA_NUMBER_INVALID);
}

Test(number_rules, exponents)
{
    expect_ok("1e3", 0, 1000, 0);
    expect_ok("1.5E-2", 0, 0.015, N_POINT);
    expect_ok("2e+2", 0, 200, 0);
    expect_ok("-2,5e1", ',', -25, N_COMMA);
    expect_kind("e5", 0, QALA_NUMBER_INVALID);
    expect_kind("1e", 0, QALA_NUMBER_INVALID);
    expect_kind("1e+", 0, QALA_NUMBER_INVALID);
    expect_kind("1e5x", 0, QALA_NUMBER_INVALID);
    expect_kind("1e5.2", 0, QALA_NUMBER_INVALID);
}

Test(number_rules, footnote_marks)
{
    expect_ok("12.5*", 0, 12.5, N_POINT | N_FOOT);
    expect_ok("12.5**", 0, 12.5, N_POINT | N_FOOT);
    expect_ok("12.5 *", 0, 12.5, N_POINT | N_FOOT);
    expect_ok("7\xE2\x80\xA0", 0, 7, N_FOOT);                    /* † */
    expect_ok("7\xE2\x80\xA1", 0, 7, N_FOOT);                    /* ‡ */
    expect_ok("12,5\xC2\xB9", ',', 12.5, N_COMMA | N_FOOT);      /* ¹ */
    expect_ok("12\xC2\xB2\xC2\xB3", 0, 12, N_FOOT);              /* ²³ */
    expect_ok("12\xE2\x81\xB4", 0, 12, N_FOOT);                  /* ⁴ */
    expect_ok("12\xE2\x81\xB0", 0, 12, N_FOOT);                  /* ⁰ */
    expect_ok("12\xE2\x81\xB9", 0, 12, N_FOOT);                  /* ⁹ */
}

Test(number_rules, numbered_footnote_after_the_number)
{
    /* directly after the number: one digit (its superscript lost in an export) */
    expect_ok("12,51)", ',', 12.5, N_COMMA | N_FOOT);
    expect_ok("1 2341)", 0, 1234, N_GROUP | N_FOOT);
    /* after white space: one or two digits */
    expect_ok("12,5 12)", ',', 12.5, N_COMMA | N_FOOT);
    expect_ok("12,5\xC2\xA0" "3)", ',', 12.5, N_COMMA | N_FOOT);
    expect_kind("1)", 0, QALA_NUMBER_INVALID);
    expect_kind("12 123)", 0, QALA_NUMBER_INVALID); /* "12 12": three digits are no mark */
    expect_kind("12)", 0, QALA_NUMBER_OK);          /* "1" and the mark "2)" */
    expect_kind("12(a)", 0, QALA_NUMBER_INVALID);
}

Test(number_rules, percent_sign)
{
    expect_ok("12%", 0, 12, N_PCT);
    expect_ok("12,5 %", 0, 12.5, N_COMMA | N_PCT);
    expect_ok("12%*", 0, 12, N_PCT | N_FOOT);
    expect_ok("12*%", 0, 12, N_PCT | N_FOOT);
    expect_kind("%", 0, QALA_NUMBER_INVALID);
    expect_kind("*", 0, QALA_NUMBER_INVALID);
}

Test(number_rules, not_numbers)
{
    const char *bad[] = {"abc", "12abc", "1..2", "5.", "5,", "--5", "+-5", "1-2", "nan", "NaN",
                         "inf", "-inf", "Infinity", "0x10", "1/2", "(5)", "12 km", "+",
                         "\xE2\x88\x92", "1.2e3.4", "\xD0\x90"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_kind(bad[i], 0, QALA_NUMBER_INVALID);
}

Test(number_rules, overflow_is_invalid_and_underflow_is_zero)
{
    expect_kind("1e999", 0, QALA_NUMBER_INVALID);
    expect_kind("-1e400", 0, QALA_NUMBER_INVALID);
    expect_ok("1e-999", 0, 0, 0);
    expect_ok("1e-99999999999", 0, 0, 0);
}

Test(number_rules, length_is_respected)
{
    /* only the first len bytes count: "12" of "123" */
    double v;
    unsigned notes;
    cr_expect_eq(qala_number__parse("123", 2, 0, &v, &notes), QALA_NUMBER_OK);
    cr_expect_eq(v, 12);
    cr_expect_eq(qala_number__parse("12 345", 4, 0, &v, &notes), QALA_NUMBER_INVALID);
}
