/*
 * test_flow.c -- sFlow, NetFlow v5/v9 and IPFIX parsers and the UDP
 * collector, on hand-built datagrams.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "settings/config.h"
#include "flow/collector.h"
#include "flow/flowsrc.h"
#include "flow/netflow.h"
#include "flow/sflow.h"
#include "base/util.h"

#include "flowbuild.h"

#define A4(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* What the sink collected. */
struct got {
	struct pkt p[64];
	struct flow_origin o[64];
	size_t n;
	struct flow_ifcounters c[8];
	size_t nc;
};

static void
got_pkt(void *ctx, const struct flow_origin *o, const struct pkt *p)
{
	struct got *g = ctx;

	if (g->n < 64) {
		g->o[g->n] = *o;
		g->p[g->n] = *p;
	}
	g->n++;
}

static void
got_ifc(void *ctx, const struct flow_origin *o, const struct flow_ifcounters *c)
{
	struct got *g = ctx;

	(void)o;
	if (g->nc < 8)
		g->c[g->nc] = *c;
	g->nc++;
}

static struct addr peer4;

static void
setup_peer(void)
{
	addr_parse("192.0.2.1", &peer4);
}

static uint32_t
v4(const struct addr *a)
{
	return addr_v4(a);
}

/* ---- NetFlow v5 -------------------------------------------------------- */

/* The NetFlow and IPFIX tests' state: a parser, the datagram being built
 * and what the sink collected; nft_setup makes it (all zero, sink into g),
 * nft_teardown frees it. */
struct nft {
	struct netflow *nf;
	struct fb f;
	struct got g;
	struct flow_sink sink;
	struct flow_result res;
};

static int
nft_setup(void **state)
{
	struct nft *t = xcalloc(1, sizeof(*t));

	t->nf = netflow_new();
	t->sink.pkt = got_pkt;
	t->sink.ctx = &t->g;
	*state = t;
	return 0;
}

static int
nft_teardown(void **state)
{
	struct nft *t = *state;

	netflow_free(t->nf);
	free(t);
	return 0;
}

/* Parse t->f as a datagram from peer4:port at now_us into t->sink and
 * t->res; what netflow_parse returns. */
static int
nft_parse(struct nft *t, uint16_t port, int64_t now_us)
{
	return netflow_parse(t->nf, t->f.b, t->f.n, &peer4, port, now_us,
	    &t->sink, &t->res);
}

/* A record delivered as transport l4 to port dport, standing for weight
 * packets and wbytes bytes. */
static void
expect_flow(const struct pkt *p, int l4, uint16_t dport, uint32_t weight,
    uint64_t wbytes)
{
	assert_int_equal(p->l4, l4);
	assert_int_equal(p->dport, dport);
	assert_int_equal(p->weight, weight);
	assert_int_equal(p->wbytes, wbytes);
}

/* One NetFlow v5 flow record (48 bytes) to 203.0.113.9, ifIndex 3 -> 4. */
static void
v5_record(struct fb *f, uint32_t src, uint32_t pkts, uint32_t octets,
    uint32_t first, uint32_t last, uint16_t sport, uint16_t dport,
    uint8_t flags, uint8_t proto)
{
	FB_U32S(f, src, A4(203, 0, 113, 9), 0);
	fb_u16(f, 3);			/* input ifIndex */
	fb_u16(f, 4);			/* output ifIndex */
	FB_U32S(f, pkts, octets, first, last);
	fb_u16(f, sport);
	fb_u16(f, dport);
	fb_u8(f, 0);
	fb_u8(f, flags);
	fb_u8(f, proto);
	fb_u8(f, 0);
	FB_U32S(f, 0, 0);
}

static void
build_v5(struct fb *f)
{
	f->n = 0;
	fb_u16(f, 5);
	fb_u16(f, 2);
	fb_u32(f, 100000);		/* uptime ms */
	fb_u32(f, 1700000000);		/* unix secs */
	fb_u32(f, 0);			/* nsecs */
	fb_u32(f, 77);
	fb_u8(f, 1);			/* engine type */
	fb_u8(f, 2);			/* engine id */
	fb_u16(f, 1u << 14 | 100);	/* deterministic 1:100 */
	/* record 1: TCP SYN, 10 packets, 600 octets, ended 2 s ago */
	v5_record(f, A4(198, 51, 100, 7), 10, 600, 90000, 98000, 40000, 443,
	    TCP_SYN, 6);
	/* record 2: ICMP echo request (type 8 in the port) */
	v5_record(f, A4(198, 51, 100, 8), 1, 84, 99000, 100000, 0, 8 << 8, 0,
	    1);
}

static void
test_v5(void **state)
{
	struct nft *t = *state;

	build_v5(&t->f);
	assert_int_equal(nft_parse(t, 2055, 0), 0);
	assert_int_equal(t->res.records, 2);
	assert_int_equal(t->g.n, 2);
	assert_int_equal(v4(&t->g.p[0].src), A4(198, 51, 100, 7));
	assert_int_equal(v4(&t->g.p[0].dst), A4(203, 0, 113, 9));
	expect_flow(&t->g.p[0], L4_TCP, 443, 1000, 60000);
	assert_int_equal(t->g.p[0].tcp_flags, TCP_SYN);
	assert_int_equal(t->g.p[0].wirelen, 60);
	assert_int_equal(t->g.o[0].rate, 100);
	assert_int_equal(t->g.o[0].in_if, 3);
	assert_int_equal(t->g.o[0].out_if, 4);
	assert_int_equal(t->g.o[0].domain, 0x0102);
	/* flow end: export time minus (uptime - last) */
	assert_true(t->g.p[0].ts_us == (int64_t)1700000000 * 1000000 - 2000000);
	/* v5 has no TTL: flagged, not 0 */
	assert_true(t->g.p[0].flags & PKT_NOTTL);
	assert_int_equal(t->g.p[1].l4, L4_ICMP);
	assert_int_equal(t->g.p[1].icmp_type, 8);
	assert_int_equal(t->g.p[1].dport, 0);
}

/* ---- NetFlow v9 -------------------------------------------------------- */

static void
v9_header(struct fb *f, uint32_t source_id)
{
	f->n = 0;
	fb_u16(f, 9);
	fb_u16(f, 0);
	FB_U32S(f, 50000, 1700000000, 1, source_id);
}

/* Template 256: src4 dst4 sport dport proto flags pkts(4) octets(8) last
 * in_if sampler_id(1) ttl */
static void
v9_template(struct fb *f)
{
	size_t at = fb_set_begin(f, 0);

	FB_U16S(f, 256, 12,
	    8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 6, 1,
	    2, 4, 1, 8, 21, 4, 10, 2, 48, 1, 192, 1);
	fb_set_end(f, at);
}

static void
v9_data(struct fb *f, uint8_t sampler)
{
	size_t at = fb_set_begin(f, 256);

	fb_u32(f, A4(198, 51, 100, 1));
	fb_u32(f, A4(203, 0, 113, 1));
	fb_u16(f, 53);
	fb_u16(f, 1234);
	fb_u8(f, 17);
	fb_u8(f, 0);
	fb_u32(f, 4);
	fb_u64(f, 400);
	fb_u32(f, 49000);
	fb_u16(f, 7);
	fb_u8(f, sampler);
	fb_u8(f, 63);
	fb_set_end_pad4(f, at);
}

/* Options template 257: scope System(1) len 4; options
 * FLOW_SAMPLER_ID(48) len 1, SAMPLING_INTERVAL(34) len 4. */
static void
v9_options(struct fb *f, uint8_t sampler, uint32_t interval)
{
	size_t at = fb_set_begin(f, 1);

	FB_U16S(f, 257, 4, 8, 1, 4, 48, 1, 34, 4);
	fb_u16(f, 0);			/* padding */
	fb_set_end(f, at);
	at = fb_set_begin(f, 257);
	fb_u32(f, 0);
	fb_u8(f, sampler);
	fb_u32(f, interval);
	fb_set_end_pad4(f, at);
}

static void
test_v9_template_and_data(void **state)
{
	struct nft *t = *state;

	/* data before its template: counted, not delivered */
	v9_header(&t->f, 42);
	v9_data(&t->f, 0);
	assert_int_equal(nft_parse(t, 9995, 0), 0);
	assert_int_equal(t->res.unknown, 1);
	assert_int_equal(t->g.n, 0);

	v9_header(&t->f, 42);
	v9_template(&t->f);
	v9_data(&t->f, 0);
	assert_int_equal(nft_parse(t, 9995, 0), 0);
	assert_int_equal(t->res.templates, 1);
	assert_int_equal(t->res.records, 1);
	assert_int_equal(t->g.n, 1);
	expect_flow(&t->g.p[0], L4_UDP, 1234, 4, 400);
	assert_int_equal(t->g.p[0].sport, 53);
	assert_int_equal(t->g.p[0].ttl, 63);
	assert_false(t->g.p[0].flags & PKT_NOTTL);
	assert_int_equal(t->g.o[0].domain, 42);
	assert_int_equal(t->g.o[0].in_if, 7);
	assert_int_equal(t->g.o[0].rate, 1);
	assert_true(t->g.p[0].ts_us == (int64_t)1700000000 * 1000000 - 1000000);

	/* another source id from the same exporter has its own templates */
	v9_header(&t->f, 43);
	v9_data(&t->f, 0);
	assert_int_equal(nft_parse(t, 9995, 0), 0);
	assert_int_equal(t->res.unknown, 1);
}

static void
test_v9_options_sampling(void **state)
{
	struct nft *t = *state;
	struct fb *f = &t->f;
	size_t at;

	v9_header(f, 1);
	v9_template(f);
	v9_options(f, 5, 1000);
	v9_options(f, 6, 64);
	v9_data(f, 5);
	v9_data(f, 6);
	assert_int_equal(nft_parse(t, 9995, 0), 0);
	assert_int_equal(t->res.records, 2);
	assert_int_equal(t->g.o[0].rate, 1000);
	assert_int_equal(t->g.p[0].weight, 4000);
	assert_int_equal(t->g.p[0].wbytes, 400000);
	assert_int_equal(t->g.o[1].rate, 64);
	assert_int_equal(t->g.p[1].weight, 256);
	assert_int_equal(netflow_domain_rate(t->nf, &peer4, 9995, 9, 1), 1000);

	/* refresh: template 256 redefined with fewer fields */
	v9_header(f, 1);
	at = fb_set_begin(f, 0);
	FB_U16S(f, 256, 3, 12, 4, 2, 4, 1, 4);
	fb_set_end(f, at);
	at = fb_set_begin(f, 256);
	FB_U32S(f, A4(203, 0, 113, 77), 2, 3000);
	fb_set_end(f, at);
	t->g.n = 0;
	assert_int_equal(nft_parse(t, 9995, 0), 0);
	assert_int_equal(netflow_ntemplates(t->nf), 2);
	assert_int_equal(t->g.n, 1);
	assert_int_equal(v4(&t->g.p[0].dst), A4(203, 0, 113, 77));
	assert_int_equal(t->g.p[0].family, 4);
	assert_int_equal(t->g.p[0].weight, 2 * 1000);	/* domain's rate */
	assert_int_equal(t->g.p[0].wirelen, 1500);
}

/* ---- IPFIX ------------------------------------------------------------- */

static size_t
ipfix_header(struct fb *f, uint32_t domain)
{
	f->n = 0;
	fb_u16(f, 10);
	fb_u16(f, 0);
	FB_U32S(f, 1700000100, 9, domain);
	return 2;
}

static void
ipfix_end(struct fb *f)
{
	fb_put16(f, 2, (uint16_t)f->n);
}

/* Template 300: src6 dst6 proto, enterprise field (pen 9, len 4),
 * interfaceName(82) variable, enterprise variable (pen 29305), pkts(8),
 * octets(8), flowEndMilliseconds(153), tcpControlBits(2 bytes) */
static void
ipfix_template(struct fb *f)
{
	size_t at = fb_set_begin(f, 2);

	FB_U16S(f, 300, 10, 27, 16, 28, 16, 4, 1);
	fb_u16(f, 0x8000 | 1); fb_u16(f, 4); fb_u32(f, 9);
	fb_u16(f, 82); fb_u16(f, 65535);
	fb_u16(f, 0x8000 | 2); fb_u16(f, 65535); fb_u32(f, 29305);
	FB_U16S(f, 2, 8, 1, 8, 153, 8, 6, 2);
	fb_set_end(f, at);
}

static void
ipfix_data(struct fb *f, size_t varlen)
{
	size_t at = fb_set_begin(f, 300), i;
	uint8_t a[16];

	memset(a, 0, sizeof(a));
	a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8; a[15] = 1;
	fb_bytes(f, a, 16);
	a[15] = 2;
	fb_bytes(f, a, 16);
	fb_u8(f, 6);
	fb_u32(f, 0xdeadbeef);		/* enterprise: ignored */
	fb_u8(f, 4);
	fb_bytes(f, "eth0", 4);
	fb_u8(f, 255);			/* long variable-length form */
	fb_u16(f, (uint16_t)varlen);
	for (i = 0; i < varlen; i++)
		fb_u8(f, (uint8_t)i);
	fb_u64(f, 3);
	fb_u64(f, 180);
	fb_u64(f, (uint64_t)1700000099 * 1000 + 500);
	fb_u16(f, TCP_SYN | TCP_ACK);
	fb_set_end(f, at);
}

/* An IPFIX datagram for domain that only withdraws template id (RFC 7011
 * 8.1: a template record with no fields); id 2 withdraws them all. */
static void
ipfix_withdraw(struct fb *f, uint32_t domain, uint16_t id)
{
	ipfix_header(f, domain);
	FB_U16S(f, 2, 8, id, 0);
	ipfix_end(f);
}

/* An IPFIX datagram for domain with template 300 and nrec data records
 * with varlen bytes in the variable-length field. */
static void
ipfix_build(struct fb *f, uint32_t domain, int nrec, size_t varlen)
{
	ipfix_header(f, domain);
	ipfix_template(f);
	while (nrec-- > 0)
		ipfix_data(f, varlen);
	ipfix_end(f);
}

static void
test_ipfix_variable_enterprise(void **state)
{
	struct nft *t = *state;

	ipfix_header(&t->f, 7);
	ipfix_template(&t->f);
	ipfix_data(&t->f, 300);
	ipfix_data(&t->f, 0);
	ipfix_end(&t->f);
	assert_int_equal(nft_parse(t, 4739, 0), 0);
	assert_int_equal(t->res.templates, 1);
	assert_int_equal(t->res.records, 2);
	assert_int_equal(t->g.p[0].family, 6);
	assert_int_equal(t->g.p[0].src.b[15], 1);
	assert_int_equal(t->g.p[0].dst.b[15], 2);
	assert_int_equal(t->g.p[0].l4, L4_TCP);
	assert_int_equal(t->g.p[0].tcp_flags, TCP_SYN | TCP_ACK);
	assert_int_equal(t->g.p[0].weight, 3);
	assert_int_equal(t->g.p[0].wbytes, 180);
	assert_true(t->g.p[0].ts_us == (int64_t)1700000099 * 1000000 + 500000);
	assert_int_equal(t->g.o[0].version, 10);
	assert_int_equal(t->g.o[0].domain, 7);
	assert_int_equal(t->g.p[1].weight, 3);
}

static void
test_ipfix_withdrawal(void **state)
{
	struct nft *t = *state;

	ipfix_build(&t->f, 7, 0, 0);
	assert_int_equal(nft_parse(t, 4739, 0), 0);
	assert_int_equal(netflow_ntemplates(t->nf), 1);

	/* withdraw 300, then its data is unknown */
	ipfix_header(&t->f, 7);
	FB_U16S(&t->f, 2, 8, 300, 0);
	ipfix_data(&t->f, 1);
	ipfix_end(&t->f);
	assert_int_equal(nft_parse(t, 4739, 0), 0);
	assert_int_equal(t->res.withdrawn, 1);
	assert_int_equal(t->res.unknown, 1);
	assert_int_equal(t->res.records, 0);
	assert_int_equal(netflow_ntemplates(t->nf), 0);

	/* learn again, then withdraw all data templates (id 2) */
	ipfix_build(&t->f, 7, 0, 0);
	nft_parse(t, 4739, 0);
	assert_int_equal(netflow_ntemplates(t->nf), 1);
	ipfix_withdraw(&t->f, 7, 2);
	assert_int_equal(nft_parse(t, 4739, 0), 0);
	assert_int_equal(t->res.withdrawn, 1);
	assert_int_equal(netflow_ntemplates(t->nf), 0);
}

static void
test_ipfix_options_psamp(void **state)
{
	struct nft *t = *state;
	struct fb *f = &t->f;
	size_t at;

	ipfix_header(f, 3);
	/* options template 400: scope selectorId(302, 4);
	 * samplingPacketInterval(305, 4), samplingPacketSpace(306, 4) */
	at = fb_set_begin(f, 3);
	FB_U16S(f, 400, 3, 1, 302, 4, 305, 4, 306, 4);
	fb_u16(f, 0);			/* padding */
	fb_set_end(f, at);
	/* data template 401: dst4, pkts(4), octets(4), selectorId */
	at = fb_set_begin(f, 2);
	FB_U16S(f, 401, 4, 12, 4, 2, 4, 1, 4, 302, 4);
	fb_set_end(f, at);
	/* options data: selector 9 takes 1 packet in 512 (1 + 511) */
	at = fb_set_begin(f, 400);
	FB_U32S(f, 9, 1, 511);
	fb_set_end(f, at);
	at = fb_set_begin(f, 401);
	FB_U32S(f, A4(203, 0, 113, 5), 1, 1500, 9);
	fb_set_end(f, at);
	ipfix_end(f);
	assert_int_equal(nft_parse(t, 4739, 0), 0);
	assert_int_equal(t->res.templates, 2);
	assert_int_equal(t->g.n, 1);
	assert_int_equal(t->g.o[0].rate, 512);
	assert_int_equal(t->g.p[0].weight, 512);
	assert_int_equal(t->g.p[0].wbytes, 1500 * 512);
	/* no time field: stamped with the export time */
	assert_true(t->g.p[0].ts_us == (int64_t)1700000100 * 1000000);
}

/* flowEndSysUpTime against systemInitTimeMilliseconds, for a flow that
 * ended before the exporter's init (a replay) and across a 32-bit wrap. */
static void
test_ipfix_uptime_time(void **state)
{
	struct nft *t = *state;
	struct fb *f = &t->f;
	size_t at;
	int64_t exp_s = 1700000100;
	int64_t inits[2] = { exp_s * 1000 - 5000,	/* up 5 s at export */
	    exp_s * 1000 - 4294967296LL - 5000 };	/* up 49.7 days + 5 s */
	int k;

	for (k = 0; k < 2; k++) {
		memset(&t->g, 0, sizeof(t->g));
		ipfix_header(f, 11);
		at = fb_set_begin(f, 2);
		FB_U16S(f, 500, 4, 12, 4, 2, 4, 21, 4, 160, 8);
		fb_set_end(f, at);
		at = fb_set_begin(f, 500);
		/* ended 7 s before export: 2 s before init in case 0 */
		FB_U32S(f, A4(203, 0, 113, 1), 1, (uint32_t)(5000 - 7000));
		fb_u64(f, (uint64_t)inits[k]);
		fb_set_end(f, at);
		ipfix_end(f);
		assert_int_equal(nft_parse(t, 1, 0), 0);
		assert_int_equal(t->g.n, 1);
		assert_true(t->g.p[0].ts_us == (exp_s - 7) * 1000000);
	}
}

static void
test_template_bounds(void **state)
{
	struct netflow *nf = netflow_new();
	struct fb f;
	struct flow_result res;
	size_t at, i;
	uint32_t learnt = 0, refused = 0;

	(void)state;
	/* 700 templates from one domain: only NF_MAX_DOMAIN_TEMPLATES stay */
	for (i = 0; i < 700; i += 100) {
		size_t k;

		ipfix_header(&f, 1);
		at = fb_set_begin(&f, 2);
		for (k = 0; k < 100; k++)
			FB_U16S(&f, (uint16_t)(256 + i + k), 1, 8, 4);
		fb_set_end(&f, at);
		ipfix_end(&f);
		assert_int_equal(netflow_parse(nf, f.b, f.n, &peer4, 1, 0,
		    NULL, &res), 0);
		learnt += res.templates;
		refused += res.rejected;
	}
	assert_int_equal(learnt, NF_MAX_DOMAIN_TEMPLATES);
	assert_int_equal(refused, 700 - NF_MAX_DOMAIN_TEMPLATES);
	/* a template with too many fields is refused, not half-stored */
	ipfix_header(&f, 2);
	at = fb_set_begin(&f, 2);
	FB_U16S(&f, 256, NF_MAX_FIELDS + 1);
	for (i = 0; i < NF_MAX_FIELDS + 1; i++)
		FB_U16S(&f, 1, 4);
	fb_set_end(&f, at);
	ipfix_end(&f);
	assert_int_equal(netflow_parse(nf, f.b, f.n, &peer4, 1, 0, NULL,
	    &res), 0);
	assert_int_equal(res.rejected, 1);
	/* zero-length template: refused (it would loop forever) */
	ipfix_header(&f, 2);
	at = fb_set_begin(&f, 2);
	FB_U16S(&f, 257, 1, 1, 0);
	fb_set_end(&f, at);
	ipfix_end(&f);
	netflow_parse(nf, f.b, f.n, &peer4, 1, 0, NULL, &res);
	assert_int_equal(res.rejected, 1);
	netflow_free(nf);
}

/* One small IPFIX template (id 256, dst4) for domain dom at time t. */
static int
one_template(struct netflow *nf, uint32_t dom, int64_t t,
    struct flow_result *res)
{
	struct fb f;
	size_t at;

	ipfix_header(&f, dom);
	at = fb_set_begin(&f, 2);
	FB_U16S(&f, 256, 1, 12, 4);
	fb_set_end(&f, at);
	ipfix_end(&f);
	return netflow_parse(nf, f.b, f.n, &peer4, 1, t, NULL, res);
}

static void
test_template_lifetime(void **state)
{
	struct nft *t = *state;
	struct flow_result res;
	int64_t t0 = (int64_t)1700000000 * 1000000;
	int64_t life = (int64_t)NF_TEMPLATE_LIFETIME_S * 1000000;
	uint32_t i;

	ipfix_build(&t->f, 7, 0, 0);
	nft_parse(t, 4739, t0);
	ipfix_header(&t->f, 7);
	ipfix_data(&t->f, 1);
	ipfix_end(&t->f);
	/* still alive just before the lifetime ends */
	assert_int_equal(nft_parse(t, 4739, t0 + life - 1000000), 0);
	assert_int_equal(t->res.records, 1);
	/* gone after it */
	assert_int_equal(nft_parse(t, 4739, t0 + life + 1000000), 0);
	assert_int_equal(t->res.records, 0);
	assert_int_equal(t->res.unknown, 1);
	assert_int_equal(netflow_ntemplates(t->nf), 0);
	netflow_free(t->nf);

	/* the domain table is bounded; a domain left with no template (or
	 * whose templates expired) makes room for a new one */
	t->nf = netflow_new();
	for (i = 0; i < NF_MAX_DOMAINS; i++) {
		one_template(t->nf, 1000 + i, t0, &res);
		assert_int_equal(res.templates, 1);
	}
	one_template(t->nf, 1, t0, &res);
	assert_int_equal(res.rejected, 1);
	ipfix_withdraw(&t->f, 1000, 256);
	netflow_parse(t->nf, t->f.b, t->f.n, &peer4, 1, t0, NULL, &res);
	assert_int_equal(res.withdrawn, 1);
	one_template(t->nf, 1, t0, &res);
	assert_int_equal(res.templates, 1);
	one_template(t->nf, 2, t0 + life / 2, &res);
	assert_int_equal(res.rejected, 1);
	one_template(t->nf, 2, t0 + life + 1000000, &res);
	assert_int_equal(res.templates, 1);
	assert_int_equal(netflow_ntemplates(t->nf), 1);
}

/* ---- sFlow ------------------------------------------------------------- */

static size_t
sflow_header(struct fb *f, int v6)
{
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x99 };

	f->n = 0;
	fb_u32(f, 5);
	if (v6) {
		fb_u32(f, 2);
		fb_bytes(f, a6, 16);
	} else
		FB_U32S(f, 1, A4(192, 0, 2, 200));
	fb_u32(f, 3);			/* sub-agent */
	fb_u32(f, 1);
	fb_u32(f, 1000);
	return fb_u32(f, 0);		/* samples, patched */
}

static void
sflow_flow_sample(struct fb *f)
{
	size_t lenat, hat;

	lenat = fb_rec_begin(f, 1);
	fb_u32(f, 1);			/* seq */
	fb_u32(f, 5);			/* source id */
	fb_u32(f, 2048);		/* rate */
	FB_U32S(f, 100000, 0);
	fb_u32(f, 5);			/* input ifIndex */
	fb_u32(f, 1u << 30 | 1);	/* output: discarded */
	fb_u32(f, 2);			/* records */
	/* raw header, Ethernet */
	hat = fb_rec_begin(f, 1);
	fb_u32(f, 1);
	fb_u32(f, 1518);		/* frame length */
	FB_U32S(f, 4, 54);
	fb_eth_tcp4(f, A4(198, 51, 100, 3), A4(203, 0, 113, 3), 1111, 80,
	    TCP_SYN, 1500, 55);
	fb_u16(f, 0);			/* pad 54 -> 56 */
	fb_rec_end(f, hat);
	/* an extended record (switch, 1001) to skip */
	FB_U32S(f, 1001, 16, 1, 0, 2, 0);
	fb_rec_end(f, lenat);
}

static void
sflow_expanded_ipv4(struct fb *f)
{
	size_t lenat = fb_rec_begin(f, 3);

	FB_U32S(f, 2, 0, 9, 512, 1000, 0);
	FB_U32S(f, 0, 100000);		/* input ifIndex 100000 */
	FB_U32S(f, 0, 7, 1);
	fb_u32(f, 3);			/* sampled IPv4 */
	FB_U32S(f, 32, 100, 17, A4(198, 51, 100, 4), A4(203, 0, 113, 4), 123,
	    123, 0, 0);
	fb_rec_end(f, lenat);
}

static void
sflow_counters(struct fb *f)
{
	size_t lenat = fb_rec_begin(f, 2);

	FB_U32S(f, 1, 5, 1, 1, 88);
	fb_u32(f, 5);			/* ifIndex */
	fb_u32(f, 6);
	fb_u64(f, 10000000000ULL);
	FB_U32S(f, 1, 3);
	fb_u64(f, 123456789);
	FB_U32S(f, 1000, 10, 1, 2, 3, 0);
	fb_u64(f, 987654321);
	FB_U32S(f, 2000, 20, 2, 4, 5, 0);
	fb_rec_end(f, lenat);
}

static void
build_sflow(struct fb *f, int v6)
{
	size_t nat = sflow_header(f, v6);

	sflow_flow_sample(f);
	sflow_expanded_ipv4(f);
	sflow_counters(f);
	fb_put32(f, nat, 3);
}

static void
test_sflow(void **state)
{
	struct fb f;
	struct got g;
	struct flow_sink sink = { got_pkt, got_ifc, &g };
	struct flow_result res;
	int v6;

	(void)state;
	for (v6 = 0; v6 <= 1; v6++) {
		memset(&g, 0, sizeof(g));
		build_sflow(&f, v6);
		assert_int_equal(sflow_parse(f.b, f.n, &peer4, 6343, 42, &sink,
		    &res), 0);
		assert_int_equal(res.records, 2);
		assert_int_equal(res.counters, 1);
		assert_int_equal(g.n, 2);
		assert_int_equal(g.o[0].exporter.family, v6 ? 6 : 4);
		assert_int_equal(g.o[0].domain, 3);
		assert_int_equal(g.o[0].rate, 2048);
		assert_int_equal(g.o[0].in_if, 5);
		assert_int_equal(g.o[0].out_if, 0);
		assert_int_equal(g.p[0].l4, L4_TCP);
		assert_int_equal(g.p[0].tcp_flags, TCP_SYN);
		assert_int_equal(v4(&g.p[0].dst), A4(203, 0, 113, 3));
		assert_int_equal(g.p[0].dport, 80);
		assert_int_equal(g.p[0].ttl, 55);
		assert_int_equal(g.p[0].weight, 2048);
		/* 1518 on the wire less the FCS, as a capture counts it */
		assert_int_equal(g.p[0].wbytes, 1514ULL * 2048);
		assert_true(g.p[0].ts_us == 42);
		assert_int_equal(g.o[1].in_if, 100000);
		assert_int_equal(g.o[1].out_if, 7);
		assert_int_equal(g.p[1].l4, L4_UDP);
		assert_int_equal(g.p[1].sport, 123);
		assert_int_equal(g.p[1].weight, 512);
		assert_int_equal(g.p[1].wbytes, 100 * 512);
		assert_int_equal(g.nc, 1);
		assert_int_equal(g.c[0].ifindex, 5);
		assert_true(g.c[0].speed_bps == 10000000000ULL);
		assert_true(g.c[0].in_octets == 123456789);
		assert_int_equal(g.c[0].in_pkts, 1011);
		assert_int_equal(g.c[0].out_pkts, 2022);
		assert_int_equal(g.c[0].out_errors, 5);
	}
}

/*
 * sFlow's extended gateway (1003) gives src_peer_as, the neighbour the
 * sampled packet came from, with an IPv4 or an IPv6 next hop before it;
 * the raw header's Ethernet addresses come along too. A gateway record
 * cut short makes the datagram malformed.
 */
static void
test_sflow_gateway(void **state)
{
	static const uint8_t smac[6] = { 2, 0, 0, 0, 0, 2 };
	uint8_t nh6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct fb f;
	struct got g;
	struct flow_sink sink = { got_pkt, NULL, &g };
	struct flow_result res;
	size_t nat, lenat, hat, gat;
	int v6;

	(void)state;
	for (v6 = 0; v6 <= 2; v6++) {
		memset(&g, 0, sizeof(g));
		nat = sflow_header(&f, 0);
		lenat = fb_rec_begin(&f, 1);
		FB_U32S(&f, 1, 5, 1024, 100000, 0, 5, 6);
		fb_u32(&f, 2);			/* records */
		gat = fb_rec_begin(&f, 1003);	/* the gateway first */
		if (v6 == 1) {
			fb_u32(&f, 2);
			fb_bytes(&f, nh6, 16);
		} else
			FB_U32S(&f, 1, A4(192, 0, 2, 254));
		FB_U32S(&f, 64496, 64999);	/* as, src_as */
		if (v6 < 2) {
			fb_u32(&f, 64500);	/* src_peer_as */
			FB_U32S(&f, 0, 0, 100);	/* path, communities, pref */
		}
		fb_rec_end(&f, gat);
		hat = fb_rec_begin(&f, 1);
		FB_U32S(&f, 1, 64, 4, 54);
		fb_eth_tcp4(&f, A4(198, 51, 100, 3), A4(203, 0, 113, 3), 1111,
		    80, TCP_SYN, 40, 55);
		fb_u16(&f, 0);
		fb_rec_end(&f, hat);
		fb_rec_end(&f, lenat);
		fb_put32(&f, nat, 1);
		if (v6 == 2) {
			assert_int_equal(sflow_parse(f.b, f.n, &peer4, 6343, 42,
			    &sink, &res), -1);
			assert_int_equal(g.n, 0);
			continue;
		}
		assert_int_equal(sflow_parse(f.b, f.n, &peer4, 6343, 42, &sink,
		    &res), 0);
		assert_int_equal(g.n, 1);
		assert_int_equal(g.p[0].peer_as, 64500);
		assert_int_equal(g.p[0].tcp_flags, TCP_SYN);
		assert_memory_equal(g.p[0].mac_src, smac, 6);
	}
	/* without a gateway record: 0 */
	memset(&g, 0, sizeof(g));
	build_sflow(&f, 0);
	sink.ifc = NULL;
	assert_int_equal(sflow_parse(f.b, f.n, &peer4, 6343, 42, &sink, &res),
	    0);
	assert_int_equal(g.p[0].peer_as, 0);
}

static void
test_sflow_header_ipv4_proto(void **state)
{
	struct fb f, e;
	struct got g;
	struct flow_sink sink = { got_pkt, NULL, &g };
	struct flow_result res;
	size_t nat, lenat, hat;

	(void)state;
	memset(&g, 0, sizeof(g));
	/* header protocol 11: the header starts at the IPv4 header */
	e.n = 0;
	fb_eth_tcp4(&e, A4(198, 51, 100, 9), A4(203, 0, 113, 9), 5, 25, TCP_RST,
	    40, 9);
	nat = sflow_header(&f, 0);
	lenat = fb_rec_begin(&f, 1);
	FB_U32S(&f, 1, 1, 0);		/* rate 0 -> 1 */
	FB_U32S(&f, 0, 0, 1, 2);
	fb_u32(&f, 1);
	hat = fb_rec_begin(&f, 1);
	FB_U32S(&f, 11, 40, 0, 40);
	fb_bytes(&f, e.b + 14, 40);
	fb_rec_end(&f, hat);
	fb_rec_end(&f, lenat);
	fb_put32(&f, nat, 1);
	assert_int_equal(sflow_parse(f.b, f.n, &peer4, 1, 0, &sink, &res), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.p[0].tcp_flags, TCP_RST);
	assert_int_equal(g.p[0].dport, 25);
	assert_int_equal(g.p[0].weight, 1);
	assert_int_equal(g.o[0].out_if, 2);

	/* not sFlow v5 */
	f.b[3] = 4;
	assert_int_equal(sflow_parse(f.b, f.n, &peer4, 1, 0, &sink, &res), -1);
	assert_int_equal(res.malformed, 1);
}

/* ---- truncation at every offset --------------------------------------- */

/* Feed every prefix as its own exact-size allocation (ASan sees a read
 * one past the end). must_fail: every prefix is malformed. */
static void
truncate_all(const struct fb *f, int sflow, int must_fail)
{
	struct flow_result res;
	struct netflow *nf;
	size_t cut;
	uint8_t *copy;
	int rc;

	for (cut = 0; cut < f->n; cut++) {
		copy = xmalloc(cut > 0 ? cut : 1);
		memcpy(copy, f->b, cut);
		nf = netflow_new();
		if (sflow)
			rc = sflow_parse(copy, cut, &peer4, 1, 0, NULL, &res);
		else
			rc = netflow_parse(nf, copy, cut, &peer4, 1, 0, NULL,
			    &res);
		if (must_fail) {
			if (rc != -1 || !res.malformed)
				fail_msg("prefix of %zu bytes not malformed",
				    cut);
		} else
			assert_true(rc == 0 || res.malformed);
		netflow_free(nf);
		free(copy);
	}
}

static void
test_truncation(void **state)
{
	struct fb f;

	(void)state;
	build_sflow(&f, 0);
	truncate_all(&f, 1, 1);
	build_sflow(&f, 1);
	truncate_all(&f, 1, 1);
	build_v5(&f);
	truncate_all(&f, 0, 1);
	ipfix_build(&f, 7, 1, 300);
	truncate_all(&f, 0, 1);
	/* v9 has no total length: a cut at a flowset boundary is a valid,
	 * shorter datagram, so only "never out of bounds" holds */
	v9_header(&f, 1);
	v9_template(&f);
	v9_options(&f, 5, 1000);
	v9_data(&f, 5);
	truncate_all(&f, 0, 0);
}

static void
test_hostile_lengths(void **state)
{
	struct fb f;
	struct flow_result res;
	struct netflow *nf = netflow_new();
	size_t nat;

	(void)state;
	/* sFlow sample count far beyond the bound */
	nat = sflow_header(&f, 0);
	fb_put32(&f, nat, 0xffffffff);
	assert_int_equal(sflow_parse(f.b, f.n, &peer4, 1, 0, NULL, &res), -1);
	/* sample length past the datagram */
	nat = sflow_header(&f, 0);
	fb_put32(&f, nat, 1);
	FB_U32S(&f, 1, 0x7ffffff0);
	assert_int_equal(sflow_parse(f.b, f.n, &peer4, 1, 0, NULL, &res), -1);
	/* raw header length past the record */
	nat = sflow_header(&f, 0);
	fb_put32(&f, nat, 1);
	FB_U32S(&f, 1, 48, 1, 1, 1, 1, 1, 1, 1);
	fb_u32(&f, 1);			/* one record */
	FB_U32S(&f, 1, 16, 1, 64, 0, 0xfffffff0);
	assert_int_equal(sflow_parse(f.b, f.n, &peer4, 1, 0, NULL, &res), -1);
	/* IPFIX set length below 4 */
	ipfix_header(&f, 1);
	FB_U16S(&f, 2, 2);
	ipfix_end(&f);
	assert_int_equal(netflow_parse(nf, f.b, f.n, &peer4, 1, 0, NULL, &res),
	    -1);
	/* IPFIX variable field claiming more than the set holds */
	ipfix_build(&f, 7, 1, 10);
	f.b[f.n - 8 - 8 - 8 - 2 - 10 - 2] = 0xff;	/* long length hi */
	assert_int_equal(netflow_parse(nf, f.b, f.n, &peer4, 1, 0, NULL, &res),
	    -1);
	assert_int_equal(res.malformed, 1);
	/* v5 count of 31 */
	build_v5(&f);
	f.b[3] = 31;
	assert_int_equal(netflow_parse(nf, f.b, f.n, &peer4, 1, 0, NULL, &res),
	    -1);
	/* unknown version */
	f.b[1] = 7;
	assert_int_equal(netflow_parse(nf, f.b, f.n, &peer4, 1, 0, NULL, &res),
	    -1);
	netflow_free(nf);
}

/* ---- collector ---------------------------------------------------------- */

/* ---- captures from real exporters (tests/data/flow/SOURCE) ------------- */

/* What a capture's datagrams added up to. */
struct fed {
	uint32_t datagrams, records, skipped, unknown, malformed;
	uint64_t weight, wbytes;	/* sums over the records delivered */
};

/*
 * Feed the UDP payloads of tests/data/flow/NAME (pcap, Ethernet, optional
 * 802.1Q, IPv4, UDP) to t's parser in order, as from peer4 at the
 * capture's times, and add what came of them to *fd.
 */
static void
feed_pcap(struct nft *t, const char *name, struct fed *fd)
{
	const char *src = getenv("KYOCHO_SRCDIR");
	char *path;
	uint8_t *b;
	size_t len, off, i, p, ihl, ulen;
	uint32_t magic, incl, secs;
	uint16_t et;
	int swap;
	FILE *fp;

	path = xasprintf("%s/tests/data/flow/%s", src != NULL ? src : ".",
	    name);
	if ((fp = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	b = xmalloc(65536);
	len = fread(b, 1, 65536, fp);
	fclose(fp);
	free(path);
	assert_true(len >= 24);
	magic = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
	assert_true(magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1);
	swap = magic == 0xd4c3b2a1;	/* big-endian file */
#define LE32(q) (swap ? (uint32_t)(q)[0] << 24 | (uint32_t)(q)[1] << 16 | \
	(uint32_t)(q)[2] << 8 | (q)[3] : (uint32_t)(q)[3] << 24 | \
	(uint32_t)(q)[2] << 16 | (uint32_t)(q)[1] << 8 | (q)[0])
	assert_int_equal(LE32(b + 20), 1);	/* LINKTYPE_ETHERNET */
	for (off = 24; off + 16 <= len; off += 16 + incl) {
		const uint8_t *f = b + off + 16;

		secs = LE32(b + off);
		incl = LE32(b + off + 8);
		assert_true(off + 16 + incl <= len && incl >= 14 + 20 + 8);
		p = 14;
		et = (uint16_t)(f[12] << 8 | f[13]);
		while (et == 0x8100 && p + 4 <= incl) {
			et = (uint16_t)(f[p + 2] << 8 | f[p + 3]);
			p += 4;
		}
		assert_int_equal(et, 0x0800);
		ihl = (size_t)(f[p] & 15) * 4;
		assert_int_equal(f[p + 9], 17);
		p += ihl;
		ulen = (size_t)(f[p + 4] << 8 | f[p + 5]);
		assert_true(ulen >= 8 && p + ulen <= incl);
		i = t->g.n;
		if (netflow_parse(t->nf, f + p + 8, ulen - 8, &peer4, 2055,
		    (int64_t)secs * 1000000, &t->sink, &t->res) == -1)
			fd->malformed++;
		fd->datagrams++;
		fd->records += t->res.records;
		fd->skipped += t->res.skipped;
		fd->unknown += t->res.unknown;
		for (; i < t->g.n && i < 64; i++) {
			fd->weight += t->g.p[i].weight;
			fd->wbytes += t->g.p[i].wbytes;
		}
	}
#undef LE32
	free(b);
}

/* The record delivered from src to dst, or fail. */
static const struct pkt *
find_pkt(const struct got *g, const char *src, const char *dst)
{
	struct addr s, d;
	size_t i;

	assert_int_equal(addr_parse(src, &s), 0);
	assert_int_equal(addr_parse(dst, &d), 0);
	for (i = 0; i < g->n && i < 64; i++)
		if (addr_cmp(&g->p[i].src, &s) == 0 &&
		    addr_cmp(&g->p[i].dst, &d) == 0)
			return &g->p[i];
	fail_msg("no record %s -> %s", src, dst);
	return NULL;
}

/*
 * A Cisco IPFIX template with IPv4 and IPv6 address fields both and
 * ipVersion: the records are ipVersion 4 with the IPv6 fields zero, and
 * must count as IPv4 to their IPv4 destinations (tshark agrees), not as
 * IPv6 traffic to "::". 29 sampled packets at 1:1000.
 */
static void
test_real_cisco_both_families(void **state)
{
	struct nft *t = *state;
	struct fed fd;
	const struct pkt *p;
	size_t i;

	memset(&fd, 0, sizeof(fd));
	feed_pcap(t, "physicalinterfaces.pcap", &fd);
	assert_int_equal(fd.malformed, 0);
	assert_int_equal(fd.unknown, 0);
	assert_int_equal(fd.records, 8);
	assert_int_equal(fd.skipped, 0);
	assert_int_equal(fd.weight, 29000);
	for (i = 0; i < t->g.n; i++) {
		assert_int_equal(t->g.p[i].family, 4);
		assert_int_equal(t->g.p[i].dst.family, 4);
		assert_int_equal(t->g.o[i].rate, 1000);
	}
	p = find_pkt(&t->g, "147.53.240.75", "212.82.101.24");
	expect_flow(p, L4_TCP, 993, 3000, 4506000);
	assert_int_equal(p->sport, 55629);
}

/*
 * ipfixprobe's RFC 5103 biflows: 34 packets forward and 26 reverse
 * (reversePacketDeltaCount, enterprise 29305). Both directions count, the
 * reverse one from the destination back to the source.
 */
static void
test_real_ipfixprobe_biflow(void **state)
{
	struct nft *t = *state;
	struct fed fd;
	const struct pkt *p;

	memset(&fd, 0, sizeof(fd));
	feed_pcap(t, "ipfixprobe-templates.pcap", &fd);
	feed_pcap(t, "ipfixprobe-data.pcap", &fd);
	assert_int_equal(fd.malformed, 0);
	assert_int_equal(fd.unknown, 0);
	assert_int_equal(fd.weight, 60);
	assert_int_equal(fd.wbytes, 62 + 128 + 229 + 21673 + 1546 + 2304);
	/* 4 flows, 2 of them with reverse packets */
	assert_int_equal(fd.records, 6);
	assert_int_equal(fd.skipped, 0);
	p = find_pkt(&t->g, "10.10.1.4", "74.53.140.153");
	expect_flow(p, L4_TCP, 25, 28, 21673);
	assert_int_equal(p->sport, 1470);
	p = find_pkt(&t->g, "74.53.140.153", "10.10.1.4");
	expect_flow(p, L4_TCP, 1470, 25, 1546);
	assert_int_equal(p->sport, 25);
	p = find_pkt(&t->g, "10.10.1.1", "10.10.1.4");
	expect_flow(p, L4_UDP, 56166, 1, 128);
}

/*
 * Juniper inline monitoring: each record is one sampled frame in
 * dataLinkFrameSection, decoded by decode_frame() (tshark decodes it as
 * 802.1Q, IPv4 51.51.51.51 -> 52.52.52.52, UDP 55501 -> 11777, TTL 119,
 * 114 octets). More sampled frames with MPLS, Ethernet over MPLS and
 * SRv6: every record is delivered or counted as skipped, none vanishes.
 */
static void
test_real_datalink_frames(void **state)
{
	struct nft *t = *state;
	struct fed fd;
	const struct pkt *p;

	memset(&fd, 0, sizeof(fd));
	feed_pcap(t, "datalink-template.pcap", &fd);
	feed_pcap(t, "datalink-data.pcap", &fd);
	assert_int_equal(fd.malformed, 0);
	assert_int_equal(fd.unknown, 0);
	assert_int_equal(fd.records, 1);
	assert_int_equal(fd.skipped, 0);
	p = find_pkt(&t->g, "51.51.51.51", "52.52.52.52");
	expect_flow(p, L4_UDP, 11777, 1, 114);
	assert_int_equal(p->sport, 55501);
	assert_int_equal(p->ttl, 119);
	assert_int_equal(p->wirelen, 114);
	assert_true(p->flags & PKT_VLAN);

	/* ten frames, eight of them IP straight after Ethernet/802.1Q or
	 * MPLS; tshark finds IP in nine */
	memset(&fd, 0, sizeof(fd));
	t->g.n = 0;
	feed_pcap(t, "ethernet-over-mpls-with-control-word-template.pcap", &fd);
	feed_pcap(t, "ethernet-over-mpls-with-control-word-data.pcap", &fd);
	assert_int_equal(fd.malformed, 0);
	assert_int_equal(fd.unknown, 0);
	assert_int_equal(fd.records + fd.skipped, 10);
	assert_true(fd.records >= 8);
	p = find_pkt(&t->g, "198.51.100.5", "198.51.100.6");
	expect_flow(p, L4_UDP, 10000, 1, 983);

	memset(&fd, 0, sizeof(fd));
	t->g.n = 0;
	feed_pcap(t, "ipfix-srv6-template.pcap", &fd);
	feed_pcap(t, "ipfix-srv6-data.pcap", &fd);
	assert_int_equal(fd.malformed, 0);
	assert_int_equal(fd.records, 1);
	assert_int_equal(fd.skipped, 0);
	assert_int_equal(t->g.p[0].wbytes, 118);
}

/*
 * Without ipVersion the family is the one whose address fields are not
 * zero, whatever order the template lists them in; with ipVersion that
 * one (RFC 7012 ipVersion, IE 60).
 */
static void
test_ipfix_family_choice(void **state)
{
	struct nft *t = *state;
	struct fb *f = &t->f;
	static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	static const uint8_t zero[16];
	size_t at;

	ipfix_header(f, 7);
	at = fb_set_begin(f, 2);
	/* IPv4 fields first, then IPv6 ones, packets, no ipVersion */
	FB_U16S(f, 300, 5, 8, 4, 12, 4, 27, 16, 28, 16, 2, 4);
	/* IPv6 fields first, then IPv4, then ipVersion */
	FB_U16S(f, 301, 6, 27, 16, 28, 16, 8, 4, 12, 4, 2, 4, 60, 1);
	fb_set_end(f, at);
	at = fb_set_begin(f, 300);
	FB_U32S(f, 0, 0);		/* an IPv6 flow: IPv4 fields zero */
	fb_bytes(f, v6a, 16);
	fb_bytes(f, v6b, 16);
	fb_u32(f, 5);
	FB_U32S(f, A4(198, 51, 100, 1), A4(203, 0, 113, 1));
	fb_bytes(f, zero, 16);		/* an IPv4 flow: IPv6 fields zero */
	fb_bytes(f, zero, 16);
	fb_u32(f, 7);
	fb_set_end(f, at);
	at = fb_set_begin(f, 301);
	fb_bytes(f, zero, 16);		/* ipVersion 4, IPv6 fields zero */
	fb_bytes(f, zero, 16);
	FB_U32S(f, A4(198, 51, 100, 2), A4(203, 0, 113, 2), 9);
	fb_u8(f, 4);
	fb_bytes(f, v6a, 16);		/* ipVersion 6 (IPv4 fields junk) */
	fb_bytes(f, v6b, 16);
	FB_U32S(f, A4(198, 51, 100, 3), A4(203, 0, 113, 3), 11);
	fb_u8(f, 6);
	fb_set_end(f, at);
	ipfix_end(f);
	assert_int_equal(nft_parse(t, 4739, 0), 0);
	assert_int_equal(t->res.records, 4);
	assert_int_equal(t->g.n, 4);
	assert_int_equal(t->g.p[0].family, 6);
	assert_memory_equal(t->g.p[0].dst.b, v6b, 16);
	assert_int_equal(t->g.p[0].weight, 5);
	assert_int_equal(t->g.p[1].family, 4);
	assert_int_equal(v4(&t->g.p[1].dst), A4(203, 0, 113, 1));
	assert_int_equal(t->g.p[2].family, 4);
	assert_int_equal(v4(&t->g.p[2].dst), A4(203, 0, 113, 2));
	assert_int_equal(t->g.p[3].family, 6);
	assert_memory_equal(t->g.p[3].src.b, v6a, 16);
}

/*
 * RFC 5103 by hand: reverseOctetTotalCount and reversePacketTotalCount
 * (YAF's choice), reverseTcpControlBits and reverseIpTTL; interfaces
 * swap for the reverse direction. A record with no reverse packets gives
 * one direction only.
 */
static void
test_ipfix_biflow(void **state)
{
	struct nft *t = *state;
	struct fb *f = &t->f;
	size_t at;

	ipfix_header(f, 7);
	at = fb_set_begin(f, 2);
	FB_U16S(f, 300, 14,
	    8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 10, 4, 14, 4,
	    85, 8, 86, 8);
	FB_U16S(f, 0x8000 | 85, 8);
	fb_u32(f, 29305);
	FB_U16S(f, 0x8000 | 86, 8);
	fb_u32(f, 29305);
	FB_U16S(f, 6, 1, 0x8000 | 6, 1);
	fb_u32(f, 29305);
	FB_U16S(f, 0x8000 | 192, 1);
	fb_u32(f, 29305);
	fb_set_end(f, at);
	at = fb_set_begin(f, 300);
	FB_U32S(f, A4(198, 51, 100, 1), A4(203, 0, 113, 1));
	FB_U16S(f, 40000, 443);
	fb_u8(f, 6);
	FB_U32S(f, 3, 4);		/* in, out ifIndex */
	fb_u64(f, 1000);
	fb_u64(f, 10);
	fb_u64(f, 30000);		/* reverse */
	fb_u64(f, 20);
	fb_u8(f, TCP_SYN | TCP_ACK);
	fb_u8(f, TCP_SYN | TCP_ACK | TCP_PSH);
	fb_u8(f, 57);
	/* the second: no reverse packets */
	FB_U32S(f, A4(198, 51, 100, 2), A4(203, 0, 113, 1));
	FB_U16S(f, 40001, 443);
	fb_u8(f, 6);
	FB_U32S(f, 3, 4);
	fb_u64(f, 60);
	fb_u64(f, 1);
	fb_u64(f, 0);
	fb_u64(f, 0);
	fb_u8(f, TCP_SYN);
	fb_u8(f, 0);
	fb_u8(f, 0);
	fb_set_end(f, at);
	ipfix_end(f);
	assert_int_equal(nft_parse(t, 4739, 0), 0);
	assert_int_equal(t->res.records, 3);
	assert_int_equal(t->res.skipped, 0);
	assert_int_equal(t->g.n, 3);
	expect_flow(&t->g.p[0], L4_TCP, 443, 10, 1000);
	assert_int_equal(t->g.p[0].tcp_flags, TCP_SYN | TCP_ACK);
	assert_true(t->g.p[0].flags & PKT_NOTTL);
	assert_int_equal(t->g.o[0].in_if, 3);
	expect_flow(&t->g.p[1], L4_TCP, 40000, 20, 30000);
	assert_int_equal(t->g.p[1].sport, 443);
	assert_int_equal(v4(&t->g.p[1].src), A4(203, 0, 113, 1));
	assert_int_equal(v4(&t->g.p[1].dst), A4(198, 51, 100, 1));
	assert_int_equal(t->g.p[1].tcp_flags, TCP_SYN | TCP_ACK | TCP_PSH);
	assert_int_equal(t->g.p[1].ttl, 57);
	assert_int_equal(t->g.o[1].in_if, 4);
	assert_int_equal(t->g.o[1].out_if, 3);
	assert_int_equal(t->g.p[1].wirelen, 1500);
	expect_flow(&t->g.p[2], L4_TCP, 443, 1, 60);
}

/*
 * The previous-adjacent AS (IPFIX IE 129 bgpPrevAdjacentAsNumber, NetFlow
 * v9 field 129 BGP_ADJ_PREV_AS) reaches pkt.peer_as: the neighbour that
 * handed the flow to the exporter. A biflow's reverse direction came in
 * elsewhere and gets none; a record without the field has 0.
 */
static void
test_prev_adjacent_as(void **state)
{
	struct nft *t = *state;
	struct fb *f = &t->f;
	size_t at;

	/* IPFIX biflow: src4 dst4 sport dport proto in_if prevAS octets
	 * packets reverseOctets reversePackets */
	ipfix_header(f, 8);
	at = fb_set_begin(f, 2);
	FB_U16S(f, 301, 11,
	    8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 10, 4, 129, 4,
	    85, 8, 86, 8);
	FB_U16S(f, 0x8000 | 85, 8);
	fb_u32(f, 29305);
	FB_U16S(f, 0x8000 | 86, 8);
	fb_u32(f, 29305);
	fb_set_end(f, at);
	at = fb_set_begin(f, 301);
	FB_U32S(f, A4(198, 51, 100, 1), A4(203, 0, 113, 1));
	FB_U16S(f, 40000, 80);
	fb_u8(f, 6);
	FB_U32S(f, 3, 4200000001u);	/* in_if, a 4-octet AS */
	fb_u64(f, 400);
	fb_u64(f, 10);
	fb_u64(f, 600);
	fb_u64(f, 10);
	fb_set_end(f, at);
	ipfix_end(f);
	assert_int_equal(nft_parse(t, 4739, 0), 0);
	assert_int_equal(t->g.n, 2);
	assert_int_equal(t->g.p[0].peer_as, 4200000001u);
	assert_int_equal(v4(&t->g.p[0].dst), A4(203, 0, 113, 1));
	assert_int_equal(t->g.p[1].peer_as, 0);

	/* NetFlow v9: the same field in a v9 template (2 octets here) */
	t->g.n = 0;
	v9_header(f, 44);
	at = fb_set_begin(f, 0);
	FB_U16S(f, 260, 6, 8, 4, 12, 4, 4, 1, 2, 4, 1, 4, 129, 2);
	fb_set_end(f, at);
	at = fb_set_begin(f, 260);
	FB_U32S(f, A4(198, 51, 100, 9), A4(203, 0, 113, 9));
	fb_u8(f, 17);
	FB_U32S(f, 5, 500);
	fb_u16(f, 64501);
	fb_set_end_pad4(f, at);
	assert_int_equal(nft_parse(t, 9996, 0), 0);
	assert_int_equal(t->g.n, 1);
	assert_int_equal(t->g.p[0].peer_as, 64501);
	/* v9 without it (test_v9_template_and_data's template) */
	t->g.n = 0;
	v9_header(f, 45);
	v9_template(f);
	v9_data(f, 0);
	assert_int_equal(nft_parse(t, 9996, 0), 0);
	assert_int_equal(t->g.n, 1);
	assert_int_equal(t->g.p[0].peer_as, 0);
}

/*
 * Records that give nothing to count are counted as skipped, not lost
 * silently: no packets, a frame section that is not Ethernet
 * (dataLinkFrameType 2, IEEE 802.11) or carries no IP (ARP).
 */
static void
test_ipfix_skipped(void **state)
{
	struct nft *t = *state;
	struct fb *f = &t->f;
	static const uint8_t arp[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1,
		0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1,
	};
	size_t at;

	ipfix_header(f, 7);
	at = fb_set_begin(f, 2);
	FB_U16S(f, 300, 3, 8, 4, 12, 4, 1, 4);		/* octets only */
	FB_U16S(f, 301, 3, 408, 2, 312, 2, 315, 65535);
	fb_set_end(f, at);
	at = fb_set_begin(f, 300);
	FB_U32S(f, A4(198, 51, 100, 1), A4(203, 0, 113, 1), 1500);
	fb_set_end(f, at);
	at = fb_set_begin(f, 301);
	FB_U16S(f, 2, 60);		/* 802.11: not decoded */
	fb_u8(f, 54);
	fb_eth_tcp4(f, A4(198, 51, 100, 2), A4(203, 0, 113, 2), 1, 80,
	    TCP_SYN, 40, 64);
	FB_U16S(f, 1, 60);		/* Ethernet, but ARP */
	fb_u8(f, sizeof(arp));
	fb_bytes(f, arp, sizeof(arp));
	FB_U16S(f, 1, 60);		/* Ethernet, IPv4: counted */
	fb_u8(f, 54);
	fb_eth_tcp4(f, A4(198, 51, 100, 3), A4(203, 0, 113, 3), 1, 80,
	    TCP_SYN, 40, 64);
	fb_set_end(f, at);
	ipfix_end(f);
	assert_int_equal(nft_parse(t, 4739, 0), 0);
	assert_int_equal(t->res.skipped, 3);
	assert_int_equal(t->res.records, 1);
	assert_int_equal(t->res.malformed, 0);
	assert_int_equal(t->g.n, 1);
	expect_flow(&t->g.p[0], L4_TCP, 80, 1, 60);
	assert_int_equal(t->g.p[0].tcp_flags, TCP_SYN);
	assert_int_equal(v4(&t->g.p[0].dst), A4(203, 0, 113, 3));
}

static void
test_listen_parse(void **state)
{
	char err[ERRBUF_SIZE];
	struct addr a;
	uint16_t port;

	(void)state;
	assert_int_equal(flowc_parse_listen("6343", &a, &port, err), 0);
	assert_int_equal(port, 6343);
	assert_int_equal(a.family, 0);
	assert_int_equal(flowc_parse_listen("127.0.0.1:2055", &a, &port, err),
	    0);
	assert_int_equal(a.family, 4);
	assert_int_equal(port, 2055);
	assert_int_equal(flowc_parse_listen("[::]:6343", &a, &port, err), 0);
	assert_int_equal(a.family, 6);
	assert_int_equal(flowc_parse_listen("[::1]:1", &a, &port, err), 0);
	assert_int_equal(flowc_parse_listen("::1:5", &a, &port, err), -1);
	assert_non_null(strstr(err, "brackets"));
	assert_int_equal(flowc_parse_listen("1.2.3.4:99999", &a, &port, err),
	    -1);
	assert_int_equal(flowc_parse_listen("host:1", &a, &port, err), -1);
	assert_int_equal(flowc_parse_listen("[1.2.3.4]:1", &a, &port, err), -1);
	assert_int_equal(flowc_parse_listen("", &a, &port, err), -1);
}

/* The telemetry source's view of o (config_flow_settings). */
static const struct flowlinkdef *
flowlink(const struct options *o, const struct addr *a, uint32_t ifindex)
{
	struct flow_settings fs;

	config_flow_settings(o, &fs);
	return flowsrc_link_for(&fs, a, ifindex);
}

static struct flowsrc *
flowsrc_new_opt(const struct options *o, unsigned base, unsigned max,
    char *errbuf)
{
	struct flow_settings fs;

	config_flow_settings(o, &fs);
	return flowsrc_new(&fs, base, max, errbuf);
}

static void
test_config_flowlink(void **state)
{
	struct options *o = xcalloc(1, sizeof(*o));
	char err[ERRBUF_SIZE];
	struct addr a;

	(void)state;
	config_defaults(o);
	assert_int_equal(config_set(o, "flowlink", "peering-A=192.0.2.1:17:10G",
	    0, err), 0);
	assert_int_equal(config_set(o, "flowlink",
	    "transit-B=[2001:db8::1]:5:400G", 1, err), 0);
	assert_int_equal(config_set(o, "flowlink", "ix=192.0.2.1:18", 1, err),
	    0);
	addr_parse("192.0.2.1", &a);
	assert_string_equal(flowlink(o, &a, 17)->name, "peering-A");
	assert_true(flowlink(o, &a, 17)->capacity_bps == 10000000000ULL);
	assert_int_equal(flowlink(o, &a, 18)->capacity_bps, 0);
	assert_null(flowlink(o, &a, 19));
	addr_parse("2001:db8::1", &a);
	assert_string_equal(flowlink(o, &a, 5)->name, "transit-B");
	assert_int_equal(config_set(o, "flowlink", "x=2001:db8::1:5", 1, err),
	    -1);
	assert_int_equal(config_set(o, "flowlink", "x=192.0.2.1:eth0", 1, err),
	    -1);
	assert_non_null(strstr(err, "ifIndex"));
	assert_int_equal(config_set(o, "flowlink", "x=192.0.2.1:1:fast", 1,
	    err), -1);
	assert_int_equal(config_set(o, "flowlink", "=192.0.2.1:1", 1, err), -1);
	assert_int_equal(config_set(o, "sflow", "[::]:6343", 1, err), 0);
	assert_int_equal(config_set(o, "netflow", "2055", 1, err), 0);
	assert_int_equal(config_set(o, "netflow", "203.0.113.1:99999", 1, err),
	    -1);
	assert_int_equal(o->nsflow, 1);
	assert_string_equal(o->sflow_listen[0], "[::]:6343");
	assert_string_equal(o->netflow_listen[0], "2055");
	free(o);
}

static int
send_from(int fam, uint16_t to_port, const void *b, size_t n, int *fdp)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;

	if (*fdp == -1)
		*fdp = socket(fam, SOCK_DGRAM, 0);
	if (fam == AF_INET) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		s4.sin_port = htons(to_port);
		s4.sin_addr.s_addr = htonl(0x7f000001);
		return (int)sendto(*fdp, b, n, 0, (struct sockaddr *)&s4,
		    sizeof(s4));
	}
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(to_port);
	s6.sin6_addr = in6addr_loopback;
	return (int)sendto(*fdp, b, n, 0, (struct sockaddr *)&s6, sizeof(s6));
}

static void
drain(struct flow_collector *c, struct got *g, uint64_t want)
{
	struct flowc_stats st;
	struct pollfd pfd;
	int i;

	for (i = 0; i < 200; i++) {
		flowc_stats(c, &st);
		if (st.datagrams >= want)
			return;
		pfd.fd = flowc_fd(c);
		pfd.events = POLLIN;
		(void)poll(&pfd, 1, 50);
		assert_true(flowc_poll(c, got_pkt, g) >= 0);
	}
}

static void
test_collector_netflow(void **state)
{
	char err[ERRBUF_SIZE];
	struct flow_collector *c;
	struct flowc_stats st;
	struct flowc_exporter ex[4];
	struct got g;
	struct fb f;
	int fd4 = -1, fd6 = -1, bad = -1;
	size_t n, i;

	(void)state;
	memset(&g, 0, sizeof(g));
	c = flowc_new(FLOW_NETFLOW, "0", err);
	if (c == NULL)
		fail_msg("%s", err);
	assert_true(flowc_port(c) != 0);
	build_v5(&f);
	assert_true(send_from(AF_INET, flowc_port(c), f.b, f.n, &fd4) > 0);
	assert_true(send_from(AF_INET6, flowc_port(c), f.b, f.n, &fd6) > 0);
	assert_true(send_from(AF_INET, flowc_port(c), "junk", 4, &bad) > 0);
	drain(c, &g, 3);
	flowc_stats(c, &st);
	assert_int_equal(st.datagrams, 3);
	assert_int_equal(st.records, 4);
	assert_int_equal(st.malformed, 1);
	assert_int_equal(st.exporters, 3);
	assert_int_equal(g.n, 4);
	/* v4 peers arrive on the dual-stack socket as plain IPv4 */
	assert_int_equal(g.o[0].peer.family, 4);
	n = flowc_exporters(c, ex, 4);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_true(ex[i].malformed == (ex[i].records == 0));
	assert_true(st.rcvbuf > 0);
	close(fd4);
	close(fd6);
	close(bad);
	flowc_free(c);

	/* a port in use is an error a person can act on */
	c = flowc_new(FLOW_SFLOW, "127.0.0.1:0", err);
	assert_non_null(c);
	{
		char spec[32];
		struct flow_collector *c2;

		snprintf(spec, sizeof(spec), "127.0.0.1:%u", flowc_port(c));
		/* SO_REUSEADDR does not let two UDP sockets share a port
		 * unless both set SO_REUSEPORT */
		c2 = flowc_new(FLOW_SFLOW, spec, err);
		if (c2 != NULL)
			flowc_free(c2);
		else
			assert_non_null(strstr(err, "cannot listen"));
	}
	flowc_free(c);
}

/* Sequence gaps count as loss: v5 in records, sFlow in datagrams. */
static void
test_collector_seq_loss(void **state)
{
	char err[ERRBUF_SIZE];
	struct flow_collector *c, *cs;
	struct flowc_exporter ex[2];
	struct got g;
	struct fb f;
	int fd = -1, fd2 = -1;
	static const uint32_t v5seq[] = { 0, 2, 10, 12, 5 };
	static const uint32_t sfseq[] = { 1, 2, 5, 6 };
	size_t i;

	(void)state;
	memset(&g, 0, sizeof(g));
	c = flowc_new(FLOW_NETFLOW, "127.0.0.1:0", err);
	cs = flowc_new(FLOW_SFLOW, "127.0.0.1:0", err);
	assert_non_null(c);
	assert_non_null(cs);
	build_v5(&f);
	for (i = 0; i < NITEMS(v5seq); i++) {
		fb_put32(&f, 16, v5seq[i]);
		assert_true(send_from(AF_INET, flowc_port(c), f.b, f.n,
		    &fd) > 0);
	}
	drain(c, &g, NITEMS(v5seq));
	assert_int_equal(flowc_exporters(c, ex, 2), 1);
	/* 0+2 -> 2 ok; 2+2 -> 4 but 10: 6 lost; 12 ok; 5: back, resync */
	assert_int_equal(ex[0].lost_records, 6);
	assert_int_equal(ex[0].lost_datagrams, 0);
	build_sflow(&f, 0);
	for (i = 0; i < NITEMS(sfseq); i++) {
		fb_put32(&f, 16, sfseq[i]);	/* after version, agent, sub */
		assert_true(send_from(AF_INET, flowc_port(cs), f.b, f.n,
		    &fd2) > 0);
	}
	drain(cs, &g, NITEMS(sfseq));
	assert_int_equal(flowc_exporters(cs, ex, 2), 1);
	assert_int_equal(ex[0].lost_datagrams, 2);
	close(fd);
	close(fd2);
	flowc_free(c);
	flowc_free(cs);
}

static void
test_collector_sflow_ifrates(void **state)
{
	char err[ERRBUF_SIZE];
	struct flow_collector *c;
	struct flowc_if ifs[4];
	struct got g;
	struct fb f;
	int fd = -1;

	(void)state;
	memset(&g, 0, sizeof(g));
	c = flowc_new(FLOW_SFLOW, "[::1]:0", err);
	if (c == NULL)
		fail_msg("%s", err);
	build_sflow(&f, 0);
	assert_true(send_from(AF_INET6, flowc_port(c), f.b, f.n, &fd) > 0);
	drain(c, &g, 1);
	assert_int_equal(g.n, 2);
	assert_int_equal(flowc_interfaces(c, ifs, 4), 1);
	assert_int_equal(ifs[0].ifindex, 5);
	assert_int_equal(ifs[0].agent.family, 4);
	assert_true(ifs[0].speed_bps == 10000000000ULL);
	close(fd);
	flowc_free(c);
}

static void
test_flowsrc_links(void **state)
{
	struct options *o = xcalloc(1, sizeof(*o));
	char err[ERRBUF_SIZE];
	struct flowsrc *fs;
	struct flowc_stats st;
	const struct flowsrc_link *l;
	struct got g;
	struct fb f;
	struct pollfd pfd;
	int fd = -1, i, fds[4];
	uint16_t port;

	(void)state;
	memset(&g, 0, sizeof(g));
	config_defaults(o);
	assert_null(flowsrc_new_opt(o, 0, 4, err));
	assert_non_null(strstr(err, "--netflow"));
	assert_int_equal(config_set(o, "netflow", "127.0.0.1:0", 1, err), 0);
	/* v5 records arrive on ifIndex 3 (in) from 127.0.0.1 */
	assert_int_equal(config_set(o, "flowlink", "peer-A=127.0.0.1:3:1G", 1,
	    err), 0);
	fs = flowsrc_new_opt(o, 5, 3, err);
	if (fs == NULL)
		fail_msg("%s", err);
	assert_int_equal(flowsrc_fds(fs, fds, 4), 1);
	port = flowc_port(flowsrc_collector(fs, 0, NULL, NULL));
	build_v5(&f);
	assert_true(send_from(AF_INET, port, f.b, f.n, &fd) > 0);
	f.b[24 + 12] = 0;	/* first record: input ifIndex 9 */
	f.b[24 + 13] = 9;
	f.b[24 + 48 + 12] = 0;	/* second: input unknown, output 4 */
	f.b[24 + 48 + 13] = 0;
	assert_true(send_from(AF_INET, port, f.b, f.n, &fd) > 0);
	f.b[24 + 13] = 10;	/* a third link: past the bound -> other */
	assert_true(send_from(AF_INET, port, f.b, f.n, &fd) > 0);
	for (i = 0; i < 100; i++) {
		flowsrc_stats(fs, &st);
		if (st.datagrams >= 3)
			break;
		pfd.fd = fds[0];
		pfd.events = POLLIN;
		(void)poll(&pfd, 1, 50);
		assert_true(flowsrc_poll(fs, got_pkt, &g) >= 0);
	}
	assert_int_equal(g.n, 6);
	assert_int_equal(flowsrc_maxlinks(fs), 3);
	l = flowsrc_link(fs, 0);
	assert_non_null(l);
	assert_string_equal(l->name, "peer-A");
	assert_true(l->capacity_bps == 1000000000ULL);
	assert_int_equal(l->rate, 100);
	assert_int_equal(g.p[0].link, 5);
	assert_int_equal(g.p[1].link, 5);
	/* ifIndex 9: auto-named; the out-only record goes to ifIndex 4,
	 * which no longer fits and lands in "other" with ifIndex 10 */
	assert_int_equal(g.p[2].link, 6);
	assert_string_equal(flowsrc_link(fs, 1)->name, "127.0.0.1:9");
	assert_int_equal(g.p[3].link, 7);
	assert_int_equal(g.p[5].link, 7);
	assert_string_equal(flowsrc_link(fs, 2)->name, "other");
	close(fd);
	flowsrc_free(fs);
	free(o);
}

/* One exporter floods, another sends a little: the small one is never
 * shed, the flood is shed once the collector is congested, and the
 * collector reads every datagram (nothing left for the kernel to drop). */
static void
test_collector_fairness(void **state)
{
	char err[ERRBUF_SIZE];
	struct flow_collector *c;
	struct flowc_exporter ex[4];
	struct flowc_stats st;
	struct got g;
	struct fb f;
	int flood = -1, good = -1, i;
	size_t n, k;
	uint64_t shed_flood = 0, shed_good = 0, dg_good = 0;

	(void)state;
	memset(&g, 0, sizeof(g));
	c = flowc_new(FLOW_NETFLOW, "127.0.0.1:0", err);
	if (c == NULL)
		fail_msg("%s", err);
	build_v5(&f);
	for (i = 0; i < 4000; i++) {
		assert_true(send_from(AF_INET, flowc_port(c), f.b, f.n,
		    &flood) > 0);
		if (i % 40 == 0)
			assert_true(send_from(AF_INET, flowc_port(c), f.b, f.n,
			    &good) > 0);
	}
	drain(c, &g, 4100);
	flowc_stats(c, &st);
	assert_int_equal(st.datagrams + st.sock_drops, 4100);
	n = flowc_exporters(c, ex, 4);
	assert_int_equal(n, 2);
	for (k = 0; k < n; k++) {
		if (ex[k].datagrams == 100 - 0 && ex[k].datagrams < 1000) {
			shed_good += ex[k].shed;
			dg_good = ex[k].datagrams;
		} else
			shed_flood += ex[k].shed;
	}
	assert_int_equal(dg_good, 100);
	assert_int_equal(shed_good, 0);
	assert_true(shed_flood > 0);
	assert_int_equal(st.shed, shed_flood);
	assert_int_equal(st.records, (st.datagrams - st.shed) * 2);
	close(flood);
	close(good);
	flowc_free(c);
}

/* FLOW_WRITE_CORPUS=DIR: write the datagrams above as fuzz seeds into
 * DIR/sflow and DIR/netflow (how tests/fuzz/corpus/ was made). */
static void
write_seed(const char *dir, const char *name, const void *b, size_t n)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		fatal("%s: cannot write", path);
	fwrite(b, 1, n, f);
	fclose(f);
}

/* Append a 16-bit length and the datagram (fuzz_netflow's sequence). */
static void
chunk(struct fb *out, const struct fb *f)
{
	fb_u16(out, (uint16_t)f->n);
	fb_bytes(out, f->b, f->n);
}

static void
write_corpus(const char *dir)
{
	static struct fb f, seq;
	char sd[900], nd[900];

	snprintf(sd, sizeof(sd), "%s/sflow", dir);
	snprintf(nd, sizeof(nd), "%s/netflow", dir);
	build_sflow(&f, 0);
	write_seed(sd, "flow-counter-v4agent", f.b, f.n);
	build_sflow(&f, 1);
	write_seed(sd, "flow-counter-v6agent", f.b, f.n);
	build_v5(&f);
	write_seed(nd, "v5", f.b, f.n);
	v9_header(&f, 1);
	v9_template(&f);
	v9_options(&f, 5, 1000);
	v9_data(&f, 5);
	write_seed(nd, "v9-template-options-data", f.b, f.n);
	ipfix_header(&f, 7);
	ipfix_template(&f);
	ipfix_data(&f, 300);
	ipfix_data(&f, 0);
	ipfix_end(&f);
	write_seed(nd, "ipfix-varlen-enterprise", f.b, f.n);
	/* sequences: template, then data, then withdrawal, then data */
	seq.n = 0;
	ipfix_build(&f, 7, 0, 0);
	chunk(&seq, &f);
	ipfix_header(&f, 7);
	ipfix_data(&f, 5);
	ipfix_end(&f);
	chunk(&seq, &f);
	ipfix_withdraw(&f, 7, 300);
	chunk(&seq, &f);
	ipfix_header(&f, 7);
	ipfix_data(&f, 5);
	ipfix_end(&f);
	chunk(&seq, &f);
	write_seed(nd, "seq-ipfix-withdrawal", seq.b, seq.n);
	seq.n = 0;
	v9_header(&f, 1);
	v9_template(&f);
	v9_options(&f, 5, 100);
	chunk(&seq, &f);
	v9_header(&f, 1);
	v9_data(&f, 5);
	v9_data(&f, 6);
	chunk(&seq, &f);
	write_seed(nd, "seq-v9-template-then-data", seq.b, seq.n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v5, nft_setup,
		    nft_teardown),
		cmocka_unit_test_setup_teardown(test_v9_template_and_data, nft_setup,
		    nft_teardown),
		cmocka_unit_test_setup_teardown(test_v9_options_sampling, nft_setup,
		    nft_teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_variable_enterprise, nft_setup,
		    nft_teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_withdrawal, nft_setup,
		    nft_teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_options_psamp, nft_setup,
		    nft_teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_uptime_time, nft_setup,
		    nft_teardown),
		cmocka_unit_test_setup_teardown(test_real_cisco_both_families,
		    nft_setup, nft_teardown),
		cmocka_unit_test_setup_teardown(test_real_ipfixprobe_biflow,
		    nft_setup, nft_teardown),
		cmocka_unit_test_setup_teardown(test_real_datalink_frames,
		    nft_setup, nft_teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_family_choice,
		    nft_setup, nft_teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_biflow, nft_setup,
		    nft_teardown),
		cmocka_unit_test_setup_teardown(test_prev_adjacent_as, nft_setup,
		    nft_teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_skipped, nft_setup,
		    nft_teardown),
		cmocka_unit_test(test_template_bounds),
		cmocka_unit_test_setup_teardown(test_template_lifetime, nft_setup,
		    nft_teardown),
		cmocka_unit_test(test_sflow),
		cmocka_unit_test(test_sflow_header_ipv4_proto),
		cmocka_unit_test(test_sflow_gateway),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_hostile_lengths),
		cmocka_unit_test(test_listen_parse),
		cmocka_unit_test(test_config_flowlink),
		cmocka_unit_test(test_collector_netflow),
		cmocka_unit_test(test_collector_sflow_ifrates),
		cmocka_unit_test(test_collector_seq_loss),
		cmocka_unit_test(test_collector_fairness),
		cmocka_unit_test(test_flowsrc_links),
	};

	setup_peer();
	if (getenv("FLOW_WRITE_CORPUS") != NULL) {
		write_corpus(getenv("FLOW_WRITE_CORPUS"));
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
