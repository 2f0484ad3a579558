/*
 * flowsrc.c -- the telemetry listeners of the settings as one source (see
 * flowsrc.h). Keeps the collectors and a small open-addressed table from
 * (exporter, ifIndex) to link index.
 */
#include "flow/flowsrc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define FS_MAX_COLL	(2 * MAX_FLOW_LISTEN)

struct fs_coll {
	struct flow_collector *c;
	int kind;
	const char *listen;
};

struct flowsrc {
	struct flow_settings s;		/* a copy; what it points to is borrowed */
	struct fs_coll coll[FS_MAX_COLL];
	size_t ncoll;
	unsigned base;
	unsigned max;
	struct flowsrc_link *links;	/* max entries; the last is "other" */
	size_t nlinks;			/* named/auto links in use (< max) */
	int other_used;
	uint16_t *slots;		/* hash: link index + 1, 0 = free */
	size_t nslots;
	void (*fn)(void *, const struct flow_origin *, const struct pkt *);
	void *ctx;
};

const struct flowlinkdef *
flowsrc_link_for(const struct flow_settings *s, const struct addr *exporter,
    uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < s->nlinks; i++)
		if (s->links[i].ifindex == ifindex &&
		    addr_cmp(&s->links[i].exporter, exporter) == 0)
			return &s->links[i];
	return NULL;
}

struct flowsrc *
flowsrc_new(const struct flow_settings *s, unsigned link_base,
    unsigned max_links, char *errbuf)
{
	struct flowsrc *fs;
	size_t i;

	if (s->nsflow + s->nnetflow == 0) {
		err_set(errbuf, "no --sflow or --netflow listener given");
		return NULL;
	}
	if (max_links < 2 || link_base + max_links > 65535) {
		err_set(errbuf, "flow links: bad bounds");
		return NULL;
	}
	fs = xcalloc(1, sizeof(*fs));
	fs->s = *s;
	fs->base = link_base;
	fs->max = max_links;
	fs->links = xcalloc(max_links, sizeof(*fs->links));
	fs->nslots = 1;
	while (fs->nslots < (size_t)max_links * 2)
		fs->nslots <<= 1;
	fs->slots = xcalloc(fs->nslots, sizeof(*fs->slots));
	snprintf(fs->links[max_links - 1].name,
	    sizeof(fs->links[0].name), "other");
	for (i = 0; i < s->nsflow + s->nnetflow; i++) {
		struct fs_coll *c = &fs->coll[fs->ncoll];
		int sf = i < s->nsflow;
		char err[ERRBUF_SIZE];

		c->kind = sf ? FLOW_SFLOW : FLOW_NETFLOW;
		c->listen = sf ? s->sflow_listen[i] :
		    s->netflow_listen[i - s->nsflow];
		if ((c->c = flowc_new(c->kind, c->listen, err)) == NULL) {
			err_set(errbuf, "--%s %s", sf ? "sflow" : "netflow",
			    err);
			flowsrc_free(fs);
			return NULL;
		}
		fs->ncoll++;
	}
	return fs;
}

void
flowsrc_free(struct flowsrc *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->ncoll; i++)
		flowc_free(fs->coll[i].c);
	free(fs->links);
	free(fs->slots);
	free(fs);
}

size_t
flowsrc_fds(const struct flowsrc *fs, int *fds, size_t max)
{
	size_t i;

	for (i = 0; i < fs->ncoll && i < max; i++)
		fds[i] = flowc_fd(fs->coll[i].c);
	return i;
}

/* Index (0-based) of the link for exporter + ifindex. */
static size_t
link_of(struct flowsrc *fs, const struct addr *ex, uint32_t ifindex,
    uint32_t rate)
{
	size_t h = (size_t)addr_hash(ex, 0x6c696e6b ^ ifindex) &
	    (fs->nslots - 1), i, k;
	struct flowsrc_link *l;
	const struct flowlinkdef *fl;
	char buf[ADDR_STRLEN];

	for (i = 0; i < fs->nslots; i++) {
		uint16_t *s = &fs->slots[(h + i) & (fs->nslots - 1)];

		if (*s == 0)
			break;
		l = &fs->links[*s - 1];
		if (l->ifindex == ifindex && addr_cmp(&l->exporter, ex) == 0) {
			if (rate != 0)
				l->rate = rate;
			return *s - 1u;
		}
	}
	if (i == fs->nslots || fs->nlinks >= fs->max - 1) {
		if (rate != 0) {
			fs->links[fs->max - 1].rate = rate;
			fs->other_used = 1;
		}
		return fs->max - 1;
	}
	k = fs->nlinks++;
	fs->slots[(h + i) & (fs->nslots - 1)] = (uint16_t)(k + 1);
	l = &fs->links[k];
	l->exporter = *ex;
	l->ifindex = ifindex;
	l->rate = rate;
	if ((fl = flowsrc_link_for(&fs->s, ex, ifindex)) != NULL) {
		snprintf(l->name, sizeof(l->name), "%s", fl->name);
		l->capacity_bps = fl->capacity_bps;
	} else if (ex->family == 6)
		snprintf(l->name, sizeof(l->name), "[%s]:%u",
		    addr_format(ex, buf, sizeof(buf)), ifindex);
	else
		snprintf(l->name, sizeof(l->name), "%s:%u",
		    addr_format(ex, buf, sizeof(buf)), ifindex);
	return k;
}

static void
on_pkt(void *ctx, const struct flow_origin *o, const struct pkt *p)
{
	struct flowsrc *fs = ctx;
	struct pkt q = *p;
	uint32_t ifx = o->in_if != 0 ? o->in_if : o->out_if;

	q.link = (uint16_t)(fs->base + link_of(fs, &o->exporter, ifx,
	    o->rate));
	fs->fn(fs->ctx, o, &q);
}

/* sFlow ifSpeed fills the capacity of links no flowlink sized. */
static void
on_ifc(void *ctx, const struct flow_origin *o, const struct flow_ifcounters *c)
{
	struct flowsrc *fs = ctx;
	size_t k = link_of(fs, &o->exporter, c->ifindex, 0);

	if (k != fs->max - 1 && flowsrc_link_for(&fs->s, &o->exporter,
	    c->ifindex) == NULL && c->speed_bps != 0)
		fs->links[k].capacity_bps = c->speed_bps;
}

int
flowsrc_poll(struct flowsrc *fs, void (*fn)(void *ctx,
    const struct flow_origin *o, const struct pkt *p), void *ctx)
{
	size_t i;
	int n, total = 0;

	fs->fn = fn;
	fs->ctx = ctx;
	for (i = 0; i < fs->ncoll; i++) {
		flowc_set_ifc(fs->coll[i].c, on_ifc, fs);
		if ((n = flowc_poll(fs->coll[i].c, on_pkt, fs)) == -1)
			return -1;
		total += n;
	}
	return total;
}

size_t
flowsrc_maxlinks(const struct flowsrc *fs)
{
	return fs->max;
}

const struct flowsrc_link *
flowsrc_link(const struct flowsrc *fs, size_t i)
{
	if (i < fs->nlinks || (i == fs->max - 1u && fs->other_used))
		return &fs->links[i];
	return NULL;
}

size_t
flowsrc_ncollectors(const struct flowsrc *fs)
{
	return fs->ncoll;
}

struct flow_collector *
flowsrc_collector(const struct flowsrc *fs, size_t i, int *kind,
    const char **listen)
{
	if (i >= fs->ncoll)
		return NULL;
	if (kind != NULL)
		*kind = fs->coll[i].kind;
	if (listen != NULL)
		*listen = fs->coll[i].listen;
	return fs->coll[i].c;
}

void
flowsrc_stats(const struct flowsrc *fs, struct flowc_stats *st)
{
	struct flowc_stats one;
	size_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < fs->ncoll; i++) {
		flowc_stats(fs->coll[i].c, &one);
		st->datagrams += one.datagrams;
		st->bytes += one.bytes;
		st->records += one.records;
		st->counters += one.counters;
		st->malformed += one.malformed;
		st->unknown += one.unknown;
		st->skipped += one.skipped;
		st->rejected += one.rejected;
		st->shed += one.shed;
		st->sock_drops += one.sock_drops;
		st->lost_datagrams += one.lost_datagrams;
		st->lost_records += one.lost_records;
		st->templates += one.templates;
		st->exporters += one.exporters;
		st->congested |= one.congested;
		if (one.rcvbuf > st->rcvbuf)
			st->rcvbuf = one.rcvbuf;
	}
}
