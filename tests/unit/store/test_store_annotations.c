/* Annotations (an analyst's verdict and note on a flag) and the migration that added
 * them (schema version 2). Fictional units U1..U3 and indicators I1, I2. */
#include "store_test.h"

typedef struct seen {
    size_t n;
    char verdict[8][16], note[8][64], author[8][16], created[8][24];
    qala_period period[8];
} seen;

static int collect(void *ctx, const qala_annotation *a)
{
    seen *s = ctx;
    if (s->n < 8) {
        snprintf(s->verdict[s->n], 16, "%s", qala_verdict_code(a->verdict));
        snprintf(s->note[s->n], 64, "%s", a->note);
        snprintf(s->author[s->n], 16, "%s", a->author);
        snprintf(s->created[s->n], 24, "%s", a->created_at);
        s->period[s->n] = a->period;
    }
    s->n++;
    return 0;
}

Test(store_annotations, the_latest_reading_is_in_force_and_the_earlier_ones_stay)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    cr_assert_eq(qala_store__set_clock(s, "2025-03-01T10:00:00Z"), QALA_OK);
    qala_annotation a = {"U2", "I1", 202200, QALA_VERDICT_WATCH, "check the 2022 break", "aigerim", NULL};
    cr_assert_eq(qala_store_annotate(s, &a), QALA_OK, "%s", qala_error_last()->message);
    cr_assert_eq(qala_store__set_clock(s, "2025-04-01T10:00:00Z"), QALA_OK);
    a.verdict = QALA_VERDICT_DISMISSED;
    a.note = "break in series after the 2022 split";
    cr_assert_eq(qala_store_annotate(s, &a), QALA_OK);
    qala_annotation other = {"U3", "I2", 202100, QALA_VERDICT_CONFIRMED, NULL, "daniyar", NULL};
    cr_assert_eq(qala_store_annotate(s, &other), QALA_OK);

    seen all = {0};
    cr_assert_eq(qala_store_each_annotation(s, NULL, 0, collect, &all), QALA_OK);
    cr_assert_eq(all.n, 3);
    cr_expect_str_eq(all.verdict[0], "watch");
    cr_expect_str_eq(all.created[0], "2025-03-01T10:00:00Z");

    seen latest = {0};
    cr_assert_eq(qala_store_each_annotation(s, "U2", 1, collect, &latest), QALA_OK);
    cr_assert_eq(latest.n, 1);
    cr_expect_str_eq(latest.verdict[0], "dismissed");
    cr_expect_str_eq(latest.note[0], "break in series after the 2022 split");
    cr_expect_str_eq(latest.author[0], "aigerim");
    cr_expect_eq(latest.period[0], 202200);
    cr_expect_str_eq(latest.created[0], "2025-04-01T10:00:00Z");
    qala_store_close(s);
}

Test(store_annotations, unknown_codes_and_a_missing_author_are_refused)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    qala_annotation a = {"U9", "I1", 202200, QALA_VERDICT_WATCH, NULL, "aigerim", NULL};
    cr_expect_eq(qala_store_annotate(s, &a), QALA_ENOTFOUND);
    cr_expect_str_eq(qala_error_last()->message, "unit 'U9' is not in the store");
    a.unit = "U1";
    a.indicator = "I7";
    cr_expect_eq(qala_store_annotate(s, &a), QALA_ENOTFOUND);
    cr_expect_str_eq(qala_error_last()->message, "indicator 'I7' is not in the store");
    a.indicator = "I1";
    a.author = "";
    cr_expect_eq(qala_store_annotate(s, &a), QALA_EINVAL);
    qala_verdict v;
    cr_expect_eq(qala_verdict_parse(&v, "maybe"), QALA_EINVAL);
    cr_expect_eq(qala_verdict_parse(&v, "Confirmed"), QALA_OK);
    cr_expect_eq(v, QALA_VERDICT_CONFIRMED);
    qala_store_close(s);
}

Test(store_annotations, a_version_1_database_is_migrated_to_version_2_on_open)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    cr_assert_eq(qala_store_schema_version(s), qala_store__latest_version());
    /* Make it a version 1 file again: without the tables the later migrations add. */
    test_exec(s, "DROP TABLE annotations; DROP TABLE threshold_files; DROP TABLE tokens; PRAGMA user_version = 1");
    qala_store_close(s);
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_WRITE), QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_store_schema_version(s), qala_store__latest_version());
    cr_expect_eq(test_sql_int(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'annotations'"), 1);
    cr_expect_eq(test_sql_int(s, "SELECT count(*) FROM units"), 3, "the data survived the migration");
    qala_store_close(s);
}

typedef struct files_seen {
    size_t n;
    char label[4][32];
    char text[4][64];
} files_seen;

static int collect_file(void *ctx, const char *label, const char *text, size_t len)
{
    files_seen *f = ctx;
    if (f->n < 4) {
        snprintf(f->label[f->n], 32, "%s", label);
        snprintf(f->text[f->n], 64, "%.*s", (int)len, text);
    }
    f->n++;
    return 0;
}

Test(store_threshold_files, a_file_is_kept_by_label_and_replaced_when_it_changes)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    cr_assert_eq(qala_store_save_threshold_file(s, "a.csv", "set,indicator\nx,I1\n", 19), QALA_OK);
    cr_assert_eq(qala_store_save_threshold_file(s, "b.csv", "set,indicator\ny,I2\n", 19), QALA_OK);
    cr_assert_eq(qala_store_save_threshold_file(s, "a.csv", "set,indicator\nz,I1\n", 19), QALA_OK);
    files_seen f = {0};
    cr_assert_eq(qala_store_each_threshold_file(s, collect_file, &f), QALA_OK);
    cr_assert_eq(f.n, 2);
    cr_expect_str_eq(f.label[0], "a.csv");
    cr_expect_str_eq(f.text[0], "set,indicator\nz,I1\n");
    cr_expect_str_eq(f.label[1], "b.csv");
    qala_store_close(s);
}
