/*
 * test_decode.c -- every decoder path, and truncation at every byte offset
 * of every header: a cut frame is malformed (or, when the cut falls in a
 * payload, decoded as far as it goes) and nothing is read past caplen (run
 * under ASan by `make asan`, where each frame sits in a buffer of exactly
 * caplen bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture/decode.h"

/* ---- frame builders ------------------------------------------------- */

static size_t
put_eth(uint8_t *p, uint16_t type)
{
	memset(p, 0, 12);
	p[0] = 0x02;
	p[6] = 0x02;
	p[12] = (uint8_t)(type >> 8);
	p[13] = (uint8_t)type;
	return 14;
}

static size_t
put_ipv4(uint8_t *p, uint8_t proto, uint16_t total, uint16_t frag,
    size_t optlen)
{
	size_t hl = 20 + optlen;

	memset(p, 0, hl);
	p[0] = (uint8_t)(0x40 | hl / 4);
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[6] = (uint8_t)(frag >> 8);
	p[7] = (uint8_t)frag;
	p[8] = 61;
	p[9] = proto;
	p[12] = 192; p[13] = 0; p[14] = 2; p[15] = 1;
	p[16] = 203; p[17] = 0; p[18] = 113; p[19] = 80;
	memset(p + 20, 1, optlen);
	return hl;
}

static size_t
put_ipv6(uint8_t *p, uint8_t nh, uint16_t plen)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = nh;
	p[7] = 55;
	p[8] = 0x20; p[9] = 0x01; p[10] = 0x0d; p[11] = 0xb8; p[23] = 1;
	p[24] = 0x20; p[25] = 0x01; p[26] = 0x0d; p[27] = 0xb8; p[39] = 2;
	return 40;
}

static size_t
put_tcp(uint8_t *p, uint8_t flags)
{
	memset(p, 0, 20);
	p[0] = 0x04; p[1] = 0x00;	/* 1024 */
	p[2] = 0x00; p[3] = 0x50;	/* 80 */
	p[12] = 0x50;
	p[13] = flags;
	return 20;
}

static size_t
put_udp(uint8_t *p, uint16_t sport, uint16_t dport, uint16_t len)
{
	p[0] = (uint8_t)(sport >> 8); p[1] = (uint8_t)sport;
	p[2] = (uint8_t)(dport >> 8); p[3] = (uint8_t)dport;
	p[4] = (uint8_t)(len >> 8); p[5] = (uint8_t)len;
	p[6] = 0x55; p[7] = 0x55;
	return 8;
}

/* An Ethernet header and an IPv4 (IPv6) header with put_ipv4's
 * (put_ipv6's) arguments; returns the offset after them. */
static size_t
eth_ipv4(uint8_t *b, uint8_t proto, uint16_t total, uint16_t frag,
    size_t optlen)
{
	size_t off = put_eth(b, 0x0800);

	return off + put_ipv4(b + off, proto, total, frag, optlen);
}

static size_t
eth_ipv6(uint8_t *b, uint8_t nh, uint16_t plen)
{
	size_t off = put_eth(b, 0x86dd);

	return off + put_ipv6(b + off, nh, plen);
}

/* n bytes of v; returns n. */
static size_t
put_fill(uint8_t *p, uint8_t v, size_t n)
{
	memset(p, v, n);
	return n;
}

/* An IPv6 extension header of size bytes (RFC 8200 4): next header nh,
 * length field len, the rest zero; returns size. */
static size_t
put_ext6(uint8_t *p, uint8_t nh, uint8_t len, size_t size)
{
	p[0] = nh;
	p[1] = len;
	memset(p + 2, 0, size - 2);
	return size;
}

/* An IPv6 fragment header (RFC 8200 4.5): next header nh, then the
 * 16-bit offset/M field offm, identification 0; returns 8. */
static size_t
put_frag6(uint8_t *p, uint8_t nh, uint16_t offm)
{
	p[0] = nh;
	p[1] = 0;
	p[2] = (uint8_t)(offm >> 8);
	p[3] = (uint8_t)offm;
	memset(p + 4, 0, 4);
	return 8;
}

/* Decode a copy of exactly caplen bytes, so ASan sees any over-read. */
static enum decode_result
dec(int link, const uint8_t *b, size_t caplen, size_t wirelen, struct pkt *p)
{
	uint8_t *copy = malloc(caplen > 0 ? caplen : 1);
	enum decode_result r;

	memcpy(copy, b, caplen);
	r = decode_frame(link, copy, caplen, wirelen, p);
	free(copy);
	return r;
}

/*
 * Cut the frame at every offset below `hdr_end` (the end of the last header
 * the decoder must read): each cut is malformed. Cuts at or past hdr_end
 * decode like the whole frame.
 */
static void
check_truncations(int link, const uint8_t *b, size_t len, size_t hdr_end,
    int expect_l4)
{
	struct pkt p;
	size_t cut;

	for (cut = 0; cut < hdr_end; cut++) {
		enum decode_result r = dec(link, b, cut, len, &p);

		if (r != DECODE_MALFORMED || !(p.flags & PKT_MALFORMED)) {
			print_error("cut at %zu of %zu: result %d flags %#x\n",
			    cut, len, r, p.flags);
			fail();
		}
	}
	for (cut = hdr_end; cut <= len; cut++) {
		assert_int_equal(dec(link, b, cut, len, &p), DECODE_OK);
		assert_false(p.flags & PKT_MALFORMED);
		assert_int_equal(p.l4, expect_l4);
	}
}

/* ---- tests -------------------------------------------------------------- */

static void
test_ethernet_ipv4_tcp_syn(void **state)
{
	uint8_t b[128];
	size_t off = eth_ipv4(b, 6, 40, 0x4000, 0);
	struct pkt p;

	(void)state;
	off += put_tcp(b + off, TCP_SYN);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 4);
	assert_int_equal(p.l4, L4_TCP);
	assert_int_equal(p.tcp_flags, TCP_SYN);
	assert_int_equal(p.sport, 1024);
	assert_int_equal(p.dport, 80);
	assert_int_equal(p.ttl, 61);
	assert_int_equal(p.src.b[0], 192);
	assert_int_equal(p.dst.b[3], 80);
	assert_int_equal(p.weight, 1);
	assert_int_equal(p.wbytes, off);
	assert_false(p.flags & (PKT_FRAGMENT | PKT_VLAN | PKT_MALFORMED));
	check_truncations(LINK_ETHERNET, b, off, off, L4_TCP);
}

static size_t put_v4_syn(uint8_t *b);

/* The Ethernet addresses name the neighbour's router (detect.c's ingress):
 * kept for EN10MB and Juniper Ethernet, through VLAN tags, for non-IP
 * frames too; zero for link types without them. */
static void
test_ethernet_macs(void **state)
{
	static const uint8_t dmac[6] = { 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c };
	static const uint8_t smac[6] = { 0x02, 0x42, 0xac, 0x11, 0x00, 0x02 };
	static const uint8_t zero[6];
	uint8_t b[160];
	size_t off;
	struct pkt p;

	(void)state;
	off = eth_ipv4(b, 6, 40, 0x4000, 0);
	off += put_tcp(b + off, TCP_SYN);
	memcpy(b, dmac, 6);
	memcpy(b + 6, smac, 6);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_memory_equal(p.mac_dst, dmac, 6);
	assert_memory_equal(p.mac_src, smac, 6);
	/* a header cut short keeps nothing half-copied */
	assert_int_equal(dec(LINK_ETHERNET, b, 13, off, &p), DECODE_MALFORMED);
	assert_memory_equal(p.mac_src, zero, 6);
	/* 802.1Q: the same outer addresses */
	memmove(b + 16, b + 12, off - 12);
	b[12] = 0x81; b[13] = 0x00; b[14] = 0x00; b[15] = 0x64;
	assert_int_equal(dec(LINK_ETHERNET, b, off + 4, off + 4, &p), DECODE_OK);
	assert_true(p.flags & PKT_VLAN);
	assert_memory_equal(p.mac_src, smac, 6);
	/* ARP: not IP, the addresses are still known */
	off = put_eth(b, 0x0806);
	memcpy(b + 6, smac, 6);
	off += put_fill(b + off, 0, 28);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_NOTIP);
	assert_memory_equal(p.mac_src, smac, 6);
	/* Juniper Ethernet: the Ethernet frame after the MGC header */
	b[0] = 'M'; b[1] = 'G'; b[2] = 'C'; b[3] = 0x01;
	off = 4 + put_eth(b + 4, 0x0800);
	memcpy(b + 4, dmac, 6);
	memcpy(b + 10, smac, 6);
	off += put_v4_syn(b + off);
	assert_int_equal(dec(LINK_JUNIPER_ETHER, b, off, off, &p), DECODE_OK);
	assert_memory_equal(p.mac_dst, dmac, 6);
	assert_memory_equal(p.mac_src, smac, 6);
	/* raw IP has none */
	off = put_v4_syn(b);
	assert_int_equal(dec(LINK_RAW, b, off, off, &p), DECODE_OK);
	assert_memory_equal(p.mac_src, zero, 6);
	assert_memory_equal(p.mac_dst, zero, 6);
	/* struct pkt is copied through the rings for every frame: keep it
	 * within 96 bytes (it was 88 before the MACs) */
	assert_true(sizeof(struct pkt) <= 96);
}

static void
test_vlan_and_qinq(void **state)
{
	uint8_t b[128];
	size_t off;
	struct pkt p;
	static const uint16_t tpids[] = { 0x8100, 0x88a8, 0x9100 };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		off = put_eth(b, tpids[i]);
		off -= 2;
		b[off++] = (uint8_t)(tpids[i] >> 8);
		b[off++] = (uint8_t)tpids[i];
		b[off++] = 0x00; b[off++] = 0x64;		/* VID 100 */
		if (i > 0) {		/* QinQ: an inner 802.1Q tag */
			b[off++] = 0x81; b[off++] = 0x00;
			b[off++] = 0x00; b[off++] = 0xc8;	/* VID 200 */
		}
		b[off++] = 0x08; b[off++] = 0x00;
		off += put_ipv4(b + off, 17, 28, 0, 0);
		off += put_udp(b + off, 53, 4444, 8);
		assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
		assert_true(p.flags & PKT_VLAN);
		assert_int_equal(p.vlan, i > 0 ? 200 : 100);
		assert_int_equal(p.l4, L4_UDP);
		assert_int_equal(p.sport, 53);
		check_truncations(LINK_ETHERNET, b, off, off, L4_UDP);
	}
}

static void
test_too_many_vlan_tags(void **state)
{
	uint8_t b[128];
	size_t off = 12, i;
	struct pkt p;

	(void)state;
	memset(b, 0, sizeof(b));
	for (i = 0; i < 10; i++) {
		b[off++] = 0x81; b[off++] = 0x00; b[off++] = 0; b[off++] = 1;
	}
	b[off++] = 0x08; b[off++] = 0x00;
	off += put_ipv4(b + off, 17, 28, 0, 0);
	off += put_udp(b + off, 1, 2, 8);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
}

static void
test_ipv4_options_and_fragments(void **state)
{
	uint8_t b[256];
	size_t off;
	struct pkt p;

	(void)state;
	/* options: the transport header comes after them */
	off = eth_ipv4(b, 6, 24 + 20, 0, 4);
	off += put_tcp(b + off, TCP_SYN | TCP_ACK);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_true(p.flags & PKT_IPOPTS);
	assert_int_equal(p.tcp_flags, TCP_SYN | TCP_ACK);
	check_truncations(LINK_ETHERNET, b, off, off, L4_TCP);

	/* first fragment (MF, offset 0) has the UDP header */
	off = eth_ipv4(b, 17, 20 + 8 + 32, 0x2000, 0);
	off += put_udp(b + off, 123, 80, 100);
	off += put_fill(b + off, 0, 32);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_true(p.flags & PKT_FRAGMENT);
	assert_true(p.flags & PKT_FIRSTFRAG);
	assert_int_equal(p.l4, L4_UDP);
	assert_int_equal(p.sport, 123);

	/* a later fragment has none */
	off = eth_ipv4(b, 17, 20 + 32, 0x0004, 0);
	off += put_fill(b + off, 0xee, 32);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_true(p.flags & PKT_FRAGMENT);
	assert_false(p.flags & PKT_FIRSTFRAG);
	assert_int_equal(p.l4, L4_NONE);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.sport, 0);
	check_truncations(LINK_ETHERNET, b, off, 14 + 20, L4_NONE);
}

static void
test_ipv4_inconsistent(void **state)
{
	uint8_t b[128];
	size_t off;
	struct pkt p;

	(void)state;
	/* IHL below 5 */
	off = eth_ipv4(b, 6, 40, 0, 0);
	off += put_tcp(b + off, TCP_SYN);
	b[14] = 0x44;
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
	/* total length below the header length */
	b[14] = 0x45;
	b[16] = 0; b[17] = 10;
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
	/* total length beyond the frame on the wire */
	b[17] = 200;
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
	/* but beyond the capture only (snap length) is fine */
	assert_int_equal(dec(LINK_ETHERNET, b, off, 14 + 200, &p), DECODE_OK);
	/* wrong version in an IPv4 EtherType */
	b[17] = 40;
	b[14] = 0x65;
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
	/* TCP data offset below 5 */
	b[14] = 0x45;
	b[14 + 20 + 12] = 0x40;
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
	assert_int_equal(p.l4, L4_TCP);
	/* UDP length below 8 */
	off = eth_ipv4(b, 17, 28, 0, 0);
	off += put_udp(b + off, 1, 2, 4);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
	/* UDP length beyond what IP carries */
	off = eth_ipv4(b, 17, 28, 0, 0);
	off += put_udp(b + off, 1, 2, 9);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
	/* TCP header longer than the datagram */
	off = eth_ipv4(b, 6, 40, 0, 0);
	off += put_tcp(b + off, TCP_SYN);
	b[14 + 20 + 12] = 0x60;
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
}

static void
test_ipv6_udp_zero_checksum(void **state)
{
	uint8_t b[128];
	size_t off = eth_ipv6(b, 17, 8);
	struct pkt p;

	(void)state;
	off += put_udp(b + off, 1, 2, 8);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	b[off - 2] = b[off - 1] = 0;
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
	assert_int_equal(p.l4, L4_UDP);
}

static void
test_ethernet_padding_ignored(void **state)
{
	uint8_t b[64];
	size_t off = eth_ipv4(b, 1, 28, 0, 0);
	struct pkt p;

	(void)state;
	memset(b + off, 0, 8);
	b[off] = 8;
	off += 8;
	memset(b + off, 0xaa, 60 - off);	/* padding to 60 */
	assert_int_equal(dec(LINK_ETHERNET, b, 60, 60, &p), DECODE_OK);
	assert_int_equal(p.l4, L4_ICMP);
	assert_int_equal(p.icmp_type, 8);
	assert_int_equal(p.iplen, 28);
}

static void
test_ipv6_plain_and_icmpv6(void **state)
{
	uint8_t b[128];
	size_t off;
	struct pkt p;

	(void)state;
	off = eth_ipv6(b, 58, 8);
	memset(b + off, 0, 8);
	b[off] = 128;
	off += 8;
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
	assert_int_equal(p.l4, L4_ICMP);
	assert_int_equal(p.icmp_type, 128);
	assert_int_equal(p.ttl, 55);
	assert_int_equal(p.src.b[15], 1);
	assert_int_equal(p.dst.b[15], 2);
	check_truncations(LINK_ETHERNET, b, off, off - 4, L4_ICMP);
}

static void
test_ipv6_extension_chain(void **state)
{
	uint8_t b[256];
	size_t off, start;
	struct pkt p;

	(void)state;
	off = eth_ipv6(b, 0, 8 + 8 + 24 + 16 + 20);
	start = off;
	/* hop-by-hop (8) -> destination options (8) -> routing (24) -> AH (16) */
	off += put_ext6(b + off, 60, 0, 8);
	off += put_ext6(b + off, 43, 0, 8);
	off += put_ext6(b + off, 51, 2, 24);
	off += put_ext6(b + off, 6, 2, 16);
	off += put_tcp(b + off, TCP_SYN);
	(void)start;
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.l4, L4_TCP);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.dport, 80);
	assert_true(p.flags & PKT_IPOPTS);
	check_truncations(LINK_ETHERNET, b, off, off, L4_TCP);
}

static void
test_ipv6_fragments(void **state)
{
	uint8_t b[256];
	size_t off;
	struct pkt p;

	(void)state;
	/* first fragment: UDP follows */
	off = eth_ipv6(b, 44, 8 + 8 + 16);
	off += put_frag6(b + off, 17, 0x0001);
	off += put_udp(b + off, 53, 1000, 500);
	off += put_fill(b + off, 0, 16);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_true(p.flags & PKT_FRAGMENT);
	assert_true(p.flags & PKT_FIRSTFRAG);
	assert_int_equal(p.l4, L4_UDP);
	check_truncations(LINK_ETHERNET, b, off, off - 16, L4_UDP);
	/* later fragment: no transport */
	off = eth_ipv6(b, 44, 8 + 16);
	off += put_frag6(b + off, 17, 0x0100);
	off += put_fill(b + off, 0, 16);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.l4, L4_NONE);
	assert_false(p.flags & PKT_FIRSTFRAG);
	check_truncations(LINK_ETHERNET, b, off, off - 16, L4_NONE);
}

static void
test_ipv6_endless_chain(void **state)
{
	uint8_t b[1024];
	size_t off = eth_ipv6(b, 60, 8 * 40), i;
	struct pkt p;

	(void)state;
	for (i = 0; i < 40; i++)
		off += put_ext6(b + off, 60, 0, 8);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_MALFORMED);
}

static void
test_linux_sll_and_sll2(void **state)
{
	uint8_t b[128];
	size_t off;
	struct pkt p;

	(void)state;
	memset(b, 0, sizeof(b));
	b[14] = 0x08; b[15] = 0x00;	/* SLL: protocol at 14 */
	off = 16 + put_ipv4(b + 16, 6, 40, 0, 0);
	off += put_tcp(b + off, TCP_RST);
	assert_int_equal(dec(LINK_SLL, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.tcp_flags, TCP_RST);
	check_truncations(LINK_SLL, b, off, off, L4_TCP);

	memset(b, 0, sizeof(b));
	b[0] = 0x86; b[1] = 0xdd;	/* SLL2: protocol at 0 */
	off = 20 + put_ipv6(b + 20, 17, 8);
	off += put_udp(b + off, 5353, 5353, 8);
	assert_int_equal(dec(LINK_SLL2, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
	assert_int_equal(p.l4, L4_UDP);
	check_truncations(LINK_SLL2, b, off, off, L4_UDP);
}

static void
test_null_loop_raw(void **state)
{
	uint8_t b[128];
	size_t off;
	struct pkt p;
	static const uint32_t v6afs[] = { 10, 24, 28, 30 };
	size_t i;

	(void)state;
	/* NULL, little-endian AF_INET */
	b[0] = 2; b[1] = 0; b[2] = 0; b[3] = 0;
	off = 4 + put_ipv4(b + 4, 1, 28, 0, 0);
	off += put_fill(b + off, 0, 8);
	assert_int_equal(dec(LINK_NULL, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.l4, L4_ICMP);
	check_truncations(LINK_NULL, b, off, off - 4, L4_ICMP);
	/* NULL written big-endian */
	b[0] = 0; b[3] = 2;
	assert_int_equal(dec(LINK_NULL, b, off, off, &p), DECODE_OK);
	/* LOOP (network order), each IPv6 AF value */
	for (i = 0; i < 4; i++) {
		b[0] = b[1] = b[2] = 0;
		b[3] = (uint8_t)v6afs[i];
		off = 4 + put_ipv6(b + 4, 17, 8);
		off += put_udp(b + off, 1, 2, 8);
		assert_int_equal(dec(LINK_LOOP, b, off, off, &p), DECODE_OK);
		assert_int_equal(p.family, 6);
	}
	/* unknown AF: not IP */
	b[3] = 99;
	assert_int_equal(dec(LINK_LOOP, b, off, off, &p), DECODE_NOTIP);
	/* RAW: version nibble decides */
	off = put_ipv4(b, 17, 28, 0, 0);
	off += put_udp(b + off, 1, 2, 8);
	assert_int_equal(dec(LINK_RAW, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 4);
	assert_int_equal(dec(LINK_DLT_RAW12, b, off, off, &p), DECODE_OK);
	assert_int_equal(dec(LINK_IPV4, b, off, off, &p), DECODE_OK);
	check_truncations(LINK_RAW, b, off, off, L4_UDP);
	off = put_ipv6(b, 6, 20);
	off += put_tcp(b + off, TCP_SYN);
	assert_int_equal(dec(LINK_RAW, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
	assert_int_equal(dec(LINK_IPV6, b, off, off, &p), DECODE_OK);
	b[0] = 0x50;	/* version 5 */
	assert_int_equal(dec(LINK_RAW, b, off, off, &p), DECODE_MALFORMED);
}

static void
test_pppoe_and_mpls(void **state)
{
	uint8_t b[128];
	size_t off;
	struct pkt p;

	(void)state;
	off = put_eth(b, 0x8864);
	memset(b + off, 0, 6);
	b[off] = 0x11;
	off += 6;
	b[off++] = 0x00; b[off++] = 0x21;	/* PPP: IPv4 */
	off += put_ipv4(b + off, 6, 40, 0, 0);
	off += put_tcp(b + off, TCP_SYN);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.l4, L4_TCP);
	check_truncations(LINK_ETHERNET, b, off, off, L4_TCP);

	off = put_eth(b, 0x8847);
	b[off++] = 0x00; b[off++] = 0x01; b[off++] = 0x00; b[off++] = 0x40;
	b[off++] = 0x00; b[off++] = 0x02; b[off++] = 0x01; b[off++] = 0x40;
	off += put_ipv6(b + off, 17, 8);
	off += put_udp(b + off, 1, 2, 8);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
	check_truncations(LINK_ETHERNET, b, off, off, L4_UDP);
}

static void
test_not_ip(void **state)
{
	uint8_t b[64];
	struct pkt p;

	(void)state;
	memset(b, 0, sizeof(b));
	put_eth(b, 0x0806);	/* ARP */
	assert_int_equal(dec(LINK_ETHERNET, b, 60, 60, &p), DECODE_NOTIP);
	assert_int_equal(p.family, 0);
	put_eth(b, 0x0040);	/* 802.3 length */
	assert_int_equal(dec(LINK_ETHERNET, b, 60, 60, &p), DECODE_NOTIP);
	assert_int_equal(dec(LINK_ETHERNET, b, 13, 60, &p), DECODE_MALFORMED);
	assert_int_equal(dec(9999, b, 60, 60, &p), DECODE_UNSUPPORTED);
	assert_false(decode_link_supported(9999));
	assert_string_equal(decode_link_name(LINK_SLL2), "LINUX_SLL2");
}

static void
test_other_protocols(void **state)
{
	uint8_t b[128];
	size_t off = eth_ipv4(b, 47, 24, 0, 0);	/* GRE */
	struct pkt p;

	(void)state;
	off += put_fill(b + off, 0, 4);
	assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.l4, L4_OTHER);
	assert_int_equal(p.proto, 47);
}

/*
 * A version nibble that contradicts the link layer: not IP of either
 * family, so neither counted as IPv4/IPv6 nor giving a destination.
 */
static void
test_version_nibble(void **state)
{
	uint8_t b[128];
	size_t off;
	struct pkt p;
	static const uint8_t bad6[] = { 0x00, 0x40, 0x50, 0x70, 0xf0 };
	static const uint8_t bad4[] = { 0x05, 0x55, 0x65, 0x35 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad6); i++) {
		off = eth_ipv6(b, 17, 8);
		off += put_udp(b + off, 1, 2, 8);
		b[14] = bad6[i];
		assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p),
		    DECODE_MALFORMED);
		assert_int_equal(p.family, 0);
		assert_int_equal(p.dst.family, 0);
		assert_int_equal(p.l4, L4_NONE);
		/* the same on a raw IPv6 link */
		assert_int_equal(dec(LINK_IPV6, b + 14, off - 14, off - 14, &p),
		    DECODE_MALFORMED);
		assert_int_equal(p.family, 0);
	}
	for (i = 0; i < sizeof(bad4); i++) {
		off = eth_ipv4(b, 17, 28, 0, 0);
		off += put_udp(b + off, 1, 2, 8);
		b[14] = bad4[i];
		assert_int_equal(dec(LINK_ETHERNET, b, off, off, &p),
		    DECODE_MALFORMED);
		assert_int_equal(p.family, 0);
		assert_int_equal(p.dst.family, 0);
	}
	/* but a right nibble on a cut header is still that family's */
	off = eth_ipv6(b, 17, 8);
	assert_int_equal(dec(LINK_ETHERNET, b, 15, off, &p), DECODE_MALFORMED);
	assert_int_equal(p.family, 6);
}

/* An IPv4 TCP SYN (40 bytes) at b; returns 40. */
static size_t
put_v4_syn(uint8_t *b)
{
	size_t off = put_ipv4(b, 6, 40, 0, 0);

	return off + put_tcp(b + off, TCP_SYN);
}

/* An IPv6 UDP datagram with 8 bytes of data at b; returns 56. */
static size_t
put_v6_udp(uint8_t *b)
{
	size_t off = put_ipv6(b, 17, 16);

	off += put_udp(b + off, 5353, 53, 16);
	return off + put_fill(b + off, 0, 8);
}

/* PPP (RFC 1661, 1662): framed and unframed, compressed protocol field. */
static void
test_ppp(void **state)
{
	uint8_t b[128];
	size_t off;
	struct pkt p;

	(void)state;
	/* HDLC-like framing: ff 03, then 00 21 (IPv4) */
	b[0] = 0xff; b[1] = 0x03; b[2] = 0x00; b[3] = 0x21;
	off = 4 + put_v4_syn(b + 4);
	assert_int_equal(dec(LINK_PPP, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 4);
	assert_int_equal(p.tcp_flags, TCP_SYN);
	check_truncations(LINK_PPP, b, off, off, L4_TCP);
	/* no address/control, protocol field compressed: 57 (IPv6) */
	b[0] = 0x57;
	off = 1 + put_v6_udp(b + 1);
	assert_int_equal(dec(LINK_PPP, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
	assert_int_equal(p.sport, 5353);
	check_truncations(LINK_PPP, b, off, off - 8, L4_UDP);
	/* MPLS (02 81): one label, bottom of stack, then IPv4 */
	b[0] = 0xff; b[1] = 0x03; b[2] = 0x02; b[3] = 0x81;
	b[4] = 0x00; b[5] = 0x01; b[6] = 0x01; b[7] = 0x40;
	off = 8 + put_v4_syn(b + 8);
	assert_int_equal(dec(LINK_PPP, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.l4, L4_TCP);
	check_truncations(LINK_PPP, b, off, off, L4_TCP);
	/* LCP (c0 21) is not IP; nor is a VJ-compressed TCP (00 2d) */
	b[2] = 0xc0; b[3] = 0x21;
	assert_int_equal(dec(LINK_PPP, b, off, off, &p), DECODE_NOTIP);
	b[2] = 0x00; b[3] = 0x2d;
	assert_int_equal(dec(LINK_PPP, b, off, off, &p), DECODE_NOTIP);
	assert_true(decode_link_supported(LINK_PPP));
	assert_string_equal(decode_link_name(LINK_PPP), "PPP");
}

/* Cisco HDLC: address, control, EtherType. */
static void
test_chdlc(void **state)
{
	uint8_t b[128];
	size_t off;
	struct pkt p;

	(void)state;
	b[0] = 0x0f; b[1] = 0x00; b[2] = 0x08; b[3] = 0x00;
	off = 4 + put_v4_syn(b + 4);
	assert_int_equal(dec(LINK_C_HDLC, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 4);
	check_truncations(LINK_C_HDLC, b, off, off, L4_TCP);
	b[0] = 0x8f; b[2] = 0x86; b[3] = 0xdd;
	off = 4 + put_v6_udp(b + 4);
	assert_int_equal(dec(LINK_C_HDLC, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
	check_truncations(LINK_C_HDLC, b, off, off - 8, L4_UDP);
	/* SLARP keepalive (80 35), CDP (20 00), VLAN: not IP here */
	b[2] = 0x80; b[3] = 0x35;
	assert_int_equal(dec(LINK_C_HDLC, b, off, off, &p), DECODE_NOTIP);
	b[2] = 0x20; b[3] = 0x00;
	assert_int_equal(dec(LINK_C_HDLC, b, off, off, &p), DECODE_NOTIP);
	b[2] = 0x81; b[3] = 0x00;
	assert_int_equal(dec(LINK_C_HDLC, b, off, off, &p), DECODE_NOTIP);
	assert_string_equal(decode_link_name(LINK_C_HDLC), "C_HDLC");
}

/* Juniper Ethernet: "MGC", flags, extensions, then Ethernet or bare IP. */
static void
test_juniper_ether(void **state)
{
	uint8_t b[160];
	size_t off;
	struct pkt p;

	(void)state;
	/* with extensions (16 bytes of TLVs), as Junos writes it */
	b[0] = 'M'; b[1] = 'G'; b[2] = 'C'; b[3] = 0x80;
	b[4] = 0x00; b[5] = 0x10;
	memset(b + 6, 0, 16);
	b[6] = 1; b[7] = 1; b[8] = 6;	/* a TLV: type 1, length 1 */
	off = 22 + put_eth(b + 22, 0x0800);
	off += put_v4_syn(b + off);
	assert_int_equal(dec(LINK_JUNIPER_ETHER, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 4);
	assert_int_equal(p.tcp_flags, TCP_SYN);
	check_truncations(LINK_JUNIPER_ETHER, b, off, off, L4_TCP);
	/* no extensions */
	b[3] = 0x01;
	off = 4 + put_eth(b + 4, 0x86dd);
	off += put_v6_udp(b + off);
	assert_int_equal(dec(LINK_JUNIPER_ETHER, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
	check_truncations(LINK_JUNIPER_ETHER, b, off, off - 8, L4_UDP);
	/* "no L2": 4 bytes, then IP known by its nibble */
	b[3] = 0x02;
	memset(b + 4, 0, 4);
	off = 8 + put_v4_syn(b + 8);
	assert_int_equal(dec(LINK_JUNIPER_ETHER, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 4);
	check_truncations(LINK_JUNIPER_ETHER, b, off, off, L4_TCP);
	/* an Ethernet frame that is not IP; a wrong magic number */
	b[3] = 0x00;
	off = 4 + put_eth(b + 4, 0x0806);
	off += put_fill(b + off, 0, 28);
	assert_int_equal(dec(LINK_JUNIPER_ETHER, b, off, off, &p),
	    DECODE_NOTIP);
	b[2] = 'X';
	assert_int_equal(dec(LINK_JUNIPER_ETHER, b, off, off, &p),
	    DECODE_MALFORMED);
	/* extensions longer than the frame */
	b[2] = 'C'; b[3] = 0x80; b[4] = 0xff; b[5] = 0xff;
	assert_int_equal(dec(LINK_JUNIPER_ETHER, b, off, off, &p),
	    DECODE_MALFORMED);
	assert_string_equal(decode_link_name(LINK_JUNIPER_ETHER),
	    "JUNIPER_ETHER");
}

/* An NFLOG TLV header in host byte order; returns 4. */
static size_t
put_tlv(uint8_t *p, uint16_t len, uint16_t type)
{
	memcpy(p, &len, 2);
	memcpy(p + 2, &type, 2);
	return 4;
}

/* NFLOG: header, TLVs in host order padded to 4, payload TLV (type 9). */
static void
test_nflog(void **state)
{
	uint8_t b[160];
	size_t off, pay;
	struct pkt p;

	(void)state;
	memset(b, 0, sizeof(b));
	b[0] = 2; b[1] = 0; b[2] = 0x00; b[3] = 0x14;	/* AF_INET, group 20 */
	off = 4;
	off += put_tlv(b + off, 8, 1);			/* packet header */
	off += 4;
	off += put_tlv(b + off, 5, 10);			/* prefix "x", padded */
	b[off] = 'x';
	off += 4;
	pay = off;
	off += put_tlv(b + off, 4 + 40, 9);		/* payload */
	off += put_v4_syn(b + off);
	assert_int_equal(off, pay + 44);
	assert_int_equal(dec(LINK_NFLOG, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 4);
	assert_int_equal(p.dport, 80);
	check_truncations(LINK_NFLOG, b, off, off, L4_TCP);
	/* IPv6, payload not a multiple of 4 and padded after */
	b[0] = 10;
	off = pay + put_tlv(b + pay, 4 + 56, 9);
	off += put_v6_udp(b + off);
	assert_int_equal(dec(LINK_NFLOG, b, off, off, &p), DECODE_OK);
	assert_int_equal(p.family, 6);
	check_truncations(LINK_NFLOG, b, off, off - 8, L4_UDP);
	/* the payload TLV bounds the datagram: IP claiming more is malformed */
	put_tlv(b + pay, 4 + 40, 9);
	assert_int_equal(dec(LINK_NFLOG, b, off, off, &p), DECODE_MALFORMED);
	put_tlv(b + pay, 4 + 56, 9);
	/* a TLV shorter than its header, or longer than the frame */
	put_tlv(b + 4, 3, 1);
	assert_int_equal(dec(LINK_NFLOG, b, off, off, &p), DECODE_MALFORMED);
	put_tlv(b + 4, 200, 1);
	assert_int_equal(dec(LINK_NFLOG, b, off, off, &p), DECODE_MALFORMED);
	put_tlv(b + 4, 8, 1);
	/* another family, another version, no payload TLV: not IP */
	b[0] = 7;
	assert_int_equal(dec(LINK_NFLOG, b, off, off, &p), DECODE_NOTIP);
	b[0] = 10; b[1] = 1;
	assert_int_equal(dec(LINK_NFLOG, b, off, off, &p), DECODE_NOTIP);
	b[1] = 0;
	assert_int_equal(dec(LINK_NFLOG, b, pay, pay, &p), DECODE_NOTIP);
	assert_string_equal(decode_link_name(LINK_NFLOG), "NFLOG");
}

/* ---- the Ethernet/IPv4 fast path against the general path ------------ */

static uint32_t
xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void
assert_same_pkt(const struct pkt *a, const struct pkt *b)
{
	assert_int_equal(a->iplen, b->iplen);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->vlan, b->vlan);
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->l4, b->l4);
	assert_int_equal(a->proto, b->proto);
	assert_int_equal(a->ttl, b->ttl);
	assert_int_equal(a->tcp_flags, b->tcp_flags);
	assert_int_equal(a->icmp_type, b->icmp_type);
	assert_int_equal(a->icmp_code, b->icmp_code);
	assert_int_equal(a->sport, b->sport);
	assert_int_equal(a->dport, b->dport);
	assert_int_equal(a->src.family, b->src.family);
	assert_memory_equal(a->src.b, b->src.b, 16);
	assert_int_equal(a->dst.family, b->dst.family);
	assert_memory_equal(a->dst.b, b->dst.b, 16);
}

/*
 * decode_frame() reads untagged Ethernet + IPv4 + TCP/UDP at fixed offsets
 * and leaves everything else to the general path. 300,000 mutants of a SYN
 * and a UDP datagram (header bytes overwritten with random and boundary
 * values, random capture and wire lengths) must decode exactly as the same
 * IPv4 bytes do through LINKTYPE_IPV4, which has no fast path.
 */
static void
test_fast_path_matches_general(void **state)
{
	static const uint8_t edge[] = { 0x00, 0x01, 0x05, 0x06, 0x11, 0x20,
	    0x3f, 0x40, 0x45, 0x46, 0x4f, 0x50, 0x7f, 0x80, 0xff };
	uint32_t seed = 20261206;
	uint8_t base[2][80], f[80];
	size_t blen[2];
	int i, fast = 0;

	(void)state;
	memset(base, 0, sizeof(base));
	blen[0] = put_eth(base[0], 0x0800);
	blen[0] += put_ipv4(base[0] + blen[0], 6, 20 + 20 + 6, 0, 0);
	blen[0] += put_tcp(base[0] + blen[0], TCP_SYN);
	blen[0] += 6;
	blen[1] = put_eth(base[1], 0x0800);
	blen[1] += put_ipv4(base[1] + blen[1], 17, 20 + 8 + 12, 0, 0);
	blen[1] += put_udp(base[1] + blen[1], 53, 4444, 8 + 12);
	blen[1] += 12;
	for (i = 0; i < 300000; i++) {
		int which = (int)(xorshift(&seed) & 1), k, nmut;
		size_t len = blen[which], caplen, wirelen;
		struct pkt got, want;
		enum decode_result rg, rw;
		uint8_t *cut;

		memcpy(f, base[which], len);
		nmut = (int)(xorshift(&seed) % 4);
		for (k = 0; k < nmut; k++) {
			size_t at = 14 + xorshift(&seed) % (len - 14);
			uint32_t r = xorshift(&seed);

			f[at] = (r & 1) ? edge[(r >> 1) % sizeof(edge)] :
			    (uint8_t)(r >> 8);
		}
		caplen = xorshift(&seed) % 2 ? len :
		    14 + xorshift(&seed) % (len - 14 + 1);
		wirelen = xorshift(&seed) % 4 == 0 ?
		    xorshift(&seed) % (len + 20) : len;
		/* exactly caplen bytes, so ASan sees any read past them */
		cut = malloc(caplen);
		assert_non_null(cut);
		memcpy(cut, f, caplen);
		rg = decode_frame(LINK_ETHERNET, cut, caplen, wirelen, &got);
		rw = decode_frame(LINK_IPV4, cut + 14, caplen - 14,
		    wirelen > 14 ? wirelen - 14 : 0, &want);
		assert_int_equal(rg, rw);
		assert_same_pkt(&got, &want);
		assert_memory_equal(got.mac_dst, cut, 6);
		assert_memory_equal(got.mac_src, cut + 6, 6);
		fast += rg == DECODE_OK && (got.flags & PKT_MALFORMED) == 0;
		free(cut);
	}
	/* most mutants still take the fast path, many do not */
	assert_true(fast > 75000 && fast < 225000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet_ipv4_tcp_syn),
		cmocka_unit_test(test_ethernet_macs),
		cmocka_unit_test(test_vlan_and_qinq),
		cmocka_unit_test(test_too_many_vlan_tags),
		cmocka_unit_test(test_ipv4_options_and_fragments),
		cmocka_unit_test(test_ipv4_inconsistent),
		cmocka_unit_test(test_ethernet_padding_ignored),
		cmocka_unit_test(test_ipv6_udp_zero_checksum),
		cmocka_unit_test(test_ipv6_plain_and_icmpv6),
		cmocka_unit_test(test_ipv6_extension_chain),
		cmocka_unit_test(test_ipv6_fragments),
		cmocka_unit_test(test_ipv6_endless_chain),
		cmocka_unit_test(test_linux_sll_and_sll2),
		cmocka_unit_test(test_null_loop_raw),
		cmocka_unit_test(test_pppoe_and_mpls),
		cmocka_unit_test(test_not_ip),
		cmocka_unit_test(test_other_protocols),
		cmocka_unit_test(test_version_nibble),
		cmocka_unit_test(test_ppp),
		cmocka_unit_test(test_chdlc),
		cmocka_unit_test(test_juniper_ether),
		cmocka_unit_test(test_nflog),
		cmocka_unit_test(test_fast_path_matches_general),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
