/* denominate.c — the denomination stage of the composite-index engine (raw →
 * denominated): one indicator column divided by its denominator column, unit by unit.
 *
 * Place in the pipeline: the first stage after the raw data; its output feeds
 * imputation (impute.c). The caller picks the denominator of each indicator (from the
 * indicator metadata, e.g. COINr's "Den_GDP" → the GDP column) and calls this once per
 * indicator column.
 *
 * Invariants: a missing value (NAN) or a non-finite value in either column, and a zero
 * denominator, give NAN; every other cell is x / d · scale computed in double precision
 * (scale = 1 multiplies exactly, so the ratio is R's x / d to the last bit). The
 * arguments are checked before anything is written, so an error leaves x unchanged.
 *
 * Workload: one pass over n cells, no allocation; the ASEM example is 51 × 49 cells, a
 * city panel some thousands of units × periods per indicator.
 */
#include <math.h>

#include "qala/denominate.h"
#include "util/internal.h"

qala_status qala_denominate(size_t *n_zero, double *x, size_t stride, size_t n,
                            const double *d, size_t d_stride, double scale)
{
    if (n_zero)
        *n_zero = 0;
    if (n > 0 && (!x || !d))
        return qala_err__set(QALA_EINVAL, "denominate: x and d must not be NULL when n > 0");
    if (stride == 0 || d_stride == 0)
        return qala_err__set(QALA_EINVAL, "denominate: strides must be at least 1");
    if (!isfinite(scale) || scale == 0)
        return qala_err__set(QALA_EINVAL, "denominate: scale must be finite and non-zero, not %g",
                             scale);
    size_t zeros = 0;
    for (size_t i = 0; i < n; i++) {
        double *xi = &x[i * stride];
        double di = d[i * d_stride];
        if (!isfinite(*xi) || !isfinite(di)) {
            *xi = NAN;
        } else if (di == 0) {
            *xi = NAN;
            zeros++;
        } else {
            *xi = scale == 1 ? *xi / di : *xi / di * scale;
        }
    }
    if (n_zero)
        *n_zero = zeros;
    return QALA_OK;
}
