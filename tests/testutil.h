/*
 * testutil.h -- small helpers more than one unit test uses (header-only:
 * each tests/test_*.c is its own program linked with libkyocho.a, so
 * what they share is static inline here). Include it after <cmocka.h>.
 */
#ifndef KYOCHO_TESTUTIL_H
#define KYOCHO_TESTUTIL_H

#include <stdint.h>

#include "util.h"

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

#endif
