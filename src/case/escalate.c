/*
 * escalate.c -- ranking the counterparts for an attack by its evidence
 * (escalate.h has the tiers).
 *
 * Candidates are collected tier by tier into one array of struct cand (a
 * suggestion plus its sort keys); a record matched twice for the same role
 * gathers the addresses of both matches (a network with three reflectors
 * is one suggestion listing three), and after the sort a record keeps only
 * its best place. Matching a record to an address, AS number or country
 * uses the parsed fields of contacts.h; the state at an instant is
 * contact_status(), the within-tier rule is the one contacts_match() uses.
 */
#include "case/escalate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/json.h"
#include "base/jsonw.h"
#include "time/tz.h"
#include "base/util.h"
#include "base/validate.h"

/* Tiers (lower is better); each attack uses the ones that apply. */
#define T_FORUM 90

struct cand {
	struct esc_suggestion s;
	long group;		/* sub-order before the state (ingress share) */
	int spec;		/* 2 prefix match, 1 AS match, 0 other */
	const char *key;	/* synthetic entries: their recipient */
};

struct ranking {
	const struct contacts *db;
	const struct esc_evidence *e;
	struct cand *v;
	size_t n, cap;
};

static const char *const role_names[ROLE_COUNT] = {
	"ingress-peer", "national-csirt", "neighbour-csirt",
	"reflector-network", "reflector-csirt", "customer", "victim-network",
	"victim-csirt", "customer-notice", "source-network", "source-csirt",
	"forum", "hosting", "registrar", "hosting-csirt", "anti-phishing",
};

const char *
escalate_role_name(enum esc_role r)
{
	return r < ROLE_COUNT ? role_names[r] : "unknown";
}

static int
word_index(const char *s, const char *const *names, size_t n)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

int
escalate_kind_parse(const char *s)
{
	static const char *const k[] = { "syn_flood", "udp_flood",
	    "amplification", "icmp_flood", "fragment_flood", "mixed",
	    "phishing", "other" };

	return word_index(s, k, NITEMS(k));
}

int
escalate_direction_parse(const char *s)
{
	static const char *const d[] = { "inbound", "outbound", "unknown" };

	return word_index(s, d, NITEMS(d));
}

int
escalate_spoof_parse(const char *s)
{
	static const char *const l[] = { "none", "low", "medium", "high" };

	return word_index(s, l, NITEMS(l));
}

/* ---- what a record is --------------------------------------------------- */

static int
is_forum(enum contact_kind k)
{
	return k == CK_FIRST_TEAM || k == CK_NOG || k == CK_RIR ||
	    k == CK_ANTI_ABUSE || k == CK_ISAC;
}

static int
is_national(enum contact_kind k)
{
	return k == CK_NATIONAL_CSIRT || k == CK_NATIONAL_POC;
}

/* A record for a network that can act on its own traffic. */
static int
is_network(enum contact_kind k)
{
	return k == CK_PEERING_ISP || k == CK_TRANSIT_ISP || k == CK_HOSTING ||
	    k == CK_CSIRT || k == CK_OTHER;
}

static int
serves_country(const struct contact *c, const char *cc)
{
	size_t i;

	if (cc == NULL || cc[0] == '\0')
		return 0;
	if (strcmp(c->country, cc) == 0)
		return 1;
	for (i = 0; i < c->constituency.n; i++)
		if (strcmp(c->constituency.v[i], cc) == 0)
			return 1;
	return 0;
}

/* Longest prefix of c holding a, or -1. */
static int
holds_addr(const struct contact *c, const struct addr *a)
{
	int best = -1;
	size_t i;

	for (i = 0; i < c->nprefixes; i++)
		if (prefix_contains(&c->prefixes[i], a) &&
		    (int)c->prefixes[i].len > best)
			best = c->prefixes[i].len;
	return best;
}

static int
holds_asn(const struct contact *c, uint32_t asn)
{
	size_t i;

	if (asn == 0)
		return 0;
	for (i = 0; i < c->nasns; i++)
		if (asn >= c->asns[i].lo && asn <= c->asns[i].hi)
			return 1;
	return 0;
}

/* "abuse-email for abuse desks, email otherwise", the whole list. */
static void
recipient(const struct contact *c, char *buf, size_t len)
{
	const struct contact_list *l = c->abuse_email.n > 0 ? &c->abuse_email :
	    &c->email;
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < l->n && o < len; i++) {
		int k = snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
		    l->v[i]);

		if (k < 0 || (size_t)k >= len - o) {
			buf[o] = '\0';	/* keep whole addresses only */
			break;
		}
		o += (size_t)k;
	}
}

/* ---- collecting --------------------------------------------------------- */

static void
add_addr(struct esc_suggestion *s, const struct addr *a, uint64_t packets,
    double share)
{
	size_t i;

	for (i = 0; i < s->naddrs; i++)
		if (addr_cmp(&s->addrs[i], a) == 0)
			return;
	s->addrs = xreallocarray(s->addrs, s->naddrs + 1, sizeof(*s->addrs));
	s->addrs[s->naddrs++] = *a;
	s->packets += packets;
	s->share += share;
}

/*
 * The candidate for record i (or, c == NULL, the synthetic entry whose
 * recipient is key) in role r: an existing one of the same role, or a new
 * one at tier t. Returns it; *isnew says which.
 */
static struct cand *
cand_get(struct ranking *rk, size_t i, const struct contact *c,
    const char *key, enum esc_role r, int t, int *isnew)
{
	struct cand *x;
	size_t j;

	for (j = 0; j < rk->n; j++) {
		x = &rk->v[j];
		if (x->s.role != r || x->s.tier != t)
			continue;
		if (c != NULL && x->s.c == c)
			break;
		if (c == NULL && x->s.c == NULL && key != NULL &&
		    x->key != NULL && strcmp(x->key, key) == 0)
			break;
	}
	*isnew = j == rk->n;
	if (!*isnew)
		return &rk->v[j];
	rk->v = xgrow(rk->v, rk->n, &rk->cap, 16, sizeof(*rk->v));
	x = &rk->v[rk->n++];
	memset(x, 0, sizeof(*x));
	x->s.c = c;
	x->s.index = i;
	x->s.role = r;
	x->s.tier = t;
	x->key = key;
	if (c != NULL) {
		contact_status(c, rk->e->at, &x->s.st);
		recipient(c, x->s.to, sizeof(x->s.to));
		snprintf(x->s.country, sizeof(x->s.country), "%s", c->country);
	} else {
		x->s.st.open = -1;
		if (key != NULL)
			snprintf(x->s.to, sizeof(x->s.to), "%s", key);
	}
	return x;
}

static const char *
afmt(const struct addr *a, char *buf)
{
	return addr_format(a, buf, ADDR_STRLEN);
}

static const char *
kind_word(enum esc_kind k)
{
	switch (k) {
	case ESC_SYN_FLOOD: return "SYN flood";
	case ESC_UDP_FLOOD: return "UDP flood";
	case ESC_AMPLIFICATION: return "reflection attack";
	case ESC_ICMP_FLOOD: return "ICMP flood";
	case ESC_FRAGMENT_FLOOD: return "fragment flood";
	case ESC_MIXED: return "flood";
	case ESC_PHISHING: return "phishing site";
	default: return "attack";
	}
}

/* Ingress neighbours, tier t, in share order. */
static void
add_ingress(struct ranking *rk, int t)
{
	const struct esc_evidence *e = rk->e;
	size_t k, i, *ord;

	if (e->ningress == 0)
		return;
	ord = xreallocarray(NULL, e->ningress, sizeof(*ord));
	for (k = 0; k < e->ningress; k++)
		ord[k] = k;
	/* Best share first; stable for equal shares (insertion sort, the
	 * list is short). */
	for (k = 1; k < e->ningress; k++)
		for (i = k; i > 0 && e->ingress[ord[i]].share >
		    e->ingress[ord[i - 1]].share; i--) {
			size_t tmp = ord[i];

			ord[i] = ord[i - 1];
			ord[i - 1] = tmp;
		}
	for (k = 0; k < e->ningress; k++) {
		const struct esc_ingress *g = &e->ingress[ord[k]];
		long named = g->contact != NULL ? contacts_find(rk->db,
		    g->contact) : -1;
		char where[160], reason[256];
		int found = 0, isnew;

		snprintf(where, sizeof(where), "%s%s%s%s", g->link != NULL ?
		    "link " : "", g->link != NULL ? g->link : "",
		    g->link != NULL && g->mac != NULL ? ", " : "",
		    g->mac != NULL ? g->mac : "");
		if (g->asn != 0)
			snprintf(where + strlen(where), sizeof(where) -
			    strlen(where), "%sAS%u", where[0] ? ", " : "",
			    g->asn);
		snprintf(reason, sizeof(reason), "Hands us %.0f%% of the %s "
		    "(%s): ask them to filter it and trace it upstream",
		    g->share * 100, kind_word(e->kind), where[0] ? where :
		    "neighbour");
		for (i = 0; i < contacts_count(rk->db); i++) {
			const struct contact *c = contacts_get(rk->db, i);
			struct cand *x;

			if (!c->valid)
				continue;
			if ((long)i != named && !(holds_asn(c, g->asn) &&
			    is_network(c->kind)))
				continue;
			x = cand_get(rk, i, c, NULL, ROLE_INGRESS_PEER, t,
			    &isnew);
			if (isnew) {
				x->group = (long)k;
				x->spec = (long)i == named ? 2 : 1;
				x->s.asn = g->asn;
				x->s.packets = g->packets;
				x->s.share = g->share;
				snprintf(x->s.reason, sizeof(x->s.reason), "%s",
				    reason);
			}
			found = 1;
		}
		if (!found && g->asn != 0) {
			/* No record: say who the neighbour is and that one
			 * is needed, rather than drop the best lead. */
			struct cand *x = cand_get(rk, 0, NULL, NULL,
			    ROLE_INGRESS_PEER, t, &isnew);

			x->group = (long)k;
			x->s.asn = g->asn;
			x->s.packets = g->packets;
			x->s.share = g->share;
			snprintf(x->s.reason, sizeof(x->s.reason), "%.150s; no "
			    "contact record for AS%u: add one", reason, g->asn);
		}
	}
	free(ord);
}

/* National CSIRTs / PoCs serving cc, in role r at tier t. */
static void
add_national(struct ranking *rk, const char *cc, enum esc_role r, int t,
    long group, uint64_t weight, const char *why)
{
	size_t i;
	int isnew;

	if (cc == NULL || cc[0] == '\0')
		return;
	for (i = 0; i < contacts_count(rk->db); i++) {
		const struct contact *c = contacts_get(rk->db, i);
		struct cand *x;

		if (!c->valid || !is_national(c->kind) || !serves_country(c, cc))
			continue;
		x = cand_get(rk, i, c, NULL, r, t, &isnew);
		x->s.packets += weight;
		if (isnew) {
			x->group = group;
			snprintf(x->s.reason, sizeof(x->s.reason), "%s", why);
		}
	}
}

/*
 * The networks holding each address of src[0..n) (by prefix, or by the
 * address's origin AS), each with only its own addresses; an address no
 * record holds goes to a synthetic entry for its DNS abuse address.
 * Network records only, or customers when want_customer.
 */
static void
add_networks(struct ranking *rk, const struct esc_source *src, size_t n,
    enum esc_role r, int t, int want_customer)
{
	size_t k, i;

	for (k = 0; k < n; k++) {
		const struct esc_source *s = &src[k];
		int found = 0, isnew;

		for (i = 0; i < contacts_count(rk->db); i++) {
			const struct contact *c = contacts_get(rk->db, i);
			struct cand *x;
			int plen, spec;

			if (!c->valid)
				continue;
			if (want_customer ? c->kind != CK_CUSTOMER :
			    !is_network(c->kind))
				continue;
			plen = holds_addr(c, &s->addr);
			spec = plen >= 0 ? 2 : !want_customer &&
			    holds_asn(c, s->asn) ? 1 : 0;
			if (spec == 0)
				continue;
			x = cand_get(rk, i, c, NULL, r, t, &isnew);
			if (isnew)
				x->s.asn = s->asn;
			if (spec > x->spec)
				x->spec = spec;
			add_addr(&x->s, &s->addr, s->packets, s->share);
			found = 1;
		}
		if (!found && !want_customer && s->abuse != NULL &&
		    s->abuse[0] != '\0') {
			struct cand *x = cand_get(rk, 0, NULL, s->abuse, r, t,
			    &isnew);

			if (isnew) {
				x->s.asn = s->asn;
				snprintf(x->s.country, sizeof(x->s.country),
				    "%s", s->country);
			}
			add_addr(&x->s, &s->addr, s->packets, s->share);
		}
	}
}

/* The reasons of network suggestions, once their addresses are known. */
static void
network_reasons(struct ranking *rk, enum esc_role r, int spoofed)
{
	const struct esc_evidence *e = rk->e;
	size_t j;

	for (j = 0; j < rk->n; j++) {
		struct esc_suggestion *s = &rk->v[j].s;
		char a[ADDR_STRLEN], net[64], more[32];

		if (s->role != r || s->reason[0] != '\0')
			continue;
		if (s->asn != 0)
			snprintf(net, sizeof(net), "AS%u%s%s", s->asn,
			    s->country[0] ? ", " : "", s->country);
		else
			snprintf(net, sizeof(net), "%s", s->country[0] ?
			    s->country : "origin unknown");
		more[0] = '\0';
		if (s->naddrs > 1)
			snprintf(more, sizeof(more), " and %zu more",
			    s->naddrs - 1);
		if (s->naddrs == 0)
			a[0] = '\0';
		else
			afmt(&s->addrs[0], a);
		switch (r) {
		case ROLE_REFLECTOR_NETWORK:
			if (e->port != 0)
				snprintf(s->reason, sizeof(s->reason), "Holds "
				    "%zu reflector%s (%s%s, %s) answering on "
				    "port %u: ask them to close the service",
				    s->naddrs, s->naddrs == 1 ? "" : "s", a,
				    more, net, e->port);
			else
				snprintf(s->reason, sizeof(s->reason), "Holds "
				    "%zu reflector%s (%s%s, %s): ask them to "
				    "close the abused service", s->naddrs,
				    s->naddrs == 1 ? "" : "s", a, more, net);
			break;
		case ROLE_CUSTOMER:
			snprintf(s->reason, sizeof(s->reason), "Our customer "
			    "holding %s%s, the source of an outbound %s: ask "
			    "them to stop it", a, more, kind_word(e->kind));
			break;
		case ROLE_SOURCE_NETWORK:
			snprintf(s->reason, sizeof(s->reason), "Holds top "
			    "source %s%s (%s)%s", a, more, net, spoofed ?
			    "; the sources are likely spoofed, so only if the "
			    "neighbours cannot trace it" : ": ask them to stop "
			    "it");
			break;
		case ROLE_HOSTING:
			snprintf(s->reason, sizeof(s->reason), "Hosts the "
			    "phishing site at %s%s (%s): ask their abuse desk "
			    "to take it down", a, more, net);
			break;
		case ROLE_VICTIM_NETWORK:
			snprintf(s->reason, sizeof(s->reason), "Network of "
			    "the target %s (%s), attacked from our network: "
			    "tell them what we stopped", a, net);
			break;
		default:
			break;
		}
		if (s->c == NULL && s->reason[0] != '\0') {
			size_t l = strlen(s->reason);

			snprintf(s->reason + l, sizeof(s->reason) - l, "; no "
			    "record: abuse address found over DNS");
		}
	}
}

/* Countries of src, each with its packets, heaviest first. */
struct cc_weight {
	char cc[3];
	uint64_t packets;
	size_t count;
};

static size_t
countries_of(const struct esc_source *src, size_t n, struct cc_weight *out,
    size_t max)
{
	size_t k, j, m = 0;

	for (k = 0; k < n; k++) {
		if (src[k].country[0] == '\0')
			continue;
		for (j = 0; j < m; j++)
			if (strcmp(out[j].cc, src[k].country) == 0)
				break;
		if (j == m) {
			if (m == max)
				continue;
			memset(&out[m], 0, sizeof(out[m]));
			memcpy(out[m].cc, src[k].country, 3);
			m++;
		}
		out[j].packets += src[k].packets;
		out[j].count++;
	}
	return m;
}

static void
add_source_csirts(struct ranking *rk, enum esc_role r, int t,
    const char *what)
{
	const struct esc_evidence *e = rk->e;
	struct cc_weight w[64];
	size_t m = countries_of(e->sources, e->nsources, w, NITEMS(w)), j;

	for (j = 0; j < m; j++) {
		char why[256];

		snprintf(why, sizeof(why), "National CSIRT of %.2s, where %zu "
		    "%.32s%s %s: coordination when the networks do not answer",
		    w[j].cc, w[j].count, what, w[j].count == 1 ? "" : "s",
		    w[j].count == 1 ? "is" : "are");
		add_national(rk, w[j].cc, r, t, 0, w[j].packets, why);
	}
}

static void
add_our_national(struct ranking *rk, int t, int spoofed)
{
	char why[256];

	snprintf(why, sizeof(why), "Our national CSIRT / PoC (%s): %s",
	    rk->e->our_country, spoofed ? "coordinates tracing a spoofed flood "
	    "across networks and countries" : "coordinates with the CSIRTs "
	    "of the countries involved");
	add_national(rk, rk->e->our_country, ROLE_NATIONAL_CSIRT, t, 0, 0,
	    why);
}

/* The CSIRTs of the countries of the ingress suggestions' records. */
static void
add_neighbour_csirts(struct ranking *rk, int t)
{
	size_t j, n = rk->n;

	for (j = 0; j < n; j++) {
		char cc[3], why[256];

		if (rk->v[j].s.role != ROLE_INGRESS_PEER ||
		    rk->v[j].s.c == NULL || rk->v[j].s.c->country[0] == '\0')
			continue;
		memcpy(cc, rk->v[j].s.c->country, 3);
		if (strcmp(cc, rk->e->our_country) == 0)
			continue;	/* that is ours, above */
		snprintf(why, sizeof(why), "National CSIRT of %s, where "
		    "ingress neighbour %.64s is: helps trace it there", cc,
		    rk->v[j].s.c->id);
		/* Keep the neighbour's share order. */
		add_national(rk, cc, ROLE_PEER_CSIRT, t, rk->v[j].group, 0, why);
	}
}

static void
add_target_customer(struct ranking *rk, int t)
{
	const struct esc_evidence *e = rk->e;
	size_t i;
	int isnew;

	if (!e->has_target)
		return;
	for (i = 0; i < contacts_count(rk->db); i++) {
		const struct contact *c = contacts_get(rk->db, i);
		struct cand *x;
		char a[ADDR_STRLEN];

		if (!c->valid || c->kind != CK_CUSTOMER ||
		    holds_addr(c, &e->target) < 0)
			continue;
		x = cand_get(rk, i, c, NULL, ROLE_TARGET_CUSTOMER, t, &isnew);
		x->spec = 2;
		add_addr(&x->s, &e->target, 0, 0);
		snprintf(x->s.reason, sizeof(x->s.reason), "Our customer under "
		    "attack at %s: notice of the %s and what we are doing",
		    afmt(&e->target, a), kind_word(e->kind));
	}
}

static void
add_victim(struct ranking *rk, int t)
{
	const struct esc_evidence *e = rk->e;
	struct esc_source v;
	char why[256];

	if (!e->has_target)
		return;
	memset(&v, 0, sizeof(v));
	v.addr = e->target;
	v.asn = e->target_asn;
	memcpy(v.country, e->target_country, 3);
	v.abuse = e->target_abuse;
	add_networks(rk, &v, 1, ROLE_VICTIM_NETWORK, t, 0);
	network_reasons(rk, ROLE_VICTIM_NETWORK, 0);
	snprintf(why, sizeof(why), "National CSIRT of %s, the target's "
	    "country: tell them the attack from our network is handled",
	    e->target_country);
	add_national(rk, e->target_country, ROLE_VICTIM_CSIRT, t + 1, 0, 0,
	    why);
}

static void
add_forums(struct ranking *rk)
{
	size_t i;
	int isnew;

	for (i = 0; i < contacts_count(rk->db); i++) {
		const struct contact *c = contacts_get(rk->db, i);
		struct cand *x;

		if (!c->valid || !is_forum(c->kind))
			continue;
		x = cand_get(rk, i, c, NULL, ROLE_FORUM, T_FORUM, &isnew);
		/* For a phishing site the anti-phishing groups act. */
		x->group = rk->e->kind == ESC_PHISHING &&
		    c->kind == CK_ANTI_ABUSE ? 0 : 1;
		snprintf(x->s.reason, sizeof(x->s.reason), "%s (%s): for "
		    "advice and wider coordination, after those who can act",
		    c->kind == CK_NOG ? "Operators' forum" :
		    c->kind == CK_RIR ? "Registry" :
		    c->kind == CK_FIRST_TEAM ? "CSIRT community" :
		    c->kind == CK_ISAC ? "Sharing and analysis centre" :
		    "Anti-abuse group", contacts_kind_name(c->kind));
	}
}

/* The registrar of a phishing site's domain: records of kind registrar
 * whose org or abuse address is the one RDAP named, else a synthetic
 * entry for that abuse address. */
static void
add_registrar(struct ranking *rk, int t)
{
	const struct esc_evidence *e = rk->e;
	const char *name = e->registrar != NULL ? e->registrar : "";
	const char *abuse = e->registrar_abuse != NULL ? e->registrar_abuse :
	    "";
	size_t i, k;
	int isnew, found = 0;
	char why[256];

	if (*name == '\0' && *abuse == '\0')
		return;
	snprintf(why, sizeof(why), "Registrar of the site's domain%s%.96s: "
	    "ask their abuse desk to suspend the domain", *name ? ", " : "",
	    name);
	for (i = 0; i < contacts_count(rk->db); i++) {
		const struct contact *c = contacts_get(rk->db, i);
		struct cand *x;
		int match = 0;

		if (!c->valid || c->kind != CK_REGISTRAR)
			continue;
		if (*name != '\0' && (strcasecmp(c->org, name) == 0 ||
		    strcasecmp(c->team, name) == 0 || strcasecmp(c->id, name) == 0))
			match = 1;
		for (k = 0; *abuse != '\0' && k < c->abuse_email.n; k++)
			if (strcasecmp(c->abuse_email.v[k], abuse) == 0)
				match = 1;
		if (!match)
			continue;
		x = cand_get(rk, i, c, NULL, ROLE_REGISTRAR, t, &isnew);
		x->spec = 1;
		snprintf(x->s.reason, sizeof(x->s.reason), "%s", why);
		found = 1;
	}
	if (!found && *abuse != '\0') {
		struct cand *x = cand_get(rk, 0, NULL, abuse, ROLE_REGISTRAR, t,
		    &isnew);
		size_t l;

		snprintf(x->s.reason, sizeof(x->s.reason), "%s", why);
		l = strlen(x->s.reason);
		snprintf(x->s.reason + l, sizeof(x->s.reason) - l, "; no "
		    "record: abuse address from RDAP");
	}
}

/* Anti-phishing groups (anti-abuse records), for a phishing site. */
static void
add_anti_phishing(struct ranking *rk, int t)
{
	size_t i;
	int isnew;

	for (i = 0; i < contacts_count(rk->db); i++) {
		const struct contact *c = contacts_get(rk->db, i);
		struct cand *x;

		if (!c->valid || c->kind != CK_ANTI_ABUSE)
			continue;
		x = cand_get(rk, i, c, NULL, ROLE_ANTI_PHISHING, t, &isnew);
		snprintf(x->s.reason, sizeof(x->s.reason), "Anti-phishing "
		    "group: report the site so browsers and mail filters block "
		    "it while the takedown runs");
	}
}

static void
add_phishing(struct ranking *rk)
{
	const struct esc_evidence *e = rk->e;
	struct esc_source v;
	const struct esc_source *src = e->sources;
	size_t n = e->nsources;

	if (n == 0 && e->has_target) {
		memset(&v, 0, sizeof(v));
		v.addr = e->target;
		v.asn = e->target_asn;
		memcpy(v.country, e->target_country, 3);
		v.abuse = e->target_abuse;
		src = &v;
		n = 1;
	}
	add_networks(rk, src, n, ROLE_HOSTING, 0, 0);
	network_reasons(rk, ROLE_HOSTING, 0);
	add_registrar(rk, 1);
	{
		struct cc_weight w[64];
		size_t m = countries_of(src, n, w, NITEMS(w)), j;

		for (j = 0; j < m; j++) {
			char why[256];

			snprintf(why, sizeof(why), "National CSIRT of %.2s, "
			    "where the site is hosted: takedown when the host "
			    "and registrar do not answer", w[j].cc);
			add_national(rk, w[j].cc, ROLE_HOSTING_CSIRT, 2,
			    (long)j, 0, why);
		}
	}
	add_anti_phishing(rk, 3);
	add_our_national(rk, 4, 0);
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int r;

	if (x->s.tier != y->s.tier)
		return x->s.tier < y->s.tier ? -1 : 1;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if ((r = contact_status_cmp(&x->s.st, &y->s.st)) != 0)
		return r;
	if (x->spec != y->spec)
		return x->spec > y->spec ? -1 : 1;
	if (x->s.packets != y->s.packets)
		return x->s.packets > y->s.packets ? -1 : 1;
	if ((x->s.c == NULL) != (y->s.c == NULL))
		return x->s.c == NULL ? 1 : -1;
	if (x->s.index != y->s.index)
		return x->s.index < y->s.index ? -1 : 1;
	return x->s.asn < y->s.asn ? -1 : x->s.asn > y->s.asn;
}

size_t
escalate_rank(const struct contacts *db, const struct esc_evidence *e,
    struct esc_suggestion **out)
{
	struct ranking rk;
	size_t i, j, m;
	int spoofed = e->spoof >= ESC_SPOOF_MEDIUM;

	memset(&rk, 0, sizeof(rk));
	rk.db = db;
	rk.e = e;
	*out = NULL;

	if (e->direction == ESC_OUTBOUND) {
		add_networks(&rk, e->sources, e->nsources, ROLE_CUSTOMER, 0, 1);
		network_reasons(&rk, ROLE_CUSTOMER, 0);
		add_victim(&rk, 1);		/* tiers 1 and 2 */
		add_our_national(&rk, 3, 0);
	} else if (e->kind == ESC_AMPLIFICATION) {
		add_networks(&rk, e->sources, e->nsources,
		    ROLE_REFLECTOR_NETWORK, 0, 0);
		network_reasons(&rk, ROLE_REFLECTOR_NETWORK, 0);
		add_source_csirts(&rk, ROLE_REFLECTOR_CSIRT, 1, "reflector");
		add_ingress(&rk, 2);
		add_our_national(&rk, 3, 0);
		add_target_customer(&rk, 4);
	} else if (e->kind == ESC_PHISHING) {
		add_phishing(&rk);
	} else if (spoofed) {
		add_ingress(&rk, 0);
		add_our_national(&rk, 1, 1);
		add_neighbour_csirts(&rk, 2);
		add_target_customer(&rk, 3);
		add_networks(&rk, e->sources, e->nsources, ROLE_SOURCE_NETWORK,
		    4, 0);
		network_reasons(&rk, ROLE_SOURCE_NETWORK, 1);
		add_source_csirts(&rk, ROLE_SOURCE_CSIRT, 5, "top source");
	} else {
		add_networks(&rk, e->sources, e->nsources, ROLE_SOURCE_NETWORK,
		    0, 0);
		network_reasons(&rk, ROLE_SOURCE_NETWORK, 0);
		add_source_csirts(&rk, ROLE_SOURCE_CSIRT, 1, "top source");
		add_ingress(&rk, 2);
		add_our_national(&rk, 3, 0);
		add_target_customer(&rk, 4);
	}
	add_forums(&rk);

	if (rk.n > 1)
		qsort(rk.v, rk.n, sizeof(*rk.v), cand_cmp);
	/* Each record once, at its best place; synthetic entries once per
	 * recipient and role. */
	m = 0;
	for (i = 0; i < rk.n; i++) {
		int dup = 0;

		for (j = 0; j < m && !dup; j++) {
			const struct cand *x = &rk.v[j], *y = &rk.v[i];

			if (y->s.c != NULL)
				dup = x->s.c == y->s.c;
			else
				dup = x->s.c == NULL && x->s.role == y->s.role &&
				    x->key != NULL && y->key != NULL &&
				    strcmp(x->key, y->key) == 0;
		}
		if (dup) {
			free(rk.v[i].s.addrs);
			continue;
		}
		rk.v[m++] = rk.v[i];
	}
	if (m == 0) {
		free(rk.v);
		return 0;
	}
	*out = xreallocarray(NULL, m, sizeof(**out));
	for (i = 0; i < m; i++)
		(*out)[i] = rk.v[i].s;
	free(rk.v);
	return m;
}

void
escalate_free(struct esc_suggestion *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i].addrs);
	free(s);
}

/* ---- reading an alert ---------------------------------------------------- */

/* A string member, or NULL when absent, not a string, empty or holding a
 * NUL (a hostile file's "a\u0000b" must not pass as "a"). */
static const char *
jstr(const struct json *o, const char *key)
{
	const struct json *v = json_get(o, key);

	if (v == NULL || v->type != JSON_STRING || v->slen == 0 ||
	    strlen(v->s) != v->slen)
		return NULL;
	return v->s;
}

static uint32_t
jasn(const struct json *o, const char *key)
{
	int64_t v = json_geti(o, key, 0);

	return v > 0 && v <= (int64_t)UINT32_MAX ? (uint32_t)v : 0;
}

static void
jcountry(const struct json *o, const char *key, char cc[3])
{
	const char *s = jstr(o, key);

	cc[0] = '\0';
	if (s != NULL && validate_country(s, strlen(s)) &&
	    strlen(s) == 2) {
		cc[0] = (char)(s[0] & ~0x20);
		cc[1] = (char)(s[1] & ~0x20);
		cc[2] = '\0';
	}
}

static double
jshare(const struct json *o)
{
	double d = json_getd(o, "share", 0);

	return d >= 0 && d <= 1 ? d : 0;	/* NaN fails both */
}

int
escalate_from_alert_json(const struct json *a, struct esc_alert *out,
    char *errbuf)
{
	struct esc_evidence *e = &out->e;
	const struct json *l;
	const char *s;
	size_t i, n;
	int k;

	memset(out, 0, sizeof(*out));
	if (a == NULL || a->type != JSON_OBJECT)
		return err_set(errbuf, "not an alert object (an element of "
		    "summary --json's \"alerts\", or a line of --alerts)");
	k = escalate_kind_parse(jstr(a, "kind"));
	e->kind = k < 0 ? ESC_OTHER : (enum esc_kind)k;
	k = escalate_direction_parse(jstr(a, "direction"));
	e->direction = k < 0 ? ESC_DIR_UNKNOWN : (enum esc_direction)k;
	k = escalate_spoof_parse(jstr(a, "spoofing_level"));
	e->spoof = k < 0 ? ESC_SPOOF_NONE : (enum esc_spoof)k;
	if ((s = jstr(a, "target")) != NULL && addr_parse(s, &e->target) == 0)
		e->has_target = 1;
	e->target_asn = jasn(a, "target_asn");
	jcountry(a, "target_country", e->target_country);
	e->target_abuse = jstr(a, "target_abuse");
	k = (int)json_geti(a, "reflector_port", 0);
	e->port = k > 0 && k < 65536 ? (uint16_t)k : 0;

	l = json_get(a, "top_sources");
	for (i = 0, n = 0; i < json_len(l) && n < ESC_MAX; i++) {
		const struct json *o = json_at(l, i);
		struct esc_source *src = &out->sources[n];

		if (o == NULL || o->type != JSON_OBJECT ||
		    (s = jstr(o, "addr")) == NULL || addr_parse(s, &src->addr))
			continue;
		src->asn = jasn(o, "asn");
		jcountry(o, "country", src->country);
		src->abuse = jstr(o, "abuse");
		src->packets = json_getu(o, "packets", 0);
		src->share = jshare(o);
		n++;
	}
	e->sources = out->sources;
	e->nsources = n;

	l = json_get(a, "ingress");
	for (i = 0, n = 0; i < json_len(l) && n < ESC_MAX; i++) {
		const struct json *o = json_at(l, i);
		struct esc_ingress *g = &out->ingress[n];

		if (o == NULL || o->type != JSON_OBJECT)
			continue;
		g->link = jstr(o, "link");
		g->mac = jstr(o, "mac");
		g->asn = jasn(o, "asn");
		g->contact = jstr(o, "contact");
		g->packets = json_getu(o, "packets", 0);
		g->share = jshare(o);
		if (g->link == NULL && g->mac == NULL && g->asn == 0 &&
		    g->contact == NULL)
			continue;	/* nothing to name the neighbour by */
		n++;
	}
	e->ingress = out->ingress;
	e->ningress = n;
	return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static void
kstr_or_null(struct jsonw *w, const char *key, const char *v)
{
	jsonw_key(w, key);
	if (v != NULL && *v != '\0')
		jsonw_str(w, v);
	else
		jsonw_null(w);
}

void
escalate_json(struct jsonw *w, const struct esc_suggestion *s, size_t n,
    int64_t at)
{
	char buf[64], a[ADDR_STRLEN];
	size_t i, k;

	jsonw_arr_open(w);
	for (i = 0; i < n; i++) {
		const struct contact *c = s[i].c;

		jsonw_obj_open(w);
		kstr_or_null(w, "id", c != NULL ? c->id : NULL);
		if (c != NULL)
			jsonw_kstr(w, "org", *c->org != '\0' ? c->org : c->id);
		else if (s[i].asn != 0) {
			snprintf(buf, sizeof(buf), "AS%u", s[i].asn);
			jsonw_kstr(w, "org", buf);
		} else
			jsonw_kstr(w, "org", s[i].to[0] ? s[i].to : "unknown");
		jsonw_kstr(w, "kind", c != NULL ? contacts_kind_name(c->kind) :
		    s[i].to[0] != '\0' ? "dns-abuse" : "unknown");
		jsonw_kstr(w, "role", escalate_role_name(s[i].role));
		jsonw_ki64(w, "tier", s[i].tier);
		jsonw_kstr(w, "reason", s[i].reason);
		kstr_or_null(w, "to", s[i].to);
		jsonw_key(w, "languages");
		jsonw_arr_open(w);
		for (k = 0; c != NULL && k < c->languages.n; k++)
			jsonw_str(w, c->languages.v[k]);
		jsonw_arr_close(w);
		if (c != NULL && s[i].st.has_zone) {
			jsonw_kstr(w, "timezone", tz_name(c->tz));
			jsonw_kstr(w, "local_time", tz_rfc3339(c->tz, at, buf,
			    sizeof(buf)));
			jsonw_kbool(w, "awake", s[i].st.awake);
		} else {
			kstr_or_null(w, "timezone", NULL);
			kstr_or_null(w, "local_time", NULL);
			jsonw_key(w, "awake");
			jsonw_null(w);
		}
		jsonw_key(w, "open");
		if (s[i].st.open < 0)
			jsonw_null(w);
		else
			jsonw_bool(w, s[i].st.open);
		kstr_or_null(w, "country", s[i].country);
		jsonw_key(w, "asn");
		if (s[i].asn != 0)
			jsonw_u64(w, s[i].asn);
		else
			jsonw_null(w);
		if (s[i].packets != 0 || s[i].share != 0) {
			jsonw_ku64(w, "packets", s[i].packets);
			jsonw_kdouble(w, "share", s[i].share);
		}
		jsonw_key(w, "addresses");
		jsonw_arr_open(w);
		for (k = 0; k < s[i].naddrs; k++)
			jsonw_str(w, afmt(&s[i].addrs[k], a));
		jsonw_arr_close(w);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
}
