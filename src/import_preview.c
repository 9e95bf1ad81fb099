/* src/import_preview.c — `qala import --dry-run`: how a table will be read, told line by
 * line through opt->on_preview (the file's encoding and delimiter, or the sheet and its
 * header rows; the layout and each column's role; the first rows as observations or as
 * the reason they would be refused; the notes under the table).
 *
 * Place: import.c calls these while it reads; they only describe, never change the
 * dataset or the findings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import_internal.h"
#include "util/internal.h"

/* ---- the preview (qala import --dry-run) -------------------------------------------- */

__attribute__((format(printf, 2, 3)))
static void preview(importer *im, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    im->opt->on_preview(im->opt->preview_ctx, line);
}

/* "C" for an XLSX column, "3" for a CSV one (1-based j + 1). */
static const char *column_name(const importer *im, size_t j, char *buf)
{
    if (!qala_records__sheet(im->src)) {
        snprintf(buf, 24, "%zu", j + 1);
        return buf;
    }
    char rev[4];
    size_t n = 0, c = j + 1;
    while (c && n < 3) {
        rev[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = rev[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

static const char *const layout_names[] = {"auto", "long", "wide by indicator", "wide by period"};

void qala_import__preview_header(importer *im)
{
    const char *sheet = qala_records__sheet(im->src);
    if (sheet) {
        long first, last;
        qala_records__header_rows(im->src, &first, &last);
        preview(im, "%s: sheet \"%s\" (number %zu); header: row%s %ld%s%.0ld", im->label, sheet,
                qala_records__sheet_number(im->src), first == last ? "" : "s", first,
                first == last ? "" : "-", first == last ? 0 : last);
    } else {
        preview(im, "%s: %s, delimiter '%c'", im->label, qala_records__encoding(im->src),
                qala_records__delimiter(im->src));
    }
    preview(im, "layout: %s", layout_names[im->layout]);
    for (size_t j = 0; j < im->ncols; j++) {
        const col_info *c = &im->cols[j];
        char name[24], what[160], period[12];
        size_t len;
        const char *h = qala_import__cell(im, (long)j, &len);
        if (c->role != ROLE_NONE) {
            snprintf(what, sizeof what, "%s", qala_import__role_names[c->role]);
        } else if (c->is_value) {
            int has_period = c->own_period || im->layout == QALA_LAYOUT_WIDE_PERIODS;
            int has_ind = c->own_indicator || im->layout == QALA_LAYOUT_WIDE_INDICATORS;
            if (has_period)
                qala_period_format(period, c->period);
            snprintf(what, sizeof what, "values%s%s%s%s", has_ind ? " of " : "",
                     has_ind ? qala_framework_get(im->fw, c->fw_index)->code : "", has_period ? " for " : "",
                     has_period ? period : "");
        } else {
            snprintf(what, sizeof what, "ignored");
        }
        preview(im, "  column %s \"%.*s\": %s", column_name(im, j, name), (int)(len > 80 ? 80 : len), h, what);
    }
}

/* The observations the row just read added (dataset rows from `from`), or its reason. */
void qala_import__preview_row(importer *im, size_t from)
{
    size_t len;
    const char *u = qala_records__field(im->src, (size_t)im->role_col[ROLE_UNIT], &len);
    unsigned level = qala_records__level(im->src);
    char text[900], lvl[24] = "";
    if (level)
        snprintf(lvl, sizeof lvl, " (level %u)", level);
    size_t tl = len;
    const char *t = qala_import__trim(u, &tl);
    int o = snprintf(text, sizeof text, "  row %ld: \"%.*s\"%s", im->line, (int)(tl > 60 ? 60 : tl), t, lvl);
    const qala_dataset *ds = im->ds;
    size_t n = qala_dataset_size(ds);
    if (im->row_failed) {
        snprintf(text + o, sizeof text - (size_t)o, ": rejected: %s", im->reason);
    } else if (n == from) {
        snprintf(text + o, sizeof text - (size_t)o, ": no values");
    } else {
        o += snprintf(text + o, sizeof text - (size_t)o, " -> %s:",
                      qala_dataset_unit_code(ds, qala_dataset_units(ds)[from]));
        for (size_t i = from; i < n && o < (int)sizeof text - 100; i++) {
            char period[12];
            qala_period_format(period, qala_dataset_periods(ds)[i]);
            o += snprintf(text + o, sizeof text - (size_t)o, "%s %s %s = %.15g", i == from ? "" : ";",
                          qala_dataset_indicator_code(ds, qala_dataset_indicators(ds)[i]), period,
                          qala_dataset_values(ds)[i]);
        }
        if (o >= (int)sizeof text - 100)
            snprintf(text + o, sizeof text - (size_t)o, "; ...");
    }
    preview(im, "%s", text);
}

void qala_import__preview_notes(importer *im)
{
    size_t skipped = qala_records__skipped(im->src), n = qala_records__nnotes(im->src);
    if (!skipped)
        return;
    preview(im, "skipped rows: %zu", skipped);
    for (size_t i = 0; i < n; i++)
        preview(im, "  %s", qala_records__note(im->src, i));
    if (skipped > n)
        preview(im, "  ... and %zu more", skipped - n);
}
