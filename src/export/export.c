/*
 * export.c -- X-ARF v4, MISP and STIX 2.1 documents of an incident's
 * latest evidence (export.h).
 *
 * Formats followed (copies and their licences under tests/data/schemas/):
 *   X-ARF v4: xarf/xarf-spec schemas/v4 (xarf-core.json and the type
 *     schemas: connection-ddos, content-phishing);
 *   MISP: the MISP core format (MISP/MISP format/2.4/schema.json, and
 *     draft-dulaunoy-misp-core-format) and the misp-objects templates
 *     ddos, url and phishing;
 *   STIX 2.1: OASIS cti-stix2-json-schemas, with the TLP 2.0 marking
 *     definitions of the OASIS TLP 2.0 extension.
 */
#include "export/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "case/incident.h"
#include "contacts/contacts.h"
#include "base/addr.h"
#include "base/util.h"

/*
 * jansson names its value types JSON_OBJECT, JSON_ARRAY, ... as
 * base/json.h (which incident.h brings) does: rename jansson's while its
 * header is read. This file therefore never uses jansson's json_is_*()
 * macros, which would expand to base/json.h's enumerators.
 */
#define JSON_OBJECT	JANSSON_OBJECT_
#define JSON_ARRAY	JANSSON_ARRAY_
#define JSON_STRING	JANSSON_STRING_
#define JSON_NULL	JANSSON_NULL_
#include <jansson.h>
#undef JSON_OBJECT
#undef JSON_ARRAY
#undef JSON_STRING
#undef JSON_NULL

static const char *const format_names[] = { "xarf", "misp", "stix" };

const char *
export_format_name(enum export_format f)
{
	return (unsigned)f < NITEMS(format_names) ? format_names[f] : "?";
}

int
export_format_parse(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < NITEMS(format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (int)i;
	return -1;
}

int
export_format_for(const struct contact *c)
{
	if (c == NULL)
		return -1;
	if (c->formats.n > 0)
		return export_format_parse(c->formats.v[0]);
	return c->abuse_email.n > 0 ? EXPORT_XARF : -1;
}

void
export_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	if (EVP_Digest(p, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		fatal("export: SHA-256 failed in libcrypto");
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* ---- identifiers ------------------------------------------------------- */

/* The STIX 2.1 namespace for cyber-observable ids (STIX 2.1, 2.9). */
static const unsigned char stix_ns[16] = {
	0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c,
	0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
};
/* kyocho's own namespace for everything else (a random UUID, fixed). */
static const unsigned char kyocho_ns[16] = {
	0x5b, 0x0e, 0x6f, 0x41, 0x8d, 0x2c, 0x4e, 0x37,
	0xa1, 0x94, 0x3c, 0x7d, 0x52, 0x08, 0xe6, 0x1f,
};

/* A version-5 UUID of name in namespace ns (RFC 9562 5.5) into out[37]. */
static void
uuid5(const unsigned char ns[16], const char *name, char out[37])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, ns, 16) != 1 ||
	    EVP_DigestUpdate(ctx, name, strlen(name)) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &len) != 1)
		fatal("export: SHA-1 failed in libcrypto");
	EVP_MD_CTX_free(ctx);
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", md[0], md[1], md[2], md[3], md[4],
	    md[5], md[6], md[7], md[8], md[9], md[10], md[11], md[12], md[13],
	    md[14], md[15]);
}

/* What every document of one export shares. */
struct ctx {
	const struct incident *inc;
	const struct export_params *p;
	const struct ev_evidence *e;	/* NULL: none (phishing) */
	const char *recipient;		/* contact id or "all" */
	/* the exported sources: indexes into e->top */
	size_t src[64];
	size_t nsrc;
	int spoofed;			/* sources are not the attacker */
	const char *urls[16];		/* phishing: from the notes */
	size_t nurls;
	char *url_buf;
};

/* An id for object tag of this export: "type--uuid" into out. */
static void
sdo_id(const struct ctx *c, const char *type, const char *tag, char *out,
    size_t len)
{
	char name[512], u[37];

	snprintf(name, sizeof(name), "%s/%s/%s/%s/%s", c->inc->id,
	    export_format_name(c->p->format), c->recipient, type, tag);
	uuid5(kyocho_ns, name, u);
	snprintf(out, len, "%s--%s", type, u);
}

/* ---- what is exported --------------------------------------------------- */

/* 1 if source s lies in recipient c's networks (prefixes, AS numbers) or,
 * for a record without networks, its countries. */
static int
source_is_theirs(const struct ev_source *s, const struct contact *c)
{
	struct addr a;
	size_t i;

	if (c->nprefixes > 0 || c->nasns > 0) {
		if (s->addr != NULL && addr_parse(s->addr, &a) == 0 &&
		    prefix_list_contains(c->prefixes, c->nprefixes, &a))
			return 1;
		for (i = 0; i < c->nasns; i++)
			if (s->asn > 0 && s->asn >= c->asns[i].lo &&
			    s->asn <= c->asns[i].hi)
				return 1;
		return 0;
	}
	if (s->cc == NULL)
		return 0;
	if (c->country[0] != '\0' && strcasecmp(c->country, s->cc) == 0)
		return 1;
	for (i = 0; i < c->constituency.n; i++)
		if (strcasecmp(c->constituency.v[i], s->cc) == 0)
			return 1;
	/* global teams (FIRST, ISACs) without networks or countries: all */
	return c->country[0] == '\0' && c->constituency.n == 0;
}

/* URLs written in the notes (phishing incidents keep them there). */
static void
collect_urls(struct ctx *c)
{
	size_t i, total = 0;
	char *w;

	for (i = 0; i < c->inc->nev; i++)
		if (c->inc->ev[i].ev.type == EV_NOTE)
			total += strlen(c->inc->ev[i].ev.u.note.text) + 1;
	c->url_buf = w = xmalloc(total + 1);
	for (i = 0; i < c->inc->nev && c->nurls < NITEMS(c->urls); i++) {
		const char *t;

		if (c->inc->ev[i].ev.type != EV_NOTE)
			continue;
		t = c->inc->ev[i].ev.u.note.text;
		while (c->nurls < NITEMS(c->urls) && (t = strstr(t, "http"))
		    != NULL) {
			size_t n;

			if (strncmp(t, "http://", 7) != 0 &&
			    strncmp(t, "https://", 8) != 0) {
				t += 4;
				continue;
			}
			n = strcspn(t, " \t\n\"'<>");
			while (n > 0 && strchr(".,;)", t[n - 1]) != NULL)
				n--;
			memcpy(w, t, n);
			w[n] = '\0';
			c->urls[c->nurls++] = w;
			w += n + 1;
			t += n;
		}
	}
}

static int
is_phishing(const struct incident *inc)
{
	return strncmp(inc->kind, "phishing", 8) == 0;
}

static int
ctx_init(struct ctx *c, const struct incident *inc,
    const struct export_params *p, char *errbuf)
{
	const struct incident_event *le = incident_last_evidence(inc);
	size_t i;

	memset(c, 0, sizeof(*c));
	c->inc = inc;
	c->p = p;
	c->recipient = p->to != NULL ? p->to->id : "all";
	if (is_phishing(inc)) {
		collect_urls(c);
		if (c->nurls == 0)
			return err_set(errbuf, "%s: no URL in the incident's "
			    "notes: nothing to report", inc->id);
		return 0;
	}
	if (le == NULL)
		return err_set(errbuf, "%s: the incident has no evidence to "
		    "export", inc->id);
	c->e = &le->ev.u.evidence;
	/* Spoofed sources are not the attacker: never indicators. */
	c->spoofed = strncmp(inc->kind, "spoofed", 7) == 0 ||
	    c->e->spoofing == NULL || strcmp(c->e->spoofing, "low") != 0;
	if (c->spoofed)
		return 0;
	for (i = 0; i < c->e->ntop && c->nsrc < NITEMS(c->src); i++) {
		if (c->e->top[i].addr == NULL)
			continue;
		if (p->to != NULL && !source_is_theirs(&c->e->top[i], p->to))
			continue;
		c->src[c->nsrc++] = i;
	}
	if (p->to != NULL && c->nsrc == 0 && p->format == EXPORT_XARF)
		return err_set(errbuf, "%s: none of the incident's sources is "
		    "in %s's networks: no report for them", inc->id, p->to->id);
	return 0;
}

static void
ctx_free(struct ctx *c)
{
	free(c->url_buf);
}

/* ---- small helpers ------------------------------------------------------ */

static void
set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

static void
set_int(json_t *o, const char *k, json_int_t v)
{
	json_object_set_new(o, k, json_integer(v));
}

/* RFC 3339 UTC, whole seconds ("Z"), or with milliseconds (STIX). */
static void
ts_str(int64_t us, int ms, char *buf, size_t len)
{
	char t[40];

	time_rfc3339(t, sizeof(t), us - us % 1000000, 0);
	if (ms && strlen(t) == 20) {
		t[19] = '\0';
		snprintf(buf, len, "%s.%03dZ", t, (int)(us % 1000000 / 1000));
	} else
		snprintf(buf, len, "%s", t);
}

static int64_t
parse_ts(const char *s, int64_t def)
{
	int64_t us;

	return s != NULL && time_parse_rfc3339(s, &us) == 0 ? us : def;
}

/* The protocol of the attack: "udp", "tcp", "icmp". */
static const char *
protocol_of(const struct ev_evidence *e)
{
	if (e->attack != NULL) {
		if (strcmp(e->attack, "syn_flood") == 0)
			return "tcp";
		if (strcmp(e->attack, "icmp_flood") == 0)
			return "icmp";
		if (strcmp(e->attack, "amplification") == 0 ||
		    strcmp(e->attack, "udp_flood") == 0 ||
		    strcmp(e->attack, "fragment_flood") == 0)
			return "udp";
	}
	if (e->syn_pps >= e->udp_pps && e->syn_pps >= e->icmp_pps &&
	    e->syn_pps > 0)
		return "tcp";
	if (e->icmp_pps > e->udp_pps)
		return "icmp";
	return "udp";
}

/* The attack vector in X-ARF's words (its examples). */
static const char *
vector_of(const struct ev_evidence *e)
{
	static const struct { int port; const char *v; } refl[] = {
		{ 53, "dns_amplification" }, { 123, "ntp_amplification" },
		{ 11211, "memcached_amplification" },
		{ 1900, "ssdp_amplification" }, { 389, "cldap_amplification" },
		{ 19, "chargen_amplification" }, { 161, "snmp_amplification" },
	};
	size_t i;

	if (e->attack != NULL && strcmp(e->attack, "amplification") == 0) {
		for (i = 0; i < NITEMS(refl); i++)
			if (e->top_port == refl[i].port)
				return refl[i].v;
		return "udp_amplification";
	}
	return e->attack != NULL ? e->attack : "unknown";
}

static int
is_reflection(const struct ev_evidence *e)
{
	return e->attack != NULL && strcmp(e->attack, "amplification") == 0;
}

/* "TLP:AMBER+STRICT" -> "amber+strict" into buf. */
static const char *
tlp_word(const char *tlp, char *buf, size_t len)
{
	size_t i;

	if (strncmp(tlp, "TLP:", 4) == 0)
		tlp += 4;
	for (i = 0; tlp[i] != '\0' && i + 1 < len; i++)
		buf[i] = (char)(tlp[i] >= 'A' && tlp[i] <= 'Z' ?
		    tlp[i] - 'A' + 'a' : tlp[i]);
	buf[i] = '\0';
	return buf;
}

/* The domain of our NOC's address, or NULL. */
static const char *
email_domain(const char *email)
{
	const char *at = email != NULL ? strrchr(email, '@') : NULL;

	return at != NULL && at[1] != '\0' ? at + 1 : NULL;
}

static char *
dump(json_t *doc)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_ENSURE_ASCII);
	char *out;

	json_decref(doc);
	if (s == NULL)
		fatal("export: jansson could not print the document");
	out = xasprintf("%s\n", s);
	free(s);
	return out;
}

/* ---- X-ARF v4 ----------------------------------------------------------- */

static char *
b64(const char *s, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s,
	    (int)n);
	return out;
}

/* The recipient's part of the evidence as CSV, and its X-ARF item. */
static json_t *
xarf_evidence(const struct ctx *c)
{
	json_t *item = json_object();
	char *csv = xstrdup("address,asn,country,packets,share_per_mille\n");
	char hex[65], *h, *payload;
	size_t i;

	for (i = 0; i < c->nsrc; i++) {
		const struct ev_source *s = &c->e->top[c->src[i]];
		char *n = xasprintf("%s%s,%lld,%s,%llu,%lld\n", csv, s->addr,
		    (long long)s->asn, s->cc != NULL ? s->cc : "",
		    (unsigned long long)s->packets, (long long)s->share_pm);

		free(csv);
		csv = n;
	}
	export_sha256_hex(csv, strlen(csv), hex);
	payload = b64(csv, strlen(csv));
	set_str(item, "content_type", "text/csv");
	set_str(item, "description", c->spoofed ? "no sources: they are "
	    "spoofed" : is_reflection(c->e) ? "the reflectors in your "
	    "network, packets each sent to the target while we measured" :
	    "the sources in your network, packets each sent to the target");
	set_str(item, "payload", payload);
	h = xasprintf("sha256:%s", hex);
	set_str(item, "hash", h);
	set_int(item, "size", (json_int_t)strlen(csv));
	free(h);
	free(payload);
	free(csv);
	return item;
}

static json_t *
xarf_party(const struct export_params *p)
{
	json_t *o = json_object();

	set_str(o, "org", p->org);
	set_str(o, "contact", p->noc_email);
	set_str(o, "domain", email_domain(p->noc_email));
	return o;
}

static char *
xarf_build(const struct ctx *c, char *errbuf)
{
	const struct incident *inc = c->inc;
	const struct export_params *p = c->p;
	json_t *r, *tags;
	char id[64], u[37], ts[40], tw[24], tag[64];
	int64_t start, last;

	if (p->org == NULL || *p->org == '\0' || email_domain(p->noc_email)
	    == NULL) {
		err_set(errbuf, "X-ARF names the reporter: set org and "
		    "noc-email (kyocho.conf)");
		return NULL;
	}
	if (c->e != NULL && c->spoofed) {
		err_set(errbuf, "%s: the sources are spoofed (not the "
		    "attacker): an X-ARF report would accuse the wrong "
		    "party; share MISP or STIX with a CSIRT instead", inc->id);
		return NULL;
	}
	if (c->e != NULL && c->e->top_port <= 0) {
		err_set(errbuf, "%s: X-ARF v4 DDoS reports need the sources' "
		    "port, which this evidence does not hold", inc->id);
		return NULL;
	}
	snprintf(id, sizeof(id), "report");
	sdo_id(c, "xarf", id, id, sizeof(id));
	r = json_object();
	set_str(r, "xarf_version", "4.2.0");
	snprintf(u, sizeof(u), "%s", strchr(id, '-') + 2);
	set_str(r, "report_id", u);
	start = c->e != NULL ? parse_ts(c->e->start, inc->created_us) :
	    inc->created_us;
	ts_str(start, 0, ts, sizeof(ts));
	set_str(r, "timestamp", ts);
	json_object_set_new(r, "reporter", xarf_party(p));
	json_object_set_new(r, "sender", xarf_party(p));
	tags = json_array();
	snprintf(tag, sizeof(tag), "tlp:%s", tlp_word(inc->tlp, tw,
	    sizeof(tw)));
	json_array_append_new(tags, json_string(tag));
	if (c->e == NULL) {	/* phishing */
		set_str(r, "source_identifier", c->urls[0]);
		set_str(r, "category", "content");
		set_str(r, "type", "phishing");
		set_str(r, "url", c->urls[0]);
		set_str(r, "evidence_source", "user_report");
	} else {
		const struct ev_evidence *e = c->e;

		last = parse_ts(e->end != NULL ? e->end : e->last, start);
		set_str(r, "source_identifier", e->top[c->src[0]].addr);
		set_int(r, "source_port", e->top_port);
		set_str(r, "category", "connection");
		set_str(r, "type", "ddos");
		set_str(r, "evidence_source", "flow_analysis");
		if (e->target != NULL)
			set_str(r, "destination_ip", e->target);
		set_str(r, "protocol", protocol_of(e));
		set_str(r, "attack_vector", vector_of(e));
		if (e->peak_pps > 0)
			set_int(r, "peak_pps", (json_int_t)e->peak_pps);
		if (e->peak_bps > 0)
			set_int(r, "peak_bps", (json_int_t)e->peak_bps);
		if (last > start)
			set_int(r, "duration_seconds", (last - start) /
			    1000000);
		set_str(r, "first_seen", ts);
		ts_str(last, 0, ts, sizeof(ts));
		set_str(r, "last_seen", ts);
		snprintf(tag, sizeof(tag), "attack:%s", vector_of(e));
		json_array_append_new(tags, json_string(tag));
		json_object_set_new(r, "evidence", json_pack("[o]",
		    xarf_evidence(c)));
	}
	json_object_set_new(r, "tags", tags);
	{
		char *d = xasprintf("%s (incident %s, %s)", inc->title, inc->id,
		    inc->tlp);

		if (strlen(d) > 1000)
			d[1000] = '\0';
		set_str(r, "description", d);
		free(d);
	}
	return dump(r);
}

/* ---- MISP --------------------------------------------------------------- */

static json_t *
misp_attr(const struct ctx *c, const char *rel, const char *type,
    const char *category, const char *value, int to_ids, const char *tag)
{
	json_t *a = json_object();
	char id[80], ts[24];

	sdo_id(c, "attr", tag, id, sizeof(id));
	set_str(a, "uuid", strchr(id, '-') + 2);
	if (rel != NULL)
		set_str(a, "object_relation", rel);
	set_str(a, "type", type);
	set_str(a, "category", category);
	set_str(a, "value", value);
	json_object_set_new(a, "to_ids", json_boolean(to_ids));
	set_str(a, "distribution", "5");	/* inherit the event's */
	snprintf(ts, sizeof(ts), "%lld", (long long)(c->p->now_us / 1000000));
	set_str(a, "timestamp", ts);
	set_str(a, "comment", "");
	return a;
}

static json_t *
misp_tag(const char *name)
{
	json_t *t = json_object();

	set_str(t, "name", name);
	json_object_set_new(t, "exportable", json_true());
	return t;
}

static json_t *
misp_object(const struct ctx *c, const char *name, const char *tuuid,
    const char *tversion, const char *meta, json_t *attrs)
{
	json_t *o = json_object();
	char id[80], ts[24];

	sdo_id(c, "object", name, id, sizeof(id));
	set_str(o, "name", name);
	set_str(o, "meta-category", meta);
	set_str(o, "description", "");
	set_str(o, "template_uuid", tuuid);
	set_str(o, "template_version", tversion);
	set_str(o, "uuid", strchr(id, '-') + 2);
	snprintf(ts, sizeof(ts), "%lld", (long long)(c->p->now_us / 1000000));
	set_str(o, "timestamp", ts);
	set_str(o, "distribution", "5");
	set_str(o, "comment", "");
	json_object_set_new(o, "Attribute", attrs);
	return o;
}

static char *
misp_build(const struct ctx *c)
{
	const struct incident *inc = c->inc;
	json_t *root = json_object(), *ev = json_object(), *org = json_object();
	json_t *attrs = json_array(), *objs = json_array(), *tags;
	char id[80], ts[24], day[40], tw[24], tag[64], buf[96];
	size_t i, nattr = 0;

	sdo_id(c, "event", "event", id, sizeof(id));
	set_str(ev, "id", "0");
	set_str(ev, "orgc_id", "0");
	set_str(ev, "org_id", "0");
	ts_str(inc->created_us, 0, day, sizeof(day));
	day[10] = '\0';
	set_str(ev, "date", day);
	set_str(ev, "threat_level_id", "2");
	set_str(ev, "info", inc->title);
	json_object_set_new(ev, "published", json_false());
	set_str(ev, "uuid", strchr(id, '-') + 2);
	set_str(ev, "analysis", "2");
	snprintf(ts, sizeof(ts), "%lld", (long long)(c->p->now_us / 1000000));
	set_str(ev, "timestamp", ts);
	/* 0: this organisation only; sharing further is the recipient's
	 * decision under the TLP tag */
	set_str(ev, "distribution", "0");
	json_object_set_new(ev, "proposal_email_lock", json_false());
	json_object_set_new(ev, "locked", json_false());
	set_str(ev, "publish_timestamp", "0");
	set_str(ev, "sharing_group_id", "0");
	set_str(org, "id", "0");
	set_str(org, "name", c->p->org != NULL && *c->p->org ? c->p->org :
	    "kyocho");
	sdo_id(c, "org", "org", buf, sizeof(buf));
	set_str(org, "uuid", strchr(buf, '-') + 2);
	json_object_set(ev, "Org", org);
	json_object_set_new(ev, "Orgc", org);

	if (c->e == NULL) {		/* phishing: one url object each */
		for (i = 0; i < c->nurls; i++) {
			json_t *oa = json_array();

			snprintf(buf, sizeof(buf), "url-%zu", i);
			json_array_append_new(oa, misp_attr(c, "url", "url",
			    "Network activity", c->urls[i], 1, buf));
			json_array_append_new(objs, misp_object(c, "url",
			    "60efb77b-40b5-4c46-871b-ed1ed999fce5",
			    "10", "network", oa));
			nattr++;
		}
	} else {
		const struct ev_evidence *e = c->e;
		json_t *oa = json_array();
		char v[64];

		for (i = 0; i < c->nsrc; i++) {
			snprintf(buf, sizeof(buf), "ip-src-%zu", i);
			json_array_append_new(oa, misp_attr(c, "ip-src",
			    "ip-src", "Network activity", e->top[c->src[i]].addr,
			    1, buf));
		}
		if (e->target != NULL)
			json_array_append_new(oa, misp_attr(c, "ip-dst",
			    "ip-dst", "Network activity", e->target, 0,
			    "ip-dst"));
		if (is_reflection(e) && e->top_port > 0) {
			snprintf(v, sizeof(v), "%lld", (long long)e->top_port);
			json_array_append_new(oa, misp_attr(c, "src-port",
			    "port", "Network activity", v, 0, "src-port"));
		}
		json_array_append_new(oa, misp_attr(c, "protocol", "text",
		    "Other", protocol_of(e), 0, "protocol"));
		json_array_append_new(oa, misp_attr(c, "type", "text",
		    "Other", is_reflection(e) ? "amplification" :
		    "flooding", 0, "type"));
		if (e->start != NULL) {
			ts_str(parse_ts(e->start, 0), 0, v, sizeof(v));
			json_array_append_new(oa, misp_attr(c, "first-seen",
			    "datetime", "Other", v, 0, "first-seen"));
		}
		if (e->last != NULL) {
			ts_str(parse_ts(e->end != NULL ? e->end : e->last, 0),
			    0, v, sizeof(v));
			json_array_append_new(oa, misp_attr(c, "last-seen",
			    "datetime", "Other", v, 0, "last-seen"));
		}
		if (e->peak_pps > 0) {
			snprintf(v, sizeof(v), "%llu",
			    (unsigned long long)e->peak_pps);
			json_array_append_new(oa, misp_attr(c, "total-pps",
			    "integer", "Other", v, 0, "total-pps"));
		}
		if (e->peak_bps > 0) {
			snprintf(v, sizeof(v), "%llu",
			    (unsigned long long)e->peak_bps);
			json_array_append_new(oa, misp_attr(c, "total-bps",
			    "integer", "Other", v, 0, "total-bps"));
		}
		if (c->spoofed)
			json_array_append_new(oa, misp_attr(c, "text", "text",
			    "Other", "source addresses spoofed: not exported",
			    0, "text"));
		nattr += json_array_size(oa);
		json_array_append_new(objs, misp_object(c, "ddos",
		    "e2f124d6-f57c-4f93-99e6-8450545fa05d", "10", "network",
		    oa));
	}
	snprintf(buf, sizeof(buf), "%zu", nattr);
	set_str(ev, "attribute_count", buf);
	json_object_set_new(ev, "Attribute", attrs);
	json_object_set_new(ev, "Object", objs);
	json_object_set_new(ev, "ShadowAttribute", json_array());
	json_object_set_new(ev, "RelatedEvent", json_array());
	tags = json_array();
	snprintf(tag, sizeof(tag), "tlp:%s", tlp_word(inc->tlp, tw,
	    sizeof(tw)));
	json_array_append_new(tags, misp_tag(tag));
	/* PAP follows the TLP: what the recipient may do with it actively */
	json_array_append_new(tags, misp_tag(strcmp(tw, "clear") == 0 ?
	    "PAP:CLEAR" : strcmp(tw, "green") == 0 ? "PAP:GREEN" :
	    "PAP:AMBER"));
	json_object_set_new(ev, "Tag", tags);
	json_object_set_new(root, "Event", ev);
	return dump(root);
}

/* ---- STIX 2.1 ----------------------------------------------------------- */

/* The TLP 2.0 marking definitions (OASIS TLP 2.0 STIX extension). */
static const struct {
	const char *tlp, *word, *uuid;
} tlp2[] = {
	{ "TLP:CLEAR", "clear", "94868c89-83c2-464b-929b-a1a8aa3c8487" },
	{ "TLP:GREEN", "green", "bab4a63c-aed9-4cf5-a766-dfca5abac2bb" },
	{ "TLP:AMBER", "amber", "55d920b0-5e8b-4f79-9ee9-91f868d9b421" },
	{ "TLP:AMBER+STRICT", "amber+strict",
	  "939a9414-2ddd-4d32-a0cd-375ea402b003" },
};

static json_t *
stix_marking(size_t k)
{
	json_t *m = json_object(), *ext = json_object(), *x = json_object();
	char id[80];

	set_str(m, "type", "marking-definition");
	set_str(m, "spec_version", "2.1");
	snprintf(id, sizeof(id), "marking-definition--%s", tlp2[k].uuid);
	set_str(m, "id", id);
	set_str(m, "created", "2022-10-01T00:00:00.000Z");
	set_str(m, "name", tlp2[k].tlp);
	set_str(x, "extension_type", "property-extension");
	set_str(x, "tlp_2_0", tlp2[k].word);
	json_object_set_new(ext, "extension-definition--60a3c5c5-0d10-413e-"
	    "aab3-9e08dde9e88d", x);
	json_object_set_new(m, "extensions", ext);
	return m;
}

/* An SCO id: uuid5 in the STIX namespace of its canonical properties. */
static void
sco_id(const char *type, json_t *props, char *out, size_t len)
{
	char *canon = json_dumps(props, JSON_COMPACT | JSON_SORT_KEYS);
	char u[37];

	if (canon == NULL)
		fatal("export: jansson could not print an observable");
	uuid5(stix_ns, canon, u);
	free(canon);
	snprintf(out, len, "%s--%s", type, u);
}

static json_t *
stix_addr(const char *a, char *id, size_t len)
{
	json_t *o = json_object(), *p = json_object();
	const char *type = strchr(a, ':') != NULL ? "ipv6-addr" : "ipv4-addr";

	set_str(p, "value", a);
	sco_id(type, p, id, len);
	json_decref(p);
	set_str(o, "type", type);
	set_str(o, "spec_version", "2.1");
	set_str(o, "id", id);
	set_str(o, "value", a);
	return o;
}

/* The common properties of an SDO. */
static json_t *
stix_sdo(const struct ctx *c, const char *type, const char *tag,
    const char *ident, const char *marking, char *id, size_t len)
{
	json_t *o = json_object();
	char ts[40];

	sdo_id(c, type, tag, id, len);
	set_str(o, "type", type);
	set_str(o, "spec_version", "2.1");
	set_str(o, "id", id);
	if (ident != NULL)
		set_str(o, "created_by_ref", ident);
	ts_str(c->p->now_us, 1, ts, sizeof(ts));
	set_str(o, "created", ts);
	set_str(o, "modified", ts);
	if (marking != NULL)
		json_object_set_new(o, "object_marking_refs", json_pack("[s]",
		    marking));
	return o;
}

static char *
stix_build(const struct ctx *c, char *errbuf)
{
	const struct incident *inc = c->inc;
	json_t *b = json_object(), *objs = json_array(), *o, *refs;
	char bid[80], ident[80], mark[80], od[80], tid[80], id[80], ts[40];
	size_t i, k;

	for (k = 0; k < NITEMS(tlp2); k++)
		if (strcmp(inc->tlp, tlp2[k].tlp) == 0)
			break;
	if (k == NITEMS(tlp2)) {
		json_decref(b);
		json_decref(objs);
		err_set(errbuf, "%s: TLP '%s' has no STIX marking to carry it",
		    inc->id, inc->tlp);
		return NULL;
	}
	snprintf(mark, sizeof(mark), "marking-definition--%s", tlp2[k].uuid);
	sdo_id(c, "bundle", "bundle", bid, sizeof(bid));
	set_str(b, "type", "bundle");
	set_str(b, "id", bid);
	json_array_append_new(objs, stix_marking(k));

	o = stix_sdo(c, "identity", "us", NULL, NULL, ident, sizeof(ident));
	set_str(o, "name", c->p->org != NULL && *c->p->org ? c->p->org :
	    "kyocho");
	set_str(o, "identity_class", "organization");
	if (c->p->noc_email != NULL && *c->p->noc_email)
		set_str(o, "contact_information", c->p->noc_email);
	json_array_append_new(objs, o);

	if (c->e == NULL) {		/* phishing: url indicators */
		for (i = 0; i < c->nurls; i++) {
			char tag[32], *pat, *q;
			size_t j, n = 0;

			snprintf(tag, sizeof(tag), "url-%zu", i);
			o = stix_sdo(c, "indicator", tag, ident, mark, id,
			    sizeof(id));
			/* quote ' and \ in the pattern's string literal */
			q = xmalloc(2 * strlen(c->urls[i]) + 1);
			for (j = 0; c->urls[i][j] != '\0'; j++) {
				if (c->urls[i][j] == '\'' ||
				    c->urls[i][j] == '\\')
					q[n++] = '\\';
				q[n++] = c->urls[i][j];
			}
			q[n] = '\0';
			pat = xasprintf("[url:value = '%s']", q);
			free(q);
			set_str(o, "name", "phishing URL");
			json_object_set_new(o, "indicator_types",
			    json_pack("[s]", "malicious-activity"));
			set_str(o, "pattern", pat);
			set_str(o, "pattern_type", "stix");
			ts_str(inc->created_us, 1, ts, sizeof(ts));
			set_str(o, "valid_from", ts);
			free(pat);
			json_array_append_new(objs, o);
		}
	} else {
		const struct ev_evidence *e = c->e;
		json_t *nt = json_object(), *np = json_object();
		char dst[80], src0[80] = "", ntid[80];
		int64_t start = parse_ts(e->start, inc->created_us);
		int64_t last = parse_ts(e->end != NULL ? e->end : e->last,
		    start);

		refs = json_array();
		if (e->target != NULL) {
			json_array_append_new(objs, stix_addr(e->target, dst,
			    sizeof(dst)));
			json_array_append_new(refs, json_string(dst));
		}
		for (i = 0; i < c->nsrc; i++) {
			char sid[80];

			json_array_append_new(objs, stix_addr(
			    e->top[c->src[i]].addr, sid, sizeof(sid)));
			json_array_append_new(refs, json_string(sid));
			if (i == 0)
				snprintf(src0, sizeof(src0), "%s", sid);
		}
		/* the attack traffic as one network-traffic observable */
		if (src0[0] != '\0')
			set_str(np, "src_ref", src0);
		if (e->target != NULL)
			set_str(np, "dst_ref", dst);
		json_object_set_new(np, "protocols", json_pack("[ss]",
		    e->target != NULL && strchr(e->target, ':') != NULL ?
		    "ipv6" : "ipv4", protocol_of(e)));
		if (is_reflection(e) && e->top_port > 0)
			set_int(np, "src_port", e->top_port);
		sco_id("network-traffic", np, ntid, sizeof(ntid));
		set_str(nt, "type", "network-traffic");
		set_str(nt, "spec_version", "2.1");
		set_str(nt, "id", ntid);
		json_object_update(nt, np);
		json_decref(np);
		if (src0[0] == '\0' && e->target == NULL) {
			json_decref(nt);
		} else {
			json_array_append_new(objs, nt);
			json_array_append_new(refs, json_string(ntid));
		}
		if (json_array_size(refs) == 0) {
			json_decref(refs);
			json_decref(b);
			json_decref(objs);
			err_set(errbuf, "%s: the evidence names no address",
			    inc->id);
			return NULL;
		}
		o = stix_sdo(c, "observed-data", "attack", ident, mark, od,
		    sizeof(od));
		ts_str(start, 1, ts, sizeof(ts));
		set_str(o, "first_observed", ts);
		ts_str(last, 1, ts, sizeof(ts));
		set_str(o, "last_observed", ts);
		set_int(o, "number_observed", 1);
		json_object_set_new(o, "object_refs", refs);
		json_array_append_new(objs, o);
		/* an indicator per genuine source (never for spoofed ones) */
		for (i = 0; i < c->nsrc; i++) {
			const char *a = e->top[c->src[i]].addr;
			char tag[32], *pat, rid[80];

			snprintf(tag, sizeof(tag), "src-%zu", i);
			o = stix_sdo(c, "indicator", tag, ident, mark, tid,
			    sizeof(tid));
			pat = xasprintf("[%s:value = '%s']", strchr(a, ':') ?
			    "ipv6-addr" : "ipv4-addr", a);
			set_str(o, "name", is_reflection(e) ? "DDoS reflector" :
			    "DDoS source");
			json_object_set_new(o, "indicator_types",
			    json_pack("[s]", is_reflection(e) ? "compromised" :
			    "malicious-activity"));
			set_str(o, "pattern", pat);
			set_str(o, "pattern_type", "stix");
			ts_str(start, 1, ts, sizeof(ts));
			set_str(o, "valid_from", ts);
			free(pat);
			json_array_append_new(objs, o);
			o = stix_sdo(c, "relationship", tag, ident, mark, rid,
			    sizeof(rid));
			set_str(o, "relationship_type", "based-on");
			set_str(o, "source_ref", tid);
			set_str(o, "target_ref", od);
			json_array_append_new(objs, o);
		}
	}
	json_object_set_new(b, "objects", objs);
	return dump(b);
}

char *
export_build(const struct incident *inc, const struct export_params *p,
    char *errbuf)
{
	struct ctx c;
	char *out = NULL;

	if (ctx_init(&c, inc, p, errbuf) != 0) {
		ctx_free(&c);
		return NULL;
	}
	switch (p->format) {
	case EXPORT_XARF:
		out = xarf_build(&c, errbuf);
		break;
	case EXPORT_MISP:
		out = misp_build(&c);
		break;
	case EXPORT_STIX:
		out = stix_build(&c, errbuf);
		break;
	}
	ctx_free(&c);
	return out;
}
