/* src/import.c — statistics tables (CSV, XLSX) into a dataset, with validation findings.
 *
 * Place in the pipeline: file → io/records (CSV records, or an XLSX sheet's table) → here (layout, names, numbers, ranges,
 * duplicates) → dataset; the CLI then stores the dataset (store/) when it is clean.
 * Invariants: a row with any error adds nothing to the dataset (its tentative
 * observations are rolled back); every finding names file, line and CSV column.
 * Workload: up to 10^8 rows, so names are resolved once per distinct spelling (caches
 * keyed by the raw bytes) and numbers take the parser's fast path.
 * The header row and the layout are read in import_header.c, the --dry-run preview is
 * written in import_preview.c (what the three share: import_internal.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/records.h"
#include "io/number.h"
#include "qala/defaults.h"
#include "qala/import.h"
#include "qala/text.h"
#include "util/internal.h"
#include "util/strmap.h"
#include "import_internal.h"

static int64_t *last_get(last_name *l, const char *raw, size_t len)
{
    return l->len == len && len && memcmp(l->raw, raw, len) == 0 ? &l->code : NULL;
}

static void last_put(last_name *l, const char *raw, size_t len, int64_t code)
{
    if (len < sizeof l->raw) {
        memcpy(l->raw, raw, len);
        l->len = len;
        l->code = code;
    }
}


/* Records a finding on the current line. The first error of a row marks the row failed
 * and keeps its message as the row's reason (a copy: the findings list may be capped). A
 * finding that can't be stored (out of memory) is remembered in im->fatal, which run()
 * returns: a lost finding never turns into a clean import. */
static qala_status add_finding(importer *im, qala_severity sev, long column, const char *rule,
                               const char *msg)
{
    if (sev == QALA_SEVERITY_ERROR && !im->row_failed) {
        im->row_failed = 1;
        snprintf(im->reason, sizeof im->reason, "%s", msg);
    }
    qala_status st = qala_findings_add(im->findings, sev, im->label, im->line, column, rule, "%s", msg);
    if (st != QALA_OK && im->fatal == QALA_OK)
        im->fatal = st;
    return st;
}

__attribute__((format(printf, 5, 6)))
qala_status qala_import__finding(importer *im, qala_severity sev, long column, const char *rule,
                                 const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return add_finding(im, sev, column, rule, msg);
}

static qala_status remember_message(importer *im, const char *msg, int64_t *code)
{
    qala_status st = qala_mem__grow((void **)&im->messages, &im->cap_messages, im->nmessages + 1,
                                    sizeof *im->messages);
    if (st != QALA_OK)
        return st;
    if (!(im->messages[im->nmessages] = qala_mem__strdup(msg)))
        return qala_err__set(QALA_ENOMEM, "out of memory");
    *code = -(int64_t)(++im->nmessages);
    return QALA_OK;
}

/* Trims ASCII spaces/tabs and no-break spaces at both ends. */
const char *qala_import__trim(const char *s, size_t *len)
{
    size_t n = *len;
    for (;;) {
        if (n && (s[0] == ' ' || s[0] == '\t'))
            s++, n--;
        else if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
            s += 2, n -= 2;
        else
            break;
    }
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0)
            n -= 2;
        else
            break;
    }
    *len = n;
    return s;
}

/* ---- names ---------------------------------------------------------------------- */

static void describe_unit(const importer *im, size_t u, char *buf, size_t size)
{
    const qala_unit *unit = qala_registry_unit(im->reg, u);
    snprintf(buf, size, "\"%s\" (%s, %s)",
             qala_registry_name_at(im->reg, u, QALA_LANG_EN, QALA_DATE_MAX - 1), unit->code,
             qala_unit_kind_code(unit->kind));
}

/* Computes the cache value of a unit spelling: the dataset id, or -(message + 1). */
static qala_status lookup_unit(importer *im, const char *raw, size_t len, int64_t *code)
{
    qala_match m;
    qala_status st = qala_registry_match(im->reg, raw, len, 0, &m);
    if (st == QALA_OK) {
        uint32_t uid;
        st = qala_dataset_intern_unit(im->ds, qala_registry_unit(im->reg, m.units[0])->code, &uid);
        *code = uid;
        return st;
    }
    if (st != QALA_EAMBIGUOUS && st != QALA_ENOTFOUND)
        return st;
    char msg[768], one[160];
    int n = snprintf(msg, sizeof msg,
                     st == QALA_EAMBIGUOUS ? "ambiguous unit \"%.*s\": could be " : "unknown unit \"%.*s\"",
                     (int)(len > 80 ? 80 : len), raw);
    for (size_t i = 0; i < m.count && n < (int)sizeof msg - 200; i++) {
        describe_unit(im, m.units[i], one, sizeof one);
        n += snprintf(msg + n, sizeof msg - (size_t)n, "%s%s",
                      i == 0 ? (st == QALA_ENOTFOUND ? ": did you mean " : "") : " or ", one);
    }
    snprintf(msg + n, sizeof msg - (size_t)n, "%s",
             st == QALA_EAMBIGUOUS ? "; use the unit code" :
             m.count ? "?" : ": expected a unit code or name of the registry");
    return remember_message(im, msg, code);
}

/* Computes the cache value of an indicator spelling: (framework index << 32 | dataset
 * id), or -(message + 1). */
static qala_status lookup_indicator(importer *im, const char *raw, size_t len, int64_t *code)
{
    size_t idx, sugg[3], nsugg = 0;
    qala_status st = qala_framework_match(im->fw, raw, len, &idx, sugg, &nsugg);
    if (st == QALA_OK) {
        uint32_t iid;
        st = qala_dataset_intern_indicator(im->ds, qala_framework_get(im->fw, idx)->code, &iid);
        *code = ((int64_t)idx << 32) | iid;
        return st;
    }
    if (st != QALA_ENOTFOUND && st != QALA_EAMBIGUOUS)
        return st;
    char msg[512];
    int n = snprintf(msg, sizeof msg, "unknown indicator \"%.*s\"", (int)(len > 80 ? 80 : len), raw);
    for (size_t i = 0; i < nsugg; i++)
        n += snprintf(msg + n, sizeof msg - (size_t)n, "%s\"%s\"", i ? " or " : ": did you mean ",
                      qala_framework_get(im->fw, sugg[i])->code);
    snprintf(msg + n, sizeof msg - (size_t)n, "%s",
             nsugg ? "?" : ": expected an indicator code or name of the framework (qala indicators)");
    return remember_message(im, msg, code);
}

/* The cache value of a spelling: the previous row's first, then the map, else computed
 * by lookup and remembered. */
static qala_status resolve_cached(importer *im, name_cache *cache, const char *raw, size_t len,
                                  qala_status (*lookup)(importer *, const char *, size_t, int64_t *),
                                  int64_t *code)
{
    int64_t *cached = last_get(&cache->last, raw, len);
    if (!cached)
        cached = qala_strmap__get(&cache->map, raw, len);
    qala_status st = QALA_OK;
    if (cached) {
        *code = *cached;
    } else if ((st = lookup(im, raw, len, code)) != QALA_OK ||
               (st = qala_strmap__put(&cache->map, raw, len, *code)) != QALA_OK) {
        return st;
    }
    last_put(&cache->last, raw, len, *code);
    return QALA_OK;
}

static qala_status resolve_unit(importer *im, const char *raw, size_t len, long column,
                                uint32_t *id, int *ok)
{
    int64_t code = 0;
    *ok = 0;
    qala_status st = resolve_cached(im, &im->units, raw, len, lookup_unit, &code);
    if (st != QALA_OK)
        return st;
    if (code < 0)
        return add_finding(im, QALA_SEVERITY_ERROR, column, "unknown-unit", im->messages[-code - 1]);
    *id = (uint32_t)code;
    *ok = 1;
    return QALA_OK;
}

/* Resolves an indicator spelling: *fw_index and *id on success (*ok = 1); a finding
 * otherwise when report is set. */
qala_status qala_import__resolve_indicator(importer *im, const char *raw, size_t len,
                                           long column, int report, size_t *fw_index,
                                           uint32_t *id, int *ok)
{
    int64_t code = 0;
    *ok = 0;
    qala_status st = resolve_cached(im, &im->indicators, raw, len, lookup_indicator, &code);
    if (st != QALA_OK)
        return st;
    if (code < 0)
        return report ? add_finding(im, QALA_SEVERITY_ERROR, column, "unknown-indicator",
                                    im->messages[-code - 1])
                      : QALA_OK;
    *fw_index = (size_t)(code >> 32);
    *id = (uint32_t)(code & 0xffffffff);
    *ok = 1;
    return QALA_OK;
}

/* Four digits (or "2005.0"): a year, perhaps outside the range periods can have. */
int qala_import__looks_like_year(const char *s, size_t len)
{
    if (len == 6 && s[4] == '.' && s[5] == '0')
        len = 4;
    if (len != 4)
        return 0;
    for (size_t i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

qala_status qala_import__check_period(importer *im, const char *raw, size_t len, long column,
                                      qala_period *out, int *ok)
{
    *ok = 0;
    if (len == 4 && (unsigned)(raw[0] - '0') < 10 && (unsigned)(raw[1] - '0') < 10 &&
        (unsigned)(raw[2] - '0') < 10 && (unsigned)(raw[3] - '0') < 10) {
        /* the common case, a plain year */
        int y = (raw[0] - '0') * 1000 + (raw[1] - '0') * 100 + (raw[2] - '0') * 10 + (raw[3] - '0');
        qala_period p = y * 100;
        if (y >= 1900 && y <= 2100 && p >= im->opt->period_min && p <= im->opt->period_max) {
            *out = p;
            *ok = 1;
            return QALA_OK;
        }
    }
    if (qala_import__looks_like_year(raw, len) && qala_period_parse(out, raw, len) != QALA_OK) {
        return qala_import__finding(im, QALA_SEVERITY_ERROR, column, "period-out-of-range",
                       "period %.4s is outside the allowed range %d to %d", raw,
                       qala_period_year(im->opt->period_min), qala_period_year(im->opt->period_max));
    }
    if (qala_period_parse(out, raw, len) != QALA_OK)
        return qala_import__finding(im, QALA_SEVERITY_ERROR, column, "bad-period",
                       "\"%.*s\" is not a period: expected YYYY, YYYY-Qn or YYYY-MM",
                       (int)(len > 40 ? 40 : len), raw);
    if (*out < im->opt->period_min || *out > im->opt->period_max) {
        return qala_import__finding(im, QALA_SEVERITY_ERROR, column, "period-out-of-range",
                       "period %.*s is outside the allowed range %d to %d", (int)(len > 20 ? 20 : len), raw,
                       qala_period_year(im->opt->period_min), qala_period_year(im->opt->period_max));
    }
    *ok = 1;
    return QALA_OK;
}

/* ---- values --------------------------------------------------------------------- */

/* Parses a value cell and appends the observation. Missing cells add nothing. */
static qala_status add_value(importer *im, uint32_t unit, size_t fw_index, uint32_t indicator,
                             qala_period period, const char *raw, size_t len, long column,
                             qala_flag flag)
{
    double v = 0;
    unsigned notes = 0;
    qala_number_kind kind = qala_number__parse(raw, len, im->decimal, &v, &notes);
    if (kind == QALA_NUMBER_MISSING) {
        im->stats->missing++;
        return QALA_OK;
    }
    if (kind == QALA_NUMBER_INVALID && im->decimal) {
        /* valid with the other decimal mark? then the file mixes them */
        unsigned other_notes = 0;
        double other;
        if (qala_number__parse(raw, len, 0, &other, &other_notes) == QALA_NUMBER_OK &&
            (other_notes & (QALA_NUMBER_NOTE_DECIMAL_COMMA | QALA_NUMBER_NOTE_DECIMAL_POINT))) {
            size_t tl = len;
            const char *t = qala_import__trim(raw, &tl);
            return qala_import__finding(im, QALA_SEVERITY_ERROR, column, "mixed-decimal-marks",
                           "\"%.*s\" uses '%c' as decimal mark, but this file uses '%c' since line %ld",
                           (int)(tl > 60 ? 60 : tl), t, im->decimal == ',' ? '.' : ',', im->decimal,
                           im->decimal_line);
        }
    }
    if (kind == QALA_NUMBER_INVALID) {
        size_t tl = len;
        const char *t = qala_import__trim(raw, &tl);
        return qala_import__finding(im, QALA_SEVERITY_ERROR, column, "not-a-number",
                       "\"%.*s\" is not a number: expected digits with an optional sign, decimal "
                       "mark and thousands separators, or a missing-value marker such as \"-\"",
                       (int)(tl > 60 ? 60 : tl), t);
    }
    if (kind == QALA_NUMBER_CONFIDENTIAL) {
        v = NAN;
        flag = QALA_FLAG_CONFIDENTIAL;
    } else {
        char mark = notes & QALA_NUMBER_NOTE_DECIMAL_COMMA ? ',' : notes & QALA_NUMBER_NOTE_DECIMAL_POINT ? '.' : 0;
        if (mark && !(notes & QALA_NUMBER_NOTE_AMBIGUOUS)) {
            if (!im->decimal) {
                im->decimal = mark;
                im->decimal_line = im->line;
            } else if (mark != im->decimal) {
                return qala_import__finding(im, QALA_SEVERITY_ERROR, column, "mixed-decimal-marks",
                               "\"%.*s\" uses '%c' as decimal mark, but this file uses '%c' since line %ld",
                               (int)(len > 60 ? 60 : len), raw, mark, im->decimal, im->decimal_line);
            }
        } else if (notes & QALA_NUMBER_NOTE_AMBIGUOUS) {
            size_t tl = len;
            const char *t = qala_import__trim(raw, &tl);
            qala_import__finding(im, QALA_SEVERITY_WARNING, column, "ambiguous-number",
                    "\"%.*s\" could be a decimal or a thousands separator: read as %.15g",
                    (int)(tl > 60 ? 60 : tl), t, v);
        }
        if (notes & QALA_NUMBER_NOTE_FOOTNOTE) {
            size_t tl = len;
            const char *t = qala_import__trim(raw, &tl);
            qala_import__finding(im, QALA_SEVERITY_WARNING, column, "footnote-stripped",
                    "footnote mark after the number \"%.*s\" was removed: read as %.15g",
                    (int)(tl > 60 ? 60 : tl), t, v);
        }
        const qala_indicator *ind = qala_framework_get(im->fw, fw_index);
        if (v < ind->min || v > ind->max) {
            char range[96];
            if (isinf(ind->max))
                snprintf(range, sizeof range, "at least %g", ind->min);
            else if (isinf(ind->min))
                snprintf(range, sizeof range, "at most %g", ind->max);
            else
                snprintf(range, sizeof range, "between %g and %g", ind->min, ind->max);
            return qala_import__finding(im, QALA_SEVERITY_ERROR, column, "out-of-range",
                           "value %.15g is outside the range of %s (%s): expected %s", v, ind->code,
                           ind->unit, range);
        }
    }
    if (im->line > (long)UINT32_MAX)
        return qala_err__set(QALA_ELIMIT, "more than %u lines", UINT32_MAX);
    qala_status st = qala_dataset_append(im->ds, unit, indicator, period, v, flag, (uint32_t)im->line);
    if (st == QALA_OK)
        im->stats->observations++;
    return st;
}

/* ---- rows ----------------------------------------------------------------------- */

const char *qala_import__cell(importer *im, long col, size_t *len)
{
    const char *s = qala_records__field(im->src, (size_t)col, len);
    return qala_import__trim(s, len);
}

static qala_status read_row(importer *im)
{
    size_t nfields = qala_records__nfields(im->src);
    qala_status st = QALA_OK;
    if (nfields != im->ncols) {
        /* a lone empty field is an empty line of a one-column table: skip */
        return qala_import__finding(im, QALA_SEVERITY_ERROR, 0, "field-count",
                       "row has %zu field%s, the header has %zu: expected one value per column",
                       nfields, nfields == 1 ? "" : "s", im->ncols);
    }
    uint32_t unit = 0, indicator = im->fixed_indicator;
    size_t fw_index = im->fixed_fw_index;
    qala_period period = im->fixed_period;
    qala_flag flag = QALA_FLAG_NONE;
    int ok_unit, ok_ind = im->fixed_indicator_set, ok_period = im->fixed_period_set, ok;
    size_t len;
    const char *s;

    s = qala_import__cell(im, im->role_col[ROLE_UNIT], &len);
    if (len == 0)
        return qala_import__finding(im, QALA_SEVERITY_ERROR, im->role_col[ROLE_UNIT] + 1, "empty-unit",
                       "empty unit: expected a unit code or name");
    if ((st = resolve_unit(im, s, len, im->role_col[ROLE_UNIT] + 1, &unit, &ok_unit)) != QALA_OK)
        return st;
    if (im->role_col[ROLE_INDICATOR] >= 0) {
        s = qala_import__cell(im, im->role_col[ROLE_INDICATOR], &len);
        if ((st = qala_import__resolve_indicator(im, s, len, im->role_col[ROLE_INDICATOR] + 1, 1, &fw_index,
                                    &indicator, &ok_ind)) != QALA_OK)
            return st;
    }
    if (im->role_col[ROLE_PERIOD] >= 0) {
        s = qala_import__cell(im, im->role_col[ROLE_PERIOD], &len);
        if ((st = qala_import__check_period(im, s, len, im->role_col[ROLE_PERIOD] + 1, &period, &ok_period)) != QALA_OK)
            return st;
    }
    if (im->role_col[ROLE_FLAG] >= 0) {
        s = qala_import__cell(im, im->role_col[ROLE_FLAG], &len);
        if (qala_flag_parse(&flag, s, len) != QALA_OK)
            qala_import__finding(im, QALA_SEVERITY_ERROR, im->role_col[ROLE_FLAG] + 1, "bad-flag", "%s",
                    qala_error_last()->message);
    }
    if (!ok_unit || im->row_failed)
        return QALA_OK;

    if (im->layout == QALA_LAYOUT_LONG) {
        if (!ok_ind || !ok_period)
            return QALA_OK;
        s = qala_records__field(im->src, (size_t)im->role_col[ROLE_VALUE], &len);
        return add_value(im, unit, fw_index, indicator, period, s, len, im->role_col[ROLE_VALUE] + 1, flag);
    }
    for (size_t j = 0; j < im->ncols && st == QALA_OK; j++) {
        const col_info *c = &im->cols[j];
        if (!c->is_value)
            continue;
        s = qala_records__field(im->src, j, &len);
        if (c->own_indicator && c->own_period) {
            st = add_value(im, unit, c->fw_index, c->indicator, c->period, s, len, (long)j + 1, flag);
        } else if (im->layout == QALA_LAYOUT_WIDE_PERIODS) {
            if (ok_ind)
                st = add_value(im, unit, fw_index, indicator, c->period, s, len, (long)j + 1, flag);
        } else if (ok_period) {
            st = add_value(im, unit, c->fw_index, c->indicator, period, s, len, (long)j + 1, flag);
        }
    }
    (void)ok;
    return st;
}


/* ---- duplicates and the driver --------------------------------------------------- */

/* A repeated key: one finding per observation, and the row is remembered so that all
 * of it is rejected afterwards (in wide layouts a row has several observations). */
static void note_duplicate(void *ctx, size_t kept, size_t dropped)
{
    importer *im = ctx;
    const qala_dataset *ds = im->ds;
    char period[12], msg[512];
    qala_period_format(period, qala_dataset_periods(ds)[dropped]);
    im->line = (long)qala_dataset_lines(ds)[dropped];
    snprintf(msg, sizeof msg, "duplicate observation: %s, %s, %s is already on line %lu",
             qala_dataset_unit_code(ds, qala_dataset_units(ds)[dropped]),
             qala_dataset_indicator_code(ds, qala_dataset_indicators(ds)[dropped]), period,
             (unsigned long)qala_dataset_lines(ds)[kept]);
    add_finding(im, QALA_SEVERITY_ERROR, 0, "duplicate", msg);
    int64_t code = 0;
    qala_status st = qala_mem__grow((void **)&im->dups, &im->cap_dups, im->ndups + 1, sizeof *im->dups);
    if (st == QALA_OK)
        st = remember_message(im, msg, &code);
    if (st != QALA_OK) {
        if (im->fatal == QALA_OK)
            im->fatal = st;
        return;
    }
    im->dups[im->ndups++] = (dup_line){(uint32_t)im->line, (uint32_t)(-code - 1)};
}

static int dup_line_cmp(const void *a, const void *b)
{
    const dup_line *x = a, *y = b;
    return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->message < y->message ? -1 : x->message > y->message);
}

static int row_has_duplicate(void *ctx, size_t i)
{
    const importer *im = ctx;
    uint32_t line = qala_dataset_lines(im->ds)[i];
    size_t lo = 0, hi = im->ndups;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (im->dups[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < im->ndups && im->dups[lo].line == line;
}

/* Sorted keys make repeats adjacent: each repeat is reported, then every row with one is
 * taken out whole and counted once as rejected. */
static void reject_duplicate_rows(importer *im)
{
    qala_dataset_remove_duplicates(im->ds, note_duplicate, im);
    if (im->ndups == 0)
        return;
    qsort(im->dups, im->ndups, sizeof *im->dups, dup_line_cmp);
    size_t unique = 0;
    for (size_t i = 0; i < im->ndups; i++)
        if (unique == 0 || im->dups[unique - 1].line != im->dups[i].line)
            im->dups[unique++] = im->dups[i];
    im->ndups = unique;
    qala_dataset_remove_if(im->ds, row_has_duplicate, im);
    im->stats->rejected_rows += unique;
    for (size_t i = 0; i < unique && im->opt->on_reject; i++)
        im->opt->on_reject(im->opt->reject_ctx, (long)im->dups[i].line, NULL, NULL, 0,
                           im->messages[im->dups[i].message]);
}

static void reject_row(importer *im)
{
    im->stats->rejected_rows++;
    if (!im->opt->on_reject)
        return;
    size_t n = qala_records__nfields(im->src);
    const char *fields[64];
    size_t lengths[64];
    if (n > 64)
        n = 64;
    for (size_t i = 0; i < n; i++)
        fields[i] = qala_records__field(im->src, i, &lengths[i]);
    im->opt->on_reject(im->opt->reject_ctx, im->line, fields, lengths, n, im->reason);
}

static qala_status read_all(importer *im)
{
    size_t errors_before = qala_findings_errors(im->findings);
    qala_status st = QALA_OK;
    int r = qala_records__next(im->src);
    snprintf(im->stats->encoding, sizeof im->stats->encoding, "%s", qala_records__encoding(im->src));
    im->stats->delimiter = qala_records__delimiter(im->src);
    im->line = qala_records__sheet(im->src) ? qala_records__line(im->src) : 1; /* XLSX: the Excel row */
    if (r == 0) {
        qala_import__finding(im, QALA_SEVERITY_ERROR, 0, "empty-file", "empty file: expected a header row and data rows");
        return QALA_EDATA;
    }
    if (r < 0) {
        const qala_error *e = qala_error_last();
        if (r != QALA_EPARSE && r != QALA_ELIMIT)
            return (qala_status)r;
        im->line = e->line;
        qala_import__finding(im, QALA_SEVERITY_ERROR, e->column, qala_records__syntax_rule(im->src), "%s", e->message);
        return QALA_EDATA;
    }
    size_t next_progress = 0;
    if ((st = qala_import__read_header(im)) != QALA_OK)
        return st;
    if (im->opt->on_preview)
        qala_import__preview_header(im);
    if (im->row_failed)
        return QALA_EDATA;
    while ((r = qala_records__next(im->src)) != 0) {
        if (r < 0) {
            const qala_error *e = qala_error_last();
            if (r != QALA_EPARSE && r != QALA_ELIMIT)
                return (qala_status)r;
            im->line = e->line;
            im->row_failed = 0;
            qala_import__finding(im, QALA_SEVERITY_ERROR, e->column, qala_records__syntax_rule(im->src), "%s", e->message);
            im->stats->rows++;
            im->stats->rejected_rows++;
            if (im->opt->on_reject)
                im->opt->on_reject(im->opt->reject_ctx, im->line, NULL, NULL, 0, im->reason);
            continue;
        }
        im->line = qala_records__line(im->src);
        im->row_failed = 0;
        im->reason[0] = '\0';
        if ((++im->stats->rows & 0xffff) == 0 && im->opt->on_progress) {
            size_t done = qala_records__bytes_read(im->src);
            if (done >= next_progress) {
                im->opt->on_progress(im->opt->progress_ctx, done, qala_records__bytes_total(im->src));
                next_progress = done + ((size_t)4 << 20);
            }
        }
        size_t size_before = qala_dataset_size(im->ds);
        size_t obs_before = im->stats->observations;
        if ((st = read_row(im)) != QALA_OK)
            return st;
        if (im->opt->on_preview && im->previewed < im->opt->preview_rows && im->role_col[ROLE_UNIT] >= 0) {
            im->previewed++;
            qala_import__preview_row(im, size_before);
        }
        if (im->row_failed) {
            qala_dataset_truncate(im->ds, size_before);
            im->stats->observations = obs_before;
            reject_row(im);
        }
    }
    if (im->opt->on_progress)
        im->opt->on_progress(im->opt->progress_ctx, qala_records__bytes_total(im->src),
                             qala_records__bytes_total(im->src));
    if (im->stats->rows == 0)
        qala_import__finding(im, QALA_SEVERITY_WARNING, 0, "no-data", "the file has a header but no data rows");
    if ((st = qala_dataset_sort(im->ds)) != QALA_OK)
        return st;
    reject_duplicate_rows(im);
    im->stats->observations = qala_dataset_size(im->ds);
    return qala_findings_errors(im->findings) > errors_before ? QALA_EDATA : QALA_OK;
}

static qala_status run(importer *im)
{
    qala_status st = read_all(im);
    return im->fatal != QALA_OK && (st == QALA_OK || st == QALA_EDATA) ? im->fatal : st;
}


/* ---- entry points ---------------------------------------------------------------------- */

static qala_status import_with(qala_records *src, qala_dataset *ds, qala_findings *findings,
                               qala_import_stats *stats, const char *label,
                               const qala_registry *reg, const qala_framework *fw,
                               const qala_import_options *options)
{
    importer im = {0};
    im.reg = reg;
    im.fw = fw;
    im.opt = options;
    im.ds = ds;
    im.findings = findings;
    im.stats = stats;
    im.src = src;
    im.label = label;
    const char *sheet = qala_records__sheet(src);
    snprintf(stats->sheet, sizeof stats->sheet, "%s", sheet ? sheet : "");
    qala_strmap__init(&im.units.map);
    qala_strmap__init(&im.indicators.map);
    qala_status st = run(&im);
    if (options->on_preview && (st == QALA_OK || st == QALA_EDATA))
        qala_import__preview_notes(&im);
    qala_strmap__free(&im.units.map);
    qala_strmap__free(&im.indicators.map);
    for (size_t i = 0; i < im.nmessages; i++)
        qala_mem__free(im.messages[i]);
    qala_mem__free(im.messages);
    qala_mem__free(im.dups);
    qala_mem__free(im.cols);
    return st;
}

/* The options of a caller built against version 1 end at progress_ctx. */
static qala_import_options upgrade_options(const qala_import_options *o)
{
    qala_import_options u = QALA_IMPORT_OPTIONS_INIT;
    if (o && o->version >= 2)
        u = *o;
    else if (o)
        memcpy(&u, o, offsetof(qala_import_options, sheet));
    if (!u.preview_rows)
        u.preview_rows = 5;
    return u;
}

static qala_records_options records_options(const qala_import_options *o)
{
    qala_records_options r = QALA_RECORDS_OPTIONS_INIT;
    r.csv.delimiter = o->delimiter;
    r.csv.encoding = o->encoding;
    r.sheet = o->sheet;
    r.skip_rows = o->skip_rows;
    r.header_rows = o->header_rows;
    return r;
}

/* A workbook that cannot be read (not a zip, bad XML, no such sheet, a limit reached)
 * is a finding about the file, as a CSV syntax error is. */
static qala_status open_failed(qala_findings *findings, const char *label, qala_status st)
{
    if (st != QALA_EPARSE && st != QALA_ELIMIT && st != QALA_ENOTFOUND)
        return st;
    const qala_error *e = qala_error_last();
    qala_status fs = qala_findings_add(findings, QALA_SEVERITY_ERROR, label, e->line, e->column, "xlsx",
                                       "%s", e->message);
    return fs != QALA_OK ? fs : QALA_EDATA;
}

qala_status qala_import_file(qala_dataset *ds, qala_findings *findings, qala_import_stats *stats,
                             const char *path, const char *label, const qala_registry *reg,
                             const qala_framework *fw, const qala_import_options *options)
{
    qala_import_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    qala_import_options opt = upgrade_options(options);
    if (!label)
        label = path;
    qala_records_options ro = records_options(&opt);
    qala_records *src;
    qala_status st = qala_records__open_file(&src, path, label, &ro);
    if (st != QALA_OK)
        return open_failed(findings, label, st);
    st = import_with(src, ds, findings, stats, label, reg, fw, &opt);
    qala_records__close(src);
    return st;
}

qala_status qala_import_buffer(qala_dataset *ds, qala_findings *findings,
                               qala_import_stats *stats, const char *data, size_t len,
                               const char *label, const qala_registry *reg,
                               const qala_framework *fw, const qala_import_options *options)
{
    qala_import_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    qala_import_options opt = upgrade_options(options);
    if (!label)
        label = "<buffer>";
    qala_records_options ro = records_options(&opt);
    qala_records *src;
    qala_status st = qala_records__open_buffer(&src, data, len, label, &ro);
    if (st != QALA_OK)
        return open_failed(findings, label, st);
    st = import_with(src, ds, findings, stats, label, reg, fw, &opt);
    qala_records__close(src);
    return st;
}

qala_status qala_import_demo(qala_dataset *ds, qala_findings *findings,
                             const qala_registry *reg, const qala_framework *fw)
{
    qala_findings *own = NULL;
    qala_status st = findings ? QALA_OK : qala_findings_new(&own);
    if (!findings)
        findings = own;
    for (size_t i = 0; st == QALA_OK && qala_default_data_name(i); i++) {
        const char *name = qala_default_data_name(i);
        size_t n = strlen(name), len;
        if (strncmp(name, "demo/", 5) != 0 || n < 4 || strcmp(name + n - 4, ".csv") != 0)
            continue;
        const char *bytes = qala_default_data(name, &len);
        st = qala_import_buffer(ds, findings, NULL, bytes, len, name, reg, fw, NULL);
    }
    qala_findings_free(own);
    return st;
}
