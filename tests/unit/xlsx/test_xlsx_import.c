/* XLSX workbooks through the importer (src/io/xlsx_table.c, src/import.c): official
 * table layouts (title block, headers over several rows with merged cells, indented unit
 * names, headings, notes under the table), the preview, findings with Excel row and
 * column numbers, unreadable workbooks as findings, and each allocation failing in turn.
 * Units and indicators are the fictional ones of import/import_fixture.h. */
#include "import/import_fixture.h"
#include "xlsx_build.h"

TestSuite(xlsx_import, .init = fx_build, .fini = fx_free);

/* The layout of a population table as statistics offices publish it: a title merged
 * across the table, a subtitle, years over total / men / women, indented names, an empty
 * row and a footnote under the table. Fictional figures. */
static const char official_sst[] =
    "<si><t>Population by region, persons</t></si>"  /* 0 */
    "<si><t>at the beginning of the year</t></si>"   /* 1 */
    "<si><t>Region</t></si>"                         /* 2 */
    "<si><t>total</t></si><si><t>men</t></si><si><t>women</t></si>" /* 3 4 5 */
    "<si><t>North Province</t></si>"                 /* 6 */
    "<si><t>  Testville</t></si>"                    /* 7 */
    "<si><t>Sampleton</t></si>"                      /* 8 */
    "<si><t>* estimates of the statistics office</t></si>" /* 9 */
    "<si><t>including:</t></si>";                    /* 10 */

static const char official_rows[] =
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>2</v></c><c r=\"B3\"><v>2022</v></c><c r=\"E3\"><v>2023</v></c></row>"
    "<row r=\"4\"><c r=\"B4\" t=\"s\"><v>3</v></c><c r=\"C4\" t=\"s\"><v>4</v></c><c r=\"D4\" t=\"s\"><v>5</v></c>"
    "<c r=\"E4\" t=\"s\"><v>3</v></c><c r=\"F4\" t=\"s\"><v>4</v></c><c r=\"G4\" t=\"s\"><v>5</v></c></row>"
    "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>6</v></c><c r=\"B5\"><v>1500</v></c><c r=\"C5\"><v>700</v></c>"
    "<c r=\"D5\"><v>800</v></c><c r=\"E5\"><v>1510</v></c><c r=\"F5\"><v>705</v></c><c r=\"G5\"><v>805</v></c></row>"
    "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>10</v></c></row>"
    "<row r=\"7\"><c r=\"A7\" t=\"s\"><v>7</v></c><c r=\"B7\"><v>1000.5</v></c><c r=\"E7\"><v>1010</v></c></row>"
    "<row r=\"8\"><c r=\"A8\" t=\"s\" s=\"1\"><v>8</v></c><c r=\"B8\"><v>500</v></c><c r=\"E8\" t=\"inlineStr\">"
    "<is><t>-</t></is></c></row>"
    "<row r=\"10\"><c r=\"A10\" t=\"s\"><v>9</v></c></row>"
    "<row r=\"11\"><c r=\"A11\" t=\"s\"><v>6</v></c><c r=\"B11\"><v>1</v></c></row>";

static const char official_merges[] =
    "<mergeCells count=\"4\"><mergeCell ref=\"A1:G1\"/><mergeCell ref=\"A3:A4\"/>"
    "<mergeCell ref=\"B3:D3\"/><mergeCell ref=\"E3:G3\"/></mergeCells>";

static const char indent_styles[] =
    "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"0\"><alignment indent=\"1\"/></xf></cellXfs>";

#define MAX_LINES 64
static char preview_lines[MAX_LINES][512];
static size_t npreview;

static void on_preview(void *ctx, const char *line)
{
    (void)ctx;
    cr_assert_lt(npreview, MAX_LINES);
    snprintf(preview_lines[npreview++], sizeof preview_lines[0], "%s", line);
}

static qala_status import_book(const char *data, size_t len, const qala_import_options *opt)
{
    return qala_import_buffer(ds, fnd, &stats, data, len, "t.xlsx", reg, fw, opt);
}

static void expect_finding(size_t i, qala_severity sev, long line, long column, const char *rule, const char *msg)
{
    cr_assert_lt(i, qala_findings_count(fnd), "finding %zu: only %zu", i, qala_findings_count(fnd));
    const qala_finding *f = qala_findings_get(fnd, i);
    cr_expect_eq(f->severity, sev, "finding %zu severity", i);
    cr_expect_str_eq(f->file, "t.xlsx");
    cr_expect_eq(f->line, line, "finding %zu line %ld, expected %ld", i, f->line, line);
    cr_expect_eq(f->column, column, "finding %zu column %ld, expected %ld", i, f->column, column);
    cr_expect_str_eq(f->rule, rule);
    cr_expect_str_eq(f->message, msg);
}

Test(xlsx_import, an_official_table_with_a_two_row_header_reads_the_totals)
{
    size_t len;
    char *z = book1(official_rows, official_merges, official_sst, indent_styles, &len);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.header_rows = 2;
    opt.indicator = "population";
    cr_assert_eq(import_book(z, len, &opt), QALA_OK, "%s",
                 qala_findings_count(fnd) ? qala_findings_get(fnd, 0)->message : "");
    cr_expect_eq(stats.layout, QALA_LAYOUT_WIDE_PERIODS);
    cr_expect_str_eq(stats.encoding, "XLSX");
    cr_expect_str_eq(stats.sheet, "Data");
    cr_expect_eq(stats.rows, 3);
    cr_expect_eq(stats.missing, 1);
    cr_assert_eq(qala_dataset_size(ds), 5);
    fx_expect_obs("TL-N", "population", 202200, 1500, QALA_FLAG_NONE);
    fx_expect_obs("TL-N", "population", 202300, 1510, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202200, 1000.5, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "population", 202300, 1010, QALA_FLAG_NONE);
    fx_expect_obs("TL-SP", "population", 202200, 500, QALA_FLAG_NONE);
    cr_expect_eq(fx_line_of("TL-SP", "population", 202200), 8); /* the Excel row */
    /* men and women are not indicators: four warnings, on the header's first row */
    cr_assert_eq(qala_findings_count(fnd), 4);
    expect_finding(0, QALA_SEVERITY_WARNING, 3, 3, "column-ignored",
                   "column \"2022|men\" ignored: \"men\" is not a period, an indicator of the framework or a total");
    free(z);
}

Test(xlsx_import, the_preview_shows_header_keys_rows_and_skipped_rows)
{
    size_t len;
    char *z = book1(official_rows, official_merges, official_sst, indent_styles, &len);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.header_rows = 2;
    opt.indicator = "population";
    opt.on_preview = on_preview;
    npreview = 0;
    cr_assert_eq(import_book(z, len, &opt), QALA_OK);
    const char *want[] = {
        "t.xlsx: sheet \"Data\" (number 1); header: rows 3-4",
        "layout: wide by period",
        "  column A \"Region\": unit",
        "  column B \"2022|total\": values for 2022",
        "  column C \"2022|men\": ignored",
        "  column D \"2022|women\": ignored",
        "  column E \"2023|total\": values for 2023",
        "  column F \"2023|men\": ignored",
        "  column G \"2023|women\": ignored",
        "  row 5: \"North Province\" -> TL-N: population 2022 = 1500; population 2023 = 1510",
        "  row 7: \"Testville\" (level 1) -> TL-TV: population 2022 = 1000.5; population 2023 = 1010",
        "  row 8: \"Sampleton\" (level 1) -> TL-SP: population 2022 = 500",
        "skipped rows: 5",
        "  row 1: title \"Population by region, persons\"",
        "  row 2: title \"at the beginning of the year\"",
        "  row 6: heading without values \"including:\"",
        "  row 10: note under the table \"* estimates of the statistics office\"",
        "  row 11: note under the table \"North Province\"",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cr_assert_lt(i, npreview, "only %zu preview lines", npreview);
        cr_expect_str_eq(preview_lines[i], want[i], "preview line %zu", i);
    }
    cr_expect_eq(npreview, sizeof want / sizeof want[0]);
    free(z);
}

Test(xlsx_import, header_keys_naming_indicator_and_period_need_no_indicator_option)
{
    size_t len;
    char *z = book1("<row r=\"1\"><c t=\"inlineStr\"><is><t>Region</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>"
                    "Population</t></is></c><c r=\"D1\" t=\"inlineStr\"><is><t>unemployment_pct</t></is></c></row>"
                    "<row r=\"2\"><c r=\"B2\"><v>2022</v></c><c r=\"C2\"><v>2023</v></c><c r=\"D2\"><v>2022</v></c>"
                    "<c r=\"E2\"><v>2023</v></c></row>"
                    "<row r=\"3\"><c t=\"inlineStr\"><is><t>Testville</t></is></c><c><v>1000</v></c><c><v>1010</v></c>"
                    "<c><v>4.5</v></c><c><v>4.25</v></c></row>",
                    "<mergeCells><mergeCell ref=\"B1:C1\"/><mergeCell ref=\"D1:E1\"/></mergeCells>", NULL, NULL, &len);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.header_rows = 2;
    cr_assert_eq(import_book(z, len, &opt), QALA_OK, "%s",
                 qala_findings_count(fnd) ? qala_findings_get(fnd, 0)->message : "");
    cr_assert_eq(qala_dataset_size(ds), 4);
    fx_expect_obs("TL-TV", "population", 202300, 1010, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "unemployment_pct", 202200, 4.5, QALA_FLAG_NONE);
    fx_expect_obs("TL-TV", "unemployment_pct", 202300, 4.25, QALA_FLAG_NONE);
    free(z);
}

Test(xlsx_import, skip_rows_and_a_later_sheet_by_name)
{
    char *first = sheet_xml("<row r=\"1\"><c><v>1</v></c></row>", NULL);
    /* the title row has two filled cells, so only --skip-rows can skip it */
    char *second = sheet_xml("<row r=\"1\"><c t=\"inlineStr\"><is><t>Table 2</t></is></c><c t=\"inlineStr\"><is><t>"
                             "persons</t></is></c></row>"
                             "<row r=\"2\"><c t=\"inlineStr\"><is><t>unit</t></is></c><c><v>2021</v></c></row>"
                             "<row r=\"3\"><c t=\"inlineStr\"><is><t>TL-SP</t></is></c><c><v>700</v></c></row>", NULL);
    const char *names[] = {"Notes", "Population"}, *sheets[] = {first, second};
    size_t len;
    char *z = book(2, names, sheets, NULL, NULL, NULL, &len);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.sheet = "Population";
    opt.skip_rows = 1;
    opt.indicator = "population";
    cr_assert_eq(import_book(z, len, &opt), QALA_OK, "%s",
                 qala_findings_count(fnd) ? qala_findings_get(fnd, 0)->message : "");
    fx_expect_obs("TL-SP", "population", 202100, 700, QALA_FLAG_NONE);
    cr_expect_str_eq(stats.sheet, "Population");
    free(z);
    free(first);
    free(second);
}

Test(xlsx_import, errors_name_the_excel_row_and_column)
{
    size_t len;
    char *z = book1("<row r=\"2\"><c t=\"inlineStr\"><is><t>unit</t></is></c><c r=\"B2\"><v>2021</v></c>"
                    "<c r=\"C2\"><v>2022</v></c></row>"
                    "<row r=\"3\"><c t=\"inlineStr\"><is><t>Testville</t></is></c><c><v>1000</v></c>"
                    "<c t=\"inlineStr\"><is><t>many</t></is></c></row>"
                    "<row r=\"4\"><c t=\"inlineStr\"><is><t>Sampleton</t></is></c><c><v>700</v></c><c><v>710</v></c></row>",
                    NULL, NULL, NULL, &len);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.indicator = "population";
    cr_assert_eq(import_book(z, len, &opt), QALA_EDATA);
    cr_assert_eq(qala_findings_count(fnd), 1);
    expect_finding(0, QALA_SEVERITY_ERROR, 3, 3, "not-a-number",
                   "\"many\" is not a number: expected digits with an optional sign, decimal mark and thousands "
                   "separators, or a missing-value marker such as \"-\"");
    cr_expect_eq(qala_dataset_size(ds), 2); /* the valid row only */
    cr_expect_eq(stats.rejected_rows, 1);
    free(z);
}

Test(xlsx_import, an_unreadable_workbook_is_a_finding_and_adds_nothing)
{
    part parts[] = {{"hello.txt", "hello", 0, 0}};
    size_t len;
    char *z = zip_parts(parts, 1, &len);
    cr_assert_eq(import_book(z, len, NULL), QALA_EDATA);
    cr_assert_eq(qala_findings_count(fnd), 1);
    expect_finding(0, QALA_SEVERITY_ERROR, 0, 0, "xlsx", "not an XLSX workbook: no part xl/workbook.xml");
    cr_expect_eq(qala_dataset_size(ds), 0);
    free(z);
}

Test(xlsx_import, a_missing_sheet_is_a_finding_listing_the_sheets)
{
    size_t len;
    char *z = book1("<row r=\"1\"><c><v>1</v></c></row>", NULL, NULL, NULL, &len);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.sheet = "Wages";
    cr_assert_eq(import_book(z, len, &opt), QALA_EDATA);
    expect_finding(0, QALA_SEVERITY_ERROR, 0, 0, "xlsx",
                   "no sheet \"Wages\": the workbook has \"Data\" (or give a number from 1 to 1)");
    free(z);
}

Test(xlsx_import, bad_xml_in_the_data_is_a_finding_after_the_rows_before_it)
{
    size_t len;
    char *z = book1("<row r=\"1\"><c t=\"inlineStr\"><is><t>unit</t></is></c><c><v>2021</v></c></row>"
                    "<row r=\"2\"><c t=\"inlineStr\"><is><t>Testville</t></is></c><c><v>1000</v></c></row>"
                    "<row r=\"3\"><c><v>1</c></row>",
                    NULL, NULL, NULL, &len);
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.indicator = "population";
    cr_assert_eq(import_book(z, len, &opt), QALA_EDATA);
    cr_assert_eq(qala_findings_count(fnd), 1);
    const qala_finding *f = qala_findings_get(fnd, 0);
    cr_expect_str_eq(f->rule, "xlsx");
    cr_expect_str_eq(f->message, "bad XML in part xl/worksheets/sheet1.xml: mismatched tag");
    free(z);
}

Test(xlsx_import, sheet_options_are_refused_for_csv)
{
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.sheet = "Data";
    cr_assert_eq(fx_import("unit,indicator,period,value\n", &opt), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "--sheet is for XLSX workbooks; t.csv is read as CSV");
    opt.sheet = NULL;
    opt.header_rows = 2;
    cr_assert_eq(fx_import("unit,indicator,period,value\n", &opt), QALA_EINVAL);
    cr_expect_str_eq(qala_error_last()->message, "--header-rows is for XLSX workbooks; t.csv is read as CSV");
}

Test(xlsx_import, an_old_xls_file_gets_advice)
{
    const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an OLE file";
    cr_assert_eq(import_book(ole, sizeof ole - 1, NULL), QALA_EDATA);
    expect_finding(0, QALA_SEVERITY_ERROR, 0, 0, "xlsx",
                   "an Excel 97-2003 (.xls) file or an encrypted workbook: save it as .xlsx");
}
