/*
 * history.h -- what happened, kept on disk: per-minute aggregates per link
 * and per alerted target, and every alert's start, peak and end, in an
 * SQLite database (WAL mode) under the state directory.
 *
 * Two halves:
 *
 * - The recorder (struct history), fed on the analysis thread once per
 *   closed second of capture time (history_second: a few compares, no
 *   allocation) and, when a minute closes, with a snapshot of that moment
 *   (history_minute). It turns the snapshot's cumulative counters into the
 *   minute's deltas and hands the record to a writer thread through a
 *   bounded queue. When the queue is full (the disk is slow) the minute is
 *   dropped and counted; the analysis never waits on the disk -- unless the
 *   recorder was made with HISTORY_WAIT (a file replay for a report, where
 *   waiting loses nothing).
 *
 * - The store (struct history_db): open, write a minute, prune, query.
 *   Retention is relative to the newest minute written (a replay of an old
 *   capture keeps its minutes), and a size bound deletes the oldest minutes
 *   first. SQLite's journal gives the crash guarantee: kill -9 loses at most
 *   the minute being recorded, never the file.
 *
 * Minutes are UTC seconds since the epoch, multiples of 60, in capture time.
 */
#ifndef KYOCHO_HISTORY_H
#define KYOCHO_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "detect/snapshot.h"

#define HISTORY_FILE	"history.sqlite"
#define HISTORY_MAX_LINKS	64
#define HISTORY_MAX_TARGETS	64	/* alerted targets kept per minute */

/* One link's minute. Rates are the minute's averages (count / 60). */
struct history_link_row {
	int64_t minute;
	char link[64];
	uint64_t packets, bytes;
	uint64_t syn, udp, icmp, fragments;
	uint64_t drops;			/* kernel and interface drops */
	uint64_t peak_pps, peak_bps;	/* busiest second of the minute */
	uint64_t capacity_bps;		/* 0 = unknown */
};

/* One alerted target's minute. */
struct history_target_row {
	int64_t minute;
	char target[64];		/* address, text */
	uint64_t packets, bytes;
	uint64_t syn, udp, icmp;
	uint64_t peak_pps;		/* since the target was first seen */
};

/* One alert: start, peak and end (end 0 while active). */
struct history_alert_row {
	int64_t start_us, end_us;
	char target[64];
	char kind[32];			/* alert_kind_name() */
	char direction[16];		/* alert_direction_name() */
	char link[64];			/* ingress link, "" = unknown */
	uint64_t peak_pps, peak_bps;
	uint64_t packets, bytes;
	uint64_t sources_est;
};

/* Capacity share of a link row: average bps over capacity, 0..; -1 when
 * the capacity is unknown. */
double history_link_share(const struct history_link_row *r);

/* ---- the store ------------------------------------------------------- */

struct history_db;

/*
 * Open (creating when create is set, with parent directories' existence
 * assumed) the database at path, in WAL mode, schema checked or created.
 * Returns NULL with errbuf ("history.sqlite: ...").
 */
struct history_db *history_db_open(const char *path, int create,
    char *errbuf);
void history_db_close(struct history_db *db);

/* What a query selects; 0 / "" = no bound. from and to in seconds. */
struct history_filter {
	int64_t from, to;		/* minute >= from, minute < to */
	const char *link;		/* exact link name */
	const char *target;		/* exact address text */
};

/* Rows a query returns; free with history_rows_free. */
struct history_rows {
	struct history_link_row *links;
	size_t nlinks;
	struct history_target_row *targets;
	size_t ntargets;
	struct history_alert_row *alerts;	/* those overlapping [from, to) */
	size_t nalerts;
};

/* Oldest minute first (then link / target name); alerts by start. Returns
 * 0, or -1 with errbuf. */
int history_db_query(struct history_db *db, const struct history_filter *f,
    struct history_rows *out, char *errbuf);
void history_rows_free(struct history_rows *r);

/* The oldest and newest minute stored (both 0 when there is none).
 * Returns 0, or -1 with errbuf. */
int history_db_span(struct history_db *db, int64_t *oldest, int64_t *newest,
    char *errbuf);
/*
 * The newest alerts first (by start), at most max, without the per-minute
 * rows a history_db_query over the whole span would read: for the
 * terminal's Alerts history. *out is allocated (free it), *n its length.
 * Returns 0, or -1 with errbuf.
 */
int history_db_alerts(struct history_db *db, size_t max,
    struct history_alert_row **out, size_t *n, char *errbuf);

/* One minute as the recorder hands it to the writer. */
struct history_record {
	int64_t minute;
	struct history_link_row links[HISTORY_MAX_LINKS];
	size_t nlinks;
	struct history_target_row targets[HISTORY_MAX_TARGETS];
	size_t ntargets;
	struct history_alert_row *alerts;	/* owned */
	size_t nalerts;
};

/* Write one record in one transaction (rows of the same minute and link or
 * target are replaced; alerts are keyed by start, target and kind). Returns
 * 0 or -1 with errbuf. */
int history_db_write(struct history_db *db, const struct history_record *r,
    char *errbuf);
/*
 * Retention: delete minutes (and alerts that ended) older than days before
 * the newest minute; then, while the file is larger than max_bytes (0: no
 * bound), the oldest tenth of the minutes. Returns rows deleted, or -1.
 */
long history_db_prune(struct history_db *db, unsigned days,
    uint64_t max_bytes, char *errbuf);

/* ---- the recorder ---------------------------------------------------- */

struct history;

#define HISTORY_WAIT	0x1	/* a full queue waits instead of dropping */

struct history_settings {
	const char *path;	/* the database file */
	unsigned days;		/* retention, history-days */
	uint64_t max_bytes;	/* size bound, history-max-mb; 0 = none */
	size_t queue;		/* minutes the queue holds (0: 64) */
	int flags;		/* HISTORY_WAIT */
};

/* Open the database and start the writer thread. NULL with errbuf. */
struct history *history_new(const struct history_settings *s, char *errbuf);
/* Write what is queued, stop the writer, close. NULL is fine. */
void history_free(struct history *h);

/*
 * A second closed (analysis thread): sec in seconds, pps/bps per link, the
 * snapshot's link order. Returns 1 when a minute has just closed: the
 * caller then builds a snapshot of this moment and calls history_minute().
 */
int history_second(struct history *h, int64_t sec, const uint64_t *pps,
    const uint64_t *bps, size_t nlinks);
/* The minute that closed (after history_second() returned 1), or the one
 * in progress at the end of the input (final set): its deltas from snap's
 * cumulative counters, queued for the writer. snap stays the caller's. */
void history_minute(struct history *h, const struct snapshot *snap,
    int final);

/* The writer's counters, for the metrics and the status line. */
struct history_stats {
	uint64_t written;	/* minutes written */
	uint64_t dropped;	/* minutes dropped: queue full */
	uint64_t errors;	/* writes that failed */
	uint64_t queued;	/* minutes waiting */
	double lag_s;		/* age of the oldest waiting minute, seconds */
	char error[256];	/* the last write error, or "" */
};
void history_get_stats(struct history *h, struct history_stats *st);

#endif
