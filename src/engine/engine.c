/*
 * engine.c -- the engine's life (create, start, stop, free), the analysis
 * thread and snapshot publishing. See engine.h for the shape of the
 * pipeline.
 *
 * The analysis thread merges the rings in capture-time order (files), or
 * drains them as they come (live), and publishes a snapshot after every
 * closed second: it swaps a pointer under a mutex and writes one byte to a
 * pipe that the screen polls.
 *
 * The capture side -- opening the sources, the reader threads that fill
 * the rings, a live report's end and the capture counters -- is in
 * engine_live.c; the structures both files share are in engine_impl.h.
 */
#include "engine/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/analysis.h"
#include "engine/engine_impl.h"
#include "capture/capture.h"
#include "capture/priv.h"
#include "flow/flowsrc.h"
#include "enrich/prefix.h"
#include "settings/config.h"
#include "capture/ring.h"
#include "history/history.h"
#include "metrics/metrics.h"
#include "base/util.h"

#define PREFETCH	8	/* packets ahead whose memory is fetched */

/*
 * detect_linkname_fn for the alerts' ingress, on the analysis thread: a
 * capture source's name is fixed before the threads start; a telemetry
 * link's is the telemetry reader's copy, under its lock.
 */
static const char *
link_name(void *ctx, unsigned link, char *buf, size_t len)
{
	struct engine *e = ctx;
	const char *r = NULL;

	if (link < e->nsrc) {
		snprintf(buf, len, "%s", e->src[link].name);
		return buf;
	}
	if (e->tm == NULL || link < e->tm->link_base)
		return NULL;
	pthread_mutex_lock(&e->tm->lock);
	if (link - e->tm->link_base < e->tm->nlinks) {
		snprintf(buf, len, "%s", e->tm->links[link -
		    e->tm->link_base].name);
		r = buf;
	}
	pthread_mutex_unlock(&e->tm->lock);
	return r;
}

static struct engine *
engine_create(const struct options *o, int report, char *errbuf)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	struct enrich_settings es;
	struct flow_settings fsset;
	char *hpath = NULL;
	size_t i, j;
	int n;

	e->o = o;
	e->report = report;
	e->readers = engine_readers_for(o, o->nifaces +
	    (engine_links_live(o) && !report ? o->nlinks : 0));
	e->speed = o->speed;
	e->pipefd[0] = e->pipefd[1] = -1;
	pthread_mutex_init(&e->lock, NULL);
	for (i = 0; i < o->nread; i++)
		if (engine_add_source(e, o->read_files[i], 0, errbuf) != 0)
			goto fail;
	for (i = 0; i < o->nifaces; i++)
		if (engine_add_source(e, o->ifaces[i], 1, errbuf) != 0)
			goto fail;
	/*
	 * A link whose IFACE was not given with -i or -r is captured live,
	 * but only in a live session: one with -i, or with nothing else to
	 * read. With -r files or telemetry, and always in a report (`kyocho
	 * summary`, which captures only what its own -i names), a link only
	 * names a source: the configuration file's `link =
	 * peering-A=eth1:10G`, written for the live terminal, must not turn
	 * a replay into a capture on eth1 that never ends.
	 */
	for (i = 0; i < o->nlinks && engine_links_live(o) && !report; i++) {
		int known = 0;

		for (j = 0; j < e->nsrc; j++)
			if (strcmp(e->src[j].iface, o->links[i].iface) == 0)
				known = 1;
		if (!known && engine_add_source(e, o->links[i].iface, 1,
		    errbuf) != 0)
			goto fail;
	}
	if (o->nsflow + o->nnetflow > 0) {
		e->tm = xcalloc(1, sizeof(*e->tm));
		pthread_mutex_init(&e->tm->lock, NULL);
		e->tm->link_base = (unsigned)e->nsrc;
		if (e->nsrc + 2 > STATS_MAX_LINKS) {
			err_set(errbuf, "too many capture sources to add telemetry");
			goto fail;
		}
		config_flow_settings(o, &fsset);
		if ((e->tm->fs = flowsrc_new(&fsset, e->tm->link_base,
		    STATS_MAX_LINKS - (unsigned)e->nsrc, errbuf)) == NULL)
			goto fail;
		ring_init(&e->tm->ring, RING_SIZE);
	}
	if (e->nsrc == 0 && e->tm == NULL) {
		err_set(errbuf, "nothing to read: give -r FILE, -i IFACE, "
		    "--sflow or --netflow");
		goto fail;
	}
	e->all_files = e->tm == NULL;
	for (i = 0; i < e->nsrc; i++)
		if (e->src[i].live)
			e->all_files = 0;
	if ((e->an = analysis_new(o, errbuf)) == NULL)
		goto fail;
	detect_set_linkname(analysis_detect(e->an), link_name, e);
	/* Prefix data (ASN, country, routed): read-only once loaded, shared
	 * by the analysis thread and the screen. */
	e->pdb = prefix_db_new();
	config_enrich_settings(o, &es, NULL);
	n = prefix_load_default(e->pdb, &es, errbuf);
	enrich_settings_free(&es);
	switch (n) {
	case -1:
		goto fail;
	case 0:
		prefix_db_free(e->pdb);
		e->pdb = NULL;
		break;
	default:
		analysis_set_prefixdb(e->an, e->pdb);
	}
	if (config_history_path(o, 0, &hpath, errbuf) < 0)
		goto fail;
	if (hpath != NULL) {
		struct history_settings hs = {
			.path = hpath,
			.days = o->history_days,
			.max_bytes = (uint64_t)o->history_max_mb << 20,
			/* A replay of files may wait for the disk, as its
			 * readers wait for the analysis: nothing is lost. */
			.flags = e->all_files ? HISTORY_WAIT : 0,
		};

		e->hist = history_new(&hs, errbuf);
		free(hpath);
		if (e->hist == NULL)
			goto fail;
	}
	if (o->metrics_listen != NULL &&
	    (e->metrics = metrics_new(o->metrics_listen, errbuf)) == NULL)
		goto fail;
	if (pipe(e->pipefd) != 0) {
		err_set(errbuf, "pipe: %s", strerror(errno));
		goto fail;
	}
	fcntl(e->pipefd[0], F_SETFL, O_NONBLOCK);
	fcntl(e->pipefd[1], F_SETFL, O_NONBLOCK);
	fcntl(e->pipefd[0], F_SETFD, FD_CLOEXEC);
	fcntl(e->pipefd[1], F_SETFD, FD_CLOEXEC);
	return e;
fail:
	engine_free(e);
	return NULL;
}

struct engine *
engine_new(const struct options *o, char *errbuf)
{
	return engine_create(o, 0, errbuf);
}

struct engine *
engine_new_report(const struct options *o, char *errbuf)
{
	return engine_create(o, 1, errbuf);
}

/* A snapshot of this moment, links included (analysis thread). */
static struct snapshot *
build_snapshot(struct engine *e)
{
	struct snapshot *snap;
	size_t i;

	snap = analysis_snapshot(e->an, 200, 200);
	snap->wall_us = now_us();
	snap->replay = e->all_files;
	snap->finished = atomic_load(&e->finished);
	snap->links = xcalloc(e->nsrc, sizeof(*snap->links));
	snap->nlinks = e->nsrc;
	for (i = 0; i < e->nsrc; i++) {
		struct esource *s = &e->src[i];
		struct snap_link *l = &snap->links[i];
		const struct link_stats *ls = stats_link(analysis_stats(e->an),
		    s->link);

		snprintf(l->name, sizeof(l->name), "%s", s->name);
		snprintf(l->iface, sizeof(l->iface), "%s", s->iface);
		l->capacity_bps = s->capacity_bps;
		l->live = s->live;
		if (s->live) {
			struct engine_capture c;

			l->done = engine_link_counters(e, s, &c);
			l->received = c.received;
			l->kernel_drops = c.kernel_drops;
			l->if_drops = c.if_drops;
		} else
			l->done = atomic_load(&s->done);
		if (l->done)
			snprintf(l->error, sizeof(l->error), "%s", s->error);
		if (ls != NULL) {
			l->pps = ls->last_pps;
			l->bps = ls->last_bps;
			memcpy(l->pps_series, ls->pps_series, sizeof(l->pps_series));
			memcpy(l->bps_series, ls->bps_series, sizeof(l->bps_series));
			l->total = ls->total;
		}
	}
	if (e->tm != NULL) {
		struct etelemetry *tm = e->tm;
		struct snap_link *links;
		struct snap_telemetry *t = &snap->telemetry;

		pthread_mutex_lock(&tm->lock);
		links = xcalloc(e->nsrc + tm->nlinks + 1, sizeof(*links));
		memcpy(links, snap->links, e->nsrc * sizeof(*links));
		for (i = 0; i < tm->nlinks; i++) {
			struct snap_link *l = &links[e->nsrc + i];
			const struct link_stats *ls = stats_link(analysis_stats(e->an),
			    tm->link_base + (unsigned)i);

			snprintf(l->name, sizeof(l->name), "%s", tm->links[i].name);
			snprintf(l->iface, sizeof(l->iface), "%s",
			    tm->links[i].name);
			l->capacity_bps = tm->links[i].capacity_bps;
			l->telemetry = 1;
			if (ls != NULL) {
				l->pps = ls->last_pps;
				l->bps = ls->last_bps;
				memcpy(l->pps_series, ls->pps_series,
				    sizeof(l->pps_series));
				memcpy(l->bps_series, ls->bps_series,
				    sizeof(l->bps_series));
				l->total = ls->total;
			}
		}
		free(snap->links);
		snap->links = links;
		snap->nlinks = e->nsrc + tm->nlinks;
		t->on = 1;
		t->datagrams = tm->st.datagrams;
		t->records = tm->st.records;
		t->malformed = tm->st.malformed;
		t->unknown_templates = tm->st.unknown;
		t->shed = tm->st.shed;
		t->socket_drops = tm->st.sock_drops;
		t->lost_datagrams = tm->st.lost_datagrams;
		t->exporters = tm->st.exporters;
		pthread_mutex_unlock(&tm->lock);
		t->ring_drops = atomic_load(&tm->ring_drops);
	}
	return snap;
}

/* Render the metrics page from snap, with the history's counters. */
static void
feed_metrics(struct engine *e, const struct snapshot *snap)
{
	struct metrics_extra x = { 0 };
	struct history_stats hs;

	if (e->hist != NULL) {
		history_get_stats(e->hist, &hs);
		x.history = 1;
		x.history_written = hs.written;
		x.history_dropped = hs.dropped;
		x.history_errors = hs.errors;
		x.history_queued = hs.queued;
		x.history_lag_s = hs.lag_s;
	}
	metrics_update(e->metrics, snap, &x);
}

static void
publish(struct engine *e)
{
	struct snapshot *snap = build_snapshot(e), *old;
	char one = 1;

	if (e->metrics != NULL)
		feed_metrics(e, snap);

	e->last_publish = mono_us();
	pthread_mutex_lock(&e->lock);
	snap->seq = ++e->seq;
	old = e->latest;
	e->latest = snap;
	pthread_mutex_unlock(&e->lock);
	snapshot_free(old);
	if (write(e->pipefd[1], &one, 1) < 0) {
		/* full pipe: the screen has a wake-up pending already */
	}
}

/*
 * History: each closed second's per-link rates (for the minute's peaks), in
 * the snapshot's link order; a snapshot only when a minute closes.
 */
static void
history_tick(struct engine *e, int64_t sec)
{
	uint64_t pps[HISTORY_MAX_LINKS], bps[HISTORY_MAX_LINKS];
	size_t i, n = 0, ntm = 0;

	for (i = 0; i < e->nsrc && n < HISTORY_MAX_LINKS; i++, n++) {
		const struct link_stats *ls = stats_link(analysis_stats(e->an),
		    e->src[i].link);

		pps[n] = ls != NULL ? ls->last_pps : 0;
		bps[n] = ls != NULL ? ls->last_bps : 0;
	}
	if (e->tm != NULL) {
		pthread_mutex_lock(&e->tm->lock);
		ntm = e->tm->nlinks;
		pthread_mutex_unlock(&e->tm->lock);
	}
	for (i = 0; i < ntm && n < HISTORY_MAX_LINKS; i++, n++) {
		const struct link_stats *ls = stats_link(analysis_stats(e->an),
		    e->tm->link_base + (unsigned)i);

		pps[n] = ls != NULL ? ls->last_pps : 0;
		bps[n] = ls != NULL ? ls->last_bps : 0;
	}
	if (history_second(e->hist, sec, pps, bps, n)) {
		struct snapshot *snap = build_snapshot(e);

		history_minute(e->hist, snap, 0);
		snapshot_free(snap);
	}
}

static void
on_tick(void *ctx, int64_t sec)
{
	struct engine *e = ctx;

	if (e->hist != NULL)
		history_tick(e, sec);
	if (e->publish)
		publish(e);
	else if (e->metrics != NULL) {
		struct snapshot *snap = build_snapshot(e);

		feed_metrics(e, snap);
		snapshot_free(snap);
	}
}

/* Index of the ring whose next packet is the oldest, -1 when one that is
 * still open is empty (we must wait for it), -2 when all are finished. */
static int
oldest(struct engine *e)
{
	int best = -1, open = 0;
	int64_t best_ts = 0;
	size_t i;

	for (i = 0; i < e->nsrc; i++) {
		struct ring *r = &e->src[i].ring;
		const struct pkt *p;

		if (ring_count(r) == 0) {
			if (!ring_closed(r))
				return -1;
			if (ring_count(r) == 0)
				continue;	/* closed and drained */
		}
		open = 1;
		p = ring_peek(r, 0);
		if (best < 0 || p->ts_us < best_ts) {
			best = (int)i;
			best_ts = p->ts_us;
		}
	}
	return open ? best : -2;
}

/*
 * Replay pacing: wait until capture time ts is due on the wall clock, moving
 * the analysis clock meanwhile so that idle seconds still close on time.
 */
static void
pace(struct engine *e, int64_t ts)
{
	int64_t due, left;

	if (!e->based) {
		e->based = 1;
		e->base_ts = ts;
		e->base_wall = mono_us();
	}
	due = e->base_wall + (int64_t)((double)(ts - e->base_ts) / e->speed);
	while (!atomic_load(&e->stop) && (left = due - mono_us()) > 0) {
		int64_t vnow = e->base_ts +
		    (int64_t)((double)(mono_us() - e->base_wall) * e->speed);

		analysis_advance(e->an, vnow < ts ? vnow : ts);
		sleep_us(left > 50000 ? 50000 : left);
	}
}

/* Analyse every packet ready in r; returns how many. */
static size_t
drain(struct engine *e, struct ring *r)
{
	size_t n = ring_count(r), k;

	for (k = 0; k < n; k++) {
		/* The slots come from the reader's core: ask for them two
		 * strides ahead, so that reading a packet's source one stride
		 * ahead (for its table's line) does not wait for them. */
		if (k + 2 * PREFETCH < n) {
			const char *q = (const char *)ring_peek(r, k + 2 * PREFETCH);

			__builtin_prefetch(q);
			__builtin_prefetch(q + sizeof(struct pkt) - 1);
		}
		if (k + PREFETCH < n)
			analysis_prefetch(e->an, ring_peek(r, k + PREFETCH));
		analysis_add(e->an, ring_peek(r, k));
	}
	ring_consume(r, n);
	return n;
}

/* Files: a k-way merge in capture-time order, paced when speed > 0. */
static void
run_files(struct engine *e)
{
	int paced = e->speed > 0;

	while (!atomic_load(&e->stop)) {
		int i = oldest(e);
		struct ring *r;

		if (i == -2)
			break;
		if (i == -1) {
			sleep_us(20);
			continue;
		}
		r = &e->src[i].ring;
		if (paced) {
			pace(e, ring_peek(r, 0)->ts_us);
			if (atomic_load(&e->stop))
				break;
		}
		if (e->nsrc == 1 && !paced) {
			/* One source: take the whole ready run at once. */
			drain(e, r);
			continue;
		}
		analysis_add(e->an, ring_peek(r, 0));
		ring_consume(r, 1);
	}
}

/* Live (or mixed): drain what is there; keep the clock moving when idle. */
static void
run_live(struct engine *e)
{
	while (!atomic_load(&e->stop)) {
		size_t i, total = 0, open = 0;

		for (i = 0; i <= e->nsrc + e->nxsrc; i++) {
			struct ring *r;

			if (i == e->nsrc + e->nxsrc && e->tm == NULL)
				break;
			r = i < e->nsrc ? &e->src[i].ring :
			    i < e->nsrc + e->nxsrc ? &e->xsrc[i - e->nsrc].ring :
			    &e->tm->ring;
			total += drain(e, r);
			if (!ring_closed(r) || ring_count(r) > 0)
				open++;
		}
		if (open == 0) {
			if (e->report)
				e->live_listened_s = (double)((mono_us() -
				    e->live_start) / 1000) / 1e3;
			break;
		}
		if (total == 0) {
			/* A report's clock is its records' own time. */
			if (e->tm == NULL || !e->tm->report)
				analysis_advance(e->an, now_us());
			/* Nothing yet (or a silent link): the screen still gets
			 * a snapshot a second, with drops and counters. */
			if (e->publish && mono_us() - e->last_publish >= 1000000)
				publish(e);
			sleep_us(1000);
		}
	}
}

static void *
analysis_main(void *arg)
{
	struct engine *e = arg;

	if (e->all_files)
		run_files(e);
	else
		run_live(e);
	analysis_finish(e->an);
	atomic_store(&e->finished, 1);
	if (e->hist != NULL) {
		/* The minute in progress at the end of the input. */
		struct snapshot *snap = build_snapshot(e);

		history_minute(e->hist, snap, 1);
		snapshot_free(snap);
	}
	if (e->publish)
		publish(e);
	return NULL;
}

int
engine_start(struct engine *e, char *errbuf)
{
	size_t i;

	e->live_start = mono_us();
	for (i = 0; i < e->nsrc; i++) {
		if (pthread_create(&e->src[i].thread, NULL, engine_reader_main,
		    &e->src[i]) != 0)
			return err_set(errbuf, "cannot start a reader thread");
		e->src[i].started = 1;
	}
	for (i = 0; i < e->nxsrc; i++) {
		if (pthread_create(&e->xsrc[i].thread, NULL, engine_reader_main,
		    &e->xsrc[i]) != 0)
			return err_set(errbuf, "cannot start a reader thread");
		e->xsrc[i].started = 1;
	}
	if (e->tm != NULL) {
		if (pthread_create(&e->tm->thread, NULL, engine_telemetry_main,
		    e) != 0)
			return err_set(errbuf, "cannot start the telemetry thread");
		e->tm->started = 1;
	}
	analysis_set_tick(e->an, on_tick, e);
	if (pthread_create(&e->thread, NULL, analysis_main, e) != 0)
		return err_set(errbuf, "cannot start the analysis thread");
	e->started = 1;
	return 0;
}

void
engine_set_publish(struct engine *e, int on)
{
	e->publish = on;
}

void
engine_wait(struct engine *e)
{
	size_t i;

	if (e->started) {
		pthread_join(e->thread, NULL);
		e->started = 0;
	}
	for (i = 0; i < e->nsrc; i++) {
		if (e->src[i].started) {
			pthread_join(e->src[i].thread, NULL);
			e->src[i].started = 0;
		}
	}
	for (i = 0; i < e->nxsrc; i++) {
		if (e->xsrc[i].started) {
			pthread_join(e->xsrc[i].thread, NULL);
			e->xsrc[i].started = 0;
		}
	}
	if (e->tm != NULL && e->tm->started) {
		pthread_join(e->tm->thread, NULL);
		e->tm->started = 0;
	}
}

void
engine_stop(struct engine *e)
{
	size_t i;

	atomic_store(&e->stop, 1);
	for (i = 0; i < e->nsrc; i++)
		if (e->src[i].src != NULL && e->src[i].live)
			source_breakloop(e->src[i].src);
	for (i = 0; i < e->nxsrc; i++)
		if (e->xsrc[i].src != NULL)
			source_breakloop(e->xsrc[i].src);
	engine_wait(e);
}

void
engine_free(struct engine *e)
{
	size_t i;

	if (e == NULL)
		return;
	engine_stop(e);
	for (i = 0; i < e->nsrc; i++) {
		source_close(e->src[i].src);
		ring_destroy(&e->src[i].ring);
	}
	for (i = 0; i < e->nxsrc; i++) {
		source_close(e->xsrc[i].src);
		ring_destroy(&e->xsrc[i].ring);
	}
	if (e->tm != NULL) {
		flowsrc_free(e->tm->fs);
		if (e->tm->ring.slots != NULL)
			ring_destroy(&e->tm->ring);
		pthread_mutex_destroy(&e->tm->lock);
		free(e->tm);
	}
	/* After the threads: the writer writes what is queued, then ends. */
	history_free(e->hist);
	metrics_free(e->metrics);
	analysis_free(e->an);
	prefix_db_free(e->pdb);
	snapshot_free(e->latest);
	if (e->pipefd[0] >= 0)
		close(e->pipefd[0]);
	if (e->pipefd[1] >= 0)
		close(e->pipefd[1]);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

struct snapshot *
engine_snapshot(struct engine *e)
{
	struct snapshot *copy = NULL, *s;

	pthread_mutex_lock(&e->lock);
	s = e->latest;
	e->latest = NULL;	/* hand it over; the next publish makes another */
	pthread_mutex_unlock(&e->lock);
	copy = s;
	return copy;
}

int
engine_fd(const struct engine *e)
{
	return e->pipefd[0];
}

void
engine_ack(struct engine *e)
{
	char buf[64];

	while (read(e->pipefd[0], buf, sizeof(buf)) > 0)
		;
}

struct analysis *
engine_analysis(struct engine *e)
{
	return e->an;
}

const struct prefixdb *
engine_prefixdb(const struct engine *e)
{
	return e->pdb;
}

int
engine_give_dir(const char *user, const char *dir, char *errbuf)
{
	return priv_give_dir(user, dir, errbuf);
}

int
engine_drop_root(const char *user, char *errbuf)
{
	return priv_drop(user, errbuf);
}

void
engine_whois(const struct prefixdb *db, const struct addr *a,
    struct engine_whois *w)
{
	struct prefix_info pi;

	memset(w, 0, sizeof(*w));
	if (db == NULL || a == NULL || (a->family != 4 && a->family != 6))
		return;
	prefix_lookup(db, a, &pi);
	w->asn = pi.asn;
	memcpy(w->country, pi.country, sizeof(w->country));
	snprintf(w->as_org, sizeof(w->as_org), "%s", pi.as_org);
}

const char *
engine_error(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nsrc; i++)
		if (e->src[i].error[0] != '\0')
			return e->src[i].error;
	for (i = 0; i < e->nxsrc; i++)
		if (e->xsrc[i].error[0] != '\0')
			return e->xsrc[i].error;
	if (e->tm != NULL && e->tm->error[0] != '\0')
		return e->tm->error;
	return NULL;
}

size_t
engine_nsources(const struct engine *e)
{
	return e->nsrc;
}

const char *
engine_source_name(const struct engine *e, size_t i)
{
	return i < e->nsrc ? e->src[i].name : NULL;
}

int
engine_source_linktype(const struct engine *e, size_t i)
{
	return i < e->nsrc ? source_linktype(e->src[i].src) : -1;
}

const struct flowsrc *
engine_flowsrc(const struct engine *e)
{
	return e->tm != NULL ? e->tm->fs : NULL;
}

int
engine_history_stats(struct engine *e, struct history_stats *st)
{
	if (e->hist == NULL)
		return -1;
	history_get_stats(e->hist, st);
	return 0;
}
