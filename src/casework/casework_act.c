/*
 * casework_act.c -- the action gate (an action is taken only with its
 * checklist complete or overridden), the answers an approved playbook
 * proposes and accepting them, the actions an incident offers, and the
 * sharing action a request to a contact implies (casework.h).
 */
#include "casework/casework_impl.h"

#include <string.h>

#include "base/util.h"

/* The gate: may action be marked taken in inc? 0, or -1 with errbuf. */
static int
may_take(struct casework *cw, const struct incident *inc, const char *action,
    char *errbuf)
{
	const struct checklist *cl;
	struct checklist_eval ev;
	char open[256];

	if (incident_override_for(inc, action) != NULL)
		return 0;
	(void)casework_load_checklists(cw, NULL);
	cl = cw->cs != NULL ? checklist_find(cw->cs, action) : NULL;
	if (cl == NULL)
		return err_set(errbuf, "%s: no checklist is loaded for this "
		    "action; it can be taken only with an override and a "
		    "reason", action);
	checklist_evaluate(cl, inc, &ev);
	if (ev.status != CL_COMPLETE) {
		checklist_open_list(&ev, open, sizeof(open));
		return err_set(errbuf, "%s: the checklist is %s (%s); answer "
		    "it, or record an override with a reason", action,
		    checklist_status_name(ev.status), open);
	}
	return 0;
}

int
casework_may_take(struct casework *cw, const struct incident *inc,
    const char *action, char *errbuf)
{
	return may_take(cw, inc, action, errbuf);
}

int
casework_act(struct casework *cw, struct incident *inc, const char *action,
    enum action_state state, const char *detail, char *errbuf)
{
	struct incident_store *s;

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (state == ACT_TAKEN && may_take(cw, inc, action, errbuf) != 0)
		return -1;
	return incident_action(s, inc, action, state, detail, errbuf);
}

/* "TCP SYN", "UDP/123", ...: the protocol the evidence's rates say. */
static void
evidence_proto(const struct incident_event *e, char *buf, size_t len)
{
	uint64_t syn = json_getu(e->j, "syn_pps", 0);
	uint64_t udp = json_getu(e->j, "udp_pps", 0);
	uint64_t icmp = json_getu(e->j, "icmp_pps", 0);
	long port = (long)json_getu(e->j, "top_port", 0);

	if (syn >= udp && syn >= icmp && syn > 0)
		snprintf(buf, len, port > 0 ? "TCP SYN to port %ld" : "TCP SYN",
		    port);
	else if (udp >= icmp && udp > 0)
		snprintf(buf, len, port > 0 ? "UDP port %ld" : "UDP", port);
	else if (icmp > 0)
		snprintf(buf, len, "ICMP");
	else
		snprintf(buf, len, "%s", json_gets(e->j, "attack", "traffic"));
}

/* The reason a playbook proposal records. */
static void
playbook_reason_text(const struct casework *cw, const struct playbook *pb,
    const struct playbook_answer *a, char *buf, size_t len)
{
	const struct checklist_set *cs = cw->cs;

	snprintf(buf, len, "%s / %s -- playbook %s (approved by %s on %s); "
	    "%s; %s; %s%s%s%s", a->reason_en, a->reason_ja, pb->name,
	    pb->approved_by, pb->approved_on, pb->case_en, pb->edition_en,
	    a->unverified ? "unverified row: " : "sourced row",
	    a->unverified ? (cs != NULL ? cs->unverified_en :
	    "confirm with your legal/compliance staff") : "",
	    !a->unverified && *pb->source != '\0' ? ": " : "",
	    !a->unverified ? pb->source : "");
}

static void
add_proposal(struct case_proposal *out, size_t *n, size_t max,
    const struct checklist_question *q, const char *answer,
    const char *reason, const char *source, int unverified)
{
	struct case_proposal *p;

	if (*n == max || *answer == '\0')
		return;
	p = &out[(*n)++];
	p->question = q->id;
	snprintf(p->answer, sizeof(p->answer), "%s", answer);
	snprintf(p->reason, sizeof(p->reason), "%s", reason);
	p->source = source;
	p->unverified = unverified;
}

size_t
casework_proposals(struct casework *cw, const struct incident *inc,
    const struct checklist *cl, struct case_proposal *out, size_t max)
{
	const struct playbook *pb = casework_playbook_for(cw, inc, cl->id);
	const struct incident_event *e = incident_last_evidence(inc);
	char ans[512], why[2048], proto[64];
	size_t i, n = 0;

	for (i = 0; i < cl->nq; i++) {
		const struct checklist_question *q = cl->q[i];
		const struct playbook_answer *a = playbook_answer_for(pb, q->id);

		if (a != NULL) {
			playbook_reason_text(cw, pb, a, why, sizeof(why));
			add_proposal(out, &n, max, q, a->answer, why, "playbook",
			    a->unverified);
		} else if (strcmp(q->id, "min-scope") == 0 && e != NULL) {
			evidence_proto(e, proto, sizeof(proto));
			snprintf(ans, sizeof(ans), "%s traffic %s %s%s%s (%s "
			    "alert)", proto, strcmp(json_gets(e->j, "direction",
			    ""), "outbound") == 0 ? "from" : "to",
			    json_gets(e->j, "target", "?"),
			    *json_gets(e->j, "link", "") ? " on " : "",
			    json_gets(e->j, "link", ""),
			    json_gets(e->j, "attack", "?"));
			snprintf(why, sizeof(why), "from the evidence: the "
			    "target and protocol of alert %lld",
			    (long long)json_geti(e->j, "alert_id", 0));
			add_proposal(out, &n, max, q, ans, why, "evidence", 0);
		} else if (strcmp(q->id, "min-duration") == 0 && pb != NULL &&
		    *pb->ttl != '\0') {
			snprintf(why, sizeof(why), "the action's TTL in playbook "
			    "%s", pb->name);
			add_proposal(out, &n, max, q, pb->ttl, why, "evidence", 0);
		} else if (strcmp(q->id, "min-data") == 0 && pb != NULL &&
		    *pb->retention != '\0') {
			snprintf(why, sizeof(why), "the journal's retention in "
			    "playbook %s", pb->name);
			add_proposal(out, &n, max, q, pb->retention, why,
			    "evidence", 0);
		}
	}
	return n;
}

int
casework_accept(struct casework *cw, struct incident *inc,
    const char *action, size_t *nout, char *errbuf)
{
	struct case_proposal props[CHECKLIST_MAXQ];
	const struct checklist *cl;
	const struct playbook *pb;
	struct incident_store *s;
	size_t n, i, k, done = 0;

	if (nout != NULL)
		*nout = 0;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (!casework_action_offered(cw, inc->kind, action))
		return err_set(errbuf, "%s: the incident's kind (%s) does not "
		    "offer this action", action, inc->kind);
	if (casework_load_checklists(cw, errbuf) != 0)
		return -1;
	if ((cl = checklist_find(cw->cs, action)) == NULL)
		return err_set(errbuf, "%s: no checklist for this action",
		    action);
	if (casework_load_playbooks(cw, errbuf) < 0)
		return -1;
	if ((pb = playbook_find(&cw->pb, inc->kind, action)) == NULL)
		return err_set(errbuf, "%s: no approved playbook for kind %s; "
		    "answer the checklist by hand", action, inc->kind);
	n = casework_proposals(cw, inc, cl, props, NITEMS(props));
	for (i = 0; i < n; i++) {
		int answered = 0;

		for (k = 0; k < inc->nev; k++) {
			const struct incident_event *e = &inc->ev[k];

			if (strcmp(e->type, "answer") == 0 &&
			    strcmp(json_gets(e->j, "action", ""), action) == 0 &&
			    strcmp(json_gets(e->j, "question", ""),
			    props[i].question) == 0)
				answered = 1;
		}
		if (answered)
			continue;
		if (incident_answer_proposed(s, inc, action, props[i].question,
		    props[i].answer, props[i].reason, props[i].source,
		    pb->name, errbuf) != 0)
			return -1;
		done++;
		if (nout != NULL)
			*nout = done;
	}
	return 0;
}

size_t
casework_actions(struct casework *cw, const struct incident *inc,
    struct case_action *out, size_t max)
{
	const struct incident_kind *k;
	size_t i, n = 0;

	if (casework_load_kinds(cw, NULL) != 0 ||
	    (k = incident_kind_find(&cw->kinds, inc->kind)) == NULL)
		return 0;
	(void)casework_load_checklists(cw, NULL);
	for (i = 0; i < k->nactions && n < max; i++) {
		struct case_action *a = &out[n++];
		const struct checklist *cl = checklist_find(cw->cs,
		    k->actions[i]);

		memset(a, 0, sizeof(*a));
		a->action = k->actions[i];
		a->state = incident_action_state(inc, a->action, NULL);
		a->playbook = casework_playbook_for(cw, inc, a->action);
		if (cl != NULL) {
			struct checklist_eval ev;

			checklist_evaluate(cl, inc, &ev);
			a->has_checklist = 1;
			a->status = ev.status;
			a->nopen = ev.nopen;
		}
	}
	return n;
}

const char *
casework_request_action(struct casework *cw, const struct incident *inc,
    const char *contact_id)
{
	const struct contact *c;
	struct contacts *db;
	const char *action = NULL;
	size_t i;

	if (contact_id == NULL || *contact_id == '\0')
		return NULL;
	if ((db = casework_contacts(cw)) == NULL &&
	    casework_load_contacts(cw, 0, NULL) == 0)
		db = casework_contacts(cw);
	if (db == NULL)
		return NULL;
	for (i = 0, c = NULL; i < contacts_count(db); i++)
		if (strcmp(contacts_get(db, i)->id, contact_id) == 0)
			c = contacts_get(db, i);
	if (c == NULL)
		return NULL;
	if (c->kind == CK_PEERING_ISP || c->kind == CK_TRANSIT_ISP)
		action = "share-peer";
	else if (c->kind == CK_CSIRT || c->kind == CK_NATIONAL_CSIRT ||
	    c->kind == CK_FIRST_TEAM)
		action = "share-csirt";
	if (action == NULL || !casework_action_offered(cw, inc->kind, action))
		return NULL;
	return action;
}

int
casework_draft_warning(struct casework *cw, const struct incident *inc,
    const char *contact_id, char *buf, size_t len)
{
	const char *action = casework_request_action(cw, inc, contact_id);
	const struct checklist *cl;
	struct checklist_eval ev;
	char open[512];

	if (len > 0)
		buf[0] = '\0';
	if (action == NULL || incident_override_for(inc, action) != NULL)
		return 0;
	(void)casework_load_checklists(cw, NULL);
	if (cw->cs == NULL || (cl = checklist_find(cw->cs, action)) == NULL)
		return 0;
	checklist_evaluate(cl, inc, &ev);
	if (ev.status == CL_COMPLETE)
		return 0;
	snprintf(buf, len, "this request shares the incident with the "
	    "contact (%s), whose guideline checklist is %s (%s): complete it, "
	    "or override with a reason, before sending", action,
	    ev.status == CL_FAILED ? "FAILED" : "incomplete",
	    checklist_open_list(&ev, open, sizeof(open)));
	return 1;
}

int
casework_request_logged(struct casework *cw, struct incident *inc,
    const char *contact_id, char *errbuf)
{
	const char *action = casework_request_action(cw, inc, contact_id);
	struct incident_store *s;

	if (action == NULL ||
	    incident_action_state(inc, action, NULL) != ACT_NONE)
		return 0;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	return incident_action(s, inc, action, ACT_PROPOSED,
	    "request logged to contact", errbuf);
}

int
casework_contact(struct casework *cw, struct incident *inc,
    enum contact_what what, const char *channel, const char *contact_id,
    const char *whom, const char *text, char *errbuf)
{
	struct incident_store *s;

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (incident_contact(s, inc, what, channel, contact_id, whom, text,
	    errbuf) != 0)
		return -1;
	if (what != CONTACT_ATTEMPT)
		return 0;
	return casework_request_logged(cw, inc, contact_id, errbuf);
}
