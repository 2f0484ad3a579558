/*
 * casework.h -- the casework layer: the incident state opened once, and
 * the rules of casework decided once, for the terminal and the CLI alike.
 *
 * One struct casework holds the incident store (incident.h), the incident
 * kinds (data/incident-kinds.txt), the checklists (data/checklists/,
 * checklist.h) and the contact database (contacts.h). Each is read the
 * first time it is asked for, then kept: the terminal reads the data files
 * before -Z gives up root (casework_load_data) and the journals after, as
 * the unprivileged user (casework_store); a CLI command reads only what
 * its verb needs.
 *
 * The rules live here and nowhere else: which incident kind an alert
 * opens, the TLP a new incident gets when none is given (its kind's, else
 * TLP:AMBER), the gate that refuses to mark an action taken while its
 * checklist is incomplete or failed and no override is journaled, who a
 * draft goes to (abuse-email before email) and in which template
 * language, and where a report is saved (STATE/reports/, private modes).
 * Screens and commands call these and never decide them themselves.
 *
 * Not thread-safe: one thread (the screen loop, or a command) uses it.
 */
#ifndef KYOCHO_CASEWORK_H
#define KYOCHO_CASEWORK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "detect/alert.h"
#include "case/checklist.h"
#include "settings/config.h"
#include "contacts/contacts.h"
#include "case/draft.h"
#include "case/escalate.h"
#include "case/incident.h"
#include "case/journal.h"
#include "case/playbook.h"
#include "mitigate/mitigate.h"
#include "report/report.h"
#include "export/export.h"

/* What a casework needs from the settings. */
struct case_settings {
	/* Borrowed, must outlive the casework: the data directory and
	 * contacts path, the state directory (resolved when the store is
	 * opened: with -Z it is "." by then), the operator, local-offset
	 * and local-zone for reports, and our details for drafts. */
	const struct options *opt;
	/* our-zone: written into the created event of every new incident
	 * (and the report's second time column); NULL or "" means what
	 * $TZ and /etc/localtime say when the incident is created. Borrowed. */
	const char *our_zone;
	int64_t fixed_now;	/* if non-zero, the time of every event (µs) */
};

/* A data file that is not there (casework_load_*): no error to stop on. */
#define CASE_MISSING	1

struct casework;

/*
 * A casework over these settings (copied; the strings they point to are
 * borrowed). Reads nothing yet. Never NULL; free with casework_free,
 * which frees the store, kinds, checklists and contacts it read.
 */
struct casework *casework_open(const struct case_settings *cfg);
void casework_free(struct casework *cw);

/*
 * The incident store, opened (and every journal replayed) on the first
 * call, with our-zone and fixed_now set. NULL with errbuf filled when the
 * state directory cannot be used; later calls give the same answer
 * without trying again. The store belongs to the casework.
 */
struct incident_store *casework_store(struct casework *cw, char *errbuf);
/* Re-read the journals if another process changed them (a screen's idle
 * tick). Returns 0, or -1 with errbuf. Pointers into the store taken
 * before are invalid after a reload. */
int casework_reload(struct casework *cw, char *errbuf);

/*
 * Read the incident kinds or the checklists, once (later calls return
 * the first answer). 0 on success; CASE_MISSING with errbuf when the file
 * is in no data directory (the casework goes on without it); -1 with
 * errbuf "FILE:LINE: ..." when it is there but unreadable or damaged.
 */
int casework_load_kinds(struct casework *cw, char *errbuf);
int casework_load_checklists(struct casework *cw, char *errbuf);
/*
 * (Re)read the contact database (the contacts setting, else contacts.txt
 * of the data directories; a relative path is made absolute first, for
 * -Z changes the working directory). create != 0 makes a missing file an
 * empty database that saves to its path. Returns 0, or -1 with errbuf
 * (the casework then has no database). Pointers into the previous
 * database are invalid after it.
 */
int casework_load_contacts(struct casework *cw, int create, char *errbuf);
/*
 * Kinds, checklists and (if not read yet, without creating it) contacts,
 * each once. Returns 0, or -1 with errbuf naming the first damaged file
 * (the others are still read). A missing file is not an error here.
 */
int casework_load_data(struct casework *cw, char *errbuf);

/* What was read (NULL: not read, missing or damaged). Owned by cw. */
const struct incident_kinds *casework_kinds(const struct casework *cw);
const struct checklist_set *casework_checklists(const struct casework *cw);
struct contacts *casework_contacts(const struct casework *cw);

/* ---- the rules ----------------------------------------------------- */

/*
 * The incident kind an alert opens: outbound amplification from port 53
 * "dns-amplification" (our customers' resolvers reflecting), other
 * outbound traffic "outbound-bots", inbound amplification "reflection"
 * (any port), a likely spoofed source "spoofed", else "ddos-customer" --
 * as long as the kinds file knows it; if it does
 * not, its first kind; without a kinds file the rule's id. Reads the kinds
 * if not yet read. The string lives as long as cw.
 */
const char *casework_kind_for_alert(struct casework *cw,
    const struct alert *a);
/* The TLP label a new incident of kind gets when none is given: the
 * kind's (data/incident-kinds.txt) if it is a valid label, else
 * "TLP:AMBER". Reads the kinds if not yet read. */
const char *casework_default_tlp(struct casework *cw, const char *kind);

/*
 * Create an incident (incident_create) in the store; tlp NULL means
 * casework_default_tlp(kind). *out is the incident inside the store.
 * Returns 0, or -1 with errbuf.
 */
int casework_create(struct casework *cw, const char *kind, const char *title,
    const char *source, const char *tlp, struct incident **out,
    char *errbuf);
/*
 * Open an incident for an alert: kind casework_kind_for_alert, its
 * default TLP, source "alert", then the alert's evidence (src and
 * link_name as incident_add_evidence takes them). Returns 0; -1 with
 * errbuf and *out NULL when nothing was created, or *out set when the
 * incident was created but its evidence was not written.
 */
int casework_create_from_alert(struct casework *cw, const struct alert *a,
    const char *title, const struct incident_srcinfo *src,
    const char *link_name, struct incident **out, char *errbuf);

/*
 * Evidence that follows the alert. An incident made by
 * casework_create_from_alert is followed while its alert (by id: ids are
 * unique within one run) is in the snapshots handed to
 * casework_follow_snapshot, which the terminal calls on each new snapshot.
 * The rule (casework_follow_why) appends one more evidence event when:
 *   "end"      the alert ended (always, once; then it is no longer followed)
 *   "peak"     its peak pps grew by a quarter or more since the latest
 *              evidence (at least CASE_FOLLOW_GAP_US of capture time later)
 *   "ingress"  the set of neighbours carrying CASE_FOLLOW_SHARE_PM or more
 *              of it changed (same gap)
 * and never more than CASE_FOLLOW_MAX events per alert besides the end.
 * Everything is journaled like the first evidence (incident_add_evidence),
 * so the report and drafts, which read the latest evidence, show the final
 * window, peak and route.
 */
#define CASE_FOLLOWS		64	/* incidents followed at once */
#define CASE_FOLLOW_MAX		32	/* evidence events per alert, end aside */
#define CASE_FOLLOW_GAP_US	(10 * 1000000LL)
#define CASE_FOLLOW_SHARE_PM	100	/* a tenth */
struct snapshot;
/* Why inc should receive a's evidence now ("first", "end", "peak",
 * "ingress"), or NULL when not. */
const char *casework_follow_why(const struct incident *inc,
    const struct alert *a);
/* Append a's evidence to inc if casework_follow_why says so. Returns 1
 * appended, 0 not needed, -1 with errbuf. */
int casework_follow_alert(struct casework *cw, struct incident *inc,
    const struct alert *a, const char *link_name, char *errbuf);
/* Follow every incident made from an alert in this process against snap
 * (its links name the evidence's link). Returns how many events were
 * appended, or -1 with errbuf for the first failure (the others are still
 * tried). Without an open store it does nothing. */
int casework_follow_snapshot(struct casework *cw, const struct snapshot *snap,
    char *errbuf);

/*
 * Who to tell about inc, best first: its latest evidence (kind, direction,
 * spoofing, target, port, the ingress neighbours and the top sources) as
 * escalate.h's evidence, ranked by escalate_rank against the contact
 * database (read if not yet) at `at` (seconds since the epoch). Our
 * country, for our national CSIRT, is our-zone's (else the local zone's).
 * Returns the count and a new array in *out (escalate_free; NULL when 0:
 * no evidence or no database).
 */
struct esc_suggestion;
size_t casework_suggest(struct casework *cw, const struct incident *inc,
    int64_t at, struct esc_suggestion **out);

/*
 * An alert object as `summary --json` (an element of "alerts") and
 * `--alerts` (one line) write it, read back into *a for
 * casework_create_from_alert: `kyocho incident new --from-alert FILE`.
 * Hostile input: bad members are left out (unknown words become
 * mixed/unknown/low), lists cut at the alert's sizes. The alert's last
 * second over threshold is its end, else its neighbours' latest packet,
 * else its start. Returns 0, or -1 with errbuf when o is not an object
 * with a target address and a start time.
 */
struct json;
int casework_alert_from_json(const struct json *o, struct alert *a,
    char *errbuf);

/*
 * Record an action's state (incident_action) behind the gate: ACT_TAKEN
 * is refused (-1, errbuf says which questions are open or failed) unless
 * the action's checklist evaluates complete or an override for it is in
 * the journal. Without checklists (not loaded or not found) only an
 * override lets it through. Reads the checklists if not yet read.
 */
int casework_act(struct casework *cw, struct incident *inc,
    const char *action, enum action_state state, const char *detail,
    char *errbuf);

/* The gate alone: 0 when action may be taken in inc now (checklist
 * complete, or an override journaled), else -1 with errbuf. */
int casework_may_take(struct casework *cw, const struct incident *inc,
    const char *action, char *errbuf);

/* ---- mitigation: announcing the routing actions (issue 16) ---------- */

/* What the operator asks beyond the evidence (0/NULL: from it). */
struct case_mitigation_req {
	uint8_t proto;			/* FlowSpec protocol */
	uint16_t sport, dport;
	const char *src;		/* FlowSpec source prefix */
	uint64_t rate;			/* rate-limit: bytes per second */
};

/*
 * The announcement action would make for inc: behind the gate (as
 * casework_act), the target of the latest evidence, and for FlowSpec its
 * protocol and reflector source port (an amplification: UDP from that
 * port; a SYN flood: TCP; a UDP flood: UDP), req overriding; then
 * mitigate_check (home, prefix lengths, mitigation-max). 0 with *out,
 * or -1 with errbuf saying why nothing can be announced.
 */
int casework_mitigation_plan(struct casework *cw, struct mitigate *m,
    const struct incident *inc, const char *action,
    const struct case_mitigation_req *req, struct mit_rule *out,
    char *errbuf);
/*
 * Announce r (from casework_mitigation_plan) for ttl_s seconds (0: the
 * default), then journal the action taken with what was announced as
 * its detail. 0 only when the speaker accepted it; -1 with errbuf (the
 * action is then not marked taken).
 */
int casework_mitigate(struct casework *cw, struct mitigate *m,
    struct incident *inc, const char *action, const struct mit_rule *r,
    unsigned ttl_s, char *errbuf);
/*
 * Withdraw what was announced for action in inc, then journal the
 * action lifted. *n (may be NULL) is how many were withdrawn. 0, or -1
 * with errbuf when the speaker refused a withdrawal (the action is then
 * not marked lifted; `kyocho mitigation reconcile` retries).
 */
int casework_unmitigate(struct casework *cw, struct mitigate *m,
    struct incident *inc, const char *action, size_t *n, char *errbuf);
/*
 * mitigate_reconcile with the incident journals deciding what is still
 * wanted: an announcement whose incident is closed, missing, or whose
 * action is no longer taken is lifted.
 */
int casework_mitigation_reconcile(struct casework *cw, struct mitigate *m,
    int repair, FILE *report, struct mit_reconcile *out, char *errbuf);

/* Where a draft to c goes: its first abuse-email, else its first email,
 * else NULL (the To: line stays blank). Points into c. */
const char *casework_recipient(const struct contact *c);
/* The template language for c: the first of its languages (primary
 * subtag, lower case) that template tid exists in, else "en". */
void casework_template_lang(const struct casework *cw,
    const struct contact *c, const char *tid, char *out, size_t len);
/*
 * Draft template tid to contact c for inc: recipient and language as
 * above, the contact's team (else org) as whom, and its zone's offset
 * when the latest evidence started (else at now_s). Saved and journaled
 * (draft_create). Returns the path (caller frees) and the language in
 * lang[0..langlen), or NULL with errbuf.
 */
char *casework_draft_to(struct casework *cw, struct incident *inc,
    const struct contact *c, const char *tid, int64_t now_s, char *lang,
    size_t langlen, char *errbuf);
/* draft_create with the casework's store and settings (a draft whose
 * parameters the caller has chosen, as `kyocho incident draft`). */
char *casework_draft(struct casework *cw, struct incident *inc,
    const struct draft_params *dp, char *errbuf);

/*
 * Write inc's report to f in format and lang ("en", "ja"): kinds and
 * checklists as read so far, the settings' zones, and only this
 * incident's journal problems (named without their directory, so the same
 * journal gives the same report anywhere). If raw is not NULL those
 * problems are also appended to it as the store gave them (for stderr).
 * Returns 0, or -1 with errbuf.
 */
int casework_report_write(struct casework *cw, const struct incident *inc,
    FILE *f, enum report_format format, const char *lang,
    struct journal_diags *raw, char *errbuf);
/*
 * Save inc's report as STATE/reports/ID.txt (.md, .html): the directory
 * made 0700, the file 0600 whatever the umask. Returns the path (caller
 * frees; relative to "." under -Z as the store is) or NULL with errbuf.
 */
char *casework_report_save(struct casework *cw, const struct incident *inc,
    enum report_format format, const char *lang, char *errbuf);

/* ---- playbooks and proposals (issue 15) ------------------------------ */

/*
 * Read data/playbooks/ once and check every playbook against the
 * checklists and kinds (reading them if not yet read). 0; CASE_MISSING
 * when there is no playbooks directory (no proposals: everything by
 * hand); -1 with errbuf "FILE:LINE: ..." for a damaged one (then no
 * playbook is used).
 */
int casework_load_playbooks(struct casework *cw, char *errbuf);
/* The playbooks read (empty when missing or damaged). Owned by cw. */
const struct playbook_set *casework_playbooks(const struct casework *cw);
/* The approved playbook for inc's kind and action, or NULL. */
const struct playbook *casework_playbook_for(struct casework *cw,
    const struct incident *inc, const char *action);

/* 1 if kind offers action (data/incident-kinds.txt); without a kinds
 * file, or for a kind it does not know, every checklist is offered. */
int casework_action_offered(struct casework *cw, const char *kind,
    const char *action);

/* A proposed answer to one question of an action's checklist. */
struct case_proposal {
	const char *question;		/* points into the checklist */
	char answer[512];
	char reason[2048];		/* what the journal records */
	const char *source;		/* "playbook" or "evidence" */
	int unverified;			/* rests on an unverified row */
};

/*
 * The proposals for action in inc, one per question at most, in the
 * checklist's order: the approved playbook's answers (source
 * "playbook"), and the facts the record holds (source "evidence"):
 * min-scope from the latest evidence (the target and protocol of the
 * alert), min-duration from the playbook's ttl, min-data from its
 * retention. Reasons name the playbook, the guideline case and edition,
 * and whether it rests on a sourced row or an unverified one ("confirm
 * with your legal/compliance staff"). Returns the count (at most max).
 */
size_t casework_proposals(struct casework *cw, const struct incident *inc,
    const struct checklist *cl, struct case_proposal *out, size_t max);

/*
 * Accept the proposals for action: journal each one whose question has
 * no answer of its own yet (an operator's answer is never replaced) as
 * an answer by the operator with the proposal's reason, source and the
 * playbook's name. Refused (-1, errbuf) when the incident's kind does not
 * offer the action, or no approved playbook applies. *n (may be NULL) is
 * the number journaled. Returns 0 or -1 with errbuf.
 */
int casework_accept(struct casework *cw, struct incident *inc,
    const char *action, size_t *n, char *errbuf);

/* One action an incident's kind offers, with its checklist's state. */
struct case_action {
	const char *action;		/* lives as long as cw's kinds */
	enum action_state state;	/* from the journal */
	int has_checklist;
	enum cl_status status;		/* when has_checklist */
	size_t nopen;
	const struct playbook *playbook;	/* approved, or NULL */
};
/* The actions inc's kind offers, in order (at most max). */
size_t casework_actions(struct casework *cw, const struct incident *inc,
    struct case_action *out, size_t max);

/*
 * Log a contact event (incident_contact); an attempt to a peering or
 * transit ISP (by its kind in the contact database) marks share-peer
 * proposed, and to a CSIRT share-csirt, when the incident's kind offers
 * it and it was never mentioned. Returns 0 or -1 with errbuf.
 */
int casework_contact(struct casework *cw, struct incident *inc,
    enum contact_what what, const char *channel, const char *contact_id,
    const char *whom, const char *text, char *errbuf);
/* The action a request to contact_id serves: share-peer for a peering
 * or transit ISP, share-csirt for a CSIRT (national, FIRST), when inc's
 * kind offers it; else NULL (a static string). */
const char *casework_request_action(struct casework *cw,
    const struct incident *inc, const char *contact_id);
/*
 * Before a draft to contact_id is written or sent: 1 with a sentence in
 * buf ("this request shares the incident with the contact (share-peer),
 * whose guideline checklist is incomplete (know, ...): ...") when the
 * action it serves has a checklist that is not complete and no override;
 * else 0 and buf empty. The draft is still allowed: the operator decides.
 */
int casework_draft_warning(struct casework *cw, const struct incident *inc,
    const char *contact_id, char *buf, size_t len);
/* The same marking for a request drafted or sent to contact_id (a draft
 * with a contact): 0, or -1 with errbuf if the action could not be
 * journaled. */
int casework_request_logged(struct casework *cw, struct incident *inc,
    const char *contact_id, char *errbuf);

/* ---- sharing in other tools' formats (issue 17) ---------------------- */

/* The sharing action whose checklist gates a disclosure to c: share-csirt
 * for CSIRTs, FIRST teams, ISACs, NOGs, agencies (and nobody named),
 * share-peer for networks (ISPs, hosting, customers, abuse desks). */
const char *casework_share_action(const struct contact *c);

/*
 * Export inc's evidence in fmt for contact_id (NULL: nobody named). It is
 * a disclosure, so it is refused (-1, errbuf says why, and the refusal is
 * journaled) when the incident is TLP:RED; when it is TLP:AMBER+STRICT
 * and contact_id is not the organisation the evidence concerns (a network
 * of its holds a source); when the sharing action's checklist
 * (casework_share_action) is neither complete nor overridden; or when no
 * document can be made (export_build). Otherwise the document is written
 * to path (NULL: STATE/exports/ID-FORMAT[-CONTACT].json, 0600; "-": not
 * written, the caller prints it), the export is journaled with its
 * SHA-256, and *doc_out (and *path_out unless NULL) are new strings the
 * caller frees. Returns 0 or -1.
 */
int casework_export(struct casework *cw, struct incident *inc,
    enum export_format fmt, const char *contact_id, const char *path,
    char **doc_out, char **path_out, char *errbuf);
/* Export the format that fits contact_id (export_format_for) and append
 * an "Attachment: PATH (FORMAT, sha256 HEX)" line to the draft at
 * draft_path. 0, or -1 with errbuf (refusals as casework_export). */
int casework_draft_attach(struct casework *cw, struct incident *inc,
    const char *contact_id, const char *draft_path, char *errbuf);
/*
 * Open an outbound-bots incident from an X-ARF v4 report or MISP event
 * p[0..len) (named name in messages) that another organisation sent about
 * our network: source "import", its TLP tag (else the kind's), the
 * evidence (our addresses as sources, their target), a note with the
 * file's SHA-256 and report id, and a contact event (reply) attributing it
 * to the sender (its contact id when the database knows its address or
 * organisation). *out is the incident. Returns 0 or -1 with errbuf.
 */
int casework_import(struct casework *cw, const uint8_t *p, size_t len,
    const char *name, struct incident **out, char *errbuf);
/* ---- phishing sites (issue 14) ---------------------------------------- */

/*
 * Create a phishing incident (kind NULL or "phishing" means
 * "phishing-abroad" of data/incident-kinds.txt; source "manual", tlp NULL:
 * the kind's default) for the site at url whose host the caller parsed
 * (src/enrich/target.h), and journal its site event: url, host, brand
 * (may be NULL) and first_seen_us (0: now). title NULL or "" makes
 * "Phishing <defanged host>[ (brand)]". Returns 0, or -1 with errbuf
 * (*out set if the incident was created but the site not written).
 */
int casework_create_phishing(struct casework *cw, const char *kind,
    const char *url,
    const char *host, const char *brand, const char *title, const char *tlp,
    int64_t first_seen_us, struct incident **out, char *errbuf);

/* What casework_site_lookup journaled. */
enum site_change {
	SITE_SAME = 0,		/* the same answer as the last lookup */
	SITE_NEW,		/* first lookup, or the addresses or registrar
				 * changed: a new lookup event */
	SITE_GONE,		/* and the host no longer resolves (or its
				 * addresses are gone): a takedown event too */
};

/*
 * Journal l as evidence when it differs from the incident's last lookup
 * (the set of addresses, or the registrar); when the host had addresses
 * before and l has none with status "nxdomain" or "nodata" (or all the
 * old addresses are gone), and no takedown is recorded yet, also a
 * takedown event ("unresolved" / "address-gone"). A failed lookup
 * (status "error") is journaled only if it is the first. *change says
 * what was done. Returns 0 or -1 with errbuf.
 */
int casework_site_lookup(struct casework *cw, struct incident *inc,
    const struct site_lookup *l, enum site_change *change, char *errbuf);

/* A takedown event by hand (how "reported"), refused when one is there. */
int casework_takedown(struct casework *cw, struct incident *inc,
    const char *detail, char *errbuf);

/*
 * The takedown clock of a phishing incident at now_us. Times are µs since
 * the epoch, 0 when not yet; durations in seconds, -1 when not known.
 * "Since" durations run to the takedown once there is one, else to now.
 */
struct phish_clock {
	int64_t first_seen_us, first_report_us, first_answer_us, takedown_us;
	int64_t since_seen_s;		/* first seen -> now / takedown */
	int64_t since_report_s;		/* first report -> now / takedown */
	int64_t to_answer_s;		/* first report -> first answer */
	int64_t to_takedown_s;		/* first seen -> takedown */
	int64_t report_to_takedown_s;	/* first report -> takedown */
	/* The earliest follow-up: a contact attempted and not answered
	 * since, while the site is up, is due when that recipient's office
	 * next opens after the attempt (their hours and zone from the
	 * contact record; Mon-Fri 09:00-18:00 without hours, UTC without a
	 * zone; a day after the attempt without a record). */
	int64_t follow_up_due_us;	/* 0: none */
	int follow_up_now;		/* due at now_us */
	char follow_up_contact[64];	/* contact id, or the whom logged */
	char follow_up_zone[64];	/* their zone's name, "" if none */
};
/* Reads the contacts if not yet read. Returns 1 for a phishing incident
 * (one with a site event), else 0 (out zeroed). */
int casework_phish_clock(struct casework *cw, const struct incident *inc,
    int64_t now_us, struct phish_clock *out);

/*
 * The counterparts for a takedown of inc's site (escalate_rank with kind
 * phishing, the last lookup's addresses and registrar) at at_s;
 * our_country may be "" (our national CSIRT is not ranked). Reads the
 * contacts if not yet read. Returns the count and *out (escalate_free).
 */
size_t casework_phish_rank(struct casework *cw, const struct incident *inc,
    const char *our_country, int64_t at_s, struct esc_suggestion **out);

#endif
