/* src/server/server_json.c — what the API handlers share: JSON numbers and names, and
 * reading query parameters with a 400 answer that says what was expected.
 *
 * Numbers: NAN and infinities are JSON null (JSON has no NaN). Periods are their text
 * ("2022", "2022-Q3", "2022-07"), as in the CSV files and the CLI. Every parameter
 * error names the parameter and the value given.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/server_internal.h"

json_t *srv_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *srv_period(qala_period p)
{
    if (!p)
        return json_null();
    char buf[12];
    qala_period_format(buf, p);
    return json_string(buf);
}

json_t *srv_names3(const char *const name[3])
{
    return json_pack("{s:s?, s:s?, s:s?}", "kk", name[QALA_LANG_KK], "ru", name[QALA_LANG_RU], "en",
                     name[QALA_LANG_EN]);
}

int srv_lang(const srv_ctx *c, srv_reply *r, qala_lang *lang)
{
    const char *v = srv_param(c, "lang");
    *lang = QALA_LANG_EN;
    if (v && qala_lang_parse(lang, v) != QALA_OK) {
        srv_error(r, 400, "lang '%s': expected kk, ru, en or kk-latn", v);
        return -1;
    }
    return 0;
}

int srv_period_param(const srv_ctx *c, srv_reply *r, const char *name, qala_period *out)
{
    const char *v = srv_param(c, name);
    *out = 0;
    if (!v)
        return 0;
    if (qala_period_parse(out, v, strlen(v)) != QALA_OK) {
        srv_error(r, 400, "%s '%s': %s", name, v, qala_error_last()->message);
        return -1;
    }
    return 0;
}

int srv_unit_param(const srv_ctx *c, srv_reply *r, const char *name, size_t *out)
{
    const char *v = srv_param(c, name);
    *out = SIZE_MAX;
    if (!v)
        return 0;
    if (qala_registry_find(c->m->reg, v, out) == QALA_OK)
        return 0;
    qala_match m;
    qala_status st = qala_registry_match(c->m->reg, v, strlen(v), 0, &m);
    if (st == QALA_OK) {
        *out = m.units[0];
        return 0;
    }
    srv_error(r, 400, "%s '%s': %s", name, v, qala_error_last()->message);
    return -1;
}

int srv_uint_param(const srv_ctx *c, srv_reply *r, const char *name, size_t lo, size_t hi, size_t def,
                   size_t *out)
{
    const char *v = srv_param(c, name);
    *out = def;
    if (!v)
        return 0;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (!*v || *end || errno || v[0] == '-' || n < lo || n > hi) {
        srv_error(r, 400, "%s '%s': expected a whole number from %zu to %zu", name, v, lo, hi);
        return -1;
    }
    *out = (size_t)n;
    return 0;
}

int srv_flag_param(const srv_ctx *c, srv_reply *r, const char *name, int *out)
{
    const char *v = srv_param(c, name);
    *out = 0;
    if (!v)
        return 0;
    if (!*v || strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0) {
        *out = 1;
        return 0;
    }
    if (strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0)
        return 0;
    srv_error(r, 400, "%s '%s': expected 1 or 0", name, v);
    return -1;
}

size_t srv_split(const char *text, char *buf, size_t bufsize, const char **out, size_t max)
{
    size_t n = 0, len = strlen(text);
    if (len >= bufsize)
        len = bufsize - 1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    for (char *p = buf; *p && n < max;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (*p)
            out[n++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
    return n;
}

qala_status srv_load_observations(srv_model *m, const char *const *codes, size_t n, qala_dataset **out)
{
    *out = NULL;
    qala_dataset *ds = NULL;
    qala_status st = qala_dataset_new(&ds);
    if (st != QALA_OK)
        return st;
    qala_store_query q = {0};
    q.indicators = codes;
    q.nindicators = codes ? n : 0;
    if ((st = qala_store_query_observations(m->store, codes ? &q : NULL, ds)) == QALA_OK &&
        (st = qala_dataset_sort(ds)) == QALA_OK) {
        *out = ds;
        return QALA_OK;
    }
    qala_dataset_free(ds);
    return st;
}

const char *srv_unit_name(const srv_model *m, const char *code, qala_lang lang, qala_date at)
{
    size_t u;
    if (qala_registry_find(m->reg, code, &u) != QALA_OK)
        return code;
    return qala_registry_name_at(m->reg, u, lang, at);
}
