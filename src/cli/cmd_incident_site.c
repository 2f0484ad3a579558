/*
 * cmd_incident_site.c -- the phishing verbs of `kyocho incident`: new --url
 * (the incident, its site and the first lookup), lookup (resolve the host
 * again through site_resolve.c and journal what changed), takedown and
 * counterparts (who to ask, ranked by the casework). The table is in
 * cmd_incident.c.
 */
#include <stdio.h>
#include <string.h>

#include "casework/casework.h"
#include "cli/cmd_incident_impl.h"
#include "cli/commands.h"
#include "casework/site_resolve.h"
#include "settings/config.h"
#include "case/escalate.h"
#include "case/incident.h"
#include "base/defang.h"
#include "base/jsonw.h"
#include "base/util.h"
#include "enrich/target.h"
#include "time/tz.h"

/* Resolve inc's host and journal what changed; prints what happened. */
static int
site_refresh(struct incident_case *c, const struct options *opt)
{
	const struct incident_event *site = incident_site_event(c->inc);
	struct site_lookup l;
	enum site_change ch;
	char h[512];

	if (site == NULL)
		return err_set(c->errbuf, "%s is not a phishing incident (no "
		    "site recorded)", c->inc->id);
	if (site_resolve(opt, site->ev.u.site.host, &l, c->errbuf) != 0 ||
	    casework_site_lookup(c->cw, c->inc, &l, &ch, c->errbuf) != 0)
		return -1;
	printf("%s %s: %s%s%s, %zu address%s -- %s\n", c->inc->id,
	    defang(l.host, h, sizeof(h)), l.status, l.error[0] ? " " : "",
	    l.error, l.naddrs, l.naddrs == 1 ? "" : "es",
	    ch == SITE_SAME ? "unchanged" : ch == SITE_NEW ? "new evidence" :
	    "new evidence; takedown recorded (the host no longer resolves)");
	return 0;
}

int
inc_lookup(struct args *a, struct options *opt)
{
	struct incident_case c;

	CASE_OPEN(&c, a, opt, 1);
	if (site_refresh(&c, opt) != 0)
		return inc_case_close(&c, CMD_FAIL, 1);
	return inc_case_close(&c, CMD_OK, 0);
}

int
inc_takedown(struct args *a, struct options *opt)
{
	struct incident_case c;

	CASE_OPEN(&c, a, opt, 1);
	if (casework_takedown(c.cw, c.inc, inc_opt_or(a, "detail", ""),
	    c.errbuf) != 0)
		return inc_case_close(&c, CMD_FAIL, 1);
	return inc_case_close(&c, CMD_OK, 0);
}

int
inc_counterparts(struct args *a, struct options *opt)
{
	struct incident_case c;
	struct esc_suggestion *s;
	char cc[3] = "", buf[1024];
	const char *oc = args_get(a, "our-country");
	size_t i, n;
	int64_t at = inc_clock_now(a) / 1000000;

	CASE_OPEN(&c, a, opt, 1);
	if (oc != NULL && strlen(oc) == 2) {
		cc[0] = (char)(oc[0] & ~0x20);
		cc[1] = (char)(oc[1] & ~0x20);
		cc[2] = '\0';
	} else if (oc == NULL) {
		const char *zone = opt->our_zone != NULL ? opt->our_zone :
		    tz_name(tz_local_zone());

		if (tz_zone_country(zone, cc, buf) < 0)
			cc[0] = '\0';
	}
	n = casework_phish_rank(c.cw, c.inc, cc, at, &s);
	if (args_has(a, "json")) {
		struct jsonw w;

		jsonw_init(&w, stdout, 0);
		escalate_json(&w, s, n, at);
		jsonw_end(&w);
	} else
		for (i = 0; i < n; i++) {
			snprintf(buf, sizeof(buf), "%-2zu %-14s %-24s %-28s %s",
			    i + 1, escalate_role_name(s[i].role),
			    s[i].c != NULL ? s[i].c->id : "(dns/rdap)",
			    s[i].to[0] ? s[i].to : "-", s[i].reason);
			inc_print_safe(stdout, buf);
			putchar('\n');
		}
	escalate_free(s, n);
	return inc_case_close(&c, CMD_OK, 0);
}

/* new --url: a phishing incident, its site and (unless --no-lookup) the
 * first lookup of its host. */
int
inc_new_site(struct args *a, struct options *opt)
{
	struct incident_case c;
	struct target t;
	char err[ERRBUF_SIZE];
	int64_t first = 0;

	if (target_parse(args_get(a, "url"), &t, err) != 0) {
		fprintf(stderr, "kyocho incident: ");
		inc_print_safe(stderr, err);
		fputc('\n', stderr);
		return CMD_USAGE;
	}
	if (args_get(a, "first-seen") != NULL &&
	    time_parse_rfc3339(args_get(a, "first-seen"), &first) != 0)
		return args_usage_error(a, "--first-seen is an RFC 3339 time");
	CASE_OPEN(&c, a, opt, 0);
	if (casework_create_phishing(c.cw, args_get(a, "kind"),
	    t.url[0] != '\0' ? t.url : t.host, t.host, args_get(a, "brand"),
	    args_get(a, "title"), args_get(a, "tlp"), first, &c.inc,
	    c.errbuf) != 0)
		return inc_case_close(&c, CMD_FAIL, 1);
	printf("%s\n", c.inc->id);
	if (!args_has(a, "no-lookup") && site_refresh(&c, opt) != 0) {
		/* The incident stands; the lookup can be run again. */
		fprintf(stderr, "kyocho incident: lookup: ");
		inc_print_safe(stderr, c.errbuf);
		fputc('\n', stderr);
	}
	return inc_case_close(&c, CMD_OK, 0);
}
