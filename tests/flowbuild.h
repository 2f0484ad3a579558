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

/* n 16-bit (32-bit) values in a row: FB_U16S(f, 8, 4, 12, 4) for a
 * template's (type, length) pairs, FB_U32S(f, ...) for sFlow fields. */
static inline void
fb_u16v(struct fb *f, const uint16_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fb_u16(f, v[i]);
}

static inline void
fb_u32v(struct fb *f, const uint32_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fb_u32(f, v[i]);
}

#define FB_U16S(f, ...) fb_u16v((f), (const uint16_t[]){ __VA_ARGS__ }, \
	sizeof((const uint16_t[]){ __VA_ARGS__ }) / sizeof(uint16_t))
#define FB_U32S(f, ...) fb_u32v((f), (const uint32_t[]){ __VA_ARGS__ }, \
	sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

/*
 * A NetFlow v9 / IPFIX set (RFC 3954 5.2, RFC 7011 3.3.2): a 16-bit set
 * or template id and a 16-bit length of the whole set. fb_set_begin
 * writes the id and a placeholder and returns where the set starts;
 * fb_set_end patches the length to what was written since.
 */
static inline size_t
fb_set_begin(struct fb *f, uint16_t id)
{
	size_t at = fb_u16(f, id);

	fb_u16(f, 0);
	return at;
}

static inline void
fb_set_end(struct fb *f, size_t at)
{
	fb_put16(f, at + 2, (uint16_t)(f->n - at));
}

/* fb_set_end after zero bytes up to a multiple of 4 (v9 padding). */
static inline void
fb_set_end_pad4(struct fb *f, size_t at)
{
	while ((f->n - at) % 4 != 0)
		fb_u8(f, 0);
	fb_set_end(f, at);
}

/*
 * An sFlow v5 sample or record (sFlow v5 spec, "sample_record" and
 * "flow_record"): a 32-bit format and a 32-bit length of what follows.
 * fb_rec_begin returns where the length is; fb_rec_end patches it.
 */
static inline size_t
fb_rec_begin(struct fb *f, uint32_t format)
{
	fb_u32(f, format);
	return fb_u32(f, 0);
}

static inline void
fb_rec_end(struct fb *f, size_t lenat)
{
	fb_put32(f, lenat, (uint32_t)(f->n - lenat - 4));
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
