/*
 * test_journal.c -- journals: append and replay, a torn last line (skipped,
 * reported, cut away on the next append and kept in FILE.torn), damage in
 * the middle (reported with FILE:LINE, the rest still loads), sequence gaps,
 * one damaged journal not stopping the others, and two processes appending
 * to one journal at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "case/incident.h"
#include "case/journal.h"
#include "base/util.h"

static char dir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kyocho-test-journal.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup of %s failed\n", dir);
	free(cmd);
	return 0;
}

struct seen {
	int64_t seq[4096];
	unsigned line[4096];
	size_t n;
};

static void
collect(void *ctx, const struct json *ev, unsigned line)
{
	struct seen *s = ctx;

	if (s->n < 4096) {
		s->seq[s->n] = json_geti(ev, "seq", -1);
		s->line[s->n++] = line;
	}
}

/* The created event's title and TLP, as "TITLE TLP", into ctx. */
static void
collect_title(void *ctx, const struct json *ev, unsigned line)
{
	(void)line;
	if (strcmp(json_gets(ev, "type", ""), "created") == 0)
		snprintf(ctx, 256, "%s %s", json_gets(ev, "title", ""),
		    json_gets(ev, "tlp", ""));
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#define EV(n) "{\"seq\":" #n ",\"ts\":\"2026-11-26T00:00:0" #n "Z\",\"type\":\"note\",\"operator\":\"t\",\"text\":\"x\"}\n"

static void
test_create_append_replay(void **state)
{
	char errbuf[ERRBUF_SIZE], *path = xasprintf("%s/a.jsonl", dir);
	struct journal_diags d = { NULL, 0 };
	struct seen s;
	uint64_t seq;
	const char *m = "\"ts\":\"2026-11-26T00:00:00Z\",\"type\":\"note\"";

	(void)state;
	assert_int_equal(journal_create(path, m, strlen(m), errbuf), 0);
	assert_int_equal(journal_create(path, m, strlen(m), errbuf), 1);
	assert_int_equal(journal_append(path, m, strlen(m), &seq, errbuf), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(journal_append(path, m, strlen(m), &seq, errbuf), 0);
	assert_int_equal(seq, 3);
	/* Not an object's members: refused, nothing written. */
	assert_int_equal(journal_append(path, "\"a\":", 4, &seq, errbuf), -1);
	assert_int_equal(journal_append(path, "\"a\":1}\n{\"b\":2", 13, &seq,
	    errbuf), -1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(journal_replay(path, collect, &s, &d), 3);
	assert_int_equal(d.n, 0);
	assert_int_equal(s.seq[2], 3);
	journal_diags_free(&d);
	free(path);
}

static void
test_torn_last_line(void **state)
{
	char errbuf[ERRBUF_SIZE], *path = xasprintf("%s/torn.jsonl", dir);
	char *side = xasprintf("%s.torn", path);
	struct journal_diags d = { NULL, 0 };
	struct seen s;
	uint64_t seq;
	struct stat st;
	const char *m = "\"ts\":\"2026-11-26T00:00:09Z\",\"type\":\"note\"";

	(void)state;
	write_file(path, EV(1) EV(2) "{\"seq\":3,\"ts\":\"2026-11-2");
	memset(&s, 0, sizeof(s));
	assert_int_equal(journal_replay(path, collect, &s, &d), 2);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, JDIAG_TORN);
	assert_int_equal(d.v[0].line, 3);
	assert_non_null(strstr(d.v[0].msg, "torn.jsonl:3: torn last line"));
	journal_diags_free(&d);
	/* The next append cuts the torn bytes away into FILE.torn. */
	assert_int_equal(journal_append(path, m, strlen(m), &seq, errbuf), 0);
	assert_int_equal(seq, 3);
	assert_int_equal(stat(side, &st), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(journal_replay(path, collect, &s, &d), 3);
	assert_int_equal(d.n, 1);	/* the note about FILE.torn */
	assert_int_equal(d.v[0].kind, JDIAG_NOTE);
	journal_diags_free(&d);
	free(side);
	free(path);
}

static void
test_damage_mid_file(void **state)
{
	char *path = xasprintf("%s/dmg.jsonl", dir);
	struct journal_diags d = { NULL, 0 };
	struct seen s;
	size_t i;
	int torn = 0, damage = 0, seqd = 0;

	(void)state;
	write_file(path, EV(1) "{\"seq\":2,\"ts\":garbage}\n" EV(3)
	    "\n" "[1,2]\n" "{\"seq\":4,\"type\":\"note\"}\n" EV(5) EV(7)
	    "\xff\xfe\n" EV(8));
	memset(&s, 0, sizeof(s));
	assert_int_equal(journal_replay(path, collect, &s, &d), 5);
	for (i = 0; i < d.n; i++) {
		torn += d.v[i].kind == JDIAG_TORN;
		damage += d.v[i].kind == JDIAG_DAMAGE;
		seqd += d.v[i].kind == JDIAG_SEQ;
	}
	assert_int_equal(torn, 0);
	assert_int_equal(damage, 5);	/* lines 2, 4, 5, 6, 9 */
	assert_non_null(strstr(d.v[0].msg, "dmg.jsonl:2: unreadable event"));
	assert_non_null(strstr(d.v[0].msg, "byte 15"));
	{
		unsigned want[] = { 2, 4, 5, 6, 9 }, got[8];
		size_t n = 0;

		for (i = 0; i < d.n; i++)
			if (d.v[i].kind == JDIAG_DAMAGE && n < 8)
				got[n++] = d.v[i].line;
		assert_int_equal(n, 5);
		for (i = 0; i < 5; i++)
			assert_int_equal(got[i], want[i]);
	}
	/* Gaps: 1 -> 3 and 5 -> 7. */
	assert_int_equal(seqd, 3);	/* 1->3, 3->5 (4 was damaged), 5->7 */
	assert_int_equal(s.seq[0], 1);
	assert_int_equal(s.line[1], 3);
	assert_int_equal(s.seq[4], 8);
	journal_diags_free(&d);
	free(path);
}

static void
test_store_damaged_does_not_stop_others(void **state)
{
	char errbuf[ERRBUF_SIZE], *state_dir = xasprintf("%s/st", dir);
	char *p;
	struct incident_store *s;
	struct incident *inc;
	size_t i;
	int found = 0;

	(void)state;
	mkdir(state_dir, 0700);
	s = incident_store_open(state_dir, "op1", errbuf);
	assert_non_null(s);
	incident_store_set_now(s, 1795651200LL * 1000000);	/* 2026-11-26T00:00:00Z */
	assert_int_equal(incident_create(s, "ddos-own", "one", "manual",
	    "TLP:AMBER", &inc, errbuf), 0);
	assert_string_equal(inc->id, "2026-11-26-0001");
	assert_int_equal(incident_create(s, "spam", "two", "manual",
	    "TLP:GREEN", &inc, errbuf), 0);
	assert_string_equal(inc->id, "2026-11-26-0002");
	/* The list screen's filter: id, title or kind; all when empty;
	 * the count of matches even past the room given. */
	{
		size_t idx[1];

		assert_int_equal(incident_store_count(s), 2);
		assert_int_equal(incident_store_filter(s, "", idx, 1), 2);
		assert_int_equal(idx[0], 0);
		assert_int_equal(incident_store_filter(s, "spam", idx, 1), 1);
		assert_string_equal(incident_store_at(s, idx[0])->title, "two");
		assert_int_equal(incident_store_filter(s, "-0001", idx, 1), 1);
		assert_int_equal(idx[0], 0);
		assert_int_equal(incident_store_filter(s, "one", NULL, 0), 1);
		assert_int_equal(incident_store_filter(s, "nosuch", idx, 1), 0);
		assert_null(incident_store_at(s, 2));
		assert_string_equal(incident_store_state_dir(s), state_dir);
	}
	incident_store_free(s);
	/* Damage the first in the middle; add garbage files that are not
	 * journals; a journal that cannot be read. */
	p = xasprintf("%s/incidents/2026-11-26-0001.jsonl", state_dir);
	{
		FILE *f = fopen(p, "a");

		fputs("not json\n", f);
		fputs(EV(3), f);
		fclose(f);
	}
	free(p);
	p = xasprintf("%s/incidents/README", state_dir);
	write_file(p, "hello");
	free(p);
	p = xasprintf("%s/incidents/2026-11-26-0009.jsonl", state_dir);
	mkdir(p, 0700);		/* a directory: cannot be read as a file */
	free(p);
	s = incident_store_open(state_dir, "op1", errbuf);
	assert_non_null(s);
	assert_non_null(incident_find(s, "2026-11-26-0002"));
	inc = incident_find(s, "2026-11-26-0001");
	assert_non_null(inc);
	assert_int_equal(inc->nev, 2);	/* created + event 3 */
	assert_true(inc->ndiag >= 1);
	for (i = 0; i < incident_store_diags(s)->n; i++)
		if (strstr(incident_store_diags(s)->v[i].msg,
		    "2026-11-26-0001.jsonl:2:") != NULL)
			found = 1;
	assert_true(found);
	incident_store_free(s);
	free(state_dir);
}

/* Two processes append 300 events each to one journal at once. */
static void
test_concurrent_appends(void **state)
{
	char errbuf[ERRBUF_SIZE], *path = xasprintf("%s/conc.jsonl", dir);
	struct journal_diags d = { NULL, 0 };
	struct seen *s = xcalloc(1, sizeof(*s));
	const char *m = "\"ts\":\"2026-11-26T00:00:00Z\",\"type\":\"note\"";
	pid_t pid[2];
	int k, st;
	size_t i;

	(void)state;
	assert_int_equal(journal_create(path, m, strlen(m), errbuf), 0);
	for (k = 0; k < 2; k++) {
		if ((pid[k] = fork()) == 0) {
			char body[256];
			int n;

			for (n = 0; n < 300; n++) {
				int len = snprintf(body, sizeof(body), "%s,"
				    "\"writer\":%d,\"n\":%d,\"pad\":\"%0*d\"", m,
				    k, n, 100 + n % 50, 0);

				if (journal_append(path, body, (size_t)len, NULL,
				    errbuf) != 0)
					_exit(1);
			}
			_exit(0);
		}
		assert_true(pid[k] > 0);
	}
	for (k = 0; k < 2; k++) {
		assert_int_equal(waitpid(pid[k], &st, 0), pid[k]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(journal_replay(path, collect, s, &d), 601);
	assert_int_equal(d.n, 0);
	for (i = 0; i < s->n; i++)
		assert_int_equal(s->seq[i], (int64_t)i + 1);
	journal_diags_free(&d);
	free(s);
	free(path);
}

/* The write and sync path: a device that is always full makes the append
 * fail with a message, and nothing is claimed written. */
static void
test_write_failure(void **state)
{
	char errbuf[ERRBUF_SIZE], *path = xasprintf("%s/full.jsonl", dir);
	const char *m = "\"ts\":\"2026-11-26T00:00:00Z\",\"type\":\"note\"";
	uint64_t seq = 77;

	(void)state;
	if (symlink("/dev/full", path) != 0) {
		free(path);
		skip();
	}
	assert_int_equal(journal_append(path, m, strlen(m), &seq, errbuf), -1);
	assert_non_null(strstr(errbuf, "full.jsonl: write: "));
	assert_int_equal(seq, 77);
	/* A journal that does not exist is not created by an append. */
	assert_int_equal(journal_append("/nonexistent/x.jsonl", m, strlen(m),
	    &seq, errbuf), -1);
	assert_non_null(strstr(errbuf, "No such file"));
	free(path);
}

/* The largest sequence number (issue 19): an append after it is refused
 * with a message and writes nothing (it used to write 2^63, which replay
 * then dropped as damage), and replay after it neither overflows nor calls
 * the next event a gap. */
static void
test_seq_exhausted(void **state)
{
	char errbuf[ERRBUF_SIZE], *path = xasprintf("%s/max.jsonl", dir);
	const char *m = "\"ts\":\"2026-11-26T00:00:00Z\",\"type\":\"note\"";
	struct journal_diags d = { NULL, 0 };
	struct seen s;
	struct stat st0, st1;
	uint64_t seq = 77;

	(void)state;
	write_file(path, EV(1) "{\"seq\":9223372036854775807,\"ts\":"
	    "\"2026-11-26T00:00:02Z\",\"type\":\"note\",\"operator\":\"t\","
	    "\"text\":\"x\"}\n");
	assert_int_equal(stat(path, &st0), 0);
	assert_int_equal(journal_append(path, m, strlen(m), &seq, errbuf), -1);
	assert_non_null(strstr(errbuf, "max.jsonl: the journal's sequence "
	    "numbers are used up (last event 9223372036854775807)"));
	assert_int_equal(seq, 77);
	assert_int_equal(stat(path, &st1), 0);
	assert_int_equal(st1.st_size, st0.st_size);
	/* Damage after the maximum: an event that goes back. */
	write_file(path, EV(1) "{\"seq\":9223372036854775807,\"ts\":"
	    "\"2026-11-26T00:00:02Z\",\"type\":\"note\"}\n" EV(3));
	/* Replay: all three delivered; the one after the maximum goes back. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(journal_replay(path, collect, &s, &d), 3);
	assert_int_equal(s.seq[1], INT64_MAX);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].kind, JDIAG_SEQ);
	assert_non_null(strstr(d.v[0].msg, "max.jsonl:2: event "
	    "9223372036854775807 follows 1: 9223372036854775805 event(s) "
	    "missing"));
	assert_int_equal(d.v[1].kind, JDIAG_SEQ);
	assert_non_null(strstr(d.v[1].msg, "max.jsonl:3: event 3 repeats or "
	    "goes back (after 9223372036854775807)"));
	journal_diags_free(&d);
	/* One below the maximum still takes exactly one more event. */
	write_file(path, EV(1) "{\"seq\":9223372036854775806,\"ts\":"
	    "\"2026-11-26T00:00:02Z\",\"type\":\"note\"}\n");
	assert_int_equal(journal_append(path, m, strlen(m), &seq, errbuf), 0);
	assert_int_equal(seq, (uint64_t)INT64_MAX);
	assert_int_equal(journal_append(path, m, strlen(m), &seq, errbuf), -1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(journal_replay(path, collect, &s, &d), 3);
	assert_int_equal(s.seq[2], INT64_MAX);
	journal_diags_free(&d);
	free(path);
}

/*
 * A NUL character (JSON \u0000) in an event's string (issue 19): readers
 * take strings as C strings, so a title "abc\u0000def" was shown as "abc"
 * without a word. An append with one is refused; on replay the event is
 * damage, reported with FILE:LINE and the member that holds it.
 */
static void
test_nul_in_strings(void **state)
{
	char errbuf[ERRBUF_SIZE], *path = xasprintf("%s/nul.jsonl", dir);
	const char *m = "\"ts\":\"2026-11-26T00:00:00Z\",\"type\":\"note\","
	    "\"text\":\"before\\u0000after\"";
	const char *m2 = "\"ts\":\"2026-11-26T00:00:00Z\",\"type\":\"note\","
	    "\"x\":[{\"y\":\"\\u0000\"}]";
	char title[256];
	struct journal_diags d = { NULL, 0 };
	struct seen s;
	struct stat st0, st1;
	uint64_t seq = 77;

	(void)state;
	write_file(path, EV(1));
	assert_int_equal(stat(path, &st0), 0);
	assert_int_equal(journal_append(path, m, strlen(m), &seq, errbuf), -1);
	assert_string_equal(errbuf, "\"text\" holds a NUL character (\\u0000), "
	    "which would cut the text short; nothing was written");
	assert_int_equal(journal_append(path, m2, strlen(m2), &seq, errbuf), -1);
	assert_non_null(strstr(errbuf, "\"x\" holds a NUL"));
	assert_int_equal(seq, 77);
	assert_int_equal(stat(path, &st1), 0);
	assert_int_equal(st1.st_size, st0.st_size);
	/* A journal written by something else: the line is damage, named,
	 * but the event is kept (its TLP must not fall back to a default)
	 * with the NUL shown as U+FFFD, so nothing cuts the title short. */
	write_file(path, "{\"seq\":1,\"ts\":\"2026-11-26T00:00:00Z\",\"type\":"
	    "\"created\",\"operator\":\"t\",\"kind\":\"k\",\"title\":"
	    "\"UDP flood\\u0000 against 203.0.113.5\",\"source\":\"manual\","
	    "\"tlp\":\"TLP:RED\"}\n" EV(2));
	memset(&s, 0, sizeof(s));
	title[0] = '\0';
	assert_int_equal(journal_replay(path, collect_title, title, &d), 2);
	assert_string_equal(title, "UDP flood\xef\xbf\xbd against 203.0.113.5"
	    " TLP:RED");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, JDIAG_DAMAGE);
	assert_non_null(strstr(d.v[0].msg, "/nul.jsonl:1: \"title\" holds a NUL "
	    "character (\\u0000) that would cut its text short (damage): "
	    "shown as U+FFFD"));
	journal_diags_free(&d);
	free(path);
}

/*
 * Without --operator, events name who is logged in: $LOGNAME, then $USER,
 * then the password database -- "unknown" only when none gives a name.
 */
static void
test_default_operator(void **state)
{
	char errbuf[ERRBUF_SIZE], *state_dir = xasprintf("%s/op", dir);
	struct passwd *pw = getpwuid(getuid());
	struct incident_store *s;
	struct incident *inc;

	(void)state;
	assert_non_null(pw);
	mkdir(state_dir, 0700);
	unsetenv("USER");
	setenv("LOGNAME", "sato", 1);
	s = incident_store_open(state_dir, NULL, errbuf);
	assert_non_null(s);
	assert_string_equal(incident_store_operator(s), "sato");
	incident_store_free(s);
	/* No $USER and no $LOGNAME (cron, systemd, env -i): the uid's name */
	unsetenv("LOGNAME");
	s = incident_store_open(state_dir, "", errbuf);
	assert_non_null(s);
	assert_string_equal(incident_store_operator(s), pw->pw_name);
	incident_store_set_now(s, 1795651200LL * 1000000);
	assert_int_equal(incident_create(s, "ddos-own", "who", "manual",
	    "TLP:AMBER", &inc, errbuf), 0);
	assert_string_equal(inc->created_by, pw->pw_name);
	assert_string_equal(inc->ev[0].operator, pw->pw_name);
	incident_store_free(s);
	free(state_dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_append_replay),
		cmocka_unit_test(test_torn_last_line),
		cmocka_unit_test(test_damage_mid_file),
		cmocka_unit_test(test_store_damaged_does_not_stop_others),
		cmocka_unit_test(test_concurrent_appends),
		cmocka_unit_test(test_write_failure),
		cmocka_unit_test(test_seq_exhausted),
		cmocka_unit_test(test_nul_in_strings),
		cmocka_unit_test(test_default_operator),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
