/*
 * alert_json.c -- an alert object as `summary --json` and `--alerts` write
 * it (detect_alert_json) read back into a struct alert, so that
 * `kyocho incident new --from-alert FILE` opens the incident the terminal's
 * `e` would (casework.h, casework_alert_from_json).
 *
 * The object is hostile input: every string is bounded and checked
 * (addresses parsed, country codes validated, MACs read as six hex
 * octets), numbers clamped, lists cut at the alert's own sizes.
 */
#include "casework/casework.h"

#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/util.h"
#include "base/validate.h"

/* A two-letter country code into cc[3], else "". */
static void
country(const char *s, char cc[3])
{
	cc[0] = '\0';
	if (s != NULL && strlen(s) == 2 && validate_country(s, 2)) {
		cc[0] = (char)(s[0] & ~0x20);
		cc[1] = (char)(s[1] & ~0x20);
		cc[2] = '\0';
	}
}

static uint32_t
asn_of(const struct json *o, const char *key)
{
	int64_t v = json_geti(o, key, 0);

	return v > 0 && v <= 0xffffffffLL ? (uint32_t)v : 0;
}

static double
share_of(const struct json *o)
{
	double d = json_getd(o, "share", 0);

	return d > 0 && d <= 1 ? d : 0;
}

/* The index of s among n names, or -1. */
static int
word(const char *s, const char *(*name)(int), int n)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, name(i)) == 0)
			return i;
	return -1;
}

static const char *kindw(int i) { return alert_kind_name((enum alert_kind)i); }
static const char *dirw(int i)
{
	return alert_direction_name((enum alert_direction)i);
}
static const char *spoofw(int i) { return alert_spoof_name((enum spoof_level)i); }

/* "02:00:5e:10:00:01" into mac; 0, or -1 when it is not one. */
static int
mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[6], i;
	char tail;

	if (s == NULL || strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c",
	    &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

/* A word of letters, digits, '.', '_' and '-' into out, else "". */
static void
name_copy(char *out, size_t len, const char *s)
{
	size_t i, n = s != NULL ? strlen(s) : 0;

	out[0] = '\0';
	if (n == 0 || n >= len)
		return;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return;
	memcpy(out, s, n + 1);
}

int
casework_alert_from_json(const struct json *o, struct alert *a,
    char *errbuf)
{
	const struct json *l;
	int64_t us;
	size_t i;
	int k;

	memset(a, 0, sizeof(*a));
	if (o == NULL || o->type != JSON_OBJECT)
		return err_set(errbuf, "not an alert object");
	if (addr_parse(json_gets(o, "target", ""), &a->target) != 0)
		return err_set(errbuf, "the alert has no valid \"target\" "
		    "address");
	if (time_parse_rfc3339(json_gets(o, "start", ""), &a->start_us) != 0)
		return err_set(errbuf, "the alert has no valid \"start\" time "
		    "(RFC 3339)");
	a->id = json_getu(o, "id", 0);
	a->target_asn = asn_of(o, "target_asn");
	country(json_gets(o, "target_country", NULL), a->target_country);
	a->kind = (k = word(json_gets(o, "kind", NULL), kindw, KIND_COUNT)) >= 0 ?
	    (enum alert_kind)k : KIND_MIXED;
	a->direction = (k = word(json_gets(o, "direction", NULL), dirw, 3)) >= 0 ?
	    (enum alert_direction)k : DIR_UNKNOWN;
	a->spoof = (k = word(json_gets(o, "spoofing_level", NULL), spoofw,
	    3)) >= 0 ? (enum spoof_level)k : SPOOF_LOW;
	if (time_parse_rfc3339(json_gets(o, "end", ""), &us) == 0 &&
	    us >= a->start_us)
		a->end_us = us;
	a->last_us = a->end_us != 0 ? a->end_us : a->start_us;
	a->peak_pps = json_getu(o, "peak_pps", 0);
	a->peak_bps = json_getu(o, "peak_bps", 0);
	a->cur_pps = json_getu(o, "current_pps", 0);
	a->cur_bps = json_getu(o, "current_bps", 0);
	a->packets = json_getu(o, "packets", 0);
	a->bytes = json_getu(o, "bytes", 0);
	a->syn = json_getu(o, "peak_syn_pps", 0);
	a->udp = json_getu(o, "peak_udp_pps", 0);
	a->icmp = json_getu(o, "peak_icmp_pps", 0);
	a->frag = json_getu(o, "peak_fragment_pps", 0);
	a->sources_est = json_getu(o, "sources_est", 0);
	us = json_geti(o, "reflector_port", 0);
	a->top_port = us > 0 && us <= 65535 ? (uint16_t)us : 0;
	a->spoof_score = json_getd(o, "spoofing_score", 0);
	if (!(a->spoof_score >= 0 && a->spoof_score <= 1))
		a->spoof_score = 0;
	l = json_get(o, "spoofing_evidence");
	for (i = 0; i < json_len(l) && a->nevidence < ALERT_EVIDENCE; i++) {
		const char *s = json_str(json_at(l, i), NULL);

		if (s != NULL)
			text_sanitize(a->evidence[a->nevidence++],
			    ALERT_EVIDENCE_LEN, s, strlen(s));
	}
	l = json_get(o, "top_sources");
	for (i = 0; i < json_len(l) && a->ntop < ALERT_TOP_SOURCES; i++) {
		const struct json *t = json_at(l, i);
		struct alert_source *src = &a->top[a->ntop];

		if (addr_parse(json_gets(t, "addr", ""), &src->addr) != 0)
			continue;
		src->packets = json_getu(t, "packets", 0);
		src->share = share_of(t);
		src->asn = asn_of(t, "asn");
		country(json_gets(t, "country", NULL), src->country);
		a->ntop++;
	}
	l = json_get(o, "ingress");
	for (i = 0; i < json_len(l) && a->ningress < ALERT_INGRESS; i++) {
		const struct json *t = json_at(l, i);
		struct alert_ingress *g = &a->ingress[a->ningress];

		if (t == NULL || t->type != JSON_OBJECT)
			continue;
		name_copy(g->link, sizeof(g->link), json_gets(t, "link", NULL));
		g->has_mac = mac_parse(json_gets(t, "mac", NULL), g->mac) == 0;
		g->asn = asn_of(t, "asn");
		name_copy(g->contact, sizeof(g->contact), json_gets(t,
		    "contact", NULL));
		g->packets = json_getu(t, "packets", 0);
		g->share = share_of(t);
		if (time_parse_rfc3339(json_gets(t, "first_seen", ""),
		    &g->first_us) != 0)
			g->first_us = 0;
		if (time_parse_rfc3339(json_gets(t, "last_seen", ""),
		    &g->last_us) != 0)
			g->last_us = 0;
		if (g->last_us > a->last_us && (a->end_us == 0 ||
		    g->last_us <= a->end_us))
			a->last_us = g->last_us;
		a->ningress++;
	}
	a->ingress_other = json_getu(o, "ingress_other_packets", 0);
	return 0;
}
