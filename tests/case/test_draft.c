/*
 * test_draft.c -- escalation drafts: placeholders filled from the journal's
 * evidence and the configuration, times in UTC and the recipient's zone,
 * hostile evidence unable to add mail headers, template errors with
 * FILE:LINE, the shipped templates all rendering, and the editor and
 * sendmail hand-off (fork/exec, no shell).
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

#include "settings/config.h"
#include "case/draft.h"
#include "case/incident.h"
#include "base/util.h"

static char dir[256];
static struct incident_store *st;
static struct incident *inc;
static struct options opt;

static int
setup(void **state)
{
	char errbuf[ERRBUF_SIZE];
	struct alert a;
	struct incident_srcinfo src[1];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kyocho-test-draft.XXXXXX");
	if (mkdtemp(dir) == NULL || (st = incident_store_open(dir, "tanaka",
	    errbuf)) == NULL)
		return -1;
	incident_store_set_now(st, 1795651200LL * 1000000);
	if (incident_create(st, "ddos-own", "test", "alert", "TLP:RED", &inc,
	    errbuf) != 0)
		return -1;
	memset(&a, 0, sizeof(a));
	addr_parse("203.0.113.5", &a.target);
	a.kind = KIND_UDP_FLOOD;
	a.start_us = 1795651200LL * 1000000 - 3600LL * 1000000;
	a.last_us = a.start_us + 60 * 1000000LL;
	a.peak_pps = 1500;
	a.peak_bps = 2500000000ULL;
	/* Hostile evidence: a newline and a header in a spoofing sign. */
	snprintf(a.evidence[0], ALERT_EVIDENCE_LEN,
	    "ttl\r\nBcc: victim@example.net\x1b[31m");
	a.nevidence = 1;
	addr_parse("198.51.100.9", &a.top[0].addr);
	a.top[0].packets = 42;
	a.top[0].share = 0.5;
	a.ntop = 1;
	memset(src, 0, sizeof(src));
	src[0].asn = 64500;
	memcpy(src[0].cc, "DE", 3);
	if (incident_add_evidence(st, inc, &a, src, "peering-A", errbuf) != 0)
		return -1;
	config_defaults(&opt);
	opt.org = "Example ISP";
	opt.noc_email = "noc@example.jp";
	opt.noc_phone = "+81 3 0000 0000";
	opt.operator = "tanaka";
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	incident_store_free(st);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	free(cmd);
	return 0;
}

/* The drafts' settings from opt, as the casework layer fills them. */
static char *
data_path(const void *ctx, const char *rel, char *errbuf)
{
	return config_data_path(ctx, rel, errbuf);
}

static const struct draft_settings *
dset(void)
{
	static struct draft_settings ds;

	memset(&ds, 0, sizeof(ds));
	ds.org = opt.org;
	ds.operator = opt.operator;
	ds.noc_email = opt.noc_email;
	ds.noc_phone = opt.noc_phone;
	ds.pgp = opt.pgp;
	ds.state_label = opt.state_label;
	ds.data_path = data_path;
	ds.data_ctx = &opt;
	return &ds;
}

static char *
render(const char *t, const struct draft_params *p, char *errbuf)
{
	return draft_render(t, strlen(t), "t.txt", inc, NULL, dset(), p,
	    errbuf);
}

static void
test_placeholders(void **state)
{
	char errbuf[ERRBUF_SIZE], *out;
	struct draft_params p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.lang = "en";
	p.to = "noc@peer.example";
	p.tz_offset_s = 3600;
	p.tz_name = "Europe/Berlin";
	out = render("To: {{to}}\nSubject: [{{tlp}}] {{target}} {{incident.id}}\n"
	    "\n{{start.utc}} / {{start.local}} / {{end.utc}}\n{{peak_bps}} "
	    "{{peak_pps}} {{org}} {{noc_email}} {{operator}}\n"
	    "{{spoof_evidence}}\n{{top_sources}}\n", &p, errbuf);
	assert_non_null(out);
	assert_non_null(strstr(out, "To: noc@peer.example\n"));
	assert_non_null(strstr(out, "Subject: [TLP:RED] 203.0.113.5 "
	    "2026-11-26-0001\n"));
	assert_non_null(strstr(out, "2026-11-25 23:00:00 UTC (UTC+00:00) / "
	    "2026-11-26 00:00:00 Europe/Berlin (UTC+01:00) / ongoing"));
	assert_non_null(strstr(out, "2.5 Gbit/s 1.5 kpackets/s Example ISP "
	    "noc@example.jp tanaka"));
	assert_non_null(strstr(out, "198.51.100.9"));
	assert_non_null(strstr(out, "AS64500"));
	/* The hostile sign stays on its line: no new header, no escape. */
	assert_null(strstr(out, "\nBcc:"));
	assert_null(strchr(out, '\x1b'));
	assert_null(strchr(out, '\r'));
	free(out);
	/* Unknown recipient zone: said so, not guessed. */
	p.tz_name = NULL;
	out = render("{{start.local}}", &p, errbuf);
	assert_string_equal(out, "(recipient's zone not known)");
	free(out);
}

static void
test_template_errors(void **state)
{
	char errbuf[ERRBUF_SIZE];
	struct draft_params p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.lang = "en";
	assert_null(render("a\nb\n{{nosuch}}\n", &p, errbuf));
	assert_string_equal(errbuf, "t.txt:3: unknown placeholder {{nosuch}}");
	assert_null(render("a\n{{to\n}}", &p, errbuf));
	assert_string_equal(errbuf, "t.txt:2: '{{' without a matching '}}' on "
	    "the same line");
	assert_null(render("x\xff", &p, errbuf));
	assert_non_null(strstr(errbuf, "invalid UTF-8 at byte 2"));
}

static void
test_shipped_templates(void **state)
{
	const char *src = getenv("KYOCHO_SRCDIR");
	const char *ids[] = { "ddos-filter-request", "takedown-request",
	    "abuse-report", "infected-customer-notice" };
	const char *langs[] = { "en", "ja" };
	char errbuf[ERRBUF_SIZE], *path;
	struct draft_params p;
	size_t i, k;
	struct stat sb;

	(void)state;
	opt.data_dir = xasprintf("%s/data", src != NULL ? src : ".");
	for (i = 0; i < NITEMS(ids); i++)
		for (k = 0; k < NITEMS(langs); k++) {
			memset(&p, 0, sizeof(p));
			p.template_id = ids[i];
			p.lang = langs[k];
			p.to = "x@example.net";
			p.tz_name = "JST";
			p.tz_offset_s = 9 * 3600;
			path = draft_create(st, inc, dset(), &p, errbuf);
			if (path == NULL)
				print_error("%s.%s: %s\n", ids[i], langs[k], errbuf);
			assert_non_null(path);
			assert_int_equal(stat(path, &sb), 0);
			assert_true(sb.st_size > 200);
			assert_string_equal(inc->ev[inc->nev - 1].type, "draft");
			assert_string_equal(json_gets(inc->ev[inc->nev - 1].j,
			    "path", ""), path);
			free(path);
		}
	p.template_id = "../../etc/passwd";
	assert_null(draft_create(st, inc, dset(), &p, errbuf));
	free((char *)opt.data_dir);
	opt.data_dir = NULL;
}

/*
 * The filtering request to an ingress neighbour (issue 13) states our link
 * with that neighbour, the target, protocol/port, the window in UTC and in
 * the recipient's zone and the rates, and no spoofed source list.
 */
static void
test_filter_request(void **state)
{
	const char *src = getenv("KYOCHO_SRCDIR");
	char errbuf[ERRBUF_SIZE], *path, buf[8192];
	struct incident *x;
	struct draft_params p;
	struct alert a;
	size_t n;
	FILE *f;

	(void)state;
	assert_int_equal(incident_create(st, "spoofed", "flood", "alert",
	    "TLP:AMBER", &x, errbuf), 0);
	memset(&a, 0, sizeof(a));
	addr_parse("203.0.113.10", &a.target);
	a.kind = KIND_SYN_FLOOD;
	a.spoof = SPOOF_HIGH;
	a.start_us = 1795651200LL * 1000000 - 3600LL * 1000000;
	a.last_us = a.start_us + 150 * 1000000LL;
	a.end_us = a.start_us + 160 * 1000000LL;
	a.peak_pps = 2000;
	a.peak_bps = 1000000;
	a.syn = 1990;
	addr_parse("198.51.100.77", &a.top[0].addr);
	a.top[0].packets = 5;
	a.top[0].share = 0.004;
	a.ntop = 1;
	snprintf(a.ingress[0].link, ALERT_LINK_LEN, "peering-A");
	snprintf(a.ingress[0].contact, ALERT_CONTACT_LEN, "example-peer-a");
	a.ingress[0].asn = 64497;
	a.ingress[0].share = 0.52;
	a.ingress[0].first_us = a.start_us;
	a.ingress[0].last_us = a.start_us + 80 * 1000000LL;
	snprintf(a.ingress[1].link, ALERT_LINK_LEN, "peering-B");
	snprintf(a.ingress[1].contact, ALERT_CONTACT_LEN, "example-peer-b");
	a.ingress[1].asn = 64498;
	a.ingress[1].share = 0.48;
	a.ingress[1].first_us = a.start_us + 75 * 1000000LL;
	a.ingress[1].last_us = a.last_us;
	a.ningress = 2;
	assert_int_equal(incident_add_evidence(st, x, &a, NULL, "peering-A",
	    errbuf), 0);
	opt.data_dir = xasprintf("%s/data", src != NULL ? src : ".");
	memset(&p, 0, sizeof(p));
	p.template_id = "ddos-filter-request";
	p.lang = "en";
	p.to = "noc@peer-b.example.net";
	p.contact_id = "example-peer-b";
	p.tz_name = "PST";
	p.tz_offset_s = -8 * 3600;
	path = draft_create(st, x, dset(), &p, errbuf);
	if (path == NULL)
		print_error("%s\n", errbuf);
	assert_non_null(path);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "To: noc@peer-b.example.net\n"));
	assert_non_null(strstr(buf, "Subject: [TLP:AMBER]"));
	assert_non_null(strstr(buf, "Our link:        peering-B (where"));
	assert_non_null(strstr(buf, "Target:          203.0.113.10\n"));
	assert_non_null(strstr(buf, "Protocol/port:   TCP SYN\n"));
	assert_non_null(strstr(buf, "Window (UTC):    2026-11-25 23:00:00 UTC "
	    "(UTC+00:00) -- 2026-11-25 23:02:40 UTC (UTC+00:00)\n"));
	assert_non_null(strstr(buf, "Window (yours):  2026-11-25 15:00:00 PST "
	    "(UTC-08:00) -- 2026-11-25 15:02:40 PST (UTC-08:00)\n"));
	assert_non_null(strstr(buf, "Rates:           peak 2.0 kpackets/s, "
	    "1.0 Mbit/s; SYN 1.9 kpps\n"));
	assert_non_null(strstr(buf, "peering-A AS64497 example-peer-a 52 % "
	    "(23:00:00-23:01:20 UTC) -> peering-B AS64498 example-peer-b 48 % "
	    "(23:01:15-23:02:30 UTC)"));
	/* No spoofed sources handed to the peer. */
	assert_null(strstr(buf, "198.51.100.77"));
	free(path);
	free((char *)opt.data_dir);
	opt.data_dir = NULL;
}

static void
test_editor_and_sendmail(void **state)
{
	char errbuf[ERRBUF_SIZE], *path = xasprintf("%s/d.txt", dir);
	FILE *f = fopen(path, "w");
	struct stat sb;

	(void)state;
	fputs("To: x\n\nbody\n", f);
	fclose(f);
	/* The editor variable is split on blanks and run without a shell. */
	setenv("VISUAL", "truncate -s 3", 1);
	assert_int_equal(draft_edit(path, errbuf), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 3);
	setenv("VISUAL", "/nonexistent/editor", 1);
	assert_int_equal(draft_edit(path, errbuf), -1);
	assert_non_null(strstr(errbuf, "could not be run"));
	unsetenv("VISUAL");
	assert_int_equal(draft_sendmail(path, "/bin/true", errbuf), 0);
	assert_int_equal(draft_sendmail(path, "/bin/false", errbuf), -1);
	assert_non_null(strstr(errbuf, "status 1"));
	assert_int_equal(draft_sendmail("/nonexistent", "/bin/true", errbuf), -1);
	free(path);
}

/*
 * A NUL in a template (issue 19) used to pass the UTF-8 check and cut the
 * draft short where it was written: now the file, line and byte are named
 * and no draft is made. The template is a shipped one with a NUL put in
 * after its third line.
 */
static void
test_template_nul(void **state)
{
	const char *src = getenv("KYOCHO_SRCDIR");
	char errbuf[ERRBUF_SIZE], *tpl, *buf, *path, *want;
	struct draft_params p;
	size_t n, at, i;
	unsigned nl = 0;
	size_t nev = inc->nev;
	FILE *f;

	(void)state;
	tpl = xasprintf("%s/data/templates/ddos-filter-request.en.txt",
	    src != NULL ? src : ".");
	f = fopen(tpl, "rb");
	assert_non_null(f);
	buf = xmalloc(65536);
	n = fread(buf, 1, 65536, f);
	fclose(f);
	for (at = 0; at < n && nl < 3; at++)
		nl += buf[at] == '\n';
	assert_int_equal(nl, 3);
	memmove(buf + at + 1, buf + at, n - at);	/* start of line 4 */
	buf[at] = '\0';
	n++;
	path = xasprintf("%s/tdata", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
	path = xasprintf("%s/tdata/templates", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
	path = xasprintf("%s/tdata/templates/nul-test.en.txt", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
	opt.data_dir = xasprintf("%s/tdata", dir);
	memset(&p, 0, sizeof(p));
	p.template_id = "nul-test";
	p.lang = "en";
	p.to = "x@example.net";
	assert_null(draft_create(st, inc, dset(), &p, errbuf));
	want = xasprintf("%s:4: a NUL byte at byte %zu (templates are text)",
	    path, at + 1);
	assert_string_equal(errbuf, want);
	assert_int_equal(inc->nev, nev);	/* no draft journalled */
	/* The same through draft_render on the bytes. */
	assert_null(draft_render(buf, n, "t.txt", inc, NULL, dset(), &p,
	    errbuf));
	assert_non_null(strstr(errbuf, "t.txt:4: a NUL byte"));
	for (i = 0; i < strlen(errbuf); i++)
		assert_true((unsigned char)errbuf[i] >= 0x20);
	free((char *)opt.data_dir);
	opt.data_dir = NULL;
	free(want);
	free(path);
	free(buf);
	free(tpl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_shipped_templates),
		cmocka_unit_test(test_filter_request),
		cmocka_unit_test(test_editor_and_sendmail),
		cmocka_unit_test(test_template_nul),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
