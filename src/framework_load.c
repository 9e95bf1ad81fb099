/* src/framework_load.c — reading indicators.csv and domains.csv.
 *
 * indicators.csv: code,domain,direction,unit,decimals,min,max,name_kk,name_ru,name_en,
 * description,source (docs/data-format.md); domains.csv: code,name_kk,name_ru,name_en.
 * Columns are found by header name (registry_table.h). Every row is validated into a
 * finding per problem before anything is added; a table with any error adds nothing,
 * and an allocation failure half-way is undone. ~100 rows; one pass.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "framework_internal.h"
#include "qala/defaults.h"
#include "qala/text.h"
#include "registry_index.h"
#include "registry_table.h"
#include "util/internal.h"

#define ERR QALA_SEVERITY_ERROR

enum { I_CODE, I_DOMAIN, I_DIRECTION, I_UNIT, I_DECIMALS, I_MIN, I_MAX, I_KK, I_RU, I_EN,
       I_DESCRIPTION, I_SOURCE };
static const qala_table_column indicator_cols[] = {
    {"code", 1}, {"domain", 1}, {"direction", 1}, {"unit", 0}, {"decimals", 0}, {"min", 0},
    {"max", 0}, {"name_kk", 0}, {"name_ru", 0}, {"name_en", 1}, {"description", 0},
    {"source", 0}, {NULL, 0}};

enum { D_CODE, D_KK, D_RU, D_EN };
static const qala_table_column domain_cols[] = {
    {"code", 1}, {"name_kk", 0}, {"name_ru", 0}, {"name_en", 1}, {NULL, 0}};

typedef struct staged {
    qala_indicator ind; /* strings are filled in at commit from str[] */
    size_t str[7];      /* offsets in the stash: code, unit, kk, ru, en, description, source */
} staged;

typedef struct loader {
    qala_framework *fw;
    qala_table t;
    qala_reporter r;
    qala_buf strs;
    staged *rows;
    size_t nrows, arows;
    qala_strindex seen; /* codes staged so far */
    qala_status failed;
} loader;

static const char *staged_code(const void *ctx, size_t i)
{
    const loader *ld = ctx;
    return ld->strs.data + ld->rows[i].str[0];
}

/* Copies field k into the staging strings; returns its offset. */
static size_t stash(loader *ld, int k)
{
    return qala_table__stash(&ld->t, k, &ld->strs, &ld->failed);
}

static int stage_indicator(loader *ld, staged *row)
{
    qala_table *t = &ld->t;
    qala_reporter *r = &ld->r;
    char buf[128];
    long col;
    size_t len;
    int ok = 1;
    const char *code = qala_table__text(t, I_CODE, buf, sizeof buf, &col);
    if (qala_table__required(t, I_CODE, code, col)) {
        size_t i, cursor = 0;
        if (qala_framework_find(ld->fw, code, &i) == QALA_OK) {
            qala_reporter__add(r, ERR, t->line, col, "duplicate-code",
                               "indicator code \"%s\" is already in the framework", code);
            ok = 0;
        } else if (qala_strindex__next(&ld->seen, code, &cursor, &i)) {
            qala_reporter__add(r, ERR, t->line, col, "duplicate-code",
                               "duplicate indicator code \"%s\" (first on an earlier row)", code);
            ok = 0;
        }
    } else {
        ok = 0;
    }
    const char *domain = qala_table__text(t, I_DOMAIN, buf, sizeof buf, &col);
    if (!qala_table__required(t, I_DOMAIN, domain, col)) {
        ok = 0;
    } else if (qala_domain_parse(&row->ind.domain, domain) != QALA_OK) {
        qala_reporter__add(r, ERR, t->line, col, "bad-domain",
                           "unknown domain \"%s\" (see domains.csv)", domain);
        ok = 0;
    }
    const char *dir = qala_table__text(t, I_DIRECTION, buf, sizeof buf, &col);
    if (!qala_table__required(t, I_DIRECTION, dir, col)) {
        ok = 0;
    } else if (!qala_table__parse_int(dir, -1, 1, &row->ind.direction) || row->ind.direction == 0) {
        qala_reporter__add(r, ERR, t->line, col, "bad-direction",
                           "direction \"%s\" is not +1 (higher is better) or -1", dir);
        ok = 0;
    }
    const char *dec = qala_table__text(t, I_DECIMALS, buf, sizeof buf, &col);
    row->ind.decimals = 1;
    if (dec[0] && !qala_table__parse_int(dec, 0, 15, &row->ind.decimals)) {
        qala_reporter__add(r, ERR, t->line, col, "bad-decimals",
                           "decimals \"%s\" is not a whole number from 0 to 15", dec);
        ok = 0;
    }
    int nums = qala_table__number(t, I_MIN, -INFINITY, &row->ind.min);
    nums &= qala_table__number(t, I_MAX, INFINITY, &row->ind.max);
    if (nums && row->ind.min > row->ind.max) {
        qala_table__field(t, I_MAX, &len, &col);
        qala_reporter__add(r, ERR, t->line, col, "bad-range", "min %g is greater than max %g",
                           row->ind.min, row->ind.max);
        ok = 0;
    }
    ok &= nums;
    qala_table__field(t, I_EN, &len, &col);
    if (len == 0) {
        qala_table__required(t, I_EN, "", col);
        ok = 0;
    }
    return ok;
}

static void stage_row(void *ctx)
{
    loader *ld = ctx;
    if (qala_mem__grow((void **)&ld->rows, &ld->arows, ld->nrows + 1, sizeof *ld->rows) != QALA_OK ||
        qala_strindex__reserve(&ld->seen, 1) != QALA_OK) {
        ld->failed = QALA_ENOMEM;
        return;
    }
    staged *row = &ld->rows[ld->nrows];
    memset(row, 0, sizeof *row);
    if (!stage_indicator(ld, row))
        return;
    static const int cols[7] = {I_CODE, I_UNIT, I_KK, I_RU, I_EN, I_DESCRIPTION, I_SOURCE};
    for (int k = 0; k < 7; k++)
        row->str[k] = stash(ld, cols[k]);
    if (ld->failed != QALA_OK)
        return;
    ld->nrows++;
    qala_strindex__insert(&ld->seen, ld->strs.data + row->str[0], ld->nrows - 1);
}

qala_status qala_framework_load_csv(qala_framework *fw, const char *text, size_t len,
                                    const char *label, qala_findings *findings)
{
    assert(fw && text);
    label = label ? label : "";
    loader ld = {.fw = fw};
    ld.r = (qala_reporter){findings, label, 0, 0, QALA_OK};
    qala_buf__init(&ld.strs, 0);
    qala_strindex__init(&ld.seen, 1, staged_code, &ld);
    qala_status st = qala_table__open(&ld.t, "indicators", indicator_cols, text, len, &ld.r);
    if (st != QALA_OK)
        goto done;
    if ((st = qala_table__stage_all(&ld.t, &ld.r, &ld.failed, stage_row, NULL, &ld, label,
                                    "indicators")) != QALA_OK)
        goto done;
    size_t keep = qala_framework_count(fw);
    for (size_t i = 0; i < ld.nrows && st == QALA_OK; i++) {
        const staged *row = &ld.rows[i];
        qala_indicator ind = row->ind;
        const char *s = ld.strs.data;
        ind.code = s + row->str[0];
        ind.unit = s + row->str[1];
        for (int l = 0; l < 3; l++)
            ind.name[l] = s + row->str[2 + l];
        ind.description = s + row->str[5];
        ind.source = s + row->str[6];
        st = qala_framework_add(fw, &ind, NULL);
    }
    if (st != QALA_OK)
        qala_framework__truncate(fw, keep);
done:
    qala_table__close(&ld.t);
    qala_strindex__free(&ld.seen);
    qala_buf__free(&ld.strs);
    qala_mem__free(ld.rows);
    return st;
}

qala_status qala_framework_load_domains_csv(qala_framework *fw, const char *text, size_t len,
                                            const char *label, qala_findings *findings)
{
    assert(fw && text);
    label = label ? label : "";
    qala_reporter r = {findings, label, 0, 0, QALA_OK};
    char *names[QALA_DOMAIN_COUNT][3] = {{NULL}};
    long seen_line[QALA_DOMAIN_COUNT] = {0};
    qala_table t;
    qala_status st = qala_table__open(&t, "domains", domain_cols, text, len, &r);
    if (st != QALA_OK)
        goto done;
    int got;
    while ((got = qala_table__next(&t)) > 0) {
        char buf[128];
        long col;
        const char *code = qala_table__text(&t, D_CODE, buf, sizeof buf, &col);
        qala_domain d;
        if (!qala_table__required(&t, D_CODE, code, col))
            continue;
        if (qala_domain_parse(&d, code) != QALA_OK) {
            qala_reporter__add(&r, ERR, t.line, col, "bad-domain",
                               "unknown domain \"%s\": the domains are fixed (qala/framework.h)",
                               code);
            continue;
        }
        if (seen_line[d]) {
            qala_reporter__add(&r, ERR, t.line, col, "duplicate-code",
                               "domain \"%s\" again (first on line %ld)", code, seen_line[d]);
            continue;
        }
        seen_line[d] = t.line;
        size_t flen;
        qala_table__field(&t, D_EN, &flen, &col);
        if (flen == 0) {
            qala_table__required(&t, D_EN, "", col);
            continue;
        }
        for (int l = 0; l < 3; l++) {
            const char *f = qala_table__field(&t, D_KK + l, &flen, &col);
            if (flen && !(names[d][l] = qala_mem__strndup(f, flen))) {
                st = qala_err__set(QALA_ENOMEM, "out of memory reading %s", label);
                goto done;
            }
        }
    }
    if (got < 0) {
        st = (qala_status)got;
        goto done;
    }
    if (r.failed != QALA_OK) {
        st = qala_err__set(QALA_ENOMEM, "out of memory reading %s", label);
        goto done;
    }
    if (r.errors) {
        st = qala_err__set(QALA_EDATA, "%s: %zu error%s in the domains table", label, r.errors,
                           r.errors == 1 ? "" : "s");
        goto done;
    }
    qala_framework__swap_domain_names(fw, names);
done:
    qala_table__close(&t);
    for (int d = 0; d < QALA_DOMAIN_COUNT; d++)
        for (int l = 0; l < 3; l++)
            qala_mem__free(names[d][l]);
    return st;
}

qala_status qala_framework_load_default(qala_framework *fw, qala_findings *findings)
{
    size_t ilen, dlen;
    const char *ind = qala_default_data("framework/indicators.csv", &ilen);
    const char *dom = qala_default_data("framework/domains.csv", &dlen);
    if (!ind || !dom)
        return qala_err__set(QALA_ENOTFOUND, "no embedded framework/%s in this build",
                             ind ? "domains.csv" : "indicators.csv");
    size_t keep = qala_framework_count(fw);
    qala_status st = qala_framework_load_csv(fw, ind, ilen, "framework/indicators.csv", findings);
    if (st != QALA_OK)
        return st;
    st = qala_framework_load_domains_csv(fw, dom, dlen, "framework/domains.csv", findings);
    if (st != QALA_OK)
        qala_framework__truncate(fw, keep);
    return st;
}
