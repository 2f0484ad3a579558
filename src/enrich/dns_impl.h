/*
 * dns_impl.h -- the resolver's insides, shared by the files of module dns
 * (not for other modules: they use dns.h):
 *   dns.c        the c-ares driver: requests, rate, polling, delivery;
 *   dns_parse.c  the answer parsers (hostile input; fuzz_dnstxt drives
 *                them) and question names;
 *   dns_cache.c  the answer cache.
 */
#ifndef KYOCHO_DNS_IMPL_H
#define KYOCHO_DNS_IMPL_H

#include <ares.h>
#include <stdint.h>
#include <time.h>

#include "enrich/dns.h"

#define DNS_MAX_PENDING	4096	/* questions waiting to be sent */
#define DNS_MAX_INFLIGHT 64	/* questions sent, unanswered */
#define CACHE_MAX	4096
#define CACHE_BUCKETS	8192
#define NEG_TTL		60	/* seconds a "no such name" is kept */
#define MAX_TTL		86400
#define TXT_MAX		1024	/* bytes of one TXT record, all strings */
#define QNAME_MAX	300

struct req {
	char key[QNAME_MAX + 8];	/* "TYPE QNAME" */
	char qname[QNAME_MAX];
	int qtype;
	struct dns_result res;
	dns_cb cb;
	void *arg;
	struct dns *d;
	struct req *next;		/* in pending or ready */
	struct req *waiters;		/* same question, while in flight */
};

struct centry {
	char key[QNAME_MAX + 8];
	uint64_t hash;
	struct dns_result res;
	int64_t expires;		/* monotonic ms */
	struct centry *hnext;
	struct centry *prev, *next;	/* LRU: head is the most recent */
};

struct sockst {
	ares_socket_t fd;
	short events;
};

struct dns {
	ares_channel ch;
	char zone_origin[256], zone_origin6[256], zone_asname[256];
	char zone_abuse[256];

	struct req *pend_head, *pend_tail;
	size_t npending;
	struct req *ready_head, *ready_tail;
	size_t nready;
	struct req *inflight[DNS_MAX_INFLIGHT];
	size_t ninflight;

	double tokens, rate;
	int64_t refill_ms;

	struct sockst socks[DNS_MAX_FDS];
	size_t nsocks;

	struct centry *buckets[CACHE_BUCKETS];
	struct centry *lru_head, *lru_tail;
	size_t ncached;

	int closing;
	struct dns_stats st;
};

/* dns_parse.c */
/* A short, safe rendering of untrusted bytes for an error message. */
const char *dns_shown(char *buf, size_t len, const char *s, size_t n);
/* 1 if msg's question section is exactly qname/qtype/IN. */
int dns_question_matches(const uint8_t *msg, size_t len, const char *qname,
    int qtype);

/* dns_cache.c */
/* The live entry for key (made the most recent), or NULL. */
struct centry *dns_cache_get(struct dns *d, const char *key);
/* Keep res for ttl seconds (0: not at all), dropping the least recent
 * entry when the cache is full. */
void dns_cache_put(struct dns *d, const char *key,
    const struct dns_result *res, uint32_t ttl);

#endif
