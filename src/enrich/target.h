/*
 * target.h -- what an operator asks `kyocho lookup` about: an address, a
 * host name or a URL (RFC 3986 scheme://[userinfo@]host[:port]/path), the
 * registered domain of a host name from the Public Suffix List (libpsl
 * with Debian's publicsuffix list, never a hand-made one), and defanged
 * renderings (hxxps://, [.]) for text that a person might click.
 *
 * Host names are ASCII: an IDN must be given in its A-label (xn--) form;
 * a non-ASCII host is refused with a message saying so.
 */
#ifndef KYOCHO_TARGET_H
#define KYOCHO_TARGET_H

#include <stddef.h>

#include "base/addr.h"

#define TARGET_HOST_MAX	254	/* a host name, with its NUL */
#define TARGET_URL_MAX	1024

struct target {
	int is_addr;			/* an address (bare or in a URL) */
	struct addr addr;		/* if is_addr */
	char host[TARGET_HOST_MAX];	/* lower case, no trailing dot; the
					 * address's text if is_addr */
	char url[TARGET_URL_MAX];	/* the URL as given, "" for a bare
					 * host or address */
	char scheme[16];		/* "https", "" if none */
	unsigned port;			/* 0 if none given */
	char regdom[TARGET_HOST_MAX];	/* registered domain, "" if none (an
					 * address, or host is a public suffix) */
};

/*
 * Parse arg (an operator's argument, untrusted: it may come from a
 * phishing report). Returns 0, or -1 with errbuf (ERRBUF_SIZE) saying what
 * is wrong. regdom is left empty: see target_psl_regdom().
 */
int target_parse(const char *arg, struct target *t, char *errbuf);

/*
 * The Public Suffix List. target_psl_open() loads the newest of the
 * system's list (libpsl's psl_latest: /usr/share/publicsuffix) and the
 * built-in one; NULL with errbuf filled if neither can be had. source
 * names the file (for "where did this come from"). Free with
 * target_psl_free().
 */
struct target_psl;
struct target_psl *target_psl_open(char *errbuf);
void target_psl_free(struct target_psl *p);
const char *target_psl_source(const struct target_psl *p);
/* Fill t->regdom from t->host (nothing for an address). Returns 0 if a
 * registered domain was found, -1 if host is a public suffix itself. */
int target_psl_regdom(const struct target_psl *p, struct target *t);


#endif
