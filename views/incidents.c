/*
 * incidents.c -- the Incidents screen: the incidents of the state
 * directory (journals, reloaded when another process writes), and for one
 * incident its timeline, the guideline checklist of each proposed action,
 * and escalation: the contacts that matter for its sources and target,
 * a draft request to one of them, the contact attempts and answers, the
 * response times, closing and the report.
 *
 * Every change goes through src/casework/casework.h (the rules: kind, TLP, gate,
 * recipient, report files) or src/case/incident.h and returns only after the
 * event is on disk; the message line says "done" only then. State (`st`,
 * views/incidents_impl.h): the shell's casework, the selected incident's
 * id (pointers into the store are never kept across frames: a reload
 * invalidates them), the pane, the cursor, and one pending operation with
 * its prompt, pick list or y/n question. This file keeps the model, the
 * list, the screen's keys tables and its struct view; views/incident_keys.c
 * the operations (finishers[]: one handler per pending OP_*) and the keys
 * of an open incident and of a pending input; views/incident_panes.c
 * draws an open incident's panes.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <limits.h>

#include "casework/casework.h"
#include "case/checklist.h"
#include "settings/config.h"
#include "base/fmt.h"
#include "i18n.h"
#include "case/incident.h"
#include "detect/snapshot.h"
#include "time/tz.h"
#include "ui.h"
#include "base/util.h"
#include "view.h"
#include "incidents_impl.h"

struct incidents_state st = { .chosen = -1 };	/* incidents_impl.h */

static const struct view_key list_keys[] = {
	{ VKEY_UPDOWN, "Up/Dn", N_("move"), N_("move the cursor (also j/k)") },
	{ '\r', "Enter", N_("open"), N_("open the incident under the cursor") },
	{ 'n', "n", N_("new"),
	  N_("create an incident by hand: pick its kind, then type a title") },
	{ 'u', "u", N_("phishing"),
	  N_("a phishing incident from the site's URL (defanged is fine) "
	     "and the brand it imitates; the site is looked up at once "
	     "(DNS, RDAP) and journaled") },
	{ 0, NULL, NULL, NULL }
};

/*
 * The keys of an open incident, most important first: the footer shows
 * as many as fit in this order (views/shell.c). The pane keys (t, k, s)
 * come last because the pane bar above the pane shows them too; N and r
 * work in every pane.
 */
static const struct view_key detail_keys[] = {
	{ KEY_ESC, "Esc", N_("back"), N_("back to the list of incidents") },
	{ 'N', "N", N_("note"), N_("add a note to the journal") },
	{ 'r', "r", N_("report"),
	  N_("write the incident's report to the state directory "
	     "(and print it with lpr if $PRINTER is set, after asking)") },
	{ 'c', "c", N_("close"), N_("close the incident (asks for a reason)") },
	{ 't', "t", N_("timeline"), N_("show the timeline and the evidence") },
	{ 'k', "k", N_("checklist"),
	  N_("show the guideline checklist of the proposed actions") },
	{ 's', "s", N_("escalate"),
	  N_("show the suggested contacts with their local time and hours") },
	{ 'a', "a", N_("accept"),
	  N_("accept the approved playbook's proposals for the action shown "
	     "in the checklist (the first the kind offers) and show the "
	     "checklist") },
	{ 'D', "D", N_("takedown"),
	  N_("a phishing incident: record the site's takedown (asks how it "
	     "was confirmed)") },
	{ 'L', "L", N_("lookup"),
	  N_("a phishing incident: look the site up again (a site that "
	     "moved is new evidence)") },
	{ 0, NULL, NULL, NULL }
};

static const struct view_key checklist_keys[] = {
	{ KEY_ESC, "Esc", N_("back"), N_("back to the list of incidents") },
	{ '\r', "Enter", N_("answer"),
	  N_("answer the question: the answer, then a written reason; "
	     "your name and the time are recorded") },
	{ 'a', "a", N_("accept"),
	  N_("accept the approved playbook's proposals for this action: each "
	     "is recorded as your answer with the playbook's reason; you can "
	     "still change any one with Enter") },
	{ 'T', "T", N_("taken"),
	  N_("mark the action taken (refused while its test is incomplete)") },
	{ 'r', "r", N_("report"), N_("write the incident's report") },
	{ 'N', "N", N_("note"), N_("add a note to the journal") },
	{ VKEY_UPDOWN, "Up/Dn", N_("question"), N_("move between questions") },
	{ KEY_RIGHT, "Left/Right", N_("action"),
	  N_("the previous or next proposed action") },
	{ 'o', "o", N_("override"),
	  N_("take the action although its test is incomplete, with a reason") },
	{ 'c', "c", N_("close"), N_("close the incident (asks for a reason)") },
	{ 't', "t", N_("timeline"), N_("show the timeline and the evidence") },
	{ 's', "s", N_("escalate"), N_("show the suggested contacts") },
	{ 0, NULL, NULL, NULL }
};

static const struct view_key escalate_keys[] = {
	{ KEY_ESC, "Esc", N_("back"), N_("back to the list of incidents") },
	{ '\r', "Enter", N_("draft"),
	  N_("draft the request to the contact under the cursor (asks "
	     "which when the kind has several), in its language when there "
	     "is a template (else English), with times "
	     "in UTC and in its zone; saved and journaled") },
	{ 'f', "f", N_("find"),
	  N_("find any contact in the database by id, org, ASN or country "
	     "and put it first") },
	{ 'l', "l", N_("log"),
	  N_("log an attempt, reply, acknowledgement or resolution with the "
	     "contact under the cursor") },
	{ 'r', "r", N_("report"), N_("write the incident's report") },
	{ 'N', "N", N_("note"), N_("add a note to the journal") },
	{ VKEY_UPDOWN, "Up/Dn", N_("contact"), N_("move between contacts") },
	{ 'E', "E", N_("edit"), N_("open the last draft in $VISUAL or $EDITOR") },
	{ 'S', "S", N_("send"),
	  N_("hand the last draft to sendmail -t (asks first)") },
	{ 't', "t", N_("timeline"), N_("show the timeline and the evidence") },
	{ 'k', "k", N_("checklist"), N_("show the guideline checklist") },
	{ 'c', "c", N_("close"), N_("close the incident (asks for a reason)") },
	{ 'D', "D", N_("takedown"),
	  N_("a phishing incident: record the site's takedown (asks how it "
	     "was confirmed)") },
	{ 'L', "L", N_("lookup"),
	  N_("a phishing incident: look the site up again") },
	{ 0, NULL, NULL, NULL }
};

static const struct view_key input_keys[] = {
	{ '\r', "Enter", N_("accept"), N_("accept") },
	{ KEY_ESC, "Esc", N_("cancel"), N_("cancel; nothing is written") },
	{ 0, NULL, NULL, NULL }
};

static const struct view_key confirm_keys[] = {
	{ 'y', "y", N_("yes"), N_("yes") },
	{ 'n', "n", N_("no"), N_("no (also Esc)") },
	{ 0, NULL, NULL, NULL }
};

static const struct view_key *
current_keys(void)
{
	if (st.in == IN_CONFIRM)
		return confirm_keys;
	if (st.in != IN_NONE)
		return input_keys;
	if (st.mode == M_LIST)
		return list_keys;
	if (st.pane == P_CHECKLIST)
		return checklist_keys;
	if (st.pane == P_ESCALATE)
		return escalate_keys;
	return detail_keys;
}

/* ---- the model --------------------------------------------------------- */

/*
 * The data files (kinds, checklists, contacts), once, through the shell's
 * casework. With -Z the shell calls this (.open) while kyocho is still
 * root and can read them where the operator keeps them; the journals are
 * read later, by open_store(), as the unprivileged user.
 */
static void
open_data(struct casework *cw, const struct options *opt)
{
	char errbuf[ERRBUF_SIZE];

	st.opt = opt;
	st.cw = cw;
	if (st.data_opened)
		return;
	st.data_opened = 1;
	if (casework_load_data(cw, errbuf) != 0)
		ui_say(&st.msg, 1, "%s", errbuf);
	/* read now, before -Z: a damaged playbook proposes nothing */
	else if (casework_load_playbooks(cw, errbuf) < 0)
		ui_say(&st.msg, 1, "%s", errbuf);
	st.kinds = casework_kinds(cw);
	st.cs = casework_checklists(cw);
	st.db = casework_contacts(cw);
}

static int
open_store(const struct view_ctx *c)
{
	char errbuf[ERRBUF_SIZE];

	st.opt = c->opt;
	st.cw = c->cw;
	if (st.opened)
		return st.s != NULL ? 0 : -1;
	st.opened = 1;
	if ((st.s = casework_store(st.cw, errbuf)) == NULL) {
		ui_say(&st.msg, 1, "%s", errbuf);
		return -1;
	}
	open_data(st.cw, st.opt);
	return 0;
}

static void
maybe_reload(void)
{
	char errbuf[ERRBUF_SIZE];

	if (st.s != NULL && casework_reload(st.cw, errbuf) != 0)
		ui_say(&st.msg, 1, "%s", errbuf);
	st.db = casework_contacts(st.cw);	/* the Contacts screen may
						 * have read it again */
}

/* The contacts for inc (incidents_impl.h). */
void
incidents_suggest(const struct incident *inc)
{
	struct esc_suggestion *r = NULL;
	size_t n, i;
	int64_t now = (int64_t)time(NULL);

	st.nsug = 0;
	if (st.cw == NULL || inc == NULL)
		return;
	if (st.chosen >= 0 && strcmp(st.chosen_for, inc->id) == 0 &&
	    st.db != NULL && (size_t)st.chosen < contacts_count(st.db)) {
		struct suggestion *g = &st.sug[st.nsug++];
		const struct contact *c = contacts_get(st.db,
		    (size_t)st.chosen);
		const char *to = casework_recipient(c);

		memset(g, 0, sizeof(*g));
		g->index = (size_t)st.chosen;
		g->c = c;
		g->role = "chosen";
		snprintf(g->reason, sizeof(g->reason), "%s",
		    _("chosen by the operator (f)"));
		snprintf(g->to, sizeof(g->to), "%s", to != NULL ? to : "");
		contact_status(c, now, &g->cs);
	}
	if (incident_site_event(inc) != NULL) {
		/* a phishing site: the takedown's counterparts (hosting
		 * desks, registrar, CSIRTs), as `incident counterparts` */
		const char *zone = st.opt != NULL && st.opt->our_zone != NULL ?
		    st.opt->our_zone : tz_name(tz_local_zone());
		char cc[3] = "", errbuf[ERRBUF_SIZE];

		if (zone == NULL || tz_zone_country(zone, cc, errbuf) < 0)
			cc[0] = '\0';
		n = casework_phish_rank(st.cw, inc, cc, now, &r);
	} else
		n = casework_suggest(st.cw, inc, now, &r);
	for (i = 0; i < n && st.nsug < MAXSUGGEST; i++) {
		struct suggestion *g = &st.sug[st.nsug];

		if (r[i].c != NULL && st.nsug > 0 && st.sug[0].c != NULL &&
		    strcmp(st.sug[0].role, "chosen") == 0 &&
		    st.sug[0].index == r[i].index)
			continue;
		memset(g, 0, sizeof(*g));
		g->index = r[i].index;
		g->c = r[i].c;
		g->role = escalate_role_name(r[i].role);
		memcpy(g->reason, r[i].reason, sizeof(g->reason));
		g->reason[sizeof(g->reason) - 1] = '\0';
		memcpy(g->to, r[i].to, sizeof(g->to));
		g->to[sizeof(g->to) - 1] = '\0';
		g->asn = r[i].asn;
		g->cs = r[i].st;
		st.nsug++;
	}
	escalate_free(r, n);
}

int
incidents_from_alert(const struct alert *a, const struct view_ctx *c)
{
	const struct snapshot *snap = c->snap;
	char errbuf[ERRBUF_SIZE], title[256], addr[ADDR_STRLEN], lname[64];
	struct incident_srcinfo src[ALERT_TOP_SOURCES];
	const char *link = NULL;
	struct incident *inc;
	unsigned i;

	if (open_store(c) != 0)
		return -1;
	maybe_reload();
	snprintf(title, sizeof(title), "%s %s %s", alert_kind_name(a->kind),
	    alert_direction_name(a->direction),
	    ui_addr(addr, sizeof(addr), &a->target));
	memset(src, 0, sizeof(src));
	for (i = 0; i < a->ntop && i < ALERT_TOP_SOURCES; i++) {
		src[i].asn = a->top[i].asn;
		memcpy(src[i].cc, a->top[i].country, 2);
	}
	if (snap != NULL && a->link < snap->nlinks) {
		clean(lname, sizeof(lname), snap->links[a->link].name);
		link = lname;
	}
	if (casework_create_from_alert(st.cw, a, title, src, link, &inc,
	    errbuf) != 0) {
		if (inc == NULL) {
			ui_say(&st.msg, 1, "%s", errbuf);
			return -1;
		}
		show_incident(inc->id);
		ui_say(&st.msg, 1,
		    _("incident %s created, but its evidence was not "
		    "written: %s"), st.id, errbuf);
		return -1;
	}
	show_incident(inc->id);
	ui_say(&st.msg, 0,
	    _("done: incident %s created with the alert's evidence"), st.id);
	return 0;
}

void
incidents_follow(const struct snapshot *snap)
{
	char errbuf[ERRBUF_SIZE];
	int n;

	if (st.cw == NULL || st.s == NULL)
		return;
	if ((n = casework_follow_snapshot(st.cw, snap, errbuf)) < 0)
		ui_say(&st.msg, 1, _("the alert's new evidence was not "
		    "written: %s"), errbuf);
	else if (n > 0)
		st.nsug = 0;	/* rank again with the new evidence */
}

/* ---- drawing ----------------------------------------------------------- */

static void
draw_list(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	size_t idx[4096], n = 0, i;
	char buf[512], t[32], tt[256], kn[128], tb[256];
	struct phish_clock pc;
	int y, visible = rows - 3;

	if (st.s != NULL && (n = incident_store_filter(st.s, c->filter, idx,
	    NITEMS(idx))) > NITEMS(idx))
		n = NITEMS(idx);
	ui_putpad(w, 0, 0, cols, UI_TITLE, "");
	ui_put(w, 0, 1, 16, UI_TITLE, _("Incident"));
	ui_put(w, 0, 18, 7, UI_TITLE, _("Status"));
	ui_put(w, 0, 26, 17, UI_TITLE, _("Last event (UTC)"));
	ui_put(w, 0, 44, cols - 45, UI_TITLE, _("Kind / title"));
	if (st.s != NULL && incident_store_diags(st.s)->n > 0) {
		snprintf(buf, sizeof(buf), _("%zu journal problem(s), first: "
		    "%s"), incident_store_diags(st.s)->n,
		    incident_store_diags(st.s)->v[0].msg);
		ui_put(w, rows - 2, 1, cols - 2, UI_WARN, buf);
	}
	if (n == 0) {
		ui_empty(w, rows / 2, cols, _("no incidents: e on an alert "
		    "or n here creates one"));
	} else {
		ui_list_fit(&st.list, (int)n, visible);
		for (i = (size_t)st.list.top, y = 1; i < n && y <= visible;
		    i++, y++) {
			const struct incident *inc = incident_store_at(st.s,
			    idx[i]);
			int sel = (int)i == st.list.sel;
			enum ui_role r = sel ? UI_SELECT : UI_NORMAL;

			if (sel)
				ui_putpad(w, y, 0, cols, UI_SELECT, "");
			ui_put(w, y, 1, 16, r, inc->id);
			ui_put(w, y, 18, 7, sel ? r : inc->status == INC_OPEN ?
			    UI_CRIT : UI_DIM, inc->status == INC_OPEN ?
			    _("open") : _("closed"));
			time_rfc3339(t, sizeof(t), inc->last_us, 0);
			t[16] = '\0';
			t[10] = ' ';
			ui_put(w, y, 26, 17, r, t);
			snprintf(buf, sizeof(buf), "%s: %s",
			    clean(kn, sizeof(kn), incident_kind_name(st.kinds,
			    inc->kind, lang())), ui_incident_title(tb,
			    sizeof(tb), clean(tt, sizeof(tt), inc->title)));
			if (inc->status == INC_OPEN && c->cw != NULL &&
			    casework_phish_clock(c->cw, inc, (int64_t)time(NULL) *
			    1000000, &pc) && pc.follow_up_now) {
				/* A takedown request waits on a recipient
				 * whose office has opened: say so first. */
				char fu[96], who[80];
				int fw;

				snprintf(fu, sizeof(fu), _("follow-up due: %s"),
				    clean(who, sizeof(who),
				    pc.follow_up_contact));
				fw = (int)utf8_width(fu, strlen(fu)) + 1;
				if (fw > cols - 45)
					fw = cols - 45;
				ui_put(w, y, 44, fw, sel ? r : UI_WARN, fu);
				ui_put(w, y, 44 + fw, cols - 45 - fw, r, buf);
			} else
				ui_put(w, y, 44, cols - 45, r, buf);
		}
	}
}

static void
draw(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	struct incident *inc;

	st.rows = rows;
	st.cols = cols;
	open_store(c);
	maybe_reload();
	(void)incident_keys_poll();
	if (st.s == NULL) {
		ui_put(w, 1, 1, cols - 2, UI_CRIT, st.msg.text);
		return;
	}
	if (st.mode == M_DETAIL && (inc = current()) != NULL)
		incident_panes_draw_detail(w, rows, cols, inc);
	else {
		st.mode = M_LIST;
		draw_list(w, rows, cols, c);
	}
	if (st.in != IN_NONE)
		incident_panes_draw_input(w, rows, cols);
	else if (st.msg.text[0] != '\0')
		ui_putpad(w, rows - 1, 0, cols, st.msg.err ? UI_CRIT : UI_OK,
		    st.msg.text);
}

static int
key(int k, const struct view_ctx *c)
{
	struct incident *inc;
	size_t i, n = 0;

	open_store(c);
	if (st.in != IN_NONE)
		return incident_keys_input(k, c->is_char);
	if (st.s == NULL)
		return VIEW_UNHANDLED;
	maybe_reload();
	if (st.mode == M_LIST) {
		n = incident_store_filter(st.s, c->filter, NULL, 0);
		switch (k) {
		case 'u':
			prompt(OP_PHISH_URL, _("Phishing site's URL or host "
			    "(hxxps://, [.] are fine):"), "");
			return VIEW_HANDLED | VIEW_REDRAW;
		case 'n':
			pick_start(OP_NEW_KIND, _("Kind of the new incident:"));
			for (i = 0; st.kinds != NULL && i < st.kinds->n; i++)
				pick_add(st.kinds->v[i].id, incident_kind_name(
				    st.kinds, st.kinds->v[i].id, lang()));
			if (st.npick == 0)
				input_done();
			return VIEW_HANDLED | VIEW_REDRAW;
		case '\r':
		case '\n':
		case KEY_ENTER:
		case KEY_RIGHT:
			if (n == 0)
				return VIEW_HANDLED;
			for (i = 0; i < incident_store_count(st.s); i++) {
				inc = incident_store_at(st.s, i);
				if (!incident_matches(inc, c->filter))
					continue;
				if (st.list.sel-- == 0) {
					show_incident(inc->id);
					break;
				}
			}
			st.list.sel = 0;
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		return ui_list_key(&st.list, k, (int)n, st.rows - 3);
	}
	if ((inc = current()) == NULL) {
		st.mode = M_LIST;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return incident_keys_detail(k, inc);
}

static void
resize(int rows, int cols)
{
	st.rows = rows;
	st.cols = cols;
}

static int
count(const struct view_ctx *c)
{
	size_t i;
	int n = 0;

	(void)c;
	/* each frame, on every screen: a site lookup's answer is journaled
	 * as soon as it is in */
	(void)incident_keys_poll();
	for (i = 0; st.s != NULL && i < incident_store_count(st.s); i++)
		if (incident_store_at(st.s, i)->status == INC_OPEN)
			n++;
	return st.s != NULL ? n : -1;
}

const struct view view_incidents = {
	.name = "incidents",
	.title = N_("Incidents"),
	.keys = list_keys,
	.current_keys = current_keys,
	.draw = draw,
	.key = key,
	.resize = resize,
	.count = count,
	.open = open_data,
};
