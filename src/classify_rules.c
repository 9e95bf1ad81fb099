/* src/classify_rules.c — typology rule files (docs/classify.md): the collection of
 * conditions and its CSV reader.
 *
 * Place in the pipeline: a rule file names, per row, a rule id, the registry group the
 * rule assigns and one condition on an indicator (>=, >, <=, <, between); the rows of a
 * rule are consecutive and ANDed, the rules of a group ORed; src/classify.c evaluates
 * them. Columns are found by header name through the table reader (registry_table.h);
 * each row is checked field by field and every problem is a finding at
 * label:line:column. Valid rows are staged; then rule ids are checked (a rule's rows
 * together, one group per rule, no id reused from rules already loaded). Only a file
 * without errors is appended, all rows or none.
 * Invariants: each condition owns one block with its strings (so public pointers stay
 * put when the array grows); the conditions of one rule are adjacent in the collection.
 * Workload: tens of rows.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qala/classify.h"
#include "qala/defaults.h"
#include "registry_table.h"
#include "util/internal.h"

#define ERR QALA_SEVERITY_ERROR
#define WARN QALA_SEVERITY_WARNING

typedef struct rec {
    qala_classify_condition pub;
    char *block; /* owns the strings of pub and the label */
    const char *label;
} rec;

struct qala_classify_rules {
    rec *items;
    size_t n, cap;
};

static const char *const op_codes[] = {">=", ">", "<=", "<", "between"};

const char *qala_classify_op_code(qala_classify_op op)
{
    return (unsigned)op <= QALA_CLASSIFY_BETWEEN ? op_codes[op] : "?";
}

/* ---- the collection -------------------------------------------------------------- */

qala_status qala_classify_rules_new(qala_classify_rules **out)
{
    assert(out);
    *out = qala_mem__calloc(1, sizeof **out);
    if (!*out)
        return qala_err__set(QALA_ENOMEM, "out of memory creating a typology rule collection");
    return QALA_OK;
}

static void truncate_rules(qala_classify_rules *rules, size_t n)
{
    while (rules->n > n)
        qala_mem__free(rules->items[--rules->n].block);
}

void qala_classify_rules_free(qala_classify_rules *rules)
{
    if (!rules)
        return;
    truncate_rules(rules, 0);
    qala_mem__free(rules->items);
    qala_mem__free(rules);
}

size_t qala_classify_rules_count(const qala_classify_rules *rules)
{
    return rules ? rules->n : 0;
}

const qala_classify_condition *qala_classify_rules_get(const qala_classify_rules *rules, size_t i)
{
    return rules && i < rules->n ? &rules->items[i].pub : NULL;
}

static qala_status append(qala_classify_rules *rules, const qala_classify_condition *c,
                          const char *label)
{
    const char *strs[5] = {c->rule, c->group, c->description, c->source, label};
    const char *copy[5];
    if (qala_mem__grow((void **)&rules->items, &rules->cap, rules->n + 1, sizeof *rules->items) !=
        QALA_OK)
        return QALA_ENOMEM;
    char *block = qala_mem__pack_strings(0, strs, 5, copy);
    if (!block)
        return qala_err__set(QALA_ENOMEM, "out of memory adding a typology rule");
    rec *r = &rules->items[rules->n++];
    r->block = block;
    r->pub = *c;
    r->pub.rule = copy[0];
    r->pub.group = copy[1];
    r->pub.description = copy[2];
    r->pub.source = copy[3];
    r->label = copy[4];
    return QALA_OK;
}

/* ---- the reader ------------------------------------------------------------------ */

enum { C_RULE, C_GROUP, C_INDICATOR, C_OPERATOR, C_VALUE, C_UPPER, C_DESCRIPTION, C_SOURCE,
       C_CONFIDENCE };
static const qala_table_column columns[] = {
    {"rule", 1},        {"group", 1},  {"indicator", 1}, {"operator", 1},  {"value", 1},
    {"upper", 0},       {"description", 1}, {"source", 1}, {"confidence", 1}, {NULL, 0}};

typedef struct staged {
    qala_classify_condition c;
    size_t str[4]; /* offsets in the stash: rule, group (registry's spelling), description,
                      source */
    long col_rule, col_group;
} staged;

typedef struct loader {
    qala_classify_rules *rules;
    const qala_framework *fw;
    const qala_registry *reg;
    qala_table tab;
    qala_reporter r;
    qala_buf strs;
    staged *rows;
    size_t nrows, arows;
    qala_status failed;
} loader;

static void finding(loader *ld, qala_severity sev, long col, const char *rule, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

static void finding(loader *ld, qala_severity sev, long col, const char *rule, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    qala_reporter__add(&ld->r, sev, ld->tab.line, col, rule, "%s", msg);
}

static int read_indicator(loader *ld, size_t *out)
{
    size_t len, sugg[3], nsugg = 0;
    long col;
    const char *s = qala_table__field(&ld->tab, C_INDICATOR, &len, &col);
    if (len == 0)
        return qala_table__required(&ld->tab, C_INDICATOR, "", col);
    qala_status st = qala_framework_match(ld->fw, s, len, out, sugg, &nsugg);
    if (st == QALA_OK)
        return 1;
    if (st == QALA_ENOMEM) {
        ld->failed = st;
        return 0;
    }
    int shown = (int)(len > 80 ? 80 : len);
    char msg[512];
    int n = snprintf(msg, sizeof msg, st == QALA_EAMBIGUOUS ? "ambiguous indicator \"%.*s\": could be "
                     : "unknown indicator \"%.*s\"", shown, s);
    if (st != QALA_EAMBIGUOUS)
        n += snprintf(msg + n, sizeof msg - (size_t)n, "%s",
                      nsugg ? ": did you mean " : ": expected an indicator code of the framework");
    for (size_t i = 0; i < nsugg && n < (int)sizeof msg; i++)
        n += snprintf(msg + n, sizeof msg - (size_t)n, "%s\"%s\"", i ? " or " : "",
                      qala_framework_get(ld->fw, sugg[i])->code);
    if (nsugg && n < (int)sizeof msg)
        snprintf(msg + n, sizeof msg - (size_t)n, "%s", st == QALA_EAMBIGUOUS ? "; use the code" : "?");
    finding(ld, ERR, col, "unknown-indicator", "%s", msg);
    return 0;
}

/* The registry group of column group: its index, or SIZE_MAX with a finding. */
static size_t read_group(loader *ld)
{
    char buf[128];
    long col;
    size_t g;
    const char *s = qala_table__text(&ld->tab, C_GROUP, buf, sizeof buf, &col);
    if (!qala_table__required(&ld->tab, C_GROUP, s, col))
        return SIZE_MAX;
    if (qala_registry_find_group(ld->reg, s, &g) == QALA_OK)
        return g;
    char list[400] = "";
    size_t ng = qala_registry_group_count(ld->reg), o = 0;
    for (size_t i = 0; i < ng && i < 12 && o < sizeof list; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                              qala_registry_group(ld->reg, i)->code);
    finding(ld, ERR, col, "unknown-group", ng ? "unknown group \"%.60s\": the registry's groups are %s"
                                              : "unknown group \"%.60s\": the registry has no groups%s",
            s, list);
    return SIZE_MAX;
}

static int read_number(loader *ld, int k, double *out)
{
    long col;
    if (!qala_table__number(&ld->tab, k, NAN, out))
        return 0;
    if (!isfinite(*out)) {
        size_t len;
        qala_table__field(&ld->tab, k, &len, &col);
        finding(ld, ERR, col, "not-a-number", "%s %g is not a finite number", columns[k].name, *out);
        return 0;
    }
    return 1;
}

static int read_condition(loader *ld, qala_classify_condition *c)
{
    char buf[64];
    long col, vcol, ucol;
    size_t len;
    int ok = 1, op = -1;
    const char *s = qala_table__text(&ld->tab, C_OPERATOR, buf, sizeof buf, &col);
    for (int i = 0; i < 5; i++)
        if (strcmp(s, op_codes[i]) == 0)
            op = i;
    if (!qala_table__required(&ld->tab, C_OPERATOR, s, col)) {
        ok = 0;
    } else if (op < 0) {
        finding(ld, ERR, col, "bad-operator", "operator \"%s\" is not >=, >, <=, < or between", s);
        ok = 0;
    } else {
        c->op = (qala_classify_op)op;
    }
    qala_table__field(&ld->tab, C_VALUE, &len, &vcol);
    if (len == 0) {
        finding(ld, ERR, vcol, "empty-value", "value is empty: a condition needs the number to "
                "compare with");
        ok = 0;
    } else {
        ok &= read_number(ld, C_VALUE, &c->value);
    }
    qala_table__field(&ld->tab, C_UPPER, &len, &ucol);
    c->upper = NAN;
    if (op == QALA_CLASSIFY_BETWEEN) {
        if (len == 0) {
            finding(ld, ERR, ucol, "empty-value", "upper is empty: operator between needs the upper "
                    "bound (value <= x <= upper)");
            return 0;
        }
        if (!read_number(ld, C_UPPER, &c->upper))
            return 0;
        if (ok && c->upper < c->value) {
            finding(ld, ERR, ucol, "bad-range", "upper %.15g is below value %.15g: between needs "
                    "value <= upper", c->upper, c->value);
            return 0;
        }
    } else if (len > 0 && op >= 0) {
        finding(ld, WARN, ucol, "unused-value", "upper is only used by operator between; ignored "
                "for %s", op_codes[op]);
    }
    return ok;
}

static int read_confidence(loader *ld, qala_classify_condition *c)
{
    static const char *const codes[] = {"rule", "literature", "assumption"};
    char buf[64];
    long col;
    const char *s = qala_table__text(&ld->tab, C_CONFIDENCE, buf, sizeof buf, &col);
    if (!qala_table__required(&ld->tab, C_CONFIDENCE, s, col))
        return 0;
    for (int i = 0; i < 3; i++)
        if (strcmp(s, codes[i]) == 0) {
            c->confidence = (qala_confidence)i;
            return 1;
        }
    finding(ld, ERR, col, "bad-confidence", "confidence \"%s\" is not rule, literature or assumption", s);
    return 0;
}

static int required_text(loader *ld, int k)
{
    size_t len;
    long col;
    qala_table__field(&ld->tab, k, &len, &col);
    return len > 0 || qala_table__required(&ld->tab, k, "", col);
}

static void stage_row(void *ctx)
{
    loader *ld = ctx;
    if (qala_mem__grow((void **)&ld->rows, &ld->arows, ld->nrows + 1, sizeof *ld->rows) != QALA_OK) {
        ld->failed = QALA_ENOMEM;
        return;
    }
    staged *row = &ld->rows[ld->nrows];
    memset(row, 0, sizeof *row);
    qala_classify_condition *c = &row->c;
    c->line = ld->tab.line;
    size_t len;
    int ok = required_text(ld, C_RULE);
    qala_table__field(&ld->tab, C_RULE, &len, &row->col_rule);
    qala_table__field(&ld->tab, C_GROUP, &len, &row->col_group);
    size_t g = read_group(ld);
    ok &= g != SIZE_MAX;
    ok &= read_indicator(ld, &c->indicator);
    if (ld->failed != QALA_OK)
        return;
    ok &= read_condition(ld, c);
    ok &= required_text(ld, C_DESCRIPTION);
    ok &= required_text(ld, C_SOURCE);
    ok &= read_confidence(ld, c);
    if (!ok)
        return;
    row->str[0] = qala_table__stash(&ld->tab, C_RULE, &ld->strs, &ld->failed);
    const char *code = qala_registry_group(ld->reg, g)->code; /* the registry's spelling */
    row->str[1] = ld->strs.len;
    if (qala_buf__append(&ld->strs, code, strlen(code) + 1) != QALA_OK)
        ld->failed = QALA_ENOMEM;
    row->str[2] = qala_table__stash(&ld->tab, C_DESCRIPTION, &ld->strs, &ld->failed);
    row->str[3] = qala_table__stash(&ld->tab, C_SOURCE, &ld->strs, &ld->failed);
    if (ld->failed == QALA_OK)
        ld->nrows++;
}

/* Fills the strings, then checks the rule ids: a rule's rows adjacent and of one group,
 * and no id of a rule already in the collection. */
static void check_rules(void *ctx)
{
    loader *ld = ctx;
    for (size_t i = 0; i < ld->nrows; i++) {
        qala_classify_condition *c = &ld->rows[i].c;
        c->rule = ld->strs.data + ld->rows[i].str[0];
        c->group = ld->strs.data + ld->rows[i].str[1];
        c->description = ld->strs.data + ld->rows[i].str[2];
        c->source = ld->strs.data + ld->rows[i].str[3];
    }
    for (size_t i = 0; i < ld->nrows; i++) {
        const qala_classify_condition *c = &ld->rows[i].c;
        ld->tab.line = c->line;
        int continues = i > 0 && strcmp(ld->rows[i - 1].c.rule, c->rule) == 0;
        if (continues) {
            const qala_classify_condition *p = &ld->rows[i - 1].c;
            if (strcmp(p->group, c->group) != 0)
                finding(ld, ERR, ld->rows[i].col_group, "group-mismatch",
                        "rule \"%.100s\" assigns group %s on line %ld, not %s: one rule, one group",
                        c->rule, p->group, p->line, c->group);
            continue;
        }
        for (size_t j = 0; j + 1 < i; j++)
            if (strcmp(ld->rows[j].c.rule, c->rule) == 0) {
                finding(ld, ERR, ld->rows[i].col_rule, "split-rule",
                        "rule \"%.100s\" was begun on line %ld and other rules came between: keep "
                        "the rows of a rule together", c->rule, ld->rows[j].c.line);
                break;
            }
        for (size_t j = 0; j < ld->rules->n; j++)
            if (strcmp(ld->rules->items[j].pub.rule, c->rule) == 0) {
                finding(ld, ERR, ld->rows[i].col_rule, "duplicate-id",
                        "rule \"%.100s\" is already loaded from line %ld of %.200s", c->rule,
                        ld->rules->items[j].pub.line, ld->rules->items[j].label);
                break;
            }
    }
}

qala_status qala_classify_rules_load_csv(qala_classify_rules *rules, const char *text, size_t len,
                                         const char *label, const qala_framework *fw,
                                         const qala_registry *reg, qala_findings *findings)
{
    assert(rules && text && fw && reg);
    label = label ? label : "";
    loader ld = {.rules = rules, .fw = fw, .reg = reg};
    ld.r = (qala_reporter){findings, label, 0, 0, QALA_OK};
    qala_buf__init(&ld.strs, 0);
    qala_status st = qala_table__open(&ld.tab, "typology rules", columns, text, len, &ld.r);
    if (st != QALA_OK)
        goto done;
    if ((st = qala_table__stage_all(&ld.tab, &ld.r, &ld.failed, stage_row, check_rules, &ld, label,
                                    "typology rules")) != QALA_OK)
        goto done;
    size_t keep = rules->n;
    for (size_t i = 0; i < ld.nrows && st == QALA_OK; i++)
        st = append(rules, &ld.rows[i].c, label);
    if (st != QALA_OK)
        truncate_rules(rules, keep);
done:
    qala_table__close(&ld.tab);
    qala_buf__free(&ld.strs);
    qala_mem__free(ld.rows);
    return st;
}

qala_status qala_classify_rules_load_default(qala_classify_rules *rules, const qala_framework *fw,
                                             const qala_registry *reg, qala_findings *findings)
{
    size_t len;
    const char *text = qala_default_data("classify/typology.csv", &len);
    if (!text)
        return qala_err__set(QALA_ENOTFOUND, "no embedded classify/typology.csv in this build");
    return qala_classify_rules_load_csv(rules, text, len, "classify/typology.csv", fw, reg, findings);
}
