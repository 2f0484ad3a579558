/*
 * capture.c -- libpcap sources: files and live interfaces, decoded in
 * batches through pcap_dispatch() (one callback per frame, no copy of the
 * frame: decode_frame() reads it in place).
 */
#include "capture/capture.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct source {
	pcap_t *pcap;
	char *name;
	int live;
	int linktype;
	int eof;
	int fd;			/* a live source's selectable descriptor */
	char *filebuf;		/* stdio buffer of a file source (owned) */
};

#define FILE_BUFSIZE	(256 * 1024)
#define LIVE_POLL_MS	100	/* longest wait in one source_read() */

struct batch {
	struct pkt *out;
	int n;
	uint16_t link;
	int linktype;
	int nano;
};

static int
set_filter(struct source *s, const char *filter, char *errbuf)
{
	struct bpf_program prog;

	if (filter == NULL || *filter == '\0')
		return 0;
	if (pcap_compile(s->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
		return err_set(errbuf, "filter '%s': %s", filter,
		    pcap_geterr(s->pcap));
	if (pcap_setfilter(s->pcap, &prog) != 0) {
		pcap_freecode(&prog);
		return err_set(errbuf, "%s: cannot set filter: %s", s->name,
		    pcap_geterr(s->pcap));
	}
	pcap_freecode(&prog);
	return 0;
}

static struct source *
finish_open(struct source *s, const char *filter, char *errbuf)
{
	s->linktype = pcap_datalink(s->pcap);
	if (!decode_link_supported(s->linktype)) {
		err_set(errbuf, "%s: link type %d (%s) is not supported", s->name,
		    s->linktype, pcap_datalink_val_to_name(s->linktype) != NULL ?
		    pcap_datalink_val_to_name(s->linktype) : "unknown");
		source_close(s);
		return NULL;
	}
	if (set_filter(s, filter, errbuf) != 0) {
		source_close(s);
		return NULL;
	}
	return s;
}

struct source *
source_open_file(const char *path, const char *filter, char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct source *s;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* Only the reader thread touches this FILE: no stdio lock per
	 * fread (libpcap does two per frame, and once the process has
	 * threads each lock is an atomic instruction), and a larger buffer
	 * for fewer read() calls. */
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	s = xcalloc(1, sizeof(*s));
	s->filebuf = xmalloc(FILE_BUFSIZE);
	setvbuf(f, s->filebuf, _IOFBF, FILE_BUFSIZE);
	s->name = xstrdup(path);
	/* Microsecond timestamps whatever the file holds. */
	s->pcap = pcap_fopen_offline_with_tstamp_precision(f,
	    PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (s->pcap == NULL) {
		fclose(f);
		err_set(errbuf, "%s: %s", path, perr);
		free(s->filebuf);
		free(s->name);
		free(s);
		return NULL;
	}
	return finish_open(s, filter, errbuf);
}

struct source *
source_open_live(const char *iface, const char *filter, char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct source *s = xcalloc(1, sizeof(*s));
	int rc;

	s->name = xstrdup(iface);
	s->live = 1;
	if ((s->pcap = pcap_create(iface, perr)) == NULL) {
		err_set(errbuf, "%s: %s", iface, perr);
		goto fail;
	}
	pcap_set_snaplen(s->pcap, CAPTURE_SNAPLEN);
	pcap_set_promisc(s->pcap, 1);
	pcap_set_timeout(s->pcap, 100);
	pcap_set_buffer_size(s->pcap, 32 << 20);
	pcap_set_tstamp_precision(s->pcap, PCAP_TSTAMP_PRECISION_MICRO);
	rc = pcap_activate(s->pcap);
	if (rc < 0) {
		err_set(errbuf, "%s: %s", iface, rc == PCAP_ERROR ?
		    pcap_geterr(s->pcap) : pcap_statustostr(rc));
		goto fail;
	}
	/* libpcap 1.10's TPACKET_V3 reader polls with no timeout until a
	 * block is retired, and the kernel retires none while no packet
	 * comes: on a silent link pcap_dispatch() would never return, so
	 * no stop or end of a report could be seen. Non-blocking reads and
	 * a poll of our own with LIVE_POLL_MS instead. */
	if (pcap_setnonblock(s->pcap, 1, perr) != 0 ||
	    (s->fd = pcap_get_selectable_fd(s->pcap)) < 0) {
		err_set(errbuf, "%s: cannot read without blocking: %s", iface,
		    perr);
		goto fail;
	}
	return finish_open(s, filter, errbuf);
fail:
	source_close(s);
	return NULL;
}

void
source_close(struct source *s)
{
	if (s == NULL)
		return;
	if (s->pcap != NULL)
		pcap_close(s->pcap);	/* closes a file source's FILE */
	free(s->filebuf);
	free(s->name);
	free(s);
}

static void
on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct batch *b = (struct batch *)user;
	struct pkt *p = &b->out[b->n++];

	decode_frame(b->linktype, bytes, h->caplen, h->len, p);
	p->ts_us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
	p->link = b->link;
}

int
source_read(struct source *s, struct pkt *out, int max, uint16_t link,
    char *errbuf)
{
	struct batch b;
	int rc;

	if (s->eof)
		return -2;
	b.out = out;
	b.n = 0;
	b.link = link;
	b.linktype = s->linktype;
	b.nano = 0;
	rc = pcap_dispatch(s->pcap, max, on_frame, (u_char *)&b);
	if (rc == PCAP_ERROR)
		return err_set(errbuf, "%s: %s", s->name, pcap_geterr(s->pcap));
	if (rc == PCAP_ERROR_BREAK)
		return b.n;
	if (rc == 0 && !s->live) {
		s->eof = 1;
		return b.n > 0 ? b.n : -2;
	}
	if (rc == 0 && s->live) {
		struct pollfd pfd = { s->fd, POLLIN, 0 };

		/* nothing ready: wait for the next block, at most a while */
		if (poll(&pfd, 1, LIVE_POLL_MS) < 0 && errno != EINTR)
			return err_set(errbuf, "%s: poll: %s", s->name,
			    strerror(errno));
	}
	return b.n;
}

static void
discard(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)user;
	(void)h;
	(void)bytes;
}

int
source_join_fanout(struct source *s, int *group, char *errbuf)
{
	int fd = pcap_fileno(s->pcap), val;
	socklen_t len = sizeof(val);

	if (!s->live || fd < 0)
		return err_set(errbuf, "%s: not a live interface", s->name);
	/* PACKET_FANOUT_HASH: by the flow hash of addresses and ports, so a
	 * flow stays with one reader; no DEFRAG flag, which would make the
	 * kernel reassemble fragments that kyocho must see as they came. */
	if (*group < 0) {
		val = (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
		if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &val,
		    sizeof(val)) != 0 ||
		    getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &val, &len) != 0)
			return err_set(errbuf, "%s: PACKET_FANOUT: %s", s->name,
			    strerror(errno));
		*group = val & 0xffff;
		return 0;
	}
	val = (*group & 0xffff) | PACKET_FANOUT_HASH << 16;
	if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &val, sizeof(val)) != 0)
		return err_set(errbuf, "%s: PACKET_FANOUT group %d: %s", s->name,
		    *group, strerror(errno));
	/* Until now this socket had a copy of every frame the group's first
	 * one had: drop them (the race is the microseconds since joining). */
	while (pcap_dispatch(s->pcap, -1, discard, NULL) > 0)
		;
	return 0;
}

int
source_stats(struct source *s, uint64_t *received, uint64_t *dropped,
    uint64_t *ifdropped)
{
	struct pcap_stat st;

	if (!s->live || pcap_stats(s->pcap, &st) != 0)
		return -1;
	*received = st.ps_recv;
	*dropped = st.ps_drop;
	*ifdropped = st.ps_ifdrop;
	return 0;
}

const char *source_name(const struct source *s) { return s->name; }
int source_is_live(const struct source *s) { return s->live; }
int source_linktype(const struct source *s) { return s->linktype; }

void
source_breakloop(struct source *s)
{
	pcap_breakloop(s->pcap);
}
