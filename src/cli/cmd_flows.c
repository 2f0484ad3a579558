/*
 * cmd_flows.c -- `kyocho flows`: listen for sFlow / NetFlow / IPFIX for a
 * while and print what arrived: per-collector and per-exporter counters,
 * estimated totals (scaled by the sampling rate), per-link counts (exporter
 * + ifIndex, named by flowlink settings) and the top destinations.
 *
 * Everything scaled is an estimate; the output says so ("estimated": true)
 * and gives the relative standard error 1/sqrt(n) that random 1:N sampling
 * of n packets implies. Tables are bounded (destinations, links): past the
 * bound the rest is pooled and counted.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "settings/config.h"
#include "detect/thresholds.h"
#include "flow/collector.h"
#include "flow/flowsrc.h"
#include "base/jsonw.h"
#include "base/util.h"

#define MAX_COLLECTORS	(2 * MAX_FLOW_LISTEN)
#define DST_SLOTS	65536		/* destinations tracked (power of 2) */
#define LINK_SLOTS	4096		/* exporter + ifIndex pairs tracked */

struct est {
	uint64_t packets;	/* Σ weight */
	uint64_t bytes;		/* Σ wbytes */
	uint64_t sampled;	/* packets actually seen (before scaling) */
	uint64_t records;
};

struct dst {
	struct addr a;
	struct est e;
};

struct linkc {
	struct addr exporter;
	uint32_t ifindex;
	int used;
	struct est in, out;
};

struct agg {
	struct est all, v4, v6, tcp, udp, icmp, other, syn;
	struct dst *dsts;
	size_t ndst;
	struct est dst_other;	/* destinations past DST_SLOTS / 2 */
	struct linkc *links;
	size_t nlinks;
	uint64_t max_rate;
	int64_t first_ts, last_ts;
};

struct flows_args {
	int json;
	long duration;
	long idle;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
est_add(struct est *e, const struct pkt *p, uint32_t rate)
{
	e->packets += p->weight;
	e->bytes += p->wbytes;
	e->sampled += rate > 0 ? p->weight / rate : p->weight;
	e->records++;
}

static struct linkc *
link_get(struct agg *g, const struct addr *ex, uint32_t ifindex)
{
	size_t h = (size_t)(addr_hash(ex, ifindex) % LINK_SLOTS), i;
	struct linkc *l;

	for (i = 0; i < LINK_SLOTS; i++) {
		l = &g->links[(h + i) % LINK_SLOTS];
		if (!l->used) {
			if (g->nlinks >= LINK_SLOTS / 2)
				return NULL;
			l->used = 1;
			l->exporter = *ex;
			l->ifindex = ifindex;
			g->nlinks++;
			return l;
		}
		if (l->ifindex == ifindex && addr_cmp(&l->exporter, ex) == 0)
			return l;
	}
	return NULL;
}

static void
on_record(void *ctx, const struct flow_origin *o, const struct pkt *p)
{
	struct agg *g = ctx;
	struct linkc *l;
	struct dst *d;
	size_t h, i;

	est_add(&g->all, p, o->rate);
	if (o->rate > g->max_rate)
		g->max_rate = o->rate;
	if (g->first_ts == 0 || p->ts_us < g->first_ts)
		g->first_ts = p->ts_us;
	if (p->ts_us > g->last_ts)
		g->last_ts = p->ts_us;
	if (p->family == 4)
		est_add(&g->v4, p, o->rate);
	else if (p->family == 6)
		est_add(&g->v6, p, o->rate);
	switch (p->l4) {
	case L4_TCP:
		est_add(&g->tcp, p, o->rate);
		if ((p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
			est_add(&g->syn, p, o->rate);
		break;
	case L4_UDP:
		est_add(&g->udp, p, o->rate);
		break;
	case L4_ICMP:
		est_add(&g->icmp, p, o->rate);
		break;
	default:
		est_add(&g->other, p, o->rate);
		break;
	}
	if (o->in_if != 0 && (l = link_get(g, &o->exporter, o->in_if)) != NULL)
		est_add(&l->in, p, o->rate);
	if (o->out_if != 0 && (l = link_get(g, &o->exporter,
	    o->out_if)) != NULL)
		est_add(&l->out, p, o->rate);
	if (p->dst.family == 0)
		return;
	h = (size_t)addr_hash(&p->dst, 0x647374) & (DST_SLOTS - 1);
	for (i = 0; i < DST_SLOTS; i++) {
		d = &g->dsts[(h + i) & (DST_SLOTS - 1)];
		if (d->a.family == 0) {
			if (g->ndst >= DST_SLOTS / 2)
				break;
			d->a = p->dst;
			g->ndst++;
		}
		if (addr_cmp(&d->a, &p->dst) == 0) {
			est_add(&d->e, p, o->rate);
			return;
		}
	}
	est_add(&g->dst_other, p, o->rate);
}

static int
dst_cmp(const void *a, const void *b)
{
	const struct dst *x = a, *y = b;

	if (x->e.packets != y->e.packets)
		return x->e.packets < y->e.packets ? 1 : -1;
	return addr_cmp(&x->a, &y->a);
}

/* Relative standard error of a count estimated from n sampled packets
 * (random 1:N sampling, Poisson approximation); 0 when unsampled. */
static double
rel_err(const struct est *e, uint64_t max_rate)
{
	if (max_rate <= 1 || e->sampled == 0)
		return 0;
	return 1.0 / sqrt((double)e->sampled);
}

static void
json_est(struct jsonw *w, const char *key, const struct est *e,
    uint64_t max_rate)
{
	jsonw_key(w, key);
	jsonw_obj_open(w);
	jsonw_ku64(w, "packets", e->packets);
	jsonw_ku64(w, "bytes", e->bytes);
	jsonw_ku64(w, "sampled_packets", e->sampled);
	jsonw_ku64(w, "records", e->records);
	jsonw_kdouble(w, "rel_error", rel_err(e, max_rate));
	jsonw_obj_close(w);
}

static const char *
kind_name(int kind)
{
	return kind == FLOW_SFLOW ? "sflow" : "netflow";
}

static const char *
version_name(int kind, int v)
{
	if (kind == FLOW_SFLOW)
		return "sflow5";
	switch (v) {
	case 5:
		return "netflow5";
	case 9:
		return "netflow9";
	case 10:
		return "ipfix";
	}
	return "unknown";
}

struct coll {
	struct flow_collector *c;
	int kind;
	const char *listen;
};

static void
print_json(const struct options *opt, struct coll *cs, size_t ncs,
    struct agg *g, double secs, struct dst *top, size_t ntop)
{
	struct flowc_exporter *ex;
	struct flowc_if ifs[64];
	struct flowc_stats st;
	struct jsonw w;
	char buf[ADDR_STRLEN];
	size_t i, j, n;
	struct detect_settings ds;
	struct flow_settings fset;

	config_detect_settings(opt, &ds);
	config_flow_settings(opt, &fset);
	ex = xcalloc(FLOWC_MAX_EXPORTERS + 1, sizeof(*ex));
	jsonw_init(&w, stdout, 1);
	jsonw_obj_open(&w);
	jsonw_kbool(&w, "estimated", 1);
	jsonw_kdouble(&w, "listened_s", secs);
	jsonw_ku64(&w, "max_sampling_rate", g->max_rate);
	jsonw_key(&w, "collectors");
	jsonw_arr_open(&w);
	for (i = 0; i < ncs; i++) {
		flowc_stats(cs[i].c, &st);
		jsonw_obj_open(&w);
		jsonw_kstr(&w, "kind", kind_name(cs[i].kind));
		jsonw_kstr(&w, "listen", cs[i].listen);
		jsonw_ku64(&w, "port", flowc_port(cs[i].c));
		jsonw_ku64(&w, "datagrams", st.datagrams);
		jsonw_ku64(&w, "bytes", st.bytes);
		jsonw_ku64(&w, "records", st.records);
		jsonw_ku64(&w, "counter_records", st.counters);
		jsonw_ku64(&w, "malformed", st.malformed);
		jsonw_ku64(&w, "unknown_templates", st.unknown);
		jsonw_ku64(&w, "skipped_records", st.skipped);
		jsonw_ku64(&w, "templates_rejected", st.rejected);
		jsonw_ku64(&w, "templates", st.templates);
		jsonw_ku64(&w, "shed", st.shed);
		jsonw_ku64(&w, "socket_drops", st.sock_drops);
		jsonw_ku64(&w, "lost_datagrams", st.lost_datagrams);
		jsonw_ku64(&w, "lost_records", st.lost_records);
		jsonw_ku64(&w, "exporters", st.exporters);
		jsonw_ku64(&w, "rcvbuf", (uint64_t)st.rcvbuf);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_key(&w, "exporters");
	jsonw_arr_open(&w);
	for (i = 0; i < ncs; i++) {
		n = flowc_exporters(cs[i].c, ex, FLOWC_MAX_EXPORTERS + 1);
		for (j = 0; j < n; j++) {
			jsonw_obj_open(&w);
			jsonw_kstr(&w, "kind", kind_name(cs[i].kind));
			if (ex[j].peer.family == 0)
				jsonw_kstr(&w, "peer", "other");
			else
				jsonw_kstr(&w, "peer", addr_format(&ex[j].peer,
				    buf, sizeof(buf)));
			jsonw_ku64(&w, "port", ex[j].port);
			if (ex[j].agent.family != 0)
				jsonw_kstr(&w, "agent", addr_format(&ex[j].agent,
				    buf, sizeof(buf)));
			jsonw_kstr(&w, "version", version_name(cs[i].kind,
			    ex[j].version));
			jsonw_ku64(&w, "domain", ex[j].domain);
			jsonw_ku64(&w, "datagrams", ex[j].datagrams);
			jsonw_ku64(&w, "records", ex[j].records);
			jsonw_ku64(&w, "malformed", ex[j].malformed);
			jsonw_ku64(&w, "unknown_templates", ex[j].unknown);
			jsonw_ku64(&w, "skipped_records", ex[j].skipped);
			jsonw_ku64(&w, "shed", ex[j].shed);
			jsonw_ku64(&w, "lost_datagrams", ex[j].lost_datagrams);
			jsonw_ku64(&w, "lost_records", ex[j].lost_records);
			jsonw_obj_close(&w);
		}
	}
	jsonw_arr_close(&w);
	jsonw_key(&w, "totals");
	jsonw_obj_open(&w);
	json_est(&w, "all", &g->all, g->max_rate);
	json_est(&w, "ipv4", &g->v4, g->max_rate);
	json_est(&w, "ipv6", &g->v6, g->max_rate);
	json_est(&w, "tcp", &g->tcp, g->max_rate);
	json_est(&w, "tcp_syn", &g->syn, g->max_rate);
	json_est(&w, "udp", &g->udp, g->max_rate);
	json_est(&w, "icmp", &g->icmp, g->max_rate);
	json_est(&w, "other", &g->other, g->max_rate);
	jsonw_obj_close(&w);
	jsonw_key(&w, "links");
	jsonw_arr_open(&w);
	for (i = 0; i < LINK_SLOTS; i++) {
		const struct linkc *l = &g->links[i];
		const struct flowlinkdef *fl;

		if (!l->used)
			continue;
		fl = flowsrc_link_for(&fset, &l->exporter, l->ifindex);
		jsonw_obj_open(&w);
		jsonw_kstr(&w, "exporter", addr_format(&l->exporter, buf,
		    sizeof(buf)));
		jsonw_ku64(&w, "ifindex", l->ifindex);
		if (fl != NULL) {
			jsonw_kstr(&w, "name", fl->name);
			jsonw_ku64(&w, "capacity_bps", fl->capacity_bps);
			if (fl->capacity_bps > 0 && secs > 0)
				jsonw_kdouble(&w, "in_utilisation",
				    (double)l->in.bytes * 8 / secs /
				    (double)fl->capacity_bps);
		}
		json_est(&w, "in", &l->in, g->max_rate);
		json_est(&w, "out", &l->out, g->max_rate);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_key(&w, "interfaces");
	jsonw_arr_open(&w);
	for (i = 0; i < ncs; i++) {
		n = flowc_interfaces(cs[i].c, ifs, NITEMS(ifs));
		for (j = 0; j < n; j++) {
			jsonw_obj_open(&w);
			jsonw_kstr(&w, "agent", addr_format(&ifs[j].agent, buf,
			    sizeof(buf)));
			jsonw_ku64(&w, "ifindex", ifs[j].ifindex);
			jsonw_ku64(&w, "speed_bps", ifs[j].speed_bps);
			jsonw_ku64(&w, "in_octets", ifs[j].last.in_octets);
			jsonw_ku64(&w, "out_octets", ifs[j].last.out_octets);
			jsonw_kdouble(&w, "in_bps", ifs[j].in_bps);
			jsonw_kdouble(&w, "out_bps", ifs[j].out_bps);
			jsonw_obj_close(&w);
		}
	}
	jsonw_arr_close(&w);
	jsonw_key(&w, "top_destinations");
	jsonw_arr_open(&w);
	for (i = 0; i < ntop; i++) {
		jsonw_obj_open(&w);
		jsonw_kstr(&w, "addr", addr_format(&top[i].a, buf, sizeof(buf)));
		jsonw_kbool(&w, "home", detect_is_home(&ds, &top[i].a));
		jsonw_ku64(&w, "packets", top[i].e.packets);
		jsonw_ku64(&w, "bytes", top[i].e.bytes);
		jsonw_ku64(&w, "sampled_packets", top[i].e.sampled);
		jsonw_kdouble(&w, "rel_error", rel_err(&top[i].e, g->max_rate));
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_obj_close(&w);
	jsonw_end(&w);
	free(ex);
}

static void
print_text(struct coll *cs, size_t ncs, struct agg *g, double secs,
    struct dst *top, size_t ntop)
{
	struct flowc_stats st;
	char buf[ADDR_STRLEN];
	size_t i;

	printf("listened %.1f s; counts are ESTIMATES (sampling up to 1:%llu)\n",
	    secs, (unsigned long long)g->max_rate);
	for (i = 0; i < ncs; i++) {
		flowc_stats(cs[i].c, &st);
		printf("%-7s %-22s datagrams %llu records %llu malformed %llu "
		    "unknown-templates %llu skipped-records %llu shed %llu "
		    "socket-drops %llu exporters %zu\n", kind_name(cs[i].kind),
		    cs[i].listen,
		    (unsigned long long)st.datagrams,
		    (unsigned long long)st.records,
		    (unsigned long long)st.malformed,
		    (unsigned long long)st.unknown,
		    (unsigned long long)st.skipped,
		    (unsigned long long)st.shed,
		    (unsigned long long)st.sock_drops, st.exporters);
	}
	printf("estimated packets %llu bytes %llu (from %llu sampled packets, "
	    "relative error ~%.2g)\n", (unsigned long long)g->all.packets,
	    (unsigned long long)g->all.bytes,
	    (unsigned long long)g->all.sampled, rel_err(&g->all, g->max_rate));
	printf("  tcp %llu (syn %llu) udp %llu icmp %llu other %llu\n",
	    (unsigned long long)g->tcp.packets,
	    (unsigned long long)g->syn.packets,
	    (unsigned long long)g->udp.packets,
	    (unsigned long long)g->icmp.packets,
	    (unsigned long long)g->other.packets);
	for (i = 0; i < ntop; i++)
		printf("  %-40s %12llu pkts %15llu bytes\n",
		    addr_format(&top[i].a, buf, sizeof(buf)),
		    (unsigned long long)top[i].e.packets,
		    (unsigned long long)top[i].e.bytes);
}

static int
flows_exec(struct args *a, struct options *opt)
{
	struct flows_args fa;
	struct coll cs[MAX_COLLECTORS];
	struct pollfd pfd[MAX_COLLECTORS];
	char errbuf[ERRBUF_SIZE];
	struct agg g;
	struct dst *top;
	int rc = CMD_FAIL;
	size_t ncs = 0, i, n, ntop;
	int64_t start, last_data = 0, now;
	uint64_t seen = 0, total;
	struct flowc_stats st;
	struct sigaction sa;

	memset(&fa, 0, sizeof(fa));
	memset(&g, 0, sizeof(g));
	fa.json = args_has(a, "json");
	fa.duration = args_num(a, "duration", 0);
	fa.idle = args_num(a, "idle", 0);
	if (opt->nsflow + opt->nnetflow == 0) {
		fprintf(stderr, "kyocho flows: give --sflow [ADDR:]PORT or "
		    "--netflow [ADDR:]PORT\n");
		return CMD_USAGE;
	}
	for (i = 0; i < opt->nsflow + opt->nnetflow; i++) {
		int sf = i < opt->nsflow;
		const char *l = sf ? opt->sflow_listen[i] :
		    opt->netflow_listen[i - opt->nsflow];

		cs[ncs].kind = sf ? FLOW_SFLOW : FLOW_NETFLOW;
		cs[ncs].listen = l;
		cs[ncs].c = flowc_new(cs[ncs].kind, l, errbuf);
		if (cs[ncs].c == NULL) {
			fprintf(stderr, "kyocho flows: --%s %s\n",
			    kind_name(cs[ncs].kind), errbuf);
			goto out;
		}
		pfd[ncs].fd = flowc_fd(cs[ncs].c);
		pfd[ncs].events = POLLIN;
		ncs++;
	}
	g.dsts = xcalloc(DST_SLOTS, sizeof(*g.dsts));
	g.links = xcalloc(LINK_SLOTS, sizeof(*g.links));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* tell a script the ports are open (port 0 picks one) */
	for (i = 0; i < ncs; i++) {
		fprintf(stderr, "kyocho flows: listening for %s on %s (port %u)\n",
		    kind_name(cs[i].kind), cs[i].listen, flowc_port(cs[i].c));
		flowc_stats(cs[i].c, &st);
		if (st.rcvbuf < (4 << 20))
			fprintf(stderr, "kyocho flows: %s: the socket receive "
			    "buffer is only %d KiB, bursts may be dropped; run "
			    "as root or raise net.core.rmem_max\n",
			    cs[i].listen, st.rcvbuf >> 10);
	}
	start = mono_ms();
	while (!stop) {
		now = mono_ms();
		if (fa.duration > 0 && now - start >= fa.duration * 1000)
			break;
		if (fa.idle > 0 && last_data != 0 &&
		    now - last_data >= fa.idle * 1000)
			break;
		if (poll(pfd, ncs, 100) == -1 && errno != EINTR) {
			fprintf(stderr, "kyocho flows: poll: %s\n",
			    strerror(errno));
			goto out;
		}
		total = 0;
		for (i = 0; i < ncs; i++) {
			/* drain what waits, one bounded round per collector
			 * at a time, so one busy port cannot starve another */
			if (flowc_poll(cs[i].c, on_record, &g) == -1) {
				fprintf(stderr, "kyocho flows: %s: %s\n",
				    cs[i].listen, strerror(errno));
				goto out;
			}
			flowc_stats(cs[i].c, &st);
			total += st.datagrams;
		}
		if (total != seen) {
			seen = total;
			last_data = mono_ms();
		}
	}
	now = mono_ms();
	n = 0;
	top = xcalloc(opt->top_n > 0 ? opt->top_n : 10, sizeof(*top));
	{
		struct dst *all = xcalloc(g.ndst + 1, sizeof(*all));

		for (i = 0; i < DST_SLOTS; i++)
			if (g.dsts[i].a.family != 0)
				all[n++] = g.dsts[i];
		qsort(all, n, sizeof(*all), dst_cmp);
		ntop = n < (opt->top_n > 0 ? opt->top_n : 10) ? n :
		    (opt->top_n > 0 ? opt->top_n : 10);
		memcpy(top, all, ntop * sizeof(*top));
		free(all);
	}
	if (fa.json)
		print_json(opt, cs, ncs, &g, (double)(now - start) / 1000, top,
		    ntop);
	else
		print_text(cs, ncs, &g, (double)(now - start) / 1000, top, ntop);
	free(top);
	rc = CMD_OK;
out:
	for (i = 0; i < ncs; i++)
		flowc_free(cs[i].c);
	free(g.dsts);
	free(g.links);
	return rc;
}

static const struct args_opt flows_opts[] = {
	{ .name = "json", .sname = 'j', .help = "JSON" },
	{ .name = "duration", .arg = "SECONDS", .min = 0, .max = 86400 * 365,
	  .what = "a number of seconds",
	  .help = "listen this long (0: until interrupted)" },
	{ .name = "idle", .arg = "SECONDS", .min = 0, .max = 86400,
	  .what = "a number of seconds",
	  .help = "stop this long after the last datagram" },
	{ .name = NULL },
};

const struct cmd_entry cmd_flows_entry = {
	.name = "flows",
	.usage = "[--json] [--sflow [ADDR:]PORT]... [--netflow [ADDR:]PORT]...\n"
	    " [--duration SECONDS] [--idle SECONDS] "
	    "[--flowlink NAME=EXPORTER:IFINDEX[:CAP]]...",
	.help = "listen for sFlow/NetFlow/IPFIX and print estimates",
	.text = "Listen for sFlow v5 / NetFlow v5, v9 / IPFIX and print "
	    "per-exporter counters and\nestimated totals (scaled by "
	    "the sampling rate). --duration 0 listens until\n"
	    "interrupted; --idle S stops S seconds after the last "
	    "datagram.\n",
	.opts = flows_opts,
	.maxargs = 0,
	.exec = flows_exec,
};
