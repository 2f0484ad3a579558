/*
 * mkcap.c -- deterministic capture generator for kyocho's tests and
 * benchmarks (never for sending: it only writes files).
 *
 *   mkcap syn N FILE [HEAVY_PERCENT]   N 60-byte SYN frames from random
 *                                      sources to 203.0.113.80 (one source
 *                                      198.51.100.77 takes HEAVY_PERCENT)
 *   mkcap mix FILE                     every kind of frame the decoder knows,
 *                                      valid and damaged
 *   mkcap flood PPS SECS FILE [T0]     a SYN flood of PPS frames a second
 *                                      for SECS seconds to 203.0.113.80
 *                                      from random sources, the first at
 *                                      second T0 since the epoch (default
 *                                      2025-11-26T00:00:00Z; 0 is the
 *                                      epoch itself, as in captures from
 *                                      clockless devices)
 *   mkcap scenario NAME FILE           a detection scenario: synflood,
 *                                      amplification, icmpflood, outbound,
 *                                      benign, fragflood, pingflood (echo
 *                                      requests in, our replies out),
 *                                      resolver (not an attack: our
 *                                      resolver's queries and answers)
 *   mkcap ingress FILE                 where attacks enter (issue 13): two
 *                                      peering routers told apart by MAC
 *                                      (A 02:00:5e:0a:00:01, B
 *                                      02:00:5e:0b:00:01; ours
 *                                      02:00:00:00:00:01): a spoofed SYN
 *                                      flood on 203.0.113.80 via A (s
 *                                      10-19) then via B (s 20-29); a DNS/
 *                                      NTP reflection on 203.0.113.90 from
 *                                      reflectors in three networks via B
 *                                      (s 40-49); a UDP flood from our
 *                                      customer's host 203.0.113.66 to
 *                                      198.51.100.200 out via A (s 60-69)
 *
 * Addresses: our "home" is 203.0.113.0/24 and 2001:db8:100::/48
 * (documentation ranges); foreign hosts use other documentation or
 * generated addresses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapw.h"

static uint64_t seed = 0x6b796f63686f0001ULL;

struct frame {
	uint8_t b[2048];
	size_t len;
};

/* The Ethernet addresses eth() writes (the ingress scenario changes them). */
static uint8_t eth_dst[6] = { 0x02, 0, 0, 0, 0, 1 };
static uint8_t eth_src[6] = { 0x02, 0, 0, 0, 0, 2 };

/* Ethernet header with optional VLAN tags (tpids[], 0-terminated). */
static size_t
eth(uint8_t *p, uint16_t type, const uint16_t *tpids, uint16_t vid)
{
	size_t off = 12;

	memcpy(p, eth_dst, 6);
	memcpy(p + 6, eth_src, 6);
	while (tpids != NULL && *tpids != 0) {
		put16(p + off, *tpids++);
		put16(p + off + 2, vid);
		off += 4;
	}
	put16(p + off, type);
	return off + 2;
}

/* IPv4 header (20 bytes + optlen); returns its length. */
static size_t
ipv4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto, uint16_t total,
    uint8_t ttl, uint16_t frag, size_t optlen)
{
	size_t hl = 20 + optlen;

	memset(p, 0, hl);
	p[0] = (uint8_t)(0x40 | (hl / 4));
	put16(p + 2, total);
	put16(p + 4, 0x1234);
	put16(p + 6, frag);
	p[8] = ttl;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	if (optlen > 0)
		p[20] = 1;	/* NOP options */
	memset(p + 20, 1, optlen);
	put16(p + 10, cksum(p, hl, 0));
	return hl;
}

static size_t
ipv6(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t nh,
    uint16_t plen, uint8_t hlim)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	put16(p + 4, plen);
	p[6] = nh;
	p[7] = hlim;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return 40;
}

static size_t
tcp(uint8_t *p, uint16_t sport, uint16_t dport, uint8_t flags, size_t optlen)
{
	size_t hl = 20 + optlen;

	memset(p, 0, hl);
	put16(p, sport);
	put16(p + 2, dport);
	put32(p + 4, (uint32_t)rnd(&seed));
	if (flags & 0x10)
		put32(p + 8, (uint32_t)rnd(&seed));
	p[12] = (uint8_t)((hl / 4) << 4);
	p[13] = flags;
	put16(p + 14, 65535);
	if (optlen >= 4) {
		p[20] = 2;	/* MSS */
		p[21] = 4;
		put16(p + 22, 1460);
		memset(p + 24, 1, optlen - 4);
	}
	return hl;
}

static size_t
udp(uint8_t *p, uint16_t sport, uint16_t dport, uint16_t len)
{
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, len);
	put16(p + 6, 0x5555);	/* not verified by anyone; never zero */
	return 8;
}

/* A complete Ethernet/IPv4 frame with a transport header and payload. */
static size_t
v4frame(uint8_t *b, uint32_t src, uint32_t dst, uint8_t proto, uint16_t sport,
    uint16_t dport, uint8_t flags, size_t payload, uint8_t ttl)
{
	size_t off = eth(b, 0x0800, NULL, 0), ip = off, l4len;

	if (proto == 6)
		l4len = 20 + (flags == 0x02 ? 4 : 0);
	else if (proto == 17)
		l4len = 8;
	else
		l4len = 8;
	off += ipv4(b + off, src, dst, proto, (uint16_t)(20 + l4len + payload),
	    ttl, 0x4000, 0);
	if (proto == 6)
		off += tcp(b + off, sport, dport, flags, l4len - 20);
	else if (proto == 17)
		off += udp(b + off, sport, dport, (uint16_t)(8 + payload));
	else {
		memset(b + off, 0, 8);
		b[off] = 8;	/* echo request */
		off += 8;
	}
	memset(b + off, 'k', payload);
	off += payload;
	(void)ip;
	if (off < 60) {
		memset(b + off, 0, 60 - off);
		off = 60;
	}
	return off;
}

static uint32_t
v4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)(a << 24 | b << 16 | c << 8 | d);
}

/* ---- syn: the benchmark flood ------------------------------------------ */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
gen_syn(long n, const char *path, double heavy)
{
	uint32_t *all = malloc((size_t)n * sizeof(uint32_t) + 4);
	long distinct = 0;
	struct pcapw w;
	uint8_t fr[60];
	long i;
	int64_t ts = 1764115200LL * 1000000;	/* 2025-11-26T00:00:00Z */
	uint64_t heavy_every = heavy > 0 ? (uint64_t)(100.0 / heavy) : 0;

	if (pcapw_open(&w, path, 1) != 0)
		return -1;
	v4frame(fr, 0, v4(203, 0, 113, 80), 6, 1024, 80, 0x02, 0, 64);
	for (i = 0; i < n; i++) {
		uint64_t r = rnd(&seed);
		uint32_t src = (uint32_t)r;

		if (heavy_every != 0 && (uint64_t)i % heavy_every == 0)
			src = v4(198, 51, 100, 77);
		put32(fr + 26, src);
		if (all != NULL)
			all[i] = src;
		put16(fr + 34, (uint16_t)(r >> 32));
		/* 1,000,000 frames per second of capture time */
		pcapw_frame(&w, ts + i, fr, 60, 60);
	}
	/* The truth the benchmark compares sources_est with. */
	if (all != NULL && n > 0) {
		qsort(all, (size_t)n, sizeof(uint32_t), cmp_u32);
		for (i = 0; i < n; i++)
			distinct += i == 0 || all[i] != all[i - 1];
		printf("distinct_sources %ld\n", distinct);
	}
	free(all);
	return pcapw_close(&w);
}

/* PPS SYN frames a second for secs seconds from second t0 on, evenly
 * spaced, the first at exactly t0. */
static int
gen_flood(long pps, long secs, const char *path, int64_t t0)
{
	struct pcapw w;
	uint8_t fr[60];
	long sec, k;

	if (pps <= 0 || pps > 1000000 || secs <= 0 || t0 < 0 ||
	    t0 > UINT32_MAX - secs) {
		fprintf(stderr, "mkcap: flood wants 0 < PPS <= 1000000, "
		    "SECS > 0 and 0 <= T0 < 2^32 - SECS\n");
		return -1;
	}
	if (pcapw_open(&w, path, 1) != 0)
		return -1;
	v4frame(fr, 0, v4(203, 0, 113, 80), 6, 1024, 80, 0x02, 0, 64);
	for (sec = 0; sec < secs; sec++)
		for (k = 0; k < pps; k++) {
			uint64_t r = rnd(&seed);

			put32(fr + 26, (uint32_t)r);
			put16(fr + 34, (uint16_t)(r >> 32));
			pcapw_frame(&w, (t0 + sec) * 1000000 + k * (1000000 / pps),
			    fr, 60, 60);
		}
	return pcapw_close(&w);
}

/* ---- mix: every decoder path --------------------------------------------- */

static const uint8_t h6a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t h6b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80 };

static int
gen_mix(const char *path)
{
	struct pcapw w;
	uint8_t b[2048];
	size_t off, n;
	int64_t ts = 1764115200LL * 1000000;
	int i;
	static const uint16_t vlan1[] = { 0x8100, 0 };
	static const uint16_t qinq[] = { 0x88a8, 0x8100, 0 };

	if (pcapw_open(&w, path, 1) != 0)
		return -1;
	for (i = 0; i < 50; i++) {
		ts += 10000;
		/* plain TCP handshake pieces */
		n = v4frame(b, v4(192, 0, 2, (unsigned)(i + 1)), v4(203, 0, 113, 10),
		    6, (uint16_t)(40000 + i), 443, 0x02, 0, 57);
		pcapw_frame(&w, ts, b, (uint32_t)n, (uint32_t)n);
		n = v4frame(b, v4(203, 0, 113, 10), v4(192, 0, 2, (unsigned)(i + 1)),
		    6, 443, (uint16_t)(40000 + i), 0x12, 0, 64);
		pcapw_frame(&w, ts + 100, b, (uint32_t)n, (uint32_t)n);
		n = v4frame(b, v4(192, 0, 2, (unsigned)(i + 1)), v4(203, 0, 113, 10),
		    6, (uint16_t)(40000 + i), 443, 0x10, 100, 57);
		pcapw_frame(&w, ts + 200, b, (uint32_t)n, (uint32_t)n);
		/* RST */
		n = v4frame(b, v4(203, 0, 113, 11), v4(198, 51, 100, 9), 6, 80,
		    (uint16_t)(50000 + i), 0x14, 0, 64);
		pcapw_frame(&w, ts + 300, b, (uint32_t)n, (uint32_t)n);
		/* UDP DNS */
		n = v4frame(b, v4(198, 51, 100, 53), v4(203, 0, 113, 20), 17, 40053,
		    (uint16_t)(45000 + i), 0, 120, 50);
		pcapw_frame(&w, ts + 400, b, (uint32_t)n, (uint32_t)n);
		/* ICMP echo */
		n = v4frame(b, v4(198, 51, 100, 1), v4(203, 0, 113, 20), 1, 0, 0, 0,
		    56, 50);
		pcapw_frame(&w, ts + 500, b, (uint32_t)n, (uint32_t)n);
	}
	/* 802.1Q and QinQ */
	for (i = 0; i < 10; i++) {
		ts += 1000;
		off = eth(b, 0x0800, i % 2 ? qinq : vlan1, 100);
		off += ipv4(b + off, v4(192, 0, 2, 50), v4(203, 0, 113, 30), 17,
		    20 + 8 + 20, 60, 0, 0);
		off += udp(b + off, 40123, 40124, 8 + 20);
		memset(b + off, 0, 20);
		off += 20;
		pcapw_frame(&w, ts, b, (uint32_t)off, (uint32_t)off);
	}
	/* IPv4 options */
	ts += 1000;
	off = eth(b, 0x0800, NULL, 0);
	off += ipv4(b + off, v4(192, 0, 2, 60), v4(203, 0, 113, 31), 6,
	    24 + 20, 60, 0, 4);
	off += tcp(b + off, 1234, 22, 0x02, 0);
	pcapw_frame(&w, ts, b, (uint32_t)off, (uint32_t)off);
	/* IPv4 fragments: first (with UDP header), middle, last */
	for (i = 0; i < 3; i++) {
		uint16_t fo = (uint16_t)(i * 185);	/* 1480 bytes / 8 */
		uint16_t flags = (uint16_t)((i < 2 ? 0x2000 : 0) | fo);
		size_t pl = 1480;

		ts += 1000;
		off = eth(b, 0x0800, NULL, 0);
		off += ipv4(b + off, v4(192, 0, 2, 70), v4(203, 0, 113, 40), 17,
		    (uint16_t)(20 + pl), 60, flags, 0);
		if (i == 0)
			udp(b + off, 53, 4444, 3000);
		memset(b + off + (i == 0 ? 8 : 0), 'f', pl - (i == 0 ? 8 : 0));
		off += pl;
		pcapw_frame(&w, ts, b, (uint32_t)off, (uint32_t)off);
	}
	/* IPv6: TCP, UDP, ICMPv6, and extension header chains */
	for (i = 0; i < 5; i++) {
		ts += 1000;
		off = eth(b, 0x86dd, NULL, 0);
		off += ipv6(b + off, h6a, h6b, 6, 24, 60);
		off += tcp(b + off, 50000, 443, 0x02, 4);
		pcapw_frame(&w, ts, b, (uint32_t)off, (uint32_t)off);

		off = eth(b, 0x86dd, NULL, 0);
		off += ipv6(b + off, h6a, h6b, 17, 16, 60);
		off += udp(b + off, 40000, 40001, 16);
		memset(b + off, 0, 8);
		off += 8;
		pcapw_frame(&w, ts + 10, b, (uint32_t)off, (uint32_t)off);

		off = eth(b, 0x86dd, NULL, 0);
		off += ipv6(b + off, h6b, h6a, 58, 8, 64);
		memset(b + off, 0, 8);
		b[off] = 128;	/* echo request */
		off += 8;
		pcapw_frame(&w, ts + 20, b, (uint32_t)off, (uint32_t)off);
	}
	/* hop-by-hop + destination options + routing, then UDP */
	ts += 1000;
	off = eth(b, 0x86dd, NULL, 0);
	off += ipv6(b + off, h6a, h6b, 0, 8 + 8 + 24 + 8 + 4, 60);
	b[off] = 60; b[off + 1] = 0; memset(b + off + 2, 0, 6); b[off + 2] = 1; b[off + 3] = 4;
	off += 8;
	b[off] = 43; b[off + 1] = 0; memset(b + off + 2, 0, 6); b[off + 2] = 1; b[off + 3] = 4;
	off += 8;
	b[off] = 17; b[off + 1] = 2; memset(b + off + 2, 0, 22); b[off + 2] = 0; b[off + 3] = 0;
	off += 24;
	off += udp(b + off, 1000, 2000, 12);
	memset(b + off, 0, 4);
	off += 4;
	pcapw_frame(&w, ts, b, (uint32_t)off, (uint32_t)off);
	/* IPv6 fragments: first with TCP header, then a later one */
	ts += 1000;
	off = eth(b, 0x86dd, NULL, 0);
	off += ipv6(b + off, h6a, h6b, 44, 8 + 20 + 100, 60);
	b[off] = 6; b[off + 1] = 0; put16(b + off + 2, 0x0001); put32(b + off + 4, 77);
	off += 8;
	off += tcp(b + off, 50001, 80, 0x18, 0);
	memset(b + off, 'x', 100);
	off += 100;
	pcapw_frame(&w, ts, b, (uint32_t)off, (uint32_t)off);
	off = eth(b, 0x86dd, NULL, 0);
	off += ipv6(b + off, h6a, h6b, 44, 8 + 64, 60);
	b[off] = 6; b[off + 1] = 0; put16(b + off + 2, (uint16_t)(16 << 3)); put32(b + off + 4, 77);
	off += 8;
	memset(b + off, 'y', 64);
	off += 64;
	pcapw_frame(&w, ts + 10, b, (uint32_t)off, (uint32_t)off);
	/* ARP (not IP) */
	ts += 1000;
	off = eth(b, 0x0806, NULL, 0);
	memset(b + off, 0, 28);
	put16(b + off, 1); put16(b + off + 2, 0x0800); b[off + 4] = 6; b[off + 5] = 4; put16(b + off + 6, 1);
	off += 28;
	memset(b + off, 0, 60 - off);
	pcapw_frame(&w, ts, b, 60, 60);
	/* ICMP port unreachable carrying a UDP header */
	ts += 1000;
	off = eth(b, 0x0800, NULL, 0);
	off += ipv4(b + off, v4(203, 0, 113, 20), v4(198, 51, 100, 53), 1,
	    20 + 8 + 28, 64, 0, 0);
	memset(b + off, 0, 8);
	b[off] = 3; b[off + 1] = 3;
	off += 8;
	off += ipv4(b + off, v4(198, 51, 100, 53), v4(203, 0, 113, 20), 17, 28,
	    50, 0, 0);
	off += udp(b + off, 53, 9999, 8);
	pcapw_frame(&w, ts, b, (uint32_t)off, (uint32_t)off);
	/* Damaged frames: truncated inside IPv4, TCP, IPv6; bad IHL; bad version */
	ts += 1000;
	n = v4frame(b, v4(192, 0, 2, 99), v4(203, 0, 113, 99), 6, 1, 2, 0x02, 0, 64);
	pcapw_frame(&w, ts, b, 14 + 12, (uint32_t)n);	/* cut in IPv4 */
	pcapw_frame(&w, ts + 1, b, 14 + 20 + 10, (uint32_t)n);	/* cut in TCP */
	b[14] = 0x43;	/* IHL 3 */
	pcapw_frame(&w, ts + 2, b, (uint32_t)n, (uint32_t)n);
	off = eth(b, 0x86dd, NULL, 0);
	off += ipv6(b + off, h6a, h6b, 6, 20, 60);
	pcapw_frame(&w, ts + 3, b, 14 + 30, 14 + 60);	/* cut in IPv6 */
	pcapw_frame(&w, ts + 4, b, 10, 60);		/* cut in Ethernet */
	/* Version nibbles that contradict the EtherType: IP of neither
	 * family (tcpdump: "IP6 version error"; tshark: no addresses). */
	n = v4frame(b, v4(192, 0, 2, 98), v4(203, 0, 113, 98), 17, 1, 2, 0, 8, 64);
	b[14] = 0x55;				/* version 5 in IPv4 */
	pcapw_frame(&w, ts + 5, b, (uint32_t)n, (uint32_t)n);
	b[12] = 0x86; b[13] = 0xdd; b[14] = 0x45;	/* IPv4 in IPv6 */
	pcapw_frame(&w, ts + 6, b, (uint32_t)n, (uint32_t)n);
	off = eth(b, 0x86dd, NULL, 0);
	off += ipv6(b + off, h6a, h6b, 17, 16, 60);
	off += udp(b + off, 40000, 40001, 16);
	memset(b + off, 0, 8);
	off += 8;
	b[14] = 0x50;				/* version 5 in IPv6 */
	pcapw_frame(&w, ts + 7, b, (uint32_t)off, (uint32_t)off);
	return pcapw_close(&w);
}

/* ---- detection scenarios --------------------------------------------------- */

static int
gen_scenario(const char *name, const char *path)
{
	struct pcapw w;
	uint8_t b[2048];
	size_t n;
	int64_t t0 = 1764115200LL * 1000000, ts;
	int sec, k;
	uint32_t victim = v4(203, 0, 113, 80);

	if (pcapw_open(&w, path, 1) != 0)
		return -1;
	/* 30 seconds; benign background throughout; the attack from 10 to 20. */
	for (sec = 0; sec < 30; sec++) {
		int attack = sec >= 10 && sec < 20 && strcmp(name, "benign") != 0;

		/* benign: 200 pps of web traffic from 50 clients, handshakes */
		for (k = 0; k < 200; k++) {
			unsigned c = (unsigned)(k % 50) + 1;
			uint8_t fl = k % 4 == 0 ? 0x02 : 0x10;

			ts = t0 + (int64_t)sec * 1000000 + k * 5000;
			n = v4frame(b, v4(192, 0, 2, c), v4(203, 0, 113, 10), 6,
			    (uint16_t)(40000 + c), 443, fl, fl == 0x10 ? 200 : 0,
			    (uint8_t)(50 + c % 7));
			pcapw_frame(&w, ts, b, (uint32_t)n, (uint32_t)n);
		}
		if (!attack)
			continue;
		for (k = 0; k < 5000; k++) {
			uint64_t r = rnd(&seed);

			ts = t0 + (int64_t)sec * 1000000 + k * 200 + 100;
			if (strcmp(name, "synflood") == 0)
				n = v4frame(b, (uint32_t)r, victim, 6,
				    (uint16_t)(r >> 32), 80, 0x02, 0, 64);
			else if (strcmp(name, "amplification") == 0) {
				static const uint16_t ports[] = { 53, 123, 11211, 1900 };
				unsigned refl = (unsigned)(r % 300);

				n = v4frame(b, v4(198, 18, refl / 256, refl % 256) ^
				    (uint32_t)(((r >> 40) % 4) << 16), victim, 17,
				    ports[(r >> 20) % 4], 4444, 0, 400,
				    (uint8_t)(40 + r % 20));
			} else if (strcmp(name, "icmpflood") == 0)
				n = v4frame(b, (uint32_t)r, victim, 1, 0, 0, 0, 56, 64);
			else if (strcmp(name, "pingflood") == 0) {
				/* one real flooder, and our victim's echo replies */
				n = v4frame(b, v4(198, 51, 100, 99), victim, 1, 0, 0, 0,
				    56, 50);
				pcapw_frame(&w, ts, b, (uint32_t)n, (uint32_t)n);
				n = v4frame(b, victim, v4(198, 51, 100, 99), 1, 0, 0, 0,
				    56, 64);
				b[34] = 0;	/* echo reply */
				ts += 50;
			} else if (strcmp(name, "resolver") == 0) {
				/* not an attack: our resolver's queries to 300
				 * authoritative servers (even k), and their
				 * answers (odd k): 2500/s each way */
				static uint32_t srv;
				static uint16_t port;

				if (k % 2 == 0) {
					unsigned auth = (unsigned)(r % 300);

					srv = v4(198, 18, auth / 256, auth % 256);
					port = (uint16_t)(1024 + (r >> 32) % 60000);
					n = v4frame(b, victim, srv, 17, port, 53, 0,
					    40, 64);
				} else
					n = v4frame(b, srv, victim, 17, 53, port, 0,
					    300, 50);
			} else if (strcmp(name, "outbound") == 0)
				n = v4frame(b, v4(203, 0, 113, 66), v4(198, 51, 100, 200),
				    17, (uint16_t)r, 80, 0, 100, 64);
			else if (strcmp(name, "fragflood") == 0) {
				size_t off = eth(b, 0x0800, NULL, 0);
				off += ipv4(b + off, (uint32_t)r, victim, 17, 1000, 64,
				    (uint16_t)(0x2000 | 100), 0);
				memset(b + off, 0, 980);
				n = off + 980;
			} else {
				fprintf(stderr, "mkcap: unknown scenario '%s'\n", name);
				pcapw_close(&w);
				return -1;
			}
			pcapw_frame(&w, ts, b, (uint32_t)n, (uint32_t)n);
		}
	}
	return pcapw_close(&w);
}

/* ---- where attacks enter ------------------------------------------------ */

static const uint8_t mac_ours[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac_peer_a[6] = { 0x02, 0x00, 0x5e, 0x0a, 0x00, 0x01 };
static const uint8_t mac_peer_b[6] = { 0x02, 0x00, 0x5e, 0x0b, 0x00, 0x01 };

/* Frames from neighbour `from` to our router (from == NULL: from our
 * router to neighbour `to`). */
static void
via(const uint8_t *from, const uint8_t *to)
{
	memcpy(eth_src, from != NULL ? from : mac_ours, 6);
	memcpy(eth_dst, from != NULL ? mac_ours : to, 6);
}

static int
gen_ingress(const char *path)
{
	struct pcapw w;
	uint8_t b[2048];
	size_t n;
	int64_t t0 = 1764115200LL * 1000000, ts;
	int sec, k;
	/* reflectors in three networks (documentation and benchmark
	 * ranges): 100 each */
	static const uint32_t nets[3] = { 0xc6120000u /* 198.18.0.0 */,
	    0xc6130000u /* 198.19.0.0 */, 0xc0000200u /* 192.0.2.0 */ };

	if (pcapw_open(&w, path, 1) != 0)
		return -1;
	for (sec = 0; sec < 80; sec++) {
		/* benign: 200 pps of web traffic from 50 clients via A */
		for (k = 0; k < 200; k++) {
			unsigned c = (unsigned)(k % 50) + 1;
			uint8_t fl = k % 4 == 0 ? 0x02 : 0x10;

			via(mac_peer_a, NULL);
			ts = t0 + (int64_t)sec * 1000000 + k * 5000;
			n = v4frame(b, v4(192, 0, 2, c), v4(203, 0, 113, 10), 6,
			    (uint16_t)(40000 + c), 443, fl, fl == 0x10 ? 200 : 0,
			    (uint8_t)(50 + c % 7));
			pcapw_frame(&w, ts, b, (uint32_t)n, (uint32_t)n);
		}
		for (k = 0; k < 5000; k++) {
			uint64_t r = rnd(&seed);

			ts = t0 + (int64_t)sec * 1000000 + k * 200 + 100;
			if (sec >= 10 && sec < 30) {
				/* the spoofed flood moves from A to B */
				via(sec < 20 ? mac_peer_a : mac_peer_b, NULL);
				n = v4frame(b, (uint32_t)r, v4(203, 0, 113, 80),
				    6, (uint16_t)(r >> 32), 80, 0x02, 0, 64);
			} else if (sec >= 40 && sec < 50) {
				uint32_t net = nets[k % 3];

				via(mac_peer_b, NULL);
				n = v4frame(b, net | (uint32_t)((r >> 8) % 100 +
				    1), v4(203, 0, 113, 90), 17,
				    k % 2 ? 53 : 123, 4444, 0, 400,
				    (uint8_t)(40 + r % 20));
			} else if (sec >= 60 && sec < 70) {
				via(NULL, mac_peer_a);
				n = v4frame(b, v4(203, 0, 113, 66),
				    v4(198, 51, 100, 200), 17, (uint16_t)r, 80,
				    0, 100, 64);
			} else
				break;
			pcapw_frame(&w, ts, b, (uint32_t)n, (uint32_t)n);
		}
	}
	return pcapw_close(&w);
}

int
main(int argc, char **argv)
{
	int rc = -1;

	if (argc >= 4 && strcmp(argv[1], "syn") == 0)
		rc = gen_syn(atol(argv[2]), argv[3], argc > 4 ? atof(argv[4]) : 0);
	else if ((argc == 5 || argc == 6) && strcmp(argv[1], "flood") == 0)
		rc = gen_flood(atol(argv[2]), atol(argv[3]), argv[4],
		    argc == 6 ? atoll(argv[5]) : 1764115200LL);
	else if (argc == 3 && strcmp(argv[1], "mix") == 0)
		rc = gen_mix(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "scenario") == 0)
		rc = gen_scenario(argv[2], argv[3]);
	else if (argc == 3 && strcmp(argv[1], "ingress") == 0)
		rc = gen_ingress(argv[2]);
	else {
		fprintf(stderr, "usage: mkcap syn N FILE [HEAVY%%] | "
		    "flood PPS SECS FILE [T0] | mix FILE | scenario NAME FILE | "
		    "ingress FILE\n");
		return 2;
	}
	if (rc != 0) {
		perror("mkcap");
		return 1;
	}
	return 0;
}
