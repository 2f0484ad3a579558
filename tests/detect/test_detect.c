/*
 * test_detect.c -- where an attack enters: each alert's ingress (the
 * neighbours that hand its packets to us, with shares and first/last
 * times), named by the neighbour and peer settings, for captures (router
 * MACs, the destination MAC for outbound attacks) and telemetry (the
 * previous-adjacent AS, else the link's peer); bounded per target; and its
 * JSON in the summary's and --alerts' format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/analysis.h"
#include "settings/config.h"
#include "detect/detect.h"
#include "base/jsonw.h"
#include "base/util.h"

#define T0	(1764115200LL * 1000000)
#define VICTIM	0xcb007150u	/* 203.0.113.80 */

static const uint8_t mac_a[6] = { 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x0b };
static const uint8_t mac_us[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

static const char *
names(void *ctx, unsigned link, char *buf, size_t len)
{
	static const char *const n[] = { "peering-A", "peering-B", "pni-C" };

	(void)ctx;
	if (link >= 3)
		return NULL;
	snprintf(buf, len, "%s", n[link]);
	return buf;
}

static struct options *
opts(void)
{
	struct options *o = xcalloc(1, sizeof(*o));
	char err[ERRBUF_SIZE];

	config_defaults(o);
	assert_int_equal(config_set(o, "home", "203.0.113.0/24", 0, err), 0);
	assert_int_equal(config_set(o, "neighbour",
	    "00:1b:21:0a:0b:0c=AS64500:example-peering-a", 0, err), 0);
	assert_int_equal(config_set(o, "neighbour", "02:00:00:00:00:99=64510",
	    0, err), 0);
	assert_int_equal(config_set(o, "peer", "pni-C=64502:example-pni", 0,
	    err), 0);
	return o;
}

static struct analysis *
start(const struct options *o)
{
	char err[ERRBUF_SIZE];
	struct analysis *a = analysis_new(o, err);

	assert_non_null(a);
	detect_set_linkname(analysis_detect(a), names, NULL);
	return a;
}

/* One frame: src -> dst, TCP SYN or UDP, on link, MACs as given. */
static void
feed(struct analysis *a, int64_t ts, uint32_t src, uint32_t dst, int udp,
    uint16_t link, const uint8_t *msrc, const uint8_t *mdst, uint32_t pas)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts_us = ts;
	p.wirelen = 60;
	p.weight = 1;
	p.wbytes = 60;
	p.family = 4;
	p.ttl = 64;
	p.link = link;
	p.peer_as = pas;
	if (udp) {
		p.l4 = L4_UDP;
		p.proto = 17;
		p.sport = 4444;
		p.dport = 80;
	} else {
		p.l4 = L4_TCP;
		p.proto = 6;
		p.tcp_flags = TCP_SYN;
		p.sport = (uint16_t)(src >> 7);
		p.dport = 80;
	}
	if (msrc != NULL)
		memcpy(p.mac_src, msrc, 6);
	if (mdst != NULL)
		memcpy(p.mac_dst, mdst, 6);
	addr_from_v4(&p.src, src);
	addr_from_v4(&p.dst, dst);
	analysis_add(a, &p);
}

static const struct alert *
only_alert(struct analysis *a, struct alert *buf)
{
	assert_int_equal(detect_alerts(analysis_detect(a), buf, 4), 1);
	return buf;
}

/*
 * A spoofed SYN flood that moves from peering-A (a named router) to
 * peering-B (an unknown one) half-way: both at about half, A first seen
 * before B and last seen before B's first packet; unknown parts empty.
 */
static void
test_route_shift(void **state)
{
	struct options *o = opts();
	struct analysis *a = start(o);
	struct alert al[4];
	const struct alert *x;
	uint32_t r = 12345;
	int s, k;

	(void)state;
	for (s = 0; s < 10; s++)
		for (k = 0; k < 3000; k++) {
			r = r * 1103515245u + 12345u;
			feed(a, T0 + s * 1000000LL + k * 300, r | 0x01000000u,
			    VICTIM, 0, s < 5 ? 0 : 1, s < 5 ? mac_a : mac_b,
			    mac_us, 0);
		}
	analysis_finish(a);
	x = only_alert(a, al);
	assert_int_equal(x->kind, KIND_SYN_FLOOD);
	assert_int_equal(x->ningress, 2);
	assert_int_equal(x->ingress_other, 0);
	/* the same number of packets each way; shares within a tracker's
	 * start-up (it begins at watch level, a few packets in) */
	assert_true(x->ingress[0].share > 0.45 && x->ingress[0].share < 0.55);
	assert_true(x->ingress[1].share > 0.45 && x->ingress[1].share < 0.55);
	assert_true(x->ingress[0].share + x->ingress[1].share > 0.999);
	for (k = 0; k < 2; k++) {
		const struct alert_ingress *n = &x->ingress[k];

		assert_true(n->has_mac);
		if (memcmp(n->mac, mac_a, 6) == 0) {
			assert_string_equal(n->link, "peering-A");
			assert_int_equal(n->asn, 64500);
			assert_string_equal(n->contact, "example-peering-a");
			assert_true(n->first_us < T0 + 1000000);
			assert_true(n->last_us < T0 + 5000000);
		} else {
			assert_memory_equal(n->mac, mac_b, 6);
			assert_string_equal(n->link, "peering-B");
			assert_int_equal(n->asn, 0);
			assert_string_equal(n->contact, "");
			assert_true(n->first_us == T0 + 5000000);
			assert_true(n->last_us > T0 + 9000000);
			assert_int_equal(n->packets, 15000);
		}
	}
	analysis_free(a);
	free(o);
}

/*
 * The ingress is current while the alert runs: after the first half only
 * peering-A shows; once the route moves, peering-B grows.
 */
static void
test_kept_current(void **state)
{
	struct options *o = opts();
	struct analysis *a = start(o);
	struct alert al[4];
	uint32_t r = 99;
	int s, k;

	(void)state;
	for (s = 0; s < 8; s++) {
		for (k = 0; k < 3000; k++) {
			r = r * 1103515245u + 12345u;
			feed(a, T0 + s * 1000000LL + k * 300, r | 0x01000000u,
			    VICTIM, 0, s < 4 ? 0 : 1, s < 4 ? mac_a : mac_b,
			    mac_us, 0);
		}
		if (s == 3 || s == 7) {
			/* the next second's first packet closes this one */
			feed(a, T0 + (s + 1) * 1000000LL, 0x0a000001u,
			    0xcb00710au, 1, 2, NULL, NULL, 0);
			assert_int_equal(detect_alerts(analysis_detect(a), al,
			    4), 1);
			assert_int_equal(al[0].end_us, 0);	/* active */
			if (s == 3) {
				assert_int_equal(al[0].ningress, 1);
				assert_string_equal(al[0].ingress[0].link,
				    "peering-A");
				assert_true(al[0].ingress[0].share == 1.0);
			} else {
				assert_int_equal(al[0].ningress, 2);
				assert_true(al[0].ingress[1].share > 0.4);
			}
		}
	}
	analysis_free(a);
	free(o);
}

/*
 * Outbound: our host floods a foreign target; the neighbour is the router
 * we hand the frames to (their destination MAC), not our own router.
 */
static void
test_outbound_uses_destination_mac(void **state)
{
	struct options *o = opts();
	struct analysis *a = start(o);
	struct alert al[4];
	int s, k;

	(void)state;
	for (s = 0; s < 5; s++)
		for (k = 0; k < 6000; k++)
			feed(a, T0 + s * 1000000LL + k * 150, 0xcb007142u,
			    0xc63364c8u, 1, 0, mac_us, mac_a, 0);
	analysis_finish(a);
	only_alert(a, al);
	assert_int_equal(al[0].direction, DIR_OUTBOUND);
	assert_int_equal(al[0].ningress, 1);
	assert_memory_equal(al[0].ingress[0].mac, mac_a, 6);
	assert_int_equal(al[0].ingress[0].asn, 64500);
	analysis_free(a);
	free(o);
}

/*
 * Telemetry: the previous-adjacent AS names the neighbour (its contact from
 * a setting with that AS); without it, a link's peer setting does; with
 * neither, only the link is known.
 */
static void
test_telemetry_neighbours(void **state)
{
	struct options *o = opts();
	struct analysis *a = start(o);
	struct alert al[4];
	const struct alert *x;
	uint32_t r = 7;
	int s, k, seen = 0;

	(void)state;
	for (s = 0; s < 5; s++)
		for (k = 0; k < 3000; k++) {
			r = r * 1103515245u + 12345u;
			/* 1/2 via AS64500 on peering-A, 1/3 on pni-C (peer
			 * setting), 1/6 on a link without a name */
			feed(a, T0 + s * 1000000LL + k * 300, r | 0x01000000u,
			    VICTIM, 0, k % 6 < 3 ? 0 : k % 6 < 5 ? 2 : 7,
			    NULL, NULL, k % 6 < 3 ? 64500 : 0);
		}
	analysis_finish(a);
	x = only_alert(a, al);
	assert_int_equal(x->ningress, 3);
	for (k = 0; k < 3; k++) {
		const struct alert_ingress *n = &x->ingress[k];

		assert_false(n->has_mac);
		if (strcmp(n->link, "peering-A") == 0) {
			assert_int_equal(k, 0);
			assert_int_equal(n->asn, 64500);
			assert_string_equal(n->contact, "example-peering-a");
			seen |= 1;
		} else if (strcmp(n->link, "pni-C") == 0) {
			assert_int_equal(k, 1);
			assert_int_equal(n->asn, 64502);
			assert_string_equal(n->contact, "example-pni");
			seen |= 2;
		} else {
			assert_int_equal(k, 2);
			assert_string_equal(n->link, "");
			assert_int_equal(n->asn, 0);
			assert_true(n->share > 0.15 && n->share < 0.18);
			seen |= 4;
		}
	}
	assert_int_equal(seen, 7);
	analysis_free(a);
	free(o);
}

/*
 * Bounded: twenty routers hand a flood over; ALERT_INGRESS of them keep
 * their counters, the rest are one "other" count, and the shares are of
 * everything counted.
 */
static void
test_bounded(void **state)
{
	struct options *o = opts();
	struct analysis *a = start(o);
	struct alert al[4];
	const struct alert *x;
	uint8_t m[6] = { 0x02, 0, 0, 0, 0x77, 0 };
	uint64_t sum = 0;
	double shares = 0;
	uint32_t r = 5;
	unsigned i;
	int s, k;

	(void)state;
	for (s = 0; s < 5; s++)
		for (k = 0; k < 3000; k++) {
			r = r * 1103515245u + 12345u;
			m[5] = (uint8_t)(k % 20);
			feed(a, T0 + s * 1000000LL + k * 300, r | 0x01000000u,
			    VICTIM, 0, 1, m, mac_us, 0);
		}
	analysis_finish(a);
	x = only_alert(a, al);
	assert_int_equal(x->ningress, ALERT_INGRESS);
	assert_true(x->ingress_other > 0);
	for (i = 0; i < x->ningress; i++) {
		sum += x->ingress[i].packets;
		shares += x->ingress[i].share;
		if (i > 0)
			assert_true(x->ingress[i].packets <=
			    x->ingress[i - 1].packets);
	}
	assert_true(shares < 0.5 && shares > 0.3);
	assert_true(sum + x->ingress_other > 14000);
	analysis_free(a);
	free(o);
}

/* The JSON contract: link, mac, asn, contact, packets, share (null where
 * unknown), first_seen and last_seen, best first. */
static void
test_json(void **state)
{
	struct alert al;
	struct jsonw w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	memset(&al, 0, sizeof(al));
	al.id = 3;
	addr_from_v4(&al.target, VICTIM);
	al.start_us = T0;
	al.ningress = 2;
	al.ingress_other = 5;
	snprintf(al.ingress[0].link, sizeof(al.ingress[0].link), "peering-A");
	memcpy(al.ingress[0].mac, mac_a, 6);
	al.ingress[0].has_mac = 1;
	al.ingress[0].asn = 64500;
	snprintf(al.ingress[0].contact, sizeof(al.ingress[0].contact),
	    "example-peering-a");
	al.ingress[0].packets = 600;
	al.ingress[0].share = 0.75;
	al.ingress[0].first_us = T0;
	al.ingress[0].last_us = T0 + 2500000;
	al.ingress[1].packets = 200;
	al.ingress[1].share = 0.25;
	al.ingress[1].first_us = T0 + 1000000;
	al.ingress[1].last_us = T0 + 3000000;
	jsonw_init(&w, f, 0);
	detect_alert_json(&w, &al);
	jsonw_end(&w);
	fclose(f);
	if (strstr(buf, "\"ingress\":[{\"link\":\"peering-A\","
	    "\"mac\":\"00:1b:21:0a:0b:0c\",\"asn\":64500,"
	    "\"contact\":\"example-peering-a\",\"packets\":600,"
	    "\"share\":0.750000,\"first_seen\":\"2025-11-26T00:00:00Z\","
	    "\"last_seen\":\"2025-11-26T00:00:02.500000Z\"},"
	    "{\"link\":null,\"mac\":null,\"asn\":null,\"contact\":null,"
	    "\"packets\":200,\"share\":0.250000,\"first_seen\":"
	    "\"2025-11-26T00:00:01Z\",\"last_seen\":\"2025-11-26T00:00:03Z\"}],"
	    "\"ingress_other_packets\":5}") == NULL ||
	    strstr(buf, "\"ingress_other_packets\":5") == NULL) {
		print_error("%s\n", buf);
		fail();
	}
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_shift),
		cmocka_unit_test(test_kept_current),
		cmocka_unit_test(test_outbound_uses_destination_mac),
		cmocka_unit_test(test_telemetry_neighbours),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
