/*
 * draft.h -- escalation drafts: a request template from data/templates/
 * filled with an incident's evidence, our point-of-contact details from the
 * configuration, times in UTC and in the recipient's zone, and the TLP
 * label; saved under STATE/drafts/ and journaled. Opening the draft in an
 * editor and handing it to sendmail are separate functions: the UI asks
 * the operator first, these only do the work (fork/exec, no shell).
 *
 * Templates are UTF-8 text, ID.LANG.txt ("ddos-filter-request.ja.txt"):
 * mail header lines (To:, Subject:), a blank line, the body; {{name}}
 * placeholders are listed in man/kyocho-checklist.5 (TEMPLATES). An
 * unknown placeholder is an error naming FILE:LINE.
 */
#ifndef KYOCHO_DRAFT_H
#define KYOCHO_DRAFT_H

#include <stddef.h>

#include "case/incident.h"

/*
 * What drafts are told (filled by the casework layer from the
 * configuration): our point of contact, the operator, the state
 * directory's real name, and where the data files are. Strings are
 * borrowed; NULL ones are written as a reminder to set them.
 */
struct draft_settings {
	const char *org;		/* "Example ISP NOC" */
	const char *operator;		/* NULL: the store's, else the login */
	const char *noc_email;
	const char *noc_phone;
	const char *pgp;		/* key fingerprint or URL */
	/* With -Z the store is reached as "."; its real path, for the
	 * journal (views/shell.c). NULL otherwise. */
	const char *state_label;
	/* The path of data file rel ("templates/ID.LANG.txt",
	 * "incident-kinds.txt"), new (the caller frees it), or NULL with
	 * errbuf saying where it looked. */
	char *(*data_path)(const void *ctx, const char *rel, char *errbuf);
	const void *data_ctx;
};

struct draft_params {
	const char *template_id;	/* "ddos-filter-request" */
	const char *lang;		/* "en", "ja" */
	const char *to;			/* recipient address; NULL = blank */
	const char *contact_id;		/* contacts database id; may be NULL */
	const char *whom;		/* recipient's name or team; may be NULL */
	/* The recipient's zone: offset east of UTC in seconds and its name
	 * ("JST", "Europe/Berlin"). tz_name NULL: unknown, UTC only. The
	 * caller fills these (tz.h when it lands). */
	int tz_offset_s;
	const char *tz_name;
};

/*
 * Render template text t[0..len) (read from tpath, named in errors) for
 * inc. kinds may be NULL (the kind id is used then). Returns a new string
 * (the caller frees it) or NULL with errbuf "FILE:LINE: ...".
 */
char *draft_render(const char *t, size_t len, const char *tpath,
    const struct incident *inc, const struct incident_kinds *kinds,
    const struct draft_settings *ds, const struct draft_params *p,
    char *errbuf);

/*
 * Find templates/ID.LANG.txt, render it, save it as a new file
 * STATE/drafts/INCIDENT-ID-LANG-N.txt (fsynced), and journal a draft event.
 * Returns the path (caller frees) or NULL with errbuf filled.
 */
char *draft_create(struct incident_store *s, struct incident *inc,
    const struct draft_settings *ds, const struct draft_params *p,
    char *errbuf);

/* Run $VISUAL, else $EDITOR, else vi on path and wait (the caller has
 * left curses mode). The variable is split on blanks, not given to a
 * shell. Returns the editor's exit status, or -1 with errbuf. */
int draft_edit(const char *path, char *errbuf);

/* Feed path to `sendmail -t` (sendmail_path NULL: /usr/sbin/sendmail) and
 * wait. Returns 0, or -1 with errbuf (exit status or exec failure). */
int draft_sendmail(const char *path, const char *sendmail_path, char *errbuf);

/* Format us in a zone: "2026-11-26 09:00:00 JST (UTC+09:00)". */
char *draft_time_local(char *buf, size_t len, int64_t us, int offset_s,
    const char *zone);

#endif
