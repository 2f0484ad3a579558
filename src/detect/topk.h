/*
 * topk.h -- heaviest sources by weighted Space-Saving (A. Metwally, D.
 * Agrawal, A. El Abbadi, "Efficient computation of frequent and top-k
 * elements in data streams", ICDT 2005).
 *
 * k counters follow the heaviest keys of a stream. A key already counted
 * gains its weight; a new key takes over the counter with the smallest
 * count c_min, starting at c_min + weight with error c_min. For every key
 * reported, with N the total weight added:
 *	count - error <= true weight <= count,  error <= c_min <= N / k,
 * and every key whose true weight exceeds N / k is among the k counters.
 * With k = 256 any source above 0.39% of the traffic is guaranteed to be
 * kept, and a 2% source's count is off by at most 0.39% of N.
 *
 * Costs: topk_add() is one index lookup plus, when the key is counted,
 * a sift-down that usually ends at once (a heavy hitter's counter sits at
 * a leaf of the heap), and O(log k) worst case: evicting the minimum
 * moves its index entry and, unless a leaf holding the minimum is found
 * first (usual in a flood), sifts the root through an 8-ary min-heap (3
 * levels for k = 256). No allocation, no division, no locks. Measured on
 * the development machine (-O2, k = 256, thread CPU time, shared and
 * loaded machine): about 9 ns when the key is counted, about 35 ns when
 * every packet is a new source (a random-source flood). At the edge of
 * the budget, feed it one packet in n with weight n: the guarantees then
 * hold for the sampled stream.
 *
 * Memory: sizeof(struct topk) (64 bytes on LP64) + 68 k (counter, heap
 * entry, mirrored count) + 8 * 2^ceil(log2 4k) (index) bytes: 25.6 KiB for
 * k = 256, 6.4 KiB for k = 64.
 *
 * Not thread-safe: one thread owns a struct topk.
 */
#ifndef KYOCHO_TOPK_H
#define KYOCHO_TOPK_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"

#define TOPK_MAX	65536	/* the largest k */

struct topk;

struct topk_item {
	struct addr addr;
	uint64_t count;		/* estimated weight, an upper bound */
	uint64_t error;		/* count - error is a lower bound */
};

/*
 * k counters, 1 <= k <= TOPK_MAX (otherwise a programming error: fatal()).
 * The caller owns the result: topk_free().
 */
struct topk *topk_new(unsigned k);
void topk_free(struct topk *t);		/* NULL is fine */

/*
 * Add weight to key a. hash must be a function of a alone, the same for
 * every call on one struct topk (addr_hash(a, seed) with one seed); its low
 * bits choose the index slot. Weight 0 changes nothing.
 */
void topk_add(struct topk *t, const struct addr *a, uint64_t hash,
    uint64_t weight);

/*
 * Copy up to max counters into out, heaviest first (equal counts in address
 * order). Returns how many were written: min(max, keys counted, k).
 */
size_t topk_list(const struct topk *t, struct topk_item *out, size_t max);

/* Sum of all weights added since creation or reset (N above). */
uint64_t topk_total(const struct topk *t);

/* The smallest count held once all k counters are in use, else 0: the
 * largest error any counter can carry. */
uint64_t topk_min(const struct topk *t);

/* Forget everything. */
void topk_reset(struct topk *t);

#endif
