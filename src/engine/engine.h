/*
 * engine.h -- the capture and analysis pipeline, off the UI thread.
 *
 * Reader threads (one per source: a live interface, a capture file replayed
 * at its own pace, or a telemetry collector) decode frames into struct pkt
 * and push them into a single-producer ring each; one analysis thread drains
 * the rings into statistics and detection, and once per second of capture
 * time publishes a struct snapshot. Nothing here ever waits for the screen.
 */
#ifndef KYOCHO_ENGINE_H
#define KYOCHO_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "settings/config.h"
#include "detect/snapshot.h"
#include "history/history.h"

struct analysis;

struct engine;

/*
 * Open every source named in o (-i, -r, --link). Live handles are opened
 * here, so a caller can drop privileges right after. A --link (or `link`
 * setting) whose interface was not given with -i is opened live only when
 * no -r file or telemetry listener is given either; otherwise it only
 * names a source. Returns NULL with errbuf naming the source that failed.
 */
struct engine *engine_new(const struct options *o, char *errbuf);
/*
 * engine_new() for a report (`kyocho summary`): the same, except that a
 * link (--link or a `link` setting) never opens an interface: a report
 * captures live only on what its own -i names.
 */
struct engine *engine_new_report(const struct options *o, char *errbuf);
/* Start the threads. Returns 0 or -1. */
int engine_start(struct engine *e, char *errbuf);
/* Stop and join the threads (idempotent). */
void engine_stop(struct engine *e);
void engine_free(struct engine *e);

/*
 * Take the newest published snapshot: NULL when none was published since
 * the last call (keep drawing the previous one). The caller owns it
 * (snapshot_free). Never blocks on capture: the mutex is held only for the
 * pointer swap.
 */
struct snapshot *engine_snapshot(struct engine *e);
/* Build and publish snapshots (off by default: `summary` needs none). Call
 * before engine_start(). */
void engine_set_publish(struct engine *e, int on);
/* Wait until every source is finished (files read to the end, telemetry
 * for a report ended) and the analysis with them. */
void engine_wait(struct engine *e);
/* The analysis, for reading results after engine_wait(). */
struct analysis *engine_analysis(struct engine *e);
/* The prefix data in use (NULL when none was found); read-only. */
struct prefixdb;
const struct prefixdb *engine_prefixdb(const struct engine *e);

/* Who is behind an address, for the screens (which see the prefix data
 * only through the engine). */
struct engine_whois {
	uint32_t asn;			/* 0 = unknown */
	char country[3];		/* ISO 3166 alpha-2, "" = unknown */
	char as_org[128];		/* "" = unknown; as the data has it */
};

/* Fill w from db (engine_prefixdb's; NULL gives all unknown). */
void engine_whois(const struct prefixdb *db, const struct addr *a,
    struct engine_whois *w);
/*
 * Giving up root once the capture handles are open (capture/priv.h): hand
 * the state directory dir to user before the drop (priv_give_dir), then
 * become user (priv_drop, verified). Each returns 0 or -1 with errbuf.
 */
int engine_give_dir(const char *user, const char *dir, char *errbuf);
int engine_drop_root(const char *user, char *errbuf);

/* The first source error ("FILE: truncated dump file ...", "telemetry
 * socket: ..."), or NULL. Telemetry's only after engine_wait(). */
const char *engine_error(struct engine *e);
size_t engine_nsources(const struct engine *e);
const char *engine_source_name(const struct engine *e, size_t i);
int engine_source_linktype(const struct engine *e, size_t i);

/*
 * Telemetry (--sflow/--netflow) read for a report (summary) rather than a
 * screen: every record reaches the analysis (the reader waits when the
 * analysis is behind, so bursts wait in the socket buffer, whose overflow
 * counts as socket drops), the analysis clock moves only with the records'
 * own time, and the input ends after duration_s seconds of listening, or
 * idle_s seconds after the last datagram (0: no such limit), or at
 * engine_end_telemetry(); then the analysis finishes and engine_wait()
 * returns. Call before engine_start(); no effect without telemetry.
 */
void engine_set_telemetry_report(struct engine *e, long duration_s,
    long idle_s);
/* End the telemetry input now, as the limits above do. Async-signal-safe
 * (one atomic store): a SIGINT handler may call it. */
void engine_end_telemetry(struct engine *e);

/*
 * Live capture for a report (an engine from engine_new_report()): each
 * live reader ends after duration_s seconds from engine_start(), or idle_s
 * seconds after its last packet (0: no such limit), or at
 * engine_end_input(); then the analysis finishes and engine_wait()
 * returns. Call before engine_start().
 */
void engine_set_live_report(struct engine *e, long duration_s, long idle_s);
/* End a report's live and telemetry input now. Async-signal-safe (atomic
 * stores): a SIGINT handler may call it. */
void engine_end_input(struct engine *e);

/* What a live source's counters say (after engine_wait()). */
#define ENGINE_MAX_READERS	16
struct engine_capture {
	uint64_t received;	/* pcap_stats ps_recv: the kernel queued */
	uint64_t kernel_drops;	/* ps_drop: the socket buffer was full */
	uint64_t if_drops;	/* ps_ifdrop: the interface dropped */
	uint64_t ring_full_drops; /* of kernel_drops, those counted while a
				     reader waited on its full ring: the
				     analysis was behind (kyocho's own) */
	unsigned readers;	/* reader threads on the interface */
	uint64_t reader_received[ENGINE_MAX_READERS];	/* each one's share */
};
/* Fill c for source i; -1 when it is a file. */
int engine_source_capture(const struct engine *e, size_t i,
    struct engine_capture *c);
/* Seconds a report listened live (engine_start() to the end of input). */
double engine_live_listened(const struct engine *e);

/* What a report over telemetry says beside the analysis. */
struct engine_telemetry {
	double listened_s;	/* from engine_start() to the end of input */
	uint64_t sampled;	/* packets the analysed records stand for
				   before scaling by their sampling rate */
	uint32_t max_rate;	/* highest sampling rate seen; 0 for none */
};
/* Fill t after engine_wait(); -1 (t untouched) without telemetry. */
int engine_telemetry_totals(const struct engine *e,
    struct engine_telemetry *t);
/*
 * The telemetry listeners, for their counters, exporters and links
 * (flowsrc.h); NULL without telemetry. Owned by the engine, and by its
 * telemetry thread while that runs: read only before engine_start() or
 * after engine_wait().
 */
struct flowsrc;
const struct flowsrc *engine_flowsrc(const struct engine *e);

/* A file descriptor that becomes readable when a new snapshot is published
 * (for poll() in the main loop); read it empty with engine_ack(). */
int engine_fd(const struct engine *e);
void engine_ack(struct engine *e);

/*
 * The history writer's counters (minutes written, dropped, queued, lag);
 * -1 without history (the history setting, config_history_path()). Any
 * thread. The history is written from the analysis thread at each closed
 * minute of capture time; engine_free() writes what is still queued.
 */
int engine_history_stats(struct engine *e, struct history_stats *st);

#endif
