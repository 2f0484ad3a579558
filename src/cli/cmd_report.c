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

#include "casework/casework.h"
#include "cli/commands.h"
#include "settings/config.h"
#include "case/incident.h"
#include "report/report.h"
#include "base/util.h"

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
	char errbuf[ERRBUF_SIZE];
	const char *out = args_get(a, "output");
	struct case_settings cfg;
	struct casework *cw = NULL;
	struct incident_store *s;
	struct journal_diags diags = { NULL, 0 };
	const struct incident *inc;
	const char *id = args_word(a, 0);
	enum report_format fmt;
	const char *lang;
	int rc;
	size_t i;
	FILE *f = NULL;

	memset(&cfg, 0, sizeof(cfg));
	cfg.opt = opt;
	cfg.our_zone = opt->our_zone;
	cw = casework_open(&cfg);
	if ((s = casework_store(cw, errbuf)) == NULL)
		goto fail;
	if ((inc = incident_find(s, id)) == NULL) {
		char safe[128];

		text_sanitize(safe, sizeof(safe), id, strlen(id));
		err_set(errbuf, "no incident '%s' in %s", safe,
		    incident_store_dir(s));
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
	fmt = (enum report_format)report_format_parse(
	    args_get(a, "format") != NULL ? args_get(a, "format") : "text");
	lang = args_get(a, "lang") != NULL ? args_get(a, "lang") : "en";
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
	rc = casework_report_write(cw, inc, f, fmt, lang, &diags, errbuf);
	/* This incident's journal problems, as the store gave them. */
	for (i = 0; i < diags.n; i++)
		fprintf(stderr, "kyocho report: %s\n", diags.v[i].msg);
	if (rc != 0)
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
	casework_free(cw);
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
