/* qala/denominate.h — the denomination kernel of the composite-index engine: an
 * indicator divided by a denominator (GDP, population, area, energy use) unit by unit,
 * so that size-related quantities become comparable between units of different size.
 *
 * Definition (docs/methods-treat.md; COINr's Denominate): y_i = x_i / d_i · scale.
 * y_i is NAN when x_i or d_i is missing (NAN) or not finite, or when d_i = 0: COINr
 * divides as R does (±Inf, or NaN for 0/0); qala gives a missing value instead and
 * counts those cells, so that an impossible ratio never reaches the later stages.
 *
 * Layout: x[i * stride] and d[i * d_stride] for i in [0, n) (any strides ≥ 1).
 */
#ifndef QALA_DENOMINATE_H
#define QALA_DENOMINATE_H

#include <stddef.h>

#include "qala/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Replaces x[i * stride] by x[i * stride] / d[i * d_stride] · scale for i in [0, n).
 * n_zero (may be NULL) gets the number of cells made missing by a zero denominator
 * whose numerator was present. scale must be finite and non-zero (1 = plain ratio,
 * 1000 = per thousand). QALA_EINVAL (x unchanged) for a NULL array with n > 0, a zero
 * stride or a bad scale. Work: one pass, no allocation. */
qala_status qala_denominate(size_t *n_zero, double *x, size_t stride, size_t n,
                            const double *d, size_t d_stride, double scale);

#ifdef __cplusplus
}
#endif

#endif
