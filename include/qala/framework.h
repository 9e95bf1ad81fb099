/* qala/framework.h — the indicator framework: what is measured and how to read it.
 *
 * An indicator has a stable code, names in kk/ru/en, a domain (incomes, consumption,
 * labour, ...), a unit of measure, a direction (+1: higher is better, -1: lower is
 * better), display decimals, the declared valid range [min, max] used by validation, a
 * description and a source. Pointers returned are borrowed, valid until the framework is
 * changed or freed.
 */
#ifndef QALA_FRAMEWORK_H
#define QALA_FRAMEWORK_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/findings.h"
#include "qala/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_domain {
    QALA_DOMAIN_INCOMES = 0,
    QALA_DOMAIN_CONSUMPTION,
    QALA_DOMAIN_LABOUR,
    QALA_DOMAIN_SOCIAL,
    QALA_DOMAIN_ENVIRONMENT,
    QALA_DOMAIN_DEMOGRAPHY,
    QALA_DOMAIN_ECONOMY,
    QALA_DOMAIN_INFRASTRUCTURE,
    QALA_DOMAIN_DIGITAL,
    QALA_DOMAIN_INNOVATION
} qala_domain;
#define QALA_DOMAIN_COUNT 10

/* "incomes", "consumption", ... as in data/framework/domains.csv. */
const char *qala_domain_code(qala_domain domain);
qala_status qala_domain_parse(qala_domain *out, const char *text);

typedef struct qala_indicator {
    const char *code;
    qala_domain domain;
    int direction; /* +1 or -1 */
    const char *unit;
    int decimals;
    double min, max; /* -INFINITY / INFINITY when unbounded */
    const char *name[3]; /* QALA_LANG_KK, _RU, _EN */
    const char *description;
    const char *source;
} qala_indicator;

typedef struct qala_framework qala_framework;

qala_status qala_framework_new(qala_framework **out);
void qala_framework_free(qala_framework *fw);

/* Copies the strings. QALA_EEXISTS for a taken code; QALA_EINVAL for direction not ±1 or
 * min > max. */
qala_status qala_framework_add(qala_framework *fw, const qala_indicator *ind, size_t *index);
/* Domain names per language (kk/ru/en); codes not in the enum are rejected. */
qala_status qala_framework_set_domain_name(qala_framework *fw, qala_domain domain, qala_lang lang,
                                           const char *name);

/* Reads indicators.csv / domains.csv text (docs/data-format.md); QALA_EDATA with findings
 * (may be NULL) when anything is wrong (then nothing was added). */
qala_status qala_framework_load_csv(qala_framework *fw, const char *text, size_t len,
                                    const char *label, qala_findings *findings);
qala_status qala_framework_load_domains_csv(qala_framework *fw, const char *text, size_t len,
                                            const char *label, qala_findings *findings);
/* The default framework embedded in the library (data/framework/). */
qala_status qala_framework_load_default(qala_framework *fw, qala_findings *findings);

size_t qala_framework_count(const qala_framework *fw);
const qala_indicator *qala_framework_get(const qala_framework *fw, size_t index);
qala_status qala_framework_find(const qala_framework *fw, const char *code, size_t *index);
/* Never NULL: falls back to English, then the domain code. */
const char *qala_framework_domain_name(const qala_framework *fw, qala_domain domain, qala_lang lang);

/* Resolves a code or a name in any language (folded). QALA_ENOTFOUND fills
 * suggestions with up to 3 closest indicators (*nsuggest, may be 0); QALA_EAMBIGUOUS
 * when the name is shared, with the candidates (up to 3) in suggestions; QALA_EINVAL
 * when name is not valid UTF-8. */
qala_status qala_framework_match(const qala_framework *fw, const char *name, size_t len,
                                 size_t *index, size_t suggestions[3], size_t *nsuggest);

#ifdef __cplusplus
}
#endif
#endif
