/*
 * alert.h -- what detection reports about one attacked (or attacking)
 * address: the record that the screens, `summary --json`, the --alerts
 * JSON Lines file and incidents all share.
 */
#ifndef KYOCHO_ALERT_H
#define KYOCHO_ALERT_H

#include <stdint.h>

#include "base/addr.h"

#define ALERT_TOP_SOURCES	10
#define ALERT_EVIDENCE		8
#define ALERT_EVIDENCE_LEN	160

enum alert_kind {
	KIND_SYN_FLOOD = 0,
	KIND_UDP_FLOOD,
	KIND_AMPLIFICATION,
	KIND_ICMP_FLOOD,
	KIND_FRAGMENT_FLOOD,
	KIND_MIXED,
	KIND_COUNT
};

enum alert_direction {
	DIR_INBOUND = 0,	/* towards one of our (home) addresses */
	DIR_OUTBOUND,		/* from our addresses towards a foreign target */
	DIR_UNKNOWN,		/* no home prefixes configured, or neither side */
};

enum spoof_level {
	SPOOF_LOW = 0,
	SPOOF_MEDIUM,
	SPOOF_HIGH,
};

#define ALERT_GROUPS		6
#define ALERT_INGRESS		8	/* neighbours kept per alert */
#define ALERT_LINK_LEN		64
#define ALERT_CONTACT_LEN	65	/* a contact id (64) and its NUL */

struct alert_source {
	struct addr addr;
	uint64_t packets;	/* estimated (Space-Saving count) */
	double share;		/* packets / all packets to the target, 0..1 */
	uint32_t asn;		/* 0 = unknown (no prefix data) */
	char country[3];	/* ISO 3166 alpha-2, "" = unknown */
};

/* Share of the attack's packets by source country or AS, estimated from a
 * uniform sample of its packets. */
struct alert_share {
	char country[3];	/* by_country; "" = unknown */
	uint32_t asn;		/* by_asn; 0 = unknown */
	double share;
};

/*
 * A neighbour that hands the attack's packets to us (for an outbound attack:
 * that we hand them to): on a link, known by its router's MAC (captures,
 * sampled frames), by the previous-adjacent AS the exporter reports, or as
 * the link's only neighbour (peer setting). Names come from the neighbour
 * and peer settings; what is not known is empty or 0.
 */
struct alert_ingress {
	char link[ALERT_LINK_LEN];	/* link name, "" = unknown */
	uint8_t mac[6];
	uint8_t has_mac;		/* mac is known */
	uint32_t asn;			/* 0 = unknown */
	char contact[ALERT_CONTACT_LEN];	/* contact id, "" = none */
	uint64_t packets;		/* to the target through it */
	double share;			/* of the packets counted by neighbour */
	int64_t first_us, last_us;	/* its first and last packet */
};

struct alert {
	uint64_t id;			/* unique within a run, from 1 */
	struct addr target;
	enum alert_kind kind;
	enum alert_direction direction;
	int64_t start_us;		/* first second over threshold */
	int64_t last_us;		/* last second over threshold */
	int64_t end_us;			/* 0 while active */
	uint64_t peak_pps, peak_bps;
	uint64_t cur_pps, cur_bps;	/* the last complete second */
	uint64_t packets, bytes;	/* to the target while the alert ran */
	uint64_t syn, udp, icmp, frag;	/* peak per-second of each */
	uint64_t sources_est;		/* distinct sources (HyperLogLog) */
	enum spoof_level spoof;
	double spoof_score;		/* 0..1, the sum of the signs' weights */
	char evidence[ALERT_EVIDENCE][ALERT_EVIDENCE_LEN];	/* spoofing signs */
	unsigned nevidence;
	struct alert_source top[ALERT_TOP_SOURCES];
	unsigned ntop;
	struct alert_share by_country[ALERT_GROUPS];	/* largest first */
	unsigned ncountries;
	struct alert_share by_asn[ALERT_GROUPS];
	unsigned nasns;
	uint32_t target_asn;		/* 0 = unknown */
	char target_country[3];
	char target_org[64];
	uint16_t top_port;		/* the dominant reflector port, if any */
	uint16_t link;			/* capture source that saw most of it */
	/* Who hands it to us, most packets first, kept current while the
	 * alert runs (a route shift shows as a second neighbour growing). */
	struct alert_ingress ingress[ALERT_INGRESS];
	unsigned ningress;
	uint64_t ingress_other;		/* packets from neighbours beyond the
					 * ALERT_INGRESS tracked */
};

const char *alert_kind_name(enum alert_kind k);	/* "syn_flood" */
const char *alert_direction_name(enum alert_direction d);	/* "inbound" */
const char *alert_spoof_name(enum spoof_level l);	/* "low" */

#endif
