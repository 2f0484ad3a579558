/*
 * thresholds.h -- what detection is told (struct detect_settings): the
 * thresholds per destination, the prefix groups that override them, the
 * home prefixes, the quiet period, and the neighbour and peer settings that
 * name an alert's ingress. The settings layer fills one from the
 * configuration (config_detect_settings(), settings/config.h); detection
 * never reads the configuration itself.
 *
 * The lookups here are the rules over those settings: which thresholds
 * apply to a destination, whether an address is ours, who a MAC or a link
 * belongs to.
 */
#ifndef KYOCHO_THRESHOLDS_H
#define KYOCHO_THRESHOLDS_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"

#define MAX_GROUP_PREFIXES 32
#define CONTACT_ID_MAX	64	/* kyocho-contacts(5): an id's length */

/* Detection thresholds per destination, per second. 0 disables one. */
enum threshold_id {
	THR_PPS = 0,
	THR_BPS,
	THR_SYN,
	THR_UDP,
	THR_ICMP,
	THR_FRAG,
	THR_COUNT
};

struct thresholds {
	uint64_t v[THR_COUNT];
	uint8_t set[THR_COUNT];	/* 1 where given explicitly */
	uint8_t cli[THR_COUNT];	/* 1 where the command line gave it */
};

/* A "[group NAME]" of the configuration: its thresholds apply to
 * destinations inside its prefixes. */
struct prefix_group {
	char name[64];
	struct prefix prefixes[MAX_GROUP_PREFIXES];
	size_t nprefixes;
	struct thresholds thr;	/* only the set[] ones override */
};

/*
 * Who hands us an attack's packets (detect.c's ingress): a neighbour's
 * router known by its MAC (neighbour = MAC=ASN[:CONTACT-ID]), or the one
 * neighbour at the far end of a link (peer = LINK=ASN[:CONTACT-ID], a
 * private interconnect).
 */
struct neighbourdef {
	char link[64];		/* peer: the link's name; "" for neighbour */
	uint8_t mac[6];		/* neighbour: its router's MAC */
	uint32_t asn;		/* the neighbour's AS */
	char contact[CONTACT_ID_MAX + 1];	/* a contact id, "" = none */
};

/*
 * A detector's settings. The arrays are borrowed: whoever fills this keeps
 * them alive as long as the detector (the configuration's struct options).
 */
struct detect_settings {
	struct thresholds thr;		/* defaults, overridden by groups */
	const struct prefix_group *groups;
	size_t ngroups;
	const struct prefix *home;	/* our prefixes; none: direction unknown */
	size_t nhome;
	unsigned quiet_s;		/* alert ends after this many quiet seconds */
	const struct neighbourdef *neighbours;	/* neighbour = MAC=... */
	size_t nneighbours;
	const struct neighbourdef *peers;	/* peer = LINK=... */
	size_t npeers;
};

/*
 * Thresholds that apply to destination a: the first prefix group holding a
 * overrides the global ones key by key (not those the command line gave).
 */
void detect_thresholds_for(const struct detect_settings *s,
    const struct addr *a, struct thresholds *out);

/* 1 if a is inside one of the home prefixes. */
int detect_is_home(const struct detect_settings *s, const struct addr *a);

/* The neighbour setting naming this MAC, or NULL. */
const struct neighbourdef *detect_neighbour(const struct detect_settings *s,
    const uint8_t mac[6]);
/* The peer setting of the link called `link`, or NULL. */
const struct neighbourdef *detect_peer(const struct detect_settings *s,
    const char *link);

#endif
