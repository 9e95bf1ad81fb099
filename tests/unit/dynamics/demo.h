/* The embedded demo statistics (data/demo/, BNS RK via open-data-kazakhstan, PDDL; city
 * census counts) with the embedded registry and framework: the fixture of the panel and
 * dynamics tests. Reference values come from reference.py in this folder. */
#ifndef TEST_DYNAMICS_DEMO_H
#define TEST_DYNAMICS_DEMO_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/qala.h"
#include "qala/dynamics.h"
#include "qala/panel.h"

#define Y(y) ((qala_period)((y) * 100))

typedef struct demo {
    qala_registry *reg;
    qala_framework *fw;
    qala_dataset *ds;
} demo;

static inline void demo_load(demo *d)
{
    memset(d, 0, sizeof *d);
    qala_findings *f = NULL;
    cr_assert_eq(qala_findings_new(&f), QALA_OK);
    cr_assert_eq(qala_registry_new(&d->reg), QALA_OK);
    cr_assert_eq(qala_registry_load_default(d->reg, f), QALA_OK);
    cr_assert_eq(qala_framework_new(&d->fw), QALA_OK);
    cr_assert_eq(qala_framework_load_default(d->fw, f), QALA_OK);
    cr_assert_eq(qala_dataset_new(&d->ds), QALA_OK);
    cr_assert_eq(qala_import_demo(d->ds, f, d->reg, d->fw), QALA_OK);
    qala_findings_free(f);
}

static inline void demo_free(demo *d)
{
    qala_dataset_free(d->ds);
    qala_framework_free(d->fw);
    qala_registry_free(d->reg);
}

static inline qala_panel *demo_panel(const demo *d, const char *indicator, const char *weights, qala_period from,
                                     qala_period to, qala_panel_units units)
{
    qala_panel_options opt = QALA_PANEL_OPTIONS_INIT;
    opt.indicator = indicator;
    opt.weights = weights;
    opt.from = from;
    opt.to = to;
    opt.units = units;
    qala_panel *p = NULL;
    cr_assert_eq(qala_panel_build(&p, d->ds, d->reg, &opt), QALA_OK, "%s", qala_error_last()->message);
    return p;
}

static inline size_t demo_unit(const qala_panel *p, const char *code)
{
    for (size_t u = 0; u < p->nunits; u++)
        if (strcmp(p->unit_codes[u], code) == 0)
            return u;
    cr_assert_fail("unit %s not in the panel", code);
    return SIZE_MAX;
}

/* GSL-style relative comparison printing both numbers. */
#define expect_rel(got, want, tol, what)                                                             \
    cr_expect(fabs((double)(got) - (double)(want)) <= (tol) * fabs((double)(want)), "%s: got %.17g, expected %.17g", what,     \
              (double)(got), (double)(want))

#endif
