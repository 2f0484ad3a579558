/*
 * history_db.c -- the history store: one SQLite file in WAL mode.
 *
 *   link_minute(minute, link, packets, bytes, syn, udp, icmp, fragments,
 *               drops, peak_pps, peak_bps, capacity_bps)
 *   target_minute(minute, target, packets, bytes, syn, udp, icmp, peak_pps)
 *   alerts(start_us, target, kind, direction, link, end_us, peak_pps,
 *          peak_bps, packets, bytes, sources_est)
 *
 * Each minute is one transaction, so a process killed at any moment leaves
 * either the whole minute or none of it (SQLite's atomic commit; WAL with
 * synchronous=NORMAL is still never corrupted by a crash of the process).
 */
#include "history/history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/util.h"

#define SCHEMA_VERSION	1

struct history_db {
	sqlite3 *db;
	char path[512];
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS link_minute ("
    " minute INTEGER NOT NULL, link TEXT NOT NULL,"
    " packets INTEGER, bytes INTEGER, syn INTEGER, udp INTEGER,"
    " icmp INTEGER, fragments INTEGER, drops INTEGER,"
    " peak_pps INTEGER, peak_bps INTEGER, capacity_bps INTEGER,"
    " PRIMARY KEY (minute, link));"
    "CREATE TABLE IF NOT EXISTS target_minute ("
    " minute INTEGER NOT NULL, target TEXT NOT NULL,"
    " packets INTEGER, bytes INTEGER, syn INTEGER, udp INTEGER,"
    " icmp INTEGER, peak_pps INTEGER,"
    " PRIMARY KEY (minute, target));"
    "CREATE TABLE IF NOT EXISTS alerts ("
    " start_us INTEGER NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL,"
    " direction TEXT, link TEXT, end_us INTEGER, peak_pps INTEGER,"
    " peak_bps INTEGER, packets INTEGER, bytes INTEGER,"
    " sources_est INTEGER, PRIMARY KEY (start_us, target, kind));";

static int
db_err(struct history_db *db, char *errbuf, const char *what)
{
	return err_set(errbuf, "%s: %s: %s", db->path, what,
	    sqlite3_errmsg(db->db));
}

double
history_link_share(const struct history_link_row *r)
{
	if (r->capacity_bps == 0)
		return -1;
	return (double)r->bytes * 8 / 60 / (double)r->capacity_bps;
}

struct history_db *
history_db_open(const char *path, int create, char *errbuf)
{
	struct history_db *db = xcalloc(1, sizeof(*db));
	sqlite3_stmt *st = NULL;
	int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE :
	    SQLITE_OPEN_READONLY;
	int version = 0;

	snprintf(db->path, sizeof(db->path), "%s", path);
	if (sqlite3_open_v2(path, &db->db, flags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		if (db->db == NULL) {
			err_set(errbuf, "%s: cannot open", path);
			free(db);
			return NULL;
		}
		db_err(db, errbuf, "open");
		goto fail;
	}
	sqlite3_busy_timeout(db->db, 2000);
	if (sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK) {
		db_err(db, errbuf, "not a history database");
		goto fail;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > SCHEMA_VERSION) {
		err_set(errbuf, "%s: history schema %d is newer than this "
		    "kyocho's (%d)", path, version, SCHEMA_VERSION);
		goto fail;
	}
	if (!create) {
		if (version != SCHEMA_VERSION) {
			err_set(errbuf, "%s: not a kyocho history database",
			    path);
			goto fail;
		}
		return db;
	}
	/* 0600: the targets are our customers' addresses. */
	if (sqlite3_exec(db->db, "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=NORMAL;", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		db_err(db, errbuf, "schema");
		goto fail;
	}
	if (version == 0 && sqlite3_exec(db->db, "PRAGMA user_version = 1",
	    NULL, NULL, NULL) != SQLITE_OK) {
		db_err(db, errbuf, "schema");
		goto fail;
	}
	return db;
fail:
	sqlite3_close(db->db);
	free(db);
	return NULL;
}

void
history_db_close(struct history_db *db)
{
	if (db == NULL)
		return;
	sqlite3_close(db->db);
	free(db);
}

static void
bind_u64(sqlite3_stmt *st, int i, uint64_t v)
{
	sqlite3_bind_int64(st, i, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

int
history_db_write(struct history_db *db, const struct history_record *r,
    char *errbuf)
{
	sqlite3_stmt *ls = NULL, *ts = NULL, *as = NULL;
	size_t i;

	if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_err(db, errbuf, "begin");
	if (sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO link_minute "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", -1, &ls, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO target_minute "
	    "VALUES (?,?,?,?,?,?,?,?)", -1, &ts, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO alerts "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1, &as, NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; i < r->nlinks; i++) {
		const struct history_link_row *l = &r->links[i];

		sqlite3_reset(ls);
		sqlite3_bind_int64(ls, 1, r->minute);
		sqlite3_bind_text(ls, 2, l->link, -1, SQLITE_STATIC);
		bind_u64(ls, 3, l->packets);
		bind_u64(ls, 4, l->bytes);
		bind_u64(ls, 5, l->syn);
		bind_u64(ls, 6, l->udp);
		bind_u64(ls, 7, l->icmp);
		bind_u64(ls, 8, l->fragments);
		bind_u64(ls, 9, l->drops);
		bind_u64(ls, 10, l->peak_pps);
		bind_u64(ls, 11, l->peak_bps);
		bind_u64(ls, 12, l->capacity_bps);
		if (sqlite3_step(ls) != SQLITE_DONE)
			goto fail;
	}
	for (i = 0; i < r->ntargets; i++) {
		const struct history_target_row *t = &r->targets[i];

		sqlite3_reset(ts);
		sqlite3_bind_int64(ts, 1, r->minute);
		sqlite3_bind_text(ts, 2, t->target, -1, SQLITE_STATIC);
		bind_u64(ts, 3, t->packets);
		bind_u64(ts, 4, t->bytes);
		bind_u64(ts, 5, t->syn);
		bind_u64(ts, 6, t->udp);
		bind_u64(ts, 7, t->icmp);
		bind_u64(ts, 8, t->peak_pps);
		if (sqlite3_step(ts) != SQLITE_DONE)
			goto fail;
	}
	for (i = 0; i < r->nalerts; i++) {
		const struct history_alert_row *a = &r->alerts[i];

		sqlite3_reset(as);
		sqlite3_bind_int64(as, 1, a->start_us);
		sqlite3_bind_text(as, 2, a->target, -1, SQLITE_STATIC);
		sqlite3_bind_text(as, 3, a->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(as, 4, a->direction, -1, SQLITE_STATIC);
		sqlite3_bind_text(as, 5, a->link, -1, SQLITE_STATIC);
		sqlite3_bind_int64(as, 6, a->end_us);
		bind_u64(as, 7, a->peak_pps);
		bind_u64(as, 8, a->peak_bps);
		bind_u64(as, 9, a->packets);
		bind_u64(as, 10, a->bytes);
		bind_u64(as, 11, a->sources_est);
		if (sqlite3_step(as) != SQLITE_DONE)
			goto fail;
	}
	sqlite3_finalize(ls);
	sqlite3_finalize(ts);
	sqlite3_finalize(as);
	if (sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_err(db, errbuf, "commit");
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
fail:
	db_err(db, errbuf, "write");
	sqlite3_finalize(ls);
	sqlite3_finalize(ts);
	sqlite3_finalize(as);
	sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int64_t
query_i64(struct history_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Delete minutes before cut (and alerts that ended before it). */
static long
delete_before(struct history_db *db, int64_t cut, char *errbuf)
{
	char sql[256];
	long n;

	snprintf(sql, sizeof(sql), "DELETE FROM link_minute WHERE minute < "
	    "%lld; DELETE FROM target_minute WHERE minute < %lld; DELETE "
	    "FROM alerts WHERE end_us != 0 AND end_us < %lld;",
	    (long long)cut, (long long)cut, (long long)cut * 1000000);
	n = sqlite3_total_changes(db->db);
	if (sqlite3_exec(db->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_err(db, errbuf, "prune");
	return sqlite3_total_changes(db->db) - n;
}

long
history_db_prune(struct history_db *db, unsigned days, uint64_t max_bytes,
    char *errbuf)
{
	int64_t newest, oldest, size;
	long n, total = 0;
	int rounds;

	newest = query_i64(db, "SELECT max(minute) FROM link_minute");
	if (newest <= 0)
		return 0;
	if (days > 0 && (n = delete_before(db, newest - (int64_t)days * 86400,
	    errbuf)) < 0)
		return -1;
	else if (days > 0)
		total += n;
	for (rounds = 0; max_bytes > 0 && rounds < 20; rounds++) {
		/* Pages in use: the file less its free list. */
		size = (query_i64(db, "PRAGMA page_count") -
		    query_i64(db, "PRAGMA freelist_count")) *
		    query_i64(db, "PRAGMA page_size");
		if (size <= (int64_t)max_bytes)
			break;
		oldest = query_i64(db, "SELECT min(minute) FROM link_minute");
		if (oldest <= 0 || oldest >= newest)
			break;
		if ((n = delete_before(db, oldest + (newest - oldest) / 10 + 60,
		    errbuf)) < 0)
			return -1;
		total += n;
	}
	return total;
}

static void
col_text(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	snprintf(buf, len, "%s", s != NULL ? (const char *)s : "");
}

static uint64_t
col_u64(sqlite3_stmt *st, int i)
{
	int64_t v = sqlite3_column_int64(st, i);

	return v < 0 ? 0 : (uint64_t)v;
}

/* Bind the filter to ?1 from, ?2 to, ?3 name (link or target). */
static void
bind_filter(sqlite3_stmt *st, const struct history_filter *f,
    const char *name)
{
	sqlite3_bind_int64(st, 1, f->from);
	sqlite3_bind_int64(st, 2, f->to > 0 ? f->to : INT64_MAX);
	if (name != NULL && *name != '\0')
		sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
}

int
history_db_query(struct history_db *db, const struct history_filter *f,
    struct history_rows *out, char *errbuf)
{
	sqlite3_stmt *st = NULL;
	size_t cap;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db->db, "SELECT minute, link, packets, bytes, "
	    "syn, udp, icmp, fragments, drops, peak_pps, peak_bps, "
	    "capacity_bps FROM link_minute WHERE minute >= ?1 AND minute < ?2 "
	    "AND (?3 IS NULL OR link = ?3) ORDER BY minute, link", -1, &st,
	    NULL) != SQLITE_OK)
		goto fail;
	bind_filter(st, f, f->link);
	for (cap = 0; (rc = sqlite3_step(st)) == SQLITE_ROW;) {
		struct history_link_row *l;

		out->links = xgrow(out->links, out->nlinks, &cap, 64,
		    sizeof(*out->links));
		l = &out->links[out->nlinks++];
		l->minute = sqlite3_column_int64(st, 0);
		col_text(st, 1, l->link, sizeof(l->link));
		l->packets = col_u64(st, 2);
		l->bytes = col_u64(st, 3);
		l->syn = col_u64(st, 4);
		l->udp = col_u64(st, 5);
		l->icmp = col_u64(st, 6);
		l->fragments = col_u64(st, 7);
		l->drops = col_u64(st, 8);
		l->peak_pps = col_u64(st, 9);
		l->peak_bps = col_u64(st, 10);
		l->capacity_bps = col_u64(st, 11);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db->db, "SELECT minute, target, packets, bytes, "
	    "syn, udp, icmp, peak_pps FROM target_minute WHERE minute >= ?1 "
	    "AND minute < ?2 AND (?3 IS NULL OR target = ?3) "
	    "ORDER BY minute, target", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	bind_filter(st, f, f->target);
	for (cap = 0; (rc = sqlite3_step(st)) == SQLITE_ROW;) {
		struct history_target_row *t;

		out->targets = xgrow(out->targets, out->ntargets, &cap, 64,
		    sizeof(*out->targets));
		t = &out->targets[out->ntargets++];
		t->minute = sqlite3_column_int64(st, 0);
		col_text(st, 1, t->target, sizeof(t->target));
		t->packets = col_u64(st, 2);
		t->bytes = col_u64(st, 3);
		t->syn = col_u64(st, 4);
		t->udp = col_u64(st, 5);
		t->icmp = col_u64(st, 6);
		t->peak_pps = col_u64(st, 7);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	/* Alerts overlapping [from, to): started before to, not ended
	 * before from. The link filter matches the ingress link. */
	if (sqlite3_prepare_v2(db->db, "SELECT start_us, end_us, target, kind, "
	    "direction, link, peak_pps, peak_bps, packets, bytes, sources_est "
	    "FROM alerts WHERE start_us < ?2 * 1000000 AND (end_us = 0 OR "
	    "end_us >= ?1 * 1000000) AND (?3 IS NULL OR target = ?3) "
	    "AND (?4 IS NULL OR link = ?4) ORDER BY start_us, target, kind",
	    -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, f->from);
	sqlite3_bind_int64(st, 2, f->to > 0 ? f->to : INT64_MAX / 1000000);
	if (f->target != NULL && *f->target != '\0')
		sqlite3_bind_text(st, 3, f->target, -1, SQLITE_STATIC);
	if (f->link != NULL && *f->link != '\0')
		sqlite3_bind_text(st, 4, f->link, -1, SQLITE_STATIC);
	for (cap = 0; (rc = sqlite3_step(st)) == SQLITE_ROW;) {
		struct history_alert_row *a;

		out->alerts = xgrow(out->alerts, out->nalerts, &cap, 16,
		    sizeof(*out->alerts));
		a = &out->alerts[out->nalerts++];
		a->start_us = sqlite3_column_int64(st, 0);
		a->end_us = sqlite3_column_int64(st, 1);
		col_text(st, 2, a->target, sizeof(a->target));
		col_text(st, 3, a->kind, sizeof(a->kind));
		col_text(st, 4, a->direction, sizeof(a->direction));
		col_text(st, 5, a->link, sizeof(a->link));
		a->peak_pps = col_u64(st, 6);
		a->peak_bps = col_u64(st, 7);
		a->packets = col_u64(st, 8);
		a->bytes = col_u64(st, 9);
		a->sources_est = col_u64(st, 10);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	return 0;
fail:
	db_err(db, errbuf, "query");
	sqlite3_finalize(st);
	history_rows_free(out);
	return -1;
}

void
history_rows_free(struct history_rows *r)
{
	free(r->links);
	free(r->targets);
	free(r->alerts);
	memset(r, 0, sizeof(*r));
}

int
history_db_span(struct history_db *db, int64_t *oldest, int64_t *newest,
    char *errbuf)
{
	sqlite3_stmt *st = NULL;

	*oldest = *newest = 0;
	if (sqlite3_prepare_v2(db->db, "SELECT min(minute), max(minute) FROM "
	    "link_minute", -1, &st, NULL) != SQLITE_OK)
		return db_err(db, errbuf, "query");
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_err(db, errbuf, "query");
		sqlite3_finalize(st);
		return -1;
	}
	*oldest = sqlite3_column_int64(st, 0);	/* NULL reads as 0 */
	*newest = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return 0;
}

int
history_db_alerts(struct history_db *db, size_t max,
    struct history_alert_row **out, size_t *n, char *errbuf)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db->db, "SELECT start_us, end_us, target, kind, "
	    "direction, link, peak_pps, peak_bps, packets, bytes, sources_est "
	    "FROM alerts ORDER BY start_us DESC, target, kind LIMIT ?1", -1,
	    &st, NULL) != SQLITE_OK)
		return db_err(db, errbuf, "query");
	sqlite3_bind_int64(st, 1, max > INT64_MAX ? INT64_MAX : (int64_t)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_alert_row *a;

		*out = xgrow(*out, *n, &cap, 16, sizeof(**out));
		a = &(*out)[(*n)++];
		memset(a, 0, sizeof(*a));
		a->start_us = sqlite3_column_int64(st, 0);
		a->end_us = sqlite3_column_int64(st, 1);
		col_text(st, 2, a->target, sizeof(a->target));
		col_text(st, 3, a->kind, sizeof(a->kind));
		col_text(st, 4, a->direction, sizeof(a->direction));
		col_text(st, 5, a->link, sizeof(a->link));
		a->peak_pps = col_u64(st, 6);
		a->peak_bps = col_u64(st, 7);
		a->packets = col_u64(st, 8);
		a->bytes = col_u64(st, 9);
		a->sources_est = col_u64(st, 10);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return err_set(errbuf, "%s: query: %s", db->path,
		    sqlite3_errmsg(db->db));
	}
	return 0;
}
