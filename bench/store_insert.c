/* bench/store_insert.c — how fast qala_store_import stores new observations.
 *
 * Usage: bench_store_insert [N] [DB]   (N = 1000000 by default; DB defaults to a new file
 * in $TMPDIR). Builds a synthetic registry and framework with fictional codes
 * (U000001…, I001…), a dataset of N observations over them (yearly periods from 2000),
 * then times one import into the empty store, and a second import of the same data
 * (all unchanged), and prints observations per second for both.
 * The units and indicators are put straight into the tables with SQL through the
 * store's test handle, so that the benchmark needs only the store and the dataset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qala/dataset.h"
#include "qala/store.h"
#include "store/store_internal.h"
#define BENCH_PROGRAM "bench_store_insert"
#include "bench_util.h"

static int fail(const char *what)
{
    fprintf(stderr, "bench_store_insert: %s: %s\n", what, qala_error_last()->message);
    return 1;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    char path[512];
    if (argc > 2) {
        snprintf(path, sizeof path, "%s", argv[2]);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/qala_bench_%ld.db", tmp ? tmp : "/tmp", (long)getpid());
    }
    /* 100 indicators x 25 years per unit: 2500 observations per unit. */
    const size_t nind = 100, nyears = 25;
    size_t nunits = (n + nind * nyears - 1) / (nind * nyears);
    if (nunits == 0)
        nunits = 1;

    qala_store *store;
    if (qala_store_open(&store, path, QALA_STORE_CREATE) != QALA_OK)
        return fail("open");
    char sql[256];
    if (qala_store__exec(store, "BEGIN") != QALA_OK)
        return fail("begin");
    for (size_t u = 1; u <= nunits; u++) {
        snprintf(sql, sizeof sql, "INSERT INTO units(code, kind, valid_from, valid_to)"
                                  " VALUES('U%06zu', 'city', 0, 99991231)", u);
        if (qala_store__exec(store, sql) != QALA_OK)
            return fail("units");
    }
    for (size_t i = 1; i <= nind; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO indicators(code, domain, direction, decimals)"
                                  " VALUES('I%03zu', 'economy', 1, 1)", i);
        if (qala_store__exec(store, sql) != QALA_OK)
            return fail("indicators");
    }
    if (qala_store__exec(store, "COMMIT") != QALA_OK)
        return fail("commit");

    qala_dataset *ds;
    if (qala_dataset_new(&ds) != QALA_OK || qala_dataset_reserve(ds, n) != QALA_OK)
        return fail("dataset");
    char code[32];
    uint32_t uid = 0, iid;
    size_t k = 0;
    for (size_t u = 1; u <= nunits && k < n; u++) {
        snprintf(code, sizeof code, "U%06zu", u);
        if (qala_dataset_intern_unit(ds, code, &uid) != QALA_OK)
            return fail("intern");
        for (size_t i = 1; i <= nind && k < n; i++) {
            snprintf(code, sizeof code, "I%03zu", i);
            if (qala_dataset_intern_indicator(ds, code, &iid) != QALA_OK)
                return fail("intern");
            for (size_t y = 0; y < nyears && k < n; y++, k++) {
                double v = (double)((u * 7919 + i * 104729 + y * 13) % 100000) / 10.0;
                if (qala_dataset_append(ds, uid, iid, (qala_period)((2000 + y) * 100), v,
                                        QALA_FLAG_NONE, (uint32_t)k + 2) != QALA_OK)
                    return fail("append");
            }
        }
    }

    qala_batch_info info = {
        .file = "synthetic.csv",
        .sha256 = "0000000000000000000000000000000000000000000000000000000000000000",
    };
    qala_batch_result res;
    double t0 = now();
    if (qala_store_import(store, ds, &info, &res) != QALA_OK)
        return fail("import");
    double t1 = now();
    printf("new:       %zu observations in %.3f s: %.0f observations/s (inserted %zu)\n", n,
           t1 - t0, (double)n / (t1 - t0), res.inserted);
    t0 = now();
    if (qala_store_import(store, ds, &info, &res) != QALA_OK)
        return fail("re-import");
    t1 = now();
    printf("unchanged: %zu observations in %.3f s: %.0f observations/s (unchanged %zu)\n", n,
           t1 - t0, (double)n / (t1 - t0), res.unchanged);

    qala_dataset_free(ds);
    qala_store_close(store);
    if (argc <= 2) {
        unlink(path);
        char side[600];
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    return 0;
}
