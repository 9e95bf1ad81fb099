/* A real series: life expectancy at birth of Akmola region, 1999–2022, years (Bureau of
 * National Statistics of the Republic of Kazakhstan, stat.gov.kz, via
 * open-data-kazakhstan, PDDL), read from ../shared/data/kz/region_life_expectancy_1999-2022.csv.
 * The same file through tests/unit/trends/reference.py (pandas + numpy) gave the values
 * below ("akmola_life_expectancy", "akmola_since_2015"). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qala/trends.h"

#define NY 24

/* Reads the row whose name (first field, trailing spaces ignored) is `name`. */
static int read_row(const char *name, double v[NY])
{
    FILE *f = fopen(QALA_SHARED_DIR "/data/kz/region_life_expectancy_1999-2022.csv", "r");
    cr_assert_not_null(f, "cannot open the life expectancy file under %s", QALA_SHARED_DIR);
    char line[1024];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        char *comma = strchr(line, ',');
        if (!comma)
            continue;
        char *e = comma;
        while (e > line && e[-1] == ' ')
            e--;
        if ((size_t)(e - line) != strlen(name) || strncmp(line, name, strlen(name)) != 0)
            continue;
        char *p = comma + 1;
        for (int i = 0; i < NY; i++) {
            char *end;
            v[i] = *p == '-' ? NAN : strtod(p, &end);
            p = strchr(p, ',');
            if (!p && i < NY - 1) {
                fclose(f);
                return 0;
            }
            p = p ? p + 1 : p;
        }
        found = 1;
    }
    fclose(f);
    return found;
}

Test(trend_real, akmola_life_expectancy_matches_pandas)
{
    double v[NY];
    qala_period p[NY];
    cr_assert(read_row("Акмолинская", v), "no Akmola row");
    for (int i = 0; i < NY; i++)
        p[i] = (qala_period)((1999 + i) * 100);
    qala_trend_summary t;
    cr_assert_eq(qala_trend_summarise(&t, p, v, NY, 1), QALA_OK);
    cr_expect_eq(t.n_obs, 24);
    cr_expect_eq(t.first, 64.38);
    cr_expect_eq(t.last, 73.48);
    cr_expect(fabs(t.cagr_pct - 0.57648240761665193) < 1e-13, "cagr %.17g", t.cagr_pct);
    cr_expect(fabs(t.slope - 0.4185304347825996) < 1e-12, "slope %.17g", t.slope);
    cr_expect(fabs(t.slope_pct - 0.62301401957367131) < 1e-12, "slope_pct %.17g", t.slope_pct);
    cr_expect(fabs(t.last_change - 4.6200000000000045) < 1e-12, "last %.17g", t.last_change);
    cr_expect(fabs(t.last_change_pct - 6.7092651757188593) < 1e-12, "last %% %.17g",
              t.last_change_pct);
    /* 0.58 % a year: between 0.5 % and 1.5 %, higher is better */
    cr_expect_eq(t.cls, QALA_PROGRESS_ACCELERATION_NEEDED);

    qala_progress r;
    qala_progress_target none = {NAN, 0, 201500, 0};
    cr_assert_eq(qala_progress_compute(&r, p, v, NY, 1, &none), QALA_OK);
    cr_expect_eq(r.base_period, 201500);
    cr_expect(fabs(r.observed_cagr_pct - 0.6176730446282086) < 1e-13, "since 2015 %.17g",
              r.observed_cagr_pct);
    cr_expect_eq(r.cls, QALA_PROGRESS_ACCELERATION_NEEDED);
}

Test(trend_real, abai_has_a_single_year_and_is_unassessed)
{
    double v[NY];
    qala_period p[NY];
    cr_assert(read_row("Абай", v), "no Abai row");
    for (int i = 0; i < NY; i++)
        p[i] = (qala_period)((1999 + i) * 100);
    qala_trend_summary t;
    cr_assert_eq(qala_trend_summarise(&t, p, v, NY, 1), QALA_OK);
    cr_expect_eq(t.n_obs, 1, "Abai region exists since 2022");
    cr_expect(t.flags & QALA_TREND_FLAG_TOO_FEW);
    cr_expect_eq(t.cls, QALA_PROGRESS_UNASSESSED);
}
