/*
 * dns_cache.c -- answers kept for their TTL: a chained hash keyed by
 * "TYPE QNAME" with an LRU list, bounded to CACHE_MAX entries.
 */
#include "enrich/dns_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* ---- the cache --------------------------------------------------------- */

static uint64_t
keyhash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
lru_unlink(struct dns *d, struct centry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		d->lru_head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		d->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_front(struct dns *d, struct centry *e)
{
	e->prev = NULL;
	e->next = d->lru_head;
	if (d->lru_head != NULL)
		d->lru_head->prev = e;
	d->lru_head = e;
	if (d->lru_tail == NULL)
		d->lru_tail = e;
}

static void
cache_remove(struct dns *d, struct centry *e)
{
	struct centry **pp = &d->buckets[e->hash % CACHE_BUCKETS];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(d, e);
	free(e);
	d->ncached--;
}

struct centry *
dns_cache_get(struct dns *d, const char *key)
{
	uint64_t h = keyhash(key);
	struct centry *e;

	for (e = d->buckets[h % CACHE_BUCKETS]; e != NULL; e = e->hnext) {
		if (e->hash != h || strcmp(e->key, key) != 0)
			continue;
		if (e->expires <= mono_ms()) {
			cache_remove(d, e);
			return NULL;
		}
		lru_unlink(d, e);
		lru_front(d, e);
		return e;
	}
	return NULL;
}

void
dns_cache_put(struct dns *d, const char *key, const struct dns_result *res,
    uint32_t ttl)
{
	struct centry *e;

	if (ttl == 0)
		return;
	if ((e = dns_cache_get(d, key)) != NULL)
		cache_remove(d, e);
	if (d->ncached == CACHE_MAX)
		cache_remove(d, d->lru_tail);
	e = xcalloc(1, sizeof(*e));
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->hash = keyhash(key);
	e->res = *res;
	e->expires = mono_ms() + (int64_t)ttl * 1000;
	e->hnext = d->buckets[e->hash % CACHE_BUCKETS];
	d->buckets[e->hash % CACHE_BUCKETS] = e;
	lru_front(d, e);
	d->ncached++;
}
