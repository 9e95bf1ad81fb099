/* src/category_load.c — reading category rule files (docs/categories.md) into a rule
 * collection.
 *
 * Columns are found by header name through the table reader (registry_table.h). Each
 * row is checked field by field: its kind and subject, then what the subject needs (an
 * indicator of the framework with its transform, a group of the registry, a threshold
 * set), the operator and value, the texts and the confidence mark; every problem is a
 * finding at label:line:column, and a value the subject does not use is a warning. Valid
 * rows are staged, then their ids are checked to be unique in the file and against the
 * rules already in the collection. Only a file without errors is appended, all rows or
 * none; an allocation failure half-way is undone. Workload: tens of rows.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "category_internal.h"
#include "qala/category.h"
#include "qala/defaults.h"
#include "registry_table.h"
#include "util/internal.h"

#define ERR QALA_SEVERITY_ERROR
#define WARN QALA_SEVERITY_WARNING
#define K_MAX 100

enum { C_ID, C_KIND, C_SUBJECT, C_INDICATOR, C_TRANSFORM, C_K, C_DENOMINATOR, C_SCALE,
       C_GROUP, C_SET, C_OPERATOR, C_VALUE, C_DESCRIPTION, C_SOURCE, C_CONFIDENCE };
static const qala_table_column columns[] = {
    {"id", 1},          {"kind", 1},      {"subject", 1},  {"indicator", 0},
    {"transform", 0},   {"k", 0},         {"denominator", 0}, {"scale", 0},
    {"group", 0},       {"set", 0},       {"operator", 0}, {"value", 0},
    {"description", 1}, {"source", 1},    {"confidence", 1}, {NULL, 0}};

static const char *const subject_codes[] = {"indicator", "group", "crisis_breaches", "breaches"};
static const char *const operator_codes[] = {">=", ">", "<=", "<"};

typedef struct staged {
    qala_rule rule;    /* strings are filled in when the stash no longer grows */
    size_t str[4];     /* offsets in the stash: id, set, description, source */
    long col_id;
} staged;

typedef struct loader {
    qala_category_rules *rules;
    const qala_framework *fw;
    const qala_registry *reg;
    qala_table tab;
    qala_reporter r;
    qala_buf strs;
    staged *rows;
    size_t nrows, arows;
    qala_status failed; /* QALA_OK or the first failure not about the data */
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

/* Whether column k is non-empty (*col: its position). */
static int given(const loader *ld, int k, long *col)
{
    size_t len;
    qala_table__field(&ld->tab, k, &len, col);
    return len > 0;
}

/* Index of the code in column k among codes[0..n), or -1 (an empty field is -1 too). */
static int code_of(const loader *ld, int k, const char *const *codes, int n, char *buf,
                   size_t size, long *col)
{
    const char *s = qala_table__text(&ld->tab, k, buf, size, col);
    for (int i = 0; i < n; i++)
        if (strcmp(s, codes[i]) == 0)
            return i;
    return -1;
}

/* Resolves the indicator spelled in column k (a code or a name, as qala_framework_match
 * reads it). 0 with a finding when empty, unknown or ambiguous. */
static int read_indicator(loader *ld, int k, const char *what, size_t *out)
{
    size_t len, sugg[3], nsugg = 0;
    long col;
    const char *s = qala_table__field(&ld->tab, k, &len, &col);
    if (len == 0) {
        finding(ld, ERR, col, "empty-value", "%s is empty: subject indicator needs an indicator "
                "code of the framework", columns[k].name);
        return 0;
    }
    qala_status st = qala_framework_match(ld->fw, s, len, out, sugg, &nsugg);
    if (st == QALA_OK)
        return 1;
    if (st == QALA_ENOMEM) {
        ld->failed = st;
        return 0;
    }
    int shown = (int)(len > 80 ? 80 : len);
    char msg[512];
    int n;
    if (st == QALA_EAMBIGUOUS) {
        n = snprintf(msg, sizeof msg, "ambiguous %s \"%.*s\": could be ", what, shown, s);
    } else if (st == QALA_ENOTFOUND) {
        n = snprintf(msg, sizeof msg, "unknown %s \"%.*s\"%s", what, shown, s,
                     nsugg ? ": did you mean " : ": expected an indicator code of the framework");
    } else {
        finding(ld, ERR, col, "unknown-indicator", "%s \"%.*s\" is not valid UTF-8", what, shown, s);
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

/* The registry's code of the group in column `group`, or NULL with a finding. */
static const char *read_group(loader *ld, const char *needed_by)
{
    size_t len, g;
    long col;
    char buf[128];
    const char *s = qala_table__field(&ld->tab, C_GROUP, &len, &col);
    if (len == 0) {
        finding(ld, ERR, col, "empty-value", "group is empty: %s needs a group code of the registry",
                needed_by);
        return NULL;
    }
    if (len < sizeof buf) {
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (qala_registry_find_group(ld->reg, buf, &g) == QALA_OK)
            return qala_registry_group(ld->reg, g)->code;
    }
    char list[400] = "";
    size_t ng = qala_registry_group_count(ld->reg), o = 0;
    for (size_t i = 0; i < ng && i < 12 && o < sizeof list; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                              qala_registry_group(ld->reg, i)->code);
    if (ng > 12 && o < sizeof list)
        snprintf(list + o, sizeof list - o, ", ... (%zu in all)", ng);
    if (ng == 0)
        finding(ld, ERR, col, "unknown-group", "unknown group \"%.*s\": the registry has no groups",
                (int)(len > 60 ? 60 : len), s);
    else
        finding(ld, ERR, col, "unknown-group", "unknown group \"%.*s\": the registry's groups are %s",
                (int)(len > 60 ? 60 : len), s, list);
    return NULL;
}

/* Warns that column k holds a value this row does not use. */
static void unused(loader *ld, int k, const char *used_by, const char *ignored_for)
{
    long col;
    if (given(ld, k, &col))
        finding(ld, WARN, col, "unused-value", "%s is only used by %s; ignored for %s",
                columns[k].name, used_by, ignored_for);
}

/* transform, k, denominator, scale and the group of ratio_group_median. */
static int read_transform(loader *ld, qala_rule *rule)
{
    char buf[64], what[64];
    long col;
    int ok = 1;
    const char *s = qala_table__text(&ld->tab, C_TRANSFORM, buf, sizeof buf, &col);
    rule->transform = QALA_TRANSFORM_LEVEL;
    if (s[0] && qala_transform_parse(&rule->transform, s) != QALA_OK) {
        finding(ld, ERR, col, "bad-transform",
                "transform \"%s\" is not one of level, per_denominator, average, "
                "change_points, change_percent, ratio_national, ratio_group_median", s);
        return 0;
    }
    qala_transform tr = rule->transform;
    snprintf(what, sizeof what, "transform %s", qala_transform_code(tr));
    int uses_k = tr == QALA_TRANSFORM_AVERAGE || tr == QALA_TRANSFORM_CHANGE_POINTS ||
                 tr == QALA_TRANSFORM_CHANGE_PERCENT;
    rule->k = tr == QALA_TRANSFORM_AVERAGE ? 3 : 1;
    s = qala_table__text(&ld->tab, C_K, buf, sizeof buf, &col);
    if (!uses_k) {
        unused(ld, C_K, "average, change_points and change_percent", what);
    } else if (s[0] && !qala_table__parse_int(s, 1, K_MAX, &rule->k)) {
        finding(ld, ERR, col, "bad-k", "k \"%s\" is not a whole number of periods from 1 to %d",
                s, K_MAX);
        ok = 0;
    }
    if (tr == QALA_TRANSFORM_PER_DENOMINATOR) {
        if (!given(ld, C_DENOMINATOR, &col)) {
            finding(ld, ERR, col, "empty-value",
                    "denominator is empty: transform per_denominator needs the indicator to "
                    "divide by");
            ok = 0;
        } else {
            ok &= read_indicator(ld, C_DENOMINATOR, "denominator indicator", &rule->denominator);
        }
        if (qala_table__number(&ld->tab, C_SCALE, 1, &rule->scale)) {
            if (!(rule->scale > 0) || isinf(rule->scale)) {
                given(ld, C_SCALE, &col);
                finding(ld, ERR, col, "bad-scale", "scale %.15g is not a positive number",
                        rule->scale);
                ok = 0;
            }
        } else {
            ok = 0;
        }
    } else {
        unused(ld, C_DENOMINATOR, "transform per_denominator", what);
        unused(ld, C_SCALE, "transform per_denominator", what);
    }
    if (tr == QALA_TRANSFORM_RATIO_GROUP_MEDIAN) {
        rule->group = read_group(ld, "transform ratio_group_median (the group whose median is "
                                     "the reference)");
        ok &= rule->group != NULL;
    } else {
        unused(ld, C_GROUP, "subject group and transform ratio_group_median", what);
    }
    return ok;
}

/* operator and value, needed by `subject`. */
static int read_condition(loader *ld, qala_rule *rule, const char *subject)
{
    char buf[64];
    long col;
    int ok = 1;
    int op = code_of(ld, C_OPERATOR, operator_codes, 4, buf, sizeof buf, &col);
    if (!buf[0]) {
        finding(ld, ERR, col, "empty-value", "operator is empty: subject %s needs one of >=, >, "
                "<=, <", subject);
        ok = 0;
    } else if (op < 0) {
        finding(ld, ERR, col, "bad-operator", "operator \"%s\" is not >=, >, <= or <", buf);
        ok = 0;
    } else {
        rule->op = (qala_rule_operator)op;
    }
    if (!given(ld, C_VALUE, &col)) {
        finding(ld, ERR, col, "empty-value", "value is empty: subject %s needs the number to "
                "compare with", subject);
        return 0;
    }
    if (!qala_table__number(&ld->tab, C_VALUE, NAN, &rule->value))
        return 0;
    if (!isfinite(rule->value)) {
        finding(ld, ERR, col, "not-a-number", "value %g is not a finite number", rule->value);
        return 0;
    }
    return ok;
}

/* kind and subject, and whether they go together. */
static int read_kind(loader *ld, qala_rule *rule)
{
    static const char *const kinds[] = {"eligibility", "1", "2"};
    char buf[64];
    long col, scol;
    int ok = 1;
    int kind = code_of(ld, C_KIND, kinds, 3, buf, sizeof buf, &col);
    if (!qala_table__required(&ld->tab, C_KIND, buf, col)) {
        ok = 0;
    } else if (kind < 0) {
        finding(ld, ERR, col, "bad-kind", "kind \"%s\" is not eligibility, 1 or 2", buf);
        ok = 0;
    } else {
        rule->kind = (qala_rule_kind)kind;
    }
    int subject = code_of(ld, C_SUBJECT, subject_codes, 4, buf, sizeof buf, &scol);
    if (!qala_table__required(&ld->tab, C_SUBJECT, buf, scol))
        return 0;
    if (subject < 0) {
        finding(ld, ERR, scol, "bad-subject",
                "subject \"%s\" is not indicator, group, crisis_breaches or breaches", buf);
        return 0;
    }
    rule->subject = (qala_rule_subject)subject;
    if (!ok)
        return 0;
    if (rule->subject == QALA_RULE_GROUP && rule->kind != QALA_RULE_ELIGIBILITY) {
        finding(ld, ERR, scol, "bad-subject",
                "subject group is only used by eligibility rows (this row's kind is %d)",
                (int)rule->kind);
        return 0;
    }
    if ((rule->subject == QALA_RULE_CRISIS_BREACHES || rule->subject == QALA_RULE_BREACHES) &&
        rule->kind == QALA_RULE_ELIGIBILITY) {
        finding(ld, ERR, scol, "bad-subject",
                "subject %s is only used by kinds 1 and 2 (this row is eligibility)",
                subject_codes[subject]);
        return 0;
    }
    return 1;
}

/* What the subject needs; the columns it does not use are warnings. */
static int read_subject(loader *ld, qala_rule *rule)
{
    long col;
    int ok = 1;
    char what[64];
    snprintf(what, sizeof what, "subject %s", subject_codes[rule->subject]);
    switch (rule->subject) {
    case QALA_RULE_INDICATOR:
        ok &= read_indicator(ld, C_INDICATOR, "indicator", &rule->indicator);
        if (ld->failed != QALA_OK)
            return 0;
        ok &= read_transform(ld, rule);
        if (ld->failed != QALA_OK)
            return 0;
        unused(ld, C_SET, "subjects crisis_breaches and breaches", what);
        ok &= read_condition(ld, rule, "indicator");
        return ok;
    case QALA_RULE_GROUP:
        for (int k = C_INDICATOR; k <= C_SCALE; k++)
            unused(ld, k, "subject indicator", what);
        unused(ld, C_SET, "subjects crisis_breaches and breaches", what);
        rule->group = read_group(ld, "subject group");
        ok &= rule->group != NULL;
        for (int k = C_OPERATOR; k <= C_VALUE; k++) {
            if (given(ld, k, &col)) {
                finding(ld, ERR, col, "not-applicable",
                        "%s is not used by subject group (membership holds or not): leave it "
                        "empty", columns[k].name);
                ok = 0;
            }
        }
        return ok;
    case QALA_RULE_CRISIS_BREACHES:
    case QALA_RULE_BREACHES:
        for (int k = C_INDICATOR; k <= C_SCALE; k++)
            unused(ld, k, "subject indicator", what);
        unused(ld, C_GROUP, "subject group and transform ratio_group_median", what);
        return read_condition(ld, rule, subject_codes[rule->subject]);
    }
    return 0;
}

static int read_confidence(loader *ld, qala_rule *rule)
{
    static const char *const codes[] = {"rule", "literature", "assumption"};
    char buf[64];
    long col;
    int c = code_of(ld, C_CONFIDENCE, codes, 3, buf, sizeof buf, &col);
    if (!qala_table__required(&ld->tab, C_CONFIDENCE, buf, col))
        return 0;
    if (c < 0) {
        finding(ld, ERR, col, "bad-confidence",
                "confidence \"%s\" is not rule, literature or assumption", buf);
        return 0;
    }
    rule->confidence = (qala_confidence)c;
    return 1;
}

/* A required text column: "<column> is empty" when it is. */
static int required_text(loader *ld, int k)
{
    long col;
    if (given(ld, k, &col))
        return 1;
    return qala_table__required(&ld->tab, k, "", col);
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
    qala_rule *rule = &row->rule;
    rule->line = ld->tab.line;
    rule->k = 1;
    rule->denominator = SIZE_MAX;
    rule->scale = 1;
    rule->group = "";
    int ok = required_text(ld, C_ID);
    given(ld, C_ID, &row->col_id);
    if (read_kind(ld, rule)) {
        ok &= read_subject(ld, rule);
        if (ld->failed != QALA_OK)
            return;
    } else {
        ok = 0;
    }
    ok &= required_text(ld, C_DESCRIPTION);
    ok &= required_text(ld, C_SOURCE);
    ok &= read_confidence(ld, rule);
    if (!ok)
        return;
    static const int texts[4] = {C_ID, C_SET, C_DESCRIPTION, C_SOURCE};
    for (int k = 0; k < 4; k++)
        row->str[k] = qala_table__stash(&ld->tab, texts[k], &ld->strs, &ld->failed);
    if (ld->failed == QALA_OK)
        ld->nrows++;
}

/* Fills the staged rows' strings (the stash no longer grows) and reports repeated ids,
 * against the collection first, then against earlier rows of the file. */
static void check_ids(void *ctx)
{
    loader *ld = ctx;
    for (size_t i = 0; i < ld->nrows; i++) {
        qala_rule *rule = &ld->rows[i].rule;
        rule->id = ld->strs.data + ld->rows[i].str[0];
        rule->set = rule->subject == QALA_RULE_CRISIS_BREACHES || rule->subject == QALA_RULE_BREACHES
                        ? ld->strs.data + ld->rows[i].str[1] : "";
        rule->description = ld->strs.data + ld->rows[i].str[2];
        rule->source = ld->strs.data + ld->rows[i].str[3];
    }
    for (size_t i = 0; i < ld->nrows; i++) {
        const qala_rule *rule = &ld->rows[i].rule;
        long other = 0;
        const char *where = "";
        size_t n = qala_category_rules_count(ld->rules);
        for (size_t j = 0; j < n && !other; j++) {
            const qala_rule *o = qala_category_rules_get(ld->rules, j);
            if (strcmp(o->id, rule->id) == 0) {
                other = o->line;
                where = qala_category_rules__label(ld->rules, j);
            }
        }
        for (size_t j = 0; j < i && !other; j++)
            if (strcmp(ld->rows[j].rule.id, rule->id) == 0)
                other = ld->rows[j].rule.line;
        if (!other)
            continue;
        ld->tab.line = rule->line;
        if (where[0] && strcmp(where, ld->r.file) != 0)
            finding(ld, ERR, ld->rows[i].col_id, "duplicate-id",
                    "id \"%.100s\" is already used by the rule on line %ld of %.200s", rule->id,
                    other, where);
        else
            finding(ld, ERR, ld->rows[i].col_id, "duplicate-id",
                    "id \"%.100s\" is already used by the rule on line %ld", rule->id, other);
    }
}

/* ---- entry points ---------------------------------------------------------------- */

qala_status qala_category_rules_load_csv(qala_category_rules *rules, const char *text, size_t len,
                                         const char *label, const qala_framework *fw,
                                         const qala_registry *reg, qala_findings *findings)
{
    assert(rules && text && fw && reg);
    label = label ? label : "";
    loader ld = {.rules = rules, .fw = fw, .reg = reg};
    ld.r = (qala_reporter){findings, label, 0, 0, QALA_OK};
    qala_buf__init(&ld.strs, 0);
    qala_status st = qala_table__open(&ld.tab, "category rules", columns, text, len, &ld.r);
    if (st != QALA_OK)
        goto done;
    if ((st = qala_table__stage_all(&ld.tab, &ld.r, &ld.failed, stage_row, check_ids, &ld, label,
                                    "category rules")) != QALA_OK)
        goto done;
    size_t keep = qala_category_rules_count(rules);
    for (size_t i = 0; i < ld.nrows && st == QALA_OK; i++)
        st = qala_category_rules__append(rules, &ld.rows[i].rule, label);
    if (st != QALA_OK)
        qala_category_rules__truncate(rules, keep);
done:
    qala_table__close(&ld.tab);
    qala_buf__free(&ld.strs);
    qala_mem__free(ld.rows);
    return st;
}

qala_status qala_category_rules_load_default(qala_category_rules *rules, const qala_framework *fw,
                                             const qala_registry *reg, qala_findings *findings)
{
    size_t len;
    const char *text = qala_default_data("categories/monotown.csv", &len);
    if (!text)
        return qala_err__set(QALA_ENOTFOUND, "no embedded categories/monotown.csv in this build");
    return qala_category_rules_load_csv(rules, text, len, "categories/monotown.csv", fw, reg,
                                        findings);
}
