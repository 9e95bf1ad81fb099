/* src/store/store_observations.c — importing observations as batches, and reading them
 * back, as they are now or as they were known at a given time.
 *
 * An import is one transaction: it records the batch (file, SHA-256, UTC time), maps the
 * dataset's codes to row ids (an unknown code fails the whole import), then for each
 * observation inserts it when its key (unit, indicator, period) is new, leaves it when
 * value and flag are the same, or revises it: the old row goes to observation_history
 * with the batch that replaced it and when. When nothing was inserted or revised the
 * transaction is rolled back, so importing the same file again leaves the database file
 * as it was, byte for byte.
 *
 * Speed: the observations are first put in key order (an LSD radix sort of packed
 * 64-bit keys), so that inserts append to the B-tree of the WITHOUT ROWID table; every
 * statement is prepared once and only rebound per row. Workload: up to 10^7 rows per
 * import; the aim is at least a million new observations per second (bench/store_insert).
 *
 * "As of" queries: a value was known at time T when its batch was imported at or before
 * T and it had not been replaced at T (replaced_at > T). For one key these intervals
 * [imported_at, replaced_at) do not overlap, so at most one value per key qualifies.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qala/dataset.h"
#include "store/store_sql.h"

/* ---- sorting observations by key ---- */

typedef struct okey {
    uint64_t key;
    uint64_t idx;
} okey;

#define UNIT_BITS 23
#define INDICATOR_BITS 23
#define PERIOD_BITS 18
/* Rows per INSERT statement in bulk imports (5 parameters each, far below SQLite's limit). */
#define CHUNK 64

/* LSD radix sort by key, 16 bits per pass, skipping passes above the highest set bit.
 * Stable, so equal keys keep their input order. */
static qala_status radix_sort(okey *a, size_t n)
{
    uint64_t all = 0;
    for (size_t i = 0; i < n; i++)
        all |= a[i].key;
    okey *tmp = qala_mem__malloc(n * sizeof *tmp);
    size_t *count = qala_mem__malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        qala_mem__free(tmp);
        qala_mem__free(count);
        return qala_err__set(QALA_ENOMEM, "out of memory");
    }
    okey *src = a, *dst = tmp;
    for (int shift = 0; shift < 64 && (all >> shift) != 0; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i].key >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].key >> shift) & 0xffff]++] = src[i];
        okey *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    qala_mem__free(tmp);
    qala_mem__free(count);
    return QALA_OK;
}

/* ---- code lookups ---- */

/* ids[i] = row id of dictionary entry i (code_fn(ds, i)), or -1 when not stored. */
static qala_status map_codes(qala_store *store, const char *sql, const qala_dataset *ds,
                             size_t n, const char *(*code_fn)(const qala_dataset *, uint32_t),
                             int64_t *ids)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, sql, &stmt);
    for (size_t i = 0; st == QALA_OK && i < n; i++) {
        qala_store__bind_text(stmt, 1, code_fn(ds, (uint32_t)i));
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW)
            ids[i] = sqlite3_column_int64(stmt, 0);
        else if (rc == SQLITE_DONE)
            ids[i] = -1;
        else
            st = qala_store__db_error(store, rc, "looking up codes");
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return st;
}

static int is_sha256(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 64;
}

/* ---- import ---- */

typedef struct importer {
    qala_store *store;
    const qala_dataset *ds;
    const qala_batch_info *info;
    int64_t batch;
    char now[24];
    int64_t *unit_ids, *indicator_ids;
    okey *order;
    sqlite3_stmt *ins, *sel, *hist, *upd;
    sqlite3_stmt *ins_many; /* CHUNK rows per statement; NULL when keys are not known unique */
    int keys_unique;        /* map_and_order proved no key repeats */
    size_t inserted, revised, unchanged;
} importer;

static qala_status prepare_import(importer *im)
{
    qala_store *s = im->store;
    qala_status st;
    if ((st = qala_store__prepare(
             s, "INSERT INTO observations(unit_id, indicator_id, period, value, flag, batch_id, line)"
                " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING", &im->ins)) != QALA_OK ||
        (st = qala_store__prepare(
             s, "SELECT value, flag, batch_id, line FROM observations"
                " WHERE unit_id = ?1 AND indicator_id = ?2 AND period = ?3", &im->sel)) != QALA_OK ||
        (st = qala_store__prepare(
             s, "INSERT INTO observation_history(unit_id, indicator_id, period, value, flag,"
                " batch_id, replaced_by_batch, replaced_at, line)"
                " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
             &im->hist)) != QALA_OK ||
        (st = qala_store__prepare(
             s, "UPDATE observations SET value = ?4, flag = ?5, batch_id = ?6, line = ?7"
                " WHERE unit_id = ?1 AND indicator_id = ?2 AND period = ?3", &im->upd)) != QALA_OK)
        return st;
    if (im->keys_unique) {
        /* Many rows per statement: a third of the per-row cost is statement overhead. */
        qala_buf sql;
        qala_buf__init(&sql, 0);
        st = qala_buf__printf(&sql, "INSERT INTO observations(unit_id, indicator_id, period, value,"
                                    " flag, line, batch_id) VALUES");
        for (int r = 0; r < CHUNK && st == QALA_OK; r++)
            st = qala_buf__printf(&sql, "%s(?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d)", r ? "," : "",
                                  6 * r + 1, 6 * r + 2, 6 * r + 3, 6 * r + 4, 6 * r + 5, 6 * r + 6,
                                  6 * CHUNK + 1);
        if (st == QALA_OK)
            st = qala_buf__printf(&sql, " ON CONFLICT DO NOTHING");
        if (st == QALA_OK)
            st = qala_store__prepare(s, sql.data, &im->ins_many);
        qala_buf__free(&sql);
        if (st != QALA_OK)
            return st;
        sqlite3_bind_int64(im->ins_many, 6 * CHUNK + 1, im->batch);
    }
    sqlite3_bind_int64(im->ins, 6, im->batch);
    sqlite3_bind_int64(im->upd, 6, im->batch);
    sqlite3_bind_int64(im->hist, 7, im->batch);
    sqlite3_bind_text(im->hist, 8, im->now, -1, SQLITE_STATIC);
    return QALA_OK;
}

static void finalize_import(importer *im)
{
    sqlite3_finalize(im->ins_many);
    sqlite3_finalize(im->ins);
    sqlite3_finalize(im->sel);
    sqlite3_finalize(im->hist);
    sqlite3_finalize(im->upd);
}

static qala_status duplicate_error(importer *im, size_t i);

/* Maps the codes; fails on the first observation whose code is not stored. Then fills
 * im->order with the observations in key order. */
static qala_status map_and_order(importer *im)
{
    const qala_dataset *ds = im->ds;
    size_t n = qala_dataset_size(ds);
    const uint32_t *u = qala_dataset_units(ds), *ind = qala_dataset_indicators(ds);
    const qala_period *per = qala_dataset_periods(ds);
    const uint32_t *lines = qala_dataset_lines(ds);
    qala_status st;
    if ((st = map_codes(im->store, "SELECT id FROM units WHERE code = ?1", ds,
                        qala_dataset_unit_count(ds), qala_dataset_unit_code,
                        im->unit_ids)) != QALA_OK ||
        (st = map_codes(im->store, "SELECT id FROM indicators WHERE code = ?1", ds,
                        qala_dataset_indicator_count(ds), qala_dataset_indicator_code,
                        im->indicator_ids)) != QALA_OK)
        return st;
    int packable = 1, sorted = 1;
    uint64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t uid = im->unit_ids[u[i]], iid = im->indicator_ids[ind[i]];
        if (uid < 0)
            return qala_err__set_at(QALA_ENOTFOUND, im->info->file, (long)lines[i], 0,
                                    "unit '%s' is not in the stored registry",
                                    qala_dataset_unit_code(ds, u[i]));
        if (iid < 0)
            return qala_err__set_at(QALA_ENOTFOUND, im->info->file, (long)lines[i], 0,
                                    "indicator '%s' is not in the stored framework",
                                    qala_dataset_indicator_code(ds, ind[i]));
        if (uid >= (1 << UNIT_BITS) || iid >= (1 << INDICATOR_BITS) || per[i] < 0 ||
            per[i] >= (1 << PERIOD_BITS))
            packable = 0;
        uint64_t key = (uint64_t)uid << (INDICATOR_BITS + PERIOD_BITS) |
                       (uint64_t)iid << PERIOD_BITS | (uint64_t)(uint32_t)per[i];
        if (i > 0 && key < prev)
            sorted = 0;
        prev = key;
        im->order[i] = (okey){key, i};
    }
    /* Key order makes the inserts appends; without a packed key the input order is kept
     * (still correct, only slower). */
    if (!packable)
        return QALA_OK;
    if (!sorted && (st = radix_sort(im->order, n)) != QALA_OK)
        return st;
    for (size_t k = 1; k < n; k++)
        if (im->order[k].key == im->order[k - 1].key)
            return duplicate_error(im, (size_t)im->order[k].idx);
    im->keys_unique = 1;
    return QALA_OK;
}

static qala_status duplicate_error(importer *im, size_t i)
{
    const qala_dataset *ds = im->ds;
    char period[12];
    qala_period_format(period, qala_dataset_periods(ds)[i]);
    return qala_err__set_at(QALA_EINVAL, im->info->file, (long)qala_dataset_lines(ds)[i], 0,
                            "unit '%s', indicator '%s', period %s appears twice",
                            qala_dataset_unit_code(ds, qala_dataset_units(ds)[i]),
                            qala_dataset_indicator_code(ds, qala_dataset_indicators(ds)[i]),
                            period);
}

/* The stored row of the key bound to im->sel: its value (NULL → *null), flag and batch.
 * QALA_OK with *found = 0 when there is none. */
static qala_status read_stored(importer *im, int *found, int *old_null, double *old_value,
                               int *old_flag, int64_t *old_batch)
{
    int rc = sqlite3_step(im->sel);
    *found = rc == SQLITE_ROW;
    if (*found) {
        *old_null = sqlite3_column_type(im->sel, 0) == SQLITE_NULL;
        *old_value = sqlite3_column_double(im->sel, 0);
        *old_flag = sqlite3_column_int(im->sel, 1);
        *old_batch = sqlite3_column_int64(im->sel, 2);
        sqlite3_bind_int64(im->hist, 9, sqlite3_column_int64(im->sel, 3)); /* the old line */
    }
    sqlite3_reset(im->sel);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return qala_store__db_error(im->store, rc, "reading a stored observation");
    return QALA_OK;
}

/* An observation whose key is stored (old_* as read_stored gave them): unchanged, or a
 * revision. sel, hist and upd have the key bound; upd also the new value and flag. */
static qala_status revise(importer *im, size_t i, double value, int flag, int old_null,
                          double old_value, int old_flag, int64_t old_batch)
{
    qala_store *s = im->store;
    int rc;
    if (old_batch == im->batch)
        return duplicate_error(im, i);
    int same_value = isnan(value) ? old_null : (!old_null && old_value == value);
    if (same_value && old_flag == flag) {
        im->unchanged++;
        return QALA_OK;
    }
    old_null ? sqlite3_bind_null(im->hist, 4) : sqlite3_bind_double(im->hist, 4, old_value);
    sqlite3_bind_int(im->hist, 5, old_flag);
    sqlite3_bind_int64(im->hist, 6, old_batch);
    if ((rc = sqlite3_step(im->hist)) != SQLITE_DONE) {
        sqlite3_reset(im->hist);
        return qala_store__db_error(s, rc, "keeping a revised observation");
    }
    sqlite3_reset(im->hist);
    if ((rc = sqlite3_step(im->upd)) != SQLITE_DONE) {
        sqlite3_reset(im->upd);
        return qala_store__db_error(s, rc, "revising an observation");
    }
    sqlite3_reset(im->upd);
    im->revised++;
    return QALA_OK;
}

/* A chunk of CHUNK rows (order[k0..k0+CHUNK)) in one statement. When some keys were
 * stored already, each row of the chunk is looked at: rows that carry this batch were
 * inserted now (keys are unique), the others are revisions or unchanged. */
static qala_status store_chunk(importer *im, size_t k0)
{
    const qala_dataset *ds = im->ds;
    const uint32_t *u = qala_dataset_units(ds), *ind = qala_dataset_indicators(ds);
    const qala_period *per = qala_dataset_periods(ds);
    const double *val = qala_dataset_values(ds);
    const uint8_t *flag = qala_dataset_flags(ds);
    const uint32_t *lines = qala_dataset_lines(ds);
    sqlite3_stmt *ins = im->ins_many;
    for (int r = 0; r < CHUNK; r++) {
        size_t i = (size_t)im->order[k0 + (size_t)r].idx;
        sqlite3_bind_int64(ins, 6 * r + 1, im->unit_ids[u[i]]);
        sqlite3_bind_int64(ins, 6 * r + 2, im->indicator_ids[ind[i]]);
        sqlite3_bind_int(ins, 6 * r + 3, per[i]);
        isnan(val[i]) ? sqlite3_bind_null(ins, 6 * r + 4) : sqlite3_bind_double(ins, 6 * r + 4, val[i]);
        sqlite3_bind_int(ins, 6 * r + 5, flag[i]);
        sqlite3_bind_int64(ins, 6 * r + 6, lines[i]);
    }
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (rc != SQLITE_DONE)
        return qala_store__db_error(im->store, rc, "storing observations");
    if (sqlite3_changes(im->store->db) == CHUNK) {
        im->inserted += CHUNK;
        return QALA_OK;
    }
    for (int r = 0; r < CHUNK; r++) {
        size_t i = (size_t)im->order[k0 + (size_t)r].idx;
        int64_t uid = im->unit_ids[u[i]], iid = im->indicator_ids[ind[i]];
        sqlite3_stmt *targets[] = {im->sel, im->hist, im->upd};
        for (int t = 0; t < 3; t++) {
            sqlite3_bind_int64(targets[t], 1, uid);
            sqlite3_bind_int64(targets[t], 2, iid);
            sqlite3_bind_int(targets[t], 3, per[i]);
        }
        int found, old_null, old_flag;
        double old_value;
        int64_t old_batch;
        qala_status st = read_stored(im, &found, &old_null, &old_value, &old_flag, &old_batch);
        if (st == QALA_OK && !found)
            st = qala_store__db_error(im->store, SQLITE_CORRUPT, "reading a stored observation");
        if (st != QALA_OK)
            return st;
        if (old_batch == im->batch) { /* inserted by this chunk (keys are unique) */
            im->inserted++;
            continue;
        }
        isnan(val[i]) ? sqlite3_bind_null(im->upd, 4) : sqlite3_bind_double(im->upd, 4, val[i]);
        sqlite3_bind_int(im->upd, 5, flag[i]);
        sqlite3_bind_int64(im->upd, 7, lines[i]);
        if ((st = revise(im, i, val[i], flag[i], old_null, old_value, old_flag, old_batch)) != QALA_OK)
            return st;
    }
    return QALA_OK;
}

static qala_status store_rows(importer *im)
{
    const qala_dataset *ds = im->ds;
    size_t n = qala_dataset_size(ds);
    const uint32_t *u = qala_dataset_units(ds), *ind = qala_dataset_indicators(ds);
    const qala_period *per = qala_dataset_periods(ds);
    const double *val = qala_dataset_values(ds);
    const uint8_t *flag = qala_dataset_flags(ds);
    const uint32_t *lines = qala_dataset_lines(ds);
    size_t k = 0;
    if (im->ins_many)
        for (; k + CHUNK <= n; k += CHUNK) {
            qala_status st = store_chunk(im, k);
            if (st != QALA_OK)
                return st;
        }
    for (; k < n; k++) {
        size_t i = (size_t)im->order[k].idx;
        int64_t uid = im->unit_ids[u[i]], iid = im->indicator_ids[ind[i]];
        double v = val[i];
        sqlite3_stmt *ins = im->ins;
        sqlite3_bind_int64(ins, 1, uid);
        sqlite3_bind_int64(ins, 2, iid);
        sqlite3_bind_int(ins, 3, per[i]);
        isnan(v) ? sqlite3_bind_null(ins, 4) : sqlite3_bind_double(ins, 4, v);
        sqlite3_bind_int(ins, 5, flag[i]);
        sqlite3_bind_int64(ins, 7, lines[i]);
        int rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE)
            return qala_store__db_error(im->store, rc, "storing an observation");
        if (sqlite3_changes(im->store->db) == 1) {
            im->inserted++;
            continue;
        }
        /* The key is stored already. */
        sqlite3_stmt *targets[] = {im->sel, im->hist, im->upd};
        for (int t = 0; t < 3; t++) {
            sqlite3_bind_int64(targets[t], 1, uid);
            sqlite3_bind_int64(targets[t], 2, iid);
            sqlite3_bind_int(targets[t], 3, per[i]);
        }
        isnan(v) ? sqlite3_bind_null(im->upd, 4) : sqlite3_bind_double(im->upd, 4, v);
        sqlite3_bind_int(im->upd, 5, flag[i]);
        sqlite3_bind_int64(im->upd, 7, lines[i]);
        int found, old_null, old_flag;
        double old_value;
        int64_t old_batch;
        qala_status st = read_stored(im, &found, &old_null, &old_value, &old_flag, &old_batch);
        if (st == QALA_OK && !found)
            st = qala_store__db_error(im->store, SQLITE_CORRUPT, "reading a stored observation");
        if (st == QALA_OK)
            st = revise(im, i, v, flag[i], old_null, old_value, old_flag, old_batch);
        if (st != QALA_OK)
            return st;
    }
    return QALA_OK;
}

static qala_status record_batch(importer *im)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        im->store, "INSERT INTO batches(file, sha256, imported_at, note) VALUES(?1, ?2, ?3, ?4)",
        &stmt);
    if (st != QALA_OK)
        return st;
    qala_store__bind_text(stmt, 1, im->info->file);
    qala_store__bind_text(stmt, 2, im->info->sha256);
    qala_store__bind_text(stmt, 3, im->now);
    qala_store__bind_text(stmt, 4, im->info->note);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return qala_store__db_error(im->store, rc, "recording the batch");
    im->batch = sqlite3_last_insert_rowid(im->store->db);
    return QALA_OK;
}

static qala_status finish_batch(importer *im)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(
        im->store, "UPDATE batches SET inserted = ?2, revised = ?3 WHERE id = ?1", &stmt);
    if (st != QALA_OK)
        return st;
    sqlite3_bind_int64(stmt, 1, im->batch);
    sqlite3_bind_int64(stmt, 2, (sqlite3_int64)im->inserted);
    sqlite3_bind_int64(stmt, 3, (sqlite3_int64)im->revised);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? QALA_OK : qala_store__db_error(im->store, rc, "recording the batch");
}

/* One file's batch inside the caller's transaction, under a savepoint: a batch that
 * changes nothing is rolled back to the savepoint and leaves no trace, not even the
 * batch row. On error the caller rolls the whole transaction back. */
static qala_status import_batch(qala_store *store, const qala_dataset *ds,
                                const qala_batch_info *info, qala_batch_result *result)
{
    memset(result, 0, sizeof *result);
    if (!info->file || !info->sha256 || !is_sha256(info->sha256))
        return qala_err__set(QALA_EINVAL, "a batch needs a file name and a SHA-256 of 64 "
                                          "lowercase hexadecimal digits");
    importer im = {.store = store, .ds = ds, .info = info};
    qala_store__now(store, im.now);
    size_t n = qala_dataset_size(ds), nu = qala_dataset_unit_count(ds);
    size_t ni = qala_dataset_indicator_count(ds);
    qala_status st = QALA_ENOMEM;
    im.unit_ids = qala_mem__malloc((nu ? nu : 1) * sizeof *im.unit_ids);
    im.indicator_ids = qala_mem__malloc((ni ? ni : 1) * sizeof *im.indicator_ids);
    im.order = qala_mem__malloc((n ? n : 1) * sizeof *im.order);
    if (!im.unit_ids || !im.indicator_ids || !im.order) {
        qala_err__set(QALA_ENOMEM, "out of memory");
        goto done;
    }
    int rc = sqlite3_exec(store->db, "SAVEPOINT qala_batch", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        st = qala_store__db_error(store, rc, "starting a batch");
        goto done;
    }
    if ((st = record_batch(&im)) != QALA_OK || (st = map_and_order(&im)) != QALA_OK ||
        (st = prepare_import(&im)) != QALA_OK || (st = store_rows(&im)) != QALA_OK)
        goto done;
    if (im.inserted + im.revised == 0) {
        /* Nothing new: leave no trace, not even the batch. */
        rc = sqlite3_exec(store->db, "ROLLBACK TO qala_batch", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            st = qala_store__db_error(store, rc, "undoing an empty batch");
            goto done;
        }
        im.batch = 0;
    } else if ((st = finish_batch(&im)) != QALA_OK) {
        goto done;
    }
    rc = sqlite3_exec(store->db, "RELEASE qala_batch", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        st = qala_store__db_error(store, rc, "finishing a batch");
        goto done;
    }
    result->batch = im.batch;
    result->inserted = im.inserted;
    result->revised = im.revised;
    result->unchanged = im.unchanged;
done:
    finalize_import(&im);
    qala_mem__free(im.unit_ids);
    qala_mem__free(im.indicator_ids);
    qala_mem__free(im.order);
    return st;
}

qala_status qala_store_import_many(qala_store *store, const qala_dataset *const *ds,
                                   const qala_batch_info *info, size_t n,
                                   qala_batch_result *results)
{
    if (!store || (n > 0 && (!ds || !info || !results)))
        return qala_err__set(QALA_EINVAL, "qala_store_import_many: NULL argument");
    for (size_t i = 0; i < n; i++)
        memset(&results[i], 0, sizeof results[i]);
    /* Every reference the import writes is checked by construction: unit and indicator
     * ids are looked up inside the same write transaction, the batch is its own, and a
     * history row copies a stored row. So SQLite's per-row foreign-key lookups (a third
     * of the insert time) are turned off for the import only; the pragma can't change
     * inside a transaction, hence around it. */
    int rc = sqlite3_exec(store->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return qala_store__db_error(store, rc, "preparing the import");
    qala_status st = qala_store__begin(store);
    for (size_t i = 0; st == QALA_OK && i < n; i++)
        st = import_batch(store, ds[i], &info[i], &results[i]);
    if (st == QALA_OK)
        st = qala_store__commit(store);
    else
        qala_store__rollback(store);
    if (st != QALA_OK)
        for (size_t i = 0; i < n; i++)
            memset(&results[i], 0, sizeof results[i]);
    /* The import is committed (or rolled back) at this point: a failure to turn foreign
     * keys back on must not report a stored import as failed. The next transaction of
     * this connection turns them on first (qala_store__begin). */
    rc = sqlite3_exec(store->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        store->fk_off = 1;
    return st;
}

qala_status qala_store_import(qala_store *store, const qala_dataset *ds,
                              const qala_batch_info *info, qala_batch_result *result)
{
    return qala_store_import_many(store, &ds, info, 1, result);
}

/* ---- queries ---- */

/* "YYYY-MM-DD" (the end of that day), "YYYY-MM-DDTHH:MM:SS" or with ' ' for 'T', with
 * or without a final 'Z', into "YYYY-MM-DDTHH:MM:SSZ". */
static qala_status parse_as_of(const char *text, char out[static 24])
{
    char date[11];
    size_t len = strlen(text);
    qala_date d;
    if (len < 10)
        goto bad;
    memcpy(date, text, 10);
    date[10] = '\0';
    if (qala_date_parse(&d, date, 0) != QALA_OK)
        goto bad;
    if (len == 10) {
        snprintf(out, 24, "%sT23:59:59Z", date);
        return QALA_OK;
    }
    if ((len != 19 && len != 20) || (text[10] != 'T' && text[10] != ' ') ||
        (len == 20 && text[19] != 'Z') || text[13] != ':' || text[16] != ':')
        goto bad;
    int hms[3];
    for (int k = 0; k < 3; k++) {
        const char *p = text + 11 + 3 * k;
        if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
            goto bad;
        hms[k] = (p[0] - '0') * 10 + (p[1] - '0');
    }
    if (hms[0] > 23 || hms[1] > 59 || hms[2] > 60)
        goto bad;
    memcpy(out, date, 10);
    out[10] = 'T';
    memcpy(out + 11, text + 11, 8); /* HH:MM:SS, checked above */
    memcpy(out + 19, "Z", 2);
    return QALA_OK;
bad:
    return qala_err__set(QALA_EINVAL, "'%s' is not a time: expected YYYY-MM-DD or "
                                      "YYYY-MM-DDTHH:MM:SS (UTC)", text);
}

/* " AND column IN (id, ...)" for the given codes; QALA_ENOTFOUND for an unknown one. */
static qala_status append_filter(qala_store *store, qala_buf *sql, const char *column,
                                 const char *lookup, const char *what,
                                 const char *const *codes, size_t n)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, lookup, &stmt);
    if (st == QALA_OK)
        st = qala_buf__printf(sql, " AND %s IN (", column);
    for (size_t i = 0; st == QALA_OK && i < n; i++) {
        qala_store__bind_text(stmt, 1, codes[i]);
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW)
            st = qala_buf__printf(sql, "%s%lld", i ? ", " : "", sqlite3_column_int64(stmt, 0));
        else if (rc == SQLITE_DONE)
            st = qala_err__set(QALA_ENOTFOUND, "%s '%s' is not in the store", what, codes[i]);
        else
            st = qala_store__db_error(store, rc, "looking up codes");
        sqlite3_reset(stmt);
    }
    if (st == QALA_OK)
        st = qala_buf__append(sql, n ? ")" : "NULL)", n ? 1 : 5);
    sqlite3_finalize(stmt);
    return st;
}

static qala_status build_query(qala_store *store, const qala_store_query *q, const char *as_of,
                               qala_buf *sql)
{
    static const char cols[] = "unit_id, indicator_id, period, value, flag, batch_id, line";
    qala_status st;
    if (as_of)
        st = qala_buf__printf(
            sql,
            "SELECT %s FROM (SELECT %s FROM observations WHERE batch_id IN"
            " (SELECT id FROM batches WHERE imported_at <= ?1)"
            " UNION ALL SELECT %s FROM observation_history WHERE replaced_at > ?1"
            " AND batch_id IN (SELECT id FROM batches WHERE imported_at <= ?1)) WHERE 1",
            cols, cols, cols);
    else
        st = qala_buf__printf(sql, "SELECT %s FROM observations WHERE 1", cols);
    if (st == QALA_OK && q->units)
        st = append_filter(store, sql, "unit_id", "SELECT id FROM units WHERE code = ?1", "unit",
                           q->units, q->nunits);
    if (st == QALA_OK && q->indicators && !q->units) /* lets SQLite seek the primary key */
        st = qala_buf__printf(sql, " AND unit_id IN (SELECT id FROM units)");
    if (st == QALA_OK && q->indicators)
        st = append_filter(store, sql, "indicator_id", "SELECT id FROM indicators WHERE code = ?1",
                           "indicator", q->indicators, q->nindicators);
    if (st == QALA_OK && q->period_min)
        st = qala_buf__printf(sql, " AND period >= %ld", (long)q->period_min);
    if (st == QALA_OK && q->period_max)
        st = qala_buf__printf(sql, " AND period <= %ld", (long)q->period_max);
    if (st == QALA_OK)
        st = qala_buf__printf(sql, " ORDER BY unit_id, indicator_id, period");
    return st;
}

/* Row id -> code, for the units or the indicators. */
typedef struct codemap {
    int64_t *ids;
    char **codes;
    size_t n, cap_ids, cap_codes;
} codemap;

static void codemap_free(codemap *m)
{
    for (size_t i = 0; i < m->n; i++)
        qala_mem__free(m->codes[i]);
    qala_mem__free(m->ids);
    qala_mem__free(m->codes);
}

static qala_status codemap_load(qala_store *store, const char *sql, codemap *m)
{
    sqlite3_stmt *stmt;
    qala_status st = qala_store__prepare(store, sql, &stmt);
    int rc = SQLITE_DONE;
    while (st == QALA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if ((st = qala_mem__grow((void **)&m->ids, &m->cap_ids, m->n + 1, sizeof *m->ids)) != QALA_OK ||
            (st = qala_mem__grow((void **)&m->codes, &m->cap_codes, m->n + 1, sizeof *m->codes)) != QALA_OK)
            break;
        char *code = qala_mem__strdup(qala_store__column_text(stmt, 1));
        if (!code) {
            st = qala_err__set(QALA_ENOMEM, "out of memory");
            break;
        }
        m->ids[m->n] = sqlite3_column_int64(stmt, 0);
        m->codes[m->n++] = code;
    }
    if (st == QALA_OK && rc != SQLITE_DONE)
        st = qala_store__db_error(store, rc, "reading codes");
    sqlite3_finalize(stmt);
    return st;
}

static const char *codemap_get(const codemap *m, int64_t id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->ids[lo] == id ? m->codes[lo] : NULL;
}

static qala_status fetch_rows(qala_store *store, sqlite3_stmt *stmt, const codemap *units,
                              const codemap *inds, int (*fn)(void *, const qala_store_row *),
                              void *ctx)
{
    int rc;
    int64_t last_unit = -1, last_ind = -1;
    qala_store_row row = {0};
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int64_t uid = sqlite3_column_int64(stmt, 0), iid = sqlite3_column_int64(stmt, 1);
        if (uid != last_unit && !(row.unit = codemap_get(units, uid)))
            return qala_err__set(QALA_EDB, "an observation refers to a missing unit %lld", (long long)uid);
        if (iid != last_ind && !(row.indicator = codemap_get(inds, iid)))
            return qala_err__set(QALA_EDB, "an observation refers to a missing indicator %lld", (long long)iid);
        last_unit = uid;
        last_ind = iid;
        row.period = (qala_period)sqlite3_column_int(stmt, 2);
        row.value = sqlite3_column_type(stmt, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(stmt, 3);
        row.flag = (qala_flag)sqlite3_column_int(stmt, 4);
        row.batch = sqlite3_column_int64(stmt, 5);
        row.line = (long)sqlite3_column_int64(stmt, 6);
        if (fn(ctx, &row))
            return QALA_OK;
    }
    return rc == SQLITE_DONE ? QALA_OK : qala_store__db_error(store, rc, "reading observations");
}

qala_status qala_store_each_observation(qala_store *store, const qala_store_query *query,
                                        int (*fn)(void *ctx, const qala_store_row *row), void *ctx)
{
    qala_store_query all = {0};
    const qala_store_query *q = query ? query : &all;
    char as_of[24];
    qala_status st;
    if (q->as_of && (st = parse_as_of(q->as_of, as_of)) != QALA_OK)
        return st;
    qala_buf sql;
    qala_buf__init(&sql, 0);
    codemap units = {0}, inds = {0};
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_exec(store->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        st = qala_store__db_error(store, rc, "starting a read");
        goto done;
    }
    if ((st = build_query(store, q, q->as_of ? as_of : NULL, &sql)) == QALA_OK &&
        (st = codemap_load(store, "SELECT id, code FROM units ORDER BY id", &units)) == QALA_OK &&
        (st = codemap_load(store, "SELECT id, code FROM indicators ORDER BY id", &inds)) == QALA_OK &&
        (st = qala_store__prepare(store, sql.data, &stmt)) == QALA_OK) {
        if (q->as_of)
            sqlite3_bind_text(stmt, 1, as_of, -1, SQLITE_STATIC);
        st = fetch_rows(store, stmt, &units, &inds, fn, ctx);
    }
    sqlite3_finalize(stmt);
    qala_store__rollback(store);
done:
    codemap_free(&units);
    codemap_free(&inds);
    qala_buf__free(&sql);
    return st;
}

/* Appending rows to a dataset; codes are interned once per run of equal codes (rows come
 * in key order). */
typedef struct append_ctx {
    qala_dataset *ds;
    const char *last_unit, *last_ind;
    uint32_t unit, ind;
    qala_status st;
} append_ctx;

static int append_row(void *ctx, const qala_store_row *row)
{
    append_ctx *a = ctx;
    if (row->unit != a->last_unit) {
        if ((a->st = qala_dataset_intern_unit(a->ds, row->unit, &a->unit)) != QALA_OK)
            return 1;
        a->last_unit = row->unit;
    }
    if (row->indicator != a->last_ind) {
        if ((a->st = qala_dataset_intern_indicator(a->ds, row->indicator, &a->ind)) != QALA_OK)
            return 1;
        a->last_ind = row->indicator;
    }
    a->st = qala_dataset_append(a->ds, a->unit, a->ind, row->period, row->value, row->flag,
                                (uint32_t)row->batch);
    return a->st != QALA_OK;
}

qala_status qala_store_query_observations(qala_store *store, const qala_store_query *query,
                                          qala_dataset *ds)
{
    size_t before = qala_dataset_size(ds);
    append_ctx a = {ds, NULL, NULL, 0, 0, QALA_OK};
    qala_status st = qala_store_each_observation(store, query, append_row, &a);
    if (st == QALA_OK)
        st = a.st;
    if (st != QALA_OK) /* leave ds as it was (the code dictionaries may have grown) */
        qala_dataset_truncate(ds, before);
    return st;
}
