/*
 * cmd_lookup.c -- `kyocho lookup [--json] URL|HOST|ADDR...`: who is behind
 * an address, a host name or a URL, at the prompt. A host (or a URL's
 * host) is resolved (A and AAAA with c-ares, dns.h) and its registered
 * domain found in the Public Suffix List (target.h); each address, given
 * or resolved, is then looked up as below, once however many hosts share
 * it. Offline attribution (prefix.h: overrides, CSVs,
 * MaxMind DB) plus, unless --no-dns, PTR, Team Cymru origin and AS name
 * and abusix abuse contacts (dns.h), waiting at most about twice
 * dns.timeout (the AS name is asked once the origin is known) plus what
 * dns.rate needs to send the questions, a minute at most.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "enrich/dns.h"
#include "base/defang.h"
#include "base/jsonw.h"
#include "enrich/prefix.h"
#include "enrich/rdap.h"
#include "enrich/target.h"
#include "settings/config.h"
#include "base/util.h"

#define MAX_ITEMS	8192	/* distinct addresses looked up in one run */

struct item {
	struct addr a;
	char text[ADDR_STRLEN];
	struct prefix_info info;
	struct dns_result res[DNS_NKINDS];	/* by enum dns_kind */
	int have[DNS_NKINDS];
	int asked[DNS_NKINDS];
	char dns_at[32];		/* when the last DNS answer came */
	struct dns *dns;
	int have_rdap;
	struct rdap_ip rdap;		/* asked when DNS gave no abuse */
};

struct lookup;

/* One argument. */
struct host {
	struct target t;
	struct lookup *l;
	struct dns_result res[2];	/* A, AAAA */
	int have[2], asked[2];
	char dns_at[32];
	size_t items[2 * DNS_MAX_ADDRS];	/* indexes into l->items */
	size_t nitems;
	int dropped;			/* addresses over MAX_ITEMS */
	int have_rdap;
	struct rdap_domain rdap;	/* of t.regdom */
};

struct lookup {
	struct item **items;		/* distinct addresses, owned */
	size_t nitems;
	struct dns *dns;
	struct prefixdb *db;
};

static void on_result(const struct dns_result *r, void *arg);

static void
stamp(char buf[32])
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	time_rfc3339(buf, 32, (int64_t)ts.tv_sec * 1000000, 0);
}

/* The item of address a, made (and its DNS questions asked) the first
 * time; SIZE_MAX when MAX_ITEMS are already there. */
static size_t
item_for(struct lookup *l, const struct addr *a)
{
	struct item *it;
	size_t i;

	for (i = 0; i < l->nitems; i++)
		if (addr_cmp(&l->items[i]->a, a) == 0)
			return i;
	if (l->nitems == MAX_ITEMS)
		return SIZE_MAX;
	it = xcalloc(1, sizeof(*it));
	it->a = *a;
	addr_format(a, it->text, sizeof(it->text));
	prefix_lookup(l->db, &it->a, &it->info);
	l->items = xreallocarray(l->items, l->nitems + 1, sizeof(*l->items));
	l->items[l->nitems] = it;
	if (l->dns != NULL) {
		it->dns = l->dns;
		it->asked[DNS_PTR] = dns_ptr(l->dns, &it->a, on_result,
		    it) == 0;
		it->asked[DNS_ORIGIN] = dns_origin(l->dns, &it->a, on_result,
		    it) == 0;
		it->asked[DNS_ABUSE] = dns_abuse(l->dns, &it->a, on_result,
		    it) == 0;
	}
	return l->nitems++;
}

static void
host_add(struct host *h, const struct addr *a)
{
	size_t k = item_for(h->l, a), j;

	if (k == SIZE_MAX) {
		h->dropped++;
		return;
	}
	for (j = 0; j < h->nitems; j++)
		if (h->items[j] == k)
			return;
	if (h->nitems < NITEMS(h->items))
		h->items[h->nitems++] = k;
}

static void
on_host(const struct dns_result *r, void *arg)
{
	struct host *h = arg;
	int k = r->kind == DNS_A ? 0 : 1;
	size_t i;

	h->res[k] = *r;
	h->have[k] = 1;
	stamp(h->dns_at);
	if (r->status == DNS_OK)
		for (i = 0; i < r->naddrs; i++)
			host_add(h, &r->addrs[i]);
}

static void
on_result(const struct dns_result *r, void *arg)
{
	struct item *it = arg;

	if ((size_t)r->kind >= NITEMS(it->res))
		return;
	it->res[r->kind] = *r;
	it->have[r->kind] = 1;
	stamp(it->dns_at);
	if (r->kind == DNS_ORIGIN && r->status == DNS_OK && r->nasns > 0 &&
	    !it->asked[DNS_ASNAME])
		it->asked[DNS_ASNAME] = dns_asname(it->dns, r->asns[0],
		    on_result, it) == 0;
}

static const struct dns_result *
ok(const struct item *it, enum dns_kind k)
{
	return it->have[k] && it->res[k].status == DNS_OK ? &it->res[k] : NULL;
}

static void
json_status(struct jsonw *w, const struct item *it, enum dns_kind k)
{
	jsonw_key(w, dns_kind_name(k));
	if (!it->have[k]) {
		/* Not answered in time, or never asked (no origin AS). */
		jsonw_str(w, it->asked[k] ? "pending" : "not-asked");
		return;
	}
	jsonw_str(w, it->res[k].cached && it->res[k].status == DNS_OK ?
	    "ok-cached" : dns_status_name(it->res[k].status));
}

static void
json_meta(struct jsonw *w, const struct rdap_meta *m)
{
	jsonw_kstr(w, "status", rdap_status_name(m->status));
	jsonw_key(w, "error");
	jsonw_str(w, m->status != RDAP_OK ? m->err : NULL);
	jsonw_key(w, "source");
	jsonw_str(w, m->url[0] != '\0' ? m->url : NULL);
	jsonw_key(w, "at");
	jsonw_str(w, m->at[0] != '\0' ? m->at : NULL);
	jsonw_key(w, "cached");
	jsonw_bool(w, m->cached);
	jsonw_key(w, "cut");
	jsonw_u64(w, m->cut);
}

static void
json_opt(struct jsonw *w, const char *key, const char *v)
{
	jsonw_key(w, key);
	jsonw_str(w, v[0] != '\0' ? v : NULL);
}

static void
json_rdap_ip(struct jsonw *w, const struct rdap_ip *r)
{
	char a[ADDR_STRLEN];

	jsonw_key(w, "rdap");
	jsonw_obj_open(w);
	json_meta(w, &r->m);
	if (r->m.status == RDAP_OK) {
		json_opt(w, "handle", r->handle);
		json_opt(w, "name", r->name);
		json_opt(w, "country", r->country);
		jsonw_key(w, "range");
		if (r->start.family != 0) {
			jsonw_arr_open(w);
			jsonw_str(w, addr_format(&r->start, a, sizeof(a)));
			jsonw_str(w, addr_format(&r->end, a, sizeof(a)));
			jsonw_arr_close(w);
		} else
			jsonw_null(w);
		json_opt(w, "abuse_email", r->abuse_email);
		json_opt(w, "abuse_phone", r->abuse_phone);
	}
	jsonw_obj_close(w);
}

static void
json_rdap_domain(struct jsonw *w, const struct rdap_domain *r)
{
	size_t i;

	jsonw_key(w, "registration");
	jsonw_obj_open(w);
	json_meta(w, &r->m);
	if (r->m.status == RDAP_OK) {
		json_opt(w, "domain", r->name);
		json_opt(w, "registrar", r->registrar);
		json_opt(w, "registrar_iana_id", r->registrar_id);
		json_opt(w, "abuse_email", r->abuse_email);
		json_opt(w, "abuse_phone", r->abuse_phone);
		json_opt(w, "created", r->created);
		jsonw_key(w, "nameservers");
		jsonw_arr_open(w);
		for (i = 0; i < r->nns; i++)
			jsonw_str(w, r->ns[i]);
		jsonw_arr_close(w);
	}
	jsonw_obj_close(w);
}

static void
json_fields(struct jsonw *w, const struct item *it, int dns)
{
	const struct dns_result *o = ok(it, DNS_ORIGIN), *n = ok(it, DNS_ASNAME);
	const struct dns_result *p = ok(it, DNS_PTR), *ab = ok(it, DNS_ABUSE);
	char buf[64];
	size_t i;

	jsonw_kstr(w, "addr", it->text);
	/* Offline attribution first; DNS fills what it lacks. */
	jsonw_key(w, "asn");
	if (it->info.asn != 0)
		jsonw_u64(w, it->info.asn);
	else if (o != NULL)
		jsonw_u64(w, o->asns[0]);
	else
		jsonw_null(w);
	jsonw_key(w, "asn_source");
	if (it->info.asn != 0)
		jsonw_str(w, prefix_src_name(it->info.asn_src));
	else if (o != NULL)
		jsonw_str(w, "dns");
	else
		jsonw_null(w);
	jsonw_key(w, "as_org");
	if (it->info.asn != 0 && it->info.as_org[0] != '\0')
		jsonw_str(w, it->info.as_org);
	else if (it->info.asn == 0 && n != NULL)
		jsonw_str(w, n->as_name);
	else
		jsonw_null(w);
	jsonw_key(w, "country");
	if (it->info.country[0] != '\0')
		jsonw_str(w, it->info.country);
	else if (o != NULL && o->country[0] != '\0')
		jsonw_str(w, o->country);
	else
		jsonw_null(w);
	jsonw_key(w, "country_source");
	if (it->info.country[0] != '\0')
		jsonw_str(w, prefix_src_name(it->info.country_src));
	else if (o != NULL && o->country[0] != '\0')
		jsonw_str(w, "dns");
	else
		jsonw_null(w);
	jsonw_key(w, "routed");
	if (it->info.routed < 0)
		jsonw_null(w);
	else
		jsonw_bool(w, it->info.routed);
	jsonw_key(w, "ptr");
	if (p != NULL)
		jsonw_str(w, p->name);
	else
		jsonw_null(w);
	if (ab == NULL && it->have_rdap && it->rdap.m.status == RDAP_OK &&
	    it->rdap.abuse_email[0] != '\0') {
		char src[RDAP_URL + 8];

		snprintf(src, sizeof(src), "rdap:%s", it->rdap.m.url);
		jsonw_kstr(w, "abuse_source", src);
		jsonw_key(w, "abuse");
		jsonw_arr_open(w);
		jsonw_str(w, it->rdap.abuse_email);
		jsonw_arr_close(w);
	} else {
	jsonw_key(w, "abuse_source");
	jsonw_str(w, ab != NULL ? "dns" : NULL);
	jsonw_key(w, "abuse");
	if (ab != NULL) {
		const char *s = ab->abuse;

		jsonw_arr_open(w);
		while (*s != '\0') {
			size_t len = strcspn(s, ",");

			jsonw_strn(w, s, len);
			s += len;
			while (*s == ',' || *s == ' ')
				s++;
		}
		jsonw_arr_close(w);
	} else
		jsonw_null(w);
	}
	if (it->have_rdap)
		json_rdap_ip(w, &it->rdap);
	if (dns) {
		jsonw_key(w, "origin");
		if (o != NULL) {
			jsonw_obj_open(w);
			jsonw_key(w, "asns");
			jsonw_arr_open(w);
			for (i = 0; i < o->nasns; i++)
				jsonw_u64(w, o->asns[i]);
			jsonw_arr_close(w);
			jsonw_kstr(w, "prefix", prefix_format(&o->pfx, buf,
			    sizeof(buf)));
			jsonw_key(w, "country");
			if (o->country[0] != '\0')
				jsonw_str(w, o->country);
			else
				jsonw_null(w);
			jsonw_kstr(w, "registry", o->registry);
			jsonw_key(w, "as_name");
			if (n != NULL)
				jsonw_str(w, n->as_name);
			else
				jsonw_null(w);
			jsonw_obj_close(w);
		} else
			jsonw_null(w);
		jsonw_key(w, "dns");
		jsonw_obj_open(w);
		json_status(w, it, DNS_PTR);
		json_status(w, it, DNS_ORIGIN);
		json_status(w, it, DNS_ASNAME);
		json_status(w, it, DNS_ABUSE);
		jsonw_obj_close(w);
		jsonw_key(w, "dns_errors");
		jsonw_obj_open(w);
		for (i = 0; i < 4; i++)
			if (it->have[i] && it->res[i].status != DNS_OK &&
			    it->res[i].err[0] != '\0')
				jsonw_kstr(w, dns_kind_name((enum dns_kind)i),
				    it->res[i].err);
		jsonw_obj_close(w);
		jsonw_key(w, "dns_at");
		if (it->dns_at[0] != '\0')
			jsonw_str(w, it->dns_at);
		else
			jsonw_null(w);
	}
}

static const char *
status_of(const struct item *it, enum dns_kind k, char *buf, size_t len)
{
	if (!it->have[k])
		return it->asked[k] ? "no answer in time" : "not asked";
	if (it->res[k].err[0] == '\0')
		return dns_status_name(it->res[k].status);
	snprintf(buf, len, "%s (%s)", dns_status_name(it->res[k].status),
	    it->res[k].err);
	return buf;
}

static void
print_text(const struct item *it, int dns)
{
	const struct dns_result *o = ok(it, DNS_ORIGIN), *n = ok(it, DNS_ASNAME);
	const struct dns_result *p = ok(it, DNS_PTR), *ab = ok(it, DNS_ABUSE);
	char buf[64], why[192];
	size_t i;

	printf("%s\n", it->text);
	if (it->info.asn != 0)
		printf("  AS%-10u %s [%s]\n", it->info.asn, it->info.as_org,
		    prefix_src_name(it->info.asn_src));
	else
		printf("  AS          unknown\n");
	printf("  country     %s", it->info.country[0] ? it->info.country :
	    "unknown");
	if (it->info.country[0])
		printf(" [%s]", prefix_src_name(it->info.country_src));
	printf("\n  routed      %s\n", it->info.routed == PREFIX_PARTIAL ?
	    "unknown (outside the prefix data, which is an extract: make "
	    "data)" : it->info.routed < 0 ? "unknown (no prefix data)" :
	    it->info.routed ? "yes" : "NO (no source covers it)");
	if (!dns)
		return;
	printf("  ptr         %s\n", p != NULL ? p->name : status_of(it, DNS_PTR, why,
	    sizeof(why)));
	if (o != NULL) {
		printf("  origin      AS%u", o->asns[0]);
		for (i = 1; i < o->nasns; i++)
			printf(" AS%u", o->asns[i]);
		printf(" %s %s %s%s%s\n", prefix_format(&o->pfx, buf,
		    sizeof(buf)), o->country[0] ? o->country : "-", o->registry,
		    n != NULL ? "  " : "", n != NULL ? n->as_name : "");
	} else
		printf("  origin      %s\n", status_of(it, DNS_ORIGIN, why,
		    sizeof(why)));
	if (ab == NULL && it->have_rdap && it->rdap.m.status == RDAP_OK &&
	    it->rdap.abuse_email[0] != '\0')
		printf("  abuse       %s [rdap:%s]\n", it->rdap.abuse_email,
		    it->rdap.m.url);
	else
		printf("  abuse       %s\n", ab != NULL ? ab->abuse :
		    status_of(it, DNS_ABUSE, why, sizeof(why)));
	if (it->have_rdap && it->rdap.m.status != RDAP_OK)
		printf("  rdap        %s (%s)\n", rdap_status_name(
		    it->rdap.m.status), it->rdap.m.err);
}

/* A source URL for text output: without its scheme, every dot defanged
 * (it names the phishing domain in its path). */
static char *
defang_source(const char *url, char *buf, size_t len)
{
	const char *p = strstr(url, "://");

	return defang(p != NULL ? p + 3 : url, buf, len);
}

static const char *
kind_of(const struct target *t)
{
	return t->url[0] != '\0' ? "url" : t->is_addr ? "addr" : "host";
}

static void
json_host_status(struct jsonw *w, const struct host *h, int k)
{
	jsonw_key(w, k == 0 ? "a" : "aaaa");
	if (!h->have[k])
		jsonw_str(w, h->asked[k] ? "pending" : "not-asked");
	else
		jsonw_str(w, h->res[k].cached && h->res[k].status == DNS_OK ?
		    "ok-cached" : dns_status_name(h->res[k].status));
}

static void
print_json_host(struct jsonw *w, const struct host *h, const char *pslsrc,
    int dns)
{
	const struct lookup *l = h->l;
	char buf[TARGET_URL_MAX * 3 + 8];
	size_t i;

	jsonw_obj_open(w);
	jsonw_kstr(w, "kind", kind_of(&h->t));
	if (h->t.is_addr && h->t.url[0] == '\0') {
		/* An address argument: the address object as before. */
		json_fields(w, l->items[h->items[0]], dns);
		jsonw_obj_close(w);
		return;
	}
	jsonw_key(w, "url");
	jsonw_str(w, h->t.url[0] != '\0' ? h->t.url : NULL);
	jsonw_key(w, "url_defanged");
	jsonw_str(w, h->t.url[0] != '\0' ? defang(h->t.url, buf,
	    sizeof(buf)) : NULL);
	jsonw_kstr(w, "host", h->t.host);
	jsonw_kstr(w, "host_defanged", defang(h->t.host, buf,
	    sizeof(buf)));
	jsonw_key(w, "registered_domain");
	jsonw_str(w, h->t.regdom[0] != '\0' ? h->t.regdom : NULL);
	jsonw_key(w, "registered_domain_source");
	jsonw_str(w, h->t.regdom[0] != '\0' ? pslsrc : NULL);
	if (h->have_rdap)
		json_rdap_domain(w, &h->rdap);
	if (!h->t.is_addr) {
		jsonw_key(w, "resolved");
		jsonw_obj_open(w);
		if (dns) {
			json_host_status(w, h, 0);
			json_host_status(w, h, 1);
			for (i = 0; i < 2; i++)
				if (h->have[i] && h->res[i].status != DNS_OK &&
				    h->res[i].err[0] != '\0')
					jsonw_kstr(w, i == 0 ? "a_error" :
					    "aaaa_error", h->res[i].err);
		}
		jsonw_key(w, "source");
		jsonw_str(w, dns ? "dns" : NULL);
		jsonw_key(w, "at");
		jsonw_str(w, h->dns_at[0] != '\0' ? h->dns_at : NULL);
		jsonw_key(w, "dropped");
		jsonw_u64(w, (uint64_t)h->dropped);
		jsonw_obj_close(w);
	}
	jsonw_key(w, "addresses");
	jsonw_arr_open(w);
	for (i = 0; i < h->nitems; i++) {
		jsonw_obj_open(w);
		json_fields(w, l->items[h->items[i]], dns);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
	jsonw_obj_close(w);
}

static void
print_text_host(const struct host *h, const char *pslsrc, int dns)
{
	char buf[TARGET_URL_MAX * 3 + 8], why[192];
	size_t i;
	int k;

	if (h->t.is_addr && h->t.url[0] == '\0') {
		print_text(h->l->items[h->items[0]], dns);
		return;
	}
	if (h->t.url[0] != '\0')
		printf("%s\n", defang(h->t.url, buf, sizeof(buf)));
	printf("  host        %s\n", defang(h->t.host, buf,
	    sizeof(buf)));
	if (h->t.regdom[0] != '\0')
		printf("  domain      %s [%s]\n", defang(h->t.regdom, buf,
		    sizeof(buf)), pslsrc);
	else if (!h->t.is_addr)
		printf("  domain      none (the host is a public suffix)\n");
	if (h->have_rdap && h->rdap.m.status == RDAP_OK) {
		const struct rdap_domain *r = &h->rdap;

		printf("  registrar   %s%s%s%s [rdap:%s %s]\n",
		    r->registrar[0] ? r->registrar : "unknown",
		    r->registrar_id[0] ? " (IANA " : "", r->registrar_id,
		    r->registrar_id[0] ? ")" : "", defang_source(r->m.url, buf,
		    sizeof(buf)), r->m.at);
		printf("  reg. abuse  %s%s%s\n", r->abuse_email[0] ?
		    r->abuse_email : "none given", r->abuse_phone[0] ? "  " :
		    "", r->abuse_phone);
		if (r->created[0])
			printf("  created     %s\n", r->created);
		for (i = 0; i < r->nns; i++)
			printf("  ns          %s\n", r->ns[i]);
		if (r->m.cut)
			printf("  (%u invalid or excess items of the RDAP answer "
			    "dropped)\n", r->m.cut);
	} else if (h->have_rdap)
		printf("  registrar   %s (%s) [rdap:%s]\n",
		    rdap_status_name(h->rdap.m.status), h->rdap.m.err,
		    h->rdap.m.url[0] ? defang_source(h->rdap.m.url, buf,
		    sizeof(buf)) : "-");
	if (!h->t.is_addr) {
		if (!dns)
			printf("  addresses   not resolved (--no-dns)\n");
		for (k = 0; dns && k < 2; k++) {
			const char *name = k == 0 ? "A" : "AAAA";

			if (!h->have[k])
				printf("  %-11s %s\n", name, h->asked[k] ?
				    "no answer in time" : "not asked");
			else if (h->res[k].status != DNS_OK)
				printf("  %-11s %s\n", name, h->res[k].err[0] ?
				    (snprintf(why, sizeof(why), "%s (%s)",
				    dns_status_name(h->res[k].status),
				    h->res[k].err), why) :
				    dns_status_name(h->res[k].status));
		}
		if (h->dropped)
			printf("  (%d addresses over the limit of %d not looked "
			    "up)\n", h->dropped, MAX_ITEMS);
	}
	for (i = 0; i < h->nitems; i++)
		print_text(h->l->items[h->items[i]], dns);
}

static int
lookup_exec(struct args *a, struct options *opt)
{
	char errbuf[ERRBUF_SIZE];
	struct enrich_settings es;
	struct dns_settings ds;
	struct lookup l;
	struct target_psl *psl = NULL;
	struct host *hosts = NULL;
	char **pos = args_words(a);
	int64_t wait_ms;
	int npos = args_count(a), i, nnames = 0, rc = CMD_FAIL, dns;
	size_t k;

	memset(&es, 0, sizeof(es));
	memset(&l, 0, sizeof(l));
	dns = !opt->no_dns;

	hosts = xcalloc((size_t)npos, sizeof(*hosts));
	for (i = 0; i < npos; i++) {
		hosts[i].l = &l;
		if (target_parse(pos[i], &hosts[i].t, errbuf) != 0) {
			fprintf(stderr, "kyocho lookup: %s\n", errbuf);
			rc = CMD_USAGE;
			goto out;
		}
		nnames += !hosts[i].t.is_addr;
	}
	l.db = prefix_db_new();
	config_enrich_settings(opt, &es, &ds);
	if (prefix_load_default(l.db, &es, errbuf) < 0) {
		fprintf(stderr, "kyocho lookup: %s\n", errbuf);
		goto out;
	}
	if (nnames > 0 && (psl = target_psl_open(errbuf)) == NULL) {
		fprintf(stderr, "kyocho lookup: %s\n", errbuf);
		goto out;
	}
	if (dns && (l.dns = dns_new(&ds, errbuf)) == NULL) {
		fprintf(stderr, "kyocho lookup: %s\n", errbuf);
		goto out;
	}
	for (i = 0; i < npos; i++) {
		struct host *h = &hosts[i];

		if (h->t.is_addr) {
			host_add(h, &h->t.addr);
			continue;
		}
		target_psl_regdom(psl, &h->t);
		if (l.dns == NULL)
			continue;
		h->asked[0] = dns_host(l.dns, h->t.host, 4, on_host, h) == 0;
		h->asked[1] = dns_host(l.dns, h->t.host, 6, on_host, h) == 0;
	}
	if (l.dns != NULL) {
		/* Three rounds for a name (addresses, then PTR/origin/abuse,
		 * then the AS name), two for an address, plus the time
		 * dns.rate needs to send the questions; at most a minute. */
		wait_ms = (nnames > 0 ? 3 : 2) * (int64_t)opt->dns_timeout_ms +
		    500 + ((int64_t)nnames * 2 + (int64_t)npos * 4) * 1000 /
		    (opt->dns_rate ? opt->dns_rate : 1);
		dns_wait(l.dns, mono_ms() + (wait_ms < 60000 ? wait_ms :
		    60000));
	}
	if (!opt->no_rdap) {
		struct rdap_settings rs;
		struct rdap *r;

		config_rdap_settings(opt, &rs);
		r = rdap_new(&rs, errbuf);
		config_rdap_settings_free(&rs);
		if (r == NULL) {
			fprintf(stderr, "kyocho lookup: %s\n", errbuf);
			goto out;
		}
		/* Registrations first (the cache answers a domain once),
		 * then the RIR of each address DNS gave no abuse contact. */
		for (i = 0; i < npos; i++)
			if (hosts[i].t.regdom[0] != '\0') {
				rdap_domain(r, hosts[i].t.regdom,
				    &hosts[i].rdap);
				hosts[i].have_rdap = 1;
			}
		for (k = 0; k < l.nitems; k++) {
			struct item *it = l.items[k];

			if (ok(it, DNS_ABUSE) != NULL)
				continue;
			rdap_ip(r, &it->a, &it->rdap);
			it->have_rdap = 1;
		}
		rdap_free(r);
	}
	if (args_has(a, "json")) {
		struct jsonw w;

		jsonw_init(&w, stdout, 1);
		jsonw_arr_open(&w);
		for (i = 0; i < npos; i++)
			print_json_host(&w, &hosts[i], psl != NULL ?
			    target_psl_source(psl) : "", dns);
		jsonw_arr_close(&w);
		jsonw_end(&w);
	} else
		for (i = 0; i < npos; i++)
			print_text_host(&hosts[i], psl != NULL ?
			    target_psl_source(psl) : "", dns);
	rc = fflush(stdout) == 0 ? CMD_OK : CMD_FAIL;
out:
	dns_free(l.dns);
	prefix_db_free(l.db);
	target_psl_free(psl);
	enrich_settings_free(&es);
	for (k = 0; k < l.nitems; k++)
		free(l.items[k]);
	free(l.items);
	free(hosts);
	return rc;
}

static const struct args_opt lookup_opts[] = {
	{ .name = "json", .sname = 'j', .help = "a JSON array, one object per "
	  "argument" },
	{ .name = NULL },
};

const struct cmd_entry cmd_lookup_entry = {
	.name = "lookup",
	.usage = "[--json] [--no-dns] [--no-rdap] [settings] URL|HOST|ADDR...",
	.help = "who is behind a URL, host name or address",
	.text = "A URL's or host name's addresses (A and AAAA) and registered\n"
	    "domain (Public Suffix List), then for each address\n"
	    "AS, organisation and country from the offline\n"
	    "prefix data (override file, ip-location-db CSVs, --mmdb FILE), and\n"
	    "unless --no-dns its PTR name, Team Cymru origin and AS name, and\n"
	    "abusix abuse contacts. Settings that apply:\n"
	    "  --no-dns               offline data only\n"
	    "  --no-rdap              no RDAP queries (registrar, RIR abuse)\n"
	    "  --rdap-bootstrap FILE  RFC 9224 dns.json (also -ipv4, -ipv6)\n"
	    "  --rdap-ca FILE, --rdap-timeout MS, --rdap-rate N (per minute)\n"
	    "  --prefixes FILE        local override file (kyocho-prefixes(5))\n"
	    "  --mmdb FILE            a MaxMind DB file (repeatable)\n"
	    "  --dns.server A[:PORT]  resolver (default: /etc/resolv.conf)\n"
	    "  --dns.timeout MS       per question (default 2000)\n"
	    "  --dns.rate N           questions per second (default 50)\n"
	    "  --dns.cymru-zone Z, --dns.cymru6-zone Z, --dns.asname-zone Z,\n"
	    "  --dns.abusix-zone Z    where to ask (a NOC's own mirror)\n\n"
	    "See kyocho(1); `make data` installs the full prefix data.\n",
	.opts = lookup_opts,
	.minargs = 1,
	.maxargs = -1,
	.exec = lookup_exec,
};
