/*
 * test_hll.c -- HyperLogLog accuracy over small and large ranges, duplicates,
 * merge and reset. Streams are deterministic: distinct IPv4 addresses come
 * from a 32-bit bijection of a counter, so the true count is known exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "base/addr.h"
#include "detect/hll.h"

#define HSEED 0x6b796f63686f3031ULL	/* the addr_hash seed used here */

/* A bijection of 32-bit values (two rounds of an invertible mixer around
 * the seed): distinct i give distinct addresses, and each seed a different
 * set of them. */
static uint32_t
mix32(uint32_t x)
{
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static uint32_t
perm32(uint32_t x, uint32_t seed)
{
	return mix32(mix32(x) ^ seed);
}

static void
add_v4(struct hll *h, uint32_t i, uint32_t seed)
{
	struct addr a;

	addr_from_v4(&a, perm32(i, seed));
	hll_add(h, addr_hash(&a, HSEED));
}

static double
relerr(uint64_t est, uint64_t truth)
{
	return ((double)est - (double)truth) / (double)truth;
}

/* p = 14: within 2% at 1e3, 1e5, 1e6 and 1e7 for several seeds. */
static void
test_large(void **state)
{
	static const uint32_t seeds[] = { 1, 0xdeadbeef, 20261126 };
	static const uint64_t marks[] = { 1000, 100000, 1000000, 10000000 };
	size_t s, k;
	uint32_t i;

	(void)state;
	for (s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		struct hll *h = hll_new(14);

		i = 0;
		for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
			uint64_t est;
			double e;

			for (; i < marks[k]; i++)
				add_v4(h, i, seeds[s]);
			est = hll_estimate(h);
			e = relerr(est, marks[k]);
			print_message("seed %08x n=%-9llu est=%-9llu "
			    "err=%+.3f%%\n", seeds[s],
			    (unsigned long long)marks[k],
			    (unsigned long long)est, 100 * e);
			assert_true(e < 0.02 && e > -0.02);
		}
		hll_free(h);
	}
}

/* Small counts: 10 is exact, 100 and 1000 within 2%, 0 is 0. */
static void
test_small(void **state)
{
	static const uint32_t seeds[] = { 7, 99, 12345, 0xabcdef };
	size_t s;
	uint32_t i;

	(void)state;
	for (s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		struct hll *h = hll_new(14);

		assert_int_equal(hll_estimate(h), 0);
		for (i = 0; i < 1; i++)
			add_v4(h, i, seeds[s]);
		assert_int_equal(hll_estimate(h), 1);
		for (; i < 10; i++)
			add_v4(h, i, seeds[s]);
		assert_int_equal(hll_estimate(h), 10);
		for (; i < 100; i++)
			add_v4(h, i, seeds[s]);
		assert_in_range(hll_estimate(h), 98, 102);
		for (; i < 1000; i++)
			add_v4(h, i, seeds[s]);
		assert_in_range(hll_estimate(h), 980, 1020);
		hll_free(h);
	}
}

/* The middle of the range, where the small-range switch happens. */
static void
test_switchover(void **state)
{
	struct hll *h = hll_new(14);
	uint32_t i = 0, n;

	(void)state;
	for (n = 5000; n <= 60000; n += 5000) {
		uint64_t est;

		for (; i < n; i++)
			add_v4(h, i, 42);
		est = hll_estimate(h);
		assert_true(relerr(est, n) < 0.025 && relerr(est, n) > -0.025);
	}
	hll_free(h);
}

/* Adding the same addresses again changes nothing; IPv6 works too. */
static void
test_duplicates(void **state)
{
	struct hll *h = hll_new(12);
	struct addr a;
	uint64_t before;
	uint32_t i;
	int r;

	(void)state;
	for (i = 0; i < 20000; i++)
		add_v4(h, i, 5);
	before = hll_estimate(h);
	for (r = 0; r < 3; r++)
		for (i = 0; i < 20000; i++)
			add_v4(h, i, 5);
	assert_int_equal(hll_estimate(h), before);

	hll_reset(h);
	assert_int_equal(hll_estimate(h), 0);
	assert_int_equal(addr_parse("2001:db8::1", &a), 0);
	for (i = 0; i < 3000; i++) {
		a.b[12] = (uint8_t)(i >> 8);
		a.b[15] = (uint8_t)i;
		hll_add(h, addr_hash(&a, HSEED));
	}
	/* p = 12: linear counting range, well within 3% */
	assert_in_range(hll_estimate(h), 2910, 3090);
	hll_free(h);
}

/* The merge of two halves estimates the same as one sketch of the whole. */
static void
test_merge(void **state)
{
	struct hll *a = hll_new(14), *b = hll_new(14), *all = hll_new(14);
	uint32_t i;

	(void)state;
	for (i = 0; i < 300000; i++) {
		add_v4(i < 200000 ? a : b, i, 77);
		add_v4(all, i, 77);
	}
	/* overlap: b also sees part of a's items */
	for (i = 150000; i < 200000; i++)
		add_v4(b, i, 77);
	hll_merge(a, b);
	assert_int_equal(hll_estimate(a), hll_estimate(all));
	assert_int_equal(hll_precision(a), 14);
	hll_free(a);
	hll_free(b);
	hll_free(all);
	hll_free(NULL);
}

/* Every precision works at both ends of its range. */
static void
test_precisions(void **state)
{
	unsigned p;

	(void)state;
	for (p = HLL_P_MIN; p <= HLL_P_MAX; p++) {
		struct hll *h = hll_new(p);
		double se = 1.04 / sqrt((double)(1u << p));
		uint32_t i, n = 200000;
		uint64_t est;
		double e;

		for (i = 0; i < n; i++)
			add_v4(h, i, p);
		est = hll_estimate(h);
		e = relerr(est, n);
		/* 4 standard errors: a fixed stream, not a flaky bound */
		assert_true(e < 4 * se && e > -4 * se);
		/* saturating registers: a hash whose low bits are all zero */
		hll_add(h, 0);
		hll_add(h, UINT64_MAX);
		assert_true(hll_estimate(h) > 0);
		hll_free(h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_switchover),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_precisions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
