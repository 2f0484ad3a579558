/*
 * sflow.c -- sFlow version 5 (sFlow.org, "sFlow Version 5", July 2004).
 *
 * Datagram: version, agent address (IPv4 or IPv6), sub-agent id, sequence,
 * uptime, then samples, each an XDR opaque tagged (enterprise << 12 |
 * format). Standard (enterprise 0) formats read here:
 *   sample 1 flow sample, 3 expanded flow sample,
 *   sample 2 counter sample, 4 expanded counter sample;
 *   flow record 1 raw packet header (header protocol 1 Ethernet, 11 IPv4,
 *   12 IPv6: decoded by decode_frame(); an Ethernet frame length loses
 *   the FCS the spec counts in it), 3 sampled IPv4, 4 sampled IPv6;
 *   counter record 1 generic interface counters.
 * Anything else is skipped by its length. Every read goes through rd.h, so
 * a hostile datagram can make a sample malformed but never read past len.
 */
#include "flow/sflow.h"

#include <string.h>

#include "base/rd.h"

#define SF_ADDR_IP4	1
#define SF_ADDR_IP6	2

#define SF_FLOW_SAMPLE		1
#define SF_COUNTER_SAMPLE	2
#define SF_FLOW_SAMPLE_EXP	3
#define SF_COUNTER_SAMPLE_EXP	4

#define SF_REC_HEADER	1
#define SF_REC_IPV4	3
#define SF_REC_IPV6	4
#define SF_REC_GATEWAY	1003	/* extended_gateway: BGP facts */

#define SF_CTR_GENERIC	1

#define SF_HDR_ETHERNET	1
#define SF_HDR_IPV4	11
#define SF_HDR_IPV6	12

/* XDR opaques are padded to four bytes. */
static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static int
read_addr(struct rd *r, struct addr *a)
{
	uint32_t type = rd_be32(r);

	memset(a, 0, sizeof(*a));
	if (type == SF_ADDR_IP4) {
		a->family = 4;
		return rd_copy(r, a->b, 4);
	}
	if (type == SF_ADDR_IP6) {
		a->family = 6;
		return rd_copy(r, a->b, 16);
	}
	r->bad = 1;
	return -1;
}

/* Best record found in one flow sample. */
struct sample_pkt {
	int have;		/* 0 none, 1 from sampled IPv4/6, 2 from header */
	struct pkt p;
};

/* Raw packet header record. Returns -1 if malformed. */
static int
rec_header(struct rd *r, struct sample_pkt *sp, uint32_t *skipped)
{
	uint32_t proto, frame_len, hlen;
	const uint8_t *h;
	struct pkt p;
	int link;
	enum decode_result dr;

	proto = rd_be32(r);
	frame_len = rd_be32(r);
	(void)rd_be32(r);		/* stripped */
	hlen = rd_be32(r);
	if (r->bad || hlen > rd_left(r))
		return -1;
	h = rd_take(r, hlen);
	if (rd_skip(r, pad4(hlen) - hlen) == -1)
		return -1;
	switch (proto) {
	case SF_HDR_ETHERNET:
		link = LINK_ETHERNET;
		break;
	case SF_HDR_IPV4:
		link = LINK_IPV4;
		break;
	case SF_HDR_IPV6:
		link = LINK_IPV6;
		break;
	default:
		(*skipped)++;
		return 0;
	}
	/*
	 * For Ethernet the spec counts the 4 FCS octets in frame_length; a
	 * capture (pcap orig_len) does not, so take them off to make sampled
	 * and captured byte counts agree (when the header did not keep them).
	 */
	if (link == LINK_ETHERNET && frame_len >= hlen + 4)
		frame_len -= 4;
	if (frame_len < hlen)
		frame_len = hlen;
	dr = decode_frame(link, h, hlen, frame_len, &p);
	/*
	 * A header cut by the agent's snap length is normal: what decoded is
	 * kept. Only a frame that carried no IP at all is left to a sampled
	 * IPv4/IPv6 record, if the sample has one.
	 */
	if (dr == DECODE_OK || (dr == DECODE_MALFORMED && p.family != 0)) {
		sp->p = p;
		sp->have = 2;
	} else if (sp->have == 0) {
		sp->p = p;	/* counted as traffic all the same */
		sp->have = 1;
	}
	return 0;
}

/* Sampled IPv4 (family 4) or IPv6 (6) record. */
static int
rec_sampled_ip(struct rd *r, int family, struct sample_pkt *sp)
{
	struct pkt p;
	uint32_t len, proto, sport, dport, flags;

	memset(&p, 0, sizeof(p));
	len = rd_be32(r);
	proto = rd_be32(r);
	p.family = (uint8_t)family;
	p.src.family = p.dst.family = (uint8_t)family;
	rd_copy(r, p.src.b, family == 4 ? 4 : 16);
	rd_copy(r, p.dst.b, family == 4 ? 4 : 16);
	sport = rd_be32(r);
	dport = rd_be32(r);
	flags = rd_be32(r);
	(void)rd_be32(r);		/* tos / priority */
	if (r->bad)
		return -1;
	if (sp->have == 2)
		return 0;		/* the header said more */
	p.flags |= PKT_NOTTL;		/* the record has no TTL */
	p.proto = (uint8_t)proto;
	p.l4 = decode_l4_of(p.proto);
	p.iplen = len;
	p.wirelen = len;
	if (p.l4 == L4_TCP || p.l4 == L4_UDP) {
		p.sport = (uint16_t)sport;
		p.dport = (uint16_t)dport;
	}
	if (p.l4 == L4_TCP)
		p.tcp_flags = (uint8_t)flags;
	if (p.l4 == L4_ICMP) {
		/* the spec puts ICMP type and code in the port fields */
		p.icmp_type = (uint8_t)sport;
		p.icmp_code = (uint8_t)dport;
	}
	sp->p = p;
	sp->have = 1;
	return 0;
}

/*
 * extended_gateway (sFlow v5, format 1003): next_hop (an address: type 1
 * IPv4 + 4 octets, 2 IPv6 + 16, 0 unknown), as, src_as, src_peer_as, then
 * the AS path and communities we do not need. src_peer_as is the AS of the
 * neighbour the packet came from: *peer_as (0 = the router did not know).
 * Returns -1 when the record is cut short.
 */
static int
rec_gateway(struct rd *r, uint32_t *peer_as)
{
	uint32_t type = rd_be32(r);

	if (type == 1)
		rd_skip(r, 4);
	else if (type == 2)
		rd_skip(r, 16);
	else if (type != 0)
		return -1;
	(void)rd_be32(r);		/* as: the router's own */
	(void)rd_be32(r);		/* src_as: the source address's origin */
	*peer_as = rd_be32(r);		/* src_peer_as */
	return r->bad ? -1 : 0;
}

static void
emit(const struct flow_sink *sink, const struct flow_origin *o,
    struct pkt *p, int64_t now_us, struct flow_result *res)
{
	uint64_t rate = o->rate != 0 ? o->rate : 1;

	p->ts_us = now_us;
	p->weight = (uint32_t)rate;
	p->wbytes = (uint64_t)p->wirelen * rate;
	res->records++;
	if (sink != NULL && sink->pkt != NULL)
		sink->pkt(sink->ctx, o, p);
}

/* Interface value of a compact flow sample: 2-bit format, 30-bit value. */
static uint32_t
compact_if(uint32_t v)
{
	return (v >> 30) == 0 ? (v & 0x3fffffff) : 0;
}

static int
flow_sample(struct rd *r, int expanded, struct flow_origin o,
    const struct flow_sink *sink, int64_t now_us, struct flow_result *res)
{
	uint32_t nrec, i, fmt, rlen, v, peer_as = 0;
	struct sample_pkt sp;
	struct rd rec;

	(void)rd_be32(r);			/* sequence number */
	if (expanded) {
		(void)rd_be32(r);		/* source id type */
		(void)rd_be32(r);		/* source id index */
	} else
		(void)rd_be32(r);
	o.rate = rd_be32(r);
	(void)rd_be32(r);			/* sample pool */
	(void)rd_be32(r);			/* drops */
	if (expanded) {
		v = rd_be32(r);
		o.in_if = rd_be32(r);
		if (v != 0)
			o.in_if = 0;
		v = rd_be32(r);
		o.out_if = rd_be32(r);
		if (v != 0)
			o.out_if = 0;
	} else {
		o.in_if = compact_if(rd_be32(r));
		o.out_if = compact_if(rd_be32(r));
	}
	nrec = rd_be32(r);
	if (r->bad || nrec > SFLOW_MAX_RECORDS)
		return -1;
	if (o.rate == 0)
		o.rate = 1;
	memset(&sp, 0, sizeof(sp));
	for (i = 0; i < nrec; i++) {
		fmt = rd_be32(r);
		rlen = rd_be32(r);
		if (r->bad || rlen > rd_left(r))
			return -1;
		rec = rd_sub(r, rlen);
		switch (fmt) {
		case SF_REC_HEADER:
			if (rec_header(&rec, &sp, &res->skipped) == -1)
				return -1;
			break;
		case SF_REC_IPV4:
			if (rec_sampled_ip(&rec, 4, &sp) == -1)
				return -1;
			break;
		case SF_REC_IPV6:
			if (rec_sampled_ip(&rec, 6, &sp) == -1)
				return -1;
			break;
		case SF_REC_GATEWAY:
			if (rec_gateway(&rec, &peer_as) == -1)
				return -1;
			break;
		default:
			break;		/* extended data, other enterprises */
		}
	}
	if (sp.have) {
		sp.p.peer_as = peer_as;
		emit(sink, &o, &sp.p, now_us, res);
	}
	else
		res->skipped++;
	return 0;
}

static int
ctr_generic(struct rd *r, struct flow_origin *o, const struct flow_sink *sink,
    struct flow_result *res)
{
	struct flow_ifcounters c;

	memset(&c, 0, sizeof(c));
	c.ifindex = rd_be32(r);
	c.iftype = rd_be32(r);
	c.speed_bps = rd_be64(r);
	c.direction = rd_be32(r);
	c.status = rd_be32(r);
	c.in_octets = rd_be64(r);
	c.in_pkts = rd_be32(r);
	c.in_pkts += rd_be32(r);
	c.in_pkts += rd_be32(r);
	c.in_discards = rd_be32(r);
	c.in_errors = rd_be32(r);
	(void)rd_be32(r);		/* unknown protos */
	c.out_octets = rd_be64(r);
	c.out_pkts = rd_be32(r);
	c.out_pkts += rd_be32(r);
	c.out_pkts += rd_be32(r);
	c.out_discards = rd_be32(r);
	c.out_errors = rd_be32(r);
	(void)rd_be32(r);		/* promiscuous mode */
	if (r->bad)
		return -1;
	o->in_if = o->out_if = c.ifindex;
	res->counters++;
	if (sink != NULL && sink->ifc != NULL)
		sink->ifc(sink->ctx, o, &c);
	return 0;
}

static int
counter_sample(struct rd *r, int expanded, struct flow_origin o,
    const struct flow_sink *sink, struct flow_result *res)
{
	uint32_t nrec, i, fmt, rlen;
	struct rd rec;

	(void)rd_be32(r);			/* sequence number */
	(void)rd_be32(r);			/* source id (type) */
	if (expanded)
		(void)rd_be32(r);		/* source id index */
	nrec = rd_be32(r);
	if (r->bad || nrec > SFLOW_MAX_RECORDS)
		return -1;
	for (i = 0; i < nrec; i++) {
		fmt = rd_be32(r);
		rlen = rd_be32(r);
		if (r->bad || rlen > rd_left(r))
			return -1;
		rec = rd_sub(r, rlen);
		if (fmt == SF_CTR_GENERIC && ctr_generic(&rec, &o, sink,
		    res) == -1)
			return -1;
	}
	return 0;
}

int
sflow_parse(const uint8_t *p, size_t len, const struct addr *peer,
    uint16_t peer_port, int64_t now_us, const struct flow_sink *sink,
    struct flow_result *res)
{
	struct rd r, s;
	struct flow_origin o;
	uint32_t nsamples, i, fmt, slen;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	memset(&o, 0, sizeof(o));
	rd_init(&r, p, len);
	o.kind = FLOW_SFLOW;
	o.version = 5;
	if (peer != NULL)
		o.peer = *peer;
	o.peer_port = peer_port;
	if (rd_be32(&r) != 5) {
		res->malformed = 1;
		return -1;
	}
	res->version = 5;
	if (read_addr(&r, &o.exporter) == -1)
		goto bad;
	o.domain = rd_be32(&r);		/* sub-agent id */
	res->domain = o.domain;
	res->agent = o.exporter;
	res->seq = rd_be32(&r);		/* datagram sequence number */
	(void)rd_be32(&r);		/* uptime */
	nsamples = rd_be32(&r);
	if (r.bad || nsamples > SFLOW_MAX_SAMPLES)
		goto bad;
	for (i = 0; i < nsamples; i++) {
		fmt = rd_be32(&r);
		slen = rd_be32(&r);
		if (r.bad || slen > rd_left(&r))
			goto bad;
		s = rd_sub(&r, slen);
		switch (fmt) {
		case SF_FLOW_SAMPLE:
		case SF_FLOW_SAMPLE_EXP:
			rc = flow_sample(&s, fmt == SF_FLOW_SAMPLE_EXP, o, sink,
			    now_us, res);
			break;
		case SF_COUNTER_SAMPLE:
		case SF_COUNTER_SAMPLE_EXP:
			rc = counter_sample(&s, fmt == SF_COUNTER_SAMPLE_EXP, o,
			    sink, res);
			break;
		default:
			rc = 0;		/* another enterprise's sample */
			break;
		}
		if (rc == -1)
			goto bad;
	}
	if (rd_left(&r) != 0)
		goto bad;		/* trailing bytes: count is wrong */
	res->seq_span = 1;
	res->seq_unit = FLOW_SEQ_DATAGRAMS;
	return 0;
bad:
	res->malformed = 1;
	return -1;
}
