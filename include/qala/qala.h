/* qala/qala.h — the whole public API of libqala in one include. */
#ifndef QALA_QALA_H
#define QALA_QALA_H

#include "qala/aggregate.h"
#include "qala/category.h"
#include "qala/common.h"
#include "qala/convergence.h"
#include "qala/dataset.h"
#include "qala/defaults.h"
#include "qala/denominate.h"
#include "qala/diagnose.h"
#include "qala/findings.h"
#include "qala/framework.h"
#include "qala/import.h"
#include "qala/impute.h"
#include "qala/index.h"
#include "qala/index_spec.h"
#include "qala/inequality.h"
#include "qala/monitor.h"
#include "qala/normalise.h"
#include "qala/rank.h"
#include "qala/registry.h"
#include "qala/store.h"
#include "qala/text.h"
#include "qala/threshold.h"
#include "qala/treat.h"
#endif
