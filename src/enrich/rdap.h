/*
 * rdap.h -- who registered a domain and who answers for an address, from
 * RDAP (RFC 9083 JSON responses, RFC 9082 queries, RFC 7480 HTTP usage),
 * the server found through IANA's bootstrap files (RFC 9224: dns.json,
 * ipv4.json, ipv6.json).
 *
 * Queries are blocking (libcurl easy interface): this is for the command
 * line and a worker, never the screen's thread. Each query:
 *   - HTTPS with certificate and host name checks (rdap-ca adds a CA
 *     file); plain http only where the bootstrap file itself names an
 *     http:// server (a local mirror or a test);
 *   - at most rdap-timeout ms in all, RDAP_MAX_BYTES of body (more is cut
 *     and reported, never parsed);
 *   - redirects (RFC 7480 5.2) followed only to the same scheme, host and
 *     port, at most RDAP_MAX_REDIRECTS; a redirect elsewhere is reported
 *     with its target, not followed;
 *   - sent no sooner than 60000/rdap-rate ms after the previous one
 *     (a count per minute, as registries state their limits).
 * Answers are cached for the life of the struct rdap: a domain by name, an
 * address by the network range the answer gave.
 *
 * Responses are hostile: the JSON is parsed by jansson, then every string
 * kept is validated where it has a shape (e-mail, phone, dates, names of
 * servers) and sanitized (text_sanitize) otherwise; entity nesting is
 * followed RDAP_MAX_DEPTH deep, at most RDAP_MAX_ENTITIES per level.
 */
#ifndef KYOCHO_RDAP_H
#define KYOCHO_RDAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"

#define RDAP_MAX_BYTES		(1024 * 1024)
#define RDAP_MAX_REDIRECTS	3
#define RDAP_MAX_DEPTH		4
#define RDAP_MAX_ENTITIES	32
#define RDAP_MAX_NS		13
#define RDAP_TEXT		128
#define RDAP_URL		512

enum rdap_status {
	RDAP_OK = 0,
	RDAP_NOTFOUND,		/* 404: the registry has no such object */
	RDAP_NOSERVER,		/* the bootstrap names no server for it */
	RDAP_HTTP,		/* another HTTP status */
	RDAP_TOOBIG,		/* over RDAP_MAX_BYTES: cut */
	RDAP_TIMEOUT,		/* no complete answer within rdap-timeout */
	RDAP_REDIRECT,		/* a redirect not followed */
	RDAP_BAD,		/* not an RDAP response we can read */
	RDAP_ERROR,		/* anything else (TLS, connection; see err) */
};

/* Where an answer came from and when (every result carries one). */
struct rdap_meta {
	enum rdap_status status;
	char err[192];			/* why, for status != RDAP_OK */
	char url[RDAP_URL];		/* the URL asked (sanitized) */
	char at[32];			/* RFC 3339 UTC, when the answer came */
	int cached;			/* served from this run's cache */
	unsigned cut;			/* strings or items dropped as invalid
					 * or over the bounds */
};

struct rdap_domain {
	struct rdap_meta m;
	char name[254];			/* ldhName, lower case */
	char registrar[RDAP_TEXT];	/* the registrar entity's fn */
	char registrar_id[16];		/* its IANA Registrar ID, "" if none */
	char abuse_email[256];		/* the registrar's abuse entity */
	char abuse_phone[64];
	char created[32];		/* "registration" event, RFC 3339 */
	char ns[RDAP_MAX_NS][254];	/* nameservers' ldhName */
	size_t nns;
};

struct rdap_ip {
	struct rdap_meta m;
	char handle[64];
	char name[RDAP_TEXT];
	char country[3];
	struct addr start, end;		/* the network's range */
	char abuse_email[256];		/* the "abuse" role entity */
	char abuse_phone[64];
	char abuse_name[RDAP_TEXT];
};

/*
 * What the client is told (kyocho.conf(5) rdap-*; filled by the settings
 * layer). Strings are borrowed for rdap_new(); NULL bootstrap files are
 * simply absent (queries of that kind answer RDAP_NOSERVER).
 */
struct rdap_settings {
	const char *bootstrap_dns;	/* rdap-bootstrap */
	const char *bootstrap_ipv4;	/* rdap-bootstrap-ipv4 */
	const char *bootstrap_ipv6;	/* rdap-bootstrap-ipv6 */
	const char *ca_file;		/* rdap-ca; NULL: the system's */
	unsigned timeout_ms;		/* per query, all in; 0: 10000 */
	unsigned rate;			/* queries per minute; 0: 60 */
};

struct rdap;

/* NULL with errbuf filled when a bootstrap file is unreadable or not an
 * RFC 9224 file. Free with rdap_free(). */
struct rdap *rdap_new(const struct rdap_settings *s, char *errbuf);
void rdap_free(struct rdap *r);

/* Ask; the result says how it went (out->m.status). */
void rdap_domain(struct rdap *r, const char *domain, struct rdap_domain *out);
void rdap_ip(struct rdap *r, const struct addr *a, struct rdap_ip *out);

struct rdap_stats {
	uint64_t queries, cache_hits, failed;
};
void rdap_stats(const struct rdap *r, struct rdap_stats *st);
const char *rdap_status_name(enum rdap_status s);

/*
 * The parsers, for tests and fuzzing: body (len bytes, untrusted) into
 * out (its meta left as is but cut). Returns 0, or -1 with out->m.err
 * filled and status RDAP_BAD.
 */
int rdap_parse_domain(const uint8_t *body, size_t len,
    struct rdap_domain *out);
int rdap_parse_ip(const uint8_t *body, size_t len, struct rdap_ip *out);
/* The base URL for domain in an RFC 9224 dns.json (body, len), longest
 * label match, into url; 0, or -1 if none. */
int rdap_bootstrap_dns(const uint8_t *body, size_t len, const char *domain,
    char *url, size_t urllen);

#endif
