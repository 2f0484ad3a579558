/*
 * metrics.h -- the Prometheus endpoint (--metrics [ADDR:]PORT): the text
 * exposition format (version 0.0.4) at /metrics, served by libmicrohttpd's
 * own thread, read-only, on 127.0.0.1 unless an address is given.
 *
 * The engine renders the page once per published second from a snapshot
 * (metrics_update); a request copies the last page under a mutex held
 * only for that copy. Labels are bounded: link names (configured), alert
 * kind and direction (fixed sets); no per-source or per-target label.
 */
#ifndef KYOCHO_METRICS_H
#define KYOCHO_METRICS_H

#include <stdint.h>

#include "detect/snapshot.h"

struct metrics;

/* What the engine adds beside the snapshot. */
struct metrics_extra {
	int history;			/* the history is on */
	uint64_t history_written, history_dropped, history_errors;
	uint64_t history_queued;
	double history_lag_s;
};

/*
 * Listen on listen ("PORT", "ADDR:PORT", "[V6]:PORT"). Returns NULL with
 * errbuf ("metrics 127.0.0.1:9100: ..."). Free with metrics_free().
 */
struct metrics *metrics_new(const char *listen, char *errbuf);
void metrics_free(struct metrics *m);
/* Render the page from snap (any thread; snap stays the caller's). */
void metrics_update(struct metrics *m, const struct snapshot *snap,
    const struct metrics_extra *x);
/* The page as a new string (the caller frees it), for tests. */
char *metrics_page(struct metrics *m);

#endif
