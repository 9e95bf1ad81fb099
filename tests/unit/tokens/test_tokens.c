/* tests/unit/tokens/test_tokens.c — the bearer tokens of `qala serve` (src/store/store_tokens.c)
 * and the schema migration that adds their table (version 2 -> 3). */
#include <criterion/criterion.h>
#include <string.h>

#include "qala/server.h"
#include "store/store_test.h"

static qala_store *open_new(char path[static 256])
{
    test_db_path(path, "tokens.db");
    qala_store *s = NULL;
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_CREATE), QALA_OK, "%s", qala_error_last()->message);
    return s;
}

Test(tokens, a_new_token_is_64_hex_digits_and_only_its_sha256_is_stored)
{
    char path[256], token[QALA_TOKEN_SIZE];
    qala_store *s = open_new(path);
    int64_t id = 0;
    cr_assert_eq(qala_token_create(s, "uploader", token, &id), QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(strlen(token), 64);
    cr_expect_eq(strspn(token, "0123456789abcdef"), 64);
    cr_expect_eq(id, 1);
    char sha[65];
    qala_sha256_hex(sha, token, 64);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM tokens WHERE sha256 = '%s'", sha);
    cr_expect_eq(test_sql_int(s, sql), 1, "the hash is stored");
    snprintf(sql, sizeof sql, "SELECT count(*) FROM tokens WHERE sha256 = '%s' OR name = '%s'", token, token);
    cr_expect_eq(test_sql_int(s, sql), 0, "the token itself is not");
    qala_store_close(s);
    /* and not anywhere in the file's bytes either */
    size_t len;
    unsigned char *bytes = test_read_file(path, &len);
    int found = 0;
    for (size_t i = 0; i + 64 <= len && !found; i++)
        found = memcmp(bytes + i, token, 64) == 0;
    cr_expect(!found);
    free(bytes);
}

Test(tokens, two_tokens_differ)
{
    char path[256], a[QALA_TOKEN_SIZE], b[QALA_TOKEN_SIZE];
    qala_store *s = open_new(path);
    cr_assert_eq(qala_token_create(s, NULL, a, NULL), QALA_OK);
    cr_assert_eq(qala_token_create(s, NULL, b, NULL), QALA_OK);
    cr_expect_str_neq(a, b);
    qala_store_close(s);
}

Test(tokens, verify_accepts_the_token_and_refuses_others)
{
    char path[256], token[QALA_TOKEN_SIZE];
    qala_store *s = open_new(path);
    cr_assert_eq(qala_token_create(s, "ci", token, NULL), QALA_OK);
    qala_token_info info;
    cr_assert_eq(qala_token_verify(s, token, &info), QALA_OK);
    cr_expect_str_eq(info.name, "ci");
    cr_expect_eq(info.id, 1);
    cr_expect_str_eq(info.revoked_at, "");
    char other[QALA_TOKEN_SIZE];
    memcpy(other, token, sizeof other);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    cr_expect_eq(qala_token_verify(s, other, NULL), QALA_ENOTFOUND);
    cr_expect_eq(qala_token_verify(s, "", NULL), QALA_ENOTFOUND);
    cr_expect_eq(qala_token_verify(s, "secret", NULL), QALA_ENOTFOUND);
    char upper[QALA_TOKEN_SIZE];
    for (size_t i = 0; i < sizeof upper; i++)
        upper[i] = (char)(token[i] >= 'a' && token[i] <= 'f' ? token[i] - 32 : token[i]);
    cr_expect_eq(qala_token_verify(s, strcmp(upper, token) ? upper : "X", NULL), QALA_ENOTFOUND,
                 "only the lowercase form is a token");
    /* the stored hash itself is not a token */
    char sha[65];
    qala_sha256_hex(sha, token, 64);
    cr_expect_eq(qala_token_verify(s, sha, NULL), QALA_ENOTFOUND);
    qala_store_close(s);
}

static int count_tokens(void *ctx, const qala_token_info *t)
{
    size_t *n = ctx;
    n[0]++;
    n[1] += t->revoked_at[0] != '\0';
    return 0;
}

Test(tokens, a_revoked_token_is_refused_and_stays_in_the_list)
{
    char path[256], token[QALA_TOKEN_SIZE], keep[QALA_TOKEN_SIZE];
    qala_store *s = open_new(path);
    cr_assert_eq(qala_store__set_clock(s, "2026-01-02T03:04:05Z"), QALA_OK);
    cr_assert_eq(qala_token_create(s, "old", token, NULL), QALA_OK);
    cr_assert_eq(qala_token_create(s, "new", keep, NULL), QALA_OK);
    cr_assert_eq(qala_token_revoke(s, "old"), QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_token_verify(s, token, NULL), QALA_ENOTFOUND);
    cr_expect_eq(qala_token_verify(s, keep, NULL), QALA_OK, "the other token still works");
    cr_expect_eq(qala_token_revoke(s, "old"), QALA_ENOTFOUND, "already revoked");
    cr_expect_str_eq(qala_error_last()->message, "no valid token named 'old'");
    size_t n[2] = {0, 0};
    cr_assert_eq(qala_token_each(s, count_tokens, n), QALA_OK);
    cr_expect_eq(n[0], 2);
    cr_expect_eq(n[1], 1);
    cr_expect_eq(test_sql_int(s, "SELECT count(*) FROM tokens WHERE revoked_at = '2026-01-02T03:04:05Z'"), 1);
    qala_store_close(s);
}

Test(tokens, revoke_by_id_and_an_ambiguous_name)
{
    char path[256], a[QALA_TOKEN_SIZE], b[QALA_TOKEN_SIZE];
    qala_store *s = open_new(path);
    int64_t ida, idb;
    cr_assert_eq(qala_token_create(s, "same", a, &ida), QALA_OK);
    cr_assert_eq(qala_token_create(s, "same", b, &idb), QALA_OK);
    cr_expect_eq(qala_token_revoke(s, "same"), QALA_EAMBIGUOUS);
    cr_expect_eq(qala_token_verify(s, a, NULL), QALA_OK, "nothing revoked on an error");
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)idb);
    cr_expect_eq(qala_token_revoke(s, id), QALA_OK);
    cr_expect_eq(qala_token_verify(s, b, NULL), QALA_ENOTFOUND);
    cr_expect_eq(qala_token_verify(s, a, NULL), QALA_OK);
    cr_expect_eq(qala_token_revoke(s, "99"), QALA_ENOTFOUND);
    cr_expect_eq(qala_token_revoke(s, "same"), QALA_OK, "now only one is valid");
    qala_store_close(s);
}

Test(tokens, bad_names_and_a_read_only_store_are_refused)
{
    char path[256], token[QALA_TOKEN_SIZE];
    qala_store *s = open_new(path);
    cr_expect_eq(qala_token_create(s, "", token, NULL), QALA_EINVAL);
    char longname[200];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    cr_expect_eq(qala_token_create(s, longname, token, NULL), QALA_EINVAL);
    cr_expect_str_eq(token, "", "no token on an error");
    qala_store_close(s);
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_ONLY), QALA_OK);
    cr_expect_eq(qala_token_create(s, "x", token, NULL), QALA_EDB);
    cr_expect_eq(test_sql_int(s, "SELECT count(*) FROM tokens"), 0);
    qala_store_close(s);
}

Test(tokens, a_version_2_database_gets_the_tokens_table_on_open)
{
    char path[256];
    qala_store *s = test_open_seeded(path);
    cr_assert_eq(qala_store_schema_version(s), 3);
    /* Make it a version 2 file again: without the table the third migration adds. */
    test_exec(s, "DROP TABLE tokens; PRAGMA user_version = 2");
    qala_store_close(s);
    /* read-only: refused, the file untouched */
    cr_expect_eq(qala_store_open(&s, path, QALA_STORE_READ_ONLY), QALA_EDB);
    cr_expect(strstr(qala_error_last()->message, "version 2 is older") != NULL, "%s", qala_error_last()->message);
    cr_assert_eq(qala_store_open(&s, path, QALA_STORE_READ_WRITE), QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_store_schema_version(s), 3);
    cr_expect_eq(test_sql_int(s, "PRAGMA user_version"), 3);
    cr_expect_eq(test_sql_int(s, "SELECT count(*) FROM units"), 3, "the data survived the migration");
    char token[QALA_TOKEN_SIZE];
    cr_expect_eq(qala_token_create(s, "after", token, NULL), QALA_OK);
    cr_expect_eq(qala_token_verify(s, token, NULL), QALA_OK);
    qala_store_close(s);
}
