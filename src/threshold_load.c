/* src/threshold_load.c — reading threshold files (docs/thresholds.md) into a collection.
 *
 * Columns are found by header name through the table reader (registry_table.h). Each
 * row is checked field by field against the framework (indicator codes, directions) and
 * the registry (group codes), every problem becoming a finding at label:line:column;
 * valid rows are staged, then checked for overlapping validity against each other and
 * against the thresholds already in the collection (same set, indicator, transform, k
 * and group list). Only a file without errors is appended, all rows or none; an
 * allocation failure half-way is undone. Workload: tens to a few thousand rows; the
 * overlap check compares pairs of rows of the same indicator (quadratic in the rows per
 * indicator, which are few).
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qala/defaults.h"
#include "qala/threshold.h"
#include "registry_table.h"
#include "threshold_internal.h"
#include "util/internal.h"

#define ERR QALA_SEVERITY_ERROR
#define WARN QALA_SEVERITY_WARNING
#define K_MAX 100

enum { C_SET, C_INDICATOR, C_TRANSFORM, C_K, C_DENOMINATOR, C_SCALE, C_GROUP_BASIS, C_SIDE,
       C_WARNING, C_CRISIS, C_WARNING_HIGH, C_CRISIS_HIGH, C_INCLUSIVE, C_GROUPS,
       C_VALID_FROM, C_VALID_TO, C_SOURCE, C_YEAR, C_JUSTIFICATION, C_CONFIDENCE };
static const qala_table_column columns[] = {
    {"set", 1},          {"indicator", 1},   {"transform", 0},   {"k", 0},
    {"denominator", 0},  {"scale", 0},       {"group_basis", 0}, {"side", 0},
    {"warning", 1},      {"crisis", 1},      {"warning_high", 0}, {"crisis_high", 0},
    {"inclusive", 0},    {"groups", 0},      {"valid_from", 0},  {"valid_to", 0},
    {"source", 1},       {"year", 0},        {"justification", 0}, {"confidence", 1},
    {NULL, 0}};

typedef struct staged {
    qala_threshold th;  /* strings and groups are filled in at commit */
    size_t str[3];      /* offsets in the stash: set, source, justification */
    size_t goff;        /* first group code in loader.gcodes */
    long col_from;      /* column of valid_from (0 when absent) */
} staged;

typedef struct loader {
    qala_thresholds *t;
    const qala_framework *fw;
    const qala_registry *reg;
    qala_table tab;
    qala_reporter r;
    qala_buf strs;
    staged *rows;
    size_t nrows, arows;
    const char **gcodes; /* registry group codes of the staged rows' lists */
    size_t ngcodes, agcodes;
    qala_status failed;  /* QALA_OK or the first failure not about the data */
} loader;

/* ---- field readers --------------------------------------------------------------- */

static void finding(loader *ld, qala_severity sev, long col, const char *rule, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

static void finding(loader *ld, qala_severity sev, long col, const char *rule, const char *fmt,
                    ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    qala_reporter__add(&ld->r, sev, ld->tab.line, col, rule, "%s", msg);
}

/* Resolves an indicator spelled in column k (a code or a name, as qala_framework_match
 * reads it). 0 with a finding when unknown or ambiguous. */
static int read_indicator(loader *ld, int k, const char *what, size_t *out)
{
    size_t len, sugg[3], nsugg = 0;
    long col;
    const char *s = qala_table__field(&ld->tab, k, &len, &col);
    if (len == 0)
        return qala_table__required(&ld->tab, k, "", col);
    qala_status st = qala_framework_match(ld->fw, s, len, out, sugg, &nsugg);
    if (st == QALA_OK)
        return 1;
    int shown = (int)(len > 80 ? 80 : len);
    if (st == QALA_ENOMEM) {
        ld->failed = st;
        return 0;
    }
    char msg[512];
    int n;
    if (st == QALA_EAMBIGUOUS) {
        n = snprintf(msg, sizeof msg, "ambiguous %s \"%.*s\": could be ", what, shown, s);
    } else if (st == QALA_ENOTFOUND) {
        n = snprintf(msg, sizeof msg, "unknown %s \"%.*s\"%s", what, shown, s,
                     nsugg ? ": did you mean " : ": expected an indicator code of the framework");
    } else {
        finding(ld, ERR, col, "unknown-indicator", "%s \"%.*s\" is not valid UTF-8", what,
                shown, s);
        return 0;
    }
    for (size_t i = 0; i < nsugg && n < (int)sizeof msg; i++)
        n += snprintf(msg + n, sizeof msg - (size_t)n, "%s\"%s\"", i ? " or " : "",
                      qala_framework_get(ld->fw, sugg[i])->code);
    if (n < (int)sizeof msg && nsugg)
        snprintf(msg + n, sizeof msg - (size_t)n, "%s",
                 st == QALA_EAMBIGUOUS ? "; use the indicator code" : "?");
    finding(ld, ERR, col, "unknown-indicator", "%s", msg);
    return 0;
}

/* Finding "unknown group ..." with the registry's group codes listed. */
static void unknown_group(loader *ld, long col, const char *what, const char *s, size_t len)
{
    char list[400] = "";
    size_t n = qala_registry_group_count(ld->reg), o = 0;
    for (size_t g = 0; g < n && g < 12 && o < sizeof list; g++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", g ? ", " : "",
                              qala_registry_group(ld->reg, g)->code);
    if (n > 12 && o < sizeof list)
        snprintf(list + o, sizeof list - o, ", ... (%zu in all)", n);
    if (n == 0)
        finding(ld, ERR, col, "unknown-group", "unknown %s \"%.*s\": the registry has no groups",
                what, (int)(len > 60 ? 60 : len), s);
    else
        finding(ld, ERR, col, "unknown-group", "unknown %s \"%.*s\": the registry's groups are %s",
                what, (int)(len > 60 ? 60 : len), s, list);
}

/* The registry's code of the group spelled s[0..len), or NULL with a finding. */
static const char *find_group(loader *ld, long col, const char *what, const char *s, size_t len)
{
    char buf[128];
    size_t g;
    if (len < sizeof buf) {
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (qala_registry_find_group(ld->reg, buf, &g) == QALA_OK)
            return qala_registry_group(ld->reg, g)->code;
    }
    unknown_group(ld, col, what, s, len);
    return NULL;
}

/* The `groups` list: codes separated by ';' (spaces around them allowed). */
static int read_groups(loader *ld, staged *row)
{
    size_t len;
    long col;
    const char *s = qala_table__field(&ld->tab, C_GROUPS, &len, &col);
    row->goff = ld->ngcodes;
    row->th.ngroups = 0;
    if (len == 0)
        return 1;
    int ok = 1;
    const char *end = s + len;
    for (const char *p = s;;) {
        const char *q = memchr(p, ';', (size_t)(end - p));
        const char *e = q ? q : end, *b = p;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (b == e) {
            finding(ld, ERR, col, "bad-groups",
                    "groups \"%.*s\" has an empty group code: expected codes separated by ';'",
                    (int)(len > 60 ? 60 : len), s);
            return 0;
        }
        const char *code = find_group(ld, col, "group", b, (size_t)(e - b));
        if (code) {
            for (size_t i = row->goff; i < ld->ngcodes; i++) {
                if (ld->gcodes[i] == code) {
                    finding(ld, ERR, col, "bad-groups", "group \"%s\" is listed twice", code);
                    ok = 0;
                    code = NULL;
                    break;
                }
            }
        } else {
            ok = 0;
        }
        if (code) {
            if (qala_mem__grow((void **)&ld->gcodes, &ld->agcodes, ld->ngcodes + 1,
                               sizeof *ld->gcodes) != QALA_OK) {
                ld->failed = QALA_ENOMEM;
                return 0;
            }
            ld->gcodes[ld->ngcodes++] = code;
        }
        if (!q)
            break;
        p = q + 1;
    }
    row->th.ngroups = ld->ngcodes - row->goff;
    if (!ok)
        ld->ngcodes = row->goff;
    return ok;
}

/* Whether column k is non-empty. */
static int given(const loader *ld, int k, long *col)
{
    size_t len;
    qala_table__field(&ld->tab, k, &len, col);
    return len > 0;
}

/* Warns that a value in column k is not used by the row's transform. */
static void unused(loader *ld, int k, const char *used_by, qala_transform tr)
{
    long col;
    if (given(ld, k, &col))
        finding(ld, WARN, col, "unused-value", "%s is only used by %s; ignored for transform %s",
                columns[k].name, used_by, qala_transform_code(tr));
}

/* transform, k, denominator, scale and group_basis. */
static int read_transform(loader *ld, staged *row)
{
    qala_threshold *th = &row->th;
    char buf[64];
    long col;
    int ok = 1;
    const char *s = qala_table__text(&ld->tab, C_TRANSFORM, buf, sizeof buf, &col);
    th->transform = QALA_TRANSFORM_LEVEL;
    if (s[0] && qala_transform_parse(&th->transform, s) != QALA_OK) {
        finding(ld, ERR, col, "bad-transform",
                "transform \"%s\" is not one of level, per_denominator, average, "
                "change_points, change_percent, ratio_national, ratio_group_median", s);
        return 0;
    }
    qala_transform tr = th->transform;
    int uses_k = tr == QALA_TRANSFORM_AVERAGE || tr == QALA_TRANSFORM_CHANGE_POINTS ||
                 tr == QALA_TRANSFORM_CHANGE_PERCENT;
    th->k = tr == QALA_TRANSFORM_AVERAGE ? 3 : 1;
    s = qala_table__text(&ld->tab, C_K, buf, sizeof buf, &col);
    if (!uses_k) {
        unused(ld, C_K, "average, change_points and change_percent", tr);
    } else if (s[0] && !qala_table__parse_int(s, 1, K_MAX, &th->k)) {
        finding(ld, ERR, col, "bad-k", "k \"%s\" is not a whole number of periods from 1 to %d",
                s, K_MAX);
        ok = 0;
    }
    th->denominator = SIZE_MAX;
    th->scale = 1;
    if (tr == QALA_TRANSFORM_PER_DENOMINATOR) {
        size_t len;
        qala_table__field(&ld->tab, C_DENOMINATOR, &len, &col);
        if (len == 0) {
            finding(ld, ERR, col, "empty-value",
                    "denominator is empty: transform per_denominator needs the indicator to "
                    "divide by");
            ok = 0;
        } else {
            ok &= read_indicator(ld, C_DENOMINATOR, "denominator indicator", &th->denominator);
        }
        if (qala_table__number(&ld->tab, C_SCALE, 1, &th->scale)) {
            if (!(th->scale > 0)) {
                qala_table__field(&ld->tab, C_SCALE, &len, &col);
                finding(ld, ERR, col, "bad-scale", "scale %.15g is not a positive number",
                        th->scale);
                ok = 0;
            }
        } else {
            ok = 0;
        }
    } else {
        unused(ld, C_DENOMINATOR, "per_denominator", tr);
        unused(ld, C_SCALE, "per_denominator", tr);
    }
    th->group_basis = "";
    if (tr == QALA_TRANSFORM_RATIO_GROUP_MEDIAN) {
        size_t len;
        const char *f = qala_table__field(&ld->tab, C_GROUP_BASIS, &len, &col);
        const char *code = len ? find_group(ld, col, "group_basis", f, len) : "";
        th->group_basis = code ? code : "";
        ok &= code != NULL;
    } else {
        unused(ld, C_GROUP_BASIS, "ratio_group_median", tr);
    }
    return ok;
}

/* side, the boundaries and their order. */
static int read_boundaries(loader *ld, staged *row, int have_indicator)
{
    qala_threshold *th = &row->th;
    qala_table *t = &ld->tab;
    char buf[64];
    long col, cw, cc, cwh, cch;
    int ok = 1, side_ok = 1;
    const char *s = qala_table__text(t, C_SIDE, buf, sizeof buf, &col);
    if (!s[0]) {
        side_ok = have_indicator;
        if (have_indicator)
            th->side = qala_framework_get(ld->fw, th->indicator)->direction > 0 ? QALA_BAD_LOW
                                                                              : QALA_BAD_HIGH;
    } else if (strcmp(s, "low") == 0) {
        th->side = QALA_BAD_LOW;
    } else if (strcmp(s, "high") == 0) {
        th->side = QALA_BAD_HIGH;
    } else if (strcmp(s, "band") == 0) {
        th->side = QALA_BAD_OUTSIDE;
    } else {
        finding(ld, ERR, col, "bad-side", "side \"%s\" is not low, high or band", s);
        side_ok = ok = 0;
    }
    size_t len;
    qala_table__field(t, C_WARNING, &len, &cw);
    if (len == 0)
        ok = qala_table__required(t, C_WARNING, "", cw) && ok;
    qala_table__field(t, C_CRISIS, &len, &cc);
    if (len == 0)
        ok = qala_table__required(t, C_CRISIS, "", cc) && ok;
    int nums = qala_table__number(t, C_WARNING, NAN, &th->warning);
    nums &= qala_table__number(t, C_CRISIS, NAN, &th->crisis);
    nums &= qala_table__number(t, C_WARNING_HIGH, NAN, &th->warning_high);
    nums &= qala_table__number(t, C_CRISIS_HIGH, NAN, &th->crisis_high);
    ok &= nums;
    if (!side_ok)
        return 0;
    int band = th->side == QALA_BAD_OUTSIDE;
    int has_wh = given(ld, C_WARNING_HIGH, &cwh), has_ch = given(ld, C_CRISIS_HIGH, &cch);
    if (band) {
        if (!has_wh || !has_ch) {
            int k = has_wh ? C_CRISIS_HIGH : C_WARNING_HIGH;
            finding(ld, ERR, has_wh ? cch : cwh, "empty-value",
                    "%s is empty: side band needs warning_high and crisis_high", columns[k].name);
            return 0;
        }
    } else if (has_wh || has_ch) {
        finding(ld, ERR, has_wh ? cwh : cch, "band-only",
                "%s is only used with side band (this row's side is %s)",
                has_wh ? "warning_high" : "crisis_high",
                th->side == QALA_BAD_LOW ? "low" : "high");
        return 0;
    }
    if (!ok)
        return 0;
    if (th->side == QALA_BAD_LOW && th->crisis > th->warning) {
        finding(ld, ERR, cc, "bad-order",
                "crisis %.15g is above warning %.15g: with side low (low values are bad) crisis "
                "must be <= warning", th->crisis, th->warning);
        return 0;
    }
    if (th->side == QALA_BAD_HIGH && th->crisis < th->warning) {
        finding(ld, ERR, cc, "bad-order",
                "crisis %.15g is below warning %.15g: with side high (high values are bad) crisis "
                "must be >= warning", th->crisis, th->warning);
        return 0;
    }
    if (band) {
        double v[4] = {th->crisis, th->warning, th->warning_high, th->crisis_high};
        long c[4] = {cc, cw, cwh, cch};
        for (int i = 1; i < 4; i++) {
            if (v[i - 1] > v[i]) {
                finding(ld, ERR, c[i], "bad-order",
                        "band boundaries out of order: expected crisis <= warning <= "
                        "warning_high <= crisis_high, got %.15g, %.15g, %.15g, %.15g",
                        v[0], v[1], v[2], v[3]);
                return 0;
            }
        }
    } else {
        th->warning_high = th->crisis_high = NAN;
    }
    return 1;
}

/* inclusive, groups, validity, year, confidence and the required texts. */
static int read_rest(loader *ld, staged *row)
{
    qala_threshold *th = &row->th;
    qala_table *t = &ld->tab;
    char buf[64];
    long col;
    int ok = 1;
    const char *s = qala_table__text(t, C_INCLUSIVE, buf, sizeof buf, &col);
    th->inclusive = 1;
    if (strcmp(s, "0") == 0) {
        th->inclusive = 0;
    } else if (s[0] && strcmp(s, "1") != 0) {
        finding(ld, ERR, col, "bad-inclusive",
                "inclusive \"%s\" is not 1 (reaching a boundary is the worse zone) or 0", s);
        ok = 0;
    }
    ok &= read_groups(ld, row);
    if (ld->failed != QALA_OK)
        return 0;
    if (th->transform == QALA_TRANSFORM_RATIO_GROUP_MEDIAN && !given(ld, C_GROUP_BASIS, &col) &&
        th->ngroups == 0 && ok) {
        finding(ld, ERR, col, "empty-value",
                "group_basis is empty and so is groups: transform ratio_group_median needs the "
                "group whose median to compare with");
        ok = 0;
    }
    ok &= qala_table__period(t, C_VALID_FROM, C_VALID_TO, &th->valid_from, &th->valid_to);
    given(ld, C_VALID_FROM, &row->col_from);
    s = qala_table__text(t, C_YEAR, buf, sizeof buf, &col);
    th->year = 0;
    if (s[0] && !qala_table__parse_int(s, 1, 9999, &th->year)) {
        finding(ld, ERR, col, "bad-year", "year \"%s\" is not a year (expected e.g. 2021)", s);
        ok = 0;
    }
    s = qala_table__text(t, C_CONFIDENCE, buf, sizeof buf, &col);
    if (!qala_table__required(t, C_CONFIDENCE, s, col)) {
        ok = 0;
    } else if (strcmp(s, "rule") == 0) {
        th->confidence = QALA_CONFIDENCE_RULE;
    } else if (strcmp(s, "literature") == 0) {
        th->confidence = QALA_CONFIDENCE_LITERATURE;
    } else if (strcmp(s, "assumption") == 0) {
        th->confidence = QALA_CONFIDENCE_ASSUMPTION;
    } else {
        finding(ld, ERR, col, "bad-confidence",
                "confidence \"%s\" is not rule, literature or assumption", s);
        ok = 0;
    }
    size_t len;
    qala_table__field(t, C_SOURCE, &len, &col);
    if (len == 0)
        ok = qala_table__required(t, C_SOURCE, "", col) && ok;
    return ok;
}

static void stage_row(void *ctx)
{
    loader *ld = ctx;
    if (qala_mem__grow((void **)&ld->rows, &ld->arows, ld->nrows + 1, sizeof *ld->rows) !=
        QALA_OK) {
        ld->failed = QALA_ENOMEM;
        return;
    }
    staged *row = &ld->rows[ld->nrows];
    memset(row, 0, sizeof *row);
    row->th.line = ld->tab.line;
    size_t len;
    long col;
    qala_table__field(&ld->tab, C_SET, &len, &col);
    int ok = len ? 1 : qala_table__required(&ld->tab, C_SET, "", col);
    int have_indicator = read_indicator(ld, C_INDICATOR, "indicator", &row->th.indicator);
    if (ld->failed != QALA_OK)
        return;
    ok &= have_indicator;
    ok &= read_transform(ld, row);
    if (ld->failed != QALA_OK)
        return;
    ok &= read_boundaries(ld, row, have_indicator);
    size_t keep_codes = ld->ngcodes;
    ok &= read_rest(ld, row);
    if (ld->failed != QALA_OK || !ok) {
        ld->ngcodes = keep_codes;
        return;
    }
    static const int texts[3] = {C_SET, C_SOURCE, C_JUSTIFICATION};
    for (int k = 0; k < 3; k++)
        row->str[k] = qala_table__stash(&ld->tab, texts[k], &ld->strs, &ld->failed);
    if (ld->failed == QALA_OK)
        ld->nrows++;
}

/* ---- overlaps -------------------------------------------------------------------- */

static int same_code(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* Same list of group codes in any order (lists hold no repeats). */
static int same_groups(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++) {
        size_t j = 0;
        while (j < nb && !same_code(a[i], b[j]))
            j++;
        if (j == nb)
            return 0;
    }
    return 1;
}

static int same_key(const qala_threshold *a, const qala_threshold *b)
{
    return a->indicator == b->indicator && a->transform == b->transform && a->k == b->k &&
           strcmp(a->set, b->set) == 0 &&
           same_groups(a->groups, a->ngroups, b->groups, b->ngroups) &&
           a->valid_from < b->valid_to && b->valid_from < a->valid_to;
}

static void date_text(char buf[static 16], qala_date d)
{
    if (d <= QALA_DATE_MIN || d >= QALA_DATE_MAX)
        snprintf(buf, 16, "open");
    else
        qala_date_format(buf, d);
}

static void report_overlap(loader *ld, const staged *row, const qala_threshold *other,
                           const char *other_label)
{
    const qala_threshold *th = &row->th;
    char a[16], b[16], c[16], d[16], k[24] = "", where[300] = "", groups[300] = "all units";
    date_text(a, other->valid_from);
    date_text(b, other->valid_to);
    date_text(c, th->valid_from);
    date_text(d, th->valid_to);
    if (th->transform == QALA_TRANSFORM_AVERAGE || th->transform == QALA_TRANSFORM_CHANGE_POINTS ||
        th->transform == QALA_TRANSFORM_CHANGE_PERCENT)
        snprintf(k, sizeof k, " (k %d)", th->k);
    if (other_label && strcmp(other_label, ld->r.file) != 0)
        snprintf(where, sizeof where, " of %.200s", other_label);
    if (th->ngroups) {
        size_t o = (size_t)snprintf(groups, sizeof groups, "groups ");
        for (size_t g = 0; g < th->ngroups && o < sizeof groups; g++)
            o += (size_t)snprintf(groups + o, sizeof groups - o, "%s%s", g ? ";" : "",
                                  th->groups[g]);
    }
    ld->tab.line = th->line;
    finding(ld, ERR, row->col_from, "overlap",
            "overlaps the threshold on line %ld%s: same set \"%.100s\", indicator \"%s\", "
            "transform %s%s and %s, valid [%s, %s) and [%s, %s)",
            other->line, where, th->set, qala_framework_get(ld->fw, th->indicator)->code,
            qala_transform_code(th->transform), k, groups, a, b, c, d);
}

/* Fills the staged rows' pointers (the stash no longer grows) and reports overlaps. */
static void check_overlaps(void *ctx)
{
    loader *ld = ctx;
    for (size_t i = 0; i < ld->nrows; i++) {
        staged *row = &ld->rows[i];
        row->th.set = ld->strs.data + row->str[0];
        row->th.source = ld->strs.data + row->str[1];
        row->th.justification = ld->strs.data + row->str[2];
        row->th.groups = row->th.ngroups ? ld->gcodes + row->goff : NULL;
    }
    for (size_t i = 0; i < ld->nrows; i++) {
        const staged *row = &ld->rows[i];
        size_t n = qala_thresholds_count(ld->t), j;
        for (j = 0; j < n; j++) {
            const qala_threshold *other = qala_thresholds_get(ld->t, j);
            if (same_key(&row->th, other)) {
                report_overlap(ld, row, other, qala_thresholds__label(ld->t, j));
                break;
            }
        }
        if (j < n)
            continue;
        for (j = 0; j < i; j++) {
            if (same_key(&row->th, &ld->rows[j].th)) {
                report_overlap(ld, row, &ld->rows[j].th, NULL);
                break;
            }
        }
    }
}

/* ---- entry points ---------------------------------------------------------------- */

qala_status qala_thresholds_load_csv(qala_thresholds *t, const char *text, size_t len,
                                     const char *label, const qala_framework *fw,
                                     const qala_registry *reg, qala_findings *findings)
{
    assert(t && text && fw && reg);
    label = label ? label : "";
    loader ld = {.t = t, .fw = fw, .reg = reg};
    ld.r = (qala_reporter){findings, label, 0, 0, QALA_OK};
    qala_buf__init(&ld.strs, 0);
    qala_status st = qala_table__open(&ld.tab, "thresholds", columns, text, len, &ld.r);
    if (st != QALA_OK)
        goto done;
    if ((st = qala_table__stage_all(&ld.tab, &ld.r, &ld.failed, stage_row, check_overlaps, &ld, label,
                                    "thresholds")) != QALA_OK)
        goto done;
    size_t keep = qala_thresholds_count(t);
    for (size_t i = 0; i < ld.nrows && st == QALA_OK; i++)
        st = qala_thresholds__append(t, &ld.rows[i].th, label);
    if (st != QALA_OK)
        qala_thresholds__truncate(t, keep);
done:
    qala_table__close(&ld.tab);
    qala_buf__free(&ld.strs);
    qala_mem__free(ld.rows);
    qala_mem__free(ld.gcodes);
    return st;
}

qala_status qala_thresholds_load_default(qala_thresholds *t, const qala_framework *fw,
                                         const qala_registry *reg, qala_findings *findings)
{
    size_t len;
    const char *text = qala_default_data("thresholds/default.csv", &len);
    if (!text)
        return qala_err__set(QALA_ENOTFOUND, "no embedded thresholds/default.csv in this build");
    return qala_thresholds_load_csv(t, text, len, "thresholds/default.csv", fw, reg, findings);
}
