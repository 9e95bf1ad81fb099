/* tests/unit/report/test_report_sensitivity.c — the rank intervals of the report's index
 * (qala_report_options.sensitivity_runs, index.sensitivity in docs/report-data.md): null
 * without them; with them the seed, runs and the default factors (a valid factor file),
 * one row per ranked unit in nominal-rank order whose nominal rank is the ranking's own
 * rank and whose interval holds its median; the same seed gives the same bytes, another
 * seed other intervals; the factors reproduce the intervals through qala_sens_run;
 * too many runs and allocation failures are refused cleanly.
 * The data are the embedded demo statistics (the report's "embedded" mode).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "failing_alloc.h"
#include "qala/qala.h"

static char *report_text(qala_report_options *opt, size_t *len)
{
    char *text = NULL;
    qala_status st = qala_report_data(&text, len, NULL, opt);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    return text;
}

static json_t *report(qala_report_options *opt)
{
    size_t len;
    char *text = report_text(opt, &len);
    json_error_t e;
    json_t *root = json_loadb(text, len, 0, &e);
    cr_assert_not_null(root, "not JSON: %s", e.text);
    qala_free(text);
    return root;
}

static json_t *sensitivity_of(json_t *root)
{
    return json_object_get(json_object_get(root, "index"), "sensitivity");
}

Test(report_sensitivity, null_without_runs)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.at = 20240101;
    opt.sections = QALA_REPORT_INDEX;
    json_t *r = report(&opt);
    json_t *s = sensitivity_of(r);
    cr_assert(s && json_is_null(s), "index.sensitivity is null without --sensitivity");
    json_decref(r);
}

Test(report_sensitivity, intervals_of_every_ranked_unit_with_seed_runs_and_factors)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.at = 20240101;
    opt.sections = QALA_REPORT_INDEX;
    opt.sensitivity_runs = 60;
    opt.sensitivity_seed = 2024;
    json_t *r = report(&opt);
    json_t *s = sensitivity_of(r);
    cr_assert(json_is_object(s), "index.sensitivity is an object");
    cr_assert_eq(json_integer_value(json_object_get(s, "seed")), 2024);
    cr_assert_eq(json_integer_value(json_object_get(s, "runs")), 60);
    cr_assert_eq(json_integer_value(json_object_get(s, "runs_done")), 60);
    /* the default factors: noisy weights at the levels below the index, two normalisations */
    json_t *factors = json_object_get(s, "factors");
    cr_assert_eq(json_array_size(factors), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(factors, 0), "type")), "weights");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(factors, 1), "type")), "normalise");
    cr_assert_eq(json_array_size(json_object_get(json_array_get(factors, 1), "methods")), 2);

    /* one row per unit ranked in the ranking, in its order, with its rank as nominal */
    json_t *units = json_object_get(json_object_get(r, "index"), "units");
    size_t ranked = 0, i;
    json_t *u;
    json_array_foreach(units, i, u)
        ranked += json_is_number(json_object_get(u, "rank"));
    json_t *rows = json_object_get(s, "units");
    cr_assert_gt(ranked, 10, "the demo index ranks the regions and cities of republican significance");
    cr_assert_eq(json_array_size(rows), ranked);
    double last = 0;
    int moved = 0;
    json_array_foreach(rows, i, u) {
        const char *code = json_string_value(json_object_get(u, "code"));
        double nominal = json_number_value(json_object_get(u, "nominal"));
        double med = json_number_value(json_object_get(u, "median"));
        double lo = json_number_value(json_object_get(u, "q05")), hi = json_number_value(json_object_get(u, "q95"));
        cr_assert_geq(nominal, last, "%s: rows in nominal-rank order", code);
        last = nominal;
        cr_assert(lo >= 1 && lo <= med && med <= hi && hi <= (double)ranked, "%s: 1 <= %g <= %g <= %g <= %zu",
                  code, lo, med, hi, ranked);
        size_t k;
        json_t *x;
        double rank = NAN;
        json_array_foreach(units, k, x)
            if (strcmp(json_string_value(json_object_get(x, "unit")), code) == 0)
                rank = json_number_value(json_object_get(x, "rank"));
        cr_assert_eq(nominal, rank, "%s: nominal %g is the ranking's rank %g", code, nominal, rank);
        moved |= hi > lo;
    }
    cr_assert(moved, "±25 %% weights and two normalisations move some rank");
    json_decref(r);
}

Test(report_sensitivity, same_seed_same_bytes_other_seed_other_intervals)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.at = 20240101;
    opt.sections = QALA_REPORT_INDEX;
    opt.sensitivity_runs = 40;
    opt.sensitivity_seed = 7;
    size_t n1, n2, n3;
    char *a = report_text(&opt, &n1), *b = report_text(&opt, &n2);
    cr_assert(n1 == n2 && memcmp(a, b, n1) == 0, "the same seed gives the same object");
    opt.sensitivity_seed = 8;
    char *c = report_text(&opt, &n3);
    json_t *ra = json_loadb(a, n1, 0, NULL), *rc = json_loadb(c, n3, 0, NULL);
    cr_assert(ra && rc);
    cr_assert_eq(json_integer_value(json_object_get(sensitivity_of(rc), "seed")), 8, "the seed is recorded");
    cr_assert_not(json_equal(json_object_get(sensitivity_of(ra), "units"), json_object_get(sensitivity_of(rc), "units")),
                  "another seed draws other weights");
    json_decref(ra);
    json_decref(rc);
    qala_free(a);
    qala_free(b);
    qala_free(c);
}

Test(report_sensitivity, factors_are_a_factor_file)
{
    /* the object's factors, wrapped as a factor file, load with the library's reader */
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.at = 20240101;
    opt.sections = QALA_REPORT_INDEX;
    opt.sensitivity_runs = 5;
    json_t *r = report(&opt);
    json_t *file = json_pack("{s:i, s:O}", "qala_sensitivity", 1, "factors", json_object_get(sensitivity_of(r), "factors"));
    char *text = json_dumps(file, JSON_COMPACT);
    qala_sens_factors *fs;
    cr_assert_eq(qala_sens_factors_new(&fs), QALA_OK);
    cr_assert_eq(qala_sens_factors_load_json(fs, text, strlen(text), "report"), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_sens_factors_count(fs), 2);
    cr_assert_eq(qala_sens_factor_kind(fs, 1), QALA_SENS_NORMALISE);
    qala_sens_factors_free(fs);
    free(text);
    json_decref(file);
    json_decref(r);
}

Test(report_sensitivity, too_many_runs_are_refused)
{
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.sensitivity_runs = QALA_REPORT_MAX_SENSITIVITY_RUNS + 1;
    char *text = (char *)1;
    size_t len = 1;
    cr_assert_eq(qala_report_data(&text, &len, NULL, &opt), QALA_EINVAL);
    cr_assert_null(text);
    cr_assert_eq(len, 0);
    cr_assert(strstr(qala_error_last()->message, "sensitivity runs"), "%s", qala_error_last()->message);
}

Test(report_sensitivity, allocation_failures_leak_nothing_and_leave_out_null)
{
    /* the allocations of the index section without the analysis, then with it; a spread
     * of those in between (the analysis: factors, runs, summaries, the rows) fail in turn:
     * QALA_ENOMEM and no object each time (the sanitizer build checks the leaks). The
     * runs go to threads, so which allocation fails can vary; every outcome is checked. */
    qala_report_options opt = QALA_REPORT_OPTIONS_INIT;
    opt.at = 20240101;
    opt.sections = QALA_REPORT_INDEX;
    char *text = NULL;
    size_t len;
    calls = 0;
    fail_at = -1;
    qala_allocator_set(&failing_allocator);
    cr_assert_eq(qala_report_data(&text, &len, NULL, &opt), QALA_OK);
    qala_free(text);
    long before = calls;
    opt.sensitivity_runs = 4;
    calls = 0;
    cr_assert_eq(qala_report_data(&text, &len, NULL, &opt), QALA_OK);
    qala_free(text);
    long total = calls;
    cr_assert_gt(total, before, "the analysis allocates");
    long step = (total - before) / 200 + 1, failures = 0;
    for (long k = before - 50 > 0 ? before - 50 : 0; k < total; k += step) {
        calls = 0;
        fail_at = k;
        text = (char *)1;
        qala_status st = qala_report_data(&text, &len, NULL, &opt);
        if (st != QALA_OK) {
            cr_assert_eq(st, QALA_ENOMEM, "allocation %ld: %d %s", k, st, qala_error_last()->message);
            cr_assert_null(text);
            failures++;
        } else {
            qala_free(text);
        }
    }
    qala_allocator_set(NULL);
    cr_assert_gt(failures, 10);
}
