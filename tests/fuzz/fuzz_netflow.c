/*
 * fuzz_netflow.c -- libFuzzer target for the NetFlow v5/v9 and IPFIX
 * parser. The input is parsed once as one datagram and then, into the
 * same template cache, as a sequence of datagrams each prefixed by a
 * 16-bit big-endian length, so templates learnt from one datagram describe
 * the records of the next.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow/netflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_pkt(void *ctx, const struct flow_origin *o, const struct pkt *p)
{
	(void)ctx;
	if (o->rate == 0 || p->weight == 0 ||
	    (p->family != 4 && p->family != 6))
		abort();
}

static void
feed(struct netflow *nf, const uint8_t *p, size_t n)
{
	struct flow_sink sink = { on_pkt, NULL, NULL };
	struct flow_result res;
	struct addr peer;
	uint8_t *copy = malloc(n > 0 ? n : 1);

	memcpy(copy, p, n);
	memset(&peer, 0, sizeof(peer));
	peer.family = 4;
	(void)netflow_parse(nf, copy, n, &peer, 2055, 0, &sink, &res);
	if (netflow_ntemplates(nf) > NF_MAX_TEMPLATES)
		abort();
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netflow *nf = netflow_new();
	size_t off = 0, n;

	feed(nf, data, size);
	netflow_free(nf);
	nf = netflow_new();
	while (size - off >= 2) {
		n = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (n > size - off)
			n = size - off;
		feed(nf, data + off, n);
		off += n;
	}
	netflow_free(nf);
	return 0;
}
