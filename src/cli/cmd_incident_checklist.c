/*
 * cmd_incident_checklist.c -- the verbs of `kyocho incident` around the
 * action gate: a checklist and its answers (checklist, accept, answer),
 * the actions and their states (actions, action, with the routing
 * announcement when a mitigation speaker is configured) and override.
 * The rules are the casework's (casework.h); the table is in
 * cmd_incident.c.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "casework/casework.h"
#include "case/checklist.h"
#include "cli/cmd_incident_impl.h"
#include "cli/commands.h"
#include "settings/config.h"
#include "case/incident.h"
#include "base/jsonw.h"
#include "base/json.h"
#include "base/util.h"
#include "mitigate/mitigate.h"

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
		inc_print_safe(stdout, cl->source);
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
		inc_print_safe(stdout, checklist_qtext(q->q, lang));
		putchar('\n');
		if (q->answer != NULL) {
			snprintf(buf, sizeof(buf), "%s -- %s (%s; %s%s%s)",
			    json_gets(q->answer->j, "answer", ""),
			    json_gets(q->answer->j, "reason", ""),
			    q->answer->operator, q->source,
			    q->from != NULL ? " from " : "",
			    q->from != NULL ? q->from : "");
			printf("         = ");
			inc_print_safe(stdout, buf);
			putchar('\n');
		} else if (q->visible) {
			const struct case_proposal *p = proposal_for(props, np,
			    q->q->id);

			if (p != NULL) {
				snprintf(buf, sizeof(buf), "proposed (%s%s): %s",
				    p->source, p->unverified ? "; unverified "
				    "row: confirm with legal" : "", p->answer);
				printf("         ? ");
				inc_print_safe(stdout, buf);
				putchar('\n');
			}
		}
	}
	if (pb != NULL) {
		printf("  playbook ");
		inc_print_safe(stdout, pb->name);
		printf(" approved by ");
		inc_print_safe(stdout, pb->approved_by);
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

/* The checklist of the action the second word names, or NULL (printed). */
static const struct checklist *
case_checklist(struct incident_case *c, const struct args *a,
    const struct options *opt)
{
	const struct checklist *cl;

	(void)opt;
	if ((c->cs = load_checklists(c->cw, c->errbuf)) == NULL) {
		fprintf(stderr, "kyocho incident: ");
		inc_print_safe(stderr, c->errbuf);
		fputc('\n', stderr);
		return NULL;
	}
	if ((cl = checklist_find(c->cs, args_word(a, 1))) == NULL) {
		fprintf(stderr, "kyocho incident: no checklist '");
		inc_print_safe(stderr, args_word(a, 1));
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

int
inc_checklist(struct args *a, struct options *opt)
{
	struct incident_case c;
	const struct checklist *cl;

	CASE_OPEN(&c, a, opt, 1);
	if ((cl = case_checklist(&c, a, opt)) == NULL)
		return inc_case_close(&c, CMD_FAIL, 0);
	if (args_has(a, "json"))
		checklist_json(c.cw, cl, c.inc);
	else
		show_checklist(c.cw, c.cs, cl, c.inc, args_get(a, "lang"));
	return inc_case_close(&c, CMD_OK, 0);
}

int
inc_accept(struct args *a, struct options *opt)
{
	struct incident_case c;
	size_t n;

	CASE_OPEN(&c, a, opt, 1);
	if (casework_accept(c.cw, c.inc, args_word(a, 1), &n, c.errbuf) != 0)
		return inc_case_close(&c, CMD_FAIL, 1);
	printf("%zu proposal%s journaled\n", n, n == 1 ? "" : "s");
	return inc_case_close(&c, CMD_OK, 0);
}

int
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
	return inc_case_close(&c, CMD_OK, 0);
}

int
inc_answer(struct args *a, struct options *opt)
{
	struct incident_case c;
	const struct checklist *cl;
	const char *action = args_word(a, 1), *q = args_word(a, 2);
	const char *ans = args_word(a, 3);

	CASE_OPEN(&c, a, opt, 1);
	if ((cl = case_checklist(&c, a, opt)) == NULL)
		return inc_case_close(&c, CMD_FAIL, 0);
	if (checklist_answer_check(cl, q, ans, c.errbuf) != 0 ||
	    incident_answer(c.s, c.inc, action, q, ans,
	    inc_opt_or(a, "reason", ""), c.errbuf) != 0)
		return inc_case_close(&c, CMD_FAIL, 1);
	return inc_case_close(&c, CMD_OK, 0);
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

int
inc_check_proto(const char *v, char *errbuf)
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
		return inc_case_close(c, CMD_FAIL, 1);
	if (st == ACT_LIFTED) {
		if (casework_unmitigate(c->cw, m, c->inc, action, &n,
		    c->errbuf) == 0) {
			printf("%s: %zu announcement%s withdrawn\n", action, n,
			    n == 1 ? "" : "s");
			rc = CMD_OK;
		}
		mitigate_free(m);
		return inc_case_close(c, rc, rc != CMD_OK);
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
		inc_print_safe(stderr, c->errbuf);
		fputc('\n', stderr);
		mitigate_free(m);
		return inc_case_close(c, CMD_FAIL, 0);
	}
	mitigate_describe(m, &r, desc, sizeof(desc));
	snprintf(q, sizeof(q), "Announce %s for %u s?", desc, ttl);
	if (!args_has(a, "yes")) {
		if (!isatty(0)) {
			fprintf(stderr, "kyocho incident: not announced: "
			    "nobody to confirm at a terminal; pass --yes to "
			    "announce %s for %u s\n", desc, ttl);
			mitigate_free(m);
			return inc_case_close(c, CMD_FAIL, 0);
		}
		if (!confirm(q)) {
			fprintf(stderr, "kyocho incident: not announced\n");
			mitigate_free(m);
			return inc_case_close(c, CMD_FAIL, 0);
		}
	}
	if (casework_mitigate(c->cw, m, c->inc, action, &r, ttl,
	    c->errbuf) == 0) {
		printf("announced %s for %u s\n", desc, ttl);
		rc = CMD_OK;
	}
	mitigate_free(m);
	return inc_case_close(c, rc, rc != CMD_OK);
}

int
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
	    inc_opt_or(a, "detail", ""), c.errbuf) != 0)
		return inc_case_close(&c, CMD_FAIL, 1);
	return inc_case_close(&c, CMD_OK, 0);
}

int
inc_override(struct args *a, struct options *opt)
{
	struct incident_case c;

	CASE_OPEN(&c, a, opt, 1);
	if (incident_override(c.s, c.inc, args_word(a, 1),
	    inc_opt_or(a, "reason", ""), c.errbuf) != 0)
		return inc_case_close(&c, CMD_FAIL, 1);
	return inc_case_close(&c, CMD_OK, 0);
}
