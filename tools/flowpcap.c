/*
 * flowpcap.c -- write a deterministic Ethernet pcap of mixed traffic for
 * the telemetry tests: TCP sessions, UDP, ICMP echo, IPv6 TCP, and a SYN
 * flood from spoofed sources towards 203.0.113.66:80.
 *
 * usage: flowpcap OUT.pcap [PACKETS [SEED [V6PERCENT]]]
 * Packets are spread over ten seconds starting 2026-11-26T00:00:00Z.
 * Truth is for the reader to count (tshark, capinfos): nothing is printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static uint64_t rng = 88172645463325252ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void
le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, f);
}

/* Build one frame into fr; returns its length. l4: 6, 17, 1 (IPv4) or 6
 * over IPv6 when v6. payload bytes after the transport header. */
static size_t
frame(uint8_t *fr, int v6, uint32_t src, uint32_t dst, uint8_t l4,
    uint16_t sport, uint16_t dport, uint8_t flags, size_t payload)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	size_t ip = 14, th, thlen, iplen, hl = v6 ? 40 : 20;

	memcpy(fr, mac, 12);
	put16(fr + 12, v6 ? 0x86dd : 0x0800);
	thlen = l4 == 6 ? 20 : 8;
	iplen = hl + thlen + payload;
	th = ip + hl;
	memset(fr + ip, 0, iplen);
	if (v6) {
		fr[ip] = 0x60;
		put16(fr + ip + 4, (uint16_t)(thlen + payload));
		fr[ip + 6] = l4;
		fr[ip + 7] = 64;
		put32(fr + ip + 8, 0x20010db8);
		put32(fr + ip + 20, src);
		put32(fr + ip + 24, 0x20010db8);
		put32(fr + ip + 36, dst);
	} else {
		fr[ip] = 0x45;
		put16(fr + ip + 2, (uint16_t)iplen);
		put16(fr + ip + 4, (uint16_t)rnd());
		fr[ip + 8] = 64;
		fr[ip + 9] = l4;
		put32(fr + ip + 12, src);
		put32(fr + ip + 16, dst);
		put16(fr + ip + 10, cksum(fr + ip, 20, 0));
	}
	if (l4 == 6) {
		put16(fr + th, sport);
		put16(fr + th + 2, dport);
		put32(fr + th + 4, rnd());
		put32(fr + th + 8, flags & 0x10 ? rnd() : 0);
		fr[th + 12] = 0x50;
		fr[th + 13] = flags;
		put16(fr + th + 14, 65535);
	} else if (l4 == 17) {
		put16(fr + th, sport);
		put16(fr + th + 2, dport);
		put16(fr + th + 4, (uint16_t)(8 + payload));
	} else {
		fr[th] = 8;		/* echo request */
		put16(fr + th + 4, (uint16_t)rnd());
	}
	return 14 + iplen;
}

int
main(int argc, char **argv)
{
	uint8_t fr[1600];
	FILE *f;
	long n = 20000, i, v6pct = 0;
	uint64_t t0 = 1795651200ULL * 1000000, ts;	/* 2026-11-26 */
	size_t len;

	if (argc < 2) {
		fprintf(stderr, "usage: flowpcap OUT.pcap [PACKETS [SEED "
		    "[V6PERCENT]]]\n");
		return 2;
	}
	if (argc > 2)
		n = atol(argv[2]);
	if (argc > 3)
		rng ^= (uint64_t)atol(argv[3]) * 0x9e3779b97f4a7c15ULL;
	if (argc > 4)
		v6pct = atol(argv[4]);
	if (n <= 0 || (f = fopen(argv[1], "wb")) == NULL) {
		fprintf(stderr, "flowpcap: cannot write %s\n", argv[1]);
		return 1;
	}
	le32(f, 0xa1b2c3d4);
	le32(f, 0x00040002);
	le32(f, 0);
	le32(f, 0);
	le32(f, 65535);
	le32(f, 1);
	for (i = 0; i < n; i++) {
		uint32_t r = rnd() % 100, s = rnd();
		uint32_t client = 0xc6336400 | (s % 200 + 1);	/* 198.51.100.x */
		uint32_t server = 0xcb007100 | (s % 20 + 1);	/* 203.0.113.x */

		if ((long)(rnd() % 100) < v6pct)
			len = frame(fr, 1, s % 500 + 1, s % 7 + 1, 6,
			    (uint16_t)(40000 + s % 300), 443, 0x18,
			    rnd() % 1200);
		else if (r < 40)
			len = frame(fr, 0, client, server, 6,
			    (uint16_t)(30000 + s % 400), s & 1 ? 443 : 80,
			    0x18, rnd() % 1400);
		else if (r < 65)
			len = frame(fr, 0, client, server, 17,
			    (uint16_t)(10000 + s % 300), 53, 0, rnd() % 400);
		else if (r < 70)
			len = frame(fr, 0, client, server, 1, 0, 0, 0, 56);
		else	/* SYN flood from spoofed sources */
			len = frame(fr, 0, rnd() | 0x01000000, 0xcb007142, 6,
			    (uint16_t)(rnd() | 1024), 80, 0x02, 0);
		ts = t0 + (uint64_t)i * 10000000 / (uint64_t)n;
		le32(f, (uint32_t)(ts / 1000000));
		le32(f, (uint32_t)(ts % 1000000));
		le32(f, (uint32_t)len);
		le32(f, (uint32_t)len);
		fwrite(fr, 1, len, f);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "flowpcap: write error on %s\n", argv[1]);
		return 1;
	}
	return 0;
}
