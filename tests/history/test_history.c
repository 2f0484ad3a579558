/*
 * test_history.c -- the history recorder and store: minutes close at :59
 * or across an idle gap with the right deltas and peaks, the last minute
 * at the end of input, alerts upserted, retention and the size bound, and
 * a slow disk dropping (and counting) minutes instead of waiting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "history/history.h"
#include "base/util.h"

static char dir[] = "/tmp/kyocho-test-history-XXXXXX";
static char path[256];
static int seq;

static struct history *
new_history(size_t queue)
{
	struct history_settings s = { .path = path, .days = 30, .queue = queue };
	char err[ERRBUF_SIZE];
	struct history *h;

	snprintf(path, sizeof(path), "%s/h%d.sqlite", dir, ++seq);
	h = history_new(&s, err);
	if (h == NULL)
		fail_msg("history_new: %s", err);
	return h;
}

static void
query(struct history_rows *r, const struct history_filter *f)
{
	char err[ERRBUF_SIZE];
	struct history_filter none = { 0 };
	struct history_db *db = history_db_open(path, 0, err);

	if (db == NULL)
		fail_msg("open: %s", err);
	if (history_db_query(db, f != NULL ? f : &none, r, err) != 0)
		fail_msg("query: %s", err);
	history_db_close(db);
}

/*
 * One link, 10 packets (100 bytes each) a second; from second 130 on a
 * target 192.0.2.1 under alert gets 3 of them. The snapshot is built as
 * the engine builds it: cumulative totals at the moment.
 */
struct feed {
	struct snapshot snap;
	struct snap_link link;
	struct snap_target target;
	struct alert alert;
	uint64_t pps;
};

static void
feed_second(struct history *h, struct feed *f, int64_t sec, uint64_t pkts)
{
	uint64_t bps = pkts * 800;

	f->link.total.packets += pkts;
	f->link.total.bytes += pkts * 100;
	f->link.total.tcp_syn += pkts / 2;
	if (sec >= 130) {
		f->target.packets += 3;
		f->target.alert_id = 1;
		f->snap.ntargets = 1;
		f->alert.start_us = 130 * 1000000LL;
		f->snap.nalerts = 1;
	}
	if (history_second(h, sec, &pkts, &bps, 1))
		history_minute(h, &f->snap, 0);
}

static void
feed_init(struct feed *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->link.name, sizeof(f->link.name), "peering-A");
	f->link.capacity_bps = 8000;
	f->snap.links = &f->link;
	f->snap.nlinks = 1;
	addr_parse("192.0.2.1", &f->target.addr);
	f->snap.targets = &f->target;
	f->alert.target = f->target.addr;
	f->alert.kind = KIND_SYN_FLOOD;
	f->snap.alerts = &f->alert;
}

static void
test_minutes(void **state)
{
	struct history *h = new_history(0);
	struct history_rows r;
	struct feed f;
	int64_t s;

	(void)state;
	feed_init(&f);
	for (s = 100; s <= 250; s++)
		feed_second(h, &f, s, s == 200 ? 50 : 10);
	f.alert.end_us = 240 * 1000000LL;
	f.alert.peak_pps = 3;
	history_minute(h, &f.snap, 1);		/* the end of input */
	history_free(h);

	query(&r, NULL);
	assert_int_equal(r.nlinks, 4);
	/* 100..119, 120..179, 180..239, 240..250 */
	assert_int_equal(r.links[0].minute, 60);
	assert_int_equal(r.links[0].packets, 200);
	assert_int_equal(r.links[0].bytes, 20000);
	assert_int_equal(r.links[0].syn, 100);
	assert_int_equal(r.links[0].peak_pps, 10);
	assert_int_equal(r.links[1].minute, 120);
	assert_int_equal(r.links[1].packets, 600);
	assert_int_equal(r.links[1].peak_pps, 10);
	assert_int_equal(r.links[2].minute, 180);
	assert_int_equal(r.links[2].packets, 640);
	assert_int_equal(r.links[2].peak_pps, 50);
	assert_int_equal(r.links[2].peak_bps, 40000);
	assert_int_equal(r.links[3].minute, 240);
	assert_int_equal(r.links[3].packets, 110);
	assert_int_equal(r.links[3].peak_pps, 10);
	/* 10 * 100 * 8 bit/s over 8000: 100 % of capacity */
	assert_true(history_link_share(&r.links[1]) > 0.999 &&
	    history_link_share(&r.links[1]) < 1.001);
	/* the target: 130..179 (50 s), 180..239, 240..250 */
	assert_int_equal(r.ntargets, 3);
	assert_string_equal(r.targets[0].target, "192.0.2.1");
	assert_int_equal(r.targets[0].packets, 150);
	assert_int_equal(r.targets[1].packets, 180);
	assert_int_equal(r.targets[2].packets, 33);
	/* one alert, upserted: its end and peak as last written */
	assert_int_equal(r.nalerts, 1);
	assert_string_equal(r.alerts[0].kind, "syn_flood");
	assert_int_equal(r.alerts[0].start_us, 130 * 1000000LL);
	assert_int_equal(r.alerts[0].end_us, 240 * 1000000LL);
	assert_int_equal(r.alerts[0].peak_pps, 3);
	history_rows_free(&r);

	/* filters: a window and a link that does not exist */
	{
		struct history_filter w = { .from = 120, .to = 240 };
		struct history_filter l = { .link = "peering-B" };

		query(&r, &w);
		assert_int_equal(r.nlinks, 2);
		assert_int_equal(r.links[0].minute, 120);
		history_rows_free(&r);
		query(&r, &l);
		assert_int_equal(r.nlinks, 0);
		assert_int_equal(r.nalerts, 0);
		history_rows_free(&r);
	}
}

/* An idle gap longer than the series: the stats close only its last 60
 * seconds, none of them a :59 of the minute before. */
static void
test_gap(void **state)
{
	struct history *h = new_history(0);
	struct history_rows r;
	struct feed f;
	int64_t s;

	(void)state;
	feed_init(&f);
	feed_second(h, &f, 100, 10);
	for (s = 1000 - 60; s < 1000; s++)	/* idle: stats' gap closing */
		feed_second(h, &f, s, 0);
	feed_second(h, &f, 1000, 7);
	history_minute(h, &f.snap, 1);
	history_free(h);

	query(&r, NULL);
	/* 60 (the 10), 900 (idle), 960 (idle, :59 is 1019 -> final) */
	assert_int_equal(r.nlinks, 3);
	assert_int_equal(r.links[0].minute, 60);
	assert_int_equal(r.links[0].packets, 10);
	assert_int_equal(r.links[1].minute, 900);
	assert_int_equal(r.links[1].packets, 0);
	assert_int_equal(r.links[2].minute, 960);
	assert_int_equal(r.links[2].packets, 7);
	history_rows_free(&r);
}

static void
write_minute(struct history_db *db, int64_t minute)
{
	struct history_record *rec = calloc(1, sizeof(*rec));
	char err[ERRBUF_SIZE];

	rec->minute = minute;
	rec->nlinks = 1;
	rec->links[0].minute = minute;
	snprintf(rec->links[0].link, sizeof(rec->links[0].link), "x");
	rec->links[0].packets = 1;
	if (history_db_write(db, rec, err) != 0)
		fail_msg("write: %s", err);
	free(rec);
}

static void
test_retention(void **state)
{
	char err[ERRBUF_SIZE];
	struct history_db *db;
	struct history_rows r;
	int64_t m;

	(void)state;
	snprintf(path, sizeof(path), "%s/h%d.sqlite", dir, ++seq);
	assert_non_null(db = history_db_open(path, 1, err));
	for (m = 0; m < 5; m++)
		write_minute(db, 86400 + m * 60);
	write_minute(db, 86400 * 40);
	/* 30 days before the newest minute: the five old ones go */
	assert_int_equal(history_db_prune(db, 30, 0, err), 5);
	/* a size bound: 3000 minutes, then 64 kB */
	for (m = 1; m <= 3000; m++)
		write_minute(db, 86400 * 40 + m * 60);
	assert_true(history_db_prune(db, 30, 64 * 1024, err) > 0);
	history_db_close(db);
	query(&r, NULL);
	assert_true(r.nlinks > 0 && r.nlinks < 3001);
	/* the newest are kept */
	assert_int_equal(r.links[r.nlinks - 1].minute, 86400 * 40 + 3000 * 60);
	history_rows_free(&r);
}

/* A disk that does not answer (another connection holds the write lock):
 * the queue of one fills and later minutes are dropped and counted at
 * once; the one queued is written when the disk answers. */
static void
test_slow_disk(void **state)
{
	struct history *h = new_history(1);
	struct history_stats st;
	struct history_rows r;
	sqlite3 *other;
	struct feed f;
	int64_t s;

	(void)state;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL,
	    NULL), SQLITE_OK);
	feed_init(&f);
	for (s = 60; s < 300; s++)	/* closes minutes 60, 120, 180, 240 */
		feed_second(h, &f, s, 1);
	history_get_stats(h, &st);
	assert_int_equal(st.dropped, 3);
	assert_int_equal(st.queued, 1);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(other);
	history_free(h);
	query(&r, NULL);
	assert_int_equal(r.nlinks, 1);
	assert_int_equal(r.links[0].minute, 60);
	history_rows_free(&r);
}

/* What the terminal reads: the span of the minutes stored, and the newest
 * alerts first, at most as many as asked. */
static void
test_span_alerts(void **state)
{
	char err[ERRBUF_SIZE];
	struct history_db *db;
	struct history_record *rec;
	struct history_alert_row *a;
	int64_t lo, hi;
	size_t n, i;

	(void)state;
	snprintf(path, sizeof(path), "%s/h%d.sqlite", dir, ++seq);
	assert_non_null(db = history_db_open(path, 1, err));
	assert_int_equal(history_db_span(db, &lo, &hi, err), 0);
	assert_true(lo == 0 && hi == 0);
	assert_int_equal(history_db_alerts(db, 10, &a, &n, err), 0);
	assert_int_equal(n, 0);
	write_minute(db, 600);
	write_minute(db, 120);
	write_minute(db, 300);
	assert_int_equal(history_db_span(db, &lo, &hi, err), 0);
	assert_int_equal(lo, 120);
	assert_int_equal(hi, 600);
	rec = calloc(1, sizeof(*rec));
	rec->minute = 660;
	rec->alerts = calloc(3, sizeof(*rec->alerts));
	rec->nalerts = 3;
	for (i = 0; i < 3; i++) {
		rec->alerts[i].start_us = (int64_t)(100 + i * 200) * 1000000;
		snprintf(rec->alerts[i].target, sizeof(rec->alerts[i].target),
		    "192.0.2.%zu", i + 1);
		snprintf(rec->alerts[i].kind, sizeof(rec->alerts[i].kind),
		    "syn_flood");
		rec->alerts[i].peak_pps = 1000 + i;
	}
	assert_int_equal(history_db_write(db, rec, err), 0);
	free(rec->alerts);
	free(rec);
	assert_int_equal(history_db_alerts(db, 2, &a, &n, err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(a[0].target, "192.0.2.3");
	assert_int_equal(a[0].peak_pps, 1002);
	assert_string_equal(a[1].target, "192.0.2.2");
	free(a);
	history_db_close(db);
}

static void
test_not_history(void **state)
{
	char err[ERRBUF_SIZE];
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/junk.sqlite", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("not a database at all, just text\n", fp);
	fclose(fp);
	assert_null(history_db_open(path, 0, err));
	assert_non_null(strstr(err, "junk.sqlite"));
	snprintf(path, sizeof(path), "%s/missing.sqlite", dir);
	assert_null(history_db_open(path, 0, err));
}

static int
cleanup(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minutes),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_retention),
		cmocka_unit_test(test_slow_disk),
		cmocka_unit_test(test_span_alerts),
		cmocka_unit_test(test_not_history),
	};

	if (mkdtemp(dir) == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
