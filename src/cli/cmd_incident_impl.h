/*
 * cmd_incident_impl.h -- private to `kyocho incident`, shared by its files:
 * cmd_incident.c (the verb table, opening and closing a case, list, new,
 * show, note, contact, close, reopen, history), cmd_incident_checklist.c
 * (checklist, accept, actions, answer, action, override),
 * cmd_incident_site.c (phishing: lookup, takedown, counterparts, new --url)
 * and cmd_incident_share.c (draft, export, import). Nothing outside
 * src/cli/cmd_incident*.c includes it.
 */
#ifndef KYOCHO_CMD_INCIDENT_IMPL_H
#define KYOCHO_CMD_INCIDENT_IMPL_H

#include <stdint.h>
#include <stdio.h>

#include "base/util.h"
#include "case/checklist.h"
#include "case/incident.h"
#include "casework/casework.h"
#include "settings/args.h"
#include "settings/config.h"

/*
 * What a verb works on: the store (opened from --state) and, for the verbs
 * whose first word is an incident ID, that incident.
 */
struct incident_case {
	struct casework *cw;		/* the rules and what they read */
	struct incident_store *s;	/* the casework's store */
	struct incident *inc;		/* NULL for list, new, history */
	const struct checklist_set *cs;	/* loaded by the verbs that need it */
	char errbuf[ERRBUF_SIZE];
};

/*
 * Open the store for a verb; with_incident: find the incident its first
 * word names. Returns 0, or CMD_FAIL after printing why (c is then to be
 * closed all the same).
 */
int inc_case_open(struct incident_case *c, const struct args *a,
    const struct options *opt, int with_incident);

/* Close c; rc CMD_FAIL prints c's errbuf when fail is set. Returns rc. */
int inc_case_close(struct incident_case *c, int rc, int fail);

/* Open c for a verb, returning from the verb when that fails. */
#define CASE_OPEN(c, a, opt, with_incident) do {			\
	int rc_ = inc_case_open((c), (a), (opt), (with_incident));	\
	if (rc_ != 0)							\
		return inc_case_close((c), rc_, 0);			\
} while (0)

/* s to f with control characters and escape sequences made safe. */
void inc_print_safe(FILE *f, const char *s);

/* The value of option name, or def. */
const char *inc_opt_or(const struct args *a, const char *name,
    const char *def);

/* The time the clock is read at (microseconds): --at, else now. */
int64_t inc_clock_now(const struct args *a);

/* "+HH:MM" or "-HH:MM" into seconds east of UTC; 0, or -1 if it is not. */
int inc_parse_offset(const char *v, int *out);

/* --proto's check (args_opt.check): tcp, udp, icmp, icmpv6 or 1-255. */
int inc_check_proto(const char *v, char *errbuf);

/* The verbs that live outside cmd_incident.c (struct cmd_entry.exec). */
int inc_lookup(struct args *a, struct options *opt);
int inc_takedown(struct args *a, struct options *opt);
int inc_counterparts(struct args *a, struct options *opt);
int inc_new_site(struct args *a, struct options *opt);
int inc_checklist(struct args *a, struct options *opt);
int inc_accept(struct args *a, struct options *opt);
int inc_actions(struct args *a, struct options *opt);
int inc_answer(struct args *a, struct options *opt);
int inc_action(struct args *a, struct options *opt);
int inc_override(struct args *a, struct options *opt);
int inc_draft(struct args *a, struct options *opt);
int inc_export(struct args *a, struct options *opt);
int inc_import(struct args *a, struct options *opt);

#endif
