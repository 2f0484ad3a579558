/*
 * cmd_incident.c -- `kyocho incident`: incidents from the command line, for
 * scripts, tests and operators without the terminal UI. Each verb is one
 * model call (casework.h for the rules: default TLP, the action gate;
 * incident.h, checklist.h, draft.h); what the journal says is printed
 * sanitized.
 *
 *   kyocho incident list [--json]
 *   kyocho incident new --kind K --title T [--tlp L] [--source alert|manual]
 *   kyocho incident new --kind phishing --url URL [--brand B]
 *       [--first-seen TIME] [--title T] [--no-lookup]
 *   kyocho incident lookup ID
 *   kyocho incident takedown ID [--detail D]
 *   kyocho incident counterparts ID [--json] [--our-country CC]
 *   kyocho incident show ID [--lang ja]
 *   kyocho incident note ID TEXT [--repeat N]
 *   kyocho incident checklist ID ACTION [--lang ja] [--json]
 *   kyocho incident accept ID ACTION
 *   kyocho incident actions ID [--json]
 *   kyocho incident answer ID ACTION QUESTION ANSWER --reason R
 *   kyocho incident action ID ACTION proposed|taken|lifted [--detail D]
 *   kyocho incident override ID ACTION --reason R
 *   kyocho incident contact ID attempt|reply|ack|resolution --channel C
 *       [--contact CID] [--whom W] [--text T]
 *   kyocho incident draft ID TEMPLATE [--lang L] [--to ADDR] [--contact CID]
 *       [--whom W] [--tz-offset +HH:MM] [--tz-name NAME]
 *   kyocho incident close ID --reason R | reopen ID
 *   kyocho incident history CONTACT-ID
 *   kyocho incident export ID --format xarf|misp|stix [--for CID] [-o FILE]
 *   kyocho incident import FILE
 * Common: --at TIME (RFC 3339; every event gets this time, for tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "casework/casework.h"
#include "case/checklist.h"
#include "cli/cmd_foralert.h"
#include "cli/commands.h"
#include "settings/config.h"
#include "case/draft.h"
#include "case/incident.h"
#include "base/defang.h"
#include "base/jsonw.h"
#include "base/json.h"
#include "export/export.h"
#include "base/util.h"
#include "mitigate/mitigate.h"
#include "casework/site_resolve.h"
#include "enrich/target.h"
#include "time/tz.h"

/* --at, --tz-offset: checked when parsed, read by the verbs. */
static int
check_at(const char *v, char *errbuf)
{
	int64_t us;

	if (time_parse_rfc3339(v, &us) != 0)
		return err_set(errbuf, "'%s' is not an RFC 3339 time", v);
	return 0;
}

static int
parse_offset(const char *v, int *out)
{
	int h, m;

	if ((v[0] == '+' || v[0] == '-') && strlen(v) == 6 && v[3] == ':' &&
	    sscanf(v + 1, "%2d:%2d", &h, &m) == 2 && h <= 18 && m < 60) {
		*out = (v[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
		return 0;
	}
	return -1;
}

static int
check_offset(const char *v, char *errbuf)
{
	int off;

	if (parse_offset(v, &off) != 0)
		return err_set(errbuf, "'%s' is not an offset such as +09:00", v);
	return 0;
}

static void
print_safe(FILE *f, const char *s)
{
	char buf[INCIDENT_TEXT_MAX * 2];

	text_sanitize(buf, sizeof(buf), s, strlen(s));
	fputs(buf, f);
}

static void
print_diags(const struct incident_store *s)
{
	const struct journal_diags *d = incident_store_diags(s);
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "kyocho: %s\n", d->v[i].msg);
}

/* The casework's checklists, loaded on first use; NULL (errbuf) if none. */
static const struct checklist_set *
load_checklists(struct casework *cw, char *errbuf)
{
	return casework_load_checklists(cw, errbuf) == 0 ?
	    casework_checklists(cw) : NULL;
}

/* The proposal for question q among props[0..n), or NULL. */
static const struct case_proposal *
proposal_for(const struct case_proposal *props, size_t n, const char *q)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(props[i].question, q) == 0)
			return &props[i];
	return NULL;
}

static void
show_checklist(struct casework *cw, const struct checklist_set *cs,
    const struct checklist *cl, const struct incident *inc, const char *lang)
{
	struct checklist_eval ev;
	struct case_proposal props[CHECKLIST_MAXQ];
	const struct playbook *pb = casework_playbook_for(cw, inc, cl->id);
	char buf[1024];
	size_t i, np = casework_proposals(cw, inc, cl, props, NITEMS(props));
	int ja = lang != NULL && strcmp(lang, "ja") == 0;

	checklist_evaluate(cl, inc, &ev);
	printf("%s [%s]: %s\n", cl->id, checklist_status_name(ev.status),
	    checklist_title(cl, lang));
	printf("  %s\n", ja ? cl->case_ja : cl->case_en);
	printf("  %s\n", ja ? cl->edition_ja : cl->edition_en);
	if (cl->source != NULL) {
		printf("  source: ");
		print_safe(stdout, cl->source);
		putchar('\n');
	}
	printf("  %s\n", ja ? "適用されうる違法性阻却事由：" :
	    "grounds that may apply:");
	for (i = 0; i < cl->ngrounds; i++) {
		const struct checklist_ground *gr = checklist_ground_find(cs,
		    cl->grounds[i]);

		printf("    %s: %s (%s)%s%s\n", gr->id, ja ? gr->name_ja :
		    gr->name_en, gr->article, cl->unverified[i] ? " -- " : "",
		    cl->unverified[i] ? (ja ? cs->unverified_ja :
		    cs->unverified_en) : "");
	}
	for (i = 0; i < ev.nq; i++) {
		const struct checklist_qstate *q = &ev.q[i];
		const char *mark;

		if (!q->visible && q->answer == NULL)
			continue;
		mark = !q->visible ? "n/a " : q->failed ? "FAIL" :
		    q->answer == NULL || !q->valid ? "open" : "ok  ";
		printf("  [%s] %-20s ", mark, q->q->id);
		print_safe(stdout, checklist_qtext(q->q, lang));
		putchar('\n');
		if (q->answer != NULL) {
			snprintf(buf, sizeof(buf), "%s -- %s (%s; %s%s%s)",
			    json_gets(q->answer->j, "answer", ""),
			    json_gets(q->answer->j, "reason", ""),
			    q->answer->operator, q->source,
			    q->from != NULL ? " from " : "",
			    q->from != NULL ? q->from : "");
			printf("         = ");
			print_safe(stdout, buf);
			putchar('\n');
		} else if (q->visible) {
			const struct case_proposal *p = proposal_for(props, np,
			    q->q->id);

			if (p != NULL) {
				snprintf(buf, sizeof(buf), "proposed (%s%s): %s",
				    p->source, p->unverified ? "; unverified "
				    "row: confirm with legal" : "", p->answer);
				printf("         ? ");
				print_safe(stdout, buf);
				putchar('\n');
			}
		}
	}
	if (pb != NULL) {
		printf("  playbook ");
		print_safe(stdout, pb->name);
		printf(" approved by ");
		print_safe(stdout, pb->approved_by);
		printf(" on %s: kyocho incident accept %s %s\n",
		    pb->approved_on, inc->id, cl->id);
	}
	if (ev.ground != NULL && ev.ground_unverified)
		printf("  %s: %s\n", ev.ground, ja ? cs->unverified_ja :
		    cs->unverified_en);
	if (incident_override_for(inc, cl->id) != NULL)
		printf("  OVERRIDE recorded\n");
	printf("  %s\n", ja ? cs->disclaimer_ja : cs->disclaimer_en);
}

/*
 * What a verb works on: the store (opened from --state) and, for the verbs
 * whose first word is an incident ID, that incident.
 */
struct incident_case {
	struct casework *cw;		/* the rules and what they read */
	struct incident_store *s;	/* the casework's store */
	struct incident *inc;		/* NULL for list, new, history */
	const struct checklist_set *cs;	/* loaded by the verbs that need it */
	char errbuf[ERRBUF_SIZE];
};

/*
 * Open the store for a verb; with_incident: find the incident its first
 * word names. Returns 0, or CMD_FAIL after printing why (c is then to be
 * closed all the same).
 */
static int
case_open(struct incident_case *c, const struct args *a,
    const struct options *opt, int with_incident)
{
	struct case_settings cfg;
	int64_t at = 0;

	memset(c, 0, sizeof(*c));
	if (args_get(a, "at") != NULL)
		(void)time_parse_rfc3339(args_get(a, "at"), &at); /* checked */
	memset(&cfg, 0, sizeof(cfg));
	cfg.opt = opt;
	cfg.our_zone = opt->our_zone;
	cfg.fixed_now = at;
	c->cw = casework_open(&cfg);
	if ((c->s = casework_store(c->cw, c->errbuf)) == NULL) {
		fprintf(stderr, "kyocho incident: %s\n", c->errbuf);
		return CMD_FAIL;
	}
	if (with_incident &&
	    (c->inc = incident_find(c->s, args_word(a, 0))) == NULL) {
		fprintf(stderr, "kyocho incident: no incident '");
		print_safe(stderr, args_word(a, 0));
		fprintf(stderr, "' in %s\n", incident_store_dir(c->s));
		return CMD_FAIL;
	}
	return 0;
}

/* Close c; rc CMD_FAIL prints c's errbuf when fail is set. Returns rc. */
static int
case_close(struct incident_case *c, int rc, int fail)
{
	if (fail) {
		fprintf(stderr, "kyocho incident: ");
		print_safe(stderr, c->errbuf);
		fputc('\n', stderr);
		rc = CMD_FAIL;
	}
	casework_free(c->cw);
	return rc;
}

/* Open c for a verb, returning from the verb when that fails. */
#define CASE_OPEN(c, a, opt, with_incident) do {			\
	int rc_ = case_open((c), (a), (opt), (with_incident));		\
	if (rc_ != 0)							\
		return case_close((c), rc_, 0);				\
} while (0)

/* The value of option name, or def. */
static const char *
opt_or(const struct args *a, const char *name, const char *def)
{
	const char *v = args_get(a, name);

	return v != NULL ? v : def;
}

/* A duration in seconds as "3d 04h 05m" (or "-" when -1). */
static char *
dur(char *buf, size_t len, int64_t s)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else if (s >= 86400)
		snprintf(buf, len, "%lldd %02lldh %02lldm", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%lldh %02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	return buf;
}

static void
kdur(struct jsonw *w, const char *key, int64_t s)
{
	jsonw_key(w, key);
	if (s < 0)
		jsonw_null(w);
	else
		jsonw_i64(w, s);
}

static void
ktime(struct jsonw *w, const char *key, int64_t us)
{
	char ts[40];

	jsonw_key(w, key);
	if (us == 0)
		jsonw_null(w);
	else
		jsonw_str(w, time_rfc3339(ts, sizeof(ts), us, 0));
}

/*
 * The contract of `kyocho incident list --json` (issue 14): an array of
 * {"id","status","kind","title","last","journal_problems"} and, for a
 * phishing incident, "phishing": {"url" (defanged),"host" (defanged),
 * "brand","first_seen","first_report","first_answer","takedown",
 * "since_first_seen_s","since_first_report_s","to_first_answer_s",
 * "to_takedown_s","report_to_takedown_s","follow_up_due",
 * "follow_up_due_now","follow_up_contact"} (times RFC 3339 UTC or null,
 * durations in seconds or null).
 */
static void
list_json(struct casework *cw, struct incident_store *s, int64_t now)
{
	struct jsonw w;
	char ts[40], buf[2048];
	size_t i;

	jsonw_init(&w, stdout, 0);
	jsonw_arr_open(&w);
	for (i = 0; i < incident_store_count(s); i++) {
		const struct incident *x = incident_store_at(s, i);
		const struct incident_event *site = incident_site_event(x);
		struct phish_clock pc;

		jsonw_obj_open(&w);
		jsonw_kstr(&w, "id", x->id);
		jsonw_kstr(&w, "status", x->status == INC_CLOSED ? "closed" :
		    "open");
		jsonw_kstr(&w, "kind", x->kind);
		jsonw_kstr(&w, "title", x->title);
		jsonw_kstr(&w, "last", time_rfc3339(ts, sizeof(ts), x->last_us,
		    0));
		jsonw_kbool(&w, "journal_problems", x->ndiag > 0);
		if (casework_phish_clock(cw, x, now, &pc) && site != NULL) {
			jsonw_key(&w, "phishing");
			jsonw_obj_open(&w);
			jsonw_kstr(&w, "url", defang(site->ev.u.site.url, buf,
			    sizeof(buf)));
			jsonw_kstr(&w, "host", defang(site->ev.u.site.host, buf,
			    sizeof(buf)));
			text_sanitize(buf, sizeof(buf), site->ev.u.site.brand,
			    strlen(site->ev.u.site.brand));
			jsonw_kstr(&w, "brand", buf);
			ktime(&w, "first_seen", pc.first_seen_us);
			ktime(&w, "first_report", pc.first_report_us);
			ktime(&w, "first_answer", pc.first_answer_us);
			ktime(&w, "takedown", pc.takedown_us);
			kdur(&w, "since_first_seen_s", pc.since_seen_s);
			kdur(&w, "since_first_report_s", pc.since_report_s);
			kdur(&w, "to_first_answer_s", pc.to_answer_s);
			kdur(&w, "to_takedown_s", pc.to_takedown_s);
			kdur(&w, "report_to_takedown_s", pc.report_to_takedown_s);
			ktime(&w, "follow_up_due", pc.follow_up_due_us);
			jsonw_kbool(&w, "follow_up_due_now", pc.follow_up_now);
			jsonw_key(&w, "follow_up_contact");
			if (pc.follow_up_due_us != 0) {
				text_sanitize(buf, sizeof(buf),
				    pc.follow_up_contact,
				    strlen(pc.follow_up_contact));
				jsonw_str(&w, buf);
			} else
				jsonw_null(&w);
			jsonw_obj_close(&w);
		}
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_end(&w);
}

/* The time the clock is read at: --at, else now. */
static int64_t
clock_now(const struct args *a)
{
	int64_t us;

	if (args_get(a, "at") != NULL &&
	    time_parse_rfc3339(args_get(a, "at"), &us) == 0)
		return us;
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
}

static int
inc_list(struct args *a, struct options *opt)
{
	struct incident_case c;
	char ts[32], line[2048], d1[32], d2[32];
	size_t i;
	int64_t now = clock_now(a);

	CASE_OPEN(&c, a, opt, 0);
	print_diags(c.s);
	if (args_has(a, "json")) {
		list_json(c.cw, c.s, now);
		return case_close(&c, CMD_OK, 0);
	}
	for (i = 0; i < incident_store_count(c.s); i++) {
		const struct incident *x = incident_store_at(c.s, i);
		struct phish_clock pc;
		char extra[256] = "";

		if (casework_phish_clock(c.cw, x, now, &pc))
			snprintf(extra, sizeof(extra), "  [seen %s ago, %s%s%s]",
			    dur(d1, sizeof(d1), pc.since_seen_s),
			    pc.takedown_us ? "down after " : "up",
			    pc.takedown_us ? dur(d2, sizeof(d2),
			    pc.to_takedown_s) : "", pc.follow_up_now ?
			    ", FOLLOW-UP DUE" : "");
		snprintf(line, sizeof(line), "%s  %-6s  %-16s  %s  %s%s%s",
		    x->id, x->status == INC_CLOSED ? "closed" : "open",
		    x->kind, time_rfc3339(ts, sizeof(ts), x->last_us, 0),
		    x->title, extra, x->ndiag ? "  [journal problems]" : "");
		print_safe(stdout, line);
		putchar('\n');
	}
	return case_close(&c, CMD_OK, 0);
}

/*
 * new --from-alert FILE: what the terminal's `e` does. The kind, TLP and
 * source come from the casework's rules; the title, if not given, is the
 * terminal's ("syn_flood inbound 203.0.113.10").
 */
static int
inc_new_from_alert(struct args *a, struct options *opt)
{
	struct incident_case c;
	struct incident_srcinfo src[ALERT_TOP_SOURCES];
	struct alert al;
	struct json *tree;
	char *text, title[256], addr[ADDR_STRLEN], e2[ERRBUF_SIZE];
	const char *file = args_get(a, "from-alert");
	size_t len = 0, erroff = 0;
	unsigned i;
	int rc;

	if (args_get(a, "kind") != NULL || args_get(a, "tlp") != NULL ||
	    args_get(a, "source") != NULL)
		return args_usage_error(a, "--from-alert decides --kind, --tlp "
		    "and --source from the alert (as the terminal's e does)");
	CASE_OPEN(&c, a, opt, 0);
	if ((text = alert_file_read(file, &len, c.errbuf)) == NULL)
		return case_close(&c, CMD_FAIL, 1);
	tree = json_parse(text, len, 0, &erroff, e2);
	free(text);
	if (tree == NULL || casework_alert_from_json(tree, &al, e2) != 0) {
		json_free(tree);
		err_set(c.errbuf, "%s: %s", file, e2);
		return case_close(&c, CMD_FAIL, 1);
	}
	json_free(tree);
	if (args_get(a, "title") != NULL)
		snprintf(title, sizeof(title), "%s", args_get(a, "title"));
	else
		snprintf(title, sizeof(title), "%s %s %s",
		    alert_kind_name(al.kind), alert_direction_name(al.direction),
		    addr_format(&al.target, addr, sizeof(addr)));
	memset(src, 0, sizeof(src));
	for (i = 0; i < al.ntop && i < ALERT_TOP_SOURCES; i++) {
		src[i].asn = al.top[i].asn;
		memcpy(src[i].cc, al.top[i].country, 2);
	}
	rc = casework_create_from_alert(c.cw, &al, title, src,
	    al.ningress > 0 && al.ingress[0].link[0] != '\0' ?
	    al.ingress[0].link : NULL, &c.inc, c.errbuf);
	if (c.inc != NULL)
		printf("%s\n", c.inc->id);
	return case_close(&c, rc == 0 ? CMD_OK : CMD_FAIL, rc != 0);
}

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

static int
inc_lookup(struct args *a, struct options *opt)
{
	struct incident_case c;

	CASE_OPEN(&c, a, opt, 1);
	if (site_refresh(&c, opt) != 0)
		return case_close(&c, CMD_FAIL, 1);
	return case_close(&c, CMD_OK, 0);
}

static int
inc_takedown(struct args *a, struct options *opt)
{
	struct incident_case c;

	CASE_OPEN(&c, a, opt, 1);
	if (casework_takedown(c.cw, c.inc, opt_or(a, "detail", ""),
	    c.errbuf) != 0)
		return case_close(&c, CMD_FAIL, 1);
	return case_close(&c, CMD_OK, 0);
}

static int
inc_counterparts(struct args *a, struct options *opt)
{
	struct incident_case c;
	struct esc_suggestion *s;
	char cc[3] = "", buf[1024];
	const char *oc = args_get(a, "our-country");
	size_t i, n;
	int64_t at = clock_now(a) / 1000000;

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
			print_safe(stdout, buf);
			putchar('\n');
		}
	escalate_free(s, n);
	return case_close(&c, CMD_OK, 0);
}

/* new --url: a phishing incident, its site and (unless --no-lookup) the
 * first lookup of its host. */
static int
inc_new_site(struct args *a, struct options *opt)
{
	struct incident_case c;
	struct target t;
	char err[ERRBUF_SIZE];
	int64_t first = 0;

	if (target_parse(args_get(a, "url"), &t, err) != 0) {
		fprintf(stderr, "kyocho incident: ");
		print_safe(stderr, err);
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
		return case_close(&c, CMD_FAIL, 1);
	printf("%s\n", c.inc->id);
	if (!args_has(a, "no-lookup") && site_refresh(&c, opt) != 0) {
		/* The incident stands; the lookup can be run again. */
		fprintf(stderr, "kyocho incident: lookup: ");
		print_safe(stderr, c.errbuf);
		fputc('\n', stderr);
	}
	return case_close(&c, CMD_OK, 0);
}

static int
inc_new(struct args *a, struct options *opt)
{
	struct incident_case c;

	if (args_get(a, "from-alert") != NULL)
		return inc_new_from_alert(a, opt);
	if (args_get(a, "url") != NULL)
		return inc_new_site(a, opt);
	if (args_get(a, "kind") == NULL || args_get(a, "title") == NULL)
		return args_usage_error(a, "--kind and --title are required "
		    "(or --from-alert FILE)");
	CASE_OPEN(&c, a, opt, 0);
	if (casework_create(c.cw, args_get(a, "kind"), args_get(a, "title"),
	    opt_or(a, "source", "manual"), args_get(a, "tlp"),
	    &c.inc, c.errbuf) != 0)
		return case_close(&c, CMD_FAIL, 1);
	printf("%s\n", c.inc->id);
	return case_close(&c, CMD_OK, 0);
}

static int
inc_show(struct args *a, struct options *opt)
{
	struct incident_case c;
	char ts[32], d[4096];
	size_t i;

	CASE_OPEN(&c, a, opt, 1);
	print_diags(c.s);
	for (i = 0; i < c.inc->nev; i++) {
		const struct incident_event *ev = &c.inc->ev[i];

		printf("%4llu  %s  ", (unsigned long long)ev->seq,
		    time_rfc3339(ts, sizeof(ts), ev->ts_us, 0));
		print_safe(stdout, ev->operator);
		printf("  %s\n", incident_event_describe(ev, args_get(a, "lang"),
		    d, sizeof(d)));
	}
	return case_close(&c, CMD_OK, 0);
}

static int
inc_note(struct args *a, struct options *opt)
{
	struct incident_case c;
	long n, k = args_num(a, "repeat", 1);

	CASE_OPEN(&c, a, opt, 1);
	for (n = 0; n < k; n++) {
		if (incident_note(c.s, c.inc, args_word(a, 1), c.errbuf) != 0)
			return case_close(&c, CMD_FAIL, 1);
		/* Printed only once the event is on disk. */
		printf("confirmed %llu\n", (unsigned long long)
		    incident_store_last_seq(c.s));
		fflush(stdout);
	}
	return case_close(&c, CMD_OK, 0);
}

/* The checklist of the action the second word names, or NULL (printed). */
static const struct checklist *
case_checklist(struct incident_case *c, const struct args *a,
    const struct options *opt)
{
	const struct checklist *cl;

	(void)opt;
	if ((c->cs = load_checklists(c->cw, c->errbuf)) == NULL) {
		fprintf(stderr, "kyocho incident: ");
		print_safe(stderr, c->errbuf);
		fputc('\n', stderr);
		return NULL;
	}
	if ((cl = checklist_find(c->cs, args_word(a, 1))) == NULL) {
		fprintf(stderr, "kyocho incident: no checklist '");
		print_safe(stderr, args_word(a, 1));
		fprintf(stderr, "'\n");
	}
	return cl;
}

/*
 * The contract of `kyocho incident checklist ID ACTION --json` (issue 15):
 * {"action","status","questions":[{"id","type","state","answer",
 * "proposed","source","from"}]}. Every question of the checklist that
 * applies is listed. source is where the answer came from; for an open
 * question, where its proposal would come from, else "operator".
 */
static void
checklist_json(struct casework *cw, const struct checklist *cl,
    const struct incident *inc)
{
	static const char *const types[] = { "yesno", "choice", "text" };
	struct checklist_eval ev;
	struct case_proposal props[CHECKLIST_MAXQ];
	struct jsonw w;
	size_t i, np = casework_proposals(cw, inc, cl, props, NITEMS(props));

	checklist_evaluate(cl, inc, &ev);
	jsonw_init(&w, stdout, 0);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "action", cl->id);
	jsonw_kstr(&w, "status", checklist_status_name(ev.status));
	jsonw_key(&w, "questions");
	jsonw_arr_open(&w);
	for (i = 0; i < ev.nq; i++) {
		const struct checklist_qstate *q = &ev.q[i];
		const struct case_proposal *p = proposal_for(props, np,
		    q->q->id);
		int answered = q->answer != NULL && q->valid;

		if (!q->visible)
			continue;
		jsonw_obj_open(&w);
		jsonw_kstr(&w, "id", q->q->id);
		jsonw_kstr(&w, "type", types[q->q->type]);
		jsonw_kstr(&w, "state", answered ? "answered" : "open");
		jsonw_key(&w, "answer");
		if (answered)
			jsonw_str(&w, json_gets(q->answer->j, "answer", ""));
		else
			jsonw_null(&w);
		jsonw_key(&w, "proposed");
		if (p != NULL)
			jsonw_str(&w, p->answer);
		else
			jsonw_null(&w);
		jsonw_kstr(&w, "source", answered ? q->source : p != NULL ?
		    p->source : "operator");
		jsonw_key(&w, "from");
		if (answered && q->from != NULL)
			jsonw_str(&w, q->from);
		else
			jsonw_null(&w);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_obj_close(&w);
	jsonw_end(&w);
}

static int
inc_checklist(struct args *a, struct options *opt)
{
	struct incident_case c;
	const struct checklist *cl;

	CASE_OPEN(&c, a, opt, 1);
	if ((cl = case_checklist(&c, a, opt)) == NULL)
		return case_close(&c, CMD_FAIL, 0);
	if (args_has(a, "json"))
		checklist_json(c.cw, cl, c.inc);
	else
		show_checklist(c.cw, c.cs, cl, c.inc, args_get(a, "lang"));
	return case_close(&c, CMD_OK, 0);
}

static int
inc_accept(struct args *a, struct options *opt)
{
	struct incident_case c;
	size_t n;

	CASE_OPEN(&c, a, opt, 1);
	if (casework_accept(c.cw, c.inc, args_word(a, 1), &n, c.errbuf) != 0)
		return case_close(&c, CMD_FAIL, 1);
	printf("%zu proposal%s journaled\n", n, n == 1 ? "" : "s");
	return case_close(&c, CMD_OK, 0);
}

static int
inc_actions(struct args *a, struct options *opt)
{
	struct incident_case c;
	struct case_action acts[64];
	struct jsonw w;
	size_t i, n;
	int json = args_has(a, "json") > 0;

	CASE_OPEN(&c, a, opt, 1);
	n = casework_actions(c.cw, c.inc, acts, NITEMS(acts));
	if (json) {
		jsonw_init(&w, stdout, 0);
		jsonw_obj_open(&w);
		jsonw_kstr(&w, "incident", c.inc->id);
		jsonw_kstr(&w, "kind", c.inc->kind);
		jsonw_key(&w, "actions");
		jsonw_arr_open(&w);
	}
	for (i = 0; i < n; i++) {
		const struct case_action *x = &acts[i];
		const char *st = x->has_checklist ?
		    checklist_status_name(x->status) : "no-checklist";
		const char *state = x->state == ACT_NONE ? "not-proposed" :
		    incident_action_state_name(x->state);

		if (json) {
			jsonw_obj_open(&w);
			jsonw_kstr(&w, "action", x->action);
			jsonw_kstr(&w, "state", state);
			jsonw_kstr(&w, "status", st);
			jsonw_ku64(&w, "open", x->nopen);
			jsonw_key(&w, "playbook");
			if (x->playbook != NULL)
				jsonw_str(&w, x->playbook->name);
			else
				jsonw_null(&w);
			jsonw_obj_close(&w);
		} else
			printf("%-18s %-12s checklist %-10s%s%s\n", x->action,
			    state, st, x->playbook != NULL ? "  playbook " : "",
			    x->playbook != NULL ? x->playbook->name : "");
	}
	if (json) {
		jsonw_arr_close(&w);
		jsonw_obj_close(&w);
		jsonw_end(&w);
	}
	return case_close(&c, CMD_OK, 0);
}

static int
inc_answer(struct args *a, struct options *opt)
{
	struct incident_case c;
	const struct checklist *cl;
	const char *action = args_word(a, 1), *q = args_word(a, 2);
	const char *ans = args_word(a, 3);

	CASE_OPEN(&c, a, opt, 1);
	if ((cl = case_checklist(&c, a, opt)) == NULL)
		return case_close(&c, CMD_FAIL, 0);
	if (checklist_answer_check(cl, q, ans, c.errbuf) != 0 ||
	    incident_answer(c.s, c.inc, action, q, ans, opt_or(a, "reason", ""),
	    c.errbuf) != 0)
		return case_close(&c, CMD_FAIL, 1);
	return case_close(&c, CMD_OK, 0);
}

/* "tcp", "udp", "icmp", "icmpv6" or a number 1-255; 0 or -1. */
static int
proto_parse(const char *v, uint8_t *out)
{
	long n;

	if (strcmp(v, "tcp") == 0)
		n = 6;
	else if (strcmp(v, "udp") == 0)
		n = 17;
	else if (strcmp(v, "icmp") == 0)
		n = 1;
	else if (strcmp(v, "icmpv6") == 0)
		n = 58;
	else if (parse_long(v, 1, 255, &n) != 0)
		return -1;
	*out = (uint8_t)n;
	return 0;
}

static int
check_proto(const char *v, char *errbuf)
{
	uint8_t p;

	if (proto_parse(v, &p) != 0)
		return err_set(errbuf, "'%s' is not tcp, udp, icmp, icmpv6 or "
		    "a protocol number", v);
	return 0;
}

/* y/n on the terminal; 1 for yes. */
static int
confirm(const char *question)
{
	char line[64];

	printf("%s [y/N] ", question);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

/*
 * A routing action with a speaker configured: taken announces (behind the
 * gate, after a y/n or --yes), lifted withdraws. Exit 0 only when the
 * speaker accepted the change.
 */
static int
inc_mitigate(struct incident_case *c, struct args *a, struct options *opt,
    const char *action, enum action_state st)
{
	struct mitigate_settings ms;
	struct case_mitigation_req req;
	struct mitigate *m;
	struct mit_rule r;
	char desc[512], q[700];
	unsigned ttl;
	size_t n;
	int rc = CMD_FAIL;

	config_mitigate_settings(opt, incident_store_state_dir(c->s), &ms);
	if ((m = mitigate_open(&ms, c->errbuf)) == NULL)
		return case_close(c, CMD_FAIL, 1);
	if (st == ACT_LIFTED) {
		if (casework_unmitigate(c->cw, m, c->inc, action, &n,
		    c->errbuf) == 0) {
			printf("%s: %zu announcement%s withdrawn\n", action, n,
			    n == 1 ? "" : "s");
			rc = CMD_OK;
		}
		mitigate_free(m);
		return case_close(c, rc, rc != CMD_OK);
	}
	memset(&req, 0, sizeof(req));
	if (args_get(a, "proto") != NULL)
		(void)proto_parse(args_get(a, "proto"), &req.proto); /* checked */
	req.sport = (uint16_t)args_num(a, "sport", 0);
	req.dport = (uint16_t)args_num(a, "dport", 0);
	req.src = args_get(a, "src");
	if (args_get(a, "rate") != NULL &&
	    parse_u64_si(args_get(a, "rate"), &req.rate) != 0) {
		mitigate_free(m);
		return args_usage_error(a, "--rate: '%s' is not a number of "
		    "bytes per second", args_get(a, "rate"));
	}
	ttl = (unsigned)args_num(a, "ttl", (long)mitigate_default_ttl(m));
	if (casework_mitigation_plan(c->cw, m, c->inc, action, &req, &r,
	    c->errbuf) != 0) {
		fprintf(stderr, "kyocho incident: not announced: ");
		print_safe(stderr, c->errbuf);
		fputc('\n', stderr);
		mitigate_free(m);
		return case_close(c, CMD_FAIL, 0);
	}
	mitigate_describe(m, &r, desc, sizeof(desc));
	snprintf(q, sizeof(q), "Announce %s for %u s?", desc, ttl);
	if (!args_has(a, "yes")) {
		if (!isatty(0)) {
			fprintf(stderr, "kyocho incident: not announced: "
			    "nobody to confirm at a terminal; pass --yes to "
			    "announce %s for %u s\n", desc, ttl);
			mitigate_free(m);
			return case_close(c, CMD_FAIL, 0);
		}
		if (!confirm(q)) {
			fprintf(stderr, "kyocho incident: not announced\n");
			mitigate_free(m);
			return case_close(c, CMD_FAIL, 0);
		}
	}
	if (casework_mitigate(c->cw, m, c->inc, action, &r, ttl,
	    c->errbuf) == 0) {
		printf("announced %s for %u s\n", desc, ttl);
		rc = CMD_OK;
	}
	mitigate_free(m);
	return case_close(c, rc, rc != CMD_OK);
}

static int
inc_action(struct args *a, struct options *opt)
{
	struct incident_case c;
	int st;

	if ((st = incident_action_state_parse(args_word(a, 2))) < 0)
		return args_usage_error(a, "the state is proposed, taken or "
		    "lifted");
	CASE_OPEN(&c, a, opt, 1);
	if (opt->mitigation != 0 && mitigate_is_routing(args_word(a, 1)) &&
	    (st == ACT_TAKEN || st == ACT_LIFTED))
		return inc_mitigate(&c, a, opt, args_word(a, 1),
		    (enum action_state)st);
	if (casework_act(c.cw, c.inc, args_word(a, 1), (enum action_state)st,
	    opt_or(a, "detail", ""), c.errbuf) != 0)
		return case_close(&c, CMD_FAIL, 1);
	return case_close(&c, CMD_OK, 0);
}

static int
inc_override(struct args *a, struct options *opt)
{
	struct incident_case c;

	CASE_OPEN(&c, a, opt, 1);
	if (incident_override(c.s, c.inc, args_word(a, 1),
	    opt_or(a, "reason", ""), c.errbuf) != 0)
		return case_close(&c, CMD_FAIL, 1);
	return case_close(&c, CMD_OK, 0);
}

static int
inc_contact(struct args *a, struct options *opt)
{
	struct incident_case c;
	int w;

	if ((w = incident_contact_parse(args_word(a, 1))) < 0)
		return args_usage_error(a, "the event is attempt, reply, ack "
		    "or resolution");
	CASE_OPEN(&c, a, opt, 1);
	if (casework_contact(c.cw, c.inc, (enum contact_what)w,
	    opt_or(a, "channel", "email"), args_get(a, "contact"),
	    args_get(a, "whom"), args_get(a, "text"), c.errbuf) != 0)
		return case_close(&c, CMD_FAIL, 1);
	return case_close(&c, CMD_OK, 0);
}

static int
inc_draft(struct args *a, struct options *opt)
{
	struct incident_case c;
	struct draft_params dp;
	char *path, warn[1024];

	CASE_OPEN(&c, a, opt, 1);
	memset(&dp, 0, sizeof(dp));
	dp.template_id = args_word(a, 1);
	dp.lang = opt_or(a, "lang", "en");
	dp.to = args_get(a, "to");
	dp.contact_id = args_get(a, "contact");
	dp.whom = args_get(a, "whom");
	if (args_get(a, "tz-offset") != NULL) {
		(void)parse_offset(args_get(a, "tz-offset"), &dp.tz_offset_s);
		dp.tz_name = opt_or(a, "tz-name", "");
	} else if (dp.contact_id != NULL &&
	    casework_load_contacts(c.cw, 0, c.errbuf) == 0) {
		/* The recipient's zone from their record. */
		struct contacts *db = casework_contacts(c.cw);
		long ci = contacts_find(db, dp.contact_id);
		struct tz_info ti;

		if (ci >= 0 && contacts_get(db, (size_t)ci)->tz != NULL &&
		    tz_at(contacts_get(db, (size_t)ci)->tz, clock_now(a) /
		    1000000, &ti) == 0) {
			const struct contact *k = contacts_get(db, (size_t)ci);

			dp.tz_offset_s = ti.utc_offset_s;
			dp.tz_name = *k->timezone ? k->timezone : tz_name(k->tz);
		}
	}
	/* said before the draft is written, on stderr: the path stays
	 * the only line on stdout */
	if (casework_draft_warning(c.cw, c.inc, dp.contact_id, warn,
	    sizeof(warn)))
		fprintf(stderr, "kyocho: warning: %s\n", warn);
	if ((path = casework_draft(c.cw, c.inc, &dp, c.errbuf)) == NULL)
		return case_close(&c, CMD_FAIL, 1);
	if (args_has(a, "attach") && casework_draft_attach(c.cw, c.inc,
	    dp.contact_id, path, c.errbuf) != 0) {
		fprintf(stderr, "kyocho incident: draft saved as ");
		print_safe(stderr, path);
		fprintf(stderr, " without an attachment\n");
		free(path);
		return case_close(&c, CMD_FAIL, 1);
	}
	if (casework_request_logged(c.cw, c.inc, dp.contact_id, c.errbuf)
	    != 0) {
		free(path);
		return case_close(&c, CMD_FAIL, 1);
	}
	printf("%s\n", path);
	free(path);
	return case_close(&c, CMD_OK, 0);
}

/* close and reopen */
static int
inc_status(struct args *a, struct options *opt, enum incident_status st)
{
	struct incident_case c;

	CASE_OPEN(&c, a, opt, 1);
	if (incident_set_status(c.s, c.inc, st, opt_or(a, "reason", ""),
	    c.errbuf) != 0)
		return case_close(&c, CMD_FAIL, 1);
	return case_close(&c, CMD_OK, 0);
}

static int
inc_close(struct args *a, struct options *opt)
{
	return inc_status(a, opt, INC_CLOSED);
}

static int
inc_reopen(struct args *a, struct options *opt)
{
	return inc_status(a, opt, INC_OPEN);
}

static int
inc_history(struct args *a, struct options *opt)
{
	struct incident_case c;
	struct contact_history *h;
	char line[2048], t1[32], t2[32], t3[32];
	size_t i, n;

	CASE_OPEN(&c, a, opt, 0);
	n = incident_store_contact_history(c.s, args_word(a, 0), &h);
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "%s  %s  attempts %u  "
		    "first answer %s  resolved %s  %s via %s", h[i].inc->id,
		    time_rfc3339(t1, sizeof(t1), h[i].first_attempt_us, 0),
		    h[i].attempts, h[i].first_answer_us ? time_rfc3339(t2,
		    sizeof(t2), h[i].first_answer_us, 0) : "-",
		    h[i].resolution_us ? time_rfc3339(t3, sizeof(t3),
		    h[i].resolution_us, 0) : "-", h[i].whom, h[i].channel);
		print_safe(stdout, line);
		putchar('\n');
	}
	free(h);
	return case_close(&c, CMD_OK, 0);
}

static int
inc_export(struct args *a, struct options *opt)
{
	struct incident_case c;
	char *doc, *path;
	int fmt = export_format_parse(args_get(a, "format"));

	if (fmt < 0)
		return args_usage_error(a, "--format is xarf, misp or stix");
	CASE_OPEN(&c, a, opt, 1);
	if (casework_export(c.cw, c.inc, (enum export_format)fmt,
	    args_get(a, "for"), opt_or(a, "output", "-"), &doc, &path,
	    c.errbuf) != 0)
		return case_close(&c, CMD_FAIL, 1);
	if (strcmp(path, "-") == 0)
		fputs(doc, stdout);
	else
		printf("%s\n", path);
	free(doc);
	free(path);
	return case_close(&c, CMD_OK, 0);
}

static int
inc_import(struct args *a, struct options *opt)
{
	struct incident_case c;
	const char *name = args_word(a, 0);
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((f = fopen(name, "rb")) == NULL) {
		fprintf(stderr, "kyocho incident: cannot read ");
		print_safe(stderr, name);
		fprintf(stderr, "\n");
		return CMD_FAIL;
	}
	do {
		if (len == cap)
			buf = xreallocarray(buf, cap = cap ? cap * 2 : 65536, 1);
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len < (8u << 20));
	fclose(f);
	CASE_OPEN(&c, a, opt, 0);
	if (casework_import(c.cw, (const uint8_t *)buf, len, name, &c.inc,
	    c.errbuf) != 0) {
		free(buf);
		if (c.inc != NULL)
			printf("%s\n", c.inc->id);
		return case_close(&c, CMD_FAIL, 1);
	}
	free(buf);
	printf("%s\n", c.inc->id);
	return case_close(&c, CMD_OK, 0);
}

/* Options of the verbs (each lists its own; --at is the parent's). */
#define LANG_OPT { .name = "lang", .arg = "LANG", \
	.choices = "en|ja|es|pt|ru", .help = "en (default), ja; drafts also " \
	"es, pt, ru" }
#define REASON_OPT { .name = "reason", .arg = "TEXT", \
	.help = "why (required by the rules)" }
#define END_OPT { .name = NULL }

static const struct args_opt new_opts[] = {
	{ .name = "kind", .arg = "KIND", .help = "incident kind (required)" },
	{ .name = "title", .arg = "TITLE", .help = "title (required)" },
	{ .name = "tlp", .arg = "TLP",
	  .help = "TLP label (default: the kind's, else TLP:AMBER)" },
	{ .name = "source", .arg = "SOURCE", .help = "manual (default) or alert" },
	{ .name = "from-alert", .arg = "FILE",
	  .help = "open it from one alert object (summary --json, --alerts), "
	  "as the terminal's e does" },
	{ .name = "url", .arg = "URL",
	  .help = "a phishing site: its URL or host (defanged is fine)" },
	{ .name = "brand", .arg = "NAME", .help = "the brand it imitates" },
	{ .name = "first-seen", .arg = "TIME", .check = check_at,
	  .help = "when the site was first seen (RFC 3339; default now)" },
	{ .name = "no-lookup", .help = "do not resolve the host now" },
	END_OPT,
};
static const struct args_opt list_opts[] = {
	{ .name = "json", .help = "JSON with the takedown clock (kyocho(1))" },
	END_OPT,
};
static const struct args_opt takedown_opts[] = {
	{ .name = "detail", .arg = "TEXT", .help = "how we know it is down" },
	END_OPT,
};
static const struct args_opt counterpart_opts[] = {
	{ .name = "json", .help = "JSON (as contacts --for-alert)" },
	{ .name = "our-country", .arg = "CC",
	  .help = "our country (default: from our zone)" },
	END_OPT,
};
static const struct args_opt lang_opts[] = { LANG_OPT, END_OPT };
#define JSON_OPT { .name = "json", .help = "JSON (the documented contract)" }
static const struct args_opt checklist_opts[] = { LANG_OPT, JSON_OPT,
    END_OPT };
static const struct args_opt json_opts[] = { JSON_OPT, END_OPT };
static const struct args_opt reason_opts[] = { REASON_OPT, END_OPT };
static const struct args_opt note_opts[] = {
	{ .name = "repeat", .arg = "N", .min = 1, .max = 1000000,
	  .what = "a count", .help = "append the note N times" },
	END_OPT,
};
static const struct args_opt action_opts[] = {
	{ .name = "detail", .arg = "TEXT", .help = "what exactly" },
	{ .name = "ttl", .arg = "SECONDS", .min = 1, .max = 31 * 86400,
	  .what = "a number of seconds",
	  .help = "withdraw the announcement after this long" },
	{ .name = "yes", .help = "announce without asking y/n" },
	{ .name = "proto", .arg = "P", .check = check_proto,
	  .help = "FlowSpec protocol (tcp, udp, icmp, N)" },
	{ .name = "sport", .arg = "PORT", .min = 1, .max = 65535,
	  .what = "a port", .help = "FlowSpec source port" },
	{ .name = "dport", .arg = "PORT", .min = 1, .max = 65535,
	  .what = "a port", .help = "FlowSpec destination port" },
	{ .name = "src", .arg = "PREFIX", .help = "FlowSpec source prefix" },
	{ .name = "rate", .arg = "BYTES", .help = "rate-limit: bytes/s" },
	END_OPT,
};
#define CONTACT_OPT { .name = "contact", .arg = "ID", \
	.help = "the contact's ID in the database" }
#define WHOM_OPT { .name = "whom", .arg = "W", .help = "who, as a name" }
static const struct args_opt contact_opts[] = {
	{ .name = "channel", .arg = "C", .help = "email (default), phone, ..." },
	CONTACT_OPT,
	WHOM_OPT,
	{ .name = "text", .arg = "T", .help = "what was said" },
	END_OPT,
};
static const struct args_opt export_opts[] = {
	{ .name = "format", .arg = "FMT", .choices = "xarf|misp|stix",
	  .help = "X-ARF v4, MISP event or STIX 2.1 bundle (required)" },
	{ .name = "for", .arg = "CONTACT-ID",
	  .help = "the recipient (only its part of the evidence)" },
	{ .name = "output", .sname = 'o', .arg = "FILE",
	  .help = "write to FILE (default: standard output)" },
	END_OPT,
};
static const struct args_opt draft_opts[] = {
	{ .name = "attach", .help = "attach the export that fits --contact" },
	LANG_OPT,
	{ .name = "to", .arg = "ADDR", .help = "recipient address" },
	CONTACT_OPT,
	WHOM_OPT,
	{ .name = "tz-offset", .arg = "+HH:MM", .check = check_offset,
	  .help = "the recipient's UTC offset" },
	{ .name = "tz-name", .arg = "NAME", .help = "the name of that zone" },
	END_OPT,
};

#define VERB(n, u, o, min, fn) (&(const struct cmd_entry){ .name = n, \
	.usage = u, .opts = o, .minargs = min, .maxargs = min, .exec = fn })

static const struct cmd_entry *const incident_verbs[] = {
	VERB("list", "[--json]", list_opts, 0, inc_list),
	VERB("new", "--kind KIND --title TITLE [--tlp LABEL] "
	    "[--source manual|alert] | --from-alert FILE [--title TITLE] | "
	    "--kind phishing --url URL [--brand NAME] [--first-seen TIME] "
	    "[--no-lookup]", new_opts, 0, inc_new),
	VERB("lookup", "ID", NULL, 1, inc_lookup),
	VERB("takedown", "ID [--detail TEXT]", takedown_opts, 1, inc_takedown),
	VERB("counterparts", "ID [--json] [--our-country CC]",
	    counterpart_opts, 1, inc_counterparts),
	VERB("show", "ID [--lang en|ja]", lang_opts, 1, inc_show),
	VERB("note", "ID TEXT [--repeat N]", note_opts, 2, inc_note),
	VERB("checklist", "ID ACTION [--lang en|ja] [--json]", checklist_opts,
	    2, inc_checklist),
	VERB("accept", "ID ACTION", NULL, 2, inc_accept),
	VERB("actions", "ID [--json]", json_opts, 1, inc_actions),
	VERB("answer", "ID ACTION QUESTION ANSWER --reason TEXT", reason_opts,
	    4, inc_answer),
	VERB("action", "ID ACTION proposed|taken|lifted [--detail TEXT] "
	    "[--ttl S] [--yes] [--proto P] [--sport N] [--dport N] "
	    "[--src PREFIX] [--rate BYTES]",
	    action_opts, 3, inc_action),
	VERB("override", "ID ACTION --reason TEXT", reason_opts, 2,
	    inc_override),
	VERB("contact", "ID attempt|reply|ack|resolution --channel C "
	    "[--contact ID] [--whom W] [--text T]", contact_opts, 2,
	    inc_contact),
	VERB("draft", "ID TEMPLATE [--attach] [--lang L] [--to ADDR] [--contact ID] "
	    "[--whom W] [--tz-offset +HH:MM --tz-name NAME]", draft_opts, 2,
	    inc_draft),
	VERB("close", "ID --reason TEXT", reason_opts, 1, inc_close),
	VERB("reopen", "ID", reason_opts, 1, inc_reopen),
	VERB("history", "CONTACT-ID", NULL, 1, inc_history),
	VERB("export", "ID --format xarf|misp|stix [--for CONTACT-ID] "
	    "[-o FILE]", export_opts, 1, inc_export),
	VERB("import", "FILE", NULL, 1, inc_import),
	NULL,
};

static const struct args_opt incident_opts[] = {
	{ .name = "at", .arg = "TIME", .check = check_at,
	  .help = "RFC 3339 time of every event written (for tests)" },
	END_OPT,
};

const struct cmd_entry cmd_incident_entry = {
	.name = "incident",
	.help = "list, create and update incidents (journals)",
	.text = "The options of a verb: kyocho incident VERB --help. Also "
	    "--state DIR, --operator NAME.\n",
	.opts = incident_opts,
	.sub = incident_verbs,
};
