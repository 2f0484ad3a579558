/*
 * flowsrc.h -- every telemetry listener named in the settings (--sflow,
 * --netflow: struct flow_settings, filled by config_flow_settings() in
 * settings/config.h) as one packet source for the pipeline: records come out as
 * struct pkt with pkt.link set to a link index, where a link is one
 * (exporter, ifIndex) pair named by a flowlink setting or, unnamed, as
 * "EXPORTER:IFINDEX" in order of first appearance.
 *
 * Links are numbered from link_base (the capture sources come first) up to
 * link_base + max_links - 1; the last index is "other", where records of
 * links past the bound go, so the pipeline's own link table never
 * overflows. A record counts for the link of its input interface, or of
 * its output interface when the input is unknown (0).
 *
 * Single-threaded, like the collectors it holds.
 */
#ifndef KYOCHO_FLOWSRC_H
#define KYOCHO_FLOWSRC_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "flow/collector.h"

#define MAX_FLOW_LISTEN	8	/* listeners of each kind */

/* A link seen through telemetry: exporter + ifIndex (flowlink setting). */
struct flowlinkdef {
	char name[64];		/* "peering-A" */
	struct addr exporter;	/* sFlow agent or NetFlow exporter address */
	uint32_t ifindex;
	uint64_t capacity_bps;	/* 0 = unknown */
};

/*
 * What the telemetry source is told: the listeners, "[ADDR:]PORT", and the
 * flowlinks that name (exporter, ifIndex) pairs. Borrowed: the strings and
 * the links must outlive the source (the configuration's struct options).
 */
struct flow_settings {
	const char *sflow_listen[MAX_FLOW_LISTEN];
	size_t nsflow;
	const char *netflow_listen[MAX_FLOW_LISTEN];
	size_t nnetflow;
	const struct flowlinkdef *links;
	size_t nlinks;
};

/* The flowlink naming exporter + ifIndex, or NULL. */
const struct flowlinkdef *flowsrc_link_for(const struct flow_settings *s,
    const struct addr *exporter, uint32_t ifindex);

struct flowsrc;

/* One link as the pipeline sees it. */
struct flowsrc_link {
	char name[80];		/* flowlink name, "192.0.2.1:17" or "other" */
	struct addr exporter;	/* family 0 for "other" */
	uint32_t ifindex;
	uint64_t capacity_bps;	/* from flowlink, else sFlow ifSpeed, else 0 */
	uint32_t rate;		/* last sampling rate seen on it */
};

/*
 * Open the listeners of s (copied; what it points to must outlive the
 * source). Returns NULL with errbuf ("--sflow [::]:6343: cannot listen on
 * UDP port 6343: Address already in use") if one fails, or if s names
 * none. max_links >= 2.
 */
struct flowsrc *flowsrc_new(const struct flow_settings *s,
    unsigned link_base, unsigned max_links, char *errbuf);
void flowsrc_free(struct flowsrc *fs);

/* Listener sockets, for poll(): fds[0..n). Returns n. */
size_t flowsrc_fds(const struct flowsrc *fs, int *fds, size_t max);

/*
 * Read what waits on every listener (one bounded round each, so a busy
 * port does not starve another) and hand each record to fn with pkt.link
 * set. Returns the datagrams read, or -1 on a socket error (errno).
 */
int flowsrc_poll(struct flowsrc *fs, void (*fn)(void *ctx,
    const struct flow_origin *o, const struct pkt *p), void *ctx);

/* max_links as given: link indexes run from 0 to this - 1. */
size_t flowsrc_maxlinks(const struct flowsrc *fs);
/* Link i (0-based; its pkt.link is link_base + i), or NULL while no record
 * has gone there. */
const struct flowsrc_link *flowsrc_link(const struct flowsrc *fs, size_t i);

/* The collectors, for their counters (flowc_stats, flowc_exporters). */
size_t flowsrc_ncollectors(const struct flowsrc *fs);
struct flow_collector *flowsrc_collector(const struct flowsrc *fs, size_t i,
    int *kind, const char **listen);

/* Sum of every collector's counters. */
void flowsrc_stats(const struct flowsrc *fs, struct flowc_stats *st);

#endif
