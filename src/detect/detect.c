/*
 * detect.c -- thresholds per destination, alert life cycle, and source
 * tracking of watched targets. See detect.h.
 *
 * Data: a fixed pool of DETECT_MAX_TRACKED trackers (HyperLogLog, Space-
 * Saving, spoofing accumulator, and ALERT_INGRESS neighbour counters with
 * an "other" count each), an open-addressing index from target
 * address to tracker (for packets *from* a target, such as its SYN-ACKs),
 * and a fixed array of alerts (active and ended; when it is full the oldest
 * ended alert is dropped from memory -- it was already written to --alerts).
 */
#include "detect/detect.h"

#include <stdlib.h>
#include <string.h>

#include "detect/hll.h"
#include "base/jsonw.h"
#include "enrich/prefix.h"
#include "detect/spoof.h"
#include "detect/topk.h"
#include "base/util.h"

#define INDEX_SIZE	(DETECT_MAX_TRACKED * 4)	/* power of two */
#define WATCH_FRACTION	2	/* watch at threshold / 2 */
/* UDP that comes mostly from reflector ports is an amplification attack at
 * a fifth of the udp threshold (1000/s by default): a flood of answers
 * nobody asked for; the plain udp threshold is set for busy servers. */
#define REFLECT_FRACTION 5
/*
 * Space-Saving is fed a random sample of at most about TOPK_RATE packets a
 * second per target (the rate of the second before decides; within a
 * second, each time the target's count passes twice what the sample allows,
 * the sample halves -- a flood's first second), each counted
 * with weight `sample`: a source with share f of N packets then has about
 * f*N/sample samples, so its count's relative standard error is about
 * sqrt(sample / (f*N)) -- 0.7% for a 2% source of a 10-million-packet flood
 * sampled 1 in 16. HyperLogLog sees every packet (it is cheaper than the
 * sampling decision is worth).
 */
#define TOPK_RATE	65536
#define CHECK_EVERY	64	/* packets between mid-second watch checks */

/* One neighbour's packets to a tracked target: on link, from the router
 * with MAC mac (all zero when the link type has none), or reported by
 * telemetry as previous-adjacent AS peer_as (0 = none). */
struct ingress_slot {
	uint16_t link;
	uint8_t mac[6];
	uint32_t peer_as;
	uint64_t packets;
	int64_t first_us, last_us;
};

struct track {
	int used;
	struct addr target;
	struct dst_entry *dst;		/* pinned while tracked */
	struct hll *hll;
	struct topk *topk;
	struct spoof_acc *spoof;
	uint64_t packets;		/* to the target while tracked */
	uint64_t from_home;		/* ... of which from home sources */
	int64_t watch_first_us;		/* first packet of the watch */
	int64_t last_watch_sec;		/* last second at watch level */
	struct alert *alert;		/* active alert, or NULL */
	uint32_t sample;		/* Space-Saving sees 1 packet in this many */
	uint32_t rng;			/* xorshift32 state for the sample */
	uint64_t asked;			/* UDP the target sent to reflector
					 * ports (queries) in second asked_sec */
	int64_t asked_sec;
	struct ingress_slot ing[ALERT_INGRESS];	/* first come, kept */
	unsigned ning;
	uint64_t ing_other;		/* packets of neighbours beyond them */
};

struct detect {
	struct detect_settings s;	/* a copy; its arrays are borrowed */
	FILE *out;
	detect_routed_fn routed;
	void *routed_ctx;
	const struct prefixdb *pdb;
	detect_linkname_fn linkname;
	void *linkname_ctx;
	uint64_t seed;

	struct track tracks[DETECT_MAX_TRACKED];
	unsigned ntracked;
	struct track *index[INDEX_SIZE];	/* by target address */

	struct alert *alerts;		/* DETECT_MAX_ALERTS */
	size_t nalerts;
	uint64_t next_id;
	int kind_seen[DETECT_MAX_ALERTS][KIND_COUNT];
};

static const char *const kind_names[KIND_COUNT] = {
	"syn_flood", "udp_flood", "amplification", "icmp_flood",
	"fragment_flood", "mixed",
};

const char *
alert_kind_name(enum alert_kind k)
{
	return k < KIND_COUNT ? kind_names[k] : "unknown";
}

const char *
alert_direction_name(enum alert_direction d)
{
	switch (d) {
	case DIR_INBOUND: return "inbound";
	case DIR_OUTBOUND: return "outbound";
	default: return "unknown";
	}
}

const char *
alert_spoof_name(enum spoof_level l)
{
	switch (l) {
	case SPOOF_LOW: return "low";
	case SPOOF_MEDIUM: return "medium";
	case SPOOF_HIGH: return "high";
	}
	return "unknown";
}

struct detect *
detect_new(const struct detect_settings *s, FILE *alerts_out)
{
	struct detect *d = xcalloc(1, sizeof(*d));
	size_t i;

	d->s = *s;
	d->out = alerts_out;
	d->seed = 0x7370726f6f666564ULL;
	d->next_id = 1;
	d->alerts = xcalloc(DETECT_MAX_ALERTS, sizeof(*d->alerts));
	for (i = 0; i < DETECT_MAX_TRACKED; i++) {
		d->tracks[i].hll = hll_new(DETECT_HLL_P);
		d->tracks[i].topk = topk_new(DETECT_TOPK);
		d->tracks[i].spoof = spoof_acc_new();
	}
	return d;
}

void
detect_free(struct detect *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < DETECT_MAX_TRACKED; i++) {
		hll_free(d->tracks[i].hll);
		topk_free(d->tracks[i].topk);
		spoof_acc_free(d->tracks[i].spoof);
	}
	free(d->alerts);
	free(d);
}

void
detect_set_routed(struct detect *d, detect_routed_fn fn, void *ctx)
{
	d->routed = fn;
	d->routed_ctx = ctx;
}

void
detect_set_linkname(struct detect *d, detect_linkname_fn fn, void *ctx)
{
	d->linkname = fn;
	d->linkname_ctx = ctx;
}

/* prefix_routed_cb() answers straight into spoof_acc_assess(). */
_Static_assert(PREFIX_PARTIAL == SPOOF_ROUTED_PARTIAL,
    "prefix.h and spoof.h disagree on the extract answer");

void
detect_set_prefixdb(struct detect *d, const struct prefixdb *db)
{
	d->pdb = db;
	if (db != NULL)
		detect_set_routed(d, prefix_routed_cb, (void *)(uintptr_t)db);
}

/* ---- the index of tracked targets --------------------------------- */

static struct track **
index_slot(struct detect *d, const struct addr *a)
{
	uint64_t h = addr_hash(a, d->seed);
	size_t i = h & (INDEX_SIZE - 1), n;

	for (n = 0; n < INDEX_SIZE; n++) {
		struct track **slot = &d->index[i];

		if (*slot == NULL || addr_eq(&(*slot)->target, a))
			return slot;
		i = (i + 1) & (INDEX_SIZE - 1);
	}
	return NULL;		/* cannot happen: the index is 4x the pool */
}

static struct track *
index_find(struct detect *d, const struct addr *a)
{
	struct track **slot;

	if (d->ntracked == 0)
		return NULL;
	slot = index_slot(d, a);
	return slot != NULL ? *slot : NULL;
}

/* Rebuild the index without t (linear probing needs a re-insert). */
static void
index_rebuild(struct detect *d)
{
	size_t i;

	memset(d->index, 0, sizeof(d->index));
	for (i = 0; i < DETECT_MAX_TRACKED; i++) {
		struct track *t = &d->tracks[i];
		struct track **slot;

		if (t->used && (slot = index_slot(d, &t->target)) != NULL)
			*slot = t;
	}
}

static struct track *
track_start(struct detect *d, struct dst_entry *e, int64_t first_us,
    int64_t sec)
{
	struct track *t = NULL, **slot;
	size_t i;

	for (i = 0; i < DETECT_MAX_TRACKED; i++)
		if (!d->tracks[i].used) {
			t = &d->tracks[i];
			break;
		}
	if (t == NULL)
		return NULL;
	t->used = 1;
	t->target = e->addr;
	t->dst = e;
	t->packets = t->from_home = 0;
	t->watch_first_us = first_us;
	t->last_watch_sec = sec;
	t->alert = NULL;
	t->sample = 1;
	t->rng = 0x9e3779b9u;
	t->asked = 0;
	t->asked_sec = 0;
	t->ning = 0;
	t->ing_other = 0;
	hll_reset(t->hll);
	topk_reset(t->topk);
	spoof_acc_reset(t->spoof);
	e->track = t;
	e->pinned++;
	d->ntracked++;
	if ((slot = index_slot(d, &e->addr)) != NULL)
		*slot = t;
	return t;
}

static void
track_stop(struct detect *d, struct track *t)
{
	if (t->dst != NULL) {
		t->dst->track = NULL;
		if (t->dst->pinned > 0)
			t->dst->pinned--;
	}
	t->used = 0;
	t->dst = NULL;
	t->alert = NULL;
	d->ntracked--;
	index_rebuild(d);
}

/* ---- per packet ------------------------------------------------------- */

static int at_watch_level(const struct dst_second *s,
    const struct thresholds *thr);
static struct track *track_start(struct detect *d, struct dst_entry *e,
    int64_t first_us, int64_t sec);

/*
 * Start tracking a destination as soon as it reaches watch level within a
 * second, not only when the second closes, so the sources of an attack's
 * first second are counted too.
 */
static void
maybe_watch(struct detect *d, struct dst_entry *e)
{
	struct thresholds thr;

	if (e->sec.packets % CHECK_EVERY != 0)
		return;
	detect_thresholds_for(&d->s, &e->addr, &thr);
	if (at_watch_level(&e->sec, &thr))
		track_start(d, e, e->sec.first_us, e->sec.first_us / 1000000);
}

/*
 * Count p for the neighbour that handed it over (link, router MAC, AS from
 * telemetry). The first ALERT_INGRESS neighbours keep their own counters;
 * later ones go to "other" (the few routers of a network's borders fit).
 */
static void
ingress_add(struct track *t, const struct pkt *p, const uint8_t *mac)
{
	struct ingress_slot *g;
	unsigned i;

	for (i = 0; i < t->ning; i++) {
		g = &t->ing[i];
		if (g->link == p->link && g->peer_as == p->peer_as &&
		    memcmp(g->mac, mac, 6) == 0) {
			g->packets += p->weight;
			g->last_us = p->ts_us;
			return;
		}
	}
	if (t->ning == ALERT_INGRESS) {
		t->ing_other += p->weight;
		return;
	}
	g = &t->ing[t->ning++];
	g->link = p->link;
	memcpy(g->mac, mac, 6);
	g->peer_as = p->peer_as;
	g->packets = p->weight;
	g->first_us = g->last_us = p->ts_us;
}

void
detect_packet(struct detect *d, const struct pkt *p, struct dst_entry *e)
{
	struct track *t;

	if (p->family == 0)
		return;
	if (e != NULL && e->track == NULL)
		maybe_watch(d, e);
	if (d->ntracked == 0)
		return;
	if (e != NULL && (t = e->track) != NULL) {
		uint64_t h = addr_hash(&p->src, d->seed);

		int ours = d->s.nhome > 0 && detect_is_home(&d->s, &p->src);

		t->packets += p->weight;
		if (ours)
			t->from_home += p->weight;
		hll_add(t->hll, h);
		/* Faster than the sample allows within this very second (a
		 * flood's first): sample more sparsely from now on. */
		if (e->sec.packets >= (uint64_t)TOPK_RATE * t->sample * 2 &&
		    t->sample < (1u << 20))
			t->sample <<= 1;
		if (t->sample == 1)
			topk_add(t->topk, &p->src, h, p->weight);
		else {
			t->rng ^= t->rng << 13;
			t->rng ^= t->rng >> 17;
			t->rng ^= t->rng << 5;
			if ((t->rng & (t->sample - 1)) == 0)
				topk_add(t->topk, &p->src, h,
				    (uint64_t)p->weight * t->sample);
		}
		spoof_acc_add(t->spoof, p, ours ? SPOOF_TO_TARGET_OURS :
		    SPOOF_TO_TARGET);
		/* outbound (ours towards a foreign target), the neighbour is
		 * the router we hand the frame to */
		ingress_add(t, p, ours && !e->home ? p->mac_dst : p->mac_src);
	}
	/* Replies from a tracked target (SYN-ACKs) count for the handshake
	 * completion sign. */
	if (p->l4 == L4_TCP &&
	    (p->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) &&
	    (t = index_find(d, &p->src)) != NULL)
		spoof_acc_add(t->spoof, p, SPOOF_FROM_TARGET);
	/* Queries from a tracked target to reflector ports: the answers it
	 * receives were asked for (a resolver), not reflected at it. */
	else if (p->l4 == L4_UDP && stats_reflector_port(p->dport) &&
	    (t = index_find(d, &p->src)) != NULL) {
		int64_t sec = p->ts_us / 1000000;

		if (t->asked_sec != sec) {
			t->asked_sec = sec;
			t->asked = 0;
		}
		t->asked += p->weight;
	}
}

/* ---- per second --------------------------------------------------------- */

static int
over(uint64_t v, uint64_t thr)
{
	return thr != 0 && v >= thr;
}

static int
watch(uint64_t v, uint64_t thr)
{
	return thr != 0 && v >= thr / WATCH_FRACTION;
}

/* The attack kind of one second, or -1 when nothing is over threshold.
 * asked: the target itself sent queries for the reflector-port UDP it got. */
static int
classify(const struct dst_second *s, const struct thresholds *thr, int asked)
{
	int syn = over(s->syn, thr->v[THR_SYN]);
	int reflect = s->udp > 0 && s->udp_reflect * 2 >= s->udp;
	int udp = over(s->udp, thr->v[THR_UDP]) || (reflect && !asked &&
	    over(s->udp_reflect, thr->v[THR_UDP] / REFLECT_FRACTION));
	int icmp = over(s->icmp, thr->v[THR_ICMP]);
	int frag = over(s->frag, thr->v[THR_FRAG]);
	int vol = over(s->packets, thr->v[THR_PPS]) ||
	    over(s->bytes * 8, thr->v[THR_BPS]);

	if (!syn && !udp && !icmp && !frag && !vol)
		return -1;
	if (syn + udp + icmp > 1)
		return KIND_MIXED;
	if (syn)
		return KIND_SYN_FLOOD;
	if (udp)
		return reflect ? KIND_AMPLIFICATION : KIND_UDP_FLOOD;
	if (icmp)
		return KIND_ICMP_FLOOD;
	if (frag) {
		/* Fragments of amplified answers are still amplification. */
		return reflect ? KIND_AMPLIFICATION : KIND_FRAGMENT_FLOOD;
	}
	/* Over pps/bps only: name it by the protocol that dominates. */
	if (s->syn * 2 > s->packets)
		return KIND_SYN_FLOOD;
	if (s->udp * 2 > s->packets)
		return reflect ? KIND_AMPLIFICATION : KIND_UDP_FLOOD;
	if (s->icmp * 2 > s->packets)
		return KIND_ICMP_FLOOD;
	if (s->frag * 2 > s->packets)
		return KIND_FRAGMENT_FLOOD;
	return KIND_MIXED;
}

static int
at_watch_level(const struct dst_second *s, const struct thresholds *thr)
{
	return watch(s->syn, thr->v[THR_SYN]) || watch(s->udp, thr->v[THR_UDP]) ||
	    watch(s->udp_reflect, thr->v[THR_UDP] / REFLECT_FRACTION) ||
	    watch(s->icmp, thr->v[THR_ICMP]) || watch(s->frag, thr->v[THR_FRAG]) ||
	    watch(s->packets, thr->v[THR_PPS]) ||
	    watch(s->bytes * 8, thr->v[THR_BPS]);
}

static void
write_line(struct detect *d, const struct alert *a, const char *event)
{
	struct jsonw w;

	if (d->out == NULL)
		return;
	jsonw_init(&w, d->out, 0);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "event", event);
	jsonw_key(&w, "alert");
	detect_alert_json(&w, a);
	jsonw_obj_close(&w);
	jsonw_end(&w);
	fflush(d->out);
}

static int
share_cmp(const void *x, const void *y)
{
	const struct alert_share *a = x, *b = y;

	if (a->share != b->share)
		return a->share < b->share ? 1 : -1;
	if (a->asn != b->asn)
		return a->asn < b->asn ? -1 : 1;
	return strcmp(a->country, b->country);
}

/*
 * Shares by country and AS from the spoofing accumulator's uniform sample
 * of the attack's packets (at most SPOOF_SAMPLE lookups, once a second).
 */
static void
attribute(struct detect *d, struct track *t, struct alert *a)
{
	struct alert_share cc[SPOOF_SAMPLE], as[SPOOF_SAMPLE];
	const struct addr *sample;
	size_t n, i, j, ncc = 0, nas = 0;
	struct prefix_info info;

	if (d->pdb == NULL)
		return;
	prefix_lookup(d->pdb, &a->target, &info);
	a->target_asn = info.asn;
	snprintf(a->target_country, sizeof(a->target_country), "%s", info.country);
	text_sanitize(a->target_org, sizeof(a->target_org), info.as_org,
	    strlen(info.as_org));
	for (i = 0; i < a->ntop; i++) {
		prefix_lookup(d->pdb, &a->top[i].addr, &info);
		a->top[i].asn = info.asn;
		snprintf(a->top[i].country, sizeof(a->top[i].country), "%s",
		    info.country);
	}
	if (t == NULL || (n = spoof_acc_sample(t->spoof, &sample)) == 0)
		return;
	for (i = 0; i < n; i++) {
		prefix_lookup(d->pdb, &sample[i], &info);
		for (j = 0; j < ncc; j++)
			if (strcmp(cc[j].country, info.country) == 0)
				break;
		if (j == ncc) {
			memset(&cc[ncc], 0, sizeof(cc[0]));
			snprintf(cc[ncc++].country, 3, "%s", info.country);
		}
		cc[j].share += 1.0 / (double)n;
		for (j = 0; j < nas; j++)
			if (as[j].asn == info.asn)
				break;
		if (j == nas) {
			memset(&as[nas], 0, sizeof(as[0]));
			as[nas++].asn = info.asn;
		}
		as[j].share += 1.0 / (double)n;
	}
	qsort(cc, ncc, sizeof(cc[0]), share_cmp);
	qsort(as, nas, sizeof(as[0]), share_cmp);
	a->ncountries = (unsigned)(ncc < ALERT_GROUPS ? ncc : ALERT_GROUPS);
	memcpy(a->by_country, cc, a->ncountries * sizeof(cc[0]));
	a->nasns = (unsigned)(nas < ALERT_GROUPS ? nas : ALERT_GROUPS);
	memcpy(a->by_asn, as, a->nasns * sizeof(as[0]));
}

static int
ingress_cmp(const void *x, const void *y)
{
	const struct alert_ingress *a = x, *b = y;

	if (a->packets != b->packets)
		return a->packets < b->packets ? 1 : -1;
	return a->first_us < b->first_us ? -1 : a->first_us > b->first_us;
}

/* A contact for AS asn from the neighbour and peer settings, or "". */
static const char *
contact_of_asn(const struct detect_settings *o, uint32_t asn)
{
	size_t i;

	for (i = 0; i < o->nneighbours; i++)
		if (o->neighbours[i].asn == asn &&
		    o->neighbours[i].contact[0] != '\0')
			return o->neighbours[i].contact;
	for (i = 0; i < o->npeers; i++)
		if (o->peers[i].asn == asn && o->peers[i].contact[0] != '\0')
			return o->peers[i].contact;
	return "";
}

/*
 * The alert's ingress from the tracker's neighbour counters, named by the
 * settings: a router's MAC (neighbour), else the AS telemetry reported,
 * else the link's only neighbour (peer). Once a second per alert.
 */
static void
refresh_ingress(struct detect *d, const struct track *t, struct alert *a)
{
	static const uint8_t zero[6];
	uint64_t total = t->ing_other;
	unsigned i;

	for (i = 0; i < t->ning; i++)
		total += t->ing[i].packets;
	a->ningress = t->ning;
	a->ingress_other = t->ing_other;
	for (i = 0; i < t->ning; i++) {
		const struct ingress_slot *g = &t->ing[i];
		struct alert_ingress *n = &a->ingress[i];
		const struct neighbourdef *nd = NULL;
		char name[ALERT_LINK_LEN];

		memset(n, 0, sizeof(*n));
		if (d->linkname != NULL && d->linkname(d->linkname_ctx, g->link,
		    name, sizeof(name)) != NULL)
			text_sanitize(n->link, sizeof(n->link), name,
			    strlen(name));
		n->has_mac = memcmp(g->mac, zero, 6) != 0;
		memcpy(n->mac, g->mac, 6);
		n->packets = g->packets;
		n->share = total > 0 ? (double)g->packets / (double)total : 0;
		n->first_us = g->first_us;
		n->last_us = g->last_us;
		if (n->has_mac)
			nd = detect_neighbour(&d->s, g->mac);
		if (nd == NULL && g->peer_as != 0) {
			n->asn = g->peer_as;
			snprintf(n->contact, sizeof(n->contact), "%s",
			    contact_of_asn(&d->s, g->peer_as));
			continue;
		}
		if (nd == NULL && n->link[0] != '\0')
			nd = detect_peer(&d->s, n->link);
		if (nd != NULL) {
			n->asn = nd->asn;
			snprintf(n->contact, sizeof(n->contact), "%s",
			    nd->contact);
		}
	}
	qsort(a->ingress, a->ningress, sizeof(a->ingress[0]), ingress_cmp);
}

/* Fill the alert's source view from its tracker. */
static void
refresh_sources(struct detect *d, struct track *t, struct alert *a)
{
	struct topk_item items[ALERT_TOP_SOURCES];
	struct spoof_result sr;
	uint64_t total;
	size_t n, i;

	if (t == NULL)
		return;
	a->sources_est = hll_estimate(t->hll);
	total = topk_total(t->topk);
	n = topk_list(t->topk, items, ALERT_TOP_SOURCES);
	a->ntop = (unsigned)n;
	for (i = 0; i < n; i++) {
		a->top[i].addr = items[i].addr;
		a->top[i].packets = items[i].count;
		a->top[i].share = total > 0 ? (double)items[i].count / (double)total
		    : 0;
	}
	memset(&sr, 0, sizeof(sr));
	spoof_acc_assess(t->spoof, d->routed, d->routed_ctx, &sr);
	a->spoof = sr.level;
	a->spoof_score = sr.score;
	a->nevidence = sr.nevidence < ALERT_EVIDENCE ? sr.nevidence :
	    ALERT_EVIDENCE;
	for (i = 0; i < a->nevidence; i++)
		snprintf(a->evidence[i], ALERT_EVIDENCE_LEN, "%s", sr.evidence[i]);
	if (d->s.nhome > 0 && !detect_is_home(&d->s, &a->target))
		a->direction = t->from_home * 2 > t->packets ? DIR_OUTBOUND :
		    DIR_UNKNOWN;
	refresh_ingress(d, t, a);
	attribute(d, t, a);
}

/* Make room: drop the oldest ended alert from memory. */
static struct alert *
alert_slot(struct detect *d, size_t *idx)
{
	size_t i, oldest = SIZE_MAX;

	if (d->nalerts < DETECT_MAX_ALERTS) {
		*idx = d->nalerts;
		return &d->alerts[d->nalerts++];
	}
	for (i = 0; i < d->nalerts; i++)
		if (d->alerts[i].end_us != 0 &&
		    (oldest == SIZE_MAX || d->alerts[i].end_us <
		    d->alerts[oldest].end_us))
			oldest = i;
	if (oldest == SIZE_MAX)
		return NULL;	/* all active: no new alert fits */
	*idx = oldest;
	return &d->alerts[oldest];
}

/* A new alert on e, or NULL when memory holds only active alerts. */
static struct alert *
alert_start(struct detect *d, struct track *t, struct dst_entry *e,
    int64_t sec, int kind)
{
	struct alert *a;
	size_t idx;
	int64_t start = e->sec.first_us;

	if ((a = alert_slot(d, &idx)) == NULL)
		return NULL;
	memset(a, 0, sizeof(*a));
	memset(d->kind_seen[idx], 0, sizeof(d->kind_seen[idx]));
	a->id = d->next_id++;
	a->target = e->addr;
	a->kind = (enum alert_kind)kind;
	if (d->s.nhome == 0)
		a->direction = DIR_UNKNOWN;
	else if (detect_is_home(&d->s, &e->addr))
		a->direction = DIR_INBOUND;
	else
		a->direction = DIR_UNKNOWN;	/* refined from the sources */
	/* The attack began with the watch if the watch ran up to now. (A
	 * destination closed with its second always has its first packet's
	 * time, and the watch began with one: 0 is the epoch, not "unset".) */
	if (t != NULL && t->watch_first_us < start &&
	    sec - t->last_watch_sec <= 1)
		start = t->watch_first_us;
	a->start_us = start;
	a->link = e->link;
	if (t != NULL)
		t->alert = a;
	else {
		snprintf(a->evidence[0], ALERT_EVIDENCE_LEN, "sources not "
		    "tracked: more than %d targets under watch at once",
		    DETECT_MAX_TRACKED);
		a->nevidence = 1;
	}
	return a;
}

/* Fold the second e just closed into a; first: a was just started by alert_start()
 * (every alert in d->alerts has had at least that one update). */
static void
alert_update(struct detect *d, struct track *t, struct alert *a,
    struct dst_entry *e, int kind, int first)
{
	size_t idx = (size_t)(a - d->alerts);
	const struct dst_second *s = &e->sec;
	int k, kinds = 0, last = -1;

	d->kind_seen[idx][kind]++;
	for (k = 0; k < KIND_COUNT; k++)
		if (d->kind_seen[idx][k] > 0) {
			kinds++;
			last = k;
		}
	a->kind = kinds == 1 ? (enum alert_kind)last : KIND_MIXED;
	a->last_us = s->last_us;	/* e was touched in this second */
	a->cur_pps = s->packets;
	a->cur_bps = s->bytes * 8;
	if (a->cur_pps > a->peak_pps)
		a->peak_pps = a->cur_pps;
	if (a->cur_bps > a->peak_bps)
		a->peak_bps = a->cur_bps;
	if (s->syn > a->syn)
		a->syn = s->syn;
	if (s->udp > a->udp)
		a->udp = s->udp;
	if (s->icmp > a->icmp)
		a->icmp = s->icmp;
	if (s->frag > a->frag)
		a->frag = s->frag;
	if (s->udp_reflect > 0)
		a->top_port = s->reflect_port;
	a->packets += s->packets;
	a->bytes += s->bytes;
	a->link = e->link;
	refresh_sources(d, t, a);
	if (first)
		write_line(d, a, "start");
}

static void
alert_end(struct detect *d, struct alert *a)
{
	a->end_us = a->last_us;
	write_line(d, a, "end");
}

void
detect_second(struct detect *d, int64_t sec, struct dst_entry *e)
{
	struct thresholds thr;
	struct dst_second sec_eff;
	struct track *t = e->track;
	int kind, watching, asked;

	detect_thresholds_for(&d->s, &e->addr, &thr);
	sec_eff = e->sec;
	/* Our hosts answering a ping flood send echo replies back to the
	 * flooder: that is not an attack from our network. Towards a foreign
	 * address, echo replies do not count as ICMP; towards our own, only
	 * those from outside do (a Smurf reflection arrives as replies; our
	 * host answering another of ours that floods it is the flood's echo,
	 * not a second attack on the flooder). */
	if (d->s.nhome > 0)
		sec_eff.icmp -= e->home ? sec_eff.icmp_reply_home :
		    sec_eff.icmp_reply;
	/* It sent queries for at least half the reflector-port answers it
	 * got (counted once tracked, so from the watch on). */
	asked = t != NULL && t->asked_sec == sec &&
	    t->asked * 2 >= sec_eff.udp_reflect;
	kind = classify(&sec_eff, &thr, asked);
	watching = kind >= 0 || at_watch_level(&sec_eff, &thr);
	if (watching && t == NULL)
		t = track_start(d, e, e->sec.first_us, sec);
	if (t != NULL && watching)
		t->last_watch_sec = sec;
	if (t != NULL) {
		/* Sample for the next second from this one's rate. */
		uint64_t s = e->sec.packets / TOPK_RATE;

		t->sample = 1;
		while (t->sample < s && t->sample < (1u << 20))
			t->sample <<= 1;
	}
	if (kind < 0) {
		if (t != NULL && t->alert != NULL) {
			t->alert->cur_pps = e->sec.packets;
			t->alert->cur_bps = e->sec.bytes * 8;
		}
		return;
	}
	if (t == NULL || t->alert == NULL) {
		/* An untracked target (pool full) still gets its alert; find
		 * an active one for it first. */
		struct alert *a = NULL;
		size_t i;

		if (t == NULL)
			for (i = 0; i < d->nalerts; i++)
				if (d->alerts[i].end_us == 0 &&
				    addr_cmp(&d->alerts[i].target, &e->addr) == 0)
					a = &d->alerts[i];
		if (a != NULL) {
			alert_update(d, t, a, e, kind, 0);
			return;
		}
		if ((a = alert_start(d, t, e, sec, kind)) == NULL)
			return;
		alert_update(d, t, a, e, kind, 1);
		return;
	}
	alert_update(d, t, t->alert, e, kind, 0);
}

void
detect_tick(struct detect *d, int64_t sec)
{
	size_t i;
	int64_t quiet = (int64_t)d->s.quiet_s;

	for (i = 0; i < DETECT_MAX_TRACKED; i++) {
		struct track *t = &d->tracks[i];

		if (!t->used)
			continue;
		if (t->alert != NULL && sec - t->alert->last_us / 1000000 >= quiet) {
			refresh_sources(d, t, t->alert);
			alert_end(d, t->alert);
			track_stop(d, t);
		} else if (t->alert == NULL && sec - t->last_watch_sec >= quiet)
			track_stop(d, t);
	}
	/* Alerts without a tracker. */
	for (i = 0; i < d->nalerts; i++) {
		struct alert *a = &d->alerts[i];

		if (a->end_us == 0 && sec - a->last_us / 1000000 >= quiet &&
		    index_find(d, &a->target) == NULL)
			alert_end(d, a);
	}
}

void
detect_finish(struct detect *d, int64_t last_us)
{
	size_t i;

	(void)last_us;
	for (i = 0; i < DETECT_MAX_TRACKED; i++) {
		struct track *t = &d->tracks[i];

		if (t->used && t->alert != NULL) {
			refresh_sources(d, t, t->alert);
			alert_end(d, t->alert);
		}
		if (t->used)
			track_stop(d, t);
	}
	for (i = 0; i < d->nalerts; i++)
		if (d->alerts[i].end_us == 0)
			alert_end(d, &d->alerts[i]);
}

static int
alert_order(const void *x, const void *y)
{
	const struct alert *a = x, *b = y;
	int aa = a->end_us == 0, ba = b->end_us == 0;

	if (aa != ba)
		return aa ? -1 : 1;
	if (aa) {
		if (a->start_us != b->start_us)
			return a->start_us > b->start_us ? -1 : 1;
	} else if (a->end_us != b->end_us)
		return a->end_us > b->end_us ? -1 : 1;
	return a->id > b->id ? -1 : 1;
}

size_t
detect_alerts(const struct detect *d, struct alert *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < d->nalerts && n < max; i++)
		out[n++] = d->alerts[i];
	qsort(out, n, sizeof(*out), alert_order);
	return n;
}

uint64_t
detect_count(const struct detect *d)
{
	return d->next_id - 1;
}

void
detect_alert_json(struct jsonw *w, const struct alert *a)
{
	char buf[64], abuf[ADDR_STRLEN];
	unsigned i;

	jsonw_obj_open(w);
	jsonw_ku64(w, "id", a->id);
	jsonw_kstr(w, "target", addr_format(&a->target, abuf, sizeof(abuf)));
	if (a->target_asn != 0)
		jsonw_ku64(w, "target_asn", a->target_asn);
	else {
		jsonw_key(w, "target_asn");
		jsonw_null(w);
	}
	jsonw_key(w, "target_country");
	if (a->target_country[0] != '\0')
		jsonw_str(w, a->target_country);
	else
		jsonw_null(w);
	jsonw_kstr(w, "kind", alert_kind_name(a->kind));
	jsonw_kstr(w, "direction", alert_direction_name(a->direction));
	jsonw_kstr(w, "start", time_rfc3339(buf, sizeof(buf), a->start_us, 1));
	jsonw_key(w, "end");
	if (a->end_us != 0)
		jsonw_str(w, time_rfc3339(buf, sizeof(buf), a->end_us, 1));
	else
		jsonw_null(w);
	jsonw_kbool(w, "active", a->end_us == 0);
	jsonw_ku64(w, "peak_pps", a->peak_pps);
	jsonw_ku64(w, "peak_bps", a->peak_bps);
	jsonw_ku64(w, "current_pps", a->cur_pps);
	jsonw_ku64(w, "current_bps", a->cur_bps);
	jsonw_ku64(w, "packets", a->packets);
	jsonw_ku64(w, "bytes", a->bytes);
	jsonw_ku64(w, "peak_syn_pps", a->syn);
	jsonw_ku64(w, "peak_udp_pps", a->udp);
	jsonw_ku64(w, "peak_icmp_pps", a->icmp);
	jsonw_ku64(w, "peak_fragment_pps", a->frag);
	if (a->top_port != 0)
		jsonw_ku64(w, "reflector_port", a->top_port);
	jsonw_ku64(w, "sources_est", a->sources_est);
	jsonw_kstr(w, "spoofing_level", alert_spoof_name(a->spoof));
	jsonw_kdouble(w, "spoofing_score", a->spoof_score);
	jsonw_key(w, "spoofing_evidence");
	jsonw_arr_open(w);
	for (i = 0; i < a->nevidence; i++)
		jsonw_str(w, a->evidence[i]);
	jsonw_arr_close(w);
	jsonw_key(w, "top_sources");
	jsonw_arr_open(w);
	for (i = 0; i < a->ntop; i++) {
		jsonw_obj_open(w);
		jsonw_kstr(w, "addr", addr_format(&a->top[i].addr, abuf,
		    sizeof(abuf)));
		jsonw_ku64(w, "packets", a->top[i].packets);
		jsonw_kdouble(w, "share", a->top[i].share);
		jsonw_key(w, "asn");
		if (a->top[i].asn != 0)
			jsonw_u64(w, a->top[i].asn);
		else
			jsonw_null(w);
		jsonw_key(w, "country");
		if (a->top[i].country[0] != '\0')
			jsonw_str(w, a->top[i].country);
		else
			jsonw_null(w);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
	jsonw_key(w, "source_countries");
	jsonw_arr_open(w);
	for (i = 0; i < a->ncountries; i++) {
		jsonw_obj_open(w);
		jsonw_key(w, "country");
		if (a->by_country[i].country[0] != '\0')
			jsonw_str(w, a->by_country[i].country);
		else
			jsonw_null(w);
		jsonw_kdouble(w, "share", a->by_country[i].share);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
	jsonw_key(w, "source_asns");
	jsonw_arr_open(w);
	for (i = 0; i < a->nasns; i++) {
		jsonw_obj_open(w);
		jsonw_key(w, "asn");
		if (a->by_asn[i].asn != 0)
			jsonw_u64(w, a->by_asn[i].asn);
		else
			jsonw_null(w);
		jsonw_kdouble(w, "share", a->by_asn[i].share);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
	jsonw_key(w, "ingress");
	jsonw_arr_open(w);
	for (i = 0; i < a->ningress; i++) {
		const struct alert_ingress *n = &a->ingress[i];

		jsonw_obj_open(w);
		jsonw_key(w, "link");
		if (n->link[0] != '\0')
			jsonw_str(w, n->link);
		else
			jsonw_null(w);
		jsonw_key(w, "mac");
		if (n->has_mac) {
			snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
			    n->mac[0], n->mac[1], n->mac[2], n->mac[3],
			    n->mac[4], n->mac[5]);
			jsonw_str(w, buf);
		} else
			jsonw_null(w);
		jsonw_key(w, "asn");
		if (n->asn != 0)
			jsonw_u64(w, n->asn);
		else
			jsonw_null(w);
		jsonw_key(w, "contact");
		if (n->contact[0] != '\0')
			jsonw_str(w, n->contact);
		else
			jsonw_null(w);
		jsonw_ku64(w, "packets", n->packets);
		jsonw_kdouble(w, "share", n->share);
		jsonw_kstr(w, "first_seen", time_rfc3339(buf, sizeof(buf),
		    n->first_us, 1));
		jsonw_kstr(w, "last_seen", time_rfc3339(buf, sizeof(buf),
		    n->last_us, 1));
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
	jsonw_ku64(w, "ingress_other_packets", a->ingress_other);
	jsonw_obj_close(w);
}
