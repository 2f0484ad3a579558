/*
 * casework_phish.c -- phishing sites (issue 14, casework.h): a phishing
 * incident from a URL, journaled lookups of its host (and the site gone
 * when it stops resolving), the takedown clock with follow-ups due, and
 * the counterparts ranked for a takedown.
 */
#include "casework/casework_impl.h"

#include <stdint.h>
#include <string.h>

#include "time/hours.h"
#include "time/tz.h"
#include "base/defang.h"
#include "base/util.h"

/* ---- phishing sites (issue 14) ---------------------------------------- */

int
casework_create_phishing(struct casework *cw, const char *kind,
    const char *url, const char *host, const char *brand, const char *title, const char *tlp,
    int64_t first_seen_us, struct incident **out, char *errbuf)
{
	char h[512], t[768];

	*out = NULL;
	if (host == NULL || *host == '\0')
		return err_set(errbuf, "a phishing incident needs the site's "
		    "host");
	if (title == NULL || *title == '\0') {
		snprintf(t, sizeof(t), "Phishing %s%s%.200s%s",
		    defang(host, h, sizeof(h)), brand != NULL && *brand ?
		    " (" : "", brand != NULL ? brand : "", brand != NULL &&
		    *brand ? ")" : "");
		title = t;
	}
	if (kind == NULL || *kind == '\0' || strcmp(kind, "phishing") == 0)
		kind = "phishing-abroad";
	if (casework_create(cw, kind, title, "manual", tlp, out,
	    errbuf) != 0) {
		*out = NULL;
		return -1;
	}
	return incident_site(cw->store, *out, url, host, brand, first_seen_us,
	    errbuf);
}

/* 1 if the lookups a and b found the same addresses (as sets) and the
 * same registrar. */
static int
lookup_same(const struct ev_lookup *a, const struct site_lookup *b)
{
	size_t i, j;

	if (a->naddrs != b->naddrs || strcmp(a->registrar, b->registrar) != 0 ||
	    strcmp(a->registrar_abuse, b->registrar_abuse) != 0)
		return 0;
	for (i = 0; i < b->naddrs; i++) {
		for (j = 0; j < a->naddrs; j++)
			if (a->addrs[j].addr != NULL &&
			    strcmp(a->addrs[j].addr, b->addrs[i].addr) == 0)
				break;
		if (j == a->naddrs)
			return 0;
	}
	return 1;
}

/* 1 if none of the old lookup's addresses is among the new ones. */
static int
addresses_gone(const struct ev_lookup *old, const struct site_lookup *l)
{
	size_t i, j;

	for (i = 0; i < old->naddrs; i++)
		for (j = 0; j < l->naddrs; j++)
			if (old->addrs[i].addr != NULL &&
			    strcmp(old->addrs[i].addr, l->addrs[j].addr) == 0)
				return 0;
	return 1;
}

int
casework_site_lookup(struct casework *cw, struct incident *inc,
    const struct site_lookup *l, enum site_change *change, char *errbuf)
{
	const struct incident_event *le = incident_last_lookup(inc);
	const struct ev_lookup *old = le != NULL ? &le->ev.u.lookup : NULL;
	int had = 0, gone = 0, up = incident_takedown_event(inc) == NULL;
	char how[16], detail[512], h[512];
	struct incident_store *s;
	size_t i;

	*change = SITE_SAME;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	/* Had addresses in any earlier lookup (a failed one in between
	 * does not make the site new). */
	for (i = 0; i < inc->nev; i++)
		if (inc->ev[i].ev.type == EV_LOOKUP &&
		    inc->ev[i].ev.u.lookup.naddrs > 0) {
			had = 1;
			old = &inc->ev[i].ev.u.lookup;
		}
	if (strcmp(l->status, "error") == 0 && le != NULL)
		return 0;	/* says nothing new about the site */
	if (le != NULL && strcmp(le->ev.u.lookup.status, l->status) == 0 &&
	    lookup_same(&le->ev.u.lookup, l))
		return 0;
	if (had && up) {
		if (l->naddrs == 0 && (strcmp(l->status, "nxdomain") == 0 ||
		    strcmp(l->status, "nodata") == 0)) {
			gone = 1;
			snprintf(how, sizeof(how), "unresolved");
			snprintf(detail, sizeof(detail), "%s: %s",
			    defang(l->host, h, sizeof(h)), l->status);
		} else if (l->naddrs > 0 && old != NULL &&
		    addresses_gone(old, l)) {
			/* Moved to another host: new evidence, and the old
			 * host's copy is down. Not a takedown of the site. */
			gone = 0;
		}
	}
	if (incident_lookup(s, inc, l, errbuf) != 0)
		return -1;
	*change = SITE_NEW;
	if (gone) {
		if (incident_takedown(s, inc, how, detail, errbuf) != 0)
			return -1;
		*change = SITE_GONE;
	}
	return 0;
}

int
casework_takedown(struct casework *cw, struct incident *inc,
    const char *detail, char *errbuf)
{
	struct incident_store *s;
	const struct incident_event *t = incident_takedown_event(inc);
	char ts[40];

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (incident_site_event(inc) == NULL)
		return err_set(errbuf, "%s is not a phishing incident (no site "
		    "recorded)", inc->id);
	if (t != NULL)
		return err_set(errbuf, "the takedown is already recorded (%s)",
		    time_rfc3339(ts, sizeof(ts), t->ts_us, 0));
	return incident_takedown(s, inc, "reported", detail, errbuf);
}

/* When a follow-up to c is due after an attempt at at_s: the next opening
 * of its office after at_s (if open then, the opening after this one
 * closes). */
static int64_t
follow_up_at(const struct contact *c, int64_t at_s)
{
	struct hours def;
	const struct hours *h = c->has_hours ? c->hours : NULL;
	const struct tz *z = c->tz;
	struct hours_state st;
	char err[ERRBUF_SIZE];

	if (h == NULL) {
		hours_default(&def);
		h = &def;
	}
	if (z == NULL && (z = tz_get("UTC", err)) == NULL)
		return at_s + 86400;
	if (h->always)
		return at_s + 86400;
	if (hours_eval(h, z, at_s, &st) != 0)
		return at_s + 86400;
	if (!st.open)
		return st.next_open == HOURS_NEVER ? at_s + 86400 :
		    st.next_open;
	if (st.next_close == HOURS_NEVER ||
	    hours_eval(h, z, st.next_close, &st) != 0 ||
	    st.next_open == HOURS_NEVER)
		return at_s + 86400;
	return st.next_open;
}

int
casework_phish_clock(struct casework *cw, const struct incident *inc,
    int64_t now_us, struct phish_clock *out)
{
	const struct incident_event *site = incident_site_event(inc);
	char err[ERRBUF_SIZE];
	int64_t end;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	out->since_seen_s = out->since_report_s = out->to_answer_s =
	    out->to_takedown_s = out->report_to_takedown_s = -1;
	if (site == NULL)
		return 0;
	{
		struct site_times t;

		(void)incident_site_times(inc, &t);
		out->first_seen_us = t.first_seen_us;
		out->first_report_us = t.first_report_us;
		out->first_answer_us = t.first_answer_us;
		out->takedown_us = t.takedown_us;
	}
	end = out->takedown_us != 0 ? out->takedown_us : now_us;
	if (out->first_seen_us != 0 && end >= out->first_seen_us)
		out->since_seen_s = (end - out->first_seen_us) / 1000000;
	if (out->first_report_us != 0 && end >= out->first_report_us)
		out->since_report_s = (end - out->first_report_us) / 1000000;
	if (out->first_answer_us != 0)
		out->to_answer_s = (out->first_answer_us -
		    out->first_report_us) / 1000000;
	if (out->takedown_us != 0) {
		if (out->takedown_us >= out->first_seen_us)
			out->to_takedown_s = (out->takedown_us -
			    out->first_seen_us) / 1000000;
		if (out->first_report_us != 0 &&
		    out->takedown_us >= out->first_report_us)
			out->report_to_takedown_s = (out->takedown_us -
			    out->first_report_us) / 1000000;
		return 1;	/* down: no follow-up */
	}
	if (!cw->contacts_tried)
		(void)casework_load_contacts(cw, 0, err);
	/* Each recipient's last attempt with no answer from them after it. */
	for (i = 0; i < inc->nev; i++) {
		const struct ev_contact *a = &inc->ev[i].ev.u.contact;
		const char *who;
		int answered = 0, later = 0;
		int64_t due;
		long ci;

		if (inc->ev[i].ev.type != EV_CONTACT ||
		    a->what != CONTACT_ATTEMPT)
			continue;
		who = *a->contact ? a->contact : a->whom;
		for (j = i + 1; j < inc->nev; j++) {
			const struct ev_contact *b = &inc->ev[j].ev.u.contact;
			const char *bw;

			if (inc->ev[j].ev.type != EV_CONTACT)
				continue;
			bw = *b->contact ? b->contact : b->whom;
			if (strcmp(bw, who) != 0)
				continue;
			if (b->what == CONTACT_ATTEMPT)
				later = 1;
			else
				answered = 1;
		}
		if (answered || later)
			continue;
		ci = cw->db != NULL && *a->contact ? contacts_find(cw->db,
		    a->contact) : -1;
		if (ci >= 0) {
			const struct contact *c = contacts_get(cw->db,
			    (size_t)ci);

			due = follow_up_at(c, inc->ev[i].ts_us / 1000000) *
			    1000000;
			if (out->follow_up_due_us == 0 ||
			    due < out->follow_up_due_us)
				snprintf(out->follow_up_zone,
				    sizeof(out->follow_up_zone), "%s",
				    c->tz != NULL ? tz_name(c->tz) : "");
		} else {
			due = inc->ev[i].ts_us + 86400 * (int64_t)1000000;
			if (out->follow_up_due_us == 0 ||
			    due < out->follow_up_due_us)
				out->follow_up_zone[0] = '\0';
		}
		if (out->follow_up_due_us == 0 || due < out->follow_up_due_us) {
			out->follow_up_due_us = due;
			snprintf(out->follow_up_contact,
			    sizeof(out->follow_up_contact), "%s", who);
		}
	}
	out->follow_up_now = out->follow_up_due_us != 0 &&
	    now_us >= out->follow_up_due_us;
	return 1;
}

size_t
casework_phish_rank(struct casework *cw, const struct incident *inc,
    const char *our_country, int64_t at_s, struct esc_suggestion **out)
{
	const struct incident_event *le = incident_last_lookup(inc);
	struct esc_evidence e;
	struct esc_source src[SITE_ADDRS_MAX];
	char err[ERRBUF_SIZE];
	size_t i, n = 0;

	*out = NULL;
	if (!cw->contacts_tried)
		(void)casework_load_contacts(cw, 0, err);
	if (cw->db == NULL)
		return 0;
	memset(&e, 0, sizeof(e));
	e.kind = ESC_PHISHING;
	e.direction = ESC_DIR_UNKNOWN;
	e.at = at_s;
	if (our_country != NULL && strlen(our_country) == 2)
		memcpy(e.our_country, our_country, 3);
	if (le != NULL) {
		const struct ev_lookup *l = &le->ev.u.lookup;

		for (i = 0; i < l->naddrs && n < NITEMS(src); i++) {
			const struct ev_lookup_addr *x = &l->addrs[i];

			memset(&src[n], 0, sizeof(src[n]));
			if (x->addr == NULL || addr_parse(x->addr,
			    &src[n].addr) != 0)
				continue;
			src[n].asn = x->asn > 0 && x->asn <= UINT32_MAX ?
			    (uint32_t)x->asn : 0;
			if (strlen(x->cc) == 2)
				memcpy(src[n].country, x->cc, 3);
			src[n].abuse = *x->abuse ? x->abuse : NULL;
			src[n].packets = 1;
			n++;
		}
		e.registrar = l->registrar;
		e.registrar_abuse = l->registrar_abuse;
	}
	e.sources = src;
	e.nsources = n;
	return escalate_rank(cw->db, &e, out);
}
