/*
 * analysis.h -- the analysis stage: statistics and detection over one
 * stream of packets, and the snapshots built from them.
 *
 * Single-threaded (the engine's analysis thread, or a test). Packets should
 * arrive in capture-time order; late ones are counted in the current second.
 */
#ifndef KYOCHO_ANALYSIS_H
#define KYOCHO_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "settings/config.h"
#include "capture/decode.h"
#include "detect/detect.h"
#include "detect/snapshot.h"
#include "detect/stats.h"

struct analysis;

/* Called after each closed second, on the analysis thread. */
typedef void (*analysis_tick_fn)(void *ctx, int64_t sec);

/*
 * New analysis over the settings in o (which must outlive it). When
 * o->alerts_path is set, the file is opened for appending alerts as JSON
 * Lines; failure returns NULL with errbuf. Free with analysis_free().
 */
struct analysis *analysis_new(const struct options *o, char *errbuf);
void analysis_free(struct analysis *a);
void analysis_set_tick(struct analysis *a, analysis_tick_fn fn, void *ctx);
/* Attribute targets, sources and groups with this prefix data (read-only,
 * must outlive a; NULL for none). */
struct prefixdb;
void analysis_set_prefixdb(struct analysis *a, const struct prefixdb *db);
const struct prefixdb *analysis_prefixdb(const struct analysis *a);

void analysis_add(struct analysis *a, const struct pkt *p);
/* Hint that p will be added soon (see stats_prefetch()). */
void analysis_prefetch(struct analysis *a, const struct pkt *p);
/* Advance the clock with no packet (live capture when idle). */
void analysis_advance(struct analysis *a, int64_t us);
/* End of input: close the last second and end active alerts. */
void analysis_finish(struct analysis *a);

struct stats *analysis_stats(struct analysis *a);
struct detect *analysis_detect(struct analysis *a);

/*
 * Build a snapshot of the current state (links left empty: the engine adds
 * them). The caller owns it (snapshot_free()).
 */
struct snapshot *analysis_snapshot(struct analysis *a, size_t ntargets,
    size_t nalerts);

#endif
