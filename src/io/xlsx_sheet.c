/* src/io/xlsx_sheet.c — streaming one worksheet of an XLSX workbook, a row at a time.
 *
 * Second stage of an XLSX import: xlsx.c has opened the workbook (shared strings,
 * styles); here the sheet's XML is decompressed in 64 KiB chunks and parsed by expat,
 * which is suspended (XML_StopParser with resume) at every </row>: the caller reads the
 * row's cells and the next call resumes the parser where it stopped. Before that, one
 * quick pass over the same part collects the merged ranges (<mergeCells> comes after
 * <sheetData>, but the table needs them for its header rows).
 * Cells are converted to text here (see xlsx.h): shared-string indexes looked up, dates
 * formatted from their serial numbers, numbers rounded to 15 significant digits.
 * Invariants: the current row's cells are slots indexed by column, each an offset into
 * one text buffer (NUL-terminated), reset when the next <row> starts; ncells is one past
 * the last non-empty column. Memory: one row, the merged ranges. Workload: a sheet of up
 * to millions of rows; no allocation per row once the buffers have grown.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/number.h"
#include "io/xlsx_impl.h"

#define MAX_ROW ((long)1048576)
#define MAX_COLS ((size_t)16384)
#define MAX_ROW_TEXT ((size_t)64 << 20)
#define MAX_MERGED ((size_t)1 << 20)

typedef struct cell_slot {
    size_t off, len;
    unsigned char indent;
} cell_slot;

struct qala_xlsx_sheet {
    xlsx_xml xml; /* first: the handlers' userdata */
    qala_xlsx *x;
    const char *name;
    xlsx_entry e;
    int suspended, final_fed, finished, sheet_done;
    /* the current row */
    long row, last_row;
    int row_ready, in_sheet_data, in_row;
    qala_buf text;
    cell_slot *cells;
    size_t cap_cells, ncells, nslots; /* nslots: slots touched since the last reset */
    /* the current cell */
    int in_cell, collecting, in_is, in_rph;
    size_t col, next_col;
    char type;
    unsigned style;
    qala_buf val;
    size_t cells_total;
    qala_xlsx_range *merged;
    size_t nmerged, cap_merged;
};

/* ---- references, dates, numbers --------------------------------------------------- */

int qala_xlsx__parse_ref(const char *ref, long *row, size_t *col)
{
    size_t c = 0, i = 0;
    while (ref[i] >= 'A' && ref[i] <= 'Z' && i < 3)
        c = c * 26 + (size_t)(ref[i++] - 'A' + 1);
    if (i == 0 || c > MAX_COLS || ref[i] < '1' || ref[i] > '9')
        return 0;
    long r = 0;
    for (; ref[i] >= '0' && ref[i] <= '9'; i++)
        if ((r = r * 10 + (ref[i] - '0')) > MAX_ROW)
            return 0;
    if (ref[i] != '\0')
        return 0;
    *row = r;
    *col = c - 1;
    return 1;
}

int qala_xlsx__is_date_format(unsigned id, const char *code)
{
    if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47))
        return 1;
    if (!code)
        return 0;
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"': /* quoted text */
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
            break;
        case '[': /* [Red], [$-419]; [h], [mm], [ss] are elapsed time: a duration */
            if (strchr("hHmMsS", p[1]) && p[1] && (p[2] == ']' || (p[2] == p[1] && p[3] == ']')))
                return 0;
            while (p[1] && p[1] != ']')
                p++;
            if (p[1])
                p++;
            break;
        case '\\': case '_': case '*': /* an escaped, padding or fill character */
            if (p[1])
                p++;
            break;
        case ';': /* only the first section decides */
            return 0;
        case 'd': case 'D': case 'm': case 'M': case 'y': case 'Y': case 'h': case 'H':
        case 's': case 'S':
            return 1;
        default:
            break;
        }
    }
    return 0;
}

/* Days since 1970-01-01 → civil date (H. Hinnant's days_from_civil, inverted). */
static void civil_from_days(long z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

int qala_xlsx__format_date(char *buf, size_t size, double serial, int date1904)
{
    if (!(serial >= 0) || serial >= (date1904 ? 2957004.0 : 2958466.0))
        return 0;
    long days = (long)floor(serial);
    long secs = lround((serial - (double)days) * 86400.0);
    if (secs >= 86400)
        days++, secs -= 86400;
    int y;
    unsigned m, d;
    if (!date1904 && days == 60) {
        y = 1900, m = 2, d = 29; /* Excel's phantom leap day (kept from Lotus 1-2-3) */
    } else {
        /* 1900 system: serial 1 is 1900-01-01 (day -25567 from 1970-01-01) and serials
         * after the phantom day are one ahead; 1904 system: serial 0 is 1904-01-01. */
        long epoch = date1904 ? -24107 : (days < 60 ? -25568 : -25569);
        civil_from_days(epoch + days, &y, &m, &d);
    }
    if (secs == 0)
        snprintf(buf, size, "%04d-%02u-%02u", y, m, d);
    else
        snprintf(buf, size, "%04d-%02u-%02u %02ld:%02ld:%02ld", y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
    return 1;
}

/* %.15g with a decimal point whatever the locale; "1.2340" where the importer would take
 * "1.234" for a number with a thousands separator. */
static size_t format_number(char *buf, size_t size, double v)
{
    if (v == 0)
        v = 0; /* no "-0" */
    int n = snprintf(buf, size, "%.15g", v);
    size_t len = n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    const char *s = buf[0] == '-' ? buf + 1 : buf;
    const char *dot = strchr(s, '.');
    if (dot && dot > s && dot - s <= 3 && s[0] != '0' && strlen(dot + 1) == 3 &&
        strspn(s, "0123456789.") == strlen(s) && len + 1 < size) {
        buf[len++] = '0';
        buf[len] = '\0';
    }
    return len;
}

/* ---- the current row ----------------------------------------------------------------- */

static void fail(qala_xlsx_sheet *s, qala_status st)
{
    qala_xlsx__fail(&s->xml, st);
}

static const char *cell_ref(const qala_xlsx_sheet *s, char *buf, size_t size)
{
    char letters[4];
    size_t n = 0, c = s->col + 1;
    while (c && n < 3) {
        letters[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    size_t o = 0;
    while (n && o + 1 < size)
        buf[o++] = letters[--n];
    snprintf(buf + o, size - o, "%ld", s->row);
    return buf;
}

static void put_cell(qala_xlsx_sheet *s, const char *text, size_t len, unsigned char indent)
{
    if (len == 0)
        return;
    char ref[16];
    if (++s->cells_total > s->x->lim.max_cells) {
        fail(s, qala_err__set_at(QALA_ELIMIT, s->x->label, s->row, (long)s->col + 1,
                                 "sheet \"%s\" has more than %zu cells", s->name, s->x->lim.max_cells));
        return;
    }
    qala_status st = qala_mem__grow((void **)&s->cells, &s->cap_cells, s->col + 1, sizeof *s->cells);
    if (st != QALA_OK) {
        fail(s, st);
        return;
    }
    while (s->nslots <= s->col)
        s->cells[s->nslots++] = (cell_slot){0, 0, 0};
    size_t off = s->text.len;
    if ((st = qala_buf__append(&s->text, text, len)) != QALA_OK ||
        (st = qala_buf__putc(&s->text, '\0')) != QALA_OK) {
        if (st == QALA_ELIMIT)
            st = qala_err__set_at(QALA_ELIMIT, s->x->label, s->row, (long)s->col + 1,
                                  "row %ld holds more than %zu bytes of text (cell %s)", s->row,
                                  MAX_ROW_TEXT, cell_ref(s, ref, sizeof ref));
        fail(s, st);
        return;
    }
    s->cells[s->col] = (cell_slot){off, len, indent};
    if (s->col + 1 > s->ncells)
        s->ncells = s->col + 1;
}

static void end_cell(qala_xlsx_sheet *s)
{
    const qala_xlsx *x = s->x;
    const char *v = s->val.data ? s->val.data : "";
    size_t len = s->val.len;
    const xlsx_style *style = s->style < x->nstyles ? &x->styles[s->style] : NULL;
    unsigned char indent = style ? style->indent : 0;
    char buf[64], ref[16];
    switch (s->type) {
    case 's': {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (len == 0 || *end != '\0' || v[0] < '0' || v[0] > '9' || i >= x->nsst) {
            fail(s, qala_err__set_at(QALA_EPARSE, x->label, s->row, (long)s->col + 1,
                                     "cell %s refers to shared string \"%.20s\", but the workbook has %zu",
                                     cell_ref(s, ref, sizeof ref), v, x->nsst));
            return;
        }
        const char *t = x->sst.data + x->sst_off[i];
        put_cell(s, t, strlen(t), indent);
        return;
    }
    case 'b':
        if (len)
            put_cell(s, v[0] == '1' ? "TRUE" : "FALSE", v[0] == '1' ? 4 : 5, indent);
        return;
    case 'n': {
        double d;
        unsigned notes;
        if (len == 0)
            return;
        if (qala_number__parse(v, len, '.', &d, &notes) != QALA_NUMBER_OK) {
            put_cell(s, v, len, indent); /* not a number after all: keep the text */
            return;
        }
        size_t n = style && style->is_date && qala_xlsx__format_date(buf, sizeof buf, d, x->date1904)
                       ? strlen(buf) : format_number(buf, sizeof buf, d);
        put_cell(s, buf, n, indent);
        return;
    }
    default: /* inline string, formula string, error, ISO date */
        put_cell(s, v, len, indent);
        return;
    }
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    qala_xlsx_sheet *s = ud;
    if (!qala_xlsx__enter(&s->xml))
        return;
    const char *local = qala_xlsx__local(name);
    if (strcmp(local, "sheetData") == 0) {
        s->in_sheet_data = 1;
    } else if (!s->in_sheet_data) {
        return;
    } else if (strcmp(local, "row") == 0) {
        const char *r = qala_xlsx__attr(atts, "r");
        long n = s->last_row + 1;
        if (r) {
            char *end;
            n = strtol(r, &end, 10);
            if (*end != '\0' || n < 1 || n > MAX_ROW) {
                fail(s, qala_err__set_at(QALA_EPARSE, s->x->label, s->last_row + 1, 0,
                                         "sheet \"%s\": bad row number \"%.20s\"", s->name, r));
                return;
            }
        }
        if (n <= s->last_row) {
            fail(s, qala_err__set_at(QALA_EPARSE, s->x->label, n, 0,
                                     "sheet \"%s\": row %ld comes after row %ld (rows out of order)",
                                     s->name, n, s->last_row));
            return;
        }
        if (n > MAX_ROW) {
            fail(s, qala_err__set_at(QALA_EPARSE, s->x->label, n, 0, "sheet \"%s\": more than %ld rows",
                                     s->name, MAX_ROW));
            return;
        }
        for (size_t i = 0; i < s->nslots; i++)
            s->cells[i] = (cell_slot){0, 0, 0};
        s->nslots = s->ncells = 0;
        qala_buf__reset(&s->text);
        s->row = s->last_row = n;
        s->in_row = 1;
        s->next_col = 0;
    } else if (strcmp(local, "c") == 0 && s->in_row) {
        const char *r = qala_xlsx__attr(atts, "r"), *t = qala_xlsx__attr(atts, "t"),
                   *st = qala_xlsx__attr(atts, "s");
        long row;
        s->col = s->next_col;
        if (r && !qala_xlsx__parse_ref(r, &row, &s->col)) {
            fail(s, qala_err__set_at(QALA_EPARSE, s->x->label, s->row, 0,
                                     "sheet \"%s\": bad cell reference \"%.20s\"", s->name, r));
            return;
        }
        if (s->col >= MAX_COLS) {
            fail(s, qala_err__set_at(QALA_EPARSE, s->x->label, s->row, 0,
                                     "sheet \"%s\": more than %zu columns in row %ld", s->name, MAX_COLS, s->row));
            return;
        }
        s->next_col = s->col + 1;
        s->type = !t || strcmp(t, "n") == 0 ? 'n' : strcmp(t, "s") == 0 ? 's' : strcmp(t, "b") == 0 ? 'b'
                  : strcmp(t, "inlineStr") == 0 ? 'i' : strcmp(t, "e") == 0 ? 'e' : strcmp(t, "d") == 0 ? 'd' : 'S';
        s->style = st ? (unsigned)strtoul(st, NULL, 10) : 0;
        s->in_cell = 1;
        qala_buf__reset(&s->val);
    } else if (s->in_cell && strcmp(local, "v") == 0) {
        s->collecting = 1;
    } else if (s->in_cell && strcmp(local, "is") == 0) {
        s->in_is = 1;
    } else if (s->in_is && strcmp(local, "rPh") == 0) {
        s->in_rph = 1;
    } else if (s->in_is && !s->in_rph && strcmp(local, "t") == 0) {
        s->collecting = 1;
    }
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    qala_xlsx_sheet *s = ud;
    s->xml.depth--;
    if (!s->in_sheet_data)
        return;
    const char *local = qala_xlsx__local(name);
    if (strcmp(local, "v") == 0 || strcmp(local, "t") == 0) {
        s->collecting = 0;
    } else if (strcmp(local, "rPh") == 0) {
        s->in_rph = 0;
    } else if (strcmp(local, "is") == 0) {
        s->in_is = 0;
    } else if (strcmp(local, "c") == 0 && s->in_cell) {
        s->in_cell = s->collecting = 0;
        end_cell(s);
    } else if (strcmp(local, "row") == 0 && s->in_row) {
        s->in_row = 0;
        s->row_ready = 1;
        if (s->xml.err == QALA_OK)
            XML_StopParser(s->xml.p, XML_TRUE);
    } else if (strcmp(local, "sheetData") == 0) {
        s->in_sheet_data = 0;
        s->sheet_done = 1;
        if (!s->row_ready && s->xml.err == QALA_OK)
            XML_StopParser(s->xml.p, XML_FALSE);
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *t, int len)
{
    qala_xlsx_sheet *s = ud;
    if (!s->collecting)
        return;
    qala_status st = qala_buf__append(&s->val, t, (size_t)len);
    if (st == QALA_ELIMIT) {
        char ref[16];
        st = qala_err__set_at(QALA_ELIMIT, s->x->label, s->row, (long)s->col + 1,
                              "cell %s is longer than %zu bytes", cell_ref(s, ref, sizeof ref),
                              s->x->lim.max_string);
    }
    if (st != QALA_OK)
        fail(s, st);
}

/* ---- merged ranges (first pass) -------------------------------------------------------- */

static void XMLCALL merge_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    qala_xlsx_sheet *s = ud;
    if (!qala_xlsx__enter(&s->xml) || strcmp(qala_xlsx__local(name), "mergeCell") != 0)
        return;
    const char *ref = qala_xlsx__attr(atts, "ref");
    char a[16], b[16];
    const char *colon = ref ? strchr(ref, ':') : NULL;
    qala_xlsx_range r;
    if (!colon || (size_t)(colon - ref) >= sizeof a || strlen(colon + 1) >= sizeof b)
        return; /* a one-cell or malformed range merges nothing */
    memcpy(a, ref, (size_t)(colon - ref));
    a[colon - ref] = '\0';
    strcpy(b, colon + 1);
    if (!qala_xlsx__parse_ref(a, &r.row1, &r.col1) || !qala_xlsx__parse_ref(b, &r.row2, &r.col2) ||
        r.row2 < r.row1 || r.col2 < r.col1)
        return;
    if (s->nmerged >= MAX_MERGED) {
        fail(s, qala_err__set_at(QALA_ELIMIT, s->x->label, 0, 0, "sheet \"%s\" has more than %zu merged ranges",
                                 s->name, MAX_MERGED));
        return;
    }
    qala_status st = qala_mem__grow((void **)&s->merged, &s->cap_merged, s->nmerged + 1, sizeof *s->merged);
    if (st != QALA_OK) {
        fail(s, st);
        return;
    }
    s->merged[s->nmerged++] = r;
}

static void XMLCALL merge_end(void *ud, const XML_Char *name)
{
    (void)name;
    ((qala_xlsx_sheet *)ud)->xml.depth--;
}

/* Reads the part whole with the handlers already set; the parser is freed after. */
static qala_status run_pass(qala_xlsx_sheet *s, const char *part)
{
    qala_status st = qala_xlsx__entry_open(&s->e, s->x, part, 0);
    while (st == QALA_OK) {
        void *buf = XML_GetBuffer(s->xml.p, (int)XLSX_CHUNK);
        size_t n = 0;
        if (!buf)
            st = qala_xlsx__xml_error(&s->xml);
        else if ((st = qala_xlsx__entry_read(&s->e, buf, XLSX_CHUNK, &n)) == QALA_OK &&
                 XML_ParseBuffer(s->xml.p, (int)n, n == 0) != XML_STATUS_OK)
            st = qala_xlsx__xml_error(&s->xml);
        if (n == 0)
            break;
    }
    qala_xlsx__entry_close(&s->e);
    return st;
}

/* ---- open, next, close -------------------------------------------------------------------- */

qala_status qala_xlsx__sheet_open(qala_xlsx_sheet **out, qala_xlsx *x, size_t index)
{
    *out = NULL;
    const xlsx_sheet_ref *ref = &x->sheets[index];
    if (!ref->part)
        return qala_err__set_at(QALA_EPARSE, x->label, 0, 0,
                                "sheet \"%s\" is not a worksheet (a chart or dialog sheet)", ref->name);
    qala_xlsx_sheet *s = qala_mem__calloc(1, sizeof *s);
    if (!s)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    s->x = x;
    s->name = ref->name;
    s->xml.x = x;
    s->xml.part = ref->part;
    qala_buf__init(&s->text, MAX_ROW_TEXT);
    qala_buf__init(&s->val, x->lim.max_string);
    qala_status st = QALA_OK;
    if (!qala_xlsx__parser(&s->xml)) {
        st = QALA_ENOMEM;
        goto fail;
    }
    XML_SetElementHandler(s->xml.p, merge_start, merge_end);
    st = run_pass(s, ref->part);
    XML_ParserFree(s->xml.p);
    s->xml.p = NULL;
    if (st != QALA_OK)
        goto fail;
    s->xml.depth = 0;
    if (!qala_xlsx__parser(&s->xml)) {
        st = QALA_ENOMEM;
        goto fail;
    }
    XML_SetElementHandler(s->xml.p, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(s->xml.p, sheet_text);
    if ((st = qala_xlsx__entry_open(&s->e, x, ref->part, 0)) != QALA_OK)
        goto fail;
    *out = s;
    return QALA_OK;
fail:
    qala_xlsx__sheet_close(s);
    return st;
}

int qala_xlsx__sheet_next(qala_xlsx_sheet *s)
{
    if (s->finished)
        return 0;
    s->row_ready = 0;
    for (;;) {
        enum XML_Status rs;
        if (s->suspended) {
            s->suspended = 0;
            rs = XML_ResumeParser(s->xml.p);
        } else if (s->final_fed) {
            s->finished = 1;
            return 0;
        } else {
            void *buf = XML_GetBuffer(s->xml.p, (int)XLSX_CHUNK);
            size_t n;
            qala_status st = buf ? qala_xlsx__entry_read(&s->e, buf, XLSX_CHUNK, &n) : qala_xlsx__xml_error(&s->xml);
            if (st != QALA_OK) {
                s->finished = 1;
                return st;
            }
            s->final_fed = n == 0;
            rs = XML_ParseBuffer(s->xml.p, (int)n, n == 0);
        }
        if (rs == XML_STATUS_ERROR) {
            s->finished = 1;
            if (s->xml.err == QALA_OK && s->sheet_done && XML_GetErrorCode(s->xml.p) == XML_ERROR_ABORTED)
                return 0;
            return qala_xlsx__xml_error(&s->xml);
        }
        if (rs == XML_STATUS_SUSPENDED)
            s->suspended = 1;
        if (s->row_ready)
            return 1;
    }
}

void qala_xlsx__sheet_close(qala_xlsx_sheet *s)
{
    if (!s)
        return;
    qala_xlsx__entry_close(&s->e);
    if (s->xml.p)
        XML_ParserFree(s->xml.p);
    qala_buf__free(&s->text);
    qala_buf__free(&s->val);
    qala_mem__free(s->cells);
    qala_mem__free(s->merged);
    qala_mem__free(s);
}

long qala_xlsx__sheet_row(const qala_xlsx_sheet *s) { return s->row; }
size_t qala_xlsx__sheet_ncells(const qala_xlsx_sheet *s) { return s->ncells; }
size_t qala_xlsx__sheet_bytes_read(const qala_xlsx_sheet *s) { return s->e.done; }
size_t qala_xlsx__sheet_bytes_total(const qala_xlsx_sheet *s) { return s->e.size; }
size_t qala_xlsx__sheet_nmerged(const qala_xlsx_sheet *s) { return s->nmerged; }
const qala_xlsx_range *qala_xlsx__sheet_merged(const qala_xlsx_sheet *s, size_t i) { return &s->merged[i]; }

const char *qala_xlsx__sheet_cell(const qala_xlsx_sheet *s, size_t col, size_t *len, unsigned *indent)
{
    if (col >= s->ncells || s->cells[col].len == 0) {
        if (len)
            *len = 0;
        if (indent)
            *indent = 0;
        return "";
    }
    if (len)
        *len = s->cells[col].len;
    if (indent)
        *indent = s->cells[col].indent;
    return s->text.data + s->cells[col].off;
}
