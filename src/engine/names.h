/*
 * names.h -- reverse names (PTR) for the screens, asked over DNS without
 * ever blocking.
 *
 * The origin AS and country (Team Cymru, dns_origin) are asked the same
 * way, only for addresses the caller found no AS for in the prefix data.
 *
 * A fixed table of NAMES_SLOTS addresses with clock (second-chance)
 * eviction. A screen asks names_get() while it draws; an address not in
 * the table is asked once (dns_ptr) and shows as pending until its answer
 * comes in through names_process() in the shell's loop. Names are
 * validated and sanitised by src/enrich/dns.c; they are sanitised again
 * here before they are stored. One thread (the shell's), which also owns
 * the resolver (names_start); the screens see DNS only through here.
 */
#ifndef KYOCHO_NAMES_H
#define KYOCHO_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"

struct options;
struct pollfd;

#define NAMES_SLOTS	256
#define NAMES_MAX_FDS	16	/* descriptors names_pollfds() may fill */

enum names_state {
	NAMES_OFF = 0,		/* no DNS (--no-dns, or it could not start) */
	NAMES_PENDING,		/* asked, no answer yet */
	NAMES_OK,		/* buf holds the name */
	NAMES_NONE,		/* no name (NXDOMAIN, timeout, ...) */
};

/*
 * Start the resolver with o's dns.* settings (names owns it) and an empty
 * table. Returns 0, or -1 with errbuf saying why names stay off.
 */
int names_start(const struct options *o, char *errbuf);
/* Stop the resolver and forget the table (names are off after). */
void names_stop(void);
/* The resolver's descriptors for poll(2) into pfd (at most max); returns
 * how many, 0 when names are off. */
int names_pollfds(struct pollfd *pfd, int max);
/* Milliseconds until the resolver's next timer, or -1 for none. */
int names_timeout_ms(void);
/* Let the resolver read what poll(2) found in pfd[0..n) (n 0: only
 * timers) and store the answers. */
void names_process(struct pollfd *pfd, int n);
/* The name of a into buf (len bytes); asks for it if not known. */
enum names_state names_get(const struct addr *a, char *buf, size_t len);
/* The origin AS and country ("" if none) of a; asks if not known. */
enum names_state names_origin(const struct addr *a, uint32_t *asn,
    char country[3]);
/* 1 if an answer arrived since the last call (the screen should paint). */
int names_changed(void);
/* 1 if names are asked at all (DNS is on). */
int names_enabled(void);
/* Questions asked and not yet answered. */
size_t names_pending(void);

#endif
