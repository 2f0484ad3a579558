/*
 * contacts_match.c -- finding contacts: text search over every field,
 * parsing a query (address, AS number, country), a record's state at an
 * instant (local time, open, awake) and the ranking of matches: prefix
 * > AS number > country or constituency > global kinds, then open >
 * awake > asleep, then the longest prefix, then file order. A closed desk
 * on a longer prefix of a network does not outrank the same network's open
 * NOC: both hold the address, and only one answers now.
 */
#include "contacts/contacts_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "base/validate.h"

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return 1;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

size_t
contacts_search(const struct contacts *db, const char *text, size_t *idx,
    size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < db->nrecs; i++) {
		const struct contact *c = &db->recs[i]->c;
		int hit = 0;

		for (j = 0; j < c->nfields && !hit; j++)
			if (contains_ci(c->fields[j].value, text))
				hit = 1;
		if (!hit)
			continue;
		if (n < max)
			idx[n] = i;
		n++;
	}
	return n;
}

int
contacts_query_parse(const char *s, struct contacts_query *q, char *errbuf)
{
	uint32_t lo, hi;

	memset(q, 0, sizeof(*q));
	if (s == NULL || *s == '\0') {
		q->type = CQ_ALL;
		return 0;
	}
	if (addr_parse(s, &q->addr) == 0) {
		q->type = CQ_ADDR;
		return 0;
	}
	if (validate_asn(s, &lo, &hi) && lo == hi) {
		q->type = CQ_ASN;
		q->asn = lo;
		return 0;
	}
	if (validate_country(s, strlen(s))) {
		q->type = CQ_COUNTRY;
		q->cc[0] = (char)toupper((unsigned char)s[0]);
		q->cc[1] = (char)toupper((unsigned char)s[1]);
		return 0;
	}
	return err_set(errbuf, "'%.64s' is not an address, AS number (AS64496) "
	    "or ISO 3166 country code (RU)", s);
}

void
contact_status(const struct contact *c, int64_t t, struct contact_status *out)
{
	memset(out, 0, sizeof(*out));
	out->open = -1;
	if (c->tz == NULL || tz_local(c->tz, t, &out->local) != 0)
		return;
	out->has_zone = 1;
	out->awake = out->local.hour >= 7 && out->local.hour < 22;
	if (c->has_hours && hours_eval(c->hours, c->tz, t, &out->hs) == 0)
		out->open = out->hs.open;
}

static int
is_global(enum contact_kind k)
{
	return k == CK_FIRST_TEAM || k == CK_NOG || k == CK_RIR ||
	    k == CK_ANTI_ABUSE;
}

static int
awake_rank(const struct contact_status *s)
{
	if (s->open == 1)
		return 3;
	if (s->open == -1 && s->awake)
		return 2;
	if (s->awake)
		return 1;
	return 0;
}

int
contact_status_cmp(const struct contact_status *a,
    const struct contact_status *b)
{
	int x = awake_rank(a), y = awake_rank(b);

	return x == y ? 0 : x > y ? -1 : 1;
}

static int
match_cmp(const void *a, const void *b)
{
	const struct contact_match *x = a, *y = b;
	int r;

	if (x->rel != y->rel)
		return x->rel > y->rel ? -1 : 1;
	if ((r = contact_status_cmp(&x->st, &y->st)) != 0)
		return r;
	if (x->rel == REL_PREFIX && x->plen != y->plen)
		return x->plen > y->plen ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Why c matches q (REL_ANY: it does not, unless q is CQ_ALL); *plen gets
 * the longest prefix of c holding q's address, or -1. */
static enum contacts_rel
relevance(const struct contact *c, const struct contacts_query *q, int *plen)
{
	enum contacts_rel rel = REL_ANY;
	size_t j;

	*plen = -1;
	switch (q->type) {
	case CQ_ALL:
		break;
	case CQ_ADDR:
		for (j = 0; j < c->nprefixes; j++)
			if (prefix_contains(&c->prefixes[j], &q->addr) &&
			    (int)c->prefixes[j].len > *plen)
				*plen = c->prefixes[j].len;
		rel = *plen >= 0 ? REL_PREFIX : REL_ANY;
		break;
	case CQ_ASN:
		for (j = 0; j < c->nasns; j++)
			if (q->asn >= c->asns[j].lo && q->asn <= c->asns[j].hi)
				rel = REL_ASN;
		break;
	case CQ_COUNTRY:
		if (strcmp(c->country, q->cc) == 0)
			rel = REL_COUNTRY;
		for (j = 0; j < c->constituency.n; j++)
			if (strcmp(c->constituency.v[j], q->cc) == 0)
				rel = REL_COUNTRY;
		break;
	}
	return rel;
}

size_t
contacts_match(const struct contacts *db, const struct contacts_query *q,
    int64_t t, struct contact_match **out)
{
	struct contact_match *m = NULL;
	size_t n = 0, cap = 0, i;

	*out = NULL;
	for (i = 0; i < db->nrecs; i++) {
		const struct contact *c = &db->recs[i]->c;
		enum contacts_rel rel;
		int plen;

		if (!c->valid)
			continue;
		rel = relevance(c, q, &plen);
		if (q->type != CQ_ALL && rel == REL_ANY) {
			if (!is_global(c->kind))
				continue;
			rel = REL_GLOBAL;
		}
		m = xgrow(m, n, &cap, 32, sizeof(*m));
		m[n].index = i;
		m[n].c = c;
		m[n].rel = rel;
		m[n].plen = plen;
		contact_status(c, t, &m[n].st);
		n++;
	}
	if (n > 1)
		qsort(m, n, sizeof(*m), match_cmp);
	*out = m;
	return n;
}
