/*
 * metrics.c -- the Prometheus text exposition of kyocho's state (see
 * metrics.h). Names follow Prometheus' conventions: the kyocho_ prefix,
 * base units (bytes, seconds), _total for counters, a ratio for capacity use.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
#include "metrics/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "base/addr.h"
#include "base/util.h"

struct metrics {
	struct MHD_Daemon *d;
	pthread_mutex_t lock;
	char *page;			/* guarded by lock */
};

/* A growing buffer of the page being rendered. */
struct page {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
put(struct page *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(p->s + p->len, p->cap - p->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < p->cap - p->len)
			break;
		p->cap = p->cap * 2 + (size_t)(n > 0 ? n : 0);
		p->s = xreallocarray(p->s, p->cap, 1);
	}
	p->len += (size_t)n;
}

/* A label value: backslash, double quote and newline escaped. */
static const char *
label(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s != '\0' && o + 3 < len; s++) {
		if (*s == '\\' || *s == '"') {
			buf[o++] = '\\';
			buf[o++] = *s;
		} else if (*s == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else
			buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}

static void
head(struct page *p, const char *name, const char *type, const char *help)
{
	put(p, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One family with a value per link. */
static void
per_link(struct page *p, const struct snapshot *s, const char *name,
    const char *type, const char *help, int which)
{
	char lb[160];
	size_t i;

	head(p, name, type, help);
	for (i = 0; i < s->nlinks; i++) {
		const struct snap_link *l = &s->links[i];
		double v;

		switch (which) {
		case 0: v = (double)l->pps; break;
		case 1: v = (double)l->bps / 8; break;
		case 2:
			if (l->capacity_bps == 0)
				continue;
			v = (double)l->capacity_bps / 8;
			break;
		case 3:
			if (l->capacity_bps == 0)
				continue;
			v = (double)l->bps / (double)l->capacity_bps;
			break;
		case 4: v = (double)l->total.packets; break;
		case 5: v = (double)l->total.bytes; break;
		case 6: v = (double)l->kernel_drops; break;
		default: v = (double)l->if_drops; break;
		}
		put(p, "%s{link=\"%s\"} %.17g\n", name,
		    label(l->name, lb, sizeof(lb)), v);
	}
}

static char *
render(const struct snapshot *s, const struct metrics_extra *x)
{
	struct page p = { xmalloc(4096), 0, 4096 };
	unsigned active[KIND_COUNT][3];
	size_t i;
	int k, d;

	per_link(&p, s, "kyocho_link_packets_per_second", "gauge",
	    "Packets in the last complete second.", 0);
	per_link(&p, s, "kyocho_link_bytes_per_second", "gauge",
	    "Bytes in the last complete second (wire length).", 1);
	per_link(&p, s, "kyocho_link_capacity_bytes_per_second", "gauge",
	    "Contracted capacity of the link.", 2);
	per_link(&p, s, "kyocho_link_capacity_used_ratio", "gauge",
	    "Last second's bit rate over the capacity (0..1, more when over).",
	    3);
	per_link(&p, s, "kyocho_link_packets_total", "counter",
	    "Packets seen on the link.", 4);
	per_link(&p, s, "kyocho_link_bytes_total", "counter",
	    "Bytes seen on the link (wire length).", 5);
	per_link(&p, s, "kyocho_capture_kernel_drops_total", "counter",
	    "Packets the kernel dropped (pcap_stats ps_drop).", 6);
	per_link(&p, s, "kyocho_capture_interface_drops_total", "counter",
	    "Packets the interface dropped (pcap_stats ps_ifdrop).", 7);

	memset(active, 0, sizeof(active));
	for (i = 0; i < s->nalerts; i++)
		if (s->alerts[i].end_us == 0 &&
		    (unsigned)s->alerts[i].kind < KIND_COUNT &&
		    (unsigned)s->alerts[i].direction < 3)
			active[s->alerts[i].kind][s->alerts[i].direction]++;
	head(&p, "kyocho_alerts_active", "gauge",
	    "Alerts in progress by kind and direction.");
	for (k = 0; k < KIND_COUNT; k++)
		for (d = 0; d < 3; d++)
			put(&p, "kyocho_alerts_active{kind=\"%s\",direction="
			    "\"%s\"} %u\n", alert_kind_name((enum alert_kind)k),
			    alert_direction_name((enum alert_direction)d),
			    active[k][d]);
	head(&p, "kyocho_destination_evictions_total", "counter",
	    "Destinations evicted from the fixed-size table.");
	put(&p, "kyocho_destination_evictions_total %llu\n",
	    (unsigned long long)s->table_evictions);

	if (s->telemetry.on) {
		const struct snap_telemetry *t = &s->telemetry;
		static const struct {
			const char *name, *help;
			size_t off;
		} tm[] = {
#define TM(n, f, h) { "kyocho_telemetry_" n "_total", h, \
	offsetof(struct snap_telemetry, f) }
			TM("datagrams", datagrams, "Flow datagrams received."),
			TM("records", records, "Flow records decoded."),
			TM("malformed_datagrams", malformed,
			    "Datagrams not (fully) understood."),
			TM("unknown_template_sets", unknown_templates,
			    "Data sets with an unknown template."),
			TM("shed_datagrams", shed,
			    "Datagrams shed for fairness between exporters."),
			TM("socket_drops", socket_drops,
			    "Datagrams the kernel dropped at the sockets."),
			TM("lost_datagrams", lost_datagrams,
			    "Sequence gaps reported by the exporters."),
			TM("ring_drops", ring_drops,
			    "Records the analysis could not take."),
#undef TM
		};

		for (i = 0; i < NITEMS(tm); i++) {
			head(&p, tm[i].name, "counter", tm[i].help);
			put(&p, "%s %llu\n", tm[i].name, (unsigned long long)
			    *(const uint64_t *)((const char *)t + tm[i].off));
		}
		head(&p, "kyocho_telemetry_exporters", "gauge",
		    "Exporters heard from.");
		put(&p, "kyocho_telemetry_exporters %llu\n",
		    (unsigned long long)t->exporters);
	}

	if (x != NULL && x->history) {
		head(&p, "kyocho_history_records_written_total", "counter",
		    "Records (one a minute) written to the history database.");
		put(&p, "kyocho_history_records_written_total %llu\n",
		    (unsigned long long)x->history_written);
		head(&p, "kyocho_history_records_dropped_total", "counter",
		    "Records (one a minute) dropped: the writer's queue was full.");
		put(&p, "kyocho_history_records_dropped_total %llu\n",
		    (unsigned long long)x->history_dropped);
		head(&p, "kyocho_history_write_errors_total", "counter",
		    "History writes that failed.");
		put(&p, "kyocho_history_write_errors_total %llu\n",
		    (unsigned long long)x->history_errors);
		head(&p, "kyocho_history_queue_records", "gauge",
		    "Records (one a minute) waiting for the history writer.");
		put(&p, "kyocho_history_queue_records %llu\n",
		    (unsigned long long)x->history_queued);
		head(&p, "kyocho_history_lag_seconds", "gauge",
		    "Age of the oldest minute waiting for the writer.");
		put(&p, "kyocho_history_lag_seconds %.3f\n", x->history_lag_s);
	}
	return p.s;
}

void
metrics_update(struct metrics *m, const struct snapshot *snap,
    const struct metrics_extra *x)
{
	char *page = render(snap, x), *old;

	pthread_mutex_lock(&m->lock);
	old = m->page;
	m->page = page;
	pthread_mutex_unlock(&m->lock);
	free(old);
}

char *
metrics_page(struct metrics *m)
{
	char *s;

	pthread_mutex_lock(&m->lock);
	s = xstrdup(m->page != NULL ? m->page : "");
	pthread_mutex_unlock(&m->lock);
	return s;
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data,
    size_t *data_len, void **ptr)
{
	struct metrics *m = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	unsigned status = MHD_HTTP_OK;
	char *page;

	(void)version;
	(void)data;
	(void)data_len;
	(void)ptr;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		page = xstrdup("only GET\n");
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	} else if (strcmp(url, "/metrics") != 0) {
		page = xstrdup("kyocho: metrics are at /metrics\n");
		status = MHD_HTTP_NOT_FOUND;
	} else
		page = metrics_page(m);
	r = MHD_create_response_from_buffer(strlen(page), page,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", status == MHD_HTTP_OK ?
	    "text/plain; version=0.0.4; charset=utf-8" : "text/plain");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

struct metrics *
metrics_new(const char *listen, char *errbuf)
{
	struct metrics *m;
	struct sockaddr_storage ss;
	char host[64];
	const char *colon = strrchr(listen, ':');
	long port;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;

	memset(&ss, 0, sizeof(ss));
	if (colon == NULL)
		snprintf(host, sizeof(host), "127.0.0.1");
	else if (listen[0] == '[' && colon > listen && colon[-1] == ']')
		snprintf(host, sizeof(host), "%.*s", (int)(colon - listen - 2),
		    listen + 1);
	else
		snprintf(host, sizeof(host), "%.*s", (int)(colon - listen),
		    listen);
	if (parse_long(colon != NULL ? colon + 1 : listen, 1, 65535,
	    &port) != 0) {
		err_set(errbuf, "metrics %s: not [ADDR:]PORT", listen);
		return NULL;
	}
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)&ss)->sin_addr)
	    == 1) {
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, host,
	    &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
		flags |= MHD_USE_IPv6;
	} else {
		err_set(errbuf, "metrics %s: '%s' is not an IP address",
		    listen, host);
		return NULL;
	}
	m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	m->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, answer, m,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)16,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
	    MHD_OPTION_END);
	if (m->d == NULL) {
		err_set(errbuf, "metrics %s: cannot listen (in use, or not "
		    "an address of this host)", listen);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return NULL;
	}
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	MHD_stop_daemon(m->d);
	pthread_mutex_destroy(&m->lock);
	free(m->page);
	free(m);
}
