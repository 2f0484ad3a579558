/*
 * test_spoof.c -- the special-purpose table at every boundary, hop-count
 * inference, the chi-square tail, the reservoir, and the assessment of
 * simulated floods: uniformly spoofed (HIGH), random-TTL, IPv6, and real
 * clustered clients that complete their handshakes (LOW).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/addr.h"
#include "detect/alert.h"
#include "settings/config.h"
#include "capture/decode.h"
#include "enrich/prefix.h"
#include "detect/spoof.h"
#include "base/util.h"

/* ---- special-purpose table ------------------------------------------ */

struct sp_case {
	const char *addr;
	int special;
	const char *name;	/* a substring of the entry name, or NULL */
};


/* The settings layer's view of o, resolved at each call as kyocho's
 * callers do (config_enrich_settings), for the enrich API. */
static int
load_default(struct prefixdb *db, const struct options *o, char *err)
{
	struct enrich_settings es;
	int n;

	config_enrich_settings(o, &es, NULL);
	n = prefix_load_default(db, &es, err);
	enrich_settings_free(&es);
	return n;
}

static const struct sp_case sp_cases[] = {
	/* first inside, last inside, first outside (both sides) */
	{ "0.0.0.0", 1, "This network" },
	{ "0.255.255.255", 1, "This network" },
	{ "1.0.0.0", 0, NULL },
	{ "9.255.255.255", 0, NULL },
	{ "10.0.0.0", 1, "10.0.0.0/8 Private-Use" },
	{ "10.255.255.255", 1, "10.0.0.0/8" },
	{ "11.0.0.0", 0, NULL },
	{ "100.63.255.255", 0, NULL },
	{ "100.64.0.0", 1, "Shared Address Space" },
	{ "100.127.255.255", 1, "Shared Address Space" },
	{ "100.128.0.0", 0, NULL },
	{ "126.255.255.255", 0, NULL },
	{ "127.0.0.0", 1, "Loopback" },
	{ "127.255.255.255", 1, "Loopback" },
	{ "128.0.0.0", 0, NULL },
	{ "169.253.255.255", 0, NULL },
	{ "169.254.0.0", 1, "Link Local" },
	{ "169.254.255.255", 1, "Link Local" },
	{ "169.255.0.0", 0, NULL },
	{ "172.15.255.255", 0, NULL },
	{ "172.16.0.0", 1, "172.16.0.0/12 Private-Use" },
	{ "172.31.255.255", 1, "172.16.0.0/12" },
	{ "172.32.0.0", 0, NULL },
	{ "191.255.255.255", 0, NULL },
	{ "192.0.0.0", 1, "IETF Protocol Assignments" },
	{ "192.0.0.8", 1, "IETF Protocol Assignments" },
	{ "192.0.0.9", 0, NULL },		/* PCP anycast, global */
	{ "192.0.0.10", 0, NULL },		/* TURN anycast, global */
	{ "192.0.0.11", 1, "IETF Protocol Assignments" },
	{ "192.0.0.255", 1, "IETF Protocol Assignments" },
	{ "192.0.1.0", 0, NULL },
	{ "192.0.1.255", 0, NULL },
	{ "192.0.2.0", 1, "TEST-NET-1" },
	{ "192.0.2.255", 1, "TEST-NET-1" },
	{ "192.0.3.0", 0, NULL },
	{ "192.31.196.1", 0, NULL },		/* AS112, global */
	{ "192.52.193.1", 0, NULL },		/* AMT, global */
	{ "192.88.98.255", 0, NULL },
	{ "192.88.99.0", 1, "6to4 Relay Anycast" },
	{ "192.88.99.255", 1, "6to4 Relay Anycast" },
	{ "192.88.100.0", 0, NULL },
	{ "192.167.255.255", 0, NULL },
	{ "192.168.0.0", 1, "192.168.0.0/16 Private-Use" },
	{ "192.168.255.255", 1, "192.168.0.0/16" },
	{ "192.169.0.0", 0, NULL },
	{ "192.175.48.1", 0, NULL },		/* AS112, global */
	{ "198.17.255.255", 0, NULL },
	{ "198.18.0.0", 1, "Benchmarking" },
	{ "198.19.255.255", 1, "Benchmarking" },
	{ "198.20.0.0", 0, NULL },
	{ "198.51.99.255", 0, NULL },
	{ "198.51.100.0", 1, "TEST-NET-2" },
	{ "198.51.100.255", 1, "TEST-NET-2" },
	{ "198.51.101.0", 0, NULL },
	{ "203.0.112.255", 0, NULL },
	{ "203.0.113.0", 1, "TEST-NET-3" },
	{ "203.0.113.255", 1, "TEST-NET-3" },
	{ "203.0.114.0", 0, NULL },
	{ "223.255.255.255", 0, NULL },
	{ "224.0.0.0", 1, "Multicast" },
	{ "239.255.255.255", 1, "Multicast" },
	{ "240.0.0.0", 1, "240.0.0.0/4 Reserved" },
	{ "254.255.255.255", 1, "240.0.0.0/4 Reserved" },
	{ "255.0.0.0", 1, "240.0.0.0/4 Reserved" },
	{ "255.255.255.254", 1, "240.0.0.0/4 Reserved" },
	{ "255.255.255.255", 1, "Limited Broadcast" },
	{ "8.8.8.8", 0, NULL },
	{ "133.1.2.3", 0, NULL },

	{ "::", 1, "Unspecified" },
	{ "::1", 1, "::1/128 Loopback" },
	{ "::2", 1, "outside 2000::/3" },
	{ "::fffe:ffff:ffff", 1, "outside 2000::/3" },
	{ "::ffff:0:0", 1, "IPv4-mapped" },
	{ "::ffff:ffff:ffff", 1, "IPv4-mapped" },
	{ "::1:0:0:0", 1, "outside 2000::/3" },
	{ "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", 1, "outside 2000::/3" },
	{ "64:ff9b::", 0, NULL },		/* NAT64 well-known, global */
	{ "64:ff9b::ffff:ffff", 0, NULL },
	{ "64:ff9b::1:0:0", 1, "outside 2000::/3" },
	{ "64:ff9b:1::", 1, "Local-use IPv4/IPv6 Translation" },
	{ "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", 1, "Local-use" },
	{ "64:ff9b:2::", 1, "outside 2000::/3" },
	{ "100::", 1, "Discard-Only" },
	{ "100::ffff:ffff:ffff:ffff", 1, "Discard-Only" },
	{ "100:0:0:1::", 1, "outside 2000::/3" },
	{ "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "outside 2000::/3" },
	{ "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "outside 2000::/3" },
	{ "2000::", 0, NULL },
	{ "2001::", 0, NULL },			/* Teredo */
	{ "2001:0:ffff:ffff:ffff:ffff:ffff:ffff", 0, NULL },
	{ "2001:1::", 1, "2001::/23 IETF" },
	{ "2001:1::1", 0, NULL },		/* PCP anycast */
	{ "2001:1::2", 0, NULL },		/* TURN anycast */
	{ "2001:1::3", 0, NULL },		/* DNS-SD SRP anycast */
	{ "2001:1::4", 1, "2001::/23 IETF" },
	{ "2001:1:0:1::1", 1, "2001::/23 IETF" },
	{ "2001:2::", 1, "2001:2::/48 Benchmarking" },
	{ "2001:2:0:ffff:ffff:ffff:ffff:ffff", 1, "Benchmarking" },
	{ "2001:2:1::", 1, "2001::/23 IETF" },
	{ "2001:3::", 0, NULL },		/* AMT */
	{ "2001:3:ffff:ffff:ffff:ffff:ffff:ffff", 0, NULL },
	{ "2001:4:111:ffff:ffff:ffff:ffff:ffff", 1, "2001::/23 IETF" },
	{ "2001:4:112::", 0, NULL },		/* AS112-v6 */
	{ "2001:4:112:ffff:ffff:ffff:ffff:ffff", 0, NULL },
	{ "2001:4:113::", 1, "2001::/23 IETF" },
	{ "2001:f:ffff:ffff:ffff:ffff:ffff:ffff", 1, "2001::/23 IETF" },
	{ "2001:10::", 1, "ORCHID" },
	{ "2001:1f:ffff:ffff:ffff:ffff:ffff:ffff", 1, "ORCHID" },
	{ "2001:20::", 0, NULL },		/* ORCHIDv2 */
	{ "2001:2f:ffff:ffff:ffff:ffff:ffff:ffff", 0, NULL },
	{ "2001:30::", 0, NULL },		/* DETs */
	{ "2001:3f:ffff:ffff:ffff:ffff:ffff:ffff", 0, NULL },
	{ "2001:40::", 1, "2001::/23 IETF" },
	{ "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "2001::/23 IETF" },
	{ "2001:200::", 0, NULL },
	{ "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", 0, NULL },
	{ "2001:db8::", 1, "2001:db8::/32 Documentation" },
	{ "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 1, "2001:db8::/32" },
	{ "2001:db9::", 0, NULL },
	{ "2002::", 0, NULL },			/* 6to4 */
	{ "2400:cb00::1", 0, NULL },
	{ "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0, NULL },
	{ "3fff::", 1, "3fff::/20 Documentation" },
	{ "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "3fff::/20" },
	{ "3fff:1000::", 0, NULL },
	{ "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0, NULL },
	{ "4000::", 1, "outside 2000::/3" },
	{ "5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "outside 2000::/3" },
	{ "5f00::", 1, "SRv6" },
	{ "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "SRv6" },
	{ "5f01::", 1, "outside 2000::/3" },
	{ "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "outside 2000::/3" },
	{ "fc00::", 1, "Unique-Local" },
	{ "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "Unique-Local" },
	{ "fe00::", 1, "outside 2000::/3" },
	{ "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "outside 2000::/3" },
	{ "fe80::", 1, "Link-Local" },
	{ "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "Link-Local" },
	{ "fec0::", 1, "outside 2000::/3" },
	{ "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "outside 2000::/3" },
	{ "ff00::", 1, "ff00::/8 Multicast" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "Multicast" },
};

static void
test_special_table(void **state)
{
	size_t i;
	struct addr none;

	(void)state;
	for (i = 0; i < sizeof(sp_cases) / sizeof(sp_cases[0]); i++) {
		const struct sp_case *c = &sp_cases[i];
		const char *name = NULL;
		struct addr a;
		int r;

		assert_int_equal(addr_parse(c->addr, &a), 0);
		r = spoof_special(&a, &name);
		if (r != c->special || (c->name != NULL &&
		    (name == NULL || strstr(name, c->name) == NULL)))
			fail_msg("%s: special %d (want %d), name \"%s\" "
			    "(want \"%s\")", c->addr, r, c->special,
			    name ? name : "", c->name ? c->name : "");
		if (!r)
			assert_null(name);	/* untouched */
		assert_int_equal(spoof_special(&a, NULL), r);
	}
	memset(&none, 0, sizeof(none));
	assert_int_equal(spoof_special(&none, NULL), 0);
}

/* Uniformly random IPv4 sources: about 14% special (35/256 of the space
 * and a little more). */
static void
test_special_share(void **state)
{
	uint64_t s = 5, n = 1000000, hit = 0, i;
	struct addr a;

	(void)state;
	for (i = 0; i < n; i++) {
		addr_from_v4(&a, (uint32_t)(splitmix64(&s) >> 32));
		hit += spoof_special(&a, NULL);
	}
	/* 0/8 10/8 127/8 224/3 = 35/256; 100.64/10 1/1024; 172.16/12
	 * 1/4096; 169.254/16, 192.168/16, 198.18/15 and five /24s: 13.80%
	 * in all; +-3 standard deviations */
	assert_true(hit > n * 0.1370 && hit < n * 0.1390);
}

static void
test_hops(void **state)
{
	(void)state;
	assert_int_equal(spoof_initial_ttl(0), 32);
	assert_int_equal(spoof_hops(0), 32);
	assert_int_equal(spoof_hops(1), 31);
	assert_int_equal(spoof_hops(32), 0);
	assert_int_equal(spoof_initial_ttl(33), 64);
	assert_int_equal(spoof_hops(33), 31);
	assert_int_equal(spoof_hops(52), 12);
	assert_int_equal(spoof_hops(64), 0);
	assert_int_equal(spoof_initial_ttl(65), 128);
	assert_int_equal(spoof_hops(65), 63);
	assert_int_equal(spoof_hops(116), 12);
	assert_int_equal(spoof_hops(128), 0);
	assert_int_equal(spoof_initial_ttl(129), 255);
	assert_int_equal(spoof_hops(129), 126);
	assert_int_equal(spoof_hops(243), 12);
	assert_int_equal(spoof_hops(255), 0);
}

static void
test_chisq(void **state)
{
	(void)state;
	/* Q(1, 1) = e^-1 exactly; critical values from the tables */
	assert_true(fabs(spoof_chisq_q(2.0, 2) - exp(-1.0)) < 1e-9);
	assert_true(fabs(spoof_chisq_q(3.841459, 1) - 0.05) < 1e-5);
	assert_true(fabs(spoof_chisq_q(18.307038, 10) - 0.05) < 1e-5);
	assert_true(fabs(spoof_chisq_q(46.962942, 27) - 0.01) < 1e-5);
	assert_true(fabs(spoof_chisq_q(27.0 - 0.6655, 27) - 0.5) < 0.01);
	assert_true(spoof_chisq_q(0, 27) == 1.0);
	assert_true(spoof_chisq_q(1000, 27) < 1e-100);
	assert_true(spoof_chisq_q(5, 0) == 1.0);
}

/* ---- the accumulator ------------------------------------------------ */

static struct pkt
mkpkt(uint32_t src, uint32_t dst, uint8_t l4, uint8_t flags, uint8_t ttl)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.family = 4;
	p.weight = 1;
	p.wirelen = 60;
	p.wbytes = 60;
	p.l4 = l4;
	p.proto = l4 == L4_TCP ? 6 : l4 == L4_UDP ? 17 : 1;
	p.tcp_flags = flags;
	p.ttl = ttl;
	addr_from_v4(&p.src, src);
	addr_from_v4(&p.dst, dst);
	return p;
}

static void
check_evidence(const struct spoof_result *r)
{
	unsigned i;

	assert_true(r->nevidence >= 1 && r->nevidence <= ALERT_EVIDENCE);
	for (i = 0; i < r->nevidence; i++) {
		const char *e = r->evidence[i];
		size_t n = strnlen(e, ALERT_EVIDENCE_LEN), j;
		int digit = 0;

		assert_true(n > 10 && n < ALERT_EVIDENCE_LEN);
		for (j = 0; j < n; j++) {
			assert_true(e[j] >= 0x20 && e[j] < 0x7f);
			digit |= e[j] >= '0' && e[j] <= '9';
		}
		/* every sign's sentence carries its number */
		assert_true(digit || strstr(e, "not assessed") != NULL);
	}
	for (; i < ALERT_EVIDENCE; i++)
		assert_int_equal(r->evidence[i][0], '\0');
	assert_true(r->score >= 0 && r->score <= 1);
}

static int
has_evidence(const struct spoof_result *r, const char *s)
{
	unsigned i;

	for (i = 0; i < r->nevidence; i++)
		if (strstr(r->evidence[i], s) != NULL)
			return 1;
	return 0;
}

static void
print_result(const char *what, const struct spoof_result *r)
{
	unsigned i;

	print_message("%s: level %s score %.2f\n", what,
	    r->level == SPOOF_HIGH ? "high" : r->level == SPOOF_MEDIUM ?
	    "medium" : "low", r->score);
	for (i = 0; i < r->nevidence; i++)
		print_message("  - %s\n", r->evidence[i]);
}

#define TARGET	0xcb007105	/* the attacked address (any will do) */

/* routed() stand-in for prefix data: a quarter of the /8s unannounced */
static int
routed_quarter(void *ctx, const struct addr *a)
{
	(*(unsigned *)ctx)++;
	return (a->b[0] & 3) != 3;
}

static int
routed_unknown(void *ctx, const struct addr *a)
{
	(void)ctx;
	(void)a;
	return -1;
}

static int
routed_all(void *ctx, const struct addr *a)
{
	(void)ctx;
	(void)a;
	return 1;
}

/*
 * A DNS reflection from real, routed resolvers outside the shipped extract
 * (Hetzner 46.4/16, 88.198/16, 5.9/16, OVH 51.68/16): with the extract, the
 * unrouted sign is not assessed and adds nothing; with a table the operator
 * declares complete it is judged from that table.
 */
static void
test_unrouted_needs_complete_data(void **state)
{
	static const uint32_t nets[4] = { 0x2e040000, 0x58c60000, 0x05090000,
	    0x33440000 };
	const char *src = getenv("KYOCHO_SRCDIR");
	struct spoof_acc *acc = spoof_acc_new();
	struct prefixdb *db = prefix_db_new();
	struct spoof_result r, none;
	struct options o;
	char err[ERRBUF_SIZE], *dir;
	uint64_t s = 7;
	unsigned i;
	const char *table =
	    "5.9.0.0,5.9.255.255,24940,Hetzner Online GmbH\n"
	    "46.4.0.0,46.4.255.255,24940,Hetzner Online GmbH\n"
	    "51.68.0.0,51.68.255.255,16276,OVH SAS\n"
	    "88.198.0.0,88.198.255.255,24940,Hetzner Online GmbH\n";

	(void)state;
	for (i = 0; i < 20000; i++) {
		uint32_t a = nets[i % 4] | (uint32_t)(splitmix64(&s) & 0xffff);
		struct pkt p = mkpkt(a, TARGET, L4_UDP, 0, (uint8_t)(50 + i % 7));

		spoof_acc_add(acc, &p, SPOOF_TO_TARGET);
	}
	spoof_acc_assess(acc, NULL, NULL, &none);

	/* The shipped extract: none of these networks is in it. */
	config_defaults(&o);
	dir = xasprintf("%s/data", src != NULL ? src : ".");
	o.data_dir = dir;
	setenv("XDG_DATA_HOME", "/nonexistent", 1);
	assert_true(load_default(db, &o, err) > 0);
	spoof_acc_assess(acc, prefix_routed_cb, db, &r);
	print_result("reflection from routed resolvers, shipped extract", &r);
	check_evidence(&r);
	assert_true(r.strength[SPOOF_SIGN_UNROUTED] == -1);
	assert_true(has_evidence(&r, "unrouted sources not assessed: the "
	    "prefix data is an extract (make data)"));
	assert_false(has_evidence(&r, "of sampled sources unrouted"));
	assert_true(r.score == none.score);
	assert_int_equal(r.level, none.level);
	prefix_db_free(db);

	/* A table declared complete that holds all four: none unrouted. */
	db = prefix_db_new();
	assert_int_equal(prefix_parse_csv(db, (const uint8_t *)table,
	    strlen(table), "t.csv", err), 4);
	prefix_db_declare_complete(db, 1);
	spoof_acc_assess(acc, prefix_routed_cb, db, &r);
	check_evidence(&r);
	assert_true(r.strength[SPOOF_SIGN_UNROUTED] == 0);
	assert_true(has_evidence(&r, "0% of sampled sources unrouted (0 of "
	    "512)"));
	prefix_db_free(db);

	/* Declared complete without OVH: a quarter of the sources unrouted,
	 * and the sign weighs in at full strength. */
	db = prefix_db_new();
	assert_int_equal(prefix_parse_csv(db, (const uint8_t *)table,
	    strlen(table) - strlen(strstr(table, "51.68")), "t.csv", err), 2);
	assert_int_equal(prefix_parse_csv(db, (const uint8_t *)strstr(table,
	    "88.198"), strlen(strstr(table, "88.198")), "t.csv", err), 1);
	prefix_db_declare_complete(db, 1);
	spoof_acc_assess(acc, prefix_routed_cb, db, &r);
	print_result("the same, OVH missing from a complete table", &r);
	assert_true(r.strength[SPOOF_SIGN_UNROUTED] == 1.0);
	assert_true(has_evidence(&r, "of sampled sources unrouted"));
	assert_true(r.score >= none.score + spoof_weight[SPOOF_SIGN_UNROUTED]
	    - 1e-9);
	prefix_db_free(db);
	spoof_acc_free(acc);
	free(dir);
}

/* hping3 --flood -S --rand-source: random sources, one TTL, no handshakes. */
static void
test_spoofed_syn_flood(void **state)
{
	struct spoof_acc *acc = spoof_acc_new();
	struct spoof_result r;
	uint64_t s = 42, i;
	unsigned calls = 0;

	(void)state;
	for (i = 0; i < 200000; i++) {
		struct pkt p = mkpkt((uint32_t)(splitmix64(&s) >> 32), TARGET,
		    L4_TCP, TCP_SYN, 52);

		spoof_acc_add(acc, &p, 1);
		/* the target answers most of them */
		if (i % 4 != 0) {
			struct pkt q = mkpkt(TARGET, addr_v4(&p.src), L4_TCP,
			    TCP_SYN | TCP_ACK, 64);

			spoof_acc_add(acc, &q, 0);
		}
	}
	assert_int_equal(spoof_acc_packets(acc), 200000);

	spoof_acc_assess(acc, NULL, NULL, &r);
	print_result("spoofed SYN flood, no prefix data", &r);
	check_evidence(&r);
	assert_int_equal(r.level, SPOOF_HIGH);
	assert_true(r.score >= 0.75);
	assert_true(r.strength[SPOOF_SIGN_SPECIAL] == 1.0);
	assert_true(r.strength[SPOOF_SIGN_UNROUTED] == -1);
	assert_true(r.strength[SPOOF_SIGN_HOPS] == 1.0);
	assert_true(r.strength[SPOOF_SIGN_HANDSHAKE] == 1.0);
	assert_true(r.strength[SPOOF_SIGN_UNIFORM] > 0);
	/* strongest sign first */
	assert_non_null(strstr(r.evidence[0], "special-purpose or bogon"));
	assert_true(has_evidence(&r, "1 distinct hop count across"));
	assert_true(has_evidence(&r, "SYN-to-handshake completion 0%"));
	assert_true(has_evidence(&r, "spread uniformly"));
	assert_true(has_evidence(&r, "no prefix data loaded"));

	/* routed() that knows nothing is the same as no prefix data */
	spoof_acc_assess(acc, routed_unknown, NULL, &r);
	assert_true(r.strength[SPOOF_SIGN_UNROUTED] == -1);

	/* with prefix data, the unrouted share counts too */
	spoof_acc_assess(acc, routed_quarter, &calls, &r);
	print_result("spoofed SYN flood, prefix data", &r);
	check_evidence(&r);
	assert_true(calls > 0 && calls <= SPOOF_SAMPLE);
	assert_true(r.strength[SPOOF_SIGN_UNROUTED] == 1.0);
	assert_true(has_evidence(&r, "of sampled sources unrouted"));
	assert_true(r.score > 0.95);

	/* reset forgets */
	spoof_acc_reset(acc);
	assert_int_equal(spoof_acc_packets(acc), 0);
	spoof_acc_assess(acc, NULL, NULL, &r);
	assert_int_equal(r.level, SPOOF_LOW);
	assert_int_equal(r.nevidence, 1);
	spoof_acc_free(acc);
	spoof_acc_free(NULL);
}

/*
 * A flood from a few hundred real hosts: clustered in some 40 /16s of
 * ordinary unicast space, each host with its own path length and OS
 * (initial TTL 64, 128 or 255), completing its handshakes and sending data.
 */
static void
test_real_clients(void **state)
{
	static const uint16_t nets[] = {
		0x0102, 0x1b50, 0x2401, 0x2a0c, 0x3a0e, 0x3c2b, 0x3d73,
		0x650a, 0x6e21, 0x72ff, 0x79b0, 0x8501, 0x85ca, 0x9603,
		0x9950, 0xa3a0, 0xb403, 0xb6f0, 0xca30, 0xd22c, 0xdb60,
		0xdc10, 0x0501, 0x0e08, 0x1f0d, 0x2e04, 0x3156, 0x4a7d,
		0x5169, 0x5d2e, 0x5f8c, 0x6807, 0x8ac4, 0x9d05, 0xa8d0,
		0xb9c7, 0xc103, 0xc4b5, 0xd5e2, 0x2d3a,
	};
	enum { HOSTS = 300 };
	struct host { uint32_t a; uint8_t ttl; } h[HOSTS];
	struct spoof_acc *acc = spoof_acc_new();
	struct spoof_result r;
	uint64_t s = 7, i;
	unsigned k;

	(void)state;
	for (k = 0; k < HOSTS; k++) {
		uint64_t x = splitmix64(&s);
		static const uint8_t init[] = { 64, 64, 128, 255 };

		h[k].a = (uint32_t)nets[x % (sizeof(nets) / sizeof(nets[0]))]
		    << 16 | (uint32_t)(x >> 48);
		h[k].ttl = (uint8_t)(init[(x >> 8) & 3] - (8 + (x >> 16) % 17));
	}
	for (i = 0; i < 40000; i++) {
		struct host *c = &h[splitmix64(&s) % HOSTS];
		struct pkt p;
		int j;

		/* one connection: SYN, SYN-ACK, ACK, data with ACKs */
		p = mkpkt(c->a, TARGET, L4_TCP, TCP_SYN, c->ttl);
		spoof_acc_add(acc, &p, 1);
		p = mkpkt(TARGET, c->a, L4_TCP, TCP_SYN | TCP_ACK, 64);
		spoof_acc_add(acc, &p, 0);
		p = mkpkt(c->a, TARGET, L4_TCP, TCP_ACK, c->ttl);
		spoof_acc_add(acc, &p, 1);
		for (j = 0; j < 3; j++) {
			p = mkpkt(c->a, TARGET, L4_TCP, TCP_PSH | TCP_ACK,
			    c->ttl);
			spoof_acc_add(acc, &p, 1);
			p = mkpkt(TARGET, c->a, L4_TCP, TCP_ACK, 64);
			spoof_acc_add(acc, &p, 0);
			p = mkpkt(c->a, TARGET, L4_TCP, TCP_ACK, c->ttl);
			spoof_acc_add(acc, &p, 1);
		}
	}
	spoof_acc_assess(acc, routed_all, NULL, &r);
	print_result("real clustered clients", &r);
	check_evidence(&r);
	assert_int_equal(r.level, SPOOF_LOW);
	assert_true(r.score < 0.1);
	assert_true(r.strength[SPOOF_SIGN_SPECIAL] == 0);
	assert_true(r.strength[SPOOF_SIGN_UNROUTED] == 0);
	assert_true(r.strength[SPOOF_SIGN_HOPS] == 0);
	assert_true(r.strength[SPOOF_SIGN_HANDSHAKE] == 0);
	assert_true(r.strength[SPOOF_SIGN_UNIFORM] == 0);
	assert_true(has_evidence(&r, "no sources in special-purpose"));
	assert_true(has_evidence(&r, "hop counts plausible"));
	assert_true(has_evidence(&r, "clustered"));
	assert_true(has_evidence(&r, "SYN-to-handshake completion 100%"));
	spoof_acc_free(acc);
}

/* A UDP flood with random TTLs from random unicast, non-bogon sources. */
static void
test_random_ttl(void **state)
{
	struct spoof_acc *acc = spoof_acc_new();
	struct spoof_result r;
	uint64_t s = 1001, i = 0;

	(void)state;
	while (i < 100000) {
		uint64_t x = splitmix64(&s);
		struct pkt p = mkpkt((uint32_t)(x >> 32), TARGET, L4_UDP, 0,
		    (uint8_t)(1 + (x & 0xffff) % 255));

		if (spoof_special(&p.src, NULL))
			continue;
		spoof_acc_add(acc, &p, 1);
		i++;
	}
	spoof_acc_assess(acc, NULL, NULL, &r);
	print_result("random TTLs, no bogons", &r);
	check_evidence(&r);
	assert_true(r.strength[SPOOF_SIGN_SPECIAL] == 0);
	assert_true(r.strength[SPOOF_SIGN_HOPS] == 1.0);
	/* no SYNs: not assessed */
	assert_true(r.strength[SPOOF_SIGN_HANDSHAKE] == -1);
	assert_true(r.strength[SPOOF_SIGN_UNIFORM] > 0);
	assert_int_equal(r.level, SPOOF_MEDIUM);
	assert_true(has_evidence(&r, "imply more than 30 hops"));
	spoof_acc_free(acc);
}

/* Random 128-bit IPv6 sources: mostly outside 2000::/3. */
static void
test_ipv6_flood(void **state)
{
	struct spoof_acc *acc = spoof_acc_new();
	struct spoof_result r;
	uint64_t s = 3, i;

	(void)state;
	for (i = 0; i < 50000; i++) {
		struct pkt p = mkpkt(0, 0, L4_TCP, TCP_SYN, 57);
		uint64_t x = splitmix64(&s), y = splitmix64(&s);

		p.family = 6;
		p.src.family = p.dst.family = 6;
		memcpy(p.src.b, &x, 8);
		memcpy(p.src.b + 8, &y, 8);
		assert_int_equal(addr_parse("2001:db8:100::5", &p.dst), 0);
		p.weight = 0;		/* counts as 1 */
		spoof_acc_add(acc, &p, 1);
	}
	spoof_acc_assess(acc, NULL, NULL, &r);
	print_result("random IPv6 sources", &r);
	check_evidence(&r);
	assert_int_equal(spoof_acc_packets(acc), 50000);
	assert_true(r.strength[SPOOF_SIGN_SPECIAL] == 1.0);
	assert_true(r.strength[SPOOF_SIGN_HOPS] == 1.0);
	assert_true(r.strength[SPOOF_SIGN_UNIFORM] == -1);	/* no IPv4 */
	assert_int_equal(r.level, SPOOF_HIGH);
	assert_true(has_evidence(&r, "IPv6 /32s"));
	spoof_acc_free(acc);
}

/* Few packets, non-IP packets, weights. */
static void
test_small_and_hostile(void **state)
{
	struct spoof_acc *acc = spoof_acc_new();
	struct spoof_result r;
	struct pkt p;
	int i;

	(void)state;
	memset(&p, 0, sizeof(p));	/* family 0: ignored */
	for (i = 0; i < 1000; i++)
		spoof_acc_add(acc, &p, 1);
	assert_int_equal(spoof_acc_packets(acc), 0);
	for (i = 0; i < 50; i++) {
		p = mkpkt(0x0a000001, TARGET, L4_TCP, TCP_SYN, 64);
		spoof_acc_add(acc, &p, 1);
	}
	spoof_acc_assess(acc, NULL, NULL, &r);
	check_evidence(&r);
	assert_int_equal(r.level, SPOOF_LOW);
	assert_true(r.score == 0);
	assert_int_equal(r.nevidence, 1);
	assert_non_null(strstr(r.evidence[0], "too few packets"));

	/* one sampled record standing for 1000 packets */
	p = mkpkt(0x0a000001, TARGET, L4_TCP, TCP_SYN, 64);
	p.weight = 1000;
	spoof_acc_add(acc, &p, 1);
	assert_int_equal(spoof_acc_packets(acc), 1050);
	spoof_acc_assess(acc, NULL, NULL, &r);
	check_evidence(&r);
	/* all from 10/8: special, but one network and one host */
	assert_true(r.strength[SPOOF_SIGN_SPECIAL] == 1.0);
	assert_true(r.strength[SPOOF_SIGN_HOPS] == 0);
	assert_int_equal(r.level, SPOOF_MEDIUM);
	spoof_acc_free(acc);
}

/* The reservoir is a uniform sample of the whole stream. */
struct collect {
	uint32_t n;		/* stream length */
	double sum;		/* of the sampled positions */
	unsigned calls, early, late;
};

/* routed() that records which positions of the stream were sampled */
static int
routed_collect(void *ctx, const struct addr *a)
{
	struct collect *c = ctx;
	uint32_t pos = addr_v4(a) - 0x01000000;

	assert_true(pos < c->n);
	c->calls++;
	c->sum += pos;
	c->early += pos < c->n / 10;
	c->late += pos >= c->n - c->n / 10;
	return 1;
}

static void
test_reservoir(void **state)
{
	static const uint32_t lens[] = { 100, 512, 513, 5000, 300000 };
	size_t l;

	(void)state;
	for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
		struct spoof_acc *acc = spoof_acc_new();
		struct collect c;
		struct spoof_result r;
		uint32_t i, n = lens[l], k;
		double mean, sd;

		memset(&c, 0, sizeof(c));
		c.n = n;
		for (i = 0; i < n; i++) {
			/* source = position, from 1.0.0.0 on: no special */
			struct pkt p = mkpkt(0x01000000 + i, TARGET, L4_UDP, 0,
			    50);

			spoof_acc_add(acc, &p, 1);
		}
		spoof_acc_assess(acc, routed_collect, &c, &r);
		k = n < SPOOF_SAMPLE ? n : SPOOF_SAMPLE;
		assert_int_equal(c.calls, k);
		mean = c.sum / k;
		/* sd of the mean of k draws without replacement from 0..n-1 */
		sd = n / sqrt(12.0 * k);
		print_message("n=%u sample mean %.0f (expected %.0f, sd %.0f) "
		    "first tenth %u last tenth %u\n", n, mean, (n - 1) / 2.0,
		    sd, c.early, c.late);
		assert_true(fabs(mean - (n - 1) / 2.0) < 5 * sd + 1);
		if (n > 10 * SPOOF_SAMPLE) {
			/* about 51 expected in each tenth */
			assert_true(c.early > 25 && c.early < 80);
			assert_true(c.late > 25 && c.late < 80);
		}
		spoof_acc_free(acc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_special_table),
		cmocka_unit_test(test_special_share),
		cmocka_unit_test(test_hops),
		cmocka_unit_test(test_chisq),
		cmocka_unit_test(test_spoofed_syn_flood),
		cmocka_unit_test(test_real_clients),
		cmocka_unit_test(test_random_ttl),
		cmocka_unit_test(test_ipv6_flood),
		cmocka_unit_test(test_small_and_hostile),
		cmocka_unit_test(test_reservoir),
		cmocka_unit_test(test_unrouted_needs_complete_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
