/*
 * prefixbench.c -- numbers for tests/bench/prefix.sh: how long the prefix
 * data takes to load and what a lookup costs, each against a floor
 * measured in the same run on the same input:
 *   load:   the time to map the same files and count their lines;
 *   lookup: a loop over the same random addresses doing a trivial op.
 * Usage: prefixbench [kyocho settings such as --data DIR] [-n LOOKUPS]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "settings/args.h"
#include "settings/config.h"
#include "enrich/prefix.h"
#include "base/util.h"

#include "tool.h"

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The floor for loading: map each file and count its lines. */
static size_t
scan_files(const struct options *o)
{
	static const char *const rel[] = {
		"prefix/asn-ipv4.csv", "prefix/asn-ipv6.csv",
		"prefix/asn-country-ipv4.csv", "prefix/asn-country-ipv6.csv",
	};
	char err[ERRBUF_SIZE];
	size_t i, lines = 0;

	for (i = 0; i < NITEMS(rel); i++) {
		char *path = config_data_path(o, rel[i], err);
		struct stat st;
		const char *m, *p, *end;
		int fd;

		if (path == NULL)
			continue;
		fd = open(path, O_RDONLY);
		free(path);
		if (fd == -1 || fstat(fd, &st) == -1 || st.st_size == 0) {
			if (fd != -1)
				close(fd);
			continue;
		}
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
		if (m == MAP_FAILED)
			continue;
		end = m + st.st_size;
		for (p = m; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			lines++;
		munmap((void *)m, (size_t)st.st_size);
	}
	return lines;
}

int
main(int argc, char **argv)
{
	char err[ERRBUF_SIZE];
	struct options o;
	struct prefixdb *db;
	struct prefix_stats st;
	struct prefix_info info;
	struct addr *addrs;
	char **pos;
	struct enrich_settings es;
	int npos, i, r, rc;
	long n = 1000000;
	uint64_t seed = 0x9e3779b97f4a7c15ULL, sink = 0;
	double t0, load = 1e9, scan = 1e9, floor = 1e9, look = 1e9, rt = 1e9;
	size_t lines = 0;

	if (args_load_config(argc, argv, &o, err) != 0) {
		fprintf(stderr, "prefixbench: %s\n", err);
		return 2;
	}
	for (i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "-n") == 0) {
			n = atol(argv[i + 1]);
			argv[i] = argv[i + 1] = (char *)"--";
		}
	if (args_common(argc, argv, 1, &o, &pos, &npos,
	    err) != 0) {
		fprintf(stderr, "prefixbench: %s\n", err);
		return 2;
	}
	free(pos);
	/* Best of three: the page cache is warm after the first. */
	for (r = 0; r < 3; r++) {
		t0 = now_s();
		lines = scan_files(&o);
		if (now_s() - t0 < scan)
			scan = now_s() - t0;
		db = prefix_db_new();
		t0 = now_s();
		config_enrich_settings(&o, &es, NULL);
		rc = prefix_load_default(db, &es, err);
		enrich_settings_free(&es);
		if (rc < 0) {
			fprintf(stderr, "prefixbench: %s\n", err);
			return 1;
		}
		if (now_s() - t0 < load)
			load = now_s() - t0;
		if (r < 2)
			prefix_db_free(db);
	}
	prefix_stats(db, &st);
	addrs = xcalloc((size_t)n, sizeof(*addrs));
	for (i = 0; i < n; i++) {
		uint64_t x = rnd(&seed), y = rnd(&seed);

		if (i % 4 == 3) {	/* a quarter IPv6, in 2000::/3 */
			addrs[i].family = 6;
			memcpy(addrs[i].b, &x, 8);
			memcpy(addrs[i].b + 8, &y, 8);
			addrs[i].b[0] = (uint8_t)(0x20 | (addrs[i].b[0] & 0x1f));
		} else
			addr_from_v4(&addrs[i], (uint32_t)x);
	}
	for (r = 0; r < 3; r++) {
		t0 = now_s();
		for (i = 0; i < n; i++)
			sink += addr_hash(&addrs[i], 1);	/* the floor */
		if (now_s() - t0 < floor)
			floor = now_s() - t0;
		t0 = now_s();
		for (i = 0; i < n; i++) {
			prefix_lookup(db, &addrs[i], &info);
			sink += info.asn + (uint8_t)info.country[0];
		}
		if (now_s() - t0 < look)
			look = now_s() - t0;
		t0 = now_s();
		for (i = 0; i < n; i++)
			sink += (uint64_t)(prefix_routed(db, &addrs[i]) + 1);
		if (now_s() - t0 < rt)
			rt = now_s() - t0;
	}
	printf("ranges_v4=%zu ranges_v6=%zu orgs=%zu lines=%zu\n", st.ranges4,
	    st.ranges6, st.orgs, lines);
	printf("load_ms=%.1f scan_floor_ms=%.1f load_ratio=%.1f\n", load * 1e3,
	    scan * 1e3, load / scan);
	printf("lookup_ns=%.1f routed_ns=%.1f floor_ns=%.1f lookup_ratio=%.1f "
	    "routed_ratio=%.1f (n=%ld, sink %llu)\n", look * 1e9 / (double)n,
	    rt * 1e9 / (double)n, floor * 1e9 / (double)n, look / floor,
	    rt / floor, n, (unsigned long long)(sink & 0xff));
	free(addrs);
	prefix_db_free(db);
	return 0;
}
