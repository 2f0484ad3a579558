/*
 * decode.c -- link, network and transport headers of one captured frame.
 *
 * References: IEEE 802.3 and 802.1Q (VLAN, QinQ), RFC 2516 (PPPoE),
 * RFC 3032 (MPLS label stack), the pcap LINKTYPE registry (NULL, LOOP,
 * LINUX_SLL, LINUX_SLL2, RAW), RFC 791 (IPv4), RFC 8200 (IPv6 and its
 * extension headers), RFC 4302 (AH), RFC 9293 (TCP), RFC 768 (UDP),
 * RFC 792 (ICMP), RFC 4443 (ICMPv6).
 *
 * Every read goes through struct rd (rd.h) and is bounded by caplen; a header
 * that is cut short, or whose length fields disagree with each other, marks
 * the frame PKT_MALFORMED. Snap-length truncation of a payload is not
 * malformation: only the headers we need are checked.
 */
#include "decode.h"

#include <string.h>

#include "rd.h"

#define ETH_IPV4	0x0800
#define ETH_IPV6	0x86dd
#define ETH_VLAN	0x8100
#define ETH_QINQ	0x88a8
#define ETH_QINQ_OLD	0x9100
#define ETH_PPPOE_SESS	0x8864
#define ETH_MPLS	0x8847
#define ETH_MPLS_MC	0x8848

#define MAX_VLAN_TAGS	8	/* more stacked tags than this is malformed */
#define MAX_MPLS_LABELS	16
#define MAX_IPV6_EXT	16	/* extension headers followed before giving up */

static enum decode_result
malformed(struct pkt *out)
{
	out->flags |= PKT_MALFORMED;
	return DECODE_MALFORMED;
}

/*
 * The transport header at r, of IP protocol proto. ip_end is the offset in r
 * where the IP datagram ends by its length fields (0 when unknown), so
 * transport lengths can be checked against what IP says it carries.
 */
static enum decode_result
decode_l4(struct rd *r, uint8_t proto, size_t ip_end, struct pkt *out)
{
	size_t avail = ip_end > r->off ? ip_end - r->off : 0;

	out->proto = proto;
	switch (proto) {
	case 6: {		/* TCP */
		uint8_t off;

		out->l4 = L4_TCP;
		if (!rd_has(r, 20))
			return malformed(out);
		out->sport = rd_be16(r);
		out->dport = rd_be16(r);
		rd_skip(r, 8);		/* sequence, acknowledgement */
		off = rd_u8(r) >> 4;
		out->tcp_flags = rd_u8(r);
		if (off < 5 || (ip_end != 0 && (size_t)off * 4 > avail))
			return malformed(out);
		return DECODE_OK;
	}
	case 17:		/* UDP */
	case 136: {		/* UDP-Lite has the same ports */
		uint16_t ulen, sum;

		out->l4 = proto == 17 ? L4_UDP : L4_OTHER;
		if (!rd_has(r, 8))
			return malformed(out);
		out->sport = rd_be16(r);
		out->dport = rd_be16(r);
		ulen = rd_be16(r);
		sum = rd_be16(r);
		if (proto != 17)
			return DECODE_OK;
		/* A length of 0 is a jumbogram's (RFC 2675); otherwise it must
		 * cover the header and fit in what IP carries. */
		if (ulen != 0 && (ulen < 8 || (ip_end != 0 && ulen > avail)))
			return malformed(out);
		/* RFC 8200 8.1: a zero UDP checksum is invalid over IPv6. */
		if (out->family == 6 && sum == 0)
			return malformed(out);
		return DECODE_OK;
	}
	case 1:			/* ICMP */
	case 58:		/* ICMPv6 */
		out->l4 = L4_ICMP;
		if (!rd_has(r, 4))
			return malformed(out);
		out->icmp_type = rd_u8(r);
		out->icmp_code = rd_u8(r);
		return DECODE_OK;
	default:
		out->l4 = L4_OTHER;
		return DECODE_OK;
	}
}

/*
 * Limit r to the IP datagram: bytes past the stated length (Ethernet padding)
 * are not ours. A stated length of 0 (TSO/GSO captures) keeps what was
 * captured.
 */
static int
clip_to(struct rd *r, size_t hdr_start, size_t total, size_t wire_left)
{
	if (total == 0)
		return 0;
	if (total > wire_left)
		return -1;		/* claims more than the frame held */
	if (hdr_start + total < r->len)
		r->len = hdr_start + total;
	return 0;
}

static enum decode_result
decode_ipv4(struct rd *r, size_t wire_left, struct pkt *out)
{
	size_t start = r->off;
	uint8_t vihl, proto;
	uint16_t total, frag;
	unsigned hlen;

	out->family = 4;
	if (!rd_has(r, 20))
		return malformed(out);
	vihl = rd_u8(r);
	rd_skip(r, 1);			/* DSCP/ECN */
	total = rd_be16(r);
	rd_skip(r, 2);			/* identification */
	frag = rd_be16(r);
	out->ttl = rd_u8(r);
	proto = rd_u8(r);
	rd_skip(r, 2);			/* checksum */
	out->src.family = out->dst.family = 4;
	rd_copy(r, out->src.b, 4);
	rd_copy(r, out->dst.b, 4);
	out->proto = proto;
	out->iplen = total;
	hlen = (unsigned)(vihl & 0x0f) * 4;
	if ((vihl >> 4) != 4 || hlen < 20)
		return malformed(out);
	if (frag & 0x3fff) {
		out->flags |= PKT_FRAGMENT;
		if ((frag & 0x1fff) == 0)
			out->flags |= PKT_FIRSTFRAG;
	}
	if (total != 0 && total < hlen)
		return malformed(out);
	if (clip_to(r, start, total, wire_left) != 0)
		return malformed(out);
	if (hlen > 20) {
		out->flags |= PKT_IPOPTS;
		if (rd_skip(r, hlen - 20) != 0)
			return malformed(out);
	}
	if ((out->flags & PKT_FRAGMENT) && !(out->flags & PKT_FIRSTFRAG)) {
		out->l4 = L4_NONE;	/* no transport header in this one */
		return DECODE_OK;
	}
	/* A first fragment carries only part of the datagram: its transport
	 * lengths describe the whole, so they are not checked against it. */
	return decode_l4(r, proto, total != 0 && !(out->flags & PKT_FRAGMENT) ?
	    start + total : 0, out);
}

static enum decode_result
decode_ipv6(struct rd *r, size_t wire_left, struct pkt *out)
{
	size_t start = r->off;
	uint8_t nh, v;
	uint16_t plen;
	int n;

	out->family = 6;
	if (!rd_has(r, 40))
		return malformed(out);
	v = rd_u8(r);
	rd_skip(r, 3);			/* traffic class, flow label */
	plen = rd_be16(r);
	nh = rd_u8(r);
	out->ttl = rd_u8(r);
	out->src.family = out->dst.family = 6;
	rd_copy(r, out->src.b, 16);
	rd_copy(r, out->dst.b, 16);
	out->proto = nh;
	out->iplen = plen != 0 ? (uint32_t)plen + 40 : 0;
	if ((v >> 4) != 6)
		return malformed(out);
	if (plen != 0 && clip_to(r, start, (size_t)plen + 40, wire_left) != 0)
		return malformed(out);
	for (n = 0; n < MAX_IPV6_EXT; n++) {
		uint8_t next, hl;
		uint16_t off;

		switch (nh) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 60:	/* destination options */
			out->flags |= PKT_IPOPTS;
			if (!rd_has(r, 2))
				return malformed(out);
			next = rd_u8(r);
			hl = rd_u8(r);
			if (rd_skip(r, (size_t)hl * 8 + 6) != 0)
				return malformed(out);
			nh = next;
			continue;
		case 51:	/* AH: length in 4-octet units, minus 2 */
			out->flags |= PKT_IPOPTS;
			if (!rd_has(r, 2))
				return malformed(out);
			next = rd_u8(r);
			hl = rd_u8(r);
			if (rd_skip(r, ((size_t)hl + 2) * 4 - 2) != 0)
				return malformed(out);
			nh = next;
			continue;
		case 44:	/* fragment */
			out->flags |= PKT_IPOPTS | PKT_FRAGMENT;
			if (!rd_has(r, 8))
				return malformed(out);
			next = rd_u8(r);
			rd_skip(r, 1);
			off = rd_be16(r);
			rd_skip(r, 4);	/* identification */
			out->proto = next;
			if ((off & 0xfff8) != 0) {
				out->l4 = L4_NONE;
				return DECODE_OK;
			}
			out->flags |= PKT_FIRSTFRAG;
			nh = next;
			continue;
		default:
			return decode_l4(r, nh, plen != 0 &&
			    !(out->flags & PKT_FRAGMENT) ? start + 40 + plen : 0,
			    out);
		}
	}
	return malformed(out);		/* an endless extension chain */
}

/* The network layer, given an EtherType. */
static enum decode_result
decode_ethertype(struct rd *r, uint16_t type, size_t wirelen,
    struct pkt *out)
{
	int tags = 0, labels = 0;

	for (;;) {
		size_t wire_left = wirelen > r->off ? wirelen - r->off : 0;

		switch (type) {
		case ETH_IPV4:
			return decode_ipv4(r, wire_left, out);
		case ETH_IPV6:
			return decode_ipv6(r, wire_left, out);
		case ETH_VLAN:
		case ETH_QINQ:
		case ETH_QINQ_OLD:
			out->flags |= PKT_VLAN;
			if (++tags > MAX_VLAN_TAGS || !rd_has(r, 4))
				return malformed(out);
			out->vlan = rd_be16(r) & 0x0fff;
			type = rd_be16(r);
			continue;
		case ETH_PPPOE_SESS: {
			uint16_t ppp;

			if (!rd_has(r, 8))
				return malformed(out);
			rd_skip(r, 6);		/* ver/type, code, session, length */
			ppp = rd_be16(r);
			if (ppp == 0x0021)
				type = ETH_IPV4;
			else if (ppp == 0x0057)
				type = ETH_IPV6;
			else
				return DECODE_NOTIP;
			continue;
		}
		case ETH_MPLS:
		case ETH_MPLS_MC: {
			uint32_t lse;
			uint8_t v;

			do {
				if (++labels > MAX_MPLS_LABELS || !rd_has(r, 4))
					return malformed(out);
				lse = rd_be32(r);
			} while (!(lse & 0x100));	/* bottom of stack */
			if (!rd_has(r, 1))
				return malformed(out);
			v = r->p[r->off] >> 4;
			if (v == 4)
				type = ETH_IPV4;
			else if (v == 6)
				type = ETH_IPV6;
			else
				return DECODE_NOTIP;	/* pseudowire, ... */
			continue;
		}
		default:
			return DECODE_NOTIP;
		}
	}
}

/* Raw IP: the version nibble says which. */
static enum decode_result
decode_raw(struct rd *r, size_t wirelen, struct pkt *out)
{
	uint8_t v;

	if (!rd_has(r, 1))
		return malformed(out);
	v = r->p[r->off] >> 4;
	if (v == 4)
		return decode_ethertype(r, ETH_IPV4, wirelen, out);
	if (v == 6)
		return decode_ethertype(r, ETH_IPV6, wirelen, out);
	return malformed(out);
}

/* BSD AF_ values for IPv4 and the several for IPv6. */
static enum decode_result
decode_af(struct rd *r, uint32_t af, size_t wirelen, struct pkt *out)
{
	switch (af) {
	case 2:
		return decode_ethertype(r, ETH_IPV4, wirelen, out);
	case 10: case 24: case 28: case 30:
		return decode_ethertype(r, ETH_IPV6, wirelen, out);
	default:
		return DECODE_NOTIP;
	}
}

uint8_t
decode_l4_of(uint8_t proto)
{
	switch (proto) {
	case 6:
		return L4_TCP;
	case 17:
		return L4_UDP;
	case 1:
	case 58:
		return L4_ICMP;
	default:
		return L4_OTHER;
	}
}

enum decode_result
decode_frame(int linktype, const uint8_t *p, size_t caplen, size_t wirelen,
    struct pkt *out)
{
	struct rd r;
	uint16_t type;
	uint32_t af;

	memset(out, 0, sizeof(*out));
	out->wirelen = (uint32_t)(wirelen > UINT32_MAX ? UINT32_MAX : wirelen);
	out->weight = 1;
	out->wbytes = wirelen;
	if (wirelen < caplen)
		wirelen = caplen;	/* never trust a smaller wire length */
	rd_init(&r, p, caplen);

	switch (linktype) {
	case LINK_ETHERNET:
		if (!rd_has(&r, 14))
			return malformed(out);
		rd_skip(&r, 12);
		type = rd_be16(&r);
		if (type <= 1500)
			return DECODE_NOTIP;	/* 802.3 length: LLC frame */
		return decode_ethertype(&r, type, wirelen, out);
	case LINK_SLL:
		if (!rd_has(&r, 16))
			return malformed(out);
		rd_skip(&r, 14);
		type = rd_be16(&r);
		return decode_ethertype(&r, type, wirelen, out);
	case LINK_SLL2:
		if (!rd_has(&r, 20))
			return malformed(out);
		type = rd_be16(&r);
		rd_skip(&r, 18);
		return decode_ethertype(&r, type, wirelen, out);
	case LINK_NULL:
		if (!rd_has(&r, 4))
			return malformed(out);
		af = rd_le32(&r);
		if (af > 0xffff)	/* written by a big-endian host */
			af = __builtin_bswap32(af);
		return decode_af(&r, af, wirelen, out);
	case LINK_LOOP:
		if (!rd_has(&r, 4))
			return malformed(out);
		return decode_af(&r, rd_be32(&r), wirelen, out);
	case LINK_RAW:
	case LINK_DLT_RAW12:
	case LINK_DLT_RAW14:
		return decode_raw(&r, wirelen, out);
	case LINK_IPV4:
		return decode_ethertype(&r, ETH_IPV4, wirelen, out);
	case LINK_IPV6:
		return decode_ethertype(&r, ETH_IPV6, wirelen, out);
	default:
		return DECODE_UNSUPPORTED;
	}
}

int
decode_link_supported(int linktype)
{
	switch (linktype) {
	case LINK_ETHERNET: case LINK_SLL: case LINK_SLL2: case LINK_NULL:
	case LINK_LOOP: case LINK_RAW: case LINK_DLT_RAW12: case LINK_DLT_RAW14:
	case LINK_IPV4: case LINK_IPV6:
		return 1;
	}
	return 0;
}

const char *
decode_link_name(int linktype)
{
	switch (linktype) {
	case LINK_ETHERNET: return "EN10MB";
	case LINK_SLL: return "LINUX_SLL";
	case LINK_SLL2: return "LINUX_SLL2";
	case LINK_NULL: return "NULL";
	case LINK_LOOP: return "LOOP";
	case LINK_RAW: case LINK_DLT_RAW12: case LINK_DLT_RAW14: return "RAW";
	case LINK_IPV4: return "IPV4";
	case LINK_IPV6: return "IPV6";
	}
	return "unsupported";
}
