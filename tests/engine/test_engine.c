/*
 * test_engine.c -- the engine reading telemetry for a report (what
 * `kyocho summary --netflow` does): NetFlow v5 datagrams sent over loopback
 * to the engine's own listener reach the analysis, the input ends after
 * the idle limit or at engine_end_telemetry() (from a signal handler too),
 * and the totals (sampled packets, highest sampling rate) are counted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/analysis.h"
#include "settings/config.h"
#include "engine/engine.h"
#include "flow/flowsrc.h"
#include "detect/stats.h"
#include "base/util.h"

#include "flowbuild.h"

/* One v5 flow: packets sent to 203.0.113.dst from 198.51.100.src. */
struct v5flow {
	uint8_t src, dst;
	uint32_t packets;
	uint8_t tcp_flags;
};

/*
 * A NetFlow v5 datagram (RFC 3954's predecessor, Cisco's v5 layout: 24-byte
 * header, 48-byte records) of n flows, sampled 1:rate, exported at
 * export_s with the router up for 100 s; every flow ended at uptime 99 s
 * on ifIndex 3, 40 bytes a packet.
 */
static void
put_v5(struct fb *f, uint32_t export_s, uint16_t rate,
    const struct v5flow *fl, size_t n)
{
	size_t i;

	f->n = 0;
	fb_u16(f, 5);
	fb_u16(f, (uint16_t)n);
	fb_u32(f, 100000);
	fb_u32(f, export_s);
	fb_u32(f, 0);
	fb_u32(f, 1);				/* flow sequence */
	fb_u16(f, 0);				/* engine type, id */
	fb_u16(f, (uint16_t)(1u << 14 | rate));
	for (i = 0; i < n; i++) {
		uint8_t pad[4] = { 0, 0, 0, 0 };

		fb_u32(f, 0xc6336400u | fl[i].src);	/* 198.51.100.x */
		fb_u32(f, 0xcb007100u | fl[i].dst);	/* 203.0.113.x */
		fb_u32(f, 0);				/* next hop */
		fb_u32(f, 3 << 16 | 4);			/* in, out ifIndex */
		fb_u32(f, fl[i].packets);
		fb_u32(f, fl[i].packets * 40);
		fb_u32(f, 98000);			/* first, last */
		fb_u32(f, 99000);
		fb_u32(f, 40000u << 16 | 80);		/* ports */
		fb_u8(f, 0);
		fb_u8(f, fl[i].tcp_flags);
		fb_u8(f, 6);				/* TCP */
		fb_u8(f, 0);				/* ToS */
		fb_bytes(f, pad, 4);			/* AS numbers */
		fb_bytes(f, pad, 4);			/* masks, pad */
	}
}

static void
send_to(uint16_t port, const struct fb *f)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(sendto(fd, f->b, f->n, 0, (struct sockaddr *)&sin,
	    sizeof(sin)), (ssize_t)f->n);
	close(fd);
}

/* An engine listening for NetFlow on a free loopback port, not started. */
struct fixture {
	struct options o;
	struct engine *e;
	uint16_t port;
	char err[ERRBUF_SIZE];
};

static int
setup_netflow(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	const struct flowsrc *fs;

	config_defaults(&fx->o);
	if (config_set(&fx->o, "netflow", "127.0.0.1:0", 1, fx->err) != 0 ||
	    (fx->e = engine_new(&fx->o, fx->err)) == NULL) {
		fprintf(stderr, "setup: %s\n", fx->err);
		free(fx);
		return -1;
	}
	fs = engine_flowsrc(fx->e);
	if (fs == NULL || flowsrc_ncollectors(fs) != 1) {
		engine_free(fx->e);
		free(fx);
		return -1;
	}
	fx->port = flowc_port(flowsrc_collector(fs, 0, NULL, NULL));
	*state = fx;
	return 0;
}

static int
teardown_netflow(void **state)
{
	struct fixture *fx = *state;

	engine_free(fx->e);
	free(fx);
	return 0;
}

static void
test_report_idle(void **state)
{
	static const struct v5flow a[] = {
		{ 7, 9, 10, 0x02 }, { 8, 9, 1, 0x02 }, { 9, 9, 5, 0x18 },
	};
	struct fixture *fx = *state;
	struct engine_telemetry t;
	struct stats *st;
	const struct dst_entry *top[2];
	struct fb *f = xcalloc(1, sizeof(*f));

	assert_true(fx->port != 0);
	/* ends one second after the last datagram; 600 s never comes */
	engine_set_telemetry_report(fx->e, 600, 1);
	assert_int_equal(engine_start(fx->e, fx->err), 0);
	put_v5(f, 1700000000, 100, a, 2);
	send_to(fx->port, f);
	/* Same second of record time, a wall-clock moment later: a clock
	 * moved by the wall would close that second in between. */
	usleep(100000);
	put_v5(f, 1700000000, 10, a + 2, 1);
	send_to(fx->port, f);
	free(f);
	engine_wait(fx->e);

	assert_null(engine_error(fx->e));
	assert_int_equal(engine_telemetry_totals(fx->e, &t), 0);
	assert_int_equal(t.sampled, 10 + 1 + 5);
	assert_int_equal(t.max_rate, 100);
	assert_true(t.listened_s > 0);
	st = analysis_stats(engine_analysis(fx->e));
	/* every record reached the analysis, scaled by its rate */
	assert_int_equal(stats_total(st)->packets, 1000 + 100 + 50);
	assert_int_equal(stats_total(st)->tcp_syn, 1100);
	/* the analysis clock is the records' time (2023), not the wall's:
	 * all three records fall in one second of 203.0.113.9 */
	assert_true(stats_last_us(st) == (int64_t)1699999999 * 1000000);
	assert_int_equal(stats_top_dst(st, top, 2), 1);
	assert_int_equal(top[0]->packets, 1150);
	assert_int_equal(top[0]->peak_pps, 1150);
	assert_non_null(flowsrc_link(engine_flowsrc(fx->e), 0));
	assert_int_equal(flowsrc_link(engine_flowsrc(fx->e), 0)->ifindex, 3);
}

/* Silence: the duration limit ends the input, not the idle one, which
 * counts only after a first datagram. */
static void
test_report_duration(void **state)
{
	struct fixture *fx = *state;
	struct engine_telemetry t;

	engine_set_telemetry_report(fx->e, 1, 1);
	assert_int_equal(engine_start(fx->e, fx->err), 0);
	engine_wait(fx->e);
	assert_null(engine_error(fx->e));
	assert_int_equal(engine_telemetry_totals(fx->e, &t), 0);
	assert_true(t.listened_s >= 1.0);
	assert_int_equal(t.sampled, 0);
}

static struct engine *signal_engine;

static void
on_sigint(int sig)
{
	(void)sig;
	engine_end_telemetry(signal_engine);
}

/* No limit: only engine_end_telemetry(), called from a signal handler. */
static void
test_end_from_signal(void **state)
{
	struct fixture *fx = *state;
	struct engine_telemetry t;
	struct sigaction sa, old;

	engine_set_telemetry_report(fx->e, 0, 0);
	signal_engine = fx->e;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, &old);
	assert_int_equal(engine_start(fx->e, fx->err), 0);
	raise(SIGINT);
	engine_wait(fx->e);
	sigaction(SIGINT, &old, NULL);

	assert_null(engine_error(fx->e));
	assert_int_equal(engine_telemetry_totals(fx->e, &t), 0);
	assert_int_equal(t.sampled, 0);
	assert_int_equal(t.max_rate, 0);
	assert_int_equal(stats_total(analysis_stats(
	    engine_analysis(fx->e)))->packets, 0);
}

/* Capture files only: no telemetry to report on. */
static void
test_no_telemetry(void **state)
{
	static const uint8_t hdr[24] = {	/* empty pcap, Ethernet */
		0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0, 0, 1, 0, 0, 0,
	};
	char path[] = "/tmp/kyocho-test-engine.XXXXXX", err[ERRBUF_SIZE];
	struct options *o = xcalloc(1, sizeof(*o));
	struct engine_telemetry t;
	struct engine *e;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, hdr, sizeof(hdr)), (ssize_t)sizeof(hdr));
	close(fd);
	config_defaults(o);
	o->read_files[o->nread++] = path;
	e = engine_new(o, err);
	if (e == NULL)
		fail_msg("engine_new: %s", err);
	assert_null(engine_flowsrc(e));
	assert_int_equal(engine_telemetry_totals(e, &t), -1);
	engine_set_telemetry_report(e, 1, 1);	/* no effect */
	engine_end_telemetry(e);
	assert_int_equal(engine_start(e, err), 0);
	engine_wait(e);
	assert_null(engine_error(e));
	engine_free(e);
	unlink(path);
	free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report_idle,
		    setup_netflow, teardown_netflow),
		cmocka_unit_test_setup_teardown(test_report_duration,
		    setup_netflow, teardown_netflow),
		cmocka_unit_test_setup_teardown(test_end_from_signal,
		    setup_netflow, teardown_netflow),
		cmocka_unit_test(test_no_telemetry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
