/*
 * fuzz_journal.c -- libFuzzer target for journal replay (journal.c): any
 * bytes replay without crashing, every diagnostic is sanitized text, and
 * each event that replays can be described for a timeline.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "case/incident.h"
#include "case/journal.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
each(void *ctx, const struct json *ev, unsigned line)
{
	struct incident_event e;
	char buf[512];

	(void)ctx;
	memset(&e, 0, sizeof(e));
	e.j = (struct json *)ev;
	e.line = line;
	e.type = json_gets(ev, "type", "");
	e.operator = json_gets(ev, "operator", "");
	incident_event_describe(&e, line % 2 ? "ja" : "en", buf, sizeof(buf));
	if (strchr(buf, '\x1b') != NULL || strchr(buf, '\n') != NULL)
		fatal("fuzz_journal: control character in a description");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal_diags d = { NULL, 0 };
	size_t i;

	journal_replay_buf("fuzz.jsonl", (const char *)data, size, each, NULL,
	    &d);
	for (i = 0; i < d.n; i++)
		if (strchr(d.v[i].msg, '\x1b') != NULL)
			fatal("fuzz_journal: escape in a diagnostic");
	journal_diags_free(&d);
	return 0;
}
