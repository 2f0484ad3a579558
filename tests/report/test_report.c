/*
 * test_report.c -- reports from a journal: the same journal gives the
 * same bytes in every format, pages carry the TLP label and "page n of m",
 * an override is shown prominently, format names parse, and printing hands
 * the file to an lpr program (fork/exec, exit status checked).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "case/checklist.h"
#include "case/incident.h"
#include "report/report.h"
#include "base/util.h"

static char dir[256];

static char *
render(const struct incident *inc, enum report_format fmt, const char *lang,
    const struct checklist_set *cs, size_t *len)
{
	struct report_opts o;
	char errbuf[ERRBUF_SIZE], *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	memset(&o, 0, sizeof(o));
	o.format = fmt;
	o.lang = lang;
	o.local_offset_s = 9 * 3600;
	o.local_zone = "JST";
	o.cs = cs;
	assert_int_equal(report_write(f, inc, &o, errbuf), 0);
	fclose(f);
	return buf;
}

static void
test_reports(void **state)
{
	char errbuf[ERRBUF_SIZE], *a, *b, *cdir, *p;
	const char *src = getenv("KYOCHO_SRCDIR");
	struct incident_store *st;
	struct incident *inc;
	struct checklist_set *cs;
	size_t alen, blen, pages = 0;
	int f, l;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kyocho-test-report.XXXXXX");
	assert_non_null(mkdtemp(dir));
	cdir = xasprintf("%s/data/checklists", src != NULL ? src : ".");
	cs = checklist_set_load(cdir, errbuf);
	free(cdir);
	assert_non_null(cs);
	st = incident_store_open(dir, "tanaka", errbuf);
	assert_non_null(st);
	incident_store_set_now(st, 1795651200LL * 1000000);
	assert_int_equal(incident_create(st, "ddos-own", "報告書のテスト",
	    "manual", "TLP:GREEN", &inc, errbuf), 0);
	assert_int_equal(incident_override(st, inc, "block", "no time",
	    errbuf), 0);
	assert_int_equal(incident_action(st, inc, "block", ACT_TAKEN,
	    "acl", errbuf), 0);
	for (f = REPORT_TEXT; f <= REPORT_HTML; f++)
		for (l = 0; l < 2; l++) {
			const char *lang = l ? "ja" : "en";

			a = render(inc, (enum report_format)f, lang, cs, &alen);
			b = render(inc, (enum report_format)f, lang, cs, &blen);
			assert_int_equal(alen, blen);
			assert_memory_equal(a, b, alen);
			assert_non_null(strstr(a, f == REPORT_MD ?
			    "TLP\\:GREEN" : "TLP:GREEN"));
			assert_non_null(strstr(a, l ? "オーバーライド" : "OVERRIDE"));
			if (f == REPORT_HTML)
				assert_non_null(strstr(a, "class=\"alert\""));
			free(a);
			free(b);
		}
	/* Every text page: TLP in the header and the footer, page n of m. */
	a = render(inc, REPORT_TEXT, "en", cs, &alen);
	for (p = a; p != NULL; p = strchr(p, '\f')) {
		char head[200], want[64];
		char *nl;

		if (*p == '\f')
			p++;
		pages++;
		nl = strchr(p, '\n');
		snprintf(head, sizeof(head), "%.*s", (int)(nl - p), p);
		assert_non_null(strstr(head, "TLP:GREEN"));
		snprintf(want, sizeof(want), "page %zu of ", pages);
		assert_non_null(strstr(p, want));
	}
	assert_true(pages >= 2);
	free(a);
	incident_store_free(st);
	checklist_set_free(cs);
	p = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
	free(p);
}

/* A report with no zone configured, to see which zone the journal gives. */
static char *
render_bare(const struct incident *inc, const char *lang)
{
	struct report_opts o;
	char errbuf[ERRBUF_SIZE], *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	memset(&o, 0, sizeof(o));
	o.format = REPORT_TEXT;
	o.lang = lang;
	assert_int_equal(report_write(f, inc, &o, errbuf), 0);
	fclose(f);
	return buf;
}

/*
 * The operator's zone is recorded in the journal when the incident is
 * created (our-zone, else TZ / /etc/localtime then), and the report takes
 * it from there: not "the operator's time zone is not configured" while TZ
 * is set, and the same bytes whatever TZ the report is written under.
 */
static void
test_zone_from_journal(void **state)
{
	char errbuf[ERRBUF_SIZE], *a, *b, *p, *j;
	struct incident_store *st;
	struct incident *inc, *inc2, *inc3;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kyocho-test-report.XXXXXX");
	assert_non_null(mkdtemp(dir));
	st = incident_store_open(dir, "tanaka", errbuf);
	assert_non_null(st);
	incident_store_set_now(st, 1795651200LL * 1000000);	/* 2026-11-26 00:00 UTC */
	setenv("TZ", "America/Sao_Paulo", 1);
	assert_int_equal(incident_create(st, "ddos-own", "zone test",
	    "manual", "TLP:GREEN", &inc, errbuf), 0);
	assert_string_equal(inc->zone, "America/Sao_Paulo");
	setenv("TZ", "UTC", 1);		/* the report is written elsewhere */
	a = render_bare(inc, "en");
	assert_null(strstr(a, "not configured"));
	assert_non_null(strstr(a, "Local times are in America/Sao_Paulo"));
	assert_non_null(strstr(a, "11-25 21:00 -03"));	/* created, local */
	setenv("TZ", "Asia/Tokyo", 1);
	b = render_bare(inc, "en");
	assert_string_equal(a, b);
	free(b);
	free(a);
	a = render_bare(inc, "ja");
	assert_non_null(strstr(a, "America/Sao_Paulo"));
	assert_null(strstr(a, "設定されていません"));
	free(a);

	/* A configured our-zone is what is recorded, and beats TZ. */
	incident_store_set_zone(st, "Europe/Moscow");
	assert_int_equal(incident_create(st, "ddos-own", "zone test 2",
	    "manual", "TLP:GREEN", &inc2, errbuf), 0);
	assert_string_equal(inc2->zone, "Europe/Moscow");
	a = render_bare(inc2, "en");
	assert_non_null(strstr(a, "11-26 03:00 MSK"));
	free(a);

	/* A POSIX TZ string is recorded as it is and read back. */
	incident_store_set_zone(st, NULL);
	setenv("TZ", "JST-9", 1);
	assert_int_equal(incident_create(st, "ddos-own", "zone test 3",
	    "manual", "TLP:GREEN", &inc3, errbuf), 0);
	assert_string_equal(inc3->zone, "JST-9");
	setenv("TZ", "UTC", 1);
	a = render_bare(inc3, "en");
	assert_non_null(strstr(a, "11-26 09:00 JST"));
	free(a);

	/* A journal from before zones were recorded keeps today's wording;
	 * one naming a zone this system lacks says so. */
	j = xasprintf("%s/incidents/2026-11-26-0100.jsonl", dir);
	assert_non_null(f = fopen(j, "w"));
	fputs("{\"seq\":1,\"ts\":\"2026-11-26T00:41:10Z\",\"type\":\"created\","
	    "\"operator\":\"tanaka\",\"kind\":\"ddos-own\",\"title\":\"old\","
	    "\"source\":\"manual\",\"tlp\":\"TLP:GREEN\"}\n", f);
	fclose(f);
	free(j);
	j = xasprintf("%s/incidents/2026-11-26-0101.jsonl", dir);
	assert_non_null(f = fopen(j, "w"));
	fputs("{\"seq\":1,\"ts\":\"2026-11-26T00:41:10Z\",\"type\":\"created\","
	    "\"operator\":\"tanaka\",\"kind\":\"ddos-own\",\"title\":\"far\","
	    "\"source\":\"manual\",\"tlp\":\"TLP:GREEN\",\"zone\":"
	    "\"Mars/Olympus_Mons\"}\n", f);
	fclose(f);
	free(j);
	assert_int_equal(incident_store_reload(st, errbuf), 0);
	assert_non_null(inc = incident_find(st, "2026-11-26-0100"));
	assert_string_equal(inc->zone, "");
	a = render_bare(inc, "en");
	assert_non_null(strstr(a, "Times are UTC. The operator's time zone is "
	    "not configured (set our-zone)."));
	free(a);
	assert_non_null(inc = incident_find(st, "2026-11-26-0101"));
	a = render_bare(inc, "en");
	assert_non_null(strstr(a, "Times are UTC. The operator's zone that "
	    "the journal records, Mars/Olympus_Mons,\nis not in this system's "
	    "tz database."));
	free(a);

	incident_store_free(st);
	p = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
	free(p);
}

/*
 * The checklist section's first step of the legal assessment, which the
 * golden journals do not reach: answered "no" to every element, the
 * action does not infringe the secrecy of communications; answered "yes"
 * with the parties' consent, it does, with consent. An action that has
 * only answers to other actions' questions shows that none is recorded.
 */
static void
test_checklist_step1(void **state)
{
	char errbuf[ERRBUF_SIZE], *a, *b, *r, *t, *cdir, *p;
	const char *src = getenv("KYOCHO_SRCDIR");
	static const char *const elems[] = { "know", "use", "disclose" };
	struct incident_store *st;
	struct incident *inc;
	struct checklist_set *cs;
	size_t len, i;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kyocho-test-report.XXXXXX");
	assert_non_null(mkdtemp(dir));
	cdir = xasprintf("%s/data/checklists", src != NULL ? src : ".");
	cs = checklist_set_load(cdir, errbuf);
	free(cdir);
	assert_non_null(cs);
	st = incident_store_open(dir, "tanaka", errbuf);
	assert_non_null(st);
	incident_store_set_now(st, 1795651200LL * 1000000);
	assert_int_equal(incident_create(st, "ddos-own", "step 1",
	    "manual", "TLP:CLEAR", &inc, errbuf), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(incident_answer(st, inc, "block", elems[i],
		    "no", "headers are not read", errbuf), 0);
		assert_int_equal(incident_answer(st, inc, "rate-limit",
		    elems[i], "yes", "counts per source", errbuf), 0);
	}
	assert_int_equal(incident_answer(st, inc, "rate-limit", "consent",
	    "yes", "the customer asked for it", errbuf), 0);
	assert_int_equal(incident_action(st, inc, "rtbh", ACT_PROPOSED,
	    "", errbuf), 0);

	a = render(inc, REPORT_TEXT, "en", cs, &len);
	/* In the order of first mention: block, rate-limit, rtbh. */
	assert_non_null(b = strstr(a, "(block)\n"));
	assert_non_null(r = strstr(b, "(rate-limit)\n"));
	assert_non_null(t = strstr(r, "(rtbh)\n"));
	assert_non_null(p = strstr(b, "  Step 1          does not infringe the "
	    "secrecy of communications (as answered)\n"));
	assert_true(p < r);
	assert_non_null(p = strstr(r, "  Step 1          infringes; the parties "
	    "consented\n"));
	assert_true(p < t);
	/* Only rtbh has no answers of its own. */
	assert_non_null(p = strstr(b, "! (no answers recorded)\n"));
	assert_true(p > t);
	free(a);
	a = render(inc, REPORT_HTML, "ja", cs, &len);
	assert_non_null(strstr(a, "<th>第1段階</th><td>通信の秘密の侵害に"
	    "当たらない（回答による）</td>"));
	assert_non_null(strstr(a, "<th>第1段階</th><td>侵害に当たるが、"
	    "当事者の同意あり</td>"));
	free(a);

	incident_store_free(st);
	checklist_set_free(cs);
	p = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
	free(p);
}

static void
test_formats_and_print(void **state)
{
	char errbuf[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(report_format_parse("text"), REPORT_TEXT);
	assert_int_equal(report_format_parse("md"), REPORT_MD);
	assert_int_equal(report_format_parse("html"), REPORT_HTML);
	assert_int_equal(report_format_parse("pdf"), -1);
	assert_int_equal(report_print("/dev/null", "office", "/bin/true",
	    errbuf), 0);
	assert_int_equal(report_print("/dev/null", NULL, "/bin/false",
	    errbuf), -1);
	assert_non_null(strstr(errbuf, "failed (status 1)"));
	assert_int_equal(report_print("/dev/null", NULL, "/nonexistent/lpr",
	    errbuf), -1);
	assert_non_null(strstr(errbuf, "could not be run"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_zone_from_journal),
		cmocka_unit_test(test_checklist_step1),
		cmocka_unit_test(test_formats_and_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
