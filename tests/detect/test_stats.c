/*
 * test_stats.c -- counters, per-second closing, the destination table's
 * fixed capacity and eviction rule, source groups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "detect/stats.h"

static struct pkt
mkpkt(int64_t ts_us, uint32_t src, uint32_t dst, int l4, uint8_t flags)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts_us = ts_us;
	p.wirelen = 100;
	p.weight = 1;
	p.wbytes = 100;
	p.family = 4;
	p.l4 = (uint8_t)l4;
	p.tcp_flags = flags;
	addr_from_v4(&p.src, src);
	addr_from_v4(&p.dst, dst);
	return p;
}

struct seen {
	int calls, ticks;
	int64_t last_sec;
	uint64_t pps_of_victim;
};

static void
on_dst(void *ctx, int64_t sec, struct dst_entry *d)
{
	struct seen *s = ctx;

	s->calls++;
	s->last_sec = sec;
	if (addr_v4(&d->addr) == 0xcb007150u)
		s->pps_of_victim = d->sec.packets;
}

static void
on_tick(void *ctx, int64_t sec)
{
	struct seen *s = ctx;

	(void)sec;
	s->ticks++;
}

static void
test_counts_and_seconds(void **state)
{
	struct prefix home;
	struct stats *st;
	struct seen seen;
	struct pkt p;
	int i;
	const int64_t t0 = 1764115200LL * 1000000;
	const struct dst_entry *top[4];
	uint64_t pps[SERIES_LEN];

	(void)state;
	memset(&seen, 0, sizeof(seen));
	prefix_parse("203.0.113.0/24", &home);
	st = stats_new(&home, 1);
	stats_set_callbacks(st, on_dst, on_tick, &seen);
	for (i = 0; i < 300; i++) {
		p = mkpkt(t0 + i * 1000, 0xc0000200u + (uint32_t)(i % 7),
		    0xcb007150u, L4_TCP, TCP_SYN);
		stats_add(st, &p);
	}
	for (i = 0; i < 50; i++) {
		p = mkpkt(t0 + 1000000 + i, 0xc6336401u, 0xcb00710au, L4_UDP, 0);
		stats_add(st, &p);
	}
	/* the first second closed when the second began */
	assert_int_equal(seen.ticks, 1);
	assert_int_equal(seen.pps_of_victim, 300);
	assert_int_equal(seen.last_sec, t0 / 1000000);
	stats_flush(st);
	assert_int_equal(seen.ticks, 2);
	assert_int_equal(stats_total(st)->packets, 350);
	assert_int_equal(stats_total(st)->tcp_syn, 300);
	assert_int_equal(stats_total(st)->udp, 50);
	assert_int_equal(stats_top_dst(st, top, 4), 2);
	assert_int_equal(addr_v4(&top[0]->addr), 0xcb007150u);
	assert_int_equal(top[0]->peak_pps, 300);
	assert_int_equal(top[0]->tcp_syn, 300);
	assert_true(top[0]->home);
	assert_int_equal(top[1]->packets, 50);
	stats_series(st, pps, NULL, NULL);
	assert_int_equal(pps[SERIES_LEN - 1], 50);
	assert_int_equal(pps[SERIES_LEN - 2], 300);
	assert_int_equal(stats_first_us(st), t0);
	stats_free(st);
}

static void
test_idle_gap_closes_seconds(void **state)
{
	struct stats *st = stats_new(NULL, 0);
	struct seen seen;
	struct pkt p;
	const int64_t t0 = 1764115200LL * 1000000;
	uint64_t pps[SERIES_LEN];

	(void)state;
	memset(&seen, 0, sizeof(seen));
	stats_set_callbacks(st, on_dst, on_tick, &seen);
	p = mkpkt(t0, 1, 2, L4_UDP, 0);
	stats_add(st, &p);
	p = mkpkt(t0 + 5 * 1000000, 1, 2, L4_UDP, 0);
	stats_add(st, &p);
	/* seconds 0..4 closed: 1 with traffic, 4 idle */
	assert_int_equal(seen.ticks, 5);
	stats_series(st, pps, NULL, NULL);
	assert_int_equal(pps[SERIES_LEN - 5], 1);
	assert_int_equal(pps[SERIES_LEN - 1], 0);
	/* a late packet counts in the current second */
	p = mkpkt(t0 + 1000, 1, 2, L4_UDP, 0);
	stats_add(st, &p);
	assert_int_equal(seen.ticks, 5);
	stats_advance(st, t0 / 1000000 + 8);
	assert_int_equal(seen.ticks, 8);
	stats_free(st);
}

/*
 * A capture whose clock starts at the epoch (devices without a clock,
 * tcpdump's own test captures): second 0 is a second like any other. It
 * closes when second 1 begins, is not merged into it, and a capture that
 * lies wholly inside it still closes on flush (links[].total counts it).
 */
static void
test_second_zero_is_a_second(void **state)
{
	struct stats *st = stats_new(NULL, 0);
	struct seen seen;
	struct pkt p;
	uint64_t pps[SERIES_LEN];
	int i;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	stats_set_callbacks(st, on_dst, on_tick, &seen);
	for (i = 0; i < 3000; i++) {
		p = mkpkt(i * 333, 0xc0000200u + (uint32_t)i, 0xcb007150u,
		    L4_TCP, TCP_SYN);
		stats_add(st, &p);
	}
	assert_int_equal(seen.ticks, 0);
	p = mkpkt(1000000, 1, 0xcb007150u, L4_TCP, TCP_SYN);
	stats_add(st, &p);
	assert_int_equal(seen.ticks, 1);
	assert_int_equal(seen.last_sec, 0);
	assert_int_equal(seen.pps_of_victim, 3000);
	stats_flush(st);
	assert_int_equal(seen.ticks, 2);
	assert_int_equal(seen.last_sec, 1);
	assert_int_equal(seen.pps_of_victim, 1);
	stats_series(st, pps, NULL, NULL);
	assert_int_equal(pps[SERIES_LEN - 2], 3000);
	assert_int_equal(pps[SERIES_LEN - 1], 1);
	assert_int_equal(stats_find_dst(st, &p.dst)->peak_pps, 3000);
	assert_int_equal(stats_link(st, 0)->total.packets, 3001);
	assert_int_equal(stats_first_us(st), 0);
	assert_int_equal(stats_last_us(st), 1000000);
	stats_free(st);

	/* Every packet at exactly 0.000000: one second, closed on flush. */
	st = stats_new(NULL, 0);
	memset(&seen, 0, sizeof(seen));
	stats_set_callbacks(st, on_dst, on_tick, &seen);
	for (i = 0; i < 8; i++) {
		p = mkpkt(0, 1, 0xcb007150u + (uint32_t)(i % 2), L4_UDP, 0);
		stats_add(st, &p);
	}
	stats_flush(st);
	assert_int_equal(seen.ticks, 1);
	assert_int_equal(seen.calls, 2);	/* each destination once */
	assert_int_equal(stats_link(st, 0)->total.packets, 8);
	stats_free(st);
}

static void
test_table_is_bounded(void **state)
{
	struct stats *st = stats_new(NULL, 0);
	struct pkt p;
	const int64_t t0 = 1764115200LL * 1000000;
	uint32_t i, n = STATS_DST_SETS * STATS_DST_WAYS * 4;
	size_t mem = stats_memory(st);
	const struct dst_entry *top[1];
	struct addr heavy;

	(void)state;
	/* a heavy destination, then four times the capacity of one-packet
	 * destinations, 1 ms apart so that seconds close and entries that
	 * are not busy can be evicted */
	for (i = 0; i < 1000; i++) {
		p = mkpkt(t0, 7, 0x0a000001u, L4_UDP, 0);
		stats_add(st, &p);
	}
	for (i = 0; i < n; i++) {
		p = mkpkt(t0 + 1000000 + (int64_t)i * 1000, 7,
		    0x14000000u + i * 2654435761u, L4_UDP, 0);
		stats_add(st, &p);
	}
	stats_flush(st);
	assert_int_equal(stats_memory(st), mem);
	assert_true(stats_evictions(st) >= n - STATS_DST_SETS * STATS_DST_WAYS);
	/* the busy one survives: eviction takes the lowest aged count */
	addr_from_v4(&heavy, 0x0a000001u);
	assert_non_null(stats_find_dst(st, &heavy));
	assert_int_equal(stats_top_dst(st, top, 1), 1);
	assert_int_equal(top[0]->packets, 1000);
	/* a pinned entry is never evicted */
	stats_find_dst(st, &heavy)->pinned = 1;
	stats_find_dst(st, &heavy)->aged = 0;
	for (i = 0; i < n; i++) {
		p = mkpkt(t0 + 200000000 + (int64_t)i * 1000, 7,
		    0x28000000u + i * 2654435761u, L4_UDP, 0);
		stats_add(st, &p);
	}
	assert_non_null(stats_find_dst(st, &heavy));
	stats_free(st);
}

static void
test_groups_and_reflectors(void **state)
{
	struct stats *st = stats_new(NULL, 0);
	struct snap_group g[8];
	struct pkt p;
	const int64_t t0 = 1764115200LL * 1000000;
	int i;
	size_t n;
	struct dst_entry *d = NULL;

	(void)state;
	for (i = 0; i < 1500; i++) {
		p = mkpkt(t0 + i, 0xc6330000u + (uint32_t)i, 0xcb007150u, L4_TCP, TCP_SYN);
		stats_add(st, &p);
	}
	for (i = 0; i < 50; i++) {
		p = mkpkt(t0 + 2000 + i, 0x01020000u + (uint32_t)i, 0xcb007150u, L4_TCP, TCP_SYN);
		stats_add(st, &p);
	}
	for (i = 0; i < 10; i++) {
		p = mkpkt(t0 + 3000 + i, 0x01030000u, 0xcb007150u, L4_UDP, 0);
		p.sport = 123;
		d = stats_add(st, &p);
	}
	assert_non_null(d);
	assert_int_equal(d->sec.udp_reflect, 10);
	assert_int_equal(d->sec.reflect_port, 123);
	stats_flush(st);
	n = stats_groups(st, g, 8);
	assert_int_equal(n, 3);
	assert_string_equal(g[0].label, "198.51.0.0/16");
	assert_int_equal(g[0].syn_rate, 1500);
	assert_string_equal(g[1].label, "1.2.0.0/16");
	assert_int_equal(g[1].syn_rate, 50);
	assert_int_equal(g[2].syn_rate, 0);
	assert_true(stats_reflector_port(11211));
	assert_true(stats_reflector_port(3702));
	assert_false(stats_reflector_port(443));
	stats_free(st);
}

static void
test_weighted_and_not_ip(void **state)
{
	struct stats *st = stats_new(NULL, 0);
	struct pkt p;

	(void)state;
	p = mkpkt(1764115200LL * 1000000, 1, 2, L4_TCP, TCP_SYN | TCP_ACK);
	p.weight = 1000;
	p.wbytes = 64000;
	stats_add(st, &p);
	memset(&p, 0, sizeof(p));
	p.ts_us = 1764115200LL * 1000000;
	p.weight = 1;
	p.wbytes = 60;
	assert_null(stats_add(st, &p));
	assert_int_equal(stats_total(st)->packets, 1001);
	assert_int_equal(stats_total(st)->tcp_synack, 1000);
	assert_int_equal(stats_total(st)->bytes, 64060);
	assert_int_equal(stats_total(st)->notip, 1);
	stats_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_seconds),
		cmocka_unit_test(test_idle_gap_closes_seconds),
		cmocka_unit_test(test_second_zero_is_a_second),
		cmocka_unit_test(test_table_is_bounded),
		cmocka_unit_test(test_groups_and_reflectors),
		cmocka_unit_test(test_weighted_and_not_ip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
