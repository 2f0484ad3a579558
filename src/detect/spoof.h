/*
 * spoof.h -- signs that the sources of an attack are spoofed, shown to the
 * operator as evidence and a level (low / medium / high), never as proof.
 *
 * Two parts:
 * - spoof_special(): is an address in special-purpose or bogon space (the
 *   IANA IPv4 and IPv6 Special-Purpose Address Registries, RFC 6890 and its
 *   updates; see spoof.c for the list and its sources)?
 * - struct spoof_acc: per attacked target, a fixed-size accumulator fed with
 *   every packet to (and from) the target, O(1) per packet, and assessed
 *   once per tick by spoof_acc_assess().
 *
 * The signs, their weights and why:
 *
 *   special   0.30  share of packets from special-purpose or bogon sources.
 *                   No reply can reach such a source, so any real share of
 *                   them is spoofing by construction; uniformly random IPv4
 *                   sources put about 14% there (0/8, 10/8, 127/8, 224/3 and
 *                   smaller blocks), ordinary traffic well under 1%. Strength
 *                   rises linearly from 0 at 1% to 1 at 10%.
 *   unrouted  0.20  share of sampled sources, not special, that the routing
 *                   data says nobody announces (only when the prefix data
 *                   covers the routing table: routed() answers 0 or 1 for
 *                   every sample; with an extract it answers
 *                   SPOOF_ROUTED_PARTIAL for the addresses outside it and
 *                   the sign is not assessed, since most routed space is
 *                   outside any extract). As strong in kind as the first,
 *                   but it depends on how fresh the data is, so less
 *                   weight. Same ramp, 1% to 10%.
 *   hops      0.20  hop-count inconsistency (hop-count filtering, Jin, Wang
 *                   and Shin, ACM CCS 2003: the initial TTL is the smallest
 *                   of 32, 64, 128 and 255 not below the observed one, hops
 *                   = initial - observed). Sources spread over 16 or more
 *                   networks (/8 for IPv4, /32 for IPv6) whose packets show
 *                   only one or two hop counts come from few real hosts;
 *                   strength rises from 0 when the two commonest hop counts
 *                   hold 60% of packets to 1 at 90%. A tool that randomises
 *                   the TTL shows the opposite: more than 30 hops, which
 *                   real paths almost never need, for half its packets;
 *                   strength rises from 0 at 5% of packets to 1 at 20%.
 *                   Known false positive: traffic that reaches the capture
 *                   point through something that rewrites the TTL (a
 *                   proxy, a scrubbing centre's tunnel, some load
 *                   balancers) shows one hop count however real it is.
 *   handshake 0.10  SYN-to-handshake completion: ACKs to the target
 *                   (without SYN, FIN or RST: a handshake's third packet
 *                   and those after it) per SYN to it, capped at 100%.
 *                   The SYN-ACKs of spoofed SYNs go to the forged
 *                   addresses, so handshakes never complete; ordinary
 *                   clients complete nearly all (and send more ACKs than
 *                   SYNs). Little weight, because real bots flooding SYNs
 *                   from raw sockets do not complete either. Strength 1 at
 *                   10% completion or less, 0 at 50%; assessed from 100
 *                   SYNs on.
 *   uniform   0.20  how uniformly the sampled IPv4 sources spread over the
 *                   address space: Pearson's chi-square over the 28 /5
 *                   blocks of unicast space (0/5 to 216/5; samples from
 *                   224/3 are left out, so tools that draw from all 2^32
 *                   addresses and tools that avoid multicast and reserved
 *                   space both count as uniform). Random spoofing fills the
 *                   blocks evenly (p is then itself uniform on 0..1); real
 *                   sources cluster in the networks that have users, so p
 *                   falls far below 0.001. Strength 1 for p >= 0.01, 0 for
 *                   p <= 0.001, log-linear between; assessed from 128
 *                   sampled unicast IPv4 sources.
 *
 * score = sum of weight * strength over the signs assessed (0..1; a sign
 * that cannot be assessed adds nothing). Levels: HIGH from 0.50, MEDIUM from
 * 0.25, else LOW. So one sign alone makes at most MEDIUM (the special share,
 * being near-proof for the packets it covers) and HIGH needs at least two
 * independent signs at full strength, e.g. bogon sources plus a uniform
 * spread, or one hop count plus a uniform spread plus no completions. A
 * randomly spoofed flood from one host scores 0.80 or more even with no
 * prefix data loaded; a botnet of real hosts scores near 0.
 *
 * Memory: sizeof(struct spoof_acc), 13128 bytes on LP64 (two 256-bucket
 * histograms of 8-byte counters, a reservoir of SPOOF_SAMPLE addresses of
 * 17 bytes, and counters), allocated once by spoof_acc_new(). With an
 * hll (p = 14) and a topk (k = 256) beside it, a tracked target costs about
 * 55 KiB: 3.5 MiB for 64 targets (measured: VmData 3.6 MB).
 *
 * Not thread-safe: one thread owns an accumulator. No locking, allocation
 * or division on the per-packet path (the reservoir computes a logarithm
 * only when it takes a sample: O(SPOOF_SAMPLE log(n / SPOOF_SAMPLE)) times
 * for n packets).
 */
#ifndef KYOCHO_SPOOF_H
#define KYOCHO_SPOOF_H

#include <stdint.h>

#include "base/addr.h"
#include "detect/alert.h"
#include "capture/decode.h"

#define SPOOF_SAMPLE	512	/* sampled source addresses, a power of 2 */
#define SPOOF_MIN_PKTS	100	/* below this, nothing is assessed */

enum spoof_sign {
	SPOOF_SIGN_SPECIAL = 0,
	SPOOF_SIGN_UNROUTED,
	SPOOF_SIGN_HOPS,
	SPOOF_SIGN_HANDSHAKE,
	SPOOF_SIGN_UNIFORM,
	SPOOF_NSIGNS
};

/* The weights above, indexed by enum spoof_sign; they sum to 1. */
extern const double spoof_weight[SPOOF_NSIGNS];

#define SPOOF_CUT_MEDIUM	0.25
#define SPOOF_CUT_HIGH		0.50

struct spoof_result {
	enum spoof_level level;
	double score;				/* 0..1 */
	double strength[SPOOF_NSIGNS];	/* 0..1, or -1: not assessed */
	unsigned nevidence;
	/* Short English sentences, each with the number behind it, signs
	 * that point at spoofing first; NUL-terminated, ASCII only. */
	char evidence[ALERT_EVIDENCE][ALERT_EVIDENCE_LEN];
};

struct spoof_acc;

/*
 * 1 if a is in special-purpose or bogon space (as a source address), else 0.
 * When name is not NULL and the answer is 1, *name is set to a static string
 * naming the registry entry, e.g. "192.168.0.0/16 Private-Use (RFC 1918)".
 * An address of family 0 is not special.
 */
int spoof_special(const struct addr *a, const char **name);

/* The initial TTL hop-count filtering guesses for an observed TTL: the
 * smallest of 32, 64, 128, 255 that is >= ttl. */
unsigned spoof_initial_ttl(uint8_t ttl);
/* Inferred hop count: spoof_initial_ttl(ttl) - ttl (0..126). */
unsigned spoof_hops(uint8_t ttl);

/*
 * Upper tail of the chi-square distribution with df degrees of freedom:
 * P(X >= x), for x >= 0 and df >= 1.
 */
double spoof_chisq_q(double x, unsigned df);

/* A new, empty accumulator; the caller owns it: spoof_acc_free(). */
struct spoof_acc *spoof_acc_new(void);
void spoof_acc_free(struct spoof_acc *acc);	/* NULL is fine */
/* Forget everything (a new attack on the same target). */
void spoof_acc_reset(struct spoof_acc *acc);

/* towards_target values for spoof_acc_add(). */
#define SPOOF_FROM_TARGET	0	/* only its SYN-ACKs are counted */
#define SPOOF_TO_TARGET		1	/* its source is assessed */
#define SPOOF_TO_TARGET_OURS	2	/* ... from one of our own prefixes:
					 * never special-purpose */

/*
 * Count one packet. towards_target is SPOOF_TO_TARGET (1) for packets to
 * the target (sources are assessed), SPOOF_TO_TARGET_OURS when the source
 * is inside our home prefixes, SPOOF_FROM_TARGET (0) for packets from it
 * (only its SYN-ACKs are counted).
 * Counts are weighted by p->weight (0 counts as 1). Packets without IP
 * (p->family 0) are ignored.
 */
void spoof_acc_add(struct spoof_acc *acc, const struct pkt *p,
    int towards_target);

/* routed() answer: a is outside prefix data that is only an extract, so
 * whether it is routed cannot be told (prefix.h PREFIX_PARTIAL). */
#define SPOOF_ROUTED_PARTIAL	(-2)

/*
 * Assess what has been accumulated. routed(ctx, a) tells whether a source
 * is in routed space: 1 routed, 0 unrouted, -1 unknown (no prefix data),
 * SPOOF_ROUTED_PARTIAL (any such answer leaves the sign unassessed);
 * routed may be NULL. It is called at most SPOOF_SAMPLE times, from this
 * thread. Fills *out completely.
 */
void spoof_acc_assess(const struct spoof_acc *acc,
    int (*routed)(void *ctx, const struct addr *a), void *ctx,
    struct spoof_result *out);

/* Packets (weighted) to the target seen so far. */
uint64_t spoof_acc_packets(const struct spoof_acc *acc);
/* The reservoir: a uniform sample of the packets' source addresses (one per
 * packet), valid until the next spoof_acc_add(). Returns how many. */
size_t spoof_acc_sample(const struct spoof_acc *acc, const struct addr **out);

#endif
