/*
 * checklist.h -- the two-step test of the Japanese guideline on the
 * secrecy of communications, as a checklist per proposed action.
 *
 * Definitions live in data/checklists/ (format: man/kyocho-checklist.5):
 * common.txt holds the grounds (Penal Code Arts. 35, 36, 37), the questions
 * every action walks (which elements of communications it touches and how:
 * know / use / disclose; consent; the ground and each of its conditions;
 * minimisation; review) and the disclaimer; one file per action adds its
 * title, the guideline edition and case it follows, the grounds that may
 * apply (some marked unverified: "confirm with your legal/compliance
 * staff") and any questions of its own.
 *
 * Answers are journal events (incident_answer()); the latest answer to a
 * question counts. checklist_evaluate() reads them and says whether the
 * test is complete, incomplete (which questions are open) or failed (a
 * condition answered "no"). The checklist supports legal review; it does
 * not replace it.
 */
#ifndef KYOCHO_CHECKLIST_H
#define KYOCHO_CHECKLIST_H

#include <stddef.h>

#include "case/incident.h"

#define CHECKLIST_MAXQ		64
#define CHECKLIST_MAXGROUNDS	8

enum cl_section {
	CLS_ELEMENTS = 0,	/* step 1: what it touches, how */
	CLS_CONSENT,
	CLS_GROUND,		/* step 2: which ground */
	CLS_CONDITION,		/* step 2: each condition of the ground */
	CLS_MINIMISE,
	CLS_REVIEW,
	CLS_COUNT
};

enum cl_type {
	CLT_YESNO = 0,		/* "yes" or "no" */
	CLT_CHOICE,		/* one of the checklist's grounds */
	CLT_TEXT,		/* free text, not empty */
};

enum cl_when {
	CLW_ALWAYS = 0,
	CLW_INFRINGES,		/* some element question answered yes */
	CLW_NEEDS_GROUND,	/* infringes and consent answered no */
	CLW_GROUND,		/* the ground chosen is when_arg */
	CLW_CONSENT,		/* infringes and consent answered yes */
};

enum cl_status {
	CL_COMPLETE = 0,
	CL_INCOMPLETE,
	CL_FAILED,
};

struct checklist_question {
	char *id;
	enum cl_section section;
	enum cl_type type;
	enum cl_when when;
	char *when_arg;		/* ground id for CLW_GROUND */
	int expect;		/* 1: must be "yes", 0: must be "no", -1: any */
	char *text_en, *text_ja;
	char *help_en, *help_ja;	/* may be NULL */
	/* A short title for lists and status lines ("Scope", "同意"):
	 * title.en/title.ja, else the text up to its first ": " (ja "：")
	 * when that is short, else the id. Never NULL. */
	char *title_en, *title_ja;
	int carry;		/* carry = yes: the answer means the same for
				 * every action of an incident (a fact about
				 * the attack), so it carries across them */
	char *file;
	unsigned line;
};

struct checklist_ground {
	char *id;		/* "business", "self-defence", "emergency" */
	char *name_en, *name_ja;
	char *article;		/* "Penal Code Art. 35" */
};

struct checklist {
	char *id;		/* the action: "block" */
	char *title_en, *title_ja;
	char *edition_en, *edition_ja;	/* guideline edition followed */
	char *case_en, *case_ja;	/* the case of the guideline */
	char *hint_en, *hint_ja;	/* what the action touches; may be NULL */
	char *source;		/* "sourced: [S6] ..." or "unverified: ..."
				 * (the summary's row); may be NULL */
	char *grounds[CHECKLIST_MAXGROUNDS];	/* ids that may apply */
	int unverified[CHECKLIST_MAXGROUNDS];	/* 1: confirm with legal */
	size_t ngrounds;
	const struct checklist_question *q[CHECKLIST_MAXQ];
	size_t nq;
	struct checklist_question *own;	/* its own questions (in q too) */
	size_t nown;
	char *file;
};

struct checklist_set {
	struct checklist_ground *grounds;
	size_t ngrounds;
	struct checklist_question *common;
	size_t ncommon;
	struct checklist *v;
	size_t n;
	char *disclaimer_en, *disclaimer_ja;
	char *unverified_en, *unverified_ja;	/* "confirm with ..." */
	char *guideline_en, *guideline_ja;	/* the guideline's title */
};

/* One question's state in an evaluation. */
struct checklist_qstate {
	const struct checklist_question *q;
	int visible;		/* applies given the answers so far */
	const struct incident_event *answer;	/* latest, or NULL */
	int valid;		/* the answer is allowed for the question */
	int failed;		/* answered against expect */
	/* Where the answer came from: "playbook" or "evidence" (accepted
	 * proposals, casework_accept), "carried" (answered for the action
	 * named by from, see checklist_evaluate), "operator" (typed); NULL
	 * while open. Static strings, or inside the answer event. */
	const char *source;
	const char *from;
};

struct checklist_eval {
	enum cl_status status;
	int infringes;		/* -1 not yet known, 0, 1 */
	int consent;		/* -1 not answered, 0, 1 */
	const char *ground;	/* chosen ground id, or NULL */
	int ground_unverified;	/* chosen ground is marked unverified */
	struct checklist_qstate q[CHECKLIST_MAXQ];
	size_t nq;
	size_t nopen, nfailed;
};

/*
 * Load dir/common.txt and every other dir/ *.txt. Errors read
 * "FILE:LINE: what". Returns a new set (checklist_set_free) or NULL.
 */
struct checklist_set *checklist_set_load(const char *dir, char *errbuf);
void checklist_set_free(struct checklist_set *cs);
const struct checklist *checklist_find(const struct checklist_set *cs,
    const char *action);
const struct checklist_ground *checklist_ground_find(
    const struct checklist_set *cs, const char *id);
/* 1 if ground id is marked unverified for cl. */
int checklist_ground_unverified(const struct checklist *cl, const char *id);

/*
 * Evaluate cl for the answers in inc's journal. A question without an
 * answer of its own takes the latest answer given for another action
 * (source "carried", from that action) when the question carries (carry =
 * yes), no evidence was added to the incident after that answer (the same
 * evidence), and, for a condition of a ground, that action's chosen ground
 * is the same (the same ground and conditions).
 */
void checklist_evaluate(const struct checklist *cl, const struct incident *inc,
    struct checklist_eval *out);
/* "consent, min-scope" (open ones, then "failed: ...") into buf. */
char *checklist_open_list(const struct checklist_eval *ev, char *buf,
    size_t len);
/* The same with the questions' titles in lang ("Consent, Scope"), the
 * failed ones after failed ("failed: "); lang NULL gives the ids. */
char *checklist_open_titles(const struct checklist_eval *ev, const char *lang,
    const char *failed, char *buf, size_t len);
const char *checklist_status_name(enum cl_status st);
const char *checklist_section_name(enum cl_section s, const char *lang);

/*
 * Check an answer before journaling it: yes/no for yes-no questions, a
 * ground of cl for the ground, non-empty text otherwise. Returns 0 or -1
 * with errbuf saying what is allowed.
 */
int checklist_answer_check(const struct checklist *cl, const char *question,
    const char *answer, char *errbuf);
const struct checklist_question *checklist_question_find(
    const struct checklist *cl, const char *id);

/* Texts in lang ("ja" or anything else for English). */
const char *checklist_qtext(const struct checklist_question *q,
    const char *lang);
const char *checklist_qtitle(const struct checklist_question *q,
    const char *lang);
const char *checklist_title(const struct checklist *cl, const char *lang);

#endif
