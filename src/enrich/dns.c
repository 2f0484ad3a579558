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
#include "enrich/dns_impl.h"

#include <arpa/nameser.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/validate.h"

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
	    "abuse", "a", "aaaa" };

	return (size_t)k < NITEMS(names) ? names[k] : "?";
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

/* A PTR answer into r: a validated host name, or why not. */
static void
decode_ptr(struct dns_result *r, const unsigned char *abuf, int alen)
{
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
		    "host name", dns_shown(show, sizeof(show), he->h_name,
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
}

/*
 * A TXT answer into r: each record (its strings gathered) goes to the
 * parser of r's kind; the most specific origin, the first AS name, or
 * every abuse address wins. DNS_BAD with the first error if none parses.
 */
static void
decode_txt(struct dns_result *r, const unsigned char *abuf, int alen)
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

/*
 * An A or AAAA answer into r: the addresses (ares_parse_a_reply and
 * ares_parse_aaaa_reply follow the CNAME chain of the answer), at most
 * DNS_MAX_ADDRS, duplicates dropped.
 */
static void
decode_addrs(struct dns_result *r, const unsigned char *abuf, int alen)
{
	struct ares_addrttl a4[DNS_MAX_ADDRS];
	struct ares_addr6ttl a6[DNS_MAX_ADDRS];
	int n = DNS_MAX_ADDRS, rc, i;
	size_t j;

	if (r->kind == DNS_A)
		rc = ares_parse_a_reply(abuf, alen, NULL, a4, &n);
	else
		rc = ares_parse_aaaa_reply(abuf, alen, NULL, a6, &n);
	if (rc == ARES_ENODATA || (rc == ARES_SUCCESS && n <= 0)) {
		r->status = DNS_NODATA;
		r->ttl = NEG_TTL;
		return;
	}
	if (rc != ARES_SUCCESS) {
		r->status = DNS_BAD;
		snprintf(r->err, sizeof(r->err), "%s answer: %s",
		    r->kind == DNS_A ? "A" : "AAAA", ares_strerror(rc));
		return;
	}
	r->naddrs = 0;
	for (i = 0; i < n && i < DNS_MAX_ADDRS; i++) {
		struct addr x;

		memset(&x, 0, sizeof(x));
		if (r->kind == DNS_A) {
			x.family = 4;
			memcpy(x.b, &a4[i].ipaddr, 4);
		} else {
			x.family = 6;
			memcpy(x.b, &a6[i].ip6addr, 16);
		}
		for (j = 0; j < r->naddrs; j++)
			if (addr_cmp(&r->addrs[j], &x) == 0)
				break;
		if (j == r->naddrs)
			r->addrs[r->naddrs++] = x;
	}
	r->status = DNS_OK;
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
	if (r->kind == DNS_PTR)
		decode_ptr(r, abuf, alen);
	else if (r->kind == DNS_A || r->kind == DNS_AAAA)
		decode_addrs(r, abuf, alen);
	else
		decode_txt(r, abuf, alen);
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
		dns_cache_put(d, q->key, &q->res, q->res.ttl);
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
	    !dns_question_matches(abuf, (size_t)alen, q->qname, q->qtype)) {
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
		    "[IPV6]:PORT)", dns_shown(show, sizeof(show), s->server,
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
	d->refill_ms = mono_ms();
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
    const char *host, dns_cb cb, void *arg)
{
	const char *zone = NULL;
	struct centry *e;
	struct req *q;

	if (kind == DNS_A || kind == DNS_AAAA) {
		if (host == NULL)
			return -1;
	} else if (kind != DNS_ASNAME && (a == NULL ||
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
	case DNS_A:
	case DNS_AAAA:
		zone = host;
		break;
	case DNS_PTR:
	case DNS_NKINDS:
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
	q->qtype = kind == DNS_PTR ? ns_t_ptr : kind == DNS_A ? ns_t_a :
	    kind == DNS_AAAA ? ns_t_aaaa : ns_t_txt;
	if (dns_qname(kind, a, asn, zone, q->qname, sizeof(q->qname)) != 0) {
		free(q);
		return -1;
	}
	if (host != NULL)
		snprintf(q->res.name, sizeof(q->res.name), "%.*s",
		    (int)sizeof(q->res.name) - 1, q->qname);
	snprintf(q->key, sizeof(q->key), "%d %s", q->qtype, q->qname);
	d->st.asked++;
	if ((e = dns_cache_get(d, q->key)) != NULL) {
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
	return ask(d, DNS_PTR, a, 0, NULL, cb, arg);
}

int
dns_origin(struct dns *d, const struct addr *a, dns_cb cb, void *arg)
{
	return ask(d, DNS_ORIGIN, a, 0, NULL, cb, arg);
}

int
dns_asname(struct dns *d, uint32_t asn, dns_cb cb, void *arg)
{
	return ask(d, DNS_ASNAME, NULL, asn, NULL, cb, arg);
}

int
dns_abuse(struct dns *d, const struct addr *a, dns_cb cb, void *arg)
{
	return ask(d, DNS_ABUSE, a, 0, NULL, cb, arg);
}

int
dns_host(struct dns *d, const char *host, int family, dns_cb cb, void *arg)
{
	if (family != 4 && family != 6)
		return -1;
	return ask(d, family == 4 ? DNS_A : DNS_AAAA, NULL, 0, host, cb, arg);
}

static void
refill(struct dns *d)
{
	int64_t now = mono_ms();

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
		if ((e = dns_cache_get(d, q->key)) != NULL) {
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

void
dns_wait(struct dns *d, int64_t deadline_ms)
{
	struct pollfd fds[DNS_MAX_FDS];

	while (dns_outstanding(d) > 0) {
		int64_t left = deadline_ms - mono_ms();
		int n, t;

		if (left <= 0)
			break;
		n = dns_pollfds(d, fds, DNS_MAX_FDS);
		t = dns_timeout_ms(d);
		if (t < 0 || t > left)
			t = (int)left;
		if (poll(fds, (nfds_t)n, t) < 0)
			break;
		dns_process(d, fds, n);
	}
}
