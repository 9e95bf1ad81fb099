/* src/store/store_schema.c — the schema of a qala database, as a list of migrations.
 *
 * qala_store__migrations[v - 1] is the SQL that turns a version v - 1 database into
 * version v; PRAGMA user_version holds the version reached. Version 1 is the initial
 * schema. A migration is never edited once released: a change of the schema is a new
 * entry at the end (and a line in docs/store.md). The opener runs the missing
 * migrations in one transaction, so a database is always at a version of this list.
 *
 * Invariants kept by the schema itself (every table is STRICT):
 * - codes are unique without regard to ASCII case, like the registry's lookups;
 * - validity periods are half-open qala_date integers with valid_from < valid_to;
 * - names are stored for kk, ru and en only (the Kazakh Latin forms are generated
 *   when a registry is built) with their qala_fold() form for case-free lookups;
 * - an observation refers to an existing unit, indicator and batch (foreign keys); a
 *   revision moves the old row to observation_history, so (history ∪ current) is the
 *   full story of every key.
 */
#include "store/store_sql.h"

static const char schema_v1[] =
    "CREATE TABLE meta(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE units(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK(code <> ''),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('country', 'region', 'city')),\n"
    "  kato TEXT,\n"
    "  lat REAL CHECK(lat BETWEEN -90 AND 90),\n"
    "  lon REAL CHECK(lon BETWEEN -180 AND 180),\n"
    "  valid_from INTEGER NOT NULL,\n"
    "  valid_to INTEGER NOT NULL,\n"
    "  source TEXT,\n"
    "  CHECK(valid_from < valid_to)\n"
    ") STRICT;\n"
    "CREATE TABLE unit_names(\n"
    "  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,\n"
    "  lang TEXT NOT NULL CHECK(lang IN ('kk', 'ru', 'en')),\n"
    "  name TEXT NOT NULL,\n"
    "  folded TEXT NOT NULL,\n"
    "  valid_from INTEGER NOT NULL,\n"
    "  valid_to INTEGER NOT NULL,\n"
    "  official INTEGER NOT NULL CHECK(official IN (0, 1)),\n"
    "  CHECK(valid_from < valid_to)\n"
    ") STRICT;\n"
    "CREATE INDEX unit_names_unit ON unit_names(unit_id);\n"
    "CREATE INDEX unit_names_folded ON unit_names(folded);\n"
    "CREATE TABLE unit_parents(\n"
    "  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,\n"
    "  parent_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,\n"
    "  valid_from INTEGER NOT NULL,\n"
    "  valid_to INTEGER NOT NULL,\n"
    "  source TEXT,\n"
    "  CHECK(valid_from < valid_to),\n"
    "  CHECK(unit_id <> parent_id)\n"
    ") STRICT;\n"
    "CREATE INDEX unit_parents_unit ON unit_parents(unit_id);\n"
    "CREATE INDEX unit_parents_parent ON unit_parents(parent_id);\n"
    "CREATE TABLE groups(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK(code <> ''),\n"
    "  name_kk TEXT,\n"
    "  name_ru TEXT,\n"
    "  name_en TEXT,\n"
    "  source TEXT\n"
    ") STRICT;\n"
    "CREATE TABLE group_members(\n"
    "  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,\n"
    "  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,\n"
    "  valid_from INTEGER NOT NULL,\n"
    "  valid_to INTEGER NOT NULL,\n"
    "  source TEXT,\n"
    "  CHECK(valid_from < valid_to)\n"
    ") STRICT;\n"
    "CREATE INDEX group_members_group ON group_members(group_id);\n"
    "CREATE INDEX group_members_unit ON group_members(unit_id);\n"
    "CREATE TABLE domains(\n"
    "  code TEXT PRIMARY KEY,\n"
    "  name_kk TEXT,\n"
    "  name_ru TEXT,\n"
    "  name_en TEXT\n"
    ") STRICT;\n"
    "INSERT INTO domains(code) VALUES ('incomes'), ('consumption'), ('labour'),\n"
    "  ('social'), ('environment'), ('demography'), ('economy'), ('infrastructure'),\n"
    "  ('digital'), ('innovation');\n"
    "CREATE TABLE indicators(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK(code <> ''),\n"
    "  domain TEXT NOT NULL REFERENCES domains(code),\n"
    "  direction INTEGER NOT NULL CHECK(direction IN (-1, 1)),\n"
    "  unit TEXT,\n"
    "  decimals INTEGER NOT NULL CHECK(decimals BETWEEN 0 AND 15),\n"
    "  min REAL,\n" /* NULL: unbounded */
    "  max REAL,\n"
    "  name_kk TEXT,\n"
    "  name_ru TEXT,\n"
    "  name_en TEXT,\n"
    "  description TEXT,\n"
    "  source TEXT,\n"
    "  CHECK(min IS NULL OR max IS NULL OR min <= max)\n"
    ") STRICT;\n"
    "CREATE TABLE batches(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  file TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL CHECK(length(sha256) = 64),\n"
    "  imported_at TEXT NOT NULL CHECK(imported_at GLOB\n"
    "    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),\n"
    "  inserted INTEGER NOT NULL DEFAULT 0,\n"
    "  revised INTEGER NOT NULL DEFAULT 0,\n"
    "  note TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX batches_imported_at ON batches(imported_at);\n"
    "CREATE TABLE observations(\n"
    "  unit_id INTEGER NOT NULL REFERENCES units(id),\n"
    "  indicator_id INTEGER NOT NULL REFERENCES indicators(id),\n"
    "  period INTEGER NOT NULL,\n"
    "  value REAL,\n" /* NULL: confidential */
    "  flag INTEGER NOT NULL DEFAULT 0 CHECK(flag BETWEEN 0 AND 5),\n"
    "  batch_id INTEGER NOT NULL REFERENCES batches(id),\n"
    "  line INTEGER NOT NULL DEFAULT 0,\n" /* the row of the batch's file it came from */
    "  PRIMARY KEY(unit_id, indicator_id, period)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE observation_history(\n"
    "  unit_id INTEGER NOT NULL REFERENCES units(id),\n"
    "  indicator_id INTEGER NOT NULL REFERENCES indicators(id),\n"
    "  period INTEGER NOT NULL,\n"
    "  value REAL,\n"
    "  flag INTEGER NOT NULL CHECK(flag BETWEEN 0 AND 5),\n"
    "  batch_id INTEGER NOT NULL REFERENCES batches(id),\n"
    "  line INTEGER NOT NULL DEFAULT 0,\n"
    "  replaced_by_batch INTEGER NOT NULL REFERENCES batches(id),\n"
    "  replaced_at TEXT NOT NULL,\n"
    "  PRIMARY KEY(unit_id, indicator_id, period, replaced_by_batch),\n"
    "  CHECK(batch_id < replaced_by_batch)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX observation_history_indicator ON observation_history(indicator_id);\n"
;

/* Version 2: threshold files, and an analyst's reading of a flag (as the EU's in-depth reviews read the
 * scoreboard): a verdict and a note on a unit × indicator × period, with author and time.
 * Rows are never updated: the latest per key is the reading in force, earlier ones are
 * its history. */
static const char schema_v2[] =
    "CREATE TABLE annotations(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  unit_id INTEGER NOT NULL REFERENCES units(id),\n"
    "  indicator_id INTEGER NOT NULL REFERENCES indicators(id),\n"
    "  period INTEGER NOT NULL,\n"
    "  verdict TEXT NOT NULL CHECK(verdict IN ('confirmed', 'dismissed', 'watch')),\n"
    "  note TEXT NOT NULL DEFAULT '',\n"
    "  author TEXT NOT NULL CHECK(author <> ''),\n"
    "  created_at TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX annotations_key ON annotations(unit_id, indicator_id, period, id);\n"
    /* Threshold files as imported (checked against the framework and registry first);
     * parsed again when loaded, so the file is the single source of each set. */
    "CREATE TABLE threshold_files(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  label TEXT NOT NULL UNIQUE CHECK(label <> ''),\n"
    "  sha256 TEXT NOT NULL CHECK(length(sha256) = 64),\n"
    "  content TEXT NOT NULL,\n"
    "  imported_at TEXT NOT NULL\n"
    ") STRICT;\n";

/* Version 3: the bearer tokens of `qala serve`'s writes (uploads, annotations). Only the
 * SHA-256 of a token is kept: the token itself is shown once, when it is created, and a
 * stolen database does not give it away. A revoked token keeps its row (revoked_at set)
 * so that the list says when. */
static const char schema_v3[] =
    "CREATE TABLE tokens(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  sha256 TEXT NOT NULL UNIQUE CHECK(length(sha256) = 64),\n"
    "  created_at TEXT NOT NULL,\n"
    "  revoked_at TEXT\n"
    ") STRICT;\n";

const char *const qala_store__migrations[] = {
    schema_v1,
    schema_v2,
    schema_v3,
};
const int qala_store__migration_count =
    (int)(sizeof qala_store__migrations / sizeof qala_store__migrations[0]);

int qala_store__latest_version(void)
{
    return qala_store__migration_count;
}
