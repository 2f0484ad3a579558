/*
 * test_rdap.c -- the RDAP parsers of src/enrich/rdap.c on their own
 * (RFC 9083 domain and ip network objects, jCard, RFC 9224 bootstrap),
 * and the URL/PSL/defang helpers of src/enrich/target.c. (Real HTTP and
 * DNS: tests/e2e/rdap.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/defang.h"
#include "base/util.h"
#include "enrich/rdap.h"
#include "enrich/target.h"

#define S(x) (const uint8_t *)(x), strlen(x)

/* Shaped like RFC 9083 section 5.3's example and ICANN's gTLD profile. */
static const char domain_json[] =
    "{\"objectClassName\":\"domain\",\"ldhName\":\"XN--FO-5JA.EXAMPLE\","
    "\"events\":[{\"eventAction\":\"last changed\",\"eventDate\":"
    "\"1991-12-31T23:59:59Z\"},{\"eventAction\":\"registration\","
    "\"eventDate\":\"1990-12-31T23:59:59Z\"}],"
    "\"nameservers\":[{\"ldhName\":\"ns1.example.com\"},"
    "{\"ldhName\":\"NS2.EXAMPLE.COM.\"},{\"ldhName\":\"bad name\"}],"
    "\"entities\":[{\"roles\":[\"registrant\"],\"vcardArray\":[\"vcard\","
    "[[\"fn\",{},\"text\",\"Joe User\"],[\"email\",{},\"text\","
    "\"joe@example.com\"]]]},"
    "{\"roles\":[\"registrar\"],\"publicIds\":[{\"type\":"
    "\"IANA Registrar ID\",\"identifier\":\"1\"}],\"vcardArray\":[\"vcard\","
    "[[\"version\",{},\"text\",\"4.0\"],[\"fn\",{},\"text\","
    "\"Example Registrar\"]]],\"entities\":[{\"roles\":[\"abuse\"],"
    "\"vcardArray\":[\"vcard\",[[\"fn\",{},\"text\",\"Abuse\"],"
    "[\"tel\",{\"type\":[\"fax\"]},\"uri\",\"tel:+1.5550000000\"],"
    "[\"tel\",{\"type\":[\"voice\",\"work\"]},\"uri\","
    "\"tel:+1.7035555555;ext=123\"],"
    "[\"email\",{},\"text\",\"abuse@registrar.example\"]]]}]}]}";

static void
test_domain(void **state)
{
	struct rdap_domain d;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(rdap_parse_domain(S(domain_json), &d), 0);
	assert_int_equal(d.m.status, RDAP_OK);
	assert_string_equal(d.name, "xn--fo-5ja.example");
	assert_string_equal(d.registrar, "Example Registrar");
	assert_string_equal(d.registrar_id, "1");
	assert_string_equal(d.abuse_email, "abuse@registrar.example");
	assert_string_equal(d.abuse_phone, "+1.7035555555");
	assert_string_equal(d.created, "1990-12-31T23:59:59Z");
	assert_int_equal(d.nns, 2);
	assert_string_equal(d.ns[1], "ns2.example.com");
	assert_int_equal(d.m.cut, 1);	/* "bad name" */
}

static void
test_hostile(void **state)
{
	struct rdap_domain d;
	char *big;
	size_t i, o;

	(void)state;
	memset(&d, 0, sizeof(d));
	/* A NUL inside a string: jansson refuses the answer. */
	assert_int_equal(rdap_parse_domain(S("{\"ldhName\":\"a\\u0000b\"}"),
	    &d), -1);
	/* Escape sequences inside strings. */
	assert_int_equal(rdap_parse_domain(S("{\"entities\":[{\"roles\":"
	    "[\"registrar\"],\"vcardArray\":[\"vcard\",[[\"fn\",{},\"text\","
	    "\"A\\u001b]0;x\\u0007BC\"],[\"email\",{},\"text\","
	    "\"a\\u001b@b.example\"]]]}]}"), &d), 0);
	assert_null(strchr(d.registrar, '\033'));
	assert_null(strchr(d.registrar, '\a'));
	assert_int_equal(d.abuse_email[0], '\0');
	/* Wrong object class, not JSON, duplicate keys, wrong types. */
	assert_int_equal(rdap_parse_domain(S("{\"objectClassName\":"
	    "\"ip network\"}"), &d), -1);
	assert_int_equal(d.m.status, RDAP_BAD);
	assert_int_equal(rdap_parse_domain(S("<html>"), &d), -1);
	assert_int_equal(rdap_parse_domain(S("{\"a\":1,\"a\":2}"), &d), -1);
	assert_int_equal(rdap_parse_domain(S("{\"ldhName\":7,\"entities\":"
	    "{},\"nameservers\":\"x\",\"events\":[1,2]}"), &d), 0);
	/* 100000 levels of nesting: refused, no stack overflow. */
	big = xmalloc(200001);
	for (i = 0, o = 0; i < 100000; i++)
		big[o++] = '[';
	for (i = 0; i < 100000; i++)
		big[o++] = ']';
	assert_int_equal(rdap_parse_domain((const uint8_t *)big, o, &d), -1);
	free(big);
	/* Entities nested past RDAP_MAX_DEPTH are not searched. */
	assert_int_equal(rdap_parse_domain(S("{\"entities\":[{\"entities\":"
	    "[{\"entities\":[{\"entities\":[{\"entities\":[{\"roles\":"
	    "[\"abuse\"],\"vcardArray\":[\"vcard\",[[\"email\",{},\"text\","
	    "\"deep@x.example\"]]]}]}]}]}]}]}"), &d), 0);
	assert_string_equal(d.abuse_email, "");
}

static void
test_ip(void **state)
{
	struct rdap_ip r;
	char a[ADDR_STRLEN];

	(void)state;
	memset(&r, 0, sizeof(r));
	/* RIPE-like: the abuse entity at the top level. */
	assert_int_equal(rdap_parse_ip(S("{\"objectClassName\":\"ip network\","
	    "\"handle\":\"192.0.2.0 - 192.0.2.255\",\"startAddress\":"
	    "\"192.0.2.0\",\"endAddress\":\"192.0.2.255\",\"name\":"
	    "\"EXAMPLE-NET\",\"country\":\"de\",\"entities\":[{\"roles\":"
	    "[\"abuse\"],\"vcardArray\":[\"vcard\",[[\"fn\",{},\"text\","
	    "\"Abuse\"],[\"email\",{},\"text\",\"abuse@net.example\"]]]}]}"),
	    &r), 0);
	assert_string_equal(r.country, "DE");
	assert_string_equal(r.abuse_email, "abuse@net.example");
	assert_string_equal(addr_format(&r.end, a, sizeof(a)), "192.0.2.255");
	/* A backwards range is dropped. */
	assert_int_equal(rdap_parse_ip(S("{\"startAddress\":\"192.0.2.9\","
	    "\"endAddress\":\"192.0.2.1\",\"country\":\"XYZ\"}"), &r), 0);
	assert_int_equal(r.start.family, 0);
	assert_string_equal(r.country, "");
}

static void
test_bootstrap(void **state)
{
	const char *b = "{\"services\":[[[\"jp\"],[\"http://a.example/\","
	    "\"https://b.example/rdap/\"]],[[\"co.jp\"],"
	    "[\"https://c.example/\"]],[[\"org\"],[\"ftp://x/\"]]]}";
	char url[128];

	(void)state;
	assert_int_equal(rdap_bootstrap_dns(S(b), "bank.co.jp", url,
	    sizeof(url)), 0);
	assert_string_equal(url, "https://c.example/");
	assert_int_equal(rdap_bootstrap_dns(S(b), "bank.ne.jp", url,
	    sizeof(url)), 0);
	assert_string_equal(url, "https://b.example/rdap/");
	assert_int_equal(rdap_bootstrap_dns(S(b), "notjp", url,
	    sizeof(url)), -1);
	assert_int_equal(rdap_bootstrap_dns(S(b), "x.org", url,
	    sizeof(url)), -1);
}

static void
test_target(void **state)
{
	struct target t;
	struct target_psl *p;
	char err[ERRBUF_SIZE], buf[256];

	(void)state;
	assert_int_equal(target_parse("HTTPS://a@b@Login.Example.CO.UK:8443/"
	    "x.y", &t, err), 0);
	assert_string_equal(t.host, "login.example.co.uk");
	assert_int_equal(t.port, 8443);
	assert_int_equal(target_parse("http://[2001:db8::1]:80/", &t, err), 0);
	assert_true(t.is_addr);
	assert_int_equal(target_parse("hxxps://a[.]example/", &t, err), 0);
	assert_string_equal(t.host, "a.example");
	assert_int_equal(target_parse("https://a.example:99999/", &t, err), -1);
	assert_int_equal(target_parse("https://%61.example/", &t, err), -1);
	assert_int_equal(target_parse("https://\xe3\x83\xad.example/", &t,
	    err), -1);
	assert_non_null(strstr(err, "xn--"));
	assert_string_equal(defang("https://a.b.example/c.html", buf,
	    sizeof(buf)), "hxxps://a[.]b[.]example/c.html");
	if ((p = target_psl_open(err)) == NULL)
		fail_msg("%s", err);
	assert_int_equal(target_parse("www.bank.example.co.uk", &t, err), 0);
	assert_int_equal(target_psl_regdom(p, &t), 0);
	assert_string_equal(t.regdom, "example.co.uk");
	assert_int_equal(target_parse("co.uk", &t, err), 0);
	assert_int_equal(target_psl_regdom(p, &t), -1);
	target_psl_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_ip),
		cmocka_unit_test(test_bootstrap),
		cmocka_unit_test(test_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
