/*
 * spoof.c -- spoofing signs: the special-purpose address table, hop-count
 * inference, and the per-target accumulator with its assessment.
 *
 * Special-purpose and bogon space, as a source address:
 * - IANA IPv4 Special-Purpose Address Registry,
 *   https://www.iana.org/assignments/iana-ipv4-special-registry/
 *   (RFC 6890, updated by RFC 8190), plus 224.0.0.0/4 multicast (RFC 5771),
 *   never a valid source. The entries marked "Globally Reachable: True" are
 *   not bogons and are left out: 192.0.0.9/32 (PCP anycast, RFC 7723) and
 *   192.0.0.10/32 (TURN anycast, RFC 8155) inside 192.0.0.0/24, and
 *   192.31.196.0/24, 192.52.193.0/24, 192.175.48.0/24 (AS112, AMT).
 * - IANA IPv6 Special-Purpose Address Registry,
 *   https://www.iana.org/assignments/iana-ipv6-special-registry/
 *   (RFC 6890, RFC 8190), and the IPv6 Address Space registry
 *   (https://www.iana.org/assignments/ipv6-address-space/, RFC 4291):
 *   everything outside 2000::/3 is not allocated for global unicast, so
 *   is bogon space as a source, except 64:ff9b::/96 (RFC 6052, the
 *   well-known NAT64 prefix, globally reachable: real traffic seen inside
 *   a NAT64 carries it). Inside 2001::/23 (IETF Protocol Assignments, RFC
 *   2928) the globally reachable exceptions are left out: 2001::/32
 *   (Teredo, RFC 4380), 2001:1::1/128 (PCP anycast, RFC 7723),
 *   2001:1::2/128 (TURN anycast, RFC 8155), 2001:1::3/128 (DNS-SD SRP
 *   anycast), 2001:3::/32 (AMT, RFC 7450), 2001:4:112::/48 (AS112-v6, RFC
 *   7535), 2001:20::/28 (ORCHIDv2, RFC 7343), 2001:30::/28 (Drone Remote ID
 *   tags, RFC 9374). 2002::/16 (6to4) is not a bogon either.
 *
 * Hop counts: S. Jin, H. Wang, K. G. Shin, "Hop-count filtering: an effective
 * defense against spoofed DDoS traffic", ACM CCS 2003.
 * Reservoir: K.-H. Li, "Reservoir-sampling algorithms of time complexity
 * O(n(1 + log(N/n)))", ACM TOMS 20(4), 1994 (algorithm L): it decides how
 * many records to skip, so the per-packet path is a decrement.
 */
#include "detect/spoof.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Registry entries we name. 0 is "not special". */
enum {
	SP_NONE = 0,
	SP4_THIS, SP4_PRIV10, SP4_SHARED, SP4_LOOP, SP4_LINK, SP4_PRIV172,
	SP4_IETF, SP4_TEST1, SP4_6TO4, SP4_PRIV192, SP4_BENCH, SP4_TEST2,
	SP4_TEST3, SP4_MCAST, SP4_RESERVED, SP4_BCAST,
	SP6_UNSPEC, SP6_LOOP, SP6_MAPPED, SP6_XLAT_LOCAL, SP6_DISCARD,
	SP6_IETF, SP6_BENCH, SP6_ORCHID, SP6_DOC, SP6_DOC2, SP6_SRV6,
	SP6_ULA, SP6_LINK, SP6_MCAST, SP6_UNALLOC,
	SP_COUNT
};

static const char *const sp_name[SP_COUNT] = {
	[SP_NONE] = "",
	[SP4_THIS] = "0.0.0.0/8 This network (RFC 791)",
	[SP4_PRIV10] = "10.0.0.0/8 Private-Use (RFC 1918)",
	[SP4_SHARED] = "100.64.0.0/10 Shared Address Space (RFC 6598)",
	[SP4_LOOP] = "127.0.0.0/8 Loopback (RFC 1122)",
	[SP4_LINK] = "169.254.0.0/16 Link Local (RFC 3927)",
	[SP4_PRIV172] = "172.16.0.0/12 Private-Use (RFC 1918)",
	[SP4_IETF] = "192.0.0.0/24 IETF Protocol Assignments (RFC 6890)",
	[SP4_TEST1] = "192.0.2.0/24 Documentation TEST-NET-1 (RFC 5737)",
	[SP4_6TO4] = "192.88.99.0/24 Deprecated 6to4 Relay Anycast (RFC 7526)",
	[SP4_PRIV192] = "192.168.0.0/16 Private-Use (RFC 1918)",
	[SP4_BENCH] = "198.18.0.0/15 Benchmarking (RFC 2544)",
	[SP4_TEST2] = "198.51.100.0/24 Documentation TEST-NET-2 (RFC 5737)",
	[SP4_TEST3] = "203.0.113.0/24 Documentation TEST-NET-3 (RFC 5737)",
	[SP4_MCAST] = "224.0.0.0/4 Multicast, never a source (RFC 5771)",
	[SP4_RESERVED] = "240.0.0.0/4 Reserved (RFC 1112)",
	[SP4_BCAST] = "255.255.255.255/32 Limited Broadcast (RFC 919)",
	[SP6_UNSPEC] = "::/128 Unspecified Address (RFC 4291)",
	[SP6_LOOP] = "::1/128 Loopback Address (RFC 4291)",
	[SP6_MAPPED] = "::ffff:0:0/96 IPv4-mapped Address (RFC 4291)",
	[SP6_XLAT_LOCAL] =
	    "64:ff9b:1::/48 Local-use IPv4/IPv6 Translation (RFC 8215)",
	[SP6_DISCARD] = "100::/64 Discard-Only Address Block (RFC 6666)",
	[SP6_IETF] = "2001::/23 IETF Protocol Assignments (RFC 2928)",
	[SP6_BENCH] = "2001:2::/48 Benchmarking (RFC 5180)",
	[SP6_ORCHID] = "2001:10::/28 Deprecated ORCHID (RFC 4843)",
	[SP6_DOC] = "2001:db8::/32 Documentation (RFC 3849)",
	[SP6_DOC2] = "3fff::/20 Documentation (RFC 9637)",
	[SP6_SRV6] = "5f00::/16 Segment Routing (SRv6) SIDs (RFC 9602)",
	[SP6_ULA] = "fc00::/7 Unique-Local (RFC 4193)",
	[SP6_LINK] = "fe80::/10 Link-Local Unicast (RFC 4291)",
	[SP6_MCAST] = "ff00::/8 Multicast, never a source (RFC 4291)",
	[SP6_UNALLOC] = "outside 2000::/3, not global unicast (RFC 4291)",
};

/*
 * IPv4 by first octet: 0 never special, an entry when the whole /8 is one,
 * V4_CHECK when part of the /8 is (a short test in special_v4() decides).
 */
#define V4_CHECK	0xff
#define T	SP4_THIS
#define P	SP4_PRIV10
#define L	SP4_LOOP
#define M	SP4_MCAST
#define R	SP4_RESERVED
#define C	V4_CHECK
static const uint8_t v4_first[256] = {
	T, 0, 0, 0, 0, 0, 0, 0, 0, 0, P, 0, 0, 0, 0, 0,	/*   0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/*  16 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/*  32 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/*  48 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/*  64 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/*  80 */
	0, 0, 0, 0, C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/*  96 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, L,	/* 112 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 128 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 144 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, C, 0, 0, C, 0, 0, 0,	/* 160 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 176 */
	C, 0, 0, 0, 0, 0, C, 0, 0, 0, 0, C, 0, 0, 0, 0,	/* 192 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 208 */
	M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,	/* 224 */
	R, R, R, R, R, R, R, R, R, R, R, R, R, R, R, C,	/* 240 */
};
#undef T
#undef P
#undef L
#undef M
#undef R
#undef C

static int
special_v4(uint32_t v)
{
	int e = v4_first[v >> 24];

	if (e != V4_CHECK)
		return e;
	switch (v >> 24) {
	case 100:
		return (v & 0xffc00000) == 0x64400000 ? SP4_SHARED : SP_NONE;
	case 169:
		return (v & 0xffff0000) == 0xa9fe0000 ? SP4_LINK : SP_NONE;
	case 172:
		return (v & 0xfff00000) == 0xac100000 ? SP4_PRIV172 : SP_NONE;
	case 192:
		if ((v & 0xffffff00) == 0xc0000000)
			/* PCP and TURN anycast are globally reachable */
			return v == 0xc0000009 || v == 0xc000000a ?
			    SP_NONE : SP4_IETF;
		if ((v & 0xffffff00) == 0xc0000200)
			return SP4_TEST1;
		if ((v & 0xffffff00) == 0xc0586300)
			return SP4_6TO4;
		if ((v & 0xffff0000) == 0xc0a80000)
			return SP4_PRIV192;
		return SP_NONE;
	case 198:
		if ((v & 0xfffe0000) == 0xc6120000)
			return SP4_BENCH;
		if ((v & 0xffffff00) == 0xc6336400)
			return SP4_TEST2;
		return SP_NONE;
	case 203:
		return (v & 0xffffff00) == 0xcb007100 ? SP4_TEST3 : SP_NONE;
	case 255:
		return v == 0xffffffff ? SP4_BCAST : SP4_RESERVED;
	}
	return SP_NONE;
}

static int
zero(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

/* Inside 2001::/23: special unless one of the globally reachable blocks. */
static int
special_2001(const uint8_t *b)
{
	unsigned w2 = (unsigned)b[2] << 8 | b[3];	/* second 16 bits */

	if (w2 == 0x0000 || w2 == 0x0003)	/* Teredo, AMT */
		return SP_NONE;
	if (w2 == 0x0001 && zero(b + 4, 11) && b[15] >= 1 && b[15] <= 3)
		return SP_NONE;			/* PCP, TURN, SRP anycast */
	if (w2 == 0x0004 && b[4] == 0x01 && b[5] == 0x12)
		return SP_NONE;			/* AS112-v6 */
	if (w2 == 0x0002 && b[4] == 0 && b[5] == 0)
		return SP6_BENCH;
	switch (w2 & 0xfff0) {
	case 0x0010:
		return SP6_ORCHID;
	case 0x0020:				/* ORCHIDv2 */
	case 0x0030:				/* DETs */
		return SP_NONE;
	}
	return SP6_IETF;
}

static int
special_v6(const uint8_t *b)
{
	if ((b[0] & 0xe0) == 0x20) {	/* 2000::/3 global unicast */
		if (b[0] == 0x20 && b[1] == 0x01) {
			if ((b[2] & 0xfe) == 0)
				return special_2001(b);
			if (b[2] == 0x0d && b[3] == 0xb8)
				return SP6_DOC;
			return SP_NONE;
		}
		if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xf0) == 0)
			return SP6_DOC2;
		return SP_NONE;
	}
	if (b[0] == 0xff)
		return SP6_MCAST;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return SP6_LINK;
	if ((b[0] & 0xfe) == 0xfc)
		return SP6_ULA;
	if (b[0] == 0x5f && b[1] == 0x00)
		return SP6_SRV6;
	if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {
		if (zero(b + 4, 8))
			return SP_NONE;	/* 64:ff9b::/96, RFC 6052 */
		if (b[4] == 0x00 && b[5] == 0x01)
			return SP6_XLAT_LOCAL;
		return SP6_UNALLOC;
	}
	if (b[0] == 0x01 && zero(b + 1, 7))
		return SP6_DISCARD;
	if (zero(b, 10)) {
		if (b[10] == 0xff && b[11] == 0xff)
			return SP6_MAPPED;
		if (zero(b + 10, 5) && b[15] <= 1)
			return b[15] == 0 ? SP6_UNSPEC : SP6_LOOP;
	}
	return SP6_UNALLOC;
}

static int
special_entry(const struct addr *a)
{
	if (a->family == 4)
		return special_v4((uint32_t)a->b[0] << 24 |
		    (uint32_t)a->b[1] << 16 | (uint32_t)a->b[2] << 8 | a->b[3]);
	if (a->family == 6)
		return special_v6(a->b);
	return SP_NONE;
}

int
spoof_special(const struct addr *a, const char **name)
{
	int e = special_entry(a);

	if (e != SP_NONE && name != NULL)
		*name = sp_name[e];
	return e != SP_NONE;
}

unsigned
spoof_initial_ttl(uint8_t ttl)
{
	if (ttl <= 32)
		return 32;
	if (ttl <= 64)
		return 64;
	if (ttl <= 128)
		return 128;
	return 255;
}

unsigned
spoof_hops(uint8_t ttl)
{
	return spoof_initial_ttl(ttl) - ttl;
}

/* ---- chi-square tail ------------------------------------------------ */

/* ln Gamma(x), x > 0 (Lanczos, as in Numerical Recipes' gammln; pure,
 * unlike lgamma(), which sets the global signgam). */
static double
ln_gamma(double x)
{
	static const double c[6] = {
		76.18009172947146, -86.50532032941677, 24.01409824083091,
		-1.231739572450155, 0.1208650973866179e-2,
		-0.5395239384953e-5,
	};
	double y = x, tmp = x + 5.5, ser = 1.000000000190015;
	int j;

	tmp -= (x + 0.5) * log(tmp);
	for (j = 0; j < 6; j++)
		ser += c[j] / ++y;
	return -tmp + log(2.5066282746310005 * ser / x);
}

/* Regularised upper incomplete gamma Q(a, x): series below a + 1,
 * Lentz's continued fraction above. */
static double
gamma_q(double a, double x)
{
	const double tiny = 1e-300;
	double pre, sum, del, ap, b, c, d, h, an;
	int n;

	if (x <= 0)
		return 1.0;
	pre = exp(-x + a * log(x) - ln_gamma(a));
	if (x < a + 1) {
		ap = a;
		sum = del = 1.0 / a;
		for (n = 0; n < 1000; n++) {
			ap += 1;
			del *= x / ap;
			sum += del;
			if (fabs(del) < fabs(sum) * 1e-15)
				break;
		}
		return 1.0 - sum * pre;
	}
	b = x + 1 - a;
	c = 1 / tiny;
	d = 1 / b;
	h = d;
	for (n = 1; n < 1000; n++) {
		an = -n * (n - a);
		b += 2;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return pre * h;
}

double
spoof_chisq_q(double x, unsigned df)
{
	double q;

	if (df == 0)
		return 1.0;
	q = gamma_q(df / 2.0, x / 2.0);
	return q < 0 ? 0 : q > 1 ? 1 : q;
}

/* ---- the accumulator ------------------------------------------------ */

#define HOPS_FAR	30	/* more hops than real paths need */
#define SPREAD_MIN	16	/* networks before one hop count is odd */
/*
 * Uniformity: chi-square over the 28 /5 blocks of unicast IPv4 space
 * (0.0.0.0 to 223.255.255.255). Sources from 224/3 are left out, so a tool
 * drawing from all 2^32 addresses and one drawing only outside multicast
 * and reserved space both look uniform; the bogon share of the first kind
 * is the special sign's business.
 */
#define UNIFORM_BITS	5
#define UNIFORM_BINS	28
#define UNIFORM_MIN	128	/* sampled unicast IPv4 sources needed */
#define UNROUTED_MIN	32	/* sampled sources routed() knew about */
#define HANDSHAKE_MIN	100	/* SYNs before judging completion */

const double spoof_weight[SPOOF_NSIGNS] = {
	[SPOOF_SIGN_SPECIAL] = 0.30,
	[SPOOF_SIGN_UNROUTED] = 0.20,
	[SPOOF_SIGN_HOPS] = 0.20,
	[SPOOF_SIGN_HANDSHAKE] = 0.10,
	[SPOOF_SIGN_UNIFORM] = 0.20,
};

struct spoof_acc {
	uint64_t pkts;			/* to the target, weighted */
	uint64_t special;		/* ... from special/bogon sources */
	uint64_t special_by[SP_COUNT];
	uint64_t syn;			/* SYN without ACK, to target */
	uint64_t ack;			/* pure ACK to the target */
	uint64_t synack;		/* SYN-ACK from the target */
	uint64_t hops[256];		/* by inferred hop count */
	uint64_t nottl;			/* packets whose TTL is unknown */
	uint64_t slash8[256];		/* IPv4 sources by first octet */

	/* reservoir (algorithm L) of source addresses, one per record */
	uint64_t rng;
	uint64_t skip;			/* records to pass over */
	double w;
	unsigned nsample;
	struct addr sample[SPOOF_SAMPLE];
};

/* Uniform on (0, 1), never 0 (it goes into log()). */
static double
rng_unit(uint64_t *s)
{
	return ((double)(splitmix64(s) >> 11) + 0.5) * 0x1p-53;
}

/* Algorithm L: draw the next W and the number of records to skip. */
static void
reservoir_step(struct spoof_acc *acc)
{
	double skip;

	acc->w *= exp(log(rng_unit(&acc->rng)) / SPOOF_SAMPLE);
	skip = floor(log(rng_unit(&acc->rng)) / log1p(-acc->w));
	acc->skip = skip < 0x1p62 ? (uint64_t)skip : (uint64_t)1 << 62;
}

struct spoof_acc *
spoof_acc_new(void)
{
	struct spoof_acc *acc = xmalloc(sizeof(*acc));

	spoof_acc_reset(acc);
	return acc;
}

void
spoof_acc_free(struct spoof_acc *acc)
{
	free(acc);
}

void
spoof_acc_reset(struct spoof_acc *acc)
{
	memset(acc, 0, sizeof(*acc));
	acc->rng = 0x73706f6f66000001ULL;	/* deterministic runs */
	acc->w = 1.0;
}

void
spoof_acc_add(struct spoof_acc *acc, const struct pkt *p, int towards_target)
{
	uint64_t w = p->weight ? p->weight : 1;
	uint8_t f = p->tcp_flags;
	int e;

	if (p->family != 4 && p->family != 6)
		return;
	if (!towards_target) {
		if (p->l4 == L4_TCP && (f & (TCP_SYN | TCP_ACK | TCP_RST)) ==
		    (TCP_SYN | TCP_ACK))
			acc->synack += w;
		return;
	}
	acc->pkts += w;
	/* A source inside our own prefixes (SPOOF_TO_TARGET_OURS) is ours,
	 * whatever registry it sits in: documentation space in a lab, private
	 * space behind our NAT. */
	e = towards_target == SPOOF_TO_TARGET_OURS ? SP_NONE :
	    special_entry(&p->src);
	if (e != SP_NONE) {
		acc->special += w;
		acc->special_by[e] += w;
	}
	if (p->flags & PKT_NOTTL)
		acc->nottl += w;	/* flow telemetry without a TTL */
	else
		acc->hops[spoof_hops(p->ttl)] += w;
	if (p->src.family == 4)
		acc->slash8[p->src.b[0]] += w;
	if (p->l4 == L4_TCP) {
		if ((f & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN)
			acc->syn += w;
		else if ((f & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) ==
		    TCP_ACK)
			acc->ack += w;
	}

	if (acc->nsample < SPOOF_SAMPLE) {
		acc->sample[acc->nsample++] = p->src;
		if (acc->nsample == SPOOF_SAMPLE)
			reservoir_step(acc);
	} else if (acc->skip > 0)
		acc->skip--;
	else {
		acc->sample[splitmix64(&acc->rng) & (SPOOF_SAMPLE - 1)] = p->src;
		reservoir_step(acc);
	}
}

uint64_t
spoof_acc_packets(const struct spoof_acc *acc)
{
	return acc->pkts;
}

/* ---- assessment ----------------------------------------------------- */

struct line {
	double rank;		/* weight * strength; -1 not assessed */
	char text[ALERT_EVIDENCE_LEN];
};

static double
clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* A share as a short percentage: "62%", "3.5%", "0.3%", "<0.1%", "0%". */
static const char *
pct(char *buf, size_t len, double share)
{
	double v = 100 * share;

	if (share <= 0)
		snprintf(buf, len, "0%%");
	else if (v < 0.1)
		snprintf(buf, len, "<0.1%%");
	else if (v < 10 && v != floor(v))
		snprintf(buf, len, "%.1f%%", v);
	else
		snprintf(buf, len, "%.0f%%", v);
	return buf;
}

static void
sign_special(const struct spoof_acc *acc, struct spoof_result *out,
    struct line *ln)
{
	double share = (double)acc->special / acc->pkts, s;
	char p[16];
	int e, top = SP_NONE;

	for (e = 1; e < SP_COUNT; e++)
		if (acc->special_by[e] > 0 && (top == SP_NONE ||
		    acc->special_by[e] > acc->special_by[top]))
			top = e;
	s = clamp01((share - 0.01) / 0.09);
	out->strength[SPOOF_SIGN_SPECIAL] = s;
	ln->rank = s * spoof_weight[SPOOF_SIGN_SPECIAL];
	if (top != SP_NONE)
		snprintf(ln->text, sizeof(ln->text), "%s of sources in "
		    "special-purpose or bogon space (RFC 6890), most often %s",
		    pct(p, sizeof(p), share), sp_name[top]);
	else
		snprintf(ln->text, sizeof(ln->text), "no sources in "
		    "special-purpose or bogon space (RFC 6890; %llu packets)",
		    (unsigned long long)acc->pkts);
}

static void
sign_unrouted(const struct spoof_acc *acc,
    int (*routed)(void *, const struct addr *), void *ctx,
    struct spoof_result *out, struct line *ln)
{
	unsigned i, known = 0, unrouted = 0, partial = 0;
	double share, s;
	char p[16];

	for (i = 0; routed != NULL && i < acc->nsample; i++) {
		int r;

		if (special_entry(&acc->sample[i]) != SP_NONE)
			continue;	/* counted by the special sign */
		r = routed(ctx, &acc->sample[i]);
		partial += r == SPOOF_ROUTED_PARTIAL;
		if (r < 0)
			continue;
		known++;
		unrouted += r == 0;
	}
	/* An extract covers a few networks: that a source is outside it says
	 * nothing, and judging only the sources inside it would be biased
	 * towards "routed". */
	if (partial > 0 || known < UNROUTED_MIN) {
		out->strength[SPOOF_SIGN_UNROUTED] = -1;
		ln->rank = -1;
		snprintf(ln->text, sizeof(ln->text), "unrouted sources not "
		    "assessed: %s", routed == NULL ? "no prefix data loaded" :
		    partial > 0 ? "the prefix data is an extract (make data)" :
		    known == 0 ? "no sampled source outside special-purpose "
		    "space that the prefix data could judge" :
		    "too few sources known to it");
		return;
	}
	share = (double)unrouted / known;
	s = clamp01((share - 0.01) / 0.09);
	out->strength[SPOOF_SIGN_UNROUTED] = s;
	ln->rank = s * spoof_weight[SPOOF_SIGN_UNROUTED];
	snprintf(ln->text, sizeof(ln->text), "%s of sampled sources unrouted "
	    "(%u of %u)", pct(p, sizeof(p), share), unrouted, known);
}

static int
cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* Networks the sources come from: /8s seen (IPv4), or /32s in the sample
 * (IPv6), whichever is more. */
static unsigned
spread(const struct spoof_acc *acc, const char **unit)
{
	uint32_t k6[SPOOF_SAMPLE];
	unsigned i, n4 = 0, n6 = 0, d6 = 0;

	for (i = 0; i < 256; i++)
		n4 += acc->slash8[i] > 0;
	for (i = 0; i < acc->nsample; i++)
		if (acc->sample[i].family == 6)
			k6[n6++] = (uint32_t)acc->sample[i].b[0] << 24 |
			    (uint32_t)acc->sample[i].b[1] << 16 |
			    (uint32_t)acc->sample[i].b[2] << 8 |
			    acc->sample[i].b[3];
	if (n6 > 0) {
		qsort(k6, n6, sizeof(k6[0]), cmp_u32);
		for (i = 0; i < n6; i++)
			d6 += i == 0 || k6[i] != k6[i - 1];
	}
	*unit = d6 > n4 ? "IPv6 /32s" : "/8s";
	return d6 > n4 ? d6 : n4;
}

static void
sign_hops(const struct spoof_acc *acc, struct spoof_result *out,
    struct line *ln)
{
	uint64_t top1 = 0, top2 = 0, far = 0, c;
	uint64_t pkts = acc->pkts - acc->nottl;
	unsigned h, distinct = 0, nets;
	double few = 0, odd, s_few = 0, s_far;
	const char *unit;
	char p[16];

	if (pkts == 0) {
		out->strength[SPOOF_SIGN_HOPS] = 0;
		ln->rank = 0;
		snprintf(ln->text, sizeof(ln->text), "hop counts unknown: "
		    "the telemetry carried no TTL");
		return;
	}
	for (h = 0; h < 256; h++) {
		c = acc->hops[h];
		if (h > HOPS_FAR)
			far += c;
		/* distinct: holding at least 1% of packets, so stray packets
		 * do not count */
		if (c > 0 && c * 100 >= pkts)
			distinct++;
		if (c > top1) {
			top2 = top1;
			top1 = c;
		} else if (c > top2)
			top2 = c;
	}
	nets = spread(acc, &unit);
	if (nets >= SPREAD_MIN) {
		few = (double)(top1 + top2) / pkts;
		s_few = clamp01((few - 0.6) / 0.3);
	}
	odd = (double)far / pkts;
	s_far = clamp01((odd - 0.05) / 0.15);
	out->strength[SPOOF_SIGN_HOPS] = s_few > s_far ? s_few : s_far;
	ln->rank = out->strength[SPOOF_SIGN_HOPS] *
	    spoof_weight[SPOOF_SIGN_HOPS];
	if (s_far > 0 && s_far >= s_few)
		snprintf(ln->text, sizeof(ln->text), "hop counts implausible: "
		    "%s of packets imply more than %d hops (randomised TTLs)",
		    pct(p, sizeof(p), odd), HOPS_FAR);
	else if (s_few > 0)
		snprintf(ln->text, sizeof(ln->text), "hop counts inconsistent: "
		    "%u distinct hop count%s across %u %s", distinct,
		    distinct == 1 ? "" : "s", nets, unit);
	else
		snprintf(ln->text, sizeof(ln->text), "hop counts plausible: "
		    "%u distinct hop count%s across %u %s", distinct,
		    distinct == 1 ? "" : "s", nets, unit);
}

static void
sign_handshake(const struct spoof_acc *acc, struct spoof_result *out,
    struct line *ln)
{
	double done, s;
	char p[16];

	if (acc->syn < HANDSHAKE_MIN) {
		out->strength[SPOOF_SIGN_HANDSHAKE] = -1;
		ln->rank = -1;
		if (acc->syn > 0)
			snprintf(ln->text, sizeof(ln->text), "handshake "
			    "completion not assessed: only %llu SYNs",
			    (unsigned long long)acc->syn);
		return;
	}
	done = (double)acc->ack / acc->syn;
	if (done > 1)
		done = 1;
	s = clamp01((0.5 - done) / 0.4);
	out->strength[SPOOF_SIGN_HANDSHAKE] = s;
	ln->rank = s * spoof_weight[SPOOF_SIGN_HANDSHAKE];
	snprintf(ln->text, sizeof(ln->text), "SYN-to-handshake completion %s "
	    "(%llu ACKs for %llu SYNs; %llu SYN-ACKs seen)",
	    pct(p, sizeof(p), done), (unsigned long long)acc->ack,
	    (unsigned long long)acc->syn, (unsigned long long)acc->synack);
}

static void
sign_uniform(const struct spoof_acc *acc, struct spoof_result *out,
    struct line *ln)
{
	unsigned bins[UNIFORM_BINS], i, n = 0, b;
	double e, x2 = 0, q, s;

	memset(bins, 0, sizeof(bins));
	for (i = 0; i < acc->nsample; i++) {
		if (acc->sample[i].family != 4)
			continue;
		b = acc->sample[i].b[0] >> (8 - UNIFORM_BITS);
		if (b < UNIFORM_BINS) {
			bins[b]++;
			n++;
		}
	}
	if (n < UNIFORM_MIN) {
		out->strength[SPOOF_SIGN_UNIFORM] = -1;
		ln->rank = -1;
		if (n > 0)
			snprintf(ln->text, sizeof(ln->text), "spread over the "
			    "address space not assessed: only %u IPv4 sources "
			    "sampled", n);
		return;
	}
	e = (double)n / UNIFORM_BINS;
	for (i = 0; i < UNIFORM_BINS; i++)
		x2 += (bins[i] - e) * (bins[i] - e) / e;
	q = spoof_chisq_q(x2, UNIFORM_BINS - 1);
	/* 1 at p >= 0.01, 0 at p <= 0.001, linear in log10(p) between */
	s = q <= 0 ? 0 : clamp01(log10(q) + 3);
	out->strength[SPOOF_SIGN_UNIFORM] = s;
	ln->rank = s * spoof_weight[SPOOF_SIGN_UNIFORM];
	if (s > 0)
		snprintf(ln->text, sizeof(ln->text), "sources spread uniformly "
		    "over the address space (chi-square p=%.2g, %u sampled)",
		    q, n);
	else
		snprintf(ln->text, sizeof(ln->text), "sources clustered, not "
		    "uniform over the address space (chi-square p<0.001, %u "
		    "sampled)", n);
}

static int
cmp_line(const void *x, const void *y)
{
	const struct line *a = x, *b = y;

	/* signs that point at spoofing, strongest first; then the rest */
	if (a->rank > 0 || b->rank > 0)
		return (b->rank > a->rank) - (b->rank < a->rank);
	/* assessed before not assessed */
	return (a->rank < 0) - (b->rank < 0);
}

void
spoof_acc_assess(const struct spoof_acc *acc,
    int (*routed)(void *ctx, const struct addr *a), void *ctx,
    struct spoof_result *out)
{
	struct line ln[SPOOF_NSIGNS];
	unsigned i;

	memset(out, 0, sizeof(*out));
	memset(ln, 0, sizeof(ln));
	for (i = 0; i < SPOOF_NSIGNS; i++)
		out->strength[i] = -1;
	out->level = SPOOF_LOW;
	if (acc->pkts < SPOOF_MIN_PKTS) {
		snprintf(out->evidence[0], ALERT_EVIDENCE_LEN, "too few "
		    "packets to assess spoofing (%llu)",
		    (unsigned long long)acc->pkts);
		out->nevidence = 1;
		return;
	}
	sign_special(acc, out, &ln[0]);
	sign_unrouted(acc, routed, ctx, out, &ln[1]);
	sign_hops(acc, out, &ln[2]);
	sign_handshake(acc, out, &ln[3]);
	sign_uniform(acc, out, &ln[4]);
	/* a stable sort by hand: five lines */
	for (i = 1; i < SPOOF_NSIGNS; i++) {
		struct line t = ln[i];
		unsigned j = i;

		while (j > 0 && cmp_line(&ln[j - 1], &t) > 0) {
			ln[j] = ln[j - 1];
			j--;
		}
		ln[j] = t;
	}
	for (i = 0; i < SPOOF_NSIGNS; i++) {
		if (out->strength[i] > 0)
			out->score += spoof_weight[i] * out->strength[i];
		if (ln[i].text[0] != '\0' && out->nevidence < ALERT_EVIDENCE)
			memcpy(out->evidence[out->nevidence++], ln[i].text,
			    ALERT_EVIDENCE_LEN);
	}
	if (out->score > 1)
		out->score = 1;
	if (out->score >= SPOOF_CUT_HIGH)
		out->level = SPOOF_HIGH;
	else if (out->score >= SPOOF_CUT_MEDIUM)
		out->level = SPOOF_MEDIUM;
}

size_t
spoof_acc_sample(const struct spoof_acc *acc, const struct addr **out)
{
	*out = acc->sample;
	return acc->nsample;
}
