/* src/targets.c — target files (docs/targets.md): reading and checking them, the
 * collection, and choosing the target that applies to a unit.
 *
 * Place in the pipeline: a user's target file is read against the indicator framework
 * and the registry (unit and group codes); the progress step (qala/trends.h) then takes,
 * for each unit and indicator, the target qala_targets_find chooses. Columns are found
 * by header name through the table reader (registry_table.h); each row is checked field
 * by field, every problem a finding at label:line:column; valid rows are staged, checked
 * for duplicates (same indicator and scope) against each other and the collection, and
 * only a file without errors is appended, all rows or none.
 * Invariants: every target owns one block with its strings (the public pointers point
 * into it); baseline < period; value finite and inside the indicator's declared range.
 * Workload: tens to hundreds of rows; the duplicate check is quadratic in the rows of
 * one indicator, which are few; find is linear in the targets.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/targets.h"
#include "registry_table.h"
#include "util/internal.h"

#define ERR QALA_SEVERITY_ERROR

/* ---- the collection -------------------------------------------------------------- */

typedef struct rec {
    qala_target pub;
    char *block;       /* owns the strings of pub and the label */
    const char *label;
} rec;

struct qala_targets {
    rec *items;
    size_t n, cap;
};

qala_status qala_targets_new(qala_targets **out)
{
    assert(out);
    *out = qala_mem__calloc(1, sizeof **out);
    return *out ? QALA_OK : qala_err__set(QALA_ENOMEM, "out of memory creating targets");
}

static void truncate_to(qala_targets *t, size_t n)
{
    while (t->n > n)
        qala_mem__free(t->items[--t->n].block);
}

void qala_targets_free(qala_targets *t)
{
    if (!t)
        return;
    truncate_to(t, 0);
    qala_mem__free(t->items);
    qala_mem__free(t);
}

size_t qala_targets_count(const qala_targets *t)
{
    return t ? t->n : 0;
}

const qala_target *qala_targets_get(const qala_targets *t, size_t i)
{
    return t && i < t->n ? &t->items[i].pub : NULL;
}

const char *qala_targets_file(const qala_targets *t, size_t i)
{
    return t && i < t->n ? t->items[i].label : "";
}

static qala_status append(qala_targets *t, const qala_target *tg, const char *label)
{
    const char *strs[5] = {tg->unit, tg->group, tg->source, tg->note, label}, *copy[5];
    char *block = qala_mem__grow((void **)&t->items, &t->cap, t->n + 1, sizeof *t->items) == QALA_OK
                      ? qala_mem__pack_strings(0, strs, 5, copy)
                      : NULL;
    if (!block)
        return qala_err__set(QALA_ENOMEM, "out of memory adding a target");
    rec *r = &t->items[t->n++];
    r->block = block;
    r->pub = *tg;
    r->pub.unit = copy[0];
    r->pub.group = copy[1];
    r->pub.source = copy[2];
    r->pub.note = copy[3];
    r->label = copy[4];
    return QALA_OK;
}

qala_progress_target qala_target_progress(const qala_target *target)
{
    assert(target);
    return (qala_progress_target){target->value, target->period, target->baseline, 0};
}

qala_status qala_targets_find(const qala_targets *t, size_t indicator, const qala_registry *reg,
                              size_t unit, qala_date at, size_t *index)
{
    assert(t && reg && index);
    const qala_unit *u = qala_registry_unit(reg, unit);
    if (!u)
        return qala_err__set(QALA_EINVAL, "unit index %zu is not in the registry", unit);
    size_t all = SIZE_MAX, grp = SIZE_MAX;
    for (size_t i = 0; i < t->n; i++) {
        const qala_target *tg = &t->items[i].pub;
        if (tg->indicator != indicator)
            continue;
        if (tg->scope == QALA_TARGET_UNIT && strcmp(tg->unit, u->code) == 0) {
            *index = i;
            return QALA_OK;
        }
        if (tg->scope == QALA_TARGET_ALL_UNITS && all == SIZE_MAX)
            all = i;
        size_t g;
        if (tg->scope == QALA_TARGET_GROUP &&
            qala_registry_find_group(reg, tg->group, &g) == QALA_OK &&
            qala_registry_in_group_at(reg, g, unit, at)) {
            if (grp != SIZE_MAX)
                return qala_err__set(QALA_EAMBIGUOUS,
                                     "unit %s is in groups %s and %s, which both have a target "
                                     "for this indicator (line %ld of %s and line %ld of %s): "
                                     "give the unit its own target",
                                     u->code, t->items[grp].pub.group, tg->group,
                                     t->items[grp].pub.line, t->items[grp].label, tg->line,
                                     t->items[i].label);
            grp = i;
        }
    }
    if (grp != SIZE_MAX || all != SIZE_MAX) {
        *index = grp != SIZE_MAX ? grp : all;
        return QALA_OK;
    }
    return qala_err__set(QALA_ENOTFOUND, "no target applies to unit %s for this indicator",
                         u->code);
}

/* ---- the loader ------------------------------------------------------------------ */

enum { C_INDICATOR, C_UNIT, C_GROUP, C_TARGET, C_TARGET_PERIOD, C_BASELINE_PERIOD, C_SOURCE,
       C_NOTE };
static const qala_table_column columns[] = {
    {"indicator", 1}, {"unit", 0},   {"group", 0}, {"target", 1}, {"target_period", 1},
    {"baseline_period", 1}, {"source", 1}, {"note", 0}, {NULL, 0}};

typedef struct staged {
    qala_target tg;    /* unit and group point at registry strings; source, note at 0 */
    size_t str[2];     /* offsets of source and note in the stash */
    long col;          /* column of the indicator, where duplicates are reported */
} staged;

typedef struct loader {
    qala_targets *t;
    const qala_framework *fw;
    const qala_registry *reg;
    qala_table tab;
    qala_reporter r;
    qala_buf strs;
    staged *rows;
    size_t nrows, arows;
    qala_status failed;
} loader;

static void finding(loader *ld, long col, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void finding(loader *ld, long col, const char *rule, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    qala_reporter__add(&ld->r, ERR, ld->tab.line, col, rule, "%s", msg);
}

/* The indicator of the row (a code or a name, as qala_framework_match reads it). */
static int read_indicator(loader *ld, staged *row)
{
    size_t len, sugg[3], nsugg = 0;
    const char *s = qala_table__field(&ld->tab, C_INDICATOR, &len, &row->col);
    if (len == 0)
        return qala_table__required(&ld->tab, C_INDICATOR, "", row->col);
    qala_status st = qala_framework_match(ld->fw, s, len, &row->tg.indicator, sugg, &nsugg);
    if (st == QALA_OK)
        return 1;
    if (st == QALA_ENOMEM) {
        ld->failed = st;
        return 0;
    }
    int shown = (int)(len > 80 ? 80 : len);
    char msg[512];
    int n;
    if (st == QALA_EAMBIGUOUS)
        n = snprintf(msg, sizeof msg, "ambiguous indicator \"%.*s\": could be ", shown, s);
    else if (st == QALA_ENOTFOUND)
        n = snprintf(msg, sizeof msg, "unknown indicator \"%.*s\"%s", shown, s,
                     nsugg ? ": did you mean " : ": expected an indicator code of the framework");
    else
        n = snprintf(msg, sizeof msg, "indicator \"%.*s\" is not valid UTF-8", shown, s);
    for (size_t i = 0; st != QALA_EINVAL && i < nsugg && n < (int)sizeof msg; i++)
        n += snprintf(msg + n, sizeof msg - (size_t)n, "%s\"%s\"", i ? " or " : "",
                      qala_framework_get(ld->fw, sugg[i])->code);
    if (st != QALA_EINVAL && nsugg && n < (int)sizeof msg)
        snprintf(msg + n, sizeof msg - (size_t)n, "%s",
                 st == QALA_EAMBIGUOUS ? "; use the indicator code" : "?");
    finding(ld, row->col, "unknown-indicator", "%s", msg);
    return 0;
}

/* unit and group: at most one; each a code of the registry. */
static int read_scope(loader *ld, staged *row)
{
    char ubuf[128], gbuf[128];
    long ucol, gcol;
    const char *u = qala_table__text(&ld->tab, C_UNIT, ubuf, sizeof ubuf, &ucol);
    const char *g = qala_table__text(&ld->tab, C_GROUP, gbuf, sizeof gbuf, &gcol);
    row->tg.scope = QALA_TARGET_ALL_UNITS;
    row->tg.unit = row->tg.group = "";
    if (u[0] && g[0]) {
        finding(ld, gcol, "unit-and-group",
                "both unit \"%s\" and group \"%s\" are given: a target is for one unit, one "
                "group or (both empty) all units", u, g);
        return 0;
    }
    size_t i;
    if (u[0]) {
        if (qala_registry_find(ld->reg, u, &i) != QALA_OK) {
            finding(ld, ucol, "unknown-unit",
                    "unknown unit \"%s\": expected a unit code of the registry (e.g. KZ-AKM)", u);
            return 0;
        }
        row->tg.scope = QALA_TARGET_UNIT;
        row->tg.unit = qala_registry_unit(ld->reg, i)->code;
    } else if (g[0]) {
        if (qala_registry_find_group(ld->reg, g, &i) != QALA_OK) {
            char list[400] = "";
            size_t ng = qala_registry_group_count(ld->reg), o = 0;
            for (size_t k = 0; k < ng && k < 12 && o < sizeof list; k++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", k ? ", " : "",
                                      qala_registry_group(ld->reg, k)->code);
            finding(ld, gcol, "unknown-group", "unknown group \"%s\": %s%s", g,
                    ng ? "the registry's groups are " : "the registry has no groups", list);
            return 0;
        }
        row->tg.scope = QALA_TARGET_GROUP;
        row->tg.group = qala_registry_group(ld->reg, i)->code;
    }
    return 1;
}

/* A required period in column k. */
static int read_period(loader *ld, int k, qala_period *out, long *col)
{
    size_t len;
    const char *s = qala_table__field(&ld->tab, k, &len, col);
    if (len == 0)
        return qala_table__required(&ld->tab, k, "", *col);
    if (qala_period_parse(out, s, len) != QALA_OK) {
        finding(ld, *col, "bad-period",
                "%s \"%.*s\" is not a period: expected YYYY, YYYY-Qn or YYYY-MM",
                columns[k].name, (int)(len > 40 ? 40 : len), s);
        return 0;
    }
    return 1;
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
    qala_target *tg = &row->tg;
    tg->line = ld->tab.line;
    int have_indicator = read_indicator(ld, row);
    if (ld->failed != QALA_OK)
        return;
    int ok = have_indicator;
    ok &= read_scope(ld, row);
    size_t len;
    long col, ctp, cbp;
    qala_table__field(&ld->tab, C_TARGET, &len, &col);
    if (len == 0) {
        ok = qala_table__required(&ld->tab, C_TARGET, "", col) && ok;
    } else if (!qala_table__number(&ld->tab, C_TARGET, NAN, &tg->value)) {
        ok = 0;
    } else if (!isfinite(tg->value)) {
        finding(ld, col, "not-a-number", "target \"%.*s\" is not a finite number",
                (int)(len > 40 ? 40 : len), qala_table__field(&ld->tab, C_TARGET, &len, &col));
        ok = 0;
    } else if (have_indicator) {
        const qala_indicator *ind = qala_framework_get(ld->fw, tg->indicator);
        if (tg->value < ind->min || tg->value > ind->max) {
            finding(ld, col, "out-of-range",
                    "target %.15g is outside the valid range [%.15g, %.15g] of indicator \"%s\"",
                    tg->value, ind->min, ind->max, ind->code);
            ok = 0;
        }
    }
    int periods = read_period(ld, C_TARGET_PERIOD, &tg->period, &ctp);
    periods &= read_period(ld, C_BASELINE_PERIOD, &tg->baseline, &cbp);
    if (periods && !(qala_trend_time(tg->baseline) < qala_trend_time(tg->period))) {
        char a[12], b[12];
        qala_period_format(a, tg->period);
        qala_period_format(b, tg->baseline);
        finding(ld, ctp, "bad-period", "target_period %s is not after baseline_period %s", a, b);
        periods = 0;
    }
    ok &= periods;
    qala_table__field(&ld->tab, C_SOURCE, &len, &col);
    if (len == 0)
        ok = qala_table__required(&ld->tab, C_SOURCE, "", col) && ok;
    if (!ok)
        return;
    row->str[0] = qala_table__stash(&ld->tab, C_SOURCE, &ld->strs, &ld->failed);
    row->str[1] = qala_table__stash(&ld->tab, C_NOTE, &ld->strs, &ld->failed);
    if (ld->failed == QALA_OK)
        ld->nrows++;
}

static int same_scope(const qala_target *a, const qala_target *b)
{
    return a->indicator == b->indicator && a->scope == b->scope &&
           strcmp(a->unit, b->unit) == 0 && strcmp(a->group, b->group) == 0;
}

static void report_duplicate(loader *ld, const staged *row, const qala_target *other,
                             const char *other_label)
{
    const qala_target *tg = &row->tg;
    char where[300] = "", scope[200] = "all units";
    if (other_label && strcmp(other_label, ld->r.file) != 0)
        snprintf(where, sizeof where, " of %.200s", other_label);
    if (tg->scope == QALA_TARGET_UNIT)
        snprintf(scope, sizeof scope, "unit %.100s", tg->unit);
    else if (tg->scope == QALA_TARGET_GROUP)
        snprintf(scope, sizeof scope, "group %.100s", tg->group);
    ld->tab.line = tg->line;
    finding(ld, row->col, "duplicate",
            "duplicate target: line %ld%s already sets the target of indicator \"%s\" for %s",
            other->line, where, qala_framework_get(ld->fw, tg->indicator)->code, scope);
}

/* Fills the staged rows' strings (the stash no longer grows) and reports duplicates. */
static void check_duplicates(void *ctx)
{
    loader *ld = ctx;
    for (size_t i = 0; i < ld->nrows; i++) {
        staged *row = &ld->rows[i];
        row->tg.source = ld->strs.data + row->str[0];
        row->tg.note = ld->strs.data + row->str[1];
    }
    for (size_t i = 0; i < ld->nrows; i++) {
        const staged *row = &ld->rows[i];
        size_t j, n = ld->t->n;
        for (j = 0; j < n && !same_scope(&row->tg, &ld->t->items[j].pub); j++)
            ;
        if (j < n) {
            report_duplicate(ld, row, &ld->t->items[j].pub, ld->t->items[j].label);
            continue;
        }
        for (j = 0; j < i && !same_scope(&row->tg, &ld->rows[j].tg); j++)
            ;
        if (j < i)
            report_duplicate(ld, row, &ld->rows[j].tg, NULL);
    }
}

qala_status qala_targets_load_csv(qala_targets *t, const char *text, size_t len,
                                  const char *label, const qala_framework *fw,
                                  const qala_registry *reg, qala_findings *findings)
{
    assert(t && text && fw && reg);
    label = label ? label : "";
    loader ld = {.t = t, .fw = fw, .reg = reg};
    ld.r = (qala_reporter){findings, label, 0, 0, QALA_OK};
    qala_buf__init(&ld.strs, 0);
    qala_status st = qala_table__open(&ld.tab, "targets", columns, text, len, &ld.r);
    if (st != QALA_OK)
        goto done;
    st = qala_table__stage_all(&ld.tab, &ld.r, &ld.failed, stage_row, check_duplicates, &ld,
                               label, "targets");
    if (st != QALA_OK)
        goto done;
    size_t keep = t->n;
    for (size_t i = 0; i < ld.nrows && st == QALA_OK; i++)
        st = append(t, &ld.rows[i].tg, label);
    if (st != QALA_OK)
        truncate_to(t, keep);
done:
    qala_table__close(&ld.tab);
    qala_buf__free(&ld.strs);
    qala_mem__free(ld.rows);
    return st;
}
