/* src/import_header.c — the header row of a statistics table: which column is the unit,
 * indicator, period, value and flag (by name in four languages, or --map), and in wide
 * tables what each value column is (an indicator, a period, or a combined key such as
 * "population|2022"); then the layout (long, wide by indicator, wide by period).
 *
 * Place: import.c calls qala_import__read_header once, before the rows. Invariants: a
 * missing role is one finding naming the option that supplies it; nothing is added to
 * the dataset here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "qala/text.h"
#include "util/internal.h"

const char *const qala_import__role_names[ROLE_COUNT] = {"unit", "indicator", "period", "value", "flag"};

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
            if ((size_t)(eq - p) == strlen(qala_import__role_names[k]) && strncmp(p, qala_import__role_names[k], (size_t)(eq - p)) == 0)
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

/* "total", "всего", ...: the part of a combined key that adds nothing to the rest. */
static qala_status is_total(const char *s, size_t len, int *yes)
{
    static const char *const totals[] = {"total", "all", "both sexes", "всего", "итого", "оба пола",
                                         "барлығы", "барлыгы", "жиыны", "екі жыныс"};
    char *folded = NULL;
    *yes = 0;
    qala_status st = qala_text_fold(&folded, s, len);
    if (st != QALA_OK)
        return st;
    for (size_t i = 0; i < sizeof totals / sizeof totals[0] && !*yes; i++)
        *yes = strcmp(folded, totals[i]) == 0;
    qala_free(folded);
    return QALA_OK;
}

/* A header key of a multi-row header, "2022|total" or "population|2022": at most one
 * period part, at most one indicator part, and parts that say "total". *usable is 0
 * when another part is there (*other is its text), which makes the column ambiguous. */
typedef struct key_parts {
    int has_period, has_indicator, usable;
    qala_period period;
    size_t fw_index;
    uint32_t indicator;
    const char *other;
    size_t other_len;
} key_parts;

static qala_status split_key(importer *im, const char *h, size_t len, key_parts *k)
{
    memset(k, 0, sizeof *k);
    k->usable = 1;
    for (size_t start = 0; start <= len;) {
        const char *bar = memchr(h + start, '|', len - start);
        size_t end = bar ? (size_t)(bar - h) : len, n = end - start;
        const char *part = qala_import__trim(h + start, &n);
        qala_period p;
        size_t fwi;
        uint32_t id;
        int ok = 0, total = 0;
        qala_status st = n ? is_total(part, n, &total) : QALA_OK;
        if (st != QALA_OK)
            return st;
        if (n && !k->has_period && qala_period_parse(&p, part, n) == QALA_OK) {
            k->has_period = 1;
            k->period = p;
            ok = 1;
        } else if (total) {
            ok = 1;
        } else if (n && !k->has_indicator) {
            if ((st = qala_import__resolve_indicator(im, part, n, 0, 0, &fwi, &id, &ok)) != QALA_OK)
                return st;
            if (ok) {
                k->has_indicator = 1;
                k->fw_index = fwi;
                k->indicator = id;
            }
        }
        if (!ok && n && k->usable) {
            k->usable = 0;
            k->other = part;
            k->other_len = n;
        }
        start = end + 1;
    }
    return QALA_OK;
}

/* Classifies a combined key; counts it like the period or indicator column it reads as. */
static qala_status classify_key(importer *im, int commit, col_info *c, long column, const char *h,
                                size_t len, size_t *nperiods, size_t *nindicators)
{
    key_parts k;
    qala_status st = split_key(im, h, len, &k);
    if (st != QALA_OK)
        return st;
    int period_col = k.usable && k.has_period, indicator_col = k.usable && !k.has_period && k.has_indicator;
    *nperiods += period_col;
    *nindicators += indicator_col;
    if (!commit) {
        im->nkeyed += period_col && k.has_indicator;
        return QALA_OK;
    }
    if (period_col && (k.period < im->opt->period_min || k.period > im->opt->period_max)) {
        char text[12];
        qala_period_format(text, k.period);
        return qala_import__finding(im, QALA_SEVERITY_ERROR, column, "period-out-of-range",
                       "period %s is outside the allowed range %d to %d", text,
                       qala_period_year(im->opt->period_min), qala_period_year(im->opt->period_max));
    }
    if (period_col && k.has_indicator) {
        c->is_value = c->own_period = c->own_indicator = 1;
        c->period = k.period;
        c->fw_index = k.fw_index;
        c->indicator = k.indicator;
    } else if (period_col && im->layout == QALA_LAYOUT_WIDE_PERIODS &&
               (im->role_col[ROLE_INDICATOR] >= 0 || im->fixed_indicator_set)) {
        c->is_value = 1;
        c->period = k.period;
    } else if (indicator_col && im->layout == QALA_LAYOUT_WIDE_INDICATORS) {
        c->is_value = 1;
        c->fw_index = k.fw_index;
        c->indicator = k.indicator;
    }
    if (!c->is_value && !im->row_failed) {
        if (!k.usable)
            qala_import__finding(im, QALA_SEVERITY_WARNING, column, "column-ignored",
                    "column \"%.*s\" ignored: \"%.*s\" is not a period, an indicator of the framework or a total",
                    (int)(len > 60 ? 60 : len), h, (int)(k.other_len > 40 ? 40 : k.other_len), k.other);
        else
            qala_import__finding(im, QALA_SEVERITY_WARNING, column, "column-ignored",
                    "column \"%.*s\" ignored: it names %s (give --indicator, or an indicator in the header)",
                    (int)(len > 60 ? 60 : len), h, k.has_period ? "a period but no indicator" : "no period");
    }
    return QALA_OK;
}

static qala_status classify_value_columns(importer *im, int commit, size_t *nperiods, size_t *nindicators)
{
    *nperiods = *nindicators = 0;
    if (!commit)
        im->nkeyed = 0;
    for (size_t j = 0; j < im->ncols; j++) {
        col_info *c = &im->cols[j];
        if (c->role != ROLE_NONE)
            continue;
        size_t len;
        const char *h = qala_import__cell(im, (long)j, &len);
        qala_period p;
        size_t fwi;
        uint32_t id;
        int ok;
        if (memchr(h, '|', len)) {
            qala_status st = classify_key(im, commit, c, (long)j + 1, h, len, nperiods, nindicators);
            if (st != QALA_OK)
                return st;
            continue;
        }
        int year_like = qala_import__looks_like_year(h, len);
        if (len && (year_like || qala_period_parse(&p, h, len) == QALA_OK)) {
            (*nperiods)++;
            if (commit && im->layout == QALA_LAYOUT_WIDE_PERIODS) {
                if (qala_period_parse(&p, h, len) != QALA_OK || p < im->opt->period_min ||
                    p > im->opt->period_max) {
                    qala_import__check_period(im, h, len, (long)j + 1, &p, &ok);
                } else {
                    c->is_value = 1;
                    c->period = p;
                }
            }
            if (!commit || im->layout == QALA_LAYOUT_WIDE_PERIODS)
                continue;
        }
        qala_status st = year_like ? QALA_OK : qala_import__resolve_indicator(im, h, len, (long)j + 1, 0, &fwi, &id, &ok);
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
            qala_import__finding(im, QALA_SEVERITY_WARNING, (long)j + 1, "column-ignored",
                    "column \"%.*s\" ignored: it is not %s", (int)(len > 60 ? 60 : len), h,
                    im->layout == QALA_LAYOUT_WIDE_PERIODS ? "a period" : "an indicator of the framework");
    }
    return QALA_OK;
}

static qala_status missing_role(importer *im, enum role r, const char *option)
{
    return qala_import__finding(im, QALA_SEVERITY_ERROR, 0, "missing-column",
                   "no %s column: expected a header named \"%s\" (or --map %s=HEADER%s%s)",
                   qala_import__role_names[r], qala_import__role_names[r], qala_import__role_names[r], option ? ", or " : "", option ? option : "");
}

qala_status qala_import__read_header(importer *im)
{
    im->ncols = qala_records__nfields(im->src);
    im->cols = qala_mem__calloc(im->ncols, sizeof *im->cols);
    char **folded = qala_mem__calloc(im->ncols, sizeof *folded);
    qala_status st = QALA_OK;
    if (!im->cols || !folded) {
        st = qala_err__set(QALA_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < im->ncols; j++) {
        size_t len;
        const char *h = qala_import__cell(im, (long)j, &len);
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
        if ((st = qala_import__resolve_indicator(im, im->opt->indicator, strlen(im->opt->indicator), 0, 0,
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
    if ((st = classify_value_columns(im, 0, &nperiods, &nindicators)) != QALA_OK)
        goto done;
    if (im->layout == QALA_LAYOUT_AUTO) {
        if (im->role_col[ROLE_VALUE] >= 0) {
            im->layout = QALA_LAYOUT_LONG;
        } else {
            im->layout = nperiods > nindicators ? QALA_LAYOUT_WIDE_PERIODS
                         : nindicators ? QALA_LAYOUT_WIDE_INDICATORS : QALA_LAYOUT_LONG;
        }
    }
    im->stats->layout = im->layout;
    if (im->role_col[ROLE_UNIT] < 0)
        missing_role(im, ROLE_UNIT, NULL);
    if (im->layout != QALA_LAYOUT_WIDE_INDICATORS && im->role_col[ROLE_INDICATOR] < 0 &&
        !im->fixed_indicator_set && !im->nkeyed)
        missing_role(im, ROLE_INDICATOR, "--indicator CODE");
    if (im->layout != QALA_LAYOUT_WIDE_PERIODS && im->role_col[ROLE_PERIOD] < 0 && !im->fixed_period_set &&
        !im->nkeyed)
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
            qala_import__finding(im, QALA_SEVERITY_ERROR, 0, "no-value-columns",
                    "no value columns: expected columns named by %s",
                    im->layout == QALA_LAYOUT_WIDE_PERIODS ? "period (2021, 2022-Q1, ...)" : "indicator code or name");
    }
done:
    for (size_t j = 0; folded && j < im->ncols; j++)
        qala_free(folded[j]);
    qala_mem__free(folded);
    return st;
}
