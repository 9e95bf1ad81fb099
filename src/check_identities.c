/* src/check_identities.c — reading accounting-identity rules files (docs/check.md) for
 * `qala check`.
 *
 * A rules file is a CSV table name,left,right,tolerance[,severity]: "population =
 * population_male + population_female within 0.5%" is the row
 *   population-by-sex,population,population_male + population_female,0.5%,error
 * The right side is a signed sum of terms, each an indicator code with an optional
 * coefficient ("0.001*grp_kzt"). Columns are found by header name (registry_table.h);
 * every problem is a finding at label:line:column, and a file with any error adds
 * nothing. Each identity lives in one allocation (struct, term pointers, coefficients,
 * strings), so pointers handed out stay valid while the collection grows. Workload:
 * tens of rows.
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qala/check.h"
#include "qala/defaults.h"
#include "registry_table.h"
#include "util/internal.h"

#define MAX_TERMS 32
#define DEFAULT_TOLERANCE 0.005

struct qala_identities {
    qala_identity **items;
    size_t n, cap;
};

enum { C_NAME, C_LEFT, C_RIGHT, C_TOLERANCE, C_SEVERITY };
static const qala_table_column columns[] = {
    {"name", 1}, {"left", 1}, {"right", 1}, {"tolerance", 0}, {"severity", 0}, {NULL, 0}};

qala_status qala_identities_new(qala_identities **out)
{
    *out = qala_mem__calloc(1, sizeof **out);
    return *out ? QALA_OK : qala_err__set(QALA_ENOMEM, "out of memory creating identities");
}

void qala_identities_free(qala_identities *ids)
{
    if (!ids)
        return;
    for (size_t i = 0; i < ids->n; i++)
        qala_mem__free(ids->items[i]);
    qala_mem__free(ids->items);
    qala_mem__free(ids);
}

size_t qala_identities_count(const qala_identities *ids)
{
    return ids ? ids->n : 0;
}

const qala_identity *qala_identities_get(const qala_identities *ids, size_t i)
{
    assert(ids && i < ids->n);
    return ids->items[i];
}

/* One parsed row, before it is packed. */
typedef struct parsed {
    char name[128], left[128];
    char terms[MAX_TERMS][128];
    double coef[MAX_TERMS];
    size_t nterms;
    double tolerance;
    int relative;
    qala_severity severity;
    long line;
} parsed;

typedef struct loader {
    qala_identities *ids;
    const qala_framework *fw;
    qala_table tab;
    qala_reporter r;
    parsed *rows;
    size_t nrows, arows;
    qala_status failed;
} loader;

__attribute__((format(printf, 4, 5)))
static void finding(loader *ld, long col, const char *rule, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    qala_reporter__add(&ld->r, QALA_SEVERITY_ERROR, ld->tab.line, col, rule, "%s", msg);
}

/* An indicator code of the framework (any case; rewritten as the framework spells it):
 * 1, or 0 with a finding naming close codes. */
static int known_indicator(loader *ld, char code[static 128], long col, const char *where)
{
    size_t idx, sugg[3], nsugg = 0;
    if (qala_framework_find(ld->fw, code, &idx) == QALA_OK) {
        snprintf(code, 128, "%s", qala_framework_get(ld->fw, idx)->code);
        return 1;
    }
    qala_status st = qala_framework_match(ld->fw, code, strlen(code), &idx, sugg, &nsugg);
    if (st == QALA_ENOMEM) {
        ld->failed = st;
        return 0;
    }
    char msg[512];
    int n = snprintf(msg, sizeof msg, "unknown indicator \"%.80s\" in %s", code, where);
    if (st == QALA_OK) {
        snprintf(msg + n, sizeof msg - (size_t)n, ": write its code \"%s\"",
                 qala_framework_get(ld->fw, idx)->code);
    } else {
        for (size_t i = 0; i < nsugg; i++)
            n += snprintf(msg + n, sizeof msg - (size_t)n, "%s\"%s\"", i ? " or " : ": did you mean ",
                          qala_framework_get(ld->fw, sugg[i])->code);
        snprintf(msg + n, sizeof msg - (size_t)n, "%s",
                 nsugg ? "?" : ": expected an indicator code of the framework");
    }
    finding(ld, col, "unknown-indicator", "%s", msg);
    return 0;
}

/* Parses "a + 2*b - c" into terms; 0 with a finding on a syntax error. */
static int parse_right(loader *ld, const char *s, long col, parsed *p)
{
    const char *q = s;
    p->nterms = 0;
    for (;;) {
        while (*q == ' ' || *q == '\t')
            q++;
        double sign = 1;
        if (*q == '+' || *q == '-') {
            sign = *q == '-' ? -1 : 1;
            q++;
            while (*q == ' ' || *q == '\t')
                q++;
        } else if (p->nterms > 0) {
            finding(ld, col, "bad-expression",
                    "right \"%.100s\": expected + or - before \"%.40s\"", s, q);
            return 0;
        }
        double coef = 1;
        if (isdigit((unsigned char)*q) || *q == '.') {
            char *end;
            coef = strtod(q, &end);
            while (*end == ' ' || *end == '\t')
                end++;
            if (*end != '*' || !isfinite(coef)) {
                finding(ld, col, "bad-expression",
                        "right \"%.100s\": a number must be followed by * and an indicator code", s);
                return 0;
            }
            q = end + 1;
            while (*q == ' ' || *q == '\t')
                q++;
        }
        size_t n = 0;
        while (isalnum((unsigned char)q[n]) || q[n] == '_')
            n++;
        if (n == 0 || n >= sizeof p->terms[0]) {
            finding(ld, col, "bad-expression",
                    "right \"%.100s\": expected an indicator code%s%.40s%s", s,
                    *q ? " at \"" : " at the end", q, *q ? "\"" : "");
            return 0;
        }
        if (p->nterms == MAX_TERMS) {
            finding(ld, col, "bad-expression", "right \"%.100s\": more than %d terms", s, MAX_TERMS);
            return 0;
        }
        memcpy(p->terms[p->nterms], q, n);
        p->terms[p->nterms][n] = '\0';
        p->coef[p->nterms++] = sign * coef;
        q += n;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == '\0')
            return 1;
    }
}

/* "0.5%" (relative) or "120" (absolute); empty: 0.5%. */
static int parse_tolerance(loader *ld, parsed *p)
{
    char buf[64];
    long col;
    const char *s = qala_table__text(&ld->tab, C_TOLERANCE, buf, sizeof buf, &col);
    p->tolerance = DEFAULT_TOLERANCE;
    p->relative = 1;
    if (!*s)
        return 1;
    char *end;
    double v = strtod(s, &end);
    int pct = *end == '%';
    if (pct)
        end++;
    if (end == s || *end || !isfinite(v) || v < 0) {
        finding(ld, col, "bad-tolerance",
                "tolerance \"%s\" is not a number >= 0: expected a percentage of the left side "
                "(\"0.5%%\") or an absolute amount (\"100\")", buf);
        return 0;
    }
    p->tolerance = pct ? v / 100 : v;
    p->relative = pct;
    return 1;
}

static void stage_row(void *ctx)
{
    loader *ld = ctx;
    if (qala_mem__grow((void **)&ld->rows, &ld->arows, ld->nrows + 1, sizeof *ld->rows) != QALA_OK) {
        ld->failed = QALA_ENOMEM;
        return;
    }
    parsed *p = &ld->rows[ld->nrows];
    memset(p, 0, sizeof *p);
    p->line = ld->tab.line;
    long col, lcol, rcol;
    int ok = 1;
    qala_table__text(&ld->tab, C_NAME, p->name, sizeof p->name, &col);
    ok &= qala_table__required(&ld->tab, C_NAME, p->name, col);
    qala_table__text(&ld->tab, C_LEFT, p->left, sizeof p->left, &lcol);
    if (qala_table__required(&ld->tab, C_LEFT, p->left, lcol))
        ok &= known_indicator(ld, p->left, lcol, "left");
    else
        ok = 0;
    char right[1024];
    qala_table__text(&ld->tab, C_RIGHT, right, sizeof right, &rcol);
    if (qala_table__required(&ld->tab, C_RIGHT, right, rcol) && parse_right(ld, right, rcol, p)) {
        for (size_t i = 0; i < p->nterms && ld->failed == QALA_OK; i++) {
            ok &= known_indicator(ld, p->terms[i], rcol, "right");
            if (strcmp(p->terms[i], p->left) == 0) {
                finding(ld, rcol, "bad-expression", "\"%s\" is on both sides", p->left);
                ok = 0;
            }
        }
    } else {
        ok = 0;
    }
    ok &= parse_tolerance(ld, p);
    char sev[32];
    qala_table__text(&ld->tab, C_SEVERITY, sev, sizeof sev, &col);
    p->severity = QALA_SEVERITY_ERROR;
    if (strcmp(sev, "warning") == 0) {
        p->severity = QALA_SEVERITY_WARNING;
    } else if (sev[0] && strcmp(sev, "error") != 0) {
        finding(ld, col, "bad-severity", "severity \"%s\" is not error or warning", sev);
        ok = 0;
    }
    for (size_t i = 0; ok && p->name[0] && i < ld->nrows; i++)
        if (strcmp(ld->rows[i].name, p->name) == 0) {
            finding(ld, 0, "duplicate-name", "name \"%s\" is already used on line %ld", p->name,
                    ld->rows[i].line);
            ok = 0;
        }
    for (size_t i = 0; ok && i < ld->ids->n; i++)
        if (strcmp(ld->ids->items[i]->name, p->name) == 0) {
            finding(ld, 0, "duplicate-name", "name \"%s\" is already used by an identity loaded before",
                    p->name);
            ok = 0;
        }
    if (ok && ld->failed == QALA_OK)
        ld->nrows++;
}

/* One block: the struct, the term pointers, the coefficients, then the strings. */
static qala_identity *pack(const parsed *p)
{
    size_t prefix = sizeof(qala_identity) + p->nterms * (sizeof(char *) + sizeof(double));
    const char *strs[2 + MAX_TERMS], *copies[2 + MAX_TERMS];
    strs[0] = p->name;
    strs[1] = p->left;
    for (size_t i = 0; i < p->nterms; i++)
        strs[2 + i] = p->terms[i];
    char *block = qala_mem__pack_strings(prefix, strs, 2 + p->nterms, copies);
    if (!block)
        return NULL;
    qala_identity *id = (qala_identity *)(void *)block;
    const char **terms = (const char **)(void *)(block + sizeof(qala_identity));
    double *coef = (double *)(void *)(block + sizeof(qala_identity) + p->nterms * sizeof(char *));
    for (size_t i = 0; i < p->nterms; i++) {
        terms[i] = copies[2 + i];
        coef[i] = p->coef[i];
    }
    *id = (qala_identity){copies[0], copies[1], p->nterms, terms, coef, p->tolerance, p->relative,
                          p->severity, p->line};
    return id;
}

qala_status qala_identities_load_csv(qala_identities *ids, const char *text, size_t len,
                                     const char *label, const qala_framework *fw,
                                     qala_findings *findings)
{
    assert(ids && text && fw);
    label = label ? label : "";
    loader ld = {.ids = ids, .fw = fw};
    ld.r = (qala_reporter){findings, label, 0, 0, QALA_OK};
    qala_status st = qala_table__open(&ld.tab, "identities", columns, text, len, &ld.r);
    if (st != QALA_OK)
        goto done;
    if ((st = qala_table__stage_all(&ld.tab, &ld.r, &ld.failed, stage_row, NULL, &ld, label,
                                    "identities")) != QALA_OK)
        goto done;
    size_t keep = ids->n;
    for (size_t i = 0; i < ld.nrows && st == QALA_OK; i++) {
        qala_identity *id = NULL;
        if ((st = qala_mem__grow((void **)&ids->items, &ids->cap, ids->n + 1, sizeof *ids->items)) != QALA_OK)
            break;
        if (!(id = pack(&ld.rows[i]))) {
            st = qala_err__set(QALA_ENOMEM, "out of memory reading identities");
            break;
        }
        ids->items[ids->n++] = id;
    }
    if (st != QALA_OK) {
        while (ids->n > keep)
            qala_mem__free(ids->items[--ids->n]);
    }
done:
    qala_table__close(&ld.tab);
    qala_mem__free(ld.rows);
    return st;
}

qala_status qala_identities_load_default(qala_identities *ids, const qala_framework *fw,
                                         qala_findings *findings)
{
    size_t len;
    const char *text = qala_default_data("check/identities.csv", &len);
    if (!text)
        return qala_err__set(QALA_ENOTFOUND, "no embedded check/identities.csv in this build");
    return qala_identities_load_csv(ids, text, len, "check/identities.csv", fw, findings);
}
