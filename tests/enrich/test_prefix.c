/*
 * test_prefix.c -- the prefix database: CSV parsing (quoted fields,
 * hostile input), range lookups at the boundaries, overlaps, IPv6,
 * overrides and their precedence, routed(), the shipped extract.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/addr.h"
#include "settings/config.h"
#include "base/jsonw.h"
#include "enrich/prefix.h"
#include "base/util.h"
#include "testutil.h"


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

static long long
image_build(const struct options *o, char **path, char *err)
{
	struct enrich_settings es;
	long long n;

	config_enrich_settings(o, &es, NULL);
	n = prefix_image_build(&es, path, err);
	enrich_settings_free(&es);
	return n;
}

static int
image_verify(const struct options *o, char **path, char *err)
{
	struct enrich_settings es;
	int n;

	config_enrich_settings(o, &es, NULL);
	n = prefix_image_verify(&es, path, err);
	enrich_settings_free(&es);
	return n;
}

static long
csv(struct prefixdb *db, const char *text, char *err)
{
	return prefix_parse_csv(db, (const uint8_t *)text, strlen(text),
	    "t.csv", err);
}

static long
ovr(struct prefixdb *db, const char *text, char *err)
{
	return prefix_parse_overrides(db, (const uint8_t *)text, strlen(text),
	    "o.txt", err);
}

static void
look(const struct prefixdb *db, const char *s, struct prefix_info *info)
{
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	prefix_lookup(db, &a, info);
}

/* Look s up: its ASN (0: none) or country ("": none) must be the one
 * given. */
static void
expect_asn(const struct prefixdb *db, const char *s, uint32_t asn)
{
	struct prefix_info i;

	look(db, s, &i);
	if (i.asn != asn)
		fail_msg("%s: AS%u, expected AS%u", s, i.asn, asn);
}

static void
expect_country(const struct prefixdb *db, const char *s, const char *cc)
{
	struct prefix_info i;

	look(db, s, &i);
	if (strcmp(i.country, cc) != 0)
		fail_msg("%s: country '%s', expected '%s'", s, i.country, cc);
}

/* The same for each "ADDRESS=VALUE" of a space-separated list: what is
 * 'a' for ASNs, 'c' for countries. */
static void
expect_each(const struct prefixdb *db, int what, const char *list)
{
	char buf[1024], *save, *w, *v;

	assert_true(strlen(list) < sizeof(buf));
	strcpy(buf, list);
	for (w = strtok_r(buf, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		v = strchr(w, '=');
		assert_non_null(v);
		*v++ = '\0';
		if (what == 'a')
			expect_asn(db, w, (uint32_t)strtoul(v, NULL, 10));
		else
			expect_country(db, w, v);
	}
}

static int
routed(const struct prefixdb *db, const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return prefix_routed(db, &a);
}

static void
test_quoted_fields(void **state)
{
	struct prefixdb *db = prefix_db_new();
	struct prefix_info i;
	char err[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(csv(db,
	    "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n"
	    "1.0.64.0,1.0.127.255,18144,\"Enecom,Inc.\"\r\n"
	    "2.0.0.0,2.0.0.255,64496,\"The \"\"Quoted\"\" Net\"\n"
	    "\n"
	    "3.0.0.0,3.0.0.255,64497,Plain Org\n"
	    "4.0.0.0,4.0.0.255,64498,\"Multi\nLine\"\n"
	    "5.0.0.0,5.0.0.255,64499,", err), 6);
	look(db, "1.0.0.7", &i);
	assert_int_equal(i.asn, 13335);
	assert_string_equal(i.as_org, "Cloudflare, Inc.");
	assert_int_equal(i.asn_src, PREFIX_SRC_CSV);
	look(db, "1.0.100.1", &i);
	assert_string_equal(i.as_org, "Enecom,Inc.");
	look(db, "2.0.0.1", &i);
	assert_string_equal(i.as_org, "The \"Quoted\" Net");
	look(db, "3.0.0.1", &i);
	assert_string_equal(i.as_org, "Plain Org");
	look(db, "4.0.0.1", &i);
	assert_string_equal(i.as_org, "Multi?Line");	/* newline made safe */
	look(db, "5.0.0.1", &i);
	assert_int_equal(i.asn, 64499);
	assert_string_equal(i.as_org, "");
	prefix_db_free(db);
}

static void
test_boundaries_v4(void **state)
{
	struct prefixdb *db = prefix_db_new();
	struct prefix_info i;
	char err[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(csv(db,
	    "0.0.0.0,0.0.0.255,64496,Low\n"
	    "10.0.0.0,10.0.0.255,64497,A\n"
	    "10.0.1.0,10.0.1.255,64498,B\n"
	    "255.255.255.0,255.255.255.255,64499,High\n", err), 4);
	expect_asn(db, "0.0.0.0", 64496);
	look(db, "9.255.255.255", &i);
	assert_int_equal(i.asn, 0);
	/* Four rows are an extract: outside them, routedness is unknown. */
	assert_int_equal(i.routed, PREFIX_PARTIAL);
	expect_each(db, 'a',
	    "10.0.0.0=64497 10.0.0.255=64497 10.0.1.0=64498 10.0.1.255=64498 "
	    "10.0.2.0=0 255.255.255.255=64499");
	expect_asn(db, "::ffff:10.0.1.7", 64498);	/* IPv4-mapped */
	assert_int_equal(routed(db, "::ffff:10.0.1.7"), 1);
	assert_int_equal(routed(db, "255.255.255.254"), 1);
	assert_int_equal(routed(db, "200.0.0.1"), PREFIX_PARTIAL);
	/* Declared complete by the operator: outside it is unrouted. */
	prefix_db_declare_complete(db, 1);
	assert_int_equal(routed(db, "200.0.0.1"), PREFIX_UNROUTED);
	look(db, "9.255.255.255", &i);
	assert_int_equal(i.routed, PREFIX_UNROUTED);
	assert_int_equal(routed(db, "255.255.255.254"), PREFIX_ROUTED);
	prefix_db_declare_complete(db, 0);
	assert_int_equal(routed(db, "200.0.0.1"), PREFIX_PARTIAL);
	{
		struct addr a;

		assert_int_equal(addr_parse("10.0.0.9", &a), 0);
		assert_int_equal(prefix_routed_cb(db, &a), 1);
	}
	/* No IPv6 source: cannot tell. */
	assert_int_equal(routed(db, "2001:db8::1"), -1);
	prefix_db_free(db);
}

static void
test_ipv6_and_country(void **state)
{
	struct prefixdb *db = prefix_db_new();
	struct prefix_info i;
	char err[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(csv(db,
	    "2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP\n"
	    "ffff::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,ZZ\n"
	    "1.0.16.0,1.0.31.255,jp\n", err), 3);
	look(db, "2001:200::", &i);
	assert_string_equal(i.country, "JP");
	assert_int_equal(i.country_src, PREFIX_SRC_CSV);
	expect_each(db, 'c',
	    "2001:200:ffff:ffff:ffff:ffff:ffff:ffff=JP 2001:201::= "
	    "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff= "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff=ZZ");
	look(db, "1.0.20.1", &i);
	assert_string_equal(i.country, "JP");	/* upper-cased */
	assert_int_equal(i.asn, 0);
	prefix_db_free(db);
}

static void
test_overlaps(void **state)
{
	struct prefixdb *db = prefix_db_new();
	char err[ERRBUF_SIZE];

	(void)state;
	/* Unsorted, nested: the narrowest range wins where they overlap. */
	assert_int_equal(csv(db,
	    "10.0.0.0,10.255.255.255,1,Outer\n"
	    "10.1.0.0,10.1.255.255,2,Middle\n"
	    "10.1.2.0,10.1.2.255,3,Inner\n"
	    "10.0.0.0,10.0.0.255,4,SameStart\n", err), 4);
	expect_each(db, 'a',
	    "10.0.0.1=4 10.0.1.0=1 10.1.0.0=2 10.1.2.128=3 10.1.3.0=2 "
	    "10.2.0.0=1 10.255.255.255=1");
	/* A second file merges; its narrower row wins inside. */
	assert_int_equal(csv(db, "10.200.0.0,10.200.0.255,5,Later\n", err), 1);
	expect_each(db, 'a', "10.200.0.5=5 10.200.1.5=1 10.1.2.1=3");
	prefix_db_free(db);
}

static void
test_overrides(void **state)
{
	struct prefixdb *db = prefix_db_new();
	struct prefix_info i, j;
	char err[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(csv(db,
	    "198.51.100.0,198.51.100.255,64496,Transit Co\n", err), 1);
	assert_int_equal(csv(db,
	    "198.51.100.0,198.51.100.255,US\n", err), 1);
	assert_int_equal(ovr(db,
	    "# our customers\n"
	    "\n"
	    "198.51.100.0/25   AS64500 JP  Customer One K.K.\n"
	    "198.51.100.64/27  64501   jp  顧客二 株式会社  \n"
	    "198.51.100.128/26 -       DE\n"
	    "198.51.100.192/26 64502   -   Peer Without Country\n"
	    "2001:db8:100::/48 64500   JP  Customer One K.K.\n", err), 5);
	look(db, "198.51.100.1", &i);
	assert_int_equal(i.asn, 64500);
	assert_string_equal(i.as_org, "Customer One K.K.");
	assert_string_equal(i.country, "JP");
	assert_int_equal(i.asn_src, PREFIX_SRC_OVERRIDE);
	assert_int_equal(i.country_src, PREFIX_SRC_OVERRIDE);
	look(db, "198.51.100.70", &i);
	assert_int_equal(i.asn, 64501);
	assert_string_equal(i.as_org, "顧客二 株式会社");
	/* '-' keeps the other sources' answer for that field. */
	look(db, "198.51.100.130", &i);
	assert_int_equal(i.asn, 64496);
	assert_int_equal(i.asn_src, PREFIX_SRC_CSV);
	assert_string_equal(i.country, "DE");
	assert_int_equal(i.country_src, PREFIX_SRC_OVERRIDE);
	look(db, "198.51.100.200", &i);
	assert_int_equal(i.asn, 64502);
	assert_string_equal(i.country, "US");
	assert_int_equal(i.country_src, PREFIX_SRC_CSV);
	look(db, "2001:db8:100:1::1", &i);
	assert_int_equal(i.asn, 64500);
	assert_int_equal(i.routed, 1);
	/* Organisation names are interned: one copy. */
	look(db, "198.51.100.2", &j);
	look(db, "2001:db8:100::2", &i);
	assert_ptr_equal(i.as_org, j.as_org);
	prefix_db_free(db);
}

static void
expect_csv_error(const char *text, const char *needle)
{
	struct prefixdb *db = prefix_db_new();
	char err[ERRBUF_SIZE];

	assert_int_equal(csv(db, "9.0.0.0,9.0.0.255,64496,Keep\n", err), 1);
	err[0] = '\0';
	assert_int_equal(csv(db, text, err), -1);
	if (strstr(err, needle) == NULL)
		fail_msg("error '%s' lacks '%s'", err, needle);
	/* A failed file leaves what was loaded intact. */
	expect_asn(db, "9.0.0.1", 64496);
	prefix_db_free(db);
}

static void
test_hostile_csv(void **state)
{
	char big[2048];

	(void)state;
	expect_csv_error("1.0.0.0,1.0.0.255,1,\"unterminated\n", "t.csv:1: unterminated");
	expect_csv_error("1.0.0.0,1.0.0.255,1,ok\n1.0.1.0,1.0.1.255,1,bad\"quote\n",
	    "t.csv:2: quote inside");
	expect_csv_error("1.0.0.0,1.0.0.255,1,\"x\"y\n", "text after a closing quote");
	expect_csv_error("1.0.0.0,1.0.0.255\n", "2 fields");
	expect_csv_error("1.0.0.0,1.0.0.255,1,a,b\n", "5 fields");
	expect_csv_error("1.0.0.0,1.0.0.255,1,a\n1.0.0.0,x,1,a\n", "t.csv:2: start and end");
	expect_csv_error("1.0.0.255,1.0.0.0,1,a\n", "ascending");
	expect_csv_error("1.0.0.0,2001:db8::,1,a\n", "one family");
	expect_csv_error("1.0.0.0,1.0.0.255,99999999999,a\n", "AS number");
	expect_csv_error("1.0.0.0,1.0.0.255,12a,a\n", "AS number");
	expect_csv_error("1.0.0.0,1.0.0.255,JPN\n", "two letters");
	expect_csv_error("1.0.0.0,1.0.0.255,J1\n", "two letters");
	expect_csv_error("1.0.0.0,1.0.0.255,JP\n1.0.1.0,1.0.1.255,1,a\n",
	    "started with rows of 3");
	expect_csv_error("1.0.0.0,1.0.0.255,1,a\n16777216,16777471,1,a\n",
	    "-num.csv");
	expect_csv_error("1.0.0.0,1.0.0.256,1,a\n1.0.0.0,1.0.0.255,1,a\n",
	    "t.csv:1");
	memset(big, 'x', sizeof(big));
	memcpy(big, "1.0.0.0,1.0.0.255,1,", 20);
	big[sizeof(big) - 1] = '\0';
	expect_csv_error(big, "longer than");
}

static void
test_header_and_empty(void **state)
{
	struct prefixdb *db = prefix_db_new();
	struct prefix_info i;
	char err[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(routed(db, "1.2.3.4"), -1);
	assert_int_equal(csv(db, "", err), 0);
	assert_int_equal(csv(db, "start,end,asn,org\n1.0.0.0,1.0.0.255,7,x\n",
	    err), 1);
	expect_asn(db, "1.0.0.9", 7);
	/* Embedded NUL bytes and invalid UTF-8 in the org are made safe. */
	assert_int_equal(prefix_parse_csv(db,
	    (const uint8_t *)"2.0.0.0,2.0.0.255,8,a\0b\xff\n", 25, "t.csv", err),
	    1);
	look(db, "2.0.0.1", &i);
	assert_string_equal(i.as_org, "a?b\xef\xbf\xbd");
	prefix_db_free(db);
}

static void
expect_ovr_error(const char *text, const char *needle)
{
	struct prefixdb *db = prefix_db_new();
	char err[ERRBUF_SIZE];

	err[0] = '\0';
	assert_int_equal(ovr(db, text, err), -1);
	if (strstr(err, needle) == NULL)
		fail_msg("error '%s' lacks '%s'", err, needle);
	prefix_db_free(db);
}

static void
test_hostile_overrides(void **state)
{
	char big[2000];

	(void)state;
	expect_ovr_error("# ok\n192.0.2.0 64500 JP x\n", "o.txt:2: '192.0.2.0' is not a prefix");
	expect_ovr_error("192.0.2.0/33 64500 JP x\n", "o.txt:1:");
	expect_ovr_error("192.0.2.0/24\n", "missing ASN");
	expect_ovr_error("192.0.2.0/24 sixty JP\n", "ASN 'sixty'");
	expect_ovr_error("192.0.2.0/24 64500\n", "missing country");
	expect_ovr_error("192.0.2.0/24 64500 JPN\n", "country 'JPN'");
	expect_ovr_error("192.0.2.0/24 64500 JP bad \xff utf8\n", "invalid UTF-8");
	expect_ovr_error("\x1b[31m/24 64500 JP x\n", "'?[31m/24'");
	memset(big, 'a', sizeof(big));
	memcpy(big, "192.0.2.0/24 1 JP ", 18);
	big[sizeof(big) - 1] = '\0';
	expect_ovr_error(big, "longer than");
}

static void
test_shipped_extract(void **state)
{
	const char *src = getenv("KYOCHO_SRCDIR");
	struct prefixdb *db = prefix_db_new();
	struct prefix_info i;
	struct prefix_stats st;
	struct options o;
	char err[ERRBUF_SIZE], *dir;

	(void)state;
	config_defaults(&o);
	dir = xasprintf("%s/data", src != NULL ? src : ".");
	o.data_dir = dir;
	/* Only the shipped files: no user data directory. */
	setenv("XDG_DATA_HOME", "/nonexistent", 1);
	assert_int_equal(load_default(db, &o, err), 5);
	look(db, "8.8.8.8", &i);
	assert_int_equal(i.asn, 15169);
	assert_string_equal(i.as_org, "Google LLC");
	assert_string_equal(i.country, "US");
	expect_asn(db, "1.1.1.1", 13335);
	look(db, "203.0.113.9", &i);		/* the override file */
	assert_int_equal(i.asn, 64500);
	assert_string_equal(i.country, "JP");
	/*
	 * The shipped extract does not cover the routing table: 46.4.100.200
	 * (Hetzner, routed, outside the extract) must not read as unrouted,
	 * nor may anything else outside it.
	 */
	prefix_stats(db, &st);
	assert_int_equal(st.complete[0], PREFIX_EXTRACT);
	assert_int_equal(st.complete[1], PREFIX_EXTRACT);
	assert_true(st.unicast4 > 0.05 && st.unicast4 < 0.5);
	assert_true(st.origins6 > 0 && st.origins6 < 100);
	assert_int_equal(routed(db, "46.4.100.200"), PREFIX_PARTIAL);
	assert_int_equal(routed(db, "240.0.0.1"), PREFIX_PARTIAL);
	assert_int_equal(routed(db, "8.8.8.8"), PREFIX_ROUTED);
	prefix_db_free(db);

	/* The same files with prefix-complete = yes: the operator's word. */
	db = prefix_db_new();
	o.prefix_complete = 1;
	assert_int_equal(load_default(db, &o, err), 5);
	prefix_stats(db, &st);
	assert_int_equal(st.complete[0], PREFIX_DECLARED);
	assert_int_equal(st.complete[1], PREFIX_DECLARED);
	assert_int_equal(routed(db, "46.4.100.200"), PREFIX_UNROUTED);
	assert_int_equal(routed(db, "8.8.8.8"), PREFIX_ROUTED);
	prefix_db_free(db);
	free(dir);
}

/*
 * The coverage measure: IPv4 data is complete from 90% of unicast space
 * (221 /8s), IPv6 data from 10,000 distinct origin ASes.
 */
static void
test_completeness(void **state)
{
	struct prefixdb *db = prefix_db_new();
	struct prefix_stats st;
	char err[ERRBUF_SIZE], *buf;
	size_t len = 0, first = 0, cap = 10001 * 64;
	unsigned k;

	(void)state;
	prefix_stats(db, &st);
	assert_int_equal(st.complete[0], PREFIX_EXTRACT);
	/* 1/8..198/8 minus 10/8 and 127/8 (196 of 221 /8s, 88.7%) plus, in
	 * a country file, 199/8 (89.1%): still short of 90%. 0/8, 10/8,
	 * 127/8 and 224/3 count for nothing. */
	assert_int_equal(csv(db, "0.0.0.0,198.255.255.255,64496,Big\n"
	    "224.0.0.0,255.255.255.255,64497,Not unicast\n", err), 2);
	assert_int_equal(csv(db, "199.0.0.0,199.255.255.255,US\n", err), 1);
	prefix_stats(db, &st);
	assert_true(st.unicast4 > 0.8909 && st.unicast4 < 0.8915);
	assert_int_equal(st.complete[0], PREFIX_EXTRACT);
	assert_int_equal(routed(db, "200.0.0.1"), PREFIX_PARTIAL);
	/* One /8 more is 198 (89.6%), two are 199 (90.05%); the range
	 * overlaps what is there, which counts once. */
	assert_int_equal(csv(db, "199.128.0.0,200.255.255.255,64498,X\n",
	    err), 1);
	prefix_stats(db, &st);
	assert_true(st.unicast4 > 0.8958 && st.unicast4 < 0.8961);
	assert_int_equal(st.complete[0], PREFIX_EXTRACT);
	assert_int_equal(csv(db, "201.0.0.0,201.255.255.255,64499,Y\n",
	    err), 1);
	prefix_stats(db, &st);
	assert_true(st.unicast4 > 0.9004 && st.unicast4 < 0.9006);
	assert_int_equal(st.complete[0], PREFIX_COVERAGE);
	assert_int_equal(routed(db, "202.0.0.1"), PREFIX_UNROUTED);
	assert_int_equal(routed(db, "200.0.0.1"), PREFIX_ROUTED);
	/* IPv6: 9,999 origin ASes (some on several ranges) are not enough,
	 * 10,000 are. */
	assert_int_equal(st.complete[1], PREFIX_EXTRACT);
	buf = xmalloc(cap);
	for (k = 0; k < 10001; k++, first = k == 10000 ? len : first)
		len += (size_t)snprintf(buf + len, cap - len,
		    "2001:%x:%x::,2001:%x:%x:ffff:ffff:ffff:ffff:ffff,%u,O\n",
		    0x400 + k / 4096, k % 4096, 0x400 + k / 4096, k % 4096,
		    k < 10000 ? 100000 + k % 9999 : 100000 + 9999);
	assert_int_equal(prefix_parse_csv(db, (const uint8_t *)buf, first,
	    "t6.csv", err), 10000);
	prefix_stats(db, &st);
	assert_int_equal(st.origins6, 9999);
	assert_int_equal(st.complete[1], PREFIX_EXTRACT);
	assert_int_equal(routed(db, "2a00::1"), PREFIX_PARTIAL);
	assert_int_equal(prefix_parse_csv(db, (const uint8_t *)buf, len,
	    "t6.csv", err), 10001);
	prefix_stats(db, &st);
	assert_int_equal(st.origins6, 10000);
	assert_int_equal(st.complete[1], PREFIX_COVERAGE);
	assert_int_equal(routed(db, "2a00::1"), PREFIX_UNROUTED);
	assert_int_equal(routed(db, "2001:400:5::1"), PREFIX_ROUTED);
	free(buf);
	prefix_db_free(db);
}

/* Enough rows for the first-level index, with ranges that span buckets
 * (top 16 bits) and empty buckets covered from an earlier one. */
static void
test_indexed(void **state)
{
	struct prefixdb *db = prefix_db_new();
	struct prefix_info i;
	char err[ERRBUF_SIZE], *text, *p, a[64];
	size_t k, cap = 4000 * 80;

	(void)state;
	p = text = xmalloc(cap);
	for (k = 0; k < 3000; k++)	/* 20.0.0.0/24, 20.0.2.0/24, ... */
		p += sprintf(p, "20.%zu.%zu.0,20.%zu.%zu.255,%zu,o%zu\n",
		    k * 2 / 256, k * 2 % 256, k * 2 / 256, k * 2 % 256, k + 1, k);
	/* 30.0.128.0 - 30.5.127.255 spans six buckets. */
	p += sprintf(p, "30.0.128.0,30.5.127.255,77777,span\n");
	for (k = 0; k < 600; k++)
		p += sprintf(p, "2001:db8:%zx::,2001:db8:%zx:ffff:ffff:ffff:ffff:"
		    "ffff,%zu,v6\n", k * 2, k * 2, 100000 + k);
	p += sprintf(p, "2400::,2a0f:ffff:ffff:ffff:ffff:ffff:ffff:ffff,88888,"
	    "wide6\n");
	assert_int_equal(csv(db, text, err), 3602);
	for (k = 0; k < 3000; k += 7) {
		snprintf(a, sizeof(a), "20.%zu.%zu.0", k * 2 / 256, k * 2 % 256);
		expect_asn(db, a, k + 1);
		snprintf(a, sizeof(a), "20.%zu.%zu.255", k * 2 / 256, k * 2 % 256);
		expect_asn(db, a, k + 1);
		snprintf(a, sizeof(a), "20.%zu.%zu.0", (k * 2 + 1) / 256,
		    (k * 2 + 1) % 256);
		expect_asn(db, a, 0);
	}
	expect_asn(db, "30.0.127.255", 0);
	expect_asn(db, "30.0.128.0", 77777);
	/* a bucket with no row start */
	expect_asn(db, "30.3.9.9", 77777);
	expect_each(db, 'a',
	    "30.5.127.255=77777 30.5.128.0=0 0.0.0.0=0 255.255.255.255=0 "
	    "2001:db8:4::1=100002 2001:db8:5::1=0");
	look(db, "2001:db8:4aa:ffff:ffff:ffff:ffff:ffff", &i);
	assert_int_equal(i.asn, 100000 + 0x4aa / 2);
	expect_asn(db, "2600::1", 88888);	/* inside the wide one */
	expect_asn(db, "2a10::", 0);
	expect_asn(db, "::", 0);
	free(text);
	prefix_db_free(db);
}

static void
test_json(void **state)
{
	struct prefixdb *db = prefix_db_new();
	struct prefix_info i;
	struct jsonw w;
	char err[ERRBUF_SIZE], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(csv(db, "1.0.0.0,1.0.0.255,13335,\"Cloudflare, \"\"Inc.\"\"\"\n",
	    err), 1);
	assert_non_null(f = open_memstream(&buf, &len));
	jsonw_init(&w, f, 0);
	jsonw_arr_open(&w);
	look(db, "1.0.0.1", &i);
	jsonw_obj_open(&w);
	prefix_jsonw(&w, &i);
	jsonw_obj_close(&w);
	look(db, "9.9.9.9", &i);
	jsonw_obj_open(&w);
	prefix_jsonw(&w, &i);
	jsonw_obj_close(&w);
	jsonw_arr_close(&w);
	jsonw_end(&w);
	fclose(f);
	assert_non_null(strstr(buf, "{\"asn\":13335,\"as_org\":\"Cloudflare, \\\"Inc.\\\"\",\"country\":null}"));
	assert_non_null(strstr(buf, "{\"asn\":null,\"as_org\":null,\"country\":null}"));
	free(buf);
	prefix_db_free(db);
}

/* ---- the image ---------------------------------------------------------- */

static const char *const img_csvs[] = {
	"asn-ipv4.csv", "asn-ipv6.csv", "asn-country-ipv4.csv",
	"asn-country-ipv6.csv", "overrides.txt",
};

static char *
slurp_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	/* aligned_alloc: an image is used in place and wants 16 bytes. */
	buf = aligned_alloc(64, ((size_t)n + 64) & ~(size_t)63);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
spit_file(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A data directory of its own under a new temporary directory, with the
 * shipped extract's files copied in: returns it (free it, rm -r it). */
static char *
img_datadir(void)
{
	const char *src = getenv("KYOCHO_SRCDIR");
	char tmpl[] = "/tmp/kyocho-test-img-XXXXXX", *dir, *p;
	size_t i, len;

	assert_non_null(mkdtemp(tmpl));
	dir = xstrdup(tmpl);
	p = xasprintf("%s/prefix", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	for (i = 0; i < NITEMS(img_csvs); i++) {
		char *from = xasprintf("%s/data/prefix/%s", src != NULL ? src : ".",
		    img_csvs[i]);
		char *to = xasprintf("%s/prefix/%s", dir, img_csvs[i]);
		char *buf = slurp_file(from, &len);

		spit_file(to, buf, len);
		free(buf);
		free(from);
		free(to);
	}
	/* Hermetic: nothing from the user's or the installed data. */
	setenv("XDG_DATA_HOME", "/nonexistent", 1);
	setenv("HOME", dir, 1);
	return dir;
}

static void
img_rmdir(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

/* The CSV path: the same files parsed, no image. */
static struct prefixdb *
csv_db(const char *dir)
{
	struct prefixdb *db = prefix_db_new();
	char err[ERRBUF_SIZE];
	size_t i;

	for (i = 0; i < NITEMS(img_csvs); i++) {
		char *p = xasprintf("%s/prefix/%s", dir, img_csvs[i]);

		if (i < 4)
			assert_true(prefix_load_csv(db, p, err) > 0);
		else
			assert_true(prefix_load_overrides(db, p, err) > 0);
		free(p);
	}
	return db;
}

static uint64_t
xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
same_answer(const struct prefixdb *a, const struct prefixdb *b,
    const struct addr *ad)
{
	struct prefix_info x, y;
	char txt[ADDR_STRLEN];

	prefix_lookup(a, ad, &x);
	prefix_lookup(b, ad, &y);
	addr_format(ad, txt, sizeof(txt));
	if (x.asn != y.asn || strcmp(x.as_org, y.as_org) != 0 ||
	    strcmp(x.country, y.country) != 0 || x.asn_src != y.asn_src ||
	    x.country_src != y.country_src || x.routed != y.routed ||
	    prefix_routed(a, ad) != prefix_routed(b, ad))
		fail_msg("%s: image AS%u '%s' %s routed %d, CSV AS%u '%s' %s "
		    "routed %d", txt, x.asn, x.as_org, x.country, x.routed,
		    y.asn, y.as_org, y.country, y.routed);
}

/* An address of family fam from a 128-bit key plus delta (wrapping). */
static void
key_addr(int fam, const uint8_t b16[16], int delta, struct addr *a)
{
	uint8_t b[16];
	int i, carry = delta;

	memcpy(b, b16, 16);
	for (i = 15; i >= 0 && carry != 0; i--) {
		int v = b[i] + carry;

		b[i] = (uint8_t)v;
		carry = v < 0 ? -1 : v > 255 ? 1 : 0;
	}
	memset(a, 0, sizeof(*a));
	a->family = fam;
	if (fam == 4)
		memcpy(a->b, b + 12, 4);
	else
		memcpy(a->b, b, 16);
}

/* Every range's first and last address and their neighbours, from the
 * CSV text itself, and random addresses (fixed seed): the image and the
 * CSV path give the same AS, organisation, country, sources and
 * routedness; and the same coverage figures. */
static void
test_image_same_as_csv(void **state)
{
	char *dir = img_datadir(), err[ERRBUF_SIZE], *path = NULL;
	struct prefixdb *img = prefix_db_new(), *ref;
	struct prefix_stats si, sr;
	struct options o;
	uint64_t seed = 0x1234567;
	size_t i, k, checked = 0;

	(void)state;
	config_defaults(&o);
	o.data_dir = dir;
	assert_true(image_build(&o, &path, err) > 0);
	assert_int_equal(image_verify(&o, &path, err), 0);
	assert_int_equal(load_default(img, &o, err), 5);
	prefix_stats(img, &si);
	assert_int_equal(si.image, 1);
	assert_string_equal(prefix_image_note(img), "");
	ref = csv_db(dir);
	prefix_stats(ref, &sr);
	assert_int_equal(sr.image, 0);
	assert_int_equal(si.ranges4, sr.ranges4);
	assert_int_equal(si.ranges6, sr.ranges6);
	assert_true(si.unicast4 == sr.unicast4);
	assert_int_equal(si.origins6, sr.origins6);
	assert_int_equal(si.complete[0], sr.complete[0]);
	assert_int_equal(si.complete[1], sr.complete[1]);
	assert_int_equal(si.overrides, sr.overrides);

	for (k = 0; k < NITEMS(img_csvs); k++) {
		char *p = xasprintf("%s/prefix/%s", dir, img_csvs[k]), *line;
		size_t len, off = 0;
		char *buf = slurp_file(p, &len);

		free(p);
		buf[len] = '\0';	/* slurp_file leaves room */
		for (line = buf; off < len; line = buf + off) {
			char *nl = strchr(line, '\n'), *f2, *end;
			struct addr a;
			int j, d;

			off = nl != NULL ? (size_t)(nl - buf) + 1 : len;
			if (nl != NULL)
				*nl = '\0';
			if (k == 4) {	/* "PREFIX ASN CC ORG": its ends */
				struct prefix pf;

				if ((end = strchr(line, ' ')) == NULL ||
				    line[0] == '#')
					continue;
				*end = '\0';
				assert_int_equal(prefix_parse(line, &pf), 0);
				for (d = -1; d <= 1; d++) {
					key_addr(pf.addr.family, pf.addr.family == 4 ?
					    (uint8_t[16]){ [12] = pf.addr.b[0],
					    [13] = pf.addr.b[1], [14] = pf.addr.b[2],
					    [15] = pf.addr.b[3] } : pf.addr.b, d, &a);
					same_answer(img, ref, &a);
					checked++;
				}
				continue;
			}
			if ((f2 = strchr(line, ',')) == NULL)
				continue;
			*f2++ = '\0';
			if ((end = strchr(f2, ',')) == NULL)
				continue;
			*end = '\0';
			for (j = 0; j < 2; j++) {
				struct addr base;
				uint8_t b[16] = { 0 };

				if (addr_parse(j ? f2 : line, &base) != 0)
					break;	/* a header row */
				if (base.family == 4)
					memcpy(b + 12, base.b, 4);
				else
					memcpy(b, base.b, 16);
				for (d = -1; d <= 1; d++) {
					key_addr(base.family, b, d, &a);
					same_answer(img, ref, &a);
					checked++;
				}
			}
		}
		free(buf);
	}
	for (i = 0; i < 200000; i++) {
		uint64_t x = xs(&seed), y = xs(&seed);
		struct addr a;

		memset(&a, 0, sizeof(a));
		if (i % 3 == 2) {
			a.family = 6;
			memcpy(a.b, &x, 8);
			memcpy(a.b + 8, &y, 8);
			if (i % 2)	/* mostly where the ranges are */
				a.b[0] = (uint8_t)(0x20 | (a.b[0] & 0x1f));
		} else
			addr_from_v4(&a, (uint32_t)x);
		same_answer(img, ref, &a);
		checked++;
	}
	assert_true(checked > 200000 + 6 * 3000);
	prefix_db_free(img);
	prefix_db_free(ref);
	free(path);
	img_rmdir(dir);
}

/* A CSV changed after the image was built: the image is stale, not used,
 * and the CSVs give the answers; a rebuild makes it current again. */
static void
test_image_stale(void **state)
{
	char *dir = img_datadir(), err[ERRBUF_SIZE], *path = NULL, *csv;
	struct prefixdb *db;
	struct prefix_stats st;
	struct options o;
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };

	(void)state;
	config_defaults(&o);
	o.data_dir = dir;
	assert_true(image_build(&o, &path, err) > 0);
	csv = xasprintf("%s/prefix/asn-ipv4.csv", dir);
	assert_int_equal(utimensat(AT_FDCWD, csv, ts, 0), 0);
	db = prefix_db_new();
	assert_int_equal(load_default(db, &o, err), 5);
	prefix_stats(db, &st);
	assert_int_equal(st.image, 0);
	assert_non_null(strstr(prefix_image_note(db), "stale"));
	expect_asn(db, "8.8.8.8", 15169);
	prefix_db_free(db);
	assert_int_equal(image_verify(&o, &path, err), -1);
	assert_non_null(strstr(err, "stale"));

	/* Same size and time, other contents: only verify can tell. */
	assert_true(image_build(&o, &path, err) > 0);
	{
		struct stat sb;
		size_t len;
		char *buf = slurp_file(csv, &len), *g = strstr(buf, "Google");
		struct timespec keep[2];

		assert_int_equal(stat(csv, &sb), 0);
		assert_non_null(g);
		g[0] = 'g';
		spit_file(csv, buf, len);
		keep[0] = sb.st_atim;
		keep[1] = sb.st_mtim;
		assert_int_equal(utimensat(AT_FDCWD, csv, keep, 0), 0);
		free(buf);
	}
	assert_int_equal(image_verify(&o, &path, err), -1);
	assert_non_null(strstr(err, "other contents"));

	/* An image that is not one: parsed from the CSVs, with a note. */
	free(path);
	path = xasprintf("%s/prefix/kyocho-ranges.img", dir);
	spit_file(path, "KYOPREFX", 8);
	db = prefix_db_new();
	assert_int_equal(load_default(db, &o, err), 5);
	prefix_stats(db, &st);
	assert_int_equal(st.image, 0);
	assert_non_null(strstr(prefix_image_note(db), "shorter than"));
	expect_asn(db, "1.1.1.1", 13335);
	prefix_db_free(db);
	free(csv);
	free(path);
	img_rmdir(dir);
}

/* Lookups of many addresses on a possibly broken image: must not crash
 * nor read outside it (ASan watches in make asan). */
static void
poke(const struct prefixdb *db, uint64_t seed)
{
	struct prefix_info info;
	struct addr a;
	int i;

	for (i = 0; i < 2000; i++) {
		uint64_t x = xs(&seed), y = xs(&seed);

		memset(&a, 0, sizeof(a));
		if (i % 2) {
			a.family = 6;
			memcpy(a.b, &x, 8);
			memcpy(a.b + 8, &y, 8);
		} else
			addr_from_v4(&a, (uint32_t)x);
		prefix_lookup(db, &a, &info);
		assert_non_null(info.as_org);
		/* Whatever the image holds, what reaches a terminal is safe. */
		assert_no_controls(info.as_org);
		assert_true(strlen(info.as_org) < PREFIX_ORG_MAX);
		assert_true(info.country[0] == '\0' ||
		    (info.country[0] >= 'A' && info.country[0] <= 'Z' &&
		    info.country[1] >= 'A' && info.country[1] <= 'Z' &&
		    info.country[2] == '\0'));
		(void)prefix_routed(db, &a);
	}
}

/*
 * Truncated and corrupted images (an image is a file: hostile input).
 * An image with more than IDX_MIN_ROWS rows, so the first-level index is
 * in it too. Truncation and any header change are refused on open; body
 * changes are found by the full check and, unchecked on open, must still
 * give answers without reading outside the image; header fields changed
 * and resealed (as a forger would) must be refused or stay in bounds.
 */
static void
test_image_corrupt(void **state)
{
	char *dir = img_datadir(), err[ERRBUF_SIZE], *path = NULL, *img, *p;
	struct prefixdb *db;
	struct options o;
	uint64_t seed = 42;
	size_t len, i, k, hdr = 0;
	FILE *f;

	(void)state;
	/* 3000 /24s of 10.0.0.0/8 more: the index is built and stored. */
	p = xasprintf("%s/prefix/asn-ipv4.csv", dir);
	f = fopen(p, "a");
	assert_non_null(f);
	for (i = 0; i < 3000; i++)
		fprintf(f, "10.%zu.%zu.0,10.%zu.%zu.255,%zu,\"Org %zu\"\n",
		    i / 256, i % 256, i / 256, i % 256, 64512 + i % 100, i);
	fclose(f);
	free(p);
	config_defaults(&o);
	o.data_dir = dir;
	assert_true(image_build(&o, &path, err) > 0);
	img = slurp_file(path, &len);
	assert_int_equal(prefix_image_check_body((uint8_t *)img, len, err), 0);

	db = prefix_db_new();
	assert_int_equal(prefix_image_attach(db, (uint8_t *)img, len, err), 0);
	expect_asn(db, "10.11.183.7", 64512 + (11 * 256 + 183) % 100);
	expect_asn(db, "8.8.8.8", 15169);
	prefix_db_free(db);

	/* An escape sequence put into a name (and resealed): shown safe. */
	{
		char *m = aligned_alloc(64, (len + 63) & ~(size_t)63), *g;
		struct prefix_info info;
		struct addr a;

		memcpy(m, img, len);
		g = memmem(m, len, "Google LLC", 10);
		assert_non_null(g);
		memcpy(g, "\x1b[2J\x9b", 5);
		prefix_image_reseal((uint8_t *)m, len);
		db = prefix_db_new();
		assert_int_equal(prefix_image_attach(db, (uint8_t *)m, len, err),
		    0);
		assert_int_equal(addr_parse("8.8.8.8", &a), 0);
		prefix_lookup(db, &a, &info);
		assert_int_equal(info.asn, 15169);
		assert_no_controls(info.as_org);
		assert_non_null(strstr(info.as_org, "LLC"));
		prefix_db_free(db);
		free(m);
	}
	/* Truncated anywhere: refused. */
	for (i = 0; i < len; i += i < 1024 ? 1 : 4093) {
		db = prefix_db_new();
		assert_int_equal(prefix_image_attach(db, (uint8_t *)img, i, err),
		    -1);
		prefix_db_free(db);
	}
	/* The header's size: the first section's offset. */
	for (hdr = 8; hdr < len && hdr < 4096; hdr++) {
		char save = img[hdr];

		img[hdr] ^= 0x40;
		db = prefix_db_new();
		i = (size_t)prefix_image_attach(db, (uint8_t *)img, len, err);
		prefix_db_free(db);
		img[hdr] = save;
		if (i == 0)
			break;		/* past the header: not checked on open */
	}
	assert_true(hdr > 64 && hdr < 1024);
	/* Every header byte changed: refused (its hash). */
	for (i = 0; i < hdr; i++) {
		img[i] ^= 1;
		db = prefix_db_new();
		assert_int_equal(prefix_image_attach(db, (uint8_t *)img, len,
		    err), -1);
		prefix_db_free(db);
		img[i] ^= 1;
	}
	/* Half the body overwritten with junk (index, organisation ids and
	 * offsets included): fails the full check; opens unless the pool's
	 * last NUL went, and then stays in bounds. */
	for (k = 0, i = 0; i < 16; i++) {
		char *junk = aligned_alloc(64, (len + 63) & ~(size_t)63);
		size_t j;

		memcpy(junk, img, len);
		for (j = hdr; j < len; j++)
			if (xs(&seed) & 1)
				junk[j] = (char)xs(&seed);
		assert_int_equal(prefix_image_check_body((uint8_t *)junk, len,
		    err), -1);
		db = prefix_db_new();
		if (prefix_image_attach(db, (uint8_t *)junk, len, err) == 0) {
			k++;
			poke(db, 7 + i);
			assert_true(ovr(db, "192.0.2.0/24 64500 JP Ours\n",
			    err) == 1);
			poke(db, 70 + i);
		} else
			assert_non_null(strstr(err, "pool"));
		prefix_db_free(db);
		free(junk);
	}
	assert_true(k > 0);
	/* Header words changed and resealed: refused, or in bounds. */
	for (i = 0; i < 4000; i++) {
		char *m = aligned_alloc(64, (len + 63) & ~(size_t)63);
		uint64_t r = xs(&seed), v = xs(&seed);
		size_t at = 8 * (size_t)(r % (hdr / 8));

		memcpy(m, img, len);
		switch (r >> 60 & 3) {
		case 0:
			memcpy(m + at, &v, 8);
			break;
		case 1:
			v %= len + 64;
			memcpy(m + at, &v, 8);
			break;
		default:
			m[at + (v % 8)] ^= (char)(1 << (v >> 8 & 7));
		}
		prefix_image_reseal((uint8_t *)m, len);
		db = prefix_db_new();
		if (prefix_image_attach(db, (uint8_t *)m, len, err) == 0)
			poke(db, r);
		prefix_db_free(db);
		free(m);
	}
	free(img);
	free(path);
	img_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_boundaries_v4),
		cmocka_unit_test(test_ipv6_and_country),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_hostile_csv),
		cmocka_unit_test(test_header_and_empty),
		cmocka_unit_test(test_hostile_overrides),
		cmocka_unit_test(test_shipped_extract),
		cmocka_unit_test(test_completeness),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_indexed),
		cmocka_unit_test(test_image_same_as_csv),
		cmocka_unit_test(test_image_stale),
		cmocka_unit_test(test_image_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
