/*
 * tool.h -- small helpers the generators and benchmarks in tools/ share
 * (header-only: each tools/NAME.c is a program of its own). Not part of
 * kyocho itself.
 */
#ifndef KYOCHO_TOOL_H
#define KYOCHO_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Big-endian (network order) stores. */
static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The same at offset at of b; return the offset after what was stored. */
static inline size_t
p16(uint8_t *b, size_t at, uint16_t v)
{
	put16(b + at, v);
	return at + 2;
}

static inline size_t
p32(uint8_t *b, size_t at, uint32_t v)
{
	put32(b + at, v);
	return at + 4;
}

/* Internet checksum (RFC 1071) over n bytes, plus an initial sum. */
static inline uint16_t
cksum(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Seconds on the monotonic clock, for timing against a floor. */
static inline double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A NetFlow v5 datagram of nrec records (at most 30) into b, which needs
 * 24 + 48 * nrec bytes; returns its length. Export time now (Unix
 * seconds), flow sequence seq; record i is a TCP flow (3 packets, 1200
 * octets, PSH+ACK) from 198.51.100.((salt + i) & 0xff):(1024 + i) to
 * 203.0.113.(i % 20):443, ifIndex 1 -> 2.
 */
static inline size_t
flowgen_v5(uint8_t *b, int nrec, uint32_t seq, uint32_t now, uint32_t salt)
{
	size_t at = 0;
	int i;

	at = p16(b, at, 5);
	at = p16(b, at, (uint16_t)nrec);
	at = p32(b, at, 100000);
	at = p32(b, at, now);
	at = p32(b, at, 0);
	at = p32(b, at, seq);
	at = p32(b, at, 0);
	for (i = 0; i < nrec; i++) {
		at = p32(b, at, 0xc6336400 | ((salt + (uint32_t)i) & 0xff));
		at = p32(b, at, 0xcb007100 | (uint32_t)(i % 20));
		at = p32(b, at, 0);
		at = p16(b, at, 1);
		at = p16(b, at, 2);
		at = p32(b, at, 3);		/* packets */
		at = p32(b, at, 1200);		/* octets */
		at = p32(b, at, 99000);
		at = p32(b, at, 99900);
		at = p16(b, at, (uint16_t)(1024 + i));
		at = p16(b, at, 443);
		b[at++] = 0;
		b[at++] = 0x18;			/* PSH+ACK */
		b[at++] = 6;
		b[at++] = 0;
		at = p32(b, at, 0);
		at = p32(b, at, 0);
	}
	return at;
}

#endif
