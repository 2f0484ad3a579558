/*
 * test_tz.c -- tz.c against instants whose answers are known from the tz
 * database's own history (checked with zdump when written): DST in New
 * York, Lord Howe's half-hour DST, Dublin's negative DST, Tokyo without
 * DST, Apia's skipped day, Casablanca's Ramadan changes; POSIX TZ rule
 * forms; local-to-UTC conversion in gaps and overlaps; hostile names and
 * files; zone1970.tab; the cache.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "time/tz.h"
#include "base/util.h"

#include "testutil.h"

static void
expect_at(const char *zone, const char *when, int32_t off, int dst,
    const char *abbr)
{
	char err[ERRBUF_SIZE];
	const struct tz *z = tz_get(zone, err);
	struct tz_info in;

	if (z == NULL)
		fail_msg("%s: %s", zone, err);
	assert_int_equal(tz_at(z, ts(when), &in), 0);
	if (in.utc_offset_s != off || in.is_dst != dst ||
	    strcmp(in.abbr, abbr) != 0)
		fail_msg("%s at %s: got %d %d %s, want %d %d %s", zone, when,
		    in.utc_offset_s, in.is_dst, in.abbr, off, dst, abbr);
}

static void
test_new_york(void **state)
{
	(void)state;
	expect_at("America/New_York", "2026-03-08T06:59:59Z", -18000, 0, "EST");
	expect_at("America/New_York", "2026-03-08T07:00:00Z", -14400, 1, "EDT");
	expect_at("America/New_York", "2026-11-01T05:59:59Z", -14400, 1, "EDT");
	expect_at("America/New_York", "2026-11-01T06:00:00Z", -18000, 0, "EST");
	/* After 2037: the footer rule. */
	expect_at("America/New_York", "2050-07-01T12:00:00Z", -14400, 1, "EDT");
	expect_at("America/New_York", "2050-03-13T06:59:59Z", -18000, 0, "EST");
	expect_at("America/New_York", "2050-03-13T07:00:00Z", -14400, 1, "EDT");
}

static void
test_lord_howe(void **state)
{
	(void)state;
	expect_at("Australia/Lord_Howe", "2026-04-04T14:59:59Z", 39600, 1, "+11");
	expect_at("Australia/Lord_Howe", "2026-04-04T15:00:00Z", 37800, 0, "+1030");
	expect_at("Australia/Lord_Howe", "2026-10-03T15:29:59Z", 37800, 0, "+1030");
	expect_at("Australia/Lord_Howe", "2026-10-03T15:30:00Z", 39600, 1, "+11");
}

static void
test_dublin_negative_dst(void **state)
{
	(void)state;
	/* Irish Standard Time is summer time; winter GMT is the "DST". */
	expect_at("Europe/Dublin", "2026-03-29T00:59:59Z", 0, 1, "GMT");
	expect_at("Europe/Dublin", "2026-03-29T01:00:00Z", 3600, 0, "IST");
	expect_at("Europe/Dublin", "2060-01-15T12:00:00Z", 0, 1, "GMT");
	expect_at("Europe/Dublin", "2060-07-15T12:00:00Z", 3600, 0, "IST");
}

static void
test_tokyo(void **state)
{
	char err[ERRBUF_SIZE], buf[40];
	const struct tz *z = tz_get("Asia/Tokyo", err);
	struct tz_tm tm;
	int64_t nx;

	(void)state;
	assert_non_null(z);
	expect_at("Asia/Tokyo", "2026-11-26T00:30:00Z", 32400, 0, "JST");
	assert_int_equal(tz_local(z, ts("2026-11-26T00:30:00Z"), &tm), 0);
	assert_int_equal(tm.year, 2026);
	assert_int_equal(tm.mon, 11);
	assert_int_equal(tm.mday, 26);
	assert_int_equal(tm.hour, 9);
	assert_int_equal(tm.min, 30);
	assert_int_equal(tm.wday, 4);
	assert_int_equal(tm.yday, 329);
	assert_string_equal(tz_rfc3339(z, ts("2026-11-26T00:30:00Z"), buf,
	    sizeof(buf)), "2026-11-26T09:30:00+09:00");
	/* No change since 1951. */
	assert_int_equal(tz_next_change(z, ts("2026-01-01T00:00:00Z"), &nx), -1);
}

static void
test_apia_and_casablanca(void **state)
{
	char err[ERRBUF_SIZE];
	const struct tz *z = tz_get("Pacific/Apia", err);
	struct tz_tm tm;
	int64_t nx;

	(void)state;
	expect_at("Pacific/Apia", "2011-12-30T09:59:59Z", -36000, 1, "-10");
	expect_at("Pacific/Apia", "2011-12-30T10:00:00Z", 50400, 1, "+14");
	/* Friday 30 December 2011 never happened in Samoa. */
	assert_int_equal(tz_local(z, ts("2011-12-30T09:59:59Z"), &tm), 0);
	assert_int_equal(tm.mday, 29);
	assert_int_equal(tz_local(z, ts("2011-12-30T10:00:00Z"), &tm), 0);
	assert_int_equal(tm.mday, 31);
	assert_int_equal(tz_next_change(z, ts("2011-12-30T00:00:00Z"), &nx), 0);
	assert_int_equal(nx, ts("2011-12-30T10:00:00Z"));
	expect_at("Africa/Casablanca", "2026-02-15T01:59:59Z", 3600, 0, "+01");
	expect_at("Africa/Casablanca", "2026-02-15T02:00:00Z", 0, 1, "+00");
	expect_at("Africa/Casablanca", "2026-03-22T02:00:00Z", 3600, 0, "+01");
}

static void
test_from_local(void **state)
{
	char err[ERRBUF_SIZE];
	const struct tz *z = tz_get("America/New_York", err);
	int64_t u;

	(void)state;
	/* 02:30 on 8 March 2026 does not exist: the clock jumps at 07:00Z. */
	assert_int_equal(tz_from_local(z, ts("2026-03-08T02:30:00Z"), &u), 0);
	assert_int_equal(u, ts("2026-03-08T07:00:00Z"));
	/* 01:30 on 1 November 2026 happens twice; the first is EDT. */
	assert_int_equal(tz_from_local(z, ts("2026-11-01T01:30:00Z"), &u), 2);
	assert_int_equal(u, ts("2026-11-01T05:30:00Z"));
	assert_int_equal(tz_from_local(z, ts("2026-07-01T12:00:00Z"), &u), 1);
	assert_int_equal(u, ts("2026-07-01T16:00:00Z"));
}

static void
expect_posix(const char *spec, const char *when, int32_t off, int dst)
{
	char err[ERRBUF_SIZE];
	struct tz *z = tz_from_posix(spec, err);
	struct tz_info in;

	if (z == NULL)
		fail_msg("%s: %s", spec, err);
	tz_at(z, ts(when), &in);
	if (in.utc_offset_s != off || in.is_dst != dst)
		fail_msg("%s at %s: got %d %d, want %d %d", spec, when,
		    in.utc_offset_s, in.is_dst, off, dst);
	tz_free(z);
}

static void
test_posix_rules(void **state)
{
	char err[ERRBUF_SIZE];
	static const char *const bad[] = {
		"", "J", "JST", "JST-9X", "AB-9", "<+09-9", "EST5EDT,M13.1.0,M11.1.0",
		"EST5EDT,M3.6.0,M11.1.0", "EST5EDT,J0,J365", "EST5EDT,366,0",
		"EST5EDT,M3.2.0/168,M11.1.0", "EST5EDT,M3.2.0", "EST25",
	};
	size_t i;

	(void)state;
	/* Jn never counts 29 February; n does. */
	expect_posix("AAA0BBB,J60/0,J300/0", "2024-02-29T23:59:59Z", 0, 0);
	expect_posix("AAA0BBB,J60/0,J300/0", "2024-03-01T00:00:00Z", 3600, 1);
	expect_posix("AAA0BBB,59/0,300/0", "2024-02-28T23:59:59Z", 0, 0);
	expect_posix("AAA0BBB,59/0,300/0", "2024-02-29T00:00:00Z", 3600, 1);
	expect_posix("AAA0BBB,59/0,300/0", "2023-03-01T00:00:00Z", 3600, 1);
	/* Mm.5.d is the last such weekday; times beyond 24h (RFC 8536). */
	/* 4th Thursday of March 2026 is the 26th; +50h is the 28th 02:00. */
	expect_posix("EET-2EEST,M3.4.4/50,M10.4.4/50", "2026-03-27T23:59:59Z",
	    7200, 0);
	expect_posix("EET-2EEST,M3.4.4/50,M10.4.4/50", "2026-03-28T00:00:00Z",
	    10800, 1);
	/* Negative transition times (America/Nuuk). */
	expect_posix("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "2026-03-28T23:59:59Z",
	    -7200, 0);
	expect_posix("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "2026-03-29T01:00:00Z",
	    -3600, 1);
	/* DST all year (RFC 8536 3.3.1). */
	expect_posix("XXX3YYY,0/0,J365/25", "2030-01-01T01:00:00Z", -7200, 1);
	expect_posix("XXX3YYY,0/0,J365/25", "2030-07-01T00:00:00Z", -7200, 1);
	expect_posix("XXX3YYY,0/0,J365/25", "2030-12-31T23:00:00Z", -7200, 1);
	/* Southern hemisphere. */
	expect_posix("AEST-10AEDT,M10.1.0,M4.1.0/3", "2026-01-10T00:00:00Z",
	    39600, 1);
	expect_posix("AEST-10AEDT,M10.1.0,M4.1.0/3", "2026-06-10T00:00:00Z",
	    36000, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tz *z = tz_from_posix(bad[i], err);

		if (z != NULL)
			fail_msg("'%s' accepted", bad[i]);
	}
}

static void
test_hostile_names(void **state)
{
	static const char *const bad[] = {
		"", "/etc/passwd", "../etc/passwd", "Asia/../../etc/passwd",
		"Asia/./Tokyo", "Asia//Tokyo", "Asia/Tokyo/", "Asia/Tokyo\n",
		"Asia/Tok yo", "Asia/Tokio", "Asia", "zone1970.tab",
	};
	char err[ERRBUF_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tz *z = tz_load(bad[i], err);

		if (z != NULL)
			fail_msg("'%s' loaded", bad[i]);
		assert_non_null(strstr(err, "timezone"));
	}
}

static uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 16);

	assert_non_null(f);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static void
test_hostile_files(void **state)
{
	char err[ERRBUF_SIZE];
	size_t len, cut;
	uint8_t *buf = read_file("/usr/share/zoneinfo/Europe/Paris", &len);
	struct tz *z;

	(void)state;
	z = tz_parse("Europe/Paris", buf, len, err);
	assert_non_null(z);
	tz_free(z);
	/* Every truncation must fail cleanly (or parse a consistent
	 * prefix, which TZif cannot: the footer is last). */
	for (cut = 0; cut < len; cut++) {
		z = tz_parse("cut", buf, cut, err);
		if (z != NULL)
			fail_msg("truncated at %zu accepted", cut);
	}
	/* Huge counts. */
	memset(buf + 20, 0xff, 24);
	assert_null(tz_parse("big", buf, len, err));
	/* Not TZif. */
	assert_null(tz_parse("text", (const uint8_t *)"hello world", 11, err));
	free(buf);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	    p[3];
}

/* A version 1 file (32-bit data, no footer) made from a real zone's first
 * block answers like the full file inside the 32-bit range. */
static void
test_version1(void **state)
{
	char err[ERRBUF_SIZE];
	size_t len, v1len;
	uint8_t *buf = read_file("/usr/share/zoneinfo/Europe/Berlin", &len);
	struct tz *full, *v1;
	int64_t t;

	(void)state;
	if (be32(buf + 32) == 0) {
		free(buf);
		skip();		/* "slim" tzdata: no 32-bit data to compare */
		return;
	}
	v1len = 44 + be32(buf + 32) * 5 + be32(buf + 36) * 6 + be32(buf + 40) +
	    be32(buf + 28) * 8 + be32(buf + 24) + be32(buf + 20);
	assert_true(v1len < len);
	buf[4] = 0;
	full = tz_load("Europe/Berlin", err);
	v1 = tz_parse("v1", buf, v1len, err);
	assert_non_null(full);
	assert_non_null(v1);
	for (t = 0; t < 2000000000; t += 86400 * 7 + 3607) {
		struct tz_info a, b;

		tz_at(full, t, &a);
		tz_at(v1, t, &b);
		if (a.utc_offset_s != b.utc_offset_s || a.is_dst != b.is_dst ||
		    strcmp(a.abbr, b.abbr) != 0)
			fail_msg("at %lld: %d %s vs %d %s", (long long)t,
			    a.utc_offset_s, a.abbr, b.utc_offset_s, b.abbr);
	}
	tz_free(full);
	tz_free(v1);
	free(buf);
}

static void
test_country_and_cache(void **state)
{
	char names[64][TZ_NAME_MAX], err[ERRBUF_SIZE], dir[] = "/tmp/tzdirXXXXXX";
	char path[64], cmd[256];
	int n;

	(void)state;
	n = tz_country_zones("jp", names, 64, err);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "Asia/Tokyo");
	assert_true(tz_country_zones("US", names, 64, err) > 10);
	assert_int_equal(tz_country_zones("XX", names, 64, err), 0);
	assert_int_equal(tz_country_zones("J", names, 64, err), 0);
	assert_ptr_equal(tz_get("Europe/Moscow", err), tz_get("Europe/Moscow", err));
	assert_null(tz_get("Nowhere/Land", err));
	assert_non_null(strstr(err, "Nowhere/Land"));
	/* TZDIR moves the database. */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/Test", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && cp /usr/share/zoneinfo/Asia/Kolkata %s/Zone",
	    path, path);
	assert_int_equal(system(cmd), 0);
	setenv("TZDIR", dir, 1);
	{
		struct tz *z = tz_load("Test/Zone", err);
		struct tz_info in;

		assert_non_null(z);
		tz_at(z, ts("2026-01-01T00:00:00Z"), &in);
		assert_int_equal(in.utc_offset_s, 19800);
		tz_free(z);
		assert_null(tz_load("Asia/Tokyo", err));
	}
	unsetenv("TZDIR");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	tz_cache_clear();
	assert_non_null(tz_get("Asia/Tokyo", err));
	tz_cache_clear();
}

static void
test_local_zone(void **state)
{
	const struct tz *z;
	struct tz_info in;

	(void)state;
	setenv("TZ", "Asia/Tokyo", 1);
	tz_cache_clear();
	z = tz_local_zone();
	assert_string_equal(tz_name(z), "Asia/Tokyo");
	setenv("TZ", "JST-9", 1);
	tz_cache_clear();
	z = tz_local_zone();
	tz_at(z, 0, &in);
	assert_int_equal(in.utc_offset_s, 32400);
	unsetenv("TZ");
	tz_cache_clear();
	assert_non_null(tz_local_zone());
	tz_cache_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_york),
		cmocka_unit_test(test_lord_howe),
		cmocka_unit_test(test_dublin_negative_dst),
		cmocka_unit_test(test_tokyo),
		cmocka_unit_test(test_apia_and_casablanca),
		cmocka_unit_test(test_from_local),
		cmocka_unit_test(test_posix_rules),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_version1),
		cmocka_unit_test(test_country_and_cache),
		cmocka_unit_test(test_local_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
