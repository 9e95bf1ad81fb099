/* src/util/date.c — calendar dates (YYYYMMDD integers) and statistical periods.
 *
 * Both are plain integers whose natural order is the calendar order, so that the store
 * and every analysis can compare and sort them without conversion.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/internal.h"

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int read_digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

qala_status qala_date_parse(qala_date *out, const char *text, int allow_year)
{
    size_t n = strlen(text);
    int y, m = 1, d = 1;
    if (n == 4 && allow_year && read_digits(text, 4, &y)) {
        /* a bare year */
    } else if (n != 10 || text[4] != '-' || text[7] != '-' || !read_digits(text, 4, &y) ||
               !read_digits(text + 5, 2, &m) || !read_digits(text + 8, 2, &d) || m < 1 ||
               m > 12 || d < 1 || d > days_in_month(y, m)) {
        return qala_err__set(QALA_EPARSE, "'%s' is not a date: expected YYYY-MM-DD%s", text,
                             allow_year ? " or YYYY" : "");
    }
    if (y < 1 || y > 9999)
        return qala_err__set(QALA_EPARSE, "'%s' is not a date: year out of range", text);
    *out = y * 10000 + m * 100 + d;
    return QALA_OK;
}

void qala_date_format(char buf[static 11], qala_date date)
{
    if (date <= QALA_DATE_MIN || date >= QALA_DATE_MAX) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, 11, "%04d-%02d-%02d", (int)(date / 10000) % 10000, (int)(date / 100 % 100),
             (int)(date % 100));
}

qala_date qala_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

qala_status qala_period_parse(qala_period *out, const char *text, size_t len)
{
    int y = 0, sub = 0;
    /* "2005.0" as spreadsheets write years */
    if (len == 6 && text[4] == '.' && text[5] == '0')
        len = 4;
    if (len >= 4 && read_digits(text, 4, &y) && y >= 1900 && y <= 2100) {
        if (len == 4) {
            *out = y * 100;
            return QALA_OK;
        }
        if (len == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q') && text[6] >= '1' &&
            text[6] <= '4') {
            *out = y * 100 + 20 + (text[6] - '0');
            return QALA_OK;
        }
        if (len == 7 && text[4] == '-' && read_digits(text + 5, 2, &sub) && sub >= 1 && sub <= 12) {
            *out = y * 100 + sub;
            return QALA_OK;
        }
    }
    return qala_err__set(QALA_EPARSE, "'%.*s' is not a period: expected YYYY, YYYY-Qn or YYYY-MM",
                         (int)(len > 40 ? 40 : len), text);
}

qala_frequency qala_period_frequency(qala_period p)
{
    int sub = p % 100;
    return sub == 0 ? QALA_FREQ_YEAR : sub > 20 ? QALA_FREQ_QUARTER : QALA_FREQ_MONTH;
}

void qala_period_format(char buf[static 12], qala_period p)
{
    int y = p / 100, sub = p % 100;
    if (sub == 0)
        snprintf(buf, 12, "%04d", y % 10000);
    else if (sub > 20)
        snprintf(buf, 12, "%04d-Q%d", y % 10000, (sub - 20) % 10);
    else
        snprintf(buf, 12, "%04d-%02d", y % 10000, sub % 100);
}

qala_date qala_period_start(qala_period p)
{
    int y = p / 100, sub = p % 100;
    int month = sub == 0 ? 1 : sub > 20 ? (sub - 21) * 3 + 1 : sub;
    return y * 10000 + month * 100 + 1;
}
