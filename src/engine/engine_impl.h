/*
 * engine_impl.h -- private to src/engine/engine*.c: the engine's structures
 * and what its two files share. engine.c builds the engine, runs the
 * analysis thread and publishes snapshots; engine_live.c opens the capture
 * sources and runs the reader threads (capture, PACKET_FANOUT readers,
 * telemetry), with a live report's end (duration, idle) and the capture
 * counters. The reader loop and what it calls per batch stay in
 * engine_live.c or inline here: no call through another file per packet.
 */
#ifndef KYOCHO_ENGINE_IMPL_H
#define KYOCHO_ENGINE_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine/engine.h"
#include "capture/capture.h"
#include "capture/ring.h"
#include "detect/stats.h"
#include "flow/flowsrc.h"
#include "settings/config.h"

#define RING_SIZE	(1 << 16)
#define BATCH		256
#define MAX_SOURCES	(MAX_INPUTS * 2)
#define MAX_READERS	ENGINE_MAX_READERS	/* per live interface */
#define MAX_EXTRA	32	/* readers beyond each link's first, in all */

struct esource {
	struct engine *e;
	struct source *src;
	struct ring ring;
	pthread_t thread;
	int started;
	uint16_t link;
	char name[64];
	char iface[256];
	uint64_t capacity_bps;
	int live;
	_Atomic int done;
	char error[256];
	_Atomic uint64_t received, dropped, ifdropped;
	/* Kernel drops counted while this reader waited on its full ring:
	 * the share of dropped that kyocho's analysis caused. */
	_Atomic uint64_t ring_full_drops;
	/* mono_us() of the link's last packet, in its first reader's
	 * esource (every reader of the link stores it there). */
	_Atomic int64_t last_pkt;
	/* PACKET_FANOUT: further readers of a live interface are in
	 * engine.xsrc, each with its own handle and ring, and point to the
	 * link's first reader (in engine.src), which counts them. */
	struct esource *first;		/* NULL in a link's first reader */
	unsigned nreaders;		/* in the first: readers of the link */
};

/* Telemetry: one reader thread for every listener (flowsrc), one ring. */
struct etelemetry {
	struct flowsrc *fs;
	struct ring ring;
	pthread_t thread;
	int started;
	unsigned link_base;
	_Atomic uint64_t ring_drops;
	pthread_mutex_t lock;		/* guards the copies below */
	struct flowsrc_link links[STATS_MAX_LINKS];
	size_t nlinks;
	struct flowc_stats st;

	/* engine_set_telemetry_report(): set before engine_start() */
	int report;
	long duration_s, idle_s;	/* 0: no such limit */
	_Atomic int end;		/* engine_end_telemetry() */
	/* Written by the telemetry thread, read after it is joined. */
	struct engine_telemetry totals;
	char error[256];
};

struct engine {
	const struct options *o;
	struct etelemetry *tm;		/* NULL without --sflow/--netflow */
	struct esource src[MAX_SOURCES];	/* a link each: its first reader */
	size_t nsrc;
	struct esource xsrc[MAX_EXTRA];		/* further readers of live links */
	size_t nxsrc;
	unsigned readers;		/* per live interface (o->readers, or
					 * as the cores allow) */
	int all_files;
	struct analysis *an;
	struct prefixdb *pdb;		/* NULL when no prefix data was found */
	pthread_t thread;
	int started;
	_Atomic int stop;
	_Atomic int finished;

	/* Replay pacing: capture time base_ts maps to wall time base_wall. */
	double speed;
	int64_t base_ts;
	int64_t base_wall;
	int based;		/* base_ts is set (0 is the epoch, not unset) */

	/* A report (engine_new_report): links only name sources, and with
	 * engine_set_live_report() live readers end by themselves. */
	int report;
	long live_duration_s, live_idle_s;	/* 0: no such limit */
	_Atomic int live_end;		/* engine_end_input() */
	int64_t live_start;		/* mono_us() at engine_start() */
	double live_listened_s;		/* analysis thread; after the wait */

	int publish;			/* build snapshots (the terminal) */
	int64_t last_publish;		/* monotonic, analysis thread only */
	pthread_mutex_t lock;		/* guards latest */
	struct snapshot *latest;
	uint64_t seq;
	int pipefd[2];
	char error[256];

	struct history *hist;		/* NULL without the history setting */
	struct metrics *metrics;	/* NULL without --metrics */
};

static inline int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline void
sleep_us(int64_t us)
{
	struct timespec ts;

	if (us <= 0)
		return;
	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (us % 1000000) * 1000;
	nanosleep(&ts, NULL);
}

/* Whether links not named by -i or -r are opened as live interfaces. */
int engine_links_live(const struct options *o);

/*
 * Readers per live interface: the readers setting, or as the cores allow:
 * one core is the analysis thread's, the rest are shared by the live
 * interfaces, at most 8 readers each and at least one.
 */
unsigned engine_readers_for(const struct options *o, size_t nlive);

/*
 * Open the capture source iface (live, or a file) as e's next link, with
 * its ring and, live with e->readers > 1, its further fanout readers.
 * 0, or -1 with errbuf.
 */
int engine_add_source(struct engine *e, const char *iface, int live,
    char *errbuf);

/* The thread of a capture reader (arg: its struct esource) and of the
 * telemetry listeners (arg: the engine), for pthread_create. */
void *engine_reader_main(void *arg);
void *engine_telemetry_main(void *arg);

/* A live link's counters into c (the sums over its readers); returns
 * whether every reader of the link is done. */
int engine_link_counters(const struct engine *e, const struct esource *s,
    struct engine_capture *c);

#endif
