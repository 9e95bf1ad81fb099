/* src/xlsx_export.c — `qala export --format xlsx`: the scoreboard, the index and the
 * observations of a store as one workbook (libxlsxwriter), for people who paste tables
 * into their own reports.
 *
 * Place in the pipeline: store → (monitor evaluation, index run: src/results.c, the
 * CLI's defaults) → workbook. Invariants: every number stays a number (the zone symbol
 * is part of the cell's number format, not of its value, so that sums and charts still
 * work on the pasted cells); colours come from the Okabe–Ito palette, which stays
 * distinguishable for the common colour-vision deficiencies, and every zone also has a
 * symbol, so that a grey-scale print still reads. The workbook is written in constant
 * memory (row by row, through a temporary file), then renamed into place, so that a
 * failure leaves no half-written file. Workload: one export; the observations sheet is
 * the only large one (capped at Excel's 1,048,576 rows).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "results_internal.h"
#include "util/internal.h"

#define EXCEL_MAX_ROWS 1048576u

enum { Z_NO_DATA, Z_NORMAL, Z_WARNING, Z_CRISIS };

typedef struct xctx {
    lxw_workbook *wb;
    qala_store *store;
    qala_registry *reg;
    qala_framework *fw;
    qala_thresholds *th;
    qala_dataset *ds;
    qala_monitor_result *mon;
    qala_period period;
    qala_lang lang;
    int l; /* name index: kk, ru, en */
    lxw_format *bold, *title, *header, *num, *zone[4], *flagged, *note;
} xctx;

/* Headings in the three languages: {kk, ru, en}. */
typedef const char *const words[3];
static words W_SCOREBOARD = {"Табалдырықтар кестесі", "Пороговая таблица", "Scoreboard"};
static words W_PERIOD = {"Кезең", "Период", "Period"};
static words W_CODE = {"Код", "Код", "Code"};
static words W_UNIT = {"Аумақ", "Территория", "Unit"};
static words W_INDICATOR = {"Көрсеткіш", "Показатель", "Indicator"};
static words W_RANK = {"Орын", "Место", "Rank"};
static words W_SCORE = {"Индекс", "Индекс", "Index"};
static words W_VALUE = {"Мәні", "Значение", "Value"};
static words W_FLAG = {"Белгі", "Отметка", "Flag"};
static words W_ZONES[4] = {{"деректер жоқ", "нет данных", "no data"}, {"қалыпты", "норма", "normal"},
                           {"ескерту", "предупреждение", "warning"}, {"дағдарыс", "кризис", "crisis"}};
static const char *const symbols[4] = {"·", "●", "▲", "■"};

static qala_status xl_error(lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR)
        return QALA_OK;
    return qala_err__set(e == LXW_ERROR_MEMORY_MALLOC_FAILED ? QALA_ENOMEM : QALA_EIO, "%s: %s", what,
                         lxw_strerror(e));
}

static void make_formats(xctx *x)
{
    /* Okabe & Ito (2008): sky blue, orange, vermillion; light tints for the fills. */
    static const lxw_color_t fills[4] = {0xEEEEEE, 0xC6E2F5, 0xF9D9A0, 0xD55E00};
    static const char *const numfmt[4] = {"General", "\"● \"0.0##", "\"▲ \"0.0##", "\"■ \"0.0##"};
    x->bold = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    x->title = workbook_add_format(x->wb);
    format_set_bold(x->title);
    format_set_font_size(x->title, 13);
    x->header = workbook_add_format(x->wb);
    format_set_bold(x->header);
    format_set_text_wrap(x->header);
    format_set_align(x->header, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(x->header, LXW_BORDER_THIN);
    x->num = workbook_add_format(x->wb);
    format_set_num_format(x->num, "0.0##");
    for (int z = 0; z < 4; z++) {
        x->zone[z] = workbook_add_format(x->wb);
        format_set_pattern(x->zone[z], LXW_PATTERN_SOLID);
        format_set_bg_color(x->zone[z], fills[z]);
        format_set_num_format(x->zone[z], numfmt[z]);
        format_set_align(x->zone[z], LXW_ALIGN_CENTER);
        format_set_border(x->zone[z], LXW_BORDER_HAIR);
    }
    format_set_font_color(x->zone[Z_CRISIS], LXW_COLOR_WHITE);
    format_set_bold(x->zone[Z_CRISIS]);
    x->flagged = workbook_add_format(x->wb);
    format_set_pattern(x->flagged, LXW_PATTERN_SOLID);
    format_set_bg_color(x->flagged, 0xFFF3C4);
    x->note = workbook_add_format(x->wb);
    format_set_italic(x->note);
}

static const char *unit_name(const xctx *x, const char *code)
{
    size_t u;
    if (qala_registry_find(x->reg, code, &u) != QALA_OK)
        return code;
    return qala_registry_name_at(x->reg, u, x->lang, qala_results__last_day(x->period ? x->period : 210012));
}

/* ---- the scoreboard and its thresholds ---- */

static qala_status write_scoreboard(xctx *x)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Scoreboard");
    lxw_worksheet *legend = NULL;
    if (!ws)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    char period[12] = "";
    if (x->period)
        qala_period_format(period, x->period);
    char title[160];
    snprintf(title, sizeof title, "%s — %s %s", W_SCOREBOARD[x->l], W_PERIOD[x->l], period);
    worksheet_write_string(ws, 0, 0, title, x->title);
    size_t nth = qala_thresholds_count(x->th), nunits = qala_dataset_unit_count(x->ds);
    int *col = qala_mem__calloc(nth + 1, sizeof *col);
    unsigned char *unit_used = qala_mem__calloc(nunits + 1, 1);
    qala_status st = QALA_OK;
    if (!col || !unit_used) {
        st = qala_err__set(QALA_ENOMEM, "out of memory");
        goto done;
    }
    const qala_monitor_result *m = x->mon;
    for (size_t i = 0; m && i < m->n; i++) {
        size_t u;
        const char *code = qala_dataset_unit_code(x->ds, m->unit[i]);
        if (m->zone[i] == Z_NO_DATA || qala_registry_find(x->reg, code, &u) != QALA_OK ||
            !qala_results__alive_during(x->reg, u, m->period[i]))
            continue;
        col[m->threshold[i]] = 1;
        unit_used[m->unit[i]] = 1;
    }
    int ncols = 0;
    for (size_t t = 0; t < nth; t++)
        if (col[t])
            col[t] = ++ncols + 1; /* columns A, B: code and name */
    worksheet_write_string(ws, 2, 0, W_CODE[x->l], x->header);
    worksheet_write_string(ws, 2, 1, W_UNIT[x->l], x->header);
    for (size_t t = 0; t < nth; t++) {
        if (!col[t])
            continue;
        const qala_threshold *th = qala_thresholds_get(x->th, t);
        const qala_indicator *ind = qala_framework_get(x->fw, th->indicator);
        char head[600];
        snprintf(head, sizeof head, "%s%s%s%s", ind->name[x->l] ? ind->name[x->l] : ind->code,
                 th->transform != QALA_TRANSFORM_LEVEL ? " (" : "",
                 th->transform != QALA_TRANSFORM_LEVEL ? qala_transform_code(th->transform) : "",
                 th->transform != QALA_TRANSFORM_LEVEL ? ")" : "");
        worksheet_write_string(ws, 2, (lxw_col_t)col[t], head, x->header);
    }
    worksheet_set_row(ws, 2, 75, NULL);
    worksheet_set_column(ws, 0, 0, 18, NULL);
    worksheet_set_column(ws, 1, 1, 26, NULL);
    if (ncols)
        worksheet_set_column(ws, 2, (lxw_col_t)(ncols + 1), 14, NULL);
    worksheet_freeze_panes(ws, 3, 2);
    lxw_row_t row = 3;
    for (size_t i = 0; m && i < m->n;) {
        size_t j = i;
        while (j < m->n && m->unit[j] == m->unit[i])
            j++;
        if (unit_used[m->unit[i]]) {
            const char *code = qala_dataset_unit_code(x->ds, m->unit[i]);
            worksheet_write_string(ws, row, 0, code, NULL);
            worksheet_write_string(ws, row, 1, unit_name(x, code), NULL);
            for (int c = 2; c < ncols + 2; c++) /* no data unless a cell says otherwise */
                worksheet_write_string(ws, row, (lxw_col_t)c, symbols[Z_NO_DATA], x->zone[Z_NO_DATA]);
            for (size_t k = i; k < j; k++) {
                int c = col[m->threshold[k]], z = m->zone[k] & 3;
                if (!c || z == Z_NO_DATA || !isfinite(m->transformed[k]))
                    continue;
                worksheet_write_number(ws, row, (lxw_col_t)c, m->transformed[k], x->zone[z]);
            }
            row++;
        }
        i = j;
    }
    row++;
    for (int z = Z_NORMAL; z <= Z_CRISIS + 1; z++) {
        int zz = z & 3;
        char text[96];
        snprintf(text, sizeof text, "%s %s", symbols[zz], W_ZONES[zz][x->l]);
        worksheet_write_string(ws, row++, 1, text, x->zone[zz]);
    }

    /* the thresholds of the columns */
    legend = workbook_add_worksheet(x->wb, "Thresholds");
    if (!legend) {
        st = qala_err__set(QALA_ENOMEM, "out of memory");
        goto done;
    }
    static const char *const heads[] = {"column", "indicator", "name", "set", "transform", "k", "warning", "crisis",
                                        "groups", "confidence", "source"};
    for (int h = 0; h < 11; h++)
        worksheet_write_string(legend, 0, (lxw_col_t)h, heads[h], x->header);
    worksheet_set_column(legend, 2, 2, 40, NULL);
    worksheet_set_column(legend, 10, 10, 60, NULL);
    lxw_row_t r = 1;
    for (size_t t = 0; t < nth; t++) {
        if (!col[t])
            continue;
        const qala_threshold *th = qala_thresholds_get(x->th, t);
        const qala_indicator *ind = qala_framework_get(x->fw, th->indicator);
        char letter[8], groups[256] = "";
        lxw_col_to_name(letter, (lxw_col_t)col[t], 0);
        for (size_t g = 0; g < th->ngroups; g++)
            snprintf(groups + strlen(groups), sizeof groups - strlen(groups), "%s%s", g ? ", " : "", th->groups[g]);
        worksheet_write_string(legend, r, 0, letter, NULL);
        worksheet_write_string(legend, r, 1, ind->code, NULL);
        worksheet_write_string(legend, r, 2, ind->name[x->l] ? ind->name[x->l] : ind->code, NULL);
        worksheet_write_string(legend, r, 3, th->set, NULL);
        worksheet_write_string(legend, r, 4, qala_transform_code(th->transform), NULL);
        worksheet_write_number(legend, r, 5, th->k, NULL);
        worksheet_write_number(legend, r, 6, th->warning, x->num);
        worksheet_write_number(legend, r, 7, th->crisis, x->num);
        worksheet_write_string(legend, r, 8, groups, NULL);
        worksheet_write_string(legend, r, 9, qala_confidence_code(th->confidence), NULL);
        worksheet_write_string(legend, r, 10, th->source ? th->source : "", NULL);
        r++;
    }
done:
    qala_mem__free(col);
    qala_mem__free(unit_used);
    return st;
}

/* ---- the index ---- */

static const char *node_name(const qala_index_node *n, int l)
{
    return n->name[l] && *n->name[l] ? n->name[l] : n->name[QALA_LANG_EN] ? n->name[QALA_LANG_EN] : n->code;
}

static _Thread_local const double *sort_rank;

static int by_rank(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double ri = sort_rank[i], rj = sort_rank[j];
    if (isnan(ri) != isnan(rj))
        return isnan(ri) ? 1 : -1;
    if (!isnan(ri) && ri != rj)
        return ri < rj ? -1 : 1;
    return i < j ? -1 : i > j;
}

static qala_status write_index(xctx *x, const char *spec)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Index");
    if (!ws)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    qala_results_index_options opt = {spec, NULL, x->period, x->period, 0, QALA_UNIT_CITY, NULL, SIZE_MAX};
    qala_results_index ix;
    qala_status st = qala_results__index(&ix, x->store, x->reg, &opt);
    if (st == QALA_OK && x->period && ix.no_data) { /* nothing in the scoreboard's period: the index's own */
        qala_results__index_free(&ix);
        opt.from = opt.to = 0;
        st = qala_results__index(&ix, x->store, x->reg, &opt);
    }
    if (st != QALA_OK)
        return st;
    char title[300], period[12] = "";
    if (ix.to)
        qala_period_format(period, ix.to);
    snprintf(title, sizeof title, "%s — %s %s", qala_index_spec_name(ix.spec, x->lang), W_PERIOD[x->l], period);
    worksheet_write_string(ws, 0, 0, title, x->title);
    if (!ix.res) {
        worksheet_write_string(ws, 2, 0, "no data", x->note);
        qala_results__index_free(&ix);
        return QALA_OK;
    }
    const qala_index_tree *tree = ix.tree;
    const qala_index_result *res = ix.res;
    const qala_index_input *in = qala_index_data_input(ix.data);
    size_t nkept = qala_index_result_units(res), np = qala_index_result_periods(res), root = tree->nnodes - 1;
    size_t p = np - 1; /* the last period of the run */
    worksheet_write_string(ws, 2, 0, W_RANK[x->l], x->header);
    worksheet_write_string(ws, 2, 1, W_CODE[x->l], x->header);
    worksheet_write_string(ws, 2, 2, W_UNIT[x->l], x->header);
    worksheet_write_string(ws, 2, 3, W_SCORE[x->l], x->header);
    lxw_col_t c = 4;
    for (size_t n = tree->nindicators; n < root; n++, c++)
        worksheet_write_string(ws, 2, c, node_name(&tree->nodes[n], x->l), x->header);
    worksheet_set_row(ws, 2, 45, NULL);
    worksheet_set_column(ws, 1, 1, 18, NULL);
    worksheet_set_column(ws, 2, 2, 26, NULL);
    worksheet_set_column(ws, 3, c, 12, NULL);
    worksheet_freeze_panes(ws, 3, 3);
    const double *rank = qala_index_result_column(res, QALA_INDEX_STAGE_RANKED, root);
    const double *score = qala_index_result_column(res, QALA_INDEX_STAGE_AGGREGATED, root);
    size_t *order = qala_mem__malloc((nkept + 1) * sizeof *order);
    if (!order) {
        qala_results__index_free(&ix);
        return qala_err__set(QALA_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < nkept; k++)
        order[k] = k;
    sort_rank = rank + p * nkept;
    qsort(order, nkept, sizeof *order, by_rank);
    for (size_t i = 0; i < nkept; i++) {
        size_t k = order[i];
        lxw_row_t r = (lxw_row_t)(3 + i);
        const char *code = in->unit_codes[qala_index_result_unit(res, k)];
        if (isfinite(rank[p * nkept + k]))
            worksheet_write_number(ws, r, 0, rank[p * nkept + k], NULL);
        worksheet_write_string(ws, r, 1, code, NULL);
        worksheet_write_string(ws, r, 2, unit_name(x, code), NULL);
        if (isfinite(score[p * nkept + k]))
            worksheet_write_number(ws, r, 3, score[p * nkept + k], x->num);
        c = 4;
        for (size_t n = tree->nindicators; n < root; n++, c++) {
            const double *col = qala_index_result_column(res, QALA_INDEX_STAGE_AGGREGATED, n);
            if (col && isfinite(col[p * nkept + k]))
                worksheet_write_number(ws, r, c, col[p * nkept + k], x->num);
        }
    }
    worksheet_write_string(ws, (lxw_row_t)(4 + nkept), 0,
                           "Scores 0-100 (higher is better); rank 1 is the best. Spec: data/index/ of qala.", x->note);
    qala_mem__free(order);
    qala_results__index_free(&ix);
    return QALA_OK;
}

/* ---- the observations ---- */

typedef struct obs_ctx {
    xctx *x;
    lxw_worksheet *ws;
    lxw_row_t row;
    size_t skipped;
} obs_ctx;

static int write_observation(void *ctx, const qala_store_row *o)
{
    obs_ctx *c = ctx;
    if (c->row >= EXCEL_MAX_ROWS - 1) {
        c->skipped++;
        return 0;
    }
    lxw_format *f = o->flag ? c->x->flagged : NULL;
    char period[12];
    qala_period_format(period, o->period);
    lxw_row_t r = c->row++;
    worksheet_write_string(c->ws, r, 0, o->unit, f);
    worksheet_write_string(c->ws, r, 1, unit_name(c->x, o->unit), f);
    worksheet_write_string(c->ws, r, 2, o->indicator, f);
    worksheet_write_string(c->ws, r, 3, period, f);
    if (isfinite(o->value))
        worksheet_write_number(c->ws, r, 4, o->value, f);
    else
        worksheet_write_blank(c->ws, r, 4, f);
    worksheet_write_string(c->ws, r, 5, o->flag ? qala_flag_code(o->flag) : "", f);
    worksheet_write_number(c->ws, r, 6, (double)o->batch, f);
    worksheet_write_number(c->ws, r, 7, (double)o->line, f);
    return 0;
}

static qala_status write_observations(xctx *x)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Observations");
    if (!ws)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    const char *heads[] = {W_CODE[x->l], W_UNIT[x->l], W_INDICATOR[x->l], W_PERIOD[x->l], W_VALUE[x->l],
                           W_FLAG[x->l], "batch", "line"};
    for (int h = 0; h < 8; h++)
        worksheet_write_string(ws, 0, (lxw_col_t)h, heads[h], x->header);
    worksheet_set_column(ws, 0, 0, 18, NULL);
    worksheet_set_column(ws, 1, 1, 26, NULL);
    worksheet_set_column(ws, 2, 2, 30, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    obs_ctx c = {x, ws, 1, 0};
    qala_status st = qala_store_each_observation(x->store, NULL, write_observation, &c);
    if (st != QALA_OK)
        return st;
    worksheet_autofilter(ws, 0, 0, c.row - 1, 7);
    if (c.skipped) {
        char text[160];
        snprintf(text, sizeof text, "%zu more observations not written (the sheet's row limit)", c.skipped);
        worksheet_write_string(ws, c.row, 0, text, x->note);
    }
    return QALA_OK;
}

/* ---- loading and the driver ---- */

typedef struct th_load {
    xctx *x;
    qala_findings *f;
    qala_status st;
    size_t files;
} th_load;

static int load_threshold_file(void *ctx, const char *label, const char *text, size_t len)
{
    th_load *l = ctx;
    l->files++;
    l->st = qala_thresholds_load_csv(l->x->th, text, len, label, l->x->fw, l->x->reg, l->f);
    return l->st != QALA_OK;
}

static qala_status load(xctx *x)
{
    if (!qala_store_is_initialised(x->store))
        return qala_err__set(QALA_EDB, "database '%s' has no registry: run 'qala init'", qala_store_path(x->store));
    qala_findings *f = NULL;
    qala_status st;
    if ((st = qala_store_load_registry(x->store, &x->reg)) != QALA_OK ||
        (st = qala_store_load_framework(x->store, &x->fw)) != QALA_OK || (st = qala_findings_new(&f)) != QALA_OK)
        return st;
    if ((st = qala_thresholds_new(&x->th)) == QALA_OK) {
        th_load l = {x, f, QALA_OK, 0};
        if ((st = qala_store_each_threshold_file(x->store, load_threshold_file, &l)) == QALA_OK)
            st = l.st;
        if (st == QALA_OK && l.files == 0)
            st = qala_thresholds_load_default(x->th, x->fw, x->reg, f);
    }
    qala_findings_free(f);
    if (st == QALA_OK)
        st = qala_results__observations(&x->ds, x->store);
    if (st != QALA_OK)
        return st;
    if (!x->period)
        x->period = qala_results__monitor_period(x->ds, x->th, x->fw);
    if (!x->period)
        return QALA_OK; /* no data: an empty scoreboard */
    qala_monitor_options mo = QALA_MONITOR_OPTIONS_INIT;
    mo.period = x->period;
    return qala_monitor_evaluate(&x->mon, x->ds, x->th, x->fw, x->reg, &mo);
}

qala_status qala_xlsx_export(const char *path, qala_store *store, const qala_xlsx_options *opt)
{
    qala_xlsx_options defaults = QALA_XLSX_OPTIONS_INIT;
    if (!opt)
        opt = &defaults;
    if (opt->version != QALA_XLSX_OPTIONS_VERSION)
        return qala_err__set(QALA_EINVAL, "xlsx options of version %u", opt->version);
    xctx x = {0};
    x.store = store;
    x.lang = opt->lang;
    x.l = opt->lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)opt->lang;
    x.period = opt->period;
    char *tmp = qala_mem__malloc(strlen(path) + 16);
    if (!tmp)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    sprintf(tmp, "%s.tmp", path);
    qala_status st = load(&x);
    if (st == QALA_OK) {
        lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
        if (!(x.wb = workbook_new_opt(tmp, &wo)))
            st = qala_err__set(QALA_EIO, "can't create '%s'", path);
    }
    if (st == QALA_OK) {
        make_formats(&x);
        lxw_doc_properties props = {.title = "qala: scoreboard, index, observations", .author = "qala",
                                    .comments = "written by qala export --format xlsx"};
        workbook_set_properties(x.wb, &props);
        if ((st = write_scoreboard(&x)) == QALA_OK && (st = write_index(&x, opt->spec)) == QALA_OK)
            st = write_observations(&x);
    }
    if (x.wb) {
        lxw_error e = workbook_close(x.wb);
        if (st == QALA_OK)
            st = xl_error(e, path);
    }
    if (st == QALA_OK && rename(tmp, path) != 0)
        st = qala_err__set(QALA_EIO, "can't write '%s'", path);
    if (st != QALA_OK)
        remove(tmp);
    qala_mem__free(tmp);
    qala_monitor_result_free(x.mon);
    qala_dataset_free(x.ds);
    qala_thresholds_free(x.th);
    qala_framework_free(x.fw);
    qala_registry_free(x.reg);
    return st;
}
