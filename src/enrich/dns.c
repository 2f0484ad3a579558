/*
 * dns.c -- enrichment lookups with c-ares, driven by the caller's poll loop.
 * See dns.h.
 *
 * Formats: DNS messages (RFC 1035; TXT strings RFC 1035 3.3.14, several
 * strings of one record are concatenated, RFC 7208 3.3 style), reverse
 * names (RFC 1035 3.5, RFC 3596 2.5), Team Cymru's IP-to-ASN TXT
 * ("ASN [ASN...] | PREFIX | CC | REGISTRY | DATE" and
 * "ASN | CC | REGISTRY | DATE | NAME"), abusix's abuse-contacts TXT
 * (comma-separated RFC 5322 addr-specs).
 *
 * c-ares 1.18 (Debian 12): ares_query (never ares_search, so no search
 * domain is appended), ARES_OPT_SOCK_STATE_CB to learn the descriptors,
 * ares_timeout + ares_process_fd to drive it, ares_parse_txt_reply_ext
 * (one node per string; record_start marks a new record).
 *
 * Data: requests wait in a FIFO (pending) until the token bucket and the
 * in-flight bound let them go; a question already in flight collects the
 * same questions as waiters; finished requests wait in a FIFO (ready) to
 * be delivered at the end of dns_process(). The cache is a chained hash
 * keyed by "TYPE QNAME" with an LRU list, bounded to CACHE_MAX entries.
 */
#include "enrich/dns.h"

#include <ares.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/rd.h"
#include "base/util.h"
#include "base/validate.h"

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

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
dns_status_name(enum dns_status s)
{
	static const char *const names[] = {
		"ok", "nxdomain", "nodata", "servfail", "refused", "timeout",
		"bad-answer", "error",
	};

	return (size_t)s < NITEMS(names) ? names[s] : "?";
}

const char *
dns_kind_name(enum dns_kind k)
{
	static const char *const names[] = { "ptr", "origin", "asname",
	    "abuse" };

	return (size_t)k < NITEMS(names) ? names[k] : "?";
}

/* ---- validation and parsing of answers --------------------------------- */

/* Split rec at sep into trimmed fields (at most max; the last one takes
 * the rest). Returns the number of fields. */
static size_t
split(const char *rec, size_t len, char sep, const char **f, size_t *fl,
    size_t max)
{
	size_t n = 0, start = 0, i;

	for (i = 0; i <= len && n < max; i++) {
		if (i < len && (rec[i] != sep || n == max - 1))
			continue;
		f[n] = rec + start;
		fl[n] = i - start;
		while (fl[n] > 0 && (*f[n] == ' ' || *f[n] == '\t')) {
			f[n]++;
			fl[n]--;
		}
		while (fl[n] > 0 && (f[n][fl[n] - 1] == ' ' ||
		    f[n][fl[n] - 1] == '\t'))
			fl[n]--;
		n++;
		start = i + 1;
	}
	return n;
}

static int
num_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v == 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/*
 * Empty, or two letters (stored upper case). Only the shape is checked
 * (validate_country_letters, not validate_country): the RIRs' delegation
 * files that Team Cymru serves also use EU and AP.
 */
static int
country_ok(const char *s, size_t n, char cc[3])
{
	cc[0] = '\0';
	if (n == 0)
		return 0;
	if (!validate_country_letters(s, n))
		return -1;
	cc[0] = (char)toupper((unsigned char)s[0]);
	cc[1] = (char)toupper((unsigned char)s[1]);
	cc[2] = '\0';
	return 0;
}

static int
registry_ok(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i;

	out[0] = '\0';
	if (n >= outlen)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return -1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return 0;
}

/* A short, safe rendering of untrusted bytes for an error message. */
static const char *
shown(char *buf, size_t len, const char *s, size_t n)
{
	text_sanitize(buf, len, s, n);
	return buf;
}

int
dns_parse_origin(const uint8_t *record, size_t len, struct dns_result *r)
{
	const char *rec = (const char *)record, *f[6], *a[DNS_MAX_ORIGINS + 1];
	size_t fl[6], al[DNS_MAX_ORIGINS + 1], n, na, i;
	char tmp[64], show[40];
	struct prefix p;

	if (len > TXT_MAX)
		return snprintf(r->err, sizeof(r->err), "TXT record over %d "
		    "bytes", TXT_MAX), -1;
	n = split(rec, len, '|', f, fl, 6);
	if (n < 3 || n > 5)
		return snprintf(r->err, sizeof(r->err), "%zu fields; want ASN | "
		    "PREFIX | CC | REGISTRY | DATE", n), -1;
	na = split(f[0], fl[0], ' ', a, al, DNS_MAX_ORIGINS + 1);
	r->nasns = 0;
	for (i = 0; i < na && r->nasns < DNS_MAX_ORIGINS; i++) {
		if (al[i] == 0)
			continue;	/* doubled spaces */
		if (num_u32(a[i], al[i], &r->asns[r->nasns]) != 0) {
			snprintf(r->err, sizeof(r->err), "origin AS '%s' is not "
			    "a number 1-4294967295",
			    shown(show, sizeof(show), a[i], al[i]));
			return -1;
		}
		r->nasns++;
	}
	if (r->nasns == 0)
		return snprintf(r->err, sizeof(r->err), "no origin AS"), -1;
	if (fl[1] == 0 || fl[1] >= sizeof(tmp) ||
	    memchr(f[1], '/', fl[1]) == NULL)
		goto badprefix;
	memcpy(tmp, f[1], fl[1]);
	tmp[fl[1]] = '\0';
	if (prefix_parse(tmp, &p) != 0)
		goto badprefix;
	if (r->addr.family != 0 && !prefix_contains(&p, &r->addr)) {
		snprintf(r->err, sizeof(r->err), "prefix %s does not hold the "
		    "address asked about", tmp);
		return -1;
	}
	r->pfx = p;
	if (country_ok(f[2], fl[2], r->country) != 0) {
		snprintf(r->err, sizeof(r->err), "country '%s' is not two "
		    "letters", shown(show, sizeof(show), f[2], fl[2]));
		return -1;
	}
	if (n >= 4 && registry_ok(f[3], fl[3], r->registry,
	    sizeof(r->registry)) != 0) {
		snprintf(r->err, sizeof(r->err), "registry '%s' is not a word",
		    shown(show, sizeof(show), f[3], fl[3]));
		return -1;
	}
	return 0;
badprefix:
	snprintf(r->err, sizeof(r->err), "prefix '%s' is not a CIDR prefix",
	    shown(show, sizeof(show), f[1], fl[1]));
	return -1;
}

int
dns_parse_asname(const uint8_t *record, size_t len, struct dns_result *r)
{
	const char *rec = (const char *)record, *f[5];
	size_t fl[5], n;
	uint32_t asn;
	char show[40];

	if (len > TXT_MAX)
		return snprintf(r->err, sizeof(r->err), "TXT record over %d "
		    "bytes", TXT_MAX), -1;
	n = split(rec, len, '|', f, fl, 5);
	if (n != 5)
		return snprintf(r->err, sizeof(r->err), "%zu fields; want ASN | "
		    "CC | REGISTRY | DATE | NAME", n), -1;
	if (num_u32(f[0], fl[0], &asn) != 0 ||
	    (r->asked_asn != 0 && asn != r->asked_asn)) {
		snprintf(r->err, sizeof(r->err), "AS '%s' is not the AS asked "
		    "about", shown(show, sizeof(show), f[0], fl[0]));
		return -1;
	}
	if (country_ok(f[1], fl[1], r->country) != 0) {
		snprintf(r->err, sizeof(r->err), "country '%s' is not two "
		    "letters", shown(show, sizeof(show), f[1], fl[1]));
		return -1;
	}
	if (registry_ok(f[2], fl[2], r->registry, sizeof(r->registry)) != 0) {
		snprintf(r->err, sizeof(r->err), "registry '%s' is not a word",
		    shown(show, sizeof(show), f[2], fl[2]));
		return -1;
	}
	if (fl[4] == 0)
		return snprintf(r->err, sizeof(r->err), "empty AS name"), -1;
	text_sanitize(r->as_name, sizeof(r->as_name), f[4], fl[4]);
	return 0;
}

/* 1 if the ", "-separated list holds exactly s (n bytes). */
static int
listed(const char *list, const char *s, size_t n)
{
	while (*list != '\0') {
		size_t len = strcspn(list, ",");

		if (len == n && strncasecmp(list, s, n) == 0)
			return 1;
		list += len;
		while (*list == ',' || *list == ' ')
			list++;
	}
	return 0;
}

int
dns_parse_abuse(const uint8_t *record, size_t len, struct dns_result *r)
{
	const char *rec = (const char *)record, *f[16];
	size_t fl[16], n, i, have, good = 0;
	char show[40];

	if (len > TXT_MAX)
		return snprintf(r->err, sizeof(r->err), "TXT record over %d "
		    "bytes", TXT_MAX), -1;
	n = split(rec, len, ',', f, fl, 16);
	for (i = 0; i < n; i++) {
		if (fl[i] == 0)
			continue;
		/* ASCII only (no VALIDATE_UTF8): see validate.h. */
		if (!validate_email(f[i], fl[i], 0)) {
			snprintf(r->err, sizeof(r->err), "'%s' is not a mail "
			    "address", shown(show, sizeof(show), f[i], fl[i]));
			continue;
		}
		good++;
		if (listed(r->abuse, f[i], fl[i]))
			continue;	/* from another record */
		have = strlen(r->abuse);
		if (have + (have ? 2 : 0) + fl[i] + 1 > sizeof(r->abuse))
			break;
		if (have) {
			memcpy(r->abuse + have, ", ", 2);
			have += 2;
		}
		memcpy(r->abuse + have, f[i], fl[i]);
		r->abuse[have + fl[i]] = '\0';
	}
	if (good == 0) {
		if (r->err[0] == '\0')
			snprintf(r->err, sizeof(r->err), "no mail address");
		return -1;
	}
	return 0;
}

/* Skip a (possibly compressed) domain name (RFC 1035 4.1.4). */
static int
skip_name(struct rd *r)
{
	int labels;

	for (labels = 0; labels < 128; labels++) {
		uint8_t c = rd_u8(r);

		if (r->bad)
			return -1;
		if (c == 0)
			return 0;
		if ((c & 0xc0) == 0xc0)
			return rd_skip(r, 1);
		if ((c & 0xc0) != 0)
			return -1;
		if (rd_skip(r, c) != 0)
			return -1;
	}
	return -1;
}

int
dns_answer_ttl(const uint8_t *msg, size_t len, uint32_t *ttl)
{
	struct rd r;
	uint16_t qd, an, i;
	uint32_t min = UINT32_MAX;

	*ttl = 0;
	rd_init(&r, msg, len);
	rd_skip(&r, 4);
	qd = rd_be16(&r);
	an = rd_be16(&r);
	rd_skip(&r, 4);
	if (r.bad)
		return -1;
	for (i = 0; i < qd; i++)
		if (skip_name(&r) != 0 || rd_skip(&r, 4) != 0)
			return -1;
	for (i = 0; i < an; i++) {
		uint32_t t;
		uint16_t rdlen;

		if (skip_name(&r) != 0 || rd_skip(&r, 4) != 0)
			return -1;
		t = rd_be32(&r);
		rdlen = rd_be16(&r);
		if (rd_skip(&r, rdlen) != 0)
			return -1;
		if (t > 0x7fffffff)	/* RFC 2181 8: treat as zero */
			t = 0;
		if (t < min)
			min = t;
	}
	*ttl = an > 0 ? min : 0;
	return 0;
}

/*
 * 1 if msg's question section is exactly qname/qtype/IN. Debian's c-ares
 * 1.18.1 already drops such answers, but older c-ares skipped that check
 * under ARES_FLAG_NOCHECKRESP (see dns_new), so it is made here as well.
 */
static int
question_matches(const uint8_t *msg, size_t len, const char *qname, int qtype)
{
	char name[QNAME_MAX];
	size_t off = 0;
	struct rd r;
	int labels;

	rd_init(&r, msg, len);
	rd_skip(&r, 4);
	if (rd_be16(&r) != 1)
		return 0;
	rd_skip(&r, 6);
	for (labels = 0; labels < 128; labels++) {
		uint8_t c = rd_u8(&r);
		const uint8_t *lab;

		if (r.bad || (c & 0xc0) != 0)
			return 0;
		if (c == 0)
			break;
		if ((lab = rd_take(&r, c)) == NULL || memchr(lab, '.', c) != NULL ||
		    off + c + 2 > sizeof(name))
			return 0;
		if (off > 0)
			name[off++] = '.';
		memcpy(name + off, lab, c);
		off += c;
	}
	name[off] = '\0';
	if (rd_be16(&r) != qtype || rd_be16(&r) != ns_c_in || r.bad)
		return 0;
	return strcasecmp(name, qname) == 0;
}

int
dns_qname(enum dns_kind kind, const struct addr *a, uint32_t asn,
    const char *zone, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t off = 0;
	int i, n;

	if (kind == DNS_ASNAME) {
		n = snprintf(buf, len, "AS%u.%s", asn, zone);
		return n > 0 && (size_t)n < len ? 0 : -1;
	}
	if (kind == DNS_PTR)
		zone = a->family == 4 ? "in-addr.arpa" : "ip6.arpa";
	if (a->family == 4) {
		n = snprintf(buf, len, "%u.%u.%u.%u.%s", a->b[3], a->b[2],
		    a->b[1], a->b[0], zone);
		return n > 0 && (size_t)n < len ? 0 : -1;
	}
	if (a->family != 6 || len < 64 + strlen(zone) + 1)
		return -1;
	for (i = 15; i >= 0; i--) {
		buf[off++] = hex[a->b[i] & 0xf];
		buf[off++] = '.';
		buf[off++] = hex[a->b[i] >> 4];
		buf[off++] = '.';
	}
	memcpy(buf + off, zone, strlen(zone) + 1);
	return 0;
}

/* ---- the cache --------------------------------------------------------- */

static uint64_t
keyhash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
lru_unlink(struct dns *d, struct centry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		d->lru_head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		d->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_front(struct dns *d, struct centry *e)
{
	e->prev = NULL;
	e->next = d->lru_head;
	if (d->lru_head != NULL)
		d->lru_head->prev = e;
	d->lru_head = e;
	if (d->lru_tail == NULL)
		d->lru_tail = e;
}

static void
cache_remove(struct dns *d, struct centry *e)
{
	struct centry **pp = &d->buckets[e->hash % CACHE_BUCKETS];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(d, e);
	free(e);
	d->ncached--;
}

static struct centry *
cache_get(struct dns *d, const char *key)
{
	uint64_t h = keyhash(key);
	struct centry *e;

	for (e = d->buckets[h % CACHE_BUCKETS]; e != NULL; e = e->hnext) {
		if (e->hash != h || strcmp(e->key, key) != 0)
			continue;
		if (e->expires <= now_ms()) {
			cache_remove(d, e);
			return NULL;
		}
		lru_unlink(d, e);
		lru_front(d, e);
		return e;
	}
	return NULL;
}

static void
cache_put(struct dns *d, const char *key, const struct dns_result *res,
    uint32_t ttl)
{
	struct centry *e;

	if (ttl == 0)
		return;
	if ((e = cache_get(d, key)) != NULL)
		cache_remove(d, e);
	if (d->ncached == CACHE_MAX)
		cache_remove(d, d->lru_tail);
	e = xcalloc(1, sizeof(*e));
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->hash = keyhash(key);
	e->res = *res;
	e->expires = now_ms() + (int64_t)ttl * 1000;
	e->hnext = d->buckets[e->hash % CACHE_BUCKETS];
	d->buckets[e->hash % CACHE_BUCKETS] = e;
	lru_front(d, e);
	d->ncached++;
}

/* ---- requests ---------------------------------------------------------- */

static void
ready_push(struct dns *d, struct req *q)
{
	q->next = NULL;
	if (d->ready_tail != NULL)
		d->ready_tail->next = q;
	else
		d->ready_head = q;
	d->ready_tail = q;
	d->nready++;
}

/* Fill q->res from one answer message. */
static void
decode_answer(struct req *q, const unsigned char *abuf, int alen)
{
	struct dns_result *r = &q->res;
	uint32_t ttl;

	if (dns_answer_ttl(abuf, (size_t)alen, &ttl) != 0) {
		r->status = DNS_BAD;
		snprintf(r->err, sizeof(r->err), "malformed DNS message");
		return;
	}
	r->ttl = ttl < MAX_TTL ? ttl : MAX_TTL;
	if (r->kind == DNS_PTR) {
		struct hostent *he = NULL;
		int rc, fam = r->addr.family == 4 ? AF_INET : AF_INET6;

		rc = ares_parse_ptr_reply(abuf, alen, r->addr.b,
		    r->addr.family == 4 ? 4 : 16, fam, &he);
		if (rc == ARES_ENODATA) {
			r->status = DNS_NODATA;
			r->ttl = NEG_TTL;
		} else if (rc != ARES_SUCCESS || he == NULL ||
		    he->h_name == NULL) {
			r->status = DNS_BAD;
			snprintf(r->err, sizeof(r->err), "PTR answer: %s",
			    ares_strerror(rc));
		} else if (!validate_hostname(he->h_name, strlen(he->h_name))) {
			char show[64];

			r->status = DNS_BAD;
			snprintf(r->err, sizeof(r->err), "PTR '%s' is not a "
			    "host name", shown(show, sizeof(show), he->h_name,
			    strlen(he->h_name)));
		} else {
			size_t n = strlen(he->h_name);

			if (n > 0 && he->h_name[n - 1] == '.')
				n--;
			memcpy(r->name, he->h_name, n);
			r->name[n] = '\0';
			r->status = DNS_OK;
		}
		if (he != NULL)
			ares_free_hostent(he);
		return;
	}
	{
		struct ares_txt_ext *txt = NULL, *t;
		struct dns_result best, one;
		uint8_t *rec = xmalloc(TXT_MAX + 1);
		size_t rlen = 0;
		int rc, nok = 0, over = 0;
		char firsterr[128] = "";

		rc = ares_parse_txt_reply_ext(abuf, alen, &txt);
		if (rc == ARES_ENODATA || (rc == ARES_SUCCESS && txt == NULL)) {
			r->status = DNS_NODATA;
			r->ttl = NEG_TTL;
			free(rec);
			return;
		}
		if (rc != ARES_SUCCESS) {
			r->status = DNS_BAD;
			snprintf(r->err, sizeof(r->err), "TXT answer: %s",
			    ares_strerror(rc));
			free(rec);
			return;
		}
		best = *r;
		for (t = txt; t != NULL; t = t->next) {
			/* Gather the strings of one record, then judge it. */
			if (t->length > TXT_MAX - rlen)
				over = 1;
			else {
				memcpy(rec + rlen, t->txt, t->length);
				rlen += t->length;
			}
			if (t->next != NULL && !t->next->record_start)
				continue;
			one = *r;
			one.err[0] = '\0';
			if (over)
				rc = (snprintf(one.err, sizeof(one.err), "TXT "
				    "record over %d bytes", TXT_MAX), -1);
			else if (r->kind == DNS_ORIGIN)
				rc = dns_parse_origin(rec, rlen, &one);
			else if (r->kind == DNS_ASNAME)
				rc = dns_parse_asname(rec, rlen, &one);
			else {
				/* Abuse contacts accumulate across records. */
				memcpy(one.abuse, best.abuse, sizeof(one.abuse));
				rc = dns_parse_abuse(rec, rlen, &one);
			}
			rlen = 0;
			over = 0;
			if (rc != 0) {
				if (firsterr[0] == '\0')
					memcpy(firsterr, one.err, sizeof(firsterr));
				continue;
			}
			if (r->kind == DNS_ORIGIN && nok > 0 &&
			    one.pfx.len <= best.pfx.len)
				continue;	/* the most specific wins */
			if (r->kind == DNS_ASNAME && nok > 0)
				continue;
			best = one;
			nok++;
		}
		ares_free_data(txt);
		free(rec);
		if (nok == 0) {
			r->status = DNS_BAD;
			memcpy(r->err, firsterr, sizeof(r->err));
			return;
		}
		best.err[0] = '\0';
		best.status = DNS_OK;
		*r = best;
	}
}

static void
finish(struct dns *d, struct req *q)
{
	struct req *w, *next;
	size_t i;

	for (i = 0; i < d->ninflight; i++)
		if (d->inflight[i] == q) {
			d->inflight[i] = d->inflight[--d->ninflight];
			break;
		}
	if (q->res.status == DNS_OK || q->res.status == DNS_NXDOMAIN ||
	    q->res.status == DNS_NODATA)
		cache_put(d, q->key, &q->res, q->res.ttl);
	if (q->res.status == DNS_OK)
		d->st.answered++;
	else if (q->res.status == DNS_BAD)
		d->st.bad++;
	else
		d->st.failed++;
	for (w = q->waiters; w != NULL; w = next) {
		next = w->next;
		w->res = q->res;	/* same question: same kind and subject */
		ready_push(d, w);
	}
	q->waiters = NULL;
	ready_push(d, q);
}

static void
free_req(struct req *q)
{
	struct req *w, *next;

	for (w = q->waiters; w != NULL; w = next) {
		next = w->next;
		free(w);
	}
	free(q);
}

static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct req *q = arg;
	struct dns *d = q->d;
	struct dns_result *r = &q->res;

	(void)timeouts;
	if (d->closing || status == ARES_EDESTRUCTION ||
	    status == ARES_ECANCELLED) {
		free_req(q);
		return;
	}
	r->err[0] = '\0';
	if (abuf != NULL && alen > 0 &&
	    !question_matches(abuf, (size_t)alen, q->qname, q->qtype)) {
		r->status = DNS_BAD;
		snprintf(r->err, sizeof(r->err), "the answer is for another "
		    "question");
		finish(d, q);
		return;
	}
	switch (status) {
	case ARES_SUCCESS:
		decode_answer(q, abuf, alen);
		break;
	case ARES_ENOTFOUND:
		r->status = DNS_NXDOMAIN;
		r->ttl = NEG_TTL;
		break;
	case ARES_ENODATA:
		r->status = DNS_NODATA;
		r->ttl = NEG_TTL;
		break;
	case ARES_ESERVFAIL:
		r->status = DNS_SERVFAIL;
		break;
	case ARES_EREFUSED:
		r->status = DNS_REFUSED;
		break;
	case ARES_ETIMEOUT:
		r->status = DNS_TIMEOUT;
		break;
	case ARES_EBADRESP:
	case ARES_EFORMERR:
		r->status = DNS_BAD;
		break;
	default:
		r->status = DNS_ERROR;
		break;
	}
	if (r->status != DNS_OK && r->err[0] == '\0')
		snprintf(r->err, sizeof(r->err), "%s", ares_strerror(status));
	finish(d, q);
}

static void
sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct dns *d = data;
	size_t i;

	for (i = 0; i < d->nsocks; i++)
		if (d->socks[i].fd == fd)
			break;
	if (!readable && !writable) {
		if (i < d->nsocks)
			d->socks[i] = d->socks[--d->nsocks];
		return;
	}
	if (i == d->nsocks) {
		if (d->nsocks == DNS_MAX_FDS)
			return;	/* ares_timeout still drives it, slower */
		d->nsocks++;
		d->socks[i].fd = fd;
	}
	d->socks[i].events = (short)((readable ? POLLIN : 0) |
	    (writable ? POLLOUT : 0));
}

struct dns *
dns_new(const struct dns_settings *s, char *errbuf)
{
	struct ares_options ao;
	struct dns *d;
	int rc;

	if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		err_set(errbuf, "c-ares: %s", ares_strerror(rc));
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	memset(&ao, 0, sizeof(ao));
	ao.sock_state_cb = sock_state;
	ao.sock_state_cb_data = d;
	/* Two tries whose timeouts (t, then 2t) add up to dns.timeout. */
	ao.timeout = (int)(s->timeout_ms / 3 > 0 ? s->timeout_ms / 3 : 1);
	ao.tries = 2;
	/*
	 * NOCHECKRESP: hand SERVFAIL and REFUSED to us as such. Without it
	 * c-ares 1.18 moves on to the next server and, with one server,
	 * reports "could not contact DNS servers", hiding what happened.
	 */
	ao.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES |
	    ARES_FLAG_NOCHECKRESP;
	rc = ares_init_options(&d->ch, &ao, ARES_OPT_SOCK_STATE_CB |
	    ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
	if (rc != ARES_SUCCESS) {
		err_set(errbuf, "c-ares: %s", ares_strerror(rc));
		free(d);
		return NULL;
	}
	if (s->server != NULL &&
	    (rc = ares_set_servers_ports_csv(d->ch, s->server)) !=
	    ARES_SUCCESS) {
		char show[128];

		err_set(errbuf, "dns.server '%s': %s (want ADDR, ADDR:PORT or "
		    "[IPV6]:PORT)", shown(show, sizeof(show), s->server,
		    strlen(s->server)), ares_strerror(rc));
		ares_destroy(d->ch);
		free(d);
		return NULL;
	}
	snprintf(d->zone_origin, sizeof(d->zone_origin), "%s",
	    s->cymru_zone ? s->cymru_zone : "origin.asn.cymru.com");
	snprintf(d->zone_origin6, sizeof(d->zone_origin6), "%s",
	    s->cymru6_zone ? s->cymru6_zone : "origin6.asn.cymru.com");
	snprintf(d->zone_asname, sizeof(d->zone_asname), "%s",
	    s->asname_zone ? s->asname_zone : "asn.cymru.com");
	snprintf(d->zone_abuse, sizeof(d->zone_abuse), "%s",
	    s->abusix_zone ? s->abusix_zone :
	    "abuse-contacts.abusix.zone");
	d->rate = s->rate > 0 ? s->rate : 50;
	d->tokens = d->rate;
	d->refill_ms = now_ms();
	return d;
}

void
dns_free(struct dns *d)
{
	struct req *q, *next;
	struct centry *e, *en;

	if (d == NULL)
		return;
	d->closing = 1;
	ares_destroy(d->ch);	/* frees the in-flight ones via on_answer */
	ares_library_cleanup();
	for (q = d->pend_head; q != NULL; q = next) {
		next = q->next;
		free(q);
	}
	for (q = d->ready_head; q != NULL; q = next) {
		next = q->next;
		free(q);
	}
	for (e = d->lru_head; e != NULL; e = en) {
		en = e->next;
		free(e);
	}
	free(d);
}

static int
ask(struct dns *d, enum dns_kind kind, const struct addr *a, uint32_t asn,
    dns_cb cb, void *arg)
{
	const char *zone = NULL;
	struct centry *e;
	struct req *q;

	if (kind != DNS_ASNAME && (a == NULL ||
	    (a->family != 4 && a->family != 6)))
		return -1;
	if (kind == DNS_ASNAME && asn == 0)
		return -1;
	if (d->npending >= DNS_MAX_PENDING)
		return -1;
	switch (kind) {
	case DNS_ORIGIN:
		zone = a->family == 4 ? d->zone_origin : d->zone_origin6;
		break;
	case DNS_ASNAME:
		zone = d->zone_asname;
		break;
	case DNS_ABUSE:
		zone = d->zone_abuse;
		break;
	case DNS_PTR:
		break;
	}
	q = xcalloc(1, sizeof(*q));
	q->d = d;
	q->cb = cb;
	q->arg = arg;
	q->res.kind = kind;
	if (a != NULL)
		q->res.addr = *a;
	q->res.asked_asn = asn;
	q->qtype = kind == DNS_PTR ? ns_t_ptr : ns_t_txt;
	if (dns_qname(kind, a, asn, zone, q->qname, sizeof(q->qname)) != 0) {
		free(q);
		return -1;
	}
	snprintf(q->key, sizeof(q->key), "%d %s", q->qtype, q->qname);
	d->st.asked++;
	if ((e = cache_get(d, q->key)) != NULL) {
		q->res = e->res;
		q->res.cached = 1;
		d->st.cache_hits++;
		ready_push(d, q);
		return 0;
	}
	q->next = NULL;
	if (d->pend_tail != NULL)
		d->pend_tail->next = q;
	else
		d->pend_head = q;
	d->pend_tail = q;
	d->npending++;
	return 0;
}

int
dns_ptr(struct dns *d, const struct addr *a, dns_cb cb, void *arg)
{
	return ask(d, DNS_PTR, a, 0, cb, arg);
}

int
dns_origin(struct dns *d, const struct addr *a, dns_cb cb, void *arg)
{
	return ask(d, DNS_ORIGIN, a, 0, cb, arg);
}

int
dns_asname(struct dns *d, uint32_t asn, dns_cb cb, void *arg)
{
	return ask(d, DNS_ASNAME, NULL, asn, cb, arg);
}

int
dns_abuse(struct dns *d, const struct addr *a, dns_cb cb, void *arg)
{
	return ask(d, DNS_ABUSE, a, 0, cb, arg);
}

static void
refill(struct dns *d)
{
	int64_t now = now_ms();

	d->tokens += (double)(now - d->refill_ms) * d->rate / 1000.0;
	if (d->tokens > d->rate)
		d->tokens = d->rate;
	d->refill_ms = now;
}

/* Send what the rate and the in-flight bound allow. */
static void
pump(struct dns *d)
{
	refill(d);
	while (d->pend_head != NULL) {
		struct req *q = d->pend_head;
		struct centry *e;
		size_t i;

		/* Answered meanwhile, or already asked: no new packet. */
		if ((e = cache_get(d, q->key)) != NULL) {
			d->pend_head = q->next;
			d->npending--;
			q->res = e->res;
			q->res.cached = 1;
			d->st.cache_hits++;
			ready_push(d, q);
			continue;
		}
		for (i = 0; i < d->ninflight; i++)
			if (strcmp(d->inflight[i]->key, q->key) == 0)
				break;
		if (i < d->ninflight) {
			d->pend_head = q->next;
			d->npending--;
			q->next = d->inflight[i]->waiters;
			d->inflight[i]->waiters = q;
			continue;
		}
		if (d->ninflight == DNS_MAX_INFLIGHT || d->tokens < 1.0)
			break;
		d->pend_head = q->next;
		d->npending--;
		d->tokens -= 1.0;
		d->inflight[d->ninflight++] = q;
		d->st.sent++;
		/* May call on_answer at once (e.g. no servers). */
		ares_query(d->ch, q->qname, ns_c_in, q->qtype, on_answer, q);
	}
	if (d->pend_head == NULL)
		d->pend_tail = NULL;
}

int
dns_pollfds(struct dns *d, struct pollfd *fds, int max)
{
	size_t i;
	int n = 0;

	for (i = 0; i < d->nsocks && n < max; i++) {
		fds[n].fd = d->socks[i].fd;
		fds[n].events = d->socks[i].events;
		fds[n].revents = 0;
		n++;
	}
	return n;
}

int
dns_timeout_ms(struct dns *d)
{
	struct timeval tv, *tvp;
	int64_t t = -1;

	if (d->ready_head != NULL)
		return 0;
	if (d->pend_head != NULL && d->ninflight < DNS_MAX_INFLIGHT) {
		refill(d);
		if (d->tokens >= 1.0)
			return 0;
		t = (int64_t)((1.0 - d->tokens) * 1000.0 / d->rate) + 1;
	}
	if ((tvp = ares_timeout(d->ch, NULL, &tv)) != NULL) {
		int64_t a = (int64_t)tvp->tv_sec * 1000 +
		    (tvp->tv_usec + 999) / 1000;

		if (t == -1 || a < t)
			t = a;
	}
	if (t > INT32_MAX)
		t = INT32_MAX;
	return (int)t;
}

void
dns_process(struct dns *d, const struct pollfd *fds, int nfds)
{
	struct req *q, *next;
	int i;

	for (i = 0; fds != NULL && i < nfds; i++) {
		ares_socket_t r = ARES_SOCKET_BAD, w = ARES_SOCKET_BAD;

		if (fds[i].revents & (POLLIN | POLLERR | POLLHUP))
			r = fds[i].fd;
		if (fds[i].revents & POLLOUT)
			w = fds[i].fd;
		if (r != ARES_SOCKET_BAD || w != ARES_SOCKET_BAD)
			ares_process_fd(d->ch, r, w);
	}
	ares_process_fd(d->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	pump(d);
	/* Deliver; callbacks may ask again, which lands in a new list. */
	q = d->ready_head;
	d->ready_head = d->ready_tail = NULL;
	d->nready = 0;
	for (; q != NULL; q = next) {
		next = q->next;
		if (q->cb != NULL)
			q->cb(&q->res, q->arg);
		free(q);
	}
}

size_t
dns_outstanding(const struct dns *d)
{
	size_t n = d->npending + d->nready, i;
	const struct req *w;

	for (i = 0; i < d->ninflight; i++) {
		n++;
		for (w = d->inflight[i]->waiters; w != NULL; w = w->next)
			n++;
	}
	return n;
}

void
dns_stats(const struct dns *d, struct dns_stats *st)
{
	*st = d->st;
	st->pending = d->npending;
	st->inflight = d->ninflight;
	st->cached = d->ncached;
}
