/*
 * mkdemo.c -- write the demo captures that `make run` replays: two pcap
 * files, one per peering link, of a scripted four-minute incident against
 * our documentation-range network (203.0.113.0/24, 2001:db8:100::/48).
 *
 * Deterministic: a fixed seed and a fixed start time (no wall clock), so
 * the same files come out on every machine. The traffic is only ever
 * written to files; the foreign addresses are real prefixes (so enrichment
 * can name countries) and must never be sent anywhere.
 *
 * Scenario, in capture seconds (DEMO_SECONDS = 240):
 *   0-      normal web, DNS, IPv6 web and a little ICMP on both links
 *   30-     a SYN flood on our web server 203.0.113.10, arriving over
 *           peering-A: spoofed random sources (12 % bogons, random TTLs),
 *           botnet hosts in two /16s (BR, RU) at 100-1000 SYN/s each, and
 *           from 70 to 95 a burst of more than 1000 SYN/s from one CN /16
 *           (the three colours of the seed slide's legend)
 *   50-     reflection (DNS with fragments, NTP monlist, memcached) from
 *           open reflectors in several countries onto 203.0.113.25,
 *           pushing peering-A past its contracted capacity
 *   105-115 the attacker's routes change: the attack moves to peering-B
 *   170-180 the attack fades out
 *   150-200 a bot inside our network (203.0.113.77) floods a foreign host
 *   200-    normal traffic again
 *
 * Frames are stored cut after their headers (caplen < wirelen, as with a
 * small snaplen), so bit rates are real while the files stay small.
 *
 * usage: mkdemo [-d SECONDS] DIR  -> DIR/demo-peering-A.pcap, ...-B.pcap
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "base/util.h"

#define DEMO_SECONDS	240
#define T0		1795136400LL	/* 2026-11-20T01:00:00Z */
#define SNAP		96
#define LINKS		2

struct frame {
	int64_t us;
	uint32_t caplen, wirelen;
	uint8_t b[SNAP];
};

static uint64_t rng_state = 0x6b796f63686fULL;	/* "kyocho" */

static uint64_t
rnd(void)
{
	return splitmix64(&rng_state);
}

static uint32_t
rndn(uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)(rnd() % n);
}

/* ---- address pools ---------------------------------------------------- */

struct pfx4 {
	uint32_t net;
	int len;
};

#define P4(a, b, c, d, l)	{ ((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d), l }

/* Ordinary visitors: Japanese access networks and some from abroad. */
static const struct pfx4 clients[] = {
	P4(126, 0, 0, 0, 8),		/* SoftBank, JP */
	P4(153, 156, 0, 0, 14),		/* NTT OCN, JP */
	P4(106, 128, 0, 0, 10),		/* KDDI, JP */
	P4(73, 0, 0, 0, 8),		/* Comcast, US */
	P4(85, 214, 0, 0, 15),		/* Strato, DE */
};

/* Open reflectors, by country (real allocations; written to files only). */
static const struct pfx4 reflectors[] = {
	P4(95, 165, 0, 0, 16),		/* RU */
	P4(77, 88, 0, 0, 18),		/* RU */
	P4(200, 147, 0, 0, 16),		/* BR */
	P4(187, 0, 0, 0, 12),		/* BR */
	P4(114, 114, 0, 0, 16),		/* CN */
	P4(220, 181, 0, 0, 16),		/* CN */
	P4(24, 0, 0, 0, 12),		/* US */
	P4(113, 160, 0, 0, 11),		/* VN */
	P4(117, 192, 0, 0, 10),		/* IN */
	P4(211, 234, 0, 0, 16),		/* KR */
};

/* Bogons that a spoofing tool happily puts in a source field. */
static const struct pfx4 bogons[] = {
	P4(10, 0, 0, 0, 8), P4(172, 16, 0, 0, 12), P4(192, 168, 0, 0, 16),
	P4(0, 0, 0, 0, 8), P4(127, 0, 0, 0, 8), P4(100, 64, 0, 0, 10),
	P4(240, 0, 0, 0, 4), P4(169, 254, 0, 0, 16),
};

#define NREFL	240
static uint32_t refl_addr[NREFL];
static uint8_t refl_ttl[NREFL];
static uint16_t refl_port[NREFL];

static uint32_t
in_pfx(const struct pfx4 *p)
{
	uint32_t host = p->len == 32 ? 0 : (uint32_t)rnd() &
	    (0xffffffffu >> p->len);

	return p->net | host | (host == 0 ? 1 : 0);
}

static uint32_t
pick(const struct pfx4 *t, size_t n)
{
	return in_pfx(&t[rndn((uint32_t)n)]);
}

#define HOME(x)		(0xcb007100u | (x))	/* 203.0.113.x */
#define WEB1		HOME(10)
#define WEB2		HOME(11)
#define DNS1		HOME(53)
#define VICTIM2		HOME(25)
#define BOT		HOME(77)
#define BOT_TARGET	((46u << 24) | (4u << 16) | (100u << 8) | 200u)	/* DE */

static const uint8_t home6[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80
};

/* ---- frames ----------------------------------------------------------- */

static struct frame *frames;
static size_t nframes, cap_frames;

static struct frame *
new_frame(int64_t us)
{
	struct frame *f;

	if (nframes == cap_frames) {
		cap_frames = cap_frames ? cap_frames * 2 : 4096;
		frames = realloc(frames, cap_frames * sizeof(*frames));
		if (frames == NULL) {
			perror("mkdemo");
			exit(1);
		}
	}
	f = &frames[nframes++];
	memset(f, 0, sizeof(*f));
	f->us = us;
	return f;
}

/* The link whose frames are being made (0 peering-A, 1 peering-B). */
static int cur_link;

/*
 * Ethernet header; inbound frames come from the peer router's MAC, one per
 * link, so that `neighbour = MAC=ASN:CONTACT` can name each peering's
 * neighbour (peering-A 02:00:5e:10:00:01, peering-B 02:00:5e:20:00:01);
 * our router's side is 02:00:5e:10:00:02 on both.
 */
static uint8_t *
eth(struct frame *f, int inbound, uint16_t type)
{
	static const uint8_t peers[LINKS][6] = {
		{ 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 },
		{ 0x02, 0x00, 0x5e, 0x20, 0x00, 0x01 },
	};
	static const uint8_t ours[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };
	const uint8_t *peer = peers[cur_link];

	memcpy(f->b, inbound ? ours : peer, 6);
	memcpy(f->b + 6, inbound ? peer : ours, 6);
	put16(f->b + 12, type);
	return f->b + 14;
}

/* IPv4 header of a datagram of iplen bytes; returns the transport. */
static uint8_t *
ip4(struct frame *f, int inbound, uint32_t src, uint32_t dst, uint8_t proto,
    uint8_t ttl, uint16_t iplen, uint16_t fragword)
{
	uint8_t *ip = eth(f, inbound, 0x0800);

	ip[0] = 0x45;
	put16(ip + 2, iplen);
	put16(ip + 4, (uint16_t)rnd());
	put16(ip + 6, fragword);
	ip[8] = ttl;
	ip[9] = proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, cksum(ip, 20, 0));
	f->wirelen = 14 + iplen;
	if (f->wirelen < 60)
		f->wirelen = 60;
	return ip + 20;
}

static void
tcp4(int64_t us, int inbound, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, uint8_t flags, uint8_t ttl, uint16_t payload)
{
	struct frame *f = new_frame(us);
	int syn = (flags & 0x02) != 0;
	uint16_t hl = syn ? 24 : 20;
	uint8_t *t = ip4(f, inbound, src, dst, 6, ttl, 20 + hl + payload, 0x4000);

	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, (uint32_t)rnd());
	put32(t + 8, (flags & 0x10) ? (uint32_t)rnd() : 0);
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = flags;
	put16(t + 14, syn ? (uint16_t)(rndn(4) == 0 ? 512 : 65535) : 501);
	if (syn) {
		t[20] = 2;
		t[21] = 4;
		put16(t + 22, 1460);
	}
	f->caplen = 14 + 20 + hl;
}

static void
udp4(int64_t us, int inbound, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, uint8_t ttl, uint16_t payload)
{
	struct frame *f = new_frame(us);
	uint8_t *u = ip4(f, inbound, src, dst, 17, ttl, 28 + payload, 0);

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + payload));
	/* the first bytes of the payload, so tshark names the protocol */
	if (sport == 53 || dport == 53) {
		put16(u + 8, (uint16_t)rnd());
		put16(u + 10, sport == 53 ? 0x8180 : 0x0100);
		put16(u + 12, 1);
	} else if (sport == 123) {
		put32(u + 8, 0x9700032aU);	/* mode 7 MON_GETLIST_1 reply */
	} else if (sport == 11211) {
		memcpy(u + 8, "VALUE a 0 ", 10);
	}
	f->caplen = 14 + 28 + (payload < 12 ? payload : 12);
}

/* A DNS answer too big for one packet: two IPv4 fragments. */
static void
udp4_frag(int64_t us, uint32_t src, uint32_t dst, uint8_t ttl,
    uint16_t payload)
{
	struct frame *f = new_frame(us);
	uint16_t id = (uint16_t)rnd(), first = 1480, rest = (uint16_t)(8 + payload - first);
	uint8_t *u = ip4(f, 1, src, dst, 17, ttl, 20 + first, 0x2000);

	put16(u - 20 + 4, id);
	put16(u - 20 + 10, 0);
	put16(u - 20 + 10, cksum(u - 20, 20, 0));
	put16(u, 53);
	put16(u + 2, (uint16_t)(1024 + rndn(60000)));
	put16(u + 4, (uint16_t)(8 + payload));
	put16(u + 8, (uint16_t)rnd());
	put16(u + 10, 0x8180);
	put16(u + 12, 1);
	f->caplen = 14 + 20 + 8 + 12;
	f = new_frame(us + 3);
	u = ip4(f, 1, src, dst, 17, ttl, (uint16_t)(20 + rest), first / 8);
	put16(u - 20 + 4, id);
	put16(u - 20 + 10, 0);
	put16(u - 20 + 10, cksum(u - 20, 20, 0));
	f->caplen = 14 + 20 + 8;
}

static void
tcp6(int64_t us, int inbound, const uint8_t *src, const uint8_t *dst,
    uint16_t sport, uint16_t dport, uint8_t flags, uint16_t payload)
{
	struct frame *f = new_frame(us);
	uint8_t *ip = eth(f, inbound, 0x86dd), *t = ip + 40;

	ip[0] = 0x60;
	put16(ip + 4, (uint16_t)(20 + payload));
	ip[6] = 6;
	ip[7] = 57;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, (uint32_t)rnd());
	put32(t + 8, (uint32_t)rnd());
	t[12] = 5 << 4;
	t[13] = flags;
	put16(t + 14, 501);
	f->caplen = 14 + 40 + 20;
	f->wirelen = 14 + 40 + 20 + payload;
}

static void
icmp4(int64_t us, int inbound, uint32_t src, uint32_t dst)
{
	struct frame *f = new_frame(us);
	uint8_t *p = ip4(f, inbound, src, dst, 1, 55, 84, 0);

	p[0] = inbound ? 8 : 0;		/* echo request in, reply out */
	f->caplen = 14 + 20 + 8;
}

/* ---- the script ------------------------------------------------------- */

/* Share of the inbound attack arriving over peering-A at second s. */
static double
on_a(int s)
{
	if (s < 105)
		return 1.0;
	if (s >= 115)
		return 0.0;
	return (115 - s) / 10.0;
}

/* A ramp 0..1 between a and b seconds, and down again between c and d. */
static double
ramp(int s, int a, int b, int c, int d)
{
	if (s < a || s >= d)
		return 0.0;
	if (s < b)
		return (double)(s - a + 1) / (b - a);
	if (s >= c)
		return (double)(d - s) / (d - c);
	return 1.0;
}

static int
count(double rate)
{
	int n = (int)rate;

	if (rnd() % 1000 < (uint64_t)((rate - n) * 1000))
		n++;
	return n;
}

static int64_t
at(int s)
{
	return (T0 + s) * 1000000LL + rndn(1000000);
}

static void
normal(int s, int link)
{
	int i, n;
	uint32_t c;
	uint8_t c6[16];

	/* web: requests in, pages out; a SYN now and then */
	n = count(34 + 8 * (link == 0) + rndn(6));
	for (i = 0; i < n; i++) {
		uint32_t web = rndn(3) == 0 ? WEB2 : WEB1;
		uint16_t port = (uint16_t)(1024 + rndn(60000));

		c = pick(clients, sizeof(clients) / sizeof(clients[0]));
		if (rndn(10) == 0) {
			tcp4(at(s), 1, c, web, port, 443, 0x02, 52, 0);
			tcp4(at(s), 0, web, c, 443, port, 0x12, 64, 0);
		} else if (rndn(2) == 0) {
			tcp4(at(s), 1, c, web, port, 443, 0x18, 52,
			    (uint16_t)(40 + rndn(500)));
		} else {
			tcp4(at(s), 0, web, c, 443, port, 0x10, 64, 1448);
		}
	}
	/* DNS: queries to our authoritative server and its answers */
	n = count(6 + rndn(3));
	for (i = 0; i < n; i++) {
		uint16_t port = (uint16_t)(1024 + rndn(60000));

		c = pick(clients, sizeof(clients) / sizeof(clients[0]));
		udp4(at(s), 1, c, DNS1, port, 53, 50, (uint16_t)(30 + rndn(20)));
		udp4(at(s), 0, DNS1, c, 53, port, 64, (uint16_t)(60 + rndn(200)));
	}
	/* IPv6 web */
	n = count(6 + rndn(3));
	for (i = 0; i < n; i++) {
		uint64_t r = rnd();

		memset(c6, 0, sizeof(c6));
		c6[0] = 0x24;
		c6[1] = 0x00;
		c6[2] = 0x40;
		c6[3] = 0x50;
		memcpy(c6 + 8, &r, 8);
		if (rndn(2) == 0)
			tcp6(at(s), 1, c6, home6, (uint16_t)(1024 + rndn(60000)),
			    443, 0x18, (uint16_t)(100 + rndn(400)));
		else
			tcp6(at(s), 0, home6, c6, 443,
			    (uint16_t)(1024 + rndn(60000)), 0x10, 1200);
	}
	if (rndn(2) == 0)
		icmp4(at(s), 1, pick(clients, 5), WEB1);
}

/* Botnet hosts that send SYNs with their own addresses (the rest of the
 * flood is spoofed): two steady groups, and a burst from a third. */
static const struct pfx4 botnets[] = {
	P4(177, 54, 0, 0, 16),		/* BR */
	P4(178, 176, 0, 0, 16),		/* RU */
};
static const struct pfx4 burst_net = P4(222, 186, 0, 0, 16);	/* CN */

static void
syn_flood(int s, double share)
{
	double level = ramp(s, 30, 40, 170, 180) * share;
	int i, n = count(300.0 * level * (0.9 + rndn(20) / 100.0));

	for (i = 0; i < n; i++) {
		uint32_t src = rndn(100) < 12 ?
		    pick(bogons, sizeof(bogons) / sizeof(bogons[0])) :
		    (uint32_t)rnd();

		tcp4(at(s), 1, src, WEB1, (uint16_t)(1024 + rndn(64000)),
		    rndn(5) == 0 ? 80 : 443, 0x02, (uint8_t)(30 + rndn(220)), 0);
	}
	n = count(260.0 * level);
	for (i = 0; i < n; i++)
		tcp4(at(s), 1, pick(botnets, 2), WEB1,
		    (uint16_t)(1024 + rndn(64000)), 443, 0x02,
		    (uint8_t)(44 + rndn(3)), 0);
	n = count(1150.0 * ramp(s, 70, 72, 93, 95) * share);
	for (i = 0; i < n; i++)
		tcp4(at(s), 1, in_pfx(&burst_net), WEB1,
		    (uint16_t)(1024 + rndn(64000)), 443, 0x02,
		    (uint8_t)(47 + rndn(2)), 0);
}

static void
reflection(int s, double share)
{
	double level = ramp(s, 50, 62, 170, 180);
	int i, n, k;

	/* past the contracted capacity from s 80 to the fade-out */
	if (s >= 80 && s < 170)
		level *= 1.5;
	n = count(620.0 * level * share);
	for (i = 0; i < n; i++) {
		k = (int)rndn(NREFL);
		switch (refl_port[k]) {
		case 53:
			if (rndn(3) == 0)
				udp4_frag(at(s), refl_addr[k], VICTIM2,
				    refl_ttl[k], (uint16_t)(2400 + rndn(500)));
			else
				udp4(at(s), 1, refl_addr[k], VICTIM2, 53,
				    (uint16_t)(1024 + rndn(60000)), refl_ttl[k],
				    (uint16_t)(1200 + rndn(250)));
			break;
		case 123:
			udp4(at(s), 1, refl_addr[k], VICTIM2, 123, 123,
			    refl_ttl[k], 440);
			break;
		default:
			udp4(at(s), 1, refl_addr[k], VICTIM2, 11211,
			    (uint16_t)(1024 + rndn(60000)), refl_ttl[k], 1400);
			break;
		}
	}
}

static void
bot(int s)
{
	int i, n = count(380.0 * ramp(s, 150, 153, 196, 200));

	for (i = 0; i < n; i++)
		udp4(at(s), 0, BOT, BOT_TARGET, (uint16_t)(1024 + rndn(60000)),
		    27015, 64, 512);
}

static int
cmp_frame(const void *a, const void *b)
{
	const struct frame *x = a, *y = b;

	return x->us < y->us ? -1 : x->us > y->us;
}

static void
le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, f);
}

static void
le16(FILE *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	fwrite(b, 1, 2, f);
}

static FILE *
open_pcap(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		fprintf(stderr, "mkdemo: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	le32(f, 0xa1b2c3d4);
	le16(f, 2);
	le16(f, 4);
	le32(f, 0);
	le32(f, 0);
	le32(f, SNAP);
	le32(f, 1);	/* LINKTYPE_ETHERNET */
	return f;
}

static void
flush(FILE *f)
{
	size_t i;

	qsort(frames, nframes, sizeof(*frames), cmp_frame);
	for (i = 0; i < nframes; i++) {
		le32(f, (uint32_t)(frames[i].us / 1000000));
		le32(f, (uint32_t)(frames[i].us % 1000000));
		le32(f, frames[i].caplen);
		le32(f, frames[i].wirelen);
		fwrite(frames[i].b, 1, frames[i].caplen, f);
	}
	nframes = 0;
}

int
main(int argc, char **argv)
{
	static const char *const names[LINKS] = { "peering-A", "peering-B" };
	char path[4096];
	FILE *out[LINKS];
	int s, l, i, secs = DEMO_SECONDS;
	size_t total[LINKS] = { 0, 0 };

	if (argc == 4 && strcmp(argv[1], "-d") == 0) {
		secs = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || secs <= 0) {
		fprintf(stderr, "usage: mkdemo [-d SECONDS] DIR\n");
		return 2;
	}
	for (i = 0; i < NREFL; i++) {
		static const uint16_t ports[] = { 53, 53, 123, 11211 };

		refl_addr[i] = pick(reflectors,
		    sizeof(reflectors) / sizeof(reflectors[0]));
		refl_ttl[i] = (uint8_t)(40 + rndn(20));
		refl_port[i] = ports[rndn(4)];
	}
	for (l = 0; l < LINKS; l++) {
		snprintf(path, sizeof(path), "%s/demo-%s.pcap", argv[1], names[l]);
		out[l] = open_pcap(path);
	}
	for (s = 0; s < secs; s++) {
		for (l = 0; l < LINKS; l++) {
			double share = l == 0 ? on_a(s) : 1.0 - on_a(s);

			cur_link = l;
			normal(s, l);
			syn_flood(s, share);
			reflection(s, share);
			if (l == 0)
				bot(s);
			total[l] += nframes;
			flush(out[l]);
		}
	}
	for (l = 0; l < LINKS; l++) {
		if (fclose(out[l]) != 0) {
			fprintf(stderr, "mkdemo: write: %s\n", strerror(errno));
			return 1;
		}
		printf("%s/demo-%s.pcap: %zu frames, %d s\n", argv[1], names[l],
		    total[l], secs);
	}
	free(frames);
	return 0;
}
