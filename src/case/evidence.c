/*
 * evidence.c -- an evidence event's route (evidence.h): the "ingress"
 * array of the journal read through the bounded JSON accessors, ordered by
 * first packet for the one-line route the report and drafts print.
 */
#include "case/evidence.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/util.h"

size_t
evidence_hops(const struct json *ev, struct evidence_hop *out, size_t max)
{
	const struct json *a = json_get(ev, "ingress");
	size_t i, n = 0;

	for (i = 0; i < json_len(a) && n < max; i++) {
		const struct json *o = json_at(a, i);
		struct evidence_hop *h = &out[n];
		int64_t v;

		if (o == NULL || o->type != JSON_OBJECT)
			continue;
		memset(h, 0, sizeof(*h));
		h->link = json_gets(o, "link", NULL);
		h->mac = json_gets(o, "mac", NULL);
		h->contact = json_gets(o, "contact", NULL);
		v = json_geti(o, "asn", 0);
		h->asn = v > 0 && v <= 0xffffffffLL ? (uint32_t)v : 0;
		h->packets = json_getu(o, "packets", 0);
		v = json_geti(o, "share_pm", 0);
		h->share_pm = v < 0 ? 0 : v > 1000 ? 1000 : (unsigned)v;
		if (time_parse_rfc3339(json_gets(o, "first", ""),
		    &h->first_us) != 0)
			h->first_us = 0;
		if (time_parse_rfc3339(json_gets(o, "last", ""),
		    &h->last_us) != 0)
			h->last_us = 0;
		n++;
	}
	return n;
}

/* Append the sanitized s to buf (of len, holding a string). */
static void
put(char *buf, size_t len, const char *s)
{
	size_t used = strlen(buf);

	if (s == NULL || used + 1 >= len)
		return;
	text_sanitize(buf + used, len - used, s, strlen(s));
}

char *
evidence_hop_name(const struct evidence_hop *h, char *buf, size_t len)
{
	char n[48];

	buf[0] = '\0';
	put(buf, len, h->link != NULL && *h->link != '\0' ? h->link : "?");
	if (h->asn != 0) {
		snprintf(n, sizeof(n), " AS%lu", (unsigned long)h->asn);
		put(buf, len, n);
	}
	if (h->contact != NULL && *h->contact != '\0') {
		put(buf, len, " ");
		put(buf, len, h->contact);
	}
	if (h->asn == 0 && (h->contact == NULL || *h->contact == '\0') &&
	    h->mac != NULL) {
		put(buf, len, " ");
		put(buf, len, h->mac);
	}
	snprintf(n, sizeof(n), " %u %%", (h->share_pm + 5) / 10);
	put(buf, len, n);
	return buf;
}

static void
hms(char *buf, size_t len, int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (us == 0 || gmtime_r(&t, &tm) == NULL)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
}

/* Order hop indexes by first packet (unknown last), stable. */
static void
by_first(const struct evidence_hop *h, size_t n, size_t *idx)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = 1; i < n; i++)
		for (j = i; j > 0; j--) {
			int64_t a = h[idx[j - 1]].first_us, b = h[idx[j]].first_us;
			size_t t;

			if (!((a == 0 && b != 0) || (b != 0 && b < a)))
				break;
			t = idx[j - 1];
			idx[j - 1] = idx[j];
			idx[j] = t;
		}
}

int
evidence_route_moved(const struct json *ev)
{
	struct evidence_hop h[EVIDENCE_HOPS];
	size_t n = evidence_hops(ev, h, EVIDENCE_HOPS), idx[EVIDENCE_HOPS];

	if (n < 2)
		return 0;
	by_first(h, n, idx);
	return h[idx[0]].first_us != 0 && h[idx[1]].first_us >=
	    h[idx[0]].first_us + EVIDENCE_MOVE_US;
}

char *
evidence_route(const struct json *ev, char *buf, size_t len)
{
	struct evidence_hop h[EVIDENCE_HOPS];
	size_t n = evidence_hops(ev, h, EVIDENCE_HOPS), idx[EVIDENCE_HOPS], i;
	char name[256], t1[16], t2[16], one[320];

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (n == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	by_first(h, n, idx);
	for (i = 0; i < n; i++) {
		const struct evidence_hop *x = &h[idx[i]];

		evidence_hop_name(x, name, sizeof(name));
		hms(t1, sizeof(t1), x->first_us);
		hms(t2, sizeof(t2), x->last_us);
		snprintf(one, sizeof(one), "%s%s (%s-%s UTC)", i == 0 ? "" :
		    x->first_us >= h[idx[0]].first_us + EVIDENCE_MOVE_US ?
		    " -> " : "; ", name,
		    t1, t2);
		put(buf, len, one);
	}
	return buf;
}
