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
#include "checklist.h"
#include "commands.h"
#include "config.h"
#include "incident.h"
#include "report.h"
#include "tz.h"
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
	char errbuf[ERRBUF_SIZE], *state = NULL, *p;
	struct ropts ro = { REPORT_TEXT, "en", NULL };
	struct report_opts o;
	struct incident_store *s = NULL;
	struct checklist_set *cs = NULL;
	struct incident_kinds kinds;
	struct journal_diags diags = { NULL, 0 };
	const struct incident *inc;
	char **pos = NULL;
	int npos, rc = 1;
	size_t i;
	FILE *f = NULL;

	memset(&kinds, 0, sizeof(kinds));
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
	if ((state = config_state_dir(opt, errbuf)) == NULL ||
	    (s = incident_store_open(state, opt->operator, errbuf)) == NULL)
		goto fail;
	if ((inc = incident_find(s, pos[0])) == NULL) {
		char safe[128];

		text_sanitize(safe, sizeof(safe), pos[0], strlen(pos[0]));
		err_set(errbuf, "no incident '%s' in %s", safe, s->dir);
		goto fail;
	}
	/* Only this incident's journal problems belong in its report. */
	for (i = 0; i < s->diags.n; i++) {
		const char *file = s->diags.v[i].file;

		const char *msg = s->diags.v[i].msg;
		size_t dl = strlen(s->dir);

		if (strcmp(file, inc->path) != 0 && !(strncmp(file, inc->path,
		    strlen(inc->path)) == 0 && strcmp(file + strlen(inc->path),
		    ".torn") == 0))
			continue;
		fprintf(stderr, "kyocho report: %s\n", msg);
		/* The report names the journal without the directory, so
		 * the same journal gives the same report wherever it is. */
		if (strncmp(msg, s->dir, dl) == 0 && msg[dl] == '/')
			msg += dl + 1;
		journal_diag_add(&diags, s->diags.v[i].kind, "", 0, "%s", msg);
	}
	for (i = 0; i < diags.n; i++) {
		/* drop the empty "FILE: " prefix the copy added */
		char *m = diags.v[i].msg;

		if (strncmp(m, ": ", 2) == 0)
			memmove(m, m + 2, strlen(m + 2) + 1);
	}
	if ((p = config_data_path(opt, "checklists", errbuf)) != NULL) {
		cs = checklist_set_load(p, errbuf);
		free(p);
		if (cs == NULL)
			goto fail;
	} else
		fprintf(stderr, "kyocho report: %s; checklists are shown "
		    "without their texts\n", errbuf);
	if ((p = config_data_path(opt, "incident-kinds.txt", errbuf)) != NULL) {
		if (incident_kinds_load(&kinds, p, errbuf) != 0) {
			free(p);
			goto fail;
		}
		free(p);
	}
	memset(&o, 0, sizeof(o));
	o.format = (enum report_format)ro.format;
	o.lang = ro.lang;
	if (opt->our_zone != NULL && (o.zone = tz_get(opt->our_zone,
	    errbuf)) == NULL)
		goto fail;
	o.local_offset_s = opt->local_offset_s;
	o.local_zone = opt->local_zone;
	o.cs = cs;
	o.kinds = &kinds;
	o.diags = &diags;
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
	if (report_write(f, inc, &o, errbuf) != 0)
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
	incident_kinds_free(&kinds);
	checklist_set_free(cs);
	incident_store_free(s);
	free(state);
	free(pos);
	return rc;
}
