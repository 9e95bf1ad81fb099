/* src/server/server_api.c — the API's registry and data endpoints: the list of
 * endpoints, units, groups, indicators, observations, import batches, annotations, the
 * two writes (an upload of a statistics table, an annotation) and the report's data
 * object that the dashboard renders (GET /api/report).
 *
 * Each handler reads its parameters (a bad one is a 400 naming it), calls the library
 * as the matching CLI command does (`qala units`, `groups`, `indicators`, `export`,
 * `annotate`, `import`) and writes JSON; the shapes are in docs/api.md. An upload is
 * validated like `qala import` (qala_import_buffer) against the worker's registry and
 * framework, and stored (one batch, through the server's one writer connection) only
 * when it has no errors; its findings are in the answer either way.
 * Workload: registry answers are a few hundred units; observations are capped by
 * `limit` (at most 100,000 rows per answer).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/report.h"
#include "server/server_internal.h"

#define MAX_CODES 256

int srv_api_root(srv_ctx *c, srv_reply *r)
{
    static const char *const endpoints[] = {
        "GET /api/units", "GET /api/units/{code}", "GET /api/groups", "GET /api/indicators",
        "GET /api/observations", "GET /api/batches", "GET /api/annotations", "POST /api/annotations",
        "POST /api/import", "GET /api/monitor", "GET /api/alerts", "GET /api/index", "GET /api/inequality",
        "GET /api/trends", "GET /api/sensitivity", "GET /api/report"};
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
        json_array_append_new(list, json_string(endpoints[i]));
    qala_store_counts counts;
    qala_status st = qala_store_counts_get(c->m->store, &counts);
    if (st != QALA_OK) {
        json_decref(list);
        return srv_fail(r, st, "counting");
    }
    r->json = json_pack("{s:s, s:s, s:i, s:{s:I, s:I, s:I, s:I, s:I}, s:o}", "name", "qala", "version",
                        qala_version(), "schema", qala_store_schema_version(c->m->store), "counts", "units",
                        (json_int_t)counts.units, "groups", (json_int_t)counts.groups, "indicators",
                        (json_int_t)counts.indicators, "observations", (json_int_t)counts.observations,
                        "batches", (json_int_t)counts.batches, "endpoints", list);
    return 0;
}

static int date_param(const srv_ctx *c, srv_reply *r, qala_date *at)
{
    const char *v = srv_param(c, "at");
    *at = qala_date_today();
    if (v && qala_date_parse(at, v, 1) != QALA_OK) {
        srv_error(r, 400, "at '%s': %s", v, qala_error_last()->message);
        return -1;
    }
    return 0;
}

static json_t *date_json(qala_date d)
{
    if (d <= QALA_DATE_MIN || d >= QALA_DATE_MAX)
        return json_null();
    char buf[11];
    qala_date_format(buf, d);
    return json_string(buf);
}

/* The unit's row: code, kind, names, region and groups at `at`. */
static json_t *unit_json(const srv_model *m, size_t u, qala_lang lang, qala_date at)
{
    const qala_registry *reg = m->reg;
    const qala_unit *unit = qala_registry_unit(reg, u);
    size_t region, parent;
    const char *region_code = NULL, *parent_code = NULL;
    if (unit->kind != QALA_UNIT_COUNTRY && qala_registry_region_at(reg, u, at, &region) == QALA_OK && region != u)
        region_code = qala_registry_unit(reg, region)->code;
    if (qala_registry_parent_at(reg, u, at, &parent) == QALA_OK)
        parent_code = qala_registry_unit(reg, parent)->code;
    json_t *groups = json_array();
    for (size_t g = 0; g < qala_registry_group_count(reg); g++)
        if (qala_registry_in_group_at(reg, g, u, at))
            json_array_append_new(groups, json_string(qala_registry_group(reg, g)->code));
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s?, s:o, s:o, s:s?, s:s?, s:o, s:o, s:o}", "code",
                     unit->code, "kind", qala_unit_kind_code(unit->kind), "name",
                     qala_registry_name_at(reg, u, lang, at), "names", "kk",
                     qala_registry_name_at(reg, u, QALA_LANG_KK, at), "ru",
                     qala_registry_name_at(reg, u, QALA_LANG_RU, at), "en",
                     qala_registry_name_at(reg, u, QALA_LANG_EN, at), "kato", *unit->kato ? unit->kato : NULL,
                     "lat", srv_num(unit->lat), "lon", srv_num(unit->lon), "parent", parent_code, "region",
                     region_code, "groups", groups, "valid_from", date_json(unit->valid_from), "valid_to",
                     date_json(unit->valid_to));
}

int srv_api_units(srv_ctx *c, srv_reply *r)
{
    qala_lang lang;
    qala_date at;
    size_t group = SIZE_MAX, region;
    qala_unit_kind kind = QALA_UNIT_CITY;
    const char *k = srv_param(c, "kind"), *g = srv_param(c, "group");
    if (srv_lang(c, r, &lang) || date_param(c, r, &at) || srv_unit_param(c, r, "region", &region))
        return 0;
    if (k && qala_unit_kind_parse(&kind, k) != QALA_OK)
        return srv_error(r, 400, "kind '%s': expected country, region or city", k);
    if (g && qala_registry_find_group(c->m->reg, g, &group) != QALA_OK)
        return srv_error(r, 400, "group '%s': no such group (see /api/groups)", g);
    const qala_registry *reg = c->m->reg;
    json_t *list = json_array();
    for (size_t u = 0; u < qala_registry_unit_count(reg); u++) {
        const qala_unit *unit = qala_registry_unit(reg, u);
        size_t rg;
        if (!qala_registry_alive_at(reg, u, at) || (k && unit->kind != kind) ||
            (g && !qala_registry_in_group_at(reg, group, u, at)))
            continue;
        if (region != SIZE_MAX && (u == region || qala_registry_region_at(reg, u, at, &rg) != QALA_OK || rg != region))
            continue;
        json_array_append_new(list, unit_json(c->m, u, lang, at));
    }
    r->json = json_pack("{s:o, s:o}", "at", date_json(at), "units", list);
    return 0;
}

int srv_api_unit(srv_ctx *c, srv_reply *r)
{
    const char *code = c->req->path + strlen("/api/units/");
    qala_lang lang;
    qala_date at;
    if (srv_lang(c, r, &lang) || date_param(c, r, &at))
        return 0;
    const qala_registry *reg = c->m->reg;
    size_t u;
    if (qala_registry_find(reg, code, &u) != QALA_OK)
        return srv_error(r, 404, "no unit with code '%s'", code);
    json_t *o = unit_json(c->m, u, lang, at);
    json_t *names = json_array(), *parents = json_array(), *members = json_array();
    for (size_t i = 0; i < qala_registry_name_count(reg); i++) {
        const qala_unit_name *n = qala_registry_name(reg, i);
        if (n->unit == u)
            json_array_append_new(names, json_pack("{s:s, s:s, s:o, s:o, s:b}", "lang", qala_lang_code(n->lang),
                                                   "name", n->name, "valid_from", date_json(n->valid_from),
                                                   "valid_to", date_json(n->valid_to), "official", n->official));
    }
    for (size_t i = 0; i < qala_registry_parent_count(reg); i++) {
        const qala_unit_parent *p = qala_registry_parent(reg, i);
        if (p->unit == u)
            json_array_append_new(parents, json_pack("{s:s, s:o, s:o, s:s?}", "parent",
                                                     qala_registry_unit(reg, p->parent)->code, "valid_from",
                                                     date_json(p->valid_from), "valid_to", date_json(p->valid_to),
                                                     "source", p->source));
    }
    for (size_t i = 0; i < qala_registry_membership_count(reg); i++) {
        const qala_membership *mb = qala_registry_membership(reg, i);
        if (mb->unit == u)
            json_array_append_new(members, json_pack("{s:s, s:o, s:o, s:s?}", "group",
                                                     qala_registry_group(reg, mb->group)->code, "valid_from",
                                                     date_json(mb->valid_from), "valid_to",
                                                     date_json(mb->valid_to), "source", mb->source));
    }
    json_object_set_new(o, "name_history", names);
    json_object_set_new(o, "parent_history", parents);
    json_object_set_new(o, "group_history", members);
    r->json = o;
    return 0;
}

int srv_api_groups(srv_ctx *c, srv_reply *r)
{
    qala_lang lang;
    qala_date at;
    if (srv_lang(c, r, &lang) || date_param(c, r, &at))
        return 0;
    const qala_registry *reg = c->m->reg;
    json_t *list = json_array();
    for (size_t g = 0; g < qala_registry_group_count(reg); g++) {
        const qala_group *grp = qala_registry_group(reg, g);
        json_t *members = json_array();
        for (size_t u = 0; u < qala_registry_unit_count(reg); u++)
            if (qala_registry_in_group_at(reg, g, u, at))
                json_array_append_new(members, json_string(qala_registry_unit(reg, u)->code));
        int l = lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)lang;
        json_array_append_new(list, json_pack("{s:s, s:s?, s:o, s:s?, s:o}", "code", grp->code, "name",
                                              grp->name[l] ? grp->name[l] : grp->code, "names",
                                              srv_names3(grp->name), "source", grp->source, "members", members));
    }
    r->json = json_pack("{s:o, s:o}", "at", date_json(at), "groups", list);
    return 0;
}

int srv_api_indicators(srv_ctx *c, srv_reply *r)
{
    qala_lang lang;
    qala_domain domain = QALA_DOMAIN_INCOMES;
    const char *d = srv_param(c, "domain");
    if (srv_lang(c, r, &lang))
        return 0;
    if (d && qala_domain_parse(&domain, d) != QALA_OK)
        return srv_error(r, 400, "domain '%s': no such domain", d);
    int l = lang == QALA_LANG_KK_LATN ? QALA_LANG_KK : (int)lang;
    json_t *list = json_array();
    for (size_t i = 0; i < qala_framework_count(c->m->fw); i++) {
        const qala_indicator *ind = qala_framework_get(c->m->fw, i);
        if (d && ind->domain != domain)
            continue;
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s?, s:i, s:s?, s:i, s:o, s:o, s:o, s:s?}", "code",
                                              ind->code, "domain", qala_domain_code(ind->domain), "domain_name",
                                              qala_framework_domain_name(c->m->fw, ind->domain, lang), "name",
                                              ind->name[l], "direction", ind->direction, "unit", ind->unit,
                                              "decimals", ind->decimals, "min", srv_num(ind->min), "max",
                                              srv_num(ind->max), "names", srv_names3(ind->name), "source",
                                              ind->source));
    }
    r->json = json_pack("{s:o}", "indicators", list);
    return 0;
}

typedef struct obs_ctx {
    json_t *rows;
    size_t offset, limit, seen;
} obs_ctx;

static int add_observation(void *ctx, const qala_store_row *row)
{
    obs_ctx *o = ctx;
    if (o->seen++ < o->offset)
        return 0;
    if (json_array_size(o->rows) >= o->limit)
        return 0; /* keep counting */
    json_array_append_new(o->rows, json_pack("{s:s, s:s, s:o, s:o, s:s?, s:I, s:I}", "unit", row->unit, "indicator",
                                             row->indicator, "period", srv_period(row->period), "value",
                                             srv_num(row->value), "flag", row->flag ? qala_flag_code(row->flag) : NULL,
                                             "batch", (json_int_t)row->batch, "line", (json_int_t)row->line));
    return 0;
}

int srv_api_observations(srv_ctx *c, srv_reply *r)
{
    qala_store_query q = {0};
    char ubuf[4096], ibuf[4096];
    const char *units[MAX_CODES], *inds[MAX_CODES];
    const char *u = srv_param(c, "unit"), *i = srv_param(c, "indicator"), *as_of = srv_param(c, "as_of");
    size_t limit, offset;
    if (srv_period_param(c, r, "from", &q.period_min) || srv_period_param(c, r, "to", &q.period_max) ||
        srv_uint_param(c, r, "limit", 1, 100000, 10000, &limit) ||
        srv_uint_param(c, r, "offset", 0, SIZE_MAX / 2, 0, &offset))
        return 0;
    if (u) {
        q.nunits = srv_split(u, ubuf, sizeof ubuf, units, MAX_CODES);
        for (size_t k = 0; k < q.nunits; k++) {
            size_t idx;
            if (qala_registry_find(c->m->reg, units[k], &idx) != QALA_OK)
                return srv_error(r, 400, "unit '%s': no unit with that code (see /api/units)", units[k]);
        }
        q.units = units;
    }
    if (i) {
        q.nindicators = srv_split(i, ibuf, sizeof ibuf, inds, MAX_CODES);
        for (size_t k = 0; k < q.nindicators; k++) {
            size_t idx;
            if (qala_framework_find(c->m->fw, inds[k], &idx) != QALA_OK)
                return srv_error(r, 400, "indicator '%s': no indicator with that code (see /api/indicators)",
                                 inds[k]);
        }
        q.indicators = inds;
    }
    if (as_of) {
        size_t n = strlen(as_of);
        char day[11] = {0};
        qala_date d;
        int ok = n == 10 || (n == 19 && as_of[10] == 'T');
        if (ok) {
            memcpy(day, as_of, 10);
            ok = qala_date_parse(&d, day, 0) == QALA_OK;
        }
        if (!ok)
            return srv_error(r, 400, "as_of '%s': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS", as_of);
        q.as_of = as_of;
    }
    obs_ctx o = {json_array(), offset, limit, 0};
    qala_status st = qala_store_each_observation(c->m->store, &q, add_observation, &o);
    if (st != QALA_OK) {
        json_decref(o.rows);
        return srv_fail(r, st, NULL);
    }
    r->json = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)o.seen, "offset", (json_int_t)offset, "limit",
                        (json_int_t)limit, "observations", o.rows);
    return 0;
}

static int add_batch(void *ctx, const qala_batch *b)
{
    json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)b->id, "file", b->file,
                                         "sha256", b->sha256, "imported_at", b->imported_at, "inserted",
                                         (json_int_t)b->inserted, "revised", (json_int_t)b->revised));
    return 0;
}

int srv_api_batches(srv_ctx *c, srv_reply *r)
{
    json_t *list = json_array();
    qala_status st = qala_store_list_batches(c->m->store, add_batch, list);
    if (st != QALA_OK) {
        json_decref(list);
        return srv_fail(r, st, NULL);
    }
    r->json = json_pack("{s:o}", "batches", list);
    return 0;
}

static json_t *annotation_json(const qala_annotation *a)
{
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:s?}", "unit", a->unit, "indicator", a->indicator, "period",
                     srv_period(a->period), "verdict", qala_verdict_code(a->verdict), "note", a->note ? a->note : "",
                     "author", a->author, "created_at", a->created_at);
}

static int add_annotation(void *ctx, const qala_annotation *a)
{
    json_array_append_new(ctx, annotation_json(a));
    return 0;
}

/* POST /api/annotations: {"unit", "indicator", "period", "verdict", "note"?, "author"?}. */
static int post_annotation(srv_ctx *c, srv_reply *r)
{
    json_error_t jerr;
    json_t *in = c->req->body ? json_loadb(c->req->body, c->req->len, 0, &jerr) : NULL;
    if (!in || !json_is_object(in)) {
        json_decref(in);
        return srv_error(r, 400, "the body must be a JSON object {\"unit\", \"indicator\", \"period\", \"verdict\"%s",
                         "[, \"note\", \"author\"]}");
    }
    const char *unit = json_string_value(json_object_get(in, "unit")),
               *ind = json_string_value(json_object_get(in, "indicator")),
               *period = json_string_value(json_object_get(in, "period")),
               *verdict = json_string_value(json_object_get(in, "verdict")),
               *note = json_string_value(json_object_get(in, "note")),
               *author = json_string_value(json_object_get(in, "author"));
    qala_annotation a = {unit, ind, 0, QALA_VERDICT_WATCH, note, author ? author : c->req->token.name, NULL};
    qala_status st = QALA_OK;
    if (!unit || !ind || !period || !verdict) {
        json_decref(in);
        return srv_error(r, 400, "unit, indicator, period and verdict are required strings");
    }
    if (qala_period_parse(&a.period, period, strlen(period)) != QALA_OK ||
        qala_verdict_parse(&a.verdict, verdict) != QALA_OK) {
        st = QALA_EINVAL;
    } else {
        qala_server *s = c->srv;
        pthread_mutex_lock(&s->write_mu);
        st = qala_store_annotate(s->writer, &a);
        pthread_mutex_unlock(&s->write_mu);
    }
    if (st != QALA_OK) {
        srv_fail(r, st, NULL);
        json_decref(in);
        return 0;
    }
    srv_cache_clear(c->srv);
    r->status = 201;
    r->json = json_pack("{s:o}", "annotation", annotation_json(&a));
    json_decref(in);
    return 0;
}

int srv_api_annotations(srv_ctx *c, srv_reply *r)
{
    if (strcmp(c->req->method, "POST") == 0) {
        r->cacheable = 0;
        return post_annotation(c, r);
    }
    const char *unit = srv_param(c, "unit");
    int all;
    if (srv_flag_param(c, r, "all", &all))
        return 0;
    size_t idx;
    if (unit && qala_registry_find(c->m->reg, unit, &idx) != QALA_OK)
        return srv_error(r, 400, "unit '%s': no unit with that code (see /api/units)", unit);
    json_t *list = json_array();
    qala_status st = qala_store_each_annotation(c->m->store, unit, !all, add_annotation, list);
    if (st != QALA_OK) {
        json_decref(list);
        return srv_fail(r, st, NULL);
    }
    r->json = json_pack("{s:o}", "annotations", list);
    return 0;
}

/* ---- POST /api/import ---- */

static json_t *findings_json(const qala_findings *f)
{
    json_t *list = json_array();
    for (size_t i = 0; i < qala_findings_count(f); i++) {
        const qala_finding *x = qala_findings_get(f, i);
        json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:I, s:s, s:s}", "severity",
                                              x->severity == QALA_SEVERITY_ERROR ? "error" : "warning", "file",
                                              x->file ? x->file : "", "line", (json_int_t)x->line, "column",
                                              (json_int_t)x->column, "rule", x->rule ? x->rule : "", "message",
                                              x->message));
    }
    return list;
}

static int parse_layout(const char *s, qala_layout *out)
{
    static const char *const names[] = {"auto", "long", "wide-indicators", "wide-periods"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (qala_layout)i;
            return 0;
        }
    return -1;
}

int srv_api_import(srv_ctx *c, srv_reply *r)
{
    r->cacheable = 0;
    const char *name = srv_param(c, "name"), *layout = srv_param(c, "layout"), *delim = srv_param(c, "delimiter");
    int dry_run;
    if (srv_flag_param(c, r, "dry_run", &dry_run))
        return 0;
    if (!c->req->body || c->req->len == 0)
        return srv_error(r, 400, "the body is empty: send the CSV file as the request body");
    qala_import_options opt = QALA_IMPORT_OPTIONS_INIT;
    opt.encoding = srv_param(c, "encoding");
    opt.map = srv_param(c, "map");
    opt.indicator = srv_param(c, "indicator");
    opt.period = srv_param(c, "period");
    if (layout && parse_layout(layout, &opt.layout))
        return srv_error(r, 400, "layout '%s': expected long, wide-indicators or wide-periods", layout);
    if (delim) {
        if (strcmp(delim, "tab") == 0)
            opt.delimiter = '\t';
        else if (strlen(delim) == 1 && strchr(",;|", delim[0]))
            opt.delimiter = delim[0];
        else
            return srv_error(r, 400, "delimiter '%s': expected ',', ';', '|' or tab", delim);
    }
    char label[256];
    snprintf(label, sizeof label, "%s", name && *name ? name : "upload.csv");
    for (char *p = label; *p; p++)
        if (*p == '/' || *p == '\\' || (unsigned char)*p < 32)
            *p = '_'; /* a label, not a path */
    qala_findings *f = NULL;
    qala_dataset *ds = NULL;
    qala_import_stats stats;
    memset(&stats, 0, sizeof stats);
    qala_status st = qala_findings_new(&f);
    if (st == QALA_OK)
        st = qala_dataset_new(&ds);
    if (st == QALA_OK)
        st = qala_import_buffer(ds, f, &stats, c->req->body, c->req->len, label, c->m->reg, c->m->fw, &opt);
    int errors = st == QALA_EDATA;
    if (st != QALA_OK && !errors) {
        srv_fail(r, st, label);
        if (st == QALA_EPARSE || st == QALA_ELIMIT)
            r->status = 422;
        goto done;
    }
    qala_findings_sort(f);
    qala_batch_result res = {0};
    int stored = 0;
    if (!errors && !dry_run && qala_dataset_size(ds) > 0) {
        char sha[65];
        qala_sha256_hex(sha, c->req->body, c->req->len);
        char note[200];
        snprintf(note, sizeof note, "uploaded with token '%s'", c->req->token.name);
        qala_batch_info info = {label, sha, note};
        qala_server *s = c->srv;
        pthread_mutex_lock(&s->write_mu);
        st = qala_store_import(s->writer, ds, &info, &res);
        pthread_mutex_unlock(&s->write_mu);
        if (st != QALA_OK) {
            srv_fail(r, st, "storing");
            if (st == QALA_ENOTFOUND)
                r->status = 422;
            goto done;
        }
        stored = 1;
        srv_cache_clear(c->srv);
    }
    static const char *const layouts[] = {"auto", "long", "wide-indicators", "wide-periods"};
    char dstr[4] = {stats.delimiter, 0, 0, 0};
    if (stats.delimiter == '\t')
        memcpy(dstr, "tab", 4);
    r->status = errors ? 422 : 200;
    r->json = json_pack("{s:s, s:b, s:b, s:{s:I, s:I, s:I, s:I, s:s, s:s, s:s}, s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:o}",
                        "file", label, "stored", stored, "dry_run", dry_run, "stats", "rows", (json_int_t)stats.rows,
                        "observations", (json_int_t)stats.observations, "missing", (json_int_t)stats.missing,
                        "rejected_rows", (json_int_t)stats.rejected_rows, "encoding", stats.encoding, "delimiter", dstr,
                        "layout", layouts[(unsigned)stats.layout < 4 ? stats.layout : 0], "batch", "id",
                        (json_int_t)res.batch, "inserted", (json_int_t)res.inserted, "revised",
                        (json_int_t)res.revised, "unchanged", (json_int_t)res.unchanged, "errors",
                        (json_int_t)qala_findings_errors(f), "warnings", (json_int_t)qala_findings_warnings(f),
                        "findings", findings_json(f));
done:
    qala_dataset_free(ds);
    qala_findings_free(f);
    return 0;
}

/* ---- GET /api/report ---- */

/* The data object of the report and the dashboard (qala_report_data, docs/report-data.md),
 * which the front end served at / fetches. The parameters are `qala report`'s options;
 * spec is only an embedded spec's name (a server reads no file named by a client). The
 * object is answered as the library wrote it (no second JSON pass) and cached like every
 * GET: it is the largest answer and the slowest to compute (one monitor evaluation, one
 * index run, the inequality panels), and the writes above clear the cache. */
int srv_api_report(srv_ctx *c, srv_reply *r)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    const char *at = srv_param(c, "at"), *spec = srv_param(c, "spec");
    size_t unit;
    if (srv_lang(c, r, &opt.lang) || srv_period_param(c, r, "period", &opt.period) ||
        srv_unit_param(c, r, "unit", &unit))
        return 0;
    if (at && qala_date_parse(&opt.at, at, 1) != QALA_OK)
        return srv_error(r, 400, "at '%s': %s", at, qala_error_last()->message);
    if (spec) {
        if (!*spec || strchr(spec, '/') || strchr(spec, '\\'))
            return srv_error(r, 400, "spec '%s': expected the name of an embedded index spec (see /api/index)",
                             spec);
        opt.spec = spec;
    }
    if (unit != SIZE_MAX)
        opt.unit = qala_registry_unit(c->m->reg, unit)->code;
    char *json = NULL;
    size_t len = 0;
    qala_status st = qala_report_data(&json, &len, c->m->store, &opt);
    if (st != QALA_OK)
        return srv_fail(r, st, "report");
    r->body = json; /* qala_mem__ allocated: the reply owns it */
    r->len = len;
    r->content_type = "application/json; charset=utf-8";
    return 0;
}
