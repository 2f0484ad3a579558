/*
 * test_export.c -- src/export without the command line: the contacts
 * formats field and the format that fits a recipient, and the import
 * parser on hostile input (wrong member types, X-ARF v3, duplicate keys,
 * no source, truncated JSON, a source that is not an address).
 * The documents themselves are validated against the formats' published
 * schemas by tests/e2e/export.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "export/export.h"
#include "contacts/contacts.h"
#include "base/util.h"

static struct contacts *
db_of(const char *text)
{
	return contacts_parse("t.txt", (const uint8_t *)text, strlen(text));
}

static void
test_formats(void **state)
{
	struct contacts *db = db_of(
	    "id: a\norg: A\nkind: csirt\nemail: a@a.example\n"
	    "formats: stix, misp\n\n"
	    "id: b\norg: B\nkind: peering-isp\nabuse-email: ab@b.example\n\n"
	    "id: c\norg: C\nkind: csirt\nemail: c@c.example\n\n"
	    "id: d\norg: D\nkind: csirt\nemail: d@d.example\nformats: pdf\n");
	char buf[512];

	(void)state;
	assert_int_equal(contacts_count(db), 4);
	assert_int_equal(export_format_for(contacts_get(db, 0)), EXPORT_STIX);
	assert_int_equal(contacts_get(db, 0)->formats.n, 2);
	assert_int_equal(export_format_for(contacts_get(db, 1)), EXPORT_XARF);
	assert_int_equal(export_format_for(contacts_get(db, 2)), -1);
	assert_false(contacts_get(db, 3)->valid);
	assert_int_equal(contacts_ndiags(db), 1);
	contacts_diag_format(db, 0, buf, sizeof(buf));
	assert_non_null(strstr(buf, "t.txt:21: formats: "));
	assert_non_null(strstr(buf, "is not a sharing format"));
	contacts_free(db);
}

static int
imp(const char *text, struct export_import *out, char *errbuf)
{
	return export_import_parse((const uint8_t *)text, strlen(text), out,
	    errbuf);
}

static void
test_import_hostile(void **state)
{
	struct export_import im;
	char err[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(imp("{\"xarf_version\":\"3\"}", &im, err), -1);
	assert_non_null(strstr(err, "is not 4.x"));
	assert_int_equal(imp("{\"xarf_version\":\"4.0.0\",\"sender\":{\"org\":"
	    "\"X\"},\"source_identifier\":\"example.com\"}", &im, err), -1);
	assert_non_null(strstr(err, "not an address"));
	assert_int_equal(imp("{\"xarf_version\":\"4.0.0\",\"sender\":7,"
	    "\"source_identifier\":\"192.0.2.1\"}", &im, err), -1);
	assert_non_null(strstr(err, "cannot attribute"));
	assert_int_equal(imp("{\"a\":1,\"a\":2}", &im, err), -1);
	assert_int_equal(imp("{\"Event\":{\"Orgc\":{\"name\":\"O\"},"
	    "\"Attribute\":\"x\",\"Object\":[1,{\"Attribute\":{}}]}}", &im,
	    err), -1);
	assert_non_null(strstr(err, "no ip-src"));
	assert_int_equal(imp("{\"Event\":", &im, err), -1);
	assert_int_equal(imp("[]", &im, err), -1);
	/* wrong types count as absent; strings are copied bounded */
	assert_int_equal(imp("{\"xarf_version\":\"4.2.0\",\"reporter\":{\"org\":"
	    "\"R\"},\"source_identifier\":\"2001:db8::1\",\"peak_pps\":\"12k\","
	    "\"peak_bps\":-5,\"source_port\":\"x\",\"tags\":[1,\"TLP:Amber\"],"
	    "\"first_seen\":\"yesterday\"}", &im, err), 0);
	assert_string_equal(im.sender_org, "R");
	assert_string_equal(im.sources[0], "2001:db8::1");
	assert_int_equal(im.peak_pps, 12000);
	assert_int_equal(im.peak_bps, 0);
	assert_int_equal(im.src_port, 0);
	assert_int_equal(im.first_us, 0);
	assert_string_equal(im.tlp, "TLP:AMBER");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_import_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
