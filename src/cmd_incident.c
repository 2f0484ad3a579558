/*
 * cmd_incident.c -- `kyocho incident`: incidents from the command line, for
 * scripts, tests and operators without the terminal UI. Each verb is one
 * model call (casework.h for the rules: default TLP, the action gate;
 * incident.h, checklist.h, draft.h); what the journal says is printed
 * sanitized.
 *
 *   kyocho incident list
 *   kyocho incident new --kind K --title T [--tlp L] [--source alert|manual]
 *   kyocho incident show ID [--lang ja]
 *   kyocho incident note ID TEXT [--repeat N]
 *   kyocho incident checklist ID ACTION [--lang ja]
 *   kyocho incident answer ID ACTION QUESTION ANSWER --reason R
 *   kyocho incident action ID ACTION proposed|taken|lifted [--detail D]
 *   kyocho incident override ID ACTION --reason R
 *   kyocho incident contact ID attempt|reply|ack|resolution --channel C
 *       [--contact CID] [--whom W] [--text T]
 *   kyocho incident draft ID TEMPLATE [--lang L] [--to ADDR] [--contact CID]
 *       [--whom W] [--tz-offset +HH:MM] [--tz-name NAME]
 *   kyocho incident close ID --reason R | reopen ID
 *   kyocho incident history CONTACT-ID
 * Common: --at TIME (RFC 3339; every event gets this time, for tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "casework.h"
#include "checklist.h"
#include "commands.h"
#include "config.h"
#include "draft.h"
#include "incident.h"
#include "util.h"

enum {
	O_KIND = 1, O_TITLE, O_TLP, O_SOURCE, O_LANG, O_REASON, O_DETAIL,
	O_CHANNEL, O_CONTACT, O_WHOM, O_TEXT, O_AT, O_REPEAT, O_TO,
	O_TZOFF, O_TZNAME,
};

static const struct argdef defs[] = {
	{ "kind", 0, 1, O_KIND },
	{ "title", 0, 1, O_TITLE },
	{ "tlp", 0, 1, O_TLP },
	{ "source", 0, 1, O_SOURCE },
	{ "lang", 0, 1, O_LANG },
	{ "reason", 0, 1, O_REASON },
	{ "detail", 0, 1, O_DETAIL },
	{ "channel", 0, 1, O_CHANNEL },
	{ "contact", 0, 1, O_CONTACT },
	{ "whom", 0, 1, O_WHOM },
	{ "text", 0, 1, O_TEXT },
	{ "at", 0, 1, O_AT },
	{ "repeat", 0, 1, O_REPEAT },
	{ "to", 0, 1, O_TO },
	{ "tz-offset", 0, 1, O_TZOFF },
	{ "tz-name", 0, 1, O_TZNAME },
	{ NULL, 0, 0, 0 },
};

struct iopts {
	const char *kind, *title, *tlp, *source, *lang, *reason, *detail;
	const char *channel, *contact, *whom, *text, *to, *tzname;
	int64_t at;
	long repeat;
	int tzoff, tzset;
};

static int
parse_offset(const char *v, int *out)
{
	int h, m;

	if ((v[0] == '+' || v[0] == '-') && strlen(v) == 6 && v[3] == ':' &&
	    sscanf(v + 1, "%2d:%2d", &h, &m) == 2 && h <= 18 && m < 60) {
		*out = (v[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
		return 0;
	}
	return -1;
}

static int
on_opt(void *ctx, int id, const char *v, char *errbuf)
{
	struct iopts *o = ctx;

	switch (id) {
	case O_KIND: o->kind = v; break;
	case O_TITLE: o->title = v; break;
	case O_TLP: o->tlp = v; break;
	case O_SOURCE: o->source = v; break;
	case O_LANG:
		/* Screens and checklists are en or ja; drafts also come
		 * in the template languages es, pt (others fall back). */
		if (strcmp(v, "en") != 0 && strcmp(v, "ja") != 0 &&
		    strcmp(v, "es") != 0 && strcmp(v, "pt") != 0 &&
		    strcmp(v, "ru") != 0)
			return err_set(errbuf, "language must be en, ja, es, pt "
			    "or ru");
		o->lang = v;
		break;
	case O_REASON: o->reason = v; break;
	case O_DETAIL: o->detail = v; break;
	case O_CHANNEL: o->channel = v; break;
	case O_CONTACT: o->contact = v; break;
	case O_WHOM: o->whom = v; break;
	case O_TEXT: o->text = v; break;
	case O_TO: o->to = v; break;
	case O_TZNAME: o->tzname = v; break;
	case O_TZOFF:
		if (parse_offset(v, &o->tzoff) != 0)
			return err_set(errbuf, "'%s' is not an offset such as "
			    "+09:00", v);
		o->tzset = 1;
		break;
	case O_AT:
		if (time_parse_rfc3339(v, &o->at) != 0)
			return err_set(errbuf, "'%s' is not an RFC 3339 time", v);
		break;
	case O_REPEAT:
		if (parse_long(v, 1, 1000000, &o->repeat) != 0)
			return err_set(errbuf, "'%s' is not a count", v);
		break;
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: kyocho incident list\n"
	    "       kyocho incident new --kind KIND --title TITLE [--tlp LABEL] "
	    "[--source manual|alert]\n"
	    "       kyocho incident show ID [--lang en|ja]\n"
	    "       kyocho incident note ID TEXT [--repeat N]\n"
	    "       kyocho incident checklist ID ACTION [--lang en|ja]\n"
	    "       kyocho incident answer ID ACTION QUESTION ANSWER --reason TEXT\n"
	    "       kyocho incident action ID ACTION proposed|taken|lifted "
	    "[--detail TEXT]\n"
	    "       kyocho incident override ID ACTION --reason TEXT\n"
	    "       kyocho incident contact ID attempt|reply|ack|resolution "
	    "--channel C [--contact ID] [--whom W] [--text T]\n"
	    "       kyocho incident draft ID TEMPLATE [--lang L] [--to ADDR] "
	    "[--contact ID] [--whom W] [--tz-offset +HH:MM --tz-name NAME]\n"
	    "       kyocho incident close ID --reason TEXT\n"
	    "       kyocho incident reopen ID\n"
	    "       kyocho incident history CONTACT-ID\n"
	    "common: --at TIME (fix the events' time), --state DIR, "
	    "--operator NAME\n");
}

static void
print_safe(FILE *f, const char *s)
{
	char buf[INCIDENT_TEXT_MAX * 2];

	text_sanitize(buf, sizeof(buf), s, strlen(s));
	fputs(buf, f);
}

static void
print_diags(const struct incident_store *s)
{
	size_t i;

	for (i = 0; i < s->diags.n; i++)
		fprintf(stderr, "kyocho: %s\n", s->diags.v[i].msg);
}

static const struct checklist_set *
load_checklists(struct casework *cw, char *errbuf)
{
	return casework_load_checklists(cw, errbuf) == 0 ?
	    casework_checklists(cw) : NULL;
}

static void
show_checklist(const struct checklist_set *cs, const struct checklist *cl,
    const struct incident *inc, const char *lang)
{
	struct checklist_eval ev;
	char buf[1024];
	size_t i;
	int ja = lang != NULL && strcmp(lang, "ja") == 0;

	checklist_evaluate(cl, inc, &ev);
	printf("%s [%s]: %s\n", cl->id, checklist_status_name(ev.status),
	    checklist_title(cl, lang));
	printf("  %s\n", ja ? cl->case_ja : cl->case_en);
	printf("  %s\n", ja ? cl->edition_ja : cl->edition_en);
	printf("  %s\n", ja ? "適用されうる違法性阻却事由：" :
	    "grounds that may apply:");
	for (i = 0; i < cl->ngrounds; i++) {
		const struct checklist_ground *gr = checklist_ground_find(cs,
		    cl->grounds[i]);

		printf("    %s: %s (%s)%s%s\n", gr->id, ja ? gr->name_ja :
		    gr->name_en, gr->article, cl->unverified[i] ? " -- " : "",
		    cl->unverified[i] ? (ja ? cs->unverified_ja :
		    cs->unverified_en) : "");
	}
	for (i = 0; i < ev.nq; i++) {
		const struct checklist_qstate *q = &ev.q[i];
		const char *mark;

		if (!q->visible && q->answer == NULL)
			continue;
		mark = !q->visible ? "n/a " : q->failed ? "FAIL" :
		    q->answer == NULL || !q->valid ? "open" : "ok  ";
		printf("  [%s] %-20s ", mark, q->q->id);
		print_safe(stdout, checklist_qtext(q->q, lang));
		putchar('\n');
		if (q->answer != NULL) {
			snprintf(buf, sizeof(buf), "%s -- %s (%s)",
			    json_gets(q->answer->j, "answer", ""),
			    json_gets(q->answer->j, "reason", ""),
			    q->answer->operator);
			printf("         = ");
			print_safe(stdout, buf);
			putchar('\n');
		}
	}
	if (ev.ground != NULL && ev.ground_unverified)
		printf("  %s: %s\n", ev.ground, ja ? cs->unverified_ja :
		    cs->unverified_en);
	if (incident_override_for(inc, cl->id) != NULL)
		printf("  OVERRIDE recorded\n");
	printf("  %s\n", ja ? cs->disclaimer_ja : cs->disclaimer_en);
}

static int
need(int npos, int want)
{
	if (npos < want) {
		usage();
		return 0;
	}
	return 1;
}

int
cmd_incident(int argc, char **argv, struct options *opt)
{
	char errbuf[ERRBUF_SIZE], ts[32], line[2048];
	struct iopts io;
	struct incident_store *s = NULL;
	struct incident *inc = NULL;
	const struct checklist_set *cs = NULL;
	struct case_settings cfg;
	struct casework *cw = NULL;
	char **pos = NULL;
	const char *verb;
	int npos, rc = 1;
	size_t i;

	memset(&io, 0, sizeof(io));
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage();
		return 0;
	}
	if (args_parse(argc, argv, 1, defs, on_opt, &io, opt, &pos, &npos,
	    errbuf) != 0) {
		fprintf(stderr, "kyocho incident: %s\n", errbuf);
		free(pos);
		return 2;
	}
	if (npos < 1) {
		usage();
		free(pos);
		return 2;
	}
	verb = pos[0];
	memset(&cfg, 0, sizeof(cfg));
	cfg.opt = opt;
	cfg.our_zone = opt->our_zone;
	cfg.fixed_now = io.at;
	cw = casework_open(&cfg);
	if ((s = casework_store(cw, errbuf)) == NULL) {
		fprintf(stderr, "kyocho incident: %s\n", errbuf);
		goto out;
	}
	if (strcmp(verb, "list") != 0 && strcmp(verb, "new") != 0 &&
	    strcmp(verb, "history") != 0) {
		if (!need(npos, 2))
			goto out;
		if ((inc = incident_find(s, pos[1])) == NULL) {
			fprintf(stderr, "kyocho incident: no incident '");
			print_safe(stderr, pos[1]);
			fprintf(stderr, "' in %s\n", s->dir);
			goto out;
		}
	}
	if (strcmp(verb, "list") == 0) {
		print_diags(s);
		for (i = 0; i < s->n; i++) {
			const struct incident *x = s->v[i];

			snprintf(line, sizeof(line), "%s  %-6s  %-16s  %s  %s%s",
			    x->id, x->status == INC_CLOSED ? "closed" : "open",
			    x->kind, time_rfc3339(ts, sizeof(ts), x->last_us, 0),
			    x->title, x->ndiag ? "  [journal problems]" : "");
			print_safe(stdout, line);
			putchar('\n');
		}
		rc = 0;
	} else if (strcmp(verb, "new") == 0) {
		if (io.kind == NULL || io.title == NULL) {
			usage();
			goto out;
		}
		if (casework_create(cw, io.kind, io.title, io.source != NULL ?
		    io.source : "manual", io.tlp, &inc, errbuf) != 0)
			goto fail;
		printf("%s\n", inc->id);
		rc = 0;
	} else if (strcmp(verb, "show") == 0) {
		print_diags(s);
		for (i = 0; i < inc->nev; i++) {
			char d[4096];

			printf("%4llu  %s  ", (unsigned long long)inc->ev[i].seq,
			    time_rfc3339(ts, sizeof(ts), inc->ev[i].ts_us, 0));
			print_safe(stdout, inc->ev[i].operator);
			printf("  %s\n", incident_event_describe(&inc->ev[i],
			    io.lang, d, sizeof(d)));
		}
		rc = 0;
	} else if (strcmp(verb, "note") == 0) {
		long n, k = io.repeat > 0 ? io.repeat : 1;

		if (!need(npos, 3))
			goto out;
		for (n = 0; n < k; n++) {
			if (incident_note(s, inc, pos[2], errbuf) != 0)
				goto fail;
			/* Printed only once the event is on disk. */
			printf("confirmed %llu\n", (unsigned long long)
			    s->last_seq);
			fflush(stdout);
		}
		rc = 0;
	} else if (strcmp(verb, "checklist") == 0) {
		const struct checklist *cl;

		if (!need(npos, 3))
			goto out;
		if ((cs = load_checklists(cw, errbuf)) == NULL)
			goto fail;
		if ((cl = checklist_find(cs, pos[2])) == NULL) {
			fprintf(stderr, "kyocho incident: no checklist '");
			print_safe(stderr, pos[2]);
			fprintf(stderr, "'\n");
			goto out;
		}
		show_checklist(cs, cl, inc, io.lang);
		rc = 0;
	} else if (strcmp(verb, "answer") == 0) {
		const struct checklist *cl;

		if (!need(npos, 5))
			goto out;
		if ((cs = load_checklists(cw, errbuf)) == NULL)
			goto fail;
		if ((cl = checklist_find(cs, pos[2])) == NULL) {
			fprintf(stderr, "kyocho incident: no checklist for that "
			    "action\n");
			goto out;
		}
		if (checklist_answer_check(cl, pos[3], pos[4], errbuf) != 0 ||
		    incident_answer(s, inc, pos[2], pos[3], pos[4],
		    io.reason != NULL ? io.reason : "", errbuf) != 0)
			goto fail;
		rc = 0;
	} else if (strcmp(verb, "action") == 0) {
		int st;

		if (!need(npos, 4))
			goto out;
		if ((st = incident_action_state_parse(pos[3])) < 0) {
			usage();
			goto out;
		}
		if ((cs = load_checklists(cw, errbuf)) == NULL)
			goto fail;
		if (casework_act(cw, inc, pos[2], (enum action_state)st,
		    io.detail != NULL ? io.detail : "", errbuf) != 0)
			goto fail;
		rc = 0;
	} else if (strcmp(verb, "override") == 0) {
		if (!need(npos, 3))
			goto out;
		if (incident_override(s, inc, pos[2], io.reason != NULL ?
		    io.reason : "", errbuf) != 0)
			goto fail;
		rc = 0;
	} else if (strcmp(verb, "contact") == 0) {
		int w;

		if (!need(npos, 3))
			goto out;
		if ((w = incident_contact_parse(pos[2])) < 0) {
			usage();
			goto out;
		}
		if (incident_contact(s, inc, (enum contact_what)w,
		    io.channel != NULL ? io.channel : "email", io.contact,
		    io.whom, io.text, errbuf) != 0)
			goto fail;
		rc = 0;
	} else if (strcmp(verb, "draft") == 0) {
		struct draft_params dp;
		char *path;

		if (!need(npos, 3))
			goto out;
		memset(&dp, 0, sizeof(dp));
		dp.template_id = pos[2];
		dp.lang = io.lang != NULL ? io.lang : "en";
		dp.to = io.to;
		dp.contact_id = io.contact;
		dp.whom = io.whom;
		dp.tz_offset_s = io.tzoff;
		dp.tz_name = io.tzset ? (io.tzname != NULL ? io.tzname : "") :
		    NULL;
		if ((path = casework_draft(cw, inc, &dp, errbuf)) == NULL)
			goto fail;
		printf("%s\n", path);
		free(path);
		rc = 0;
	} else if (strcmp(verb, "close") == 0 || strcmp(verb, "reopen") == 0) {
		int close = verb[0] == 'c';

		if (incident_set_status(s, inc, close ? INC_CLOSED : INC_OPEN,
		    io.reason != NULL ? io.reason : "", errbuf) != 0)
			goto fail;
		rc = 0;
	} else if (strcmp(verb, "history") == 0) {
		struct contact_history *h;
		size_t n;

		if (!need(npos, 2))
			goto out;
		n = incident_store_contact_history(s, pos[1], &h);
		for (i = 0; i < n; i++) {
			char a[32], b[32], c[32];

			snprintf(line, sizeof(line), "%s  %s  attempts %u  "
			    "first answer %s  resolved %s  %s via %s",
			    h[i].inc->id, time_rfc3339(a, sizeof(a),
			    h[i].first_attempt_us, 0), h[i].attempts,
			    h[i].first_answer_us ? time_rfc3339(b, sizeof(b),
			    h[i].first_answer_us, 0) : "-",
			    h[i].resolution_us ? time_rfc3339(c, sizeof(c),
			    h[i].resolution_us, 0) : "-", h[i].whom,
			    h[i].channel);
			print_safe(stdout, line);
			putchar('\n');
		}
		free(h);
		rc = 0;
	} else {
		usage();
		rc = 2;
	}
	goto out;
fail:
	fprintf(stderr, "kyocho incident: ");
	print_safe(stderr, errbuf);
	fputc('\n', stderr);
	rc = 1;
out:
	casework_free(cw);
	free(pos);
	return rc;
}
