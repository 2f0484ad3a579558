/*
 * decode.c -- link, network and transport headers of one captured frame.
 *
 * References: IEEE 802.3 and 802.1Q (VLAN, QinQ), RFC 2516 (PPPoE),
 * RFC 3032 (MPLS label stack), the pcap LINKTYPE registry, pcap-linktype(7)
 * (NULL, LOOP, LINUX_SLL, LINUX_SLL2, RAW, PPP, C_HDLC, JUNIPER_ETHER,
 * NFLOG), RFC 1661 and RFC 1662 (PPP and its HDLC-like framing), RFC 1547
 * 4.3.1 (Cisco HDLC), RFC 791 (IPv4), RFC 8200 (IPv6 and its extension
 * headers), RFC 4302 (AH), RFC 9293 (TCP), RFC 768 (UDP), RFC 792 (ICMP),
 * RFC 4443 (ICMPv6).
 *
 * Every read goes through struct rd (rd.h) and is bounded by caplen; a header
 * that is cut short, or whose length fields disagree with each other, marks
 * the frame PKT_MALFORMED. Snap-length truncation of a payload is not
 * malformation: only the headers we need are checked. An IP header whose
 * version nibble is not the one its link layer announced is not IP of that
 * family (tcpdump: "IP6 version error"): malformed, with family 0 and no
 * addresses, so it counts as neither IPv4 nor IPv6 traffic nor towards a
 * destination.
 */
#include "capture/decode.h"

#include <string.h>

#include "base/rd.h"

#define ETH_IPV4	0x0800
#define ETH_IPV6	0x86dd
#define ETH_VLAN	0x8100
#define ETH_QINQ	0x88a8
#define ETH_QINQ_OLD	0x9100
#define ETH_PPPOE_SESS	0x8864
#define ETH_MPLS	0x8847
#define ETH_MPLS_MC	0x8848

/* PPP protocol numbers (RFC 1661 2, IANA "PPP DLL Protocol Numbers"). */
#define PPP_IPV4	0x0021
#define PPP_IPV6	0x0057
#define PPP_MPLS	0x0281
#define PPP_MPLS_MC	0x0283

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

	if (!rd_has(r, 1) || (r->p[r->off] >> 4) != 4)
		return malformed(out);		/* not IPv4 */
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
	if (hlen < 20)
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
	uint8_t nh;
	uint16_t plen;
	int n;

	if (!rd_has(r, 1) || (r->p[r->off] >> 4) != 6)
		return malformed(out);		/* not IPv6 */
	out->family = 6;
	if (!rd_has(r, 40))
		return malformed(out);
	rd_skip(r, 4);			/* version, traffic class, flow label */
	plen = rd_be16(r);
	nh = rd_u8(r);
	out->ttl = rd_u8(r);
	out->src.family = out->dst.family = 6;
	rd_copy(r, out->src.b, 16);
	rd_copy(r, out->dst.b, 16);
	out->proto = nh;
	out->iplen = plen != 0 ? (uint32_t)plen + 40 : 0;
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

/* The EtherType of what PPP protocol number proto carries, 0 if not IP. */
static uint16_t
ppp_ethertype(uint16_t proto)
{
	switch (proto) {
	case PPP_IPV4:
		return ETH_IPV4;
	case PPP_IPV6:
		return ETH_IPV6;
	case PPP_MPLS:
		return ETH_MPLS;
	case PPP_MPLS_MC:
		return ETH_MPLS_MC;
	default:
		return 0;
	}
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
			if ((type = ppp_ethertype(ppp)) == 0)
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

/* An Ethernet II (or 802.3) header at r and what it carries. */
static inline enum decode_result
decode_ether(struct rd *r, size_t wirelen, struct pkt *out)
{
	uint16_t type;

	if (!rd_has(r, 14))
		return malformed(out);
	memcpy(out->mac_dst, r->p + r->off, 6);
	memcpy(out->mac_src, r->p + r->off + 6, 6);
	rd_skip(r, 12);
	type = rd_be16(r);
	if (type <= 1500)
		return DECODE_NOTIP;	/* 802.3 length: LLC frame */
	return decode_ethertype(r, type, wirelen, out);
}

/*
 * PPP (LINKTYPE_PPP): RFC 1662 3's address and control octets (0xff 0x03)
 * when the frame has HDLC-like framing, then RFC 1661 2's protocol field:
 * one octet when compressed (its lowest bit is 1), else two, as tcpdump's
 * handle_ppp() reads it. Bit- and octet-stuffing are already undone.
 */
static enum decode_result
decode_ppp(struct rd *r, size_t wirelen, struct pkt *out)
{
	uint16_t proto, type;

	/* 0xff cannot begin a protocol field (RFC 1661 2: its first octet
	 * is even), so it is the all-stations address. */
	if (rd_has(r, 1) && r->p[r->off] == 0xff) {
		if (!rd_has(r, 2))
			return malformed(out);
		if (r->p[r->off + 1] == 0x03)
			rd_skip(r, 2);
	}
	if (!rd_has(r, 1))
		return malformed(out);
	if (r->p[r->off] & 1)
		proto = rd_u8(r);
	else if (!rd_has(r, 2))
		return malformed(out);
	else
		proto = rd_be16(r);
	if ((type = ppp_ethertype(proto)) == 0)
		return DECODE_NOTIP;	/* LCP, IPCP, CCP, VJ-compressed, ... */
	return decode_ethertype(r, type, wirelen, out);
}

/*
 * Cisco HDLC (LINKTYPE_C_HDLC): an address octet (0x0f unicast, 0x8f
 * broadcast), a control octet, and a 2-octet EtherType. Like tcpdump's
 * chdlc_print(), only the type decides (the address is not checked), and IP
 * is IPv4, IPv6 or MPLS; SLARP keepalives, CDP and OSI are not IP.
 */
static enum decode_result
decode_chdlc(struct rd *r, size_t wirelen, struct pkt *out)
{
	uint16_t type;

	if (!rd_has(r, 4))
		return malformed(out);
	rd_skip(r, 2);
	type = rd_be16(r);
	switch (type) {
	case ETH_IPV4: case ETH_IPV6: case ETH_MPLS: case ETH_MPLS_MC:
		return decode_ethertype(r, type, wirelen, out);
	default:
		return DECODE_NOTIP;
	}
}

#define JUNIPER_MAGIC	0x4d4743	/* "MGC" */
#define JUNIPER_NO_L2	0x02		/* L2 header stripped */
#define JUNIPER_EXT	0x80		/* extension TLVs present */

/*
 * Juniper Ethernet (LINKTYPE_JUNIPER_ETHER), as tcpdump's print-juniper.c
 * reads it: the magic "MGC" and a flags octet; with the extension flag a
 * 2-octet (big-endian) length and that many octets of TLVs (interface
 * index, name, media type: nothing we need), skipped whole; then, with the
 * "no L2" flag, 4 more octets and an IP header known by its version
 * nibble, else an Ethernet frame.
 */
static enum decode_result
decode_juniper_ether(struct rd *r, size_t wirelen, struct pkt *out)
{
	uint32_t magic;
	uint8_t flags;

	if (!rd_has(r, 4))
		return malformed(out);
	magic = (uint32_t)rd_u8(r) << 16;
	magic |= rd_be16(r);
	flags = rd_u8(r);
	if (magic != JUNIPER_MAGIC)
		return malformed(out);
	if ((flags & JUNIPER_EXT) && rd_skip(r, rd_be16(r)) != 0)
		return malformed(out);
	if (flags & JUNIPER_NO_L2) {
		if (rd_skip(r, 4) != 0)
			return malformed(out);
		return decode_raw(r, wirelen, out);
	}
	return decode_ether(r, wirelen, out);
}

#define NFLOG_AF_INET	2
#define NFLOG_AF_INET6	10
#define NFULA_PAYLOAD	9

/*
 * Linux netfilter log (LINKTYPE_NFLOG, pcap-linktype(7)): a 4-octet header
 * (address family, version 0, resource id) and TLVs of a 2-octet length
 * (header included, the TLV padded to 4 octets) and a 2-octet type, both in
 * the byte order of the host -- libpcap swaps them when it reads a file
 * written on the other order. Type 9, NFULA_PAYLOAD, holds the packet from
 * its network header on. Like tcpdump's nflog_if_print(), a TLV shorter
 * than its own header or longer than the frame is malformed, and a version
 * other than 0 is not decoded.
 */
static enum decode_result
decode_nflog(struct rd *r, size_t wirelen, struct pkt *out)
{
	uint8_t family, version;

	if (!rd_has(r, 4))
		return malformed(out);
	family = rd_u8(r);
	version = rd_u8(r);
	rd_skip(r, 2);			/* resource id */
	if (version != 0)
		return DECODE_NOTIP;
	while (r->off < wirelen) {
		size_t start = r->off, len, padded;
		uint16_t type;

		if (!rd_has(r, 4))
			return malformed(out);
		len = rd_he16(r);
		type = rd_he16(r);
		padded = (len + 3) & ~(size_t)3;
		if (len < 4 || padded > wirelen - start)
			return malformed(out);
		if (type != NFULA_PAYLOAD) {
			if (rd_skip(r, padded - 4) != 0)
				return malformed(out);
			continue;
		}
		/* The packet is the TLV's value: no further on the wire,
		 * and no further in the capture. */
		if (start + len < r->len)
			r->len = start + len;
		if (family == NFLOG_AF_INET)
			return decode_ethertype(r, ETH_IPV4, start + len, out);
		if (family == NFLOG_AF_INET6)
			return decode_ethertype(r, ETH_IPV6, start + len, out);
		return DECODE_NOTIP;
	}
	return DECODE_NOTIP;		/* no payload logged */
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

/*
 * The frame most floods are made of -- Ethernet II without a tag, IPv4
 * without options, not a fragment, TCP or UDP whose header lies whole
 * inside the datagram and the capture -- read at fixed offsets. Returns 1
 * when it filled out (exactly as the general path would), 0 when the frame
 * is anything else or fails any check; the general path then decodes it
 * from the start and says what is wrong. out is already zeroed with
 * wirelen, weight and wbytes set; wirelen >= caplen.
 */
static inline int
decode_fast_ether_ipv4(const uint8_t *p, size_t caplen, size_t wirelen,
    struct pkt *out)
{
	size_t total, need;
	uint8_t proto;

	if (caplen < 14 + 20 + 8 || be16_get(p + 12) != ETH_IPV4 ||
	    p[14] != 0x45 || (be16_get(p + 14 + 6) & 0x3fff) != 0)
		return 0;
	total = be16_get(p + 14 + 2);
	proto = p[14 + 9];
	if (proto == 6)
		need = 20 + 20;
	else if (proto == 17)
		need = 20 + 8;
	else
		return 0;
	/* the datagram holds the transport header, the frame the datagram's
	 * stated length, the capture the transport header */
	if (total < need || total > wirelen - 14 || caplen < 14 + need)
		return 0;
	if (proto == 6) {
		uint8_t off = p[14 + 20 + 12] >> 4;

		if (off < 5 || (size_t)off * 4 > total - 20)
			return 0;
		out->l4 = L4_TCP;
		out->tcp_flags = p[14 + 20 + 13];
	} else {
		uint16_t ulen = be16_get(p + 14 + 20 + 4);

		if (ulen != 0 && (ulen < 8 || ulen > total - 20))
			return 0;
		out->l4 = L4_UDP;
	}
	memcpy(out->mac_dst, p, 6);
	memcpy(out->mac_src, p + 6, 6);
	out->family = 4;
	out->ttl = p[14 + 8];
	out->proto = proto;
	out->iplen = (uint32_t)total;
	out->src.family = out->dst.family = 4;
	memcpy(out->src.b, p + 14 + 12, 4);
	memcpy(out->dst.b, p + 14 + 16, 4);
	out->sport = be16_get(p + 14 + 20);
	out->dport = be16_get(p + 14 + 22);
	return 1;
}

enum decode_result
decode_frame(int linktype, const uint8_t *p, size_t caplen, size_t wirelen,
    struct pkt *out)
{
	/* A copy of a zero struct: vector stores, where memset of this size
	 * became `rep stos`, whose start-up cost was most of a SYN's decode. */
	static const struct pkt zero;
	struct rd r;
	uint16_t type;
	uint32_t af;

	*out = zero;
	out->wirelen = (uint32_t)(wirelen > UINT32_MAX ? UINT32_MAX : wirelen);
	out->weight = 1;
	out->wbytes = wirelen;
	if (wirelen < caplen)
		wirelen = caplen;	/* never trust a smaller wire length */
	rd_init(&r, p, caplen);

	switch (linktype) {
	case LINK_ETHERNET:
		if (decode_fast_ether_ipv4(p, caplen, wirelen, out))
			return DECODE_OK;
		if (!rd_has(&r, 14))
			return malformed(out);
		/* the neighbour's router (ingress.h): two fixed-size copies */
		memcpy(out->mac_dst, p, 6);
		memcpy(out->mac_src, p + 6, 6);
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
	case LINK_PPP:
		return decode_ppp(&r, wirelen, out);
	case LINK_C_HDLC:
		return decode_chdlc(&r, wirelen, out);
	case LINK_JUNIPER_ETHER:
		return decode_juniper_ether(&r, wirelen, out);
	case LINK_NFLOG:
		return decode_nflog(&r, wirelen, out);
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
	case LINK_IPV4: case LINK_IPV6: case LINK_PPP: case LINK_C_HDLC:
	case LINK_JUNIPER_ETHER: case LINK_NFLOG:
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
	case LINK_PPP: return "PPP";
	case LINK_C_HDLC: return "C_HDLC";
	case LINK_JUNIPER_ETHER: return "JUNIPER_ETHER";
	case LINK_NFLOG: return "NFLOG";
	}
	return "unsupported";
}
