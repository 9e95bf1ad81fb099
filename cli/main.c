/* cli/main.c — the qala command's driver: the table of commands, common options,
 * help texts (which also make the man page: `qala man`), loading the store, and the
 * mapping of library statuses to exit codes (0 ok, 1 data problems, 2 usage, 3 I/O or
 * database). Only this folder prints; libqala never does.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

#define COMMON_OPTIONS                                                                      \
    "  --db PATH         database file (default: $QALA_DB or qala.db)\n"                   \
    "  --lang kk|ru|en|kk-latn  language of names and headings (default: from $LANG)\n"     \
    "  --format table|csv|json  output format (default: table on a terminal, else csv)\n"   \
    "  --at DATE         the layout in force on DATE (YYYY-MM-DD; default: today)\n"       \
    "  --color, --no-color  force or disable colours (default: on a terminal)\n"            \
    "  --help            this help\n"

const cli_command cli_commands[] = {
    {"init", cmd_init, "create the database with the Kazakhstan registry and indicator framework",
     "[--force]",
     "  --force           replace the registry and framework of an existing database\n"},
    {"import", cmd_import, "import statistics tables (CSV, XLSX, SDMX-CSV) with validation", "FILE...",
     "  --encoding NAME   input encoding (default: detect UTF-8 or WINDOWS-1251)\n"
     "  --delimiter C     field delimiter: , ; or tab (default: detect)\n"
     "  --layout L        long | wide-indicators | wide-periods (default: detect)\n"
     "  --map R=H,...     take role R (unit, indicator, period, value, flag) from column H\n"
     "  --indicator CODE  the indicator of a table without an indicator column\n"
     "  --period P        the period of a table without a period column\n"
     "  --keep-valid      store the valid rows even when some rows have errors\n"
     "  --rejects FILE    with --keep-valid: write rejected rows and reasons here\n"
     "                    (default: FILE.rejected.csv)\n"
     "  --dry-run         validate only; store nothing\n"
     "  --sdmx            read the files as SDMX-CSV 1.0/2.0 (default: when the header starts\n"
     "                    with DATAFLOW or STRUCTURE)\n"
     "  --sdmx-map FILE   SDMX code lists to qala codes: dimension,sdmx_code,qala_code\n"
     "                    (docs/data-format.md); --map indicator=COLUMN picks the indicator column\n"
     "  --sheet S         XLSX: the sheet to read, by name or number (default: the first)\n"
     "  --header-rows K   XLSX: the header takes K rows, joined into keys like 2022|total\n"
     "  --skip-rows R     XLSX: R title rows above the header (default: detect)\n"
     "                    (with --dry-run: a preview of how each table is read)\n"},
    {"units", cmd_units, "list territorial units", "[--group G] [--region R] [--kind K]",
     "  --group G         only members of group G (code, e.g. monocity)\n"
     "  --region R        only units in region R (code or name) at --at\n"
     "  --kind K          country | region | city\n"},
    {"groups", cmd_groups, "list groups of cities (the typology) with member counts", "", ""},
    {"indicators", cmd_indicators, "list the indicator framework", "[--domain D]",
     "  --domain D        only indicators of domain D (incomes, labour, ...)\n"},
    {"show", cmd_show, "everything about one unit: names, groups, region over time, latest values",
     "UNIT", ""},
    {"export", cmd_export, "export observations as CSV or JSON",
     "[--unit U] [--indicator I] [--from P] [--to P] [--as-of DATE]",
     "  --unit U          only unit U (code or name); repeatable as U1,U2\n"
     "  --indicator I     only indicator I (code); repeatable as I1,I2\n"
     "  --from P, --to P  period range (YYYY, YYYY-Qn, YYYY-MM)\n"
     "  --as-of DATE      values as they were known on DATE (revision history)\n"
     "  --format sdmx-csv SDMX-CSV (FREQ, REF_AREA, INDICATOR, TIME_PERIOD, OBS_VALUE, OBS_STATUS)\n"
     "  --sdmx-version 1|2  SDMX-CSV 1.0 (DATAFLOW column, the default) or 2.0 (STRUCTURE,\n"
     "                    STRUCTURE_ID, ACTION)\n"
     "  --dataflow AGENCY:ID(VERSION)  the dataflow named in every row (default QALA:DF_QALA(1.0))\n"
     "  --sdmx-map FILE   write the SDMX codes of this mapping instead of qala's codes\n"
     "  --format xlsx     a workbook: the scoreboard filled by zone, its thresholds, the index\n"
     "                    and the observations with flags (needs --out FILE)\n"
     "  --out FILE        with --format xlsx: the workbook to write\n"
     "  --period P        with --format xlsx: the period of the scoreboard and the index\n"
     "  --spec NAME       with --format xlsx: the index spec (default city-development)\n"},
    {"thresholds", cmd_thresholds, "list the threshold sets with each threshold's provenance, or keep a new set",
     "[--set S] [--indicator I] | --load FILE...",
     "  --set S           only thresholds of set S\n"
     "  --indicator I     only thresholds of indicator I (code)\n"
     "  --load FILE...    check threshold files and keep them in the database\n"},
    {"monitor", cmd_monitor, "evaluate the thresholds: scoreboard, one unit's threats, or zones per group",
     "[--period P] [--group G] [--region R] [--kind K] [--domain D] [--unit U] [--set S] [--by-group]",
     "  --period P        the period (default: the latest one well covered by data)\n"
     "  --group G         only members of group G\n"
     "  --kind K          only units of kind K (region, city)\n"
     "  --region R        only units in region R\n"
     "  --domain D        only indicators of domain D\n"
     "  --unit U          one unit: its breaches per domain and each threat\n"
     "  --set S           only thresholds of set S\n"
     "  --by-group        per group and indicator: how many members are in each zone\n"
     "  --format csv|json every detail of every evaluation\n"},
    {"alerts", cmd_alerts, "every breach, crisis and aggravating first",
     "[--period P] [--all] [--group G] [--region R] [--kind K] [--domain D] [--unit U] [--set S]",
     "  --period P        the period (default: as for monitor)\n"
     "  --all             breaches of every period\n"
     "  --group G, --region R, --kind K, --domain D, --unit U, --set S   filters, as for monitor\n"},
    {"categories", cmd_categories, "the monotown early-warning category (1 most difficult, 2 at risk, 3 stable)",
     "[--period P] [--rules FILE] [--all]",
     "  --period P        the period (default: as for monitor)\n"
     "  --rules FILE      a rule file (default: the embedded monotown rules)\n"
     "  --all             also the units that are not monotowns\n"},
    {"annotate", cmd_annotate, "record an analyst's reading of a flag (confirmed, dismissed, watch)",
     "UNIT INDICATOR PERIOD --verdict V [--note TEXT] [--author NAME] | --list [--unit U]",
     "  --verdict V       confirmed | dismissed | watch\n"
     "  --note TEXT       why\n"
     "  --author NAME     who (default: $QALA_AUTHOR, else $USER)\n"
     "  --list            list the annotations (of --unit U)\n"},
    {"index", cmd_index, "compute a composite index (ranking), show its tree, export its stages, list the specs",
     "[run|show|export|list] [--spec NAME|FILE] [--period P | --from P --to P] [--weights SET] [filters]",
     "  run (default)     the ranking: rank, unit, index score and the scores of the level below;\n"
     "                    units without data listed after, with their availability\n"
     "  show              the tree: each node's level, weight, effective weight and methods\n"
     "  export            one stage as a wide table (CSV, or --format json), or every change\n"
     "  list              the embedded specs\n"
     "  --spec NAME|FILE  an embedded spec (default city-development; see 'qala index list')\n"
     "                    or a JSON spec file (docs/index-spec.md)\n"
     "  --period P        the period (default: the latest one well covered by the index's data)\n"
     "  --from P, --to P  a range of periods (a panel)\n"
     "  --weights SET     a weight set of the spec (default: the nodes' own weights)\n"
     "  --group G, --region R, --kind K   only these units (default: regions and cities)\n"
     "  --level N         run: show the nodes of level N instead of the level below the index\n"
     "  --by region|type  run: add each unit's group and its rank within the group\n"
     "  --check FILE      show: check a spec file; findings as file: path: message (exit 1 on errors)\n"
     "  --stage S         export: raw, denominated, imputed, treated, normalised, aggregated,\n"
     "                    ranked, or changes (every denominated, imputed and treated cell)\n"
     "  --changes         export: the same as --stage changes\n"
     "  --out FILE        export: write to FILE instead of the standard output\n"},
    {"diagnose", cmd_diagnose, "diagnostics of a composite index: indicator statistics, collinearity, alpha, PCA, strengths",
     "[--spec NAME|FILE] [--period P] [--stage S] [--unit U] [filters]",
     "  --spec NAME|FILE  the index (default city-development)\n"
     "  --period P        the period (default: as for index)\n"
     "  --stage S         the indicators at this stage: denominated, imputed, treated or\n"
     "                    normalised (the default)\n"
     "  --weights SET     a weight set of the spec\n"
     "  --unit U          strengths and weaknesses of unit U only\n"
     "  --group G, --region R, --kind K   only these units\n"
     "  --format csv|json every statistic, pair, group and unit\n"},
    {"inequality", cmd_inequality, "inequality between units on indicators in one period, with its between/within-group split",
     "INDICATOR... [--period P] [--kind K] [--group G] [--region R] [--weights CODE | --unweighted] [--by G [--within G2]]",
     "  --period P        the period (default: the latest one with values for at least half as many\n"
     "                    units as the best-covered one)\n"
     "  --kind K          first-level (default: regions and cities of republican significance),\n"
     "                    region, city or all\n"
     "  --group G         only members of group G (or of any of G1,G2)\n"
     "  --region R        only units inside region R\n"
     "  --weights CODE    the weight indicator (default population); units without one are counted\n"
     "  --unweighted      every unit weighs the same\n"
     "  --by G            decompose Theil T and L: region, kind, type, a group code or G1,G2\n"
     "  --within G2       with --by: the nested two-stage decomposition, --by groups inside G2 groups\n"
     "  --format csv|json every field: counts, both summaries, each group\n"},
    {"convergence", cmd_convergence, "sigma- and beta-convergence of units on indicators over the periods",
     "INDICATOR... [--from P --to P] [--measure M] [--available] [--weights CODE] [--kind K] [--group G] [--region R]",
     "  --from P, --to P  the periods (default: every period with data)\n"
     "  --measure M       the dispersion of sigma: cv (default), sd_log, gini, theil_t, theil_l,\n"
     "                    maxmin, top_bottom_20\n"
     "  --available       each period's units with a value (default: a balanced panel, the units\n"
     "                    with a value in every period)\n"
     "  --weights CODE    weight sigma by this indicator (default: unweighted)\n"
     "  --kind K, --group G, --region R   the units, as for inequality\n"
     "  --format csv|json every period's dispersion, the trend, beta with SE, p, R2, speed, half-life\n"},
    {"trends", cmd_trends, "the trend of indicators in every unit (CAGR, slope, last change) and progress to targets",
     "INDICATOR... [--from P --to P] [--targets FILE] [--kind K] [--group G] [--region R]",
     "  --from P, --to P  the periods (default: every period with data)\n"
     "  --targets FILE    targets (docs/targets.md): progress classes on track, acceleration needed,\n"
     "                    limited progress, deterioration, target achieved; without a target the\n"
     "                    classes of the CAGR (1.5% and 0.5% a year)\n"
     "  --kind K, --group G, --region R   the units, as for inequality\n"
     "  --format csv|json every field of every unit's trend and progress\n"},
    {"compare", cmd_compare, "compare groups of cities on indicators: summaries and permutation tests of the differences",
     "INDICATOR... [--period P] [--group G1,G2] [--seed N] [--permutations B] [--kind K] [--region R]",
     "  --period P        the period (default: as for inequality)\n"
     "  --group G1,G2     the groups compared (default: every registry group), and the rest;\n"
     "                    a city in several groups counts in each\n"
     "  --seed N          the seed of the permutation tests (default 1)\n"
     "  --permutations B  random relabellings per test (default 9999)\n"
     "  --kind K          the units (default: city), as for inequality\n"
     "  --region R        only units inside region R\n"},
    {"classify", cmd_classify, "typology from data: rule-based groups or clusters (k-means, Ward) beside the official groups",
     "[--rules FILE] [--period P] | --kmeans K [--indicators a,b] [--seed S] [--restarts R] | --ward K [--indicators a,b]",
     "  --rules FILE      typology rules (default: the embedded classify/typology.csv)\n"
     "  --period P        the period (default: rules: the latest well-covered one; clusters:\n"
     "                    the one with the most units with every indicator, the latest of ties)\n"
     "  --at DATE         the date of the official groups (default: the start of the period)\n"
     "  --kmeans K        k-means into K clusters of standardised profiles (k-means++ seeding)\n"
     "  --ward K          Ward's hierarchical clustering cut at K clusters\n"
     "  --indicators A,B  indicator codes of the profile (default: those of the\n"
     "                    city-development index used without a denominator)\n"
     "  --kind K          only units of kind region or city\n"
     "  --seed S          k-means: seed of the mt19937 generator (default 1)\n"
     "  --restarts R      k-means: runs from new seeds, the lowest WCSS kept (default 10)\n"
     "  --format csv|json the unit table (csv); everything, with the cross-table and ARI (json)\n"},
    {"report", cmd_report, "the report as one self-contained HTML file: typology and map, scoreboard, index, differentiation, data quality, passports",
     "[--out FILE] [--lang kk|ru|en] [--period P] [--at DATE] [--spec NAME|FILE] [--unit U]",
     "  --out FILE        where to write (default report.html; - for the standard output)\n"
     "  --lang L          the page's language at opening (kk, ru, en; it can be switched on the page)\n"
     "  --period P        the period of the scoreboard, categories and index (default: the latest\n"
     "                    one well covered by data with thresholds)\n"
     "  --at DATE         the date of the typology: groups, Table 1, the map (default today)\n"
     "  --spec NAME|FILE  the composite index (default city-development)\n"
     "  --unit U          only the passport of unit U (default: every city)\n"
     "  --sensitivity N   rank intervals of the index from N uncertainty runs (weights ±25 %,\n"
     "                    min-max vs z-score; default 0: none; docs/report-data.md)\n"
     "  --seed S          the seed of those runs (default 1), written in the report\n"
     "  --format json     write the report's data object (docs/report-data.md) instead\n"},
    {"sensitivity", cmd_sensitivity, "uncertainty and sensitivity analysis of a composite index: how robust each rank is",
     "[--spec S] [--period P] [--factors FILE | --weights-noise F --normalise M,M ...] [--runs N] [--sobol N] [--seed S] [--threads T] [--top K] [--unit U] [--out DIR]",
     "  --spec NAME|FILE  the index (default city-development); --weights SET, --period P,\n"
     "                    --group G, --region R, --kind K: as for index\n"
     "  --factors FILE    uncertain factors from a JSON file (docs/sensitivity.md)\n"
     "  --weights-noise F noisy weights: every weight of every level below the index times\n"
     "                    1 + F·U(-1, 1); --replications N draws (default 100)\n"
     "  --normalise M,... normalisation methods (minmax, zscore, rank, ...)\n"
     "  --aggregate M,... aggregation methods (arithmetic, geometric, ...)\n"
     "  --impute M,...    imputation methods (none, mean, median, group_mean, group_median)\n"
     "  --winmax LIST     outlier treatment: winmax values, 0 = off (e.g. 1-5 or 0,2,4)\n"
     "  --exclude all|I,... leave one indicator out at a time (or none)\n"
     "  --runs N          uncertainty analysis of N runs (the default, N = 1000)\n"
     "  --sobol N         Sobol indices from a Saltelli design of N rows: N(d+2) runs\n"
     "                    (d <= 20 factors); with --runs, both analyses\n"
     "  --seed S          the random seed (default 1), written in every output\n"
     "  --threads T       threads (default: one per CPU); results do not depend on it\n"
     "  --top K           probabilities of the top K and bottom K (default 10)\n"
     "  --unit U          also the Sobol indices of the rank of unit U\n"
     "  --out DIR         also write DIR/sensitivity.csv and DIR/sensitivity.json\n"
     "  --format csv|json every run's choices, per-unit summaries and rank histograms\n"
     "  Ctrl-C stops: the runs in flight finish, the results cover the runs done (exit 130)\n"
     "  --thresholds F    the monitoring instead: every threshold's boundaries times\n"
     "                    1 + F·U(-1, 1) in each of --runs N runs (default 1000; --seed S);\n"
     "                    per unit and indicator of the scoreboard (--period P; filters\n"
     "                    --group, --region, --kind, --unit, --domain, --set as for monitor)\n"
     "                    the nominal zone and the share of runs in crisis and in warning or\n"
     "                    worse, the rows whose zone depends on the boundaries first\n"},
    {"check", cmd_check, "data-quality checks of the stored data: ranges, identities, jumps, outliers, repeats, Benford, gaps",
     "[--rules FILE] [--unit U] [--indicator I] [--only R,...] [thresholds] [--format table|csv|json]",
     "  --rules FILE      accounting identities (docs/check.md; default: the embedded\n"
     "                    check/identities.csv: population = male + female within 0.5%)\n"
     "  --unit U          only findings about unit U (the statistics use every unit)\n"
     "  --indicator I     only findings about indicator I\n"
     "  --only R,...      only these rules: range, identity, jump, peer-outlier, repeated,\n"
     "                    benford, missing-series (default: all)\n"
     "  --jump-z Z        robust z above which a period-on-period change is a jump (default 5)\n"
     "  --min-changes N   other changes a series needs for its own z (default 5)\n"
     "  --min-change L    and a jump of a positive series differs from its median change by at\n"
     "                    least this log ratio (default 0.02, about 2%)\n"
     "  --peer-z Z        robust z above which a value is a peer outlier (default 3.5)\n"
     "  --min-peers N     other peers needed for a peer statistic (default 5)\n"
     "  --repeat K        equal values in K consecutive periods are a finding (default 3)\n"
     "  --benford-n N     values the Benford test needs (default 50)\n"
     "  --benford-span S  orders of magnitude the values must span (default 2)\n"
     "  --benford-alpha A p-value below which Benford is a finding (default 0.01)\n"
     "  --benford-indicators A,B  the count indicators (default: whole-number counts of the framework)\n"
     "  --missing-share F an indicator is expected when this share of peers has it (default 0.75)\n"
     "  --format csv|json every finding with its statistic; json adds the Benford tests and counts\n"
     "  Exit status 1 when an error is found (warnings alone: 0).\n"},
    {"serve", cmd_serve, "serve the JSON API and the dashboard over HTTP (read-only; writes need a token)",
     "[--listen HOST:PORT] [--web DIR] [--max-body BYTES] [--timeout S] [--threads N] [--access-log FILE]",
     "  --listen HOST:PORT  the address (default 127.0.0.1:8080; port 0: any free port)\n"
     "  --web DIR         serve the front end from DIR (default: the embedded dashboard)\n"
     "  --max-body BYTES  largest request body, e.g. 16M (default); larger: 413\n"
     "  --timeout S       seconds a connection may stay idle or take to send a request\n"
     "                    (default 30); also the grace time of the shutdown\n"
     "  --threads N       worker threads (default 4)\n"
     "  --access-log FILE one line per request, appended (default: standard error)\n"},
    {"token", cmd_token, "create, list or revoke the bearer tokens that allow the server's writes",
     "create [--name N] | list | revoke ID|NAME",
     "  create            print a new random token (shown once; only its SHA-256 is kept)\n"
     "  --name N          a name for the token (default: token)\n"
     "  list              the tokens: id, name, hint (start of the hash), created, revoked\n"
     "  revoke ID|NAME    the token stops working at once\n"},
    {"demo", cmd_demo, "create a database and import the embedded demo statistics of Kazakhstan",
     "", "  --force           start from an empty database even if one exists\n"},
    {"man", cmd_man, "print the manual page (roff)", "", ""},
    {NULL, NULL, NULL, NULL, NULL},
};

const cli_command *cli_find_command(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void cli_print_command_help(FILE *f, const cli_command *c)
{
    fprintf(f, "Usage: qala %s %s\n\n%c%s.\n\nOptions:\n%s%s", c->name, c->usage,
            c->summary[0] - ('a' - 'A'), c->summary + 1, c->details, COMMON_OPTIONS);
}

static void print_help(FILE *f)
{
    fputs("Usage: qala COMMAND [OPTIONS]\n\n"
          "Monitors the socio-economic development of cities and regions: a registry of\n"
          "Kazakhstan's regions and cities, an indicator framework, and statistics imported\n"
          "from CSV tables with validation into an SQLite database.\n\nCommands:\n", f);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-12s %s\n", c->name, c->summary);
    fputs("\nRun 'qala COMMAND --help' for the options of a command.\n"
          "Exit status: 0 ok, 1 data problems found, 2 usage error, 3 input/output or database error.\n"
          "  --version         print the version\n", f);
}

int cmd_man(cli_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    FILE *f = ctx->out;
    fprintf(f, ".TH QALA 1 \"\" \"qala %s\" \"User Commands\"\n.SH NAME\nqala \\- monitor the "
               "socio-economic development of cities and regions\n.SH SYNOPSIS\n.B qala\n"
               "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.SH DESCRIPTION\n", qala_version());
    fputs("qala keeps a registry of Kazakhstan's regions and cities (names in Kazakh, Russian and "
          "English over time, regions over time, the typology of monocities, agglomerations and "
          "smart cities), an indicator framework, and statistics imported from CSV tables with "
          "validation into an SQLite database.\n.SH COMMANDS\n", f);
    for (const cli_command *c = cli_commands; c->name; c++) {
        fprintf(f, ".SS \"qala %s %s\"\n%s.\n", c->name, c->usage, c->summary);
        if (*c->details)
            fprintf(f, ".PP\n.nf\n%s.fi\n", c->details);
    }
    fprintf(f, ".SH COMMON OPTIONS\n.nf\n%s.fi\n", COMMON_OPTIONS);
    fputs(".SH ENVIRONMENT\n.TP\n.B QALA_DB\nthe database file when --db is not given.\n"
          ".TP\n.B NO_COLOR\ndisables colours.\n.SH EXIT STATUS\n0 ok, 1 data problems found, 2 usage "
          "error, 3 input/output or database error.\n.SH SEE ALSO\nThe documentation in docs/ "
          "of the source tree: cli.md, data-format.md, methods.md.\n", f);
    return EXIT_OK;
}

static qala_lang lang_from_env(void)
{
    const char *l = getenv("LC_ALL");
    if (!l || !*l)
        l = getenv("LANG");
    if (l && strncmp(l, "kk", 2) == 0)
        return QALA_LANG_KK;
    if (l && strncmp(l, "ru", 2) == 0)
        return QALA_LANG_RU;
    return QALA_LANG_EN;
}

int main(int argc, char **argv)
{
    cli_ctx ctx = {0};
    ctx.out = stdout;
    ctx.err = stderr;
    ctx.lang = lang_from_env();
    ctx.db_path = getenv("QALA_DB") && *getenv("QALA_DB") ? getenv("QALA_DB") : "qala.db";
    ctx.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    ctx.progress = isatty(STDERR_FILENO);
    ctx.at = qala_date_today();

    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        if (argc > 2 && cli_find_command(argv[2]))
            cli_print_command_help(stdout, cli_find_command(argv[2]));
        else
            print_help(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("qala %s\n", qala_version());
        return EXIT_OK;
    }
    const cli_command *c = cli_find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "qala: unknown command '%s'", argv[1]);
        size_t best = 99;
        const char *guess = NULL;
        for (const cli_command *k = cli_commands; k->name; k++) {
            size_t d = qala_text_distance(argv[1], k->name, 3);
            if (d < best) {
                best = d;
                guess = k->name;
            }
        }
        if (guess && best <= 2)
            fprintf(stderr, ": did you mean '%s'?", guess);
        fputs(" (run 'qala --help')\n", stderr);
        return EXIT_USAGE;
    }
    int rc = c->run(&ctx, argc - 2, argv + 2);
    cli_unload(&ctx);
    if (fflush(stdout) != 0 && rc == EXIT_OK) {
        perror("qala: writing output");
        rc = EXIT_IO;
    }
    return rc < 0 ? EXIT_OK : rc;
}
