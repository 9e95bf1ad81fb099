/* The test reader of COINr's tables reads what the files hold: 51 ASEM countries, the
 * published CHE index score 68.38 (rank 1, ../shared/data/README.md). */
#include "coinr_table.h"

Test(coinr_table, reads_the_asem_aggregated_table)
{
    coinr_table t;
    coinr_load(&t, "expected/ASEM_COIN_Aggregated.csv");
    cr_expect_eq(t.nrows, 51);
    cr_expect(fabs(coinr_get(&t, "CHE", "Index") - 68.38) < 0.005, "CHE index %g", coinr_get(&t, "CHE", "Index"));
    cr_expect_str_eq(t.text[coinr_row(&t, "AUT") * t.ncols + coinr_col(&t, "Group_EurAsia")], "Europe");
    coinr_free(&t);
}
