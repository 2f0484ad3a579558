/*
 * ring.h -- single-producer single-consumer ring of struct pkt between a
 * reader thread and the analysis thread.
 *
 * Lock-free: the producer owns `head`, the consumer owns `tail`; each
 * publishes its index with a release store and reads the other's with an
 * acquire load. Indices only grow (64-bit, never wrap in practice); the slot
 * is index & mask. Producers write a batch and publish once, so the cache
 * line holding `head` moves between cores once per batch, not per packet.
 */
#ifndef KYOCHO_RING_H
#define KYOCHO_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/decode.h"

struct ring {
	_Alignas(64) _Atomic uint64_t head;	/* next slot the producer fills */
	_Alignas(64) _Atomic uint64_t tail;	/* next slot the consumer reads */
	_Alignas(64) _Atomic int closed;	/* producer is done */
	struct pkt *slots;
	uint64_t mask;				/* capacity - 1 */
};

/* Capacity must be a power of two. The slots are the ring's own. */
void ring_init(struct ring *r, size_t capacity);
void ring_destroy(struct ring *r);

/* Producer: free slots right now. */
static inline size_t
ring_space(struct ring *r)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	return (size_t)(r->mask + 1 - (head - tail));
}

/* Producer: the slot for the n-th packet after head (n < ring_space()). */
static inline struct pkt *
ring_slot(struct ring *r, size_t n)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	return &r->slots[(head + n) & r->mask];
}

/* Producer: make n filled slots visible. */
static inline void
ring_publish(struct ring *r, size_t n)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	atomic_store_explicit(&r->head, head + n, memory_order_release);
}

/* Consumer: packets ready. */
static inline size_t
ring_count(struct ring *r)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

	return (size_t)(head - tail);
}

/* Consumer: the n-th ready packet (n < ring_count()). */
static inline const struct pkt *
ring_peek(struct ring *r, size_t n)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

	return &r->slots[(tail + n) & r->mask];
}

/* Consumer: release n packets. */
static inline void
ring_consume(struct ring *r, size_t n)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
}

static inline void
ring_close(struct ring *r)
{
	atomic_store_explicit(&r->closed, 1, memory_order_release);
}

static inline int
ring_closed(struct ring *r)
{
	return atomic_load_explicit(&r->closed, memory_order_acquire);
}

#endif
