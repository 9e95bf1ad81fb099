/* Unit tests of dates and periods (src/util/date.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "qala/common.h"

Test(date, parses_iso_dates_and_rejects_impossible_days)
{
    qala_date d;
    cr_assert_eq(qala_date_parse(&d, "2022-09-17", 0), QALA_OK);
    cr_assert_eq(d, 20220917);
    cr_assert_eq(qala_date_parse(&d, "2024-02-29", 0), QALA_OK); /* leap year */
    cr_assert_eq(qala_date_parse(&d, "2023-02-29", 0), QALA_EPARSE);
    cr_assert_eq(qala_date_parse(&d, "1900-02-29", 0), QALA_EPARSE); /* not a leap year */
    cr_assert_eq(qala_date_parse(&d, "2022-13-01", 0), QALA_EPARSE);
    cr_assert_eq(qala_date_parse(&d, "2022", 0), QALA_EPARSE);
    cr_assert_eq(qala_date_parse(&d, "2022", 1), QALA_OK);
    cr_assert_eq(d, 20220101);
    cr_assert_str_eq(qala_error_last()->message, "'2022' is not a date: expected YYYY-MM-DD");
}

Test(date, formats_and_leaves_open_ends_empty)
{
    char buf[11];
    qala_date_format(buf, 20180619);
    cr_assert_str_eq(buf, "2018-06-19");
    qala_date_format(buf, QALA_DATE_MAX);
    cr_assert_str_eq(buf, "");
}

Test(period, parses_years_quarters_months_and_spreadsheet_years)
{
    qala_period p;
    cr_assert_eq(qala_period_parse(&p, "2005.0", 6), QALA_OK);
    cr_assert_eq(p, 200500);
    cr_assert_eq(qala_period_parse(&p, "2022-Q3", 7), QALA_OK);
    cr_assert_eq(p, 202223);
    cr_assert_eq(qala_period_frequency(p), QALA_FREQ_QUARTER);
    cr_assert_eq(qala_period_start(p), 20220701);
    cr_assert_eq(qala_period_parse(&p, "2022-07", 7), QALA_OK);
    cr_assert_eq(p, 202207);
    cr_assert_eq(qala_period_frequency(p), QALA_FREQ_MONTH);
    cr_assert_eq(qala_period_parse(&p, "2022-13", 7), QALA_EPARSE);
    cr_assert_eq(qala_period_parse(&p, "1899", 4), QALA_EPARSE);
    cr_assert_eq(qala_period_parse(&p, "20x2", 4), QALA_EPARSE);
    char buf[12];
    qala_period_format(buf, 202223);
    cr_assert_str_eq(buf, "2022-Q3");
    qala_period_format(buf, 202207);
    cr_assert_str_eq(buf, "2022-07");
    qala_period_format(buf, 200500);
    cr_assert_str_eq(buf, "2005");
}

Test(period, order_of_codes_is_calendar_order)
{
    qala_period q4, jan_next, y_next;
    qala_period_parse(&q4, "2021-Q4", 7);
    qala_period_parse(&jan_next, "2022-01", 7);
    qala_period_parse(&y_next, "2022", 4);
    cr_assert_lt(q4, jan_next);
    cr_assert_lt(q4, y_next);
}
