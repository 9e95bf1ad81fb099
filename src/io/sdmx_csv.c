/* src/io/sdmx_csv.c — SDMX-CSV 1.0 and 2.0 into a dataset, with validation findings.
 *
 * Place in the pipeline: file → io/csv (records) → here (header roles, code lists
 * through the mapping file, TIME_PERIOD forms, OBS_STATUS, ACTION) → dataset, the same
 * dataset the plain CSV import produces; the CLI stores it when it is clean.
 * Invariants: a row with any error adds nothing; every finding names file, line and
 * the 1-based CSV column; a key repeated in the file is an error on the later row, and
 * with errors the caller stores nothing (as qala/import.h). Codes are resolved once per
 * distinct spelling (a cache per column). Workload: up to millions of rows, streaming.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/csv.h"
#include "qala/sdmx.h"
#include "util/internal.h"
#include "util/strmap.h"

enum col { K_UNIT, K_IND, K_PERIOD, K_VALUE, K_STATUS, K_FREQ, K_ACTION, K_COUNT };
static const char *const default_ids[K_COUNT] = {"REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE",
                                                 "OBS_STATUS", "FREQ", "ACTION"};
static const char *const role_names[5] = {"unit", "indicator", "period", "value", "flag"};

typedef struct reader {
    const qala_registry *reg;
    const qala_framework *fw;
    const qala_sdmx_map *map;
    const qala_import_options *opt;
    qala_dataset *ds;
    qala_findings *findings;
    qala_import_stats *stats;
    qala_csv *csv;
    const char *label;
    int version;
    long at[K_COUNT];      /* column of each role, -1 when absent */
    char id[K_COUNT][64];  /* the column ids (for messages and the mapping) */
    size_t ncols;
    int have_header;
    qala_strmap units, inds; /* spelling → dataset id | fw index << 32, or -1 unknown */
    long line;
    int row_failed;
    char reason[640];
    qala_status fatal;
} reader;

__attribute__((format(printf, 5, 6)))
static void finding(reader *r, qala_severity sev, long col, const char *rule, const char *fmt, ...)
{
    char msg[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sev == QALA_SEVERITY_ERROR && !r->row_failed) {
        r->row_failed = 1;
        snprintf(r->reason, sizeof r->reason, "%s", msg);
    }
    qala_status st = qala_findings_add(r->findings, sev, r->label, r->line, col, rule, "%s", msg);
    if (st != QALA_OK && r->fatal == QALA_OK)
        r->fatal = st;
}

/* Trims spaces and cuts a label: "KZ-KAR: Karaganda" → "KZ-KAR". */
static const char *code_of(const char *s, size_t *len)
{
    size_t n = *len;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    const char *colon = memchr(s, ':', n);
    if (colon && (size_t)(colon - s) + 1 < n && colon[1] == ' ')
        n = (size_t)(colon - s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *len = n;
    return s;
}

int qala_sdmx_detect(const char *data, size_t len)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3;
    if (len && *data == '"')
        data++, len--;
    if (len >= 8 && strncasecmp(data, "DATAFLOW", 8) == 0 &&
        (len == 8 || strchr(",;\t:\"\r\n", data[8])))
        return 1;
    if (len >= 9 && strncasecmp(data, "STRUCTURE", 9) == 0 &&
        (len == 9 || strchr(",;\t:\"\r\n", data[9])))
        return 2;
    return 0;
}

/* ---- the header ------------------------------------------------------------------ */

/* The column of option map role r ("unit=REF_AREA_CODE"), or the default id. */
static void wanted_ids(reader *r, char ids[K_COUNT][64])
{
    for (int k = 0; k < K_COUNT; k++)
        snprintf(ids[k], 64, "%s", default_ids[k]);
    for (const char *p = r->opt->map; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        for (int k = 0; eq && k < 5; k++)
            if ((size_t)(eq - p) == strlen(role_names[k]) && strncmp(p, role_names[k], (size_t)(eq - p)) == 0)
                snprintf(ids[k], 64, "%.*s", (int)(n - (size_t)(eq + 1 - p)), eq + 1);
        p = end ? end + 1 : NULL;
    }
}

static int read_header(reader *r)
{
    r->ncols = qala_csv__nfields(r->csv);
    char ids[K_COUNT][64], ignored[512] = "";
    size_t nignored = 0, o = 0;
    wanted_ids(r, ids);
    for (int k = 0; k < K_COUNT; k++) {
        r->at[k] = -1;
        snprintf(r->id[k], sizeof r->id[k], "%s", ids[k]);
    }
    size_t len;
    const char *first = code_of(qala_csv__field(r->csv, 0, &len), &len);
    r->version = len == 8 && strncasecmp(first, "DATAFLOW", 8) == 0 ? 1
                 : len == 9 && strncasecmp(first, "STRUCTURE", 9) == 0 ? 2 : 0;
    if (!r->version) {
        finding(r, QALA_SEVERITY_ERROR, 1, "not-sdmx",
                "\"%.*s\" is not an SDMX-CSV header: the first column must be DATAFLOW (SDMX-CSV 1.0) "
                "or STRUCTURE (2.0)", (int)(len > 40 ? 40 : len), first);
        return 0;
    }
    long structure_id = -1;
    for (size_t j = 1; j < r->ncols; j++) {
        const char *h = code_of(qala_csv__field(r->csv, j, &len), &len);
        int role = -1;
        for (int k = 0; k < K_COUNT && role < 0; k++)
            if (strlen(ids[k]) == len && strncasecmp(h, ids[k], len) == 0)
                role = k;
        if (role == K_ACTION && r->version == 1)
            role = -1;
        if (role >= 0 && r->at[role] < 0) {
            r->at[role] = (long)j;
        } else if (r->version == 2 && len == 12 && strncasecmp(h, "STRUCTURE_ID", 12) == 0) {
            structure_id = (long)j;
        } else if (!(r->version == 2 && len == 14 && strncasecmp(h, "STRUCTURE_NAME", 14) == 0)) {
            nignored++;
            if (o < sizeof ignored - 80)
                o += (size_t)snprintf(ignored + o, sizeof ignored - o, "%s%.*s", o ? ", " : "",
                                      (int)(len > 60 ? 60 : len), h);
        }
    }
    if (r->version == 2 && structure_id < 0)
        finding(r, QALA_SEVERITY_ERROR, 0, "missing-column",
                "no STRUCTURE_ID column: SDMX-CSV 2.0 starts with STRUCTURE,STRUCTURE_ID");
    static const char *const what[4] = {"the unit", "the indicator", "the period", "the value"};
    for (int k = K_UNIT; k <= K_VALUE; k++)
        if (r->at[k] < 0)
            finding(r, QALA_SEVERITY_ERROR, 0, "missing-column",
                    "no %s column (%s): expected it in the header (or --map %s=COLUMN)", ids[k], what[k],
                    role_names[k]);
    if (nignored && !r->row_failed)
        finding(r, QALA_SEVERITY_WARNING, 0, "columns-ignored",
                "column%s ignored: %s (qala reads %s, %s, %s, %s, OBS_STATUS, FREQ%s)",
                nignored == 1 ? "" : "s", ignored, ids[K_UNIT], ids[K_IND], ids[K_PERIOD], ids[K_VALUE],
                r->version == 2 ? ", ACTION" : "");
    return !r->row_failed;
}

/* ---- fields ---------------------------------------------------------------------- */

static const char *field(reader *r, int k, size_t *len)
{
    if (r->at[k] < 0) {
        *len = 0;
        return "";
    }
    return code_of(qala_csv__field(r->csv, (size_t)r->at[k], len), len);
}

/* Resolves a REF_AREA or INDICATOR code (mapped first): 1 with *id (and *fwi), or 0 with
 * a finding. Results are cached per spelling. */
static int resolve(reader *r, int k, uint32_t *id, size_t *fwi)
{
    size_t len;
    const char *raw = field(r, k, &len);
    long col = r->at[k] + 1;
    if (len == 0) {
        finding(r, QALA_SEVERITY_ERROR, col, k == K_UNIT ? "empty-unit" : "empty-indicator",
                "empty %s: expected a code", r->id[k]);
        return 0;
    }
    qala_strmap *cache = k == K_UNIT ? &r->units : &r->inds;
    int64_t *hit = qala_strmap__get(cache, raw, len), v = -1;
    char code[256];
    snprintf(code, sizeof code, "%.*s", (int)(len > 255 ? 255 : len), raw);
    if (hit) {
        v = *hit;
    } else {
        const char *mapped = qala_sdmx_map_to_qala(r->map, r->id[k], code);
        const char *target = mapped ? mapped : code;
        size_t idx;
        qala_status st;
        if (k == K_UNIT) {
            uint32_t uid;
            if (qala_registry_find(r->reg, target, &idx) == QALA_OK) {
                if ((st = qala_dataset_intern_unit(r->ds, qala_registry_unit(r->reg, idx)->code, &uid)) != QALA_OK)
                    goto fail;
                v = uid;
            }
        } else if (qala_framework_find(r->fw, target, &idx) == QALA_OK) {
            uint32_t iid;
            if ((st = qala_dataset_intern_indicator(r->ds, qala_framework_get(r->fw, idx)->code, &iid)) != QALA_OK)
                goto fail;
            v = (int64_t)idx << 32 | iid;
        }
        if (v < 0)
            v = mapped ? -2 : -1;
        if ((st = qala_strmap__put(cache, raw, len, v)) != QALA_OK)
            goto fail;
    }
    if (v < 0) {
        const char *mapped = qala_sdmx_map_to_qala(r->map, r->id[k], code);
        const char *what = k == K_UNIT ? "a unit code of the registry" : "an indicator code of the framework";
        if (v == -2)
            finding(r, QALA_SEVERITY_ERROR, col, k == K_UNIT ? "unknown-unit" : "unknown-indicator",
                    "%s code \"%.80s\" is mapped to \"%.80s\", which is not %s", r->id[k], code, mapped, what);
        else
            finding(r, QALA_SEVERITY_ERROR, col, k == K_UNIT ? "unknown-unit" : "unknown-indicator",
                    "unknown %s code \"%.80s\": not %s, and %s", r->id[k], code, what,
                    r->map ? "the mapping file does not map it" : "no mapping file was given (--sdmx-map FILE)");
        return 0;
    }
    *id = (uint32_t)(v & 0xffffffff);
    if (fwi)
        *fwi = (size_t)(v >> 32);
    return 1;
fail:
    if (r->fatal == QALA_OK)
        r->fatal = QALA_ENOMEM;
    r->row_failed = 1;
    return 0;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* TIME_PERIOD in the forms of qala/sdmx.h into a qala period: 1; 0 when not one of the
 * forms; -1 when one, but not a period qala can hold (a year outside 1900..2100, a
 * month 13). */
static int parse_period(const char *s, size_t n, qala_period *out)
{
    if (n < 4 || !digits(s, 4))
        return 0;
    int y = atoi(s);
    char buf[32];
    if (y < 1000)
        return 0;
    if (n == 4 || (n == 7 && memcmp(s + 4, "-A1", 3) == 0)) {
        snprintf(buf, sizeof buf, "%04d", y);
    } else if (n == 7 && (s[5] == 'Q' || s[5] == 'q') && s[4] == '-' && s[6] >= '1' && s[6] <= '4') {
        snprintf(buf, sizeof buf, "%04d-Q%c", y, s[6]);
    } else if (n == 7 && s[4] == '-' && digits(s + 5, 2)) {
        snprintf(buf, sizeof buf, "%.7s", s);
    } else if (n == 8 && s[4] == '-' && (s[5] == 'M' || s[5] == 'm') && digits(s + 6, 2)) {
        snprintf(buf, sizeof buf, "%04d-%.2s", y, s + 6);
    } else if (n >= 14 && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' && memcmp(s + 8, "01/P", 4) == 0) {
        int m = atoi(s + 5);
        const char *d = s + 12;
        size_t dn = n - 12;
        if (dn == 2 && memcmp(d, "1Y", 2) == 0 && m == 1)
            snprintf(buf, sizeof buf, "%04d", y);
        else if (dn == 2 && memcmp(d, "3M", 2) == 0 && m % 3 == 1)
            snprintf(buf, sizeof buf, "%04d-Q%d", y, (m + 2) / 3);
        else if (dn == 2 && memcmp(d, "1M", 2) == 0)
            snprintf(buf, sizeof buf, "%04d-%02d", y, m);
        else
            return 0;
    } else {
        return 0;
    }
    return qala_period_parse(out, buf, strlen(buf)) == QALA_OK ? 1 : -1;
}

static int read_period(reader *r, qala_period *p)
{
    size_t len;
    const char *s = field(r, K_PERIOD, &len);
    long col = r->at[K_PERIOD] + 1;
    int form = parse_period(s, len, p);
    if (form == 0) {
        finding(r, QALA_SEVERITY_ERROR, col, "bad-period",
                "TIME_PERIOD \"%.40s\" is not an annual, quarterly or monthly period: expected 2022, "
                "2022-Q3 or 2022-07 (also 2022-M07, 2022-07-01/P1M, 2022-07-01/P3M, 2022-01-01/P1Y)",
                s);
        return 0;
    }
    if (form < 0 || *p < r->opt->period_min || *p > r->opt->period_max) {
        finding(r, QALA_SEVERITY_ERROR, col, "period-out-of-range",
                "period %.*s is outside the allowed range %d to %d", (int)(len > 20 ? 20 : len), s,
                qala_period_year(r->opt->period_min), qala_period_year(r->opt->period_max));
        return 0;
    }
    size_t flen;
    const char *f = field(r, K_FREQ, &flen);
    if (flen) {
        static const char letters[] = "AQM";
        static const char *const names[] = {"annual", "quarterly", "monthly"};
        const char *at = flen == 1 ? strchr(letters, toupper((unsigned char)f[0])) : NULL;
        int freq = (int)qala_period_frequency(*p);
        if (!at) {
            finding(r, QALA_SEVERITY_ERROR, r->at[K_FREQ] + 1, "bad-frequency",
                    "FREQ \"%.20s\" is not supported: qala keeps annual (A), quarterly (Q) and monthly (M) data",
                    f);
            return 0;
        }
        if (at - letters != freq) {
            finding(r, QALA_SEVERITY_ERROR, r->at[K_FREQ] + 1, "frequency-mismatch",
                    "FREQ %c does not match TIME_PERIOD \"%.*s\" (%s)", *at, (int)(len > 30 ? 30 : len), s,
                    names[freq]);
            return 0;
        }
    }
    return 1;
}

/* OBS_STATUS: 1 with *flag, 0 with *missing set (M, L, O: no observation), -1 on error. */
static int read_status(reader *r, qala_flag *flag)
{
    size_t len;
    const char *s = field(r, K_STATUS, &len);
    *flag = QALA_FLAG_NONE;
    if (len == 0)
        return 1;
    char code[64];
    snprintf(code, sizeof code, "%.*s", (int)(len > 63 ? 63 : len), s);
    const char *mapped = qala_sdmx_map_to_qala(r->map, r->id[K_STATUS], code);
    if (mapped) {
        if (strcmp(mapped, "missing") == 0)
            return 0;
        if (strcmp(mapped, "normal") == 0)
            return 1;
        if (qala_flag_parse(flag, mapped, strlen(mapped)) == QALA_OK)
            return 1;
    } else if (len == 1) {
        switch (toupper((unsigned char)s[0])) {
        case 'A': return 1;
        case 'P': *flag = QALA_FLAG_PROVISIONAL; return 1;
        case 'E': *flag = QALA_FLAG_ESTIMATED; return 1;
        case 'B': *flag = QALA_FLAG_BREAK; return 1;
        case 'C': *flag = QALA_FLAG_CONFIDENTIAL; return 1;
        case 'I': *flag = QALA_FLAG_IMPUTED; return 1;
        case 'M': case 'L': case 'O': return 0;
        default: break;
        }
    }
    finding(r, QALA_SEVERITY_ERROR, r->at[K_STATUS] + 1, "bad-flag",
            "OBS_STATUS \"%s\" is not supported: expected A (normal), P (provisional), E (estimated), "
            "B (break), C (confidential), I (imputed) or M (missing), or map it in the mapping file",
            code);
    return -1;
}

static int read_action(reader *r)
{
    size_t len;
    const char *s = field(r, K_ACTION, &len);
    if (len == 0 || (len == 1 && strchr("IARMiarm", s[0])))
        return 1;
    if (len == 1 && (s[0] == 'D' || s[0] == 'd'))
        finding(r, QALA_SEVERITY_ERROR, r->at[K_ACTION] + 1, "delete-refused",
                "ACTION D (delete) is not supported: an import adds and revises observations");
    else
        finding(r, QALA_SEVERITY_ERROR, r->at[K_ACTION] + 1, "bad-action",
                "ACTION \"%.20s\" is not I, A, R, M or D", s);
    return 0;
}

/* ---- rows ------------------------------------------------------------------------ */

static qala_status read_row(reader *r)
{
    if (qala_csv__nfields(r->csv) != r->ncols) {
        finding(r, QALA_SEVERITY_ERROR, 0, "field-count",
                "row has %zu field%s, the header has %zu: expected one value per column",
                qala_csv__nfields(r->csv), qala_csv__nfields(r->csv) == 1 ? "" : "s", r->ncols);
        return QALA_OK;
    }
    uint32_t unit = 0, ind = 0;
    size_t fwi = 0;
    qala_period p = 0;
    qala_flag flag;
    int ok = resolve(r, K_UNIT, &unit, NULL);
    ok &= resolve(r, K_IND, &ind, &fwi);
    ok &= read_period(r, &p);
    ok &= read_action(r);
    int status = read_status(r, &flag);
    if (!ok || status < 0 || r->row_failed)
        return QALA_OK;
    size_t len;
    const char *s = field(r, K_VALUE, &len);
    long col = r->at[K_VALUE] + 1;
    int empty = len == 0 || (len == 3 && strncasecmp(s, "NaN", 3) == 0);
    if (status == 0 || (empty && flag != QALA_FLAG_CONFIDENTIAL)) {
        r->stats->missing++;
        return QALA_OK;
    }
    double v = NAN;
    if (flag != QALA_FLAG_CONFIDENTIAL) {
        char buf[64], *end;
        snprintf(buf, sizeof buf, "%.*s", (int)(len > 63 ? 63 : len), s);
        v = strtod(buf, &end);
        if (len > 63 || end == buf || *end || !isfinite(v) || strchr(buf, ',') || isspace((unsigned char)buf[0])) {
            finding(r, QALA_SEVERITY_ERROR, col, "not-a-number",
                    "OBS_VALUE \"%.40s\" is not a number: SDMX-CSV writes numbers with a decimal point "
                    "and no grouping (1234.5), and NaN or nothing when missing", buf);
            return QALA_OK;
        }
        const qala_indicator *in = qala_framework_get(r->fw, fwi);
        if (v < in->min || v > in->max) {
            char range[96];
            if (isinf(in->max))
                snprintf(range, sizeof range, "at least %g", in->min);
            else if (isinf(in->min))
                snprintf(range, sizeof range, "at most %g", in->max);
            else
                snprintf(range, sizeof range, "between %g and %g", in->min, in->max);
            finding(r, QALA_SEVERITY_ERROR, col, "out-of-range",
                    "value %.15g is outside the range of %s (%s): expected %s", v, in->code, in->unit, range);
            return QALA_OK;
        }
    }
    if (r->line > (long)UINT32_MAX)
        return qala_err__set(QALA_ELIMIT, "more than %u lines", UINT32_MAX);
    qala_status st = qala_dataset_append(r->ds, unit, ind, p, v, flag, (uint32_t)r->line);
    if (st == QALA_OK)
        r->stats->observations++;
    return st;
}

static void reject(reader *r)
{
    r->stats->rejected_rows++;
    if (!r->opt->on_reject)
        return;
    size_t n = qala_csv__nfields(r->csv);
    const char *fields[64];
    size_t lengths[64];
    if (n > 64)
        n = 64;
    for (size_t i = 0; i < n; i++)
        fields[i] = qala_csv__field(r->csv, i, &lengths[i]);
    r->opt->on_reject(r->opt->reject_ctx, r->line, fields, lengths, n, r->reason);
}

static void on_duplicate(void *ctx, size_t kept, size_t dropped)
{
    reader *r = ctx;
    const qala_dataset *ds = r->ds;
    char period[12];
    qala_period_format(period, qala_dataset_periods(ds)[dropped]);
    r->line = (long)qala_dataset_lines(ds)[dropped];
    r->row_failed = 0;
    finding(r, QALA_SEVERITY_ERROR, 0, "duplicate", "duplicate observation: %s, %s, %s is already on line %lu",
            qala_dataset_unit_code(ds, qala_dataset_units(ds)[dropped]),
            qala_dataset_indicator_code(ds, qala_dataset_indicators(ds)[dropped]), period,
            (unsigned long)qala_dataset_lines(ds)[kept]);
    r->stats->rejected_rows++;
    if (r->opt->on_reject)
        r->opt->on_reject(r->opt->reject_ctx, r->line, NULL, NULL, 0, r->reason);
}

static qala_status read_all(reader *r)
{
    size_t errors_before = qala_findings_errors(r->findings);
    int rc = qala_csv__next(r->csv);
    snprintf(r->stats->encoding, sizeof r->stats->encoding, "%s", qala_csv__encoding(r->csv));
    r->stats->delimiter = qala_csv__delimiter(r->csv);
    r->stats->layout = QALA_LAYOUT_LONG;
    r->line = 1;
    if (rc == 0) {
        finding(r, QALA_SEVERITY_ERROR, 0, "empty-file", "empty file: expected an SDMX-CSV header and data rows");
        return QALA_EDATA;
    }
    for (;;) {
        if (rc < 0) {
            const qala_error *e = qala_error_last();
            if (rc != QALA_EPARSE && rc != QALA_ELIMIT)
                return (qala_status)rc;
            r->line = e->line;
            r->row_failed = 0;
            finding(r, QALA_SEVERITY_ERROR, e->column, "csv-syntax", "%s", e->message);
            if (!r->have_header)
                return QALA_EDATA; /* no usable header */
            r->stats->rows++;
            r->stats->rejected_rows++;
        } else if (!r->have_header) {
            r->line = qala_csv__line(r->csv);
            r->have_header = 1;
            if (!read_header(r))
                return r->fatal != QALA_OK ? r->fatal : QALA_EDATA;
        } else {
            r->line = qala_csv__line(r->csv);
            r->row_failed = 0;
            r->reason[0] = '\0';
            r->stats->rows++;
            size_t before = qala_dataset_size(r->ds);
            qala_status st = read_row(r);
            if (st != QALA_OK)
                return st;
            if (r->row_failed) {
                qala_dataset_truncate(r->ds, before);
                r->stats->observations = qala_dataset_size(r->ds);
                reject(r);
            }
            if (r->fatal != QALA_OK)
                return r->fatal;
            if ((r->stats->rows & 0xffff) == 0 && r->opt->on_progress)
                r->opt->on_progress(r->opt->progress_ctx, qala_csv__bytes_read(r->csv),
                                    qala_csv__bytes_total(r->csv));
        }
        if ((rc = qala_csv__next(r->csv)) == 0)
            break;
    }
    if (r->stats->rows == 0)
        finding(r, QALA_SEVERITY_WARNING, 0, "no-data", "the file has a header but no data rows");
    qala_status st = qala_dataset_sort(r->ds);
    if (st != QALA_OK)
        return st;
    qala_dataset_remove_duplicates(r->ds, on_duplicate, r);
    r->stats->observations = qala_dataset_size(r->ds);
    return qala_findings_errors(r->findings) > errors_before ? QALA_EDATA : QALA_OK;
}

static const qala_import_options default_options = QALA_IMPORT_OPTIONS_INIT;

static qala_status run(qala_csv *csv, qala_dataset *ds, qala_findings *findings,
                       qala_import_stats *stats, const char *label, const qala_registry *reg,
                       const qala_framework *fw, const qala_sdmx_map *map,
                       const qala_import_options *options)
{
    reader r = {.reg = reg, .fw = fw, .map = map, .opt = options, .ds = ds, .findings = findings,
                .stats = stats, .csv = csv, .label = label};
    qala_strmap__init(&r.units);
    qala_strmap__init(&r.inds);
    qala_status st = read_all(&r);
    if (r.fatal != QALA_OK && (st == QALA_OK || st == QALA_EDATA))
        st = r.fatal;
    qala_strmap__free(&r.units);
    qala_strmap__free(&r.inds);
    return st;
}

qala_status qala_sdmx_import_file(qala_dataset *ds, qala_findings *findings,
                                  qala_import_stats *stats, const char *path, const char *label,
                                  const qala_registry *reg, const qala_framework *fw,
                                  const qala_sdmx_map *map, const qala_import_options *options)
{
    qala_import_stats local;
    stats = stats ? stats : &local;
    memset(stats, 0, sizeof *stats);
    options = options ? options : &default_options;
    label = label ? label : path;
    qala_csv_options co = {options->delimiter, options->encoding, 0, 0};
    qala_csv *csv;
    qala_status st = qala_csv__open_file(&csv, path, label, &co);
    if (st != QALA_OK)
        return st;
    st = run(csv, ds, findings, stats, label, reg, fw, map, options);
    qala_csv__close(csv);
    return st;
}

qala_status qala_sdmx_import_buffer(qala_dataset *ds, qala_findings *findings,
                                    qala_import_stats *stats, const char *data, size_t len,
                                    const char *label, const qala_registry *reg,
                                    const qala_framework *fw, const qala_sdmx_map *map,
                                    const qala_import_options *options)
{
    qala_import_stats local;
    stats = stats ? stats : &local;
    memset(stats, 0, sizeof *stats);
    options = options ? options : &default_options;
    label = label ? label : "<buffer>";
    qala_csv_options co = {options->delimiter, options->encoding, 0, 0};
    qala_csv *csv;
    qala_status st = qala_csv__open_buffer(&csv, data, len, label, &co);
    if (st != QALA_OK)
        return st;
    st = run(csv, ds, findings, stats, label, reg, fw, map, options);
    qala_csv__close(csv);
    return st;
}
