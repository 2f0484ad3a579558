/*
 * test_topk.c -- Space-Saving: the heavy source in a 10-million-packet
 * random-source flood, the error guarantees against an exact count, weights,
 * index integrity under churn, list order and reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/addr.h"
#include "detect/topk.h"
#include "base/util.h"

#define HSEED 0x746f706b00000001ULL

static void
add_v4(struct topk *t, uint32_t v4, uint64_t w)
{
	struct addr a;

	addr_from_v4(&a, v4);
	topk_add(t, &a, addr_hash(&a, HSEED), w);
}

/* 2% of a 10-million-packet stream from one source, the rest random. */
static void
test_flood_heavy(void **state)
{
	static const unsigned ks[] = { 256, 64 };
	const uint64_t total = 10000000;
	const uint32_t heavy = 0xc6336401;	/* 198.51.100.1 */
	size_t ki;

	(void)state;
	for (ki = 0; ki < sizeof(ks) / sizeof(ks[0]); ki++) {
		struct topk *t = topk_new(ks[ki]);
		struct topk_item it[10];
		uint64_t s = 1234 + ki, i, truth = 0;
		size_t n;

		for (i = 0; i < total; i++) {
			uint64_t r = splitmix64(&s);

			/* one packet in 50 is the heavy source's */
			if ((r & 0xffff) < 65536 / 50 + 1) {
				add_v4(t, heavy, 1);
				truth++;
			} else
				add_v4(t, (uint32_t)(r >> 32), 1);
		}
		assert_int_equal(topk_total(t), total);
		n = topk_list(t, it, 10);
		assert_int_equal(n, 10);
		assert_int_equal(it[0].addr.family, 4);
		assert_int_equal(addr_v4(&it[0].addr), heavy);
		print_message("k=%u heavy true=%llu count=%llu error=%llu "
		    "N/k=%llu\n", ks[ki], (unsigned long long)truth,
		    (unsigned long long)it[0].count,
		    (unsigned long long)it[0].error,
		    (unsigned long long)(total / ks[ki]));
		assert_true(truth > total / 55 && truth < total / 45);
		assert_true(it[0].count >= truth);
		assert_true(it[0].count - it[0].error <= truth);
		assert_true(it[0].error <= topk_min(t));
		assert_true(it[0].count - truth <= total / ks[ki]);
		/* the others are noise: no guaranteed weight to speak of */
		for (n = 1; n < 10; n++)
			assert_true(it[n].count - it[n].error <= 10);
		topk_free(t);
	}
}

/* A skewed stream with weights: every guarantee, checked exactly. */
static void
test_guarantees(void **state)
{
	enum { KEYS = 5000, K = 64, N = 300000 };
	uint64_t *exact = calloc(KEYS, sizeof(*exact));
	struct topk_item it[K];
	struct topk *t = topk_new(K);
	uint64_t s = 99, total = 0, sum = 0;
	size_t n, i, j;
	uint32_t key;

	(void)state;
	assert_non_null(exact);
	for (i = 0; i < N; i++) {
		uint64_t r = splitmix64(&s), w = 1 + (r >> 60);	/* 1..16 */

		/* roughly Zipf: key = floor(KEYS^u) - 1 for uniform u */
		key = (uint32_t)pow(KEYS,
		    (double)(r & 0xffffff) / 0x1000000) - 1;
		exact[key] += w;
		total += w;
		add_v4(t, 0x0a000000 + key, w);
	}
	assert_int_equal(topk_total(t), total);
	n = topk_list(t, it, K);
	assert_int_equal(n, K);
	for (i = 0; i < n; i++) {
		uint64_t truth;

		key = addr_v4(&it[i].addr) - 0x0a000000;
		assert_true(key < KEYS);
		truth = exact[key];
		assert_true(it[i].count - it[i].error <= truth);
		assert_true(truth <= it[i].count);
		assert_true(it[i].error <= total / K);
		assert_true(it[i].error <= topk_min(t));
		if (i > 0)
			assert_true(it[i - 1].count >= it[i].count);
		for (j = 0; j < i; j++)
			assert_false(addr_cmp(&it[i].addr, &it[j].addr) == 0);
		sum += it[i].count;
	}
	/* Space-Saving keeps the sum of counts equal to the total weight */
	assert_int_equal(sum, total);
	/* every key above N/k is reported */
	for (key = 0; key < KEYS; key++) {
		if (exact[key] <= total / K)
			continue;
		for (i = 0; i < n; i++)
			if (addr_v4(&it[i].addr) - 0x0a000000 == key)
				break;
		assert_true(i < n);
	}
	topk_free(t);
	free(exact);
}

/* Below k keys everything is exact; weights add; order and ties. */
static void
test_exact_small(void **state)
{
	struct topk *t = topk_new(8);
	struct topk_item it[8];
	struct addr a6;
	size_t n;

	(void)state;
	add_v4(t, 3, 5);
	add_v4(t, 1, 7);
	add_v4(t, 2, 7);
	add_v4(t, 3, 4);
	add_v4(t, 4, 0);	/* weight 0: nothing */
	assert_int_equal(addr_parse("2001:db8::1", &a6), 0);
	topk_add(t, &a6, addr_hash(&a6, HSEED), 1000000000000ULL);
	assert_int_equal(topk_total(t), 5 + 7 + 7 + 4 + 1000000000000ULL);
	assert_int_equal(topk_min(t), 0);
	n = topk_list(t, it, 8);
	assert_int_equal(n, 4);
	assert_int_equal(it[0].addr.family, 6);
	assert_int_equal(it[0].count, 1000000000000ULL);
	assert_int_equal(addr_v4(&it[1].addr), 3);
	assert_int_equal(it[1].count, 9);
	/* equal counts in address order */
	assert_int_equal(addr_v4(&it[2].addr), 1);
	assert_int_equal(addr_v4(&it[3].addr), 2);
	for (n = 0; n < 4; n++)
		assert_int_equal(it[n].error, 0);
	/* a shorter list is the head of the longer one */
	assert_int_equal(topk_list(t, it, 2), 2);
	assert_int_equal(addr_v4(&it[1].addr), 3);
	assert_int_equal(topk_list(t, it, 0), 0);

	topk_reset(t);
	assert_int_equal(topk_total(t), 0);
	assert_int_equal(topk_list(t, it, 8), 0);
	add_v4(t, 3, 1);
	assert_int_equal(topk_list(t, it, 8), 1);
	assert_int_equal(it[0].count, 1);
	topk_free(t);
	topk_free(NULL);
}

/*
 * Churn: many evictions through a small, crowded index, then every counted
 * key must still be found (adding to it raises its count rather than
 * creating a second counter).
 */
static void
test_index_churn(void **state)
{
	static const unsigned ks[] = { 1, 2, 3, 7, 16, 100 };
	size_t ki;

	(void)state;
	for (ki = 0; ki < sizeof(ks) / sizeof(ks[0]); ki++) {
		unsigned k = ks[ki];
		struct topk *t = topk_new(k);
		struct topk_item *it = calloc(k, sizeof(*it));
		struct topk_item *again = calloc(k, sizeof(*again));
		uint64_t s = k, i;
		size_t n, j, m;

		assert_non_null(it);
		assert_non_null(again);
		for (i = 0; i < 200000; i++) {
			uint64_t r = splitmix64(&s);

			/* few keys, so counters are hit and evicted alike */
			add_v4(t, (uint32_t)(r % (3 * k + 5)), 1 + (r >> 62));
		}
		n = topk_list(t, it, k);
		assert_int_equal(n, k);
		/* the heap's root is the smallest counter */
		assert_int_equal(topk_min(t), it[n - 1].count);
		for (j = 0; j < n; j++)
			add_v4(t, addr_v4(&it[j].addr), 1000000);
		m = topk_list(t, again, k);
		assert_int_equal(m, n);
		for (j = 0; j < n; j++) {
			size_t l;

			for (l = 0; l < m; l++)
				if (addr_cmp(&again[l].addr, &it[j].addr) == 0)
					break;
			assert_true(l < m);
			assert_int_equal(again[l].count, it[j].count + 1000000);
		}
		free(it);
		free(again);
		topk_free(t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood_heavy),
		cmocka_unit_test(test_guarantees),
		cmocka_unit_test(test_exact_small),
		cmocka_unit_test(test_index_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
