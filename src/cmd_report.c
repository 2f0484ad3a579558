/*
 * cmd_report.c -- `kyocho report [--format text|md|html] [--lang en|ja]
 * [-o FILE] INCIDENT`: write an incident's report (report.h) from its
 * journal. The operator's zone for the timeline comes from the settings
 * local-offset and local-zone (until time zones are named by tz.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "casework.h"
#include "commands.h"
#include "config.h"
#include "incident.h"
#include "report.h"
#include "util.h"

enum { R_FORMAT = 1, R_LANG, R_OUT };

static const struct argdef defs[] = {
	{ "format", 'f', 1, R_FORMAT },
	{ "lang", 0, 1, R_LANG },
	{ "output", 'o', 1, R_OUT },
	{ NULL, 0, 0, 0 },
};

struct ropts {
	int format;
	const char *lang, *out;
};

static int
on_opt(void *ctx, int id, const char *v, char *errbuf)
{
	struct ropts *o = ctx;

	switch (id) {
	case R_FORMAT:
		if ((o->format = report_format_parse(v)) < 0)
			return err_set(errbuf, "format must be text, md or html");
		break;
	case R_LANG:
		if (strcmp(v, "en") != 0 && strcmp(v, "ja") != 0)
			return err_set(errbuf, "language must be en or ja");
		o->lang = v;
		break;
	case R_OUT:
		o->out = v;
		break;
	}
	return 0;
}

int
cmd_report(int argc, char **argv, struct options *opt)
{
	char errbuf[ERRBUF_SIZE];
	struct ropts ro = { REPORT_TEXT, "en", NULL };
	struct case_settings cfg;
	struct casework *cw = NULL;
	struct incident_store *s;
	struct journal_diags diags = { NULL, 0 };
	const struct incident *inc;
	char **pos = NULL;
	int npos, rc = 1;
	size_t i;
	FILE *f = NULL;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		printf("usage: kyocho report [--format text|md|html] "
		    "[--lang en|ja] [-o FILE] INCIDENT\n");
		return 0;
	}
	if (args_parse(argc, argv, 1, defs, on_opt, &ro, opt, &pos, &npos,
	    errbuf) != 0) {
		fprintf(stderr, "kyocho report: %s\n", errbuf);
		free(pos);
		return 2;
	}
	if (npos != 1) {
		fprintf(stderr, "usage: kyocho report [--format text|md|html] "
		    "[--lang en|ja] [-o FILE] INCIDENT\n");
		free(pos);
		return 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.opt = opt;
	cfg.our_zone = opt->our_zone;
	cw = casework_open(&cfg);
	if ((s = casework_store(cw, errbuf)) == NULL)
		goto fail;
	if ((inc = incident_find(s, pos[0])) == NULL) {
		char safe[128];

		text_sanitize(safe, sizeof(safe), pos[0], strlen(pos[0]));
		err_set(errbuf, "no incident '%s' in %s", safe, s->dir);
		goto fail;
	}
	switch (casework_load_checklists(cw, errbuf)) {
	case 0:
		break;
	case CASE_MISSING:
		fprintf(stderr, "kyocho report: %s; checklists are shown "
		    "without their texts\n", errbuf);
		break;
	default:
		goto fail;
	}
	if (casework_load_kinds(cw, errbuf) < 0)
		goto fail;
	if (ro.out != NULL && strcmp(ro.out, "-") != 0) {
		int fd = open_private(ro.out, 0);	/* 0600, as journals */

		if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
			err_set(errbuf, "%s: cannot write: %s", ro.out,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			goto fail;
		}
	} else
		f = stdout;
	rc = casework_report_write(cw, inc, f, (enum report_format)ro.format,
	    ro.lang, &diags, errbuf);
	/* This incident's journal problems, as the store gave them. */
	for (i = 0; i < diags.n; i++)
		fprintf(stderr, "kyocho report: %s\n", diags.v[i].msg);
	if (rc != 0)
		goto fail;
	if (f != stdout && fclose(f) != 0) {
		f = NULL;
		err_set(errbuf, "%s: write failed", ro.out);
		goto fail;
	}
	f = NULL;
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "kyocho report: %s\n", errbuf);
	rc = 1;
out:
	if (f != NULL && f != stdout)
		fclose(f);
	journal_diags_free(&diags);
	casework_free(cw);
	free(pos);
	return rc;
}
