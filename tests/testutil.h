/*
 * testutil.h -- small helpers more than one unit test uses (header-only:
 * each tests/FOLDER/test_*.c is its own program linked with libkyocho.a, so
 * what they share is static inline here). Include it after <cmocka.h>.
 */
#ifndef KYOCHO_TESTUTIL_H
#define KYOCHO_TESTUTIL_H

#include <stdint.h>
#include <string.h>

#include "base/util.h"

/* Seconds since the epoch of an RFC 3339 time; fails the test if s is
 * not one. */
static inline int64_t
ts(const char *s)
{
	int64_t us;

	if (time_parse_rfc3339(s, &us) != 0)
		fail_msg("bad time %s", s);
	return us / 1000000;
}

/* Fails the test if s (a message meant for a person) holds a control
 * character -- C0, DEL or C1 (U+0080-U+009F) -- or is not UTF-8, so an
 * escape sequence from a file could reach the terminal through it. */
static inline void
assert_no_controls(const char *s)
{
	size_t n = strlen(s), i = 0, k, bad;
	uint32_t cp;

	if (!utf8_valid(s, n, &bad))
		fail_msg("not UTF-8 at byte %zu: %s", bad + 1, s);
	for (; i < n; i += k) {
		k = utf8_decode(s + i, n - i, &cp);
		if (k == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 &&
		    cp < 0xa0))
			fail_msg("control U+%04X at byte %zu of the message",
			    (unsigned)cp, i + 1);
	}
}

#endif
