#define _POSIX_C_SOURCE 200809L
/* bench/bench_import.c — parse + validate a long CSV into memory with libqala, then
 * store it in a fresh SQLite database; prints seconds, observations per second and
 * the peak resident memory, as key=value lines read by bench/run_import.sh.
 * The registry and framework are synthetic (fictional U000001… and I001…), sized by
 * N and K. Usage: bench_import FILE N K DB (DB "-": parse only)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "qala/qala.h"
#define BENCH_PROGRAM "bench_import"
#include "bench_util.h"

static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_import FILE N K DB\n");
        return 2;
    }
    long n = atol(argv[2]), k = atol(argv[3]);
    qala_registry *reg;
    qala_framework *fw;
    if (qala_registry_new(&reg) || qala_framework_new(&fw))
        die("setup");
    char code[32];
    qala_unit country = {"XX", QALA_UNIT_COUNTRY, "", 0.0 / 0.0, 0.0 / 0.0, QALA_DATE_MIN, QALA_DATE_MAX, "synthetic"};
    size_t idx;
    if (qala_registry_add_unit(reg, &country, &idx))
        die("unit");
    for (long u = 1; u <= n; u++) {
        snprintf(code, sizeof code, "U%06ld", u);
        qala_unit unit = {code, QALA_UNIT_CITY, "", 0.0 / 0.0, 0.0 / 0.0, QALA_DATE_MIN, QALA_DATE_MAX, "synthetic"};
        if (qala_registry_add_unit(reg, &unit, &idx))
            die("unit");
    }
    for (long i = 1; i <= k; i++) {
        snprintf(code, sizeof code, "I%03ld", i);
        qala_indicator ind = {code, QALA_DOMAIN_ECONOMY, 1, "index", 2, 0, 1e9,
                              {code, code, code}, "synthetic", "synthetic"};
        if (qala_framework_add(fw, &ind, &idx))
            die("indicator");
    }
    long base_kib = peak_kib();
    qala_dataset *ds;
    qala_findings *f;
    if (qala_dataset_new(&ds) || qala_findings_new(&f))
        die("setup");
    qala_import_stats stats;
    double t0 = now();
    qala_status st = qala_import_file(ds, f, &stats, argv[1], NULL, reg, fw, NULL);
    double t1 = now();
    if (st != QALA_OK) {
        fprintf(stderr, "bench_import: %zu errors, first: %s\n", qala_findings_errors(f),
                qala_findings_count(f) ? qala_findings_get(f, 0)->message : "?");
        return 1;
    }
    long parse_kib = peak_kib();
    printf("observations=%zu\nparse_seconds=%.3f\nparse_obs_per_second=%.0f\n", qala_dataset_size(ds), t1 - t0,
           qala_dataset_size(ds) / (t1 - t0));
    printf("parse_peak_kib=%ld\nbaseline_kib=%ld\n", parse_kib, base_kib);
    fflush(stdout);
    if (strcmp(argv[4], "-") == 0) /* parse only */
        return 0;

    unlink(argv[4]);
    qala_store *store;
    if (qala_store_open(&store, argv[4], QALA_STORE_CREATE) || qala_store_save_registry(store, reg) ||
        qala_store_save_framework(store, fw))
        die("store");
    qala_batch_info info = {argv[1], "0000000000000000000000000000000000000000000000000000000000000000", "bench"};
    qala_batch_result res;
    double t2 = now();
    if (qala_store_import(store, ds, &info, &res))
        die("store import");
    double t3 = now();
    printf("store_seconds=%.3f\nstore_obs_per_second=%.0f\n", t3 - t2, res.inserted / (t3 - t2));
    qala_store_close(store);
    qala_dataset_free(ds);
    qala_findings_free(f);
    qala_registry_free(reg);
    qala_framework_free(fw);
    return 0;
}
