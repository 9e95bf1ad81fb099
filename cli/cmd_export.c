/* cli/cmd_export.c — `qala export`: stored observations as CSV or JSON with stable
 * columns unit,indicator,period,value,flag,batch; `--as-of` gives what was known then.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Splits "a,b,c" in place into at most max pieces. */
static size_t split(char *s, const char **out, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
        out[n++] = tok;
    return n;
}

int cmd_export(cli_ctx *ctx, int argc, char **argv)
{
    const char *units = NULL, *indicators = NULL, *from = NULL, *to = NULL, *as_of = NULL;
    const cli_option options[] = {{"unit", 1, &units}, {"indicator", 1, &indicators}, {"from", 1, &from},
                                  {"to", 1, &to}, {"as-of", 1, &as_of}, {NULL, 0, NULL}};
    int npos, rc = cli_parse(ctx, argc, argv, options, NULL, 0, &npos, "export");
    if (rc)
        return rc;
    if (ctx->format == FORMAT_TABLE)
        ctx->format = FORMAT_CSV;
    qala_store_query q = {0};
    if ((from && qala_period_parse(&q.period_min, from, strlen(from)) != QALA_OK) ||
        (to && qala_period_parse(&q.period_max, to, strlen(to)) != QALA_OK)) {
        fprintf(ctx->err, "qala export: %s\n", qala_error_last()->message);
        return EXIT_USAGE;
    }
    if (as_of) {
        qala_date d;
        if (strlen(as_of) <= 10 && qala_date_parse(&d, as_of, 0) != QALA_OK) {
            fprintf(ctx->err, "qala export: --as-of: %s\n", qala_error_last()->message);
            return EXIT_USAGE;
        }
        q.as_of = as_of;
    }
    if ((rc = cli_load(ctx, LOAD_REGISTRY | LOAD_FRAMEWORK | LOAD_STORE)) != EXIT_OK)
        return rc;
    char *ubuf = units ? strdup(units) : NULL, *ibuf = indicators ? strdup(indicators) : NULL;
    const char *ulist[256], *ilist[256];
    if (ubuf) {
        q.nunits = split(ubuf, ulist, 256);
        for (size_t i = 0; i < q.nunits && rc == EXIT_OK; i++) {
            size_t u;
            if ((rc = cli_resolve_unit(ctx, ulist[i], &u)) == EXIT_OK)
                ulist[i] = qala_registry_unit(ctx->reg, u)->code;
        }
        q.units = ulist;
    }
    if (ibuf) {
        q.nindicators = split(ibuf, ilist, 256);
        q.indicators = ilist;
    }
    qala_dataset *ds = NULL;
    qala_status st = QALA_OK;
    if (rc == EXIT_OK && (st = qala_dataset_new(&ds)) == QALA_OK)
        st = qala_store_query_observations(ctx->store, &q, ds);
    if (rc == EXIT_OK && st != QALA_OK)
        rc = cli_fail(ctx, st, NULL);
    if (rc == EXIT_OK) {
        static const char *const keys[] = {"unit", "indicator", "period", "value", "flag", "batch"};
        cli_table *t = cli_table_new(6, keys, NULL);
        cli_table_numeric(t, 3);
        cli_table_numeric(t, 5);
        for (size_t i = 0; i < qala_dataset_size(ds); i++) {
            char period[12], value[40], batch[24];
            qala_period_format(period, qala_dataset_periods(ds)[i]);
            double v = qala_dataset_values(ds)[i];
            if (isnan(v))
                value[0] = '\0';
            else
                snprintf(value, sizeof value, "%.15g", v);
            snprintf(batch, sizeof batch, "%u", (unsigned)qala_dataset_lines(ds)[i]);
            const char *cells[] = {qala_dataset_unit_code(ds, qala_dataset_units(ds)[i]),
                                   qala_dataset_indicator_code(ds, qala_dataset_indicators(ds)[i]), period,
                                   value, qala_flag_code(qala_dataset_flags(ds)[i]), batch};
            cli_table_add(t, cells);
        }
        cli_table_print(ctx, t);
        cli_table_free(t);
    }
    qala_dataset_free(ds);
    free(ubuf);
    free(ibuf);
    return rc;
}
