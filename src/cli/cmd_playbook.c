/*
 * cmd_playbook.c -- `kyocho playbook`: the playbooks of data/playbooks/
 * (man/kyocho-playbook.5) for the legal staff who approve them.
 *
 *   kyocho playbook                 list them, approved or not
 *   kyocho playbook --check         validate them (FILE:LINE errors)
 *   kyocho playbook approve NAME|--all --by WHO [--on YYYY-MM-DD]
 *
 * Reading and checking is casework_load_playbooks (against the
 * checklists and the incident kinds); approving rewrites the file
 * atomically (playbook_approve_file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "case/playbook.h"
#include "casework/casework.h"
#include "cli/commands.h"
#include "settings/config.h"

static void
print_safe(FILE *f, const char *s)
{
	char buf[4096];

	text_sanitize(buf, sizeof(buf), s, strlen(s));
	fputs(buf, f);
}

/* Open a casework and read the playbooks; NULL after printing why. */
static struct casework *
open_playbooks(struct options *opt, int *rc)
{
	struct case_settings cfg;
	struct casework *cw;
	char err[ERRBUF_SIZE];
	int r;

	memset(&cfg, 0, sizeof(cfg));
	cfg.opt = opt;
	cw = casework_open(&cfg);
	if ((r = casework_load_playbooks(cw, err)) != 0) {
		fprintf(stderr, "kyocho playbook: ");
		print_safe(stderr, err);
		fputc('\n', stderr);
		if (r == CASE_MISSING)
			fprintf(stderr, "kyocho playbook: no playbooks: every "
			    "checklist is answered by hand\n");
		casework_free(cw);
		*rc = CMD_FAIL;
		return NULL;
	}
	return cw;
}

static int
pb_list(struct options *opt, int check)
{
	const struct playbook_set *ps;
	struct casework *cw;
	size_t i, napproved = 0;
	int rc = CMD_OK;

	if ((cw = open_playbooks(opt, &rc)) == NULL)
		return rc;
	ps = casework_playbooks(cw);
	for (i = 0; i < ps->n; i++) {
		const struct playbook *pb = ps->v[i];
		char line[1024];
		size_t k, off;

		if (playbook_approved(pb))
			napproved++;
		if (check)
			continue;
		off = (size_t)snprintf(line, sizeof(line), "%-28s %-18s ",
		    pb->name, pb->action);
		for (k = 0; k < pb->nkinds && off < sizeof(line); k++)
			off += (size_t)snprintf(line + off, sizeof(line) - off,
			    "%s%s", k ? "," : "", pb->kinds[k]);
		print_safe(stdout, line);
		if (playbook_approved(pb)) {
			printf("  approved by ");
			print_safe(stdout, pb->approved_by);
			printf(" on %s", pb->approved_on);
		} else
			printf("  NOT APPROVED%s", pb->example ?
			    " (example: your legal staff must approve it)" : "");
		printf("%s\n", pb->unverified ? "  [unverified row: confirm "
		    "with your legal/compliance staff]" : "  [sourced row]");
	}
	if (check)
		printf("%zu playbooks ok, %zu approved\n", ps->n, napproved);
	casework_free(cw);
	return CMD_OK;
}

static int
pb_approve(struct args *a, struct options *opt)
{
	const struct playbook_set *ps;
	struct casework *cw;
	const char *by = args_get(a, "by"), *on = args_get(a, "on");
	char today[16], err[ERRBUF_SIZE];
	int all = args_has(a, "all") > 0, rc = CMD_OK;
	size_t i, n = 0;

	if (by == NULL)
		return args_usage_error(a, "--by WHO is required");
	if (all == (args_count(a) == 2))
		return args_usage_error(a, "approve takes a NAME or --all");
	if (on == NULL) {
		time_t t = time(NULL);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		on = today;
	}
	/* Only valid playbooks are approved: read and check them first. */
	if ((cw = open_playbooks(opt, &rc)) == NULL)
		return rc;
	ps = casework_playbooks(cw);
	if (!all && playbook_by_name(ps, args_word(a, 1)) == NULL) {
		fprintf(stderr, "kyocho playbook: no playbook '");
		print_safe(stderr, args_word(a, 1));
		fprintf(stderr, "'\n");
		casework_free(cw);
		return CMD_FAIL;
	}
	for (i = 0; i < ps->n; i++) {
		const struct playbook *pb = ps->v[i];

		if (!all && strcmp(pb->name, args_word(a, 1)) != 0)
			continue;
		if (playbook_approve_file(pb->file, by, on, err) != 0) {
			fprintf(stderr, "kyocho playbook: ");
			print_safe(stderr, err);
			fputc('\n', stderr);
			rc = CMD_FAIL;
			break;
		}
		n++;
	}
	casework_free(cw);
	if (rc == CMD_OK) {
		printf("approved %zu playbook%s by ", n, n == 1 ? "" : "s");
		print_safe(stdout, by);
		printf(" on %s\n", on);
	}
	return rc;
}

static int
playbook_exec(struct args *a, struct options *opt)
{
	if (args_count(a) == 0) {
		if (args_get(a, "by") != NULL || args_has(a, "all"))
			return args_usage_error(a, "--by and --all go with "
			    "approve");
		return pb_list(opt, args_has(a, "check") > 0);
	}
	if (strcmp(args_word(a, 0), "approve") != 0 || args_count(a) > 2)
		return args_usage_error(a, "the only verb is approve");
	return pb_approve(a, opt);
}

static int
check_date(const char *v, char *errbuf)
{
	int i;

	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
		return err_set(errbuf, "'%s' is not a date YYYY-MM-DD", v);
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
			return err_set(errbuf, "'%s' is not a date YYYY-MM-DD",
			    v);
	return 0;
}

static const struct args_opt playbook_opts[] = {
	{ .name = "check", .help = "validate every playbook (FILE:LINE "
	  "errors), exit 1 if one is wrong" },
	{ .name = "all", .help = "approve: every playbook" },
	{ .name = "by", .arg = "WHO", .help = "approve: who approves (legal "
	  "or compliance staff)" },
	{ .name = "on", .arg = "DATE", .check = check_date,
	  .help = "approve: the date, YYYY-MM-DD (default: today, UTC)" },
	{ .name = NULL },
};

const struct cmd_entry cmd_playbook_entry = {
	.name = "playbook",
	.usage = "[--check] | approve NAME|--all --by WHO [--on DATE]",
	.help = "list, check and approve the guideline playbooks",
	.text = "Playbooks (DATA/playbooks/, kyocho-playbook(5)) propose the "
	    "answers their case decides; an unapproved one proposes "
	    "nothing.\n",
	.opts = playbook_opts,
	.minargs = 0,
	.maxargs = 2,
	.exec = playbook_exec,
};
