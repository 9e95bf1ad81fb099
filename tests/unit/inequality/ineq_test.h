/* tests/unit/inequality/ineq_test.h — helpers of the inequality tests: a relative
 * comparison that prints both numbers (GSL's gsl_test_rel), and a seeded generator
 * (splitmix64: explicit state, the seed goes into every message that depends on it). */
#ifndef QALA_TEST_INEQ_TEST_H
#define QALA_TEST_INEQ_TEST_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

/* |got − want| ≤ tol·max(|want|, 1e-300), or both NAN. */
#define expect_rel(got, want, tol, what)                                                    \
    do {                                                                                    \
        double got_ = (got), want_ = (want);                                                \
        int ok_ = (isnan(got_) && isnan(want_)) ||                                          \
                  fabs(got_ - want_) <= (tol) * fmax(fabs(want_), 1e-300);                  \
        cr_expect(ok_, "%s: got %.17g, want %.17g (rel. error %.3g, tolerance %.3g)", what, \
                  got_, want_, fabs(got_ - want_) / fmax(fabs(want_), 1e-300), (double)(tol)); \
    } while (0)

/* |got − want| ≤ tol. */
#define expect_abs(got, want, tol, what)                                                    \
    cr_expect(fabs((got) - (want)) <= (tol), "%s: got %.17g, want %.17g (difference %.3g)", \
              what, (double)(got), (double)(want), fabs((got) - (want)))

typedef struct test_rng {
    uint64_t s;
} test_rng;

static inline uint64_t rng_next(test_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static inline double rng_unif(test_rng *r)
{
    return ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

/* Log-normal with log-SD sigma (Box–Muller), times scale. */
static inline double rng_lognormal(test_rng *r, double scale, double sigma)
{
    double u1 = rng_unif(r), u2 = rng_unif(r);
    return scale * exp(sigma * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2));
}

#endif
