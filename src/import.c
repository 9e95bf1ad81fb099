/* src/import.c — statistics tables (CSV) into a dataset, with validation findings.
 *
 * Place in the pipeline: file → io/csv (records) → here (layout, names, numbers, ranges,
 * duplicates) → dataset; the CLI then stores the dataset (store/) when it is clean.
 * Invariants: a row with any error adds nothing to the dataset (its tentative
 * observations are rolled back); every finding names file, line and CSV column.
 * Workload: up to 10^8 rows, so names are resolved once per distinct spelling (caches
 * keyed by the raw bytes) and numbers take the parser's fast path.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/csv.h"
#include "io/number.h"
#include "qala/import.h"
#include "qala/text.h"
#include "util/internal.h"
#include "util/strmap.h"

enum role { ROLE_NONE = -1, ROLE_UNIT, ROLE_INDICATOR, ROLE_PERIOD, ROLE_VALUE, ROLE_FLAG, ROLE_COUNT };
static const char *const role_names[ROLE_COUNT] = {"unit", "indicator", "period", "value", "flag"};

/* Header spellings (folded) that name a role; the first column with an empty header is
 * taken as the unit column of a wide table. */
static const char *const role_synonyms[ROLE_COUNT][14] = {
    {"unit", "unit code", "region", "regions", "city", "territory", "name", "область", "регион",
     "город", "территория", "наименование", "облыс", "аймақ"},
    {"indicator", "indicator code", "показатель", "көрсеткіш", "indicators", "series"},
    {"period", "year", "год", "жыл", "period code", "time", "time period"},
    {"value", "значение", "мәні", "мән", "obs value", "observation"},
    {"flag", "status", "obs status", "признак", "белгі"},
};

typedef struct col_info {
    enum role role;
    /* in wide layouts, what a value column is */
    int is_value;
    size_t fw_index;     /* indicator in the framework (wide by indicator) */
    uint32_t indicator;  /* its dataset id */
    qala_period period;  /* wide by period */
} col_info;

/* A row rejected for repeating a key, with the index of its first message. */
typedef struct dup_line {
    uint32_t line;
    uint32_t message;
} dup_line;

/* The last spelling resolved and its cache value (names of up to 63 bytes). */
typedef struct last_name {
    char raw[64];
    size_t len; /* 0: empty */
    int64_t code;
} last_name;

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

/* Resolved spellings: a map keyed by the raw bytes, and the previous row's spelling
 * checked first (sorted files repeat it). */
typedef struct name_cache {
    qala_strmap map;
    last_name last;
} name_cache;

typedef struct importer {
    const qala_registry *reg;
    const qala_framework *fw;
    const qala_import_options *opt;
    qala_dataset *ds;
    qala_findings *findings;
    qala_import_stats *stats;
    qala_csv *csv;
    const char *label;
    col_info *cols;
    size_t ncols;
    long role_col[ROLE_COUNT];
    qala_layout layout;
    int fixed_indicator_set, fixed_period_set;
    size_t fixed_fw_index;
    uint32_t fixed_indicator;
    qala_period fixed_period;
    name_cache units;       /* raw spelling → dataset unit id, or -(message index + 1) */
    name_cache indicators;  /* raw spelling → (framework index << 32 | dataset id), or -(msg + 1) */
    char **messages;        /* resolution failures, reported once per occurrence */
    size_t nmessages, cap_messages;
    char decimal;           /* the file's decimal mark once seen, else 0 */
    long decimal_line;
    /* the current row */
    long line;
    int row_failed;
    char reason[512];       /* the first error of the current row */
    qala_status fatal;      /* a finding that could not be stored */
    dup_line *dups;         /* rows with a duplicate observation, and the first reason */
    size_t ndups, cap_dups;
} importer;

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
static qala_status finding(importer *im, qala_severity sev, long column, const char *rule,
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
static const char *trim(const char *s, size_t *len)
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
static qala_status resolve_indicator(importer *im, const char *raw, size_t len, long column,
                                     int report, size_t *fw_index, uint32_t *id, int *ok)
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
static int looks_like_year(const char *s, size_t len)
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

static qala_status check_period(importer *im, const char *raw, size_t len, long column,
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
    if (looks_like_year(raw, len) && qala_period_parse(out, raw, len) != QALA_OK) {
        return finding(im, QALA_SEVERITY_ERROR, column, "period-out-of-range",
                       "period %.4s is outside the allowed range %d to %d", raw,
                       qala_period_year(im->opt->period_min), qala_period_year(im->opt->period_max));
    }
    if (qala_period_parse(out, raw, len) != QALA_OK)
        return finding(im, QALA_SEVERITY_ERROR, column, "bad-period",
                       "\"%.*s\" is not a period: expected YYYY, YYYY-Qn or YYYY-MM",
                       (int)(len > 40 ? 40 : len), raw);
    if (*out < im->opt->period_min || *out > im->opt->period_max) {
        return finding(im, QALA_SEVERITY_ERROR, column, "period-out-of-range",
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
            const char *t = trim(raw, &tl);
            return finding(im, QALA_SEVERITY_ERROR, column, "mixed-decimal-marks",
                           "\"%.*s\" uses '%c' as decimal mark, but this file uses '%c' since line %ld",
                           (int)(tl > 60 ? 60 : tl), t, im->decimal == ',' ? '.' : ',', im->decimal,
                           im->decimal_line);
        }
    }
    if (kind == QALA_NUMBER_INVALID) {
        size_t tl = len;
        const char *t = trim(raw, &tl);
        return finding(im, QALA_SEVERITY_ERROR, column, "not-a-number",
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
                return finding(im, QALA_SEVERITY_ERROR, column, "mixed-decimal-marks",
                               "\"%.*s\" uses '%c' as decimal mark, but this file uses '%c' since line %ld",
                               (int)(len > 60 ? 60 : len), raw, mark, im->decimal, im->decimal_line);
            }
        } else if (notes & QALA_NUMBER_NOTE_AMBIGUOUS) {
            size_t tl = len;
            const char *t = trim(raw, &tl);
            finding(im, QALA_SEVERITY_WARNING, column, "ambiguous-number",
                    "\"%.*s\" could be a decimal or a thousands separator: read as %.15g",
                    (int)(tl > 60 ? 60 : tl), t, v);
        }
        if (notes & QALA_NUMBER_NOTE_FOOTNOTE) {
            size_t tl = len;
            const char *t = trim(raw, &tl);
            finding(im, QALA_SEVERITY_WARNING, column, "footnote-stripped",
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
            return finding(im, QALA_SEVERITY_ERROR, column, "out-of-range",
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

static const char *cell(importer *im, long col, size_t *len)
{
    const char *s = qala_csv__field(im->csv, (size_t)col, len);
    return trim(s, len);
}

static qala_status read_row(importer *im)
{
    size_t nfields = qala_csv__nfields(im->csv);
    qala_status st = QALA_OK;
    if (nfields != im->ncols) {
        /* a lone empty field is an empty line of a one-column table: skip */
        return finding(im, QALA_SEVERITY_ERROR, 0, "field-count",
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

    s = cell(im, im->role_col[ROLE_UNIT], &len);
    if (len == 0)
        return finding(im, QALA_SEVERITY_ERROR, im->role_col[ROLE_UNIT] + 1, "empty-unit",
                       "empty unit: expected a unit code or name");
    if ((st = resolve_unit(im, s, len, im->role_col[ROLE_UNIT] + 1, &unit, &ok_unit)) != QALA_OK)
        return st;
    if (im->role_col[ROLE_INDICATOR] >= 0) {
        s = cell(im, im->role_col[ROLE_INDICATOR], &len);
        if ((st = resolve_indicator(im, s, len, im->role_col[ROLE_INDICATOR] + 1, 1, &fw_index,
                                    &indicator, &ok_ind)) != QALA_OK)
            return st;
    }
    if (im->role_col[ROLE_PERIOD] >= 0) {
        s = cell(im, im->role_col[ROLE_PERIOD], &len);
        if ((st = check_period(im, s, len, im->role_col[ROLE_PERIOD] + 1, &period, &ok_period)) != QALA_OK)
            return st;
    }
    if (im->role_col[ROLE_FLAG] >= 0) {
        s = cell(im, im->role_col[ROLE_FLAG], &len);
        if (qala_flag_parse(&flag, s, len) != QALA_OK)
            finding(im, QALA_SEVERITY_ERROR, im->role_col[ROLE_FLAG] + 1, "bad-flag", "%s",
                    qala_error_last()->message);
    }
    if (!ok_unit || im->row_failed)
        return QALA_OK;

    if (im->layout == QALA_LAYOUT_LONG) {
        if (!ok_ind || !ok_period)
            return QALA_OK;
        s = qala_csv__field(im->csv, (size_t)im->role_col[ROLE_VALUE], &len);
        return add_value(im, unit, fw_index, indicator, period, s, len, im->role_col[ROLE_VALUE] + 1, flag);
    }
    for (size_t j = 0; j < im->ncols && st == QALA_OK; j++) {
        const col_info *c = &im->cols[j];
        if (!c->is_value)
            continue;
        s = qala_csv__field(im->csv, j, &len);
        if (im->layout == QALA_LAYOUT_WIDE_PERIODS) {
            if (ok_ind)
                st = add_value(im, unit, fw_index, indicator, c->period, s, len, (long)j + 1, flag);
        } else if (ok_period) {
            st = add_value(im, unit, c->fw_index, c->indicator, period, s, len, (long)j + 1, flag);
        }
    }
    (void)ok;
    return st;
}

/* ---- the header ----------------------------------------------------------------- */

static int header_is(const char *folded, enum role r)
{
    for (size_t k = 0; k < sizeof role_synonyms[r] / sizeof role_synonyms[r][0] && role_synonyms[r][k]; k++)
        if (strcmp(folded, role_synonyms[r][k]) == 0)
            return 1;
    return 0;
}

/* Applies --map "role=Header,role=Header". */
static qala_status apply_map(importer *im, char **folded)
{
    const char *p = im->opt->map;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (!eq)
            return qala_err__set(QALA_EINVAL, "--map: \"%.*s\" is not role=HEADER", (int)n, p);
        int r = -1;
        for (int k = 0; k < ROLE_COUNT; k++)
            if ((size_t)(eq - p) == strlen(role_names[k]) && strncmp(p, role_names[k], (size_t)(eq - p)) == 0)
                r = k;
        if (r < 0)
            return qala_err__set(QALA_EINVAL,
                                 "--map: unknown role \"%.*s\": expected unit, indicator, period, value or flag",
                                 (int)(eq - p), p);
        char *want = NULL;
        qala_status st = qala_text_fold(&want, eq + 1, n - (size_t)(eq + 1 - p));
        if (st != QALA_OK)
            return st;
        long found = -1;
        for (size_t j = 0; j < im->ncols; j++)
            if (strcmp(folded[j], want) == 0)
                found = (long)j;
        qala_free(want);
        if (found < 0)
            return qala_err__set(QALA_EINVAL, "--map: %s has no column \"%.*s\"", im->label,
                                 (int)(n - (size_t)(eq + 1 - p)), eq + 1);
        im->role_col[r] = found;
        im->cols[found].role = (enum role)r;
        p = end ? end + 1 : NULL;
    }
    return QALA_OK;
}

static qala_status classify_value_columns(importer *im, int commit, size_t *nperiods, size_t *nindicators)
{
    *nperiods = *nindicators = 0;
    for (size_t j = 0; j < im->ncols; j++) {
        col_info *c = &im->cols[j];
        if (c->role != ROLE_NONE)
            continue;
        size_t len;
        const char *h = cell(im, (long)j, &len);
        qala_period p;
        size_t fwi;
        uint32_t id;
        int ok;
        int year_like = looks_like_year(h, len);
        if (len && (year_like || qala_period_parse(&p, h, len) == QALA_OK)) {
            (*nperiods)++;
            if (commit && im->layout == QALA_LAYOUT_WIDE_PERIODS) {
                if (qala_period_parse(&p, h, len) != QALA_OK || p < im->opt->period_min ||
                    p > im->opt->period_max) {
                    check_period(im, h, len, (long)j + 1, &p, &ok);
                } else {
                    c->is_value = 1;
                    c->period = p;
                }
            }
            if (!commit || im->layout == QALA_LAYOUT_WIDE_PERIODS)
                continue;
        }
        qala_status st = year_like ? QALA_OK : resolve_indicator(im, h, len, (long)j + 1, 0, &fwi, &id, &ok);
        if (st != QALA_OK)
            return st;
        if (year_like)
            ok = 0;
        if (ok) {
            (*nindicators)++;
            if (commit && im->layout == QALA_LAYOUT_WIDE_INDICATORS) {
                c->is_value = 1;
                c->fw_index = fwi;
                c->indicator = id;
            }
        }
        if (commit && !c->is_value && !im->row_failed)
            finding(im, QALA_SEVERITY_WARNING, (long)j + 1, "column-ignored",
                    "column \"%.*s\" ignored: it is not %s", (int)(len > 60 ? 60 : len), h,
                    im->layout == QALA_LAYOUT_WIDE_PERIODS ? "a period" : "an indicator of the framework");
    }
    return QALA_OK;
}

static qala_status missing_role(importer *im, enum role r, const char *option)
{
    return finding(im, QALA_SEVERITY_ERROR, 0, "missing-column",
                   "no %s column: expected a header named \"%s\" (or --map %s=HEADER%s%s)",
                   role_names[r], role_names[r], role_names[r], option ? ", or " : "", option ? option : "");
}

static qala_status read_header(importer *im)
{
    im->ncols = qala_csv__nfields(im->csv);
    im->cols = qala_mem__calloc(im->ncols, sizeof *im->cols);
    char **folded = qala_mem__calloc(im->ncols, sizeof *folded);
    qala_status st = QALA_OK;
    if (!im->cols || !folded) {
        st = qala_err__set(QALA_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < im->ncols; j++) {
        size_t len;
        const char *h = cell(im, (long)j, &len);
        im->cols[j].role = ROLE_NONE;
        if ((st = qala_text_fold(&folded[j], h, len)) != QALA_OK)
            goto done;
    }
    for (int r = 0; r < ROLE_COUNT; r++)
        im->role_col[r] = -1;
    if ((st = apply_map(im, folded)) != QALA_OK)
        goto done;
    for (size_t j = 0; j < im->ncols; j++)
        for (int r = 0; r < ROLE_COUNT && im->cols[j].role == ROLE_NONE; r++)
            if (im->role_col[r] < 0 && header_is(folded[j], (enum role)r)) {
                im->role_col[r] = (long)j;
                im->cols[j].role = (enum role)r;
            }
    if (im->role_col[ROLE_UNIT] < 0 && im->ncols > 1 && folded[0][0] == '\0' &&
        im->cols[0].role == ROLE_NONE) {
        im->role_col[ROLE_UNIT] = 0;
        im->cols[0].role = ROLE_UNIT;
    }
    if (im->opt->indicator) {
        int ok;
        if ((st = resolve_indicator(im, im->opt->indicator, strlen(im->opt->indicator), 0, 0,
                                    &im->fixed_fw_index, &im->fixed_indicator, &ok)) != QALA_OK)
            goto done;
        if (!ok) {
            st = qala_err__set(QALA_EINVAL, "--indicator: %s", im->messages[im->nmessages - 1]);
            goto done;
        }
        im->fixed_indicator_set = 1;
    }
    if (im->opt->period) {
        if ((st = qala_period_parse(&im->fixed_period, im->opt->period, strlen(im->opt->period))) != QALA_OK) {
            st = qala_err__set(QALA_EINVAL, "--period: '%.40s' is not a period: expected YYYY, YYYY-Qn or YYYY-MM", im->opt->period);
            goto done;
        }
        if (im->fixed_period < im->opt->period_min || im->fixed_period > im->opt->period_max) {
            st = qala_err__set(QALA_EINVAL, "--period: %.40s is outside the allowed range %d to %d",
                               im->opt->period, qala_period_year(im->opt->period_min),
                               qala_period_year(im->opt->period_max));
            goto done;
        }
        im->fixed_period_set = 1;
    }
    im->layout = im->opt->layout;
    size_t nperiods, nindicators;
    if (im->layout == QALA_LAYOUT_AUTO) {
        if (im->role_col[ROLE_VALUE] >= 0) {
            im->layout = QALA_LAYOUT_LONG;
        } else {
            if ((st = classify_value_columns(im, 0, &nperiods, &nindicators)) != QALA_OK)
                goto done;
            im->layout = nperiods > nindicators ? QALA_LAYOUT_WIDE_PERIODS
                         : nindicators ? QALA_LAYOUT_WIDE_INDICATORS : QALA_LAYOUT_LONG;
        }
    }
    im->stats->layout = im->layout;
    if (im->role_col[ROLE_UNIT] < 0)
        missing_role(im, ROLE_UNIT, NULL);
    if (im->layout != QALA_LAYOUT_WIDE_INDICATORS && im->role_col[ROLE_INDICATOR] < 0 && !im->fixed_indicator_set)
        missing_role(im, ROLE_INDICATOR, "--indicator CODE");
    if (im->layout != QALA_LAYOUT_WIDE_PERIODS && im->role_col[ROLE_PERIOD] < 0 && !im->fixed_period_set)
        missing_role(im, ROLE_PERIOD, "--period YYYY");
    if (im->layout == QALA_LAYOUT_LONG && im->role_col[ROLE_VALUE] < 0)
        missing_role(im, ROLE_VALUE, NULL);
    if (!im->row_failed && im->layout != QALA_LAYOUT_LONG) {
        if ((st = classify_value_columns(im, 1, &nperiods, &nindicators)) != QALA_OK)
            goto done;
        size_t nvalues = 0;
        for (size_t j = 0; j < im->ncols; j++)
            nvalues += im->cols[j].is_value;
        if (nvalues == 0 && !im->row_failed)
            finding(im, QALA_SEVERITY_ERROR, 0, "no-value-columns",
                    "no value columns: expected columns named by %s",
                    im->layout == QALA_LAYOUT_WIDE_PERIODS ? "period (2021, 2022-Q1, ...)" : "indicator code or name");
    }
done:
    for (size_t j = 0; folded && j < im->ncols; j++)
        qala_free(folded[j]);
    qala_mem__free(folded);
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
    size_t n = qala_csv__nfields(im->csv);
    const char *fields[64];
    size_t lengths[64];
    if (n > 64)
        n = 64;
    for (size_t i = 0; i < n; i++)
        fields[i] = qala_csv__field(im->csv, i, &lengths[i]);
    im->opt->on_reject(im->opt->reject_ctx, im->line, fields, lengths, n, im->reason);
}

static qala_status read_all(importer *im)
{
    size_t errors_before = qala_findings_errors(im->findings);
    qala_status st = QALA_OK;
    int r = qala_csv__next(im->csv);
    snprintf(im->stats->encoding, sizeof im->stats->encoding, "%s", qala_csv__encoding(im->csv));
    im->stats->delimiter = qala_csv__delimiter(im->csv);
    im->line = 1;
    if (r == 0) {
        finding(im, QALA_SEVERITY_ERROR, 0, "empty-file", "empty file: expected a header row and data rows");
        return QALA_EDATA;
    }
    if (r < 0) {
        const qala_error *e = qala_error_last();
        if (r != QALA_EPARSE && r != QALA_ELIMIT)
            return (qala_status)r;
        im->line = e->line;
        finding(im, QALA_SEVERITY_ERROR, e->column, "csv-syntax", "%s", e->message);
        return QALA_EDATA;
    }
    size_t next_progress = 0;
    if ((st = read_header(im)) != QALA_OK)
        return st;
    if (im->row_failed)
        return QALA_EDATA;
    while ((r = qala_csv__next(im->csv)) != 0) {
        if (r < 0) {
            const qala_error *e = qala_error_last();
            if (r != QALA_EPARSE && r != QALA_ELIMIT)
                return (qala_status)r;
            im->line = e->line;
            im->row_failed = 0;
            finding(im, QALA_SEVERITY_ERROR, e->column, "csv-syntax", "%s", e->message);
            im->stats->rows++;
            im->stats->rejected_rows++;
            if (im->opt->on_reject)
                im->opt->on_reject(im->opt->reject_ctx, im->line, NULL, NULL, 0, im->reason);
            continue;
        }
        im->line = qala_csv__line(im->csv);
        im->row_failed = 0;
        im->reason[0] = '\0';
        if ((++im->stats->rows & 0xffff) == 0 && im->opt->on_progress) {
            size_t done = qala_csv__bytes_read(im->csv);
            if (done >= next_progress) {
                im->opt->on_progress(im->opt->progress_ctx, done, qala_csv__bytes_total(im->csv));
                next_progress = done + ((size_t)4 << 20);
            }
        }
        size_t size_before = qala_dataset_size(im->ds);
        size_t obs_before = im->stats->observations;
        if ((st = read_row(im)) != QALA_OK)
            return st;
        if (im->row_failed) {
            qala_dataset_truncate(im->ds, size_before);
            im->stats->observations = obs_before;
            reject_row(im);
        }
    }
    if (im->opt->on_progress)
        im->opt->on_progress(im->opt->progress_ctx, qala_csv__bytes_total(im->csv),
                             qala_csv__bytes_total(im->csv));
    if (im->stats->rows == 0)
        finding(im, QALA_SEVERITY_WARNING, 0, "no-data", "the file has a header but no data rows");
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

static qala_status import_with(qala_csv *csv, qala_dataset *ds, qala_findings *findings,
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
    im.csv = csv;
    im.label = label;
    qala_strmap__init(&im.units.map);
    qala_strmap__init(&im.indicators.map);
    qala_status st = run(&im);
    qala_strmap__free(&im.units.map);
    qala_strmap__free(&im.indicators.map);
    for (size_t i = 0; i < im.nmessages; i++)
        qala_mem__free(im.messages[i]);
    qala_mem__free(im.messages);
    qala_mem__free(im.dups);
    qala_mem__free(im.cols);
    return st;
}

static const qala_import_options default_options = QALA_IMPORT_OPTIONS_INIT;

static qala_csv_options csv_options(const qala_import_options *o)
{
    qala_csv_options c = {0};
    c.delimiter = o->delimiter;
    c.encoding = o->encoding;
    return c;
}

qala_status qala_import_file(qala_dataset *ds, qala_findings *findings, qala_import_stats *stats,
                             const char *path, const char *label, const qala_registry *reg,
                             const qala_framework *fw, const qala_import_options *options)
{
    qala_import_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    if (!options)
        options = &default_options;
    if (!label)
        label = path;
    qala_csv_options co = csv_options(options);
    qala_csv *csv;
    qala_status st = qala_csv__open_file(&csv, path, label, &co);
    if (st != QALA_OK)
        return st;
    st = import_with(csv, ds, findings, stats, label, reg, fw, options);
    qala_csv__close(csv);
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
    if (!options)
        options = &default_options;
    if (!label)
        label = "<buffer>";
    qala_csv_options co = csv_options(options);
    qala_csv *csv;
    qala_status st = qala_csv__open_buffer(&csv, data, len, label, &co);
    if (st != QALA_OK)
        return st;
    st = import_with(csv, ds, findings, stats, label, reg, fw, options);
    qala_csv__close(csv);
    return st;
}
