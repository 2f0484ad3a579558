/*
 * cmd_summary.c -- `kyocho summary`: read capture files through the same
 * engine as the terminal (at full speed, no pacing) and print what they
 * hold, for a person or (--json) for scripts. The JSON fields are a
 * contract documented in kyocho(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "args.h"
#include "commands.h"
#include "config.h"
#include "detect.h"
#include "engine.h"
#include "jsonw.h"
#include "prefix.h"
#include "stats.h"
#include "util.h"

enum { OPT_JSON = 1, OPT_HELP, OPT_PRETTY };

static const struct argdef summary_args[] = {
	{ "json", 'j', 0, OPT_JSON },
	{ "pretty", 0, 0, OPT_PRETTY },
	{ "help", 'h', 0, OPT_HELP },
	{ NULL, 0, 0, 0 },
};

struct summary_flags {
	int json, pretty, help;
};

static int
on_flag(void *ctx, int id, const char *value, char *errbuf)
{
	struct summary_flags *f = ctx;

	(void)value;
	(void)errbuf;
	switch (id) {
	case OPT_JSON: f->json = 1; break;
	case OPT_PRETTY: f->pretty = 1; break;
	case OPT_HELP: f->help = 1; break;
	}
	return 0;
}

static void
summary_usage(FILE *f)
{
	fprintf(f,
	    "usage: kyocho summary [--json [--pretty]] [--home CIDR]... "
	    "[--threshold NAME=VALUE]...\n"
	    "                      [--top N] [--alerts FILE] -r FILE "
	    "[-r FILE]... [FILTER...]\n"
	    "Reads pcap/pcapng files (FILTER is a BPF expression) and prints "
	    "counts, top\ndestinations and alerts. See kyocho(1).\n");
}

static const char *
direction_of(const struct options *o, const struct dst_entry *d)
{
	if (o->nhome == 0)
		return "unknown";
	return d->home ? "inbound" : "outbound";
}

static void
print_json(const struct options *o, struct engine *e, int pretty)
{
	struct analysis *an = engine_analysis(e);
	struct stats *st = analysis_stats(an);
	const struct counts *c = stats_total(st);
	const struct dst_entry **top;
	struct alert *alerts;
	struct jsonw w;
	size_t n, i;
	int64_t first = stats_first_us(st), last = stats_last_us(st);
	char buf[64], abuf[ADDR_STRLEN];

	jsonw_init(&w, stdout, pretty);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "version", KYOCHO_VERSION);
	jsonw_key(&w, "files");
	jsonw_arr_open(&w);
	for (i = 0; i < o->nread; i++)
		jsonw_str(&w, o->read_files[i]);
	jsonw_arr_close(&w);
	if (o->filter != NULL)
		jsonw_kstr(&w, "filter", o->filter);
	jsonw_ku64(&w, "packets", c->packets);
	jsonw_ku64(&w, "bytes", c->bytes);
	jsonw_kdouble(&w, "duration_s", c->packets > 0 ?
	    (double)(last - first) / 1e6 : 0.0);
	jsonw_key(&w, "start");
	if (c->packets > 0)
		jsonw_str(&w, time_rfc3339(buf, sizeof(buf), first, 1));
	else
		jsonw_null(&w);
	jsonw_key(&w, "end");
	if (c->packets > 0)
		jsonw_str(&w, time_rfc3339(buf, sizeof(buf), last, 1));
	else
		jsonw_null(&w);
	jsonw_ku64(&w, "malformed", c->malformed);
	jsonw_ku64(&w, "ipv4", c->ipv4);
	jsonw_ku64(&w, "ipv6", c->ipv6);
	jsonw_ku64(&w, "tcp", c->tcp);
	jsonw_ku64(&w, "udp", c->udp);
	jsonw_ku64(&w, "icmp", c->icmp);
	jsonw_ku64(&w, "other_ip", c->other);
	jsonw_ku64(&w, "not_ip", c->notip);
	jsonw_ku64(&w, "tcp_syn", c->tcp_syn);
	jsonw_ku64(&w, "tcp_synack", c->tcp_synack);
	jsonw_ku64(&w, "tcp_rst", c->tcp_rst);
	jsonw_ku64(&w, "fragments", c->fragments);

	jsonw_key(&w, "links");
	jsonw_arr_open(&w);
	for (i = 0; i < engine_nsources(e); i++) {
		const struct link_stats *ls = stats_link(st, (unsigned)i);

		jsonw_obj_open(&w);
		jsonw_kstr(&w, "name", engine_source_name(e, i));
		jsonw_kstr(&w, "linktype", decode_link_name(
		    engine_source_linktype(e, i)));
		jsonw_ku64(&w, "packets", ls != NULL ? ls->total.packets : 0);
		jsonw_ku64(&w, "bytes", ls != NULL ? ls->total.bytes : 0);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);

	top = xcalloc(o->top_n, sizeof(*top));
	n = stats_top_dst(st, top, o->top_n);
	jsonw_key(&w, "top_destinations");
	jsonw_arr_open(&w);
	for (i = 0; i < n; i++) {
		const struct dst_entry *d = top[i];

		jsonw_obj_open(&w);
		jsonw_kstr(&w, "addr", addr_format(&d->addr, abuf, sizeof(abuf)));
		jsonw_ku64(&w, "packets", d->packets);
		jsonw_ku64(&w, "bytes", d->bytes);
		jsonw_ku64(&w, "tcp_syn", d->tcp_syn);
		jsonw_ku64(&w, "udp", d->udp);
		jsonw_ku64(&w, "icmp", d->icmp);
		jsonw_ku64(&w, "peak_pps", d->peak_pps);
		jsonw_ku64(&w, "peak_bps", d->peak_bps);
		jsonw_kbool(&w, "home", d->home);
		jsonw_kstr(&w, "direction", direction_of(o, d));
		if (engine_prefixdb(e) != NULL) {
			struct prefix_info info;

			prefix_lookup(engine_prefixdb(e), &d->addr, &info);
			prefix_jsonw(&w, &info);
		}
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	free(top);

	alerts = xcalloc(DETECT_MAX_ALERTS, sizeof(*alerts));
	n = detect_alerts(analysis_detect(an), alerts, DETECT_MAX_ALERTS);
	jsonw_key(&w, "alerts");
	jsonw_arr_open(&w);
	for (i = 0; i < n; i++)
		detect_alert_json(&w, &alerts[i]);
	jsonw_arr_close(&w);
	free(alerts);

	jsonw_key(&w, "destination_table");
	jsonw_obj_open(&w);
	jsonw_ku64(&w, "capacity", (uint64_t)STATS_DST_SETS * STATS_DST_WAYS);
	jsonw_ku64(&w, "evictions", stats_evictions(st));
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	jsonw_end(&w);
}

static void
human_count(char *buf, size_t len, uint64_t v)
{
	if (v >= 10000000000ULL)
		snprintf(buf, len, "%.1fG", (double)v / 1e9);
	else if (v >= 10000000ULL)
		snprintf(buf, len, "%.1fM", (double)v / 1e6);
	else if (v >= 10000ULL)
		snprintf(buf, len, "%.1fk", (double)v / 1e3);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

static void
print_human(const struct options *o, struct engine *e)
{
	struct analysis *an = engine_analysis(e);
	struct stats *st = analysis_stats(an);
	const struct counts *c = stats_total(st);
	const struct dst_entry **top;
	struct alert *alerts;
	size_t n, i;
	char t1[40], t2[40], a[ADDR_STRLEN], b1[16], b2[16], b3[16];
	int64_t first = stats_first_us(st), last = stats_last_us(st);

	printf("kyocho summary of %zu file%s", o->nread, o->nread == 1 ? "" : "s");
	if (o->filter != NULL)
		printf(" (filter: %s)", o->filter);
	printf("\n");
	if (c->packets > 0)
		printf("  %s .. %s  (%.3f s)\n",
		    time_rfc3339(t1, sizeof(t1), first, 0),
		    time_rfc3339(t2, sizeof(t2), last, 0),
		    (double)(last - first) / 1e6);
	printf("  packets %llu  bytes %llu  malformed %llu  not IP %llu\n",
	    (unsigned long long)c->packets, (unsigned long long)c->bytes,
	    (unsigned long long)c->malformed, (unsigned long long)c->notip);
	printf("  IPv4 %llu  IPv6 %llu  fragments %llu\n",
	    (unsigned long long)c->ipv4, (unsigned long long)c->ipv6,
	    (unsigned long long)c->fragments);
	printf("  TCP %llu (SYN %llu, SYN-ACK %llu, RST %llu)  UDP %llu  "
	    "ICMP %llu  other %llu\n",
	    (unsigned long long)c->tcp, (unsigned long long)c->tcp_syn,
	    (unsigned long long)c->tcp_synack, (unsigned long long)c->tcp_rst,
	    (unsigned long long)c->udp, (unsigned long long)c->icmp,
	    (unsigned long long)c->other);

	top = xcalloc(o->top_n, sizeof(*top));
	n = stats_top_dst(st, top, o->top_n);
	if (n > 0) {
		printf("\nTop destinations\n  %-39s %9s %9s %9s %9s %s\n",
		    "address", "packets", "bytes", "SYN", "peak pps", "");
		for (i = 0; i < n; i++) {
			char who[96] = "";

			if (engine_prefixdb(e) != NULL) {
				struct prefix_info info;
				char org[40];

				prefix_lookup(engine_prefixdb(e), &top[i]->addr, &info);
				text_sanitize(org, sizeof(org), info.as_org,
				    strlen(info.as_org));
				if (info.asn != 0 || info.country[0] != '\0')
					snprintf(who, sizeof(who), " AS%u %s %s",
					    info.asn, info.country[0] ? info.country : "--",
					    org);
			}
			human_count(b1, sizeof(b1), top[i]->packets);
			human_count(b2, sizeof(b2), top[i]->bytes);
			human_count(b3, sizeof(b3), top[i]->tcp_syn);
			printf("  %-39s %9s %9s %9s %9llu %s%s\n",
			    addr_format(&top[i]->addr, a, sizeof(a)), b1, b2, b3,
			    (unsigned long long)top[i]->peak_pps,
			    top[i]->home ? "(home)" : "", who);
		}
	}
	free(top);

	alerts = xcalloc(DETECT_MAX_ALERTS, sizeof(*alerts));
	n = detect_alerts(analysis_detect(an), alerts, DETECT_MAX_ALERTS);
	printf("\nAlerts: %zu\n", n);
	for (i = 0; i < n; i++) {
		const struct alert *al = &alerts[i];
		unsigned k;

		human_count(b1, sizeof(b1), al->peak_pps);
		human_count(b2, sizeof(b2), al->peak_bps);
		printf("  #%llu %-15s %-8s %s  %s .. %s  peak %s pps %s bps  "
		    "~%llu sources  spoofing %s\n",
		    (unsigned long long)al->id, alert_kind_name(al->kind),
		    alert_direction_name(al->direction),
		    addr_format(&al->target, a, sizeof(a)),
		    time_rfc3339(t1, sizeof(t1), al->start_us, 0),
		    al->end_us ? time_rfc3339(t2, sizeof(t2), al->end_us, 0) :
		    "(active)", b1, b2, (unsigned long long)al->sources_est,
		    alert_spoof_name(al->spoof));
		for (k = 0; k < al->nevidence; k++)
			printf("      - %s\n", al->evidence[k]);
		if (al->ncountries > 0) {
			printf("      sources by country:");
			for (k = 0; k < al->ncountries; k++)
				printf(" %s %.0f%%", al->by_country[k].country[0] ?
				    al->by_country[k].country : "??",
				    al->by_country[k].share * 100);
			printf("\n");
		}
		for (k = 0; k < al->ntop && k < 5; k++) {
			printf("      source %-39s %5.1f%%", addr_format(
			    &al->top[k].addr, a, sizeof(a)), al->top[k].share * 100);
			if (al->top[k].asn != 0 || al->top[k].country[0] != '\0')
				printf("  AS%u %s", al->top[k].asn,
				    al->top[k].country[0] ? al->top[k].country : "--");
			printf("\n");
		}
	}
	free(alerts);
}

int
cmd_summary(int argc, char **argv, struct options *opt)
{
	struct summary_flags fl = { 0, 0, 0 };
	char errbuf[ERRBUF_SIZE], **pos = NULL;
	struct engine *e;
	const char *err;
	int npos, rc = 0;

	if (args_parse(argc, argv, 1, summary_args, on_flag, &fl, opt, &pos,
	    &npos, errbuf) != 0) {
		fprintf(stderr, "kyocho summary: %s\n", errbuf);
		free(pos);
		return 2;
	}
	if (fl.help) {
		summary_usage(stdout);
		free(pos);
		return 0;
	}
	opt->filter = args_join(pos, npos);
	free(pos);
	if (opt->nread == 0) {
		fprintf(stderr, "kyocho summary: give at least one capture file "
		    "with -r FILE\n");
		return 2;
	}
	if (opt->nifaces > 0) {
		fprintf(stderr, "kyocho summary: reads files only (-r); "
		    "for live capture run kyocho -i IFACE\n");
		return 2;
	}
	opt->speed = 0;		/* as fast as the files can be read */
	if ((e = engine_new(opt, errbuf)) == NULL) {
		fprintf(stderr, "kyocho summary: %s\n", errbuf);
		return 1;
	}
	if (engine_start(e, errbuf) != 0) {
		fprintf(stderr, "kyocho summary: %s\n", errbuf);
		engine_free(e);
		return 1;
	}
	engine_wait(e);
	if ((err = engine_error(e)) != NULL) {
		fprintf(stderr, "kyocho summary: %s\n", err);
		rc = 1;
	} else if (fl.json)
		print_json(opt, e, fl.pretty);
	else
		print_human(opt, e);
	engine_free(e);
	free(opt->filter);
	opt->filter = NULL;
	return rc;
}
