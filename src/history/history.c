/*
 * history.c -- the recorder: closed seconds in, per-minute records out to a
 * writer thread through a bounded queue (see history.h).
 *
 * State on the analysis thread: the minute in progress, each link's busiest
 * second in it, and the cumulative counters at the end of the last minute
 * (per link, and per alerted target, up to HISTORY_MAX_TARGETS), from which
 * a minute's deltas are taken. A minute closes at its second :59, or at the
 * first second closed in a later minute (the stats close idle gaps of more
 * than a series' length only in part; the seconds skipped carry no
 * packets, so the counters then still stand at the minute's end).
 *
 * The queue is an array of record pointers under one mutex that either side
 * holds only to move a pointer: the writer takes a record, unlocks, then
 * writes it to SQLite.
 */
#include "history/history.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"

#define PRUNE_EVERY	60	/* minutes written between prunes */

struct base_link {
	char name[64];
	struct counts total;
	uint64_t drops;
};

struct base_target {
	struct addr addr;
	uint64_t packets, bytes, syn, udp, icmp;
};

struct qitem {
	struct history_record *rec;
	int64_t queued_us;		/* monotonic */
};

struct history {
	struct history_settings set;
	char path[512];
	struct history_db *db;

	/* analysis thread */
	int have_minute;
	int64_t minute;			/* in progress */
	int64_t pending;		/* closed, for history_minute() */
	int closed;			/* minute was handed over already */
	uint64_t peak_pps[HISTORY_MAX_LINKS], peak_bps[HISTORY_MAX_LINKS];
	struct base_link links[HISTORY_MAX_LINKS];
	size_t nlinks;
	struct base_target targets[HISTORY_MAX_TARGETS];
	size_t ntargets;

	/* queue */
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	struct qitem *q;
	size_t qcap, qhead, qcount;
	int stop;
	pthread_t thread;
	int started;
	struct history_stats st;
};

static int64_t
minute_of(int64_t sec)
{
	return sec - ((sec % 60) + 60) % 60;
}

static void
record_free(struct history_record *r)
{
	if (r == NULL)
		return;
	free(r->alerts);
	free(r);
}

static void *
writer_main(void *arg)
{
	struct history *h = arg;
	char err[ERRBUF_SIZE];
	unsigned since_prune = 0;

	pthread_mutex_lock(&h->lock);
	for (;;) {
		struct history_record *r;
		int rc;

		while (h->qcount == 0 && !h->stop)
			pthread_cond_wait(&h->more, &h->lock);
		if (h->qcount == 0)
			break;
		r = h->q[h->qhead].rec;
		pthread_mutex_unlock(&h->lock);
		rc = history_db_write(h->db, r, err);
		if (rc == 0 && ++since_prune >= PRUNE_EVERY) {
			since_prune = 0;
			if (history_db_prune(h->db, h->set.days,
			    h->set.max_bytes, err) < 0)
				rc = -1;
		}
		record_free(r);
		pthread_mutex_lock(&h->lock);
		/* Taken off only now, so the lag counts the write too. */
		h->qhead = (h->qhead + 1) % h->qcap;
		h->qcount--;
		if (rc == 0)
			h->st.written++;
		else {
			h->st.errors++;
			snprintf(h->st.error, sizeof(h->st.error), "%.200s", err);
		}
		pthread_cond_signal(&h->room);
	}
	pthread_mutex_unlock(&h->lock);
	/* A last prune, so a replay's file obeys the bounds when it ends. */
	history_db_prune(h->db, h->set.days, h->set.max_bytes, err);
	return NULL;
}

struct history *
history_new(const struct history_settings *s, char *errbuf)
{
	struct history *h = xcalloc(1, sizeof(*h));
	int fd;

	h->set = *s;
	snprintf(h->path, sizeof(h->path), "%s", s->path);
	h->set.path = h->path;
	h->qcap = s->queue > 0 ? s->queue : 64;
	h->q = xcalloc(h->qcap, sizeof(*h->q));
	/* Created private first: the targets are our customers' addresses. */
	if ((fd = open(h->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		err_set(errbuf, "history %s: %s", h->path, strerror(errno));
		free(h->q);
		free(h);
		return NULL;
	}
	close(fd);
	if ((h->db = history_db_open(h->path, 1, errbuf)) == NULL) {
		free(h->q);
		free(h);
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->more, NULL);
	pthread_cond_init(&h->room, NULL);
	if (pthread_create(&h->thread, NULL, writer_main, h) != 0) {
		err_set(errbuf, "history: cannot start the writer thread");
		history_free(h);
		return NULL;
	}
	h->started = 1;
	return h;
}

void
history_free(struct history *h)
{
	size_t i;

	if (h == NULL)
		return;
	if (h->started) {
		pthread_mutex_lock(&h->lock);
		h->stop = 1;
		pthread_cond_signal(&h->more);
		pthread_mutex_unlock(&h->lock);
		pthread_join(h->thread, NULL);
	}
	for (i = 0; i < h->qcount; i++)
		record_free(h->q[(h->qhead + i) % h->qcap].rec);
	history_db_close(h->db);
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->more);
	pthread_cond_destroy(&h->room);
	free(h->q);
	free(h);
}

int
history_second(struct history *h, int64_t sec, const uint64_t *pps,
    const uint64_t *bps, size_t nlinks)
{
	int64_t m = minute_of(sec);
	int due = 0;
	size_t i;

	if (!h->have_minute) {
		h->have_minute = 1;
		h->minute = m;
	}
	if (m > h->minute) {
		/* A later minute: the one in progress closes now unless its
		 * :59 did (it was skipped over: idle, so this second is idle
		 * too and the counters stand at that minute's end). */
		if (!h->closed) {
			h->pending = h->minute;
			due = 1;
		} else {
			memset(h->peak_pps, 0, sizeof(h->peak_pps));
			memset(h->peak_bps, 0, sizeof(h->peak_bps));
		}
		h->minute = m;
		h->closed = 0;
		if (due)
			return 1;
	}
	for (i = 0; i < nlinks && i < HISTORY_MAX_LINKS; i++) {
		if (pps[i] > h->peak_pps[i])
			h->peak_pps[i] = pps[i];
		if (bps[i] > h->peak_bps[i])
			h->peak_bps[i] = bps[i];
	}
	if (sec - m == 59 && !h->closed) {
		h->closed = 1;
		h->pending = m;
		return 1;
	}
	return 0;
}

static uint64_t
delta(uint64_t now, uint64_t then)
{
	return now >= then ? now - then : now;	/* evicted and back: anew */
}

/* The base for link i named name, (re)set when the order changed. */
static struct base_link *
link_base(struct history *h, size_t i, const char *name)
{
	if (i >= h->nlinks || strcmp(h->links[i].name, name) != 0) {
		memset(&h->links[i], 0, sizeof(h->links[i]));
		snprintf(h->links[i].name, sizeof(h->links[i].name), "%s",
		    name);
		if (i >= h->nlinks)
			h->nlinks = i + 1;
	}
	return &h->links[i];
}

static const struct base_target *
target_base(const struct history *h, const struct addr *a)
{
	size_t i;

	for (i = 0; i < h->ntargets; i++)
		if (addr_cmp(&h->targets[i].addr, a) == 0)
			return &h->targets[i];
	return NULL;
}

static void
enqueue(struct history *h, struct history_record *r)
{
	pthread_mutex_lock(&h->lock);
	while (h->qcount == h->qcap && (h->set.flags & HISTORY_WAIT) &&
	    !h->stop)
		pthread_cond_wait(&h->room, &h->lock);
	if (h->qcount == h->qcap) {
		h->st.dropped++;
		pthread_mutex_unlock(&h->lock);
		record_free(r);
		return;
	}
	h->q[(h->qhead + h->qcount) % h->qcap].rec = r;
	h->q[(h->qhead + h->qcount) % h->qcap].queued_us = mono_us();
	h->qcount++;
	pthread_cond_signal(&h->more);
	pthread_mutex_unlock(&h->lock);
}

void
history_minute(struct history *h, const struct snapshot *snap, int final)
{
	struct history_record *r = xcalloc(1, sizeof(*r));
	struct base_target next[HISTORY_MAX_TARGETS];
	size_t i, n = 0;
	int64_t minute;

	/* At the end of input the minute in progress, unless its :59
	 * closed it and nothing came since. */
	if (final && (!h->have_minute || h->closed)) {
		free(r);
		return;
	}
	minute = final ? h->minute : h->pending;
	r->minute = minute;
	for (i = 0; i < snap->nlinks && i < HISTORY_MAX_LINKS; i++) {
		const struct snap_link *l = &snap->links[i];
		struct base_link *b = link_base(h, i, l->name);
		struct history_link_row *row = &r->links[r->nlinks++];
		uint64_t drops = l->kernel_drops + l->if_drops;

		row->minute = minute;
		snprintf(row->link, sizeof(row->link), "%s", l->name);
		row->packets = delta(l->total.packets, b->total.packets);
		row->bytes = delta(l->total.bytes, b->total.bytes);
		row->syn = delta(l->total.tcp_syn, b->total.tcp_syn);
		row->udp = delta(l->total.udp, b->total.udp);
		row->icmp = delta(l->total.icmp, b->total.icmp);
		row->fragments = delta(l->total.fragments, b->total.fragments);
		row->drops = delta(drops, b->drops);
		row->peak_pps = h->peak_pps[i];
		row->peak_bps = h->peak_bps[i];
		row->capacity_bps = l->capacity_bps;
		b->total = l->total;
		b->drops = drops;
	}
	memset(h->peak_pps, 0, sizeof(h->peak_pps));
	memset(h->peak_bps, 0, sizeof(h->peak_bps));
	/* Targets with an active alert, busiest first as the snapshot has
	 * them; their bases carried to the next minute. */
	for (i = 0; i < snap->ntargets && n < HISTORY_MAX_TARGETS; i++) {
		const struct snap_target *t = &snap->targets[i];
		const struct base_target *b;
		struct history_target_row *row;

		if (t->alert_id == 0)
			continue;
		b = target_base(h, &t->addr);
		row = &r->targets[r->ntargets++];
		row->minute = minute;
		addr_format(&t->addr, row->target, sizeof(row->target));
		row->packets = delta(t->packets, b ? b->packets : 0);
		row->bytes = delta(t->bytes, b ? b->bytes : 0);
		row->syn = delta(t->syn, b ? b->syn : 0);
		row->udp = delta(t->udp, b ? b->udp : 0);
		row->icmp = delta(t->icmp, b ? b->icmp : 0);
		row->peak_pps = t->peak_pps;
		next[n].addr = t->addr;
		next[n].packets = t->packets;
		next[n].bytes = t->bytes;
		next[n].syn = t->syn;
		next[n].udp = t->udp;
		next[n].icmp = t->icmp;
		n++;
	}
	memcpy(h->targets, next, n * sizeof(*next));
	h->ntargets = n;
	/* Every alert the snapshot holds (active and recent): upserts. */
	if (snap->nalerts > 0)
		r->alerts = xcalloc(snap->nalerts, sizeof(*r->alerts));
	for (i = 0; i < snap->nalerts; i++) {
		const struct alert *a = &snap->alerts[i];
		struct history_alert_row *row = &r->alerts[r->nalerts++];

		row->start_us = a->start_us;
		row->end_us = a->end_us;
		addr_format(&a->target, row->target, sizeof(row->target));
		snprintf(row->kind, sizeof(row->kind), "%s",
		    alert_kind_name(a->kind));
		snprintf(row->direction, sizeof(row->direction), "%s",
		    alert_direction_name(a->direction));
		if (a->link < snap->nlinks)
			snprintf(row->link, sizeof(row->link), "%s",
			    snap->links[a->link].name);
		row->peak_pps = a->peak_pps;
		row->peak_bps = a->peak_bps;
		row->packets = a->packets;
		row->bytes = a->bytes;
		row->sources_est = a->sources_est;
	}
	if (final)
		h->closed = 1;
	enqueue(h, r);
}

void
history_get_stats(struct history *h, struct history_stats *st)
{
	pthread_mutex_lock(&h->lock);
	*st = h->st;
	st->queued = h->qcount;
	st->lag_s = h->qcount > 0 ?
	    (double)(mono_us() - h->q[h->qhead].queued_us) / 1e6 : 0;
	pthread_mutex_unlock(&h->lock);
}
