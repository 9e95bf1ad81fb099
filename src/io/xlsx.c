/* src/io/xlsx.c — opening an XLSX workbook: the zip archive, its parts and their caps.
 *
 * First stage of an XLSX import (then xlsx_sheet.c streams a sheet, xlsx_table.c
 * shapes it into header and data records for the importer). Here: libzip opens the
 * archive (from a file or memory) and every entry is read through entry_read, which
 * counts the bytes against the caps (a lying size header cannot get past them); expat
 * parses the package relationships (_rels/.rels → the workbook part), the workbook
 * (sheet names, the 1904 date system), its relationships (sheet parts, shared strings,
 * styles), the shared strings and the styles, each whole but in chunks.
 * Invariants: after a successful open, every sheet_ref.part names an entry path without
 * a leading '/' or "..", the shared strings are NUL-terminated at sst_off[i], and every
 * style index below nstyles is valid. Workload: once per import; the shared strings of
 * a big workbook (tens of MB) dominate.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "io/xlsx_impl.h"

static const qala_xlsx_limits default_limits = {10000, (size_t)2 << 30, 200, 100000000,
                                                (size_t)1 << 20, (size_t)256 << 20, 64};

/* ---- zip entries ------------------------------------------------------------------ */

qala_status qala_xlsx__entry_open(xlsx_entry *e, qala_xlsx *x, const char *name, int optional)
{
    memset(e, 0, sizeof *e);
    e->x = x;
    e->name = name;
    zip_stat_t zs;
    zip_int64_t idx = zip_name_locate(x->zip, name, ZIP_FL_ENC_GUESS);
    if (idx < 0 || zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &zs) != 0) {
        if (optional)
            return QALA_ENOTFOUND;
        return qala_err__set_at(QALA_EPARSE, x->label, 0, 0, "not an XLSX workbook: no part %s", name);
    }
    size_t size = (zs.valid & ZIP_STAT_SIZE) ? (size_t)zs.size : 0;
    size_t comp = (zs.valid & ZIP_STAT_COMP_SIZE) ? (size_t)zs.comp_size : 0;
    if (size > ((size_t)1 << 20) && size / (comp ? comp : 1) > x->lim.max_ratio)
        return qala_err__set_at(QALA_ELIMIT, x->label, 0, 0,
                                "part %s would expand %zu times (%zu bytes from %zu): refused as a "
                                "zip bomb (the limit is %zu times)",
                                name, size / (comp ? comp : 1), size, comp, x->lim.max_ratio);
    if (size > x->lim.max_total || x->total_read + size > x->lim.max_total)
        return qala_err__set_at(QALA_ELIMIT, x->label, 0, 0,
                                "part %s would take the workbook past %zu uncompressed bytes", name,
                                x->lim.max_total);
    e->size = size;
    e->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!e->zf) {
        zip_error_t *ze = zip_get_error(x->zip);
        if (zip_error_code_zip(ze) == ZIP_ER_MEMORY)
            return qala_err__set(QALA_ENOMEM, "out of memory");
        return qala_err__set_at(QALA_EPARSE, x->label, 0, 0, "cannot read part %s: %s", name,
                                zip_error_strerror(ze));
    }
    return QALA_OK;
}

qala_status qala_xlsx__entry_read(xlsx_entry *e, char *buf, size_t cap, size_t *n)
{
    *n = 0;
    zip_int64_t r = zip_fread(e->zf, buf, cap);
    if (r < 0) {
        zip_error_t *ze = zip_file_get_error(e->zf);
        if (zip_error_code_zip(ze) == ZIP_ER_MEMORY)
            return qala_err__set(QALA_ENOMEM, "out of memory");
        return qala_err__set_at(QALA_EPARSE, e->x->label, 0, 0, "damaged part %s: %s", e->name,
                                zip_error_strerror(ze));
    }
    e->done += (size_t)r;
    e->x->total_read += (size_t)r;
    if (e->done > e->size || e->x->total_read > e->x->lim.max_total)
        return qala_err__set_at(QALA_ELIMIT, e->x->label, 0, 0,
                                "part %s expands past its declared size or the limit of %zu bytes", e->name,
                                e->x->lim.max_total);
    *n = (size_t)r;
    return QALA_OK;
}

void qala_xlsx__entry_close(xlsx_entry *e)
{
    if (e->zf)
        zip_fclose(e->zf);
    e->zf = NULL;
}

/* ---- XML helpers ------------------------------------------------------------------ */

static void *xml_malloc(size_t n) { return qala_mem__malloc(n); }
static void *xml_realloc(void *p, size_t n) { return qala_mem__realloc(p, n); }
static void xml_free(void *p) { qala_mem__free(p); }
static const XML_Memory_Handling_Suite xml_memory = {xml_malloc, xml_realloc, xml_free};

void qala_xlsx__fail(xlsx_xml *xml, qala_status st)
{
    if (xml->err == QALA_OK)
        xml->err = st;
    XML_StopParser(xml->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    xlsx_xml *xml = ud;
    qala_xlsx__fail(xml, qala_err__set_at(QALA_EPARSE, xml->x->label, 0, 0,
                                          "part %s has a DOCTYPE: not allowed in XLSX", xml->part));
}

XML_Parser qala_xlsx__parser(xlsx_xml *xml)
{
    xml->p = XML_ParserCreate_MM(NULL, &xml_memory, NULL);
    if (!xml->p) {
        qala_err__set(QALA_ENOMEM, "out of memory");
        return NULL;
    }
    XML_SetUserData(xml->p, xml);
    XML_SetStartDoctypeDeclHandler(xml->p, on_doctype);
    return xml->p;
}

int qala_xlsx__enter(xlsx_xml *xml)
{
    if (++xml->depth > xml->x->lim.max_depth) {
        qala_xlsx__fail(xml, qala_err__set_at(QALA_ELIMIT, xml->x->label,
                                              (long)XML_GetCurrentLineNumber(xml->p), 0,
                                              "part %s nests elements deeper than %u", xml->part,
                                              xml->x->lim.max_depth));
        return 0;
    }
    return 1;
}

qala_status qala_xlsx__xml_error(xlsx_xml *xml)
{
    if (xml->err != QALA_OK)
        return xml->err;
    enum XML_Error code = XML_GetErrorCode(xml->p);
    if (code == XML_ERROR_NO_MEMORY)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    return qala_err__set_at(QALA_EPARSE, xml->x->label, (long)XML_GetCurrentLineNumber(xml->p),
                            (long)XML_GetCurrentColumnNumber(xml->p) + 1, "bad XML in part %s: %s",
                            xml->part, XML_ErrorString(code));
}

const char *qala_xlsx__local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

const char *qala_xlsx__attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(qala_xlsx__local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Parses a whole part with the handlers (userdata starts with an xlsx_xml). ENOTFOUND
 * (nothing recorded) for an optional part that is absent. */
static qala_status parse_part(qala_xlsx *x, const char *name, int optional, xlsx_xml *xml,
                              XML_StartElementHandler start, XML_EndElementHandler end,
                              XML_CharacterDataHandler text)
{
    xlsx_entry e;
    qala_status st = qala_xlsx__entry_open(&e, x, name, optional);
    if (st != QALA_OK)
        return st;
    xml->x = x;
    xml->part = name;
    xml->depth = 0;
    xml->err = QALA_OK;
    if (!qala_xlsx__parser(xml)) {
        qala_xlsx__entry_close(&e);
        return QALA_ENOMEM;
    }
    XML_SetElementHandler(xml->p, start, end);
    if (text)
        XML_SetCharacterDataHandler(xml->p, text);
    for (;;) {
        void *buf = XML_GetBuffer(xml->p, (int)XLSX_CHUNK);
        if (!buf) {
            st = qala_xlsx__xml_error(xml);
            break;
        }
        size_t n;
        if ((st = qala_xlsx__entry_read(&e, buf, XLSX_CHUNK, &n)) != QALA_OK)
            break;
        if (XML_ParseBuffer(xml->p, (int)n, n == 0) != XML_STATUS_OK) {
            st = qala_xlsx__xml_error(xml);
            break;
        }
        if (n == 0)
            break;
    }
    XML_ParserFree(xml->p);
    xml->p = NULL;
    qala_xlsx__entry_close(&e);
    return st;
}

/* ---- relationships ------------------------------------------------------------------ */

/* Joins a relationship target to the folder of the part that holds it ("xl/"), folding
 * "." and ".."; an absolute target ("/xl/...") starts from the root. */
static int resolve_target(char *out, size_t size, const char *base_dir, const char *target)
{
    char tmp[1024];
    int n = target[0] == '/' ? snprintf(tmp, sizeof tmp, "%s", target + 1)
                             : snprintf(tmp, sizeof tmp, "%s%s", base_dir, target);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return 0;
    size_t o = 0;
    for (char *seg = tmp, *next; seg; seg = next) {
        char *slash = strchr(seg, '/');
        next = slash ? slash + 1 : NULL;
        size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
        if (len == 0 || (len == 1 && seg[0] == '.'))
            continue;
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            continue;
        }
        if (o + len + 2 > size)
            return 0;
        if (o)
            out[o++] = '/';
        memcpy(out + o, seg, len);
        o += len;
    }
    out[o] = '\0';
    return o > 0;
}

typedef struct rel {
    char *id, *type, *target;
} rel;

typedef struct rels_parse {
    xlsx_xml xml;
    const char *base_dir;
    rel *rels;
    size_t n, cap;
} rels_parse;

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rels_parse *rp = ud;
    if (!qala_xlsx__enter(&rp->xml) || strcmp(qala_xlsx__local(name), "Relationship") != 0)
        return;
    const char *id = qala_xlsx__attr(atts, "Id"), *type = qala_xlsx__attr(atts, "Type"),
               *target = qala_xlsx__attr(atts, "Target"), *mode = qala_xlsx__attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    char path[512];
    if (!resolve_target(path, sizeof path, rp->base_dir, target))
        return;
    const char *slash = strrchr(type, '/');
    qala_status st = qala_mem__grow((void **)&rp->rels, &rp->cap, rp->n + 1, sizeof *rp->rels);
    if (st != QALA_OK) {
        qala_xlsx__fail(&rp->xml, st);
        return;
    }
    rel *r = &rp->rels[rp->n];
    r->id = qala_mem__strdup(id);
    r->type = qala_mem__strdup(slash ? slash + 1 : type);
    r->target = qala_mem__strdup(path);
    rp->n++;
    if (!r->id || !r->type || !r->target)
        qala_xlsx__fail(&rp->xml, qala_err__set(QALA_ENOMEM, "out of memory"));
}

static void XMLCALL any_end(void *ud, const XML_Char *name)
{
    (void)name;
    ((xlsx_xml *)ud)->depth--;
}

static void rels_free(rels_parse *rp)
{
    for (size_t i = 0; i < rp->n; i++) {
        qala_mem__free(rp->rels[i].id);
        qala_mem__free(rp->rels[i].type);
        qala_mem__free(rp->rels[i].target);
    }
    qala_mem__free(rp->rels);
}

/* The relationships of part `owner` ("xl/workbook.xml" → "xl/_rels/workbook.xml.rels"). */
static qala_status read_rels(qala_xlsx *x, const char *owner, char *base_dir, size_t base_size,
                             rels_parse *rp, int optional)
{
    const char *slash = strrchr(owner, '/');
    size_t dir_len = slash ? (size_t)(slash - owner) + 1 : 0;
    char name[600];
    if (dir_len >= base_size || dir_len + 64 > sizeof name)
        return qala_err__set_at(QALA_EPARSE, x->label, 0, 0, "part name %s is too long", owner);
    memcpy(base_dir, owner, dir_len);
    base_dir[dir_len] = '\0';
    snprintf(name, sizeof name, "%s_rels/%s.rels", base_dir, owner + dir_len);
    rp->base_dir = base_dir;
    return parse_part(x, name, optional, &rp->xml, rels_start, any_end, NULL);
}

static const rel *find_rel(const rels_parse *rp, const char *field_type, const char *value)
{
    for (size_t i = 0; i < rp->n; i++)
        if (strcmp(field_type[0] == 'i' ? rp->rels[i].id : rp->rels[i].type, value) == 0)
            return &rp->rels[i];
    return NULL;
}

/* ---- the workbook ------------------------------------------------------------------- */

typedef struct workbook_parse {
    xlsx_xml xml;
    char **names, **rids;
    size_t n, cap_names, cap_rids;
    int date1904;
} workbook_parse;

static void XMLCALL workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    workbook_parse *wp = ud;
    if (!qala_xlsx__enter(&wp->xml))
        return;
    const char *local = qala_xlsx__local(name);
    if (strcmp(local, "workbookPr") == 0) {
        const char *d = qala_xlsx__attr(atts, "date1904");
        wp->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(local, "sheet") == 0) {
        const char *sname = qala_xlsx__attr(atts, "name"), *rid = qala_xlsx__attr(atts, "id");
        if (!sname || !rid)
            return;
        qala_status st = qala_mem__grow((void **)&wp->names, &wp->cap_names, wp->n + 1, sizeof *wp->names);
        if (st == QALA_OK)
            st = qala_mem__grow((void **)&wp->rids, &wp->cap_rids, wp->n + 1, sizeof *wp->rids);
        if (st != QALA_OK) {
            qala_xlsx__fail(&wp->xml, st);
            return;
        }
        wp->names[wp->n] = qala_mem__strdup(sname);
        wp->rids[wp->n] = qala_mem__strdup(rid);
        wp->n++;
        if (!wp->names[wp->n - 1] || !wp->rids[wp->n - 1])
            qala_xlsx__fail(&wp->xml, qala_err__set(QALA_ENOMEM, "out of memory"));
    }
}

/* Finds the workbook part through _rels/.rels (officeDocument), else xl/workbook.xml. */
static qala_status workbook_part(qala_xlsx *x, char *out, size_t size)
{
    rels_parse rp = {0};
    char base[8];
    snprintf(out, size, "xl/workbook.xml");
    qala_status st = read_rels(x, "", base, sizeof base, &rp, 1);
    if (st == QALA_OK) {
        const rel *r = find_rel(&rp, "type", "officeDocument");
        if (r && strlen(r->target) < size)
            snprintf(out, size, "%s", r->target);
    } else if (st == QALA_ENOTFOUND) {
        st = QALA_OK;
    }
    rels_free(&rp);
    return st;
}

static qala_status read_workbook(qala_xlsx *x, char *sst_part, char *styles_part, size_t size)
{
    char wb[512], base[512];
    qala_status st = workbook_part(x, wb, sizeof wb);
    if (st != QALA_OK)
        return st;
    workbook_parse wp = {0};
    rels_parse rp = {0};
    if ((st = parse_part(x, wb, 0, &wp.xml, workbook_start, any_end, NULL)) != QALA_OK ||
        (st = read_rels(x, wb, base, sizeof base, &rp, 0)) != QALA_OK)
        goto done;
    if (wp.n == 0) {
        st = qala_err__set_at(QALA_EPARSE, x->label, 0, 0, "not an XLSX workbook: %s lists no sheets", wb);
        goto done;
    }
    x->date1904 = wp.date1904;
    if ((st = qala_mem__grow((void **)&x->sheets, &x->cap_sheets, wp.n, sizeof *x->sheets)) != QALA_OK)
        goto done;
    for (size_t i = 0; i < wp.n; i++) {
        const rel *r = find_rel(&rp, "id", wp.rids[i]);
        x->sheets[i].name = wp.names[i];
        wp.names[i] = NULL;
        x->sheets[i].part = NULL;
        x->nsheets++;
        if (r && strcmp(r->type, "worksheet") == 0 && !(x->sheets[i].part = qala_mem__strdup(r->target))) {
            st = qala_err__set(QALA_ENOMEM, "out of memory");
            goto done;
        }
    }
    const rel *r = find_rel(&rp, "type", "sharedStrings");
    snprintf(sst_part, size, "%s", r ? r->target : "xl/sharedStrings.xml");
    r = find_rel(&rp, "type", "styles");
    snprintf(styles_part, size, "%s", r ? r->target : "xl/styles.xml");
done:
    for (size_t i = 0; i < wp.n; i++) {
        qala_mem__free(wp.names[i]);
        qala_mem__free(wp.rids[i]);
    }
    qala_mem__free(wp.names);
    qala_mem__free(wp.rids);
    rels_free(&rp);
    return st;
}

/* ---- shared strings ------------------------------------------------------------------ */

typedef struct sst_parse {
    xlsx_xml xml;
    int in_si, in_t, in_rph;
    size_t start; /* offset of the current string in x->sst */
} sst_parse;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    sst_parse *sp = ud;
    qala_xlsx *x = sp->xml.x;
    if (!qala_xlsx__enter(&sp->xml))
        return;
    const char *local = qala_xlsx__local(name);
    if (strcmp(local, "si") == 0) {
        qala_status st = qala_mem__grow((void **)&x->sst_off, &x->cap_sst, x->nsst + 1, sizeof *x->sst_off);
        if (st != QALA_OK)
            {
            qala_xlsx__fail(&sp->xml, st);
            return;
        }
        sp->in_si = 1;
        sp->start = x->sst.len;
    } else if (strcmp(local, "rPh") == 0) {
        sp->in_rph = 1;
    } else if (strcmp(local, "t") == 0 && sp->in_si && !sp->in_rph) {
        sp->in_t = 1;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_parse *sp = ud;
    qala_xlsx *x = sp->xml.x;
    sp->xml.depth--;
    const char *local = qala_xlsx__local(name);
    if (strcmp(local, "t") == 0) {
        sp->in_t = 0;
    } else if (strcmp(local, "rPh") == 0) {
        sp->in_rph = 0;
    } else if (strcmp(local, "si") == 0 && sp->in_si) {
        qala_status st = qala_buf__putc(&x->sst, '\0');
        if (st != QALA_OK)
            {
            qala_xlsx__fail(&sp->xml, st);
            return;
        }
        x->sst_off[x->nsst++] = sp->start;
        sp->in_si = 0;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    sst_parse *sp = ud;
    qala_xlsx *x = sp->xml.x;
    if (!sp->in_t)
        return;
    if (x->sst.len - sp->start + (size_t)len > x->lim.max_string)
        {
            qala_xlsx__fail(&sp->xml, qala_err__set_at(QALA_ELIMIT, x->label, 0, 0,
                                                          "shared string %zu is longer than %zu bytes",
                                                          x->nsst, x->lim.max_string));
            return;
        }
    qala_status st = qala_buf__append(&x->sst, s, (size_t)len);
    if (st == QALA_ELIMIT)
        st = qala_err__set_at(QALA_ELIMIT, x->label, 0, 0, "the shared strings take more than %zu bytes",
                              x->lim.max_strings);
    if (st != QALA_OK)
        qala_xlsx__fail(&sp->xml, st);
}

/* ---- styles -------------------------------------------------------------------------- */

typedef struct fmt_code {
    unsigned id;
    unsigned char is_date;
} fmt_code;

typedef struct styles_parse {
    xlsx_xml xml;
    fmt_code *fmts;
    size_t nfmts, cap_fmts;
    int in_cell_xfs;
    int in_xf;
} styles_parse;

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    styles_parse *sp = ud;
    qala_xlsx *x = sp->xml.x;
    if (!qala_xlsx__enter(&sp->xml))
        return;
    const char *local = qala_xlsx__local(name);
    qala_status st = QALA_OK;
    if (strcmp(local, "numFmt") == 0) {
        const char *id = qala_xlsx__attr(atts, "numFmtId"), *code = qala_xlsx__attr(atts, "formatCode");
        if (!id || !code || (st = qala_mem__grow((void **)&sp->fmts, &sp->cap_fmts, sp->nfmts + 1,
                                                 sizeof *sp->fmts)) != QALA_OK)
            goto done;
        unsigned n = (unsigned)strtoul(id, NULL, 10);
        sp->fmts[sp->nfmts++] = (fmt_code){n, (unsigned char)qala_xlsx__is_date_format(n, code)};
    } else if (strcmp(local, "cellXfs") == 0) {
        sp->in_cell_xfs = 1;
    } else if (strcmp(local, "xf") == 0 && sp->in_cell_xfs) {
        if (x->nstyles >= 65536) {
            st = qala_err__set_at(QALA_ELIMIT, x->label, 0, 0, "more than 65536 cell formats");
            goto done;
        }
        if ((st = qala_mem__grow((void **)&x->styles, &x->cap_styles, x->nstyles + 1, sizeof *x->styles)) != QALA_OK)
            goto done;
        const char *id = qala_xlsx__attr(atts, "numFmtId");
        unsigned n = id ? (unsigned)strtoul(id, NULL, 10) : 0;
        int is_date = qala_xlsx__is_date_format(n, NULL);
        for (size_t i = 0; i < sp->nfmts; i++)
            if (sp->fmts[i].id == n)
                is_date = sp->fmts[i].is_date;
        x->styles[x->nstyles++] = (xlsx_style){(unsigned char)is_date, 0};
        sp->in_xf = 1;
    } else if (strcmp(local, "alignment") == 0 && sp->in_xf) {
        const char *indent = qala_xlsx__attr(atts, "indent");
        unsigned long n = indent ? strtoul(indent, NULL, 10) : 0;
        x->styles[x->nstyles - 1].indent = (unsigned char)(n > 250 ? 250 : n);
    }
done:
    if (st != QALA_OK)
        qala_xlsx__fail(&sp->xml, st);
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    styles_parse *sp = ud;
    sp->xml.depth--;
    const char *local = qala_xlsx__local(name);
    if (strcmp(local, "cellXfs") == 0)
        sp->in_cell_xfs = 0;
    else if (strcmp(local, "xf") == 0)
        sp->in_xf = 0;
}

/* ---- open and close -------------------------------------------------------------------- */

static qala_status open_parts(qala_xlsx *x)
{
    zip_int64_t n = zip_get_num_entries(x->zip, 0);
    if (n < 0 || (size_t)n > x->lim.max_entries)
        return qala_err__set_at(QALA_ELIMIT, x->label, 0, 0, "the archive has more than %zu entries",
                                x->lim.max_entries);
    if (n == 0)
        return qala_err__set_at(QALA_EPARSE, x->label, 0, 0,
                                "not an XLSX workbook: an empty file or an empty zip archive");
    char sst_part[512], styles_part[512];
    qala_status st = read_workbook(x, sst_part, styles_part, sizeof sst_part);
    if (st != QALA_OK)
        return st;
    sst_parse sp = {0};
    st = parse_part(x, sst_part, 1, &sp.xml, sst_start, sst_end, sst_text);
    if (st != QALA_OK && st != QALA_ENOTFOUND)
        return st;
    styles_parse yp = {0};
    st = parse_part(x, styles_part, 1, &yp.xml, styles_start, styles_end, NULL);
    qala_mem__free(yp.fmts);
    return st == QALA_ENOTFOUND ? QALA_OK : st;
}

static qala_status finish_open(qala_xlsx **out, qala_xlsx *x)
{
    qala_status st = open_parts(x);
    if (st != QALA_OK) {
        qala_xlsx__close(x);
        return st;
    }
    *out = x;
    return QALA_OK;
}

static qala_xlsx *new_workbook(const char *label, const qala_xlsx_limits *limits)
{
    qala_xlsx *x = qala_mem__calloc(1, sizeof *x);
    if (!x || !(x->label = qala_mem__strdup(label))) {
        qala_mem__free(x);
        qala_err__set(QALA_ENOMEM, "out of memory");
        return NULL;
    }
    x->lim = limits ? *limits : default_limits;
    const qala_xlsx_limits *d = &default_limits;
    x->lim.max_entries = x->lim.max_entries ? x->lim.max_entries : d->max_entries;
    x->lim.max_total = x->lim.max_total ? x->lim.max_total : d->max_total;
    x->lim.max_ratio = x->lim.max_ratio ? x->lim.max_ratio : d->max_ratio;
    x->lim.max_cells = x->lim.max_cells ? x->lim.max_cells : d->max_cells;
    x->lim.max_string = x->lim.max_string ? x->lim.max_string : d->max_string;
    x->lim.max_strings = x->lim.max_strings ? x->lim.max_strings : d->max_strings;
    x->lim.max_depth = x->lim.max_depth ? x->lim.max_depth : d->max_depth;
    qala_buf__init(&x->sst, x->lim.max_strings);
    return x;
}

static qala_status zip_open_error(const qala_xlsx *x, int code, const char *path)
{
    if (code == ZIP_ER_MEMORY)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    if (code == ZIP_ER_NOZIP)
        return qala_err__set_at(QALA_EPARSE, x->label, 0, 0, "not an XLSX workbook: not a zip archive");
    if ((code == ZIP_ER_OPEN || code == ZIP_ER_NOENT || code == ZIP_ER_READ) && path)
        return qala_err__set(QALA_EIO, "cannot open '%s': %s", path,
                             code == ZIP_ER_NOENT ? "No such file or directory" : strerror(errno));
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    qala_status st = qala_err__set_at(QALA_EPARSE, x->label, 0, 0, "not an XLSX workbook: %s",
                                      zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return st;
}

qala_status qala_xlsx__open_file(qala_xlsx **out, const char *path, const char *label,
                                 const qala_xlsx_limits *limits)
{
    *out = NULL;
    qala_xlsx *x = new_workbook(label ? label : path, limits);
    if (!x)
        return QALA_ENOMEM;
    int code = 0;
    if (!(x->zip = zip_open(path, ZIP_RDONLY, &code))) {
        qala_status st = zip_open_error(x, code, path);
        qala_xlsx__close(x);
        return st;
    }
    return finish_open(out, x);
}

qala_status qala_xlsx__open_buffer(qala_xlsx **out, const void *data, size_t len, const char *label,
                                   const qala_xlsx_limits *limits)
{
    *out = NULL;
    qala_xlsx *x = new_workbook(label ? label : "<buffer>", limits);
    if (!x)
        return QALA_ENOMEM;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(len ? data : "", len, 0, &ze);
    if (src && !(x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze)))
        zip_source_free(src);
    if (!x->zip) {
        qala_status st = zip_open_error(x, zip_error_code_zip(&ze), NULL);
        zip_error_fini(&ze);
        qala_xlsx__close(x);
        return st;
    }
    zip_error_fini(&ze);
    return finish_open(out, x);
}

void qala_xlsx__close(qala_xlsx *x)
{
    if (!x)
        return;
    if (x->zip)
        zip_discard(x->zip);
    for (size_t i = 0; i < x->nsheets; i++) {
        qala_mem__free(x->sheets[i].name);
        qala_mem__free(x->sheets[i].part);
    }
    qala_mem__free(x->sheets);
    qala_buf__free(&x->sst);
    qala_mem__free(x->sst_off);
    qala_mem__free(x->styles);
    qala_mem__free(x->label);
    qala_mem__free(x);
}

size_t qala_xlsx__nsheets(const qala_xlsx *x) { return x->nsheets; }
const char *qala_xlsx__sheet_name(const qala_xlsx *x, size_t i) { return x->sheets[i].name; }
int qala_xlsx__date1904(const qala_xlsx *x) { return x->date1904; }
const char *qala_xlsx__label(const qala_xlsx *x) { return x->label; }

qala_status qala_xlsx__find_sheet(const qala_xlsx *x, const char *name, size_t *index)
{
    *index = 0;
    if (!name || !*name)
        return QALA_OK;
    for (size_t i = 0; i < x->nsheets; i++)
        if (strcmp(x->sheets[i].name, name) == 0)
            return *index = i, QALA_OK;
    for (size_t i = 0; i < x->nsheets; i++)
        if (strcasecmp(x->sheets[i].name, name) == 0)
            return *index = i, QALA_OK;
    char *end;
    unsigned long n = strtoul(name, &end, 10);
    if (name[0] >= '0' && name[0] <= '9' && *end == '\0' && n >= 1 && n <= x->nsheets)
        return *index = n - 1, QALA_OK;
    char list[512];
    size_t o = 0;
    for (size_t i = 0; i < x->nsheets && o < sizeof list - 80; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s\"%.60s\"", i ? ", " : "", x->sheets[i].name);
    return qala_err__set_at(QALA_ENOTFOUND, x->label, 0, 0,
                            "no sheet \"%.80s\": the workbook has %s (or give a number from 1 to %zu)",
                            name, list, x->nsheets);
}
