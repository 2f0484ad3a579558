/*
 * stats.c -- totals, per-second series, links, destinations and source
 * groups. See stats.h for the data structures and the eviction rule.
 */
#include "detect/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define AGE_PERIOD_S	60
#define V6_GROUPS	4096	/* hashed IPv6 /32 groups per second */
#define GROUPS_KEPT	64	/* groups remembered from the last second */

struct v6group {
	uint32_t key;		/* top 32 bits of the address */
	uint32_t syn, pkts;
	int64_t sec;
};

struct v4group {
	uint32_t syn, pkts;
};

struct stats {
	struct prefix *home;
	size_t nhome;

	struct counts total;		/* closed seconds only */
	struct counts total_now;	/* total + the open second, made by
					 * stats_total() */
	struct counts second;		/* sum of the links' seconds, made
					 * when the second closes */
	struct counts last_second;
	int64_t cur_sec;		/* second being filled, if have_sec */
	int have_sec;			/* a packet came: cur_sec, first_us and
					 * last_us are set (second 0, the
					 * epoch, is a second like any other) */
	int64_t first_us, last_us;
	int64_t last_age_sec;
	uint64_t series_pps[SERIES_LEN];
	uint64_t series_bps[SERIES_LEN];
	uint64_t series_syn[SERIES_LEN];

	struct link_stats links[STATS_MAX_LINKS];
	unsigned nlinks;

	struct dst_entry *dst;		/* STATS_DST_SETS * STATS_DST_WAYS */
	struct dst_entry *dirty;	/* touched in cur_sec */
	uint32_t *dst_used;		/* indices of slots ever filled, in
					 * filling order (a slot, once used,
					 * stays used: eviction reuses it) */
	size_t ndst_used;
	uint64_t evictions;
	uint64_t seed;
	struct dst_entry *last_dst;	/* the last packet's destination: a
					 * flood sends one after another to
					 * one target (checked before use) */

	/* Source groups of the second being filled. */
	struct v4group *v4;		/* 65536, by /16 */
	uint16_t *v4touched;		/* /16s touched this second */
	size_t nv4touched;
	struct v6group *v6;
	struct snap_group groups[GROUPS_KEPT];
	size_t ngroups;

	stats_second_fn on_dst;
	stats_tick_fn on_tick;
	void *ctx;
};

/* Well-known UDP amplification sources: US-CERT TA14-017A and later
 * advisories (memcached, WS-Discovery, ARD, SLP, CoAP, ...). */
static const uint16_t reflector_ports[] = {
	17,	/* QOTD */
	19,	/* CharGEN */
	53,	/* DNS */
	69,	/* TFTP */
	111,	/* portmap */
	123,	/* NTP */
	137,	/* NetBIOS name service */
	161,	/* SNMP */
	389,	/* CLDAP */
	427,	/* SLP */
	520,	/* RIPv1 */
	1900,	/* SSDP */
	3283,	/* Apple Remote Desktop */
	3702,	/* WS-Discovery */
	5353,	/* mDNS */
	5683,	/* CoAP */
	10001,	/* Ubiquiti discovery */
	11211,	/* memcached */
	27015,	/* Steam/Source engine */
	37810,	/* DVR DHCPDiscover */
};

static uint8_t reflector_bitmap[65536 / 8];
static int reflector_ready;

static void
reflector_init(void)
{
	size_t i;

	if (reflector_ready)
		return;
	for (i = 0; i < NITEMS(reflector_ports); i++)
		reflector_bitmap[reflector_ports[i] / 8] |=
		    (uint8_t)(1 << (reflector_ports[i] % 8));
	reflector_ready = 1;
}

int
stats_reflector_port(uint16_t port)
{
	reflector_init();
	return (reflector_bitmap[port / 8] >> (port % 8)) & 1;
}

struct stats *
stats_new(const struct prefix *home, size_t nhome)
{
	struct stats *s = xcalloc(1, sizeof(*s));

	reflector_init();
	if (nhome > 0) {
		s->home = xcalloc(nhome, sizeof(*home));
		memcpy(s->home, home, nhome * sizeof(*home));
		s->nhome = nhome;
	}
	s->dst = xcalloc((size_t)STATS_DST_SETS * STATS_DST_WAYS,
	    sizeof(*s->dst));
	s->dst_used = xcalloc((size_t)STATS_DST_SETS * STATS_DST_WAYS,
	    sizeof(*s->dst_used));
	s->v4 = xcalloc(65536, sizeof(*s->v4));
	s->v4touched = xcalloc(65536, sizeof(uint16_t));
	s->v6 = xcalloc(V6_GROUPS, sizeof(*s->v6));
	s->seed = 0x6b796f63686f2121ULL;	/* fixed: runs are reproducible */
	s->nlinks = 1;
	return s;
}

void
stats_free(struct stats *s)
{
	if (s == NULL)
		return;
	free(s->home);
	free(s->dst);
	free(s->dst_used);
	free(s->v4);
	free(s->v4touched);
	free(s->v6);
	free(s);
}

void
stats_set_callbacks(struct stats *s, stats_second_fn on_dst,
    stats_tick_fn on_tick, void *ctx)
{
	s->on_dst = on_dst;
	s->on_tick = on_tick;
	s->ctx = ctx;
}

void
counts_add(struct counts *c, const struct pkt *p)
{
	c->packets += p->weight;
	c->bytes += p->wbytes;
	if (p->flags & PKT_MALFORMED)
		c->malformed += p->weight;
	if (p->flags & PKT_FRAGMENT)
		c->fragments += p->weight;
	switch (p->family) {
	case 4:
		c->ipv4 += p->weight;
		break;
	case 6:
		c->ipv6 += p->weight;
		break;
	default:
		c->notip += p->weight;
		return;
	}
	switch (p->l4) {
	case L4_TCP:
		c->tcp += p->weight;
		if ((p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
			c->tcp_syn += p->weight;
		else if ((p->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
			c->tcp_synack += p->weight;
		if (p->tcp_flags & TCP_RST)
			c->tcp_rst += p->weight;
		break;
	case L4_UDP:
		c->udp += p->weight;
		break;
	case L4_ICMP:
		c->icmp += p->weight;
		break;
	case L4_OTHER:
		c->other += p->weight;
		break;
	default:
		break;
	}
}

static void
counts_merge(struct counts *c, const struct counts *x)
{
	c->packets += x->packets;
	c->bytes += x->bytes;
	c->ipv4 += x->ipv4;
	c->ipv6 += x->ipv6;
	c->tcp += x->tcp;
	c->udp += x->udp;
	c->icmp += x->icmp;
	c->other += x->other;
	c->tcp_syn += x->tcp_syn;
	c->tcp_synack += x->tcp_synack;
	c->tcp_rst += x->tcp_rst;
	c->fragments += x->fragments;
	c->malformed += x->malformed;
	c->notip += x->notip;
}

static void
series_push(uint64_t *series, uint64_t v)
{
	memmove(series, series + 1, (SERIES_LEN - 1) * sizeof(*series));
	series[SERIES_LEN - 1] = v;
}

static int
group_cmp(const void *a, const void *b)
{
	const struct snap_group *x = a, *y = b;

	if (x->syn_rate != y->syn_rate)
		return x->syn_rate < y->syn_rate ? 1 : -1;
	if (x->pps != y->pps)
		return x->pps < y->pps ? 1 : -1;
	return strcmp(x->label, y->label);
}

/* Order by SYN rate, then packet rate, then the group's number. */
static int
raw_better(uint64_t syn_a, uint64_t pkts_a, uint64_t syn_b, uint64_t pkts_b)
{
	if (syn_a != syn_b)
		return syn_a > syn_b;
	return pkts_a > pkts_b;
}

/* Keep the busiest groups of the second that closed, reset the counters. */
static void
groups_close(struct stats *s, int64_t sec)
{
	struct { uint32_t key; uint32_t syn, pkts; int v6; } cand[GROUPS_KEPT];
	size_t n = 0, i, weakest = 0;

	for (i = 0; i < s->nv4touched + V6_GROUPS; i++) {
		uint32_t key, syn, pkts;
		int v6 = i >= s->nv4touched;

		if (!v6) {
			uint16_t g = s->v4touched[i];

			key = g;
			syn = s->v4[g].syn;
			pkts = s->v4[g].pkts;
			s->v4[g].syn = s->v4[g].pkts = 0;
		} else {
			struct v6group *v = &s->v6[i - s->nv4touched];

			if (v->sec != sec || v->pkts == 0)
				continue;
			key = v->key;
			syn = v->syn;
			pkts = v->pkts;
			v->pkts = v->syn = 0;
		}
		if (n < GROUPS_KEPT) {
			cand[n].key = key;
			cand[n].syn = syn;
			cand[n].pkts = pkts;
			cand[n].v6 = v6;
			n++;
		} else if (raw_better(syn, pkts, cand[weakest].syn,
		    cand[weakest].pkts)) {
			cand[weakest].key = key;
			cand[weakest].syn = syn;
			cand[weakest].pkts = pkts;
			cand[weakest].v6 = v6;
		} else
			continue;
		if (n == GROUPS_KEPT) {
			size_t j;

			weakest = 0;
			for (j = 1; j < n; j++)
				if (raw_better(cand[weakest].syn, cand[weakest].pkts,
				    cand[j].syn, cand[j].pkts))
					weakest = j;
		}
	}
	s->nv4touched = 0;
	for (i = 0; i < n; i++) {
		struct snap_group *c = &s->groups[i];

		memset(c, 0, sizeof(*c));
		if (!cand[i].v6)
			snprintf(c->label, sizeof(c->label), "%u.%u.0.0/16",
			    cand[i].key >> 8, cand[i].key & 0xff);
		else {
			struct addr a;
			char buf[ADDR_STRLEN];

			memset(&a, 0, sizeof(a));
			a.family = 6;
			a.b[0] = (uint8_t)(cand[i].key >> 24);
			a.b[1] = (uint8_t)(cand[i].key >> 16);
			a.b[2] = (uint8_t)(cand[i].key >> 8);
			a.b[3] = (uint8_t)cand[i].key;
			snprintf(c->label, sizeof(c->label), "%s/32",
			    addr_format(&a, buf, sizeof(buf)));
		}
		c->syn_rate = cand[i].syn;
		c->pps = c->packets = cand[i].pkts;
	}
	s->ngroups = n;
	qsort(s->groups, n, sizeof(s->groups[0]), group_cmp);
}

static void
age_entries(struct stats *s)
{
	size_t i;

	for (i = 0; i < s->ndst_used; i++)
		s->dst[s->dst_used[i]].aged >>= 1;
}

/* Close second `sec`: per-destination callbacks, series, groups. */
static void
close_second(struct stats *s, int64_t sec)
{
	struct dst_entry *d, *next;
	unsigned i;

	for (d = s->dirty; d != NULL; d = next) {
		next = d->next_dirty;
		d->next_dirty = NULL;
		d->last_pps = d->sec.packets;
		d->last_bps = d->sec.bytes * 8;
		if (d->last_pps > d->peak_pps)
			d->peak_pps = d->last_pps;
		if (d->last_bps > d->peak_bps)
			d->peak_bps = d->last_bps;
		if (s->on_dst != NULL)
			s->on_dst(s->ctx, sec, d);
		memset(&d->sec, 0, sizeof(d->sec));
		d->busy = 0;
	}
	s->dirty = NULL;
	for (i = 0; i < s->nlinks; i++) {
		counts_merge(&s->second, &s->links[i].second);
		counts_merge(&s->links[i].total, &s->links[i].second);
	}
	counts_merge(&s->total, &s->second);
	s->last_second = s->second;
	series_push(s->series_pps, s->second.packets);
	series_push(s->series_bps, s->second.bytes * 8);
	series_push(s->series_syn, s->second.tcp_syn);
	memset(&s->second, 0, sizeof(s->second));
	for (i = 0; i < s->nlinks; i++) {
		struct link_stats *l = &s->links[i];

		l->last_pps = l->second.packets;
		l->last_bps = l->second.bytes * 8;
		series_push(l->pps_series, l->last_pps);
		series_push(l->bps_series, l->last_bps);
		memset(&l->second, 0, sizeof(l->second));
	}
	groups_close(s, sec);
	if (sec - s->last_age_sec >= AGE_PERIOD_S) {
		age_entries(s);
		s->last_age_sec = sec;
	}
	if (s->on_tick != NULL)
		s->on_tick(s->ctx, sec);
}

/* Advance the clock to `sec`, closing every second in between. */
static void
advance(struct stats *s, int64_t sec)
{
	int64_t gap;

	if (!s->have_sec) {
		s->cur_sec = sec;
		s->last_age_sec = sec;
		s->have_sec = 1;
		return;
	}
	if (sec <= s->cur_sec)
		return;		/* same second, or out of order: count it now */
	close_second(s, s->cur_sec);
	/* Idle seconds in between: push zeros, but no more than a series. */
	gap = sec - s->cur_sec - 1;
	if (gap > SERIES_LEN)
		gap = SERIES_LEN;
	while (gap-- > 0)
		close_second(s, sec - gap - 1);
	s->cur_sec = sec;
}

static struct dst_entry *
dst_lookup(struct stats *s, const struct addr *a)
{
	uint64_t h;
	uint32_t tag;
	struct dst_entry *set, *victim = NULL, *e;
	int i;

	/* The same destination as the packet before (a flood's target):
	 * no hash. The entry may have been evicted and reused since, so
	 * it must still hold this address. */
	if ((e = s->last_dst) != NULL && e->used && addr_eq(&e->addr, a))
		return e;
	h = addr_hash(a, s->seed);
	tag = (uint32_t)(h >> 32);
	set = &s->dst[(h & (STATS_DST_SETS - 1)) * STATS_DST_WAYS];
	for (i = 0; i < STATS_DST_WAYS; i++) {
		e = &set[i];
		if (e->used && e->tag == tag && addr_eq(&e->addr, a))
			return e;
	}
	for (i = 0; i < STATS_DST_WAYS; i++) {
		e = &set[i];
		if (!e->used) {
			victim = e;
			break;
		}
		if (e->pinned || e->busy)
			continue;	/* tracked, or busy this very second */
		if (victim == NULL || e->aged < victim->aged)
			victim = e;
	}
	if (victim == NULL)
		return NULL;		/* every way pinned or busy: not counted */
	if (victim->used)
		s->evictions++;
	else
		s->dst_used[s->ndst_used++] = (uint32_t)(victim - s->dst);
	memset(victim, 0, sizeof(*victim));
	victim->used = 1;
	victim->addr = *a;
	victim->tag = tag;
	victim->home = (uint8_t)prefix_list_contains(s->home, s->nhome, a);
	return victim;
}

struct dst_entry *
stats_find_dst(struct stats *s, const struct addr *a)
{
	uint64_t h = addr_hash(a, s->seed);
	uint32_t tag = (uint32_t)(h >> 32);
	struct dst_entry *set = &s->dst[(h & (STATS_DST_SETS - 1)) * STATS_DST_WAYS];
	int i;

	for (i = 0; i < STATS_DST_WAYS; i++)
		if (set[i].used && set[i].tag == tag &&
		    addr_eq(&set[i].addr, a))
			return &set[i];
	return NULL;
}

static void
group_add(struct stats *s, const struct pkt *p, int syn)
{
	if (p->src.family == 4) {
		uint16_t g = (uint16_t)(p->src.b[0] << 8 | p->src.b[1]);

		struct v4group *v = &s->v4[g];

		if (v->pkts == 0)
			s->v4touched[s->nv4touched++] = g;
		v->pkts += p->weight;
		v->syn += syn ? p->weight : 0;
	} else if (p->src.family == 6) {
		uint32_t key = (uint32_t)p->src.b[0] << 24 |
		    (uint32_t)p->src.b[1] << 16 | (uint32_t)p->src.b[2] << 8 |
		    p->src.b[3];
		struct v6group *v = &s->v6[(key * 2654435761u) >> 20];

		if (v->sec != s->cur_sec || v->key != key) {
			if (v->sec == s->cur_sec && v->pkts > 0)
				return;	/* slot taken by another /32 this second */
			v->key = key;
			v->sec = s->cur_sec;
			v->pkts = v->syn = 0;
		}
		v->pkts += p->weight;
		v->syn += syn ? p->weight : 0;
	}
}

void
stats_prefetch(const struct stats *s, const struct pkt *p)
{
	if (p->src.family == 4)
		__builtin_prefetch(&s->v4[p->src.b[0] << 8 | p->src.b[1]], 1);
}

struct dst_entry *
stats_add(struct stats *s, const struct pkt *p)
{
	struct dst_entry *d;
	struct dst_second *ds;
	int64_t sec = p->ts_us / 1000000;
	unsigned link = p->link < STATS_MAX_LINKS ? p->link : STATS_MAX_LINKS - 1;
	int syn;

	if (!s->have_sec || p->ts_us < s->first_us)
		s->first_us = p->ts_us;
	if (!s->have_sec || p->ts_us > s->last_us)
		s->last_us = p->ts_us;
	advance(s, sec);
	/* One count per packet: the second's totals, each link's total and
	 * the grand total are summed from the links' seconds when the second
	 * closes (stats_total() adds the open one). */
	if (link >= s->nlinks)
		s->nlinks = link + 1;
	counts_add(&s->links[link].second, p);
	if (p->family == 0 || p->dst.family == 0)
		return NULL;	/* not IP, or cut before the addresses */
	syn = p->l4 == L4_TCP && (p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
	group_add(s, p, syn);
	if ((d = dst_lookup(s, &p->dst)) == NULL)
		return NULL;
	s->last_dst = d;
	if (!d->busy) {
		d->busy = 1;
		d->next_dirty = s->dirty;
		s->dirty = d;
	}
	d->link = (uint16_t)link;
	d->packets += p->weight;
	d->bytes += p->wbytes;
	d->aged += p->weight;
	ds = &d->sec;
	if (ds->packets == 0)
		ds->first_us = p->ts_us;
	ds->last_us = p->ts_us;
	ds->packets += p->weight;
	ds->bytes += p->wbytes;
	if (p->flags & PKT_FRAGMENT)
		ds->frag += p->weight;
	switch (p->l4) {
	case L4_TCP:
		ds->tcp += p->weight;
		if (syn) {
			ds->syn += p->weight;
			d->tcp_syn += p->weight;
		} else if (p->tcp_flags & TCP_SYN)
			ds->synack += p->weight;
		else if (p->tcp_flags & TCP_RST)
			ds->rst += p->weight;
		else if (p->tcp_flags == TCP_ACK)
			ds->ack += p->weight;
		break;
	case L4_UDP:
		ds->udp += p->weight;
		d->udp += p->weight;
		if (stats_reflector_port(p->sport)) {
			ds->udp_reflect += p->weight;
			ds->reflect_port = p->sport;
		}
		break;
	case L4_ICMP:
		ds->icmp += p->weight;
		d->icmp += p->weight;
		if ((p->family == 4 && p->icmp_type == 0) ||
		    (p->family == 6 && p->icmp_type == 129)) {
			ds->icmp_reply += p->weight;
			if (prefix_list_contains(s->home, s->nhome, &p->src))
				ds->icmp_reply_home += p->weight;
		}
		break;
	default:
		break;
	}
	return d;
}

void
stats_advance(struct stats *s, int64_t sec)
{
	if (s->have_sec)
		advance(s, sec);
}

void
stats_flush(struct stats *s)
{
	if (s->have_sec)
		close_second(s, s->cur_sec);
}

const struct counts *
stats_total(struct stats *s)
{
	unsigned i;

	s->total_now = s->total;
	for (i = 0; i < s->nlinks; i++)
		counts_merge(&s->total_now, &s->links[i].second);
	return &s->total_now;
}

const struct counts *stats_last_second(const struct stats *s) { return &s->last_second; }
unsigned stats_nlinks(const struct stats *s) { return s->nlinks; }
int64_t stats_first_us(const struct stats *s) { return s->first_us; }
int64_t stats_last_us(const struct stats *s) { return s->last_us; }
uint64_t stats_evictions(const struct stats *s) { return s->evictions; }

const struct link_stats *
stats_link(const struct stats *s, unsigned link)
{
	return link < STATS_MAX_LINKS ? &s->links[link] : NULL;
}

void
stats_series(const struct stats *s, uint64_t *pps, uint64_t *bps,
    uint64_t *syn)
{
	if (pps != NULL)
		memcpy(pps, s->series_pps, sizeof(s->series_pps));
	if (bps != NULL)
		memcpy(bps, s->series_bps, sizeof(s->series_bps));
	if (syn != NULL)
		memcpy(syn, s->series_syn, sizeof(s->series_syn));
}

static int
dst_cmp(const void *a, const void *b)
{
	const struct dst_entry *x = *(const struct dst_entry *const *)a;
	const struct dst_entry *y = *(const struct dst_entry *const *)b;

	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return addr_cmp(&x->addr, &y->addr);
}

size_t
stats_top_dst(const struct stats *s, const struct dst_entry **out, size_t max)
{
	size_t i, n = s->ndst_used;
	const struct dst_entry **all;

	if (max == 0 || n == 0)
		return 0;
	/* Only the slots ever filled: the table is mostly untouched pages
	 * on a small capture, and reading them all would fault them in. */
	all = xcalloc(n, sizeof(*all));
	for (i = 0; i < n; i++)
		all[i] = &s->dst[s->dst_used[i]];
	qsort(all, n, sizeof(*all), dst_cmp);
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof(*all));
	free(all);
	return n;
}

size_t
stats_groups(const struct stats *s, struct snap_group *out, size_t max)
{
	size_t n = s->ngroups < max ? s->ngroups : max;

	memcpy(out, s->groups, n * sizeof(*out));
	return n;
}

size_t
stats_memory(const struct stats *s)
{
	(void)s;
	return sizeof(struct stats) +
	    (size_t)STATS_DST_SETS * STATS_DST_WAYS *
	    (sizeof(struct dst_entry) + sizeof(uint32_t)) +
	    65536 * (sizeof(struct v4group) + sizeof(uint16_t)) +
	    V6_GROUPS * sizeof(struct v6group);
}
