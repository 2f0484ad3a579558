/*
 * test_dns.c -- the answer parsers of src/enrich/dns.c on their own: Team Cymru
 * origin and AS-name records, abusix records, host names, TTLs from raw
 * DNS messages, question names. (Real resolution: tests/e2e/dns.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/addr.h"
#include "settings/config.h"
#include "enrich/dns.h"
#include "base/util.h"
#include "base/validate.h"
#include "testutil.h"


static struct dns *
dns_new_o(const struct options *o, char *err)
{
	struct dns_settings ds;

	config_enrich_settings(o, NULL, &ds);
	return dns_new(&ds, err);
}

static int
origin(const char *addr, const char *rec, struct dns_result *r)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(addr_parse(addr, &r->addr), 0);
	return dns_parse_origin((const uint8_t *)rec, strlen(rec), r);
}

static void
test_origin(void **state)
{
	struct dns_result r;
	char buf[64];

	(void)state;
	assert_int_equal(origin("216.90.108.31",
	    "23028 | 216.90.108.0/24 | US | arin | 1998-09-25", &r), 0);
	assert_int_equal(r.nasns, 1);
	assert_int_equal(r.asns[0], 23028);
	assert_string_equal(prefix_format(&r.pfx, buf, sizeof(buf)),
	    "216.90.108.0/24");
	assert_string_equal(r.country, "US");
	assert_string_equal(r.registry, "arin");
	/* Several origins, odd padding, no date, empty country. */
	assert_int_equal(origin("192.0.2.1",
	    "  64501   64502 |192.0.2.0/24|  |ripencc", &r), 0);
	assert_int_equal(r.nasns, 2);
	assert_int_equal(r.asns[1], 64502);
	assert_string_equal(r.country, "");
	assert_int_equal(origin("2001:db8::1",
	    "64511 | 2001:db8::/32 | JP | apnic | 2000-01-01", &r), 0);
	assert_int_equal(r.pfx.len, 32);
	/* Hostile or malformed. */
	assert_int_equal(origin("192.0.2.1", "64501 | 192.0.2.0/24", &r), -1);
	assert_non_null(strstr(r.err, "2 fields"));
	assert_int_equal(origin("192.0.2.1", "a|b|c|d|e|f", &r), -1);
	assert_int_equal(origin("192.0.2.1", "AS64501 | 192.0.2.0/24 | US", &r),
	    -1);
	assert_int_equal(origin("192.0.2.1", "0 | 192.0.2.0/24 | US", &r), -1);
	assert_int_equal(origin("192.0.2.1", "4294967296 | 192.0.2.0/24 | US",
	    &r), -1);
	assert_int_equal(origin("192.0.2.1", "1\x1b[31m | 192.0.2.0/24 | US",
	    &r), -1);
	assert_null(strchr(r.err, '\x1b'));	/* the reason is safe too */
	assert_int_equal(origin("192.0.2.1", "1 | 10.0.0.0/8 | US", &r), -1);
	assert_int_equal(origin("192.0.2.1", "1 | 192.0.2.0 | US", &r), -1);
	assert_int_equal(origin("192.0.2.1", "1 | 2001:db8::/32 | US", &r), -1);
	assert_int_equal(origin("192.0.2.1", "1 | 192.0.2.0/24 | USA", &r), -1);
	assert_int_equal(origin("192.0.2.1", "1 | 192.0.2.0/24 | U1", &r), -1);
	assert_int_equal(origin("192.0.2.1", "1 | 192.0.2.0/24 | US | a\x07", &r),
	    -1);
	assert_int_equal(origin("192.0.2.1", "", &r), -1);
}

static void
test_asname(void **state)
{
	struct dns_result r;
	const char *rec;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.asked_asn = 23028;
	rec = "23028 | US | arin | 2002-01-04 | TEAMCYMRU - SAUNET, US";
	assert_int_equal(dns_parse_asname((const uint8_t *)rec, strlen(rec),
	    &r), 0);
	assert_string_equal(r.as_name, "TEAMCYMRU - SAUNET, US");
	assert_string_equal(r.country, "US");
	/* A '|' in the name stays in the name. */
	rec = "23028 | US | arin | 2002-01-04 | A | B";
	assert_int_equal(dns_parse_asname((const uint8_t *)rec, strlen(rec),
	    &r), 0);
	assert_string_equal(r.as_name, "A | B");
	rec = "23028 | US | arin | 2002 | X\x1b]0;t\x07Y";
	assert_int_equal(dns_parse_asname((const uint8_t *)rec, strlen(rec),
	    &r), 0);
	assert_string_equal(r.as_name, "X?]0;t?Y");
	rec = "64599 | US | arin | 2002-01-04 | OTHER";
	assert_int_equal(dns_parse_asname((const uint8_t *)rec, strlen(rec),
	    &r), -1);
	rec = "23028 | US | arin | 2002-01-04 |  ";
	assert_int_equal(dns_parse_asname((const uint8_t *)rec, strlen(rec),
	    &r), -1);
	rec = "23028 | US";
	assert_int_equal(dns_parse_asname((const uint8_t *)rec, strlen(rec),
	    &r), -1);
}

static void
test_abuse(void **state)
{
	struct dns_result r;
	const char *rec;

	(void)state;
	memset(&r, 0, sizeof(r));
	rec = "abuse@example.net, noc@example.net";
	assert_int_equal(dns_parse_abuse((const uint8_t *)rec, strlen(rec), &r),
	    0);
	assert_string_equal(r.abuse, "abuse@example.net, noc@example.net");
	/* Another record adds, without repeats. */
	rec = "noc@example.net,sec+ir@example.org";
	assert_int_equal(dns_parse_abuse((const uint8_t *)rec, strlen(rec), &r),
	    0);
	assert_string_equal(r.abuse,
	    "abuse@example.net, noc@example.net, sec+ir@example.org");
	/* A substring of a listed address is still a new address. */
	rec = "c@example.net, ABUSE@example.net";
	assert_int_equal(dns_parse_abuse((const uint8_t *)rec, strlen(rec), &r),
	    0);
	assert_string_equal(r.abuse, "abuse@example.net, noc@example.net, "
	    "sec+ir@example.org, c@example.net");
	memset(&r, 0, sizeof(r));
	rec = "evil\x1b]0;x\x07@example.net, @example.net, a@b, a@-x-.com";
	assert_int_equal(dns_parse_abuse((const uint8_t *)rec, strlen(rec), &r),
	    -1);
	assert_string_equal(r.abuse, "");
	assert_null(strchr(r.err, '\x1b'));
	rec = "a@b.c d";
	assert_int_equal(dns_parse_abuse((const uint8_t *)rec, strlen(rec), &r),
	    -1);
}

/*
 * abusix answers go through validate_email() since issue 20: addresses the
 * old check let through although no mail can reach them -- doubled dots
 * in the local part (RFC 5322 dot-atom), an address for a domain, a
 * domain with '_' or a trailing dot -- are refused, beside a good one.
 */
static void
test_abuse_not_mailable(void **state)
{
	static const char *const bad[] = {
		"a..b@example.net", "abuse@192.0.2.1", "abuse@ex_ample.net",
		"abuse@example.net.",
	};
	struct dns_result r;
	char rec[128];
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(bad); i++) {
		memset(&r, 0, sizeof(r));
		snprintf(rec, sizeof(rec), "%s, noc@example.net", bad[i]);
		assert_int_equal(dns_parse_abuse((const uint8_t *)rec,
		    strlen(rec), &r), 0);
		if (strcmp(r.abuse, "noc@example.net") != 0)
			fail_msg("'%s' gave '%s'", rec, r.abuse);
	}
}

static void
test_hostname(void **state)
{
	char long_label[80];

	(void)state;
	assert_true(validate_hostname("host5.example.net", 17));
	assert_true(validate_hostname("host5.example.net.", 18));
	assert_true(validate_hostname("_dmarc.example", 14));
	assert_false(validate_hostname("", 0));
	assert_false(validate_hostname(".", 1));
	assert_false(validate_hostname("a..b", 4));
	assert_false(validate_hostname("evil\x1b[31m.net", 13));
	assert_false(validate_hostname("sp ace.net", 10));
	memset(long_label, 'a', sizeof(long_label));
	assert_false(validate_hostname(long_label, 64));
	assert_true(validate_hostname(long_label, 63));
}

static void
test_answer_ttl(void **state)
{
	/* Response: 1 question (example. TXT), 2 answers TTL 300 and 60
	 * (the second with a compressed name). */
	static const uint8_t msg[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 16, 0, 1,
		0xc0, 12, 0, 16, 0, 1, 0, 0, 1, 44, 0, 2, 1, 'x',
		0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 2, 1, 'y',
	};
	uint32_t ttl;

	(void)state;
	assert_int_equal(dns_answer_ttl(msg, sizeof(msg), &ttl), 0);
	assert_int_equal(ttl, 60);
	/* Truncated anywhere: malformed, never a read past the end. */
	for (size_t n = 0; n < sizeof(msg); n++)
		assert_int_equal(dns_answer_ttl(msg, n, &ttl), -1);
}

static void
test_qname(void **state)
{
	struct addr a;
	char buf[300];

	(void)state;
	assert_int_equal(addr_parse("192.0.2.5", &a), 0);
	assert_int_equal(dns_qname(DNS_PTR, &a, 0, NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "5.2.0.192.in-addr.arpa");
	assert_int_equal(dns_qname(DNS_ORIGIN, &a, 0, "origin.asn.cymru.com",
	    buf, sizeof(buf)), 0);
	assert_string_equal(buf, "5.2.0.192.origin.asn.cymru.com");
	assert_int_equal(addr_parse("2001:db8::5", &a), 0);
	assert_int_equal(dns_qname(DNS_ABUSE, &a, 0,
	    "abuse-contacts.abusix.zone", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.0.0.8.b.d.0.1.0.0.2.abuse-contacts.abusix.zone");
	assert_int_equal(dns_qname(DNS_ASNAME, NULL, 23028, "asn.cymru.com",
	    buf, sizeof(buf)), 0);
	assert_string_equal(buf, "AS23028.asn.cymru.com");
	assert_int_equal(dns_qname(DNS_PTR, &a, 0, NULL, buf, 40), -1);
}

static void
test_settings(void **state)
{
	struct options o;
	char err[ERRBUF_SIZE];
	struct dns *d;

	(void)state;
	config_defaults(&o);
	assert_int_equal(o.dns_rate, 50);
	assert_int_equal(config_set(&o, "dns.server", "127.0.0.1:53535", 1,
	    err), 0);
	assert_int_equal(config_set(&o, "dns.cymru-zone", "origin.mirror.example",
	    1, err), 0);
	assert_string_equal(o.dns_cymru_zone, "origin.mirror.example");
	assert_int_equal(config_set(&o, "dns.rate", "200", 1, err), 0);
	assert_int_equal(o.dns_rate, 200);
	assert_int_equal(config_set(&o, "dns.timeout", "750", 1, err), 0);
	assert_int_equal(config_set(&o, "dns.rate", "0", 1, err), -1);
	assert_int_equal(config_set(&o, "dns.timeout", "5", 1, err), -1);
	assert_int_equal(config_set(&o, "dns.abusix-zone", "bad zone;", 1, err),
	    -1);
	assert_non_null(strstr(err, "not a DNS zone name"));
	assert_int_equal(config_set(&o, "dns.nope", "x", 1, err), -1);
	assert_int_equal(config_set(&o, "mmdb", "/x.mmdb", 1, err), 0);
	assert_int_equal(o.nmmdb, 1);
	assert_int_equal(config_set(&o, "prefixes", "/x.txt", 1, err), 0);
	/* A resolver on the given address starts without touching the net. */
	d = dns_new_o(&o, err);
	assert_non_null(d);
	assert_int_equal(dns_outstanding(d), 0);
	assert_int_equal(dns_timeout_ms(d), -1);
	dns_free(d);
	assert_int_equal(config_set(&o, "dns.server", "not an address", 1, err),
	    0);
	assert_null(dns_new_o(&o, err));
	assert_non_null(strstr(err, "dns.server"));
}

/* The dns.server value is quoted when c-ares refuses it (issue 19): no
 * escape sequence or C1 control reaches the terminal through it. */
static void
test_hostile_server(void **state)
{
	struct options o;
	char err[ERRBUF_SIZE];

	(void)state;
	config_defaults(&o);
	assert_int_equal(config_set(&o, "dns.server",
	    "\x1b[2J\xc2\x9b" "2J\x9b", 1, err), 0);
	assert_null(dns_new_o(&o, err));
	assert_non_null(strstr(err, "dns.server '?[2J?2J\xef\xbf\xbd'"));
	assert_no_controls(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_asname),
		cmocka_unit_test(test_abuse),
		cmocka_unit_test(test_abuse_not_mailable),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_answer_ttl),
		cmocka_unit_test(test_qname),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_hostile_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
