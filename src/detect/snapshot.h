/*
 * snapshot.h -- what the analysis thread publishes once per second for the
 * screens: a self-contained copy (no pointers into live tables), so the
 * terminal can draw it at leisure while capture goes on. See engine.h.
 */
#ifndef KYOCHO_SNAPSHOT_H
#define KYOCHO_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "detect/alert.h"

#define SERIES_LEN	60	/* seconds of history in each series */

/* Counters of one second, or of a whole run. */
struct counts {
	uint64_t packets, bytes;
	uint64_t ipv4, ipv6;
	uint64_t tcp, udp, icmp, other;
	uint64_t tcp_syn, tcp_synack, tcp_rst;
	uint64_t fragments, malformed, notip;
};

struct snap_link {
	char name[64];
	char iface[64];			/* interface or file name */
	uint64_t capacity_bps;		/* 0 = unknown */
	int live;			/* 1 live capture, 0 replay */
	int telemetry;			/* an exporter's interface (sampled) */
	int done;			/* replay finished or capture closed */
	uint64_t bps, pps;		/* last complete second */
	uint64_t bps_series[SERIES_LEN];	/* oldest first */
	uint64_t pps_series[SERIES_LEN];
	uint64_t received, kernel_drops, if_drops;	/* pcap_stats() */
	struct counts total;
	char error[256];		/* why the source stopped, or "" */
};

/* Telemetry collectors (--sflow/--netflow), summed over listeners. */
struct snap_telemetry {
	int on;				/* listeners are open */
	uint64_t datagrams, records;
	uint64_t malformed;		/* datagrams not (fully) understood */
	uint64_t unknown_templates;	/* data sets with an unknown template */
	uint64_t shed;			/* datagrams shed for fairness */
	uint64_t socket_drops;		/* dropped by the kernel */
	uint64_t lost_datagrams;	/* sequence gaps at the exporters */
	uint64_t ring_drops;		/* records the analysis could not take */
	uint64_t exporters;
};

struct snap_target {
	struct addr addr;
	int home;
	uint64_t packets, bytes;	/* since start (or eviction) */
	uint64_t pps, bps;		/* last complete second */
	uint64_t peak_pps;
	uint64_t syn, udp, icmp;	/* packets since start */
	uint64_t alert_id;		/* active alert on it, or 0 */
	uint32_t asn;			/* 0 = unknown (no prefix data) */
	char country[3];		/* "" = unknown */
	char as_org[64];
};

/* Sources grouped (by /16 or /48 until enrichment, then by ASN/country). */
struct snap_group {
	char label[64];
	uint64_t syn_rate;		/* SYN/s in the last complete second */
	uint64_t pps;
	uint64_t packets;
	uint32_t asn;			/* of the group's first address; 0 = unknown */
	char country[3];		/* "" = unknown */
};

struct snapshot {
	int64_t capture_us;		/* capture clock: last packet's second */
	int64_t wall_us;		/* when the snapshot was taken */
	uint64_t seq;			/* increases by one per snapshot */
	int replay;			/* reading files */
	int finished;			/* every source is done */

	struct counts total;		/* since start */
	struct counts second;		/* last complete second */
	uint64_t pps_series[SERIES_LEN];
	uint64_t bps_series[SERIES_LEN];
	uint64_t syn_series[SERIES_LEN];

	struct snap_link *links;
	size_t nlinks;
	struct snap_target *targets;	/* busiest first */
	size_t ntargets;
	struct alert *alerts;		/* active first, then recent; newest first */
	size_t nalerts;
	struct snap_group *groups;	/* by SYN rate, highest first */
	size_t ngroups;
	uint64_t table_evictions;	/* destinations evicted from the table */
	struct snap_telemetry telemetry;
};

/* Free a snapshot and everything it holds. NULL is fine. */
void snapshot_free(struct snapshot *s);

#endif
