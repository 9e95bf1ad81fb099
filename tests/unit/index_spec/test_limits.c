/* tests/unit/index_spec/test_limits.c — the reader's edges: JSON syntax errors with
 * jansson's line and column, duplicate keys, the size, node and string caps, files (bad
 * ones in tests/data/index/), and allocation failures while loading asem.json.
 */
#include <stdlib.h>

#include "failing_alloc.h"
#include "fixture.h"
#include "qala/defaults.h"

TestSuite(limits, .init = setup, .fini = teardown);

Test(limits, syntax_error_has_line_and_column)
{
    cr_assert_eq(load("{\n  \"qala_index\": 1,\n  \"code\": \"t\" \"x\"\n}"), QALA_EPARSE);
    cr_assert_eq(qala_findings_count(found), 1);
    const qala_finding *f = qala_findings_get(found, 0);
    cr_expect_str_eq(f->rule, "json-syntax");
    cr_expect_eq(f->line, 3);
    /* jansson's column: the last character of the unexpected token "x" (columns 15-17) */
    cr_expect_eq(f->column, 17, "column %ld", f->column);
    cr_expect_str_eq(f->message, "'}' expected near '\"x\"'");
    cr_expect_eq(qala_error_last()->line, 3);
    cr_expect_str_eq(qala_error_last()->file, "t.json");
    cr_expect_null(qala_index_spec_tree(spec));
}

Test(limits, empty_text_and_nul_bytes_are_syntax_errors)
{
    cr_expect_eq(qala_index_spec_load_json(spec, NULL, 0, "e.json", found), QALA_EPARSE);
    static const char nul[] = "{\"qala_index\": 1,\0 \"code\": \"t\"}";
    cr_expect_eq(qala_index_spec_load_json(spec, nul, sizeof nul - 1, "n.json", found),
                 QALA_EPARSE);
}

Test(limits, files_with_syntax_errors_and_duplicate_keys)
{
    cr_assert_eq(qala_index_spec_load_file(spec, QALA_SOURCE_DIR
                 "/tests/data/index/syntax-error.json", found), QALA_EPARSE);
    const qala_finding *f = qala_findings_get(found, 0);
    cr_expect_eq(f->line, 5);
    cr_expect_str_eq(f->file, QALA_SOURCE_DIR "/tests/data/index/syntax-error.json");
    qala_findings_clear(found);
    cr_assert_eq(qala_index_spec_load_file(spec, QALA_SOURCE_DIR
                 "/tests/data/index/duplicate-key.json", found), QALA_EPARSE);
    cr_expect_str_eq(qala_findings_get(found, 0)->message, "duplicate object key near "
                     "'\"code\"'");
}

Test(limits, a_missing_file_is_eio)
{
    cr_expect_eq(qala_index_spec_load_file(spec, "/nonexistent/spec.json", found), QALA_EIO);
    cr_expect_str_eq(qala_error_last()->message, "cannot open index spec "
                     "'/nonexistent/spec.json'");
}

Test(limits, the_shipped_file_loads_from_disk_too)
{
    cr_assert_eq(qala_index_spec_load_file(spec, QALA_SOURCE_DIR "/data/index/asem.json",
                                           found), QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_index_spec_tree(spec)->nindicators, 49);
}

Test(limits, text_over_four_mib_is_refused_before_parsing)
{
    size_t n = ((size_t)4 << 20) + 1;
    char *big = malloc(n);
    cr_assert_not_null(big);
    memset(big, ' ', n);
    qala_status st = qala_index_spec_load_json(spec, big, n, "big.json", found);
    free(big);
    cr_expect_eq(st, QALA_ELIMIT);
    EXPECT_FINDING("limit", "the spec has 4194305 bytes; the limit is 4194304");
}

Test(limits, more_than_100000_nodes_are_refused)
{
    size_t n = 100001, cap = n * 16 + 200, len = 0;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    len += (size_t)snprintf(s + len, cap - len, "{\"qala_index\": 1, \"code\": \"t\", "
                            "\"indicators\": [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len, "%s{}", i ? "," : "");
    len += (size_t)snprintf(s + len, cap - len, "]}");
    qala_status st = qala_index_spec_load_json(spec, s, len, "many.json", found);
    free(s);
    cr_expect_eq(st, QALA_ELIMIT);
    EXPECT_FINDING("limit", "100001 indicators and aggregates; the limit is 100000");
}

Test(limits, a_long_chain_of_aggregates_resolves)
{
    /* 2000 aggregates in one chain: levels 2..2001, no recursion anywhere */
    size_t n = 2000, cap = n * 64 + 200, len = 0;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    len += (size_t)snprintf(s + len, cap - len, "{\"qala_index\": 1, \"code\": \"t\", "
                            "\"indicators\": [{\"code\": \"x\", \"parent\": \"A0\"}], "
                            "\"aggregates\": [");
    for (size_t i = 0; i < n; i++)
        if (i + 1 < n)
            len += (size_t)snprintf(s + len, cap - len, "{\"code\": \"A%zu\", \"parent\": "
                                    "\"A%zu\"},", i, i + 1);
        else
            len += (size_t)snprintf(s + len, cap - len, "{\"code\": \"A%zu\"}]}", i);
    qala_status st = qala_index_spec_load_json(spec, s, len, "chain.json", found);
    free(s);
    cr_assert_eq(st, QALA_OK, "%s", qala_error_last()->message);
    cr_expect_eq(qala_index_spec_tree(spec)->nlevels, 2001);
}

Test(limits, over_long_strings_are_refused)
{
    char code[300];
    memset(code, 'a', sizeof code - 1);
    code[sizeof code - 1] = '\0';
    char json[600];
    snprintf(json, sizeof json, SPEC_HEAD "\"indicators\": [{\"code\": \"x\", \"parent\": "
             "\"I\", \"denominator\": \"%s\"}], \"aggregates\": [{\"code\": \"I\"}]}", code);
    cr_expect_eq(load(json), QALA_EDATA);
    EXPECT_FINDING("too-long", "indicators[0] 'x': denominator must be a string of at most "
                   "128 bytes without NUL characters");
}

Test(limits, deep_nesting_is_refused_by_jansson)
{
    size_t depth = 100000;
    char *s = malloc(2 * depth);
    cr_assert_not_null(s);
    memset(s, '[', depth);
    memset(s + depth, ']', depth);
    cr_expect_eq(qala_index_spec_load_json(spec, s, 2 * depth, "deep.json", found),
                 QALA_EPARSE);
    free(s);
}

/* Each allocation of libqala fails in turn while asem.json is loaded: a clean
 * QALA_ENOMEM with an empty spec, or a complete load; ASan checks that nothing leaks.
 * jansson's own allocations are not routed through the hook. */
Test(limits, allocation_failures_while_loading_asem_leave_nothing)
{
    long n = 0;
    fail_at = -1;
    calls = 0;
    qala_allocator_set(&failing_allocator);
    qala_status st = qala_index_spec_load_default(spec, "asem", found);
    qala_allocator_set(NULL);
    cr_assert_eq(st, QALA_OK);
    n = calls;
    cr_assert_gt(n, 60, "loading asem.json allocates per node (%ld)", n);
    size_t failures = 0;
    for (fail_at = 0; fail_at < n; fail_at++) {
        calls = 0;
        qala_findings_clear(found);
        qala_allocator_set(&failing_allocator);
        st = qala_index_spec_load_default(spec, "asem", found);
        qala_allocator_set(NULL);
        if (st == QALA_ENOMEM) {
            failures++;
            cr_expect_null(qala_index_spec_tree(spec), "fail_at %ld", fail_at);
            cr_expect_str_eq(qala_index_spec_code(spec), "", "fail_at %ld", fail_at);
        } else {
            cr_assert_eq(st, QALA_OK, "fail_at %ld: %d %s", fail_at, st,
                         qala_error_last()->message);
            cr_expect_eq(qala_index_spec_tree(spec)->nnodes, 60, "fail_at %ld", fail_at);
        }
    }
    cr_expect_gt(failures, 0);
}

/* The same for a spec with errors: the findings list's own allocations fail too. */
Test(limits, allocation_failures_while_reporting_errors_leave_nothing)
{
    static const char *bad = SPEC_HEAD "\"indicators\": [{\"code\": \"a\", \"parent\": \"P\", "
                             "\"weight\": -1}, {\"code\": \"b\"}], \"aggregates\": [{\"code\": "
                             "\"P\", \"parent\": \"I\"}, {\"code\": \"I\"}]}";
    fail_at = -1;
    calls = 0;
    qala_allocator_set(&failing_allocator);
    qala_status st = load(bad);
    qala_allocator_set(NULL);
    cr_assert_eq(st, QALA_EDATA);
    long n = calls;
    for (fail_at = 0; fail_at < n; fail_at++) {
        calls = 0;
        qala_allocator_set(&failing_allocator);
        st = load(bad);
        qala_allocator_set(NULL);
        cr_expect(st == QALA_ENOMEM || st == QALA_EDATA, "fail_at %ld: %d", fail_at, st);
        cr_expect_null(qala_index_spec_tree(spec));
    }
}
