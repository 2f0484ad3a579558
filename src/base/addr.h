/*
 * addr.h -- IPv4/IPv6 addresses and prefixes.
 *
 * An address is 16 bytes plus a family; IPv4 is kept in the first four
 * bytes with the rest zero, so two addresses compare with memcmp and hash
 * the same way whatever their family.
 */
#ifndef KYOCHO_ADDR_H
#define KYOCHO_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/util.h"

#define ADDR_STRLEN 46		/* INET6_ADDRSTRLEN */

struct addr {
	uint8_t family;		/* 4 or 6; 0 means none */
	uint8_t b[16];
};

struct prefix {
	struct addr addr;	/* host bits cleared */
	uint8_t len;		/* 0..32 or 0..128 */
};

/* Parse "192.0.2.1" or "2001:db8::1". Returns 0 or -1. */
int addr_parse(const char *s, struct addr *a);
/* Format into buf (ADDR_STRLEN bytes). Returns buf. */
char *addr_format(const struct addr *a, char *buf, size_t len);
/* Parse "192.0.2.0/24", "2001:db8::/32" or a bare address (host prefix).
 * Host bits are cleared. Returns 0 or -1. */
int prefix_parse(const char *s, struct prefix *p);
char *prefix_format(const struct prefix *p, char *buf, size_t len);
/* memcmp-style order: IPv4 before IPv6, then by bytes. */
int addr_cmp(const struct addr *a, const struct addr *b);

/*
 * What follows is inline: the analysis thread calls it several times per
 * packet (the target's table, the source's sketches, the home prefixes),
 * where a call and a library memcmp cost more than the work.
 */

/* 1 if a and b are the same address (addr_cmp() == 0). */
static inline int
addr_eq(const struct addr *a, const struct addr *b)
{
	uint64_t a0, a1, b0, b1;

	memcpy(&a0, a->b, 8);
	memcpy(&a1, a->b + 8, 8);
	memcpy(&b0, b->b, 8);
	memcpy(&b1, b->b + 8, 8);
	return a->family == b->family && ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* A 64-bit mixing hash of the address (seeded; for tables and sketches). */
static inline uint64_t
addr_hash(const struct addr *a, uint64_t seed)
{
	uint64_t lo, hi;

	memcpy(&lo, a->b, 8);
	memcpy(&hi, a->b + 8, 8);
	return mix64(lo ^ mix64(hi ^ seed ^ a->family));
}

static inline uint64_t
addr_be64(const uint8_t *b)
{
	uint64_t v;

	memcpy(&v, b, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* 1 if a is inside p: two masked 64-bit compares (home prefixes are
 * checked per packet). */
static inline int
prefix_contains(const struct prefix *p, const struct addr *a)
{
	uint64_t d0, d1;
	unsigned len = p->len > 128 ? 128 : p->len;

	if (p->addr.family != a->family)
		return 0;
	d0 = addr_be64(p->addr.b) ^ addr_be64(a->b);
	d1 = addr_be64(p->addr.b + 8) ^ addr_be64(a->b + 8);
	if (len <= 64)
		return len == 0 || (d0 & (~0ULL << (64 - len))) == 0;
	return d0 == 0 && (d1 & (~0ULL << (128 - len))) == 0;
}

/* 1 if a is inside one of the n prefixes at list. */
static inline int
prefix_list_contains(const struct prefix *list, size_t n,
    const struct addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (prefix_contains(&list[i], a))
			return 1;
	return 0;
}

/* Build an IPv4 address from a host-order 32-bit value. */
void addr_from_v4(struct addr *a, uint32_t v4);
/* The IPv4 value in host order (a->family must be 4). */
uint32_t addr_v4(const struct addr *a);

#endif
