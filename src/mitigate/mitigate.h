/*
 * mitigate.h -- announcements through the routers' own BGP speakers:
 * RTBH (RFC 7999: the attacked host route with BLACKHOLE 65535:666) and
 * FlowSpec rules (RFC 8955 IPv4, RFC 8956 IPv6: destination, protocol,
 * ports, optionally a source prefix; discard or rate-limit).
 *
 * kyocho never speaks BGP: a backend does -- GoBGP's `gobgp` command
 * (gobgp.c) or ExaBGP's text API through its CLI pipes (exabgp.c).
 * Commands run without a shell, with a timeout; what they print is kept
 * in the journal.
 *
 * The journal STATE/mitigations.jsonl is the truth of what kyocho asked
 * for. An announcement is appended (and fsync'd) BEFORE the speaker is
 * asked, so a kill -9 at any moment leaves at most a route the journal
 * already names ("pending"); mitigate_reconcile() compares the journal
 * with the speaker's RIB, confirms or withdraws what is there, and
 * reports what is missing or left over. Events, one JSON object a line:
 *   {"ev":"announce","id","incident","action","at","expires", the rule}
 *   {"ev":"announced"|"failed"|"withdraw"|"withdrawn","id","at","why",
 *    "output"}
 *
 * The rules of what may be announced (only our own prefixes, prefix
 * lengths, how many at once) are checked here; whether the action's
 * checklist allows it is the casework layer's gate (casework.h).
 *
 * Not thread-safe: one thread uses a struct mitigate.
 */
#ifndef KYOCHO_MITIGATE_H
#define KYOCHO_MITIGATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/addr.h"

enum mit_backend {
	MIT_OFF = 0,		/* no mitigation setting: actions are only
				 * journaled, nothing is announced */
	MIT_GOBGP,
	MIT_EXABGP,
	MIT_BIRD,
};

#define MIT_TTL_DEFAULT		3600
#define MIT_MAX_DEFAULT		64
#define MIT_TIMEOUT_MS		10000	/* per speaker command */
#define MIT_ID_LEN		24
#define MIT_COMMUNITIES		8

/* What a mitigate needs from the settings (filled by src/settings). */
struct mitigate_settings {
	enum mit_backend backend;
	const char *gobgp_api;		/* "ADDR:PORT", "[V6]:PORT"; NULL:
					 * 127.0.0.1:50051 */
	const char *exabgp_pipe;	/* ExaBGP's CLI pipe NAME.in; NULL:
					 * /run/exabgp/exabgp.in */
	const char *bird_socket;
	const char *bird_include;
	const char *next_hop;		/* rtbh-next-hop; NULL: 192.0.2.1
					 * for IPv4, 100::1 for IPv6 */
	const char *communities;	/* rtbh-community; NULL: 65535:666 */
	unsigned ttl_s;			/* mitigation-ttl; 0: the default */
	unsigned max;			/* mitigation-max; 0: the default */
	const struct prefix *home;	/* our own prefixes (borrowed) */
	size_t nhome;
	const char *state_dir;		/* where mitigations.jsonl is */
	unsigned timeout_ms;		/* 0: MIT_TIMEOUT_MS */
};

enum mit_kind {
	MIT_RTBH = 0,
	MIT_FLOWSPEC,
};

/* One announcement. */
struct mit_rule {
	enum mit_kind kind;
	struct prefix dst;		/* the attacked host or prefix */
	struct prefix src;		/* FlowSpec source; family 0 = any */
	uint8_t proto;			/* FlowSpec: 6 tcp, 17 udp, 1 icmp,
					 * 58 icmpv6; 0 any */
	uint16_t dport, sport;		/* FlowSpec; 0 any */
	uint64_t rate;			/* FlowSpec: bytes/s; 0 = discard */
	char next_hop[ADDR_STRLEN];	/* RTBH */
	uint32_t comm[MIT_COMMUNITIES];	/* RTBH: ASN<<16 | VALUE */
	size_t ncomm;
};

enum mit_state {
	MIT_PENDING = 0,	/* journaled; the speaker's answer not seen */
	MIT_ACTIVE,		/* the speaker accepted it */
	MIT_FAILED,		/* the speaker refused (or did not answer) */
	MIT_WITHDRAWING,	/* withdrawal journaled, not confirmed */
	MIT_WITHDRAWN,
};

struct mit_entry {
	char id[MIT_ID_LEN];		/* "M-<at>-<pid>-<n>" */
	char incident[32];
	char action[32];
	struct mit_rule rule;
	int64_t at_s, expires_s;	/* seconds since the epoch */
	enum mit_state state;
	char why[32];			/* of the withdrawal: "lifted", ... */
};

struct mitigate;

/* "gobgp" ... -> the backend; -1 when the name is none of them. */
int mitigate_backend_parse(const char *s);
const char *mitigate_backend_name(enum mit_backend b);
/* "65535:666,64500:1" -> communities; 0, or -1 with errbuf. */
int mitigate_parse_communities(const char *s, uint32_t *out, size_t max,
    size_t *n, char *errbuf);
/* The state's name: "pending", "active", ... */
const char *mitigate_state_name(enum mit_state st);
/* 1 if action ("rtbh", "rate-limit", "block") is announced by routing. */
int mitigate_is_routing(const char *action);

/*
 * Open the journal under cfg->state_dir (created if missing) and replay
 * it; cfg is copied, its strings borrowed. NULL with errbuf when the
 * journal cannot be read or the settings are unusable. Free with
 * mitigate_free.
 */
struct mitigate *mitigate_open(const struct mitigate_settings *cfg,
    char *errbuf);
void mitigate_free(struct mitigate *m);
enum mit_backend mitigate_backend(const struct mitigate *m);
unsigned mitigate_default_ttl(const struct mitigate *m);
const char *mitigate_journal_path(const struct mitigate *m);

/* The entries, oldest first (i < count). Valid until the next call that
 * changes the journal. */
size_t mitigate_count(const struct mitigate *m);
const struct mit_entry *mitigate_at(const struct mitigate *m, size_t i);

/*
 * The rule for action at target: "rtbh" the host route with the
 * configured next-hop and communities (65535:666 first); "block" a
 * FlowSpec discard, "rate-limit" a FlowSpec rate-limit at rate bytes/s,
 * both matching proto/sport/dport (0: any) and src (NULL: any).
 * 0, or -1 with errbuf.
 */
int mitigate_rule(const struct mitigate *m, const char *action,
    const struct addr *target, uint8_t proto, uint16_t sport, uint16_t dport,
    const struct prefix *src, uint64_t rate, struct mit_rule *out,
    char *errbuf);
/*
 * Whether r may be announced now: its destination inside home, RTBH only
 * for a host route, FlowSpec for /24../32 or /48../128, no announcement
 * already active for the same route, and fewer than mitigation-max
 * active. 0, or -1 with errbuf saying why.
 */
int mitigate_check(const struct mitigate *m, const struct mit_rule *r,
    char *errbuf);
/* A person's description of r: exactly what will be announced, and to
 * which speaker. */
void mitigate_describe(const struct mitigate *m, const struct mit_rule *r,
    char *buf, size_t len);
/* A short line for the incident journal's detail ("rtbh 203.0.113.10/32
 * 65535:666 via gobgp"). */
void mitigate_summary(const struct mit_rule *r, char *buf, size_t len);

/*
 * Announce r for incident/action for ttl_s seconds (0: the default)
 * from now_s: mitigate_check, journal it, ask the speaker, journal the
 * answer. 0 only when the speaker accepted; -1 with errbuf (the speaker's
 * output) otherwise. *out (may be NULL) is the entry.
 */
int mitigate_announce(struct mitigate *m, const char *incident,
    const char *action, const struct mit_rule *r, unsigned ttl_s,
    int64_t now_s, const struct mit_entry **out, char *errbuf);
/*
 * Withdraw every announcement of incident/action that is not withdrawn
 * yet (why: "lifted"): journal the withdrawal, ask the speaker, journal
 * its answer. *n (may be NULL) is how many. 0 when the speaker accepted
 * each, else -1 with errbuf.
 */
int mitigate_withdraw(struct mitigate *m, const char *incident,
    const char *action, const char *why, int64_t now_s, size_t *n,
    char *errbuf);

/* Whether incident/action still wants its announcements (the caller's
 * view of the incident journals): 1 yes, 0 lifted or closed. */
typedef int (*mit_wanted_fn)(void *arg, const char *incident,
    const char *action);

struct mit_reconcile {
	size_t confirmed;	/* pending, found in the RIB: now active */
	size_t expired;		/* withdrawn (or to be) for their TTL */
	size_t lifted;		/* withdrawn (or to be): action lifted */
	size_t gone;		/* journal said withdrawing: not in the RIB */
	size_t missing;		/* wanted, not in the RIB */
	size_t reannounced;	/* of those, announced again (repair) */
	size_t leftover;	/* in the RIB, not in the journal */
	size_t failed;		/* speaker commands that failed */
};

/*
 * Compare the journal with the speaker's RIB at now_s. Each finding is
 * printed to report (may be NULL), one line each. With repair: withdraw
 * what expired, was lifted (wanted says so; NULL: nothing lifted) or is
 * half-withdrawn, and announce again what is missing; without, only
 * report (and journal what the RIB proves: confirmed, gone). Left-over
 * routes (ours in form, unknown to the journal) are reported, never
 * touched. 0, or -1 with errbuf when the RIB could not be read or a
 * repair failed.
 */
int mitigate_reconcile(struct mitigate *m, int64_t now_s, int repair,
    mit_wanted_fn wanted, void *arg, FILE *report, struct mit_reconcile *out,
    char *errbuf);

/* Write the entries not withdrawn (or all) as JSON to f. */
void mitigate_list_json(const struct mitigate *m, FILE *f, int64_t now_s,
    int all);

#endif
