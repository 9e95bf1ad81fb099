/* qala/registry.h — the registry of territorial units: country, regions, cities.
 *
 * Units have a stable code, a kind, names in Kazakh, Russian and English that change
 * over time (official names and aliases, each with a validity period), a parent that
 * changes over time (a city's region; 2018 and 2022 reforms), and memberships in named
 * groups (the typology: monocities, agglomerations, smart cities) with periods and a
 * source. Validity periods are half-open [valid_from, valid_to) of qala_date.
 *
 * Units, names, parents, groups and memberships are referred to by index (size_t) into
 * the registry; indices are stable while the registry lives. Every pointer returned is
 * borrowed and valid until the registry is changed or freed.
 *
 * The Kazakh Latin forms of Kazakh names are generated (qala_text_kk_latin), never
 * stored: a registry holds them under QALA_LANG_KK_LATN and matches them like aliases.
 */
#ifndef QALA_REGISTRY_H
#define QALA_REGISTRY_H

#include <stddef.h>

#include "qala/common.h"
#include "qala/findings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qala_unit_kind {
    QALA_UNIT_COUNTRY = 0,
    QALA_UNIT_REGION = 1,
    QALA_UNIT_CITY = 2
} qala_unit_kind;
#define QALA_UNIT_KIND_COUNT 3

typedef enum qala_lang {
    QALA_LANG_KK = 0,
    QALA_LANG_RU = 1,
    QALA_LANG_EN = 2,
    QALA_LANG_KK_LATN = 3 /* generated from QALA_LANG_KK */
} qala_lang;
#define QALA_LANG_COUNT 4

/* "kk", "ru", "en", "kk-latn" (case-insensitive). QALA_EINVAL otherwise. */
qala_status qala_lang_parse(qala_lang *out, const char *text);
const char *qala_lang_code(qala_lang lang);
/* "country" / "region" / "city". */
const char *qala_unit_kind_code(qala_unit_kind kind);
qala_status qala_unit_kind_parse(qala_unit_kind *out, const char *text);

typedef struct qala_unit {
    const char *code;
    qala_unit_kind kind;
    const char *kato;   /* official classifier code, "" when unknown */
    double lat, lon;    /* NAN when unknown */
    qala_date valid_from, valid_to;
    const char *source;
} qala_unit;

typedef struct qala_unit_name {
    size_t unit;
    qala_lang lang;
    const char *name;
    qala_date valid_from, valid_to;
    int official; /* 1: the official name in that language then; 0: an alias */
} qala_unit_name;

typedef struct qala_unit_parent {
    size_t unit, parent;
    qala_date valid_from, valid_to;
    const char *source;
} qala_unit_parent;

typedef struct qala_group {
    const char *code;
    const char *name[3]; /* indexed by QALA_LANG_KK, _RU, _EN */
    const char *source;
} qala_group;

typedef struct qala_membership {
    size_t group, unit;
    qala_date valid_from, valid_to;
    const char *source;
} qala_membership;

typedef struct qala_registry qala_registry;

qala_status qala_registry_new(qala_registry **out);
void qala_registry_free(qala_registry *reg);

/* ---- building (strings are copied) ---- */
/* QALA_EEXISTS when the code is taken; QALA_EINVAL for an empty code or from >= to. */
qala_status qala_registry_add_unit(qala_registry *reg, const qala_unit *unit, size_t *index);
/* Adds the name, and for Kazakh names also the generated Kazakh Latin form. */
qala_status qala_registry_add_name(qala_registry *reg, const qala_unit_name *name);
qala_status qala_registry_add_parent(qala_registry *reg, const qala_unit_parent *parent);
qala_status qala_registry_add_group(qala_registry *reg, const qala_group *group, size_t *index);
qala_status qala_registry_add_membership(qala_registry *reg, const qala_membership *m);

/* The tables of the registry's CSV files (docs/data-format.md). */
typedef enum qala_registry_table {
    QALA_REGISTRY_UNITS = 0,
    QALA_REGISTRY_NAMES,
    QALA_REGISTRY_PARENTS,
    QALA_REGISTRY_GROUPS,
    QALA_REGISTRY_MEMBERSHIPS
} qala_registry_table;

/* Reads one table from CSV text (UTF-8). Problems go to findings (may be NULL: then only
 * counted) with `label` as the file name; returns QALA_EDATA when any error was found
 * (then nothing was added; warnings such as unknown columns do not stop the load).
 * QALA_ENOMEM also leaves the registry as it was. */
qala_status qala_registry_load_csv(qala_registry *reg, qala_registry_table table,
                                   const char *text, size_t len, const char *label,
                                   qala_findings *findings);
/* Loads the Kazakhstan registry embedded in the library (data/registry/). */
qala_status qala_registry_load_default(qala_registry *reg, qala_findings *findings);
/* Whole-registry consistency: one official name per unit, language and day of the
 * unit's life; parents and members exist; no overlapping parent periods. Findings (may
 * be NULL); QALA_EDATA when any error was found. */
qala_status qala_registry_check(const qala_registry *reg, qala_findings *findings);

/* ---- reading ---- */
size_t qala_registry_unit_count(const qala_registry *reg);
const qala_unit *qala_registry_unit(const qala_registry *reg, size_t index);
/* Exact code (case-insensitive). QALA_ENOTFOUND. */
qala_status qala_registry_find(const qala_registry *reg, const char *code, size_t *index);
/* Unit alive at date (valid_from <= at < valid_to). */
int qala_registry_alive_at(const qala_registry *reg, size_t unit, qala_date at);

size_t qala_registry_name_count(const qala_registry *reg);
const qala_unit_name *qala_registry_name(const qala_registry *reg, size_t index);
/* The official name in lang at date; falls back to the latest official name in that
 * language, then English, then the code. Never NULL. */
const char *qala_registry_name_at(const qala_registry *reg, size_t unit, qala_lang lang,
                                  qala_date at);

size_t qala_registry_parent_count(const qala_registry *reg);
const qala_unit_parent *qala_registry_parent(const qala_registry *reg, size_t index);
/* The parent of unit at date: QALA_OK with *parent set, or QALA_ENOTFOUND. */
qala_status qala_registry_parent_at(const qala_registry *reg, size_t unit, qala_date at,
                                    size_t *parent);
/* The first-level unit (child of the country) containing unit at date; a first-level
 * unit is its own. QALA_ENOTFOUND for the country or a unit without parent then. */
qala_status qala_registry_region_at(const qala_registry *reg, size_t unit, qala_date at,
                                    size_t *region);

size_t qala_registry_group_count(const qala_registry *reg);
const qala_group *qala_registry_group(const qala_registry *reg, size_t index);
qala_status qala_registry_find_group(const qala_registry *reg, const char *code, size_t *index);
size_t qala_registry_membership_count(const qala_registry *reg);
const qala_membership *qala_registry_membership(const qala_registry *reg, size_t index);
int qala_registry_in_group_at(const qala_registry *reg, size_t group, size_t unit, qala_date at);

/* ---- matching names ---- */
#define QALA_MATCH_MAX 8
typedef struct qala_match {
    size_t count;                 /* 1 on success; candidates otherwise */
    size_t units[QALA_MATCH_MAX]; /* on QALA_OK, units[0] is the unit */
} qala_match;

/* Resolves a code, an official name or an alias in any language or period (folded,
 * see qala/text.h). kinds is a bit mask of (1u << qala_unit_kind), 0 for any.
 * QALA_OK: exactly one unit. QALA_EAMBIGUOUS: match->units lists the candidates.
 * QALA_ENOTFOUND: match->units lists up to 3 closest names' units (may be 0).
 * QALA_EINVAL: name is not valid UTF-8. The error message names the candidates. */
qala_status qala_registry_match(const qala_registry *reg, const char *name, size_t len,
                                unsigned kinds, qala_match *match);

#ifdef __cplusplus
}
#endif
#endif
