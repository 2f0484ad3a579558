/*
 * detect.h -- attack detection per destination, fed by statistics.
 *
 * Each closed second, every destination that saw traffic is compared with
 * its thresholds (detect_thresholds_for(), thresholds.h); a destination over any of them
 * becomes an alert, which lives until it has been under every threshold
 * for `quiet` seconds. While a destination is watched (over half of a
 * threshold, or alerted), detection tracks its sources: heaviest ones with
 * Space-Saving (topk.h), how many with HyperLogLog (hll.h), and spoofing
 * signs (spoof.h). At most DETECT_MAX_TRACKED destinations are tracked at
 * once; memory is fixed at detect_new().
 *
 * Single-threaded: the analysis thread owns it.
 */
#ifndef KYOCHO_DETECT_H
#define KYOCHO_DETECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "detect/alert.h"
#include "capture/decode.h"
#include "detect/stats.h"
#include "detect/thresholds.h"

#define DETECT_MAX_TRACKED	64
#define DETECT_MAX_ALERTS	1024	/* ended alerts kept for the record */
#define DETECT_HLL_P		14
#define DETECT_TOPK		256

struct detect;

/* routed(ctx, a): 1 routed, 0 unrouted, -1 unknown (no prefix data). */
typedef int (*detect_routed_fn)(void *ctx, const struct addr *a);

/*
 * A detector with the thresholds, home prefixes, quiet period and ingress
 * names of s (copied; the arrays s points to must outlive the detector,
 * thresholds.h). alerts_out, if not NULL, receives each alert as a JSON
 * line when it ends (and when it starts). Free with detect_free().
 */
struct detect *detect_new(const struct detect_settings *s,
    FILE *alerts_out);
void detect_free(struct detect *d);
void detect_set_routed(struct detect *d, detect_routed_fn fn, void *ctx);
/*
 * Names of links by capture source index (pkt.link), for the alerts'
 * ingress: fn writes the name of `link` into buf (len bytes) and returns
 * buf, or NULL when it has none. Called on the analysis thread, about once
 * a second per neighbour of each active alert.
 */
typedef const char *(*detect_linkname_fn)(void *ctx, unsigned link,
    char *buf, size_t len);
void detect_set_linkname(struct detect *d, detect_linkname_fn fn, void *ctx);
/* Attribute sources and targets with this prefix data (read-only, must
 * outlive d; NULL for none). Also feeds the unrouted spoofing sign. */
struct prefixdb;
void detect_set_prefixdb(struct detect *d, const struct prefixdb *db);

/* Every packet: feeds source tracking when its destination (d, from
 * stats_add(), may be NULL) or its source is a tracked target. */
void detect_packet(struct detect *det, const struct pkt *p,
    struct dst_entry *d);
/* Stats callback: destination d's counters for the closed second `sec`. */
void detect_second(struct detect *det, int64_t sec, struct dst_entry *d);
/* Stats callback: after all destinations of second `sec`. */
void detect_tick(struct detect *det, int64_t sec);
/* End of input: end every active alert at the last packet's time. */
void detect_finish(struct detect *det, int64_t last_us);

/*
 * Copy alerts into out[] (at most max): active ones first (newest start
 * first), then ended ones (newest end first). Returns how many.
 */
size_t detect_alerts(const struct detect *det, struct alert *out, size_t max);
/* Number of alerts raised so far. */
uint64_t detect_count(const struct detect *det);

/* Write one alert as a JSON object (the summary's and --alerts' format). */
struct jsonw;
void detect_alert_json(struct jsonw *w, const struct alert *a);

#endif
