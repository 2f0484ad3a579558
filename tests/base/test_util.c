/*
 * test_util.c -- safe text, UTF-8, widths, RFC 3339, numbers, addresses,
 * the JSON writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <locale.h>
#include <cmocka.h>

#include "base/addr.h"
#include "base/jsonw.h"
#include "base/util.h"

static void
test_sanitize(void **state)
{
	char out[64];
	size_t n;

	(void)state;
	n = text_sanitize(out, sizeof(out), "ok\x1b[31mred\x07", 11);
	assert_string_equal(out, "ok?[31mred?");
	assert_int_equal(n, strlen(out));
	/* C1 controls (U+009B is a CSI on some terminals) and DEL */
	text_sanitize(out, sizeof(out), "a\xc2\x9b" "b\x7f", 5);
	assert_string_equal(out, "a?b?");
	/* invalid UTF-8 becomes U+FFFD, valid Japanese passes */
	text_sanitize(out, sizeof(out), "\xff東京", 7);
	assert_string_equal(out, "\xef\xbf\xbd東京");
	/* bidi override (U+202E) */
	text_sanitize(out, sizeof(out), "x\xe2\x80\xaey", 5);
	assert_string_equal(out, "x?y");
	/* cut at a character boundary */
	text_sanitize(out, 5, "東京", 6);
	assert_string_equal(out, "東");
	/* an overlong encoding of '/' is invalid */
	text_sanitize(out, sizeof(out), "\xc0\xaf", 2);
	assert_string_equal(out, "\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_utf8(void **state)
{
	uint32_t cp;
	size_t bad;

	(void)state;
	assert_int_equal(utf8_decode("\xe6\x9d\xb1", 3, &cp), 3);
	assert_int_equal(cp, 0x6771);
	assert_int_equal(utf8_decode("\xe6\x9d", 2, &cp), 0);	/* truncated */
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);	/* surrogate */
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);	/* > 10FFFF */
	assert_true(utf8_valid("abc東京", 9, NULL));
	assert_false(utf8_valid("ab\xfe", 3, &bad));
	assert_int_equal(bad, 2);
	assert_int_equal(utf8_width("abc", 3), 3);
	assert_int_equal(utf8_width("東京", 6), 4);
	assert_int_equal(utf8_width("ｶﾅ", 6), 2);	/* halfwidth katakana */
	assert_int_equal(utf8_width("한국", 6), 4);
	assert_int_equal(utf8_width("e\xcc\x81", 3), 1);	/* combining acute */
	assert_int_equal(utf8_cpwidth(0x1f600), 2);	/* emoji */
	{
		char line[16] = "ab東";

		utf8_backspace(line);
		assert_string_equal(line, "ab");
		utf8_backspace(line);
		utf8_backspace(line);
		utf8_backspace(line);
		assert_string_equal(line, "");
	}
}

/* Widths of whole strings: each code point's width summed, as curses
 * places them (a ZWJ emoji sequence is its parts, not one glyph). */
static void
test_width_scripts(void **state)
{
	(void)state;
	/* combining marks, also those the old 15-range table missed */
	assert_int_equal(utf8_width("e\xcc\x81", 3), 1);	/* U+0301 */
	assert_int_equal(utf8_cpwidth(0x093c), 0);	/* Devanagari nukta */
	assert_int_equal(utf8_cpwidth(0x0e31), 0);	/* Thai mai han-akat */
	assert_int_equal(utf8_cpwidth(0x2060), 0);	/* word joiner */
	assert_int_equal(utf8_cpwidth(0xe0020), 0);	/* tag space */
	assert_int_equal(utf8_cpwidth(0xe0101), 0);	/* VS18 */
	/* spacing marks advance the cursor: 1, as wcwidth(3) says */
	assert_int_equal(utf8_cpwidth(0x093e), 1);	/* DEVANAGARI AA */
	/* "का" = KA + vowel sign AA */
	assert_int_equal(utf8_width("\xe0\xa4\x95\xe0\xa4\xbe", 6), 2);
	/* CJK, kana with a combining voiced mark, the ideographic space */
	assert_int_equal(utf8_width("漢字かな", 12), 8);
	assert_int_equal(utf8_width("か\xe3\x82\x99", 6), 2);	/* U+3099 */
	assert_int_equal(utf8_cpwidth(0x3000), 2);
	assert_int_equal(utf8_cpwidth(0x20000), 2);	/* CJK ext. B */
	/* fullwidth and halfwidth forms */
	assert_int_equal(utf8_width("ＡＢ１", 9), 6);
	assert_int_equal(utf8_width("ｶﾅ", 6), 2);
	assert_int_equal(utf8_cpwidth(0xffe5), 2);	/* fullwidth yen */
	/* emoji: wide; Unicode 15 additions too (the old table said 1) */
	assert_int_equal(utf8_cpwidth(0x1f600), 2);
	assert_int_equal(utf8_cpwidth(0x1f6dc), 2);	/* wireless, U15 */
	assert_int_equal(utf8_cpwidth(0x1fa77), 2);	/* pink heart, U15 */
	assert_int_equal(utf8_cpwidth(0x1f3fb), 2);	/* skin tone */
	/* "❤️" heart + VS16: 1 + 0 */
	assert_int_equal(utf8_width("\xe2\x9d\xa4\xef\xb8\x8f", 6), 1);
	/* ZWJ sequence "👩‍💻" = woman + ZWJ + laptop: 2 + 0 + 2 */
	assert_int_equal(utf8_width("\xf0\x9f\x91\xa9\xe2\x80\x8d"
	    "\xf0\x9f\x92\xbb", 11), 4);
	/* Hangul: syllables and compatibility jamo wide, leading jamo wide,
	 * conjoining vowels and finals 1 (see test_width_vs_wcwidth) */
	assert_int_equal(utf8_width("한국", 6), 4);
	assert_int_equal(utf8_cpwidth(0x3131), 2);	/* compatibility ㄱ */
	assert_int_equal(utf8_cpwidth(0x1100), 2);	/* choseong kiyeok */
	assert_int_equal(utf8_cpwidth(0xa960), 2);	/* choseong ext-A */
	assert_int_equal(utf8_cpwidth(0x1161), 1);	/* jungseong a */
	assert_int_equal(utf8_cpwidth(0x11a8), 1);	/* jongseong kiyeok */
	/* controls 0; an invalid byte counts as one column */
	assert_int_equal(utf8_cpwidth(0x07), 0);
	assert_int_equal(utf8_cpwidth(0x85), 0);
	assert_int_equal(utf8_width("a\xff" "b", 3), 3);
	assert_int_equal(utf8_cpwidth(0x110000), 1);
}

/* Code points of the BMP where utf8proc (Unicode 15.0) and glibc's
 * wcwidth(3) disagree on purpose, each range with its reason. */
static const struct {
	uint32_t lo, hi;
	int ours;
} width_diff[] = {
	/* Arabic and Syriac prepended concatenation marks (Cf): they join
	 * the digits that follow; utf8proc 0, glibc 1. */
	{ 0x0600, 0x0605, 0 }, { 0x06dd, 0x06dd, 0 }, { 0x070f, 0x070f, 0 },
	{ 0x0890, 0x0891, 0 }, { 0x08e2, 0x08e2, 0 },
	/* Hangul conjoining jungseong and jongseong: glibc 0 (they fold into
	 * the syllable when a font composes them), utf8proc and the old table
	 * 1 (East Asian Width N). */
	{ 0x1160, 0x11ff, 1 }, { 0xd7b0, 0xd7c6, 1 }, { 0xd7cb, 0xd7fb, 1 },
	/* Circled numbers on black squares: East Asian Width A (ambiguous),
	 * 1 in utf8proc, 2 in glibc. */
	{ 0x3248, 0x324f, 1 },
	/* Hangul tone marks: spacing marks (Mc) of East Asian Width W; glibc
	 * 2, ours 1 like every spacing mark (utf8proc would say 0). */
	{ 0x302e, 0x302f, 1 },
	/* Yijing hexagram symbols: East Asian Width N, glibc says 2. */
	{ 0x4dc0, 0x4dff, 1 },
};

static void
test_width_vs_wcwidth(void **state)
{
	uint32_t cp;
	size_t i, same = 0, listed = 0;

	(void)state;
	/* C.UTF-8 is built into glibc 2.35 and later: no locale files. */
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	for (cp = 0xa0; cp < 0x10000; cp++) {
		int wc = wcwidth((wchar_t)cp), ours = utf8_cpwidth(cp);

		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (wc < 0)	/* unassigned or non-printing for glibc */
			continue;
		for (i = 0; i < sizeof(width_diff) / sizeof(width_diff[0]); i++)
			if (cp >= width_diff[i].lo && cp <= width_diff[i].hi)
				break;
		if (i < sizeof(width_diff) / sizeof(width_diff[0])) {
			if (ours != width_diff[i].ours || wc == ours)
				fail_msg("U+%04X: listed difference, ours %d "
				    "glibc %d", (unsigned)cp, ours, wc);
			listed++;
			continue;
		}
		if (wc != ours)
			fail_msg("U+%04X: ours %d, wcwidth %d", (unsigned)cp,
			    ours, wc);
		same++;
	}
	assert_true(same > 50000);	/* the comparison ran */
	assert_true(listed > 0);
	setlocale(LC_CTYPE, "C");
}

static void
test_rfc3339(void **state)
{
	char buf[40];
	int64_t us;

	(void)state;
	assert_string_equal(time_rfc3339(buf, sizeof(buf), 0, 0),
	    "1970-01-01T00:00:00Z");
	assert_string_equal(time_rfc3339(buf, sizeof(buf), 1764115200123456LL, 1),
	    "2025-11-26T00:00:00.123456Z");
	assert_int_equal(time_parse_rfc3339("2025-11-26T09:00:00+09:00", &us), 0);
	assert_int_equal(us, 1764115200LL * 1000000);
	assert_int_equal(time_parse_rfc3339("2025-11-26T00:00:00.5Z", &us), 0);
	assert_int_equal(us, 1764115200LL * 1000000 + 500000);
	assert_int_equal(time_parse_rfc3339("2024-02-29T12:00:00Z", &us), 0);
	assert_int_equal(time_parse_rfc3339("2025-02-29T12:00:00Z", &us), -1);
	assert_int_equal(time_parse_rfc3339("2025-11-26 00:00:00", &us), -1);
	assert_int_equal(time_parse_rfc3339("2025-13-01T00:00:00Z", &us), -1);
	assert_int_equal(time_parse_rfc3339("1969-12-31T23:59:59Z", &us), 0);
	assert_int_equal(us, -1000000);
	assert_string_equal(time_rfc3339(buf, sizeof(buf), -1, 1),
	    "1969-12-31T23:59:59.999999Z");
}

static void
test_instant(void **state)
{
	int64_t t, before = (int64_t)time(NULL);

	(void)state;
	assert_int_equal(time_parse_instant("now", &t), 0);
	assert_true(t >= before && t <= (int64_t)time(NULL));
	assert_int_equal(time_parse_instant("@1764115200", &t), 0);
	assert_int_equal(t, 1764115200);
	assert_int_equal(time_parse_instant("@-1", &t), 0);
	assert_int_equal(t, -1);
	assert_int_equal(time_parse_instant("@1000000000000000", &t), 0);
	assert_int_equal(t, 1000000000000000LL);
	assert_int_equal(time_parse_instant("@-1000000000000000", &t), 0);
	/* Beyond the bound, overflowing, empty, trailing junk. */
	assert_int_equal(time_parse_instant("@1000000000000001", &t), -1);
	assert_int_equal(time_parse_instant("@-1000000000000001", &t), -1);
	assert_int_equal(time_parse_instant("@9223372036854775807", &t), -1);
	assert_int_equal(time_parse_instant("@99999999999999999999", &t), -1);
	assert_int_equal(time_parse_instant("@", &t), -1);
	assert_int_equal(time_parse_instant("@12x", &t), -1);
	assert_int_equal(time_parse_instant("", &t), -1);
	assert_int_equal(time_parse_instant("yesterday", &t), -1);
	/* RFC 3339, rounded down to whole seconds (also before 1970). */
	assert_int_equal(time_parse_instant("2025-11-26T09:00:00.9+09:00", &t), 0);
	assert_int_equal(t, 1764115200);
	assert_int_equal(time_parse_instant("1969-12-31T23:59:59.5Z", &t), 0);
	assert_int_equal(t, -1);
}

static void
test_numbers(void **state)
{
	uint64_t v;
	long l;

	(void)state;
	assert_int_equal(parse_u64_si("10G", &v), 0);
	assert_true(v == 10000000000ULL);
	assert_int_equal(parse_u64_si("1500k", &v), 0);
	assert_true(v == 1500000);
	assert_int_equal(parse_u64_si("-5", &v), -1);
	assert_int_equal(parse_u64_si("5x", &v), -1);
	assert_int_equal(parse_u64_si("99999999999999999999", &v), -1);
	assert_int_equal(parse_u64_si("20000000000T", &v), -1);
	assert_int_equal(parse_long("42", 0, 100, &l), 0);
	assert_int_equal(parse_long("101", 0, 100, &l), -1);
	assert_int_equal(parse_long("", 0, 100, &l), -1);
}

/* prefix_contains() and addr_eq() (64-bit words) against a bit-by-bit
 * reference: every prefix length of both families, addresses inside (the
 * prefix's bits kept, the rest random) and just outside (one of those bits
 * flipped, often the last). */
static int
ref_contains(const struct prefix *p, const struct addr *a)
{
	unsigned i;

	if (p->addr.family != a->family)
		return 0;
	for (i = 0; i < p->len; i++) {
		unsigned byte = i / 8, bit = 7 - i % 8;

		if (((p->addr.b[byte] >> bit) & 1) != ((a->b[byte] >> bit) & 1))
			return 0;
	}
	return 1;
}

static void
test_prefix_contains_words(void **state)
{
	uint64_t seed = 20261206;
	unsigned fam, len, k, i;

	(void)state;
	for (fam = 4; fam <= 6; fam += 2) {
		unsigned bytes = fam == 4 ? 4 : 16, max = bytes * 8;

		for (len = 0; len <= max; len++) {
			for (k = 0; k < 200; k++) {
				struct prefix p;
				struct addr a, b;

				memset(&p, 0, sizeof(p));
				memset(&a, 0, sizeof(a));
				p.addr.family = a.family = (uint8_t)fam;
				p.len = (uint8_t)len;
				for (i = 0; i < bytes; i++) {
					p.addr.b[i] = (uint8_t)splitmix64(&seed);
					a.b[i] = (uint8_t)splitmix64(&seed);
				}
				/* host bits cleared, as prefix_parse leaves them */
				for (i = len; i < max; i++)
					p.addr.b[i / 8] &= (uint8_t)~(1u << (7 - i % 8));
				/* k even: inside (the prefix's bits kept); k % 4
				 * == 1: outside by the last prefix bit; k % 4 ==
				 * 3: by a random one of them */
				for (i = 0; i < len; i++) {
					uint8_t m = (uint8_t)(1u << (7 - i % 8));

					a.b[i / 8] = (uint8_t)((a.b[i / 8] & ~m) |
					    (p.addr.b[i / 8] & m));
				}
				if (k % 2 == 1 && len > 0) {
					unsigned bit = k % 4 == 1 ? len - 1 :
					    (unsigned)(splitmix64(&seed) % len);

					a.b[bit / 8] ^= (uint8_t)(1u << (7 - bit % 8));
					assert_false(prefix_contains(&p, &a));
				}
				assert_int_equal(prefix_contains(&p, &a),
				    ref_contains(&p, &a));
				if (k % 2 == 0)
					assert_true(prefix_contains(&p, &a));
				b = a;
				assert_true(addr_eq(&a, &b));
				b.b[splitmix64(&seed) % bytes] ^=
				    (uint8_t)(1u << (splitmix64(&seed) % 8));
				assert_false(addr_eq(&a, &b));
				assert_int_equal(addr_eq(&a, &b),
				    addr_cmp(&a, &b) == 0);
				b = a;
				b.family = (uint8_t)(fam == 4 ? 6 : 4);
				assert_false(addr_eq(&a, &b));
				assert_false(prefix_contains(&p, &b));
			}
		}
	}
}

/* xgrow(): the first capacity, doubling when full, untouched when not. */
static void
test_xgrow(void **state)
{
	size_t n, cap = 0;
	int *v = NULL, *before;

	(void)state;
	for (n = 0; n < 100; n++) {
		v = xgrow(v, n, &cap, 8, sizeof(*v));
		assert_true(cap > n);
		v[n] = (int)n;
	}
	assert_int_equal(cap, 128);	/* 8, 16, 32, 64, 128 */
	for (n = 0; n < 100; n++)
		assert_int_equal(v[n], (int)n);
	before = v;
	v = xgrow(v, 100, &cap, 8, sizeof(*v));
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 128);
	free(v);
}

static void
test_addr(void **state)
{
	struct addr a, b;
	struct prefix p;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse("203.0.113.7", &a), 0);
	assert_int_equal(a.family, 4);
	assert_int_equal(addr_v4(&a), 0xcb007107u);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "203.0.113.7");
	assert_int_equal(addr_parse("2001:db8::1", &b), 0);
	assert_int_equal(b.family, 6);
	assert_true(addr_cmp(&a, &b) < 0);
	assert_int_equal(addr_parse("256.0.0.1", &a), -1);
	assert_int_equal(addr_parse("2001:db8:::1", &a), -1);
	assert_int_equal(prefix_parse("203.0.113.77/24", &p), 0);
	assert_string_equal(prefix_format(&p, buf, sizeof(buf)), "203.0.113.0/24");
	addr_parse("203.0.113.255", &a);
	assert_true(prefix_contains(&p, &a));
	addr_parse("203.0.114.0", &a);
	assert_false(prefix_contains(&p, &a));
	assert_int_equal(prefix_parse("2001:db8:100::/44", &p), 0);
	addr_parse("2001:db8:10f:ffff::1", &a);
	assert_true(prefix_contains(&p, &a));
	addr_parse("2001:db8:110::1", &a);
	assert_false(prefix_contains(&p, &a));
	assert_int_equal(prefix_parse("10.0.0.0/33", &p), -1);
	assert_int_equal(prefix_parse("10.0.0.0/", &p), -1);
	assert_int_equal(prefix_parse("10.0.0.0/-1", &p), -1);
	assert_int_equal(prefix_parse("0.0.0.0/0", &p), 0);
	addr_parse("198.51.100.1", &a);
	assert_true(prefix_contains(&p, &a));
	addr_parse("192.0.2.1", &a);
	addr_parse("192.0.2.2", &b);
	assert_true(addr_hash(&a, 1) != addr_hash(&b, 1));
	assert_true(addr_hash(&a, 1) != addr_hash(&a, 2));
}

static void
test_jsonw(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jsonw w;

	(void)state;
	jsonw_init(&w, f, 0);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "s", "a\"b\\c\n\x01東");
	jsonw_ku64(&w, "n", 18446744073709551615ULL);
	jsonw_ki64(&w, "i", -5);
	jsonw_kdouble(&w, "d", 0.25);
	jsonw_key(&w, "a");
	jsonw_arr_open(&w);
	jsonw_bool(&w, 1);
	jsonw_null(&w);
	jsonw_arr_open(&w);
	jsonw_arr_close(&w);
	jsonw_arr_close(&w);
	jsonw_kstr(&w, "bad", "\xff");
	jsonw_obj_close(&w);
	jsonw_end(&w);
	fclose(f);
	assert_string_equal(buf, "{\"s\":\"a\\\"b\\\\c\\u000a\\u0001東\","
	    "\"n\":18446744073709551615,\"i\":-5,\"d\":0.250000,"
	    "\"a\":[true,null,[]],\"bad\":\"\\ufffd\"}\n");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_width_scripts),
		cmocka_unit_test(test_width_vs_wcwidth),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_instant),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_xgrow),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_prefix_contains_words),
		cmocka_unit_test(test_jsonw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
