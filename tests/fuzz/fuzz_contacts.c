/*
 * fuzz_contacts.c -- libFuzzer target for the contact database parser
 * (contacts.c): parse, format every diagnostic, match and search, and
 * apply an update and a delete (each re-parses the rebuilt text).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contacts/contacts.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct contacts *db = contacts_parse("fuzz.txt", data, size);
	struct contacts_query q;
	struct contact_match *m = NULL;
	struct contacts_kv kv[2] = { { "org", "Fuzzed\nline two" },
	    { "notes", NULL } };
	char err[ERRBUF_SIZE], line[1024];
	size_t i, idx[4];
	const char *forms[] = { "192.0.2.1", "2001:db8::1", "AS64496", "RU",
	    NULL };

	for (i = 0; i < contacts_ndiags(db); i++)
		contacts_diag_format(db, i, line, sizeof(line));
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (contacts_query_parse(forms[i], &q, err) == 0) {
			contacts_match(db, &q, 1764120600, &m);
			free(m);
		}
	}
	contacts_search(db, "a", idx, 4);
	if (contacts_count(db) > 0) {
		(void)contacts_update(db, 0, kv, 2, err);
		(void)contacts_delete(db, contacts_count(db) - 1, err);
	}
	contacts_free(db);
	return 0;
}
