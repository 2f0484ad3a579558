/*
 * event.h -- one journal event of an incident, typed.
 *
 * A journal line (journal.h, schema man/kyocho-journal.5) is parsed into a
 * JSON tree once, when the incident is loaded; event_load() then reads the
 * tree once into a struct ev: its type as an enum and the members of that
 * type as C fields. Everything else in src/case and src/casework switches
 * on ev.type and reads those fields; nothing there looks members up by
 * name. The journal is hostile input (another process, a person with an
 * editor, a disk): a member that is missing or of the wrong JSON type gets
 * the default the field's comment names, and no event is refused.
 *
 * Strings point into the event's JSON tree (owned by the event, freed by
 * event_free()); they are whatever was typed or captured, so callers
 * sanitize (text_sanitize) before display. The tree stays in the event for
 * readers not yet converted (src/report).
 */
#ifndef KYOCHO_EVENT_H
#define KYOCHO_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/json.h"

enum ev_type {
	EV_CREATED = 0,
	EV_EVIDENCE,
	EV_NOTE,
	EV_ACTION,
	EV_OVERRIDE,
	EV_ANSWER,
	EV_CONTACT,
	EV_DRAFT,
	EV_STATUS,
	EV_TLP,
	EV_EXPORT,		/* evidence exported, or an export refused */
	EV_SITE,
	EV_LOOKUP,
	EV_TAKEDOWN,
	EV_UNKNOWN,		/* any other "type" (or none): shown, not used */
};

enum action_state {
	ACT_NONE = 0,		/* never mentioned */
	ACT_PROPOSED,
	ACT_TAKEN,
	ACT_LIFTED,
};

enum contact_what {
	CONTACT_ATTEMPT = 0,	/* we tried to reach them */
	CONTACT_REPLY,		/* they answered */
	CONTACT_ACK,		/* they acknowledged / accepted the request */
	CONTACT_RESOLUTION,	/* they say it is done (filter in place...) */
};

/* Unless a comment says otherwise, a string member is "" when absent. */
struct ev_created {
	const char *kind, *title, *source;
	const char *tlp;		/* NULL when absent */
	const char *zone;
};

/* One of an evidence event's top sources. */
struct ev_source {
	const char *addr;		/* NULL when absent */
	const char *cc;			/* NULL when absent */
	const char *as_name;		/* NULL when absent */
	uint64_t packets;		/* 0 when absent or negative */
	int64_t asn;			/* 0 when absent; may be out of range */
	int64_t share_pm;		/* per mille; 0 when absent; may be < 0 */
};

struct ev_evidence {
	/* NULL when absent (a draft says "not recorded" then) */
	const char *target, *attack, *direction, *spoofing, *link;
	const char *start, *last, *end;	/* RFC 3339 as written, or NULL */
	/* 0 when absent or negative */
	uint64_t alert_id, peak_pps, peak_bps, packets, bytes;
	uint64_t syn_pps, udp_pps, icmp_pps, frag_pps;
	int64_t sources_est, top_port, spoof_score_pm;	/* 0 when absent */
	const char **spoof_evidence;	/* items; NULL for a non-string item */
	size_t nspoof_evidence;
	struct ev_source *top;		/* top_sources, in journal order */
	size_t ntop;
};

struct ev_note {
	const char *text;
};

struct ev_action {
	const char *action;
	const char *state_name;		/* as written */
	int state;			/* enum action_state, or -1 when
					 * state_name is none of proposed,
					 * taken, lifted */
	const char *detail;
	int under_override;		/* 0 when absent */
};

struct ev_override {
	const char *action, *reason;
};

struct ev_answer {
	const char *action, *question;
	const char *answer;		/* NULL when absent */
	const char *reason;
	const char *source;		/* "playbook", "evidence"; "" by hand */
	const char *playbook;		/* the playbook's id, or "" */
};

struct ev_contact {
	const char *what_name;		/* as written */
	int what;			/* enum contact_what, or -1 */
	const char *channel;
	const char *contact;		/* contact id ("" if none) */
	const char *whom, *text;
};

struct ev_draft {
	const char *path, *template_id, *lang, *contact;
};

struct ev_status {
	const char *status;		/* as written */
	int closed;			/* status is exactly "closed" */
	const char *reason;
};

/* An export (kyocho incident export): what, for whom, its hash; or a
 * refusal and why. */
struct ev_export {
	const char *format;		/* "xarf", "misp", "stix" */
	const char *contact;		/* contact id ("" if none) */
	const char *recipient;		/* its organisation ("" if none) */
	const char *outcome;		/* "exported" or "refused" */
	int refused;			/* outcome is exactly "refused" */
	const char *path;		/* the file written ("" if none) */
	const char *sha256;		/* of the file, hex ("" if none) */
	const char *tlp;		/* the incident's TLP then */
	const char *reason;		/* why refused ("" otherwise) */
};

struct ev_tlp {
	const char *tlp;		/* NULL when absent */
};

/* A phishing site: the URL as reported and what it targets. */
struct ev_site {
	const char *url, *host, *brand;
	const char *first_seen;		/* RFC 3339 as written, or NULL */
	int64_t first_seen_us;		/* 0 when absent or unreadable */
};

/* One address of a lookup. */
struct ev_lookup_addr {
	const char *addr;		/* NULL when absent */
	int64_t asn;			/* 0 when absent; may be out of range */
	const char *cc, *as_name, *abuse, *source;
};

/*
 * What a lookup of the site's host found (evidence that can be refreshed:
 * a new lookup event when the answer changed). status is "ok",
 * "nxdomain", "nodata" or "error" as written ("" when absent).
 */
struct ev_lookup {
	const char *host, *status, *error;
	const char *at;			/* when asked, RFC 3339, or NULL */
	int64_t at_us;			/* 0 when absent or unreadable */
	struct ev_lookup_addr *addrs;	/* allocated; NULL for a non-object
					 * item is skipped */
	size_t naddrs;
	const char *domain;		/* registered domain */
	/* The registrar (RDAP), "" when not known. */
	const char *registrar, *registrar_id, *registrar_abuse,
	    *registrar_phone, *registrar_source, *registrar_at;
	const char **sources;		/* items; NULL for a non-string */
	size_t nsources;
};

struct ev_takedown {
	const char *how;		/* "reported", "unresolved",
					 * "address-gone" as written */
	const char *detail;
};

struct ev {
	enum ev_type type;
	union {
		struct ev_created created;
		struct ev_evidence evidence;
		struct ev_note note;
		struct ev_action action;
		struct ev_override override;
		struct ev_answer answer;
		struct ev_contact contact;
		struct ev_draft draft;
		struct ev_status status;
		struct ev_tlp tlp;
		struct ev_export export;
		struct ev_site site;
		struct ev_lookup lookup;
		struct ev_takedown takedown;
	} u;
};

/* One journal event: where it is, the fields every screen wants, the
 * typed event and the parsed line itself (owned). */
struct incident_event {
	uint64_t seq;
	int64_t ts_us;		/* 0 when "ts" is missing or unreadable */
	const char *type;	/* "created", "note", ... as written ("" if none) */
	const char *operator;	/* "" if absent */
	unsigned line;		/* in the journal */
	struct json *j;
	struct ev ev;
};

/*
 * Read the JSON object j (a journal line) into out: type and payload.
 * Strings point into j, which must outlive out; the arrays of an evidence
 * event are allocated (event_parse_free()). Never refuses an event: a
 * member missing or of the wrong type gets its default. Returns 0, or -1
 * with errbuf filled (and out an EV_UNKNOWN) when j is not an object.
 */
int event_parse(const struct json *j, struct ev *out, char *errbuf);
void event_parse_free(struct ev *ev);

/*
 * Fill e from the parsed line j, which e takes over (event_free() frees
 * it): seq, ts, type, operator, and ev through event_parse().
 */
void event_load(struct incident_event *e, struct json *j, unsigned line);
void event_free(struct incident_event *e);

/* Names: "proposed", "attempt", ... and back (-1 if unknown). */
const char *incident_action_state_name(enum action_state st);
int incident_action_state_parse(const char *s);
const char *incident_contact_name(enum contact_what w);
int incident_contact_parse(const char *s);

#endif
