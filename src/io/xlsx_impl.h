/* src/io/xlsx_impl.h — what xlsx.c (the workbook) and xlsx_sheet.c (the sheet stream)
 * share: the workbook object, the capped reading of zip entries and the XML helpers.
 */
#ifndef QALA_IO_XLSX_IMPL_H
#define QALA_IO_XLSX_IMPL_H

#include <expat.h>
#include <zip.h>

#include "io/xlsx.h"
#include "util/internal.h"

#define XLSX_CHUNK ((size_t)64 << 10)

typedef struct xlsx_sheet_ref {
    char *name;
    char *part; /* the sheet's zip entry, "xl/worksheets/sheet1.xml"; NULL: not a worksheet */
} xlsx_sheet_ref;

typedef struct xlsx_style {
    unsigned char is_date;
    unsigned char indent;
} xlsx_style;

struct qala_xlsx {
    zip_t *zip;
    char *label;
    qala_xlsx_limits lim;
    size_t total_read;        /* uncompressed bytes read from all entries so far */
    xlsx_sheet_ref *sheets;
    size_t nsheets, cap_sheets;
    int date1904;
    /* shared strings: text (each NUL-terminated) and the offset of each */
    qala_buf sst;
    size_t *sst_off;
    size_t nsst, cap_sst;
    xlsx_style *styles;
    size_t nstyles, cap_styles;
};

/* An open zip entry, read with the caps of the workbook. */
typedef struct xlsx_entry {
    qala_xlsx *x;
    zip_file_t *zf;
    const char *name;
    size_t size; /* declared uncompressed size */
    size_t done;
} xlsx_entry;

/* Opens entry `name`. QALA_ENOTFOUND (nothing recorded) when absent and optional; else
 * QALA_EPARSE "not an XLSX workbook: no NAME", QALA_ELIMIT (zip bomb, total size). */
qala_status qala_xlsx__entry_open(xlsx_entry *e, qala_xlsx *x, const char *name, int optional);
/* Reads up to cap bytes; *n = 0 at the end. */
qala_status qala_xlsx__entry_read(xlsx_entry *e, char *buf, size_t cap, size_t *n);
void qala_xlsx__entry_close(xlsx_entry *e);

/* The state every XML handler of the reader carries first. */
typedef struct xlsx_xml {
    qala_xlsx *x;
    const char *part;
    XML_Parser p;
    unsigned depth;
    qala_status err; /* set by a handler, which then stops the parser */
} xlsx_xml;

/* An expat parser allocating through qala_mem__, refusing DOCTYPEs; NULL when out of
 * memory (recorded). userdata must start with an xlsx_xml. */
XML_Parser qala_xlsx__parser(xlsx_xml *xml);
/* Counts depth on start tags (returns 0 and stops the parser past max_depth). */
int qala_xlsx__enter(xlsx_xml *xml);
/* Stops the parser with an error already recorded. */
void qala_xlsx__fail(xlsx_xml *xml, qala_status st);
/* The status for a parse that returned XML_STATUS_ERROR (the handler's, or EPARSE with
 * the part, line, column and expat's message, or ENOMEM). */
qala_status qala_xlsx__xml_error(xlsx_xml *xml);
/* The local name of an element or attribute ("x:row" → "row"). */
const char *qala_xlsx__local(const char *name);
/* The value of attribute `name` (local name), or NULL. */
const char *qala_xlsx__attr(const char **atts, const char *name);

#endif
