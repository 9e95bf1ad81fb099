/* The XLSX reader (src/io/xlsx.c, xlsx_sheet.c): cells of every type, dates in both
 * date systems, sheets by name and number, and hostile or broken workbooks, each with
 * its exact message. Workbooks are built here from XML (xlsx_build.h). */
#include "io/xlsx.h"
#include "xlsx_build.h"

/* Every row of sheet `sheet` as "ROW:cell|cell|...\n" (indent levels as "^N"). */
static qala_status dump(const char *data, size_t len, const char *sheet, const qala_xlsx_limits *lim,
                        char *out, size_t size)
{
    qala_xlsx *x;
    out[0] = '\0';
    qala_status st = qala_xlsx__open_buffer(&x, data, len, "t.xlsx", lim);
    if (st != QALA_OK)
        return st;
    size_t index;
    qala_xlsx_sheet *s = NULL;
    if ((st = qala_xlsx__find_sheet(x, sheet, &index)) == QALA_OK &&
        (st = qala_xlsx__sheet_open(&s, x, index)) == QALA_OK) {
        size_t o = 0;
        int r;
        while ((r = qala_xlsx__sheet_next(s)) > 0) {
            o += (size_t)snprintf(out + o, size - o, "%ld:", qala_xlsx__sheet_row(s));
            for (size_t j = 0; j < qala_xlsx__sheet_ncells(s); j++) {
                unsigned indent;
                const char *c = qala_xlsx__sheet_cell(s, j, NULL, &indent);
                o += (size_t)snprintf(out + o, size - o, "%s%s", j ? "|" : "", c);
                if (indent)
                    o += (size_t)snprintf(out + o, size - o, "^%u", indent);
            }
            o += (size_t)snprintf(out + o, size - o, "\n");
        }
        st = r < 0 ? (qala_status)r : QALA_OK;
    }
    qala_xlsx__sheet_close(s);
    qala_xlsx__close(x);
    return st;
}

static void expect_sheet(const char *rows, const char *after, const char *sst, const char *styles,
                         const char *want)
{
    size_t len;
    char *z = book1(rows, after, sst, styles, &len), out[4096];
    qala_status st = dump(z, len, NULL, NULL, out, sizeof out);
    cr_assert_eq(st, QALA_OK, "status %d: %s", st, qala_error_last()->message);
    cr_expect_str_eq(out, want);
    free(z);
}

static void expect_error(const char *data, size_t len, const qala_xlsx_limits *lim, qala_status code,
                         const char *message)
{
    char out[4096];
    qala_status st = dump(data, len, NULL, lim, out, sizeof out);
    cr_assert_eq(st, code, "status %d, expected %d: %s", st, code, qala_error_last()->message);
    cr_expect_str_eq(qala_error_last()->message, message);
}

Test(xlsx_reader, shared_strings_concatenate_rich_text_runs_and_drop_phonetic_runs)
{
    expect_sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>", NULL,
                 "<si><t>Карагандинская область</t></si>"
                 "<si><r><rPr><b/></rPr><t>Total, </t></r><r><t xml:space=\"preserve\">persons </t></r>"
                 "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>",
                 NULL, "1:Карагандинская область|Total, persons \n");
}

Test(xlsx_reader, inline_strings_booleans_errors_and_formula_strings)
{
    expect_sheet("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Astana</t></is></c>"
                 "<c r=\"B2\" t=\"inlineStr\"><is><r><t>a</t></r><r><t>b</t></r></is></c>"
                 "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"b\"><v>0</v></c>"
                 "<c r=\"E2\" t=\"e\"><v>#N/A</v></c><c r=\"F2\" t=\"str\"><f>A2</f><v>Astana</v></c></row>",
                 NULL, NULL, NULL, "2:Astana|ab|TRUE|FALSE|#N/A|Astana\n");
}

Test(xlsx_reader, numbers_are_rounded_to_15_digits_and_never_look_like_thousands)
{
    /* 12345.600000000001 is how Excel stores 12345.6; "1.234" would read as 1234 */
    expect_sheet("<row r=\"1\"><c><v>12345.600000000001</v></c><c><v>1.234</v></c><c><v>-12.345</v></c>"
                 "<c><v>0.125</v></c><c><v>2022</v></c><c><v>1E-3</v></c><c><v>-0</v></c><c><v></v></c>"
                 "<c><v>1234.5</v></c></row>",
                 NULL, NULL, NULL, "1:12345.6|1.2340|-12.3450|0.125|2022|0.001|0||1234.5\n");
}

Test(xlsx_reader, cells_without_references_follow_each_other_and_gaps_stay_empty)
{
    expect_sheet("<row><c><v>1</v></c><c r=\"D1\"><v>4</v></c><c><v>5</v></c></row><row><c><v>7</v></c></row>"
                 "<row r=\"5\"><c r=\"B5\"><v>9</v></c></row>",
                 NULL, NULL, NULL, "1:1|||4|5\n2:7\n5:|9\n");
}

/* Serial numbers from Excel: 44927 = 2023-01-01 (1900 system), 60 = the phantom
 * 1900-02-29, 61 = 1900-03-01; in the 1904 system 43465 = 2023-01-01. */
static const char date_styles[] =
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd\\.mm\\.yyyy\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"&quot;day &quot;0.0;[Red]0\"/></numFmts>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"22\"/></cellXfs>";

Test(xlsx_reader, dates_in_the_1900_system_with_the_phantom_leap_day)
{
    expect_sheet("<row r=\"1\"><c s=\"1\"><v>44927</v></c><c s=\"2\"><v>59</v></c><c s=\"2\"><v>60</v></c>"
                 "<c s=\"2\"><v>61</v></c><c s=\"1\"><v>1</v></c><c s=\"3\"><v>44927</v></c>"
                 "<c s=\"4\"><v>44927.5</v></c><c s=\"0\"><v>44927</v></c></row>",
                 NULL, NULL, date_styles,
                 "1:2023-01-01|1900-02-28|1900-02-29|1900-03-01|1900-01-01|44927|2023-01-01 12:00:00|44927\n");
}

Test(xlsx_reader, dates_in_the_1904_system)
{
    char *sheet = sheet_xml("<row r=\"1\"><c s=\"1\"><v>43465</v></c><c s=\"1\"><v>0</v></c></row>", NULL);
    const char *names[] = {"Data"}, *sheets[] = {sheet};
    size_t len;
    char *z = book(1, names, sheets, NULL, date_styles, "date1904=\"1\"", &len), out[256];
    cr_assert_eq(dump(z, len, NULL, NULL, out, sizeof out), QALA_OK);
    cr_expect_str_eq(out, "1:2023-01-01|1904-01-01\n");
    free(z);
    free(sheet);
}

Test(xlsx_reader, date_formats_are_recognised_outside_quotes_and_brackets)
{
    cr_expect(qala_xlsx__is_date_format(14, NULL));
    cr_expect(qala_xlsx__is_date_format(47, NULL));
    cr_expect(!qala_xlsx__is_date_format(2, NULL));
    cr_expect(qala_xlsx__is_date_format(164, "dd.mm.yyyy"));
    cr_expect(qala_xlsx__is_date_format(164, "[$-419]mmmm yyyy"));
    cr_expect(!qala_xlsx__is_date_format(164, "\"day \"0.0"));
    cr_expect(!qala_xlsx__is_date_format(164, "[Red]#,##0"));
    cr_expect(!qala_xlsx__is_date_format(164, "[h]:mm")); /* elapsed hours: a duration */
}

Test(xlsx_reader, cell_references_cover_a1_to_xfd1048576)
{
    long row;
    size_t col;
    cr_assert(qala_xlsx__parse_ref("A1", &row, &col));
    cr_expect(row == 1 && col == 0);
    cr_assert(qala_xlsx__parse_ref("AA10", &row, &col));
    cr_expect(row == 10 && col == 26);
    cr_assert(qala_xlsx__parse_ref("XFD1048576", &row, &col));
    cr_expect(row == 1048576 && col == 16383);
    cr_expect(!qala_xlsx__parse_ref("XFE1", &row, &col));
    cr_expect(!qala_xlsx__parse_ref("A0", &row, &col));
    cr_expect(!qala_xlsx__parse_ref("A1048577", &row, &col));
    cr_expect(!qala_xlsx__parse_ref("a1", &row, &col));
    cr_expect(!qala_xlsx__parse_ref("B2C", &row, &col));
}

Test(xlsx_reader, indent_levels_come_from_the_cell_format)
{
    expect_sheet("<row r=\"1\"><c t=\"inlineStr\" s=\"1\"><is><t>Kostanay</t></is></c><c><v>1</v></c></row>", NULL,
                 NULL, "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"0\" applyAlignment=\"1\">"
                 "<alignment indent=\"2\"/></xf></cellXfs>",
                 "1:Kostanay^2|1\n");
}

Test(xlsx_reader, merged_ranges_are_read_before_the_rows)
{
    size_t len;
    char *z = book1("<row r=\"1\"><c t=\"inlineStr\"><is><t>2022</t></is></c></row>",
                    "<mergeCells count=\"2\"><mergeCell ref=\"B1:D1\"/><mergeCell ref=\"A1:A2\"/></mergeCells>",
                    NULL, NULL, &len);
    qala_xlsx *x;
    qala_xlsx_sheet *s;
    cr_assert_eq(qala_xlsx__open_buffer(&x, z, len, "t.xlsx", NULL), QALA_OK);
    cr_assert_eq(qala_xlsx__sheet_open(&s, x, 0), QALA_OK);
    cr_assert_eq(qala_xlsx__sheet_nmerged(s), 2);
    const qala_xlsx_range *r = qala_xlsx__sheet_merged(s, 0);
    cr_expect(r->row1 == 1 && r->row2 == 1 && r->col1 == 1 && r->col2 == 3);
    r = qala_xlsx__sheet_merged(s, 1);
    cr_expect(r->row1 == 1 && r->row2 == 2 && r->col1 == 0 && r->col2 == 0);
    qala_xlsx__sheet_close(s);
    qala_xlsx__close(x);
    free(z);
}

Test(xlsx_reader, sheets_are_found_by_name_case_or_number)
{
    char *a = sheet_xml("<row r=\"1\"><c><v>1</v></c></row>", NULL), *b = sheet_xml("<row r=\"1\"><c><v>2</v></c></row>", NULL);
    const char *names[] = {"Population", "Wages 2022"}, *sheets[] = {a, b};
    size_t len;
    char *z = book(2, names, sheets, NULL, NULL, NULL, &len), out[256];
    cr_assert_eq(dump(z, len, "Wages 2022", NULL, out, sizeof out), QALA_OK);
    cr_expect_str_eq(out, "1:2\n");
    cr_assert_eq(dump(z, len, "population", NULL, out, sizeof out), QALA_OK);
    cr_expect_str_eq(out, "1:1\n");
    cr_assert_eq(dump(z, len, "2", NULL, out, sizeof out), QALA_OK);
    cr_expect_str_eq(out, "1:2\n");
    cr_assert_eq(dump(z, len, NULL, NULL, out, sizeof out), QALA_OK);
    cr_expect_str_eq(out, "1:1\n");
    expect_error(z, 0, NULL, QALA_EPARSE, "not an XLSX workbook: an empty file or an empty zip archive");
    cr_assert_eq(dump(z, len, "3", NULL, out, sizeof out), QALA_ENOTFOUND);
    cr_expect_str_eq(qala_error_last()->message,
                     "no sheet \"3\": the workbook has \"Population\", \"Wages 2022\" (or give a number from 1 to 2)");
    free(z);
    free(a);
    free(b);
}

Test(xlsx_reader, not_a_zip_is_refused)
{
    const char text[] = "unit,indicator,period,value\n";
    expect_error(text, sizeof text - 1, NULL, QALA_EPARSE, "not an XLSX workbook: not a zip archive");
}

Test(xlsx_reader, a_zip_without_a_workbook_is_refused)
{
    part parts[] = {{"hello.txt", "hello", 0, 0}};
    size_t len;
    char *z = zip_parts(parts, 1, &len);
    expect_error(z, len, NULL, QALA_EPARSE, "not an XLSX workbook: no part xl/workbook.xml");
    free(z);
}

Test(xlsx_reader, bad_xml_names_the_part_line_and_column)
{
    size_t len;
    char *z = book1("<row r=\"1\"><c><v>1</v></row>", NULL, NULL, NULL, &len);
    expect_error(z, len, NULL, QALA_EPARSE, "bad XML in part xl/worksheets/sheet1.xml: mismatched tag");
    cr_expect_eq(qala_error_last()->line, 1);
    cr_expect_gt(qala_error_last()->column, 100);
    free(z);
}

Test(xlsx_reader, a_doctype_is_refused_so_no_entity_can_expand)
{
    const char *sheet = "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\">]>"
                        "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&a;</t></is></c></row>"
                        "</sheetData></worksheet>";
    const char *names[] = {"Data"}, *sheets[] = {sheet};
    size_t len;
    char *z = book(1, names, sheets, NULL, NULL, NULL, &len);
    expect_error(z, len, NULL, QALA_EPARSE, "part xl/worksheets/sheet1.xml has a DOCTYPE: not allowed in XLSX");
    free(z);
}

Test(xlsx_reader, a_zip_bomb_is_refused_before_it_is_inflated)
{
    /* 64 MiB of one repeated row compresses about 1000 times */
    size_t n = (size_t)64 << 20;
    char *big = malloc(n + 200);
    strcpy(big, "<worksheet><sheetData>");
    size_t o = strlen(big);
    while (o + 64 < n)
        o += (size_t)sprintf(big + o, "<row><c><v>0</v></c></row>");
    strcpy(big + o, "</sheetData></worksheet>");
    const char *names[] = {"Data"}, *sheets[] = {big};
    size_t len;
    char *z = book(1, names, sheets, NULL, NULL, NULL, &len);
    char out[64];
    qala_status st = dump(z, len, NULL, NULL, out, sizeof out);
    cr_assert_eq(st, QALA_ELIMIT, "status %d", st);
    cr_expect(strstr(qala_error_last()->message, "part xl/worksheets/sheet1.xml would expand ") != NULL, "%s",
              qala_error_last()->message);
    cr_expect(strstr(qala_error_last()->message, "refused as a zip bomb (the limit is 200 times)") != NULL);
    free(z);
    free(big);
}

Test(xlsx_reader, size_limits_give_clear_errors)
{
    size_t len;
    char *z = book1("<row r=\"1\"><c><v>1</v></c><c><v>2</v></c></row><row r=\"2\"><c><v>3</v></c></row>", NULL,
                    "<si><t>0123456789</t></si>", NULL, &len);
    qala_xlsx_limits cells = {.max_cells = 2};
    expect_error(z, len, &cells, QALA_ELIMIT, "sheet \"Data\" has more than 2 cells");
    cr_expect_eq(qala_error_last()->line, 2);
    qala_xlsx_limits strings = {.max_string = 5};
    expect_error(z, len, &strings, QALA_ELIMIT, "shared string 0 is longer than 5 bytes");
    qala_xlsx_limits entries = {.max_entries = 3};
    expect_error(z, len, &entries, QALA_ELIMIT, "the archive has more than 3 entries");
    qala_xlsx_limits depth = {.max_depth = 3};
    expect_error(z, len, &depth, QALA_ELIMIT, "part xl/worksheets/sheet1.xml nests elements deeper than 3");
    qala_xlsx_limits total = {.max_total = 600};
    char out[64];
    cr_expect_eq(dump(z, len, NULL, &total, out, sizeof out), QALA_ELIMIT);
    cr_expect(strstr(qala_error_last()->message, "uncompressed bytes") != NULL, "%s", qala_error_last()->message);
    free(z);
}

Test(xlsx_reader, a_missing_shared_string_is_an_error_with_the_cell)
{
    size_t len;
    char *z = book1("<row r=\"3\"><c r=\"C3\" t=\"s\"><v>7</v></c></row>", NULL, "<si><t>a</t></si>", NULL, &len);
    expect_error(z, len, NULL, QALA_EPARSE, "cell C3 refers to shared string \"7\", but the workbook has 1");
    free(z);
}

Test(xlsx_reader, rows_out_of_order_are_an_error)
{
    size_t len;
    char *z = book1("<row r=\"3\"><c><v>1</v></c></row><row r=\"2\"><c><v>1</v></c></row>", NULL, NULL, NULL, &len);
    expect_error(z, len, NULL, QALA_EPARSE, "sheet \"Data\": row 2 comes after row 3 (rows out of order)");
    free(z);
}

Test(xlsx_reader, a_cell_longer_than_the_limit_is_an_error)
{
    size_t len;
    char *z = book1("<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>abcdefgh</t></is></c></row>", NULL, NULL, NULL, &len);
    qala_xlsx_limits lim = {.max_string = 4};
    expect_error(z, len, &lim, QALA_ELIMIT, "cell B1 is longer than 4 bytes");
    free(z);
}
