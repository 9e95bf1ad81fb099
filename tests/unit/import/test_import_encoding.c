/* Encodings and delimiters: Windows-1251 bytes (detected or named), ';' and tab files.
 * Fictional names and figures (import_fixture.h). */
#include <iconv.h>

#include "import_fixture.h"

TestSuite(import_encoding, .init = fx_build, .fini = fx_free);

/* utf8 converted to Windows-1251 in out (NUL-terminated); returns the length. */
static size_t to_cp1251(char *out, size_t size, const char *utf8)
{
    iconv_t cd = iconv_open("WINDOWS-1251", "UTF-8");
    cr_assert_neq(cd, (iconv_t)-1);
    char *in = (char *)utf8, *o = out;
    size_t inleft = strlen(utf8), outleft = size - 1;
    cr_assert_neq(iconv(cd, &in, &inleft, &o, &outleft), (size_t)-1);
    iconv_close(cd);
    *o = '\0';
    return (size_t)(o - out);
}

static const char cyrillic_csv[] =
    "Регион;Показатель;Год;Значение\n"
    "Тествиль;Численность населения;2021;1 000\n"
    "Северная область;Уровень безработицы;2021;4,5\n";

Test(import_encoding, windows_1251_bytes_are_detected_and_decoded)
{
    char buf[512];
    size_t len = to_cp1251(buf, sizeof buf, cyrillic_csv);
    cr_assert_eq((unsigned char)buf[0], 0xD0); /* 'Р' in Windows-1251: not UTF-8 */
    qala_status st = qala_import_buffer(ds, fnd, &stats, buf, len, "t.csv", reg, fw, NULL);
    cr_assert_eq(st, QALA_OK);
    fx_expect_count(0);
    cr_expect_str_eq(stats.encoding, "WINDOWS-1251");
    cr_expect_eq(stats.delimiter, ';');
    cr_expect_eq(stats.layout, QALA_LAYOUT_LONG);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-N", "unemployment_pct", 202100, 4.5, QALA_FLAG_NONE);
}

Test(import_encoding, literal_windows_1251_bytes_in_a_finding_come_out_as_utf8)
{
    /* "Тест" = D2 E5 F1 F2 in Windows-1251: an unknown unit, quoted in UTF-8 */
    const char csv[] = "unit,indicator,period,value\n\xD2\xE5\xF1\xF2,population,2021,1\n";
    qala_status st = qala_import_buffer(ds, fnd, &stats, csv, sizeof csv - 1, "t.csv", reg, fw, NULL);
    cr_assert_eq(st, QALA_EDATA);
    cr_expect_str_eq(stats.encoding, "WINDOWS-1251");
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 1, "unknown-unit",
              "unknown unit \"Тест\": expected a unit code or name of the registry");
}

Test(import_encoding, a_named_encoding_is_used)
{
    char buf[512];
    size_t len = to_cp1251(buf, sizeof buf, cyrillic_csv);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.encoding = "CP1251";
    qala_status st = qala_import_buffer(ds, fnd, &stats, buf, len, "t.csv", reg, fw, &opt);
    cr_assert_eq(st, QALA_OK);
    fx_expect_count(0);
    cr_expect_str_eq(stats.encoding, "CP1251");
    cr_expect_eq(qala_dataset_size(ds), 2);
    fx_expect_obs("TL-N", "unemployment_pct", 202100, 4.5, QALA_FLAG_NONE);
}

Test(import_encoding, an_unknown_encoding_is_einval)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.encoding = "NO-SUCH-ENCODING";
    cr_assert_eq(fx_import(cyrillic_csv, &opt), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "unknown encoding 'NO-SUCH-ENCODING'");
    fx_expect_count(0);
}

Test(import_encoding, a_semicolon_file_in_utf8)
{
    cr_assert_eq(fx_import(cyrillic_csv, NULL), QALA_OK);
    fx_expect_count(0);
    cr_expect_str_eq(stats.encoding, "UTF-8");
    cr_expect_eq(stats.delimiter, ';');
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-N", "unemployment_pct", 202100, 4.5, QALA_FLAG_NONE);
}

Test(import_encoding, a_tab_separated_wide_file)
{
    const char *csv = "\tindicator\t2021\t2022\nTestville\tpopulation\t1 000\t1 010\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_OK);
    fx_expect_count(0);
    cr_expect_eq(stats.delimiter, '\t');
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_PERIODS);
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202200, 1010, QALA_FLAG_NONE);
}

Test(import_encoding, a_named_delimiter_is_used)
{
    /* with the delimiter named, a ';' in a field is text */
    const char *csv = "unit,indicator,period,value\nTestville,population,2021,\"1;0\"\n";
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.delimiter = ',';
    cr_assert_eq(fx_import(csv, &opt), QALA_EDATA);
    cr_expect_eq(stats.delimiter, ',');
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 2, 4, "not-a-number",
              "\"1;0\" is not a number: expected digits with an optional sign, decimal mark and "
              "thousands separators, or a missing-value marker such as \"-\"");
}

Test(import_encoding, crlf_line_ends)
{
    const char *csv = "unit,indicator,period,value\r\nTestville,population,2021,1000\r\n"
                      "Sampleton,population,2021,abc\r\n";
    cr_assert_eq(fx_import(csv, NULL), QALA_EDATA);
    fx_expect_count(1);
    fx_expect(0, QALA_SEVERITY_ERROR, 3, 4, "not-a-number",
              "\"abc\" is not a number: expected digits with an optional sign, decimal mark and "
              "thousands separators, or a missing-value marker such as \"-\"");
    fx_expect_obs("TL-TV", "population", 202100, 1000, QALA_FLAG_NONE);
}
