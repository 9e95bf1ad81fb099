/* Unit tests of the columnar dataset: interning, appending, stable sort, lookup, flags. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/dataset.h"

Test(dataset, interning_gives_dense_ids_and_returns_the_same_id_for_the_same_code)
{
    qala_dataset *ds;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    uint32_t a, b, c;
    cr_assert_eq(qala_dataset_intern_unit(ds, "Testville", &a), QALA_OK);
    cr_assert_eq(qala_dataset_intern_unit(ds, "Sampleton", &b), QALA_OK);
    cr_assert_eq(qala_dataset_intern_unit(ds, "Testville", &c), QALA_OK);
    cr_assert_eq(a, 0);
    cr_assert_eq(b, 1);
    cr_assert_eq(c, 0);
    cr_assert_str_eq(qala_dataset_unit_code(ds, 1), "Sampleton");
    cr_assert_eq(qala_dataset_unit_count(ds), 2);
    qala_dataset_free(ds);
}

Test(dataset, many_codes_survive_rehashing)
{
    qala_dataset *ds;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    char code[32];
    for (unsigned i = 0; i < 5000; i++) {
        uint32_t id;
        snprintf(code, sizeof code, "U%06u", i);
        cr_assert_eq(qala_dataset_intern_indicator(ds, code, &id), QALA_OK);
        cr_assert_eq(id, i);
    }
    for (unsigned i = 0; i < 5000; i += 97) {
        uint32_t id;
        snprintf(code, sizeof code, "U%06u", i);
        cr_assert_eq(qala_dataset_intern_indicator(ds, code, &id), QALA_OK);
        cr_assert_eq(id, i);
    }
    cr_assert_eq(qala_dataset_indicator_count(ds), 5000);
    qala_dataset_free(ds);
}

Test(dataset, sort_orders_by_unit_indicator_period_and_keeps_input_order_of_ties)
{
    qala_dataset *ds;
    uint32_t u0, u1, i0;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    qala_dataset_intern_unit(ds, "B", &u0);
    qala_dataset_intern_unit(ds, "A", &u1);
    qala_dataset_intern_indicator(ds, "x", &i0);
    /* unit ids: B=0, A=1; rows out of order, with a duplicated key (u1, 2020) */
    cr_assert_eq(qala_dataset_append(ds, u1, i0, 202000, 1.0, QALA_FLAG_NONE, 10), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, u0, i0, 202100, 2.0, QALA_FLAG_NONE, 11), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, u1, i0, 201900, 3.0, QALA_FLAG_NONE, 12), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, u1, i0, 202000, 4.0, QALA_FLAG_BREAK, 13), QALA_OK);
    cr_assert_eq(qala_dataset_append(ds, u0, i0, 202000, 5.0, QALA_FLAG_NONE, 14), QALA_OK);
    cr_assert_eq(qala_dataset_sort(ds), QALA_OK);
    const uint32_t expected_lines[] = {14, 11, 12, 10, 13};
    const double expected_values[] = {5.0, 2.0, 3.0, 1.0, 4.0};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(qala_dataset_lines(ds)[i], expected_lines[i], "row %zu", i);
        cr_assert_eq(qala_dataset_values(ds)[i], expected_values[i], "row %zu", i);
    }
    cr_assert_eq(qala_dataset_flags(ds)[4], QALA_FLAG_BREAK);
    size_t at;
    cr_assert_eq(qala_dataset_find(ds, u1, i0, 201900, &at), QALA_OK);
    cr_assert_eq(at, 2);
    cr_assert_eq(qala_dataset_find(ds, u1, i0, 201800, &at), QALA_ENOTFOUND);
    qala_dataset_free(ds);
}

Test(dataset, sort_of_a_large_reversed_dataset_is_ordered)
{
    qala_dataset *ds;
    uint32_t u, ind;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    qala_dataset_intern_unit(ds, "U", &u);
    qala_dataset_intern_indicator(ds, "I", &ind);
    for (int p = 100000; p > 0; p--)
        cr_assert_eq(qala_dataset_append(ds, u, ind, p, p, QALA_FLAG_NONE, (uint32_t)p), QALA_OK);
    cr_assert_eq(qala_dataset_sort(ds), QALA_OK);
    for (size_t i = 0; i < 100000; i++)
        cr_assert_eq(qala_dataset_periods(ds)[i], (qala_period)i + 1);
    qala_dataset_free(ds);
}

Test(dataset, remove_swap_moves_the_last_row_into_the_hole)
{
    qala_dataset *ds;
    uint32_t u, ind;
    cr_assert_eq(qala_dataset_new(&ds), QALA_OK);
    qala_dataset_intern_unit(ds, "U", &u);
    qala_dataset_intern_indicator(ds, "I", &ind);
    for (int p = 0; p < 3; p++)
        qala_dataset_append(ds, u, ind, 200000 + p * 100, p, QALA_FLAG_NONE, 0);
    qala_dataset_remove_swap(ds, 0);
    cr_assert_eq(qala_dataset_size(ds), 2);
    cr_assert_eq(qala_dataset_values(ds)[0], 2.0);
    qala_dataset_free(ds);
}

Test(dataset, flags_parse_from_words_and_letters_and_reject_others)
{
    qala_flag f;
    cr_assert_eq(qala_flag_parse(&f, "Provisional", 11), QALA_OK);
    cr_assert_eq(f, QALA_FLAG_PROVISIONAL);
    cr_assert_eq(qala_flag_parse(&f, " b ", 3), QALA_OK);
    cr_assert_eq(f, QALA_FLAG_BREAK);
    cr_assert_eq(qala_flag_parse(&f, "", 0), QALA_OK);
    cr_assert_eq(f, QALA_FLAG_NONE);
    cr_assert_eq(qala_flag_parse(&f, "maybe", 5), QALA_EINVAL);
    cr_assert_str_eq(qala_flag_code(QALA_FLAG_CONFIDENTIAL), "confidential");
}
