/*
 * topk.c -- weighted Space-Saving over struct addr keys.
 *
 * Data, in arrays so the hot path touches few cache lines:
 * - slot[i], counter i: its key, hash, count, error, and its positions in
 *   the heap and the index;
 * - heap[] and hcount[], an 8-ary min-heap of counter numbers by count
 *   (hcount[j] mirrors the count of the counter at heap[j], so the children
 *   of a node are 8 adjacent words to scan without a branch). heap[0] is
 *   the counter a new key evicts. A count only grows, so a counter moves
 *   only towards the leaves (sift down), except that a counter taken into
 *   use (while fewer than k are) enters at the bottom and sifts up;
 * - idx[], an open-addressing index from key to counter: a power-of-two
 *   table of at least 4k entries (load <= 1/4), linear probing from
 *   (hash & mask), each entry the counter number + 1 (0 is empty) and 32
 *   more bits of the hash, so a miss rarely touches slot[]. Deletion shifts
 *   the following run back (Knuth 6.4 algorithm R): no tombstones, so probe
 *   runs stay short however long the stream.
 *
 * Measured alternatives (k = 256, random-source flood, every packet an
 * eviction): a binary heap cost about 55-90 ns per update, a tournament
 * tree of minima about 42 ns but 24 ns (instead of 6) when a few hundred
 * sources at equal rates take turns at being the minimum; the 8-ary heap
 * about 45 ns and 6 ns, and 40% less in a flood once evictions prefer a
 * leaf holding the minimum (topk_add()). About 18 ns of a flood packet is
 * the index.
 */
#include "detect/topk.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct slot {
	struct addr addr;
	uint32_t heap;		/* position in t->heap */
	uint64_t hash;
	uint64_t count;
	uint64_t error;
	uint32_t ipos;		/* position in t->idx */
};

struct ient {
	uint32_t tag;		/* hash >> 32: most misses end here */
	uint32_t slot;		/* counter number + 1, or 0 when empty */
};

struct topk {
	unsigned k;		/* counters */
	unsigned n;		/* counters in use */
	uint32_t leaf0;		/* first leaf of the full heap */
	uint32_t cursor;	/* next leaf to try evicting, leaf0..k-1 */
	uint32_t mask;		/* index entries - 1 */
	uint64_t total;
	struct slot *slot;
	uint32_t *heap;		/* counter numbers, a HEAP_D-ary heap */
	uint64_t *hcount;	/* hcount[i] = slot[heap[i]].count */
	struct ient *idx;
};

/*
 * An 8-ary heap: a third of the depth of a binary one (3 levels below the
 * root for k = 256), and a node's children sit next to each other in
 * hcount[], so picking the smallest is a short branch-free scan. This
 * matters in a random-source flood, where every packet evicts a counter
 * holding the minimum and, when it is the root, sifts it down.
 */
#define HEAP_D	8

struct topk *
topk_new(unsigned k)
{
	struct topk *t;
	uint32_t size = 2;

	if (k < 1 || k > TOPK_MAX)
		fatal("topk_new: k = %u outside 1..%d", k, TOPK_MAX);
	while (size < 4 * k)
		size <<= 1;
	t = xcalloc(1, sizeof(*t));
	t->k = k;
	t->mask = size - 1;
	t->leaf0 = k >= 2 ? (k - 2) / HEAP_D + 1 : 0;
	t->cursor = t->leaf0;
	t->slot = xcalloc(k, sizeof(*t->slot));
	t->heap = xcalloc(k, sizeof(*t->heap));
	t->hcount = xcalloc(k, sizeof(*t->hcount));
	t->idx = xcalloc(size, sizeof(*t->idx));
	return t;
}

void
topk_free(struct topk *t)
{
	if (t == NULL)
		return;
	free(t->slot);
	free(t->heap);
	free(t->hcount);
	free(t->idx);
	free(t);
}

static void
heap_set(struct topk *t, uint32_t pos, uint32_t s, uint64_t c)
{
	t->heap[pos] = s;
	t->hcount[pos] = c;
	t->slot[s].heap = pos;
}

static void
heap_up(struct topk *t, uint32_t pos)
{
	uint32_t s = t->heap[pos], parent;
	uint64_t c = t->hcount[pos];

	while (pos > 0) {
		parent = (pos - 1) / HEAP_D;
		if (t->hcount[parent] <= c)
			break;
		heap_set(t, pos, t->heap[parent], t->hcount[parent]);
		pos = parent;
	}
	heap_set(t, pos, s, c);
}

/* Counter at pos now holds count c (>= its old count): move it down. */
static void
heap_down(struct topk *t, uint32_t pos, uint64_t c)
{
	uint32_t s = t->heap[pos], first, last, best, j, n = t->n;
	uint64_t bc;

	for (;;) {
		first = HEAP_D * pos + 1;
		if (first >= n)
			break;
		last = first + HEAP_D < n ? first + HEAP_D : n;
		best = first;
		bc = t->hcount[first];
		for (j = first + 1; j < last; j++) {
			int less = t->hcount[j] < bc;

			best = less ? j : best;
			bc = less ? t->hcount[j] : bc;
		}
		if (bc >= c)
			break;
		heap_set(t, pos, t->heap[best], bc);
		pos = best;
	}
	heap_set(t, pos, s, c);
}

static int
key_eq(const struct addr *x, const struct addr *y)
{
	return addr_eq(x, y);
}

/*
 * Index position of key a: where it is (*found = 1) or the empty entry
 * that ends its probe run (*found = 0).
 */
static uint32_t
idx_find(const struct topk *t, const struct addr *a, uint64_t hash,
    int *found)
{
	uint32_t i = (uint32_t)hash & t->mask, tag = (uint32_t)(hash >> 32);
	const struct ient *e;

	while ((e = &t->idx[i])->slot != 0) {
		if (e->tag == tag) {
			const struct slot *s = &t->slot[e->slot - 1];

			if (s->hash == hash && key_eq(&s->addr, a)) {
				*found = 1;
				return i;
			}
		}
		i = (i + 1) & t->mask;
	}
	*found = 0;
	return i;
}

static void
idx_put(struct topk *t, uint32_t i, struct ient e)
{
	t->idx[i] = e;
	t->slot[e.slot - 1].ipos = i;
}

/* Remove index entry i, moving back the entries of the run after it. */
static void
idx_delete(struct topk *t, uint32_t i)
{
	uint32_t j = i, home;
	struct ient e;

	for (;;) {
		j = (j + 1) & t->mask;
		e = t->idx[j];
		if (e.slot == 0)
			break;
		home = (uint32_t)t->slot[e.slot - 1].hash & t->mask;
		/* an entry may move back to i unless its home lies in (i, j] */
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			idx_put(t, i, e);
			i = j;
		}
	}
	t->idx[i].slot = 0;
}

void
topk_add(struct topk *t, const struct addr *a, uint64_t hash,
    uint64_t weight)
{
	struct slot *s;
	struct ient e;
	uint32_t i, si, pos;
	int found, tries;

	if (weight == 0)
		return;
	t->total += weight;
	i = idx_find(t, a, hash, &found);
	if (found) {
		s = &t->slot[t->idx[i].slot - 1];
		s->count += weight;
		heap_down(t, s->heap, s->count);
		return;
	}
	e.tag = (uint32_t)(hash >> 32);
	if (t->n < t->k) {
		si = t->n++;
		s = &t->slot[si];
		s->addr = *a;
		s->hash = hash;
		s->count = weight;
		s->error = 0;
		e.slot = si + 1;
		idx_put(t, i, e);
		heap_set(t, si, si, weight);
		heap_up(t, si);
		return;
	}
	/*
	 * Evict a counter holding the smallest count: the new key inherits
	 * that count. Any of them will do, and one at a leaf of the heap
	 * needs no sift (it has no children, and its parent is no larger
	 * than the minimum), so first look at two leaves, round robin, and
	 * only then take the root. In a flood of new sources the leaves (7/8
	 * of the counters) climb in turn: most evictions end here in O(1).
	 */
	pos = 0;
	for (tries = 0; tries < 2; tries++) {
		uint32_t c = t->cursor;

		t->cursor = c + 1 < t->k ? c + 1 : t->leaf0;
		if (t->hcount[c] == t->hcount[0]) {
			pos = c;
			break;
		}
	}
	si = t->heap[pos];
	s = &t->slot[si];
	idx_delete(t, s->ipos);
	s->addr = *a;
	s->hash = hash;
	s->error = s->count;
	s->count += weight;
	/* the deletion may have moved the run: probe again */
	i = (uint32_t)hash & t->mask;
	while (t->idx[i].slot != 0)
		i = (i + 1) & t->mask;
	e.slot = si + 1;
	idx_put(t, i, e);
	heap_down(t, pos, s->count);
}

/* 1 if x goes before y in topk_list() order. */
static int
item_before(const struct slot *x, const struct topk_item *y)
{
	if (x->count != y->count)
		return x->count > y->count;
	return addr_cmp(&x->addr, &y->addr) < 0;
}

size_t
topk_list(const struct topk *t, struct topk_item *out, size_t max)
{
	size_t n = 0, j;
	unsigned i;

	/* insertion into a sorted prefix: O(k max), no allocation */
	for (i = 0; i < t->n; i++) {
		const struct slot *s = &t->slot[i];

		if (n == max && (n == 0 || !item_before(s, &out[n - 1])))
			continue;
		j = n < max ? n++ : n - 1;
		while (j > 0 && item_before(s, &out[j - 1])) {
			out[j] = out[j - 1];
			j--;
		}
		out[j].addr = s->addr;
		out[j].count = s->count;
		out[j].error = s->error;
	}
	return n;
}

uint64_t
topk_total(const struct topk *t)
{
	return t->total;
}

uint64_t
topk_min(const struct topk *t)
{
	if (t->n < t->k)
		return 0;
	return t->hcount[0];
}

void
topk_reset(struct topk *t)
{
	t->n = 0;
	t->total = 0;
	memset(t->idx, 0, ((size_t)t->mask + 1) * sizeof(*t->idx));
}
