/*
 * analysis.c -- glue between statistics and detection, and snapshots.
 */
#include "engine/analysis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enrich/prefix.h"
#include "base/util.h"

struct analysis {
	const struct options *o;
	struct stats *stats;
	struct detect *detect;
	FILE *alerts_out;
	analysis_tick_fn tick;
	void *tick_ctx;
	const struct prefixdb *pdb;
};

static void
on_dst(void *ctx, int64_t sec, struct dst_entry *d)
{
	struct analysis *a = ctx;

	detect_second(a->detect, sec, d);
}

static void
on_tick(void *ctx, int64_t sec)
{
	struct analysis *a = ctx;

	detect_tick(a->detect, sec);
	if (a->tick != NULL)
		a->tick(a->tick_ctx, sec);
}

struct analysis *
analysis_new(const struct options *o, char *errbuf)
{
	struct analysis *a = xcalloc(1, sizeof(*a));
	struct detect_settings ds;

	a->o = o;
	if (o->alerts_path != NULL) {
		/* 0600 like the journals: alerts name targets and sources. */
		int fd = open_private(o->alerts_path, 1);

		if (fd < 0 || (a->alerts_out = fdopen(fd, "a")) == NULL) {
			err_set(errbuf, "--alerts %s: %s", o->alerts_path,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			free(a);
			return NULL;
		}
		setvbuf(a->alerts_out, NULL, _IOLBF, 0);
	}
	a->stats = stats_new(o->home, o->nhome);
	config_detect_settings(o, &ds);
	a->detect = detect_new(&ds, a->alerts_out);
	stats_set_callbacks(a->stats, on_dst, on_tick, a);
	return a;
}

void
analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	detect_free(a->detect);
	stats_free(a->stats);
	if (a->alerts_out != NULL)
		fclose(a->alerts_out);
	free(a);
}

void
analysis_set_tick(struct analysis *a, analysis_tick_fn fn, void *ctx)
{
	a->tick = fn;
	a->tick_ctx = ctx;
}

void
analysis_set_prefixdb(struct analysis *a, const struct prefixdb *db)
{
	a->pdb = db;
	detect_set_prefixdb(a->detect, db);
}

const struct prefixdb *
analysis_prefixdb(const struct analysis *a)
{
	return a->pdb;
}

void
analysis_add(struct analysis *a, const struct pkt *p)
{
	struct dst_entry *d = stats_add(a->stats, p);

	detect_packet(a->detect, p, d);
}

void
analysis_prefetch(struct analysis *a, const struct pkt *p)
{
	stats_prefetch(a->stats, p);
}

void
analysis_advance(struct analysis *a, int64_t us)
{
	stats_advance(a->stats, us / 1000000);
}

void
analysis_finish(struct analysis *a)
{
	stats_flush(a->stats);
	detect_finish(a->detect, stats_last_us(a->stats));
}

struct stats *analysis_stats(struct analysis *a) { return a->stats; }
struct detect *analysis_detect(struct analysis *a) { return a->detect; }

struct snapshot *
analysis_snapshot(struct analysis *a, size_t ntargets, size_t nalerts)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));
	const struct dst_entry **top;
	size_t i;

	s->capture_us = stats_last_us(a->stats);
	s->total = *stats_total(a->stats);
	s->second = *stats_last_second(a->stats);
	stats_series(a->stats, s->pps_series, s->bps_series, s->syn_series);
	s->table_evictions = stats_evictions(a->stats);

	top = xcalloc(ntargets + 1, sizeof(*top));
	s->ntargets = stats_top_dst(a->stats, top, ntargets);
	s->targets = xcalloc(s->ntargets + 1, sizeof(*s->targets));
	for (i = 0; i < s->ntargets; i++) {
		struct snap_target *t = &s->targets[i];

		t->addr = top[i]->addr;
		t->home = top[i]->home;
		t->packets = top[i]->packets;
		t->bytes = top[i]->bytes;
		t->pps = top[i]->last_pps;
		t->bps = top[i]->last_bps;
		t->peak_pps = top[i]->peak_pps;
		t->syn = top[i]->tcp_syn;
		t->udp = top[i]->udp;
		t->icmp = top[i]->icmp;
		if (a->pdb != NULL) {
			struct prefix_info info;

			prefix_lookup(a->pdb, &t->addr, &info);
			t->asn = info.asn;
			snprintf(t->country, sizeof(t->country), "%s", info.country);
			text_sanitize(t->as_org, sizeof(t->as_org), info.as_org,
			    strlen(info.as_org));
		}
	}
	free(top);

	s->alerts = xcalloc(nalerts + 1, sizeof(*s->alerts));
	s->nalerts = detect_alerts(a->detect, s->alerts, nalerts);
	for (i = 0; i < s->nalerts; i++) {
		size_t j;

		if (s->alerts[i].end_us != 0)
			continue;
		for (j = 0; j < s->ntargets; j++)
			if (addr_cmp(&s->targets[j].addr, &s->alerts[i].target) == 0)
				s->targets[j].alert_id = s->alerts[i].id;
	}
	s->groups = xcalloc(64, sizeof(*s->groups));
	s->ngroups = stats_groups(a->stats, s->groups, 64);
	for (i = 0; a->pdb != NULL && i < s->ngroups; i++) {
		struct prefix p;
		struct prefix_info info;

		/* The group's first address stands for it (a /16 can span
		 * several holders; the label keeps the prefix). */
		if (prefix_parse(s->groups[i].label, &p) != 0)
			continue;
		prefix_lookup(a->pdb, &p.addr, &info);
		s->groups[i].asn = info.asn;
		snprintf(s->groups[i].country, sizeof(s->groups[i].country), "%s",
		    info.country);
	}
	return s;
}

void
snapshot_free(struct snapshot *s)
{
	if (s == NULL)
		return;
	free(s->links);
	free(s->targets);
	free(s->alerts);
	free(s->groups);
	free(s);
}
