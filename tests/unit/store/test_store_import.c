/* tests/unit/store/test_store_import.c — importing batches: new, unchanged and revised
 * observations, the history, rollbacks that leave the file byte for byte as it was,
 * queries now and "as of" a time, batches and counts.
 */
#include <math.h>

#include "store_test.h"

static qala_dataset *new_ds(void)
{
    qala_dataset *ds;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    return ds;
}

/* Three observations: U1/I1/2021, U1/I1/2022, U2/I2/2022. */
static qala_dataset *base_ds(void)
{
    qala_dataset *ds = new_ds();
    test_add(ds, "U1", "I1", 202100, 10.5, QALA_FLAG_NONE);
    test_add(ds, "U1", "I1", 202200, 11.0, QALA_FLAG_PROVISIONAL);
    test_add(ds, "U2", "I2", 202200, 7.25, QALA_FLAG_NONE);
    return ds;
}

/* The store's file after a checkpoint: closing the last connection checkpoints the WAL
 * into the database file and removes the WAL. */
static unsigned char *file_after_close(qala_store **s, const char *path, size_t *len)
{
    qala_store_close(*s);
    unsigned char *bytes = test_read_file(path, len);
    cr_assert_eq(qala_store_open(s, path, QALA_STORE_READ_WRITE), QALA_OK);
    return bytes;
}

static qala_dataset *query(qala_store *s, const qala_store_query *q)
{
    qala_dataset *out = new_ds();
    qala_status st = qala_store_query_observations(s, q, out);
    cr_assert_eq(st, QALA_OK, "query: %s", qala_error_last()->message);
    return out;
}

/* Asserts observation i of ds. */
static void assert_obs(const qala_dataset *ds, size_t i, const char *unit, const char *ind,
                       qala_period period, double value, qala_flag flag)
{
    cr_assert_lt(i, qala_dataset_size(ds));
    cr_assert_str_eq(qala_dataset_unit_code(ds, qala_dataset_units(ds)[i]), unit, "row %zu", i);
    cr_assert_str_eq(qala_dataset_indicator_code(ds, qala_dataset_indicators(ds)[i]), ind,
                     "row %zu", i);
    cr_assert_eq(qala_dataset_periods(ds)[i], period, "row %zu", i);
    if (isnan(value))
        cr_assert(isnan(qala_dataset_values(ds)[i]), "row %zu", i);
    else
        cr_assert_eq(qala_dataset_values(ds)[i], value, "row %zu: %g", i, qala_dataset_values(ds)[i]);
    cr_assert_eq(qala_dataset_flags(ds)[i], flag, "row %zu", i);
}

Test(store_import, new_observations_are_inserted_and_queried_back_in_key_order)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = new_ds();
    /* Deliberately out of order. */
    test_add(ds, "U2", "I2", 202200, 7.25, QALA_FLAG_NONE);
    test_add(ds, "U1", "I1", 202200, 11.0, QALA_FLAG_PROVISIONAL);
    test_add(ds, "U1", "I2", 202100, NAN, QALA_FLAG_CONFIDENTIAL);
    test_add(ds, "U1", "I1", 202100, 10.5, QALA_FLAG_NONE);
    qala_batch_result r = test_import(s, ds, "2024-01-01T00:00:00Z");
    cr_assert_eq(r.batch, 1);
    cr_assert_eq(r.inserted, 4);
    cr_assert_eq(r.revised, 0);
    cr_assert_eq(r.unchanged, 0);

    qala_dataset *out = query(s, NULL);
    cr_assert_eq(qala_dataset_size(out), 4);
    /* Sorted by unit (U1 was stored before U2), indicator, period. */
    assert_obs(out, 0, "U1", "I1", 202100, 10.5, QALA_FLAG_NONE);
    assert_obs(out, 1, "U1", "I1", 202200, 11.0, QALA_FLAG_PROVISIONAL);
    assert_obs(out, 2, "U1", "I2", 202100, NAN, QALA_FLAG_CONFIDENTIAL);
    assert_obs(out, 3, "U2", "I2", 202200, 7.25, QALA_FLAG_NONE);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(qala_dataset_lines(out)[i], 1, "lines hold the batch id");
    qala_dataset_free(out);
    qala_dataset_free(ds);
    qala_store_close(s);
}

Test(store_import, reimporting_the_same_data_changes_nothing_byte_for_byte)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = base_ds();
    test_import(s, ds, "2024-01-01T00:00:00Z");
    size_t len;
    unsigned char *before = file_after_close(&s, path, &len);
    qala_batch_result r = test_import(s, ds, "2024-02-01T00:00:00Z");
    cr_assert_eq(r.batch, 0, "no batch is recorded when nothing changed");
    cr_assert_eq(r.inserted, 0);
    cr_assert_eq(r.revised, 0);
    cr_assert_eq(r.unchanged, 3);
    qala_store_close(s);
    s = NULL;
    test_assert_same_file(path, before, len);
    free(before);
    qala_dataset_free(ds);
}

Test(store_import, a_changed_value_or_flag_is_a_revision_kept_in_history)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = base_ds();
    test_import(s, ds, "2024-01-01T00:00:00Z");

    qala_dataset *rev = new_ds();
    test_add(rev, "U1", "I1", 202100, 10.5, QALA_FLAG_NONE);  /* unchanged */
    test_add(rev, "U1", "I1", 202200, 11.0, QALA_FLAG_NONE);  /* flag: provisional -> none */
    test_add(rev, "U2", "I2", 202200, 7.5, QALA_FLAG_NONE);   /* value 7.25 -> 7.5 */
    test_add(rev, "U3", "I1", 202200, 1.0, QALA_FLAG_NONE);   /* new */
    qala_batch_result r = test_import(s, rev, "2024-03-01T12:00:00Z");
    cr_assert_eq(r.batch, 2);
    cr_assert_eq(r.inserted, 1);
    cr_assert_eq(r.revised, 2);
    cr_assert_eq(r.unchanged, 1);

    qala_store_counts c;
    cr_assert_eq(qala_store_counts_get(s, &c), QALA_OK);
    cr_assert_eq(c.observations, 4);
    cr_assert_eq(c.revisions, 2);
    cr_assert_eq(c.batches, 2);
    cr_assert_eq(c.units, 3);
    cr_assert_eq(c.indicators, 2);
    cr_assert_eq(c.groups, 0);

    qala_dataset *now = query(s, NULL);
    cr_assert_eq(qala_dataset_size(now), 4);
    assert_obs(now, 1, "U1", "I1", 202200, 11.0, QALA_FLAG_NONE);
    cr_assert_eq(qala_dataset_lines(now)[1], 2);
    cr_assert_eq(qala_dataset_lines(now)[0], 1, "an unchanged row keeps its batch");
    assert_obs(now, 2, "U2", "I2", 202200, 7.5, QALA_FLAG_NONE);

    /* Confidential -> a value is a revision; the same NAN again is not. */
    qala_dataset *conf = new_ds();
    test_add(conf, "U2", "I2", 202200, NAN, QALA_FLAG_CONFIDENTIAL);
    r = test_import(s, conf, "2024-04-01T00:00:00Z");
    cr_assert_eq(r.revised, 1);
    r = test_import(s, conf, "2024-04-02T00:00:00Z");
    cr_assert_eq(r.unchanged, 1);
    cr_assert_eq(r.batch, 0);
    qala_dataset_free(conf);
    qala_dataset_free(now);
    qala_dataset_free(rev);
    qala_dataset_free(ds);
    qala_store_close(s);
}

Test(store_import, as_of_answers_what_was_known_then)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *v1 = new_ds(), *v2 = new_ds(), *v3 = new_ds();
    test_add(v1, "U1", "I1", 202200, 100.0, QALA_FLAG_PROVISIONAL);
    test_import(s, v1, "2024-01-10T09:00:00Z");                      /* batch 1 */
    test_add(v2, "U1", "I1", 202200, 101.0, QALA_FLAG_NONE);
    test_add(v2, "U2", "I1", 202200, 50.0, QALA_FLAG_NONE);
    test_import(s, v2, "2024-02-10T09:00:00Z");                      /* batch 2 */
    test_add(v3, "U1", "I1", 202200, 102.0, QALA_FLAG_NONE);
    test_import(s, v3, "2024-03-10T09:00:00Z");                      /* batch 3 */

    struct {
        const char *as_of;
        size_t n;
        double u1; /* value of U1/I1/2022 then */
        uint32_t batch;
    } cases[] = {
        {"2024-01-01", 0, 0, 0},                  /* before anything was imported */
        {"2024-01-10T08:59:59", 0, 0, 0},
        {"2024-01-10T09:00:00Z", 1, 100.0, 1},    /* the very second of batch 1 */
        {"2024-01-10", 1, 100.0, 1},              /* a date means the end of that day */
        {"2024-02-10 08:00:00", 1, 100.0, 1},
        {"2024-02-10T09:00:00", 2, 101.0, 2},
        {"2024-03-01", 2, 101.0, 2},
        {"2024-03-10T09:00:01Z", 2, 102.0, 3},
        {"2030-01-01", 2, 102.0, 3},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        qala_store_query q = {.as_of = cases[k].as_of};
        qala_dataset *out = query(s, &q);
        cr_assert_eq(qala_dataset_size(out), cases[k].n, "as of %s: %zu rows", cases[k].as_of,
                     qala_dataset_size(out));
        if (cases[k].n) {
            assert_obs(out, 0, "U1", "I1", 202200, cases[k].u1,
                       cases[k].batch == 1 ? QALA_FLAG_PROVISIONAL : QALA_FLAG_NONE);
            cr_assert_eq(qala_dataset_lines(out)[0], cases[k].batch, "as of %s", cases[k].as_of);
        }
        qala_dataset_free(out);
    }
    qala_store_query bad = {.as_of = "2024-13-01"};
    qala_dataset *out = new_ds();
    cr_assert_eq(qala_store_query_observations(s, &bad, out), QALA_EINVAL);
    bad.as_of = "yesterday";
    cr_assert_eq(qala_store_query_observations(s, &bad, out), QALA_EINVAL);
    bad.as_of = "2024-01-01T25:00:00";
    cr_assert_eq(qala_store_query_observations(s, &bad, out), QALA_EINVAL);
    cr_assert_eq(qala_dataset_size(out), 0);
    qala_dataset_free(out);
    qala_dataset_free(v1);
    qala_dataset_free(v2);
    qala_dataset_free(v3);
    qala_store_close(s);
}

Test(store_import, query_filters_by_unit_indicator_and_period)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = new_ds();
    const char *units[] = {"U1", "U2", "U3"}, *inds[] = {"I1", "I2"};
    for (int u = 0; u < 3; u++)
        for (int i = 0; i < 2; i++)
            for (int y = 2019; y <= 2023; y++)
                test_add(ds, units[u], inds[i], y * 100, u * 100 + i * 10 + (y - 2019), 0);
    test_import(s, ds, "2024-01-01T00:00:00Z");

    const char *want_units[] = {"U3", "u1"}; /* codes match without regard to case */
    const char *want_inds[] = {"I2"};
    qala_store_query q = {.units = want_units, .nunits = 2, .indicators = want_inds,
                          .nindicators = 1, .period_min = 202100, .period_max = 202200};
    qala_dataset *out = query(s, &q);
    cr_assert_eq(qala_dataset_size(out), 4);
    assert_obs(out, 0, "U1", "I2", 202100, 12, 0);
    assert_obs(out, 1, "U1", "I2", 202200, 13, 0);
    assert_obs(out, 2, "U3", "I2", 202100, 212, 0);
    assert_obs(out, 3, "U3", "I2", 202200, 213, 0);
    qala_dataset_free(out);

    /* Indicator only: every unit, still in unit order. */
    qala_store_query qi = {.indicators = want_inds, .nindicators = 1, .period_min = 202300};
    out = query(s, &qi);
    cr_assert_eq(qala_dataset_size(out), 3);
    assert_obs(out, 0, "U1", "I2", 202300, 14, 0);
    assert_obs(out, 2, "U3", "I2", 202300, 214, 0);
    qala_dataset_free(out);

    /* Results are appended to what the dataset holds. */
    qala_dataset *acc = new_ds();
    test_add(acc, "X", "Y", 202000, 1, 0);
    cr_assert_eq(qala_store_query_observations(s, &qi, acc), QALA_OK);
    cr_assert_eq(qala_dataset_size(acc), 4);
    assert_obs(acc, 0, "X", "Y", 202000, 1, 0);
    assert_obs(acc, 1, "U1", "I2", 202300, 14, 0);

    /* An unknown code in a filter is an error naming it; the dataset is unchanged. */
    const char *nope[] = {"U1", "NOPE"};
    qala_store_query qn = {.units = nope, .nunits = 2};
    cr_assert_eq(qala_store_query_observations(s, &qn, acc), QALA_ENOTFOUND);
    cr_assert(strstr(qala_error_last()->message, "'NOPE'"), "%s", qala_error_last()->message);
    cr_assert_eq(qala_dataset_size(acc), 4);
    /* An empty filter list matches nothing. */
    qala_store_query qe = {.units = nope, .nunits = 0};
    out = query(s, &qe);
    cr_assert_eq(qala_dataset_size(out), 0);
    qala_dataset_free(out);
    qala_dataset_free(acc);
    qala_dataset_free(ds);
    qala_store_close(s);
}

Test(store_import, an_unknown_code_fails_and_leaves_the_file_byte_for_byte)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = base_ds();
    test_import(s, ds, "2024-01-01T00:00:00Z");
    size_t len;
    unsigned char *before = file_after_close(&s, path, &len);

    qala_dataset *bad = new_ds();
    test_add(bad, "U1", "I1", 202100, 99.0, QALA_FLAG_NONE); /* would be a revision */
    test_add(bad, "U3", "I1", 202300, 1.0, QALA_FLAG_NONE);  /* would be new */
    test_add(bad, "ZZ9", "I1", 202300, 1.0, QALA_FLAG_NONE); /* not in the registry */
    qala_batch_info info = {.file = "bad.csv", .sha256 = test_sha};
    qala_batch_result r;
    cr_assert_eq(qala_store_import(s, bad, &info, &r), QALA_ENOTFOUND);
    const qala_error *e = qala_error_last();
    cr_assert_str_eq(e->message, "unit 'ZZ9' is not in the stored registry");
    cr_assert_str_eq(e->file, "bad.csv");
    cr_assert_eq(e->line, 4, "the line recorded with the observation (test_add: index + 2)");
    cr_assert_eq(r.batch, 0);
    cr_assert_eq(r.inserted, 0);

    qala_dataset *badind = new_ds();
    test_add(badind, "U1", "I9", 202100, 1.0, QALA_FLAG_NONE);
    cr_assert_eq(qala_store_import(s, badind, &info, &r), QALA_ENOTFOUND);
    cr_assert_str_eq(qala_error_last()->message, "indicator 'I9' is not in the stored framework");

    qala_store_close(s);
    test_assert_same_file(path, before, len);
    free(before);
    qala_dataset_free(badind);
    qala_dataset_free(bad);
    qala_dataset_free(ds);
}

Test(store_import, a_key_twice_in_one_batch_is_refused)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = new_ds();
    test_add(ds, "U1", "I1", 202100, 1.0, QALA_FLAG_NONE);
    test_add(ds, "U2", "I1", 202100, 1.0, QALA_FLAG_NONE);
    test_add(ds, "U1", "I1", 202100, 2.0, QALA_FLAG_NONE);
    qala_batch_info info = {.file = "dup.csv", .sha256 = test_sha};
    qala_batch_result r;
    cr_assert_eq(qala_store_import(s, ds, &info, &r), QALA_EINVAL);
    cr_assert_str_eq(qala_error_last()->message,
                     "unit 'U1', indicator 'I1', period 2021 appears twice");
    qala_store_counts c;
    cr_assert_eq(qala_store_counts_get(s, &c), QALA_OK);
    cr_assert_eq(c.observations, 0);
    cr_assert_eq(c.batches, 0);
    qala_dataset_free(ds);
    qala_store_close(s);
}

Test(store_import, rejects_a_bad_batch_description)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = base_ds();
    qala_batch_result r;
    qala_batch_info upper = {.file = "a.csv",
                             .sha256 = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"};
    cr_assert_eq(qala_store_import(s, ds, &upper, &r), QALA_EINVAL);
    qala_batch_info shortsha = {.file = "a.csv", .sha256 = "abc"};
    cr_assert_eq(qala_store_import(s, ds, &shortsha, &r), QALA_EINVAL);
    qala_batch_info nofile = {.file = NULL, .sha256 = test_sha};
    cr_assert_eq(qala_store_import(s, ds, &nofile, &r), QALA_EINVAL);
    qala_dataset_free(ds);
    qala_store_close(s);
}

Test(store_import, an_empty_dataset_records_nothing)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = new_ds();
    qala_batch_result r = test_import(s, ds, "2024-01-01T00:00:00Z");
    cr_assert_eq(r.batch, 0);
    qala_store_counts c;
    cr_assert_eq(qala_store_counts_get(s, &c), QALA_OK);
    cr_assert_eq(c.batches, 0);
    qala_dataset_free(ds);
    qala_store_close(s);
}

struct batch_list {
    qala_batch b[4];
    int n, stop_after;
};

static int collect(void *ctx, const qala_batch *b)
{
    struct batch_list *l = ctx;
    l->b[l->n++] = *b;
    return l->n == l->stop_after;
}

Test(store_import, list_batches_gives_them_oldest_first_and_stops_when_asked)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = base_ds();
    qala_batch_info info = {.file = "first.csv", .sha256 = test_sha, .note = "a note"};
    qala_batch_result r;
    cr_assert_eq(qala_store__set_clock(s, "2024-05-06T07:08:09Z"), QALA_OK);
    cr_assert_eq(qala_store_import(s, ds, &info, &r), QALA_OK);
    qala_dataset *more = new_ds();
    test_add(more, "U1", "I1", 202100, 10.75, QALA_FLAG_NONE);
    test_import(s, more, "2024-06-01T00:00:00Z");

    struct batch_list l = {.stop_after = 0};
    cr_assert_eq(qala_store_list_batches(s, collect, &l), QALA_OK);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(l.b[0].id, 1);
    cr_assert_str_eq(l.b[0].file, "first.csv");
    cr_assert_str_eq(l.b[0].sha256, test_sha);
    cr_assert_str_eq(l.b[0].imported_at, "2024-05-06T07:08:09Z");
    cr_assert_eq(l.b[0].inserted, 3);
    cr_assert_eq(l.b[0].revised, 0);
    cr_assert_eq(l.b[1].id, 2);
    cr_assert_str_eq(l.b[1].file, "obs.csv");
    cr_assert_eq(l.b[1].inserted, 0);
    cr_assert_eq(l.b[1].revised, 1);

    struct batch_list one = {.stop_after = 1};
    cr_assert_eq(qala_store_list_batches(s, collect, &one), QALA_OK);
    cr_assert_eq(one.n, 1);
    qala_dataset_free(more);
    qala_dataset_free(ds);
    qala_store_close(s);
}

Test(store_import, many_unsorted_observations_round_trip)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = new_ds();
    /* 3 units x 2 indicators x 121 months, in a scrambled order (a multiplicative
     * permutation of 0..725), so that the radix sort path is taken. */
    const char *units[] = {"U1", "U2", "U3"}, *inds[] = {"I1", "I2"};
    const size_t n = 3 * 2 * 121;
    for (size_t k = 0; k < n; k++) {
        size_t j = (k * 409) % n; /* 409 is prime and does not divide 726 */
        size_t u = j / 242, i = (j / 121) % 2, m = j % 121;
        qala_period p = (qala_period)((2010 + (int)(m / 12)) * 100 + (int)(m % 12) + 1);
        test_add(ds, units[u], inds[i], p, (double)j, 0);
    }
    qala_batch_result r = test_import(s, ds, "2024-01-01T00:00:00Z");
    cr_assert_eq(r.inserted, n);
    qala_dataset *out = query(s, NULL);
    cr_assert_eq(qala_dataset_size(out), n);
    for (size_t j = 0; j < n; j++)
        cr_assert_eq(qala_dataset_values(out)[j], (double)j, "row %zu", j);
    qala_dataset_free(out);
    qala_dataset_free(ds);
    qala_store_close(s);
}

/* Bulk imports go CHUNK (64) rows per statement. A second import of 726 keys where
 * every 7th value changed and 100 keys are new takes the chunk path with a mix of new,
 * unchanged and revised rows inside the same chunks: the counts and the history must be
 * exactly those of the row-by-row rule. */
Test(store_import, chunked_import_counts_new_unchanged_and_revised_rows_in_mixed_chunks)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    const char *units[] = {"U1", "U2", "U3"}, *inds[] = {"I1", "I2"};
    const size_t n = 3 * 2 * 121;
    qala_dataset *first = new_ds(), *second = new_ds();
    size_t expect_revised = 0;
    for (size_t j = 0; j < n; j++) {
        size_t u = j / 242, i = (j / 121) % 2, m = j % 121;
        qala_period p = (qala_period)((2010 + (int)(m / 12)) * 100 + (int)(m % 12) + 1);
        test_add(first, units[u], inds[i], p, (double)j, 0);
        int changed = j % 7 == 0;
        expect_revised += changed;
        test_add(second, units[u], inds[i], p, changed ? (double)j + 0.5 : (double)j, 0);
    }
    for (size_t j = 0; j < 100; j++) /* new keys: the years 2030 to 2038 */
        test_add(second, units[j % 3], inds[j % 2], (qala_period)((2030 + (int)(j / 12)) * 100 + (int)(j % 12) + 1),
                 1000.0 + (double)j, 0);
    qala_batch_result r1 = test_import(s, first, "2024-01-01T00:00:00Z");
    cr_assert_eq(r1.inserted, n);
    qala_batch_result r2 = test_import(s, second, "2024-02-01T00:00:00Z");
    cr_assert_eq(r2.inserted, 100);
    cr_assert_eq(r2.revised, expect_revised);
    cr_assert_eq(r2.unchanged, n - expect_revised);
    cr_assert_eq(test_sql_int(s, "SELECT count(*) FROM observation_history"), (long long)expect_revised);
    cr_assert_eq(test_sql_int(s, "SELECT count(*) FROM observations"), (long long)(n + 100));
    qala_dataset_free(first);
    qala_dataset_free(second);
    qala_store_close(s);
}

typedef struct rows_seen {
    size_t n;
    char unit[8][8];
    qala_period period[8];
    int64_t batch[8];
    long line[8];
} rows_seen;

static int remember_row(void *ctx, const qala_store_row *row)
{
    rows_seen *r = ctx;
    if (r->n < 8) {
        snprintf(r->unit[r->n], sizeof r->unit[0], "%s", row->unit);
        r->period[r->n] = row->period;
        r->batch[r->n] = row->batch;
        r->line[r->n] = row->line;
    }
    r->n++;
    return r->n == 2; /* stop after two rows */
}

/* Provenance: each stored value keeps the batch and the row of the file it came from; a
 * revision moves the old value with its own row to the history. Rows stream through a
 * callback that can stop early. */
Test(store_import, each_observation_streams_rows_with_batch_and_source_line)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *ds = new_ds(); /* test_add numbers the rows 2, 3, 4 (after a header) */
    test_add(ds, "U1", "I1", 202000, 1.0, QALA_FLAG_NONE);
    test_add(ds, "U2", "I1", 202000, 2.0, QALA_FLAG_NONE);
    test_add(ds, "U3", "I1", 202000, 3.0, QALA_FLAG_NONE);
    test_import(s, ds, "2024-01-01T00:00:00Z");
    qala_dataset *rev = new_ds();
    test_add(rev, "U3", "I1", 202000, 9.0, QALA_FLAG_NONE); /* line 2 of the second file */
    test_import(s, rev, "2024-02-01T00:00:00Z");

    rows_seen seen = {0};
    cr_assert_eq(qala_store_each_observation(s, NULL, remember_row, &seen), QALA_OK);
    cr_assert_eq(seen.n, 2, "the callback stopped the query");
    cr_assert_str_eq(seen.unit[1], "U2");
    cr_assert_eq(seen.batch[1], 1);
    cr_assert_eq(seen.line[1], 3);

    const char *u3 = "U3";
    qala_store_query q = {.units = &u3, .nunits = 1};
    rows_seen now = {0};
    cr_assert_eq(qala_store_each_observation(s, &q, remember_row, &now), QALA_OK);
    cr_assert_eq(now.n, 1);
    cr_assert_eq(now.batch[0], 2);
    cr_assert_eq(now.line[0], 2);
    q.as_of = "2024-01-15";
    rows_seen then = {0};
    cr_assert_eq(qala_store_each_observation(s, &q, remember_row, &then), QALA_OK);
    cr_assert_eq(then.n, 1);
    cr_assert_eq(then.batch[0], 1);
    cr_assert_eq(then.line[0], 4, "the history keeps the old value's row");
    qala_dataset_free(rev);
    qala_dataset_free(ds);
    qala_store_close(s);
}

Test(store_import, import_many_stores_every_file_or_none)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_dataset *first = base_ds();
    test_import(s, first, "2024-01-01T00:00:00Z");
    size_t len;
    unsigned char *before = file_after_close(&s, path, &len);

    /* file 1 is fine (a revision and a new key), file 2 names an unknown unit: nothing of
     * file 1 may stay behind */
    qala_dataset *good = new_ds(), *bad = new_ds();
    test_add(good, "U1", "I1", 202100, 12.0, QALA_FLAG_NONE);
    test_add(good, "U3", "I1", 202300, 1.0, QALA_FLAG_NONE);
    test_add(bad, "ZZ9", "I1", 202300, 1.0, QALA_FLAG_NONE);
    const qala_dataset *sets[] = {good, bad};
    qala_batch_info info[] = {{.file = "good.csv", .sha256 = test_sha},
                              {.file = "bad.csv", .sha256 = test_sha}};
    qala_batch_result r[2];
    cr_assert_eq(qala_store_import_many(s, sets, info, 2, r), QALA_ENOTFOUND);
    cr_assert_str_eq(qala_error_last()->file, "bad.csv");
    cr_assert_eq(r[0].batch, 0, "results are zeroed when nothing was stored");
    cr_assert_eq(r[0].inserted, 0);
    qala_store_close(s);
    test_assert_same_file(path, before, len);
    free(before);

    /* both fine, the second changes nothing: one batch recorded, the other none */
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_WRITE), QALA_OK);
    cr_assert_eq(qala_store__set_clock(s, "2024-02-01T00:00:00Z"), QALA_OK);
    qala_dataset *same = new_ds();
    test_add(same, "U2", "I2", 202200, 7.25, QALA_FLAG_NONE); /* as stored by base_ds */
    const qala_dataset *sets2[] = {good, same};
    cr_assert_eq(qala_store_import_many(s, sets2, info, 2, r), QALA_OK, "%s",
                 qala_error_last()->message);
    cr_assert_eq(r[0].batch, 2);
    cr_assert_eq(r[0].inserted, 1);
    cr_assert_eq(r[0].revised, 1);
    cr_assert_eq(r[1].batch, 0, "a file that changes nothing records no batch");
    cr_assert_eq(r[1].unchanged, 1);
    qala_store_counts c;
    cr_assert_eq(qala_store_counts_get(s, &c), QALA_OK);
    cr_assert_eq(c.batches, 2);
    qala_store_close(s);
    qala_dataset_free(good);
    qala_dataset_free(bad);
    qala_dataset_free(same);
    qala_dataset_free(first);
}
