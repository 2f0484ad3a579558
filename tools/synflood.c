/*
 * synflood.c -- the sender of `make bench-live` and tests/e2e/summary_live.sh:
 * a TCP SYN flood from random IPv4 sources at one target, written straight
 * to an interface through AF_PACKET (PACKET_QDISC_BYPASS, sendmmsg in
 * batches), one thread per core, at a fixed rate or as fast as it can.
 * Only for a veth pair inside network namespaces the caller made: it
 * refuses an interface that is not a veth end, and the initial network
 * namespace when it can tell (where it could reach a real network), unless
 * --any-netns is given.
 *
 * usage: synflood -i IFACE -d ADDR [--dst-mac MAC] [--pps N] [--count N]
 *                 [--duration S] [--threads N] [--seed N] [--port N]
 *   --pps 0 (default) is top speed; --count N sends exactly N frames
 *   (split between the threads) and then stops; --duration S stops after
 *   S seconds (default 1 when no --count). Frames are 60 bytes (Ethernet
 *   minimum without FCS) with valid IPv4 and TCP checksums, sources drawn
 *   from a xorshift generator seeded per thread from --seed; each thread
 *   builds 16384 of them first (about 1 ms) and sends them in turn.
 * Prints one line on stdout:
 *   sent N seconds S pps R threads T
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define FRAME	60
#define BURST	64
#define POOL	16384	/* frames built ahead per thread (1 MiB) */
#define MAXTHR	64

struct job {
	pthread_t th;
	int fd;
	uint64_t quota;		/* frames to send, 0 = until the deadline */
	double pps;		/* this thread's rate, 0 = top speed */
	uint64_t seed;
	uint64_t sent;
	int err;
};

static int ifindex;
static uint8_t src_mac[6], dst_mac[6] = { 0x02, 0x6b, 0x79, 0x6f, 0x63, 0x68 };
static uint32_t target;		/* host order */
static uint16_t dport = 80;
static double seconds = 0;
static double t_start;

static uint64_t
xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

/* One SYN from a random source into f (FRAME bytes). */
static void
make_frame(uint8_t *f, uint64_t *rng)
{
	uint64_t r = xorshift(rng);
	uint32_t src = (uint32_t)r, sum;
	uint8_t *ip = f + 14, *tcp = ip + 20, pseudo[12];

	/* not 0/8, 127/8 or multicast: a plausible unicast source */
	if ((src >> 24) == 0 || (src >> 24) == 127 || (src >> 24) >= 224)
		src ^= 0x40000000;
	memset(f, 0, FRAME);
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, src_mac, 6);
	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, 40);
	put16(ip + 4, (uint16_t)(r >> 32));
	put16(ip + 6, 0x4000);	/* DF */
	ip[8] = 64;
	ip[9] = 6;
	put32(ip + 12, src);
	put32(ip + 16, target);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	put16(tcp, (uint16_t)(1024 + (r >> 48) % 64000));
	put16(tcp + 2, dport);
	put32(tcp + 4, (uint32_t)(r >> 16));
	tcp[12] = 5 << 4;
	tcp[13] = 0x02;		/* SYN */
	put16(tcp + 14, 64240);
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	put16(pseudo + 10, 20);
	sum = csum_add(csum_add(0, pseudo, 12), tcp, 20);
	put16(tcp + 16, csum_fold(sum));
}

static void *
sender(void *arg)
{
	struct job *j = arg;
	uint8_t (*frames)[FRAME] = malloc((size_t)POOL * FRAME);
	struct mmsghdr msg[BURST];
	struct iovec iov[BURST];
	struct sockaddr_ll to;
	uint64_t rng = j->seed * 0x9e3779b97f4a7c15ULL + 1;
	size_t at = 0;
	int i;

	if (frames == NULL) {
		j->err = ENOMEM;
		return NULL;
	}
	/* The flood is built first, so the sending loop
	 * costs only the system calls: POOL distinct random sources a
	 * thread, sent round and round. */
	for (i = 0; i < POOL; i++)
		make_frame(frames[i], &rng);

	memset(&to, 0, sizeof(to));
	to.sll_family = AF_PACKET;
	to.sll_ifindex = ifindex;
	to.sll_halen = 6;
	memcpy(to.sll_addr, dst_mac, 6);
	memset(msg, 0, sizeof(msg));
	for (i = 0; i < BURST; i++) {
		iov[i].iov_len = FRAME;
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		msg[i].msg_hdr.msg_name = &to;
		msg[i].msg_hdr.msg_namelen = sizeof(to);
	}
	for (;;) {
		double t = now_s() - t_start;
		unsigned want = BURST, k;
		int n;

		if (j->quota == 0 && t >= seconds)
			break;
		if (j->quota != 0) {
			if (j->sent >= j->quota)
				break;
			if (j->quota - j->sent < want)
				want = (unsigned)(j->quota - j->sent);
		}
		if (j->pps > 0) {
			/* paced: send only what is due by now */
			double due = t * j->pps - (double)j->sent;

			if (due < 1) {
				struct timespec ts = { 0, 20000 };

				if (j->quota == 0 && t >= seconds)
					break;
				nanosleep(&ts, NULL);
				continue;
			}
			if (due < want)
				want = (unsigned)due;
		}
		if (at + want > POOL)
			at = 0;
		for (k = 0; k < want; k++)
			iov[k].iov_base = frames[at + k];
		n = sendmmsg(j->fd, msg, want, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue;
			j->err = errno;
			break;
		}
		j->sent += (uint64_t)n;
		at += (size_t)n;
	}
	free(frames);
	return NULL;
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	unsigned v[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
	    &v[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

/* Whether this process is known to be in the initial network namespace
 * (that of PID 1), where frames could leave the machine. */
static int
in_init_netns(void)
{
	struct stat a, b;

	if (stat("/proc/self/ns/net", &a) != 0 || stat("/proc/1/ns/net", &b) != 0)
		return 0;	/* PID 1's is not ours to see: the veth check */
	return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* Whether IFACE is one end of a veth pair (its driver, as ethtool -i
 * reports it): the only kind of interface the bench creates. */
static int
is_veth(int fd, const char *iface)
{
	struct ethtool_drvinfo di;
	struct ifreq ifr;

	memset(&di, 0, sizeof(di));
	memset(&ifr, 0, sizeof(ifr));
	di.cmd = ETHTOOL_GDRVINFO;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	ifr.ifr_data = (void *)&di;
	if (ioctl(fd, SIOCETHTOOL, &ifr) != 0)
		return 0;
	return strcmp(di.driver, "veth") == 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: synflood -i IFACE -d ADDR [--dst-mac MAC] "
	    "[--pps N] [--count N] [--duration S]\n"
	    "                [--threads N] [--seed N] [--port N] "
	    "[--any-netns]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *iface = NULL, *dst = NULL;
	struct job jobs[MAXTHR];
	uint64_t count = 0, seed = 1, total = 0;
	double pps = 0, dur = 0, took;
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	struct in_addr in;
	struct ifreq ifr;
	int i, any_netns = 0, one = 1, fd, err = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--any-netns") == 0) {
			any_netns = 1;
			continue;
		}
		if (v == NULL)
			usage();
		i++;
		if (strcmp(a, "-i") == 0)
			iface = v;
		else if (strcmp(a, "-d") == 0)
			dst = v;
		else if (strcmp(a, "--dst-mac") == 0) {
			if (parse_mac(v, dst_mac) != 0)
				usage();
		} else if (strcmp(a, "--pps") == 0)
			pps = strtod(v, NULL);
		else if (strcmp(a, "--count") == 0)
			count = strtoull(v, NULL, 10);
		else if (strcmp(a, "--duration") == 0)
			dur = strtod(v, NULL);
		else if (strcmp(a, "--threads") == 0)
			threads = strtol(v, NULL, 10);
		else if (strcmp(a, "--seed") == 0)
			seed = strtoull(v, NULL, 10);
		else if (strcmp(a, "--port") == 0)
			dport = (uint16_t)strtoul(v, NULL, 10);
		else
			usage();
	}
	if (iface == NULL || dst == NULL || inet_pton(AF_INET, dst, &in) != 1 ||
	    pps < 0 || dur < 0)
		usage();
	target = ntohl(in.s_addr);
	seconds = dur > 0 ? dur : (count > 0 ? 1e9 : 1);
	if (threads < 1)
		threads = 1;
	if (threads > MAXTHR)
		threads = MAXTHR;
	if (count > 0 && (uint64_t)threads > count)
		threads = (long)count;
	if ((ifindex = (int)if_nametoindex(iface)) == 0) {
		fprintf(stderr, "synflood: %s: no such interface\n", iface);
		return 1;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("synflood: socket(AF_PACKET)");
		return 1;
	}
	if (!any_netns && (in_init_netns() || !is_veth(fd, iface))) {
		fprintf(stderr, "synflood: refusing to send on %s: only on a "
		    "veth end inside a namespace of the caller's (ip netns "
		    "exec)\n", iface);
		return 2;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(src_mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	t_start = now_s();
	for (i = 0; i < threads; i++) {
		struct job *j = &jobs[i];

		memset(j, 0, sizeof(*j));
		j->seed = seed * 1000 + (uint64_t)i + 1;
		j->pps = pps / (double)threads;
		if (count > 0)
			j->quota = count / (uint64_t)threads +
			    ((uint64_t)i < count % (uint64_t)threads);
		/* a socket per thread: no shared send path between cores */
		if ((j->fd = socket(AF_PACKET, SOCK_RAW, 0)) < 0) {
			perror("synflood: socket(AF_PACKET)");
			return 1;
		}
		/* straight to the driver, past the qdisc (Linux >= 3.14) */
		if (setsockopt(j->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		    sizeof(one)) != 0)
			perror("synflood: PACKET_QDISC_BYPASS (continuing)");
	}
	t_start = now_s();
	for (i = 0; i < threads; i++)
		if (pthread_create(&jobs[i].th, NULL, sender, &jobs[i]) != 0) {
			fprintf(stderr, "synflood: cannot start a thread\n");
			return 1;
		}
	for (i = 0; i < threads; i++) {
		pthread_join(jobs[i].th, NULL);
		total += jobs[i].sent;
		if (jobs[i].err != 0)
			err = jobs[i].err;
		close(jobs[i].fd);
	}
	took = now_s() - t_start;
	printf("sent %llu seconds %.3f pps %.0f threads %ld\n",
	    (unsigned long long)total, took, took > 0 ? (double)total / took : 0,
	    threads);
	if (err != 0) {
		fprintf(stderr, "synflood: send: %s\n", strerror(err));
		return 1;
	}
	return 0;
}
