/*
 * test_fmt.c -- numbers and column-exact text for the screens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/fmt.h"
#include "base/util.h"

static void
test_si(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(fmt_si(b, sizeof(b), 0), "0");
	assert_string_equal(fmt_si(b, sizeof(b), 999), "999");
	assert_string_equal(fmt_si(b, sizeof(b), 1000), "1.00k");
	assert_string_equal(fmt_si(b, sizeof(b), 1234), "1.23k");
	assert_string_equal(fmt_si(b, sizeof(b), 12345), "12.3k");
	assert_string_equal(fmt_si(b, sizeof(b), 123456), "123k");
	assert_string_equal(fmt_si(b, sizeof(b), 999600), "1.00M");
	assert_string_equal(fmt_si(b, sizeof(b), 10000000000ULL), "10.0G");
	fmt_si(b, sizeof(b), UINT64_MAX);
	assert_true(strlen(b) <= 5);
	assert_int_equal(b[strlen(b) - 1], 'E');
}

static void
test_bps(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(fmt_bps(b, sizeof(b), 0), "0 b/s");
	assert_string_equal(fmt_bps(b, sizeof(b), 630000000), "630 Mb/s");
	assert_string_equal(fmt_bps(b, sizeof(b), 1000000000), "1.00 Gb/s");
	/* a short buffer is cut, never overrun */
	assert_string_equal(fmt_bps(b, 4, 630000000), "630");
}

/* The style drafts and reports use: one decimal truncated, never rounded
 * up (1899999 pps is "1.8 Mpps", not "1.9"), a space before the prefix. */
static void
test_si_trunc1(void **state)
{
	const int st = FMT_SI_TRUNC1 | FMT_SI_SPACE;
	char b[32];

	(void)state;
	assert_string_equal(fmt_si_unit(b, sizeof(b), 0, "pps", st), "0 pps");
	assert_string_equal(fmt_si_unit(b, sizeof(b), 999, "pps", st),
	    "999 pps");
	assert_string_equal(fmt_si_unit(b, sizeof(b), 1000, "pps", st),
	    "1.0 kpps");
	assert_string_equal(fmt_si_unit(b, sizeof(b), 1899999, "pps", st),
	    "1.8 Mpps");
	assert_string_equal(fmt_si_unit(b, sizeof(b), 999999, "bit/s", st),
	    "999.9 kbit/s");
	assert_string_equal(fmt_si_unit(b, sizeof(b), 8750000000000ULL, "B",
	    st), "8.7 TB");
	/* an empty unit keeps the space: the report's evidence table */
	assert_string_equal(fmt_si_unit(b, sizeof(b), 12, "", st), "12 ");
	assert_string_equal(fmt_si_unit(b, sizeof(b), 41234, "", st), "41.2 k");
	/* up to E, like the screens (the old copy stopped at P) */
	assert_string_equal(fmt_si_unit(b, sizeof(b), 1500000000000000ULL, "B",
	    st), "1.5 PB");
	assert_string_equal(fmt_si_unit(b, sizeof(b), UINT64_MAX, "B", st),
	    "18.4 EB");
	/* without the space; and the rounding style with a unit */
	assert_string_equal(fmt_si_unit(b, sizeof(b), 1899999, "",
	    FMT_SI_TRUNC1), "1.8M");
	assert_string_equal(fmt_si_unit(b, sizeof(b), 1899999, "pps",
	    FMT_SI_ROUND3 | FMT_SI_SPACE), "1.90 Mpps");
	/* a short buffer is cut, never overrun */
	assert_string_equal(fmt_si_unit(b, 5, 1899999, "pps", st), "1.8 ");
}

static void
test_pct(void **state)
{
	(void)state;
	assert_int_equal(fmt_pct(5, 0), 0);
	assert_int_equal(fmt_pct(71, 100), 71);
	assert_int_equal(fmt_pct(1000000001, 1000000000), 100);
	assert_int_equal(fmt_pct(50, 1), 999);
	assert_int_equal(fmt_pct(UINT64_MAX, 10), 999);
}

static void
test_fit_ascii(void **state)
{
	char b[64];

	(void)state;
	assert_int_equal(fmt_fit(b, sizeof(b), "peering-A", 4, 0), 4);
	assert_string_equal(b, "peer");
	assert_int_equal(fmt_fit(b, sizeof(b), "ab", 5, 1), 5);
	assert_string_equal(b, "ab   ");
	assert_int_equal(fmt_fit_right(b, sizeof(b), "42", 5), 5);
	assert_string_equal(b, "   42");
	/* dst too small: cut at the buffer, still terminated */
	fmt_fit(b, 3, "abcdef", 10, 1);
	assert_string_equal(b, "ab");
}

static void
test_fit_wide(void **state)
{
	char b[64];
	/* 攻撃元 = three wide characters, six columns */
	const char *s = "\xe6\x94\xbb\xe6\x92\x83\xe5\x85\x83";

	(void)state;
	assert_int_equal(utf8_width(s, strlen(s)), 6);
	assert_int_equal(fmt_fit(b, sizeof(b), s, 5, 0), 4);
	assert_int_equal(strlen(b), 6);		/* two characters, not 1.5 */
	assert_int_equal(fmt_fit(b, sizeof(b), s, 5, 1), 5);
	assert_int_equal(utf8_width(b, strlen(b)), 5);
	assert_int_equal(fmt_fit_right(b, sizeof(b), s, 8), 8);
	assert_memory_equal(b, "  \xe6\x94\xbb", 5);
	/* never split a character when the byte buffer runs out */
	fmt_fit(b, 5, s, 10, 0);
	assert_string_equal(b, "\xe6\x94\xbb");
	/* invalid bytes become '?' and count one column */
	assert_int_equal(fmt_fit(b, sizeof(b), "a\xff" "b", 10, 0), 3);
	assert_string_equal(b, "a?b");
}

static void
test_level(void **state)
{
	(void)state;
	assert_int_equal(fmt_level(0, 100, 8), 0);
	assert_int_equal(fmt_level(1, 1000000, 8), 1);
	assert_int_equal(fmt_level(100, 100, 8), 7);
	assert_int_equal(fmt_level(500, 100, 8), 7);
	assert_int_equal(fmt_level(50, 100, 8), 4);
	assert_int_equal(fmt_level(5, 0, 8), 0);
}

static void
test_match(void **state)
{
	uint64_t v[] = { 3, 9, 1 };

	(void)state;
	assert_true(fmt_match("203.0.113.10", "113.1"));
	assert_true(fmt_match("SYN flood", "syn"));
	assert_true(fmt_match("anything", ""));
	assert_true(fmt_match("anything", NULL));
	assert_false(fmt_match("udp", "udpx"));
	assert_false(fmt_match(NULL, "x"));
	assert_int_equal(fmt_max(v, 3), 9);
	assert_int_equal(fmt_max(v, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_si),
		cmocka_unit_test(test_bps),
		cmocka_unit_test(test_si_trunc1),
		cmocka_unit_test(test_pct),
		cmocka_unit_test(test_fit_ascii),
		cmocka_unit_test(test_fit_wide),
		cmocka_unit_test(test_level),
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
