/*
 * pcaplive.c -- the floor for `make bench-live`: a bare libpcap live loop
 * on an interface, opened as kyocho opens one (capture.c: snaplen 256,
 * promiscuous, 32 MiB buffer, 100 ms timeout, non-blocking reads and a
 * poll of its own) with a callback that only counts. It stops after
 * SECONDS, or IDLE seconds after its last packet, and prints
 *   received N kernel_drops D interface_drops F counted C seconds S
 * (received/drops from pcap_stats, counted = frames the callback saw).
 * Prints "capturing on IFACE" on stderr once the handle is open.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void
count(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)h;
	(void)bytes;
	(*(unsigned long *)user)++;
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	unsigned long n = 0, before;
	double limit, idle, start, last = 0, now;
	struct pcap_stat st;
	struct pollfd pfd;
	pcap_t *p;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: pcaplive IFACE SECONDS IDLE\n");
		return 2;
	}
	limit = atof(argv[2]);
	idle = atof(argv[3]);
	if ((p = pcap_create(argv[1], err)) == NULL) {
		fprintf(stderr, "pcaplive: %s\n", err);
		return 1;
	}
	pcap_set_snaplen(p, 256);
	pcap_set_promisc(p, 1);
	pcap_set_timeout(p, 100);
	pcap_set_buffer_size(p, 32 << 20);
	if ((rc = pcap_activate(p)) < 0 || pcap_setnonblock(p, 1, err) != 0) {
		fprintf(stderr, "pcaplive: %s: %s\n", argv[1], rc < 0 ?
		    pcap_geterr(p) : err);
		return 1;
	}
	pfd.fd = pcap_get_selectable_fd(p);
	pfd.events = POLLIN;
	fprintf(stderr, "capturing on %s\n", argv[1]);
	start = mono();
	for (;;) {
		before = n;
		if (pcap_dispatch(p, 256, count, (u_char *)&n) < 0) {
			fprintf(stderr, "pcaplive: %s\n", pcap_geterr(p));
			return 1;
		}
		now = mono();
		if (n != before)
			last = now;
		else if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			return 1;
		if (limit > 0 && now - start >= limit)
			break;
		if (idle > 0 && last > 0 && now - last >= idle)
			break;
	}
	if (pcap_stats(p, &st) != 0) {
		fprintf(stderr, "pcaplive: %s\n", pcap_geterr(p));
		return 1;
	}
	printf("received %u kernel_drops %u interface_drops %u counted %lu "
	    "seconds %.3f\n", st.ps_recv, st.ps_drop, st.ps_ifdrop, n,
	    mono() - start);
	pcap_close(p);
	return 0;
}
