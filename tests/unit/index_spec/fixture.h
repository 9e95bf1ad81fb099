/* tests/unit/index_spec/fixture.h — helpers of the index-spec tests: load a JSON text,
 * look for a finding by rule and exact message, and a small valid spec to start from.
 */
#ifndef QALA_TEST_INDEX_SPEC_FIXTURE_H
#define QALA_TEST_INDEX_SPEC_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "qala/findings.h"
#include "qala/index_spec.h"

static qala_index_spec *spec;
static qala_findings *found;

static inline void setup(void)
{
    cr_assert_eq(qala_index_spec_new(&spec), QALA_OK);
    cr_assert_eq(qala_findings_new(&found), QALA_OK);
}

static inline void teardown(void)
{
    qala_index_spec_free(spec);
    qala_findings_free(found);
}

static inline qala_status load(const char *json)
{
    qala_findings_clear(found);
    return qala_index_spec_load_json(spec, json, strlen(json), "t.json", found);
}

/* Prints the findings (to see them when a test fails). */
static inline void dump_findings(void)
{
    for (size_t i = 0; i < qala_findings_count(found); i++) {
        const qala_finding *f = qala_findings_get(found, i);
        fprintf(stderr, "  %s:%ld:%ld: %s [%s] %s\n", f->file, f->line, f->column,
                f->severity == QALA_SEVERITY_ERROR ? "error" : "warning", f->rule, f->message);
    }
}

/* 1 when a finding with this rule and exactly this message is there. */
static inline int has_finding(const char *rule, const char *message)
{
    for (size_t i = 0; i < qala_findings_count(found); i++) {
        const qala_finding *f = qala_findings_get(found, i);
        if (strcmp(f->rule, rule) == 0 && strcmp(f->message, message) == 0)
            return 1;
    }
    dump_findings();
    return 0;
}

#define EXPECT_FINDING(rule, msg) \
    cr_expect(has_finding(rule, msg), "no finding [%s] %s", rule, msg)

/* A small valid spec; HEAD, the indicator part and the aggregate part can be changed.
 * Two pillars under one index. */
#define SPEC_HEAD "{\"qala_index\": 1, \"code\": \"t\", "
#define SPEC_INDICATORS \
    "\"indicators\": [" \
    "{\"code\": \"a\", \"parent\": \"P\"}," \
    "{\"code\": \"b\", \"parent\": \"P\", \"direction\": -1}," \
    "{\"code\": \"c\", \"parent\": \"Q\"}]"
#define SPEC_AGGREGATES \
    "\"aggregates\": [" \
    "{\"code\": \"P\", \"parent\": \"I\"}," \
    "{\"code\": \"Q\", \"parent\": \"I\"}," \
    "{\"code\": \"I\"}]"
#define SPEC_OK SPEC_HEAD SPEC_INDICATORS ", " SPEC_AGGREGATES "}"

#endif
