/*
 * netflow_impl.h -- what the two halves of the NetFlow / IPFIX parser
 * share (private to src/flow/netflow*.c): the template cache and the
 * exporter domains (netflow_cache.c), read and filled by the message
 * walkers and the record decoder (netflow.c). See netflow.c for the data
 * structure and its bounds.
 */
#ifndef KYOCHO_NETFLOW_IMPL_H
#define KYOCHO_NETFLOW_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "flow/netflow.h"

#define NF_BUCKETS	4096

struct nf_field {
	uint16_t ie;
	uint16_t len;		/* 65535 = variable (IPFIX) */
	uint32_t pen;		/* enterprise number, 0 = IETF */
};

struct nf_dom;

struct nf_tmpl {
	struct nf_tmpl *next;
	struct nf_dom *dom;
	uint16_t id;
	uint16_t nfields;
	uint16_t nscope;
	uint8_t options;
	int64_t seen_us;	/* learnt or last refreshed */
	size_t min_len;		/* a variable field counted as one byte */
	struct nf_field f[];
};

struct nf_dom {
	struct nf_dom *next;
	struct addr peer;
	uint16_t port;
	uint8_t version;
	uint32_t domain;
	uint32_t ntmpl;
	uint32_t rate;		/* 0 = not known */
	int64_t init_ms;	/* systemInitTimeMilliseconds, 0 = not known */
	struct {
		uint32_t id;
		uint32_t rate;
	} sampler[NF_MAX_SAMPLERS];
	size_t nsampler;
};

struct netflow {
	struct nf_tmpl *tb[NF_BUCKETS];
	struct nf_dom *db[NF_BUCKETS];
	size_t ntmpl;
	size_t ndom;
	int64_t now_us;		/* time of the datagram being parsed */
	uint32_t datarecs;	/* data records (flow and options) in it */
};

/* The domain of (peer, port, version, domain), or NULL. */
struct nf_dom *nf_dom_find(const struct netflow *nf, const struct addr *peer,
    uint16_t port, int version, uint32_t domain);
/* Find or make the domain; NULL when NF_MAX_DOMAINS are in use (and none
 * without templates can be freed). */
struct nf_dom *nf_dom_get(struct netflow *nf, const struct addr *peer,
    uint16_t port, int version, uint32_t domain);
/* Template id of d, or NULL if unknown; one past its lifetime (at
 * nf->now_us) is forgotten here and NULL returned. */
struct nf_tmpl *nf_tmpl_live(struct netflow *nf, const struct nf_dom *d,
    uint16_t id);
/* Withdraw one template, or all data (options = 0) or options (1)
 * templates of d when all is set. Returns how many went. */
uint32_t nf_tmpl_withdraw(struct netflow *nf, struct nf_dom *d, uint16_t id,
    int all, int options);
/* Store (or replace) a template learnt at nf->now_us. Returns 0, or -1 when
 * refused (empty, too long, or the cache or d's share is full). */
int nf_tmpl_store(struct netflow *nf, struct nf_dom *d, uint16_t id,
    int options, const struct nf_field *f, uint16_t nfields, uint16_t nscope);

#endif
