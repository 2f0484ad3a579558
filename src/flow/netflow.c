/*
 * netflow.c -- NetFlow v5 (Cisco), NetFlow v9 (RFC 3954) and IPFIX
 * (RFC 7011; information elements from the IANA IPFIX registry, RFC 7012,
 * sampling elements from RFC 5477 / RFC 7270).
 *
 * Data structure (netflow_cache.c): two chained hash tables with fixed
 * bucket arrays,
 *   templates  (exporter addr, port, version, domain, template id) -> fields
 *   domains    (exporter addr, port, version, domain) -> sampling state,
 * both bounded (NF_MAX_TEMPLATES, NF_MAX_DOMAINS, NF_MAX_DOMAIN_TEMPLATES),
 * so a hostile exporter can fill its own share and then has its templates
 * refused, never grow memory without end. A template is replaced when it is
 * sent again (v9 refresh, IPFIX redefinition) and removed by an IPFIX
 * withdrawal (field count 0; template id 2 or 3 withdraws them all).
 *
 * Sampling: an options record carrying samplingInterval (34),
 * samplerRandomInterval (50), samplingPacketInterval/Space (305/306) or
 * samplingSize/Population (309/310) sets the rate, for its samplerId
 * (48/302) when it names one, else for the whole domain; a data record may
 * carry its own. v5 takes the header's sampling interval.
 *
 * Addresses: a template may carry IPv4 and IPv6 address fields both
 * (Cisco's do, filling the family not used with zeros). The family is the
 * record's ipVersion (60) when it has one and the template carries that
 * family's fields, else the family whose address fields are not all zero.
 *
 * Biflows (RFC 5103): reverse information elements (enterprise 29305)
 * reverse{Octet,Packet}{Delta,Total}Count, reverseTcpControlBits,
 * reverseIpTTL, reverseMinimumTTL and reverseIcmpTypeCode* give a second
 * record for the reverse direction: addresses, ports and interfaces
 * swapped, same end time.
 *
 * Sampled frames (RFC 7133): a record that names no address but carries
 * dataLinkFrameSection (315; Juniper inline monitoring, Cisco sampled raw
 * headers) has the frame decoded by decode_frame() when it is Ethernet
 * (dataLinkFrameType 408 absent or 1); dataLinkFrameSize (312) is its
 * length on the wire. It stands for packetDeltaCount packets (1 if not
 * given). A record that yields nothing usable -- no packets, no address,
 * a frame that carries no IP -- is counted in flow_result.skipped.
 *
 * Time: a record is stamped with its flow END time: flowEnd{Seconds,
 * Milliseconds,Microseconds,Nanoseconds} when present, else flowEndSysUpTime
 * (21) against the header's uptime (v5, v9) or systemInitTimeMilliseconds
 * (160, IPFIX; as a signed distance from the uptime at export, so 32-bit
 * wraps and flows older than the exporter's start come out right), else
 * the datagram's export time.
 */
#include "flow/netflow.h"

#include <stdlib.h>
#include <string.h>

#include "base/rd.h"
#include "base/util.h"
#include "flow/netflow_impl.h"

#define NTP_EPOCH	2208988800ULL	/* 1900 -> 1970 */
#define PEN_REVERSE	29305		/* RFC 5103 reverse elements */
#define FRAME_ETHERNET	1		/* dataLinkFrameType IEEE802.3 */

/* One direction's counters and per-packet fields. */
struct nf_dir {
	uint64_t octets, packets;
	uint8_t tcp_flags, ttl, minttl;
	int have_ttl, have_minttl, have_icmp;
	uint8_t icmp_type, icmp_code;
};

/* Everything one data record said that we use. */
struct nf_rec {
	struct nf_dir fwd;
	struct nf_dir rev;	/* RFC 5103 reverse direction */
	struct addr src, dst;	/* the family chosen (rec_family) */
	struct addr src4, dst4, src6, dst6;	/* as the fields said */
	uint8_t ipver;		/* ipVersion (60), 0 = not given */
	uint16_t sport, dport;
	uint8_t proto;
	const uint8_t *frame;	/* dataLinkFrameSection, in the datagram */
	size_t frame_len;
	uint32_t frame_size;	/* dataLinkFrameSize, 0 = not given */
	uint16_t frame_type;	/* dataLinkFrameType, 0 = not given */
	uint32_t in_if, out_if;
	uint32_t prev_as;	/* bgpPrevAdjacentAsNumber, 0 = not given */
	int64_t end_us;		/* absolute end, 0 = not given */
	uint32_t end_up;	/* flowEndSysUpTime, ms */
	int have_end_up;
	int64_t init_ms;
	uint64_t rate;
	uint64_t samp_int, samp_space, samp_size, samp_pop;
	uint32_t sampler;
	int have_sampler;
};

/* ---- records ---------------------------------------------------------- */

static uint64_t
be_uint(const uint8_t *q, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | q[i];
	return v;
}

/* NTP 64-bit timestamp (RFC 7011 dateTimeMicroseconds/Nanoseconds). */
static int64_t
ntp_to_us(uint64_t v)
{
	uint64_t s = v >> 32, frac = v & 0xffffffffULL;

	if (s < NTP_EPOCH)
		return 0;
	return (int64_t)(s - NTP_EPOCH) * 1000000 +
	    (int64_t)((frac * 1000000) >> 32);
}

static uint64_t
sat_mul(uint64_t a, uint64_t b)
{
	if (a != 0 && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

/* Per-direction fields: the same element ids say it for the forward
 * direction (enterprise 0) and the reverse one (PEN_REVERSE). Returns 1
 * if ie was one of them. */
static int
dir_field(struct nf_dir *dr, uint16_t ie, uint64_t v)
{
	switch (ie) {
	case 1:			/* octetDeltaCount */
	case 85:		/* octetTotalCount */
		dr->octets = v;
		return 1;
	case 2:			/* packetDeltaCount */
	case 86:		/* packetTotalCount */
		dr->packets = v;
		return 1;
	case 6:			/* tcpControlBits (1 or 2 bytes) */
		dr->tcp_flags |= (uint8_t)v;
		return 1;
	case 32:		/* icmpTypeCodeIPv4 */
	case 139:		/* icmpTypeCodeIPv6 */
		dr->icmp_type = (uint8_t)(v >> 8);
		dr->icmp_code = (uint8_t)v;
		dr->have_icmp = 1;
		return 1;
	case 176:
	case 178:
		dr->icmp_type = (uint8_t)v;
		dr->have_icmp = 1;
		return 1;
	case 177:
	case 179:
		dr->icmp_code = (uint8_t)v;
		dr->have_icmp = 1;
		return 1;
	case 192:		/* ipTTL */
		dr->ttl = (uint8_t)v;
		dr->have_ttl = 1;
		return 1;
	case 52:		/* minimumTTL */
		dr->minttl = (uint8_t)v;
		dr->have_minttl = 1;
		return 1;
	default:
		return 0;
	}
}

static void
set_addr(struct addr *a, int family, const uint8_t *q)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	memcpy(a->b, q, family == 4 ? 4 : 16);
}

/* One field's value into the record. Enterprise fields other than the
 * RFC 5103 reverse ones are skipped. */
static void
rec_field(struct nf_rec *r, const struct nf_field *f, const uint8_t *q,
    size_t n)
{
	uint64_t v;

	v = n <= 8 ? be_uint(q, n) : 0;
	if (f->pen == PEN_REVERSE) {
		(void)dir_field(&r->rev, f->ie, v);
		return;
	}
	if (f->pen != 0 || dir_field(&r->fwd, f->ie, v))
		return;
	switch (f->ie) {
	case 4:
		r->proto = (uint8_t)v;
		break;
	case 7:
		r->sport = (uint16_t)v;
		break;
	case 11:
		r->dport = (uint16_t)v;
		break;
	case 8:
		if (n == 4)
			set_addr(&r->src4, 4, q);
		break;
	case 12:
		if (n == 4)
			set_addr(&r->dst4, 4, q);
		break;
	case 27:
		if (n == 16)
			set_addr(&r->src6, 6, q);
		break;
	case 28:
		if (n == 16)
			set_addr(&r->dst6, 6, q);
		break;
	case 60:		/* ipVersion */
		r->ipver = (uint8_t)v;
		break;
	case 10:
		r->in_if = (uint32_t)v;
		break;
	case 14:
		r->out_if = (uint32_t)v;
		break;
	case 129:		/* bgpPrevAdjacentAsNumber (v9: BGP_ADJ_PREV_AS) */
		r->prev_as = (uint32_t)v;
		break;
	case 21:		/* flowEndSysUpTime, LAST_SWITCHED */
		r->end_up = (uint32_t)v;
		r->have_end_up = 1;
		break;
	case 151:		/* flowEndSeconds */
		r->end_us = (int64_t)(v & 0xffffffffULL) * 1000000;
		break;
	case 153:		/* flowEndMilliseconds */
		if (v < (uint64_t)INT64_MAX / 1000)
			r->end_us = (int64_t)v * 1000;
		break;
	case 155:		/* flowEndMicroseconds */
	case 157:		/* flowEndNanoseconds */
		if (n == 8)
			r->end_us = ntp_to_us(v);
		break;
	case 160:		/* systemInitTimeMilliseconds */
		if (v < (uint64_t)INT64_MAX / 1000)
			r->init_ms = (int64_t)v;
		break;
	case 34:		/* samplingInterval */
	case 50:		/* samplerRandomInterval */
		r->rate = v;
		break;
	case 48:		/* samplerId (v9 FLOW_SAMPLER_ID) */
	case 302:		/* selectorId */
		r->sampler = (uint32_t)v;
		r->have_sampler = 1;
		break;
	case 305:
		r->samp_int = v;
		break;
	case 306:
		r->samp_space = v;
		break;
	case 309:
		r->samp_size = v;
		break;
	case 310:
		r->samp_pop = v;
		break;
	case 312:		/* dataLinkFrameSize */
		r->frame_size = (uint32_t)v;
		break;
	case 315:		/* dataLinkFrameSection */
		r->frame = q;
		r->frame_len = n;
		break;
	case 408:		/* dataLinkFrameType */
		r->frame_type = (uint16_t)v;
		break;
	default:
		break;
	}
}

static int
addr_zero(const struct addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->b, zero, sizeof(zero)) == 0;
}

/*
 * Choose the record's address family: ipVersion when given and the
 * template has that family's fields; else the family whose fields are not
 * all zero (IPv4 first); else whichever the template has.
 */
static void
rec_family(struct nf_rec *r)
{
	int has4 = r->src4.family != 0 || r->dst4.family != 0;
	int has6 = r->src6.family != 0 || r->dst6.family != 0;
	int fam;

	if (r->ipver == 4 && has4)
		fam = 4;
	else if (r->ipver == 6 && has6)
		fam = 6;
	else if (has4 && (!addr_zero(&r->src4) || !addr_zero(&r->dst4)))
		fam = 4;
	else if (has6 && (!addr_zero(&r->src6) || !addr_zero(&r->dst6)))
		fam = 6;
	else
		fam = has4 ? 4 : has6 ? 6 : 0;
	if (fam == 4) {
		r->src = r->src4;
		r->dst = r->dst4;
	} else if (fam == 6) {
		r->src = r->src6;
		r->dst = r->dst6;
	}
}

/* The sampling rate a record states itself, 0 if none. */
static uint64_t
rec_rate(const struct nf_rec *r)
{
	if (r->rate != 0)
		return r->rate;
	if (r->samp_int != 0 && r->samp_space != 0)
		return (r->samp_int + r->samp_space) / r->samp_int;
	if (r->samp_size != 0 && r->samp_pop != 0)
		return r->samp_pop / r->samp_size;
	return 0;
}

static uint32_t
dom_sampler_rate(const struct nf_dom *d, uint32_t id)
{
	size_t i;

	for (i = 0; i < d->nsampler; i++)
		if (d->sampler[i].id == id)
			return d->sampler[i].rate;
	return 0;
}

static void
dom_learn(struct nf_dom *d, const struct nf_rec *r)
{
	uint64_t rate = rec_rate(r);
	size_t i;

	if (r->init_ms != 0)
		d->init_ms = r->init_ms;
	if (rate == 0)
		return;
	if (rate > UINT32_MAX)
		rate = UINT32_MAX;
	if (!r->have_sampler) {
		d->rate = (uint32_t)rate;
		return;
	}
	for (i = 0; i < d->nsampler; i++)
		if (d->sampler[i].id == r->sampler)
			break;
	if (i == d->nsampler) {
		if (d->nsampler == NF_MAX_SAMPLERS)
			i = r->sampler % NF_MAX_SAMPLERS;	/* overwrite one */
		else
			d->nsampler++;
	}
	d->sampler[i].id = r->sampler;
	d->sampler[i].rate = (uint32_t)rate;
	if (d->rate == 0)
		d->rate = (uint32_t)rate;
}

/* Header facts a record's time and rate are worked out from. */
struct nf_hdr {
	int version;
	uint32_t domain;
	uint32_t uptime_ms;	/* v5, v9 */
	int64_t export_us;	/* header time */
	uint32_t rate;		/* v5 header */
};

/* The record's end time, microseconds since the epoch. */
static int64_t
rec_time(const struct nf_rec *r, const struct nf_hdr *h,
    const struct nf_dom *d)
{
	int64_t init_ms;

	init_ms = r->init_ms != 0 ? r->init_ms : d != NULL ? d->init_ms : 0;
	if (r->end_us != 0)
		return r->end_us;
	if (r->have_end_up && h->version != 10)
		return h->export_us -
		    (int64_t)(int32_t)(h->uptime_ms - r->end_up) * 1000;
	if (r->have_end_up && init_ms != 0) {
		/*
		 * flowEndSysUpTime is 32-bit milliseconds since init: it
		 * wraps every 49.7 days, and an exporter replaying old
		 * packets puts flows before its own start. Take the signed
		 * distance from the uptime at export instead.
		 */
		int64_t exp_ms = h->export_us / 1000;
		uint32_t up_now = (uint32_t)(exp_ms - init_ms);

		return (exp_ms - (int64_t)(int32_t)(up_now - r->end_up)) *
		    1000;
	}
	return h->export_us;
}

/*
 * One direction of a record as a struct pkt: the forward one, or with
 * reverse set the RFC 5103 reverse one (addresses and ports swapped).
 * *packets is what it stands for and p->wbytes its octets, both before
 * sampling. Returns -1 if it carries no packets or no address.
 */
static int
rec_pkt(const struct nf_rec *r, int reverse, struct pkt *p, uint64_t *packets)
{
	const struct nf_dir *dr = reverse ? &r->rev : &r->fwd;
	uint64_t avg;

	if (dr->packets == 0 || (r->src.family == 0 && r->dst.family == 0))
		return -1;
	memset(p, 0, sizeof(*p));
	p->src = reverse ? r->dst : r->src;
	p->dst = reverse ? r->src : r->dst;
	p->family = p->src.family != 0 ? p->src.family : p->dst.family;
	p->proto = r->proto;
	p->l4 = decode_l4_of(r->proto);
	if (p->l4 == L4_TCP || p->l4 == L4_UDP) {
		p->sport = reverse ? r->dport : r->sport;
		p->dport = reverse ? r->sport : r->dport;
	}
	if (p->l4 == L4_TCP)
		p->tcp_flags = dr->tcp_flags;
	if (p->l4 == L4_ICMP) {
		if (dr->have_icmp) {
			p->icmp_type = dr->icmp_type;
			p->icmp_code = dr->icmp_code;
		} else if (r->fwd.have_icmp) {
			/* a biflow without reverse ICMP fields */
			p->icmp_type = r->fwd.icmp_type;
			p->icmp_code = r->fwd.icmp_code;
		} else {
			/* v5 and many v9 exporters: type << 8 | code in
			 * the destination port */
			p->icmp_type = (uint8_t)(r->dport >> 8);
			p->icmp_code = (uint8_t)r->dport;
		}
	}
	if (dr->have_ttl)
		p->ttl = dr->ttl;
	else if (dr->have_minttl)
		p->ttl = dr->minttl;
	else
		p->flags |= PKT_NOTTL;	/* 0 would read as a real TTL */
	avg = dr->octets / dr->packets;
	p->wirelen = avg > UINT32_MAX ? UINT32_MAX : (uint32_t)avg;
	p->iplen = p->wirelen;
	p->wbytes = dr->octets;
	*packets = dr->packets;
	return 0;
}

/*
 * A record without addresses that carries a sampled Ethernet frame
 * (dataLinkFrameSection): the frame decoded, standing for *packets =
 * packetDeltaCount (1 if not given) and p->wbytes = octetDeltaCount (else
 * that many frames of dataLinkFrameSize), before sampling. Returns -1 if
 * there is none, it is not Ethernet, or it carries no IP.
 */
static int
frame_pkt(const struct nf_rec *r, struct pkt *p, uint64_t *packets)
{
	enum decode_result dr;
	size_t wirelen;

	if (r->frame == NULL || r->frame_len == 0 ||
	    (r->frame_type != 0 && r->frame_type != FRAME_ETHERNET))
		return -1;
	wirelen = r->frame_size > r->frame_len ? r->frame_size : r->frame_len;
	dr = decode_frame(LINK_ETHERNET, r->frame, r->frame_len, wirelen, p);
	/* a section cut short is normal: what decoded is kept, as for an
	 * sFlow raw header */
	if (!(dr == DECODE_OK || (dr == DECODE_MALFORMED && p->family != 0)))
		return -1;
	*packets = r->fwd.packets != 0 ? r->fwd.packets : 1;
	p->wbytes = r->fwd.octets != 0 ? r->fwd.octets :
	    sat_mul(*packets, p->wirelen);
	return 0;
}

/* Hand p, standing for packets packets and p->wbytes octets before
 * sampling, to the sink with both scaled by rate. */
static void
deliver(struct pkt *p, uint64_t packets, uint64_t rate, int64_t ts_us,
    const struct flow_origin *o, const struct flow_sink *sink,
    struct flow_result *res)
{
	uint64_t w = sat_mul(packets, rate);

	p->weight = w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
	p->wbytes = sat_mul(p->wbytes, rate);
	p->ts_us = ts_us;
	res->records++;
	if (sink != NULL && sink->pkt != NULL)
		sink->pkt(sink->ctx, o, p);
}

/*
 * A data record to the sink: its forward direction, its reverse one
 * (biflows), or the sampled frame it carries. A record none of these
 * gives anything usable from is counted as skipped.
 */
static void
rec_emit(const struct nf_rec *r, const struct nf_hdr *h,
    const struct nf_dom *d, const struct addr *peer, uint16_t port,
    const struct flow_sink *sink, struct flow_result *res)
{
	struct flow_origin o;
	struct pkt p;
	uint64_t rate, packets;
	int64_t ts_us;
	int n = 0;

	rate = rec_rate(r);
	if (rate == 0 && d != NULL && r->have_sampler)
		rate = dom_sampler_rate(d, r->sampler);
	if (rate == 0 && d != NULL)
		rate = d->rate;
	if (rate == 0)
		rate = h->rate;
	if (rate == 0)
		rate = 1;
	if (rate > UINT32_MAX)
		rate = UINT32_MAX;

	memset(&o, 0, sizeof(o));
	o.kind = FLOW_NETFLOW;
	o.version = (uint8_t)h->version;
	o.exporter = *peer;
	o.peer = *peer;
	o.peer_port = port;
	o.domain = h->domain;
	o.in_if = r->in_if;
	o.out_if = r->out_if;
	o.rate = (uint32_t)rate;
	ts_us = rec_time(r, h, d);

	if (r->src.family == 0 && r->dst.family == 0) {
		if (frame_pkt(r, &p, &packets) == 0) {
			p.peer_as = r->prev_as;
			deliver(&p, packets, rate, ts_us, &o, sink, res);
			n++;
		}
	} else {
		if (rec_pkt(r, 0, &p, &packets) == 0) {
			/* the previous-adjacent AS is the forward direction's;
			 * the reverse came from elsewhere */
			p.peer_as = r->prev_as;
			deliver(&p, packets, rate, ts_us, &o, sink, res);
			n++;
		}
		if (rec_pkt(r, 1, &p, &packets) == 0) {
			/* the reverse packets left where the forward came in */
			o.in_if = r->out_if;
			o.out_if = r->in_if;
			deliver(&p, packets, rate, ts_us, &o, sink, res);
			n++;
		}
	}
	if (n == 0)
		res->skipped++;
}

/* ---- NetFlow v5 ------------------------------------------------------- */

static int
parse_v5(struct rd *r, const struct addr *peer, uint16_t port,
    const struct flow_sink *sink, struct flow_result *res)
{
	struct nf_hdr h;
	struct nf_rec rec;
	uint32_t secs, nsecs, i, count;
	uint16_t si;

	memset(&h, 0, sizeof(h));
	h.version = 5;
	count = rd_be16(r);
	h.uptime_ms = rd_be32(r);
	secs = rd_be32(r);
	nsecs = rd_be32(r);
	res->seq = rd_be32(r);			/* flows sent before */
	h.domain = (uint32_t)rd_u8(r) << 8;	/* engine type */
	h.domain |= rd_u8(r);			/* engine id */
	si = rd_be16(r);
	if (r->bad || count == 0 || count > NF_V5_MAX_COUNT ||
	    rd_left(r) < (size_t)count * 48)
		return -1;
	h.rate = si & 0x3fff;
	h.export_us = (int64_t)secs * 1000000 + nsecs / 1000;
	res->domain = h.domain;
	/* The same fields are written for every record, so one clearing
	 * serves them all; the length was checked above, so each record is
	 * one bounded read of 48 bytes. */
	memset(&rec, 0, sizeof(rec));
	rec.src.family = rec.dst.family = 4;
	rec.have_end_up = 1;
	for (i = 0; i < count; i++) {
		const uint8_t *q = rd_take(r, 48);

		if (q == NULL)
			return -1;
		memcpy(rec.src.b, q, 4);
		memcpy(rec.dst.b, q + 4, 4);
		/* 8: next hop */
		rec.in_if = be16_get(q + 12);
		rec.out_if = be16_get(q + 14);
		rec.fwd.packets = be32_get(q + 16);
		rec.fwd.octets = be32_get(q + 20);
		/* 24: first */
		rec.end_up = be32_get(q + 28);
		rec.sport = be16_get(q + 32);
		rec.dport = be16_get(q + 34);
		/* 36: pad */
		rec.fwd.tcp_flags = q[37];
		rec.proto = q[38];
		/* 39: tos; 40: AS, masks, pad */
		rec_emit(&rec, &h, NULL, peer, port, sink, res);
	}
	res->seq_span = count;
	res->seq_unit = FLOW_SEQ_RECORDS;
	return rd_left(r) == 0 ? 0 : -1;
}

/* ---- templates (v9 and IPFIX) ------------------------------------------ */

/*
 * Read nfields field specifiers. IPFIX ones may carry an enterprise number
 * (high bit of the element id). Fields past NF_MAX_FIELDS are read but not
 * stored; *over says so. Returns -1 if the set is cut short.
 */
static int
read_fields(struct rd *r, int ipfix, uint16_t nfields, struct nf_field *f,
    int *over)
{
	uint16_t i, ie, len;
	uint32_t pen;

	*over = nfields > NF_MAX_FIELDS;
	for (i = 0; i < nfields; i++) {
		ie = rd_be16(r);
		len = rd_be16(r);
		pen = 0;
		if (ipfix && (ie & 0x8000)) {
			ie &= 0x7fff;
			pen = rd_be32(r);
		}
		if (r->bad)
			return -1;
		if (!ipfix && len == 65535)
			*over = 1;	/* v9 has no variable length */
		if (i < NF_MAX_FIELDS) {
			f[i].ie = ie;
			f[i].len = len;
			f[i].pen = pen;
		}
	}
	return 0;
}

static void
store(struct netflow *nf, struct nf_dom *d, uint16_t id, int options,
    const struct nf_field *f, uint16_t nfields, uint16_t nscope, int over,
    struct flow_result *res)
{
	if (d == NULL || over ||
	    nf_tmpl_store(nf, d, id, options, f, nfields, nscope) == -1)
		res->rejected++;
	else
		res->templates++;
}

/* v9 template flowset (id 0) or options template flowset (id 1). */
static int
v9_templates(struct netflow *nf, struct rd *r, int options, struct nf_dom *d,
    struct flow_result *res)
{
	struct nf_field f[NF_MAX_FIELDS];
	uint16_t id, n, scope_len, opt_len, nscope;
	int over;

	while (rd_left(r) >= (options ? 6u : 4u)) {
		id = rd_be16(r);
		if (options) {
			scope_len = rd_be16(r);
			opt_len = rd_be16(r);
			if (scope_len % 4 != 0 || opt_len % 4 != 0)
				return -1;
			nscope = scope_len / 4;
			n = (uint16_t)(nscope + opt_len / 4);
		} else {
			n = rd_be16(r);
			nscope = 0;
		}
		if (id < 256 || n == 0)
			return -1;
		if (read_fields(r, 0, n, f, &over) == -1)
			return -1;
		/* v9 scope fields are (type, len) with scope types 1..5,
		 * not information elements: keep them out of the way */
		if (options) {
			uint16_t i;

			for (i = 0; i < nscope && i < NF_MAX_FIELDS; i++)
				f[i].pen = 0xffffffff;
		}
		store(nf, d, id, options, f, n, nscope, over, res);
	}
	return 0;
}

/* IPFIX template set (2) or options template set (3). */
static int
ipfix_templates(struct netflow *nf, struct rd *r, int options,
    struct nf_dom *d, struct flow_result *res)
{
	struct nf_field f[NF_MAX_FIELDS];
	uint16_t id, n, nscope;
	int over;

	while (rd_left(r) >= 4) {
		id = rd_be16(r);
		n = rd_be16(r);
		if (n == 0) {		/* withdrawal (RFC 7011 8.1) */
			if (d == NULL)
				continue;
			if (id == (options ? 3 : 2))
				res->withdrawn += nf_tmpl_withdraw(nf, d, 0, 1,
				    options);
			else if (id >= 256)
				res->withdrawn += nf_tmpl_withdraw(nf, d, id, 0,
				    options);
			else
				return -1;
			continue;
		}
		if (id < 256)
			return -1;
		nscope = 0;
		if (options) {
			nscope = rd_be16(r);
			if (r->bad || nscope == 0 || nscope > n)
				return -1;
		}
		if (read_fields(r, 1, n, f, &over) == -1)
			return -1;
		store(nf, d, id, options, f, n, nscope, over, res);
	}
	return 0;
}

/* Data records of one set, described by template t. */
static int
data_set(struct netflow *nf, struct rd *r, const struct nf_tmpl *t,
    struct nf_dom *d, const struct nf_hdr *h, const struct addr *peer,
    uint16_t port, const struct flow_sink *sink, struct flow_result *res)
{
	struct nf_rec rec;
	const uint8_t *q;
	size_t n;
	uint16_t i;

	while (rd_left(r) >= t->min_len) {
		memset(&rec, 0, sizeof(rec));
		for (i = 0; i < t->nfields; i++) {
			n = t->f[i].len;
			if (n == 65535) {	/* RFC 7011 7. */
				n = rd_u8(r);
				if (n == 255)
					n = rd_be16(r);
			}
			if ((q = rd_take(r, n)) == NULL)
				return -1;
			rec_field(&rec, &t->f[i], q, n);
		}
		nf->datarecs++;
		if (t->options)
			dom_learn(d, &rec);
		else {
			if (rec.init_ms != 0)
				d->init_ms = rec.init_ms;
			rec_family(&rec);
			rec_emit(&rec, h, d, peer, port, sink, res);
		}
	}
	return 0;			/* what is left is padding */
}

static int
parse_sets(struct netflow *nf, struct rd *r, const struct nf_hdr *h,
    const struct addr *peer, uint16_t port, const struct flow_sink *sink,
    struct flow_result *res)
{
	struct nf_dom *d;
	struct nf_tmpl *t;
	struct rd s;
	uint16_t id, slen;
	int ipfix = h->version == 10, rc;

	d = nf_dom_find(nf, peer, port, h->version, h->domain);
	while (rd_left(r) >= 4) {
		id = rd_be16(r);
		slen = rd_be16(r);
		if (slen < 4 || (size_t)slen - 4 > rd_left(r))
			return -1;
		s = rd_sub(r, (size_t)slen - 4);
		rc = 0;
		if ((!ipfix && id <= 1) || (ipfix && (id == 2 || id == 3))) {
			if (d == NULL)
				d = nf_dom_get(nf, peer, port, h->version,
				    h->domain);
			if (ipfix)
				rc = ipfix_templates(nf, &s, id == 3, d, res);
			else
				rc = v9_templates(nf, &s, id == 1, d, res);
		} else if (id >= 256) {
			t = d != NULL ? nf_tmpl_live(nf, d, id) : NULL;
			if (t == NULL)
				res->unknown++;
			else
				rc = data_set(nf, &s, t, d, h, peer, port,
				    sink, res);
		}
		/* ids 2..255 (v9) and 4..255 (IPFIX) are reserved: skipped */
		if (rc == -1)
			return -1;
	}
	/* v9 may pad the datagram; IPFIX length is exact */
	return ipfix && rd_left(r) != 0 ? -1 : 0;
}

static int
parse_v9(struct netflow *nf, struct rd *r, const struct addr *peer,
    uint16_t port, const struct flow_sink *sink, struct flow_result *res)
{
	struct nf_hdr h;
	uint32_t secs;

	memset(&h, 0, sizeof(h));
	h.version = 9;
	(void)rd_be16(r);		/* count: exporters get it wrong */
	h.uptime_ms = rd_be32(r);
	secs = rd_be32(r);
	res->seq = rd_be32(r);		/* export packets sent before */
	h.domain = rd_be32(r);
	if (r->bad)
		return -1;
	h.export_us = (int64_t)secs * 1000000;
	res->domain = h.domain;
	if (parse_sets(nf, r, &h, peer, port, sink, res) == -1)
		return -1;
	res->seq_span = 1;
	res->seq_unit = FLOW_SEQ_DATAGRAMS;
	return 0;
}

static int
parse_ipfix(struct netflow *nf, struct rd *r, const struct addr *peer,
    uint16_t port, const struct flow_sink *sink, struct flow_result *res)
{
	struct nf_hdr h;
	struct rd body;
	uint16_t mlen;
	uint32_t secs;

	memset(&h, 0, sizeof(h));
	h.version = 10;
	mlen = rd_be16(r);
	secs = rd_be32(r);
	res->seq = rd_be32(r);		/* data records sent before */
	h.domain = rd_be32(r);
	if (r->bad || mlen < 16 || (size_t)mlen - 16 != rd_left(r))
		return -1;
	h.export_us = (int64_t)secs * 1000000;
	res->domain = h.domain;
	body = rd_sub(r, (size_t)mlen - 16);
	nf->datarecs = 0;
	if (parse_sets(nf, &body, &h, peer, port, sink, res) == -1)
		return -1;
	if (res->unknown == 0) {	/* else the record count is unknown */
		res->seq_span = nf->datarecs;
		res->seq_unit = FLOW_SEQ_RECORDS;
	}
	return 0;
}

int
netflow_parse(struct netflow *nf, const uint8_t *p, size_t len,
    const struct addr *peer, uint16_t peer_port, int64_t now_us,
    const struct flow_sink *sink, struct flow_result *res)
{
	struct rd r;
	uint16_t version;
	int rc;

	nf->now_us = now_us;
	memset(res, 0, sizeof(*res));
	rd_init(&r, p, len);
	version = rd_be16(&r);
	res->version = (uint8_t)version;
	switch (version) {
	case 5:
		rc = parse_v5(&r, peer, peer_port, sink, res);
		break;
	case 9:
		rc = parse_v9(nf, &r, peer, peer_port, sink, res);
		break;
	case 10:
		rc = parse_ipfix(nf, &r, peer, peer_port, sink, res);
		break;
	default:
		rc = -1;
		break;
	}
	if (rc == -1)
		res->malformed = 1;
	return rc;
}
