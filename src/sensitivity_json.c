/* src/sensitivity_json.c — reading factor files of the sensitivity analysis
 * (docs/sensitivity.md) with jansson.
 *
 * Place: the command and programs load a file, then pass the factors to qala_sens_run.
 * The text is parsed whole (json_loadb, duplicate keys refused; a syntax error is
 * QALA_EPARSE with jansson's line and column), then each factor is checked key by key and
 * handed to the builder of its kind (sensitivity.c), which checks the values again. The
 * first problem stops the load with a message naming the factor by its JSON path and
 * name ("factors[1] 'norm': methods[0]: unknown normalisation method 'minimax' (...)"), and
 * the factors of the file added so far are dropped. Caps: 1 MiB of text and the limits of
 * qala/sensitivity.h. jansson allocates through its own hooks; what is kept goes through
 * qala_mem__*. Workload: a file has a handful of factors.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "sensitivity_internal.h"
#include "util/internal.h"

#define MAX_BYTES (1u << 20)

/* The path of the factor in messages: "factors[1] 'norm'" (or without a name). */
typedef struct ctx {
    char where[128];
} ctx;

__attribute__((format(printf, 3, 4)))
static qala_status fail(const ctx *c, qala_status code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return qala_err__set(code, "%s: %s", c->where, msg);
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* The last error (of a parser or check) as the problem of methods[i]. */
static qala_status wrap_at(const ctx *c, size_t i)
{
    char pre[160];
    snprintf(pre, sizeof pre, "%s: methods[%zu]", c->where, i);
    return qala_sens__wrap(QALA_EINVAL, NULL, pre);
}

/* Every key of obj must be among the NULL-terminated keys. */
static qala_status check_keys(const ctx *c, json_t *obj, const char *prefix,
                              const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], key) != 0)
            i++;
        if (!keys[i])
            return fail(c, QALA_EINVAL, "unknown key \"%s%s\"", prefix, key);
    }
    return QALA_OK;
}

static qala_status get_number(const ctx *c, json_t *obj, const char *key, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return QALA_OK;
    if (!json_is_number(v))
        return fail(c, QALA_EINVAL, "%s must be a number, got %s", key, type_name(v));
    *out = json_number_value(v);
    return QALA_OK;
}

static qala_status get_array(const ctx *c, json_t *obj, const char *key, json_t **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fail(c, QALA_EINVAL, "missing key \"%s\"", key);
    if (!json_is_array(v) || json_array_size(v) == 0)
        return fail(c, QALA_EINVAL, "%s must be a non-empty array, got %s", key,
                    json_is_array(v) ? "an empty array" : type_name(v));
    if (json_array_size(v) > QALA_SENS_MAX_ALTERNATIVES)
        return fail(c, QALA_ELIMIT, "%s has %zu entries; the limit is %d", key,
                    json_array_size(v), QALA_SENS_MAX_ALTERNATIVES);
    *out = v;
    return QALA_OK;
}

/* A method given as "name" or {"method": "name", ...}: the name. */
static qala_status method_name(const ctx *c, json_t *v, size_t i, const char **out)
{
    json_t *m = json_is_object(v) ? json_object_get(v, "method") : v;
    if (!m && json_is_object(v))
        return fail(c, QALA_EINVAL, "methods[%zu]: missing key \"method\"", i);
    if (!json_is_string(m))
        return fail(c, QALA_EINVAL, "methods[%zu] must be a method name or an object, got %s",
                    i, type_name(v));
    *out = json_string_value(m);
    return QALA_OK;
}

static qala_status read_weights(const ctx *c, json_t *f, qala_sens_factors *fs, const char *name)
{
    static const char *const keys[] = {"name", "type", "noise", "replications", NULL};
    static const char *const nkeys[] = {"level", "fraction", NULL};
    json_t *noise;
    qala_status st = check_keys(c, f, "", keys);
    if (st != QALA_OK || (st = get_array(c, f, "noise", &noise)) != QALA_OK)
        return st;
    double reps = 100;
    if ((st = get_number(c, f, "replications", &reps)) != QALA_OK)
        return st;
    if (!(reps >= 1 && reps <= QALA_SENS_MAX_ALTERNATIVES) || reps != floor(reps))
        return fail(c, QALA_EINVAL, "replications must be a whole number from 1 to %d, got %g",
                    QALA_SENS_MAX_ALTERNATIVES, reps);
    size_t n = json_array_size(noise);
    if (n > QALA_SENS_MAX_LEVELS)
        return fail(c, QALA_ELIMIT, "noise has %zu levels; the limit is %d", n,
                    QALA_SENS_MAX_LEVELS);
    int levels[QALA_SENS_MAX_LEVELS];
    double fr[QALA_SENS_MAX_LEVELS];
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(noise, i);
        if (!json_is_object(e))
            return fail(c, QALA_EINVAL, "noise[%zu] must be an object {\"level\", \"fraction\"}, "
                        "got %s", i, type_name(e));
        if ((st = check_keys(c, e, "noise.", nkeys)) != QALA_OK)
            return st;
        json_t *l = json_object_get(e, "level"), *q = json_object_get(e, "fraction");
        if (!json_is_integer(l) || json_integer_value(l) < 1 || json_integer_value(l) > 1000000)
            return fail(c, QALA_EINVAL, "noise[%zu].level must be a whole number >= 1", i);
        if (!json_is_number(q) || !(json_number_value(q) > 0 && json_number_value(q) < 1))
            return fail(c, QALA_EINVAL, "noise[%zu].fraction must be a number in (0, 1)", i);
        levels[i] = (int)json_integer_value(l);
        fr[i] = json_number_value(q);
        for (size_t k = 0; k < i; k++)
            if (levels[k] == levels[i])
                return fail(c, QALA_EINVAL, "noise[%zu]: level %d is given twice", i, levels[i]);
    }
    return qala_sens_add_weights(fs, name, levels, fr, n, (size_t)reps);
}

static qala_status read_normalise(const ctx *c, json_t *f, qala_sens_factors *fs,
                                  const char *name)
{
    static const char *const keys[] = {"name", "type", "methods", NULL};
    static const char *const mkeys[] = {"method", "lower", "upper", "mean", "sd", "factor",
                                        "scale", "target", "trunc", "cap", NULL};
    json_t *arr;
    qala_status st = check_keys(c, f, "", keys);
    if (st != QALA_OK || (st = get_array(c, f, "methods", &arr)) != QALA_OK)
        return st;
    size_t n = json_array_size(arr);
    qala_normalise_spec *alts = qala_mem__calloc(n, sizeof *alts);
    if (!alts)
        return qala_err__set(QALA_ENOMEM, "out of memory reading factors");
    for (size_t i = 0; i < n && st == QALA_OK; i++) {
        json_t *v = json_array_get(arr, i);
        const char *m;
        qala_normalise_method method;
        if ((st = method_name(c, v, i, &m)) != QALA_OK)
            break;
        if (qala_normalise_method_parse(&method, m) != QALA_OK) {
            st = wrap_at(c, i);
            break;
        }
        qala_normalise_spec_init(&alts[i], method);
        if (!json_is_object(v))
            continue;
        if ((st = check_keys(c, v, "methods.", mkeys)) != QALA_OK ||
            (st = get_number(c, v, "lower", &alts[i].lower)) != QALA_OK ||
            (st = get_number(c, v, "upper", &alts[i].upper)) != QALA_OK ||
            (st = get_number(c, v, "mean", &alts[i].mean)) != QALA_OK ||
            (st = get_number(c, v, "sd", &alts[i].sd)) != QALA_OK ||
            (st = get_number(c, v, "factor", &alts[i].factor)) != QALA_OK ||
            (st = get_number(c, v, "scale", &alts[i].factor)) != QALA_OK ||
            (st = get_number(c, v, "target", &alts[i].target)) != QALA_OK)
            break;
        json_t *t = json_object_get(v, "trunc"), *cp = json_object_get(v, "cap");
        if ((t && !json_is_boolean(t)) || (cp && !json_is_boolean(cp))) {
            st = fail(c, QALA_EINVAL, "methods[%zu]: trunc and cap must be true or false", i);
            break;
        }
        if (t)
            alts[i].trunc = json_is_true(t);
        if (cp)
            alts[i].cap = json_is_true(cp);
    }
    if (st == QALA_OK)
        st = qala_sens_add_normalise(fs, name, alts, n);
    qala_mem__free(alts);
    return st;
}

static qala_status read_aggregate(const ctx *c, json_t *f, qala_sens_factors *fs,
                                  const char *name)
{
    static const char *const keys[] = {"name", "type", "methods", "level", NULL};
    static const char *const mkeys[] = {"method", "offset", "p", "alpha", "beta", "sd", NULL};
    json_t *arr;
    qala_status st = check_keys(c, f, "", keys);
    if (st != QALA_OK || (st = get_array(c, f, "methods", &arr)) != QALA_OK)
        return st;
    json_t *lv = json_object_get(f, "level");
    if (lv && (!json_is_integer(lv) || json_integer_value(lv) < 0 ||
               json_integer_value(lv) == 1 || json_integer_value(lv) > 1000000))
        return fail(c, QALA_EINVAL, "level must be 0 (every aggregate) or a whole number >= 2");
    size_t n = json_array_size(arr);
    qala_agg_spec *alts = qala_mem__calloc(n, sizeof *alts);
    if (!alts)
        return qala_err__set(QALA_ENOMEM, "out of memory reading factors");
    for (size_t i = 0; i < n && st == QALA_OK; i++) {
        json_t *v = json_array_get(arr, i);
        const char *m;
        if ((st = method_name(c, v, i, &m)) != QALA_OK)
            break;
        if (qala_agg_method_parse(&alts[i].method, m) != QALA_OK) {
            st = wrap_at(c, i);
            break;
        }
        if (!json_is_object(v))
            continue;
        if ((st = check_keys(c, v, "methods.", mkeys)) != QALA_OK ||
            (st = get_number(c, v, "offset", &alts[i].offset)) != QALA_OK ||
            (st = get_number(c, v, "p", &alts[i].p)) != QALA_OK ||
            (st = get_number(c, v, "alpha", &alts[i].alpha)) != QALA_OK ||
            (st = get_number(c, v, "beta", &alts[i].beta)) != QALA_OK)
            break;
        json_t *sd = json_object_get(v, "sd");
        if (sd) {
            const char *s = json_is_string(sd) ? json_string_value(sd) : "";
            if (strcmp(s, "population") == 0)
                alts[i].mpi_sd = QALA_AGG_SD_POPULATION;
            else if (strcmp(s, "sample") == 0)
                alts[i].mpi_sd = QALA_AGG_SD_SAMPLE;
            else
                st = fail(c, QALA_EINVAL, "methods[%zu]: sd must be \"population\" or \"sample\"",
                          i);
        }
        if (st == QALA_OK && qala_agg_spec_check(&alts[i]) != QALA_OK)
            st = wrap_at(c, i);
    }
    if (st == QALA_OK)
        st = qala_sens_add_aggregate(fs, name, lv ? (int)json_integer_value(lv) : 0, alts, n);
    qala_mem__free(alts);
    return st;
}

static qala_status read_impute(const ctx *c, json_t *f, qala_sens_factors *fs, const char *name)
{
    static const char *const keys[] = {"name", "type", "methods", "group", NULL};
    json_t *arr;
    qala_status st = check_keys(c, f, "", keys);
    if (st != QALA_OK || (st = get_array(c, f, "methods", &arr)) != QALA_OK)
        return st;
    json_t *g = json_object_get(f, "group");
    if (g && (!json_is_string(g) || json_string_length(g) == 0 || json_string_length(g) > 63))
        return fail(c, QALA_EINVAL, "group must be the name of a grouping (1 to 63 bytes)");
    size_t n = json_array_size(arr);
    qala_impute_method *alts = qala_mem__calloc(n, sizeof *alts);
    if (!alts)
        return qala_err__set(QALA_ENOMEM, "out of memory reading factors");
    for (size_t i = 0; i < n && st == QALA_OK; i++) {
        json_t *v = json_array_get(arr, i);
        if (!json_is_string(v))
            st = fail(c, QALA_EINVAL, "methods[%zu] must be a method name, got %s", i,
                      type_name(v));
        else if (qala_impute_method_parse(&alts[i], json_string_value(v)) != QALA_OK)
            st = wrap_at(c, i);
        else if ((unsigned)alts[i] > QALA_IMPUTE_GROUP_MEDIAN)
            st = fail(c, QALA_EINVAL, "methods[%zu]: %s is a panel method; the alternatives are "
                      "cross-section methods (none, mean, median, group_mean, group_median)", i,
                      json_string_value(v));
    }
    if (st == QALA_OK)
        st = qala_sens_add_impute(fs, name, alts, n, g ? json_string_value(g) : NULL);
    qala_mem__free(alts);
    return st;
}

static qala_status read_treat(const ctx *c, json_t *f, qala_sens_factors *fs, const char *name)
{
    static const char *const keys[] = {"name", "type", "winmax", NULL};
    json_t *arr;
    qala_status st = check_keys(c, f, "", keys);
    if (st != QALA_OK || (st = get_array(c, f, "winmax", &arr)) != QALA_OK)
        return st;
    size_t n = json_array_size(arr);
    size_t *alts = qala_mem__calloc(n, sizeof *alts);
    if (!alts)
        return qala_err__set(QALA_ENOMEM, "out of memory reading factors");
    for (size_t i = 0; i < n && st == QALA_OK; i++) {
        json_t *v = json_array_get(arr, i);
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000)
            st = fail(c, QALA_EINVAL, "winmax[%zu] must be a whole number from 0 (no treatment) "
                      "to 1000000", i);
        else
            alts[i] = (size_t)json_integer_value(v);
    }
    if (st == QALA_OK)
        st = qala_sens_add_treat(fs, name, alts, n);
    qala_mem__free(alts);
    return st;
}

static qala_status read_exclude(const ctx *c, json_t *f, qala_sens_factors *fs, const char *name)
{
    static const char *const keys[] = {"name", "type", "indicators", NULL};
    qala_status st = check_keys(c, f, "", keys);
    if (st != QALA_OK)
        return st;
    json_t *v = json_object_get(f, "indicators");
    if (!v || (json_is_string(v) && strcmp(json_string_value(v), "all") == 0))
        return qala_sens_add_exclude(fs, name, NULL, 0);
    json_t *arr;
    if ((st = get_array(c, f, "indicators", &arr)) != QALA_OK)
        return st;
    size_t n = json_array_size(arr);
    const char **codes = qala_mem__calloc(n, sizeof *codes);
    if (!codes)
        return qala_err__set(QALA_ENOMEM, "out of memory reading factors");
    for (size_t i = 0; i < n && st == QALA_OK; i++) {
        json_t *e = json_array_get(arr, i);
        if (!json_is_string(e) || json_string_length(e) == 0)
            st = fail(c, QALA_EINVAL, "indicators[%zu] must be an indicator code", i);
        else
            codes[i] = json_string_value(e);
    }
    if (st == QALA_OK)
        st = qala_sens_add_exclude(fs, name, codes, n);
    qala_mem__free(codes);
    return st;
}

static qala_status read_threshold(const ctx *c, json_t *f, qala_sens_factors *fs,
                                  const char *name)
{
    static const char *const keys[] = {"name", "type", "fraction", NULL};
    qala_status st = check_keys(c, f, "", keys);
    double fr = NAN;
    if (st != QALA_OK || (st = get_number(c, f, "fraction", &fr)) != QALA_OK)
        return st;
    if (!(fr > 0 && fr < 1))
        return fail(c, QALA_EINVAL, "fraction must be a number in (0, 1)");
    return qala_sens_add_threshold(fs, name, fr);
}

static qala_status read_factor(json_t *f, size_t i, qala_sens_factors *fs)
{
    ctx c;
    snprintf(c.where, sizeof c.where, "factors[%zu]", i);
    if (!json_is_object(f))
        return fail(&c, QALA_EINVAL, "a factor must be an object, got %s", type_name(f));
    json_t *nm = json_object_get(f, "name"), *ty = json_object_get(f, "type");
    if (nm && (!json_is_string(nm) || json_string_length(nm) == 0 ||
               json_string_length(nm) > 64))
        return fail(&c, QALA_EINVAL, "name must be a string of 1 to 64 bytes");
    const char *name = nm ? json_string_value(nm) : NULL;
    if (name)
        snprintf(c.where, sizeof c.where, "factors[%zu] '%s'", i, name);
    if (!ty)
        return fail(&c, QALA_EINVAL, "missing key \"type\" (weights, normalise, aggregate, "
                    "impute, treat, exclude or threshold)");
    const char *t = json_is_string(ty) ? json_string_value(ty) : "";
    static qala_status (*const readers[QALA_SENS_KIND_COUNT])(const ctx *, json_t *,
                                                               qala_sens_factors *,
                                                               const char *) = {
        read_weights, read_normalise, read_aggregate, read_impute, read_treat, read_exclude,
        read_threshold};
    for (int k = 0; k < QALA_SENS_KIND_COUNT; k++)
        if (strcmp(t, qala_sens_kind_name((qala_sens_kind)k)) == 0) {
            qala_status st = readers[k](&c, f, fs, name);
            const char *msg = qala_error_last()->message;
            if (st == QALA_OK || strncmp(msg, "factors[", 8) == 0)
                return st;
            if (strncmp(msg, "factor '", 8) == 0 && strstr(msg, "': ")) {
                /* a builder's "factor 'x': ..." becomes "factors[i] 'x': ..." */
                char rest[sizeof qala_error_last()->message];
                snprintf(rest, sizeof rest, "%s", strstr(msg, "': ") + 3);
                return qala_err__set(st, "%s: %s", c.where, rest);
            }
            return qala_sens__wrap(st, NULL, c.where);
        }
    return fail(&c, QALA_EINVAL, "unknown type '%s' (expected weights, normalise, aggregate, "
                "impute, treat, exclude or threshold)", json_is_string(ty) ? t : type_name(ty));
}

qala_status qala_sens_factors_load_json(qala_sens_factors *fs, const char *text, size_t len,
                                        const char *file)
{
    assert(fs && (text || len == 0));
    if (len > MAX_BYTES)
        return qala_err__set_at(QALA_ELIMIT, file, 0, 0, "the factor file has %zu bytes; the "
                                "limit is %u", len, MAX_BYTES);
    json_error_t e;
    json_t *top = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &e);
    if (!top) {
        if (json_error_code(&e) == json_error_out_of_memory)
            return qala_err__set(QALA_ENOMEM, "out of memory parsing a factor file");
        return qala_err__set_at(QALA_EPARSE, file, e.line > 0 ? e.line : 1,
                                e.column > 0 ? e.column : 1, "%s", e.text);
    }
    size_t before = fs->n;
    qala_status st = QALA_OK;
    static const char *const keys[] = {"qala_sensitivity", "description", "factors", NULL};
    ctx c = {"factor file"};
    json_t *ver = json_object_get(top, "qala_sensitivity"), *arr;
    if (!json_is_object(top))
        st = qala_err__set(QALA_EINVAL, "a factor file must be a JSON object, got %s",
                           type_name(top));
    else if ((st = check_keys(&c, top, "", keys)) != QALA_OK)
        ;
    else if (!ver)
        st = qala_err__set(QALA_EINVAL, "missing key \"qala_sensitivity\" (the format version, 1)");
    else if (!json_is_integer(ver) || json_integer_value(ver) != 1)
        st = qala_err__set(QALA_EINVAL, "qala_sensitivity must be 1, the format this version of "
                           "qala reads");
    else if ((st = get_array(&c, top, "factors", &arr)) == QALA_OK) {
        for (size_t i = 0; i < json_array_size(arr) && st == QALA_OK; i++)
            st = read_factor(json_array_get(arr, i), i, fs);
    }
    json_decref(top);
    if (st != QALA_OK) {
        qala_sens__truncate(fs, before);
        if (file) /* keep the message, add the file */
            st = qala_sens__wrap(st, file, NULL);
    }
    return st;
}

qala_status qala_sens_factors_load_file(qala_sens_factors *fs, const char *path)
{
    assert(fs && path);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return qala_err__set_at(QALA_EIO, path, 0, 0, "cannot open the factor file");
    char *buf = qala_mem__malloc(MAX_BYTES + 1);
    if (!buf) {
        fclose(fp);
        return qala_err__set(QALA_ENOMEM, "out of memory reading %s", path);
    }
    size_t len = fread(buf, 1, MAX_BYTES + 1, fp);
    int bad = ferror(fp);
    fclose(fp);
    qala_status st = bad ? qala_err__set_at(QALA_EIO, path, 0, 0, "cannot read the factor file")
                         : qala_sens_factors_load_json(fs, buf, len, path);
    qala_mem__free(buf);
    return st;
}
