/*
 * flowsrc.h -- every telemetry listener named in the options (--sflow,
 * --netflow) as one packet source for the pipeline: records come out as
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

#include "settings/config.h"
#include "flow/collector.h"

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
 * Open the listeners of o (which must outlive the source). Returns NULL
 * with errbuf ("--sflow [::]:6343: cannot listen on UDP port 6343: Address
 * already in use") if one fails, or if o names none. max_links >= 2.
 */
struct flowsrc *flowsrc_new(const struct options *o, unsigned link_base,
    unsigned max_links, char *errbuf);
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
