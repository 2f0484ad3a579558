/*
 * pcapbare.c -- the floor for `make bench`: a bare libpcap read loop that
 * does nothing per packet (pcap_dispatch with an empty callback), so the
 * benchmark can say how close kyocho's analysis comes to the cost of just
 * reading the file. Prints "packets SECONDS".
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

static void
nothing(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)h;
	(void)bytes;
	(*(unsigned long *)user)++;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct timespec a, b;
	unsigned long n = 0;
	pcap_t *p;

	if (argc != 2) {
		fprintf(stderr, "usage: pcapbare FILE\n");
		return 2;
	}
	if ((p = pcap_open_offline(argv[1], err)) == NULL) {
		fprintf(stderr, "pcapbare: %s\n", err);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (pcap_loop(p, -1, nothing, (u_char *)&n) == PCAP_ERROR) {
		fprintf(stderr, "pcapbare: %s\n", pcap_geterr(p));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%lu %.6f\n", n, (double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	pcap_close(p);
	return 0;
}
