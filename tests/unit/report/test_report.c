/* tests/unit/report/test_report.c — the report's data object (qala_report_data): its
 * shape on the embedded data, what it says where there are no figures, the sections and
 * --unit options, a store with batches and an annotation, bad options, allocation
 * failures; and the HTML assembly (qala_report_html_from_json): markers replaced, data
 * that cannot close the script. Expected counts come from the source document (the seed,
 * ../shared/seed/SEED-EN.md: Figure 1 and Table 1) and from data/report/directions.csv.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failing_alloc.h"
#include "qala/qala.h"

static json_t *report(qala_store *store, qala_report_options *opt)
{
    char *text = NULL;
    size_t len = 0;
    qala_status st = qala_report_data(&text, &len, store, opt);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(strlen(text), len);
    json_error_t e;
    json_t *root = json_loadb(text, len, 0, &e);
    cr_assert_not_null(root, "not JSON: %s at %d", e.text, e.position);
    qala_free(text);
    return root;
}

static json_t *find(json_t *arr, const char *key, const char *value)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) {
        const char *s = json_string_value(json_object_get(x, key));
        if (s && strcmp(s, value) == 0)
            return x;
    }
    return NULL;
}

Test(report, embedded_data_has_every_section_with_names_in_three_languages)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.at = 20210101;
    opt.lang = QALA_LANG_RU;
    json_t *r = report(NULL, &opt);
    cr_assert_str_eq(json_string_value(json_object_get(r, "schema")), "qala-report/1");
    cr_assert_str_eq(json_string_value(json_object_get(r, "data")), "embedded");
    cr_assert_str_eq(json_string_value(json_object_get(r, "lang")), "ru");
    cr_assert_str_eq(json_string_value(json_object_get(r, "at")), "2021-01-01");
    cr_assert_str_eq(json_string_value(json_object_get(r, "national_unit")), "KZ");
    const char *keys[] = {"domains", "indicators", "units", "groups", "table1", "map", "monitor", "alerts",
                          "categories", "index", "inequality", "directions", "passports", "methodology", "annotations",
                          "quality"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        cr_assert_not_null(json_object_get(r, keys[i]), "%s missing", keys[i]);
    json_t *temirtau = find(json_object_get(r, "units"), "code", "KZ-TEMIRTAU");
    cr_assert_not_null(temirtau);
    json_t *name = json_object_get(temirtau, "name");
    cr_assert_str_eq(json_string_value(json_object_get(name, "en")), "Temirtau");
    cr_assert_str_eq(json_string_value(json_object_get(name, "ru")), "Темиртау");
    cr_assert_str_eq(json_string_value(json_object_get(name, "kk")), "Теміртау");
    cr_assert_str_eq(json_string_value(json_object_get(temirtau, "region")), "KZ-KAR");
    cr_assert(json_is_real(json_object_get(temirtau, "lat")));
    /* Figure 1: 27 monocities, 4 agglomeration cities, 17 smart cities */
    json_t *groups = json_object_get(r, "groups");
    cr_assert_eq(json_array_size(json_object_get(find(groups, "code", "monocity"), "members")), 27);
    cr_assert_eq(json_array_size(json_object_get(find(groups, "code", "agglomeration"), "members")), 4);
    cr_assert_eq(json_array_size(json_object_get(find(groups, "code", "smart_city"), "members")), 17);
    /* Table 1: 12 regions, Karaganda region with 8 */
    json_t *rows = json_object_get(json_object_get(r, "table1"), "rows");
    cr_assert_eq(json_array_size(rows), 12);
    cr_assert_eq(json_integer_value(json_object_get(find(rows, "region", "KZ-KAR"), "count")), 8);
    /* the map: 17 outlines of the pre-2018 layout */
    json_t *map = json_object_get(r, "map");
    cr_assert_eq(json_array_size(json_object_get(map, "features")), 17);
    cr_assert_str_eq(json_string_value(json_object_get(map, "layout")), "pre-2018");
    json_decref(r);
}

Test(report, scoreboard_alerts_and_categories_of_the_default_period)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    json_t *r = report(NULL, &opt);
    /* the demo statistics' best-covered latest period with thresholds is 2022 */
    cr_assert_str_eq(json_string_value(json_object_get(r, "period")), "2022");
    json_t *mon = json_object_get(r, "monitor");
    cr_assert(json_is_false(json_object_get(mon, "no_data")));
    json_t *rows = json_object_get(mon, "rows");
    cr_assert_gt(json_array_size(rows), 100);
    size_t i, nths = json_array_size(json_object_get(mon, "thresholds"));
    json_t *x;
    json_array_foreach(rows, i, x) {
        const char *z = json_string_value(json_object_get(x, "zone"));
        cr_assert(strcmp(z, "no_data") == 0 || strcmp(z, "normal") == 0 || strcmp(z, "warning") == 0 ||
                  strcmp(z, "crisis") == 0, "zone %s", z);
        cr_assert_lt((size_t)json_integer_value(json_object_get(x, "threshold")), nths);
        cr_assert_str_neq(json_string_value(json_object_get(x, "unit")), "KZ"); /* national values apart */
        if (strcmp(z, "no_data") == 0)
            cr_assert(json_is_null(json_object_get(x, "transformed")));
    }
    /* the national wage of 2022 (data/demo/wages_2022.csv: KZ 309697 KZT) */
    cr_assert_float_eq(json_number_value(json_object_get(json_object_get(mon, "national"), "wage_nominal_kzt")), 309697, 1e-6);
    /* alerts: breaches only, crisis before warning */
    json_t *alerts = json_object_get(r, "alerts");
    cr_assert_gt(json_array_size(alerts), 0);
    int seen_warning = 0;
    json_array_foreach(alerts, i, x) {
        const char *z = json_string_value(json_object_get(x, "zone"));
        cr_assert(strcmp(z, "warning") == 0 || strcmp(z, "crisis") == 0);
        if (strcmp(z, "warning") == 0)
            seen_warning = 1;
        else
            cr_assert_not(seen_warning, "a crisis after a warning at %zu", i);
    }
    /* categories: the 27 monocities are eligible; the demo has no city-level triggers */
    json_t *cat = json_object_get(r, "categories");
    cr_assert_eq(json_array_size(json_object_get(cat, "rows")), 27);
    cr_assert(json_is_true(json_object_get(cat, "no_data")));
    cr_assert(json_is_null(json_object_get(json_array_get(json_object_get(cat, "rows"), 0), "category")));
    cr_assert_gt(json_array_size(json_object_get(cat, "rules")), 3);
    json_decref(r);
}

Test(report, index_inequality_and_passports)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    json_t *r = report(NULL, &opt);
    json_t *ix = json_object_get(r, "index");
    cr_assert_str_eq(json_string_value(json_object_get(ix, "spec")), "city-development");
    cr_assert(json_is_false(json_object_get(ix, "no_data")));
    json_t *nodes = json_object_get(ix, "nodes");
    json_t *root = json_array_get(nodes, json_array_size(nodes) - 1);
    cr_assert(json_is_null(json_object_get(root, "parent")));
    /* ranks 1..n without gaps beyond ties among the units with a score */
    size_t i, ranked = 0;
    json_t *u;
    int has_first = 0;
    json_array_foreach(json_object_get(ix, "units"), i, u) {
        json_t *score = json_object_get(u, "score");
        if (json_is_null(score))
            continue;
        ranked++;
        double s = json_number_value(score);
        cr_assert(s >= 0 && s <= 100, "score %g", s);
        has_first |= json_number_value(json_object_get(u, "rank")) == 1.0;
    }
    cr_assert_gt(ranked, 10);
    cr_assert(has_first);
    /* differentiation: life expectancy 1999-2022 has σ points and a β */
    json_t *le = find(json_object_get(json_object_get(r, "inequality"), "indicators"), "indicator", "life_expectancy_years");
    cr_assert_not_null(le);
    cr_assert(json_is_false(json_object_get(le, "no_data")));
    cr_assert_geq(json_array_size(json_object_get(le, "periods")), 20);
    json_t *p2022 = find(json_object_get(le, "periods"), "period", "2022");
    double gini = json_number_value(json_object_get(p2022, "gini"));
    cr_assert(gini > 0 && gini < 0.1, "gini %g", gini);
    double t = json_number_value(json_object_get(p2022, "theil_t"));
    double w = json_number_value(json_object_get(p2022, "theil_t_within"));
    double b = json_number_value(json_object_get(p2022, "theil_t_between"));
    cr_assert_float_eq(w + b, t, 1e-12 + 1e-9 * t, "within %g + between %g != total %g", w, b, t);
    cr_assert_geq(json_array_size(json_object_get(json_object_get(le, "sigma"), "points")), 10);
    /* passports: every city alive today (46 in the registry) */
    json_t *ps = json_object_get(r, "passports");
    cr_assert_eq(json_array_size(ps), 46);
    json_t *temirtau = find(ps, "unit", "KZ-TEMIRTAU");
    cr_assert_not_null(temirtau);
    cr_assert_not_null(find(json_object_get(temirtau, "groups"), "group", "monocity"));
    cr_assert_not_null(find(json_object_get(temirtau, "regions"), "region", "KZ-KAR"));
    cr_assert_gt(json_array_size(json_object_get(temirtau, "series")), 0); /* city population */
    /* directions: the six of the source document, once each */
    json_t *dirs = json_object_get(r, "directions");
    cr_assert_eq(json_array_size(dirs), 6);
    const char *codes[] = {"social_sphere", "labour_potential", "ecology", "life_support", "diversification", "digitalisation"};
    for (size_t k = 0; k < 6; k++)
        cr_assert_not_null(find(dirs, "code", codes[k]), "%s", codes[k]);
    /* a region with a breach gets the directions of the breached domains */
    json_decref(r);
}

Test(report, directions_follow_the_domains_in_breach)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.unit = "KZ-ZHA"; /* Zhambyl region: crisis on wages in 2022 (the scoreboard) */
    json_t *r = report(NULL, &opt);
    json_t *ps = json_object_get(r, "passports");
    cr_assert_eq(json_array_size(ps), 1);
    json_t *p = json_array_get(ps, 0);
    size_t i;
    json_t *e;
    unsigned breached = 0;
    json_array_foreach(json_object_get(p, "evaluations"), i, e) {
        const char *z = json_string_value(json_object_get(e, "zone"));
        if (strcmp(z, "warning") == 0 || strcmp(z, "crisis") == 0)
            breached++;
    }
    cr_assert_gt(breached, 0);
    cr_assert_gt(json_array_size(json_object_get(p, "breached_domains")), 0);
    cr_assert_gt(json_array_size(json_object_get(p, "directions")), 0);
    /* every direction listed belongs to a breached domain (data/report/directions.csv) */
    json_t *dirs = json_object_get(r, "directions"), *d;
    json_array_foreach(json_object_get(p, "directions"), i, d) {
        json_t *dir = find(dirs, "code", json_string_value(d));
        cr_assert_not_null(dir);
        int ok = 0;
        size_t k, j;
        json_t *dom, *b;
        json_array_foreach(json_object_get(dir, "domains"), k, dom)
            json_array_foreach(json_object_get(p, "breached_domains"), j, b)
                ok |= json_equal(dom, b);
        cr_assert(ok, "direction %s without a breached domain", json_string_value(d));
    }
    json_decref(r);
}

Test(report, a_period_without_figures_says_no_data)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.period = 199000;
    json_t *r = report(NULL, &opt);
    json_t *mon = json_object_get(r, "monitor");
    cr_assert(json_is_true(json_object_get(mon, "no_data")));
    cr_assert_eq(json_array_size(json_object_get(mon, "rows")), 0);
    cr_assert_eq(json_array_size(json_object_get(r, "alerts")), 0);
    json_t *ix = json_object_get(r, "index");
    cr_assert(json_is_true(json_object_get(ix, "no_data")));
    cr_assert_eq(json_array_size(json_object_get(ix, "units")), 0);
    cr_assert_gt(json_array_size(json_object_get(ix, "nodes")), 0); /* the spec is still described */
    cr_assert(json_is_true(json_object_get(json_object_get(r, "categories"), "no_data")));
    json_t *p = json_array_get(json_object_get(r, "passports"), 0);
    cr_assert_eq(json_array_size(json_object_get(p, "evaluations")), 0);
    cr_assert_eq(json_array_size(json_object_get(p, "directions")), 0);
    json_decref(r);
}

/* The quality section is qala check on the same observations (the embedded demo
 * statistics, imported here as `qala check` does) with the embedded identities: the same
 * counts in total and per check, every finding listed with the check's message. */
Test(report, quality_is_the_data_quality_checks_of_the_same_data)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    json_t *r = report(NULL, &opt);
    json_t *q = json_object_get(r, "quality");
    cr_assert_not_null(q);
    qala_registry *reg;
    qala_framework *fw;
    qala_dataset *ds;
    qala_findings *f;
    qala_identities *ids;
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, NULL), QALA_OK);
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, NULL), QALA_OK);
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_import_demo(ds, f, reg, fw), QALA_OK);
    cr_assert_eq(qala_dataset_sort(ds), QALA_OK);
    cr_assert_eq(qala_identities_new(&ids), QALA_OK);
    cr_assert_eq(qala_identities_load_default(ids, fw, NULL), QALA_OK);
    qala_check_options co = QALA_CHECK_OPTIONS_INIT;
    qala_check_result *res;
    cr_assert_eq(qala_check_run(&res, ds, fw, reg, ids, &co), QALA_OK);
    size_t total = qala_check_count(res);
    cr_assert_gt(total, 0, "the demo data raise findings");
    cr_assert_eq((size_t)json_integer_value(json_object_get(q, "total")), total);
    cr_assert_eq((size_t)json_integer_value(json_object_get(q, "errors")), qala_check_errors(res));
    cr_assert_eq((size_t)json_integer_value(json_object_get(q, "warnings")), qala_check_warnings(res));
    json_t *rules = json_object_get(q, "rules"), *list = json_object_get(q, "findings");
    cr_assert_eq(json_array_size(rules), QALA_CHECK_RULE_COUNT);
    cr_assert_eq(json_array_size(list), total, "below the cap every finding is listed");
    for (int k = 0; k < QALA_CHECK_RULE_COUNT; k++) {
        json_t *o = find(rules, "rule", qala_check_rule_code((qala_check_rule)k));
        cr_assert_not_null(o);
        cr_assert_eq((size_t)json_integer_value(json_object_get(o, "evaluated")),
                     qala_check_evaluated(res, (qala_check_rule)k));
    }
    for (size_t i = 0; i < total; i++) { /* no error here: the listing keeps the checks' order */
        const qala_check_finding *cf = qala_check_get(res, i);
        json_t *o = json_array_get(list, i);
        cr_assert_str_eq(json_string_value(json_object_get(o, "message")), cf->message);
        cr_assert_str_eq(json_string_value(json_object_get(o, "rule")), qala_check_rule_code(cf->rule));
    }
    cr_assert_eq(json_array_size(json_object_get(q, "benford")), qala_check_benford_count(res));
    qala_check_result_free(res);
    qala_identities_free(ids);
    qala_findings_free(f);
    qala_dataset_free(ds);
    qala_framework_free(fw);
    qala_registry_free(reg);
    json_decref(r);
}

Test(report, sections_limit_the_object)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.sections = QALA_REPORT_TYPOLOGY;
    json_t *r = report(NULL, &opt);
    cr_assert_not_null(json_object_get(r, "groups"));
    cr_assert_not_null(json_object_get(r, "indicators")); /* the meta part is always there */
    const char *absent[] = {"map", "monitor", "index", "inequality", "passports", "methodology",
                            "quality"};
    for (size_t i = 0; i < 7; i++)
        cr_assert_null(json_object_get(r, absent[i]), "%s present", absent[i]);
    json_decref(r);
}

Test(report, bad_options_and_unknown_names)
{
    char *text = (char *)1;
    size_t len = 7;
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.version = 99;
    cr_assert_eq(qala_report_data(&text, &len, NULL, &opt), QALA_EINVAL);
    cr_assert_null(text);
    cr_assert_eq(len, 0);
    opt.version = QALA_REPORT_OPTIONS_VERSION;
    opt.period = 202213; /* month 13 */
    cr_assert_eq(qala_report_data(&text, &len, NULL, &opt), QALA_EINVAL);
    opt.period = 0;
    opt.unit = "KZ-NOWHERE";
    cr_assert_eq(qala_report_data(&text, &len, NULL, &opt), QALA_ENOTFOUND);
    cr_assert(strstr(qala_error_last()->message, "KZ-NOWHERE"));
    cr_assert_null(text);
    opt.unit = NULL;
    opt.spec = "no-such-spec";
    cr_assert_eq(qala_report_data(&text, &len, NULL, &opt), QALA_ENOTFOUND);
    cr_assert_null(text);
}

/* A store as `qala demo` makes it, with one annotation. */
static qala_store *demo_store(char *path, size_t cap)
{
    snprintf(path, cap, "/tmp/qala-report-test-%ld.db", (long)getpid());
    unlink(path);
    qala_store *s = NULL;
    qala_registry *reg = NULL;
    qala_framework *fw = NULL;
    qala_dataset *ds = NULL;
    qala_findings *f = NULL;
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_CREATE), QALA_OK);
    cr_assert_eq(qala_registry_new(&reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(reg, f), QALA_OK);
    cr_assert_eq(qala_framework_new(&fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(fw, f), QALA_OK);
    cr_assert_eq(qala_store_save_registry(s, reg), QALA_OK);
    cr_assert_eq(qala_store_save_framework(s, fw), QALA_OK);
    size_t len;
    const char *bytes = qala_default_data("demo/unemployment_2022.csv", &len);
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    qala_import_stats stats;
    cr_assert_eq(qala_import_buffer(ds, f, &stats, bytes, len, "unemployment_2022.csv", reg, fw, NULL), QALA_OK);
    qala_batch_info info = {"unemployment_2022.csv", "0000000000000000000000000000000000000000000000000000000000000000", NULL};
    qala_batch_result res;
    cr_assert_eq(qala_store_import(s, ds, &info, &res), QALA_OK);
    qala_annotation a = {"KZ-ZHT", "unemployment_ilo_pct", 202200, QALA_VERDICT_WATCH, "short series", "tester", NULL};
    cr_assert_eq(qala_store_annotate(s, &a), QALA_OK, "%s", qala_error_last()->message);
    qala_findings_free(f);
    qala_dataset_free(ds);
    qala_framework_free(fw);
    qala_registry_free(reg);
    return s;
}

Test(report, a_store_gives_its_batches_and_annotations)
{
    char path[128];
    qala_store *s = demo_store(path, sizeof path);
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    json_t *r = report(s, &opt);
    cr_assert_str_eq(json_string_value(json_object_get(r, "data")), "database");
    const char *base = strrchr(path, '/');
    cr_assert_str_eq(json_string_value(json_object_get(r, "database")), base ? base + 1 : path,
                     "the file's name only, never its folder");
    json_t *batches = json_object_get(json_object_get(r, "methodology"), "batches");
    cr_assert_eq(json_array_size(batches), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(batches, 0), "file")), "unemployment_2022.csv");
    json_t *a = json_array_get(json_object_get(r, "annotations"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(a, "verdict")), "watch");
    cr_assert_str_eq(json_string_value(json_object_get(a, "period")), "2022");
    /* only unemployment was imported: the index has one indicator with data */
    cr_assert_str_eq(json_string_value(json_object_get(r, "period")), "2022");
    json_decref(r);
    qala_store_close(s);
    unlink(path);
}

Test(report, html_inlines_the_assets_and_the_data_cannot_close_its_script)
{
    const char *json = "{\"x\":\"</script><!-- <b>\"}";
    char *html = NULL;
    size_t len = 0;
    cr_assert_eq(qala_report_html_from_json(&html, &len, json, strlen(json)), QALA_OK);
    cr_assert_eq(strlen(html), len);
    cr_assert_null(strstr(html, "<!--qala:"), "a marker is left");
    cr_assert_null(strstr(html, "<script src="), "a script is linked, not inlined");
    cr_assert_null(strstr(html, "<link rel=\"stylesheet\""));
    cr_assert_not_null(strstr(html, "window.QALA_DATA = {\"x\":\"\\u003c/script>\\u003c!-- \\u003cb>\"};</script>"));
    cr_assert_not_null(strstr(html, "echarts"));
    cr_assert_not_null(strstr(html, "@media print"));
    /* the page's own script and style are there once */
    cr_assert_not_null(strstr(html, "window.QALA_DATA) start(window.QALA_DATA)"));
    qala_free(html);
}

Test(report, allocation_failures_leak_nothing_and_leave_out_null)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.sections = QALA_REPORT_TYPOLOGY | QALA_REPORT_PASSPORTS;
    opt.unit = "KZ-TEMIRTAU";
    /* the number of allocations of one run, then fail each of a spread of them */
    calls = 0;
    fail_at = -1;
    qala_allocator_set(&failing_allocator);
    char *text = NULL;
    size_t len;
    cr_assert_eq(qala_report_data(&text, &len, NULL, &opt), QALA_OK);
    qala_free(text);
    long total = calls;
    cr_assert_gt(total, 10);
    long step = total / 400 + 1;
    for (long k = 0; k < total; k += step) {
        calls = 0;
        fail_at = k;
        text = (char *)1;
        qala_status st = qala_report_data(&text, &len, NULL, &opt);
        if (st != QALA_OK) {
            cr_assert_eq(st, QALA_ENOMEM, "allocation %ld: %s", k, qala_error_last()->message);
            cr_assert_null(text);
        } else {
            qala_free(text);
        }
    }
    qala_allocator_set(NULL);
}

/* The data-quality section alone: every qala allocation of a spread fails in turn (the
 * checks' own included): a clean QALA_ENOMEM, no leak, out NULL. */
Test(report, quality_allocation_failures_are_clean)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.sections = QALA_REPORT_QUALITY;
    calls = 0;
    fail_at = -1;
    qala_allocator_set(&failing_allocator);
    char *text = NULL;
    size_t len;
    cr_assert_eq(qala_report_data(&text, &len, NULL, &opt), QALA_OK);
    qala_free(text);
    long total = calls, failed = 0;
    long step = total / 400 + 1;
    for (long k = 0; k < total; k += step) {
        calls = 0;
        fail_at = k;
        text = (char *)1;
        qala_status st = qala_report_data(&text, &len, NULL, &opt);
        if (st != QALA_OK) {
            cr_assert_eq(st, QALA_ENOMEM, "allocation %ld: %s", k, qala_error_last()->message);
            cr_assert_null(text);
            failed++;
        } else {
            qala_free(text);
        }
    }
    qala_allocator_set(NULL);
    cr_assert_gt(failed, 100, "most failures are reported (%ld of %ld tried)", failed, total / step);
}
