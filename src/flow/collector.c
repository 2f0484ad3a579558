/*
 * collector.c -- UDP listeners for flow telemetry (see collector.h for the
 * fairness rule).
 *
 * Data structures: an open-addressed table of exporters keyed by UDP source
 * address and port (FLOWC_MAX_EXPORTERS, the rest pooled in one "other"
 * row), a small open-addressed table of sFlow interfaces keyed by agent and
 * ifIndex, and FLOWC_BATCH receive buffers of 64 KiB (no UDP payload is
 * larger, so nothing is cut) with room for the SO_RXQ_OVFL control message.
 */
#include "flow/collector.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "flow/netflow.h"
#include "flow/sflow.h"
#include "base/util.h"

#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif

#define DGRAM_MAX	65536
#define EXP_SLOTS	(FLOWC_MAX_EXPORTERS * 2)
#define IF_SLOTS	(FLOWC_MAX_IFS * 2)

struct exp {
	struct flowc_exporter x;
	int used;
	uint32_t round;		/* round in which round_n counts */
	uint32_t round_n;	/* datagrams parsed in that round */
	int seq_have;		/* seq_prev is known */
	int seq_post;		/* the exporter counts this datagram in */
	uint8_t seq_unit;
	uint32_t seq_domain;
	uint32_t seq_prev, seq_prev_span;
};

struct ifslot {
	struct flowc_if f;
	int used;
};

typedef void (*pkt_fn)(void *, const struct flow_origin *, const struct pkt *);
typedef void (*ifc_fn)(void *, const struct flow_origin *,
    const struct flow_ifcounters *);

struct flow_collector {
	int kind;
	int fd;
	uint16_t port;
	struct netflow *nf;

	struct exp exps[EXP_SLOTS];
	struct exp other;
	size_t nexp;

	struct ifslot ifs[IF_SLOTS];
	size_t nifs;

	ifc_fn ifc;
	void *ifc_ctx;

	struct flowc_stats st;
	uint32_t round;
	size_t active_prev;	/* exporters that sent in the last round */
	size_t active_now;

	uint8_t *buf;		/* FLOWC_BATCH * DGRAM_MAX */
	struct mmsghdr msgs[FLOWC_BATCH];
	struct iovec iov[FLOWC_BATCH];
	struct sockaddr_storage from[FLOWC_BATCH];
	union {
		char b[CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} ctl[FLOWC_BATCH];
};

int
flowc_parse_listen(const char *listen, struct addr *a, uint16_t *port,
    char *errbuf)
{
	const char *colon, *ps;
	char host[64];
	long v;
	size_t n;

	memset(a, 0, sizeof(*a));
	if (listen == NULL || *listen == '\0')
		return err_set(errbuf, "listen address is empty: give "
		    "PORT, ADDR:PORT or [ADDR]:PORT");
	if (listen[0] == '[') {
		colon = strchr(listen, ']');
		if (colon == NULL || colon[1] != ':')
			return err_set(errbuf, "'%s' is not [ADDR]:PORT", listen);
		n = (size_t)(colon - listen - 1);
		ps = colon + 2;
		if (n >= sizeof(host))
			return err_set(errbuf, "'%s': address too long", listen);
		memcpy(host, listen + 1, n);
		host[n] = '\0';
		if (addr_parse(host, a) == -1 || a->family != 6)
			return err_set(errbuf, "'%s': '%s' is not an IPv6 "
			    "address", listen, host);
	} else if ((colon = strrchr(listen, ':')) != NULL) {
		n = (size_t)(colon - listen);
		ps = colon + 1;
		if (strchr(listen, ':') != colon)
			return err_set(errbuf, "'%s': write an IPv6 address in "
			    "brackets, as [::1]:%s", listen, ps);
		if (n >= sizeof(host))
			return err_set(errbuf, "'%s': address too long", listen);
		memcpy(host, listen, n);
		host[n] = '\0';
		if (n > 0 && (addr_parse(host, a) == -1 || a->family != 4))
			return err_set(errbuf, "'%s': '%s' is not an IPv4 "
			    "address", listen, host);
	} else
		ps = listen;
	if (parse_long(ps, 0, 65535, &v) == -1)
		return err_set(errbuf, "'%s': port '%s' is not a number from "
		    "0 to 65535", listen, ps);
	*port = (uint16_t)v;
	return 0;
}

static int
open_socket(const struct addr *a, uint16_t port, char *errbuf,
    const char *listen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int fd, one = 1, zero = 0, size = FLOWC_RCVBUF, fam;

	memset(&ss, 0, sizeof(ss));
	fam = a->family == 4 ? AF_INET : AF_INET6;
	if (fam == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, a->b, 4);
		sl = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (a->family == 6)
			memcpy(&s6->sin6_addr, a->b, 16);
		sl = sizeof(*s6);
	}
	fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 && a->family == 0) {	/* no IPv6: IPv4 only */
		struct addr any4;

		memset(&any4, 0, sizeof(any4));
		any4.family = 4;
		return open_socket(&any4, port, errbuf, listen);
	}
	if (fd == -1) {
		err_set(errbuf, "%s: socket: %s", listen, strerror(errno));
		return -1;
	}
	if (fam == AF_INET6)	/* a bare port takes IPv4 too */
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
		    a->family == 0 ? &zero : &one, sizeof(int));
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* as root the buffer may exceed net.core.rmem_max */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	(void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1) {
		err_set(errbuf, "%s: cannot listen on UDP port %u: %s", listen,
		    port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct flow_collector *
flowc_new(int kind, const char *listen, char *errbuf)
{
	struct flow_collector *c;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct addr a;
	uint16_t port;
	int fd, i, v;
	socklen_t vl = sizeof(v);

	if (kind != FLOW_SFLOW && kind != FLOW_NETFLOW) {
		err_set(errbuf, "unknown flow kind %d", kind);
		return NULL;
	}
	if (flowc_parse_listen(listen, &a, &port, errbuf) == -1)
		return NULL;
	if ((fd = open_socket(&a, port, errbuf, listen)) == -1)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->kind = kind;
	c->fd = fd;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		c->port = ntohs(ss.ss_family == AF_INET ?
		    ((struct sockaddr_in *)&ss)->sin_port :
		    ((struct sockaddr_in6 *)&ss)->sin6_port);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &vl) == 0)
		c->st.rcvbuf = v;
	if (kind == FLOW_NETFLOW)
		c->nf = netflow_new();
	c->buf = xmalloc((size_t)FLOWC_BATCH * DGRAM_MAX);
	for (i = 0; i < FLOWC_BATCH; i++) {
		c->iov[i].iov_base = c->buf + (size_t)i * DGRAM_MAX;
		c->iov[i].iov_len = DGRAM_MAX;
	}
	return c;
}

void
flowc_free(struct flow_collector *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	netflow_free(c->nf);
	free(c->buf);
	free(c);
}

int
flowc_fd(const struct flow_collector *c)
{
	return c->fd;
}

uint16_t
flowc_port(const struct flow_collector *c)
{
	return c->port;
}

void
flowc_set_ifc(struct flow_collector *c, ifc_fn fn, void *ctx)
{
	c->ifc = fn;
	c->ifc_ctx = ctx;
}

static uint64_t
hash_peer(const struct addr *a, uint16_t port)
{
	return addr_hash(a, 0x636f6c6cULL ^ ((uint64_t)port << 20));
}

static struct exp *
exp_get(struct flow_collector *c, const struct addr *a, uint16_t port)
{
	size_t i, h = (size_t)(hash_peer(a, port) % EXP_SLOTS);
	struct exp *e;

	for (i = 0; i < EXP_SLOTS; i++) {
		e = &c->exps[(h + i) % EXP_SLOTS];
		if (!e->used) {
			if (c->nexp >= FLOWC_MAX_EXPORTERS)
				return &c->other;
			e->used = 1;
			e->x.peer = *a;
			e->x.port = port;
			c->nexp++;
			return e;
		}
		if (e->x.port == port && addr_cmp(&e->x.peer, a) == 0)
			return e;
	}
	return &c->other;
}

static void
from_sockaddr(const struct sockaddr_storage *ss, struct addr *a,
    uint16_t *port)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	static const uint8_t mapped[12] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff };

	memset(a, 0, sizeof(*a));
	*port = 0;
	if (ss->ss_family == AF_INET) {
		a->family = 4;
		memcpy(a->b, &s4->sin_addr, 4);
		*port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const uint8_t *b = s6->sin6_addr.s6_addr;

		if (memcmp(b, mapped, 12) == 0) {
			a->family = 4;
			memcpy(a->b, b + 12, 4);
		} else {
			a->family = 6;
			memcpy(a->b, b, 16);
		}
		*port = ntohs(s6->sin6_port);
	}
}

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* What the sink's callbacks need during one poll. */
struct ifc_ctx {
	struct flow_collector *c;
	int64_t now;
	pkt_fn fn;
	void *ctx;
};

static void
on_pkt(void *ctx, const struct flow_origin *o, const struct pkt *p)
{
	struct ifc_ctx *x = ctx;

	if (x->fn != NULL)
		x->fn(x->ctx, o, p);
}

/* sFlow counters: keep the last sample per (agent, ifIndex) and rates. */
static void
on_ifc(void *ctx, const struct flow_origin *o, const struct flow_ifcounters *ic)
{
	struct ifc_ctx *x = ctx;
	struct flow_collector *c = x->c;
	size_t i, h;
	struct ifslot *s = NULL;
	double dt;

	h = (size_t)(addr_hash(&o->exporter, ic->ifindex) % IF_SLOTS);
	for (i = 0; i < IF_SLOTS; i++) {
		s = &c->ifs[(h + i) % IF_SLOTS];
		if (!s->used || (s->f.ifindex == ic->ifindex &&
		    addr_cmp(&s->f.agent, &o->exporter) == 0))
			break;
		s = NULL;
	}
	if (s != NULL && !s->used) {
		if (c->nifs >= FLOWC_MAX_IFS)
			s = NULL;
		else {
			memset(s, 0, sizeof(*s));
			s->used = 1;
			s->f.agent = o->exporter;
			s->f.ifindex = ic->ifindex;
			c->nifs++;
		}
	}
	if (s != NULL) {
		dt = (double)(x->now - s->f.last_us) / 1e6;
		if (s->f.last_us != 0 && dt > 0 &&
		    ic->in_octets >= s->f.last.in_octets &&
		    ic->out_octets >= s->f.last.out_octets) {
			s->f.in_bps = (double)(ic->in_octets -
			    s->f.last.in_octets) * 8 / dt;
			s->f.out_bps = (double)(ic->out_octets -
			    s->f.last.out_octets) * 8 / dt;
			s->f.in_pps = (double)(ic->in_pkts -
			    s->f.last.in_pkts) / dt;
			s->f.out_pps = (double)(ic->out_pkts -
			    s->f.last.out_pkts) / dt;
		}
		s->f.speed_bps = ic->speed_bps;
		s->f.last = *ic;
		s->f.last_us = x->now;
	}
	if (c->ifc != NULL)
		c->ifc(c->ifc_ctx, o, ic);
}

/*
 * Sequence gaps: a jump forward by less than 2^31 is loss; a jump back
 * (reordering, an exporter restart) only resynchronises. RFC 7011 and
 * RFC 3954 count what was sent BEFORE a message; some exporters
 * (softflowd's IPFIX) count it in. Whichever convention a gap-free step
 * matched is kept for the exporter, so neither shows phantom loss.
 */
static void
account_seq(struct flow_collector *c, struct exp *e,
    const struct flow_result *res)
{
	uint32_t pre, post;
	int32_t gap;

	if (res->seq_unit == 0) {
		e->seq_have = 0;
		return;
	}
	if (e->seq_have && e->seq_domain == res->domain &&
	    e->seq_unit == res->seq_unit) {
		pre = e->seq_prev + e->seq_prev_span;
		post = e->seq_prev + res->seq_span;
		if (res->seq == pre && pre != post)
			e->seq_post = 0;
		else if (res->seq == post && pre != post)
			e->seq_post = 1;
		gap = (int32_t)(res->seq - (e->seq_post ? post : pre));
		if (gap > 0 && res->seq_unit == FLOW_SEQ_DATAGRAMS) {
			e->x.lost_datagrams += (uint32_t)gap;
			c->st.lost_datagrams += (uint32_t)gap;
		} else if (gap > 0) {
			e->x.lost_records += (uint32_t)gap;
			c->st.lost_records += (uint32_t)gap;
		}
	}
	e->seq_have = 1;
	e->seq_unit = res->seq_unit;
	e->seq_domain = res->domain;
	e->seq_prev = res->seq;
	e->seq_prev_span = res->seq_span;
}

static void
account(struct exp *e, const struct flow_result *res, int rc)
{
	e->x.records += res->records;
	e->x.unknown += res->unknown;
	e->x.skipped += res->skipped;
	e->x.version = res->version;
	e->x.domain = res->domain;
	if (res->agent.family != 0)
		e->x.agent = res->agent;
	if (rc == -1 || res->malformed)
		e->x.malformed++;
}

static void
read_drops(struct flow_collector *c, struct msghdr *mh)
{
	struct cmsghdr *cm;
	uint32_t v;

	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SO_RXQ_OVFL)
			continue;
		memcpy(&v, CMSG_DATA(cm), sizeof(v));
		/* the counter is cumulative for the socket */
		if ((uint64_t)v > c->st.sock_drops)
			c->st.sock_drops = v;
	}
}

int
flowc_poll(struct flow_collector *c, pkt_fn fn, void *ctx)
{
	struct flow_sink sink;
	struct flow_result res;
	struct ifc_ctx ix;
	struct addr peer;
	uint16_t port;
	uint64_t drops_before = c->st.sock_drops;
	size_t share;
	int n, i, total = 0, rc;
	struct exp *e;

	c->round++;
	c->active_now = 0;
	share = c->active_prev > 0 ? FLOWC_ROUND / c->active_prev : FLOWC_ROUND;
	if (share < FLOWC_MIN_SHARE)
		share = FLOWC_MIN_SHARE;
	ix.c = c;
	ix.fn = fn;
	ix.ctx = ctx;
	sink.pkt = on_pkt;
	sink.ifc = on_ifc;
	sink.ctx = &ix;
	while (total < FLOWC_ROUND) {
		for (i = 0; i < FLOWC_BATCH; i++) {
			struct msghdr *mh = &c->msgs[i].msg_hdr;

			mh->msg_name = &c->from[i];
			mh->msg_namelen = sizeof(c->from[i]);
			mh->msg_iov = &c->iov[i];
			mh->msg_iovlen = 1;
			mh->msg_control = c->ctl[i].b;
			mh->msg_controllen = sizeof(c->ctl[i].b);
			mh->msg_flags = 0;
		}
		n = recvmmsg(c->fd, c->msgs, FLOWC_BATCH, MSG_DONTWAIT, NULL);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				break;
			return -1;
		}
		if (n == 0)
			break;
		ix.now = now_us();
		for (i = 0; i < n; i++) {
			const uint8_t *d = c->iov[i].iov_base;
			size_t len = c->msgs[i].msg_len;

			read_drops(c, &c->msgs[i].msg_hdr);
			from_sockaddr(&c->from[i], &peer, &port);
			e = exp_get(c, &peer, port);
			c->st.datagrams++;
			c->st.bytes += len;
			e->x.datagrams++;
			e->x.last_us = ix.now;
			if (e->round != c->round) {
				e->round = c->round;
				e->round_n = 0;
				c->active_now++;
			}
			if (c->st.congested && e->round_n >= share &&
			    e != &c->other) {
				e->x.shed++;
				c->st.shed++;
				e->seq_have = 0;	/* our gap, not loss */
				continue;
			}
			e->round_n++;
			if (c->kind == FLOW_SFLOW)
				rc = sflow_parse(d, len, &peer, port, ix.now,
				    &sink, &res);
			else
				rc = netflow_parse(c->nf, d, len, &peer, port,
				    ix.now, &sink, &res);
			account(e, &res, rc);
			if (e != &c->other)
				account_seq(c, e, &res);
			c->st.records += res.records;
			c->st.counters += res.counters;
			c->st.unknown += res.unknown;
			c->st.skipped += res.skipped;
			c->st.rejected += res.rejected;
			if (rc == -1 || res.malformed)
				c->st.malformed++;
		}
		total += n;
		if (n < FLOWC_BATCH)
			break;
	}
	/* a full round or new kernel drops: the next round shares fairly */
	c->st.congested = total >= FLOWC_ROUND ||
	    c->st.sock_drops > drops_before;
	c->active_prev = c->active_now;
	return total;
}

void
flowc_stats(const struct flow_collector *c, struct flowc_stats *st)
{
	*st = c->st;
	st->exporters = c->nexp;
	st->templates = c->nf != NULL ? netflow_ntemplates(c->nf) : 0;
}

size_t
flowc_exporters(const struct flow_collector *c, struct flowc_exporter *out,
    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < EXP_SLOTS && n < max; i++)
		if (c->exps[i].used)
			out[n++] = c->exps[i].x;
	if (n < max && c->other.x.datagrams > 0)
		out[n++] = c->other.x;
	return n;
}

size_t
flowc_interfaces(const struct flow_collector *c, struct flowc_if *out,
    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < IF_SLOTS && n < max; i++)
		if (c->ifs[i].used)
			out[n++] = c->ifs[i].f;
	return n;
}
