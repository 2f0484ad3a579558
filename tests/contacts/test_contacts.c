/*
 * test_contacts.c -- the contact database: parsing (continuations, comments,
 * unknown fields, Japanese text), every diagnostic with its exact
 * FILE:LINE, saving (byte-identical round trip, edits touching only the
 * edited record, atomic replace, refusing to overwrite someone else's
 * change), a long run of random edits that must never lose a record, and
 * matching order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "contacts/contacts.h"
#include "base/util.h"

#include "testutil.h"

static const char sample[] =
    "# kyocho contacts (test)\n"
    "# 二行目のコメント\n"
    "\n"
    "id: ex-ru\n"
    "org: Example Peering ISP (Russia)\n"
    "kind: peering-isp\n"
    "country: RU\n"
    "timezone: Europe/Moscow\n"
    "hours: Mon-Fri 09:00-18:00\n"
    "languages: ru\n"
    "abuse-email: abuse@example.net\n"
    "phone: +7 495 555 0100\n"
    "asn: AS64496\n"
    "# a comment inside a record\n"
    "prefixes: 192.0.2.0/24,\n"
    "  2001:db8::/32\n"
    "notes: Not a real organisation.\n"
    "  Abuse desk answers in Russian only.\n"
    "x-custom: kept as is\n"
    "\n"
    "\n"
    "id: jpcert\n"
    "org: JPCERT コーディネーションセンター\n"
    "kind: national-csirt\n"
    "country: JP\n"
    "timezone: Asia/Tokyo\n"
    "hours: Mon-Fri 09:00-17:30\n"
    "constituency: JP\n"
    "\n"
    "id: ex-br\n"
    "org: Example Hosting (Brazil)\n"
    "kind: hosting\n"
    "country: BR\n"
    "timezone: America/Sao_Paulo\n"
    "hours: Mon-Fri 08:00-17:00\n"
    "languages: pt-BR, es\n"
    "asn: AS64500-AS64505\n"
    "prefixes: 198.51.100.0/24\n"
    "\n"
    "id: first\n"
    "org: FIRST\n"
    "kind: first-team\n"
    "timezone: America/New_York\n"
    "\n"
    "id: ex-ru-noc\n"
    "org: Example Peering ISP NOC\n"
    "kind: peering-isp\n"
    "country: RU\n"
    "timezone: Europe/Moscow\n"
    "hours: 24x7\n"
    "prefixes: 192.0.2.128/25\n";

static struct contacts *
parse(const char *name, const char *text)
{
	return contacts_parse(name, (const uint8_t *)text, strlen(text));
}

static char *
tmpdir_new(void)
{
	char *d = xstrdup("/tmp/kyocho-contacts-XXXXXX");

	if (mkdtemp(d) == NULL)
		fail_msg("mkdtemp");
	return d;
}

static void
rm_rf(const char *d)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	if (system(cmd) != 0)
		fail_msg("rm");
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static char *
read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = xmalloc(1 << 22);

	assert_non_null(f);
	*n = fread(buf, 1, (1 << 22) - 1, f);
	buf[*n] = '\0';
	fclose(f);
	return buf;
}

static void
test_parse(void **state)
{
	struct contacts *db = parse("s.txt", sample);
	const struct contact *c;

	(void)state;
	assert_int_equal(contacts_ndiags(db), 0);
	assert_int_equal(contacts_count(db), 5);
	assert_int_equal(contacts_ninvalid(db), 0);
	c = contacts_get(db, 0);
	assert_string_equal(c->id, "ex-ru");
	assert_int_equal(c->line, 4);
	assert_int_equal(c->kind, CK_PEERING_ISP);
	assert_non_null(c->tz);
	assert_int_equal(c->nprefixes, 2);
	assert_int_equal(c->nasns, 1);
	assert_int_equal(c->asns[0].lo, 64496);
	assert_string_equal(c->notes, "Not a real organisation.\n"
	    "Abuse desk answers in Russian only.");
	assert_string_equal(contact_field(c, "x-custom"), "kept as is");
	assert_int_equal(c->abuse_email.n, 1);
	assert_int_equal(c->phone.n, 1);
	assert_string_equal(c->phone.v[0], "+7 495 555 0100");
	c = contacts_get(db, 1);
	assert_string_equal(c->org, "JPCERT コーディネーションセンター");
	assert_int_equal(c->line, 22);
	c = contacts_get(db, 2);
	assert_int_equal(c->languages.n, 2);
	assert_string_equal(c->languages.v[0], "pt-BR");
	assert_int_equal(c->asns[0].hi, 64505);
	assert_int_equal(contacts_find(db, "first"), 3);
	assert_int_equal(contacts_find(db, "nobody"), -1);
	contacts_free(db);
}

static void
test_diagnostics(void **state)
{
	static const char damaged[] =
	    "# damaged\n"					/* 1 */
	    "  continuation before any field\n"			/* 2 */
	    "id: a\n"						/* 3 */
	    "org: A\n"						/* 4 */
	    "timezone: Asia/Tokio\n"				/* 5 */
	    "country: JP\n"					/* 6 */
	    "hours: Mon-Fir 09:00-18:00\n"			/* 7 */
	    "email: abuse@@example.net\n"			/* 8 */
	    "\n"						/* 9 */
	    "id: a\n"						/* 10 */
	    "org: duplicate id\n"				/* 11 */
	    "\n"						/* 12 */
	    "org: no id\n"					/* 13 */
	    "country: XX\n"					/* 14 */
	    "languages: en_US, ja\n"				/* 15 */
	    "asn: AS64496, ASX\n"				/* 16 */
	    "prefixes: 192.0.2.0/24,\n"				/* 17 */
	    "  192.0.2.1/24\n"					/* 18 */
	    "verified: 2026-02-30\n"				/* 19 */
	    "url: ftp://example.net/\n"				/* 20 */
	    "security-txt: http://example.net/.well-known/security.txt\n" /* 21 */
	    "kind: pirate\n"					/* 22 */
	    "tlp: PURPLE\n"					/* 23 */
	    "pgp: 1234\n"					/* 24 */
	    "phone: 03-1234-5678\n"				/* 25 */
	    "constituency: JP, ZZ\n"				/* 26 */
	    "this line has no colon\n"				/* 27 */
	    "org: twice\n"					/* 28 */
	    "\n"						/* 29 */
	    "id: utf\n"						/* 30 */
	    "org: bad \xff byte\n"				/* 31 */
	    "notes: ok\n"					/* 32 */
	    "  esc \x1b[31m here\n"				/* 33 */
	    "\n"						/* 34 */
	    "id: good\n"					/* 35 */
	    "org: Good\n";					/* 36 */
	static const char *const want[] = {
	    "d.txt:2: continuation line (it starts with a blank) with no field before it",
	    "d.txt:5: timezone: 'Asia/Tokio' is not a known zone (zones for JP: Asia/Tokyo)",
	    "d.txt:7: hours: 'Fir' is not a day (Mon Tue Wed Thu Fri Sat Sun)",
	    "d.txt:8: email: 'abuse@@example.net' is not an e-mail address (user@example.net)",
	    "d.txt:10: id: 'a' is already used by the record at line 3",
	    "d.txt:13: id: missing (every record needs a unique id)",
	    "d.txt:14: country: 'XX' is not an ISO 3166-1 alpha-2 country code (JP, RU, BR)",
	    "d.txt:15: languages: 'en_US' is not a BCP 47 language tag (ja, en, ru, pt-BR)",
	    "d.txt:16: asn: 'ASX' is not an AS number (AS64496, 64496 or a range AS64496-AS64511; 1 to 4294967295)",
	    "d.txt:18: prefixes: '192.0.2.1/24' has host bits set (did you mean 192.0.2.0/24?)",
	    "d.txt:19: verified: '2026-02-30' is not a date (YYYY-MM-DD)",
	    "d.txt:20: url: 'ftp://example.net/' is not an http or https URL",
	    "d.txt:21: security-txt: 'http://example.net/.well-known/security.txt' is not an https URL (RFC 9116)",
	    "d.txt:22: kind: 'pirate' is not a kind (one of peering-isp, transit-isp, customer, national-csirt, national-poc, csirt, first-team, nog, rir, isac, anti-abuse, law-enforcement, hosting, registrar, domestic-agency, other)",
	    "d.txt:23: tlp: 'PURPLE' does not start with a TLP label (TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED)",
	    "d.txt:24: pgp: '1234' is not a key fingerprint (40 or 64 hex digits)",
	    "d.txt:25: phone: '03-1234-5678' is not an international phone number (+81 3 1234 5678)",
	    "d.txt:26: constituency: 'ZZ' is not an ISO 3166-1 alpha-2 country code (JP, RU, BR)",
	    "d.txt:27: expected 'key: value', got 'this line has no colon'",
	    "d.txt:28: org: given twice (first at line 13)",
	    "d.txt:31: org: invalid UTF-8 at byte 10 of the line",
	    "d.txt:33: notes: control character 0x1b at byte 7 of the line",
	};
	struct contacts *db = parse("d.txt", damaged);
	char buf[1024];
	size_t i;

	(void)state;
	for (i = 0; i < contacts_ndiags(db) && i < NITEMS(want); i++) {
		contacts_diag_format(db, i, buf, sizeof(buf));
		if (strcmp(buf, want[i]) != 0)
			fail_msg("diag %zu:\n got  %s\n want %s", i, buf, want[i]);
	}
	if (contacts_ndiags(db) != NITEMS(want))
		fail_msg("%zu diagnostics, want %zu", contacts_ndiags(db),
		    NITEMS(want));
	assert_int_equal(contacts_count(db), 5);
	assert_int_equal(contacts_ninvalid(db), 4);
	assert_true(contacts_get(db, 4)->valid);
	/* The bad bytes are kept as they were. */
	{
		size_t n;
		const uint8_t *t = contacts_text(db, &n);

		assert_int_equal(n, sizeof(damaged) - 1);
		assert_memory_equal(t, damaged, n);
	}
	contacts_free(db);
}

static void
test_roundtrip_and_update(void **state)
{
	char *dir = tmpdir_new(), path[256], err[ERRBUF_SIZE], *back;
	struct contacts *db;
	struct contacts_kv kv[3];
	size_t n;
	const char *rec2 = strstr(sample, "id: jpcert");
	const char *rec3 = strstr(sample, "id: ex-br");
	const char *p;

	(void)state;
	snprintf(path, sizeof(path), "%s/contacts.txt", dir);
	write_file(path, sample, strlen(sample));
	assert_int_equal(contacts_load(path, 0, &db, err), 0);
	assert_int_equal(contacts_save(db, err), 0);
	back = read_all(path, &n);
	assert_int_equal(n, strlen(sample));
	assert_memory_equal(back, sample, n);
	free(back);

	/* Update the first record: its comment, unknown field and order
	 * stay; every other byte of the file stays. */
	kv[0].key = "hours";
	kv[0].value = "Mon-Fri 10:00-19:00";
	kv[1].key = "email";
	kv[1].value = "noc@example.net";
	kv[2].key = "notes";
	kv[2].value = NULL;
	assert_int_equal(contacts_update(db, 0, kv, 3, err), 0);
	assert_true(contacts_dirty(db));
	assert_int_equal(contacts_save(db, err), 0);
	assert_false(contacts_dirty(db));
	back = read_all(path, &n);
	p = strstr(back, "id: jpcert");
	assert_non_null(p);
	assert_string_equal(p, rec2);	/* everything after is unchanged */
	assert_memory_equal(back, sample, 60);	/* header comments */
	assert_non_null(strstr(back, "hours: Mon-Fri 10:00-19:00\nlanguages"));
	assert_non_null(strstr(back, "# a comment inside a record\n"));
	assert_non_null(strstr(back, "x-custom: kept as is\nemail: noc@example.net\n"));
	assert_null(strstr(back, "Abuse desk answers"));
	free(back);

	/* Update the third; the first (already edited) and the rest keep
	 * their bytes. */
	kv[0].key = "org";
	kv[0].value = "Exemplo Hospedagem\nsegunda linha";
	assert_int_equal(contacts_update(db, 2, kv, 1, err), 0);
	assert_int_equal(contacts_save(db, err), 0);
	back = read_all(path, &n);
	assert_non_null(strstr(back, "id: ex-br\norg: Exemplo Hospedagem\n  segunda linha\nkind: hosting\n"));
	assert_non_null(strstr(back, strstr(sample, "id: first")));
	assert_int_equal(strncmp(strstr(back, "id: jpcert"), rec2,
	    (size_t)(rec3 - rec2)), 0);
	free(back);
	contacts_free(db);
	assert_int_equal(contacts_load(path, 0, &db, err), 0);
	assert_int_equal(contacts_ndiags(db), 0);
	assert_string_equal(contacts_get(db, 2)->org,
	    "Exemplo Hospedagem\nsegunda linha");
	contacts_free(db);
	rm_rf(dir);
	free(dir);
}

static void
test_edit_rejected(void **state)
{
	struct contacts *db = parse("s.txt", sample);
	struct contacts_kv kv[2];
	char err[ERRBUF_SIZE];
	size_t n0, n1;
	const uint8_t *t0 = contacts_text(db, &n0);
	char *before = xstrndup((const char *)t0, n0);

	(void)state;
	kv[0].key = "timezone";
	kv[0].value = "Asia/Tokio";
	assert_int_equal(contacts_update(db, 1, kv, 1, err), -1);
	assert_non_null(strstr(err, "timezone: 'Asia/Tokio' is not a known zone"));
	kv[0].key = "id";
	kv[0].value = "jpcert";
	assert_int_equal(contacts_update(db, 0, kv, 1, err), -1);
	assert_non_null(strstr(err, "already used"));
	assert_int_equal(contacts_add(db, kv, 1, err), -1);
	kv[0].key = "org";
	kv[0].value = "No id";
	assert_int_equal(contacts_add(db, kv, 1, err), -1);
	assert_non_null(strstr(err, "id: missing"));
	kv[0].key = "bad key!";
	assert_int_equal(contacts_update(db, 0, kv, 1, err), -1);
	kv[0].key = "id";
	kv[0].value = NULL;
	assert_int_equal(contacts_update(db, 0, kv, 1, err), -1);
	assert_int_equal(contacts_update(db, 99, kv, 1, err), -1);
	assert_int_equal(contacts_delete(db, 99, err), -1);
	t0 = contacts_text(db, &n1);
	assert_int_equal(n0, n1);
	assert_memory_equal(t0, before, n0);
	assert_false(contacts_dirty(db));
	/* Add, then delete. */
	kv[0].key = "id";
	kv[0].value = "new";
	kv[1].key = "timezone";
	kv[1].value = "Asia/Seoul";
	assert_int_equal(contacts_add(db, kv, 2, err), 0);
	assert_int_equal(contacts_count(db), 6);
	assert_int_equal(contacts_find(db, "new"), 5);
	assert_int_equal(contacts_delete(db, 1, err), 0);
	assert_int_equal(contacts_count(db), 5);
	assert_int_equal(contacts_find(db, "jpcert"), -1);
	assert_int_equal(contacts_find(db, "new"), 4);
	t0 = contacts_text(db, &n1);
	assert_non_null(strstr((const char *)t0, strstr(sample, "id: ex-br")));
	free(before);
	contacts_free(db);
}

/* Random adds, updates and deletes against a model of the ids, saving and
 * reloading as we go, with a damaged record that must survive untouched. */
static void
test_many_edits(void **state)
{
	static const char damaged[] = "id: broken\norg: \xc3\x28 bad\n";
	char *dir = tmpdir_new(), path[256], err[ERRBUF_SIZE], *text;
	struct contacts *db;
	char ids[400][16];
	size_t nids = 0, i, n;
	unsigned seed = 12345;
	int round;

	(void)state;
	snprintf(path, sizeof(path), "%s/c.txt", dir);
	text = xasprintf("%s\n%s", sample, damaged);
	write_file(path, text, strlen(text));
	free(text);
	assert_int_equal(contacts_load(path, 0, &db, err), 0);
	assert_int_equal(contacts_ninvalid(db), 1);
	for (i = 0; i < contacts_count(db); i++)
		if (contacts_get(db, i)->valid)
			snprintf(ids[nids++], sizeof(ids[0]), "%s",
			    contacts_get(db, i)->id);
	for (round = 0; round < 300; round++) {
		int op;
		struct contacts_kv kv[3];
		char id[16], org[32];

		seed = seed * 1103515245 + 12345;
		op = (int)((seed >> 16) % 3);
		if (op == 0 || nids < 3) {
			snprintf(id, sizeof(id), "r%d", round);
			snprintf(org, sizeof(org), "Org %d 組織", round);
			kv[0].key = "id";
			kv[0].value = id;
			kv[1].key = "org";
			kv[1].value = org;
			kv[2].key = "timezone";
			kv[2].value = round % 2 ? "Asia/Tokyo" : "Europe/Paris";
			assert_int_equal(contacts_add(db, kv, 3, err), 0);
			snprintf(ids[nids++], sizeof(ids[0]), "%s", id);
		} else {
			size_t k = (seed >> 8) % nids;
			long at = contacts_find(db, ids[k]);

			assert_true(at >= 0);
			if (op == 1) {
				snprintf(org, sizeof(org), "Updated %d", round);
				kv[0].key = "org";
				kv[0].value = org;
				kv[1].key = "hours";
				kv[1].value = "Mon-Fri 09:00-17:00";
				assert_int_equal(contacts_update(db, (size_t)at,
				    kv, 2, err), 0);
			} else {
				assert_int_equal(contacts_delete(db, (size_t)at,
				    err), 0);
				memmove(ids[k], ids[nids - 1], sizeof(ids[0]));
				nids--;
			}
		}
		if (round % 25 == 24) {
			assert_int_equal(contacts_save(db, err), 0);
			contacts_free(db);
			assert_int_equal(contacts_load(path, 0, &db, err), 0);
		}
		/* Every id we expect is there, once; the damaged record too. */
		assert_int_equal(contacts_count(db), nids + 1);
		for (i = 0; i < nids; i++)
			assert_true(contacts_find(db, ids[i]) >= 0);
		assert_int_equal(contacts_ninvalid(db), 1);
	}
	assert_int_equal(contacts_save(db, err), 0);
	contacts_free(db);
	text = read_all(path, &n);
	assert_non_null(strstr(text, damaged));
	free(text);
	rm_rf(dir);
	free(dir);
}

static void
test_save_conflict(void **state)
{
	char *dir = tmpdir_new(), path[256], err[ERRBUF_SIZE], *back;
	struct contacts *db;
	struct contacts_kv kv = { "org", "Mine" };
	size_t n;
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/c.txt", dir);
	write_file(path, sample, strlen(sample));
	chmod(path, 0640);
	assert_int_equal(contacts_load(path, 0, &db, err), 0);
	assert_int_equal(contacts_update(db, 0, &kv, 1, err), 0);
	/* Someone else saves first. */
	sleep(0);
	write_file(path, "id: theirs\n", 11);
	{
		struct timespec t[2] = { { 0, UTIME_NOW }, { 1, 0 } };

		utimensat(AT_FDCWD, path, t, 0);
	}
	assert_int_equal(contacts_save(db, err), -1);
	assert_non_null(strstr(err, "changed on disk"));
	back = read_all(path, &n);
	assert_string_equal(back, "id: theirs\n");
	free(back);
	contacts_free(db);
	/* Mode survives an atomic save. */
	write_file(path, sample, strlen(sample));
	assert_int_equal(contacts_load(path, 0, &db, err), 0);
	assert_int_equal(contacts_update(db, 0, &kv, 1, err), 0);
	assert_int_equal(contacts_save(db, err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	contacts_free(db);
	/* A new file. */
	snprintf(path, sizeof(path), "%s/new.txt", dir);
	assert_int_equal(contacts_load(path, 0, &db, err), -1);
	assert_int_equal(contacts_load(path, 1, &db, err), 0);
	kv.key = "id";
	kv.value = "first";
	assert_int_equal(contacts_add(db, &kv, 1, err), 0);
	assert_int_equal(contacts_save(db, err), 0);
	back = read_all(path, &n);
	assert_string_equal(back, "id: first\n");
	free(back);
	contacts_free(db);
	rm_rf(dir);
	free(dir);
}

static void
test_match(void **state)
{
	struct contacts *db = parse("s.txt", sample);
	struct contacts_query q;
	struct contact_match *m;
	char err[ERRBUF_SIZE];
	size_t n;

	(void)state;
	/* Thursday 09:30 in Tokyo = 03:30 in Moscow: ex-ru is closed, its
	 * 24x7 NOC is open. */
	assert_int_equal(contacts_query_parse("192.0.2.200", &q, err), 0);
	n = contacts_match(db, &q, ts("2026-11-26T09:30:00+09:00"), &m);
	assert_int_equal(n, 3);
	assert_string_equal(m[0].c->id, "ex-ru-noc");	/* /25 beats /24 */
	assert_int_equal(m[0].rel, REL_PREFIX);
	assert_int_equal(m[0].plen, 25);
	assert_string_equal(m[1].c->id, "ex-ru");
	assert_int_equal(m[1].st.open, 0);
	assert_string_equal(m[2].c->id, "first");
	assert_int_equal(m[2].rel, REL_GLOBAL);
	free(m);
	assert_int_equal(contacts_query_parse("AS64502", &q, err), 0);
	n = contacts_match(db, &q, ts("2026-11-26T09:30:00+09:00"), &m);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].c->id, "ex-br");
	assert_int_equal(m[0].rel, REL_ASN);
	free(m);
	/* Country: both Russian records; the open one first. */
	assert_int_equal(contacts_query_parse("ru", &q, err), 0);
	n = contacts_match(db, &q, ts("2026-11-26T09:30:00+09:00"), &m);
	assert_int_equal(n, 3);
	assert_string_equal(m[0].c->id, "ex-ru-noc");
	assert_string_equal(m[1].c->id, "ex-ru");
	free(m);
	/* At 12:00 Moscow time, both are open: file order. */
	n = contacts_match(db, &q, ts("2026-11-26T12:00:00+03:00"), &m);
	assert_string_equal(m[0].c->id, "ex-ru");
	assert_int_equal(m[0].st.open, 1);
	assert_int_equal(m[0].st.hs.next_close, ts("2026-11-26T18:00:00+03:00"));
	free(m);
	assert_int_equal(contacts_query_parse("JP", &q, err), 0);
	n = contacts_match(db, &q, ts("2026-11-26T09:30:00+09:00"), &m);
	assert_string_equal(m[0].c->id, "jpcert");
	free(m);
	assert_int_equal(contacts_query_parse(NULL, &q, err), 0);
	n = contacts_match(db, &q, ts("2026-11-26T09:30:00+09:00"), &m);
	assert_int_equal(n, 5);
	free(m);
	assert_int_equal(contacts_query_parse("not-a-thing", &q, err), -1);
	assert_int_equal(contacts_query_parse("XX", &q, err), -1);
	{
		size_t idx[8];

		assert_int_equal(contacts_search(db, "コーディネーション", idx, 8), 1);
		assert_int_equal(idx[0], 1);
		assert_int_equal(contacts_search(db, "RUSSIA", idx, 8), 1);
		assert_int_equal(contacts_search(db, "example", idx, 8), 3);
	}
	contacts_free(db);
}

/* Issue 13: within the prefix tier, a closed Russian-only abuse desk on the
 * longer prefix must not outrank the same network's open 24x7 NOC. */
static void
test_match_open_before_longer(void **state)
{
	static const char text[] =
	    "id: desk\nkind: peering-isp\ncountry: RU\n"
	    "timezone: Europe/Moscow\nhours: Mon-Fri 09:00-18:00\n"
	    "languages: ru\nabuse-email: abuse@ru.example.net\n"
	    "asn: AS64496\nprefixes: 192.0.2.0/25\n\n"
	    "id: noc\nkind: peering-isp\ncountry: RU\n"
	    "timezone: Europe/Moscow\nhours: 24x7\nlanguages: ru, en\n"
	    "email: noc@ru.example.net\nasn: AS64496\n"
	    "prefixes: 192.0.2.0/24\n";
	struct contacts *db = parse("o.txt", text);
	struct contacts_query q;
	struct contact_match *m;
	char err[ERRBUF_SIZE];
	size_t n;

	(void)state;
	assert_int_equal(contacts_ninvalid(db), 0);
	/* 10:00 in Tokyo is 04:00 in Moscow: the desk is closed. */
	assert_int_equal(contacts_query_parse("192.0.2.5", &q, err), 0);
	n = contacts_match(db, &q, ts("2026-11-26T10:00:00+09:00"), &m);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].c->id, "noc");
	assert_int_equal(m[0].st.open, 1);
	assert_string_equal(m[1].c->id, "desk");
	assert_int_equal(m[1].plen, 25);
	free(m);
	/* 16:00 in Tokyo is 10:00 in Moscow: both open, the longer prefix
	 * (the desk that handles abuse for that block) comes first. */
	n = contacts_match(db, &q, ts("2026-11-26T16:00:00+09:00"), &m);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].c->id, "desk");
	free(m);
	contacts_free(db);
}

static void
test_syntax(void **state)
{
	static const char *const tags_ok[] = { "ja", "en", "en-US", "pt-BR",
	    "zh-Hant-TW", "sr-Latn-RS", "de-CH-1996", "es-419", "x-private",
	    "en-a-bbb-x-ccc", "zh-yue-HK", "ja-JP-u-ca-japanese" };
	static const char *const tags_bad[] = { "en_US", "e", "toolongtag",
	    "en--US", "en-", "-en", "en-x", "12", "ja-JP-u" };
	static const char *const mail_ok[] = { "abuse@example.net",
	    "a.b+c@sub.example.co.jp", "窓口@例え.jp" };
	static const char *const mail_bad[] = { "a@b", "@example.net",
	    "a..b@example.net", "a@-example.net", "a@example.123", "a b@x.net",
	    ".a@example.net", "a@@example.net", "a@example..net" };
	FILE *f;
	char line[256];
	int n = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(tags_ok); i++)
		if (!contacts_langtag_ok(tags_ok[i]))
			fail_msg("%s rejected", tags_ok[i]);
	for (i = 0; i < NITEMS(tags_bad); i++)
		if (contacts_langtag_ok(tags_bad[i]))
			fail_msg("%s accepted", tags_bad[i]);
	for (i = 0; i < NITEMS(mail_ok); i++)
		if (!contacts_email_ok(mail_ok[i]))
			fail_msg("%s rejected", mail_ok[i]);
	for (i = 0; i < NITEMS(mail_bad); i++)
		if (contacts_email_ok(mail_bad[i]))
			fail_msg("%s accepted", mail_bad[i]);
	assert_true(contacts_url_ok("https://www.jpcert.or.jp/", 1));
	assert_true(contacts_url_ok("http://[2001:db8::1]:8080/x", 0));
	assert_false(contacts_url_ok("http://x.example/", 1));
	assert_false(contacts_url_ok("https://exa mple.net/", 0));
	assert_false(contacts_url_ok("javascript:alert(1)", 0));
	/* The country table is tzdata's iso3166.tab. */
	f = fopen("/usr/share/zoneinfo/iso3166.tab", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		line[2] = '\0';
		if (!contacts_country_ok(line))
			fail_msg("%s missing", line);
		n++;
	}
	fclose(f);
	assert_int_equal(n, 249);
	assert_false(contacts_country_ok("ZZ"));
	assert_false(contacts_country_ok("UK"));
	assert_int_equal(contacts_kind_parse("first-team"), CK_FIRST_TEAM);
	assert_int_equal(contacts_kind_parse("nope"), -1);
}

/* An address over 254 bytes cannot be used (RFC 5321 4.5.3.1.3): the
 * contact file refused none before the checks were shared (issue 20). */
static void
test_email_length(void **state)
{
	char addr[300];

	(void)state;
	memset(addr, 'x', 64);
	addr[64] = '@';
	memset(addr + 65, 'a', 63);
	addr[128] = '.';
	memset(addr + 129, 'b', 63);
	addr[192] = '.';
	memset(addr + 193, 'c', 57);
	strcpy(addr + 250, ".net");
	assert_int_equal(strlen(addr), 254);
	assert_true(contacts_email_ok(addr));
	addr[249] = 'c';
	strcpy(addr + 250, "c.net");
	assert_int_equal(strlen(addr), 255);
	assert_false(contacts_email_ok(addr));
}

static void
test_edges(void **state)
{
	struct contacts *db;
	struct contacts_kv kv = { "email", "noc@example.net" };
	char err[ERRBUF_SIZE];
	const uint8_t *t;
	size_t n;

	(void)state;
	/* A byte order mark is skipped and kept. */
	db = parse("bom.txt", "\xef\xbb\xbfid: a\norg: A\n");
	assert_int_equal(contacts_ndiags(db), 0);
	assert_int_equal(contacts_count(db), 1);
	assert_int_equal(contacts_update(db, 0, &kv, 1, err), 0);
	t = contacts_text(db, &n);
	assert_memory_equal(t, "\xef\xbb\xbfid: a\norg: A\nemail: noc@example.net\n",
	    n);
	contacts_free(db);
	/* A last line without a newline cannot swallow an appended field. */
	db = parse("nonl.txt", "id: a\norg: A\n# last, no newline");
	assert_int_equal(contacts_update(db, 0, &kv, 1, err), 0);
	assert_string_equal(contact_field(contacts_get(db, 0), "email"),
	    "noc@example.net");
	t = contacts_text(db, &n);
	assert_non_null(strstr((const char *)t, "# last, no newline\n"));
	contacts_free(db);
	/* CRLF files: values lose the CR, untouched records keep it. */
	db = parse("crlf.txt", "id: a\r\norg: A\r\n\r\nid: b\r\norg: B\r\n");
	assert_int_equal(contacts_ndiags(db), 0);
	assert_int_equal(contacts_count(db), 2);
	assert_string_equal(contacts_get(db, 0)->org, "A");
	assert_int_equal(contacts_update(db, 1, &kv, 1, err), 0);
	t = contacts_text(db, &n);
	assert_memory_equal(t, "id: a\r\norg: A\r\n\r\nid: b\r\n", 20);
	contacts_free(db);
	/* A long continuation: every line counts, errors point at theirs. */
	db = parse("long.txt", "id: a\nprefixes: 192.0.2.0/26,\n  192.0.2.64/26\n"
	    "  192.0.2.128/26\n  192.0.2.192/26\n  2001:db8::/32\n"
	    "  2001:db8::1/32\n");
	assert_int_equal(contacts_ndiags(db), 1);
	assert_int_equal(contacts_diag(db, 0)->line, 7);
	assert_false(contacts_get(db, 0)->valid);
	assert_int_equal(contacts_get(db, 0)->nprefixes, 5);	/* the good ones */
	contacts_free(db);
	db = parse("long.txt", "id: a\nprefixes: 192.0.2.0/26,\n  192.0.2.64/26\n"
	    "  192.0.2.128/26\n  192.0.2.192/26\n  2001:db8::/32\n");
	assert_int_equal(contacts_ndiags(db), 0);
	assert_int_equal(contacts_get(db, 0)->nprefixes, 5);
	contacts_free(db);
	/* Empty and comment-only files. */
	db = parse("empty.txt", "");
	assert_int_equal(contacts_count(db), 0);
	contacts_free(db);
	db = parse("c.txt", "# only\n# comments\n\n\n");
	assert_int_equal(contacts_count(db), 0);
	assert_int_equal(contacts_ndiags(db), 0);
	contacts_free(db);
}

/* One record: "id: a", then n "notes: " lines of 13 letters, or (hours != 0)
 * n "hours: " lines. A new string. */
static char *
repeated_text(size_t n, int hours, size_t *len)
{
	const char *line = hours ? "hours: Mon 09:00-10:00\n" :
	    "notes: abcdefghijklm\n";
	size_t ll = strlen(line), i;
	char *t = xmalloc(n * ll + 32), *p = t;

	p += sprintf(p, "id: a\norg: A\n");
	for (i = 0; i < n; i++, p += ll)
		memcpy(p, line, ll);
	*p = '\0';
	*len = (size_t)(p - t);
	return t;
}

/*
 * Repeated notes: (and hours:) fields are joined once (issue 19): a 1 MB
 * file of notes: lines used to take memory quadratic in their number
 * (every repeat copied the text so far into the arena) and exhausted it.
 * Checked two ways: a child parses it under a 512 MiB address-space limit
 * (not under AddressSanitizer, whose shadow needs terabytes of address
 * space), and the arena's byte count grows linearly -- twice the lines,
 * at most about twice the bytes -- and stays a small multiple of the file.
 */
static void
test_repeated_fields_linear(void **state)
{
	size_t n = 1u << 20, len, len2, i, want;
	char *t, *t2;
	struct contacts *db, *db2;
	const struct contact *c;
	size_t a1, a2;
	int hours;

	(void)state;
	n /= strlen("notes: abcdefghijklm\n");	/* 1 MiB of notes: lines */
	t = repeated_text(n, 0, &len);
#if !defined(__SANITIZE_ADDRESS__) && !defined(KYOCHO_TEST_ASAN)
	{
		pid_t pid = fork();
		int st;

		assert_true(pid >= 0);
		if (pid == 0) {
			struct rlimit rl = { 512u << 20, 512u << 20 };

			if (setrlimit(RLIMIT_AS, &rl) != 0)
				_exit(3);
			db = contacts_parse("notes.txt", (const uint8_t *)t, len);
			c = contacts_get(db, 0);
			_exit(c != NULL && strlen(c->notes) == n * 14 - 1 ? 0 : 4);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fail_msg("parsing 1 MiB of notes: under a 512 MiB limit: "
			    "%s %d", WIFEXITED(st) ? "exit" : "signal",
			    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
#endif
	for (hours = 0; hours <= 1; hours++) {
		if (hours) {
			free(t);
			n = 4096;
			t = repeated_text(n, 1, &len);
		}
		t2 = repeated_text(2 * n, hours, &len2);
		db = contacts_parse("r.txt", (const uint8_t *)t, len);
		db2 = contacts_parse("r.txt", (const uint8_t *)t2, len2);
		c = contacts_get(db2, 0);
		assert_non_null(c);
		if (hours) {
			/* All joined with "; " (too many ranges is fine to
			 * refuse; the text is what matters here). */
			want = 2 * n * strlen("Mon 09:00-10:00") + (2 * n - 1) * 2;
			assert_int_equal(strlen(c->hours_text), want);
			assert_memory_equal(c->hours_text, "Mon 09:00-10:00; Mon ",
			    21);
		} else {
			want = 2 * n * 14 - 1;
			assert_int_equal(strlen(c->notes), want);
			for (i = 0; i < want; i += 14)
				assert_memory_equal(c->notes + i, "abcdefghijklm",
				    13);
			assert_int_equal(c->notes[13], '\n');
		}
		a1 = contacts_arena_bytes(db);
		a2 = contacts_arena_bytes(db2);
		print_message("%s: %zu lines %zu arena bytes, %zu lines %zu\n",
		    hours ? "hours" : "notes", n, a1, 2 * n, a2);
		assert_true(a2 <= a1 * 2 + 65536);
		assert_true(a2 <= 8 * len2);
		contacts_free(db);
		contacts_free(db2);
		free(t2);
	}
	free(t);
}

/* An hours: field's message quotes the field (issue 19): no C1 CSI
 * (U+009B, which the line check lets through, unlike ESC and raw 0x9b)
 * reaches the terminal through the diagnostic. */
static void
test_hostile_hours(void **state)
{
	struct contacts *db;
	char buf[1024];
	size_t i;

	(void)state;
	db = parse("h.txt", "id: a\norg: A\nhours: Mon 09:00-18:00\xc2\x9b"
	    "2J\n\nid: b\norg: B\nhours: Mon 09:00-18:00\x1b[2J\n\n"
	    "id: c\norg: C\nhours: Mon 09:00-18:00\x9b" "2J\n");
	assert_int_equal(contacts_ndiags(db), 3);
	contacts_diag_format(db, 0, buf, sizeof(buf));
	assert_non_null(strstr(buf, "h.txt:3: hours: unexpected '?2J'"));
	for (i = 0; i < 3; i++) {
		contacts_diag_format(db, i, buf, sizeof(buf));
		assert_no_controls(buf);
	}
	contacts_free(db);
}

/*
 * Saving keeps the file's owner, group and mode (issue 19: the atomic
 * rename kept the mode but the group became the saver's, so a file shared
 * by a NOC group was lost to it after one edit). Needs root, to give the
 * file another group ('daemon'); then, as 'nobody' (not a member of that
 * group), the save is refused with a message rather than drop the group.
 */
static void
test_save_keeps_group(void **state)
{
	char *dir, path[256], err[ERRBUF_SIZE];
	struct contacts *db;
	struct contacts_kv kv = { "email", "noc@example.net" };
	struct group *gr = getgrnam("daemon");
	struct passwd *pw = getpwnam("nobody");
	struct stat st;
	pid_t pid;
	int wst;

	(void)state;
	if (geteuid() != 0 || gr == NULL || pw == NULL || gr->gr_gid == 0)
		skip();
	dir = tmpdir_new();
	snprintf(path, sizeof(path), "%s/contacts.txt", dir);
	write_file(path, sample, strlen(sample));
	assert_int_equal(chown(path, pw->pw_uid, gr->gr_gid), 0);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(contacts_load(path, 0, &db, err), 0);
	assert_int_equal(contacts_update(db, 0, &kv, 1, err), 0);
	assert_int_equal(contacts_save(db, err), 0);
	contacts_free(db);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_gid, gr->gr_gid);
	assert_int_equal(st.st_uid, pw->pw_uid);
	assert_int_equal(st.st_mode & 07777, 0640);
	/* As nobody, who may write the file but is not in its group. */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(chmod(path, 0664), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
		    setuid(pw->pw_uid) != 0)
			_exit(3);
		if (contacts_load(path, 0, &db, err) != 0 ||
		    contacts_update(db, 1, &kv, 1, err) != 0)
			_exit(4);
		if (contacts_save(db, err) == 0)
			_exit(5);	/* saved with the group dropped */
		_exit(strstr(err, "cannot keep its group") != NULL ? 0 : 6);
	}
	assert_int_equal(waitpid(pid, &wst, 0), pid);
	assert_true(WIFEXITED(wst));
	assert_int_equal(WEXITSTATUS(wst), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_gid, gr->gr_gid);
	rm_rf(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_diagnostics),
		cmocka_unit_test(test_roundtrip_and_update),
		cmocka_unit_test(test_edit_rejected),
		cmocka_unit_test(test_many_edits),
		cmocka_unit_test(test_save_conflict),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_match_open_before_longer),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_email_length),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_repeated_fields_linear),
		cmocka_unit_test(test_hostile_hours),
		cmocka_unit_test(test_save_keeps_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
