/*
 * names.c -- a small bounded cache of reverse names for the screens
 * (names.h). RFC 1035 3.5 (in-addr.arpa), RFC 3596 2.5 (ip6.arpa) are
 * src/enrich/dns.c's business; this file only remembers answers.
 */
#include "engine/names.h"

#include <stdio.h>
#include <string.h>

#include "enrich/dns.h"
#include "settings/config.h"
#include "base/util.h"

#define NAME_LEN	128

struct slot {
	struct addr addr;	/* family 0: free */
	enum names_state state;
	enum names_state ostate;	/* the origin; NAMES_OFF: not asked */
	uint32_t asn;
	char country[3];
	int ref;		/* clock bit: used since the hand passed */
	char name[NAME_LEN];
};

static struct dns *dns;
static struct slot slots[NAMES_SLOTS];
static size_t hand, npending;
static int changed;

_Static_assert(NAMES_MAX_FDS >= DNS_MAX_FDS, "names_pollfds holds dns's");

static void
names_reset(void)
{
	memset(slots, 0, sizeof(slots));
	hand = npending = 0;
	changed = 0;
}

int
names_start(const struct options *o, char *errbuf)
{
	struct dns_settings ds;

	names_stop();
	config_enrich_settings(o, NULL, &ds);
	if ((dns = dns_new(&ds, errbuf)) == NULL)
		return -1;
	return 0;
}

void
names_stop(void)
{
	dns_free(dns);
	dns = NULL;
	names_reset();
}

int
names_pollfds(struct pollfd *pfd, int max)
{
	int n;

	if (dns == NULL)
		return 0;
	n = dns_pollfds(dns, pfd, max);
	return n < 0 ? 0 : n;
}

int
names_timeout_ms(void)
{
	return dns != NULL ? dns_timeout_ms(dns) : -1;
}

void
names_process(struct pollfd *pfd, int n)
{
	if (dns != NULL)
		dns_process(dns, pfd, n);
}

static struct slot *
find(const struct addr *a)
{
	size_t i;

	for (i = 0; i < NAMES_SLOTS; i++)
		if (slots[i].addr.family != 0 && addr_cmp(&slots[i].addr, a) == 0)
			return &slots[i];
	return NULL;
}

static void
on_ptr(const struct dns_result *r, void *arg)
{
	struct slot *s;

	(void)arg;
	if ((s = find(&r->addr)) == NULL || s->state != NAMES_PENDING)
		return;		/* evicted meanwhile */
	npending--;
	if (r->status == DNS_OK && r->name[0] != '\0') {
		text_sanitize(s->name, sizeof(s->name), r->name,
		    strnlen(r->name, sizeof(r->name)));
		s->state = NAMES_OK;
	} else
		s->state = NAMES_NONE;
	changed = 1;
}

static void
on_origin(const struct dns_result *r, void *arg)
{
	struct slot *s;

	(void)arg;
	if ((s = find(&r->addr)) == NULL || s->ostate != NAMES_PENDING)
		return;
	npending--;
	if (r->status == DNS_OK && r->nasns > 0) {
		s->asn = r->asns[0];
		text_sanitize(s->country, sizeof(s->country), r->country,
		    strnlen(r->country, 2));
		s->ostate = NAMES_OK;
	} else
		s->ostate = NAMES_NONE;
	changed = 1;
}

/* A slot for a new address: the clock hand skips used and pending ones
 * (a pending slot must stay until its answer comes), at most two turns. */
static struct slot *
victim(void)
{
	size_t n;
	struct slot *s;

	for (n = 0; n < 2 * NAMES_SLOTS; n++) {
		s = &slots[hand];
		hand = (hand + 1) % NAMES_SLOTS;
		if (s->addr.family == 0)
			return s;
		if (s->state == NAMES_PENDING || s->ostate == NAMES_PENDING)
			continue;
		if (s->ref) {
			s->ref = 0;
			continue;
		}
		return s;
	}
	return NULL;
}

enum names_state
names_get(const struct addr *a, char *buf, size_t len)
{
	struct slot *s;

	if (len > 0)
		buf[0] = '\0';
	if (dns == NULL || a == NULL || (a->family != 4 && a->family != 6))
		return NAMES_OFF;
	if ((s = find(a)) == NULL) {
		if ((s = victim()) == NULL)
			return NAMES_PENDING;	/* all busy: ask later */
		if (dns_ptr(dns, a, on_ptr, NULL) != 0)
			return NAMES_PENDING;	/* queue full: ask later */
		memset(s, 0, sizeof(*s));
		s->addr = *a;
		s->state = NAMES_PENDING;
		npending++;
	}
	s->ref = 1;
	if (s->state == NAMES_OK && len > 0)
		snprintf(buf, len, "%s", s->name);
	return s->state;
}

enum names_state
names_origin(const struct addr *a, uint32_t *asn, char country[3])
{
	char name[8];
	struct slot *s;

	*asn = 0;
	country[0] = '\0';
	/* the slot (and the PTR question) come with names_get() */
	if (names_get(a, name, sizeof(name)) == NAMES_OFF ||
	    (s = find(a)) == NULL)
		return NAMES_OFF;
	if (s->ostate == NAMES_OFF) {
		if (dns_origin(dns, a, on_origin, NULL) != 0)
			return NAMES_PENDING;	/* queue full: ask later */
		s->ostate = NAMES_PENDING;
		npending++;
	}
	if (s->ostate == NAMES_OK) {
		*asn = s->asn;
		memcpy(country, s->country, 3);
	}
	return s->ostate;
}

int
names_changed(void)
{
	int c = changed;

	changed = 0;
	return c;
}

size_t
names_pending(void)
{
	return npending;
}

int
names_enabled(void)
{
	return dns != NULL;
}
