/* src/check_internal.h — what check.c (the driver, the result, range and identity
 * rules) shares with check_rules.c (the statistical rules). Internal.
 */
#ifndef QALA_CHECK_INTERNAL_H
#define QALA_CHECK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "qala/check.h"

/* Peer tiers (qala/check.h): the country has none. */
enum { TIER_NONE = 0, TIER_FIRST_LEVEL = 1, TIER_CITY = 2, TIER_OTHER = 3 };

typedef struct check_ctx {
    const qala_dataset *ds;
    const qala_framework *fw;
    const qala_registry *reg;
    const qala_identities *ids;
    const qala_check_options *opt;
    qala_check_result *res;
    /* the dataset's columns */
    size_t n;
    const uint32_t *unit, *ind;
    const qala_period *per;
    const double *val;
    const uint8_t *flag;
    size_t *ind_fw;   /* dataset indicator id -> framework index, or SIZE_MAX */
    size_t *unit_reg; /* dataset unit id -> registry index, or SIZE_MAX */
    qala_status failed; /* the first failure while adding a finding */
} check_ctx;

/* The peer tier of a dataset unit at the start of period p. */
int qala_check__tier(const check_ctx *c, uint32_t unit, qala_period p);
/* "first-level units", "cities", "units outside the registry". */
const char *qala_check__tier_name(int tier);
/* The period right after p (same frequency). */
qala_period qala_check__next_period(qala_period p);
/* A number for messages: up to 10 significant digits, no exponent below 1e15. */
void qala_check__fmt(char *buf, size_t size, double x);
/* Whether findings about this unit / indicator code are wanted (the options' filters). */
int qala_check__wanted(const check_ctx *c, const char *unit, const char *indicator);

/* Adds a finding (unit "" and period 0 when not about one); records an allocation
 * failure in c->failed. Applies no filter: call qala_check__wanted first. */
__attribute__((format(printf, 10, 11)))
void qala_check__add(check_ctx *c, qala_check_rule rule, qala_severity sev, const char *unit,
                     const char *indicator, qala_period period, double value, double statistic,
                     const char *name, const char *fmt, ...);
void qala_check__set_p(check_ctx *c, double p_value); /* the p-value of the last finding added */
void qala_check__count(check_ctx *c, qala_check_rule rule, size_t n);
qala_status qala_check__add_benford(check_ctx *c, const qala_check_benford *b);

/* The statistical rules (check_rules.c). */
qala_status qala_check__jumps(check_ctx *c);
qala_status qala_check__peer_outliers(check_ctx *c);
qala_status qala_check__repeated(check_ctx *c);
qala_status qala_check__benford(check_ctx *c);
qala_status qala_check__missing_series(check_ctx *c);

#endif
