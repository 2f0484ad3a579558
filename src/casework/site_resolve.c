/*
 * site_resolve.c -- a phishing host's addresses and who holds them, over
 * DNS, and its registrar and the RIRs' abuse desks over RDAP
 * (site_resolve.h). Blocking: it runs the dns loop until every question
 * is answered or dns timeouts expire, then the RDAP queries one after the
 * other (each within rdap-timeout and rdap-rate).
 */
#include "casework/site_resolve.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "enrich/dns.h"
#include "enrich/rdap.h"
#include "enrich/target.h"

struct rctx {
	struct dns *d;
	struct site_lookup *l;
	int nx, nodata, fail;
	char err[128];
};

/* The index of address a in l, or -1. */
static int
find_addr(const struct site_lookup *l, const struct addr *a)
{
	char t[ADDR_STRLEN];
	size_t i;

	addr_format(a, t, sizeof(t));
	for (i = 0; i < l->naddrs; i++)
		if (strcmp(l->addrs[i].addr, t) == 0)
			return (int)i;
	return -1;
}

static void
on_host(const struct dns_result *r, void *arg)
{
	struct rctx *c = arg;
	size_t i;

	switch (r->status) {
	case DNS_OK:
		for (i = 0; i < r->naddrs && c->l->naddrs < SITE_ADDRS_MAX;
		    i++) {
			if (find_addr(c->l, &r->addrs[i]) >= 0)
				continue;
			addr_format(&r->addrs[i], c->l->addrs[c->l->naddrs].addr,
			    ADDR_STRLEN);
			snprintf(c->l->addrs[c->l->naddrs].source,
			    sizeof(c->l->addrs[0].source), "dns %s",
			    r->kind == DNS_A ? "A" : "AAAA");
			c->l->naddrs++;
		}
		break;
	case DNS_NXDOMAIN:
		c->nx = 1;
		break;
	case DNS_NODATA:
		c->nodata++;
		break;
	default:
		c->fail = 1;
		snprintf(c->err, sizeof(c->err), "%.20s: %.90s",
		    dns_status_name(r->status), r->err);
		break;
	}
}

static void
on_asname(const struct dns_result *r, void *arg)
{
	struct rctx *c = arg;
	size_t i;

	if (r->status != DNS_OK)
		return;
	for (i = 0; i < c->l->naddrs; i++)
		if (c->l->addrs[i].asn == r->asked_asn)
			snprintf(c->l->addrs[i].as_name,
			    sizeof(c->l->addrs[i].as_name), "%s", r->as_name);
}

static void
on_origin(const struct dns_result *r, void *arg)
{
	struct rctx *c = arg;
	int i = find_addr(c->l, &r->addr);

	if (i < 0 || r->status != DNS_OK || r->nasns == 0)
		return;
	c->l->addrs[i].asn = r->asns[0];
	snprintf(c->l->addrs[i].cc, sizeof(c->l->addrs[i].cc), "%s",
	    r->country);
	(void)dns_asname(c->d, r->asns[0], on_asname, c);
}

static void
on_abuse(const struct dns_result *r, void *arg)
{
	struct rctx *c = arg;
	int i = find_addr(c->l, &r->addr);

	if (i < 0 || r->status != DNS_OK)
		return;
	snprintf(c->l->addrs[i].abuse, sizeof(c->l->addrs[i].abuse), "%s",
	    r->abuse);
}

/* Add a line to out's sources, if there is room. */
static void
add_source(struct site_lookup *out, const char *what, const char *url,
    const char *status)
{
	if (out->nsources >= NITEMS(out->sources))
		return;
	snprintf(out->sources[out->nsources++], sizeof(out->sources[0]),
	    "%.8s %.460s%s%.30s", what, url, *status ? " " : "", status);
}

/*
 * The registered domain of out->host (Public Suffix List) into out->domain;
 * then, with RDAP on, its registrar and the registrar's abuse desk, and
 * the RIR's abuse contact of each address DNS gave none for. A query that
 * fails is named in out->sources with its status; the lookup stands.
 * Returns 0, or -1 with errbuf when no RDAP client could be made (an
 * unreadable rdap-bootstrap file).
 */
static int
rdap_fill(const struct options *opt, struct site_lookup *out, char *errbuf)
{
	struct rdap_settings rs;
	struct rdap_domain *d;
	struct target t;
	struct target_psl *psl;
	struct rdap *r;
	char e2[ERRBUF_SIZE];
	size_t i;

	if (target_parse(out->host, &t, e2) == 0 && !t.is_addr &&
	    (psl = target_psl_open(e2)) != NULL) {
		if (target_psl_regdom(psl, &t) == 0)
			snprintf(out->domain, sizeof(out->domain), "%s",
			    t.regdom);
		target_psl_free(psl);
	}
	if (opt->no_rdap)
		return 0;
	config_rdap_settings(opt, &rs);
	r = rdap_new(&rs, errbuf);
	config_rdap_settings_free(&rs);
	if (r == NULL)
		return -1;
	d = xcalloc(1, sizeof(*d));
	if (out->domain[0] != '\0') {
		rdap_domain(r, out->domain, d);
		if (d->m.status == RDAP_OK) {
			snprintf(out->registrar, sizeof(out->registrar), "%s",
			    d->registrar);
			snprintf(out->registrar_id, sizeof(out->registrar_id),
			    "%s", d->registrar_id);
			snprintf(out->registrar_abuse,
			    sizeof(out->registrar_abuse), "%s",
			    d->abuse_email);
			snprintf(out->registrar_phone,
			    sizeof(out->registrar_phone), "%s",
			    d->abuse_phone);
			snprintf(out->registrar_source,
			    sizeof(out->registrar_source), "rdap:%.500s",
			    d->m.url);
			snprintf(out->registrar_at, sizeof(out->registrar_at),
			    "%s", d->m.at);
		}
		add_source(out, "rdap", d->m.url[0] ? d->m.url : out->domain,
		    d->m.status == RDAP_OK ? "" :
		    rdap_status_name(d->m.status));
	}
	for (i = 0; i < out->naddrs; i++) {
		struct rdap_ip ip;
		struct addr a;
		size_t l;

		if (out->addrs[i].abuse[0] != '\0' ||
		    addr_parse(out->addrs[i].addr, &a) != 0)
			continue;
		rdap_ip(r, &a, &ip);
		if (ip.m.status != RDAP_OK || ip.abuse_email[0] == '\0')
			continue;
		snprintf(out->addrs[i].abuse, sizeof(out->addrs[i].abuse),
		    "%s", ip.abuse_email);
		l = strlen(out->addrs[i].source);
		snprintf(out->addrs[i].source + l,
		    sizeof(out->addrs[i].source) - l, "; abuse rdap:%.100s",
		    ip.m.url);
	}
	free(d);
	rdap_free(r);
	return 0;
}

int
site_resolve(const struct options *opt, const char *host,
    struct site_lookup *out, char *errbuf)
{
	struct dns_settings ds;
	struct rctx c;
	size_t i;
	unsigned wait_ms;

	memset(out, 0, sizeof(*out));
	snprintf(out->host, sizeof(out->host), "%s", host);
	if (opt->no_dns) {
		snprintf(out->status, sizeof(out->status), "error");
		snprintf(out->error, sizeof(out->error), "DNS is off "
		    "(--no-dns)");
		return 0;
	}
	config_enrich_settings(opt, NULL, &ds);
	memset(&c, 0, sizeof(c));
	c.l = out;
	if ((c.d = dns_new(&ds, errbuf)) == NULL)
		return -1;
	snprintf(out->sources[out->nsources++], sizeof(out->sources[0]),
	    "dns %s", ds.server != NULL ? ds.server : "/etc/resolv.conf");
	wait_ms = (ds.timeout_ms ? ds.timeout_ms : 3000) * 4 + 1000;
	if (dns_host(c.d, host, 4, on_host, &c) != 0 ||
	    dns_host(c.d, host, 6, on_host, &c) != 0) {
		dns_free(c.d);
		snprintf(out->status, sizeof(out->status), "error");
		snprintf(out->error, sizeof(out->error), "not a host name "
		    "DNS can ask about");
		return 0;
	}
	dns_wait(c.d, mono_ms() + wait_ms);
	for (i = 0; i < out->naddrs; i++) {
		struct addr a;

		if (addr_parse(out->addrs[i].addr, &a) != 0)
			continue;
		(void)dns_origin(c.d, &a, on_origin, &c);
		(void)dns_abuse(c.d, &a, on_abuse, &c);
	}
	dns_wait(c.d, mono_ms() + wait_ms);
	dns_free(c.d);
	if (out->naddrs > 0)
		snprintf(out->status, sizeof(out->status), "ok");
	else if (c.nx)
		snprintf(out->status, sizeof(out->status), "nxdomain");
	else if (c.nodata == 2)
		snprintf(out->status, sizeof(out->status), "nodata");
	else {
		snprintf(out->status, sizeof(out->status), "error");
		snprintf(out->error, sizeof(out->error), "%.120s", c.err[0] ?
		    c.err : "no answer in time");
	}
	return rdap_fill(opt, out, errbuf);
}

int
site_parse(const char *arg, char *url, size_t urllen, char *host,
    size_t hostlen, char *errbuf)
{
	struct target t;

	if (target_parse(arg, &t, errbuf) != 0)
		return -1;
	snprintf(url, urllen, "%s", t.url);
	snprintf(host, hostlen, "%s", t.host);
	return 0;
}

struct site_job {
	pthread_t thread;
	const struct options *opt;
	char host[256];
	struct site_lookup out;
	char errbuf[ERRBUF_SIZE];
	int rc;
	atomic_int done;
};

static void *
job_run(void *arg)
{
	struct site_job *j = arg;

	j->rc = site_resolve(j->opt, j->host, &j->out, j->errbuf);
	atomic_store(&j->done, 1);
	return NULL;
}

struct site_job *
site_job_start(const struct options *opt, const char *host, char *errbuf)
{
	struct site_job *j = xcalloc(1, sizeof(*j));
	int e;

	j->opt = opt;
	snprintf(j->host, sizeof(j->host), "%s", host);
	atomic_init(&j->done, 0);
	if ((e = pthread_create(&j->thread, NULL, job_run, j)) != 0) {
		err_set(errbuf, "no thread for the lookup: %s", strerror(e));
		free(j);
		return NULL;
	}
	return j;
}

int
site_job_done(struct site_job *j)
{
	return atomic_load(&j->done);
}

int
site_job_finish(struct site_job *j, struct site_lookup *out, char *errbuf)
{
	int rc;

	pthread_join(j->thread, NULL);
	rc = j->rc;
	*out = j->out;
	if (rc != 0)
		snprintf(errbuf, ERRBUF_SIZE, "%s", j->errbuf);
	free(j);
	return rc;
}
