/*
 * flowbench.c -- records per second per core of the flow collector against
 * a bare recvmmsg() loop, measured in the same run on the same traffic.
 *
 * usage: flowbench [DATAGRAMS]   (default 200000 per mode)
 * A sender thread blasts pre-built NetFlow v5 and IPFIX datagrams (30
 * records each, 50 source sockets) at a loopback port; the receiver thread
 * either (bare) reads them with recvmmsg() and counts, (collector) runs
 * flowc_poll() with a callback that counts records, or (pipeline) hands
 * every record on to the statistics and detection (analysis_add), as
 * `kyocho summary --netflow` does. Each receiver's own CPU
 * time (CLOCK_THREAD_CPUTIME_ID: user + kernel) divides what it received,
 * so a rate is per core, independent of how fast the sender went. Prints
 * both rates and their ratio.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "engine/analysis.h"
#include "settings/config.h"
#include "flow/collector.h"
#include "base/util.h"

#include "tool.h"

#define NSRC	50
#define RECS	30

struct run {
	uint16_t port;
	long count;
	volatile int done;
	long sent;
};

static double
thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
sender(void *arg)
{
	struct run *r = arg;
	struct sockaddr_in to, src;
	uint8_t dg[NSRC][2048];
	size_t len[NSRC];
	int fds[NSRC], i;
	long n;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(r->port);
	to.sin_addr.s_addr = htonl(0x7f000001);
	for (i = 0; i < NSRC; i++) {
		fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
		memset(&src, 0, sizeof(src));
		src.sin_family = AF_INET;
		src.sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)i);
		if (fds[i] == -1 || bind(fds[i], (struct sockaddr *)&src,
		    sizeof(src)) == -1)
			fatal("flowbench: socket: %s", strerror(errno));
		len[i] = flowgen_v5(dg[i], RECS, 0, 1795651200,
		    (uint32_t)(i * 7));
	}
	for (n = 0; n < r->count; n++) {
		i = (int)(n % NSRC);
		if (sendto(fds[i], dg[i], len[i], 0, (struct sockaddr *)&to,
		    sizeof(to)) != (ssize_t)len[i])
			n--;	/* buffer full: try again */
		/* keep the receiver's queue from overflowing: pace in bursts */
		if (n % 4096 == 4095) {
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
		}
	}
	r->sent = n;
	for (i = 0; i < NSRC; i++)
		close(fds[i]);
	r->done = 1;
	return NULL;
}

static uint64_t counted;

static void
count_rec(void *ctx, const struct flow_origin *o, const struct pkt *p)
{
	(void)o;
	counted += p->weight != 0;
	if (ctx != NULL)
		analysis_add(ctx, p);
}

/* mode 0 bare, 1 collector, 2 collector + analysis. Returns records per
 * CPU second. */
static double
measure(int mode, long count, uint64_t *recs_out, double *cpu_out)
{
	static struct options o;
	struct analysis *an = NULL;
	char err[ERRBUF_SIZE];
	struct flow_collector *c;
	struct run r;
	pthread_t th;
	struct pollfd pfd;
	double cpu0, cpu = 0;
	uint64_t recs = 0;
	int idle = 0;
	static uint8_t bufs[64][2048];
	struct mmsghdr msgs[64];
	struct iovec iov[64];
	int i, n;

	c = flowc_new(FLOW_NETFLOW, "127.0.0.1:0", err);
	if (c == NULL)
		fatal("flowbench: %s", err);
	if (mode == 2) {
		config_defaults(&o);
		if ((an = analysis_new(&o, err)) == NULL)
			fatal("flowbench: %s", err);
	}
	memset(&r, 0, sizeof(r));
	r.port = flowc_port(c);
	r.count = count;
	counted = 0;
	for (i = 0; i < 64; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
	}
	pthread_create(&th, NULL, sender, &r);
	pfd.fd = flowc_fd(c);
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, 100) == 0) {
			if (r.done && ++idle >= 3)
				break;
			continue;
		}
		cpu0 = thread_cpu();
		if (mode == 0) {
			for (;;) {
				for (i = 0; i < 64; i++) {
					memset(&msgs[i].msg_hdr, 0,
					    sizeof(msgs[i].msg_hdr));
					msgs[i].msg_hdr.msg_iov = &iov[i];
					msgs[i].msg_hdr.msg_iovlen = 1;
				}
				n = recvmmsg(pfd.fd, msgs, 64, MSG_DONTWAIT,
				    NULL);
				if (n <= 0)
					break;
				/* a bare loop still looks at each datagram */
				for (i = 0; i < n; i++)
					recs += bufs[i][3];
			}
		} else {
			while (flowc_poll(c, count_rec, an) > 0)
				;
			recs = counted;
		}
		cpu += thread_cpu() - cpu0;
	}
	pthread_join(th, NULL);
	flowc_free(c);
	if (an != NULL)
		analysis_free(an);
	*recs_out = recs;
	*cpu_out = cpu;
	return cpu > 0 ? (double)recs / cpu : 0;
}

int
main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 200000;
	uint64_t rb, rc, ra;
	double cb, cc, ca, bare, coll, pipe;

	if (count < 1000 || count > 100000000) {
		fprintf(stderr, "usage: flowbench [DATAGRAMS >= 1000]\n");
		return 2;
	}
	bare = measure(0, count, &rb, &cb);
	coll = measure(1, count, &rc, &cc);
	pipe = measure(2, count, &ra, &ca);
	printf("flow bare recvmmsg: %llu records in %.3f cpu-s = %.0f records/s/core\n",
	    (unsigned long long)rb, cb, bare);
	printf("flow collector:     %llu records in %.3f cpu-s = %.0f records/s/core\n",
	    (unsigned long long)rc, cc, coll);
	printf("flow collector+analysis: %llu records in %.3f cpu-s = %.0f records/s/core\n",
	    (unsigned long long)ra, ca, pipe);
	printf("flow collector/bare ratio: %.3f\n", bare > 0 ? coll / bare : 0);
	printf("flow collector+analysis/bare ratio: %.3f\n",
	    bare > 0 ? pipe / bare : 0);
	return 0;
}
