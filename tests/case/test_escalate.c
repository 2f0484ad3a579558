/*
 * test_escalate.c -- the ranking of counterparts by an attack's evidence
 * (escalate.c, issue 13): each tier, the within-tier order (open, then
 * awake), reflectors grouped by network, the alert JSON reader, the JSON
 * writer, `contacts --for-alert`'s body, and one realistic case on the
 * shipped data/contacts.txt.
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

#include "cli/cmd_foralert.h"
#include "settings/config.h"
#include "contacts/contacts.h"
#include "case/escalate.h"
#include "base/json.h"
#include "base/jsonw.h"
#include "time/tz.h"
#include "base/util.h"

#include "testutil.h"

/* Thursday 2026-11-26 10:00 in Tokyo: 04:00 in Moscow, Wednesday 17:00 in
 * Los Angeles, 22:00 in Sao Paulo, 02:00 in Berlin. */
#define AT "2026-11-26T10:00:00+09:00"

static const char db_text[] =
    "id: nog\nkind: nog\nlanguages: en\n\n"
    "id: rir\nkind: rir\ncountry: JP\ntimezone: Asia/Tokyo\n\n"
    "id: jp-csirt\nkind: national-csirt\ncountry: JP\n"
    "timezone: Asia/Tokyo\nhours: 24x7\nemail: cert@jp.example\n"
    "constituency: JP\n\n"
    "id: us-csirt\nkind: national-csirt\ncountry: US\n"
    "timezone: America/New_York\nemail: cert@us.example\n\n"
    "id: ru-csirt\nkind: national-csirt\ncountry: RU\n"
    "timezone: Europe/Moscow\nemail: cert@ru.example\n\n"
    "id: br-csirt\nkind: national-csirt\ncountry: BR\n"
    "timezone: America/Sao_Paulo\nemail: cert@br.example\n\n"
    /* Peer A (JP): named by the neighbour setting. */
    "id: peer-a\nkind: peering-isp\ncountry: JP\ntimezone: Asia/Tokyo\n"
    "hours: 24x7\nemail: noc@a.example\nasn: AS64497\n\n"
    /* Peer B (US): a closed abuse desk and an open 24x7 NOC, both
     * matched by AS number only. */
    "id: peer-b-desk\nkind: peering-isp\ncountry: US\n"
    "timezone: America/Los_Angeles\nhours: Mon-Fri 09:00-12:00\n"
    "abuse-email: abuse@b.example\nemail: info@b.example\n"
    "asn: AS64498\n\n"
    "id: peer-b-noc\nkind: peering-isp\ncountry: US\n"
    "timezone: America/Los_Angeles\nhours: 24x7\nemail: noc@b.example\n"
    "asn: AS64498\n\n"
    /* Networks of the sources / reflectors. */
    "id: ru-net\nkind: hosting\ncountry: RU\ntimezone: Europe/Moscow\n"
    "hours: Mon-Fri 09:00-18:00\nabuse-email: abuse@ru.example\n"
    "asn: AS64500\nprefixes: 192.0.2.0/24\n\n"
    "id: br-net\nkind: hosting\ncountry: BR\ntimezone: America/Sao_Paulo\n"
    "hours: 24x7\nabuse-email: abuse@br.example\nasn: AS64501\n\n"
    /* Our customers. */
    "id: cust-1\nkind: customer\ncountry: JP\ntimezone: Asia/Tokyo\n"
    "hours: Mon-Fri 09:00-18:00\nemail: it@cust1.example\n"
    "prefixes: 203.0.113.64/26\n\n"
    "id: cust-2\nkind: customer\ncountry: JP\ntimezone: Asia/Tokyo\n"
    "email: it@cust2.example\nprefixes: 203.0.113.128/26\n\n"
    /* A victim's network abroad. */
    "id: de-victim\nkind: transit-isp\ncountry: DE\n"
    "timezone: Europe/Berlin\nhours: 24x7\nemail: noc@de.example\n"
    "prefixes: 198.51.100.0/24\n\n"
    "id: de-csirt\nkind: national-csirt\ncountry: DE\n"
    "timezone: Europe/Berlin\nhours: Mon-Fri 08:00-16:00\n"
    "email: cert@de.example\n";

static struct contacts *
test_db(void)
{
	struct contacts *db = contacts_parse("t.txt", (const uint8_t *)db_text,
	    strlen(db_text));

	assert_int_equal(contacts_ninvalid(db), 0);
	return db;
}

static const char *
sid(const struct esc_suggestion *s)
{
	return s->c != NULL ? s->c->id : "(dns)";
}

static size_t
find(const struct esc_suggestion *s, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(sid(&s[i]), id) == 0)
			return i;
	fail_msg("%s not suggested", id);
	return n;
}

/* Every forum comes after every other suggestion. */
static void
assert_forums_last(const struct esc_suggestion *s, size_t n)
{
	size_t i;
	int seen = 0;

	for (i = 0; i < n; i++) {
		if (s[i].role == ROLE_FORUM)
			seen = 1;
		else if (seen)
			fail_msg("%s (%s) after a forum", sid(&s[i]),
			    escalate_role_name(s[i].role));
		assert_true(s[i].reason[0] != '\0');
		assert_null(strchr(s[i].reason, '\n'));
	}
	assert_true(seen);
}

static void
src(struct esc_source *s, const char *a, uint32_t asn, const char *cc,
    uint64_t packets)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(addr_parse(a, &s->addr), 0);
	s->asn = asn;
	snprintf(s->country, sizeof(s->country), "%s", cc);
	s->packets = packets;
}

static void
test_spoofed(void **state)
{
	struct contacts *db = test_db();
	struct esc_ingress ing[2];
	struct esc_source sources[2];
	struct esc_evidence e;
	struct esc_suggestion *s;
	size_t n;

	(void)state;
	memset(&e, 0, sizeof(e));
	memset(ing, 0, sizeof(ing));
	/* Given in the wrong order: ranked by share. */
	ing[0].link = "peering-B";
	ing[0].asn = 64498;
	ing[0].share = 0.4;
	ing[1].link = "peering-A";
	ing[1].mac = "02:00:00:00:00:0a";
	ing[1].asn = 64497;
	ing[1].contact = "peer-a";
	ing[1].share = 0.6;
	src(&sources[0], "192.0.2.7", 64500, "RU", 5);
	src(&sources[1], "192.0.2.8", 64500, "RU", 4);
	e.kind = ESC_SYN_FLOOD;
	e.direction = ESC_INBOUND;
	e.spoof = ESC_SPOOF_HIGH;
	e.has_target = 1;
	assert_int_equal(addr_parse("203.0.113.70", &e.target), 0);
	e.ingress = ing;
	e.ningress = 2;
	e.sources = sources;
	e.nsources = 2;
	memcpy(e.our_country, "JP", 3);
	e.at = ts(AT);
	n = escalate_rank(db, &e, &s);
	assert_true(n >= 9);
	/* Ingress neighbours by share; within peer B, the open NOC before
	 * the closed desk. */
	assert_string_equal(sid(&s[0]), "peer-a");
	assert_int_equal(s[0].role, ROLE_INGRESS_PEER);
	assert_string_equal(s[0].to, "noc@a.example");
	assert_non_null(strstr(s[0].reason, "60%"));
	assert_non_null(strstr(s[0].reason, "peering-A"));
	assert_string_equal(sid(&s[1]), "peer-b-noc");
	assert_string_equal(sid(&s[2]), "peer-b-desk");
	assert_int_equal(s[2].role, ROLE_INGRESS_PEER);
	assert_int_equal(s[2].st.open, 0);
	assert_string_equal(s[2].to, "abuse@b.example");	/* abuse desk */
	/* Then our national CSIRT, then the neighbours' countries'. */
	assert_string_equal(sid(&s[3]), "jp-csirt");
	assert_int_equal(s[3].role, ROLE_NATIONAL_CSIRT);
	assert_string_equal(sid(&s[4]), "us-csirt");
	assert_int_equal(s[4].role, ROLE_PEER_CSIRT);
	/* The attacked customer's notice, then source-based ones below. */
	assert_string_equal(sid(&s[5]), "cust-1");
	assert_int_equal(s[5].role, ROLE_TARGET_CUSTOMER);
	assert_string_equal(sid(&s[6]), "ru-net");
	assert_int_equal(s[6].role, ROLE_SOURCE_NETWORK);
	assert_int_equal(s[6].naddrs, 2);
	assert_non_null(strstr(s[6].reason, "spoofed"));
	assert_string_equal(sid(&s[7]), "ru-csirt");
	assert_int_equal(s[7].role, ROLE_SOURCE_CSIRT);
	assert_forums_last(s, n);
	/* A contact appears once. */
	assert_int_equal(find(s, n, "jp-csirt"), 3);
	escalate_free(s, n);

	/* Spoofing low: the same evidence ranks the sources' networks first
	 * and the neighbours below. */
	e.spoof = ESC_SPOOF_LOW;
	n = escalate_rank(db, &e, &s);
	assert_string_equal(sid(&s[0]), "ru-net");
	assert_string_equal(sid(&s[1]), "ru-csirt");
	assert_true(find(s, n, "peer-a") > 1);
	assert_forums_last(s, n);
	escalate_free(s, n);
	contacts_free(db);
}

static int
has_addr(const struct esc_suggestion *s, const char *a)
{
	struct addr x;
	size_t i;

	assert_int_equal(addr_parse(a, &x), 0);
	for (i = 0; i < s->naddrs; i++)
		if (addr_cmp(&s->addrs[i], &x) == 0)
			return 1;
	return 0;
}

static void
test_reflection(void **state)
{
	struct contacts *db = test_db();
	struct esc_source r[6];
	struct esc_evidence e;
	struct esc_suggestion *s;
	size_t n, i, ru, br, dns;

	(void)state;
	/* Three networks: ru-net by prefix (2 reflectors, closed at 04:00
	 * Moscow), br-net by AS number (3, open 24x7), and AS64502 with no
	 * record but an abuse address found over DNS (1). */
	src(&r[0], "192.0.2.10", 64500, "RU", 900);
	src(&r[1], "198.18.0.1", 64501, "BR", 100);
	src(&r[2], "192.0.2.11", 64500, "RU", 800);
	src(&r[3], "198.18.0.2", 64501, "BR", 100);
	src(&r[4], "198.18.0.3", 64501, "BR", 100);
	src(&r[5], "100.64.0.1", 64502, "", 50);
	r[5].abuse = "abuse@as64502.example";
	memset(&e, 0, sizeof(e));
	e.kind = ESC_AMPLIFICATION;
	e.direction = ESC_INBOUND;
	e.spoof = ESC_SPOOF_LOW;
	e.port = 123;
	e.sources = r;
	e.nsources = 6;
	memcpy(e.our_country, "JP", 3);
	e.at = ts(AT);
	n = escalate_rank(db, &e, &s);
	for (i = 0; i < 3; i++)
		assert_int_equal(s[i].role, ROLE_REFLECTOR_NETWORK);
	/* Open before closed: br-net (open, fewer packets) first. */
	br = find(s, n, "br-net");
	ru = find(s, n, "ru-net");
	dns = find(s, n, "(dns)");
	assert_int_equal(br, 0);
	assert_true(ru < 3 && dns < 3);
	/* Each with only its own reflectors. */
	assert_int_equal(s[br].naddrs, 3);
	assert_true(has_addr(&s[br], "198.18.0.1") &&
	    has_addr(&s[br], "198.18.0.2") && has_addr(&s[br], "198.18.0.3"));
	assert_int_equal(s[ru].naddrs, 2);
	assert_true(has_addr(&s[ru], "192.0.2.10") &&
	    has_addr(&s[ru], "192.0.2.11"));
	assert_int_equal(s[ru].packets, 1700);
	assert_int_equal(s[dns].naddrs, 1);
	assert_true(has_addr(&s[dns], "100.64.0.1"));
	assert_string_equal(s[dns].to, "abuse@as64502.example");
	assert_int_equal(s[dns].asn, 64502);
	assert_non_null(strstr(s[dns].reason, "DNS"));
	assert_non_null(strstr(s[ru].reason, "port 123"));
	/* Then their national CSIRTs; ours after. */
	assert_int_equal(s[3].role, ROLE_REFLECTOR_CSIRT);
	assert_int_equal(s[4].role, ROLE_REFLECTOR_CSIRT);
	assert_true(find(s, n, "jp-csirt") > 4);
	assert_forums_last(s, n);
	escalate_free(s, n);
	contacts_free(db);
}

static void
test_outbound(void **state)
{
	struct contacts *db = test_db();
	struct esc_source bot;
	struct esc_evidence e;
	struct esc_suggestion *s;
	size_t n;

	(void)state;
	src(&bot, "203.0.113.140", 0, "JP", 1000);
	memset(&e, 0, sizeof(e));
	e.kind = ESC_UDP_FLOOD;
	e.direction = ESC_OUTBOUND;
	e.spoof = ESC_SPOOF_NONE;
	e.has_target = 1;
	assert_int_equal(addr_parse("198.51.100.9", &e.target), 0);
	memcpy(e.target_country, "DE", 3);
	e.sources = &bot;
	e.nsources = 1;
	memcpy(e.our_country, "JP", 3);
	e.at = ts(AT);
	n = escalate_rank(db, &e, &s);
	assert_string_equal(sid(&s[0]), "cust-2");
	assert_int_equal(s[0].role, ROLE_CUSTOMER);
	assert_true(has_addr(&s[0], "203.0.113.140"));
	assert_non_null(strstr(s[0].reason, "203.0.113.140"));
	assert_string_equal(sid(&s[1]), "de-victim");
	assert_int_equal(s[1].role, ROLE_VICTIM_NETWORK);
	assert_string_equal(sid(&s[2]), "de-csirt");
	assert_int_equal(s[2].role, ROLE_VICTIM_CSIRT);
	/* Not the other customer, and no customer notice for a foreign
	 * target. */
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(sid(&s[i]), "cust-1");
	assert_forums_last(s, n);
	escalate_free(s, n);
	contacts_free(db);
}

/* The shipped database, a realistic case: a spoofed SYN flood on our
 * customer's address entering from the demo's two example peers. */
static void
test_shipped(void **state)
{
	const char *srcdir = getenv("KYOCHO_SRCDIR");
	char path[4096], err[ERRBUF_SIZE];
	struct contacts *db;
	struct esc_ingress ing[2];
	struct esc_evidence e;
	struct esc_suggestion *s;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/data/contacts.txt",
	    srcdir != NULL ? srcdir : ".");
	assert_int_equal(contacts_load(path, 0, &db, err), 0);
	assert_int_equal(contacts_ninvalid(db), 0);
	memset(ing, 0, sizeof(ing));
	ing[0].link = "peering-A";
	ing[0].asn = 64497;
	ing[0].contact = "example-peer-a";
	ing[0].share = 0.52;
	ing[1].link = "peering-B";
	ing[1].asn = 64498;
	ing[1].share = 0.48;
	memset(&e, 0, sizeof(e));
	e.kind = ESC_SYN_FLOOD;
	e.direction = ESC_INBOUND;
	e.spoof = ESC_SPOOF_HIGH;
	e.has_target = 1;
	assert_int_equal(addr_parse("203.0.113.77", &e.target), 0);
	e.ingress = ing;
	e.ningress = 2;
	assert_int_equal(tz_zone_country("Asia/Tokyo", e.our_country, err), 1);
	assert_string_equal(e.our_country, "JP");
	e.at = ts(AT);
	n = escalate_rank(db, &e, &s);
	assert_true(n > 3);
	assert_string_equal(sid(&s[0]), "example-peer-a");
	assert_string_equal(sid(&s[1]), "example-peer-b");
	assert_string_equal(sid(&s[2]), "jpcert-cc");
	assert_int_equal(s[2].role, ROLE_NATIONAL_CSIRT);
	assert_string_equal(sid(&s[3]), "cisa");	/* peer B's country */
	assert_int_equal(s[find(s, n, "example-customer")].role,
	    ROLE_TARGET_CUSTOMER);
	assert_forums_last(s, n);
	escalate_free(s, n);
	contacts_free(db);
}

static void
test_zone_country(void **state)
{
	char cc[3], err[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(tz_zone_country("Europe/Oslo", cc, err), 1);
	assert_string_equal(cc, "NO");		/* zone.tab, not DE */
	assert_int_equal(tz_zone_country("Europe/Berlin", cc, err), 1);
	assert_string_equal(cc, "DE");
	assert_int_equal(tz_zone_country("Etc/UTC", cc, err), 0);
	assert_string_equal(cc, "");
}

/* An alert as detect_alert_json writes it, plus the ingress. */
static const char alert_json[] =
    "{\"id\": 3, \"target\": \"203.0.113.77\", \"target_asn\": null,"
    " \"target_country\": null, \"kind\": \"syn_flood\","
    " \"direction\": \"inbound\", \"start\": \"2026-11-26T00:59:00Z\","
    " \"end\": null, \"active\": true, \"peak_pps\": 618,"
    " \"spoofing_level\": \"high\", \"spoofing_score\": 0.9,"
    " \"spoofing_evidence\": [],"
    " \"top_sources\": [{\"addr\": \"192.0.2.7\", \"packets\": 3,"
    "   \"share\": 0.004, \"asn\": 64500, \"country\": \"RU\"},"
    "   {\"addr\": \"not an address\", \"asn\": -5},"
    "   {\"addr\": \"192.0.2.8\", \"asn\": 99999999999, \"country\": \"XX\","
    "    \"share\": 7}],"
    " \"ingress\": [{\"link\": \"peering-A\", \"mac\": \"02:00:00:00:00:0a\","
    "   \"asn\": 64497, \"contact\": \"peer-a\", \"packets\": 300,"
    "   \"share\": 0.52},"
    "  {\"link\": \"peering-B\", \"mac\": null, \"asn\": 64498,"
    "   \"contact\": null, \"packets\": 280, \"share\": 0.48},"
    "  {\"link\": null, \"mac\": null, \"asn\": null, \"contact\": null}]}";

static void
test_from_json(void **state)
{
	struct json *j;
	struct esc_alert *al = xcalloc(1, sizeof(*al));
	char err[ERRBUF_SIZE];

	(void)state;
	j = json_parse(alert_json, strlen(alert_json), 0, NULL, err);
	assert_non_null(j);
	assert_int_equal(escalate_from_alert_json(j, al, err), 0);
	assert_int_equal(al->e.kind, ESC_SYN_FLOOD);
	assert_int_equal(al->e.direction, ESC_INBOUND);
	assert_int_equal(al->e.spoof, ESC_SPOOF_HIGH);
	assert_true(al->e.has_target);
	assert_int_equal(al->e.nsources, 2);	/* the bad address skipped */
	assert_int_equal(al->e.sources[0].asn, 64500);
	assert_string_equal(al->e.sources[0].country, "RU");
	assert_int_equal(al->e.sources[1].asn, 0);	/* out of range */
	assert_string_equal(al->e.sources[1].country, "");
	assert_true(al->e.sources[1].share == 0);	/* 7 is no share */
	assert_int_equal(al->e.ningress, 2);	/* the empty one skipped */
	assert_string_equal(al->e.ingress[0].contact, "peer-a");
	assert_null(al->e.ingress[1].contact);
	assert_null(al->e.ingress[1].mac);
	assert_int_equal(al->e.ingress[1].asn, 64498);
	json_free(j);
	/* Not an object. */
	j = json_parse("[1]", 3, 0, NULL, err);
	assert_int_equal(escalate_from_alert_json(j, al, err), -1);
	assert_non_null(strstr(err, "alert object"));
	json_free(j);
	/* Unknown words. */
	{
		static const char t[] = "{\"kind\": \"x\", \"direction\": 1}";

		j = json_parse(t, strlen(t), 0, NULL, err);
	}
	assert_non_null(j);
	assert_int_equal(escalate_from_alert_json(j, al, err), 0);
	assert_int_equal(al->e.kind, ESC_OTHER);
	assert_int_equal(al->e.direction, ESC_DIR_UNKNOWN);
	assert_int_equal(al->e.spoof, ESC_SPOOF_NONE);
	json_free(j);
	free(al);
}

static char *
slurp(FILE *f, size_t *len)
{
	long n;
	char *buf;

	fflush(f);
	n = ftell(f);
	assert_true(n >= 0);
	buf = xmalloc((size_t)n + 1);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* The command body end to end: alert file and database on disk, JSON out,
 * our country from our zone. */
static void
test_for_alert(void **state)
{
	char dir[] = "/tmp/test_escalate.XXXXXX", apath[256], cpath[256];
	char err[ERRBUF_SIZE], *out;
	struct options o;
	struct json *j;
	const struct json *first;
	FILE *f, *res;
	size_t len, k;
	static const char *const keys[] = { "id", "org", "kind", "role",
	    "reason", "to", "languages", "local_time", "open" };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(apath, sizeof(apath), "%s/alert.json", dir);
	snprintf(cpath, sizeof(cpath), "%s/contacts.txt", dir);
	f = fopen(apath, "w");
	fputs(alert_json, f);
	fclose(f);
	f = fopen(cpath, "w");
	fputs(db_text, f);
	fclose(f);
	config_defaults(&o);
	o.contacts_path = cpath;
	o.our_zone = "Asia/Tokyo";
	res = tmpfile();
	assert_int_equal(contacts_for_alert(res, apath, 1, ts(AT), NULL, &o),
	    0);
	out = slurp(res, &len);
	fclose(res);
	j = json_parse(out, len, 0, NULL, err);
	assert_non_null(j);
	assert_int_equal(j->type, JSON_ARRAY);
	first = json_at(j, 0);
	for (k = 0; k < NITEMS(keys); k++)
		if (json_get(first, keys[k]) == NULL)
			fail_msg("no \"%s\" in %s", keys[k], out);
	assert_string_equal(json_gets(first, "id", ""), "peer-a");
	assert_string_equal(json_gets(first, "role", ""), "ingress-peer");
	assert_string_equal(json_gets(first, "to", ""), "noc@a.example");
	assert_string_equal(json_gets(first, "local_time", ""),
	    "2026-11-26T10:00:00+09:00");
	assert_true(json_getb(first, "open", 0));
	assert_string_equal(json_gets(json_at(j, 1), "id", ""), "peer-b-noc");
	assert_string_equal(json_gets(json_at(j, 3), "id", ""), "jp-csirt");
	json_free(j);
	free(out);
	/* The table, with --at; an explicit country that is not ours. */
	res = tmpfile();
	assert_int_equal(contacts_for_alert(res, apath, 0, ts(AT), "us", &o),
	    0);
	out = slurp(res, &len);
	fclose(res);
	assert_non_null(strstr(out, " 1. ingress-peer      peer-a"));
	/* US is ours now; JP is the country of neighbour peer-a. */
	assert_non_null(strstr(out, "national-csirt    us-csirt"));
	assert_non_null(strstr(out, "neighbour-csirt   jp-csirt"));
	free(out);
	/* A bad country, a file that is not JSON, a missing one: exit 1. */
	res = tmpfile();
	assert_int_equal(contacts_for_alert(res, apath, 1, 0, "XX", &o), 1);
	fclose(res);
	f = fopen(apath, "w");
	fputs("{\"kind\": ", f);
	fclose(f);
	res = tmpfile();
	assert_int_equal(contacts_for_alert(res, apath, 1, 0, NULL, &o), 1);
	assert_int_equal(contacts_for_alert(res, "/nonexistent/x", 1, 0, NULL,
	    &o), 1);
	fclose(res);
	unlink(apath);
	unlink(cpath);
	rmdir(dir);
}

/*
 * Phishing (issue 14): the hosting desks of each address, then the
 * registrar, the hosting countries' CSIRTs, anti-phishing groups, our
 * national CSIRT, forums -- never another country's CSIRT first (the
 * Mexican CSIRT ranked first for a .ru site).
 */
static const char phish_db[] =
    "id: mx-csirt\nkind: national-csirt\ncountry: MX\n"
    "timezone: America/Mexico_City\nhours: 24x7\nemail: c@mx.example\n\n"
    "id: jp-csirt\nkind: national-csirt\ncountry: JP\n"
    "timezone: Asia/Tokyo\nemail: c@jp.example\n\n"
    "id: ru-csirt\nkind: national-csirt\ncountry: RU\n"
    "timezone: Europe/Moscow\nemail: c@ru.example\n\n"
    "id: apwg\nkind: anti-abuse\ncountry: US\nemail: r@apwg.example\n\n"
    "id: nog\nkind: nog\nemail: n@nog.example\n\n"
    "id: ru-host\nkind: hosting\ncountry: RU\ntimezone: Europe/Moscow\n"
    "abuse-email: abuse@ru-host.example\nasn: AS64505\n\n"
    "id: reg\norg: Example Registrar, Inc.\nkind: registrar\n"
    "country: US\nabuse-email: domain-abuse@reg.example\n";

static void
test_phishing(void **state)
{
	struct contacts *db = contacts_parse("p.txt", (const uint8_t *)phish_db,
	    strlen(phish_db));
	struct esc_evidence e;
	struct esc_source s2[2];
	struct esc_suggestion *s;
	size_t n, i;

	(void)state;
	assert_int_equal(contacts_ninvalid(db), 0);
	memset(&e, 0, sizeof(e));
	e.kind = ESC_PHISHING;
	e.direction = ESC_DIR_UNKNOWN;
	memcpy(e.our_country, "JP", 3);
	e.at = 1796083200;
	src(&s2[0], "2001:db8:400::10", 64505, "RU", 1);
	src(&s2[1], "198.51.100.7", 64500, "BR", 1);
	s2[1].abuse = "abuse@br.example";	/* no record: DNS's answer */
	e.sources = s2;
	e.nsources = 2;
	e.registrar = "example registrar, inc.";
	e.registrar_abuse = "domain-abuse@reg.example";
	n = escalate_rank(db, &e, &s);
	assert_true(n >= 7);
	assert_int_equal(s[0].role, ROLE_HOSTING);
	assert_int_equal(s[1].role, ROLE_HOSTING);
	assert_int_equal(s[find(s, n, "ru-host")].role, ROLE_HOSTING);
	assert_string_equal(s[find(s, n, "(dns)")].to, "abuse@br.example");
	assert_int_equal(s[2].role, ROLE_REGISTRAR);
	assert_string_equal(sid(&s[2]), "reg");
	assert_string_equal(s[2].to, "domain-abuse@reg.example");
	assert_int_equal(s[3].role, ROLE_HOSTING_CSIRT);
	assert_string_equal(sid(&s[3]), "ru-csirt");
	assert_int_equal(s[4].role, ROLE_ANTI_PHISHING);
	assert_string_equal(sid(&s[4]), "apwg");
	assert_int_equal(s[5].role, ROLE_NATIONAL_CSIRT);
	assert_string_equal(sid(&s[5]), "jp-csirt");
	for (i = 0; i < n; i++)
		assert_string_not_equal(sid(&s[i]), "mx-csirt");
	assert_forums_last(s, n);
	escalate_free(s, n);

	/* A registrar no record knows: its RDAP abuse address. */
	e.registrar = "Other Registrar";
	e.registrar_abuse = "abuse@other-reg.example";
	n = escalate_rank(db, &e, &s);
	assert_int_equal(s[2].role, ROLE_REGISTRAR);
	assert_null(s[2].c);
	assert_string_equal(s[2].to, "abuse@other-reg.example");
	assert_non_null(strstr(s[2].reason, "RDAP"));
	escalate_free(s, n);
	contacts_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spoofed),
		cmocka_unit_test(test_phishing),
		cmocka_unit_test(test_reflection),
		cmocka_unit_test(test_outbound),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_zone_country),
		cmocka_unit_test(test_from_json),
		cmocka_unit_test(test_for_alert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
