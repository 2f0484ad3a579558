/*
 * test_event.c -- journal events read into typed fields (event.c): each
 * type's members, and the defaults a hostile or old journal line gets
 * (missing members, wrong JSON types, unknown names), which are the
 * defaults the string readers it replaced used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "case/event.h"
#include "base/json.h"
#include "base/util.h"

/* Parse one line into e (which owns the tree). */
static void
load(struct incident_event *e, const char *line)
{
	struct json *j = json_parse(line, strlen(line), 0, NULL, NULL);

	assert_non_null(j);
	event_load(e, j, 1);
}

static void
test_types(void **state)
{
	struct incident_event e;

	(void)state;
	load(&e, "{\"seq\":3,\"ts\":\"2026-11-26T00:00:01Z\",\"type\":\"action\","
	    "\"operator\":\"op\",\"action\":\"null-route\",\"state\":\"taken\","
	    "\"detail\":\"d\",\"under_override\":true}");
	assert_int_equal(e.seq, 3);
	assert_int_equal(e.ts_us, 1795651201LL * 1000000);
	assert_string_equal(e.type, "action");
	assert_string_equal(e.operator, "op");
	assert_int_equal(e.ev.type, EV_ACTION);
	assert_string_equal(e.ev.u.action.action, "null-route");
	assert_int_equal(e.ev.u.action.state, ACT_TAKEN);
	assert_string_equal(e.ev.u.action.detail, "d");
	assert_int_equal(e.ev.u.action.under_override, 1);
	event_free(&e);

	load(&e, "{\"seq\":2,\"type\":\"evidence\",\"target\":\"192.0.2.1\","
	    "\"peak_pps\":1000,\"top_port\":53,\"spoof_evidence\":[\"a\",1],"
	    "\"top_sources\":[{\"addr\":\"198.51.100.1\",\"asn\":64500,"
	    "\"cc\":\"JP\",\"share_pm\":750,\"packets\":9},7]}");
	assert_int_equal(e.ev.type, EV_EVIDENCE);
	assert_string_equal(e.ev.u.evidence.target, "192.0.2.1");
	assert_null(e.ev.u.evidence.attack);	/* absent: NULL */
	assert_int_equal(e.ev.u.evidence.peak_pps, 1000);
	assert_int_equal(e.ev.u.evidence.top_port, 53);
	assert_int_equal(e.ev.u.evidence.nspoof_evidence, 2);
	assert_string_equal(e.ev.u.evidence.spoof_evidence[0], "a");
	assert_null(e.ev.u.evidence.spoof_evidence[1]);
	assert_int_equal(e.ev.u.evidence.ntop, 2);
	assert_string_equal(e.ev.u.evidence.top[0].addr, "198.51.100.1");
	assert_int_equal(e.ev.u.evidence.top[0].asn, 64500);
	assert_int_equal(e.ev.u.evidence.top[0].share_pm, 750);
	assert_int_equal(e.ev.u.evidence.top[0].packets, 9);
	assert_null(e.ev.u.evidence.top[1].addr);	/* not an object */
	event_free(&e);
}

static void
test_hostile_defaults(void **state)
{
	struct incident_event e;
	struct ev ev;
	char errbuf[ERRBUF_SIZE];
	struct json *j;

	(void)state;
	/* wrong types: strings become "", numbers 0 (negative for getu) */
	load(&e, "{\"type\":\"contact\",\"what\":\"ack \",\"contact\":[1],"
	    "\"text\":null,\"ts\":\"x\"}");
	assert_int_equal(e.ev.type, EV_CONTACT);
	assert_int_equal(e.ev.u.contact.what, -1);
	assert_string_equal(e.ev.u.contact.what_name, "ack ");
	assert_string_equal(e.ev.u.contact.contact, "");
	assert_string_equal(e.ev.u.contact.text, "");
	assert_int_equal(e.ts_us, 0);
	assert_int_equal(e.seq, 0);
	event_free(&e);
	load(&e, "{\"type\":\"action\",\"state\":\"none\"}");
	assert_int_equal(e.ev.u.action.state, -1);	/* "none" is no state */
	event_free(&e);
	load(&e, "{\"type\":\"created\",\"tlp\":7}");
	assert_null(e.ev.u.created.tlp);
	assert_string_equal(e.ev.u.created.kind, "");
	event_free(&e);
	load(&e, "{\"type\":\"status\",\"status\":\"closed \"}");
	assert_int_equal(e.ev.u.status.closed, 0);	/* exact word only */
	event_free(&e);
	load(&e, "{\"type\":\"evidence\",\"peak_pps\":-5,\"top_port\":-1}");
	assert_int_equal(e.ev.u.evidence.peak_pps, 0);
	assert_int_equal(e.ev.u.evidence.top_port, -1);
	assert_int_equal(e.ev.u.evidence.ntop, 0);
	assert_null(e.ev.u.evidence.top);
	event_free(&e);
	/* unknown, missing and non-string types */
	load(&e, "{\"type\":\"tlp2\"}");
	assert_int_equal(e.ev.type, EV_UNKNOWN);
	event_free(&e);
	load(&e, "{\"type\":[\"created\"]}");
	assert_int_equal(e.ev.type, EV_UNKNOWN);
	assert_string_equal(e.type, "");
	event_free(&e);
	/* not an object: refused, typed as unknown */
	j = json_parse("[1]", 3, 0, NULL, NULL);
	assert_non_null(j);
	assert_int_equal(event_parse(j, &ev, errbuf), -1);
	assert_int_equal(ev.type, EV_UNKNOWN);
	event_parse_free(&ev);
	json_free(j);
}

/* The phishing events (issue 14): site, lookup, takedown. */
static void
test_site_events(void **state)
{
	struct incident_event e;

	(void)state;
	load(&e, "{\"type\":\"site\",\"url\":\"https://a.example/x\","
	    "\"host\":\"a.example\",\"brand\":\"Bank\","
	    "\"first_seen\":\"2026-12-01T00:00:00Z\"}");
	assert_int_equal(e.ev.type, EV_SITE);
	assert_string_equal(e.ev.u.site.url, "https://a.example/x");
	assert_string_equal(e.ev.u.site.host, "a.example");
	assert_string_equal(e.ev.u.site.brand, "Bank");
	assert_int_equal(e.ev.u.site.first_seen_us, 1796083200LL * 1000000);
	event_free(&e);

	load(&e, "{\"type\":\"lookup\",\"host\":\"a.example\","
	    "\"status\":\"ok\",\"at\":\"2026-12-01T01:00:00Z\","
	    "\"addrs\":[{\"addr\":\"198.51.100.7\",\"asn\":64500,"
	    "\"cc\":\"BR\",\"abuse\":\"abuse@br.example\","
	    "\"source\":\"dns A\"},\"junk\",{\"asn\":\"x\"}],"
	    "\"registrar\":{\"name\":\"Reg\",\"abuse_email\":"
	    "\"abuse@reg.example\",\"source\":\"rdap\"},"
	    "\"sources\":[\"dns 127.0.0.1\",5]}");
	assert_int_equal(e.ev.type, EV_LOOKUP);
	assert_string_equal(e.ev.u.lookup.status, "ok");
	assert_int_equal(e.ev.u.lookup.at_us, 1796086800LL * 1000000);
	assert_int_equal(e.ev.u.lookup.naddrs, 2);	/* "junk" skipped */
	assert_string_equal(e.ev.u.lookup.addrs[0].addr, "198.51.100.7");
	assert_int_equal(e.ev.u.lookup.addrs[0].asn, 64500);
	assert_string_equal(e.ev.u.lookup.addrs[0].cc, "BR");
	assert_string_equal(e.ev.u.lookup.addrs[0].abuse, "abuse@br.example");
	assert_null(e.ev.u.lookup.addrs[1].addr);
	assert_int_equal(e.ev.u.lookup.addrs[1].asn, 0);
	assert_string_equal(e.ev.u.lookup.registrar, "Reg");
	assert_string_equal(e.ev.u.lookup.registrar_abuse, "abuse@reg.example");
	assert_string_equal(e.ev.u.lookup.registrar_id, "");
	assert_int_equal(e.ev.u.lookup.nsources, 2);
	assert_null(e.ev.u.lookup.sources[1]);
	event_free(&e);

	/* hostile: wrong types everywhere */
	load(&e, "{\"type\":\"lookup\",\"addrs\":{\"addr\":1},"
	    "\"registrar\":\"Reg\",\"sources\":\"x\",\"at\":7}");
	assert_int_equal(e.ev.u.lookup.naddrs, 0);
	assert_null(e.ev.u.lookup.addrs);
	assert_string_equal(e.ev.u.lookup.registrar, "");
	assert_int_equal(e.ev.u.lookup.nsources, 0);
	assert_int_equal(e.ev.u.lookup.at_us, 0);
	assert_string_equal(e.ev.u.lookup.host, "");
	event_free(&e);
	load(&e, "{\"type\":\"site\",\"first_seen\":\"yesterday\"}");
	assert_int_equal(e.ev.u.site.first_seen_us, 0);
	assert_string_equal(e.ev.u.site.host, "");
	event_free(&e);
	load(&e, "{\"type\":\"takedown\",\"how\":\"unresolved\"}");
	assert_int_equal(e.ev.type, EV_TAKEDOWN);
	assert_string_equal(e.ev.u.takedown.how, "unresolved");
	assert_string_equal(e.ev.u.takedown.detail, "");
	event_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_site_events),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_hostile_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
