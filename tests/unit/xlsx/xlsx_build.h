/* tests/unit/xlsx/xlsx_build.h — XLSX workbooks built in the test from XML text, with
 * libzip, so that every fixture can be read next to the test that uses it (no opaque
 * binaries). book() makes the usual package: content types, package relationships, a
 * workbook with its relationships, the given sheets, shared strings and styles.
 */
#ifndef QALA_TEST_XLSX_BUILD_H
#define QALA_TEST_XLSX_BUILD_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

typedef struct part {
    const char *name;
    const char *data;
    size_t len;  /* 0: strlen(data) */
    int store;   /* 1: stored uncompressed */
} part;

/* Zips the parts into a malloc'd buffer (*len bytes). */
static char *zip_parts(const part *parts, size_t n, size_t *len)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
    cr_assert_not_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
    cr_assert_not_null(za, "zip_open_from_source: %s", zip_error_strerror(&err));
    zip_source_keep(src);
    for (size_t i = 0; i < n; i++) {
        size_t l = parts[i].len ? parts[i].len : strlen(parts[i].data);
        zip_source_t *s = zip_source_buffer(za, parts[i].data, l, 0);
        cr_assert_not_null(s);
        zip_int64_t idx = zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8);
        cr_assert_geq(idx, 0, "zip_file_add %s", parts[i].name);
        if (parts[i].store)
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    cr_assert_eq(zip_close(za), 0, "zip_close: %s", zip_strerror(za));
    cr_assert_eq(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    char *buf = malloc((size_t)size);
    cr_assert_eq(zip_source_read(src, buf, (zip_uint64_t)size), size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&err);
    *len = (size_t)size;
    return buf;
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

/* A sheet part from the XML inside <sheetData> and what follows it (merged cells). */
static char *sheet_xml(const char *rows, const char *after)
{
    static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" NS_MAIN
                               "\" xmlns:r=\"" NS_REL "\"><sheetData>";
    size_t n = sizeof head + strlen(rows) + strlen(after ? after : "") + 64;
    char *s = malloc(n);
    snprintf(s, n, "%s%s</sheetData>%s</worksheet>", head, rows, after ? after : "");
    return s;
}

/* A workbook: nsheets sheets named names[i] with sheet XML sheets[i] (from sheet_xml or
 * any text), shared strings sst (the <si> elements, or NULL: no part), styles (the
 * inside of <styleSheet>, or NULL), workbookPr attributes (NULL: none). */
static char *book(size_t nsheets, const char *const *names, const char *const *sheets, const char *sst,
                  const char *styles, const char *workbook_pr, size_t *len)
{
    char wb[4096], rels[4096], *sst_xml = NULL, *styles_xml = NULL;
    size_t o = (size_t)snprintf(wb, sizeof wb, "<?xml version=\"1.0\"?><workbook xmlns=\"" NS_MAIN
                                "\" xmlns:r=\"" NS_REL "\"><workbookPr %s/><sheets>",
                                workbook_pr ? workbook_pr : "");
    size_t r = (size_t)snprintf(rels, sizeof rels, "<?xml version=\"1.0\"?><Relationships xmlns=\""
                                "http://schemas.openxmlformats.org/package/2006/relationships\">");
    part parts[32];
    char names_buf[16][40];
    size_t np = 0;
    parts[np++] = (part){"[Content_Types].xml", content_types, 0, 0};
    parts[np++] = (part){"_rels/.rels", package_rels, 0, 0};
    for (size_t i = 0; i < nsheets; i++) {
        o += (size_t)snprintf(wb + o, sizeof wb - o, "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>",
                              names[i], i + 1, i + 1);
        r += (size_t)snprintf(rels + r, sizeof rels - r,
                              "<Relationship Id=\"rId%zu\" Type=\"" REL_TYPE "worksheet\" Target=\"worksheets/sheet%zu.xml\"/>",
                              i + 1, i + 1);
        snprintf(names_buf[i], sizeof names_buf[i], "xl/worksheets/sheet%zu.xml", i + 1);
        parts[np++] = (part){names_buf[i], sheets[i], 0, 0};
    }
    snprintf(wb + o, sizeof wb - o, "</sheets></workbook>");
    if (sst) {
        size_t n = strlen(sst) + 200;
        sst_xml = malloc(n);
        snprintf(sst_xml, n, "<?xml version=\"1.0\"?><sst xmlns=\"" NS_MAIN "\">%s</sst>", sst);
        r += (size_t)snprintf(rels + r, sizeof rels - r,
                              "<Relationship Id=\"rId90\" Type=\"" REL_TYPE "sharedStrings\" Target=\"sharedStrings.xml\"/>");
        parts[np++] = (part){"xl/sharedStrings.xml", sst_xml, 0, 0};
    }
    if (styles) {
        size_t n = strlen(styles) + 200;
        styles_xml = malloc(n);
        snprintf(styles_xml, n, "<?xml version=\"1.0\"?><styleSheet xmlns=\"" NS_MAIN "\">%s</styleSheet>", styles);
        r += (size_t)snprintf(rels + r, sizeof rels - r,
                              "<Relationship Id=\"rId91\" Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/>");
        parts[np++] = (part){"xl/styles.xml", styles_xml, 0, 0};
    }
    snprintf(rels + r, sizeof rels - r, "</Relationships>");
    parts[np++] = (part){"xl/workbook.xml", wb, 0, 0};
    parts[np++] = (part){"xl/_rels/workbook.xml.rels", rels, 0, 0};
    char *z = zip_parts(parts, np, len);
    free(sst_xml);
    free(styles_xml);
    return z;
}

/* One sheet named "Data" with the given rows. */
static char *book1(const char *rows, const char *after, const char *sst, const char *styles, size_t *len)
{
    char *sheet = sheet_xml(rows, after);
    const char *names[] = {"Data"}, *sheets[] = {sheet};
    char *z = book(1, names, sheets, sst, styles, NULL, len);
    free(sheet);
    return z;
}

#endif
