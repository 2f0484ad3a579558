/*
 * playbook.h -- playbooks: the guideline's answers decided once, in
 * advance, by the ISP's legal/compliance staff, so that an operator under
 * attack confirms facts instead of re-arguing the law.
 *
 * One file per playbook, data/playbooks/NAME.txt (format:
 * man/kyocho-playbook.5, the block format of the checklists). A playbook
 * names the action (a checklist id) and the incident kinds it applies to,
 * the guideline case and edition it follows (and the source of the team's
 * reading of that case: a *sourced* row or an *unverified* one), the
 * answer it proposes to each question the case decides, with its reason in
 * ja and en, the questions only the operator can answer (facts), and who
 * approved it and when. An unapproved playbook proposes nothing.
 *
 * playbook_parse() reads hostile input (bounded: blockfile.h's limits,
 * PLAYBOOK_MAXANS proposals); every error names FILE:LINE.
 * playbook_approve_text() rewrites a playbook's approval lines and
 * playbook_approve_file() saves that atomically (temporary file, fsync,
 * rename), as contact edits are saved.
 */
#ifndef KYOCHO_PLAYBOOK_H
#define KYOCHO_PLAYBOOK_H

#include <stddef.h>

#include "case/checklist.h"
#include "case/incident.h"

#define PLAYBOOK_MAXANS		64
#define PLAYBOOK_MAXKINDS	32
#define PLAYBOOK_WHO_MAX	128	/* bytes of approved-by */

struct playbook_answer {
	char *question;
	char *answer;
	char *reason_en, *reason_ja;
	int unverified;		/* rests on an unverified row of the summary */
	unsigned line;
};

struct playbook {
	char *name;		/* the block's name (= the file's stem) */
	char *action;		/* checklist id */
	char *kinds[PLAYBOOK_MAXKINDS];
	size_t nkinds;
	char *case_en, *case_ja;
	char *edition_en, *edition_ja;
	char *source;		/* where the reading comes from ("[S6] ...") */
	int unverified;		/* row = unverified (the default) */
	int example;		/* shipped example: legal staff must approve */
	char *ttl;		/* how long the action stays (min-duration) */
	char *retention;	/* how long the journal is kept (min-data) */
	char *facts[PLAYBOOK_MAXANS];	/* questions only the operator answers */
	size_t nfacts;
	char *approved_by, *approved_on;	/* "" when not approved */
	struct playbook_answer ans[PLAYBOOK_MAXANS];
	size_t nans;
	char *file;
	unsigned line;
};

struct playbook_set {
	struct playbook **v;
	size_t n;
};

/*
 * Parse one playbook from p[0..len) read from path (named in errors).
 * Returns a new playbook (playbook_free) or NULL with errbuf
 * "FILE:LINE: what".
 */
struct playbook *playbook_parse(const char *path, const char *p, size_t len,
    char *errbuf);
void playbook_free(struct playbook *pb);

/*
 * Load every dir/ *.txt (sorted by name). A missing directory is an empty
 * set (returns 0). Returns 0, or -1 with errbuf naming the first bad
 * file; *out is then empty. Free with playbook_set_free.
 */
int playbook_set_load(struct playbook_set *out, const char *dir,
    char *errbuf);
void playbook_set_free(struct playbook_set *ps);

/*
 * Check pb against the checklists and kinds (either may be NULL: not
 * checked): its action has a checklist, every proposal names a question
 * of it with an answer it allows, facts name its questions and are not
 * also proposed, its kinds exist. Returns 0 or -1 with errbuf FILE:LINE.
 */
int playbook_check(const struct playbook *pb, const struct checklist_set *cs,
    const struct incident_kinds *kinds, char *errbuf);

/* 1 if approved-by is set and approved-on is a date YYYY-MM-DD. */
int playbook_approved(const struct playbook *pb);
/* 1 if pb applies to an incident of kind (its kinds list it). */
int playbook_applies(const struct playbook *pb, const char *kind);
/* The approved playbook for kind and action (the first by name), or NULL. */
const struct playbook *playbook_find(const struct playbook_set *ps,
    const char *kind, const char *action);
/* The playbook named name, or NULL. */
const struct playbook *playbook_by_name(const struct playbook_set *ps,
    const char *name);
/* The proposal for question, or NULL. */
const struct playbook_answer *playbook_answer_for(const struct playbook *pb,
    const char *question);
/* Reason text in lang ("ja", else English). */
const char *playbook_reason(const struct playbook_answer *a,
    const char *lang);

/*
 * The playbook text p[0..len) with its approved-by and approved-on lines
 * set to by and on (replaced where present, else added after the
 * playbook line); every other line is kept as it was. by: 1 to
 * PLAYBOOK_WHO_MAX bytes of UTF-8 without control characters; on: a date
 * YYYY-MM-DD. The result must parse. Returns a new string (caller frees)
 * with its length in *outlen, or NULL with errbuf.
 */
char *playbook_approve_text(const char *path, const char *p, size_t len,
    const char *by, const char *on, size_t *outlen, char *errbuf);
/* Approve the playbook file at path: read, rewrite, replace atomically
 * (same mode, fsync'd, renamed over it). Returns 0 or -1 with errbuf. */
int playbook_approve_file(const char *path, const char *by, const char *on,
    char *errbuf);

#endif
