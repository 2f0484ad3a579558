/*
 * incident_desc.c -- what an incident's events say, read for people: a
 * timeline line per event, the networks and countries involved (for
 * suggesting contacts), and how fast each contact answered. See
 * incident.h. Everything here reads the typed events (event.h) and keeps
 * nothing: it is computed from the journal each time.
 */
#include "case/incident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/defang.h"
#include "base/fmt.h"
#include "base/util.h"

/* ---- contacts ----------------------------------------------------------- */

void
incident_contact_stats(const struct incident *inc, const char *contact_id,
    struct contact_stats *o)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	o->to_answer_s = o->to_resolution_s = -1;
	for (i = 0; i < inc->nev; i++) {
		const struct incident_event *e = &inc->ev[i];
		const struct ev_contact *c = &e->ev.u.contact;

		if (e->ev.type != EV_CONTACT)
			continue;
		if (contact_id != NULL && strcmp(c->contact, contact_id) != 0)
			continue;
		switch (c->what) {
		case CONTACT_ATTEMPT:
			if (o->attempts++ == 0)
				o->first_attempt_us = e->ts_us;
			break;
		case CONTACT_REPLY:
		case CONTACT_ACK:
			if (c->what == CONTACT_REPLY)
				o->replies++;
			else
				o->acks++;
			if (o->first_answer_us == 0)
				o->first_answer_us = e->ts_us;
			break;
		case CONTACT_RESOLUTION:
			if (o->resolutions++ == 0)
				o->resolution_us = e->ts_us;
			if (o->first_answer_us == 0)
				o->first_answer_us = e->ts_us;
			break;
		default:		/* -1: a "what" we do not know */
			break;
		}
	}
	if (o->attempts > 0 && o->first_answer_us != 0 &&
	    o->first_answer_us >= o->first_attempt_us)
		o->to_answer_s = (o->first_answer_us - o->first_attempt_us) /
		    1000000;
	if (o->attempts > 0 && o->resolution_us != 0 &&
	    o->resolution_us >= o->first_attempt_us)
		o->to_resolution_s = (o->resolution_us - o->first_attempt_us) /
		    1000000;
}

size_t
incident_store_contact_history(const struct incident_store *s,
    const char *contact_id, struct contact_history **out)
{
	struct contact_history *v = NULL;
	size_t n = 0, i, j;

	for (i = 0; i < incident_store_count(s); i++) {
		const struct incident *inc = incident_store_at(s, i);
		struct contact_stats st;
		struct contact_history *h;

		incident_contact_stats(inc, contact_id, &st);
		if (st.attempts + st.replies + st.acks + st.resolutions == 0)
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		h = &v[n++];
		memset(h, 0, sizeof(*h));
		h->inc = inc;
		h->first_attempt_us = st.first_attempt_us;
		h->first_answer_us = st.first_answer_us;
		h->resolution_us = st.resolution_us;
		h->attempts = st.attempts;
		h->whom = h->channel = "";
		for (j = 0; j < inc->nev; j++) {
			const struct incident_event *e = &inc->ev[j];

			if (e->ev.type == EV_CONTACT &&
			    strcmp(e->ev.u.contact.contact, contact_id) == 0) {
				h->whom = e->ev.u.contact.whom;
				h->channel = e->ev.u.contact.channel;
				h->first_attempt_seq = e->seq;
				break;
			}
		}
	}
	*out = v;
	return n;
}

/* ---- parties ------------------------------------------------------------ */

static int
party_cmp(const void *a, const void *b)
{
	const struct incident_party *x = a, *y = b;

	if (x->role != y->role)
		return x->role - y->role;
	if (x->share_pm != y->share_pm)
		return x->share_pm > y->share_pm ? -1 : 1;
	return x->asn < y->asn ? -1 : x->asn > y->asn;
}

/* A per-mille share as the sum wants it (negative counts as 0). */
static uint32_t
share_of(const struct ev_source *t)
{
	return t->share_pm > 0 ? (uint32_t)t->share_pm : 0;
}

size_t
incident_parties(const struct incident *inc, struct incident_party *out,
    size_t max)
{
	const struct incident_event *e = incident_last_evidence(inc);
	const struct ev_evidence *ev;
	size_t n = 0, i, k;

	if (e == NULL || max == 0)
		return 0;
	ev = &e->ev.u.evidence;
	for (i = 0; i < ev->ntop; i++) {
		const struct ev_source *t = &ev->top[i];
		const char *cc = t->cc != NULL ? t->cc : "";
		const char *addr = t->addr != NULL ? t->addr : "";
		struct incident_party p;

		memset(&p, 0, sizeof(p));
		p.asn = t->asn > 0 && t->asn <= UINT32_MAX ? (uint32_t)t->asn : 0;
		if (strlen(cc) == 2 && cc[0] >= 'A' && cc[0] <= 'Z' &&
		    cc[1] >= 'A' && cc[1] <= 'Z')
			memcpy(p.cc, cc, 3);
		if (p.asn == 0 && p.cc[0] == '\0')
			continue;
		for (k = 0; k < n; k++)
			if (out[k].asn == p.asn && strcmp(out[k].cc, p.cc) == 0)
				break;
		if (k < n) {
			out[k].share_pm += share_of(t);
			continue;
		}
		if (n == max)
			continue;
		text_sanitize(p.addr, sizeof(p.addr), addr, strlen(addr));
		p.share_pm = share_of(t);
		out[n++] = p;
	}
	if (n < max && ev->target != NULL) {
		struct incident_party p;

		memset(&p, 0, sizeof(p));
		p.role = 1;
		text_sanitize(p.addr, sizeof(p.addr), ev->target,
		    strlen(ev->target));
		out[n++] = p;
	}
	if (n > 1)
		qsort(out, n, sizeof(*out), party_cmp);
	return n;
}

/* ---- descriptions ------------------------------------------------------- */

/* The label in the timeline's language: ja, else en. */
static const char *
desc_label(const char *lang, const char *en, const char *ja)
{
	return lang != NULL && strcmp(lang, "ja") == 0 ? ja : en;
}

/* s, or "" for an absent member. */
static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

static char *
describe_evidence(const struct ev_evidence *ev, const char *lang)
{
	char pps[32], bps[32];

	fmt_si_unit(pps, sizeof(pps), ev->peak_pps, "pps",
	    FMT_SI_TRUNC1 | FMT_SI_SPACE);
	fmt_si_unit(bps, sizeof(bps), ev->peak_bps, "bit/s",
	    FMT_SI_TRUNC1 | FMT_SI_SPACE);
	return xasprintf("%s: %s %s %s, %s %s, %s, %s %s",
	    desc_label(lang, "evidence", "証拠"), str(ev->target),
	    str(ev->attack), str(ev->direction),
	    desc_label(lang, "peak", "最大"), pps, bps,
	    desc_label(lang, "spoofing", "送信元詐称"), str(ev->spoofing));
}

/* "lookup host: addr (AS64500 BR, abuse ...), ...; registrar R" */
static char *
describe_lookup(const struct ev_lookup *l, const char *lang)
{
	char h[768], a[256], line[2048];
	size_t i, o = 0;

	line[0] = '\0';
	for (i = 0; i < l->naddrs && o < sizeof(line); i++) {
		const struct ev_lookup_addr *x = &l->addrs[i];
		int k = snprintf(line + o, sizeof(line) - o, "%s%s (AS%lld %s%s%s)",
		    i ? ", " : "", defang(str(x->addr), a, sizeof(a)),
		    (long long)x->asn, x->cc, *x->abuse ? ", abuse " : "",
		    x->abuse);

		if (k < 0)
			break;
		o += (size_t)k;
	}
	return xasprintf("%s %s: %s%s%s%s%s", desc_label(lang, "lookup",
	    "調査"), defang(l->host, h, sizeof(h)), l->naddrs > 0 ? line :
	    l->status, *l->error ? " -- " : "", l->error,
	    *l->registrar ? desc_label(lang, "; registrar ",
	    "；レジストラ ") : "", l->registrar);
}

char *
incident_event_describe(const struct incident_event *e, const char *lang,
    char *buf, size_t len)
{
	const struct ev *ev = &e->ev;
	char *raw;

	switch (ev->type) {
	case EV_CREATED:
		raw = xasprintf("%s: %s \"%s\" (%s, %s)",
		    desc_label(lang, "created", "作成"), ev->u.created.kind,
		    ev->u.created.title, ev->u.created.source,
		    str(ev->u.created.tlp));
		break;
	case EV_EVIDENCE:
		raw = describe_evidence(&ev->u.evidence, lang);
		break;
	case EV_NOTE:
		raw = xasprintf("%s: %s", desc_label(lang, "note", "メモ"),
		    ev->u.note.text);
		break;
	case EV_ACTION: {
		const struct ev_action *a = &ev->u.action;

		raw = xasprintf("%s %s %s%s%s%s",
		    desc_label(lang, "action", "措置"), a->action,
		    a->state_name, a->under_override ? desc_label(lang,
		    " UNDER OVERRIDE", " (オーバーライドによる)") : "",
		    *a->detail ? ": " : "", a->detail);
		break;
	}
	case EV_ANSWER:
		raw = xasprintf("%s %s/%s = %s -- %s",
		    desc_label(lang, "answer", "回答"), ev->u.answer.action,
		    ev->u.answer.question, str(ev->u.answer.answer),
		    ev->u.answer.reason);
		break;
	case EV_OVERRIDE:
		raw = xasprintf("%s %s: %s",
		    desc_label(lang, "OVERRIDE", "オーバーライド"),
		    ev->u.override.action, ev->u.override.reason);
		break;
	case EV_CONTACT: {
		const struct ev_contact *c = &ev->u.contact;

		raw = xasprintf("%s %s (%s) %s%s%s%s%s%s",
		    desc_label(lang, "contact", "連絡"), c->what_name,
		    c->channel, c->whom, *c->contact ? " [" : "", c->contact,
		    *c->contact ? "]" : "", *c->text ? ": " : "", c->text);
		break;
	}
	case EV_DRAFT:
		raw = xasprintf("%s: %s (%s, %s)",
		    desc_label(lang, "draft saved", "下書き保存"),
		    ev->u.draft.path, ev->u.draft.template_id,
		    ev->u.draft.lang);
		break;
	case EV_STATUS:
		raw = xasprintf("%s: %s%s%s", desc_label(lang, "status", "状態"),
		    ev->u.status.status, *ev->u.status.reason ? " -- " : "",
		    ev->u.status.reason);
		break;
	case EV_EXPORT: {
		const struct ev_export *x = &ev->u.export;

		if (x->refused)
			raw = xasprintf("%s %s%s%s%s: %s",
			    desc_label(lang, "export refused", "提供拒否"),
			    x->format, *x->contact ? " [" : "", x->contact,
			    *x->contact ? "]" : "", x->reason);
		else
			raw = xasprintf("%s %s%s%s%s: %s sha256:%s",
			    desc_label(lang, "exported", "提供"), x->format,
			    *x->contact ? " [" : "", x->contact,
			    *x->contact ? "]" : "", x->path, x->sha256);
		break;
	}
	case EV_SITE: {
		char u[1024], h[768];

		raw = xasprintf("%s: %s (%s %s, %s %s%s%s)",
		    desc_label(lang, "phishing site", "フィッシングサイト"),
		    defang(ev->u.site.url, u, sizeof(u)),
		    desc_label(lang, "host", "ホスト"),
		    defang(ev->u.site.host, h, sizeof(h)),
		    desc_label(lang, "first seen", "初認"),
		    str(ev->u.site.first_seen), *ev->u.site.brand ?
		    desc_label(lang, ", brand ", "、標的 ") : "",
		    ev->u.site.brand);
		break;
	}
	case EV_LOOKUP:
		raw = describe_lookup(&ev->u.lookup, lang);
		break;
	case EV_TAKEDOWN:
		raw = xasprintf("%s (%s)%s%s",
		    desc_label(lang, "TAKEDOWN", "テイクダウン"),
		    ev->u.takedown.how, *ev->u.takedown.detail ? ": " : "",
		    ev->u.takedown.detail);
		break;
	default:	/* EV_TLP was never described: it shows as unknown */
		raw = xasprintf("%s (%s)", e->type, desc_label(lang,
		    "unknown event type", "不明なイベント種別"));
		break;
	}
	text_sanitize(buf, len, raw, strlen(raw));
	free(raw);
	return buf;
}
