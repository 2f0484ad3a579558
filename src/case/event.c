/*
 * event.c -- journal events read once into typed fields. See event.h; the
 * event schema is man/kyocho-journal.5. This is the only file of src/case
 * and src/casework that reads journal members by name.
 */
#include "case/event.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "time/tz.h"

static const char *const act_names[] = {
	[ACT_NONE] = "none", [ACT_PROPOSED] = "proposed",
	[ACT_TAKEN] = "taken", [ACT_LIFTED] = "lifted",
};

static const char *const contact_names[] = {
	[CONTACT_ATTEMPT] = "attempt", [CONTACT_REPLY] = "reply",
	[CONTACT_ACK] = "ack", [CONTACT_RESOLUTION] = "resolution",
};

static const struct {
	const char *name;
	enum ev_type type;
} ev_types[] = {
	{ "created", EV_CREATED }, { "evidence", EV_EVIDENCE },
	{ "note", EV_NOTE }, { "action", EV_ACTION },
	{ "override", EV_OVERRIDE }, { "answer", EV_ANSWER },
	{ "contact", EV_CONTACT }, { "draft", EV_DRAFT },
	{ "status", EV_STATUS }, { "tlp", EV_TLP },
	{ "export", EV_EXPORT },
	{ "site", EV_SITE }, { "lookup", EV_LOOKUP },
	{ "takedown", EV_TAKEDOWN },
};

const char *
incident_action_state_name(enum action_state st)
{
	return (unsigned)st < NITEMS(act_names) ? act_names[st] : "?";
}

int
incident_action_state_parse(const char *s)
{
	size_t i;

	for (i = 1; i < NITEMS(act_names); i++)
		if (strcmp(s, act_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
incident_contact_name(enum contact_what w)
{
	return (unsigned)w < NITEMS(contact_names) ? contact_names[w] : "?";
}

int
incident_contact_parse(const char *s)
{
	size_t i;

	for (i = 0; i < NITEMS(contact_names); i++)
		if (strcmp(s, contact_names[i]) == 0)
			return (int)i;
	return -1;
}

/* A string member or "" (S) / NULL (N); numbers as json.h reads them. */
#define S(k)	json_gets(j, k, "")
#define N(k)	json_gets(j, k, NULL)

static void
parse_evidence(const struct json *j, struct ev_evidence *o)
{
	const struct json *a;
	size_t i;

	o->target = N("target");
	o->attack = N("attack");
	o->direction = N("direction");
	o->spoofing = N("spoofing");
	o->link = N("link");
	o->start = N("start");
	o->last = N("last");
	o->end = N("end");
	o->alert_id = json_getu(j, "alert_id", 0);
	o->peak_pps = json_getu(j, "peak_pps", 0);
	o->peak_bps = json_getu(j, "peak_bps", 0);
	o->packets = json_getu(j, "packets", 0);
	o->bytes = json_getu(j, "bytes", 0);
	o->syn_pps = json_getu(j, "syn_pps", 0);
	o->udp_pps = json_getu(j, "udp_pps", 0);
	o->icmp_pps = json_getu(j, "icmp_pps", 0);
	o->frag_pps = json_getu(j, "frag_pps", 0);
	o->sources_est = json_geti(j, "sources_est", 0);
	o->top_port = json_geti(j, "top_port", 0);
	o->spoof_score_pm = json_geti(j, "spoof_score_pm", 0);
	/* json_len/json_at take an object's values too: so did the readers
	 * this replaces. */
	a = json_get(j, "spoof_evidence");
	if ((o->nspoof_evidence = json_len(a)) > 0) {
		o->spoof_evidence = xcalloc(o->nspoof_evidence,
		    sizeof(*o->spoof_evidence));
		for (i = 0; i < o->nspoof_evidence; i++)
			o->spoof_evidence[i] = json_str(json_at(a, i), NULL);
	}
	a = json_get(j, "top_sources");
	if ((o->ntop = json_len(a)) > 0) {
		o->top = xcalloc(o->ntop, sizeof(*o->top));
		for (i = 0; i < o->ntop; i++) {
			const struct json *t = json_at(a, i);
			struct ev_source *src = &o->top[i];

			src->addr = json_gets(t, "addr", NULL);
			src->cc = json_gets(t, "cc", NULL);
			src->as_name = json_gets(t, "as_name", NULL);
			src->packets = json_getu(t, "packets", 0);
			src->asn = json_geti(t, "asn", 0);
			src->share_pm = json_geti(t, "share_pm", 0);
		}
	}
}

static int64_t
time_or_zero(const char *s)
{
	int64_t us;

	return s != NULL && time_parse_rfc3339(s, &us) == 0 ? us : 0;
}

static void
parse_lookup(const struct json *j, struct ev_lookup *o)
{
	const struct json *a, *r;
	size_t i, n;

	o->host = S("host");
	o->status = S("status");
	o->error = S("error");
	o->at = N("at");
	o->at_us = time_or_zero(o->at);
	o->domain = S("domain");
	a = json_get(j, "addrs");
	if (a != NULL && a->type == JSON_ARRAY && (n = json_len(a)) > 0) {
		o->addrs = xcalloc(n, sizeof(*o->addrs));
		for (i = 0; i < n; i++) {
			const struct json *t = json_at(a, i);
			struct ev_lookup_addr *x = &o->addrs[o->naddrs];

			if (t == NULL || t->type != JSON_OBJECT)
				continue;
			x->addr = json_gets(t, "addr", NULL);
			x->asn = json_geti(t, "asn", 0);
			x->cc = json_gets(t, "cc", "");
			x->as_name = json_gets(t, "as_name", "");
			x->abuse = json_gets(t, "abuse", "");
			x->source = json_gets(t, "source", "");
			o->naddrs++;
		}
	}
	r = json_get(j, "registrar");
	if (r != NULL && r->type != JSON_OBJECT)
		r = NULL;
	o->registrar = json_gets(r, "name", "");
	o->registrar_id = json_gets(r, "id", "");
	o->registrar_abuse = json_gets(r, "abuse_email", "");
	o->registrar_phone = json_gets(r, "abuse_phone", "");
	o->registrar_source = json_gets(r, "source", "");
	o->registrar_at = json_gets(r, "at", "");
	a = json_get(j, "sources");
	if (a != NULL && a->type == JSON_ARRAY &&
	    (o->nsources = json_len(a)) > 0) {
		o->sources = xcalloc(o->nsources, sizeof(*o->sources));
		for (i = 0; i < o->nsources; i++)
			o->sources[i] = json_str(json_at(a, i), NULL);
	}
}

int
event_parse(const struct json *j, struct ev *out, char *errbuf)
{
	const char *type;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->type = EV_UNKNOWN;
	if (j == NULL || j->type != JSON_OBJECT)
		return err_set(errbuf, "an event must be a JSON object");
	type = S("type");
	for (i = 0; i < NITEMS(ev_types); i++)
		if (strcmp(type, ev_types[i].name) == 0)
			out->type = ev_types[i].type;
	switch (out->type) {
	case EV_CREATED:
		out->u.created.kind = S("kind");
		out->u.created.title = S("title");
		out->u.created.source = S("source");
		out->u.created.tlp = N("tlp");
		out->u.created.zone = S("zone");
		break;
	case EV_EVIDENCE:
		parse_evidence(j, &out->u.evidence);
		break;
	case EV_NOTE:
		out->u.note.text = S("text");
		break;
	case EV_ACTION:
		out->u.action.action = S("action");
		out->u.action.state_name = S("state");
		out->u.action.state = incident_action_state_parse(
		    out->u.action.state_name);
		out->u.action.detail = S("detail");
		out->u.action.under_override = json_getb(j, "under_override", 0);
		break;
	case EV_OVERRIDE:
		out->u.override.action = S("action");
		out->u.override.reason = S("reason");
		break;
	case EV_ANSWER:
		out->u.answer.action = S("action");
		out->u.answer.question = S("question");
		out->u.answer.answer = N("answer");
		out->u.answer.reason = S("reason");
		out->u.answer.source = S("source");
		out->u.answer.playbook = S("playbook");
		break;
	case EV_CONTACT:
		out->u.contact.what_name = S("what");
		out->u.contact.what = incident_contact_parse(
		    out->u.contact.what_name);
		out->u.contact.channel = S("channel");
		out->u.contact.contact = S("contact");
		out->u.contact.whom = S("whom");
		out->u.contact.text = S("text");
		break;
	case EV_DRAFT:
		out->u.draft.path = S("path");
		out->u.draft.template_id = S("template");
		out->u.draft.lang = S("lang");
		out->u.draft.contact = S("contact");
		break;
	case EV_STATUS:
		out->u.status.status = S("status");
		out->u.status.closed = strcmp(out->u.status.status,
		    "closed") == 0;
		out->u.status.reason = S("reason");
		break;
	case EV_TLP:
		out->u.tlp.tlp = N("tlp");
		break;
	case EV_EXPORT:
		out->u.export.format = S("format");
		out->u.export.contact = S("contact");
		out->u.export.recipient = S("recipient");
		out->u.export.outcome = S("outcome");
		out->u.export.refused = strcmp(out->u.export.outcome,
		    "refused") == 0;
		out->u.export.path = S("path");
		out->u.export.sha256 = S("sha256");
		out->u.export.tlp = S("tlp");
		out->u.export.reason = S("reason");
		break;
	case EV_SITE:
		out->u.site.url = S("url");
		out->u.site.host = S("host");
		out->u.site.brand = S("brand");
		out->u.site.first_seen = N("first_seen");
		out->u.site.first_seen_us = time_or_zero(
		    out->u.site.first_seen);
		break;
	case EV_LOOKUP:
		parse_lookup(j, &out->u.lookup);
		break;
	case EV_TAKEDOWN:
		out->u.takedown.how = S("how");
		out->u.takedown.detail = S("detail");
		break;
	case EV_UNKNOWN:
		break;
	}
	return 0;
}

void
event_parse_free(struct ev *ev)
{
	if (ev->type == EV_EVIDENCE) {
		free(ev->u.evidence.spoof_evidence);
		free(ev->u.evidence.top);
	}
	if (ev->type == EV_LOOKUP) {
		free(ev->u.lookup.addrs);
		free(ev->u.lookup.sources);
	}
	memset(ev, 0, sizeof(*ev));
	ev->type = EV_UNKNOWN;
}

void
event_load(struct incident_event *e, struct json *j, unsigned line)
{
	char errbuf[ERRBUF_SIZE];

	memset(e, 0, sizeof(*e));
	e->j = j;
	e->line = line;
	e->seq = json_getu(j, "seq", 0);
	e->type = S("type");
	e->operator = S("operator");
	if (time_parse_rfc3339(S("ts"), &e->ts_us) != 0)
		e->ts_us = 0;
	(void)event_parse(j, &e->ev, errbuf);	/* EV_UNKNOWN then */
}

void
event_free(struct incident_event *e)
{
	event_parse_free(&e->ev);
	json_free(e->j);
	e->j = NULL;
}

#undef S
#undef N
