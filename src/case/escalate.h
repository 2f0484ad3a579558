/*
 * escalate.h -- who to tell about an attack, best first: the ranking of
 * counterparts by what the attack's evidence says (issue 13), used by the
 * terminal, the CLI (`kyocho contacts --for-alert`) and reports.
 *
 * The input is a small description of the attack (struct esc_evidence),
 * independent of detection's internals; the output is an ordered list of
 * suggestions, each a contact record (or a synthetic entry for an abuse
 * address found over DNS when no record matches) with a role and a
 * one-line reason. Tiers, best first:
 *
 *   spoofing medium/high  ingress neighbours' contacts (by share), our
 *                         national CSIRT / PoC, the neighbours' countries'
 *                         national CSIRTs; source-based contacts below.
 *   amplification         the reflectors' networks grouped by origin AS,
 *                         each with only its own reflectors; then their
 *                         national CSIRTs.
 *   outbound              our customer holding the source; the victim's
 *                         network; the victim's national CSIRT.
 *   any inbound           the target's customer record (notice).
 *   phishing              the hosting network's abuse desk per address
 *                         of the site (records of kind hosting and other
 *                         networks by prefix or AS, else the DNS abuse
 *                         address); the registrar's abuse desk (a
 *                         registrar record by name or abuse address, else
 *                         the RDAP abuse address); the national CSIRTs
 *                         of the hosting countries; anti-phishing groups
 *                         (anti-abuse records: APWG); our national CSIRT.
 *   always last           forums: NOGs, RIRs, FIRST, ISACs, anti-abuse.
 *
 * Within a tier: open now before closed, then awake before asleep
 * (contact_status_cmp, the rule contacts_match() also applies), then the better match, then file
 * order. Each contact appears once, at its best tier.
 */
#ifndef KYOCHO_ESCALATE_H
#define KYOCHO_ESCALATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "contacts/contacts.h"

enum esc_kind {
	ESC_SYN_FLOOD = 0,
	ESC_UDP_FLOOD,
	ESC_AMPLIFICATION,
	ESC_ICMP_FLOOD,
	ESC_FRAGMENT_FLOOD,
	ESC_MIXED,
	ESC_PHISHING,
	ESC_OTHER,
};

enum esc_direction { ESC_INBOUND = 0, ESC_OUTBOUND, ESC_DIR_UNKNOWN };

enum esc_spoof {
	ESC_SPOOF_NONE = 0,
	ESC_SPOOF_LOW,
	ESC_SPOOF_MEDIUM,
	ESC_SPOOF_HIGH,
};

/* A neighbour that hands the attack's packets to us. Strings may be NULL
 * (unknown); asn 0 is unknown. */
struct esc_ingress {
	const char *link;	/* our link's name ("peering-A") */
	const char *mac;	/* the neighbour router's MAC */
	uint32_t asn;
	const char *contact;	/* contact id named by `neighbour`/`peer` */
	uint64_t packets;
	double share;		/* 0..1 of the attack's packets */
};

/* A top source (a reflector, for amplification; our host, outbound). */
struct esc_source {
	struct addr addr;
	uint32_t asn;		/* origin AS, 0 unknown */
	char country[3];	/* "" unknown */
	const char *abuse;	/* abuse address found over DNS, or NULL */
	uint64_t packets;
	double share;
};

struct esc_evidence {
	enum esc_kind kind;
	enum esc_direction direction;
	enum esc_spoof spoof;
	int has_target;
	struct addr target;
	uint32_t target_asn;		/* 0 unknown */
	char target_country[3];		/* "" unknown */
	const char *target_abuse;	/* abuse address over DNS, or NULL */
	uint16_t port;			/* reflector port, 0 unknown */
	const struct esc_ingress *ingress;	/* best first */
	size_t ningress;
	const struct esc_source *sources;	/* heaviest first */
	size_t nsources;
	char our_country[3];		/* "" unknown */
	int64_t at;			/* seconds since the epoch */
	/* Phishing: the site's addresses are sources[] (or the target when
	 * there are none); the domain's registrar and its abuse address
	 * (RDAP), NULL or "" when unknown. */
	const char *registrar;
	const char *registrar_abuse;
};

enum esc_role {
	ROLE_INGRESS_PEER = 0,	/* neighbour that hands us the attack */
	ROLE_NATIONAL_CSIRT,	/* our own country's CSIRT / PoC */
	ROLE_PEER_CSIRT,	/* a neighbour's country's CSIRT */
	ROLE_REFLECTOR_NETWORK,
	ROLE_REFLECTOR_CSIRT,
	ROLE_CUSTOMER,		/* our customer holding the source */
	ROLE_VICTIM_NETWORK,
	ROLE_VICTIM_CSIRT,
	ROLE_TARGET_CUSTOMER,	/* the attacked customer: a notice */
	ROLE_SOURCE_NETWORK,
	ROLE_SOURCE_CSIRT,
	ROLE_FORUM,
	ROLE_HOSTING,		/* the network hosting a phishing site */
	ROLE_REGISTRAR,		/* the registrar of its domain */
	ROLE_HOSTING_CSIRT,	/* the national CSIRT of the hosting country */
	ROLE_ANTI_PHISHING,	/* APWG and other anti-phishing groups */
	ROLE_COUNT
};

struct esc_suggestion {
	/* The record (and its index in the database), or NULL for a
	 * synthetic entry: an abuse address found over DNS for AS asn. */
	const struct contact *c;
	size_t index;
	enum esc_role role;
	int tier;			/* 0 is best */
	char reason[256];		/* one line, English */
	char to[256];			/* recipient; "" if none is known */
	uint32_t asn;			/* the network's AS, 0 if none */
	char country[3];
	/* Reflectors (or sources) of this network only; owned. */
	struct addr *addrs;
	size_t naddrs;
	uint64_t packets;		/* of those addresses or that link */
	double share;
	struct contact_status st;	/* c's state at the evidence's time */
};

/*
 * Rank counterparts in db (valid records only) for e. Returns how many and
 * a new array in *out (free with escalate_free; NULL when 0).
 */
size_t escalate_rank(const struct contacts *db, const struct esc_evidence *e,
    struct esc_suggestion **out);
void escalate_free(struct esc_suggestion *s, size_t n);

/*
 * An alert object as `summary --json` and `--alerts` write it (detect.c,
 * detect_alert_json), read into evidence: target, target_asn,
 * target_country, kind, direction, spoofing_level, reflector_port,
 * top_sources [{addr, asn, country, packets, share, abuse}] and, when
 * present, ingress [{link, mac, asn, contact, packets, share}] and
 * target_abuse. The JSON tree is hostile input: unknown words become
 * "other"/"unknown"/"none", bad addresses and country codes are skipped,
 * at most ESC_MAX entries of each list are read. Strings point into the
 * tree, which must outlive the evidence. Returns 0, or -1 with errbuf
 * filled if alert is not an object.
 */
#define ESC_MAX 64
struct esc_alert {
	struct esc_evidence e;
	struct esc_ingress ingress[ESC_MAX];
	struct esc_source sources[ESC_MAX];
};
struct json;
int escalate_from_alert_json(const struct json *alert, struct esc_alert *out,
    char *errbuf);

/* "ingress-peer", "national-csirt", ... */
const char *escalate_role_name(enum esc_role r);
/* The evidence's words, as in alert JSON ("syn_flood", "outbound",
 * "high"); -1 if unknown. */
int escalate_kind_parse(const char *s);
int escalate_direction_parse(const char *s);
int escalate_spoof_parse(const char *s);

/*
 * Write the suggestions as a JSON array, best first: each object has id
 * (null for a synthetic entry), org, kind, role, reason, to, languages,
 * local_time, open, and more (see kyocho(1), contacts --for-alert).
 */
struct jsonw;
void escalate_json(struct jsonw *w, const struct esc_suggestion *s, size_t n,
    int64_t at);

#endif
