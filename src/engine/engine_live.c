/*
 * engine_live.c -- the engine's capture side: opening the sources (a link
 * each; further PACKET_FANOUT readers for a live interface), the reader
 * threads that fill the rings, the telemetry thread, when a live report
 * is over (engine_set_live_report: duration, idle) and the capture
 * counters summed over a link's readers. See engine.c for the rings'
 * other end and engine_impl.h for the structures.
 *
 * Readers fill their ring in batches straight from pcap_dispatch() (the
 * decode runs in the reader's callback, in place). A reader of a file waits
 * when its ring is full (nothing may be lost from a file); a live reader
 * never waits on the analysis: when its ring is full it lets the kernel
 * buffer fill, and the kernel's drop counter (pcap_stats) shows the loss.
 */
#include "engine/engine.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine_impl.h"
#include "capture/capture.h"
#include "flow/flowsrc.h"
#include "settings/config.h"
#include "capture/ring.h"
#include "base/util.h"

/* Default link name: the interface, or the file's base name. */
static void
default_name(char *buf, size_t len, const char *iface)
{
	const char *slash = strrchr(iface, '/');

	snprintf(buf, len, "%s", slash != NULL ? slash + 1 : iface);
}

static const struct linkdef *
find_link(const struct options *o, const char *iface)
{
	size_t i;

	for (i = 0; i < o->nlinks; i++)
		if (strcmp(o->links[i].iface, iface) == 0)
			return &o->links[i];
	return NULL;
}

/* Whether links not named by -i or -r are opened as live interfaces. */
int
engine_links_live(const struct options *o)
{
	return o->nifaces > 0 ||
	    (o->nread == 0 && o->nsflow + o->nnetflow == 0);
}

/*
 * Give live link s e->readers readers in all: more handles on its
 * interface, joined with s's in a PACKET_FANOUT group (capture.h), each
 * with its own ring and thread (started with the rest).
 */
static int
add_readers(struct engine *e, struct esource *s, char *errbuf)
{
	int group = -1;
	unsigned k;

	if (source_join_fanout(s->src, &group, errbuf) != 0)
		return -1;
	for (k = 1; k < e->readers; k++) {
		struct esource *x;

		if (e->nxsrc == MAX_EXTRA)
			return err_set(errbuf, "too many readers (at most %d "
			    "beyond one an interface)", MAX_EXTRA);
		x = &e->xsrc[e->nxsrc];
		x->e = e;
		x->link = s->link;
		x->live = 1;
		x->first = s;
		memcpy(x->iface, s->iface, sizeof(x->iface));
		memcpy(x->name, s->name, sizeof(x->name));
		if ((x->src = source_open_live(s->iface, e->o->filter,
		    errbuf)) == NULL)
			return -1;
		ring_init(&x->ring, RING_SIZE);
		e->nxsrc++;
		if (source_join_fanout(x->src, &group, errbuf) != 0)
			return -1;
		s->nreaders++;
	}
	return 0;
}

/*
 * Readers per live interface: the readers setting, or as the cores allow:
 * one core is the analysis thread's, the rest are shared by the live
 * interfaces, at most 8 readers each and at least one.
 */
unsigned
engine_readers_for(const struct options *o, size_t nlive)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long n;

	if (o->readers > 0)
		return o->readers > MAX_READERS ? MAX_READERS : o->readers;
	if (nlive == 0 || ncpu < 3)
		return 1;
	n = (ncpu - 1) / (long)nlive;
	return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

int
engine_add_source(struct engine *e, const char *iface, int live, char *errbuf)
{
	struct esource *s;
	const struct linkdef *l;

	if (e->nsrc == MAX_SOURCES)
		return err_set(errbuf, "too many capture sources (at most %d)",
		    MAX_SOURCES);
	s = &e->src[e->nsrc];
	s->e = e;
	s->link = (uint16_t)e->nsrc;
	s->live = live;
	snprintf(s->iface, sizeof(s->iface), "%s", iface);
	if ((l = find_link(e->o, iface)) != NULL) {
		snprintf(s->name, sizeof(s->name), "%s", l->name);
		s->capacity_bps = l->capacity_bps;
	} else
		default_name(s->name, sizeof(s->name), iface);
	if (live)
		s->src = source_open_live(iface, e->o->filter, errbuf);
	else
		s->src = source_open_file(iface, e->o->filter, errbuf);
	if (s->src == NULL)
		return -1;
	ring_init(&s->ring, RING_SIZE);
	s->nreaders = 1;
	e->nsrc++;
	return live && e->readers > 1 ? add_readers(e, s, errbuf) : 0;
}

/* Whether a live report's capture is over: engine_end_input(), or its
 * duration passed, or idle seconds since this reader's last packet. */
static int
live_over(struct esource *s)
{
	struct engine *e = s->e;
	int64_t now, last;

	if (!e->report || !s->live)
		return 0;
	if (atomic_load(&e->live_end))
		return 1;
	now = mono_us();
	if (e->live_duration_s > 0 &&
	    now - e->live_start >= e->live_duration_s * 1000000)
		return 1;
	/* idle: the link's, not this reader's (a reader of a fanout group
	 * that stopped would leave its share to the kernel to drop) */
	last = atomic_load(&(s->first != NULL ? s->first : s)->last_pkt);
	return e->live_idle_s > 0 && last != 0 &&
	    now - last >= e->live_idle_s * 1000000;
}

/* A live reader whose ring is full waits (the kernel's buffer takes the
 * backlog); the kernel drops while it waits are counted as the ring's. */
static void
wait_ring(struct esource *s)
{
	struct engine *e = s->e;
	uint64_t r0, d0, f0, r1, d1, f1;
	int counted = s->live && source_stats(s->src, &r0, &d0, &f0) == 0;

	while (ring_space(&s->ring) == 0 && !atomic_load(&e->stop) &&
	    !live_over(s))
		sleep_us(50);
	if (counted && source_stats(s->src, &r1, &d1, &f1) == 0) {
		atomic_fetch_add(&s->ring_full_drops, d1 - d0);
		atomic_store(&s->received, r1);
		atomic_store(&s->dropped, d1);
		atomic_store(&s->ifdropped, f1);
	}
}

void *
engine_reader_main(void *arg)
{
	struct esource *s = arg;
	struct engine *e = s->e;
	uint64_t polls = 0;

	while (!atomic_load(&e->stop) && !live_over(s)) {
		size_t space = ring_space(&s->ring), contig, want;
		uint64_t head;
		int n;

		if (space == 0) {
			wait_ring(s);
			continue;
		}
		head = atomic_load_explicit(&s->ring.head, memory_order_relaxed);
		contig = (size_t)(s->ring.mask + 1 - (head & s->ring.mask));
		want = space < contig ? space : contig;
		if (want > BATCH)
			want = BATCH;
		n = source_read(s->src, ring_slot(&s->ring, 0), (int)want,
		    s->link, s->error);
		if (n == -2)
			break;
		if (n < 0) {
			if (s->error[0] == '\0')
				snprintf(s->error, sizeof(s->error), "%.200s: read "
				    "error", s->iface);
			break;
		}
		if (n > 0) {
			ring_publish(&s->ring, (size_t)n);
			if (s->live && e->live_idle_s > 0)
				atomic_store(&(s->first != NULL ? s->first :
				    s)->last_pkt, mono_us());
		}
		if (s->live && (++polls & 63) == 0) {
			uint64_t r, d, f;

			if (source_stats(s->src, &r, &d, &f) == 0) {
				atomic_store(&s->received, r);
				atomic_store(&s->dropped, d);
				atomic_store(&s->ifdropped, f);
			}
		}
	}
	if (s->live) {
		uint64_t r, d, f;

		if (source_stats(s->src, &r, &d, &f) == 0) {
			atomic_store(&s->received, r);
			atomic_store(&s->dropped, d);
			atomic_store(&s->ifdropped, f);
		}
	}
	ring_close(&s->ring);
	atomic_store(&s->done, 1);
	return NULL;
}

/* A telemetry record into the ring; when the analysis is behind, the
 * record is dropped and counted (a router does not wait either), unless
 * it is read for a report, which waits as a file reader does. */
static void
on_record(void *ctx, const struct flow_origin *o, const struct pkt *p)
{
	struct engine *e = ctx;
	struct etelemetry *tm = e->tm;

	while (tm->report && ring_space(&tm->ring) == 0 &&
	    !atomic_load(&e->stop))
		sleep_us(50);
	if (ring_space(&tm->ring) == 0) {
		atomic_fetch_add(&tm->ring_drops, 1);
		return;
	}
	*ring_slot(&tm->ring, 0) = *p;
	ring_publish(&tm->ring, 1);
	tm->totals.sampled += o->rate > 1 ? p->weight / o->rate : p->weight;
	if (o->rate > tm->totals.max_rate)
		tm->totals.max_rate = o->rate;
}

/* Whether a report's telemetry is over: engine_end_telemetry(), or its
 * duration or idle limit passed (mono_us() times, last 0 before any
 * datagram). */
static int
telemetry_over(struct etelemetry *tm, int64_t start, int64_t last)
{
	int64_t now = mono_us();

	if (atomic_load(&tm->end))
		return 1;
	if (tm->duration_s > 0 && now - start >= tm->duration_s * 1000000)
		return 1;
	return tm->idle_s > 0 && last != 0 &&
	    now - last >= tm->idle_s * 1000000;
}

void *
engine_telemetry_main(void *arg)
{
	struct engine *e = arg;
	struct etelemetry *tm = e->tm;
	struct pollfd pfd[64];
	int fds[64];
	size_t n, i;
	int64_t start = mono_us(), last = 0;
	uint64_t seen = 0;

	n = flowsrc_fds(tm->fs, fds, 64);
	for (i = 0; i < n; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
	}
	while (!atomic_load(&e->stop) && !telemetry_over(tm, start, last)) {
		if (poll(pfd, (nfds_t)n, 100) < 0 && errno != EINTR) {
			snprintf(tm->error, sizeof(tm->error), "poll: %s",
			    strerror(errno));
			break;
		}
		if (flowsrc_poll(tm->fs, on_record, e) < 0 && errno != EAGAIN &&
		    errno != EINTR) {
			snprintf(tm->error, sizeof(tm->error), "telemetry "
			    "socket: %s", strerror(errno));
			break;
		}
		/* Copies for the publisher, which must not touch flowsrc. */
		pthread_mutex_lock(&tm->lock);
		flowsrc_stats(tm->fs, &tm->st);
		for (i = 0; i < flowsrc_maxlinks(tm->fs) && i < STATS_MAX_LINKS;
		    i++) {
			const struct flowsrc_link *l = flowsrc_link(tm->fs, i);

			if (l == NULL)
				break;
			tm->links[i] = *l;
		}
		tm->nlinks = i;
		pthread_mutex_unlock(&tm->lock);
		if (tm->st.datagrams != seen) {
			seen = tm->st.datagrams;
			last = mono_us();
		}
	}
	/* whole milliseconds, as summary has always reported them */
	tm->totals.listened_s = (double)((mono_us() - start) / 1000) / 1e3;
	ring_close(&tm->ring);
	return NULL;
}

void
engine_set_telemetry_report(struct engine *e, long duration_s, long idle_s)
{
	if (e->tm == NULL)
		return;
	e->tm->report = 1;
	e->tm->duration_s = duration_s;
	e->tm->idle_s = idle_s;
}

/* A signal handler may call engine_end_telemetry(): one lock-free store. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "engine_end_telemetry() must be "
    "async-signal-safe");

void
engine_end_telemetry(struct engine *e)
{
	if (e->tm != NULL)
		atomic_store(&e->tm->end, 1);
}

void
engine_set_live_report(struct engine *e, long duration_s, long idle_s)
{
	e->live_duration_s = duration_s;
	e->live_idle_s = idle_s;
}

void
engine_end_input(struct engine *e)
{
	atomic_store(&e->live_end, 1);
	engine_end_telemetry(e);
}

/* A live link's counters: the sums over its readers. ps_ifdrop is the
 * interface's, which every reader's handle sees whole: the largest. */
int
engine_link_counters(const struct engine *e, const struct esource *s,
    struct engine_capture *c)
{
	size_t i, k;
	int done = atomic_load(&s->done);

	c->received = atomic_load(&s->received);
	c->kernel_drops = atomic_load(&s->dropped);
	c->if_drops = atomic_load(&s->ifdropped);
	c->ring_full_drops = atomic_load(&s->ring_full_drops);
	c->readers = s->nreaders;
	memset(c->reader_received, 0, sizeof(c->reader_received));
	c->reader_received[0] = c->received;
	for (i = 0, k = 1; i < e->nxsrc; i++) {
		const struct esource *x = &e->xsrc[i];
		uint64_t f = atomic_load(&x->ifdropped);

		if (x->first != s)
			continue;
		if (k < MAX_READERS)
			c->reader_received[k++] = atomic_load(&x->received);
		c->received += atomic_load(&x->received);
		c->kernel_drops += atomic_load(&x->dropped);
		c->ring_full_drops += atomic_load(&x->ring_full_drops);
		if (f > c->if_drops)
			c->if_drops = f;
		done = done && atomic_load(&x->done);
	}
	return done;
}

int
engine_source_capture(const struct engine *e, size_t i,
    struct engine_capture *c)
{
	const struct esource *s;

	if (i >= e->nsrc || !e->src[i].live)
		return -1;
	s = &e->src[i];
	engine_link_counters(e, s, c);
	return 0;
}

double
engine_live_listened(const struct engine *e)
{
	return e->live_listened_s;
}

int
engine_telemetry_totals(const struct engine *e, struct engine_telemetry *t)
{
	if (e->tm == NULL)
		return -1;
	*t = e->tm->totals;
	return 0;
}
