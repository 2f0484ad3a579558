/*
 * casework_follow.c -- evidence that follows an alert (casework.h): an
 * incident made from an alert in this process gets new evidence while its
 * alert lasts -- when the peak grows, the ingress changes, and at its end.
 */
#include "casework/casework_impl.h"

#include <string.h>

#include "case/evidence.h"
#include "detect/snapshot.h"
#include "base/util.h"

/* ---- evidence that follows the alert ----------------------------------- */

/* Follow incident id with alert alert_id; the oldest follow makes room. */
void
casework_follow_add(struct casework *cw, const char *id, uint64_t alert_id)
{
	if (cw->nfollows == CASE_FOLLOWS) {
		memmove(&cw->follows[0], &cw->follows[1],
		    (CASE_FOLLOWS - 1) * sizeof(cw->follows[0]));
		cw->nfollows--;
	}
	snprintf(cw->follows[cw->nfollows].id, INCIDENT_ID_LEN, "%s", id);
	cw->follows[cw->nfollows++].alert_id = alert_id;
}

/* Bytes of a neighbour key: "link|mac" or "link|ASn". */
#define FOLLOW_KEY_LEN	(ALERT_LINK_LEN + 24)

/* Sort keys k[0..n) and join them with spaces into buf (the same order
 * for an alert and for the evidence event written from it). */
static void
keys_join(char (*k)[FOLLOW_KEY_LEN], size_t n, char *buf, size_t len)
{
	char t[FOLLOW_KEY_LEN];
	size_t i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
			memcpy(t, k[j], sizeof(t));
			memcpy(k[j], k[j - 1], sizeof(t));
			memcpy(k[j - 1], t, sizeof(t));
		}
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i ? " " : "", k[i]);
}

/* The neighbour keys ("link|mac-or-AS") carrying at least
 * CASE_FOLLOW_SHARE_PM of a, sorted, joined by spaces. */
static void
alert_keys(const struct alert *a, char *buf, size_t len)
{
	char k[ALERT_INGRESS][FOLLOW_KEY_LEN];
	size_t n = 0, i;

	for (i = 0; i < a->ningress && i < ALERT_INGRESS; i++) {
		const struct alert_ingress *g = &a->ingress[i];

		if (g->share * 1000 + 0.5 < CASE_FOLLOW_SHARE_PM)
			continue;
		if (g->has_mac)
			snprintf(k[n], sizeof(k[n]), "%.*s|%02x:%02x:%02x:%02x:"
			    "%02x:%02x", (int)strnlen(g->link, ALERT_LINK_LEN),
			    g->link, g->mac[0], g->mac[1], g->mac[2], g->mac[3],
			    g->mac[4], g->mac[5]);
		else
			snprintf(k[n], sizeof(k[n]), "%.*s|AS%lu",
			    (int)strnlen(g->link, ALERT_LINK_LEN), g->link,
			    (unsigned long)g->asn);
		n++;
	}
	keys_join(k, n, buf, len);
}

/* The same keys of an evidence event, as alert_keys writes them. */
static void
event_keys(const struct json *ev, char *buf, size_t len)
{
	struct evidence_hop h[EVIDENCE_HOPS];
	char k[EVIDENCE_HOPS][FOLLOW_KEY_LEN];
	size_t nh = evidence_hops(ev, h, EVIDENCE_HOPS), n = 0, i;

	for (i = 0; i < nh; i++) {
		if (h[i].share_pm < CASE_FOLLOW_SHARE_PM)
			continue;
		if (h[i].mac != NULL)
			snprintf(k[n], sizeof(k[n]), "%.*s|%.17s",
			    ALERT_LINK_LEN - 1, h[i].link ? h[i].link : "",
			    h[i].mac);
		else
			snprintf(k[n], sizeof(k[n]), "%.*s|AS%lu",
			    ALERT_LINK_LEN - 1, h[i].link ? h[i].link : "",
			    (unsigned long)h[i].asn);
		n++;
	}
	keys_join(k, n, buf, len);
}

const char *
casework_follow_why(const struct incident *inc, const struct alert *a)
{
	const struct incident_event *le = incident_last_evidence(inc);
	char ka[ALERT_INGRESS * (ALERT_LINK_LEN + 26)];
	char ke[EVIDENCE_HOPS * (ALERT_LINK_LEN + 26)];
	uint64_t lpeak;
	int64_t llast;
	size_t i, n = 0;

	if (le == NULL)
		return "first";
	if (json_getu(le->j, "alert_id", 0) != a->id)
		return NULL;
	if (json_get(le->j, "end") != NULL)
		return NULL;		/* it ended: nothing follows */
	if (a->end_us != 0)
		return "end";		/* always written, past the cap too */
	for (i = 0; i < inc->nev; i++)
		if (strcmp(inc->ev[i].type, "evidence") == 0 &&
		    json_getu(inc->ev[i].j, "alert_id", 0) == a->id)
			n++;
	if (n >= CASE_FOLLOW_MAX)
		return NULL;
	if (time_parse_rfc3339(json_gets(le->j, "last", ""), &llast) != 0)
		llast = 0;
	if (a->last_us - llast < CASE_FOLLOW_GAP_US)
		return NULL;
	lpeak = json_getu(le->j, "peak_pps", 0);
	if (a->peak_pps > lpeak && (a->peak_pps - lpeak) * 4 >= lpeak)
		return "peak";
	alert_keys(a, ka, sizeof(ka));
	event_keys(le->j, ke, sizeof(ke));
	if (strcmp(ka, ke) != 0)
		return "ingress";
	return NULL;
}

int
casework_follow_alert(struct casework *cw, struct incident *inc,
    const struct alert *a, const char *link_name, char *errbuf)
{
	struct incident_srcinfo src[ALERT_TOP_SOURCES];
	struct incident_store *s;
	unsigned i;

	if (casework_follow_why(inc, a) == NULL)
		return 0;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	memset(src, 0, sizeof(src));
	for (i = 0; i < a->ntop && i < ALERT_TOP_SOURCES; i++) {
		src[i].asn = a->top[i].asn;
		memcpy(src[i].cc, a->top[i].country, 2);
	}
	if (incident_add_evidence(s, inc, a, src, link_name, errbuf) != 0)
		return -1;
	return 1;
}

int
casework_follow_snapshot(struct casework *cw, const struct snapshot *snap,
    char *errbuf)
{
	struct incident_store *s;
	size_t i, j, out = 0;
	int appended = 0, rc = 0;

	if (snap == NULL || cw->nfollows == 0 || cw->store == NULL)
		return 0;
	s = cw->store;
	for (i = 0; i < cw->nfollows; i++) {
		struct follow *f = &cw->follows[i];
		struct incident *inc = incident_find(s, f->id);
		const struct alert *a = NULL;
		const char *link = NULL;
		char lname[64], e2[ERRBUF_SIZE];
		int r;

		for (j = 0; j < snap->nalerts; j++)
			if (snap->alerts[j].id == f->alert_id)
				a = &snap->alerts[j];
		if (inc == NULL || a == NULL)
			continue;	/* gone: stop following */
		if (a->link < snap->nlinks) {
			text_sanitize(lname, sizeof(lname),
			    snap->links[a->link].name,
			    strnlen(snap->links[a->link].name,
			    sizeof(snap->links[a->link].name)));
			link = lname;
		}
		r = casework_follow_alert(cw, inc, a, link,
		    rc == 0 ? errbuf : e2);
		if (r < 0)
			rc = -1;
		appended += r > 0;
		if (a->end_us != 0 && r >= 0)
			continue;	/* its end is written: done */
		cw->follows[out++] = *f;
	}
	cw->nfollows = out;
	return rc < 0 ? -1 : appended;
}
