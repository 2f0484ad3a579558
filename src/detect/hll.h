/*
 * hll.h -- HyperLogLog distinct counter (Flajolet et al. 2007) with the
 * improved estimator of O. Ertl, "New cardinality estimation algorithms for
 * HyperLogLog sketches" (arXiv:1702.01284, 2017), and linear counting
 * (Whang et al. 1990) for small ranges.
 *
 * The sketch keeps 2^p one-byte registers. Relative standard error is about
 * 1.04 / sqrt(2^p): 0.81% for p = 14. There is no bias-correction table:
 * Ertl's estimator is unbiased over the whole range, small and large.
 *
 * Memory: sizeof(struct hll) (16 bytes) + 2^p bytes; 16 KiB + 16 for p = 14,
 * 256 KiB for p = 18. Nothing is allocated after hll_new().
 *
 * Costs: hll_add() is O(1) with no branch on the data, no division and no
 * allocation (a shift, a count-leading-zeros and a byte max). hll_estimate()
 * and hll_merge() are O(2^p); call them once per tick, not per packet.
 *
 * Not thread-safe: one thread owns a sketch (the analysis thread); hand the
 * UI the estimate, or a copy made with hll_merge() into a fresh sketch.
 */
#ifndef KYOCHO_HLL_H
#define KYOCHO_HLL_H

#include <stdint.h>

#define HLL_P_MIN	4
#define HLL_P_MAX	18

struct hll;

/*
 * A new empty sketch with 2^p registers. p outside HLL_P_MIN..HLL_P_MAX is a
 * programming error (fatal()). The caller owns the result: hll_free().
 */
struct hll *hll_new(unsigned p);
void hll_free(struct hll *h);		/* NULL is fine */

/*
 * Count one item given its 64-bit hash. The hash must be well mixed in all
 * 64 bits (addr_hash() from addr.h is); adding the same hash twice changes
 * nothing.
 */
void hll_add(struct hll *h, uint64_t hash);

/* Estimated number of distinct hashes added since creation or reset. */
uint64_t hll_estimate(const struct hll *h);

/* Forget everything (registers to zero). */
void hll_reset(struct hll *h);

/*
 * dst becomes the sketch of the union of both streams (register-wise max).
 * Both must have the same p (a programming error otherwise: fatal()).
 */
void hll_merge(struct hll *dst, const struct hll *src);

/* The precision p the sketch was made with. */
unsigned hll_precision(const struct hll *h);

#endif
