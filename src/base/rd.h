/*
 * rd.h -- bounds-checked reads from untrusted bytes (tcpdump's GET_*
 * discipline). Every parser reads through a struct rd; a read past the end
 * sets rd.bad and returns zero, so a parser checks rd.bad once per header
 * instead of once per field.
 */
#ifndef KYOCHO_RD_H
#define KYOCHO_RD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p;
	size_t len;		/* bytes readable at p */
	size_t off;		/* next byte to read */
	int bad;		/* a read went past len */
};

static inline void
rd_init(struct rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->bad = 0;
}

/* 1 if n more bytes are readable. */
static inline int
rd_has(const struct rd *r, size_t n)
{
	return !r->bad && r->len - r->off >= n;
}

static inline size_t
rd_left(const struct rd *r)
{
	return r->bad ? 0 : r->len - r->off;
}

/* Big-endian values at q, whose bytes the caller has already checked are
 * there (a fixed-offset read after one length check, as the NetFlow v5
 * records and decode.c's fast path do). */
static inline uint16_t
be16_get(const uint8_t *q)
{
	return (uint16_t)(q[0] << 8 | q[1]);
}

static inline uint32_t
be32_get(const uint8_t *q)
{
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
}

/* Pointer to the next n bytes, advancing past them; NULL (and bad) if short. */
static inline const uint8_t *
rd_take(struct rd *r, size_t n)
{
	const uint8_t *q;

	if (!rd_has(r, n)) {
		r->bad = 1;
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

static inline int
rd_skip(struct rd *r, size_t n)
{
	return rd_take(r, n) != NULL ? 0 : -1;
}

static inline uint8_t
rd_u8(struct rd *r)
{
	const uint8_t *q = rd_take(r, 1);
	return q != NULL ? q[0] : 0;
}

static inline uint16_t
rd_be16(struct rd *r)
{
	const uint8_t *q = rd_take(r, 2);
	return q != NULL ? be16_get(q) : 0;
}

static inline uint16_t
rd_le16(struct rd *r)
{
	const uint8_t *q = rd_take(r, 2);
	return q != NULL ? (uint16_t)(q[1] << 8 | q[0]) : 0;
}

/* In this host's byte order (fields that libpcap already swapped). */
static inline uint16_t
rd_he16(struct rd *r)
{
	const uint8_t *q = rd_take(r, 2);
	uint16_t v = 0;

	if (q != NULL)
		memcpy(&v, q, 2);
	return v;
}

static inline uint32_t
rd_be32(struct rd *r)
{
	const uint8_t *q = rd_take(r, 4);
	return q != NULL ? be32_get(q) : 0;
}

static inline uint32_t
rd_le32(struct rd *r)
{
	const uint8_t *q = rd_take(r, 4);
	return q != NULL ? (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 |
	    (uint32_t)q[1] << 8 | q[0] : 0;
}

static inline uint64_t
rd_be64(struct rd *r)
{
	uint64_t hi = rd_be32(r);
	return hi << 32 | rd_be32(r);
}

/* Copy n bytes into dst (zeros if short). Returns 0 or -1. */
static inline int
rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t *q = rd_take(r, n);

	if (q == NULL) {
		memset(dst, 0, n);
		return -1;
	}
	memcpy(dst, q, n);
	return 0;
}

/* A sub-reader over the next n bytes, advancing past them. */
static inline struct rd
rd_sub(struct rd *r, size_t n)
{
	struct rd s;
	const uint8_t *q = rd_take(r, n);

	rd_init(&s, q, q != NULL ? n : 0);
	s.bad = q == NULL;
	return s;
}

#endif
