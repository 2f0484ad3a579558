/*
 * fuzz_journal.c -- libFuzzer target for journal replay (journal.c): any
 * bytes replay without crashing, every diagnostic is sanitized text, and
 * each event that replays is read into its typed form (event.h) within
 * the ranges event.h promises, can be described for a timeline, and can
 * be read by the derived-state functions (parties, contact times, action
 * state) as a one-event incident.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "case/incident.h"
#include "case/journal.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_typed(const struct ev *ev)
{
	size_t i;

	switch (ev->type) {
	case EV_ACTION:
		if (ev->u.action.state < -1 || ev->u.action.state > ACT_LIFTED ||
		    ev->u.action.state == ACT_NONE || ev->u.action.action == NULL ||
		    ev->u.action.detail == NULL)
			fatal("fuzz_journal: action event out of range");
		break;
	case EV_CONTACT:
		if (ev->u.contact.what < -1 ||
		    ev->u.contact.what > CONTACT_RESOLUTION ||
		    ev->u.contact.contact == NULL || ev->u.contact.text == NULL)
			fatal("fuzz_journal: contact event out of range");
		break;
	case EV_EVIDENCE:
		/* every item readable: ASan catches a short array or a
		 * string that does not end */
		for (i = 0; i < ev->u.evidence.nspoof_evidence; i++)
			if (ev->u.evidence.spoof_evidence[i] != NULL)
				(void)strlen(ev->u.evidence.spoof_evidence[i]);
		for (i = 0; i < ev->u.evidence.ntop; i++) {
			const struct ev_source *t = &ev->u.evidence.top[i];

			(void)strlen(t->addr != NULL ? t->addr : "");
			(void)strlen(t->cc != NULL ? t->cc : "");
			(void)strlen(t->as_name != NULL ? t->as_name : "");
		}
		break;
	default:
		if ((unsigned)ev->type > EV_UNKNOWN)
			fatal("fuzz_journal: event type out of range");
		break;
	}
}

static void
each(void *ctx, const struct json *ev, unsigned line)
{
	struct incident_event e;
	struct incident inc;
	struct incident_party p[8];
	struct contact_stats cs;
	char buf[512], errbuf[ERRBUF_SIZE];
	size_t i, n;

	(void)ctx;
	memset(&e, 0, sizeof(e));
	e.j = (struct json *)ev;
	e.line = line;
	e.type = json_gets(ev, "type", "");
	e.operator = json_gets(ev, "operator", "");
	if (event_parse(ev, &e.ev, errbuf) != 0 && e.ev.type != EV_UNKNOWN)
		fatal("fuzz_journal: a refused event must be EV_UNKNOWN");
	check_typed(&e.ev);
	incident_event_describe(&e, line % 2 ? "ja" : "en", buf, sizeof(buf));
	if (strchr(buf, '\x1b') != NULL || strchr(buf, '\n') != NULL)
		fatal("fuzz_journal: control character in a description");
	/* The event as a whole incident, through the derived state. */
	memset(&inc, 0, sizeof(inc));
	inc.ev = &e;
	inc.nev = 1;
	n = incident_parties(&inc, p, NITEMS(p));
	if (n > NITEMS(p))
		fatal("fuzz_journal: too many parties");
	for (i = 0; i < n; i++)
		if (strchr(p[i].addr, '\x1b') != NULL)
			fatal("fuzz_journal: escape in a party's address");
	incident_contact_stats(&inc, NULL, &cs);
	if (cs.attempts + cs.replies + cs.acks + cs.resolutions > 1)
		fatal("fuzz_journal: one event counted twice");
	if (e.ev.type == EV_ACTION)
		(void)incident_action_state(&inc, e.ev.u.action.action, NULL);
	/* Phishing sites: the clock from one event, and every address. */
	{
		struct site_times st;

		(void)incident_site_times(&inc, &st);
		if (e.ev.type == EV_LOOKUP)
			for (i = 0; i < e.ev.u.lookup.naddrs; i++)
				if (e.ev.u.lookup.addrs[i].cc == NULL)
					fatal("fuzz_journal: a lookup string "
					    "is NULL");
	}
	event_parse_free(&e.ev);
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
