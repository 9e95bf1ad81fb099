/* src/inequality_internal.h — what src/inequality.c shares with src/inequality_decompose.c
 * and src/convergence.c (never installed). */
#ifndef QALA_INEQUALITY_INTERNAL_H
#define QALA_INEQUALITY_INTERNAL_H

#include <stddef.h>

#include "qala/inequality.h"

/* Nonzero when w is a usable weight: finite and > 0. */
int qala_ineq__weight_ok(double w);

/* The summary of the m used units it[0..m) (finite values, usable weights; sorted in
 * place by value), n_missing units having been left out by the caller. Cannot fail. */
void qala_ineq__summarise_items(qala_ineq_summary *s, qala_ineq_item *it, size_t m,
                                size_t n_missing);

#endif
