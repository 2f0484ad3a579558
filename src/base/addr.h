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
/* 1 if a is inside p. */
int prefix_contains(const struct prefix *p, const struct addr *a);
/* 1 if a is inside one of the n prefixes at list. */
int prefix_list_contains(const struct prefix *list, size_t n,
    const struct addr *a);
/* memcmp-style order: IPv4 before IPv6, then by bytes. */
int addr_cmp(const struct addr *a, const struct addr *b);
/* A 64-bit mixing hash of the address (seeded; for tables and sketches). */
uint64_t addr_hash(const struct addr *a, uint64_t seed);
/* Build an IPv4 address from a host-order 32-bit value. */
void addr_from_v4(struct addr *a, uint32_t v4);
/* The IPv4 value in host order (a->family must be 4). */
uint32_t addr_v4(const struct addr *a);

#endif
