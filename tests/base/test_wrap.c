/*
 * test_wrap.c -- the one line wrapper: Japanese, mixed widths, long words,
 * kinsoku characters at line starts and ends, zero-width characters, and
 * the counting contract (like snprintf).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/util.h"
#include "base/wrap.h"

/* Wrap s in cols and join the lines with '|'. */
static const char *
lines(const char *s, size_t cols)
{
	static char buf[1024];
	struct wrap_span sp[64];
	size_t n, i, o = 0;

	n = wrap_text(s, cols, sp, 64);
	assert_true(n <= 64);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%.*s",
		    i ? "|" : "", (int)sp[i].len, s + sp[i].off);
		/* no line is wider than cols unless one character is */
		assert_true(utf8_width(s + sp[i].off, sp[i].len) <= cols ||
		    utf8_decode(s + sp[i].off, sp[i].len, &(uint32_t){0}) ==
		    sp[i].len);
	}
	return buf;
}

static void
test_ascii(void **state)
{
	(void)state;
	assert_int_equal(wrap_text("", 10, NULL, 0), 0);
	assert_string_equal(lines("short", 10), "short");
	assert_string_equal(lines("the quick brown fox jumps", 10),
	    "the quick|brown fox|jumps");
	/* spaces: kept at the start of the text, dropped at line ends and
	 * at the start of later lines */
	assert_string_equal(lines("  indented text here", 10),
	    "  indented|text here");
	assert_string_equal(lines("a    b", 3), "a|b");
	assert_string_equal(lines("   ", 10), "");
	/* a word ending exactly at the edge moves down (report layout) */
	assert_string_equal(lines("aaa bbb ccc", 7), "aaa|bbb ccc");
	assert_string_equal(lines("aaa bbb", 7), "aaa bbb");
}

static void
test_long_words(void **state)
{
	(void)state;
	assert_string_equal(lines("abcdefghij", 4), "abcd|efgh|ij");
	assert_string_equal(lines("see https://example.net/a/b/c now", 8),
	    "see|https://|example.|net/a/b/|c now");
	/* a wide character in one column: alone on its line, no loop */
	assert_string_equal(lines("東京", 1), "東|京");
	assert_int_equal(wrap_text("abc", 0, NULL, 0), 3);
}

static void
test_japanese(void **state)
{
	(void)state;
	/* no spaces: break between wide characters */
	assert_string_equal(lines("東京都千代田区大手町", 8),
	    "東京都千|代田区大|手町");
	/* mixed widths: ASCII words and kanji on one line */
	assert_string_equal(lines("AS2497 IIJ 東京 大阪", 12),
	    "AS2497 IIJ|東京 大阪");
	assert_string_equal(lines("攻撃元はAS64500です", 10),
	    "攻撃元は|AS64500で|す");
}

static void
test_kinsoku(void **state)
{
	(void)state;
	/* "。" may not start a line: the last kanji goes down with it */
	assert_string_equal(lines("東京大阪。名古屋", 8), "東京大|阪。名古|屋");
	/* "、" and the small kana "っ" and "ー" likewise */
	assert_string_equal(lines("あいう、えお", 6), "あい|う、え|お");
	assert_string_equal(lines("あいうっと", 6), "あい|うっと");
	assert_string_equal(lines("あいうーと", 6), "あい|うーと");
	/* "）" closes: never first on a line */
	assert_string_equal(lines("あいう）え", 6), "あい|う）え");
	/* "「" opens: never last on a line */
	assert_string_equal(lines("あい「うえ」", 6), "あい|「う|え」");
	/* no break allowed by both rules: the bracket rule gives way */
	assert_string_equal(lines("「あ。", 4), "「|あ。");
	/* ASCII closing punctuation after a wide character */
	assert_string_equal(lines("東京大阪,名古屋", 8), "東京大|阪,名古|屋");
}

static void
test_zero_width(void **state)
{
	(void)state;
	/* combining marks and joiners take no column */
	assert_string_equal(lines("e\xcc\x81" "e\xcc\x81" "e\xcc\x81 x", 5),
	    "e\xcc\x81" "e\xcc\x81" "e\xcc\x81 x");
	/* a voiced mark stays with its kana */
	assert_string_equal(lines("か\xe3\x82\x99" "き\xe3\x82\x99" "く", 4),
	    "か\xe3\x82\x99" "き\xe3\x82\x99|く");
	assert_string_equal(lines("かき\xe3\x82\x99" "く", 2),
	    "か|き\xe3\x82\x99|く");
	/* invalid bytes: one column each, never split further */
	assert_string_equal(lines("ab\xff\xfe" "cd", 3), "ab\xff|\xfe" "cd");
}

static void
test_count(void **state)
{
	struct wrap_span sp[2];

	(void)state;
	/* like snprintf: the count of all lines, only max stored */
	assert_int_equal(wrap_text("aa bb cc dd", 2, sp, 2), 4);
	assert_int_equal(sp[0].off, 0);
	assert_int_equal(sp[0].len, 2);
	assert_int_equal(sp[1].off, 3);
	assert_int_equal(sp[1].len, 2);
	assert_int_equal(wrap_text("aa bb cc dd", 2, NULL, 0), 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_long_words),
		cmocka_unit_test(test_japanese),
		cmocka_unit_test(test_kinsoku),
		cmocka_unit_test(test_zero_width),
		cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
