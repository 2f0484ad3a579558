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

#include "checklist.h"
#include "commands.h"
#include "config.h"
#include "incident.h"
#include "report.h"
#include "tz.h"
#include "util.h"

/* --format: text (txt), md (markdown) or html. */
static int
check_format(const char *v, char *errbuf)
{
	if (report_format_parse(v) < 0)
		return err_set(errbuf, "format must be text, md or html");
	return 0;
}

static int
report_exec(struct args *a, struct options *opt)
{
	char errbuf[ERRBUF_SIZE], *state = NULL, *p;
	const char *out = args_get(a, "output");
	struct report_opts o;
	struct incident_store *s = NULL;
	struct checklist_set *cs = NULL;
	struct incident_kinds kinds;
	struct journal_diags diags = { NULL, 0 };
	const struct incident *inc;
	const char *id = args_word(a, 0);
	int rc;
	size_t i;
	FILE *f = NULL;

	memset(&kinds, 0, sizeof(kinds));
	if ((state = config_state_dir(opt, errbuf)) == NULL ||
	    (s = incident_store_open(state, opt->operator, errbuf)) == NULL)
		goto fail;
	if ((inc = incident_find(s, id)) == NULL) {
		char safe[128];

		text_sanitize(safe, sizeof(safe), id, strlen(id));
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
	o.format = (enum report_format)report_format_parse(
	    args_get(a, "format") != NULL ? args_get(a, "format") : "text");
	o.lang = args_get(a, "lang") != NULL ? args_get(a, "lang") : "en";
	if (opt->our_zone != NULL && (o.zone = tz_get(opt->our_zone,
	    errbuf)) == NULL)
		goto fail;
	o.local_offset_s = opt->local_offset_s;
	o.local_zone = opt->local_zone;
	o.cs = cs;
	o.kinds = &kinds;
	o.diags = &diags;
	if (out != NULL && strcmp(out, "-") != 0) {
		int fd = open_private(out, 0);	/* 0600, as journals */

		if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
			err_set(errbuf, "%s: cannot write: %s", out,
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
		err_set(errbuf, "%s: write failed", out);
		goto fail;
	}
	f = NULL;
	rc = CMD_OK;
	goto out;
fail:
	fprintf(stderr, "kyocho report: %s\n", errbuf);
	rc = CMD_FAIL;
out:
	if (f != NULL && f != stdout)
		fclose(f);
	journal_diags_free(&diags);
	incident_kinds_free(&kinds);
	checklist_set_free(cs);
	incident_store_free(s);
	free(state);
	return rc;
}

static const struct args_opt report_opts[] = {
	{ .name = "format", .sname = 'f', .arg = "FORMAT",
	  .check = check_format, .help = "text (default), md or html" },
	{ .name = "lang", .arg = "LANG", .choices = "en|ja",
	  .help = "en (default) or ja" },
	{ .name = "output", .sname = 'o', .arg = "FILE",
	  .help = "write to FILE (mode 0600) instead of stdout" },
	{ .name = NULL },
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "[--format text|md|html] [--lang en|ja] [-o FILE] INCIDENT",
	.help = "write an incident report (text, md, html)",
	.opts = report_opts,
	.minargs = 1,
	.maxargs = 1,
	.exec = report_exec,
};
