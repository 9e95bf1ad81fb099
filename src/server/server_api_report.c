/* src/server/server_api_report.c — GET /api/report: the data object of the report and
 * the dashboard (qala_report_data, docs/report-data.md), which the front end served at /
 * fetches and renders.
 *
 * The parameters are `qala report`'s options: lang (the page's language at opening),
 * period (of the scoreboard, categories and index), at (the date of the typology), spec
 * (an embedded index spec's name: a server does not read files named by its clients)
 * and unit (only that city's passport; a code or a name). The object is built from the
 * worker's read-only connection exactly as `qala report --format json` builds it from the
 * database, and answered as the library wrote it (no second JSON pass). It is the
 * largest answer of the API (a few MB: the map's outlines, every passport) and the
 * slowest to compute (one monitor evaluation, one index run, the inequality panels), so
 * it goes through the response cache like the other GETs: the first request after a
 * change of the database computes it, the next ones are a copy. An upload or an
 * annotation written here clears the cache (server_api.c), and a write by another
 * process changes the database's fingerprint (server_cache.c).
 * Workload: one computation per distinct URL and state of the data; then cached.
 */
#include <string.h>

#include "qala/report.h"
#include "server/server_internal.h"

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
