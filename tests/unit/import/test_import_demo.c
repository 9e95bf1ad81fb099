/* qala_import_demo: the embedded demo statistics (real BNS RK figures, data/demo/) into a
 * dataset against the embedded registry and framework — every demo/NAME.csv table, the same
 * observations as importing the tables one by one, nothing else embedded (the registry,
 * framework and threshold tables are not statistics), with or without a findings list. */
#include <criterion/criterion.h>
#include <string.h>

#include "qala/qala.h"

static qala_registry *R;
static qala_framework *F;

static void setup(void)
{
    cr_assert_eq(qala_registry_new(&R), QALA_OK);
    cr_assert_eq(qala_registry_load_default(R, NULL), QALA_OK);
    cr_assert_eq(qala_framework_new(&F), QALA_OK);
    cr_assert_eq(qala_framework_load_default(F, NULL), QALA_OK);
}

static void teardown(void)
{
    qala_framework_free(F);
    qala_registry_free(R);
}

TestSuite(import_demo, .init = setup, .fini = teardown);

Test(import_demo, every_demo_table_and_only_those)
{
    /* the reference: each demo/NAME.csv imported on its own, counted */
    size_t tables = 0, observations = 0;
    for (size_t i = 0; qala_default_data_name(i); i++) {
        const char *name = qala_default_data_name(i);
        size_t n = strlen(name), len;
        if (strncmp(name, "demo/", 5) != 0 || n < 4 || strcmp(name + n - 4, ".csv") != 0)
            continue;
        qala_dataset *one;
        qala_findings *f;
        cr_assert_eq(qala_dataset_new(&one), QALA_OK);
        cr_assert_eq(qala_findings_new(&f), QALA_OK);
        const char *bytes = qala_default_data(name, &len);
        cr_assert_eq(qala_import_buffer(one, f, NULL, bytes, len, name, R, F, NULL), QALA_OK,
                     "%s", name);
        observations += qala_dataset_size(one);
        tables++;
        qala_findings_free(f);
        qala_dataset_free(one);
    }
    cr_assert_geq(tables, 5, "the demo has its tables (%zu)", tables);
    qala_dataset *all;
    qala_findings *f;
    cr_assert_eq(qala_dataset_new(&all), QALA_OK);
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_import_demo(all, f, R, F), QALA_OK);
    cr_assert_eq(qala_dataset_size(all), observations, "%zu observations from %zu tables",
                 qala_dataset_size(all), tables);
    cr_assert_eq(qala_findings_errors(f), 0);
    qala_findings_free(f);
    /* without a findings list: the same */
    qala_dataset *again;
    cr_assert_eq(qala_dataset_new(&again), QALA_OK);
    cr_assert_eq(qala_import_demo(again, NULL, R, F), QALA_OK);
    cr_assert_eq(qala_dataset_size(again), observations);
    qala_dataset_free(again);
    qala_dataset_free(all);
}
