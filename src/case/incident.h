/*
 * incident.h -- incidents: each one an append-only journal of events
 * (journal.h) under STATE/incidents/<id>.jsonl, replayed at start-up.
 *
 * The model a keyboard-driven screen needs: a store holding every incident
 * (sorted by id, newest last), each incident's events in journal order,
 * and one function per thing an operator does (create, copy in an alert's
 * evidence, note, propose/take/lift an action, answer a checklist question
 * (checklist.h), override, log a contact attempt/reply/ack/resolution,
 * record a saved draft, close/reopen). Each of those appends one event and
 * returns only after it is on disk; then the incident is re-read from its
 * journal, so events other processes appended meanwhile appear too.
 *
 * Event schema: man/kyocho-journal.5. Strings in events are whatever was
 * typed or captured: callers sanitize (text_sanitize) before display.
 */
#ifndef KYOCHO_INCIDENT_H
#define KYOCHO_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "detect/alert.h"
#include "case/event.h"
#include "case/journal.h"
#include "case/kinds.h"	/* the kinds, for callers that always found them here */
#include "base/json.h"

#define INCIDENT_ID_LEN		32
#define INCIDENT_TEXT_MAX	8192	/* bytes of one note or reason */

enum incident_status {
	INC_OPEN = 0,
	INC_CLOSED,
};

struct incident {
	char id[INCIDENT_ID_LEN];	/* "2026-11-26-0001" */
	char *path;			/* the journal */
	const char *kind;		/* from the created event ("" if none) */
	const char *title;
	const char *source;		/* "alert" or "manual" */
	const char *tlp;		/* "TLP:AMBER", ... */
	const char *created_by;
	const char *zone;		/* the operator's zone when it was
					 * created (an IANA name or a POSIX TZ
					 * string); "" in journals from before
					 * it was recorded */
	int64_t created_us, last_us;	/* first and last event times */
	enum incident_status status;
	struct incident_event *ev;
	size_t nev;
	size_t ndiag;			/* problems found replaying it */
	int64_t size;			/* journal bytes when last read */
};

/* Every incident under STATE/incidents (opaque: incident.c). */
struct incident_store;

/* Top sources' enrichment, parallel to alert->top (any field may be 0/""). */
struct incident_srcinfo {
	uint32_t asn;
	char cc[3];		/* ISO 3166 alpha-2 */
	char as_name[64];
};

/* One contact's history entry across incidents (for the Contacts screen). */
struct contact_history {
	const struct incident *inc;
	uint64_t first_attempt_seq;
	int64_t first_attempt_us;	/* 0 if none */
	int64_t first_answer_us;	/* first reply or ack; 0 if none */
	int64_t resolution_us;		/* 0 if none */
	unsigned attempts;
	const char *whom;		/* as logged on the first attempt */
	const char *channel;
};

/* Response times of an incident's contacts (one contact or all). */
struct contact_stats {
	unsigned attempts, replies, acks, resolutions;
	int64_t first_attempt_us, first_answer_us, resolution_us;  /* 0 = none */
	int64_t to_answer_s, to_resolution_s;	/* -1 when not known */
};

/*
 * Open the state directory and replay every journal in STATE/incidents
 * (created if missing). operator NULL (or "") means
 * login_name(): $LOGNAME, $USER, the password database, and
 * "unknown" only when none of them gives a name. One
 * damaged journal does not stop the others; every problem is in
 * store->diags ("FILE:LINE: ..."). Returns the store (free with
 * incident_store_free) or NULL with errbuf filled when the directory
 * cannot be used.
 */
struct incident_store *incident_store_open(const char *state_dir,
    const char *operator, char *errbuf);
/*
 * The configured our-zone, written into the created event of each new
 * incident so its report can show local times from the journal alone.
 * NULL or "" (the default) means what tz_default_name() finds in $TZ
 * and /etc/localtime when the incident is created; with neither, no zone
 * is recorded.
 */
void incident_store_set_zone(struct incident_store *s, const char *zone);
/* Re-read all journals (others may have written). Returns 0 or -1.
 * Pointers to incidents and events taken before are invalid after it. */
int incident_store_reload(struct incident_store *s, char *errbuf);
/*
 * Cheap check for a screen's idle tick: 1 if a journal was added or
 * removed or one changed size since it was read (another kyocho wrote),
 * else 0. Call incident_store_reload() (or incident_refresh()) then.
 */
int incident_store_changed(const struct incident_store *s);
/* Re-read one incident's journal in place (its pointer stays valid; its
 * events are replaced). */
void incident_refresh(struct incident_store *s, struct incident *inc);
void incident_store_free(struct incident_store *s);
/* The incident with this id, or NULL. */
struct incident *incident_find(const struct incident_store *s, const char *id);

/* The incidents, sorted by id: count and the i-th (i < count). Valid until
 * the next incident_store_reload() or incident_create(). */
size_t incident_store_count(const struct incident_store *s);
struct incident *incident_store_at(const struct incident_store *s, size_t i);
/* 1 if needle (NULL or "" matches all) is in the id, title or kind. */
int incident_matches(const struct incident *inc, const char *needle);
/*
 * The positions (for incident_store_at) of the incidents that match needle,
 * in order: the first max of them into idx (may be NULL when max is 0).
 * Returns how many match in all, which may be more than max.
 */
size_t incident_store_filter(const struct incident_store *s,
    const char *needle, size_t *idx, size_t max);
/* STATE as opened, and STATE/incidents where the journals are. */
const char *incident_store_state_dir(const struct incident_store *s);
const char *incident_store_dir(const struct incident_store *s);
/* The problems found by the last load, over all journals. */
const struct journal_diags *incident_store_diags(const struct incident_store *s);
/* Who acts in this process (as opened, or the login name). */
const char *incident_store_operator(const struct incident_store *s);
/* The sequence number of the last event this process appended (0: none). */
uint64_t incident_store_last_seq(const struct incident_store *s);
/* Tests and replays: every event from now on is stamped us (microseconds
 * since the epoch; 0 goes back to the clock). incident_store_now() is
 * the time the next event gets. */
void incident_store_set_now(struct incident_store *s, int64_t us);
int64_t incident_store_now(const struct incident_store *s);

/*
 * Create an incident with a fresh id (date of now, UTC, plus a number:
 * "2026-11-26-0001"), unique across processes. kind is an id from
 * incident-kinds.txt, source "alert" or "manual", tlp "TLP:CLEAR",
 * "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT" or "TLP:RED"; source also
 * "import" (casework_import). On success
 * *out is the incident inside the store.
 */
int incident_create(struct incident_store *s, const char *kind,
    const char *title, const char *source, const char *tlp,
    struct incident **out, char *errbuf);

/* Copy an alert's evidence in. src may be NULL or hold a->ntop entries;
 * link_name may be NULL. */
int incident_add_evidence(struct incident_store *s, struct incident *inc,
    const struct alert *a, const struct incident_srcinfo *src,
    const char *link_name, char *errbuf);

int incident_note(struct incident_store *s, struct incident *inc,
    const char *text, char *errbuf);

/*
 * Record an action's state. This only journals it: whether ACT_TAKEN is
 * allowed (the checklist gate) is decided above, by casework_act()
 * (casework.h), which every caller goes through. detail says what exactly
 * (prefix, filter, duration); may be "".
 */
int incident_action(struct incident_store *s, struct incident *inc,
    const char *action, enum action_state state, const char *detail,
    char *errbuf);

/* The explicit override that lets an action with an incomplete or failed
 * test be taken. reason must not be empty. */
int incident_override(struct incident_store *s, struct incident *inc,
    const char *action, const char *reason, char *errbuf);

/* Answer one checklist question (see checklist.h for what answers mean).
 * reason must not be empty. */
int incident_answer(struct incident_store *s, struct incident *inc,
    const char *action, const char *question, const char *answer,
    const char *reason, char *errbuf);

/*
 * An answer the operator accepted from a proposal (casework_accept):
 * as incident_answer, plus source "playbook" or "evidence" and the
 * playbook's name (may be NULL or "" for evidence without a playbook).
 * The event's operator is the one who accepted it.
 */
int incident_answer_proposed(struct incident_store *s, struct incident *inc,
    const char *action, const char *question, const char *answer,
    const char *reason, const char *source, const char *playbook,
    char *errbuf);

/*
 * A contact event: channel ("email", "phone", "web-form", "irc", ...),
 * contact_id (from the contacts database, may be ""), whom (a person or
 * team as written), text (what was said; may be "").
 */
int incident_contact(struct incident_store *s, struct incident *inc,
    enum contact_what what, const char *channel, const char *contact_id,
    const char *whom, const char *text, char *errbuf);

/* A draft saved at path from template (and for contact_id, may be ""). */
int incident_draft_saved(struct incident_store *s, struct incident *inc,
    const char *path, const char *template_id, const char *lang,
    const char *contact_id, char *errbuf);

/*
 * An export of the evidence (x->refused 0: x->path written, x->sha256 its
 * hash) or its refusal (x->reason why), for x->contact (may be NULL or "")
 * whose organisation is x->recipient (may be NULL). outcome and tlp are
 * filled here (tlp: the incident's). Only the casework layer decides
 * whether an export may happen (casework_export).
 */
int incident_export_logged(struct incident_store *s, struct incident *inc,
    const struct ev_export *x, char *errbuf);

/* Close or reopen, with a reason (may be "" to reopen). */
int incident_set_status(struct incident_store *s, struct incident *inc,
    enum incident_status st, const char *reason, char *errbuf);

/* The state of an action from the journal, and its last event (or NULL). */
enum action_state incident_action_state(const struct incident *inc,
    const char *action, const struct incident_event **last);
/* Whether an override for action is in the journal (its event or NULL). */
const struct incident_event *incident_override_for(const struct incident *inc,
    const char *action);

/* Response times for contact_id (NULL: all contacts) in one incident. */
void incident_contact_stats(const struct incident *inc, const char *contact_id,
    struct contact_stats *out);
/*
 * Every incident that logged contact_id, oldest first: a new array in
 * *out (free() it; entries point into the store) and its length. Returns
 * the count.
 */
size_t incident_store_contact_history(const struct incident_store *s,
    const char *contact_id, struct contact_history **out);

/* The latest evidence event, or NULL. */
const struct incident_event *incident_last_evidence(const struct incident *inc);

/* A network or country the incident's traffic involves, for suggesting
 * contacts (the contacts module looks these up). */
struct incident_party {
	uint32_t asn;			/* 0 if unknown */
	char cc[3];			/* "" if unknown */
	char addr[ADDR_STRLEN];		/* an example address */
	int role;			/* 0 source, 1 target */
	uint32_t share_pm;		/* sources: summed share, per mille */
};
/*
 * The distinct (ASN, country) pairs among the latest evidence's sources,
 * largest share first, plus the target; at most max. Returns the count.
 */
size_t incident_parties(const struct incident *inc, struct incident_party *out,
    size_t max);

/* One line describing an event for a timeline, in lang ("en", "ja"),
 * sanitized (no control characters). Returns buf. */
char *incident_event_describe(const struct incident_event *e,
    const char *lang, char *buf, size_t len);


/* ---- phishing sites (issue 14) ---------------------------------------- */

/*
 * A site event: url (as reported, at most INCIDENT_TEXT_MAX bytes of
 * UTF-8), host (its host name or address, required), brand (the
 * targeted brand, may be NULL) and first_seen_us (when the site was first
 * seen; 0: now).
 */
int incident_site(struct incident_store *s, struct incident *inc,
    const char *url, const char *host, const char *brand,
    int64_t first_seen_us, char *errbuf);

#define SITE_ADDRS_MAX	16

/*
 * What a lookup of a site's host found, as the lookup code hands it over
 * (the DNS part in src/enrich/dns.c, the registrar from RDAP). Every
 * string is already validated and sanitized by whoever filled it; "" is
 * unknown. source/registrar_source say where a field came from ("dns",
 * "rdap https://...").
 */
struct site_lookup {
	char host[256];
	char status[16];		/* "ok", "nxdomain", "nodata", "error" */
	char error[128];
	int64_t at_us;			/* when asked */
	struct {
		char addr[ADDR_STRLEN];
		uint32_t asn;
		char cc[3];
		char as_name[128];
		char abuse[256];
		char source[128];
	} addrs[SITE_ADDRS_MAX];
	size_t naddrs;
	char domain[256];
	char registrar[128], registrar_id[16], registrar_abuse[256],
	    registrar_phone[64], registrar_source[512], registrar_at[32];
	char sources[4][512];		/* the servers asked */
	size_t nsources;
};

/* Journal l as a lookup event. */
int incident_lookup(struct incident_store *s, struct incident *inc,
    const struct site_lookup *l, char *errbuf);
/* A takedown event: how ("reported", "unresolved", "address-gone"),
 * detail (may be ""). */
int incident_takedown(struct incident_store *s, struct incident *inc,
    const char *how, const char *detail, char *errbuf);

/* The latest site / lookup / takedown event, or NULL. */
const struct incident_event *incident_site_event(const struct incident *inc);
const struct incident_event *incident_last_lookup(const struct incident *inc);
const struct incident_event *incident_takedown_event(
    const struct incident *inc);

/*
 * The times of a phishing incident from its journal (µs, 0 when not yet):
 * first seen (the earliest first_seen of its site events, else the first
 * site event's time), the first contact attempt (first report), the first
 * reply/ack/resolution after it (first answer), the first takedown event.
 * Returns 1 if inc has a site event, else 0 (out zeroed).
 */
struct site_times {
	int64_t first_seen_us, first_report_us, first_answer_us, takedown_us;
};
int incident_site_times(const struct incident *inc, struct site_times *out);

/* (The names of action states and contact events: event.h.) */
/* 1 if tlp is exactly one of the TLP 2.0 labels (validate_tlp()). */
int incident_tlp_valid(const char *tlp);

#endif
