/*
 * test_hours.c -- business hours: the grammar and its errors, open/closed
 * at local times, next open/close across DST changes (spring forward
 * through an opening hour, the repeated hour in autumn), overnight ranges,
 * the overlap of two parties' hours in different zones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "time/hours.h"
#include "time/tz.h"
#include "base/util.h"

#include "testutil.h"

static void
parse_ok(const char *s, struct hours *h)
{
	char err[ERRBUF_SIZE];

	if (hours_parse(s, strlen(s), h, err) != 0)
		fail_msg("'%s': %s", s, err);
}

static const struct tz *
zone(const char *name)
{
	char err[ERRBUF_SIZE];
	const struct tz *z = tz_get(name, err);

	if (z == NULL)
		fail_msg("%s", err);
	return z;
}

/* Days: 0 Sunday .. 6 Saturday. */
static void
test_parse_and_local(void **state)
{
	struct hours h;

	(void)state;
	parse_ok("Mon-Fri 09:00-18:00", &h);
	assert_int_equal(h.n, 5);
	assert_true(hours_open_local(&h, 1, 9 * 3600));
	assert_false(hours_open_local(&h, 1, 9 * 3600 - 1));
	assert_true(hours_open_local(&h, 5, 18 * 3600 - 1));
	assert_false(hours_open_local(&h, 5, 18 * 3600));
	assert_false(hours_open_local(&h, 6, 12 * 3600));
	assert_false(hours_open_local(&h, 0, 12 * 3600));

	parse_ok("Mon-Fri 09:00-12:00,13:00-18:00; Sat 10:00-14:00", &h);
	assert_true(hours_open_local(&h, 1, 10 * 3600));
	assert_false(hours_open_local(&h, 1, 12 * 3600 + 1800));
	assert_true(hours_open_local(&h, 3, 17 * 3600));
	assert_true(hours_open_local(&h, 6, 11 * 3600));
	assert_false(hours_open_local(&h, 6, 15 * 3600));
	assert_false(hours_open_local(&h, 0, 11 * 3600));

	/* Overnight, and the week wraps (Sunday night into Monday). */
	parse_ok("Sun-Thu 22:00-06:00", &h);
	assert_true(hours_open_local(&h, 1, 3 * 3600));
	assert_true(hours_open_local(&h, 0, 23 * 3600));
	assert_true(hours_open_local(&h, 5, 5 * 3600));
	assert_false(hours_open_local(&h, 5, 23 * 3600));
	assert_false(hours_open_local(&h, 6, 3 * 3600));
	assert_false(hours_open_local(&h, 0, 21 * 3600));

	parse_ok("mon, wed, fri 10:00-24:00", &h);
	assert_true(hours_open_local(&h, 3, 23 * 3600));
	assert_false(hours_open_local(&h, 2, 11 * 3600));
	parse_ok("Fri-Mon 08:00-09:00", &h);
	assert_true(hours_open_local(&h, 0, 8 * 3600 + 60));
	assert_false(hours_open_local(&h, 3, 8 * 3600 + 60));

	parse_ok("24x7", &h);
	assert_true(h.always);
	assert_true(hours_open_local(&h, 3, 0));
}

static void
test_parse_errors(void **state)
{
	static const struct {
		const char *in, *msg;
	} bad[] = {
		{ "", "empty" },
		{ "Mon-Fir 09:00-18:00", "'Fir' is not a day" },
		{ "Mon 9-18", "is not a time range" },
		{ "09:00-18:00", "no days before it" },
		{ "Mon-Fri 09:00-09:00", "empty range" },
		{ "Mon-Fri 25:00-26:00", "is not a time range" },
		{ "Mon-Fri 09:00-18:61", "is not a time range" },
		{ "Mon-Fri 09:00-18:00 extra", "unexpected" },
		{ "Mon-Fri", "no time range" },
		{ "Mon-Fri 09:00-18:00,,Sat 10:00-12:00", "empty item" },
		{ "Mon-Fri 24:00-06:00", "cannot start at 24:00" },
		{ "Mon-Fri 09:00\xe2\x80\x93" "18:00", "is not a time range" },
	};
	char err[ERRBUF_SIZE];
	struct hours h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (hours_parse(bad[i].in, strlen(bad[i].in), &h, err) == 0)
			fail_msg("'%s' accepted", bad[i].in);
		if (strstr(err, bad[i].msg) == NULL)
			fail_msg("'%s': got '%s', want '%s'", bad[i].in, err,
			    bad[i].msg);
	}
}

static void
test_eval_tokyo(void **state)
{
	struct hours h;
	struct hours_state st;

	(void)state;
	hours_default(&h);
	assert_int_equal(hours_eval(&h, zone("Asia/Tokyo"),
	    ts("2026-11-26T09:30:00+09:00"), &st), 0);
	assert_true(st.open);
	assert_int_equal(st.next_close, ts("2026-11-26T18:00:00+09:00"));
	assert_int_equal(st.next_open, ts("2026-11-27T09:00:00+09:00"));
	/* Friday evening: next open is Monday. */
	assert_int_equal(hours_eval(&h, zone("Asia/Tokyo"),
	    ts("2026-11-27T19:00:00+09:00"), &st), 0);
	assert_false(st.open);
	assert_int_equal(st.next_open, ts("2026-11-30T09:00:00+09:00"));
	assert_int_equal(st.next_close, ts("2026-11-30T18:00:00+09:00"));

	parse_ok("24x7", &h);
	hours_eval(&h, zone("Asia/Tokyo"), ts("2026-11-26T00:00:00Z"), &st);
	assert_true(st.open);
	assert_true(st.next_change == HOURS_NEVER);

	parse_ok("Sat 10:00-14:00", &h);
	hours_eval(&h, zone("Etc/UTC"), ts("2026-11-28T14:00:00Z"), &st);
	assert_false(st.open);
	assert_int_equal(st.next_open, ts("2026-12-05T10:00:00Z"));
}

static void
test_eval_dst(void **state)
{
	const struct tz *ny = zone("America/New_York");
	struct hours h;
	struct hours_state st;

	(void)state;
	/* 01:30 EST on 8 March 2026; at 02:00 the clock jumps to 03:00,
	 * so the office "closes at 03:00" half an hour later. */
	parse_ok("Sun 01:00-03:00", &h);
	hours_eval(&h, ny, ts("2026-03-08T06:30:00Z"), &st);
	assert_true(st.open);
	assert_int_equal(st.next_close, ts("2026-03-08T07:00:00Z"));
	assert_int_equal(st.next_open, ts("2026-03-15T05:00:00Z"));
	/* 01:00-01:30 happens twice on 1 November 2026. */
	parse_ok("Sun 01:00-01:30", &h);
	hours_eval(&h, ny, ts("2026-11-01T05:10:00Z"), &st);
	assert_true(st.open);
	assert_int_equal(st.next_close, ts("2026-11-01T05:30:00Z"));
	assert_int_equal(st.next_open, ts("2026-11-01T06:00:00Z"));
	/* A range inside the skipped hour never opens that day. */
	parse_ok("Sun 02:10-02:50", &h);
	hours_eval(&h, ny, ts("2026-03-08T06:00:00Z"), &st);
	assert_false(st.open);
	assert_int_equal(st.next_open, ts("2026-03-15T06:10:00Z"));
	/* Lord Howe: the half-hour shift. */
	parse_ok("Sun 02:00-03:00", &h);
	hours_eval(&h, zone("Australia/Lord_Howe"),
	    ts("2026-10-03T15:00:00Z"), &st);	/* 01:30 +1030 */
	assert_false(st.open);
	/* 02:00 +1030 is skipped to 02:30 +11 at 15:30Z; open then. */
	assert_int_equal(st.next_open, ts("2026-10-03T15:30:00Z"));
	assert_int_equal(st.next_close, ts("2026-10-03T16:00:00Z"));
}

static void
test_overnight_eval(void **state)
{
	const struct tz *utc = zone("Etc/UTC");
	struct hours h;
	struct hours_state st;

	(void)state;
	parse_ok("Sun-Thu 22:00-06:00", &h);
	hours_eval(&h, utc, ts("2026-11-23T03:00:00Z"), &st);	/* Monday */
	assert_true(st.open);
	assert_int_equal(st.next_close, ts("2026-11-23T06:00:00Z"));
	hours_eval(&h, utc, ts("2026-11-27T05:00:00Z"), &st);	/* Friday */
	assert_true(st.open);
	assert_int_equal(st.next_close, ts("2026-11-27T06:00:00Z"));
	assert_int_equal(st.next_open, ts("2026-11-29T22:00:00Z"));
}

static void
test_overlap(void **state)
{
	struct hours a, b;
	struct hours_span sp[4];
	size_t n = 0;
	int64_t d0, d1, tot;
	const struct tz *tokyo = zone("Asia/Tokyo"), *msk = zone("Europe/Moscow");

	(void)state;
	hours_default(&a);
	hours_default(&b);
	hours_local_day(tokyo, ts("2026-11-26T12:00:00+09:00"), &d0, &d1);
	assert_int_equal(d0, ts("2026-11-26T00:00:00+09:00"));
	assert_int_equal(d1, ts("2026-11-27T00:00:00+09:00"));
	/* Tokyo 09-18 JST is 00-09Z; Moscow 09-18 MSK is 06-15Z. */
	tot = hours_overlap(&a, tokyo, &b, msk, d0, d1, sp, 4, &n);
	assert_int_equal(tot, 3 * 3600);
	assert_int_equal(n, 1);
	assert_int_equal(sp[0].start, ts("2026-11-26T06:00:00Z"));
	assert_int_equal(sp[0].end, ts("2026-11-26T09:00:00Z"));
	/* Tokyo and Sao Paulo office hours never meet. */
	tot = hours_overlap(&a, tokyo, &b, zone("America/Sao_Paulo"), d0, d1,
	    sp, 4, &n);
	assert_int_equal(tot, 0);
	assert_int_equal(n, 0);
	assert_true(hours_awake(tokyo, ts("2026-11-26T12:00:00+09:00")));
	assert_false(hours_awake(tokyo, ts("2026-11-26T03:00:00+09:00")));
}

/* Messages quote the text they refuse (issue 19): ESC [ 2 J and the C1
 * CSI (U+009B as UTF-8, and a raw 0x9b byte) come out as '?' or U+FFFD,
 * never as bytes a terminal would act on. */
static void
test_hostile_messages(void **state)
{
	static const char *const bad[] = {
		"Mon 09:00-18:00\x1b[2J\xc2\x9b" "2J",
		"Mon 09:00-18:00 \x9b" "2J",
		"Mon 0\x1b[2J9:00-18:00",
		"Mon 09:00-1\xc2\x9b" "8:00",
		"Mon 09:00-09:00\x1b",
		"Mon 09:00\x1b-09:00",
	};
	char err[ERRBUF_SIZE];
	struct hours h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(hours_parse(bad[i], strlen(bad[i]), &h, err), -1);
		assert_true(strchr(err, '\'') != NULL);	/* it quotes */
		assert_no_controls(err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_local),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_eval_tokyo),
		cmocka_unit_test(test_eval_dst),
		cmocka_unit_test(test_overnight_eval),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_hostile_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
