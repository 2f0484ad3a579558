/*
 * test_playbook.c -- playbooks (issue 15): the parser's FILE:LINE errors
 * and bounds, approval rewriting (in place and atomically on disk), the
 * shipped examples (valid, unapproved, so proposing nothing), accepting a
 * playbook through the casework layer (operator answers are never
 * replaced; source and playbook journaled), and answers carried across
 * the actions of one incident (only where the question means the same:
 * the same evidence and ground; never disclosure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/util.h"
#include "case/checklist.h"
#include "case/incident.h"
#include "case/playbook.h"
#include "casework/casework.h"

static char dir[256];
static char *srcdir;

static const char good[] =
    "# a comment\n"
    "playbook pb1\n"
    "  action = rtbh\n"
    "  kinds = spoofed ddos-own\n"
    "  case.en = DoS\n"
    "  case.ja = DoS攻撃\n"
    "  edition.en = 5th\n"
    "  edition.ja = 第5版\n"
    "  row = unverified\n"
    "  facts = min-access\n"
    "\n"
    "propose know\n"
    "  answer = yes\n"
    "  reason.en = reads headers\n"
    "  reason.ja = ヘッダを読む\n"
    "\n"
    "propose ground\n"
    "  answer = self-defence\n"
    "  reason.en = attack\n"
    "  reason.ja = 攻撃\n"
    "  row = sourced\n";

static int
setup(void **state)
{
	const char *src = getenv("KYOCHO_SRCDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kyocho-test-playbook.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	srcdir = xstrdup(src != NULL ? src : ".");
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	free(cmd);
	free(srcdir);
	return 0;
}

static void
test_parse_good(void **state)
{
	char err[ERRBUF_SIZE];
	struct playbook *pb = playbook_parse("pb1.txt", good, strlen(good),
	    err);

	(void)state;
	assert_non_null(pb);
	assert_string_equal(pb->name, "pb1");
	assert_string_equal(pb->action, "rtbh");
	assert_int_equal(pb->nkinds, 2);
	assert_int_equal(pb->nans, 2);
	assert_int_equal(pb->ans[0].unverified, 1);	/* the playbook's row */
	assert_int_equal(pb->ans[1].unverified, 0);	/* its own row */
	assert_string_equal(playbook_reason(&pb->ans[0], "ja"), "ヘッダを読む");
	assert_false(playbook_approved(pb));
	assert_true(playbook_applies(pb, "spoofed"));
	assert_false(playbook_applies(pb, "worm"));
	playbook_free(pb);
}

/* Each broken text fails with the line named. */
static void
test_parse_errors(void **state)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "propose know\n  answer = yes\n", "x.txt:1: propose before" },
		{ "playbook p\n  action = rtbh\n", "x.txt:1: playbook p needs kinds" },
		{ "playbook p\n  action = rtbh\n  kinds = a\n  case.en = c\n"
		  "  case.ja = c\n  edition.en = e\n  edition.ja = e\n"
		  "  row = maybe\n", "x.txt:1: row 'maybe'" },
		{ "playbook p\n  action = rtbh\n  kinds = a\n  case.en = c\n"
		  "  case.ja = c\n  edition.en = e\n  edition.ja = e\n"
		  "  row = sourced\n  approved-by = x\n  approved-on = 2026-13-01\n",
		  "x.txt:1: approved-on '2026-13-01'" },
		{ "playbook p\n  action = rtbh\n  kinds = a\n  case.en = c\n"
		  "  case.ja = c\n  edition.en = e\n  edition.ja = e\n"
		  "  row = sourced\n  approved-by = x\n",
		  "x.txt:1: approved-by and approved-on go together" },
		{ "playbook p\n  action = rtbh\n  kinds = a\n  case.en = c\n"
		  "  case.ja = c\n  edition.en = e\n  edition.ja = e\n"
		  "  row = sourced\n  colour = red\n", "x.txt:9: 'colour'" },
		{ "playbook p\n  action = rtbh\n  kinds = a b!c\n  case.en = c\n"
		  "  case.ja = c\n  edition.en = e\n  edition.ja = e\n"
		  "  row = sourced\n", "x.txt:1: kinds: 'b!c'" },
		{ "playbook p\n  action = rtbh\n  kinds = a\n  case.en = c\n"
		  "  case.ja = c\n  edition.en = e\n  edition.ja = e\n"
		  "  row = sourced\n  facts = know\n\npropose know\n"
		  "  answer = yes\n  reason.en = r\n  reason.ja = r\n",
		  "x.txt:11: 'know' is both a fact and proposed" },
		{ "playbook p\n  action = rtbh\n  kinds = a\n  case.en = c\n"
		  "  case.ja = c\n  edition.en = e\n  edition.ja = e\n"
		  "  row = sourced\n\npropose know\n  answer = yes\n"
		  "  reason.en = r\n  reason.ja = r\npropose know\n"
		  "  answer = no\n  reason.en = r\n  reason.ja = r\n",
		  "x.txt:14: question 'know' is proposed twice" },
		{ "playbook p\n  action = rtbh\n  kinds = a\n  case.en = c\n"
		  "  case.ja = c\n  edition.en = e\n  edition.ja = e\n"
		  "  row = sourced\npropose know\n  answer = yes\n",
		  "x.txt:9: propose know needs answer, reason.en" },
		{ "playbook p\n\x01\n", "x.txt:2: control character" },
		{ "", "x.txt: no 'playbook NAME' block" },
	};
	char err[ERRBUF_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct playbook *pb = playbook_parse("x.txt", cases[i].text,
		    strlen(cases[i].text), err);

		if (pb != NULL || strstr(err, cases[i].want) == NULL)
			fail_msg("case %zu: got '%s', want '%s'", i,
			    pb != NULL ? "(parsed)" : err, cases[i].want);
	}
}

/* More proposals than PLAYBOOK_MAXANS: refused, not overrun. */
static void
test_parse_bounds(void **state)
{
	char err[ERRBUF_SIZE], *text = xstrdup(good), *more;
	struct playbook *pb;
	int i;

	(void)state;
	for (i = 0; i < PLAYBOOK_MAXANS; i++) {
		more = xasprintf("%spropose q%d\n  answer = yes\n  reason.en = r\n"
		    "  reason.ja = r\n", text, i);
		free(text);
		text = more;
	}
	pb = playbook_parse("big.txt", text, strlen(text), err);
	assert_null(pb);
	assert_non_null(strstr(err, "more than 64 proposals"));
	free(text);
}

static void
test_approve_text(void **state)
{
	char err[ERRBUF_SIZE], *out, *again;
	size_t len, len2;
	struct playbook *pb;

	(void)state;
	out = playbook_approve_text("pb1.txt", good, strlen(good),
	    "Legal 法務", "2026-11-20", &len, err);
	assert_non_null(out);
	pb = playbook_parse("pb1.txt", out, len, err);
	assert_non_null(pb);
	assert_true(playbook_approved(pb));
	assert_string_equal(pb->approved_by, "Legal 法務");
	playbook_free(pb);
	/* Every original line is kept, the comment included. */
	assert_non_null(strstr(out, "# a comment\nplaybook pb1\n"
	    "  approved-by = Legal 法務\n  approved-on = 2026-11-20\n"
	    "  action = rtbh\n"));
	/* Approving again replaces in place: no second pair of lines. */
	again = playbook_approve_text("pb1.txt", out, len, "Sato", "2026-12-01",
	    &len2, err);
	assert_non_null(again);
	assert_int_equal(len2, len - strlen("Legal 法務") + strlen("Sato"));
	assert_non_null(strstr(again, "  approved-by = Sato\n"
	    "  approved-on = 2026-12-01\n"));
	assert_null(strstr(again, "Legal"));
	free(again);
	/* Bad approvers and dates are refused. */
	assert_null(playbook_approve_text("p", out, len, "", "2026-11-20",
	    &len2, err));
	assert_null(playbook_approve_text("p", out, len, "a\nb", "2026-11-20",
	    &len2, err));
	assert_null(playbook_approve_text("p", out, len, "a", "20.11.2026",
	    &len2, err));
	assert_null(playbook_approve_text("p", "junk\n", 5, "a", "2026-11-20",
	    &len2, err));
	free(out);
}

static void
test_approve_file(void **state)
{
	char err[ERRBUF_SIZE], *path = xasprintf("%s/pb1.txt", dir), buf[4096];
	FILE *f = fopen(path, "w");
	struct stat st;
	size_t n;

	(void)state;
	assert_non_null(f);
	fputs(good, f);
	fclose(f);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(playbook_approve_file(path, "Legal", "2026-11-20",
	    err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "approved-on = 2026-11-20"));
	/* A refused approval leaves the file as it was. */
	assert_int_equal(playbook_approve_file(path, "", "2026-11-21", err), -1);
	f = fopen(path, "r");
	assert_int_equal(fread(buf, 1, sizeof(buf) - 1, f), n);
	fclose(f);
	free(path);
}

/* A casework over the shipped data, or a copy of it with the playbooks
 * approved (approve != 0), and its own state directory. */
struct world {
	struct options opt;
	struct casework *cw;
	struct incident_store *st;
	char data[300], state[300];
};

static void
world_open(struct world *w, const char *name, int approve)
{
	char err[ERRBUF_SIZE], *cmd;

	memset(w, 0, sizeof(*w));
	snprintf(w->data, sizeof(w->data), "%s/%s-data", dir, name);
	snprintf(w->state, sizeof(w->state), "%s/%s-state", dir, name);
	cmd = xasprintf("cp -r '%s/data' '%s'", srcdir, w->data);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	if (approve) {
		struct playbook_set ps;
		char *pdir = xasprintf("%s/playbooks", w->data);
		size_t i;

		assert_int_equal(playbook_set_load(&ps, pdir, err), 0);
		for (i = 0; i < ps.n; i++)
			assert_int_equal(playbook_approve_file(ps.v[i]->file,
			    "Legal", "2026-11-20", err), 0);
		playbook_set_free(&ps);
		free(pdir);
	}
	config_defaults(&w->opt);
	w->opt.data_dir = w->data;
	w->opt.state_dir = w->state;
	w->opt.operator = "tanaka";
	w->cw = casework_open(&(struct case_settings){ .opt = &w->opt,
	    .fixed_now = 1795651200LL * 1000000 });
	w->st = casework_store(w->cw, err);
	assert_non_null(w->st);
}

static void
world_close(struct world *w)
{
	casework_free(w->cw);
}

/* An incident of kind with evidence of a SYN flood to 203.0.113.10. */
static struct incident *
spoofed_incident(struct world *w, const char *kind)
{
	struct incident *inc;
	struct alert a;
	char err[ERRBUF_SIZE];

	assert_int_equal(casework_create(w->cw, kind, "SYN flood", "alert",
	    NULL, &inc, err), 0);
	memset(&a, 0, sizeof(a));
	a.id = 5;
	assert_int_equal(addr_parse("203.0.113.10", &a.target), 0);
	a.syn = 900000;
	a.peak_pps = 900000;
	a.top_port = 80;
	assert_int_equal(incident_add_evidence(w->st, inc, &a, NULL,
	    "transit-A", err), 0);
	return inc;
}

static const struct checklist_qstate *
qs(const struct checklist_eval *ev, const char *id)
{
	size_t i;

	for (i = 0; i < ev->nq; i++)
		if (strcmp(ev->q[i].q->id, id) == 0)
			return &ev->q[i];
	fail_msg("no question %s", id);
	return NULL;
}

static void
test_shipped_unapproved(void **state)
{
	struct world w;
	struct incident *inc;
	char err[ERRBUF_SIZE];
	size_t n = 99, i;
	const struct playbook_set *ps;

	(void)state;
	world_open(&w, "plain", 0);
	assert_int_equal(casework_load_playbooks(w.cw, err), 0);
	ps = casework_playbooks(w.cw);
	/* One example playbook for every shipped checklist. */
	assert_int_equal(ps->n, casework_checklists(w.cw)->n);
	for (i = 0; i < ps->n; i++) {
		assert_true(ps->v[i]->example);
		assert_false(playbook_approved(ps->v[i]));
	}
	inc = spoofed_incident(&w, "spoofed");
	assert_null(casework_playbook_for(w.cw, inc, "rtbh"));
	assert_int_equal(casework_accept(w.cw, inc, "rtbh", &n, err), -1);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err, "no approved playbook"));
	world_close(&w);
}

static void
test_accept(void **state)
{
	struct world w;
	struct incident *inc;
	const struct checklist *cl;
	struct checklist_eval ev;
	char err[ERRBUF_SIZE];
	size_t n;

	(void)state;
	world_open(&w, "approved", 1);
	inc = spoofed_incident(&w, "spoofed");
	/* ingress-filter is not offered for an inbound flood. */
	assert_false(casework_action_offered(w.cw, "spoofed", "ingress-filter"));
	assert_int_equal(casework_accept(w.cw, inc, "ingress-filter", &n, err),
	    -1);
	/* The operator's own answer is never replaced. */
	assert_int_equal(incident_answer(w.st, inc, "rtbh", "review",
	    "every 10 minutes by suzuki", "our shift rule", err), 0);
	assert_int_equal(casework_accept(w.cw, inc, "rtbh", &n, err), 0);
	assert_int_equal(n, 11);
	cl = checklist_find(casework_checklists(w.cw), "rtbh");
	checklist_evaluate(cl, inc, &ev);
	assert_string_equal(qs(&ev, "review")->source, "operator");
	assert_string_equal(json_gets(qs(&ev, "review")->answer->j, "answer",
	    ""), "every 10 minutes by suzuki");
	assert_string_equal(qs(&ev, "ground")->source, "playbook");
	assert_string_equal(json_gets(qs(&ev, "ground")->answer->j, "playbook",
	    ""), "rtbh");
	assert_non_null(strstr(json_gets(qs(&ev, "ground")->answer->j,
	    "reason", ""), "confirm with your legal/compliance staff"));
	assert_string_equal(qs(&ev, "min-scope")->source, "evidence");
	assert_non_null(strstr(json_gets(qs(&ev, "min-scope")->answer->j,
	    "answer", ""), "TCP SYN to port 80 traffic to 203.0.113.10"));
	assert_null(qs(&ev, "min-access")->answer);
	assert_int_equal(ev.nopen, 2);	/* min-access, rtbh-target-informed */
	/* Accepting again journals nothing new. */
	assert_int_equal(casework_accept(w.cw, inc, "rtbh", &n, err), 0);
	assert_int_equal(n, 0);
	world_close(&w);
}

static void
test_carry(void **state)
{
	struct world w;
	struct incident *inc;
	const struct checklist *rl, *sp;
	struct checklist_eval ev;
	char err[ERRBUF_SIZE];
	struct alert a;

	(void)state;
	world_open(&w, "carry", 0);
	inc = spoofed_incident(&w, "spoofed");
	assert_int_equal(casework_load_checklists(w.cw, err), 0);
	rl = checklist_find(casework_checklists(w.cw), "rate-limit");
	sp = checklist_find(casework_checklists(w.cw), "share-peer");
#define ANS(act, q, v) assert_int_equal(incident_answer(w.st, inc, act, q, \
	v, "r", err), 0)
	ANS("rtbh", "know", "yes");
	ANS("rtbh", "disclose", "no");
	ANS("rtbh", "consent", "no");
	ANS("rtbh", "ground", "self-defence");
	ANS("rtbh", "selfdef-imminent", "yes");
	ANS("rtbh", "selfdef-unavoidable", "yes");
	ANS("rate-limit", "know", "yes");
	ANS("rate-limit", "consent", "no");
	/* Ground not chosen yet for rate-limit: the condition is not asked. */
	checklist_evaluate(rl, inc, &ev);
	assert_false(qs(&ev, "selfdef-imminent")->visible);
	ANS("rate-limit", "ground", "self-defence");
	checklist_evaluate(rl, inc, &ev);
	assert_string_equal(qs(&ev, "selfdef-imminent")->source, "carried");
	assert_string_equal(qs(&ev, "selfdef-imminent")->from, "rtbh");
	/* About the action, not the attack: never carried. */
	assert_null(qs(&ev, "selfdef-unavoidable")->answer);
	assert_null(qs(&ev, "disclose")->answer);
	/* share-peer on another ground: the condition is not carried. */
	ANS("share-peer", "know", "yes");
	ANS("share-peer", "consent", "no");
	ANS("share-peer", "ground", "business");
	checklist_evaluate(sp, inc, &ev);
	assert_false(qs(&ev, "selfdef-imminent")->visible);
	assert_null(qs(&ev, "selfdef-imminent")->answer);
	/* New evidence: the earlier answer no longer carries. */
	memset(&a, 0, sizeof(a));
	a.id = 6;
	assert_int_equal(addr_parse("203.0.113.11", &a.target), 0);
	assert_int_equal(incident_add_evidence(w.st, inc, &a, NULL, NULL, err),
	    0);
	checklist_evaluate(rl, inc, &ev);
	assert_null(qs(&ev, "selfdef-imminent")->answer);
	/* Its own answer is the operator's. */
	ANS("rate-limit", "selfdef-imminent", "yes");
	checklist_evaluate(rl, inc, &ev);
	assert_string_equal(qs(&ev, "selfdef-imminent")->source, "operator");
	assert_null(qs(&ev, "selfdef-imminent")->from);
#undef ANS
	world_close(&w);
}

/* Contacting a peering ISP marks share-peer proposed; a NOG does not. */
static void
test_contact_marks_share(void **state)
{
	struct world w;
	struct incident *inc;
	char err[ERRBUF_SIZE];

	(void)state;
	world_open(&w, "contact", 0);
	inc = spoofed_incident(&w, "spoofed");
	assert_int_equal(casework_contact(w.cw, inc, CONTACT_ATTEMPT, "email",
	    "nanog", "NANOG", "", err), 0);
	assert_int_equal(incident_action_state(inc, "share-peer", NULL),
	    ACT_NONE);
	assert_int_equal(casework_contact(w.cw, inc, CONTACT_ATTEMPT, "email",
	    "example-peer-a", "peer A", "", err), 0);
	assert_int_equal(incident_action_state(inc, "share-peer", NULL),
	    ACT_PROPOSED);
	world_close(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_bounds),
		cmocka_unit_test(test_approve_text),
		cmocka_unit_test(test_approve_file),
		cmocka_unit_test(test_shipped_unapproved),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_carry),
		cmocka_unit_test(test_contact_marks_share),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
