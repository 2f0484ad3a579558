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

#include "settings/args.h"
#include "cli/commands.h"
#include "settings/config.h"
#include "enrich/prefix.h"
#include "base/util.h"

static int
status(const struct enrich_settings *es)
{
	char errbuf[ERRBUF_SIZE];
	struct prefixdb *db = prefix_db_new();
	struct prefix_stats st;
	int n;

	n = prefix_load_default(db, es, errbuf);
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

static int
prefix_exec(struct args *a, struct options *opt)
{
	char errbuf[ERRBUF_SIZE], *path = NULL;
	struct enrich_settings es;
	const char *verb = args_count(a) == 1 ? args_word(a, 0) : NULL;
	int rc;
	long long size;

	if (verb != NULL && strcmp(verb, "build") != 0 &&
	    strcmp(verb, "verify") != 0)
		return args_usage_error(a, "the word after prefix is build or "
		    "verify");
	config_enrich_settings(opt, &es, NULL);
	if (verb != NULL && strcmp(verb, "build") == 0) {
		if ((size = prefix_image_build(&es, &path, errbuf)) < 0 ||
		    /* Read back in full, as a later verify would. */
		    prefix_image_verify(&es, &path, errbuf) != 0) {
			fprintf(stderr, "kyocho prefix build: %s\n", errbuf);
			rc = CMD_FAIL;
		} else {
			printf("kyocho prefix build: wrote %s (%lld bytes)\n",
			    path, size);
			rc = CMD_OK;
		}
	} else if (args_has(a, "verify") || verb != NULL) {
		if (prefix_image_verify(&es, &path, errbuf) != 0) {
			fprintf(stderr, "kyocho prefix verify: %s\n", errbuf);
			rc = CMD_FAIL;
		} else {
			printf("kyocho prefix verify: %s: ok\n", path);
			rc = CMD_OK;
		}
	} else
		rc = status(&es) == 0 ? CMD_OK : CMD_FAIL;
	enrich_settings_free(&es);
	free(path);
	return rc;
}

static const struct args_opt prefix_opts[] = {
	{ .name = "verify", .help = "check the image in full (as verify)" },
	{ .name = NULL },
};

const struct cmd_entry cmd_prefix_entry = {
	.name = "prefix",
	.usage = "[build | verify] [--data DIR]",
	.help = "the prefix data: what is loaded; build or verify its image",
	.text = "  (none)   what prefix data is loaded, and whether from the image\n"
	    "  build    parse the prefix CSVs and write kyocho-ranges.img beside\n"
	    "           them, which later starts map instead of parsing\n"
	    "  verify   check the image in full (also --verify)\n"
	    "See kyocho-prefixes(5).\n",
	.opts = prefix_opts,
	.minargs = 0,
	.maxargs = 1,
	.exec = prefix_exec,
};
