/*
 * cmd_summary.c -- `kyocho summary`: read capture files (at full speed, no
 * pacing), or capture on interfaces or listen to telemetry for a while
 * (--duration, --idle), through the same engine as
 * the terminal, and print what they hold, for a person or (--json) for
 * scripts. The JSON fields are a contract documented in kyocho(1).
 */
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/analysis.h"
#include "cli/commands.h"
#include "detect/detect.h"
#include "engine/engine.h"
#include "flow/flowsrc.h"
#include "base/jsonw.h"
#include "enrich/prefix.h"
#include "detect/stats.h"
#include "base/util.h"

struct summary_flags {
	int json, pretty;
	long duration, idle;	/* -i, telemetry: seconds, 0 = no limit */
};

/* What the printers read, gathered once the engine has finished. */
struct result {
	const struct options *o;
	struct engine *e;
	struct stats *st;
	const struct prefixdb *pdb;	/* NULL when no prefix data was found */
	const struct flowsrc *fs;	/* telemetry; NULL for capture files */
	struct engine_telemetry tm;	/* with fs */
	const struct dst_entry **top;	/* owned; ntop of them */
	size_t ntop;
	struct alert *alerts;		/* owned; nalerts of them */
	size_t nalerts;
};

static const char *
direction_of(const struct options *o, const struct dst_entry *d)
{
	if (o->nhome == 0)
		return "unknown";
	return d->home ? "inbound" : "outbound";
}

/* Relative standard error of an estimate from n sampled packets (random
 * 1:N sampling); 0 when nothing was sampled (rate 1). */
static double
flow_rel_error(const struct engine_telemetry *tm)
{
	if (tm->max_rate <= 1 || tm->sampled == 0)
		return 0;
	return 1.0 / sqrt((double)tm->sampled);
}

/* Fill r from the finished engine e; free with result_free(). */
static void
result_init(struct result *r, const struct options *o, struct engine *e)
{
	struct analysis *an = engine_analysis(e);

	memset(r, 0, sizeof(*r));
	r->o = o;
	r->e = e;
	r->st = analysis_stats(an);
	r->pdb = engine_prefixdb(e);
	if ((r->fs = engine_flowsrc(e)) != NULL)
		engine_telemetry_totals(e, &r->tm);
	r->top = xcalloc(o->top_n, sizeof(*r->top));
	r->ntop = stats_top_dst(r->st, r->top, o->top_n);
	r->alerts = xcalloc(DETECT_MAX_ALERTS, sizeof(*r->alerts));
	r->nalerts = detect_alerts(analysis_detect(an), r->alerts,
	    DETECT_MAX_ALERTS);
}

static void
result_free(struct result *r)
{
	free(r->top);
	free(r->alerts);
}

static void
json_telemetry(struct jsonw *w, const struct result *r)
{
	struct flowc_exporter *ex;
	struct flowc_stats st;
	char abuf[ADDR_STRLEN];
	const char *listen;
	size_t i, j, n;
	int kind;

	jsonw_key(w, "telemetry");
	jsonw_obj_open(w);
	jsonw_kdouble(w, "listened_s", r->tm.listened_s);
	jsonw_ku64(w, "max_sampling_rate", r->tm.max_rate);
	jsonw_ku64(w, "sampled_packets", r->tm.sampled);
	jsonw_kdouble(w, "rel_error", flow_rel_error(&r->tm));
	jsonw_key(w, "collectors");
	jsonw_arr_open(w);
	ex = xcalloc(FLOWC_MAX_EXPORTERS + 1, sizeof(*ex));
	for (i = 0; i < flowsrc_ncollectors(r->fs); i++) {
		struct flow_collector *c = flowsrc_collector(r->fs, i, &kind,
		    &listen);

		flowc_stats(c, &st);
		jsonw_obj_open(w);
		jsonw_kstr(w, "kind", kind == FLOW_SFLOW ? "sflow" : "netflow");
		jsonw_kstr(w, "listen", listen);
		jsonw_ku64(w, "port", flowc_port(c));
		jsonw_ku64(w, "datagrams", st.datagrams);
		jsonw_ku64(w, "records", st.records);
		jsonw_ku64(w, "malformed", st.malformed);
		jsonw_ku64(w, "unknown_templates", st.unknown);
		jsonw_ku64(w, "skipped_records", st.skipped);
		jsonw_ku64(w, "templates", st.templates);
		jsonw_ku64(w, "shed", st.shed);
		jsonw_ku64(w, "socket_drops", st.sock_drops);
		jsonw_ku64(w, "lost_datagrams", st.lost_datagrams);
		jsonw_ku64(w, "lost_records", st.lost_records);
		jsonw_key(w, "exporters");
		jsonw_arr_open(w);
		n = flowc_exporters(c, ex, FLOWC_MAX_EXPORTERS + 1);
		for (j = 0; j < n; j++) {
			jsonw_obj_open(w);
			jsonw_kstr(w, "peer", ex[j].peer.family == 0 ? "other" :
			    addr_format(&ex[j].peer, abuf, sizeof(abuf)));
			jsonw_ku64(w, "port", ex[j].port);
			if (ex[j].agent.family != 0)
				jsonw_kstr(w, "agent", addr_format(&ex[j].agent,
				    abuf, sizeof(abuf)));
			jsonw_ku64(w, "version", ex[j].version);
			jsonw_ku64(w, "domain", ex[j].domain);
			jsonw_ku64(w, "datagrams", ex[j].datagrams);
			jsonw_ku64(w, "records", ex[j].records);
			jsonw_ku64(w, "malformed", ex[j].malformed);
			jsonw_ku64(w, "unknown_templates", ex[j].unknown);
			jsonw_ku64(w, "skipped_records", ex[j].skipped);
			jsonw_ku64(w, "shed", ex[j].shed);
			jsonw_ku64(w, "lost_datagrams", ex[j].lost_datagrams);
			jsonw_ku64(w, "lost_records", ex[j].lost_records);
			jsonw_obj_close(w);
		}
		jsonw_arr_close(w);
		jsonw_obj_close(w);
	}
	free(ex);
	jsonw_arr_close(w);
	jsonw_obj_close(w);
}

/* Live capture: the interfaces' counters, summed ("capture"); each link
 * has its own beside its packets. */
static void
json_capture(struct jsonw *w, const struct result *r)
{
	struct engine_capture c, sum;
	size_t i;

	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < engine_nsources(r->e); i++) {
		if (engine_source_capture(r->e, i, &c) != 0)
			continue;
		sum.received += c.received;
		sum.kernel_drops += c.kernel_drops;
		sum.if_drops += c.if_drops;
		sum.ring_full_drops += c.ring_full_drops;
	}
	jsonw_key(w, "interfaces");
	jsonw_arr_open(w);
	for (i = 0; i < r->o->nifaces; i++)
		jsonw_str(w, r->o->ifaces[i]);
	jsonw_arr_close(w);
	jsonw_key(w, "capture");
	jsonw_obj_open(w);
	jsonw_kdouble(w, "listened_s", engine_live_listened(r->e));
	jsonw_ku64(w, "received", sum.received);
	jsonw_ku64(w, "kernel_drops", sum.kernel_drops);
	jsonw_ku64(w, "interface_drops", sum.if_drops);
	jsonw_ku64(w, "ring_full_drops", sum.ring_full_drops);
	jsonw_obj_close(w);
}

static void
print_json(const struct result *r, int pretty)
{
	const struct options *o = r->o;
	const struct counts *c = stats_total(r->st);
	struct engine_capture cap;
	struct jsonw w;
	size_t i, k;
	int64_t first = stats_first_us(r->st), last = stats_last_us(r->st);
	char buf[64], abuf[ADDR_STRLEN];

	jsonw_init(&w, stdout, pretty);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "version", KYOCHO_VERSION);
	/* counts from sampled telemetry are estimates */
	jsonw_kbool(&w, "estimated", r->fs != NULL);
	if (r->fs != NULL)
		json_telemetry(&w, r);
	jsonw_key(&w, "files");
	jsonw_arr_open(&w);
	for (i = 0; i < o->nread; i++)
		jsonw_str(&w, o->read_files[i]);
	jsonw_arr_close(&w);
	if (o->nifaces > 0)
		json_capture(&w, r);
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
	for (i = 0; r->fs != NULL && i < flowsrc_maxlinks(r->fs); i++) {
		const struct flowsrc_link *fl = flowsrc_link(r->fs, i);
		const struct link_stats *ls = stats_link(r->st,
		    (unsigned)(engine_nsources(r->e) + i));

		if (fl == NULL)
			continue;
		jsonw_obj_open(&w);
		jsonw_kstr(&w, "name", fl->name);
		jsonw_kstr(&w, "linktype", "telemetry");
		if (fl->exporter.family != 0) {
			jsonw_kstr(&w, "exporter", addr_format(&fl->exporter,
			    abuf, sizeof(abuf)));
			jsonw_ku64(&w, "ifindex", fl->ifindex);
		}
		jsonw_ku64(&w, "capacity_bps", fl->capacity_bps);
		jsonw_ku64(&w, "sampling_rate", fl->rate);
		jsonw_ku64(&w, "packets", ls != NULL ? ls->total.packets : 0);
		jsonw_ku64(&w, "bytes", ls != NULL ? ls->total.bytes : 0);
		jsonw_obj_close(&w);
	}
	for (i = 0; i < engine_nsources(r->e); i++) {
		const struct link_stats *ls = stats_link(r->st, (unsigned)i);

		jsonw_obj_open(&w);
		jsonw_kstr(&w, "name", engine_source_name(r->e, i));
		jsonw_kstr(&w, "linktype", decode_link_name(
		    engine_source_linktype(r->e, i)));
		jsonw_ku64(&w, "packets", ls != NULL ? ls->total.packets : 0);
		jsonw_ku64(&w, "bytes", ls != NULL ? ls->total.bytes : 0);
		if (engine_source_capture(r->e, i, &cap) == 0) {
			jsonw_ku64(&w, "readers", cap.readers);
			jsonw_key(&w, "reader_received");
			jsonw_arr_open(&w);
			for (k = 0; k < cap.readers && k < ENGINE_MAX_READERS; k++)
				jsonw_u64(&w, cap.reader_received[k]);
			jsonw_arr_close(&w);
			jsonw_ku64(&w, "received", cap.received);
			jsonw_ku64(&w, "kernel_drops", cap.kernel_drops);
			jsonw_ku64(&w, "interface_drops", cap.if_drops);
			jsonw_ku64(&w, "ring_full_drops", cap.ring_full_drops);
		}
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);

	jsonw_key(&w, "top_destinations");
	jsonw_arr_open(&w);
	for (i = 0; i < r->ntop; i++) {
		const struct dst_entry *d = r->top[i];

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
		if (r->pdb != NULL) {
			struct prefix_info info;

			prefix_lookup(r->pdb, &d->addr, &info);
			prefix_jsonw(&w, &info);
		}
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);

	jsonw_key(&w, "alerts");
	jsonw_arr_open(&w);
	for (i = 0; i < r->nalerts; i++)
		detect_alert_json(&w, &r->alerts[i]);
	jsonw_arr_close(&w);

	jsonw_key(&w, "destination_table");
	jsonw_obj_open(&w);
	jsonw_ku64(&w, "capacity", (uint64_t)STATS_DST_SETS * STATS_DST_WAYS);
	jsonw_ku64(&w, "evictions", stats_evictions(r->st));
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
print_human(const struct result *r)
{
	const struct options *o = r->o;
	const struct counts *c = stats_total(r->st);
	const struct dst_entry *const *top = r->top;
	size_t i;
	char t1[40], t2[40], a[ADDR_STRLEN], b1[16], b2[16], b3[16];
	int64_t first = stats_first_us(r->st), last = stats_last_us(r->st);

	if (r->fs != NULL) {
		struct flowc_stats fst;

		flowsrc_stats(r->fs, &fst);
		printf("kyocho summary of %.1f s of telemetry: ESTIMATES "
		    "(sampling up to 1:%u, relative error ~%.2g)\n",
		    r->tm.listened_s, r->tm.max_rate, flow_rel_error(&r->tm));
		printf("  datagrams %llu  records %llu  exporters %zu  malformed "
		    "%llu  unknown templates %llu  skipped records %llu  shed "
		    "%llu  socket drops %llu\n",
		    (unsigned long long)fst.datagrams,
		    (unsigned long long)fst.records, fst.exporters,
		    (unsigned long long)fst.malformed,
		    (unsigned long long)fst.unknown,
		    (unsigned long long)fst.skipped,
		    (unsigned long long)fst.shed,
		    (unsigned long long)fst.sock_drops);
	} else if (o->nifaces > 0) {
		printf("kyocho summary of %.1f s of live capture",
		    engine_live_listened(r->e));
		if (o->filter != NULL)
			printf(" (filter: %s)", o->filter);
		printf("\n");
		for (i = 0; i < engine_nsources(r->e); i++) {
			struct engine_capture cap;

			if (engine_source_capture(r->e, i, &cap) != 0)
				continue;
			printf("  %s: received %llu  kernel drops %llu (%llu "
			    "while kyocho's ring was full)  interface drops "
			    "%llu\n", engine_source_name(r->e, i),
			    (unsigned long long)cap.received,
			    (unsigned long long)cap.kernel_drops,
			    (unsigned long long)cap.ring_full_drops,
			    (unsigned long long)cap.if_drops);
		}
	} else {
		printf("kyocho summary of %zu file%s", o->nread,
		    o->nread == 1 ? "" : "s");
		if (o->filter != NULL)
			printf(" (filter: %s)", o->filter);
		printf("\n");
	}
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

	if (r->ntop > 0) {
		printf("\nTop destinations\n  %-39s %9s %9s %9s %9s %s\n",
		    "address", "packets", "bytes", "SYN", "peak pps", "");
		for (i = 0; i < r->ntop; i++) {
			char who[96] = "";

			if (r->pdb != NULL) {
				struct prefix_info info;
				char org[40];

				prefix_lookup(r->pdb, &top[i]->addr, &info);
				text_sanitize(org, sizeof(org), info.as_org,
				    strlen(info.as_org));
				if (info.asn != 0)
					snprintf(who, sizeof(who), " AS%u %s %s",
					    info.asn, info.country[0] ? info.country : "--",
					    org);
				else if (info.country[0] != '\0')
					snprintf(who, sizeof(who), " %s", info.country);
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

	printf("\nAlerts: %zu\n", r->nalerts);
	for (i = 0; i < r->nalerts; i++) {
		const struct alert *al = &r->alerts[i];
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
			if (al->top[k].asn != 0)
				printf("  AS%u", al->top[k].asn);
			if (al->top[k].country[0] != '\0')
				printf("  %s", al->top[k].country);
			printf("\n");
		}
	}
}

/* The engine whose telemetry SIGINT and SIGTERM end; NULL otherwise. */
static struct engine *_Atomic summary_engine;

static void
on_signal(int sig)
{
	struct engine *e = atomic_load(&summary_engine);

	(void)sig;
	if (e != NULL)
		engine_end_input(e);
}

/* Say where the telemetry listeners listen (the port, when 0 picked a free
 * one) and warn of receive buffers too small for bursts. */
static void
telemetry_announce(const struct flowsrc *fs)
{
	struct flowc_stats st;
	const char *listen;
	size_t i;
	int kind;

	for (i = 0; i < flowsrc_ncollectors(fs); i++) {
		struct flow_collector *c = flowsrc_collector(fs, i, &kind,
		    &listen);

		fprintf(stderr, "kyocho summary: listening for %s on %s "
		    "(port %u)\n", kind == FLOW_SFLOW ? "sflow" : "netflow",
		    listen, flowc_port(c));
		flowc_stats(c, &st);
		if (st.rcvbuf < (4 << 20))
			fprintf(stderr, "kyocho summary: %s: the socket receive "
			    "buffer is only %d KiB, bursts may be dropped; run "
			    "as root or raise net.core.rmem_max\n", listen,
			    st.rcvbuf >> 10);
	}
}

/*
 * Read the capture files or the telemetry of opt through the engine and
 * print the summary. Telemetry is listened to for fl->duration seconds, or
 * until fl->idle seconds after the last datagram, or SIGINT/SIGTERM.
 * Returns the exit status.
 */
static int
summarize(struct options *opt, const struct summary_flags *fl)
{
	char errbuf[ERRBUF_SIZE];
	struct engine *e;
	struct result r;
	struct sigaction sa;
	const struct flowsrc *fs;
	const char *err;
	size_t i;
	int rc = 0;

	if ((e = engine_new_report(opt, errbuf)) == NULL) {
		fprintf(stderr, "kyocho summary: %s\n", errbuf);
		return CMD_FAIL;
	}
	if ((fs = engine_flowsrc(e)) != NULL)
		telemetry_announce(fs);
	if (fs != NULL || opt->nifaces > 0) {
		engine_set_telemetry_report(e, fl->duration, fl->idle);
		engine_set_live_report(e, fl->duration, fl->idle);
		atomic_store(&summary_engine, e);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (engine_start(e, errbuf) != 0) {
		fprintf(stderr, "kyocho summary: %s\n", errbuf);
		rc = CMD_FAIL;
		goto out;
	}
	for (i = 0; i < opt->nifaces; i++)
		fprintf(stderr, "kyocho summary: capturing on %s\n",
		    opt->ifaces[i]);
	engine_wait(e);
	if ((err = engine_error(e)) != NULL) {
		fprintf(stderr, "kyocho summary: %s\n", err);
		rc = CMD_FAIL;
		goto out;
	}
	result_init(&r, opt, e);
	if (fl->json)
		print_json(&r, fl->pretty);
	else
		print_human(&r);
	result_free(&r);
out:
	atomic_store(&summary_engine, NULL);
	engine_free(e);
	return rc;
}

static int
summary_exec(struct args *a, struct options *opt)
{
	struct summary_flags fl;
	int rc;

	fl.json = args_has(a, "json");
	fl.pretty = args_has(a, "pretty");
	fl.duration = args_num(a, "duration", 0);
	fl.idle = args_num(a, "idle", 0);
	opt->filter = args_join(args_words(a), args_count(a));
	if ((opt->nsflow + opt->nnetflow > 0) + (opt->nread > 0) +
	    (opt->nifaces > 0) > 1) {
		fprintf(stderr, "kyocho summary: reads capture files (-r), "
		    "interfaces (-i) or telemetry (--sflow/--netflow), one "
		    "kind at a time\n");
		free(opt->filter);
		opt->filter = NULL;
		return CMD_USAGE;
	}
	if (opt->nsflow + opt->nnetflow > 0) {
		if (opt->filter != NULL) {
			fprintf(stderr, "kyocho summary: a BPF filter applies "
			    "to capture files, not to telemetry\n");
			free(opt->filter);
			opt->filter = NULL;
			return CMD_USAGE;
		}
	} else if (opt->nread == 0 && opt->nifaces == 0) {
		fprintf(stderr, "kyocho summary: give at least one capture file "
		    "with -r FILE, an interface with -i IFACE, or "
		    "--sflow/--netflow [ADDR:]PORT\n");
		return CMD_USAGE;
	}
	opt->speed = 0;		/* as fast as the files can be read */
	rc = summarize(opt, &fl);
	free(opt->filter);
	opt->filter = NULL;
	return rc;
}

static const struct args_opt summary_opts[] = {
	{ .name = "json", .sname = 'j', .help = "JSON (fields in kyocho(1))" },
	{ .name = "pretty", .help = "indent the JSON" },
	{ .name = "duration", .arg = "SECONDS", .min = 0, .max = 86400 * 365,
	  .what = "a number of seconds",
	  .help = "-i, telemetry: listen this long (0: until interrupted)" },
	{ .name = "idle", .arg = "SECONDS", .min = 0, .max = 86400 * 365,
	  .what = "a number of seconds",
	  .help = "-i, telemetry: stop this long after the last packet" },
	{ .name = NULL },
};

const struct cmd_entry cmd_summary_entry = {
	.name = "summary",
	.usage = "[--json [--pretty]] [--home CIDR]... [--threshold NAME=VALUE]..."
	    "\n [--top N] [--alerts FILE] -r FILE [-r FILE]... [FILTER...]\n"
	    "[--json] [options] --sflow|--netflow [ADDR:]PORT ...\n"
	    " [--duration SECONDS] [--idle SECONDS]\n"
	    "[--json] [options] -i IFACE [-i IFACE]... [--duration SECONDS]\n"
	    " [--idle SECONDS] [FILTER...]",
	.help = "summarise capture files (--json for scripts)",
	.text = "Reads pcap/pcapng files (FILTER is a BPF expression), or captures "
	    "on interfaces\nor listens for sFlow, NetFlow and IPFIX for "
	    "--duration seconds (0: until\ninterrupted) or until --idle "
	    "seconds pass without a packet or datagram, "
	    "and prints counts, top destinations and\nalerts. Telemetry counts "
	    "are estimates scaled by the sampling rate. See kyocho(1).\n",
	.opts = summary_opts,
	.maxargs = -1,
	.exec = summary_exec,
};
