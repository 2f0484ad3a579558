/*
 * addr.c -- parse, format, compare and hash IP addresses and prefixes.
 */
#include "base/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
addr_parse(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, a->b) != 1)
			return -1;
		a->family = 6;
		return 0;
	}
	if (inet_pton(AF_INET, s, a->b) != 1)
		return -1;
	a->family = 4;
	return 0;
}

char *
addr_format(const struct addr *a, char *buf, size_t len)
{
	if (a->family == 4) {
		if (inet_ntop(AF_INET, a->b, buf, (socklen_t)len) == NULL)
			snprintf(buf, len, "?");
	} else if (a->family == 6) {
		if (inet_ntop(AF_INET6, a->b, buf, (socklen_t)len) == NULL)
			snprintf(buf, len, "?");
	} else
		snprintf(buf, len, "-");
	return buf;
}

static void
clear_host_bits(struct addr *a, unsigned len)
{
	unsigned i, max = a->family == 4 ? 4 : 16;

	for (i = 0; i < max; i++) {
		if (len >= 8 * (i + 1))
			continue;
		if (len <= 8 * i)
			a->b[i] = 0;
		else
			a->b[i] &= (uint8_t)(0xff << (8 - (len - 8 * i)));
	}
}

int
prefix_parse(const char *s, struct prefix *p)
{
	char buf[64], *slash, *end;
	long len;
	unsigned max;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (addr_parse(buf, &p->addr) != 0)
		return -1;
	max = p->addr.family == 4 ? 32 : 128;
	if (slash == NULL)
		len = max;
	else {
		if (slash[1] == '\0' || slash[1] == '-' || slash[1] == '+')
			return -1;
		len = strtol(slash + 1, &end, 10);
		if (*end != '\0' || len < 0 || len > (long)max)
			return -1;
	}
	p->len = (uint8_t)len;
	clear_host_bits(&p->addr, (unsigned)len);
	return 0;
}

char *
prefix_format(const struct prefix *p, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", addr_format(&p->addr, a, sizeof(a)), p->len);
	return buf;
}

int
addr_cmp(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->b, b->b, 16);
}

void
addr_from_v4(struct addr *a, uint32_t v4)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	a->b[0] = (uint8_t)(v4 >> 24);
	a->b[1] = (uint8_t)(v4 >> 16);
	a->b[2] = (uint8_t)(v4 >> 8);
	a->b[3] = (uint8_t)v4;
}

uint32_t
addr_v4(const struct addr *a)
{
	return (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 |
	    (uint32_t)a->b[2] << 8 | a->b[3];
}
