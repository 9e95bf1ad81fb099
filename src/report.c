/* src/report.c — the report's data object (qala/report.h): loads what the report needs
 * once (registry, framework, threshold sets, every observation; from a store or the
 * embedded data), then lets each section writer add its part to one JSON object and
 * dumps it as text. This file writes the meta part, the typology (units, groups,
 * Table 1), the map's outlines and the methodology; report_monitor.c and report_index.c
 * write the others; report_html.c wraps the text into the page.
 *
 * Invariants: every name is given in kk, ru and en; a missing figure is JSON null, never
 * a made-up value; a section without data says "no_data": true. Workload: one report per
 * command or API call; the demo data give an object of about half a megabyte built in
 * tens of milliseconds, dominated by the monitor and index runs.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "qala/defaults.h"
#include "qala/import.h"
#include "report_internal.h"
#include "util/internal.h"

/* ---- JSON helpers ---------------------------------------------------------------- */

void qala_report__set(qala_report__ctx *c, json_t *obj, const char *key, json_t *value)
{
    if (!value || !obj || json_object_set_new(obj, key, value) != 0)
        c->oom = 1;
}

void qala_report__push(qala_report__ctx *c, json_t *arr, json_t *value)
{
    if (!value || !arr || json_array_append_new(arr, value) != 0)
        c->oom = 1;
}

json_t *qala_report__num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *qala_report__str(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *qala_report__period(qala_period p)
{
    char buf[12];
    if (!p)
        return json_null();
    qala_period_format(buf, p);
    return json_string(buf);
}

json_t *qala_report__date(qala_date d)
{
    char buf[11];
    if (d <= QALA_DATE_MIN || d >= QALA_DATE_MAX)
        return json_null();
    qala_date_format(buf, d);
    return json_string(buf);
}

json_t *qala_report__names(const char *const name[3])
{
    json_t *o = json_object();
    static const char *const langs[] = {"kk", "ru", "en"};
    for (int l = 0; o && l < 3; l++) {
        const char *s = name[l] && *name[l] ? name[l] : name[QALA_LANG_EN];
        if (json_object_set_new(o, langs[l], qala_report__str(s)) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

json_t *qala_report__unit_names(qala_report__ctx *c, size_t unit)
{
    const char *names[3];
    for (int l = 0; l < 3; l++)
        names[l] = qala_registry_name_at(c->reg, unit, (qala_lang)l, c->at);
    return qala_report__names(names);
}

const char *qala_report__unit_code(const qala_report__ctx *c, uint32_t ds_unit)
{
    size_t r = c->ds_reg[ds_unit];
    return r == SIZE_MAX ? qala_dataset_unit_code(c->ds, ds_unit) : qala_registry_unit(c->reg, r)->code;
}

/* ---- loading ---------------------------------------------------------------------- */

typedef struct load_state {
    qala_report__ctx *c;
    qala_findings *f;
    qala_status st;
    size_t files;
} load_state;

static int load_threshold_file(void *ctx, const char *label, const char *text, size_t len)
{
    load_state *l = ctx;
    l->files++;
    l->st = qala_thresholds_load_csv(l->c->th, text, len, label, l->c->fw, l->c->reg, l->f);
    return l->st != QALA_OK;
}

/* The latest period with at least half as many observations of thresholded indicators
 * as the best-covered one (the rule of `qala monitor`); 0 when there are none. */
static qala_period default_period(const qala_report__ctx *c)
{
    size_t n = qala_dataset_size(c->ds), nth = qala_thresholds_count(c->th);
    size_t nind = qala_dataset_indicator_count(c->ds);
    const uint32_t *ind = qala_dataset_indicators(c->ds);
    const qala_period *per = qala_dataset_periods(c->ds);
    qala_period periods[512], best = 0;
    size_t counts[512], np = 0, best_count = 0;
    unsigned char has[4096] = {0};
    for (size_t i = 0; i < nind && i < sizeof has; i++) {
        const char *code = qala_dataset_indicator_code(c->ds, (uint32_t)i);
        for (size_t t = 0; t < nth && !has[i]; t++)
            has[i] = strcmp(qala_framework_get(c->fw, qala_thresholds_get(c->th, t)->indicator)->code, code) == 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (ind[i] >= sizeof has || !has[ind[i]])
            continue;
        size_t k = 0;
        while (k < np && periods[k] != per[i])
            k++;
        if (k == np && np < 512) {
            periods[np] = per[i];
            counts[np++] = 0;
        }
        if (k < np)
            counts[k]++;
    }
    for (size_t k = 0; k < np; k++)
        best_count = counts[k] > best_count ? counts[k] : best_count;
    for (size_t k = 0; k < np; k++)
        if (counts[k] * 2 >= best_count && periods[k] > best)
            best = periods[k];
    return best;
}

static qala_status load(qala_report__ctx *c)
{
    qala_findings *f = NULL;
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK && c->store) {
        if (!qala_store_is_initialised(c->store))
            st = qala_err__set(QALA_EDB, "%s: the database has no registry (run qala init)",
                               qala_store_path(c->store));
        if (st == QALA_OK)
            st = qala_store_load_registry(c->store, &c->reg);
        if (st == QALA_OK)
            st = qala_store_load_framework(c->store, &c->fw);
    } else if (st == QALA_OK) {
        if ((st = qala_registry_new(&c->reg)) == QALA_OK)
            st = qala_registry_load_default(c->reg, f);
        if (st == QALA_OK && (st = qala_framework_new(&c->fw)) == QALA_OK)
            st = qala_framework_load_default(c->fw, f);
    }
    if (st == QALA_OK)
        st = qala_thresholds_new(&c->th);
    load_state l = {c, f, QALA_OK, 0};
    if (st == QALA_OK && c->store && (st = qala_store_each_threshold_file(c->store, load_threshold_file, &l)) == QALA_OK)
        st = l.st;
    if (st == QALA_OK && l.files == 0)
        st = qala_thresholds_load_default(c->th, c->fw, c->reg, f);
    if (st == QALA_OK)
        st = qala_dataset_new(&c->ds);
    if (st == QALA_OK)
        st = c->store ? qala_store_query_observations(c->store, NULL, c->ds)
                      : qala_import_demo(c->ds, f, c->reg, c->fw);
    if (st == QALA_OK)
        st = qala_dataset_sort(c->ds);
    size_t nu = st == QALA_OK ? qala_dataset_unit_count(c->ds) : 0;
    if (st == QALA_OK && !(c->ds_reg = qala_mem__calloc(nu + 1, sizeof *c->ds_reg)))
        st = QALA_ENOMEM;
    for (size_t u = 0; st == QALA_OK && u < nu; u++)
        if (qala_registry_find(c->reg, qala_dataset_unit_code(c->ds, (uint32_t)u), &c->ds_reg[u]) != QALA_OK)
            c->ds_reg[u] = SIZE_MAX;
    c->country = SIZE_MAX;
    for (size_t u = 0; st == QALA_OK && u < qala_registry_unit_count(c->reg); u++)
        if (qala_registry_unit(c->reg, u)->kind == QALA_UNIT_COUNTRY && c->country == SIZE_MAX)
            c->country = u;
    if (st == QALA_OK)
        c->period = c->opt->period ? c->opt->period : default_period(c);
    qala_findings_free(f);
    return st;
}

/* ---- meta, typology, map ------------------------------------------------------------ */

static const char *lang_code(qala_lang l)
{
    return l == QALA_LANG_KK || l == QALA_LANG_KK_LATN ? "kk" : l == QALA_LANG_RU ? "ru" : "en";
}

static void write_meta(qala_report__ctx *c)
{
    json_t *r = c->root;
    qala_report__set(c, r, "schema", json_string("qala-report/1"));
    qala_report__set(c, r, "qala_version", json_string(qala_version()));
    qala_report__set(c, r, "generated", qala_report__date(qala_date_today()));
    qala_report__set(c, r, "lang", json_string(lang_code(c->opt->lang)));
    qala_report__set(c, r, "data", json_string(c->store ? "database" : "embedded"));
    /* the file's name without its folder: the data object also goes out over HTTP
     * (qala serve), which must not tell clients where files are */
    const char *db = c->store ? qala_store_path(c->store) : NULL, *slash = db ? strrchr(db, '/') : NULL;
    qala_report__set(c, r, "database", db ? json_string(slash ? slash + 1 : db) : json_null());
    qala_report__set(c, r, "period", qala_report__period(c->period));
    qala_report__set(c, r, "at", qala_report__date(c->at));
    qala_report__set(c, r, "national_unit", c->country == SIZE_MAX ? json_null()
                                            : json_string(qala_registry_unit(c->reg, c->country)->code));
    json_t *domains = json_array();
    for (int d = 0; d < QALA_DOMAIN_COUNT; d++) {
        const char *names[3];
        for (int l = 0; l < 3; l++)
            names[l] = qala_framework_domain_name(c->fw, (qala_domain)d, (qala_lang)l);
        json_t *o = json_object();
        qala_report__set(c, o, "code", json_string(qala_domain_code((qala_domain)d)));
        qala_report__set(c, o, "name", qala_report__names(names));
        qala_report__push(c, domains, o);
    }
    qala_report__set(c, r, "domains", domains);
    json_t *inds = json_array();
    for (size_t i = 0; i < qala_framework_count(c->fw); i++) {
        const qala_indicator *ind = qala_framework_get(c->fw, i);
        json_t *o = json_object();
        qala_report__set(c, o, "code", json_string(ind->code));
        qala_report__set(c, o, "name", qala_report__names(ind->name));
        qala_report__set(c, o, "domain", json_string(qala_domain_code(ind->domain)));
        qala_report__set(c, o, "direction", json_integer(ind->direction));
        qala_report__set(c, o, "unit", qala_report__str(ind->unit));
        qala_report__set(c, o, "decimals", json_integer(ind->decimals));
        qala_report__set(c, o, "source", qala_report__str(ind->source));
        qala_report__push(c, inds, o);
    }
    qala_report__set(c, r, "indicators", inds);
}

/* Every unit alive at `at` (and the ones the observations name), with its first-level
 * unit and groups then. */
static void write_units(qala_report__ctx *c)
{
    json_t *units = json_array();
    size_t n = qala_registry_unit_count(c->reg), ng = qala_registry_group_count(c->reg);
    for (size_t u = 0; u < n; u++) {
        const qala_unit *unit = qala_registry_unit(c->reg, u);
        json_t *o = json_object();
        size_t region;
        qala_report__set(c, o, "code", json_string(unit->code));
        qala_report__set(c, o, "kind", json_string(qala_unit_kind_code(unit->kind)));
        qala_report__set(c, o, "name", qala_report__unit_names(c, u));
        qala_report__set(c, o, "alive", json_boolean(qala_registry_alive_at(c->reg, u, c->at)));
        qala_report__set(c, o, "lat", qala_report__num(unit->lat));
        qala_report__set(c, o, "lon", qala_report__num(unit->lon));
        int has_region = unit->kind != QALA_UNIT_COUNTRY &&
                         qala_registry_region_at(c->reg, u, c->at, &region) == QALA_OK;
        qala_report__set(c, o, "region", has_region ? json_string(qala_registry_unit(c->reg, region)->code) : json_null());
        json_t *groups = json_array();
        for (size_t g = 0; g < ng; g++)
            if (qala_registry_in_group_at(c->reg, g, u, c->at))
                qala_report__push(c, groups, json_string(qala_registry_group(c->reg, g)->code));
        qala_report__set(c, o, "groups", groups);
        qala_report__push(c, units, o);
    }
    qala_report__set(c, c->root, "units", units);
}

/* Figure 1 (every group and its members at `at`) and Table 1 (monocities by region). */
static void write_typology(qala_report__ctx *c)
{
    size_t n = qala_registry_unit_count(c->reg), ng = qala_registry_group_count(c->reg);
    json_t *groups = json_array();
    for (size_t g = 0; g < ng; g++) {
        const qala_group *grp = qala_registry_group(c->reg, g);
        json_t *o = json_object(), *members = json_array();
        qala_report__set(c, o, "code", json_string(grp->code));
        qala_report__set(c, o, "name", qala_report__names(grp->name));
        qala_report__set(c, o, "source", qala_report__str(grp->source));
        for (size_t u = 0; u < n; u++)
            if (qala_registry_in_group_at(c->reg, g, u, c->at))
                qala_report__push(c, members, json_string(qala_registry_unit(c->reg, u)->code));
        qala_report__set(c, o, "members", members);
        qala_report__push(c, groups, o);
    }
    qala_report__set(c, c->root, "groups", groups);

    json_t *t1 = json_object(), *rows = json_array();
    size_t mono;
    int has = qala_registry_find_group(c->reg, "monocity", &mono) == QALA_OK;
    qala_report__set(c, t1, "group", has ? json_string("monocity") : json_null());
    qala_report__set(c, t1, "at", qala_report__date(c->at));
    for (size_t r = 0; has && r < n; r++) {
        json_t *cities = NULL;
        for (size_t u = 0; u < n; u++) {
            size_t reg;
            if (!qala_registry_in_group_at(c->reg, mono, u, c->at) ||
                qala_registry_region_at(c->reg, u, c->at, &reg) != QALA_OK || reg != r)
                continue;
            if (!cities)
                cities = json_array();
            qala_report__push(c, cities, json_string(qala_registry_unit(c->reg, u)->code));
        }
        if (!cities)
            continue;
        json_t *o = json_object();
        qala_report__set(c, o, "region", json_string(qala_registry_unit(c->reg, r)->code));
        qala_report__set(c, o, "count", json_integer((json_int_t)json_array_size(cities)));
        qala_report__set(c, o, "cities", cities);
        qala_report__push(c, rows, o);
    }
    qala_report__set(c, t1, "rows", rows);
    qala_report__set(c, c->root, "table1", t1);
}

static void write_map(qala_report__ctx *c)
{
    size_t len;
    const char *text = qala_default_data("report/kz-regions.json", &len);
    json_error_t e;
    json_t *map = text ? json_loadb(text, len, 0, &e) : NULL;
    qala_report__set(c, c->root, "map", map ? map : json_null());
}

/* ---- methodology -------------------------------------------------------------------- */

static int add_batch(void *ctx, const qala_batch *b)
{
    void **p = ctx;
    qala_report__ctx *c = p[0];
    json_t *o = json_object();
    qala_report__set(c, o, "id", json_integer(b->id));
    qala_report__set(c, o, "file", json_string(b->file));
    qala_report__set(c, o, "sha256", json_string(b->sha256));
    qala_report__set(c, o, "imported_at", json_string(b->imported_at));
    qala_report__set(c, o, "inserted", json_integer((json_int_t)b->inserted));
    qala_report__set(c, o, "revised", json_integer((json_int_t)b->revised));
    qala_report__push(c, p[1], o);
    return 0;
}

static qala_status write_methodology(qala_report__ctx *c)
{
    json_t *m = json_object(), *sources = json_array(), *batches = json_array();
    qala_status st = QALA_OK;
    if (c->store) {
        void *p[2] = {c, batches};
        st = qala_store_list_batches(c->store, add_batch, p);
    } else {
        for (size_t i = 0; qala_default_data_name(i); i++) {
            const char *name = qala_default_data_name(i);
            if (strncmp(name, "demo/", 5) == 0 && strstr(name, ".csv"))
                qala_report__push(c, batches, json_pack("{s:s}", "file", name));
        }
    }
    qala_report__set(c, m, "batches", batches);
    static const char *const docs[] = {"registry/SOURCES.md", "thresholds/SOURCES.md", "categories/SOURCES.md",
                                       "index/SOURCES.md", "demo/SOURCES.md", "report/SOURCES.md"};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
        if (qala_default_data(docs[i], NULL))
            qala_report__push(c, sources, json_string(docs[i]));
    qala_report__set(c, m, "source_files", sources);
    qala_monitor_options mo = QALA_MONITOR_OPTIONS_INIT;
    qala_report__set(c, m, "monitor", json_pack("{s:i,s:f}", "trend_k", mo.trend_k, "stable_tolerance",
                                               mo.stable_tolerance));
    json_t *seeds = json_array(); /* only the rank intervals are random */
    if (c->opt->sensitivity_runs && (c->sections & QALA_REPORT_INDEX))
        qala_report__push(c, seeds, json_pack("{s:s, s:I}", "what", "index.sensitivity", "seed",
                                              (json_int_t)c->opt->sensitivity_seed));
    qala_report__set(c, m, "seeds", seeds);
    qala_report__set(c, m, "observations", json_integer((json_int_t)qala_dataset_size(c->ds)));
    qala_report__set(c, c->root, "methodology", m);
    return st;
}

typedef struct annotation_state {
    qala_report__ctx *c;
    json_t *arr;
} annotation_state;

static int add_annotation(void *ctx, const qala_annotation *a)
{
    annotation_state *s = ctx;
    json_t *o = json_object();
    qala_report__set(s->c, o, "unit", json_string(a->unit));
    qala_report__set(s->c, o, "indicator", json_string(a->indicator));
    qala_report__set(s->c, o, "period", qala_report__period(a->period));
    qala_report__set(s->c, o, "verdict", json_string(qala_verdict_code(a->verdict)));
    qala_report__set(s->c, o, "note", qala_report__str(a->note));
    qala_report__set(s->c, o, "author", qala_report__str(a->author));
    qala_report__set(s->c, o, "created_at", qala_report__str(a->created_at));
    qala_report__push(s->c, s->arr, o);
    return 0;
}

/* ---- the object ----------------------------------------------------------------------- */

static qala_status build(qala_report__ctx *c)
{
    qala_status st = load(c);
    if (st != QALA_OK)
        return st;
    if (c->opt->unit) {
        size_t u;
        if (qala_registry_find(c->reg, c->opt->unit, &u) != QALA_OK)
            return qala_err__set(QALA_ENOTFOUND, "unknown unit '%s'", c->opt->unit);
    }
    if (!(c->root = json_object()))
        return qala_err__set(QALA_ENOMEM, "out of memory");
    write_meta(c);
    annotation_state as = {c, json_array()};
    if (c->store)
        st = qala_store_each_annotation(c->store, NULL, 1, add_annotation, &as);
    qala_report__set(c, c->root, "annotations", as.arr);
    if (st == QALA_OK && (c->sections & QALA_REPORT_TYPOLOGY)) {
        write_units(c);
        write_typology(c);
    }
    if (st == QALA_OK && (c->sections & QALA_REPORT_MAP))
        write_map(c);
    if (st == QALA_OK && (c->sections & (QALA_REPORT_MONITOR | QALA_REPORT_PASSPORTS)))
        st = qala_report__monitor(c);
    if (st == QALA_OK && (c->sections & QALA_REPORT_CATEGORIES))
        st = qala_report__categories(c);
    if (st == QALA_OK && (c->sections & (QALA_REPORT_INDEX | QALA_REPORT_PASSPORTS)))
        st = qala_report__index(c);
    if (st == QALA_OK && (c->sections & QALA_REPORT_INEQUALITY))
        st = qala_report__inequality(c);
    if (st == QALA_OK && (c->sections & QALA_REPORT_PASSPORTS))
        st = qala_report__passports(c);
    if (st == QALA_OK && (c->sections & QALA_REPORT_QUALITY))
        st = qala_report__quality(c);
    if (st == QALA_OK && (c->sections & QALA_REPORT_METHODOLOGY))
        st = write_methodology(c);
    if (st == QALA_OK && c->oom)
        st = qala_err__set(QALA_ENOMEM, "out of memory");
    return st;
}

static void ctx_free(qala_report__ctx *c)
{
    json_decref(c->root);
    qala_index_result_free(c->ires);
    qala_index_data_free(c->idata);
    qala_index_spec_free(c->own_spec);
    qala_monitor_result_free(c->mon);
    qala_mem__free(c->ds_reg);
    qala_dataset_free(c->ds);
    qala_thresholds_free(c->th);
    qala_framework_free(c->fw);
    qala_registry_free(c->reg);
}

static int dump_chunk(const char *buffer, size_t size, void *data)
{
    return qala_buf__append(data, buffer, size) == QALA_OK ? 0 : -1;
}

qala_status qala_report_data(char **out, size_t *len, qala_store *store, const qala_report_options *opt)
{
    assert(out && len && opt);
    *out = NULL;
    *len = 0;
    if (opt->version != QALA_REPORT_OPTIONS_VERSION)
        return qala_err__set(QALA_EINVAL, "report options: version %u, expected %u", opt->version,
                             QALA_REPORT_OPTIONS_VERSION);
    if (opt->period) {
        char buf[12];
        qala_period_format(buf, opt->period);
        qala_period check;
        if (qala_period_parse(&check, buf, strlen(buf)) != QALA_OK || check != opt->period)
            return qala_err__set(QALA_EINVAL, "report options: invalid period %ld", (long)opt->period);
    }
    if (opt->sensitivity_runs > QALA_REPORT_MAX_SENSITIVITY_RUNS)
        return qala_err__set(QALA_EINVAL, "report options: %zu sensitivity runs, at most %d", opt->sensitivity_runs,
                             QALA_REPORT_MAX_SENSITIVITY_RUNS);
    qala_report__ctx c = {0};
    c.store = store;
    c.opt = opt;
    c.sections = opt->sections ? opt->sections & QALA_REPORT_ALL : QALA_REPORT_ALL;
    c.at = opt->at ? opt->at : qala_date_today();
    qala_status st = build(&c);
    qala_buf b;
    qala_buf__init(&b, 0);
    if (st == QALA_OK && json_dump_callback(c.root, dump_chunk, &b, JSON_COMPACT | JSON_REAL_PRECISION(10)) != 0)
        st = qala_err__set(QALA_ENOMEM, "out of memory");
    if (st == QALA_OK && !b.data && (st = qala_buf__append(&b, "", 0)) != QALA_OK)
        st = QALA_ENOMEM;
    ctx_free(&c);
    if (st != QALA_OK) {
        qala_buf__free(&b);
        return st;
    }
    *out = b.data;
    *len = b.len;
    return QALA_OK;
}
