/*
 * engine_history.c -- the history read for the screens (engine_history.h):
 * a read-only history_db and the conversion of its rows into a dense
 * window (links x minutes) the Overview draws from.
 */
#include "engine/engine_history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "history/history.h"

struct engine_history {
	struct history_db *db;
	char *path;
};

struct engine_history *
engine_history_open(const struct options *o, char *errbuf)
{
	struct engine_history *h;
	struct stat sb;
	char *path;

	if (config_history_path(o, 1, &path, errbuf) < 0)
		return NULL;
	if (stat(path, &sb) != 0) {
		err_set(errbuf, "no history: %s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->path = path;
	if ((h->db = history_db_open(path, 0, errbuf)) == NULL) {
		engine_history_close(h);
		return NULL;
	}
	return h;
}

void
engine_history_close(struct engine_history *h)
{
	if (h == NULL)
		return;
	if (h->db != NULL)
		history_db_close(h->db);
	free(h->path);
	free(h);
}

const char *
engine_history_path(const struct engine_history *h)
{
	return h->path;
}

int
engine_history_span(struct engine_history *h, int64_t *oldest,
    int64_t *newest, char *errbuf)
{
	return history_db_span(h->db, oldest, newest, errbuf);
}

static void
alert_copy(struct engine_history_alert *d, const struct history_alert_row *s)
{
	memset(d, 0, sizeof(*d));
	d->start_us = s->start_us;
	d->end_us = s->end_us;
	snprintf(d->target, sizeof(d->target), "%s", s->target);
	snprintf(d->kind, sizeof(d->kind), "%s", s->kind);
	snprintf(d->direction, sizeof(d->direction), "%s", s->direction);
	snprintf(d->link, sizeof(d->link), "%s", s->link);
	d->peak_pps = s->peak_pps;
	d->peak_bps = s->peak_bps;
	d->packets = s->packets;
	d->bytes = s->bytes;
	d->sources_est = s->sources_est;
}

/* The link's index in w, added when there is room; -1 when full. */
static int
link_index(struct engine_history_window *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nlinks; i++)
		if (strcmp(w->links[i], name) == 0)
			return (int)i;
	if (w->nlinks == ENGINE_HISTORY_LINKS)
		return -1;
	snprintf(w->links[w->nlinks], sizeof(w->links[0]), "%s", name);
	return (int)w->nlinks++;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int
engine_history_window(struct engine_history *h, int64_t from,
    size_t nminutes, struct engine_history_window *w, char *errbuf)
{
	struct history_filter f;
	struct history_rows r;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->from = from;
	w->nminutes = nminutes;
	if (nminutes == 0)
		return 0;
	memset(&f, 0, sizeof(f));
	f.from = from;
	f.to = from + (int64_t)nminutes * 60;
	if (history_db_query(h->db, &f, &r, errbuf) != 0)
		return -1;
	/* Links by name, so they keep their rows as the window moves. */
	for (i = 0; i < r.nlinks; i++)
		(void)link_index(w, r.links[i].link);
	qsort(w->links, w->nlinks, sizeof(w->links[0]), name_cmp);
	w->cells = xcalloc(w->nlinks * nminutes + 1, sizeof(*w->cells));
	for (i = 0; i < r.nlinks; i++) {
		const struct history_link_row *l = &r.links[i];
		struct engine_history_cell *c;
		int k = link_index(w, l->link);
		int64_t m = (l->minute - from) / 60;

		if (k < 0 || (size_t)k >= w->nlinks || m < 0 ||
		    (size_t)m >= nminutes)
			continue;
		c = &w->cells[(size_t)k * nminutes + (size_t)m];
		c->present = 1;
		c->packets = l->packets;
		c->bytes = l->bytes;
		c->syn = l->syn;
		c->udp = l->udp;
		c->icmp = l->icmp;
		c->fragments = l->fragments;
		c->drops = l->drops;
		c->peak_pps = l->peak_pps;
		c->peak_bps = l->peak_bps;
		c->capacity_bps = l->capacity_bps;
	}
	if (r.nalerts > 0) {
		w->alerts = xreallocarray(NULL, r.nalerts, sizeof(*w->alerts));
		for (i = 0; i < r.nalerts; i++)
			alert_copy(&w->alerts[i], &r.alerts[i]);
		w->nalerts = r.nalerts;
	}
	history_rows_free(&r);
	return 0;
}

void
engine_history_window_free(struct engine_history_window *w)
{
	free(w->cells);
	free(w->alerts);
	memset(w, 0, sizeof(*w));
}

int
engine_history_alerts(struct engine_history *h, size_t max,
    struct engine_history_alert **out, size_t *n, char *errbuf)
{
	struct history_alert_row *rows;
	size_t i, nr;

	*out = NULL;
	*n = 0;
	if (history_db_alerts(h->db, max, &rows, &nr, errbuf) != 0)
		return -1;
	if (nr > 0) {
		*out = xreallocarray(NULL, nr, sizeof(**out));
		for (i = 0; i < nr; i++)
			alert_copy(&(*out)[i], &rows[i]);
	}
	*n = nr;
	free(rows);
	return 0;
}
