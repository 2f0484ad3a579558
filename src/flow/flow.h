/*
 * flow.h -- what the telemetry parsers (sFlow, NetFlow, IPFIX) hand out.
 *
 * A parser turns one datagram into struct pkt records (src/capture/decode.h) plus a
 * struct flow_origin saying where each came from, so the capture pipeline
 * can ingest telemetry unchanged: pkt.weight and pkt.wbytes carry the
 * packets and bytes a record stands for (scaled by the sampling rate), which
 * makes every count derived from them an estimate.
 */
#ifndef KYOCHO_FLOW_H
#define KYOCHO_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "capture/decode.h"

#define FLOW_SFLOW	1
#define FLOW_NETFLOW	2	/* NetFlow v5, v9 and IPFIX on one port */

/* Where a record came from: enough to map exporter + ifIndex to a link. */
struct flow_origin {
	struct addr exporter;	/* sFlow agent address; NetFlow/IPFIX: the
				 * datagram's source address */
	struct addr peer;	/* UDP source address of the datagram */
	uint16_t peer_port;	/* UDP source port */
	uint8_t kind;		/* FLOW_SFLOW or FLOW_NETFLOW */
	uint8_t version;	/* 5 (sFlow v5 or NetFlow v5), 9, 10 (IPFIX) */
	uint32_t domain;	/* sFlow sub-agent id, NetFlow v9 source id,
				 * IPFIX observation domain, v5 engine
				 * type << 8 | engine id */
	uint32_t in_if;		/* input ifIndex (0 = unknown) */
	uint32_t out_if;	/* output ifIndex (0 = unknown or discarded) */
	uint32_t rate;		/* sampling rate 1:N applied (1 = unsampled) */
};

/* sFlow generic interface counters (counter sample format 1), absolute
 * values as the agent sent them; rates come from differences. */
struct flow_ifcounters {
	uint32_t ifindex;
	uint32_t iftype;
	uint64_t speed_bps;	/* ifSpeed */
	uint32_t direction;	/* 0 unknown, 1 full, 2 half, 3 in, 4 out */
	uint32_t status;	/* bit 0 admin up, bit 1 oper up */
	uint64_t in_octets;
	uint64_t in_pkts;	/* unicast + multicast + broadcast */
	uint32_t in_discards;
	uint32_t in_errors;
	uint64_t out_octets;
	uint64_t out_pkts;
	uint32_t out_discards;
	uint32_t out_errors;
};

/* Where a parser delivers what it found. Either function may be NULL. The
 * pointers are valid only during the call. */
struct flow_sink {
	void (*pkt)(void *ctx, const struct flow_origin *o, const struct pkt *p);
	void (*ifc)(void *ctx, const struct flow_origin *o,
	    const struct flow_ifcounters *c);
	void *ctx;
};

/* What parsing one datagram found (all zero first). */
struct flow_result {
	uint32_t records;	/* struct pkt handed to the sink */
	uint32_t counters;	/* interface counter records handed out */
	uint32_t unknown;	/* data records whose template is not known */
	uint32_t skipped;	/* records understood but not usable (no
				 * packets, unknown header protocol, ...) */
	uint32_t templates;	/* templates learnt or refreshed */
	uint32_t withdrawn;	/* templates withdrawn */
	uint32_t rejected;	/* templates refused (too big, cache full) */
	int malformed;		/* 1 if the datagram was cut short or
				 * inconsistent (what came before was kept) */
	uint8_t version;
	uint32_t domain;
	struct addr agent;	/* sFlow agent address (family 0 otherwise) */
	/* The header's sequence number, for loss accounting: this datagram
	 * starts at seq and the next one should start at seq + seq_span,
	 * counted in datagrams (sFlow, v9) or flow records (v5, IPFIX).
	 * seq_unit 0: no usable sequence (malformed, or an IPFIX message
	 * with data of an unknown template, whose records cannot be told). */
	uint32_t seq;
	uint32_t seq_span;
	uint8_t seq_unit;
};

#define FLOW_SEQ_DATAGRAMS	1
#define FLOW_SEQ_RECORDS	2

#endif
