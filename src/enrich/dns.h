/*
 * dns.h -- asynchronous enrichment lookups over DNS with c-ares.
 *
 * Four kinds of question, each about one address (or one AS):
 *   DNS_PTR     reverse name (in-addr.arpa / ip6.arpa PTR);
 *   DNS_ORIGIN  origin AS, prefix and country, Team Cymru TXT format at
 *               dns.cymru-zone (origin.asn.cymru.com) for IPv4 and
 *               dns.cymru6-zone (origin6.asn.cymru.com) for IPv6;
 *   DNS_ASNAME  AS name, "ASnnn.<dns.asname-zone>" (asn.cymru.com) TXT;
 *   DNS_ABUSE   abuse contacts, abusix TXT format at dns.abusix-zone
 *               (abuse-contacts.abusix.zone);
 *   DNS_A, DNS_AAAA  the addresses of a host name (dns_host()).
 *
 * The caller owns the event loop: it polls the descriptors dns_pollfds()
 * gives, for at most dns_timeout_ms(), then calls dns_process(). Nothing
 * here blocks. Results are delivered by callbacks from inside dns_process(),
 * on its thread, never from inside the dns_* call that asked (a cache hit is
 * delivered on the next dns_process()). A struct dns is used by one thread.
 *
 * Questions go out at most dns.rate per second with a bounded number in
 * flight; the rest wait in a bounded queue. Answers are cached by question
 * for their TTL (at most a day; negative answers a minute), in a bounded
 * LRU cache. Answers are untrusted: every field is validated, bounded and
 * sanitized (text_sanitize) before a callback sees it.
 */
#ifndef KYOCHO_DNS_H
#define KYOCHO_DNS_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"

struct dns;

#define DNS_NAME_MAX	256	/* a host name, with its NUL */
#define DNS_TEXT_MAX	128	/* an AS name */
#define DNS_ABUSE_MAX	256	/* abuse addresses, ", "-separated */
#define DNS_MAX_ORIGINS	8	/* origin ASes kept from one answer */
#define DNS_MAX_FDS	16	/* descriptors dns_pollfds() may return */
#define DNS_MAX_ADDRS	16	/* addresses kept from one A/AAAA answer */

enum dns_kind {
	DNS_PTR = 0,
	DNS_ORIGIN,
	DNS_ASNAME,
	DNS_ABUSE,
	DNS_A,
	DNS_AAAA,
	DNS_NKINDS
};

enum dns_status {
	DNS_OK = 0,
	DNS_NXDOMAIN,		/* the name does not exist */
	DNS_NODATA,		/* the name exists, without this record */
	DNS_SERVFAIL,		/* the server could not answer */
	DNS_REFUSED,		/* refused, or an unusable reply */
	DNS_TIMEOUT,		/* no answer in time */
	DNS_BAD,		/* an answer came but nothing in it is valid */
	DNS_ERROR,		/* anything else (see err) */
};

struct dns_result {
	enum dns_kind kind;
	enum dns_status status;
	struct addr addr;		/* the address asked about */
	uint32_t asked_asn;		/* DNS_ASNAME: the AS asked about */
	int cached;			/* served from the cache */
	uint32_t ttl;			/* seconds the answer may be kept */
	char err[128];			/* why, for status != DNS_OK */

	/* DNS_PTR: a validated host name (no trailing dot). DNS_A/AAAA:
	 * the name asked about. */
	char name[DNS_NAME_MAX];

	/* DNS_ORIGIN: the record with the most specific prefix. */
	uint32_t asns[DNS_MAX_ORIGINS];	/* origin ASes, first is asns[0] */
	size_t nasns;
	struct prefix pfx;		/* the announced prefix */
	char country[3];		/* "" if the record had none */
	char registry[16];		/* "arin", "ripencc", ... or "" */

	/* DNS_ASNAME: country and registry above, and the name. */
	char as_name[DNS_TEXT_MAX];

	/* DNS_ABUSE: valid addresses only, joined by ", ". */
	char abuse[DNS_ABUSE_MAX];

	/* DNS_A, DNS_AAAA: the addresses of the answer, in its order,
	 * without duplicates (the rest of a longer answer is dropped). */
	struct addr addrs[DNS_MAX_ADDRS];
	size_t naddrs;
};

/* Called from dns_process(); r is valid only during the call. */
typedef void (*dns_cb)(const struct dns_result *r, void *arg);

/*
 * What a resolver is told (kyocho.conf(5) dns.*; filled by the settings
 * layer, config_enrich_settings()). Strings are borrowed for the call to
 * dns_new(), which copies what it keeps; NULL means the default.
 */
struct dns_settings {
	const char *server;	/* dns.server: ADDR[:PORT], [V6]:PORT; NULL:
				 * /etc/resolv.conf */
	const char *cymru_zone;	/* origin.asn.cymru.com */
	const char *cymru6_zone;	/* origin6.asn.cymru.com */
	const char *asname_zone;	/* asn.cymru.com */
	const char *abusix_zone;	/* abuse-contacts.abusix.zone */
	unsigned rate;		/* questions sent per second; 0: 50 */
	unsigned timeout_ms;	/* per question */
};

/*
 * A resolver with settings s. NULL with errbuf filled on failure (an
 * unusable server address, c-ares could not start). Free with dns_free(),
 * which drops outstanding questions without calling their callbacks.
 */
struct dns *dns_new(const struct dns_settings *s, char *errbuf);
void dns_free(struct dns *d);

/*
 * Ask. Returns 0 when queued (cb will be called exactly once), or -1 when
 * the queue is full (DNS_MAX_PENDING) or a is not an address.
 */
int dns_ptr(struct dns *d, const struct addr *a, dns_cb cb, void *arg);
int dns_origin(struct dns *d, const struct addr *a, dns_cb cb, void *arg);
int dns_asname(struct dns *d, uint32_t asn, dns_cb cb, void *arg);
int dns_abuse(struct dns *d, const struct addr *a, dns_cb cb, void *arg);
/* The A (family 4) or AAAA (6) records of host, a host name as
 * validate_hostname() takes it (-1 otherwise). Never a search domain. */
int dns_host(struct dns *d, const char *host, int family, dns_cb cb,
    void *arg);

/* Descriptors to poll (at most max, DNS_MAX_FDS is always enough). */
int dns_pollfds(struct dns *d, struct pollfd *fds, int max);
/* Milliseconds until dns_process() must run even without events; -1 if
 * nothing is outstanding, 0 if results are ready. */
int dns_timeout_ms(struct dns *d);
/* Handle fds (from dns_pollfds(), with revents) and due timers, send
 * what the rate allows, and deliver finished results. fds may be NULL. */
void dns_process(struct dns *d, const struct pollfd *fds, int nfds);
/* Questions not yet delivered (queued, in flight, or ready). */
size_t dns_outstanding(const struct dns *d);
/* For a command-line caller that may block: run the loop above until
 * nothing is outstanding or the monotonic clock (mono_ms) passes
 * deadline_ms. Never from a screen's thread. */
void dns_wait(struct dns *d, int64_t deadline_ms);

struct dns_stats {
	uint64_t asked, sent, cache_hits, answered, failed, bad;
	size_t pending, inflight, cached;
};
void dns_stats(const struct dns *d, struct dns_stats *st);

const char *dns_status_name(enum dns_status s);
const char *dns_kind_name(enum dns_kind k);

/*
 * The parsers, exposed for tests and fuzzing. Each takes the strings of
 * one TXT record concatenated (record, len bytes, untrusted) and fills the
 * matching fields of r. Returns 0 or -1 with r->err saying what is wrong.
 * dns_parse_origin also checks that the prefix holds r->addr.
 */
int dns_parse_origin(const uint8_t *record, size_t len, struct dns_result *r);
int dns_parse_asname(const uint8_t *record, size_t len, struct dns_result *r);
int dns_parse_abuse(const uint8_t *record, size_t len, struct dns_result *r);
/* Smallest TTL of the answer records of a DNS message (RFC 1035 4.1);
 * 0 and -1 if the message is malformed. */
int dns_answer_ttl(const uint8_t *msg, size_t len, uint32_t *ttl);
/* The question name for kind about a (or asn), under zone. Returns 0/-1. */
int dns_qname(enum dns_kind kind, const struct addr *a, uint32_t asn,
    const char *zone, char *buf, size_t len);

#endif
