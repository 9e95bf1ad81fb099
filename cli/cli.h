/* cli/cli.h — what the commands of the qala tool share: the run context, options,
 * output tables and messages. The tool uses libqala's public API only.
 */
#ifndef QALA_CLI_H
#define QALA_CLI_H

#include <stdio.h>

#include "qala/qala.h"

/* Exit codes (docs/cli.md). */
enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

typedef enum out_format { FORMAT_AUTO = 0, FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON } out_format;

typedef struct cli_ctx {
    const char *db_path;
    qala_lang lang;
    out_format format;
    int color;        /* colour on the terminal */
    int progress;     /* progress bars on stderr */
    qala_date at;     /* --at, default today */
    FILE *out, *err;
    /* loaded on demand by cli_load() */
    qala_store *store;
    qala_registry *reg;
    qala_framework *fw;
    qala_thresholds *thresholds; /* cli_load_thresholds() */
} cli_ctx;

/* ---- options ---- */
typedef struct cli_option {
    const char *name;   /* long name without dashes */
    int takes_value;
    const char **value; /* where the value goes (or "1" for a flag) */
} cli_option;

/* Parses argv after the command name: long options of this command (--name VALUE or
 * --name=VALUE), the common ones (--db, --lang, --format, --at, --color, --no-color,
 * --help), and positional arguments collected into positional (at most max_positional).
 * Returns EXIT_OK, EXIT_USAGE (message printed), or -1 when --help was printed. */
int cli_parse(cli_ctx *ctx, int argc, char **argv, const cli_option *options,
              const char **positional, int max_positional, int *npositional,
              const char *command);

/* ---- loading ---- */
enum { LOAD_REGISTRY = 1, LOAD_FRAMEWORK = 2, LOAD_STORE = 4, LOAD_STORE_WRITE = 8 };
/* Opens the store and loads what is asked; when the database does not exist and only
 * reading is asked, the embedded defaults are used. Returns an exit code. */
int cli_load(cli_ctx *ctx, unsigned what);
void cli_unload(cli_ctx *ctx);
/* Prints "qala: <message>" for the last library error and returns its exit code. */
int cli_fail(cli_ctx *ctx, qala_status st, const char *what);
int cli_exit_code(qala_status st);
/* Prints findings as file:line:column: error|warning: message (sorted). */
void cli_print_findings(cli_ctx *ctx, const qala_findings *f);
/* Resolves a unit given by code or name, printing a clear error. */
int cli_resolve_unit(cli_ctx *ctx, const char *text, size_t *unit);

/* ---- tables ---- */
typedef struct cli_table cli_table;
/* Columns: stable key (CSV/JSON name) and the localised heading (table). */
cli_table *cli_table_new(size_t ncols, const char *const *keys, const char *const *headings);
void cli_table_free(cli_table *t);
/* Adds a row of ncols strings (copied). NULL cells are empty / JSON null. */
int cli_table_add(cli_table *t, const char *const *cells);
/* Marks column c as numeric (right-aligned in tables, a JSON number). */
void cli_table_numeric(cli_table *t, size_t c);
void cli_table_print(cli_ctx *ctx, const cli_table *t);
/* Writes the n bytes of s as one CSV field (quoted when needed, RFC 4180). */
void cli_csv_field(FILE *f, const char *s, size_t n);

/* ---- messages in kk / ru / en ---- */
typedef enum msg_id {
    MSG_CODE, MSG_NAME, MSG_KIND, MSG_REGION, MSG_GROUPS, MSG_LAT, MSG_LON, MSG_MEMBERS,
    MSG_SOURCE, MSG_DOMAIN, MSG_UNIT, MSG_DIRECTION, MSG_INDICATOR, MSG_PERIOD, MSG_VALUE,
    MSG_FLAG, MSG_FROM, MSG_TO, MSG_LANGUAGE, MSG_STATUS, MSG_COUNT, MSG_NO_DATA,
    MSG_SUMMARY_DB, MSG_SUMMARY_UNITS, MSG_SUMMARY_GROUPS, MSG_SUMMARY_INDICATORS,
    MSG_SUMMARY_OBSERVATIONS, MSG_SUMMARY_BATCHES, MSG_IMPORTED, MSG_NOTHING_STORED,
    MSG_ALIASES, MSG_REGION_HISTORY, MSG_LATEST, MSG_COUNTRY, MSG_KIND_REGION, MSG_KIND_CITY,
    MSG_CATEGORY, MSG_ELIGIBLE, MSG_EVALUATED, MSG_RULES, MSG_YES, MSG_NO,
    MSG_THRESHOLDS, MSG_ZONE, MSG_TERRITORY, MSG_TREND, MSG_READING, MSG_TRANSFORMED, MSG_WARNING, MSG_CRISIS,
    /* zone, status and trend words, in the order of their enums */
    MSG_ZONE_NO_DATA, MSG_ZONE_NORMAL, MSG_ZONE_WARNING, MSG_ZONE_CRISIS,
    MSG_STATUS_NONE, MSG_STATUS_NEW, MSG_STATUS_PERSISTENT, MSG_STATUS_AGGRAVATING, MSG_STATUS_UNWINDING,
    MSG_TREND_NONE, MSG_TREND_IMPROVING, MSG_TREND_STABLE, MSG_TREND_WORSENING,
    MSG_COUNT_IDS
} msg_id;
const char *cli_msg(const cli_ctx *ctx, msg_id id);
const char *cli_kind_name(const cli_ctx *ctx, qala_unit_kind kind);

/* ---- commands ---- */
typedef struct cli_command {
    const char *name;
    int (*run)(cli_ctx *ctx, int argc, char **argv);
    const char *summary;
    const char *usage;    /* after "qala NAME " */
    const char *details;  /* options, one per line: "  --opt X   what" */
} cli_command;

extern const cli_command cli_commands[];
const cli_command *cli_find_command(const char *name);
void cli_print_command_help(FILE *f, const cli_command *c);

int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_import(cli_ctx *ctx, int argc, char **argv);
int cmd_units(cli_ctx *ctx, int argc, char **argv);
int cmd_groups(cli_ctx *ctx, int argc, char **argv);
int cmd_indicators(cli_ctx *ctx, int argc, char **argv);
int cmd_show(cli_ctx *ctx, int argc, char **argv);
int cmd_export(cli_ctx *ctx, int argc, char **argv);
int cmd_demo(cli_ctx *ctx, int argc, char **argv);
int cmd_man(cli_ctx *ctx, int argc, char **argv);
int cmd_thresholds(cli_ctx *ctx, int argc, char **argv);
int cmd_monitor(cli_ctx *ctx, int argc, char **argv);
int cmd_alerts(cli_ctx *ctx, int argc, char **argv);
int cmd_annotate(cli_ctx *ctx, int argc, char **argv);

/* The threshold sets kept in the database, or the embedded default set when none are
 * (loads the registry and framework first). Returns an exit code. */
int cli_load_thresholds(cli_ctx *ctx);
/* The latest period with at least half as many observations of thresholded indicators
 * as the best-covered one; 0 when there are none. */
qala_period cli_default_period(cli_ctx *ctx, const qala_dataset *ds);
int cmd_categories(cli_ctx *ctx, int argc, char **argv);

#endif
