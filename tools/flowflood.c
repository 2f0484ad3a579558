/*
 * flowflood.c -- load generator for the flow collectors: many exporters on
 * loopback sending valid NetFlow v5 and IPFIX datagrams at a fixed combined
 * record rate, for a bounded time, then it stops by itself.
 *
 * usage: flowflood PORT [EXPORTERS [RECORDS_PER_S [SECONDS [HOST [JUNK_PER_S]]]]]
 *   defaults 50 exporters, 100000 records/s, 5 s, host 127.0.0.1, no junk.
 * JUNK_PER_S > 0 adds one hostile exporter (127.0.0.254) sending that many
 * malformed datagrams a second besides the others' valid ones.
 * Exporter i sends from 127.0.0.(i+2) (or from ::1 with distinct ports when
 * HOST is IPv6); even exporters speak NetFlow v5 (30 records a datagram),
 * odd ones IPFIX (a template first and every 200 datagrams, 30 records a
 * data set). Only loopback destinations are accepted. Prints one line:
 *   sent exporters N datagrams D records R seconds S junk J
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define RECS	30
#define MAXEXP	250

/* IPFIX: template 256 = src4 dst4 sport dport proto pkts(4) octets(4)
 * flowEndSeconds(4) = 25 bytes a record. */
static size_t
ipfix(uint8_t *b, uint32_t seq, uint32_t now, uint32_t salt, int tmpl,
    uint32_t domain)
{
	static const uint16_t f[][2] = { { 8, 4 }, { 12, 4 }, { 7, 2 },
	    { 11, 2 }, { 4, 1 }, { 2, 4 }, { 1, 4 }, { 151, 4 } };
	size_t at = 16, set;
	size_t i;

	p16(b, 0, 10);
	p32(b, 4, now);
	p32(b, 8, seq);
	p32(b, 12, domain);
	if (tmpl) {
		set = at;
		at = p16(b, at, 2);
		at += 2;
		at = p16(b, at, 256);
		at = p16(b, at, 8);
		for (i = 0; i < 8; i++) {
			at = p16(b, at, f[i][0]);
			at = p16(b, at, f[i][1]);
		}
		p16(b, set + 2, (uint16_t)(at - set));
	}
	set = at;
	at = p16(b, at, 256);
	at += 2;
	for (i = 0; i < RECS; i++) {
		at = p32(b, at, 0xc6336400 | ((salt + (uint32_t)i) & 0xff));
		at = p32(b, at, 0xcb007100 | (uint32_t)(i % 20));
		at = p16(b, at, (uint16_t)(2048 + i));
		at = p16(b, at, 53);
		b[at++] = 17;
		at = p32(b, at, 2);
		at = p32(b, at, 400);
		at = p32(b, at, now);
	}
	p16(b, set + 2, (uint16_t)(at - set));
	p16(b, 2, (uint16_t)at);
	return at;
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage to;
	socklen_t tolen;
	int fds[MAXEXP], nexp = 50, port, v6, junkfd = -1;
	long rate = 100000, secs = 5, junk = 0;
	uint64_t junk_sent = 0;
	const char *host = "127.0.0.1";
	uint32_t seq[MAXEXP];
	uint64_t dgrams = 0, recs = 0, due;
	uint8_t buf[2048];
	double t0, t;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: flowflood PORT [EXPORTERS [RECORDS_PER_S "
		    "[SECONDS [HOST]]]]\n");
		return 2;
	}
	port = atoi(argv[1]);
	if (argc > 2)
		nexp = atoi(argv[2]);
	if (argc > 3)
		rate = atol(argv[3]);
	if (argc > 4)
		secs = atol(argv[4]);
	if (argc > 5)
		host = argv[5];
	if (argc > 6)
		junk = atol(argv[6]);
	if (nexp < 1 || nexp > MAXEXP || rate < RECS || secs < 1 ||
	    junk < 0 || junk > 1000000 ||
	    secs > 600 || port < 1 || port > 65535) {
		fprintf(stderr, "flowflood: bad arguments (1-%d exporters, "
		    "1-600 s)\n", MAXEXP);
		return 2;
	}
	memset(&to, 0, sizeof(to));
	v6 = strchr(host, ':') != NULL;
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&to;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1 ||
		    !IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
			goto notloop;
		tolen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&to;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1 ||
		    (ntohl(s4->sin_addr.s_addr) >> 24) != 127)
			goto notloop;
		tolen = sizeof(*s4);
	}
	for (i = 0; i < nexp; i++) {
		fds[i] = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
		if (fds[i] == -1) {
			perror("flowflood: socket");
			return 1;
		}
		if (!v6) {	/* a distinct loopback source per exporter */
			struct sockaddr_in src;

			memset(&src, 0, sizeof(src));
			src.sin_family = AF_INET;
			src.sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)i);
			if (bind(fds[i], (struct sockaddr *)&src,
			    sizeof(src)) == -1) {
				perror("flowflood: bind");
				return 1;
			}
		}
		seq[i] = 0;
	}
	if (junk > 0 && !v6) {
		struct sockaddr_in src;

		junkfd = socket(AF_INET, SOCK_DGRAM, 0);
		memset(&src, 0, sizeof(src));
		src.sin_family = AF_INET;
		src.sin_addr.s_addr = htonl(0x7f0000feu);
		if (junkfd == -1 || bind(junkfd, (struct sockaddr *)&src,
		    sizeof(src)) == -1) {
			perror("flowflood: junk socket");
			return 1;
		}
	}
	t0 = now_s();
	i = 0;
	for (;;) {
		t = now_s() - t0;
		if (t >= (double)secs)
			break;
		due = (uint64_t)(t * (double)junk);
		while (junkfd != -1 && junk_sent < due) {
			/* IPFIX header claiming more than it holds, then a
			 * v9 header with a set running past the end */
			uint8_t j[64];

			memset(j, 0xa5, sizeof(j));
			p16(j, 0, junk_sent % 2 ? 10 : 9);
			p16(j, 2, 9000);
			(void)sendto(junkfd, j, sizeof(j), 0,
			    (struct sockaddr *)&to, tolen);
			junk_sent++;
		}
		due = (uint64_t)(t * (double)rate);
		if (recs >= due) {
			struct timespec ts = { 0, 200000 };

			nanosleep(&ts, NULL);
			continue;
		}
		while (recs < due) {
			size_t n;

			/* sequence numbers count flow records in both */
			if (i % 2 == 0)
				n = flowgen_v5(buf, RECS, seq[i] * RECS,
				    (uint32_t)time(NULL), (uint32_t)i);
			else
				n = ipfix(buf, seq[i] * RECS, (uint32_t)time(NULL),
				    (uint32_t)i, seq[i] % 200 == 0,
				    (uint32_t)i);
			if (sendto(fds[i], buf, n, 0, (struct sockaddr *)&to,
			    tolen) == (ssize_t)n) {
				dgrams++;
				recs += RECS;
				seq[i]++;
			}
			i = (i + 1) % nexp;
		}
	}
	printf("sent exporters %d datagrams %llu records %llu seconds %.2f "
	    "junk %llu\n", nexp, (unsigned long long)dgrams,
	    (unsigned long long)recs, now_s() - t0,
	    (unsigned long long)junk_sent);
	if (junkfd != -1)
		close(junkfd);
	for (i = 0; i < nexp; i++)
		close(fds[i]);
	return 0;
notloop:
	fprintf(stderr, "flowflood: %s is not a loopback address\n", host);
	return 2;
}
