/*
 * cmd_lookup.c -- `kyocho lookup [--json] ADDR...`: who is behind an
 * address, at the prompt. Offline attribution (prefix.h: overrides, CSVs,
 * MaxMind DB) plus, unless --no-dns, PTR, Team Cymru origin and AS name
 * and abusix abuse contacts (dns.h), waiting at most about twice
 * dns.timeout (the AS name is asked once the origin is known) plus what
 * dns.rate needs to send the questions, a minute at most.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "enrich/dns.h"
#include "base/jsonw.h"
#include "enrich/prefix.h"
#include "settings/config.h"
#include "base/util.h"

struct item {
	struct addr a;
	char text[ADDR_STRLEN];
	struct prefix_info info;
	struct dns_result res[4];	/* by enum dns_kind */
	int have[4];
	int asked[4];
	struct dns *dns;
};

static void
on_result(const struct dns_result *r, void *arg)
{
	struct item *it = arg;

	if ((size_t)r->kind >= NITEMS(it->res))
		return;
	it->res[r->kind] = *r;
	it->have[r->kind] = 1;
	if (r->kind == DNS_ORIGIN && r->status == DNS_OK && r->nasns > 0 &&
	    !it->asked[DNS_ASNAME])
		it->asked[DNS_ASNAME] = dns_asname(it->dns, r->asns[0],
		    on_result, it) == 0;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run the DNS loop until everything is answered or the deadline. */
static void
wait_dns(struct dns *d, int64_t deadline)
{
	struct pollfd fds[DNS_MAX_FDS];

	while (dns_outstanding(d) > 0) {
		int64_t left = deadline - mono_ms();
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
print_json(struct jsonw *w, const struct item *it, int dns)
{
	const struct dns_result *o = ok(it, DNS_ORIGIN), *n = ok(it, DNS_ASNAME);
	const struct dns_result *p = ok(it, DNS_PTR), *ab = ok(it, DNS_ABUSE);
	char buf[64];
	size_t i;

	jsonw_obj_open(w);
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
	}
	jsonw_obj_close(w);
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
	printf("  abuse       %s\n", ab != NULL ? ab->abuse :
	    status_of(it, DNS_ABUSE, why, sizeof(why)));
}

static int
lookup_exec(struct args *a, struct options *opt)
{
	char errbuf[ERRBUF_SIZE];
	struct enrich_settings es;
	struct dns_settings ds;
	struct prefixdb *db = NULL;
	struct dns *d = NULL;
	struct item *items = NULL;
	char **pos = args_words(a);
	int64_t wait_ms;
	int npos = args_count(a), i, rc = CMD_FAIL;

	memset(&es, 0, sizeof(es));

	items = xcalloc((size_t)npos, sizeof(*items));
	for (i = 0; i < npos; i++) {
		if (addr_parse(pos[i], &items[i].a) != 0) {
			char show[64];

			text_sanitize(show, sizeof(show), pos[i], strlen(pos[i]));
			fprintf(stderr, "kyocho lookup: '%s' is not an IPv4 or "
			    "IPv6 address\n", show);
			rc = CMD_USAGE;
			goto out;
		}
		addr_format(&items[i].a, items[i].text, sizeof(items[i].text));
	}
	db = prefix_db_new();
	config_enrich_settings(opt, &es, &ds);
	if (prefix_load_default(db, &es, errbuf) < 0) {
		fprintf(stderr, "kyocho lookup: %s\n", errbuf);
		goto out;
	}
	for (i = 0; i < npos; i++)
		prefix_lookup(db, &items[i].a, &items[i].info);
	if (!opt->no_dns) {
		if ((d = dns_new(&ds, errbuf)) == NULL) {
			fprintf(stderr, "kyocho lookup: %s\n", errbuf);
			goto out;
		}
		for (i = 0; i < npos; i++) {
			struct item *it = &items[i];

			it->dns = d;
			it->asked[DNS_PTR] = dns_ptr(d, &it->a, on_result,
			    it) == 0;
			it->asked[DNS_ORIGIN] = dns_origin(d, &it->a, on_result,
			    it) == 0;
			it->asked[DNS_ABUSE] = dns_abuse(d, &it->a, on_result,
			    it) == 0;
		}
		/* Two rounds (the AS name follows the origin), plus the time
		 * dns.rate needs to send four questions per address; at most
		 * a minute. */
		wait_ms = 2 * (int64_t)opt->dns_timeout_ms + 500 +
		    (int64_t)npos * 4 * 1000 / (opt->dns_rate ? opt->dns_rate : 1);
		wait_dns(d, mono_ms() + (wait_ms < 60000 ? wait_ms : 60000));
	}
	if (args_has(a, "json")) {
		struct jsonw w;

		jsonw_init(&w, stdout, 1);
		jsonw_arr_open(&w);
		for (i = 0; i < npos; i++)
			print_json(&w, &items[i], d != NULL);
		jsonw_arr_close(&w);
		jsonw_end(&w);
	} else
		for (i = 0; i < npos; i++)
			print_text(&items[i], d != NULL);
	rc = fflush(stdout) == 0 ? CMD_OK : CMD_FAIL;
out:
	dns_free(d);
	prefix_db_free(db);
	enrich_settings_free(&es);
	free(items);
	return rc;
}

static const struct args_opt lookup_opts[] = {
	{ .name = "json", .sname = 'j', .help = "a JSON array, one object per "
	  "address" },
	{ .name = NULL },
};

const struct cmd_entry cmd_lookup_entry = {
	.name = "lookup",
	.usage = "[--json] [--no-dns] [settings] ADDR...",
	.help = "AS, organisation, country, PTR, abuse contact of addresses",
	.text = "AS, organisation and country of each address from the offline\n"
	    "prefix data (override file, ip-location-db CSVs, --mmdb FILE), and\n"
	    "unless --no-dns its PTR name, Team Cymru origin and AS name, and\n"
	    "abusix abuse contacts. Settings that apply:\n"
	    "  --no-dns               offline data only\n"
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
