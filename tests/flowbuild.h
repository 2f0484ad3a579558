/*
 * flowbuild.h -- build sFlow, NetFlow and IPFIX datagrams by hand, for the
 * unit tests and the fuzz seed writer (header-only; test code).
 */
#ifndef KYOCHO_FLOWBUILD_H
#define KYOCHO_FLOWBUILD_H

#include <stdint.h>
#include <string.h>

struct fb {
	uint8_t b[65536];
	size_t n;
};

static inline size_t
fb_u8(struct fb *f, uint8_t v)
{
	f->b[f->n] = v;
	return f->n++;
}

static inline size_t
fb_u16(struct fb *f, uint16_t v)
{
	size_t at = f->n;

	f->b[f->n++] = (uint8_t)(v >> 8);
	f->b[f->n++] = (uint8_t)v;
	return at;
}

static inline size_t
fb_u32(struct fb *f, uint32_t v)
{
	size_t at = f->n;

	fb_u16(f, (uint16_t)(v >> 16));
	fb_u16(f, (uint16_t)v);
	return at;
}

static inline void
fb_u64(struct fb *f, uint64_t v)
{
	fb_u32(f, (uint32_t)(v >> 32));
	fb_u32(f, (uint32_t)v);
}

static inline void
fb_bytes(struct fb *f, const void *p, size_t n)
{
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static inline void
fb_put16(struct fb *f, size_t at, uint16_t v)
{
	f->b[at] = (uint8_t)(v >> 8);
	f->b[at + 1] = (uint8_t)v;
}

static inline void
fb_put32(struct fb *f, size_t at, uint32_t v)
{
	fb_put16(f, at, (uint16_t)(v >> 16));
	fb_put16(f, at + 2, (uint16_t)v);
}

/* An Ethernet + IPv4 + TCP frame (54 bytes) into f. */
static inline void
fb_eth_tcp4(struct fb *f, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, uint8_t flags, uint16_t iplen, uint8_t ttl)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

	fb_bytes(f, mac, 12);
	fb_u16(f, 0x0800);
	fb_u8(f, 0x45);
	fb_u8(f, 0);
	fb_u16(f, iplen);
	fb_u16(f, 1);
	fb_u16(f, 0x4000);
	fb_u8(f, ttl);
	fb_u8(f, 6);
	fb_u16(f, 0);		/* checksum: not checked */
	fb_u32(f, src);
	fb_u32(f, dst);
	fb_u16(f, sport);
	fb_u16(f, dport);
	fb_u32(f, 1);
	fb_u32(f, 0);
	fb_u8(f, 0x50);
	fb_u8(f, flags);
	fb_u16(f, 65535);
	fb_u16(f, 0);
	fb_u16(f, 0);
}

#endif
