/*
 * test_checklist.c -- checklist definitions (the shipped data/checklists
 * and broken ones with FILE:LINE errors), evaluation against a journal
 * (complete / incomplete / failed, which questions are open), the override
 * rule for taking an action, evidence copied from an alert, and contact
 * response times.
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

#include "base/blockfile.h"
#include "casework/casework.h"
#include "case/checklist.h"
#include "case/incident.h"
#include "base/util.h"

static char dir[256];
static struct checklist_set *cs;
static struct incident_store *st;
/* The gate (casework_act) over the same store and the shipped data. */
static struct options opt;
static struct casework *cw;

static int
setup(void **state)
{
	char errbuf[ERRBUF_SIZE], *cdir;
	const char *src = getenv("KYOCHO_SRCDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kyocho-test-checklist.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	cdir = xasprintf("%s/data/checklists", src != NULL ? src : ".");
	cs = checklist_set_load(cdir, errbuf);
	free(cdir);
	if (cs == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return -1;
	}
	config_defaults(&opt);
	opt.data_dir = xasprintf("%s/data", src != NULL ? src : ".");
	opt.state_dir = dir;
	opt.operator = "tanaka";
	cw = casework_open(&(struct case_settings){ .opt = &opt,
	    .fixed_now = 1795651200LL * 1000000 });
	st = casework_store(cw, errbuf);
	if (st == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	checklist_set_free(cs);
	casework_free(cw);
	free((char *)opt.data_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	free(cmd);
	return 0;
}

static void
test_shipped_definitions(void **state)
{
	const char *ids[] = { "read-headers", "block", "rate-limit", "rtbh",
	    "ingress-filter", "share-peer", "share-csirt", "notify-customer",
	    "block-cc", "ip53b", "op25b", "takedown", "block-malware-site",
	    "dns-water-torture", "flow-analysis-cc", "filter-worm" };
	size_t i;
	const struct checklist *cl;

	(void)state;
	for (i = 0; i < NITEMS(ids); i++) {
		cl = checklist_find(cs, ids[i]);
		assert_non_null(cl);
		assert_non_null(cl->edition_en);
		assert_non_null(cl->case_ja);
		assert_true(cl->ngrounds > 0);
		assert_non_null(checklist_question_find(cl, "know"));
		assert_non_null(checklist_question_find(cl, "review"));
	}
	assert_non_null(strstr(cs->disclaimer_en, "does not replace"));
	assert_non_null(strstr(cs->unverified_en,
	    "confirm with your legal/compliance staff"));
	/* The guideline's unverified readings are marked so. */
	cl = checklist_find(cs, "block");
	assert_int_equal(checklist_ground_unverified(cl, "business"), 1);
	assert_int_equal(checklist_ground_unverified(cl, "self-defence"), 0);
	cl = checklist_find(cs, "read-headers");
	assert_int_equal(checklist_ground_unverified(cl, "business"), 1);
	cl = checklist_find(cs, "op25b");
	assert_int_equal(checklist_ground_unverified(cl, "business"), 0);
	/* Conditions of grounds that cannot apply are left out. */
	assert_null(checklist_question_find(cl, "emerg-present"));
}

#define ANS(a, q, v) assert_int_equal(incident_answer(st, inc, a, q, v, \
    "because", errbuf), 0)

/* The three questions every checklist opens with, the three acts that
 * infringe the secrecy of communications: does the action come to know,
 * make use of or disclose them. */
#define ACTS(a, know, use, disclose) do {				\
	ANS(a, "know", know);						\
	ANS(a, "use", use);						\
	ANS(a, "disclose", disclose);					\
} while (0)

/* A new incident of kind and title, opened by hand (TLP:AMBER). */
static struct incident *
manual_incident(const char *kind, const char *title)
{
	char errbuf[ERRBUF_SIZE];
	struct incident *inc;

	if (incident_create(st, kind, title, "manual", "TLP:AMBER", &inc,
	    errbuf) != 0)
		fail_msg("incident_create: %s", errbuf);
	return inc;
}

/* Evaluate cl for inc into ev and list its open questions into open. */
static void
evaluate(const struct checklist *cl, const struct incident *inc,
    struct checklist_eval *ev, char *open, size_t len)
{
	checklist_evaluate(cl, inc, ev);
	checklist_open_list(ev, open, len);
}

static void
test_evaluate_walk(void **state)
{
	char errbuf[ERRBUF_SIZE], open[512];
	const struct checklist *cl = checklist_find(cs, "block");
	struct incident *inc = manual_incident("ddos-own", "walk");
	struct checklist_eval ev;

	(void)state;
	evaluate(cl, inc, &ev, open, sizeof(open));
	assert_int_equal(ev.status, CL_INCOMPLETE);
	assert_int_equal(ev.infringes, -1);
	assert_string_equal(open, "know, use, disclose, min-scope, "
	    "min-duration, min-data, min-access, review, block-only-attack");
	/* The terminal's status line: titles, in the UI's language --
	 * given (title.en/ja), or the text before its colon. */
	checklist_open_titles(&ev, "en", "failed: ", open, sizeof(open));
	assert_string_equal(open, "Acquiring knowledge (知得), Unauthorised "
	    "use (窃用), Disclosure (漏えい), Scope, Duration, Data kept, "
	    "Who sees it, Review, Only attack traffic");
	checklist_open_titles(&ev, "ja", "不適合: ", open, sizeof(open));
	assert_string_equal(open, "知得, 窃用, 漏えい, 対象範囲, 期間, "
	    "保存する情報, 閲覧者, 見直し, 攻撃通信のみ");
	assert_string_equal(checklist_qtitle(checklist_question_find(cl,
	    "consent"), "en"), "Consent");
	/* Taking it now is refused. */
	assert_int_equal(casework_act(cw, inc, "block", ACT_TAKEN, "",
	    errbuf), -1);
	assert_non_null(strstr(errbuf, "incomplete"));
	ACTS("block", "yes", "yes", "no");
	evaluate(cl, inc, &ev, open, sizeof(open));
	assert_int_equal(ev.infringes, 1);
	assert_non_null(strstr(open, "consent"));
	assert_null(strstr(open, "ground"));
	ANS("block", "consent", "no");
	ANS("block", "ground", "business");
	evaluate(cl, inc, &ev, open, sizeof(open));
	assert_string_equal(ev.ground, "business");
	assert_int_equal(ev.ground_unverified, 1);
	assert_non_null(strstr(open, "business-means"));
	/* Change of mind: the latest answer counts. */
	ANS("block", "ground", "self-defence");
	evaluate(cl, inc, &ev, open, sizeof(open));
	assert_int_equal(ev.ground_unverified, 0);
	assert_null(strstr(open, "business-means"));
	assert_non_null(strstr(open, "selfdef-imminent"));
	ANS("block", "selfdef-imminent", "yes");
	ANS("block", "selfdef-rights", "yes");
	ANS("block", "selfdef-unavoidable", "yes");
	ANS("block", "min-scope", "udp/123 to 203.0.113.5");
	ANS("block", "min-duration", "until the attack stops");
	ANS("block", "min-data", "counters only");
	ANS("block", "min-access", "NOC shift");
	ANS("block", "review", "every hour, shift lead");
	evaluate(cl, inc, &ev, open, sizeof(open));
	assert_string_equal(open, "block-only-attack");
	ANS("block", "block-only-attack", "no");
	evaluate(cl, inc, &ev, open, sizeof(open));
	assert_int_equal(ev.status, CL_FAILED);
	assert_string_equal(open, "failed: block-only-attack");
	assert_int_equal(casework_act(cw, inc, "block", ACT_TAKEN,
	    "acl 110", errbuf), -1);
	assert_non_null(strstr(errbuf, "failed"));
	/* An override without a reason is refused; with one, taking works
	 * and the event says so. */
	assert_int_equal(incident_override(st, inc, "block", "", errbuf), -1);
	assert_int_equal(incident_override(st, inc, "block",
	    "service down for all customers", errbuf), 0);
	assert_int_equal(casework_act(cw, inc, "block", ACT_TAKEN,
	    "acl 110", errbuf), 0);
	assert_int_equal(json_getb(inc->ev[inc->nev - 1].j, "under_override",
	    0), 1);
	assert_int_equal(incident_action_state(inc, "block", NULL), ACT_TAKEN);
	ANS("block", "block-only-attack", "yes");
	checklist_evaluate(cl, inc, &ev);
	assert_int_equal(ev.status, CL_COMPLETE);
	assert_int_equal(casework_act(cw, inc, "block", ACT_LIFTED,
	    "attack over", errbuf), 0);
	assert_int_equal(incident_action_state(inc, "block", NULL), ACT_LIFTED);
}

static void
test_no_infringement_and_consent(void **state)
{
	char errbuf[ERRBUF_SIZE], open[512];
	const struct checklist *cl = checklist_find(cs, "block-cc");
	struct incident *inc = manual_incident("botnet-cc", "cc");
	struct checklist_eval ev;

	(void)state;
	ACTS("block-cc", "yes", "yes", "no");
	ANS("block-cc", "consent", "yes");
	evaluate(cl, inc, &ev, open, sizeof(open));
	assert_int_equal(ev.consent, 1);
	assert_null(ev.ground);
	assert_non_null(strstr(open, "review, cc-opt-out, cc-list-accurate, cc-notice"));
	assert_true(strncmp(open, "min-scope", 9
	    ) == 0);
	/* Validation of answers before they are journaled. */
	assert_int_equal(checklist_answer_check(cl, "ground", "business",
	    errbuf), -1);
	assert_int_equal(checklist_answer_check(cl, "ground", "emergency",
	    errbuf), 0);
	assert_int_equal(checklist_answer_check(cl, "know", "maybe", errbuf), -1);
	assert_int_equal(checklist_answer_check(cl, "nosuch", "yes", errbuf), -1);
	/* A takedown that touches nothing needs no ground. */
	cl = checklist_find(cs, "takedown");
	ACTS("takedown", "no", "no", "no");
	evaluate(cl, inc, &ev, open, sizeof(open));
	assert_int_equal(ev.infringes, 0);
	assert_null(strstr(open, "consent"));
	assert_null(strstr(open, "ground"));
}

static void
test_evidence_and_contacts(void **state)
{
	char errbuf[ERRBUF_SIZE], d[1024];
	struct incident *inc;
	struct alert a;
	struct incident_srcinfo src[2];
	struct contact_stats cst;
	struct contact_history *h;
	const struct json *top;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.id = 7;
	addr_parse("203.0.113.5", &a.target);
	a.kind = KIND_AMPLIFICATION;
	a.start_us = 1795651200LL * 1000000;
	a.last_us = a.start_us + 300 * 1000000LL;
	a.peak_pps = 1250000;
	a.peak_bps = 9800000000ULL;
	a.spoof = SPOOF_HIGH;
	a.spoof_score = 0.75;
	snprintf(a.evidence[0], ALERT_EVIDENCE_LEN, "TTL spread \x1b[31m wide");
	a.nevidence = 1;
	addr_parse("198.51.100.7", &a.top[0].addr);
	a.top[0].packets = 1000;
	a.top[0].share = 0.4;
	addr_parse("2001:db8::1", &a.top[1].addr);
	a.top[1].share = 0.1;
	a.ntop = 2;
	memset(src, 0, sizeof(src));
	src[0].asn = 64500;
	memcpy(src[0].cc, "BR", 3);
	snprintf(src[0].as_name, sizeof(src[0].as_name), "EXAMPLE-NET");
	assert_int_equal(incident_create(st, "ddos-own", "ev", "alert",
	    "TLP:RED", &inc, errbuf), 0);
	assert_int_equal(incident_add_evidence(st, inc, &a, src, "peering-A",
	    errbuf), 0);
	top = json_get(inc->ev[1].j, "top_sources");
	assert_int_equal(json_len(top), 2);
	assert_int_equal(json_geti(json_at(top, 0), "asn", 0), 64500);
	assert_string_equal(json_gets(json_at(top, 0), "cc", ""), "BR");
	assert_int_equal(json_geti(json_at(top, 0), "share_pm", 0), 400);
	assert_int_equal(json_geti(inc->ev[1].j, "spoof_score_pm", 0), 750);
	assert_string_equal(json_gets(inc->ev[1].j, "attack", ""),
	    "amplification");
	/* The escape sequence is in the journal verbatim but never shown. */
	incident_event_describe(&inc->ev[1], "en", d, sizeof(d));
	assert_null(strchr(d, '\x1b'));
	assert_non_null(strstr(d, "203.0.113.5"));
	/* Contacts and response times. */
	incident_store_set_now(st, incident_store_now(st) + 60 * 1000000LL);
	assert_int_equal(incident_contact(st, inc, CONTACT_ATTEMPT, "email",
	    "as64500-noc", "EXAMPLE NOC", "filter request", errbuf), 0);
	incident_store_set_now(st, incident_store_now(st) + 600 * 1000000LL);
	assert_int_equal(incident_contact(st, inc, CONTACT_ATTEMPT, "phone",
	    "as64500-noc", "EXAMPLE NOC", "", errbuf), 0);
	incident_store_set_now(st, incident_store_now(st) + 1200 * 1000000LL);
	assert_int_equal(incident_contact(st, inc, CONTACT_ACK, "email",
	    "as64500-noc", "Maria", "looking", errbuf), 0);
	incident_store_set_now(st, incident_store_now(st) + 3600 * 1000000LL);
	assert_int_equal(incident_contact(st, inc, CONTACT_RESOLUTION, "email",
	    "as64500-noc", "Maria", "filtered", errbuf), 0);
	assert_int_equal(incident_contact(st, inc, CONTACT_ATTEMPT, "email",
	    "", "", "", errbuf), -1);
	incident_contact_stats(inc, "as64500-noc", &cst);
	assert_int_equal(cst.attempts, 2);
	assert_int_equal(cst.to_answer_s, 1800);
	assert_int_equal(cst.to_resolution_s, 5400);
	incident_contact_stats(inc, "nobody", &cst);
	assert_int_equal(cst.to_answer_s, -1);
	assert_int_equal(incident_store_contact_history(st, "as64500-noc", &h),
	    1);
	assert_ptr_equal(h[0].inc, inc);
	assert_int_equal(h[0].attempts, 2);
	free(h);
	assert_int_equal(incident_set_status(st, inc, INC_CLOSED, "", errbuf),
	    -1);
	assert_int_equal(incident_set_status(st, inc, INC_CLOSED, "done",
	    errbuf), 0);
	assert_int_equal(inc->status, INC_CLOSED);
	/* Bad input is refused before anything is written. */
	assert_int_equal(incident_create(st, "ddos own", "x", "manual",
	    "TLP:AMBER", &inc, errbuf), -1);
	assert_int_equal(incident_create(st, "spam", "x", "manual",
	    "TLP:PINK", &inc, errbuf), -1);
	assert_int_equal(incident_create(st, "spam", "bad \xff utf8", "manual",
	    "TLP:AMBER", &inc, errbuf), -1);
}

static void
test_kinds_parties_changes(void **state)
{
	char errbuf[ERRBUF_SIZE], *path;
	const char *src = getenv("KYOCHO_SRCDIR");
	struct incident_kinds k;
	const struct incident_kind *ki;
	struct incident_party p[8];
	struct incident *inc = NULL;
	size_t i, n;
	const char *need[] = { "ddos-own", "ddos-customer", "outbound-bots",
	    "spoofed", "phishing-abroad", "botnet-cc", "spam",
	    "dns-amplification", "dns-water-torture", "malware-site", "worm" };
	FILE *f;

	(void)state;
	path = xasprintf("%s/data/incident-kinds.txt", src != NULL ? src : ".");
	assert_int_equal(incident_kinds_load(&k, path, errbuf), 0);
	free(path);
	for (i = 0; i < NITEMS(need); i++) {
		size_t a;

		ki = incident_kind_find(&k, need[i]);
		assert_non_null(ki);
		assert_true(ki->nactions > 0 && ki->ntemplates > 0);
		/* Every suggested action has a checklist. */
		for (a = 0; a < ki->nactions; a++)
			if (checklist_find(cs, ki->actions[a]) == NULL)
				print_error("kind %s: action %s has no checklist\n",
				    need[i], ki->actions[a]);
		for (a = 0; a < ki->nactions; a++)
			assert_non_null(checklist_find(cs, ki->actions[a]));
	}
	assert_string_equal(incident_kind_name(&k, "spam", "ja"),
	    "迷惑メール（大量送信）");
	assert_string_equal(incident_kind_name(&k, "nosuch", "ja"), "nosuch");
	incident_kinds_free(&k);
	/* Parties for contact suggestions, from the evidence test's incident. */
	for (i = 0; i < incident_store_count(st); i++)
		if (strcmp(incident_store_at(st, i)->title, "ev") == 0)
			inc = incident_store_at(st, i);
	assert_non_null(inc);
	n = incident_parties(inc, p, NITEMS(p));
	assert_int_equal(n, 2);
	assert_int_equal(p[0].asn, 64500);
	assert_string_equal(p[0].cc, "BR");
	assert_int_equal(p[0].role, 0);
	assert_int_equal(p[1].role, 1);
	assert_string_equal(p[1].addr, "203.0.113.5");
	/* Another writer changes a journal: the store notices. */
	assert_int_equal(incident_store_changed(st), 0);
	f = fopen(inc->path, "a");
	fputs("{\"seq\":99,\"ts\":\"2026-11-26T09:00:00Z\",\"type\":\"note\","
	    "\"text\":\"from elsewhere\"}\n", f);
	fclose(f);
	assert_int_equal(incident_store_changed(st), 1);
	incident_refresh(st, inc);
	assert_string_equal(json_gets(inc->ev[inc->nev - 1].j, "text", ""),
	    "from elsewhere");
	assert_int_equal(incident_store_changed(st), 0);
}

static void
broken(const char *common, const char *action, const char *want)
{
	char errbuf[ERRBUF_SIZE], *d = xasprintf("%s/bad", dir), *p;
	FILE *f;
	struct checklist_set *x;

	mkdir(d, 0700);
	p = xasprintf("%s/common.txt", d);
	f = fopen(p, "w");
	fputs(common, f);
	fclose(f);
	free(p);
	p = xasprintf("%s/act.txt", d);
	f = fopen(p, "w");
	fputs(action, f);
	fclose(f);
	free(p);
	x = checklist_set_load(d, errbuf);
	if (x != NULL || strstr(errbuf, want) == NULL)
		print_error("want '%s', got '%s'\n", want, x ? "success" : errbuf);
	assert_null(x);
	assert_non_null(strstr(errbuf, want));
	free(d);
}

#define DISC "disclaimer\n  text.en = a\n  text.ja = b\n  unverified.en = c\n" \
    "  unverified.ja = d\n  guideline.en = e\n  guideline.ja = f\n" \
    "ground g\n  name.en = G\n  name.ja = G\n  article = 1\n"
#define ACT "checklist act\n  title.en = t\n  title.ja = t\n  edition.en = e\n" \
    "  edition.ja = e\n  case.en = c\n  case.ja = c\n"

static void
test_broken_definitions(void **state)
{
	(void)state;
	broken(DISC "question q\n  section = elements\n  text.en = x\n",
	    ACT "  grounds = g\n", "common.txt:12: question q needs text.en "
	    "and text.ja");
	broken(DISC "question q\n  section = other\n", ACT "  grounds = g\n",
	    "common.txt:12: question q: section 'other'");
	broken(DISC, ACT "  grounds = h\n", "act.txt:1: ground 'h' is not "
	    "defined");
	broken(DISC, ACT "  grounds = g\n  grounds = g\n",
	    "act.txt:9: 'grounds' given twice (first on line 8)");
	broken(DISC, ACT, "act.txt:1: checklist act needs grounds");
	broken(DISC, "  title.en = x\n", "act.txt:1: property before any block");
	broken(DISC, ACT "  grounds = g\nquestion q\n  section = review\n"
	    "  type = text\n  expect = yes\n  text.en = a\n  text.ja = b\n",
	    "act.txt:9: question q: expect applies only to yesno");
	broken(DISC, ACT "  grounds = g\n  hint.en = \x1b[2J\n",
	    "act.txt:9: control character at byte 13");
	broken(DISC, ACT "  grounds = g\n  hint.en = \xc3\n",
	    "act.txt:9: invalid UTF-8 at byte 13");
	broken(DISC, ACT "  grounds = g\nquestion q\n  section = review\n"
	    "  when = later\n  text.en = a\n  text.ja = b\n",
	    "act.txt:9: question q: when 'later'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_definitions),
		cmocka_unit_test(test_evaluate_walk),
		cmocka_unit_test(test_no_infringement_and_consent),
		cmocka_unit_test(test_evidence_and_contacts),
		cmocka_unit_test(test_kinds_parties_changes),
		cmocka_unit_test(test_broken_definitions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
