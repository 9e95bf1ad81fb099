/* cli/messages.c — the tool's words in Kazakh, Russian and English (--lang).
 * Column keys of CSV/JSON output never change with the language; headings and
 * summaries do. Kazakh Latin output uses the Kazakh Cyrillic words.
 */
#include "cli.h"

static const char *const messages[MSG_COUNT_IDS][3] = {
    /*                     kk                         ru                          en */
    [MSG_CODE] =         {"Код",                     "Код",                      "Code"},
    [MSG_NAME] =         {"Атауы",                   "Название",                 "Name"},
    [MSG_KIND] =         {"Түрі",                    "Тип",                      "Kind"},
    [MSG_REGION] =       {"Өңір",                    "Регион",                   "Region"},
    [MSG_GROUPS] =       {"Топтар",                  "Группы",                   "Groups"},
    [MSG_LAT] =          {"Ендік",                   "Широта",                   "Lat"},
    [MSG_LON] =          {"Бойлық",                  "Долгота",                  "Lon"},
    [MSG_MEMBERS] =      {"Мүшелер",                 "Членов",                   "Members"},
    [MSG_SOURCE] =       {"Дереккөз",                "Источник",                 "Source"},
    [MSG_DOMAIN] =       {"Сала",                    "Сфера",                    "Domain"},
    [MSG_UNIT] =         {"Өлшем бірлігі",           "Единица",                  "Unit"},
    [MSG_DIRECTION] =    {"Бағыт",                   "Направление",              "Direction"},
    [MSG_INDICATOR] =    {"Көрсеткіш",               "Показатель",               "Indicator"},
    [MSG_PERIOD] =       {"Кезең",                   "Период",                   "Period"},
    [MSG_VALUE] =        {"Мәні",                    "Значение",                 "Value"},
    [MSG_FLAG] =         {"Белгі",                   "Признак",                  "Flag"},
    [MSG_FROM] =         {"Бастап",                  "С",                        "From"},
    [MSG_TO] =           {"Дейін",                   "По",                       "To"},
    [MSG_LANGUAGE] =     {"Тіл",                     "Язык",                     "Language"},
    [MSG_STATUS] =       {"Мәртебе",                 "Статус",                   "Status"},
    [MSG_COUNT] =        {"Саны",                    "Количество",               "Count"},
    [MSG_NO_DATA] =      {"деректер жоқ",            "нет данных",               "no data"},
    [MSG_SUMMARY_DB] =   {"Дерекқор",                "База данных",              "Database"},
    [MSG_SUMMARY_UNITS] = {"аумақтық бірлік",        "территориальных единиц",   "territorial units"},
    [MSG_SUMMARY_GROUPS] = {"қалалар тобы",          "групп городов",            "city groups"},
    [MSG_SUMMARY_INDICATORS] = {"көрсеткіш",         "показателей",              "indicators"},
    [MSG_SUMMARY_OBSERVATIONS] = {"бақылау мәні",    "наблюдений",               "observations"},
    [MSG_SUMMARY_BATCHES] = {"импорт",               "импортов",                 "imports"},
    [MSG_IMPORTED] =     {"импортталды",             "импортировано",            "imported"},
    [MSG_NOTHING_STORED] = {"қателер бар: дерекқор өзгерген жоқ",
                            "есть ошибки: база данных не изменена",
                            "errors found: the database was not changed"},
    [MSG_ALIASES] =      {"Басқа атаулары",          "Другие названия",          "Other names"},
    [MSG_REGION_HISTORY] = {"Өңірлік тиесілілік тарихы", "История подчинения",   "Region over time"},
    [MSG_LATEST] =       {"Соңғы мәндер",            "Последние значения",       "Latest values"},
    [MSG_COUNTRY] =      {"ел",                      "страна",                   "country"},
    [MSG_KIND_REGION] =  {"өңір",                    "регион",                   "region"},
    [MSG_KIND_CITY] =    {"қала",                    "город",                    "city"},
    [MSG_CATEGORY] =     {"Санат",                   "Категория",                "Category"},
    [MSG_ELIGIBLE] =     {"Моноқала ма",             "Моногород",                "Monotown"},
    [MSG_EVALUATED] =    {"Бағаланған ережелер",     "Оценено правил",           "Rules evaluated"},
    [MSG_RULES] =        {"Орындалған ережелер",     "Сработавшие правила",      "Rules that held"},
    [MSG_YES] =          {"иә",                      "да",                       "yes"},
    [MSG_NO] =           {"жоқ",                     "нет",                      "no"},
    [MSG_THRESHOLDS] =   {"шек",                     "порогов",                  "thresholds"},
    [MSG_ZONE] =         {"Аймақ",                   "Зона",                     "Zone"},
    [MSG_TERRITORY] =    {"Аумақ",                   "Территория",               "Unit"},
    [MSG_TREND] =        {"Үрдіс",                   "Тренд",                    "Trend"},
    [MSG_READING] =      {"Сарапшы пікірі",          "Оценка аналитика",         "Analyst's reading"},
    [MSG_TRANSFORMED] =  {"Мәні",                    "Значение",                 "Value"},
    [MSG_WARNING] =      {"Ескерту шегі",            "Порог предупреждения",     "Warning at"},
    [MSG_CRISIS] =       {"Дағдарыс шегі",           "Порог кризиса",            "Crisis at"},
    [MSG_ZONE_NO_DATA] = {"деректер жоқ",            "нет данных",               "no data"},
    [MSG_ZONE_NORMAL] =  {"қалыпты",                 "норма",                    "normal"},
    [MSG_ZONE_WARNING] = {"ескерту",                 "предупреждение",           "warning"},
    [MSG_ZONE_CRISIS] =  {"дағдарыс",                "кризис",                   "crisis"},
    [MSG_STATUS_NONE] =  {"",                        "",                         ""},
    [MSG_STATUS_NEW] =   {"жаңа",                    "новое",                    "new"},
    [MSG_STATUS_PERSISTENT] = {"созылмалы",          "устойчивое",               "persistent"},
    [MSG_STATUS_AGGRAVATING] = {"ушығуда",           "усугубляется",             "aggravating"},
    [MSG_STATUS_UNWINDING] = {"бәсеңдеуде",          "ослабевает",               "unwinding"},
    [MSG_TREND_NONE] =   {"",                        "",                         ""},
    [MSG_TREND_IMPROVING] = {"жақсаруда",            "улучшается",               "improving"},
    [MSG_TREND_STABLE] = {"тұрақты",                 "стабильно",                "stable"},
    [MSG_TREND_WORSENING] = {"нашарлауда",           "ухудшается",               "worsening"},
};

const char *cli_msg(const cli_ctx *ctx, msg_id id)
{
    int l = ctx->lang == QALA_LANG_RU ? 1 : ctx->lang == QALA_LANG_EN ? 2 : 0;
    return messages[id][l];
}

const char *cli_kind_name(const cli_ctx *ctx, qala_unit_kind kind)
{
    return cli_msg(ctx, kind == QALA_UNIT_COUNTRY ? MSG_COUNTRY
                        : kind == QALA_UNIT_REGION ? MSG_KIND_REGION : MSG_KIND_CITY);
}
