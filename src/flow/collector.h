/*
 * collector.h -- UDP listeners for sFlow, NetFlow and IPFIX exporters.
 *
 * One collector is one non-blocking UDP socket (IPv4, IPv6, or both for a
 * bare port) read in recvmmsg() batches. It keeps per-exporter counters
 * (exporter = UDP source address and port), a template cache (NetFlow),
 * interface rates from sFlow counter samples, and hands every record to the
 * caller as a struct pkt plus a struct flow_origin.
 *
 * Fairness: a poll round reads at most FLOWC_ROUND datagrams. When the
 * previous round found more waiting than it could take (or the kernel
 * reported socket drops), the collector is "congested" and each exporter
 * may have at most max(FLOWC_MIN_SHARE, FLOWC_ROUND / exporters active in
 * the previous round) datagrams parsed in a round; the rest of a flooding
 * exporter's datagrams are read (so the socket drains) but shed unparsed
 * and counted against that exporter, so the parse budget, the expensive
 * part, is shared max-min fairly and a flood or a stream of junk from one
 * exporter does not make the kernel drop everyone else's datagrams.
 *
 * Single-threaded: all calls on one collector from one thread.
 */
#ifndef KYOCHO_COLLECTOR_H
#define KYOCHO_COLLECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"

#define FLOWC_BATCH		64	/* datagrams per recvmmsg() */
#define FLOWC_ROUND		1024	/* datagrams per flowc_poll() */
#define FLOWC_MIN_SHARE		32	/* per exporter per congested round */
#define FLOWC_MAX_EXPORTERS	1024	/* more share one "other" row */
#define FLOWC_MAX_IFS		1024	/* sFlow interfaces tracked */
#define FLOWC_RCVBUF		(64 << 20)

struct flow_collector;

/* Counters for the Overview screen (totals since flowc_new). */
struct flowc_stats {
	uint64_t datagrams;	/* read from the socket */
	uint64_t bytes;
	uint64_t records;	/* struct pkt handed out */
	uint64_t counters;	/* interface counter records */
	uint64_t malformed;	/* datagrams not (fully) understood */
	uint64_t unknown;	/* data sets whose template is unknown */
	uint64_t skipped;	/* records understood but not usable: no
				 * packets, no address, a sampled frame or
				 * header that carries no IP */
	uint64_t rejected;	/* templates refused (size, cache bounds) */
	uint64_t shed;		/* datagrams shed by fairness */
	uint64_t sock_drops;	/* dropped by the kernel (SO_RXQ_OVFL) */
	uint64_t lost_datagrams;	/* sequence gaps, all exporters */
	uint64_t lost_records;
	uint64_t templates;	/* templates now cached */
	size_t exporters;	/* exporters seen */
	int rcvbuf;		/* socket receive buffer granted, bytes */
	int congested;		/* the last round found a backlog */
};

/* One exporter's counters. */
struct flowc_exporter {
	struct addr peer;	/* UDP source; family 0 = the "other" row */
	uint16_t port;
	struct addr agent;	/* sFlow agent address, if any */
	uint8_t version;	/* last datagram's version */
	uint32_t domain;	/* last datagram's domain / sub-agent */
	uint64_t datagrams;
	uint64_t records;
	uint64_t malformed;
	uint64_t unknown;
	uint64_t skipped;
	uint64_t shed;
	/* Lost on the way (anywhere between exporter and socket), from gaps
	 * in the header sequence numbers: datagrams for sFlow and v9,
	 * flow records for v5 and IPFIX. An exporter sending several
	 * domains to one port resynchronises at each change of domain. */
	uint64_t lost_datagrams;
	uint64_t lost_records;
	int64_t last_us;	/* last datagram, microseconds since epoch */
};

/* One sFlow interface's rates, from consecutive counter samples. */
struct flowc_if {
	struct addr agent;
	uint32_t ifindex;
	uint64_t speed_bps;
	double in_bps, out_bps;		/* 0 until two samples arrived */
	double in_pps, out_pps;
	struct flow_ifcounters last;
	int64_t last_us;
};

/*
 * Listen for kind (FLOW_SFLOW or FLOW_NETFLOW) on listen: "PORT" (every
 * address, IPv6 and IPv4), "ADDR:PORT" (IPv4), "[ADDR]:PORT" (IPv6; "[::]"
 * for every address). Port 0 picks a free one (flowc_port()). Returns the
 * caller's collector (flowc_free), or NULL with errbuf filled.
 */
struct flow_collector *flowc_new(int kind, const char *listen, char *errbuf);
void flowc_free(struct flow_collector *c);

/* The socket, for poll(); readable when datagrams wait. */
int flowc_fd(const struct flow_collector *c);
/* The UDP port bound. */
uint16_t flowc_port(const struct flow_collector *c);

/* Also hand sFlow interface counters to fn (NULL to stop). */
void flowc_set_ifc(struct flow_collector *c, void (*fn)(void *ctx,
    const struct flow_origin *o, const struct flow_ifcounters *ic), void *ctx);

/*
 * Read what waits (at most FLOWC_ROUND datagrams, never blocking), parse
 * it and call fn for each record; the pointers are valid during the call
 * only. Returns the number of datagrams read (0 when none waited), or -1
 * on a socket error (errno set).
 */
int flowc_poll(struct flow_collector *c, void (*fn)(void *ctx,
    const struct flow_origin *o, const struct pkt *p), void *ctx);

void flowc_stats(const struct flow_collector *c, struct flowc_stats *st);
/* Copy up to max exporters' counters into out; returns how many. */
size_t flowc_exporters(const struct flow_collector *c,
    struct flowc_exporter *out, size_t max);
/* Copy up to max sFlow interfaces into out; returns how many. */
size_t flowc_interfaces(const struct flow_collector *c, struct flowc_if *out,
    size_t max);

/* Parse "[ADDR:]PORT" as flowc_new() does; for option checking. Returns 0
 * or -1 with errbuf filled. */
int flowc_parse_listen(const char *listen, struct addr *a, uint16_t *port,
    char *errbuf);

#endif
