/*
 * incidents_impl.h -- private to the Incidents screen: the state that
 * views/incidents.c (the model, the list and the struct view),
 * views/incident_keys.c (the operations and the keys of an open incident
 * and of a pending input) and views/incident_panes.c (the drawing of an
 * open incident's panes and of the pending input) share. No other file
 * includes it; the screen's only export is view_incidents (views/view.h).
 *
 * The state is the one object `st`, defined in incidents.c. Pointers into
 * the incident store are never kept across frames (a reload invalidates
 * them): the open incident is known by its id.
 */
#ifndef KYOCHO_INCIDENTS_IMPL_H
#define KYOCHO_INCIDENTS_IMPL_H

#include <limits.h>
#include <locale.h>
#include <string.h>

#include "case/checklist.h"
#include "case/incident.h"
#include "casework/casework.h"	/* the contact types, through the casework API */
#include "ui.h"
#include "base/util.h"

#define KEY_ESC		27
#define CTRL(c)		((c) & 0x1f)
#define MAXPICK		32
#define MAXSUGGEST	32
#define PROMPT_LEN	1024

enum mode { M_LIST = 0, M_DETAIL };
enum pane { P_TIMELINE = 0, P_CHECKLIST, P_ESCALATE, P_COUNT };
enum input { IN_NONE = 0, IN_PROMPT, IN_PICK, IN_CONFIRM };

/* What the open prompt, pick list or question completes. */
enum op {
	OP_NONE = 0,
	OP_NEW_KIND,		/* pick a kind */
	OP_NEW_TITLE,		/* then its title */
	OP_ANSWER,		/* the answer to a question */
	OP_ANSWER_REASON,	/* then the reason */
	OP_OVERRIDE,		/* reason to override the current action */
	OP_CLOSE,		/* reason to close */
	OP_LOG_WHAT,		/* attempt, reply, ack, resolution */
	OP_LOG_CHANNEL,		/* then the channel */
	OP_LOG_TEXT,		/* then what was said */
	OP_NOTE,
	OP_TEMPLATE,		/* which request to draft */
	OP_SEND,		/* y/n: sendmail -t */
	OP_PRINT,		/* y/n: lpr */
	OP_FIND,		/* text to find a contact by */
	OP_CHOOSE,		/* pick one of the contacts found */
	OP_DRAFT_NOTO,		/* y/n: draft without a recipient */
	OP_PHISH_URL,		/* a phishing site's URL or host */
	OP_PHISH_BRAND,		/* then the brand it imitates */
	OP_TAKEDOWN,		/* how the takedown was confirmed */
};

/* A counterpart in the escalation pane: a ranked suggestion
 * (casework_suggest) or the contact the operator chose with f. */
struct suggestion {
	size_t index;
	const struct contact *c;	/* NULL: an abuse address over DNS */
	const char *role;		/* "ingress-peer", ... or "chosen" */
	char reason[256];		/* one line, why this one */
	char to[256];			/* recipient, "" when none is known */
	uint32_t asn;			/* the network's AS, 0 if none */
	struct contact_status cs;
};

struct incidents_state {
	int opened;		/* open_store() ran */
	int data_opened;	/* open_data() ran */
	struct casework *cw;	/* the shell's */
	struct incident_store *s;	/* casework_store(), NULL if it failed */
	const struct incident_kinds *kinds;	/* NULL: none loaded */
	const struct checklist_set *cs;		/* NULL: none loaded */
	struct contacts *db;			/* NULL: none loaded */
	const struct options *opt;

	enum mode mode;
	enum pane pane;
	char id[INCIDENT_ID_LEN];	/* the incident shown in the detail */
	struct ui_list list, tl, ql, el;
	size_t act;			/* the action shown in the checklist */
	int rows, cols;

	enum input in;
	enum op op;
	char label[320];
	char buf[PROMPT_LEN];
	char pick[MAXPICK][160];
	char pickval[MAXPICK][64];
	int npick, picksel;
	/* carried from one step of an operation to the next */
	char qid[64], answer[PROMPT_LEN], kind[64], what[16], channel[64];

	/* the escalation pane's contacts, filled by incidents_suggest() */
	struct suggestion sug[MAXSUGGEST];
	size_t nsug;
	/* the contact chosen with f (its index in the database), first in
	 * the pane of incident chosen_for; -1 none */
	long chosen;
	char chosen_for[INCIDENT_ID_LEN];
	char tid[64];			/* the template of a pending draft */

	char draft[PATH_MAX];		/* the last draft saved here */
	/* the action that draft serves when its checklist was not complete
	 * (casework_draft_warning), else "": S asks with it */
	char draftact[64];
	char report[PATH_MAX];
	struct ui_msg msg;

	/* a new phishing site: carried from the URL to the brand prompt */
	char purl[1024], phost[256];
	/* the site lookup running on its own thread (site_job_start), for
	 * incident job_for; NULL none */
	struct site_job *job;
	char job_for[INCIDENT_ID_LEN];
};

/* The screen's state (views/incidents.c). UI thread only. */
extern struct incidents_state st;

/* Fill st.sug/st.nsug with the counterparts for inc, best first: the
 * contact chosen with f, then casework_suggest's ranking by the latest
 * evidence (ingress peers, our national CSIRT, reflector networks, our
 * customer, ... forums last). (incidents.c) */
void incidents_suggest(const struct incident *inc);

/* The open incident's header, pane bar and current pane, rows 0..rows-2. */
void incident_panes_draw_detail(WINDOW *w, int rows, int cols,
    struct incident *inc);
/* The pending prompt, pick list or y/n question over the bottom rows. */
void incident_panes_draw_input(WINDOW *w, int rows, int cols);

/* Start looking up the site of incident id (its host, host) on a thread
 * of its own, unless DNS is off or a lookup is running. (incident_keys.c) */
void incident_keys_lookup(const char *id, const char *host);
/* Journal the lookup's answer once it is in (casework_site_lookup) and
 * say so; called each frame. Returns 1 if it journaled or failed (the
 * screen should paint). (incident_keys.c) */
int incident_keys_poll(void);

/* A key while a prompt, pick list or question is open (st.in != IN_NONE). */
int incident_keys_input(int k, int is_char);
/* A key on the open incident inc: the keys of every pane, then the
 * current pane's own. */
int incident_keys_detail(int k, struct incident *inc);

/* The language of the screen's messages, "ja" or "en". */
static inline const char *
lang(void)
{
	const char *l = setlocale(LC_MESSAGES, NULL);

	return l != NULL && strncmp(l, "ja", 2) == 0 ? "ja" : "en";
}

/* s (NULL: "") made safe for the terminal into buf; returns buf. */
static inline const char *
clean(char *buf, size_t len, const char *s)
{
	if (s == NULL)
		s = "";
	text_sanitize(buf, len, s, strlen(s));
	return buf;
}

static inline const struct incident_kind *
cur_kind(const struct incident *inc)
{
	return inc != NULL && st.kinds != NULL ?
	    incident_kind_find(st.kinds, inc->kind) : NULL;
}

/* The checklist of the action shown (st.act, kept in range), and that
 * action's name in *action; NULL when the kind has none. */
static inline const struct checklist *
cur_checklist(const struct incident *inc, const char **action)
{
	const struct incident_kind *k = cur_kind(inc);

	*action = NULL;
	if (k == NULL || k->nactions == 0 || st.cs == NULL)
		return NULL;
	if (st.act >= k->nactions)
		st.act = 0;
	*action = k->actions[st.act];
	return checklist_find(st.cs, *action);
}

/* The open incident, NULL when none (or its journal is gone). */
static inline struct incident *
current(void)
{
	if (st.s == NULL || st.id[0] == '\0')
		return NULL;
	return incident_find(st.s, st.id);
}

/* Open a prompt, a pick list (filled with pick_add) or a y/n question
 * for op; input_done() closes it. */
static inline void
prompt(enum op op, const char *label, const char *initial)
{
	st.in = IN_PROMPT;
	st.op = op;
	snprintf(st.label, sizeof(st.label), "%s", label);
	snprintf(st.buf, sizeof(st.buf), "%s", initial != NULL ? initial : "");
	ui_text_input(1);
}

static inline void
pick_start(enum op op, const char *label)
{
	st.in = IN_PICK;
	st.op = op;
	snprintf(st.label, sizeof(st.label), "%s", label);
	st.npick = 0;
	st.picksel = 0;
}

static inline void
pick_add(const char *value, const char *shown)
{
	if (st.npick >= MAXPICK)
		return;
	snprintf(st.pickval[st.npick], sizeof(st.pickval[0]), "%s", value);
	clean(st.pick[st.npick], sizeof(st.pick[0]), shown);
	st.npick++;
}

static inline void
confirm(enum op op, const char *question)
{
	st.in = IN_CONFIRM;
	st.op = op;
	snprintf(st.label, sizeof(st.label), "%s", question);
}

static inline void
input_done(void)
{
	st.in = IN_NONE;
	ui_text_input(0);
}

static inline void
show_incident(const char *id)
{
	snprintf(st.id, sizeof(st.id), "%s", id);
	st.mode = M_DETAIL;
	st.pane = P_TIMELINE;
	st.act = 0;
	memset(&st.tl, 0, sizeof(st.tl));
	memset(&st.ql, 0, sizeof(st.ql));
	memset(&st.el, 0, sizeof(st.el));
	st.tl.sel = 1 << 20;	/* the newest event */
}

/* The questions that apply now, as indexes into ev->q. */
static inline size_t
visible_questions(const struct checklist_eval *ev, size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ev->nq && n < max; i++)
		if (ev->q[i].visible)
			idx[n++] = i;
	return n;
}

#endif
