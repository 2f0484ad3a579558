/*
 * decode.h -- turn one captured frame into a struct pkt.
 *
 * Pure functions over (bytes, caplen, wirelen): nothing is read past caplen,
 * nothing is allocated, and the same bytes always give the same result.
 */
#ifndef KYOCHO_DECODE_H
#define KYOCHO_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"

/* Link types we decode (the DLT_/LINKTYPE_ values of the pcap format). */
#define LINK_NULL	0	/* BSD loopback, host-order AF_ word */
#define LINK_ETHERNET	1
#define LINK_RAW	101	/* raw IPv4/IPv6 (LINKTYPE_RAW) */
#define LINK_LOOP	108	/* OpenBSD loopback, network-order AF_ word */
#define LINK_SLL	113	/* Linux cooked v1 */
#define LINK_SLL2	276	/* Linux cooked v2 */
#define LINK_IPV4	228
#define LINK_IPV6	229
#define LINK_DLT_RAW12	12	/* DLT_RAW on some BSDs */
#define LINK_DLT_RAW14	14	/* DLT_RAW on OpenBSD */
#define LINK_PPP	9	/* PPP, with or without HDLC-like framing */
#define LINK_C_HDLC	104	/* Cisco HDLC */
#define LINK_JUNIPER_ETHER 178	/* Juniper Ethernet, "MGC" header */
#define LINK_NFLOG	239	/* Linux netfilter log (NFLOG) */

/* Transport classes, as counted by statistics. */
enum pkt_l4 {
	L4_NONE = 0,		/* no IP, or a non-first fragment */
	L4_TCP,
	L4_UDP,
	L4_ICMP,		/* ICMP or ICMPv6 */
	L4_OTHER,		/* any other IP protocol */
};

/* pkt.flags */
#define PKT_MALFORMED	0x0001	/* truncated or inconsistent header */
#define PKT_FRAGMENT	0x0002	/* an IP fragment (first or not) */
#define PKT_FIRSTFRAG	0x0004	/* ... and the first one (offset 0) */
#define PKT_VLAN	0x0008	/* carried at least one 802.1Q/802.1ad tag */
#define PKT_IPOPTS	0x0010	/* IPv4 options or IPv6 extension headers */
#define PKT_NOTTL	0x0020	/* ttl unknown (a flow record without one) */

/* TCP flag bits in pkt.tcp_flags */
#define TCP_FIN	0x01
#define TCP_SYN	0x02
#define TCP_RST	0x04
#define TCP_PSH	0x08
#define TCP_ACK	0x10
#define TCP_URG	0x20
#define TCP_ECE	0x40
#define TCP_CWR	0x80

/*
 * What one frame carried. Fields past what decoding reached stay zero.
 * Laid out so that it fits in 96 bytes (it is copied through the rings for
 * every packet): wider fields first, the addresses and MACs last.
 */
struct pkt {
	int64_t ts_us;		/* capture time, microseconds since the epoch */
	uint32_t wirelen;	/* length on the wire (pcap orig_len) */
	uint32_t weight;	/* packets this record stands for: 1 for a
				 * captured frame, the sampling rate (or a
				 * flow's packet count) for telemetry */
	uint64_t wbytes;	/* bytes it stands for (wirelen * weight for
				 * samples, a flow's octets for flows) */
	uint32_t iplen;		/* IP datagram length from the header */
	uint32_t peer_as;	/* telemetry: the AS of the neighbour that
				 * handed the packet to the exporter (IPFIX
				 * bgpPrevAdjacentAsNumber, sFlow gateway
				 * src_peer_as); 0 = not given */
	uint16_t link;		/* capture source index (set by the caller) */
	uint16_t flags;		/* PKT_* */
	uint16_t vlan;		/* innermost VLAN id, when PKT_VLAN */
	uint8_t family;		/* 4, 6, or 0 when the frame carries no IP */
	uint8_t l4;		/* enum pkt_l4 */
	uint8_t proto;		/* IP protocol of the transport header */
	uint8_t ttl;		/* IPv4 TTL or IPv6 hop limit */
	uint8_t tcp_flags;	/* TCP_* when l4 == L4_TCP */
	uint8_t icmp_type;	/* when l4 == L4_ICMP */
	uint8_t icmp_code;
	uint16_t sport;		/* TCP/UDP ports, host order */
	uint16_t dport;
	struct addr src;
	struct addr dst;
	/* The outermost Ethernet header's addresses (EN10MB and Juniper
	 * Ethernet frames, frames sampled by telemetry); all zero when the
	 * link type has none. Inbound, mac_src is the neighbour's router
	 * that handed the frame to us; outbound, mac_dst is. */
	uint8_t mac_src[6];
	uint8_t mac_dst[6];
};

/* Result of decode_frame(). */
enum decode_result {
	DECODE_OK = 0,		/* an IP packet, decoded as far as it goes */
	DECODE_NOTIP,		/* a well-formed frame that carries no IP (ARP, ...) */
	DECODE_MALFORMED,	/* truncated or inconsistent; PKT_MALFORMED set */
	DECODE_UNSUPPORTED,	/* a link type we do not decode */
};

/*
 * Decode one frame of link type `linktype` (LINK_*). caplen bytes at p are
 * readable; wirelen is the frame's length on the wire. Fills *out (zeroed
 * first, then weight = 1 and wbytes = wirelen; ts_us and link are left for
 * the caller to set afterwards).
 * An IP header that is present but cut short or inconsistent makes the frame
 * malformed; fields decoded before the fault are kept (the addresses of a
 * packet whose TCP header is truncated are still known).
 */
enum decode_result decode_frame(int linktype, const uint8_t *p, size_t caplen,
    size_t wirelen, struct pkt *out);

/* The pkt_l4 class of IP protocol number proto (ICMP and ICMPv6 are both
 * L4_ICMP), for records that carry the number but no header (flows). */
uint8_t decode_l4_of(uint8_t proto);
/* 1 if decode_frame() knows the link type. */
int decode_link_supported(int linktype);
/* Short name of a link type ("EN10MB", "LINUX_SLL2", ...). */
const char *decode_link_name(int linktype);

#endif
