/* tests/fuzz/fuzz_index_spec.c — libFuzzer target for the index-spec reader
 * (qala_index_spec_load_json, docs/index-spec.md).
 *
 * The input is the JSON text. Seed corpus: the shipped specs in data/index/ (no copies):
 *   build-fuzz/tests/fuzz/fuzz_index_spec -max_total_time=300 corpus_dir/ data/index/
 * Checked: no crash or sanitizer report; the status is one of the documented ones; a
 * failed load leaves no tree and reports at least one finding (or is out of memory); a
 * successful load gives a tree that passes qala_index_tree_check, whose every node is
 * found by its code at its own index, and whose weight sets can all be used.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qala/findings.h"
#include "qala/index_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qala_index_spec *spec = NULL;
    qala_findings *f = NULL;
    if (qala_index_spec_new(&spec) != QALA_OK || qala_findings_new(&f) != QALA_OK)
        abort();
    qala_status st = qala_index_spec_load_json(spec, (const char *)data, size, "fuzz.json", f);
    const qala_index_tree *t = qala_index_spec_tree(spec);
    if (st == QALA_OK) {
        if (!t || qala_index_tree_check(t) != QALA_OK || qala_findings_errors(f) != 0)
            abort();
        for (size_t i = 0; i < t->nnodes; i++) {
            size_t k = SIZE_MAX;
            if (qala_index_spec_find(spec, t->nodes[i].code, &k) != QALA_OK || k != i)
                abort();
        }
        const char *set;
        for (size_t s = 0; (set = qala_index_spec_weight_set(spec, s)); s++)
            if (qala_index_spec_use_weights(spec, set) != QALA_OK ||
                qala_index_tree_check(t) != QALA_OK)
                abort();
    } else if (st == QALA_EPARSE || st == QALA_EDATA || st == QALA_ELIMIT) {
        if (t || qala_findings_errors(f) == 0 || qala_index_spec_code(spec)[0])
            abort();
    } else if (st != QALA_ENOMEM) {
        abort();
    }
    qala_findings_free(f);
    qala_index_spec_free(spec);
    return 0;
}
