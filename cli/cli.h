/* cli/cli.h — what the commands of the qala tool share: the run context, options,
 * output tables and messages. The tool uses libqala's public API only.
 */
#ifndef QALA_CLI_H
#define QALA_CLI_H

#include <stdio.h>

#include "qala/qala.h"
#include "qala/index_data.h"
#include "qala/dynamics.h"
#include "qala/panel.h"

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
    /* the composite index (index, diagnose) */
    MSG_INDEX_RANK, MSG_INDEX_SCORE, MSG_INDEX_GROUP_RANK, MSG_INDEX_WEIGHTS, MSG_INDEX_RANKED,
    MSG_INDEX_SCREENED, MSG_INDEX_NO_SCORE, MSG_INDEX_INDICATORS_USED, MSG_INDEX_DROPPED,
    MSG_INDEX_SCREEN_NO_COLUMN, MSG_INDEX_SCREEN_LOW, MSG_INDEX_SCREEN_ZEROS, MSG_INDEX_NO_DATA_AT_ALL,
    MSG_INDEX_NO_DATA_PERIOD, MSG_INDEX_EMBEDDED, MSG_INDEX_UNITS_NO_DATA, MSG_INDEX_AVAILABILITY,
    MSG_INDEX_LEVEL, MSG_INDEX_WEIGHT, MSG_INDEX_EFFECTIVE, MSG_INDEX_METHOD, MSG_INDEX_NODES,
    MSG_INDEX_INDICATORS, MSG_INDEX_LEVELS, MSG_INDEX_SPEC_OK, MSG_INDEX_IMPUTED, MSG_INDEX_TREATED, MSG_INDEX_TRANSFORM, MSG_INDEX_DENOMINATOR, MSG_INDEX_DROPPED_TITLE,
    MSG_DIAG_STATS, MSG_DIAG_ZEROS, MSG_DIAG_SKEW, MSG_DIAG_KURT, MSG_DIAG_OUTLIERS, MSG_DIAG_COLLINEAR,
    MSG_DIAG_NO_COLLINEAR, MSG_DIAG_ALPHA, MSG_DIAG_PCA, MSG_DIAG_NEGATIVE, MSG_DIAG_STRENGTHS,
    MSG_DIAG_WEAKNESSES, MSG_DIAG_VARIANCE, MSG_DIAG_AGGREGATE,
    /* inequality, convergence, trends, compare (cmd_inequality.c, cmd_trends.c, cmd_compare.c) */
    MSG_DYN_MEASURE, MSG_DYN_WEIGHTED, MSG_DYN_UNWEIGHTED, MSG_DYN_MEAN, MSG_DYN_SD,
    /* the measures of qala_ineq_measure, in enum order */
    MSG_DYN_CV, MSG_DYN_SD_LOG, MSG_DYN_GINI, MSG_DYN_THEIL_T, MSG_DYN_THEIL_L, MSG_DYN_MAXMIN,
    MSG_DYN_TOP_BOTTOM,
    MSG_DYN_UNITS, MSG_DYN_WITH_VALUE, MSG_DYN_NO_VALUE, MSG_DYN_NO_WEIGHT, MSG_DYN_WEIGHTS,
    MSG_DYN_DECOMP, MSG_DYN_TOTAL, MSG_DYN_WITHIN, MSG_DYN_BETWEEN, MSG_DYN_BETWEEN_SHARE,
    MSG_DYN_GROUP, MSG_DYN_POP_SHARE, MSG_DYN_INCOME_SHARE, MSG_DYN_NESTED, MSG_DYN_WITHIN_INNER,
    MSG_DYN_BETWEEN_INNER, MSG_DYN_BETWEEN_OUTER, MSG_DYN_OTHER,
    /* the unit sets of qala_panel_units, in enum order */
    MSG_DYN_SET_FIRST_LEVEL, MSG_DYN_SET_REGIONS, MSG_DYN_SET_CITIES, MSG_DYN_SET_ALL,
    MSG_DYN_NO_OBSERVATIONS, MSG_DYN_NO_VALUES_PERIOD,
    MSG_CONV_SIGMA, MSG_CONV_DISPERSION, MSG_CONV_TREND, MSG_CONV_PER_YEAR, MSG_CONV_CONVERGING,
    MSG_CONV_DIVERGING, MSG_CONV_BETA, MSG_CONV_SPEED, MSG_CONV_HALF_LIFE, MSG_CONV_YEARS,
    MSG_CONV_BALANCED, MSG_CONV_AVAILABLE, MSG_CONV_TOO_FEW,
    MSG_TRENDS_FIRST, MSG_TRENDS_LAST, MSG_TRENDS_CAGR, MSG_TRENDS_SLOPE, MSG_TRENDS_LAST_CHANGE,
    MSG_TRENDS_CLASS, MSG_TRENDS_TARGET, MSG_TRENDS_REQUIRED, MSG_TRENDS_RATIO, MSG_TRENDS_NO_DATA_UNITS,
    /* the classes of qala_progress_class, in enum order */
    MSG_PROGRESS_UNASSESSED, MSG_PROGRESS_ACHIEVED, MSG_PROGRESS_ON_TRACK, MSG_PROGRESS_ACCELERATION,
    MSG_PROGRESS_LIMITED, MSG_PROGRESS_DETERIORATION,
    MSG_CMP_MEDIAN, MSG_CMP_IQR, MSG_CMP_MIN, MSG_CMP_MAX, MSG_CMP_REST, MSG_CMP_PAIR,
    MSG_CMP_DIFF_MEAN, MSG_CMP_DIFF_MEDIAN, MSG_CMP_P_MEAN, MSG_CMP_P_MEDIAN, MSG_CMP_PERMUTATION,
    MSG_CMP_SEED,
    /* the typology from data (classify) */
    MSG_CLASSIFY_NO_RULE_DATA, MSG_CLASSIFY_OFFICIAL, MSG_CLASSIFY_DATA, MSG_CLASSIFY_DIFFERS,
    MSG_CLASSIFY_REASONS, MSG_CLASSIFY_AGREE, MSG_CLASSIFY_DISAGREE, MSG_CLASSIFY_BOTH,
    MSG_CLASSIFY_OFFICIAL_ONLY, MSG_CLASSIFY_DATA_ONLY, MSG_CLASSIFY_NEITHER, MSG_CLASSIFY_OFFICIAL_NO_DATA,
    MSG_CLASSIFY_OTHER_NO_DATA, MSG_CLASSIFY_TITLE_RULES, MSG_CLASSIFY_TITLE_KMEANS, MSG_CLASSIFY_TITLE_WARD,
    MSG_CLASSIFY_CROSSTAB, MSG_CLASSIFY_TOO_FEW, MSG_CLASSIFY_CLUSTER, MSG_CLASSIFY_MAPPED,
    MSG_CLASSIFY_UNITS_CLUSTERED, MSG_CLASSIFY_EXCLUDED, MSG_CLASSIFY_CONSTANT, MSG_CLASSIFY_NO_OFFICIAL,
    MSG_CLASSIFY_NONE, MSG_CLASSIFY_ARI_FEW, MSG_CLASSIFY_ARI_UNITS,
    /* the sensitivity analysis */
    MSG_SENS_FACTORS, MSG_SENS_UNCERTAINTY, MSG_SENS_SOBOL, MSG_SENS_RUNS, MSG_SENS_OF, MSG_SENS_SEED,
    MSG_SENS_MEDIAN, MSG_SENS_TOP, MSG_SENS_BOTTOM, MSG_SENS_SHIFT, MSG_SENS_SOBOL_SHIFT,
    MSG_SENS_SOBOL_UNIT, MSG_SENS_FACTOR, MSG_SENS_FIRST, MSG_SENS_TOTAL, MSG_SENS_INTERRUPTED,
    MSG_SENS_THR_TITLE, MSG_SENS_P_CRISIS, MSG_SENS_P_BREACH, MSG_SENS_THR_DEPENDS,
    /* data-quality checks (cmd_check.c) */
    MSG_CHECK_SEVERITY, MSG_CHECK_RULE, MSG_CHECK_MESSAGE, MSG_CHECK_NONE, MSG_CHECK_FINDINGS,
    MSG_CHECK_ERRORS, MSG_CHECK_WARNINGS, MSG_CHECK_EVALUATED, MSG_CHECK_BENFORD,
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
int cmd_index(cli_ctx *ctx, int argc, char **argv);
int cmd_diagnose(cli_ctx *ctx, int argc, char **argv);
int cmd_classify(cli_ctx *ctx, int argc, char **argv);
int cmd_report(cli_ctx *ctx, int argc, char **argv);
int cmd_sensitivity(cli_ctx *ctx, int argc, char **argv);
/* qala sensitivity --thresholds F (cmd_sens_monitor.c): the options as given (NULL when
 * absent), runs and seed already checked. Returns an exit code. */
typedef struct cli_sens_monitor_args {
    const char *fraction, *period, *group, *region, *kind, *unit, *domain, *set;
    size_t runs;
    unsigned long seed;
} cli_sens_monitor_args;
int cli_sens_monitor(cli_ctx *ctx, const cli_sens_monitor_args *a);
int cmd_check(cli_ctx *ctx, int argc, char **argv);
/* Reads an SDMX code mapping file (--sdmx-map), printing its findings; *out NULL when
 * path is NULL. Returns an exit code (cmd_import.c; used by export too). */
int cli_load_sdmx_map(cli_ctx *ctx, const char *command, const char *path, qala_sdmx_map **out);
int cmd_serve(cli_ctx *ctx, int argc, char **argv);
int cmd_token(cli_ctx *ctx, int argc, char **argv);
/* qala export --format xlsx (cmd_export_xlsx.c). */
int cli_export_xlsx(cli_ctx *ctx, int argc, char **argv);

/* ---- the composite index (cmd_index.c; used by cmd_index_show.c and cmd_diagnose.c) ---- */
typedef struct cli_index {
    /* options */
    const char *spec_name;  /* --spec NAME|FILE (default city-development) */
    const char *weights;    /* --weights SET */
    const char *period, *from, *to;
    const char *group, *region, *kind;
    /* loaded */
    qala_index_spec *spec;
    const qala_index_tree *tree;
    qala_dataset *ds;
    qala_index_data *data;
    qala_index_result *res;
    qala_period p_from, p_to;
    int embedded;           /* no database: the embedded demo statistics */
    int no_data;            /* nothing to compute: the message was printed */
} cli_index;

/* Loads the spec of ix->spec_name and switches to ix->weights: findings printed, unknown
 * names listed. Returns an exit code. */
int cli_index_load_spec(cli_ctx *ctx, cli_index *ix, const char *command);
/* Loads the spec, the observations (the database, or the embedded demo statistics when
 * there is none), builds the input for the periods and filters and runs the pipeline.
 * When there is no data at all, prints why on stdout, sets ix->no_data and returns
 * EXIT_OK with ix->res NULL. Returns an exit code. */
int cli_index_prepare(cli_ctx *ctx, cli_index *ix, const char *command);
void cli_index_free(cli_index *ix);
/* The node's name in the language of ctx (falling back to English, then the code). */
const char *cli_index_node_name(const cli_ctx *ctx, const qala_index_node *node);
/* The localised name of input unit u (its code when not in the registry). */
const char *cli_index_unit_name(const cli_ctx *ctx, const cli_index *ix, size_t u);
/* One line: the spec, period(s), weight set and, with a result, units kept and screened
 * and the indicators dropped with why. */
void cli_index_header(cli_ctx *ctx, const cli_index *ix, FILE *f);
/* The indicators screened out, with why, as a wrapped list (nothing when none). */
void cli_index_dropped(cli_ctx *ctx, const cli_index *ix);
/* Adds an item to a wrapped list titled `title` (*col = 0 before the first). */
void cli_index_list_item(cli_ctx *ctx, size_t *col, const char *title, const char *item);
/* "%.*g"-style formatting of a score ("" for NAN). */
void cli_index_fmt(char *buf, size_t n, double x, int digits);
int cli_index_show(cli_ctx *ctx, int argc, char **argv);
int cli_index_export(cli_ctx *ctx, int argc, char **argv);
int cli_index_list(cli_ctx *ctx, int argc, char **argv);

/* ---- inequality, convergence, trends, compare (cmd_inequality.c) ---- */
int cmd_inequality(cli_ctx *ctx, int argc, char **argv);
int cmd_convergence(cli_ctx *ctx, int argc, char **argv);
int cmd_trends(cli_ctx *ctx, int argc, char **argv);
int cmd_compare(cli_ctx *ctx, int argc, char **argv);

/* What the four commands share: the options choosing units and periods, and the data. */
typedef struct cli_dyn {
    /* options */
    const char *period, *from, *to, *kind, *group, *region, *weights, *unweighted;
    /* loaded */
    qala_dataset *ds;
    int embedded;             /* no database: the embedded demo statistics */
    qala_period p_period, p_from, p_to;
    qala_panel_units units;
} cli_dyn;

/* Parses --period/--from/--to and --kind (default_units when absent), loads the registry,
 * framework and observations (the database, or the embedded demo statistics). Returns
 * an exit code. */
int cli_dyn_load(cli_ctx *ctx, cli_dyn *d, const char *command, qala_panel_units default_units);
/* Splits "G1,G2" (at most CLI_DYN_MAX_GROUPS) into codes pointing into buf, each a
 * registry group; an unknown one is an error with the closest code. Returns an exit code. */
#define CLI_DYN_MAX_GROUPS 16
int cli_dyn_split_groups(cli_ctx *ctx, const char *command, const char *text, char *buf, size_t bufsize,
                         const char **codes, size_t *n);
/* Resolves an indicator given by code or name; unknown: prints close names. */
int cli_dyn_indicator(cli_ctx *ctx, const char *text, const char *command, size_t *index);
/* Builds the panel of indicator `code` with the weights `weights` (or NULL), over the
 * periods asked (--period: that one; --from/--to; else every period with data), --group
 * as a filter when group_filter. Returns an exit code. */
int cli_dyn_panel(cli_ctx *ctx, cli_dyn *d, const char *command, const char *code, const char *weights,
                  int group_filter, qala_panel **out);
/* "Name (code)" of an indicator, the localised name of panel unit u, and the period
 * index to show (--period, else the default one); SIZE_MAX when there is none. */
const char *cli_dyn_indicator_name(const cli_ctx *ctx, size_t indicator);
const char *cli_dyn_unit_name(const cli_ctx *ctx, const qala_panel *p, size_t u);
size_t cli_dyn_period(const cli_dyn *d, const qala_panel *p);
/* A number for a table ("%.*g" with `digits` significant digits) or for CSV/JSON (15). */
void cli_dyn_fmt(char *buf, size_t n, double x, int digits);
/* The localised name of a group code of a grouping (a region, a registry group, other). */
const char *cli_dyn_group_name(const cli_ctx *ctx, const char *code);
/* On a table, one line saying the embedded demo statistics are used (no database). */
void cli_dyn_note_embedded(cli_ctx *ctx, const cli_dyn *d);
void cli_dyn_free(cli_dyn *d);

#endif
