/*
 * engine_history.h -- the history on disk (src/history) as the screens
 * read it: the per-minute traffic of the links over a window and the past
 * alerts, in types of their own, so that views/ reach the database through
 * the engine and never include src/history.
 *
 * A reader opens the database read-only (WAL: the writer thread of this or
 * another kyocho goes on writing meanwhile) and answers on the caller's
 * thread; each call is one small SQLite query. Not thread-safe: one reader
 * per thread. Minutes are UTC seconds since the epoch, multiples of 60.
 */
#ifndef KYOCHO_ENGINE_HISTORY_H
#define KYOCHO_ENGINE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "settings/config.h"

#define ENGINE_HISTORY_LINKS	16	/* links a window keeps */

/* One link's minute; present 0 when the history has no row for it. */
struct engine_history_cell {
	int present;
	uint64_t packets, bytes;
	uint64_t syn, udp, icmp, fragments, drops;
	uint64_t peak_pps, peak_bps;
	uint64_t capacity_bps;		/* 0 = unknown */
};

/* A past alert (text fields as the history stores them: the model's
 * names "syn_flood", "inbound"; not sanitized). */
struct engine_history_alert {
	int64_t start_us, end_us;	/* end 0: it had not ended */
	char target[64];
	char kind[32];
	char direction[16];
	char link[64];
	uint64_t peak_pps, peak_bps;
	uint64_t packets, bytes;
	uint64_t sources_est;
};

/* nminutes minutes from `from`, for each link seen in them. */
struct engine_history_window {
	int64_t from;
	size_t nminutes;
	size_t nlinks;
	char links[ENGINE_HISTORY_LINKS][64];	/* by name */
	struct engine_history_cell *cells;	/* [link * nminutes + i] */
	struct engine_history_alert *alerts;	/* overlapping, by start */
	size_t nalerts;
};

struct engine_history;

/*
 * Open the history database o names (the history setting; when it is off,
 * the state directory's history.sqlite) for reading. NULL with errbuf when
 * there is none ("no history: PATH does not exist") or it cannot be read.
 * Free with engine_history_close (NULL is fine).
 */
struct engine_history *engine_history_open(const struct options *o,
    char *errbuf);
void engine_history_close(struct engine_history *h);
/* The database's path (for messages). */
const char *engine_history_path(const struct engine_history *h);

/* The oldest and newest minute stored; both 0 when it is empty. Returns 0
 * or -1 with errbuf. */
int engine_history_span(struct engine_history *h, int64_t *oldest,
    int64_t *newest, char *errbuf);
/* Fill w with nminutes minutes from `from` (a multiple of 60). The links
 * beyond ENGINE_HISTORY_LINKS are left out. Returns 0, or -1 with errbuf;
 * free w with engine_history_window_free either way. */
int engine_history_window(struct engine_history *h, int64_t from,
    size_t nminutes, struct engine_history_window *w, char *errbuf);
void engine_history_window_free(struct engine_history_window *w);
/* The newest max alerts, newest first, into *out (allocated; the caller
 * frees it), *n of them. Returns 0 or -1 with errbuf. */
int engine_history_alerts(struct engine_history *h, size_t max,
    struct engine_history_alert **out, size_t *n, char *errbuf);

#endif
