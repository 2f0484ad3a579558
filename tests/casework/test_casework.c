/*
 * test_casework.c -- the casework layer's rules, decided once for the
 * terminal and the CLI: the incident kind for each class of alert, the
 * default TLP from data/incident-kinds.txt and an explicit one, the action
 * gate, the draft's recipient and template language, our-zone recorded in
 * new incidents, and the report file's place and modes.
 *
 * Hermetic: HOME and XDG_* point into the test's own directory, TZ is set,
 * the data directory is given explicitly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "casework/casework.h"
#include "contacts/contacts.h"
#include "case/evidence.h"
#include "case/incident.h"
#include "detect/snapshot.h"
#include "base/json.h"
#include "base/util.h"

#define T0	(1795651200LL * 1000000)	/* 2026-11-26T00:00:00Z */

static char dir[256];
static struct options opt;
static char *state, *srcdata;

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **ts)
{
	const char *src = getenv("KYOCHO_SRCDIR");
	char *p;

	(void)ts;
	snprintf(dir, sizeof(dir), "/tmp/kyocho-test-casework.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	setenv("HOME", dir, 1);
	p = xasprintf("%s/xdg-data", dir);
	setenv("XDG_DATA_HOME", p, 1);
	free(p);
	p = xasprintf("%s/xdg-state", dir);
	setenv("XDG_STATE_HOME", p, 1);
	free(p);
	setenv("TZ", "Europe/Berlin", 1);
	srcdata = xasprintf("%s/data", src != NULL ? src : ".");
	return 0;
}

static int
teardown(void **ts)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)ts;
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	free(cmd);
	free(srcdata);
	return 0;
}

/* A casework over a fresh state directory and the shipped data. */
static struct casework *
fresh(const char *name, const char *our_zone)
{
	struct case_settings cfg;

	free(state);
	state = xasprintf("%s/%s", dir, name);
	config_defaults(&opt);
	opt.data_dir = srcdata;
	opt.state_dir = state;
	opt.operator = "tanaka";
	memset(&cfg, 0, sizeof(cfg));
	cfg.opt = &opt;
	cfg.our_zone = our_zone;
	cfg.fixed_now = T0;
	return casework_open(&cfg);
}

static struct alert
alert_of(enum alert_kind kind, enum alert_direction d, enum spoof_level sp,
    uint16_t port)
{
	struct alert a;

	memset(&a, 0, sizeof(a));
	a.kind = kind;
	a.direction = d;
	a.spoof = sp;
	a.top_port = port;
	a.start_us = T0;
	a.last_us = T0 + 60000000;
	addr_parse("203.0.113.80", &a.target);
	return a;
}

static void
test_kind_for_alert(void **ts)
{
	struct casework *cw = fresh("kind", NULL);
	struct alert a;

	(void)ts;
	a = alert_of(KIND_UDP_FLOOD, DIR_OUTBOUND, SPOOF_HIGH, 53);
	assert_string_equal(casework_kind_for_alert(cw, &a), "outbound-bots");
	/* Amplification arriving is a reflection attack, from any port
	 * (DNS, NTP): not the customer-resolver kind, not a plain DDoS. */
	a = alert_of(KIND_AMPLIFICATION, DIR_INBOUND, SPOOF_LOW, 53);
	assert_string_equal(casework_kind_for_alert(cw, &a), "reflection");
	a = alert_of(KIND_AMPLIFICATION, DIR_INBOUND, SPOOF_LOW, 123);
	assert_string_equal(casework_kind_for_alert(cw, &a), "reflection");
	a = alert_of(KIND_AMPLIFICATION, DIR_UNKNOWN, SPOOF_MEDIUM, 123);
	assert_string_equal(casework_kind_for_alert(cw, &a), "reflection");
	/* Leaving us from port 53: our customers' resolvers reflect. */
	a = alert_of(KIND_AMPLIFICATION, DIR_OUTBOUND, SPOOF_LOW, 53);
	assert_string_equal(casework_kind_for_alert(cw, &a),
	    "dns-amplification");
	a = alert_of(KIND_SYN_FLOOD, DIR_INBOUND, SPOOF_HIGH, 0);
	assert_string_equal(casework_kind_for_alert(cw, &a), "spoofed");
	a = alert_of(KIND_SYN_FLOOD, DIR_UNKNOWN, SPOOF_MEDIUM, 0);
	assert_string_equal(casework_kind_for_alert(cw, &a), "ddos-customer");
	casework_free(cw);
}

/* A kinds file without the rule's kind: its first kind is taken, with
 * that kind's TLP. */
static void
test_kind_not_listed(void **ts)
{
	char errbuf[ERRBUF_SIZE], *tdata, *p;
	struct casework *cw = fresh("kind2", NULL);
	struct incident *inc;
	struct alert a;

	(void)ts;
	tdata = xasprintf("%s/tdata", dir);
	assert_int_equal(mkdir(tdata, 0700), 0);
	p = xasprintf("%s/incident-kinds.txt", tdata);
	write_file(p, "kind local-ddos\n  name.en = Ours\n  name.ja = 当社\n"
	    "  tlp = TLP:RED\n\nkind other\n  name.en = Other\n"
	    "  name.ja = その他\n");
	free(p);
	opt.data_dir = tdata;
	assert_int_equal(casework_load_kinds(cw, errbuf), 0);
	a = alert_of(KIND_UDP_FLOOD, DIR_INBOUND, SPOOF_LOW, 0);
	assert_string_equal(casework_kind_for_alert(cw, &a), "local-ddos");
	assert_string_equal(casework_default_tlp(cw, "local-ddos"), "TLP:RED");
	/* A kind without a tlp line, or not listed: TLP:AMBER. */
	assert_string_equal(casework_default_tlp(cw, "other"), "TLP:AMBER");
	assert_string_equal(casework_default_tlp(cw, "nosuch"), "TLP:AMBER");
	assert_int_equal(casework_create_from_alert(cw, &a, "flood", NULL,
	    "uplink-1", &inc, errbuf), 0);
	assert_string_equal(inc->kind, "local-ddos");
	assert_string_equal(inc->tlp, "TLP:RED");
	assert_string_equal(inc->source, "alert");
	assert_non_null(incident_last_evidence(inc));
	casework_free(cw);
	opt.data_dir = srcdata;
	free(tdata);
}

/* The TLP a new incident gets: its kind's from the shipped kinds file
 * unless one is given (as `kyocho incident new --tlp`). */
static void
test_default_tlp(void **ts)
{
	char errbuf[ERRBUF_SIZE];
	struct casework *cw = fresh("tlp", NULL);
	struct incident *inc;
	struct alert a;

	(void)ts;
	assert_string_equal(casework_default_tlp(cw, "spoofed"), "TLP:GREEN");
	assert_string_equal(casework_default_tlp(cw, "ddos-own"), "TLP:AMBER");
	assert_int_equal(casework_create(cw, "spoofed", "by hand", "manual",
	    NULL, &inc, errbuf), 0);
	assert_string_equal(inc->tlp, "TLP:GREEN");
	assert_int_equal(casework_create(cw, "spam", "by hand", "manual",
	    NULL, &inc, errbuf), 0);
	assert_string_equal(inc->tlp, "TLP:GREEN");
	assert_int_equal(casework_create(cw, "botnet-cc", "by hand", "manual",
	    NULL, &inc, errbuf), 0);
	assert_string_equal(inc->tlp, "TLP:AMBER");
	/* An explicit label wins over the kind's. */
	assert_int_equal(casework_create(cw, "spoofed", "by hand", "manual",
	    "TLP:RED", &inc, errbuf), 0);
	assert_string_equal(inc->tlp, "TLP:RED");
	/* ... and is still checked. */
	assert_int_equal(casework_create(cw, "spoofed", "by hand", "manual",
	    "TLP:PURPLE", &inc, errbuf), -1);
	assert_non_null(strstr(errbuf, "TLP:PURPLE"));
	/* From an alert: the kind's TLP as well. */
	a = alert_of(KIND_AMPLIFICATION, DIR_INBOUND, SPOOF_LOW, 53);
	assert_int_equal(casework_create_from_alert(cw, &a, "dns amp", NULL,
	    NULL, &inc, errbuf), 0);
	assert_string_equal(inc->kind, "reflection");
	assert_string_equal(inc->tlp, "TLP:AMBER");
	a = alert_of(KIND_AMPLIFICATION, DIR_OUTBOUND, SPOOF_LOW, 53);
	assert_int_equal(casework_create_from_alert(cw, &a, "open resolvers",
	    NULL, NULL, &inc, errbuf), 0);
	assert_string_equal(inc->kind, "dns-amplification");
	assert_string_equal(inc->tlp, "TLP:GREEN");
	casework_free(cw);
}

static void
test_gate(void **ts)
{
	char errbuf[ERRBUF_SIZE];
	struct casework *cw = fresh("gate", NULL);
	struct incident_store *s;
	struct incident *inc;

	(void)ts;
	assert_int_equal(casework_create(cw, "ddos-own", "gate", "manual",
	    NULL, &inc, errbuf), 0);
	assert_non_null(s = casework_store(cw, errbuf));
	/* Proposing needs no checklist; taking is refused while it is
	 * incomplete, and nothing is journaled. */
	assert_int_equal(casework_act(cw, inc, "block", ACT_PROPOSED, "acl",
	    errbuf), 0);
	assert_int_equal(inc->nev, 2);
	assert_int_equal(casework_act(cw, inc, "block", ACT_TAKEN, "acl",
	    errbuf), -1);
	assert_non_null(strstr(errbuf, "block: the checklist is incomplete"));
	assert_int_equal(inc->nev, 2);
	assert_int_equal(incident_action_state(inc, "block", NULL),
	    ACT_PROPOSED);
	/* An action without a checklist: only an override lets it through. */
	assert_int_equal(casework_act(cw, inc, "no-such-action", ACT_TAKEN, "",
	    errbuf), -1);
	assert_non_null(strstr(errbuf, "no checklist is loaded"));
	/* With an override the gate opens. */
	assert_int_equal(incident_override(s, inc, "block", "no time", errbuf),
	    0);
	assert_int_equal(casework_act(cw, inc, "block", ACT_TAKEN, "acl",
	    errbuf), 0);
	assert_int_equal(incident_action_state(inc, "block", NULL), ACT_TAKEN);
	assert_int_equal(json_getb(inc->ev[inc->nev - 1].j, "under_override",
	    0), 1);
	casework_free(cw);
}

static const char contacts_txt[] =
    "id: both\n"
    "org: Both Networks\n"
    "team: Abuse Desk\n"
    "kind: peering-isp\n"
    "country: JP\n"
    "timezone: Asia/Tokyo\n"
    "languages: de, ja-JP\n"
    "email: noc@both.example\n"
    "abuse-email: abuse@both.example\n"
    "\n"
    "id: mail-only\n"
    "org: Mail Only Hosting\n"
    "kind: hosting\n"
    "country: DE\n"
    "timezone: Europe/Berlin\n"
    "languages: de\n"
    "email: info@mail-only.example\n"
    "\n"
    "id: none\n"
    "org: Nobody Reachable\n"
    "kind: hosting\n"
    "phone: +49 30 0000 0000\n";

static void
test_recipient(void **ts)
{
	char errbuf[ERRBUF_SIZE], l[8], *path, *draft;
	struct casework *cw = fresh("recipient", NULL);
	const struct contacts *db;
	const struct contact *c;
	struct incident *inc;
	struct alert a;
	FILE *f;
	size_t n;

	(void)ts;
	opt.contacts_path = path = xasprintf("%s/contacts.txt", dir);
	write_file(path, contacts_txt);
	assert_int_equal(casework_load_contacts(cw, 0, errbuf), 0);
	assert_non_null(db = casework_contacts(cw));
	c = contacts_get(db, (size_t)contacts_find(db, "both"));
	assert_string_equal(casework_recipient(c), "abuse@both.example");
	/* No German template, a Japanese one: ja. */
	casework_template_lang(cw, c, "ddos-filter-request", l, sizeof(l));
	assert_string_equal(l, "ja");
	casework_template_lang(cw, c, "no-such-template", l, sizeof(l));
	assert_string_equal(l, "en");
	c = contacts_get(db, (size_t)contacts_find(db, "mail-only"));
	assert_string_equal(casework_recipient(c), "info@mail-only.example");
	casework_template_lang(cw, c, "ddos-filter-request", l, sizeof(l));
	assert_string_equal(l, "en");
	c = contacts_get(db, (size_t)contacts_find(db, "none"));
	assert_null(casework_recipient(c));
	assert_null(casework_recipient(NULL));

	/* The draft itself goes to the abuse desk, in Japanese, at the
	 * zone's offset. */
	a = alert_of(KIND_UDP_FLOOD, DIR_INBOUND, SPOOF_LOW, 0);
	assert_int_equal(casework_create_from_alert(cw, &a, "flood", NULL,
	    NULL, &inc, errbuf), 0);
	c = contacts_get(db, (size_t)contacts_find(db, "both"));
	draft = casework_draft_to(cw, inc, c, "ddos-filter-request", T0 / 1000000,
	    l, sizeof(l), errbuf);
	assert_non_null(draft);
	assert_string_equal(l, "ja");
	assert_non_null(strstr(draft, "-ja-"));
	f = fopen(draft, "r");
	assert_non_null(f);
	{
		char buf[8192];

		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		assert_non_null(strstr(buf, "To: abuse@both.example"));
		assert_null(strstr(buf, "noc@both.example"));
		assert_non_null(strstr(buf, "UTC+09:00"));
	}
	fclose(f);
	free(draft);
	free(path);
	opt.contacts_path = NULL;
	casework_free(cw);
}

/* our-zone is written into new incidents whether created by hand or from
 * an alert; without it, TZ's zone. */
static void
test_our_zone(void **ts)
{
	char errbuf[ERRBUF_SIZE];
	struct casework *cw = fresh("zone", "Asia/Tokyo");
	struct incident *inc;
	struct alert a;

	(void)ts;
	assert_int_equal(casework_create(cw, "ddos-own", "zone", "manual",
	    NULL, &inc, errbuf), 0);
	assert_string_equal(inc->zone, "Asia/Tokyo");
	a = alert_of(KIND_SYN_FLOOD, DIR_INBOUND, SPOOF_LOW, 0);
	assert_int_equal(casework_create_from_alert(cw, &a, "zone", NULL,
	    NULL, &inc, errbuf), 0);
	assert_string_equal(inc->zone, "Asia/Tokyo");
	casework_free(cw);
	cw = fresh("zone2", NULL);
	assert_int_equal(casework_create(cw, "ddos-own", "zone", "manual",
	    NULL, &inc, errbuf), 0);
	assert_string_equal(inc->zone, "Europe/Berlin");
	casework_free(cw);
}

static void
test_report_file(void **ts)
{
	char errbuf[ERRBUF_SIZE], *path, *want;
	struct casework *cw = fresh("report", NULL);
	struct incident *inc;
	struct stat sb;
	mode_t old;

	(void)ts;
	assert_int_equal(casework_create(cw, "ddos-own", "report", "manual",
	    NULL, &inc, errbuf), 0);
	old = umask(0);
	path = casework_report_save(cw, inc, REPORT_TEXT, "en", errbuf);
	umask(old);
	assert_non_null(path);
	want = xasprintf("%s/reports/%s.txt", state, inc->id);
	assert_string_equal(path, want);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_true(sb.st_size > 0);
	free(want);
	want = xasprintf("%s/reports", state);
	assert_int_equal(stat(want, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	free(want);
	free(path);
	path = casework_report_save(cw, inc, REPORT_HTML, "ja", errbuf);
	assert_non_null(path);
	assert_non_null(strstr(path, ".html"));
	free(path);
	casework_free(cw);
	free(state);
	state = NULL;
}

/* One neighbour of an alert. */
static void
hop(struct alert *a, unsigned i, const char *link, uint8_t m, uint32_t asn,
    double share, int64_t first, int64_t last)
{
	struct alert_ingress *g = &a->ingress[i];

	memset(g, 0, sizeof(*g));
	snprintf(g->link, sizeof(g->link), "%s", link);
	g->mac[0] = 2;
	g->mac[5] = m;
	g->has_mac = 1;
	g->asn = asn;
	g->share = share;
	g->packets = (uint64_t)(share * 10000);
	g->first_us = first;
	g->last_us = last;
	if (a->ningress <= i)
		a->ningress = i + 1;
}

static size_t
nevidence(const struct incident *inc)
{
	size_t i, n = 0;

	for (i = 0; i < inc->nev; i++)
		n += strcmp(inc->ev[i].type, "evidence") == 0;
	return n;
}

/* An incident made from an alert follows it: a grown peak, a changed
 * route and the end are appended; small changes, changes within the gap
 * and anything after the end are not; a flapping route is capped. */
static void
test_follow(void **ts)
{
	struct casework *cw = fresh("follow", NULL);
	struct snapshot snap;
	struct snap_link links[2];
	struct incident *inc;
	struct alert a;
	char errbuf[ERRBUF_SIZE], route[512], id[INCIDENT_ID_LEN];
	const struct incident_event *le;
	int i;

	(void)ts;
	a = alert_of(KIND_SYN_FLOOD, DIR_INBOUND, SPOOF_HIGH, 0);
	a.id = 7;
	a.peak_pps = 600;
	a.last_us = T0 + 1000000;
	hop(&a, 0, "peering-A", 1, 64497, 1.0, T0, T0 + 1000000);
	assert_int_equal(casework_create_from_alert(cw, &a, "t", NULL,
	    "peering-A", &inc, errbuf), 0);
	snprintf(id, sizeof(id), "%s", inc->id);
	memset(&snap, 0, sizeof(snap));
	memset(links, 0, sizeof(links));
	snprintf(links[0].name, sizeof(links[0].name), "peering-A");
	snprintf(links[1].name, sizeof(links[1].name), "peering-B");
	snap.links = links;
	snap.nlinks = 2;
	snap.alerts = &a;
	snap.nalerts = 1;

	/* A big peak, but within the gap: not yet. */
	a.peak_pps = 1000;
	a.last_us = T0 + 5000000;
	assert_int_equal(casework_follow_snapshot(cw, &snap, errbuf), 0);
	/* Past the gap, the peak 1000 >= 600 * 1.25: appended. */
	a.last_us = T0 + 20000000;
	assert_int_equal(casework_follow_snapshot(cw, &snap, errbuf), 1);
	/* 1200 is less than a quarter more than 1000: not appended. */
	a.peak_pps = 1200;
	a.last_us = T0 + 40000000;
	assert_int_equal(casework_follow_snapshot(cw, &snap, errbuf), 0);
	/* The route moves: peering-B's neighbour carries 45 %. */
	hop(&a, 0, "peering-A", 1, 64497, 0.55, T0, T0 + 45000000);
	hop(&a, 1, "peering-B", 2, 64498, 0.45, T0 + 42000000,
	    T0 + 60000000);
	a.link = 1;
	a.last_us = T0 + 60000000;
	assert_int_equal(casework_follow_snapshot(cw, &snap, errbuf), 1);
	/* A neighbour below a tenth does not change the set. */
	hop(&a, 2, "peering-B", 3, 0, 0.05, T0 + 70000000, T0 + 71000000);
	a.last_us = T0 + 80000000;
	assert_int_equal(casework_follow_snapshot(cw, &snap, errbuf), 0);
	/* The end: appended, then no longer followed. */
	a.end_us = T0 + 90000000;
	assert_int_equal(casework_follow_snapshot(cw, &snap, errbuf), 1);
	assert_int_equal(casework_follow_snapshot(cw, &snap, errbuf), 0);
	inc = incident_find(casework_store(cw, errbuf), id);
	assert_non_null(inc);
	assert_int_equal(nevidence(inc), 4);
	le = incident_last_evidence(inc);
	assert_non_null(json_get(le->j, "end"));
	assert_int_equal(json_getu(le->j, "peak_pps", 0), 1200);
	assert_string_equal(json_gets(le->j, "link", ""), "peering-B");
	assert_int_equal(evidence_route_moved(le->j), 1);
	evidence_route(le->j, route, sizeof(route));
	assert_non_null(strstr(route, "peering-A AS64497 55 % (00:00:00-"
	    "00:00:45 UTC) -> peering-B AS64498 45 % (00:00:42-00:01:00 UTC)"));
	/* Nothing follows an ended alert even when asked directly. */
	assert_null(casework_follow_why(inc, &a));
	casework_free(cw);

	/* A route that flaps every gap is capped at CASE_FOLLOW_MAX. */
	cw = fresh("flap", NULL);
	a = alert_of(KIND_SYN_FLOOD, DIR_INBOUND, SPOOF_HIGH, 0);
	a.id = 9;
	a.peak_pps = 600;
	hop(&a, 0, "peering-A", 1, 64497, 1.0, T0, T0);
	assert_int_equal(casework_create_from_alert(cw, &a, "t", NULL, NULL,
	    &inc, errbuf), 0);
	snprintf(id, sizeof(id), "%s", inc->id);
	snap.alerts = &a;
	for (i = 1; i <= 3 * CASE_FOLLOW_MAX; i++) {
		hop(&a, 0, i % 2 ? "peering-B" : "peering-A", (uint8_t)(i % 2),
		    0, 1.0, T0, T0);
		a.last_us = T0 + (int64_t)i * CASE_FOLLOW_GAP_US;
		assert_true(casework_follow_snapshot(cw, &snap, errbuf) >= 0);
	}
	a.end_us = a.last_us;
	assert_int_equal(casework_follow_snapshot(cw, &snap, errbuf), 1);
	inc = incident_find(casework_store(cw, errbuf), id);
	assert_int_equal(nevidence(inc), CASE_FOLLOW_MAX + 1);
	casework_free(cw);
}

/* Phishing (issue 14): lookups journaled only when they change, a host
 * gone is a takedown, and the clock with its follow-up. */
static const char phish_contacts[] =
    "id: br-host\nkind: hosting\ncountry: BR\n"
    "timezone: America/Sao_Paulo\nhours: Mon-Fri 08:00-12:00,13:00-17:00\n"
    "abuse-email: abuse@br.example\n\n"
    "id: tokyo-host\nkind: hosting\ncountry: JP\ntimezone: Asia/Tokyo\n"
    "hours: Mon-Fri 09:00-18:00\nabuse-email: abuse@jp.example\n";

#define D1 (INT64_C(1796083200) * 1000000)	/* 2026-12-01T00:00Z, Tue */
#define HOUR (INT64_C(3600) * 1000000)

static void
lk(struct site_lookup *l, const char *status, const char *a1,
    const char *a2)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->host, sizeof(l->host), "login.phish.example");
	snprintf(l->status, sizeof(l->status), "%s", status);
	if (a1 != NULL)
		snprintf(l->addrs[l->naddrs++].addr, ADDR_STRLEN, "%s", a1);
	if (a2 != NULL)
		snprintf(l->addrs[l->naddrs++].addr, ADDR_STRLEN, "%s", a2);
}

static void
test_phish(void **ts)
{
	char errbuf[ERRBUF_SIZE], *path;
	struct casework *cw = fresh("phish", NULL);
	struct incident_store *s;
	struct incident *inc;
	struct site_lookup l;
	enum site_change ch;
	struct phish_clock pc;
	size_t i, nlookup = 0;

	(void)ts;
	opt.contacts_path = path = xasprintf("%s/pc.txt", dir);
	write_file(path, phish_contacts);
	assert_non_null(s = casework_store(cw, errbuf));
	incident_store_set_now(s, D1 + HOUR);
	assert_int_equal(casework_create_phishing(cw, "phishing",
	    "https://login.phish.example/x", "login.phish.example", "Bank",
	    NULL, NULL, D1, &inc, errbuf), 0);
	assert_string_equal(inc->kind, "phishing-abroad");
	assert_non_null(strstr(inc->title, "login[.]phish[.]example"));

	lk(&l, "ok", "198.51.100.7", "2001:db8::7");
	assert_int_equal(casework_site_lookup(cw, inc, &l, &ch, errbuf), 0);
	assert_int_equal(ch, SITE_NEW);
	lk(&l, "ok", "2001:db8::7", "198.51.100.7");	/* same set */
	assert_int_equal(casework_site_lookup(cw, inc, &l, &ch, errbuf), 0);
	assert_int_equal(ch, SITE_SAME);
	lk(&l, "error", NULL, NULL);			/* a timeout says nothing */
	assert_int_equal(casework_site_lookup(cw, inc, &l, &ch, errbuf), 0);
	assert_int_equal(ch, SITE_SAME);
	lk(&l, "ok", "203.0.113.9", NULL);		/* moved: evidence */
	assert_int_equal(casework_site_lookup(cw, inc, &l, &ch, errbuf), 0);
	assert_int_equal(ch, SITE_NEW);
	assert_null(incident_takedown_event(inc));

	/* 02:00Z Tue is 23:00 Mon in Sao Paulo: due at 08:00 there. */
	incident_store_set_now(s, D1 + 2 * HOUR);
	assert_int_equal(casework_contact(cw, inc, CONTACT_ATTEMPT, "email",
	    "br-host", NULL, NULL, errbuf), 0);
	assert_int_equal(casework_phish_clock(cw, inc, D1 + 5 * HOUR, &pc), 1);
	assert_int_equal(pc.first_seen_us, D1);
	assert_int_equal(pc.first_report_us, D1 + 2 * HOUR);
	assert_int_equal(pc.since_seen_s, 5 * 3600);
	assert_int_equal(pc.since_report_s, 3 * 3600);
	assert_int_equal(pc.to_answer_s, -1);
	assert_int_equal(pc.follow_up_due_us, D1 + 11 * HOUR);
	assert_int_equal(pc.follow_up_now, 0);
	assert_string_equal(pc.follow_up_contact, "br-host");
	assert_string_equal(pc.follow_up_zone, "America/Sao_Paulo");
	assert_int_equal(casework_phish_clock(cw, inc, D1 + 11 * HOUR, &pc), 1);
	assert_int_equal(pc.follow_up_now, 1);

	/* Tokyo, written to while open (02:00Z = 11:00 JST Tue): due when
	 * it next opens, Wed 09:00 JST = Wed 00:00Z -- the earlier one. */
	assert_int_equal(casework_contact(cw, inc, CONTACT_ATTEMPT, "email",
	    "tokyo-host", NULL, NULL, errbuf), 0);
	assert_int_equal(casework_phish_clock(cw, inc, D1 + 5 * HOUR, &pc), 1);
	assert_int_equal(pc.follow_up_due_us, D1 + 11 * HOUR);	/* BR first */
	incident_store_set_now(s, D1 + 13 * HOUR);
	assert_int_equal(casework_contact(cw, inc, CONTACT_REPLY, "email",
	    "br-host", NULL, NULL, errbuf), 0);
	assert_int_equal(casework_phish_clock(cw, inc, D1 + 14 * HOUR, &pc), 1);
	assert_int_equal(pc.to_answer_s, 11 * 3600);
	assert_int_equal(pc.follow_up_due_us, D1 + 24 * HOUR);
	assert_string_equal(pc.follow_up_contact, "tokyo-host");

	/* The host stops resolving: a takedown, once. */
	incident_store_set_now(s, D1 + 27 * HOUR);
	lk(&l, "nxdomain", NULL, NULL);
	assert_int_equal(casework_site_lookup(cw, inc, &l, &ch, errbuf), 0);
	assert_int_equal(ch, SITE_GONE);
	assert_string_equal(incident_takedown_event(inc)->ev.u.takedown.how,
	    "unresolved");
	assert_int_equal(casework_takedown(cw, inc, "", errbuf), -1);
	assert_int_equal(casework_phish_clock(cw, inc, D1 + 99 * HOUR, &pc), 1);
	assert_int_equal(pc.to_takedown_s, 27 * 3600);
	assert_int_equal(pc.report_to_takedown_s, 25 * 3600);
	assert_int_equal(pc.since_seen_s, 27 * 3600);
	assert_int_equal(pc.follow_up_due_us, 0);
	for (i = 0; i < inc->nev; i++)
		nlookup += inc->ev[i].ev.type == EV_LOOKUP;
	assert_int_equal(nlookup, 3);
	opt.contacts_path = NULL;
	free(path);
	casework_free(cw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_for_alert),
		cmocka_unit_test(test_kind_not_listed),
		cmocka_unit_test(test_default_tlp),
		cmocka_unit_test(test_gate),
		cmocka_unit_test(test_recipient),
		cmocka_unit_test(test_our_zone),
		cmocka_unit_test(test_report_file),
		cmocka_unit_test(test_follow),
		cmocka_unit_test(test_phish),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
