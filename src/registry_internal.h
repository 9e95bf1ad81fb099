/* src/registry_internal.h — the registry's tables, shared by registry.c (building and
 * reading), registry_load.c (CSV), registry_check.c (consistency) and
 * registry_match.c (names). Internal, never installed.
 *
 * Each table is an array of records whose first member is the public struct, so that
 * the getters hand out a pointer into the array. Per-unit lists (names, parents,
 * memberships of one unit) are singly linked through `next` indices in addition order,
 * so that every per-unit query costs the size of that unit's lists, not of the tables.
 * Strings are owned by the records (qala_mem__strdup). Indices: unit and group codes
 * (case-insensitive) and folded names, see registry_index.h.
 */
#ifndef QALA_REGISTRY_INTERNAL_H
#define QALA_REGISTRY_INTERNAL_H

#include "qala/registry.h"
#include "registry_index.h"

#define QALA_REG_NONE ((size_t)-1)

typedef struct qala_reg_unit {
    qala_unit pub;
    size_t name_head, name_tail;
    size_t parent_head, parent_tail;
    size_t member_head, member_tail;
} qala_reg_unit;

typedef struct qala_reg_name {
    qala_unit_name pub;
    char *folded; /* qala_text_fold of pub.name */
    size_t next;  /* next name of the same unit */
} qala_reg_name;

typedef struct qala_reg_parent {
    qala_unit_parent pub;
    size_t next;
} qala_reg_parent;

typedef struct qala_reg_member {
    qala_membership pub;
    size_t next;
} qala_reg_member;

struct qala_registry {
    qala_reg_unit *units;
    size_t nunits, aunits;
    qala_reg_name *names;
    size_t nnames, anames;
    qala_reg_parent *parents;
    size_t nparents, aparents;
    qala_group *groups;
    size_t ngroups, agroups;
    qala_reg_member *members;
    size_t nmembers, amembers;
    qala_strindex unit_codes;  /* code (any case) -> unit */
    qala_strindex group_codes; /* code (any case) -> group */
    qala_strindex folded;      /* folded name -> name */
};

/* The sizes of the five tables, to undo a load that failed half-way. */
typedef struct qala_reg_mark {
    size_t units, names, parents, groups, members;
} qala_reg_mark;

qala_reg_mark qala_registry__mark(const qala_registry *reg);
/* Drops everything added after mark and rebuilds the indices and lists (no allocation). */
void qala_registry__rollback(qala_registry *reg, qala_reg_mark mark);

/* "2019-03-23", or "the beginning" / "the open end" for the open ends. */
void qala_registry__date_text(char buf[static 16], qala_date d);

#endif
