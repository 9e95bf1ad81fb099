/* src/rank.c — ranks with ties getting the minimum rank, over all units or within groups.
 *
 * Place in the pipeline: the last stage of the composite index (ranks of the index and
 * of any aggregate, 1 = best), and the kernel behind the rank, borda and prank
 * normalisations (src/normalise.c, ascending order).
 * Method: copy the non-missing scores with their positions (and groups) into the scratch
 * array, sort it by (group, score), then walk it: an item's rank is its position inside
 * its group plus one, unless it ties with the previous item, whose rank it takes. That is
 * exactly "1 + the number of strictly better scores in the group".
 * The sort: without groups (the hot case: every index column, every run of a sensitivity
 * analysis), each score becomes an order-preserving 64-bit key, and one 64-bit word a
 * score — the top 32 bits of (key - smallest key) over the position — is sorted by an
 * LSD radix sort of that prefix (three passes, a pass whose digit is the same for every
 * word skipped); scores whose prefixes are equal (ties, or closer than 2^-32 of the range)
 * are then ordered by their whole keys (by insertion, or, for a run of more than 32, by an
 * LSD radix sort of whole keys and positions in a buffer of its own). The arrays live in
 * the caller's n items (24 bytes each: keys by position, words, scratch words). glibc's
 * qsort is a merge sort that allocates n items of its own and calls the comparison n log n
 * times: 10x slower on 10^5 scores. With groups, qsort on (group, score). One long column
 * can also be ranked by several threads (rank_internal.h): each sorts a slice (whole keys
 * and positions), then counts, for each of its scores, the strictly better ones in every
 * sorted slice.
 * Invariants: every score is read into the scratch array before any out cell is written,
 * so out may alias x; missing scores and units of no group get NAN and are not counted.
 * Workload: one call per aggregate column (tens of columns of up to ~10^5 units), or
 * per indicator in the rank normalisations; O(n log n), one allocation at most per call
 * (two when many scores are closer than the prefix can tell apart).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qala/rank.h"
#include "rank_internal.h"
#include "util/internal.h"

static int cmp_asc(const void *pa, const void *pb)
{
    const qala_rank_item *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static int cmp_desc(const void *pa, const void *pb)
{
    const qala_rank_item *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->value != b->value)
        return a->value > b->value ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* The order-preserving key of a double (not NAN): the unsigned order of the keys is the
 * numeric order of the values, -0 and +0 alike. */
static inline uint64_t sort_key(double v)
{
    uint64_t b;
    if (v == 0)
        v = 0; /* -0 -> +0 */
    memcpy(&b, &v, sizeof b);
    return (b >> 63) ? ~b : b | 0x8000000000000000u;
}

/* digits of the LSD sorts; below SMALL_SORT scores an insertion sort; runs of equal
 * prefixes up to SMALL_RUN long ordered by insertion */
enum { RADIX_BITS = 11, RADIX_SIZE = 1 << RADIX_BITS, RADIX_PASSES = 6 };
enum { SMALL_RUN = 32, SMALL_SORT = 64 };

/* Sorts keys[0..m) ascending, carrying pos along; k2/p2 are scratch of m each. Returns
 * which arrays hold the result (0: keys/pos, 1: k2/p2). */
static int sort_keys(uint64_t *keys, uint32_t *pos, uint64_t *k2, uint32_t *p2, size_t m)
{
    if (m < 64) {
        for (size_t i = 1; i < m; i++) {
            uint64_t k = keys[i];
            uint32_t p = pos[i];
            size_t j = i;
            for (; j > 0 && keys[j - 1] > k; j--) {
                keys[j] = keys[j - 1];
                pos[j] = pos[j - 1];
            }
            keys[j] = k;
            pos[j] = p;
        }
        return 0;
    }
    uint32_t count[RADIX_PASSES][RADIX_SIZE]; /* 48 KiB of stack; m < 2^32 */
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < m; i++)
        for (int d = 0; d < RADIX_PASSES; d++)
            count[d][(keys[i] >> (d * RADIX_BITS)) & (RADIX_SIZE - 1)]++;
    uint64_t *ka = keys, *kb = k2;
    uint32_t *pa = pos, *pb = p2;
    int flipped = 0;
    for (int d = 0; d < RADIX_PASSES; d++) {
        uint32_t *c = count[d];
        if (c[(ka[0] >> (d * RADIX_BITS)) & (RADIX_SIZE - 1)] == m)
            continue; /* every key has this digit */
        uint32_t sum = 0;
        for (size_t b = 0; b < RADIX_SIZE; b++) {
            uint32_t t = c[b];
            c[b] = sum;
            sum += t;
        }
        for (size_t i = 0; i < m; i++) {
            size_t at = c[(ka[i] >> (d * RADIX_BITS)) & (RADIX_SIZE - 1)]++;
            kb[at] = ka[i];
            pb[at] = pa[i];
        }
        uint64_t *tk = ka; ka = kb; kb = tk;
        uint32_t *tp = pa; pa = pb; pb = tp;
        flipped ^= 1;
    }
    return flipped;
}

/* Sorts the m packed words of a ascending by their top 32 bits (the key prefix), through
 * t: LSD passes of 11, 11 and 10 bits (four of 8 bits below 4,096 words, where clearing
 * and summing 2,048 counts would cost more than the pass), a pass skipped when its digit
 * is the same in every word. Returns the array that holds the result. */
static uint64_t *sort_prefixes(uint64_t *a, uint64_t *t, size_t m)
{
    /* three wide passes (the fourth entry unused), or four narrow ones */
    static const unsigned wide_shift[4] = {32, 43, 54, 0}, wide_width[4] = {11, 11, 10, 0};
    static const unsigned narrow_shift[4] = {32, 40, 48, 56}, narrow_width[4] = {8, 8, 8, 8};
    int narrow = m < 4096;
    const unsigned *shift = narrow ? narrow_shift : wide_shift;
    const unsigned *width = narrow ? narrow_width : wide_width;
    int passes = narrow ? 4 : 3;
    uint32_t count[4][RADIX_SIZE];
    for (int d = 0; d < passes; d++)
        memset(count[d], 0, ((size_t)1 << width[d]) * sizeof(uint32_t));
    for (size_t i = 0; i < m; i++)
        for (int d = 0; d < passes; d++)
            count[d][(a[i] >> shift[d]) & ((1u << width[d]) - 1)]++;
    for (int d = 0; d < passes; d++) {
        uint32_t *c = count[d], mask = (1u << width[d]) - 1;
        if (c[(a[0] >> shift[d]) & mask] == m)
            continue;
        uint32_t sum = 0;
        for (size_t b = 0; b <= mask; b++) {
            uint32_t v = c[b];
            c[b] = sum;
            sum += v;
        }
        for (size_t i = 0; i < m; i++)
            t[c[(a[i] >> shift[d]) & mask]++] = a[i];
        uint64_t *x = a;
        a = t;
        t = x;
    }
    return a;
}

/* Sorts the m words w by the whole key of their position (insertion: few words). */
static void insert_words(uint64_t *w, size_t m, const uint64_t *key)
{
    for (size_t i = 1; i < m; i++) {
        uint64_t wi = w[i], ki = key[(uint32_t)wi];
        size_t q = i;
        for (; q > 0 && key[(uint32_t)w[q - 1]] > ki; q--)
            w[q] = w[q - 1];
        w[q] = wi;
    }
}

/* Orders the words (the top 32 bits of key - lo over the position, for the m scores whose
 * key is not 0) by whole key: returns the sorted words, in word or tmp (n each), or NULL
 * when a long run of close scores finds no memory (recorded). */
static uint64_t *sort_words(const uint64_t *key, size_t n, size_t m, uint64_t lo, uint64_t hi,
                            uint64_t *word, uint64_t *tmp)
{
    unsigned span = hi > lo ? 64 - (unsigned)__builtin_clzll(hi - lo) : 0;
    unsigned drop = span > 32 ? span - 32 : 0;
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (key[i] != 0)
            word[j++] = ((key[i] - lo) >> drop) << 32 | (uint64_t)i;
    if (m <= SMALL_SORT) { /* a few scores: insertion by whole key, no radix pass */
        insert_words(word, m, key);
        return word;
    }
    uint64_t *w = sort_prefixes(word, tmp, m);
    /* runs of equal prefixes: ordered by whole key (a run longer than SMALL_RUN through
     * the LSD sort of whole keys, in memory of its own) */
    for (size_t a = 0; a < m;) {
        size_t b = a + 1;
        while (b < m && (w[b] >> 32) == (w[a] >> 32))
            b++;
        size_t len = b - a;
        if (len > 1 && len <= SMALL_RUN) {
            insert_words(w + a, len, key);
        } else if (len > SMALL_RUN) {
            uint64_t *keys = qala_mem__malloc(len * (2 * sizeof(uint64_t) + 2 * sizeof(uint32_t)));
            if (!keys) {
                qala_err__set(QALA_ENOMEM, "ranks: out of memory for %zu close scores", len);
                return NULL;
            }
            uint64_t *k2 = keys + len;
            uint32_t *pos = (uint32_t *)(void *)(k2 + len), *p2 = pos + len;
            for (size_t i = 0; i < len; i++) {
                pos[i] = (uint32_t)w[a + i];
                keys[i] = key[pos[i]];
            }
            const uint32_t *sorted = sort_keys(keys, pos, k2, p2, len) ? p2 : pos;
            for (size_t i = 0; i < len; i++)
                w[a + i] = (w[a] & ~(uint64_t)UINT32_MAX) | sorted[i];
            qala_mem__free(keys);
        }
        a = b;
    }
    return w;
}

/* The order keys of x[0..n) by position (0: missing), their count, smallest and largest. */
static size_t read_keys(uint64_t *key, const double *x, size_t stride, size_t n,
                        qala_rank_order order, uint64_t *lo, uint64_t *hi)
{
    size_t m = 0;
    *lo = UINT64_MAX;
    *hi = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (isnan(v)) {
            key[i] = 0;
            continue;
        }
        uint64_t k = sort_key(v);
        k = order == QALA_RANK_DESC ? ~k : k;
        key[i] = k;
        *lo = k < *lo ? k : *lo;
        *hi = k > *hi ? k : *hi;
        m++;
    }
    return m;
}

/* qala_rank_min without groups (n < 2^32). Each score's order key (sort_key; 0 marks a
 * missing score, which no number's key is) is kept by position; the sort moves one 64-bit
 * word per score: the top 32 bits of (key - smallest key) over the position. Three passes
 * order the words by that prefix; scores whose prefixes are equal (ties, or scores closer
 * than 2^-32 of the range) are then ordered by their whole keys, and the ranks follow from
 * the whole keys. Against an LSD sort of whole keys and positions (five or six passes over
 * 12 bytes a score): about twice as fast. */
static qala_status rank_radix(double *out, size_t ostride, const double *x, size_t stride,
                              size_t n, qala_rank_order order, qala_rank_item *scratch)
{
    /* three arrays of n words in the n items of 24 bytes: keys by position, words, scratch */
    uint64_t *key = (uint64_t *)(void *)scratch, *word = key + n, *tmp = word + n;
    uint64_t lo, hi;
    size_t m = read_keys(key, x, stride, n, order, &lo, &hi);
    const uint64_t *w = m ? sort_words(key, n, m, lo, hi, word, tmp) : word;
    if (!w)
        return QALA_ENOMEM;
    /* every score was read and nothing can fail from here: out is written */
    for (size_t i = 0; i < n; i++)
        if (key[i] == 0)
            out[i * ostride] = NAN;
    double rank = 1;
    for (size_t k = 0; k < m; k++) {
        uint32_t i = (uint32_t)w[k];
        if (k > 0 && key[i] != key[(uint32_t)w[k - 1]])
            rank = (double)(k + 1);
        out[(size_t)i * ostride] = rank;
    }
    return QALA_OK;
}

/* ---- one column split between threads (rank_internal.h) ---------------------------- */

qala_status qala_rank__sort_part(qala_rank__part *part, double *out, const double *x,
                                 size_t lo, size_t hi, qala_rank_order order,
                                 qala_rank_item *scratch)
{
    size_t n = hi - lo;
    uint64_t *key = (uint64_t *)(void *)scratch, *word = key + n, *tmp = word + n;
    uint64_t kmin, kmax;
    size_t m = read_keys(key, x + lo, 1, n, order, &kmin, &kmax);
    const uint64_t *w = m ? sort_words(key, n, m, kmin, kmax, word, tmp) : word;
    if (!w)
        return QALA_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (key[i] == 0)
            out[lo + i] = NAN;
    /* the whole keys in sorted order, in the array the words left free */
    uint64_t *sorted = w == word ? tmp : word;
    for (size_t k = 0; k < m; k++)
        sorted[k] = key[(uint32_t)w[k]];
    *part = (qala_rank__part){.keys = sorted, .words = w, .base = lo, .m = m};
    return QALA_OK;
}

/* Two parts: one merge walk over both, without a data-dependent branch (the next score
 * taken is the smaller key, this part's first on a tie; a score of the other part is only
 * counted). No key is UINT64_MAX (it would be a NAN's), so it ends the other part. */
static void rank_against_one(double *out, const qala_rank__part *own, const qala_rank__part *o)
{
    const uint64_t *key = own->keys, *okey = o->keys;
    size_t m = own->m, om = o->m, k = 0, j = 0, first = 0;
    uint64_t prev = 0;
    double dummy;
    while (k < m) {
        uint64_t kk = key[k], oj = j < om ? okey[j] : UINT64_MAX;
        int take = kk <= oj;
        size_t f = k > 0 && kk != prev ? k : first;
        double *dst = take ? &out[own->base + (uint32_t)own->words[k]] : &dummy;
        *dst = (double)(f + j + 1);
        first = take ? f : first;
        prev = take ? kk : prev;
        k += (size_t)take;
        j += (size_t)!take;
    }
}

void qala_rank__rank_part(double *out, const qala_rank__part *parts, size_t nparts, size_t me)
{
    const qala_rank__part *own = &parts[me];
    if (nparts == 2) {
        rank_against_one(out, own, &parts[1 - me]);
        return;
    }
    size_t at[64] = {0}, first = 0;
    if (nparts > 64)
        nparts = 64;
    for (size_t k = 0; k < own->m; k++) {
        uint64_t key = own->keys[k];
        if (k > 0 && key != own->keys[k - 1])
            first = k;
        size_t better = first; /* strictly better scores: in this part, then the others */
        for (size_t q = 0; q < nparts; q++) {
            if (q == me)
                continue;
            const qala_rank__part *o = &parts[q];
            while (at[q] < o->m && o->keys[at[q]] < key)
                at[q]++;
            better += at[q];
        }
        out[own->base + (uint32_t)own->words[k]] = (double)(better + 1);
    }
}

static qala_status rank_impl(double *out, size_t ostride, const double *x, size_t stride,
                             const size_t *group, size_t n, qala_rank_order order,
                             qala_rank_item *scratch, const char *who)
{
    if (stride == 0 || ostride == 0)
        return qala_err__set(QALA_EINVAL, "%s: stride and ostride must be at least 1", who);
    if (order != QALA_RANK_DESC && order != QALA_RANK_ASC)
        return qala_err__set(QALA_EINVAL, "%s: order must be QALA_RANK_DESC or QALA_RANK_ASC, not %d",
                             who, (int)order);
    if (n == 0)
        return QALA_OK;
    qala_rank_item *items = scratch;
    if (!items) {
        items = qala_mem__malloc(n * sizeof *items);
        if (!items)
            return qala_err__set(QALA_ENOMEM, "%s: out of memory for %zu scores", who, n);
    }

    if (!group && n <= UINT32_MAX &&
        sizeof(qala_rank_item) >= 2 * sizeof(uint64_t) + 2 * sizeof(uint32_t)) {
        /* every score is read into the keys before any out cell is written */
        qala_status st = rank_radix(out, ostride, x, stride, n, order, items);
        if (items != scratch)
            qala_mem__free(items);
        return st;
    }

    /* 1: read every score (out may alias x). */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        size_t g = group ? group[i] : 0;
        if (isnan(v) || g == QALA_RANK_NO_GROUP)
            continue;
        items[m].value = v;
        items[m].index = i;
        items[m].group = g;
        m++;
    }
    /* 2: cells without a rank. */
    for (size_t i = 0; i < n; i++)
        if (isnan(x[i * stride]) || (group && group[i] == QALA_RANK_NO_GROUP))
            out[i * ostride] = NAN;

    /* 3: sort and walk. */
    qsort(items, m, sizeof *items, order == QALA_RANK_DESC ? cmp_desc : cmp_asc);
    size_t start = 0;
    double rank = 0;
    for (size_t k = 0; k < m; k++) {
        if (k == 0 || items[k].group != items[k - 1].group) {
            start = k;
            rank = 1;
        } else if (items[k].value != items[k - 1].value) {
            rank = (double)(k - start + 1);
        }
        out[items[k].index * ostride] = rank;
    }

    if (items != scratch)
        qala_mem__free(items);
    return QALA_OK;
}

qala_status qala_rank_min(double *out, size_t ostride, const double *x, size_t stride, size_t n,
                          qala_rank_order order, qala_rank_item *scratch)
{
    return rank_impl(out, ostride, x, stride, NULL, n, order, scratch, "qala_rank_min");
}

qala_status qala_rank_min_groups(double *out, size_t ostride, const double *x, size_t stride,
                                 const size_t *group, size_t n, qala_rank_order order,
                                 qala_rank_item *scratch)
{
    if (n > 0 && !group)
        return qala_err__set(QALA_EINVAL, "qala_rank_min_groups: group ids are missing (NULL)");
    return rank_impl(out, ostride, x, stride, group, n, order, scratch, "qala_rank_min_groups");
}
