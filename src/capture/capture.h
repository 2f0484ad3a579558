/*
 * capture.h -- packet sources on libpcap: a capture file (pcap or pcapng)
 * or a live interface, each decoded frame by frame into struct pkt.
 *
 * A source is used by one thread at a time (its reader thread). Live handles
 * capture only the first CAPTURE_SNAPLEN bytes of each frame: kyocho needs
 * headers, never content (the guideline's minimisation: what is not
 * captured cannot be read, used or disclosed).
 */
#ifndef KYOCHO_CAPTURE_H
#define KYOCHO_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "capture/decode.h"

#define CAPTURE_SNAPLEN	256

struct source;

/*
 * Open a capture file, with an optional BPF filter (NULL for none).
 * Returns NULL with errbuf "FILE: what is wrong". Caller frees with
 * source_close().
 */
struct source *source_open_file(const char *path, const char *filter,
    char *errbuf);
/* Open a live interface (needs CAP_NET_RAW or root). */
struct source *source_open_live(const char *iface, const char *filter,
    char *errbuf);
void source_close(struct source *s);

/*
 * Read and decode up to max frames into out[] (link index `link` and the
 * timestamp are filled in). Returns the number read; 0 at the end of a file
 * or when a live read timed out with nothing; -1 on error with errbuf
 * "NAME: what"; -2 when the file is finished (no more calls needed).
 */
int source_read(struct source *s, struct pkt *out, int max, uint16_t link,
    char *errbuf);

/*
 * Join a live source to a PACKET_FANOUT group of its interface, so that
 * the sockets of the group share its packets by flow hash (the same
 * addresses and ports always reach the same socket). *group < 0: make a
 * new group (the kernel picks an id no other process uses) and set *group
 * to it; otherwise join group *group and discard what this socket queued
 * before it joined (frames every socket of the group also has). libpcap
 * 1.10 has no call for it, so it is set on pcap_fileno() after activation.
 * Returns 0, or -1 with errbuf.
 */
int source_join_fanout(struct source *s, int *group, char *errbuf);

/* Kernel counters of a live source (pcap_stats); 0 on success, -1 for
 * files. */
int source_stats(struct source *s, uint64_t *received, uint64_t *dropped,
    uint64_t *ifdropped);
/* Name of the file or interface. */
const char *source_name(const struct source *s);
int source_is_live(const struct source *s);
int source_linktype(const struct source *s);
/* Ask a blocked live read to return (from another thread). */
void source_breakloop(struct source *s);

#endif
