/*
 * netflow_cache.c -- the NetFlow v9 / IPFIX template cache and the exporter
 * domains (netflow_impl.h): two chained hash tables with fixed bucket
 * arrays, bounded by NF_MAX_TEMPLATES, NF_MAX_DOMAINS and
 * NF_MAX_DOMAIN_TEMPLATES; templates expire NF_TEMPLATE_LIFETIME_S after
 * they were last sent. The parser that fills and reads them is netflow.c.
 */
#include "flow/netflow_impl.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define LIFETIME_US	((int64_t)NF_TEMPLATE_LIFETIME_S * 1000000)

static size_t
dom_hash(const struct addr *peer, uint16_t port, int version, uint32_t domain)
{
	uint64_t h = addr_hash(peer, 0x6e6574666c6f77ULL);

	h = mix64(h ^ ((uint64_t)port << 40 | (uint64_t)version << 32 | domain));
	return (size_t)(h % NF_BUCKETS);
}

static size_t
tmpl_hash(const struct nf_dom *d, uint16_t id)
{
	return (size_t)(mix64((uint64_t)(uintptr_t)d ^ id) % NF_BUCKETS);
}

struct nf_dom *
nf_dom_find(const struct netflow *nf, const struct addr *peer,
    uint16_t port, int version, uint32_t domain)
{
	struct nf_dom *d;

	d = nf->db[dom_hash(peer, port, version, domain)];
	for (; d != NULL; d = d->next)
		if (d->port == port && d->version == version &&
		    d->domain == domain && addr_cmp(&d->peer, peer) == 0)
			return d;
	return NULL;
}

static void tmpl_sweep(struct netflow *);

/*
 * Free one domain that holds no templates (an exporter that restarted on
 * another port, or whose templates all expired), to make room. Returns 0,
 * or -1 if every domain still holds templates.
 */
static int
dom_reclaim(struct netflow *nf)
{
	struct nf_dom **dp, *d;
	size_t i;
	int swept = 0;

again:
	for (i = 0; i < NF_BUCKETS; i++)
		for (dp = &nf->db[i]; *dp != NULL; dp = &(*dp)->next)
			if ((*dp)->ntmpl == 0) {
				d = *dp;
				*dp = d->next;
				free(d);
				nf->ndom--;
				return 0;
			}
	if (!swept) {
		tmpl_sweep(nf);
		swept = 1;
		goto again;
	}
	return -1;
}

struct nf_dom *
nf_dom_get(struct netflow *nf, const struct addr *peer, uint16_t port,
    int version, uint32_t domain)
{
	struct nf_dom *d;
	size_t h;

	if ((d = nf_dom_find(nf, peer, port, version, domain)) != NULL)
		return d;
	if (nf->ndom >= NF_MAX_DOMAINS && dom_reclaim(nf) == -1)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	d->peer = *peer;
	d->port = port;
	d->version = (uint8_t)version;
	d->domain = domain;
	h = dom_hash(peer, port, version, domain);
	d->next = nf->db[h];
	nf->db[h] = d;
	nf->ndom++;
	return d;
}

static struct nf_tmpl **
tmpl_slot(struct netflow *nf, const struct nf_dom *d, uint16_t id)
{
	struct nf_tmpl **tp = &nf->tb[tmpl_hash(d, id)];

	for (; *tp != NULL; tp = &(*tp)->next)
		if ((*tp)->dom == d && (*tp)->id == id)
			return tp;
	return tp;
}


static void
tmpl_remove(struct netflow *nf, struct nf_tmpl **tp)
{
	struct nf_tmpl *t = *tp;

	*tp = t->next;
	t->dom->ntmpl--;
	nf->ntmpl--;
	free(t);
}

/* Forget every template past its lifetime. */
static void
tmpl_sweep(struct netflow *nf)
{
	struct nf_tmpl **tp;
	size_t i;

	for (i = 0; i < NF_BUCKETS; i++) {
		tp = &nf->tb[i];
		while (*tp != NULL) {
			if (nf->now_us - (*tp)->seen_us > LIFETIME_US)
				tmpl_remove(nf, tp);
			else
				tp = &(*tp)->next;
		}
	}
}

uint32_t
nf_tmpl_withdraw(struct netflow *nf, struct nf_dom *d, uint16_t id, int all,
    int options)
{
	struct nf_tmpl **tp;
	uint32_t n = 0;
	size_t i;

	if (!all) {
		tp = tmpl_slot(nf, d, id);
		if (*tp == NULL)
			return 0;
		tmpl_remove(nf, tp);
		return 1;
	}
	for (i = 0; i < NF_BUCKETS && d->ntmpl > 0; i++) {
		tp = &nf->tb[i];
		while (*tp != NULL) {
			if ((*tp)->dom == d && (*tp)->options == options) {
				tmpl_remove(nf, tp);
				n++;
			} else
				tp = &(*tp)->next;
		}
	}
	return n;
}

int
nf_tmpl_store(struct netflow *nf, struct nf_dom *d, uint16_t id, int options,
    const struct nf_field *f, uint16_t nfields, uint16_t nscope)
{
	struct nf_tmpl **tp, *t;
	size_t min_len = 0, i;

	for (i = 0; i < nfields; i++)
		min_len += f[i].len == 65535 ? 1 : f[i].len;
	if (min_len == 0 || min_len > 65535)
		return -1;
	tp = tmpl_slot(nf, d, id);
	if (*tp == NULL && nf->ntmpl >= NF_MAX_TEMPLATES) {
		tmpl_sweep(nf);
		tp = tmpl_slot(nf, d, id);
	}
	if (*tp == NULL && (nf->ntmpl >= NF_MAX_TEMPLATES ||
	    d->ntmpl >= NF_MAX_DOMAIN_TEMPLATES))
		return -1;
	t = xmalloc(sizeof(*t) + (size_t)nfields * sizeof(t->f[0]));
	t->dom = d;
	t->id = id;
	t->nfields = nfields;
	t->nscope = nscope;
	t->options = (uint8_t)options;
	t->seen_us = nf->now_us;
	t->min_len = min_len;
	memcpy(t->f, f, (size_t)nfields * sizeof(f[0]));
	if (*tp != NULL) {
		t->next = (*tp)->next;
		free(*tp);
		*tp = t;
	} else {
		t->next = NULL;
		*tp = t;
		d->ntmpl++;
		nf->ntmpl++;
	}
	return 0;
}

struct nf_tmpl *
nf_tmpl_live(struct netflow *nf, const struct nf_dom *d, uint16_t id)
{
	struct nf_tmpl **tp = tmpl_slot(nf, d, id);

	if (*tp != NULL && nf->now_us - (*tp)->seen_us > LIFETIME_US) {
		tmpl_remove(nf, tp);
		return NULL;	/* expired: as good as unknown */
	}
	return *tp;
}

struct netflow *
netflow_new(void)
{
	return xcalloc(1, sizeof(struct netflow));
}

void
netflow_free(struct netflow *nf)
{
	struct nf_tmpl *t, *tn;
	struct nf_dom *d, *dn;
	size_t i;

	if (nf == NULL)
		return;
	for (i = 0; i < NF_BUCKETS; i++) {
		for (t = nf->tb[i]; t != NULL; t = tn) {
			tn = t->next;
			free(t);
		}
		for (d = nf->db[i]; d != NULL; d = dn) {
			dn = d->next;
			free(d);
		}
	}
	free(nf);
}

size_t
netflow_ntemplates(const struct netflow *nf)
{
	return nf->ntmpl;
}

uint32_t
netflow_domain_rate(const struct netflow *nf, const struct addr *peer,
    uint16_t peer_port, int version, uint32_t domain)
{
	const struct nf_dom *d = nf_dom_find(nf, peer, peer_port, version, domain);

	return d != NULL ? d->rate : 0;
}
