/*
 * ring.c -- allocation of the SPSC packet ring (see ring.h).
 */
#include "capture/ring.h"

#include <stdlib.h>

#include "base/util.h"

void
ring_init(struct ring *r, size_t capacity)
{
	if (capacity == 0 || (capacity & (capacity - 1)) != 0)
		fatal("ring_init: capacity %zu is not a power of two", capacity);
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->closed, 0);
	r->slots = xcalloc(capacity, sizeof(struct pkt));
	r->mask = capacity - 1;
}

void
ring_destroy(struct ring *r)
{
	free(r->slots);
	r->slots = NULL;
}
