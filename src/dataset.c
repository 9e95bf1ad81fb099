/* src/dataset.c — the in-memory observations: columnar arrays and two code dictionaries.
 *
 * Every reader appends here and every analysis reads the columns directly. Appending is
 * amortised O(1) (arrays double); interning a code is O(1) expected (util/strmap).
 * Sorting is a stable merge sort of an index permutation, then one gather per column:
 * O(n log n), with 2n indices and one column of scratch memory.
 * Expected workload: 10^7–10^8 observations, 10^2–10^5 units, 10^2 indicators.
 */
#include <assert.h>
#include <string.h>
#include <strings.h>

#include "qala/dataset.h"
#include "util/internal.h"
#include "util/strmap.h"

/* A dictionary of codes: dense ids, strings owned, a hash map from code to id. */
typedef struct dict {
    char **codes;
    size_t count, cap;
    qala_strmap index;
} dict;

struct qala_dataset {
    dict units, indicators;
    uint32_t *unit;
    uint32_t *indicator;
    qala_period *period;
    double *value;
    uint8_t *flag;
    uint32_t *line;
    size_t size, cap;
};

static const char *const flag_codes[QALA_FLAG_COUNT] = {
    "", "provisional", "estimated", "break", "confidential", "imputed"};

const char *qala_flag_code(qala_flag flag)
{
    return (unsigned)flag < QALA_FLAG_COUNT ? flag_codes[flag] : "";
}

qala_status qala_flag_parse(qala_flag *out, const char *text, size_t len)
{
    static const char letters[QALA_FLAG_COUNT] = {0, 'p', 'e', 'b', 'c', 'i'};
    while (len && (text[0] == ' ' || text[0] == '\t'))
        text++, len--;
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == 0) {
        *out = QALA_FLAG_NONE;
        return QALA_OK;
    }
    for (int f = 1; f < QALA_FLAG_COUNT; f++) {
        if ((len == 1 && (text[0] | 0x20) == letters[f]) ||
            (len == strlen(flag_codes[f]) && strncasecmp(text, flag_codes[f], len) == 0)) {
            *out = (qala_flag)f;
            return QALA_OK;
        }
    }
    return qala_err__set(QALA_EINVAL,
                         "'%.*s' is not a flag: expected provisional, estimated, break, "
                         "confidential or imputed (or p, e, b, c, i)",
                         (int)(len > 40 ? 40 : len), text);
}

static void dict_free(dict *d)
{
    for (size_t i = 0; i < d->count; i++)
        qala_mem__free(d->codes[i]);
    qala_mem__free(d->codes);
    qala_strmap__free(&d->index);
    memset(d, 0, sizeof *d);
}

static qala_status dict_intern(dict *d, const char *code, uint32_t *id)
{
    size_t n = strlen(code);
    int64_t *found = qala_strmap__get(&d->index, code, n);
    if (found) {
        *id = (uint32_t)*found;
        return QALA_OK;
    }
    if (d->count >= UINT32_MAX - 1)
        return qala_err__set(QALA_ELIMIT, "too many distinct codes");
    qala_status st = qala_mem__grow((void **)&d->codes, &d->cap, d->count + 1, sizeof *d->codes);
    if (st != QALA_OK)
        return st;
    char *copy = qala_mem__strndup(code, n);
    if (!copy)
        return qala_err__set(QALA_ENOMEM, "out of memory");
    if ((st = qala_strmap__put(&d->index, code, n, (int64_t)d->count)) != QALA_OK) {
        qala_mem__free(copy);
        return st;
    }
    d->codes[d->count] = copy;
    *id = (uint32_t)d->count++;
    return QALA_OK;
}

qala_status qala_dataset_new(qala_dataset **out)
{
    *out = qala_mem__calloc(1, sizeof **out);
    return *out ? QALA_OK : qala_err__set(QALA_ENOMEM, "out of memory");
}

void qala_dataset_free(qala_dataset *ds)
{
    if (!ds)
        return;
    dict_free(&ds->units);
    dict_free(&ds->indicators);
    qala_mem__free(ds->unit);
    qala_mem__free(ds->indicator);
    qala_mem__free(ds->period);
    qala_mem__free(ds->value);
    qala_mem__free(ds->flag);
    qala_mem__free(ds->line);
    qala_mem__free(ds);
}

void qala_dataset_clear(qala_dataset *ds)
{
    ds->size = 0;
}

/* Grows all six columns to cap elements; on failure the columns already grown stay
 * grown (harmless) and the capacity is unchanged. */
static qala_status resize_columns(qala_dataset *ds, size_t cap)
{
    void *p;
#define GROW(col)                                                     \
    if (!(p = qala_mem__realloc(ds->col, cap * sizeof *ds->col)))     \
        return qala_err__set(QALA_ENOMEM, "out of memory for %zu observations", cap); \
    ds->col = p;
    GROW(unit) GROW(indicator) GROW(period) GROW(value) GROW(flag) GROW(line)
#undef GROW
    ds->cap = cap;
    return QALA_OK;
}

static void move_row(qala_dataset *ds, size_t to, size_t from)
{
    ds->unit[to] = ds->unit[from];
    ds->indicator[to] = ds->indicator[from];
    ds->period[to] = ds->period[from];
    ds->value[to] = ds->value[from];
    ds->flag[to] = ds->flag[from];
    ds->line[to] = ds->line[from];
}

qala_status qala_dataset_reserve(qala_dataset *ds, size_t observations)
{
    return observations > ds->cap ? resize_columns(ds, observations) : QALA_OK;
}

qala_status qala_dataset_intern_unit(qala_dataset *ds, const char *code, uint32_t *id)
{
    return dict_intern(&ds->units, code, id);
}

qala_status qala_dataset_intern_indicator(qala_dataset *ds, const char *code, uint32_t *id)
{
    return dict_intern(&ds->indicators, code, id);
}

size_t qala_dataset_unit_count(const qala_dataset *ds) { return ds->units.count; }
size_t qala_dataset_indicator_count(const qala_dataset *ds) { return ds->indicators.count; }

const char *qala_dataset_unit_code(const qala_dataset *ds, uint32_t id)
{
    assert(id < ds->units.count);
    return ds->units.codes[id];
}

const char *qala_dataset_indicator_code(const qala_dataset *ds, uint32_t id)
{
    assert(id < ds->indicators.count);
    return ds->indicators.codes[id];
}

qala_status qala_dataset_append(qala_dataset *ds, uint32_t unit, uint32_t indicator,
                                qala_period period, double value, qala_flag flag, uint32_t line)
{
    assert(unit < ds->units.count && indicator < ds->indicators.count);
    if (ds->size == ds->cap) {
        qala_status st = resize_columns(ds, ds->cap ? ds->cap * 2 : 1024);
        if (st != QALA_OK)
            return st;
    }
    size_t i = ds->size++;
    ds->unit[i] = unit;
    ds->indicator[i] = indicator;
    ds->period[i] = period;
    ds->value[i] = value;
    ds->flag[i] = (uint8_t)flag;
    ds->line[i] = line;
    return QALA_OK;
}

void qala_dataset_remove_swap(qala_dataset *ds, size_t i)
{
    assert(i < ds->size);
    size_t last = --ds->size;
    move_row(ds, i, last);
}

void qala_dataset_truncate(qala_dataset *ds, size_t size)
{
    assert(size <= ds->size);
    ds->size = size;
}

static int same_key(const qala_dataset *ds, size_t a, size_t b)
{
    return ds->unit[a] == ds->unit[b] && ds->indicator[a] == ds->indicator[b] &&
           ds->period[a] == ds->period[b];
}

size_t qala_dataset_remove_duplicates(qala_dataset *ds,
                                      void (*on_duplicate)(void *ctx, size_t kept, size_t dropped),
                                      void *ctx)
{
    if (ds->size < 2)
        return 0;
    size_t out = 1, first_of_key = 0;
    for (size_t i = 1; i < ds->size; i++) {
        if (same_key(ds, i, first_of_key)) {
            if (on_duplicate)
                on_duplicate(ctx, first_of_key, i);
            continue;
        }
        first_of_key = i;
        if (out != i)
            move_row(ds, out, i);
        out++;
    }
    size_t removed = ds->size - out;
    ds->size = out;
    return removed;
}

size_t qala_dataset_remove_if(qala_dataset *ds, int (*drop)(void *ctx, size_t i), void *ctx)
{
    size_t out = 0;
    for (size_t i = 0; i < ds->size; i++) {
        if (drop(ctx, i))
            continue;
        if (out != i)
            move_row(ds, out, i);
        out++;
    }
    size_t removed = ds->size - out;
    ds->size = out;
    return removed;
}

size_t qala_dataset_size(const qala_dataset *ds) { return ds->size; }
const uint32_t *qala_dataset_units(const qala_dataset *ds) { return ds->unit; }
const uint32_t *qala_dataset_indicators(const qala_dataset *ds) { return ds->indicator; }
const qala_period *qala_dataset_periods(const qala_dataset *ds) { return ds->period; }
const double *qala_dataset_values(const qala_dataset *ds) { return ds->value; }
const uint8_t *qala_dataset_flags(const qala_dataset *ds) { return ds->flag; }
const uint32_t *qala_dataset_lines(const qala_dataset *ds) { return ds->line; }

static int key_less(const qala_dataset *ds, uint32_t a, uint32_t b)
{
    if (ds->unit[a] != ds->unit[b])
        return ds->unit[a] < ds->unit[b];
    if (ds->indicator[a] != ds->indicator[b])
        return ds->indicator[a] < ds->indicator[b];
    return ds->period[a] < ds->period[b];
}

/* Bottom-up stable merge sort of the permutation perm (tmp is scratch). */
static void merge_sort(const qala_dataset *ds, uint32_t *perm, uint32_t *tmp, size_t n)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = key_less(ds, perm[j], perm[i]) ? perm[j++] : perm[i++];
            while (i < mid)
                tmp[k++] = perm[i++];
            while (j < hi)
                tmp[k++] = perm[j++];
        }
        uint32_t *swap = perm;
        perm = tmp;
        tmp = swap;
        memcpy(tmp, perm, n * sizeof *perm); /* keep both buffers equal for the next pass */
    }
}

static int is_sorted(const qala_dataset *ds)
{
    for (size_t i = 1; i < ds->size; i++)
        if (key_less(ds, (uint32_t)i, (uint32_t)(i - 1)))
            return 0;
    return 1;
}

qala_status qala_dataset_sort(qala_dataset *ds)
{
    size_t n = ds->size;
    if (n < 2 || is_sorted(ds))
        return QALA_OK;
    if (n > UINT32_MAX)
        return qala_err__set(QALA_ELIMIT, "too many observations to sort");
    uint32_t *perm = qala_mem__malloc(n * sizeof *perm);
    uint32_t *tmp = qala_mem__malloc(n * sizeof *tmp);
    void *scratch = qala_mem__malloc(n * sizeof(double));
    if (!perm || !tmp || !scratch) {
        qala_mem__free(perm);
        qala_mem__free(tmp);
        qala_mem__free(scratch);
        return qala_err__set(QALA_ENOMEM, "out of memory sorting %zu observations", n);
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    merge_sort(ds, perm, tmp, n);
#define GATHER(col, type)                          \
    do {                                           \
        type *s = scratch;                         \
        for (size_t i = 0; i < n; i++)             \
            s[i] = ds->col[perm[i]];               \
        memcpy(ds->col, s, n * sizeof(type));      \
    } while (0)
    GATHER(unit, uint32_t);
    GATHER(indicator, uint32_t);
    GATHER(period, qala_period);
    GATHER(value, double);
    GATHER(flag, uint8_t);
    GATHER(line, uint32_t);
#undef GATHER
    qala_mem__free(perm);
    qala_mem__free(tmp);
    qala_mem__free(scratch);
    return QALA_OK;
}

qala_status qala_dataset_find(const qala_dataset *ds, uint32_t unit, uint32_t indicator,
                              qala_period period, size_t *index)
{
    size_t lo = 0, hi = ds->size;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int less = ds->unit[mid] != unit ? ds->unit[mid] < unit
                   : ds->indicator[mid] != indicator ? ds->indicator[mid] < indicator
                                                     : ds->period[mid] < period;
        if (less)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ds->size && ds->unit[lo] == unit && ds->indicator[lo] == indicator &&
        ds->period[lo] == period) {
        *index = lo;
        return QALA_OK;
    }
    return QALA_ENOTFOUND;
}
