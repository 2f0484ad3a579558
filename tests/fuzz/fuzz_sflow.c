/*
 * fuzz_sflow.c -- libFuzzer target for the sFlow v5 parser: any bytes,
 * never a read out of bounds, and what comes out is consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow/sflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_pkt(void *ctx, const struct flow_origin *o, const struct pkt *p)
{
	(void)ctx;
	if (p->weight != o->rate || o->rate == 0)
		abort();
}

static void
on_ifc(void *ctx, const struct flow_origin *o, const struct flow_ifcounters *c)
{
	(void)ctx;
	if (o->in_if != c->ifindex)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct flow_sink sink = { on_pkt, on_ifc, NULL };
	struct flow_result res;
	struct addr peer;
	uint8_t *copy = malloc(size > 0 ? size : 1);

	/* an exact-size copy, so a read one past the end is caught */
	memcpy(copy, data, size);
	memset(&peer, 0, sizeof(peer));
	peer.family = 4;
	if (sflow_parse(copy, size, &peer, 6343, 0, &sink, &res) == 0 &&
	    res.malformed)
		abort();
	free(copy);
	return 0;
}
