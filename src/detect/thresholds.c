/*
 * thresholds.c -- the rules over a detector's settings (thresholds.h).
 */
#include "detect/thresholds.h"

#include <string.h>

void
detect_thresholds_for(const struct detect_settings *s, const struct addr *a,
    struct thresholds *out)
{
	size_t i, j, k;

	*out = s->thr;
	for (i = 0; i < s->ngroups; i++) {
		const struct prefix_group *g = &s->groups[i];

		for (j = 0; j < g->nprefixes; j++) {
			if (!prefix_contains(&g->prefixes[j], a))
				continue;
			for (k = 0; k < THR_COUNT; k++)
				if (g->thr.set[k] && !s->thr.cli[k])
					out->v[k] = g->thr.v[k];
			return;
		}
	}
}

int
detect_is_home(const struct detect_settings *s, const struct addr *a)
{
	return prefix_list_contains(s->home, s->nhome, a);
}

const struct neighbourdef *
detect_neighbour(const struct detect_settings *s, const uint8_t mac[6])
{
	size_t i;

	for (i = 0; i < s->nneighbours; i++)
		if (memcmp(s->neighbours[i].mac, mac, 6) == 0)
			return &s->neighbours[i];
	return NULL;
}

const struct neighbourdef *
detect_peer(const struct detect_settings *s, const char *link)
{
	size_t i;

	for (i = 0; i < s->npeers; i++)
		if (strcmp(s->peers[i].link, link) == 0)
			return &s->peers[i];
	return NULL;
}
