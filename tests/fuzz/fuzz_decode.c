/*
 * fuzz_decode.c -- libFuzzer target for decode_frame(): the first byte
 * picks the link type, the rest is the frame. Built with `make fuzz
 * FUZZ=decode`; its corpus replays in `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = {
		LINK_ETHERNET, LINK_SLL, LINK_SLL2, LINK_NULL, LINK_LOOP,
		LINK_RAW, LINK_IPV4, LINK_IPV6, LINK_PPP, LINK_C_HDLC,
		LINK_JUNIPER_ETHER, LINK_NFLOG,
	};
	const size_t nlinks = sizeof(links) / sizeof(links[0]);
	struct pkt p;
	uint8_t *copy;

	if (size < 1)
		return 0;
	/* An exact-size copy so a sanitizer sees any read past the end. */
	copy = malloc(size - 1 > 0 ? size - 1 : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	decode_frame(links[data[0] % nlinks], copy, size - 1,
	    size - 1 + data[0] / nlinks, &p);
	free(copy);
	return 0;
}
