/*
 * cmd_mitigation.c -- `kyocho mitigation list [--json] [--all]` (what is
 * announced, for which incident, TTL left) and `kyocho mitigation
 * reconcile [--yes]` (the journal compared with the speaker's RIB; with
 * --yes what expired or was lifted is withdrawn and what is missing is
 * announced again; left-over routes are reported). Issue 16; the rules
 * are in casework.h and mitigate.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "casework/casework.h"
#include "cli/commands.h"
#include "mitigate/mitigate.h"
#include "settings/config.h"
#include "base/util.h"

struct mit_ctx {
	struct casework *cw;
	struct mitigate *m;
	char errbuf[ERRBUF_SIZE];
};

static int
ctx_open(struct mit_ctx *c, struct options *opt)
{
	struct case_settings cfg;
	struct mitigate_settings ms;
	struct incident_store *s;

	memset(c, 0, sizeof(*c));
	memset(&cfg, 0, sizeof(cfg));
	cfg.opt = opt;
	cfg.our_zone = opt->our_zone;
	c->cw = casework_open(&cfg);
	if ((s = casework_store(c->cw, c->errbuf)) == NULL)
		return -1;
	config_mitigate_settings(opt, incident_store_state_dir(s), &ms);
	if ((c->m = mitigate_open(&ms, c->errbuf)) == NULL)
		return -1;
	return 0;
}

static int
ctx_close(struct mit_ctx *c, int rc, int fail)
{
	if (fail)
		fprintf(stderr, "kyocho mitigation: %s\n", c->errbuf);
	mitigate_free(c->m);
	casework_free(c->cw);
	return fail ? CMD_FAIL : rc;
}

static int
mit_list(struct args *a, struct options *opt)
{
	struct mit_ctx c;
	int64_t now = (int64_t)time(NULL);
	char what[256];
	size_t i;
	int all = args_has(a, "all");

	if (ctx_open(&c, opt) != 0)
		return ctx_close(&c, CMD_FAIL, 1);
	if (args_has(a, "json")) {
		mitigate_list_json(c.m, stdout, now, all);
		return ctx_close(&c, CMD_OK, 0);
	}
	for (i = 0; i < mitigate_count(c.m); i++) {
		const struct mit_entry *e = mitigate_at(c.m, i);

		if (!all && (e->state == MIT_WITHDRAWN ||
		    e->state == MIT_FAILED))
			continue;
		mitigate_summary(&e->rule, what, sizeof(what));
		printf("%-28s %-11s %-16s %-10s %6llds  %s\n", e->id,
		    mitigate_state_name(e->state), e->incident, e->action,
		    (long long)(e->expires_s > now ? e->expires_s - now : 0),
		    what);
	}
	return ctx_close(&c, CMD_OK, 0);
}

static int
mit_reconcile(struct args *a, struct options *opt)
{
	struct mit_ctx c;
	struct mit_reconcile r;
	int rc;

	if (ctx_open(&c, opt) != 0)
		return ctx_close(&c, CMD_FAIL, 1);
	rc = casework_mitigation_reconcile(c.cw, c.m, args_has(a, "yes"),
	    stdout, &r, c.errbuf);
	printf("%zu confirmed, %zu expired, %zu lifted, %zu gone, %zu missing "
	    "(%zu announced again), %zu left over\n", r.confirmed, r.expired,
	    r.lifted, r.gone, r.missing, r.reannounced, r.leftover);
	return ctx_close(&c, CMD_OK, rc != 0);
}

#define END_OPT { .name = NULL }
static const struct args_opt list_opts[] = {
	{ .name = "json", .help = "JSON (the documented contract)" },
	{ .name = "all", .help = "also what was withdrawn or refused" },
	END_OPT,
};
static const struct args_opt reconcile_opts[] = {
	{ .name = "yes", .help = "withdraw and re-announce, not only report" },
	END_OPT,
};

static const struct cmd_entry *const mitigation_verbs[] = {
	&(const struct cmd_entry){ .name = "list", .usage = "[--json] [--all]",
	    .opts = list_opts, .exec = mit_list },
	&(const struct cmd_entry){ .name = "reconcile", .usage = "[--yes]",
	    .opts = reconcile_opts, .exec = mit_reconcile },
	NULL,
};

const struct cmd_entry cmd_mitigation_entry = {
	.name = "mitigation",
	.help = "RTBH and FlowSpec announcements: list, reconcile",
	.text = "Also --state DIR and the mitigation settings "
	    "(kyocho.conf(5)).\n",
	.sub = mitigation_verbs,
};
