/*
 * incident_keys.c -- the Incidents screen's operations and keys on an open
 * incident: the pending prompt, pick list or y/n question and what
 * completes it (finishers[]: one handler per OP_*), the keys of the
 * timeline, checklist and escalation panes, drafts, sending, the report.
 * Every change goes through src/casework/casework.h or src/case/incident.h
 * and says "done" only once the event is on disk. The state is `st`
 * (views/incidents_impl.h), owned by views/incidents.c, which calls
 * incident_keys_input() and incident_keys_detail() from its key().
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "casework/casework.h"
#include "casework/site_resolve.h"
#include "base/defang.h"
#include "case/checklist.h"
#include "settings/config.h"
#include "case/draft.h"
#include "i18n.h"
#include "case/incident.h"
#include "ui.h"
#include "base/util.h"
#include "view.h"
#include "incidents_impl.h"

/* The contacts whose id, org or team holds q (ASCII letters ignoring
 * case), whose AS is q ("AS64497", "64497") or whose country is q ("JP"):
 * into the pick list, at most MAXPICK. Returns how many. */
static int
find_contacts(const char *q)
{
	size_t i, j, n = st.db != NULL ? contacts_count(st.db) : 0;
	unsigned long asn = 0;
	char *end, shown[200];
	const char *d = q;

	if ((d[0] == 'A' || d[0] == 'a') && (d[1] == 'S' || d[1] == 's'))
		d += 2;
	if (*d >= '0' && *d <= '9')
		asn = strtoul(d, &end, 10);
	if (asn != 0 && *end != '\0')
		asn = 0;
	for (i = 0; i < n && st.npick < MAXPICK; i++) {
		const struct contact *c = contacts_get(st.db, i);
		int hit = 0;

		if (c == NULL || !c->valid)
			continue;
		for (j = 0; asn != 0 && j < c->nasns; j++)
			hit |= asn >= c->asns[j].lo && asn <= c->asns[j].hi;
		if (!hit && strlen(q) == 2 && strcasecmp(c->country, q) == 0)
			hit = 1;
		if (!hit && asn == 0 && (strcasestr(c->id, q) != NULL ||
		    strcasestr(c->org, q) != NULL ||
		    strcasestr(c->team, q) != NULL))
			hit = 1;
		if (!hit)
			continue;
		snprintf(shown, sizeof(shown), "%s  %s (%s%s%s)", c->id,
		    c->org, contacts_kind_name(c->kind), *c->country ? ", " :
		    "", c->country);
		snprintf(st.pickval[st.npick], sizeof(st.pickval[0]), "%zu", i);
		clean(st.pick[st.npick], sizeof(st.pick[0]), shown);
		st.npick++;
	}
	return st.npick;
}

/* ---- operations -------------------------------------------------------- */

/*
 * A path under the state directory as the operator knows it: with -Z the
 * store is reached as "." (views/shell.c); say where that is. Returns a
 * static buffer.
 */
static const char *
shown_path(const char *path)
{
	static char buf[PATH_MAX + 64];

	if (st.opt == NULL || st.opt->state_label == NULL ||
	    strncmp(path, "./", 2) != 0)
		return path;
	snprintf(buf, sizeof(buf), "%s/%s", st.opt->state_label, path + 2);
	return buf;
}

/*
 * Draft tid to the counterpart under the cursor: To: from its record
 * (casework_recipient) or the abuse address found over DNS. Without a
 * recipient the operator is asked first (force 0), not told afterwards.
 */
static void
do_draft(struct incident *inc, const char *tid, int force)
{
	const struct suggestion *g;
	struct draft_params dp;
	char errbuf[ERRBUF_SIZE], l[8], *path, q[sizeof(st.label)],
	    who[128];

	if (st.nsug == 0 || st.el.sel < 0 || (size_t)st.el.sel >= st.nsug) {
		ui_say(&st.msg, 1, "%s",
		    _("no contact to write to: the contacts database "
		    "has none for this incident (f finds any)"));
		return;
	}
	g = &st.sug[st.el.sel];
	if (g->to[0] == '\0' && !force) {
		snprintf(st.tid, sizeof(st.tid), "%s", tid);
		snprintf(q, sizeof(q), _("%s has no e-mail address: the "
		    "draft's To: stays blank. Write it anyway? (y/n)"),
		    clean(who, sizeof(who), g->c != NULL ? g->c->id : "?"));
		confirm(OP_DRAFT_NOTO, q);
		return;
	}
	/* the casework rule: a request for an action whose checklist is
	 * not complete says so (here and when S asks) */
	st.draftact[0] = '\0';
	if (g->c != NULL && casework_draft_warning(st.cw, inc, g->c->id,
	    errbuf, sizeof(errbuf)))
		snprintf(st.draftact, sizeof(st.draftact), "%s",
		    casework_request_action(st.cw, inc, g->c->id));
	if (g->c != NULL)
		path = casework_draft_to(st.cw, inc, g->c, tid,
		    (int64_t)time(NULL), l, sizeof(l), errbuf);
	else {
		/* An abuse desk known only over DNS: no record, English. */
		memset(&dp, 0, sizeof(dp));
		snprintf(l, sizeof(l), "en");
		dp.template_id = tid;
		dp.lang = l;
		dp.to = g->to;
		snprintf(who, sizeof(who), "AS%lu abuse", (unsigned long)g->asn);
		dp.whom = who;
		path = casework_draft(st.cw, inc, &dp, errbuf);
	}
	if (path == NULL) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	snprintf(st.draft, sizeof(st.draft), "%s", path);
	free(path);
	if (st.draftact[0] != '\0')
		ui_say(&st.msg, 1,
		    _("done: draft %s.%s saved and journaled; the checklist "
		    "of %s is not complete: complete it (k) or override "
		    "before sending"), tid, l, st.draftact);
	else
		ui_say(&st.msg, 0,
		    _("done: draft %s.%s saved and journaled: %s (E edits, "
		    "S sends)"), tid, l, shown_path(st.draft));
}

static void
do_edit(void)
{
	char errbuf[ERRBUF_SIZE];
	int rc;

	if (st.draft[0] == '\0') {
		ui_say(&st.msg, 1, "%s",
		    _("no draft yet: Enter on a contact drafts one"));
		return;
	}
	def_prog_mode();
	endwin();
	rc = draft_edit(st.draft, errbuf);
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (rc != 0)
		ui_say(&st.msg, 1, "%s",
		    rc < 0 ? errbuf : _("the editor failed"));
	else
		ui_say(&st.msg, 0, _("edited %s"), st.draft);
}

static void
do_send(void)
{
	char errbuf[ERRBUF_SIZE];

	def_prog_mode();
	endwin();
	if (draft_sendmail(st.draft, NULL, errbuf) != 0) {
		reset_prog_mode();
		clearok(curscr, TRUE);
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	reset_prog_mode();
	clearok(curscr, TRUE);
	ui_say(&st.msg, 0, _("done: %s handed to sendmail"), st.draft);
}

static void
do_report(struct incident *inc)
{
	char errbuf[ERRBUF_SIZE], *path;

	if ((path = casework_report_save(st.cw, inc, REPORT_TEXT, lang(),
	    errbuf)) == NULL) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	snprintf(st.report, sizeof(st.report), "%s", path);
	free(path);
	ui_say(&st.msg, 0, _("done: report written to %s"),
	    shown_path(st.report));
	if (getenv("PRINTER") != NULL && *getenv("PRINTER") != '\0') {
		char q[sizeof(st.label)];

		snprintf(q, sizeof(q), _("print it on %s with lpr? (y/n)"),
		    getenv("PRINTER"));
		confirm(OP_PRINT, q);
	}
}

void
incident_keys_lookup(const char *id, const char *host)
{
	char errbuf[ERRBUF_SIZE], h[512];

	if (st.opt == NULL || st.opt->no_dns) {
		ui_say(&st.msg, 0, _("%s: the site is not looked up (DNS is "
		    "off)"), id);
		return;
	}
	if (st.job != NULL) {
		ui_say(&st.msg, 1, "%s", _("a lookup is still running: L looks "
		    "the site up again once it is done"));
		return;
	}
	if ((st.job = site_job_start(st.opt, host, errbuf)) == NULL) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	snprintf(st.job_for, sizeof(st.job_for), "%s", id);
	ui_say(&st.msg, 0, _("%s: looking up %s (DNS, RDAP) ..."), id,
	    defang(host, h, sizeof(h)));
}

int
incident_keys_poll(void)
{
	static struct site_lookup l;	/* large; UI thread only */
	char errbuf[ERRBUF_SIZE], h[512], r[256];
	struct incident *inc;
	enum site_change ch;

	if (st.job == NULL || !site_job_done(st.job))
		return 0;
	if (site_job_finish(st.job, &l, errbuf) != 0) {
		st.job = NULL;
		ui_say(&st.msg, 1, "%s", errbuf);
		return 1;
	}
	st.job = NULL;
	if (st.s == NULL || (inc = incident_find(st.s, st.job_for)) == NULL) {
		ui_say(&st.msg, 1, "%s",
		    _("the incident is gone (its journal was removed)"));
		return 1;
	}
	if (casework_site_lookup(st.cw, inc, &l, &ch, errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return 1;
	}
	ui_say(&st.msg, strcmp(l.status, "ok") != 0 && ch != SITE_GONE,
	    _("done: %s %s: %s, %zu address(es)%s%s -- %s"), st.job_for,
	    defang(l.host, h, sizeof(h)), l.status, l.naddrs,
	    *l.registrar ? _(", registrar ") : "", clean(r, sizeof(r),
	    l.registrar),
	    ch == SITE_SAME ? _("unchanged") : ch == SITE_NEW ?
	    _("journaled") : _("journaled; takedown recorded (the host no "
	    "longer resolves)"));
	return 1;
}

/*
 * Completing a pending operation: one handler per OP_*, called by finish()
 * with the text or choice v and the open incident (NULL only for the
 * OP_NEW_* steps), the action shown in the checklist and its checklist.
 * A handler either opens the next step (prompt, pick list) or writes the
 * event and says "done" only once it is on disk.
 */
struct pending {
	struct incident *inc;
	const char *action;
	const struct checklist *cl;
};

static void
fin_new_kind(const char *v, const struct pending *p)
{
	(void)p;
	snprintf(st.kind, sizeof(st.kind), "%s", v);
	prompt(OP_NEW_TITLE, _("Title:"), "");
}

static void
fin_new_title(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];
	struct incident *inc;

	(void)p;
	if (*v == '\0') {
		ui_say(&st.msg, 1, "%s",
		    _("an incident needs a title; nothing was created"));
		return;
	}
	if (casework_create(st.cw, st.kind, v, "manual", NULL, &inc,
	    errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	show_incident(inc->id);
	ui_say(&st.msg, 0, _("done: incident %s created"), st.id);
}

static void
fin_phish_url(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];

	(void)p;
	if (site_parse(v, st.purl, sizeof(st.purl), st.phost,
	    sizeof(st.phost), errbuf) != 0) {
		ui_say(&st.msg, 1, _("%s; nothing was created"), errbuf);
		return;
	}
	prompt(OP_PHISH_BRAND, _("Brand it imitates (may be empty):"), "");
}

/* The same casework call as `kyocho incident new --kind phishing --url`,
 * then the site's first lookup on its own thread. */
static void
fin_phish_brand(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];
	struct incident *inc;

	(void)p;
	if (casework_create_phishing(st.cw, "phishing", st.purl[0] != '\0' ?
	    st.purl : st.phost, st.phost, v, NULL, NULL, 0, &inc,
	    errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	show_incident(inc->id);
	incident_keys_lookup(inc->id, st.phost);
}

static void
fin_takedown(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];

	if (casework_takedown(st.cw, p->inc, v, errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	ui_say(&st.msg, 0, _("done: takedown of %s recorded"), p->inc->id);
}

/*
 * Put the checklist's cursor on the first open question that applies
 * after the visible question number after (-1: from the top), else the
 * first open one; leave it when none is open. Called once an answer or
 * the playbook's proposals are on disk, so the next key answers the next
 * fact.
 */
static void
select_next_open(const struct incident *inc, const struct checklist *cl,
    int after)
{
	struct checklist_eval ev;
	size_t idx[CHECKLIST_MAXQ], n, i;
	int pass;

	if (inc == NULL || cl == NULL)
		return;
	checklist_evaluate(cl, inc, &ev);
	n = visible_questions(&ev, idx, NITEMS(idx));
	for (pass = 0; pass < 2; pass++)
		for (i = pass == 0 ? (size_t)(after + 1) : 0; i < n; i++)
			if (ev.q[idx[i]].answer == NULL) {
				st.ql.sel = (int)i;
				return;
			}
}

static void
fin_answer(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];

	if (p->cl == NULL)
		return;
	if (checklist_answer_check(p->cl, st.qid, v, errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	snprintf(st.answer, sizeof(st.answer), "%s", v);
	prompt(OP_ANSWER_REASON, _("Reason (required):"), "");
}

static void
fin_answer_reason(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];

	if (p->cl == NULL)
		return;
	if (*v == '\0') {
		ui_say(&st.msg, 1, "%s",
		    _("a reason is required; the answer was not recorded"));
		return;
	}
	if (incident_answer(st.s, p->inc, p->action, st.qid, st.answer, v,
	    errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	ui_say(&st.msg, 0, _("done: %s %s = %s (recorded)"), p->action,
	    st.qid, st.answer);
	st.ql.sel++;
	select_next_open(p->inc, p->cl, st.ql.sel - 1);
}

static void
fin_override(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];

	if (*v == '\0') {
		ui_say(&st.msg, 1, "%s", _("an override needs a reason"));
		return;
	}
	if (incident_override(st.s, p->inc, p->action, v, errbuf) != 0 ||
	    casework_act(st.cw, p->inc, p->action, ACT_TAKEN, "",
	    errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	ui_say(&st.msg, 0, _("done: %s taken by override (recorded)"),
	    p->action);
}

static void
fin_close(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];

	if (*v == '\0') {
		ui_say(&st.msg, 1, "%s", _("closing needs a reason"));
		return;
	}
	if (incident_set_status(st.s, p->inc, INC_CLOSED, v, errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	ui_say(&st.msg, 0, _("done: incident %s closed"), p->inc->id);
}

static void
fin_log_what(const char *v, const struct pending *p)
{
	(void)p;
	snprintf(st.what, sizeof(st.what), "%s", v);
	prompt(OP_LOG_CHANNEL, _("Channel:"), "email");
}

static void
fin_log_channel(const char *v, const struct pending *p)
{
	(void)p;
	if (*v == '\0') {
		ui_say(&st.msg, 1, "%s",
		    _("a channel is required (email, phone, web-form ...)"));
		return;
	}
	snprintf(st.channel, sizeof(st.channel), "%s", v);
	prompt(OP_LOG_TEXT, _("What was said (may be empty):"), "");
}

static void
fin_log_text(const char *v, const struct pending *p)
{
	const struct suggestion *g = st.el.sel >= 0 &&
	    (size_t)st.el.sel < st.nsug ? &st.sug[st.el.sel] : NULL;
	int w = incident_contact_parse(st.what);
	char errbuf[ERRBUF_SIZE];

	char whom[300];

	if (g == NULL || w < 0)
		return;
	if (g->c == NULL)
		snprintf(whom, sizeof(whom), "AS%lu abuse %s",
		    (unsigned long)g->asn, g->to);
	if (incident_contact(st.s, p->inc, (enum contact_what)w, st.channel,
	    g->c != NULL ? g->c->id : "", g->c == NULL ? whom :
	    g->c->team[0] != '\0' ? g->c->team : g->c->org, v,
	    errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	ui_say(&st.msg, 0, _("done: %s with %s logged"), st.what,
	    g->c != NULL ? g->c->id : whom);
}

static void
fin_note(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];

	if (*v == '\0')
		return;
	if (incident_note(st.s, p->inc, v, errbuf) != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return;
	}
	ui_say(&st.msg, 0, "%s", _("done: note recorded"));
}

static void
fin_template(const char *v, const struct pending *p)
{
	incidents_suggest(p->inc);
	do_draft(p->inc, v, 0);
}

static void
fin_draft_noto(const char *v, const struct pending *p)
{
	(void)v;
	incidents_suggest(p->inc);
	do_draft(p->inc, st.tid, 1);
}

static void
fin_find(const char *v, const struct pending *p)
{
	char q[sizeof(st.buf)];

	(void)p;
	if (*v == '\0')
		return;
	snprintf(q, sizeof(q), "%s", v);
	pick_start(OP_CHOOSE, _("Draft to which contact?"));
	if (find_contacts(q) == 0) {
		input_done();
		ui_say(&st.msg, 1, _("no contact matches '%s' (id, org, ASN "
		    "or country)"), clean(q, sizeof(q), v));
	}
}

static void
fin_choose(const char *v, const struct pending *p)
{
	st.chosen = strtol(v, NULL, 10);
	snprintf(st.chosen_for, sizeof(st.chosen_for), "%s", p->inc->id);
	st.el.sel = 0;
	st.el.top = 0;
	incidents_suggest(p->inc);
}

static void
fin_send(const char *v, const struct pending *p)
{
	(void)v;
	(void)p;
	do_send();
}

static void
fin_print(const char *v, const struct pending *p)
{
	char errbuf[ERRBUF_SIZE];

	(void)v;
	(void)p;
	if (report_print(st.report, getenv("PRINTER"), NULL, errbuf) != 0)
		ui_say(&st.msg, 1, "%s", errbuf);
	else
		ui_say(&st.msg, 0, _("done: %s sent to the printer"),
		    st.report);
}

static const struct {
	enum op op;
	void (*fn)(const char *v, const struct pending *p);
} finishers[] = {
	{ OP_NEW_KIND, fin_new_kind },
	{ OP_NEW_TITLE, fin_new_title },
	{ OP_ANSWER, fin_answer },
	{ OP_ANSWER_REASON, fin_answer_reason },
	{ OP_OVERRIDE, fin_override },
	{ OP_CLOSE, fin_close },
	{ OP_LOG_WHAT, fin_log_what },
	{ OP_LOG_CHANNEL, fin_log_channel },
	{ OP_LOG_TEXT, fin_log_text },
	{ OP_NOTE, fin_note },
	{ OP_TEMPLATE, fin_template },
	{ OP_DRAFT_NOTO, fin_draft_noto },
	{ OP_FIND, fin_find },
	{ OP_CHOOSE, fin_choose },
	{ OP_SEND, fin_send },
	{ OP_PRINT, fin_print },
	{ OP_PHISH_URL, fin_phish_url },
	{ OP_PHISH_BRAND, fin_phish_brand },
	{ OP_TAKEDOWN, fin_takedown },
};

/* Complete the pending operation with the text or choice v. */
static void
finish(const char *v)
{
	struct pending p;
	enum op op = st.op;
	size_t i;

	p.inc = current();
	p.cl = cur_checklist(p.inc, &p.action);
	input_done();
	st.op = OP_NONE;
	if (op != OP_NEW_KIND && op != OP_NEW_TITLE && op != OP_PHISH_URL &&
	    op != OP_PHISH_BRAND && p.inc == NULL) {
		ui_say(&st.msg, 1, "%s",
		    _("the incident is gone (its journal was removed)"));
		return;
	}
	for (i = 0; i < NITEMS(finishers); i++)
		if (finishers[i].op == op) {
			finishers[i].fn(v, &p);
			return;
		}
}

/* ---- keys -------------------------------------------------------------- */

int
incident_keys_input(int k, int is_char)
{
	char mb[MB_LEN_MAX + 1], cl[MB_LEN_MAX * 4];
	mbstate_t ms;
	size_t n;

	if (st.in == IN_CONFIRM) {
		int yes = is_char && (k == 'y' || k == 'Y');

		st.in = IN_NONE;
		if (yes)
			finish("y");
		else {
			st.op = OP_NONE;
			ui_say(&st.msg, 0, "%s", _("cancelled"));
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (k == KEY_ESC && is_char) {
		input_done();
		st.op = OP_NONE;
		ui_say(&st.msg, 0, "%s", _("cancelled; nothing was written"));
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (st.in == IN_PICK) {
		if (k == KEY_UP || (is_char && k == 'k'))
			st.picksel = st.picksel > 0 ? st.picksel - 1 : 0;
		else if (k == KEY_DOWN || (is_char && k == 'j'))
			st.picksel = st.picksel + 1 < st.npick ?
			    st.picksel + 1 : st.picksel;
		else if (k == KEY_ENTER || (is_char && (k == '\r' ||
		    k == '\n'))) {
			if (st.npick > 0) {
				char v[64];

				snprintf(v, sizeof(v), "%s",
				    st.pickval[st.picksel]);
				finish(v);
			} else
				input_done();
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	/* IN_PROMPT: UTF-8 line editing */
	if (k == KEY_ENTER || (is_char && (k == '\r' || k == '\n'))) {
		char v[PROMPT_LEN];

		memcpy(v, st.buf, sizeof(v));
		finish(v);
	} else if (k == KEY_BACKSPACE || (is_char && (k == 127 ||
	    k == CTRL('H'))))
		utf8_backspace(st.buf);
	else if (is_char && k == CTRL('U'))
		st.buf[0] = '\0';
	else if (is_char && k >= 0x20 && k != 0x7f) {
		memset(&ms, 0, sizeof(ms));
		n = wcrtomb(mb, (wchar_t)k, &ms);
		if (n != (size_t)-1) {
			text_sanitize(cl, sizeof(cl), mb, n);
			if (strlen(st.buf) + strlen(cl) < sizeof(st.buf))
				strcat(st.buf, cl);
		}
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int
checklist_key(int k, struct incident *inc)
{
	const struct incident_kind *kd = cur_kind(inc);
	const char *action = NULL;
	const struct checklist *cl = cur_checklist(inc, &action);
	struct checklist_eval ev;
	size_t idx[CHECKLIST_MAXQ], n, i;
	char errbuf[ERRBUF_SIZE], lbl[256], name[200];
	const struct checklist_question *q;

	if (cl == NULL)
		return VIEW_UNHANDLED;
	checklist_evaluate(cl, inc, &ev);
	n = visible_questions(&ev, idx, NITEMS(idx));
	switch (k) {
	case KEY_RIGHT:
	case ']':
		st.act = (st.act + 1) % kd->nactions;
		memset(&st.ql, 0, sizeof(st.ql));
		return VIEW_HANDLED | VIEW_REDRAW;
	case KEY_LEFT:
	case '[':
		st.act = (st.act + kd->nactions - 1) % kd->nactions;
		memset(&st.ql, 0, sizeof(st.ql));
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'T':
		if (casework_act(st.cw, inc, action, ACT_TAKEN, "",
		    errbuf) != 0)
			ui_say(&st.msg, 1, "%s", errbuf);
		else
			ui_say(&st.msg, 0, _("done: %s marked taken"), action);
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'a': {
		size_t done;

		if (casework_accept(st.cw, inc, action, &done, errbuf) != 0)
			ui_say(&st.msg, 1, "%s", errbuf);
		else if (done == 0)
			ui_say(&st.msg, 0, _("nothing to accept for %s: every "
			    "proposal is answered"), action);
		else
			ui_say(&st.msg, 0, _("done: %zu proposal(s) for %s "
			    "accepted (recorded as your answers)"), done,
			    action);
		select_next_open(inc, cl, -1);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	case 'o':
		snprintf(lbl, sizeof(lbl), _("Override for %s, reason:"),
		    action);
		prompt(OP_OVERRIDE, lbl, "");
		return VIEW_HANDLED | VIEW_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (n == 0 || st.ql.sel < 0 || (size_t)st.ql.sel >= n)
			return VIEW_HANDLED;
		q = ev.q[idx[st.ql.sel]].q;
		snprintf(st.qid, sizeof(st.qid), "%s", q->id);
		snprintf(lbl, sizeof(lbl), "%s", checklist_qtext(q, lang()));
		if (q->type == CLT_YESNO) {
			pick_start(OP_ANSWER, lbl);
			pick_add("yes", _("yes"));
			pick_add("no", _("no"));
		} else if (q->type == CLT_CHOICE) {
			pick_start(OP_ANSWER, lbl);
			for (i = 0; i < cl->ngrounds; i++) {
				const struct checklist_ground *g =
				    checklist_ground_find(st.cs, cl->grounds[i]);

				snprintf(name, sizeof(name), "%s%s%s",
				    g == NULL ? cl->grounds[i] :
				    strcmp(lang(), "ja") == 0 ? g->name_ja :
				    g->name_en, cl->unverified[i] ? " - " : "",
				    cl->unverified[i] ? (strcmp(lang(), "ja") ==
				    0 ? st.cs->unverified_ja :
				    st.cs->unverified_en) : "");
				pick_add(cl->grounds[i], name);
			}
		} else {
			char l2[sizeof(st.label)];

			/* the title: the question is in full above, and
			 * the typed answer must stay in sight at 80 columns */
			snprintf(l2, sizeof(l2), "%.250s:",
			    checklist_qtitle(q, lang()));
			prompt(OP_ANSWER, l2, "");
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return ui_list_key(&st.ql, k, (int)n, st.rows - 14);
}

/* 1 if action's checklist is complete or overridden in inc (or it has
 * none): a request for it may go without a warning. */
static int
action_ready(const struct incident *inc, const char *action)
{
	const struct checklist *cl;
	struct checklist_eval ev;

	if (incident_override_for(inc, action) != NULL || st.cs == NULL ||
	    (cl = checklist_find(st.cs, action)) == NULL)
		return 1;
	checklist_evaluate(cl, inc, &ev);
	return ev.status == CL_COMPLETE;
}

static int
escalate_key(int k, struct incident *inc)
{
	char q[sizeof(st.label)];

	incidents_suggest(inc);
	switch (k) {
	case '\r':
	case '\n':
	case KEY_ENTER: {
		const struct incident_kind *kd = cur_kind(inc);
		size_t i;

		if (kd == NULL || kd->ntemplates <= 1) {
			do_draft(inc, kd != NULL && kd->ntemplates == 1 ?
			    kd->templates[0] : "abuse-report", 0);
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		pick_start(OP_TEMPLATE, _("Which request?"));
		for (i = 0; i < kd->ntemplates; i++)
			pick_add(kd->templates[i], kd->templates[i]);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	case 'f':
		prompt(OP_FIND, _("Find a contact (id, org, ASN or "
		    "country):"), "");
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'E':
		do_edit();
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'S':
		if (st.draft[0] == '\0') {
			ui_say(&st.msg, 1, "%s",
			    _("no draft yet: Enter on a contact "
			    "drafts one"));
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		if (st.draftact[0] != '\0' && !action_ready(inc, st.draftact))
			/* the draft's path is on the pane's last line */
			snprintf(q, sizeof(q), _("the checklist of %s is not "
			    "complete: hand the draft to sendmail -t now? "
			    "(y/n)"), st.draftact);
		else
			snprintf(q, sizeof(q),
			    _("hand %s to sendmail -t now? (y/n)"), st.draft);
		confirm(OP_SEND, q);
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'l':
		if (st.nsug == 0)
			return VIEW_HANDLED;
		pick_start(OP_LOG_WHAT, _("Log with this contact:"));
		pick_add("attempt", _("attempt (we tried to reach them)"));
		pick_add("reply", _("reply (they answered)"));
		pick_add("ack", _("acknowledgement (they accepted the request)"));
		pick_add("resolution", _("resolution (they say it is done)"));
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return ui_list_key(&st.el, k, (int)st.nsug, st.rows - 9);
}

/* A key on an open incident: the keys of every pane, then the pane's own. */
int
incident_keys_detail(int k, struct incident *inc)
{
	switch (k) {
	case KEY_ESC:
	case KEY_BACKSPACE:
	case 127:
		st.mode = M_LIST;
		st.msg.text[0] = '\0';
		return VIEW_HANDLED | VIEW_REDRAW;
	case 't':
		st.pane = P_TIMELINE;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'k':
		if (st.pane == P_CHECKLIST)
			break;	/* k moves up in the checklist */
		st.pane = P_CHECKLIST;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 's':
		st.pane = P_ESCALATE;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'a':
		/* accept, from the timeline too: the checklist shows what
		 * was accepted and what is left */
		if (st.pane != P_TIMELINE)
			break;
		st.pane = P_CHECKLIST;
		memset(&st.ql, 0, sizeof(st.ql));
		return checklist_key(k, inc) | VIEW_HANDLED | VIEW_REDRAW;
	case 'c':
		if (inc->status == INC_CLOSED) {
			ui_say(&st.msg, 1, "%s", _("already closed"));
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		prompt(OP_CLOSE, _("Close: reason:"), "");
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'r':
		do_report(inc);
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'N':
		prompt(OP_NOTE, _("Note:"), "");
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'D':
	case 'L': {
		const struct incident_event *se = incident_site_event(inc);

		if (se == NULL) {
			ui_say(&st.msg, 1, "%s", _("not a phishing incident (no "
			    "site recorded)"));
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		if (k == 'L')
			incident_keys_lookup(inc->id, se->ev.u.site.host);
		else
			prompt(OP_TAKEDOWN, _("Takedown: how it was confirmed "
			    "(may be empty):"), "");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	}
	if (st.pane == P_CHECKLIST)
		return checklist_key(k, inc);
	if (st.pane == P_ESCALATE)
		return escalate_key(k, inc);
	return ui_list_key(&st.tl, k, (int)inc->nev, st.rows - 6);
}
