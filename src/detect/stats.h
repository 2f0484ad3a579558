/*
 * stats.h -- counters over decoded packets: totals, per-second buckets, per
 * capture source ("link") and per destination address.
 *
 * Single-threaded: the analysis thread owns a struct stats. Time is capture
 * time (pkt.ts_us), cut into whole seconds since the epoch; when a packet
 * from a later second arrives, the finished second is closed, handed to the
 * on_second callback (detection), and added to the 60-second series.
 *
 * The destination table has a fixed capacity (STATS_DST_SETS x
 * STATS_DST_WAYS entries, 8-way set associative). A new destination whose
 * set is full evicts the entry with the lowest aged packet count that is not
 * pinned (pinned = detection is tracking it). Aged counts halve every 60
 * seconds of capture time, so yesterday's busy host does not hold a slot
 * forever. Memory is therefore fixed, whatever the input: see stats_memory().
 */
#ifndef KYOCHO_STATS_H
#define KYOCHO_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "capture/decode.h"
#include "detect/snapshot.h"

#define STATS_DST_SETS	4096
#define STATS_DST_WAYS	8
#define STATS_MAX_LINKS	64

/* Counters of one destination in the second being filled. */
struct dst_second {
	uint64_t packets, bytes;
	uint64_t syn, synack, rst, ack;
	uint64_t tcp, udp, icmp, frag;
	uint64_t icmp_reply;		/* ICMP/ICMPv6 echo replies among icmp */
	uint64_t icmp_reply_home;	/* ... of them from a home address */
	uint64_t udp_reflect;		/* UDP from a reflector source port */
	uint16_t reflect_port;		/* the last reflector port seen */
	int64_t first_us, last_us;	/* first and last packet's time */
};

struct dst_entry {
	struct addr addr;
	uint32_t tag;			/* hash bits for a quick compare */
	uint8_t used;
	uint8_t home;			/* inside a home prefix */
	uint16_t pinned;		/* >0: not evictable (detection) */
	uint8_t busy;			/* touched in the second being filled
					 * (on the dirty list) */
	uint64_t aged;			/* eviction score (halves each minute) */
	uint64_t packets, bytes;	/* since the entry was created */
	uint64_t tcp_syn, udp, icmp;
	uint64_t peak_pps, peak_bps;
	uint64_t last_pps, last_bps;	/* last closed second */
	struct dst_second sec;
	void *track;			/* detection's per-target state */
	struct dst_entry *next_dirty;	/* touched in the current second */
	uint16_t link;			/* last link it was seen on */
};

struct link_stats {
	struct counts total;		/* up to the last closed second */
	struct counts second;		/* being filled */
	uint64_t last_pps, last_bps;	/* last closed second */
	uint64_t pps_series[SERIES_LEN];
	uint64_t bps_series[SERIES_LEN];
};

struct stats;

/* Called for each destination that saw traffic in a second that just
 * closed (sec = that second, in seconds since the epoch). */
typedef void (*stats_second_fn)(void *ctx, int64_t sec, struct dst_entry *d);
/* Called once after each closed second (after the per-destination calls). */
typedef void (*stats_tick_fn)(void *ctx, int64_t sec);

/*
 * A new statistics table; home prefixes are copied. The caller frees it
 * with stats_free().
 */
struct stats *stats_new(const struct prefix *home, size_t nhome);
void stats_free(struct stats *s);
void stats_set_callbacks(struct stats *s, stats_second_fn on_dst,
    stats_tick_fn on_tick, void *ctx);

/*
 * Count one packet (any frame, IP or not, malformed or not). Returns the
 * destination entry when the packet had an IP destination (valid until the
 * next stats_add()), else NULL.
 */
struct dst_entry *stats_add(struct stats *s, const struct pkt *p);
/* Hint: packet p will be counted soon; start loading the memory its
 * source group will need (a cache miss otherwise). */
void stats_prefetch(const struct stats *s, const struct pkt *p);
/* Advance the clock to second `sec` with no packet (closing seconds that
 * ended), for live capture when nothing arrives. */
void stats_advance(struct stats *s, int64_t sec);
/* Close the current second (at the end of input). */
void stats_flush(struct stats *s);

/* Count a frame for the totals (used by stats_add; exposed for tests). */
void counts_add(struct counts *c, const struct pkt *p);

/* Every packet so far, the open second's included. The pointer is to a
 * copy inside s, good until the next call. */
const struct counts *stats_total(struct stats *s);
const struct link_stats *stats_link(const struct stats *s, unsigned link);
unsigned stats_nlinks(const struct stats *s);
/* Capture time of the first and last packet, microseconds (0 if none). */
int64_t stats_first_us(const struct stats *s);
int64_t stats_last_us(const struct stats *s);
uint64_t stats_evictions(const struct stats *s);
/* The last closed second's totals and the series (oldest first). */
const struct counts *stats_last_second(const struct stats *s);
void stats_series(const struct stats *s, uint64_t *pps, uint64_t *bps,
    uint64_t *syn);

/*
 * Fill out[] with up to max busiest destinations (by packets, then bytes,
 * then address), pointers into the table valid until the next stats_add().
 * Returns how many.
 */
size_t stats_top_dst(const struct stats *s, const struct dst_entry **out,
    size_t max);
/* The entry for a, or NULL. */
struct dst_entry *stats_find_dst(struct stats *s, const struct addr *a);

/*
 * Sources grouped by network (IPv4 /16, IPv6 /32) with their SYN and packet
 * rates in the last closed second, highest SYN rate first (the seed's SYN
 * distribution). Returns how many were written.
 */
size_t stats_groups(const struct stats *s, struct snap_group *out, size_t max);

/* Bytes this structure takes (fixed at creation). */
size_t stats_memory(const struct stats *s);

/* 1 if UDP source port `port` is a known amplification reflector port. */
int stats_reflector_port(uint16_t port);

#endif
