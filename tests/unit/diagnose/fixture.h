/* tests/unit/diagnose/fixture.h — the small fictional data set of the diagnostics tests,
 * written identically in reference.py (FIX): 10 towns × 4 columns, one missing cell in
 * each column (so 6 complete rows) and ties in every column. Column-major, ld = 10.
 * Also a relative-tolerance check that prints both numbers (GSL's gsl_test_rel).
 */
#ifndef QALA_TEST_DIAGNOSE_FIXTURE_H
#define QALA_TEST_DIAGNOSE_FIXTURE_H

#include <criterion/criterion.h>
#include <math.h>

#include "qala/diagnose.h"

#define FIX_N 10
#define FIX_M 4

/* Units: Aqsu, Baytal, Kenes, Tamar, Zhaly, Orken, Saryn, Ulan, Egin, Myrza. */
static const double fix_x[FIX_N * FIX_M] = {
    /* A */ 3.0, 1.5, NAN, 4.0, 4.0, 2.5, 7.0, 0.0, 5.5, 2.5,
    /* B */ 2.0, 1.0, 3.5, NAN, 5.0, 2.0, 6.5, 1.0, 4.0, 3.0,
    /* C */ 10.0, 12.0, 9.0, 11.0, NAN, 12.0, 8.0, 15.0, 10.0, 13.0,
    /* D */ 0.5, 0.5, 1.0, 2.0, 2.5, NAN, 3.0, 0.0, 1.5, 0.5,
};

/* got equals want to rel relative (absolute below 1), or both NAN; prints both. */
#define expect_rel(got, want, rel, ...)                                                    \
    do {                                                                                   \
        double g_ = (got), w_ = (want);                                                    \
        int ok_ = (isnan(g_) && isnan(w_)) ||                                              \
                  fabs(g_ - w_) <= (rel) * (fabs(w_) > 1 ? fabs(w_) : 1);                  \
        cr_expect(ok_, "%s: got %.17g, want %.17g", #got, g_, w_);                        \
    } while (0)

#endif
