/*
 * test_json.c -- the JSON parser (json.c) on valid, invalid and hostile
 * input: exact error offsets, limits, escapes and surrogates, numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/json.h"
#include "base/util.h"

static struct json *
parse(const char *s, size_t *off, char *errbuf)
{
	return json_parse(s, strlen(s), 0, off, errbuf);
}

/* Expect failure at exactly offset want. */
static void
bad(const char *s, size_t want)
{
	char errbuf[ERRBUF_SIZE];
	size_t off = 9999;
	struct json *j = parse(s, &off, errbuf);

	if (j != NULL || off != want)
		print_error("input %s: got %s offset %zu, want offset %zu (%s)\n",
		    s, j ? "success" : "failure", off, want, errbuf);
	assert_null(j);
	assert_int_equal(off, want);
}

static void
test_object(void **state)
{
	char errbuf[ERRBUF_SIZE];
	struct json *j;
	const struct json *a;

	(void)state;
	j = parse(" {\"seq\": 12, \"type\":\"note\", \"x\":[1,2.5,true,null],"
	    "\"o\":{}, \"f\": false} ", NULL, errbuf);
	assert_non_null(j);
	assert_int_equal(j->type, JSON_OBJECT);
	assert_int_equal(json_geti(j, "seq", -1), 12);
	assert_string_equal(json_gets(j, "type", ""), "note");
	assert_int_equal(json_geti(j, "type", -1), -1);	/* wrong type */
	assert_null(json_get(j, "missing"));
	a = json_get(j, "x");
	assert_int_equal(json_len(a), 4);
	assert_int_equal(json_at(a, 0)->i, 1);
	assert_true(json_at(a, 1)->d == 2.5);
	assert_int_equal(json_at(a, 1)->type, JSON_DOUBLE);
	assert_int_equal(json_at(a, 2)->b, 1);
	assert_int_equal(json_at(a, 3)->type, JSON_NULL);
	assert_null(json_at(a, 4));
	assert_int_equal(json_getb(j, "f", 1), 0);
	assert_int_equal(json_len(json_get(j, "o")), 0);
	json_free(j);
}

static void
test_numbers(void **state)
{
	char errbuf[ERRBUF_SIZE];
	struct json *j;

	(void)state;
	j = parse("[-9223372036854775808, 9223372036854775807, "
	    "9223372036854775808, -0, 0.5e-3, 1E2]", NULL, errbuf);
	assert_non_null(j);
	assert_true(json_at(j, 0)->i == INT64_MIN);
	assert_true(json_at(j, 1)->i == INT64_MAX);
	assert_int_equal(json_at(j, 2)->type, JSON_DOUBLE);
	assert_int_equal(json_at(j, 3)->type, JSON_INT);
	assert_true(json_at(j, 4)->d == 0.0005);
	assert_true(json_at(j, 5)->d == 100.0);
	json_free(j);
	bad("01", 1);
	bad("-", 1);
	bad("1.", 2);
	bad("1e", 2);
	bad("1e+", 3);
	bad("+1", 0);
	bad(".5", 0);
	bad("1e999", 0);
	bad("[1,]", 3);
	bad("NaN", 0);
}

static void
test_strings(void **state)
{
	char errbuf[ERRBUF_SIZE];
	struct json *j;

	(void)state;
	j = parse("\"\\ud83d\\ude00\\u65e5\\n\\u0000x\"", NULL, errbuf);
	assert_non_null(j);
	assert_int_equal(j->slen, 4 + 3 + 1 + 1 + 1);
	assert_memory_equal(j->s, "\xf0\x9f\x98\x80\xe6\x97\xa5\n\0x", 10);
	json_free(j);
	bad("\"\\ud800\"", 1);		/* lone high surrogate */
	bad("\"\\ud800\\u0041\"", 1);	/* high + non-low */
	bad("\"\\udc00\"", 1);		/* lone low surrogate */
	bad("\"ab\\x\"", 4);		/* bad escape */
	bad("\"ab\\u12g4\"", 7);	/* bad hex digit */
	bad("\"a\tb\"", 2);		/* raw control character */
	bad("\"abc", 4);		/* unterminated */
	bad("\"a\xc3\x28\"", 2);	/* invalid UTF-8 */
	bad("\"\xed\xa0\x80\"", 1);	/* UTF-8 encoded surrogate */
	bad("\"\xc0\xaf\"", 1);		/* overlong */
}

static void
test_structure(void **state)
{
	char errbuf[ERRBUF_SIZE];
	char deep[300];
	struct json *j;
	size_t off;

	(void)state;
	bad("", 0);
	bad("   ", 3);
	bad("{\"a\" 1}", 5);
	bad("{\"a\":1 \"b\":2}", 7);
	bad("{1:2}", 1);
	bad("{\"a\":1,\"a\":2}", 7);	/* duplicate key */
	bad("[1 2]", 3);
	bad("{} {}", 3);
	bad("tru", 3);
	bad("nul", 3);
	bad("\xef\xbb\xbf{}", 0);	/* a BOM is not JSON text */
	bad("{\"a\\u0000b\":1}", 1);
	/* Depth limit: 64 levels parse, 65 do not. */
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	j = parse(deep, NULL, errbuf);
	assert_non_null(j);
	json_free(j);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = '\0';
	bad(deep, 64);
	/* A custom depth. */
	assert_null(json_parse("[[1]]", 5, 1, &off, errbuf));
	assert_int_equal(off, 1);
	/* Bounded: a buffer is not read past len. */
	j = json_parse("[1]xxxx", 3, 0, NULL, errbuf);
	assert_non_null(j);
	json_free(j);
	j = json_parse("\"abc\"", 4, 0, &off, errbuf);
	assert_null(j);
	assert_int_equal(off, 4);
}

static void
test_hostile_sizes(void **state)
{
	char errbuf[ERRBUF_SIZE];
	size_t n = 600000, off, i;
	char *s = xmalloc(n * 2 + 3);
	struct json *j;

	(void)state;
	/* Too many values. */
	s[0] = '[';
	for (i = 0; i < n; i++) {
		s[1 + 2 * i] = '0';
		s[2 + 2 * i] = ',';
	}
	s[2 * n] = ']';
	j = json_parse(s, 2 * n + 1, 0, &off, errbuf);
	assert_null(j);
	assert_non_null(strstr(errbuf, "too many values"));
	/* A long number. */
	memset(s, '1', 1000);
	s[1] = '.';
	j = json_parse(s, 1000, 0, &off, errbuf);
	assert_null(j);
	assert_int_equal(off, 0);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_hostile_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
