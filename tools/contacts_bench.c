/*
 * contacts_bench.c -- time loading and matching a contact database against
 * a floor measured in the same run: reading the file's bytes and counting
 * its lines. Used by tests/bench/contacts.sh.
 *
 *   contacts_bench FILE [ROUNDS]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "contacts/contacts.h"
#include "base/util.h"

#include "tool.h"

/* The floor: read the whole file and count its lines. */
static size_t
floor_read(const char *path)
{
	char buf[1 << 16];
	size_t lines = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		exit(2);
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		const char *p = buf, *e = buf + n;

		while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
			lines++;
			p++;
		}
	}
	close(fd);
	return lines;
}

int
main(int argc, char **argv)
{
	static const char *const queries[] = { "192.0.2.77", "2001:db8:42::1",
	    "AS64500", "RU", "BR", NULL };
	char err[ERRBUF_SIZE];
	int rounds = argc > 2 ? atoi(argv[2]) : 5, r;
	double t0, tfloor = 1e9, tload = 1e9, tmatch = 1e9;
	size_t lines = 0, nrec = 0, nmatched = 0, i;

	if (argc < 2) {
		fprintf(stderr, "usage: contacts_bench FILE [ROUNDS]\n");
		return 2;
	}
	for (r = 0; r < rounds; r++) {
		struct contacts *db;
		double t;

		t0 = now_s();
		lines = floor_read(argv[1]);
		t = now_s() - t0;
		if (t < tfloor)
			tfloor = t;

		t0 = now_s();
		if (contacts_load(argv[1], 0, &db, err) != 0) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		t = now_s() - t0;
		if (t < tload)
			tload = t;
		nrec = contacts_count(db);
		if (contacts_ninvalid(db) != 0) {
			fprintf(stderr, "%zu invalid records\n",
			    contacts_ninvalid(db));
			return 2;
		}

		t0 = now_s();
		nmatched = 0;
		for (i = 0; i < NITEMS(queries); i++) {
			struct contacts_query q;
			struct contact_match *m;

			contacts_query_parse(queries[i], &q, err);
			nmatched += contacts_match(db, &q, 1764120600, &m);
			free(m);
		}
		t = now_s() - t0;
		if (t < tmatch)
			tmatch = t;
		contacts_free(db);
	}
	printf("contacts: %zu records, %zu lines\n", nrec, lines);
	printf("contacts: floor (read+count lines)  %8.3f ms\n", tfloor * 1e3);
	printf("contacts: load+validate             %8.3f ms  (%.1fx floor)\n",
	    tload * 1e3, tload / tfloor);
	printf("contacts: match %zu queries (%zu hits, open/closed for each) "
	    "%8.3f ms  (%.1fx floor)\n", NITEMS(queries), nmatched,
	    tmatch * 1e3, tmatch / tfloor);
	printf("contacts: load+match                %8.3f ms  (%.1fx floor)\n",
	    (tload + tmatch) * 1e3, (tload + tmatch) / tfloor);
	return 0;
}
