/* src/sensitivity.c — the uncertain factors of a sensitivity analysis: the list built by
 * hand or by the file reader (sensitivity_json.c), their checks against a tree, and the
 * one operation every run needs: a copy of the nominal tree and input changed by one
 * alternative of each factor (docs/sensitivity.md).
 *
 * Place: the analysis (sensitivity_run.c) checks the factors once, then each of its
 * threads calls qala_sens__apply before each qala_index_run. Invariants: a factor owns one
 * block with all its arrays and strings; names are unique; apply writes only the work
 * copy and depends only on the nominal tree, the choices and the seed (the noisy weights
 * of replication s of factor i come from an mt19937 seeded with a mix of seed, i and s),
 * so a run gives the same tree on any thread. Workload: apply is O(nodes + columns) per
 * run, against O(cells) for the run itself.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "sensitivity_internal.h"
#include "util/internal.h"

/* The code an excluded indicator's column gets in the run's copy: no code of an input
 * can be it (codes are text without control characters), so the pipeline finds no
 * column and screens the indicator out (QALA_INDEX_NO_COLUMN, weight 0). */
static const char excluded_code[] = "\x1f(left out)";

qala_status qala_sens__wrap(qala_status code, const char *file, const char *prefix)
{
    char msg[sizeof qala_error_last()->message];
    memcpy(msg, qala_error_last()->message, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    if (prefix)
        return qala_err__set_at(code, file, 0, 0, "%s: %s", prefix, msg);
    return qala_err__set_at(code, file, 0, 0, "%s", msg);
}

static const char *const kind_names[QALA_SENS_KIND_COUNT] = {
    "weights", "normalise", "aggregate", "impute", "treat", "exclude", "threshold"};

const char *qala_sens_kind_name(qala_sens_kind kind)
{
    return (unsigned)kind < QALA_SENS_KIND_COUNT ? kind_names[kind] : "?";
}

qala_status qala_sens_factors_new(qala_sens_factors **out)
{
    assert(out);
    *out = qala_mem__calloc(1, sizeof **out);
    return *out ? QALA_OK : qala_err__set(QALA_ENOMEM, "out of memory (sensitivity factors)");
}

void qala_sens__truncate(qala_sens_factors *fs, size_t n)
{
    while (fs->n > n)
        qala_mem__free(fs->f[--fs->n].block);
}

void qala_sens_factors_free(qala_sens_factors *f)
{
    if (!f)
        return;
    qala_sens__truncate(f, 0);
    qala_mem__free(f->f);
    qala_mem__free(f);
}

size_t qala_sens_factors_count(const qala_sens_factors *f)
{
    return f ? f->n : 0;
}

const char *qala_sens_factor_name(const qala_sens_factors *f, size_t i)
{
    return f && i < f->n ? f->f[i].name : NULL;
}

qala_sens_kind qala_sens_factor_kind(const qala_sens_factors *f, size_t i)
{
    assert(f && i < f->n);
    return f->f[i].kind;
}

qala_status qala_sens__append(qala_sens_factors *fs, qala_sens_factor *f)
{
    qala_status st = QALA_OK;
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, f->name) == 0) {
            st = qala_err__set(QALA_EINVAL, "the name '%s' is used by another factor", f->name);
            goto fail;
        }
    if (fs->n >= QALA_SENS_MAX_FACTORS) {
        st = qala_err__set(QALA_ELIMIT, "more than %d factors", QALA_SENS_MAX_FACTORS);
        goto fail;
    }
    if ((st = qala_mem__grow((void **)&fs->f, &fs->cap, fs->n + 1, sizeof *fs->f)) != QALA_OK)
        goto fail;
    fs->f[fs->n++] = *f;
    return QALA_OK;
fail:
    qala_mem__free(f->block);
    f->block = NULL;
    return st;
}

/* Starts a factor: checks the name and the count, allocates its block of `size` bytes. */
static qala_status begin(qala_sens_factor *f, qala_sens_kind kind, const char *name, size_t n,
                         size_t size)
{
    memset(f, 0, sizeof *f);
    f->kind = kind;
    if (!name)
        name = kind_names[kind];
    size_t len = strlen(name);
    if (len == 0 || len > 64)
        return qala_err__set(QALA_EINVAL, "a factor's name must have 1 to 64 bytes, got %zu",
                             len);
    memcpy(f->name, name, len + 1);
    if (n > QALA_SENS_MAX_ALTERNATIVES)
        return qala_err__set(QALA_ELIMIT, "factor '%s': %zu alternatives; the limit is %d",
                             name, n, QALA_SENS_MAX_ALTERNATIVES);
    f->nalt = n;
    f->block = qala_mem__calloc(1, size ? size : 1);
    return f->block ? QALA_OK : qala_err__set(QALA_ENOMEM, "out of memory (factor '%s')", name);
}

static qala_status need_alternatives(const char *name, size_t n, size_t min)
{
    if (n < min)
        return qala_err__set(QALA_EINVAL, "factor '%s' needs at least %zu alternatives, got %zu",
                             name, min, n);
    return QALA_OK;
}

qala_status qala_sens_add_weights(qala_sens_factors *fs, const char *name, const int *levels,
                                  const double *fractions, size_t nlevels, size_t replications)
{
    assert(fs && (nlevels == 0 || (levels && fractions)));
    const char *nm = name ? name : "weights";
    if (nlevels == 0 || nlevels > QALA_SENS_MAX_LEVELS)
        return qala_err__set(QALA_EINVAL, "factor '%s': give 1 to %d levels of noise, got %zu",
                             nm, QALA_SENS_MAX_LEVELS, nlevels);
    if (replications == 0 || replications > QALA_SENS_MAX_ALTERNATIVES)
        return qala_err__set(QALA_EINVAL, "factor '%s': replications must be 1 to %d, got %zu",
                             nm, QALA_SENS_MAX_ALTERNATIVES, replications);
    for (size_t i = 0; i < nlevels; i++) {
        if (levels[i] < 1)
            return qala_err__set(QALA_EINVAL, "factor '%s': level must be >= 1, got %d", nm,
                                 levels[i]);
        if (!(fractions[i] > 0 && fractions[i] < 1))
            return qala_err__set(QALA_EINVAL, "factor '%s': noise fraction must be in (0, 1), "
                                 "got %g", nm, fractions[i]);
    }
    qala_sens_factor f;
    qala_status st = begin(&f, QALA_SENS_WEIGHTS, name, replications,
                           nlevels * (sizeof(int) + sizeof(double)) + 16);
    if (st != QALA_OK)
        return st;
    f.fractions = f.block;
    f.levels = (int *)(void *)(f.fractions + nlevels);
    memcpy(f.fractions, fractions, nlevels * sizeof *fractions);
    memcpy(f.levels, levels, nlevels * sizeof *levels);
    f.nlevels = nlevels;
    f.replications = replications;
    return qala_sens__append(fs, &f);
}

qala_status qala_sens_add_normalise(qala_sens_factors *fs, const char *name,
                                    const qala_normalise_spec *alts, size_t n)
{
    assert(fs && (n == 0 || alts));
    const char *nm = name ? name : "normalise";
    qala_status st = need_alternatives(nm, n, 1);
    for (size_t i = 0; st == QALA_OK && i < n; i++) {
        if ((unsigned)alts[i].method < QALA_NORM_METHOD_COUNT &&
            (qala_normalise_methods(NULL)[alts[i].method].flags & QALA_NORM_USES_REF))
            return qala_err__set(QALA_EINVAL, "factor '%s': normalisation method %s needs a "
                                 "reference unit and cannot be an alternative", nm,
                                 qala_normalise_method_name(alts[i].method));
        if ((st = qala_normalise_spec_check(&alts[i], 1)) != QALA_OK)
        {
            char pre[100];
            snprintf(pre, sizeof pre, "factor '%s': alternative %zu", nm, i);
            return qala_sens__wrap(st, NULL, pre);
        }
    }
    qala_sens_factor f;
    if (st != QALA_OK || (st = begin(&f, QALA_SENS_NORMALISE, name, n, n * sizeof *alts)))
        return st;
    f.norm = f.block;
    memcpy(f.norm, alts, n * sizeof *alts);
    return qala_sens__append(fs, &f);
}

qala_status qala_sens_add_aggregate(qala_sens_factors *fs, const char *name, int level,
                                    const qala_agg_spec *alts, size_t n)
{
    assert(fs && (n == 0 || alts));
    const char *nm = name ? name : "aggregate";
    qala_status st = need_alternatives(nm, n, 1);
    if (st == QALA_OK && (level < 0 || level == 1))
        return qala_err__set(QALA_EINVAL, "factor '%s': level must be 0 (every aggregate) or "
                             ">= 2, got %d", nm, level);
    for (size_t i = 0; st == QALA_OK && i < n; i++)
        if ((st = qala_agg_spec_check(&alts[i])) != QALA_OK) {
            char pre[100];
            snprintf(pre, sizeof pre, "factor '%s': alternative %zu", nm, i);
            return qala_sens__wrap(st, NULL, pre);
        }
    qala_sens_factor f;
    if (st != QALA_OK || (st = begin(&f, QALA_SENS_AGGREGATE, name, n, n * sizeof *alts)))
        return st;
    f.agg = f.block;
    memcpy(f.agg, alts, n * sizeof *alts);
    f.agg_level = level;
    return qala_sens__append(fs, &f);
}

qala_status qala_sens_add_impute(qala_sens_factors *fs, const char *name,
                                 const qala_impute_method *alts, size_t n, const char *group)
{
    assert(fs && (n == 0 || alts));
    const char *nm = name ? name : "impute";
    qala_status st = need_alternatives(nm, n, 1);
    for (size_t i = 0; st == QALA_OK && i < n; i++)
        if ((unsigned)alts[i] > QALA_IMPUTE_GROUP_MEDIAN)
            return qala_err__set(QALA_EINVAL, "factor '%s': alternative %zu: %s is not a "
                                 "cross-section method (none, mean, median, group_mean, "
                                 "group_median)", nm, i, qala_impute_method_code(alts[i]));
    size_t glen = group ? strlen(group) : 0;
    if (glen >= sizeof(((qala_index_settings *)0)->impute_group))
        return qala_err__set(QALA_EINVAL, "factor '%s': group name of %zu bytes; at most 63",
                             nm, glen);
    qala_sens_factor f;
    if (st != QALA_OK ||
        (st = begin(&f, QALA_SENS_IMPUTE, name, n, n * sizeof *alts + glen + 1)))
        return st;
    f.imp = f.block;
    memcpy(f.imp, alts, n * sizeof *alts);
    if (group) {
        f.imp_group = (char *)(f.imp + n);
        memcpy(f.imp_group, group, glen + 1);
    }
    return qala_sens__append(fs, &f);
}

qala_status qala_sens_add_treat(qala_sens_factors *fs, const char *name, const size_t *winmax,
                                size_t n)
{
    assert(fs && (n == 0 || winmax));
    qala_status st = need_alternatives(name ? name : "treat", n, 1);
    qala_sens_factor f;
    if (st != QALA_OK || (st = begin(&f, QALA_SENS_TREAT, name, n, n * sizeof *winmax)))
        return st;
    f.winmax = f.block;
    memcpy(f.winmax, winmax, n * sizeof *winmax);
    return qala_sens__append(fs, &f);
}

qala_status qala_sens_add_exclude(qala_sens_factors *fs, const char *name,
                                  const char *const *codes, size_t n)
{
    assert(fs && (n == 0 || codes));
    for (size_t i = 0; i < n; i++)
        if (!codes[i] || !codes[i][0])
            return qala_err__set(QALA_EINVAL, "factor '%s': indicator %zu has no code",
                                 name ? name : "exclude", i);
    size_t size = n * sizeof(char *);
    for (size_t i = 0; i < n; i++)
        size += strlen(codes[i]) + 1;
    qala_sens_factor f;
    qala_status st = begin(&f, QALA_SENS_EXCLUDE, name, n, size);
    if (st != QALA_OK)
        return st;
    f.codes = f.block;
    char *p = (char *)(f.codes + n);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(codes[i]) + 1;
        memcpy(p, codes[i], len);
        f.codes[i] = p;
        p += len;
    }
    return qala_sens__append(fs, &f);
}

qala_status qala_sens_add_threshold(qala_sens_factors *fs, const char *name, double fraction)
{
    assert(fs);
    if (!(fraction > 0 && fraction < 1))
        return qala_err__set(QALA_EINVAL, "factor '%s': fraction must be in (0, 1), got %g",
                             name ? name : "threshold", fraction);
    qala_sens_factor f;
    qala_status st = begin(&f, QALA_SENS_THRESHOLD, name, 1, 0);
    if (st != QALA_OK)
        return st;
    f.fraction = fraction;
    return qala_sens__append(fs, &f);
}

size_t qala_sens_factor_alternatives(const qala_sens_factors *fs, size_t i,
                                     const qala_index_tree *tree)
{
    assert(fs && i < fs->n);
    const qala_sens_factor *f = &fs->f[i];
    if (f->kind == QALA_SENS_EXCLUDE)
        return 1 + (f->nalt ? f->nalt : (tree ? tree->nindicators : 0));
    return f->kind == QALA_SENS_WEIGHTS ? f->replications : f->nalt;
}

size_t qala_sens_alternative_text(const qala_sens_factors *fs, size_t i, size_t a,
                                  const qala_index_tree *tree, char *buf, size_t cap)
{
    assert(fs && i < fs->n && (buf || cap == 0));
    const qala_sens_factor *f = &fs->f[i];
    int len = 0;
    switch (f->kind) {
    case QALA_SENS_WEIGHTS:
        len = snprintf(buf, cap, "replication %zu", a);
        break;
    case QALA_SENS_NORMALISE:
        len = snprintf(buf, cap, "%s", a < f->nalt ? qala_normalise_method_name(f->norm[a].method) : "?");
        break;
    case QALA_SENS_AGGREGATE:
        len = snprintf(buf, cap, "%s", a < f->nalt ? qala_agg_method_code(f->agg[a].method) : "?");
        break;
    case QALA_SENS_IMPUTE:
        len = snprintf(buf, cap, "%s", a < f->nalt ? qala_impute_method_code(f->imp[a]) : "?");
        break;
    case QALA_SENS_TREAT:
        if (a >= f->nalt)
            len = snprintf(buf, cap, "?");
        else if (f->winmax[a] == 0)
            len = snprintf(buf, cap, "off");
        else
            len = snprintf(buf, cap, "winmax %zu", f->winmax[a]);
        break;
    case QALA_SENS_EXCLUDE: {
        const char *code = "?";
        if (a == 0)
            code = NULL;
        else if (f->nalt && a - 1 < f->nalt)
            code = f->codes[a - 1];
        else if (!f->nalt && tree && a - 1 < tree->nindicators)
            code = tree->nodes[a - 1].code;
        len = code ? snprintf(buf, cap, "-%s", code) : snprintf(buf, cap, "none");
        break;
    }
    case QALA_SENS_THRESHOLD:
        len = snprintf(buf, cap, "±%g", f->fraction);
        break;
    }
    return len < 0 ? 0 : (size_t)len;
}

/* ---- checks against a tree ------------------------------------------------------------ */

static int tree_has_level(const qala_index_tree *tree, int level)
{
    for (size_t i = 0; i < tree->nnodes; i++)
        if (tree->nodes[i].level == level)
            return 1;
    return 0;
}

static size_t find_indicator(const qala_index_tree *tree, const char *code)
{
    for (size_t i = 0; i < tree->nindicators; i++)
        if (strcmp(tree->nodes[i].code, code) == 0)
            return i;
    return SIZE_MAX;
}

qala_status qala_sens__check(const qala_sens_factors *fs, const qala_index_tree *tree)
{
    if (fs->n == 0)
        return qala_err__set(QALA_EINVAL, "no uncertain factors given");
    for (size_t i = 0; i < fs->n; i++) {
        const qala_sens_factor *f = &fs->f[i];
        switch (f->kind) {
        case QALA_SENS_WEIGHTS:
            for (size_t l = 0; l < f->nlevels; l++)
                if (!tree_has_level(tree, f->levels[l]))
                    return qala_err__set(QALA_EINVAL, "factor '%s': the index has no level %d "
                                         "(its levels are 1 to %d)", f->name, f->levels[l],
                                         tree->nlevels);
            break;
        case QALA_SENS_AGGREGATE:
            if (f->agg_level != 0 && !tree_has_level(tree, f->agg_level))
                return qala_err__set(QALA_EINVAL, "factor '%s': the index has no level %d "
                                     "(its aggregates are of levels 2 to %d)", f->name,
                                     f->agg_level, tree->nlevels);
            break;
        case QALA_SENS_EXCLUDE:
            for (size_t k = 0; k < f->nalt; k++)
                if (find_indicator(tree, f->codes[k]) == SIZE_MAX)
                    return qala_err__set(QALA_EINVAL, "factor '%s': '%s' is not an indicator "
                                         "of the index", f->name, f->codes[k]);
            break;
        case QALA_SENS_THRESHOLD:
            return qala_err__set(QALA_EINVAL, "factor '%s': threshold factors are declared in "
                                 "the format but not implemented yet", f->name);
        default:
            break;
        }
    }
    return QALA_OK;
}

/* ---- the work copy ---------------------------------------------------------------------- */

qala_status qala_sens__work_init(qala_sens_work *w, const qala_index_tree *tree,
                                 const qala_index_input *input)
{
    memset(w, 0, sizeof *w);
    size_t nodes = tree->nnodes * sizeof(qala_index_node);
    size_t codes = (input->ncolumns + 1) * sizeof(char *);
    size_t rng = gsl_rng_mt19937->size;
    char *block = qala_mem__malloc(nodes + codes + rng + 32);
    if (!block)
        return qala_err__set(QALA_ENOMEM, "out of memory (a sensitivity run's copies)");
    w->nodes = (qala_index_node *)(void *)block;
    w->codes = (const char **)(void *)(block + nodes);
    w->rng_state = block + ((nodes + codes + 15) & ~(size_t)15);
    w->tree = *tree;
    w->tree.nodes = w->nodes;
    w->input = *input;
    w->input.column_codes = w->codes;
    return QALA_OK;
}

void qala_sens__work_free(qala_sens_work *w)
{
    qala_mem__free(w->nodes);
    w->nodes = NULL;
}

static int in_levels(const qala_sens_factor *f, int level)
{
    for (size_t l = 0; l < f->nlevels; l++)
        if (f->levels[l] == level)
            return 1;
    return 0;
}

static double level_fraction(const qala_sens_factor *f, int level)
{
    for (size_t l = 0; l < f->nlevels; l++)
        if (f->levels[l] == level)
            return f->fractions[l];
    return 0;
}

void qala_sens__apply(qala_sens_work *w, const qala_sens_factors *fs, const uint32_t *choice,
                      const qala_index_tree *tree, const qala_index_input *input,
                      const size_t *columns, unsigned long seed)
{
    memcpy(w->nodes, tree->nodes, tree->nnodes * sizeof *w->nodes);
    w->tree.settings = tree->settings;
    memcpy(w->codes, input->column_codes, input->ncolumns * sizeof *w->codes);
    qala_index_node *nd = w->nodes;
    for (size_t i = 0; i < fs->n; i++) {
        const qala_sens_factor *f = &fs->f[i];
        size_t a = choice[i];
        switch (f->kind) {
        case QALA_SENS_WEIGHTS: {
            gsl_rng rng = {gsl_rng_mt19937, w->rng_state};
            uint64_t s = qala_sens__mix((uint64_t)seed ^ qala_sens__mix(((uint64_t)i << 40) ^ a));
            gsl_rng_set(&rng, (unsigned long)s);
            for (size_t n = 0; n < tree->nnodes; n++)
                if (in_levels(f, nd[n].level))
                    nd[n].weight *= 1.0 + level_fraction(f, nd[n].level) *
                                              (2.0 * gsl_rng_uniform(&rng) - 1.0);
            break;
        }
        case QALA_SENS_NORMALISE:
            for (size_t n = 0; n < tree->nindicators; n++) {
                qala_normalise_spec s = f->norm[a];
                s.transform = nd[n].normalise.transform;
                s.cap_lo = nd[n].normalise.cap_lo;
                s.cap_hi = nd[n].normalise.cap_hi;
                nd[n].normalise = s;
                nd[n].normalise_ref = NULL;
            }
            break;
        case QALA_SENS_AGGREGATE:
            for (size_t n = tree->nindicators; n < tree->nnodes; n++)
                if (f->agg_level == 0 || nd[n].level == f->agg_level) {
                    double avail = nd[n].aggregate.availability;
                    nd[n].aggregate = f->agg[a];
                    nd[n].aggregate.availability = avail;
                }
            break;
        case QALA_SENS_IMPUTE:
            w->tree.settings.impute = f->imp[a];
            if (f->imp_group)
                snprintf(w->tree.settings.impute_group, sizeof w->tree.settings.impute_group,
                         "%s", f->imp_group);
            break;
        case QALA_SENS_TREAT:
            for (size_t n = 0; n < tree->nindicators; n++) {
                nd[n].treat = f->winmax[a] > 0;
                if (f->winmax[a] > 0)
                    nd[n].treat_spec.winmax = f->winmax[a];
            }
            break;
        case QALA_SENS_EXCLUDE:
            if (a > 0) {
                size_t ind = f->nalt ? find_indicator(tree, f->codes[a - 1]) : a - 1;
                if (ind < tree->nindicators && columns[ind] != SIZE_MAX)
                    w->codes[columns[ind]] = excluded_code;
            }
            break;
        case QALA_SENS_THRESHOLD:
            break;
        }
    }
}
