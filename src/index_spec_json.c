/* src/index_spec_json.c — reading composite-index specs from JSON (docs/index-spec.md)
 * with jansson (files and the embedded specs come here through index_spec.c).
 *
 * The text is parsed whole (json_loadb, duplicate keys refused; a syntax error is one
 * finding with jansson's line and column and QALA_EPARSE), then walked once: every key
 * is checked against the keys its object may have (unknown ones with a "did you mean"),
 * every value against its type and range, and the nodes are handed to the spec's builder
 * with their settings already merged (defaults, then the node's own keys) and the JSON
 * path findings name them by. The spec's finish (index_spec_check.c) then checks the
 * tree and applies the per-level aggregation overrides. A value found bad is reported and not stored, so that
 * finish does not report it again. Caps: QALA_SPEC_MAX_BYTES of text, QALA_SPEC_MAX_NODES
 * nodes, QALA_SPEC_MAX_CODE bytes of a code, QALA_SPEC_MAX_TEXT of a name; jansson limits
 * the nesting depth. jansson allocates through its own (process-wide) hooks, which the
 * library leaves alone; everything kept after the walk goes through qala_mem__*.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "index_spec_internal.h"
#include "qala/text.h"
#include "util/internal.h"

#define ERR QALA_SEVERITY_ERROR
#define WARN QALA_SEVERITY_WARNING
#define MAX_SETS 1000

typedef struct jctx {
    qala_reporter r;
    qala_index_spec *spec;
    qala_status failed; /* first failure that is not about the data (QALA_ENOMEM) */
    int over_limit;     /* a "limit" finding was made: the load fails with QALA_ELIMIT */
} jctx;

__attribute__((format(printf, 5, 6)))
static void report(jctx *c, qala_severity sev, const char *rule, const char *where,
                   const char *fmt, ...)
{
    char msg[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (strcmp(rule, "limit") == 0)
        c->over_limit = 1;
    if (where[0])
        qala_reporter__add(&c->r, sev, 0, 0, rule, "%s: %s", where, msg);
    else
        qala_reporter__add(&c->r, sev, 0, 0, rule, "%s", msg);
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static void bad_type(jctx *c, const char *where, const char *prefix, const char *key,
                     const char *want, const json_t *v)
{
    report(c, ERR, "bad-type", where, "%s%s must be %s, got %s", prefix, key, want,
           type_name(v));
}

/* Reports the keys of obj that are not in allowed (NULL-terminated). */
static void check_keys(jctx *c, const char *where, const char *prefix, json_t *obj,
                       const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const char *best = NULL;
        size_t bestd = 3;
        int known = 0;
        for (size_t i = 0; allowed[i] && !known; i++) {
            if (strcmp(key, allowed[i]) == 0) {
                known = 1;
                break;
            }
            size_t d = qala_text_distance(key, allowed[i], 2);
            if (d < bestd) {
                bestd = d;
                best = allowed[i];
            }
        }
        if (known)
            continue;
        if (best)
            report(c, ERR, "unknown-key", where, "unknown key \"%s%.100s\" (did you mean "
                   "\"%s\"?)", prefix, key, best);
        else
            report(c, ERR, "unknown-key", where, "unknown key \"%s%.100s\"", prefix, key);
    }
}

/* The getters return 1 with *out set when the key is there and valid, 0 when absent,
 * -1 when there but wrong (reported). */
static int get_number(jctx *c, const char *where, const char *prefix, json_t *obj,
                      const char *key, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_number(v)) {
        bad_type(c, where, prefix, key, "a number", v);
        return -1;
    }
    *out = json_number_value(v);
    return 1;
}

/* A number in [lo, hi] (rule names the range check). */
static int get_range(jctx *c, const char *where, const char *prefix, json_t *obj,
                     const char *key, double lo, double hi, const char *rule, double *out)
{
    double x = 0;
    int got = get_number(c, where, prefix, obj, key, &x);
    if (got <= 0)
        return got;
    if (!(x >= lo && x <= hi)) {
        if (hi == INFINITY)
            report(c, ERR, rule, where, "%s%s must be >= %g, got %g", prefix, key, lo, x);
        else
            report(c, ERR, rule, where, "%s%s must be between %g and %g, got %g", prefix, key,
                   lo, hi, x);
        return -1;
    }
    *out = x;
    return 1;
}

static int get_count(jctx *c, const char *where, const char *prefix, json_t *obj,
                     const char *key, size_t *out)
{
    double x = 0;
    int got = get_number(c, where, prefix, obj, key, &x);
    if (got <= 0)
        return got;
    if (!(x >= 0 && x <= 1e6 && x == floor(x))) {
        report(c, ERR, "bad-parameter", where, "%s%s must be a whole number from 0 to "
               "1000000, got %g", prefix, key, x);
        return -1;
    }
    *out = (size_t)x;
    return 1;
}

static int get_string(jctx *c, const char *where, const char *prefix, json_t *obj,
                      const char *key, size_t max, const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_string(v)) {
        bad_type(c, where, prefix, key, "a string", v);
        return -1;
    }
    if (json_string_length(v) > max || strlen(json_string_value(v)) != json_string_length(v)) {
        report(c, ERR, "too-long", where, "%s%s must be a string of at most %zu bytes "
               "without NUL characters", prefix, key, max);
        return -1;
    }
    *out = json_string_value(v);
    return 1;
}

static int get_bool(jctx *c, const char *where, const char *prefix, json_t *obj,
                    const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_boolean(v)) {
        bad_type(c, where, prefix, key, "true or false", v);
        return -1;
    }
    *out = json_is_true(v);
    return 1;
}

/* An object member that must be an object; NULL when absent or wrong (reported). */
static json_t *get_object(jctx *c, const char *where, const char *prefix, json_t *obj,
                          const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (v && !json_is_object(v)) {
        bad_type(c, where, prefix, key, "an object", v);
        return NULL;
    }
    return v;
}

/* "name": {"kk": ..., "ru": ..., "en": ...} or a plain string (English). */
static void get_names(jctx *c, const char *where, json_t *obj, const char *out[3])
{
    out[0] = out[1] = out[2] = NULL;
    json_t *v = json_object_get(obj, "name");
    if (!v)
        return;
    if (json_is_string(v)) {
        get_string(c, where, "", obj, "name", QALA_SPEC_MAX_TEXT, &out[QALA_LANG_EN]);
        return;
    }
    if (!json_is_object(v)) {
        bad_type(c, where, "", "name", "an object of kk, ru and en names", v);
        return;
    }
    static const char *const langs[] = {"kk", "ru", "en", NULL};
    check_keys(c, where, "name.", v, langs);
    for (int l = 0; l < 3; l++)
        get_string(c, where, "name.", v, langs[l], QALA_SPEC_MAX_TEXT, &out[l]);
}

/* ---- method objects ----------------------------------------------------------------- */

static void read_screen(jctx *c, json_t *o, qala_index_settings *s)
{
    static const char *const keys[] = {"unit_availability", "indicator_availability",
                                       "max_zero_share", NULL};
    const char *w = "defaults", *p = "screen.";
    check_keys(c, w, p, o, keys);
    get_range(c, w, p, o, keys[0], 0, 1, "bad-availability", &s->unit_availability);
    get_range(c, w, p, o, keys[1], 0, 1, "bad-availability", &s->indicator_availability);
    get_range(c, w, p, o, keys[2], 0, 1, "bad-availability", &s->max_zero_share);
}

static int parse_impute(jctx *c, const char *w, json_t *o, const char *key, int panel,
                        qala_impute_method *out)
{
    const char *text = NULL;
    if (get_string(c, w, "impute.", o, key, QALA_SPEC_MAX_CODE, &text) <= 0)
        return 0;
    qala_impute_method m;
    if (qala_impute_method_parse(&m, text) != QALA_OK) {
        report(c, ERR, "unknown-method", w, "impute.%s: %s", key, qala_error_last()->message);
        return 0;
    }
    size_t nm = 0;
    int is_panel = (qala_impute_methods(&nm)[m].flags & QALA_IMPUTE_PANEL) != 0;
    if (m != QALA_IMPUTE_NONE && is_panel != panel) {
        report(c, ERR, "unknown-method", w, panel ? "impute.panel: \"%s\" is not a panel "
               "method (expected none, latest, nearest, linear or linear_constant)"
               : "impute.method: \"%s\" is a panel method: give it as impute.panel (method "
               "expects none, mean, median, group_mean or group_median)", text);
        return 0;
    }
    *out = m;
    return 1;
}

static void read_impute(jctx *c, json_t *o, qala_index_settings *s)
{
    static const char *const keys[] = {"method", "group", "panel", "max_gap", NULL};
    const char *w = "defaults", *p = "impute.";
    check_keys(c, w, p, o, keys);
    parse_impute(c, w, o, "method", 0, &s->impute);
    parse_impute(c, w, o, "panel", 1, &s->panel_impute);
    const char *group = NULL;
    if (get_string(c, w, p, o, "group", sizeof s->impute_group - 1, &group) > 0)
        memcpy(s->impute_group, group, strlen(group) + 1);
    get_count(c, w, p, o, "max_gap", &s->max_gap);
}

/* "treat": false | true | {...}: *on and the merged spec. */
static void read_treat(jctx *c, const char *w, const char *prefix, json_t *v, int *on,
                       qala_treat_spec *t)
{
    if (json_is_boolean(v)) {
        *on = json_is_true(v);
        return;
    }
    if (!json_is_object(v)) {
        report(c, ERR, "bad-type", w, "%streat must be false, true or an object, got %s",
               prefix, type_name(v));
        return;
    }
    *on = 1;
    static const char *const keys[] = {"winmax", "skew", "kurt", "transform", "lambda",
                                       "winchange", NULL};
    char p[64];
    snprintf(p, sizeof p, "%streat.", prefix);
    check_keys(c, w, p, v, keys);
    get_count(c, w, p, v, "winmax", &t->winmax);
    get_range(c, w, p, v, "skew", 0, INFINITY, "bad-parameter", &t->skew_limit);
    get_range(c, w, p, v, "kurt", 0, INFINITY, "bad-parameter", &t->kurt_limit);
    get_number(c, w, p, v, "lambda", &t->lambda);
    int winchange = 1;
    if (get_bool(c, w, p, v, "winchange", &winchange) > 0)
        t->fixed_direction = !winchange;
    const char *text = NULL;
    if (get_string(c, w, p, v, "transform", QALA_SPEC_MAX_CODE, &text) > 0 &&
        qala_treat_transform_parse(&t->transform, text) != QALA_OK)
        report(c, ERR, "bad-transform", w, "%stransform: %s", p, qala_error_last()->message);
}

/* "normalise": {...} merged into *ns; pooled is NULL where "pooled" is not allowed. */
static void read_normalise(jctx *c, const char *w, json_t *o, qala_normalise_spec *ns,
                           int *pooled)
{
    static const char *const keys[] = {"method", "lower", "upper", "mean", "sd", "factor",
                                       "scale", "target", "trunc", "cap", "pooled", NULL};
    const char *p = "normalise.";
    check_keys(c, w, p, o, keys);
    const char *text = NULL;
    if (get_string(c, w, p, o, "method", QALA_SPEC_MAX_CODE, &text) > 0) {
        qala_normalise_method m;
        if (qala_normalise_method_parse(&m, text) != QALA_OK)
            report(c, ERR, "unknown-method", w, "normalise.method: %s",
                   qala_error_last()->message);
        else if (m != ns->method)
            qala_normalise_spec_init(ns, m);
    }
    get_number(c, w, p, o, "lower", &ns->lower);
    get_number(c, w, p, o, "upper", &ns->upper);
    get_number(c, w, p, o, "mean", &ns->mean);
    get_number(c, w, p, o, "sd", &ns->sd);
    get_number(c, w, p, o, "factor", &ns->factor);
    get_number(c, w, p, o, "scale", &ns->factor);
    get_number(c, w, p, o, "target", &ns->target);
    get_bool(c, w, p, o, "trunc", &ns->trunc);
    get_bool(c, w, p, o, "cap", &ns->cap);
    if (pooled)
        get_bool(c, w, p, o, "pooled", pooled);
    else if (json_object_get(o, "pooled"))
        report(c, ERR, "bad-parameter", w, "normalise.pooled applies to the whole index: give "
               "it in defaults.normalise");
}

static void read_aggregate(jctx *c, const char *w, json_t *o, qala_agg_spec *a, unsigned *mask)
{
    static const char *const keys[] = {"method", "availability", "offset", "p", "alpha",
                                       "beta", "sd", NULL};
    const char *p = "aggregate.";
    check_keys(c, w, p, o, keys);
    const char *text = NULL;
    if (get_string(c, w, p, o, "method", QALA_SPEC_MAX_CODE, &text) > 0) {
        if (qala_agg_method_parse(&a->method, text) != QALA_OK)
            report(c, ERR, "unknown-method", w, "aggregate.method: %s",
                   qala_error_last()->message);
        else
            *mask |= QALA_SPEC_AGG_METHOD;
    }
    if (get_range(c, w, p, o, "availability", 0, 1, "bad-availability", &a->availability) > 0)
        *mask |= QALA_SPEC_AGG_AVAILABILITY;
    if (get_range(c, w, p, o, "offset", 0, INFINITY, "bad-parameter", &a->offset) > 0)
        *mask |= QALA_SPEC_AGG_OFFSET;
    double x = 0;
    int got = get_number(c, w, p, o, "p", &x);
    if (got > 0 && x == 0)
        report(c, ERR, "bad-parameter", w, "aggregate.p (the power mean's exponent) must not "
               "be 0");
    else if (got > 0) {
        a->p = x;
        *mask |= QALA_SPEC_AGG_P;
    }
    if (get_range(c, w, p, o, "alpha", 0, 1, "bad-parameter", &a->alpha) > 0)
        *mask |= QALA_SPEC_AGG_ALPHA;
    if (get_range(c, w, p, o, "beta", 0, INFINITY, "bad-parameter", &a->beta) > 0)
        *mask |= QALA_SPEC_AGG_BETA;
    if (get_string(c, w, p, o, "sd", QALA_SPEC_MAX_CODE, &text) > 0) {
        if (strcmp(text, "population") == 0 || strcmp(text, "sample") == 0) {
            a->mpi_sd = text[0] == 'p' ? QALA_AGG_SD_POPULATION : QALA_AGG_SD_SAMPLE;
            *mask |= QALA_SPEC_AGG_SD;
        } else {
            report(c, ERR, "unknown-method", w, "aggregate.sd \"%s\" is not population or "
                   "sample", text);
        }
    }
}

/* ---- nodes -------------------------------------------------------------------------- */

typedef struct defaults {
    int treat;
    qala_treat_spec treat_spec;
    qala_normalise_spec normalise;
    qala_agg_spec aggregate;
} defaults;

static void add_node(jctx *c, const qala_index_node *n, const char *parent, const char *path,
                     unsigned mask)
{
    qala_status st = qala_index_spec__add(c->spec, n, parent, path, mask);
    if (st != QALA_OK && c->failed == QALA_OK)
        c->failed = st;
}

/* "transform": "log" | "log10" | "none" | {"cap": [lo, hi]} (a bound may be null). */
static void read_transform(jctx *c, const char *w, json_t *v, qala_normalise_spec *ns)
{
    if (json_is_string(v)) {
        const char *t = json_string_value(v);
        if (strcmp(t, "cap") == 0 || qala_normalise_transform_parse(&ns->transform, t) != QALA_OK)
            report(c, ERR, "bad-transform", w, "transform \"%.100s\" is not log, log10, none "
                   "or {\"cap\": [lower, upper]}", t);
        return;
    }
    json_t *cap = json_is_object(v) ? json_object_get(v, "cap") : NULL;
    if (!cap || json_object_size(v) != 1 || !json_is_array(cap) || json_array_size(cap) != 2) {
        report(c, ERR, "bad-transform", w, "transform must be \"log\", \"log10\", \"none\" or "
               "{\"cap\": [lower, upper]}, got %s", type_name(v));
        return;
    }
    double b[2];
    for (int k = 0; k < 2; k++) {
        json_t *x = json_array_get(cap, (size_t)k);
        if (json_is_null(x)) {
            b[k] = NAN;
        } else if (json_is_number(x)) {
            b[k] = json_number_value(x);
        } else {
            report(c, ERR, "bad-transform", w, "transform.cap bounds must be numbers or null, "
                   "got %s", type_name(x));
            return;
        }
    }
    if (isnan(b[0]) && isnan(b[1])) {
        report(c, ERR, "bad-transform", w, "transform.cap needs at least one bound");
        return;
    }
    if (b[0] > b[1]) {
        report(c, ERR, "bad-transform", w, "transform.cap: lower bound %g is above upper "
               "bound %g", b[0], b[1]);
        return;
    }
    ns->transform = QALA_NORM_TF_CAP;
    ns->cap_lo = b[0];
    ns->cap_hi = b[1];
}

/* Reads code, parent, weight and name of a node; 0 when the node is to be skipped. */
static int read_common(jctx *c, json_t *v, const char *path, char *where, size_t cap,
                       qala_index_node *n, const char **parent)
{
    if (!json_is_object(v)) {
        report(c, ERR, "bad-type", path, "a node must be an object, got %s", type_name(v));
        return 0;
    }
    const char *code = NULL;
    if (get_string(c, path, "", v, "code", QALA_SPEC_MAX_CODE, &code) < 0)
        return 0;
    if (code && code[0])
        snprintf(where, cap, "%s '%s'", path, code);
    else
        snprintf(where, cap, "%s", path);
    n->code = code;
    get_string(c, where, "", v, "parent", QALA_SPEC_MAX_CODE, parent);
    get_number(c, where, "", v, "weight", &n->weight);
    get_names(c, where, v, n->name);
    return 1;
}

static void read_indicator(jctx *c, json_t *v, size_t i, const defaults *d)
{
    static const char *const keys[] = {"code", "parent", "weight", "direction", "name",
                                       "denominator", "denominator_scale", "transform",
                                       "normalise", "ref", "treat", NULL};
    char path[48], where[200];
    snprintf(path, sizeof path, "indicators[%zu]", i);
    qala_index_node n;
    qala_index_node_init(&n, QALA_INDEX_INDICATOR, NULL);
    n.treat = d->treat;
    n.treat_spec = d->treat_spec;
    n.normalise = d->normalise;
    const char *parent = NULL;
    if (!read_common(c, v, path, where, sizeof where, &n, &parent))
        return;
    check_keys(c, where, "", v, keys);
    double x = 0;
    if (get_number(c, where, "", v, "direction", &x) > 0) {
        if (x == 1 || x == -1)
            n.direction = (int)x;
        else
            report(c, ERR, "bad-direction", where, "direction must be 1 or -1, got %g", x);
    }
    get_string(c, where, "", v, "denominator", QALA_SPEC_MAX_CODE, &n.denominator);
    if (get_number(c, where, "", v, "denominator_scale", &x) > 0) {
        if (x > 0)
            n.denominator_scale = x;
        else
            report(c, ERR, "bad-parameter", where, "denominator_scale must be > 0, got %g", x);
    }
    json_t *o = get_object(c, where, "", v, "normalise");
    if (o)
        read_normalise(c, where, o, &n.normalise, NULL);
    if ((o = json_object_get(v, "transform")))
        read_transform(c, where, o, &n.normalise);
    get_string(c, where, "", v, "ref", QALA_SPEC_MAX_CODE, &n.normalise_ref);
    if (n.normalise_ref && n.normalise.method != QALA_NORM_DIST2REF) {
        report(c, WARN, "unused-key", where, "ref is only used by normalise method dist2ref; "
               "ignored");
        n.normalise_ref = NULL;
    }
    if ((o = json_object_get(v, "treat")))
        read_treat(c, where, "", o, &n.treat, &n.treat_spec);
    add_node(c, &n, parent, path, 0);
}

static void read_aggregate_node(jctx *c, json_t *v, size_t i, const defaults *d)
{
    static const char *const keys[] = {"code", "parent", "weight", "name", "aggregate", NULL};
    char path[48], where[200];
    snprintf(path, sizeof path, "aggregates[%zu]", i);
    qala_index_node n;
    qala_index_node_init(&n, QALA_INDEX_AGGREGATE, NULL);
    n.aggregate = d->aggregate;
    const char *parent = NULL;
    if (!read_common(c, v, path, where, sizeof where, &n, &parent))
        return;
    check_keys(c, where, "", v, keys);
    unsigned mask = 0;
    json_t *o = get_object(c, where, "", v, "aggregate");
    if (o)
        read_aggregate(c, where, o, &n.aggregate, &mask);
    add_node(c, &n, parent, path, mask);
}

/* ---- levels and weight sets --------------------------------------------------------- */

static void read_levels(jctx *c, json_t *arr)
{
    static const char *const keys[] = {"level", "name", "aggregate", NULL};
    if (json_array_size(arr) > MAX_SETS) {
        report(c, ERR, "limit", "levels", "%zu levels; the limit is %d", json_array_size(arr),
               MAX_SETS);
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        char w[48];
        snprintf(w, sizeof w, "levels[%zu]", i);
        if (!json_is_object(v)) {
            report(c, ERR, "bad-type", w, "a level must be an object, got %s", type_name(v));
            continue;
        }
        check_keys(c, w, "", v, keys);
        double x = 0;
        int got = get_number(c, w, "", v, "level", &x);
        if (got == 0)
            report(c, ERR, "missing-key", w, "missing key \"level\" (2 for the aggregates "
                   "just above the indicators)");
        if (got <= 0)
            continue;
        if (!(x >= 2 && x <= 1e6 && x == floor(x))) {
            report(c, ERR, "bad-level", w, "level must be a whole number >= 2 (level 1 is the "
                   "indicators), got %g", x);
            continue;
        }
        for (size_t k = 0; k < i; k++) {
            json_t *other = json_object_get(json_array_get(arr, k), "level");
            if (other && json_is_number(other) && json_number_value(other) == x) {
                report(c, ERR, "bad-level", w, "level %g is given twice (also levels[%zu])", x,
                       k);
                got = 0;
                break;
            }
        }
        if (!got)
            continue;
        const char *name[3];
        get_names(c, w, v, name);
        qala_agg_spec agg = {0};
        unsigned mask = 0;
        json_t *o = get_object(c, w, "", v, "aggregate");
        if (o)
            read_aggregate(c, w, o, &agg, &mask);
        qala_status st = qala_index_spec__add_level(c->spec, (int)x, name, &agg, mask, w);
        if (st != QALA_OK && c->failed == QALA_OK)
            c->failed = st;
    }
}

static void read_weight_sets(jctx *c, json_t *obj)
{
    if (json_object_size(obj) > MAX_SETS) {
        report(c, ERR, "limit", "weight_sets", "%zu sets; the limit is %d",
               json_object_size(obj), MAX_SETS);
        return;
    }
    size_t total = 0;
    const char *set;
    json_t *v;
    json_object_foreach(obj, set, v) {
        char w[200];
        snprintf(w, sizeof w, "weight_sets.%.150s", set);
        if (strlen(set) == 0 || strlen(set) > QALA_SPEC_MAX_CODE) {
            report(c, ERR, "bad-code", "weight_sets", "a set's name must have 1 to %d bytes",
                   QALA_SPEC_MAX_CODE);
            continue;
        }
        if (!json_is_object(v)) {
            report(c, ERR, "bad-type", w, "a weight set must be an object of node codes and "
                   "weights, got %s", type_name(v));
            continue;
        }
        if ((total += json_object_size(v)) > QALA_SPEC_MAX_NODES) {
            report(c, ERR, "limit", "weight_sets", "more than %zu weights", QALA_SPEC_MAX_NODES);
            return;
        }
        const char *node;
        json_t *x;
        json_object_foreach(v, node, x) {
            if (!json_is_number(x)) {
                report(c, ERR, "bad-type", w, "weight of '%.100s' must be a number, got %s",
                       node, type_name(x));
                continue;
            }
            qala_status st = qala_index_spec__add_weight(c->spec, set, node,
                                                         json_number_value(x), w);
            if (st != QALA_OK) {
                c->failed = st;
                return;
            }
        }
    }
}

/* ---- the whole file ----------------------------------------------------------------- */

static void read_defaults(jctx *c, json_t *o, qala_index_settings *s, defaults *d)
{
    static const char *const keys[] = {"screen", "impute", "treat", "normalise", "aggregate",
                                       NULL};
    check_keys(c, "defaults", "", o, keys);
    json_t *v;
    if ((v = get_object(c, "defaults", "", o, "screen")))
        read_screen(c, v, s);
    if ((v = get_object(c, "defaults", "", o, "impute")))
        read_impute(c, v, s);
    if ((v = json_object_get(o, "treat")))
        read_treat(c, "defaults", "", v, &d->treat, &d->treat_spec);
    if ((v = get_object(c, "defaults", "", o, "normalise")))
        read_normalise(c, "defaults", v, &d->normalise, &s->pooled);
    unsigned mask = 0;
    if ((v = get_object(c, "defaults", "", o, "aggregate")))
        read_aggregate(c, "defaults", v, &d->aggregate, &mask);
}

static json_t *get_array(jctx *c, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (v && !json_is_array(v)) {
        bad_type(c, "", "", key, "an array", v);
        return NULL;
    }
    return v;
}

static void read_top(jctx *c, json_t *top)
{
    static const char *const keys[] = {"qala_index", "code", "name", "description", "source",
                                       "defaults", "levels", "indicators", "aggregates",
                                       "weight_sets", NULL};
    check_keys(c, "", "", top, keys);
    double version = 0;
    int got = get_number(c, "", "", top, "qala_index", &version);
    if (got == 0)
        report(c, ERR, "missing-key", "", "missing key \"qala_index\" (the format version, 1)");
    else if (got > 0 && version != 1)
        report(c, ERR, "bad-version", "", "qala_index is %g, but this version of qala reads "
               "format 1", version);
    const char *code = NULL;
    got = get_string(c, "", "", top, "code", QALA_SPEC_MAX_CODE, &code);
    if (got == 0)
        report(c, ERR, "missing-key", "", "missing key \"code\" (the spec's code, e.g. "
               "\"city-development\")");
    else if (got > 0 && qala_index_spec_set_code(c->spec, code) != QALA_OK) {
        if (qala_error_last()->code == QALA_ENOMEM)
            c->failed = QALA_ENOMEM;
        else
            report(c, ERR, "bad-code", "", "code \"%s\" must be 1 to 64 characters of a-z, "
                   "0-9, '_' and '-'", code);
    }
    const char *name[3], *source = NULL, *description = NULL;
    get_names(c, "", top, name);
    get_string(c, "", "", top, "source", QALA_SPEC_MAX_TEXT, &source);
    get_string(c, "", "", top, "description", QALA_SPEC_MAX_TEXT, &description);
    if (qala_index_spec__set_texts(c->spec, name, source, description) != QALA_OK) {
        c->failed = QALA_ENOMEM;
        return;
    }

    qala_index_settings s;
    qala_index_settings_init(&s);
    defaults d = {1, QALA_TREAT_SPEC_DEFAULT, {0}, {0}};
    qala_normalise_spec_init(&d.normalise, QALA_NORM_MINMAX);
    json_t *v = get_object(c, "", "", top, "defaults");
    if (v)
        read_defaults(c, v, &s, &d);
    qala_index_spec_set_settings(c->spec, &s);

    json_t *ind = get_array(c, top, "indicators"), *agg = get_array(c, top, "aggregates");
    size_t nnodes = json_array_size(ind) + json_array_size(agg);
    if (nnodes > QALA_SPEC_MAX_NODES) {
        report(c, ERR, "limit", "", "%zu indicators and aggregates; the limit is %zu", nnodes,
               QALA_SPEC_MAX_NODES);
        return;
    }
    size_t i;
    json_array_foreach(ind, i, v) {
        if (c->failed != QALA_OK)
            return;
        read_indicator(c, v, i, &d);
    }
    json_array_foreach(agg, i, v) {
        if (c->failed != QALA_OK)
            return;
        read_aggregate_node(c, v, i, &d);
    }
    if ((v = get_array(c, top, "levels")))
        read_levels(c, v);
    if ((v = get_object(c, "", "", top, "weight_sets")))
        read_weight_sets(c, v);
}

qala_status qala_index_spec_load_json(qala_index_spec *spec, const char *text, size_t len,
                                      const char *file, qala_findings *findings)
{
    assert(spec && (text || len == 0));
    qala_index_spec__reset(spec);
    jctx c = {{findings, file ? file : "", 0, 0, QALA_OK}, spec, QALA_OK, 0};
    if (len > QALA_SPEC_MAX_BYTES) {
        report(&c, ERR, "limit", "", "the spec has %zu bytes; the limit is %zu", len,
               QALA_SPEC_MAX_BYTES);
        return c.r.failed ? qala_err__set(QALA_ENOMEM, "out of memory recording findings")
                          : qala_err__set(QALA_ELIMIT, "%s: index spec of %zu bytes is over "
                                          "the limit of %zu", c.r.file, len,
                                          QALA_SPEC_MAX_BYTES);
    }
    json_error_t e;
    json_t *top = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &e);
    if (!top) {
        if (json_error_code(&e) == json_error_out_of_memory)
            return qala_err__set(QALA_ENOMEM, "out of memory parsing an index spec");
        long line = e.line > 0 ? (long)e.line : 1, col = e.column > 0 ? (long)e.column : 1;
        qala_reporter__add(&c.r, ERR, line, col, "json-syntax", "%s", e.text);
        if (c.r.failed)
            return qala_err__set(QALA_ENOMEM, "out of memory recording findings");
        return qala_err__set_at(QALA_EPARSE, c.r.file, line, col, "%s", e.text);
    }
    if (!json_is_object(top))
        report(&c, ERR, "bad-type", "", "an index spec must be a JSON object, got %s",
               type_name(top));
    else
        read_top(&c, top);
    json_decref(top);
    if (c.failed != QALA_OK || c.r.failed != QALA_OK) {
        qala_index_spec__reset(spec);
        return qala_err__set(QALA_ENOMEM, "out of memory reading an index spec");
    }
    if (c.over_limit) {
        qala_index_spec__reset(spec);
        return qala_err__set(QALA_ELIMIT, "%s: the index spec is over a size limit (see the "
                             "findings)", c.r.file);
    }
    return qala_index_spec__finish(spec, &c.r);
}
