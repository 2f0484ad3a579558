/*
 * pcapw.h -- a tiny writer of classic pcap files and of frames, for the
 * test and benchmark generators in tools/. Not part of kyocho itself.
 */
#ifndef KYOCHO_PCAPW_H
#define KYOCHO_PCAPW_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

struct pcapw {
	FILE *f;
	uint8_t *buf;
	size_t len, cap;
};

static inline int
pcapw_open(struct pcapw *w, const char *path, uint32_t linktype)
{
	uint32_t gh[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, linktype };

	memset(w, 0, sizeof(*w));
	if ((w->f = fopen(path, "wb")) == NULL)
		return -1;
	setvbuf(w->f, NULL, _IOFBF, 1 << 20);
	return fwrite(gh, 1, sizeof(gh), w->f) == sizeof(gh) ? 0 : -1;
}

/* Write one frame: caplen bytes of data, wirelen on the wire. */
static inline void
pcapw_frame(struct pcapw *w, int64_t ts_us, const uint8_t *data,
    uint32_t caplen, uint32_t wirelen)
{
	uint32_t h[4];

	h[0] = (uint32_t)(ts_us / 1000000);
	h[1] = (uint32_t)(ts_us % 1000000);
	h[2] = caplen;
	h[3] = wirelen;
	fwrite(h, 1, sizeof(h), w->f);
	fwrite(data, 1, caplen, w->f);
}

static inline int
pcapw_close(struct pcapw *w)
{
	return fclose(w->f) == 0 ? 0 : -1;
}

/* xorshift64*: deterministic pseudo-random numbers. */
static inline uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

#endif
