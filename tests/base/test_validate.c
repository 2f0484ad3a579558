/*
 * test_validate.c -- the shared field checks of src/base/validate.c at their
 * boundaries: lengths one under, at and over each limit, the edges of each
 * character class, the flags that make the DNS checks differ from the
 * contact file's, and the TLP 2.0 labels in their exact and lenient forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/validate.h"

static int
email(const char *s, unsigned flags)
{
	return validate_email(s, strlen(s), flags);
}

static int
domain(const char *s, unsigned flags)
{
	return validate_domain(s, strlen(s), flags);
}

/* "x...x@" + domain: a local part of llen bytes, then domain. */
static void
make_address(char *buf, size_t llen, const char *dom)
{
	memset(buf, 'x', llen);
	buf[llen] = '@';
	strcpy(buf + llen + 1, dom);
}

/* A domain of exactly n bytes (n >= 6): labels of at most 63 'a's, then
 * ".net". */
static void
make_domain(char *buf, size_t n)
{
	size_t o = 0;

	while (n - o > 4) {
		size_t room = n - o - 4, lab = room > 63 ? 63 : room;

		if (room - lab == 1)
			lab--;		/* leave no empty label behind */
		memset(buf + o, 'a', lab);
		o += lab;
		buf[o++] = '.';
	}
	strcpy(buf + o, "net");
}

static void
test_email(void **state)
{
	char buf[400], dom[300];

	(void)state;
	assert_true(email("abuse@example.net", 0));
	assert_true(email("sec+ir.team@example.org", 0));
	assert_true(email("!#$%&'*+-/=?^_`{|}~@example.net", 0));
	assert_false(email("@example.net", 0));
	assert_false(email("abuse@", 0));
	assert_false(email("abuse", 0));
	assert_false(email(".a@example.net", 0));
	assert_false(email("a.@example.net", 0));
	assert_false(email("a..b@example.net", 0));
	assert_false(email("a b@example.net", 0));
	assert_false(email("a@b@example.net", 0));
	assert_false(email("a@localhost", 0));
	assert_false(email("a@192.0.2.1", 0));		/* numeric top label */
	assert_false(email("a@ex_ample.net", 0));	/* '_' is not LDH */
	assert_false(email("a@example.net.", 0));
	/* UTF-8 (RFC 6531) only with the flag. */
	assert_true(email("担当@例え.jp", VALIDATE_UTF8));
	assert_false(email("担当@例え.jp", 0));
	assert_false(email("a@例え.jp", 0));
	/* Local part: 64 bytes at most. */
	make_address(buf, 64, "example.net");
	assert_true(email(buf, 0));
	make_address(buf, 65, "example.net");
	assert_false(email(buf, 0));
	/* 254 bytes in all at most (RFC 5321 4.5.3.1.3). */
	make_domain(dom, 189);
	assert_int_equal(strlen(dom), 189);
	make_address(buf, 64, dom);
	assert_int_equal(strlen(buf), 254);
	assert_true(email(buf, VALIDATE_UTF8));
	make_domain(dom, 190);
	make_address(buf, 64, dom);
	assert_int_equal(strlen(buf), 255);
	assert_true(domain(dom, 0));
	assert_false(email(buf, VALIDATE_UTF8));
	/* n bounds the read: no NUL needed, the rest is not looked at. */
	assert_true(validate_email("a@example.netXYZ", 13, 0));
	assert_false(validate_email("a@example.n\0et", 14, 0));
}

static void
test_domain(void **state)
{
	char buf[300], lab[70];

	(void)state;
	assert_true(domain("example.net", 0));
	assert_true(domain("a-b.example.net", 0));
	assert_true(domain("xn--r8jz45g.jp", 0));
	assert_true(domain("1.example.net", 0));
	assert_false(domain("net", 0));
	assert_false(domain("example.123", 0));
	assert_false(domain("-a.example.net", 0));
	assert_false(domain("a-.example.net", 0));
	assert_false(domain("a..example.net", 0));
	assert_false(domain(".example.net", 0));
	assert_false(domain("", 0));
	assert_true(domain("例え.jp", VALIDATE_UTF8));
	assert_false(domain("例え.jp", 0));
	/* Labels: 63 bytes at most. */
	memset(lab, 'a', 63);
	strcpy(lab + 63, ".net");
	assert_true(domain(lab, 0));
	memset(lab, 'a', 64);
	strcpy(lab + 64, ".net");
	assert_false(domain(lab, 0));
	/* 253 bytes at most. */
	make_domain(buf, 253);
	assert_int_equal(strlen(buf), 253);
	assert_true(domain(buf, 0));
	make_domain(buf, 254);
	assert_int_equal(strlen(buf), 254);
	assert_false(domain(buf, 0));
}

static void
test_hostname(void **state)
{
	char buf[300];

	(void)state;
	/* Looser than a domain: what PTR answers hold. */
	assert_true(validate_hostname("localhost", 9));
	assert_true(validate_hostname("_dmarc.example.net", 18));
	assert_true(validate_hostname("host.example.net.", 17));
	assert_true(validate_hostname("1.2.3.4", 7));
	assert_false(validate_hostname("-a.net", 6));
	assert_false(validate_hostname("a-.net", 6));
	assert_false(validate_hostname("a..net", 6));
	assert_false(validate_hostname("..", 2));
	assert_false(validate_hostname("例え.jp", strlen("例え.jp")));
	make_domain(buf, 253);
	assert_true(validate_hostname(buf, 253));
	buf[253] = '.';
	assert_true(validate_hostname(buf, 254));	/* the dot is free */
	make_domain(buf, 254);
	assert_false(validate_hostname(buf, 254));
}

static void
test_country(void **state)
{
	(void)state;
	assert_true(validate_country("JP", 2));
	assert_true(validate_country("jp", 2));
	assert_true(validate_country("AD", 2));		/* first */
	assert_true(validate_country("ZW", 2));		/* last */
	assert_false(validate_country("UK", 2));	/* GB is */
	assert_false(validate_country("EU", 2));
	assert_false(validate_country("ZZ", 2));
	assert_false(validate_country("J", 1));
	assert_false(validate_country("JPN", 3));
	assert_false(validate_country("J1", 2));
	assert_false(validate_country("", 0));
	assert_true(validate_country("JPN", 2));	/* n bounds it */
	/* The shape only: what the RIRs' files hold. */
	assert_true(validate_country_letters("EU", 2));
	assert_true(validate_country_letters("ap", 2));
	assert_false(validate_country_letters("E1", 2));
	assert_false(validate_country_letters("E", 1));
	assert_false(validate_country_letters("\xc3\xa9", 2));
}

static void
test_langtag(void **state)
{
	static const char *const good[] = {
		"ja", "en", "pt-BR", "zh-Hant-TW", "es-419", "de-CH-1996",
		"sl-rozaj-biske", "en-a-bbb-x-a-ccc", "x-whatever", "zh-yue-HK",
		"sr-Latn-RS", "ast",
	};
	static const char *const bad[] = {
		"", "e", "english", "japanese", "ja-", "-ja", "ja--JP",
		"en-a", "en-x", "x-", "ja-JP-abcdefghi", "1a", "ja_JP",
		"zh-abc-def-ghi-jkl",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!validate_langtag(good[i]))
			fail_msg("refused %s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (validate_langtag(bad[i]))
			fail_msg("accepted %s", bad[i]);
}

static void
test_url(void **state)
{
	(void)state;
	assert_true(validate_url("https://www.example.net/", 1));
	assert_true(validate_url("http://example.net", 0));
	assert_true(validate_url("https://example.net./x?y#z", 0));
	assert_true(validate_url("http://192.0.2.1:8080/", 0));
	assert_true(validate_url("http://[2001:db8::1]:8080/x", 0));
	assert_true(validate_url("http://example.net:65535/", 0));
	assert_false(validate_url("http://example.net:123456/", 0));
	assert_false(validate_url("http://example.net:/", 0));
	assert_false(validate_url("http://example.net:8a/", 0));
	assert_false(validate_url("http://[192.0.2.1]/", 0));
	assert_false(validate_url("http://example.net/", 1));
	assert_false(validate_url("ftp://example.net/", 0));
	assert_false(validate_url("javascript:alert(1)", 0));
	assert_false(validate_url("https://exa mple.net/", 0));
	assert_false(validate_url("https://example.net/\x7f", 0));
	assert_false(validate_url("https://", 0));
	assert_false(validate_url("https://localhost/", 0));
}

static void
test_date_phone(void **state)
{
	(void)state;
	assert_true(validate_date("2024-02-29"));
	assert_true(validate_date("2000-02-29"));
	assert_false(validate_date("1900-02-29"));
	assert_false(validate_date("2023-02-29"));
	assert_true(validate_date("1900-01-01"));
	assert_false(validate_date("1899-12-31"));
	assert_true(validate_date("2024-12-31"));
	assert_false(validate_date("2024-13-01"));
	assert_false(validate_date("2024-00-10"));
	assert_false(validate_date("2024-04-31"));
	assert_false(validate_date("2024-4-30"));
	assert_false(validate_date("2024/04/30"));
	assert_false(validate_date("2024-04-30 "));

	assert_true(validate_phone("+81 3 1234 5678"));
	assert_true(validate_phone("+1 (555) 010-0100"));
	assert_true(validate_phone("+1234567"));		/* 7 digits */
	assert_false(validate_phone("+123456"));		/* 6 */
	assert_true(validate_phone("+123456789012345"));	/* 15 */
	assert_false(validate_phone("+1234567890123456"));	/* 16 */
	assert_false(validate_phone("03 1234 5678"));
	assert_false(validate_phone("+81 3 1234 5678 ext 9"));
}

static void
test_asn_pgp(void **state)
{
	uint32_t lo = 7, hi = 7;

	(void)state;
	assert_true(validate_asn("AS64496", &lo, &hi));
	assert_int_equal(lo, 64496);
	assert_int_equal(hi, 64496);
	assert_true(validate_asn("as64496-AS64511", &lo, &hi));
	assert_int_equal(lo, 64496);
	assert_int_equal(hi, 64511);
	assert_true(validate_asn("4294967295", &lo, &hi));
	assert_int_equal(lo, 4294967295u);
	assert_true(validate_asn("1", &lo, &hi));
	assert_false(validate_asn("0", &lo, &hi));
	assert_false(validate_asn("4294967296", &lo, &hi));
	assert_false(validate_asn("AS64511-AS64496", &lo, &hi));
	assert_false(validate_asn("AS", &lo, &hi));
	assert_false(validate_asn("AS64496-", &lo, &hi));
	assert_false(validate_asn("AS64496 ", &lo, &hi));
	assert_false(validate_asn("99999999999", &lo, &hi));

	assert_true(validate_pgp_fingerprint(
	    "0123 4567 89AB CDEF 0123  4567 89ab cdef 0123 4567"));
	assert_false(validate_pgp_fingerprint(
	    "0123 4567 89AB CDEF 0123  4567 89ab cdef 0123 456"));
	assert_false(validate_pgp_fingerprint(
	    "0123 4567 89AB CDEF 0123  4567 89ab cdef 0123 4567 8"));
	assert_true(validate_pgp_fingerprint(
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	assert_false(validate_pgp_fingerprint(
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"));
}

static void
test_tlp(void **state)
{
	size_t i;

	(void)state;
	/* The one list: the five TLP 2.0 labels, least restricted first. */
	assert_string_equal(tlp_labels[0], "TLP:CLEAR");
	assert_string_equal(tlp_labels[TLP_NLABELS - 1], "TLP:RED");
	for (i = 0; i < TLP_NLABELS; i++) {
		assert_true(validate_tlp(tlp_labels[i]));
		assert_true(validate_tlp_lead(tlp_labels[i]));
	}
	assert_true(validate_tlp("TLP:AMBER+STRICT"));
	/* Exact: what journals and reports store. */
	assert_false(validate_tlp("TLP:WHITE"));
	assert_false(validate_tlp("tlp:amber"));
	assert_false(validate_tlp("AMBER"));
	assert_false(validate_tlp("TLP:AMBER "));
	assert_false(validate_tlp("TLP:AMBER+"));
	assert_false(validate_tlp(""));
	/* Lenient: a contact's field, label then free text. */
	assert_true(validate_tlp_lead("TLP:WHITE"));
	assert_true(validate_tlp_lead("white"));
	assert_true(validate_tlp_lead("tlp:amber+strict"));
	assert_true(validate_tlp_lead("AMBER; share with peers"));
	assert_true(validate_tlp_lead("TLP:GREEN, community"));
	assert_true(validate_tlp_lead("TLP:RED\nby phone only"));
	assert_true(validate_tlp_lead("TLP:CLEAR public"));
	assert_false(validate_tlp_lead("TLP:AMBERX"));
	assert_false(validate_tlp_lead("TLP:AMBER+"));
	assert_false(validate_tlp_lead("TLP:AMBER+STRICTER"));
	assert_false(validate_tlp_lead("TLP: AMBER"));
	assert_false(validate_tlp_lead("PURPLE"));
	assert_false(validate_tlp_lead("TLP:"));
	assert_false(validate_tlp_lead(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_country),
		cmocka_unit_test(test_langtag),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_date_phone),
		cmocka_unit_test(test_asn_pgp),
		cmocka_unit_test(test_tlp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
