/*
 * cmd_prefix.c -- `kyocho prefix`: the offline prefix data and its image
 * (prefix.h, man/kyocho-prefixes.5).
 *
 *   kyocho prefix [--data DIR]            what is loaded, and from where
 *   kyocho prefix build [--data DIR]      write kyocho-ranges.img beside the
 *                                         CSVs (tools/fetch-data.sh runs it)
 *   kyocho prefix verify [--data DIR]     check the image in full: header,
 *                                         body checksum, the CSVs' contents
 *                                         (also: kyocho prefix --verify)
 * Exit status: 0, 1 on a failed build or verification, 2 on usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "config.h"
#include "prefix.h"
#include "util.h"

enum { O_VERIFY = 1, O_HELP };

static const struct argdef prefix_args[] = {
	{ "verify", 0, 0, O_VERIFY },
	{ "help", 'h', 0, O_HELP },
	{ NULL, 0, 0, 0 },
};

struct prefixopts {
	int verify, help;
};

static int
prefix_flag(void *ctx, int id, const char *value, char *errbuf)
{
	struct prefixopts *o = ctx;

	(void)value;
	(void)errbuf;
	if (id == O_VERIFY)
		o->verify = 1;
	else if (id == O_HELP)
		o->help = 1;
	return 0;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: kyocho prefix [build | verify] [--data DIR]\n\n"
	    "  (none)   what prefix data is loaded, and whether from the image\n"
	    "  build    parse the prefix CSVs and write kyocho-ranges.img beside\n"
	    "           them, which later starts map instead of parsing\n"
	    "  verify   check the image in full (also --verify)\n\n"
	    "See kyocho-prefixes(5).\n");
}

static int
status(const struct options *opt)
{
	char errbuf[ERRBUF_SIZE];
	struct prefixdb *db = prefix_db_new();
	struct prefix_stats st;
	int n;

	n = prefix_load_default(db, opt, errbuf);
	if (n < 0) {
		fprintf(stderr, "kyocho prefix: %s\n", errbuf);
		prefix_db_free(db);
		return 1;
	}
	prefix_stats(db, &st);
	printf("sources     %d\n", n);
	printf("ranges      %zu IPv4, %zu IPv6, %zu organisations, %zu "
	    "overrides, %zu MaxMind DB\n", st.ranges4, st.ranges6, st.orgs,
	    st.overrides, st.mmdbs);
	printf("image       %s\n", st.image ? "mapped" :
	    prefix_image_note(db)[0] != '\0' ? prefix_image_note(db) :
	    "none (no prefix CSVs found)");
	printf("complete    IPv4 %s (%.1f%% of unicast space), IPv6 %s (%zu "
	    "origin ASes)\n", prefix_complete_name(st.complete[0]),
	    st.unicast4 * 100, prefix_complete_name(st.complete[1]),
	    st.origins6);
	prefix_db_free(db);
	return 0;
}

int
cmd_prefix(int argc, char **argv, struct options *opt)
{
	char errbuf[ERRBUF_SIZE], *path = NULL;
	struct prefixopts po = { 0, 0 };
	char **pos = NULL;
	int npos = 0, rc = 2;
	long long size;

	if (args_parse(argc, argv, 1, prefix_args, prefix_flag, &po, opt, &pos,
	    &npos, errbuf) != 0) {
		fprintf(stderr, "kyocho prefix: %s\n", errbuf);
		goto out;
	}
	if (po.help) {
		usage(stdout);
		rc = 0;
		goto out;
	}
	if (npos > 1 || (npos == 1 && strcmp(pos[0], "build") != 0 &&
	    strcmp(pos[0], "verify") != 0)) {
		usage(stderr);
		goto out;
	}
	if (npos == 1 && strcmp(pos[0], "build") == 0) {
		if ((size = prefix_image_build(opt, &path, errbuf)) < 0) {
			fprintf(stderr, "kyocho prefix build: %s\n", errbuf);
			rc = 1;
			goto out;
		}
		/* Read back in full, as a later verify would. */
		if (prefix_image_verify(opt, &path, errbuf) != 0) {
			fprintf(stderr, "kyocho prefix build: %s\n", errbuf);
			rc = 1;
			goto out;
		}
		printf("kyocho prefix build: wrote %s (%lld bytes)\n", path, size);
		rc = 0;
	} else if (po.verify || npos == 1) {
		if (prefix_image_verify(opt, &path, errbuf) != 0) {
			fprintf(stderr, "kyocho prefix verify: %s\n", errbuf);
			rc = 1;
			goto out;
		}
		printf("kyocho prefix verify: %s: ok\n", path);
		rc = 0;
	} else
		rc = status(opt);
out:
	free(path);
	free(pos);
	return rc;
}
