/*
 * dnsprobe.c -- drive src/enrich/dns.c from a script, for the end-to-end tests.
 *
 * Usage: dnsprobe [kyocho settings: --dns.server ADDR:PORT ...]
 * Reads commands on stdin, one per line, and answers on stdout:
 *   ptr ADDR | origin ADDR | abuse ADDR | asname N
 *                      ask (the answer is printed when it comes)
 *   wait               run the loop until nothing is outstanding (or
 *                      3 x dns.timeout), then print "done N" (N undelivered)
 *   stats              print the counters
 *   stress N MS        ask N origin questions about distinct addresses,
 *                      then run a 10 ms ticking loop (like the screen's)
 *                      for MS milliseconds and print
 *                      "stress ticks=T expect=E maxgap_ms=G outstanding=O
 *                      sent=S" (S: questions handed to c-ares)
 * One result line: "KIND SUBJECT STATUS cached=0|1 ttl=N key=value...",
 * values %-escaped (space, %, and bytes outside printable ASCII), so the
 * shell sees exactly what kyocho would show.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "settings/args.h"
#include "settings/config.h"
#include "enrich/dns.h"
#include "base/util.h"

static void
put(const char *key, const char *v)
{
	printf(" %s=", key);
	for (; *v != '\0'; v++) {
		unsigned char c = (unsigned char)*v;

		if (c <= ' ' || c == '%' || c >= 0x7f)
			printf("%%%02x", c);
		else
			putchar(c);
	}
}

static void
on_result(const struct dns_result *r, void *arg)
{
	char buf[64];
	size_t i;

	(void)arg;
	if (r->kind == DNS_ASNAME)
		snprintf(buf, sizeof(buf), "AS%u", r->asked_asn);
	else
		addr_format(&r->addr, buf, sizeof(buf));
	printf("%s %s %s cached=%d ttl=%u", dns_kind_name(r->kind), buf,
	    dns_status_name(r->status), r->cached, r->ttl);
	if (r->status != DNS_OK) {
		put("err", r->err);
	} else if (r->kind == DNS_PTR) {
		put("name", r->name);
	} else if (r->kind == DNS_ORIGIN) {
		printf(" asns=");
		for (i = 0; i < r->nasns; i++)
			printf("%s%u", i ? "," : "", r->asns[i]);
		put("prefix", prefix_format(&r->pfx, buf, sizeof(buf)));
		put("country", r->country);
		put("registry", r->registry);
	} else if (r->kind == DNS_ASNAME) {
		put("country", r->country);
		put("name", r->as_name);
	} else
		put("abuse", r->abuse);
	printf("\n");
	fflush(stdout);
}

static void
run(struct dns *d, int64_t deadline)
{
	struct pollfd fds[DNS_MAX_FDS];

	while (dns_outstanding(d) > 0 && mono_ms() < deadline) {
		int n = dns_pollfds(d, fds, DNS_MAX_FDS);
		int t = dns_timeout_ms(d);
		int64_t left = deadline - mono_ms();

		if (t < 0 || t > left)
			t = (int)(left > 0 ? left : 0);
		if (poll(fds, (nfds_t)n, t) < 0)
			break;
		dns_process(d, fds, n);
	}
}

static void
stress(struct dns *d, long n, long ms)
{
	struct pollfd fds[DNS_MAX_FDS];
	struct dns_stats st;
	int64_t start, last, next_tick, end, gap = 0;
	long i, ticks = 0;

	for (i = 0; i < n; i++) {
		struct addr a;

		addr_from_v4(&a, 0x0a000000u + (uint32_t)i);	/* 10.0.0.0/8 */
		if (dns_origin(d, &a, NULL, NULL) != 0)
			break;
	}
	start = last = mono_ms();
	next_tick = start + 10;
	end = start + ms;
	/* The screen's loop: wake for DNS or for the next 10 ms frame. */
	while (mono_ms() < end) {
		int nf = dns_pollfds(d, fds, DNS_MAX_FDS);
		int t = dns_timeout_ms(d);
		int64_t now = mono_ms(), until = next_tick - now;

		if (until < 0)
			until = 0;
		if (t < 0 || t > until)
			t = (int)until;
		if (poll(fds, (nfds_t)nf, t) < 0)
			break;
		dns_process(d, fds, nf);
		now = mono_ms();
		if (now >= next_tick) {
			ticks++;
			if (now - last > gap)
				gap = now - last;
			last = now;
			next_tick += 10;
			if (next_tick < now)
				next_tick = now + 10;
		}
	}
	dns_stats(d, &st);
	printf("stress asked=%ld ticks=%ld expect=%ld maxgap_ms=%lld "
	    "outstanding=%zu sent=%llu\n", i, ticks, ms / 10, (long long)gap,
	    dns_outstanding(d), (unsigned long long)st.sent);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	char errbuf[ERRBUF_SIZE], line[512];
	struct options o;
	struct dns_settings ds;
	struct dns *d;
	char **pos;
	int npos;

	if (args_load_config(argc, argv, &o, errbuf) != 0 ||
	    args_common(argc, argv, 1, &o, &pos, &npos,
	    errbuf) != 0) {
		fprintf(stderr, "dnsprobe: %s\n", errbuf);
		return 2;
	}
	free(pos);
	config_enrich_settings(&o, NULL, &ds);
	if ((d = dns_new(&ds, errbuf)) == NULL) {
		fprintf(stderr, "dnsprobe: %s\n", errbuf);
		return 1;
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char cmd[16], arg[128];
		struct addr a;
		long n, ms;
		int rc = 0;

		if (sscanf(line, "%15s %127s", cmd, arg) < 1)
			continue;
		if (strcmp(cmd, "wait") == 0) {
			run(d, mono_ms() + 3 * (int64_t)o.dns_timeout_ms);
			printf("done %zu\n", dns_outstanding(d));
		} else if (strcmp(cmd, "stats") == 0) {
			struct dns_stats st;

			dns_stats(d, &st);
			printf("stats asked=%llu sent=%llu cache_hits=%llu "
			    "answered=%llu failed=%llu bad=%llu\n",
			    (unsigned long long)st.asked,
			    (unsigned long long)st.sent,
			    (unsigned long long)st.cache_hits,
			    (unsigned long long)st.answered,
			    (unsigned long long)st.failed,
			    (unsigned long long)st.bad);
		} else if (strcmp(cmd, "stress") == 0 &&
		    sscanf(line, "%*s %ld %ld", &n, &ms) == 2) {
			stress(d, n, ms);
		} else if (strcmp(cmd, "asname") == 0) {
			rc = parse_long(arg, 1, 4294967295L, &n) != 0 ? -1 :
			    dns_asname(d, (uint32_t)n, on_result, NULL);
		} else if (addr_parse(arg, &a) != 0) {
			rc = -1;
		} else if (strcmp(cmd, "ptr") == 0) {
			rc = dns_ptr(d, &a, on_result, NULL);
		} else if (strcmp(cmd, "origin") == 0) {
			rc = dns_origin(d, &a, on_result, NULL);
		} else if (strcmp(cmd, "abuse") == 0) {
			rc = dns_abuse(d, &a, on_result, NULL);
		} else
			rc = -1;
		if (rc != 0)
			printf("refused %s", line);
		fflush(stdout);
	}
	dns_free(d);
	return 0;
}
