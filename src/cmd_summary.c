/*
 * cmd_summary.c -- `kyocho summary`: read capture files through the same
 * engine as the terminal (at full speed, no pacing) and print what they
 * hold, for a person or (--json) for scripts. The JSON fields are a
 * contract documented in kyocho(1).
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "args.h"
#include "commands.h"
#include "config.h"
#include "detect.h"
#include "engine.h"
#include "flow/flowsrc.h"
#include "jsonw.h"
#include "prefix.h"
#include "stats.h"
#include "util.h"

enum { OPT_JSON = 1, OPT_HELP, OPT_PRETTY, OPT_DURATION, OPT_IDLE };

static const struct argdef summary_args[] = {
	{ "json", 'j', 0, OPT_JSON },
	{ "pretty", 0, 0, OPT_PRETTY },
	{ "help", 'h', 0, OPT_HELP },
	{ "duration", 0, 1, OPT_DURATION },
	{ "idle", 0, 1, OPT_IDLE },
	{ NULL, 0, 0, 0 },
};

struct summary_flags {
	int json, pretty, help;
	long duration, idle;	/* telemetry: seconds, 0 = no limit */
};

/* Telemetry read for summary (--sflow/--netflow): the source, and what the
 * estimates' error bars need. */
struct flowrun {
	struct flowsrc *fs;
	struct analysis *an;
	struct prefixdb *pdb;	/* NULL when no prefix data was found */
	uint64_t sampled;	/* records' packets before scaling */
	uint32_t max_rate;
	double secs;		/* listened */
};

static int
on_flag(void *ctx, int id, const char *value, char *errbuf)
{
	struct summary_flags *f = ctx;

	switch (id) {
	case OPT_JSON: f->json = 1; break;
	case OPT_PRETTY: f->pretty = 1; break;
	case OPT_HELP: f->help = 1; break;
	case OPT_DURATION:
	case OPT_IDLE:
		if (parse_long(value, 0, 86400 * 365, id == OPT_DURATION ?
		    &f->duration : &f->idle) != 0)
			return err_set(errbuf, "'%s' is not a number of seconds",
			    value);
		break;
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
	    "       kyocho summary [--json] [options] --sflow|--netflow "
	    "[ADDR:]PORT ...\n"
	    "                      [--duration SECONDS] [--idle SECONDS]\n"
	    "Reads pcap/pcapng files (FILTER is a BPF expression), or listens "
	    "for sFlow,\nNetFlow and IPFIX for --duration seconds (0: until "
	    "interrupted) or until --idle\nseconds pass without a datagram, "
	    "and prints counts, top destinations and\nalerts. Telemetry counts "
	    "are estimates scaled by the sampling rate. See kyocho(1).\n");
}

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
flow_rel_error(const struct flowrun *fr)
{
	if (fr->max_rate <= 1 || fr->sampled == 0)
		return 0;
	return 1.0 / sqrt((double)fr->sampled);
}

static void
json_telemetry(struct jsonw *w, const struct flowrun *fr)
{
	struct flowc_exporter *ex;
	struct flowc_stats st;
	char abuf[ADDR_STRLEN];
	const char *listen;
	size_t i, j, n;
	int kind;

	jsonw_key(w, "telemetry");
	jsonw_obj_open(w);
	jsonw_kdouble(w, "listened_s", fr->secs);
	jsonw_ku64(w, "max_sampling_rate", fr->max_rate);
	jsonw_ku64(w, "sampled_packets", fr->sampled);
	jsonw_kdouble(w, "rel_error", flow_rel_error(fr));
	jsonw_key(w, "collectors");
	jsonw_arr_open(w);
	ex = xcalloc(FLOWC_MAX_EXPORTERS + 1, sizeof(*ex));
	for (i = 0; i < flowsrc_ncollectors(fr->fs); i++) {
		struct flow_collector *c = flowsrc_collector(fr->fs, i, &kind,
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

/* e: capture files read by the engine; or fr: telemetry (e NULL). */
static void
print_json(const struct options *o, struct engine *e,
    const struct flowrun *fr, int pretty)
{
	struct analysis *an = e != NULL ? engine_analysis(e) : fr->an;
	const struct prefixdb *pdb = e != NULL ? engine_prefixdb(e) : fr->pdb;
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
	/* counts from sampled telemetry are estimates */
	jsonw_kbool(&w, "estimated", fr != NULL);
	if (fr != NULL)
		json_telemetry(&w, fr);
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
	for (i = 0; fr != NULL && i < flowsrc_maxlinks(fr->fs); i++) {
		const struct flowsrc_link *fl = flowsrc_link(fr->fs, i);
		const struct link_stats *ls = stats_link(st, (unsigned)i);

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
	for (i = 0; e != NULL && i < engine_nsources(e); i++) {
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
		if (pdb != NULL) {
			struct prefix_info info;

			prefix_lookup(pdb, &d->addr, &info);
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
print_human(const struct options *o, struct engine *e,
    const struct flowrun *fr)
{
	struct analysis *an = e != NULL ? engine_analysis(e) : fr->an;
	const struct prefixdb *pdb = e != NULL ? engine_prefixdb(e) : fr->pdb;
	struct stats *st = analysis_stats(an);
	const struct counts *c = stats_total(st);
	const struct dst_entry **top;
	struct alert *alerts;
	size_t n, i;
	char t1[40], t2[40], a[ADDR_STRLEN], b1[16], b2[16], b3[16];
	int64_t first = stats_first_us(st), last = stats_last_us(st);

	if (fr != NULL) {
		struct flowc_stats fst;

		flowsrc_stats(fr->fs, &fst);
		printf("kyocho summary of %.1f s of telemetry: ESTIMATES "
		    "(sampling up to 1:%u, relative error ~%.2g)\n", fr->secs,
		    fr->max_rate, flow_rel_error(fr));
		printf("  datagrams %llu  records %llu  exporters %zu  malformed "
		    "%llu  unknown templates %llu  shed %llu  socket drops "
		    "%llu\n", (unsigned long long)fst.datagrams,
		    (unsigned long long)fst.records, fst.exporters,
		    (unsigned long long)fst.malformed,
		    (unsigned long long)fst.unknown,
		    (unsigned long long)fst.shed,
		    (unsigned long long)fst.sock_drops);
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

	top = xcalloc(o->top_n, sizeof(*top));
	n = stats_top_dst(st, top, o->top_n);
	if (n > 0) {
		printf("\nTop destinations\n  %-39s %9s %9s %9s %9s %s\n",
		    "address", "packets", "bytes", "SYN", "peak pps", "");
		for (i = 0; i < n; i++) {
			char who[96] = "";

			if (pdb != NULL) {
				struct prefix_info info;
				char org[40];

				prefix_lookup(pdb, &top[i]->addr, &info);
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
			if (al->top[k].asn != 0)
				printf("  AS%u", al->top[k].asn);
			if (al->top[k].country[0] != '\0')
				printf("  %s", al->top[k].country);
			printf("\n");
		}
	}
	free(alerts);
}

static volatile sig_atomic_t flows_stop;

static void
flows_on_signal(int sig)
{
	(void)sig;
	flows_stop = 1;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
flows_on_record(void *ctx, const struct flow_origin *o, const struct pkt *p)
{
	struct flowrun *fr = ctx;

	fr->sampled += o->rate > 1 ? p->weight / o->rate : p->weight;
	if (o->rate > fr->max_rate)
		fr->max_rate = o->rate;
	analysis_add(fr->an, p);
}

/*
 * Listen to the telemetry of opt (the analysis thread's work done inline:
 * one thread polls the sockets and feeds the analysis) for fl->duration
 * seconds, or until fl->idle seconds after the last datagram, or SIGINT.
 */
static int
run_flows(struct options *opt, const struct summary_flags *fl)
{
	char errbuf[ERRBUF_SIZE];
	struct flowrun fr;
	struct pollfd pfd[2 * MAX_FLOW_LISTEN];
	struct sigaction sa;
	struct flowc_stats st;
	int fds[2 * MAX_FLOW_LISTEN];
	size_t nfd, i;
	int64_t start, now, last_data = 0;
	uint64_t seen = 0;
	int rc = 1;

	memset(&fr, 0, sizeof(fr));
	if (opt->filter != NULL) {
		fprintf(stderr, "kyocho summary: a BPF filter applies to "
		    "capture files, not to telemetry\n");
		return 2;
	}
	if ((fr.an = analysis_new(opt, errbuf)) == NULL ||
	    (fr.fs = flowsrc_new(opt, 0, STATS_MAX_LINKS, errbuf)) == NULL) {
		fprintf(stderr, "kyocho summary: %s\n", errbuf);
		goto out;
	}
	/* prefix data, as the engine loads it for capture files */
	fr.pdb = prefix_db_new();
	switch (prefix_load_default(fr.pdb, opt, errbuf)) {
	case -1:
		fprintf(stderr, "kyocho summary: %s\n", errbuf);
		goto out;
	case 0:
		prefix_db_free(fr.pdb);
		fr.pdb = NULL;
		break;
	default:
		analysis_set_prefixdb(fr.an, fr.pdb);
	}
	nfd = flowsrc_fds(fr.fs, fds, NITEMS(fds));
	for (i = 0; i < nfd; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
	}
	for (i = 0; i < flowsrc_ncollectors(fr.fs); i++) {
		int kind;
		const char *listen;
		struct flow_collector *c = flowsrc_collector(fr.fs, i, &kind,
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
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = flows_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	start = mono_ms();
	while (!flows_stop) {
		now = mono_ms();
		if (fl->duration > 0 && now - start >= fl->duration * 1000)
			break;
		if (fl->idle > 0 && last_data != 0 &&
		    now - last_data >= fl->idle * 1000)
			break;
		if (poll(pfd, nfd, 100) == -1 && errno != EINTR) {
			fprintf(stderr, "kyocho summary: poll: %s\n",
			    strerror(errno));
			goto out;
		}
		if (flowsrc_poll(fr.fs, flows_on_record, &fr) == -1) {
			fprintf(stderr, "kyocho summary: telemetry socket: %s\n",
			    strerror(errno));
			goto out;
		}
		flowsrc_stats(fr.fs, &st);
		if (st.datagrams != seen) {
			seen = st.datagrams;
			last_data = mono_ms();
		}
	}
	fr.secs = (double)(mono_ms() - start) / 1000;
	analysis_finish(fr.an);
	if (fl->json)
		print_json(opt, NULL, &fr, fl->pretty);
	else
		print_human(opt, NULL, &fr);
	rc = 0;
out:
	flowsrc_free(fr.fs);
	if (fr.an != NULL)
		analysis_free(fr.an);
	if (fr.pdb != NULL)
		prefix_db_free(fr.pdb);
	return rc;
}

int
cmd_summary(int argc, char **argv, struct options *opt)
{
	struct summary_flags fl = { 0, 0, 0, 0, 0 };
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
	if (opt->nsflow + opt->nnetflow > 0) {
		if (opt->nread > 0 || opt->nifaces > 0) {
			fprintf(stderr, "kyocho summary: reads either capture "
			    "files (-r) or telemetry (--sflow/--netflow), not "
			    "both at once\n");
			return 2;
		}
		rc = run_flows(opt, &fl);
		free(opt->filter);
		opt->filter = NULL;
		return rc;
	}
	if (opt->nread == 0) {
		fprintf(stderr, "kyocho summary: give at least one capture file "
		    "with -r FILE, or --sflow/--netflow [ADDR:]PORT\n");
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
		print_json(opt, e, NULL, fl.pretty);
	else
		print_human(opt, e, NULL);
	engine_free(e);
	free(opt->filter);
	opt->filter = NULL;
	return rc;
}
