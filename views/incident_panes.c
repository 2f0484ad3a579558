/*
 * incident_panes.c -- the drawing of one open incident on the Incidents
 * screen (views/incidents.c): its header, the pane bar and the three
 * panes (the timeline of journal events, the guideline checklist of the
 * action shown, the escalation contacts with their local time and
 * hours), and the pending prompt, pick list or y/n question. Only draws:
 * the state is the screen's (views/incidents_impl.h), changed here only
 * where drawing keeps cursors in range (ui_list_fit) or refreshes the
 * suggested contacts.
 */
#include <stdio.h>
#include <string.h>

#include "base/fmt.h"
#include "base/json.h"
#include "case/checklist.h"
#include "i18n.h"
#include "case/incident.h"
#include "time/tz.h"
#include "ui.h"
#include "base/util.h"
#include "incidents_impl.h"

/* "3m07s", or "-" when not known. */
static const char *
secs(char *buf, size_t len, int64_t s)
{
	if (s < 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	return ui_duration(buf, len, s * 1000000);
}

void
incident_panes_draw_input(WINDOW *w, int rows, int cols)
{
	int x, i, y, h;

	if (st.in == IN_PROMPT) {
		ui_putpad(w, rows - 1, 0, cols, UI_NORMAL, "");
		x = ui_put(w, rows - 1, 0, cols, UI_KEY, st.label);
		x += 1;
		x += ui_put(w, rows - 1, x, cols - x - 1, UI_NORMAL, st.buf);
		ui_put(w, rows - 1, x, 1, UI_SELECT, " ");
		return;
	}
	if (st.in == IN_CONFIRM) {
		ui_putpad(w, rows - 1, 0, cols, UI_WARN, st.label);
		return;
	}
	if (st.in != IN_PICK)
		return;
	h = st.npick + 2;
	if (h > rows - 1)
		h = rows - 1;
	y = rows - 1 - h;
	for (i = y - 1; i < rows; i++)
		if (i >= 0)
			ui_putpad(w, i, 0, cols, UI_NORMAL, "");
	ui_putpad(w, y++, 2, cols - 4, UI_TITLE, st.label);
	for (i = 0; i < st.npick && y < rows - 1; i++, y++) {
		char line[200];

		snprintf(line, sizeof(line), " %s", st.pick[i]);
		ui_putpad(w, y, 2, cols - 4, i == st.picksel ? UI_SELECT :
		    UI_NORMAL, line);
	}
	ui_putpad(w, rows - 1, 2, cols - 4, UI_DIM,
	    _("Up/Down choose, Enter accepts, Esc cancels"));
}

/* Words the journal keeps in English, for the screen. */
static const char *
word(const char *w)
{
	static const char *const words[][2] = {
		{ "attempt", N_("attempt") }, { "reply", N_("reply") },
		{ "ack", N_("acknowledgement") },
		{ "resolution", N_("resolution") },
		{ "email", N_("email") }, { "phone", N_("phone") },
		{ "web-form", N_("web form") },
		{ "alert", N_("from an alert") }, { "manual", N_("by hand") },
		{ "open", N_("open") }, { "closed", N_("closed") },
		{ "yes", N_("yes") }, { "no", N_("no") },
		{ "unknown", N_("unknown") },
	};
	size_t i;
	int as;

	for (i = 0; i < NITEMS(words); i++)
		if (strcmp(w, words[i][0]) == 0)
			return _(words[i][1]);
	if ((as = incident_action_state_parse(w)) > 0)
		return ui_action_state((enum action_state)as);
	return w;
}

/*
 * One journal event as the timeline shows it, in the screen's language:
 * kinds, attacks, directions, states and contact steps translated, what
 * people wrote (titles, notes, reasons) as written. The journal itself
 * stays in English; reports use incident_event_describe().
 */
static char *
event_text(const struct incident_event *e, char *buf, size_t len)
{
	const struct json *j = e->j;
	char raw[2048], tt[512], pps[32], bps[32];

#define G(k) json_gets(j, k, "")
	if (strcmp(e->type, "created") == 0)
		snprintf(raw, sizeof(raw), _("created: %s \"%s\" (%s, %s)"),
		    incident_kind_name(st.kinds, G("kind"), lang()),
		    ui_incident_title(tt, sizeof(tt), G("title")),
		    word(G("source")), G("tlp"));
	else if (strcmp(e->type, "evidence") == 0) {
		fmt_si_unit(pps, sizeof(pps), json_getu(j, "peak_pps", 0),
		    "pps", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		fmt_si_unit(bps, sizeof(bps), json_getu(j, "peak_bps", 0),
		    "bit/s", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		snprintf(raw, sizeof(raw), _("evidence: %s %s %s, peak %s, %s, "
		    "spoofing %s"), G("target"), ui_kind_name(G("attack")),
		    ui_direction_name(G("direction")), pps, bps,
		    ui_spoof_name(G("spoofing")));
	} else if (strcmp(e->type, "note") == 0)
		snprintf(raw, sizeof(raw), _("note: %s"), G("text"));
	else if (strcmp(e->type, "action") == 0)
		snprintf(raw, sizeof(raw), json_getb(j, "under_override", 0) ?
		    _("action %s %s UNDER OVERRIDE%s%s") :
		    _("action %s %s%s%s"), G("action"), word(G("state")),
		    *G("detail") ? ": " : "", G("detail"));
	else if (strcmp(e->type, "answer") == 0)
		snprintf(raw, sizeof(raw), _("answer %s/%s = %s -- %s"),
		    G("action"), G("question"), word(G("answer")), G("reason"));
	else if (strcmp(e->type, "override") == 0)
		snprintf(raw, sizeof(raw), _("OVERRIDE %s: %s"), G("action"),
		    G("reason"));
	else if (strcmp(e->type, "contact") == 0)
		snprintf(raw, sizeof(raw), _("contact %s (%s) %s%s%s%s%s%s"),
		    word(G("what")), word(G("channel")), G("whom"),
		    *G("contact") ? " [" : "", G("contact"),
		    *G("contact") ? "]" : "", *G("text") ? ": " : "",
		    G("text"));
	else if (strcmp(e->type, "draft") == 0)
		snprintf(raw, sizeof(raw), _("draft saved: %s (%s, %s)"),
		    G("path"), G("template"), G("lang"));
	else if (strcmp(e->type, "status") == 0)
		snprintf(raw, sizeof(raw), _("status: %s%s%s"), word(G("status")),
		    *G("reason") ? " -- " : "", G("reason"));
	else
		return incident_event_describe(e, lang(), buf, len);
#undef G
	text_sanitize(buf, len, raw, strlen(raw));
	return buf;
}

static void
draw_timeline(WINDOW *w, int y, int rows, int cols,
    const struct incident *inc)
{
	char buf[1024], t[32];
	int visible = rows - y, i, n = (int)inc->nev;

	ui_list_fit(&st.tl, n, visible);
	for (i = st.tl.top; i < n && y < rows; i++, y++) {
		const struct incident_event *e = &inc->ev[i];
		enum ui_role r = i == st.tl.sel ? UI_SELECT : UI_NORMAL;

		time_rfc3339(t, sizeof(t), e->ts_us, 0);
		t[19] = '\0';
		t[10] = ' ';
		ui_put(w, y, 1, 19, UI_DIM, t);
		event_text(e, buf, sizeof(buf));
		ui_putpad(w, y, 21, cols - 22, r, buf);
	}
}

/* Where an answer came from, for the screen: "playbook", "evidence",
 * "carried from ACTION", "operator". */
static const char *
answer_source(const struct checklist_qstate *q, char *buf, size_t len)
{
	if (q->source == NULL)
		return "";
	if (strcmp(q->source, "playbook") == 0)
		return _("playbook");
	if (strcmp(q->source, "evidence") == 0)
		return _("evidence");
	if (strcmp(q->source, "carried") == 0) {
		snprintf(buf, len, _("carried from %s"), q->from != NULL ?
		    q->from : "?");
		return buf;
	}
	return _("operator");
}

/*
 * The actions the incident's kind offers, in order (casework_actions),
 * each with its checklist's state: [v] complete, [x] failed, [N] N
 * questions open, [-] no checklist; the one shown selected.
 */
static void
draw_action_strip(WINDOW *w, int y, int cols, const struct incident *inc)
{
	struct case_action acts[32];
	size_t n = casework_actions(st.cw, inc, acts, NITEMS(acts)), i;
	char mark[16], name[80];
	int x = 1;

	for (i = 0; i < n && x < cols - 2; i++) {
		const struct case_action *a = &acts[i];
		enum ui_role r = !a->has_checklist ? UI_DIM :
		    a->status == CL_COMPLETE ? UI_OK :
		    a->status == CL_FAILED ? UI_CRIT : UI_WARN;

		if (!a->has_checklist)
			snprintf(mark, sizeof(mark), "[-]");
		else if (a->status == CL_COMPLETE)
			snprintf(mark, sizeof(mark), "[v]");
		else if (a->status == CL_FAILED)
			snprintf(mark, sizeof(mark), "[x]");
		else
			snprintf(mark, sizeof(mark), "[%zu]", a->nopen);
		x += ui_put(w, y, x, cols - 1 - x, i == st.act ? UI_SELECT : r,
		    mark) + 1;
		snprintf(name, sizeof(name), "%s%s", a->action,
		    a->state == ACT_TAKEN ? "*" : "");
		x += ui_put(w, y, x, cols - 1 - x, i == st.act ? UI_SELECT :
		    UI_NORMAL, clean(name, sizeof(name), name)) + 1;
	}
}

/*
 * The guideline checklist of the action shown: its title and state, the
 * kind's actions with their checklists' states, the test's status with
 * the open questions' titles, the playbook (or "by hand"), the questions
 * (answer and where it came from, or the proposal not yet accepted), and
 * the selected question in full with its answer or proposal.
 */
static void
draw_checklist(WINDOW *w, int y, int rows, int cols, struct incident *inc)
{
	const struct incident_kind *k = cur_kind(inc);
	const char *action = NULL;
	const struct checklist *cl = cur_checklist(inc, &action);
	const struct playbook *pb;
	struct checklist_eval ev;
	struct case_proposal props[CHECKLIST_MAXQ];
	const struct case_proposal *prop[CHECKLIST_MAXQ];
	size_t idx[CHECKLIST_MAXQ], n, i, j, np, nprop = 0;
	char buf[2048], ob[1024], ans[512], src[128], pbn[256];
	const struct incident_event *last;
	enum action_state as;
	int visible, tw, x, det, top;

	if (cl == NULL) {
		ui_empty(w, y + 2, cols, _("no checklist for this kind of "
		    "incident"));
		return;
	}
	checklist_evaluate(cl, inc, &ev);
	as = incident_action_state(inc, action, &last);
	/* The state at the right, always whole; the title gives way. */
	snprintf(ans, sizeof(ans), "  [%s%s]",
	    as == ACT_NONE ? _("not proposed") : ui_action_state(as),
	    incident_override_for(inc, action) != NULL ? _(", override") : "");
	tw = ui_width(ans);
	snprintf(buf, sizeof(buf), "%s %zu/%zu: %s", _("Action"),
	    st.act + 1, k->nactions, checklist_title(cl, lang()));
	if (ui_width(buf) > cols - 2 - tw)
		ui_fit(buf, sizeof(buf), cols - 2 - tw);
	x = ui_put(w, y, 1, cols - 2 - tw, UI_TITLE, buf);
	ui_put(w, y++, 1 + x, cols - 2 - x, UI_TITLE, ans);
	draw_action_strip(w, y++, cols, inc);
	snprintf(buf, sizeof(buf), "%s: %s", _("Test"),
	    ev.status == CL_COMPLETE ? _("complete") :
	    ev.status == CL_FAILED ? _("FAILED") : _("incomplete"));
	if (ev.status != CL_COMPLETE)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    " (%s)", checklist_open_titles(&ev, lang(), _("failed: "),
		    ob, sizeof(ob)));
	ui_put(w, y++, 1, cols - 2, ev.status == CL_COMPLETE ? UI_OK :
	    ev.status == CL_FAILED ? UI_CRIT : UI_WARN, buf);

	/* the proposals, per visible question; the playbook behind them */
	np = casework_proposals(st.cw, inc, cl, props, NITEMS(props));
	pb = casework_playbook_for(st.cw, inc, action);
	n = visible_questions(&ev, idx, NITEMS(idx));
	for (i = 0; i < n; i++) {
		const struct checklist_qstate *q = &ev.q[idx[i]];

		prop[i] = NULL;
		for (j = 0; j < np; j++)
			if (strcmp(props[j].question, q->q->id) == 0)
				prop[i] = &props[j];
		if (prop[i] != NULL && q->answer == NULL)
			nprop++;
	}
	if (pb != NULL && nprop > 0)
		snprintf(buf, sizeof(buf), _("Playbook %s (approved by %s on "
		    "%s): a accepts its %zu proposal(s)"), clean(pbn,
		    sizeof(pbn), pb->name), pb->approved_by, pb->approved_on,
		    nprop);
	else if (pb != NULL)
		snprintf(buf, sizeof(buf), _("Playbook %s (approved by %s on "
		    "%s): nothing left to accept"), clean(pbn, sizeof(pbn),
		    pb->name), pb->approved_by, pb->approved_on);
	else
		snprintf(buf, sizeof(buf), "%s", _("No approved playbook for "
		    "this action: answer by hand"));
	ui_put(w, y++, 1, cols - 2, pb != NULL && nprop > 0 ? UI_KEY : UI_DIM,
	    clean(ob, sizeof(ob), buf));

	/* The selected question in full above the disclaimer: as many rows
	 * as its text takes, and one for its answer or proposal, leaving
	 * the list at least 3 rows. */
	visible = rows - 1 - y;
	ui_list_fit(&st.ql, (int)n, visible > 4 ? visible - 4 : 1);
	det = 0;
	if (n > 0 && st.ql.sel >= 0 && (size_t)st.ql.sel < n) {
		const struct checklist_qstate *q = &ev.q[idx[st.ql.sel]];
		const struct case_proposal *pr = prop[st.ql.sel];
		int need = ui_wrap(NULL, 0, 0, cols - 4, 32, UI_TITLE,
		    checklist_qtext(q->q, lang())) + 1;

		det = need < visible - 3 ? need : visible - 3;
		if (det >= 2) {
			top = rows - 1 - det;
			ui_wrap(w, top, 3, cols - 4, det - 1, UI_TITLE,
			    checklist_qtext(q->q, lang()));
			if (q->answer != NULL) {
				clean(ans, sizeof(ans), json_gets(q->answer->j,
				    "answer", ""));
				snprintf(buf, sizeof(buf), _("= %s (%s, %s): %s"),
				    word(ans), answer_source(q, src,
				    sizeof(src)), json_gets(q->answer->j,
				    "operator", "?"), json_gets(q->answer->j,
				    "reason", ""));
			} else if (pr != NULL)
				snprintf(buf, sizeof(buf), _("proposed (%s): %s "
				    "-- %s"), strcmp(pr->source, "playbook") ==
				    0 ? _("playbook") : _("evidence"),
				    word(pr->answer), pr->reason);
			else {
				const char *help = strcmp(lang(), "ja") == 0 ?
				    q->q->help_ja : q->q->help_en;

				snprintf(buf, sizeof(buf), "%s", help != NULL ?
				    help : "");
			}
			ui_put(w, rows - 2, 3, cols - 4, q->answer != NULL ?
			    UI_OK : pr != NULL ? UI_KEY : UI_DIM,
			    clean(ob, sizeof(ob), buf));
		} else
			det = 0;
	}
	ui_list_fit(&st.ql, (int)n, rows - 1 - det - y);
	for (i = (size_t)st.ql.top; i < n && y < rows - 1 - det; i++, y++) {
		const struct checklist_qstate *q = &ev.q[idx[i]];
		int sel = (int)i == st.ql.sel, sw;
		const char *mark = q->answer == NULL ? "[ ]" :
		    q->failed ? "[x]" : "[v]";

		ui_put(w, y, 1, 3, sel ? UI_SELECT : q->answer == NULL ?
		    UI_WARN : q->failed ? UI_CRIT : UI_OK, mark);
		/* where the answer came from, or "proposed", at the right */
		src[0] = '\0';
		if (q->answer != NULL) {
			clean(ans, sizeof(ans), json_gets(q->answer->j,
			    "answer", ""));
			snprintf(buf, sizeof(buf), "%s = %s",
			    checklist_qtitle(q->q, lang()), word(ans));
			snprintf(pbn, sizeof(pbn), "[%s]", answer_source(q,
			    src, sizeof(src)));
		} else if (prop[i] != NULL) {
			clean(ans, sizeof(ans), prop[i]->answer);
			snprintf(buf, sizeof(buf), "%s ? %s",
			    checklist_qtitle(q->q, lang()), word(ans));
			snprintf(pbn, sizeof(pbn), "[%s: %s]", _("proposed"),
			    strcmp(prop[i]->source, "playbook") == 0 ?
			    _("playbook") : _("evidence"));
		} else {
			snprintf(buf, sizeof(buf), "%s",
			    checklist_qtitle(q->q, lang()));
			pbn[0] = '\0';
		}
		sw = ui_width(pbn);
		if (sw > (cols - 6) / 2)
			sw = 0;
		ui_putpad(w, y, 5, cols - 6, sel ? UI_SELECT : q->answer ==
		    NULL && prop[i] != NULL ? UI_DIM : UI_NORMAL, "");
		ui_put(w, y, 5, cols - 7 - sw, sel ? UI_SELECT : q->answer ==
		    NULL && prop[i] != NULL ? UI_DIM : UI_NORMAL, buf);
		if (sw > 0)
			ui_putr(w, y, cols - 1 - sw, sw, sel ? UI_SELECT :
			    UI_DIM, pbn);
	}
	/* the disclaimer: the checklist supports legal review */
	if (st.cs != NULL)
		ui_put(w, rows - 1, 1, cols - 2, UI_DIM,
		    strcmp(lang(), "ja") == 0 && st.cs->disclaimer_ja ?
		    st.cs->disclaimer_ja : st.cs->disclaimer_en ?
		    st.cs->disclaimer_en : "");
}

/*
 * The counterparts, best first: contact (or the AS of an abuse address
 * found over DNS), role, their time, open or closed, languages and
 * organisation; under the list the selected one's reason and recipient.
 */
static void
draw_escalate(WINDOW *w, int y, int rows, int cols, struct incident *inc)
{
	char buf[512], id[64], org[128], langs[64], t[64], rs[300], to[300];
	size_t i, j;
	int visible = rows - y - 4;
	const struct suggestion *cur = NULL;

	incidents_suggest(inc);
	ui_putpad(w, y, 0, cols, UI_TITLE, "");
	ui_put(w, y, 1, 20, UI_TITLE, _("Contact"));
	ui_put(w, y, 22, 16, UI_TITLE, _("Role"));
	ui_put(w, y, 39, 14, UI_TITLE, _("Their time"));
	ui_put(w, y, 54, 7, UI_TITLE, _("Hours"));
	ui_put(w, y, 62, 9, UI_TITLE, _("Languages"));
	if (cols > 73)
		ui_put(w, y, 72, cols - 73, UI_TITLE, _("Organisation"));
	y++;
	if (st.nsug == 0) {
		ui_empty(w, y + 1, cols, st.db == NULL ?
		    _("no contacts database (see --contacts)") :
		    _("no counterpart for this incident's evidence "
		    "(f finds any contact)"));
		return;
	}
	ui_list_fit(&st.el, (int)st.nsug, visible - 1);
	for (i = (size_t)st.el.top; i < st.nsug && y < rows - 4; i++, y++) {
		const struct suggestion *g = &st.sug[i];
		int sel = (int)i == st.el.sel;
		enum ui_role r = sel ? UI_SELECT : UI_NORMAL;

		if (sel) {
			ui_putpad(w, y, 0, cols, UI_SELECT, "");
			cur = g;
		}
		if (g->c != NULL)
			clean(id, sizeof(id), g->c->id);
		else
			snprintf(id, sizeof(id), "AS%lu (DNS)",
			    (unsigned long)g->asn);
		ui_put(w, y, 1, 20, r, id);
		ui_put(w, y, 22, 16, r, g->role);
		if (g->cs.has_zone) {
			snprintf(buf, sizeof(buf), "%02d:%02d %s%s",
			    g->cs.local.hour, g->cs.local.min,
			    g->cs.local.info.abbr, g->cs.awake ? "" : " *");
			ui_put(w, y, 39, 14, sel ? r : g->cs.awake ?
			    UI_NORMAL : UI_DIM, clean(t, sizeof(t), buf));
		} else {
			ui_put(w, y, 39, 14, UI_DIM, "?");
		}
		ui_put(w, y, 54, 7, sel ? r : g->cs.open > 0 ? UI_OK :
		    g->cs.open == 0 ? UI_CRIT : UI_DIM, g->cs.open > 0 ?
		    _("open") : g->cs.open == 0 ? _("closed") : "?");
		langs[0] = '\0';
		for (j = 0; g->c != NULL && j < g->c->languages.n; j++)
			snprintf(langs + strlen(langs), sizeof(langs) -
			    strlen(langs), "%s%s", j ? "," : "",
			    g->c->languages.v[j]);
		ui_put(w, y, 62, 9, r, clean(t, sizeof(t), langs));
		if (cols > 73 && g->c != NULL) {
			snprintf(buf, sizeof(buf), "%s (%s)", g->c->org,
			    contacts_kind_name(g->c->kind));
			ui_put(w, y, 72, cols - 73, r, clean(org, sizeof(org),
			    buf));
		}
	}
	if (cur != NULL) {
		snprintf(buf, sizeof(buf), _("why: %s"), clean(rs, sizeof(rs),
		    cur->reason));
		ui_put(w, rows - 4, 1, cols - 2, UI_NORMAL, buf);
		if (cur->to[0] != '\0')
			snprintf(buf, sizeof(buf), _("to: %s"), clean(to,
			    sizeof(to), cur->to));
		else
			snprintf(buf, sizeof(buf), "%s", _("to: (no address "
			    "known: a draft's To: would stay blank)"));
		ui_put(w, rows - 3, 1, cols - 2, cur->to[0] != '\0' ?
		    UI_NORMAL : UI_WARN, buf);
	}
	ui_put(w, rows - 2, 1, cols - 2, UI_DIM, st.draft[0] != '\0' ?
	    st.draft : _("* night there (outside 07:00-22:00)  f: find any "
	    "contact"));
}

void
incident_panes_draw_detail(WINDOW *w, int rows, int cols,
    struct incident *inc)
{
	struct contact_stats cst;
	char buf[1024], a[24], b[24], kn[128], tt[256], tb[256];
	const char *tabs[P_COUNT] = { N_("t Timeline"), N_("k Checklist"),
	    N_("s Escalation") };
	int x, i, y = 0;

	snprintf(buf, sizeof(buf), "%s  %s  %s  %s", inc->id,
	    inc->status == INC_OPEN ? _("OPEN") : _("CLOSED"),
	    clean(kn, sizeof(kn), incident_kind_name(st.kinds, inc->kind,
	    lang())), clean(tt, sizeof(tt), inc->tlp));
	ui_put(w, y++, 1, cols - 2, inc->status == INC_OPEN ? UI_CRIT :
	    UI_TITLE, buf);
	ui_put(w, y++, 1, cols - 2, UI_NORMAL, ui_incident_title(tb,
	    sizeof(tb), clean(tt, sizeof(tt), inc->title)));
	incident_contact_stats(inc, NULL, &cst);
	snprintf(buf, sizeof(buf), _("contacts: %u attempts, %u replies; "
	    "time to first answer %s, to resolution %s"), cst.attempts,
	    cst.replies + cst.acks, secs(a, sizeof(a), cst.to_answer_s),
	    secs(b, sizeof(b), cst.to_resolution_s));
	ui_put(w, y++, 1, cols - 2, UI_NORMAL, buf);
	for (i = 0, x = 1; i < P_COUNT; i++) {
		snprintf(buf, sizeof(buf), " %s ", _(tabs[i]));
		x += ui_put(w, y, x, cols - x, i == (int)st.pane ? UI_SELECT :
		    UI_DIM, buf) + 1;
	}
	y += 2;
	switch (st.pane) {
	case P_TIMELINE:
		draw_timeline(w, y, rows - 1, cols, inc);
		break;
	case P_CHECKLIST:
		draw_checklist(w, y, rows - 1, cols, inc);
		break;
	default:
		draw_escalate(w, y, rows - 1, cols, inc);
		break;
	}
}
