/* Unit tests of qala/text.h: folding, UTF-8 validity, Kazakh Latin, distance, width.
 * Expected Kazakh Latin spellings follow the January 2021 alphabet as documented in
 * docs/methods-text.md; city names are the real ones. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "qala/text.h"

#include "failing_alloc.h"

static char *fold(const char *s)
{
    char *out = NULL;
    cr_assert_eq(qala_text_fold(&out, s, strlen(s)), QALA_OK, "fold of \"%s\" failed", s);
    cr_assert_not_null(out);
    return out;
}

static void assert_fold(const char *in, const char *expected)
{
    char *out = fold(in);
    cr_expect_str_eq(out, expected, "fold(\"%s\") = \"%s\", expected \"%s\"", in, out, expected);
    qala_free(out);
}

static void assert_same_fold(const char *a, const char *b)
{
    char *fa = fold(a), *fb = fold(b);
    cr_expect_str_eq(fa, fb, "\"%s\" -> \"%s\" but \"%s\" -> \"%s\"", a, fa, b, fb);
    qala_free(fa);
    qala_free(fb);
}

static void assert_latin(const char *cyr, const char *expected)
{
    char *out = NULL;
    cr_assert_eq(qala_text_kk_latin(&out, cyr), QALA_OK);
    cr_expect_str_eq(out, expected, "kk_latin(\"%s\") = \"%s\", expected \"%s\"", cyr, out,
                     expected);
    qala_free(out);
}

Test(text_fold, case_and_trailing_space_do_not_matter)
{
    assert_same_fold("ҚАРАҒАНДЫ ", "қарағанды");
    assert_fold("ҚАРАҒАНДЫ ", "қарағанды");
    assert_fold("KARAGANDA", "karaganda");
}

Test(text_fold, hyphens_and_spaces_collapse_to_one_space)
{
    assert_fold("Усть-Каменогорск", "усть каменогорск");
    assert_same_fold("Усть-Каменогорск", "  усть   каменогорск\t");
    assert_fold("Nur\u2013Sultan", "nur sultan");   /* en dash */
    assert_fold("Nur \u2014 Sultan", "nur sultan"); /* em dash with spaces */
    assert_fold("Nur\u2011Sultan", "nur sultan");   /* non-breaking hyphen */
    assert_fold("Nur\u00a0Sultan", "nur sultan");   /* no-break space */
}

Test(text_fold, punctuation_quotes_and_brackets_become_spaces)
{
    assert_fold("«Астана»", "астана");
    assert_fold("\"Astana\" (city)", "astana city");
    assert_fold("St. John's, Newfoundland", "st john s newfoundland");
    assert_fold("г.Алматы", "г алматы");
}

Test(text_fold, yo_folds_to_ye_but_short_i_stays_distinct)
{
    assert_same_fold("Ёлка", "елка");
    assert_fold("Й", "й");
    assert_fold("Бейнеу", "бейнеу");
    char *a = fold("Бейнеу"), *b = fold("Беинеу");
    cr_expect_str_neq(a, b);
    qala_free(a);
    qala_free(b);
    /* й written as и + combining breve composes back to й */
    assert_fold("Бe\u0438\u0306неу", "бeйнеу");
}

Test(text_fold, kazakh_letters_stay_distinct_from_russian_ones)
{
    const char *pairs[][2] = {{"қ", "к"}, {"ғ", "г"}, {"ң", "н"}, {"ө", "о"},
                              {"ұ", "у"}, {"ү", "у"}, {"і", "и"}, {"ә", "а"}, {"һ", "х"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char *a = fold(pairs[i][0]), *b = fold(pairs[i][1]);
        cr_expect_str_neq(a, b, "%s and %s fold alike", pairs[i][0], pairs[i][1]);
        qala_free(a);
        qala_free(b);
    }
    assert_fold("ҚҒҢӨҰҮІӘҺ", "қғңөұүіәһ");
}

Test(text_fold, latin_diacritics_are_removed_so_plain_ascii_matches)
{
    assert_same_fold("Qarağandy", "Qaragandy");
    assert_same_fold("Öskemen", "oskemen");
    assert_same_fold("Nūr-Sūltan", "nur sultan");
    assert_same_fold("Şymkent", "Symkent");
    assert_same_fold("Ekıbastūz", "Ekibastuz"); /* dotless ı folds to i */
    assert_same_fold("İLE", "ile");             /* dotted capital İ folds to i */
}

Test(text_fold, compatibility_forms_and_ignorables)
{
    assert_fold("\uFF21\uFF33\uFF34\uFF21\uFF2E\uFF21", "astana"); /* fullwidth */
    assert_fold("Ас\u00adтана", "астана");                        /* soft hyphen */
    assert_fold("Аста\u200bна", "астана");                        /* zero-width space */
    assert_fold("ﬁ", "fi");                                       /* ligature */
}

Test(text_fold, empty_and_punctuation_only_give_empty_string)
{
    assert_fold("", "");
    assert_fold(" - . , ", "");
}

Test(text_fold, uses_the_length_not_the_nul)
{
    char *out = NULL;
    cr_assert_eq(qala_text_fold(&out, "Astana, extra", 6), QALA_OK);
    cr_expect_str_eq(out, "astana");
    qala_free(out);
}

Test(text_fold, invalid_utf8_is_a_parse_error_and_leaves_out_null)
{
    char *out = (char *)"sentinel";
    cr_expect_eq(qala_text_fold(&out, "ab\xff", 3), QALA_EPARSE);
    cr_expect_null(out);
    cr_expect_eq(qala_text_fold(&out, "\xd0", 1), QALA_EPARSE); /* truncated Cyrillic */
    cr_expect_null(out);
}

Test(text_utf8, accepts_valid_text)
{
    cr_expect(qala_text_valid_utf8("", 0));
    cr_expect(qala_text_valid_utf8("Қарағанды", strlen("Қарағанды")));
    cr_expect(qala_text_valid_utf8("\xf0\x9f\x98\x80", 4)); /* U+1F600 */
    cr_expect(qala_text_valid_utf8("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF */
    cr_expect(qala_text_valid_utf8("a\0b", 3));             /* NUL is a valid code point */
}

Test(text_utf8, rejects_overlongs_surrogates_and_truncation)
{
    cr_expect_not(qala_text_valid_utf8("\xc0\x80", 2));         /* overlong NUL */
    cr_expect_not(qala_text_valid_utf8("\xe0\x80\xaf", 3));     /* overlong / */
    cr_expect_not(qala_text_valid_utf8("\xed\xa0\x80", 3));     /* U+D800 */
    cr_expect_not(qala_text_valid_utf8("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    cr_expect_not(qala_text_valid_utf8("\xe2\x82", 2));         /* truncated */
    cr_expect_not(qala_text_valid_utf8("\x80", 1));             /* stray continuation */
    cr_expect_not(qala_text_valid_utf8("\xff", 1));
    cr_expect_not(qala_text_valid_utf8("\xd0\xb0\xd0", 3));     /* а then a cut byte */
}

Test(text_kk_latin, real_city_names)
{
    assert_latin("Қарағанды", "Qarağandy");
    assert_latin("Шымкент", "Şymkent");
    assert_latin("Өскемен", "Öskemen");
    assert_latin("Нұр-Сұлтан", "Nūr-Sūltan");
    assert_latin("Жезқазған", "Jezqazğan");
    assert_latin("Атырау", "Atyrau");
    assert_latin("Ақтөбе", "Aqtöbe");
    assert_latin("Түркістан", "Türkıstan");
    assert_latin("Екібастұз", "Ekıbastūz");
    assert_latin("Орал", "Oral");
    assert_latin("Қызылорда", "Qyzylorda");
    assert_latin("Талдықорған", "Taldyqorğan");
    assert_latin("Кентау", "Kentau");
    assert_latin("Арқалық", "Arqalyq");
}

Test(text_kk_latin, capitals_and_digraphs_follow_the_word)
{
    assert_latin("ҚАРАҒАНДЫ", "QARAĞANDY");
    assert_latin("Іле", "Ile");
    assert_latin("ілім", "ılım");
    assert_latin("Ирис", "İris");
    assert_latin("Цемент", "Tsement");
    assert_latin("ЦЕМЕНТ", "TSEMENT");
    assert_latin("Чай", "Tşai");
    assert_latin("Ясауи", "İasaui");
    assert_latin("ЯСАУИ", "İASAUİ");
    assert_latin("Щучинск", "Şşutşinsk");
    assert_latin("ПЛАЦ", "PLATS"); /* word-final capital after capitals */
    assert_latin("БАЙҚОҢЫР", "BAİQOÑYR"); /* Й is İ in capitals */
}

Test(text_kk_latin, signs_are_dropped_and_other_text_copied)
{
    assert_latin("подъезд", "podezd");
    assert_latin("Ульяновка", "Ulianovka");
    assert_latin("Almaty 2024 (№1)", "Almaty 2024 (№1)");
    assert_latin("", "");
}

Test(text_kk_latin, invalid_utf8_is_a_parse_error)
{
    char *out = (char *)"sentinel";
    cr_expect_eq(qala_text_kk_latin(&out, "Қ\xff"), QALA_EPARSE);
    cr_expect_null(out);
}

Test(text_distance, classic_examples)
{
    cr_expect_eq(qala_text_distance("kitten", "sitting", 10), 3);
    cr_expect_eq(qala_text_distance("flaw", "lawn", 10), 2);
    cr_expect_eq(qala_text_distance("", "abc", 10), 3);
    cr_expect_eq(qala_text_distance("abc", "", 10), 3);
    cr_expect_eq(qala_text_distance("same", "same", 0), 0);
}

Test(text_distance, counts_code_points_not_bytes)
{
    cr_expect_eq(qala_text_distance("қала", "кала", 5), 1); /* 2-byte letters */
    cr_expect_eq(qala_text_distance("қарағанды", "караганда", 5), 3);
}

Test(text_distance, stops_at_the_limit)
{
    cr_expect_eq(qala_text_distance("kitten", "sitting", 2), 3);
    cr_expect_eq(qala_text_distance("kitten", "sitting", 3), 3);
    cr_expect_eq(qala_text_distance("a", "abcdefgh", 3), 4); /* length gap alone */
    cr_expect_eq(qala_text_distance("abcdef", "ghijkl", 1), 2);
}

Test(text_distance, long_strings_use_the_heap_path)
{
    char a[301], b[301];
    memset(a, 'x', 300);
    memset(b, 'x', 300);
    a[300] = b[300] = '\0';
    b[10] = 'y';
    b[250] = 'z';
    cr_expect_eq(qala_text_distance(a, b, 5), 2);
    cr_expect_eq(qala_text_distance(a, b, 1), 2);
    b[299] = '\0';
    cr_expect_eq(qala_text_distance(a, b, 5), 3);
}

Test(text_distance, agrees_with_full_dynamic_programming_on_random_strings)
{
    /* Reference: the textbook O(n*m) algorithm without bands or cut-off. */
    srand(12345);
    for (int round = 0; round < 500; round++) {
        char a[12], b[12];
        int la = rand() % 11, lb = rand() % 11;
        for (int i = 0; i < la; i++)
            a[i] = (char)('a' + rand() % 3);
        for (int i = 0; i < lb; i++)
            b[i] = (char)('a' + rand() % 3);
        a[la] = b[lb] = '\0';
        size_t d[12][12];
        for (int i = 0; i <= la; i++)
            d[i][0] = (size_t)i;
        for (int j = 0; j <= lb; j++)
            d[0][j] = (size_t)j;
        for (int i = 1; i <= la; i++)
            for (int j = 1; j <= lb; j++) {
                size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
                if (d[i - 1][j] + 1 < v)
                    v = d[i - 1][j] + 1;
                if (d[i][j - 1] + 1 < v)
                    v = d[i][j - 1] + 1;
                d[i][j] = v;
            }
        size_t limit = (size_t)(rand() % 6);
        size_t want = d[la][lb] <= limit ? d[la][lb] : limit + 1;
        cr_assert_eq(qala_text_distance(a, b, limit), want, "\"%s\" vs \"%s\" limit %zu", a, b,
                     limit);
    }
}

Test(text_width, counts_columns)
{
    cr_expect_eq(qala_text_width("abc"), 3);
    cr_expect_eq(qala_text_width("Қарағанды"), 9);
    cr_expect_eq(qala_text_width("漢字"), 4);
    cr_expect_eq(qala_text_width("e\u0301"), 1); /* combining acute */
    cr_expect_eq(qala_text_width(""), 0);
    cr_expect_eq(qala_text_width("a\xffz"), 3); /* a stray byte shows as one cell */
}

/* ---- allocation failures: every path cleans up (ASan checks for leaks) ---- */


Test(text_alloc, fold_and_latin_fail_cleanly_at_every_allocation)
{
    const qala_allocator a = failing_allocator;
    qala_allocator_set(&a);
    int fold_ok = 0, latin_ok = 0;
    for (fail_at = 0; fail_at < 10 && !(fold_ok && latin_ok); fail_at++) {
        char *out = (char *)"x";
        calls = 0;
        qala_status st = qala_text_fold(&out, "Қарағанды", strlen("Қарағанды"));
        cr_assert(st == QALA_OK || st == QALA_ENOMEM);
        if (st == QALA_OK) {
            fold_ok = 1;
            qala_free(out);
        } else {
            cr_assert_null(out);
        }
        calls = 0;
        out = (char *)"x";
        st = qala_text_kk_latin(&out, "Қарағанды");
        if (st == QALA_OK) {
            latin_ok = 1;
            qala_free(out);
        } else {
            cr_assert_eq(st, QALA_ENOMEM);
            cr_assert_null(out);
        }
    }
    qala_allocator_set(NULL);
    cr_expect(fold_ok && latin_ok);
}
