/*
 * evidence.h -- reading an evidence event's route: the neighbours that
 * handed the attack to us ("ingress" in the journal, man kyocho-journal(5))
 * and the move from one to another, for the report, drafts and screens.
 *
 * The event is hostile input (a journal anyone may have edited): lists
 * are capped, numbers clamped, every string made safe for a terminal or
 * a mail body before it is written out.
 */
#ifndef KYOCHO_EVIDENCE_H
#define KYOCHO_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "base/json.h"

#define EVIDENCE_HOPS	8
/* A neighbour first seen this much after the first one took over (or
 * joined): a route change, not two links carrying it from the start. */
#define EVIDENCE_MOVE_US	(5 * 1000000LL)

/* One neighbour of an evidence event. Strings point into the event's
 * tree (unsanitized; NULL when absent). */
struct evidence_hop {
	const char *link, *mac, *contact;
	uint32_t asn;			/* 0 unknown */
	uint64_t packets;
	unsigned share_pm;		/* 0..1000 */
	int64_t first_us, last_us;	/* 0 unknown */
};

/* The ingress list of evidence event ev (the event's whole object), in
 * the journal's order (most packets first), at most max. Returns the
 * count (0 when there is none). */
size_t evidence_hops(const struct json *ev, struct evidence_hop *out,
    size_t max);

/*
 * One line naming hop h, sanitized: "peering-A AS64497 example-peer-a
 * 52 %" (what is unknown is left out; the MAC stands in for a link with
 * neither AS nor contact). Returns buf.
 */
char *evidence_hop_name(const struct evidence_hop *h, char *buf, size_t len);

/*
 * The route of ev in one line, sanitized: its neighbours in the order they
 * were first seen, each with its share and first and last packet (UTC,
 * HH:MM:SS), joined by " -> " when one took over from another (it was
 * first seen EVIDENCE_MOVE_US or more after the first one's first packet)
 * and "; " otherwise; "-" when
 * the event names no neighbour. Returns buf.
 */
char *evidence_route(const struct json *ev, char *buf, size_t len);

/* 1 if the neighbours of ev changed hands: two or more, and one was first
 * seen EVIDENCE_MOVE_US or more after the earliest one's first packet. */
int evidence_route_moved(const struct json *ev);

#endif
